//===- IRGenMap.cpp - maps ------------------------------------------------===//
//
// A map value is a pointer to the runtime's hmap (nil for a nil map). Each map type gets a
// descriptor, type.map[K]V, giving runtime/map.cpp the key's hash and equality functions
// (type..hash.K, type..eq.K) and the sizes of key, elem and bucket. As gc's walk does, keys
// of 4 and 8 bytes of plain memory and string keys use the runtime's _fast32, _fast64 and
// _faststr variants (for elems of at most 128 bytes), the others the generic functions,
// which take the key's address.
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"

namespace toy {

namespace {
// Go's limits (runtime/map.go): larger keys and elems live outside the bucket.
constexpr uint64_t maxKeySize = 128, maxElemSize = 128;
constexpr uint64_t bucketCnt = 8;
constexpr uint64_t maxZero = 1024; // the runtime's zeroVal
constexpr uint64_t hiterSize = 80; // sizeof(runtime.hiter)

// hasFloat: equality of the type is not reflexive (NaN != NaN), also when an interface part
// may hold a float (Go's isReflexive).
bool hasFloat(const toy::Type *t) {
  t = t->underlying();
  if (t->isFloat() || t->isInterface())
    return true;
  if (t->isArray())
    return hasFloat(t->elem);
  if (t->isStruct())
    for (auto &f : t->fields)
      if (hasFloat(f.type))
        return true;
  return false;
}

// hashMightPanic: an interface part may hold a value of an unhashable type (Go's
// hashMightPanic), so even a lookup in an empty map hashes the key, to panic as Go does.
bool hashMightPanic(const toy::Type *t) {
  t = t->underlying();
  if (t->isInterface())
    return true;
  if (t->isArray())
    return hashMightPanic(t->elem);
  if (t->isStruct())
    for (auto &f : t->fields)
      if (hashMightPanic(f.type))
        return true;
  return false;
}

// needKeyUpdate: equal keys may differ in memory (+0 and -0, strings' pointers), so an
// assignment overwrites the stored key (Go's needkeyupdate).
bool needKeyUpdate(const toy::Type *t) {
  t = t->underlying();
  if (t->isFloat() || t->isString() || t->isInterface())
    return true;
  if (t->isArray())
    return needKeyUpdate(t->elem);
  if (t->isStruct())
    for (auto &f : t->fields)
      if (needKeyUpdate(f.type))
        return true;
  return false;
}
} // namespace

IRGen::MapFast IRGen::mapFast(const toy::Type *mt) {
  if (typeSize(mt->elem) > maxElemSize)
    return MapSlow;
  const toy::Type *k = mt->key->underlying();
  if (k->isString())
    return MapFastStr;
  if (isPlainMemory(k) && typeSize(k) == 4)
    return MapFast32;
  if (isPlainMemory(k) && typeSize(k) == 8)
    return MapFast64;
  return MapSlow;
}

// mapDescriptor is go.maptype.map[K]V (type.map[K]V, the _type, points at it), runtime.maptype's layout:
// {hasher, keyequal, keytypesize, elemtypesize, keysize u8, elemsize u8, bucketsize u16, flags
// u32}.
Value *IRGen::mapDescriptor(const toy::Type *mt) {
  std::string name = "go.maptype." + linkString(mt);
  if (GlobalVariable *g = mod_->getNamedGlobal(name))
    return g;
  uint64_t ks = typeSize(mt->key), es = typeSize(mt->elem);
  uint32_t flags = 0;
  uint64_t kslot = ks, eslot = es;
  if (ks > maxKeySize) {
    flags |= 1; // indirectkey
    kslot = 8;
  }
  if (es > maxElemSize) {
    flags |= 2; // indirectelem
    eslot = 8;
  }
  if (!hasFloat(mt->key))
    flags |= 4; // reflexivekey
  if (needKeyUpdate(mt->key))
    flags |= 8;
  if (hashMightPanic(mt->key))
    flags |= 16;
  // tophash bytes, keys, elems, overflow pointer (a multiple of 8 as slots' sizes are).
  uint64_t bucketsize = bucketCnt + bucketCnt * kslot + bucketCnt * eslot + 8;
  auto *ptr = PointerType::getUnqual(ctx_);
  auto *sty = StructType::get(ctx_, {ptr, ptr, b_.getInt64Ty(), b_.getInt64Ty(), b_.getInt8Ty(),
                                     b_.getInt8Ty(), b_.getInt16Ty(), b_.getInt32Ty()});
  Constant *init = ConstantStruct::get(
      sty, {typeHash(mt->key), typeEqual(mt->key), b_.getInt64(ks), b_.getInt64(es),
            b_.getInt8(uint8_t(kslot)), b_.getInt8(uint8_t(eslot)),
            b_.getInt16(uint16_t(bucketsize)), b_.getInt32(flags)});
  return new GlobalVariable(*mod_, sty, true, GlobalValue::InternalLinkage, init, name);
}

// mapCall calls runtime.<op>[_fast32|_fast64|_faststr](t, h, key...) with the key passed as
// the variant takes it: by address, as an integer, or as a string's pointer and length.
Value *IRGen::mapCall(const std::string &op, llvm::Type *ret, const toy::Type *mt, Value *h,
                      Value *key, ArrayRef<Value *> extra) {
  auto *ptr = PointerType::getUnqual(ctx_);
  std::vector<llvm::Type *> params = {ptr, ptr};
  std::vector<Value *> args = {mapDescriptor(mt), h};
  std::string name = "runtime." + op;
  switch (mapFast(mt)) {
  case MapFast32:
  case MapFast64: {
    bool is64 = mapFast(mt) == MapFast64;
    name += is64 ? "_fast64" : "_fast32";
    AllocaInst *slot = entryAlloca(key->getType(), "map.key");
    b_.CreateStore(key, slot);
    llvm::Type *it = is64 ? b_.getInt64Ty() : b_.getInt32Ty();
    params.push_back(it);
    args.push_back(b_.CreateLoad(it, slot));
    break;
  }
  case MapFastStr:
    name += "_faststr";
    params.push_back(ptr);
    params.push_back(b_.getInt64Ty());
    args.push_back(b_.CreateExtractValue(key, 0));
    args.push_back(b_.CreateExtractValue(key, 1));
    break;
  case MapSlow: {
    AllocaInst *slot = entryAlloca(key->getType(), "map.key");
    b_.CreateStore(key, slot);
    params.push_back(ptr);
    args.push_back(slot);
    break;
  }
  }
  for (Value *x : extra) {
    params.push_back(x->getType());
    args.push_back(x);
  }
  return b_.CreateCall(runtimeFn(name, ret, params), args);
}

// mapZero is a zero elem for mapaccess1_fat/mapaccess2_fat: elems larger than the runtime's
// zeroVal.
Value *IRGen::mapZero(const toy::Type *elem) {
  std::string name = "type..zero." + linkString(elem);
  if (GlobalVariable *g = mod_->getNamedGlobal(name))
    return g;
  llvm::Type *ty = lower(elem);
  return new GlobalVariable(*mod_, ty, true, GlobalValue::InternalLinkage,
                            Constant::getNullValue(ty), name);
}

// mapAccess is the address of m[k]'s elem, or of a zero elem when k is absent; with ok, also
// whether k is present.
Value *IRGen::mapAccess(const toy::Type *mt, Value *h, Value *key, Value **ok) {
  auto *ptr = PointerType::getUnqual(ctx_);
  bool fat = typeSize(mt->elem) > maxZero;
  std::vector<Value *> extra;
  if (fat)
    extra.push_back(mapZero(mt->elem));
  if (!ok)
    return mapCall(fat ? "mapaccess1_fat" : "mapaccess1", ptr, mt, h, key, extra);
  auto *pairTy = StructType::get(ctx_, {ptr, b_.getInt8Ty()});
  Value *pair = mapCall(fat ? "mapaccess2_fat" : "mapaccess2", pairTy, mt, h, key, extra);
  *ok = b_.CreateICmpNE(b_.CreateExtractValue(pair, 1), b_.getInt8(0));
  return b_.CreateExtractValue(pair, 0);
}

// mapIndex is m[k] (the zero elem for an absent k), or {m[k], ok} in the comma-ok form.
Value *IRGen::mapIndex(IndexExpr *e) {
  const toy::Type *mt = e->base->type;
  Value *h = expr(e->base.get());
  Value *key = expr(e->index.get());
  Value *ok = nullptr;
  Value *p = mapAccess(mt, h, key, e->commaOk ? &ok : nullptr);
  llvm::Type *elemTy = lower(mt->elem);
  Value *v = b_.CreateLoad(elemTy, p);
  if (!e->commaOk)
    return v;
  Value *pair = UndefValue::get(StructType::get(ctx_, {elemTy, b_.getInt1Ty()}));
  pair = b_.CreateInsertValue(pair, v, 0);
  return b_.CreateInsertValue(pair, ok, 1);
}

// mapAssignAddr is the address m[k] = v stores to: runtime.mapassign makes the slot.
Value *IRGen::mapAssignAddr(IndexExpr *e) {
  Value *h = expr(e->base.get());
  Value *key = expr(e->index.get());
  return mapCall("mapassign", PointerType::getUnqual(ctx_), e->base->type, h, key);
}

// mapOpAssign is m[k] op= v, which Go runs as m[k] = m[k] op v with m and k evaluated once:
// the old elem is read, v evaluated and the operation done (a division by zero panics here,
// leaving the map as it was), and only then is the slot assigned.
void IRGen::mapOpAssign(Tok op, IndexExpr *l, Expr *r) {
  const toy::Type *mt = l->base->type;
  Value *h = expr(l->base.get());
  Value *key = expr(l->index.get());
  Value *lv = b_.CreateLoad(lower(mt->elem), mapAccess(mt, h, key, nullptr));
  Value *rv = expr(r);
  Value *res = op == Tok::Shl || op == Tok::Shr ? shift(op, lv, rv, l->type, r->type, r)
                                                : arith(op, lv, rv, l->type);
  b_.CreateStore(res, mapCall("mapassign", PointerType::getUnqual(ctx_), mt, h, key));
}

// makeMap is make(map[K]V[, hint]): makemap_small when the hint is a constant of at most 8
// (one bucket, made at the first assignment), else makemap.
Value *IRGen::makeMap(const toy::Type *mt, Expr *hint, int64_t constHint) {
  auto *ptr = PointerType::getUnqual(ctx_);
  if ((!hint && constHint <= int64_t(bucketCnt)) ||
      (hint && hint->isConst && hint->constVal.fitsSigned(64) &&
       hint->constVal.small() <= int64_t(bucketCnt)))
    return b_.CreateCall(runtimeFn("runtime.makemap_small", ptr, {}));
  Value *n = hint ? toInt64(expr(hint), hint->type) : b_.getInt64(constHint);
  return b_.CreateCall(runtimeFn("runtime.makemap", ptr, {ptr, b_.getInt64Ty(), ptr}),
                       {mapDescriptor(mt), n, ConstantPointerNull::get(ptr)});
}

// mapLit is map[K]V{k: v, ...}: a map made for the entries, then each assigned in order.
Value *IRGen::mapLit(CompositeLitExpr *e) {
  const toy::Type *mt = e->type;
  Value *h = makeMap(mt, nullptr, int64_t(e->values.size()));
  for (size_t i = 0; i < e->values.size(); ++i) {
    Value *key = expr(e->keys[i].get());
    Value *v = expr(e->values[i].get());
    b_.CreateStore(v, mapCall("mapassign", PointerType::getUnqual(ctx_), mt, h, key));
  }
  return h;
}

// mapBuiltin is make(map[K]V[, hint]), len(m) (0 for a nil map; else hmap.count, its first
// word) or delete(m, k).
Value *IRGen::mapBuiltin(CallExpr *e, int id) {
  auto &args = e->args;
  if (id == BMake)
    return makeMap(args[0]->type, args.size() == 2 ? args[1].get() : nullptr, 0);
  Value *h = expr(args[0].get());
  if (id == BDelete) {
    Value *key = expr(args[1].get());
    mapCall("mapdelete", b_.getVoidTy(), args[0]->type, h, key);
    return nullptr;
  }
  BasicBlock *from = b_.GetInsertBlock();
  BasicBlock *loadB = BasicBlock::Create(ctx_, "maplen.load", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "maplen.end", fn_);
  b_.CreateCondBr(b_.CreateIsNull(h), endB, loadB);
  b_.SetInsertPoint(loadB);
  Value *count = b_.CreateLoad(b_.getInt64Ty(), h);
  b_.CreateBr(endB);
  b_.SetInsertPoint(endB);
  PHINode *n = b_.CreatePHI(b_.getInt64Ty(), 2);
  n->addIncoming(b_.getInt64(0), from);
  n->addIncoming(count, loadB);
  return n;
}

// rangeMap is `for k, v := range m`: an iterator on the stack, set up by mapiterinit and
// advanced by mapiternext; its key pointer is nil at the end. The runtime starts at a random
// bucket and offset, so the order differs from run to run.
void IRGen::rangeMap(ForStmt *f) {
  auto *ptr = PointerType::getUnqual(ctx_);
  const toy::Type *mt = f->rangeX->type;
  Value *h = expr(f->rangeX.get());
  if (f->rangeDefine)
    for (auto &n : f->rangeNames)
      if (n.obj)
        declareVar(n.obj, Constant::getNullValue(lower(n.obj->type)));
  auto *hiterTy = ArrayType::get(b_.getInt64Ty(), hiterSize / 8);
  AllocaInst *it = entryAlloca(hiterTy, "range.hiter");
  b_.CreateStore(Constant::getNullValue(hiterTy), it); // mapiterinit wants it zeroed
  b_.CreateCall(runtimeFn("runtime.mapiterinit", b_.getVoidTy(), {ptr, ptr, ptr}),
                {mapDescriptor(mt), h, it});
  BasicBlock *condB = BasicBlock::Create(ctx_, "range.cond", fn_);
  BasicBlock *bodyB = BasicBlock::Create(ctx_, "range.body", fn_);
  BasicBlock *postB = BasicBlock::Create(ctx_, "range.post", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "range.end", fn_);
  b_.CreateBr(condB);
  b_.SetInsertPoint(condB);
  Value *kp = b_.CreateLoad(ptr, it); // hiter.key
  b_.CreateCondBr(b_.CreateIsNull(kp), endB, bodyB);
  b_.SetInsertPoint(bodyB);
  std::vector<Value *> vals;
  if (!f->rangeLhs.empty())
    vals.push_back(b_.CreateLoad(lower(mt->key), kp));
  if (f->rangeLhs.size() > 1) {
    Value *ep = b_.CreateLoad(ptr, b_.CreateConstInBoundsGEP2_64(hiterTy, it, 0, 1)); // hiter.elem
    vals.push_back(b_.CreateLoad(lower(mt->elem), ep));
  }
  assignRangeVars(f, vals);
  loops_[f] = {endB, postB};
  block(f->body.get());
  if (!b_.GetInsertBlock()->getTerminator())
    b_.CreateBr(postB);
  b_.SetInsertPoint(postB);
  b_.CreateCall(runtimeFn("runtime.mapiternext", b_.getVoidTy(), {ptr}), {it});
  stackCheck();
  b_.CreateBr(condB);
  b_.SetInsertPoint(endB);
}

} // namespace toy
