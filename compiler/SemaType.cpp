//===- SemaType.cpp - type declarations -----------------------------------===//
//
// Type names are resolved lazily: a package-level declaration is resolved when a use reaches
// it (or in source order, whichever comes first), so the package scope is order-free as in
// Go. A defined type's Type exists before its underlying type is known, so a declaration may
// refer to itself through an indirection (a slice element, a func parameter or result); a
// cycle without one is Go's invalid recursive type.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

#include <algorithm>

namespace toy {

// declareTypes declares the package's type names; resolving them waits for their uses.
void Sema::declareTypes(File &f) {
  for (auto &s : f.types)
    declareTypeName(static_cast<TypeDeclStmt *>(s.get()));
}

void Sema::resolvePackageTypes(File &f) {
  for (auto &s : f.types)
    if (Object *o = static_cast<TypeDeclStmt *>(s.get())->name.obj)
      typeNameType(o);
}

void Sema::declareTypeName(TypeDeclStmt *s) {
  Object *o = newObject(Object::TypeName, s->name.name, nullptr, s->name.loc);
  if (!s->alias) {
    o->type = types_.defined(s->name.name);
    if (scopes_.size() == 2) // declared at package level
      localTypes_[o->type] = s;
  }
  s->name.obj = o;
  pendingTypes_[o] = s;
  declare(o);
}

// checkTypeDecl declares a local type; its scope begins at its name, so it may refer to itself.
void Sema::checkTypeDecl(TypeDeclStmt *s) {
  declareTypeName(s);
  typeNameType(s->name.obj);
}

const Type *Sema::typeNameType(Object *o) {
  auto pending = pendingTypes_.find(o);
  if (pending != pendingTypes_.end()) {
    TypeDeclStmt *s = pending->second;
    pendingTypes_.erase(pending);
    resolveTypeDecl(o, s);
  } else if (auto at = std::find_if(typesInProgress_.begin(), typesInProgress_.end(),
                                    [&](auto &p) { return p.first == o; });
             at != typesInProgress_.end()) {
    // A use reached while o's own declaration is being resolved: through an indirection a
    // defined type may refer to itself; directly, or as an alias, it is a cycle.
    if (at->second < indirect_ && o->type)
      return o->type;
    if (!brokenTypes_.count(o))
      recursiveType(at);
    return types_.invalid();
  }
  if (!o->type || o->type->kind == Type::Invalid)
    return types_.invalid();
  return o->type;
}

void Sema::resolveTypeDecl(Object *o, TypeDeclStmt *s) {
  // The indirections entered so far: a use of o at a deeper level passes through one.
  typesInProgress_.emplace_back(o, indirect_);
  const Type *rhs = resolveType(s->type.get());
  typesInProgress_.pop_back();

  bool broken = brokenTypes_.count(o) || rhs == types_.invalid();
  if (s->alias) {
    o->type = broken ? types_.invalid() : rhs;
    return;
  }
  Type *t = const_cast<Type *>(o->type); // made by declareTypeName, not yet shared as complete
  if (!broken && rhs->isDefined() && !rhs->under) {
    // type B A where A is still being resolved (A refers to B through an indirection).
    error(s->name.loc, "toy does not support type " + s->name.name + " defined as " +
                           rhs->str() + " while " + rhs->str() + " is being declared yet");
    broken = true;
  }
  TypeContext::defineUnderlying(t, broken ? types_.invalid() : rhs->underlying());
}

// recursiveType reports the cycle from `at` to the innermost declaration being resolved as gc
// does: at the cycle's first declaration in the source, listing each that refers to the next.
void Sema::recursiveType(std::vector<std::pair<Object *, int>>::iterator at) {
  std::vector<Object *> cycle;
  for (auto it = at; it != typesInProgress_.end(); ++it)
    cycle.push_back(it->first);
  std::rotate(cycle.begin(),
              std::min_element(cycle.begin(), cycle.end(),
                               [](Object *a, Object *b) { return a->loc.offset < b->loc.offset; }),
              cycle.end());
  std::string msg = "invalid recursive type " + cycle[0]->name;
  for (Object *c : cycle)
    msg += "\n\t" + diags_.where(c->loc) + ": " + c->name + " refers to";
  msg += "\n\t" + diags_.where(cycle[0]->loc) + ": " + cycle[0]->name;
  error(cycle[0]->loc, msg);
  for (Object *c : cycle)
    brokenTypes_.insert(c);
}

} // namespace toy
