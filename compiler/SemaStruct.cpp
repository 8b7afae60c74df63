//===- SemaStruct.cpp - struct types, literals and fields -----------------===//
#include "Sema.h"

namespace toy {

// structType resolves struct { fields }: field names are unique (blank ones aside), and the
// names of one declaration (a, b T) share their type, resolved once.
const Type *Sema::structType(TypeExpr *t) {
  std::vector<Type::Field> fields;
  bool ok = true;
  const TypeExpr *prevExpr = nullptr;
  const Type *prev = nullptr;
  for (size_t i = 0; i < t->fields.size(); ++i) {
    const FieldExpr &f = t->fields[i];
    for (size_t j = 0; j < i && f.name != "_"; ++j)
      if (t->fields[j].name == f.name) {
        error(f.loc, f.name + " redeclared\n\t" + diags_.where(t->fields[j].loc) +
                         ": other declaration of " + f.name);
        ok = false;
        break;
      }
    if (f.type.get() != prevExpr) {
      prevExpr = f.type.get();
      prev = resolveType(f.type.get());
    }
    ok &= prev != types_.invalid();
    if (f.embedded && prev != types_.invalid()) {
      // types2's embedded-field checks: T or *T for a type name T that is not itself a
      // pointer, nor an interface behind a pointer.
      const Type *named = f.type->isPointer ? prev->elem : prev;
      if (named->underlying()->isPointer()) {
        error(f.loc, "embedded field type cannot be a pointer");
        ok = false;
      } else if (f.type->isPointer && named->underlying()->isInterface()) {
        error(f.loc, "embedded field type cannot be a pointer to an interface");
        ok = false;
      }
    }
    fields.push_back({f.name, prev, f.embedded});
  }
  return ok ? types_.structType(std::move(fields)) : types_.invalid();
}

int Sema::fieldIndex(const Type *t, const std::string &name) {
  for (size_t i = 0; i < t->fields.size(); ++i)
    if (name != "_" && t->fields[i].name == name)
      return int(i);
  return -1;
}

// structLit checks T{...} for a struct type: all values keyed by field names, or all
// positional, one per field; e->indices gets each value's field.
const Type *Sema::structLit(CompositeLitExpr *e, const Type *t) {
  bool ok = true;
  bool keyed = !e->values.empty() && e->keys[0];
  std::vector<bool> seen(t->fields.size());
  for (size_t i = 0; i < e->values.size(); ++i) {
    Expr *k = e->keys[i].get(), *v = e->values[i].get();
    expr(v);
    e->indices.push_back(0);
    if (bool(k) != keyed) {
      error(k ? e->colons[i] : v->loc,
            "mixture of field:value and value elements in struct literal");
      ok = false;
      continue;
    }
    int f = int(i);
    if (keyed) {
      Expr *u = unparen(k);
      if (k->kind != Expr::Ident) {
        error(e->colons[i], "invalid field name " + exprString(k) + " in struct literal");
        ok = false;
        continue;
      }
      f = fieldIndex(t, static_cast<IdentExpr *>(u)->name);
      if (f < 0) {
        error(k->loc, "unknown field '" + static_cast<IdentExpr *>(u)->name +
                          "' in struct literal of type " + t->str());
        ok = false;
        continue;
      }
    } else if (i >= t->fields.size()) {
      error(v->loc, "too many values in " + t->str() + "{…}");
      return types_.invalid();
    }
    ok &= assign(e->values[i], t->fields[f].type, "struct literal");
    if (seen[f]) {
      error(e->colons[i], "duplicate field name " + t->fields[f].name + " in struct literal");
      ok = false;
    }
    seen[f] = true;
    e->indices.back() = f;
  }
  if (!keyed && !e->values.empty() && e->values.size() < t->fields.size()) {
    error(e->rbrace, "too few values in " + t->str() + "{…}");
    ok = false;
  }
  return ok ? t : types_.invalid();
}

// incomparable is types2's reason a type's values cannot be compared.
std::string Sema::incomparable(const Type *t) {
  if (t->isStruct())
    for (auto &f : t->fields)
      if (!f.type->comparable())
        return "struct containing " + f.type->str() + " cannot be compared";
  return t->str() + " cannot be compared";
}

} // namespace toy
