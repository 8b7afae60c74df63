// The scheduler (Go: runtime/proc.go).
//
// Goroutine scheduler
// The scheduler's job is to distribute ready-to-run goroutines over worker threads.
//
// The main concepts are:
// G - goroutine.
// M - worker thread, or machine.
// P - processor, a resource that is required to execute Go code.
//     M must have an associated P to execute Go code, however it can be
//     blocked or in a syscall w/o an associated P.
//
// Each P has a local run queue of 256 Gs plus runnext, a one-slot fast path for the G that
// the running G just readied; a global run queue under sched.lock takes the overflow
// (runqputslow) and Gs that yielded (Gosched). findRunnable looks at the global queue once
// every 61 schedticks so that two Gs handing off through runnext cannot starve it.
//
// Worker thread parking/unparking.
// We need to balance between keeping enough running worker threads to utilize available
// hardware parallelism and parking excessive running worker threads to conserve CPU
// resources and power. Go's design, kept here, is:
// 1. Centralised state: sched.nmspinning counts Ms that hold a P, have no work and are looking
//    for some (spinning: local queue, global queue, stealing from the other Ps).
// 2. An M is unparked (wakep -> startm) only if there is an idle P and no M is spinning. The
//    first spinning M that finds work (resetspinning) unparks the next one, so a burst of new
//    goroutines recruits Ms one at a time instead of waking them all.
// 3. A spinning M that finds nothing drops its P, then decrements nmspinning, then looks at
//    every P's run queue once more (with a StoreLoad barrier in between: the seq_cst Xadd):
//    whoever submits work does so before it checks nmspinning, so either the submitter sees no
//    spinner and wakes an M, or the last spinner sees the work.
// Ms without a P: sysmon and the template thread (counted in sched.nmsys, not for checkdead),
// Ms parked in stopm on sched.midle, and Ms locked to a goroutine that is not running
// (stoplockedm, counted in sched.nmidlelocked). checkdead reports a deadlock when every M is in
// one of those states.
//
// The 61-tick check sits at the top of findRunnable, as in Go 1.19 (the 1.12-1.14 sources
// have it in schedule).
// Differs from Go: no netpoll, GC or system calls yet; what Go does for them is left out, and
// each place says so. An M that Go would block in netpoll until the next timer sleeps on a
// futex instead (time.cpp).

#include "alg.h"
#include "atomic.h"
#include "stubs.h"
// After stubs.h, which declares the usleep and schedstats that runq.h uses.
#include "trace.h"
#include "runq.h"
#include "timeheap.h"

extern "C" void main_main() __asm__("main.main"); // the program's main.main

// initTask is the compiler's record of a package's init work (Go: proc.go initTask):
// nfns init functions, after the tasks of the ndeps packages it imports.
struct initTask {
  uintptr_t state; // 0 = uninitialized, 1 = in progress, 2 = done
  uintptr_t ndeps;
  uintptr_t nfns;
  // followed by ndeps instances of an *initTask, one per package depended on,
  // followed by nfns pcs, one per init function to run
};
extern "C" initTask main_inittask __asm__("main..inittask");

// doInit runs t's init functions once (Go: proc.go doInit, without init tracing).
static void doInit(initTask *t) {
  switch (t->state) {
  case 2: // fully initialized
    return;
  case 1: // initialization in progress
    runtime::throw_("recursive call during initialization - linker skew");
  default:
    t->state = 1;
    auto *deps = reinterpret_cast<initTask **>(t + 1);
    for (uintptr_t i = 0; i < t->ndeps; i++)
      doInit(deps[i]);
    auto *fns = reinterpret_cast<void (**)()>(deps + t->ndeps);
    for (uintptr_t i = 0; i < t->nfns; i++)
      fns[i]();
    t->state = 2;
  }
}

namespace runtime {

m m0;
g g0;
m *allm;
slice<p *> allp;
int32_t gomaxprocs;
int32_t ncpu;
schedt sched;
int32_t newprocs;
bool mainStarted; // set by runtime.main once the main goroutine runs
mutex allglock;
slice<g *> allgs;
mutex allpLock;
static int64_t runtimeInitTime;

// initSigmask is the signal mask m0 started with; new Ms start with it (Go: signal_unix.go).
static uint64_t initSigmask;

// idlepMask is a bitmap of Ps in the _Pidle list, one bit per P. Reads and writes must be
// atomic. Length may change at safe points. Each P must update only its own bit. In order to
// maintain consistency, a P going idle must update the idle mask simultaneously with updates to the
// idle P list under the sched.lock, otherwise a racing pidleget may clear the mask before
// pidleput sets the mask, corrupting the bitmap.
// Differs from Go: pMask is a slice of uint32 there; here a pointer and a word count.
struct pMask {
  uint32_t *words;
  int64_t len;
  // read returns true if P id's bit is set.
  bool read(uint32_t id) const {
    uint32_t word = id / 32, mask = uint32_t(1) << (id % 32);
    return (atomic::Load(&words[word]) & mask) != 0;
  }
  // set sets P id's bit.
  void set(int32_t id) {
    uint32_t word = uint32_t(id) / 32, mask = uint32_t(1) << (id % 32);
    __atomic_or_fetch(&words[word], mask, __ATOMIC_SEQ_CST);
  }
  // clear clears P id's bit.
  void clear(int32_t id) {
    uint32_t word = uint32_t(id) / 32, mask = uint32_t(1) << (id % 32);
    __atomic_and_fetch(&words[word], ~mask, __ATOMIC_SEQ_CST);
  }
};
static pMask idlepMask;

// timerpMask is a bitmap of Ps that may have a timer, one bit per P. Reads and writes must be
// atomic. Length may change at safe points.
static pMask timerpMask;

// randomOrder/randomEnum are helper types for randomized work stealing. They allow to
// enumerate all Ps in different pseudo-random orders without repetitions. The algorithm is
// based on the fact that if we have X such that X and GOMAXPROCS are coprime, then a sequences
// of (i + X) % GOMAXPROCS gives the required enumeration.
struct randomEnum {
  uint32_t i;
  uint32_t count;
  uint32_t pos;
  uint32_t inc;
  bool done() const { return i == count; }
  void next() {
    i++;
    pos = (pos + inc) % count;
  }
  uint32_t position() const { return pos; }
};

struct randomOrder {
  uint32_t count;
  uint32_t *coprimes; // Differs from Go: a slice there
  uint32_t ncoprimes;

  static uint32_t gcd(uint32_t a, uint32_t b) {
    while (b != 0) {
      uint32_t t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
  void reset(uint32_t n) {
    count = n;
    // Differs from Go: no GC, the old array is abandoned (this runs only in procresize).
    coprimes = static_cast<uint32_t *>(mallocgc(n * sizeof(uint32_t), nullptr, true));
    ncoprimes = 0;
    for (uint32_t i = 1; i <= n; i++)
      if (gcd(i, n) == 1)
        coprimes[ncoprimes++] = i;
  }
  randomEnum start(uint32_t i) const {
    return randomEnum{0, count, i % count, coprimes[i / count % ncoprimes]};
  }
};
static randomOrder stealOrder;

// newmHandoff contains a list of m structures that need new OS threads. This is used by newm in
// situations where newm itself can't safely start an OS thread.
static struct {
  mutex lock;
  // newm points to a list of M structures that need new OS threads. The list is linked
  // through m.schedlink.
  m *newm;
  // waiting indicates that wake needs to be notified when an m is put on the list.
  bool waiting;
  note wake;
  // haveTemplateThread indicates that the templateThread has been started. This is not
  // protected by lock. Use cas to set to 1.
  uint32_t haveTemplateThread;
} newmHandoff;

// Number of goroutine ids to grab from sched.goidgen to local per-P cache at once.
// 16 seems to provide enough amortization, but other than that it's mostly arbitrary number.
constexpr uint64_t _GoidCacheBatch = 16;

[[noreturn]] static void schedule();
[[noreturn]] static void execute(g *gp, bool inheritTime);
static p *procresize(int32_t nprocs);
static void acquirep(p *_p_);
[[noreturn]] static void mexit(bool osStack);
static void handoffp(p *_p_);
static void startm(p *_p_, bool spinning);
static p *releasep();
static void stopm();
static void mPark();
static void checkdead();
static void incidlelocked(int32_t v);
static void sysmon();
static void templateThread();
static void newm(void (*fn)(), p *_p_, int64_t id);
static void newm1(m *mp);

// ---- small helpers ----

m *acquirem() {
  g *_g_ = getg();
  _g_->m->locks++;
  return _g_->m;
}

void releasem(m *mp) {
  g *_g_ = getg();
  mp->locks--;
  if (mp->locks == 0 && _g_->preempt) {
    // restore the preemption request in case we've cleared it in newstack
    _g_->stackguard0 = stackPreempt;
  }
}

// fastrand is Go 1.19's wyrand on the M's state.
uint32_t fastrand() {
  m *mp = getg()->m;
  mp->fastrand += 0xa0761d6478bd642full;
  __uint128_t x = static_cast<__uint128_t>(mp->fastrand) * (mp->fastrand ^ 0xe7037ed1a0b428dbull);
  return static_cast<uint32_t>(static_cast<uint64_t>(x >> 64) ^ static_cast<uint64_t>(x));
}

// fastrandinit sets mp's fastrand state from its id and GODEBUG=schedseed, so that a seed fixes
// every M's random choices (steal order, select's poll order, the semaphore treap).
// Differs from Go: Go hashes the id and cputicks with memhash64, keyed by the kernel's random
// bytes (AT_RANDOM); toy multiplies the id by 2^32/phi and adds the seed, spread by one round
// of wyrand's multiply-xor. Before parsedebugvars (m0 only) the seed is still 0; schedinit
// then calls this again.
static void fastrandinit(m *mp) {
  uint64_t s = debug.schedseed + static_cast<uint32_t>(mp->id) * 0x9e3779b9ull;
  __uint128_t x = static_cast<__uint128_t>(s ^ 0xa0761d6478bd642full) * 0xe7037ed1a0b428dbull;
  mp->fastrand = static_cast<uint64_t>(x >> 64) ^ static_cast<uint64_t>(x);
  if (mp->fastrand == 0)
    mp->fastrand = 0x49f6428a;
}

static void allgadd(g *gp) {
  if (readgstatus(gp) == _Gidle)
    throw_("allgadd: bad status Gidle");
  lock(&allglock);
  if (allgs.len == allgs.cap) {
    int64_t ncap = allgs.cap < 64 ? 64 : 2 * allgs.cap;
    // Differs from Go: no GC, so the old array is simply abandoned.
    auto *a = static_cast<g **>(mallocgc(uintptr_t(ncap) * sizeof(g *), nullptr, true));
    memmove(a, allgs.array, allgs.len * sizeof(g *));
    atomic::Store(&allgs.array, a);
    allgs.cap = ncap;
  }
  allgs.array[allgs.len] = gp;
  atomic::Store(&allgs.len, allgs.len + 1);
  unlock(&allglock);
}

// casgstatus moves gp from oldval to newval.
// Differs from Go: there are no _Gscan states (no GC), so if the CAS fails nothing will ever
// make it succeed: it is a runtime bug.
void casgstatus(g *gp, uint32_t oldval, uint32_t newval) {
  if (oldval == newval) {
    print("runtime: casgstatus: oldval=", hex{oldval}, " newval=", hex{newval}, "\n");
    throw_("casgstatus: bad incoming values");
  }
  if (!atomic::Cas(&gp->atomicstatus, oldval, newval)) {
    print("runtime: casgstatus ", hex{oldval}, "->", hex{newval},
          " gp.status=", hex{readgstatus(gp)}, "\n");
    throw_("casgstatus: bad incoming values");
  }
  traceGoStatus(gp, oldval, newval);
}

// ---- Ms ----

int32_t mcount() { return static_cast<int32_t>(sched.mnext - sched.nmfreed); }

static void checkmcount() {
  // sched.lock must be held.
  if (mcount() > sched.maxmcount) {
    print("runtime: program exceeds ", sched.maxmcount, "-thread limit\n");
    throw_("thread exhaustion");
  }
}

// mReserveID returns the next ID to use for a new m. This new m is immediately considered
// 'running' by checkdead. sched.lock must be held.
static int64_t mReserveID() {
  if (sched.mnext + 1 < sched.mnext)
    throw_("runtime: thread ID overflow");
  int64_t id = sched.mnext;
  sched.mnext++;
  checkmcount();
  return id;
}

// mcommoninit gives mp an id, its gsignal stack (mpreinit) and links it onto allm.
// Pre-allocated ID may be passed as 'id', or omitted by passing -1.
static void mcommoninit(m *mp, int64_t id) {
  lock(&sched.lock);
  if (id >= 0)
    mp->id = id;
  else
    mp->id = mReserveID();

  fastrandinit(mp);

  mpreinit(mp);
  if (mp->gsignal != nullptr)
    mp->gsignal->stackguard1 = mp->gsignal->stack.lo + _StackGuard;

  // Add to allm so garbage collector doesn't free g->m when it is just in a register or
  // thread-local storage.
  mp->alllink = allm;
  atomic::Store(&allm, mp);
  unlock(&sched.lock);
}

// The g0 stack of every M but m0 (Go: 8192 * sys.StackGuardMultiplier in allocm).
constexpr uintptr_t g0StackSize = 8192;

// allocm allocates a new m unassociated with any thread. Can use p for allocation context if
// needed. fn is recorded as the new m's m.mstartfn. id is optional pre-allocated m ID. Omit by
// passing -1.
// Differs from Go: no allocmLock (it orders allocm against doAllThreadsSyscall, which toy does
// not have), and the m itself is never freed (no GC): only its stacks are.
static m *allocm(p *_p_, void (*fn)(), int64_t id) {
  // The caller owns _p_, but we may borrow (i.e., acquirep) it. We must disable preemption to
  // ensure it is not stolen, which would make the caller lose ownership.
  acquirem();

  g *_g_ = getg();
  if (_g_->m->p == nullptr)
    acquirep(_p_); // temporarily borrow p for mallocs in this function

  // Release the free M list. We need to do this somewhere and this may free up a stack we can
  // use.
  if (sched.freem != nullptr) {
    lock(&sched.lock);
    m *newList = nullptr;
    for (m *freem = sched.freem; freem != nullptr;) {
      uint32_t wait = atomic::Load(&freem->freeWait);
      if (wait == freeMWait) {
        m *next = freem->freelink;
        freem->freelink = newList;
        newList = freem;
        freem = next;
        continue;
      }
      // Free the stack if needed. For freeMRef, there is nothing to do except drop freem from
      // the sched.freem list.
      // Differs from Go: stackfree needs no system stack (no per-P stack caches).
      if (wait == freeMStack)
        stackfree(freem->g0->stack);
      freem = freem->freelink;
    }
    sched.freem = newList;
    unlock(&sched.lock);
  }

  m *mp = gonew<m>();
  mp->mstartfn = fn;
  mcommoninit(mp, id);

  mp->g0 = malg(g0StackSize);
  mp->g0->m = mp;
  // Differs from Go: toy fills the g0 stack with a pattern so GODEBUG=schedstats=1 can report
  // how deep it was ever used (debug.cpp).
  g0paint(mp->g0->stack.lo, mp->g0->stack.hi);

  if (_p_ == _g_->m->p)
    releasep();

  releasem(_g_->m);
  return mp;
}

// newm creates a new m. It will start off with a call to fn, or else the scheduler. fn needs
// to be static and not a heap allocated closure. May run with m.p==nil, so write barriers are
// not allowed. id is optional pre-allocated m ID. Omit by passing -1.
static void newm(void (*fn)(), p *_p_, int64_t id) {
  // allocm adds a new M to allm, but they do not start until created by the OS in newm1 or the
  // template thread. Disable preemption here until we start the thread to ensure that newm is
  // not preempted between allocm and starting the new thread, ensuring that anything added to
  // allm is guaranteed to eventually start.
  acquirem();

  m *mp = allocm(_p_, fn, id);
  mp->nextp = _p_;
  mp->sigmask = initSigmask;
  atomic::Xadd(&schedstats.newm, 1);
  if (g *gp = getg(); gp != nullptr && gp->m != nullptr && gp->m->lockedExt != 0) {
    // We're on a locked M. The kernel state of this thread may be strange (the user may have
    // locked it for that purpose). We don't want to clone that into another thread. Instead,
    // ask a known-good thread to create the thread for us.
    lock(&newmHandoff.lock);
    if (newmHandoff.haveTemplateThread == 0)
      throw_("on a locked thread with no template thread");
    mp->schedlink = newmHandoff.newm;
    newmHandoff.newm = mp;
    if (newmHandoff.waiting) {
      newmHandoff.waiting = false;
      notewakeup(&newmHandoff.wake);
    }
    unlock(&newmHandoff.lock);
    // The M has not started yet, but the template thread does not participate in STW, so it
    // will always process queued Ms and it is safe to releasem.
    releasem(getg()->m);
    return;
  }
  newm1(mp);
  releasem(getg()->m);
}

// newm1 starts mp's OS thread.
// Differs from Go: no cgo, and no execLock (toy has no exec).
static void newm1(m *mp) {
  traceNewM(mp);
  newosproc(mp);
}

// startTemplateThread starts the template thread if it is not already running. The calling
// thread must itself be in a known-good state.
static void startTemplateThread() {
  // Disable preemption to guarantee that the template thread will be created before a park
  // once haveTemplateThread is set.
  m *mp = acquirem();
  if (!atomic::Cas(&newmHandoff.haveTemplateThread, 0u, 1u)) {
    releasem(mp);
    return;
  }
  newm(templateThread, nullptr, -1);
  releasem(mp);
}

// templateThread is a thread in a known-good state that exists solely to start new threads in
// known-good states when the calling thread may not be in a good state. Many programs never
// need this, so templateThread is started lazily when we first enter a state that might lead
// to running on a thread in an unknown state. templateThread runs on an M without a P.
static void templateThread() {
  lock(&sched.lock);
  sched.nmsys++;
  checkdead();
  unlock(&sched.lock);
  traceMState(traceMTemplate);

  for (;;) {
    lock(&newmHandoff.lock);
    while (newmHandoff.newm != nullptr) {
      m *newm = newmHandoff.newm;
      newmHandoff.newm = nullptr;
      unlock(&newmHandoff.lock);
      while (newm != nullptr) {
        m *next = newm->schedlink;
        newm->schedlink = nullptr;
        newm1(newm);
        newm = next;
      }
      lock(&newmHandoff.lock);
    }
    newmHandoff.waiting = true;
    noteclear(&newmHandoff.wake);
    unlock(&newmHandoff.lock);
    notesleep(&newmHandoff.wake);
  }
}

// ---- bootstrap ----

// schedinit: the bootstrap sequence is:
//
//	call osinit
//	call schedinit
//	make & queue new G
//	call runtime·mstart
//
// The new G calls runtime·main.
void schedinit() {
  g *_g_ = getg();
  sched.maxmcount = 10000;
  // Differs from Go: stackinit has nothing to do (zeroed globals); no cpuinit, modules or GC
  // to set up yet.
  mallocinit();
  alginit();
  mcommoninit(_g_->m, -1);
  // Differs from Go: m0's g0 is the OS stack; paint the part below this frame so that
  // GODEBUG=schedstats=1 can report m0's g0 high-water mark like the other Ms'. Under a small
  // stack limit (ulimit -s) the kernel does not grow the OS stack to the 64 KiB rt0_go gave
  // g0, so g0's bottom first moves up to what the limit allows (mstart0 sets the guards).
  if (uintptr_t lo = osStackLo(); lo > _g_->stack.lo)
    _g_->stack.lo = lo;
  g0paint(_g_->stack.lo, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) - 256);

  sigsave(&_g_->m->sigmask);
  initSigmask = _g_->m->sigmask;

  goargs();
  goenvs();
  parsedebugvars();
  if (debug.schedseeded)
    alginitseed(debug.schedseed);
  if (debug.aeshash == 0)
    usePortableHash();
  fastrandinit(_g_->m); // now with GODEBUG=schedseed's seed, or the one parsedebugvars chose
  traceinit();

  lock(&sched.lock);
  sched.lastpoll = nanotime();
  int32_t procs = ncpu;
  int32_t n;
  if (atoi32(gogetenv("GOMAXPROCS"), &n) && n > 0)
    procs = n;
  if (procresize(procs) != nullptr)
    throw_("unknown runnable goroutine during bootstrap");
  unlock(&sched.lock);
}

// The main goroutine.
// Differs from Go: no runtime or package init tasks (the compiler initialises package
// variables itself for now), no GC to enable.
void main() __asm__("runtime.main");
// forcegchelper is the goroutine sysmon wakes to force a periodic garbage collection (Go:
// proc.go, started by proc.go's init).
// Differs from Go: toy has no garbage collector, so nothing wakes it once it parks; it runs
// up to there so that the scheduler reaches main.main in Go's state (see mgc.cpp).
static struct {
  mutex lock;
  g *g;
  uint32_t idle;
} forcegc;

void forcegchelper(void *) {
  forcegc.g = getg();
  lock(&forcegc.lock);
  if (forcegc.idle != 0)
    throw_("forcegc: phase error");
  atomic::Store(&forcegc.idle, uint32_t(1));
  goparkunlock(&forcegc.lock, waitReasonForceGCIdle);
  throw_("forcegchelper: woken without a garbage collector");
}

void main() {
  g *gp = getg();
  mainStarted = true;

  // sysmon runs on its own M, without a P.
  systemstack([](void *) { newm(sysmon, nullptr, -1); }, nullptr);

  // Lock the main goroutine onto this, the main OS thread, during initialization. Most
  // programs won't care, but a few do require certain calls to be made by the main thread.
  // Those can arrange for main.main to run in the main thread by calling runtime.LockOSThread
  // during initialization to preserve the lock.
  lockOSThread();

  if (gp->m != &m0)
    throw_("runtime.main not on m0");
  runtimeInitTime = nanotime(); // must be before doInit for correct init tracing

  // doInit(&runtime_inittask): of the runtime's init functions, proc.go's starts
  // forcegchelper; the others set up GC and signal state toy does not have.
  newproc(forcegchelper, nullptr);

  gcenable();

  // Go: needUnlock and a deferred unlockOSThread, so that a panic in an init function
  // unlocks the thread as it unwinds (its traceback does not say "locked to thread").
  // Differs from Go: the deferred call is a _defer record of runtime.main's own, removed
  // once the init functions are done (Go's stays, doing nothing, until main returns).
  bool needUnlock = true;
  _defer unlockDefer{};
  unlockDefer.sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  unlockDefer.fn = [](void *needUnlock) {
    if (*static_cast<bool *>(needUnlock))
      unlockOSThread();
  };
  unlockDefer.arg = &needUnlock;
  unlockDefer.link = gp->_defer;
  gp->_defer = &unlockDefer;

  doInit(&main_inittask);
  if (gp->_defer != &unlockDefer)
    throw_("runtime.main: bad defer entry after init");
  gp->_defer = unlockDefer.link;
  needUnlock = false;
  unlockOSThread();

  main_main();

  // Make racy client program work: if panicking on another goroutine at the same time as
  // main returns, let the other goroutine finish printing the panic trace. Once it does, it
  // will exit.
  if (atomic::Load(&panicking) != 0)
    gopark(nullptr, nullptr, waitReasonPanicWait);

  // Differs from Go: toy's GODEBUG=schedstats=1 report (debug.cpp).
  if (debug.schedstats > 0)
    schedstatsprint();
  flushStdout();
  traceShutdown();
  exit(0);
}

// ---- mstart ----

// mstartm0 implements part of mstart1 that only runs on the m0.
// Differs from Go: no cgo, so no extra M for callbacks.
static void mstartm0() { initsig(false); }

// mstart1 records where g0's stack begins for mcall (the caller's sp/pc/bp: mstart0's frame),
// runs minit and enters the scheduler. noinline: its frame must be its own.
__attribute__((noinline)) static void mstart1() {
  g *_g_ = getg();
  if (_g_ != _g_->m->g0)
    throw_("bad runtime·mstart");

  // Set up m.g0.sched as a label returning to just after the mstart1 call in mstart0 above,
  // for use by goexit0 and mcall. We're never coming back to mstart1 after we call schedule,
  // so other calls can reuse the current frame. And goexit0 does a gogo that needs to return
  // from mstart1 and let mstart0 exit the thread.
  auto *fp = static_cast<uintptr_t *>(__builtin_frame_address(0));
  _g_->sched.g = _g_;
  _g_->sched.pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0)); // getcallerpc()
  _g_->sched.sp = reinterpret_cast<uintptr_t>(fp + 2);                      // getcallersp()
  _g_->sched.bp = fp[0]; // Differs from Go: mcall also restores the caller's frame pointer

  minit();

  // Install signal handlers; after minit so that minit can prepare the thread to be able to
  // handle the signals.
  if (_g_->m == &m0)
    mstartm0();

  if (void (*fn)() = _g_->m->mstartfn; fn != nullptr)
    fn();

  if (_g_->m != &m0) {
    acquirep(_g_->m->nextp);
    _g_->m->nextp = nullptr;
  }
  traceMResume(_g_->m);
  schedule();
}

// mstart0 is the Go entry-point for new Ms. This must not split the stack because we may
// not even have stack bounds set up yet. May run during STW (because it doesn't have a P yet),
// so write barriers are not allowed.
void mstart0() {
  g *_g_ = getg();
  // Differs from Go: volatile, so that it lives in the frame: goexit0 comes back here through
  // gogo(&g0.sched), which restores sp and bp but none of the callee-saved registers.
  volatile bool osStack = _g_->stack.lo == 0;
  if (osStack) {
    // Initialize stack bounds from system stack. Cgo may have left stack size in stack.hi.
    // minit may update the stack bounds.
    uintptr_t size = _g_->stack.hi;
    if (size == 0)
      size = 8192;
    _g_->stack.hi = reinterpret_cast<uintptr_t>(&size);
    _g_->stack.lo = _g_->stack.hi - size + 1024;
  }
  // Initialize stack guard so that we can start calling regular Go code.
  _g_->stackguard0 = _g_->stack.lo + _StackGuard;
  // This is the g0, so we can also call go:systemstack functions, which check stackguard1.
  _g_->stackguard1 = _g_->stackguard0;
  // Differs from Go: called through a volatile pointer. mstart1 ends in schedule(), so the
  // compiler would otherwise treat it as noreturn and drop the code below, where goexit0's
  // gogo(&g0.sched) lands for a thread whose locked goroutine exited.
  void (*volatile start1)() = mstart1;
  start1();

  // Exit this thread.
  mexit(osStack);
}

// mexit tears down and exits the current thread.
//
// Don't call this directly to exit the thread, since it must run at the top of the thread
// stack. Instead, use gogo(&_g_.m.g0.sched) to unwind the stack to the point that exits the
// thread. It is entered with m.p != nil. It will release the P before exiting.
static void mexit(bool osStack) {
  g *_g_ = getg();
  m *mp = _g_->m;

  if (mp == &m0) {
    // This is the main thread. Just wedge it.
    //
    // On Linux, exiting the main thread puts the process into a non-waitable zombie state.
    // We could try to clean up this M more before wedging it, but that complicates signal
    // handling.
    traceMState(traceMIdle);
    handoffp(releasep());
    lock(&sched.lock);
    sched.nmfreed++;
    checkdead();
    unlock(&sched.lock);
    traceMState(traceMParked);
    mPark();
    throw_("locked m0 woke up");
  }

  sigblock(true);
  unminit();

  // Free the gsignal stack.
  if (mp->gsignal != nullptr) {
    stackfree(mp->gsignal->stack);
    mp->gsignal = nullptr;
  }

  // Remove m from allm.
  lock(&sched.lock);
  for (m **pprev = &allm; *pprev != nullptr; pprev = &(*pprev)->alllink) {
    if (*pprev == mp) {
      *pprev = mp->alllink;
      goto found;
    }
  }
  throw_("m not found in allm");
found:
  // Delay reaping m until it's done with the stack.
  //
  // Put mp on the free list, though it will not be reaped while freeWait is freeMWait.
  //
  // Note that the free list must not be linked through alllink because some functions walk
  // allm without locking, so may be using alllink.
  atomic::Store(&mp->freeWait, uint32_t(freeMWait));
  mp->freelink = sched.freem;
  sched.freem = mp;
  unlock(&sched.lock);

  // Release the P.
  traceMState(traceMIdle);
  handoffp(releasep());

  // Invoke the deadlock detector. This must happen after handoffp because it may have
  // started a new M to take our P's work.
  lock(&sched.lock);
  sched.nmfreed++;
  checkdead();
  unlock(&sched.lock);

  if (osStack) {
    // No more uses of mp, so it is safe to drop the reference.
    atomic::Store(&mp->freeWait, uint32_t(freeMRef));
    // Return from mstart and let the system thread library free the g0 stack and terminate
    // the thread.
    // Differs from Go: toy starts no thread on an OS-allocated stack except m0.
    throw_("mexit: thread on an OS stack");
  }

  // mstart is the thread's entry point, so there's nothing to return to. Exit the thread
  // directly. exitThread will clear m.freeWait when it's done with the stack and the m can be
  // reaped.
  traceMState(traceMExit);
  if (simulating)
    simexit(&mp->freeWait); // the same, passing the baton at the last moment (sim.cpp)
  exitThread(&mp->freeWait);
}

// ---- goroutine creation ----

// malg allocates a new g, with a stack big enough for stacksize bytes (or none if < 0).
g *malg(intptr_t stacksize) {
  g *newg = gonew<g>();
  if (stacksize >= 0) {
    newg->stack = stackalloc(static_cast<uintptr_t>(stacksize));
    newg->stackguard0 = newg->stack.lo + _StackGuard;
    newg->stackguard1 = ~uintptr_t(0);
    // Differs from Go: no write to *stack.lo: it would commit the reservation's lowest page.
  }
  return newg;
}

// gfput puts on gfree list. If local list is too long, transfer a batch to the global list.
static void gfput(p *_p_, g *gp) {
  if (readgstatus(gp) != _Gdead)
    throw_("gfput: bad status (not Gdead)");

  uintptr_t stksize = gp->stack.hi - gp->stack.lo;
  if (stksize != _FixedStack) {
    // non-standard stack size - free it.
    stackfree(gp->stack);
    gp->stack.lo = 0;
    gp->stack.hi = 0;
    gp->stackguard0 = 0;
  }

  _p_->gFree.list.push(gp);
  _p_->gFree.n++;
  if (_p_->gFree.n >= 64) {
    int32_t inc = 0;
    gQueue stackQ{}, noStackQ{};
    while (_p_->gFree.n >= 32) {
      gp = _p_->gFree.list.pop();
      _p_->gFree.n--;
      if (gp->stack.lo == 0)
        noStackQ.push(gp);
      else
        stackQ.push(gp);
      inc++;
    }
    lock(&sched.gFree.lock);
    sched.gFree.noStack.pushAll(noStackQ);
    sched.gFree.stack.pushAll(stackQ);
    sched.gFree.n += inc;
    unlock(&sched.gFree.lock);
  }
}

// gfget gets from gfree list. If local list is empty, grab a batch from global list.
static g *gfget(p *_p_) {
retry:
  if (_p_->gFree.list.empty() && (!sched.gFree.stack.empty() || !sched.gFree.noStack.empty())) {
    lock(&sched.gFree.lock);
    // Move a batch of free Gs to the P.
    while (_p_->gFree.n < 32) {
      // Prefer Gs with stacks.
      g *gp = sched.gFree.stack.pop();
      if (gp == nullptr) {
        gp = sched.gFree.noStack.pop();
        if (gp == nullptr)
          break;
      }
      sched.gFree.n--;
      _p_->gFree.list.push(gp);
      _p_->gFree.n++;
    }
    unlock(&sched.gFree.lock);
    goto retry;
  }
  g *gp = _p_->gFree.list.pop();
  if (gp == nullptr)
    return nullptr;
  _p_->gFree.n--;
  if (gp->stack.lo == 0) {
    // Stack was deallocated in gfput. Allocate a new one.
    gp->stack = stackalloc(_FixedStack);
  }
  gp->stackguard0 = gp->stack.lo + _StackGuard;
  return gp;
}

// gfpurge purges all cached G's from gfree list to the global list.
static void gfpurge(p *_p_) {
  int32_t inc = 0;
  gQueue stackQ{}, noStackQ{};
  while (!_p_->gFree.list.empty()) {
    g *gp = _p_->gFree.list.pop();
    _p_->gFree.n--;
    if (gp->stack.lo == 0)
      noStackQ.push(gp);
    else
      stackQ.push(gp);
    inc++;
  }
  lock(&sched.gFree.lock);
  sched.gFree.noStack.pushAll(noStackQ);
  sched.gFree.stack.pushAll(stackQ);
  sched.gFree.n += inc;
  unlock(&sched.gFree.lock);
}

// newproc1 creates a new g in state _Grunnable, starting at fn(arg). callerpc is the address
// of the go statement that created this. The caller is responsible for adding the new g to
// the scheduler.
static g *newproc1(void (*fn)(void *), void *arg, g *callergp, uintptr_t callerpc) {
  g *_g_ = getg();
  if (fn == nullptr) {
    _g_->m->throwing = -1; // do not dump full stacks
    throw_("go of nil func value");
  }
  acquirem(); // disable preemption because it can be holding p in a local var

  p *_p_ = _g_->m->p;
  g *newg = gfget(_p_);
  if (newg == nullptr) {
    // Differs from Go: the first goroutine, created by rt0_go before runtime.main runs, is the
    // main goroutine and starts on a maxstacksize (10^9-byte) reservation, the others on
    // _FixedStack, instead of a 2 KiB stack (all grow by segments, stack.cpp).
    newg = malg(mainStarted ? _FixedStack : maxstacksize);
    casgstatus(newg, _Gidle, _Gdead);
    allgadd(newg); // publishes with a g->status of Gdead so GC scanner doesn't look at
                   // uninitialized stack.
  }
  if (newg->stack.hi == 0)
    throw_("newproc1: newg missing stack");
  if (readgstatus(newg) != _Gdead)
    throw_("newproc1: new g is not Gdead");

  // Extra space in case of reads slightly beyond frame (Go: 4*PtrSize + MinFrameSize);
  // keeps sp 16-byte aligned, as the C ABI needs at the call.
  constexpr uintptr_t totalSize = 4 * 8;
  uintptr_t sp = newg->stack.hi - totalSize;

  newg->sched = gobuf{};
  newg->sched.sp = sp;
  newg->stktopsp = sp;
  // +PCQuantum so that the previous instruction is in the same function.
  newg->sched.pc = reinterpret_cast<uintptr_t>(goexit) + 1;
  newg->sched.g = newg;
  // gostartcallfn: push the return address (goexit+1) and make fn the pc, as if goexit had
  // called fn. Differs from Go: fn's argument travels in sched.ctxt, which gogo hands over in
  // %rdi (Go passes its closure context in DX).
  sp -= 8;
  *reinterpret_cast<uintptr_t *>(sp) = newg->sched.pc;
  newg->sched.sp = sp;
  newg->sched.pc = reinterpret_cast<uintptr_t>(fn);
  newg->sched.ctxt = arg;

  newg->parkingOnChan = 0;
  newg->gopc = callerpc;
  newg->startpc = reinterpret_cast<uintptr_t>(fn);
  if (isSystemGoroutine(newg))
    atomic::Xadd(&sched.ngsys, 1);
  newg->waitreason = waitReasonZero;
  newg->lockedm = nullptr;
  (void)callergp;
  casgstatus(newg, _Gdead, _Grunnable);

  if (_p_->goidcache == _p_->goidcacheend) {
    // Sched.goidgen is the last allocated id, this batch must be [sched.goidgen+1,
    // sched.goidgen+GoidCacheBatch]. At startup sched.goidgen=0, so main goroutine receives
    // goid=1.
    _p_->goidcache = atomic::Xadd(&sched.goidgen, _GoidCacheBatch);
    _p_->goidcache -= _GoidCacheBatch - 1;
    _p_->goidcacheend = _p_->goidcache + _GoidCacheBatch;
  }
  newg->goid = static_cast<int64_t>(_p_->goidcache);
  _p_->goidcache++;
  if (!isSystemGoroutine(newg)) // user goroutines, as NumGoroutine counts them
    __atomic_add_fetch(&schedstats.goroutines, 1, __ATOMIC_RELAXED); // a statistic: no ordering
  traceGoCreate(newg);
  releasem(_g_->m);
  return newg;
}

// newproc creates a new g running fn(arg) and puts it on the queue of gs waiting to run.
// The compiler turns go statements into calls to this.
// Differs from Go: fn is a C function plus one argument (the compiler packs a closure's
// captured variables behind arg) instead of a *funcval. Never inlined: its return address is
// the go statement's pc (gopc; the runtime's own callers, runtime.main and gcenable, would
// otherwise hand it their caller's).
__attribute__((noinline)) void newproc(void (*fn)(void *), void *arg) {
  schedpoint();
  struct args {
    void (*fn)(void *);
    void *arg;
    g *gp;
    uintptr_t pc;
  } a{fn, arg, getg(), reinterpret_cast<uintptr_t>(__builtin_return_address(0))};
  systemstack(
      [](void *v) {
        auto *a = static_cast<args *>(v);
        g *newg = newproc1(a->fn, a->arg, a->gp, a->pc);
        p *_p_ = getg()->m->p;
        runqput(_p_, newg, true);
        if (mainStarted)
          wakep();
      },
      &a);
}

// ---- goroutine exit ----

// dropg removes the association between m and the current goroutine m->curg (gp for short).
static void dropg() {
  g *_g_ = getg();
  _g_->m->curg->m = nullptr;
  _g_->m->curg = nullptr;
}

// goexit continuation on g0.
static void goexit0(g *gp) {
  g *_g_ = getg();
  p *_p_ = _g_->m->p;

  casgstatus(gp, _Grunning, _Gdead);
  if (isSystemGoroutine(gp))
    atomic::Xadd(&sched.ngsys, -1);
  gp->m = nullptr;
  bool locked = gp->lockedm != nullptr;
  gp->lockedm = nullptr;
  _g_->m->lockedg = nullptr;
  gp->preemptStop = false;
  gp->_defer = nullptr; // should be true already but just in case.
  gp->_panic = nullptr; // non-nil for Goexit during panic. points at stack-allocated data.
  gp->waitreason = waitReasonZero;
  gp->param = nullptr;

  dropg();

  if (_g_->m->lockedInt != 0) {
    print("invalid m->lockedInt = ", _g_->m->lockedInt, "\n");
    throw_("internal lockOSThread error");
  }
  stackSegmentsFree(gp); // Differs from Go: a goroutine's stack may have grown by segments
  gfput(_p_, gp);
  if (locked) {
    // The goroutine may have locked this thread because it put it in an unusual kernel
    // state. Kill it rather than returning it to the thread pool.
    // Return to mstart, which will release the P and exit the thread.
    gogo(&_g_->m->g0->sched);
  }
  schedule();
}

// Finishes execution of the current goroutine.
void goexit1() {
  mcall(goexit0);
  __builtin_unreachable(); // goexit0 schedules another g; this one is dead
}

// ---- run queues: runqput, runqget, runqgrab, runqsteal, globrunqget, ... are in runq.h ----

// ---- Ps and idle lists ----

// wirep is the first step of acquirep, which actually associates the current M to _p_.
static void wirep(p *_p_) {
  g *_g_ = getg();
  if (_g_->m->p != nullptr)
    throw_("wirep: already in go");
  if (_p_->m != nullptr || _p_->status != _Pidle) {
    int64_t id = 0;
    if (_p_->m != nullptr)
      id = _p_->m->id;
    print("wirep: p->m=", static_cast<const void *>(_p_->m), "(", id, ") p->status=", _p_->status,
          "\n");
    throw_("wirep: invalid p state");
  }
  _g_->m->p = _p_;
  _p_->m = _g_->m;
  _p_->status = _Prunning;
  traceProcStart(_p_);
}

// acquirep associates p and the current m.
static void acquirep(p *_p_) { wirep(_p_); }

// releasep disassociates p and the current m.
static p *releasep() {
  g *_g_ = getg();
  if (_g_->m->p == nullptr)
    throw_("releasep: invalid arg");
  p *_p_ = _g_->m->p;
  if (_p_->m != _g_->m || _p_->status != _Prunning) {
    print("releasep: m=", static_cast<const void *>(_g_->m),
          " m->p=", static_cast<const void *>(_g_->m->p),
          " p->m=", hex{reinterpret_cast<uintptr_t>(_p_->m)}, " p->status=", _p_->status, "\n");
    throw_("releasep: invalid p state");
  }
  traceProcStop(_p_);
  _g_->m->p = nullptr;
  _p_->m = nullptr;
  _p_->status = _Pidle;
  return _p_;
}

// updateTimerPMask clears pp's timer mask if it has no timers on its heap.
//
// Ideally, the timer mask would be kept immediately consistent on any timer operations.
// Unfortunately, updating a shared global data structure in the timer hot path adds too much
// overhead in applications frequently switching between no timers and some timers.
//
// As a compromise, the timer mask is updated only on pidleget / pidleput. A running P
// (returned by pidleget) may add a timer at any time, so its mask must be set. An idle P
// (passed to pidleput) cannot add new timers while idle, so if it has no timers at that time,
// its mask may be cleared.
//
// Thus, we get the following effects on timer-stealing in findRunnable:
//
//   - Idle Ps with no timers when they go idle are never checked in findRunnable (for work- or
//     timer-stealing; this is the ideal case).
//   - Running Ps must always be checked.
//   - Idle Ps whose timers are stolen must continue to be checked until they run again, even
//     after timer expiration.
//
// When the P starts running again, the mask should be set, as a timer may be added at any
// time.
static void updateTimerPMask(p *pp) {
  if (atomic::Load(&pp->numTimers) > 0)
    return;

  // Looks like there are no timers, however another P may transiently decrement numTimers
  // when handling a timerModified timer in checkTimers. We must take timersLock to serialize
  // with these changes.
  lock(&pp->timersLock);
  if (atomic::Load(&pp->numTimers) == 0)
    timerpMask.clear(pp->id);
  unlock(&pp->timersLock);
}

// pidleput puts p on the _Pidle list. This releases ownership of p. Once sched.lock is
// released it is no longer safe to use p. sched.lock must be held.
static void pidleput(p *_p_) {
  if (!runqempty(_p_))
    throw_("pidleput: P has non-empty run queue");
  updateTimerPMask(_p_); // clear if there are no timers.
  idlepMask.set(_p_->id);
  _p_->link = sched.pidle;
  sched.pidle = _p_;
  atomic::Xadd(&sched.npidle, 1);
}

// pidleget tries to get a p from the _Pidle list, acquiring ownership. sched.lock must be
// held.
static p *pidleget() {
  p *_p_ = sched.pidle;
  if (_p_ != nullptr) {
    // Timer may get added at any time now.
    timerpMask.set(_p_->id);
    idlepMask.clear(_p_->id);
    sched.pidle = _p_->link;
    atomic::Xadd(&sched.npidle, -1);
  }
  return _p_;
}

// mput puts mp on the midle list. sched.lock must be held.
static void mput(m *mp) {
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
  checkdead();
}

// mget tries to get an m from the midle list. sched.lock must be held.
static m *mget() {
  m *mp = sched.midle;
  if (mp != nullptr) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

// mPark causes a thread to park itself, returning once woken.
static void mPark() {
  g *gp = getg();
  notesleep(&gp->m->park);
  noteclear(&gp->m->park);
}

// stopm stops execution of the current m until new work is available. Returns with
// acquired P.
static void stopm() {
  g *_g_ = getg();
  if (_g_->m->locks != 0)
    throw_("stopm holding locks");
  if (_g_->m->p != nullptr)
    throw_("stopm holding p");
  if (_g_->m->spinning)
    throw_("stopm spinning");

  traceMState(traceMParked);
  lock(&sched.lock);
  mput(_g_->m);
  unlock(&sched.lock);
  mPark();
  acquirep(_g_->m->nextp);
  _g_->m->nextp = nullptr;
  traceMResume(_g_->m);
}

// mspinning is the mstartfn of an M that startm created spinning.
static void mspinning() {
  // startm's caller incremented nmspinning. Set the new M's spinning.
  getg()->m->spinning = true;
}

// startm schedules some M to run the p (creates an M if necessary). If p==nil, tries to get an
// idle P, if no idle P's does nothing. May run with m.p==nil. If spinning is set, the caller
// has incremented nmspinning and startm will either decrement nmspinning or set m.spinning in
// the newly started M. Callers passing a non-nil P must call from a non-preemptible context.
static void startm(p *_p_, bool spinning) {
  // Disable preemption. Every owned P must have an owner that will eventually stop it in the
  // event of a stop-the-world request. startm takes transient ownership of a P (either from
  // argument or pidleget below) and transfers ownership to a started M, which will be
  // responsible for performing the stop.
  m *mp = acquirem();
  lock(&sched.lock);
  if (_p_ == nullptr) {
    _p_ = pidleget();
    if (_p_ == nullptr) {
      unlock(&sched.lock);
      if (spinning) {
        // The caller incremented nmspinning, but there are no idle Ps, so it's okay to just
        // undo the increment and give up.
        if (int32_t(atomic::Xadd(&sched.nmspinning, -1)) < 0)
          throw_("startm: negative nmspinning");
      }
      traceStartM(nullptr, spinning, nullptr);
      releasem(mp);
      return;
    }
  }
  m *nmp = mget();
  if (nmp == nullptr) {
    // No M is available, we must drop sched.lock and call newm. However, we already own a P
    // to assign to the M.
    //
    // Once sched.lock is released, another G could find no idle P while checkdead finds a
    // runnable G but no running M's because this new M hasn't started yet, thus throwing in
    // an apparent deadlock. Avoid this situation by pre-allocating the ID for the new M, thus
    // marking it as 'running' before we drop sched.lock. This new M will eventually run the
    // scheduler to execute any queued G's.
    int64_t id = mReserveID();
    unlock(&sched.lock);

    void (*fn)() = nullptr;
    if (spinning) {
      // The caller incremented nmspinning, so set m.spinning in the new M.
      fn = mspinning;
    }
    traceStartM(_p_, spinning, nullptr);
    newm(fn, _p_, id);
    // Ownership transfer of _p_ committed by start in newm. Preemption is now safe.
    releasem(mp);
    return;
  }
  unlock(&sched.lock);
  if (nmp->spinning)
    throw_("startm: m is spinning");
  if (nmp->nextp != nullptr)
    throw_("startm: m has p");
  if (spinning && !runqempty(_p_))
    throw_("startm: p has runnable gs");
  // The caller incremented nmspinning, so set m.spinning in the new M.
  nmp->spinning = spinning;
  nmp->nextp = _p_;
  traceStartM(_p_, spinning, nmp);
  notewakeup(&nmp->park);
  // Ownership transfer of _p_ committed by wakeup. Preemption is now safe.
  releasem(mp);
}

// handoffp hands off P from syscall or locked M. Always runs without a P.
// Differs from Go: no trace reader, GC work or safe-point functions to check for.
static void handoffp(p *_p_) {
  // handoffp must start an M in any situation where findrunnable would return a G to run on
  // _p_.
  traceHandoffP(_p_);

  // if it has local work, start it straight away
  if (!runqempty(_p_) || sched.runqsize != 0) {
    startm(_p_, false);
    return;
  }
  // no local work, check that there are no spinning/idle M's, otherwise our help is not
  // required
  if (atomic::Load(&sched.nmspinning) + atomic::Load(&sched.npidle) == 0 &&
      atomic::Cas(&sched.nmspinning, 0u, 1u)) {
    startm(_p_, true);
    return;
  }
  lock(&sched.lock);
  if (sched.gcwaiting != 0) {
    _p_->status = _Pgcstop;
    sched.stopwait--;
    if (sched.stopwait == 0)
      notewakeup(&sched.stopnote);
    unlock(&sched.lock);
    return;
  }
  if (sched.runqsize != 0) {
    unlock(&sched.lock);
    startm(_p_, false);
    return;
  }
  // Differs from Go: Go starts an M here if this is the last running P "to poll network";
  // toy has no network poller, and the P's timers are handed to wakeNetPoller below.

  // The scheduler lock cannot be held when calling wakeNetPoller below because
  // wakeNetPoller may call wakep which may call startm.
  int64_t when = nobarrierWakeTime(_p_);
  pidleput(_p_);
  unlock(&sched.lock);

  if (when != 0)
    wakeNetPoller(when);
}

// wakep tries to add one more P to execute G's. Called when a G is made runnable (newproc,
// ready).
void wakep() {
  if (atomic::Load(&sched.npidle) == 0)
    return;
  // be conservative about spinning threads
  if (atomic::Load(&sched.nmspinning) != 0 || !atomic::Cas(&sched.nmspinning, 0u, 1u))
    return;
  traceWakep();
  startm(nullptr, true);
}

// stoplockedm stops execution of the current m that is locked to a g until the g is runnable
// again. Returns with acquired P.
static void stoplockedm() {
  g *_g_ = getg();

  if (_g_->m->lockedg == nullptr || _g_->m->lockedg->lockedm != _g_->m)
    throw_("stoplockedm: inconsistent locking");
  if (_g_->m->p != nullptr) {
    // Schedule another M to run this p.
    p *_p_ = releasep();
    handoffp(_p_);
  }
  incidlelocked(1);
  // Wait until another thread schedules lockedg again.
  traceMState(traceMLocked);
  mPark();
  uint32_t status = readgstatus(_g_->m->lockedg);
  if (status != _Grunnable) {
    print("runtime:stoplockedm: lockedg (atomicstatus=", status,
          ") is not Grunnable or Gscanrunnable\n");
    throw_("stoplockedm: not runnable");
  }
  acquirep(_g_->m->nextp);
  _g_->m->nextp = nullptr;
  traceMState(traceMExecuting);
}

// startlockedm schedules the locked m to run the locked gp.
static void startlockedm(g *gp) {
  g *_g_ = getg();

  m *mp = gp->lockedm;
  if (mp == _g_->m)
    throw_("startlockedm: locked to me");
  if (mp->nextp != nullptr)
    throw_("startlockedm: m has p");
  // directly handoff current P to the locked m
  incidlelocked(-1);
  traceMState(traceMIdle);
  p *_p_ = releasep();
  mp->nextp = _p_;
  notewakeup(&mp->park);
  stopm();
}

// gcstopm stops the current m for stopTheWorld. Returns when the world is restarted.
static void gcstopm() {
  g *_g_ = getg();

  if (sched.gcwaiting == 0)
    throw_("gcstopm: not waiting for gc");
  if (_g_->m->spinning) {
    _g_->m->spinning = false;
    // OK to just drop nmspinning here, startTheWorld will unpark threads as necessary.
    if (int32_t(atomic::Xadd(&sched.nmspinning, -1)) < 0)
      throw_("gcstopm: negative nmspinning");
  }
  traceMState(traceMIdle);
  p *_p_ = releasep();
  lock(&sched.lock);
  _p_->status = _Pgcstop;
  sched.stopwait--;
  if (sched.stopwait == 0)
    notewakeup(&sched.stopnote);
  unlock(&sched.lock);
  stopm();
}

static void incidlelocked(int32_t v) {
  lock(&sched.lock);
  sched.nmidlelocked += v;
  if (v > 0)
    checkdead();
  unlock(&sched.lock);
}

// checkdead checks for deadlock situation. The check is based on number of running M's, if 0
// -> deadlock. sched.lock must be held.
static void checkdead() {
  // If we are dying because of a signal caught on an already idle thread, freezetheworld will
  // cause all running threads to block. And runtime will essentially enter into deadlock
  // state, except that there is a thread that will call exit soon.
  if (panicking > 0)
    return;

  int32_t run = mcount() - sched.nmidle - sched.nmidlelocked - sched.nmsys;
  if (run > 0)
    return;
  if (run < 0) {
    print("runtime: checkdead: nmidle=", sched.nmidle, " nmidlelocked=", sched.nmidlelocked,
          " mcount=", mcount(), " nmsys=", sched.nmsys, "\n");
    throw_("checkdead: inconsistent counts");
  }

  int grunning = 0;
  lock(&allglock);
  for (int64_t i = 0; i < allgs.len; i++) {
    g *gp = allgs.array[i];
    if (isSystemGoroutine(gp))
      continue;
    uint32_t s = readgstatus(gp);
    switch (s) {
    case _Gwaiting:
      grunning++;
      break;
    case _Grunnable:
    case _Grunning:
    case _Gsyscall:
      unlock(&allglock);
      print("runtime: checkdead: find g ", gp->goid, " in status ", s, "\n");
      throw_("checkdead: runnable g");
    }
  }
  unlock(&allglock);
  if (grunning == 0) {   // possible if main goroutine calls runtime·Goexit()
    unlock(&sched.lock); // unlock so that GODEBUG=scheddetail=1 doesn't hang
    fatal_("no goroutines (main called runtime.Goexit) - deadlock!");
  }

  // There are no goroutines running, so we can look at the P's.
  for (int64_t i = 0; i < allp.len; i++) {
    if (allp.array[i]->timers.len > 0)
      return;
  }

  unlock(&sched.lock); // unlock so that GODEBUG=scheddetail=1 doesn't hang
  fatal_("all goroutines are asleep - deadlock!");
}

// ---- the scheduler loop ----

// execute schedules gp to run on the current M. If inheritTime is true, gp inherits the
// remaining time in the current time slice. Otherwise, it starts a new time slice. Never
// returns.
void execute(g *gp, bool inheritTime) {
  g *_g_ = getg();

  // Assign gp.m before entering _Grunning so running Gs have an M.
  _g_->m->curg = gp;
  gp->m = _g_->m;
  casgstatus(gp, _Grunnable, _Grunning);
  gp->waitsince = 0;
  gp->preempt = false;
  gp->stackguard0 = gp->stack.lo + _StackGuard;
  if (!inheritTime)
    _g_->m->p->schedtick++;

  gogo(&gp->sched);
}

// stealWork attempts to steal a runnable goroutine or timer from any P. If *newWork is set, new
// work may have been readied. If now is not 0 it is the current time. stealWork returns the
// passed time or the current time if now was passed as 0 (in *rnow), and the earliest timer it
// saw, if earlier than *pollUntil.
// noinline, as Go's compiler leaves it: a frame of its own that a debugger can break in.
__attribute__((noinline)) static g *stealWork(int64_t now, bool *inheritTime, int64_t *rnow,
                                              int64_t *pollUntil, bool *newWork) {
  p *pp = getg()->m->p;
  *newWork = false;
  bool ranTimer = false;

  const int stealTries = debug.stealtries; // Go: 4; GODEBUG=stealtries
  for (int i = 0; i < stealTries; i++) {
    bool stealTimersOrRunNextG = i == stealTries - 1;

    for (randomEnum e = stealOrder.start(fastrand()); !e.done(); e.next()) {
      if (sched.gcwaiting != 0) {
        // GC work may be available.
        *rnow = now;
        *newWork = true;
        return nullptr;
      }
      p *p2 = allp.array[e.position()];
      if (pp == p2)
        continue;

      // Steal timers from p2. This call to checkTimers is the only place where we might hold a
      // lock on a different P's timers. We do this once on the last pass before checking
      // runnext because stealing from the other P's runnext should be the last resort, so if
      // there are timers to steal do that first.
      //
      // We only check timers on one of the stealing iterations because the time stored in now
      // doesn't change in this loop and checking the timers for each P more than once with the
      // same value of now is probably a waste of time.
      //
      // timerpMask tells us whether the P may have timers at all. If it can't, no need to
      // check at all.
      if (stealTimersOrRunNextG && timerpMask.read(e.position())) {
        timerCheck c = checkTimers(p2, now);
        now = c.now;
        if (c.pollUntil != 0 && (*pollUntil == 0 || c.pollUntil < *pollUntil))
          *pollUntil = c.pollUntil;
        if (c.ran) {
          // Running the timers may have made an arbitrary number of G's ready and added them
          // to this P's local run queue. That invalidates the assumption of runqsteal that it
          // always has room to add stolen G's. So check now if there is a local G to run.
          if (g *gp = runqget(pp, inheritTime); gp != nullptr) {
            *rnow = now;
            *newWork = ranTimer;
            return gp;
          }
          ranTimer = true;
        }
      }

      // Don't bother to attempt to steal if p2 is idle.
      if (!idlepMask.read(e.position())) {
        if (g *gp = runqsteal(pp, p2, stealTimersOrRunNextG); gp != nullptr) {
          *inheritTime = false;
          *rnow = now;
          *newWork = ranTimer;
          return gp;
        }
      }
    }
  }

  // No goroutines found to steal. Regardless, running a timer may have made some goroutine
  // ready that we missed. Indicate the next timer to wait for.
  *rnow = now;
  *newWork = ranTimer;
  return nullptr;
}

// checkRunqsNoP checks all Ps for a runnable G to steal. On entry we have no P. If a G is
// available to steal and a P is available, the P is returned which the caller should acquire
// and attempt to steal the work to.
static p *checkRunqsNoP(slice<p *> allpSnapshot, pMask idlepMaskSnapshot) {
  for (int64_t id = 0; id < allpSnapshot.len; id++) {
    p *p2 = allpSnapshot.array[id];
    if (!idlepMaskSnapshot.read(uint32_t(id)) && !runqempty(p2)) {
      lock(&sched.lock);
      p *pp = pidleget();
      unlock(&sched.lock);
      if (pp != nullptr)
        return pp;
      // Can't get a P, don't bother checking remaining Ps.
      break;
    }
  }
  return nullptr;
}

// checkTimersNoP checks all Ps for a timer expiring sooner than pollUntil. Returns updated
// pollUntil value.
static int64_t checkTimersNoP(slice<p *> allpSnapshot, pMask timerpMaskSnapshot,
                              int64_t pollUntil) {
  for (int64_t id = 0; id < allpSnapshot.len; id++) {
    if (timerpMaskSnapshot.read(uint32_t(id))) {
      int64_t w = nobarrierWakeTime(allpSnapshot.array[id]);
      if (w != 0 && (pollUntil == 0 || w < pollUntil))
        pollUntil = w;
    }
  }
  return pollUntil;
}

// findRunnable finds a runnable goroutine to execute. Tries to steal from other P's, get g
// from local or global queue. Blocks until work is available.
// Differs from Go: no trace reader, GC workers, finalizers or netpoll; so no tryWakeP result
// either (only those make it true).
static g *findRunnable(bool *inheritTime) {
  g *_g_ = getg();

  // The conditions here and in handoffp must agree: if findrunnable would return a G to run,
  // handoffp must start an M.

top:
  p *_p_ = _g_->m->p;
  if (sched.gcwaiting != 0) {
    gcstopm();
    goto top;
  }

  // now and pollUntil are saved for work stealing so that the steal function can call
  // checkTimers with them.
  timerCheck tc = checkTimers(_p_, 0);
  int64_t now = tc.now, pollUntil = tc.pollUntil;

  // Check the global runnable queue once in a while to ensure fairness. Otherwise two
  // goroutines can completely occupy the local runqueue by constantly respawning each other.
  // Go: schedtick%61; GODEBUG=schedfairness sets the period, 0 turns the check off.
  if (debug.schedfairness != 0 && _p_->schedtick % uint32_t(debug.schedfairness) == 0 &&
      sched.runqsize > 0) {
    lock(&sched.lock);
    g *gp = globrunqget(_p_, 1);
    unlock(&sched.lock);
    if (gp != nullptr) {
      __atomic_add_fetch(&schedstats.fairness, 1, __ATOMIC_RELAXED); // a statistic
      traceFairness(gp);
      *inheritTime = false;
      return gp;
    }
  }

  // local runq
  if (g *gp = runqget(_p_, inheritTime); gp != nullptr)
    return gp;

  // global runq
  if (sched.runqsize != 0) {
    lock(&sched.lock);
    g *gp = globrunqget(_p_, 0);
    unlock(&sched.lock);
    if (gp != nullptr) {
      *inheritTime = false;
      return gp;
    }
  }

  // Spinning Ms: steal work from other Ps.
  //
  // Limit the number of spinning Ms to half the number of busy Ps. This is necessary to
  // prevent excessive CPU consumption when GOMAXPROCS>>1 but the program parallelism is low.
  {
    uint32_t procs = uint32_t(gomaxprocs);
    // GODEBUG=spinningcap=0 drops the limit.
    if (_g_->m->spinning || debug.spinningcap == 0 ||
        2 * atomic::Load(&sched.nmspinning) < procs - atomic::Load(&sched.npidle)) {
      if (!_g_->m->spinning) {
        _g_->m->spinning = true;
        atomic::Xadd(&sched.nmspinning, 1);
        traceMState(traceMSpinning);
      }

      bool newWork;
      int64_t tnow, w = 0;
      g *gp = stealWork(now, inheritTime, &tnow, &w, &newWork);
      if (gp != nullptr) {
        // Successfully stole.
        return gp;
      }
      if (newWork) {
        // There may be new timer or GC work; restart to discover.
        goto top;
      }

      now = tnow;
      if (w != 0 && (pollUntil == 0 || w < pollUntil)) {
        // Earlier timer to wait for.
        pollUntil = w;
      }
    } else {
      __atomic_add_fetch(&schedstats.nospin, 1, __ATOMIC_RELAXED); // a statistic
    }
  }

  // We have nothing to do.
  {
    // Before we drop our P, make a snapshot of the allp slice, which can change underfoot once
    // we no longer block safe-points. We don't need to snapshot the contents because
    // everything up to cap(allp) is immutable.
    slice<p *> allpSnapshot = allp;
    // Also snapshot masks. Value changes are OK, but we can't allow len to change out from
    // under us.
    pMask idlepMaskSnapshot = idlepMask;
    pMask timerpMaskSnapshot = timerpMask;

    // return P and block
    lock(&sched.lock);
    if (sched.gcwaiting != 0) {
      unlock(&sched.lock);
      goto top;
    }
    if (sched.runqsize != 0) {
      g *gp = globrunqget(_p_, 0);
      unlock(&sched.lock);
      *inheritTime = false;
      return gp;
    }
    traceMState(traceMIdle);
    if (releasep() != _p_)
      throw_("findrunnable: wrong p");
    pidleput(_p_);
    unlock(&sched.lock);

    // Delicate dance: thread transitions from spinning to non-spinning state, potentially
    // concurrently with submission of new work. We must drop nmspinning first and then check
    // all sources again (with #StoreLoad memory barrier in between). If we do it the other
    // way around, another thread can submit work after we've checked all sources but before
    // we drop nmspinning; as a result nobody will unpark a thread to run the work.
    //
    // If we discover new work below, we need to restore m.spinning as a signal for
    // resetspinning to unpark a new worker thread (because there can be more than one
    // starving goroutine). However, if after discovering new work we also observe no idle Ps
    // it is OK to skip unparking a new worker thread: the system is fully loaded so no
    // spinning threads are required.
    bool wasSpinning = _g_->m->spinning;
    if (_g_->m->spinning) {
      _g_->m->spinning = false;
      if (int32_t(atomic::Xadd(&sched.nmspinning, -1)) < 0)
        throw_("findrunnable: negative nmspinning");

      // Note the for correctness, only the last M transitioning from spinning to
      // non-spinning must perform these rechecks to ensure no missed work. We are performing
      // it on every M that transitions as a conservative change to monitor effects on
      // latency. See golang.org/issue/43997.

      // Check all runqueues once again.
      _p_ = checkRunqsNoP(allpSnapshot, idlepMaskSnapshot);
      if (_p_ != nullptr) {
        acquirep(_p_);
        _g_->m->spinning = true;
        atomic::Xadd(&sched.nmspinning, 1);
        traceMState(traceMSpinning);
        goto top;
      }

      // Finally, check for timer creation or expiry concurrently with transitioning from
      // spinning to non-spinning.
      //
      // Note that we cannot use checkTimers here because it calls adjusttimers which may need
      // to allocate memory, and that isn't allowed when we don't have an active P.
      pollUntil = checkTimersNoP(allpSnapshot, timerpMaskSnapshot, pollUntil);
    }

    // Sleep until the next timer.
    // Differs from Go: Go blocks in netpoll(delay); toy has no network poller, so this M
    // sleeps on a futex for delay (timerSleep), and wakeNetPoller wakes it for an earlier
    // timer. As in Go, only one M sleeps for timers (sched.lastpoll is 0 while it does).
    if (pollUntil != 0 && atomic::Xchg(&sched.lastpoll, int64_t(0)) != 0) {
      atomic::Store(&sched.pollUntil, pollUntil);
      if (_g_->m->p != nullptr)
        throw_("findrunnable: netpoll with p");
      if (_g_->m->spinning)
        throw_("findrunnable: netpoll with spinning");
      // Refresh now.
      now = nanotime();
      int64_t delay = pollUntil - now;
      if (delay < 0)
        delay = 0;
      traceMState(traceMTimerSleep);
      timerSleep(delay); // block until the timer or an earlier one is due
      atomic::Store(&sched.pollUntil, int64_t(0));
      atomic::Store(&sched.lastpoll, now);
      lock(&sched.lock);
      _p_ = pidleget();
      unlock(&sched.lock);
      if (_p_ != nullptr) {
        acquirep(_p_);
        if (wasSpinning) {
          _g_->m->spinning = true;
          atomic::Xadd(&sched.nmspinning, 1);
        }
        traceMResume(_g_->m);
        goto top;
      }
    } else if (pollUntil != 0) {
      int64_t pollerPollUntil = atomic::Load(&sched.pollUntil);
      if (pollerPollUntil == 0 || pollerPollUntil > pollUntil)
        timerSleepBreak();
    }
  }

  stopm();
  goto top;
}

// resetspinning is called by an M that was spinning and found work.
static void resetspinning() {
  g *_g_ = getg();
  if (!_g_->m->spinning)
    throw_("resetspinning: not a spinning m");
  _g_->m->spinning = false;
  uint32_t nmspinning = atomic::Xadd(&sched.nmspinning, -1);
  if (int32_t(nmspinning) < 0)
    throw_("findrunnable: negative nmspinning");
  traceMState(traceMExecuting);
  // M wakeup policy is deliberately somewhat conservative, so check if we need to wakeup
  // another P here. See "Worker thread parking/unparking" comment at the top of the file for
  // details.
  wakep();
}

// One round of scheduler: find a runnable goroutine and execute it. Never returns.
void schedule() {
  g *_g_ = getg();

  if (_g_->m->locks != 0)
    throw_("schedule: holding locks");
  schedpoint();

  if (_g_->m->lockedg != nullptr) {
    stoplockedm();
    execute(_g_->m->lockedg, false); // Never returns.
  }

top:
  p *pp = _g_->m->p;
  pp->preempt = false;

  // Safety check: if we are spinning, the run queue should be empty.
  if (_g_->m->spinning && (pp->runnext != nullptr || pp->runqhead != pp->runqtail))
    throw_("schedule: spinning with local work");

  bool inheritTime = false;
  g *gp = findRunnable(&inheritTime); // blocks until work is available

  // This thread is going to run a goroutine and is not spinning anymore, so if it was marked
  // as spinning we need to reset it now and potentially start a new spinning M.
  if (_g_->m->spinning)
    resetspinning();

  if (gp->lockedm != nullptr) {
    // Hands off own p to the locked m, then blocks waiting for a new p.
    startlockedm(gp);
    goto top;
  }

  execute(gp, inheritTime);
}

// ---- parking and readying ----

// park continuation on g0.
static void park_m(g *gp) {
  g *_g_ = getg();

  casgstatus(gp, _Grunning, _Gwaiting);
  dropg();

  if (bool (*fn)(g *, void *) = _g_->m->waitunlockf; fn != nullptr) {
    bool ok = fn(gp, _g_->m->waitlock);
    _g_->m->waitunlockf = nullptr;
    _g_->m->waitlock = nullptr;
    if (!ok) {
      casgstatus(gp, _Gwaiting, _Grunnable);
      execute(gp, true); // Schedule it back, never returns.
    }
  }
  schedule();
}

// gopark puts the current goroutine into a waiting state and calls unlockf on the system
// stack. If unlockf returns false, the goroutine is resumed. unlockf must not access this G's
// stack, as it may be moved between the call to gopark and the call to unlockf.
void gopark(bool (*unlockf)(g *, void *), void *lock, waitReason reason) {
  schedpoint();
  m *mp = acquirem();
  g *gp = mp->curg;
  uint32_t status = readgstatus(gp);
  if (status != _Grunning)
    throw_("gopark: bad g status");
  mp->waitlock = lock;
  mp->waitunlockf = unlockf;
  gp->waitreason = reason;
  // can't do anything that might move the G between Ms here.
  releasem(mp);
  mcall(park_m);
}

static bool parkunlock_c(g *, void *lock) {
  unlock(static_cast<mutex *>(lock));
  return true;
}

// goparkunlock puts the current goroutine into a waiting state and unlocks the lock. The
// goroutine can be made runnable again by calling goready(gp).
void goparkunlock(mutex *lock, waitReason reason) { gopark(parkunlock_c, lock, reason); }

// Mark gp ready to run.
static void ready(g *gp, bool next) {
  uint32_t status = readgstatus(gp);

  // Mark runnable.
  g *_g_ = getg();
  m *mp = acquirem(); // disable preemption because it can be holding p in a local var
  if (status != _Gwaiting) {
    print("runtime: gp: gp=", static_cast<const void *>(gp), ", goid=", gp->goid,
          ", gp->atomicstatus=", status, "\n");
    throw_("bad g->status in ready");
  }

  // status is Gwaiting or Gscanwaiting, make Grunnable and put on runq
  casgstatus(gp, _Gwaiting, _Grunnable);
  runqput(_g_->m->p, gp, next);
  wakep();
  releasem(mp);
}

void goready(g *gp) {
  schedpoint();
  systemstack([](void *v) { ready(static_cast<g *>(v), true); }, gp);
}

static void goschedImpl(g *gp) {
  uint32_t status = readgstatus(gp);
  if (status != _Grunning) {
    print("runtime: gp: gp=", static_cast<const void *>(gp), ", goid=", gp->goid,
          ", gp->atomicstatus=", status, "\n");
    throw_("bad g status");
  }
  casgstatus(gp, _Grunning, _Grunnable);
  dropg();
  lock(&sched.lock);
  globrunqput(gp);
  unlock(&sched.lock);

  schedule();
}

// Gosched continuation on g0.
static void gosched_m(g *gp) { goschedImpl(gp); }

// gopreempt_m is a preemption's continuation on g0 (asyncPreempt2): the same as Gosched.
void gopreempt_m(g *gp) { goschedImpl(gp); }

// Gosched yields the processor, allowing other goroutines to run. It does not suspend the
// current goroutine, so execution resumes automatically.
void Gosched() { mcall(gosched_m); }

// goyield_m is goyield's continuation on g0: gp goes on its P's local run queue.
static void goyield_m(g *gp) {
  p *pp = gp->m->p;
  casgstatus(gp, _Grunning, _Grunnable);
  dropg();
  runqput(pp, gp, false);
  schedule();
}

// goyield is like Gosched, but it puts the current G on the runq of the current P instead of
// the global run queue (semrelease1's handoff).
// Differs from Go: no trace event and no checkTimeouts (a no-op on Linux).
void goyield() { mcall(goyield_m); }

// ---- LockOSThread ----

// dolockOSThread is called by LockOSThread and lockOSThread below after they modify m.locked.
// Do not allow preemption during this call, or else the m might be different in this function
// than in the caller.
static void dolockOSThread() {
  g *_g_ = getg();
  _g_->m->lockedg = _g_;
  _g_->lockedm = _g_->m;
}

// LockOSThread wires the calling goroutine to its current operating system thread. The calling
// goroutine will always execute in that thread, and no other goroutine will execute in it,
// until the calling goroutine has made as many calls to UnlockOSThread as to LockOSThread. If
// the calling goroutine exits without unlocking the thread, the thread will be terminated.
void LockOSThread() {
  if (atomic::Load(&newmHandoff.haveTemplateThread) == 0) {
    // If we need to start a new thread from the locked thread, we need the template thread.
    // Start it now while we're in a known-good state.
    startTemplateThread();
  }
  g *_g_ = getg();
  _g_->m->lockedExt++;
  if (_g_->m->lockedExt == 0) {
    _g_->m->lockedExt--;
    panicmsg("LockOSThread nesting overflow");
  }
  dolockOSThread();
}

// lockOSThread is LockOSThread for the runtime's own use (m.lockedInt).
void lockOSThread() {
  getg()->m->lockedInt++;
  dolockOSThread();
}

// dounlockOSThread is called by UnlockOSThread and unlockOSThread below after they update
// m->locked. Do not allow preemption during this call, or else the m might be in different in
// this function than in the caller.
static void dounlockOSThread() {
  g *_g_ = getg();
  if (_g_->m->lockedInt != 0 || _g_->m->lockedExt != 0)
    return;
  _g_->m->lockedg = nullptr;
  _g_->lockedm = nullptr;
}

// UnlockOSThread undoes an earlier call to LockOSThread. If this drops the number of active
// LockOSThread calls on the calling goroutine to zero, it unwires the calling goroutine from
// its fixed operating system thread. If there are no active LockOSThread calls, this is a
// no-op.
void UnlockOSThread() {
  g *_g_ = getg();
  if (_g_->m->lockedExt == 0)
    return;
  _g_->m->lockedExt--;
  dounlockOSThread();
}

static void badunlockosthread(void *) {
  throw_("runtime: internal error: misuse of lockOSThread/unlockOSThread");
}

// unlockOSThread is UnlockOSThread for the runtime's own use (m.lockedInt).
void unlockOSThread() {
  g *_g_ = getg();
  if (_g_->m->lockedInt == 0)
    systemstack(badunlockosthread, nullptr);
  _g_->m->lockedInt--;
  dounlockOSThread();
}

// ---- stopping the world ----

// worldsema grants the M the right to try to stop the world.
static uint32_t worldsema = 1;

// preemptone tells the goroutine running on processor P to stop. This function is purely
// best-effort. It can incorrectly fail to inform the goroutine. It can inform the wrong
// goroutine. No lock needs to be held. Returns true if preemption request was issued. The
// actual preemption will happen at some point in the future and will be indicated by the
// gp->status no longer being Grunning.
static bool preemptone(p *_p_) {
  m *mp = _p_->m;
  if (mp == nullptr || mp == getg()->m)
    return false;
  g *gp = mp->curg;
  if (gp == nullptr || gp == mp->g0)
    return false;

  gp->preempt = true;

  // Every call in a goroutine checks for stack overflow by comparing the current stack
  // pointer to gp->stackguard0. Setting gp->stackguard0 to StackPreempt folds preemption into
  // the normal stack overflow check.
  gp->stackguard0 = stackPreempt;

  // Request an async preemption of this P.
  if (preemptMSupported && debug.asyncpreemptoff == 0) {
    _p_->preempt = true;
    preemptM(mp);
  }
  return true;
}

// preemptall tells all goroutines that they have been preempted and they should stop. This
// function is purely best-effort. It can fail to inform a goroutine if a processor just
// started running it. No locks need to be held. Returns true if preemption request was issued
// to at least one goroutine.
static bool preemptall() {
  bool res = false;
  for (int64_t i = 0; i < allp.len; i++) {
    p *_p_ = allp.array[i];
    if (_p_->status != _Prunning)
      continue;
    if (preemptone(_p_))
      res = true;
  }
  return res;
}

// stopTheWorldWithSema is the core implementation of stopTheWorld. The caller is responsible
// for acquiring worldsema and disabling preemption first and then should call
// stopTheWorldWithSema on the system stack.
static void stopTheWorldWithSema(void *) {
  g *_g_ = getg();

  // If we hold a lock, then we won't be able to stop another M that is blocked trying to
  // acquire the lock.
  if (_g_->m->locks > 0)
    throw_("stopTheWorld: holding locks");
  traceSTWStart();

  lock(&sched.lock);
  sched.stopwait = gomaxprocs;
  atomic::Store(&sched.gcwaiting, 1u);
  preemptall();
  // stop current P
  _g_->m->p->status = _Pgcstop; // Pgcstop is only diagnostic.
  sched.stopwait--;
  // try to retake all P's in Psyscall status
  for (int64_t i = 0; i < allp.len; i++) {
    p *_p_ = allp.array[i];
    uint32_t s = _p_->status;
    if (s == _Psyscall && atomic::Cas(&_p_->status, s, uint32_t(_Pgcstop))) {
      _p_->syscalltick++;
      sched.stopwait--;
    }
  }
  // stop idle P's
  for (;;) {
    p *_p_ = pidleget();
    if (_p_ == nullptr)
      break;
    _p_->status = _Pgcstop;
    sched.stopwait--;
  }
  bool wait = sched.stopwait > 0;
  unlock(&sched.lock);

  // wait for remaining P's to stop voluntarily
  if (wait) {
    for (;;) {
      // wait for 100us, then try to re-preempt in case of any races
      if (notetsleep(&sched.stopnote, 100 * 1000)) {
        noteclear(&sched.stopnote);
        break;
      }
      preemptall();
    }
  }

  // sanity checks
  const char *bad = nullptr;
  if (sched.stopwait != 0) {
    bad = "stopTheWorld: not stopped (stopwait != 0)";
  } else {
    for (int64_t i = 0; i < allp.len; i++)
      if (allp.array[i]->status != _Pgcstop)
        bad = "stopTheWorld: not stopped (status != _Pgcstop)";
  }
  if (bad != nullptr)
    throw_(bad);
}

// startTheWorldWithSema restarts the world, applying newprocs (GOMAXPROCS).
static void startTheWorldWithSema(void *) {
  m *mp = acquirem(); // disable preemption because it can be holding p in a local var
  lock(&sched.lock);
  int32_t procs = gomaxprocs;
  if (newprocs != 0) {
    procs = newprocs;
    newprocs = 0;
  }
  p *p1 = procresize(procs);
  sched.gcwaiting = 0;
  if (sched.sysmonwait != 0) {
    sched.sysmonwait = 0;
    notewakeup(&sched.sysmonnote);
  }
  unlock(&sched.lock);

  while (p1 != nullptr) {
    p *_p_ = p1;
    p1 = p1->link;
    if (_p_->m != nullptr) {
      m *mp1 = _p_->m;
      _p_->m = nullptr;
      if (mp1->nextp != nullptr)
        throw_("startTheWorld: inconsistent mp->nextp");
      mp1->nextp = _p_;
      notewakeup(&mp1->park);
    } else {
      // Start M to run P.  Do not start another M below.
      newm(nullptr, _p_, -1);
    }
  }

  // Wakeup an additional proc in case we have excessive runnable goroutines in local queues
  // or in the global queue. If we don't, the proc will park itself. If we have lots of
  // excessive work, resetspinning will unpark additional procs as necessary.
  wakep();

  traceSTWDone();
  releasem(mp);
}

// stopTheWorld stops all P's from executing goroutines, interrupting all goroutines at GC
// safe points and records reason as the reason for the stop. On return, only the current
// goroutine's P is running.
// Differs from Go: goroutines stop at toyc's stackguard0 checks or when they enter the
// scheduler (no asynchronous preemption).
static void stopTheWorld(const char *reason) {
  // A waiter parks in semacquire, which frees its P: one that spun on its P would never reach
  // the scheduler, so the holder's stopTheWorldWithSema would wait for that P forever.
  semacquire(&worldsema);
  g *gp = getg();
  gp->m->preemptoff = reason;
  systemstack(
      [](void *v) {
        // Mark the goroutine which called stopTheWorld preemptible so its stack may be
        // scanned.
        g *gp = static_cast<g *>(v);
        casgstatus(gp, _Grunning, _Gwaiting);
        stopTheWorldWithSema(nullptr);
        casgstatus(gp, _Gwaiting, _Grunning);
      },
      gp);
}

// startTheWorld undoes the effects of stopTheWorld.
static void startTheWorld() {
  systemstack(startTheWorldWithSema, nullptr);

  // worldsema must be held over startTheWorldWithSema to ensure gomaxprocs cannot change
  // while worldsema is held.
  m *mp = acquirem();
  mp->preemptoff = nullptr;
  semrelease1(&worldsema, true);
  releasem(mp);
}

// ---- sysmon ----

// forcegcperiod is the maximum time in nanoseconds between garbage collections; sysmon's deep
// sleep lasts at most half of it.
constexpr int64_t forcegcperiod = 2 * 60 * int64_t(1000000000);

static uint32_t retake(int64_t now) {
  int n = 0;
  // Prevent allp slice changes. This lock will be completely uncontended unless we're already
  // stopping the world.
  lock(&allpLock);
  // We can't use a range loop over allp because we may temporarily drop the allpLock. Hence,
  // we need to re-fetch allp each time around the loop.
  for (int64_t i = 0; i < allp.len; i++) {
    p *_p_ = allp.array[i];
    if (_p_ == nullptr) {
      // This can happen if procresize has grown allp but not yet created new Ps.
      continue;
    }
    sysmontick *pd = &_p_->sysmontick;
    uint32_t s = atomic::Load(&_p_->status);
    bool sysretake = false;
    if (s == _Prunning || s == _Psyscall) {
      // Preempt G if it's running for too long.
      int64_t t = int64_t(_p_->schedtick);
      if (int64_t(pd->schedtick) != t) {
        pd->schedtick = uint32_t(t);
        pd->schedwhen = now;
      } else if (pd->schedwhen + debug.forcepreemptns <= now) { // Go: forcePreemptNS
        if (debug.sysmonpreempt != 0) // toy's GODEBUG=sysmonpreempt=0 turns this off
          if (g *gp = _p_->m != nullptr ? _p_->m->curg : nullptr; preemptone(_p_))
            tracePreempt(_p_, gp);
        // In case of syscall, preemptone() doesn't work, because there is no M wired to P.
        sysretake = true;
      }
    }
    if (s == _Psyscall) {
      // Retake P from syscall if it's there for more than 1 sysmon tick (at least 20us).
      int64_t t = int64_t(_p_->syscalltick);
      if (!sysretake && int64_t(pd->syscalltick) != t) {
        pd->syscalltick = uint32_t(t);
        pd->syscallwhen = now;
        continue;
      }
      // On the one hand we don't want to retake Ps if there is no other work to do, but on
      // the other hand we want to retake them eventually because they can prevent the sysmon
      // thread from deep sleep.
      if (runqempty(_p_) && atomic::Load(&sched.nmspinning) + atomic::Load(&sched.npidle) > 0 &&
          pd->syscallwhen + 10 * 1000 * 1000 > now)
        continue;
      // Drop allpLock so we can take sched.lock.
      unlock(&allpLock);
      // Need to decrement number of idle locked M's (pretending that one more is running)
      // before the CAS. Otherwise the M from which we retake can exit the syscall, increment
      // nmidle and report deadlock.
      incidlelocked(-1);
      if (atomic::Cas(&_p_->status, s, uint32_t(_Pidle))) {
        n++;
        _p_->syscalltick++;
        handoffp(_p_);
      }
      incidlelocked(1);
      lock(&allpLock);
    }
  }
  unlock(&allpLock);
  return uint32_t(n);
}

// sysmon always runs without a P, on its own M (started by runtime.main).
// Differs from Go: no netpoll, GC or scavenger: it retakes Ps (no Ps are ever in _Psyscall
// yet: toy has no entersyscall), requests preemption of Gs running > 10 ms, starts an M for
// overdue timers, prints GODEBUG=schedtrace lines, writes out buffered standard output and
// returns the pages of freed stack segments to the OS (stackScavenge).
static void sysmon() {
  lock(&sched.lock);
  sched.nmsys++;
  checkdead();
  unlock(&sched.lock);
  traceMState(traceMSysmon);

  int64_t lasttrace = 0;
  int idle = 0; // how many cycles in succession we had not wokeup somebody
  uint32_t delay = 0;

  for (;;) {
    // Go: 20us and 10ms; GODEBUG=sysmonmindelay and sysmonmaxdelay.
    if (idle == 0) { // start with 20us sleep...
      delay = uint32_t(debug.sysmonmindelay);
    } else if (idle > 50) { // start doubling the sleep after 1ms...
      delay *= 2;
    }
    if (delay > uint32_t(debug.sysmonmaxdelay)) // up to 10ms
      delay = uint32_t(debug.sysmonmaxdelay);
    usleep(delay);

    // sysmon should not enter deep sleep if schedtrace is enabled so that it can print that
    // information at the right time.
    //
    // It should also not enter deep sleep if there are any active P's so that it can retake
    // P's from syscalls, preempt long running G's, and poll the network if all P's are busy
    // for long stretches.
    int64_t now = nanotime();
    // Differs from Go: toy buffers standard output (os_file.cpp); sysmon writes out what
    // waited 10 ms, and all of it before sleeping with every P idle. Not under simulation,
    // whose runs repeat by the virtual clock alone.
    if (!simulating) {
      bool allIdle = atomic::Load(&sched.npidle) == uint32_t(gomaxprocs);
      flushStdoutOlder(now, allIdle);
      stackScavenge(now, allIdle); // Differs from Go: Go's scavenger is a goroutine
    }
    if (debug.schedtrace <= 0 &&
        (sched.gcwaiting != 0 || atomic::Load(&sched.npidle) == uint32_t(gomaxprocs))) {
      lock(&sched.lock);
      if (atomic::Load(&sched.gcwaiting) != 0 ||
          atomic::Load(&sched.npidle) == uint32_t(gomaxprocs)) {
        bool syscallWake = false;
        int64_t next = timeSleepUntil();
        if (next > now) {
          atomic::Store(&sched.sysmonwait, 1u);
          unlock(&sched.lock);
          // Make wake-up period small enough for the sampling to be correct.
          int64_t sleep = forcegcperiod / 2;
          if (next - now < sleep)
            sleep = next - now;
          syscallWake = notetsleep(&sched.sysmonnote, sleep);
          lock(&sched.lock);
          atomic::Store(&sched.sysmonwait, 0u);
          noteclear(&sched.sysmonnote);
        }
        if (syscallWake) {
          idle = 0;
          delay = uint32_t(debug.sysmonmindelay);
        }
      }
      unlock(&sched.lock);
    }

    lock(&sched.sysmonlock);
    // Update now in case we blocked on sysmonnote or spent a long time blocked on schedlock or
    // sysmonlock above.
    now = nanotime();

    // Differs from Go: Go does this on NetBSD only, whose kernel can miss netpollBreak
    // wake-ups; toy does it everywhere, so that a timer is run even if the M sleeping for
    // timers missed it.
    if (timeSleepUntil() < now)
      startm(nullptr, false);
    // retake P's blocked in syscalls and preempt long running G's
    if (retake(now) != 0)
      idle = 0;
    else
      idle++;
    if (debug.schedtrace > 0 && lasttrace + int64_t(debug.schedtrace) * 1000000 <= now) {
      lasttrace = now;
      schedtrace(debug.scheddetail > 0);
    }
    unlock(&sched.sysmonlock);
  }
}

// ---- GOMAXPROCS and Ps ----

// init initializes pp, which may be a freshly allocated p or a previously destroyed p, and
// transitions it to status _Pgcstop.
void p::init(int32_t id_) {
  id = id_;
  status = _Pgcstop;
  if (runq == nullptr) {
    runq = static_cast<g **>(mallocgc(runqSize * sizeof(g *), nullptr, true));
    runqbatch =
        static_cast<g **>(mallocgc((runqSize / runqOverflowDiv + 1) * sizeof(g *), nullptr, true));
  }
  timerpMask.set(id);
  if (mcache == nullptr) {
    if (id == 0) {
      if (mcache0 == nullptr)
        throw_("missing mcache?");
      // Use the bootstrap mcache0. Only one P will get mcache0: the one with ID 0.
      mcache = mcache0;
    } else {
      mcache = allocmcache();
    }
  }
}

// destroy releases all of the resources associated with pp and transitions it to status
// _Pdead. sched.lock must be held and the world must be stopped.
void p::destroy() {
  // Move all runnable goroutines to the global queue
  while (runqhead != runqtail) {
    // Pop from tail of local queue
    runqtail--;
    g *gp = runq[runqslot(runqtail)];
    // Push onto head of global queue
    globrunqputhead(gp);
  }
  if (runnext != nullptr) {
    globrunqputhead(runnext);
    runnext = nullptr;
  }
  if (timers.len > 0) {
    p *plocal = getg()->m->p;
    // The world is stopped, but we acquire timersLock to protect against sysmon calling
    // timeSleepUntil. This is the only case where we hold the timersLock of more than one P.
    lock(&plocal->timersLock);
    lock(&timersLock);
    moveTimers(plocal, timers.array, timers.len);
    timers.len = 0;
    numTimers = 0;
    deletedTimers = 0;
    atomic::Store(&timer0When, int64_t(0));
    unlock(&timersLock);
    unlock(&plocal->timersLock);
  }
  gfpurge(this);
  sudogpurge(this);
  freemcache(mcache);
  mcache = nullptr;
  status = _Pdead;
}

// procresize changes the number of processors.
//
// sched.lock must be held, and the world must be stopped.
//
// Returns list of Ps with local work, they need to be scheduled by the caller.
static p *procresize(int32_t nprocs) {
  int32_t old = gomaxprocs;
  if (old < 0 || nprocs <= 0)
    throw_("procresize: invalid arg");
  // Differs from Go: Go allocates as many Ps as asked for, so a GOMAXPROCS the machine cannot
  // hold ends when memory runs out (or the OOM killer ends it); toy stops first and says why.
  if (uint64_t need = uint64_t(nprocs) * (sizeof(p) + sizeof(p *) + 2 * runqSize * sizeof(g *));
      physMemBytes != 0 && need > physMemBytes) {
    print("runtime: GOMAXPROCS=", nprocs, " needs ", need, " bytes for its Ps; the machine has ",
          physMemBytes, "\n");
    throw_("procresize: GOMAXPROCS too large");
  }

  traceProcResize(old, nprocs);
  int64_t maskWords = (nprocs + 31) / 32;

  // Grow allp if necessary.
  if (nprocs > allp.len) {
    // Synchronize with retake, which could be running concurrently since it doesn't run on a
    // P.
    lock(&allpLock);
    if (maskWords > idlepMask.len) {
      // Differs from Go: the mask keeps its capacity in len; the old array is abandoned.
      auto *nidlepMask =
          static_cast<uint32_t *>(mallocgc(uintptr_t(maskWords) * sizeof(uint32_t), nullptr, true));
      memmove(nidlepMask, idlepMask.words, idlepMask.len * sizeof(uint32_t));
      idlepMask.words = nidlepMask;
      idlepMask.len = maskWords;

      auto *ntimerpMask =
          static_cast<uint32_t *>(mallocgc(uintptr_t(maskWords) * sizeof(uint32_t), nullptr, true));
      memmove(ntimerpMask, timerpMask.words, timerpMask.len * sizeof(uint32_t));
      timerpMask.words = ntimerpMask;
      timerpMask.len = maskWords;
    }
    if (nprocs <= allp.cap) {
      allp.len = nprocs;
    } else {
      auto *nallp = static_cast<p **>(mallocgc(uintptr_t(nprocs) * sizeof(p *), nullptr, true));
      // Copy everything up to allp's cap so we never lose old allocated Ps.
      memmove(nallp, allp.array, allp.cap * sizeof(p *));
      allp.array = nallp;
      allp.len = allp.cap = nprocs;
    }
    unlock(&allpLock);
  }

  // initialize new P's
  for (int32_t i = old; i < nprocs; i++) {
    p *pp = allp.array[i];
    if (pp == nullptr)
      pp = gonew<p>();
    pp->init(i);
    atomic::Store(&allp.array[i], pp);
  }

  g *_g_ = getg();
  if (_g_->m->p != nullptr && _g_->m->p->id < nprocs) {
    // continue to use the current P
    _g_->m->p->status = _Prunning;
  } else {
    // release the current P and acquire allp[0].
    //
    // We must do this before destroying our current P because p.destroy itself has write
    // barriers, so we need to do that from a valid P.
    if (_g_->m->p != nullptr) {
      traceProcStop(_g_->m->p);
      _g_->m->p->m = nullptr;
    }
    _g_->m->p = nullptr;
    p *p0 = allp.array[0];
    p0->m = nullptr;
    p0->status = _Pidle;
    acquirep(p0);
  }

  // g.m.p is now set, so we no longer need mcache0 for bootstrapping.
  mcache0 = nullptr;

  // release resources from unused P's
  for (int32_t i = nprocs; i < old; i++)
    allp.array[i]->destroy();

  // Trim allp.
  if (allp.len != nprocs) {
    lock(&allpLock);
    allp.len = nprocs;
    unlock(&allpLock);
  }

  p *runnablePs = nullptr;
  for (int32_t i = nprocs - 1; i >= 0; i--) {
    p *pp = allp.array[i];
    if (_g_->m->p == pp)
      continue;
    pp->status = _Pidle;
    if (runqempty(pp)) {
      pidleput(pp);
    } else {
      pp->m = mget();
      pp->link = runnablePs;
      runnablePs = pp;
    }
  }
  stealOrder.reset(uint32_t(nprocs));
  atomic::Store(&gomaxprocs, nprocs);
  return runnablePs;
}

// gcount is the number of live goroutines (Go: proc.go).
int32_t gcount() {
  int64_t n =
      atomic::Load(&allgs.len) - sched.gFree.n - static_cast<int32_t>(atomic::Load(&sched.ngsys));
  for (int64_t i = 0; i < allp.len; i++)
    n -= allp.array[i]->gFree.n;

  // All these variables can be changed concurrently, so the result can be inconsistent. But
  // at least the current goroutine is running.
  if (n < 1)
    n = 1;
  return static_cast<int32_t>(n);
}

// NumGoroutine returns the number of goroutines that currently exist (Go: debug.go).
int64_t NumGoroutine() { return gcount(); }

// NumCPU returns the number of logical CPUs usable by the current process (Go: debug.go).
int64_t NumCPU() { return ncpu; }

// GOMAXPROCS sets the maximum number of CPUs that can be executing simultaneously and returns
// the previous setting. If n < 1, it does not change the current setting (Go: debug.go).
int64_t GOMAXPROCS(int64_t n) {
  lock(&sched.lock);
  int64_t ret = gomaxprocs;
  unlock(&sched.lock);
  if (n <= 0 || n == ret)
    return ret;

  stopTheWorld("GOMAXPROCS");

  // newprocs will be processed by startTheWorld. As in Go, n is truncated to int32: 1<<32+2
  // sets 2, 1<<32 changes nothing, and 1<<31 is negative, which procresize rejects.
  newprocs = static_cast<int32_t>(n);

  startTheWorld();
  return ret;
}

// procPin pins the current goroutine to its P: with m.locks raised, neither the check at a
// function's entry nor a SIGURG preempts it (canPreemptM), so the goroutine keeps its M and P
// until procUnpin. It returns the P's id. sync.Pool indexes its per-P caches with the id.
int procPin() {
  g *_g_ = getg();
  m *mp = _g_->m;

  mp->locks++;
  return int(mp->p->id);
}

// procUnpin undoes procPin. As in Go, it does not re-arm a preemption request that arrived
// while pinned (releasem does): the next one, 10 ms on, finds the goroutine preemptible.
void procUnpin() {
  g *_g_ = getg();
  _g_->m->locks--;
}

// sync_runtime_procPin and sync_runtime_procUnpin are package sync's runtime_procPin and
// runtime_procUnpin (stdlib/sync/pool.toy).
extern "C" int64_t sync_runtime_procPin() __asm__("sync.runtime_procPin");
int64_t sync_runtime_procPin() { return procPin(); }

extern "C" void sync_runtime_procUnpin() __asm__("sync.runtime_procUnpin");
void sync_runtime_procUnpin() { procUnpin(); }

} // namespace runtime
