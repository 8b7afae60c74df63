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
// This step runs one M (m0) with GOMAXPROCS Ps, only the first of which ever runs Gs.
// Everything is laid out as in Go so that the worker-thread machinery (newm, startm, wakep,
// stealing, spinning, sysmon, handoffp) slots in without rearranging: where Go would start or
// wake another M, the code says so in a "Differs from Go (for now)" comment. With one M, an M
// that finds no work is the last one running: stopm -> mput -> checkdead reports the deadlock,
// as in Go.
//
// Differs from Go: the 61-tick check sits at the top of findRunnable, as in Go 1.19 (the
// 1.12-1.14 sources have it in schedule).

#include "atomic.h"
#include "stubs.h"

extern "C" void main_main() __asm__("main.main"); // the program's main.main

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
static mutex allpLock;
static int64_t runtimeInitTime;

// Number of goroutine ids to grab from sched.goidgen to local per-P cache at once.
// 16 seems to provide enough amortization, but other than that it's mostly arbitrary number.
constexpr uint64_t _GoidCacheBatch = 16;

[[noreturn]] static void schedule();
[[noreturn]] static void execute(g *gp, bool inheritTime);
static p *procresize(int32_t nprocs);
static void runqput(p *_p_, g *gp, bool next);
static void wakep();
static void acquirep(p *_p_);
[[noreturn]] static void mexit(bool osStack);

// ---- gList / gQueue ----

void gList::push(g *gp) {
  gp->schedlink = head;
  head = gp;
}

// pushAll prepends all Gs in q to l.
void gList::pushAll(gQueue q) {
  if (!q.empty()) {
    q.tail->schedlink = head;
    head = q.head;
  }
}

g *gList::pop() {
  g *gp = head;
  if (gp != nullptr)
    head = gp->schedlink;
  return gp;
}

void gQueue::push(g *gp) {
  gp->schedlink = head;
  head = gp;
  if (tail == nullptr)
    tail = gp;
}

void gQueue::pushBack(g *gp) {
  gp->schedlink = nullptr;
  if (tail != nullptr)
    tail->schedlink = gp;
  else
    head = gp;
  tail = gp;
}

// pushBackAll adds all Gs in q2 to the tail of q. After this q2 must not be used.
void gQueue::pushBackAll(gQueue q2) {
  if (q2.tail == nullptr)
    return;
  q2.tail->schedlink = nullptr;
  if (tail != nullptr)
    tail->schedlink = q2.head;
  else
    head = q2.head;
  tail = q2.tail;
}

g *gQueue::pop() {
  g *gp = head;
  if (gp != nullptr) {
    head = gp->schedlink;
    if (head == nullptr)
      tail = nullptr;
  }
  return gp;
}

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

static void allgadd(g *gp) {
  if (readgstatus(gp) == _Gidle)
    throw_("allgadd: bad status Gidle");
  lock(&allglock);
  if (allgs.len == allgs.cap) {
    int64_t ncap = allgs.cap < 64 ? 64 : 2 * allgs.cap;
    // Differs from Go: no GC, so the old array is simply abandoned.
    auto *a = static_cast<g **>(mallocgc(ncap * static_cast<int64_t>(sizeof(g *))));
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

  uint64_t lo = static_cast<uint32_t>(mp->id) * 0x9e3779b9u; // Go: fastrand1 * id, seeded from
  uint64_t hi = static_cast<uint64_t>(nanotime());           // startupRandomData
  mp->fastrand = lo | hi << 32;
  if (mp->fastrand == 0)
    mp->fastrand = 0x49f6428a;

  mpreinit(mp);
  if (mp->gsignal != nullptr)
    mp->gsignal->stackguard1 = mp->gsignal->stack.lo + _StackGuard;

  // Add to allm so garbage collector doesn't free g->m when it is just in a register or
  // thread-local storage.
  mp->alllink = allm;
  atomic::Store(&allm, mp);
  unlock(&sched.lock);
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
  // Differs from Go: stackinit/mallocinit have nothing to do (zeroed globals), no cpuinit,
  // alginit, modules, signals or GC to set up yet.
  mcommoninit(_g_->m, -1);
  goenvs();

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
// Differs from Go: no sysmon, no runtime or package init tasks (the compiler initialises
// package variables itself for now), and main does not lock the OS thread during init.
void main() __asm__("runtime.main");
void main() {
  g *gp = getg();
  mainStarted = true;
  if (gp->m != &m0)
    throw_("runtime.main not on m0");
  runtimeInitTime = nanotime(); // must be before doInit for correct init tracing

  main_main();

  // Make racy client program work: if panicking on another goroutine at the same time as
  // main returns, let the other goroutine finish printing the panic trace. Once it does, it
  // will exit.
  if (atomic::Load(&panicking) != 0)
    gopark(nullptr, nullptr, waitReasonPanicWait);

  exit(0);
}

// ---- mstart ----

// mstart1 records where g0's stack begins for mcall (the caller's sp/pc/bp: mstart0's frame),
// runs minit and enters the scheduler. noinline: its frame must be its own.
__attribute__((noinline)) static void mstart1() {
  g *_g_ = getg();
  if (_g_ != _g_->m->g0)
    throw_("bad runtime·mstart");

  // Set up m.g0.sched as a label returning to just after the mstart1 call in mstart0 above,
  // for use by goexit0 and mcall. We're never coming back to mstart1 after we call schedule,
  // so other calls can reuse the current frame.
  auto *fp = static_cast<uintptr_t *>(__builtin_frame_address(0));
  _g_->sched.g = _g_;
  _g_->sched.pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0)); // getcallerpc()
  _g_->sched.sp = reinterpret_cast<uintptr_t>(fp + 2);                      // getcallersp()
  _g_->sched.bp = fp[0]; // Differs from Go: mcall also restores the caller's frame pointer

  minit();

  if (void (*fn)() = _g_->m->mstartfn; fn != nullptr)
    fn();

  if (_g_->m != &m0) {
    p *nextp = _g_->m->nextp;
    _g_->m->nextp = nullptr;
    acquirep(nextp);
  }
  schedule();
}

// mstart0 is the Go entry-point for new Ms. This must not split the stack because we may
// not even have stack bounds set up yet. May run during STW (because it doesn't have a P yet),
// so write barriers are not allowed.
void mstart0() {
  g *_g_ = getg();
  bool osStack = _g_->stack.lo == 0;
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
  mstart1();
  // Exit this thread.
  mexit(osStack);
}

// mexit tears down and exits the current thread. Reached when mstart1 returns, which in Go
// happens when a goroutine locked to this thread exits (goexit0's gogo(&m.g0.sched)).
// Differs from Go (for now): LockOSThread and thread exit arrive with the Ms.
static void mexit(bool) { throw_("mexit: thread exit is not implemented yet"); }

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
    // main goroutine and gets the 1 GB reservation instead of a 2 KiB stack that grows.
    newg = malg(mainStarted ? _FixedStack : mainStackSize);
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
  releasem(_g_->m);
  return newg;
}

// newproc creates a new g running fn(arg) and puts it on the queue of gs waiting to run.
// The compiler turns go statements into calls to this.
// Differs from Go: fn is a C function plus one argument (the compiler packs a closure's
// captured variables behind arg) instead of a *funcval.
void newproc(void (*fn)(void *), void *arg) {
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

// ---- run queues ----

// runqempty reports whether _p_ has no Gs on its local run queue. It never returns true
// spuriously.
static bool runqempty(p *_p_) {
  // Defend against a race where 1) _p_ has G1 in runqnext but runqhead == runqtail, 2)
  // runqput on _p_ kicks G1 to the runq, 3) runqget on _p_ empties runqnext. Simply
  // observing that runqhead == runqtail and then observing that runqnext == nil does not mean
  // the queue is empty.
  for (;;) {
    uint32_t head = atomic::Load(&_p_->runqhead);
    uint32_t tail = atomic::Load(&_p_->runqtail);
    g *runnext = atomic::Load(&_p_->runnext);
    if (tail == atomic::Load(&_p_->runqtail))
      return head == tail && runnext == nullptr;
  }
}

// globrunqput puts gp on the global runnable queue. sched.lock must be held.
static void globrunqput(g *gp) {
  sched.runq.pushBack(gp);
  sched.runqsize++;
}

// globrunqputhead puts gp at the head of the global runnable queue. sched.lock must be held.
static void globrunqputhead(g *gp) {
  sched.runq.push(gp);
  sched.runqsize++;
}

// globrunqputbatch puts a batch of runnable goroutines on the global runnable queue. This
// clears *batch. sched.lock must be held.
static void globrunqputbatch(gQueue *batch, int32_t n) {
  sched.runq.pushBackAll(*batch);
  sched.runqsize += n;
  *batch = gQueue{};
}

// globrunqget tries to get a batch of G's from the global runnable queue. sched.lock must be
// held.
static g *globrunqget(p *_p_, int32_t max) {
  if (sched.runqsize == 0)
    return nullptr;

  int32_t n = sched.runqsize / gomaxprocs + 1;
  if (n > sched.runqsize)
    n = sched.runqsize;
  if (max > 0 && n > max)
    n = max;
  if (n > int32_t(runqSize) / 2)
    n = int32_t(runqSize) / 2;

  sched.runqsize -= n;

  g *gp = sched.runq.pop();
  n--;
  for (; n > 0; n--) {
    g *gp1 = sched.runq.pop();
    runqput(_p_, gp1, false);
  }
  return gp;
}

// runqputslow puts g and a batch of work from local runnable queue on global queue.
// Executed only by the owner P.
static bool runqputslow(p *_p_, g *gp, uint32_t h, uint32_t t) {
  g *batch[runqSize / 2 + 1];

  // First, grab a batch from local queue.
  uint32_t n = t - h;
  n = n / 2;
  if (n != runqSize / 2)
    throw_("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++)
    batch[i] = _p_->runq[(h + i) % runqSize];
  if (!atomic::CasRel(&_p_->runqhead, h, h + n)) // cas-release, commits consume
    return false;
  batch[n] = gp;

  // Link the goroutines.
  for (uint32_t i = 0; i < n; i++)
    batch[i]->schedlink = batch[i + 1];
  gQueue q{batch[0], batch[n]};

  // Now put the batch on global queue.
  lock(&sched.lock);
  globrunqputbatch(&q, int32_t(n + 1));
  unlock(&sched.lock);
  return true;
}

// runqput tries to put g on the local runnable queue. If next is false, runqput adds g to the
// tail of the runnable queue. If next is true, runqput puts g in the _p_.runnext slot. If the
// run queue is full, runnext puts g on the global queue. Executed only by the owner P.
static void runqput(p *_p_, g *gp, bool next) {
  if (next) {
    g *oldnext;
    do {
      oldnext = _p_->runnext;
    } while (!atomic::Cas(&_p_->runnext, oldnext, gp));
    if (oldnext == nullptr)
      return;
    // Kick the old runnext out to the regular run queue.
    gp = oldnext;
  }

  for (;;) {
    uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with consumers
    uint32_t t = _p_->runqtail;
    if (t - h < runqSize) {
      _p_->runq[t % runqSize] = gp;
      atomic::StoreRel(&_p_->runqtail, t + 1); // store-release, makes the item available
      return;
    }
    if (runqputslow(_p_, gp, h, t))
      return;
    // the queue is not full, now the put above must succeed
  }
}

// runqget gets a g from the local runnable queue. If inheritTime is true, gp should inherit
// the remaining time in the current time slice. Otherwise, it should start a new time slice.
// Executed only by the owner P.
static g *runqget(p *_p_, bool *inheritTime) {
  // If there's a runnext, it's the next G to run.
  g *next = _p_->runnext;
  // If the runnext is non-0 and the CAS fails, it could only have been stolen by another P,
  // because other Ps can race to set runnext to 0, but only the current P can set it to
  // non-0. Hence, there's no need to retry this CAS if it falls.
  if (next != nullptr && atomic::Cas(&_p_->runnext, next, static_cast<g *>(nullptr))) {
    *inheritTime = true;
    return next;
  }

  for (;;) {
    uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with other consumers
    uint32_t t = _p_->runqtail;
    if (t == h) {
      *inheritTime = false;
      return nullptr;
    }
    g *gp = _p_->runq[h % runqSize];
    if (atomic::CasRel(&_p_->runqhead, h, h + 1)) { // cas-release, commits consume
      *inheritTime = false;
      return gp;
    }
  }
}

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
  _g_->m->p = nullptr;
  _p_->m = nullptr;
  _p_->status = _Pidle;
  return _p_;
}

// pidleput puts p on the _Pidle list. sched.lock must be held.
static void pidleput(p *_p_) {
  if (!runqempty(_p_))
    throw_("pidleput: P has non-empty run queue");
  _p_->link = sched.pidle;
  sched.pidle = _p_;
  atomic::Xadd(&sched.npidle, 1);
}

// pidleget tries to get a p from the _Pidle list. sched.lock must be held.
[[maybe_unused]] static p *pidleget() {
  p *_p_ = sched.pidle;
  if (_p_ != nullptr) {
    sched.pidle = _p_->link;
    atomic::Xadd(&sched.npidle, -1);
  }
  return _p_;
}

static void checkdead();

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

  lock(&sched.lock);
  mput(_g_->m);
  unlock(&sched.lock);
  mPark();
  acquirep(_g_->m->nextp);
  _g_->m->nextp = nullptr;
}

// wakep tries to add one more P to execute G's. Called when a G is made runnable (newproc,
// ready).
// Differs from Go (for now): one M; startm arrives with newm.
static void wakep() {}

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

  // Differs from Go (for now): no timers, so nothing can wake a goroutine later.
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

// findRunnable finds a runnable goroutine to execute: the global queue once every 61
// schedticks, the local queue, the global queue. Blocks until work is available.
// Differs from Go (for now): no timers, netpoll, GC workers or stealing (one M).
static g *findRunnable(bool *inheritTime) {
  g *_g_ = getg();

top:
  p *_p_ = _g_->m->p;

  // Check the global runnable queue once in a while to ensure fairness. Otherwise two
  // goroutines can completely occupy the local runqueue by constantly respawning each other.
  if (_p_->schedtick % 61 == 0 && sched.runqsize > 0) {
    lock(&sched.lock);
    g *gp = globrunqget(_p_, 1);
    unlock(&sched.lock);
    if (gp != nullptr) {
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

  // We have nothing to do: return P and block.
  lock(&sched.lock);
  if (sched.runqsize != 0) {
    g *gp = globrunqget(_p_, 0);
    unlock(&sched.lock);
    *inheritTime = false;
    return gp;
  }
  if (releasep() != _p_)
    throw_("findrunnable: wrong p");
  pidleput(_p_);
  unlock(&sched.lock);

  stopm(); // with one M, checkdead (in mput) reports the deadlock
  goto top;
}

// One round of scheduler: find a runnable goroutine and execute it. Never returns.
void schedule() {
  g *_g_ = getg();

  if (_g_->m->locks != 0)
    throw_("schedule: holding locks");

  if (_g_->m->lockedg != nullptr)
    throw_("schedule: locked g (LockOSThread) is not implemented yet");

  p *pp = _g_->m->p;
  pp->preempt = false;

  // Safety check: if we are spinning, the run queue should be empty.
  if (_g_->m->spinning && (pp->runnext != nullptr || pp->runqhead != pp->runqtail))
    throw_("schedule: spinning with local work");

  bool inheritTime = false;
  g *gp = findRunnable(&inheritTime); // blocks until work is available

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

// Gosched yields the processor, allowing other goroutines to run. It does not suspend the
// current goroutine, so execution resumes automatically.
void Gosched() { mcall(gosched_m); }

// ---- GOMAXPROCS and Ps ----

// init initializes pp, which may be a freshly allocated p or a previously destroyed p, and
// transitions it to status _Pgcstop.
void p::init(int32_t id_) {
  id = id_;
  status = _Pgcstop;
}

// destroy releases all of the resources associated with pp and transitions it to status
// _Pdead. sched.lock must be held and the world must be stopped.
void p::destroy() {
  // Move all runnable goroutines to the global queue
  while (runqhead != runqtail) {
    // Pop from tail of local queue
    runqtail--;
    g *gp = runq[runqtail % runqSize];
    // Push onto head of global queue
    globrunqputhead(gp);
  }
  if (runnext != nullptr) {
    globrunqputhead(runnext);
    runnext = nullptr;
  }
  gfpurge(this);
  // Differs from Go: the rest of the mcache's region is abandoned (no GC to return it to).
  mcache = {};
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

  // Grow allp if necessary.
  if (nprocs > allp.len) {
    // Synchronize with retake, which could be running concurrently since it doesn't run on a
    // P.
    lock(&allpLock);
    if (nprocs <= allp.cap) {
      allp.len = nprocs;
    } else {
      auto *nallp = static_cast<p **>(mallocgc(nprocs * int64_t(sizeof(p *))));
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
    if (_g_->m->p != nullptr)
      _g_->m->p->m = nullptr;
    _g_->m->p = nullptr;
    p *p0 = allp.array[0];
    p0->m = nullptr;
    p0->status = _Pidle;
    acquirep(p0);
  }

  // release resources from unused P's
  for (int32_t i = nprocs; i < old; i++)
    allp.array[i]->destroy();

  // Trim allp.
  if (allp.len != nprocs) {
    lock(&allpLock);
    allp.len = nprocs;
    unlock(&allpLock);
  }

  // Rebuild the idle list and collect the Ps that have work.
  sched.pidle = nullptr;
  sched.npidle = 0;
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
// Differs from Go (for now): with one M nothing else runs, so the world is stopped by
// construction; stopTheWorldGC/startTheWorldGC arrive with the Ms.
int64_t GOMAXPROCS(int64_t n) {
  lock(&sched.lock);
  int64_t ret = gomaxprocs;
  unlock(&sched.lock);
  if (n <= 0 || n == ret)
    return ret;
  if (n > INT32_MAX)
    n = INT32_MAX;

  lock(&sched.lock);
  newprocs = static_cast<int32_t>(n);
  p *runnable = procresize(newprocs);
  newprocs = 0;
  unlock(&sched.lock);
  if (runnable != nullptr)
    throw_("startTheWorld: Ps with work need Ms (not implemented yet)");
  return ret;
}

} // namespace runtime
