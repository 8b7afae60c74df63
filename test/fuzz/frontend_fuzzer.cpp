// libFuzzer entry point: one input is one .toy file run through the whole front end and IR
// generation, as `toyc` runs it before optimisation: lex, parse, check, build an LLVM module
// (with DWARF, the default) and verify it. Every input either gets diagnostics or a valid
// module; a crash, a sanitizer report, a rejection without a message, or invalid IR (toyc's
// "internal error: generated IR is invalid") is a bug, and libFuzzer stops on it.
#include "IRGen.h"
#include "Lexer.h"
#include "Parser.h"
#include "Sema.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace toy;

static void bug(const char *what) {
  fprintf(stderr, "toy-fuzz: %s\n", what);
  abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceFile file("fuzz.toy", std::string(reinterpret_cast<const char *>(data), size));
  std::string errors;
  DiagEngine diags(file);
  diags.setCapture(&errors);

  Lexer lexer(file, diags);
  Parser parser(lexer.lexAll(), diags);
  std::unique_ptr<File> ast = parser.parseFile();
  if (diags.errorCount() == 0) {
    TypeContext types;
    Sema sema(types, diags);
    bool ok = sema.check(*ast);
    if (!ok && diags.errorCount() == 0)
      bug("Sema rejected the file without an error");
    if (ok) {
      llvm::LLVMContext ctx;
      std::unique_ptr<llvm::Module> mod = generateIR(*ast, types, ctx, "fuzz.toy");
      if (llvm::verifyModule(*mod, &llvm::errs()))
        bug("generated IR is invalid");
    }
  }
  diags.flush();
  if (diags.errorCount() != 0 && errors.empty())
    bug("errors were counted but no diagnostic was printed");
  return 0;
}
