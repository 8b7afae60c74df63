// Type descriptors (Go: runtime/type.go), as toy's compiler emits them: type.int,
// type.main.T, type.*main.T, ... one per type a program converts to an interface (and the
// types those refer to).
// Differs from Go: names and types are referred to by pointers where gc writes 32-bit offsets
// into the module's data (nameOff, typeOff, textOff), so _type is 56 bytes, not 48, and
// maptype points at the runtime's maptype (map.h) for its hasher and slot sizes.
#ifndef TOY_RUNTIME_TYPE_H
#define TOY_RUNTIME_TYPE_H

#include "runtime2.h"

namespace runtime {

using tflag = uint8_t;
constexpr tflag tflagUncommon = 1 << 0, tflagExtraStar = 1 << 1, tflagNamed = 1 << 2,
                tflagRegularMemory = 1 << 3;

// Go's reflect kinds (runtime/typekind.go).
enum : uint8_t {
  kindBool = 1, kindInt, kindInt8, kindInt16, kindInt32, kindInt64, kindUint, kindUint8,
  kindUint16, kindUint32, kindUint64, kindUintptr, kindFloat32, kindFloat64, kindComplex64,
  kindComplex128, kindArray, kindChan, kindFunc, kindInterface, kindMap, kindPointer, kindSlice,
  kindString, kindStruct, kindUnsafePointer,
  kindDirectIface = 1 << 5, kindGCProg = 1 << 6, kindMask = (1 << 5) - 1
};

// name is Go's encoded name: a flags byte (1: exported), the length as a varint, the bytes.
struct name {
  const uint8_t *bytes;
  bool isExported() const { return bytes[0] & 1; }
  stringStruct str() const {
    int64_t n = 0;
    int i = 1;
    for (int shift = 0;; shift += 7, ++i) {
      n |= int64_t(bytes[i] & 0x7f) << shift;
      if (!(bytes[i] & 0x80))
        break;
    }
    return stringStruct{bytes + i + 1, n};
  }
};

struct _type {
  uintptr_t size;
  uintptr_t ptrdata; // size of the prefix that may hold pointers
  uint32_t hash;     // of the type's string; type switches could dispatch on it
  tflag tflag_;
  uint8_t align;
  uint8_t fieldAlign;
  uint8_t kind;
  bool (*equal)(const void *, const void *); // null for an uncomparable type
  uint8_t *gcdata;
  const uint8_t *str_; // a name: the type's string, after a '*' when tflagExtraStar
  _type *ptrToThis;
  stringStruct string() const {
    stringStruct s = name{str_}.str();
    if (tflag_ & tflagExtraStar)
      return stringStruct{s.str + 1, s.len - 1};
    return s;
  }
  uint8_t kindOf() const { return kind & kindMask; }
  struct uncommontype *uncommon() const;
};

struct ptrtype {
  _type typ;
  _type *elem;
};

struct arraytype {
  _type typ;
  _type *elem;
  _type *slice;
  uintptr_t len;
};

struct chantype {
  _type typ;
  _type *elem;
  uintptr_t dir; // Go's ChanDir: 1 receive, 2 send, 3 both
};

// functype is followed by its uncommontype, if any, then [inCount+outCount]*_type.
struct functype {
  _type typ;
  uint16_t inCount;
  uint16_t outCount; // top bit is set if the last parameter is ...
};

struct slicetype {
  _type typ;
  _type *elem;
};

struct maptype;

struct maptypeDesc {
  _type typ;
  _type *key;
  _type *elem;
  _type *bucket; // null: toy's buckets have no descriptor
  const maptype *mt;
};

struct structfield {
  const uint8_t *name; // a name; flag 8 marks an embedded field
  _type *typ;
  uintptr_t offset;
};

struct structtype {
  _type typ;
  const uint8_t *pkgPath; // a name
  slice<structfield> fields;
};

struct imethod {
  const uint8_t *name; // a name
  _type *ityp;         // the method's func type
};

struct interfacetype {
  _type typ;
  const uint8_t *pkgpath; // a name
  slice<imethod> mhdr;    // sorted by name
};

// method is one method of a type's method set; ifn takes the interface's data word as its
// receiver (a pointer to the value, or the value itself for a pointer-shaped type).
struct method {
  const uint8_t *name;
  _type *mtyp;
  void *ifn;
  void *tfn;
};

// uncommontype follows a defined type's (or its pointer's) descriptor.
struct uncommontype {
  const uint8_t *pkgpath;
  uint16_t mcount; // number of methods
  uint16_t xcount; // number of exported methods
  uint32_t moff;   // offset from this uncommontype to [mcount]method
  uint32_t _unused;
  method *methods() {
    return reinterpret_cast<method *>(reinterpret_cast<uint8_t *>(this) + moff);
  }
};

inline uncommontype *_type::uncommon() const {
  if (!(tflag_ & tflagUncommon))
    return nullptr;
  uintptr_t off;
  switch (kindOf()) {
  case kindArray:
    off = sizeof(arraytype);
    break;
  case kindChan:
    off = sizeof(chantype);
    break;
  case kindFunc:
    off = sizeof(functype);
    break;
  case kindInterface:
    off = sizeof(interfacetype);
    break;
  case kindMap:
    off = sizeof(maptypeDesc);
    break;
  case kindPointer:
    off = sizeof(ptrtype);
    break;
  case kindSlice:
    off = sizeof(slicetype);
    break;
  case kindStruct:
    off = sizeof(structtype);
    break;
  default:
    off = sizeof(_type);
  }
  return reinterpret_cast<uncommontype *>(reinterpret_cast<uintptr_t>(this) + off);
}

inline bool isDirectIface(const _type *t) { return t->kind & kindDirectIface; }

} // namespace runtime

#endif
