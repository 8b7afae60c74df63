//===- SemaCall.cpp - signatures and call arguments, variadic ones too ----===//
#include "Sema.h"

namespace toy {

const Type *Sema::signature(const std::vector<TypeExpr *> &params,
                            const std::vector<TypeExpr *> &results) {
  std::vector<const Type *> ps, rs;
  bool variadic = false;
  for (size_t i = 0; i < params.size(); ++i) {
    TypeExpr *t = params[i];
    if (t && t->variadic && i + 1 != params.size()) {
      // The names of a group (a, b ...int) share the type as written: one error, as gc's.
      if (i == 0 || params[i - 1]->loc.offset != t->loc.offset)
        error(t->loc, "can only use ... with final parameter in list");
      ps.push_back(t->resolved = resolveType(t->elem.get()));
      continue;
    }
    variadic = t && t->variadic;
    ps.push_back(resolveType(t));
  }
  for (TypeExpr *r : results) {
    if (r && r->variadic) {
      error(r->loc, "can only use ... with final parameter in list");
      rs.push_back(r->resolved = resolveType(r->elem.get()));
      continue;
    }
    rs.push_back(resolveType(r));
  }
  return types_.func(ps, rs, variadic);
}

const Type *Sema::signature(FuncDecl &fn) {
  std::vector<TypeExpr *> ps, rs;
  for (auto &p : fn.params)
    ps.push_back(p.type.get());
  for (auto &r : fn.results)
    rs.push_back(r.type.get());
  return signature(ps, rs);
}

// checkDots reports f(x...) where f is a built-in other than append or a type (Go's "invalid
// use of ..." texts), after checking the arguments.
bool Sema::checkDots(CallExpr *e) {
  Expr *callee = unparen(e->callee.get());
  Object *o =
      callee->kind == Expr::Ident ? lookup(static_cast<IdentExpr *>(callee)->name) : nullptr;
  bool conversion = callee->kind == Expr::TypeE || (o && o->kind == Object::TypeName);
  bool builtin = o && o->kind == Object::Builtin && o->builtin != BAppend;
  if (!e->hasDots || (!conversion && !builtin))
    return true;
  if (conversion) {
    const Type *to = callee->kind == Expr::TypeE
                         ? resolveType(static_cast<TypeValueExpr *>(callee)->typeExpr.get())
                         : o->type;
    callee->type = to;
    if (to != types_.invalid())
      error(e->args[0]->loc, "invalid use of ... in type conversion to " + to->str());
  } else {
    static_cast<IdentExpr *>(callee)->obj = o;
    error(e->loc, "invalid operation: invalid use of ... with built-in " + o->name);
  }
  for (auto &a : e->args)
    expr(a.get());
  return false;
}

void Sema::checkArgs(CallExpr *e, const Type *ft, size_t written) {
  std::string name = exprString(e->callee.get());
  size_t nargs = e->args.size(), npars = ft->params.size();
  if (e->hasDots) {
    if (!ft->variadic) {
      error(e->loc, "cannot use ... in call to non-variadic " + name);
      return;
    }
    if (written == 1 && nargs > 1) {
      auto *call = static_cast<TupleElemExpr *>(e->args[0].get())->call;
      error(e->loc, "cannot use ... with " + std::to_string(nargs) + "-valued " + exprString(call));
      return;
    }
  }
  // A variadic call without ... takes any number of arguments for the last parameter.
  bool spreadLast = ft->variadic && !e->hasDots;
  if (spreadLast ? nargs + 1 < npars : nargs != npars) {
    size_t want = spreadLast ? npars - 1 : npars;
    std::string have = "(";
    for (size_t i = 0; i < nargs; ++i) {
      const Type *t = e->args[i]->type;
      // types2's typesSummary: an untyped number is "number"; another untyped type drops
      // the qualifier (string, bool, nil).
      std::string text = t->isUntyped() && t->isNumeric() ? "number"
                         : t->isUntyped()                 ? t->str().substr(8)
                                                          : t->str();
      have += (i ? ", " : "") + text;
    }
    have += ")";
    std::string wantText = "(";
    for (size_t i = 0; i < npars; ++i)
      wantText +=
          (i ? ", " : "") + (ft->variadic && i + 1 == npars ? "..." + ft->params[i]->elem->str()
                                                            : ft->params[i]->str());
    wantText += ")";
    bool many = nargs > want;
    bool spread = nargs != 0 && e->args[0]->kind == Expr::TupleElem;
    // gc's position: the spread call, else the first extra argument, else the last argument,
    // else the call.
    error(spread       ? e->args[0]->loc
          : many       ? e->args[want]->loc
          : nargs == 0 ? e->loc
                       : e->args.back()->loc,
          std::string(many ? "too many" : "not enough") + " arguments in call to " + name +
              "\n\thave " + have + "\n\twant " + wantText);
    return;
  }
  if (!spreadLast) {
    for (size_t i = 0; i < nargs; ++i)
      assign(e->args[i], ft->params[i], "argument to " + name);
    return;
  }
  const Type *last = ft->params.back();
  // A ...T whose T is in error is an invalid parameter type, not a slice.
  const Type *lastElem = last == types_.invalid() ? last : last->elem;
  for (size_t i = 0; i < nargs; ++i)
    assign(e->args[i], i + 1 < npars ? ft->params[i] : lastElem, "argument to " + name);
  // The extra arguments become the elements of a new slice; none gives a nil slice.
  ExprPtr rest;
  if (nargs + 1 == npars) {
    auto nil = std::make_unique<IdentExpr>(e->rparen, "nil");
    nil->obj = nil_;
    rest = std::move(nil);
  } else {
    auto lit = std::make_unique<CompositeLitExpr>(e->args[npars - 1]->loc);
    for (size_t i = npars - 1; i < nargs; ++i) {
      lit->indices.push_back(int64_t(i - (npars - 1)));
      lit->keys.push_back(nullptr);
      lit->colons.push_back(SourceLoc{});
      lit->values.push_back(std::move(e->args[i]));
    }
    lit->length = int64_t(lit->values.size());
    rest = std::move(lit);
  }
  rest->type = last;
  e->args.resize(npars - 1);
  e->args.push_back(std::move(rest));
}

} // namespace toy
