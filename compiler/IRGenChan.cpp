//===- IRGenChan.cpp - channels and select --------------------------------===//
//
// A channel value is a pointer to the runtime's hchan. Sends and receives pass the element by
// address: the sender's value and the receiver's result live in stack slots of the
// communicating frames, which the runtime copies between directly when one side waits.
// make, close, len and cap call makechan, closechan, chanlen and chancap.
//
// select is lowered as gc's walk/select.go does: no cases: runtime.block(); one case without
// default: the plain send or receive; one case with default: selectnbsend or selectnbrecv;
// otherwise an array of scases {chan, elem} (sends first, then receives from the end down)
// and a [2*n]uint16 order array on the stack for runtime.selectgo, whose chosen index picks the
// clause. All channel operands and sent values are evaluated once, in source order, before
// any case is chosen; a receive's assignment happens in the chosen clause.
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"
#include "Sema.h"

namespace toy {

// The receive of a select case's communication: <-c in `<-c`, `v := <-c`, `v, ok = <-c`.
static UnaryExpr *recvOf(Stmt *comm) {
  Expr *e = nullptr;
  if (comm->kind == Stmt::ExprS)
    e = static_cast<ExprStmt *>(comm)->expr.get();
  else if (comm->kind == Stmt::Define)
    e = static_cast<DefineStmt *>(comm)->values[0].get();
  else
    e = static_cast<AssignStmt *>(comm)->rhs[0].get();
  if (e->kind == Expr::TupleElem) // v, ok: Sema spread the receive
    e = static_cast<TupleElemExpr *>(e)->call;
  return static_cast<UnaryExpr *>(unparen(e));
}

// <-c: chanrecv1(c, &slot), or for v, ok := <-c chanrecv2, giving {value, ok}.
Value *IRGen::recv(UnaryExpr *e) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Value *c = expr(e->operand.get());
  llvm::Type *elemTy = lower(e->operand->type->elem);
  AllocaInst *slot = entryAlloca(elemTy, "recv");
  if (!e->commaOk) {
    b_.CreateCall(runtimeFn("runtime.chanrecv1", b_.getVoidTy(), {ptrTy, ptrTy}), {c, slot});
    return b_.CreateLoad(elemTy, slot);
  }
  Value *ok =
      b_.CreateCall(runtimeFn("runtime.chanrecv2", b_.getInt1Ty(), {ptrTy, ptrTy}), {c, slot});
  Value *pair = UndefValue::get(StructType::get(ctx_, {elemTy, b_.getInt1Ty()}));
  pair = b_.CreateInsertValue(pair, b_.CreateLoad(elemTy, slot), 0);
  return b_.CreateInsertValue(pair, ok, 1);
}

// c <- v: the channel, then the value, are evaluated; chansend1(c, &slot).
void IRGen::sendStmt(SendStmt *s) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Value *c = expr(s->chan.get());
  Value *v = expr(s->value.get());
  AllocaInst *slot = entryAlloca(v->getType(), "send");
  b_.CreateStore(v, slot);
  b_.CreateCall(runtimeFn("runtime.chansend1", b_.getVoidTy(), {ptrTy, ptrTy}), {c, slot});
}

// make(chan T[, n]), close(c), len(c), cap(c).
Value *IRGen::chanBuiltin(CallExpr *e, int id) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  auto &args = e->args;
  if (id == BMake) {
    Value *size = args.size() == 2 ? toInt64(expr(args[1].get()), args[1]->type) : b_.getInt64(0);
    return b_.CreateCall(runtimeFn("runtime.makechan", ptrTy, {i64, i64}),
                         {elemSize(args[0]->type->elem), size});
  }
  Value *c = expr(args[0].get());
  if (id == BClose) {
    b_.CreateCall(runtimeFn("runtime.closechan", b_.getVoidTy(), {ptrTy}), {c});
    return nullptr;
  }
  return b_.CreateCall(runtimeFn(id == BLen ? "runtime.chanlen" : "runtime.chancap", i64, {ptrTy}),
                       {c});
}

// for v := range c: receives until c is closed and drained (chanrecv2 reports false).
void IRGen::rangeChan(ForStmt *f) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Value *c = expr(f->rangeX.get());
  if (f->rangeDefine)
    for (auto &n : f->rangeNames)
      if (n.obj)
        declareVar(n.obj, Constant::getNullValue(lower(n.obj->type)));
  llvm::Type *elemTy = lower(f->rangeX->type->elem);
  AllocaInst *slot = entryAlloca(elemTy, "range.recv");
  BasicBlock *condB = BasicBlock::Create(ctx_, "range.cond", fn_);
  BasicBlock *bodyB = BasicBlock::Create(ctx_, "range.body", fn_);
  BasicBlock *postB = BasicBlock::Create(ctx_, "range.post", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "range.end", fn_);
  b_.CreateBr(condB);
  b_.SetInsertPoint(condB);
  Value *ok =
      b_.CreateCall(runtimeFn("runtime.chanrecv2", b_.getInt1Ty(), {ptrTy, ptrTy}), {c, slot});
  b_.CreateCondBr(ok, bodyB, endB);
  b_.SetInsertPoint(bodyB);
  assignRangeVars(f, {b_.CreateLoad(elemTy, slot)});
  loops_[f] = {endB, postB};
  block(f->body.get());
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(postB);
  b_.SetInsertPoint(postB);
  loopBackEdge();
  b_.CreateBr(condB);
  b_.SetInsertPoint(endB);
}

// assignRecv gives a chosen receive case's variables the received value and ok.
void IRGen::assignRecv(Stmt *comm, Value *elem, Value *recvOK) {
  Value *vals[2] = {elem, recvOK};
  if (comm->kind == Stmt::Define) {
    defineVars(static_cast<DefineStmt *>(comm), vals);
  } else if (comm->kind == Stmt::Assign) {
    auto *a = static_cast<AssignStmt *>(comm);
    for (size_t i = 0; i < a->lhs.size(); ++i) {
      Expr *u = unparen(a->lhs[i].get());
      if (u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->name == "_")
        continue;
      b_.CreateStore(vals[i], addr(a->lhs[i].get()));
    }
  }
}

// selectCase generates a chosen clause: a receive's assignment (when elem is its value), then
// the body.
void IRGen::selectCase(CommClause &c, Value *elem, Value *recvOK, BasicBlock *endB) {
  if (elem)
    assignRecv(c.comm.get(), elem, recvOK);
  for (auto &st : c.body)
    stmt(st.get());
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(endB);
}

void IRGen::selectStmt(SelectStmt *s) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  std::vector<CommClause *> cases;
  CommClause *dflt = nullptr;
  for (auto &c : s->clauses) {
    if (c.comm)
      cases.push_back(&c);
    else
      dflt = &c;
  }

  if (cases.empty() && !dflt) { // select {}: block forever
    b_.CreateCall(runtimeFn("runtime.block", b_.getVoidTy(), {}, true));
    b_.CreateUnreachable();
    startDeadBlock();
    return;
  }
  BasicBlock *endB = BasicBlock::Create(ctx_, "select.end", fn_);
  loops_[s] = {endB, nullptr};

  if (cases.empty()) { // only a default
    selectCase(*dflt, nullptr, nullptr, endB);
    b_.SetInsertPoint(endB);
    return;
  }

  if (cases.size() == 1 && !dflt) { // the plain operation
    CommClause &c = *cases[0];
    stmt(c.comm.get());
    selectCase(c, nullptr, nullptr, endB);
    b_.SetInsertPoint(endB);
    return;
  }

  // Evaluate every case's channel (and sent value) in source order.
  struct Case {
    Value *chan;
    AllocaInst *slot;  // the sent value, or where a receive puts its value
    llvm::Type *elemTy;
    bool isSend;
  };
  std::vector<Case> evaluated;
  for (CommClause *c : cases) {
    if (c->comm->kind == Stmt::Send) {
      auto *snd = static_cast<SendStmt *>(c->comm.get());
      setLoc(snd->loc);
      Value *ch = expr(snd->chan.get());
      Value *v = expr(snd->value.get());
      AllocaInst *slot = entryAlloca(v->getType(), "select.send");
      b_.CreateStore(v, slot);
      evaluated.push_back({ch, slot, v->getType(), true});
      continue;
    }
    UnaryExpr *r = recvOf(c->comm.get());
    setLoc(r->loc);
    Value *ch = expr(r->operand.get());
    llvm::Type *elemTy = lower(r->operand->type->elem);
    evaluated.push_back({ch, entryAlloca(elemTy, "select.recv"), elemTy, false});
  }
  setLoc(s->loc);

  if (cases.size() == 1) { // one case and default: selectnbsend / selectnbrecv
    // At the case's line, as gc's rewrite to `if selectnbsend(c, v) {...}` places it.
    setLoc(cases[0]->comm->loc);
    Case &k = evaluated[0];
    BasicBlock *caseB = BasicBlock::Create(ctx_, "select.case", fn_);
    BasicBlock *defaultB = BasicBlock::Create(ctx_, "select.default", fn_);
    Value *recvOK = nullptr;
    if (k.isSend) {
      Value *sel = b_.CreateCall(
          runtimeFn("runtime.selectnbsend", b_.getInt1Ty(), {ptrTy, ptrTy}), {k.chan, k.slot});
      b_.CreateCondBr(sel, caseB, defaultB);
    } else {
      // selectnbrecv's two bools come back packed in ax: al selected, ah received.
      Value *r = b_.CreateCall(
          runtimeFn("runtime.selectnbrecv", b_.getInt16Ty(), {ptrTy, ptrTy}), {k.slot, k.chan});
      Value *selected = b_.CreateTrunc(r, b_.getInt1Ty());
      recvOK = b_.CreateTrunc(b_.CreateLShr(r, 8), b_.getInt1Ty());
      b_.CreateCondBr(selected, caseB, defaultB);
    }
    b_.SetInsertPoint(caseB);
    selectCase(*cases[0], k.isSend ? nullptr : b_.CreateLoad(k.elemTy, k.slot), recvOK, endB);
    b_.SetInsertPoint(defaultB);
    selectCase(*dflt, nullptr, nullptr, endB);
    b_.SetInsertPoint(endB);
    return;
  }

  // The general case: runtime.selectgo over scases laid out as gc does, sends from index 0
  // up and receives from the last index down.
  size_t ncas = cases.size(), nsends = 0, nrecvs = 0;
  std::vector<size_t> index(ncas);
  for (size_t i = 0; i < ncas; ++i)
    index[i] = evaluated[i].isSend ? nsends++ : ncas - ++nrecvs;
  auto *scaseTy = StructType::get(ctx_, {ptrTy, ptrTy}); // runtime's scase {c, elem}
  AllocaInst *scases = entryAlloca(ArrayType::get(scaseTy, ncas), "selv");
  AllocaInst *order = entryAlloca(ArrayType::get(b_.getInt16Ty(), 2 * ncas), "selorder");
  for (size_t i = 0; i < ncas; ++i) {
    Value *cas = b_.CreateConstInBoundsGEP2_64(scases->getAllocatedType(), scases, 0, index[i]);
    b_.CreateStore(evaluated[i].chan, b_.CreateStructGEP(scaseTy, cas, 0));
    b_.CreateStore(evaluated[i].slot, b_.CreateStructGEP(scaseTy, cas, 1));
  }
  auto *resTy = StructType::get(ctx_, {i64, b_.getInt8Ty()}); // (chosen int, recvOK bool)
  Value *res = b_.CreateCall(
      runtimeFn("runtime.selectgo", resTy, {ptrTy, ptrTy, i64, i64, b_.getInt1Ty()}),
      {scases, order, b_.getInt64(nsends), b_.getInt64(nrecvs), b_.getInt1(dflt == nullptr)});
  Value *chosen = b_.CreateExtractValue(res, 0);
  Value *recvOK = b_.CreateICmpNE(b_.CreateExtractValue(res, 1), b_.getInt8(0));
  BasicBlock *defaultB = BasicBlock::Create(ctx_, dflt ? "select.default" : "select.none", fn_);
  SwitchInst *sw = b_.CreateSwitch(chosen, defaultB, unsigned(ncas));
  for (size_t i = 0; i < ncas; ++i) {
    BasicBlock *caseB = BasicBlock::Create(ctx_, "select.case", fn_);
    sw->addCase(b_.getInt64(index[i]), caseB);
    b_.SetInsertPoint(caseB);
    Case &k = evaluated[i];
    selectCase(*cases[i], k.isSend ? nullptr : b_.CreateLoad(k.elemTy, k.slot), recvOK, endB);
  }
  b_.SetInsertPoint(defaultB);
  if (dflt)
    selectCase(*dflt, nullptr, nullptr, endB);
  else
    b_.CreateUnreachable(); // a blocking selectgo always chooses a case
  b_.SetInsertPoint(endB);
}

} // namespace toy
