// Hash and equality algorithms (Go: runtime/alg.go).

#include "alg.h"

namespace runtime {

// Differs from Go: no AES hashing (Go uses AESENC when the CPU has AES, SSSE3 and SSE4.1);
// every hash is hash64.cpp's portable memhashFallback, keyed by hashkey.
uintptr_t hashkey[4];

namespace {
// c0 and c1 are Go's constants for hashing the float zeros and NaNs (64-bit values).
constexpr uintptr_t c0 = 33054211828000289ull;
constexpr uintptr_t c1 = 23344194077549503ull;
} // namespace

uintptr_t memhash(const void *p, uintptr_t h, uintptr_t s) { return memhashFallback(p, h, s); }
uintptr_t memhash32(const void *p, uintptr_t h) { return memhash32Fallback(p, h); }
uintptr_t memhash64(const void *p, uintptr_t h) { return memhash64Fallback(p, h); }

uintptr_t strhash(const void *p, uintptr_t h) {
  auto *s = static_cast<const stringStruct *>(p);
  return memhash(s->str, h, static_cast<uintptr_t>(s->len));
}

// f32hash and f64hash hash +0 and -0 alike (they are ==), and each NaN differently (NaN !=
// NaN, so a NaN key can never be found again; random hashes spread them over the buckets).
uintptr_t f32hash(const void *p, uintptr_t h) {
  float f = *static_cast<const float *>(p);
  if (f == 0)
    return c1 * (c0 ^ h);
  if (f != f)
    return c1 * (c0 ^ h ^ uintptr_t(fastrand()));
  return memhash(p, h, 4);
}

uintptr_t f64hash(const void *p, uintptr_t h) {
  double f = *static_cast<const double *>(p);
  if (f == 0)
    return c1 * (c0 ^ h);
  if (f != f)
    return c1 * (c0 ^ h ^ uintptr_t(fastrand()));
  return memhash(p, h, 8);
}

bool memequal(const void *a, const void *b, uintptr_t size) {
  if (a == b)
    return true;
  return __builtin_memcmp(a, b, size) == 0;
}

// alginit keys memhash. Called from schedinit before anything hashes.
void alginit() {
  getRandomData(reinterpret_cast<uint8_t *>(hashkey), sizeof hashkey);
  hashkey[0] |= 1; // make sure these numbers are odd
  hashkey[1] |= 1;
  hashkey[2] |= 1;
  hashkey[3] |= 1;
}

// alginitseed re-keys memhash from GODEBUG=schedseed's seed. Called from schedinit right
// after parsedebugvars, before anything has hashed.
//
// Differs from Go: Go keys memhash from AT_RANDOM alone. A map's buckets are placed by the
// hash and its iteration starts at a fastrand position, so with a key the seed did not fix,
// a seeded run would still range over its maps in a new order each time.
void alginitseed(uint64_t seed) {
  for (uintptr_t &k : hashkey) {
    // wyrand's step, as fastrand: a different word of the seed's stream per key.
    seed += 0xa0761d6478bd642full;
    __uint128_t x = static_cast<__uint128_t>(seed) * (seed ^ 0xe7037ed1a0b428dbull);
    k = (static_cast<uint64_t>(x >> 64) ^ static_cast<uint64_t>(x)) | 1; // odd, as alginit's
  }
}

} // namespace runtime
