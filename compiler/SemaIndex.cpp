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
  if (bt->isMap())
    return mapIndex(e, bt);
  e->commaOk = false; // not a map: v, ok = a[i] is a mismatch, reported as such
  if (bt->isArrayPointer())
    bt = bt->elem; // p[i] is (*p)[i]
  if (bt->isArray() || bt->isSlice())
    return checkIndex(e->index.get(), bt->isArray() ? bt->len : -1) ? bt->elem : types_.invalid();
  if (!bt->isString()) {
    error(e->lbrack, "invalid operation: cannot index " + operand(e->base.get()));
    return types_.invalid();
  }
  int64_t length = e->base->isConstString ? int64_t(constString(e->base.get()).size()) : -1;
  if (bt->isUntyped())
    defaultize(e->base.get());
  if (!checkIndex(e->index.get(), length))
    return types_.invalid();
  return types_.byteT(); // a string's bytes, named byte as types2 names them
}

const Type *Sema::sliceExpr(SliceExpr *e) {
  const Type *bt = expr(e->base.get());
  bool ok = bt != types_.invalid();
  for (Expr *b : {e->lo.get(), e->hi.get(), e->max.get()})
    if (b && expr(b) == types_.invalid())
      ok = false;
  if (!ok)
    return types_.invalid();
  // Slicing keeps a slice's or a string's own type (a defined one too).
  const Type *result = bt->isSlice() || (bt->isString() && !bt->isUntyped()) ? bt : types_.stringT();
  int64_t bound = -1; // a constant string's or an array's bounds may reach its length
  if (bt->isArrayPointer()) { // p[lo:hi] is (*p)[lo:hi], and *p is addressable
    result = types_.slice(bt->elem->elem);
    bound = bt->elem->len + 1;
  } else if (bt->isArray()) {
    if (!addressable(e->base.get())) {
      error(e->base->loc, "invalid operation: " + exprString(e) + " (slice of unaddressable value)");
      return types_.invalid();
    }
    result = types_.slice(bt->elem);
    bound = bt->len + 1;
  } else if (!bt->isString() && !bt->isSlice()) {
    error(e->base->loc, "invalid operation: cannot slice " + operand(e->base.get()));
    return types_.invalid();
  }
  if (bt->isString() && e->slice3) {
    error(e->max->loc, "invalid operation: 3-index slice of string");
    return types_.invalid();
  }
  if (e->base->isConstString)
    bound = int64_t(constString(e->base.get()).size()) + 1;
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
  return result;
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
      kv[1] = types_.runeT();
    } else if (xt->isArray() || xt->isSlice() || xt->isArrayPointer()) {
      kv[0] = types_.intT();
      kv[1] = xt->isArrayPointer() ? xt->elem->elem : xt->elem;
    } else if (xt->isMap()) {
      kv[0] = xt->key;
      kv[1] = xt->elem;
    } else if (xt->isChan()) {
      // A channel gives one iteration variable, its received values.
      if (f->rangeLhs.size() > 1)
        error(f->rangeLhs[1]->loc,
              "range over " + operand(f->rangeX.get()) + " permits only one iteration variable");
      if (xt->dir == Type::SendOnly)
        error(f->rangeX->loc, "cannot range over " + operand(f->rangeX.get()) +
                                  " (receive from send-only channel)");
      kv[0] = xt->elem;
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
      if (lt != types_.invalid() && kv[i] != types_.invalid() && !kv[i]->assignableTo(lt))
        error(l->loc, "cannot use " + exprString(l) + " (value of type " + kv[i]->str() +
                          ") as type " + lt->str() + " in assignment");
    }
  }
  branches_.targets.push_back(f);
  checkBlock(f->body.get());
  branches_.targets.pop_back();
  popScope();
}

// isMapIndex: e is m[k] of a map m.
static bool isMapIndex(const Expr *e) {
  return e->kind == Expr::Index && static_cast<const IndexExpr *>(e)->base->type &&
         static_cast<const IndexExpr *>(e)->base->type->isMap();
}

// lvalue checks an assignment's target and returns its type: a variable, an addressable
// expression or a map index expression. Assigning is not a use of the variable (Go reports "declared but not
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
  if (t == types_.invalid() || addressable(l) || isMapIndex(u))
    return t; // a map index expression is assignable, though not addressable
  if (u->kind == Expr::Selector && isMapIndex(unparen(static_cast<SelectorExpr *>(u)->base.get())) &&
      !static_cast<SelectorExpr *>(u)->deref) {
    error(l->loc, "cannot assign to struct field " + exprString(l) + " in map");
    return types_.invalid();
  }
  error(l->loc, "cannot assign to " + exprString(l) + " (value of type " + t->str() + ")");
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

// elidedLit checks an element or key whose literal type is elided ({…} in []T{{…}}): a
// literal of type want, or, for want a pointer type *T, the address of a T literal, which x
// becomes: &T{…} (Go's spec, "Composite literals").
bool Sema::elidedLit(ExprPtr &x, const Type *want) {
  auto *lit = static_cast<CompositeLitExpr *>(x.get());
  const Type *u = want->underlying();
  if (!u->isPointer()) {
    x->type = compositeLit(lit, want);
    return identical(x->type, want);
  }
  const Type *b = u->elem->underlying();
  if (!b->isStruct() && !b->isArray() && !b->isSlice() && !b->isMap()) {
    error(x->loc, "invalid composite literal type " + want->str()); // gc names the pointer
    return false;
  }
  SourceLoc loc = x->loc;
  x = std::make_unique<UnaryExpr>(loc, Tok::And, std::move(x));
  lit->type = compositeLit(lit, u->elem);
  x->type = identical(lit->type, u->elem) ? want : types_.invalid();
  return identical(lit->type, u->elem);
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
  if (!t && !te)
    error(e->loc, "missing type in composite literal");
  if (!t || t == types_.invalid()) {
    for (auto &v : e->values)
      if (v->kind != Expr::CompositeLit)
        expr(v.get());
    return types_.invalid();
  }
  if (t->isStruct())
    return structLit(e, t);
  if (t->isMap())
    return mapLit(e, t);
  if (!t->isArray() && !t->isSlice()) {
    error(e->loc, "invalid composite literal type " + t->str());
    return types_.invalid();
  }
  if (t->isSlice())
    ellipsis = true; // no bound: the length comes from the indices
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
      ok &= elidedLit(e->values[i], t->elem);
    } else {
      expr(v);
      ok &= assign(e->values[i], t->elem, "array or slice literal");
    }
    maxLen = std::max(maxLen, ++next);
  }
  e->length = maxLen;
  if (ellipsis && t->isArray())
    t = types_.array(t->elem, maxLen);
  return ok ? t : types_.invalid();
}

// sliceBuiltin checks cap, append, copy and make with Go 1.19's messages.
const Type *Sema::sliceBuiltin(CallExpr *e, Object *b) {
  auto &args = e->args;
  std::string name = b->name;
  if (b->builtin == BMake) {
    // make(T, ...) with T a type name (a defined slice, map or channel type, or any other type
    // make then rejects) or a type literal
    const Type *named =
        !args.empty() && args[0]->kind != Expr::TypeE ? typeOperand(args[0].get()) : nullptr;
    if (!named && (args.empty() || args[0]->kind != Expr::TypeE)) {
      // make's first argument is a type; anything else is checked as a value for its errors
      if (!args.empty() && expr(args[0].get()) != types_.invalid())
        error(args[0]->loc, exprString(args[0].get()) + " is not a type");
      for (size_t i = 1; i < args.size(); ++i)
        expr(args[i].get());
      if (args.empty())
        error(e->rparen, "not enough arguments for make() (expected 1, found 0)");
      return types_.invalid();
    }
    const Type *t =
        named ? named : resolveType(static_cast<TypeValueExpr *>(args[0].get())->typeExpr.get());
    args[0]->type = t;
    for (size_t i = 1; i < args.size(); ++i)
      expr(args[i].get());
    if (t == types_.invalid())
      return t;
    if (t->isChan())
      return makeChan(e, t);
    if (t->isMap())
      return makeMap(e, t);
    if (!t->isSlice()) {
      error(args[0]->loc, "invalid argument: cannot make " + exprString(args[0].get()) +
                              "; type must be slice, map, or channel");
      return types_.invalid();
    }
    if (args.size() < 2 || args.size() > 3) {
      error(e->loc, "invalid operation: " + exprString(e) + " expects 2 or 3 arguments; found " +
                        std::to_string(args.size()));
      return types_.invalid();
    }
    for (size_t i = 1; i < args.size(); ++i)
      if (!checkIndex(args[i].get(), -1))
        return types_.invalid();
    if (args.size() == 3 && args[1]->isConst && args[2]->isConst &&
        args[2]->constVal < args[1]->constVal) {
      error(args[1]->loc, "invalid argument: length and capacity swapped");
      return types_.invalid();
    }
    return t;
  }
  std::vector<const Type *> ts;
  for (auto &a : args)
    ts.push_back(expr(a.get()));
  for (const Type *t : ts)
    if (t == types_.invalid())
      return t;
  auto count = [&](size_t want) {
    if (args.size() == want)
      return true;
    error(args.size() < want ? e->rparen : args[want]->loc,
          std::string("invalid operation: ") + (args.size() < want ? "not enough" : "too many") +
              " arguments for " + exprString(e) + " (expected " + std::to_string(want) +
              ", found " + std::to_string(args.size()) + ")");
    return false;
  };
  switch (b->builtin) {
  case BCap: {
    if (!count(1))
      return types_.invalid();
    const Type *t = ts[0];
    if (t->isArrayPointer())
      t = t->elem; // cap(p) is the array's length; p is not dereferenced
    if (t->isArray() && unparen(args[0].get())->kind == Expr::Ident) {
      e->isConst = true;
      e->constVal = t->len;
    }
    if (!t->isSlice() && !t->isArray() && !t->isChan()) {
      error(args[0]->loc, "invalid argument: " + operand(args[0].get()) + " for cap");
      return types_.invalid();
    }
    return types_.intT();
  }
  case BCopy: {
    if (!count(2))
      return types_.invalid();
    const Type *d = ts[0], *s = ts[1];
    bool srcOk =
        s->isSlice() || (s->isString() && d->isSlice() && identical(d->elem, types_.uint8T()));
    if (!d->isSlice() || !srcOk) {
      error(args[0]->loc, "invalid argument: copy expects slice arguments; found " +
                        operand(args[0].get()) + " and " + operand(args[1].get()));
      return types_.invalid();
    }
    if (s->isSlice() && !identical(d->elem, s->elem)) {
      error(args[0]->loc, "invalid argument: arguments to copy " + operand(args[0].get()) + " and " +
                        operand(args[1].get()) + " have different element types " +
                        d->elem->str() + " and " + s->elem->str());
      return types_.invalid();
    }
    if (s->isUntyped())
      defaultize(args[1].get());
    return types_.intT();
  }
  default: { // append
    if (args.empty()) {
      error(e->loc, "not enough arguments for append() (expected 1, found 0)");
      return types_.invalid();
    }
    const Type *st = ts[0];
    if (!st->isSlice()) {
      error(args[0]->loc,
            "first argument to append must be a slice; have " + operand(args[0].get()));
      return types_.invalid();
    }
    if (e->hasDots) {
      if (args.size() != 2) {
        error(e->loc, "can only use ... with final argument in list");
        return types_.invalid();
      }
      const Type *t = ts[1];
      bool bytes = t->isString() && identical(st->elem, types_.uint8T());
      if (bytes && t->isUntyped())
        defaultize(args[1].get());
      else if (!bytes && !assign(args[1], st, "argument to append"))
        return types_.invalid();
      return st;
    }
    for (size_t i = 1; i < args.size(); ++i)
      if (!assign(args[i], st->elem, "argument to append"))
        return types_.invalid();
    return st;
  }
  }
}

} // namespace toy
