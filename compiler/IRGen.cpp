//===- IRGen.cpp ----------------------------------------------------------===//
#include "IRGen.h"
#include "Sema.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>

#include <map>

using namespace llvm;

namespace toy {
namespace {

class IRGen {
public:
  IRGen(TypeContext &types, LLVMContext &ctx, const std::string &name)
      : types_(types), ctx_(ctx), mod_(std::make_unique<Module>(name, ctx)), b_(ctx) {}

  std::unique_ptr<Module> run(File &file);

private:
  llvm::Type *lower(const toy::Type *t);
  llvm::StructType *stringTy();
  Function *runtimeFn(const std::string &name, llvm::Type *ret, ArrayRef<llvm::Type *> params,
                      bool noreturn = false);
  Function *declare(Object *fn);
  void genFunc(FuncDecl &fn);

  void stmt(Stmt *s);
  void block(BlockStmt *b);
  void startDeadBlock();
  Value *addr(Expr *lvalue);
  void storeVar(Object *o, Value *v);
  void assignStmt(AssignStmt *s);
  void goStmt(GoStmt *s);
  Function *goWrapper(Function *callee, llvm::StructType *argsTy);

  Value *expr(Expr *e);
  Value *constant(Expr *e);
  Value *stringConst(const std::string &s);
  Value *binary(BinaryExpr *e);
  Value *arith(Tok op, Value *l, Value *r, const toy::Type *t);
  Value *divide(Tok op, Value *l, Value *r, const toy::Type *t, bool knownSafe);
  Value *shift(Tok op, Value *l, Value *r, const toy::Type *lt, const toy::Type *rt, Expr *re);
  Value *compare(Tok op, Value *l, Value *r, const toy::Type *t);
  Value *logical(BinaryExpr *e);
  Value *call(CallExpr *e);
  Value *builtin(CallExpr *e, int id);
  Value *convert(Value *v, const toy::Type *from, const toy::Type *to);
  void panicIf(Value *cond, Function *panicFn);

  TypeContext &types_;
  LLVMContext &ctx_;
  std::unique_ptr<Module> mod_;
  IRBuilder<> b_;
  Function *fn_ = nullptr;
  IRBuilder<> *allocaB_ = nullptr;
  std::map<const Stmt *, std::pair<BasicBlock *, BasicBlock *>> loops_; // break, continue
  std::map<std::string, Value *> strings_;
};

llvm::StructType *IRGen::stringTy() {
  // A Go string header: pointer to the bytes and their count.
  return StructType::get(ctx_, {PointerType::getUnqual(ctx_), b_.getInt64Ty()});
}

llvm::Type *IRGen::lower(const toy::Type *t) {
  switch (t->kind) {
  case toy::Type::Int:
  case toy::Type::Int64:
  case toy::Type::UntypedInt:
    return b_.getInt64Ty();
  case toy::Type::Uint8:
    return b_.getInt8Ty();
  case toy::Type::Bool:
  case toy::Type::UntypedBool:
    return b_.getInt1Ty();
  case toy::Type::String:
  case toy::Type::UntypedString:
    return stringTy();
  default:
    return b_.getVoidTy();
  }
}

static void setCommonAttrs(Function *f) {
  // Frame pointers let the runtime and debuggers walk goroutine stacks.
  f->addFnAttr("frame-pointer", "all");
  f->addFnAttr(Attribute::NoUnwind);
}

Function *IRGen::runtimeFn(const std::string &name, llvm::Type *ret, ArrayRef<llvm::Type *> params,
                           bool noreturn) {
  if (Function *f = mod_->getFunction(name))
    return f;
  auto *fty = FunctionType::get(ret, params, false);
  Function *f = Function::Create(fty, Function::ExternalLinkage, name, mod_.get());
  f->addFnAttr(Attribute::NoUnwind);
  if (noreturn) {
    f->addFnAttr(Attribute::NoReturn);
    f->addFnAttr(Attribute::Cold);
  }
  for (unsigned i = 0; i < params.size(); ++i)
    if (params[i]->isIntegerTy(1) || params[i]->isIntegerTy(8))
      f->addParamAttr(i, Attribute::ZExt);
  return f;
}

Function *IRGen::declare(Object *fn) {
  if (Function *f = mod_->getFunction(fn->symbol))
    return f;
  std::vector<llvm::Type *> ps;
  for (auto *p : fn->type->params)
    ps.push_back(lower(p));
  llvm::Type *ret = fn->type->results.empty() ? b_.getVoidTy() : lower(fn->type->results[0]);
  if (!fn->func) // a runtime package function
    return runtimeFn(fn->symbol, ret, ps);
  Function *f = Function::Create(FunctionType::get(ret, ps, false), Function::ExternalLinkage,
                                 fn->symbol, mod_.get());
  setCommonAttrs(f);
  return f;
}

std::unique_ptr<Module> IRGen::run(File &file) {
  for (auto &g : file.globals) {
    auto *v = static_cast<VarDeclStmt *>(g.get());
    for (size_t i = 0; i < v->names.size(); ++i) {
      Object *o = v->names[i].obj;
      if (!o || v->names[i].name == "_")
        continue;
      llvm::Type *ty = lower(o->type);
      Constant *init = Constant::getNullValue(ty);
      if (i < v->values.size()) {
        Expr *e = v->values[i].get();
        init = cast<Constant>(e->isConst ? constant(e) : expr(e));
      }
      o->irValue = new GlobalVariable(*mod_, ty, false, GlobalValue::InternalLinkage, init,
                                      o->symbol);
    }
  }
  for (auto &fn : file.funcs)
    if (fn->name.obj)
      declare(fn->name.obj);
  for (auto &fn : file.funcs)
    if (fn->name.obj)
      genFunc(*fn);
  return std::move(mod_);
}

void IRGen::genFunc(FuncDecl &fd) {
  fn_ = mod_->getFunction(fd.name.obj->symbol);
  BasicBlock *entry = BasicBlock::Create(ctx_, "entry", fn_);
  IRBuilder<> allocaB(entry);
  allocaB_ = &allocaB;
  b_.SetInsertPoint(entry);
  unsigned i = 0;
  for (auto &p : fd.params) {
    Argument *arg = fn_->getArg(i++);
    if (!p.name.obj)
      continue;
    arg->setName(p.name.name);
    storeVar(p.name.obj, arg);
  }
  block(fd.body.get());
  if (!b_.GetInsertBlock()->getTerminator()) {
    if (fd.results.empty())
      b_.CreateRetVoid();
    else
      b_.CreateUnreachable(); // Sema proved the body terminates
  }
  allocaB_ = nullptr;
}

void IRGen::storeVar(Object *o, Value *v) {
  if (!o->irValue) {
    // Allocas go first in the entry block so mem2reg can promote them.
    BasicBlock &entry = fn_->getEntryBlock();
    allocaB_->SetInsertPoint(&entry, entry.getFirstInsertionPt());
    o->irValue = allocaB_->CreateAlloca(lower(o->type), nullptr, o->name);
  }
  b_.CreateStore(v, static_cast<Value *>(o->irValue));
}

void IRGen::startDeadBlock() { b_.SetInsertPoint(BasicBlock::Create(ctx_, "dead", fn_)); }

void IRGen::block(BlockStmt *b) {
  for (auto &s : b->stmts)
    stmt(s.get());
}

void IRGen::stmt(Stmt *s) {
  if (!s)
    return;
  switch (s->kind) {
  case Stmt::Block:
    block(static_cast<BlockStmt *>(s));
    break;
  case Stmt::Empty:
    break;
  case Stmt::ExprS:
    expr(static_cast<ExprStmt *>(s)->expr.get());
    break;
  case Stmt::VarDecl: {
    auto *v = static_cast<VarDeclStmt *>(s);
    std::vector<Value *> vals;
    for (auto &e : v->values)
      vals.push_back(expr(e.get()));
    for (size_t i = 0; i < v->names.size(); ++i) {
      Object *o = v->names[i].obj;
      if (!o || v->names[i].name == "_")
        continue;
      storeVar(o, vals.empty() ? Constant::getNullValue(lower(o->type)) : vals[i]);
    }
    break;
  }
  case Stmt::Define: {
    auto *d = static_cast<DefineStmt *>(s);
    std::vector<Value *> vals;
    for (auto &e : d->values)
      vals.push_back(expr(e.get()));
    for (size_t i = 0; i < d->names.size(); ++i)
      if (d->names[i].obj)
        storeVar(d->names[i].obj, vals[i]);
    break;
  }
  case Stmt::Assign:
    assignStmt(static_cast<AssignStmt *>(s));
    break;
  case Stmt::IncDec: {
    auto *i = static_cast<IncDecStmt *>(s);
    Value *p = addr(i->target.get());
    llvm::Type *ty = lower(i->target->type);
    Value *old = b_.CreateLoad(ty, p);
    b_.CreateStore(i->inc ? b_.CreateAdd(old, ConstantInt::get(ty, 1))
                          : b_.CreateSub(old, ConstantInt::get(ty, 1)),
                   p);
    break;
  }
  case Stmt::If: {
    auto *i = static_cast<IfStmt *>(s);
    stmt(i->init.get());
    Value *c = expr(i->cond.get());
    BasicBlock *thenB = BasicBlock::Create(ctx_, "if.then", fn_);
    BasicBlock *elseB = i->els ? BasicBlock::Create(ctx_, "if.else", fn_) : nullptr;
    BasicBlock *endB = BasicBlock::Create(ctx_, "if.end", fn_);
    b_.CreateCondBr(c, thenB, elseB ? elseB : endB);
    b_.SetInsertPoint(thenB);
    block(i->then.get());
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(endB);
    if (elseB) {
      b_.SetInsertPoint(elseB);
      stmt(i->els.get());
      if (!b_.GetInsertBlock()->getTerminator())
        b_.CreateBr(endB);
    }
    b_.SetInsertPoint(endB);
    break;
  }
  case Stmt::For: {
    auto *f = static_cast<ForStmt *>(s);
    stmt(f->init.get());
    BasicBlock *condB = BasicBlock::Create(ctx_, "for.cond", fn_);
    BasicBlock *bodyB = BasicBlock::Create(ctx_, "for.body", fn_);
    BasicBlock *postB = BasicBlock::Create(ctx_, "for.post", fn_);
    BasicBlock *endB = BasicBlock::Create(ctx_, "for.end", fn_);
    b_.CreateBr(condB);
    b_.SetInsertPoint(condB);
    if (f->cond)
      b_.CreateCondBr(expr(f->cond.get()), bodyB, endB);
    else
      b_.CreateBr(bodyB);
    loops_[f] = {endB, postB};
    b_.SetInsertPoint(bodyB);
    block(f->body.get());
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(postB);
    b_.SetInsertPoint(postB);
    stmt(f->post.get());
    b_.CreateBr(condB);
    b_.SetInsertPoint(endB);
    break;
  }
  case Stmt::Break:
  case Stmt::Continue: {
    auto *br = static_cast<BranchStmt *>(s);
    auto &targets = loops_.at(br->target);
    b_.CreateBr(s->kind == Stmt::Break ? targets.first : targets.second);
    startDeadBlock();
    break;
  }
  case Stmt::Go:
    goStmt(static_cast<GoStmt *>(s));
    break;
  case Stmt::Return: {
    auto *r = static_cast<ReturnStmt *>(s);
    if (r->results.empty())
      b_.CreateRetVoid();
    else
      b_.CreateRet(expr(r->results[0].get()));
    startDeadBlock();
    break;
  }
  }
}

static Expr *unparen(Expr *e) {
  while (e->kind == Expr::Paren)
    e = static_cast<ParenExpr *>(e)->inner.get();
  return e;
}

Value *IRGen::addr(Expr *lvalue) {
  Expr *u = unparen(lvalue);
  auto *id = static_cast<IdentExpr *>(u);
  Object *o = id->obj;
  if (!o->irValue)
    storeVar(o, Constant::getNullValue(lower(o->type)));
  return static_cast<Value *>(o->irValue);
}

void IRGen::assignStmt(AssignStmt *s) {
  if (s->op == Tok::Assign) {
    // Go evaluates all right-hand sides before assigning (a, b = b, a).
    std::vector<Value *> vals;
    for (auto &r : s->rhs)
      vals.push_back(expr(r.get()));
    for (size_t i = 0; i < s->lhs.size(); ++i) {
      Expr *u = unparen(s->lhs[i].get());
      if (u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->name == "_")
        continue;
      b_.CreateStore(vals[i], addr(s->lhs[i].get()));
    }
    return;
  }
  Tok op = Tok(int(s->op) - int(Tok::AddAssign) + int(Tok::Add));
  Expr *l = s->lhs[0].get(), *r = s->rhs[0].get();
  Value *p = addr(l);
  Value *lv = b_.CreateLoad(lower(l->type), p);
  Value *rv = expr(r);
  Value *res;
  if (op == Tok::Shl || op == Tok::Shr)
    res = shift(op, lv, rv, l->type, r->type, r);
  else
    res = arith(op, lv, rv, l->type);
  b_.CreateStore(res, p);
}

// `go f(a, b)` copies the arguments into a heap block and asks the runtime for a goroutine
// that runs f's wrapper on it: newproc(main.f.gowrap, block). The wrapper unpacks the block
// and calls f; its return address on the new stack is the runtime's goexit.
void IRGen::goStmt(GoStmt *s) {
  auto *c = static_cast<CallExpr *>(unparen(s->call.get()));
  Expr *callee = unparen(c->callee.get());
  Object *o = callee->kind == Expr::Ident ? static_cast<IdentExpr *>(callee)->obj
                                          : static_cast<SelectorExpr *>(callee)->obj;
  Function *f = declare(o);
  std::vector<Value *> vals;
  std::vector<llvm::Type *> tys;
  for (auto &a : c->args) {
    vals.push_back(expr(a.get()));
    tys.push_back(vals.back()->getType());
  }
  auto *argsTy = StructType::get(ctx_, tys);
  auto ptrTy = PointerType::getUnqual(ctx_);
  Value *block = ConstantPointerNull::get(ptrTy);
  if (!vals.empty()) {
    Function *malloc = runtimeFn("runtime.mallocgc", ptrTy, {b_.getInt64Ty()});
    block = b_.CreateCall(malloc, {ConstantExpr::getSizeOf(argsTy)}, "goargs");
    for (unsigned i = 0; i < vals.size(); ++i)
      b_.CreateStore(vals[i], b_.CreateStructGEP(argsTy, block, i));
  }
  Function *newproc = runtimeFn("runtime.newproc", b_.getVoidTy(), {ptrTy, ptrTy});
  b_.CreateCall(newproc, {goWrapper(f, argsTy), block});
}

Function *IRGen::goWrapper(Function *callee, llvm::StructType *argsTy) {
  std::string name = callee->getName().str() + ".gowrap";
  if (Function *w = mod_->getFunction(name))
    return w;
  auto ptrTy = PointerType::getUnqual(ctx_);
  Function *w = Function::Create(FunctionType::get(b_.getVoidTy(), {ptrTy}, false),
                                 Function::InternalLinkage, name, mod_.get());
  setCommonAttrs(w);
  IRBuilder<> wb(BasicBlock::Create(ctx_, "entry", w));
  std::vector<Value *> args;
  for (unsigned i = 0; i < argsTy->getNumElements(); ++i)
    args.push_back(wb.CreateLoad(argsTy->getElementType(i),
                                 wb.CreateStructGEP(argsTy, w->getArg(0), i)));
  wb.CreateCall(callee, args);
  wb.CreateRetVoid();
  return w;
}

Value *IRGen::stringConst(const std::string &s) {
  auto it = strings_.find(s);
  if (it != strings_.end())
    return it->second;
  Constant *data = ConstantDataArray::getString(ctx_, s, /*AddNull=*/false);
  auto *gv =
      new GlobalVariable(*mod_, data->getType(), true, GlobalValue::PrivateLinkage, data, "str");
  gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(Align(1));
  Constant *v = ConstantStruct::get(stringTy(), {gv, b_.getInt64(s.size())});
  strings_[s] = v;
  return v;
}

Value *IRGen::constant(Expr *e) {
  return ConstantInt::get(lower(e->type), (uint64_t)(int64_t)e->constVal, true);
}

Value *IRGen::expr(Expr *e) {
  if (e->isConst && (e->type->isInteger() || e->type->isBoolean()))
    return constant(e);
  switch (e->kind) {
  case Expr::IntLit:
    return constant(e);
  case Expr::StringLit:
    return stringConst(static_cast<StringLitExpr *>(e)->value);
  case Expr::Ident: {
    Object *o = static_cast<IdentExpr *>(e)->obj;
    if (o->kind == Object::Const)
      return ConstantInt::get(lower(e->type), o->constValue);
    return b_.CreateLoad(lower(o->type), addr(e), o->name);
  }
  case Expr::Paren:
    return expr(static_cast<ParenExpr *>(e)->inner.get());
  case Expr::Unary: {
    auto *u = static_cast<UnaryExpr *>(e);
    Value *v = expr(u->operand.get());
    switch (u->op) {
    case Tok::Sub:
      return b_.CreateNeg(v);
    case Tok::Xor:
    case Tok::Not:
      return b_.CreateNot(v);
    default:
      return v;
    }
  }
  case Expr::Binary:
    return binary(static_cast<BinaryExpr *>(e));
  case Expr::Call:
    return call(static_cast<CallExpr *>(e));
  case Expr::Selector:
    break;
  }
  return UndefValue::get(lower(e->type));
}

Value *IRGen::binary(BinaryExpr *e) {
  switch (e->op) {
  case Tok::LAnd:
  case Tok::LOr:
    return logical(e);
  case Tok::Shl:
  case Tok::Shr: {
    Value *l = expr(e->lhs.get());
    Value *r = expr(e->rhs.get());
    return shift(e->op, l, r, e->lhs->type, e->rhs->type, e->rhs.get());
  }
  case Tok::Eql:
  case Tok::Neq:
  case Tok::Lss:
  case Tok::Leq:
  case Tok::Gtr:
  case Tok::Geq: {
    Value *l = expr(e->lhs.get());
    Value *r = expr(e->rhs.get());
    return compare(e->op, l, r, e->lhs->type);
  }
  default: {
    Value *l = expr(e->lhs.get());
    Value *r = expr(e->rhs.get());
    if ((e->op == Tok::Quo || e->op == Tok::Rem) && e->rhs->isConst)
      return divide(e->op, l, r, e->type, e->rhs->constVal != 0 && e->rhs->constVal != -1);
    return arith(e->op, l, r, e->type);
  }
  }
}

Value *IRGen::arith(Tok op, Value *l, Value *r, const toy::Type *t) {
  if (t->isString()) {
    Function *f = runtimeFn("runtime.concatstring2", stringTy(),
                            {PointerType::getUnqual(ctx_), b_.getInt64Ty(),
                             PointerType::getUnqual(ctx_), b_.getInt64Ty()});
    return b_.CreateCall(f, {b_.CreateExtractValue(l, 0), b_.CreateExtractValue(l, 1),
                             b_.CreateExtractValue(r, 0), b_.CreateExtractValue(r, 1)});
  }
  // Go's integer arithmetic wraps: no nsw/nuw flags.
  switch (op) {
  case Tok::Add:
    return b_.CreateAdd(l, r);
  case Tok::Sub:
    return b_.CreateSub(l, r);
  case Tok::Mul:
    return b_.CreateMul(l, r);
  case Tok::And:
    return b_.CreateAnd(l, r);
  case Tok::Or:
    return b_.CreateOr(l, r);
  case Tok::Xor:
    return b_.CreateXor(l, r);
  case Tok::AndNot:
    return b_.CreateAnd(l, b_.CreateNot(r));
  case Tok::Quo:
  case Tok::Rem:
    return divide(op, l, r, t, false);
  default:
    return l;
  }
}

void IRGen::panicIf(Value *cond, Function *panicFn) {
  BasicBlock *panicB = BasicBlock::Create(ctx_, "panic", fn_);
  BasicBlock *okB = BasicBlock::Create(ctx_, "ok", fn_);
  MDBuilder md(ctx_);
  b_.CreateCondBr(cond, panicB, okB, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(panicB);
  b_.CreateCall(panicFn);
  b_.CreateUnreachable();
  b_.SetInsertPoint(okB);
}

Value *IRGen::divide(Tok op, Value *l, Value *r, const toy::Type *t, bool knownSafe) {
  bool isQuo = op == Tok::Quo;
  if (!t->isSigned()) {
    if (!knownSafe)
      panicIf(b_.CreateICmpEQ(r, ConstantInt::get(r->getType(), 0)),
              runtimeFn("runtime.panicdivide", b_.getVoidTy(), {}, true));
    return isQuo ? b_.CreateUDiv(l, r) : b_.CreateURem(l, r);
  }
  if (knownSafe)
    return isQuo ? b_.CreateSDiv(l, r) : b_.CreateSRem(l, r);
  panicIf(b_.CreateICmpEQ(r, ConstantInt::get(r->getType(), 0)),
          runtimeFn("runtime.panicdivide", b_.getVoidTy(), {}, true));
  // x / -1 is -x in Go even for the most negative x, where the hardware would trap.
  Value *minusOne = b_.CreateICmpEQ(r, ConstantInt::getSigned(r->getType(), -1));
  Value *safeR = b_.CreateSelect(minusOne, ConstantInt::get(r->getType(), 1), r);
  Value *q = isQuo ? b_.CreateSDiv(l, safeR) : b_.CreateSRem(l, safeR);
  Value *special = isQuo ? b_.CreateNeg(l) : ConstantInt::get(r->getType(), 0);
  return b_.CreateSelect(minusOne, special, q);
}

Value *IRGen::shift(Tok op, Value *l, Value *r, const toy::Type *lt, const toy::Type *rt,
                    Expr *re) {
  unsigned width = l->getType()->getIntegerBitWidth();
  // A negative shift count panics in Go; a constant one was rejected by Sema.
  if (rt->isSigned() && !re->isConst)
    panicIf(b_.CreateICmpSLT(r, ConstantInt::get(r->getType(), 0)),
            runtimeFn("runtime.panicshift", b_.getVoidTy(), {}, true));
  // Compare the count in 64 bits, then shift in the operand's width.
  Value *r64 = b_.CreateZExtOrTrunc(r, b_.getInt64Ty());
  Value *big = b_.CreateICmpUGE(r64, b_.getInt64(width));
  Value *n = b_.CreateZExtOrTrunc(b_.CreateSelect(big, b_.getInt64(width - 1), r64), l->getType());
  if (op == Tok::Shl)
    return b_.CreateSelect(big, ConstantInt::get(l->getType(), 0), b_.CreateShl(l, n));
  if (lt->isSigned())
    return b_.CreateAShr(l, n); // counts past the width fill with the sign bit
  return b_.CreateSelect(big, ConstantInt::get(l->getType(), 0), b_.CreateLShr(l, n));
}

Value *IRGen::compare(Tok op, Value *l, Value *r, const toy::Type *t) {
  if (t->isString()) {
    Function *f = runtimeFn("runtime.cmpstring", b_.getInt64Ty(),
                            {PointerType::getUnqual(ctx_), b_.getInt64Ty(),
                             PointerType::getUnqual(ctx_), b_.getInt64Ty()});
    l = b_.CreateCall(f, {b_.CreateExtractValue(l, 0), b_.CreateExtractValue(l, 1),
                          b_.CreateExtractValue(r, 0), b_.CreateExtractValue(r, 1)});
    r = b_.getInt64(0);
    t = types_.intT();
  }
  bool s = t->isSigned() && t->isInteger();
  switch (op) {
  case Tok::Eql:
    return b_.CreateICmpEQ(l, r);
  case Tok::Neq:
    return b_.CreateICmpNE(l, r);
  case Tok::Lss:
    return s ? b_.CreateICmpSLT(l, r) : b_.CreateICmpULT(l, r);
  case Tok::Leq:
    return s ? b_.CreateICmpSLE(l, r) : b_.CreateICmpULE(l, r);
  case Tok::Gtr:
    return s ? b_.CreateICmpSGT(l, r) : b_.CreateICmpUGT(l, r);
  default:
    return s ? b_.CreateICmpSGE(l, r) : b_.CreateICmpUGE(l, r);
  }
}

Value *IRGen::logical(BinaryExpr *e) {
  bool isAnd = e->op == Tok::LAnd;
  Value *l = expr(e->lhs.get());
  BasicBlock *lhsEnd = b_.GetInsertBlock();
  BasicBlock *rhsB = BasicBlock::Create(ctx_, isAnd ? "and.rhs" : "or.rhs", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, isAnd ? "and.end" : "or.end", fn_);
  if (isAnd)
    b_.CreateCondBr(l, rhsB, endB);
  else
    b_.CreateCondBr(l, endB, rhsB);
  b_.SetInsertPoint(rhsB);
  Value *r = expr(e->rhs.get());
  BasicBlock *rhsEnd = b_.GetInsertBlock();
  b_.CreateBr(endB);
  b_.SetInsertPoint(endB);
  PHINode *phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(!isAnd), lhsEnd);
  phi->addIncoming(r, rhsEnd);
  return phi;
}

Value *IRGen::convert(Value *v, const toy::Type *from, const toy::Type *to) {
  llvm::Type *ty = lower(to);
  if (v->getType() == ty)
    return v;
  if (from->isInteger() && to->isInteger())
    return from->isSigned() ? b_.CreateSExtOrTrunc(v, ty) : b_.CreateZExtOrTrunc(v, ty);
  return v;
}

Value *IRGen::call(CallExpr *e) {
  Expr *callee = unparen(e->callee.get());
  Object *o = nullptr;
  if (callee->kind == Expr::Ident)
    o = static_cast<IdentExpr *>(callee)->obj;
  else if (callee->kind == Expr::Selector)
    o = static_cast<SelectorExpr *>(callee)->obj;
  if (o->kind == Object::Builtin)
    return builtin(e, o->builtin);
  if (o->kind == Object::TypeName)
    return convert(expr(e->args[0].get()), e->args[0]->type, o->type);
  Function *f = declare(o);
  std::vector<Value *> args;
  for (auto &a : e->args)
    args.push_back(expr(a.get()));
  return b_.CreateCall(f, args);
}

Value *IRGen::builtin(CallExpr *e, int id) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  auto voidTy = b_.getVoidTy();
  switch (id) {
  case BPrint:
  case BPrintln: {
    std::vector<Value *> vals;
    for (auto &a : e->args)
      vals.push_back(expr(a.get()));
    // Go's print statement holds the print lock so its output is not interleaved.
    b_.CreateCall(runtimeFn("runtime.printlock", voidTy, {}));
    for (size_t i = 0; i < vals.size(); ++i) {
      if (id == BPrintln && i > 0)
        b_.CreateCall(runtimeFn("runtime.printsp", voidTy, {}));
      const toy::Type *t = e->args[i]->type;
      Value *v = vals[i];
      if (t->isString())
        b_.CreateCall(runtimeFn("runtime.printstring", voidTy, {ptrTy, i64}),
                      {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
      else if (t->isBoolean())
        b_.CreateCall(runtimeFn("runtime.printbool", voidTy, {b_.getInt1Ty()}), {v});
      else if (!t->isSigned())
        b_.CreateCall(runtimeFn("runtime.printuint", voidTy, {i64}), {b_.CreateZExt(v, i64)});
      else
        b_.CreateCall(runtimeFn("runtime.printint", voidTy, {i64}), {v});
    }
    if (id == BPrintln)
      b_.CreateCall(runtimeFn("runtime.printnl", voidTy, {}));
    b_.CreateCall(runtimeFn("runtime.printunlock", voidTy, {}));
    return nullptr;
  }
  case BLen:
    return b_.CreateExtractValue(expr(e->args[0].get()), 1);
  case BPanic: {
    Value *v = expr(e->args[0].get());
    const toy::Type *t = e->args[0]->type;
    // Differs from Go: no interfaces yet, so the panic value's type picks the entry point.
    if (t->isString())
      b_.CreateCall(runtimeFn("runtime.gopanicstring", voidTy, {ptrTy, i64}, true),
                    {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
    else if (t->isBoolean())
      b_.CreateCall(runtimeFn("runtime.gopanicbool", voidTy, {b_.getInt1Ty()}, true), {v});
    else
      b_.CreateCall(runtimeFn("runtime.gopanicint", voidTy, {i64}, true),
                    {convert(v, t, types_.intT())});
    b_.CreateUnreachable();
    startDeadBlock();
    return nullptr;
  }
  }
  return nullptr;
}

} // namespace

std::unique_ptr<Module> generateIR(File &file, TypeContext &types, LLVMContext &ctx,
                                   const std::string &moduleName) {
  IRGen gen(types, ctx, moduleName);
  return gen.run(file);
}

} // namespace toy
