// Interface values (Go: runtime/iface.go): itabs and the itabTable, conversions to
// interfaces (convT64, convTstring, ...), assertions and their panics, and == on interface
// values (efaceeq, ifaceeq; Go: alg.go).
#include "iface.h"

#include "atomic.h"
#include "stubs.h"

namespace runtime {

// The compiler's itabs (go.itab.T,I), which itabsinit puts in the itabTable first.
extern "C" const slice<itab *> itablinks GOSYM("itablinks") __attribute__((weak));

namespace {

// itabTableType is an open-addressing hash table of itabs, keyed by (inter, type) and probed
// quadratically (Go's itabTableType).
struct itabTableType {
  uintptr_t size;  // length of entries; always a power of 2
  uintptr_t count; // current number of filled entries
  itab **entries;
};

constexpr uintptr_t itabInitSize = 512;
itab *itabTableInitEntries[itabInitSize];
itabTableType itabTableInit = {itabInitSize, 0, itabTableInitEntries};
itabTableType *itabTable = &itabTableInit; // read without the lock; replaced whole
mutex itabLock;
bool itabsInited = false;

uintptr_t itabHashFunc(interfacetype *inter, _type *typ) {
  // Compiler has provided some good hash codes for us.
  return inter->typ.hash ^ typ->hash;
}

itab *find(itabTableType *t, interfacetype *inter, _type *typ) {
  uintptr_t mask = t->size - 1;
  uintptr_t h = itabHashFunc(inter, typ) & mask;
  for (uintptr_t i = 1;; i++) {
    itab *m = atomic::Load(&t->entries[h]);
    if (!m)
      return nullptr;
    if (m->inter == inter && m->_type_ == typ)
      return m;
    h = (h + i) & mask;
  }
}

// add inserts m, which must not be there yet (itabLock held).
void add(itabTableType *t, itab *m) {
  uintptr_t mask = t->size - 1;
  uintptr_t h = itabHashFunc(m->inter, m->_type_) & mask;
  for (uintptr_t i = 1;; i++) {
    itab *m2 = t->entries[h];
    if (m2 == m)
      return; // the compiler's itab, met again
    if (!m2) {
      atomic::Store(&t->entries[h], m);
      t->count++;
      return;
    }
    h = (h + i) & mask;
  }
}

// itabAdd adds m, growing the table at 75% load (itabLock held).
void itabAdd(itab *m) {
  if (getg()->m->mallocing != 0)
    throw_("malloc deadlock");
  itabTableType *t = itabTable;
  if (t->count >= 3 * (t->size / 4)) {
    auto *t2 = gonew<itabTableType>();
    t2->size = t->size * 2;
    t2->entries = static_cast<itab **>(mallocgc(t2->size * sizeof(itab *), nullptr, true));
    for (uintptr_t i = 0; i < t->size; i++)
      if (t->entries[i])
        add(t2, t->entries[i]);
    atomic::Store(&itabTable, t2);
    t = t2;
  }
  add(t, m);
}

// itabsinit adds the compiler's itabs (itabLock held). Differs from Go: run at the first
// getitab, not by schedinit.
void itabsinit() {
  itabsInited = true;
  if (!&itablinks)
    return;
  for (int64_t i = 0; i < itablinks.len; i++)
    itabAdd(itablinks.array[i]);
}

bool nameEq(const uint8_t *a, const uint8_t *b) {
  stringStruct x = name{a}.str(), y = name{b}.str();
  return x.len == y.len && memequal(x.str, y.str, uintptr_t(x.len));
}

} // namespace

// init fills in m's fun from its type's method table, both sorted by name; it returns the
// name of the first missing method (fun[0] is then 0), or an empty string.
stringStruct itab::init() {
  interfacetype *it = inter;
  _type *typ = _type_;
  uncommontype *x = typ->uncommon();
  int64_t ni = it->mhdr.len;
  uint16_t nt = x ? x->mcount : 0;
  method *xmhdr = x ? x->methods() : nullptr;
  uint16_t j = 0;
  for (int64_t k = 0; k < ni; k++) {
    imethod *i = &it->mhdr.array[k];
    bool found = false;
    for (; j < nt; j++) {
      method *t = &xmhdr[j];
      if (t->mtyp == i->ityp && nameEq(t->name, i->name)) {
        fun[k] = reinterpret_cast<uintptr_t>(t->ifn);
        found = true;
        break;
      }
    }
    if (!found) {
      fun[0] = 0;
      return name{i->name}.str();
    }
  }
  hash = typ->hash;
  return stringStruct{nullptr, 0};
}

itab *getitab(interfacetype *inter, _type *typ, bool canfail) {
  if (inter->mhdr.len == 0)
    throw_("internal error - misuse of itab");
  // easy case
  if (!(typ->tflag_ & tflagUncommon)) {
    if (canfail)
      return nullptr;
    panicTypeAssertion(nullptr, typ, &inter->typ, name{inter->mhdr.array[0].name}.str());
  }
  itab *m = nullptr;
  if (atomic::Load(&itabsInited)) {
    // First, look in the existing table to see if we can find the itab we need, without
    // locks: the table only grows, and a new one replaces it whole.
    m = find(atomic::Load(&itabTable), inter, typ);
  }
  if (!m) {
    lock(&itabLock);
    if (!itabsInited)
      itabsinit();
    m = find(itabTable, inter, typ);
    if (!m) {
      // Entry doesn't exist yet. Make a new entry & add it.
      m = static_cast<itab *>(
          mallocgc(sizeof(itab) + uintptr_t(inter->mhdr.len - 1) * sizeof(uintptr_t), nullptr, true));
      m->inter = inter;
      m->_type_ = typ;
      // The hash is used in type switches. However, compiler statically generates itab's
      // for all interface/type pairs used in switches (which are added to itabTable in
      // itabsinit). The dynamically-generated itab's never participate in type switches,
      // and thus the hash is irrelevant.
      m->hash = 0;
      m->init();
      itabAdd(m);
    }
    unlock(&itabLock);
  }
  if (m->fun[0] != 0)
    return m;
  if (canfail)
    return nullptr;
  // The itab was added with fun[0] == 0 so that the failure is cached; init again to find
  // the missing method's name.
  panicTypeAssertion(nullptr, typ, &inter->typ, m->init());
}

// convI2I returns the itab for dst of the value whose itab is src (nil for a nil interface).
itab *convI2I(interfacetype *dst, itab *src) {
  if (!src)
    return nullptr;
  if (src->inter == dst)
    return src;
  return getitab(dst, src->_type_, false);
}

itab *assertE2I(interfacetype *inter, _type *t) {
  if (!t) // explicit conversions require non-nil interface value.
    panicTypeAssertion(nullptr, nullptr, &inter->typ, stringStruct{nullptr, 0});
  return getitab(inter, t, false);
}

iface assertE2I2(interfacetype *inter, _type *t, void *data) {
  if (!t)
    return iface{};
  itab *tab = getitab(inter, t, true);
  if (!tab)
    return iface{};
  return iface{tab, data};
}

// panicdottypeE is called when doing an e.(T) conversion and the conversion fails. have =
// the dynamic type we have. want = the static type we're trying to convert to. iface = the
// static type we're converting from.
void panicdottypeE(_type *have, _type *want, _type *iface) {
  panicTypeAssertion(iface, have, want, stringStruct{nullptr, 0});
}

// panicdottypeI is called when doing an i.(T) conversion and the conversion fails. Same
// args as panicdottypeE, but "have" is the dynamic itab we have.
void panicdottypeI(itab *have, _type *want, _type *iface) {
  panicdottypeE(have ? have->_type_ : nullptr, want, iface);
}

// staticuint64s is used to avoid allocating in convTx for small integer values.
constexpr struct StaticUint64s {
  uint64_t v[256];
  constexpr StaticUint64s() : v() {
    for (int i = 0; i < 256; i++)
      v[i] = uint64_t(i);
  }
} staticuint64s;

// zeroVal is the data word of the empty string and the nil slice (Go's zeroVal).
constinit const uint8_t zeroVal[16] = {};

void *convT16(uint16_t val) {
  if (val < 256)
    return const_cast<uint64_t *>(&staticuint64s.v[val]);
  auto *x = static_cast<uint16_t *>(mallocgc(2, nullptr, false));
  *x = val;
  return x;
}

void *convT32(uint32_t val) {
  if (val < 256)
    return const_cast<uint64_t *>(&staticuint64s.v[val]);
  auto *x = static_cast<uint32_t *>(mallocgc(4, nullptr, false));
  *x = val;
  return x;
}

void *convT64(uint64_t val) {
  if (val < 256)
    return const_cast<uint64_t *>(&staticuint64s.v[val]);
  auto *x = static_cast<uint64_t *>(mallocgc(8, nullptr, false));
  *x = val;
  return x;
}

void *convTstring(const uint8_t *str, int64_t len) {
  if (len == 0)
    return const_cast<uint8_t *>(zeroVal);
  auto *x = static_cast<stringStruct *>(mallocgc(sizeof(stringStruct), nullptr, true));
  *x = stringStruct{str, len};
  return x;
}

void *convTslice(void *array, int64_t len, int64_t cap) {
  if (!array)
    return const_cast<uint8_t *>(zeroVal);
  auto *x = static_cast<slice<uint8_t> *>(mallocgc(sizeof(slice<uint8_t>), nullptr, true));
  *x = slice<uint8_t>{static_cast<uint8_t *>(array), len, cap};
  return x;
}

// convT converts a value of type t, which is pointed to by v, to a pointer that can be used
// as the second word of an interface value.
void *convT(_type *t, const void *v) {
  void *x = mallocgc(t->size, t, true);
  memmove(x, v, t->size);
  return x;
}

void *convTnoptr(_type *t, const void *v) {
  void *x = mallocgc(t->size, t, false);
  memmove(x, v, t->size);
  return x;
}

bool efaceeq(_type *t, void *x, void *y) {
  if (!t)
    return true;
  auto eq = t->equal;
  if (!eq)
    panicUncomparable(t);
  if (isDirectIface(t)) {
    // Direct interface types are ptr, chan, map, func, and single-element structs/arrays
    // thereof. Maps and funcs are not comparable, so they can't reach here. Ptrs, chans,
    // and single-element items can be compared directly using ==.
    return x == y;
  }
  return eq(x, y);
}

bool ifaceeq(itab *tab, void *x, void *y) {
  if (!tab)
    return true;
  return efaceeq(tab->_type_, x, y);
}

bool nilinterequal(const void *p, const void *q) {
  auto *x = static_cast<const eface *>(p), *y = static_cast<const eface *>(q);
  return x->_type_ == y->_type_ && efaceeq(x->_type_, x->data, y->data);
}

bool interequal(const void *p, const void *q) {
  auto *x = static_cast<const iface *>(p), *y = static_cast<const iface *>(q);
  return x->tab == y->tab && ifaceeq(x->tab, x->data, y->data);
}

void printeface(_type *t, void *data) { print("(", static_cast<const void *>(t), ",", static_cast<const void *>(data), ")"); }
void printiface(itab *tab, void *data) { print("(", static_cast<const void *>(tab), ",", static_cast<const void *>(data), ")"); }

} // namespace runtime
