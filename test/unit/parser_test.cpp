// The parser: Go's precedence, statement forms, unsupported constructs named, bounded nesting.
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace toy;
using toy::test::FrontEnd;
using toy::test::inMain;

static std::string firstError(const std::string &src) {
  FrontEnd fe(src, /*check=*/false);
  return fe.errors.substr(0, fe.errors.find('\n'));
}

TEST(Parser, BinaryPrecedenceFollowsGo) {
  FrontEnd fe(inMain("x := 1 + 2*3 << 1 == 13 || false && true\n_ = x"), false);
  ASSERT_TRUE(fe.ok) << fe.errors;
  std::string ast = dumpAST(*fe.ast);
  // || is the root, then ==, then +, then << binds tighter than + (level 5 with *).
  auto pos = [&](const char *s) { return ast.find(s); };
  EXPECT_LT(pos("Binary ||"), pos("Binary =="));
  EXPECT_LT(pos("Binary =="), pos("Binary +"));
  EXPECT_LT(pos("Binary +"), pos("Binary <<"));
  EXPECT_LT(pos("Binary <<"), pos("Binary *"));
  EXPECT_LT(pos("Binary ||"), pos("Binary &&"));
}

TEST(Parser, ThreeForForms) {
  FrontEnd fe(inMain("for {}\nfor x < 1 {}\nfor i := 0; i < 3; i++ {}\nfor ;; {}"), false);
  EXPECT_TRUE(fe.ok) << fe.errors;
}

TEST(Parser, IfWithInitAndElseChain) {
  FrontEnd fe(inMain("if x := 1; x > 0 {} else if x < 0 {} else {}"), false);
  EXPECT_TRUE(fe.ok) << fe.errors;
}

TEST(Parser, GroupedParameters) {
  FrontEnd fe("package main\nfunc f(a, b int, s string) int { return a }\nfunc main() {}\n", false);
  ASSERT_TRUE(fe.ok) << fe.errors;
  ASSERT_EQ(fe.ast->funcs[0]->params.size(), 3u);
  EXPECT_EQ(fe.ast->funcs[0]->params[1].name.name, "b");
  EXPECT_EQ(fe.ast->funcs[0]->params[1].type->name, "int");
}

TEST(Parser, NamesUnsupportedConstructs) {
  EXPECT_EQ(firstError("package main\nfunc f[T any](x T) {}\nfunc main() {}\n"),
            "t.toy:2:7: error: toy does not support generic functions yet");
  EXPECT_EQ(firstError(inMain("x := 1i")),
            "t.toy:4:6: error: toy does not support complex numbers yet");
  EXPECT_EQ(firstError("package main\ntype T[P any] []P\nfunc main() {}\n"),
            "t.toy:2:7: error: toy does not support generic types yet");
}

TEST(Parser, SyntaxErrorSaysWhatWasExpected) {
  EXPECT_EQ(firstError(inMain("x := (1 + 2")),
            "t.toy:4:12: error: syntax error: unexpected newline, expecting )");
}

TEST(Parser, RecoversAndReportsSeveralErrors) {
  FrontEnd fe(inMain("x := )\ny := ]\nz := 1"), false);
  EXPECT_EQ(fe.diags.errorCount(), 2u) << fe.errors;
}

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  FrontEnd fe(inMain("x := " + deep), false);
  EXPECT_NE(fe.errors.find("nests too deeply"), std::string::npos) << fe.errors.substr(0, 200);
  std::string blocks(100000, '{');
  FrontEnd fe2(inMain(blocks), false);
  EXPECT_NE(fe2.errors.find("nests too deeply"), std::string::npos);
  std::string unary(100000, '^');
  FrontEnd fe3(inMain("x := " + unary + "1"), false);
  EXPECT_NE(fe3.errors.find("nests too deeply"), std::string::npos);
}

TEST(Parser, StopsAfterTenErrors) {
  std::string body;
  for (int i = 0; i < 50; ++i)
    body += "x := )\n";
  FrontEnd fe(inMain(body), false);
  // Parsing stops at the tenth error (gc's rule); ten are printed, then "too many errors".
  EXPECT_EQ(fe.diags.errorCount(), DiagEngine::kMaxErrors);
  size_t printed = 0;
  for (size_t at = fe.errors.find(": error: "); at != std::string::npos;
       at = fe.errors.find(": error: ", at + 1))
    ++printed;
  EXPECT_EQ(printed, DiagEngine::kMaxErrors);
  EXPECT_NE(fe.errors.find("too many errors"), std::string::npos);
}
