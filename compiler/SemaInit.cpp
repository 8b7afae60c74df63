//===- SemaInit.cpp - package variables and their initialisation order ----===//
//
// Package variables are checked in declaration order, except that naming one whose
// declaration is not checked yet checks that one first (the package scope is order-free).
// Their initialisation order is the spec's (Package initialization): repeatedly the
// earliest variable in declaration order that has no uninitialised dependencies, a
// variable depending on the package variables, functions and methods its initialiser refers
// to, and through a function or method on those its body refers to, closures included. types2's
// initOrder computes it the same way: function nodes are removed, their callers inheriting their
// dependencies, and a variable that depends on itself is gc's "initialization loop".
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

#include <algorithm>
#include <set>

namespace toy {

void Sema::checkPackageVars(File &f) {
  for (auto &g : f.globals) {
    auto *v = static_cast<VarDeclStmt *>(g.get());
    for (auto &n : v->names)
      if (n.name != "_")
        pendingGlobals_.emplace(n.name, v);
  }
  unused_.clear();
  for (auto &g : f.globals)
    checkPackageVar(static_cast<VarDeclStmt *>(g.get()));
  // The variables of function literals in initialisers.
  std::sort(unused_.begin(), unused_.end(),
            [](auto &a, auto &b) { return a.first.offset < b.first.offset; });
  for (auto &[loc, msg] : unused_)
    error(loc, msg);
  unused_.clear();
}

void Sema::checkPackageVar(VarDeclStmt *s) {
  if (varsChecked_.count(s))
    return;
  varsChecked_[s] = false;
  for (auto &n : s->names) {
    n.obj = newObject(Object::Var, n.name, types_.invalid(), n.loc);
    n.obj->isGlobal = true;
    n.obj->symbol = path_ + "." + n.name;
  }
  // The declaration may be reached from a function literal of another initialiser: check it
  // at package scope, outside that literal, then return to it.
  std::vector<Scope> inner(std::make_move_iterator(scopes_.begin() + 2),
                           std::make_move_iterator(scopes_.end()));
  scopes_.resize(2);
  int outerLevel = funcLevel_;
  FuncDecl *outerFunc = curFunc_;
  std::vector<FuncLitExpr *> outerLits = std::move(litStack_);
  Branches outerBranches = std::move(branches_);
  litStack_.clear();
  branches_ = Branches{};
  // Its function literals nest as they do in a declared function (level 1).
  funcLevel_ = 1;
  curFunc_ = nullptr;
  checkVarDecl(s);
  for (auto &n : s->names) {
    n.obj->funcLevel = 0;
    pendingGlobals_.erase(n.name);
  }
  funcLevel_ = outerLevel;
  curFunc_ = outerFunc;
  litStack_ = std::move(outerLits);
  branches_ = std::move(outerBranches);
  for (auto &sc : inner)
    scopes_.push_back(std::move(sc));
  varsChecked_[s] = true;
}

Object *Sema::pendingVar(const std::string &name) {
  VarDeclStmt *s = pendingGlobals_.at(name);
  if (varsChecked_.count(s)) {
    // Being checked: this is its initialiser referring to itself.
    for (auto &n : s->names)
      if (n.name == name)
        return n.obj;
  }
  checkPackageVar(s);
  return member(name);
}

namespace {

// The package-level variables and functions a declaration refers to, each once, in source
// order. Chains of binary operators are walked down their left operands without recursion.
class References {
public:
  References(const std::map<const Object *, int> &nodes, std::vector<int> &out)
      : nodes_(nodes), out_(out) {}

  void expr(const Expr *e) {
    if (!e)
      return;
    switch (e->kind) {
    case Expr::Ident:
      add(static_cast<const IdentExpr *>(e)->obj);
      break;
    case Expr::Unary:
      expr(static_cast<const UnaryExpr *>(e)->operand.get());
      break;
    case Expr::Binary: {
      std::vector<const BinaryExpr *> spine;
      const Expr *l = e;
      for (; l->kind == Expr::Binary; l = static_cast<const BinaryExpr *>(l)->lhs.get())
        spine.push_back(static_cast<const BinaryExpr *>(l));
      expr(l);
      for (auto it = spine.rbegin(); it != spine.rend(); ++it)
        expr((*it)->rhs.get());
      break;
    }
    case Expr::Call: {
      auto *c = static_cast<const CallExpr *>(e);
      expr(c->callee.get());
      for (auto &a : c->args)
        expr(a.get());
      break;
    }
    case Expr::Paren:
      expr(static_cast<const ParenExpr *>(e)->inner.get());
      break;
    case Expr::Selector: {
      auto *s = static_cast<const SelectorExpr *>(e);
      expr(s->base.get());
      add(s->obj);
      add(s->method);
      break;
    }
    case Expr::FuncLit:
      stmt(static_cast<const FuncLitExpr *>(e)->fn->body.get());
      break;
    case Expr::TupleElem:
      expr(static_cast<const TupleElemExpr *>(e)->owned.get());
      break;
    case Expr::Index:
      expr(static_cast<const IndexExpr *>(e)->base.get());
      expr(static_cast<const IndexExpr *>(e)->index.get());
      break;
    case Expr::Slice: {
      auto *s = static_cast<const SliceExpr *>(e);
      for (const Expr *x : {s->base.get(), s->lo.get(), s->hi.get(), s->max.get()})
        expr(x);
      break;
    }
    case Expr::CompositeLit:
      for (auto &v : static_cast<const CompositeLitExpr *>(e)->values)
        expr(v.get());
      break;
    case Expr::TypeAssert:
      expr(static_cast<const TypeAssertExpr *>(e)->x.get());
      break;
    case Expr::ImplicitConv:
      expr(static_cast<const ImplicitConvExpr *>(e)->inner.get());
      break;
    case Expr::IntLit:
    case Expr::FloatLit:
    case Expr::StringLit:
    case Expr::TypeE:
      break;
    }
  }

  void exprs(const std::vector<ExprPtr> &es) {
    for (auto &e : es)
      expr(e.get());
  }

  void stmts(const std::vector<StmtPtr> &ss) {
    for (auto &s : ss)
      stmt(s.get());
  }

  void stmt(const Stmt *s) {
    if (!s)
      return;
    switch (s->kind) {
    case Stmt::Block:
      stmts(static_cast<const BlockStmt *>(s)->stmts);
      break;
    case Stmt::ExprS:
      expr(static_cast<const ExprStmt *>(s)->expr.get());
      break;
    case Stmt::VarDecl:
      exprs(static_cast<const VarDeclStmt *>(s)->values);
      break;
    case Stmt::Define:
      exprs(static_cast<const DefineStmt *>(s)->values);
      break;
    case Stmt::Assign:
      exprs(static_cast<const AssignStmt *>(s)->lhs);
      exprs(static_cast<const AssignStmt *>(s)->rhs);
      break;
    case Stmt::IncDec:
      expr(static_cast<const IncDecStmt *>(s)->target.get());
      break;
    case Stmt::If: {
      auto *i = static_cast<const IfStmt *>(s);
      stmt(i->init.get());
      expr(i->cond.get());
      stmt(i->then.get());
      stmt(i->els.get());
      break;
    }
    case Stmt::For: {
      auto *f = static_cast<const ForStmt *>(s);
      stmt(f->init.get());
      expr(f->cond.get());
      stmt(f->post.get());
      exprs(f->rangeLhs);
      expr(f->rangeX.get());
      stmt(f->body.get());
      break;
    }
    case Stmt::Return:
      exprs(static_cast<const ReturnStmt *>(s)->results);
      break;
    case Stmt::Go:
      expr(static_cast<const GoStmt *>(s)->call.get());
      break;
    case Stmt::Defer:
      expr(static_cast<const DeferStmt *>(s)->call.get());
      break;
    case Stmt::Send:
      expr(static_cast<const SendStmt *>(s)->chan.get());
      expr(static_cast<const SendStmt *>(s)->value.get());
      break;
    case Stmt::Switch: {
      auto *sw = static_cast<const SwitchStmt *>(s);
      stmt(sw->init.get());
      expr(sw->tag.get());
      for (auto &c : sw->clauses) {
        exprs(c.values);
        stmts(c.body);
      }
      break;
    }
    case Stmt::Select:
      for (auto &c : static_cast<const SelectStmt *>(s)->clauses) {
        stmt(c.comm.get());
        stmts(c.body);
      }
      break;
    case Stmt::Labeled:
      stmt(static_cast<const LabeledStmt *>(s)->stmt.get());
      break;
    case Stmt::Break:
    case Stmt::Continue:
    case Stmt::Fallthrough:
    case Stmt::Goto:
    case Stmt::Empty:
    case Stmt::ConstDecl:
    case Stmt::TypeDecl:
      break;
    }
  }

private:
  void add(const Object *o) {
    auto it = o ? nodes_.find(o) : nodes_.end();
    if (it != nodes_.end() && std::find(out_.begin(), out_.end(), it->second) == out_.end())
      out_.push_back(it->second);
  }
  const std::map<const Object *, int> &nodes_;
  std::vector<int> &out_;
};

} // namespace

void Sema::computeInitOrder(File &f) {
  // The nodes: the package's variables in declaration order, then its functions.
  std::vector<const Object *> objs;
  struct VarInit {
    VarDeclStmt *decl;
    size_t index;
  };
  std::vector<VarInit> inits; // for each variable node
  for (auto &g : f.globals) {
    auto *v = static_cast<VarDeclStmt *>(g.get());
    for (size_t i = 0; i < v->names.size(); ++i)
      if (v->names[i].obj) {
        objs.push_back(v->names[i].obj);
        inits.push_back({v, i});
      }
  }
  size_t nvars = objs.size();
  std::vector<FuncDecl *> funcs;
  for (auto &fn : f.funcs)
    if (fn->name.obj && (fn->method || fn->name.name != "init")) {
      objs.push_back(fn->name.obj);
      funcs.push_back(fn.get());
    }
  std::map<const Object *, int> nodes;
  for (size_t i = 0; i < objs.size(); ++i)
    nodes[objs[i]] = int(i);

  std::vector<std::vector<int>> deps(objs.size());
  for (size_t i = 0; i < nvars; ++i) {
    auto [decl, k] = inits[i];
    if (k >= decl->values.size())
      continue;
    // The names of `var a, b = f()` share the call, which element 0 holds.
    const Expr *v = decl->values[k].get();
    if (v->kind == Expr::TupleElem)
      v = decl->values[0].get();
    References(nodes, deps[i]).expr(v);
  }
  for (size_t i = nvars; i < objs.size(); ++i)
    References(nodes, deps[i]).stmt(funcs[i - nvars]->body.get());

  // Each variable's dependencies on variables, through any number of functions.
  std::vector<std::set<int>> varDeps(nvars);
  std::vector<std::vector<int>> preds(nvars);
  for (size_t i = 0; i < nvars; ++i) {
    std::vector<int> work(deps[i].begin(), deps[i].end());
    std::set<int> seenFuncs;
    while (!work.empty()) {
      int d = work.back();
      work.pop_back();
      if (size_t(d) < nvars) {
        varDeps[i].insert(d);
      } else if (seenFuncs.insert(d).second) {
        work.insert(work.end(), deps[d].begin(), deps[d].end());
      }
    }
    for (int d : varDeps[i])
      preds[d].push_back(int(i));
  }

  // The path from node `from` to node `to` along deps, as nodes from `from` on, or empty.
  std::set<int> seen;
  std::function<bool(int, int, std::vector<int> &)> path = [&](int from, int to,
                                                               std::vector<int> &p) {
    if (!seen.insert(from).second)
      return false;
    p.push_back(from);
    for (int d : deps[from])
      if (d == to || path(d, to, p))
        return true;
    p.pop_back();
    return false;
  };

  // Repeatedly the earliest variable with the fewest outstanding dependencies: one with none
  // while any is left, else one in a cycle.
  std::vector<int> ndeps(nvars);
  std::set<std::pair<int, int>> queue; // (ndeps, node)
  for (size_t i = 0; i < nvars; ++i)
    queue.insert({ndeps[i] = int(varDeps[i].size()), int(i)});
  std::set<std::pair<VarDeclStmt *, size_t>> emitted;
  while (!queue.empty()) {
    auto [n, i] = *queue.begin();
    queue.erase(queue.begin());
    if (n > 0) {
      std::vector<int> p;
      seen.clear();
      if (path(i, i, p)) {
        const Object *o = objs[i];
        std::string msg = "initialization loop for " + o->name;
        for (int k : p)
          msg += "\n\t" + diags_.where(objs[k]->loc) + ": " + objs[k]->name + " refers to";
        msg += "\n\t" + diags_.where(o->loc) + ": " + o->name;
        error(o->loc, msg);
      }
    }
    for (int q : preds[i])
      if (queue.erase({ndeps[q], q})) {
        --ndeps[q];
        queue.insert({ndeps[q], q});
      }
    auto [decl, k] = inits[i];
    if (k >= decl->values.size())
      continue;
    bool shared = decl->values[k]->kind == Expr::TupleElem;
    if (emitted.insert({decl, shared ? 0 : k}).second)
      initOrder_.push_back({decl, shared ? 0 : k, shared ? decl->values.size() : 1});
  }
}

} // namespace toy
