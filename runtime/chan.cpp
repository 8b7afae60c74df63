// Channels (Go: runtime/chan.go), and the sudog caches of proc.go (acquireSudog,
// releaseSudog).
//
// A channel is an hchan (chan.h) the compiler holds by pointer: make(chan T, n) calls
// makechan, c <- v calls chansend1, <-c chanrecv1 or chanrecv2 (v, ok := <-c), close(c)
// closechan. A sender that finds a receiver waiting copies its value straight into the
// receiver's variable (send/sendDirect) and readies it; a receiver that finds a sender
// waiting takes the value from the sender's stack, or, on a full buffered channel, takes the
// head of the buffer and puts the sender's value at the tail (recv). Otherwise the value goes
// through the buffer, or the goroutine parks on the channel's sendq/recvq in a sudog until
// the other side (or close) wakes it with goready.
//
// Differs from Go: goroutine stacks never move (they grow by segments), so Go's activeStackChans
// and parkingOnChan, which tell copystack that another goroutine may write to this stack,
// are not needed; and no race detector or blocking profile, so no callerpc, releasetime or
// t0.

#include "chan.h"
#include "stubs.h"

#include "trace.h"
#include "runq.h" // gList

namespace runtime {

namespace {
// The largest allocation Go allows on linux/amd64 (malloc.go's maxAlloc: 1 << heapAddrBits).
constexpr uintptr_t maxAlloc = uintptr_t(1) << 48;

void unlockChan(void *c) { unlock(&static_cast<hchan *>(c)->lock); }

bool chanparkcommit(g *, void *chanLock) {
  unlock(static_cast<mutex *>(chanLock));
  return true;
}

// empty reports whether a read from c would block (that is, the channel is empty). It uses a
// single atomic read of mutable state.
bool empty(hchan *c) {
  // c.dataqsiz is immutable.
  if (c->dataqsiz == 0)
    return atomic::Load(&c->sendq.first) == nullptr;
  return atomic::Load(&c->qcount) == 0;
}

// full reports whether a send on c would block (that is, the channel is full). It uses a
// single word-sized read of mutable state, so although the answer is instantaneously true,
// the correct answer may have changed by the time the calling function receives the return
// value.
bool full(hchan *c) {
  // c.dataqsiz is immutable. Thus it is safe to read at any time during channel operation.
  if (c->dataqsiz == 0)
    // Assumes that a pointer read is relaxed-atomic.
    return __atomic_load_n(&c->recvq.first, __ATOMIC_RELAXED) == nullptr;
  // Assumes that a uint read is relaxed-atomic.
  return __atomic_load_n(&c->qcount, __ATOMIC_RELAXED) == c->dataqsiz;
}
} // namespace

// makechan makes the channel of make(chan T, size).
// Differs from Go: the compiler passes the element size instead of *chantype, and checks the
// element type's size (Go's "channel element type too large (>64kB)").
hchan *makechan(uintptr_t elemsize, int64_t size) {
  // compiler checks this but be safe.
  if (elemsize >= 1 << 16)
    throw_("makechan: invalid channel element type");
  if (hchanSize % maxAlign != 0)
    throw_("makechan: bad alignment");

  uintptr_t mem;
  bool overflow = __builtin_mul_overflow(elemsize, uintptr_t(size), &mem);
  if (overflow || mem > maxAlloc - hchanSize || size < 0)
    panicmsg("makechan: size out of range");

  // Differs from Go: no garbage collector, so the buffer always follows the hchan in one
  // allocation (Go's choice for element types without pointers).
  auto *c = static_cast<hchan *>(mallocgc(hchanSize + mem, nullptr, true));
  c->buf = reinterpret_cast<uint8_t *>(c) + hchanSize;
  c->elemsize = static_cast<uint16_t>(elemsize);
  c->dataqsiz = uint64_t(size);
  return c;
}

// entry point for c <- x from compiled code.
void chansend1(hchan *c, const void *elem) { chansend(c, elem, true); }

// generic single channel send/recv. If block is not true, then the protocol will not sleep but
// return if it could not complete.
//
// sleep can wake up with g.param == nil when a channel involved in the sleep has been closed.
// it is easiest to loop and re-run the operation; we'll see that it's now closed.
bool chansend(hchan *c, const void *ep, bool block) {
  if (c == nullptr) {
    if (!block)
      return false;
    gopark(nullptr, nullptr, waitReasonChanSendNilChan);
    throw_("unreachable");
  }

  // Fast path: check for failed non-blocking operation without acquiring the lock.
  //
  // After observing that the channel is not closed, we observe that the channel is not ready
  // for sending. Each of these observations is a single word-sized read (first c.closed and
  // second full()). Because a closed channel cannot transition from 'ready for sending' to
  // 'not ready for sending', even if the channel is closed between the two observations, they
  // imply a moment between the two when the channel was both not yet closed and not ready for
  // sending. We behave as if we observed the channel at that moment, and report that the send
  // cannot proceed.
  if (!block && __atomic_load_n(&c->closed, __ATOMIC_RELAXED) == 0 && full(c))
    return false;

  lock(&c->lock);

  if (c->closed != 0) {
    unlock(&c->lock);
    panicmsg("send on closed channel");
  }

  if (sudog *sg = dequeue(&c->recvq); sg != nullptr) {
    // Found a waiting receiver. We pass the value we want to send directly to the receiver,
    // bypassing the channel buffer (if any).
    send(c, sg, ep, unlockChan, c);
    return true;
  }

  if (c->qcount < c->dataqsiz) {
    // Space is available in the channel buffer. Enqueue the element to send.
    bufput(c, ep);
    unlock(&c->lock);
    return true;
  }

  if (!block) {
    unlock(&c->lock);
    return false;
  }

  // Block on the channel. Some receiver will complete our operation for us.
  g *gp = getg();
  sudog *mysg = acquireSudog();
  mysg->elem = const_cast<void *>(ep);
  mysg->waitlink = nullptr;
  mysg->g = gp;
  mysg->isSelect = false;
  mysg->c = c;
  gp->waiting = mysg;
  gp->param = nullptr;
  enqueue(&c->sendq, mysg);
  gopark(chanparkcommit, &c->lock, waitReasonChanSend);

  // someone woke us up.
  if (mysg != gp->waiting)
    throw_("G waiting list is corrupted");
  gp->waiting = nullptr;
  bool closed = !mysg->success;
  gp->param = nullptr;
  mysg->c = nullptr;
  releaseSudog(mysg);
  if (closed) {
    if (c->closed == 0)
      throw_("chansend: spurious wakeup");
    panicmsg("send on closed channel");
  }
  return true;
}

// send processes a send operation on an empty channel c. The value ep sent by the sender is
// copied to the receiver sg. The receiver is then woken up to go on its merry way. Channel c
// must be empty and locked. send unlocks c with unlockf(arg). sg must already be dequeued
// from c. ep must be non-nil and point to the heap or the caller's stack.
void send(hchan *c, sudog *sg, const void *ep, void (*unlockf)(void *), void *arg) {
  if (sg->elem != nullptr) {
    // sendDirect: the receiver's elem is on its stack (or the heap); Go's write barrier and
    // stack-shrink care are not needed here (no GC, stacks do not move).
    memmove(sg->elem, ep, c->elemsize);
    sg->elem = nullptr;
  }
  g *gp = sg->g;
  unlockf(arg);
  gp->param = sg;
  sg->success = true;
  goready(gp);
}

// closechan closes c: waiting receivers get the zero value and ok = false, waiting senders
// panic.
void closechan(hchan *c) {
  if (c == nullptr)
    panicmsg("close of nil channel");

  lock(&c->lock);
  if (c->closed != 0) {
    unlock(&c->lock);
    panicmsg("close of closed channel");
  }
  c->closed = 1;

  gList glist{};

  // release all readers
  for (;;) {
    sudog *sg = dequeue(&c->recvq);
    if (sg == nullptr)
      break;
    if (sg->elem != nullptr) {
      memset(sg->elem, 0, c->elemsize);
      sg->elem = nullptr;
    }
    g *gp = sg->g;
    gp->param = sg;
    sg->success = false;
    glist.push(gp);
  }

  // release all writers (they will panic)
  for (;;) {
    sudog *sg = dequeue(&c->sendq);
    if (sg == nullptr)
      break;
    sg->elem = nullptr;
    g *gp = sg->g;
    gp->param = sg;
    sg->success = false;
    glist.push(gp);
  }
  unlock(&c->lock);

  // Ready all Gs now that we've dropped the channel lock.
  while (!glist.empty()) {
    g *gp = glist.pop();
    gp->schedlink = nullptr;
    goready(gp);
  }
}

// entry points for <- c from compiled code.
void chanrecv1(hchan *c, void *elem) { chanrecv(c, elem, true); }

bool chanrecv2(hchan *c, void *elem) { return chanrecv(c, elem, true).received; }

// chanrecv receives on channel c and writes the received data to ep. ep may be nil, in which
// case received data is ignored. If block == false and no elements are available, returns
// (false, false). Otherwise, if c is closed, zeros *ep and returns (true, false). Otherwise,
// fills in *ep with an element and returns (true, true). A non-nil ep must point to the heap
// or the caller's stack.
recvResult chanrecv(hchan *c, void *ep, bool block) {
  if (c == nullptr) {
    if (!block)
      return {false, false};
    gopark(nullptr, nullptr, waitReasonChanReceiveNilChan);
    throw_("unreachable");
  }

  // Fast path: check for failed non-blocking operation without acquiring the lock.
  if (!block && empty(c)) {
    // After observing that the channel is not ready for receiving, we observe whether the
    // channel is closed.
    //
    // Reordering of these checks could lead to incorrect behavior when racing with a close.
    // For example, if the channel was open and not empty, was closed, and then drained,
    // reordered reads could incorrectly indicate "open and empty". To prevent reordering, we
    // use atomic loads for both checks, and rely on emptying and closing to happen in
    // separate critical sections under the same lock. This assumption fails when closing an
    // unbuffered channel with a blocked send, but that is an error condition anyway.
    if (atomic::Load(&c->closed) == 0) {
      // Because a channel cannot be reopened, the later observation of the channel being not
      // closed implies that it was also not closed at the moment of the first observation.
      // We behave as if we observed the channel at that moment and report that the receive
      // cannot proceed.
      return {false, false};
    }
    // The channel is irreversibly closed. Re-check whether the channel has any pending data
    // to receive, which could have arrived between the empty and closed checks above.
    // Sequential consistency is also required here, when racing with such a send.
    if (empty(c)) {
      // The channel is irreversibly closed and empty.
      if (ep != nullptr)
        memset(ep, 0, c->elemsize);
      return {true, false};
    }
  }

  lock(&c->lock);

  if (c->closed != 0) {
    if (c->qcount == 0) {
      unlock(&c->lock);
      if (ep != nullptr)
        memset(ep, 0, c->elemsize);
      return {true, false};
    }
    // The channel has been closed, but the channel's buffer have data.
  } else {
    // Just found waiting sender with not closed.
    if (sudog *sg = dequeue(&c->sendq); sg != nullptr) {
      // Found a waiting sender. If buffer is size 0, receive value directly from sender.
      // Otherwise, receive from head of queue and add sender's value to the tail of the queue
      // (both map to the same buffer slot because the queue is full).
      recv(c, sg, ep, unlockChan, c);
      return {true, true};
    }
  }

  if (c->qcount > 0) {
    // Receive directly from queue
    buftake(c, ep);
    unlock(&c->lock);
    return {true, true};
  }

  if (!block) {
    unlock(&c->lock);
    return {false, false};
  }

  // no sender available: block on this channel.
  g *gp = getg();
  sudog *mysg = acquireSudog();
  mysg->elem = ep;
  mysg->waitlink = nullptr;
  gp->waiting = mysg;
  mysg->g = gp;
  mysg->isSelect = false;
  mysg->c = c;
  gp->param = nullptr;
  enqueue(&c->recvq, mysg);
  gopark(chanparkcommit, &c->lock, waitReasonChanReceive);

  // someone woke us up
  if (mysg != gp->waiting)
    throw_("G waiting list is corrupted");
  gp->waiting = nullptr;
  bool success = mysg->success;
  gp->param = nullptr;
  mysg->c = nullptr;
  releaseSudog(mysg);
  return {true, success};
}

// recv processes a receive operation on a full channel c. There are 2 parts:
//  1. The value sent by the sender sg is put into the channel and the sender is woken up to
//     go on its merry way.
//  2. The value received by the receiver (the current G) is written to ep.
// For synchronous channels, both values are the same. For asynchronous channels, the receiver
// gets its data from the channel buffer and the sender's data is put in the channel buffer.
// Channel c must be full and locked. recv unlocks c with unlockf(arg). sg must already be
// dequeued from c. A non-nil ep must point to the heap or the caller's stack.
void recv(hchan *c, sudog *sg, void *ep, void (*unlockf)(void *), void *arg) {
  if (c->dataqsiz == 0) {
    // recvDirect: copy data from the sender's stack.
    if (ep != nullptr)
      memmove(ep, sg->elem, c->elemsize);
  } else {
    // Queue is full. Take the item at the head of the queue. Make the sender enqueue its
    // item at the tail of the queue.
    bufswap(c, ep, sg->elem);
  }
  sg->elem = nullptr;
  g *gp = sg->g;
  unlockf(arg);
  gp->param = sg;
  sg->success = true;
  goready(gp);
}

// chanlen and chancap are len(c) and cap(c); a nil channel has both 0.
int64_t chanlen(hchan *c) {
  if (c == nullptr)
    return 0;
  return int64_t(atomic::Load(&c->qcount));
}

int64_t chancap(hchan *c) {
  if (c == nullptr)
    return 0;
  return int64_t(c->dataqsiz);
}

// ---- sudog caches (Go: proc.go) ----

constexpr int32_t sudogcacheCap = sizeof(p::sudogcache) / sizeof(p::sudogcache[0]);

// acquireSudog takes a sudog from the P's cache, refilling it to half from the central cache,
// or allocates one.
sudog *acquireSudog() {
  // Delicate dance: the semaphore implementation calls acquireSudog, acquireSudog calls
  // new(sudog), new calls malloc, malloc can call the garbage collector, and the garbage
  // collector calls the semaphore implementation in stopTheWorld. Break the cycle by doing
  // acquirem/releasem around new(sudog). The acquirem/releasem increments m.locks during
  // new(sudog), which keeps the garbage collector from being invoked.
  m *mp = acquirem();
  p *pp = mp->p;
  if (pp->nsudogcache == 0) {
    lock(&sched.sudoglock);
    // First, try to grab a batch from central cache.
    while (pp->nsudogcache < sudogcacheCap / 2 && sched.sudogcache != nullptr) {
      sudog *s = sched.sudogcache;
      sched.sudogcache = s->next;
      s->next = nullptr;
      pp->sudogcache[pp->nsudogcache++] = s;
    }
    unlock(&sched.sudoglock);
    // If the central cache is empty, allocate a new one.
    if (pp->nsudogcache == 0)
      pp->sudogcache[pp->nsudogcache++] = gonew<sudog>();
  }
  sudog *s = pp->sudogcache[--pp->nsudogcache];
  pp->sudogcache[pp->nsudogcache] = nullptr;
  if (s->elem != nullptr)
    throw_("acquireSudog: found s.elem != nil in cache");
  releasem(mp);
  return s;
}

// releaseSudog returns s to the P's cache, moving half of a full cache to the central one.
void releaseSudog(sudog *s) {
  if (s->elem != nullptr)
    throw_("runtime: sudog with non-nil elem");
  if (s->isSelect)
    throw_("runtime: sudog with non-false isSelect");
  if (s->next != nullptr)
    throw_("runtime: sudog with non-nil next");
  if (s->prev != nullptr)
    throw_("runtime: sudog with non-nil prev");
  if (s->waitlink != nullptr)
    throw_("runtime: sudog with non-nil waitlink");
  if (s->c != nullptr)
    throw_("runtime: sudog with non-nil c");
  g *gp = getg();
  if (gp->param != nullptr)
    throw_("runtime: releaseSudog with non-nil gp.param");
  m *mp = acquirem(); // avoid rescheduling to another P
  p *pp = mp->p;
  if (pp->nsudogcache == sudogcacheCap) {
    // Transfer half of local cache to the central cache.
    sudog *first = nullptr, *last = nullptr;
    while (pp->nsudogcache > sudogcacheCap / 2) {
      sudog *q = pp->sudogcache[--pp->nsudogcache];
      pp->sudogcache[pp->nsudogcache] = nullptr;
      if (first == nullptr)
        first = q;
      else
        last->next = q;
      last = q;
    }
    lock(&sched.sudoglock);
    last->next = sched.sudogcache;
    sched.sudogcache = first;
    unlock(&sched.sudoglock);
  }
  pp->sudogcache[pp->nsudogcache++] = s;
  releasem(mp);
}

// sudogpurge moves the sudogs of a P that GOMAXPROCS removes to the central cache.
// Differs from Go: p.destroy drops them for the garbage collector; toy has none, so they are
// kept for reuse.
void sudogpurge(p *pp) {
  lock(&sched.sudoglock);
  while (pp->nsudogcache > 0) {
    sudog *s = pp->sudogcache[--pp->nsudogcache];
    pp->sudogcache[pp->nsudogcache] = nullptr;
    s->next = sched.sudogcache;
    sched.sudogcache = s;
  }
  unlock(&sched.sudoglock);
}

} // namespace runtime
