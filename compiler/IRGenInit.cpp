//===- IRGenInit.cpp - the code initialising package variables ------------===//
//
// A package variable with a constant initialiser is a global with that value. The others
// are zero until <path>.init, gc's name for the function the package's init task runs
// before its init.N functions, stores their values, in the order Sema computed. Function
// literals in initialisers are <path>.glob..func<N>, as gc names them.
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"

namespace toy {

Function *IRGen::packageInit(const Package &pkg) {
  const auto &order = pkg.sema->initOrder();
  auto needsCode = [](const Sema::Initializer &in) {
    return !isStaticInit(in.decl->values[in.first].get());
  };
  auto first = std::find_if(order.begin(), order.end(), needsCode);
  if (first == order.end())
    return nullptr;

  Function *f = generatedFn(FunctionType::get(b_.getVoidTy(), {}, false), pkg.path + ".init");
  fn_ = f;
  SourceLoc loc = first->decl->values[first->first]->loc;
  if (dib_)
    dfile_ = diFile(loc.file);
  funcName_ = pkg.path + ".glob.";
  litCount_ = goCount_ = deferCount_ = 0;
  slots_.clear();
  loops_.clear();
  labels_.clear();
  fd_ = nullptr;
  deferFrame_ = nullptr;
  BasicBlock *entry = BasicBlock::Create(ctx_, "entry", fn_);
  IRBuilder<> allocaB(entry);
  allocaB_ = &allocaB;
  b_.SetInsertPoint(entry);
  attachSubprogram(f, loc, /*artificial=*/false, b_);
  sp_ = f->getSubprogram();
  argNo_ = 0;
  stackCheck();
  for (const Sema::Initializer &in : order) {
    if (!needsCode(in))
      continue;
    for (size_t k = in.first; k < in.first + in.count; ++k) {
      Expr *e = in.decl->values[k].get();
      setLoc(e->loc);
      Value *v = expr(e); // evaluated for its effects also when assigned to _
      const NameDef &n = in.decl->names[k];
      if (n.obj && n.name != "_")
        b_.CreateStore(v, static_cast<Value *>(n.obj->irValue));
    }
  }
  b_.CreateRetVoid();
  allocaB_ = nullptr;
  return f;
}

} // namespace toy
