//===- Parser.cpp ---------------------------------------------------------===//
#include "Parser.h"

namespace toy {

// isQualifiedIdent reports whether e is pkg.Name, which may name a type of package pkg.
static bool isQualifiedIdent(const Expr *e) {
  return e->kind == Expr::Selector &&
         static_cast<const SelectorExpr *>(e)->base->kind == Expr::Ident;
}


std::string Parser::describe(const Token &t) const {
  switch (t.kind) {
  case Tok::Eof:
    return "EOF";
  case Tok::Semicolon:
    return t.text == "\n" ? "newline" : "semicolon";
  case Tok::Ident:
    return t.text;
  case Tok::Int:
  case Tok::Float:
  case Tok::Imag:
  case Tok::Rune:
  case Tok::String:
    return "literal " + t.text;
  case Tok::Illegal:
    return "invalid character";
  default:
    return tokName(t.kind);
  }
}

void Parser::syntaxError(const std::string &expected) {
  // An illegal character was already reported by the lexer.
  if (is(Tok::Illegal))
    return;
  // As gc's syntaxErrorAt: a message that says where ("in …", "at …", "after …") follows the
  // token; anything else is what was expected.
  auto where = [&](const char *p) { return expected.rfind(p, 0) == 0; };
  std::string msg = "syntax error: unexpected " + describe(tok());
  if (where("in ") || where("at ") || where("after "))
    msg += " " + expected;
  else if (!expected.empty())
    msg += ", expecting " + expected;
  diags_.error(tok().loc, msg);
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
  if (!is(Tok::KwPackage)) {
    syntaxError("package clause");
    return file;
  }
  advance();
  if (is(Tok::Ident)) {
    file->package = tok().text;
    advance();
  } else {
    syntaxError("name");
  }
  if (!is(Tok::Eof))
    expect(Tok::Semicolon, "semicolon or newline after package clause");

  while (is(Tok::KwImport) && !stop()) {
    advance();
    if (accept(Tok::LParen)) {
      while (!is(Tok::RParen) && !is(Tok::Eof) && !stop()) {
        parseImport(*file);
        if (!is(Tok::RParen) && !expect(Tok::Semicolon, "semicolon or newline or )"))
          skipToStmtEnd(), accept(Tok::Semicolon);
      }
      expect(Tok::RParen, ")");
    } else {
      parseImport(*file);
    }
    if (!is(Tok::Eof) && !expect(Tok::Semicolon, "semicolon or newline after import"))
      skipToStmtEnd(), accept(Tok::Semicolon);
  }

  while (!is(Tok::Eof) && !stop()) {
    size_t before = pos_;
    SourceLoc loc = tok().loc;
    switch (tok().kind) {
    case Tok::KwFunc:
      if (auto fn = parseFunc())
        file->funcs.push_back(std::move(fn));
      break;
    case Tok::KwVar:
      parseVarDecl(file->globals);
      break;
    case Tok::KwConst:
      parseConstDecl(file->consts);
      break;
    case Tok::KwType:
      parseTypeDecl(file->types);
      break;
    case Tok::KwImport:
      diags_.error(loc, "syntax error: imports must appear before other declarations");
      skipToStmtEnd();
      break;
    case Tok::Semicolon:
      break;
    default:
      // Go's wording and recovery: skip to the next declaration keyword.
      if (!is(Tok::Illegal))
        diags_.error(loc, "syntax error: non-declaration statement outside function body");
      while (!is(Tok::Eof) && !is(Tok::KwFunc) && !is(Tok::KwVar) && !is(Tok::KwConst) &&
             !is(Tok::KwType))
        advance();
      continue;
    }
    if (!is(Tok::Eof) && !stop()) {
      if (!is(Tok::Semicolon)) {
        if (pos_ != before || is(Tok::RBrace)) {
          syntaxError("after top level declaration");
          skipToStmtEnd();
        }
      }
      accept(Tok::Semicolon);
    }
    if (pos_ == before)
      advance(); // always make progress
  }
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
  if (!is(Tok::String)) {
    syntaxError("import path");
    skipToStmtEnd();
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
    if (!parseParams(fn->recv)) {
      skipToStmtEnd();
      return nullptr;
    }
  }
  if (!is(Tok::Ident)) {
    syntaxError("name or (");
    skipToStmtEnd();
    return nullptr;
  }
  fn->name.loc = tok().loc;
  fn->name.name = tok().text;
  advance();
  if (is(Tok::LBrack)) {
    unsupported(tok().loc, "generic functions");
    skipBalanced();
  }
  if (!parseParams(fn->params) || !parseResults(fn->results)) {
    skipToStmtEnd();
    return nullptr;
  }
  if (!is(Tok::LBrace)) {
    if (is(Tok::Semicolon) && peek().kind == Tok::LBrace) {
      // The body's { on the next line: Go's one error, and the body is skipped.
      advance();
      diags_.error(tok().loc, "syntax error: unexpected semicolon or newline before {");
      skipBalanced();
      return nullptr;
    }
    if (is(Tok::Semicolon) || is(Tok::Eof))
      return fn; // a declaration without a body: Sema requires a //go:linkname for it
    syntaxError("{ after function signature");
    skipToStmtEnd();
    return nullptr;
  }
  fn->body = parseBlock();
  if (!fn->body)
    return nullptr;
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
    if (!inner || !expect(Tok::RParen, ")"))
      return nullptr;
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
    if (!expect(Tok::RBrack, "]"))
      return nullptr;
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
    if (!expect(Tok::LBrack, "["))
      return nullptr;
    t->key = parseType();
    if (!t->key || !expect(Tok::RBrack, "]"))
      return nullptr;
    t->elem = parseType();
    return t->elem ? std::move(t) : nullptr;
  case Tok::KwChan:
  case Tok::Arrow: {
    // chan T, chan<- T, <-chan T. chan<- binds to the leftmost chan (Go's rule), which
    // parsing the element type next gives.
    t->isChan = true;
    if (accept(Tok::Arrow)) {
      t->chanDir = Type::RecvOnly;
      if (!expect(Tok::KwChan, "chan"))
        return nullptr;
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
    if (!parseParams(ps) || !parseResults(rs))
      return nullptr;
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
    syntaxError("type");
    return nullptr;
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
  if (!expect(Tok::LBrace, "{"))
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop()) {
    SourceLoc at = tok().loc;
    if (is(Tok::Ident) && peek().kind == Tok::LParen) {
      std::string name = tok().text;
      advance();
      std::vector<Param> ps, rs;
      if (!parseParams(ps) || !parseResults(rs))
        return nullptr;
      auto ft = std::make_shared<TypeExpr>();
      ft->loc = at;
      ft->isFunc = true;
      for (auto &p : ps)
        ft->params.push_back(std::shared_ptr<TypeExpr>(std::move(p.type)));
      for (auto &r : rs)
        ft->results.push_back(std::shared_ptr<TypeExpr>(std::move(r.type)));
      t->fields.push_back(FieldExpr{at, name, ft});
    } else if (is(Tok::Ident)) {
      std::shared_ptr<TypeExpr> et = parseType();
      if (!et)
        return nullptr;
      t->fields.push_back(FieldExpr{at, et->name, et, true});
    } else {
      syntaxError("name");
      return nullptr;
    }
    if (!is(Tok::RBrace) && !expect(Tok::Semicolon, "semicolon, newline, or }"))
      return nullptr;
  }
  if (!expect(Tok::RBrace, "}"))
    return nullptr;
  return t;
}

// parseStructType parses struct { a, b T; c U "tag"; ... }; a tag is skipped (toy has no
// reflection to read it).
std::unique_ptr<TypeExpr> Parser::parseStructType(std::unique_ptr<TypeExpr> t) {
  advance(); // struct
  t->isStruct = true;
  if (!expect(Tok::LBrace, "{"))
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop()) {
    // An embedded field is a type name alone: T, *T or pkg.T.
    if (is(Tok::Mul) ||
        (is(Tok::Ident) && (peek().kind == Tok::Semicolon || peek().kind == Tok::RBrace ||
                            peek().kind == Tok::String || peek().kind == Tok::Period))) {
      SourceLoc at = tok().loc;
      std::shared_ptr<TypeExpr> ft;
      if (is(Tok::Mul)) {
        advance();
        if (!is(Tok::Ident)) {
          diags_.error(tok().loc, "syntax error: unexpected " + describe(tok()) +
                                      ", expecting name");
          return nullptr;
        }
        ft = std::make_shared<TypeExpr>();
        ft->loc = at;
        ft->isPointer = true;
        ft->elem = parseType();
      } else {
        ft = parseType();
      }
      if (!ft || (ft->isPointer && !ft->elem))
        return nullptr;
      const TypeExpr *named = ft->isPointer ? ft->elem.get() : ft.get();
      accept(Tok::String);
      std::string name = named->name.substr(named->name.rfind('.') + 1);
      t->fields.push_back(FieldExpr{at, name, ft, true});
    } else {
      std::vector<NameDef> names;
      if (!parseNameList(names))
        return nullptr;
      std::shared_ptr<TypeExpr> ft = parseType();
      if (!ft)
        return nullptr;
      accept(Tok::String);
      for (auto &n : names)
        t->fields.push_back(FieldExpr{n.loc, n.name, ft});
    }
    if (!is(Tok::RBrace) && !expect(Tok::Semicolon, "semicolon, newline, or }"))
      return nullptr;
  }
  if (!expect(Tok::RBrace, "}"))
    return nullptr;
  return t;
}

bool Parser::parseParams(std::vector<Param> &out) {
  if (!expect(Tok::LParen, "("))
    return false;
  // Go's parameter lists are either all "name Type" groups (a, b int, s string)
  // or all bare types (int, string). Collect entries, then decide.
  struct Entry {
    SourceLoc loc;
    std::string name;
    std::unique_ptr<TypeExpr> type;
  };
  std::vector<Entry> entries;
  bool ok = true;
  while (!is(Tok::RParen) && !is(Tok::Eof)) {
    Entry e;
    e.loc = tok().loc;
    // ...T: a variadic parameter, of type []T (Sema checks that it is the last one).
    auto paramType = [&]() -> std::unique_ptr<TypeExpr> {
      if (!is(Tok::Ellipsis))
        return parseType();
      auto t = std::make_unique<TypeExpr>();
      t->loc = tok().loc;
      advance();
      std::shared_ptr<TypeExpr> elem = parseType();
      if (!elem)
        return nullptr;
      t->isSlice = t->variadic = true;
      t->elem = std::move(elem);
      return t;
    };
    if (is(Tok::Ident) && peek().kind != Tok::Period && peek().kind != Tok::Comma &&
        peek().kind != Tok::RParen) {
      e.name = tok().text;
      advance();
    }
    e.type = paramType();
    if (!e.type)
      ok = false;
    entries.push_back(std::move(e));
    if (stop())
      return false;
    if (!accept(Tok::Comma)) {
      if (!is(Tok::RParen)) {
        syntaxError("in parameter list; possibly missing comma or )");
        return false;
      }
    }
  }
  if (!expect(Tok::RParen, ")"))
    return false;
  if (!ok)
    return false;
  bool named = false;
  for (auto &e : entries)
    named |= !e.name.empty();
  if (!named) {
    for (auto &e : entries) {
      Param p;
      p.name.loc = e.loc;
      p.type = std::move(e.type);
      out.push_back(std::move(p));
    }
    return true;
  }
  // Named form: a bare entry is a name sharing the type of the next typed entry.
  std::vector<size_t> pending;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto &e = entries[i];
    if (e.name.empty()) {
      // A bare identifier: parseType read the name as a type.
      if (!e.type || e.type->name.find('.') != std::string::npos) {
        diags_.error(e.loc, "syntax error: mixed named and unnamed parameters");
        return false;
      }
      pending.push_back(i);
      continue;
    }
    for (size_t j : pending) {
      Param p;
      p.name.loc = entries[j].loc;
      p.name.name = entries[j].type->name;
      p.type = std::make_unique<TypeExpr>(*e.type);
      out.push_back(std::move(p));
    }
    pending.clear();
    Param p;
    p.name.loc = e.loc;
    p.name.name = e.name;
    p.type = std::move(e.type);
    out.push_back(std::move(p));
  }
  if (!pending.empty()) {
    diags_.error(entries[pending.back()].loc, "syntax error: mixed named and unnamed parameters");
    return false;
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

std::unique_ptr<BlockStmt> Parser::parseBlock() {
  auto block = std::make_unique<BlockStmt>(tok().loc);
  if (!expect(Tok::LBrace, "{"))
    return nullptr;
  if (!enter())
    return nullptr;
  parseStmtList(block->stmts, /*inClause=*/false);
  leave();
  block->rbrace = tok().loc;
  if (!stop())
    expect(Tok::RBrace, "}");
  return block;
}

void Parser::skipUnsupportedStmt(const std::string &what) {
  unsupported(tok().loc, what);
  advance();
  skipToStmtEnd();
}

// parseStmtList parses statements separated by semicolons up to the closing '}' (and, in a
// switch clause, up to the next case or default), resynchronising after an error.
void Parser::parseStmtList(std::vector<StmtPtr> &out, bool inClause) {
  auto atClose = [&] {
    return is(Tok::RBrace) || stop() || (inClause && (is(Tok::KwCase) || is(Tok::KwDefault)));
  };
  while (!atClose() && !is(Tok::Eof)) {
    size_t before = pos_;
    parseStmt(out);
    if (atClose())
      break;
    if (!accept(Tok::Semicolon)) {
      syntaxError("at end of statement");
      skipToStmtEnd();
      accept(Tok::Semicolon);
    }
    if (pos_ == before)
      advance();
  }
}

// pushOrSkip keeps a parsed statement, or skips the rest of one that failed to parse.
void Parser::pushOrSkip(std::vector<StmtPtr> &out, StmtPtr s) {
  if (s)
    out.push_back(std::move(s));
  else
    skipToStmtEnd();
}

void Parser::parseStmt(std::vector<StmtPtr> &out) {
  if (!enter())
    return;
  struct Guard {
    Parser *p;
    ~Guard() { p->leave(); }
  } guard{this};
  SourceLoc loc = tok().loc;
  switch (tok().kind) {
  case Tok::Semicolon:
    out.push_back(std::make_unique<EmptyStmt>(loc));
    return;
  case Tok::RBrace:
    return;
  case Tok::LBrace:
    if (auto b = parseBlock())
      out.push_back(std::move(b));
    return;
  case Tok::KwVar:
    parseVarDecl(out);
    return;
  case Tok::KwIf:
    pushOrSkip(out, parseIf());
    return;
  case Tok::KwFor:
    pushOrSkip(out, parseFor());
    return;
  case Tok::KwReturn: {
    auto r = std::make_unique<ReturnStmt>(loc);
    advance();
    if (!is(Tok::Semicolon) && !is(Tok::RBrace))
      r->results = parseExprList();
    out.push_back(std::move(r));
    return;
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
    return;
  }
  case Tok::KwFallthrough:
    advance();
    out.push_back(std::make_unique<BranchStmt>(Stmt::Fallthrough, loc));
    return;
  case Tok::KwSwitch:
    pushOrSkip(out, parseSwitch());
    return;
  case Tok::KwGo:
  case Tok::KwDefer: {
    bool isGo = is(Tok::KwGo);
    advance();
    auto e = parseExpr();
    if (!e)
      return;
    Expr *u = e.get();
    while (u->kind == Expr::Paren)
      u = static_cast<ParenExpr *>(u)->inner.get();
    if (u->kind != Expr::Call) {
      diags_.error(e->loc, std::string("expression in ") + (isGo ? "go" : "defer") +
                               " must be function call");
      return;
    }
    if (isGo)
      out.push_back(std::make_unique<GoStmt>(loc, std::move(e)));
    else
      out.push_back(std::make_unique<DeferStmt>(loc, std::move(e)));
    return;
  }
  case Tok::KwSelect:
    pushOrSkip(out, parseSelect());
    return;
  case Tok::KwGoto: {
    auto g = std::make_unique<BranchStmt>(Stmt::Goto, loc);
    advance();
    if (!is(Tok::Ident)) {
      syntaxError("name");
      skipToStmtEnd();
      return;
    }
    g->label = tok().text;
    g->labelLoc = tok().loc;
    advance();
    out.push_back(std::move(g));
    return;
  }
  case Tok::KwConst:
    parseConstDecl(out);
    return;
  case Tok::KwType:
    parseTypeDecl(out);
    return;
  case Tok::KwFunc:
    if (peek().kind == Tok::Ident) {
      diags_.error(loc, "syntax error: function declaration inside a function body");
      advance();
      skipToStmtEnd();
      return;
    }
    break;
  case Tok::KwElse:
    diags_.error(loc, "syntax error: else must follow if block");
    advance();
    skipToStmtEnd();
    return;
  default:
    break;
  }
  if (auto s = parseSimpleStmt()) {
    if (s->kind == Stmt::Labeled) {
      // The labelled statement follows the colon; before '}' it is an empty statement.
      auto *l = static_cast<LabeledStmt *>(s.get());
      std::vector<StmtPtr> inner;
      if (!is(Tok::RBrace))
        parseStmt(inner);
      l->stmt = inner.empty() ? std::make_unique<EmptyStmt>(tok().loc) : std::move(inner[0]);
      for (size_t i = 1; i < inner.size(); ++i) // a var group declares several
        out.push_back(std::move(inner[i]));
    }
    out.push_back(std::move(s));
  } else {
    skipToStmtEnd();
  }
}

void Parser::parseConstDecl(std::vector<StmtPtr> &out) {
  advance(); // const
  if (!accept(Tok::LParen)) {
    if (auto s = parseConstSpec(0, nullptr))
      out.push_back(std::move(s));
    else
      skipToStmtEnd();
    return;
  }
  ConstDeclStmt *prev = nullptr;
  for (int64_t iota = 0; !is(Tok::RParen) && !is(Tok::Eof) && !stop(); ++iota) {
    if (auto s = parseConstSpec(iota, prev)) {
      prev = static_cast<ConstDeclStmt *>(s.get());
      out.push_back(std::move(s));
    } else {
      skipToStmtEnd();
    }
    if (!is(Tok::RParen) && !expect(Tok::Semicolon, "semicolon, newline, or )"))
      skipToStmtEnd(), accept(Tok::Semicolon);
  }
  expect(Tok::RParen, ")");
}

void Parser::parseTypeDecl(std::vector<StmtPtr> &out) {
  advance(); // type
  if (!accept(Tok::LParen)) {
    if (auto s = parseTypeSpec())
      out.push_back(std::move(s));
    else
      skipToStmtEnd();
    return;
  }
  while (!is(Tok::RParen) && !is(Tok::Eof) && !stop()) {
    if (auto s = parseTypeSpec())
      out.push_back(std::move(s));
    else
      skipToStmtEnd();
    if (!is(Tok::RParen) && !expect(Tok::Semicolon, "semicolon, newline, or )"))
      skipToStmtEnd(), accept(Tok::Semicolon);
  }
  expect(Tok::RParen, ")");
}

// parseTypeSpec parses Name [=] Type. A '[' after the name opens type parameters when a name
// and then a constraint or a comma follow it ([T any], [K, V any]), not an array length.
StmtPtr Parser::parseTypeSpec() {
  auto t = std::make_unique<TypeDeclStmt>(tok().loc);
  if (!is(Tok::Ident)) {
    syntaxError("name");
    return nullptr;
  }
  t->name = NameDef{tok().loc, tok().text, nullptr};
  advance();
  if (is(Tok::LBrack) && peek().kind == Tok::Ident &&
      (peek(2).kind == Tok::Ident || peek(2).kind == Tok::Comma ||
       peek(2).kind == Tok::KwInterface)) {
    unsupported(tok().loc, "generic types");
    skipBalanced();
    if (atTypeStart())
      parseType();
    return nullptr;
  }
  t->alias = accept(Tok::Assign);
  t->type = parseType();
  if (!t->type)
    return nullptr;
  return t;
}

// parseNameList parses `a, b, c` of a var or const spec.
bool Parser::parseNameList(std::vector<NameDef> &out) {
  do {
    if (!is(Tok::Ident)) {
      syntaxError("name");
      return false;
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
  if (!parseNameList(c->names))
    return nullptr;
  if (!is(Tok::Assign) && !is(Tok::Semicolon) && !is(Tok::RParen)) {
    c->type = parseType();
    if (!c->type)
      return nullptr;
  }
  if (accept(Tok::Assign)) {
    c->own = parseExprList();
    if (c->own.empty())
      return nullptr;
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
    while (!is(Tok::RParen) && !is(Tok::Eof) && !stop()) {
      if (auto s = parseVarSpec()) {
        static_cast<VarDeclStmt *>(s.get())->inGroup = !first;
        first = false;
        out.push_back(std::move(s));
      } else {
        skipToStmtEnd();
      }
      if (!is(Tok::RParen) && !expect(Tok::Semicolon, "semicolon, newline, or )"))
        skipToStmtEnd(), accept(Tok::Semicolon);
    }
    expect(Tok::RParen, ")");
    return;
  }
  if (auto s = parseVarSpec())
    out.push_back(std::move(s));
  else
    skipToStmtEnd();
}

StmtPtr Parser::parseVarSpec() {
  auto v = std::make_unique<VarDeclStmt>(tok().loc);
  if (!parseNameList(v->names))
    return nullptr;
  if (!is(Tok::Assign)) {
    v->type = parseType();
    if (!v->type)
      return nullptr;
  }
  if (accept(Tok::Assign))
    v->values = parseExprList();
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
  auto lhs = parseExprList();
  if (lhs.empty())
    return nullptr;
  Tok k = tok().kind;
  switch (k) {
  case Tok::Define: {
    SourceLoc opLoc = tok().loc;
    advance();
    if (is(Tok::KwRange) && rangeOk_)
      return rangeClause(opLoc, std::move(lhs), true);
    if (is(Tok::KwRange)) { // range outside a for clause is not an expression
      syntaxError("expression");
      return nullptr;
    }
    auto d = std::make_unique<DefineStmt>(opLoc);
    for (auto &e : lhs) {
      if (e->kind != Expr::Ident) {
        diags_.error(e->loc, "non-name " + exprString(e.get()) + " on left side of :=");
        return nullptr;
      }
      d->names.push_back(NameDef{e->loc, static_cast<IdentExpr *>(e.get())->name, nullptr});
    }
    d->values = parseExprList();
    if (d->values.empty())
      return nullptr;
    return d;
  }
  case Tok::Assign:
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
    if (is(Tok::KwRange) && rangeOk_ && k == Tok::Assign)
      return rangeClause(opLoc, std::move(lhs), false);
    if (is(Tok::KwRange)) { // range outside a for clause is not an expression
      syntaxError("expression");
      return nullptr;
    }
    auto a = std::make_unique<AssignStmt>(opLoc, k);
    a->lhs = std::move(lhs);
    a->rhs = parseExprList();
    if (a->rhs.empty())
      return nullptr;
    if (k != Tok::Assign && (a->lhs.size() != 1 || a->rhs.size() != 1)) {
      diags_.error(opLoc, std::string("syntax error: unexpected ") + tokName(k) +
                              ", expecting := or = or comma");
      return nullptr;
    }
    return a;
  }
  case Tok::Inc:
  case Tok::Dec: {
    if (lhs.size() != 1) {
      syntaxError(":= or = or comma");
      return nullptr;
    }
    advance();
    return std::make_unique<IncDecStmt>(loc, std::move(lhs[0]), k == Tok::Inc);
  }
  case Tok::Arrow: {
    if (lhs.size() != 1) {
      syntaxError(":= or = or comma");
      return nullptr;
    }
    advance();
    auto v = parseExpr();
    if (!v)
      return nullptr;
    return std::make_unique<SendStmt>(loc, std::move(lhs[0]), std::move(v));
  }
  case Tok::Colon:
    if (lhs.size() == 1 && lhs[0]->kind == Expr::Ident) {
      advance();
      return std::make_unique<LabeledStmt>(loc, static_cast<IdentExpr *>(lhs[0].get())->name,
                                           nullptr);
    }
    break;
  default:
    break;
  }
  if (lhs.size() != 1) {
    syntaxError(":= or = or comma");
    return nullptr;
  }
  return std::make_unique<ExprStmt>(loc, std::move(lhs[0]));
}

// rangeClause parses `range x` after `lhs :=` or `lhs =` in a for clause; the loop's body
// is parsed by parseFor.
StmtPtr Parser::rangeClause(SourceLoc loc, std::vector<ExprPtr> lhs, bool define) {
  rangeOk_ = false;
  advance(); // range
  auto f = std::make_unique<ForStmt>(loc);
  if (lhs.size() > 2) {
    diags_.error(lhs[2]->loc, "range clause permits at most two iteration variables");
    return nullptr;
  }
  for (auto &e : lhs)
    if (define && e->kind != Expr::Ident) {
      diags_.error(e->loc, "non-name " + exprString(e.get()) + " on left side of :=");
      return nullptr;
    }
  f->rangeLhs = std::move(lhs);
  f->rangeDefine = define;
  f->rangeX = parseExpr();
  return f->rangeX ? std::move(f) : nullptr;
}

std::unique_ptr<IfStmt> Parser::parseIfHead() {
  auto s = std::make_unique<IfStmt>(tok().loc);
  advance(); // if
  if (is(Tok::LBrace)) {
    diags_.error(tok().loc, "syntax error: missing condition in if statement");
    return nullptr;
  }
  int oldLev = exprLev_;
  exprLev_ = -1;
  StmtPtr init;
  if (!is(Tok::Semicolon))
    init = parseSimpleStmt();
  else if (tok().text == "\n") {
    exprLev_ = oldLev;
    diags_.error(tok().loc, "syntax error: missing condition in if statement");
    return nullptr;
  }
  if (accept(Tok::Semicolon)) {
    s->init = std::move(init);
    if (is(Tok::LBrace)) {
      exprLev_ = oldLev;
      diags_.error(tok().loc, "syntax error: missing condition in if statement");
      return nullptr;
    }
    auto c = parseSimpleStmt();
    if (c && c->kind != Stmt::ExprS) {
      exprLev_ = oldLev;
      diags_.error(c->loc, "syntax error: cannot use assignment as value");
      return nullptr;
    }
    if (c)
      s->cond = std::move(static_cast<ExprStmt *>(c.get())->expr);
  } else if (init) {
    if (init->kind != Stmt::ExprS) {
      exprLev_ = oldLev;
      diags_.error(init->loc, "syntax error: cannot use assignment as value");
      return nullptr;
    }
    s->cond = std::move(static_cast<ExprStmt *>(init.get())->expr);
  }
  exprLev_ = oldLev;
  if (!s->cond)
    return nullptr;
  s->then = parseBlock();
  if (!s->then)
    return nullptr;
  return s;
}

// An else-if chain is parsed in a loop: each if hangs on the previous one's else.
StmtPtr Parser::parseIf() {
  StmtPtr first;
  StmtPtr *slot = &first;
  while (true) {
    auto s = parseIfHead();
    if (!s)
      return nullptr;
    IfStmt *cur = s.get();
    *slot = std::move(s);
    if (!accept(Tok::KwElse))
      return first;
    if (is(Tok::KwIf)) {
      slot = &cur->els;
      continue;
    }
    if (!is(Tok::LBrace)) {
      syntaxError("if statement or block");
      return nullptr;
    }
    cur->els = parseBlock();
    return cur->els ? std::move(first) : nullptr;
  }
}

StmtPtr Parser::parseSwitch() {
  auto s = std::make_unique<SwitchStmt>(tok().loc);
  advance(); // switch
  int oldLev = exprLev_;
  exprLev_ = -1;
  StmtPtr first;
  if (!is(Tok::LBrace) && !is(Tok::Semicolon))
    first = parseSimpleStmt();
  bool ok = true;
  if (accept(Tok::Semicolon)) {
    s->init = std::move(first);
    if (!is(Tok::LBrace))
      first = parseSimpleStmt();
  }
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
    }
  } else if (first && first->kind == Stmt::ExprS &&
             guard(static_cast<ExprStmt *>(first.get())->expr.get())) {
    s->typeSwitch = true;
  }
  if (first) {
    if (first->kind != Stmt::ExprS) {
      diags_.error(first->loc, "syntax error: switch expression must be an expression");
      ok = false;
    } else {
      s->tag = std::move(static_cast<ExprStmt *>(first.get())->expr);
    }
  }
  exprLev_ = oldLev;
  if (!ok || !expect(Tok::LBrace, "{ after switch clause"))
    return nullptr;
  if (!enter())
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop())
    if (!parseCaseClause(*s))
      break;
  leave();
  if (stop() || !expect(Tok::RBrace, "}"))
    return nullptr;
  return s;
}

// One clause of a switch: "case" list ":" or "default" ":", then statements up to the next
// clause or the closing brace.
bool Parser::parseCaseClause(SwitchStmt &s) {
  CaseClause c;
  c.loc = tok().loc;
  if (accept(Tok::KwDefault)) {
    c.isDefault = true;
  } else if (accept(Tok::KwCase)) {
    c.values = parseExprList();
    if (c.values.empty())
      return false;
  } else {
    syntaxError("case or default or }");
    return false;
  }
  if (!expect(Tok::Colon, ":"))
    return false;
  parseStmtList(c.body, /*inClause=*/true);
  s.clauses.push_back(std::move(c));
  return true;
}

StmtPtr Parser::parseFor() {
  auto f = std::make_unique<ForStmt>(tok().loc);
  advance(); // for
  int oldLev = exprLev_;
  exprLev_ = -1;
  if (is(Tok::KwRange)) { // for range x
    advance();
    f->rangeX = parseExpr();
    exprLev_ = oldLev;
    if (!f->rangeX)
      return nullptr;
    f->body = parseBlock();
    return f->body ? std::move(f) : nullptr;
  }
  if (!is(Tok::LBrace)) {
    StmtPtr first;
    if (!is(Tok::Semicolon)) {
      rangeOk_ = true;
      first = parseSimpleStmt();
      rangeOk_ = false;
      if (!first) {
        exprLev_ = oldLev;
        return nullptr;
      }
    }
    if (first && first->kind == Stmt::For) { // a range clause
      exprLev_ = oldLev;
      auto *r = static_cast<ForStmt *>(first.get());
      r->loc = f->loc;
      r->body = parseBlock();
      return r->body ? std::move(first) : nullptr;
    }
    if (is(Tok::Semicolon)) {
      // three-clause form
      advance();
      f->init = std::move(first);
      if (!is(Tok::Semicolon)) {
        f->cond = parseExpr();
        if (!f->cond) {
          exprLev_ = oldLev;
          return nullptr;
        }
      }
      if (!expect(Tok::Semicolon, "for loop condition")) {
        exprLev_ = oldLev;
        return nullptr;
      }
      if (!is(Tok::LBrace)) {
        f->post = parseSimpleStmt();
        if (!f->post) {
          exprLev_ = oldLev;
          return nullptr;
        }
        if (f->post->kind == Stmt::Define) {
          exprLev_ = oldLev;
          diags_.error(f->post->loc, "syntax error: cannot declare in post statement of for loop");
          return nullptr;
        }
      }
    } else {
      if (first->kind != Stmt::ExprS) {
        exprLev_ = oldLev;
        syntaxError("for loop condition");
        return nullptr;
      }
      f->cond = std::move(static_cast<ExprStmt *>(first.get())->expr);
    }
  }
  exprLev_ = oldLev;
  f->body = parseBlock();
  if (!f->body)
    return nullptr;
  return f;
}

// ---------------------------------------------------------------------------
// Expressions

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
    if (!expect(Tok::RParen, ")"))
      return nullptr;
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
    if (!parseParams(lit->fn->params) || !parseResults(lit->fn->results))
      return nullptr;
    if (!is(Tok::LBrace) &&
        (is(Tok::Colon) || is(Tok::Comma) || is(Tok::LParen) || is(Tok::RParen))) {
      // A func type as an operand: a type switch case, a conversion's callee, (func())(x).
      auto t = std::make_shared<TypeExpr>();
      t->loc = loc;
      t->isFunc = true;
      for (auto &p : lit->fn->params)
        t->params.push_back(std::shared_ptr<TypeExpr>(std::move(p.type)));
      for (auto &r : lit->fn->results)
        t->results.push_back(std::shared_ptr<TypeExpr>(std::move(r.type)));
      return std::make_unique<TypeValueExpr>(loc, std::move(t));
    }
    if (!is(Tok::LBrace)) {
      syntaxError("{ after function literal signature");
      return nullptr;
    }
    int oldLev = exprLev_;
    exprLev_ = 0;
    lit->fn->body = parseBlock();
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
    syntaxError("expression");
    return nullptr;
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
  if (!expect(Tok::LBrace, "{"))
    return nullptr;
  auto element = [&]() -> ExprPtr {
    if (is(Tok::LBrace))
      return parseCompositeLit(tok().loc, nullptr);
    return parseExpr();
  };
  while (!is(Tok::RBrace) && !is(Tok::Eof)) {
    ExprPtr v = element();
    if (!v)
      return nullptr;
    ExprPtr k;
    SourceLoc colon = tok().loc;
    if (accept(Tok::Colon)) {
      k = std::move(v);
      v = element();
      if (!v)
        return nullptr;
    }
    lit->keys.push_back(std::move(k));
    lit->colons.push_back(colon);
    lit->values.push_back(std::move(v));
    if (!accept(Tok::Comma) && !is(Tok::RBrace)) {
      syntaxError("in composite literal; possibly missing comma or }");
      return nullptr;
    }
  }
  lit->rbrace = tok().loc;
  if (!expect(Tok::RBrace, "}"))
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
  ExprPtr first;
  if (!is(Tok::Colon)) {
    first = parseExpr();
    if (!first)
      return nullptr;
  }
  if (accept(Tok::RBrack)) {
    if (!first) {
      syntaxError("operand");
      return nullptr;
    }
    auto ix = std::make_unique<IndexExpr>(loc, std::move(x), std::move(first));
    ix->lbrack = lbrack;
    return ix;
  }
  if (!is(Tok::Colon)) {
    syntaxError("comma, : or ]");
    return nullptr;
  }
  advance();
  auto s = std::make_unique<SliceExpr>(loc, std::move(x));
  s->lo = std::move(first);
  if (!is(Tok::Colon) && !is(Tok::RBrack)) {
    s->hi = parseExpr();
    if (!s->hi)
      return nullptr;
  }
  if (accept(Tok::Colon)) {
    s->slice3 = true;
    // Go's parser: the middle and final indices are required in a 3-index slice.
    if (!s->hi) {
      diags_.error(tok().loc, "syntax error: middle index required in 3-index slice");
      return nullptr;
    }
    if (is(Tok::RBrack)) {
      diags_.error(tok().loc, "syntax error: final index required in 3-index slice");
      return nullptr;
    }
    s->max = parseExpr();
    if (!s->max)
      return nullptr;
  }
  if (!expect(Tok::RBrack, "]"))
    return nullptr;
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
        if (!expect(Tok::RParen, ")"))
          return nullptr;
        e = std::make_unique<TypeAssertExpr>(e->loc, std::move(e), std::move(at));
        static_cast<TypeAssertExpr *>(e.get())->loc = loc;
        break;
      }
      if (!is(Tok::Ident)) {
        syntaxError("name or (");
        return nullptr;
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
      while (!is(Tok::RParen) && !is(Tok::Eof)) {
        auto arg = parseExpr();
        if (!arg) {
          exprLev_ = oldLev;
          leave();
          return nullptr;
        }
        call->args.push_back(std::move(arg));
        if (accept(Tok::Ellipsis)) {
          call->hasDots = true; // only the last argument may be spread
          accept(Tok::Comma);
          if (!is(Tok::RParen)) {
            syntaxError(")");
            exprLev_ = oldLev;
            leave();
            return nullptr;
          }
          break;
        }
        if (!accept(Tok::Comma) && !is(Tok::RParen)) {
          syntaxError("in argument list; possibly missing comma or )");
          exprLev_ = oldLev;
          leave();
          return nullptr;
        }
      }
      exprLev_ = oldLev;
      leave();
      call->rparen = tok().loc;
      if (!expect(Tok::RParen, ")"))
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
