//===- SemaIface.cpp - interface types, satisfaction, assertions, type switches -===//
//
// An interface type is its method set, sorted by name, embedded interfaces' methods included
// (types2's computeInterfaceTypeSet). A type implements an interface when its method set has
// every method with an identical signature: a value type T's method set holds its value
// methods and those promoted through embedded *E; *T's holds them all (types2's
// missingMethod). A value assigned to an interface type is wrapped in an ImplicitConvExpr.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

#include <algorithm>

namespace toy {

const Type *Sema::interfaceType(TypeExpr *t) {
  std::vector<Type::Field> methods;
  auto add = [&](SourceLoc loc, const std::string &name, const Type *sig) {
    for (auto &m : methods)
      if (m.name == name) {
        if (!identical(m.type, sig)) // the same method through two embedded interfaces is fine
          error(loc, "duplicate method " + name);
        return;
      }
    methods.push_back({name, sig});
  };
  for (auto &f : t->fields) {
    if (!f.embedded) {
      const Type *sig = resolveType(f.type.get());
      if (sig != types_.invalid())
        add(f.loc, f.name, sig);
      continue;
    }
    const Type *et = resolveType(f.type.get());
    if (et == types_.invalid())
      continue;
    if (!et->isInterface()) {
      error(f.loc, "toy does not support type constraints yet");
      continue;
    }
    for (auto &m : et->fields)
      add(f.loc, m.name, m.type);
  }
  return types_.interfaceType(std::move(methods));
}

// missingMethod is why t does not implement interface iface, in gc 1.19's words inside the
// parentheses ("missing M method"), or "" when it does; a wrong signature adds gc's have and
// want lines to detail.
std::string Sema::missingMethod(const Type *t, const Type *iface, std::string *detail) {
  for (auto &im : iface->fields) {
    const Type *sig = nullptr;
    if (t->isInterface()) {
      sig = t->imethod(im.name);
    } else {
      Selection s = types_.lookupFieldOrMethod(t, im.name, path_);
      if (s.kind == Selection::Method) {
        sig = s.sig();
        bool ptr = t->isPointer() && !t->isDefined();
        if (identical(sig, im.type) && !ptr && s.method && s.method->ptrRecv && !s.indirect)
          return im.name + " method has pointer receiver";
      }
    }
    if (!sig)
      return "missing " + im.name + " method";
    if (!identical(sig, im.type)) {
      if (detail)
        *detail = "\n\t\thave " + im.name + sig->str().substr(4) + "\n\t\twant " + im.name +
                  im.type->str().substr(4);
      return "wrong type for " + im.name + " method";
    }
  }
  return "";
}

// notImplemented is gc's "T does not implement I (why)" with its detail lines, or "".
std::string Sema::notImplemented(const Type *t, const Type *iface) {
  std::string detail, why = missingMethod(t, iface, &detail);
  if (why.empty())
    return "";
  return t->str() + " does not implement " + iface->str() + " (" + why + ")" + detail;
}

// toInterface checks that e's value converts to interface type target and wraps it in the
// conversion; an untyped constant takes its default type first.
bool Sema::toInterface(ExprPtr &e, const Type *target, const std::function<std::string()> &what) {
  if (e->type->isUntyped())
    defaultize(e.get());
  if (identical(e->type, target) || e->type == types_.invalid())
    return identical(e->type, target);
  std::string why = notImplemented(e->type, target);
  if (!why.empty()) {
    error(e->loc, what() + ":\n\t" + why);
    return false;
  }
  e = std::make_unique<ImplicitConvExpr>(std::move(e), target);
  return true;
}

bool Sema::assign(ExprPtr &e, const Type *target, const std::string &context) {
  const Type *t = e->type;
  if (t && t != types_.invalid() && t != types_.voidT() && target != types_.invalid() &&
      target->isInterface() && t->kind != Type::UntypedNil && !identical(t, target))
    return toInterface(e, target, [&] {
      return "cannot use " + operand(e.get()) + " as type " + target->str() + " in " + context;
    });
  return assign(e.get(), target, context);
}

// The method x.M of an interface value x: its signature; the call goes through the itab.
const Type *Sema::interfaceMethod(SelectorExpr *e, const Type *bt) {
  for (size_t i = 0; i < bt->fields.size(); ++i)
    if (bt->fields[i].name == e->sel) {
      e->imethod = int(i);
      return bt->fields[i].type;
    }
  return nullptr;
}

// typeAssert checks x.(T): x is an interface, and a concrete T implements it.
const Type *Sema::typeAssert(TypeAssertExpr *e) {
  const Type *xt = expr(e->x.get());
  if (!e->assertType) {
    error(e->x->loc, "invalid AST: use of .(type) outside type switch");
    return types_.invalid();
  }
  if (xt == types_.invalid())
    return xt;
  if (!xt->isInterface()) {
    error(e->x->loc, "invalid operation: " + operand(e->x.get()) + " is not an interface");
    return types_.invalid();
  }
  const Type *t = resolveType(e->assertType.get());
  if (t == types_.invalid())
    return t;
  if (!t->isInterface()) {
    std::string why = notImplemented(t, xt);
    if (!why.empty()) {
      error(e->x->loc, "impossible type assertion: " + exprString(e) + "\n\t" + why);
      return types_.invalid();
    }
  }
  if (e->commaOk)
    return types_.tuple({t, types_.boolT()});
  return t;
}

// caseType is the type a type switch case names (T, *T, pkg.T, []T, interface{…}), or null
// after reporting one that names none.
const Type *Sema::caseType(Expr *v) {
  if (v->kind == Expr::TypeE)
    return resolveType(static_cast<TypeValueExpr *>(v)->typeExpr.get());
  if (const Type *t = typeOperand(v))
    return t;
  const Type *t = expr(v);
  if (t != types_.invalid())
    error(v->loc, exprString(v) + " is not a type");
  return types_.invalid();
}

// checkTypeSwitch checks switch [v :=] x.(type) { case T1, T2: … }: x is an interface, each
// case a type (or nil) x may hold, no type twice; v is declared in each clause, with the
// clause's type when it names exactly one, else x's type, and must be used in one of them.
void Sema::checkTypeSwitch(SwitchStmt *s) {
  pushScope();
  checkStmt(s->init.get());
  auto *g = static_cast<TypeAssertExpr *>(s->tag.get());
  const Type *xt = expr(g->x.get());
  if (xt != types_.invalid() && !xt->isInterface()) {
    error(g->x->loc, operand(g->x.get()) + " is not an interface");
    xt = types_.invalid();
  }
  g->type = xt;
  const CaseClause *firstDefault = nullptr;
  std::vector<std::pair<const Type *, const Expr *>> seen; // nil is a null type
  std::vector<Object *> vars;
  for (auto &c : s->clauses) {
    if (c.isDefault) {
      if (firstDefault)
        error(c.loc, "multiple defaults (first at " + diags_.where(firstDefault->loc) + ")");
      else
        firstDefault = &c;
    }
    for (auto &v : c.values) {
      Expr *u = unparen(v.get());
      bool nilCase = u->kind == Expr::Ident &&
                     lookupAt(static_cast<IdentExpr *>(u)->name, u->loc) == nil_;
      if (nilCase)
        static_cast<IdentExpr *>(u)->obj = nil_;
      const Type *t = nilCase ? nullptr : caseType(v.get());
      if (!t)
        v->type = types_.untypedNil();
      if (t == types_.invalid() || xt == types_.invalid()) {
        c.caseTypes.push_back(types_.invalid());
        continue;
      }
      auto prev = std::find_if(seen.begin(), seen.end(), [&](auto &p) {
        return p.first == t || (p.first && t && identical(p.first, t));
      });
      if (prev != seen.end())
        error(v->loc, "duplicate case " + (t ? t->str() : std::string("nil")) +
                          " in type switch\n\t" + diags_.where(prev->second->loc) +
                          ": previous case");
      else
        seen.emplace_back(t, v.get());
      if (t && !t->isInterface()) {
        std::string why = missingMethod(t, xt, nullptr);
        if (!why.empty()) {
          error(v->loc, "impossible type switch case: " + exprString(v.get()) + "\n\t" +
                            operand(g->x.get()) + " cannot have dynamic type " + t->str() +
                            " (" + why + ")");
        }
      }
      c.caseTypes.push_back(t);
    }
    branches_.targets.push_back(s);
    pushScope(); // each clause is an implicit block
    if (!s->bind.name.empty() && s->bind.name != "_") {
      const Type *vt = c.caseTypes.size() == 1 && c.caseTypes[0] ? c.caseTypes[0] : xt;
      c.var = newObject(Object::Var, s->bind.name, vt, s->bind.loc);
      scopes_.back().names[s->bind.name] = c.var;
      c.var->funcLevel = funcLevel_;
      vars.push_back(c.var);
    }
    for (auto &b : c.body)
      checkStmt(b.get());
    popScope();
    branches_.targets.pop_back();
  }
  if (!s->bind.name.empty() &&
      std::none_of(vars.begin(), vars.end(), [](Object *o) { return o->used; }))
    unused_.push_back({s->bind.loc, s->bind.name + " declared but not used"});
  popScope();
}

} // namespace toy
