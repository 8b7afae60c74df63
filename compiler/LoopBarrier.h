#ifndef TOY_LOOPBARRIER_H
#define TOY_LOOPBARRIER_H

#include <llvm/IR/PassManager.h>

namespace toy {

/// Deletes the compiler barrier IRGen puts at the end of each loop iteration
/// (IRGen::loopBackEdge, marked !toy.loop.barrier) from loops where it keeps no access in the
/// loop: no call, and every non-local load and store at an address that steps with the loop's
/// induction (LoopBarrier.cpp). Added at the start of LLVM's vectoriser pipeline, at -O1 and
/// above.
struct LoopBarrierElidePass : llvm::PassInfoMixin<LoopBarrierElidePass> {
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam);
};

} // namespace toy

#endif
