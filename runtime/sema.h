// The semaphore table's balanced trees (Go: runtime/sema.go's semaRoot, queue, dequeue,
// rotateLeft, rotateRight).
//
// A semaRoot holds a treap of sudogs with unique addresses, ordered by address as a binary
// search tree and by ticket as a min-heap. Each sudog in the tree may be the head of a list
// (through waitlink, with waittail at the head pointing at the last one) of further sudogs
// waiting on the same address. All operations on the inner list are O(1); finding the address
// in the tree is O(log n), where n is the number of distinct addresses with goroutines
// blocked on them that hash to the root.
//
// Differs from Go: these live in sema.go; toy keeps them in a header so GoogleTest can run the
// treap without a scheduler (test/unit/semaroot_test.cpp). queue takes the ticket a new tree
// node gets (sema.cpp passes Go's fastrand() | 1) and the waiting g is set by the caller.
#ifndef TOY_RUNTIME_SEMA_H
#define TOY_RUNTIME_SEMA_H

#include "runtime2.h"

namespace runtime {

[[noreturn]] void throw_(const char *s);

struct semaRoot {
  mutex lock;
  sudog *treap;   // root of balanced tree of unique waiters.
  uint32_t nwait; // Number of waiters. Read w/o the lock.

  void queue(uint32_t *addr, sudog *s, bool lifo, uint32_t ticket);
  sudog *dequeue(uint32_t *addr);
  void rotateLeft(sudog *x);
  void rotateRight(sudog *y);
};

// queue adds s to the blocked goroutines in the root, waiting on addr: at the tail of addr's
// list, or at its head (taking its place in the tree) if lifo. A new address enters the tree
// with the given ticket (odd, so never 0) and rises while its parent's ticket is larger.
inline void semaRoot::queue(uint32_t *addr, sudog *s, bool lifo, uint32_t ticket) {
  s->elem = addr;
  s->next = nullptr;
  s->prev = nullptr;

  sudog *last = nullptr;
  sudog **pt = &treap;
  for (sudog *t = *pt; t != nullptr; t = *pt) {
    if (t->elem == addr) {
      // Already have addr in list.
      if (lifo) {
        // Substitute s in t's place in treap.
        *pt = s;
        s->ticket = t->ticket;
        s->parent = t->parent;
        s->prev = t->prev;
        s->next = t->next;
        if (s->prev != nullptr)
          s->prev->parent = s;
        if (s->next != nullptr)
          s->next->parent = s;
        // Add t first in s's wait list.
        s->waitlink = t;
        s->waittail = t->waittail;
        if (s->waittail == nullptr)
          s->waittail = t;
        t->parent = nullptr;
        t->prev = nullptr;
        t->next = nullptr;
        t->waittail = nullptr;
      } else {
        // Add s to end of t's wait list.
        if (t->waittail == nullptr)
          t->waitlink = s;
        else
          t->waittail->waitlink = s;
        t->waittail = s;
        s->waitlink = nullptr;
      }
      return;
    }
    last = t;
    pt = reinterpret_cast<uintptr_t>(addr) < reinterpret_cast<uintptr_t>(t->elem) ? &t->prev
                                                                                  : &t->next;
  }

  // Add s as new leaf in tree of unique addrs. The balanced tree is a treap using ticket as
  // the random heap priority. That is, it is a binary tree ordered according to the elem
  // addresses, but then among the space of possible binary trees respecting those addresses,
  // it is kept balanced on average by maintaining a heap ordering on the ticket: s.ticket <=
  // both s.prev.ticket and s.next.ticket.
  s->ticket = ticket;
  s->parent = last;
  *pt = s;

  // Rotate up into tree according to ticket (priority).
  while (s->parent != nullptr && s->parent->ticket > s->ticket) {
    if (s->parent->prev == s) {
      rotateRight(s->parent);
    } else {
      if (s->parent->next != s)
        throw_("semaRoot queue");
      rotateLeft(s->parent);
    }
  }
}

// dequeue searches for and finds the first goroutine in the root blocked on addr, or returns
// null. Differs from Go: no mutex profile, so no wake-up time is returned with it.
inline sudog *semaRoot::dequeue(uint32_t *addr) {
  sudog **ps = &treap;
  sudog *s = *ps;
  for (; s != nullptr; s = *ps) {
    if (s->elem == addr)
      break;
    ps = reinterpret_cast<uintptr_t>(addr) < reinterpret_cast<uintptr_t>(s->elem) ? &s->prev
                                                                                  : &s->next;
  }
  if (s == nullptr)
    return nullptr;

  if (sudog *t = s->waitlink; t != nullptr) {
    // Substitute t, also waiting on addr, for s in root tree of unique addrs.
    *ps = t;
    t->ticket = s->ticket;
    t->parent = s->parent;
    t->prev = s->prev;
    if (t->prev != nullptr)
      t->prev->parent = t;
    t->next = s->next;
    if (t->next != nullptr)
      t->next->parent = t;
    if (t->waitlink != nullptr)
      t->waittail = s->waittail;
    else
      t->waittail = nullptr;
    s->waitlink = nullptr;
    s->waittail = nullptr;
  } else {
    // Rotate s down to be leaf of tree for removal, respecting priorities.
    while (s->next != nullptr || s->prev != nullptr) {
      if (s->next == nullptr || (s->prev != nullptr && s->prev->ticket < s->next->ticket))
        rotateRight(s);
      else
        rotateLeft(s);
    }
    // Remove s, now a leaf.
    if (s->parent != nullptr) {
      if (s->parent->prev == s)
        s->parent->prev = nullptr;
      else
        s->parent->next = nullptr;
    } else {
      treap = nullptr;
    }
  }
  s->parent = nullptr;
  s->elem = nullptr;
  s->next = nullptr;
  s->prev = nullptr;
  s->ticket = 0;
  return s;
}

// rotateLeft rotates the tree rooted at node x, turning (x a (y b c)) into (y (x a b) c).
inline void semaRoot::rotateLeft(sudog *x) {
  // p -> (x a (y b c))
  sudog *p = x->parent;
  sudog *y = x->next;
  sudog *b = y->prev;

  y->prev = x;
  x->parent = y;
  x->next = b;
  if (b != nullptr)
    b->parent = x;

  y->parent = p;
  if (p == nullptr) {
    treap = y;
  } else if (p->prev == x) {
    p->prev = y;
  } else {
    if (p->next != x)
      throw_("semaRoot rotateLeft");
    p->next = y;
  }
}

// rotateRight rotates the tree rooted at node y, turning (y (x a b) c) into (x a (y b c)).
inline void semaRoot::rotateRight(sudog *y) {
  // p -> (y (x a b) c)
  sudog *p = y->parent;
  sudog *x = y->prev;
  sudog *b = x->next;

  x->next = y;
  y->parent = x;
  y->prev = b;
  if (b != nullptr)
    b->parent = y;

  x->parent = p;
  if (p == nullptr) {
    treap = x;
  } else if (p->prev == y) {
    p->prev = x;
  } else {
    if (p->next != y)
      throw_("semaRoot rotateRight");
    p->next = x;
  }
}

} // namespace runtime

#endif
