// The lexer: Go's tokens, automatic semicolons, literals and lexical errors.
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace toy;

static std::vector<Token> lex(const std::string &src, std::string *errors = nullptr) {
  static std::string sink;
  SourceFile file("t.toy", src);
  DiagEngine diags(file);
  diags.setCapture(errors ? errors : &sink);
  Lexer lexer(file, diags);
  return lexer.lexAll();
}

static std::string kinds(const std::vector<Token> &toks) {
  std::string s;
  for (auto &t : toks)
    s += std::string(s.empty() ? "" : " ") + tokName(t.kind);
  return s;
}

TEST(Lexer, InsertsSemicolonsAfterLineEndingTokens) {
  EXPECT_EQ(kinds(lex("x\ny++\nreturn\n)\n")), "IDENT ; IDENT ++ ; return ; ) ; EOF");
  // No semicolon after an operator or an opening brace at line end.
  EXPECT_EQ(kinds(lex("a +\nb {\n}")), "IDENT + IDENT { } ; EOF");
}

TEST(Lexer, MultiLineCommentActsAsNewline) {
  EXPECT_EQ(kinds(lex("x /* a\nb */ y")), "IDENT ; IDENT ; EOF");
  EXPECT_EQ(kinds(lex("x /* a b */ y")), "IDENT IDENT ; EOF");
}

TEST(Lexer, LongestOperatorMatch) {
  EXPECT_EQ(kinds(lex("a &^= b <<= c := d...")), "IDENT &^= IDENT <<= IDENT := IDENT ... EOF");
}

TEST(Lexer, StringEscapesDecodeLikeGo) {
  auto toks = lex(R"("a\tb\n\x41\101\u00e9\U0001F600\\\"")");
  ASSERT_EQ(toks[0].kind, Tok::String);
  EXPECT_EQ(toks[0].value, "a\tb\nAA\xc3\xa9\xf0\x9f\x98\x80\\\"");
}

TEST(Lexer, RawStringsDropCarriageReturns) {
  auto toks = lex("`a\r\nb\\n`");
  EXPECT_EQ(toks[0].value, "a\nb\\n");
}

TEST(Lexer, NumbersOfEveryBase) {
  EXPECT_EQ(kinds(lex("0x1F 0b101 0o17 017 1_000 1.5 1e3 2i")),
            "INT INT INT INT INT FLOAT FLOAT IMAG ; EOF");
}

TEST(Lexer, ReportsUnterminatedString) {
  std::string errs;
  lex("x := \"abc\n", &errs);
  // gc's scanner: at the newline.
  EXPECT_NE(errs.find("t.toy:1:10: error: newline in string"), std::string::npos)
      << errs;
}

TEST(Lexer, ReportsUnknownEscape) {
  std::string errs;
  lex(R"("\q")", &errs);
  EXPECT_NE(errs.find("1:3: error: unknown escape\n"), std::string::npos) << errs;
}

TEST(Lexer, ReportsInvalidCharacterWithCodePoint) {
  std::string errs;
  lex("a # b", &errs);
  EXPECT_NE(errs.find("1:3: error: invalid character U+0023 '#'"), std::string::npos) << errs;
}

TEST(Lexer, ReportsUnterminatedComment) {
  std::string errs;
  lex("a /* b", &errs);
  EXPECT_NE(errs.find("comment not terminated"), std::string::npos) << errs;
}

TEST(Lexer, LocationsAreOneBasedLineAndByteColumn) {
  auto toks = lex("package main\n\tx");
  EXPECT_EQ(toks[3].text, "x");
  EXPECT_EQ(toks[3].loc.line, 2u);
  EXPECT_EQ(toks[3].loc.col, 2u);
}
