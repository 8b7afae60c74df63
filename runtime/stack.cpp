// Goroutine stacks (Go: runtime/stack.go).
//
// Differs from Go: Go starts every goroutine on a 2 KiB stack and copies it to a larger one
// when the prologue check finds it too small. toy cannot copy stacks (C++ frames hold raw
// pointers into them), so every goroutine gets a fixed _FixedStack reservation instead, and
// the main goroutine gets Go's whole maximum (maxstacksize). Reservations are carved from
// MAP_NORESERVE arenas: one mapping per arena (Linux allows ~65,530 mappings in all), pages
// committed by the kernel as they are touched. Overflow is caught by the prologue check
// against g.stackguard0, not by guard pages, except for the main goroutine, whose reservation
// is a mapping of its own, and the small g0/gsignal stacks, which have a guard page.
//
// Address space is reserved in proportion to need, so that programs run under an
// address-space limit (ulimit -v): arenas start small and double, and the main goroutine
// takes at most half of the limit.
//
// Free stacks go on stackpool (Go keeps per-size-class pools, and per-P caches in mcache).

#include "atomic.h"
#include "stubs.h"

namespace runtime {

void *sysReserveNoCommit(uintptr_t n); // mem_linux.cpp
void sysFree(void *v, uintptr_t n);

namespace {
// Stacks per arena: the first arena holds stackArenaMin, each next one twice as many as the
// one before, up to stackArenaMax (4 GiB of address space).
constexpr uintptr_t stackArenaMin = 16, stackArenaMax = 4096;

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
  uintptr_t arenaStacks; // stacks in the next arena (0: stackArenaMin)
} stackpool;
} // namespace

// stackArenaGrow gives stackpool a new arena. Under an address-space limit an arena that does
// not fit is halved until it does (down to one stack). stackpool.lock must be held.
static void stackArenaGrow() {
  uintptr_t stacks = stackpool.arenaStacks != 0 ? stackpool.arenaStacks : stackArenaMin;
  void *v;
  while ((v = sysReserveNoCommit(stacks * _FixedStack)) == nullptr) {
    if (stacks == 1) {
      print("runtime: cannot reserve ", _FixedStack, " bytes of address space for a stack\n");
      throw_("out of memory");
    }
    stacks /= 2;
  }
  stackpool.arenaNext = reinterpret_cast<uintptr_t>(v);
  stackpool.arenaEnd = stackpool.arenaNext + stacks * _FixedStack;
  stackpool.arenaStacks = stacks * 2 < stackArenaMax ? stacks * 2 : stackArenaMax;
}

// stackallocSystem maps a stack with its own guard page below it, for g0, gsignal and the
// main goroutine.
static stack stackallocSystem(uintptr_t n) {
  uintptr_t guard = physPageSize;
  auto *base = static_cast<uint8_t *>(sysReserveNoCommit(n + guard));
  if (base == nullptr) {
    print("runtime: cannot reserve ", n + guard, " bytes of address space for a stack\n");
    throw_("out of memory");
  }
  if (mprotect(base, guard, _PROT_NONE) != 0)
    throw_("stackalloc: mprotect of guard page failed");
  uintptr_t lo = reinterpret_cast<uintptr_t>(base) + guard;
  return stack{lo, lo + n};
}

// stackallocMain reserves the main goroutine's stack of n bytes.
// Differs from Go: Go grows the main goroutine's stack on demand up to maxstacksize; toy
// reserves it all up front, so under an address-space limit (RLIMIT_AS, ulimit -v) it takes
// at most half of the limit and leaves the rest to the heap and the other stacks. Its
// overflow report then names the smaller size.
static stack stackallocMain(uintptr_t n) {
  rlimit lim;
  if (getrlimit(_RLIMIT_AS, &lim) == 0 && lim.rlim_cur != _RLIM_INFINITY && n > lim.rlim_cur / 2)
    n = lim.rlim_cur / 2 & ~(physPageSize - 1);
  return stackallocSystem(n);
}

// stackalloc allocates an n byte stack. n is _FixedStack for goroutines, maxstacksize for the
// main goroutine, or a small fixed size for g0 and gsignal stacks.
// Differs from Go: Go requires the system stack here (per-P caches); toy's pool has a lock.
stack stackalloc(uintptr_t n) {
  if (n == maxstacksize)
    return stackallocMain(n);
  if (n != _FixedStack)
    return stackallocSystem(n);
  lock(&stackpool.lock);
  uintptr_t v;
  if (stackpool.free != nullptr) {
    stackFree *x = stackpool.free;
    stackpool.free = x->next;
    v = reinterpret_cast<uintptr_t>(x + 1) - _FixedStack;
  } else {
    if (stackpool.arenaNext == stackpool.arenaEnd)
      stackArenaGrow();
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

// stackOverflow runs on g0: Go's newstack reports a goroutine whose stack would exceed its
// limit and throws.
struct overflowInfo {
  g *gp;
  uintptr_t sp;
};
static void stackOverflow(void *arg) {
  auto *info = static_cast<overflowInfo *>(arg);
  g *gp = info->gp;
  // Differs from Go: Go names maxstacksize for every goroutine; toy names the goroutine's
  // fixed reservation, which is maxstacksize only for the main goroutine.
  print("runtime: goroutine stack exceeds ", gp->stack.hi - gp->stack.lo, "-byte limit\n");
  print("runtime: sp=", hex{info->sp}, " stack=[", hex{gp->stack.lo}, ", ", hex{gp->stack.hi},
        "]\n");
  throw_("stack overflow");
}

// morestack_noctxt is called by the prologue check the compiler emits at every function entry
// when sp is below g.stackguard0. Go's morestack switches to g0 and calls
// newstack, which either preempts the goroutine (stackguard0 == stackPreempt) or copies the
// stack to one twice as large, and then restarts the function, whose check runs again.
// Differs from Go: toy cannot move stacks, so a goroutine that reaches its guard has
// overflowed its fixed reservation; and morestack is an ordinary call that returns into the
// function's body, not to the check (compiler/IRGen.cpp, stackCheck): so it returns only once
// sp is at or above the goroutine's real guard, stack.lo + _StackGuard, and throws otherwise,
// after a preemption too (a preemption request hides an overflow from the check).
//
// The check that called it may be stale: it compared sp with a stackPreempt it loaded into a
// register, and a SIGURG then preempted the goroutine between that load and this call (every
// instruction of toy's code is an async safe point, the check's too); execute reset
// stackguard0 when the goroutine ran again, and the check's branch, taken on the old value,
// still called here. Go's newstack would grow the stack, which is harmless (and gc marks the
// check unsafe for async preemption); toy's only harmless answer is to return, as it does for
// any sp that is in fact above the guard.
extern "C" void morestack_noctxt() GOSYM("morestack_noctxt");
void morestack_noctxt() {
  g *gp = getg();
  m *mp = gp->m;
  if (gp == mp->g0)
    throw_("runtime: morestack on g0");
  if (gp == mp->gsignal)
    throw_("runtime: morestack on gsignal");
  // The caller's frame pointer and pc are the pair saved at this frame's; its sp at the check
  // is the address above the return address.
  auto *frame = static_cast<uintptr_t *>(__builtin_frame_address(0));
  uintptr_t sp = reinterpret_cast<uintptr_t>(frame + 2);
  if (__atomic_load_n(&gp->stackguard0, __ATOMIC_RELAXED) == stackPreempt) {
    gp->stackguard0 = gp->stack.lo + _StackGuard;
    // gp->preempt stays set, as in Go: releasem/unlock re-arm stackguard0 from it once the M
    // can be preempted, and execute clears it when gp runs again after Gosched.
    // Go's gopreempt_m is goschedImpl, the same as Gosched: the goroutine goes to the global
    // run queue and this M schedules. An M that cannot be preempted lets the goroutine keep
    // running for now (Go: gogo(&gp.sched)).
    if (canPreemptM(mp))
      Gosched();
  }
  if (sp >= gp->stack.lo + _StackGuard)
    return; // preempted, or a stale check (above): not an overflow
  // As Go's morestack, record the function that hit the guard in gp.sched, where the
  // traceback of the overflowing goroutine starts: its pc, and its frame pointer, which is
  // the one saved in this frame.
  gp->sched.pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  gp->sched.sp = sp;
  gp->sched.bp = frame[0];
  overflowInfo info{gp, reinterpret_cast<uintptr_t>(frame)};
  systemstack(stackOverflow, &info);
}

} // namespace runtime
