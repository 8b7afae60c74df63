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

namespace toy {

/// Builds the module for one file. Sema must have accepted the file.
/// With debugInfo, the module carries DWARF (functions, lines, local variables) as `go build`
/// output does.
std::unique_ptr<llvm::Module> generateIR(File &file, TypeContext &types, llvm::LLVMContext &ctx,
                                         const std::string &moduleName, bool debugInfo = true);

} // namespace toy

#endif
