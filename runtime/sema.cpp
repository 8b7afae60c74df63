// Semaphore implementation exposed to package sync, and the notify lists of sync.Cond (Go:
// runtime/sema.go); sync's spinning and fatal errors (Go: proc.go's sync_runtime_canSpin and
// sync_runtime_doSpin, panic.go's sync_throw and sync_fatal).
//
// Intended use is to provide a sleep and wakeup primitive that can be used in the contended
// case of other synchronization primitives. Thus it targets the same goal as Linux's futex,
// but it has much simpler semantics.
//
// That is, don't think of these as semaphores. Think of them as a way to implement sleep and
// wakeup such that every sleep is paired with a single wakeup, even if, due to races, the
// wakeup happens before the sleep.
//
// A goroutine that must wait parks (goparkunlock): the M goes on running other goroutines and
// never blocks in the kernel for a semaphore.
//
// Each function package sync declares without a body is defined here under sync's symbol
// (sync.runtime_Semacquire, ...), as Go's runtime defines it with //go:linkname.

#include "stubs.h"
// runq.h after stubs.h, which declares what it uses.
#include "trace.h"
#include "runq.h"
#include "sema.h"

namespace runtime {

// Asynchronous semaphore for sync.Mutex.
//
// A semaRoot holds a balanced tree of sudog with distinct addresses (s.elem). Each of those
// sudog may in turn point (through s.waitlink) to a list of other sudogs waiting on the same
// address (sema.h). semtable has semTabSize roots; an address maps to one by its bits above
// the alignment.

// Prime to not correlate with any user patterns.
constexpr uintptr_t semTabSize = 251;
constexpr uintptr_t cacheLinePadSize = 64;

struct semTableEntry {
  semaRoot root;
  uint8_t pad[cacheLinePadSize - sizeof(semaRoot)];
};
static semTableEntry semtable[semTabSize];

static semaRoot *rootFor(uint32_t *addr) {
  return &semtable[(reinterpret_cast<uintptr_t>(addr) >> 3) % semTabSize].root;
}

static bool cansemacquire(uint32_t *addr) {
  for (;;) {
    uint32_t v = atomic::Load(addr);
    if (v == 0)
      return false;
    if (atomic::Cas(addr, v, v - 1))
      return true;
  }
}

// semacquire1 waits until *addr > 0 and then decrements it. lifo queues the caller at the
// head of addr's waiters (a sync.Mutex waiter that has waited before). Called on a user g.
// Differs from Go: no block or mutex profiles, so no profile flags or skipframes.
void semacquire1(uint32_t *addr, bool lifo) {
  g *gp = getg();
  if (gp != gp->m->curg)
    throw_("semacquire not on the G stack");

  // Easy case.
  if (cansemacquire(addr))
    return;

  // Harder case:
  //	increment waiter count
  //	try cansemacquire one more time, return if succeeded
  //	enqueue itself as a waiter
  //	sleep
  //	(waiter descriptor is dequeued by signaler)
  sudog *s = acquireSudog();
  semaRoot *root = rootFor(addr);
  s->ticket = 0;
  for (;;) {
    lock(&root->lock);
    // Add ourselves to nwait to disable "easy case" in semrelease.
    atomic::Xadd(&root->nwait, 1);
    // Check cansemacquire to avoid missed wakeup.
    if (cansemacquire(addr)) {
      atomic::Xadd(&root->nwait, -1);
      unlock(&root->lock);
      break;
    }
    // Any semrelease after the cansemacquire knows we're waiting (we set nwait above), so go
    // to sleep.
    s->g = gp;
    root->queue(addr, s, lifo, fastrand() | 1);
    goparkunlock(&root->lock, waitReasonSemacquire);
    if (s->ticket != 0 || cansemacquire(addr))
      break;
  }
  releaseSudog(s);
}

// semrelease1 increments *addr and wakes one goroutine waiting on it. With handoff, the
// count is passed straight to the waiter woken (ticket 1), which then runs at once in the
// caller's time slice (goyield).
void semrelease1(uint32_t *addr, bool handoff) {
  semaRoot *root = rootFor(addr);
  atomic::Xadd(addr, 1);

  // Easy case: no waiters? This check must happen after the xadd, to avoid a missed wakeup
  // (see loop in semacquire).
  if (atomic::Load(&root->nwait) == 0)
    return;

  // Harder case: search for a waiter and wake it.
  lock(&root->lock);
  if (atomic::Load(&root->nwait) == 0) {
    // The count is already consumed by another goroutine, so no need to wake up another
    // goroutine.
    unlock(&root->lock);
    return;
  }
  sudog *s = root->dequeue(addr);
  if (s != nullptr)
    atomic::Xadd(&root->nwait, -1);
  unlock(&root->lock);
  if (s != nullptr) { // May be slow or even yield, so unlock first
    if (s->ticket != 0)
      throw_("corrupted semaphore ticket");
    if (handoff && cansemacquire(addr))
      s->ticket = 1;
    goready(s->g);
    if (s->ticket == 1 && getg()->m->locks == 0) {
      // Direct G handoff
      // readyWithTime has added the waiter G as runnext in the current P; we now call the
      // scheduler so that we start running the waiter G immediately. Note that waiter
      // inherits our time slice: this is desirable to avoid having a highly contended
      // semaphore hog the P indefinitely. goyield is like Gosched, but it does not emit a
      // GoSched trace event and, more importantly, puts the current G on the local runq
      // instead of the global one. We only do this in the starving regime (handoff=true),
      // as in the non-starving case it is possible for a different waiter to acquire the
      // semaphore while we are yielding/scheduling, and this would be wasteful. We wait
      // instead to enter starving regime, and then we start to do direct handoffs of ticket
      // and P.
      goyield();
    }
  }
}

// The hooks of package sync (Go: sync/runtime.go declares them, sema.go defines them).
// Differs from Go: a bool from toy code is an i1 whose register's upper bits are not
// defined, so it arrives as a byte and only its low bit is read.

// sync_runtime_Semacquire waits until *addr > 0 and then atomically decrements it. It is
// intended as a simple sleep primitive for use by the synchronization library and should not
// be used directly.
extern "C" KEEPFRAME void sync_runtime_Semacquire(uint32_t *addr) __asm__("sync.runtime_Semacquire");
void sync_runtime_Semacquire(uint32_t *addr) { semacquire1(addr, false); }

// sync_runtime_SemacquireMutex is like sync_runtime_Semacquire, but for profiling contended
// Mutexes. If lifo is true, queue waiter at the head of wait queue. skipframes is the number
// of frames to omit during tracing, counting from runtime_SemacquireMutex's caller.
extern "C" KEEPFRAME void
sync_runtime_SemacquireMutex(uint32_t *addr, uint8_t lifo,
                             int64_t skipframes) __asm__("sync.runtime_SemacquireMutex");
void sync_runtime_SemacquireMutex(uint32_t *addr, uint8_t lifo, int64_t) {
  semacquire1(addr, (lifo & 1) != 0);
}

// sync_runtime_Semrelease atomically increments *addr and notifies a waiting goroutine if one
// is blocked in Semacquire. If handoff is true, pass count directly to the first waiter.
extern "C" void sync_runtime_Semrelease(uint32_t *addr, uint8_t handoff,
                                        int64_t skipframes) __asm__("sync.runtime_Semrelease");
void sync_runtime_Semrelease(uint32_t *addr, uint8_t handoff, int64_t) {
  semrelease1(addr, (handoff & 1) != 0);
}

// ---- notifyList ----

// notifyList is a ticket-based notification list used to implement sync.Cond.
//
// It must be kept in sync with the sync package.
struct notifyList {
  // wait is the ticket number of the next waiter. It is atomically incremented outside the
  // lock.
  uint32_t wait;

  // notify is the ticket number of the next waiter to be notified. It can be read outside the
  // lock, but is only written to with lock held.
  //
  // Both wait & notify can wrap around, and such cases will be correctly handled as long as
  // their "unwrapped" difference is bounded by 2^31. For this not to be the case, we'd need
  // to have 2^31+ goroutines blocked on the same condvar, which is currently not possible.
  uint32_t notify;

  // List of parked waiters.
  mutex lock;
  sudog *head;
  sudog *tail;
};

// less checks if a < b, considering a & b running counts that may overflow the 32-bit range,
// and that their "unwrapped" difference is always less than 2^31.
static bool less(uint32_t a, uint32_t b) { return int32_t(a - b) < 0; }

// notifyListAdd adds the caller to a notify list such that it can receive notifications. The
// caller must eventually call notifyListWait to wait for such a notification, passing the
// returned ticket number.
extern "C" uint32_t notifyListAdd(notifyList *l) __asm__("sync.runtime_notifyListAdd");
uint32_t notifyListAdd(notifyList *l) {
  // This may be called concurrently, for example, when called from sync.Cond.Wait while
  // holding a RWMutex in read mode.
  return atomic::Xadd(&l->wait, 1) - 1;
}

// notifyListWait waits for a notification. If one has been sent since notifyListAdd was
// called, it returns immediately. Otherwise, it blocks.
extern "C" KEEPFRAME void notifyListWait(notifyList *l,
                                        uint32_t t) __asm__("sync.runtime_notifyListWait");
void notifyListWait(notifyList *l, uint32_t t) {
  lock(&l->lock);

  // Return right away if this ticket has already been notified.
  if (less(t, l->notify)) {
    unlock(&l->lock);
    return;
  }

  // Enqueue itself.
  sudog *s = acquireSudog();
  s->g = getg();
  s->ticket = t;
  if (l->tail == nullptr)
    l->head = s;
  else
    l->tail->next = s;
  l->tail = s;
  goparkunlock(&l->lock, waitReasonSyncCondWait);
  releaseSudog(s);
}

// notifyListNotifyAll notifies all entries in the list.
extern "C" void notifyListNotifyAll(notifyList *l) __asm__("sync.runtime_notifyListNotifyAll");
void notifyListNotifyAll(notifyList *l) {
  // Fast-path: if there are no new waiters since the last notification we don't need to
  // acquire the lock.
  if (atomic::Load(&l->wait) == atomic::Load(&l->notify))
    return;

  // Pull the list out into a local variable, waiters will be readied outside the lock.
  lock(&l->lock);
  sudog *s = l->head;
  l->head = nullptr;
  l->tail = nullptr;

  // Update the next ticket to be notified. We can set it to the current value of wait
  // because any previous waiters are already in the list or will notice that they have
  // already been notified when trying to add themselves to the list.
  atomic::Store(&l->notify, atomic::Load(&l->wait));
  unlock(&l->lock);

  // Go through the local list and ready all waiters.
  while (s != nullptr) {
    sudog *next = s->next;
    s->next = nullptr;
    goready(s->g);
    s = next;
  }
}

// notifyListNotifyOne notifies one entry in the list.
extern "C" void notifyListNotifyOne(notifyList *l) __asm__("sync.runtime_notifyListNotifyOne");
void notifyListNotifyOne(notifyList *l) {
  // Fast-path: if there are no new waiters since the last notification we don't need to
  // acquire the lock at all.
  if (atomic::Load(&l->wait) == atomic::Load(&l->notify))
    return;

  lock(&l->lock);

  // Re-check under the lock if we need to do anything.
  uint32_t t = l->notify;
  if (t == atomic::Load(&l->wait)) {
    unlock(&l->lock);
    return;
  }

  // Update the next notify ticket number.
  atomic::Store(&l->notify, t + 1);

  // Try to find the g that needs to be notified. If it hasn't made it to the list yet we
  // won't find it, but it won't park itself once it sees the new notify number.
  //
  // This scan looks linear but essentially always stops quickly. Because g's queue
  // separately from taking numbers, there may be minor reorderings in the list, but we expect
  // the g we're looking for to be near the front. The g has others in front of it on the
  // list only to the extent that it lost the race, so the iteration will not be too long.
  // This applies even when the g is missing: it hasn't yet gotten to sleep and has lost the
  // race to the (few) other g's that we find on the list.
  for (sudog *p = nullptr, *s = l->head; s != nullptr; p = s, s = s->next) {
    if (s->ticket == t) {
      sudog *n = s->next;
      if (p != nullptr)
        p->next = n;
      else
        l->head = n;
      if (n == nullptr)
        l->tail = p;
      unlock(&l->lock);
      s->next = nullptr;
      goready(s->g);
      return;
    }
  }
  unlock(&l->lock);
}

// notifyListCheck checks that sync's notifyList is the size of the runtime's.
extern "C" void notifyListCheck(uintptr_t sz) __asm__("sync.runtime_notifyListCheck");
void notifyListCheck(uintptr_t sz) {
  if (sz != sizeof(notifyList)) {
    print("runtime: bad notifyList size - sync=", sz, " runtime=", sizeof(notifyList), "\n");
    throw_("bad notifyList size");
  }
}

// ---- spinning, time and fatal errors for sync ----

// Active spinning for sync.Mutex.
extern "C" bool sync_runtime_canSpin(int64_t i) __asm__("sync.runtime_canSpin");
bool sync_runtime_canSpin(int64_t i) {
  // sync.Mutex is cooperative, so we are conservative with spinning. Spin only few times
  // and only if running on a multicore machine and GOMAXPROCS>1 and there is at least one
  // other running P and local runq is empty. As opposed to runtime mutex we don't do passive
  // spinning here, because there can be work on global runq or on other Ps.
  if (i >= active_spin || ncpu <= 1 ||
      gomaxprocs <= int32_t(atomic::Load(&sched.npidle) + atomic::Load(&sched.nmspinning)) + 1)
    return false;
  if (p *pp = getg()->m->p; !runqempty(pp))
    return false;
  return true;
}

extern "C" void sync_runtime_doSpin() __asm__("sync.runtime_doSpin");
void sync_runtime_doSpin() { procyield(active_spin_cnt); }

extern "C" int64_t sync_nanotime() __asm__("sync.runtime_nanotime");
int64_t sync_nanotime() { return nanotime(); }

extern "C" [[noreturn]] void sync_throw(const uint8_t *s, int64_t n) __asm__("sync.throw");
void sync_throw(const uint8_t *s, int64_t n) { gothrow(s, n); }

extern "C" [[noreturn]] void sync_fatal(const uint8_t *s, int64_t n) __asm__("sync.fatal");
void sync_fatal(const uint8_t *s, int64_t n) { gofatal(s, n); }

} // namespace runtime
