// elideLoopBarriers deletes the compiler barrier at the end of a loop's iteration
// (IRGen::loopBackEdge) where it guards nothing, so that LLVM may vectorise the loop.
//
// The barrier is there for memory another goroutine can see: without it LLVM would load a
// global once before `for !done {}` or keep `n` of `for { n++ }` in a register, as gc never
// does. It guards an access whose address is the same in every iteration. It does not guard
// one whose address steps with the loop's induction variable (`s[i]`): LLVM cannot move such
// a load out of the loop, only combine neighbouring iterations' loads into one vector load,
// which reads the same memory in the same iteration window. Nor does it guard a local
// variable (an alloca: toy puts a variable another goroutine can reach on the heap). So the
// barrier goes where the loop makes no call and every load and store of non-local memory in
// it is at an address ScalarEvolution computes from the loop's induction; otherwise (a
// global, a pointer that stays put, one loaded in the loop as in a list walk) it stays.
//
// Runs at the start of LLVM's vectoriser pipeline: the loop passes before it (LICM, loop
// rotation, unswitching) saw every barrier, the vectoriser and the passes after it see only
// the ones that matter.
#include "LoopBarrier.h"
#include "MarkerIntrinsics.h"

#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ScalarEvolution.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicInst.h>

using namespace llvm;

namespace toy {

static bool isLoopBarrier(const Instruction &i) {
  auto *c = dyn_cast<CallInst>(&i);
  return c != nullptr && c->isInlineAsm() && c->getMetadata("toy.loop.barrier") != nullptr;
}

// isCallThatMatters reports whether a call is more than a marker: intrinsics that neither read
// nor write memory (markers, overflow arithmetic) are not.
static bool isCallThatMatters(const CallBase &c) {
  if (auto *ii = dyn_cast<IntrinsicInst>(&c))
    return !isMarkerIntrinsic(*ii) && ii->mayReadOrWriteMemory();
  return true;
}

// needsBarrier reports whether some instruction of loop l (its inner loops included) is one
// the barrier must keep in every iteration.
static bool needsBarrier(Loop *l, ScalarEvolution &se) {
  for (BasicBlock *bb : l->blocks()) {
    for (Instruction &i : *bb) {
      if (isLoopBarrier(i))
        continue;
      if (auto *c = dyn_cast<CallBase>(&i)) {
        if (isCallThatMatters(*c))
          return true;
        continue;
      }
      Value *ptr = getLoadStorePointerOperand(&i);
      if (ptr == nullptr) {
        if (i.mayReadOrWriteMemory()) // atomicrmw, cmpxchg, fence
          return true;
        continue;
      }
      bool unordered = isa<LoadInst>(i) ? cast<LoadInst>(i).isUnordered()
                                        : cast<StoreInst>(i).isUnordered();
      if (!unordered)
        return true; // volatile or atomic: shared on purpose
      if (isa<AllocaInst>(getUnderlyingObject(ptr)))
        continue;
      // s[i]'s address is computable from the loop's induction; a pointer loaded in the
      // loop (p.next) or one that stays put is not.
      if (se.getLoopDisposition(se.getSCEV(ptr), l) != ScalarEvolution::LoopComputable)
        return true;
    }
  }
  return false;
}

PreservedAnalyses LoopBarrierElidePass::run(Function &f, FunctionAnalysisManager &fam) {
  LoopInfo &li = fam.getResult<LoopAnalysis>(f);
  ScalarEvolution &se = fam.getResult<ScalarEvolutionAnalysis>(f);
  SmallVector<Instruction *, 8> dead;
  for (BasicBlock &bb : f) {
    Loop *l = li.getLoopFor(&bb);
    if (l == nullptr)
      continue;
    for (Instruction &i : bb)
      if (isLoopBarrier(i) && !needsBarrier(l, se))
        dead.push_back(&i);
  }
  if (dead.empty())
    return PreservedAnalyses::all();
  for (Instruction *i : dead)
    i->eraseFromParent();
  PreservedAnalyses pa;
  pa.preserveSet<CFGAnalyses>();
  return pa;
}

} // namespace toy
