// Time-related runtime and pieces of package time (Go: runtime/time.go, with checkTimers,
// checkTimersNoP and wakeNetPoller from proc.go).
//
// Each P has a 4-ary heap of timers ordered by when (timeheap.h). A timer is added to the heap
// of the P that adds it and runs on whichever P's scheduler finds it expired: its own in
// findRunnable, or another P's that steals it in stealWork. Deleting or modifying a timer only
// changes its status; the P that owns the heap removes or moves it later (cleantimers,
// adjusttimers, runtimer). The statuses and their transitions are Go's (docs/runtime.md).
//
// An M with nothing to run and a timer pending sleeps until that timer (findRunnable), and
// adding an earlier timer wakes it (wakeNetPoller). sysmon sleeps until the next timer too.

#include "atomic.h"
#include "stubs.h"
#include "timeheap.h"

namespace runtime {

// ---- package time's hooks ----

// timeSleep puts the current goroutine to sleep for at least ns nanoseconds (package time's
// Sleep).
extern "C" KEEPFRAME void timeSleep(int64_t ns) __asm__("time.Sleep");

// startTimer adds t to the timer heap (package time's startTimer).
extern "C" void startTimer(timer *t) __asm__("time.startTimer");
// stopTimer stops a timer. It reports whether t was stopped before being run.
extern "C" bool stopTimer(timer *t) __asm__("time.stopTimer");
// resetTimer resets an inactive timer, adding it to the heap. Reports whether the timer was
// modified before it was run.
extern "C" bool resetTimer(timer *t, int64_t when) __asm__("time.resetTimer");
// modTimer modifies an existing timer (package time's modTimer, for Ticker.Reset).
extern "C" void modTimer(timer *t, int64_t when, int64_t period, timerFunc f, void *arg,
                         uintptr_t seq) __asm__("time.modTimer");

// Package time's clocks: runtimeNano is nanotime (Go binds time.runtimeNano to
// runtime.nanotime), walltime the wall clock.
// Differs from Go: Go's time.now returns (sec, nsec, mono) from one call; toy's package time
// reads the two clocks through these two, as toyc returns no multi-word values from the
// runtime.
extern "C" int64_t time_runtimeNano() __asm__("time.runtimeNano");
extern "C" int64_t time_walltime() __asm__("time.walltime");

int64_t time_runtimeNano() { return nanotime(); }
int64_t time_walltime() { return walltime(); }

static void addtimer(timer *t);
static bool deltimer(timer *t);
static bool modtimer(timer *t, int64_t when, int64_t period, timerFunc f, void *arg, uintptr_t seq);
static bool resettimer(timer *t, int64_t when);
static void doaddtimer(p *pp, timer *t);
static void cleantimers(p *pp);

// goroutineReady is the f of a sleeping goroutine's timer: it readies the goroutine (arg).
static void goroutineReady(void *, void *arg, uintptr_t) { goready(static_cast<g *>(arg)); }

// resetForSleep is called after the goroutine is parked for timeSleep. We can't call
// resettimer in timeSleep itself because if this is a short sleep and there are many
// goroutines then the P can wind up running the timer function, goroutineReady, before the
// goroutine has been parked.
static bool resetForSleep(g *, void *ut) {
  timer *t = static_cast<timer *>(ut);
  resettimer(t, t->nextwhen);
  return true;
}

void timeSleep(int64_t ns) {
  if (ns <= 0)
    return;
  g *gp = getg();
  timer *t = gp->timer;
  if (t == nullptr) {
    t = gonew<timer>();
    gp->timer = t;
  }
  t->f = timerFunc{goroutineReady, nullptr};
  t->arg = gp;
  t->nextwhen = nanotime() + ns;
  if (t->nextwhen < 0) // check for overflow.
    t->nextwhen = maxWhen;
  gopark(resetForSleep, t, waitReasonSleep);
}

void startTimer(timer *t) { addtimer(t); }
bool stopTimer(timer *t) { return deltimer(t); }
bool resetTimer(timer *t, int64_t when) { return resettimer(t, when); }
void modTimer(timer *t, int64_t when, int64_t period, timerFunc f, void *arg, uintptr_t seq) {
  modtimer(t, when, period, f, arg, seq);
}

// ---- adding, deleting and modifying timers ----

// addtimer adds a timer to the current P. This should only be called with a newly created
// timer. That avoids the risk of changing the when field of a timer in some P's heap, which
// could cause the heap to become unsorted.
static void addtimer(timer *t) {
  // when must be positive. A negative value will cause runtimer to overflow during its delta
  // calculation and never expire other runtime timers. Zero will cause checkTimers to fail to
  // notice the timer.
  if (t->when <= 0)
    throw_("timer when must be positive");
  if (t->period < 0)
    throw_("timer period must be non-negative");
  if (t->status != timerNoStatus)
    throw_("addtimer called with initialized timer");
  t->status = timerWaiting;

  int64_t when = t->when;

  // Disable preemption while using pp to avoid changing another P's heap.
  m *mp = acquirem();
  p *pp = getg()->m->p;
  lock(&pp->timersLock);
  cleantimers(pp);
  doaddtimer(pp, t);
  unlock(&pp->timersLock);

  wakeNetPoller(when);

  releasem(mp);
}

// doaddtimer adds t to the current P's heap. The caller must have locked the timers for pp.
static void doaddtimer(p *pp, timer *t) {
  if (t->pp != nullptr)
    throw_("doaddtimer: P already set in timer");
  t->pp = pp;
  int64_t i = pp->timers.len;
  if (i == pp->timers.cap) {
    // Differs from Go: append's growth by hand; no GC, so the old array is abandoned.
    int64_t ncap = pp->timers.cap < 4 ? 4 : 2 * pp->timers.cap;
    auto *a = static_cast<timer **>(mallocgc(uintptr_t(ncap) * sizeof(timer *), nullptr, true));
    memmove(a, pp->timers.array, uintptr_t(i) * sizeof(timer *));
    pp->timers.array = a;
    pp->timers.cap = ncap;
  }
  pp->timers.array[i] = t;
  pp->timers.len = i + 1;
  siftupTimer(pp->timers.array, pp->timers.len, i);
  if (t == pp->timers.array[0])
    atomic::Store(&pp->timer0When, t->when);
  atomic::Xadd(&pp->numTimers, 1);
}

// deltimer deletes the timer t. It may be on some other P, so we can't actually remove it from
// the timers heap. We can only mark it as deleted. It will be removed in due course by the P
// whose heap it is on. Reports whether the timer was removed before it was run.
static bool deltimer(timer *t) {
  for (;;) {
    switch (uint32_t s = atomic::Load(&t->status); s) {
    case timerWaiting:
    case timerModifiedLater:
    case timerModifiedEarlier: {
      // Prevent preemption while the timer is in timerModifying. This could lead to a
      // self-deadlock.
      m *mp = acquirem();
      if (atomic::Cas(&t->status, s, uint32_t(timerModifying))) {
        // Must fetch t.pp before changing status, as cleantimers in another goroutine can
        // clear t.pp of a timerDeleted timer.
        p *tpp = t->pp;
        if (!atomic::Cas(&t->status, uint32_t(timerModifying), uint32_t(timerDeleted)))
          badTimer();
        releasem(mp);
        atomic::Xadd(&tpp->deletedTimers, 1);
        // Timer was not yet run.
        return true;
      }
      releasem(mp);
      break;
    }
    case timerDeleted:
    case timerRemoving:
    case timerRemoved:
      // Timer was already run.
      return false;
    case timerRunning:
    case timerMoving:
      // The timer is being run or moved, by a different P. Wait for it to complete.
      osyield();
      break;
    case timerNoStatus:
      // Removing timer that was never added or has already been run. Also see issue 21874.
      return false;
    case timerModifying:
      // Simultaneous calls to deltimer and modtimer. Wait for the other call to complete.
      osyield();
      break;
    default:
      badTimer();
    }
  }
}

// modtimer modifies an existing timer. This is called by the netpoll code or time.Ticker.Reset
// or time.Timer.Reset. Reports whether the timer was modified before it was run.
static bool modtimer(timer *t, int64_t when, int64_t period, timerFunc f, void *arg,
                     uintptr_t seq) {
  if (when <= 0)
    throw_("timer when must be positive");
  if (period < 0)
    throw_("timer period must be non-negative");

  bool wasRemoved = false;
  bool pending = false;
  m *mp = nullptr;
  for (bool done = false; !done;) {
    switch (uint32_t status = atomic::Load(&t->status); status) {
    case timerWaiting:
    case timerModifiedEarlier:
    case timerModifiedLater:
      // Prevent preemption while the timer is in timerModifying. This could lead to a
      // self-deadlock.
      mp = acquirem();
      if (atomic::Cas(&t->status, status, uint32_t(timerModifying))) {
        pending = true; // timer not yet run
        done = true;
        break;
      }
      releasem(mp);
      break;
    case timerNoStatus:
    case timerRemoved:
      mp = acquirem();
      // Timer was already run and t is no longer in a heap. Act like addtimer.
      if (atomic::Cas(&t->status, status, uint32_t(timerModifying))) {
        wasRemoved = true;
        pending = false; // timer already run or stopped
        done = true;
        break;
      }
      releasem(mp);
      break;
    case timerDeleted:
      mp = acquirem();
      if (atomic::Cas(&t->status, status, uint32_t(timerModifying))) {
        atomic::Xadd(&t->pp->deletedTimers, -1);
        pending = false; // timer already stopped
        done = true;
        break;
      }
      releasem(mp);
      break;
    case timerRunning:
    case timerRemoving:
    case timerMoving:
      // The timer is being run or moved, by a different P. Wait for it to complete.
      osyield();
      break;
    case timerModifying:
      // Multiple simultaneous calls to modtimer. Wait for the other call to complete.
      osyield();
      break;
    default:
      badTimer();
    }
  }

  t->period = period;
  t->f = f;
  t->arg = arg;
  t->seq = seq;

  if (wasRemoved) {
    t->when = when;
    p *pp = getg()->m->p;
    lock(&pp->timersLock);
    doaddtimer(pp, t);
    unlock(&pp->timersLock);
    if (!atomic::Cas(&t->status, uint32_t(timerModifying), uint32_t(timerWaiting)))
      badTimer();
    releasem(mp);
    wakeNetPoller(when);
  } else {
    // The timer is in some other P's heap, so we can't change the when field. If we did, the
    // other P's heap would be out of order. So we put the new when value in the nextwhen
    // field, and let the other P set the when field when it is prepared to resort the heap.
    t->nextwhen = when;

    uint32_t newStatus = timerModifiedLater;
    if (when < t->when)
      newStatus = timerModifiedEarlier;

    p *tpp = t->pp;
    if (newStatus == timerModifiedEarlier)
      updateTimerModifiedEarliest(tpp, when);

    // Set the new status of the timer.
    if (!atomic::Cas(&t->status, uint32_t(timerModifying), newStatus))
      badTimer();
    releasem(mp);

    // If the new status is earlier, wake up the poller.
    if (newStatus == timerModifiedEarlier)
      wakeNetPoller(when);
  }

  return pending;
}

// resettimer resets the time when a timer should fire. If used for an inactive timer, the
// timer will become active. This should be called instead of addtimer if the timer value has
// been, or may have been, used previously. Reports whether the timer was modified before it
// was run.
static bool resettimer(timer *t, int64_t when) {
  return modtimer(t, when, t->period, t->f, t->arg, t->seq);
}

// ---- keeping the heap in order ----

// cleantimers cleans up the head of the timer queue. This speeds up programs that create and
// delete timers; leaving them in the heap slows down addtimer. The caller must have locked the
// timers for pp.
static void cleantimers(p *pp) {
  g *gp = getg();
  for (;;) {
    if (pp->timers.len == 0)
      return;

    // This loop can theoretically run for a while, and because it is holding timersLock it
    // cannot be preempted. If someone is trying to preempt us, just return. We can clean the
    // timers later.
    if (gp->preemptStop)
      return;

    timer *t = pp->timers.array[0];
    if (t->pp != pp)
      throw_("cleantimers: bad p");
    switch (uint32_t s = atomic::Load(&t->status); s) {
    case timerDeleted:
      if (!atomic::Cas(&t->status, s, uint32_t(timerRemoving)))
        continue;
      dodeltimer0(pp);
      if (!atomic::Cas(&t->status, uint32_t(timerRemoving), uint32_t(timerRemoved)))
        badTimer();
      atomic::Xadd(&pp->deletedTimers, -1);
      break;
    case timerModifiedEarlier:
    case timerModifiedLater:
      if (!atomic::Cas(&t->status, s, uint32_t(timerMoving)))
        continue;
      // Now we can change the when field.
      t->when = t->nextwhen;
      // Move t to the right position.
      dodeltimer0(pp);
      doaddtimer(pp, t);
      if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
        badTimer();
      break;
    default:
      // Head of timers does not need adjustment.
      return;
    }
  }
}

// moveTimers moves a slice of timers to pp. The slice has been taken from a different P. This
// is currently called when the world is stopped, but the caller is expected to have locked the
// timers for pp.
void moveTimers(p *pp, timer **timers, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    timer *t = timers[i];
    for (bool done = false; !done;) {
      switch (uint32_t s = atomic::Load(&t->status); s) {
      case timerWaiting:
        if (!atomic::Cas(&t->status, s, uint32_t(timerMoving)))
          continue;
        t->pp = nullptr;
        doaddtimer(pp, t);
        if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
          badTimer();
        done = true;
        break;
      case timerModifiedEarlier:
      case timerModifiedLater:
        if (!atomic::Cas(&t->status, s, uint32_t(timerMoving)))
          continue;
        t->when = t->nextwhen;
        t->pp = nullptr;
        doaddtimer(pp, t);
        if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
          badTimer();
        done = true;
        break;
      case timerDeleted:
        if (!atomic::Cas(&t->status, s, uint32_t(timerRemoved)))
          continue;
        t->pp = nullptr;
        // We no longer need this timer in the heap.
        done = true;
        break;
      case timerModifying:
        // Loop until the modification is complete.
        osyield();
        break;
      default:
        // timerNoStatus and timerRemoved: we should not see these status values in a timers
        // heap. timerRunning, timerRemoving and timerMoving: some other P thinks it owns this
        // timer, which should not happen.
        badTimer();
      }
    }
  }
}

// adjusttimers looks through the timers in the current P's heap for any timers that have been
// modified to run earlier, and puts them in the correct place in the heap. While looking for
// those timers, it also moves timers that have been modified to run later, and removes
// deleted timers. The caller must have locked the timers for pp.
static void adjusttimers(p *pp, int64_t now) {
  // If we haven't yet reached the time of the first timerModifiedEarlier timer, don't do
  // anything. This speeds up programs that adjust a lot of timers back and forth if the timers
  // rarely expire. We'll postpone looking through all the adjusted timers until one would
  // actually expire.
  int64_t first = atomic::Load(&pp->timerModifiedEarliest);
  if (first == 0 || first > now)
    return;

  // We are going to clear all timerModifiedEarlier timers.
  atomic::Store(&pp->timerModifiedEarliest, int64_t(0));

  // Differs from Go: the moved timers are chained through their pp field (null once
  // dodeltimer took them off the heap) instead of collected in an appended slice.
  timer *moved = nullptr;
  for (int64_t i = 0; i < pp->timers.len; i++) {
    timer *t = pp->timers.array[i];
    if (t->pp != pp)
      throw_("adjusttimers: bad p");
    switch (uint32_t s = atomic::Load(&t->status); s) {
    case timerDeleted:
      if (atomic::Cas(&t->status, s, uint32_t(timerRemoving))) {
        int64_t changed = dodeltimer(pp, i);
        if (!atomic::Cas(&t->status, uint32_t(timerRemoving), uint32_t(timerRemoved)))
          badTimer();
        atomic::Xadd(&pp->deletedTimers, -1);
        // Go back to the earliest changed heap entry. "- 1" because the loop will add 1.
        i = changed - 1;
      }
      break;
    case timerModifiedEarlier:
    case timerModifiedLater:
      if (atomic::Cas(&t->status, s, uint32_t(timerMoving))) {
        // Now we can change the when field.
        t->when = t->nextwhen;
        // Take t off the heap, and hold onto it. We don't add it back yet because the heap
        // manipulation could cause our loop to skip some other timer.
        int64_t changed = dodeltimer(pp, i);
        t->pp = reinterpret_cast<p *>(moved);
        moved = t;
        // Go back to the earliest changed heap entry. "- 1" because the loop will add 1.
        i = changed - 1;
      }
      break;
    case timerNoStatus:
    case timerRunning:
    case timerRemoving:
    case timerRemoved:
    case timerMoving:
      badTimer();
    case timerWaiting:
      // OK, nothing to do.
      break;
    case timerModifying:
      // Check again after modification is complete.
      osyield();
      i--;
      break;
    default:
      badTimer();
    }
  }

  // addAdjustedTimers: add the moved timers back.
  while (moved != nullptr) {
    timer *t = moved;
    moved = reinterpret_cast<timer *>(t->pp);
    t->pp = nullptr;
    doaddtimer(pp, t);
    if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
      badTimer();
  }
}

// nobarrierWakeTime looks at P's timers and returns the time when we should wake up the
// netpoller. It returns 0 if there are no timers. This function is invoked when dropping a P,
// and must run without any write barriers.
int64_t nobarrierWakeTime(p *pp) {
  int64_t next = atomic::Load(&pp->timer0When);
  int64_t nextAdj = atomic::Load(&pp->timerModifiedEarliest);
  if (next == 0 || (nextAdj != 0 && nextAdj < next))
    next = nextAdj;
  return next;
}

// runOneTimer runs a single timer. The caller must have locked the timers for pp. This will
// temporarily unlock the timers while running the timer function.
static void runOneTimer(p *pp, timer *t, int64_t now) {
  timerFunc f = t->f;
  void *arg = t->arg;
  uintptr_t seq = t->seq;

  if (t->period > 0) {
    // Leave in heap but adjust next time to fire.
    int64_t delta = t->when - now;
    t->when += t->period * (1 + -delta / t->period);
    if (t->when < 0) // check for overflow.
      t->when = maxWhen;
    siftdownTimer(pp->timers.array, pp->timers.len, 0);
    if (!atomic::Cas(&t->status, uint32_t(timerRunning), uint32_t(timerWaiting)))
      badTimer();
    updateTimer0When(pp);
  } else {
    // Remove from heap.
    dodeltimer0(pp);
    if (!atomic::Cas(&t->status, uint32_t(timerRunning), uint32_t(timerNoStatus)))
      badTimer();
  }

  unlock(&pp->timersLock);

  f.code(f.env, arg, seq);

  lock(&pp->timersLock);
}

// runtimer examines the first timer in timers. If it is ready based on now, it runs the timer
// and removes or updates it. Returns 0 if it ran a timer, -1 if there are no more timers, or
// the time when the first timer should run. The caller must have locked the timers for pp. If
// a timer is run, this will temporarily unlock the timers.
static int64_t runtimer(p *pp, int64_t now) {
  for (;;) {
    timer *t = pp->timers.array[0];
    if (t->pp != pp)
      throw_("runtimer: bad p");
    switch (uint32_t s = atomic::Load(&t->status); s) {
    case timerWaiting:
      if (t->when > now) {
        // Not ready to run.
        return t->when;
      }
      if (!atomic::Cas(&t->status, s, uint32_t(timerRunning)))
        continue;
      // Note that runOneTimer may temporarily unlock pp.timersLock.
      runOneTimer(pp, t, now);
      return 0;
    case timerDeleted:
      if (!atomic::Cas(&t->status, s, uint32_t(timerRemoving)))
        continue;
      dodeltimer0(pp);
      if (!atomic::Cas(&t->status, uint32_t(timerRemoving), uint32_t(timerRemoved)))
        badTimer();
      atomic::Xadd(&pp->deletedTimers, -1);
      if (pp->timers.len == 0)
        return -1;
      break;
    case timerModifiedEarlier:
    case timerModifiedLater:
      if (!atomic::Cas(&t->status, s, uint32_t(timerMoving)))
        continue;
      t->when = t->nextwhen;
      dodeltimer0(pp);
      doaddtimer(pp, t);
      if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
        badTimer();
      break;
    case timerModifying:
      // Wait for modification to complete.
      osyield();
      break;
    default:
      // timerNoStatus and timerRemoved: should not see a new or inactive timer on the heap.
      // timerRunning, timerRemoving and timerMoving: these should only be set when timers are
      // locked, and we didn't do it.
      badTimer();
    }
  }
}

// clearDeletedTimers removes all deleted timers from the P's timer heap. This is used to avoid
// clogging up the heap if the program starts a lot of long-running timers and then stops
// them. The caller must have locked the timers for pp.
static void clearDeletedTimers(p *pp) {
  // We are going to clear all timerModifiedEarlier timers. Do this now in case new ones show
  // up while we are looping.
  atomic::Store(&pp->timerModifiedEarliest, int64_t(0));

  int32_t cdel = 0;
  int64_t to = 0;
  bool changedHeap = false;
  timer **timers = pp->timers.array;
  for (int64_t i = 0; i < pp->timers.len; i++) {
    timer *t = timers[i];
    for (bool next = false; !next;) {
      switch (uint32_t s = atomic::Load(&t->status); s) {
      case timerWaiting:
        if (changedHeap) {
          timers[to] = t;
          siftupTimer(timers, to + 1, to);
        }
        to++;
        next = true;
        break;
      case timerModifiedEarlier:
      case timerModifiedLater:
        if (atomic::Cas(&t->status, s, uint32_t(timerMoving))) {
          t->when = t->nextwhen;
          timers[to] = t;
          siftupTimer(timers, to + 1, to);
          to++;
          changedHeap = true;
          if (!atomic::Cas(&t->status, uint32_t(timerMoving), uint32_t(timerWaiting)))
            badTimer();
          next = true;
        }
        break;
      case timerDeleted:
        if (atomic::Cas(&t->status, s, uint32_t(timerRemoving))) {
          t->pp = nullptr;
          cdel++;
          if (!atomic::Cas(&t->status, uint32_t(timerRemoving), uint32_t(timerRemoved)))
            badTimer();
          changedHeap = true;
          next = true;
        }
        break;
      case timerModifying:
        // Loop until modification complete.
        osyield();
        break;
      default:
        // timerNoStatus and timerRemoved: we should not see these status values in a timer
        // heap. timerRunning, timerRemoving and timerMoving: some other P thinks it owns this
        // timer, which should not happen.
        badTimer();
      }
    }
  }

  // Set remaining slots in timers slice to nil, so that the timer values can be garbage
  // collected.
  for (int64_t i = to; i < pp->timers.len; i++)
    timers[i] = nullptr;

  atomic::Xadd(&pp->deletedTimers, -cdel);
  atomic::Xadd(&pp->numTimers, -cdel);

  pp->timers.len = to;
  updateTimer0When(pp);
}

// updateTimerModifiedEarliest updates the pp.timerModifiedEarliest value. The timers for pp
// will not be locked.
void updateTimerModifiedEarliest(p *pp, int64_t nextwhen) {
  for (;;) {
    int64_t old = atomic::Load(&pp->timerModifiedEarliest);
    if (old != 0 && old < nextwhen)
      return;
    if (atomic::Cas(&pp->timerModifiedEarliest, old, nextwhen))
      return;
  }
}

// timeSleepUntil returns the time when the next timer should fire. Returns maxWhen if there
// are no timers. This is only called by sysmon and checkdead.
int64_t timeSleepUntil() {
  int64_t next = maxWhen;

  // Prevent allp slice changes. This is like retake.
  lock(&allpLock);
  for (int64_t i = 0; i < allp.len; i++) {
    p *pp = allp.array[i];
    if (pp == nullptr) {
      // This can happen if procresize has grown allp but not yet created new Ps.
      continue;
    }
    int64_t w = atomic::Load(&pp->timer0When);
    if (w != 0 && w < next)
      next = w;
    w = atomic::Load(&pp->timerModifiedEarliest);
    if (w != 0 && w < next)
      next = w;
  }
  unlock(&allpLock);

  return next;
}

// ---- the scheduler's side (Go: proc.go) ----

// checkTimers runs any timers for the P that are ready. If now is not 0 it is the current
// time. It returns the passed time or the current time if now was passed as 0, and the time
// when the next timer should run or 0 if there is no next timer (in *pollUntil), and reports
// whether it ran any timers (in *ran). We pass now in and out to avoid extra calls of
// nanotime.
timerCheck checkTimers(p *pp, int64_t now) {
  // If it's not yet time for the first timer, or the first adjusted timer, then there is
  // nothing to do.
  int64_t next = nobarrierWakeTime(pp);
  if (next == 0) {
    // No timers to run or adjust.
    return {now, 0, false};
  }

  if (now == 0)
    now = nanotime();
  if (now < next) {
    // Next timer is not ready to run, but keep going if we would clear deleted timers. This
    // corresponds to the condition below where we decide whether to call
    // clearDeletedTimers.
    if (pp != getg()->m->p ||
        int32_t(atomic::Load(&pp->deletedTimers)) <= int32_t(atomic::Load(&pp->numTimers) / 4))
      return {now, next, false};
  }

  lock(&pp->timersLock);

  int64_t pollUntil = 0;
  bool ran = false;
  if (pp->timers.len > 0) {
    adjusttimers(pp, now);
    while (pp->timers.len > 0) {
      // Note that runtimer may temporarily unlock pp.timersLock.
      if (int64_t tw = runtimer(pp, now); tw != 0) {
        if (tw > 0)
          pollUntil = tw;
        break;
      }
      ran = true;
    }
  }

  // If this is the local P, and there are a lot of deleted timers, clear them out. We only do
  // this for the local P to reduce lock contention on timersLock.
  if (pp == getg()->m->p && int64_t(atomic::Load(&pp->deletedTimers)) > pp->timers.len / 4)
    clearDeletedTimers(pp);

  unlock(&pp->timersLock);

  return {now, pollUntil, ran};
}

// Differs from Go: an M with nothing to run waits for the next timer in netpoll(delay), and
// netpollBreak interrupts it. toy has no network poller, so that M sleeps on this futex word
// (timerSleep) and timerSleepBreak wakes it: the word is 1 from a wake-up until the sleeper
// has seen it, so a wake-up that comes before the sleep is not lost.
static uint32_t timerSleepWake;

// timerSleep sleeps for at most delay nanoseconds (0: does not sleep), less if timerSleepBreak
// is called. Go: netpoll(delay) with no file descriptors.
void timerSleep(int64_t delay) {
  if (delay > 0)
    futexsleep(&timerSleepWake, 0, delay);
  atomic::Store(&timerSleepWake, 0u);
}

// timerSleepBreak interrupts timerSleep (Go: netpollBreak).
void timerSleepBreak() {
  if (atomic::Cas(&timerSleepWake, 0u, 1u))
    futexwakeup(&timerSleepWake, 1);
}

// wakeNetPoller wakes up the thread sleeping until the next timer if it isn't going to wake up
// before the when argument; or it wakes an idle P to service timers and the sleep.
void wakeNetPoller(int64_t when) {
  if (atomic::Load(&sched.lastpoll) == 0) {
    // In findRunnable we ensure that when sleeping the pollUntil field is either zero or the
    // time to which the current sleep is expected to run. This can have a spurious wakeup but
    // should never miss a wakeup.
    int64_t pollerPollUntil = atomic::Load(&sched.pollUntil);
    if (pollerPollUntil == 0 || pollerPollUntil > when)
      timerSleepBreak();
  } else {
    // There are no threads sleeping for timers, try to get one there so it can handle new
    // timers.
    wakep();
  }
}

} // namespace runtime
