//===- SemaPointer.cpp - &x, *p and new(T) --------------------------------===//
//
// toy has no escape analysis yet: a local variable whose address is taken lives in a heap box
// made where it is declared, as a variable a function literal captures does.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

namespace toy {

// addressRoot is the variable whose storage holds addressable x, or null when x's storage is
// reached through a pointer or a slice (already in the heap).
static Object *addressRoot(Expr *x) {
  while (true) {
    x = unparen(x);
    if (x->kind == Expr::Ident)
      return static_cast<IdentExpr *>(x)->obj;
    if (x->kind == Expr::Selector) { // s.f is in s's storage; p.f is in the heap already
      auto *s = static_cast<SelectorExpr *>(x);
      if (s->deref || s->field < 0)
        return nullptr;
      x = s->base.get();
      continue;
    }
    if (x->kind != Expr::Index)
      return nullptr;
    Expr *base = static_cast<IndexExpr *>(x)->base.get();
    if (!base->type->isArray())
      return nullptr;
    x = base;
  }
}

void Sema::markAddressTaken(Expr *x) {
  if (Object *root = addressRoot(x); root && !root->isGlobal)
    root->captured = true;
}

const Type *Sema::addressOf(UnaryExpr *e) {
  Expr *x = e->operand.get();
  const Type *t = expr(x);
  if (t == types_.invalid())
    return t;
  if (unparen(x)->kind == Expr::CompositeLit) // &T{…}: a new variable holding the literal
    return types_.pointer(t);
  if (!addressable(x)) {
    // A string's byte is named byte, as gc names it (toy's byte is uint8 itself).
    Expr *u = unparen(x);
    bool strByte = u->kind == Expr::Index && static_cast<IndexExpr *>(u)->base->type->isString();
    error(x->loc, "invalid operation: cannot take address of " +
                      (strByte ? exprString(x) + " (value of type byte)" : operand(x)));
    return types_.invalid();
  }
  markAddressTaken(x);
  return types_.pointer(t);
}

const Type *Sema::indirect(UnaryExpr *e) {
  Expr *x = e->operand.get();
  const Type *t = expr(x);
  if (t == types_.invalid())
    return t;
  if (isNil(x)) {
    error(x->loc, "invalid operation: cannot indirect nil");
    return types_.invalid();
  }
  if (!t->isPointer()) {
    error(x->loc, "invalid operation: cannot indirect " + operand(x));
    return types_.invalid();
  }
  return t->elem;
}

// newBuiltin checks new(T): T is a type (a name, or a composite type written as one).
const Type *Sema::newBuiltin(CallExpr *e) {
  if (e->args.size() != 1) {
    for (auto &a : e->args) {
      Expr *u = unparen(a.get());
      Object *o = u->kind == Expr::Ident ? lookup(static_cast<IdentExpr *>(u)->name) : nullptr;
      if (a->kind != Expr::TypeE && !(o && o->kind == Object::TypeName))
        expr(a.get());
    }
    error(e->loc, std::string("invalid operation: ") +
                      (e->args.empty() ? "not enough" : "too many") + " arguments for " +
                      exprString(e) + " (expected 1, found " + std::to_string(e->args.size()) +
                      ")");
    return types_.invalid();
  }
  Expr *a = e->args[0].get();
  const Type *t = types_.invalid();
  if (a->kind == Expr::TypeE) {
    t = resolveType(static_cast<TypeValueExpr *>(a)->typeExpr.get());
  } else if (Expr *u = unparen(a); u->kind == Expr::Ident) {
    Object *o = lookup(static_cast<IdentExpr *>(u)->name);
    if (o && o->kind == Object::TypeName) {
      static_cast<IdentExpr *>(u)->obj = o;
      t = o->type;
    } else if (expr(a) != types_.invalid()) {
      error(a->loc, operand(a) + " is not a type");
    }
  } else if (expr(a) != types_.invalid()) {
    error(a->loc, exprString(a) + " is not a type");
  }
  a->type = t;
  return t == types_.invalid() ? t : types_.pointer(t);
}

} // namespace toy
