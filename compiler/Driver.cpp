//===- Driver.cpp ---------------------------------------------------------===//
#include "Driver.h"
#include "IRGen.h"
#include "Lexer.h"
#include "Parser.h"
#include "Sema.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>

#include <cstdio>
#include <cstdlib>

#ifndef TOY_VERSION
#define TOY_VERSION "0.0.0"
#endif

namespace toy {

static const char *kUsage =
    R"(usage: toyc build [-o output] [-O0..-O3] file.toy
       toyc run [-O0..-O3] file.toy [arguments...]
       toyc [--emit=tokens|ast|llvm|asm|obj] [-o output] [-O0..-O3] file.toy

toyc compiles a toy program (a Go program of package main, in toy's subset of
Go) to a static, libc-free executable.

commands:
  build        compile and link file.toy into an executable (default name:
               the file's base name without .toy)
  run          build into a temporary file and run it with the arguments
  (none)       with --emit: write one stage's output (default: stdout for
               tokens, ast, llvm and asm; file.o for obj)

options:
  -o file      output file ("-" for stdout)
  -O0 .. -O3   optimisation level (default -O2)
  -g0          no debug information (default: DWARF line tables, functions and
               local variables, as go build emits)
  --emit=K     tokens | ast | llvm | asm | obj
  --help       show this help
  --version    show toyc's and LLVM's versions

environment:
  TOY_RUNTIME  path of libtoyrt.a (default: the one built with toyc)
  TOY_LD       linker (default: ld.lld-19 found at configure time)
)";

bool parseOptions(int argc, char **argv, Options &o, int &exitCode) {
  auto usageError = [&](const std::string &msg) {
    fprintf(stderr, "toyc: %s\n(run 'toyc --help' for usage)\n", msg.c_str());
    exitCode = 2;
    return false;
  };
  int i = 1;
  if (i < argc && std::string(argv[i]) == "build") {
    o.command = Options::Build;
    ++i;
  } else if (i < argc && std::string(argv[i]) == "run") {
    o.command = Options::Run;
    ++i;
  }
  bool emitGiven = false;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h" || a == "-help") {
      fputs(kUsage, stdout);
      exitCode = 0;
      return false;
    }
    if (a == "--version") {
      printf("toyc version %s (LLVM %s)\n", TOY_VERSION, LLVM_VERSION_STRING);
      exitCode = 0;
      return false;
    }
    if (!o.input.empty() && o.command == Options::Run) {
      o.runArgs.push_back(a); // everything after the file goes to the program
      continue;
    }
    if (a == "-o") {
      if (++i >= argc)
        return usageError("-o needs a file name");
      o.output = argv[i];
    } else if (a == "-g0") {
      o.debugInfo = false;
    } else if (a == "-g") {
      o.debugInfo = true;
    } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
      o.optLevel = a[2] - '0';
    } else if (a.rfind("--emit=", 0) == 0) {
      std::string k = a.substr(7);
      emitGiven = true;
      if (k == "tokens")
        o.emit = Emit::Tokens;
      else if (k == "ast")
        o.emit = Emit::AST;
      else if (k == "llvm")
        o.emit = Emit::LLVM;
      else if (k == "asm")
        o.emit = Emit::Asm;
      else if (k == "obj")
        o.emit = Emit::Obj;
      else
        return usageError("unknown --emit kind '" + k + "' (tokens, ast, llvm, asm, obj)");
    } else if (a.size() > 1 && a[0] == '-') {
      return usageError("unknown option '" + a + "'");
    } else if (o.input.empty()) {
      o.input = a;
    } else {
      return usageError("only one input file is supported (got '" + o.input + "' and '" + a + "')");
    }
  }
  if (o.input.empty())
    return usageError("no input file");
  if (o.command == Options::Compile && !emitGiven)
    return usageError("nothing to do: use 'toyc build', 'toyc run' or --emit=");
  if (o.command != Options::Compile && emitGiven)
    return usageError("--emit cannot be combined with build or run");
  return true;
}

static std::string runtimeLibrary() {
  if (const char *env = getenv("TOY_RUNTIME"))
    return env;
#ifdef TOY_RUNTIME_LIB
  return TOY_RUNTIME_LIB;
#else
  return "libtoyrt.a";
#endif
}

static std::string linkerPath() {
  if (const char *env = getenv("TOY_LD"))
    return env;
#ifdef TOY_LD_PATH
  return TOY_LD_PATH;
#else
  return "ld.lld";
#endif
}

static std::unique_ptr<llvm::TargetMachine> createTargetMachine(int optLevel, std::string &err) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, err);
  if (!target)
    return nullptr;
  llvm::TargetOptions to;
  auto level = optLevel == 0   ? llvm::CodeGenOptLevel::None
               : optLevel == 1 ? llvm::CodeGenOptLevel::Less
               : optLevel == 2 ? llvm::CodeGenOptLevel::Default
                               : llvm::CodeGenOptLevel::Aggressive;
  // Static, non-PIC code: the binary is linked -static with a fixed entry.
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, "x86-64", "", to, llvm::Reloc::Static, llvm::CodeModel::Small, level));
}

static void optimize(llvm::Module &m, llvm::TargetMachine *tm, int level) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel ol = level == 1   ? llvm::OptimizationLevel::O1
                               : level == 2 ? llvm::OptimizationLevel::O2
                                            : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager mpm = level == 0 ? pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                                           : pb.buildPerModuleDefaultPipeline(ol);
  mpm.run(m, mam);
}

static bool emitCode(llvm::Module &m, llvm::TargetMachine *tm, const std::string &path,
                     llvm::CodeGenFileType kind) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    fprintf(stderr, "toyc: cannot write %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out, nullptr, kind)) {
    fprintf(stderr, "toyc: the target cannot emit this file type\n");
    return false;
  }
  pm.run(m);
  return true;
}

static std::string defaultBinaryName(const std::string &input) {
  std::string stem = llvm::sys::path::stem(input).str();
  return stem.empty() ? "a.out" : stem;
}

int runDriver(const Options &o) {
  auto buf =
      llvm::MemoryBuffer::getFile(o.input, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) {
    fprintf(stderr, "toyc: cannot read %s: %s\n", o.input.c_str(),
            buf.getError().message().c_str());
    return 1;
  }
  SourceFile file(o.input, (*buf)->getBuffer().str());
  DiagEngine diags(file);

  Lexer lexer(file, diags);
  std::vector<Token> toks = lexer.lexAll();
  if (o.emit == Emit::Tokens) {
    std::string out;
    for (auto &t : toks) {
      out += std::to_string(t.loc.line) + ":" + std::to_string(t.loc.col) + "\t" + tokName(t.kind);
      if (t.kind == Tok::Semicolon && t.text == "\n")
        out += "\tnewline";
      else if (t.kind == Tok::Ident || (t.kind >= Tok::Int && t.kind <= Tok::String) ||
               t.kind == Tok::Illegal)
        out += "\t" + t.text;
      out += "\n";
    }
    if (o.output.empty() || o.output == "-")
      fputs(out.c_str(), stdout);
    else if (FILE *f = fopen(o.output.c_str(), "w")) {
      fputs(out.c_str(), f);
      fclose(f);
    }
    return diags.errorCount() ? 1 : 0;
  }

  Parser parser(std::move(toks), diags);
  std::unique_ptr<File> ast = parser.parseFile();
  if (o.emit == Emit::AST) {
    if (diags.errorCount())
      return 1;
    std::string out = dumpAST(*ast);
    if (o.output.empty() || o.output == "-")
      fputs(out.c_str(), stdout);
    else if (FILE *f = fopen(o.output.c_str(), "w")) {
      fputs(out.c_str(), f);
      fclose(f);
    }
    return 0;
  }
  if (diags.errorCount())
    return 1;
  TypeContext types;
  Sema sema(types, diags);
  if (!sema.check(*ast))
    return 1;

  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod = generateIR(*ast, types, ctx, o.input, o.debugInfo);
  std::string err;
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(o.optLevel, err);
  if (!tm) {
    fprintf(stderr, "toyc: no target for this host: %s\n", err.c_str());
    return 1;
  }
  mod->setTargetTriple(tm->getTargetTriple().str());
  mod->setDataLayout(tm->createDataLayout());
  if (llvm::verifyModule(*mod, &llvm::errs())) {
    fprintf(stderr, "toyc: internal error: generated IR is invalid\n");
    return 3;
  }
  optimize(*mod, tm.get(), o.optLevel);

  if (o.emit == Emit::LLVM) {
    std::string path = o.output.empty() ? "-" : o.output;
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
    if (ec) {
      fprintf(stderr, "toyc: cannot write %s: %s\n", path.c_str(), ec.message().c_str());
      return 1;
    }
    mod->print(out, nullptr);
    return 0;
  }
  if (o.emit == Emit::Asm)
    return emitCode(*mod, tm.get(), o.output.empty() ? "-" : o.output,
                    llvm::CodeGenFileType::AssemblyFile)
               ? 0
               : 1;
  if (o.emit == Emit::Obj)
    return emitCode(*mod, tm.get(),
                    o.output.empty() ? llvm::sys::path::stem(o.input).str() + ".o" : o.output,
                    llvm::CodeGenFileType::ObjectFile)
               ? 0
               : 1;

  // build / run: object in a temporary file, then a static link against the runtime.
  llvm::SmallString<128> objPath;
  if (llvm::sys::fs::createTemporaryFile("toy", "o", objPath)) {
    fprintf(stderr, "toyc: cannot create a temporary file\n");
    return 1;
  }
  bool ok = emitCode(*mod, tm.get(), objPath.str().str(), llvm::CodeGenFileType::ObjectFile);
  std::string outPath = o.output;
  llvm::SmallString<128> tmpExe;
  if (o.command == Options::Run) {
    if (llvm::sys::fs::createTemporaryFile("toy", "", tmpExe)) {
      fprintf(stderr, "toyc: cannot create a temporary file\n");
      return 1;
    }
    outPath = tmpExe.str().str();
  } else if (outPath.empty()) {
    outPath = defaultBinaryName(o.input);
  }
  if (ok) {
    std::string ld = linkerPath();
    std::string rt = runtimeLibrary();
    std::vector<llvm::StringRef> args = {ld,
                                         "-static",
                                         "-nostdlib",
                                         "-e",
                                         "_rt0_amd64_linux",
                                         "--gc-sections",
                                         "-z",
                                         "noexecstack",
                                         "-o",
                                         outPath,
                                         objPath,
                                         rt};
    std::string errMsg;
    int rc = llvm::sys::ExecuteAndWait(ld, args, std::nullopt, {}, 0, 0, &errMsg);
    if (rc != 0) {
      fprintf(stderr, "toyc: linking failed%s%s\n", errMsg.empty() ? "" : ": ", errMsg.c_str());
      ok = false;
    }
  }
  llvm::sys::fs::remove(objPath);
  if (!ok)
    return 1;
  if (o.command != Options::Run)
    return 0;

  std::vector<llvm::StringRef> args = {o.input};
  for (auto &a : o.runArgs)
    args.push_back(a);
  std::string errMsg;
  int rc = llvm::sys::ExecuteAndWait(outPath, args, std::nullopt, {}, 0, 0, &errMsg);
  llvm::sys::fs::remove(outPath);
  if (rc == 0)
    return 0;
  // Like `go run`: report how the program ended and exit 1.
  if (rc < 0 || !errMsg.empty())
    fprintf(stderr, "%s\n", errMsg.empty() ? "signal: killed" : errMsg.c_str());
  else
    fprintf(stderr, "exit status %d\n", rc);
  return 1;
}

} // namespace toy
