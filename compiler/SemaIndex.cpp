//===- SemaIndex.cpp - index, slice and range checking --------------------===//
#include "Sema.h"

#include <algorithm>

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
  if (bt->isArray())
    return checkIndex(e->index.get(), bt->len) ? bt->elem : types_.invalid();
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
    } else if (xt->isArray()) {
      kv[0] = types_.intT();
      kv[1] = xt->elem;
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
  if (t == types_.invalid() || addressable(l))
    return t;
  if (u->kind == Expr::Index)
    error(l->loc, "cannot assign to " + exprString(l) + " (value of type " +
                      std::string(t == types_.uint8T() ? "byte" : t->str()) + ")");
  else
    error(l->loc, "cannot assign to " + exprString(l) +
                      " (neither addressable nor a map index expression)");
  return types_.invalid();
}

// arrayType resolves [N]T: N must be a non-negative integer constant.
const Type *Sema::arrayType(TypeExpr *t) {
  if (t->ellipsis) {
    error(t->loc, "invalid use of [...] array (outside a composite literal)");
    resolveType(t->elem.get());
    return types_.invalid();
  }
  Expr *n = t->arrayLen.get();
  const Type *nt = expr(n);
  const Type *elem = resolveType(t->elem.get());
  if (nt == types_.invalid() || elem == types_.invalid())
    return types_.invalid();
  if (!n->isConst || !nt->isInteger()) {
    error(n->loc, "invalid array length " + exprString(n));
    return types_.invalid();
  }
  if (n->constVal.isNegative() || !n->constVal.fitsSigned(64)) {
    error(n->loc, "invalid array length " + operand(n));
    return types_.invalid();
  }
  if (nt->isUntyped())
    convertUntyped(n, types_.intT());
  return types_.array(elem, n->constVal.small());
}

// compositeLit checks an array literal: each element's index (its key, a constant, or the
// previous one plus one) is unique and in bounds; [...]T takes its length from them.
const Type *Sema::compositeLit(CompositeLitExpr *e, const Type *hint) {
  const Type *t = hint;
  TypeExpr *te = e->litType.get();
  bool ellipsis = te && te->isArray && te->ellipsis;
  if (ellipsis) {
    const Type *elem = resolveType(te->elem.get());
    t = elem == types_.invalid() ? elem : types_.array(elem, 0);
  } else if (te) {
    t = resolveType(te);
  }
  if (!t || t == types_.invalid()) {
    for (auto &v : e->values)
      if (v->kind != Expr::CompositeLit)
        expr(v.get());
    return types_.invalid();
  }
  if (!t->isArray()) {
    error(e->loc, "invalid composite literal type " + t->str());
    return types_.invalid();
  }
  bool ok = true;
  int64_t next = 0, maxLen = 0;
  std::vector<int64_t> seen;
  for (size_t i = 0; i < e->values.size(); ++i) {
    if (Expr *k = e->keys[i].get()) {
      const Type *kt = expr(k);
      if (kt == types_.invalid()) {
        ok = false;
      } else if (!k->isConst || !kt->isInteger()) {
        error(e->colons[i], "index " + exprString(k) + " must be integer constant");
        ok = false;
      } else if (checkIndex(k, ellipsis ? -1 : t->len)) {
        next = k->constVal.small();
      } else {
        ok = false;
      }
    } else if (!ellipsis && next >= t->len) {
      error(e->values[i]->loc, "index " + std::to_string(next) + " is out of bounds (>= " +
                                   std::to_string(t->len) + ")");
      ok = false;
    }
    if (std::find(seen.begin(), seen.end(), next) != seen.end()) {
      error(e->keys[i] ? e->colons[i] : e->values[i]->loc,
            "duplicate index " + std::to_string(next) + " in array or slice literal");
      ok = false;
    }
    seen.push_back(next);
    e->indices.push_back(next);
    Expr *v = e->values[i].get();
    if (v->kind == Expr::CompositeLit && !static_cast<CompositeLitExpr *>(v)->litType) {
      v->type = compositeLit(static_cast<CompositeLitExpr *>(v), t->elem);
      ok &= v->type == t->elem;
    } else {
      expr(v);
      ok &= assign(v, t->elem, "array or slice literal");
    }
    maxLen = std::max(maxLen, ++next);
  }
  if (ellipsis)
    t = types_.array(t->elem, maxLen);
  return ok ? t : types_.invalid();
}

} // namespace toy
