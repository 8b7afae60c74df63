//===- Pclntab.h - the pc → function/file/line table -------------*- C++ -*-===//
//
// toy's counterpart of Go's pclntab: for every function of the program's object, its entry
// pc, name and a table from pc offsets to the chain of (function, file, line) frames that
// inlining put at that pc. toyc reads it from the object's DWARF line and inlining
// information after code generation and emits it as a second object, so it does not depend
// on DWARF staying in the binary (-g0 strips it). The layout is in docs/runtime.md.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_PCLNTAB_H
#define TOY_PCLNTAB_H

#include <llvm/IR/Module.h>
#include <llvm/Object/ObjectFile.h>

#include <map>
#include <memory>
#include <string>

namespace toy {

/// Go-level argument counts of the module's functions (the receiver counts; a closure's
/// environment does not), taken before optimisation so that functions later inlined
/// everywhere and deleted are still known. The traceback prints f() for 0 and f(...) else.
std::map<std::string, unsigned> goArgCounts(const llvm::Module &m);

/// Gives every local function of m external linkage and hidden visibility, so that the table
/// object can refer to it by name. toyc names functions uniquely (IRGen::generatedFn), and
/// the binary exports nothing, so this changes no behaviour.
void externalizeFunctions(llvm::Module &m);

/// Builds the module defining runtime.pclntab for the functions of obj, or returns null and
/// sets err.
std::unique_ptr<llvm::Module> buildPclntab(const llvm::object::ObjectFile &obj,
                                           const std::map<std::string, unsigned> &argCounts,
                                           llvm::LLVMContext &ctx, std::string &err);

} // namespace toy

#endif
