//===- SemaLookup.cpp - selectors through embedded fields -----------------===//
//
// x.f and x.M find f or M at the shallowest depth of embedding (TypeContext's
// lookupFieldOrMethod, Lookup.cpp). A promoted selection becomes explicit: Sema rewrites
// x.f into x.E.f (one implicit selector per embedded field walked, as gc's typecheck does),
// so IRGen sees only direct field selections and direct method calls.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

namespace toy {

// implicitSelect makes base.E for the embedded field i of base's struct (or pointer to
// struct) type: the selector a promoted field or method leaves out.
ExprPtr Sema::implicitSelect(ExprPtr base, int i) {
  const Type *bt = base->type;
  bool deref = bt->isPointer();
  const Type *st = deref ? bt->elem : bt;
  SourceLoc loc = base->loc;
  auto s = std::make_unique<SelectorExpr>(loc, std::move(base), st->fields[i].name);
  s->selLoc = loc;
  s->field = i;
  s->deref = deref;
  s->type = st->fields[i].type;
  return s;
}

// fieldOrMethodSelector resolves x.sel for x of type bt: a field (direct or promoted) or a
// method (declared or promoted); null when bt has neither, reported by the caller.
const Type *Sema::fieldOrMethodSelector(SelectorExpr *e, const Type *bt) {
  if (bt->isInterface())
    return interfaceMethod(e, bt);
  Selection s = types_.lookupFieldOrMethod(bt, e->sel, path_);
  if (s.kind == Selection::Ambiguous) {
    error(e->selLoc, "ambiguous selector " + exprString(e));
    return types_.invalid();
  }
  if (s.kind == Selection::None)
    return nullptr;
  size_t walked = s.path.size() - (s.kind == Selection::Field ? 1 : 0);
  for (size_t i = 0; i < walked; ++i)
    e->base = implicitSelect(std::move(e->base), s.path[i]);
  const Type *cur = e->base->type;
  if (s.kind == Selection::Method) // base is now the embedded interface field for an isig
    return s.method ? methodSelector(e, cur) : interfaceMethod(e, cur);
  e->deref = cur->isPointer();
  e->field = s.path.back();
  return (e->deref ? cur->elem : cur)->fields[e->field].type;
}

} // namespace toy
