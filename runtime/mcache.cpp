// Per-P malloc cache for small objects (Go: runtime/mcache.go).

#include "malloc.h"

namespace runtime {

mspan emptymspan;

// allocmcache returns a new mcache whose entries all point at emptymspan.
mcache *allocmcache() {
  lock(&mheap_.lock);
  auto *c = static_cast<mcache *>(mheap_.cachealloc.alloc());
  unlock(&mheap_.lock);
  for (mspan *&s : c->alloc)
    s = &emptymspan;
  return c;
}

// freemcache releases resources associated with this mcache and puts the object onto a free
// list.
void freemcache(mcache *c) {
  c->releaseAll();
  lock(&mheap_.lock);
  mheap_.cachealloc.free(c);
  unlock(&mheap_.lock);
}

// refill acquires a new span of span class spc for c. This span will have at least one free
// object. The current span in c must be full.
//
// Must run in a non-preemptible context since otherwise the owner of c could change.
void mcache::refill(spanClass spc) {
  // Return the current cached span to the central lists.
  mspan *s = alloc[spc];
  if (s->allocCount != s->nelems)
    throw_("refill of span with free space remaining");
  if (s != &emptymspan)
    mheap_.central[spc].mcentral.uncacheSpan(s);

  // Get a new cached span from the central lists.
  s = mheap_.central[spc].mcentral.cacheSpan();
  if (s == nullptr)
    throw_("out of memory");
  if (s->allocCount == s->nelems)
    throw_("span has no free space");
  alloc[spc] = s;
}

// allocLarge allocates a span for a large object.
mspan *mcache::allocLarge(uintptr_t size) {
  if (size + _PageSize < size)
    throw_("out of memory");
  uintptr_t npages = size >> _PageShift;
  if ((size & _PageMask) != 0)
    npages++;
  mspan *s = mheap_.alloc(npages, 0);
  if (s == nullptr)
    throw_("out of memory");
  s->limit = s->base() + size;
  return s;
}

// releaseAll gives c's spans back to their mcentrals and drops its tiny block.
void mcache::releaseAll() {
  for (int i = 0; i < numSpanClasses; i++) {
    mspan *s = alloc[i];
    if (s != &emptymspan) {
      // Release the span to the mcentral.
      mheap_.central[i].mcentral.uncacheSpan(s);
      alloc[i] = &emptymspan;
    }
  }
  // Clear tinyalloc pool.
  tiny = 0;
  tinyoffset = 0;
}

} // namespace runtime
