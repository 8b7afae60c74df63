//===- Pclntab.cpp - the pc → function/file/line table --------------------===//
#include "Pclntab.h"

#include <llvm/DebugInfo/DWARF/DWARFContext.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/Endian.h>

#include <tuple>
#include <vector>

using namespace llvm;

namespace toy {

namespace {

// Must match runtime/symtab.cpp.
constexpr uint32_t pclntabMagic = 0x31796f74; // "toy1"
constexpr uint32_t funcFlagNoArgs = 1;        // prints as f()
constexpr uint32_t funcFlagWrapper = 2;       // a compiler-made wrapper, hidden as Go hides its own

// The last dot-separated part of a function's name: M in main.(*T).M, func1 in main.main.func1.
StringRef lastPart(StringRef name) { return name.substr(name.rfind('.') + 1); }

bool numbered(StringRef part, StringRef kind) {
  return part.starts_with(kind) && part.size() > kind.size() &&
         part.drop_front(kind.size()).find_first_not_of("0123456789") == StringRef::npos;
}

// The wrappers of go and defer statements and of function values (IRGen::generatedFn).
bool isWrapper(StringRef name) {
  StringRef part = lastPart(name);
  return numbered(part, "gowrap") || numbered(part, "deferwrap") || part == "funcval";
}

// The table under construction: strings and inlining nodes are shared by all functions.
struct TableBuilder {
  std::string strings;
  std::map<std::string, uint32_t> stringOffsets;
  std::vector<uint32_t> nodes; // 5 words each: name, file, line, parent, flags
  std::map<std::tuple<uint32_t, uint32_t, uint32_t, int32_t, uint32_t>, uint32_t> nodeIndex;
  std::vector<uint32_t> pcs; // 2 words each: pc offset, innermost node
  const GoFuncs &funcs;

  explicit TableBuilder(const GoFuncs &funcs) : funcs(funcs) {}

  uint32_t str(const std::string &s) {
    auto [it, added] = stringOffsets.try_emplace(s, uint32_t(strings.size()));
    if (added) {
      strings += s;
      strings.push_back('\0');
    }
    return it->second;
  }

  uint32_t flags(const std::string &name) {
    uint32_t f = isWrapper(name) ? funcFlagWrapper : 0;
    auto it = funcs.find(name);
    if (it != funcs.end() && it->second.args == 0)
      f |= funcFlagNoArgs;
    if (it != funcs.end() && it->second.wrapper)
      f |= funcFlagWrapper;
    return f;
  }

  uint32_t node(const std::string &name, const std::string &file, uint32_t line, int32_t parent) {
    auto key = std::make_tuple(str(name), str(file), line, parent, flags(name));
    auto [it, added] = nodeIndex.try_emplace(key, uint32_t(nodes.size() / 5));
    if (added)
      for (uint32_t w : {std::get<0>(key), std::get<1>(key), std::get<2>(key),
                         uint32_t(std::get<3>(key)), std::get<4>(key)})
        nodes.push_back(w);
    return it->second;
  }
};

// faultingPCs reads the object's .llvm_faultmaps section (LLVM's FaultMaps format: a 4-byte
// header, a function count, then per function its address, a count of faulting pcs and a
// reserved word, and per faulting pc its kind, pc offset and handler pc offset) into a map
// from each faulting pc to its handler's pc, both as offsets in the function's section, per
// section (the key's first part is the section's index: functions of .text and of toytext
// have offsets that overlap). In a relocatable object the function addresses are relocations
// (a symbol or section plus an addend), read from the section's relocation section.
using FaultMap = std::map<std::pair<uint64_t, uint64_t>, uint64_t>;
FaultMap faultingPCs(const object::ObjectFile &obj) {
  FaultMap handlers;
  for (const object::SectionRef &sec : obj.sections()) {
    Expected<StringRef> name = sec.getName();
    if (!name) {
      consumeError(name.takeError());
      continue;
    }
    if (*name != ".llvm_faultmaps")
      continue;
    Expected<StringRef> contents = sec.getContents();
    if (!contents) {
      consumeError(contents.takeError());
      return handlers;
    }
    // offset of a FunctionAddress field → its section's index and its value
    std::map<uint64_t, std::pair<uint64_t, uint64_t>> funcAddrs;
    for (const object::SectionRef &rsec : obj.sections()) {
      Expected<object::section_iterator> target = rsec.getRelocatedSection();
      if (!target) {
        consumeError(target.takeError());
        continue;
      }
      if (*target != sec)
        continue;
      for (const object::RelocationRef &r : rsec.relocations()) {
        Expected<int64_t> addend = object::ELFRelocationRef(r).getAddend();
        Expected<uint64_t> symAddr = r.getSymbol()->getAddress();
        Expected<object::section_iterator> symSec = r.getSymbol()->getSection();
        if (!addend || !symAddr || !symSec || *symSec == obj.section_end()) {
          consumeError(addend.takeError());
          consumeError(symAddr.takeError());
          if (!symSec)
            consumeError(symSec.takeError());
          continue;
        }
        funcAddrs[r.getOffset()] = {(*symSec)->getIndex(), *symAddr + uint64_t(*addend)};
      }
    }
    StringRef d = *contents;
    auto u32 = [&](size_t off) { return support::endian::read32le(d.data() + off); };
    if (d.size() < 8 || d[0] != 1) // version 1
      return handlers;
    uint32_t nfuncs = u32(4);
    size_t off = 8;
    for (uint32_t i = 0; i < nfuncs && off + 16 <= d.size(); i++) {
      uint32_t npcs = u32(off + 8);
      auto fa = funcAddrs.find(off);
      off += 16;
      if (fa == funcAddrs.end()) { // no relocation: not a function of this object's sections
        off += size_t(npcs) * 12;
        continue;
      }
      auto [sec, faddr] = fa->second;
      for (uint32_t j = 0; j < npcs && off + 12 <= d.size(); j++, off += 12)
        handlers[{sec, faddr + u32(off + 4)}] = faddr + u32(off + 8);
    }
  }
  return handlers;
}

} // namespace

GoFuncs goFuncs(const Module &m) {
  GoFuncs funcs;
  for (const Function &f : m)
    if (!f.isDeclaration()) {
      unsigned n = f.arg_size();
      if (f.hasFnAttribute("toy-closure") && n > 0) // its environment (IRGen::funcLit)
        --n;
      funcs[f.getName().str()] = GoFunc{n, f.getSection() == "toy_wrappers"};
    }
  return funcs;
}

void externalizeFunctions(Module &m) {
  for (Function &f : m)
    if (!f.isDeclaration() && f.hasLocalLinkage()) {
      f.setLinkage(GlobalValue::ExternalLinkage);
      f.setVisibility(GlobalValue::HiddenVisibility);
    }
}

std::unique_ptr<Module> buildPclntab(const object::ObjectFile &obj,
                                     const GoFuncs &goFuncs,
                                     LLVMContext &ctx, std::string &err) {
  std::unique_ptr<DWARFContext> dwarf = DWARFContext::create(
      obj, DWARFContext::ProcessDebugRelocations::Process, nullptr, "",
      [&](Error e) { err = toString(std::move(e)); }, [](Error e) { consumeError(std::move(e)); });
  DILineInfoSpecifier spec(DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath,
                           DINameKind::ShortName);
  TableBuilder tb(goFuncs);
  FaultMap faults = faultingPCs(obj);

  auto mod = std::make_unique<Module>("pclntab", ctx);
  auto *i32 = Type::getInt32Ty(ctx);
  auto *ptrTy = PointerType::getUnqual(ctx);
  auto *funcTy = StructType::get(ctx, {ptrTy, i32, i32, i32, i32, i32, i32});
  std::vector<Constant *> funcs;
  auto c32 = [&](uint32_t v) { return ConstantInt::get(i32, v); };

  for (const object::SymbolRef &sym : obj.symbols()) {
    Expected<object::SymbolRef::Type> type = sym.getType();
    Expected<StringRef> name = sym.getName();
    Expected<uint64_t> addr = sym.getAddress();
    Expected<object::section_iterator> sec = sym.getSection();
    if (!type || !name || !addr || !sec) {
      consumeError(type.takeError());
      consumeError(name.takeError());
      consumeError(addr.takeError());
      consumeError(sec.takeError());
      err = "unreadable symbol table";
      return nullptr;
    }
    if (*type != object::SymbolRef::ST_Function || *sec == obj.section_end())
      continue;
    uint64_t size = object::ELFSymbolRef(sym).getSize();
    uint64_t secIndex = (*sec)->getIndex();
    std::string fname = name->str();
    uint32_t pcstart = uint32_t(tb.pcs.size() / 2);
    uint32_t lastNode = UINT32_MAX;
    // The frames of the code at an address: the innermost node, or -1 for code that no
    // source line owns (a row at line 0), which keeps the previous row's frames.
    auto framesAt = [&](uint64_t a) {
      DIInliningInfo inl = dwarf->getInliningInfoForAddress({a, secIndex}, spec);
      uint32_t n = inl.getNumberOfFrames();
      if (n == 0 || inl.getFrame(0).Line == 0)
        return int32_t(-1);
      int32_t parent = -1;
      for (uint32_t i = n; i-- > 0;) {
        const DILineInfo &fr = inl.getFrame(i);
        // The outermost frame is the function itself, whatever name its DWARF gives.
        std::string frameName = i == n - 1 ? fname : fr.FunctionName;
        parent = int32_t(tb.node(frameName, fr.FileName, fr.Line, parent));
      }
      return parent;
    };
    std::map<uint64_t, int32_t> rowFrames; // address → frames, in address order
    DILineInfoTable rows = dwarf->getLineInfoForAddressRange({*addr, secIndex}, size, spec);
    // The range's rows can include other sections' rows at the same offsets (a relocatable
    // object's sections all start at 0): only this function's own addresses count.
    for (auto &[rowAddr, info] : rows)
      if (rowAddr >= *addr && rowAddr < *addr + size)
        rowFrames[rowAddr] = framesAt(rowAddr);
    // A load or store that a nil check was folded into (enableImplicitNullChecks) has no
    // line of its own (LLVM's pass gives it none); it takes its handler's, the panicmem call
    // made at the dereference, inlined calls and all. The next byte returns to the frames
    // that were in force there, so only the faulting pc itself changes.
    for (auto it = faults.lower_bound({secIndex, *addr});
         it != faults.end() && it->first.first == secIndex && it->first.second < *addr + size;
         ++it) {
      uint64_t pc = it->first.second;
      int32_t handler = framesAt(it->second);
      if (handler < 0)
        continue;
      if (!rowFrames.count(pc + 1)) {
        auto next = rowFrames.upper_bound(pc);
        int32_t before = -1;
        for (auto b = std::make_reverse_iterator(next); b != rowFrames.rend(); ++b)
          if (b->second >= 0) {
            before = b->second;
            break;
          }
        if (next == rowFrames.end() || next->first > pc + 1)
          rowFrames[pc + 1] = before;
      }
      rowFrames[pc] = handler;
    }
    for (auto &[rowAddr, frames] : rowFrames) {
      if (frames < 0 || uint32_t(frames) == lastNode)
        continue;
      lastNode = uint32_t(frames);
      tb.pcs.push_back(uint32_t(rowAddr - *addr));
      tb.pcs.push_back(lastNode);
    }
    Function *f = mod->getFunction(fname);
    if (!f)
      f = Function::Create(FunctionType::get(Type::getVoidTy(ctx), false),
                           GlobalValue::ExternalLinkage, fname, mod.get());
    funcs.push_back(ConstantStruct::get(
        funcTy, {f, c32(uint32_t(size)), c32(tb.str(fname)), c32(pcstart),
                 c32(uint32_t(tb.pcs.size() / 2) - pcstart), c32(tb.flags(fname)), c32(0)}));
  }
  if (!err.empty())
    return nullptr;

  auto global = [&](Constant *init, const Twine &name, GlobalValue::LinkageTypes linkage) {
    return new GlobalVariable(*mod, init->getType(), /*isConstant=*/true, linkage, init, name);
  };
  Constant *ftab = global(ConstantArray::get(ArrayType::get(funcTy, funcs.size()), funcs),
                          "toy.pclntab.ftab", GlobalValue::InternalLinkage);
  Constant *pctab = global(ConstantDataArray::get(ctx, tb.pcs), "toy.pclntab.pctab",
                           GlobalValue::InternalLinkage);
  Constant *nodes = global(ConstantDataArray::get(ctx, tb.nodes), "toy.pclntab.nodes",
                           GlobalValue::InternalLinkage);
  Constant *strs = global(ConstantDataArray::getString(ctx, tb.strings, /*AddNull=*/false),
                          "toy.pclntab.strings", GlobalValue::InternalLinkage);
  Constant *header = ConstantStruct::getAnon(
      {c32(pclntabMagic), c32(uint32_t(funcs.size())), ftab, pctab, nodes, strs});
  global(header, "runtime.pclntab", GlobalValue::ExternalLinkage);
  return mod;
}

} // namespace toy
