// Goroutine stacks (Go: runtime/stack.go).
//
// Differs from Go: Go starts every goroutine on a 2 KiB stack and copies it to a larger one
// when the prologue check finds it too small. toy cannot copy stacks (C++ frames hold raw
// pointers into them), so every goroutine gets a fixed _FixedStack reservation instead, and
// the main goroutine gets Go's whole 1 GB maximum. Reservations are carved from large
// MAP_NORESERVE arenas: one mapping per arena (Linux allows ~65,530 mappings in all), pages
// committed by the kernel as they are touched. Overflow is caught by the prologue check
// against g.stackguard0 (design §3), not by guard pages, except for the main goroutine, whose
// reservation is a mapping of its own, and the small g0/gsignal stacks, which have a guard page.
//
// Free stacks go on stackpool (Go keeps per-size-class pools, and per-P caches in mcache).

#include "atomic.h"
#include "stubs.h"

namespace runtime {

void *sysReserveNoCommit(uintptr_t n); // mem_linux.cpp
void sysFree(void *v, uintptr_t n);

namespace {
// Bytes of address space reserved per arena: 64 stacks, as much as one heap arena.
constexpr uintptr_t stackArenaBytes = _FixedStack * 64;

// A free stack, linked through its highest word (Go links through the lowest, gclinkptr;
// the top page is the one a goroutine has already committed).
struct stackFree {
  stackFree *next;
};

struct {
  mutex lock;
  stackFree *free;     // stacks of _FixedStack bytes, ready for reuse
  uintptr_t arenaNext; // next uncarved stack in the current arena
  uintptr_t arenaEnd;
} stackpool;
} // namespace

// stackallocSystem maps a stack with its own guard page below it, for g0, gsignal and the
// main goroutine.
static stack stackallocSystem(uintptr_t n) {
  uintptr_t guard = physPageSize;
  auto *base = static_cast<uint8_t *>(sysReserveNoCommit(n + guard));
  if (mprotect(base, guard, _PROT_NONE) != 0)
    throw_("stackalloc: mprotect of guard page failed");
  uintptr_t lo = reinterpret_cast<uintptr_t>(base) + guard;
  return stack{lo, lo + n};
}

// stackalloc allocates an n byte stack. n is _FixedStack for goroutines, mainStackSize for the
// main goroutine, or a small fixed size for g0 and gsignal stacks.
// Differs from Go: Go requires the system stack here (per-P caches); toy's pool has a lock.
stack stackalloc(uintptr_t n) {
  if (n != _FixedStack)
    return stackallocSystem(n);
  lock(&stackpool.lock);
  uintptr_t v;
  if (stackpool.free != nullptr) {
    stackFree *x = stackpool.free;
    stackpool.free = x->next;
    v = reinterpret_cast<uintptr_t>(x + 1) - _FixedStack;
  } else {
    if (stackpool.arenaNext == stackpool.arenaEnd) {
      stackpool.arenaNext = reinterpret_cast<uintptr_t>(sysReserveNoCommit(stackArenaBytes));
      stackpool.arenaEnd = stackpool.arenaNext + stackArenaBytes;
    }
    v = stackpool.arenaNext;
    stackpool.arenaNext += _FixedStack;
  }
  unlock(&stackpool.lock);
  return stack{v, v + n};
}

// stackfree frees an n byte stack allocation at stk.
// Differs from Go: the pages a goroutine touched stay committed until the stack is reused
// (returning them with madvise belongs with the per-P stack caches, next step).
void stackfree(stack stk) {
  uintptr_t n = stk.hi - stk.lo;
  if (n != _FixedStack) {
    sysFree(reinterpret_cast<void *>(stk.lo - physPageSize), n + physPageSize);
    return;
  }
  auto *x = reinterpret_cast<stackFree *>(stk.hi) - 1;
  lock(&stackpool.lock);
  x->next = stackpool.free;
  stackpool.free = x;
  unlock(&stackpool.lock);
}

// canPreemptM reports whether mp is in a state that is safe to preempt (Go: preempt.go).
static bool canPreemptM(m *mp) {
  return mp->locks == 0 && mp->mallocing == 0 && mp->preemptoff == nullptr && mp->p != nullptr &&
         mp->p->status == _Prunning;
}

// stackOverflow runs on g0: Go's newstack reports a goroutine whose stack would exceed its
// limit and throws.
struct overflowInfo {
  g *gp;
  uintptr_t sp;
};
static void stackOverflow(void *arg) {
  auto *info = static_cast<overflowInfo *>(arg);
  g *gp = info->gp;
  print("runtime: goroutine stack exceeds ", gp->stack.hi - gp->stack.lo, "-byte limit\n");
  print("runtime: sp=", hex{info->sp}, " stack=[", hex{gp->stack.lo}, ", ", hex{gp->stack.hi},
        "]\n");
  throw_("stack overflow");
}

// morestack_noctxt is called by the prologue check the compiler emits at every function entry
// and loop back edge when sp is below g.stackguard0. Go's morestack switches to g0 and calls
// newstack, which either preempts the goroutine (stackguard0 == stackPreempt) or copies the
// stack to one twice as large.
// Differs from Go: toy cannot move stacks, so a goroutine that reaches its guard has
// overflowed its fixed reservation; and morestack is an ordinary call that returns to the
// check, after which the function proceeds.
extern "C" void morestack_noctxt() GOSYM("morestack_noctxt");
void morestack_noctxt() {
  g *gp = getg();
  m *mp = gp->m;
  if (gp == mp->g0)
    throw_("runtime: morestack on g0");
  if (gp == mp->gsignal)
    throw_("runtime: morestack on gsignal");
  uintptr_t guard = __atomic_load_n(&gp->stackguard0, __ATOMIC_RELAXED);
  if (guard == stackPreempt) {
    gp->stackguard0 = gp->stack.lo + _StackGuard;
    // gp->preempt stays set, as in Go: releasem/unlock re-arm stackguard0 from it once the M
    // can be preempted, and execute clears it when gp runs again after Gosched.
    if (!canPreemptM(mp))
      return; // let the goroutine keep running for now (Go: gogo(&gp.sched))
    // Go's gopreempt_m is goschedImpl, the same as Gosched: the goroutine goes to the global
    // run queue and this M schedules.
    Gosched();
    return;
  }
  overflowInfo info{gp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0))};
  systemstack(stackOverflow, &info);
}

} // namespace runtime
