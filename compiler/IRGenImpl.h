//===- IRGenImpl.h - the IR generator's class -----------------------------===//
//
// Shared by IRGen.cpp and the files that generate one area each (IRGenChan.cpp); the public
// entry point is generateIR in IRGen.h.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_IRGENIMPL_H
#define TOY_IRGENIMPL_H

#include "IRGen.h"
#include "Package.h"

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>

#include <functional>
#include <map>

using namespace llvm;

namespace toy {

/// T as gc's symbol names write it: every defined type qualified by its package path.
std::string linkString(const toy::Type *t);

class IRGen {
public:
  IRGen(TypeContext &types, LLVMContext &ctx, const std::string &name,
        std::vector<std::string> fileNames, bool debugInfo, bool simulate)
      : types_(types), ctx_(ctx), mod_(std::make_unique<Module>(name, ctx)), b_(ctx),
        debugInfo_(debugInfo), simulate_(simulate), fileNames_(std::move(fileNames)) {}

  std::unique_ptr<Module> run(const std::vector<Package *> &packages);

private:
  llvm::Type *lower(const toy::Type *t);
  llvm::StructType *stringTy();
  llvm::StructType *closureTy();
  FunctionType *closureFnTy(const toy::Type *ft);
  Value *funcValue(Object *fn);
  Value *funcValue(Function *target, const toy::Type *ft);
  Value *funcLit(FuncLitExpr *e);
  Value *callValue(Value *closure, const toy::Type *ft, ArrayRef<Value *> args);
  Value *varAddr(Object *o);
  void declareVar(Object *o, Value *init);
  void storeInit(Value *init, Value *ptr);
  void storeValue(Value *v, Value *ptr);
  /// Gives the names of `a, b := …` their values: a new variable each, or a store to a
  /// reused one.
  void defineVars(DefineStmt *d, ArrayRef<Value *> vals);
  AllocaInst *entryAlloca(llvm::Type *ty, const std::string &name);
  Function *runtimeFn(const std::string &name, llvm::Type *ret, ArrayRef<llvm::Type *> params,
                      bool noreturn = false);
  Function *declare(Object *fn);
  void genFunc(FuncDecl &fn, Function *f, FuncLitExpr *lit = nullptr);

  // DWARF, as `go build` emits it: functions, line table, local variables.
  void beginDebugInfo();
  void attachSubprogram(Function *f, SourceLoc loc, bool artificial, IRBuilder<> &b);
  void setLoc(SourceLoc loc);
  DIType *debugType(const toy::Type *t);
  void declareDebugVar(Object *o, AllocaInst *slot);

  void stmt(Stmt *s);
  void block(BlockStmt *b);
  void startDeadBlock();
  void stackCheck();
  void loopBackEdge();
  void fuelCheck();
  Value *addr(Expr *lvalue);
  void assignStmt(AssignStmt *s);
  void goStmt(GoStmt *s);
  void switchStmt(SwitchStmt *s);
  void initTask(const Package &pkg, Function *varInit);
  // Package variables (IRGenInit.cpp).
  static bool isStaticInit(const Expr *e) { return e->isConst || e->isConstString; }
  /// <path>.init, gc's function initialising the package's variables in Sema's order; null
  /// when every initialiser is a constant.
  Function *packageInit(const Package &pkg);
  void globals(File &file);
  DIFile *diFile(uint32_t file);
  void deferStmt(DeferStmt *s);
  Function *boundCall(CallExpr *c, const std::vector<Expr *> &bound, const std::string &name,
                      Value *&block);
  void deferreturn();
  void markWrapper(Function *w);
  BasicBlock *recoveredBlock();
  void storeResults(const std::vector<Value *> &vals);
  std::vector<Value *> loadResults();
  void ret(const std::vector<Value *> &vals);
  Function *goWrapper(Function *callee, llvm::StructType *argsTy, SourceLoc loc);
  Function *goValueWrapper(const toy::Type *ft, llvm::StructType *argsTy, SourceLoc loc);
  Function *startGoWrapper(llvm::StructType *argsTy, IRBuilder<> &wb, std::vector<Value *> &fields,
                           SourceLoc loc);
  Function *generatedFn(FunctionType *ty, const std::string &name);

  Value *expr(Expr *e);
  llvm::Type *resultTy(const toy::Type *ft);
  void returnStmt(ReturnStmt *r);
  Value *constant(Expr *e);
  Value *stringConst(const std::string &s);
  Value *binary(BinaryExpr *e);
  Value *binaryOp(BinaryExpr *e, Value *l);
  Value *concat(const std::vector<Expr *> &operands);
  Value *arith(Tok op, Value *l, Value *r, const toy::Type *t);
  Value *divide(Tok op, Value *l, Value *r, const toy::Type *t, bool knownSafe);
  Value *shift(Tok op, Value *l, Value *r, const toy::Type *lt, const toy::Type *rt, Expr *re);
  Value *compare(Tok op, Value *l, Value *r, const toy::Type *t);
  Value *logical(BinaryExpr *e, Value *l);
  Value *call(CallExpr *e);
  Value *builtin(CallExpr *e, int id);
  Value *convert(Value *v, const toy::Type *from, const toy::Type *to);
  Value *floatToInt(Value *v, const toy::Type *to);
  void panicIf(Value *cond, Function *panicFn);
  Value *nilCheck(Value *p);
  // Indexing, slicing and range (strings).
  Value *toInt64(Value *v, const toy::Type *t);
  void boundsCheck(Value *x, const toy::Type *xt, Value *y, bool inclusive, const char *panicFn);
  Value *index(IndexExpr *e);
  Value *elemAddr(IndexExpr *e);
  Value *compositeLit(CompositeLitExpr *e);
  Value *arrayEqual(Value *l, Value *r, const toy::Type *t);
  // Generated equality and hash functions (IRGenAlg.cpp), gc's type..eq.T and type..hash.T.
public:
  /// type..eq.T: `i1 (ptr p, ptr q)`, whether the T values at p and q are equal (Go's ==).
  Function *typeEqual(const toy::Type *t);
  /// type..hash.T: `i64 (ptr p, i64 h)`, Go's func(p unsafe.Pointer, h uintptr) uintptr
  /// hashing the T value at p with seed h. Equal values hash alike. For T the runtime hashes
  /// in one call (4 or 8 bytes of plain memory, strings, floats) it is that runtime function.
  Function *typeHash(const toy::Type *t);

private:
  bool isPlainMemory(const toy::Type *t);
  uint64_t typeSize(const toy::Type *t);
  Function *algFn(FunctionType *ty, const std::string &kind, const toy::Type *t);
  Value *equalAt(IRBuilder<> &b, const toy::Type *t, Value *p, Value *q);
  Value *hashAt(IRBuilder<> &b, const toy::Type *t, Value *p, Value *h);
  std::map<const toy::Type *, Function *> eqFns_, hashFns_;

  // Structs: ==, fields and DWARF.
  Value *structEqual(Value *l, Value *r, const toy::Type *t);
  Value *fieldAddr(SelectorExpr *e);
  Value *field(SelectorExpr *e);
  DIType *structDebugType(const toy::Type *t);
  llvm::StructType *sliceTy();
  Value *elemSize(const toy::Type *elem);
  Value *makeSlice(Value *p, Value *len, Value *cap);
  Value *sliceBuiltin(CallExpr *e, int id);
  Value *sliceExpr(SliceExpr *e);
  void rangeStmt(ForStmt *f);
  void rangeArray(ForStmt *f);
  void assignRangeVars(ForStmt *f, ArrayRef<Value *> vals);
  // Methods (IRGenMethod.cpp).
  /// The selector of a call x.M(…) of a method M (not a method expression), or null.
  static SelectorExpr *methodCallee(Expr *callee) {
    auto *s = callee->kind == Expr::Selector ? static_cast<SelectorExpr *>(callee) : nullptr;
    return s && s->method && !s->methodExpr ? s : nullptr;
  }
  Value *methodCall(CallExpr *e, SelectorExpr *s);
  Function *promotedWrapper(const toy::Type *recvT, const std::vector<int> &path, Object *m,
                            const std::string &iname = "");
  Function *forwarder(const std::string &name, FunctionType *ty, Function *target,
                      const std::function<Value *(IRBuilder<> &, Value *)> &recv);
  Value *methodValue(SelectorExpr *s);
  Value *methodExprValue(SelectorExpr *s);
  // Interfaces (IRGenIface.cpp).
  struct IfaceMethod {
    std::string name;
    const toy::Type *sig;
    Function *ifn; // takes the data word as its receiver
  };
  llvm::StructType *ifaceTy();
  llvm::StructType *rtypeTy();
  Constant *nameConst(const std::string &s, bool embedded = false);
  std::vector<IfaceMethod> methodSet(const toy::Type *t);
  Function *ptrWrapper(Object *m);
  GlobalVariable *typeDesc(const toy::Type *t);
  GlobalVariable *itabFor(const toy::Type *t, const toy::Type *iface);
  void emitItabLinks();
  /// Emits toy.gostarts, the table naming each go statement's wrapper's callee (gostarts_).
  void emitGoStarts();
  Value *dataWord(Value *v, const toy::Type *t);
  Value *typeWord(Value *x, const toy::Type *xt);
  Value *toIface(Value *v, const toy::Type *from, const toy::Type *to);
  Value *fromData(Value *data, const toy::Type *t);
  Value *ifaceCall(CallExpr *e, SelectorExpr *s);
  Value *ifaceMethodValue(SelectorExpr *s);
  std::pair<Value *, Value *> assertTo(Value *x, const toy::Type *xt, const toy::Type *t);
  Value *typeAssert(TypeAssertExpr *e);
  void typeSwitch(SwitchStmt *s);
  Value *ifaceEqual(Value *l, Value *r, const toy::Type *t);
  std::map<const toy::Type *, GlobalVariable *> typeDescs_;
  std::map<std::pair<const toy::Type *, const toy::Type *>, GlobalVariable *> itabs_;
  std::vector<GlobalVariable *> itabOrder_;
  std::map<std::string, Constant *> names_;
  // Channels and select (IRGenChan.cpp).
  Value *recv(UnaryExpr *e);
  void sendStmt(SendStmt *s);
  Value *chanBuiltin(CallExpr *e, int id);
  void rangeChan(ForStmt *f);
  void selectStmt(SelectStmt *s);
  void selectCase(CommClause &c, Value *elem, Value *recvOK, BasicBlock *endB);
  void assignRecv(Stmt *comm, Value *elem, Value *recvOK);
  // Maps (IRGenMap.cpp).
  enum MapFast { MapSlow, MapFast32, MapFast64, MapFastStr };
  MapFast mapFast(const toy::Type *mt);
  Value *mapDescriptor(const toy::Type *mt);
  Value *mapCall(const std::string &op, llvm::Type *ret, const toy::Type *mt, Value *h, Value *key,
                 ArrayRef<Value *> extra = {});
  Value *mapZero(const toy::Type *elem);
  Value *mapAccess(const toy::Type *mt, Value *h, Value *key, Value **ok);
  Value *mapIndex(IndexExpr *e);
  Value *mapAssignAddr(IndexExpr *e);
  void mapOpAssign(Tok op, IndexExpr *l, Expr *r);
  Value *makeMap(const toy::Type *mt, Expr *hint, int64_t constHint);
  Value *mapLit(CompositeLitExpr *e);
  Value *mapBuiltin(CallExpr *e, int id);
  void rangeMap(ForStmt *f);
  /// Heap memory (runtime.mallocgc) for a variable box, a closure environment or go's arguments.
  Value *mallocgc(Value *size, const Twine &name);

  TypeContext &types_;
  LLVMContext &ctx_;
  std::unique_ptr<Module> mod_;
  IRBuilder<> b_;
  Function *fn_ = nullptr;
  IRBuilder<> *allocaB_ = nullptr;
  // break and continue targets of each for (a switch has only a break target)
  std::map<const Stmt *, std::pair<BasicBlock *, BasicBlock *>> loops_;
  std::map<const Stmt *, BasicBlock *> fallthrough_; // each fallthrough's next clause body
  std::map<const LabeledStmt *, BasicBlock *> labels_; // this function's goto targets
  /// The block a goto to l jumps to (made at the first goto or at l), or null for a label no
  /// goto names.
  BasicBlock *labelBlock(const LabeledStmt *l);
  std::map<const Expr *, Value *> tuples_;           // a spread call's results
  FuncDecl *fd_ = nullptr;                           // the function being generated
  std::map<std::string, Value *> strings_;
  std::map<const Object *, Value *> slots_; // this function's variables: alloca, or box slot
  std::string funcName_;                    // symbol of the function being generated
  unsigned litCount_ = 0;                   // its function literals so far (.func<N>)
  unsigned goCount_ = 0;                    // its go statements so far (.gowrap<N>)
  std::vector<std::pair<Function *, Function *>> gostarts_; // go wrapper, the function it calls
  unsigned deferCount_ = 0;                 // its defer statements so far (.deferwrap<N>)
  Value *deferFrame_ = nullptr;             // the frame's identity for its deferred calls
  BasicBlock *recoveredB_ = nullptr;        // where deferproc returning 1 goes (recoveredBlock)
  std::vector<Value *> resultSlots_;        // unnamed results of a function that defers calls
  std::map<const Expr *, Value *> bound_;   // values a defer wrapper loaded for expressions
  bool debugInfo_;
  bool simulate_; // toyc --simulate: fuel at every function entry and loop back edge
  std::unique_ptr<DIBuilder> dib_;
  std::vector<std::string> fileNames_;   // by SourceLoc::file
  std::map<uint32_t, DIFile *> diFiles_; // those made so far
  DIFile *dfile_ = nullptr;              // the file of the function being generated
  DISubprogram *sp_ = nullptr; // the function being generated
  unsigned argNo_ = 0;         // its parameters declared so far (DWARF numbers them from 1)
  std::map<const toy::Type *, DIType *> definedDebugTypes_;
  std::map<const toy::Type *, DIType *> structDebugTypes_;
};

} // namespace toy

#endif
