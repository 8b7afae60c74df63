// Printing panic values and the interface conversion errors (Go: runtime/error.go:
// printpanicval, printanycustomtype, TypeAssertionError; panic.go: preprintpanics).
#include "iface.h"

#include "stubs.h"

namespace runtime {

namespace {

bool hasDot(stringStruct s) {
  for (int64_t i = 0; i < s.len; i++)
    if (s.str[i] == '.')
      return true;
  return false;
}

bool strEq(stringStruct a, const char *b) {
  int64_t n = 0;
  while (b[n])
    n++;
  return a.len == n && memequal(a.str, b, uintptr_t(n));
}

// stringMethod is the code of t's method `name` of type func() string, or null.
void *stringMethod(_type *t, const char *mname) {
  uncommontype *x = t->uncommon();
  if (!x)
    return nullptr;
  method *ms = x->methods();
  for (uint16_t i = 0; i < x->mcount; i++)
    if (strEq(name{ms[i].name}.str(), mname) && strEq(ms[i].mtyp->string(), "func() string"))
      return ms[i].ifn;
  return nullptr;
}

stringStruct cstr(const char *s) {
  int64_t n = 0;
  while (s[n])
    n++;
  return stringStruct{reinterpret_cast<const uint8_t *>(s), n};
}

// printanycustomtype prints a value of a defined basic type as main.C(5), and any other as
// its type and data word, (main.T) 0xc000012345.
void printanycustomtype(_type *t, void *data) {
  stringStruct ts = t->string();
  switch (t->kindOf()) {
  case kindBool:
    print(ts, "(", *static_cast<bool *>(data), ")");
    return;
  case kindInt:
  case kindInt64:
    print(ts, "(", *static_cast<int64_t *>(data), ")");
    return;
  case kindInt8:
    print(ts, "(", int64_t(*static_cast<int8_t *>(data)), ")");
    return;
  case kindInt16:
    print(ts, "(", int64_t(*static_cast<int16_t *>(data)), ")");
    return;
  case kindInt32:
    print(ts, "(", int64_t(*static_cast<int32_t *>(data)), ")");
    return;
  case kindUint:
  case kindUint64:
  case kindUintptr:
    print(ts, "(", *static_cast<uint64_t *>(data), ")");
    return;
  case kindUint8:
    print(ts, "(", uint64_t(*static_cast<uint8_t *>(data)), ")");
    return;
  case kindUint16:
    print(ts, "(", uint64_t(*static_cast<uint16_t *>(data)), ")");
    return;
  case kindUint32:
    print(ts, "(", uint64_t(*static_cast<uint32_t *>(data)), ")");
    return;
  case kindFloat32:
    print(ts, "(");
    printfloat(*static_cast<float *>(data));
    print(")");
    return;
  case kindFloat64:
    print(ts, "(");
    printfloat(*static_cast<double *>(data));
    print(")");
    return;
  case kindString:
    print(ts, "(\"", *static_cast<stringStruct *>(data), "\")");
    return;
  default:
    print("(", ts, ") ", static_cast<const void *>(data));
  }
}

} // namespace

// printpanicval prints an argument passed to panic: a value of a predeclared basic type as
// print does, any other through printanycustomtype.
void printpanicval(_type *t, void *data) {
  if (!t) {
    print("nil");
    return;
  }
  if (hasDot(t->string())) {
    printanycustomtype(t, data);
    return;
  }
  switch (t->kindOf()) {
  case kindBool:
    print(*static_cast<bool *>(data));
    return;
  case kindString:
    print(*static_cast<stringStruct *>(data));
    return;
  case kindFloat32:
    printfloat(*static_cast<float *>(data));
    return;
  case kindFloat64:
    printfloat(*static_cast<double *>(data));
    return;
  case kindInt:
  case kindInt64:
    print(*static_cast<int64_t *>(data));
    return;
  case kindInt8:
    print(int64_t(*static_cast<int8_t *>(data)));
    return;
  case kindInt16:
    print(int64_t(*static_cast<int16_t *>(data)));
    return;
  case kindInt32:
    print(int64_t(*static_cast<int32_t *>(data)));
    return;
  case kindUint:
  case kindUint64:
  case kindUintptr:
    print(*static_cast<uint64_t *>(data));
    return;
  case kindUint8:
    print(uint64_t(*static_cast<uint8_t *>(data)));
    return;
  case kindUint16:
    print(uint64_t(*static_cast<uint16_t *>(data)));
    return;
  case kindUint32:
    print(uint64_t(*static_cast<uint32_t *>(data)));
    return;
  default:
    printanycustomtype(t, data);
  }
}

// preprintpanics turns error and Stringer panic values into their Error() and String()
// text, calling them before fatalpanic stops the world (Go: panic.go preprintpanics).
// A panic that escapes one of those methods ends the program with Go's throw (Go's deferred
// recover in preprintpanics; toy's gopanic checks g.preprinting: preprintPanicked).
void preprintpanics(_panic *p) {
  getg()->preprinting = true;
  for (; p; p = p->link) {
    if (!p->isValue || !p->argtype)
      continue;
    void *fn = stringMethod(p->argtype, "Error");
    if (!fn)
      fn = stringMethod(p->argtype, "String");
    if (!fn)
      continue;
    p->msg = reinterpret_cast<stringStruct (*)(void *)>(fn)(p->argdata);
    p->isValue = false;
  }
  getg()->preprinting = false;
}

// preprintPanicked is what the deferred call in Go's preprintpanics does when it recovers p, a
// panic raised by an Error or String method that preprintpanics called.
// Differs from Go: a run-time error (toy keeps only its text) is named runtime.Error, where
// Go names its concrete type (runtime.boundsError, ...).
void preprintPanicked(_panic *p) {
  stringStruct parts[3] = {cstr("panic while printing panic value"), cstr(": type "),
                           cstr("runtime.Error")};
  if (p->isValue && p->argtype != nullptr && p->argtype->kindOf() == kindString &&
      !hasDot(p->argtype->string())) {
    parts[1] = cstr(": ");
    parts[2] = *static_cast<stringStruct *>(p->argdata);
  } else if (p->isValue && p->argtype != nullptr) {
    parts[2] = p->argtype->string();
  }
  stringStruct text = concatstrings(parts, 3);
  gothrow(text.str, text.len);
}

// panicTypeAssertion panics with a TypeAssertionError's text.
void panicTypeAssertion(_type *iface, _type *concrete, _type *asserted,
                        stringStruct missingMethod) {
  stringStruct inter = iface ? iface->string() : cstr("interface");
  stringStruct as = asserted->string();
  stringStruct parts[8];
  int n = 0;
  parts[n++] = cstr("interface conversion: ");
  if (!concrete) {
    parts[n++] = inter;
    parts[n++] = cstr(" is nil, not ");
    parts[n++] = as;
  } else if (missingMethod.len == 0) {
    stringStruct cs = concrete->string();
    parts[n++] = inter;
    parts[n++] = cstr(" is ");
    parts[n++] = cs;
    parts[n++] = cstr(", not ");
    parts[n++] = as;
    if (cs.len == as.len && memequal(cs.str, as.str, uintptr_t(cs.len)))
      parts[n++] = cstr(" (types from different packages)");
  } else {
    parts[n++] = concrete->string();
    parts[n++] = cstr(" is not ");
    parts[n++] = as;
    parts[n++] = cstr(": missing method ");
    parts[n++] = missingMethod;
  }
  panicmsg(concatstrings(parts, n));
}

void panicUncomparable(_type *t) {
  stringStruct parts[2] = {cstr("runtime error: comparing uncomparable type "), t->string()};
  panicmsg(concatstrings(parts, 2));
}

void panicUnhashable(const _type *t) {
  stringStruct parts[2] = {cstr("runtime error: hash of unhashable type "), t->string()};
  panicmsg(concatstrings(parts, 2));
}

} // namespace runtime
