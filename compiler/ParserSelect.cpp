//===- ParserSelect.cpp - select statements -------------------------------===//
//
// select { case comm: stmts ... default: stmts }. A case's communication is parsed as a
// simple statement (Go's parser does the same); Sema checks that it is a send or a receive.
//
//===----------------------------------------------------------------------===//
#include "Parser.h"

namespace toy {

StmtPtr Parser::parseSelect() {
  auto s = std::make_unique<SelectStmt>(tok().loc);
  advance(); // select
  bool ok = true;
  if (!accept(Tok::LBrace)) {
    syntaxError("missing { after select clause");
    advanceTo({Tok::KwCase, Tok::KwDefault, Tok::RBrace});
    ok = false;
  }
  if (!enter())
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop()) {
    size_t before = pos_;
    if (!parseCommClause(*s))
      ok = false;
    if (pos_ == before)
      break;
  }
  leave();
  want(Tok::RBrace);
  return ok ? std::move(s) : nullptr;
}

// One clause of a select: "case" comm ":" or "default" ":", then statements up to the next
// clause or the closing brace (gc's commClause).
bool Parser::parseCommClause(SelectStmt &s) {
  CommClause c;
  c.loc = tok().loc;
  bool ok = true;
  if (accept(Tok::KwCase)) {
    c.comm = parseSimpleStmt();
    ok = c.comm != nullptr;
  } else if (!accept(Tok::KwDefault)) {
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

} // namespace toy
