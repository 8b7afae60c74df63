//===- Lookup.cpp - fields and methods through embedded fields ------------===//
//
// types2's lookupFieldOrMethod (go/types/lookup.go): x.name finds the field or method at the
// shallowest depth of embedding. Depth 0 is x's type (its fields, or its methods for a
// defined type), depth 1 the types of its embedded fields (an embedded interface contributes
// its methods), and so on; two matches at one
// depth, or one type reached by two paths, make the selector ambiguous.
//
//===----------------------------------------------------------------------===//
#include "Types.h"

#include <set>

namespace toy {

namespace {
bool exported(const std::string &name) { return !name.empty() && name[0] >= 'A' && name[0] <= 'Z'; }

// An embedded type still to search at the next depth (types2's embeddedType).
struct Embedded {
  const Type *typ;        // a defined type, or the struct type x has at depth 0
  std::vector<int> index; // the embedded fields that lead to it
  bool indirect;          // a pointer was followed on the way
  bool multiples;         // reached by more than one path at this depth
};

// consolidateMultiples keeps one entry per type, marked when several paths reached it.
std::vector<Embedded> consolidateMultiples(std::vector<Embedded> list) {
  std::vector<Embedded> out;
  for (auto &e : list) {
    bool dup = false;
    for (auto &o : out)
      if (o.typ == e.typ) {
        o.multiples = dup = true;
        break;
      }
    if (!dup)
      out.push_back(std::move(e));
  }
  return out;
}
} // namespace

Selection TypeContext::lookupFieldOrMethod(const Type *t, const std::string &name,
                                           const std::string &fromPkg) const {
  Selection none;
  if (name == "_")
    return none;
  // A defined pointer type (type P *S) selects S's fields but has no methods.
  bool definedPtr = t->isDefined() && t->isPointer();
  bool ptr = t->isPointer();
  std::vector<Embedded> current{{ptr ? t->elem : t, {}, ptr, false}};
  std::set<const Type *> seen;
  while (!current.empty()) {
    std::vector<Embedded> next;
    Selection found;
    for (Embedded &e : current) {
      const Type *typ = e.typ;
      // An unexported name matches only the fields and methods of fromPkg's types.
      const std::string &pkg = typ->isDefined() ? typ->pkgPath : fromPkg;
      bool visible = exported(name) || pkg == fromPkg;
      if (typ->isDefined()) {
        if (!seen.insert(typ).second)
          continue;
        if (const Method *m = method(typ, name); m && visible) {
          if (found.kind != Selection::None || e.multiples)
            return {Selection::Ambiguous, {}, nullptr, false};
          found = {Selection::Method, e.index, m, e.indirect};
          continue;
        }
      }
      // The methods of an embedded interface field are promoted like those of a defined type.
      if (typ->isInterface() && !e.index.empty()) {
        if (const Type *sig = typ->imethod(name); sig && visible) {
          if (found.kind != Selection::None || e.multiples)
            return {Selection::Ambiguous, {}, nullptr, false};
          found = {Selection::Method, e.index, nullptr, e.indirect, sig};
        }
        continue;
      }
      if (!typ->isStruct())
        continue;
      for (size_t i = 0; i < typ->fields.size(); ++i) {
        const Type::Field &f = typ->fields[i];
        if (f.name == name && visible) {
          if (found.kind != Selection::None || e.multiples)
            return {Selection::Ambiguous, {}, nullptr, false};
          found = {Selection::Field, e.index, nullptr, e.indirect};
          found.path.push_back(int(i));
          continue;
        }
        if (found.kind == Selection::None && f.embedded) {
          bool p = f.type->isPointer() && !f.type->isDefined();
          Embedded n{p ? f.type->elem : f.type, e.index, e.indirect || p, e.multiples};
          n.index.push_back(int(i));
          next.push_back(std::move(n));
        }
      }
    }
    if (found.kind == Selection::Method && definedPtr)
      return none;
    if (found.kind != Selection::None)
      return found;
    current = consolidateMultiples(std::move(next));
  }
  return none;
}

} // namespace toy
