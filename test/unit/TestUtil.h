// Runs toyc's front end on a string and captures its diagnostics.
#ifndef TOY_TEST_UTIL_H
#define TOY_TEST_UTIL_H

#include "Lexer.h"
#include "Parser.h"
#include "Sema.h"

#include <string>

namespace toy::test {

struct FrontEnd {
  SourceFile file;
  DiagEngine diags;
  std::string errors;
  std::unique_ptr<File> ast;
  TypeContext types;
  bool ok = false;

  explicit FrontEnd(const std::string &src, bool check = true) : file("t.toy", src), diags(file) {
    diags.setCapture(&errors);
    Lexer lexer(file, diags);
    Parser parser(lexer.lexAll(), diags);
    ast = parser.parseFile();
    if (diags.errorCount() == 0 && check) {
      Sema sema(types, diags);
      sema.check(*ast);
    }
    ok = diags.errorCount() == 0;
    diags.flush();
  }
};

/// Wraps statements in a main function.
inline std::string inMain(const std::string &body) {
  return "package main\n\nfunc main() {\n" + body + "\n}\n";
}

} // namespace toy::test

#endif
