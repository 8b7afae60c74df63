// GODEBUG settings and scheduler tracing.
//
// Go has parsedebugvars and the debug struct in runtime/runtime1.go and schedtrace in
// runtime/proc.go; toy keeps them together here, next to its own GODEBUG=schedstats=1 report
// and the g0 stack painting it uses.
//
// GODEBUG is a comma-separated list of key=value pairs:
//   schedtrace=N   every N ms sysmon prints one SCHED line (Go's format, see schedtrace)
//   scheddetail=1  with schedtrace, adds one line per P, per M and per G (Go's format)
//   schedstats=1   (toy only) at exit, prints the scheduler's counters and, for every M still
//                  alive, how much of its g0 stack was ever used
//   schedfairness=0  (toy only) turns off findRunnable's check of the global run queue every
//                  61 schedticks, to show what it is for (default 1)
//   asyncpreemptoff=1  sysmon's preemption requests send no signal (Go's knob): a G that
//                  makes no calls is then never preempted
//   sysmonpreempt=0  (toy only) sysmon no longer preempts a G that has run for 10ms, so
//                  run orders at GOMAXPROCS=1 do not depend on timing (default 1)

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

const dbgVar dbgvars[] = {
    {"scheddetail", &debug.scheddetail},     {"schedtrace", &debug.schedtrace},
    {"schedstats", &debug.schedstats},       // toy's own
    {"schedfairness", &debug.schedfairness}, // toy's own
    {"sysmonpreempt", &debug.sysmonpreempt}, // toy's own
    {"asyncpreemptoff", &debug.asyncpreemptoff},
};

// The word g0 stacks are filled with before first use (an arbitrary, unlikely value).
constexpr uintptr_t g0PaintWord = 0x7a0e57ac7a0e57acull;

bool streq(stringStruct s, const char *t) {
  int64_t n = findnull(reinterpret_cast<const uint8_t *>(t));
  return s.len == n && memcmp(s.str, t, n) == 0;
}
} // namespace

// parsedebugvars reads GODEBUG (Go: runtime1.go). Unknown keys and malformed values are
// ignored, as in Go.
void parsedebugvars() {
  debug.schedfairness = 1;
  debug.sysmonpreempt = 1;
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
  }
}

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
//   schedstats: newm=N goroutines=N fairness=N runnext=N steals=N stolen=N preemptsignals=N
//               asyncpreempts=N
//   schedstats: M<id> g0 stack=<bytes> used=<bytes>     (one line per live M, by id)
void schedstatsprint() {
  print("schedstats: newm=", __atomic_load_n(&schedstats.newm, __ATOMIC_RELAXED),
        " goroutines=", __atomic_load_n(&schedstats.goroutines, __ATOMIC_RELAXED),
        " fairness=", __atomic_load_n(&schedstats.fairness, __ATOMIC_RELAXED),
        " runnext=", __atomic_load_n(&schedstats.runnext, __ATOMIC_RELAXED),
        " steals=", __atomic_load_n(&schedstats.steals, __ATOMIC_RELAXED),
        " stolen=", __atomic_load_n(&schedstats.stolen, __ATOMIC_RELAXED),
        " preemptsignals=", __atomic_load_n(&schedstats.preemptsignals, __ATOMIC_RELAXED),
        " asyncpreempts=", __atomic_load_n(&schedstats.asyncpreempts, __ATOMIC_RELAXED), "\n");
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
