// GODEBUG settings and scheduler tracing.
//
// Go has parsedebugvars and the debug struct in runtime/runtime1.go and schedtrace in
// runtime/proc.go; toy keeps them together here, next to its own GODEBUG=schedstats=1 report
// and the g0 stack painting it uses.
//
// GODEBUG is a comma-separated list of key=value pairs. Go's own keys, parsed as Go does
// (a malformed value is ignored):
//   schedtrace=N   every N ms sysmon prints one SCHED line (Go's format, see schedtrace)
//   scheddetail=1  with schedtrace, adds one line per P, per M and per G (Go's format)
// toy's own keys, the scheduler experiment knobs of docs/scheduler-experiments.md (that page's
// table gives each default and the Go constant it stands for); a value out of a key's range
// stops the program at start-up with "GODEBUG: bad value for KEY: VALUE" and exit status 2:
//   schedstats=1       at exit, prints the scheduler's counters, the seed and, for every M
//                      still alive, how much of its g0 stack was ever used
//   schedfairness=N    findRunnable's global-queue check period in schedticks; 0 turns it off
//   sysmonpreempt=0    sysmon no longer preempts a G that has run for its time slice, so run
//                      orders at GOMAXPROCS=1 do not depend on timing
//   stealtries=N, spinningcap=0|1, runqsize=N, forcepreemptns=N, sysmonmindelay=µs,
//   sysmonmaxdelay=µs, overflowdiv=N, globrunqbatch=N, schedseed=N
//   asyncpreemptoff=1  (Go's) sysmon's preemption requests send no signal: a G that makes
//                      no calls is then never preempted
//   aeshash=0          memhash and the other hashes are hash64.cpp's portable ones even on a
//                      CPU with AES (alg.cpp's usePortableHash), so that they stay tested
// and, for a program built with toyc build --simulate (sim.cpp):
//   schedsim=SEED      the simulation's seed (default 0)
//   simcpus=N          the simulated machine's CPU count, 1 to 256 (default: GOMAXPROCS, else 1)
//   schedpct=D         the baton follows PCT of depth D (1 to 100) instead of the random choice
//   schedpctsteps=K    the steps PCT's D-1 change points are drawn from (default 10000, at
//                      least D-1)

#include "alg.h"
#include "atomic.h"
#include "stubs.h"

namespace runtime {

dbgVars debug;
schedStats schedstats;

namespace {
struct dbgVar {
  const char *name;
  int32_t *value;
};

// Go's keys: malformed values are ignored.
const dbgVar dbgvars[] = {
    {"scheddetail", &debug.scheddetail},
    {"schedtrace", &debug.schedtrace},
    {"asyncpreemptoff", &debug.asyncpreemptoff},
};

// The knobs' storage that is not in debug (runqSize and the shares are runtime2.h's, read by
// runq.h, which does not see debug); copied there once all keys are read.
int32_t runqsizeKnob, overflowdivKnob, globrunqbatchKnob;

// A toy key: its storage, its default (Go's constant where there is one) and the values it
// accepts, [min, max], and for runqsize only powers of two.
struct knob {
  const char *name;
  int32_t *value;
  int32_t def;
  int32_t min, max;
  bool pow2;
};

constexpr int32_t int32Max = 0x7fffffff;

const knob knobs[] = {
    {"schedstats", &debug.schedstats, 0, 0, 1, false},
    {"schedfairness", &debug.schedfairness, 61, 0, int32Max, false}, // Go: 61 in findRunnable
    {"sysmonpreempt", &debug.sysmonpreempt, 1, 0, 1, false},
    {"stealtries", &debug.stealtries, 4, 1, 1000, false}, // Go: stealTries in stealWork
    {"spinningcap", &debug.spinningcap, 1, 0, 1, false},  // Go: findRunnable's 2*nmspinning rule
    {"runqsize", &runqsizeKnob, 256, 2, int32_t(runqSizeMax), true}, // Go: len(p.runq)
    // Go: forcePreemptNS in proc.go, 10ms.
    {"forcepreemptns", &debug.forcepreemptns, 10 * 1000 * 1000, 1, int32Max, false},
    // Go: sysmon's 20us and 10ms (it sleeps for µs).
    {"sysmonmindelay", &debug.sysmonmindelay, 20, 1, 1000 * 1000, false},
    {"sysmonmaxdelay", &debug.sysmonmaxdelay, 10 * 1000, 1, 1000 * 1000, false},
    // Go: runqputslow's n/2; at most the ring (checked below).
    {"overflowdiv", &overflowdivKnob, 2, 1, int32_t(runqSizeMax), false},
    // Go: globrunqget's len(p.runq)/2, the default (0 here); at most the ring (checked below).
    {"globrunqbatch", &globrunqbatchKnob, 0, 1, int32_t(runqSizeMax), false},
    // Not a scheduler knob: 1 hashes with AES where alginit found the instructions.
    {"aeshash", &debug.aeshash, 1, 0, 1, false},
};
constexpr int nknobs = sizeof(knobs) / sizeof(knobs[0]);

// The values given for the knobs, for the message about a combination that is bad.
stringStruct knobValue[nknobs];

// The word g0 stacks are filled with before first use (an arbitrary, unlikely value).
constexpr uintptr_t g0PaintWord = 0x7a0e57ac7a0e57acull;

bool streq(stringStruct s, const char *t) {
  int64_t n = findnull(reinterpret_cast<const uint8_t *>(t));
  return s.len == n && memcmp(s.str, t, n) == 0;
}

// atou64 parses an unsigned decimal uint64: digits only, no overflow.
bool atou64(stringStruct s, uint64_t *out) {
  if (s.len == 0)
    return false;
  uint64_t n = 0;
  for (int64_t i = 0; i < s.len; i++) {
    uint8_t c = s.str[i];
    if (c < '0' || c > '9' || n > (~uint64_t(0) - (c - '0')) / 10)
      return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

[[noreturn]] void badvalue(const char *key, stringStruct value) {
  print("GODEBUG: bad value for ", key, ": ", value, "\n");
  exit(2);
}

bool knobok(const knob &k, int32_t n) {
  return n >= k.min && n <= k.max && (!k.pow2 || (n & (n - 1)) == 0);
}

void setknob(int i, stringStruct value) {
  int32_t n;
  if (!atoi32(value, &n) || !knobok(knobs[i], n))
    badvalue(knobs[i].name, value);
  *knobs[i].value = n;
  knobValue[i] = value;
}

int knobindex(const char *name) {
  for (int i = 0; i < nknobs; i++)
    if (streq(gostringnocopy(reinterpret_cast<const uint8_t *>(name)), knobs[i].name))
      return i;
  throw_("parsedebugvars: no such knob");
}
// startsim turns the simulation on: a machine of simcpus CPUs (0: as many as GOMAXPROCS asks
// for, else 1) whose memory does not bound GOMAXPROCS, no preemption signals, the kernel's
// random bytes replaced by the seed's (so alginit runs again).
void startsim(uint64_t seed, int32_t simcpus, int32_t pctdepth, int64_t pctsteps) {
  siminit(seed, pctdepth, pctsteps);
  int32_t n;
  if (simcpus == 0)
    simcpus = atoi32(gogetenv("GOMAXPROCS"), &n) && n > 0 && n <= 256 ? n : 1;
  ncpu = simcpus;
  physMemBytes = 0;
  debug.asyncpreemptoff = 1;
  alginit();
}
} // namespace

// parsedebugvars reads GODEBUG (Go: runtime1.go). Unknown keys are ignored, as in Go, and so
// are malformed values of Go's keys; toy's keys stop the program on a bad value. It runs in
// schedinit before the first P is made, so the run queue's shape is fixed from here on.
void parsedebugvars() {
  for (const knob &k : knobs)
    *k.value = k.def;
  debug.schedseeded = false;
  bool simseeded = false;
  uint64_t simseed = 0;
  int32_t simcpus = 0;
  int32_t pctdepth = 0;
  uint64_t pctsteps = 10000;
  stringStruct pctstepsValue{nullptr, 0};
  settracebackenv();
  stringStruct p = gogetenv("GODEBUG");
  while (p.len > 0) {
    stringStruct field = p;
    int64_t i = 0;
    while (i < p.len && p.str[i] != ',')
      i++;
    if (i < p.len) {
      field = stringStruct{p.str, i};
      p = stringStruct{p.str + i + 1, p.len - i - 1};
    } else {
      p = stringStruct{nullptr, 0};
    }
    int64_t eq = 0;
    while (eq < field.len && field.str[eq] != '=')
      eq++;
    if (eq == field.len)
      continue;
    stringStruct key{field.str, eq}, value{field.str + eq + 1, field.len - eq - 1};
    for (const dbgVar &v : dbgvars) {
      if (streq(key, v.name)) {
        int32_t n;
        if (atoi32(value, &n))
          *v.value = n;
      }
    }
    for (int k = 0; k < nknobs; k++)
      if (streq(key, knobs[k].name))
        setknob(k, value);
    if (streq(key, "schedseed")) {
      if (!atou64(value, &debug.schedseed))
        badvalue("schedseed", value);
      debug.schedseeded = true;
    }
    if (streq(key, "schedsim")) {
      if (!atou64(value, &simseed))
        badvalue("schedsim", value);
      simseeded = true;
    }
    if (streq(key, "simcpus") && (!atoi32(value, &simcpus) || simcpus < 1 || simcpus > 256))
      badvalue("simcpus", value);
    if (streq(key, "schedpct") && (!atoi32(value, &pctdepth) || pctdepth < 1 || pctdepth > 100))
      badvalue("schedpct", value);
    if (streq(key, "schedpctsteps")) {
      if (!atou64(value, &pctsteps) || pctsteps < 1 || pctsteps > (uint64_t(1) << 62))
        badvalue("schedpctsteps", value);
      pctstepsValue = value;
    }
  }

  // Combinations: the sleep bounds in order, the shares within the ring.
  if (debug.sysmonmaxdelay < debug.sysmonmindelay) {
    int k = knobindex("sysmonmaxdelay");
    if (knobValue[k].len == 0) // only the minimum was given, above the default maximum
      k = knobindex("sysmonmindelay");
    badvalue(knobs[k].name, knobValue[k]);
  }
  if (overflowdivKnob > runqsizeKnob)
    badvalue("overflowdiv", knobValue[knobindex("overflowdiv")]);
  if (globrunqbatchKnob > runqsizeKnob)
    badvalue("globrunqbatch", knobValue[knobindex("globrunqbatch")]);
  if (globrunqbatchKnob == 0)
    globrunqbatchKnob = runqsizeKnob / 2;
  runqSize = uint32_t(runqsizeKnob);
  runqOverflowDiv = uint32_t(overflowdivKnob);
  globrunqBatch = uint32_t(globrunqbatchKnob);

  if (pctdepth > 0 && pctsteps < uint64_t(pctdepth - 1)) // fewer steps than change points
    badvalue("schedpctsteps", pctstepsValue);
  if (&simulateBuild != nullptr) {
    startsim(simseed, simcpus, pctdepth, int64_t(pctsteps));
    if (!debug.schedseeded) // the scheduler's own choices follow the simulation's seed
      debug.schedseed = simrandom();
  } else if (simseeded || pctdepth > 0) {
    print("GODEBUG: ", simseeded ? "schedsim" : "schedpct",
          " needs a program built with toyc build --simulate\n");
    exit(2);
  }

  // Without a seed, one from the clock; schedstats prints it, so the run can be repeated.
  if (!debug.schedseeded && !simulating)
    debug.schedseed = uint64_t(nanotime()) * 0x9e3779b97f4a7c15ull;
}

// schedSeed is the seed of this run's random choices (GODEBUG=schedseed, or the one chosen at
// start-up), for reports such as an event trace's.
uint64_t schedSeed() { return debug.schedseed; }

static int64_t starttime;

// schedtrace prints the scheduler's state (Go: proc.go), one SCHED line, plus with detailed
// one line per P, M and G. Called by sysmon every GODEBUG=schedtrace milliseconds.
void schedtrace(bool detailed) {
  int64_t now = nanotime();
  if (starttime == 0)
    starttime = now;

  lock(&sched.lock);
  print("SCHED ", (now - starttime) / 1000000, "ms: gomaxprocs=", gomaxprocs,
        " idleprocs=", sched.npidle, " threads=", mcount(), " spinningthreads=", sched.nmspinning,
        " idlethreads=", sched.nmidle, " runqueue=", sched.runqsize);
  if (detailed) {
    print(" gcwaiting=", sched.gcwaiting, " nmidlelocked=", sched.nmidlelocked,
          " stopwait=", sched.stopwait, " sysmonwait=", sched.sysmonwait, "\n");
  }
  // We must be careful while reading data from P's, M's and G's. Even if we hold schedlock,
  // most data can be changed concurrently. E.g. (p->m ? p->m->id : -1) can crash if p->m
  // changes from non-nil to nil.
  for (int64_t i = 0; i < allp.len; i++) {
    p *_p_ = allp.array[i];
    m *mp = atomic::Load(&_p_->m);
    uint32_t h = atomic::Load(&_p_->runqhead);
    uint32_t t = atomic::Load(&_p_->runqtail);
    if (detailed) {
      int64_t id = -1;
      if (mp != nullptr)
        id = mp->id;
      print("  P", i, ": status=", _p_->status, " schedtick=", _p_->schedtick,
            " syscalltick=", _p_->syscalltick, " m=", id, " runqsize=", t - h,
            " gfreecnt=", _p_->gFree.n, " timerslen=", _p_->timers.len, "\n");
    } else {
      // In non-detailed mode format lengths of per-P run queues as: [len1 len2 len3 len4]
      print(" ");
      if (i == 0)
        print("[");
      print(t - h);
      if (i == allp.len - 1)
        print("]\n");
    }
  }

  if (!detailed) {
    unlock(&sched.lock);
    return;
  }

  for (m *mp = atomic::Load(&allm); mp != nullptr; mp = mp->alllink) {
    p *_p_ = mp->p;
    g *gp = mp->curg;
    g *lockedg = mp->lockedg;
    int32_t id1 = -1;
    if (_p_ != nullptr)
      id1 = _p_->id;
    int64_t id2 = -1;
    if (gp != nullptr)
      id2 = gp->goid;
    int64_t id3 = -1;
    if (lockedg != nullptr)
      id3 = lockedg->goid;
    print("  M", mp->id, ": p=", id1, " curg=", id2, " mallocing=", mp->mallocing,
          " throwing=", mp->throwing, " preemptoff=", mp->preemptoff ? mp->preemptoff : "",
          " locks=", mp->locks, " dying=", mp->dying, " spinning=", mp->spinning,
          " blocked=", mp->blocked, " lockedg=", id3, "\n");
  }

  lock(&allglock);
  for (int64_t i = 0; i < allgs.len; i++) {
    g *gp = allgs.array[i];
    m *mp = gp->m;
    m *lockedm = gp->lockedm;
    int64_t id1 = -1;
    if (mp != nullptr)
      id1 = mp->id;
    int64_t id2 = -1;
    if (lockedm != nullptr)
      id2 = lockedm->id;
    print("  G", gp->goid, ": status=", readgstatus(gp), "(", waitReasonString(gp->waitreason),
          ") m=", id1, " lockedm=", id2, "\n");
  }
  unlock(&allglock);
  unlock(&sched.lock);
}

// g0paint fills [lo, hi) with g0PaintWord, from the top down: m0's g0 is the main thread's
// stack, which the kernel grows one page at a time below the lowest page touched so far.
void g0paint(uintptr_t lo, uintptr_t hi) {
  for (auto *w = reinterpret_cast<volatile uintptr_t *>(hi & ~uintptr_t(7)) - 1;
       reinterpret_cast<uintptr_t>(w) >= lo; w--)
    *w = g0PaintWord;
}

// g0highwater returns how many bytes of mp's g0 stack were ever used: the distance from the
// top of the stack to the lowest word that no longer holds the paint.
uintptr_t g0highwater(m *mp) {
  stack s = mp->g0->stack;
  auto *w = reinterpret_cast<const uintptr_t *>(s.lo);
  while (reinterpret_cast<uintptr_t>(w) < s.hi && *w == g0PaintWord)
    w++;
  return s.hi - reinterpret_cast<uintptr_t>(w);
}

// schedstatsprint prints toy's GODEBUG=schedstats=1 report, from runtime.main before exit:
//   schedstats: newm=N goroutines=N fairness=N runnext=N steals=N stolen=N nospin=N
//               preemptsignals=N asyncpreempts=N preemptgen=N seed=N
//   schedstats: simsteps=N                             (under simulation: the baton's picks)
//   schedstats: M<id> g0 stack=<bytes> used=<bytes>     (one line per live M, by id)
// preemptsignals counts the SIGURGs preemptM sent, preemptgen the ones the Ms took (the sum of
// Go's m.preemptGen, which doSigPreempt advances), asyncpreempts the Gs they descheduled.
void schedstatsprint() {
  uint64_t preemptgen = 0;
  lock(&sched.lock);
  for (m *mp = allm; mp != nullptr; mp = mp->alllink)
    preemptgen += atomic::Load(&mp->preemptGen);
  unlock(&sched.lock);
  print("schedstats: newm=", __atomic_load_n(&schedstats.newm, __ATOMIC_RELAXED),
        " goroutines=", __atomic_load_n(&schedstats.goroutines, __ATOMIC_RELAXED),
        " fairness=", __atomic_load_n(&schedstats.fairness, __ATOMIC_RELAXED),
        " runnext=", __atomic_load_n(&schedstats.runnext, __ATOMIC_RELAXED),
        " steals=", __atomic_load_n(&schedstats.steals, __ATOMIC_RELAXED),
        " stolen=", __atomic_load_n(&schedstats.stolen, __ATOMIC_RELAXED),
        " nospin=", __atomic_load_n(&schedstats.nospin, __ATOMIC_RELAXED),
        " preemptsignals=", __atomic_load_n(&schedstats.preemptsignals, __ATOMIC_RELAXED),
        " asyncpreempts=", __atomic_load_n(&schedstats.asyncpreempts, __ATOMIC_RELAXED),
        " preemptgen=", preemptgen, " seed=", debug.schedseed, "\n");
  if (simulating) // how many steps a run takes, for PCT's schedpctsteps
    print("schedstats: simsteps=", simstepcount(), "\n");
  lock(&sched.lock);
  int64_t mnext = sched.mnext;
  for (int64_t id = 0; id < mnext; id++) {
    for (m *mp = allm; mp != nullptr; mp = mp->alllink) {
      if (mp->id != id || mp->g0 == nullptr)
        continue;
      print("schedstats: M", id, " g0 stack=", mp->g0->stack.hi - mp->g0->stack.lo,
            " used=", g0highwater(mp), "\n");
    }
  }
  unlock(&sched.lock);
}

} // namespace runtime
