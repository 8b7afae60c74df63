//===- IRGenMethod.cpp - method calls, method values and expressions ------===//
//
// A method is a function whose first parameter is its receiver (main.T.M, main.(*T).M). Sema
// made the selector's base the receiver argument, so x.M(args) is a direct call
// M(base, args). A method value x.M is a closure whose environment is a heap copy of the
// receiver, evaluated where the value is made, and whose code is gc's M-fm wrapper. A method
// expression T.M is M itself as a func value; (*T).M of a value method is gc's generated
// pointer wrapper, which dereferences its receiver.
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"

namespace toy {

Value *IRGen::methodCall(CallExpr *e, SelectorExpr *s) {
  Function *f = declare(s->method);
  std::vector<Value *> args = {expr(s->base.get())};
  for (auto &a : e->args)
    args.push_back(expr(a.get()));
  return b_.CreateCall(f, args);
}

// x.M as a value: the receiver is copied now, as Go evaluates it where the value is made.
Value *IRGen::methodValue(SelectorExpr *s) {
  Function *f = declare(s->method);
  llvm::Type *recvTy = lower(s->base->type);
  Value *recv = expr(s->base.get());
  Value *env = mallocgc(ConstantExpr::getSizeOf(recvTy), "recv");
  b_.CreateStore(recv, env);
  Function *w = forwarder(s->method->symbol + "-fm", closureFnTy(s->type), f,
                              [&](IRBuilder<> &wb, Value *envArg) -> Value * {
                                return wb.CreateLoad(recvTy, envArg, "recv");
                              });
  Value *closure = UndefValue::get(closureTy());
  closure = b_.CreateInsertValue(closure, w, 0);
  return b_.CreateInsertValue(closure, env, 1);
}

// T.M or (*T).M as a func value taking the receiver first.
Value *IRGen::methodExprValue(SelectorExpr *s) {
  Object *m = s->method;
  const toy::Type *recvT = s->type->params[0];
  if (!m) // a method of an interface type I, or of an embedded interface field
    return funcValue(promotedWrapper(recvT, s->path, nullptr, s->sel), s->type);
  if (!s->path.empty())
    return funcValue(promotedWrapper(recvT, s->path, m), s->type);
  if (recvT == m->type->params[0])
    return funcValue(m);
  // (*T).M for a value method M: gc's pointer wrapper main.(*T).M, which dereferences the
  // receiver; a nil one is Go's panicwrap error.
  return funcValue(ptrWrapper(m), s->type);
}

// promotedWrapper is gc's wrapper for a method promoted through embedded fields: R.M for a
// receiver type R (T or *T) calls recv.E1…En.M, walking the embedded fields on path, with
// the nil check of each pointer it dereferences. Named as gc names it (main.T.M,
// main.(*T).M). With m null, En is an embedded interface field and M its method iname,
// called through En's itab (a nil En is Go's nil dereference); with path empty too, R is an
// interface type and this is I.M (main.I.M), calling M through the receiver's own itab.
Function *IRGen::promotedWrapper(const toy::Type *recvT, const std::vector<int> &path, Object *m,
                                 const std::string &iname) {
  bool ptr = !recvT->isDefined() && recvT->isPointer();
  const toy::Type *named = ptr ? recvT->elem : recvT;
  std::string tn = named->isDefined() ? named->name : named->str();
  const std::string &name = m ? m->name : iname;
  std::string sym = (named->isDefined() ? named->pkgPath : std::string("main")) + "." +
                    (ptr ? "(*" + tn + ")" : tn) + "." + name;
  if (Function *w = mod_->getFunction(sym))
    return w;
  const toy::Type *iface = nullptr; // the embedded interface field's type
  if (!m) {
    iface = named;
    for (int i : path) {
      const toy::Type *ft = iface->fields[i].type;
      iface = ft->isPointer() && !ft->isDefined() ? ft->elem : ft;
    }
  }
  // The method's function type, its receiver first; an interface method's signature has none.
  const toy::Type *sig = m ? m->type : iface->imethod(iname);
  size_t first = m ? 1 : 0;
  std::vector<llvm::Type *> ps = {lower(recvT)};
  for (size_t i = first; i < sig->params.size(); ++i)
    ps.push_back(lower(sig->params[i]));
  Function *w = generatedFn(FunctionType::get(resultTy(sig), ps, false), sym);
  markWrapper(w);
  Function *outerFn = fn_;
  auto outerIP = b_.saveIP();
  DebugLoc outerLoc = b_.getCurrentDebugLocation();
  DISubprogram *outerSP = sp_;
  fn_ = w;
  b_.SetInsertPoint(BasicBlock::Create(ctx_, "entry", w));
  attachSubprogram(w, {}, /*artificial=*/true, b_);
  sp_ = w->getSubprogram();
  // Returns what the forwarded call r returned and goes back to the function being generated.
  auto finish = [&](Value *r) {
    if (w->getReturnType()->isVoidTy())
      b_.CreateRetVoid();
    else
      b_.CreateRet(r);
    fn_ = outerFn;
    sp_ = outerSP;
    b_.restoreIP(outerIP);
    b_.SetCurrentDebugLocation(outerLoc);
    return w;
  };

  // cur points at a value of struct type st; viaPtr when it came from a pointer that may be nil.
  Value *cur = w->getArg(0);
  bool viaPtr = ptr;
  if (!ptr) {
    AllocaInst *tmp = b_.CreateAlloca(lower(recvT), nullptr, "recv"); // in the entry block
    b_.CreateStore(cur, tmp);
    cur = tmp;
  }
  const toy::Type *st = named;
  for (int i : path) {
    if (viaPtr)
      nilCheck(cur);
    cur = b_.CreateStructGEP(lower(st), cur, unsigned(i));
    const toy::Type *ft = st->fields[i].type;
    viaPtr = ft->isPointer() && !ft->isDefined();
    if (viaPtr)
      cur = b_.CreateLoad(PointerType::getUnqual(ctx_), cur, "embedded");
    st = viaPtr ? ft->elem : ft;
  }
  if (!m) {
    // cur points at the interface field: call fun[i] of its itab with its data word.
    auto *ptrTy = PointerType::getUnqual(ctx_);
    Value *iv = b_.CreateLoad(ifaceTy(), cur, "embedded");
    std::vector<Value *> args = {b_.CreateExtractValue(iv, 1)};
    for (unsigned i = 1; i < w->arg_size(); ++i)
      args.push_back(w->getArg(i));
    unsigned index = 0;
    while (iface->fields[index].name != iname)
      ++index;
    Value *tab = nilCheck(b_.CreateExtractValue(iv, 0));
    Value *code =
        b_.CreateLoad(ptrTy, b_.CreateConstGEP1_64(b_.getInt8Ty(), tab, 24 + 8 * index), "fun");
    std::vector<llvm::Type *> cps = {ptrTy};
    for (auto *p : sig->params)
      cps.push_back(lower(p));
    return finish(b_.CreateCall(FunctionType::get(resultTy(sig), cps, false), code, args));
  }
  bool ptrRecv = sig->params[0]->isPointer() && !sig->params[0]->isDefined();
  std::vector<Value *> args;
  if (ptrRecv) {
    args.push_back(cur);
  } else {
    if (viaPtr)
      nilCheck(cur);
    args.push_back(b_.CreateLoad(lower(st), cur, "recv"));
  }
  for (unsigned i = 1; i < w->arg_size(); ++i)
    args.push_back(w->getArg(i));
  return finish(b_.CreateCall(declare(m), args));
}

} // namespace toy
