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
  if (!expect(Tok::LBrace, "{ after select clause"))
    return nullptr;
  if (!enter())
    return nullptr;
  while (!is(Tok::RBrace) && !is(Tok::Eof) && !stop())
    if (!parseCommClause(*s))
      break;
  leave();
  if (stop() || !expect(Tok::RBrace, "}"))
    return nullptr;
  return s;
}

// One clause of a select: "case" comm ":" or "default" ":", then statements up to the next
// clause or the closing brace.
bool Parser::parseCommClause(SelectStmt &s) {
  CommClause c;
  c.loc = tok().loc;
  if (accept(Tok::KwCase)) {
    c.comm = parseSimpleStmt();
    if (!c.comm)
      return false;
  } else if (!accept(Tok::KwDefault)) {
    syntaxError("case or default or }");
    return false;
  }
  if (!expect(Tok::Colon, ":"))
    return false;
  parseStmtList(c.body, /*inClause=*/true);
  s.clauses.push_back(std::move(c));
  return true;
}

} // namespace toy
