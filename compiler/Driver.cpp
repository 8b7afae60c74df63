//===- Driver.cpp ---------------------------------------------------------===//
#include "Driver.h"
#include "IRGen.h"
#include "Lexer.h"
#include "LoopBarrier.h"
#include "Package.h"
#include "Parser.h"
#include "Pclntab.h"
#include "Sema.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/Archive.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Target/TargetOptions.h>
#include <llvm/TargetParser/Host.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <set>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

#ifndef TOY_VERSION
#define TOY_VERSION "0.0.0"
#endif

namespace toy {

static const char *kUsage =
    R"(usage: toyc build [-o output] [-O0..-O3] [--simulate] file.toy... | dir
       toyc run [-O0..-O3] [--simulate] [--trace=out.trace] file.toy... | dir [arguments...]
       toyc explore file.toy... | dir [-n runs] [--procs=N] [--seed=S] [--jobs=N]
                    [--stop[=fail|differ]] [--timeout=DURATION]
                    [--strategy=random|pct [--depth=D] [--steps=K]] [-- arguments...]
       toyc trace check out.trace | toyc trace view out.trace [-o out.html]
       toyc trace json out.trace [-o out.json]
       toyc [--emit=tokens|ast|llvm|asm|obj] [-o output] [-O0..-O3] file.toy...

toyc compiles a toy program (a Go program of package main, in toy's subset of
Go) to a static, libc-free executable. The program is the files named, or the
.toy files of dir (not *_test.toy), and the packages of the standard library
they import.

commands:
  build        compile and link the program into an executable (default name:
               the first file's base name without .toy, or dir's name); toyc
               never writes over an input file
  run          build into a temporary file and run it with the arguments
               (everything after the .toy files or dir, flags included, goes
               to the program)
  explore      build with --simulate and run the program under seeds S..S+runs-1
               (default 1..100) of GODEBUG=schedsim, --jobs at a time (default
               2), at GOMAXPROCS=N; report each outcome (exit status, output
               hash) with its first seed, and the command that replays the
               first failure; --stop ends at the first failure (or, with
               =differ, the first outcome unlike the first seed's); a run
               still going after --timeout (default 10s; Go's duration
               syntax, 0 for none) is killed and counted as a "timeout"
               failure; --strategy=pct (GODEBUG=schedpct=D) gives the baton
               to the runnable M of highest random priority and lowers the
               holder's priority at D-1 (--depth, default 3) random steps of
               the first K (--steps; default: the steps of the first seed's
               random run); exit status 1 if a run failed
  trace check  replay a TOYTRACE event log and check the scheduler's invariants
  trace view   write a TOYTRACE event log as a self-contained HTML timeline
  trace json   write a binary TOYTRACE event log as Chrome trace-event JSON
  (none)       with --emit: write one stage's output (default: stdout for
               tokens, ast, llvm and asm; file.o for obj); tokens and ast are
               of one file

options:
  -o file      output file ("-" for stdout)
  -O0 .. -O3   optimisation level (default -O2)
  -g0          no debug information (default: DWARF line tables, functions and
               local variables, as go build emits)
  --emit=K     tokens | ast | llvm | asm | obj
  --trace=F    with run: the program writes its scheduler event trace to F
               (sets TOYTRACE=F for it): binary, or JSON if F ends in .json
  --simulate   the program runs under the deterministic
               simulation, one thread at a time on a virtual clock; its
               choices follow GODEBUG=schedsim=SEED (default 0)
  --help       show this help
  --version    show toyc's and LLVM's versions

environment:
  TOY_RUNTIME  path of libtoyrt.a (default: ../lib/toy/libtoyrt.a from toyc's
               directory, where `cmake --install` puts it, or the build tree's)
  TOY_STDLIB   directory of the importable packages (default: ../lib/toy/stdlib
               from toyc's directory, or the source tree's stdlib)
  TOY_LD       linker (default: ld.lld-19 found at configure time)
)";

/// parseDuration reads a duration as Go's time.ParseDuration does, without a sign: one or more
/// decimal numbers (a fraction allowed), each with a unit of ns, us, µs, ms, s, m or h, or a
/// plain "0". The result is in nanoseconds, below 2^62 (about 146 years), so that it can be
/// added to a steady clock's reading.
static bool parseDuration(const std::string &s, int64_t &ns) {
  if (s == "0") {
    ns = 0;
    return true;
  }
  static const std::pair<const char *, double> units[] = {
      {"ns", 1}, {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3}, {"ms", 1e6},
      {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  double total = 0;
  size_t i = 0;
  if (s.empty())
    return false;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && (isdigit((unsigned char)s[j]) || s[j] == '.'))
      j++;
    std::string num = s.substr(i, j - i);
    if (num.empty() || num == "." || std::count(num.begin(), num.end(), '.') > 1)
      return false;
    size_t k = j;
    while (k < s.size() && !isdigit((unsigned char)s[k]) && s[k] != '.')
      k++;
    std::string unit = s.substr(j, k - j);
    double mult = 0;
    for (auto &[name, m] : units)
      if (unit == name)
        mult = m;
    if (mult == 0)
      return false;
    total += strtod(num.c_str(), nullptr) * mult;
    i = k;
  }
  if (total >= 4.6e18)
    return false;
  ns = int64_t(total);
  return true;
}

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
  } else if (i < argc && std::string(argv[i]) == "explore") {
    o.command = Options::Explore;
    ++i;
  } else if (i < argc && std::string(argv[i]) == "trace") {
    o.command = Options::Trace;
    for (++i; i < argc; ++i)
      o.traceArgs.push_back(argv[i]);
    return true;
  }
  bool emitGiven = false, explorePassed = false, depthGiven = false;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (o.command == Options::Explore && (a == "--" || !o.runArgs.empty())) {
      // explore takes its options anywhere; the program's arguments follow "--".
      if (a != "--" || !o.runArgs.empty() || explorePassed)
        o.runArgs.push_back(a);
      explorePassed = true;
      continue;
    }
    if (!o.inputs.empty() && o.command == Options::Run &&
        (!o.runArgs.empty() || !llvm::StringRef(a).ends_with(".toy") ||
         llvm::sys::fs::is_directory(o.inputs[0]))) {
      // Everything after the files (or the directory) goes to the program, as in `go run`.
      o.runArgs.push_back(a);
      continue;
    }
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
    } else if (o.command == Options::Explore && (a == "-n" || a.rfind("--procs=", 0) == 0 ||
                                                 a.rfind("--seed=", 0) == 0 ||
                                                 a.rfind("--jobs=", 0) == 0)) {
      std::string v;
      if (a == "-n") {
        if (++i >= argc)
          return usageError("-n needs a number of runs");
        v = argv[i];
      } else {
        v = a.substr(a.find('=') + 1);
      }
      char *end = nullptr;
      errno = 0;
      unsigned long long n = strtoull(v.c_str(), &end, 10);
      bool seed = a.rfind("--seed=", 0) == 0;
      unsigned long long max = seed ? ~0ull - 1000000 : a == "-n" ? 1000000 : 256;
      if (v.empty() || *end != 0 || errno != 0 || v[0] == '-' || n > max || (!seed && n == 0))
        return usageError("bad value for " + (a == "-n" ? a : a.substr(0, a.find('=') + 1)) +
                          " '" + v + "'");
      if (a == "-n")
        o.exploreRuns = int(n);
      else if (seed)
        o.exploreSeed = n;
      else if (a.rfind("--procs=", 0) == 0)
        o.exploreProcs = int(n);
      else
        o.exploreJobs = int(n);
    } else if (o.command == Options::Explore && a.rfind("--timeout=", 0) == 0) {
      std::string v = a.substr(10);
      if (!parseDuration(v, o.exploreTimeoutNS))
        return usageError("bad value for --timeout= '" + v + "' (a duration such as 30s or 500ms)");
      o.exploreTimeoutText = v;
    } else if (o.command == Options::Explore && a.rfind("--strategy=", 0) == 0) {
      std::string v = a.substr(11);
      if (v != "random" && v != "pct")
        return usageError("unknown --strategy '" + v + "' (random, pct)");
      o.explorePCT = v == "pct";
    } else if (o.command == Options::Explore &&
               (a.rfind("--depth=", 0) == 0 || a.rfind("--steps=", 0) == 0)) {
      std::string v = a.substr(a.find('=') + 1);
      bool depth = a.rfind("--depth=", 0) == 0;
      char *end = nullptr;
      errno = 0;
      unsigned long long n = strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != 0 || errno != 0 || v[0] == '-' || n == 0 ||
          n > (depth ? 100ull : 1ull << 62))
        return usageError("bad value for " + a.substr(0, a.find('=') + 1) + " '" + v + "'");
      if (depth) {
        o.explorePCTDepth = int(n);
        depthGiven = true;
      } else {
        o.explorePCTSteps = n;
      }
    } else if (o.command == Options::Explore && (a == "--stop" || a == "--stop=fail")) {
      o.exploreStop = Options::StopFail;
    } else if (o.command == Options::Explore && a == "--stop=differ") {
      o.exploreStop = Options::StopDiffer;
    } else if (a == "--simulate") {
      o.simulate = true;
    } else if (a.rfind("--trace=", 0) == 0 && o.command == Options::Run) {
      o.trace = a.substr(8);
      if (o.trace.empty())
        return usageError("--trace= needs a file name");
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
    } else {
      o.inputs.push_back(a);
    }
  }
  if (o.inputs.empty())
    return usageError("no input file");
  if (o.inputs.size() > 1 && (o.emit == Emit::Tokens || o.emit == Emit::AST))
    return usageError("--emit=tokens and --emit=ast take one file");
  for (auto &in : o.inputs)
    if (o.inputs.size() > 1 && llvm::sys::fs::is_directory(in))
      return usageError("a directory is the only input: cannot add files to " + in);
  if (!o.explorePCT && (depthGiven || o.explorePCTSteps != 0))
    return usageError("--depth and --steps need --strategy=pct");
  if (o.explorePCT && o.explorePCTSteps != 0 && o.explorePCTSteps < uint64_t(o.explorePCTDepth - 1))
    return usageError("--steps=" + std::to_string(o.explorePCTSteps) + " is fewer than the " +
                      std::to_string(o.explorePCTDepth - 1) + " change points of --depth=" +
                      std::to_string(o.explorePCTDepth));
  if (o.command == Options::Compile && !emitGiven)
    return usageError("nothing to do: use 'toyc build', 'toyc run' or --emit=");
  if (o.command != Options::Compile && emitGiven)
    return usageError("--emit cannot be combined with build or run");
  return true;
}

/// libtoyrt.a: $TOY_RUNTIME, else found relative to toyc's own executable, so an installed
/// or moved toyc works from any directory. Empty, after an error, if there is none.
static std::string runtimeLibrary() {
  if (const char *env = getenv("TOY_RUNTIME"))
    return env;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("toyc", &anchor);
  llvm::StringRef bindir = llvm::sys::path::parent_path(exe);
  std::string tried;
  for (const char *rel : {TOY_RUNTIME_INSTALLED, TOY_RUNTIME_IN_BUILD}) {
    llvm::SmallString<256> lib(bindir);
    llvm::sys::path::append(lib, rel, "libtoyrt.a");
    llvm::sys::path::remove_dots(lib, /*remove_dot_dot=*/true);
    if (llvm::sys::fs::exists(lib))
      return lib.str().str();
    tried += (tried.empty() ? "" : ", ") + lib.str().str();
  }
  fprintf(stderr, "toyc: cannot find the runtime library (tried %s); set TOY_RUNTIME\n",
          tried.c_str());
  return "";
}

/// The directory of the importable packages: $TOY_STDLIB, else the one `cmake --install` puts
/// beside the runtime, relative to toyc's executable, else the source tree's.
static std::string stdlibDir() {
  if (const char *env = getenv("TOY_STDLIB"); env && *env)
    return env;
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable("toyc", &anchor);
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(dir, TOY_STDLIB_INSTALLED);
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  if (llvm::sys::fs::is_directory(dir) || !llvm::sys::fs::is_directory(TOY_STDLIB_IN_SOURCE))
    return dir.str().str();
  return TOY_STDLIB_IN_SOURCE;
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

// enableImplicitNullChecks turns on LLVM's ImplicitNullChecks machine pass (llc's
// -enable-implicit-null-checks): a nil check whose branch IRGen marks !make.implicit is folded
// into the load or store it guards when that access is at an offset below 4096 (gc's
// minimum legal pointer, nilcheckelim), so the check costs nothing and a nil pointer faults
// there; the runtime's SIGSEGV handler turns the fault into Go's panic. Accesses at larger
// offsets, and all checks at -O0 (the pass does not run), keep their explicit compare.
static void enableImplicitNullChecks() {
  llvm::StringMap<llvm::cl::Option *> &opts = llvm::cl::getRegisteredOptions();
  auto it = opts.find("enable-implicit-null-checks");
  if (it != opts.end())
    static_cast<llvm::cl::opt<bool> *>(it->second)->setValue(true);
}

static std::unique_ptr<llvm::TargetMachine> createTargetMachine(int optLevel, std::string &err) {
  llvm::InitializeNativeTarget();
  enableImplicitNullChecks();
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
  // Not at -O0, whose pipeline runs these callbacks too: it moves nothing out of a loop.
  if (level > 0)
    pb.registerVectorizerStartEPCallback(
        [](llvm::FunctionPassManager &fpm, llvm::OptimizationLevel) {
          fpm.addPass(toy::LoopBarrierElidePass());
        });
  llvm::ModulePassManager mpm = level == 0 ? pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                                           : pb.buildPerModuleDefaultPipeline(ol);
  mpm.run(m, mam);
}

/// Writes one output through `fill`, to stdout for "-". Non-seekable output (a pipe) is
/// buffered in memory first, since the object writer seeks back to patch headers, as clang
/// does. Every failure, at open or at the final flush, is reported with the path.
static bool writeOutput(const std::string &path,
                        llvm::function_ref<bool(llvm::raw_pwrite_stream &)> fill) {
  std::string shown = path == "-" ? "standard output" : path;
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    fprintf(stderr, "toyc: cannot write %s: %s\n", shown.c_str(), ec.message().c_str());
    return false;
  }
  bool filled;
  if (file.supportsSeeking()) {
    filled = fill(file);
  } else {
    llvm::buffer_ostream buffered(file);
    filled = fill(buffered);
  }
  if (path == "-")
    file.flush();
  else
    file.close();
  if (file.has_error()) {
    fprintf(stderr, "toyc: cannot write %s: %s\n", shown.c_str(), file.error().message().c_str());
    file.clear_error();
    return false;
  }
  return filled;
}

static bool emitCode(llvm::Module &m, llvm::TargetMachine *tm, const std::string &path,
                     llvm::CodeGenFileType kind) {
  return writeOutput(path, [&](llvm::raw_pwrite_stream &out) {
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, out, nullptr, kind)) {
      fprintf(stderr, "toyc: the target cannot emit this file type\n");
      return false;
    }
    pm.run(m);
    return true;
  });
}

static bool writeText(const std::string &path, const std::string &text) {
  return writeOutput(path, [&](llvm::raw_pwrite_stream &out) {
    out << text;
    return true;
  });
}

/// go build's: the first file's name without .toy, or the directory's name.
static std::string defaultBinaryName(const std::string &input) {
  std::string stem;
  if (llvm::sys::fs::is_directory(input)) {
    llvm::SmallString<256> dir(input);
    llvm::sys::fs::make_absolute(dir);
    llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
    stem = llvm::sys::path::filename(dir).str();
  } else {
    stem = llvm::sys::path::stem(input).str();
  }
  return stem.empty() || stem == "/" ? "a.out" : stem;
}

/// The file a command writes: -o, or the default name ("-", stdout, for the text stages; none
/// for run, which links into a temporary file).
static std::string outputPath(const Options &o) {
  if (!o.output.empty())
    return o.output;
  switch (o.emit) {
  case Emit::Binary:
    return o.command == Options::Run ? "" : defaultBinaryName(o.inputs[0]);
  case Emit::Obj:
    return defaultBinaryName(o.inputs[0]) + ".o";
  default:
    return "-";
  }
}

/// Refuses an output that would destroy the input or cannot be a file.
static bool checkOutput(const std::string &input, const std::string &path) {
  if (path.empty() || path == "-")
    return true;
  bool same = false;
  if (!llvm::sys::fs::equivalent(input, path, same) && same) {
    fprintf(stderr, "toyc: output %s would overwrite the input file\n", path.c_str());
    return false;
  }
  if (llvm::sys::fs::is_directory(path)) {
    fprintf(stderr, "toyc: cannot write %s: %s\n", path.c_str(),
            std::make_error_code(std::errc::is_a_directory).message().c_str());
    return false;
  }
  return true;
}

/// How a program ended, in Go's words (os.ProcessState.String): "exit status 2",
/// "signal: segmentation fault", "signal: aborted (core dumped)". `status` is waitpid's.
static std::string processStateString(int status) {
  // Go's names of the Linux signals (syscall.Signal.String), indexed by number.
  static const char *const signals[] = {
      nullptr,
      "hangup",
      "interrupt",
      "quit",
      "illegal instruction",
      "trace/breakpoint trap",
      "aborted",
      "bus error",
      "floating point exception",
      "killed",
      "user defined signal 1",
      "segmentation fault",
      "user defined signal 2",
      "broken pipe",
      "alarm clock",
      "terminated",
      "stack fault",
      "child exited",
      "continued",
      "stopped (signal)",
      "stopped",
      "stopped (tty input)",
      "stopped (tty output)",
      "urgent I/O condition",
      "CPU time limit exceeded",
      "file size limit exceeded",
      "virtual timer expired",
      "profiling timer expired",
      "window changed",
      "I/O possible",
      "power failure",
      "bad system call",
  };
  std::string res;
  if (WIFEXITED(status)) {
    res = "exit status " + std::to_string(WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    res = "signal: ";
    res += sig > 0 && sig < int(std::size(signals)) ? std::string(signals[sig])
                                                    : "signal " + std::to_string(sig);
    if (WCOREDUMP(status))
      res += " (core dumped)";
  }
  return res;
}

/// --emit=tokens and --emit=ast: one file's tokens or syntax tree.
static int emitFileStage(const Options &o, const std::string &outPath) {
  const std::string &input = o.inputs[0];
  auto buf = llvm::MemoryBuffer::getFile(input, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf) {
    fprintf(stderr, "toyc: cannot read %s: %s\n", input.c_str(), buf.getError().message().c_str());
    return 1;
  }
  SourceFile file(input, (*buf)->getBuffer().str());
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
    bool written = writeText(outPath, out);
    return written && !diags.errorCount() ? 0 : 1;
  }
  Parser parser(std::move(toks), diags);
  std::unique_ptr<File> ast = parser.parseFile();
  if (diags.errorCount())
    return 1;
  return writeText(outPath, dumpAST(*ast)) ? 0 : 1;
}

/// Reads the program's object back and writes the object holding its pclntab into a new
/// temporary file, tabPath.
static bool emitPclntab(const std::string &objPath,
                        const toy::GoFuncs &goFuncs, llvm::LLVMContext &ctx,
                        llvm::TargetMachine *tm, llvm::SmallString<128> &tabPath) {
  auto fail = [](const std::string &why) {
    fprintf(stderr, "toyc: internal error: cannot build the pc-line table: %s\n", why.c_str());
    return false;
  };
  auto obj = llvm::object::ObjectFile::createObjectFile(objPath);
  if (!obj)
    return fail(llvm::toString(obj.takeError()));
  std::string err;
  std::unique_ptr<llvm::Module> tab = buildPclntab(*obj->getBinary(), goFuncs, ctx, err);
  if (!tab)
    return fail(err);
  tab->setTargetTriple(tm->getTargetTriple().str());
  tab->setDataLayout(tm->createDataLayout());
  if (llvm::sys::fs::createTemporaryFile("toy-pclntab", "o", tabPath)) {
    fprintf(stderr, "toyc: cannot create a temporary file\n");
    return false;
  }
  return emitCode(*tab, tm, tabPath.str().str(), llvm::CodeGenFileType::ObjectFile);
}

/// Reports each runtime hook (a body-less function) whose symbol the runtime library does not
/// define, which would otherwise be the linker's undefined symbol.
static bool checkHooks(const std::vector<Package *> &packages, const std::string &rt,
                       DiagEngine &diags) {
  auto buf = llvm::MemoryBuffer::getFile(rt, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buf)
    return true; // the linker reports an unreadable runtime
  auto archive = llvm::object::Archive::create((*buf)->getMemBufferRef());
  if (!archive) {
    llvm::consumeError(archive.takeError());
    return true;
  }
  std::set<std::string> defined;
  for (const llvm::object::Archive::Symbol &sym : (*archive)->symbols())
    defined.insert(sym.getName().str());
  for (Package *pkg : packages)
    for (auto &fn : pkg->file.funcs)
      if (!fn->body && fn->name.obj && !defined.count(fn->name.obj->symbol))
        diags.error(fn->name.loc, "missing function body: the runtime does not define " +
                                      fn->name.obj->symbol);
  return diags.errorCount() == 0;
}

int runDriver(const Options &o) {
  if (o.command == Options::Trace)
    return runTraceCommand(o.traceArgs);
  if (o.command == Options::Explore)
    return runExplore(o);
  std::string outPath = outputPath(o);
  for (auto &in : o.inputs)
    if (!checkOutput(in, outPath))
      return 1;
  if (o.emit == Emit::Tokens || o.emit == Emit::AST)
    return emitFileStage(o, outPath);
  std::string rt = o.emit == Emit::Binary ? runtimeLibrary() : "";
  if (o.emit == Emit::Binary && rt.empty())
    return 1;

  // The program's packages, parsed, then checked with each package's imports checked first.
  DiagEngine diags;
  Loader loader(diags, stdlibDir());
  if (!loader.load(o.inputs))
    return 1;
  TypeContext types;
  for (Package *pkg : loader.order()) {
    pkg->sema = std::make_unique<Sema>(types, diags, pkg->path);
    for (Package *dep : pkg->imports)
      pkg->sema->addImport(dep->path, dep->sema.get());
    if (!pkg->sema->check(pkg->file))
      return 1;
  }
  if (!rt.empty() && !checkHooks(loader.order(), rt, diags))
    return 1;

  llvm::LLVMContext ctx;
  // A binary always gets line information: its pclntab is read from it. -g0 strips the DWARF
  // from the binary at link time.
  bool binary = o.emit == Emit::Binary;
  std::unique_ptr<llvm::Module> mod = generateIR(loader.order(), types, ctx, o.inputs[0],
                                                 diags.fileNames(), o.debugInfo || binary,
                                                 o.simulate);
  std::string err;
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(o.optLevel, err);
  if (!tm) {
    fprintf(stderr, "toyc: no target for this host: %s\n", err.c_str());
    return 1;
  }
  mod->setTargetTriple(tm->getTargetTriple().str());
  mod->setDataLayout(tm->createDataLayout());
  // Every function starts on a 32-byte boundary, as Go's linker places functions on amd64
  // (funcAlign in cmd/link/internal/amd64/l.go) and as the runtime is compiled
  // (-falign-functions=32): a benchmark's time then does not depend on where code landed.
  for (llvm::Function &f : *mod)
    if (!f.isDeclaration())
      f.setAlignment(llvm::Align(32));
  if (llvm::verifyModule(*mod, &llvm::errs())) {
    fprintf(stderr, "toyc: internal error: generated IR is invalid\n");
    return 3;
  }
  toy::GoFuncs goFuncs;
  if (binary)
    goFuncs = toy::goFuncs(*mod);
  optimize(*mod, tm.get(), o.optLevel);
  // Not under simulation, whose runs stay the same as before for the same seed.
  if (o.optLevel > 0 && !o.simulate)
    toy::sinkStackChecks(*mod);

  if (o.emit == Emit::LLVM) {
    bool written = writeOutput(outPath, [&](llvm::raw_pwrite_stream &out) {
      mod->print(out, nullptr);
      return true;
    });
    return written ? 0 : 1;
  }
  if (o.emit == Emit::Asm)
    return emitCode(*mod, tm.get(), outPath, llvm::CodeGenFileType::AssemblyFile) ? 0 : 1;
  if (o.emit == Emit::Obj)
    return emitCode(*mod, tm.get(), outPath, llvm::CodeGenFileType::ObjectFile) ? 0 : 1;

  // build / run: object in a temporary file, then a static link against the runtime.
  llvm::SmallString<128> objPath;
  if (llvm::sys::fs::createTemporaryFile("toy", "o", objPath)) {
    fprintf(stderr, "toyc: cannot create a temporary file\n");
    return 1;
  }
  externalizeFunctions(*mod);
  bool ok = emitCode(*mod, tm.get(), objPath.str().str(), llvm::CodeGenFileType::ObjectFile);
  llvm::SmallString<128> tabPath;
  if (ok)
    ok = emitPclntab(objPath.str().str(), goFuncs, ctx, tm.get(), tabPath);
  // The binary is linked into a new file beside its destination and renamed over it: an
  // unwritable destination is reported before linking, and a failed link leaves it as it was.
  llvm::SmallString<128> linkPath;
  if (ok) {
    std::error_code ec;
    if (o.command == Options::Run)
      ec = llvm::sys::fs::createTemporaryFile("toy", "", linkPath);
    else if (outPath == "-")
      linkPath = outPath;
    else {
      llvm::SmallString<128> model(llvm::sys::path::parent_path(outPath));
      llvm::sys::path::append(model, "." + llvm::sys::path::filename(outPath) + "-%%%%%%");
      int fd;
      ec = llvm::sys::fs::createUniqueFile(model, fd, linkPath);
      if (!ec)
        llvm::sys::Process::SafelyCloseFileDescriptor(fd);
    }
    if (ec) {
      fprintf(stderr, "toyc: cannot write %s: %s\n",
              o.command == Options::Run ? "a temporary file" : outPath.c_str(),
              ec.message().c_str());
      ok = false;
    }
  }
  if (ok) {
    std::string ld = linkerPath();
    std::vector<llvm::StringRef> args = {ld,
                                         "-static",
                                         "-nostdlib",
                                         "-e",
                                         "_rt0_amd64_linux",
                                         "--gc-sections",
                                         "-z",
                                         "noexecstack",
                                         "-o",
                                         linkPath,
                                         objPath,
                                         tabPath,
                                         rt};
    if (!o.debugInfo)
      args.push_back("--strip-debug");
    std::string errMsg;
    int rc = llvm::sys::ExecuteAndWait(ld, args, std::nullopt, {}, 0, 0, &errMsg);
    if (rc != 0) {
      fprintf(stderr, "toyc: linking failed%s%s\n", errMsg.empty() ? "" : ": ", errMsg.c_str());
      ok = false;
    }
  }
  if (ok && o.command == Options::Build && outPath != "-") {
    llvm::sys::fs::file_status st;
    if (!llvm::sys::fs::status(outPath, st) && !llvm::sys::fs::is_regular_file(st)) {
      // A device or pipe (-o /dev/null) is written through, never replaced.
      auto bin = llvm::MemoryBuffer::getFile(linkPath, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
      ok = bin && writeText(outPath, (*bin)->getBuffer().str());
      llvm::sys::fs::remove(linkPath);
    } else if (std::error_code ec = llvm::sys::fs::rename(linkPath, outPath)) {
      fprintf(stderr, "toyc: cannot write %s: %s\n", outPath.c_str(), ec.message().c_str());
      ok = false;
    }
  }
  if (!ok && !linkPath.empty() && linkPath != "-")
    llvm::sys::fs::remove(linkPath);
  llvm::sys::fs::remove(objPath);
  if (!tabPath.empty())
    llvm::sys::fs::remove(tabPath);
  if (!ok)
    return 1;
  if (o.command != Options::Run)
    return 0;

  std::vector<char *> argv = {const_cast<char *>(o.inputs[0].c_str())};
  for (auto &a : o.runArgs)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  if (!o.trace.empty())
    setenv("TOYTRACE", o.trace.c_str(), 1);
  pid_t pid;
  int spawnErr = posix_spawn(&pid, linkPath.c_str(), nullptr, nullptr, argv.data(), environ);
  int status = 0;
  if (!spawnErr)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  llvm::sys::fs::remove(linkPath);
  if (spawnErr) {
    fprintf(stderr, "toyc: cannot run %s: %s\n", o.inputs[0].c_str(), strerror(spawnErr));
    return 1;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  // Like `go run`: say how the program ended and exit 1.
  fprintf(stderr, "%s\n", processStateString(status).c_str());
  return 1;
}

} // namespace toy
