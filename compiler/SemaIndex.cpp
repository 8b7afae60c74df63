//===- SemaIndex.cpp - index, slice and range checking --------------------===//
#include "Sema.h"

namespace toy {

// checkIndex checks an index or slice bound: an integer, not negative, and below `bound` when
// both are constant (bound < 0: not known). Untyped constants become int, as in Go.
bool Sema::checkIndex(Expr *i, int64_t bound) {
  const Type *t = i->type;
  if (t == types_.invalid())
    return false;
  if (!t->isInteger()) {
    if (t->isUntyped())
      error(i->loc, "cannot convert " + operand(i) + " to int");
    else
      error(i->loc, "invalid argument: index " + operand(i) + " must be integer");
    return false;
  }
  if (t->isUntyped() && !convertUntyped(i, types_.intT(), "index"))
    return false;
  if (!i->isConst)
    return true;
  if (i->constVal.isNegative()) {
    error(i->loc, "invalid argument: index " + operand(i) + " must not be negative");
    return false;
  }
  if (bound >= 0 && !(i->constVal < ConstInt(bound))) {
    error(i->loc, "invalid argument: index " + exprString(i) + " out of bounds [0:" +
                      std::to_string(bound) + "]");
    return false;
  }
  return true;
}

const Type *Sema::index(IndexExpr *e) {
  const Type *bt = expr(e->base.get());
  const Type *it = expr(e->index.get());
  if (bt == types_.invalid() || it == types_.invalid())
    return types_.invalid();
  if (!bt->isString()) {
    error(e->lbrack, "invalid operation: cannot index " + operand(e->base.get()));
    return types_.invalid();
  }
  int64_t length = e->base->isConstString ? int64_t(constString(e->base.get()).size()) : -1;
  if (bt->isUntyped())
    defaultize(e->base.get());
  if (!checkIndex(e->index.get(), length))
    return types_.invalid();
  return types_.uint8T(); // a string's bytes
}

const Type *Sema::sliceExpr(SliceExpr *e) {
  const Type *bt = expr(e->base.get());
  bool ok = bt != types_.invalid();
  for (Expr *b : {e->lo.get(), e->hi.get(), e->max.get()})
    if (b && expr(b) == types_.invalid())
      ok = false;
  if (!ok)
    return types_.invalid();
  if (!bt->isString()) {
    error(e->base->loc, "invalid operation: cannot slice " + operand(e->base.get()));
    return types_.invalid();
  }
  if (e->slice3) {
    error(e->max->loc, "invalid operation: 3-index slice of string");
    return types_.invalid();
  }
  // A constant string's bounds may reach its length.
  int64_t bound = e->base->isConstString ? int64_t(constString(e->base.get()).size()) + 1 : -1;
  if (bt->isUntyped())
    defaultize(e->base.get()); // slicing an untyped string gives a string value
  for (Expr *b : {e->lo.get(), e->hi.get(), e->max.get()})
    if (b && !checkIndex(b, bound))
      return types_.invalid();
  // Constant bounds must be in order (types2 reports at the smaller, later one).
  Expr *bs[] = {e->lo.get(), e->hi.get(), e->max.get()};
  for (int j = 1; j < 3; ++j)
    for (int k = 0; k < j; ++k)
      if (bs[j] && bs[k] && bs[j]->isConst && bs[k]->isConst && bs[j]->constVal < bs[k]->constVal) {
        error(bs[j]->loc, "invalid slice indices: " + bs[j]->constVal.str() + " < " +
                              bs[k]->constVal.str());
        return types_.invalid();
      }
  return types_.stringT();
}

// checkRange checks `for k, v := range x` (or `= range`): x is evaluated once, k and v take
// the key and element types of x (for a string: the byte index and the rune at it).
void Sema::checkRange(ForStmt *f) {
  pushScope();
  const Type *xt = expr(f->rangeX.get());
  const Type *kv[2] = {types_.invalid(), types_.invalid()};
  if (xt != types_.invalid()) {
    if (xt->isString()) {
      if (xt->isUntyped())
        defaultize(f->rangeX.get());
      kv[0] = types_.intT();
      kv[1] = types_.int32T();
    } else {
      error(f->rangeX->loc, "cannot range over " + operand(f->rangeX.get()));
    }
  }
  if (f->rangeDefine) {
    std::vector<Object *> fresh;
    for (size_t i = 0; i < f->rangeLhs.size(); ++i) {
      auto *id = static_cast<IdentExpr *>(f->rangeLhs[i].get());
      NameDef n{id->loc, id->name, nullptr};
      if (id->name != "_") {
        n.obj = newObject(Object::Var, id->name, kv[i], id->loc);
        if (kv[i] == types_.invalid())
          n.obj->used = true; // reported already
        fresh.push_back(n.obj);
      }
      f->rangeNames.push_back(n);
    }
    for (Object *o : fresh)
      declare(o);
  } else {
    for (size_t i = 0; i < f->rangeLhs.size(); ++i) {
      Expr *l = f->rangeLhs[i].get();
      Expr *u = unparen(l);
      if (u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->name == "_")
        continue;
      const Type *lt = lvalue(l);
      if (lt != types_.invalid() && kv[i] != types_.invalid() && lt != kv[i])
        error(l->loc, "cannot use " + exprString(l) + " (value of type " + kv[i]->str() +
                          ") as type " + lt->str() + " in assignment");
    }
  }
  branches_.targets.push_back(f);
  checkBlock(f->body.get());
  branches_.targets.pop_back();
  popScope();
}

// lvalue checks an assignment's target and returns its type: a variable or an addressable
// index expression. Assigning is not a use of the variable (Go reports "declared but not
// used" regardless).
const Type *Sema::lvalue(Expr *l) {
  Expr *u = unparen(l);
  if (u->kind == Expr::Ident) {
    auto *id = static_cast<IdentExpr *>(u);
    Object *o = lookup(id->name);
    if (o && o->kind == Object::Var) {
      id->obj = o;
      noteUse(o);
      for (Expr *p = l;; p = static_cast<ParenExpr *>(p)->inner.get()) {
        p->type = o->type;
        if (p == u)
          break;
      }
      return o->type;
    }
  }
  const Type *t = expr(l);
  if (t == types_.invalid())
    return t;
  if (u->kind == Expr::Index && static_cast<IndexExpr *>(u)->base->type->isString())
    error(l->loc, "cannot assign to " + exprString(l) + " (value of type " +
                      std::string(t == types_.uint8T() ? "byte" : t->str()) + ")");
  else
    error(l->loc, "cannot assign to " + exprString(l) +
                      " (neither addressable nor a map index expression)");
  return types_.invalid();
}

} // namespace toy
