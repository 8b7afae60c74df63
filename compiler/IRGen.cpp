//===- IRGen.cpp ----------------------------------------------------------===//
#include "IRGenImpl.h"
#include "Package.h"
#include "Sema.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/PassManagerImpl.h>
#include <llvm/IR/Verifier.h>

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <map>

using namespace llvm;

namespace toy {

llvm::StructType *IRGen::stringTy() {
  // A Go string header: pointer to the bytes and their count.
  return StructType::get(ctx_, {PointerType::getUnqual(ctx_), b_.getInt64Ty()});
}

llvm::StructType *IRGen::sliceTy() {
  // A Go slice header: pointer to the array, length and capacity.
  return StructType::get(ctx_, {PointerType::getUnqual(ctx_), b_.getInt64Ty(), b_.getInt64Ty()});
}

llvm::StructType *IRGen::closureTy() {
  // A func value: the code, called with the environment as a hidden first argument, and
  // the environment (an array of pointers to the captured variables' heap boxes).
  return StructType::get(ctx_, {PointerType::getUnqual(ctx_), PointerType::getUnqual(ctx_)});
}

// A function returns nothing, its one result, or several as a struct of them.
llvm::Type *IRGen::resultTy(const toy::Type *ft) {
  if (ft->results.empty())
    return b_.getVoidTy();
  if (ft->results.size() == 1)
    return lower(ft->results[0]);
  std::vector<llvm::Type *> elems;
  for (auto *r : ft->results)
    elems.push_back(lower(r));
  return StructType::get(ctx_, elems);
}

llvm::Type *IRGen::lower(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (t->isInteger() && !t->isUntyped())
    return b_.getIntNTy(t->bits());
  switch (t->kind) {
  case toy::Type::UntypedInt:
  case toy::Type::UntypedRune:
    return b_.getInt64Ty();
  case toy::Type::Float32:
    return b_.getFloatTy();
  case toy::Type::Float64:
  case toy::Type::UntypedFloat:
    return b_.getDoubleTy();
  case toy::Type::Bool:
  case toy::Type::UntypedBool:
    return b_.getInt1Ty();
  case toy::Type::String:
  case toy::Type::UntypedString:
    return stringTy();
  case toy::Type::Array:
    return ArrayType::get(lower(t->elem), uint64_t(t->len));
  case toy::Type::Slice:
    return sliceTy();
  case toy::Type::Func:
    return closureTy();
  case toy::Type::Pointer:
  case toy::Type::Chan: // a pointer to the runtime's hchan
  case toy::Type::Map:  // a pointer to the runtime's hmap
    return PointerType::getUnqual(ctx_);
  case toy::Type::Interface:
    return ifaceTy();
  case toy::Type::Struct: {
    std::vector<llvm::Type *> fields;
    for (auto &f : t->fields)
      fields.push_back(lower(f.type));
    return StructType::get(ctx_, fields);
  }
  default:
    return b_.getVoidTy();
  }
}

static void setCommonAttrs(Function *f) {
  // Frame pointers let the runtime and debuggers walk goroutine stacks.
  f->addFnAttr("frame-pointer", "all");
  f->addFnAttr(Attribute::NoUnwind);
  // Go makes no tail calls: every call takes a frame, so unbounded recursion overflows the
  // stack (fatal error: stack overflow) rather than becoming a loop that never ends.
  f->addFnAttr("disable-tail-calls", "true");
  // As in Go's ABI, nothing is kept below rsp: a signal handler may push a call to
  // asyncPreempt or sigpanic there (runtime/signal_amd64.cpp).
  f->addFnAttr(Attribute::NoRedZone);
  // A goroutine's stack grows by segments: LLVM's split-stack prologue compares sp minus the
  // frame with the limit at %fs:0x70 and calls __morestack, which runs the function on a new
  // segment (runtime/stack.cpp). The entry check below (stackCheck) stays for preemption.
  f->addFnAttr("split-stack");
  // The runtime tells toy's code from its own by this section, whose bounds the linker
  // defines (__start_toytext, __stop_toytext): only toy's code is asynchronously preemptible.
  f->setSection("toytext");
}

// markWrapper places a wrapper that only forwards its call (a func value's .funcval, a
// method value's -fm, gc's method wrappers) in the section toy_wrappers: the runtime's
// gorecover looks through such frames, as Go's recover looks through WRAPPER functions, so a
// deferred call still recovers when it is made through one.
void IRGen::markWrapper(Function *w) { w->setSection("toy_wrappers"); }

// Every compiler-made function is named <owner>.<kind>, where owner is the symbol of a
// declared or generated function and kind is func<N> (<N> alone when the owner is itself a
// function literal), gowrap<N>, deferwrap<N> (N counting per owner) or funcval (one per
// owner); declared functions are <package path>.<identifier>. Names are therefore
// unique by construction; a clash would be a bug here, so it stops the compiler rather than
// let LLVM rename one of the two and a later lookup find the wrong one.
Function *IRGen::generatedFn(FunctionType *ty, const std::string &name) {
  if (mod_->getNamedValue(name))
    report_fatal_error("internal error: two generated functions named " + Twine(name));
  Function *f = Function::Create(ty, Function::InternalLinkage, name, mod_.get());
  setCommonAttrs(f);
  return f;
}

Function *IRGen::runtimeFn(const std::string &name, llvm::Type *ret, ArrayRef<llvm::Type *> params,
                           bool noreturn) {
  if (Function *f = mod_->getFunction(name))
    return f;
  auto *fty = FunctionType::get(ret, params, false);
  Function *f = Function::Create(fty, Function::ExternalLinkage, name, mod_.get());
  f->addFnAttr(Attribute::NoUnwind);
  if (noreturn) {
    f->addFnAttr(Attribute::NoReturn);
    f->addFnAttr(Attribute::Cold);
    // Two panics are two calls, as in gc: merged into one, the traceback would show one
    // panic's line for the other.
    f->addFnAttr(Attribute::NoMerge);
  }
  for (unsigned i = 0; i < params.size(); ++i)
    if (params[i]->isIntegerTy(1) || params[i]->isIntegerTy(8))
      f->addParamAttr(i, Attribute::ZExt);
  return f;
}

Function *IRGen::declare(Object *fn) {
  if (Function *f = mod_->getFunction(fn->symbol))
    return f;
  std::vector<llvm::Type *> ps;
  for (auto *p : fn->type->params)
    ps.push_back(lower(p));
  llvm::Type *ret = resultTy(fn->type);
  if (!fn->func) // a runtime package function
    return runtimeFn(fn->symbol, ret, ps);
  Function *f = Function::Create(FunctionType::get(ret, ps, false), Function::ExternalLinkage,
                                 fn->symbol, mod_.get());
  setCommonAttrs(f);
  return f;
}

DIFile *IRGen::diFile(uint32_t file) {
  DIFile *&f = diFiles_[file];
  if (!f) {
    SmallString<128> absPath(fileNames_.at(file));
    sys::fs::make_absolute(absPath);
    f = dib_->createFile(sys::path::filename(absPath), sys::path::parent_path(absPath));
  }
  return f;
}

void IRGen::beginDebugInfo() {
  dib_ = std::make_unique<DIBuilder>(*mod_);
  dfile_ = diFile(0);
  dib_->createCompileUnit(dwarf::DW_LANG_Go, dfile_, "toyc", /*isOptimized=*/false, "", 0);
  mod_->addModuleFlag(Module::Warning, "Debug Info Version", DEBUG_METADATA_VERSION);
  mod_->addModuleFlag(Module::Warning, "Dwarf Version", 4);
}

// Gives f a DISubprogram and points b's debug location at loc in it. Compiler-made wrappers
// are artificial and sit at line 0.
void IRGen::attachSubprogram(Function *f, SourceLoc loc, bool artificial, IRBuilder<> &b) {
  if (!dib_)
    return;
  auto *fnTy = dib_->createSubroutineType(dib_->getOrCreateTypeArray({}));
  // An artificial function is at line 0 unless it stands for a statement (a go statement's
  // wrapper: its goroutine, not yet started, shows at the go statement, as gc's does).
  unsigned line = loc.valid() ? loc.line : 0;
  DISubprogram *sp = dib_->createFunction(
      dfile_, f->getName(), StringRef(), dfile_, line, fnTy, line,
      artificial ? DINode::FlagArtificial : DINode::FlagPrototyped, DISubprogram::SPFlagDefinition);
  f->setSubprogram(sp);
  b.SetCurrentDebugLocation(DILocation::get(ctx_, line, loc.valid() ? loc.col : 0, sp));
}

void IRGen::setLoc(SourceLoc loc) {
  if (sp_ && loc.valid())
    b_.SetCurrentDebugLocation(DILocation::get(ctx_, loc.line, loc.col, sp_));
}

DIType *IRGen::debugType(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (t->isStruct())
    return structDebugType(t);
  if (t->isDefined()) {
    // gdb names it as Go's DWARF does: main.Celsius. A type may refer to itself through an
    // indirection (type Tree []Tree): a temporary entry stands for it while it is made.
    if (auto it = definedDebugTypes_.find(t); it != definedDebugTypes_.end())
      return it->second;
    auto *fwd = dib_->createReplaceableCompositeType(dwarf::DW_TAG_typedef, t->pkgPath + "." + t->name,
                                                     nullptr, dfile_, 0);
    definedDebugTypes_[t] = fwd;
    DIType *def = dib_->createTypedef(debugType(t->under), t->pkgPath + "." + t->name, dfile_, 0, nullptr);
    definedDebugTypes_[t] = def;
    return dib_->replaceTemporary(TempDIType(fwd), def);
  }
  if (t->isInteger() && !t->isUntyped())
    return dib_->createBasicType(t->str(), t->bits(),
                                 t->isSigned() ? dwarf::DW_ATE_signed : dwarf::DW_ATE_unsigned);
  switch (t->kind) {
  case toy::Type::Float32:
  case toy::Type::Float64:
    return dib_->createBasicType(t->str(), t->bits(), dwarf::DW_ATE_float);
  case toy::Type::Bool:
    return dib_->createBasicType("bool", 8, dwarf::DW_ATE_boolean);
  case toy::Type::String: {
    DIType *bytePtr =
        dib_->createPointerType(dib_->createBasicType("uint8", 8, dwarf::DW_ATE_unsigned), 64);
    DIType *len = dib_->createBasicType("int", 64, dwarf::DW_ATE_signed);
    auto *st =
        dib_->createStructType(dfile_, "string", dfile_, 0, 128, 64, DINode::FlagZero, nullptr, {});
    st->replaceElements(dib_->getOrCreateArray(
        {dib_->createMemberType(st, "str", dfile_, 0, 64, 64, 0, DINode::FlagZero, bytePtr),
         dib_->createMemberType(st, "len", dfile_, 0, 64, 64, 64, DINode::FlagZero, len)}));
    return st;
  }
  case toy::Type::Slice: {
    DIType *i64 = dib_->createBasicType("int", 64, dwarf::DW_ATE_signed);
    DIType *ptr = dib_->createPointerType(debugType(t->elem), 64);
    auto *st =
        dib_->createStructType(dfile_, t->str(), dfile_, 0, 192, 64, DINode::FlagZero, nullptr, {});
    st->replaceElements(dib_->getOrCreateArray(
        {dib_->createMemberType(st, "array", dfile_, 0, 64, 64, 0, DINode::FlagZero, ptr),
         dib_->createMemberType(st, "len", dfile_, 0, 64, 64, 64, DINode::FlagZero, i64),
         dib_->createMemberType(st, "cap", dfile_, 0, 64, 64, 128, DINode::FlagZero, i64)}));
    return st;
  }
  case toy::Type::Chan: // Go's DWARF names it chan T: a pointer to runtime.hchan
    return dib_->createPointerType(
        dib_->createStructType(dfile_, "runtime.hchan", dfile_, 0, 0, 64, DINode::FlagFwdDecl,
                               nullptr, {}),
        64, 0, std::nullopt, t->str());
  case toy::Type::Map: // map[K]V: a pointer to runtime.hmap
    return dib_->createPointerType(
        dib_->createStructType(dfile_, "runtime.hmap", dfile_, 0, 0, 64, DINode::FlagFwdDecl,
                               nullptr, {}),
        64, 0, std::nullopt, t->str());
  case toy::Type::Array: {
    uint64_t bits = mod_->getDataLayout().getTypeAllocSizeInBits(lower(t));
    return dib_->createArrayType(bits, 64, debugType(t->elem),
                                 dib_->getOrCreateArray({dib_->getOrCreateSubrange(0, t->len)}));
  }
  case toy::Type::Pointer: // named as gc names it: *int
    return dib_->createPointerType(debugType(t->elem), 64, 0, std::nullopt, t->str());
  case toy::Type::Interface: { // Go's runtime.eface {_type, data} or runtime.iface {tab, data}
    DIType *ptr = dib_->createPointerType(nullptr, 64);
    bool e = t->fields.empty();
    auto *st = dib_->createStructType(dfile_, e ? "runtime.eface" : "runtime.iface", dfile_, 0, 128,
                                      64, DINode::FlagZero, nullptr, {});
    st->replaceElements(dib_->getOrCreateArray(
        {dib_->createMemberType(st, e ? "_type" : "tab", dfile_, 0, 64, 64, 0, DINode::FlagZero, ptr),
         dib_->createMemberType(st, "data", dfile_, 0, 64, 64, 64, DINode::FlagZero, ptr)}));
    return st;
  }
  default: {
    // A func value: code and environment pointers.
    DIType *ptr = dib_->createPointerType(nullptr, 64);
    auto *st =
        dib_->createStructType(dfile_, t->str(), dfile_, 0, 128, 64, DINode::FlagZero, nullptr, {});
    st->replaceElements(dib_->getOrCreateArray(
        {dib_->createMemberType(st, "code", dfile_, 0, 64, 64, 0, DINode::FlagZero, ptr),
         dib_->createMemberType(st, "env", dfile_, 0, 64, 64, 64, DINode::FlagZero, ptr)}));
    return st;
  }
  }
}

// structDebugType is a DW_TAG_structure_type with a member per field, named main.T for a
// defined type; made once per type, so a type that refers to itself through an indirection
// meets its own entry.
DIType *IRGen::structDebugType(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (auto it = structDebugTypes_.find(t); it != structDebugTypes_.end())
    return it->second;
  auto *sty = cast<StructType>(lower(t));
  const StructLayout *layout = mod_->getDataLayout().getStructLayout(sty);
  auto *st = dib_->createStructType(dfile_, t->isDefined() ? t->pkgPath + "." + t->name : t->str(), dfile_,
                                    0, layout->getSizeInBits(), 64, DINode::FlagZero, nullptr, {});
  structDebugTypes_[t] = st;
  std::vector<Metadata *> members;
  for (unsigned i = 0; i < t->fields.size(); ++i) {
    const toy::Type *ft = t->fields[i].type;
    uint64_t bits = mod_->getDataLayout().getTypeAllocSizeInBits(lower(ft));
    members.push_back(dib_->createMemberType(st, t->fields[i].name, dfile_, 0, bits, 8,
                                             layout->getElementOffsetInBits(i), DINode::FlagZero,
                                             debugType(ft)));
  }
  st->replaceElements(dib_->getOrCreateArray(members));
  return st;
}

void IRGen::declareDebugVar(Object *o, AllocaInst *slot) {
  if (!sp_ || !o->loc.valid())
    return;
  DILocalVariable *var =
      o->isParam ? dib_->createParameterVariable(sp_, o->name, ++argNo_, dfile_, o->loc.line,
                                                 debugType(o->type), /*AlwaysPreserve=*/true)
                 : dib_->createAutoVariable(sp_, o->name, dfile_, o->loc.line, debugType(o->type),
                                            /*AlwaysPreserve=*/true);
  dib_->insertDeclare(slot, var, dib_->createExpression(),
                      DILocation::get(ctx_, o->loc.line, o->loc.col, sp_), slot->getNextNode());
}

void IRGen::globals(File &file) {
  for (auto &g : file.globals) {
    auto *v = static_cast<VarDeclStmt *>(g.get());
    for (size_t i = 0; i < v->names.size(); ++i) {
      Object *o = v->names[i].obj;
      if (!o || v->names[i].name == "_")
        continue;
      llvm::Type *ty = lower(o->type);
      Constant *init = Constant::getNullValue(ty);
      // A constant initialiser is the variable's static value; the others run in the
      // package's init function (packageInit).
      if (i < v->values.size() && isStaticInit(v->values[i].get()))
        init = cast<Constant>(expr(v->values[i].get()));
      o->irValue =
          new GlobalVariable(*mod_, ty, false, GlobalValue::InternalLinkage, init, o->symbol);
    }
  }
}

// run generates every package into the one module, imported packages first: their variables
// and functions are declared before the code that uses them, and their init tasks before
// the tasks that list them.
std::unique_ptr<Module> IRGen::run(const std::vector<Package *> &packages) {
  // Sizes and field offsets computed here (allocations, map buckets, plain-memory runs) must be
  // those of the object code: amd64's layout, which the driver's target machine also gives.
  mod_->setDataLayout(
      "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128");
  if (debugInfo_)
    beginDebugInfo();
  if (simulate_) // the runtime's sign that it runs a simulate build (a weak reference there)
    new GlobalVariable(*mod_, b_.getInt8Ty(), /*isConstant=*/true, GlobalValue::ExternalLinkage,
                       b_.getInt8(1), "runtime.simulateBuild");
  // Functions named _ can never be called: as gc does, generate no code for them (several
  // may exist, and their symbols would collide). A body-less function is a runtime hook.
  auto generated = [](const std::unique_ptr<FuncDecl> &fn) {
    return fn->name.obj && fn->name.name != "_";
  };
  for (Package *pkg : packages) {
    globals(pkg->file);
    for (auto &fn : pkg->file.funcs)
      if (generated(fn))
        declare(fn->name.obj);
  }
  for (Package *pkg : packages) {
    for (auto &fn : pkg->file.funcs)
      if (generated(fn) && fn->body)
        genFunc(*fn, mod_->getFunction(fn->name.obj->symbol));
    initTask(*pkg, packageInit(*pkg));
  }
  emitItabLinks();
  emitGoStarts();
  if (dib_)
    dib_->finalize();
  return std::move(mod_);
}

// initTask emits <path>..inittask, Go's initTask record that runtime.main's doInit walks:
// {state, ndeps, nfns, deps..., fns...}. deps are the tasks of the packages pkg imports, run
// first; fns are varInit (initialising its variables, if any needs code) and its init
// functions in source order (a method named init is none of them).
void IRGen::initTask(const Package &pkg, Function *varInit) {
  auto i64 = b_.getInt64Ty();
  auto ptrTy = PointerType::getUnqual(ctx_);
  std::vector<Constant *> entries;
  for (const Package *dep : pkg.imports)
    entries.push_back(mod_->getNamedGlobal(dep->path + "..inittask"));
  size_t ndeps = entries.size();
  if (varInit)
    entries.push_back(varInit);
  for (auto &fn : pkg.file.funcs)
    if (fn->name.obj && !fn->method && fn->name.name == "init")
      entries.push_back(mod_->getFunction(fn->name.obj->symbol));
  auto *entriesTy = ArrayType::get(ptrTy, entries.size());
  auto *ty = StructType::get(ctx_, {i64, i64, i64, entriesTy});
  Constant *init = ConstantStruct::get(
      ty, {ConstantInt::get(i64, 0), ConstantInt::get(i64, ndeps),
           ConstantInt::get(i64, entries.size() - ndeps), ConstantArray::get(entriesTy, entries)});
  new GlobalVariable(*mod_, ty, false, GlobalValue::ExternalLinkage, init,
                     pkg.path + "..inittask");
}

void IRGen::genFunc(FuncDecl &fd, Function *f, FuncLitExpr *lit) {
  fn_ = f;
  if (dib_)
    dfile_ = diFile(fd.loc.file);
  funcName_ = f->getName().str();
  litCount_ = goCount_ = 0;
  slots_.clear();
  loops_.clear();
  labels_.clear();
  BasicBlock *entry = BasicBlock::Create(ctx_, "entry", fn_);
  IRBuilder<> allocaB(entry);
  allocaB_ = &allocaB;
  b_.SetInsertPoint(entry);
  attachSubprogram(f, fd.loc, /*artificial=*/false, b_);
  sp_ = f->getSubprogram();
  argNo_ = 0;
  unsigned i = 0;
  if (lit) {
    // The environment holds the captured variables' boxes, in Sema's capture order.
    Argument *env = fn_->getArg(i++);
    env->setName("env");
    auto ptrTy = PointerType::getUnqual(ctx_);
    for (unsigned k = 0; k < lit->captures.size(); ++k) {
      Object *o = lit->captures[k];
      Value *box = b_.CreateLoad(ptrTy, b_.CreateConstGEP1_64(ptrTy, env, k), o->name + ".box");
      Value *slot = entryAlloca(ptrTy, o->name + ".slot");
      b_.CreateStore(box, slot);
      slots_[o] = slot;
    }
  }
  stackCheck();
  auto param = [&](Param &p) {
    Argument *arg = fn_->getArg(i++);
    if (!p.name.obj)
      return;
    arg->setName(p.name.name);
    declareVar(p.name.obj, arg);
  };
  if (fd.method) // the receiver is the first parameter
    param(fd.recv[0]);
  for (auto &p : fd.params)
    param(p);
  for (auto &r : fd.results)
    if (r.name.obj)
      declareVar(r.name.obj, Constant::getNullValue(lower(r.name.obj->type)));
  fd_ = &fd;
  deferFrame_ = nullptr;
  deferCount_ = 0;
  recoveredB_ = nullptr;
  resultSlots_.clear();
  if (fd.hasDefer) { // a byte of the frame whose address names it to deferproc and deferreturn
    deferFrame_ = entryAlloca(b_.getInt8Ty(), "deferframe");
    // Unnamed results live in memory from the return statement that sets them until the
    // deferred calls have run, as the recovered path returns them too. The accesses are
    // volatile: the deferproc calls return twice, as setjmp does.
    for (auto &r : fd.results)
      if (!r.name.obj) {
        llvm::Type *ty = lower(r.type->resolved);
        resultSlots_.push_back(entryAlloca(ty, "result"));
        b_.CreateStore(Constant::getNullValue(ty), resultSlots_.back(), /*isVolatile=*/true);
      } else {
        resultSlots_.push_back(nullptr);
      }
  }
  block(fd.body.get());
  if (!b_.GetInsertBlock()->getTerminator()) {
    setLoc(fd.body->rbrace); // falling off the end runs the deferred calls at the }, as gc
    if (fd.hasDefer && fd.results.empty())
      deferreturn();
    if (fd.results.empty())
      b_.CreateRetVoid();
    else
      b_.CreateUnreachable(); // Sema proved the body terminates
  }
  allocaB_ = nullptr;
}

AllocaInst *IRGen::entryAlloca(llvm::Type *ty, const std::string &name) {
  // Allocas go first in the entry block so mem2reg can promote them.
  BasicBlock &entry = fn_->getEntryBlock();
  allocaB_->SetInsertPoint(&entry, entry.getFirstInsertionPt());
  return allocaB_->CreateAlloca(ty, nullptr, name);
}

// mallocgc(size, typ, needzero): no type descriptors yet, so typ is null.
Value *IRGen::mallocgc(Value *size, const Twine &name) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Function *f = runtimeFn("runtime.mallocgc", ptrTy, {b_.getInt64Ty(), ptrTy, b_.getInt1Ty()});
  f->addRetAttr(Attribute::NonNull); // lets the optimiser drop nil checks of new(T) and &x
  return b_.CreateCall(f, {size, ConstantPointerNull::get(ptrTy), b_.getTrue()}, name);
}

// A variable a function literal captures, or whose address is taken, lives in a heap box made
// where it is declared (a fresh one each time the declaration runs); the function's slot
// holds the box's address.
void IRGen::declareVar(Object *o, Value *init) {
  llvm::Type *ty = lower(o->type);
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto it = slots_.find(o);
  Value *slot = it != slots_.end() ? it->second : nullptr;
  if (!slot) {
    AllocaInst *a =
        entryAlloca(o->captured ? ptrTy : ty, o->captured ? o->name + ".slot" : o->name);
    slots_[o] = slot = a;
    if (!o->captured)
      declareDebugVar(o, a);
  }
  if (!o->captured) {
    storeInit(init, slot);
    return;
  }
  Value *box = mallocgc(ConstantExpr::getSizeOf(ty), o->name + ".box");
  b_.CreateStore(box, slot);
  storeInit(init, box);
}

// storeInit stores a variable's first value (storeValue).
void IRGen::storeInit(Value *init, Value *ptr) { storeValue(init, ptr); }

// storeValue stores v at ptr. An array or struct of more than 64 bytes is stored as gc
// stores one, with memory operations rather than as one value: its zero value is a memset
// (gc: DUFFZERO, memclr), and a copy of a variable just loaded, with nothing written to
// memory since, a memmove from it (gc: DUFFCOPY, memmove). A load or store of a whole large
// aggregate is one LLVM value of the whole type, which LLVM's passes split into an operation
// per element: `var a [20000]int` took 20 s to compile, `b := a` more.
void IRGen::storeValue(Value *v, Value *ptr) {
  llvm::Type *ty = v->getType();
  const DataLayout &dl = mod_->getDataLayout();
  if (!ty->isAggregateType() || dl.getTypeAllocSize(ty) <= 64) {
    b_.CreateStore(v, ptr);
    return;
  }
  uint64_t size = dl.getTypeAllocSize(ty);
  Align align = dl.getABITypeAlign(ty);
  if (auto *c = dyn_cast<Constant>(v); c && c->isNullValue()) {
    b_.CreateMemSet(ptr, b_.getInt8(0), size, align);
    return;
  }
  auto *ld = dyn_cast<LoadInst>(v);
  bool copy = ld && !ld->isVolatile() && ld->getParent() == b_.GetInsertBlock();
  for (auto it = copy ? std::next(ld->getIterator()) : b_.GetInsertPoint();
       copy && it != b_.GetInsertPoint(); ++it)
    if (it->mayWriteToMemory())
      copy = false;
  if (!copy) {
    b_.CreateStore(v, ptr);
    return;
  }
  b_.CreateMemMove(ptr, align, ld->getPointerOperand(), ld->getAlign(), size);
  if (ld->use_empty())
    ld->eraseFromParent();
}

void IRGen::defineVars(DefineStmt *d, ArrayRef<Value *> vals) {
  for (size_t i = 0; i < d->names.size(); ++i) {
    Object *o = d->names[i].obj;
    if (!o)
      continue;
    if (d->names[i].reused)
      storeValue(vals[i], varAddr(o));
    else
      declareVar(o, vals[i]);
  }
}

Value *IRGen::varAddr(Object *o) {
  if (o->isGlobal)
    return static_cast<Value *>(o->irValue);
  auto it = slots_.find(o);
  if (it == slots_.end()) {
    declareVar(o, Constant::getNullValue(lower(o->type)));
    it = slots_.find(o);
  }
  if (o->captured)
    return b_.CreateLoad(PointerType::getUnqual(ctx_), it->second, o->name + ".box");
  return it->second;
}

FunctionType *IRGen::closureFnTy(const toy::Type *ft) {
  std::vector<llvm::Type *> ps = {PointerType::getUnqual(ctx_)};
  for (auto *p : ft->params)
    ps.push_back(lower(p));
  llvm::Type *ret = resultTy(ft);
  return FunctionType::get(ret, ps, false);
}

// Builds `ret name(first, params...)` calling target with the parameters, preceded by the
// receiver recv(builder, first) when recv is given (gc's method wrappers), or dropping first
// (the environment a declared function used as a func value ignores).
Function *IRGen::forwarder(const std::string &name, FunctionType *ty, Function *target,
                           const std::function<Value *(IRBuilder<> &, Value *)> &recv) {
  if (Function *w = mod_->getFunction(name))
    return w;
  Function *w = generatedFn(ty, name);
  markWrapper(w);
  IRBuilder<> wb(BasicBlock::Create(ctx_, "entry", w));
  attachSubprogram(w, {}, /*artificial=*/true, wb);
  std::vector<Value *> args;
  if (recv)
    args.push_back(recv(wb, w->getArg(0)));
  for (unsigned i = 1; i < w->arg_size(); ++i)
    args.push_back(w->getArg(i));
  Value *r = wb.CreateCall(target, args);
  if (w->getReturnType()->isVoidTy())
    wb.CreateRetVoid();
  else
    wb.CreateRet(r);
  return w;
}

// A declared function used as a value: a closure with no environment whose code is a
// wrapper taking (and ignoring) the environment argument.
Value *IRGen::funcValue(Object *fn) { return funcValue(declare(fn), fn->type); }

Value *IRGen::funcValue(Function *target, const toy::Type *ft) {
  Function *w = forwarder(target->getName().str() + ".funcval", closureFnTy(ft), target, nullptr);
  return ConstantStruct::get(closureTy(),
                             {w, ConstantPointerNull::get(PointerType::getUnqual(ctx_))});
}

// func(...) {...}: the body becomes <enclosing function>.func<N>, or <enclosing literal>.<N>
// inside another literal (gc 1.19's naming: main.main.func1.1), taking the environment
// first; the environment is built here from the enclosing function's boxes. The attribute
// toy-closure tells the pc-line table that the first parameter is not an argument.
Value *IRGen::funcLit(FuncLitExpr *e) {
  bool nested = fn_ && fn_->hasFnAttribute("toy-closure");
  std::string name = funcName_ + (nested ? "." : ".func") + std::to_string(++litCount_);
  Function *f = generatedFn(closureFnTy(e->fn->type), name);
  f->addFnAttr("toy-closure");

  auto ptrTy = PointerType::getUnqual(ctx_);
  Value *env = ConstantPointerNull::get(ptrTy);
  if (!e->captures.empty()) {
    env = mallocgc(b_.getInt64(8 * e->captures.size()), "env");
    for (unsigned k = 0; k < e->captures.size(); ++k) {
      Object *o = e->captures[k];
      Value *box = varAddr(o); // captured, so this is the box's address
      b_.CreateStore(box, b_.CreateConstGEP1_64(ptrTy, env, k));
    }
  }

  // Generate the literal's body, then come back to the enclosing function.
  Function *outerFn = fn_;
  IRBuilder<> *outerAllocaB = allocaB_;
  auto outerIP = b_.saveIP();
  auto outerSlots = std::move(slots_);
  auto outerLoops = std::move(loops_);
  auto outerLabels = std::move(labels_);
  std::string outerName = funcName_;
  unsigned outerCount = litCount_, outerGoCount = goCount_;
  DISubprogram *outerSP = sp_;
  unsigned outerArgNo = argNo_;
  DebugLoc outerLoc = b_.getCurrentDebugLocation();
  FuncDecl *outerFd = fd_;
  Value *outerFrame = deferFrame_;
  unsigned outerDefers = deferCount_;
  BasicBlock *outerRecovered = recoveredB_;
  auto outerResultSlots = std::move(resultSlots_);
  genFunc(*e->fn, f, e);
  fd_ = outerFd;
  deferFrame_ = outerFrame;
  deferCount_ = outerDefers;
  recoveredB_ = outerRecovered;
  resultSlots_ = std::move(outerResultSlots);
  sp_ = outerSP;
  argNo_ = outerArgNo;
  fn_ = outerFn;
  allocaB_ = outerAllocaB;
  b_.restoreIP(outerIP);
  slots_ = std::move(outerSlots);
  loops_ = std::move(outerLoops);
  labels_ = std::move(outerLabels);
  funcName_ = outerName;
  litCount_ = outerCount;
  goCount_ = outerGoCount;
  b_.SetCurrentDebugLocation(outerLoc);

  Value *closure = UndefValue::get(closureTy());
  closure = b_.CreateInsertValue(closure, f, 0);
  return b_.CreateInsertValue(closure, env, 1);
}

Value *IRGen::callValue(Value *closure, const toy::Type *ft, ArrayRef<Value *> args) {
  Value *code = b_.CreateExtractValue(closure, 0);
  Value *env = b_.CreateExtractValue(closure, 1);
  nilCheck(code); // calling a nil func value is Go's nil dereference panic
  std::vector<Value *> all = {env};
  all.insert(all.end(), args.begin(), args.end());
  return b_.CreateCall(closureFnTy(ft), code, all);
}

// Go's prologue check, at every function entry: if sp is below g.stackguard0 call
// runtime.morestack_noctxt. That is how a goroutine is preempted at a call: sysmon sets
// stackguard0 = stackPreempt, a value above every sp, so the next check fails. (A short stack
// is found before, by the split-stack prologue, setCommonAttrs; this check catches one only
// as a safety net.) As in Go, loops have no check: a loop that makes no calls is
// preempted by a signal (runtime/preempt.cpp). Compiles to
// `mov %fs:-8,%rax; cmp 16(%rax),%rsp; jb`, the call out of line at the function's end.
// Differs from Go: morestack returns (toy grows stacks by segments, not here) straight into
// the body, where Go's restarts the function and runs the check again; morestack_noctxt
// re-checks sp against the goroutine's real guard itself and throws if it is short
// (runtime/stack.cpp). A loop back to the check would be a loop around the whole body in
// LLVM's eyes, laid out and register-allocated as one (measured: fib 1.5x Go's time with it).
void IRGen::stackCheck() {
  auto ptrTy = PointerType::getUnqual(ctx_);
  fuelCheck();
  // g lives at %fs:-8: address space 257 is the FS segment on x86-64.
  auto *fsPtrTy = PointerType::get(ctx_, 257);
  Value *gAddr = ConstantExpr::getIntToPtr(b_.getInt64(uint64_t(-8)), fsPtrTy);
  Value *g = b_.CreateLoad(ptrTy, gAddr, "g");
  // Volatile: another thread (sysmon) writes stackguard0; every entry must read it.
  Value *guard = b_.CreateLoad(b_.getInt64Ty(), b_.CreateConstGEP1_64(b_.getInt8Ty(), g, 16),
                               /*isVolatile=*/true, "stackguard0");
  Function *readReg =
      Intrinsic::getDeclaration(mod_.get(), Intrinsic::read_register, {b_.getInt64Ty()});
  Metadata *rsp = MDString::get(ctx_, "rsp");
  Value *sp = b_.CreateCall(readReg, {MetadataAsValue::get(ctx_, MDNode::get(ctx_, rsp))}, "sp");
  BasicBlock *more = BasicBlock::Create(ctx_, "morestack", fn_);
  BasicBlock *cont = BasicBlock::Create(ctx_, "stackok", fn_);
  MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpULT(sp, guard), more, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(more);
  Function *morestack = runtimeFn("runtime.morestack_noctxt", b_.getVoidTy(), {});
  morestack->addFnAttr(Attribute::Cold);
  b_.CreateCall(morestack);
  b_.CreateBr(cont);
  b_.SetInsertPoint(cont);
}

// loopBackEdge ends an iteration with a compiler barrier, an empty asm that may touch any
// memory: no instruction, but LLVM must do every load and store of memory other goroutines can
// see in each iteration, as gc does. Without it LLVM, whose memory model has no racy Go
// programs in it, keeps a global in a register across a loop, and deletes the stores of a
// loop that never ends (for { n++ }), which another goroutine would then never see. Marked
// !toy.loop.barrier: LoopBarrier.cpp deletes it, before vectorising, from loops where it
// keeps no such access.
void IRGen::loopBackEdge() {
  auto *asmTy = FunctionType::get(b_.getVoidTy(), false);
  CallInst *barrier =
      b_.CreateCall(InlineAsm::get(asmTy, "", "~{memory}", /*hasSideEffects=*/true));
  barrier->setMetadata("toy.loop.barrier", MDNode::get(ctx_, {}));
  fuelCheck();
}

// fuelCheck, in a simulate build only, spends one unit of the runtime's fuel (runtime.simfuel)
// and calls runtime.simfuelout when it runs out: the simulation's clock and its points of
// preemption are counted in these units (runtime/sim.cpp). Only one thread runs at a time
// under simulation, so the counter is a plain global. Volatile, so that LLVM keeps one
// decrement per entry and per iteration.
void IRGen::fuelCheck() {
  if (!simulate_)
    return;
  auto *fuel = mod_->getOrInsertGlobal("runtime.simfuel", b_.getInt64Ty());
  Value *left = b_.CreateSub(b_.CreateLoad(b_.getInt64Ty(), fuel, /*isVolatile=*/true, "fuel"),
                             b_.getInt64(1));
  b_.CreateStore(left, fuel, /*isVolatile=*/true);
  BasicBlock *out = BasicBlock::Create(ctx_, "fuelout", fn_);
  BasicBlock *cont = BasicBlock::Create(ctx_, "fuelok", fn_);
  MDBuilder md(ctx_);
  b_.CreateCondBr(b_.CreateICmpSLT(left, b_.getInt64(0)), out, cont,
                  md.createBranchWeights(1, 1 << 10));
  b_.SetInsertPoint(out);
  Function *fuelout = runtimeFn("runtime.simfuelout", b_.getVoidTy(), {});
  fuelout->addFnAttr(Attribute::Cold);
  b_.CreateCall(fuelout);
  b_.CreateBr(cont);
  b_.SetInsertPoint(cont);
}

BasicBlock *IRGen::labelBlock(const LabeledStmt *l) {
  if (!l->gotoTarget)
    return nullptr;
  BasicBlock *&b = labels_[l];
  if (!b)
    b = BasicBlock::Create(ctx_, l->label, fn_);
  return b;
}

void IRGen::startDeadBlock() { b_.SetInsertPoint(BasicBlock::Create(ctx_, "dead", fn_)); }

void IRGen::block(BlockStmt *b) {
  for (auto &s : b->stmts)
    stmt(s.get());
}

void IRGen::stmt(Stmt *s) {
  if (!s)
    return;
  setLoc(s->loc);
  switch (s->kind) {
  case Stmt::Block:
    block(static_cast<BlockStmt *>(s));
    break;
  case Stmt::Empty:
  case Stmt::ConstDecl: // constants are folded into their uses
  case Stmt::TypeDecl:
    break;
  case Stmt::ExprS:
    expr(static_cast<ExprStmt *>(s)->expr.get());
    break;
  case Stmt::VarDecl: {
    auto *v = static_cast<VarDeclStmt *>(s);
    std::vector<Value *> vals;
    for (auto &e : v->values)
      vals.push_back(expr(e.get()));
    for (size_t i = 0; i < v->names.size(); ++i) {
      Object *o = v->names[i].obj;
      if (!o || v->names[i].name == "_")
        continue;
      declareVar(o, vals.empty() ? Constant::getNullValue(lower(o->type)) : vals[i]);
    }
    break;
  }
  case Stmt::Define: {
    auto *d = static_cast<DefineStmt *>(s);
    std::vector<Value *> vals;
    for (auto &e : d->values)
      vals.push_back(expr(e.get()));
    defineVars(d, vals);
    break;
  }
  case Stmt::Assign:
    assignStmt(static_cast<AssignStmt *>(s));
    break;
  case Stmt::IncDec: {
    auto *i = static_cast<IncDecStmt *>(s);
    Value *p = addr(i->target.get());
    llvm::Type *ty = lower(i->target->type);
    Value *old = b_.CreateLoad(ty, p);
    if (i->target->type->isFloat())
      b_.CreateStore(i->inc ? b_.CreateFAdd(old, ConstantFP::get(ty, 1.0))
                            : b_.CreateFSub(old, ConstantFP::get(ty, 1.0)),
                     p);
    else
      b_.CreateStore(i->inc ? b_.CreateAdd(old, ConstantInt::get(ty, 1))
                            : b_.CreateSub(old, ConstantInt::get(ty, 1)),
                     p);
    break;
  }
  case Stmt::If: {
    // An else-if chain is generated in a loop; all its branches meet at one if.end.
    BasicBlock *endB = BasicBlock::Create(ctx_, "if.end", fn_);
    Stmt *cur = s;
    while (cur) {
      if (cur->kind != Stmt::If) {
        stmt(cur); // the final else block
        if (!b_.GetInsertBlock()->getTerminator())
          b_.CreateBr(endB);
        break;
      }
      auto *i = static_cast<IfStmt *>(cur);
      setLoc(i->loc);
      stmt(i->init.get());
      Value *c = expr(i->cond.get());
      BasicBlock *thenB = BasicBlock::Create(ctx_, "if.then", fn_);
      BasicBlock *elseB = i->els ? BasicBlock::Create(ctx_, "if.else", fn_) : nullptr;
      b_.CreateCondBr(c, thenB, elseB ? elseB : endB);
      b_.SetInsertPoint(thenB);
      block(i->then.get());
      if (!b_.GetInsertBlock()->getTerminator())
        b_.CreateBr(endB);
      if (elseB)
        b_.SetInsertPoint(elseB);
      cur = i->els.get();
    }
    endB->moveAfter(b_.GetInsertBlock());
    b_.SetInsertPoint(endB);
    break;
  }
  case Stmt::For: {
    auto *f = static_cast<ForStmt *>(s);
    if (f->rangeX) {
      rangeStmt(f);
      break;
    }
    stmt(f->init.get());
    BasicBlock *condB = BasicBlock::Create(ctx_, "for.cond", fn_);
    BasicBlock *bodyB = BasicBlock::Create(ctx_, "for.body", fn_);
    BasicBlock *postB = BasicBlock::Create(ctx_, "for.post", fn_);
    BasicBlock *endB = BasicBlock::Create(ctx_, "for.end", fn_);
    b_.CreateBr(condB);
    b_.SetInsertPoint(condB);
    if (f->cond)
      b_.CreateCondBr(expr(f->cond.get()), bodyB, endB);
    else
      b_.CreateBr(bodyB);
    loops_[f] = {endB, postB};
    b_.SetInsertPoint(bodyB);
    block(f->body.get());
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(postB);
    b_.SetInsertPoint(postB);
    stmt(f->post.get());
    loopBackEdge();
    b_.CreateBr(condB);
    b_.SetInsertPoint(endB);
    break;
  }
  case Stmt::Break:
  case Stmt::Continue: {
    auto *br = static_cast<BranchStmt *>(s);
    auto &targets = loops_.at(br->target);
    b_.CreateBr(s->kind == Stmt::Break ? targets.first : targets.second);
    startDeadBlock();
    break;
  }
  case Stmt::Fallthrough:
    b_.CreateBr(fallthrough_.at(s));
    startDeadBlock();
    break;
  case Stmt::Labeled: {
    // A label a goto jumps to starts a block of its own.
    auto *l = static_cast<LabeledStmt *>(s);
    if (BasicBlock *target = labelBlock(l)) {
      b_.CreateBr(target);
      b_.SetInsertPoint(target);
    }
    stmt(l->stmt.get());
    break;
  }
  case Stmt::Goto: {
    loopBackEdge(); // a backward goto makes a loop
    b_.CreateBr(labelBlock(static_cast<LabeledStmt *>(static_cast<BranchStmt *>(s)->target)));
    startDeadBlock();
    break;
  }
  case Stmt::Switch:
    switchStmt(static_cast<SwitchStmt *>(s));
    break;
  case Stmt::Go:
    goStmt(static_cast<GoStmt *>(s));
    break;
  case Stmt::Send:
    sendStmt(static_cast<SendStmt *>(s));
    break;
  case Stmt::Select:
    selectStmt(static_cast<SelectStmt *>(s));
    break;
  case Stmt::Defer:
    deferStmt(static_cast<DeferStmt *>(s));
    break;
  case Stmt::Return:
    returnStmt(static_cast<ReturnStmt *>(s));
    startDeadBlock();
    break;
  }
}

// deferStmt evaluates the callee (a func value) and the arguments now, into a block from
// mallocgc, and registers <function>.deferwrap<N>(block) with runtime.deferproc. The wrapper
// generates the call itself with those expressions bound to the block's fields, so a deferred
// builtin (println, panic), a declared function and a func value are called as in place.
// boundCall evaluates the expressions `bound` now into a heap block and makes `void
// name(block)`, which runs the call c with those values (the rest of c is generated again in
// it): what defer, and go with a built-in function, run later.
Function *IRGen::boundCall(CallExpr *c, const std::vector<Expr *> &bound, const std::string &name,
                           Value *&block) {
  std::vector<Value *> vals;
  std::vector<llvm::Type *> tys;
  for (Expr *e : bound) {
    vals.push_back(expr(e));
    tys.push_back(vals.back()->getType());
  }
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto *argsTy = StructType::get(ctx_, tys);
  block = ConstantPointerNull::get(ptrTy);
  if (!vals.empty()) {
    block = mallocgc(ConstantExpr::getSizeOf(argsTy), "callargs");
    for (unsigned i = 0; i < vals.size(); ++i)
      b_.CreateStore(vals[i], b_.CreateStructGEP(argsTy, block, i));
  }

  Function *w = generatedFn(FunctionType::get(b_.getVoidTy(), {ptrTy}, false), name);
  Function *outerFn = fn_;
  auto outerIP = b_.saveIP();
  DebugLoc outerLoc = b_.getCurrentDebugLocation();
  DISubprogram *outerSP = sp_;
  fn_ = w;
  b_.SetInsertPoint(BasicBlock::Create(ctx_, "entry", w));
  attachSubprogram(w, {}, /*artificial=*/true, b_);
  sp_ = w->getSubprogram();
  for (unsigned i = 0; i < bound.size(); ++i)
    bound_[bound[i]] = b_.CreateLoad(tys[i], b_.CreateStructGEP(argsTy, w->getArg(0), i));
  expr(c);
  bound_.clear();
  b_.CreateRetVoid();
  fn_ = outerFn;
  sp_ = outerSP;
  b_.restoreIP(outerIP);
  b_.SetCurrentDebugLocation(outerLoc);

  return w;
}

void IRGen::deferStmt(DeferStmt *s) {
  auto *c = static_cast<CallExpr *>(unparen(s->call.get()));
  Expr *callee = unparen(c->callee.get());
  Object *o = calleeObject(callee);
  std::vector<Expr *> bound;
  if (SelectorExpr *m = methodCallee(callee)) // defer x.M(args): the receiver is evaluated now
    bound.push_back(m->base.get());
  else if (!o || (o->kind != Object::Func && o->kind != Object::Builtin))
    bound.push_back(c->callee.get());
  for (auto &a : c->args)
    bound.push_back(a.get());
  Value *block;
  Function *w = boundCall(c, bound, funcName_ + ".deferwrap" + std::to_string(++deferCount_), block);
  auto ptrTy = PointerType::getUnqual(ctx_);
  // deferproc returns 0; it returns again, with 1, when a call this frame deferred recovers
  // a panic: then the frame runs its other deferred calls and returns (Go's deferproc).
  Function *dp = runtimeFn("runtime.deferproc", b_.getInt32Ty(), {ptrTy, ptrTy, ptrTy});
  dp->addFnAttr(Attribute::ReturnsTwice);
  CallInst *r = b_.CreateCall(dp, {deferFrame_, w, block});
  r->addFnAttr(Attribute::ReturnsTwice);
  BasicBlock *cont = BasicBlock::Create(ctx_, "deferred", fn_);
  b_.CreateCondBr(b_.CreateICmpNE(r, b_.getInt32(0)), recoveredBlock(), cont);
  b_.SetInsertPoint(cont);
}

// recoveredBlock is the path of a deferproc call returning 1: the frame's remaining deferred
// calls run, and the function returns its results as they are.
BasicBlock *IRGen::recoveredBlock() {
  if (recoveredB_)
    return recoveredB_;
  recoveredB_ = BasicBlock::Create(ctx_, "recovered", fn_);
  auto ip = b_.saveIP();
  b_.SetInsertPoint(recoveredB_);
  deferreturn();
  ret(loadResults());
  b_.restoreIP(ip);
  return recoveredB_;
}

// storeResults sets the results of a function that defers calls, or the named results.
void IRGen::storeResults(const std::vector<Value *> &vals) {
  for (size_t i = 0; i < vals.size(); ++i) {
    if (Object *o = fd_->results[i].name.obj)
      b_.CreateStore(vals[i], varAddr(o));
    else if (i < resultSlots_.size() && resultSlots_[i])
      b_.CreateStore(vals[i], resultSlots_[i], /*isVolatile=*/true);
  }
}

// loadResults reads the results' current values: named results' variables, the unnamed
// results' slots of a function that defers calls, zero otherwise.
std::vector<Value *> IRGen::loadResults() {
  std::vector<Value *> vals;
  for (size_t i = 0; i < fd_->results.size(); ++i) {
    auto &res = fd_->results[i];
    llvm::Type *ty = lower(res.type->resolved);
    if (res.name.obj)
      vals.push_back(b_.CreateLoad(ty, varAddr(res.name.obj)));
    else if (i < resultSlots_.size() && resultSlots_[i])
      vals.push_back(b_.CreateLoad(ty, resultSlots_[i], /*isVolatile=*/true));
    else
      vals.push_back(Constant::getNullValue(ty));
  }
  return vals;
}

// ret returns vals (none, one, or an aggregate of several).
void IRGen::ret(const std::vector<Value *> &vals) {
  if (vals.empty()) {
    b_.CreateRetVoid();
    return;
  }
  if (vals.size() == 1) {
    b_.CreateRet(vals[0]);
    return;
  }
  Value *agg = UndefValue::get(fn_->getReturnType());
  for (unsigned i = 0; i < vals.size(); ++i)
    agg = b_.CreateInsertValue(agg, vals[i], i);
  b_.CreateRet(agg);
}

// deferreturn runs the calls this frame deferred, last first (Go's runtime.deferreturn).
// Each return's call stays its own (nomerge), so a traceback from a deferred call shows the
// return that ran it, as gc's does.
void IRGen::deferreturn() {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Function *f = runtimeFn("runtime.deferreturn", b_.getVoidTy(), {ptrTy});
  f->addFnAttr(Attribute::NoMerge);
  b_.CreateCall(f, {deferFrame_});
}

// returnStmt returns the values, or the named results' current values for a bare return.
void IRGen::returnStmt(ReturnStmt *r) {
  std::vector<Value *> vals;
  for (auto &e : r->results)
    vals.push_back(expr(e.get()));
  if (fd_->hasDefer) {
    // Go sets the results, then runs the deferred calls, which may change named results.
    storeResults(vals);
    deferreturn();
    vals = loadResults();
  } else if (vals.empty()) {
    vals = loadResults(); // a bare return of named results
  }
  ret(vals);
}

// switchStmt evaluates the tag once, then the case values top to bottom and left to right
// until one equals it; the default clause runs when none does, wherever it is written.
void IRGen::switchStmt(SwitchStmt *s) {
  if (s->typeSwitch)
    return typeSwitch(s);
  stmt(s->init.get());
  Value *tag = s->tag ? expr(s->tag.get()) : nullptr;
  BasicBlock *endB = BasicBlock::Create(ctx_, "switch.end", fn_);
  std::vector<BasicBlock *> bodies;
  BasicBlock *defaultB = endB;
  for (auto &c : s->clauses) {
    bodies.push_back(BasicBlock::Create(ctx_, c.isDefault ? "switch.default" : "switch.case", fn_));
    if (c.isDefault)
      defaultB = bodies.back();
  }
  for (size_t i = 0; i < s->clauses.size(); ++i)
    for (auto &v : s->clauses[i].values) {
      setLoc(v->loc);
      Value *val = expr(v.get());
      Value *match = tag ? compare(Tok::Eql, tag, val, s->tag->type) : val;
      BasicBlock *next = BasicBlock::Create(ctx_, "switch.next", fn_);
      b_.CreateCondBr(match, bodies[i], next);
      b_.SetInsertPoint(next);
    }
  b_.CreateBr(defaultB);
  loops_[s] = {endB, nullptr};
  for (size_t i = 0; i < s->clauses.size(); ++i) {
    b_.SetInsertPoint(bodies[i]);
    for (auto &st : s->clauses[i].body) {
      Stmt *f = st.get();
      while (f->kind == Stmt::Labeled)
        f = static_cast<LabeledStmt *>(f)->stmt.get();
      if (f->kind == Stmt::Fallthrough) // Sema allows it only where a next clause exists
        fallthrough_[f] = bodies[i + 1];
      stmt(st.get());
    }
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(endB);
  }
  b_.SetInsertPoint(endB);
}

// addr is the address of a variable, of *p (after p's nil check), or of an element or field
// of a slice, an addressable array or an addressable struct.
Value *IRGen::addr(Expr *lvalue) {
  Expr *u = unparen(lvalue);
  if (u->kind == Expr::Index && static_cast<IndexExpr *>(u)->base->type->isMap())
    return mapAssignAddr(static_cast<IndexExpr *>(u)); // m[k] = v, m[k]++
  if (u->kind == Expr::Index)
    return elemAddr(static_cast<IndexExpr *>(u));
  if (u->kind == Expr::Selector)
    return static_cast<SelectorExpr *>(u)->obj ? varAddr(static_cast<SelectorExpr *>(u)->obj)
                                               : fieldAddr(static_cast<SelectorExpr *>(u));
  if (u->kind == Expr::Unary)
    return nilCheck(expr(static_cast<UnaryExpr *>(u)->operand.get()));
  return varAddr(static_cast<IdentExpr *>(u)->obj);
}

void IRGen::assignStmt(AssignStmt *s) {
  if (s->op == Tok::Assign) {
    // Go evaluates all right-hand sides before assigning (a, b = b, a).
    std::vector<Value *> vals;
    for (auto &r : s->rhs)
      vals.push_back(expr(r.get()));
    for (size_t i = 0; i < s->lhs.size(); ++i) {
      Expr *u = unparen(s->lhs[i].get());
      if (u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->name == "_")
        continue;
      storeValue(vals[i], addr(s->lhs[i].get()));
    }
    return;
  }
  Tok op = Tok(int(s->op) - int(Tok::AddAssign) + int(Tok::Add));
  Expr *l = s->lhs[0].get(), *r = s->rhs[0].get();
  if (Expr *u = unparen(l); u->kind == Expr::Index && static_cast<IndexExpr *>(u)->base->type->isMap())
    return mapOpAssign(op, static_cast<IndexExpr *>(u), r);
  Value *p = addr(l);
  Value *lv = b_.CreateLoad(lower(l->type), p);
  Value *rv = expr(r);
  Value *res;
  if (op == Tok::Shl || op == Tok::Shr)
    res = shift(op, lv, rv, l->type, r->type, r);
  else
    res = arith(op, lv, rv, l->type);
  b_.CreateStore(res, p);
}

// `go f(a, b)` copies the arguments into a heap block and asks the runtime for a goroutine
// that runs the statement's wrapper on it: newproc(main.g.gowrap1, block) in function g. The wrapper unpacks the block
// and calls f; its return address on the new stack is the runtime's goexit.
void IRGen::goStmt(GoStmt *s) {
  auto *c = static_cast<CallExpr *>(unparen(s->call.get()));
  Expr *callee = unparen(c->callee.get());
  Object *o = calleeObject(callee);
  if (o && o->kind == Object::Builtin) {
    // go println(x), go close(c): the arguments are evaluated now, the built-in runs on the
    // new goroutine.
    std::vector<Expr *> bound;
    for (auto &a : c->args)
      bound.push_back(a.get());
    Value *block;
    Function *w = boundCall(c, bound, funcName_ + ".gowrap" + std::to_string(++goCount_), block);
    auto ptrTy = PointerType::getUnqual(ctx_);
    b_.CreateCall(runtimeFn("runtime.newproc", b_.getVoidTy(), {ptrTy, ptrTy}), {w, block});
    return;
  }
  SelectorExpr *m = methodCallee(callee);
  bool direct = (o && o->kind == Object::Func) || m;
  Function *f = m ? declare(m->method) : direct ? declare(o) : nullptr;
  auto ptrTy = PointerType::getUnqual(ctx_);
  Function *newproc = runtimeFn("runtime.newproc", b_.getVoidTy(), {ptrTy, ptrTy});
  const toy::Type *ft = c->callee->type;
  if (direct && !m && ft->params.empty() && ft->results.empty()) {
    // go g() for a function g(): as gc does, the goroutine starts in g itself, no wrapper (a
    // traceback of it, not yet started, shows main.g at its line).
    b_.CreateCall(newproc, {f, ConstantPointerNull::get(ptrTy)});
    return;
  }
  if (!direct && ft->params.empty() && ft->results.empty()) {
    // go v() for a func value v of type func(): as in Go, newproc gets v itself, its code
    // called with the environment, and a nil v stops in newproc with "go of nil func value".
    Value *v = expr(c->callee.get());
    b_.CreateCall(newproc, {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
    return;
  }
  std::vector<Value *> vals;
  std::vector<llvm::Type *> tys;
  if (!direct) {
    // go v(args) for a func value v: the closure travels in the block's first field.
    vals.push_back(expr(c->callee.get()));
    tys.push_back(vals.back()->getType());
  }
  if (m) { // go x.M(args): the receiver is evaluated now, and passed first
    vals.push_back(expr(m->base.get()));
    tys.push_back(vals.back()->getType());
  }
  for (auto &a : c->args) {
    vals.push_back(expr(a.get()));
    tys.push_back(vals.back()->getType());
  }
  auto *argsTy = StructType::get(ctx_, tys);
  Value *block = ConstantPointerNull::get(ptrTy);
  if (!vals.empty()) {
    block = mallocgc(ConstantExpr::getSizeOf(argsTy), "goargs");
    for (unsigned i = 0; i < vals.size(); ++i)
      b_.CreateStore(vals[i], b_.CreateStructGEP(argsTy, block, i));
  }
  Function *w = direct ? goWrapper(f, argsTy, s->loc) : goValueWrapper(ft, argsTy, s->loc);
  // The function the goroutine starts in, for the trace's names: the callee, or a function
  // literal's code (go func(x int) {...}(i)); a func value's is known only when it runs.
  if (!direct) {
    Value *v = vals[0];
    for (; auto *ins = dyn_cast<InsertValueInst>(v); v = ins->getAggregateOperand())
      if (!f && ins->getIndices().size() == 1 && ins->getIndices()[0] == 0)
        f = dyn_cast<Function>(ins->getInsertedValueOperand());
    if (auto *cv = dyn_cast<Constant>(v); cv && !f)
      f = dyn_cast_or_null<Function>(cv->getAggregateElement(0u));
  }
  if (f)
    gostarts_.push_back({w, f});
  b_.CreateCall(newproc, {w, block});
}

// toy.gostarts lists {wrapper, function} for every go statement whose wrapper calls a known
// function, ending with a null pair: the runtime's trace names a goroutine started in a
// wrapper by the function it calls (g7 main.worker, not main.main.gowrap1).
void IRGen::emitGoStarts() {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto *pairTy = StructType::get(ctx_, {ptrTy, ptrTy});
  std::vector<Constant *> rows;
  for (auto [w, f] : gostarts_)
    rows.push_back(ConstantStruct::get(pairTy, {w, f}));
  rows.push_back(ConstantStruct::get(pairTy, {ConstantPointerNull::get(ptrTy),
                                              ConstantPointerNull::get(ptrTy)}));
  auto *arrTy = ArrayType::get(pairTy, rows.size());
  new GlobalVariable(*mod_, arrTy, /*isConstant=*/true, GlobalValue::ExternalLinkage,
                     ConstantArray::get(arrTy, rows), "toy.gostarts");
}

// Starts the go statement's wrapper `void <function>.gowrap<N>(ptr block)` (Go's naming, one
// per go statement): an artificial function whose builder wb is left after the loads of the
// block's fields.
Function *IRGen::startGoWrapper(llvm::StructType *argsTy, IRBuilder<> &wb,
                                std::vector<Value *> &fields, SourceLoc loc) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  Function *w = generatedFn(FunctionType::get(b_.getVoidTy(), {ptrTy}, false),
                            funcName_ + ".gowrap" + std::to_string(++goCount_));
  wb.SetInsertPoint(BasicBlock::Create(ctx_, "entry", w));
  attachSubprogram(w, loc, /*artificial=*/true, wb);
  for (unsigned i = 0; i < argsTy->getNumElements(); ++i)
    fields.push_back(
        wb.CreateLoad(argsTy->getElementType(i), wb.CreateStructGEP(argsTy, w->getArg(0), i)));
  return w;
}

// The wrapper for go with a func value, which travels in the block's first field. It calls
// the value as a call expression does, so a nil one panics on the new goroutine, as in Go.
Function *IRGen::goValueWrapper(const toy::Type *ft, llvm::StructType *argsTy, SourceLoc loc) {
  IRBuilder<> wb(ctx_);
  std::vector<Value *> vals;
  Function *w = startGoWrapper(argsTy, wb, vals, loc);
  Function *outerFn = fn_;
  auto outerIP = b_.saveIP();
  DebugLoc outerLoc = b_.getCurrentDebugLocation();
  fn_ = w;
  b_.SetInsertPoint(wb.GetInsertBlock());
  b_.SetCurrentDebugLocation(wb.getCurrentDebugLocation());
  callValue(vals[0], ft, ArrayRef<Value *>(vals).drop_front());
  b_.CreateRetVoid();
  fn_ = outerFn;
  b_.restoreIP(outerIP);
  b_.SetCurrentDebugLocation(outerLoc);
  return w;
}

// The wrapper for go with a declared function: it calls callee with the block's fields.
Function *IRGen::goWrapper(Function *callee, llvm::StructType *argsTy, SourceLoc loc) {
  IRBuilder<> wb(ctx_);
  std::vector<Value *> args;
  Function *w = startGoWrapper(argsTy, wb, args, loc);
  wb.CreateCall(callee, args);
  wb.CreateRetVoid();
  return w;
}

Value *IRGen::stringConst(const std::string &s) {
  auto it = strings_.find(s);
  if (it != strings_.end())
    return it->second;
  Constant *data = ConstantDataArray::getString(ctx_, s, /*AddNull=*/false);
  auto *gv =
      new GlobalVariable(*mod_, data->getType(), true, GlobalValue::PrivateLinkage, data, "str");
  gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(Align(1));
  Constant *v = ConstantStruct::get(stringTy(), {gv, b_.getInt64(s.size())});
  strings_[s] = v;
  return v;
}

Value *IRGen::constant(Expr *e) {
  if (e->type->isFloat()) {
    // Sema rounded the value to the type, so this conversion is exact.
    APFloat v = e->constFloat.value();
    bool lost;
    v.convert(e->type->kind == toy::Type::Float32 ? APFloat::IEEEsingle() : APFloat::IEEEdouble(),
              APFloat::rmNearestTiesToEven, &lost);
    return ConstantFP::get(ctx_, v);
  }
  return ConstantInt::get(lower(e->type), e->constVal.low64(), true);
}

Value *IRGen::expr(Expr *e) {
  if (!bound_.empty()) // in a defer wrapper: the callee and arguments were evaluated before
    if (auto it = bound_.find(e); it != bound_.end())
      return it->second;
  if (e->isConst && (e->type->isNumeric() || e->type->isBoolean()))
    return constant(e);
  if (e->isConstString)
    return stringConst(constString(e));
  switch (e->kind) {
  case Expr::IntLit:
  case Expr::FloatLit:
    return constant(e);
  case Expr::StringLit: // a constant, folded above
    break;
  case Expr::Ident: {
    Object *o = static_cast<IdentExpr *>(e)->obj; // constants (true, false) are folded above
    if (o->kind == Object::Func)
      return funcValue(o);
    if (o->kind == Object::Const) // nil, typed by its use as a slice or func value
      return Constant::getNullValue(lower(e->type));
    return b_.CreateLoad(lower(o->type), addr(e), o->name);
  }
  case Expr::Paren:
    return expr(static_cast<ParenExpr *>(e)->inner.get());
  case Expr::Unary: {
    auto *u = static_cast<UnaryExpr *>(e);
    if (u->op == Tok::Arrow)
      return recv(u);
    if (u->op == Tok::And && unparen(u->operand.get())->kind == Expr::CompositeLit) {
      // &T{…}: the literal's value in a new heap variable
      Value *box = mallocgc(elemSize(u->operand->type), "lit");
      b_.CreateStore(expr(u->operand.get()), box);
      return box;
    }
    if (u->op == Tok::And) // Sema put a variable whose address is taken in a heap box
      return addr(u->operand.get());
    if (u->op == Tok::Mul)
      return b_.CreateLoad(lower(e->type), addr(e));
    Value *v = expr(u->operand.get());
    switch (u->op) {
    case Tok::Sub:
      return e->type->isFloat() ? b_.CreateFNeg(v) : b_.CreateNeg(v);
    case Tok::Xor:
    case Tok::Not:
      return b_.CreateNot(v);
    default:
      return v;
    }
  }
  case Expr::Binary:
    return binary(static_cast<BinaryExpr *>(e));
  case Expr::Call:
    return call(static_cast<CallExpr *>(e));
  case Expr::FuncLit:
    return funcLit(static_cast<FuncLitExpr *>(e));
  case Expr::TupleElem: {
    // Element 0 runs the call (values are evaluated left to right); the others reuse it.
    auto *t = static_cast<TupleElemExpr *>(e);
    if (t->owned)
      tuples_[t->call] = expr(t->call);
    return b_.CreateExtractValue(tuples_.at(t->call), t->index);
  }
  case Expr::Selector: {
    auto *s = static_cast<SelectorExpr *>(e);
    if (s->imethod >= 0)
      return ifaceMethodValue(s);
    if (s->method || s->methodExpr)
      return s->methodExpr ? methodExprValue(s) : methodValue(s);
    if (!s->obj) // a struct field
      return field(s);
    Object *o = s->obj; // a member of an imported package (constants are folded above)
    if (o->kind == Object::Func)
      return funcValue(o);
    return b_.CreateLoad(lower(o->type), varAddr(o), o->name);
  }
  case Expr::Index:
    if (static_cast<IndexExpr *>(e)->base->type->isMap())
      return mapIndex(static_cast<IndexExpr *>(e));
    return index(static_cast<IndexExpr *>(e));
  case Expr::Slice:
    return sliceExpr(static_cast<SliceExpr *>(e));
  case Expr::CompositeLit:
    return compositeLit(static_cast<CompositeLitExpr *>(e));
  case Expr::TypeE: // only as make's argument, which builtin() reads
    break;
  case Expr::TypeAssert:
    return typeAssert(static_cast<TypeAssertExpr *>(e));
  case Expr::ImplicitConv: {
    Expr *in = static_cast<ImplicitConvExpr *>(e)->inner.get();
    return toIface(expr(in), in->type, e->type);
  }
  }
  return UndefValue::get(lower(e->type));
}

// A chain a + b + c + ... is a left-deep tree as long as the source: it is generated in a
// loop, from its first operand up, so no length exhausts the stack.
Value *IRGen::binary(BinaryExpr *e) {
  std::vector<BinaryExpr *> spine = {e};
  for (Expr *l = e->lhs.get(); l->kind == Expr::Binary && !l->isConst && !l->isConstString;
       l = spine.back()->lhs.get())
    spine.push_back(static_cast<BinaryExpr *>(l));
  // The innermost run of string +s (a + b + c + …) is one concatenation, as gc's walk does.
  size_t i = spine.size();
  auto isConcat = [](BinaryExpr *b) { return b->op == Tok::Add && b->type->isString(); };
  while (i > 0 && isConcat(spine[i - 1]))
    --i;
  if (spine.size() - i >= 2) {
    std::vector<Expr *> operands = {spine.back()->lhs.get()};
    for (size_t k = spine.size(); k-- > i;)
      operands.push_back(spine[k]->rhs.get());
    Value *v = concat(operands);
    while (i-- > 0)
      v = binaryOp(spine[i], v);
    return v;
  }
  Value *v = expr(spine.back()->lhs.get());
  for (size_t k = spine.size(); k-- > 0;)
    v = binaryOp(spine[k], v);
  return v;
}

// concat generates operands[0] + operands[1] + …, evaluated left to right: Go's
// concatstring2..5 for up to five operands, else concatstrings over an array of them on the
// stack. A longer chain is taken in runs of concatChunk operands, each run's result the first
// operand of the next, so the array stays small however long the chain.
Value *IRGen::concat(const std::vector<Expr *> &operands) {
  constexpr size_t concatChunk = 32;
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  std::vector<Value *> vals;
  Value *acc = nullptr;
  AllocaInst *arr = nullptr;
  auto flush = [&]() {
    size_t n = vals.size();
    if (n <= 5) {
      std::vector<llvm::Type *> ps;
      std::vector<Value *> args;
      for (Value *v : vals) {
        ps.insert(ps.end(), {ptrTy, i64});
        args.push_back(b_.CreateExtractValue(v, 0));
        args.push_back(b_.CreateExtractValue(v, 1));
      }
      acc = b_.CreateCall(runtimeFn("runtime.concatstring" + std::to_string(n), stringTy(), ps),
                          args);
    } else {
      if (!arr)
        arr = entryAlloca(ArrayType::get(stringTy(), concatChunk), "concat");
      for (size_t k = 0; k < n; ++k)
        b_.CreateStore(vals[k], b_.CreateConstGEP2_64(arr->getAllocatedType(), arr, 0, k));
      acc = b_.CreateCall(runtimeFn("runtime.concatstrings", stringTy(), {ptrTy, i64}),
                          {arr, b_.getInt64(int64_t(n))});
    }
    vals = {acc};
  };
  for (Expr *e : operands) {
    if (vals.size() == concatChunk)
      flush();
    vals.push_back(expr(e));
  }
  flush();
  return acc;
}

// l op r, with l already generated.
Value *IRGen::binaryOp(BinaryExpr *e, Value *l) {
  switch (e->op) {
  case Tok::LAnd:
  case Tok::LOr:
    return logical(e, l);
  case Tok::Shl:
  case Tok::Shr: {
    Value *r = expr(e->rhs.get());
    return shift(e->op, l, r, e->lhs->type, e->rhs->type, e->rhs.get());
  }
  case Tok::Eql:
  case Tok::Neq:
  case Tok::Lss:
  case Tok::Leq:
  case Tok::Gtr:
  case Tok::Geq: {
    Value *r = expr(e->rhs.get());
    return compare(e->op, l, r, e->lhs->type);
  }
  default: {
    Value *r = expr(e->rhs.get());
    if ((e->op == Tok::Quo || e->op == Tok::Rem) && e->rhs->isConst && e->type->isInteger())
      return divide(e->op, l, r, e->type,
                    !e->rhs->constVal.isZero() && e->rhs->constVal != ConstInt(-1));
    return arith(e->op, l, r, e->type);
  }
  }
}

Value *IRGen::arith(Tok op, Value *l, Value *r, const toy::Type *t) {
  if (t->isString()) {
    Function *f = runtimeFn("runtime.concatstring2", stringTy(),
                            {PointerType::getUnqual(ctx_), b_.getInt64Ty(),
                             PointerType::getUnqual(ctx_), b_.getInt64Ty()});
    return b_.CreateCall(f, {b_.CreateExtractValue(l, 0), b_.CreateExtractValue(l, 1),
                             b_.CreateExtractValue(r, 0), b_.CreateExtractValue(r, 1)});
  }
  if (t->isFloat()) {
    // IEEE arithmetic: a division by zero gives an infinity or NaN, not a panic.
    switch (op) {
    case Tok::Add:
      return b_.CreateFAdd(l, r);
    case Tok::Sub:
      return b_.CreateFSub(l, r);
    case Tok::Mul:
      return b_.CreateFMul(l, r);
    default:
      return b_.CreateFDiv(l, r);
    }
  }
  // Go's integer arithmetic wraps: no nsw/nuw flags.
  switch (op) {
  case Tok::Add:
    return b_.CreateAdd(l, r);
  case Tok::Sub:
    return b_.CreateSub(l, r);
  case Tok::Mul:
    return b_.CreateMul(l, r);
  case Tok::And:
    return b_.CreateAnd(l, r);
  case Tok::Or:
    return b_.CreateOr(l, r);
  case Tok::Xor:
    return b_.CreateXor(l, r);
  case Tok::AndNot:
    return b_.CreateAnd(l, b_.CreateNot(r));
  case Tok::Quo:
  case Tok::Rem:
    return divide(op, l, r, t, false);
  default:
    return l;
  }
}

// nilCheck is gc's nil check before p is dereferenced: runtime.panicmem when p is nil. The
// branch is marked !make.implicit: when the first access through p is a load or store at an
// offset below 4096, the code generator drops the compare and lets that access fault
// instead (Driver's enableImplicitNullChecks), as gc's nilcheckelim does; the SIGSEGV
// handler then panics with the fault's address, as Go's does.
Value *IRGen::nilCheck(Value *p) {
  BasicBlock *panicB = BasicBlock::Create(ctx_, "panic", fn_);
  BasicBlock *okB = BasicBlock::Create(ctx_, "ok", fn_);
  MDBuilder md(ctx_);
  BranchInst *br =
      b_.CreateCondBr(b_.CreateIsNull(p), panicB, okB, md.createBranchWeights(1, 1 << 20));
  br->setMetadata(LLVMContext::MD_make_implicit, MDNode::get(ctx_, {}));
  b_.SetInsertPoint(panicB);
  // nomerge: each check keeps a call of its own, with its own line, which the traceback
  // prints for the check and (Pclntab) for a load or store the check was folded into.
  b_.CreateCall(runtimeFn("runtime.panicmem", b_.getVoidTy(), {}, true))
      ->addFnAttr(Attribute::NoMerge);
  b_.CreateUnreachable();
  b_.SetInsertPoint(okB);
  return p;
}

void IRGen::panicIf(Value *cond, Function *panicFn) {
  BasicBlock *panicB = BasicBlock::Create(ctx_, "panic", fn_);
  BasicBlock *okB = BasicBlock::Create(ctx_, "ok", fn_);
  MDBuilder md(ctx_);
  b_.CreateCondBr(cond, panicB, okB, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(panicB);
  b_.CreateCall(panicFn);
  b_.CreateUnreachable();
  b_.SetInsertPoint(okB);
}

Value *IRGen::toInt64(Value *v, const toy::Type *t) {
  return t->isSigned() ? b_.CreateSExtOrTrunc(v, b_.getInt64Ty())
                       : b_.CreateZExtOrTrunc(v, b_.getInt64Ty());
}

// boundsCheck calls runtime.<panicFn>(x, y) unless 0 <= x < y (x <= y when inclusive): one
// unsigned comparison, as gc emits it. An unsigned index calls the U variant, which prints it
// as unsigned.
void IRGen::boundsCheck(Value *x, const toy::Type *xt, Value *y, bool inclusive,
                        const char *panicFn) {
  Value *bad = inclusive ? b_.CreateICmpUGT(x, y) : b_.CreateICmpUGE(x, y);
  std::string name = std::string("runtime.") + panicFn + (xt->isSigned() ? "" : "U");
  Function *f = runtimeFn(name, b_.getVoidTy(), {b_.getInt64Ty(), b_.getInt64Ty()}, true);
  BasicBlock *panicB = BasicBlock::Create(ctx_, "bounds.fail", fn_);
  BasicBlock *okB = BasicBlock::Create(ctx_, "bounds.ok", fn_);
  MDBuilder md(ctx_);
  b_.CreateCondBr(bad, panicB, okB, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(panicB);
  b_.CreateCall(f, {x, y});
  b_.CreateUnreachable();
  b_.SetInsertPoint(okB);
}

// elemAddr is &a[i] for an addressable array a or a slice, or &p[i] for an array pointer p
// (after p's nil check), after the bounds check (omitted for a constant index, which Sema
// checked).
Value *IRGen::elemAddr(IndexExpr *e) {
  const toy::Type *at = e->base->type;
  if (at->isArrayPointer()) {
    Value *p = nilCheck(expr(e->base.get()));
    Value *i = toInt64(expr(e->index.get()), e->index->type);
    if (!e->index->isConst)
      boundsCheck(i, e->index->type, b_.getInt64(at->elem->len), false, "panicIndex");
    return b_.CreateInBoundsGEP(lower(at->elem), p, {b_.getInt64(0), i});
  }
  if (at->isSlice()) {
    Value *s = expr(e->base.get());
    Value *i = toInt64(expr(e->index.get()), e->index->type);
    boundsCheck(i, e->index->type, b_.CreateExtractValue(s, 1), false, "panicIndex");
    return b_.CreateInBoundsGEP(lower(at->elem), b_.CreateExtractValue(s, 0), i);
  }
  Value *base = addr(e->base.get());
  Value *i = toInt64(expr(e->index.get()), e->index->type);
  if (!e->index->isConst)
    boundsCheck(i, e->index->type, b_.getInt64(at->len), false, "panicIndex");
  return b_.CreateInBoundsGEP(lower(at), base, {b_.getInt64(0), i});
}

// compositeLit is an array or struct literal: the zero value with each element inserted at its
// index (field); or a slice literal: a new zeroed array with each element stored at its index.
Value *IRGen::compositeLit(CompositeLitExpr *e) {
  if (e->type->isMap())
    return mapLit(e);
  if (e->type->isSlice()) {
    const toy::Type *elem = e->type->elem;
    Value *p = mallocgc(b_.CreateMul(elemSize(elem), b_.getInt64(e->length)), "slicelit");
    for (size_t i = 0; i < e->values.size(); ++i)
      b_.CreateStore(expr(e->values[i].get()),
                     b_.CreateInBoundsGEP(lower(elem), p, b_.getInt64(e->indices[i])));
    return makeSlice(p, b_.getInt64(e->length), b_.getInt64(e->length));
  }
  Value *v = Constant::getNullValue(lower(e->type));
  for (size_t i = 0; i < e->values.size(); ++i)
    v = b_.CreateInsertValue(v, expr(e->values[i].get()), unsigned(e->indices[i]));
  return v;
}

// structEqual compares two structs field by field, blank fields aside (Go's == on structs).
Value *IRGen::structEqual(Value *l, Value *r, const toy::Type *t) {
  Value *eq = b_.getTrue();
  for (unsigned i = 0; i < t->fields.size(); ++i)
    if (t->fields[i].name != "_")
      eq = b_.CreateAnd(eq, compare(Tok::Eql, b_.CreateExtractValue(l, i),
                                    b_.CreateExtractValue(r, i), t->fields[i].type));
  return eq;
}

// fieldAddr is the address of field f of an addressable struct (s.f, a[i].f) or of *p (p.f).
Value *IRGen::fieldAddr(SelectorExpr *e) {
  if (e->deref) // p.f: the field of *p, after p's nil check
    return b_.CreateStructGEP(lower(e->base->type->elem), nilCheck(expr(e->base.get())),
                              unsigned(e->field));
  return b_.CreateStructGEP(lower(e->base->type), addr(e->base.get()), unsigned(e->field));
}

// field is the value of s.f: loaded from an addressable struct, else taken from the value.
Value *IRGen::field(SelectorExpr *e) {
  if (addressable(e))
    return b_.CreateLoad(lower(e->type), fieldAddr(e));
  return b_.CreateExtractValue(expr(e->base.get()), unsigned(e->field));
}

// arrayEqual compares two arrays element by element (Go's == on arrays).
Value *IRGen::arrayEqual(Value *l, Value *r, const toy::Type *t) {
  Value *eq = b_.getTrue();
  for (int64_t i = 0; i < t->len; ++i) {
    Value *a = b_.CreateExtractValue(l, unsigned(i)), *b = b_.CreateExtractValue(r, unsigned(i));
    eq = b_.CreateAnd(eq, compare(Tok::Eql, a, b, t->elem));
  }
  return eq;
}

// index is a[i] of an array or s[i] of a string (the byte at i), after the bounds check.
Value *IRGen::index(IndexExpr *e) {
  const toy::Type *bt = e->base->type;
  if (bt->isSlice() || bt->isArrayPointer() || (bt->isArray() && addressable(e->base.get())))
    return b_.CreateLoad(lower(e->type), elemAddr(e));
  if (bt->isArray()) {
    // An array value (a call's result, a literal): index a temporary copy.
    Value *v = expr(e->base.get());
    AllocaInst *tmp = entryAlloca(lower(bt), "array.tmp");
    b_.CreateStore(v, tmp);
    Value *i = toInt64(expr(e->index.get()), e->index->type);
    if (!e->index->isConst)
      boundsCheck(i, e->index->type, b_.getInt64(bt->len), false, "panicIndex");
    return b_.CreateLoad(lower(e->type),
                         b_.CreateInBoundsGEP(lower(bt), tmp, {b_.getInt64(0), i}));
  }
  Value *s = expr(e->base.get());
  Value *i = toInt64(expr(e->index.get()), e->index->type);
  Value *n = b_.CreateExtractValue(s, 1);
  if (!(e->index->isConst && e->base->isConstString))
    boundsCheck(i, e->index->type, n, false, "panicIndex");
  Value *p = b_.CreateGEP(b_.getInt8Ty(), b_.CreateExtractValue(s, 0), i);
  return b_.CreateLoad(b_.getInt8Ty(), p);
}

// sliceExpr is s[lo:hi] or s[lo:hi:max] of a string, an addressable array or a slice, checked
// in Go's order: max <= cap, hi <= max (or cap; a string's length), then lo <= hi.
Value *IRGen::sliceExpr(SliceExpr *e) {
  const toy::Type *bt = e->base->type;
  Value *base, *len, *cap;
  if (bt->isArrayPointer()) {
    base = nilCheck(expr(e->base.get()));
    len = cap = b_.getInt64(bt->elem->len);
    bt = bt->elem;
  } else if (bt->isArray()) {
    base = addr(e->base.get());
    len = cap = b_.getInt64(bt->len);
  } else {
    Value *s = expr(e->base.get());
    base = b_.CreateExtractValue(s, 0);
    len = b_.CreateExtractValue(s, 1);
    cap = bt->isSlice() ? b_.CreateExtractValue(s, 2) : len;
  }
  Value *lo = e->lo ? toInt64(expr(e->lo.get()), e->lo->type) : b_.getInt64(0);
  Value *hi = e->hi ? toInt64(expr(e->hi.get()), e->hi->type) : len;
  Value *max = e->max ? toInt64(expr(e->max.get()), e->max->type) : cap;
  bool withLen = !bt->isSlice(); // a string's or array's bound is reported as its length
  if (e->slice3) {
    boundsCheck(max, e->max->type, cap, true, withLen ? "panicSlice3Alen" : "panicSlice3Acap");
    boundsCheck(hi, e->hi->type, max, true, "panicSlice3B");
    if (e->lo)
      boundsCheck(lo, e->lo->type, hi, true, "panicSlice3C");
  } else {
    if (e->hi)
      boundsCheck(hi, e->hi->type, cap, true, withLen ? "panicSliceAlen" : "panicSliceAcap");
    if (e->lo)
      boundsCheck(lo, e->lo->type, hi, true, "panicSliceB");
  }
  const toy::Type *elem = bt->isString() ? types_.uint8T() : bt->elem;
  Value *p = b_.CreateGEP(lower(elem), base, lo);
  if (bt->isString()) {
    Value *r = b_.CreateInsertValue(UndefValue::get(stringTy()), p, 0);
    return b_.CreateInsertValue(r, b_.CreateSub(hi, lo), 1);
  }
  return makeSlice(p, b_.CreateSub(hi, lo), b_.CreateSub(max, lo));
}

Value *IRGen::makeSlice(Value *p, Value *len, Value *cap) {
  Value *s = b_.CreateInsertValue(UndefValue::get(sliceTy()), p, 0);
  s = b_.CreateInsertValue(s, len, 1);
  return b_.CreateInsertValue(s, cap, 2);
}

Value *IRGen::elemSize(const toy::Type *elem) {
  return b_.getInt64(mod_->getDataLayout().getTypeAllocSize(lower(elem)));
}

// rangeStmt is `for k, v := range s` over a string: x is evaluated once; each iteration
// decodes the rune at the byte index k (ASCII inline, the rest by runtime.decoderune) and
// assigns k and v. The defined variables are declared once for the whole loop (Go 1.19).
void IRGen::rangeStmt(ForStmt *f) {
  if (f->rangeX->type->isArray() || f->rangeX->type->isSlice() ||
      f->rangeX->type->isArrayPointer())
    return rangeArray(f);
  if (f->rangeX->type->isChan())
    return rangeChan(f);
  if (f->rangeX->type->isMap())
    return rangeMap(f);
  auto i64 = b_.getInt64Ty();
  Value *x = expr(f->rangeX.get());
  if (f->rangeDefine)
    for (auto &n : f->rangeNames)
      if (n.obj)
        declareVar(n.obj, Constant::getNullValue(lower(n.obj->type)));
  Value *data = b_.CreateExtractValue(x, 0);
  Value *len = b_.CreateExtractValue(x, 1);
  AllocaInst *idx = entryAlloca(i64, "range.i");
  AllocaInst *next = entryAlloca(i64, "range.next");
  b_.CreateStore(b_.getInt64(0), idx);
  BasicBlock *condB = BasicBlock::Create(ctx_, "range.cond", fn_);
  BasicBlock *bodyB = BasicBlock::Create(ctx_, "range.body", fn_);
  BasicBlock *postB = BasicBlock::Create(ctx_, "range.post", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "range.end", fn_);
  b_.CreateBr(condB);
  b_.SetInsertPoint(condB);
  Value *i = b_.CreateLoad(i64, idx);
  b_.CreateCondBr(b_.CreateICmpSLT(i, len), bodyB, endB);
  b_.SetInsertPoint(bodyB);
  Value *c = b_.CreateLoad(b_.getInt8Ty(), b_.CreateGEP(b_.getInt8Ty(), data, i));
  Value *asciiR = b_.CreateZExt(c, b_.getInt32Ty());
  Value *asciiPos = b_.CreateAdd(i, b_.getInt64(1));
  BasicBlock *asciiB = b_.GetInsertBlock();
  BasicBlock *multiB = BasicBlock::Create(ctx_, "range.decode", fn_);
  BasicBlock *haveB = BasicBlock::Create(ctx_, "range.rune", fn_);
  b_.CreateCondBr(b_.CreateICmpULT(c, b_.getInt8(0x80)), haveB, multiB);
  b_.SetInsertPoint(multiB);
  auto *pairTy = StructType::get(ctx_, {b_.getInt32Ty(), i64});
  Value *d = b_.CreateCall(
      runtimeFn("runtime.decoderune", pairTy, {PointerType::getUnqual(ctx_), i64, i64}),
      {data, len, i});
  Value *dr = b_.CreateExtractValue(d, 0), *dpos = b_.CreateExtractValue(d, 1);
  b_.CreateBr(haveB);
  b_.SetInsertPoint(haveB);
  PHINode *r = b_.CreatePHI(b_.getInt32Ty(), 2, "rune");
  r->addIncoming(asciiR, asciiB);
  r->addIncoming(dr, multiB);
  PHINode *pos = b_.CreatePHI(i64, 2, "pos");
  pos->addIncoming(asciiPos, asciiB);
  pos->addIncoming(dpos, multiB);
  b_.CreateStore(pos, next);
  assignRangeVars(f, {i, r});
  loops_[f] = {endB, postB};
  block(f->body.get());
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(postB);
  b_.SetInsertPoint(postB);
  b_.CreateStore(b_.CreateLoad(i64, next), idx);
  loopBackEdge();
  b_.CreateBr(condB);
  b_.SetInsertPoint(endB);
}

// assignRangeVars assigns an iteration's key and value to the range clause's variables.
void IRGen::assignRangeVars(ForStmt *f, ArrayRef<Value *> vals) {
  for (size_t k = 0; k < f->rangeLhs.size(); ++k) {
    if (f->rangeDefine) {
      if (f->rangeNames[k].obj)
        b_.CreateStore(vals[k], varAddr(f->rangeNames[k].obj));
      continue;
    }
    Expr *l = unparen(f->rangeLhs[k].get());
    if (l->kind == Expr::Ident && static_cast<IdentExpr *>(l)->name == "_")
      continue;
    b_.CreateStore(vals[k], addr(l));
  }
}

// rangeArray is `for i, v := range a` over an array or a slice. An array with a value
// variable is evaluated once into a copy the loop reads; with at most the index, it is not
// evaluated (its length is constant), as the spec says. A slice is evaluated once; the loop
// reads its elements from the shared array.
void IRGen::rangeArray(ForStmt *f) {
  auto i64 = b_.getInt64Ty();
  const toy::Type *at = f->rangeX->type;
  AllocaInst *copy = nullptr;
  Value *sl = nullptr, *n = nullptr, *ptr = nullptr;
  if (at->isSlice()) {
    sl = expr(f->rangeX.get());
    n = b_.CreateExtractValue(sl, 1);
  } else if (at->isArrayPointer()) {
    // The elements are read through the pointer as the loop goes (no copy); with only the
    // key, len(p) is constant and p is not evaluated, as Go's spec says.
    if (f->rangeLhs.size() == 2)
      ptr = expr(f->rangeX.get());
    at = at->elem;
    n = b_.getInt64(at->len);
  } else {
    n = b_.getInt64(at->len);
  }
  if (at->isArray() && !ptr && f->rangeLhs.size() == 2) {
    copy = entryAlloca(lower(at), "range.copy");
    b_.CreateStore(expr(f->rangeX.get()), copy);
  }
  if (f->rangeDefine)
    for (auto &n : f->rangeNames)
      if (n.obj)
        declareVar(n.obj, Constant::getNullValue(lower(n.obj->type)));
  AllocaInst *idx = entryAlloca(i64, "range.i");
  b_.CreateStore(b_.getInt64(0), idx);
  BasicBlock *condB = BasicBlock::Create(ctx_, "range.cond", fn_);
  BasicBlock *bodyB = BasicBlock::Create(ctx_, "range.body", fn_);
  BasicBlock *postB = BasicBlock::Create(ctx_, "range.post", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "range.end", fn_);
  b_.CreateBr(condB);
  b_.SetInsertPoint(condB);
  Value *i = b_.CreateLoad(i64, idx);
  b_.CreateCondBr(b_.CreateICmpSLT(i, n), bodyB, endB);
  b_.SetInsertPoint(bodyB);
  std::vector<Value *> vals = {i};
  if (sl && f->rangeLhs.size() == 2)
    vals.push_back(b_.CreateLoad(lower(at->elem), b_.CreateInBoundsGEP(lower(at->elem),
                                                                       b_.CreateExtractValue(sl, 0), i)));
  else if (copy || ptr)
    vals.push_back(b_.CreateLoad(
        lower(at->elem),
        b_.CreateInBoundsGEP(lower(at), copy ? copy : nilCheck(ptr), {b_.getInt64(0), i})));
  assignRangeVars(f, vals);
  loops_[f] = {endB, postB};
  block(f->body.get());
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(postB);
  b_.SetInsertPoint(postB);
  b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64, idx), b_.getInt64(1)), idx);
  loopBackEdge();
  b_.CreateBr(condB);
  b_.SetInsertPoint(endB);
}

Value *IRGen::divide(Tok op, Value *l, Value *r, const toy::Type *t, bool knownSafe) {
  bool isQuo = op == Tok::Quo;
  if (!t->isSigned()) {
    if (!knownSafe)
      panicIf(b_.CreateICmpEQ(r, ConstantInt::get(r->getType(), 0)),
              runtimeFn("runtime.panicdivide", b_.getVoidTy(), {}, true));
    return isQuo ? b_.CreateUDiv(l, r) : b_.CreateURem(l, r);
  }
  if (knownSafe)
    return isQuo ? b_.CreateSDiv(l, r) : b_.CreateSRem(l, r);
  panicIf(b_.CreateICmpEQ(r, ConstantInt::get(r->getType(), 0)),
          runtimeFn("runtime.panicdivide", b_.getVoidTy(), {}, true));
  // x / -1 is -x in Go even for the most negative x, where the hardware would trap.
  Value *minusOne = b_.CreateICmpEQ(r, ConstantInt::getSigned(r->getType(), -1));
  Value *safeR = b_.CreateSelect(minusOne, ConstantInt::get(r->getType(), 1), r);
  Value *q = isQuo ? b_.CreateSDiv(l, safeR) : b_.CreateSRem(l, safeR);
  Value *special = isQuo ? b_.CreateNeg(l) : ConstantInt::get(r->getType(), 0);
  return b_.CreateSelect(minusOne, special, q);
}

Value *IRGen::shift(Tok op, Value *l, Value *r, const toy::Type *lt, const toy::Type *rt,
                    Expr *re) {
  unsigned width = l->getType()->getIntegerBitWidth();
  // A negative shift count panics in Go; a constant one was rejected by Sema.
  if (rt->isSigned() && !re->isConst)
    panicIf(b_.CreateICmpSLT(r, ConstantInt::get(r->getType(), 0)),
            runtimeFn("runtime.panicshift", b_.getVoidTy(), {}, true));
  // Compare the count in 64 bits, then shift in the operand's width.
  Value *r64 = b_.CreateZExtOrTrunc(r, b_.getInt64Ty());
  Value *big = b_.CreateICmpUGE(r64, b_.getInt64(width));
  Value *n = b_.CreateZExtOrTrunc(b_.CreateSelect(big, b_.getInt64(width - 1), r64), l->getType());
  if (op == Tok::Shl)
    return b_.CreateSelect(big, ConstantInt::get(l->getType(), 0), b_.CreateShl(l, n));
  if (lt->isSigned())
    return b_.CreateAShr(l, n); // counts past the width fill with the sign bit
  return b_.CreateSelect(big, ConstantInt::get(l->getType(), 0), b_.CreateLShr(l, n));
}

Value *IRGen::compare(Tok op, Value *l, Value *r, const toy::Type *t) {
  if (t->isInterface()) {
    Value *eq = ifaceEqual(l, r, t);
    return op == Tok::Eql ? eq : b_.CreateNot(eq);
  }
  if (t->isChan() || t->isMap()) {
    Value *eq = b_.CreateICmpEQ(l, r);
    return op == Tok::Eql ? eq : b_.CreateNot(eq);
  }
  if (t->isSlice() || t->kind == toy::Type::Func) {
    // One side is nil (Sema allows no other comparison): compare the array or code pointers.
    Value *eq = b_.CreateICmpEQ(b_.CreateExtractValue(l, 0), b_.CreateExtractValue(r, 0));
    return op == Tok::Eql ? eq : b_.CreateNot(eq);
  }
  if (t->isArray() && t->len > 4) {
    // As gc's walkCompare does, arrays of more than 4 elements compare through type..eq.T
    // rather than element by element inline.
    AllocaInst *lp = entryAlloca(l->getType(), "eq.l"), *rp = entryAlloca(r->getType(), "eq.r");
    b_.CreateStore(l, lp);
    b_.CreateStore(r, rp);
    Value *eq = b_.CreateCall(typeEqual(t), {lp, rp});
    return op == Tok::Eql ? eq : b_.CreateNot(eq);
  }
  if (t->isArray() || t->isStruct()) {
    Value *eq = t->isArray() ? arrayEqual(l, r, t) : structEqual(l, r, t);
    return op == Tok::Eql ? eq : b_.CreateNot(eq);
  }
  if (t->isString()) {
    Function *f = runtimeFn("runtime.cmpstring", b_.getInt64Ty(),
                            {PointerType::getUnqual(ctx_), b_.getInt64Ty(),
                             PointerType::getUnqual(ctx_), b_.getInt64Ty()});
    l = b_.CreateCall(f, {b_.CreateExtractValue(l, 0), b_.CreateExtractValue(l, 1),
                          b_.CreateExtractValue(r, 0), b_.CreateExtractValue(r, 1)});
    r = b_.getInt64(0);
    t = types_.intT();
  }
  if (t->isFloat()) {
    // Ordered comparisons are false for NaN; != is unordered, so NaN != NaN is true.
    switch (op) {
    case Tok::Eql:
      return b_.CreateFCmpOEQ(l, r);
    case Tok::Neq:
      return b_.CreateFCmpUNE(l, r);
    case Tok::Lss:
      return b_.CreateFCmpOLT(l, r);
    case Tok::Leq:
      return b_.CreateFCmpOLE(l, r);
    case Tok::Gtr:
      return b_.CreateFCmpOGT(l, r);
    default:
      return b_.CreateFCmpOGE(l, r);
    }
  }
  bool s = t->isSigned() && t->isInteger();
  switch (op) {
  case Tok::Eql:
    return b_.CreateICmpEQ(l, r);
  case Tok::Neq:
    return b_.CreateICmpNE(l, r);
  case Tok::Lss:
    return s ? b_.CreateICmpSLT(l, r) : b_.CreateICmpULT(l, r);
  case Tok::Leq:
    return s ? b_.CreateICmpSLE(l, r) : b_.CreateICmpULE(l, r);
  case Tok::Gtr:
    return s ? b_.CreateICmpSGT(l, r) : b_.CreateICmpUGT(l, r);
  default:
    return s ? b_.CreateICmpSGE(l, r) : b_.CreateICmpUGE(l, r);
  }
}

Value *IRGen::logical(BinaryExpr *e, Value *l) {
  bool isAnd = e->op == Tok::LAnd;
  BasicBlock *lhsEnd = b_.GetInsertBlock();
  BasicBlock *rhsB = BasicBlock::Create(ctx_, isAnd ? "and.rhs" : "or.rhs", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, isAnd ? "and.end" : "or.end", fn_);
  if (isAnd)
    b_.CreateCondBr(l, rhsB, endB);
  else
    b_.CreateCondBr(l, endB, rhsB);
  b_.SetInsertPoint(rhsB);
  Value *r = expr(e->rhs.get());
  BasicBlock *rhsEnd = b_.GetInsertBlock();
  b_.CreateBr(endB);
  b_.SetInsertPoint(endB);
  PHINode *phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getInt1(!isAnd), lhsEnd);
  phi->addIncoming(r, rhsEnd);
  return phi;
}

Value *IRGen::convert(Value *v, const toy::Type *from, const toy::Type *to) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  if (to->isString() && from->isSlice()) { // string(b), string(runes)
    bool bytes = identical(from->elem->underlying(), types_.uint8T());
    return b_.CreateCall(runtimeFn(bytes ? "runtime.slicebytetostring" : "runtime.slicerunetostring",
                                   stringTy(), {ptrTy, i64}),
                         {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
  }
  if (to->isString() && from->isInteger()) // string(r)
    return b_.CreateCall(runtimeFn("runtime.intstring", stringTy(), {i64}), {toInt64(v, from)});
  if (to->isSlice() && from->isString()) { // []byte(s), []rune(s)
    Value *p = b_.CreateExtractValue(v, 0), *n = b_.CreateExtractValue(v, 1);
    if (identical(to->elem->underlying(), types_.uint8T()))
      return makeSlice(
          b_.CreateCall(runtimeFn("runtime.stringtoslicebyte", ptrTy, {ptrTy, i64}), {p, n}), n, n);
    Value *r = b_.CreateCall(runtimeFn("runtime.stringtoslicerune",
                                       StructType::get(ctx_, {ptrTy, i64}), {ptrTy, i64}),
                             {p, n});
    Value *len = b_.CreateExtractValue(r, 1);
    return makeSlice(b_.CreateExtractValue(r, 0), len, len);
  }
  if (to->underlying()->isPointer() && from->underlying()->isSlice()) {
    // (*[N]T)(s): s's array, if len(s) >= N (Go's panicSliceConvert otherwise).
    int64_t n = to->underlying()->elem->underlying()->len;
    boundsCheck(b_.getInt64(n), types_.intT(), b_.CreateExtractValue(v, 1), true,
                "panicSliceConvert");
    return b_.CreateExtractValue(v, 0);
  }
  llvm::Type *ty = lower(to);
  if (v->getType() == ty)
    return v;
  if (from->isInteger() && to->isInteger())
    return from->isSigned() ? b_.CreateSExtOrTrunc(v, ty) : b_.CreateZExtOrTrunc(v, ty);
  if (from->isInteger() && to->isFloat())
    return from->isSigned() ? b_.CreateSIToFP(v, ty) : b_.CreateUIToFP(v, ty);
  if (from->isFloat() && to->isInteger())
    return floatToInt(v, to);
  if (from->isFloat() && to->isFloat())
    return b_.CreateFPCast(v, ty);
  return v;
}

// floatToInt converts as gc does on amd64: CVTTSD2SQ or CVTTSD2SL (toward zero; the most
// negative value for NaN and out-of-range values) into int64 or int32, then truncation; uint64
// subtracts 2**63 from large values first and sets the top bit again.
Value *IRGen::floatToInt(Value *v, const toy::Type *to) {
  bool f32 = v->getType()->isFloatTy();
  auto cvt = [&](Value *x, bool to64) {
    Intrinsic::ID id = f32 ? (to64 ? Intrinsic::x86_sse_cvttss2si64 : Intrinsic::x86_sse_cvttss2si)
                           : (to64 ? Intrinsic::x86_sse2_cvttsd2si64 : Intrinsic::x86_sse2_cvttsd2si);
    auto *vecTy = FixedVectorType::get(x->getType(), f32 ? 4 : 2);
    Value *vec = b_.CreateInsertElement(PoisonValue::get(vecTy), x, uint64_t(0));
    return b_.CreateIntrinsic(id, {}, {vec});
  };
  llvm::Type *ty = lower(to);
  if (to->isUnsigned() && to->bits() == 64) {
    Constant *cutoff = ConstantFP::get(v->getType(), 9223372036854775808.0);
    Value *big = b_.CreateOr(cvt(b_.CreateFSub(v, cutoff), true), b_.getInt64(INT64_MIN));
    return b_.CreateSelect(b_.CreateFCmpOLT(v, cutoff), cvt(v, true), big);
  }
  if (to->bits() == 64 || to->kind == toy::Type::Uint32)
    return b_.CreateTrunc(cvt(v, true), ty);
  return b_.CreateTrunc(cvt(v, false), ty);
}

Value *IRGen::call(CallExpr *e) {
  Expr *callee = unparen(e->callee.get());
  Object *o = calleeObject(callee);
  if (o && o->kind == Object::Builtin)
    return builtin(e, o->builtin);
  if (e->conversion)
    return convert(expr(e->args[0].get()), e->args[0]->type, e->type);
  if (callee->kind == Expr::TypeE)
    return convert(expr(e->args[0].get()), e->args[0]->type, e->type);
  if (o && o->kind == Object::Func) {
    Function *f = declare(o);
    std::vector<Value *> args;
    for (auto &a : e->args)
      args.push_back(expr(a.get()));
    return b_.CreateCall(f, args);
  }
  if (SelectorExpr *m = methodCallee(callee))
    return methodCall(e, m);
  // x.M(…) through an interface; in a defer wrapper the method value x.M was bound instead.
  if (callee->kind == Expr::Selector && static_cast<SelectorExpr *>(callee)->imethod >= 0 &&
      !bound_.count(e->callee.get()))
    return ifaceCall(e, static_cast<SelectorExpr *>(callee));
  // A call through a func value: the callee is evaluated before the arguments, as in Go.
  Value *closure = expr(e->callee.get());
  std::vector<Value *> args;
  for (auto &a : e->args)
    args.push_back(expr(a.get()));
  return callValue(closure, e->callee->type, args);
}

Value *IRGen::builtin(CallExpr *e, int id) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  auto voidTy = b_.getVoidTy();
  switch (id) {
  case BPrint:
  case BPrintln: {
    std::vector<Value *> vals;
    for (auto &a : e->args)
      vals.push_back(expr(a.get()));
    // Go's print statement holds the print lock so its output is not interleaved.
    b_.CreateCall(runtimeFn("runtime.printlock", voidTy, {}));
    for (size_t i = 0; i < vals.size(); ++i) {
      if (id == BPrintln && i > 0)
        b_.CreateCall(runtimeFn("runtime.printsp", voidTy, {}));
      const toy::Type *t = e->args[i]->type;
      Value *v = vals[i];
      if (t->isString())
        b_.CreateCall(runtimeFn("runtime.printstring", voidTy, {ptrTy, i64}),
                      {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
      else if (t->isSlice())
        b_.CreateCall(runtimeFn("runtime.printslice", voidTy, {ptrTy, i64, i64}),
                      {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1),
                       b_.CreateExtractValue(v, 2)});
      else if (t->isChan() || t->isMap())
        b_.CreateCall(runtimeFn("runtime.printpointer", voidTy, {ptrTy}), {v});
      else if (t->kind == toy::Type::Func)
        // Differs from Go: gc prints the address of the func value's closure record; toy's
        // func value is a pair (code, environment), and it prints the code's address (0x0
        // for a nil func, as gc's).
        b_.CreateCall(runtimeFn("runtime.printpointer", voidTy, {ptrTy}),
                      {b_.CreateExtractValue(v, 0)});
      else if (t->isInterface())
        b_.CreateCall(runtimeFn(t->fields.empty() ? "runtime.printeface" : "runtime.printiface",
                                voidTy, {ptrTy, ptrTy}),
                      {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
      else if (t->isBoolean())
        b_.CreateCall(runtimeFn("runtime.printbool", voidTy, {b_.getInt1Ty()}), {v});
      else if (t->isPointer())
        b_.CreateCall(runtimeFn("runtime.printpointer", voidTy, {ptrTy}), {v});
      else if (t->isFloat()) // float32 values print as float64, as in Go
        b_.CreateCall(runtimeFn("runtime.printfloat", voidTy, {b_.getDoubleTy()}),
                      {b_.CreateFPExt(v, b_.getDoubleTy())});
      else if (!t->isSigned())
        b_.CreateCall(runtimeFn("runtime.printuint", voidTy, {i64}), {b_.CreateZExt(v, i64)});
      else
        b_.CreateCall(runtimeFn("runtime.printint", voidTy, {i64}), {b_.CreateSExt(v, i64)});
    }
    if (id == BPrintln)
      b_.CreateCall(runtimeFn("runtime.printnl", voidTy, {}));
    b_.CreateCall(runtimeFn("runtime.printunlock", voidTy, {}));
    return nullptr;
  }
  case BClose:
    return chanBuiltin(e, id);
  case BDelete:
    return mapBuiltin(e, id);
  case BCap:
  case BAppend:
  case BCopy:
  case BMake:
    if (e->args[0]->type->isChan())
      return chanBuiltin(e, id);
    if (e->args[0]->type->isMap())
      return mapBuiltin(e, id);
    return sliceBuiltin(e, id);
  case BNew: // a zeroed heap variable of the type
    return mallocgc(elemSize(e->type->elem), "new");
  case BLen:
    if (e->args[0]->type->isChan())
      return chanBuiltin(e, id);
    if (e->args[0]->type->isMap())
      return mapBuiltin(e, id);
    if (e->args[0]->type->isArray()) { // not constant: the operand still runs
      expr(e->args[0].get());
      return b_.getInt64(e->args[0]->type->len);
    }
    if (e->args[0]->type->isArrayPointer()) { // the operand runs; it is not dereferenced
      expr(e->args[0].get());
      return b_.getInt64(e->args[0]->type->elem->len);
    }
    return b_.CreateExtractValue(expr(e->args[0].get()), 1);
  case BRecover: {
    // gorecover(fp, string's descriptor): fp, this function's frame address, lets the runtime
    // check that a deferred call called it directly (through wrappers at most), as Go's
    // argp; a function that recovers is not inlined, so that its frame stays its own.
    fn_->addFnAttr(Attribute::NoInline);
    Value *fp = b_.CreateCall(
        Intrinsic::getDeclaration(mod_.get(), Intrinsic::frameaddress, {ptrTy}),
        {b_.getInt32(0)});
    return b_.CreateCall(runtimeFn("runtime.gorecover", lower(types_.emptyInterface()),
                                   {ptrTy, ptrTy}),
                         {fp, typeDesc(types_.stringT())});
  }
  case BPanic: {
    // gopanic(v interface{}): Sema made the argument an interface{}.
    Value *v = expr(e->args[0].get());
    b_.CreateCall(runtimeFn("runtime.gopanic", voidTy, {ptrTy, ptrTy}, true),
                  {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
    b_.CreateUnreachable();
    startDeadBlock();
    return nullptr;
  }
  }
  return nullptr;
}

// sliceBuiltin generates cap, make (runtime.makeslice), copy (memmove of the shorter length)
// and append: the new elements go after the old ones, in place when the capacity allows,
// else in the array runtime.growslice returns.
Value *IRGen::sliceBuiltin(CallExpr *e, int id) {
  auto ptrTy = PointerType::getUnqual(ctx_);
  auto i64 = b_.getInt64Ty();
  auto &args = e->args;
  switch (id) {
  case BCap:
    if (args[0]->type->isArray() || args[0]->type->isArrayPointer()) {
      expr(args[0].get());
      const toy::Type *at = args[0]->type;
      return b_.getInt64(at->isArray() ? at->len : at->elem->len);
    }
    return b_.CreateExtractValue(expr(args[0].get()), 2);
  case BMake: {
    const toy::Type *elem = args[0]->type->elem;
    Value *len = toInt64(expr(args[1].get()), args[1]->type);
    Value *cap = args.size() == 3 ? toInt64(expr(args[2].get()), args[2]->type) : len;
    Value *p = b_.CreateCall(runtimeFn("runtime.makeslice", ptrTy, {i64, i64, i64}),
                             {elemSize(elem), len, cap});
    return makeSlice(p, len, cap);
  }
  case BCopy: {
    Value *d = expr(args[0].get()), *s = expr(args[1].get());
    Value *dn = b_.CreateExtractValue(d, 1), *sn = b_.CreateExtractValue(s, 1);
    Value *n = b_.CreateSelect(b_.CreateICmpSLT(dn, sn), dn, sn);
    b_.CreateMemMove(b_.CreateExtractValue(d, 0), MaybeAlign(), b_.CreateExtractValue(s, 0),
                     MaybeAlign(), b_.CreateMul(n, elemSize(args[0]->type->elem)));
    return n;
  }
  default:
    break;
  }
  // append
  const toy::Type *st = e->type;
  llvm::Type *elemTy = lower(st->elem);
  Value *s = expr(args[0].get());
  std::vector<Value *> vals;
  Value *spread = nullptr, *add;
  if (e->hasDots) {
    spread = expr(args[1].get());
    add = b_.CreateExtractValue(spread, 1);
  } else {
    for (size_t i = 1; i < args.size(); ++i)
      vals.push_back(expr(args[i].get()));
    add = b_.getInt64(vals.size());
  }
  Value *p = b_.CreateExtractValue(s, 0), *len = b_.CreateExtractValue(s, 1),
        *cap = b_.CreateExtractValue(s, 2);
  Value *newLen = b_.CreateAdd(len, add);
  BasicBlock *before = b_.GetInsertBlock();
  BasicBlock *growB = BasicBlock::Create(ctx_, "append.grow", fn_);
  BasicBlock *doneB = BasicBlock::Create(ctx_, "append.store", fn_);
  b_.CreateCondBr(b_.CreateICmpUGT(newLen, cap), growB, doneB);
  b_.SetInsertPoint(growB);
  auto *growTy = StructType::get(ctx_, {ptrTy, i64});
  Value *g = b_.CreateCall(runtimeFn("runtime.growslice", growTy, {ptrTy, i64, i64, i64, i64}),
                           {p, len, cap, newLen, elemSize(st->elem)});
  Value *gp = b_.CreateExtractValue(g, 0), *gcap = b_.CreateExtractValue(g, 1);
  b_.CreateBr(doneB);
  b_.SetInsertPoint(doneB);
  PHINode *np = b_.CreatePHI(ptrTy, 2, "array");
  np->addIncoming(p, before);
  np->addIncoming(gp, growB);
  PHINode *ncap = b_.CreatePHI(i64, 2, "cap");
  ncap->addIncoming(cap, before);
  ncap->addIncoming(gcap, growB);
  Value *tail = b_.CreateInBoundsGEP(elemTy, np, len);
  if (spread)
    b_.CreateMemMove(tail, MaybeAlign(), b_.CreateExtractValue(spread, 0), MaybeAlign(),
                     b_.CreateMul(add, elemSize(st->elem)));
  for (size_t i = 0; i < vals.size(); ++i)
    b_.CreateStore(vals[i], b_.CreateInBoundsGEP(elemTy, tail, b_.getInt64(i)));
  return makeSlice(np, newLen, ncap);
}

std::unique_ptr<Module> generateIR(const std::vector<Package *> &packages, TypeContext &types,
                                   LLVMContext &ctx, const std::string &moduleName,
                                   std::vector<std::string> fileNames, bool debugInfo,
                                   bool simulate) {
  // LLVM 19 keeps a variable's locations as debug records hung on the instruction that follows
  // them; erasing that instruction moves them all to the next one, one by one. Optimising a
  // long straight run (x++ a hundred thousand times: instcombine erases each add in turn)
  // keeps moving the grown pile, which is quadratic. Passes therefore run on LLVM's
  // intrinsic form (llvm.dbg.value calls, which stay put); the module, made first, keeps
  // records, and the pass managers give it back in that form.
  IRGen gen(types, ctx, moduleName, std::move(fileNames), debugInfo, simulate);
  UseNewDbgInfoFormat = false;
  return gen.run(packages);
}

} // namespace toy
