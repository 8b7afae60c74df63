// Declarations shared across the runtime's files (Go: stubs.go, plus one package's worth of
// cross-file calls). Assembly functions and everything the compiler calls carry Go's symbol
// name through an asm label ("runtime.gogo"); the rest are ordinary C++ functions in
// namespace runtime.
#ifndef TOY_RUNTIME_STUBS_H
#define TOY_RUNTIME_STUBS_H

#include "runtime2.h"

#define GOSYM(name) __asm__("runtime." name)

// KEEPFRAME marks a function that a goroutine parks through and that Go's traceback shows at
// its default level (time.Sleep, sync.runtime_SemacquireMutex): it makes no tail call, so its
// frame stays on the parked goroutine's stack. It goes on the function's first declaration
// (clang 19 ignored it on a later definition alone).
// Differs from Go: Go makes no tail calls; the rest of toy's runtime does, so a parked
// goroutine's traceback at GOTRACEBACK=system lacks the frames that tail-called on the way to
// mcall (gopark's, chanrecv1's): every frame kept costs a mispredicted return when the
// goroutine resumes (pingpong and yield measured 20% slower with no tail calls at all).
#define KEEPFRAME __attribute__((disable_tail_calls))

namespace runtime {

// ---- asm_amd64.S ----
extern "C" [[noreturn]] void gogo(gobuf *buf) GOSYM("gogo");
extern "C" void mcall(void (*fn)(g *)) GOSYM("mcall");
extern "C" const uintptr_t mcallresumepc GOSYM("mcallresumepc"); // g.sched.pc mcall saves
// where a function __morestack ran on a new stack segment returns to
extern "C" const uintptr_t morestackresumepc GOSYM("morestackresumepc");
struct deferctx;
extern "C" [[noreturn]] void recoverygogo(const deferctx *ctx) GOSYM("recoverygogo");
extern "C" void systemstack(void (*fn)(void *), void *arg) GOSYM("systemstack");
extern "C" [[noreturn]] void mstart() GOSYM("mstart");
extern "C" void goexit() GOSYM("goexit");

// ---- sys_linux_amd64.S: raw system calls; results are -errno on failure ----
extern "C" [[noreturn]] void exit(int32_t code) GOSYM("exit");
extern "C" [[noreturn]] void exitThread(uint32_t *wait) GOSYM("exitThread");
extern "C" [[noreturn]] void exitThreadBaton(uint32_t *wait, uint32_t *baton) GOSYM("exitThreadBaton");
extern "C" int32_t write1(uintptr_t fd, const void *p, int32_t n) GOSYM("write1");
extern "C" int32_t read(int32_t fd, void *p, int32_t n) GOSYM("read");
extern "C" int32_t open(const char *name, int32_t mode, int32_t perm) GOSYM("open");
extern "C" int32_t closefd(int32_t fd) GOSYM("closefd");
extern "C" int32_t openat(int32_t dirfd, const char *name, int32_t flags, int32_t mode)
    GOSYM("openat");
extern "C" int32_t unlinkat(int32_t dirfd, const char *name, int32_t flags) GOSYM("unlinkat");
extern "C" int32_t mkdirat(int32_t dirfd, const char *name, int32_t mode) GOSYM("mkdirat");
extern "C" int64_t lseek(int32_t fd, int64_t offset, int32_t whence) GOSYM("lseek");
extern "C" int32_t newfstatat(int32_t dirfd, const char *name, void *stat, int32_t flags)
    GOSYM("newfstatat");
extern "C" int32_t fstat(int32_t fd, void *stat) GOSYM("fstat");
extern "C" int64_t pread64(int32_t fd, void *p, int64_t n, int64_t offset) GOSYM("pread64");
extern "C" int64_t getdents64(int32_t fd, void *buf, int64_t n) GOSYM("getdents64");
extern "C" void usleep1(uint32_t usec) GOSYM("usleep");
extern "C" int32_t gettid() GOSYM("gettid");
extern "C" int32_t getpid() GOSYM("getpid");
extern "C" int32_t tgkill(int32_t tgid, int32_t tid, int32_t sig) GOSYM("tgkill");
extern "C" void raiseproc(uint32_t sig) GOSYM("raiseproc");
extern "C" int64_t nanotime1() GOSYM("nanotime1");
extern "C" int64_t walltime1() GOSYM("walltime");
extern "C" int32_t rtsigprocmask(int32_t how, const uint64_t *new_, uint64_t *old, int32_t size)
    GOSYM("rtsigprocmask");
extern "C" uintptr_t sysMmap(void *addr, uintptr_t n, int32_t prot, int32_t flags, int32_t fd,
                             uint32_t off) GOSYM("sysMmap");
extern "C" int32_t sysMunmap(void *addr, uintptr_t n) GOSYM("sysMunmap");
extern "C" int32_t mprotect(void *addr, uintptr_t n, int32_t prot) GOSYM("mprotect");
extern "C" int32_t madvise(void *addr, uintptr_t n, int32_t flags) GOSYM("madvise");
constexpr int32_t _MADV_DONTNEED = 4;
extern "C" int64_t futex(void *addr, int32_t op, uint32_t val, const void *ts, void *addr2,
                         uint32_t val3) GOSYM("futex");
extern "C" int32_t clone(int32_t flags, void *stk, m *mp, g *gp, void (*fn)()) GOSYM("clone");
extern "C" int32_t sigaltstack(const void *new_, void *old) GOSYM("sigaltstack");
extern "C" void settls(uintptr_t *tls) GOSYM("settls");
extern "C" void osyield1() GOSYM("osyield");
extern "C" int32_t sched_getaffinity(uintptr_t pid, uintptr_t len, uint8_t *buf)
    GOSYM("sched_getaffinity");
struct rlimit {
  uint64_t rlim_cur;
  uint64_t rlim_max;
};
constexpr int32_t _RLIMIT_STACK = 3, _RLIMIT_AS = 9;
constexpr uint64_t _RLIM_INFINITY = ~uint64_t(0);
extern "C" int32_t getrlimit(int32_t resource, rlimit *rlim) GOSYM("getrlimit");
extern "C" int32_t sysinfo(void *info) GOSYM("sysinfo");

// ---- sim.cpp: deterministic simulation (toyc build --simulate) ----
// simulating is set once, by m0 in parsedebugvars before any other M exists. Under it the
// clock is virtual and sleeping, spinning and parking pass the baton (sim.cpp).
extern bool simulating;
// Defined (by toyc --simulate) only in a simulate build: a weak reference, null otherwise.
extern "C" const uint8_t simulateBuild GOSYM("simulateBuild") __attribute__((weak));
void siminit(uint64_t seed, int32_t pctdepth, int64_t pctsteps);
uint64_t simrandom();
int64_t simnanotime();
int64_t simwalltime();
int64_t simcputicks();
void simfutexsleep(uint32_t *addr, uint32_t val, int64_t ns);
void simfutexwakeup(uint32_t *addr, uint32_t cnt);
void simusleep(uint32_t usec);
void simspin(int64_t ns);
void simschedpoint();
void (*simnewosproc(m *mp))();
[[noreturn]] void simexit(uint32_t *freeWait);
void simreport();
int64_t simstepcount();
// schedpoint marks a scheduling point (schedule, gopark, goready, newproc): under simulation
// the baton may change hands there if the M holds no runtime lock.
inline void schedpoint() {
  if (simulating)
    simschedpoint();
}

inline int64_t nanotime() { return simulating ? simnanotime() : nanotime1(); }
inline int64_t walltime() { return simulating ? simwalltime() : walltime1(); }
inline void usleep(uint32_t usec) {
  if (simulating)
    simusleep(usec);
  else
    usleep1(usec);
}
// What a spin (osyield) costs on the virtual clock, in ns: about a sched_yield system call.
constexpr int64_t simYieldNS = 1000;
inline void osyield() {
  if (simulating)
    simspin(simYieldNS);
  else
    osyield1();
}
inline void procyield(uint32_t cycles) {
  if (simulating) {
    simspin(cycles);
    return;
  }
  while (cycles-- > 0)
    __builtin_ia32_pause();
}
// mmap returns the mapping, or null with *err set to the errno.
void *mmap(void *addr, uintptr_t n, int32_t prot, int32_t flags, int32_t fd, uint32_t off,
           int32_t *err);
inline int32_t write(uintptr_t fd, const void *p, int32_t n) { return write1(fd, p, n); }

// mmap constants (Linux x86-64).
constexpr int32_t _PROT_NONE = 0, _PROT_READ = 1, _PROT_WRITE = 2;
constexpr int32_t _MAP_PRIVATE = 0x2, _MAP_FIXED = 0x10, _MAP_ANON = 0x20, _MAP_NORESERVE = 0x4000;
constexpr uintptr_t physPageSizeDefault = 4096;

// ---- os_linux.cpp ----
extern uintptr_t physPageSize;
extern uint64_t physMemBytes;
extern int32_t argc;
extern uint8_t **argv;
extern "C" void args(int32_t c, uint8_t **v) GOSYM("args");
extern "C" void osinit() GOSYM("osinit");
uintptr_t osStackLo();
void goenvs();
// ---- runtime1.cpp ----
extern slice<stringStruct> argslice; // the command-line arguments, made by goargs
extern uint8_t **envs;  // the environment's "key=value" strings, found by goenvs
extern int32_t nenvs;
void goargs();
stringStruct gogetenv(const char *key);
void futexsleep(uint32_t *addr, uint32_t val, int64_t ns);
void futexwakeup(uint32_t *addr, uint32_t cnt);
void mpreinit(m *mp);
void minit();
void unminit();
void newosproc(m *mp);
void sigsave(uint64_t *p);

// ---- signal_linux.cpp, preempt.cpp ----
void initsig(bool preinit);
void minitSignalMask();
void sigblock(bool exiting);
const char *signame(uint32_t sig);
[[noreturn]] void crash();
[[noreturn]] void sigpipe();
extern const bool preemptMSupported;
void preemptM(m *mp);
void signalM(m *mp, int32_t sig);
bool canPreemptM(m *mp);

// ---- lock_futex.cpp ----
// Spinning before sleeping, by lock and by sync.Mutex (runtime_canSpin, runtime_doSpin).
constexpr int active_spin = 4;
constexpr uint32_t active_spin_cnt = 30;
void lock(mutex *l);
bool trylock(mutex *l);
void unlock(mutex *l);
void noteclear(note *n);
void notesleep(note *n);
bool notetsleep(note *n, int64_t ns);
void notewakeup(note *n);

// ---- malloc.cpp, mcache.cpp ----
struct _type; // a type descriptor (Go: type.go; type.h)
extern "C" void *mallocgc(uintptr_t size, _type *typ, bool needzero) GOSYM("mallocgc");
// gonew allocates a zeroed T (Go: newobject).
template <typename T> inline T *gonew() {
  return static_cast<T *>(mallocgc(sizeof(T), nullptr, true));
}
void mallocinit();
extern mcache *mcache0;
mcache *allocmcache();
void freemcache(mcache *c);
extern "C" void *memmove(void *dst, const void *src, size_t n);
extern "C" void *memcpy(void *dst, const void *src, size_t n);
extern "C" void *memset(void *dst, int c, size_t n);
extern "C" int memcmp(const void *a, const void *b, size_t n);
void memclrNoHeapPointers(void *p, uintptr_t n);

// ---- stack.cpp ----
// The stack guard is a pointer this many bytes above the bottom of the stack (Go: _StackGuard).
constexpr uintptr_t _StackGuard = 928;
// Go's stackPreempt: larger than any real sp, so the prologue check always fails.
constexpr uintptr_t stackPreempt = 0xfffffffffffffade;
// Differs from Go: a goroutine starts on a reservation of this size carved from a
// MAP_NORESERVE arena (pages are committed as they are touched), not on a 2 KiB stack, and
// grows by segments of at least this size (stack.cpp), not by copying.
constexpr uintptr_t _FixedStack = 1 << 20;
// The bytes of every stack below its split-stack limit, where the runtime's own frames run
// (go_asm.h STACK_SPLIT_ROOM).
constexpr uintptr_t _StackSplitRoom = STACK_SPLIT_ROOM;
// Go's maximum stack size on 64-bit systems (set by runtime.main): a goroutine whose segments
// would exceed it has overflowed. Also the main goroutine's first reservation.
constexpr uintptr_t maxstacksize = 1000000000;
stack stackalloc(uintptr_t n);
void stackfree(stack stk);
// A stack segment's header, in its top bytes: the goroutine's stack below it, from lo.
struct stackSeg {
  stack alloc;     // the whole allocation, as stackalloc returned it
  stack prev;      // the goroutine's stack before it entered this segment
  stackSeg *link;  // the segment it entered this one from (null: its first stack), or the
                   // next one in its stackcache
  uintptr_t total; // bytes of every stack the goroutine is on, this segment's included
};
void stackUnwind(g *gp, uintptr_t sp);
void stackSegmentsFree(g *gp);
void stackScavenge(int64_t now, bool allIdle);

// ---- proc.cpp ----
extern "C" void newproc(void (*fn)(void *), void *arg) GOSYM("newproc");
extern "C" void schedinit() GOSYM("schedinit");
extern "C" [[noreturn]] void mstart0() GOSYM("mstart0");
extern "C" [[noreturn]] void goexit1() GOSYM("goexit1");
extern "C" void Gosched() GOSYM("Gosched");
void gopreempt_m(g *gp);
void goyield();
extern "C" int64_t NumGoroutine() GOSYM("NumGoroutine");
extern "C" int64_t NumCPU() GOSYM("NumCPU");
extern "C" int64_t GOMAXPROCS(int64_t n) GOSYM("GOMAXPROCS");
int procPin();
void procUnpin();
void gopark(bool (*unlockf)(g *, void *), void *lock, waitReason reason);
void goparkunlock(mutex *lock, waitReason reason);
void goready(g *gp);
void forcegchelper(void *);
void casgstatus(g *gp, uint32_t oldval, uint32_t newval);
m *acquirem();
void releasem(m *mp);
g *malg(intptr_t stacksize);
int32_t gcount();
int32_t mcount();
uint32_t fastrand();
// fastrandn returns a pseudorandom uint32 in [0, n): a multiply and shift, as Go's (stubs.go).
inline uint32_t fastrandn(uint32_t n) {
  return static_cast<uint32_t>((static_cast<uint64_t>(fastrand()) * n) >> 32);
}
extern "C" void LockOSThread() GOSYM("LockOSThread");
extern "C" void UnlockOSThread() GOSYM("UnlockOSThread");
void lockOSThread();
void unlockOSThread();

extern mutex allpLock;
void wakep();

// ---- time.cpp ----
struct timer;
// checkTimers' results (Go returns them as three values).
struct timerCheck {
  int64_t now;       // the time passed in, or the current time if 0 was passed
  int64_t pollUntil; // when the next timer should run, 0 if there is none
  bool ran;          // whether it ran any timers
};
timerCheck checkTimers(p *pp, int64_t now);
int64_t nobarrierWakeTime(p *pp);
void moveTimers(p *pp, timer **timers, int64_t n);
void updateTimerModifiedEarliest(p *pp, int64_t nextwhen);
int64_t timeSleepUntil();
void wakeNetPoller(int64_t when);
void timerSleep(int64_t delay);
void timerSleepBreak();

// ---- chan.cpp, select.cpp ----
struct hchan;
extern "C" hchan *makechan(uintptr_t elemsize, int64_t size) GOSYM("makechan");
extern "C" void chansend1(hchan *c, const void *elem) GOSYM("chansend1");
extern "C" void chanrecv1(hchan *c, void *elem) GOSYM("chanrecv1");
extern "C" bool chanrecv2(hchan *c, void *elem) GOSYM("chanrecv2");
extern "C" void closechan(hchan *c) GOSYM("closechan");
extern "C" int64_t chanlen(hchan *c) GOSYM("chanlen");
extern "C" int64_t chancap(hchan *c) GOSYM("chancap");
bool chansend(hchan *c, const void *ep, bool block);
// chanrecv's two results (Go: selected, received bool).
struct recvResult {
  bool selected;
  bool received;
};
recvResult chanrecv(hchan *c, void *ep, bool block);
void send(hchan *c, sudog *sg, const void *ep, void (*unlockf)(void *), void *arg);
void recv(hchan *c, sudog *sg, void *ep, void (*unlockf)(void *), void *arg);
sudog *acquireSudog();
void releaseSudog(sudog *s);
void sudogpurge(p *pp);

// ---- sema.cpp ----
void semacquire1(uint32_t *addr, bool lifo);
void semrelease1(uint32_t *addr, bool handoff);
inline void semacquire(uint32_t *addr) { semacquire1(addr, false); }

// ---- mgc.cpp ----
void gcenable();
void bgsweep(void *arg);
void bgscavenge(void *arg);

// ---- debug.cpp ----
// GODEBUG settings (Go: the debug struct in runtime1.go). schedstats and the scheduler's knobs
// below it are toy's own (docs/scheduler-experiments.md); their defaults are Go's constants.
struct dbgVars {
  int32_t scheddetail;
  int32_t schedtrace;
  int32_t schedstats;
  int32_t schedfairness;  // findRunnable's global-queue check every N schedticks; 0: off
  int32_t sysmonpreempt;  // 0 stops sysmon from preempting long-running Gs
  int32_t stealtries;     // stealWork's rounds over all Ps
  int32_t spinningcap;    // 0 drops findRunnable's limit on spinning Ms
  int32_t forcepreemptns; // retake's time slice in ns (Go: forcePreemptNS)
  int32_t sysmonmindelay; // sysmon's shortest sleep in µs
  int32_t sysmonmaxdelay; // sysmon's longest sleep in µs
  uint64_t schedseed;     // the seed every M's fastrand state is derived from
  bool schedseeded;       // schedseed came from GODEBUG (it also keys memhash then)
  int32_t asyncpreemptoff; // 1: preemptM sends no SIGURG (Go's knob)
  int32_t aeshash;         // 0: memhash is the portable hash even where the CPU has AES
};
extern dbgVars debug;
// Counters for GODEBUG=schedstats=1, bumped with relaxed atomics (statistics only).
struct schedStats {
  uint64_t newm;       // Ms created by newm
  uint64_t goroutines; // goroutines created by newproc1
  uint64_t fairness;   // Gs taken from the global queue by the 61-schedtick check
  uint64_t runnext;    // Gs run from runnext
  uint64_t steals;     // successful runqsteal calls
  uint64_t stolen;     // Gs moved by them
  uint64_t nospin;     // times findRunnable's limit on spinning Ms kept an M from stealing
  uint64_t preemptsignals; // SIGURGs sent by preemptM
  uint64_t asyncpreempts;  // Gs descheduled by asyncPreempt
};
extern schedStats schedstats;
void parsedebugvars();
uint64_t schedSeed();
void schedtrace(bool detailed);
void schedstatsprint();
void g0paint(uintptr_t lo, uintptr_t hi);
uintptr_t g0highwater(m *mp);

// ---- print.cpp ----
extern "C" void printlock() GOSYM("printlock");
extern "C" void printunlock() GOSYM("printunlock");
extern "C" void printint(int64_t v) GOSYM("printint");
extern "C" void printuint(uint64_t v) GOSYM("printuint");
extern "C" void printhex(uint64_t v) GOSYM("printhex");
extern "C" void printfloat(double v) GOSYM("printfloat");
extern "C" void printbool(bool v) GOSYM("printbool");
extern "C" void printpointer(const void *p) GOSYM("printpointer");
extern "C" void printslice(const void *array, int64_t len, int64_t cap) GOSYM("printslice");
extern "C" void printstring(const uint8_t *s, int64_t n) GOSYM("printstring");
extern "C" void printsp() GOSYM("printsp");
extern "C" void printnl() GOSYM("printnl");
void gwrite(const void *b, int64_t n);

// ---- os_file.cpp ----
void flushStdout(bool epipeKills = true);
void flushStdoutOlder(int64_t now, bool idle);
constexpr int kFloatLen = 14; // the longest float print writes: +1.500000e+000
int64_t formatfloat(double v, uint8_t out[kFloatLen]);

// Go's print(a, b, ...) statement inside the runtime: one printlock around all pieces.
struct hex {
  uint64_t v;
};
inline void print1(const char *s) {
  int64_t n = 0;
  while (s[n] != 0)
    n++;
  printstring(reinterpret_cast<const uint8_t *>(s), n);
}
inline void print1(stringStruct s) { printstring(s.str, s.len); }
inline void print1(int v) { printint(v); }
inline void print1(long v) { printint(v); }
inline void print1(long long v) { printint(v); }
inline void print1(unsigned v) { printuint(v); }
inline void print1(unsigned long v) { printuint(v); }
inline void print1(unsigned long long v) { printuint(v); }
inline void print1(bool v) { printbool(v); }
inline void print1(hex v) { printhex(v.v); }
inline void print1(const void *p) { printpointer(p); }
template <typename... T> inline void print(T... args) {
  printlock();
  (print1(args), ...);
  printunlock();
}

// ---- runtime1.cpp ----
void gotraceback(int32_t *level, bool *all, bool *crash);
void setTraceback(stringStruct level);
void settracebackenv();

// ---- panic.cpp ----
// m.throwing: why the M is dying (Go's throwType).
enum throwType : int32_t { throwTypeNone = 0, throwTypeUser = 1, throwTypeRuntime = 2 };
extern "C" [[noreturn]] void gothrow(const uint8_t *s, int64_t n) GOSYM("throw");
extern "C" [[noreturn]] void gofatal(const uint8_t *s, int64_t n) GOSYM("fatal");
// throw_/fatal_ take a C string literal; "throw" itself is a C++ keyword.
[[noreturn]] void throw_(const char *s);
[[noreturn]] void fatal_(const char *s);
// panicmsg: an unrecovered run-time panic whose value prints as msg (the shared tail of
// panicdivide, panicIndex, ...: a run-time error's value is its text).
[[noreturn]] void panicmsg(stringStruct msg);
[[noreturn]] void panicmsg(const char *msg);
extern "C" [[noreturn]] void panicdivide() GOSYM("panicdivide");
extern "C" [[noreturn]] void panicmem() GOSYM("panicmem");
[[noreturn]] void panicoverflow();
[[noreturn]] void panicfloat();
bool startpanic();

// ---- traceback.cpp ----
bool isSystemGoroutine(g *gp);
void goroutineheader(g *gp);
void tracebackothers(g *me);
// traceback prints gp's frames from pc in the frame whose frame pointer is bp (pc ~0: from
// gp.sched), then its creator; tracebacktrap is the same for a faulting pc; tracebackcaller
// starts at the function that calls it.
void traceback(uintptr_t pc, uintptr_t bp, g *gp);
void tracebacktrap(uintptr_t pc, uintptr_t bp, g *gp);
void tracebackcaller(g *gp);

// ---- string.cpp ----
extern "C" stringStruct concatstrings(const stringStruct *a, int64_t n) GOSYM("concatstrings");
extern "C" stringStruct concatstring2(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2)
    GOSYM("concatstring2");
extern "C" stringStruct concatstring3(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                                      const uint8_t *p3, int64_t l3) GOSYM("concatstring3");
extern "C" stringStruct concatstring4(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                                      const uint8_t *p3, int64_t l3, const uint8_t *p4, int64_t l4)
    GOSYM("concatstring4");
extern "C" stringStruct concatstring5(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                                      const uint8_t *p3, int64_t l3, const uint8_t *p4, int64_t l4,
                                      const uint8_t *p5, int64_t l5) GOSYM("concatstring5");
// A rune and the index after it in a string (decoderune's two results).
struct runeAndPos {
  int32_t r;
  int64_t pos;
};
extern "C" runeAndPos decoderune(const uint8_t *s, int64_t n, int64_t k) GOSYM("decoderune");
// growslice's results: the new array and its capacity.
struct sliceGrowth {
  void *array;
  int64_t cap;
};
extern "C" void *makeslice(uintptr_t elemsize, int64_t len, int64_t cap) GOSYM("makeslice");
extern "C" sliceGrowth growslice(const void *p, int64_t len, int64_t oldcap, int64_t cap,
                                 uintptr_t elemsize) GOSYM("growslice");
int64_t encoderune(uint8_t *p, int32_t r);
extern "C" stringStruct slicebytetostring(const uint8_t *p, int64_t n) GOSYM("slicebytetostring");
extern "C" uint8_t *stringtoslicebyte(const uint8_t *p, int64_t n) GOSYM("stringtoslicebyte");
extern "C" sliceGrowth stringtoslicerune(const uint8_t *p, int64_t n) GOSYM("stringtoslicerune");
extern "C" stringStruct slicerunetostring(const int32_t *a, int64_t n) GOSYM("slicerunetostring");
extern "C" stringStruct intstring(int64_t v) GOSYM("intstring");
extern "C" int64_t cmpstring(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2)
    GOSYM("cmpstring");
stringStruct gostringnocopy(const uint8_t *s);
int64_t findnull(const uint8_t *s);
bool atoi32(stringStruct s, int32_t *out);

} // namespace runtime

#endif
