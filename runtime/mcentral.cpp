// Central free lists (Go: runtime/mcentral.go): for each size class, the spans with free
// objects that no mcache holds, and new spans from the heap.

#include "malloc.h"

namespace runtime {

// init initializes a single central free list.
void mcentral::init(spanClass spc) { spanclass = spc; }

// cacheSpan allocates a span to use in an mcache, or returns null if the heap is out of
// memory.
mspan *mcentral::cacheSpan() {
  runtime::lock(&lock);
  mspan *s = partial.first;
  if (s != nullptr)
    partial.remove(s);
  runtime::unlock(&lock);

  // We failed to get a span from the mcentral so get one from mheap.
  if (s == nullptr) {
    s = grow();
    if (s == nullptr)
      return nullptr;
  }

  // At this point s is a span that should have free slots.
  if (s->nelems == s->allocCount || s->freeindex == s->nelems)
    throw_("span has no free objects");
  uintptr_t freeByteBase = s->freeindex & ~uintptr_t(64 - 1);
  uintptr_t whichByte = freeByteBase / 8;
  // Init alloc bits cache.
  s->refillAllocCache(whichByte);

  // Adjust the allocCache so that s.freeindex corresponds to the low bit in s.allocCache.
  s->allocCache >>= s->freeindex % 64;
  return s;
}

// uncacheSpan returns a span from an mcache. s must have a span class corresponding to this
// mcentral and it must not be empty.
void mcentral::uncacheSpan(mspan *s) {
  if (s->allocCount == 0)
    throw_("uncaching span but s.allocCount == 0");
  // Differs from Go: a full span is not kept on a list (there is no sweeper to free its
  // objects), so only a span with free space goes back.
  if (s->nelems > s->allocCount) {
    runtime::lock(&lock);
    partial.insert(s);
    runtime::unlock(&lock);
  }
}

// grow allocates a new empty span from the heap and initializes it for c's size class.
mspan *mcentral::grow() {
  uintptr_t npages = class_to_allocnpages[spanclass];
  uintptr_t size = class_to_size[spanclass];
  mspan *s = mheap_.alloc(npages, spanclass);
  if (s == nullptr)
    return nullptr;
  s->limit = s->base() + size * s->nelems;
  return s;
}

} // namespace runtime
