//===- Parser.h - recursive-descent parser for toy's Go subset ------------===//
//
// Parses Go syntax. Constructs of Go that toy does not implement yet are
// recognised and reported by name ("toy does not support maps yet") instead
// of as syntax errors. After an error the parser resynchronises at the next
// statement; nesting depth is bounded so no input can exhaust the stack.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_PARSER_H
#define TOY_PARSER_H

#include "AST.h"

namespace toy {

class Parser {
public:
  /// An invalid character (Tok::Illegal, reported by the lexer) is dropped, as gc's scanner
  /// skips it.
  Parser(std::vector<Token> toks, DiagEngine &diags) : diags_(diags) {
    for (auto &t : toks)
      if (t.kind != Tok::Illegal)
        toks_.push_back(std::move(t));
    // gc calls the semicolon that ends the file "EOF".
    if (toks_.size() >= 2 && toks_[toks_.size() - 2].kind == Tok::Semicolon &&
        toks_[toks_.size() - 2].loc.offset == toks_.back().loc.offset)
      toks_[toks_.size() - 2].text = "EOF";
  }
  std::unique_ptr<File> parseFile();
  /// How many of the errors reported were unsupported constructs (not syntax errors).
  unsigned unsupportedCount() const { return unsupported_; }

  static constexpr int kMaxDepth = 400;

private:
  const Token &tok() const { return toks_[pos_]; }
  const Token &peek(size_t n = 1) const { return toks_[std::min(pos_ + n, toks_.size() - 1)]; }
  bool is(Tok k) const { return tok().kind == k; }
  void advance() {
    if (pos_ + 1 < toks_.size())
      ++pos_;
  }
  bool accept(Tok k) {
    if (!is(k))
      return false;
    advance();
    return true;
  }
  bool expect(Tok k, const char *context);
  // Error reporting and recovery as gc's parser: syntaxError's message is "expecting X",
  // "in/at/after …" (both follow "unexpected <token>") or a plain message; want reports a
  // missing token and skips one; advanceTo skips to a token of the follow list (or, in a
  // function body, to a keyword that starts a statement), without skipping EOF.
  void syntaxErrorAt(SourceLoc loc, const std::string &msg);
  void syntaxError(const std::string &msg) { syntaxErrorAt(tok().loc, msg); }
  void want(Tok k);
  void advanceTo(std::initializer_list<Tok> follow);
  ExprPtr badExpr(); // stands for an expression that failed to parse
  std::unique_ptr<TypeExpr> badType();
  /// gc's list: elements parsed by f (true: stop) separated by sep up to close, which it consumes.
  template <class F> void parseList(const char *context, Tok sep, Tok close, F f);
  /// An error that gc's type checker would report: Sema reports it (File::typeErrors).
  void lateError(SourceLoc loc, const std::string &msg) { late_.push_back({loc, msg}); }
  void unsupported(SourceLoc loc, const std::string &what);
  std::string describe(const Token &t) const;
  void skipToStmtEnd();
  void skipBalanced(); // skips one token, or a whole (...) [...] {...} group
  bool enter();        // depth guard; false once the input nests too deeply
  void leave() { --depth_; }
  bool stop() const { return aborted_ || diags_.tooMany(); }

  void parseImport(File &f);
  std::unique_ptr<FuncDecl> parseFunc();
  bool parseParams(std::vector<Param> &out);
  bool parseResults(std::vector<Param> &out);
  std::unique_ptr<TypeExpr> parseType();
  std::unique_ptr<TypeExpr> parseInterfaceType(std::unique_ptr<TypeExpr> t);
  std::unique_ptr<TypeExpr> parseStructType(std::unique_ptr<TypeExpr> t);
  bool atTypeStart() const;

  std::unique_ptr<BlockStmt> parseBlock(const char *context = "");
  bool parseStmt(std::vector<StmtPtr> &out);
  void pushOrSkip(std::vector<StmtPtr> &out, StmtPtr s);
  void parseStmtList(std::vector<StmtPtr> &out, bool inClause);
  StmtPtr parseSimpleStmt();
  void parseVarDecl(std::vector<StmtPtr> &out);
  void parseConstDecl(std::vector<StmtPtr> &out);
  void parseTypeDecl(std::vector<StmtPtr> &out);
  StmtPtr parseTypeSpec();
  StmtPtr parseConstSpec(int64_t iota, ConstDeclStmt *prev);
  StmtPtr parseVarSpec();
  bool parseNameList(std::vector<NameDef> &out);
  StmtPtr parseIf();
  std::unique_ptr<IfStmt> parseIfHead(); // if [init;] cond { ... }
  StmtPtr parseFor();
  bool header(Tok keyword, StmtPtr &init, StmtPtr &cond, StmtPtr &post);
  StmtPtr parseSwitch();
  StmtPtr parseSelect();
  bool parseCommClause(SelectStmt &s);
  bool parseCaseClause(SwitchStmt &s);
  void skipUnsupportedStmt(const std::string &what);

  ExprPtr parseExpr();
  ExprPtr parseBinary(int prec);
  ExprPtr parseUnary();
  ExprPtr parsePrimary();
  ExprPtr parseOperand();
  std::vector<ExprPtr> parseExprList();

  std::vector<Token> toks_;
  size_t pos_ = 0;
  DiagEngine &diags_;
  int depth_ = 0;
  bool aborted_ = false;
  unsigned unsupported_ = 0;
  bool rangeOk_ = false; // parsing a for clause's first statement: range may follow := or =
  ExprPtr parseIndexOrSlice(ExprPtr x);
  ExprPtr parseCompositeLit(SourceLoc loc, std::shared_ptr<TypeExpr> t);
  StmtPtr rangeClause(SourceLoc loc, std::vector<ExprPtr> lhs, bool define);
  int exprLev_ = 0; // >= 0 outside control clauses: '{' may start a composite literal
  int fnest_ = 0;   // function bodies open
  bool rangeNoNew_ = false; // the range clause just parsed declares nothing (a[0] := range)
  std::vector<std::pair<SourceLoc, std::string>> late_;
};

} // namespace toy

#endif
