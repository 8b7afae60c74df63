// Package reflect's hooks (Go: the reflect_* functions of runtime/map.go, chan.go, mbarrier.go
// and malloc.go, and the unsafe.Pointer conversions reflect makes).
//
// Differs from Go: toy has no unsafe.Pointer, so reflect holds addresses as uintptr and turns
// them into typed pointers (*rtype, *int64, *string, ...) through ptrcast, and back through
// addr; the interface words come and go through unpackEface and packEface. With no garbage
// collector, a uintptr keeps nothing alive and needs nothing kept alive.

#include "chan.h"
#include "iface.h"
#include "map.h"
#include "stubs.h"

namespace runtime {

extern "C" void *reflect_ptrcast(uintptr_t p) __asm__("reflect.ptrcast");
void *reflect_ptrcast(uintptr_t p) { return reinterpret_cast<void *>(p); }

extern "C" uintptr_t reflect_addr(const void *p) __asm__("reflect.addr");
uintptr_t reflect_addr(const void *p) { return reinterpret_cast<uintptr_t>(p); }

// unpackEface takes an interface{}'s two words apart: the dynamic type and the data word.
extern "C" eface reflect_unpackEface(_type *t, void *data) __asm__("reflect.unpackEface");
eface reflect_unpackEface(_type *t, void *data) { return eface{t, data}; }

// packEfaceWords puts them together again.
extern "C" eface reflect_packEface(_type *t, void *word) __asm__("reflect.packEfaceWords");
eface reflect_packEface(_type *t, void *word) { return eface{t, word}; }

extern "C" void *reflect_unsafe_New(_type *t) __asm__("reflect.unsafe_New");
void *reflect_unsafe_New(_type *t) { return mallocgc(t->size, t, true); }

extern "C" void reflect_typedmemmove(_type *t, void *dst, const void *src)
    __asm__("reflect.typedmemmove");
void reflect_typedmemmove(_type *t, void *dst, const void *src) {
  if (dst != src && t->size)
    memmove(dst, src, t->size);
}

// ifaceE2I stores the interface{} e as a value of the non-empty interface type t at dst.
extern "C" void reflect_ifaceE2I(interfacetype *t, _type *et, void *data, iface *dst)
    __asm__("reflect.ifaceE2I");
void reflect_ifaceE2I(interfacetype *t, _type *et, void *data, iface *dst) {
  dst->tab = getitab(t, et, false);
  dst->data = data;
}

static const maptype *maptypeOf(_type *t) { return reinterpret_cast<maptypeDesc *>(t)->mt; }

// mapaccess is the elem's address for key, or null when the map lacks it.
extern "C" void *reflect_mapaccess(_type *t, hmap *h, const void *key) __asm__("reflect.mapaccess");
void *reflect_mapaccess(_type *t, hmap *h, const void *key) {
  elemOK r = mapaccess2(maptypeOf(t), h, key);
  return r.ok ? r.elem : nullptr;
}

extern "C" void reflect_mapassign(_type *t, hmap *h, const void *key, const void *elem)
    __asm__("reflect.mapassign");
void reflect_mapassign(_type *t, hmap *h, const void *key, const void *elem) {
  const maptype *mt = maptypeOf(t);
  void *p = mapassign(mt, h, key);
  memmove(p, elem, mt->elemtypesize);
}

extern "C" void reflect_mapdelete(_type *t, hmap *h, const void *key) __asm__("reflect.mapdelete");
void reflect_mapdelete(_type *t, hmap *h, const void *key) { mapdelete(maptypeOf(t), h, key); }

extern "C" int64_t reflect_maplen(hmap *h) __asm__("reflect.maplen");
int64_t reflect_maplen(hmap *h) { return h ? h->count : 0; }

extern "C" void reflect_mapiterinit(_type *t, hmap *h, hiter *it) __asm__("reflect.mapiterinit");
void reflect_mapiterinit(_type *t, hmap *h, hiter *it) { mapiterinit(maptypeOf(t), h, it); }

extern "C" void reflect_mapiternext(hiter *it) __asm__("reflect.mapiternext");
void reflect_mapiternext(hiter *it) { mapiternext(it); }

extern "C" int64_t reflect_chanlen(hchan *c) __asm__("reflect.chanlen");
int64_t reflect_chanlen(hchan *c) { return c ? int64_t(c->qcount) : 0; }

extern "C" int64_t reflect_chancap(hchan *c) __asm__("reflect.chancap");
int64_t reflect_chancap(hchan *c) { return c ? int64_t(c->dataqsiz) : 0; }

} // namespace runtime
