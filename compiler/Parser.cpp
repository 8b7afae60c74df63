//===- Parser.cpp ---------------------------------------------------------===//
#include "Parser.h"

namespace toy {

// isQualifiedIdent reports whether e is pkg.Name, which may name a type of package pkg.
static bool isQualifiedIdent(const Expr *e) {
  return e->kind == Expr::Selector &&
         static_cast<const SelectorExpr *>(e)->base->kind == Expr::Ident;
}


static int binaryPrec(Tok t) {
  switch (t) {
  case Tok::LOr:
    return 1;
  case Tok::LAnd:
    return 2;
  case Tok::Eql:
  case Tok::Neq:
  case Tok::Lss:
  case Tok::Leq:
  case Tok::Gtr:
  case Tok::Geq:
    return 3;
  case Tok::Add:
  case Tok::Sub:
  case Tok::Or:
  case Tok::Xor:
    return 4;
  case Tok::Mul:
  case Tok::Quo:
  case Tok::Rem:
  case Tok::Shl:
  case Tok::Shr:
  case Tok::And:
  case Tok::AndNot:
    return 5;
  default:
    return 0;
  }
}

// tokString names a token in a message as gc's tokstring does.
static std::string tokString(Tok k) {
  switch (k) {
  case Tok::Comma:
    return "comma";
  case Tok::Semicolon:
    return "semicolon or newline";
  default:
    return tokName(k);
  }
}

std::string Parser::describe(const Token &t) const {
  switch (t.kind) {
  case Tok::Eof:
    return "EOF";
  case Tok::Semicolon:
    return t.text == "\n" ? "newline" : t.text == "EOF" ? "EOF" : "semicolon";
  case Tok::Ident:
    return t.text;
  case Tok::Int:
  case Tok::Float:
  case Tok::Imag:
  case Tok::Rune:
  case Tok::String:
    return "literal " + t.text;
  default:
    return tokString(t.kind);
  }
}

void Parser::syntaxErrorAt(SourceLoc loc, const std::string &msg) {
  // As gc's syntaxErrorAt: nothing more at the end of the file once something is wrong.
  if (is(Tok::Eof) && diags_.errorCount() > 0)
    return;
  auto starts = [&](const char *p) { return msg.rfind(p, 0) == 0; };
  std::string text;
  if (msg.empty())
    text = "";
  else if (starts("in ") || starts("at ") || starts("after "))
    text = " " + msg;
  else if (starts("expecting "))
    text = ", " + msg;
  else {
    diags_.error(loc, "syntax error: " + msg); // plain: the token does not matter
    return;
  }
  diags_.error(loc, "syntax error: unexpected " + describe(tok()) + text);
}

void Parser::unsupported(SourceLoc loc, const std::string &what) {
  ++unsupported_;
  diags_.error(loc, "toy does not support " + what + " yet");
}

bool Parser::expect(Tok k, const char *context) {
  if (accept(k))
    return true;
  syntaxError(context);
  return false;
}

void Parser::want(Tok k) {
  if (!accept(k)) {
    syntaxError("expecting " + tokString(k));
    advanceTo({});
  }
}

void Parser::advanceTo(std::initializer_list<Tok> follow) {
  if (follow.size() == 0) { // skip one token
    if (!is(Tok::Eof))
      advance();
    return;
  }
  auto stop = [&] {
    if (is(Tok::Eof))
      return true;
    for (Tok k : follow)
      if (is(k))
        return true;
    if (fnest_ > 0) {
      switch (tok().kind) {
      case Tok::KwBreak:
      case Tok::KwConst:
      case Tok::KwContinue:
      case Tok::KwDefer:
      case Tok::KwFallthrough:
      case Tok::KwFor:
      case Tok::KwGo:
      case Tok::KwGoto:
      case Tok::KwIf:
      case Tok::KwReturn:
      case Tok::KwSelect:
      case Tok::KwSwitch:
      case Tok::KwType:
      case Tok::KwVar:
        return true;
      default:
        break;
      }
    }
    return false;
  };
  while (!stop())
    advance();
}

ExprPtr Parser::badExpr() { return std::make_unique<IdentExpr>(tok().loc, "_"); }

std::unique_ptr<TypeExpr> Parser::badType() {
  auto t = std::make_unique<TypeExpr>();
  t->loc = tok().loc;
  t->name = "_";
  return t;
}

template <class F> void Parser::parseList(const char *context, Tok sep, Tok close, F f) {
  bool done = false;
  while (!is(Tok::Eof) && !is(close) && !done && !stop()) {
    size_t before = pos_;
    done = f();
    if (!accept(sep) && !is(close)) {
      syntaxError(std::string("in ") + context + "; possibly missing " + tokString(sep) +
                  " or " + tokString(close));
      advanceTo({Tok::RParen, Tok::RBrack, Tok::RBrace});
      if (!is(close))
        return;
    }
    if (pos_ == before) // no progress: give up on the list
      return;
  }
  want(close);
}

bool Parser::enter() {
  if (++depth_ > kMaxDepth) {
    if (!aborted_)
      diags_.error(tok().loc,
                   "program nests too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
    aborted_ = true;
    pos_ = toks_.size() - 1;
    return false;
  }
  return true;
}

void Parser::skipBalanced() {
  Tok open = tok().kind;
  Tok close = open == Tok::LParen   ? Tok::RParen
              : open == Tok::LBrack ? Tok::RBrack
              : open == Tok::LBrace ? Tok::RBrace
                                    : Tok::Eof;
  advance();
  if (close == Tok::Eof)
    return;
  int level = 1;
  while (!is(Tok::Eof) && level > 0) {
    if (is(open))
      ++level;
    else if (is(close))
      --level;
    advance();
  }
}

void Parser::skipToStmtEnd() {
  while (!is(Tok::Eof) && !is(Tok::Semicolon) && !is(Tok::RBrace)) {
    if (is(Tok::LParen) || is(Tok::LBrack) || is(Tok::LBrace))
      skipBalanced();
    else
      advance();
  }
}

// ---------------------------------------------------------------------------
// Declarations

std::unique_ptr<File> Parser::parseFile() {
  auto file = std::make_unique<File>();
  file->pkgLoc = tok().loc;
  if (!accept(Tok::KwPackage)) {
    syntaxError("package statement must be first");
    return file;
  }
  if (is(Tok::Ident)) {
    file->package = tok().text;
    advance();
  } else {
    syntaxError("expecting name");
    advanceTo({});
  }
  want(Tok::Semicolon);

  while (accept(Tok::KwImport) && !stop()) {
    if (accept(Tok::LParen)) {
      parseList("grouped declaration", Tok::Semicolon, Tok::RParen, [&] {
        parseImport(*file);
        return false;
      });
    } else {
      parseImport(*file);
    }
    want(Tok::Semicolon);
  }

  bool lastBodiless = false; // the last declaration is a function without a body
  while (!is(Tok::Eof) && !stop()) {
    size_t before = pos_;
    switch (tok().kind) {
    case Tok::KwFunc: {
      auto fn = parseFunc();
      lastBodiless = fn && !fn->body;
      if (fn)
        file->funcs.push_back(std::move(fn));
      break;
    }
    case Tok::KwVar:
      lastBodiless = false;
      parseVarDecl(file->globals);
      break;
    case Tok::KwConst:
      lastBodiless = false;
      parseConstDecl(file->consts);
      break;
    case Tok::KwType:
      lastBodiless = false;
      parseTypeDecl(file->types);
      break;
    default:
      // gc's wording and recovery: skip to the next declaration keyword.
      if (is(Tok::LBrace) && lastBodiless)
        syntaxError("unexpected semicolon or newline before {");
      else
        syntaxError("non-declaration statement outside function body");
      advanceTo({Tok::KwConst, Tok::KwType, Tok::KwVar, Tok::KwFunc});
      if (pos_ == before)
        advance(); // always make progress
      continue;
    }
    if (!is(Tok::Eof) && !accept(Tok::Semicolon)) {
      syntaxError("after top level declaration");
      advanceTo({Tok::KwConst, Tok::KwType, Tok::KwVar, Tok::KwFunc});
    }
    if (pos_ == before)
      advance(); // always make progress
  }
  // What gc's type checker reports is Sema's to report.
  file->typeErrors = std::move(late_);
  return file;
}

void Parser::parseImport(File &f) {
  ImportDecl imp;
  imp.loc = tok().loc;
  if (is(Tok::Ident) || is(Tok::Period)) {
    imp.name = is(Tok::Period) ? "." : tok().text;
    imp.nameLoc = tok().loc;
    advance();
  }
  bool literal = is(Tok::String) || is(Tok::Int) || is(Tok::Float) || is(Tok::Imag) ||
                 is(Tok::Rune);
  if (!literal) {
    syntaxError("missing import path");
    advanceTo({Tok::Semicolon, Tok::RParen});
    return;
  }
  if (!is(Tok::String)) {
    advance();
    syntaxError("import path must be a string"); // gc: after the literal
    return;
  }
  imp.loc = tok().loc;
  imp.path = tok().value;
  advance();
  f.imports.push_back(std::move(imp));
}

std::unique_ptr<FuncDecl> Parser::parseFunc() {
  auto fn = std::make_unique<FuncDecl>();
  fn->loc = tok().loc;
  advance(); // func
  if (is(Tok::LParen)) {
    fn->method = true;
    parseParams(fn->recv); // Sema checks that there is one receiver
  }
  if (!is(Tok::Ident)) {
    syntaxError("expecting name or (");
    advanceTo({Tok::LBrace, Tok::Semicolon});
    return nullptr;
  }
  fn->name.loc = tok().loc;
  fn->name.name = tok().text;
  advance();
  if (is(Tok::LBrack)) {
    unsupported(tok().loc, "generic functions");
    skipBalanced();
  }
  parseParams(fn->params);
  parseResults(fn->results);
  if (is(Tok::LBrace)) {
    ++fnest_;
    fn->body = parseBlock();
    --fnest_;
  }
  // Without a body it is a declaration: Sema requires a //go:linkname for it.
  return fn;
}

bool Parser::atTypeStart() const {
  switch (tok().kind) {
  case Tok::Ident:
  case Tok::LBrack:
  case Tok::Mul:
  case Tok::KwMap:
  case Tok::KwChan:
  case Tok::KwFunc:
  case Tok::KwStruct:
  case Tok::KwInterface:
  case Tok::Arrow:
  case Tok::LParen:
    return true;
  default:
    return false;
  }
}

std::unique_ptr<TypeExpr> Parser::parseType() {
  auto t = std::make_unique<TypeExpr>();
  t->loc = tok().loc;
  if (!enter())
    return nullptr;
  struct Guard {
    Parser *p;
    ~Guard() { p->leave(); }
  } guard{this};
  switch (tok().kind) {
  case Tok::Ident:
    t->name = tok().text;
    advance();
    if (is(Tok::Period) && peek().kind == Tok::Ident) {
      advance();
      t->name += "." + tok().text;
      advance();
    }
    if (is(Tok::LBrack)) {
      unsupported(tok().loc, "generic types");
      skipBalanced();
    }
    return t;
  case Tok::LParen: {
    advance();
    auto inner = parseType();
    if (!inner)
      return nullptr;
    want(Tok::RParen);
    return inner;
  }
  case Tok::LBrack: {
    if (peek().kind == Tok::RBrack) {
      advance();
      advance();
      t->isSlice = true;
      t->elem = parseType();
      return t->elem ? std::move(t) : nullptr;
    }
    advance();
    t->isArray = true;
    if (is(Tok::Ellipsis) && peek().kind == Tok::RBrack) {
      t->ellipsis = true; // Sema allows it only in a composite literal
      advance();
    } else {
      int oldLev = exprLev_;
      exprLev_ = 0;
      t->arrayLen = parseExpr();
      exprLev_ = oldLev;
      if (!t->arrayLen)
        return nullptr;
    }
    want(Tok::RBrack);
    t->elem = parseType();
    if (!t->elem)
      return nullptr;
    return t;
  }
  case Tok::Mul:
    advance();
    t->isPointer = true;
    t->elem = parseType();
    return t->elem ? std::move(t) : nullptr;
  case Tok::KwMap:
    advance();
    t->isMap = true;
    want(Tok::LBrack);
    t->key = parseType();
    if (!t->key)
      return nullptr;
    want(Tok::RBrack);
    t->elem = parseType();
    return t->elem ? std::move(t) : nullptr;
  case Tok::KwChan:
  case Tok::Arrow: {
    // chan T, chan<- T, <-chan T. chan<- binds to the leftmost chan (Go's rule), which
    // parsing the element type next gives.
    t->isChan = true;
    if (accept(Tok::Arrow)) {
      t->chanDir = Type::RecvOnly;
      want(Tok::KwChan);
    } else {
      advance(); // chan
      if (accept(Tok::Arrow))
        t->chanDir = Type::SendOnly;
    }
    t->elem = parseType();
    return t->elem ? std::move(t) : nullptr;
  }
  case Tok::KwFunc: {
    advance();
    std::vector<Param> ps, rs;
    parseParams(ps);
    parseResults(rs);
    t->isFunc = true;
    for (auto &p : ps)
      t->params.push_back(std::shared_ptr<TypeExpr>(std::move(p.type)));
    for (auto &r : rs)
      t->results.push_back(std::shared_ptr<TypeExpr>(std::move(r.type)));
    return t;
  }
  case Tok::KwStruct:
    return parseStructType(std::move(t));
  case Tok::KwInterface:
    return parseInterfaceType(std::move(t));
  default:
    // gc's type_: report, skip to what may follow a type, and go on.
    syntaxError("expecting type");
    advanceTo({Tok::Comma, Tok::Colon, Tok::Semicolon, Tok::RParen, Tok::RBrack, Tok::RBrace});
    return badType();
  }
  // The element type of a composite type we do not support: parse it to stay in sync.
  if (atTypeStart())
    parseType();
  return nullptr;
}

// parseInterfaceType parses interface { M(params) results; E; pkg.E; ... }: methods and
// embedded interfaces.
std::unique_ptr<TypeExpr> Parser::parseInterfaceType(std::unique_ptr<TypeExpr> t) {
  advance(); // interface
  t->isInterface = true;
  want(Tok::LBrace);
  parseList("interface type", Tok::Semicolon, Tok::RBrace, [&] {
    SourceLoc at = tok().loc;
    if (is(Tok::Ident) && peek().kind == Tok::LParen) {
      std::string name = tok().text;
      advance();
      std::vector<Param> ps, rs;
      parseParams(ps);
      parseResults(rs);
      auto ft = std::make_shared<TypeExpr>();
      ft->loc = at;
      ft->isFunc = true;
      for (auto &p : ps)
        ft->params.push_back(std::shared_ptr<TypeExpr>(std::move(p.type)));
      for (auto &r : rs)
        ft->results.push_back(std::shared_ptr<TypeExpr>(std::move(r.type)));
      t->fields.push_back(FieldExpr{at, name, ft});
    } else if (is(Tok::Tilde)) {
      // A type set's term (~int, ~int | ~float64): Go's generics, which toy has not.
      unsupported(at, "type constraints");
      skipToStmtEnd();
    } else if (atTypeStart()) {
      std::shared_ptr<TypeExpr> et = parseType();
      if (is(Tok::Or)) { // a union of types (int | float64)
        unsupported(at, "type constraints");
        skipToStmtEnd();
      } else if (et) {
        t->fields.push_back(FieldExpr{at, et->name, et, true});
      }
    } else {
      syntaxError("expecting ~ term or type");
      while (!is(Tok::Eof) && !is(Tok::Semicolon) && !is(Tok::RParen) && !is(Tok::RBrack) &&
             !is(Tok::RBrace) && binaryPrec(tok().kind) == 0 && !is(Tok::Tilde) && !is(Tok::Not))
        advance();
    }
    return false;
  });
  return t;
}

// parseStructType parses struct { a, b T; c U "tag"; ... }; a tag is skipped (toy has no
// reflection to read it).
std::unique_ptr<TypeExpr> Parser::parseStructType(std::unique_ptr<TypeExpr> t) {
  advance(); // struct
  t->isStruct = true;
  want(Tok::LBrace);
  parseList("struct type", Tok::Semicolon, Tok::RBrace, [&] {
    SourceLoc at = tok().loc;
    // An embedded field is a type name alone: T, *T or pkg.T.
    if (is(Tok::Mul) ||
        (is(Tok::Ident) && (peek().kind == Tok::Semicolon || peek().kind == Tok::RBrace ||
                            peek().kind == Tok::String || peek().kind == Tok::Period))) {
      std::shared_ptr<TypeExpr> ft;
      if (accept(Tok::Mul)) {
        ft = std::make_shared<TypeExpr>();
        ft->loc = at;
        ft->isPointer = true;
        if (is(Tok::LParen)) {
          syntaxError("cannot parenthesize embedded type");
          ft->elem = parseType();
        } else if (!is(Tok::Ident)) {
          syntaxError("expecting name");
          advanceTo({Tok::Period, Tok::Semicolon, Tok::RBrace});
          ft->elem = badType();
        } else {
          ft->elem = parseType();
        }
      } else {
        ft = parseType();
      }
      if (!ft || (ft->isPointer && !ft->elem))
        return false;
      const TypeExpr *named = ft->isPointer ? ft->elem.get() : ft.get();
      accept(Tok::String);
      std::string name = named->name.substr(named->name.rfind('.') + 1);
      t->fields.push_back(FieldExpr{at, name, ft, true});
    } else if (is(Tok::Ident)) {
      std::vector<NameDef> names;
      parseNameList(names);
      std::shared_ptr<TypeExpr> ft = parseType();
      if (!ft)
        return false;
      accept(Tok::String);
      for (auto &n : names)
        t->fields.push_back(FieldExpr{n.loc, n.name, ft});
    } else if (is(Tok::LParen)) {
      syntaxError("cannot parenthesize embedded type");
      advanceTo({Tok::Semicolon, Tok::RBrace});
    } else {
      syntaxError("expecting field name or embedded type");
      advanceTo({Tok::Semicolon, Tok::RBrace});
    }
    return false;
  });
  return t;
}

bool Parser::parseParams(std::vector<Param> &out) {
  want(Tok::LParen);
  // As gc's paramList: each entry is a name, a type, or a name and a type; then either all
  // are bare types (int, string) or all have names (a, b int, s string).
  struct Entry {
    SourceLoc loc;
    std::string name; // empty: a type alone
    std::unique_ptr<TypeExpr> type; // null: a name alone
  };
  std::vector<Entry> entries;
  size_t named = 0;
  parseList("parameter list", Tok::Comma, Tok::RParen, [&] {
    Entry e;
    e.loc = tok().loc;
    // ...T: a variadic parameter, of type []T (Sema checks that it is the last one).
    auto dotsType = [&]() -> std::unique_ptr<TypeExpr> {
      auto t = std::make_unique<TypeExpr>();
      t->loc = tok().loc;
      advance();
      std::shared_ptr<TypeExpr> elem;
      if (atTypeStart())
        elem = parseType();
      if (!elem) {
        elem = badType();
        syntaxError("... is missing type");
      }
      t->isSlice = t->variadic = true;
      t->elem = std::move(elem);
      return t;
    };
    if (is(Tok::Ident)) {
      if (peek().kind == Tok::Period) {
        e.type = parseType(); // pkg.T
      } else {
        e.name = tok().text;
        advance();
        if (is(Tok::Ellipsis))
          e.type = dotsType();
        else if (atTypeStart())
          e.type = parseType();
      }
    } else if (is(Tok::Ellipsis)) {
      e.type = dotsType();
    } else if (atTypeStart()) {
      e.type = parseType();
    } else {
      syntaxError("expecting )");
      advanceTo({Tok::Comma, Tok::RParen});
      return false;
    }
    if (!e.name.empty() && e.type)
      ++named;
    entries.push_back(std::move(e));
    return false;
  });
  if (entries.empty())
    return true;
  if (named == 0) {
    // All unnamed: a name alone is a type's name.
    for (auto &e : entries) {
      Param p;
      p.name.loc = e.loc;
      if (!e.type) {
        e.type = std::make_unique<TypeExpr>();
        e.type->loc = e.loc;
        e.type->name = e.name;
      }
      p.type = std::move(e.type);
      out.push_back(std::move(p));
    }
    return true;
  }
  // Some named: all must have names and types; a name alone shares the type after it. The
  // error is at the leftmost entry that breaks the rule.
  bool bad = false;
  SourceLoc badLoc;
  std::shared_ptr<TypeExpr> typ;
  for (size_t i = entries.size(); i-- > 0;) {
    auto &e = entries[i];
    if (e.type) {
      typ = std::shared_ptr<TypeExpr>(std::move(e.type));
      if (e.name.empty())
        bad = true, badLoc = e.loc;
      e.type = std::make_unique<TypeExpr>(*typ);
    } else if (typ) {
      e.type = std::make_unique<TypeExpr>(*typ);
    } else {
      bad = true, badLoc = e.loc;
    }
  }
  if (bad) {
    syntaxErrorAt(badLoc, "mixed named and unnamed parameters");
    return false;
  }
  for (auto &e : entries) {
    Param p;
    p.name.loc = e.loc;
    p.name.name = e.name;
    p.type = std::move(e.type);
    out.push_back(std::move(p));
  }
  return true;
}

bool Parser::parseResults(std::vector<Param> &out) {
  if (!atTypeStart())
    return true; // no result: `{`, `;`, `=`, `)`, `,` … follow the parameters
  if (is(Tok::LParen)) // (T1, T2) or named (a, b T): parsed as a parameter list
    return parseParams(out);
  Param p;
  p.name.loc = tok().loc;
  p.type = parseType();
  if (!p.type)
    return false;
  out.push_back(std::move(p));
  return true;
}

// ---------------------------------------------------------------------------
// Statements

// parseBlock parses { statements }, as gc's blockStmt: context says after what the '{' is due.
std::unique_ptr<BlockStmt> Parser::parseBlock(const char *context) {
  auto block = std::make_unique<BlockStmt>(tok().loc);
  if (!enter())
    return nullptr;
  struct Guard {
    Parser *p;
    ~Guard() { p->leave(); }
  } guard{this};
  if (!accept(Tok::LBrace)) {
    syntaxError(std::string("expecting { after ") + context);
    advanceTo({Tok::Ident, Tok::RBrace});
    block->rbrace = tok().loc;
    if (accept(Tok::RBrace))
      return block;
  }
  parseStmtList(block->stmts, /*inClause=*/false);
  block->rbrace = tok().loc;
  want(Tok::RBrace);
  return block;
}

void Parser::skipUnsupportedStmt(const std::string &what) {
  unsupported(tok().loc, what);
  advance();
  skipToStmtEnd();
}

// parseStmtList parses statements separated by semicolons up to a '}', case or default (gc's
// stmtList), resynchronising after an error.
void Parser::parseStmtList(std::vector<StmtPtr> &out, bool) {
  while (!is(Tok::Eof) && !is(Tok::RBrace) && !is(Tok::KwCase) && !is(Tok::KwDefault) &&
         !stop()) {
    size_t before = pos_;
    if (!parseStmt(out))
      break; // not a statement: the caller says what it expected
    if (!accept(Tok::Semicolon) && !is(Tok::RBrace)) {
      syntaxError("at end of statement");
      advanceTo({Tok::Semicolon, Tok::RBrace, Tok::KwCase, Tok::KwDefault});
      accept(Tok::Semicolon);
    }
    if (pos_ == before)
      break; // no progress (cannot happen: a statement consumes a token)
  }
}

// pushOrSkip keeps a parsed statement.
void Parser::pushOrSkip(std::vector<StmtPtr> &out, StmtPtr s) {
  if (s)
    out.push_back(std::move(s));
}

// parseStmt parses one statement into out; false if the token cannot start one (gc's
// stmtOrNil returning nil).
bool Parser::parseStmt(std::vector<StmtPtr> &out) {
  if (!enter())
    return false;
  struct Guard {
    Parser *p;
    ~Guard() { p->leave(); }
  } guard{this};
  SourceLoc loc = tok().loc;
  switch (tok().kind) {
  case Tok::Semicolon:
    out.push_back(std::make_unique<EmptyStmt>(loc));
    return true;
  case Tok::LBrace:
    pushOrSkip(out, parseBlock());
    return true;
  case Tok::KwVar:
    parseVarDecl(out);
    return true;
  case Tok::KwConst:
    parseConstDecl(out);
    return true;
  case Tok::KwType:
    parseTypeDecl(out);
    return true;
  case Tok::KwIf:
    pushOrSkip(out, parseIf());
    return true;
  case Tok::KwFor:
    pushOrSkip(out, parseFor());
    return true;
  case Tok::KwSwitch:
    pushOrSkip(out, parseSwitch());
    return true;
  case Tok::KwSelect:
    pushOrSkip(out, parseSelect());
    return true;
  case Tok::KwReturn: {
    auto r = std::make_unique<ReturnStmt>(loc);
    advance();
    if (!is(Tok::Semicolon) && !is(Tok::RBrace))
      r->results = parseExprList();
    out.push_back(std::move(r));
    return true;
  }
  case Tok::KwBreak:
  case Tok::KwContinue: {
    auto b = std::make_unique<BranchStmt>(is(Tok::KwBreak) ? Stmt::Break : Stmt::Continue, loc);
    advance();
    if (is(Tok::Ident)) {
      b->label = tok().text;
      b->labelLoc = tok().loc;
      advance();
    }
    out.push_back(std::move(b));
    return true;
  }
  case Tok::KwFallthrough:
    advance();
    out.push_back(std::make_unique<BranchStmt>(Stmt::Fallthrough, loc));
    return true;
  case Tok::KwGo:
  case Tok::KwDefer: {
    bool isGo = is(Tok::KwGo);
    advance();
    auto e = parseExpr();
    if (!e)
      return true;
    Expr *u = e.get();
    while (u->kind == Expr::Paren)
      u = static_cast<ParenExpr *>(u)->inner.get();
    if (u->kind != Expr::Call) {
      diags_.error(e->loc, std::string("expression in ") + (isGo ? "go" : "defer") +
                               " must be function call");
      return true;
    }
    if (isGo)
      out.push_back(std::make_unique<GoStmt>(loc, std::move(e)));
    else
      out.push_back(std::make_unique<DeferStmt>(loc, std::move(e)));
    return true;
  }
  case Tok::KwGoto: {
    auto g = std::make_unique<BranchStmt>(Stmt::Goto, loc);
    advance();
    if (!is(Tok::Ident)) {
      syntaxError("expecting name");
      advanceTo({});
      return true;
    }
    g->label = tok().text;
    g->labelLoc = tok().loc;
    advance();
    out.push_back(std::move(g));
    return true;
  }
  // What may start an expression (or a simple statement).
  case Tok::Ident:
  case Tok::Add:
  case Tok::Sub:
  case Tok::Mul:
  case Tok::And:
  case Tok::Xor:
  case Tok::Not:
  case Tok::Int:
  case Tok::Float:
  case Tok::Imag:
  case Tok::Rune:
  case Tok::String:
  case Tok::KwFunc:
  case Tok::LParen:
  case Tok::LBrack:
  case Tok::KwStruct:
  case Tok::KwMap:
  case Tok::KwChan:
  case Tok::KwInterface:
  case Tok::Arrow:
    break;
  default:
    return false;
  }
  if (is(Tok::Ident) && peek().kind == Tok::Colon) {
    auto s = std::make_unique<LabeledStmt>(loc, tok().text, nullptr);
    advance();
    advance(); // :
    // The labelled statement follows the colon; before '}' it is an empty statement.
    auto *l = static_cast<LabeledStmt *>(s.get());
    std::vector<StmtPtr> inner;
    if (!is(Tok::RBrace) && !parseStmt(inner)) {
      syntaxErrorAt(loc, "missing statement after label");
      return false;
    }
    l->stmt = inner.empty() ? std::make_unique<EmptyStmt>(tok().loc) : std::move(inner[0]);
    for (size_t i = 1; i < inner.size(); ++i) // a var group declares several
      out.push_back(std::move(inner[i]));
    out.push_back(std::move(s));
    return true;
  }
  pushOrSkip(out, parseSimpleStmt());
  return true;
}

// gotAssign is gc's: '=' (or ':=', reported) before a declaration's values.
static bool gotAssignTok(Tok k) { return k == Tok::Assign || k == Tok::Define; }

void Parser::parseConstDecl(std::vector<StmtPtr> &out) {
  advance(); // const
  if (!accept(Tok::LParen)) {
    if (auto s = parseConstSpec(0, nullptr))
      out.push_back(std::move(s));
    return;
  }
  ConstDeclStmt *prev = nullptr;
  int64_t iota = 0;
  parseList("grouped declaration", Tok::Semicolon, Tok::RParen, [&] {
    if (auto s = parseConstSpec(iota, prev)) {
      prev = static_cast<ConstDeclStmt *>(s.get());
      out.push_back(std::move(s));
    }
    ++iota;
    return false;
  });
}

void Parser::parseTypeDecl(std::vector<StmtPtr> &out) {
  advance(); // type
  if (!accept(Tok::LParen)) {
    if (auto s = parseTypeSpec())
      out.push_back(std::move(s));
    return;
  }
  parseList("grouped declaration", Tok::Semicolon, Tok::RParen, [&] {
    if (auto s = parseTypeSpec())
      out.push_back(std::move(s));
    return false;
  });
}

// parseTypeSpec parses Name [=] Type. A '[' after the name opens type parameters when a name
// and then a constraint or a comma follow it ([T any], [K, V any]), not an array length.
StmtPtr Parser::parseTypeSpec() {
  auto t = std::make_unique<TypeDeclStmt>(tok().loc);
  if (!is(Tok::Ident)) {
    syntaxError("expecting name");
    advanceTo({});
  } else {
    t->name = NameDef{tok().loc, tok().text, nullptr};
    advance();
  }
  if (is(Tok::LBrack) && peek().kind == Tok::Ident &&
      (peek(2).kind == Tok::Ident || peek(2).kind == Tok::Comma ||
       peek(2).kind == Tok::KwInterface)) {
    unsupported(tok().loc, "generic types");
    skipBalanced();
    if (atTypeStart())
      parseType();
    return nullptr;
  }
  if (gotAssignTok(tok().kind)) {
    if (is(Tok::Define))
      syntaxError("expecting =");
    advance();
    t->alias = true;
  }
  if (atTypeStart())
    t->type = parseType();
  if (!t->type) {
    syntaxError("in type declaration");
    advanceTo({Tok::Semicolon, Tok::RParen});
    return nullptr;
  }
  return t;
}

// parseNameList parses `a, b, c` of a var or const spec (gc's nameList: a missing name is
// reported and one token skipped).
bool Parser::parseNameList(std::vector<NameDef> &out) {
  do {
    if (!is(Tok::Ident)) {
      syntaxError("expecting name");
      out.push_back(NameDef{tok().loc, "_", nullptr});
      advanceTo({});
      continue;
    }
    out.push_back(NameDef{tok().loc, tok().text, nullptr});
    advance();
  } while (accept(Tok::Comma));
  return true;
}

// parseConstSpec parses names [type] [= values]; without type and values it repeats prev's.
StmtPtr Parser::parseConstSpec(int64_t iota, ConstDeclStmt *prev) {
  auto c = std::make_unique<ConstDeclStmt>(tok().loc);
  c->iota = iota;
  parseNameList(c->names);
  bool assign = false;
  if (!is(Tok::Eof) && !is(Tok::Semicolon) && !is(Tok::RParen)) {
    if (atTypeStart())
      c->type = parseType();
    if (gotAssignTok(tok().kind)) {
      if (is(Tok::Define))
        syntaxError("expecting =");
      advance();
      assign = true;
    }
  }
  if (assign) {
    c->own = parseExprList();
    for (auto &v : c->own)
      c->values.push_back(v.get());
  } else if (!c->type && prev) {
    c->type = prev->type;
    c->values = prev->values;
  }
  return c;
}

void Parser::parseVarDecl(std::vector<StmtPtr> &out) {
  advance(); // var
  if (accept(Tok::LParen)) {
    bool first = true;
    parseList("grouped declaration", Tok::Semicolon, Tok::RParen, [&] {
      if (auto s = parseVarSpec()) {
        static_cast<VarDeclStmt *>(s.get())->inGroup = !first;
        first = false;
        out.push_back(std::move(s));
      }
      return false;
    });
    return;
  }
  if (auto s = parseVarSpec())
    out.push_back(std::move(s));
}

StmtPtr Parser::parseVarSpec() {
  auto v = std::make_unique<VarDeclStmt>(tok().loc);
  parseNameList(v->names);
  auto values = [&] {
    if (is(Tok::Define))
      syntaxError("expecting =");
    advance();
    v->values = parseExprList();
  };
  if (gotAssignTok(tok().kind)) {
    values();
  } else {
    v->type = parseType();
    if (gotAssignTok(tok().kind))
      values();
  }
  if (!v->type && v->values.empty())
    return nullptr;
  return v;
}

std::vector<ExprPtr> Parser::parseExprList() {
  std::vector<ExprPtr> list;
  do {
    auto e = parseExpr();
    if (!e)
      return {};
    list.push_back(std::move(e));
  } while (accept(Tok::Comma));
  return list;
}

StmtPtr Parser::parseSimpleStmt() {
  SourceLoc loc = tok().loc;
  if (is(Tok::KwRange) && rangeOk_) { // for range x
    SourceLoc at = tok().loc;
    return rangeClause(at, {}, false);
  }
  auto lhs = parseExprList();
  if (lhs.empty())
    return nullptr;
  Tok k = tok().kind;
  switch (k) {
  case Tok::Define:
  case Tok::Assign: {
    SourceLoc opLoc = tok().loc;
    advance();
    if (is(Tok::KwRange) && rangeOk_)
      return rangeClause(opLoc, std::move(lhs), k == Tok::Define);
    auto rhs = parseExprList();
    if (rhs.empty())
      return nullptr;
    if (k == Tok::Assign) {
      auto a = std::make_unique<AssignStmt>(opLoc, k);
      a->lhs = std::move(lhs);
      a->rhs = std::move(rhs);
      return a;
    }
    auto d = std::make_unique<DefineStmt>(opLoc);
    for (auto &e : lhs) {
      if (e->kind != Expr::Ident) {
        // gc's type checker reports it: only when the file parses.
        lateError(e->loc, "non-name " + exprString(e.get()) + " on left side of :=");
        d->names.push_back(NameDef{e->loc, "_", nullptr});
        d->nonName = true;
        d->nonNames.push_back(std::move(e));
        continue;
      }
      d->names.push_back(NameDef{e->loc, static_cast<IdentExpr *>(e.get())->name, nullptr});
    }
    d->values = std::move(rhs);
    return d;
  }
  default:
    break;
  }
  if (lhs.size() == 1) {
    switch (k) {
    case Tok::AddAssign:
    case Tok::SubAssign:
    case Tok::MulAssign:
    case Tok::QuoAssign:
    case Tok::RemAssign:
    case Tok::AndAssign:
    case Tok::OrAssign:
    case Tok::XorAssign:
    case Tok::ShlAssign:
    case Tok::ShrAssign:
    case Tok::AndNotAssign: {
      SourceLoc opLoc = tok().loc;
      advance();
      auto a = std::make_unique<AssignStmt>(opLoc, k);
      a->lhs = std::move(lhs);
      auto v = parseExpr();
      if (!v)
        return nullptr;
      a->rhs.push_back(std::move(v));
      return a;
    }
    case Tok::Inc:
    case Tok::Dec:
      advance();
      return std::make_unique<IncDecStmt>(loc, std::move(lhs[0]), k == Tok::Inc);
    case Tok::Arrow: {
      advance();
      auto v = parseExpr();
      if (!v)
        return nullptr;
      return std::make_unique<SendStmt>(loc, std::move(lhs[0]), std::move(v));
    }
    default:
      return std::make_unique<ExprStmt>(loc, std::move(lhs[0]));
    }
  }
  syntaxError("expecting := or = or comma");
  advanceTo({Tok::Semicolon, Tok::RBrace});
  return std::make_unique<ExprStmt>(loc, std::move(lhs[0]));
}

// rangeClause parses `range x` after `lhs :=` or `lhs =` (or alone) in a for clause; the
// loop's body is parsed by parseFor.
StmtPtr Parser::rangeClause(SourceLoc loc, std::vector<ExprPtr> lhs, bool define) {
  rangeOk_ = false;
  advance(); // range
  auto f = std::make_unique<ForStmt>(loc);
  // Type errors (Sema reports them); what Sema then sees is a range clause it can check.
  if (lhs.size() > 2) {
    lateError(lhs[2]->loc, "range clause permits at most two iteration variables");
    lhs.resize(2);
  }
  bool fresh = false, bad = false;
  for (auto &e : lhs) {
    if (define && e->kind != Expr::Ident) {
      lateError(e->loc, "cannot declare " + exprString(e.get())); // types2's rangeStmt
      e = std::make_unique<IdentExpr>(e->loc, "_");
      bad = true;
    } else if (e->kind == Expr::Ident && static_cast<IdentExpr *>(e.get())->name != "_") {
      fresh = true;
    }
  }
  rangeNoNew_ = bad && !fresh; // parseFor reports it at the for
  f->rangeLhs = std::move(lhs);
  f->rangeDefine = define;
  f->rangeX = parseExpr();
  return f->rangeX ? std::move(f) : nullptr;
}

// header parses the clause of if, for or switch after the keyword, as gc's header: init,
// condition (for switch, the tag) and, for for, the post statement. A range clause comes back
// as init. False if it reported an error.
bool Parser::header(Tok keyword, StmtPtr &init, StmtPtr &condStmt, StmtPtr &post) {
  if (is(Tok::LBrace)) {
    if (keyword == Tok::KwIf) {
      syntaxError("missing condition in if statement");
      return false;
    }
    return true;
  }
  bool ok = true;
  int outer = exprLev_;
  exprLev_ = -1;
  struct Restore {
    int &lev, old;
    ~Restore() { lev = old; }
  } restore{exprLev_, outer};
  if (!is(Tok::Semicolon)) {
    if (accept(Tok::KwVar)) {
      syntaxError(std::string("var declaration not allowed in ") + tokName(keyword) +
                  " initializer");
      ok = false;
    }
    rangeOk_ = keyword == Tok::KwFor;
    init = parseSimpleStmt();
    rangeOk_ = false;
    if (init && init->kind == Stmt::For)
      return ok;
  }
  SourceLoc semiLoc;
  std::string semiLit;
  if (!is(Tok::LBrace)) {
    if (is(Tok::Semicolon)) {
      semiLoc = tok().loc;
      semiLit = describe(tok());
      advance();
    } else {
      want(Tok::LBrace);
      ok = false;
      if (!is(Tok::LBrace))
        advanceTo({Tok::LBrace, Tok::RBrace});
    }
    if (keyword == Tok::KwFor) {
      if (!is(Tok::Semicolon)) {
        if (is(Tok::LBrace)) {
          syntaxError("expecting for loop condition");
          return false;
        }
        condStmt = parseSimpleStmt();
      }
      want(Tok::Semicolon);
      if (!is(Tok::LBrace)) {
        post = parseSimpleStmt();
        if (post && post->kind == Stmt::Define) {
          syntaxErrorAt(post->loc, "cannot declare in post statement of for loop");
          ok = false;
        }
      }
    } else if (!is(Tok::LBrace)) {
      condStmt = parseSimpleStmt();
    }
  } else {
    condStmt = std::move(init);
  }
  if (!condStmt) {
    if (keyword == Tok::KwIf && semiLoc.valid()) {
      if (semiLit != "semicolon")
        syntaxErrorAt(semiLoc, "unexpected " + semiLit + ", expecting { after if clause");
      else
        syntaxErrorAt(semiLoc, "missing condition in if statement");
      ok = false;
    }
  } else if (condStmt->kind != Stmt::ExprS) {
    std::string str;
    if (condStmt->kind == Stmt::Assign &&
        static_cast<AssignStmt *>(condStmt.get())->op == Tok::Assign) {
      auto *as = static_cast<AssignStmt *>(condStmt.get());
      auto list = [](const std::vector<ExprPtr> &l) {
        std::string r;
        for (size_t i = 0; i < l.size(); ++i)
          r += (i ? ", " : "") + exprString(l[i].get());
        return r;
      };
      str = "assignment (" + list(as->lhs) + ") = (" + list(as->rhs) + ")";
    } else if (condStmt->kind == Stmt::Define) {
      auto *d = static_cast<DefineStmt *>(condStmt.get());
      for (size_t i = 0; i < d->names.size(); ++i)
        str += (i ? ", " : "") + d->names[i].name;
      str += " :=";
      for (size_t i = 0; i < d->values.size(); ++i)
        str += (i ? ", " : " ") + exprString(d->values[i].get());
    } else {
      str = "statement";
    }
    // A type switch guard (v := x.(type)) is a switch's tag; parseSwitch sorts it out.
    if (keyword != Tok::KwSwitch || condStmt->kind != Stmt::Define) {
      syntaxErrorAt(condStmt->loc, "cannot use " + str + " as value");
      ok = false;
    }
  }
  return ok;
}

std::unique_ptr<IfStmt> Parser::parseIfHead() {
  auto s = std::make_unique<IfStmt>(tok().loc);
  advance(); // if
  StmtPtr init, cond, post;
  bool ok = header(Tok::KwIf, init, cond, post);
  s->init = std::move(init);
  if (cond && cond->kind == Stmt::ExprS)
    s->cond = std::move(static_cast<ExprStmt *>(cond.get())->expr);
  s->then = parseBlock("if clause");
  if (!ok || !s->cond || !s->then)
    return nullptr;
  return s;
}

// An else-if chain is parsed in a loop: each if hangs on the previous one's else.
StmtPtr Parser::parseIf() {
  StmtPtr first;
  StmtPtr *slot = &first;
  bool ok = true;
  while (true) {
    auto s = parseIfHead();
    IfStmt *cur = s.get();
    if (!s)
      ok = false;
    else
      *slot = std::move(s);
    if (!accept(Tok::KwElse))
      break;
    if (is(Tok::KwIf)) {
      if (cur)
        slot = &cur->els;
      else
        slot = &first, ok = false;
      continue;
    }
    if (!is(Tok::LBrace)) {
      syntaxError("else must be followed by if or statement block");
      advanceTo({Tok::Ident, Tok::RBrace});
      return nullptr;
    }
    auto els = parseBlock();
    if (cur)
      cur->els = std::move(els);
    break;
  }
  return ok ? std::move(first) : nullptr;
}

StmtPtr Parser::parseSwitch() {
  auto s = std::make_unique<SwitchStmt>(tok().loc);
  advance(); // switch
  StmtPtr init, first, post;
  bool ok = header(Tok::KwSwitch, init, first, post);
  s->init = std::move(init);
  // A type switch guard: x.(type) or v := x.(type).
  auto guard = [](Expr *e) {
    return e && e->kind == Expr::TypeAssert && !static_cast<TypeAssertExpr *>(e)->assertType;
  };
  if (first && first->kind == Stmt::Define) {
    auto *d = static_cast<DefineStmt *>(first.get());
    if (d->names.size() == 1 && d->values.size() == 1 && guard(d->values[0].get())) {
      s->typeSwitch = true;
      s->bind = d->names[0];
      s->tag = std::move(d->values[0]);
      first.reset();
    } else {
      syntaxErrorAt(first->loc, "switch expression must be an expression");
      ok = false;
    }
  } else if (first && first->kind == Stmt::ExprS &&
             guard(static_cast<ExprStmt *>(first.get())->expr.get())) {
    s->typeSwitch = true;
  }
  if (first && first->kind == Stmt::ExprS)
    s->tag = std::move(static_cast<ExprStmt *>(first.get())->expr);
  if (!accept(Tok::LBrace)) {
    syntaxError("missing { after switch clause");
    advanceTo({Tok::KwCase, Tok::KwDefault, Tok::RBrace});
    ok = false;
  }
  if (!enter())
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop()) {
    size_t before = pos_;
    if (!parseCaseClause(*s))
      ok = false;
    if (pos_ == before)
      break;
  }
  leave();
  want(Tok::RBrace);
  return ok ? std::move(s) : nullptr;
}

// One clause of a switch: "case" list ":" or "default" ":", then statements up to the next
// clause or the closing brace.
bool Parser::parseCaseClause(SwitchStmt &s) {
  CaseClause c;
  c.loc = tok().loc;
  bool ok = true;
  if (accept(Tok::KwDefault)) {
    c.isDefault = true;
  } else if (accept(Tok::KwCase)) {
    c.values = parseExprList();
  } else {
    syntaxError("expecting case or default or }");
    advanceTo({Tok::Colon, Tok::KwCase, Tok::KwDefault, Tok::RBrace});
    ok = false;
  }
  want(Tok::Colon);
  parseStmtList(c.body, /*inClause=*/true);
  if (ok)
    s.clauses.push_back(std::move(c));
  return ok;
}

StmtPtr Parser::parseFor() {
  auto f = std::make_unique<ForStmt>(tok().loc);
  advance(); // for
  StmtPtr init, cond, post;
  bool ok = header(Tok::KwFor, init, cond, post);
  if (init && init->kind == Stmt::For) { // a range clause
    auto *r = static_cast<ForStmt *>(init.get());
    r->loc = f->loc;
    if (rangeNoNew_)
      lateError(f->loc, "no new variables on left side of :=");
    rangeNoNew_ = false;
    r->body = parseBlock("for clause");
    return ok && r->body ? std::move(init) : nullptr;
  }
  f->init = std::move(init);
  if (cond && cond->kind == Stmt::ExprS)
    f->cond = std::move(static_cast<ExprStmt *>(cond.get())->expr);
  f->post = std::move(post);
  f->body = parseBlock("for clause");
  if (!ok || !f->body)
    return nullptr;
  return f;
}

// ---------------------------------------------------------------------------
// Expressions

ExprPtr Parser::parseExpr() { return parseBinary(1); }

ExprPtr Parser::parseBinary(int prec) {
  if (!enter())
    return nullptr;
  struct Guard {
    Parser *p;
    ~Guard() { p->leave(); }
  } guard{this};
  auto lhs = parseUnary();
  if (!lhs)
    return nullptr;
  while (true) {
    int p = binaryPrec(tok().kind);
    if (p < prec || p == 0)
      return lhs;
    Tok op = tok().kind;
    SourceLoc opLoc = tok().loc;
    advance();
    auto rhs = parseBinary(p + 1);
    if (!rhs)
      return nullptr;
    SourceLoc l = lhs->loc;
    auto b = std::make_unique<BinaryExpr>(l, op, std::move(lhs), std::move(rhs));
    b->opLoc = opLoc;
    lhs = std::move(b);
  }
}

ExprPtr Parser::parseUnary() {
  SourceLoc loc = tok().loc;
  switch (tok().kind) {
  case Tok::Add:
  case Tok::Sub:
  case Tok::Not:
  case Tok::Xor:
  case Tok::Mul:   // *p: indirection
  case Tok::And: { // &x: address
    Tok op = tok().kind;
    advance();
    if (!enter())
      return nullptr;
    auto e = parseUnary();
    leave();
    if (!e)
      return nullptr;
    return std::make_unique<UnaryExpr>(loc, op, std::move(e));
  }
  case Tok::Arrow: {
    if (peek().kind == Tok::KwChan) // <-chan T: a type, as in a conversion
      return parsePrimary();
    advance();
    if (!enter())
      return nullptr;
    auto e = parseUnary();
    leave();
    if (!e)
      return nullptr;
    return std::make_unique<UnaryExpr>(loc, Tok::Arrow, std::move(e));
  }
  default:
    return parsePrimary();
  }
}

ExprPtr Parser::parseOperand() {
  SourceLoc loc = tok().loc;
  switch (tok().kind) {
  case Tok::Int: {
    auto lit = std::make_unique<IntLitExpr>(loc, tok().text);
    std::string digits;
    std::vector<uint32_t> column; // each digit's column, for Go's position of an invalid digit
    for (size_t k = 0; k < tok().text.size(); ++k)
      if (tok().text[k] != '_') {
        digits += tok().text[k];
        column.push_back(loc.col + uint32_t(k));
      }
    int base = 10;
    size_t i = 0;
    if (digits.size() > 1 && digits[0] == '0') {
      char b = digits[1] | 0x20;
      if (b == 'x')
        base = 16, i = 2;
      else if (b == 'b')
        base = 2, i = 2;
      else if (b == 'o')
        base = 8, i = 2;
      else
        base = 8, i = 1;
    }
    std::string clean;
    for (; i < digits.size(); ++i) {
      char c = digits[i];
      int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      if (d >= base) {
        // A letter glued to the number was reported by the lexer; a decimal digit can only be
        // out of range in an octal or binary literal.
        if (c >= '0' && c <= '9') {
          SourceLoc at = loc;
          at.col = column[i];
          at.offset += column[i] - loc.col;
          diags_.error(at, "invalid digit '" + std::string(1, c) + "' in " +
                               (base == 8 ? "octal" : "binary") + " literal");
        }
        break;
      }
      clean += c;
    }
    if (!clean.empty() && !ConstInt::parse(clean, base, lit->value))
      lit->overflow = true;
    advance();
    return lit;
  }
  case Tok::String: {
    auto lit = std::make_unique<StringLitExpr>(loc, tok().text, tok().value);
    advance();
    return lit;
  }
  case Tok::Ident: {
    auto id = std::make_unique<IdentExpr>(loc, tok().text);
    advance();
    return id;
  }
  case Tok::LParen: {
    advance();
    int oldLev = exprLev_;
    exprLev_ = 0;
    auto inner = parseExpr();
    exprLev_ = oldLev;
    if (!inner)
      return nullptr;
    want(Tok::RParen);
    return std::make_unique<ParenExpr>(loc, std::move(inner));
  }
  case Tok::Float: {
    auto lit = std::make_unique<FloatLitExpr>(loc, tok().text);
    std::string text;
    for (char c : tok().text)
      if (c != '_')
        text += c;
    lit->overflow = !ConstFloat::parse(text, lit->value);
    advance();
    return lit;
  }
  case Tok::Imag:
    unsupported(loc, "complex numbers");
    advance();
    return nullptr;
  case Tok::Rune: {
    auto lit = std::make_unique<IntLitExpr>(loc, tok().text);
    lit->value = ConstInt(int64_t(tok().rune));
    lit->rune = true;
    advance();
    return lit;
  }
  case Tok::KwFunc: {
    auto lit = std::make_unique<FuncLitExpr>(loc);
    lit->fn = std::make_unique<FuncDecl>();
    lit->fn->loc = loc;
    lit->fn->name.loc = loc;
    advance();
    SourceLoc typeLoc = tok().loc; // gc places a func type at its '('
    parseParams(lit->fn->params);
    parseResults(lit->fn->results);
    if (!is(Tok::LBrace)) {
      // A func type as an operand: a type switch case, a conversion's callee, (func())(x).
      auto t = std::make_shared<TypeExpr>();
      t->loc = typeLoc;
      t->isFunc = true;
      for (auto &p : lit->fn->params)
        t->params.push_back(std::shared_ptr<TypeExpr>(std::move(p.type)));
      for (auto &r : lit->fn->results)
        t->results.push_back(std::shared_ptr<TypeExpr>(std::move(r.type)));
      return std::make_unique<TypeValueExpr>(typeLoc, std::move(t));
    }
    int oldLev = exprLev_;
    exprLev_ = 0;
    ++fnest_;
    lit->fn->body = parseBlock();
    --fnest_;
    exprLev_ = oldLev;
    if (!lit->fn->body)
      return nullptr;
    return lit;
  }
  case Tok::LBrack:
  case Tok::KwMap:
  case Tok::KwStruct: {
    std::shared_ptr<TypeExpr> t = parseType(); // reports what is unsupported
    if (!t)
      return nullptr;
    if (!is(Tok::LBrace))
      return std::make_unique<TypeValueExpr>(loc, std::move(t));
    return parseCompositeLit(loc, std::move(t));
  }
  case Tok::KwChan:
  case Tok::Arrow:         // a channel type: make's argument or a conversion's callee
  case Tok::KwInterface: { // an interface type: a conversion's callee, (interface{ M() }).M
    std::shared_ptr<TypeExpr> t = parseType();
    if (!t)
      return nullptr;
    return std::make_unique<TypeValueExpr>(loc, std::move(t));
  }
  default:
    // gc's operand: report, skip to a closing bracket and go on with a bad expression.
    syntaxError("expecting expression");
    {
      ExprPtr bad = badExpr();
      advanceTo({Tok::RParen, Tok::RBrack, Tok::RBrace});
      return bad;
    }
  }
}

// parseCompositeLit parses { [key:] value, ... } after a literal's type (null for an element
// literal with its type elided).
ExprPtr Parser::parseCompositeLit(SourceLoc loc, std::shared_ptr<TypeExpr> t) {
  if (!enter())
    return nullptr;
  struct Guard {
    Parser *p;
    int &lev, old;
    ~Guard() {
      lev = old;
      p->leave();
    }
  } guard{this, exprLev_, exprLev_};
  exprLev_ = 0;
  auto lit = std::make_unique<CompositeLitExpr>(loc);
  lit->litType = std::move(t);
  want(Tok::LBrace);
  auto element = [&]() -> ExprPtr {
    if (is(Tok::LBrace))
      return parseCompositeLit(tok().loc, nullptr);
    return parseExpr();
  };
  bool ok = true;
  parseList("composite literal", Tok::Comma, Tok::RBrace, [&] {
    ExprPtr v = element();
    ExprPtr k;
    SourceLoc colon = tok().loc;
    if (accept(Tok::Colon)) {
      k = std::move(v);
      v = element();
    }
    if (!v) {
      ok = false;
      return false;
    }
    lit->keys.push_back(std::move(k));
    lit->colons.push_back(colon);
    lit->values.push_back(std::move(v));
    return false;
  });
  lit->rbrace = pos_ && toks_[pos_ - 1].kind == Tok::RBrace ? toks_[pos_ - 1].loc : tok().loc;
  if (!ok)
    return nullptr;
  return lit;
}

// parseIndexOrSlice parses [i], [lo:hi] or [lo:hi:max] after the operand x.
ExprPtr Parser::parseIndexOrSlice(ExprPtr x) {
  SourceLoc loc = x->loc, lbrack = tok().loc;
  advance(); // [
  int oldLev = exprLev_;
  exprLev_ = 0;
  struct Restore {
    int &lev, old;
    ~Restore() { lev = old; }
  } restore{exprLev_, oldLev};
  if (is(Tok::RBrack)) {
    syntaxError("expecting operand"); // x[]: accepted, with a complaint, as x
    advance();
    return x;
  }
  ExprPtr first;
  if (!is(Tok::Colon)) {
    first = parseExpr();
    if (!first)
      return nullptr;
    bool comma = false;
    if (accept(Tok::Comma)) { // x[i,] or x[T1, T2]: gc's typeList
      comma = true;
      if (atTypeStart()) {
        unsupported(first->loc, "generic functions");
        parseType();
        while (accept(Tok::Comma) && atTypeStart())
          parseType();
      }
    }
    if (comma || is(Tok::RBrack)) {
      want(Tok::RBrack);
      auto ix = std::make_unique<IndexExpr>(loc, std::move(x), std::move(first));
      ix->lbrack = lbrack;
      return ix;
    }
  }
  if (!accept(Tok::Colon)) {
    syntaxError("expecting comma, : or ]");
    advanceTo({Tok::Comma, Tok::Colon, Tok::RBrack});
  }
  auto s = std::make_unique<SliceExpr>(loc, std::move(x));
  s->lo = std::move(first);
  if (!is(Tok::Colon) && !is(Tok::RBrack)) {
    s->hi = parseExpr();
    if (!s->hi)
      return nullptr;
  }
  if (is(Tok::Colon)) {
    s->slice3 = true;
    // gc's parser: the middle and final indices are required in a 3-index slice.
    if (!s->hi)
      diags_.error(tok().loc, "middle index required in 3-index slice");
    advance();
    if (!is(Tok::RBrack)) {
      s->max = parseExpr();
      if (!s->max)
        return nullptr;
    } else {
      diags_.error(tok().loc, "final index required in 3-index slice");
    }
  }
  want(Tok::RBrack);
  return s;
}

ExprPtr Parser::parsePrimary() {
  auto e = parseOperand();
  if (!e)
    return nullptr;
  while (true) {
    SourceLoc loc = tok().loc;
    switch (tok().kind) {
    case Tok::Period:
      advance();
      if (is(Tok::LParen)) { // x.(T), or x.(type) in a type switch
        advance();
        std::shared_ptr<TypeExpr> at;
        if (is(Tok::KwType)) {
          advance();
        } else {
          at = parseType();
          if (!at)
            return nullptr;
        }
        want(Tok::RParen);
        e = std::make_unique<TypeAssertExpr>(e->loc, std::move(e), std::move(at));
        static_cast<TypeAssertExpr *>(e.get())->loc = loc;
        break;
      }
      if (!is(Tok::Ident)) {
        syntaxError("expecting name or (");
        advanceTo({Tok::Semicolon, Tok::RParen});
        break;
      }
      e = std::make_unique<SelectorExpr>(e->loc, std::move(e), tok().text);
      static_cast<SelectorExpr *>(e.get())->selLoc = tok().loc;
      advance();
      break;
    case Tok::LParen: {
      advance();
      if (!enter())
        return nullptr;
      auto call = std::make_unique<CallExpr>(e->loc, std::move(e));
      int oldLev = exprLev_;
      exprLev_ = 0;
      bool ok = true;
      parseList("argument list", Tok::Comma, Tok::RParen, [&] {
        auto arg = parseExpr();
        if (!arg) {
          ok = false;
          return true;
        }
        call->args.push_back(std::move(arg));
        call->hasDots = accept(Tok::Ellipsis); // only the last argument may be spread
        return call->hasDots;
      });
      exprLev_ = oldLev;
      leave();
      call->rparen =
          pos_ && toks_[pos_ - 1].kind == Tok::RParen ? toks_[pos_ - 1].loc : tok().loc;
      if (!ok)
        return nullptr;
      e = std::move(call);
      break;
    }
    case Tok::LBrack:
      e = parseIndexOrSlice(std::move(e));
      if (!e)
        return nullptr;
      break;
    case Tok::LBrace:
      if (exprLev_ >= 0 && (e->kind == Expr::Ident || isQualifiedIdent(e.get()))) {
        // T{...} for a type name T, or pkg.T{...}
        auto t = std::make_shared<TypeExpr>();
        t->loc = e->loc;
        if (e->kind == Expr::Ident)
          t->name = static_cast<IdentExpr *>(e.get())->name;
        else {
          auto *sel = static_cast<SelectorExpr *>(e.get());
          t->name = static_cast<IdentExpr *>(sel->base.get())->name + "." + sel->sel;
        }
        e = parseCompositeLit(e->loc, std::move(t));
        if (!e)
          return nullptr;
        break;
      }
      return e;
    default:
      return e;
    }
  }
}

} // namespace toy
