// Conversions T(x) to a named or predeclared type, T written as a name or as pkg.T.
#include "Sema.h"

namespace toy {

// importedTypeName returns the type that e names if e is pkg.T for an exported type T of an
// imported package (marking the import used), else null.
Object *Sema::importedTypeName(Expr *e) {
  if (e->kind != Expr::Selector)
    return nullptr;
  auto *se = static_cast<SelectorExpr *>(e);
  Expr *x = unparen(se->base.get());
  if (x->kind != Expr::Ident)
    return nullptr;
  Object *pkg = lookupAt(static_cast<IdentExpr *>(x)->name, x->loc);
  if (!pkg || pkg->kind != Object::Package || pkg->symbol.empty())
    return nullptr;
  static_cast<IdentExpr *>(x)->obj = pkg;
  Object *m = packageOf_.at(pkg)->member(se->sel);
  if (!m || m->kind != Object::TypeName || !(se->sel[0] >= 'A' && se->sel[0] <= 'Z'))
    return nullptr;
  pkg->used = true;
  return m;
}

// conversion checks the call e of type name o: T(x) with one argument convertible to T.
const Type *Sema::conversion(CallExpr *e, Object *o) {
  if (e->args.size() != 1) {
    for (auto &a : e->args)
      expr(a.get());
    if (e->args.empty())
      error(e->loc, "missing argument in conversion to " + o->type->str());
    else
      error(e->args[1]->loc, "too many arguments in conversion to " + o->type->str());
    return types_.invalid();
  }
  const Type *at = expr(e->args[0].get());
  if (at == types_.invalid())
    return at;
  const Type *to = o->type;
  // string(b), string(runes) and string(r) for an integer r.
  bool toString =
      to->isString() &&
      ((at->isSlice() && (at->elem == types_.uint8T() || at->elem == types_.int32T())) ||
       at->isInteger());
  bool ok = at->underlying() == to->underlying() || (at->isNumeric() && to->isNumeric()) ||
            (at->kind == Type::UntypedNil && (to->isSlice() || to->kind == Type::Func)) ||
            (at->isBoolean() && to->isBoolean()) || (at->isString() && to->isString()) || toString;
  if (!ok) {
    error(e->args[0]->loc, "cannot convert " + operand(e->args[0].get()) + " to type " + to->str());
    return types_.invalid();
  }
  // A constant converts to a constant, so it must be representable in the new type.
  if (e->args[0]->isConst && to->isNumeric() && !representableConst(e->args[0].get(), to)) {
    error(e->args[0]->loc, "cannot convert " + operand(e->args[0].get()) + " to type " + to->str());
    return types_.invalid();
  }
  if (to->isString() && at->isInteger()) {
    // Differs from Go: string(r) of a constant is not folded to a constant string.
    if (at->isUntyped())
      defaultize(e->args[0].get());
    return to;
  }
  if (at->isUntyped() && !assign(e->args[0].get(), to, "conversion"))
    return types_.invalid();
  e->isConst = e->args[0]->isConst;
  e->constVal = e->args[0]->constVal;
  e->constFloat = e->args[0]->constFloat;
  e->type = e->args[0]->type;
  convertConst(e, to);
  return to;
}

} // namespace toy
