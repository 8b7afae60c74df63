// The scheduler's data structures: g, m, p, schedt (Go: runtime/runtime2.go).
//
// Names, field order and meanings follow Go 1.19 so the two trees can be read side by side.
// Go stores links as guintptr/muintptr/puintptr to dodge write barriers; toy has no GC, so
// links are plain pointers.
#ifndef TOY_RUNTIME_RUNTIME2_H
#define TOY_RUNTIME_RUNTIME2_H

#include <stddef.h>
#include <stdint.h>

#include "go_asm.h"

namespace runtime {

struct g;
struct m;
struct p;
struct timer;

// A slice header for the runtime's own growable arrays (allp, allgs).
template <typename T> struct slice {
  T *array;
  int64_t len;
  int64_t cap;
};

// A Go string header. The compiler passes strings as two arguments (ptr, len), which the
// SysV ABI also uses for this struct passed by value, and returns it in rax:rdx.
struct stringStruct {
  const uint8_t *str;
  int64_t len;
};

// Stack describes a goroutine's execution stack: [lo, hi).
struct stack {
  uintptr_t lo;
  uintptr_t hi;
};

// gobuf is the saved context of a g that is not running, restored by gogo.
// Differs from Go: Go's ABI has no callee-saved registers, so Go saves only sp/pc/bp. toy's
// code follows the C ABI, so mcall pushes rbx, rbp, r12-r15 on the g's own stack before saving
// sp, and pc then points at the code in mcall that pops them. A fresh goroutine has pc = its
// entry function and ctxt = its argument, which gogo passes in %rdi.
struct gobuf {
  uintptr_t sp;
  uintptr_t pc;
  struct g *g;
  void *ctxt;
  uintptr_t ret;
  uintptr_t lr;
  uintptr_t bp;
};

// A mutex is a futex word: 0 unlocked, 1 locked, 2 locked with sleepers (lock_futex.cpp).
struct mutex {
  uint32_t key;
};

// A note is a one-shot wake-up: notesleep blocks until notewakeup (lock_futex.cpp).
struct note {
  uint32_t key;
};

// Goroutine status (Go: _Gidle ... _Gdead, in runtime2.go). The scan bit is omitted:
// Differs from Go: no GC, so no _Gscan states, _Gcopystack or _Gpreempted yet.
enum : uint32_t {
  _Gidle = 0,     // just allocated, not yet initialised
  _Grunnable = 1, // on a run queue, not executing user code
  _Grunning = 2,  // executing user code; owns an M and a P
  _Gsyscall = 3,  // executing a system call; owns an M
  _Gwaiting = 4,  // blocked in the runtime (gopark), not on a run queue
  _Gmoribund_unused = 5,
  _Gdead = 6, // unused: on a free list, or just exited
};

// P status.
enum : uint32_t {
  _Pidle = 0,    // not running user code or the scheduler; on the idle list
  _Prunning = 1, // owned by an M running user code or the scheduler
  _Psyscall = 2, // not running user code; its M is in a system call
  _Pgcstop = 3,  // halted for stop-the-world
  _Pdead = 4,    // no longer used (GOMAXPROCS shrank)
};

// waitReason says why a goroutine is parked; goroutineheader prints it (Go's strings).
enum waitReason : uint8_t {
  waitReasonZero = 0,
  waitReasonGCAssistMarking,
  waitReasonIOWait,
  waitReasonChanReceiveNilChan,
  waitReasonChanSendNilChan,
  waitReasonDumpingHeap,
  waitReasonGarbageCollection,
  waitReasonGarbageCollectionScan,
  waitReasonPanicWait,
  waitReasonSelect,
  waitReasonSelectNoCases,
  waitReasonGCAssistWait,
  waitReasonGCSweepWait,
  waitReasonGCScavengeWait,
  waitReasonChanReceive,
  waitReasonChanSend,
  waitReasonFinalizerWait,
  waitReasonForceGCIdle,
  waitReasonSemacquire,
  waitReasonSleep,
  waitReasonSyncCondWait,
  waitReasonTimerGoroutineIdle,
  waitReasonTraceReaderBlocked,
  waitReasonWaitForGCCycle,
  waitReasonGCWorkerIdle,
  waitReasonPreempted,
  waitReasonDebugCall,
  waitReasonCount,
};
const char *waitReasonString(waitReason w);

// A gList is a list of Gs linked through g.schedlink; a G is on at most one gList/gQueue.
struct gQueue;
struct gList {
  g *head;
  bool empty() const { return head == nullptr; }
  void push(g *gp);
  void pushAll(gQueue q);
  g *pop();
};

// A gQueue is a FIFO of Gs linked through g.schedlink.
struct gQueue {
  g *head;
  g *tail;
  bool empty() const { return head == nullptr; }
  void push(g *gp);     // at the head
  void pushBack(g *gp); // at the tail
  void pushBackAll(gQueue q);
  g *pop();
};

// A deferred call (Go: runtime2.go _defer), pushed on its goroutine's list by deferproc.
// Differs from Go: fn is a compiler-made wrapper called with arg (the deferred call's callee
// and arguments, evaluated at the defer statement), and sp is the address of a byte in the
// deferring frame, which the compiler passes, instead of the caller's stack pointer.
// ctx is where the deferring function resumes when a panic is recovered: its deferproc call
// returns a second time, with 1 (Go: _defer.pc and sp, which recovery hands to gogo; toy's
// ABI has callee-saved registers, so they are saved too).
struct _panic;
struct deferctx {
  uintptr_t pc; // the return address of the deferproc call
  uintptr_t sp; // the caller's stack pointer after that call returns
  uintptr_t bp;
  uintptr_t rbx, r12, r13, r14, r15;
};
struct _defer {
  bool started;       // running, from deferreturn or a panic
  uintptr_t sp;       // the frame that deferred it
  void (*fn)(void *); // the call
  void *arg;
  _panic *_panic; // the panic running it, if any
  _defer *link;   // the next older deferred call of the goroutine
  deferctx ctx;
};

// An active panic (Go: runtime2.go _panic). Differs from Go: a run-time error's value is its
// text (msg), not a runtime.Error; panic(v) keeps v as argtype/argdata.
struct _type;
struct _panic {
  stringStruct msg; // a run-time error's text, or an error's Error() after preprintpanics
  _type *argtype;   // panic(v): v's dynamic type (null for panic(nil))
  void *argdata;    // and its data word
  bool isValue;     // panic(v), printed by printpanicval; else msg is printed
  _panic *link; // the panic that was running when this one started
  bool aborted; // a deferred call it ran panicked
  bool goexit;  // not a panic: runtime.Goexit running the deferred calls
  bool recovered; // recover was called by the deferred call running
  // argp identifies the deferred call running: the frame address of the runtime function
  // that calls its wrapper (Go: the deferred call's argument pointer). gorecover compares
  // it with the frame its caller was called from.
  uintptr_t argp;
  // A bounds error's operands, which recover gives the program as a runtime.boundsError
  // (stdlib/runtime/error.toy): set by panicBounds.
  bool bounds = false;
  uint8_t boundsCode = 0;
  bool boundsSigned = false;
  int64_t boundsX = 0;
  int64_t boundsY = 0;
};

// sudog represents a g in a wait list, such as for sending/receiving on a channel (Go:
// runtime2.go). A g can be on many wait lists (select), so there are many sudogs for one g;
// and many gs can wait on one object, so there are many sudogs for one object. sudogs come
// from acquireSudog and go back through releaseSudog (chan.cpp).
struct hchan;
struct sudog {
  // The following fields are protected by the hchan.lock of the channel this sudog is
  // blocking on.
  g *g;
  sudog *next;
  sudog *prev;
  void *elem; // data element (may point to stack)

  // isSelect indicates g is participating in a select, so g.selectDone must be CAS'd to win
  // the wake-up race.
  bool isSelect;
  // success indicates whether communication over channel c succeeded. It is true if the
  // goroutine was awoken because a value was delivered over channel c, and false if awoken
  // because c was closed.
  bool success;

  sudog *waitlink; // g.waiting list or semaRoot
  hchan *c;        // channel

  // The fields a semaphore's treap (sema.h) uses, protected by its semaRoot's lock.
  // Differs from Go: no block or mutex profiles, so no acquiretime and releasetime.
  sudog *parent;   // semaRoot binary tree
  sudog *waittail; // semaRoot
  uint32_t ticket; // treap priority; 1 when semrelease hands the semaphore off; notifyList
};

// waitq is a channel's list of waiting senders or receivers, linked through sudog.next/prev.
struct waitq {
  sudog *first;
  sudog *last;
};

struct g {
  // Stack parameters. stack describes [lo, hi). stackguard0 is compared against rsp by the
  // prologue the compiler emits: lo+_StackGuard normally, stackPreempt to request preemption.
  // stackguard1 is the same for C code on g0/gsignal (~0 on user gs, as in Go).
  stack stack;
  uintptr_t stackguard0;
  uintptr_t stackguard1;

  _panic *_panic; // innermost panic
  _defer *_defer; // innermost deferred call
  struct m *m;    // current m, or null
  gobuf sched;
  uintptr_t syscallsp;
  uintptr_t syscallpc;
  uintptr_t stktopsp; // expected sp at the top of the stack, for traceback checks
  void *param;        // passed by the waker to the parked g (e.g. channel sudog)
  uint32_t atomicstatus;
  uint32_t stackLock;
  int64_t goid;
  g *schedlink;
  int64_t waitsince; // approximate time when the g became blocked
  waitReason waitreason;
  bool preempt;     // preemption signal, duplicates stackguard0 = stackPreempt
  bool preemptStop; // transition to _Gpreempted on preemption; otherwise just deschedule
  bool throwsplit;  // must not split stack
  bool activeStackChans;
  uint8_t parkingOnChan;
  struct m *lockedm;
  uintptr_t gopc;      // pc of the go statement that created this goroutine
  uintptr_t startpc;   // pc of the goroutine function
  sudog *waiting;      // sudog structures this g is waiting on (that have a valid elem ptr)
  uint32_t selectDone; // are we participating in a select and did someone win the race?
  // The fault a run-time panic reports (dopanic_m prints it): signal number, si_code, fault
  // address and pc. Set by panicmem for a nil dereference.
  uint32_t sig;
  uintptr_t sigcode0;
  uintptr_t sigcode1;
  uintptr_t sigpc;
  timer *timer; // cached timer for time.Sleep
  bool preprinting; // preprintpanics is calling a panic value's Error or String method
  // Differs from Go: a stack that is short grows by a segment (stack.cpp), not by a copy.
  struct stackSeg *stackseg;   // the segment the goroutine runs on, null on its first stack
  struct stackSeg *stackcache; // segments it left, kept for its next split, freed at exit
};

// Layout the assembly (go_asm.h) and the compiler's stack check depend on.
static_assert(offsetof(deferctx, pc) == deferctx_pc && offsetof(deferctx, sp) == deferctx_sp &&
              offsetof(deferctx, bp) == deferctx_bp && offsetof(deferctx, rbx) == deferctx_rbx &&
              offsetof(deferctx, r12) == deferctx_r12 && offsetof(deferctx, r13) == deferctx_r13 &&
              offsetof(deferctx, r14) == deferctx_r14 && offsetof(deferctx, r15) == deferctx_r15 &&
              sizeof(deferctx) == deferctx_size);
static_assert(offsetof(stack, lo) == stack_lo && offsetof(stack, hi) == stack_hi);
static_assert(offsetof(gobuf, sp) == gobuf_sp && offsetof(gobuf, pc) == gobuf_pc &&
              offsetof(gobuf, g) == gobuf_g && offsetof(gobuf, ctxt) == gobuf_ctxt &&
              offsetof(gobuf, ret) == gobuf_ret && offsetof(gobuf, lr) == gobuf_lr &&
              offsetof(gobuf, bp) == gobuf_bp);
static_assert(offsetof(g, stack) == g_stack && offsetof(g, stackguard0) == g_stackguard0 &&
              offsetof(g, stackguard1) == g_stackguard1 && offsetof(g, m) == g_m &&
              offsetof(g, sched) == g_sched);
static_assert(offsetof(g, stack.lo) == 0 && offsetof(g, stack.hi) == 8 &&
                  offsetof(g, stackguard0) == 16 && offsetof(g, stackguard1) == 24,
              "the compiler's prologue check reads g.stackguard0 at offset 16");

struct m {
  g *g0;         // goroutine with the scheduling stack
  gobuf morebuf; // gobuf arg to morestack
  uint32_t divmod;
  uint32_t _pad0;
  uint64_t procid; // thread id, for debuggers
  g *gsignal;      // signal-handling g
  uint64_t sigmask;
  // thread-local storage: tls[0] is the current g (%fs:-8), tls[15] the running goroutine's
  // split-stack limit (%fs:0x70, go_asm.h TLS_STACKLIMIT). Differs from Go: Go has 6 slots.
  uintptr_t tls[16];
  void (*mstartfn)();
  g *curg;     // current running goroutine
  struct p *p; // attached p for executing Go code (null if not executing Go code)
  struct p *nextp;
  struct p *oldp; // the p that was attached before executing a syscall
  int64_t id;
  int32_t mallocing;
  int32_t throwing;
  const char *preemptoff; // if non-null, keep curg running on this m
  int32_t locks;
  int32_t dying;
  bool spinning; // m is out of work and is actively looking for work
  bool blocked;  // m is blocked on a note
  bool newSigstack;
  int8_t printlock;
  uint32_t freeWait; // if == 0, safe to free g0 and delete m
  uint64_t fastrand;
  note park;
  m *alllink; // on allm
  m *schedlink;
  g *lockedg;
  uint32_t lockedExt; // tracking for external LockOSThread
  uint32_t lockedInt; // tracking for internal lockOSThread
  bool (*waitunlockf)(g *, void *);
  void *waitlock;
  uint32_t syscalltick;
  m *freelink; // on sched.freem

  // preemptGen counts the number of completed preemption signals. This is used to detect
  // when a preemption is requested, but fails. Accessed atomically.
  uint32_t preemptGen;
  // Whether this is a pending preemption signal on this M. Accessed atomically.
  uint32_t signalPending;
  g *caughtsig; // goroutine running during fatal signal
};

// Values of m.freeWait (Go: runtime2.go).
enum : uint32_t {
  freeMStack = 0, // M done, free stack and reference.
  freeMRef = 1,   // M done, free reference.
  freeMWait = 2,  // M still in use.
};
static_assert(offsetof(m, g0) == m_g0 && offsetof(m, procid) == m_procid &&
              offsetof(m, gsignal) == m_gsignal && offsetof(m, tls) == m_tls &&
              offsetof(m, curg) == m_curg);
static_assert(offsetof(m, tls[15]) - offsetof(m, tls[1]) == TLS_STACKLIMIT,
              "%fs points at m.tls[1]; the split-stack limit is at %fs:0x70");

// A P's cache of spans for small objects (malloc.h).
struct mcache;

// The local run queue's shape, set once by parsedebugvars before the first P exists and read
// without synchronisation afterwards (GODEBUG=runqsize, overflowdiv, globrunqbatch):
// runqSize slots per P, a power of two (Go: len(p.runq), 256, in runtime2.go); runqputslow
// moves runqSize/runqOverflowDiv Gs of a full ring to the global queue (Go: half); globrunqget
// takes at most globrunqBatch Gs at once (Go: len(p.runq)/2).
inline uint32_t runqSize = 256;
inline uint32_t runqOverflowDiv = 2;
inline uint32_t globrunqBatch = 128;
constexpr uint32_t runqSizeMax = 4096;

// What sysmon last saw of a P, to tell how long its G has run (Go: sysmontick in proc.go).
struct sysmontick {
  uint32_t schedtick;
  int64_t schedwhen;
  uint32_t syscalltick;
  int64_t syscallwhen;
};

struct p {
  int32_t id;
  uint32_t status; // one of _Pidle, _Prunning, ...
  p *link;
  uint32_t schedtick;   // incremented on every scheduler call
  uint32_t syscalltick; // incremented on every system call
  struct m *m;          // back-link to associated m (null if idle)
  struct mcache *mcache;

  // Cache of goroutine ids, amortizes accesses to sched.goidgen.
  uint64_t goidcache;
  uint64_t goidcacheend;

  // Queue of runnable goroutines, accessed without lock (runqput/runqget/runqsteal).
  uint32_t runqhead;
  uint32_t runqtail;
  // Differs from Go: Go's runq is an array in p; toy's ring has runqSize slots, allocated by
  // p::init, and runqputslow's batch (on Go's stack, [len(runq)/2+1]) is the P's too:
  // runqSize/runqOverflowDiv+1 slots that only the owner P uses, as only it calls runqputslow.
  // A ring of 4096 would not fit the 8 KiB g0 stacks runqputslow may run on.
  g **runq;
  g **runqbatch;
  // runnext, if non-null, is a runnable G that was ready'd by the current G and should run
  // next instead of what's in runq, inheriting the current time slice.
  g *runnext;

  // Available G's (status == Gdead).
  struct {
    gList list;
    int32_t n;
  } gFree;

  // The P's cache of free sudogs (Go: sudogcache []*sudog over sudogbuf [128]*sudog).
  int32_t nsudogcache;
  sudog *sudogcache[128];

  sysmontick sysmontick; // last tick observed by sysmon

  bool preempt; // this P should enter the scheduler ASAP

  // The when field of the first entry on the timer heap. This is updated using atomic
  // functions. This is 0 if the timer heap is empty.
  int64_t timer0When;

  // The earliest known nextwhen field of a timer with timerModifiedEarlier status. Because
  // the timer may have been modified again, there need not be any timer with this value.
  // This is updated using atomic functions. This is 0 if there are no timerModifiedEarlier
  // timers.
  int64_t timerModifiedEarliest;

  // Lock for timers. We normally access the timers while running on this P, but the
  // scheduler can also do it from a different P.
  mutex timersLock;

  // Actions to take at some time. This is used to implement the standard library's time
  // package. Must hold timersLock to access.
  slice<timer *> timers;

  // Number of timers in P's heap. Modified using atomic instructions.
  uint32_t numTimers;

  // Number of timerDeleted timers in P's heap. Modified using atomic instructions.
  uint32_t deletedTimers;

  void init(int32_t id); // (re)initialise as allp[id] (proc.cpp)
  void destroy();        // release resources when GOMAXPROCS shrinks (proc.cpp)
};

struct schedt {
  uint64_t goidgen; // accessed atomically
  int64_t lastpoll;

  mutex lock;

  m *midle;             // idle m's waiting for work
  int32_t nmidle;       // number of idle m's waiting for work
  int32_t nmidlelocked; // number of locked m's waiting for work
  int64_t mnext;        // number of m's that have been created and next M ID
  int32_t maxmcount;    // maximum number of m's allowed (or die)
  int32_t nmsys;        // number of system m's not counted for deadlock
  int64_t nmfreed;      // cumulative number of freed m's

  uint32_t ngsys; // number of system goroutines; updated atomically

  p *pidle; // idle p's
  uint32_t npidle;
  uint32_t nmspinning;

  // Global runnable queue.
  gQueue runq;
  int32_t runqsize;

  // Global cache of dead G's.
  struct {
    mutex lock;
    gList stack;   // Gs with stacks
    gList noStack; // Gs without stacks
    int32_t n;
  } gFree;

  // Central cache of sudog structs, linked through sudog.next.
  mutex sudoglock;
  sudog *sudogcache;

  m *freem; // m's waiting to be freed when their m.exited is set

  uint32_t gcwaiting; // gc is waiting to run
  int32_t stopwait;
  note stopnote;
  uint32_t sysmonwait;
  note sysmonnote;

  // sysmonlock protects sysmon's actions on the runtime. Acquire and hold this mutex to block
  // sysmon from interacting with the rest of the runtime.
  mutex sysmonlock;

  int32_t profilehz;

  // pollUntil is when the M sleeping for timers (findRunnable) wakes, 0 if none sleeps.
  int64_t pollUntil;
};

// Globals (Go: runtime2.go and proc.go). All zero-initialised: .init_array is not run.
// m0 and g0 are referenced by name from rt0_go (asm_amd64.S).
extern m m0 __asm__("runtime.m0");
extern g g0 __asm__("runtime.g0");
extern m *allm;
extern slice<p *> allp;
extern int32_t gomaxprocs;
extern int32_t ncpu;
extern schedt sched;
extern int32_t newprocs;
extern bool mainStarted;
extern uint32_t panicking;

// Gs that ever existed (Go: allgs in proc.go), under allglock.
extern mutex allglock;
extern slice<g *> allgs;

// getg returns the current g from %fs:-8 (Go: a compiler intrinsic).
// volatile: the value changes under the compiler's feet only in assembly (gogo, mcall), but
// code on either side of those switches must not share a cached copy.
inline g *getg() {
  g *gp;
  asm volatile("movq %%fs:-8, %0" : "=r"(gp));
  return gp;
}

inline uint32_t readgstatus(g *gp) { return __atomic_load_n(&gp->atomicstatus, __ATOMIC_ACQUIRE); }

} // namespace runtime

#endif
