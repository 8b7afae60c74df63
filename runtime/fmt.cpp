// What package fmt asks of an interface value's dynamic type: its string, its kind and the
// bits of a value of a basic kind.
// Differs from Go: Go's fmt asks package reflect (reflect.TypeOf(arg).String(),
// reflect.ValueOf(arg).Kind(), Int, Uint, Float, Pointer, ...). Until toy has reflect these
// hooks stand in for the few accessors fmt needs for values of basic kinds and pointers.

#include "iface.h"
#include "stubs.h"
#include "type.h"

namespace runtime {

// fmt.typeString is reflect.TypeOf(a).String(); a is not nil.
extern "C" stringStruct fmt_typeString(_type *t, void *) __asm__("fmt.typeString");
stringStruct fmt_typeString(_type *t, void *) { return t->string(); }

// fmt.kindOf is reflect.ValueOf(a).Kind() (0, Invalid, for nil).
extern "C" int64_t fmt_kindOf(_type *t, void *) __asm__("fmt.kindOf");
int64_t fmt_kindOf(_type *t, void *) { return t == nullptr ? 0 : t->kindOf(); }

// fmt.elemKindOf is reflect.ValueOf(a).Elem().Kind() for a pointer: its element type's kind.
extern "C" int64_t fmt_elemKindOf(_type *t, void *) __asm__("fmt.elemKindOf");
int64_t fmt_elemKindOf(_type *t, void *) { return reinterpret_cast<ptrtype *>(t)->elem->kindOf(); }

// fmt.pointerOf is reflect.ValueOf(a).Pointer() for a pointer, channel, map, func or
// unsafe.Pointer (the word the interface holds) and a slice (its array).
extern "C" uintptr_t fmt_pointerOf(_type *t, void *data) __asm__("fmt.pointerOf");
uintptr_t fmt_pointerOf(_type *t, void *data) {
  if (t->kindOf() == kindSlice)
    return reinterpret_cast<uintptr_t>(static_cast<slice<uint8_t> *>(data)->array);
  if (isDirectIface(t))
    return reinterpret_cast<uintptr_t>(data);
  return *static_cast<uintptr_t *>(data);
}

// fmt.bitsOf is the value of a bool, integer or float: reflect.Value's Int (sign-extended),
// Uint, or Float's bits (a float32 widened to float64).
extern "C" uint64_t fmt_bitsOf(_type *t, void *data) __asm__("fmt.bitsOf");
uint64_t fmt_bitsOf(_type *t, void *data) {
  const void *p = isDirectIface(t) ? &data : data;
  switch (t->kindOf()) {
  case kindBool:
  case kindUint8:
    return *static_cast<const uint8_t *>(p);
  case kindInt8:
    return uint64_t(int64_t(*static_cast<const int8_t *>(p)));
  case kindInt16:
    return uint64_t(int64_t(*static_cast<const int16_t *>(p)));
  case kindUint16:
    return *static_cast<const uint16_t *>(p);
  case kindInt32:
    return uint64_t(int64_t(*static_cast<const int32_t *>(p)));
  case kindUint32:
    return *static_cast<const uint32_t *>(p);
  case kindFloat32: {
    double d = *static_cast<const float *>(p);
    uint64_t u;
    memmove(&u, &d, sizeof u);
    return u;
  }
  default: // int, int64, uint, uint64, uintptr, float64
    return *static_cast<const uint64_t *>(p);
  }
}

// fmt.stringOf is reflect.Value.String of a value of kind string.
extern "C" stringStruct fmt_stringOf(_type *, void *data) __asm__("fmt.stringOf");
stringStruct fmt_stringOf(_type *, void *data) { return *static_cast<stringStruct *>(data); }

} // namespace runtime
