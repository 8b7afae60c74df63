// The amd64 side of signal handling (Go: runtime/signal_amd64.go): the register dump of a
// fatal signal, and the call injected into the interrupted code (sigpanic, asyncPreempt).

#include "signal_linux_amd64.h"

namespace runtime {

// The bounds of the executable's code, which the linker defines.
extern "C" const uint8_t __ehdr_start[] __attribute__((weak));
extern "C" const uint8_t etext[] __attribute__((weak));

void dumpregs(sigctxt *c) {
  sigcontext &r = c->regs();
  print("rax    ", hex{r.rax}, "\n");
  print("rbx    ", hex{r.rbx}, "\n");
  print("rcx    ", hex{r.rcx}, "\n");
  print("rdx    ", hex{r.rdx}, "\n");
  print("rdi    ", hex{r.rdi}, "\n");
  print("rsi    ", hex{r.rsi}, "\n");
  print("rbp    ", hex{r.rbp}, "\n");
  print("rsp    ", hex{r.rsp}, "\n");
  print("r8     ", hex{r.r8}, "\n");
  print("r9     ", hex{r.r9}, "\n");
  print("r10    ", hex{r.r10}, "\n");
  print("r11    ", hex{r.r11}, "\n");
  print("r12    ", hex{r.r12}, "\n");
  print("r13    ", hex{r.r13}, "\n");
  print("r14    ", hex{r.r14}, "\n");
  print("r15    ", hex{r.r15}, "\n");
  print("rip    ", hex{r.rip}, "\n");
  print("rflags ", hex{r.eflags}, "\n");
  print("cs     ", hex{r.cs}, "\n");
  print("fs     ", hex{r.fs}, "\n");
  print("gs     ", hex{r.gs}, "\n");
}

// isCode reports whether pc is in the executable's code (Go: findfunc(pc).valid()).
// Differs from Go: Go asks its function table; toy has none, so it asks for the text segment.
static bool isCode(uintptr_t pc) {
  return pc >= reinterpret_cast<uintptr_t>(__ehdr_start) && pc < reinterpret_cast<uintptr_t>(etext);
}

// shouldPushSigpanic reports whether pc should be used as sigpanic's return PC (pushing a
// frame for the call). Otherwise, it should be left alone so that LR is used as sigpanic's
// return PC (Go: traceback.go).
static bool shouldPushSigpanic(uintptr_t pc, uintptr_t lr) {
  if (pc == 0) {
    // Probably a call to a nil func. The old LR is more useful in the stack trace. Not pushing
    // the frame will make the trace look like a call to sigpanic instead. (Otherwise the trace
    // will end at sigpanic and we won't get to see who faulted.)
    return false;
  }
  // If we don't recognize the PC as code, but we do recognize the link register as code,
  // then this assumes the panic was caused by a call to non-code. In this case, we want to
  // ignore this call to make unwinding show the context.
  if (isCode(pc)) {
    // This wasn't a bad call, so use PC as sigpanic's return PC.
    return true;
  }
  if (isCode(lr)) {
    // This was a call to non-code. Assume it's a call to nil func. Do not push the frame:
    // the return address on the stack becomes sigpanic's.
    return false;
  }
  // Neither the PC or LR is good. Hopefully pushing a frame will work.
  return true;
}

// preparePanic sets up the stack to look like a call to sigpanic.
void sigctxt::preparePanic(uint32_t, g *) {
  uintptr_t pc = rip();
  uintptr_t sp = rsp();
  if (shouldPushSigpanic(pc, *reinterpret_cast<uintptr_t *>(sp))) {
    // Differs from Go: sigpanic is a C++ function, which must be entered with rsp ≡ 8
    // (mod 16); it never returns, so the interrupted sp may be rounded down first.
    set_rsp(sp & ~uintptr_t(15));
    pushCall(reinterpret_cast<uintptr_t>(sigpanic), pc);
  } else {
    // Not safe to push the call. Just clobber the frame.
    set_rip(reinterpret_cast<uintptr_t>(sigpanic));
  }
}

// pushCall makes it look like the interrupted code called targetPC just before resumePC.
void sigctxt::pushCall(uintptr_t targetPC, uintptr_t resumePC) {
  // Make it look like we called target at resumePC.
  uintptr_t sp = rsp();
  sp -= sizeof(uintptr_t);
  *reinterpret_cast<uintptr_t *>(sp) = resumePC;
  set_rsp(sp);
  set_rip(targetPC);
}

} // namespace runtime
