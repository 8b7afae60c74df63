// Hash and equality algorithms (Go: runtime/alg.go).

#include "alg.h"
#include "iface.h"
#include "type.h"

namespace runtime {

// memhash, memhash32, memhash64 and strhash are aeshash_amd64.S's: AES rounds keyed by
// aeskeysched when useAeshash, else hash64.cpp's portable functions keyed by hashkey. alginit
// fills both keys whichever it chooses, so GODEBUG=aeshash=0 can still pick the portable hash
// after it ran.
uintptr_t hashkey[4];
alignas(16) uint8_t aeskeysched[hashRandomBytes];
bool useAeshash;

namespace {
// c0 and c1 are Go's constants for hashing the float zeros and NaNs (64-bit values).
constexpr uintptr_t c0 = 33054211828000289ull;
constexpr uintptr_t c1 = 23344194077549503ull;
} // namespace

uintptr_t strhashFallback(const void *p, uintptr_t h) {
  auto *s = static_cast<const stringStruct *>(p);
  return memhashFallback(s->str, h, static_cast<uintptr_t>(s->len));
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

// interhash: a nil interface hashes to the seed; else the dynamic type's hash of the data
// word's value (of the word itself for a pointer-shaped type).
uintptr_t interhash(const void *p, uintptr_t h) {
  auto *a = static_cast<const iface *>(p);
  itab *tab = a->tab;
  if (tab == nullptr)
    return h;
  _type *t = tab->_type_;
  if (t->equal == nullptr) // reported here to name the topmost type, not a part of it
    panicUnhashable(t);
  if (isDirectIface(t))
    return c1 * typehash(t, &a->data, h ^ c0);
  return c1 * typehash(t, a->data, h ^ c0);
}

uintptr_t nilinterhash(const void *p, uintptr_t h) {
  auto *a = static_cast<const eface *>(p);
  _type *t = a->_type_;
  if (t == nullptr)
    return h;
  if (t->equal == nullptr)
    panicUnhashable(t);
  if (isDirectIface(t))
    return c1 * typehash(t, &a->data, h ^ c0);
  return c1 * typehash(t, a->data, h ^ c0);
}

// typehash walks t's descriptor as the compiler's type..hash.T walks the type: plain memory
// in one piece, floats, strings and interfaces by their functions, arrays and structs part by
// part (blank fields do not take part in ==).
uintptr_t typehash(const _type *t, const void *p, uintptr_t h) {
  if (t->tflag_ & tflagRegularMemory) {
    // Pointer sizes specially, as the compiler's hashes do.
    switch (t->size) {
    case 4:
      return memhash32(p, h);
    case 8:
      return memhash64(p, h);
    default:
      return memhash(p, h, t->size);
    }
  }
  switch (t->kindOf()) {
  case kindFloat32:
    return f32hash(p, h);
  case kindFloat64:
    return f64hash(p, h);
  case kindString:
    return strhash(p, h);
  case kindInterface: {
    auto *i = reinterpret_cast<const interfacetype *>(t);
    return i->mhdr.len == 0 ? nilinterhash(p, h) : interhash(p, h);
  }
  case kindArray: {
    auto *a = reinterpret_cast<const arraytype *>(t);
    for (uintptr_t i = 0; i < a->len; i++)
      h = typehash(a->elem, static_cast<const uint8_t *>(p) + i * a->elem->size, h);
    return h;
  }
  case kindStruct: {
    auto *s = reinterpret_cast<const structtype *>(t);
    for (int64_t i = 0; i < s->fields.len; i++) {
      const structfield &f = s->fields.array[i];
      stringStruct n = name{f.name}.str();
      if (n.len == 1 && n.str[0] == '_')
        continue;
      h = typehash(f.typ, static_cast<const uint8_t *>(p) + f.offset, h);
    }
    return h;
  }
  default:
    // Only comparable types reach here; interhash checked the topmost one.
    panicUnhashable(t);
  }
}

bool memequal(const void *a, const void *b, uintptr_t size) {
  if (a == b)
    return true;
  return __builtin_memcmp(a, b, size) == 0;
}

// cpuHasAeshash reports whether the CPU has what aeshashbody uses (Go: internal/cpu's
// X86.HasAES, HasSSSE3, HasSSE41): CPUID leaf 1's ECX bits 25 (AESENC), 9 (PSHUFB) and 19
// (PINSRD, PINSRQ).
bool cpuHasAeshash() {
  uint32_t maxID, ebx, ecx, edx;
  __asm__("cpuid" : "=a"(maxID), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0), "c"(0));
  if (maxID < 1)
    return false;
  uint32_t eax;
  __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(1), "c"(0));
  constexpr uint32_t aes = 1u << 25, ssse3 = 1u << 9, sse41 = 1u << 19;
  return (ecx & (aes | ssse3 | sse41)) == (aes | ssse3 | sse41);
}

namespace {
// wyrand's step, as fastrand's: the next word of the stream that *state seeds.
uint64_t wyrandNext(uint64_t *state) {
  *state += 0xa0761d6478bd642full;
  __uint128_t x = static_cast<__uint128_t>(*state) * (*state ^ 0xe7037ed1a0b428dbull);
  return static_cast<uint64_t>(x >> 64) ^ static_cast<uint64_t>(x);
}

// fillaeskeysched derives the AES key, word by word, from the four random words of hashkey.
void fillaeskeysched() {
  for (uintptr_t i = 0; i < sizeof aeskeysched; i += 8) {
    uint64_t state = hashkey[(i / 8) % 4] + i;
    uint64_t w = wyrandNext(&state);
    __builtin_memcpy(aeskeysched + i, &w, 8);
  }
}
} // namespace

// alginit chooses and keys memhash: the AES hash when the CPU has the instructions. Called
// from schedinit before anything hashes (and again by startsim, on the seed's random bytes).
//
// Differs from Go: Go fills only the key of the hash it chose, aeskeysched with 128 random
// bytes. Here both keys are filled, so that GODEBUG=aeshash=0, read later by parsedebugvars,
// can turn to the portable hash (usePortableHash); and only hashkey's 32 bytes are drawn,
// aeskeysched being derived from them, so that the random bytes a simulation's seed gives
// the scheduler after alginit (sim.cpp's simrandom) are the same whichever hash runs.
void alginit() {
  useAeshash = cpuHasAeshash();
  getRandomData(reinterpret_cast<uint8_t *>(hashkey), sizeof hashkey);
  hashkey[0] |= 1; // make sure these numbers are odd
  hashkey[1] |= 1;
  hashkey[2] |= 1;
  hashkey[3] |= 1;
  fillaeskeysched();
}

// usePortableHash turns the AES hash off for GODEBUG=aeshash=0 (toy's knob, which keeps the
// portable hash tested on CPUs that have AES). Called from schedinit right after
// parsedebugvars, before anything has hashed.
void usePortableHash() { useAeshash = false; }

// alginitseed re-keys memhash from GODEBUG=schedseed's seed. Called from schedinit right
// after parsedebugvars, before anything has hashed.
//
// Differs from Go: Go keys memhash from AT_RANDOM alone. A map's buckets are placed by the
// hash and its iteration starts at a fastrand position, so with a key the seed did not fix,
// a seeded run would still range over its maps in a new order each time.
void alginitseed(uint64_t seed) {
  // A different word of the seed's stream per key word.
  for (uintptr_t &k : hashkey)
    k = wyrandNext(&seed) | 1; // odd, as alginit's
  fillaeskeysched();
}

} // namespace runtime
