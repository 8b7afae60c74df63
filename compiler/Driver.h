//===- Driver.h - options, the compile pipeline, object emission, linking -===//
#ifndef TOY_DRIVER_H
#define TOY_DRIVER_H

#include <cstdint>
#include <string>
#include <vector>

namespace toy {

enum class Emit { Binary, Tokens, AST, LLVM, Asm, Obj };

struct Options {
  enum Command { Build, Run, Compile, Trace, Explore } command = Compile;
  std::vector<std::string> inputs; // the files of package main, or one directory
  std::string output; // "-" is stdout
  Emit emit = Emit::Binary;
  int optLevel = 2;
  bool debugInfo = true; // DWARF by default, as `go build` does; -g0 turns it off
  std::vector<std::string> runArgs;
  std::string trace; // run --trace=file: TOYTRACE for the program
  bool simulate = false; // build/run --simulate: the runtime's deterministic simulation
  // toyc explore: -n runs from seed --seed, GOMAXPROCS --procs (0: the caller's), --jobs
  // processes at a time, and whether to stop at the first failure or different outcome.
  int exploreRuns = 100;
  uint64_t exploreSeed = 1;
  int exploreProcs = 0;
  int exploreJobs = 2;
  enum Stop { StopNever, StopFail, StopDiffer } exploreStop = StopNever;
  // --timeout: a run's limit in nanoseconds of real time (0: none), as given; --strategy=pct
  // with --depth and, if given (0: the runtime's default), --steps.
  int64_t exploreTimeoutNS = 10 * 1000000000ll;
  std::string exploreTimeoutText = "10s";
  bool explorePCT = false;
  int explorePCTDepth = 3;
  uint64_t explorePCTSteps = 0;
  std::vector<std::string> traceArgs; // toyc trace ...: the words after "trace"
};

/// Parses argv. On a usage error prints a message and returns false with `exitCode` set.
bool parseOptions(int argc, char **argv, Options &opts, int &exitCode);
/// Runs the command; returns the process exit status.
int runDriver(const Options &opts);
/// toyc trace check|view (Trace.cpp, TraceCheck.cpp, TraceView.cpp); returns the exit status.
int runTraceCommand(const std::vector<std::string> &args);
/// toyc explore (Explore.cpp): builds with --simulate, runs under many seeds, reports.
int runExplore(const Options &opts);

} // namespace toy

#endif
