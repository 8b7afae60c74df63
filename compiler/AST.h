//===- AST.h - the syntax tree of a toy (Go) source file ------------------===//
//
// Nodes own their children through unique_ptr. Sema fills in the `type` of
// expressions and resolves identifiers to their declarations (`decl`).
//
//===----------------------------------------------------------------------===//
#ifndef TOY_AST_H
#define TOY_AST_H

#include "Constant.h"
#include "Diagnostics.h"
#include "Lexer.h"
#include "Types.h"

#include <memory>
#include <string>
#include <vector>

namespace toy {

struct FuncDecl;

/// What an identifier names once Sema has resolved it.
struct Object {
  // Unsupported: a name of Go's universe toy does not have yet (uint, nil, new, ...).
  enum Kind { Var, Func, Builtin, Const, TypeName, Package, Unsupported } kind;
  std::string name;
  const Type *type = nullptr;
  SourceLoc loc;
  FuncDecl *func = nullptr; // for Func
  bool used = false;
  bool isParam = false;
  bool isGlobal = false;   // a package-level variable
  int funcLevel = 0;       // 0: package; 1: a declared function; 2+: nested function literals
  bool captured = false;   // used by a function literal or its address taken: lives in a
                           // heap box
  ConstInt constVal;       // for an integer, rune or boolean (0/1) Const
  ConstFloat constFloat;   // for a float Const
  bool isConstString = false; // for a string Const: its value is strVal
  std::string strVal;
  int builtin = 0;         // for Builtin: which one (Sema's BuiltinId)
  std::string symbol;      // for Func: the link name ("main.fib", "runtime.Gosched");
                           // for Unsupported: what the name is ("type uint", "nil")
  void *irValue = nullptr; // IRGen's storage for a variable (llvm::Value*)
};

// ---------------------------------------------------------------------------
// Expressions

struct Expr {
  enum Kind {
    IntLit,
    FloatLit,
    StringLit,
    Ident,
    Unary,
    Binary,
    Call,
    Paren,
    Selector,
    FuncLit,
    TupleElem,
    Index,
    Slice,
    CompositeLit,
    TypeE,
    TypeAssert,
    ImplicitConv
  };
  Kind kind;
  SourceLoc loc;
  const Type *type = nullptr; // set by Sema
  bool isConst = false;       // a constant expression; its value is constVal
  ConstInt constVal;          // integer or boolean (0/1) constant value, exact
  ConstFloat constFloat;      // the value of a constant of float type (isFloat())
  bool isConstString = false; // a string constant ("a" + "b"); constString gives its value
  explicit Expr(Kind k, SourceLoc l) : kind(k), loc(l) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

struct IntLitExpr : Expr {
  std::string text;
  ConstInt value;
  bool overflow = false; // too long to be an exact constant
  bool rune = false;     // a rune literal ('a', '\n'): an untyped rune constant
  IntLitExpr(SourceLoc l, std::string t) : Expr(IntLit, l), text(std::move(t)) {}
};

struct FloatLitExpr : Expr {
  std::string text;
  ConstFloat value;
  bool overflow = false; // beyond the range toy's float constants hold
  FloatLitExpr(SourceLoc l, std::string t) : Expr(FloatLit, l), text(std::move(t)) {}
};

struct StringLitExpr : Expr {
  std::string text;  // as written
  std::string value; // decoded
  StringLitExpr(SourceLoc l, std::string t, std::string v)
      : Expr(StringLit, l), text(std::move(t)), value(std::move(v)) {}
};

struct IdentExpr : Expr {
  std::string name;
  Object *obj = nullptr;
  IdentExpr(SourceLoc l, std::string n) : Expr(Ident, l), name(std::move(n)) {}
};

/// -x, !x, ^x, +x, and the receive <-c.
struct UnaryExpr : Expr {
  Tok op;
  ExprPtr operand;
  bool commaOk = false; // v, ok := <-c: a receive giving (value, ok), set by Sema
  UnaryExpr(SourceLoc l, Tok o, ExprPtr e) : Expr(Unary, l), op(o), operand(std::move(e)) {}
};

struct BinaryExpr : Expr {
  Tok op;
  SourceLoc opLoc;
  ExprPtr lhs, rhs;
  BinaryExpr(SourceLoc l, Tok o, ExprPtr a, ExprPtr b)
      : Expr(Binary, l), op(o), lhs(std::move(a)), rhs(std::move(b)) {}
  ~BinaryExpr() override;
};

struct CallExpr : Expr {
  ExprPtr callee;
  std::vector<ExprPtr> args;
  SourceLoc rparen;
  bool hasDots = false; // f(a, s...): the last argument is spread
  bool conversion = false; // T(x): a conversion to a named or pointer type, set by Sema
  CallExpr(SourceLoc l, ExprPtr c) : Expr(Call, l), callee(std::move(c)) {}
};

struct ParenExpr : Expr {
  ExprPtr inner;
  ParenExpr(SourceLoc l, ExprPtr e) : Expr(Paren, l), inner(std::move(e)) {}
};

/// pkg.Name, or x.f: a field of a struct value.
struct SelectorExpr : Expr {
  ExprPtr base;
  std::string sel;
  SourceLoc selLoc;      // where the selected name is (Go reports errors there)
  Object *obj = nullptr; // the package member, resolved by Sema
  int field = -1;        // the index of the selected field in the struct, set by Sema
  bool deref = false;    // p.f for a pointer p to a struct: the field of *p, set by Sema
  /// x.M for a method M, set by Sema: the method's function, whose first parameter is the
  /// receiver. Sema makes base the receiver argument itself (&x or *p where Go takes them
  /// automatically); for a method expression T.M or (*T).M, base is the type.
  Object *method = nullptr;
  bool methodExpr = false;
  std::vector<int> path; // a method expression's embedded fields from T to M's receiver
  int imethod = -1;      // x.M for an interface value x: M's index in its method list
  SelectorExpr(SourceLoc l, ExprPtr b, std::string s)
      : Expr(Selector, l), base(std::move(b)), sel(std::move(s)) {}
};

/// x[index].
struct IndexExpr : Expr {
  ExprPtr base, index;
  SourceLoc lbrack; // Go reports a non-indexable operand here
  bool commaOk = false; // v, ok := m[k]: a map index giving (value, ok), set by Sema
  IndexExpr(SourceLoc l, ExprPtr b, ExprPtr i)
      : Expr(Index, l), base(std::move(b)), index(std::move(i)) {}
};

/// x[lo:hi] or x[lo:hi:max]; absent bounds are null.
struct SliceExpr : Expr {
  ExprPtr base, lo, hi, max;
  bool slice3 = false; // the three-index form
  SliceExpr(SourceLoc l, ExprPtr b) : Expr(Slice, l), base(std::move(b)) {}
};

struct TypeExpr;
/// A field of a struct type as written; `a, b T` gives two sharing T.
struct FieldExpr {
  SourceLoc loc;
  std::string name; // an embedded field's is its type's name (T for T, *T and pkg.T)
  std::shared_ptr<TypeExpr> type;
  bool embedded = false;
};

/// A type as written: a (possibly qualified) type name, or a function, array, slice or struct
/// type.
struct TypeExpr {
  SourceLoc loc;
  std::string name; // empty for a function or array type
  bool isFunc = false;
  bool isArray = false;             // [len]elem
  bool isSlice = false;             // []elem
  bool isPointer = false;           // *elem
  bool isChan = false;              // chan elem, chan<- elem, <-chan elem
  Type::ChanDir chanDir = Type::SendRecv;
  bool isStruct = false;            // struct { fields }
  bool isMap = false;               // map[key]elem
  bool isInterface = false;         // interface { methods }: fields are its methods (a func
                                    // type each) and embedded interfaces
  std::vector<FieldExpr> fields;    // for a struct or interface type
  bool ellipsis = false;            // [...]elem, in a composite literal
  bool variadic = false;            // ...elem, a parameter: isSlice is set too
  std::shared_ptr<Expr> arrayLen;   // for an array type
  std::shared_ptr<TypeExpr> elem;   // for an array, slice, pointer, channel or map type
  std::shared_ptr<TypeExpr> key;    // for a map type
  std::vector<std::shared_ptr<TypeExpr>> params, results; // for a function type
  const Type *resolved = nullptr;
};

/// A type written where an expression is expected: make's first argument, a conversion's
/// callee ([]byte(s)).
struct TypeValueExpr : Expr {
  std::shared_ptr<TypeExpr> typeExpr;
  TypeValueExpr(SourceLoc l, std::shared_ptr<TypeExpr> t) : Expr(TypeE, l), typeExpr(std::move(t)) {}
};

/// T{e0, k: e1, ...}: an array, slice, struct or map literal. type is null for an element literal whose type is
/// elided ({1, 2} inside [2][2]int{...}).
struct CompositeLitExpr : Expr {
  std::shared_ptr<TypeExpr> litType;
  std::vector<ExprPtr> keys; // null where an element has no key
  std::vector<SourceLoc> colons; // where each key's ':' is (Go reports a duplicate there)
  std::vector<ExprPtr> values;
  std::vector<int64_t> indices; // each value's index (a struct's field), set by Sema
  SourceLoc rbrace;
  int64_t length = 0;           // a slice literal's length (its largest index + 1), set by Sema
  CompositeLitExpr(SourceLoc l) : Expr(CompositeLit, l) {}
};

/// x.(T), or x.(type) in a type switch's guard (type null). With commaOk (v, ok := x.(T), set
/// by Sema) it gives (value, ok).
struct TypeAssertExpr : Expr {
  ExprPtr x;
  std::shared_ptr<TypeExpr> assertType; // null for x.(type)
  bool commaOk = false;
  TypeAssertExpr(SourceLoc l, ExprPtr e, std::shared_ptr<TypeExpr> t)
      : Expr(TypeAssert, l), x(std::move(e)), assertType(std::move(t)) {}
};

/// A value converted to the interface type `type` where Go converts implicitly (assignment,
/// argument, comparison with an interface), inserted by Sema around the value.
struct ImplicitConvExpr : Expr {
  ExprPtr inner;
  ImplicitConvExpr(ExprPtr e, const Type *to) : Expr(ImplicitConv, e->loc), inner(std::move(e)) {
    type = to;
  }
};

/// Result `index` of a call returning several, as in `a, b := f()` or `g(f())`: Sema spreads
/// the call into one of these per result. The first owns the call, which runs once.
struct TupleElemExpr : Expr {
  ExprPtr owned; // the call, in element 0 only
  Expr *call;
  unsigned index;
  TupleElemExpr(Expr *c, unsigned i) : Expr(TupleElem, c->loc), call(c), index(i) {}
};

/// func(params) results { body }: a closure; captured variables are shared by reference.
struct FuncLitExpr : Expr {
  std::unique_ptr<FuncDecl> fn;
  std::vector<Object *> captures; // enclosing functions' variables it uses, set by Sema
  explicit FuncLitExpr(SourceLoc l);
  ~FuncLitExpr() override;
};

// ---------------------------------------------------------------------------
// Statements

struct Stmt {
  enum Kind {
    Block,
    ExprS,
    VarDecl,
    Define,
    Assign,
    IncDec,
    If,
    For,
    Break,
    Continue,
    Return,
    Go,
    Empty,
    Switch,
    Labeled,
    Fallthrough,
    ConstDecl,
    Defer,
    Send,
    Select,
    TypeDecl,
    Goto
  };
  Kind kind;
  SourceLoc loc;
  explicit Stmt(Kind k, SourceLoc l) : kind(k), loc(l) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;

struct BlockStmt : Stmt {
  std::vector<StmtPtr> stmts;
  SourceLoc rbrace;
  explicit BlockStmt(SourceLoc l) : Stmt(Block, l) {}
};

struct ExprStmt : Stmt {
  ExprPtr expr;
  ExprStmt(SourceLoc l, ExprPtr e) : Stmt(ExprS, l), expr(std::move(e)) {}
};

struct NameDef {
  SourceLoc loc;
  std::string name;
  Object *obj = nullptr; // the variable it declares (null for "_")
  bool reused = false;   // := assigns to an existing variable of the same scope
};

/// var a, b T = x, y
struct VarDeclStmt : Stmt {
  std::vector<NameDef> names;
  std::unique_ptr<TypeExpr> type; // may be null
  std::vector<ExprPtr> values;    // may be empty
  bool inGroup = false;           // a spec after the first of a parenthesised var ( … ) group
  explicit VarDeclStmt(SourceLoc l) : Stmt(VarDecl, l) {}
};

/// One constant spec: const a, b T = x, y. In a parenthesised group a spec without type and
/// values repeats the previous spec's (Go's implicit repetition), with its own iota.
struct ConstDeclStmt : Stmt {
  std::vector<NameDef> names;
  std::shared_ptr<TypeExpr> type; // may be null; shared with the specs that repeat it
  std::vector<ExprPtr> own;       // the values written in this spec
  std::vector<Expr *> values;     // own, or the repeated spec's values
  int64_t iota = 0;               // the spec's index in its group
  explicit ConstDeclStmt(SourceLoc l) : Stmt(ConstDecl, l) {}
};

/// type Name T (a defined type) or type Name = T (an alias), at package level or in a
/// function; a parenthesised group gives one per spec.
struct TypeDeclStmt : Stmt {
  NameDef name;
  bool alias = false;
  std::shared_ptr<TypeExpr> type;
  explicit TypeDeclStmt(SourceLoc l) : Stmt(TypeDecl, l) {}
};

/// a, b := x, y
struct DefineStmt : Stmt {
  std::vector<NameDef> names;
  std::vector<ExprPtr> values;
  bool nonName = false; // a left side was not a name (reported with the file's type errors)
  std::vector<ExprPtr> nonNames; // those left sides
  explicit DefineStmt(SourceLoc l) : Stmt(Define, l) {}
};

/// a, b = x, y   or   a op= x
struct AssignStmt : Stmt {
  Tok op; // Tok::Assign or an op-assign token
  std::vector<ExprPtr> lhs, rhs;
  AssignStmt(SourceLoc l, Tok o) : Stmt(Assign, l), op(o) {}
};

struct IncDecStmt : Stmt {
  ExprPtr target;
  bool inc;
  IncDecStmt(SourceLoc l, ExprPtr t, bool i) : Stmt(IncDec, l), target(std::move(t)), inc(i) {}
};

struct IfStmt : Stmt {
  StmtPtr init; // may be null
  ExprPtr cond;
  std::unique_ptr<BlockStmt> then;
  StmtPtr els; // null, an IfStmt or a BlockStmt
  explicit IfStmt(SourceLoc l) : Stmt(If, l) {}
  ~IfStmt() override;
};

struct ForStmt : Stmt {
  StmtPtr init; // may be null
  ExprPtr cond; // may be null
  StmtPtr post; // may be null
  std::unique_ptr<BlockStmt> body;
  bool hasBreak = false; // set by Sema: a break refers to this loop
  // A range clause (for k, v := range x): rangeX is set; the key and value are rangeLhs
  // (null or absent when omitted), declared as new variables when rangeDefine.
  ExprPtr rangeX;
  std::vector<ExprPtr> rangeLhs;
  bool rangeDefine = false;
  std::vector<NameDef> rangeNames; // for rangeDefine: the variables, set by Sema
  explicit ForStmt(SourceLoc l) : Stmt(For, l) {}
};

/// break, continue (optionally labelled), fallthrough and goto.
struct BranchStmt : Stmt {
  std::string label; // empty when unlabelled
  SourceLoc labelLoc;
  Stmt *target = nullptr; // the for or switch it leaves or continues, the LabeledStmt a goto
                          // jumps to, set by Sema
  BranchStmt(Kind k, SourceLoc l) : Stmt(k, l) {}
};

/// L: stmt. Labels are scoped to the function body, as in Go.
struct LabeledStmt : Stmt {
  std::string label;
  StmtPtr stmt; // the labelled statement (an EmptyStmt for a label before '}')
  bool gotoTarget = false; // set by Sema: a goto jumps here
  LabeledStmt(SourceLoc l, std::string n, StmtPtr s)
      : Stmt(Labeled, l), label(std::move(n)), stmt(std::move(s)) {}
};

/// case v1, v2: body   or   default: body
struct CaseClause {
  SourceLoc loc;
  bool isDefault = false;
  std::vector<ExprPtr> values; // in a type switch: types, or nil
  std::vector<const Type *> caseTypes; // a type switch's, set by Sema (null for nil)
  Object *var = nullptr; // a type switch's variable in this clause, set by Sema
  std::vector<StmtPtr> body;
};

/// An expression switch: switch init; tag { clauses }. A missing tag means true.
struct SwitchStmt : Stmt {
  StmtPtr init; // may be null
  ExprPtr tag;  // may be null
  std::vector<CaseClause> clauses;
  bool hasBreak = false; // set by Sema: a break refers to this switch
  // A type switch: switch [v :=] x.(type): tag is the TypeAssertExpr x.(type).
  bool typeSwitch = false;
  NameDef bind; // v, when declared (name empty otherwise)
  explicit SwitchStmt(SourceLoc l) : Stmt(Switch, l) {}
};

struct ReturnStmt : Stmt {
  std::vector<ExprPtr> results;
  explicit ReturnStmt(SourceLoc l) : Stmt(Return, l) {}
};

/// go f(args): the call runs on a new goroutine; callee and arguments are evaluated now.
struct GoStmt : Stmt {
  ExprPtr call; // a CallExpr (the parser guarantees it)
  GoStmt(SourceLoc l, ExprPtr c) : Stmt(Go, l), call(std::move(c)) {}
};

/// defer f(args): the callee and arguments are evaluated now; the call runs when the function
/// returns, or while its goroutine panics, last deferred first.
struct DeferStmt : Stmt {
  ExprPtr call; // a CallExpr (the parser guarantees it)
  DeferStmt(SourceLoc l, ExprPtr c) : Stmt(Defer, l), call(std::move(c)) {}
};

/// c <- v
struct SendStmt : Stmt {
  ExprPtr chan, value;
  SendStmt(SourceLoc l, ExprPtr c, ExprPtr v)
      : Stmt(Send, l), chan(std::move(c)), value(std::move(v)) {}
};

/// case comm: body   or   default: body. comm is a SendStmt, or a receive: an ExprStmt
/// (<-c), a DefineStmt (v[, ok] := <-c) or an AssignStmt (v[, ok] = <-c).
struct CommClause {
  SourceLoc loc;
  StmtPtr comm; // null for default
  std::vector<StmtPtr> body;
};

/// select { clauses }
struct SelectStmt : Stmt {
  std::vector<CommClause> clauses;
  bool hasBreak = false; // set by Sema: a break refers to this select
  explicit SelectStmt(SourceLoc l) : Stmt(Select, l) {}
};

struct EmptyStmt : Stmt {
  explicit EmptyStmt(SourceLoc l) : Stmt(Empty, l) {}
};

// ---------------------------------------------------------------------------
// Declarations

struct Param {
  NameDef name; // name may be empty for unnamed parameters
  std::unique_ptr<TypeExpr> type;
};

struct FuncDecl {
  SourceLoc loc;
  bool method = false;      // func (recv) Name(...): a receiver list was written
  std::vector<Param> recv;  // the receiver list as written (Sema requires exactly one)
  NameDef name;
  std::vector<Param> params;
  std::vector<Param> results; // at most one for now
  std::unique_ptr<BlockStmt> body;
  bool hasDefer = false;         // set by Sema: the body has a defer statement
  const Type *type = nullptr; // the func type, set by Sema
};

struct ImportDecl {
  SourceLoc loc;     // the path's
  std::string path;
  std::string name;  // as written before the path: "" (the package's own name), "_", "." or a name
  SourceLoc nameLoc; // the written name's
  Object *obj = nullptr;
};

/// `//go:linkname local [target]`: binds the body-less function `local` to the symbol target
/// (without one: to its own symbol, which the runtime defines).
struct Linkname {
  SourceLoc loc;
  std::string local;
  std::string target;
};

/// The declarations of one file, or of a package: Package.cpp appends its files into one File,
/// each declaration keeping its own file in its locations.
struct File {
  SourceLoc pkgLoc;
  std::string package;
  std::vector<ImportDecl> imports;
  std::vector<std::unique_ptr<FuncDecl>> funcs; // a body-less one is a runtime hook
  std::vector<StmtPtr> globals; // package-level VarDeclStmts
  std::vector<StmtPtr> consts;  // package-level ConstDeclStmts, in source order
  std::vector<Linkname> linknames;
  /// Errors gc's type checker reports that the parser found (non-name on the left of :=):
  /// Sema reports them, so they are seen only in a file that parses, with the other type errors.
  std::vector<std::pair<SourceLoc, std::string>> typeErrors;
  /// Moves the declarations of `other`, a later file of the same package, after these.
  void append(File &&other);
  std::vector<StmtPtr> types;   // package-level TypeDeclStmts, in source order
};

inline FuncLitExpr::FuncLitExpr(SourceLoc l) : Expr(FuncLit, l) {}
inline FuncLitExpr::~FuncLitExpr() = default;

/// Writes the tree as indented text (--emit=ast).
std::string dumpAST(const File &f);
/// Whether a checked expression denotes a variable: a variable, a pointer indirection, an
/// element of a slice or of an array pointer, or an element or field of an addressable array
/// or struct (Go's addressability, for the kinds toy has).
bool addressable(const Expr *e);
/// e without the parentheses around it (null stays null).
Expr *unparen(Expr *e);
/// The object a checked callee (without parentheses) names: an identifier's, or an imported
/// package member's; null for any other callee.
inline Object *calleeObject(Expr *callee) {
  return callee->kind == Expr::Ident      ? static_cast<IdentExpr *>(callee)->obj
         : callee->kind == Expr::Selector ? static_cast<SelectorExpr *>(callee)->obj
                                          : nullptr;
}
/// Go-style text of a type as written.
std::string typeString(const TypeExpr *t);
/// Go-style source text of an expression, used in diagnostics.
std::string exprString(const Expr *e);
/// The value of a string constant (e->isConstString): its literals joined in order.
std::string constString(const Expr *e);

} // namespace toy

#endif
