// sinkStackChecks moves each function's entry stack check (IRGen::stackCheck) from the entry
// down to the nearest block that dominates every call the optimised function still makes, so
// that a path which returns without calling (fib's n < 2) runs no check. (LLVM does not
// shrink-wrap a function with the split-stack prologue, which every toy function has: the
// prologue's register saves stay on that path.)
//
// Differs from Go: gc checks at the entry of every function but a leaf whose frame is under
// StackSmall (128 bytes), which it marks nosplit. The check is for the callees' sake (toy
// compares sp after the prologue allocated this frame): a path without calls uses only this
// frame, which the _StackGuard bytes below stackguard0 hold when it is small, as gc's nosplit
// leaves rely on. So only functions whose static allocas are under StackSmall are changed.
// Preemption needs no check on a path without calls: it is short, or a loop, which SIGURG
// preempts (runtime/preempt.cpp).
#include "IRGen.h"
#include "MarkerIntrinsics.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicInst.h>

using namespace llvm;

namespace toy {

// Go's abi.StackSmall: the frame a function may use below the guard without a check.
static constexpr uint64_t StackSmall = 128;

// isMorestack reports whether c is the entry check's call of runtime.morestack_noctxt.
static bool isMorestack(const CallBase *c) {
  const Function *f = c->getCalledFunction();
  return f != nullptr && f->getName() == "runtime.morestack_noctxt";
}

// makesCall reports whether i may become a call in the machine code that needs the check: any
// call but inline asm, the intrinsics that lower to no call, and calls that do not return
// (the runtime's panics, which run on the goroutine's stack unchecked as all runtime code).
static bool makesCall(const Instruction &i) {
  auto *c = dyn_cast<CallBase>(&i);
  if (c == nullptr || c->isInlineAsm() || c->doesNotReturn())
    return false;
  if (auto *ii = dyn_cast<IntrinsicInst>(c)) {
    if (isMarkerIntrinsic(*ii))
      return false;
    switch (ii->getIntrinsicID()) {
    case Intrinsic::read_register:
    // A vectorised loop's reductions and min/max: instructions on x86-64.
    case Intrinsic::vector_reduce_add:
    case Intrinsic::vector_reduce_mul:
    case Intrinsic::vector_reduce_and:
    case Intrinsic::vector_reduce_or:
    case Intrinsic::vector_reduce_xor:
    case Intrinsic::vector_reduce_smax:
    case Intrinsic::vector_reduce_smin:
    case Intrinsic::vector_reduce_umax:
    case Intrinsic::vector_reduce_umin:
    case Intrinsic::vector_reduce_fadd:
    case Intrinsic::vector_reduce_fmul:
    case Intrinsic::vector_reduce_fmax:
    case Intrinsic::vector_reduce_fmin:
    case Intrinsic::smax:
    case Intrinsic::smin:
    case Intrinsic::umax:
    case Intrinsic::umin:
    case Intrinsic::abs:
      return false;
    default:
      return true; // memcpy and others may be library calls
    }
  }
  return true;
}

static void sinkStackCheck(Function &f) {
  BasicBlock &entry = f.getEntryBlock();
  auto *br = dyn_cast<BranchInst>(entry.getTerminator());
  if (br == nullptr || !br->isConditional())
    return;
  BasicBlock *more = br->getSuccessor(0), *ok = br->getSuccessor(1);
  auto *moreCall = dyn_cast<CallBase>(&*more->getFirstNonPHIOrDbg());
  if (moreCall == nullptr || !isMorestack(moreCall) || more->getSinglePredecessor() != &entry ||
      more->getSingleSuccessor() != ok)
    return;
  auto *cmp = dyn_cast<ICmpInst>(br->getCondition());
  if (cmp == nullptr || !cmp->hasOneUse())
    return;
  auto *guard = dyn_cast<LoadInst>(cmp->getOperand(1));
  auto *sp = dyn_cast<IntrinsicInst>(cmp->getOperand(0));
  if (guard == nullptr || !guard->isVolatile() || !guard->hasOneUse() || sp == nullptr ||
      sp->getIntrinsicID() != Intrinsic::read_register || !sp->hasOneUse())
    return;

  uint64_t frame = 0;
  const DataLayout &dl = f.getDataLayout();
  DominatorTree dt(f);
  BasicBlock *dom = nullptr;
  for (BasicBlock &bb : f) {
    if (&bb == more)
      continue;
    for (Instruction &i : bb) {
      if (auto *a = dyn_cast<AllocaInst>(&i)) {
        std::optional<TypeSize> size = a->getAllocationSize(dl);
        if (!size || size->isScalable())
          return;
        frame += size->getFixedValue();
      }
      if (makesCall(i))
        dom = dom == nullptr ? &bb : dt.findNearestCommonDominator(dom, &bb);
    }
  }
  // A leaf keeps its check (it is cheap there, and inlining removes most leaves); so does a
  // function whose calls are all dominated by nothing better than its entry.
  if (frame > StackSmall || dom == nullptr || dom == &entry || dom == ok || !dt.dominates(ok, dom))
    return;
  LoopInfo li(dt);
  if (li.getLoopFor(dom) != nullptr)
    return; // the check would run on every iteration

  // The check at dom's start: dom splits into dom (its phis) and the rest, which the check
  // falls through to and morestack returns to.
  BasicBlock *rest = dom->splitBasicBlock(dom->getFirstNonPHIIt(), dom->getName() + ".stackok");
  Instruction *oldBr = dom->getTerminator();
  auto *gep0 = dyn_cast<GetElementPtrInst>(guard->getPointerOperand());
  auto *gLoad = dyn_cast<LoadInst>(getUnderlyingObject(guard->getPointerOperand()));
  if (gep0 == nullptr || gLoad == nullptr || gep0->getPointerOperand() != gLoad)
    return; // cannot happen: the guard is loaded at an offset from g
  Instruction *g2 = gLoad->clone();
  g2->insertBefore(oldBr);
  Instruction *gep = gep0->clone();
  gep->setOperand(0, g2);
  gep->insertBefore(oldBr);
  Instruction *guard2 = guard->clone();
  guard2->setOperand(0, gep);
  guard2->insertBefore(oldBr);
  Instruction *sp2 = sp->clone();
  sp2->insertBefore(oldBr);
  Instruction *cmp2 = cmp->clone();
  cmp2->setOperand(0, sp2);
  cmp2->setOperand(1, guard2);
  cmp2->insertBefore(oldBr);
  for (Instruction *i : {g2, gep, guard2, sp2, cmp2})
    i->setDebugLoc(br->getDebugLoc());
  // The morestack block moves with the check.
  BranchInst::Create(more, rest, cmp2, oldBr)->copyMetadata(*br);
  oldBr->eraseFromParent();
  more->getTerminator()->setSuccessor(0, rest);
  // The entry falls into ok, which no longer has morestack as a predecessor.
  ok->removePredecessor(more);
  BranchInst::Create(ok, br)->setDebugLoc(br->getDebugLoc());
  br->eraseFromParent();
  cmp->eraseFromParent();
  guard->eraseFromParent();
  sp->eraseFromParent();
  if (gep0->use_empty())
    gep0->eraseFromParent();
  if (gLoad->use_empty())
    gLoad->eraseFromParent();
}

void sinkStackChecks(Module &m) {
  for (Function &f : m)
    if (!f.isDeclaration())
      sinkStackCheck(f);
}

} // namespace toy
