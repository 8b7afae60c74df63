//===- IRGen.h - LLVM IR from the checked AST -----------------------------===//
//
// Walks the checked tree once and builds an LLVM module. Locals live in
// allocas (mem2reg promotes them when optimising); variables a function
// literal captures live in heap boxes. Run-time checks Go requires (division
// by zero, negative shift counts, calls of nil func values, index and slice
// bounds) become calls to the runtime's panic functions, which never return.
// A defer statement becomes a wrapper function registered with
// runtime.deferproc; a function that defers calls runtime.deferreturn as it
// returns.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_IRGEN_H
#define TOY_IRGEN_H

#include "AST.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string>
#include <vector>

namespace toy {

struct Package;

/// Builds one module for the packages of a program, given each after those it imports (main
/// last). Sema must have accepted them. fileNames are the source files by SourceLoc::file.
/// With debugInfo, the module carries DWARF (functions, lines, local variables) as `go build`
/// output does. With simulate, the program counts fuel for the runtime's deterministic
/// simulation (runtime/sim.cpp) and defines runtime.simulateBuild.
std::unique_ptr<llvm::Module> generateIR(const std::vector<Package *> &packages,
                                         TypeContext &types, llvm::LLVMContext &ctx,
                                         const std::string &moduleName,
                                         std::vector<std::string> fileNames,
                                         bool debugInfo = true, bool simulate = false);

/// Moves each function's entry stack check down to the block that dominates all of its calls,
/// where that is not the entry and not in a loop (StackCheckSink.cpp). Runs after optimising.
void sinkStackChecks(llvm::Module &m);

} // namespace toy

#endif
