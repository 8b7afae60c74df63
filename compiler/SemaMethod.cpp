//===- SemaMethod.cpp - method declarations, selectors and expressions ----===//
//
// A method belongs to a defined type of its own package: func (t T) M() or func (t *T) M().
// Its function takes the receiver as its first parameter (symbol main.T.M or main.(*T).M, as
// gc's); x.M for a call or a method value makes the selector's base the receiver argument,
// with Go's automatic &x (x addressable) and *p.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

#include <cctype>

namespace toy {

// declareMethods gives each method of the package its function object and adds it to its
// receiver base type's methods (types2's collectMethods and validRecv).
void Sema::declareMethods(File &f) {
  for (auto &fn : f.funcs) {
    if (!fn->method)
      continue;
    fn->type = signature(*fn);
    if (fn->recv.empty()) {
      error(fn->name.loc, "method has no receiver");
      continue;
    }
    if (fn->recv.size() > 1) {
      error(fn->name.loc, "method has multiple receivers");
      continue;
    }
    Param &r = fn->recv[0];
    const Type *rt = resolveType(r.type.get());
    if (rt == types_.invalid())
      continue;
    SourceLoc at = r.name.name.empty() ? r.type->loc : r.name.loc;
    bool ptr = !rt->isDefined() && rt->isPointer();
    const Type *base = ptr ? rt->elem : rt;
    if (r.type->variadic) {
      error(r.type->loc, "invalid use of ...");
      continue;
    }
    if (!base->isDefined() && !base->isNamed()) {
      error(at, "invalid receiver type " + rt->str());
      continue;
    }
    auto decl = localTypes_.find(base);
    if (decl == localTypes_.end()) {
      error(at, "cannot define new methods on non-local type " + base->str());
      continue;
    }
    if (base->isPointer()) {
      error(at, "invalid receiver type " + base->str() + " (pointer or interface type)");
      continue;
    }
    const std::string &name = fn->name.name;
    if (name != "_") {
      if (const Method *old = types_.method(base, name)) {
        error(fn->name.loc, base->str() + "." + name + " redeclared in this block\n\t" +
                                diags_.where(old->fn->loc) + ": other declaration of " + name);
        continue;
      }
      TypeExpr *under = decl->second->type.get();
      if (base->isStruct() && fieldIndex(base, name) >= 0) {
        std::string other;
        if (under->isStruct)
          for (auto &fe : under->fields)
            if (fe.name == name)
              other = "\n\t" + diags_.where(fe.loc) + ": other declaration of " + name;
        error(fn->name.loc, "field and method with the same name " + name + other);
        continue;
      }
    }
    std::vector<const Type *> ps = {rt};
    ps.insert(ps.end(), fn->type->params.begin(), fn->type->params.end());
    Object *o = newObject(Object::Func, name, types_.func(ps, fn->type->results, fn->type->variadic),
                          fn->name.loc);
    o->func = fn.get();
    o->symbol = path_ + "." + (ptr ? "(*" + base->name + ")" : base->name) + "." + name;
    fn->name.obj = o;
    if (name != "_")
      types_.addMethod(base, {name, o, fn->type, ptr});
  }
}

// noFieldOrMethod reports x.sel undefined, with types2's hint when the name differs only in
// case from a field or method t has.
void Sema::noFieldOrMethod(SelectorExpr *e, const Type *t) {
  auto fold = [](std::string s) {
    for (char &c : s)
      c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const Type *named = !t->isDefined() && t->isPointer() ? t->elem : t;
  std::string hint;
  for (const Method &m : types_.methods(named))
    if (m.name != e->sel && fold(m.name) == fold(e->sel))
      hint = m.name;
  if (named->isInterface())
    for (auto &f : named->fields)
      if (f.name != e->sel && fold(f.name) == fold(e->sel))
        hint = f.name;
  const Type *st = named->isStruct() ? named : nullptr;
  if (st)
    for (auto &f : st->fields)
      if (f.name != "_" && f.name != e->sel && fold(f.name) == fold(e->sel))
        hint = f.name;
  error(e->selLoc, exprString(e) + " undefined (type " + t->str() + " has no field or method " +
                       e->sel + (hint.empty() ? "" : ", but does have " + hint) + ")");
}

// methodSelector resolves x.M for x of type bt, a defined type T or a *T: the method M of T,
// with x made the receiver argument. Null when T has no method M.
const Type *Sema::methodSelector(SelectorExpr *e, const Type *bt) {
  bool viaPtr = !bt->isDefined() && bt->isPointer() && bt->elem->isDefined();
  const Type *t = viaPtr ? bt->elem : bt;
  const Method *m = t->isDefined() ? types_.method(t, e->sel) : nullptr;
  if (!m)
    return nullptr;
  if (m->ptrRecv && !viaPtr) {
    // x.M() is (&x).M() for an addressable x of type T.
    if (!addressable(e->base.get())) {
      error(e->selLoc, "cannot call pointer method " + e->sel + " on " + t->str());
      return types_.invalid();
    }
    markAddressTaken(e->base.get());
    SourceLoc loc = e->base->loc;
    e->base = std::make_unique<UnaryExpr>(loc, Tok::And, std::move(e->base));
    e->base->type = types_.pointer(t);
  } else if (!m->ptrRecv && viaPtr) {
    // p.M() is (*p).M() for p of type *T.
    SourceLoc loc = e->base->loc;
    e->base = std::make_unique<UnaryExpr>(loc, Tok::Mul, std::move(e->base));
    e->base->type = t;
  }
  e->method = m->fn;
  return m->sig;
}

// typeOperand is the type x denotes when x is a type name T or (*T), else null.
const Type *Sema::typeOperand(Expr *x) {
  x = unparen(x);
  bool ptr = false;
  if (x->kind == Expr::Unary && static_cast<UnaryExpr *>(x)->op == Tok::Mul) {
    ptr = true;
    x = unparen(static_cast<UnaryExpr *>(x)->operand.get());
  }
  Object *o = nullptr;
  if (x->kind == Expr::Ident) {
    auto *id = static_cast<IdentExpr *>(x);
    o = lookupAt(id->name, id->loc);
    if (!o || o->kind != Object::TypeName)
      return nullptr;
    id->obj = o;
  } else if (x->kind == Expr::Selector) { // pkg.T
    auto *s = static_cast<SelectorExpr *>(x);
    Expr *pkg = unparen(s->base.get());
    if (pkg->kind != Expr::Ident)
      return nullptr;
    Object *p = lookupAt(static_cast<IdentExpr *>(pkg)->name, pkg->loc);
    if (!p || p->kind != Object::Package || p->symbol.empty()) // an import in error
      return nullptr;
    Object *m = packageOf_.at(p)->member(s->sel);
    if (!m || m->kind != Object::TypeName)
      return nullptr;
    if (!importedMember(p, s->sel, s->selLoc))
      return types_.invalid();
    p->used = true;
    static_cast<IdentExpr *>(pkg)->obj = p;
    s->obj = o = m;
  } else if (x->kind == Expr::TypeE) { // a type literal: (interface{ M() }), *struct{…}
    const Type *t = resolveType(static_cast<TypeValueExpr *>(x)->typeExpr.get());
    x->type = t;
    return t == types_.invalid() || !ptr ? t : types_.pointer(t);
  } else {
    return nullptr;
  }
  o->used = true;
  const Type *t = typeNameType(o);
  if (t == types_.invalid())
    return t;
  return ptr ? types_.pointer(t) : t;
}

// methodExpr resolves T.M or (*T).M: M as a function taking the receiver first. (*T).M of a
// value method M, T.M of a method promoted through embedded fields, and I.M of an interface
// type I are gc's generated wrappers, which IRGen makes.
const Type *Sema::methodExpr(SelectorExpr *e, const Type *rt) {
  e->methodExpr = true;
  if (rt == types_.invalid())
    return rt;
  bool ptr = !rt->isDefined() && rt->isPointer();
  const Type *t = ptr ? rt->elem : rt;
  if (t->isInterface()) {
    // I.M is func(I, params) results, calling M through the itab; *I has no methods.
    const Type *sig = ptr ? nullptr : t->imethod(e->sel);
    if (ptr && t->imethod(e->sel))
      error(e->selLoc, exprString(e) + " undefined (type " + rt->str() +
                           " is pointer to interface, not interface)");
    else if (!sig)
      noFieldOrMethod(e, rt);
    if (!sig)
      return types_.invalid();
    std::vector<const Type *> ps = {rt};
    ps.insert(ps.end(), sig->params.begin(), sig->params.end());
    return types_.func(ps, sig->results, sig->variadic);
  }
  Selection sel = types_.lookupFieldOrMethod(rt, e->sel, path_);
  if (sel.kind == Selection::Ambiguous) {
    error(e->selLoc, "ambiguous selector " + exprString(e));
    return types_.invalid();
  }
  if (sel.kind == Selection::None) {
    noFieldOrMethod(e, rt);
    return types_.invalid();
  }
  if (sel.kind == Selection::Field) { // types2: found, but not a method
    error(e->selLoc, exprString(e) + " undefined (type " + rt->str() + " has no method " +
                         e->sel + ")");
    return types_.invalid();
  }
  const Method *m = sel.method;
  // A pointer method is in the method set of T only through an embedded pointer.
  if (m && m->ptrRecv && !sel.indirect) {
    error(e->selLoc, "cannot call pointer method " + e->sel + " on " + t->str());
    return types_.invalid();
  }
  e->path = sel.path;
  e->method = m ? m->fn : nullptr; // null: a method of the embedded interface field path ends at
  const Type *sig = sel.sig();
  std::vector<const Type *> ps = {rt};
  ps.insert(ps.end(), sig->params.begin(), sig->params.end());
  return types_.func(ps, sig->results, sig->variadic);
}

} // namespace toy
