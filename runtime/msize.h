// Size to size class (Go: runtime/msize.go, and the lookup mallocgc does inline in malloc.go).
// Freestanding and self-contained, so test/unit/malloc_test.cpp compiles it hosted.
#ifndef TOY_RUNTIME_MSIZE_H
#define TOY_RUNTIME_MSIZE_H

#include "sizeclasses.h"

namespace runtime {

constexpr uintptr_t _PageSize = uintptr_t(1) << _PageShift;
constexpr uintptr_t _PageMask = _PageSize - 1;

// divRoundUp returns ceil(n / a) (Go: stubs.go).
constexpr uintptr_t divRoundUp(uintptr_t n, uintptr_t a) { return (n + a - 1) / a; }

// alignUp rounds n up to a multiple of a, a power of 2 (Go: stubs.go).
constexpr uintptr_t alignUp(uintptr_t n, uintptr_t a) { return (n + a - 1) & ~(a - 1); }

// sizeToClass returns the size class of a small object: 0 < size <= _MaxSmallSize.
inline uint8_t sizeToClass(uintptr_t size) {
  if (size <= smallSizeMax - 8)
    return size_to_class8[divRoundUp(size, smallSizeDiv)];
  return size_to_class128[divRoundUp(size - smallSizeMax, largeSizeDiv)];
}

// roundupsize returns the size of the memory block that mallocgc will allocate if you ask for
// size bytes.
inline uintptr_t roundupsize(uintptr_t size) {
  if (size < _MaxSmallSize)
    return class_to_size[sizeToClass(size)];
  if (size + _PageSize < size)
    return size;
  return alignUp(size, _PageSize);
}

} // namespace runtime

#endif
