// Goroutine stacks (Go: runtime/stack.go).
//
// Differs from Go: Go starts every goroutine on a 2 KiB stack and copies it to one twice as
// large when the prologue check finds it too small. toy cannot copy stacks (C++ frames and
// toy's own hold raw pointers into them), so it grows them as Go 1.2 did, by segments: every
// goroutine starts on a _FixedStack reservation (the main goroutine on one of maxstacksize),
// and when a function's split-stack prologue finds less than its frame above the limit at
// %fs:0x70 (stack.lo + _StackSplitRoom), __morestack (asm_amd64.S) runs the function on a
// new segment of at least _FixedStack bytes (newstackSegment) and returns through the old
// one (oldstackSegment). A goroutine keeps the four segments it left last for its next
// splits (a function called in a loop at a segment's edge would otherwise take one per call),
// frees the others as it returns past them, and the rest when it exits; a freed segment keeps
// its pages for the next split for 100 ms, then sysmon gives them back to the OS (madvise,
// stackScavenge). The segments of one goroutine together may hold maxstacksize bytes,
// Go's limit. Reservations are carved from MAP_NORESERVE arenas: one mapping per arena
// (Linux allows ~65,530 mappings in all), pages committed by the kernel as they are touched.
// Overflow is caught by the prologues, not by guard pages, except for the small g0/gsignal
// stacks and the main goroutine's first one, which have a guard page below.
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
void sysUnused(void *v, uintptr_t n);

namespace {
// Stacks per arena: the first arena holds stackArenaMin, each next one twice as many as the
// one before, up to stackArenaMax (4 GiB of address space).
constexpr uintptr_t stackArenaMin = 16, stackArenaMax = 4096;

// A free stack, linked through its highest word (Go links through the lowest, gclinkptr;
// the top page is the one a goroutine has already committed).
struct stackFree {
  stackFree *next;
  int64_t when; // on stackpool.dirty: when it was freed (nanotime)
};

struct {
  mutex lock;
  stackFree *free;     // stacks of _FixedStack bytes, ready for reuse
  stackFree *dirty;    // segments freed with their pages still committed, newest first
  int64_t lastScavenge; // when stackScavenge last returned dirty segments' pages
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
  if (stackpool.dirty != nullptr) { // the most recently used memory first
    stackFree *x = stackpool.dirty;
    stackpool.dirty = x->next;
    v = reinterpret_cast<uintptr_t>(x + 1) - _FixedStack;
  } else if (stackpool.free != nullptr) {
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
// Differs from Go: the pages a goroutine touched of its first stack stay committed until the
// stack is reused (a freed segment's go back to the OS by stackScavenge).
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
  print("runtime: goroutine stack exceeds ", maxstacksize, "-byte limit\n");
  print("runtime: sp=", hex{info->sp}, " stack=[", hex{gp->stack.lo}, ", ", hex{gp->stack.hi},
        "]\n");
  throw_("stack overflow");
}

// The segments a goroutine keeps after it returns from them.
constexpr int32_t stackCacheSegments = 4;
// How long a freed segment keeps its pages before stackScavenge returns them to the OS.
constexpr int64_t stackScavengeAge = 100 * 1000 * 1000;
constexpr uintptr_t stackSegHeader = 64; // sizeof(stackSeg), rounded up to keep 16-byte alignment
static_assert(sizeof(stackSeg) <= stackSegHeader);

static uintptr_t stackTotal(g *gp) {
  return gp->stackseg != nullptr ? gp->stackseg->total : gp->stack.hi - gp->stack.lo;
}

// setStack makes stk the stack gp runs on: its bounds, the prologue check's stackguard0
// (unless sysmon has asked for a preemption, which then stands), and the split-stack limit.
static void setStack(g *gp, stack stk) {
  uintptr_t guard = gp->stack.lo + _StackGuard;
  gp->stack = stk;
  atomic::Cas(&gp->stackguard0, guard, stk.lo + _StackGuard);
  asm volatile("movq %0, %%fs:%c1" : : "r"(stk.lo + _StackSplitRoom), "i"(TLS_STACKLIMIT));
}

// checkmorestack throws if the stack checks called morestack on a system stack, as Go's
// morestack does: toy's code does not run on g0 or gsignal (its split-stack limit is 0 there).
static void checkmorestack(g *gp) {
  if (gp == gp->m->g0)
    throw_("runtime: morestack on g0");
  if (gp == gp->m->gsignal)
    throw_("runtime: morestack on gsignal");
}

// newstackSegment is called by __morestack, on the goroutine's stack, for a function that
// needs frame bytes of stack and copies args bytes of arguments, entered with sp: it moves
// the goroutine to a segment with room for both and returns the address the segment's
// frames start below (Go: newstack's copystack, as Go 1.2's newstack allocated a segment).
extern "C" uintptr_t newstackSegment(uintptr_t frame, uintptr_t args, uintptr_t sp)
    GOSYM("newstackSegment");
uintptr_t newstackSegment(uintptr_t frame, uintptr_t args, uintptr_t sp) {
  g *gp = getg();
  checkmorestack(gp);
  // What the segment holds: its header, the frame record and the arguments __morestack puts
  // below it (64 bytes), the frame, and the room the runtime's frames run in.
  uintptr_t need = stackSegHeader + 64 + args + frame + _StackSplitRoom;
  uintptr_t size = _FixedStack;
  if (need > size)
    size = (need + physPageSize - 1) & ~(physPageSize - 1);
  if (stackTotal(gp) + size > maxstacksize) {
    // As Go's morestack, record the function that needs the stack in gp.sched, where the
    // traceback of the overflowing goroutine starts: its pc is the prologue's call, and its
    // frame pointer a record of its caller's, made here from __morestack's frame below sp
    // ({the caller's rbp, the prologue's return address, the caller's return address}).
    auto *entry = reinterpret_cast<uintptr_t *>(sp) - 2;
    uintptr_t record[2] = {entry[0], entry[2]};
    gp->sched.pc = entry[1];
    gp->sched.sp = sp;
    gp->sched.bp = reinterpret_cast<uintptr_t>(record);
    overflowInfo info{gp, sp};
    systemstack(stackOverflow, &info);
  }
  stackSeg *seg = gp->stackcache;
  if (seg != nullptr && seg->alloc.hi - seg->alloc.lo >= size) {
    gp->stackcache = seg->link;
  } else {
    stack alloc = stackalloc(size);
    seg = reinterpret_cast<stackSeg *>(alloc.hi - stackSegHeader);
    seg->alloc = alloc;
  }
  seg->total = stackTotal(gp) + (seg->alloc.hi - seg->alloc.lo);
  seg->prev = gp->stack;
  seg->link = gp->stackseg;
  gp->stackseg = seg;
  uintptr_t top = reinterpret_cast<uintptr_t>(seg);
  setStack(gp, stack{seg->alloc.lo, top});
  return top;
}

// stackfreeSegment frees a segment no goroutine runs on. One of _FixedStack bytes goes on
// stackpool.dirty with its pages committed, so that the next split anywhere reuses them
// without faulting them in again; stackScavenge returns them to the OS once unused for
// stackScavengeAge. A larger one is unmapped.
static void stackfreeSegment(stackSeg *seg) {
  stack alloc = seg->alloc;
  if (alloc.hi - alloc.lo != _FixedStack) {
    stackfree(alloc);
    return;
  }
  auto *x = reinterpret_cast<stackFree *>(alloc.hi) - 1;
  x->when = nanotime();
  lock(&stackpool.lock);
  x->next = stackpool.dirty;
  stackpool.dirty = x;
  unlock(&stackpool.lock);
}

// stackScavenge is called by sysmon: every stackScavengeAge it gives the pages of the dirty
// segments freed more than stackScavengeAge ago back to the OS (madvise, as Go's sysUnused),
// all of them but the top page (where the free list links stacks), and moves them to
// stackpool.free; all dirty segments when every P is idle and sysmon may sleep long, so that
// a goroutine that once recursed deep does not keep that memory (Go: the background
// scavenger returns free memory to the OS, and GC shrinks a stack that is mostly unused).
// Differs from Go: sysmon does it, not the scavenger goroutine, which toy does not run.
void stackScavenge(int64_t now, bool allIdle) {
  if (!allIdle && now - stackpool.lastScavenge < stackScavengeAge)
    return;
  stackpool.lastScavenge = now;
  // Detach the old ones (the list is newest first), return their pages outside the lock.
  lock(&stackpool.lock);
  stackFree **link = &stackpool.dirty;
  while (*link != nullptr && !allIdle && now - (*link)->when < stackScavengeAge)
    link = &(*link)->next;
  stackFree *old = *link;
  *link = nullptr;
  unlock(&stackpool.lock);
  while (old != nullptr) {
    stackFree *x = old;
    old = x->next;
    uintptr_t lo = reinterpret_cast<uintptr_t>(x + 1) - _FixedStack;
    sysUnused(reinterpret_cast<void *>(lo), _FixedStack - physPageSize);
    lock(&stackpool.lock);
    x->next = stackpool.free;
    stackpool.free = x;
    unlock(&stackpool.lock);
  }
}

// popSegment moves gp back to the stack it entered its current segment from and keeps the
// segment in gp.stackcache. The segment is not freed: gp may still be running on it.
static void popSegment(g *gp) {
  stackSeg *seg = gp->stackseg;
  gp->stackseg = seg->link;
  setStack(gp, seg->prev);
  seg->link = gp->stackcache;
  gp->stackcache = seg;
}

// trimStackCache keeps the stackCacheSegments segments gp left last, for its next splits (a
// recursion that goes up and down across a few segments' edges would otherwise free and
// fault in their pages each time), and frees the ones left before them, except the one
// holding the address inUse (the segment gp still runs on, or 0 for none).
static void trimStackCache(g *gp, uintptr_t inUse) {
  stackSeg *keep = gp->stackcache;
  for (int32_t i = 1; keep != nullptr && i < stackCacheSegments; i++)
    keep = keep->link;
  while (keep != nullptr && keep->link != nullptr) {
    stackSeg *seg = keep->link;
    if (inUse >= seg->alloc.lo && inUse < seg->alloc.hi) {
      keep = seg;
      continue;
    }
    keep->link = seg->link;
    stackfreeSegment(seg);
  }
}

// oldstackSegment is called by __morestack once the function it ran on a new segment has
// returned (Go 1.2: oldstack).
extern "C" void oldstackSegment() GOSYM("oldstackSegment");
void oldstackSegment() {
  g *gp = getg();
  if (gp->stackseg == nullptr)
    throw_("runtime: oldstack with no segment");
  popSegment(gp);
  trimStackCache(gp, 0); // gp runs on the stack before: no cached segment is in use
}

// stackUnwind leaves the segments above the one holding sp, where gp resumes: a recovered
// panic's deferring frame (panic.cpp, recovery), which may be on an older segment than the
// deferred call that recovered.
// Of the segments left it keeps what oldstackSegment keeps, and the one it runs on (the
// deepest), which it cannot free yet.
void stackUnwind(g *gp, uintptr_t sp) {
  while (gp->stackseg != nullptr && (sp < gp->stack.lo || sp > gp->stack.hi))
    popSegment(gp);
  if (sp < gp->stack.lo || sp > gp->stack.hi)
    throw_("runtime: recovery sp outside the goroutine's stack");
  trimStackCache(gp, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
}

// stackSegmentsFree frees the segments of gp, which has exited (goexit0, on g0), and leaves it
// its first stack, for gfput.
void stackSegmentsFree(g *gp) {
  while (gp->stackseg != nullptr) {
    stackSeg *seg = gp->stackseg;
    gp->stackseg = seg->link;
    gp->stack = seg->prev;
    stackfreeSegment(seg);
  }
  while (gp->stackcache != nullptr) {
    stackSeg *seg = gp->stackcache;
    gp->stackcache = seg->link;
    stackfreeSegment(seg);
  }
}

extern "C" [[noreturn]] void badmorestacknonsplit() GOSYM("badmorestacknonsplit");
void badmorestacknonsplit() {
  throw_("runtime: __morestack_non_split called: an object without .note.GNU-split-stack was linked");
}

// morestack_noctxt is called by the prologue check the compiler emits at every function entry
// when sp is below g.stackguard0. Go's morestack switches to g0 and calls
// newstack, which either preempts the goroutine (stackguard0 == stackPreempt) or copies the
// stack to one twice as large, and then restarts the function, whose check runs again.
// Differs from Go: stacks grow in the split-stack prologue (__morestack, above), whose limit,
// _StackSplitRoom above stack.lo, is above this guard, so here sp is short only if the
// split-stack check did not run; and morestack is an ordinary call that returns into the
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
  checkmorestack(gp);
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
