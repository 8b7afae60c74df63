// Interface values and itabs (Go: runtime/runtime2.go iface, eface, itab; iface.go).
#ifndef TOY_RUNTIME_IFACE_H
#define TOY_RUNTIME_IFACE_H

#include "alg.h"
#include "type.h"

namespace runtime {

// layout of Itab known to compilers: go.itab.T,I is {inter, _type, hash, _, fun...}.
struct itab {
  interfacetype *inter;
  _type *_type_;
  uint32_t hash; // copy of _type.hash. Used for type switches.
  uint8_t _unused[4];
  uintptr_t fun[1]; // variable sized. fun[0]==0 means _type does not implement inter.
  stringStruct init();
};

struct iface {
  itab *tab;
  void *data;
};

struct eface {
  _type *_type_;
  void *data;
};

itab *getitab(interfacetype *inter, _type *typ, bool canfail);
extern "C" itab *convI2I(interfacetype *dst, itab *src) GOSYM("convI2I");
extern "C" itab *assertE2I(interfacetype *inter, _type *t) GOSYM("assertE2I");
extern "C" iface assertE2I2(interfacetype *inter, _type *t, void *data) GOSYM("assertE2I2");
extern "C" [[noreturn]] void panicdottypeE(_type *have, _type *want, _type *iface)
    GOSYM("panicdottypeE");
extern "C" [[noreturn]] void panicdottypeI(itab *have, _type *want, _type *iface)
    GOSYM("panicdottypeI");
extern "C" void *convT16(uint16_t val) GOSYM("convT16");
extern "C" void *convT32(uint32_t val) GOSYM("convT32");
extern "C" void *convT64(uint64_t val) GOSYM("convT64");
extern "C" void *convTstring(const uint8_t *str, int64_t len) GOSYM("convTstring");
extern "C" void *convTslice(void *array, int64_t len, int64_t cap) GOSYM("convTslice");
extern "C" void *convT(_type *t, const void *v) GOSYM("convT");
extern "C" void *convTnoptr(_type *t, const void *v) GOSYM("convTnoptr");
extern "C" bool efaceeq(_type *t, void *x, void *y) GOSYM("efaceeq");
extern "C" bool ifaceeq(itab *tab, void *x, void *y) GOSYM("ifaceeq");
extern "C" bool nilinterequal(const void *p, const void *q) GOSYM("nilinterequal");
extern "C" bool interequal(const void *p, const void *q) GOSYM("interequal");
extern "C" void printeface(_type *t, void *data) GOSYM("printeface");
extern "C" void printiface(itab *tab, void *data) GOSYM("printiface");

// panic.cpp: the TypeAssertionError panic (interface conversion: ...) and the uncomparable
// comparison's run-time error.
[[noreturn]] void panicTypeAssertion(_type *iface, _type *concrete, _type *asserted,
                                     stringStruct missingMethod);
[[noreturn]] void panicUncomparable(_type *t);
// error.cpp: hashing an interface whose dynamic type has no hash (a map key holding a slice).
[[noreturn]] void panicUnhashable(const _type *t);
// error.cpp
void printpanicval(_type *t, void *data);
void preprintpanics(_panic *p);
[[noreturn]] void preprintPanicked(_panic *p);

} // namespace runtime

#endif
