// Slices (Go: runtime/slice.go): make and append's growth.
//
// Differs from Go: no type descriptors yet, so the element size is passed instead of *_type,
// and growslice returns the new array and capacity (the caller keeps the length).

#include "msize.h"
#include "stubs.h"

namespace runtime {

namespace {
// The largest allocation Go allows on linux/amd64 (malloc.go's maxAlloc: 1 << heapAddrBits).
constexpr uintptr_t maxAlloc = uintptr_t(1) << 48;

// mulUintptr returns a * b and whether it overflowed (runtime/internal/math.MulUintptr).
uintptr_t mulUintptr(uintptr_t a, uintptr_t b, bool *overflow) {
  uintptr_t r;
  *overflow = __builtin_mul_overflow(a, b, &r);
  return r;
}

[[noreturn]] void panicmakeslicelen() { panicmsg("runtime error: makeslice: len out of range"); }
[[noreturn]] void panicmakeslicecap() { panicmsg("runtime error: makeslice: cap out of range"); }
} // namespace

// makeslice allocates the zeroed array of make([]T, len, cap).
void *makeslice(uintptr_t elemsize, int64_t len, int64_t cap) {
  bool overflow;
  uintptr_t mem = mulUintptr(elemsize, uintptr_t(cap), &overflow);
  if (overflow || mem > maxAlloc || len < 0 || len > cap) {
    // Go reports 'len out of range' when the length alone is too large, as make([]T, huge)
    // gives no explicit capacity.
    mem = mulUintptr(elemsize, uintptr_t(len), &overflow);
    if (overflow || mem > maxAlloc || len < 0)
      panicmakeslicelen();
    panicmakeslicecap();
  }
  return mallocgc(mem, nullptr, true);
}

// growslice allocates a new array for append when the slice (p, len, oldcap) needs capacity
// for newcap elements, copies the old elements, and returns it with its capacity. Growth is
// Go 1.19's: double below 256 elements, then by (newcap + 3*256) / 4 until it suffices;
// the capacity then fills the allocator's size class (roundupsize).
sliceGrowth growslice(const void *p, int64_t len, int64_t oldcap, int64_t cap,
                      uintptr_t elemsize) {
  if (cap < oldcap)
    panicmsg("runtime error: growslice: invalid argument");
  int64_t newcap = oldcap;
  int64_t doublecap = newcap + newcap;
  if (cap > doublecap) {
    newcap = cap;
  } else {
    constexpr int64_t threshold = 256;
    if (oldcap < threshold) {
      newcap = doublecap;
    } else {
      // Check 0 < newcap to detect overflow and prevent an infinite loop.
      while (0 < newcap && newcap < cap)
        newcap += (newcap + 3 * threshold) / 4;
      if (newcap <= 0)
        newcap = cap;
    }
  }
  // Differs from Go: zero-size elements get a null array, not &zerobase.
  if (elemsize == 0)
    return sliceGrowth{nullptr, cap};
  bool overflow;
  uintptr_t capmem = mulUintptr(elemsize, uintptr_t(newcap), &overflow);
  if (overflow || capmem > maxAlloc)
    panicmsg("runtime error: growslice: cap out of range");
  capmem = roundupsize(capmem);
  newcap = int64_t(capmem / elemsize);
  capmem = uintptr_t(newcap) * elemsize;
  void *np = mallocgc(capmem, nullptr, true);
  memmove(np, p, size_t(len) * elemsize);
  return sliceGrowth{np, newcap};
}

} // namespace runtime
