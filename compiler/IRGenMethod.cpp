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

// Builds `ret name(env, params...)` calling target with the receiver `recv(builder, env)`
// followed by the parameters, as gc's method wrappers do.
Function *IRGen::methodWrapper(const std::string &name, FunctionType *ty, Function *target,
                               const std::function<Value *(IRBuilder<> &, Value *)> &recv) {
  if (Function *w = mod_->getFunction(name))
    return w;
  Function *w = generatedFn(ty, name);
  IRBuilder<> wb(BasicBlock::Create(ctx_, "entry", w));
  attachSubprogram(w, {}, /*artificial=*/true, wb);
  std::vector<Value *> args = {recv(wb, w->getArg(0))};
  for (unsigned i = 1; i < w->arg_size(); ++i)
    args.push_back(w->getArg(i));
  Value *r = wb.CreateCall(target, args);
  if (w->getReturnType()->isVoidTy())
    wb.CreateRetVoid();
  else
    wb.CreateRet(r);
  return w;
}

// x.M as a value: the receiver is copied now, as Go evaluates it where the value is made.
Value *IRGen::methodValue(SelectorExpr *s) {
  Function *f = declare(s->method);
  llvm::Type *recvTy = lower(s->base->type);
  Value *recv = expr(s->base.get());
  Value *env = mallocgc(ConstantExpr::getSizeOf(recvTy), "recv");
  b_.CreateStore(recv, env);
  Function *w = methodWrapper(s->method->symbol + "-fm", closureFnTy(s->type), f,
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
  if (recvT == m->type->params[0])
    return funcValue(m);
  // (*T).M for a value method M: gc's pointer wrapper main.(*T).M, which dereferences the
  // receiver; a nil one is Go's panicwrap error.
  Function *f = declare(m);
  const std::string &sym = m->symbol;
  size_t dot = sym.rfind('.'), tdot = sym.rfind('.', dot - 1);
  std::string pkg = sym.substr(0, tdot), typ = sym.substr(tdot + 1, dot - tdot - 1),
              meth = sym.substr(dot + 1);
  std::vector<llvm::Type *> ps;
  for (auto *p : s->type->params)
    ps.push_back(lower(p));
  auto *ptrTy = PointerType::getUnqual(ctx_);
  Function *w = methodWrapper(
      pkg + ".(*" + typ + ")." + meth, FunctionType::get(resultTy(s->type), ps, false), f,
      [&](IRBuilder<> &wb, Value *p) -> Value * {
        Function *fn = wb.GetInsertBlock()->getParent();
        BasicBlock *nilB = BasicBlock::Create(ctx_, "nil", fn), *okB = BasicBlock::Create(ctx_, "ok", fn);
        wb.CreateCondBr(wb.CreateIsNull(p), nilB, okB);
        wb.SetInsertPoint(nilB);
        std::string msg = "value method " + pkg + "." + typ + "." + meth + " called using nil *" +
                          typ + " pointer";
        Function *panicFn = runtimeFn("runtime.gopanicstring", b_.getVoidTy(),
                                      {ptrTy, b_.getInt64Ty()}, true);
        Value *str = stringConst(msg);
        wb.CreateCall(panicFn, {wb.CreateExtractValue(str, 0), wb.CreateExtractValue(str, 1)});
        wb.CreateUnreachable();
        wb.SetInsertPoint(okB);
        return wb.CreateLoad(lower(m->type->params[0]), p, "recv");
      });
  return funcValue(w, s->type);
}

} // namespace toy
