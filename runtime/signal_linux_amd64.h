// The kernel's signal structures on Linux x86-64 and sigctxt, the view of a signal's context
// the handler works with (Go: defs_linux_amd64.go, signal_linux_amd64.go, sigtab_linux_generic.go).
#ifndef TOY_RUNTIME_SIGNAL_LINUX_AMD64_H
#define TOY_RUNTIME_SIGNAL_LINUX_AMD64_H

#include "stubs.h"

namespace runtime {

// Signal numbers and codes (Linux x86-64).
constexpr uint32_t _SIGHUP = 1, _SIGINT = 2, _SIGQUIT = 3, _SIGILL = 4, _SIGTRAP = 5, _SIGABRT = 6,
                   _SIGBUS = 7, _SIGFPE = 8, _SIGKILL = 9, _SIGUSR1 = 10, _SIGSEGV = 11,
                   _SIGPIPE = 13, _SIGTERM = 15, _SIGURG = 23, _SIGPROF = 27;
constexpr uint32_t _NSIG = 65;
constexpr int32_t _SI_USER = 0;
constexpr int32_t _SEGV_MAPERR = 1, _SEGV_ACCERR = 2;
constexpr int32_t _BUS_ADRERR = 2;
constexpr int32_t _FPE_INTDIV = 1, _FPE_INTOVF = 2;

// sigPreempt is the signal used for non-cooperative preemption (Go: signal_unix.go).
constexpr uint32_t sigPreempt = _SIGURG;

// What the runtime does with a signal (Go: runtime2.go's _Sig* flags).
enum : int32_t {
  _SigNotify = 1 << 0,   // let signal.Notify have signal, even if from kernel
  _SigKill = 1 << 1,     // if signal.Notify doesn't take it, exit quietly
  _SigThrow = 1 << 2,    // if signal.Notify doesn't take it, exit loudly
  _SigPanic = 1 << 3,    // if the signal is from the kernel, panic
  _SigDefault = 1 << 4,  // if the signal isn't explicitly requested, don't monitor it
  _SigGoExit = 1 << 5,   // cause all runtime procs to exit (only used on Plan 9).
  _SigSetStack = 1 << 6, // don't install a handler, but add SA_ONSTACK to the C library's
  _SigUnblock = 1 << 7,  // always unblock; see blockableSig
  _SigIgn = 1 << 8,      // _SIG_DFL action is to ignore the signal
};

struct sigTabT {
  int32_t flags;
  const char *name;
};
extern const sigTabT sigtable[_NSIG];

// The kernel's siginfo_t, the fields the runtime reads.
struct siginfo {
  int32_t si_signo;
  int32_t si_errno;
  int32_t si_code;
  int32_t _pad;
  uint64_t si_addr; // the faulting address, for SIGSEGV, SIGBUS, SIGFPE, SIGILL
  uint8_t _rest[104];
};
static_assert(sizeof(siginfo) == 128);

// struct sigaction as the rt_sigaction system call takes it.
struct sigactiont {
  uintptr_t sa_handler;
  uint64_t sa_flags;
  uintptr_t sa_restorer;
  uint64_t sa_mask;
};
constexpr uint64_t _SA_SIGINFO = 0x4, _SA_RESTORER = 0x4000000, _SA_ONSTACK = 0x8000000,
                   _SA_RESTART = 0x10000000;
constexpr uintptr_t _SIG_DFL = 0, _SIG_IGN = 1;

// The general registers in the kernel's ucontext (mcontext_t.gregs), in the kernel's order.
struct sigcontext {
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
  uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
  uint16_t cs, gs, fs, _pad0;
  uint64_t err, trapno, oldmask, cr2;
  uint64_t fpstate;
  uint64_t _reserved1[8];
};

// The kernel's ucontext: uc_mcontext starts after uc_flags, uc_link and the 24-byte uc_stack.
struct ucontext {
  uint64_t uc_flags;
  ucontext *uc_link;
  uint8_t uc_stack[24];
  sigcontext uc_mcontext;
};
static_assert(offsetof(ucontext, uc_mcontext) == 40 && offsetof(sigcontext, rip) == 128);

// sigctxt is a signal's siginfo and ucontext (Go: signal_linux_amd64.go).
struct sigctxt {
  siginfo *info;
  void *ctxt;

  sigcontext &regs() { return static_cast<ucontext *>(ctxt)->uc_mcontext; }
  uint64_t rip() { return regs().rip; }
  uint64_t rsp() { return regs().rsp; }
  uintptr_t sigpc() { return rip(); }
  uintptr_t sigsp() { return rsp(); }
  uint64_t sigcode() { return static_cast<uint64_t>(static_cast<int64_t>(info->si_code)); }
  uint64_t sigaddr() { return info->si_addr; }
  uintptr_t fault() { return sigaddr(); }
  void set_rip(uint64_t x) { regs().rip = x; }
  void set_rsp(uint64_t x) { regs().rsp = x; }

  // signal_amd64.cpp
  void preparePanic(uint32_t sig, g *gp);
  void pushCall(uintptr_t targetPC, uintptr_t resumePC);
};

void dumpregs(sigctxt *c);
void doSigPreempt(g *gp, sigctxt *ctxt); // preempt.cpp

// Assembly (sys_linux_amd64.S, preempt_amd64.S).
extern "C" void sigtramp() GOSYM("sigtramp");
extern "C" void sigreturn() GOSYM("sigreturn");
extern "C" void asyncPreempt() GOSYM("asyncPreempt");
extern "C" int32_t rt_sigaction(uintptr_t sig, const sigactiont *new_, sigactiont *old,
                                uintptr_t size) GOSYM("rt_sigaction");
// sigpanic turns a fault in toy code into a run-time panic (signal_linux.cpp).
extern "C" [[noreturn]] void sigpanic() GOSYM("sigpanic");

// The bounds of toy's own compiled code: toyc puts every function it compiles in the section
// toytext, whose bounds the linker defines.
extern "C" const uint8_t __start_toytext[] __attribute__((weak));
extern "C" const uint8_t __stop_toytext[] __attribute__((weak));
inline bool isToyPC(uintptr_t pc) {
  return pc >= reinterpret_cast<uintptr_t>(__start_toytext) &&
         pc < reinterpret_cast<uintptr_t>(__stop_toytext);
}

// sigpanic alone is in the section sigpanictext, so that a traceback can tell a frame that
// sigpanic's frame returns to (the faulting pc, whose line is its own, Go's waspanic) from
// one that a call returns to.
extern "C" const uint8_t __start_sigpanictext[] __attribute__((weak));
extern "C" const uint8_t __stop_sigpanictext[] __attribute__((weak));
inline bool isSigpanicPC(uintptr_t pc) {
  return pc >= reinterpret_cast<uintptr_t>(__start_sigpanictext) &&
         pc < reinterpret_cast<uintptr_t>(__stop_sigpanictext);
}

} // namespace runtime

#endif
