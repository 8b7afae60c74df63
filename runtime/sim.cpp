// Deterministic simulation: the real scheduler run one M at a time, on a virtual clock
// (docs/scheduler-experiments.md, "Deterministic simulation"). No Go counterpart.
//
// A program built with `toyc build --simulate` defines the symbol runtime.simulateBuild and
// counts fuel (runtime.simfuel) at every function entry and loop back edge. Its runtime then
// runs under a baton: Ms are still real threads made by newosproc, but exactly one of them,
// the holder, runs toy or runtime code at any moment; every other M waits on its own futex
// word in simthread. All the state below belongs to the holder, so it needs no lock: the
// futex system calls that pass the baton order every memory access of one holder before the
// next one's.
//
// The baton changes hands
//   - when the holder parks: futexsleep (the notes and mutexes of lock_futex.cpp, timerSleep)
//     and usleep record what it waits for and pass the baton; futexwakeup marks the Ms parked
//     on a word runnable again;
//   - when it spins: osyield and procyield pass the baton to any runnable M (itself included);
//   - at the scheduler's points (schedule, gopark, goready, newproc) and when fuel runs out,
//     only if the holder holds no runtime lock (m.locks == 0).
// Which runnable M gets it is drawn from the seed (GODEBUG=schedsim=SEED), and so is the size
// of each fuel ration. With GODEBUG=schedpct=D the choice follows PCT instead (below). Nothing
// else the runtime does depends on the machine: the clock is virtual, the CPU count is
// GODEBUG=simcpus, the kernel's random bytes are replaced by the seed's, and async preemption
// (a signal) is off. The same binary with the same seed and input
// therefore makes the same choices, and prints the same output and the same event trace.
//
// The virtual clock advances by one nanosecond per unit of fuel spent (by all Ms together, as
// on one CPU) and a little per spin; when no M is runnable it jumps to the earliest deadline
// of a timed park (notetsleep, usleep, timerSleep), so sysmon, retake's time slice, timers and
// time.Sleep all run on it and an hour's sleep takes no real time. When no M is runnable and
// none has a deadline the simulation itself is stuck: it says so with the seed and stops.
//
// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte: "A Randomized Scheduler with Probabilistic
// Guarantees of Finding Bugs", ASPLOS 2010), GODEBUG=schedpct=D,schedpctsteps=K: every M gets a
// random priority when it is made, all of them above D; at each pick the baton goes to the
// runnable M of highest priority; and at D-1 steps (picks) drawn from 1..K before the run starts,
// the holder's priority drops to 1..D-1, below every M's first one. The priorities are the Ms':
// the goroutines an M runs are the scheduler's choice (proc.cpp), so the threads PCT orders are
// the simulated CPUs (an M with a P) and sysmon. Past step K the choice is the random one again:
// a strict priority order starves a lower M forever when a higher one spins waiting for it.
// Every draw comes from the seed, so seed, D and K repeat a run.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

bool simulating;

// Fuel left before runtime.simfuelout is called; toy code decrements it. Large until the
// simulation starts, so that nothing runs out early.
extern "C" int64_t simfuel GOSYM("simfuel");
int64_t simfuel = int64_t(1) << 62;

namespace {
constexpr int32_t _FUTEX_PRIVATE_FLAG = 128;
constexpr int32_t _FUTEX_WAIT_PRIVATE = 0 | _FUTEX_PRIVATE_FLAG;
constexpr int32_t _FUTEX_WAKE_PRIVATE = 1 | _FUTEX_PRIVATE_FLAG;

// The most Ms a simulation can have: sched.maxmcount.
constexpr int32_t simMaxM = 10000;
// A fuel ration is drawn from [1, 2*simMeanRation].
constexpr int64_t simMeanRation = 1000;
// Virtual monotonic time at start (nonzero: sched.lastpoll == 0 means "an M waits for timers"),
// and the wall clock then: 2000-01-01 00:00:00 UTC.
constexpr int64_t simStartNS = 1000000000;
constexpr int64_t simWallStartNS = 946684800 * int64_t(1000000000);

enum simState : uint8_t { simUnused = 0, simRunnable, simParked, simDead };

// One M's part in the simulation, indexed by m.id.
struct simthread {
  uint32_t baton; // 1 while this M holds the baton or may take it; its thread waits on it
  simState state;
  uint32_t *addr;   // the futex word it is parked on; null for usleep
  int64_t deadline; // the virtual time it wakes at when parked with a timeout, else -1
  uint64_t prio;    // under PCT: its priority (higher runs first)
};

// The most change points PCT takes (schedpct's largest depth is one more).
constexpr int32_t pctMaxChanges = 99;

simthread simt[simMaxM];
int32_t simnm;     // ids below this have been seen
int32_t simholder; // the M holding the baton
int64_t vclock;    // virtual nanotime, up to the start of the current fuel ration
int64_t simration; // the fuel given at the last refill
uint64_t simrng;   // splitmix64 state
uint64_t simseed;
int32_t pctdepth;                 // schedpct's D; 0 under the random strategy
int64_t pctsteps;                 // schedpctsteps's K: the steps the change points are drawn from
int64_t simsteps;                 // picks so far
int64_t pctchange[pctMaxChanges]; // the step of change point i, which sets priority i+1

uint64_t simrand() {
  uint64_t z = (simrng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// fold adds the fuel spent so far in this ration to vclock.
void fold() {
  vclock += simration - simfuel;
  simration = simfuel;
}

// pctprio draws the priority of a new M under PCT: above every change point's (1..D-1), and
// from 2^62 values, so that its rank among the Ms' priorities is uniformly random.
uint64_t pctprio() { return (uint64_t(1) << 62) | (simrand() >> 2); }

void refill() {
  fold();
  simfuel = simration = 1 + int64_t(simrand() % (2 * simMeanRation));
}

int32_t myid() { return int32_t(getg()->m->id); }

// simstuck reports a simulation in which no M can ever run again.
[[noreturn]] void simstuck() {
  print("schedsim: every thread is parked with no deadline\n");
  simreport();
  exit(2);
}

// pick chooses the next holder among the runnable Ms, from the seed (under PCT: the one of
// highest priority). Parked Ms whose deadline has passed become runnable first; if none is
// runnable, the clock jumps to the earliest deadline.
int32_t pick() {
  fold();
  simsteps++;
  bool pct = pctdepth > 0 && simsteps <= pctsteps;
  if (pct)
    for (int32_t i = 0; i < pctdepth - 1; i++)
      if (pctchange[i] == simsteps)
        simt[simholder].prio = uint64_t(i + 1);
  int32_t n = 0;
  int64_t earliest = -1;
  for (int32_t i = 0; i < simnm; i++) {
    simthread &t = simt[i];
    if (t.state == simParked && t.deadline >= 0 && t.deadline <= vclock) {
      t.state = simRunnable;
      t.addr = nullptr;
    }
    if (t.state == simRunnable)
      n++;
    else if (t.state == simParked && t.deadline >= 0 && (earliest < 0 || t.deadline < earliest))
      earliest = t.deadline;
  }
  if (n == 0) {
    if (earliest < 0)
      simstuck();
    vclock = earliest;
    for (int32_t i = 0; i < simnm; i++) {
      simthread &t = simt[i];
      if (t.state == simParked && t.deadline == earliest) {
        t.state = simRunnable;
        t.addr = nullptr;
        n++;
      }
    }
  }
  if (pct) {
    int32_t best = -1;
    for (int32_t i = 0; i < simnm; i++)
      if (simt[i].state == simRunnable && (best < 0 || simt[i].prio > simt[best].prio))
        best = i;
    return best;
  }
  int32_t k = int32_t(simrand() % uint64_t(n));
  for (int32_t i = 0; i < simnm; i++)
    if (simt[i].state == simRunnable && k-- == 0)
      return i;
  throw_("schedsim: pick found no runnable M");
}

void batonwait(int32_t id) {
  while (atomic::Load(&simt[id].baton) == 0)
    futex(&simt[id].baton, _FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

void batongive(int32_t next) {
  simholder = next;
  atomic::Store(&simt[next].baton, 1u);
  futex(&simt[next].baton, _FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// switchto passes the baton from the calling M to next and waits until it comes back.
void switchto(int32_t next) {
  int32_t me = simholder;
  if (next == me)
    return;
  atomic::Store(&simt[me].baton, 0u);
  batongive(next);
  batonwait(me);
}

// simmstart is a new M's first function under simulation: it waits for the baton, then
// enters mstart as the thread would have.
[[noreturn]] void simmstart() {
  batonwait(myid());
  mstart();
}
} // namespace

// siminit starts the simulation on m0, from parsedebugvars, before any other M exists: the
// random strategy when depth is 0, else PCT of that depth with change points among the first
// steps picks.
void siminit(uint64_t seed, int32_t depth, int64_t steps) {
  simulating = true;
  simseed = seed;
  simrng = seed;
  vclock = simStartNS;
  simnm = 1;
  simholder = 0;
  simt[0] = simthread{1, simRunnable, nullptr, -1, 0};
  pctdepth = depth;
  pctsteps = steps;
  if (depth > 0) {
    if (depth - 1 > pctMaxChanges || depth - 1 > steps)
      throw_("schedsim: more PCT change points than steps");
    simt[0].prio = pctprio();
    for (int32_t i = 0; i < depth - 1; i++) {
      bool again;
      do { // distinct steps
        pctchange[i] = 1 + int64_t(simrand() % uint64_t(steps));
        again = false;
        for (int32_t j = 0; j < i; j++)
          again = again || pctchange[j] == pctchange[i];
      } while (again);
    }
  }
  simration = simfuel; // none spent yet
  refill();
}

uint64_t simrandom() { return simrand(); }

int64_t simnanotime() { return vclock + (simration - simfuel); }

// simcputicks is the trace's time-stamp counter under simulation: the virtual clock, but one
// nanosecond later than the previous reading at least, so that events that happen at the same
// virtual time (runtime code spends no fuel) keep their order in the trace.
int64_t simcputicks() {
  static int64_t last;
  int64_t now = simnanotime();
  last = now > last ? now : last + 1;
  return last;
}

int64_t simwalltime() { return simWallStartNS + simnanotime() - simStartNS; }

void simfutexsleep(uint32_t *addr, uint32_t val, int64_t ns) {
  if (atomic::Load(addr) != val)
    return;
  int32_t me = simholder;
  fold();
  simt[me].state = simParked;
  simt[me].addr = addr;
  simt[me].deadline = ns < 0 ? -1 : vclock + ns;
  switchto(pick());
}

void simfutexwakeup(uint32_t *addr, uint32_t cnt) {
  for (int32_t i = 0; i < simnm && cnt > 0; i++) {
    simthread &t = simt[i];
    if (t.state == simParked && t.addr == addr) {
      t.state = simRunnable;
      t.addr = nullptr;
      cnt--;
    }
  }
}

void simusleep(uint32_t usec) {
  int32_t me = simholder;
  fold();
  simt[me].state = simParked;
  simt[me].addr = nullptr;
  simt[me].deadline = vclock + int64_t(usec) * 1000;
  switchto(pick());
}

void simspin(int64_t ns) {
  fold();
  vclock += ns;
  switchto(pick());
}

void simschedpoint() {
  if (getg()->m->locks == 0)
    switchto(pick());
}

extern "C" void morestack_noctxt() GOSYM("morestack_noctxt");

// simfuelout is called by toy code when runtime.simfuel drops below zero: the ration is added
// to the clock, a new one drawn, and the baton may change hands. A goroutine asked to stop
// (stackguard0 == stackPreempt) is preempted here as at a function entry.
// Differs from Go: async preemption (a signal) is off under simulation; running out of fuel
// at a loop's back edge stands in for it, so a loop without calls is still preempted, and at
// the same iteration in every run.
extern "C" void simfuelout() GOSYM("simfuelout");
void simfuelout() {
  if (!simulating) {
    simfuel = int64_t(1) << 62;
    return;
  }
  refill();
  simschedpoint();
  g *gp = getg();
  if (gp != gp->m->g0 && gp != gp->m->gsignal &&
      __atomic_load_n(&gp->stackguard0, __ATOMIC_RELAXED) == stackPreempt)
    morestack_noctxt();
}

// simnewosproc makes mp runnable and returns the function its thread starts in.
void (*simnewosproc(m *mp))() {
  int64_t id = mp->id;
  if (id != simnm || id >= simMaxM)
    throw_("schedsim: Ms made out of order");
  simt[id] = simthread{0, simRunnable, nullptr, -1, pctdepth > 0 ? pctprio() : 0};
  simnm++;
  return simmstart;
}

// simexit ends the calling M's thread as exitThread does, passing the baton on the way out:
// exitThreadBaton clears *freeWait before it hands the baton over and touches no stack after,
// so the next M (allocm reaping sched.freem) always finds this m's stack free to reuse, and
// whether an m is reaped does not depend on how fast its thread exits.
void simexit(uint32_t *freeWait) {
  int32_t me = simholder;
  simt[me].state = simDead;
  simt[me].baton = 0;
  int32_t next = pick();
  simholder = next;
  exitThreadBaton(freeWait, &simt[next].baton);
}

// simstepcount is the number of baton choices (picks) so far: the steps of PCT's schedpctsteps.
int64_t simstepcount() { return simsteps; }

// simreport prints the seed and the virtual time, after a fatal error's report.
void simreport() {
  if (!simulating)
    return;
  print("schedsim: seed=", simseed);
  if (pctdepth > 0)
    print(" pct=", pctdepth, " steps=", pctsteps);
  print(" time=", simnanotime() - simStartNS, "ns\n");
}

} // namespace runtime
