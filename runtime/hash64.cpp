// The portable 64-bit memory hash (Go: runtime/hash64.go), a wyhash-style function: each
// step multiplies two 64-bit words into 128 bits and folds the halves together (mix).

#include "alg.h"

namespace runtime {

namespace {
constexpr uint64_t m1 = 0xa0761d6478bd642f;
constexpr uint64_t m2 = 0xe7037ed1a0b428db;
constexpr uint64_t m3 = 0x8ebc6af09c88c6e3;
constexpr uint64_t m4 = 0x589965cc75374cc3;
constexpr uint64_t m5 = 0x1d8e4e27c47d124f;

inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t x = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(x >> 64) ^ static_cast<uint64_t>(x);
}

// r4 and r8 read 4 and 8 little-endian bytes at any alignment.
inline uint64_t r4(const uint8_t *p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
inline uint64_t r8(const uint8_t *p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);
  return v;
}
} // namespace

uintptr_t memhashFallback(const void *ptr, uintptr_t seed, uintptr_t s) {
  auto *p = static_cast<const uint8_t *>(ptr);
  uint64_t a, b;
  seed ^= hashkey[0] ^ m1;
  if (s == 0)
    return seed;
  if (s < 4) {
    // The first, middle and last bytes (some the same byte for s < 3).
    a = uint64_t(p[0]) | uint64_t(p[s >> 1]) << 8 | uint64_t(p[s - 1]) << 16;
    b = 0;
  } else if (s == 4) {
    a = b = r4(p);
  } else if (s < 8) {
    a = r4(p);
    b = r4(p + s - 4);
  } else if (s == 8) {
    a = b = r8(p);
  } else if (s <= 16) {
    a = r8(p);
    b = r8(p + s - 8);
  } else {
    uintptr_t l = s;
    if (l > 48) {
      // Three independent lanes over 48-byte blocks.
      uint64_t seed1 = seed, seed2 = seed;
      for (; l > 48; l -= 48) {
        seed = mix(r8(p) ^ m2, r8(p + 8) ^ seed);
        seed1 = mix(r8(p + 16) ^ m3, r8(p + 24) ^ seed1);
        seed2 = mix(r8(p + 32) ^ m4, r8(p + 40) ^ seed2);
        p += 48;
      }
      seed ^= seed1 ^ seed2;
    }
    for (; l > 16; l -= 16) {
      seed = mix(r8(p) ^ m2, r8(p + 8) ^ seed);
      p += 16;
    }
    // The last 16 bytes, overlapping what the loops took when l < 16.
    a = r8(p + l - 16);
    b = r8(p + l - 8);
  }
  return mix(m5 ^ s, mix(a ^ m2, b ^ seed));
}

uintptr_t memhash32Fallback(const void *p, uintptr_t seed) {
  uint64_t a = r4(static_cast<const uint8_t *>(p));
  return mix(m5 ^ 4, mix(a ^ m2, a ^ seed ^ hashkey[0] ^ m1));
}

uintptr_t memhash64Fallback(const void *p, uintptr_t seed) {
  uint64_t a = r8(static_cast<const uint8_t *>(p));
  return mix(m5 ^ 8, mix(a ^ m2, a ^ seed ^ hashkey[0] ^ m1));
}

} // namespace runtime
