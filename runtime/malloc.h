// The memory allocator's data structures, shared by malloc.cpp, mcache.cpp, mcentral.cpp,
// mheap.cpp and mfixalloc.cpp (Go: the types of mheap.go, mcentral.go, mcache.go and
// mfixalloc.go). malloc.cpp's header comment gives the design.
#ifndef TOY_RUNTIME_MALLOC_H
#define TOY_RUNTIME_MALLOC_H

#include "msize.h"
#include "stubs.h"

namespace runtime {

// A span class is the size class of the objects in a span; class 0 is a large object's span.
// Differs from Go: Go pairs each size class with a scan and a noscan span class (the low bit)
// so the GC can skip pointer-free spans. toy has no GC, so a span class is a size class.
using spanClass = uint8_t;
constexpr int numSpanClasses = _NumSizeClasses;

// The tiny allocator packs pointer-free objects smaller than maxTinySize into blocks of the
// tinySizeClass.
constexpr uintptr_t maxTinySize = 16;
constexpr spanClass tinySpanClass = 2;

// The heap reserves address space in multiples of heapArenaBytes and maps it in chunks of
// pallocChunkPages pages (Go: malloc.go, mpagealloc.go).
constexpr uintptr_t heapArenaBytes = uintptr_t(64) << 20;
constexpr uintptr_t pallocChunkPages = 512;
// The first arena is asked for at Go's first arena hint, so heap addresses look like Go's.
constexpr uintptr_t arenaBaseHint = uintptr_t(0x00c0) << 32;

// Ctz64 counts trailing zero bits; 64 for 0 (Go: runtime/internal/sys).
inline int Ctz64(uint64_t x) { return x == 0 ? 64 : __builtin_ctzll(x); }

// An mspan is a run of pages: one large object, or nelems objects of one size class.
struct mspan {
  mspan *next; // next span in list, or null
  mspan *prev; // previous span in list, or null

  uintptr_t startAddr; // address of first byte of span aka s.base()
  uintptr_t npages;    // number of pages in span

  // freeindex is the slot index between 0 and nelems at which to start scanning for the next
  // free object in this span: every object below it is allocated.
  uintptr_t freeindex;
  uintptr_t nelems; // number of objects in the span

  // allocCache has a 1 bit for each free object from freeindex on (bit 0 stands for
  // freeindex), so that Ctz64 finds the next one; refillAllocCache loads it 64 objects at a
  // time.
  uint64_t allocCache;

  uint16_t allocCount; // number of allocated objects
  spanClass spanclass; // size class
  uintptr_t elemsize;  // computed from spanclass or from npages
  uintptr_t limit;     // end of data in span

  uintptr_t base() const { return startAddr; }
  void init(uintptr_t base, uintptr_t npages);
  uintptr_t nextFreeIndex();
  void refillAllocCache(uintptr_t whichByte);
};

// mSpanList heads a linked list of spans.
struct mSpanList {
  mspan *first; // first span in list, or null if none
  mspan *last;  // last span in list, or null if none

  bool isEmpty() const { return first == nullptr; }
  void insert(mspan *span);
  void remove(mspan *span);
};

// fixalloc is a free-list allocator for fixed-size off-heap objects (the heap's own mspans and
// mcaches). The caller serialises calls (mheap_.lock).
struct fixalloc {
  struct mlink {
    mlink *next;
  };
  uintptr_t size;
  mlink *list;     // objects given back by free
  uintptr_t chunk; // next unused byte of the current chunk
  uint32_t nchunk; // bytes remaining in current chunk
  uint32_t nalloc; // size of new chunks in bytes
  bool zero;       // zero allocations

  void init(uintptr_t size);
  void *alloc();
  void free(void *p);
};

// Central list of spans of one class with free objects, shared by the Ps' mcaches.
// Differs from Go: Go keeps lock-free spanSets of partial and full spans, each split by sweep
// generation. Without a GC there is nothing to sweep and a full span never gets a free object
// again, so one list of partial spans under a lock is all that is kept.
struct mcentral {
  mutex lock;
  spanClass spanclass;
  mSpanList partial; // spans with a free object, not in any mcache

  void init(spanClass spc);
  mspan *cacheSpan();
  void uncacheSpan(mspan *s);
  mspan *grow();
};

// Main malloc heap: the pages of all spans, and the central lists.
// Differs from Go: no page allocator (mpagealloc.go) and no arena index. Nothing is freed, so
// free pages are always one run: the heap hands out pages in address order from curArena,
// and maps more as it goes (grow).
struct mheap {
  mutex lock;

  // freePage is the first free page; [freePage, curArena.base) is mapped and unused, and
  // [curArena.base, curArena.end) is reserved but not mapped.
  uintptr_t freePage;
  struct {
    uintptr_t base;
    uintptr_t end;
  } curArena;
  uintptr_t heapSys; // bytes of heap memory mapped (Go: memstats.heap_sys)

  // central free lists for small size classes, each padded to its own cache line so the Ps'
  // refills of different classes do not contend.
  struct alignas(64) {
    mcentral mcentral;
  } central[numSpanClasses];

  fixalloc spanalloc;  // allocator for mspan
  fixalloc cachealloc; // allocator for mcache

  void init();
  mspan *alloc(uintptr_t npages, spanClass spanclass);
  void *sysAlloc(uintptr_t n, uintptr_t *size);

private:
  bool grow(uintptr_t npage);
  void initSpan(mspan *s, spanClass spanclass, uintptr_t base, uintptr_t npages);
};
extern mheap mheap_;

// Per-P cache of spans, one per size class, from which the P allocates without locks.
// Differs from Go: no stack cache (stack.cpp keeps its own pools), no allocation statistics
// or GC sampling state.
struct mcache {
  // The tiny allocator's current block and the offset of its first free byte; tiny is 0 when
  // there is no block.
  uintptr_t tiny;
  uintptr_t tinyoffset;

  mspan *alloc[numSpanClasses]; // spans to allocate from, indexed by spanClass

  uintptr_t nextFree(spanClass spc);
  void refill(spanClass spc);
  mspan *allocLarge(uintptr_t size);
  void releaseAll();
};

// emptymspan is a dummy span with no free objects: an mcache's entry for a class it has not
// allocated from yet.
extern mspan emptymspan;

// persistentalloc returns size bytes of off-heap memory that is never freed, aligned to align
// (a power of 2, at most the page size; 0 means 8).
void *persistentalloc(uintptr_t size, uintptr_t align);

// mem_linux.cpp
void *sysAlloc(uintptr_t n);
void *sysReserve(void *v, uintptr_t n);
void sysMap(void *v, uintptr_t n);
void sysFree(void *v, uintptr_t n);

} // namespace runtime

#endif
