// Memory allocator (Go: runtime/malloc.go, runtime/mcache.go, runtime/mheap.go) and the
// memory primitives clang emits calls to (Go: memmove_amd64.s, memclr_amd64.s).
//
// Differs from Go: no GC and no size classes. Each P owns a bump region (p.mcache) that it
// allocates from without locks; an exhausted region is refilled from the heap (mheap_) under
// mheap_.lock, and large objects come from the heap directly. Memory is never freed.
// Fresh mmap memory is zero and is never reused, so mallocgc never has to clear anything.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

void *sysAlloc(uintptr_t n); // mem_linux.cpp

namespace {
constexpr uintptr_t _MaxSmallSize = 32 << 10; // larger objects bypass the mcache
constexpr uintptr_t _PageSize = 8192;
constexpr uintptr_t mcacheRefill = 64 << 10;   // bytes a P takes from the heap at a time
constexpr uintptr_t heapArenaBytes = 64 << 20; // bytes the heap takes from the OS at a time

struct mheap {
  mutex lock;
  uintptr_t next; // bump pointer into the current arena
  uintptr_t end;
};
mheap mheap_;

// mcache0 serves allocations made without a P (bootstrap, Ms without a P), under mheap_.lock.
mcache mcache0;

inline uintptr_t alignUp(uintptr_t n, uintptr_t a) { return (n + a - 1) & ~(a - 1); }
} // namespace

// zerobase is the address returned for all 0-byte allocations.
uintptr_t zerobase;

// heapAlloc carves n bytes (a multiple of 16) from the heap. Must hold mheap_.lock.
static uintptr_t heapAlloc(uintptr_t n) {
  if (n > heapArenaBytes / 4) // huge: its own mapping
    return reinterpret_cast<uintptr_t>(sysAlloc(alignUp(n, _PageSize)));
  if (mheap_.end - mheap_.next < n) {
    // Differs from Go: the rest of the old arena is abandoned (at most a quarter of it).
    mheap_.next = reinterpret_cast<uintptr_t>(sysAlloc(heapArenaBytes));
    mheap_.end = mheap_.next + heapArenaBytes;
  }
  uintptr_t v = mheap_.next;
  mheap_.next += n;
  return v;
}

// nextFree bump-allocates size bytes aligned to align from c, refilling c from the heap when
// it runs out. Large objects skip c. The caller holds c (it owns the P, or holds mheap_.lock
// for mcache0).
static uintptr_t nextFree(mcache *c, uintptr_t size, uintptr_t align, bool locked) {
  uintptr_t v = alignUp(c->next, align);
  if (v + size <= c->end && c->next != 0) {
    c->next = v + size;
    return v;
  }
  if (!locked)
    lock(&mheap_.lock);
  if (size > _MaxSmallSize) {
    v = heapAlloc(alignUp(size, 16));
  } else {
    c->next = heapAlloc(mcacheRefill);
    c->end = c->next + mcacheRefill;
    v = c->next; // 16-aligned: every heap allocation is
    c->next = v + size;
  }
  if (!locked)
    unlock(&mheap_.lock);
  return v;
}

// mallocgc allocates an object of size bytes, zeroed. Objects of 16 bytes or more are 16-byte
// aligned, smaller ones 8-byte aligned (Go's size classes give the same guarantees).
// Differs from Go: mallocgc(size uintptr, typ *_type, needzero bool); toy has no types to
// record and always returns zeroed memory.
void *mallocgc(int64_t size) {
  if (size < 0)
    throw_("mallocgc: negative size");
  if (size == 0)
    return &zerobase;

  // Set mp.mallocing to keep from being preempted by GC.
  m *mp = acquirem();
  if (mp->mallocing != 0)
    throw_("malloc deadlock");
  if (mp->gsignal == getg())
    throw_("malloc during signal");
  mp->mallocing = 1;

  uintptr_t n = alignUp(static_cast<uintptr_t>(size), 8);
  uintptr_t align = n >= 16 ? 16 : 8;
  uintptr_t v;
  if (mp->p != nullptr) {
    v = nextFree(&mp->p->mcache, n, align, false);
  } else {
    lock(&mheap_.lock);
    v = nextFree(&mcache0, n, align, true);
    unlock(&mheap_.lock);
  }

  mp->mallocing = 0;
  releasem(mp);
  return reinterpret_cast<void *>(v);
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
