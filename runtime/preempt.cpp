// Asynchronous preemption (Go: runtime/preempt.go, and preemptM/doSigPreempt from
// signal_unix.go).
//
// sysmon's preemptone asks a G that has run too long to stop: it sets stackguard0 =
// stackPreempt, which the check at the next function entry turns into a call to the
// scheduler, and, unless GODEBUG=asyncpreemptoff=1, sends the G's M a SIGURG (preemptM). A G
// that makes no calls (a loop) takes the signal: if it is at an async safe point, the handler
// makes it call asyncPreempt (preempt_amd64.S), which saves every register and calls
// asyncPreempt2, which deschedules the G as Gosched does.

#include "atomic.h"
#include "signal_linux_amd64.h"

namespace runtime {

// preemptMSupported is true if preemptM is implemented.
const bool preemptMSupported = true;

// canPreemptM reports whether mp is in a state that is safe to preempt.
bool canPreemptM(m *mp) {
  return mp->locks == 0 && mp->mallocing == 0 && mp->preemptoff == nullptr && mp->p != nullptr &&
         mp->p->status == _Prunning;
}

// asyncPreemptStack is the bytes of stack space required to inject an asyncPreempt call:
// asyncPreempt's frame (the flags, 15 general and 16 SSE registers, alignment), asyncPreempt2
// and mcall's saved registers, with room to spare.
// Differs from Go: Go computes it from the functions' frame sizes; toy has no frame table.
constexpr uintptr_t asyncPreemptStack = 2048;

// preemptM sends a preemption request to mp. This request may be handled asynchronously and
// may be coalesced with other requests to the M. When the request is received, if the
// running G or P are marked for preemption and the goroutine is at an asynchronous safe
// point, it will preempt the goroutine. It always atomically increments mp.preemptGen after
// handling a preemption request.
void preemptM(m *mp) {
  // If multiple threads are preempting the same M, it may send many signals to the same M
  // such that it hardly make progress, causing live-lock problem. Only send a signal if there
  // isn't already one pending.
  if (atomic::Cas(&mp->signalPending, 0u, 1u)) {
    __atomic_add_fetch(&schedstats.preemptsignals, 1, __ATOMIC_RELAXED); // a statistic
    signalM(mp, int32_t(sigPreempt));
  }
}

// signalM sends a signal to mp (Go: os_linux.go).
void signalM(m *mp, int32_t sig) { tgkill(getpid(), int32_t(mp->procid), sig); }

// wantAsyncPreempt returns whether an asynchronous preemption is queued for gp.
static bool wantAsyncPreempt(g *gp) {
  // Check both the G and the P.
  return (gp->preempt || (gp->m->p != nullptr && gp->m->p->preempt)) &&
         readgstatus(gp) == _Grunning;
}

// isAsyncSafePoint reports whether gp at instruction PC is an asynchronous safe point. This
// indicates that:
//
// 1. It's safe to suspend gp and conservatively scan its stack and registers. There are no
//    potentially hidden pointer values and it's not in the middle of an atomic sequence like
//    a write barrier.
//
// 2. gp has enough stack space to inject the asyncPreempt call.
//
// 3. It's generally safe to interact with the runtime, even if we're in a signal handler
//    stopped here. For example, there are no runtime locks held, so acquiring a runtime lock
//    won't self-deadlock.
//
// Differs from Go: toy has no GC, so 1 reduces to "in toy's own code" (the section toytext:
// not the runtime, whose C++ holds locks and invariants at any instruction), and Go's
// unsafe-point tables have nothing to say; the resume PC is always pc.
static bool isAsyncSafePoint(g *gp, uintptr_t pc, uintptr_t sp) {
  m *mp = gp->m;

  // Only user Gs can have safe points. We check this first because it's extremely common
  // that we'll catch mp in the scheduler processing this G preemption.
  if (mp->curg != gp)
    return false;

  // Check M state.
  if (mp->p == nullptr || !canPreemptM(mp))
    return false;

  // Check stack space.
  if (sp < gp->stack.lo || sp - gp->stack.lo < asyncPreemptStack)
    return false;

  // Check if PC is an unsafe-point.
  if (!isToyPC(pc)) {
    // Not Go code.
    return false;
  }
  return true;
}

// doSigPreempt handles a preemption signal on gp.
void doSigPreempt(g *gp, sigctxt *ctxt) {
  // Check if this G wants to be preempted and is safe to preempt.
  if (wantAsyncPreempt(gp)) {
    if (isAsyncSafePoint(gp, ctxt->sigpc(), ctxt->sigsp())) {
      // Adjust the PC and inject a call to asyncPreempt.
      ctxt->pushCall(reinterpret_cast<uintptr_t>(asyncPreempt), ctxt->sigpc());
    }
  }

  // Acknowledge the preemption.
  atomic::Xadd(&gp->m->preemptGen, 1u);
  atomic::Store(&gp->m->signalPending, 0u);
}

// asyncPreempt2 is asyncPreempt's call into the scheduler, on the preempted G's stack.
// Differs from Go: no preemptStop (no GC to suspend Gs for), so it always reschedules, and no
// asyncSafePoint flag (no stack scan to tell).
extern "C" void asyncPreempt2() GOSYM("asyncPreempt2");
void asyncPreempt2() {
  __atomic_add_fetch(&schedstats.asyncpreempts, 1, __ATOMIC_RELAXED); // a statistic
  mcall(gopreempt_m);
}

} // namespace runtime
