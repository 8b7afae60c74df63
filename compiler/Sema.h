//===- Sema.h - name resolution and type checking -------------------------===//
//
// Resolves identifiers, gives every expression a type (untyped constants get
// the type their context demands, as in Go), folds constants (declared ones
// too, with iota), resolves break/continue/fallthrough and labels, spreads
// calls with several results, and reports Go's errors: undefined names,
// mismatched types, wrong argument counts, missing return, unused variables,
// labels and imports.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_SEMA_H
#define TOY_SEMA_H

#include "AST.h"

#include <functional>
#include <map>
#include <set>

namespace toy {

enum BuiltinId {
  BPrint = 1,
  BPrintln,
  BLen,
  BPanic,
  BConv,
  BCap,
  BAppend,
  BCopy,
  BMake,
  BNew,
  BClose,
  BDelete,
  BRecover
};

class Sema {
public:
  /// A checker for the package whose import path is `path` (its symbols are path.Name).
  Sema(TypeContext &types, DiagEngine &diags, std::string path = "main")
      : types_(types), diags_(diags), path_(std::move(path)) {}
  /// Makes the package at `path`, checked by `pkg`, importable by this one.
  void addImport(const std::string &path, const Sema *pkg) { imports_[path] = pkg; }
  /// Checks the package's declarations; returns false if any error was reported.
  bool check(File &f);
  /// The package clause's name.
  const std::string &packageName() const { return name_; }
  /// The object the package declares as `name`, or null.
  Object *member(const std::string &name) const;
  /// One package variable initialisation: names [first, first+count) of decl get their
  /// values; several names share one initialiser when it is a call with several results.
  struct Initializer {
    VarDeclStmt *decl;
    size_t first, count;
  };
  /// The package variables with initialisers, in Go's initialisation order.
  const std::vector<Initializer> &initOrder() const { return initOrder_; }

private:
  struct Scope {
    std::map<std::string, Object *> names;
    std::vector<Object *> vars; // local variables declared here, for the unused check
  };

  Object *newObject(Object::Kind k, const std::string &name, const Type *t, SourceLoc loc);
  Object *lookup(const std::string &name) const;
  /// lookup for a name used at `at`: the imports of at's file are in scope there.
  Object *lookupAt(const std::string &name, SourceLoc at) const;
  void declare(Object *obj);
  void pushScope() { scopes_.emplace_back(); }
  void popScope();
  void error(SourceLoc loc, const std::string &msg) { diags_.error(loc, msg); }

  void declareUniverse();
  /// "toy does not support <what o is> yet" for a name of Go's universe toy lacks.
  void unsupportedName(SourceLoc loc, const Object *o);
  // Packages (SemaPackage.cpp).
  void declareImports(File &f);
  void reportUnusedImports(File &f);
  /// pkg.sel for an imported package pkg.
  const Type *packageMember(SelectorExpr *e, Object *pkg);
  /// The exported member `sel` of imported package pkg; null after reporting it at `at`.
  Object *importedMember(Object *pkg, const std::string &sel, SourceLoc at);
  /// Gives a body-less function its runtime symbol (//go:linkname), or reports it.
  void bindLinknames(File &f);
  const Type *resolveType(TypeExpr *t);
  /// The func type of a parameter and a result list (a variadic ...T, as the last parameter,
  /// is a []T); "can only use ... with final parameter in list" elsewhere.
  const Type *signature(const std::vector<TypeExpr *> &params,
                        const std::vector<TypeExpr *> &results);
  const Type *signature(FuncDecl &fn);
  /// Checks the arguments of a call of func type ft (their count, then each against its
  /// parameter); `written` is how many arguments the source has before a call with several
  /// results is spread. Extra arguments of a variadic call become one []T literal (nil when
  /// there are none), so the call passes exactly one value per parameter.
  void checkArgs(CallExpr *e, const Type *ft, size_t written);
  /// Reports f(x...) for a built-in f other than append, or a conversion; false then.
  bool checkDots(CallExpr *e);

  // Type declarations (SemaType.cpp).
  void declareTypes(File &f);
  void resolvePackageTypes(File &f);
  void declareTypeName(TypeDeclStmt *s);
  void checkTypeDecl(TypeDeclStmt *s);
  /// The type a type name denotes, resolving its declaration first if that has not been done;
  /// invalid for a type whose declaration was in error.
  const Type *typeNameType(Object *o);
  void resolveTypeDecl(Object *o, TypeDeclStmt *s);
  void recursiveType(std::vector<std::pair<Object *, int>>::iterator at);
  std::map<Object *, TypeDeclStmt *> pendingTypes_; // type names not yet resolved
  /// The type declarations being resolved, outermost first, each with the number of
  /// indirections (slice elements, func signatures) entered when it began: indirect_.
  std::vector<std::pair<Object *, int>> typesInProgress_;
  int indirect_ = 0;
  std::set<Object *> brokenTypes_; // reported as invalid recursive types

  // Selectors through embedded fields (SemaLookup.cpp).
  ExprPtr implicitSelect(ExprPtr base, int i);
  const Type *fieldOrMethodSelector(SelectorExpr *e, const Type *bt);

  // Methods (SemaMethod.cpp).
  void declareMethods(File &f);
  const Type *methodSelector(SelectorExpr *e, const Type *bt);
  const Type *typeOperand(Expr *x);
  const Type *methodExpr(SelectorExpr *e, const Type *rt);
  void noFieldOrMethod(SelectorExpr *e, const Type *t);
  /// The package's own defined types, which may have methods, with their declarations.
  std::map<const Type *, TypeDeclStmt *> localTypes_;
  /// Puts the variable holding addressable x in a heap box when its address is taken.
  void markAddressTaken(Expr *x);

  // Interfaces (SemaIface.cpp).
  const Type *interfaceType(TypeExpr *t);
  std::string missingMethod(const Type *t, const Type *iface, std::string *detail);
  std::string notImplemented(const Type *t, const Type *iface);
  bool toInterface(ExprPtr &e, const Type *target, const std::function<std::string()> &what);
  /// assign for a value that may be converted to an interface type (then wrapped).
  bool assign(ExprPtr &e, const Type *target, const std::string &context);
  const Type *interfaceMethod(SelectorExpr *e, const Type *bt);
  const Type *typeAssert(TypeAssertExpr *e);
  const Type *caseType(Expr *v);
  void checkTypeSwitch(SwitchStmt *s);

  // Structs (SemaStruct.cpp).
  const Type *structType(TypeExpr *t);
  const Type *structLit(CompositeLitExpr *e, const Type *t);
  /// The index of t's field `name`, or -1 (a blank field cannot be selected).
  static int fieldIndex(const Type *t, const std::string &name);
  static std::string incomparable(const Type *t);
  void checkFunc(FuncDecl &fn);
  void checkBody(FuncDecl &fn);

  void checkBlock(BlockStmt *b, bool newScope = true);
  void checkStmt(Stmt *s);
  void checkVarDecl(VarDeclStmt *s);
  void checkConstDecl(ConstDeclStmt *s);
  void checkPackageConst(ConstDeclStmt *s, const NameDef *name = nullptr);
  void checkDefine(DefineStmt *s);
  void checkAssign(AssignStmt *s);
  void checkReturn(ReturnStmt *s);
  std::vector<const Type *> values(std::vector<ExprPtr> &vs);
  /// What calling a function of type ft gives: no value, its result, or a tuple.
  const Type *resultType(const Type *ft) {
    return ft->results.empty()       ? types_.voidT()
           : ft->results.size() == 1 ? ft->results[0]
                                     : types_.tuple(ft->results);
  }
  std::string mismatch(size_t vars, const std::vector<ExprPtr> &vs) const;
  void checkSwitch(SwitchStmt *s);
  void checkCaseValue(ExprPtr &v, Expr *tag, const Type *tagType);
  void checkBranch(BranchStmt *s);
  void checkLabeled(LabeledStmt *s);
  /// Resolves the gotos of a function body to their labels, with gc's errors (SemaGoto.cpp).
  void checkGotos(BlockStmt *body);
  bool isTerminating(const Stmt *s) const;

  /// Checks an expression used as a value. Untyped results stay untyped until
  /// `assign` or `defaultize` decides their type.
  const Type *expr(Expr *e);
  const Type *exprOrVoid(Expr *e); // allows calls with no result (statement context)
  const Type *binary(BinaryExpr *e);
  const Type *unary(UnaryExpr *e);
  const Type *addressOf(UnaryExpr *e); // &x
  const Type *indirect(UnaryExpr *e);  // *p
  const Type *newBuiltin(CallExpr *e); // new(T)
  const Type *call(CallExpr *e);
  const Type *conversion(CallExpr *e, const Type *to);
  const Type *builtinCall(CallExpr *e, Object *b);
  bool oneArg(CallExpr *e);
  const Type *ident(IdentExpr *e);
  const Type *selector(SelectorExpr *e);
  const Type *funcLit(FuncLitExpr *e);
  const Type *index(IndexExpr *e);
  const Type *arrayType(TypeExpr *t);
  const Type *sliceBuiltin(CallExpr *e, Object *b); // cap, append, copy, make
  /// A composite literal; `hint` is the type of an element literal whose type is elided.
  const Type *compositeLit(CompositeLitExpr *e, const Type *hint);
  bool elidedLit(ExprPtr &x, const Type *want);
  const Type *sliceExpr(SliceExpr *e);
  bool checkIndex(Expr *i, int64_t bound);
  // Channels and select (SemaChan.cpp).
  static bool chanAssignable(const Type *v, const Type *t);
  const Type *chanType(TypeExpr *t);
  void commaOkRecv(std::vector<ExprPtr> &vs, size_t vars);
  const Type *recv(UnaryExpr *e);
  void checkSend(SendStmt *s);
  const Type *closeBuiltin(CallExpr *e);
  const Type *makeChan(CallExpr *e, const Type *t);
  void checkSelect(SelectStmt *s);
  // Maps (SemaMap.cpp).
  const Type *mapType(TypeExpr *t);
  const Type *mapIndex(IndexExpr *e, const Type *mt);
  const Type *makeMap(CallExpr *e, const Type *t);
  const Type *deleteBuiltin(CallExpr *e);
  const Type *mapLit(CompositeLitExpr *e, const Type *t);
  void checkRange(ForStmt *f);
  /// Checks the target of an assignment; returns its type (invalid after an error).
  const Type *lvalue(Expr *l);
  /// Records a use of variable `o`; a use from a nested function literal captures it.
  void noteUse(Object *o);

  /// Converts an untyped expression to `target` (recursively), reporting
  /// constants that do not fit. Returns false on error.
  bool convertUntyped(Expr *e, const Type *target, const char *context = "expression");
  void defaultize(Expr *e, const char *context = "expression") {
    convertUntyped(e, types_.defaultType(e->type), context); // nil: "use of untyped nil"
  }
  /// Checks `e` is assignable to `target` in `context` ("assignment", …).
  bool assign(Expr *e, const Type *target, const std::string &context);
  /// Brings the operands of `l op r` to one type as types2's binary does; a mismatch is
  /// reported at `at` as "invalid operation: text() (mismatched types …)" (text is built only
  /// then: a chain of n operators would otherwise cost n² characters).
  const Type *matchTypes(Expr *l, Expr *r, SourceLoc at,
                         const std::function<std::string()> &text);
  const Type *binaryOp(BinaryExpr *e);
  std::string operand(const Expr *e) const;
  bool representable(const ConstInt &v, const Type *t) const;
  /// Whether constant e's value is representable in t (types2's representableConst): an
  /// integer type needs an integral value in range, a float type one that does not overflow.
  bool representableConst(const Expr *e, const Type *t) const;
  /// "(truncated)" for a float constant an integer type cannot hold, else "(overflows)".
  static std::string notRepresentable(const Expr *e, const Type *t);
  /// Gives constant e the value kind of type t: an integer, or a float rounded to t.
  void convertConst(Expr *e, const Type *t);
  static ConstFloat floatOf(const Expr *e);
  /// A constant's value as go/constant prints it.
  static std::string constText(const Expr *e);
  static bool isZeroConst(const Expr *e);
  /// Folds l op r for float constants into e; false after reporting an overflow.
  bool foldFloat(BinaryExpr *e, const Type *t);

  TypeContext &types_;
  DiagEngine &diags_;
  std::string path_;                          // the import path: symbols are path_.Name
  std::string name_;                          // the package clause's name
  std::map<std::string, const Sema *> imports_; // the importable packages, by path
  /// The imports of each file (Go's file blocks), by file number and name.
  std::map<std::pair<uint32_t, std::string>, Object *> fileImports_;
  std::map<const Object *, const Sema *> packageOf_; // an import's package
  std::vector<std::unique_ptr<Object>> objects_;
  std::vector<Scope> scopes_; // [0] universe, [1] package, then function blocks
  /// The branch targets of the function being checked (Go's syntax/branches.go): labels are
  /// scoped to a function body, and break, continue and fallthrough do not leave it.
  struct Branches {
    std::vector<Stmt *> targets;                     // enclosing for and switch, innermost last
    std::vector<LabeledStmt *> enclosing;            // labelled statements being checked
    std::map<std::string, std::pair<LabeledStmt *, bool>> labels; // declared so far; used?
  };
  Branches branches_;
  Object *iota_ = nullptr; // the universe's iota
  Object *nil_ = nullptr;  // the universe's nil
  int initCount_ = 0;      // init functions so far (main.init.<N>)
  bool isNil(Expr *e) const {
    Expr *u = unparen(e);
    return u->kind == Expr::Ident && static_cast<IdentExpr *>(u)->obj == nil_;
  }
  int64_t curIota_ = -1;   // iota's value in the constant spec being checked, or -1
  /// Package constants not yet checked, and those being checked (for Go's cycle error).
  std::map<std::string, ConstDeclStmt *> pendingConsts_;
  std::vector<std::pair<ConstDeclStmt *, const NameDef *>> constsInProgress_;
  void reportUnusedLabels();
  FuncDecl *curFunc_ = nullptr;
  int funcLevel_ = 0;                   // 1 in a declared function, +1 per literal
  std::vector<FuncLitExpr *> litStack_; // the literals being checked, outermost first
  std::vector<std::pair<SourceLoc, std::string>> unused_;
  // Package variables and their initialisation order (SemaInit.cpp).
  void checkPackageVars(File &f);
  void checkPackageVar(VarDeclStmt *s);
  /// The package variable `name` whose declaration is not checked yet: checks it now (Go's
  /// package scope is order-free) and returns its object, still of invalid type if the name
  /// is met while its own declaration is being checked (an initialization loop, reported by
  /// computeInitOrder).
  Object *pendingVar(const std::string &name);
  void computeInitOrder(File &f);
  /// Package variables whose declarations are not checked yet, by name.
  std::map<std::string, VarDeclStmt *> pendingGlobals_;
  std::map<VarDeclStmt *, bool> varsChecked_; // false while a declaration is being checked
  std::vector<Initializer> initOrder_;
};

} // namespace toy

#endif
