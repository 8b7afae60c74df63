//===- Explore.cpp - toyc explore: a program run under many simulation seeds -===//
//
// `toyc explore prog.toy -n N` builds the program once with --simulate and runs it with
// GODEBUG=schedsim=S for N seeds (in parallel processes), each with its stdout and stderr in
// one file. Runs are grouped by outcome: the exit status and a hash of the output. The report
// lists each outcome with its count, the first seed that gave it and what it printed (a
// panic's or fatal error's line, else the first line), then the command that replays the first
// failing run. Results are taken in seed order whatever order the processes end in, so the
// report is the same on every machine.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace toy {

namespace {

struct Outcome {
  int status;    // the wait status
  uint64_t hash; // FNV-1a of the output
  bool operator<(const Outcome &o) const {
    return status != o.status ? status < o.status : hash < o.hash;
  }
};

struct Group {
  int count = 0;
  uint64_t firstSeed = 0;
  std::string summary;
};

uint64_t fnv1a(llvm::StringRef s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// withoutSeedLine drops the runtime's "schedsim: seed=S time=T" line, which names the seed:
// two runs that fail alike are one outcome.
std::string withoutSeedLine(llvm::StringRef out) {
  std::string r;
  for (llvm::StringRef rest = out; !rest.empty();) {
    auto [line, tail] = rest.split('\n');
    if (!line.starts_with("schedsim: seed="))
      r += line.str() + (line.size() < rest.size() ? "\n" : "");
    rest = tail;
  }
  return r;
}

// summarize picks the line that says what a run did: a panic's or fatal error's, else the
// first, cut to 72 bytes.
std::string summarize(llvm::StringRef out) {
  llvm::StringRef pick;
  for (llvm::StringRef rest = out; !rest.empty();) {
    auto [line, tail] = rest.split('\n');
    if (line.starts_with("panic: ") || line.starts_with("fatal error: ")) {
      pick = line;
      break;
    }
    if (pick.empty())
      pick = line;
    rest = tail;
  }
  std::string s = pick.str();
  if (s.size() > 72)
    s = s.substr(0, 69) + "...";
  return s;
}

std::string statusString(int status) {
  if (WIFEXITED(status))
    return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return std::string("signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

bool failed(int status) { return !WIFEXITED(status) || WEXITSTATUS(status) != 0; }

std::string shellQuote(const std::string &s) {
  if (s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=,") ==
      std::string::npos)
    return s;
  std::string q = "'";
  for (char c : s)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

} // namespace

int runExplore(const Options &o) {
  // Build once, into a temporary directory that also holds each run's output.
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("toy-explore", dir)) {
    fprintf(stderr, "toyc: cannot create a temporary directory\n");
    return 1;
  }
  llvm::SmallString<128> bin(dir);
  llvm::sys::path::append(bin, "prog");
  Options b = o;
  b.command = Options::Build;
  b.simulate = true;
  b.output = bin.str().str();
  auto cleanup = [&] { llvm::sys::fs::remove_directories(dir); };
  if (int rc = runDriver(b); rc != 0) {
    cleanup();
    return rc;
  }

  // The environment of every run: the caller's, with schedsim added to GODEBUG and, with
  // --procs, GOMAXPROCS set.
  std::string godebug;
  std::vector<std::string> env;
  for (char **e = environ; *e; ++e) {
    llvm::StringRef kv(*e);
    if (kv.starts_with("GODEBUG="))
      godebug = kv.substr(8).str();
    else if (!(o.exploreProcs > 0 && kv.starts_with("GOMAXPROCS=")))
      env.push_back(kv.str());
  }
  if (o.exploreProcs > 0)
    env.push_back("GOMAXPROCS=" + std::to_string(o.exploreProcs));
  std::string procsShown =
      o.exploreProcs > 0 ? std::to_string(o.exploreProcs)
                         : (getenv("GOMAXPROCS") ? getenv("GOMAXPROCS") : std::string("default"));

  struct Running {
    pid_t pid;
    uint64_t seed;
    std::string out;
  };
  std::vector<Running> running;
  std::map<uint64_t, std::pair<int, std::string>> done; // seed -> status, output file
  std::map<Outcome, Group> groups;
  std::vector<Outcome> order; // outcomes in the order of their first seed
  uint64_t first = o.exploreSeed, end = o.exploreSeed + uint64_t(o.exploreRuns);
  uint64_t next = first, reported = first;
  uint64_t failures = 0, firstFailure = 0, stopSeed = 0;
  bool stopping = false, spawnFailed = false;
  Outcome firstOutcome{};

  auto launch = [&](uint64_t seed) {
    std::string out = (dir + "/run" + std::to_string(seed)).str();
    std::vector<std::string> e = env;
    e.push_back("GODEBUG=" + (godebug.empty() ? "" : godebug + ",") +
                "schedsim=" + std::to_string(seed));
    std::vector<char *> envp;
    for (auto &s : e)
      envp.push_back(const_cast<char *>(s.c_str()));
    envp.push_back(nullptr);
    std::vector<char *> argv = {const_cast<char *>(b.output.c_str())};
    for (auto &a : o.runArgs)
      argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0) {
      fprintf(stderr, "toyc: cannot run the program: %s\n", strerror(err));
      spawnFailed = true;
      return;
    }
    running.push_back({pid, seed, out});
  };

  // take records the runs that have ended, in seed order.
  auto take = [&] {
    while (!stopping && done.count(reported)) {
      auto [status, path] = done[reported];
      std::string text;
      if (auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                                 /*RequiresNullTerminator=*/false))
        text = (*buf)->getBuffer().str();
      llvm::sys::fs::remove(path);
      Outcome oc{status, fnv1a(withoutSeedLine(text))};
      Group &g = groups[oc];
      if (g.count++ == 0) {
        g.firstSeed = reported;
        g.summary = summarize(text);
        order.push_back(oc);
      }
      if (reported == first)
        firstOutcome = oc;
      if (failed(status) && failures++ == 0)
        firstFailure = reported;
      bool differs = oc.status != firstOutcome.status || oc.hash != firstOutcome.hash;
      if ((o.exploreStop == Options::StopFail && failed(status)) ||
          (o.exploreStop == Options::StopDiffer && differs)) {
        stopping = true;
        stopSeed = reported;
      }
      done.erase(reported);
      reported++;
    }
  };

  while (!spawnFailed && !stopping && (next < end || !running.empty())) {
    while (!spawnFailed && next < end && int(running.size()) < o.exploreJobs)
      launch(next++);
    if (running.empty())
      break;
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (size_t i = 0; i < running.size(); ++i) {
      if (running[i].pid != pid)
        continue;
      done[running[i].seed] = {status, running[i].out};
      running.erase(running.begin() + i);
      break;
    }
    take();
  }
  for (auto &r : running) { // runs past a stop are not counted
    kill(r.pid, SIGKILL);
    waitpid(r.pid, nullptr, 0);
  }
  cleanup();
  if (spawnFailed)
    return 1;

  uint64_t runs = reported - first;
  printf("explore: %llu runs at GOMAXPROCS=%s, seeds %llu..%llu: %zu outcome%s, %llu failed\n",
         (unsigned long long)runs, procsShown.c_str(), (unsigned long long)first,
         (unsigned long long)(reported - 1), order.size(), order.size() == 1 ? "" : "s",
         (unsigned long long)failures);
  for (const Outcome &oc : order) {
    const Group &g = groups[oc];
    printf("  %6d  %-8s output %016llx  seed %llu: %s\n", g.count, statusString(oc.status).c_str(),
           (unsigned long long)oc.hash, (unsigned long long)g.firstSeed, g.summary.c_str());
  }
  if (stopping)
    printf("stopped at seed %llu: %s\n", (unsigned long long)stopSeed,
           o.exploreStop == Options::StopFail ? "the first failure"
                                              : "the first outcome unlike the first seed's");
  uint64_t replaySeed = failures > 0 ? firstFailure : (stopping ? stopSeed : 0);
  if (failures > 0 || stopping) {
    std::string cmd;
    if (o.exploreProcs > 0)
      cmd += "GOMAXPROCS=" + std::to_string(o.exploreProcs) + " ";
    cmd += "GODEBUG=" + (godebug.empty() ? "" : godebug + ",") +
           "schedsim=" + std::to_string(replaySeed);
    cmd += " toyc run --simulate";
    for (auto &in : o.inputs)
      cmd += " " + shellQuote(in);
    for (auto &a : o.runArgs)
      cmd += " " + shellQuote(a);
    printf("replay: %s\n", cmd.c_str());
  }
  return failures > 0 ? 1 : 0;
}

} // namespace toy
