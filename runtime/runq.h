// The per-P run queues, the global run queue and gList/gQueue (Go: runtime/proc.go).
//
// Differs from Go: these live in proc.go; toy keeps them in a header so GoogleTest can run them
// without a scheduler.
//
// Besides runtime2.h and atomic.h, the code below uses lock, unlock and throw_ (declared here),
// and usleep, schedstats and the trace hooks traceSteal and traceRunqPutSlow, which the includer
// declares first: stubs.h and trace.h in the runtime (proc.cpp);
// hosted stand-ins in test/unit/runq_test.cpp, which cannot include stubs.h next to libc's
// headers (both declare usleep, clone, ...).
#ifndef TOY_RUNTIME_RUNQ_H
#define TOY_RUNTIME_RUNQ_H

#include "atomic.h"
#include "runtime2.h"

namespace runtime {

void lock(mutex *l);
void unlock(mutex *l);
[[noreturn]] void throw_(const char *s);

inline void runqput(p *_p_, g *gp, bool next);

// runqslot is the index in a P's ring of queue position i: runqSize is a power of two, so this
// is Go's i % uint32(len(pp.runq)) without a division.
inline uint32_t runqslot(uint32_t i) { return i & (runqSize - 1); }

// ---- gList / gQueue ----

inline void gList::push(g *gp) {
  gp->schedlink = head;
  head = gp;
}

// pushAll prepends all Gs in q to l.
inline void gList::pushAll(gQueue q) {
  if (!q.empty()) {
    q.tail->schedlink = head;
    head = q.head;
  }
}

inline g *gList::pop() {
  g *gp = head;
  if (gp != nullptr)
    head = gp->schedlink;
  return gp;
}

inline void gQueue::push(g *gp) {
  gp->schedlink = head;
  head = gp;
  if (tail == nullptr)
    tail = gp;
}

inline void gQueue::pushBack(g *gp) {
  gp->schedlink = nullptr;
  if (tail != nullptr)
    tail->schedlink = gp;
  else
    head = gp;
  tail = gp;
}

// pushBackAll adds all Gs in q2 to the tail of q. After this q2 must not be used.
inline void gQueue::pushBackAll(gQueue q2) {
  if (q2.tail == nullptr)
    return;
  q2.tail->schedlink = nullptr;
  if (tail != nullptr)
    tail->schedlink = q2.head;
  else
    head = q2.head;
  tail = q2.tail;
}

inline g *gQueue::pop() {
  g *gp = head;
  if (gp != nullptr) {
    head = gp->schedlink;
    if (head == nullptr)
      tail = nullptr;
  }
  return gp;
}

// ---- run queues ----

// runqempty reports whether _p_ has no Gs on its local run queue. It never returns true
// spuriously.
inline bool runqempty(p *_p_) {
  // Defend against a race where 1) _p_ has G1 in runqnext but runqhead == runqtail, 2)
  // runqput on _p_ kicks G1 to the runq, 3) runqget on _p_ empties runqnext. Simply
  // observing that runqhead == runqtail and then observing that runqnext == nil does not mean
  // the queue is empty.
  for (;;) {
    uint32_t head = atomic::Load(&_p_->runqhead);
    uint32_t tail = atomic::Load(&_p_->runqtail);
    g *runnext = atomic::Load(&_p_->runnext);
    if (tail == atomic::Load(&_p_->runqtail))
      return head == tail && runnext == nullptr;
  }
}

// globrunqput puts gp on the global runnable queue. sched.lock must be held.
inline void globrunqput(g *gp) {
  sched.runq.pushBack(gp);
  sched.runqsize++;
}

// globrunqputhead puts gp at the head of the global runnable queue. sched.lock must be held.
inline void globrunqputhead(g *gp) {
  sched.runq.push(gp);
  sched.runqsize++;
}

// globrunqputbatch puts a batch of runnable goroutines on the global runnable queue. This
// clears *batch. sched.lock must be held.
inline void globrunqputbatch(gQueue *batch, int32_t n) {
  sched.runq.pushBackAll(*batch);
  sched.runqsize += n;
  *batch = gQueue{};
}

// globrunqget tries to get a batch of G's from the global runnable queue. sched.lock must be
// held.
inline g *globrunqget(p *_p_, int32_t max) {
  if (sched.runqsize == 0)
    return nullptr;

  int32_t n = sched.runqsize / gomaxprocs + 1;
  if (n > sched.runqsize)
    n = sched.runqsize;
  if (max > 0 && n > max)
    n = max;
  if (n > int32_t(globrunqBatch)) // Go: len(_p_.runq)/2
    n = int32_t(globrunqBatch);

  sched.runqsize -= n;

  g *gp = sched.runq.pop();
  n--;
  for (; n > 0; n--) {
    g *gp1 = sched.runq.pop();
    runqput(_p_, gp1, false);
  }
  return gp;
}

// runqputslow puts g and a batch of work from local runnable queue on global queue.
// Executed only by the owner P.
inline bool runqputslow(p *_p_, g *gp, uint32_t h, uint32_t t) {
  g **batch = _p_->runqbatch; // Go: var batch [len(_p_.runq)/2 + 1]*g (see p.runqbatch)

  // First, grab a batch from local queue.
  uint32_t n = t - h;
  n = n / runqOverflowDiv; // Go: n / 2
  if (n != runqSize / runqOverflowDiv)
    throw_("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++)
    batch[i] = _p_->runq[runqslot(h + i)];
  if (!atomic::CasRel(&_p_->runqhead, h, h + n)) // cas-release, commits consume
    return false;
  batch[n] = gp;

  // Link the goroutines.
  for (uint32_t i = 0; i < n; i++)
    batch[i]->schedlink = batch[i + 1];
  gQueue q{batch[0], batch[n]};

  // Now put the batch on global queue.
  lock(&sched.lock);
  globrunqputbatch(&q, int32_t(n + 1));
  unlock(&sched.lock);
  traceRunqPutSlow(n + 1);
  return true;
}

// runqput tries to put g on the local runnable queue. If next is false, runqput adds g to the
// tail of the runnable queue. If next is true, runqput puts g in the _p_.runnext slot. If the
// run queue is full, runnext puts g on the global queue. Executed only by the owner P.
inline void runqput(p *_p_, g *gp, bool next) {
  if (next) {
    g *oldnext;
    do {
      oldnext = _p_->runnext;
    } while (!atomic::Cas(&_p_->runnext, oldnext, gp));
    if (oldnext == nullptr)
      return;
    // Kick the old runnext out to the regular run queue.
    gp = oldnext;
  }

  for (;;) {
    uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with consumers
    uint32_t t = _p_->runqtail;
    if (t - h < runqSize) {
      _p_->runq[runqslot(t)] = gp;
      atomic::StoreRel(&_p_->runqtail, t + 1); // store-release, makes the item available
      return;
    }
    if (runqputslow(_p_, gp, h, t))
      return;
    // the queue is not full, now the put above must succeed
  }
}

// runqget gets a g from the local runnable queue. If inheritTime is true, gp should inherit
// the remaining time in the current time slice. Otherwise, it should start a new time slice.
// Executed only by the owner P.
inline g *runqget(p *_p_, bool *inheritTime) {
  // If there's a runnext, it's the next G to run.
  g *next = _p_->runnext;
  // If the runnext is non-0 and the CAS fails, it could only have been stolen by another P,
  // because other Ps can race to set runnext to 0, but only the current P can set it to
  // non-0. Hence, there's no need to retry this CAS if it falls.
  if (next != nullptr && atomic::Cas(&_p_->runnext, next, static_cast<g *>(nullptr))) {
    __atomic_add_fetch(&schedstats.runnext, 1, __ATOMIC_RELAXED); // a statistic: no ordering
    *inheritTime = true;
    return next;
  }

  for (;;) {
    uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with other consumers
    uint32_t t = _p_->runqtail;
    if (t == h) {
      *inheritTime = false;
      return nullptr;
    }
    g *gp = _p_->runq[runqslot(h)];
    if (atomic::CasRel(&_p_->runqhead, h, h + 1)) { // cas-release, commits consume
      *inheritTime = false;
      return gp;
    }
  }
}

// runqgrab grabs a batch of goroutines from _p_'s runnable queue into batch. Batch is a ring
// buffer starting at batchHead. Returns number of grabbed goroutines. Can be executed by any
// P. noinline, as Go's compiler leaves it: a frame of its own that a debugger can break in.
__attribute__((noinline)) inline uint32_t runqgrab(p *_p_, g **batch, uint32_t batchHead,
                                                   bool stealRunNextG) {
  for (;;) {
    uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with other consumers
    uint32_t t = atomic::LoadAcq(&_p_->runqtail); // load-acquire, synchronize with the producer
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (stealRunNextG) {
        // Try to steal from _p_.runnext.
        if (g *next = atomic::Load(&_p_->runnext); next != nullptr) {
          if (atomic::Load(&_p_->status) == _Prunning) {
            // Sleep to ensure that _p_ isn't about to run the g we are about to steal. The
            // important use case here is when the g running on _p_ ready()s another g and then
            // almost immediately blocks. Instead of stealing runnext in this window, back off
            // to give _p_ a chance to schedule runnext. This will avoid thrashing gs between
            // different Ps. A sync chan send/recv takes ~50ns as of time of writing, so 3us
            // gives ~50x overshoot.
            usleep(3);
          }
          if (!atomic::Cas(&_p_->runnext, next, static_cast<g *>(nullptr)))
            continue;
          batch[runqslot(batchHead)] = next;
          return 1;
        }
      }
      return 0;
    }
    if (n > runqSize / 2) // read inconsistent h and t
      continue;
    for (uint32_t i = 0; i < n; i++) {
      g *gp = __atomic_load_n(&_p_->runq[runqslot(h + i)], __ATOMIC_RELAXED);
      __atomic_store_n(&batch[runqslot(batchHead + i)], gp, __ATOMIC_RELAXED);
    }
    if (atomic::CasRel(&_p_->runqhead, h, h + n)) // cas-release, commits consume
      return n;
  }
}

// runqsteal steals half of elements from local runnable queue of p2 and puts onto local
// runnable queue of p. Returns one of the stolen elements (or nil if failed).
inline g *runqsteal(p *_p_, p *p2, bool stealRunNextG) {
  uint32_t t = _p_->runqtail;
  uint32_t n = runqgrab(p2, _p_->runq, t, stealRunNextG);
  if (n == 0)
    return nullptr;
  __atomic_add_fetch(&schedstats.steals, 1, __ATOMIC_RELAXED); // statistics: no ordering
  __atomic_add_fetch(&schedstats.stolen, n, __ATOMIC_RELAXED);
  traceSteal(p2, n);
  n--;
  g *gp = _p_->runq[runqslot(t + n)];
  if (n == 0)
    return gp;
  uint32_t h = atomic::LoadAcq(&_p_->runqhead); // load-acquire, synchronize with consumers
  if (t - h + n >= runqSize)
    throw_("runqsteal: runq overflow");
  atomic::StoreRel(&_p_->runqtail, t + n); // store-release, makes the item available
  return gp;
}

} // namespace runtime

#endif
