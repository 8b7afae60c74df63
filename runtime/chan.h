// Channels' data structures (Go: runtime/chan.go): hchan, its ring buffer and its wait queues.
//
// Invariants (Go's):
//  At least one of c.sendq and c.recvq is empty, except for an unbuffered channel with a
//  single goroutine blocked on it for both sending and receiving using a select statement,
//  in which case the length of c.sendq and c.recvq is limited only by the size of the select.
//  For buffered channels, also: c.qcount > 0 implies that c.recvq is empty, and
//  c.qcount < c.dataqsiz implies that c.sendq is empty.
//
// Differs from Go: these live in chan.go; toy keeps them in a header so GoogleTest can run the
// ring buffer and the wait queues without a scheduler (test/unit/chan_test.cpp). The buffer
// steps that Go writes inline in chansend, chanrecv, recv and selectgo are the functions
// bufput, buftake and bufswap here, shared by chan.cpp and select.cpp.
#ifndef TOY_RUNTIME_CHAN_H
#define TOY_RUNTIME_CHAN_H

#include "atomic.h"
#include "runtime2.h"

namespace runtime {

// Differs from Go: no type descriptors yet, so a channel knows its element size only
// (elemtype is absent); elements are copied with memmove and cleared with memset.
struct hchan {
  uint64_t qcount;   // total data in the queue
  uint64_t dataqsiz; // size of the circular queue
  void *buf;         // points to an array of dataqsiz elements
  uint16_t elemsize;
  uint32_t closed;
  uint64_t sendx; // send index
  uint64_t recvx; // receive index
  waitq recvq;    // list of recv waiters
  waitq sendq;    // list of send waiters

  // lock protects all fields in hchan, as well as several fields in sudogs blocked on this
  // channel.
  mutex lock;
};

constexpr uintptr_t maxAlign = 8;
constexpr uintptr_t hchanSize =
    sizeof(hchan) + ((-sizeof(hchan)) & (maxAlign - 1)); // sizeof(hchan) rounded to maxAlign

// chanbuf(c, i) is a pointer to the i'th slot in the buffer.
inline void *chanbuf(hchan *c, uint64_t i) {
  return static_cast<uint8_t *>(c->buf) + i * c->elemsize;
}

// bufput copies *ep into the slot at sendx (chansend, selectgo's bufsend). c.lock is held and
// c.qcount < c.dataqsiz.
inline void bufput(hchan *c, const void *ep) {
  __builtin_memmove(chanbuf(c, c->sendx), ep, c->elemsize);
  c->sendx++;
  if (c->sendx == c->dataqsiz)
    c->sendx = 0;
  c->qcount++;
}

// buftake moves the element at recvx into *ep (if ep is not null) and clears its slot
// (chanrecv, selectgo's bufrecv). c.lock is held and c.qcount > 0.
inline void buftake(hchan *c, void *ep) {
  void *qp = chanbuf(c, c->recvx);
  if (ep != nullptr)
    __builtin_memmove(ep, qp, c->elemsize);
  __builtin_memset(qp, 0, c->elemsize);
  c->recvx++;
  if (c->recvx == c->dataqsiz)
    c->recvx = 0;
  c->qcount--;
}

// bufswap is recv's step for a full buffer with a sender waiting: take the element at the
// head of the queue into *ep (if not null) and put the sender's *src at the tail. Both map to
// the same slot since the queue is full. c.lock is held.
inline void bufswap(hchan *c, void *ep, const void *src) {
  void *qp = chanbuf(c, c->recvx);
  // copy data from queue to receiver
  if (ep != nullptr)
    __builtin_memmove(ep, qp, c->elemsize);
  // copy data from sender to queue
  __builtin_memmove(qp, src, c->elemsize);
  c->recvx++;
  if (c->recvx == c->dataqsiz)
    c->recvx = 0;
  c->sendx = c->recvx; // c.sendx = (c.sendx+1) % c.dataqsiz
}

// ---- waitq (Go: methods of waitq in chan.go) ----

inline void enqueue(waitq *q, sudog *sgp) {
  sgp->next = nullptr;
  sudog *x = q->last;
  if (x == nullptr) {
    sgp->prev = nullptr;
    q->first = sgp;
    q->last = sgp;
    return;
  }
  sgp->prev = x;
  x->next = sgp;
  q->last = sgp;
}

// dequeue removes and returns the first sudog whose goroutine can take this communication:
// a sudog of a select is skipped when another case of that select already won
// (g.selectDone).
inline sudog *dequeue(waitq *q) {
  for (;;) {
    sudog *sgp = q->first;
    if (sgp == nullptr)
      return nullptr;
    sudog *y = sgp->next;
    if (y == nullptr) {
      q->first = nullptr;
      q->last = nullptr;
    } else {
      y->prev = nullptr;
      q->first = y;
      sgp->next = nullptr; // mark as removed (see dequeueSudoG)
    }

    // If a goroutine was put on this queue because of a select, there is a small window
    // between the goroutine being woken up by a different case and it grabbing the channel
    // locks. Once it has the lock it removes itself from the queue, so we won't see it after
    // that. We use a flag in the G struct to tell us when someone else has won the race to
    // signal this goroutine but the goroutine hasn't removed itself from the queue yet.
    if (sgp->isSelect && !atomic::Cas(&sgp->g->selectDone, 0u, 1u))
      continue;
    return sgp;
  }
}

// dequeueSudoG unlinks sgp from q, wherever it is (selectgo's pass 3).
inline void dequeueSudoG(waitq *q, sudog *sgp) {
  sudog *x = sgp->prev;
  sudog *y = sgp->next;
  if (x != nullptr) {
    if (y != nullptr) {
      // middle of queue
      x->next = y;
      y->prev = x;
      sgp->next = nullptr;
      sgp->prev = nullptr;
      return;
    }
    // end of queue
    x->next = nullptr;
    q->last = x;
    sgp->prev = nullptr;
    return;
  }
  if (y != nullptr) {
    // start of queue
    y->prev = nullptr;
    q->first = y;
    sgp->next = nullptr;
    return;
  }

  // x==y==nil. Either sgp is the only element in the queue, or it has already been removed.
  // Use q.first to disambiguate.
  if (q->first == sgp) {
    q->first = nullptr;
    q->last = nullptr;
  }
}

} // namespace runtime

#endif
