// Memory allocator (Go: runtime/malloc.go) and the memory primitives clang emits calls to (Go:
// memmove_amd64.s, memclr_amd64.s).
//
// The allocator is Go's without the garbage collector. A small object (up to _MaxSmallSize
// bytes) is rounded up to one of Go's size classes (sizeclasses.h) and carved from a span of
// that class: a run of pages cut into equal slots. Each P's mcache holds one span per class, so
// the common case takes no lock (mallocgc, nextFreeFast). When the span is full, the mcache
// swaps it for one with free slots from the class's mcentral (mcache.cpp, mcentral.cpp), which
// gets new spans from the heap, mheap_ (mheap.cpp). A large object gets a span of its own
// straight from the heap. The heap reserves address space from the OS one 64 MiB arena at a
// time and maps it in 4 MiB chunks as spans need it; the mspan and mcache structs themselves
// live off the heap (mfixalloc.cpp, persistentalloc).
//
// Differs from Go: no object is ever freed, as no garbage collector finds what is unreachable:
// a program's heap only grows. So there is no sweeping, no GC metadata (heap bitmaps, mark
// bits, specials), no statistics or profiling samples, and every object is fresh memory from
// the OS, which is zero: mallocgc never has to clear anything. The allocator runs on the
// caller's stack (Go switches to the system stack so that its stacks can move; toy's do not).

#include "malloc.h"

namespace runtime {

mheap mheap_;

// mcache0 serves allocations made while bootstrapping, before the first P exists (mallocinit
// makes it); procresize hands it to allp[0] and clears it.
mcache *mcache0;

// zerobase is the address returned for all 0-byte allocations.
uintptr_t zerobase;

void mallocinit() {
  if (class_to_size[tinySpanClass] != maxTinySize)
    throw_("bad TinySizeClass");
  // Initialize the heap.
  mheap_.init();
  mcache0 = allocmcache();
}

// sysAlloc reserves address space for at least n more bytes of heap: a whole number of arenas,
// asked for right after the current one so that the heap usually stays contiguous. It returns
// the region and its size in *size, or null if the OS refuses. Must hold h.lock.
void *mheap::sysAlloc(uintptr_t n, uintptr_t *size) {
  uintptr_t asize = alignUp(n, heapArenaBytes);
  if (asize < n)
    return nullptr; // no such region
  void *v = sysReserve(reinterpret_cast<void *>(curArena.end), asize);
  if (v == nullptr)
    return nullptr;
  *size = asize;
  return v;
}

// persistentalloc's current chunk (Go: globalAlloc).
// Differs from Go: one chunk for all Ms under a lock, not one per P: the only caller is
// fixalloc, whose callers hold mheap_.lock anyway.
namespace {
constexpr uintptr_t persistentChunkSize = 256 << 10;
struct {
  mutex lock;
  uintptr_t base;
  uintptr_t off;
} persistent;
} // namespace

void *persistentalloc(uintptr_t size, uintptr_t align) {
  constexpr uintptr_t maxBlock = 64 << 10;
  if (size == 0)
    throw_("persistentalloc: size == 0");
  if (align != 0) {
    if ((align & (align - 1)) != 0)
      throw_("persistentalloc: align is not a power of 2");
    if (align > _PageSize)
      throw_("persistentalloc: align is too large");
  } else {
    align = 8;
  }
  if (size >= maxBlock)
    return sysAlloc(size);

  lock(&persistent.lock);
  persistent.off = alignUp(persistent.off, align);
  if (persistent.off + size > persistentChunkSize || persistent.base == 0) {
    persistent.base = reinterpret_cast<uintptr_t>(sysAlloc(persistentChunkSize));
    persistent.off = 0;
  }
  uintptr_t p = persistent.base + persistent.off;
  persistent.off += size;
  unlock(&persistent.lock);
  return reinterpret_cast<void *>(p);
}

// nextFreeFast returns the next free object if one is quickly available: the next set bit of
// s.allocCache, when it is not the last bit of the cache. Otherwise it returns 0.
static inline uintptr_t nextFreeFast(mspan *s) {
  int theBit = Ctz64(s->allocCache); // Is there a free object in the allocCache?
  if (theBit < 64) {
    uintptr_t result = s->freeindex + uintptr_t(theBit);
    if (result < s->nelems) {
      uintptr_t freeidx = result + 1;
      if (freeidx % 64 == 0 && freeidx != s->nelems)
        return 0;
      s->allocCache >>= unsigned(theBit + 1);
      s->freeindex = freeidx;
      s->allocCount++;
      return result * s->elemsize + s->base();
    }
  }
  return 0;
}

// nextFree returns the next free object from the cached span if one is available. Otherwise
// it refills the cache with a span with an available object and returns that object.
//
// Must run in a non-preemptible context since otherwise the owner of c could change.
uintptr_t mcache::nextFree(spanClass spc) {
  mspan *s = alloc[spc];
  uintptr_t freeIndex = s->nextFreeIndex();
  if (freeIndex == s->nelems) {
    // The span is full.
    if (s->allocCount != s->nelems) {
      print("runtime: s.allocCount= ", s->allocCount, " s.nelems= ", s->nelems, "\n");
      throw_("s.allocCount != s.nelems && freeIndex == s.nelems");
    }
    refill(spc);
    s = alloc[spc];
    freeIndex = s->nextFreeIndex();
  }
  if (freeIndex >= s->nelems)
    throw_("freeIndex is not valid");

  uintptr_t v = freeIndex * s->elemsize + s->base();
  s->allocCount++;
  if (s->allocCount > s->nelems) {
    print("s.allocCount= ", s->allocCount, " s.nelems= ", s->nelems, "\n");
    throw_("s.allocCount > s.nelems");
  }
  return v;
}

// getMCache returns the current M's P's mcache, mcache0 while bootstrapping, or null.
// The caller's P must not change, so it must be non-preemptible.
static inline mcache *getMCache(m *mp) {
  if (mp->p == nullptr)
    return mcache0;
  return mp->p->mcache;
}

// mallocgc allocates an object of size bytes. Small objects are allocated from the per-P
// cache's spans; large objects (> 32 kB) are allocated straight from the heap. Objects of a
// size class are aligned to the largest power of 2 dividing the class size (at most 8 KiB);
// tiny objects to 8, 4 or 2 bytes as their size allows; large objects to a page.
//
// Differs from Go: toy has no type descriptors yet. The compiler passes typ = null, which Go
// too reads as "no pointers", so every object is noscan and may come from the tiny allocator;
// and no memory is ever reused, so the memory is zero whatever needzero says.
void *mallocgc(uintptr_t size, _type *, bool) {
  if (size == 0)
    return &zerobase;

  // acquirem keeps the P (and so c) ours; mallocing catches a malloc from within malloc.
  m *mp = acquirem();
  if (mp->mallocing != 0)
    throw_("malloc deadlock");
  if (mp->gsignal == getg())
    throw_("malloc during signal");
  mp->mallocing = 1;

  mcache *c = getMCache(mp);
  if (c == nullptr)
    throw_("mallocgc called without a P or outside bootstrapping");
  uintptr_t x;
  if (size <= _MaxSmallSize) {
    if (size < maxTinySize) {
      // Tiny allocator: several tiny objects share one maxTinySize block, each aligned as its
      // size allows. It serves pointer-free objects only (all of toy's, for now), whose block
      // a GC could free when none of them is reachable.
      uintptr_t off = c->tinyoffset;
      if ((size & 7) == 0)
        off = alignUp(off, 8);
      else if ((size & 3) == 0)
        off = alignUp(off, 4);
      else if ((size & 1) == 0)
        off = alignUp(off, 2);
      if (off + size <= maxTinySize && c->tiny != 0) {
        // The object fits into existing tiny block.
        x = c->tiny + off;
        c->tinyoffset = off + size;
        mp->mallocing = 0;
        releasem(mp);
        return reinterpret_cast<void *>(x);
      }
      // Allocate a new maxTinySize block.
      x = nextFreeFast(c->alloc[tinySpanClass]);
      if (x == 0)
        x = c->nextFree(tinySpanClass);
      // See if we need to replace the existing tiny block with the new one based on amount of
      // remaining free space.
      if (size < c->tinyoffset || c->tiny == 0) {
        c->tiny = x;
        c->tinyoffset = size;
      }
    } else {
      spanClass spc = sizeToClass(size);
      x = nextFreeFast(c->alloc[spc]);
      if (x == 0)
        x = c->nextFree(spc);
    }
  } else {
    mspan *span = c->allocLarge(size);
    span->freeindex = 1;
    span->allocCount = 1;
    x = span->base();
  }

  mp->mallocing = 0;
  releasem(mp);
  return reinterpret_cast<void *>(x);
}

void memclrNoHeapPointers(void *p, uintptr_t n) { memset(p, 0, n); }

} // namespace runtime

// The memory primitives. no_builtin keeps clang from recognising these loops as memcpy/memset
// and compiling them into calls to themselves.
extern "C" {

__attribute__((no_builtin)) void *memmove(void *dst, const void *src, size_t n) {
  auto *d = static_cast<unsigned char *>(dst);
  auto *s = static_cast<const unsigned char *>(src);
  if (d == s || n == 0)
    return dst;
  if (d < s || d >= s + n) {
    size_t i = 0;
    // Word at a time where both are aligned alike; the copy is forward, so an overlapping
    // destination below the source is safe.
    if (((reinterpret_cast<uintptr_t>(d) ^ reinterpret_cast<uintptr_t>(s)) & 7) == 0) {
      while (i < n && (reinterpret_cast<uintptr_t>(d + i) & 7) != 0) {
        d[i] = s[i];
        i++;
      }
      for (; i + 8 <= n; i += 8)
        *reinterpret_cast<uint64_t *>(d + i) = *reinterpret_cast<const uint64_t *>(s + i);
    }
    for (; i < n; i++)
      d[i] = s[i];
  } else {
    // Overlapping with the destination above the source: copy backward.
    for (size_t i = n; i > 0; i--)
      d[i - 1] = s[i - 1];
  }
  return dst;
}

__attribute__((no_builtin)) void *memcpy(void *dst, const void *src, size_t n) {
  return memmove(dst, src, n);
}

__attribute__((no_builtin)) void *memset(void *dst, int c, size_t n) {
  auto *d = static_cast<unsigned char *>(dst);
  size_t i = 0;
  uint64_t w = 0x0101010101010101ull * static_cast<unsigned char>(c);
  while (i < n && (reinterpret_cast<uintptr_t>(d + i) & 7) != 0)
    d[i++] = static_cast<unsigned char>(c);
  for (; i + 8 <= n; i += 8)
    *reinterpret_cast<uint64_t *>(d + i) = w;
  for (; i < n; i++)
    d[i] = static_cast<unsigned char>(c);
  return dst;
}

__attribute__((no_builtin)) int memcmp(const void *a, const void *b, size_t n) {
  auto *x = static_cast<const unsigned char *>(a);
  auto *y = static_cast<const unsigned char *>(b);
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i])
      return x[i] < y[i] ? -1 : 1;
  return 0;
}

} // extern "C"
