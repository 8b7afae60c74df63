//===- Explore.cpp - toyc explore: a program run under many simulation seeds -===//
//
// `toyc explore prog.toy -n N` builds the program once with --simulate and runs it with
// GODEBUG=schedsim=S for N seeds (in parallel processes), each with its stdout and stderr in
// one file. Runs are grouped by outcome: the exit status and a hash of the output. The report
// lists each outcome with its count, the first seed that gave it and what it printed (a
// panic's or fatal error's line, else the first line), then the command that replays the first
// failing run. Results are taken in seed order whatever order the processes end in, so the
// report is the same on every machine. A run still going after --timeout is killed and is the
// outcome "timeout", whatever it had printed by then (how far it got depends on the machine).
// With --strategy=pct the runs also get GODEBUG=schedpct=D,schedpctsteps=K: the runtime
// then gives the baton by PCT's priorities instead of at random (runtime/sim.cpp).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <chrono>
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
  bool timeout;  // killed after --timeout: status and hash are 0
  int status;    // the wait status
  uint64_t hash; // FNV-1a of the output
  bool operator<(const Outcome &o) const {
    if (timeout != o.timeout)
      return timeout < o.timeout;
    return status != o.status ? status < o.status : hash < o.hash;
  }
  bool operator!=(const Outcome &o) const { return *this < o || o < *this; }
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

bool failed(const Outcome &oc) {
  return oc.timeout || !WIFEXITED(oc.status) || WEXITSTATUS(oc.status) != 0;
}

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

  using clock = std::chrono::steady_clock;
  struct Running {
    pid_t pid;
    uint64_t seed;
    std::string out;
    clock::time_point deadline;
  };
  struct Ended {
    int status;
    bool timeout;
    std::string out;
  };
  std::vector<Running> running;
  std::map<uint64_t, Ended> done; // seed -> how it ended, output file
  std::map<Outcome, Group> groups;
  std::vector<Outcome> order; // outcomes in the order of their first seed
  uint64_t first = o.exploreSeed, end = o.exploreSeed + uint64_t(o.exploreRuns);
  uint64_t next = first, reported = first;
  uint64_t failures = 0, firstFailure = 0, stopSeed = 0;
  bool stopping = false, spawnFailed = false;
  Outcome firstOutcome{};

  // spawn starts the program with keys added to the caller's GODEBUG and its stdout and
  // stderr in the file out; -1 if it cannot.
  auto spawn = [&](const std::string &keys, const std::string &out) -> pid_t {
    std::vector<std::string> e = env;
    e.push_back("GODEBUG=" + (godebug.empty() ? "" : godebug + ",") + keys);
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
      return -1;
    }
    return pid;
  };

  // PCT's steps K: --steps, else estimated as the steps of the first seed's run under the
  // random strategy, which schedstats prints (simsteps=); if that run does not end within
  // --timeout or prints none, 10000, the runtime's default (debug.cpp).
  uint64_t pctSteps = o.explorePCTSteps;
  bool estimated = false;
  if (o.explorePCT && pctSteps == 0) {
    std::string out = (dir + "/steps").str();
    pid_t pid = spawn("schedsim=" + std::to_string(first) + ",schedstats=1", out);
    if (pid < 0) {
      cleanup();
      return 1;
    }
    clock::time_point deadline = clock::now() + std::chrono::nanoseconds(o.exploreTimeoutNS);
    for (;;) {
      pid_t r = waitpid(pid, nullptr, o.exploreTimeoutNS > 0 ? WNOHANG : 0);
      if (r < 0 && errno == EINTR)
        continue;
      if (r != 0)
        break;
      if (clock::now() >= deadline) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        break;
      }
      struct timespec ts = {0, 1000000}; // 1ms
      nanosleep(&ts, nullptr);
    }
    if (auto buf = llvm::MemoryBuffer::getFile(out, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false)) {
      llvm::StringRef text = (*buf)->getBuffer();
      size_t at = text.find("\nschedstats: simsteps=");
      uint64_t n;
      if (at != llvm::StringRef::npos &&
          !text.substr(at + 22)
               .take_while([](char c) { return c >= '0' && c <= '9'; })
               .getAsInteger(10, n) &&
          n > 0) {
        pctSteps = std::max<uint64_t>(n, uint64_t(o.explorePCTDepth - 1));
        estimated = true;
      }
    }
    llvm::sys::fs::remove(out);
    if (!estimated)
      pctSteps = 10000;
  }

  // The strategy's keys, after schedsim=S in every run's GODEBUG and the replay command's.
  std::string strategy;
  if (o.explorePCT) {
    strategy = ",schedpct=" + std::to_string(o.explorePCTDepth) +
               ",schedpctsteps=" + std::to_string(pctSteps);
  }

  auto launch = [&](uint64_t seed) {
    std::string out = (dir + "/run" + std::to_string(seed)).str();
    pid_t pid = spawn("schedsim=" + std::to_string(seed) + strategy, out);
    if (pid >= 0)
      running.push_back(
          {pid, seed, out, clock::now() + std::chrono::nanoseconds(o.exploreTimeoutNS)});
  };

  // take records the runs that have ended, in seed order.
  auto take = [&] {
    while (!stopping && done.count(reported)) {
      const Ended &e = done[reported];
      std::string text;
      if (auto buf = llvm::MemoryBuffer::getFile(e.out, /*IsText=*/false,
                                                 /*RequiresNullTerminator=*/false))
        text = (*buf)->getBuffer().str();
      llvm::sys::fs::remove(e.out);
      Outcome oc =
          e.timeout ? Outcome{true, 0, 0} : Outcome{false, e.status, fnv1a(withoutSeedLine(text))};
      Group &g = groups[oc];
      if (g.count++ == 0) {
        g.firstSeed = reported;
        g.summary = e.timeout ? "still running after " + o.exploreTimeoutText + ", killed"
                              : summarize(text);
        order.push_back(oc);
      }
      if (reported == first)
        firstOutcome = oc;
      if (failed(oc) && failures++ == 0)
        firstFailure = reported;
      bool differs = oc != firstOutcome;
      if ((o.exploreStop == Options::StopFail && failed(oc)) ||
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
    pid_t pid = waitpid(-1, &status, o.exploreTimeoutNS > 0 ? WNOHANG : 0);
    if (pid < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (pid == 0) { // none has ended: kill those past their deadline, else wait a little
      clock::time_point now = clock::now();
      bool killed = false;
      for (size_t i = 0; i < running.size();) {
        if (now < running[i].deadline) {
          ++i;
          continue;
        }
        kill(running[i].pid, SIGKILL);
        waitpid(running[i].pid, nullptr, 0);
        done[running[i].seed] = {0, true, running[i].out};
        running.erase(running.begin() + i);
        killed = true;
      }
      if (!killed) {
        struct timespec ts = {0, 1000000}; // 1ms
        nanosleep(&ts, nullptr);
        continue;
      }
    }
    for (size_t i = 0; pid > 0 && i < running.size(); ++i) {
      if (running[i].pid != pid)
        continue;
      done[running[i].seed] = {status, false, running[i].out};
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
  std::string pctShown;
  if (o.explorePCT)
    pctShown = ", pct depth " + std::to_string(o.explorePCTDepth) + " steps " +
               std::to_string(pctSteps) +
               (estimated                ? " (seed " + std::to_string(first) + "'s run)"
                : o.explorePCTSteps == 0 ? " (default)"
                                         : "");
  printf("explore: %llu runs at GOMAXPROCS=%s%s, seeds %llu..%llu: %zu outcome%s, %llu failed\n",
         (unsigned long long)runs, procsShown.c_str(), pctShown.c_str(), (unsigned long long)first,
         (unsigned long long)(reported - 1), order.size(), order.size() == 1 ? "" : "s",
         (unsigned long long)failures);
  for (const Outcome &oc : order) {
    const Group &g = groups[oc];
    if (oc.timeout)
      printf("  %6d  %-8s %-23s seed %llu: %s\n", g.count, "timeout", "",
             (unsigned long long)g.firstSeed, g.summary.c_str());
    else
      printf("  %6d  %-8s output %016llx  seed %llu: %s\n", g.count,
             statusString(oc.status).c_str(), (unsigned long long)oc.hash,
             (unsigned long long)g.firstSeed, g.summary.c_str());
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
           "schedsim=" + std::to_string(replaySeed) + strategy;
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
