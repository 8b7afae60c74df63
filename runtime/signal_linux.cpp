// Signal handling (Go: runtime/signal_unix.go, the signal parts of os_linux.go, and
// sigtab_linux_generic.go for the table).
//
// initsig installs sigtramp for every signal the table handles, with SA_ONSTACK so that it
// runs on the M's gsignal stack (set with sigaltstack by minit). sigtrampgo switches to
// gsignal and calls sighandler, which turns a fault in toy code into a panic (sigpanic),
// preempts on SIGURG (preempt.cpp), and prints Go's report for a signal that kills.
//
// Differs from Go: toy has no os/signal, so no signal is ever delivered to the program
// (sigsend always declines), and no cgo, so there are no foreign handlers to forward to.

#include "atomic.h"
#include "signal_linux_amd64.h"

namespace runtime {

namespace {
constexpr int32_t _SIG_UNBLOCK = 1, _SIG_SETMASK = 2;

// The handler that was installed before initsig, per signal (Go: fwdSig).
uintptr_t fwdSig[_NSIG];
// Whether the runtime handles the signal (Go: handlingSig).
uint32_t handlingSig[_NSIG];
// The number of m's that have dumped their stacks for a GOTRACEBACK=crash signal (Go:
// crashing); each one relays the signal to the next.
int32_t crashing;

inline uint64_t sigmaskBit(uint32_t sig) { return uint64_t(1) << (sig - 1); }

// setg makes gp the current g (Go: a compiler intrinsic).
inline void setg(g *gp) { asm volatile("movq %0, %%fs:-8" : : "r"(gp) : "memory"); }
} // namespace

// Go's names and flags for each signal; N: notify, K: kill, T: throw, P: panic, D: default,
// S: set stack only, U: unblock, I: ignored by default.
#define N _SigNotify
#define K _SigKill
#define T _SigThrow
#define P _SigPanic
#define D _SigDefault
#define S _SigSetStack
#define U _SigUnblock
#define I _SigIgn
const sigTabT sigtable[_NSIG] = {
    {0, "SIGNONE: no trap"},
    {N + K, "SIGHUP: terminal line hangup"},
    {N + K, "SIGINT: interrupt"},
    {N + T, "SIGQUIT: quit"},
    {T + U, "SIGILL: illegal instruction"},
    {T + U, "SIGTRAP: trace trap"},
    {N + T, "SIGABRT: abort"},
    {P + U, "SIGBUS: bus error"},
    {P + U, "SIGFPE: floating-point exception"},
    {0, "SIGKILL: kill"},
    {N, "SIGUSR1: user-defined signal 1"},
    {P + U, "SIGSEGV: segmentation violation"},
    {N, "SIGUSR2: user-defined signal 2"},
    {N, "SIGPIPE: write to broken pipe"},
    {N, "SIGALRM: alarm clock"},
    {N + K, "SIGTERM: termination"},
    {T + U, "SIGSTKFLT: stack fault"},
    {N + U + I, "SIGCHLD: child status has changed"},
    {N + D + I, "SIGCONT: continue"},
    {0, "SIGSTOP: stop, unblockable"},
    {N + D + I, "SIGTSTP: keyboard stop"},
    {N + D + I, "SIGTTIN: background read from tty"},
    {N + D + I, "SIGTTOU: background write to tty"},
    {N + I, "SIGURG: urgent condition on socket"},
    {N, "SIGXCPU: cpu limit exceeded"},
    {N, "SIGXFSZ: file size limit exceeded"},
    {N, "SIGVTALRM: virtual alarm clock"},
    {N + U, "SIGPROF: profiling alarm clock"},
    {N + I, "SIGWINCH: window size change"},
    {N, "SIGIO: i/o now possible"},
    {N, "SIGPWR: power failure restart"},
    {T, "SIGSYS: bad system call"},
    {S + U, "signal 32"}, // SIGCANCEL: the C library's, for thread cancellation
    {S + U, "signal 33"}, // SIGSETXID: the C library's, for set*id on every thread
    {N, "signal 34"},
    {N, "signal 35"},
    {N, "signal 36"},
    {N, "signal 37"},
    {N, "signal 38"},
    {N, "signal 39"},
    {N, "signal 40"},
    {N, "signal 41"},
    {N, "signal 42"},
    {N, "signal 43"},
    {N, "signal 44"},
    {N, "signal 45"},
    {N, "signal 46"},
    {N, "signal 47"},
    {N, "signal 48"},
    {N, "signal 49"},
    {N, "signal 50"},
    {N, "signal 51"},
    {N, "signal 52"},
    {N, "signal 53"},
    {N, "signal 54"},
    {N, "signal 55"},
    {N, "signal 56"},
    {N, "signal 57"},
    {N, "signal 58"},
    {N, "signal 59"},
    {N, "signal 60"},
    {N, "signal 61"},
    {N, "signal 62"},
    {N, "signal 63"},
    {N, "signal 64"},
};
#undef N
#undef K
#undef T
#undef P
#undef D
#undef S
#undef U
#undef I

// signame returns the signal's name as the table has it, or null (Go: signal_unix.go).
const char *signame(uint32_t sig) {
  if (sig >= _NSIG)
    return nullptr;
  return sigtable[sig].name;
}

void sighandler(uint32_t sig, siginfo *info, void *ctxt, g *gp);

// setsig installs fn as the handler of sig (Go: os_linux.go). The handler runs with every
// signal blocked, on the signal stack, and interrupted system calls restart.
// Differs from Go: SIGSEGV and SIGBUS stay unblocked in the handler: a fault in the handler
// itself (its gsignal stack overflowing into the guard page) must reach sighandler to be
// reported; a blocked fault signal kills the process silently.
static void setsig(uint32_t i, uintptr_t fn) {
  sigactiont sa{};
  sa.sa_flags = _SA_SIGINFO | _SA_ONSTACK | _SA_RESTORER | _SA_RESTART;
  sa.sa_mask = ~(sigmaskBit(_SIGSEGV) | sigmaskBit(_SIGBUS));
  sa.sa_restorer = reinterpret_cast<uintptr_t>(sigreturn);
  if (fn == reinterpret_cast<uintptr_t>(sighandler))
    fn = reinterpret_cast<uintptr_t>(sigtramp);
  sa.sa_handler = fn;
  if (rt_sigaction(i, &sa, nullptr, sizeof sa.sa_mask) != 0)
    throw_("sigaction failed");
}

// getsig returns the handler installed for sig (Go: os_linux.go).
static uintptr_t getsig(uint32_t i) {
  sigactiont sa{};
  if (rt_sigaction(i, nullptr, &sa, sizeof sa.sa_mask) != 0)
    throw_("rt_sigaction read failure");
  return sa.sa_handler;
}

// sigInstallGoHandler reports whether the runtime should install its handler for sig.
static bool sigInstallGoHandler(uint32_t sig) {
  // For some signals, we respect an inherited SIG_IGN handler rather than insist on
  // installing our own default handler. Even these signals can be fetched by calling
  // signal.Notify.
  switch (sig) {
  case _SIGHUP:
  case _SIGINT:
    if (atomic::Load(&fwdSig[sig]) == _SIG_IGN)
      return false;
  }
  const sigTabT &t = sigtable[sig];
  if ((t.flags & _SigSetStack) != 0)
    return false;
  return true;
}

// initsig installs the runtime's signal handlers (Go: signal_unix.go). Called by mstartm0 on
// m0, before any other M exists.
// Differs from Go: no c-archive/c-shared modes and no foreign handlers to keep: a signal the
// runtime does not take keeps the action it had (default or ignored).
void initsig(bool preinit) {
  (void)preinit;
  for (uint32_t i = 0; i < _NSIG; i++) {
    const sigTabT &t = sigtable[i];
    if (t.flags == 0 || (t.flags & _SigDefault) != 0)
      continue;
    // We don't need to use atomic operations here because there shouldn't be any other
    // goroutines running yet.
    fwdSig[i] = getsig(i);
    if (!sigInstallGoHandler(i))
      continue;
    handlingSig[i] = 1;
    setsig(i, reinterpret_cast<uintptr_t>(sighandler));
  }
}

// blockableSig reports whether sig may be blocked by the signal mask (Go: signal_unix.go).
static bool blockableSig(uint32_t sig) {
  int32_t flags = sigtable[sig].flags;
  if ((flags & _SigUnblock) != 0)
    return false;
  if (sig == sigPreempt && debug.asyncpreemptoff == 0)
    return false;
  // Differs from Go: no os/signal, so no signal is ever wanted by the program: the
  // _SigKill/_SigThrow signals stay unblocked as Go leaves them when none is Notify'd.
  if ((flags & (_SigKill | _SigThrow)) != 0)
    return false;
  return true;
}

// minitSignalMask is called when initializing a new m to set the thread's signal mask. When
// this is called all signals have been blocked for the thread. This starts with m.sigmask,
// which was set from initSigmask (m0's mask at start-up, sigsave). It removes all essential
// signals from the mask, thus causing those signals to not be blocked. Then it sets the
// thread's signal mask.
void minitSignalMask() {
  uint64_t nmask = getg()->m->sigmask;
  for (uint32_t i = 1; i < _NSIG; i++) {
    if (!blockableSig(i))
      nmask &= ~sigmaskBit(i);
  }
  rtsigprocmask(_SIG_SETMASK, &nmask, nullptr, sizeof nmask);
}

// sigblock blocks signals in the current thread's signal mask, when an M exits.
// Differs from Go: Go also blocks signals around a non-Go thread's call into Go, and then
// leaves the synchronous ones deliverable (exiting false); toy calls sigblock only from
// mexit, where every signal is blocked.
void sigblock(bool) {
  uint64_t set = ~uint64_t(0);
  rtsigprocmask(_SIG_SETMASK, &set, nullptr, sizeof set);
}

// unblockSig removes sig from the current thread's signal mask.
static void unblockSig(uint32_t sig) {
  uint64_t set = sigmaskBit(sig);
  rtsigprocmask(_SIG_UNBLOCK, &set, nullptr, sizeof set);
}

// raise sends sig to the current thread (Go: sys_linux_amd64.s).
static void raise(uint32_t sig) { tgkill(getpid(), gettid(), int32_t(sig)); }

// dieFromSignal kills the program with the given signal. This provides the expected exit
// status for the shell. This is only called with fatal signals expected to kill the process.
[[noreturn]] void dieFromSignal(uint32_t sig) {
  unblockSig(sig);
  // Mark the signal as unhandled to ensure it is forwarded.
  atomic::Store(&handlingSig[sig], 0u);
  // Differs from Go: Go raises the signal first and lets sigfwdgo pass it to the default
  // action; toy forwards nothing, so it restores the default action before raising.
  setsig(sig, _SIG_DFL);
  raise(sig);

  // That should have killed us. On some systems, though, raise sends the signal to the whole
  // process rather than to just the current thread, which means that the signal may not be
  // delivered until all threads have been killed. Give other threads a chance to run and
  // pick up the signal.
  osyield();
  osyield();
  osyield();

  // If we are still somehow running, just exit with the wrong status.
  exit(2);
}

// canpanic returns false if a signal should throw instead of panicking (Go: panic.go).
static bool canpanic(g *gp) {
  // Note that g is m->gsignal, different from gp. Note also that g->m can change at
  // preemption, so m can go stale if preemption is allowed.
  g *_g_ = getg();
  m *_m_ = _g_->m;

  // Is it okay for gp to panic instead of crashing the program? Yes, as long as it is running
  // Go code, not runtime code, and not stuck in a system call.
  if (gp == nullptr || gp != _m_->curg)
    return false;
  if (_m_->locks != 0 || _m_->mallocing != 0 || _m_->throwing != 0 || _m_->preemptoff != nullptr ||
      _m_->dying != 0)
    return false;
  uint32_t status = readgstatus(gp);
  if (status != _Grunning || gp->syscallsp != 0)
    return false;
  return true;
}

// sigpanic turns a synchronous signal into a run-time panic. If the signal handler sees a
// synchronous panic, it arranges the stack to look like the function where the signal
// occurred called sigpanic, sets the signal's PC value to sigpanic, and returns from the
// signal handler. The effect is that the program will act as though the function that got
// the signal simply called sigpanic instead.
__attribute__((section("sigpanictext"))) void sigpanic() {
  g *gp = getg();
  if (!canpanic(gp))
    throw_("unexpected signal during runtime execution");

  switch (gp->sig) {
  case _SIGBUS:
    if (gp->sigcode0 == _BUS_ADRERR && gp->sigcode1 < 0x1000)
      panicmem();
    print("unexpected fault address ", hex{gp->sigcode1}, "\n");
    throw_("fault");
  case _SIGSEGV:
    if ((gp->sigcode0 == 0 || gp->sigcode0 == _SEGV_MAPERR || gp->sigcode0 == _SEGV_ACCERR) &&
        gp->sigcode1 < 0x1000)
      panicmem();
    print("unexpected fault address ", hex{gp->sigcode1}, "\n");
    throw_("fault");
  case _SIGFPE:
    switch (gp->sigcode0) {
    case _FPE_INTDIV:
      panicdivide();
    case _FPE_INTOVF:
      panicoverflow();
    }
    panicfloat();
  }

  if (gp->sig >= _NSIG)
    throw_("unexpected signal value");
  panicmsg(sigtable[gp->sig].name);
}

// stackOverflowAt reports whether addr is in the guard page below the stack s.
// Differs from Go: Go's g0 and gsignal stacks have no guard page; toy's do, and a fault in
// one is the runtime overflowing that stack.
static bool stackOverflowAt(stack s, uintptr_t addr) {
  return addr < s.lo && addr >= s.lo - physPageSize;
}

// sighandler is invoked when a signal occurs. The global g will be set to a gsignal goroutine
// and we will be running on the alternate signal stack. The parameter g will be the value of
// the global g when the signal occurred. The sig, info, and ctxt parameters are from the
// system signal handler: they are the parameters passed when the SA is passed to the
// sigaction system call.
void sighandler(uint32_t sig, siginfo *info, void *ctxt, g *gp) {
  g *_g_ = getg();
  sigctxt c{info, ctxt};
  m *mp = _g_->m;

  if (sig == sigPreempt && debug.asyncpreemptoff == 0) {
    // Might be a preemption signal.
    doSigPreempt(gp, &c);
    // Even if this was definitely a preemption signal, it may have been coalesced with
    // another signal, so we still let it through to the application.
  }

  int32_t flags = _SigThrow;
  if (sig < _NSIG)
    flags = sigtable[sig].flags;
  if (c.sigcode() != uint64_t(_SI_USER) && (flags & _SigPanic) != 0 && gp->throwsplit) {
    // We can't safely sigpanic because it may grow the stack. Abort in the signal handler
    // instead.
    flags = _SigThrow;
  }
  if (c.sigcode() != uint64_t(_SI_USER) && (sig == _SIGSEGV || sig == _SIGBUS) &&
      (stackOverflowAt(mp->g0->stack, c.fault()) ||
       stackOverflowAt(mp->gsignal->stack, c.fault()))) {
    // Differs from Go: the runtime ran off the end of its g0 (or gsignal) stack; there is no
    // room there to call sigpanic, so report it from here.
    bool onG0 = stackOverflowAt(mp->g0->stack, c.fault());
    stack s = onG0 ? mp->g0->stack : mp->gsignal->stack;
    print("runtime: ", onG0 ? "g0" : "gsignal", " stack exceeds ", s.hi - s.lo, "-byte limit\n");
    print("runtime: sp=", hex{c.sigsp()}, " stack=[", hex{s.lo}, ", ", hex{s.hi}, "] m=", mp->id,
          "\n");
    gp->sig = sig;
    gp->sigcode0 = c.sigcode();
    gp->sigcode1 = c.fault();
    gp->sigpc = c.sigpc();
    setg(gp);
    throw_("stack overflow");
  }
  if (c.sigcode() != uint64_t(_SI_USER) && (flags & _SigPanic) != 0) {
    // The signal is going to cause a panic. Arrange the stack so that it looks like the point
    // where the signal occurred made a call to the function sigpanic. Then set the PC to
    // sigpanic.

    // Have to pass arguments out of band since augmenting the stack frame would break the
    // unwinding code.
    gp->sig = sig;
    gp->sigcode0 = c.sigcode();
    gp->sigcode1 = c.fault();
    gp->sigpc = c.sigpc();

    c.preparePanic(sig, gp);
    return;
  }

  // Differs from Go: no os/signal, so sigsend never takes a signal; and nothing can set a
  // signal to be ignored (signal_ignored) after start-up.

  if ((flags & _SigKill) != 0) {
    // Differs from Go: toy's buffered standard output is written out first (os_file.cpp).
    flushStdout(false);
    dieFromSignal(sig);
  }

  // _SigThrow means that we should exit now. If we get here with _SigPanic, it means that the
  // signal was sent to us by a program (c.sigcode() == _SI_USER); in that case, if we didn't
  // handle it in sigsend, we exit now.
  if ((flags & (_SigThrow | _SigPanic)) == 0)
    return;

  mp->throwing = throwTypeRuntime;
  mp->caughtsig = gp;

  if (crashing == 0)
    startpanic();

  if (sig < _NSIG)
    print(sigtable[sig].name, "\n");
  else
    print("Signal ", sig, "\n");

  print("PC=", hex{c.sigpc()}, " m=", mp->id, " sigcode=", c.sigcode(), "\n");
  print("\n");

  int32_t level;
  bool all, docrash;
  gotraceback(&level, &all, &docrash);
  if (level > 0) {
    goroutineheader(gp);
    tracebacktrap(c.sigpc(), c.regs().rbp, gp);
    if (crashing > 0 && gp != mp->curg && mp->curg != nullptr &&
        readgstatus(mp->curg) == _Grunning) {
      // tracebackothers on original m skipped this one; trace it now.
      goroutineheader(mp->curg);
      traceback(~uintptr_t(0), ~uintptr_t(0), mp->curg);
    } else if (crashing == 0) {
      tracebackothers(gp);
      print("\n");
    }
    dumpregs(&c);
  }
  simreport();

  if (docrash) {
    crashing++;
    if (crashing < mcount()) {
      // There are other m's that need to dump their stacks. Relay SIGQUIT to the next m by
      // sending it to the current process. All m's that have already received SIGQUIT have
      // signal masks blocking receipt of any signals (the handler runs with every signal
      // blocked), so the SIGQUIT will go to an m that hasn't seen it yet. When the last m
      // receives the SIGQUIT, it will fall through to the call to crash below. Just in case
      // the relaying gets botched, each m involved in the relay sleeps for 5 seconds and then
      // does the crash/exit itself.
      print("\n-----\n\n");
      raiseproc(_SIGQUIT);
      usleep(5 * 1000 * 1000);
    }
    crash();
  }

  exit(2);
}

// sigpipe is called when a write to standard output or standard error fails with EPIPE: the
// program dies of SIGPIPE, as it would have without a handler.
// Differs from Go: no os/signal, so SIGPIPE is never ignored (signal_ignored) nor sent to a
// channel (sigsend).
[[noreturn]] void sigpipe() { dieFromSignal(_SIGPIPE); }

// os.sigpipe is package os's epipecheck hook. Differs from Go: Go switches to the system
// stack first (os_sigpipe); toy's goroutine stacks are large enough for dieFromSignal.
extern "C" void os_sigpipe() __asm__("os.sigpipe");
void os_sigpipe() { sigpipe(); }

// crash kills the program with SIGABRT, the default action restored, so that the shell sees
// an abort (and the system may write a core dump): GOTRACEBACK=crash.
void crash() { dieFromSignal(_SIGABRT); }

// sigtrampgo is called from the signal handler function, sigtramp, written in assembly code.
// This is called by the signal handler, and the world may be stopped.
extern "C" void sigtrampgo(uint32_t sig, siginfo *info, void *ctx) GOSYM("sigtrampgo");
void sigtrampgo(uint32_t sig, siginfo *info, void *ctx) {
  g *gp = getg();
  if (gp == nullptr) {
    // Differs from Go: every thread is the runtime's (no cgo, no needm), and each sets its g
    // before it unblocks signals.
    print("signal ", sig, " received on a thread with no g\n");
    exit(2);
  }

  // If some non-Go code called sigaltstack, adjust.
  // Differs from Go: toy has no non-Go code; the handler must be on gsignal's stack, or on
  // g0's when the kernel could not switch (never expected).
  uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  stack gs = gp->m->gsignal->stack;
  if (sp < gs.lo || sp >= gs.hi) {
    print("signal ", sig, " received but handler not on signal stack\n");
    print("mp.gsignal stack [", hex{gs.lo}, " ", hex{gs.hi}, "], sp=", hex{sp}, "\n");
    throw_("non-Go code set up signal handler without SA_ONSTACK flag");
  }
  setg(gp->m->gsignal);
  sighandler(sig, info, ctx, gp);
  setg(gp);
}

} // namespace runtime
