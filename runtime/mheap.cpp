// Page heap (Go: runtime/mheap.go): spans of pages from reserved and mapped address space; and
// the search for a span's next free object (Go: mbitmap.go).

#include "malloc.h"

namespace runtime {

// init initializes the heap; the first arena will be asked for at arenaBaseHint.
void mheap::init() {
  spanalloc.init(sizeof(mspan));
  cachealloc.init(sizeof(mcache));
  // h.spanalloc needs no zeroing: mspan.init sets the fields it uses.
  spanalloc.zero = false;
  for (int i = 0; i < numSpanClasses; i++)
    central[i].mcentral.init(spanClass(i));
  freePage = curArena.base = curArena.end = arenaBaseHint;
}

// alloc allocates a new span of npages pages for objects of spanclass (0: one large object).
// It returns null if the OS refuses the memory.
// Differs from Go: no per-P page cache; every span is cut under h.lock.
mspan *mheap::alloc(uintptr_t npages, spanClass spanclass) {
  runtime::lock(&lock);
  uintptr_t nbytes;
  // An npages too large to count in bytes is more than grow can ever find, so it fails there.
  bool tooLarge = __builtin_mul_overflow(npages, _PageSize, &nbytes);
  if ((tooLarge || curArena.base - freePage < nbytes) && !grow(npages)) {
    runtime::unlock(&lock);
    return nullptr;
  }
  uintptr_t base = freePage;
  freePage += nbytes;
  auto *s = static_cast<mspan *>(spanalloc.alloc());
  runtime::unlock(&lock);
  initSpan(s, spanclass, base, npages);
  return s;
}

// initSpan initializes a blank span s which will represent the range [base, base+npages*pageSize).
void mheap::initSpan(mspan *s, spanClass spanclass, uintptr_t base, uintptr_t npages) {
  s->init(base, npages);
  uintptr_t nbytes = npages * _PageSize;
  s->spanclass = spanclass;
  if (spanclass == 0) {
    s->elemsize = nbytes;
    s->nelems = 1;
  } else {
    s->elemsize = class_to_size[spanclass];
    s->nelems = nbytes / s->elemsize;
  }
  s->freeindex = 0;
  s->allocCache = ~uint64_t(0); // all 1s indicating all free.
}

// grow tries to add at least npage pages of memory to the heap: it maps the next chunks of the
// current arena, reserving a new arena first if they do not fit. It reports whether it worked.
// h.lock must be held.
bool mheap::grow(uintptr_t npage) {
  // We must grow the heap in whole palloc chunks.
  uintptr_t ask;
  if (__builtin_mul_overflow(alignUp(npage, pallocChunkPages), _PageSize, &ask))
    ask = ~_PageMask; // more than any arena can hold: sysAlloc refuses it

  // This may overflow because ask could be very large and is otherwise unrelated to
  // h.curArena.base.
  uintptr_t nBase = curArena.base + ask;
  if (nBase > curArena.end || nBase < curArena.base) {
    // Not enough room in the current arena. Allocate more arena space. This may not be
    // contiguous with the current arena, so we have to request the full ask.
    uintptr_t asize;
    auto av = reinterpret_cast<uintptr_t>(sysAlloc(ask, &asize));
    if (av == 0) {
      print("runtime: out of memory: cannot allocate ", ask, "-byte block (", heapSys,
            " in use)\n");
      return false;
    }
    if (av == curArena.end) {
      // The new space is contiguous with the old space, so just extend the current space.
      curArena.end = av + asize;
    } else {
      // The new space is discontiguous. Switch to the new space.
      // Differs from Go: the heap's free pages are one run, so what is left of the old
      // arena (mapped or only reserved, never used) goes back to the OS.
      if (curArena.end != freePage) {
        sysFree(reinterpret_cast<void *>(freePage), curArena.end - freePage);
        heapSys -= curArena.base - freePage;
      }
      freePage = curArena.base = av;
      curArena.end = av + asize;
    }
    // We know this won't overflow, because sysAlloc returned a valid region starting at
    // h.curArena.base which is at least ask bytes in size.
    nBase = curArena.base + ask;
  }

  // Grow into the current arena.
  uintptr_t v = curArena.base;
  curArena.base = nBase;
  sysMap(reinterpret_cast<void *>(v), nBase - v);
  heapSys += nBase - v;
  return true;
}

// init initializes a span that is not on any list to [base, base+npages*_PageSize), empty.
void mspan::init(uintptr_t base, uintptr_t npages_) {
  next = nullptr;
  prev = nullptr;
  startAddr = base;
  npages = npages_;
  allocCount = 0;
  spanclass = 0;
  elemsize = 0;
  freeindex = 0;
}

// insert puts span at the front of list.
void mSpanList::insert(mspan *span) {
  if (span->next != nullptr || span->prev != nullptr) {
    print("runtime: failed mSpanList.insert ", static_cast<void *>(span), " ",
          static_cast<void *>(span->next), " ", static_cast<void *>(span->prev), "\n");
    throw_("mSpanList.insert");
  }
  span->next = first;
  if (first != nullptr) {
    // The list contains at least one span; link it in. The last span in the list doesn't
    // change.
    first->prev = span;
  } else {
    // The list contains no spans, so this is also the last span.
    last = span;
  }
  first = span;
}

// remove takes span, which must be on list, off it.
void mSpanList::remove(mspan *span) {
  if (first == span)
    first = span->next;
  else
    span->prev->next = span->next;
  if (last == span)
    last = span->prev;
  else
    span->next->prev = span->prev;
  span->next = nullptr;
  span->prev = nullptr;
}

// refillAllocCache loads s.allocCache with the complement of the 64 allocation bits of s
// starting at bit whichByte*8.
// Differs from Go: no allocBits are kept. Go sets a bit only when sweeping finds the object
// still reachable; without a GC no span is swept, so every bit is 0 and the complement is all
// ones.
void mspan::refillAllocCache(uintptr_t) { allocCache = ~uint64_t(0); }

// nextFreeIndex returns the index of the next free object in s at or after s.freeindex, or
// s.nelems if there is none, and moves freeindex past it.
uintptr_t mspan::nextFreeIndex() {
  uintptr_t sfreeindex = freeindex;
  uintptr_t snelems = nelems;
  if (sfreeindex == snelems)
    return sfreeindex;
  if (sfreeindex > snelems)
    throw_("s.freeindex > s.nelems");

  // Find the next free bit, loading the cache 64 bits at a time while it has none.
  uint64_t aCache = allocCache;
  int bitIndex = Ctz64(aCache);
  while (bitIndex == 64) {
    sfreeindex = (sfreeindex + 64) & ~uintptr_t(64 - 1);
    if (sfreeindex >= snelems) {
      freeindex = snelems;
      return snelems;
    }
    refillAllocCache(sfreeindex / 8);
    aCache = allocCache;
    bitIndex = Ctz64(aCache);
  }
  uintptr_t result = sfreeindex + uintptr_t(bitIndex);
  if (result >= snelems) {
    freeindex = snelems;
    return snelems;
  }

  allocCache >>= unsigned(bitIndex + 1);
  sfreeindex = result + 1;

  // Every bit of the cache has been used up: load the next 64 for the new freeindex.
  if (sfreeindex % 64 == 0 && sfreeindex != snelems)
    refillAllocCache(sfreeindex / 8);
  freeindex = sfreeindex;
  return result;
}

} // namespace runtime
