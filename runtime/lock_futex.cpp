// Mutexes and notes on Linux futexes (Go: runtime/lock_futex.go).
//
// A mutex's key is mutex_unlocked, mutex_locked, or mutex_sleeping (locked, and some thread
// may be asleep in the kernel waiting for it). lock spins a little before sleeping, so that a
// lock held for a few instructions never costs a system call. lock and unlock count m.locks:
// a goroutine holding a runtime lock must not be descheduled.
//
// A note is a one-shot event: key 0 until notewakeup sets it to 1. notesleep may only be
// called on g0 (it blocks the whole M); exactly one notewakeup per noteclear.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

namespace {
constexpr uint32_t mutex_unlocked = 0;
constexpr uint32_t mutex_locked = 1;
constexpr uint32_t mutex_sleeping = 2;

constexpr int passive_spin = 1;
} // namespace

// Possible lock states are mutex_unlocked, mutex_locked and mutex_sleeping. mutex_sleeping
// means that there is presumably at least one sleeping thread. Note that there can be
// spinning threads during all states - they do not affect mutex's state.
void lock(mutex *l) {
  g *gp = getg();
  if (gp->m->locks < 0)
    throw_("runtime·lock: lock count");
  gp->m->locks++;

  // Speculative grab for lock.
  uint32_t v = atomic::Xchg(&l->key, mutex_locked);
  if (v == mutex_unlocked)
    return;

  // wait is either mutex_locked or mutex_sleeping depending on whether there is a thread
  // sleeping on this mutex. If we ever change l->key from mutex_sleeping to some other value,
  // we must be careful to change it back to mutex_sleeping before returning, to ensure that
  // the sleeping thread gets its wakeup call.
  uint32_t wait = v;

  // On uniprocessors, no point spinning. On multiprocessors, spin for ACTIVE_SPIN attempts.
  int spin = ncpu > 1 ? active_spin : 0;
  for (;;) {
    // Try for lock, spinning.
    for (int i = 0; i < spin; i++) {
      while (atomic::Load(&l->key) == mutex_unlocked)
        if (atomic::Cas(&l->key, mutex_unlocked, wait))
          return;
      procyield(active_spin_cnt);
    }
    // Try for lock, rescheduling.
    for (int i = 0; i < passive_spin; i++) {
      while (atomic::Load(&l->key) == mutex_unlocked)
        if (atomic::Cas(&l->key, mutex_unlocked, wait))
          return;
      osyield();
    }
    // Sleep.
    v = atomic::Xchg(&l->key, mutex_sleeping);
    if (v == mutex_unlocked)
      return;
    wait = mutex_sleeping;
    futexsleep(&l->key, mutex_sleeping, -1);
  }
}

// trylock takes l if it is free and reports whether it did, without waiting. Differs from
// Go, which has none: sysmon uses it where the holder may be blocked in a write(2)
// (flushStdoutOlder), as sysmon must not wait for it.
bool trylock(mutex *l) {
  if (!atomic::Cas(&l->key, mutex_unlocked, mutex_locked))
    return false;
  getg()->m->locks++;
  return true;
}

void unlock(mutex *l) {
  uint32_t v = atomic::Xchg(&l->key, mutex_unlocked);
  if (v == mutex_unlocked)
    throw_("unlock of unlocked lock");
  if (v == mutex_sleeping)
    futexwakeup(&l->key, 1);

  g *gp = getg();
  gp->m->locks--;
  if (gp->m->locks < 0)
    throw_("runtime·unlock: lock count");
  if (gp->m->locks == 0 && gp->preempt) // restore the preemption request in case we've
    gp->stackguard0 = stackPreempt;     // cleared it in newstack
}

// One-time notifications.
void noteclear(note *n) { n->key = 0; }

void notewakeup(note *n) {
  uint32_t old = atomic::Xchg(&n->key, uint32_t(1));
  if (old != 0) {
    print("notewakeup - double wakeup (", old, ")\n");
    throw_("notewakeup - double wakeup");
  }
  futexwakeup(&n->key, 1);
}

void notesleep(note *n) {
  g *gp = getg();
  if (gp != gp->m->g0)
    throw_("notesleep not on g0");
  int64_t ns = -1;
  while (atomic::Load(&n->key) == 0) {
    gp->m->blocked = true;
    futexsleep(&n->key, 0, ns);
    gp->m->blocked = false;
  }
}

// notetsleep_internal may sleep with a timeout; it returns whether the note was woken.
static bool notetsleep_internal(note *n, int64_t ns) {
  g *gp = getg();
  if (ns < 0) {
    while (atomic::Load(&n->key) == 0) {
      gp->m->blocked = true;
      futexsleep(&n->key, 0, -1);
      gp->m->blocked = false;
    }
    return true;
  }
  if (atomic::Load(&n->key) != 0)
    return true;
  int64_t deadline = nanotime() + ns;
  for (;;) {
    gp->m->blocked = true;
    futexsleep(&n->key, 0, ns);
    gp->m->blocked = false;
    if (atomic::Load(&n->key) != 0)
      break;
    int64_t now = nanotime();
    if (now >= deadline)
      break;
    ns = deadline - now;
  }
  return atomic::Load(&n->key) != 0;
}

bool notetsleep(note *n, int64_t ns) {
  g *gp = getg();
  if (gp != gp->m->g0 && gp->m->preemptoff != nullptr)
    throw_("notetsleep not on g0");
  return notetsleep_internal(n, ns);
}

} // namespace runtime
