//===- IRGenAlg.cpp - generated equality and hash functions ---------------===//
//
// gc's type algorithms (cmd/compile/internal/reflectdata/alg.go): for a comparable type T,
// type..eq.T reports whether two T values in memory are equal, and type..hash.T hashes one
// with a seed, in the shape of Go's func(p unsafe.Pointer, h uintptr) uintptr. Maps hash and
// compare their keys through them; == on large arrays calls type..eq as gc's walkCompare does.
//
// As gc's geneq/genhash do, runs of plain memory (integers, bools, pointers, channels, and
// arrays and structs of them without padding or blank fields) are compared with memequal and
// hashed with memhash in one piece; strings, floats and the rest field by field (blank fields
// are neither compared nor hashed: their contents do not take part in ==).
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"

namespace toy {

// isPlainMemory: equality of T is equality of its bytes (gc's AMEM): no floats (NaN,
// -0), no strings (pointers differ for equal contents), no padding or blank fields.
bool IRGen::isPlainMemory(const toy::Type *t) {
  t = t->underlying();
  if (t->isInteger() || t->isBoolean() || t->isPointer() || t->isChan())
    return true;
  if (t->isArray())
    return isPlainMemory(t->elem);
  if (!t->isStruct())
    return false;
  auto *sty = cast<StructType>(lower(t));
  const StructLayout *layout = mod_->getDataLayout().getStructLayout(sty);
  uint64_t end = 0;
  for (unsigned i = 0; i < t->fields.size(); ++i) {
    if (t->fields[i].name == "_" || !isPlainMemory(t->fields[i].type) ||
        layout->getElementOffset(i) != end)
      return false;
    end += mod_->getDataLayout().getTypeAllocSize(sty->getElementType(i));
  }
  return end == layout->getSizeInBytes();
}

uint64_t IRGen::typeSize(const toy::Type *t) {
  return mod_->getDataLayout().getTypeAllocSize(lower(t));
}

// linkString: type..eq.[2]main.T.
std::string linkString(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (t->isDefined())
    return t->pkgPath + "." + t->name;
  switch (t->kind) {
  case toy::Type::Array:
    return "[" + std::to_string(t->len) + "]" + linkString(t->elem);
  case toy::Type::Pointer:
    return "*" + linkString(t->elem);
  case toy::Type::Chan:
    return std::string(t->dir == toy::Type::RecvOnly   ? "<-chan "
                       : t->dir == toy::Type::SendOnly ? "chan<- "
                                                       : "chan ") +
           linkString(t->elem);
  case toy::Type::Map:
    return "map[" + linkString(t->key) + "]" + linkString(t->elem);
  case toy::Type::Struct: {
    std::string s = "struct {";
    for (size_t i = 0; i < t->fields.size(); ++i) {
      s += i ? "; " : " ";
      if (!t->fields[i].embedded)
        s += t->fields[i].name + " ";
      s += linkString(t->fields[i].type);
    }
    return s + (t->fields.empty() ? "}" : " }");
  }
  default:
    return t->str();
  }
}

// algFn makes the function type..<kind>.<T>. Two types may print alike (local defined types
// of one name), so a taken name gets a number.
Function *IRGen::algFn(FunctionType *ty, const std::string &kind, const toy::Type *t) {
  std::string base = "type.." + kind + ".";
  base += linkString(t);
  std::string name = base;
  for (unsigned n = 1; mod_->getNamedValue(name); ++n)
    name = base + "." + std::to_string(n);
  Function *f = Function::Create(ty, Function::InternalLinkage, name, mod_.get());
  f->addFnAttr("frame-pointer", "all");
  f->addFnAttr(Attribute::NoUnwind);
  return f;
}

// memEqual compares n bytes at p and q: loads for the sizes of a register, else
// runtime.memequal.
static Value *memEqual(IRBuilder<> &b, Module &mod, Value *p, Value *q, uint64_t n) {
  if (n == 0)
    return b.getTrue();
  if (n == 1 || n == 2 || n == 4 || n == 8 || n == 16) {
    llvm::Type *it = b.getIntNTy(unsigned(n * 8));
    return b.CreateICmpEQ(b.CreateAlignedLoad(it, p, Align(1)),
                          b.CreateAlignedLoad(it, q, Align(1)));
  }
  auto *ptr = PointerType::getUnqual(b.getContext());
  FunctionCallee f = mod.getOrInsertFunction(
      "runtime.memequal", FunctionType::get(b.getInt1Ty(), {ptr, ptr, b.getInt64Ty()}, false));
  return b.CreateCall(f, {p, q, b.getInt64(n)});
}

// equalAt compares the T values at p and q, inline for plain memory, strings and floats, by a
// call of type..eq.T otherwise.
Value *IRGen::equalAt(IRBuilder<> &b, const toy::Type *t, Value *p, Value *q) {
  const toy::Type *u = t->underlying();
  if (isPlainMemory(u))
    return memEqual(b, *mod_, p, q, typeSize(u));
  if (u->isFloat()) {
    llvm::Type *ft = lower(u);
    return b.CreateFCmpOEQ(b.CreateLoad(ft, p), b.CreateLoad(ft, q));
  }
  if (u->isString()) {
    // Lengths first, then the bytes (Go's strequal: memequal after a length check).
    Value *s = b.CreateLoad(stringTy(), p), *r = b.CreateLoad(stringTy(), q);
    Value *n = b.CreateExtractValue(s, 1);
    Value *sameLen = b.CreateICmpEQ(n, b.CreateExtractValue(r, 1));
    BasicBlock *from = b.GetInsertBlock();
    BasicBlock *bytesB = BasicBlock::Create(ctx_, "str.bytes", from->getParent());
    BasicBlock *endB = BasicBlock::Create(ctx_, "str.end", from->getParent());
    b.CreateCondBr(sameLen, bytesB, endB);
    b.SetInsertPoint(bytesB);
    auto *ptr = PointerType::getUnqual(ctx_);
    FunctionCallee f = mod_->getOrInsertFunction(
        "runtime.memequal", FunctionType::get(b.getInt1Ty(), {ptr, ptr, b.getInt64Ty()}, false));
    Value *same = b.CreateCall(f, {b.CreateExtractValue(s, 0), b.CreateExtractValue(r, 0), n});
    BasicBlock *bytesEnd = b.GetInsertBlock();
    b.CreateBr(endB);
    b.SetInsertPoint(endB);
    PHINode *phi = b.CreatePHI(b.getInt1Ty(), 2);
    phi->addIncoming(b.getFalse(), from);
    phi->addIncoming(same, bytesEnd);
    return phi;
  }
  if (u->isInterface()) {
    // Go's interequal and nilinterequal: the dynamic types, then efaceeq/ifaceeq.
    auto *ptr = PointerType::getUnqual(ctx_);
    FunctionCallee f = mod_->getOrInsertFunction(
        u->fields.empty() ? "runtime.nilinterequal" : "runtime.interequal",
        FunctionType::get(b.getInt1Ty(), {ptr, ptr}, false));
    return b.CreateCall(f, {p, q});
  }
  return b.CreateCall(typeEqual(t), {p, q});
}

Function *IRGen::typeEqual(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (Function *f = eqFns_[t])
    return f;
  auto *ptr = PointerType::getUnqual(ctx_);
  Function *f = algFn(FunctionType::get(b_.getInt1Ty(), {ptr, ptr}, false), "eq", t);
  eqFns_[t] = f;
  IRBuilder<> b(BasicBlock::Create(ctx_, "entry", f));
  Value *p = f->getArg(0), *q = f->getArg(1);
  const toy::Type *u = t->underlying();
  BasicBlock *falseB = BasicBlock::Create(ctx_, "neq", f);
  // each compares one part and goes on only while the parts so far are equal.
  auto each = [&](Value *eq) {
    BasicBlock *next = BasicBlock::Create(ctx_, "next", f);
    b.CreateCondBr(eq, next, falseB);
    b.SetInsertPoint(next);
  };
  if (u->isArray() && !isPlainMemory(u)) {
    // A loop over the elements, which stops at the first unequal one.
    llvm::Type *at = lower(u);
    BasicBlock *entry = b.GetInsertBlock();
    BasicBlock *loopB = BasicBlock::Create(ctx_, "elem", f);
    BasicBlock *doneB = BasicBlock::Create(ctx_, "done", f);
    b.CreateCondBr(b.getInt1(u->len > 0), loopB, doneB);
    b.SetInsertPoint(loopB);
    PHINode *i = b.CreatePHI(b.getInt64Ty(), 2);
    i->addIncoming(b.getInt64(0), entry);
    Value *pe = b.CreateInBoundsGEP(at, p, {b.getInt64(0), i});
    Value *qe = b.CreateInBoundsGEP(at, q, {b.getInt64(0), i});
    each(equalAt(b, u->elem, pe, qe));
    Value *i1 = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(i1, b.GetInsertBlock());
    b.CreateCondBr(b.CreateICmpULT(i1, b.getInt64(u->len)), loopB, doneB);
    b.SetInsertPoint(doneB);
  } else if (u->isStruct() && !isPlainMemory(u)) {
    llvm::Type *st = lower(u);
    for (unsigned i = 0; i < u->fields.size(); ++i)
      if (u->fields[i].name != "_")
        each(equalAt(b, u->fields[i].type, b.CreateStructGEP(st, p, i),
                     b.CreateStructGEP(st, q, i)));
  } else {
    each(equalAt(b, u, p, q));
  }
  b.CreateRet(b.getTrue());
  b.SetInsertPoint(falseB);
  b.CreateRet(b.getFalse());
  return f;
}

// hashAt hashes the T value at p with seed h: a runtime hash function for plain memory,
// strings and floats, a call of type..hash.T otherwise.
Value *IRGen::hashAt(IRBuilder<> &b, const toy::Type *t, Value *p, Value *h) {
  const toy::Type *u = t->underlying();
  auto *ptr = PointerType::getUnqual(ctx_);
  llvm::Type *i64 = b.getInt64Ty();
  auto rt = [&](const char *name) {
    return mod_->getOrInsertFunction(name, FunctionType::get(i64, {ptr, i64}, false));
  };
  if (isPlainMemory(u)) {
    uint64_t n = typeSize(u);
    if (n == 4)
      return b.CreateCall(rt("runtime.memhash32"), {p, h});
    if (n == 8)
      return b.CreateCall(rt("runtime.memhash64"), {p, h});
    FunctionCallee f = mod_->getOrInsertFunction("runtime.memhash",
                                                 FunctionType::get(i64, {ptr, i64, i64}, false));
    return b.CreateCall(f, {p, h, b.getInt64(n)});
  }
  if (u->isString())
    return b.CreateCall(rt("runtime.strhash"), {p, h});
  if (u->kind == toy::Type::Float32)
    return b.CreateCall(rt("runtime.f32hash"), {p, h});
  if (u->kind == toy::Type::Float64)
    return b.CreateCall(rt("runtime.f64hash"), {p, h});
  if (u->isInterface())
    return b.CreateCall(rt(u->fields.empty() ? "runtime.nilinterhash" : "runtime.interhash"),
                        {p, h});
  return b.CreateCall(typeHash(t), {p, h});
}

Function *IRGen::typeHash(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (Function *f = hashFns_[t])
    return f;
  auto *ptr = PointerType::getUnqual(ctx_);
  llvm::Type *i64 = b_.getInt64Ty();
  // As gc's genhash does, types the runtime hashes in one call (4 or 8 bytes of plain
  // memory, strings, floats, interfaces) use the runtime's function itself: no wrapper to go
  // through.
  const toy::Type *u = t->underlying();
  if (u->isInterface())
    return hashFns_[t] = runtimeFn(u->fields.empty() ? "runtime.nilinterhash" : "runtime.interhash",
                                   i64, {ptr, i64});
  const char *direct = u->isString()                   ? "runtime.strhash"
                       : u->kind == toy::Type::Float32 ? "runtime.f32hash"
                       : u->kind == toy::Type::Float64 ? "runtime.f64hash"
                       : !isPlainMemory(u)             ? nullptr
                       : typeSize(u) == 4              ? "runtime.memhash32"
                       : typeSize(u) == 8              ? "runtime.memhash64"
                                                       : nullptr;
  if (direct)
    return hashFns_[t] = runtimeFn(direct, i64, {ptr, i64});
  Function *f = algFn(FunctionType::get(i64, {ptr, i64}, false), "hash", t);
  hashFns_[t] = f;
  IRBuilder<> b(BasicBlock::Create(ctx_, "entry", f));
  Value *p = f->getArg(0), *h = f->getArg(1);
  if (u->isArray() && !isPlainMemory(u)) {
    llvm::Type *at = lower(u);
    BasicBlock *entry = b.GetInsertBlock();
    BasicBlock *loopB = BasicBlock::Create(ctx_, "elem", f);
    BasicBlock *doneB = BasicBlock::Create(ctx_, "done", f);
    b.CreateCondBr(b.getInt1(u->len > 0), loopB, doneB);
    b.SetInsertPoint(loopB);
    PHINode *i = b.CreatePHI(i64, 2), *hi = b.CreatePHI(i64, 2);
    i->addIncoming(b.getInt64(0), entry);
    hi->addIncoming(h, entry);
    Value *next = hashAt(b, u->elem, b.CreateInBoundsGEP(at, p, {b.getInt64(0), i}), hi);
    Value *i1 = b.CreateAdd(i, b.getInt64(1));
    i->addIncoming(i1, b.GetInsertBlock());
    hi->addIncoming(next, b.GetInsertBlock());
    BasicBlock *last = b.GetInsertBlock();
    b.CreateCondBr(b.CreateICmpULT(i1, b.getInt64(u->len)), loopB, doneB);
    b.SetInsertPoint(doneB);
    PHINode *out = b.CreatePHI(i64, 2);
    out->addIncoming(h, entry);
    out->addIncoming(next, last);
    h = out;
  } else if (u->isStruct() && !isPlainMemory(u)) {
    // Fields in order; a run of plain fields with nothing between them is one memhash
    // (gc's memrun).
    auto *st = cast<StructType>(lower(u));
    const StructLayout *layout = mod_->getDataLayout().getStructLayout(st);
    FunctionCallee memhash = mod_->getOrInsertFunction(
        "runtime.memhash", FunctionType::get(i64, {ptr, i64, i64}, false));
    for (unsigned i = 0; i < u->fields.size();) {
      if (u->fields[i].name == "_") {
        ++i;
        continue;
      }
      if (!isPlainMemory(u->fields[i].type)) {
        h = hashAt(b, u->fields[i].type, b.CreateStructGEP(st, p, i), h);
        ++i;
        continue;
      }
      uint64_t start = layout->getElementOffset(i);
      uint64_t end = start + typeSize(u->fields[i].type);
      unsigned j = i + 1;
      for (; j < u->fields.size() && u->fields[j].name != "_" && isPlainMemory(u->fields[j].type) &&
             layout->getElementOffset(j) == end;
           ++j)
        end += typeSize(u->fields[j].type);
      if (j == i + 1)
        h = hashAt(b, u->fields[i].type, b.CreateStructGEP(st, p, i), h);
      else
        h = b.CreateCall(memhash, {b.CreateStructGEP(st, p, i), h, b.getInt64(end - start)});
      i = j;
    }
  } else {
    h = hashAt(b, u, p, h);
  }
  b.CreateRet(h);
  return f;
}

} // namespace toy
