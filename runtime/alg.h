// Hashing and equality of memory (Go: runtime/alg.go, runtime/hash64.go). The compiler's
// generated type..hash.T and type..eq.T functions call these for the parts of a value they
// do not compare themselves.
#ifndef TOY_RUNTIME_ALG_H
#define TOY_RUNTIME_ALG_H

#include "runtime2.h"

#ifndef GOSYM
#define GOSYM(name) __asm__("runtime." name)
#endif

namespace runtime {

uint32_t fastrand();

// hashkey is the per-process key of the portable memhash (hash64.cpp), aeskeysched that of
// the AES one (aeshash_amd64.S), used when useAeshash; alginit sets hashkey from the kernel's
// random bytes and derives aeskeysched from it (alginitseed from GODEBUG=schedseed when it is
// given).
extern uintptr_t hashkey[4];
constexpr uintptr_t hashRandomBytes = 128; // Go: 64 bytes per 32 bits of pointer
extern "C" alignas(16) uint8_t aeskeysched[hashRandomBytes] GOSYM("aeskeysched");
extern "C" bool useAeshash GOSYM("useAeshash");

extern "C" uintptr_t memhash(const void *p, uintptr_t h, uintptr_t s) GOSYM("memhash");
extern "C" uintptr_t memhash32(const void *p, uintptr_t h) GOSYM("memhash32");
extern "C" uintptr_t memhash64(const void *p, uintptr_t h) GOSYM("memhash64");
extern "C" uintptr_t strhash(const void *p, uintptr_t h) GOSYM("strhash");
extern "C" uintptr_t f32hash(const void *p, uintptr_t h) GOSYM("f32hash");
extern "C" uintptr_t f64hash(const void *p, uintptr_t h) GOSYM("f64hash");
extern "C" bool memequal(const void *a, const void *b, uintptr_t size) GOSYM("memequal");
// interhash and nilinterhash hash an interface value (iface, eface) by its dynamic type's
// algorithm: a map keyed by an interface type uses them, as do generated hashes of structs
// and arrays with interface parts. An uncomparable dynamic type panics.
extern "C" uintptr_t interhash(const void *p, uintptr_t h) GOSYM("interhash");
extern "C" uintptr_t nilinterhash(const void *p, uintptr_t h) GOSYM("nilinterhash");
struct _type;
// typehash hashes the value of type t at p as the compiler's type..hash.T would.
uintptr_t typehash(const _type *t, const void *p, uintptr_t h);
// The portable hashes (hash64.cpp; strhashFallback in alg.cpp), which memhash and the others
// jump to when useAeshash is false.
extern "C" uintptr_t memhashFallback(const void *p, uintptr_t seed, uintptr_t s)
    GOSYM("memhashFallback");
extern "C" uintptr_t memhash32Fallback(const void *p, uintptr_t seed) GOSYM("memhash32Fallback");
extern "C" uintptr_t memhash64Fallback(const void *p, uintptr_t seed) GOSYM("memhash64Fallback");
extern "C" uintptr_t strhashFallback(const void *p, uintptr_t seed) GOSYM("strhashFallback");
void alginit();
void alginitseed(uint64_t seed);
void usePortableHash();
// getRandomData fills r[0:n) from the kernel's AT_RANDOM bytes, extended as Go's extendRandom.
void getRandomData(uint8_t *r, uintptr_t n);

} // namespace runtime

#endif
