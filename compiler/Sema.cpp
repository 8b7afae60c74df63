//===- Sema.cpp -----------------------------------------------------------===//
#include "Sema.h"

#include <algorithm>

namespace toy {

// Go's text for a typed constant out of range: "x + 1 (constant 256 of type uint8) overflows
// uint8".
static std::string typedOverflow(const Expr *e, const std::string &v, const Type *t) {
  return exprString(e) + " (constant " + v + " of type " + t->str() + ") overflows " + t->str();
}
static std::string typedOverflow(const Expr *e, const ConstInt &v, const Type *t) {
  return typedOverflow(e, v.str(), t);
}

// toy's limit on a float constant (ConstFloat's quadruple precision).
static const char *floatLimit = "toy does not support float constants beyond 1.1e+4932 yet";

// Go's text for a count mismatch: "assignment mismatch: 2 variables but 1 value".
static std::string assignmentMismatch(size_t vars, size_t vals) {
  return "assignment mismatch: " + std::to_string(vars) + " variable" + (vars > 1 ? "s" : "") +
         " but " + std::to_string(vals) + " value" + (vals > 1 ? "s" : "");
}

Object *Sema::newObject(Object::Kind k, const std::string &name, const Type *t, SourceLoc loc) {
  objects_.push_back(std::make_unique<Object>());
  Object *o = objects_.back().get();
  o->kind = k;
  o->name = name;
  o->type = t;
  o->loc = loc;
  return o;
}

Object *Sema::lookup(const std::string &name) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    auto f = it->names.find(name);
    if (f != it->names.end())
      return f->second;
  }
  return nullptr;
}

void Sema::declare(Object *obj) {
  if (obj->name == "_")
    return;
  auto &scope = scopes_.back();
  auto [it, inserted] = scope.names.emplace(obj->name, obj);
  if (!inserted) {
    error(obj->loc, obj->name + " redeclared in this block" +
                        (it->second->loc.valid() ? "\n\t" + diags_.where(it->second->loc) +
                                                       ": other declaration of " + obj->name
                                                 : ""));
    return;
  }
  if (obj->kind == Object::Var) {
    obj->funcLevel = funcLevel_;
    if (scopes_.size() > 2)
      scope.vars.push_back(obj);
  }
}

void Sema::popScope() {
  for (Object *v : scopes_.back().vars)
    if (!v->used && !v->isParam)
      unused_.push_back({v->loc, v->name + " declared but not used"});
  scopes_.pop_back();
}

void Sema::declareUniverse() {
  pushScope();
  auto type = [&](const char *n, const Type *t) { declare(newObject(Object::TypeName, n, t, {})); };
  for (int k = Type::Int; k <= Type::Uintptr; ++k)
    type(types_.basic(Type::Kind(k))->str().c_str(), types_.basic(Type::Kind(k)));
  type("byte", types_.byteT());
  type("rune", types_.runeT());
  type("float32", types_.basic(Type::Float32));
  type("float64", types_.basic(Type::Float64));
  type("bool", types_.boolT());
  type("string", types_.stringT());
  for (const char *n : {"true", "false"}) {
    Object *o = newObject(Object::Const, n, types_.untypedBool(), {});
    o->constVal = n[0] == 't' ? 1 : 0;
    declare(o);
  }
  auto builtin = [&](const char *n, BuiltinId id) {
    Object *o = newObject(Object::Builtin, n, types_.invalid(), {});
    o->builtin = id;
    declare(o);
  };
  builtin("print", BPrint);
  builtin("println", BPrintln);
  builtin("len", BLen);
  builtin("panic", BPanic);
  builtin("cap", BCap);
  builtin("append", BAppend);
  builtin("copy", BCopy);
  builtin("make", BMake);
  builtin("new", BNew);
  builtin("close", BClose);
  builtin("delete", BDelete);
  builtin("recover", BRecover);
  // The rest of Go 1.19's universe: reported as not supported yet rather than undefined.
  auto unsupported = [&](const char *n, const std::string &what) {
    Object *o = newObject(Object::Unsupported, n, types_.invalid(), {});
    o->symbol = what;
    declare(o);
  };
  type("any", types_.emptyInterface());
  type("error", types_.errorType());
  for (const char *n : {"complex64", "complex128", "comparable"})
    unsupported(n, std::string("type ") + n);
  for (const char *n : {"complex", "imag", "real"})
    unsupported(n, std::string("built-in function ") + n);
  nil_ = newObject(Object::Const, "nil", types_.untypedNil(), {});
  declare(nil_);
  iota_ = newObject(Object::Const, "iota", types_.untypedInt(), {});
  declare(iota_);
}

void Sema::unsupportedName(SourceLoc loc, const Object *o) {
  error(loc, "toy does not support " + o->symbol + " yet");
}

const Type *Sema::resolveType(TypeExpr *t) {
  if (!t)
    return types_.invalid();
  if (t->isFunc) {
    std::vector<TypeExpr *> ps, rs;
    ++indirect_; // a func type may refer to the type being declared
    for (auto &p : t->params)
      ps.push_back(p.get());
    for (auto &r : t->results)
      rs.push_back(r.get());
    const Type *sig = signature(ps, rs);
    --indirect_;
    return t->resolved = sig;
  }
  if (t->isArray)
    return t->resolved = arrayType(t);
  if (t->isStruct)
    return t->resolved = structType(t);
  if (t->isInterface) {
    ++indirect_; // type I interface { M() I }
    const Type *it = interfaceType(t);
    --indirect_;
    return t->resolved = it;
  }
  if (t->isSlice) {
    ++indirect_;
    const Type *elem = resolveType(t->elem.get());
    --indirect_;
    return t->resolved = elem == types_.invalid() ? elem : types_.slice(elem);
  }
  if (t->isPointer) {
    ++indirect_; // type Node struct { next *Node }
    const Type *elem = resolveType(t->elem.get());
    --indirect_;
    return t->resolved = elem == types_.invalid() ? elem : types_.pointer(elem);
  }
  if (t->isChan)
    return t->resolved = chanType(t);
  if (t->isMap)
    return t->resolved = mapType(t);
  size_t dot = t->name.find('.');
  Object *o = dot == std::string::npos ? lookupAt(t->name, t->loc) : nullptr;
  if (Object *pkg = dot == std::string::npos ? nullptr : lookupAt(t->name.substr(0, dot), t->loc);
      pkg && pkg->kind == Object::Package) {
    pkg->used = true;
    if (pkg->symbol.empty())
      return t->resolved = types_.invalid(); // its import was reported
    o = importedMember(pkg, t->name.substr(dot + 1), t->loc);
    if (!o)
      return t->resolved = types_.invalid();
  }
  if (!o) {
    error(t->loc, "undefined: " + t->name);
    return t->resolved = types_.invalid();
  }
  if (o->kind == Object::Unsupported) {
    unsupportedName(t->loc, o);
    return t->resolved = types_.invalid();
  }
  if (o->kind != Object::TypeName) {
    // Go describes the operand: "f (value of type func())", "x (variable of type int)".
    std::string what = t->name;
    if (o->kind == Object::Var)
      what += " (variable of type " + o->type->str() + ")";
    else if (o->kind == Object::Func)
      what += " (value of type " + o->type->str() + ")";
    else if (o->kind == Object::Const)
      what += " (" + o->type->str() + " constant)";
    error(t->loc, what + " is not a type");
    return t->resolved = types_.invalid();
  }
  return t->resolved = typeNameType(o);
}

bool Sema::check(File &f) {
  declareUniverse();
  pushScope(); // package scope
  name_ = f.package;
  if (path_ == "main" && f.package != "main" && !f.package.empty())
    error(f.pkgLoc, "toy compiles only package main, not package " + f.package);
  declareImports(f);
  for (auto &[loc, msg] : f.typeErrors)
    error(loc, msg);

  // Package-level constants may be reached from types ([N]int) and types from constants
  // (const c T = 1); both are checked when first used.
  for (auto &c : f.consts)
    for (auto &n : static_cast<ConstDeclStmt *>(c.get())->names)
      pendingConsts_.emplace(n.name, static_cast<ConstDeclStmt *>(c.get()));
  declareTypes(f);
  resolvePackageTypes(f);

  // Declare every function before checking any body: Go's package scope is order-free.
  for (auto &fn : f.funcs) {
    if (fn->method)
      continue;
    fn->type = signature(*fn);
    const std::vector<const Type *> &ps = fn->type->params, &rs = fn->type->results;
    if (fn->name.name == "init") {
      // Any number of init functions, run in source order before main.main (IRGen lists them
      // in main..inittask); the name declares nothing, so init cannot be referred to.
      if (!ps.empty() || !rs.empty())
        error(fn->name.loc, "func init must have no arguments and no return values");
      Object *o = newObject(Object::Func, "init", fn->type, fn->name.loc);
      o->func = fn.get();
      o->symbol = path_ + ".init." + std::to_string(initCount_++);
      fn->name.obj = o;
      continue;
    }
    if (fn->name.name == "main" && (!ps.empty() || !rs.empty()))
      error(fn->name.loc, "func main must have no arguments and no return values");
    Object *o = newObject(Object::Func, fn->name.name, fn->type, fn->name.loc);
    o->func = fn.get();
    o->symbol = path_ + "." + fn->name.name;
    fn->name.obj = o;
    declare(o);
  }
  declareMethods(f);
  bindLinknames(f);
  if (path_ == "main" && !lookup("main") && diags_.errorCount() == 0)
    error(f.pkgLoc, "function main is undeclared in the main package");

  // Package-level constants. The package scope is order-free: a constant naming a later one
  // checks that one first (ident), so each is checked once, in dependency order.
  for (auto &c : f.consts)
    checkPackageConst(static_cast<ConstDeclStmt *>(c.get()));

  checkPackageVars(f);

  for (auto &fn : f.funcs)
    if (fn->name.obj && fn->body)
      checkFunc(*fn);
  computeInitOrder(f);

  reportUnusedImports(f);
  return diags_.errorCount() == 0;
}

void Sema::noteUse(Object *o) {
  if (o->kind != Object::Var || o->funcLevel == 0 || o->funcLevel >= funcLevel_)
    return;
  o->captured = true;
  for (int level = o->funcLevel + 1; level <= funcLevel_; ++level) {
    auto &caps = litStack_[level - 2]->captures;
    if (std::find(caps.begin(), caps.end(), o) == caps.end())
      caps.push_back(o);
  }
}

const Type *Sema::funcLit(FuncLitExpr *e) {
  FuncDecl &fn = *e->fn;
  fn.type = signature(fn);
  FuncDecl *outer = curFunc_;
  Branches outerBranches = std::move(branches_);
  branches_ = Branches{};
  curFunc_ = &fn;
  ++funcLevel_;
  litStack_.push_back(e);
  checkBody(fn);
  litStack_.pop_back();
  --funcLevel_;
  curFunc_ = outer;
  branches_ = std::move(outerBranches);
  return fn.type;
}

// checkBody checks a function's body in a scope holding its parameters, then that a function
// with a result ends in a terminating statement.
void Sema::checkBody(FuncDecl &fn) {
  pushScope();
  auto param = [&](Param &p) {
    if (p.name.name.empty())
      return;
    Object *o = newObject(Object::Var, p.name.name, p.type->resolved, p.name.loc);
    o->isParam = true;
    p.name.obj = o;
    declare(o);
  };
  for (auto &p : fn.recv) // a method's receiver, then its parameters
    param(p);
  for (auto &p : fn.params)
    param(p);
  for (auto &r : fn.results) // named results are variables of the body, zero at entry
    if (!r.name.name.empty() && r.name.name != "_") {
      Object *o = newObject(Object::Var, r.name.name, r.type->resolved, r.name.loc);
      o->isParam = true;
      r.name.obj = o;
      declare(o);
    }
  checkBlock(fn.body.get(), /*newScope=*/false);
  // A function that defers calls keeps its named results in heap boxes: a deferred call that
  // recovers a panic makes the function return them as they are then, which a copy held in
  // registers would not show.
  if (fn.hasDefer)
    for (auto &r : fn.results)
      if (r.name.obj)
        r.name.obj->captured = true;
  popScope();
  checkGotos(fn.body.get());
  reportUnusedLabels();
  if (!fn.results.empty() && !isTerminating(fn.body.get()))
    error(fn.body->rbrace, "missing return");
}

void Sema::reportUnusedLabels() {
  // spec: "It is illegal to define a label that is never used."
  for (auto &[name, l] : branches_.labels)
    if (!l.second)
      error(l.first->loc, "label " + name + " defined and not used");
  branches_.labels.clear();
}

void Sema::checkFunc(FuncDecl &fn) {
  curFunc_ = &fn;
  funcLevel_ = 1;
  unused_.clear();
  checkBody(fn);
  std::sort(unused_.begin(), unused_.end(),
            [](auto &a, auto &b) { return a.first.offset < b.first.offset; });
  for (auto &[loc, msg] : unused_)
    error(loc, msg);
  curFunc_ = nullptr;
  funcLevel_ = 0;
}

// ---------------------------------------------------------------------------
// Statements

void Sema::checkBlock(BlockStmt *b, bool newScope) {
  if (newScope)
    pushScope();
  for (auto &s : b->stmts)
    checkStmt(s.get());
  if (newScope)
    popScope();
}

void Sema::checkStmt(Stmt *s) {
  if (!s)
    return;
  switch (s->kind) {
  case Stmt::Block:
    checkBlock(static_cast<BlockStmt *>(s));
    break;
  case Stmt::Empty:
    break;
  case Stmt::ExprS: {
    Expr *e = static_cast<ExprStmt *>(s)->expr.get();
    const Type *t = exprOrVoid(e);
    Expr *u = unparen(e);
    bool isCall = u->kind == Expr::Call ||
                  (u->kind == Expr::Unary && static_cast<UnaryExpr *>(u)->op == Tok::Arrow);
    if (u->kind == Expr::Call) {
      auto *c = static_cast<CallExpr *>(u);
      Expr *callee = unparen(c->callee.get());
      Object *o = callee->kind == Expr::Ident ? static_cast<IdentExpr *>(callee)->obj : nullptr;
      bool pure = o && o->kind == Object::Builtin &&
                  (o->builtin == BLen || o->builtin == BCap || o->builtin == BAppend ||
                   o->builtin == BMake);
      if (o && (o->kind == Object::TypeName || pure))
        isCall = false;
    }
    if (!isCall && t != types_.invalid())
      error(e->loc, operand(e) + " is not used");
    else if (t->isUntyped())
      defaultize(e);
    break;
  }
  case Stmt::VarDecl:
    checkVarDecl(static_cast<VarDeclStmt *>(s));
    break;
  case Stmt::ConstDecl:
    checkConstDecl(static_cast<ConstDeclStmt *>(s));
    break;
  case Stmt::TypeDecl:
    checkTypeDecl(static_cast<TypeDeclStmt *>(s));
    break;
  case Stmt::Define:
    checkDefine(static_cast<DefineStmt *>(s));
    break;
  case Stmt::Assign:
    checkAssign(static_cast<AssignStmt *>(s));
    break;
  case Stmt::IncDec: {
    auto *i = static_cast<IncDecStmt *>(s);
    Expr *t = unparen(i->target.get());
    if (t->kind == Expr::Index || t->kind == Expr::Selector || // a[i]++, s.f++, *p++
        (t->kind == Expr::Unary && static_cast<UnaryExpr *>(t)->op == Tok::Mul)) {
      const Type *ty = lvalue(i->target.get());
      if (ty != types_.invalid() && !ty->isNumeric())
        error(i->loc, "invalid operation: " + exprString(i->target.get()) +
                          (i->inc ? "++" : "--") + " (non-numeric type " + ty->str() + ")");
      break;
    }
    if (t->kind == Expr::Ident) {
      auto *id = static_cast<IdentExpr *>(t);
      Object *o = lookup(id->name);
      if (o && o->kind == Object::Var) {
        id->obj = o;
        noteUse(o);
        id->type = t->type = o->type;
        for (Expr *p = i->target.get(); p != t; p = static_cast<ParenExpr *>(p)->inner.get())
          p->type = o->type;
        if (!o->type->isNumeric() && o->type != types_.invalid())
          error(i->loc, "invalid operation: " + exprString(i->target.get()) +
                            (i->inc ? "++" : "--") + " (non-numeric type " + o->type->str() + ")");
        break;
      }
    }
    const Type *ty = expr(i->target.get());
    // Go checks that the operand is numeric before that it is assignable.
    if (ty != types_.invalid() && !ty->isNumeric())
      error(i->loc, "invalid operation: " + exprString(i->target.get()) + (i->inc ? "++" : "--") +
                        " (non-numeric type " + ty->str() + ")");
    else if (ty != types_.invalid())
      error(i->target->loc, "cannot assign to " + operand(i->target.get()));
    break;
  }
  case Stmt::If: {
    // An else-if chain is checked in a loop. Each if's init is in scope for the rest of the
    // chain; an if without one opens no scope, so a long chain does not deepen the scopes.
    int scopes = 0;
    Stmt *cur = s;
    for (; cur && cur->kind == Stmt::If; cur = static_cast<IfStmt *>(cur)->els.get()) {
      auto *i = static_cast<IfStmt *>(cur);
      if (i->init) {
        pushScope();
        ++scopes;
        checkStmt(i->init.get());
      }
      const Type *t = expr(i->cond.get());
      if (t != types_.invalid() && !t->isBoolean())
        error(i->cond->loc, "non-boolean condition in if statement");
      else if (t->isUntyped())
        convertUntyped(i->cond.get(), types_.boolT());
      checkBlock(i->then.get());
    }
    checkStmt(cur); // the final else block
    while (scopes-- > 0)
      popScope();
    break;
  }
  case Stmt::For: {
    auto *f = static_cast<ForStmt *>(s);
    if (f->rangeX) {
      checkRange(f);
      break;
    }
    pushScope();
    checkStmt(f->init.get());
    if (f->cond) {
      const Type *t = expr(f->cond.get());
      if (t != types_.invalid() && !t->isBoolean())
        error(f->cond->loc, "non-boolean condition in for statement");
      else if (t->isUntyped())
        convertUntyped(f->cond.get(), types_.boolT());
    }
    checkStmt(f->post.get());
    branches_.targets.push_back(f);
    checkBlock(f->body.get());
    branches_.targets.pop_back();
    popScope();
    break;
  }
  case Stmt::Switch:
    checkSwitch(static_cast<SwitchStmt *>(s));
    break;
  case Stmt::Send:
    checkSend(static_cast<SendStmt *>(s));
    break;
  case Stmt::Select:
    checkSelect(static_cast<SelectStmt *>(s));
    break;
  case Stmt::Labeled:
    checkLabeled(static_cast<LabeledStmt *>(s));
    break;
  case Stmt::Break:
  case Stmt::Continue:
  case Stmt::Fallthrough:
    checkBranch(static_cast<BranchStmt *>(s));
    break;
  case Stmt::Goto: // resolved once the whole body is known (checkGotos)
    break;
  case Stmt::Return:
    checkReturn(static_cast<ReturnStmt *>(s));
    break;
  case Stmt::Go:
  case Stmt::Defer: {
    bool isGo = s->kind == Stmt::Go;
    Expr *call = isGo ? static_cast<GoStmt *>(s)->call.get() : static_cast<DeferStmt *>(s)->call.get();
    exprOrVoid(call);
    auto *c = static_cast<CallExpr *>(unparen(call));
    Expr *callee = unparen(c->callee.get());
    Object *o = calleeObject(callee);
    const char *what = isGo ? "go" : "defer";
    if (o && o->kind == Object::TypeName)
      error(call->loc, std::string(what) + " requires function call, not conversion " +
                           operand(call));
    else if (o && o->kind == Object::Builtin && o->builtin == BLen)
      error(call->loc, std::string(what) + " discards result of " + operand(call));
    if (!isGo)
      curFunc_->hasDefer = true;
    break;
  }
  }
}

// checkLabeled declares the label for the rest of the function body (a label is visible
// only to branches that follow its declaration, as in Go's checker) and checks its statement.
void Sema::checkLabeled(LabeledStmt *s) {
  if (s->label != "_") {
    auto [it, fresh] = branches_.labels.try_emplace(s->label, s, false);
    if (!fresh)
      error(s->loc, "label " + s->label + " already defined at " +
                        diags_.where(it->second.first->loc));
  }
  branches_.enclosing.push_back(s);
  checkStmt(s->stmt.get());
  branches_.enclosing.pop_back();
}

// checkBranch resolves break, continue and fallthrough to the statement they leave,
// continue or fall through in, with Go's messages (syntax/branches.go).
void Sema::checkBranch(BranchStmt *s) {
  auto setBreak = [](Stmt *t) {
    if (t->kind == Stmt::For)
      static_cast<ForStmt *>(t)->hasBreak = true;
    else if (t->kind == Stmt::Select)
      static_cast<SelectStmt *>(t)->hasBreak = true;
    else
      static_cast<SwitchStmt *>(t)->hasBreak = true;
  };
  if (s->kind == Stmt::Fallthrough) {
    if (!s->target) // checkSwitch sets the target of each well-placed fallthrough
      error(s->loc, "fallthrough statement out of place");
    return;
  }
  bool isBreak = s->kind == Stmt::Break;
  auto &targets = branches_.targets;
  if (s->label.empty()) {
    Stmt *t = nullptr;
    for (auto it = targets.rbegin(); it != targets.rend() && !t; ++it)
      if (isBreak || (*it)->kind == Stmt::For)
        t = *it;
    if (!t) {
      error(s->loc, isBreak ? "break is not in a loop, switch, or select"
                            : "continue is not in a loop");
      return;
    }
    s->target = t;
    if (isBreak)
      setBreak(t);
    return;
  }
  const char *what = isBreak ? "break" : "continue";
  auto l = branches_.labels.find(s->label);
  if (l == branches_.labels.end()) {
    error(s->labelLoc, std::string(what) + " label not defined: " + s->label);
    return;
  }
  l->second.second = true; // used, even where it is not a valid target
  auto &enc = branches_.enclosing;
  bool encloses = std::find(enc.begin(), enc.end(), l->second.first) != enc.end();
  Stmt *t = l->second.first->stmt.get();
  bool valid = encloses && t && (t->kind == Stmt::For || (isBreak && (t->kind == Stmt::Switch ||
                                                                t->kind == Stmt::Select)));
  if (!valid) {
    error(s->labelLoc, std::string("invalid ") + what + " label " + s->label);
    return;
  }
  s->target = t;
  if (isBreak)
    setBreak(t);
}

// checkSwitch checks an expression switch as types2 does: the tag (true when absent) is
// evaluated once, each case value must be comparable with it, constant values may not repeat,
// and at most one default.
void Sema::checkSwitch(SwitchStmt *s) {
  if (s->typeSwitch)
    return checkTypeSwitch(s);
  pushScope();
  checkStmt(s->init.get());
  const Type *tagType = types_.boolT();
  if (s->tag) {
    tagType = exprOrVoid(s->tag.get());
    if (tagType == types_.voidT()) {
      error(s->tag->loc, operand(s->tag.get()) + " used as value");
      tagType = types_.invalid();
    } else if (tagType->isUntyped()) {
      tagType = types_.defaultType(tagType);
      convertUntyped(s->tag.get(), tagType);
    } else if (tagType->kind == Type::Func) {
      error(s->tag->loc, "cannot switch on " + operand(s->tag.get()) +
                             " (func can only be compared to nil)");
      tagType = types_.invalid();
    }
  }
  const CaseClause *firstDefault = nullptr;
  std::vector<std::pair<std::string, const Expr *>> seen; // constant case values
  for (size_t i = 0; i < s->clauses.size(); ++i) {
    CaseClause &c = s->clauses[i];
    if (c.isDefault) {
      if (firstDefault)
        error(c.loc, "multiple defaults (first at " + diags_.where(firstDefault->loc) + ")");
      else
        firstDefault = &c;
    }
    for (auto &v : c.values) {
      checkCaseValue(v, s->tag.get(), tagType);
      std::string key;
      Expr *u = unparen(v.get());
      if (v->type == types_.invalid())
        continue;
      if (v->isConst && v->type->isFloat())
        key = v->type->canon->str() + ":" + v->constFloat.key();
      else if (v->isConst)
        key = v->type->canon->str() + ":" + v->constVal.str();
      else if (u->kind == Expr::StringLit)
        key = v->type->canon->str() + ":\"" + static_cast<StringLitExpr *>(u)->value;
      else
        continue;
      auto prev = std::find_if(seen.begin(), seen.end(), [&](auto &p) { return p.first == key; });
      if (prev != seen.end())
        error(v->loc, "duplicate case " + operand(v.get()) + " in expression switch\n\t" +
                          diags_.where(prev->second->loc) + ": previous case");
      else
        seen.emplace_back(key, v.get());
    }
    // A fallthrough may end a clause's statement list (trailing empty statements aside).
    for (auto it = c.body.rbegin(); it != c.body.rend(); ++it) {
      Stmt *last = it->get();
      while (last->kind == Stmt::Labeled)
        last = static_cast<LabeledStmt *>(last)->stmt.get();
      if (last->kind == Stmt::Empty)
        continue;
      if (last->kind == Stmt::Fallthrough) {
        static_cast<BranchStmt *>(last)->target = s;
        if (i + 1 == s->clauses.size())
          error(last->loc, "cannot fallthrough final case in switch");
      }
      break;
    }
    branches_.targets.push_back(s);
    pushScope(); // each clause is an implicit block
    for (auto &b : c.body)
      checkStmt(b.get());
    popScope();
    branches_.targets.pop_back();
  }
  popScope();
}

void Sema::checkCaseValue(ExprPtr &vp, Expr *tag, const Type *tagType) {
  Expr *v = vp.get();
  const Type *t = exprOrVoid(v);
  if (t == types_.invalid() || tagType == types_.invalid())
    return;
  std::string on = tag ? exprString(tag) : "true";
  if (t == types_.voidT()) {
    error(v->loc, operand(v) + " used as value");
    v->type = types_.invalid();
    return;
  }
  if (tagType->isInterface() && t != tagType && t->kind != Type::UntypedNil) {
    // The case value is compared with the tag as an interface value.
    std::string on2 = on;
    if (!toInterface(vp, tagType, [&] {
          return "invalid case " + exprString(vp.get()) + " in switch on " + on2 +
                 " (mismatched types " + vp->type->str() + " and " + tagType->str() + ")";
        }))
      vp->type = types_.invalid();
    return;
  }
  if (t->isUntyped()) {
    bool fits = (t->isNumeric() && tagType->isNumeric()) ||
                (t->isBoolean() && tagType->isBoolean()) || (t->isString() && tagType->isString()) ||
                (t->kind == Type::UntypedNil &&
                 (tagType->isPointer() || tagType->isChan() || tagType->isInterface()));
    if (!fits) {
      error(v->loc, "cannot convert " + operand(v) + " to " + tagType->str());
      v->type = types_.invalid();
      return;
    }
    if (!convertUntyped(v, tagType, "switch case"))
      v->type = types_.invalid();
    return;
  }
  if (!t->assignableTo(tagType) && !tagType->assignableTo(t)) {
    error(v->loc, "invalid case " + exprString(v) + " in switch on " + on +
                      " (mismatched types " + t->str() + " and " + tagType->str() + ")");
    v->type = types_.invalid();
    return;
  }
  if (t->kind == Type::Func) {
    error(v->loc, "invalid case " + exprString(v) + " in switch on " + on +
                      " (func can only be compared to nil)");
    v->type = types_.invalid();
  }
}

// checkPackageConst checks a package-level constant spec unless that was done already;
// reaching one that is being checked is Go's initialization cycle.
void Sema::checkPackageConst(ConstDeclStmt *s, const NameDef *name) {
  if (s->names.empty() || !pendingConsts_.count(s->names[0].name))
    return;
  auto &stack = constsInProgress_;
  auto at = std::find_if(stack.begin(), stack.end(), [&](auto &p) { return p.first == s; });
  if (at != stack.end()) {
    // Go's initialization loop: the path from the constant back to itself.
    std::string msg = "initialization loop for " + at->second->name;
    for (auto it = at; it != stack.end(); ++it)
      msg += "\n\t" + diags_.where(it->second->loc) + ": " + it->second->name + " refers to";
    msg += "\n\t" + diags_.where(at->second->loc) + ": " + at->second->name;
    error(at->second->loc, msg);
    return;
  }
  stack.emplace_back(s, name ? name : &s->names[0]);
  checkConstDecl(s);
  stack.pop_back();
  for (auto &n : s->names)
    pendingConsts_.erase(n.name);
}

// checkConstDecl evaluates one constant spec with its iota (a repeated spec checks the same
// expressions again) and declares its names as constants of the values' or the given type.
void Sema::checkConstDecl(ConstDeclStmt *s) {
  const Type *declared = s->type ? resolveType(s->type.get()) : nullptr;
  int64_t outerIota = curIota_;
  curIota_ = s->iota;
  std::vector<const Type *> ts;
  for (Expr *v : s->values) {
    const Type *t = expr(v);
    if (t != types_.invalid() && !v->isConst && !v->isConstString) {
      error(v->loc, operand(v) + " is not constant");
      v->type = types_.invalid();
    } else if (declared && t != types_.invalid()) {
      assign(v, declared, "constant declaration");
    }
    ts.push_back(v->type);
  }
  curIota_ = outerIota;
  if (s->values.size() > s->names.size())
    error(s->values[s->names.size()]->loc,
          "extra init expr " + exprString(s->values[s->names.size()]));
  for (size_t i = 0; i < s->names.size(); ++i) {
    auto &n = s->names[i];
    const Type *t = types_.invalid();
    Expr *v = i < s->values.size() ? s->values[i] : nullptr;
    if (!v)
      error(n.loc, "missing init expr for " + n.name);
    else
      t = declared && v->type != types_.invalid() ? declared : v->type;
    Object *o = newObject(Object::Const, n.name, t, n.loc);
    if (v) {
      o->constVal = v->constVal;
      o->constFloat = v->constFloat;
      o->isConstString = v->isConstString;
      if (v->isConstString)
        o->strVal = constString(v);
    }
    n.obj = o;
    declare(o);
  }
}

void Sema::checkVarDecl(VarDeclStmt *s) {
  const Type *declared = s->type ? resolveType(s->type.get()) : nullptr;
  commaOkRecv(s->values, s->names.size());
  // One variable of one value is checked in a single-value context, as types2's varDecl
  // does: var x = f() of two results is "multiple-value f() … in single-value context".
  std::vector<const Type *> valueTypes = s->names.size() == 1 && s->values.size() == 1
                                             ? std::vector<const Type *>{expr(s->values[0].get())}
                                             : values(s->values);
  bool ok = true;
  if (!s->values.empty() && s->values.size() != s->names.size()) {
    error(s->values[0]->loc, mismatch(s->names.size(), s->values));
    ok = false;
  }
  for (size_t i = 0; i < s->names.size(); ++i) {
    const Type *t = declared;
    if (ok && i < s->values.size()) {
      Expr *v = s->values[i].get();
      if (declared) {
        // types2 checks a spread call's results as an assignment.
        assign(s->values[i], declared,
               v->kind == Expr::TupleElem ? "assignment" : "variable declaration");
      } else if (valueTypes[i] == types_.voidT()) {
        error(v->loc, operand(v) + " used as value");
        t = types_.invalid();
      } else {
        t = types_.defaultType(valueTypes[i]);
        if (valueTypes[i]->isUntyped())
          convertUntyped(v, t, "variable declaration");
      }
    }
    if (!t)
      t = types_.invalid();
    // A package variable's object exists before its declaration is checked (pendingVar).
    Object *o = s->names[i].obj ? s->names[i].obj
                                : newObject(Object::Var, s->names[i].name, t, s->names[i].loc);
    o->type = t;
    if ((t == types_.invalid() && i < s->values.size()) || !ok)
      o->used = true; // as types2: no "declared but not used" after a bad initialiser
    s->names[i].obj = o;
    declare(o);
  }
}

void Sema::checkDefine(DefineStmt *s) {
  commaOkRecv(s->values, s->names.size());
  std::vector<const Type *> valueTypes = values(s->values);
  // After an error, each name is declared invalid and used, so that nothing more is said.
  auto declareInvalid = [&] {
    for (auto &n : s->names) {
      if (n.name == "_")
        continue;
      Object *o = newObject(Object::Var, n.name, types_.invalid(), n.loc);
      o->used = true;
      n.obj = o;
      if (!scopes_.back().names.count(n.name))
        declare(o);
    }
  };
  if (s->nonName) {
    // Reported (File::typeErrors); as types2, the names are used and nothing more is said,
    // and the other left sides are evaluated (useLHS), which uses what they name.
    for (auto &e : s->nonNames)
      expr(e.get());
    declareInvalid();
    return;
  }
  if (s->values.size() != s->names.size()) {
    error(s->values[0]->loc, mismatch(s->names.size(), s->values));
    declareInvalid();
    return;
  }
  bool anyNew = false;
  std::vector<Object *> fresh;
  for (size_t i = 0; i < s->names.size(); ++i) {
    auto &n = s->names[i];
    Expr *v = s->values[i].get();
    bool repeated = false;
    for (size_t j = 0; j < i && n.name != "_"; ++j)
      repeated |= s->names[j].name == n.name;
    if (repeated) {
      error(n.loc, n.name + " repeated on left side of :=");
      continue;
    }
    auto existing = scopes_.back().names.find(n.name);
    if (n.name != "_" && existing != scopes_.back().names.end()) {
      Object *o = existing->second;
      if (o->kind != Object::Var) {
        error(n.loc, "cannot assign to " + n.name);
        continue;
      }
      n.obj = o;
      n.reused = true;
      assign(s->values[i], o->type, "assignment");
      continue;
    }
    if (n.name != "_")
      anyNew = true;
    const Type *t = types_.defaultType(valueTypes[i]);
    if (valueTypes[i] == types_.voidT()) {
      error(v->loc, operand(v) + " used as value");
      t = types_.invalid();
    } else if (valueTypes[i]->isUntyped()) {
      convertUntyped(v, t, "assignment");
    }
    Object *o = newObject(Object::Var, n.name, t, n.loc);
    o->used = t == types_.invalid(); // as types2: no "declared but not used" after a bad value
    if (n.name != "_")
      n.obj = o;
    fresh.push_back(o);
  }
  if (!anyNew)
    error(s->loc, "no new variables on left side of :=");
  for (Object *o : fresh)
    declare(o);
}

void Sema::checkAssign(AssignStmt *s) {
  if (s->op == Tok::Assign && s->lhs.size() > 1 && s->rhs.size() == 1) {
    commaOkRecv(s->rhs, s->lhs.size());
    values(s->rhs); // a, b = f(), v, ok = <-c
  }
  if (s->op == Tok::Assign && s->lhs.size() != s->rhs.size()) {
    error(s->rhs[0]->loc, mismatch(s->lhs.size(), s->rhs));
    return;
  }
  std::vector<const Type *> lts;
  for (auto &l : s->lhs) {
    Expr *u = unparen(l.get());
    if (u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->name == "_") {
      if (s->op != Tok::Assign) {
        error(u->loc, "cannot use _ as value or type");
        return;
      }
      lts.push_back(nullptr);
      continue;
    }
    lts.push_back(lvalue(l.get()));
  }
  if (s->op == Tok::Assign) {
    for (size_t i = 0; i < s->rhs.size(); ++i) {
      const Type *rt = exprOrVoid(s->rhs[i].get());
      if (rt->kind == Type::Tuple) { // x = f() of several results: types2's assignVars
        error(s->rhs[i]->loc,
              "assignment mismatch: 1 variable but " +
                  exprString(static_cast<CallExpr *>(unparen(s->rhs[i].get()))->callee.get()) +
                  " returns " + std::to_string(rt->results.size()) + " values");
        return;
      }
      if (!lts[i]) {
        if (rt == types_.voidT())
          error(s->rhs[i]->loc, operand(s->rhs[i].get()) + " used as value");
        else if (rt->isUntyped())
          defaultize(s->rhs[i].get());
        continue;
      }
      if (lts[i] != types_.invalid())
        assign(s->rhs[i], lts[i], "assignment");
    }
    return;
  }
  // x op= y behaves like x = x op y.
  const Type *lt = lts[0];
  const Type *rt = expr(s->rhs[0].get());
  if (lt == types_.invalid() || rt == types_.invalid())
    return;
  Tok op = Tok(int(s->op) - int(Tok::AddAssign) + int(Tok::Add));
  std::string opText = tokName(op);
  if (op == Tok::Shl || op == Tok::Shr) {
    if (!rt->isInteger()) {
      error(s->rhs[0]->loc,
            "invalid operation: shift count " + operand(s->rhs[0].get()) + " must be integer");
      return;
    }
    if (s->rhs[0]->isConst && s->rhs[0]->constVal.isNegative()) {
      error(s->rhs[0]->loc, "invalid operation: negative shift count " + operand(s->rhs[0].get()));
      return;
    }
    if (rt->isUntyped())
      convertUntyped(s->rhs[0].get(), types_.intT());
    if (!lt->isInteger())
      error(s->lhs[0]->loc, "invalid operation: shifted operand " + exprString(s->lhs[0].get()) +
                                " (variable of type " + lt->str() + ") must be integer");
    return;
  }
  if (matchTypes(s->lhs[0].get(), s->rhs[0].get(), s->lhs[0]->loc,
                 [&] {
                   return exprString(s->lhs[0].get()) + " " + opText + "= " +
                          exprString(s->rhs[0].get());
                 }) ==
      types_.invalid())
    return;
  bool okOp = lt->isInteger() || (op == Tok::Add && lt->isString()) ||
              (lt->isFloat() && (op == Tok::Add || op == Tok::Sub || op == Tok::Mul ||
                                 op == Tok::Quo));
  if (!okOp)
    error(s->lhs[0]->loc,
          "invalid operation: operator " + opText + " not defined on " + operand(s->lhs[0].get()));
  else if ((op == Tok::Quo || op == Tok::Rem) && lt->isInteger() && s->rhs[0]->isConst &&
           s->rhs[0]->constVal.isZero())
    error(s->rhs[0]->loc, "invalid operation: division by zero");
}

void Sema::checkReturn(ReturnStmt *s) {
  auto &want = curFunc_->type->results;
  values(s->results);
  // A bare return in a function with named results returns their values.
  if (s->results.empty() && !want.empty() && !curFunc_->results[0].name.name.empty())
    return;
  if (s->results.size() != want.size()) {
    std::string have = "(";
    for (size_t i = 0; i < s->results.size(); ++i) {
      const Type *t = s->results[i]->type;
      have += (i ? ", " : "") + (t && t->isUntyped() ? std::string("number") : t ? t->str() : "?");
      if (t && t->kind == Type::UntypedString)
        have.replace(have.size() - 6, 6, "string");
    }
    have += ")";
    std::string wantS = "(";
    for (size_t i = 0; i < want.size(); ++i)
      wantS += (i ? ", " : "") + want[i]->str();
    wantS += ")";
    error(s->results.empty() ? s->loc : s->results[0]->loc,
          std::string(s->results.size() > want.size() ? "too many" : "not enough") +
              " return values\n\thave " + have + "\n\twant " + wantS);
    return;
  }
  for (size_t i = 0; i < want.size(); ++i)
    assign(s->results[i], want[i], "return statement");
}

bool Sema::isTerminating(const Stmt *s) const {
  if (!s)
    return false;
  switch (s->kind) {
  case Stmt::Return:
    return true;
  case Stmt::Block: {
    auto *b = static_cast<const BlockStmt *>(s);
    // Trailing empty statements do not count (Go ignores them).
    for (auto it = b->stmts.rbegin(); it != b->stmts.rend(); ++it)
      if ((*it)->kind != Stmt::Empty)
        return isTerminating(it->get());
    return false;
  }
  case Stmt::If: {
    // Every branch of the else-if chain terminates, and it ends in an else.
    for (; s->kind == Stmt::If; s = static_cast<const IfStmt *>(s)->els.get()) {
      auto *i = static_cast<const IfStmt *>(s);
      if (!i->els || !isTerminating(i->then.get()))
        return false;
    }
    return isTerminating(s);
  }
  case Stmt::For: {
    auto *f = static_cast<const ForStmt *>(s);
    return !f->cond && !f->hasBreak;
  }
  case Stmt::Labeled:
    return isTerminating(static_cast<const LabeledStmt *>(s)->stmt.get());
  case Stmt::Goto:
    return true;
  case Stmt::Switch: {
    // No break to it, a default, and each clause ends in a terminating statement or a
    // fallthrough.
    auto *sw = static_cast<const SwitchStmt *>(s);
    if (sw->hasBreak)
      return false;
    bool hasDefault = false;
    for (auto &c : sw->clauses) {
      hasDefault |= c.isDefault;
      const Stmt *last = nullptr;
      for (auto it = c.body.rbegin(); it != c.body.rend() && !last; ++it)
        if ((*it)->kind != Stmt::Empty)
          last = it->get();
      while (last && last->kind == Stmt::Labeled)
        last = static_cast<const LabeledStmt *>(last)->stmt.get();
      if (!last || (last->kind != Stmt::Fallthrough && !isTerminating(last)))
        return false;
    }
    return hasDefault;
  }
  case Stmt::Select: {
    // No break to it, and each clause ends in a terminating statement (select {} too).
    auto *sel = static_cast<const SelectStmt *>(s);
    if (sel->hasBreak)
      return false;
    for (auto &c : sel->clauses) {
      const Stmt *last = nullptr;
      for (auto it = c.body.rbegin(); it != c.body.rend() && !last; ++it)
        if ((*it)->kind != Stmt::Empty)
          last = it->get();
      if (!isTerminating(last))
        return false;
    }
    return true;
  }
  case Stmt::ExprS: {
    const Expr *e = static_cast<const ExprStmt *>(s)->expr.get();
    if (e->kind != Expr::Call)
      return false;
    const Expr *c = static_cast<const CallExpr *>(e)->callee.get();
    if (c->kind != Expr::Ident)
      return false;
    const Object *o = static_cast<const IdentExpr *>(c)->obj;
    return o && o->kind == Object::Builtin && o->builtin == BPanic;
  }
  default:
    return false;
  }
}

// ---------------------------------------------------------------------------
// Expressions

std::string Sema::operand(const Expr *e) const {
  std::string s = exprString(e);
  const Expr *u = unparen(const_cast<Expr *>(e));
  const Type *t = e->type;
  if (!t)
    return s;
  if (t->isUntyped() || (u->kind == Expr::Ident && static_cast<const IdentExpr *>(u)->obj &&
                         static_cast<const IdentExpr *>(u)->obj->kind == Object::Const)) {
    if (u->kind == Expr::StringLit)
      return s + " (" + t->str() + " constant)";
    // Go shows the value only when it differs from the expression's text.
    if (e->isConst && t->isNumeric()) {
      std::string v = constText(e);
      return s + " (" + t->str() + " constant" + (v == s ? "" : " " + v) + ")";
    }
    if (e->isConst && t->isBoolean())
      return s + " (" + t->str() + " constant)";
    return s + " (" + t->str() + " value)";
  }
  // Go shows a constant's value only when it differs from the expression's text.
  if (e->isConst && t->isNumeric()) {
    std::string v = constText(e);
    return s + " (constant " + (v == s ? "" : v + " ") + "of type " + t->str() + ")";
  }
  if (u->kind == Expr::StringLit)
    return s + " (constant of type " + t->str() + ")";
  if (u->kind == Expr::Ident) {
    const Object *o = static_cast<const IdentExpr *>(u)->obj;
    if (o && o->kind == Object::Var)
      return s + " (variable of type " + t->str() + ")";
  }
  if (t == types_.voidT())
    return s + " (no value)";
  if (u->kind == Expr::Index && static_cast<const IndexExpr *>(u)->base->type &&
      static_cast<const IndexExpr *>(u)->base->type->isMap())
    return s + " (map index expression of type " + t->str() + ")";
  return s + " (value of type " + t->str() + ")";
}

bool Sema::representable(const ConstInt &v, const Type *t) const {
  if (!t->isInteger() || t->isUntyped())
    return true;
  return t->isSigned() ? v.fitsSigned(t->bits()) : v.fitsUnsigned(t->bits());
}

ConstFloat Sema::floatOf(const Expr *e) {
  return e->type->isFloat() ? e->constFloat : ConstFloat::fromInt(e->constVal);
}

std::string Sema::constText(const Expr *e) {
  return e->type->isFloat() ? e->constFloat.str() : e->constVal.str();
}

bool Sema::isZeroConst(const Expr *e) {
  return e->type->isFloat() ? e->constFloat.isZero() : e->constVal.isZero();
}

bool Sema::representableConst(const Expr *e, const Type *t) const {
  if (!e->isConst || !e->type->isNumeric())
    return true;
  if (t->isInteger()) {
    if (!e->type->isFloat())
      return representable(e->constVal, t);
    if (!e->constFloat.isInteger())
      return false;
    ConstInt v = e->constFloat.toInt();
    return v.bitLen() <= ConstInt::kMaxBits && representable(v, t);
  }
  ConstFloat rounded;
  return !t->isFloat() || t->isUntyped() || floatOf(e).round(t->bits(), rounded);
}

std::string Sema::notRepresentable(const Expr *e, const Type *t) {
  return e->type->isFloat() && t->isInteger() ? "truncated" : "overflows";
}

void Sema::convertConst(Expr *e, const Type *t) {
  if (!e->isConst || !e->type->isNumeric())
    return;
  if (t->isInteger() && e->type->isFloat())
    e->constVal = e->constFloat.toInt();
  else if (t->isFloat()) {
    ConstFloat f = floatOf(e);
    if (!t->isUntyped())
      f.round(t->bits(), f);
    e->constFloat = f;
  }
}

bool Sema::convertUntyped(Expr *e, const Type *target, const char *context) {
  if (!e->type || !e->type->isUntyped() || target == types_.invalid())
    return true;
  if (e->type->kind == Type::UntypedNil) {
    // nil is a value of pointer, slice, func, channel and map types only (toy has no
    // interfaces yet).
    if (target->kind == Type::UntypedNil) {
      error(e->loc, std::string("use of untyped nil in ") + context);
      return false;
    }
    if (!target->isSlice() && !target->isPointer() && !target->isChan() && !target->isMap() &&
        target->kind != Type::Func && !target->isInterface()) {
      error(e->loc, "cannot use nil as " + target->str() + " value in " + context);
      return false;
    }
    for (Expr *p = e;; p = static_cast<ParenExpr *>(p)->inner.get()) {
      p->type = target;
      if (p->kind != Expr::Paren)
        break;
    }
    return true;
  }
  // The operands get the type too, down a left-deep chain in a loop.
  bool ok = true;
  for (;; context = "expression") {
    if (e->isConst && target->isNumeric() && !representableConst(e, target)) {
      error(e->loc, "cannot use " + operand(e) + " as " + target->str() + " value in " +
                        context + " (" + notRepresentable(e, target) + ")");
      e->type = target;
      return false;
    }
    convertConst(e, target);
    e->type = target;
    // A constant is converted as a whole: its operands may have held values outside target's
    // range (untyped constants are exact), and IRGen emits only the folded value.
    if (e->isConst || e->isConstString)
      return ok;
    if (e->kind == Expr::Paren) {
      e = static_cast<ParenExpr *>(e)->inner.get();
    } else if (e->kind == Expr::Unary) {
      e = static_cast<UnaryExpr *>(e)->operand.get();
    } else if (e->kind == Expr::Binary) {
      auto *b = static_cast<BinaryExpr *>(e);
      bool cmp = b->op == Tok::Eql || b->op == Tok::Neq || b->op == Tok::Lss ||
                 b->op == Tok::Leq || b->op == Tok::Gtr || b->op == Tok::Geq;
      if (cmp) {
        // The operands of an untyped comparison keep their own default types.
        defaultize(b->lhs.get());
        defaultize(b->rhs.get());
        return ok;
      }
      bool shift = b->op == Tok::Shl || b->op == Tok::Shr;
      if (shift && target->isFloat() && !target->isUntyped()) {
        // A non-constant shift takes its type from the context, which must be an integer type.
        error(e->loc, "invalid operation: " + exprString(e) + " (shift of type " + target->str() +
                          ")");
        return false;
      }
      ok = convertUntyped(b->rhs.get(), shift ? types_.intT() : target) && ok;
      e = b->lhs.get();
    } else {
      return ok;
    }
    if (!e->type || !e->type->isUntyped())
      return ok;
  }
}

bool Sema::assign(Expr *e, const Type *target, const std::string &context) {
  const Type *t = e->type;
  if (!t || t == types_.invalid() || target == types_.invalid())
    return false;
  if (t == types_.voidT()) {
    error(e->loc, operand(e) + " used as value");
    return false;
  }
  if (t->kind == Type::UntypedNil)
    return convertUntyped(e, target, context.c_str());
  if (t->isUntyped()) {
    bool fits = (t->isNumeric() && target->isNumeric()) ||
                (t->kind == Type::UntypedBool && target->isBoolean()) ||
                (t->kind == Type::UntypedString && target->isString());
    if (!fits) {
      error(e->loc, "cannot use " + operand(e) + " as " + target->str() + " value in " + context);
      return false;
    }
    if (!representableConst(e, target)) {
      error(e->loc, "cannot use " + operand(e) + " as " + target->str() + " value in " + context +
                        " (" + notRepresentable(e, target) + ")");
      return false;
    }
    return convertUntyped(e, target);
  }
  if (!t->assignableTo(target) && !chanAssignable(t, target)) {
    // Go 1.19's gc wording for a typed value; untyped constants above say "as T value".
    error(e->loc, "cannot use " + operand(e) + " as type " + target->str() + " in " + context);
    return false;
  }
  return true;
}

const Type *Sema::expr(Expr *e) {
  const Type *t = exprOrVoid(e);
  if (t->kind == Type::Tuple) {
    error(e->loc, "multiple-value " + exprString(e) + " (value of type " + t->str() +
                      ") in single-value context");
    return e->type = types_.invalid();
  }
  return t;
}

// values checks the values of an assignment, a return or a call's arguments. A single call
// returning several results is spread into one TupleElemExpr per result, as Go assigns them.
std::vector<const Type *> Sema::values(std::vector<ExprPtr> &vs) {
  std::vector<const Type *> ts;
  Expr *u = vs.size() == 1 ? unparen(vs[0].get()) : nullptr;
  if (u && (u->kind == Expr::Call ||
            (u->kind == Expr::Unary && static_cast<UnaryExpr *>(u)->commaOk) ||
            (u->kind == Expr::Index && static_cast<IndexExpr *>(u)->commaOk) ||
            (u->kind == Expr::TypeAssert && static_cast<TypeAssertExpr *>(u)->commaOk))) {
    const Type *t = exprOrVoid(vs[0].get());
    if (t->kind != Type::Tuple)
      return {t};
    ExprPtr call = std::move(vs[0]);
    vs.clear();
    for (unsigned i = 0; i < t->results.size(); ++i) {
      auto el = std::make_unique<TupleElemExpr>(call.get(), i);
      el->type = t->results[i];
      vs.push_back(std::move(el));
    }
    static_cast<TupleElemExpr *>(vs[0].get())->owned = std::move(call);
    return t->results;
  }
  for (auto &v : vs)
    ts.push_back(expr(v.get()));
  return ts;
}

// mismatch is Go's text for vars variables assigned vs: "assignment mismatch: 2 variables but
// f returns 3 values" when vs is one call.
std::string Sema::mismatch(size_t vars, const std::vector<ExprPtr> &vs) const {
  const Expr *call = vs[0]->kind == Expr::TupleElem ? static_cast<TupleElemExpr *>(vs[0].get())->call
                     : vs.size() == 1 && unparen(vs[0].get())->kind == Expr::Call ? unparen(vs[0].get())
                                                                                : nullptr;
  if (!call)
    return assignmentMismatch(vars, vs.size());
  if (vs[0]->type == types_.voidT())
    return operand(vs[0].get()) + " used as value";
  size_t n = vs[0]->kind == Expr::TupleElem ? vs.size() : 1;
  return "assignment mismatch: " + std::to_string(vars) + " variable" + (vars > 1 ? "s" : "") +
         " but " + exprString(static_cast<const CallExpr *>(call)->callee.get()) + " returns " +
         std::to_string(n) + " value" + (n > 1 ? "s" : "");
}

const Type *Sema::exprOrVoid(Expr *e) {
  if (!e)
    return types_.invalid();
  const Type *t = types_.invalid();
  switch (e->kind) {
  case Expr::IntLit: {
    auto *lit = static_cast<IntLitExpr *>(e);
    e->isConst = true;
    e->constVal = lit->value;
    if (lit->overflow) {
      error(e->loc, "constant overflow");
      return e->type = types_.invalid();
    }
    t = lit->rune ? types_.untypedRune() : types_.untypedInt();
    break;
  }
  case Expr::FloatLit: {
    auto *lit = static_cast<FloatLitExpr *>(e);
    if (lit->overflow) {
      error(e->loc, floatLimit);
      return e->type = types_.invalid();
    }
    e->isConst = true;
    e->constFloat = lit->value;
    t = types_.untypedFloat();
    break;
  }
  case Expr::StringLit:
    t = types_.untypedString();
    e->isConstString = true;
    break;
  case Expr::Ident:
    t = ident(static_cast<IdentExpr *>(e));
    break;
  case Expr::Paren: {
    auto *p = static_cast<ParenExpr *>(e);
    t = exprOrVoid(p->inner.get());
    e->isConst = p->inner->isConst;
    e->constVal = p->inner->constVal;
    e->constFloat = p->inner->constFloat;
    e->isConstString = p->inner->isConstString;
    break;
  }
  case Expr::Unary:
    t = unary(static_cast<UnaryExpr *>(e));
    break;
  case Expr::Binary:
    t = binary(static_cast<BinaryExpr *>(e));
    break;
  case Expr::Call:
    t = call(static_cast<CallExpr *>(e));
    break;
  case Expr::FuncLit:
    t = funcLit(static_cast<FuncLitExpr *>(e));
    break;
  case Expr::TupleElem: // typed by values(), which made it
  case Expr::ImplicitConv: // made by Sema, typed
    return e->type;
  case Expr::TypeAssert:
    t = typeAssert(static_cast<TypeAssertExpr *>(e));
    break;
  case Expr::Index:
    t = index(static_cast<IndexExpr *>(e));
    break;
  case Expr::CompositeLit:
    t = compositeLit(static_cast<CompositeLitExpr *>(e), nullptr);
    break;
  case Expr::TypeE: {
    const Type *ty = resolveType(static_cast<TypeValueExpr *>(e)->typeExpr.get());
    if (ty != types_.invalid())
      error(e->loc, exprString(e) + " (type) is not an expression");
    break;
  }
  case Expr::Slice:
    t = sliceExpr(static_cast<SliceExpr *>(e));
    break;
  case Expr::Selector:
    t = selector(static_cast<SelectorExpr *>(e));
    break;
  }
  return e->type = t;
}

const Type *Sema::ident(IdentExpr *e) {
  if (e->name == "_") {
    error(e->loc, "cannot use _ as value or type");
    return types_.invalid();
  }
  Object *o = lookupAt(e->name, e->loc);
  if (!o && pendingConsts_.count(e->name)) {
    ConstDeclStmt *c = pendingConsts_.at(e->name);
    for (auto &n : c->names)
      if (n.name == e->name)
        checkPackageConst(c, &n);
    o = lookup(e->name);
    if (!o) // part of an initialization loop, reported there
      return types_.invalid();
  }
  if (!o && pendingGlobals_.count(e->name))
    o = pendingVar(e->name);
  if (!o) {
    error(e->loc, "undefined: " + e->name); // at every use, as Go reports it
    return types_.invalid();
  }
  e->obj = o;
  switch (o->kind) {
  case Object::Var:
    o->used = true;
    noteUse(o);
    return o->type;
  case Object::Const:
    if (o == nil_) // not a constant: a typed nil is a value of its slice or func type
      return o->type;
    if (o == iota_) {
      if (curIota_ < 0) {
        error(e->loc, "cannot use iota outside constant declaration");
        return types_.invalid();
      }
      e->isConst = true;
      e->constVal = curIota_;
      return o->type;
    }
    if (o->isConstString)
      e->isConstString = true;
    else
      e->isConst = true;
    e->constVal = o->constVal;
    e->constFloat = o->constFloat;
    return o->type;
  case Object::Func:
    return o->type; // a function value (IRGen makes a closure with no environment)
  case Object::Builtin:
    error(e->loc, e->name + " (built-in function " + e->name + ") must be called");
    return types_.invalid();
  case Object::TypeName:
    error(e->loc, e->name + " (type) is not an expression");
    return types_.invalid();
  case Object::Package:
    // Not a use: gc also reports the import as not used.
    error(e->loc, "use of package " + e->name + " not in selector");
    return types_.invalid();
  case Object::Unsupported:
    unsupportedName(e->loc, o);
    return types_.invalid();
  }
  return types_.invalid();
}

const Type *Sema::selector(SelectorExpr *e) {
  Expr *base = unparen(e->base.get());
  if (base->kind == Expr::Ident) {
    Object *o = lookupAt(static_cast<IdentExpr *>(base)->name, base->loc);
    if (o && o->kind == Object::Package) {
      static_cast<IdentExpr *>(base)->obj = o;
      return packageMember(e, o);
    }
  }
  if (const Type *rt = typeOperand(e->base.get()))
    return methodExpr(e, rt);
  const Type *bt = expr(e->base.get());
  if (bt == types_.invalid())
    return bt;
  if (const Type *t = fieldOrMethodSelector(e, bt))
    return t;
  noFieldOrMethod(e, bt);
  return types_.invalid();
}

const Type *Sema::matchTypes(Expr *l, Expr *r, SourceLoc at,
                             const std::function<std::string()> &text) {
  const Type *lt = l->type, *rt = r->type;
  if (lt->isUntyped() != rt->isUntyped() &&
      (lt->kind == Type::UntypedNil || rt->kind == Type::UntypedNil)) {
    const Type *other = lt->isUntyped() ? rt : lt;
    if (!other->isSlice() && !other->isPointer() && !other->isChan() && !other->isMap() &&
        other->kind != Type::Func && !other->isInterface()) {
      error(at, "invalid operation: " + text() + " (mismatched types " + lt->str() + " and " +
                    rt->str() + ")");
      return types_.invalid();
    }
    convertUntyped(lt->isUntyped() ? l : r, other);
    return other;
  }
  if (lt->isUntyped() != rt->isUntyped()) {
    // types2's canMix: an untyped operand takes the other's type unless exactly one of them
    // is boolean or string.
    Expr *u = lt->isUntyped() ? l : r;
    const Type *target = lt->isUntyped() ? rt : lt;
    if (u->type->isBoolean() == target->isBoolean() && u->type->isString() == target->isString()) {
      if (u->type->isNumeric() && !target->isNumeric()) {
        error(u->loc, "cannot convert " + operand(u) + " to " + target->str());
        return types_.invalid();
      }
      if (!representableConst(u, target)) {
        error(u->loc, operand(u) + " " +
                          (notRepresentable(u, target) == "truncated" ? "truncated to "
                                                                      : "overflows ") +
                          target->str());
        return types_.invalid();
      }
      convertUntyped(u, target);
      return target;
    }
  }
  if (lt != rt && lt->isNumeric() && rt->isNumeric() && lt->isUntyped() && rt->isUntyped() &&
      (lt->isFloat() || rt->isFloat())) {
    // Untyped numeric constants mix as Go's kinds do: int < rune < float.
    convertUntyped(l, types_.untypedFloat());
    convertUntyped(r, types_.untypedFloat());
    return types_.untypedFloat();
  }
  if (lt != rt && lt->isUntypedInt() && rt->isUntypedInt()) {
    // Untyped integer and rune constants mix; the result is a rune (Go's larger kind).
    convertUntyped(l, types_.untypedRune());
    convertUntyped(r, types_.untypedRune());
    return types_.untypedRune();
  }
  if (!identical(lt, rt) && (chanAssignable(lt, rt) || chanAssignable(rt, lt))) {
    // A bidirectional channel compares with a directional one of its element type.
    return lt->dir == Type::SendRecv ? rt : lt;
  }
  if (!identical(lt, rt)) {
    error(at, "invalid operation: " + text() + " (mismatched types " + lt->str() + " and " +
                  rt->str() + ")");
    return types_.invalid();
  }
  return lt;
}

const Type *Sema::unary(UnaryExpr *e) {
  if (e->op == Tok::Arrow)
    return recv(e);
  if (e->op == Tok::And)
    return addressOf(e);
  if (e->op == Tok::Mul)
    return indirect(e);
  const Type *t = expr(e->operand.get());
  if (t == types_.invalid())
    return t;
  Expr *x = e->operand.get();
  bool ok = e->op == Tok::Not   ? t->isBoolean()
            : e->op == Tok::Xor ? t->isInteger()
                                : t->isNumeric();
  if (!ok || t == types_.voidT()) {
    error(x->loc, std::string("invalid operation: operator ") + tokName(e->op) +
                      " not defined on " + operand(x));
    return types_.invalid();
  }
  if (x->isConst && t->isFloat()) {
    e->isConst = true;
    e->constFloat = e->op == Tok::Sub ? -x->constFloat : x->constFloat;
    return t;
  }
  if (x->isConst) {
    e->isConst = true;
    switch (e->op) {
    case Tok::Sub:
      e->constVal = -x->constVal;
      break;
    case Tok::Add:
      e->constVal = x->constVal;
      break;
    case Tok::Not:
      e->constVal = x->constVal.isZero() ? 1 : 0;
      break;
    case Tok::Xor:
      e->constVal = ~x->constVal;
      if (t->isUnsigned()) // ^x flips only the type's bits
        e->constVal = e->constVal & (ConstInt(1).shl(t->bits()) - ConstInt(1));
      break;
    default:
      break;
    }
    if (!t->isUntyped() && t->isInteger() && !representable(e->constVal, t)) {
      error(e->loc, typedOverflow(e, e->constVal, t));
      return types_.invalid();
    }
    if (t->isUntyped() && e->constVal.bitLen() > ConstInt::kMaxBits) {
      error(e->loc, "constant negation overflow");
      return types_.invalid();
    }
  }
  return t;
}

// A chain a + b + c + ... is a left-deep tree as long as the source; it is checked in a loop
// (down the spine to its first operand, then each operator after its right operand), so no
// length exhausts the stack.
const Type *Sema::binary(BinaryExpr *e) {
  std::vector<BinaryExpr *> spine = {e};
  while (spine.back()->lhs->kind == Expr::Binary)
    spine.push_back(static_cast<BinaryExpr *>(spine.back()->lhs.get()));
  expr(spine.back()->lhs.get());
  for (size_t i = spine.size(); i-- > 1;) {
    expr(spine[i]->rhs.get());
    spine[i]->type = binaryOp(spine[i]);
  }
  expr(e->rhs.get());
  return binaryOp(e);
}

// Checks l op r once both operands are checked.
const Type *Sema::binaryOp(BinaryExpr *e) {
  const Type *lt = e->lhs->type;
  const Type *rt = e->rhs->type;
  if (lt == types_.invalid() || rt == types_.invalid())
    return types_.invalid();
  Expr *l = e->lhs.get(), *r = e->rhs.get();
  std::string op = tokName(e->op);
  auto invalid = [&](const std::string &why) {
    error(e->loc, "invalid operation: " + exprString(e) + " (" + why + ")");
    return types_.invalid();
  };
  for (Expr *x : {l, r})
    if (x->type == types_.voidT()) {
      error(x->loc, operand(x) + " used as value");
      return types_.invalid();
    }

  if (e->op == Tok::Shl || e->op == Tok::Shr) {
    if (rt->kind == Type::UntypedFloat && r->isConst) {
      // An untyped constant count must be a uint value (types2 converts it to uint).
      if (!r->constFloat.isInteger()) {
        error(r->loc, operand(r) + " truncated to uint");
        return types_.invalid();
      }
      convertUntyped(r, rt = types_.untypedInt());
    }
    if (!rt->isInteger()) {
      error(r->loc, "invalid operation: shift count " + operand(r) + " must be integer");
      return types_.invalid();
    }
    if (r->isConst && r->constVal.isNegative()) {
      error(r->loc, "invalid operation: negative shift count " + operand(r));
      return types_.invalid();
    }
    // Go's bound on a constant shift count (types2's shiftBound).
    constexpr int64_t shiftBound = 1023 - 1 + 52;
    if (l->isConst && r->isConst && r->constVal > ConstInt(shiftBound)) {
      error(r->loc, "invalid operation: invalid shift count " + operand(r));
      return types_.invalid();
    }
    // An untyped float constant with an integer value may be shifted; a constant shift makes
    // it an untyped integer, a non-constant one leaves it to the context's type.
    bool integral = lt->kind == Type::UntypedFloat && l->isConst && l->constFloat.isInteger();
    if (!lt->isInteger() && !integral) {
      error(e->loc, "invalid operation: shifted operand " + operand(l) + " must be integer");
      return types_.invalid();
    }
    if (integral && r->isConst)
      convertUntyped(l, lt = types_.untypedInt());
    if (l->isConst && r->isConst && lt->isUntyped()) {
      unsigned n = unsigned(r->constVal.small());
      e->isConst = true;
      e->constVal = e->op == Tok::Shl ? l->constVal.shl(n) : l->constVal.ashr(n);
      if (e->constVal.bitLen() > ConstInt::kMaxBits) {
        error(e->opLoc, "constant shift overflow");
        return types_.invalid();
      }
      return lt;
    }
    if (rt->isUntyped())
      convertUntyped(r, types_.intT());
    // A non-constant shift of an untyped constant is an untyped value: its operand takes the
    // type the context gives the shift (var v int64 = 1 << s), as in Go; convertUntyped and
    // defaultize pass that type down.
    if (lt->isUntyped())
      return lt;
    if (l->isConst && r->isConst) {
      // A typed constant must stay representable (Go: int(1) << 64 overflows int).
      unsigned n = unsigned(r->constVal.small());
      ConstInt exact = e->op == Tok::Shl ? l->constVal.shl(n) : l->constVal.ashr(n);
      if (!representable(exact, lt)) {
        error(e->loc, typedOverflow(e, exact, lt));
        return types_.invalid();
      }
      e->isConst = true;
      e->constVal = exact;
    }
    return lt;
  }

  // Bring both operands to one type; Go reports a comparison's mismatch at its second operand,
  // known only once that operand is seen.
  bool cmpOp = e->op == Tok::Eql || e->op == Tok::Neq || e->op == Tok::Lss || e->op == Tok::Leq ||
               e->op == Tok::Gtr || e->op == Tok::Geq;
  if (cmpOp && !identical(lt, rt) && (lt->isInterface() || rt->isInterface()) &&
      lt->kind != Type::UntypedNil && rt->kind != Type::UntypedNil) {
    // A value compared with an interface is converted to it (either way when both are).
    bool toLeft = lt->isInterface() &&
                  (!rt->isInterface() || missingMethod(rt, lt, nullptr).empty());
    ExprPtr &conv = toLeft ? e->rhs : e->lhs;
    const Type *target = toLeft ? lt : rt;
    if (conv->type->isUntyped() &&
        !missingMethod(types_.defaultType(conv->type), target, nullptr).empty()) {
      // types2 converts the untyped operand first: the interface is named by its methods.
      error(conv->loc, "cannot convert " + operand(conv.get()) + " to " +
                           target->underlying()->str());
      return types_.invalid();
    }
    if (!conv->type->isUntyped() && !missingMethod(conv->type, target, nullptr).empty()) {
      error(r->loc, "invalid operation: " + exprString(e) + " (mismatched types " + lt->str() +
                        " and " + rt->str() + ")");
      return types_.invalid();
    }
    if (!toInterface(conv, target, [&] {
          return "invalid operation: " + exprString(e) + " (mismatched types " + lt->str() +
                 " and " + rt->str() + ")";
        }))
      return types_.invalid();
    l = e->lhs.get();
    r = e->rhs.get();
    lt = rt = target;
  }
  // A comparison needs one operand assignable to the other's type ([]int and a type defined
  // as []int); other operators need identical types.
  const Type *t =
      cmpOp && !identical(lt, rt) && !lt->isUntyped() && !rt->isUntyped() &&
              (lt->assignableTo(rt) || rt->assignableTo(lt))
          ? (lt->isNamed() ? lt : rt)
          : matchTypes(l, r, cmpOp ? r->loc : e->loc, [e] { return exprString(e); });
  if (t == types_.invalid())
    return t;
  // Go's wording: an operator that does not apply names the operand; a comparison that does
  // not apply names the type.
  auto notDefined = [&]() {
    error(e->loc, "invalid operation: operator " + op + " not defined on " + operand(l));
    return types_.invalid();
  };
  bool isCmp = false;
  switch (e->op) {
  case Tok::LAnd:
  case Tok::LOr:
    if (!t->isBoolean())
      return notDefined();
    break;
  case Tok::Eql:
  case Tok::Neq:
    if (t->kind == Type::Func && !isNil(l) && !isNil(r))
      return invalid("func can only be compared to nil");
    if (t->isSlice() && !isNil(l) && !isNil(r))
      return invalid("slice can only be compared to nil");
    if (t->isMap() && !isNil(l) && !isNil(r))
      return invalid("map can only be compared to nil");
    if (t->kind == Type::UntypedNil) { // types2 reports it at the second nil
      error(r->loc, "invalid operation: " + exprString(e) + " (operator " + op +
                        " not defined on untyped nil)");
      return types_.invalid();
    }
    if ((t->kind == Type::Func || t->isSlice() || t->isMap()) && (isNil(l) || isNil(r))) {
      isCmp = true; // comparing with nil
      break;
    }
    if (!t->comparable())
      return invalid(incomparable(t));
    isCmp = true;
    break;
  case Tok::Lss:
  case Tok::Leq:
  case Tok::Gtr:
  case Tok::Geq:
    if (t->isBoolean() || t->kind == Type::Func || t->isArray() || t->isSlice() ||
        t->isPointer() || t->isChan() || t->isMap())
      return invalid("operator " + op + " not defined on " +
                     (t->kind == Type::Func ? std::string("func")
                      : t->isArray()        ? std::string("array")
                      : t->isSlice()        ? std::string("slice")
                      : t->isPointer()      ? std::string("pointer")
                      : t->isChan()         ? std::string("chan")
                      : t->isMap()          ? std::string("map")
                                            : t->str()));
    isCmp = true;
    break;
  case Tok::Add:
    if (!t->isNumeric() && !t->isString())
      return notDefined();
    break;
  case Tok::Sub:
  case Tok::Mul:
  case Tok::Quo:
    if (!t->isNumeric())
      return notDefined();
    // A float division by zero is Inf or NaN at run time; only a constant one is an error.
    if (e->op == Tok::Quo && r->isConst && isZeroConst(r) && (t->isInteger() || l->isConst)) {
      error(r->loc, "invalid operation: division by zero");
      return types_.invalid();
    }
    break;
  default:
    if (!t->isInteger())
      return notDefined();
    if (e->op == Tok::Rem && r->isConst && r->constVal.isZero()) {
      error(r->loc, "invalid operation: division by zero");
      return types_.invalid();
    }
  }

  if (e->op == Tok::Add && l->isConstString && r->isConstString)
    e->isConstString = true;

  if (isCmp && !(l->isConst && r->isConst)) {
    if (l->type->isUntyped())
      defaultize(l);
    if (r->type->isUntyped())
      defaultize(r);
  }

  if (l->isConst && r->isConst && t->isFloat()) {
    if (!foldFloat(e, t))
      return types_.invalid();
    return isCmp ? types_.untypedBool() : t;
  }
  // Fold integer and boolean constants.
  if (l->isConst && r->isConst && !t->isString()) {
    const ConstInt &a = l->constVal, &b = r->constVal;
    ConstInt v;
    auto flag = [](bool c) { return ConstInt(c ? 1 : 0); };
    switch (e->op) {
    case Tok::Add:
      v = a + b;
      break;
    case Tok::Sub:
      v = a - b;
      break;
    case Tok::Mul:
      v = a * b;
      break;
    case Tok::Quo:
      v = a / b;
      break;
    case Tok::Rem:
      v = a % b;
      break;
    case Tok::And:
      v = a & b;
      break;
    case Tok::Or:
      v = a | b;
      break;
    case Tok::Xor:
      v = a ^ b;
      break;
    case Tok::AndNot:
      v = a & ~b;
      break;
    case Tok::LAnd:
      v = flag(!a.isZero() && !b.isZero());
      break;
    case Tok::LOr:
      v = flag(!a.isZero() || !b.isZero());
      break;
    case Tok::Eql:
      v = flag(a == b);
      break;
    case Tok::Neq:
      v = flag(a != b);
      break;
    case Tok::Lss:
      v = flag(a < b);
      break;
    case Tok::Leq:
      v = flag(a <= b);
      break;
    case Tok::Gtr:
      v = flag(a > b);
      break;
    case Tok::Geq:
      v = flag(a >= b);
      break;
    default:
      break;
    }
    if (!isCmp && t->isInteger() && !t->isUntyped() && !representable(v, t)) {
      error(e->loc, typedOverflow(e, v, t));
      return types_.invalid();
    }
    if (v.bitLen() > ConstInt::kMaxBits) {
      // Go's go/types wording: constant addition/subtraction/multiplication overflow.
      const char *what = e->op == Tok::Add   ? "addition"
                         : e->op == Tok::Sub ? "subtraction"
                                             : "multiplication";
      error(e->opLoc, std::string("constant ") + what + " overflow");
      return types_.invalid();
    }
    e->isConst = true;
    e->constVal = v;
  }
  if (isCmp)
    return (l->isConst && r->isConst) ? types_.untypedBool() : types_.boolT();
  return t;
}

bool Sema::foldFloat(BinaryExpr *e, const Type *t) {
  const ConstFloat &a = e->lhs->constFloat, &b = e->rhs->constFloat;
  e->isConst = true;
  int c = ConstFloat::compare(a, b);
  auto flag = [&](bool v) {
    e->constVal = ConstInt(v ? 1 : 0);
    return true;
  };
  switch (e->op) {
  case Tok::Eql:
    return flag(c == 0);
  case Tok::Neq:
    return flag(c != 0);
  case Tok::Lss:
    return flag(c < 0);
  case Tok::Leq:
    return flag(c <= 0);
  case Tok::Gtr:
    return flag(c > 0);
  case Tok::Geq:
    return flag(c >= 0);
  default:
    break;
  }
  // Quo's divisor is not zero: Sema rejected that.
  char op = e->op == Tok::Add ? '+' : e->op == Tok::Sub ? '-' : e->op == Tok::Mul ? '*' : '/';
  ConstFloat v = ConstFloat::arith(op, a, b);
  if (!v.isFinite()) {
    error(e->opLoc, floatLimit);
    return false;
  }
  if (!t->isUntyped() && !v.round(t->bits(), v)) {
    error(e->loc, typedOverflow(e, v.str(), t));
    return false;
  }
  e->constFloat = v;
  return true;
}

// sliceToArrayPointer reports whether a slice of type from converts to to, a pointer to an
// array of its element type (Go 1.17's (*[N]T)(s)).
static bool sliceToArrayPointer(const Type *from, const Type *to) {
  const Type *s = from->underlying(), *p = to->underlying();
  return s->isSlice() && p->isPointer() && p->elem->underlying()->isArray() &&
         identical(p->elem->underlying()->elem, s->elem);
}

// conversion checks T(x), a conversion to type `to`.
const Type *Sema::conversion(CallExpr *e, const Type *to) {
  e->conversion = true;
  if (e->args.size() != 1) {
    for (auto &a : e->args)
      expr(a.get());
    if (e->args.empty())
      error(e->loc, "missing argument in conversion to " + to->str());
    else
      error(e->args[1]->loc, "too many arguments in conversion to " + to->str());
    return types_.invalid();
  }
  const Type *at = expr(e->args[0].get());
  if (at == types_.invalid())
    return at;
  if (to->isInterface() && at->kind != Type::UntypedNil) {
    if (!toInterface(e->args[0], to, [&] {
          return "cannot convert " + operand(e->args[0].get()) + " to type " + to->str();
        }))
      return types_.invalid();
    return to;
  }
  // A slice of bytes or runes: a type whose underlying type is a slice of a type whose
  // underlying type is byte or rune (Go's isBytesOrRunes), such as []byte or `type Bytes []byte`.
  auto bytesOrRunes = [&](const Type *t) {
    t = t->underlying();
    return t->isSlice() &&
           (identical(t->elem->underlying(), types_.uint8T()) ||
            identical(t->elem->underlying(), types_.int32T()));
  };
  // string(b), string(runes) and string(r) for an integer r; Bytes(s) and Runes(s) for a string s.
  bool toString = to->isString() && (bytesOrRunes(at) || at->isInteger());
  bool fromString = at->isString() && bytesOrRunes(to);
  bool ok = identical(at->underlying(), to->underlying()) || (at->isNumeric() && to->isNumeric()) ||
            (at->kind == Type::UntypedNil &&
             (to->isSlice() || to->kind == Type::Func || to->isPointer() || to->isChan() ||
              to->isMap() || to->isInterface())) ||
            at->assignableTo(to) || chanAssignable(at, to) ||
            (at->isPointer() && to->isPointer() && !at->isDefined() && !to->isDefined() &&
             identical(at->elem->underlying(), to->elem->underlying())) ||
            (at->isBoolean() && to->isBoolean()) || (at->isString() && to->isString()) ||
            toString || fromString || sliceToArrayPointer(at, to);
  if (!ok) {
    error(e->args[0]->loc,
          "cannot convert " + operand(e->args[0].get()) + " to type " + to->str());
    return types_.invalid();
  }
  // A constant converts to a constant, so it must be representable in the new type.
  if (e->args[0]->isConst && to->isNumeric() && !representableConst(e->args[0].get(), to)) {
    error(e->args[0]->loc,
          "cannot convert " + operand(e->args[0].get()) + " to type " + to->str());
    return types_.invalid();
  }
  if (fromString) {
    if (at->isUntyped())
      defaultize(e->args[0].get());
    return to;
  }
  if (to->isString() && at->isInteger()) {
    if (at->isUntyped())
      defaultize(e->args[0].get());
    e->isConstString = e->args[0]->isConst; // string(r) of a constant r is a constant
    return to;
  }
  if (to->isString() && e->args[0]->isConstString) {
    // S("x"): a constant string converts to a constant of the new string type.
    e->isConstString = true;
    if (at->isUntyped() && !assign(e->args[0].get(), to, "conversion"))
      return types_.invalid();
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

const Type *Sema::call(CallExpr *e) {
  Expr *callee = unparen(e->callee.get());
  if (!checkDots(e))
    return types_.invalid();
  if (callee->kind == Expr::TypeE) {
    // []byte(s), []rune(s), and conversions to other types written as literals.
    const Type *to = resolveType(static_cast<TypeValueExpr *>(callee)->typeExpr.get());
    callee->type = e->callee->type = to;
    if (to == types_.invalid()) {
      for (auto &a : e->args)
        expr(a.get());
      return to;
    }
    bool toBytes = to->isSlice() && (identical(to->elem, types_.uint8T()) ||
                                     identical(to->elem, types_.int32T()));
    if (!toBytes || e->args.size() != 1)
      return conversion(e, to);
    expr(e->args[0].get());
    if (e->args[0]->type == types_.invalid())
      return types_.invalid();
    if (identical(e->args[0]->type->underlying(), to->underlying()))
      return to; // []int(l) for a value l of a type defined as []int
    if (e->args[0]->type->kind == Type::UntypedNil) // []byte(nil): a nil slice
      return convertUntyped(e->args[0].get(), to, "conversion") ? to : types_.invalid();
    if (!e->args[0]->type->isString()) {
      error(e->args[0]->loc, "cannot convert " + operand(e->args[0].get()) + " to type " + to->str());
      return types_.invalid();
    }
    if (e->args[0]->type->isUntyped())
      defaultize(e->args[0].get());
    return to;
  }
  if (callee->kind == Expr::Ident) {
    auto *id = static_cast<IdentExpr *>(callee);
    Object *o = lookup(id->name);
    if (o && o->kind == Object::Builtin) {
      id->obj = o;
      return builtinCall(e, o);
    }
    if (o && o->kind == Object::Unsupported) {
      // new(int), uint(x), cap(s): the arguments are still checked (their variables are
      // used), except those naming types.
      id->obj = o;
      unsupportedName(id->loc, o);
      for (auto &a : e->args) {
        Expr *u = unparen(a.get());
        Object *ao = u->kind == Expr::Ident ? lookup(static_cast<IdentExpr *>(u)->name) : nullptr;
        if (!ao || (ao->kind != Object::TypeName && ao->kind != Object::Unsupported))
          expr(a.get());
      }
      return types_.invalid();
    }
    if (o && o->kind == Object::TypeName) {
      id->obj = o;
      return conversion(e, o->type);
    }
  }
  if (callee->kind == Expr::Selector) { // pkg.T(x): a conversion to an imported type
    auto *sel = static_cast<SelectorExpr *>(callee);
    Expr *pkg = unparen(sel->base.get());
    Object *p = pkg->kind == Expr::Ident ? lookupAt(static_cast<IdentExpr *>(pkg)->name, pkg->loc)
                                         : nullptr;
    Object *m = p && p->kind == Object::Package && !p->symbol.empty()
                    ? packageOf_.at(p)->member(sel->sel)
                    : nullptr;
    if (m && m->kind == Object::TypeName) {
      p->used = true;
      static_cast<IdentExpr *>(pkg)->obj = p;
      if (!importedMember(p, sel->sel, sel->selLoc))
        return types_.invalid();
      sel->obj = m;
      return conversion(e, m->type);
    }
  }
  if (callee->kind == Expr::Unary) // (*T)(x): a conversion to a pointer type
    if (const Type *to = typeOperand(callee))
      return conversion(e, to);
  // A selector callee (pkg.F, x.M) and a declared function named directly are resolved here;
  // any other callee is an expression giving a func value.
  const Type *ft;
  if (callee->kind == Expr::Selector)
    ft = selector(static_cast<SelectorExpr *>(callee));
  else if (callee->kind == Expr::Ident && lookup(static_cast<IdentExpr *>(callee)->name) &&
           lookup(static_cast<IdentExpr *>(callee)->name)->kind == Object::Func) {
    auto *id = static_cast<IdentExpr *>(callee);
    id->obj = lookup(id->name);
    ft = id->obj->type;
  } else
    ft = expr(e->callee.get());
  for (Expr *p = e->callee.get();; p = static_cast<ParenExpr *>(p)->inner.get()) {
    p->type = ft;
    if (p == callee)
      break;
  }
  if (ft == types_.invalid()) {
    for (auto &a : e->args)
      expr(a.get());
    return ft;
  }
  if (ft->kind != Type::Func) {
    error(e->loc, "invalid operation: cannot call non-function " + operand(e->callee.get()));
    return types_.invalid();
  }
  size_t written = e->args.size();
  values(e->args);
  checkArgs(e, ft, written);
  return resultType(ft);
}

// oneArg reports a call to a one-argument built-in with another count (Go's "not enough"/"too
// many arguments for len() (expected 1, found 0)"), after checking the arguments it has.
bool Sema::oneArg(CallExpr *e) {
  if (e->args.size() == 1)
    return true;
  for (auto &a : e->args)
    expr(a.get());
  error(e->loc, std::string("invalid operation: ") + (e->args.empty() ? "not enough" : "too many") +
                    " arguments for " + exprString(e) + " (expected 1, found " +
                    std::to_string(e->args.size()) + ")");
  return false;
}

const Type *Sema::builtinCall(CallExpr *e, Object *b) {
  switch (b->builtin) {
  case BCap:
  case BAppend:
  case BCopy:
  case BMake:
    return sliceBuiltin(e, b);
  case BNew:
    return newBuiltin(e);
  case BClose:
    return closeBuiltin(e);
  case BDelete:
    return deleteBuiltin(e);
  case BPrint:
  case BPrintln: {
    std::vector<const Type *> ts = values(e->args); // println(f()) prints all of f's results
    for (size_t i = 0; i < e->args.size(); ++i) {
      auto &a = e->args[i];
      const Type *t = ts[i];
      if (t == types_.voidT())
        error(a->loc, operand(a.get()) + " used as value");
      else if (t->isUntyped())
        defaultize(a.get(), b->builtin == BPrint ? "argument to print" : "argument to println");
      else if (t->isArray() || t->isStruct()) {
        // gc's walk reports it at the call's '(' and names both builtins print.
        SourceLoc at = e->callee->loc;
        uint32_t n = uint32_t(exprString(e->callee.get()).size());
        at.col += n;
        at.offset += n;
        error(at, "illegal types for operand: print\n\t" + t->str());
      }
    }
    // As types2: a builtin call with an invalid argument is invalid (so nothing more is said).
    for (const Type *t : ts)
      if (t == types_.invalid())
        return t;
    return types_.voidT();
  }
  case BLen: {
    if (!oneArg(e))
      return types_.invalid();
    const Type *t = expr(e->args[0].get());
    if (t == types_.invalid())
      return t;
    if (t->isSlice() || t->isChan() || t->isMap())
      return types_.intT();
    if (t->isArrayPointer())
      t = t->elem; // len(p) is the array's length; p is not dereferenced
    if (t->isArray()) {
      // len of an array is a constant when its operand is a variable (no calls to run).
      if (unparen(e->args[0].get())->kind == Expr::Ident) {
        e->isConst = true;
        e->constVal = t->len;
      }
      return types_.intT();
    }
    if (!t->isString()) {
      error(e->args[0]->loc, "invalid argument: " + operand(e->args[0].get()) + " for len");
      return types_.invalid();
    }
    if (t->isUntyped())
      defaultize(e->args[0].get());
    if (e->args[0]->isConstString) {
      e->isConst = true;
      e->constVal = int64_t(constString(e->args[0].get()).size());
    }
    return types_.intT(); // Go: a constant of type int, not an untyped one
  }
  case BPanic: {
    if (!oneArg(e))
      return types_.voidT();
    const Type *t = expr(e->args[0].get());
    if (t == types_.invalid())
      return types_.voidT();
    // panic's parameter is an interface{}; panic(nil) panics with a nil value, as in Go 1.19.
    assign(e->args[0], types_.emptyInterface(), "argument to panic");
    return types_.voidT();
  }
  case BRecover:
    if (!e->args.empty()) {
      for (auto &a : e->args)
        expr(a.get());
      error(e->loc, "invalid operation: too many arguments for " + exprString(e) +
                        " (expected 0, found " + std::to_string(e->args.size()) + ")");
    }
    return types_.emptyInterface();
  }
  return types_.invalid();
}

} // namespace toy
