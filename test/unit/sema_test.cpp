// Sema: Go's typing rules and error texts for the supported subset.
#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace toy;
using toy::test::FrontEnd;
using toy::test::inMain;

static std::string errorsOf(const std::string &src) { return FrontEnd(src).errors; }

TEST(Sema, AcceptsWellTypedProgram) {
  FrontEnd fe("package main\nfunc add(a, b int) int { return a + b }\n"
              "func main() { s := \"x\" + \"y\"; println(add(1, 2), s, len(s) > 1) }\n");
  EXPECT_TRUE(fe.ok) << fe.errors;
}

TEST(Sema, UntypedConstantsTakeTheirContextsType) {
  FrontEnd fe(inMain("var b byte = 255\nvar i int64 = 1 << 40\nprintln(b, i)"));
  EXPECT_TRUE(fe.ok) << fe.errors;
  EXPECT_NE(errorsOf(inMain("var b byte = 256\nprintln(b)")).find("(overflows)"),
            std::string::npos);
}

TEST(Sema, MismatchedTypes) {
  EXPECT_NE(errorsOf(inMain("a, b := 1, \"s\"\nprintln(a + b)"))
                .find("invalid operation: a + b (mismatched types int and string)"),
            std::string::npos);
}

TEST(Sema, UndefinedName) {
  EXPECT_NE(errorsOf(inMain("println(y)")).find("4:9: error: undefined: y"), std::string::npos);
}

TEST(Sema, ArgumentCounts) {
  std::string pre = "package main\nfunc f(a int) int { return a }\n";
  EXPECT_NE(
      errorsOf(pre + "func main() { println(f()) }\n").find("not enough arguments in call to f"),
      std::string::npos);
  EXPECT_NE(
      errorsOf(pre + "func main() { println(f(1, 2)) }\n").find("too many arguments in call to f"),
      std::string::npos);
}

TEST(Sema, MissingReturnUnlessTerminating) {
  EXPECT_NE(errorsOf("package main\nfunc f(x int) int { if x > 0 { return 1 } }\nfunc main() {}\n")
                .find("missing return"),
            std::string::npos);
  EXPECT_TRUE(
      FrontEnd("package main\nfunc f(x int) int { if x > 0 { return 1 } else { return 2 } }\n"
               "func g() int { for {} }\nfunc h() int { panic(\"no\") }\n"
               "func main() { println(f(1), g(), h()) }\n")
          .ok);
  EXPECT_NE(errorsOf("package main\nfunc g() int { for { break } }\nfunc main() { println(g()) }\n")
                .find("missing return"),
            std::string::npos);
}

TEST(Sema, UnusedVariablesAndImports) {
  EXPECT_NE(errorsOf(inMain("x := 1")).find("x declared but not used"), std::string::npos);
  // An import of a package that its own Sema checked, never used.
  SourceFile lib("lib.toy", "package lib\nfunc F() {}\n");
  SourceFile prog("t.toy", "package main\nimport \"lib\"\nfunc main() {}\n");
  std::string errors;
  DiagEngine diags;
  diags.addFile(lib);
  diags.addFile(prog);
  diags.setCapture(&errors);
  auto parse = [&](SourceFile &f) {
    Lexer lexer(f, diags);
    return Parser(lexer.lexAll(), diags).parseFile();
  };
  std::unique_ptr<File> libAst = parse(lib), progAst = parse(prog);
  TypeContext types;
  Sema libSema(types, diags, "lib");
  ASSERT_TRUE(libSema.check(*libAst));
  Sema sema(types, diags);
  sema.addImport("lib", &libSema);
  EXPECT_FALSE(sema.check(*progAst));
  diags.flush();
  EXPECT_NE(errors.find("t.toy:2:8: error: imported and not used: \"lib\""), std::string::npos)
      << errors;
}

TEST(Sema, ConstantDivisionByZero) {
  EXPECT_NE(errorsOf(inMain("x := 1\nprintln(x / 0)")).find("invalid operation: division by zero"),
            std::string::npos);
}

TEST(Sema, NoNewVariables) {
  EXPECT_NE(
      errorsOf(inMain("x := 1\nx := 2\nprintln(x)")).find("no new variables on left side of :="),
      std::string::npos);
}

TEST(Sema, NonBooleanCondition) {
  EXPECT_NE(errorsOf(inMain("if 1 {}")).find("non-boolean condition in if statement"),
            std::string::npos);
}

TEST(Sema, MainIsRequired) {
  EXPECT_NE(errorsOf("package main\nfunc f() {}\n")
                .find("function main is undeclared in the main package"),
            std::string::npos);
}
