// libFuzzer entry point: one input is one .toy file run through the whole front end and IR
// generation, as `toyc` runs it before optimisation: lex, parse, check, build an LLVM module
// (with DWARF, the default) and verify it. Every input either gets diagnostics or a valid
// module; a crash, a sanitizer report, an error counted but not printed, or invalid IR (toyc's
// "internal error: generated IR is invalid") is a bug, and libFuzzer stops on it.
#include "IRGen.h"
#include "Lexer.h"
#include "Package.h"
#include "Parser.h"
#include "Sema.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace toy;

static void bug(const char *what) {
  fprintf(stderr, "toy-fuzz: %s\n", what);
  abort();
}

static const std::string kName = "\x01fuzz.toy";

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceFile file(kName, std::string(reinterpret_cast<const char *>(data), size));
  std::string errors;
  DiagEngine diags(file);
  diags.setCapture(&errors);

  Lexer lexer(file, diags);
  Parser parser(lexer.lexAll(), diags);
  std::unique_ptr<File> ast = parser.parseFile();
  if (diags.errorCount() == 0) {
    TypeContext types;
    // No package is importable: an import is reported.
    Package pkg{"main", ".", std::move(*ast), {}, std::make_unique<Sema>(types, diags)};
    bool ok = pkg.sema->check(pkg.file);
    if (!ok && diags.errorCount() == 0)
      bug("Sema rejected the file without an error");
    if (ok) {
      llvm::LLVMContext ctx;
      std::unique_ptr<llvm::Module> mod = generateIR({&pkg}, types, ctx, kName, {kName});
      if (llvm::verifyModule(*mod, &llvm::errs()))
        bug("generated IR is invalid");
    }
  }
  diags.flush();
  // Every error counted prints one report, at most ten, then (at ten) a "too many errors" line; each
  // of those lines starts with the file name. The name begins with a control byte, which the
  // source line quoted under a report never shows (it prints '?' instead).
  size_t n = diags.errorCount(), shown = std::min<size_t>(n, DiagEngine::kMaxErrors);
  size_t headers = 0;
  for (size_t at = 0; at < errors.size();) {
    headers += errors.compare(at, kName.size(), kName) == 0;
    size_t nl = errors.find('\n', at);
    at = nl == std::string::npos ? errors.size() : nl + 1;
  }
  if (headers != shown + (n >= DiagEngine::kMaxErrors))
    bug("the diagnostics printed do not match the errors counted");
  return 0;
}
