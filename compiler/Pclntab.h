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

/// What the traceback needs of a function that its name does not tell: its Go-level
/// argument count (the receiver counts; a closure's environment does not: f() for 0, f(...)
/// else) and whether it is a compiler-made wrapper (IRGen::markWrapper), hidden as Go hides
/// its own.
struct GoFunc {
  unsigned args;
  bool wrapper;
};
using GoFuncs = std::map<std::string, GoFunc>;

/// The module's functions' GoFunc, taken before optimisation so that functions later inlined
/// everywhere and deleted are still known.
GoFuncs goFuncs(const llvm::Module &m);

/// Gives every local function of m external linkage and hidden visibility, so that the table
/// object can refer to it by name. toyc names functions uniquely (IRGen::generatedFn), and
/// the binary exports nothing, so this changes no behaviour.
void externalizeFunctions(llvm::Module &m);

/// Builds the module defining runtime.pclntab for the functions of obj, or returns null and
/// sets err.
std::unique_ptr<llvm::Module> buildPclntab(const llvm::object::ObjectFile &obj,
                                           const GoFuncs &funcs,
                                           llvm::LLVMContext &ctx, std::string &err);

} // namespace toy

#endif
