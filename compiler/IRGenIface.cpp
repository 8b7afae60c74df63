//===- IRGenIface.cpp - interface values, type descriptors and itabs -------===//
//
// An interface value is two words, as gc lays it out: an empty interface (eface) holds the
// dynamic type's descriptor (type.T) and a data word; a non-empty one (iface) holds an itab
// (go.itab.T,I: the interface, the type, and the code of T's methods in I's order) and the
// data word. The data word is the value itself for a pointer-shaped type (pointers,
// channels), else a pointer to a heap copy made by runtime.convT64, convTstring, convT, ...
// (gc's dataWordFuncName). A method call through an interface loads the code from the itab
// and passes the data word as the receiver: each itab entry takes it (gc's pointer wrappers
// main.(*T).M for value methods). Descriptors follow runtime/type.h.
//
//===----------------------------------------------------------------------===//
#include "IRGenImpl.h"

#include <set>

namespace toy {

llvm::StructType *IRGen::ifaceTy() {
  return StructType::get(ctx_, {PointerType::getUnqual(ctx_), PointerType::getUnqual(ctx_)});
}

// Pointer-shaped types live in the data word itself (gc's kindDirectIface).
// Differs from Go: gc also stores structs and arrays of one pointer-shaped element directly.
static bool isDirectIface(const toy::Type *t) { return t->isPointer() || t->isChan(); }

static bool hasPointers(const toy::Type *t) {
  switch (t->kind) {
  case toy::Type::Array:
    return t->len > 0 && hasPointers(t->elem);
  case toy::Type::Struct:
    for (auto &f : t->fields)
      if (hasPointers(f.type))
        return true;
    return false;
  default:
    return !(t->isNumeric() || t->isBoolean());
  }
}

// typeSymbol is T as gc's symbols name it (type.<T>): defined types qualified by their
// package path, reflect's spelling otherwise (func(int) string, interface {}, struct { X int }).
static std::string typeString(const toy::Type *t, bool link) {
  auto sub = [&](const toy::Type *e) { return typeString(e, link); };
  if (t->isDefined()) {
    if (t->pkgPath.empty())
      return t->name; // error
    return (link ? t->pkgPath : t->pkg) + "." + t->name;
  }
  switch (t->kind) {
  case toy::Type::Array:
    return "[" + std::to_string(t->len) + "]" + sub(t->elem);
  case toy::Type::Slice:
    return "[]" + sub(t->elem);
  case toy::Type::Pointer:
    return "*" + sub(t->elem);
  case toy::Type::Chan:
    return std::string(t->dir == toy::Type::RecvOnly   ? "<-chan "
                       : t->dir == toy::Type::SendOnly ? "chan<- "
                                                       : "chan ") +
           sub(t->elem);
  case toy::Type::Map:
    return "map[" + sub(t->key) + "]" + sub(t->elem);
  case toy::Type::Struct: {
    std::string s = "struct {";
    for (size_t i = 0; i < t->fields.size(); ++i)
      s += (i ? "; " : " ") + (t->fields[i].embedded ? "" : t->fields[i].name + " ") +
           sub(t->fields[i].type);
    return s + (t->fields.empty() ? "}" : " }");
  }
  case toy::Type::Func: {
    std::string s = "func(";
    for (size_t i = 0; i < t->params.size(); ++i)
      s += (i ? ", " : "") + (t->variadic && i + 1 == t->params.size()
                                  ? "..." + sub(t->params[i]->elem)
                                  : sub(t->params[i]));
    s += ")";
    if (t->results.size() == 1)
      s += " " + sub(t->results[0]);
    else if (t->results.size() > 1) {
      s += " (";
      for (size_t i = 0; i < t->results.size(); ++i)
        s += (i ? ", " : "") + sub(t->results[i]);
      s += ")";
    }
    return s;
  }
  case toy::Type::Interface: {
    std::string s = "interface {";
    for (size_t i = 0; i < t->fields.size(); ++i)
      s += (i ? "; " : " ") + t->fields[i].name + sub(t->fields[i].type).substr(4);
    return s + (t->fields.empty() ? "}" : " }");
  }
  default:
    return t->str();
  }
}

static uint8_t goKind(const toy::Type *t) {
  switch (t->kind) {
  case toy::Type::Bool:
    return 1;
  case toy::Type::Int:
  case toy::Type::Int8:
  case toy::Type::Int16:
  case toy::Type::Int32:
  case toy::Type::Int64:
    return uint8_t(2 + (t->kind - toy::Type::Int));
  case toy::Type::Uint:
  case toy::Type::Uint8:
  case toy::Type::Uint16:
  case toy::Type::Uint32:
  case toy::Type::Uint64:
  case toy::Type::Uintptr:
    return uint8_t(7 + (t->kind - toy::Type::Uint));
  case toy::Type::Float32:
    return 13;
  case toy::Type::Float64:
    return 14;
  case toy::Type::Array:
    return 17;
  case toy::Type::Chan:
    return 18;
  case toy::Type::Func:
    return 19;
  case toy::Type::Interface:
    return 20;
  case toy::Type::Map:
    return 21;
  case toy::Type::Pointer:
    return 22;
  case toy::Type::Slice:
    return 23;
  case toy::Type::String:
    return 24;
  default:
    return 25; // struct
  }
}

// nameConst is Go's encoded name: flags (1: exported, 8: an embedded field's), the length as
// a varint, the bytes.
Constant *IRGen::nameConst(const std::string &s, bool embedded) {
  std::string key = (embedded ? "E" : "N") + s;
  if (auto it = names_.find(key); it != names_.end())
    return it->second;
  uint8_t flags = !s.empty() && s[0] >= 'A' && s[0] <= 'Z' ? 1 : 0;
  if (embedded)
    flags |= 8;
  std::string bytes(1, char(flags));
  for (uint64_t n = s.size();; n >>= 7) {
    bytes += char((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    if (n < 0x80)
      break;
  }
  bytes += s;
  Constant *data = ConstantDataArray::getString(ctx_, bytes, /*AddNull=*/false);
  auto *gv = new GlobalVariable(*mod_, data->getType(), true, GlobalValue::PrivateLinkage, data,
                                "go.name");
  gv->setAlignment(Align(1));
  gv->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
  names_[key] = gv;
  return gv;
}

// methodSet is t's method set (Go's: a value type's value methods, promoted ones included, and
// those promoted through embedded pointers; a pointer's all), sorted by name, each with the
// code an itab holds for it.
std::vector<IRGen::IfaceMethod> IRGen::methodSet(const toy::Type *t) {
  bool ptr = t->isPointer() && !t->isDefined();
  const toy::Type *base = ptr ? t->elem : t;
  if (!base->isDefined() && !base->isStruct())
    return {};
  std::set<std::string> names;
  std::set<const toy::Type *> seen;
  std::function<void(const toy::Type *, int)> walk = [&](const toy::Type *b, int depth) {
    if (depth > 16 || !seen.insert(b).second)
      return;
    for (const Method &m : types_.methods(b))
      names.insert(m.name);
    if (b->isInterface() && depth > 0) // an embedded interface field's methods
      for (auto &m : b->fields)
        names.insert(m.name);
    if (b->isStruct())
      for (auto &f : b->fields)
        if (f.embedded)
          walk(f.type->isPointer() && !f.type->isDefined() ? f.type->elem : f.type, depth + 1);
  };
  walk(base, 0);
  std::string from = base->isDefined() ? base->pkgPath : std::string("main");
  std::vector<IfaceMethod> out;
  for (const std::string &n : names) {
    Selection sel = types_.lookupFieldOrMethod(t, n, from);
    if (sel.kind != Selection::Method ||
        (!ptr && sel.method && sel.method->ptrRecv && !sel.indirect))
      continue;
    Object *m = sel.method ? sel.method->fn : nullptr;
    Function *ifn;
    if (!m) // through an embedded interface field: a wrapper calls its itab's method
      ifn = promotedWrapper(ptr ? t : types_.pointer(t), sel.path, nullptr, n);
    else if (!sel.path.empty())
      ifn = promotedWrapper(ptr ? t : types_.pointer(t), sel.path, m);
    else if ((ptr && sel.method->ptrRecv) || (!ptr && isDirectIface(t)))
      ifn = declare(m);
    else
      ifn = ptrWrapper(m);
    out.push_back({n, sel.sig(), ifn});
  }
  return out;
}

// ptrWrapper is gc's main.(*T).M for a value method M: it dereferences its receiver (a nil one
// is Go's panicwrap error) and calls M.
Function *IRGen::ptrWrapper(Object *m) {
  Function *f = declare(m);
  const std::string &sym = m->symbol;
  size_t dot = sym.rfind('.'), tdot = sym.rfind('.', dot - 1);
  std::string pkg = sym.substr(0, tdot), typ = sym.substr(tdot + 1, dot - tdot - 1),
              meth = sym.substr(dot + 1);
  auto *ptrTy = PointerType::getUnqual(ctx_);
  std::vector<llvm::Type *> ps = {ptrTy};
  for (size_t i = 1; i < m->type->params.size(); ++i)
    ps.push_back(lower(m->type->params[i]));
  return forwarder(
      pkg + ".(*" + typ + ")." + meth, FunctionType::get(resultTy(m->type), ps, false), f,
      [&](IRBuilder<> &wb, Value *p) -> Value * {
        Function *fn = wb.GetInsertBlock()->getParent();
        BasicBlock *nilB = BasicBlock::Create(ctx_, "nil", fn), *okB = BasicBlock::Create(ctx_, "ok", fn);
        wb.CreateCondBr(wb.CreateIsNull(p), nilB, okB);
        wb.SetInsertPoint(nilB);
        std::string msg = "value method " + pkg + "." + typ + "." + meth + " called using nil *" +
                          typ + " pointer";
        Function *panicFn = runtimeFn("runtime.gopanicstring", b_.getVoidTy(),
                                      {ptrTy, b_.getInt64Ty()}, true);
        Value *str = stringConst(msg);
        wb.CreateCall(panicFn, {wb.CreateExtractValue(str, 0), wb.CreateExtractValue(str, 1)});
        wb.CreateUnreachable();
        wb.SetInsertPoint(okB);
        return wb.CreateLoad(lower(m->type->params[0]), p, "recv");
      });
}

llvm::StructType *IRGen::rtypeTy() {
  auto *ptr = PointerType::getUnqual(ctx_);
  auto *i8 = b_.getInt8Ty();
  return StructType::get(ctx_, {b_.getInt64Ty(), b_.getInt64Ty(), b_.getInt32Ty(), i8, i8, i8, i8,
                                ptr, ptr, ptr, ptr});
}

// typeDesc is type.T, T's descriptor (runtime/type.h, Go's internal ABI): _type, then its
// kind's part (arraytype's elem, slice and len; chantype's elem and dir; functype's counts;
// interfacetype's pkgpath and methods; maptype's key, elem, bucket and the runtime's maptype;
// ptrtype's and slicetype's elem; structtype's pkgpath and fields), then for a defined type or
// one with methods its uncommontype, then a func's parameter and result types, the method
// table, an interface's imethods and a struct's structfields.
GlobalVariable *IRGen::typeDesc(const toy::Type *t) {
  t = t->canon; // byte and rune are uint8 and int32 from here on
  if (auto it = typeDescs_.find(t); it != typeDescs_.end())
    return it->second;
  auto *ptr = PointerType::getUnqual(ctx_);
  auto *i64 = b_.getInt64Ty();
  const DataLayout &dl = mod_->getDataLayout();
  std::vector<IfaceMethod> ms;
  if (!t->isInterface())
    ms = methodSet(t);
  bool uncommon = t->isDefined() || !ms.empty();
  std::vector<llvm::Type *> parts = {rtypeTy()};
  switch (t->kind) {
  case toy::Type::Array:
    parts.insert(parts.end(), {ptr, ptr, i64});
    break;
  case toy::Type::Chan:
    parts.insert(parts.end(), {ptr, i64});
    break;
  case toy::Type::Func:
    parts.insert(parts.end(), {b_.getInt16Ty(), b_.getInt16Ty(), b_.getInt32Ty()});
    break;
  case toy::Type::Interface:
  case toy::Type::Struct:
    parts.insert(parts.end(), {ptr, sliceTy()});
    break;
  case toy::Type::Map:
    parts.insert(parts.end(), {ptr, ptr, ptr, ptr});
    break;
  case toy::Type::Pointer:
  case toy::Type::Slice:
    parts.push_back(ptr);
    break;
  default:
    break;
  }
  auto *methodTy = StructType::get(ctx_, {ptr, ptr, ptr, ptr});
  auto *imethodTy = StructType::get(ctx_, {ptr, ptr});
  auto *fieldTy = StructType::get(ctx_, {ptr, ptr, i64});
  auto *uncommonTy = StructType::get(
      ctx_, {ptr, b_.getInt16Ty(), b_.getInt16Ty(), b_.getInt32Ty(), b_.getInt32Ty()});
  unsigned uncommonIndex = 0, methodsIndex = 0, tableIndex = 0;
  if (uncommon) {
    uncommonIndex = unsigned(parts.size());
    parts.push_back(uncommonTy);
  }
  size_t nparams = t->params.size() + t->results.size();
  if (t->kind == toy::Type::Func) {
    parts.push_back(ArrayType::get(ptr, nparams));
  }
  if (uncommon) {
    methodsIndex = unsigned(parts.size());
    parts.push_back(ArrayType::get(methodTy, ms.size()));
  }
  if (t->isInterface() || t->isStruct()) {
    tableIndex = unsigned(parts.size());
    parts.push_back(ArrayType::get(t->isStruct() ? fieldTy : imethodTy, t->fields.size()));
  }
  auto *sty = StructType::get(ctx_, parts);
  auto *gv = new GlobalVariable(*mod_, sty, true, GlobalValue::InternalLinkage, nullptr,
                                "type." + typeString(t, true));
  gv->setAlignment(Align(8));
  typeDescs_[t] = gv;

  llvm::Type *lt = lower(t);
  uint64_t size = dl.getTypeAllocSize(lt);
  std::string str = typeString(t, false);
  uint32_t hash = 2166136261u; // FNV-1a of the type's string
  for (char c : str)
    hash = (hash ^ uint8_t(c)) * 16777619u;
  uint8_t tflag = 2 /*tflagExtraStar*/;
  if (t->isDefined() || t->kind < toy::Type::Func)
    tflag |= 4; // tflagNamed
  if (uncommon)
    tflag |= 1; // tflagUncommon
  if (isPlainMemory(t))
    tflag |= 8; // tflagRegularMemory
  Constant *equal = ConstantPointerNull::get(ptr);
  if (t->comparable()) {
    if (t->isInterface())
      equal = cast<Constant>(
          mod_->getOrInsertFunction(t->fields.empty() ? "runtime.nilinterequal"
                                                      : "runtime.interequal",
                                    FunctionType::get(b_.getInt1Ty(), {ptr, ptr}, false))
              .getCallee());
    else
      equal = typeEqual(t);
  }
  Constant *null = ConstantPointerNull::get(ptr);
  uint8_t align = uint8_t(dl.getABITypeAlign(lt).value());
  std::vector<Constant *> fields = {ConstantStruct::get(
      rtypeTy(),
      {b_.getInt64(size), b_.getInt64(hasPointers(t) ? size : 0), b_.getInt32(hash),
       b_.getInt8(tflag), b_.getInt8(align), b_.getInt8(align),
       b_.getInt8(goKind(t) | (isDirectIface(t) ? 32 : 0)), equal, null, nameConst("*" + str),
       null})};
  auto tableAddr = [&](unsigned index) {
    return ConstantExpr::getInBoundsGetElementPtr(
        sty, gv, ArrayRef<Constant *>{b_.getInt32(0), b_.getInt32(index), b_.getInt32(0)});
  };
  auto sliceOf = [&](unsigned index, size_t n) {
    return ConstantStruct::get(sliceTy(), {n ? tableAddr(index) : null, b_.getInt64(int64_t(n)),
                                           b_.getInt64(int64_t(n))});
  };
  // The package a struct's unexported fields and a defined type's methods belong to.
  std::string pkgPath = t->isDefined() ? t->pkgPath : std::string("main");
  switch (t->kind) {
  case toy::Type::Array:
    fields.push_back(typeDesc(t->elem));
    fields.push_back(typeDesc(types_.slice(t->elem)));
    fields.push_back(b_.getInt64(t->len));
    break;
  case toy::Type::Chan:
    // Go's ChanDir: RecvDir 1, SendDir 2, BothDir 3.
    fields.push_back(typeDesc(t->elem));
    fields.push_back(b_.getInt64(t->dir == toy::Type::RecvOnly   ? 1
                                 : t->dir == toy::Type::SendOnly ? 2
                                                                 : 3));
    break;
  case toy::Type::Func:
    fields.push_back(b_.getInt16(uint16_t(t->params.size())));
    fields.push_back(b_.getInt16(uint16_t(t->results.size() | (t->variadic ? 1 << 15 : 0))));
    fields.push_back(b_.getInt32(0));
    break;
  case toy::Type::Interface:
    fields.push_back(null);
    fields.push_back(sliceOf(tableIndex, t->fields.size()));
    break;
  case toy::Type::Struct:
    fields.push_back(pkgPath.empty() ? null : nameConst(pkgPath));
    fields.push_back(sliceOf(tableIndex, t->fields.size()));
    break;
  case toy::Type::Map:
    fields.push_back(typeDesc(t->key));
    fields.push_back(typeDesc(t->elem));
    fields.push_back(null);
    fields.push_back(cast<Constant>(mapDescriptor(t->underlying())));
    break;
  case toy::Type::Pointer:
  case toy::Type::Slice:
    fields.push_back(typeDesc(t->elem));
    break;
  default:
    break;
  }
  const StructLayout *layout = dl.getStructLayout(sty);
  if (uncommon) {
    unsigned exported = 0;
    for (auto &m : ms)
      exported += m.name[0] >= 'A' && m.name[0] <= 'Z';
    uint64_t moff = layout->getElementOffset(methodsIndex) - layout->getElementOffset(uncommonIndex);
    fields.push_back(ConstantStruct::get(
        uncommonTy, {t->isDefined() && !t->pkgPath.empty() ? nameConst(t->pkgPath) : null,
                     b_.getInt16(uint16_t(ms.size())), b_.getInt16(uint16_t(exported)),
                     b_.getInt32(uint32_t(moff)), b_.getInt32(0)}));
  }
  if (t->kind == toy::Type::Func) {
    std::vector<Constant *> ts;
    for (auto *p : t->params)
      ts.push_back(typeDesc(p));
    for (auto *r : t->results)
      ts.push_back(typeDesc(r));
    fields.push_back(ConstantArray::get(ArrayType::get(ptr, nparams), ts));
  }
  if (uncommon) {
    std::vector<Constant *> table;
    for (auto &m : ms)
      table.push_back(
          ConstantStruct::get(methodTy, {nameConst(m.name), typeDesc(m.sig), m.ifn, m.ifn}));
    fields.push_back(ConstantArray::get(ArrayType::get(methodTy, ms.size()), table));
  }
  if (t->isInterface()) {
    std::vector<Constant *> table;
    for (auto &m : t->fields)
      table.push_back(ConstantStruct::get(imethodTy, {nameConst(m.name), typeDesc(m.type)}));
    fields.push_back(ConstantArray::get(ArrayType::get(imethodTy, t->fields.size()), table));
  }
  if (t->isStruct()) {
    const StructLayout *sl = dl.getStructLayout(cast<StructType>(lt));
    std::vector<Constant *> table;
    for (size_t i = 0; i < t->fields.size(); ++i) {
      auto &f = t->fields[i];
      table.push_back(ConstantStruct::get(
          fieldTy, {nameConst(f.name, f.embedded), typeDesc(f.type),
                    b_.getInt64(int64_t(sl->getElementOffset(unsigned(i))))}));
    }
    fields.push_back(ConstantArray::get(ArrayType::get(fieldTy, t->fields.size()), table));
  }
  gv->setInitializer(ConstantStruct::get(sty, fields));
  return gv;
}

// itabFor is go.itab.T,I: {inter, _type, hash, _, fun[len(I's methods)]}, the methods of T in
// I's order. Every one is listed in go.itablinks, from which the runtime's itabTable starts,
// so an itab getitab makes at run time is never a second one for the same pair.
GlobalVariable *IRGen::itabFor(const toy::Type *t, const toy::Type *iface) {
  t = t->canon;
  iface = iface->canon;
  auto key = std::make_pair(t, iface);
  if (auto it = itabs_.find(key); it != itabs_.end())
    return it->second;
  auto *ptr = PointerType::getUnqual(ctx_);
  std::vector<IfaceMethod> ms = methodSet(t);
  std::vector<Constant *> fun;
  for (auto &im : iface->fields)
    for (auto &m : ms)
      if (m.name == im.name)
        fun.push_back(m.ifn);
  if (fun.size() != iface->fields.size())
    report_fatal_error("internal error: " + Twine(t->str()) + " does not implement " +
                       iface->str());
  auto *funTy = ArrayType::get(ptr, fun.size());
  auto *sty = StructType::get(ctx_, {ptr, ptr, b_.getInt32Ty(), b_.getInt32Ty(), funTy});
  GlobalVariable *tdesc = typeDesc(t);
  auto *rt = cast<ConstantStruct>(cast<ConstantStruct>(tdesc->getInitializer())->getOperand(0));
  auto *gv = new GlobalVariable(
      *mod_, sty, true, GlobalValue::InternalLinkage,
      ConstantStruct::get(sty, {typeDesc(iface), tdesc, rt->getOperand(2), b_.getInt32(0),
                                ConstantArray::get(funTy, fun)}),
      "go.itab." + typeString(t, true) + "," + typeString(iface, true));
  gv->setAlignment(Align(8));
  itabs_[key] = gv;
  itabOrder_.push_back(gv);
  return gv;
}

// emitItabLinks writes runtime.itablinks, {array, len} of every itab of the module.
void IRGen::emitItabLinks() {
  auto *ptr = PointerType::getUnqual(ctx_);
  auto *arrTy = ArrayType::get(ptr, itabOrder_.size());
  std::vector<Constant *> elems(itabOrder_.begin(), itabOrder_.end());
  auto *arr = new GlobalVariable(*mod_, arrTy, true, GlobalValue::PrivateLinkage,
                                 ConstantArray::get(arrTy, elems), "go.itablinks");
  auto *sty = StructType::get(ctx_, {ptr, b_.getInt64Ty()});
  new GlobalVariable(*mod_, sty, true, GlobalValue::ExternalLinkage,
                     ConstantStruct::get(sty, {arr, b_.getInt64(int64_t(itabOrder_.size()))}),
                     "runtime.itablinks");
}

// dataWord is the interface data word for v of type t (gc's dataWord).
Value *IRGen::dataWord(Value *v, const toy::Type *t) {
  auto *ptr = PointerType::getUnqual(ctx_);
  if (isDirectIface(t))
    return v;
  const DataLayout &dl = mod_->getDataLayout();
  uint64_t size = dl.getTypeAllocSize(v->getType());
  uint64_t align = dl.getABITypeAlign(v->getType()).value();
  if (!hasPointers(t) && ((size == 2 && align == 2) || (size == 4 && align == 4) ||
                          (size == 8 && align == 8))) {
    llvm::Type *it = b_.getIntNTy(unsigned(size * 8));
    Value *bits;
    if (v->getType()->isIntegerTy() || v->getType()->isFloatingPointTy()) {
      bits = b_.CreateBitCast(v, it);
    } else { // a struct or array of that size: its bytes
      AllocaInst *tmp = entryAlloca(v->getType(), "conv");
      b_.CreateStore(v, tmp);
      bits = b_.CreateLoad(it, tmp);
    }
    std::string fn = "runtime.convT" + std::to_string(size * 8);
    return b_.CreateCall(runtimeFn(fn, ptr, {it}), {bits});
  }
  if (t->underlying()->isString())
    return b_.CreateCall(runtimeFn("runtime.convTstring", ptr, {ptr, b_.getInt64Ty()}),
                         {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1)});
  if (t->underlying()->isSlice())
    return b_.CreateCall(
        runtimeFn("runtime.convTslice", ptr, {ptr, b_.getInt64Ty(), b_.getInt64Ty()}),
        {b_.CreateExtractValue(v, 0), b_.CreateExtractValue(v, 1), b_.CreateExtractValue(v, 2)});
  AllocaInst *tmp = entryAlloca(v->getType(), "conv");
  b_.CreateStore(v, tmp);
  return b_.CreateCall(
      runtimeFn(hasPointers(t) ? "runtime.convT" : "runtime.convTnoptr", ptr, {ptr, ptr}),
      {typeDesc(t), tmp});
}

// typeWord is the dynamic type of interface value x of type xt: eface's first word, or the
// itab's _type (nil for a nil interface).
Value *IRGen::typeWord(Value *x, const toy::Type *xt) {
  Value *tab = b_.CreateExtractValue(x, 0);
  if (xt->fields.empty())
    return tab;
  auto *ptr = PointerType::getUnqual(ctx_);
  BasicBlock *from = b_.GetInsertBlock();
  BasicBlock *loadB = BasicBlock::Create(ctx_, "itab.type", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "itab.end", fn_);
  b_.CreateCondBr(b_.CreateIsNull(tab), endB, loadB);
  b_.SetInsertPoint(loadB);
  Value *typ = b_.CreateLoad(ptr, b_.CreateConstGEP1_64(b_.getInt8Ty(), tab, 8), "type");
  b_.CreateBr(endB);
  b_.SetInsertPoint(endB);
  PHINode *phi = b_.CreatePHI(ptr, 2);
  phi->addIncoming(ConstantPointerNull::get(ptr), from);
  phi->addIncoming(typ, loadB);
  return phi;
}

// toIface converts v of type from to interface type to: a concrete value gets its type word
// (type.T or go.itab.T,I) and data word; an interface value keeps its data word, and its
// dynamic type gets the itab for `to` (runtime.convI2I, as gc does).
Value *IRGen::toIface(Value *v, const toy::Type *from, const toy::Type *to) {
  auto *ptr = PointerType::getUnqual(ctx_);
  Value *word, *data;
  if (from->isInterface()) {
    data = b_.CreateExtractValue(v, 1);
    if (to->fields.empty())
      word = typeWord(v, from);
    else
      word = b_.CreateCall(runtimeFn("runtime.convI2I", ptr, {ptr, ptr}),
                           {typeDesc(to), b_.CreateExtractValue(v, 0)});
  } else {
    word = to->fields.empty() ? typeDesc(from) : itabFor(from, to);
    data = dataWord(v, from);
  }
  Value *r = b_.CreateInsertValue(UndefValue::get(ifaceTy()), word, 0);
  return b_.CreateInsertValue(r, data, 1);
}

// fromData is the T value a data word holds.
Value *IRGen::fromData(Value *data, const toy::Type *t) {
  if (isDirectIface(t))
    return data;
  return b_.CreateLoad(lower(t), data, "iface.val");
}

// ifaceCall is x.M(args) for an interface value x: fun[i] of x's itab, called with the data
// word as the receiver; a nil x is Go's nil dereference.
Value *IRGen::ifaceCall(CallExpr *e, SelectorExpr *s) {
  auto *ptr = PointerType::getUnqual(ctx_);
  Value *x = expr(s->base.get());
  std::vector<Value *> args = {b_.CreateExtractValue(x, 1)};
  for (auto &a : e->args)
    args.push_back(expr(a.get()));
  Value *tab = nilCheck(b_.CreateExtractValue(x, 0));
  Value *code =
      b_.CreateLoad(ptr, b_.CreateConstGEP1_64(b_.getInt8Ty(), tab, 24 + 8 * s->imethod), "fun");
  const toy::Type *sig = s->type;
  std::vector<llvm::Type *> ps = {ptr};
  for (auto *p : sig->params)
    ps.push_back(lower(p));
  return b_.CreateCall(FunctionType::get(resultTy(sig), ps, false), code, args);
}

// ifaceMethodValue is x.M as a func value: a closure over a copy of x whose code calls M
// through the itab (gc's I.M-fm).
Value *IRGen::ifaceMethodValue(SelectorExpr *s) {
  auto *ptr = PointerType::getUnqual(ctx_);
  Value *x = expr(s->base.get());
  nilCheck(b_.CreateExtractValue(x, 0)); // Go evaluates x.M, and panics for a nil x, here
  Value *env = mallocgc(b_.getInt64(16), "recv");
  b_.CreateStore(x, env);
  const toy::Type *it = s->base->type;
  std::string name = typeString(it, true) + "." + s->sel + "-fm";
  Function *w = mod_->getFunction(name);
  if (!w) {
    w = generatedFn(closureFnTy(s->type), name);
    IRBuilder<> wb(BasicBlock::Create(ctx_, "entry", w));
    attachSubprogram(w, {}, /*artificial=*/true, wb);
    Value *iv = wb.CreateLoad(ifaceTy(), w->getArg(0));
    std::vector<Value *> args = {wb.CreateExtractValue(iv, 1)};
    for (unsigned i = 1; i < w->arg_size(); ++i)
      args.push_back(w->getArg(i));
    Value *code = wb.CreateLoad(
        ptr, wb.CreateConstGEP1_64(wb.getInt8Ty(), wb.CreateExtractValue(iv, 0), 24 + 8 * s->imethod));
    std::vector<llvm::Type *> ps = {ptr};
    for (auto *p : s->type->params)
      ps.push_back(lower(p));
    Value *r = wb.CreateCall(FunctionType::get(resultTy(s->type), ps, false), code, args);
    if (w->getReturnType()->isVoidTy())
      wb.CreateRetVoid();
    else
      wb.CreateRet(r);
  }
  Value *closure = UndefValue::get(closureTy());
  closure = b_.CreateInsertValue(closure, w, 0);
  return b_.CreateInsertValue(closure, env, 1);
}

// assertTo is the check of x.(T) for interface value x of type xt: whether it holds T (a
// concrete T: its type word is type.T; an interface T: its dynamic type implements T, by
// runtime.assertE2I2), and the T value, valid when it does.
std::pair<Value *, Value *> IRGen::assertTo(Value *x, const toy::Type *xt, const toy::Type *t) {
  auto *ptr = PointerType::getUnqual(ctx_);
  Value *typ = typeWord(x, xt), *data = b_.CreateExtractValue(x, 1);
  if (t->isInterface()) {
    if (t->fields.empty()) {
      Value *r = b_.CreateInsertValue(UndefValue::get(ifaceTy()), typ, 0);
      return {b_.CreateIsNotNull(typ), b_.CreateInsertValue(r, data, 1)};
    }
    Value *r = b_.CreateCall(runtimeFn("runtime.assertE2I2", ifaceTy(), {ptr, ptr, ptr}),
                             {typeDesc(t), typ, data});
    return {b_.CreateIsNotNull(b_.CreateExtractValue(r, 0)), r};
  }
  return {b_.CreateICmpEQ(typ, typeDesc(t)), nullptr};
}

// typeAssert is x.(T), panicking as Go's panicdottypeE/I and assertE2I when x does not hold
// T, or (v, ok) for v, ok := x.(T) (v the zero T when not).
Value *IRGen::typeAssert(TypeAssertExpr *e) {
  auto *ptr = PointerType::getUnqual(ctx_);
  const toy::Type *xt = e->x->type;
  const toy::Type *t = e->commaOk ? e->type->results[0] : e->type;
  Value *x = expr(e->x.get());
  auto [ok, val] = assertTo(x, xt, t);
  BasicBlock *okB = BasicBlock::Create(ctx_, "assert.ok", fn_);
  BasicBlock *failB = BasicBlock::Create(ctx_, "assert.fail", fn_);
  BasicBlock *from = b_.GetInsertBlock();
  b_.CreateCondBr(ok, okB, failB);
  b_.SetInsertPoint(okB);
  if (!val)
    val = fromData(b_.CreateExtractValue(x, 1), t);
  BasicBlock *okEnd = b_.GetInsertBlock();
  if (e->commaOk) {
    BasicBlock *endB = BasicBlock::Create(ctx_, "assert.end", fn_);
    b_.CreateBr(endB);
    b_.SetInsertPoint(failB);
    b_.CreateBr(endB);
    b_.SetInsertPoint(endB);
    PHINode *v = b_.CreatePHI(lower(t), 2);
    v->addIncoming(val, okEnd);
    v->addIncoming(Constant::getNullValue(lower(t)), failB);
    PHINode *okv = b_.CreatePHI(b_.getInt1Ty(), 2);
    okv->addIncoming(b_.getTrue(), okEnd);
    okv->addIncoming(b_.getFalse(), failB);
    Value *r = b_.CreateInsertValue(
        UndefValue::get(StructType::get(ctx_, {lower(t), b_.getInt1Ty()})), v, 0);
    return b_.CreateInsertValue(r, okv, 1);
  }
  (void)from;
  b_.SetInsertPoint(failB);
  Value *tab = b_.CreateExtractValue(x, 0);
  if (t->isInterface()) // reports the missing method, or a nil x
    b_.CreateCall(runtimeFn("runtime.assertE2I", ptr, {ptr, ptr}), {typeDesc(t), typeWord(x, xt)});
  if (xt->fields.empty())
    b_.CreateCall(runtimeFn("runtime.panicdottypeE", b_.getVoidTy(), {ptr, ptr, ptr}, true),
                  {tab, typeDesc(t), typeDesc(xt)});
  else
    b_.CreateCall(runtimeFn("runtime.panicdottypeI", b_.getVoidTy(), {ptr, ptr, ptr}, true),
                  {tab, typeDesc(t), typeDesc(xt)});
  b_.CreateUnreachable();
  b_.SetInsertPoint(okEnd);
  return val;
}

// typeSwitch tests the cases top to bottom, left to right, against x's dynamic type; a
// clause's variable is the case's T value when the clause names one type, else x.
void IRGen::typeSwitch(SwitchStmt *s) {
  stmt(s->init.get());
  auto *g = static_cast<TypeAssertExpr *>(s->tag.get());
  const toy::Type *xt = g->x->type;
  Value *x = expr(g->x.get());
  Value *typ = typeWord(x, xt);
  BasicBlock *endB = BasicBlock::Create(ctx_, "switch.end", fn_);
  BasicBlock *defaultB = endB;
  std::vector<BasicBlock *> bodies;
  for (auto &c : s->clauses) {
    bodies.push_back(BasicBlock::Create(ctx_, c.isDefault ? "switch.default" : "switch.case", fn_));
    if (c.isDefault)
      defaultB = bodies.back();
  }
  for (size_t i = 0; i < s->clauses.size(); ++i)
    for (const toy::Type *ct : s->clauses[i].caseTypes) {
      Value *match;
      if (!ct)
        match = b_.CreateIsNull(typ);
      else if (ct->isInterface())
        match = assertTo(x, xt, ct).first;
      else
        match = b_.CreateICmpEQ(typ, typeDesc(ct));
      BasicBlock *next = BasicBlock::Create(ctx_, "switch.next", fn_);
      b_.CreateCondBr(match, bodies[i], next);
      b_.SetInsertPoint(next);
    }
  b_.CreateBr(defaultB);
  loops_[s] = {endB, nullptr};
  for (size_t i = 0; i < s->clauses.size(); ++i) {
    CaseClause &c = s->clauses[i];
    b_.SetInsertPoint(bodies[i]);
    if (c.var) {
      const toy::Type *ct = c.caseTypes.size() == 1 ? c.caseTypes[0] : nullptr;
      Value *v = x;
      if (ct && ct->isInterface())
        v = assertTo(x, xt, ct).second;
      else if (ct)
        v = fromData(b_.CreateExtractValue(x, 1), ct);
      declareVar(c.var, v);
    }
    for (auto &st : c.body)
      stmt(st.get());
    if (!b_.GetInsertBlock()->getTerminator())
      b_.CreateBr(endB);
  }
  b_.SetInsertPoint(endB);
}

// ifaceEqual is l == r for interface values: the same type word, then the dynamic type's
// equality (runtime.efaceeq/ifaceeq, which panic for an uncomparable type). A comparison with
// nil compares the type word only.
Value *IRGen::ifaceEqual(Value *l, Value *r, const toy::Type *t) {
  auto *ptr = PointerType::getUnqual(ctx_);
  Value *lt = b_.CreateExtractValue(l, 0), *rt = b_.CreateExtractValue(r, 0);
  Value *sameType = b_.CreateICmpEQ(lt, rt);
  for (Value *side : {l, r})
    if (auto *c = dyn_cast<Constant>(side); c && c->isNullValue())
      return sameType;
  BasicBlock *from = b_.GetInsertBlock();
  BasicBlock *dataB = BasicBlock::Create(ctx_, "iface.eq", fn_);
  BasicBlock *endB = BasicBlock::Create(ctx_, "iface.eq.end", fn_);
  b_.CreateCondBr(sameType, dataB, endB);
  b_.SetInsertPoint(dataB);
  Value *eq = b_.CreateCall(
      runtimeFn(t->fields.empty() ? "runtime.efaceeq" : "runtime.ifaceeq", b_.getInt1Ty(),
                {ptr, ptr, ptr}),
      {lt, b_.CreateExtractValue(l, 1), b_.CreateExtractValue(r, 1)});
  BasicBlock *dataEnd = b_.GetInsertBlock();
  b_.CreateBr(endB);
  b_.SetInsertPoint(endB);
  PHINode *phi = b_.CreatePHI(b_.getInt1Ty(), 2);
  phi->addIncoming(b_.getFalse(), from);
  phi->addIncoming(eq, dataEnd);
  return phi;
}

} // namespace toy
