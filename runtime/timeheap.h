// The timer, its statuses and the per-P 4-ary timer heap (Go: runtime/time.go).
//
// Differs from Go: these live in time.go; toy keeps the heap operations in a header so
// GoogleTest can run them without a scheduler (test/unit/timeheap_test.cpp), as runq.h does
// for the run queues. The rest of time.go is in time.cpp.
//
// Besides runtime2.h and atomic.h, the code below uses throw_ (declared here).
#ifndef TOY_RUNTIME_TIMEHEAP_H
#define TOY_RUNTIME_TIMEHEAP_H

#include "atomic.h"
#include "runtime2.h"

namespace runtime {

[[noreturn]] void throw_(const char *s);

// A func value as toyc lays it out: the code, called with env as a hidden first argument.
// A timer's f is func(arg, seq).
struct timerFunc {
  void (*code)(void *env, void *arg, uintptr_t seq);
  void *env;
};

// Package time knows the layout of this struct (runtimeTimer in stdlib/time/sleep.toy). If
// this struct changes, adjust it there too.
// Differs from Go: arg is one pointer (a *g, or a channel of package time), as toy has no
// interfaces; Go's is an any.
struct timer {
  // If this timer is on a heap, which P's heap it is on. pp is null if the timer is not on
  // a heap.
  p *pp;

  // Timer wakes up at when, and then at when+period, ... (period > 0 only). Each time calling
  // f(arg, now) in the timer goroutine, so f must be a well-behaved function and not block.
  //
  // when must be positive on an active timer.
  int64_t when;
  int64_t period;
  timerFunc f;
  void *arg;
  uintptr_t seq;

  // What to set the when field to in timerModifiedXX status.
  int64_t nextwhen;

  // The status field holds one of the values below.
  uint32_t status;
};

// Values of timer.status (Go's, and the transitions between them are Go's: docs/runtime.md
// draws them).
enum : uint32_t {
  // Timer has no status set yet.
  timerNoStatus = 0,
  // Waiting for timer to fire. The timer is in some P's heap.
  timerWaiting,
  // Running the timer function. A timer will only have this status briefly.
  timerRunning,
  // The timer is deleted and should be removed. It should not be run, but it is still in
  // some P's heap.
  timerDeleted,
  // The timer is being removed. The timer will only have this status briefly.
  timerRemoving,
  // The timer has been stopped. It is not in any P's heap.
  timerRemoved,
  // The timer is being modified. The timer will only have this status briefly.
  timerModifying,
  // The timer has been modified to an earlier time. The new when value is in the nextwhen
  // field. The timer is in some P's heap, possibly in the wrong place.
  timerModifiedEarlier,
  // The timer has been modified to the same or a later time. The new when value is in the
  // nextwhen field. The timer is in some P's heap, possibly in the wrong place.
  timerModifiedLater,
  // The timer has been modified and is being moved. The timer will only have this status
  // briefly.
  timerMoving,
};

// maxWhen is the maximum value for timer's when field.
constexpr int64_t maxWhen = INT64_MAX;

// badTimer is called if the timer data structures have been corrupted, presumably due to
// racy use by the program. We panic here rather than panicing due to invalid slice access
// while holding locks.
[[noreturn]] inline void badTimer() { throw_("timer data corruption"); }

// The heap is a 4-ary heap ordered by when: the parent of i is (i-1)/4. Go's siftupTimer and
// siftdownTimer take a []*timer; here the P's array and its length.

// siftupTimer puts the timer at position i in the right place in the heap by moving it up
// toward the top of the heap. It returns the smallest changed index.
inline int64_t siftupTimer(timer **t, int64_t n, int64_t i) {
  if (i >= n)
    badTimer();
  int64_t when = t[i]->when;
  if (when <= 0)
    badTimer();
  timer *tmp = t[i];
  while (i > 0) {
    int64_t parent = (i - 1) / 4;
    if (when >= t[parent]->when)
      break;
    t[i] = t[parent];
    i = parent;
  }
  if (tmp != t[i])
    t[i] = tmp;
  return i;
}

// siftdownTimer puts the timer at position i in the right place in the heap by moving it down
// toward the bottom of the heap.
inline void siftdownTimer(timer **t, int64_t n, int64_t i) {
  if (i >= n)
    badTimer();
  int64_t when = t[i]->when;
  if (when <= 0)
    badTimer();
  timer *tmp = t[i];
  for (;;) {
    int64_t c = i * 4 + 1; // left child
    int64_t c3 = c + 2;    // mid child
    if (c >= n)
      break;
    int64_t w = t[c]->when;
    if (c + 1 < n && t[c + 1]->when < w) {
      w = t[c + 1]->when;
      c++;
    }
    if (c3 < n) {
      int64_t w3 = t[c3]->when;
      if (c3 + 1 < n && t[c3 + 1]->when < w3) {
        w3 = t[c3 + 1]->when;
        c3++;
      }
      if (w3 < w) {
        w = w3;
        c = c3;
      }
    }
    if (w >= when)
      break;
    t[i] = t[c];
    i = c;
  }
  if (tmp != t[i])
    t[i] = tmp;
}

// updateTimer0When sets the P's timer0When field. The caller must have locked the timers for
// pp.
inline void updateTimer0When(p *pp) {
  if (pp->timers.len == 0)
    atomic::Store(&pp->timer0When, int64_t(0));
  else
    atomic::Store(&pp->timer0When, pp->timers.array[0]->when);
}

// dodeltimer removes timer i from P pp's heap. It returns the smallest changed index in
// pp.timers. The caller must have locked the timers for pp.
inline int64_t dodeltimer(p *pp, int64_t i) {
  if (timer *t = pp->timers.array[i]; t->pp != pp)
    throw_("dodeltimer: wrong P");
  else
    t->pp = nullptr;
  timer **ts = pp->timers.array;
  int64_t last = pp->timers.len - 1;
  if (i != last)
    ts[i] = ts[last];
  ts[last] = nullptr;
  pp->timers.len = last;
  int64_t smallestChanged = i;
  if (i != last) {
    // Moving to i may have moved the last timer to a new parent, so sift up to preserve the
    // heap guarantee.
    smallestChanged = siftupTimer(ts, last, i);
    siftdownTimer(ts, last, i);
  }
  if (i == 0)
    updateTimer0When(pp);
  if (atomic::Xadd(&pp->numTimers, -1) == 0) {
    // If there are no timers, then clearly none are modified.
    atomic::Store(&pp->timerModifiedEarliest, int64_t(0));
  }
  return smallestChanged;
}

// dodeltimer0 removes timer 0 from P pp's heap. The caller must have locked the timers for pp.
inline void dodeltimer0(p *pp) {
  if (timer *t = pp->timers.array[0]; t->pp != pp)
    throw_("dodeltimer0: wrong P");
  else
    t->pp = nullptr;
  timer **ts = pp->timers.array;
  int64_t last = pp->timers.len - 1;
  if (last > 0)
    ts[0] = ts[last];
  ts[last] = nullptr;
  pp->timers.len = last;
  if (last > 0)
    siftdownTimer(ts, last, 0);
  updateTimer0When(pp);
  if (atomic::Xadd(&pp->numTimers, -1) == 0) {
    // If there are no timers, then clearly none are modified.
    atomic::Store(&pp->timerModifiedEarliest, int64_t(0));
  }
}

} // namespace runtime

#endif
