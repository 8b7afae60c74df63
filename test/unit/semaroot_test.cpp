// A semaphore root's treap without a scheduler (runtime/sema.h): waiters on one address come
// out in FIFO order, or LIFO for those queued with lifo; distinct addresses form a binary
// search tree by address that queue and dequeue keep a min-heap by ticket through rotations,
// with parent links consistent; a waiter that takes its predecessor's place in the tree keeps
// the ticket.
//
// throw_ is runq_test.cpp's hosted stand-in (it throws std::runtime_error).
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <vector>

#include "sema.h"

using namespace runtime;

namespace {

// checkTreap verifies the subtree at s: its parent link, addresses in (lo, hi), and no child
// with a smaller ticket. It returns the number of nodes.
size_t checkTreap(const sudog *s, const sudog *parent, uintptr_t lo, uintptr_t hi) {
  if (s == nullptr)
    return 0;
  auto addr = reinterpret_cast<uintptr_t>(s->elem);
  EXPECT_EQ(s->parent, parent);
  EXPECT_GT(addr, lo);
  EXPECT_LT(addr, hi);
  EXPECT_NE(s->ticket, 0u);
  if (parent != nullptr)
    EXPECT_LE(parent->ticket, s->ticket);
  return 1 + checkTreap(s->prev, s, lo, addr) + checkTreap(s->next, s, addr, UINTPTR_MAX);
}

size_t checkTreap(const semaRoot &root) { return checkTreap(root.treap, nullptr, 0, UINTPTR_MAX); }

TEST(SemaRoot, WaitersOnOneAddressAreFifo) {
  semaRoot root{};
  uint32_t sema = 0;
  sudog s[4]{};
  for (auto &w : s)
    root.queue(&sema, &w, false, 7);
  EXPECT_EQ(checkTreap(root), 1u); // one node in the tree, the rest on its wait list
  for (auto &w : s) {
    EXPECT_EQ(root.dequeue(&sema), &w);
    EXPECT_EQ(w.elem, nullptr);
    EXPECT_EQ(w.waitlink, nullptr);
    EXPECT_EQ(w.ticket, 0u);
  }
  EXPECT_EQ(root.dequeue(&sema), nullptr);
  EXPECT_EQ(root.treap, nullptr);
}

TEST(SemaRoot, LifoWaitersGoFirst) {
  semaRoot root{};
  uint32_t sema = 0;
  sudog a{}, b{}, c{}, d{};
  root.queue(&sema, &a, false, 9);
  root.queue(&sema, &b, false, 9);
  root.queue(&sema, &c, true, 9); // a woken waiter that lost the race queues at the head
  root.queue(&sema, &d, true, 9);
  EXPECT_EQ(root.treap, &d);
  EXPECT_EQ(d.waittail, &b);
  for (sudog *want : {&d, &c, &a, &b})
    EXPECT_EQ(root.dequeue(&sema), want);
  EXPECT_EQ(root.treap, nullptr);
}

TEST(SemaRoot, NextWaiterTakesTheNodesPlaceAndTicket) {
  semaRoot root{};
  uint32_t semas[3]{};
  sudog low{}, mid1{}, mid2{}, high{};
  root.queue(&semas[1], &mid1, false, 1);
  root.queue(&semas[0], &low, false, 5);
  root.queue(&semas[2], &high, false, 3);
  root.queue(&semas[1], &mid2, false, 11);
  EXPECT_EQ(root.dequeue(&semas[1]), &mid1);
  EXPECT_EQ(root.treap, &mid2);
  EXPECT_EQ(mid2.ticket, 1u);
  EXPECT_EQ(mid2.prev, &low);
  EXPECT_EQ(mid2.next, &high);
  EXPECT_EQ(checkTreap(root), 3u);
}

TEST(SemaRoot, AnAbsentAddressDequeuesNothing) {
  semaRoot root{};
  uint32_t semas[2]{};
  sudog s{};
  root.queue(&semas[0], &s, false, 3);
  EXPECT_EQ(root.dequeue(&semas[1]), nullptr);
  EXPECT_EQ(checkTreap(root), 1u);
}

TEST(SemaRoot, SmallerTicketsRotateUpToTheRoot) {
  // Ascending addresses with descending tickets: each new leaf is the right child of the
  // rightmost node and rotates left all the way to the root.
  semaRoot root{};
  uint32_t semas[8]{};
  sudog s[8]{};
  for (int i = 0; i < 8; ++i) {
    root.queue(&semas[i], &s[i], false, uint32_t(2 * (8 - i) + 1));
    EXPECT_EQ(root.treap, &s[i]);
    EXPECT_EQ(checkTreap(root), size_t(i + 1));
  }
  // Removing the root rotates it down to a leaf; the next smallest ticket becomes the root.
  EXPECT_EQ(root.dequeue(&semas[7]), &s[7]);
  EXPECT_EQ(root.treap, &s[6]);
  EXPECT_EQ(checkTreap(root), 7u);
}

TEST(SemaRoot, RandomQueueAndDequeueKeepTheTreap) {
  constexpr int kAddrs = 64, kWaiters = 512;
  semaRoot root{};
  uint32_t semas[kAddrs]{};
  std::vector<sudog> s(kWaiters);
  std::deque<sudog *> want[kAddrs]; // each address's waiters in wake-up order
  uint64_t rnd = 12345;
  auto next = [&rnd] {
    rnd = rnd * 6364136223846793005u + 1442695040888963407u;
    return uint32_t(rnd >> 33);
  };
  size_t queued = 0, dequeued = 0;
  while (dequeued < kWaiters) {
    if (queued < kWaiters && next() % 3 != 0) {
      int a = int(next() % kAddrs);
      bool lifo = next() % 4 == 0;
      root.queue(&semas[a], &s[queued], lifo, next() | 1);
      if (lifo)
        want[a].push_front(&s[queued]);
      else
        want[a].push_back(&s[queued]);
      ++queued;
    } else {
      int a = int(next() % kAddrs);
      sudog *got = root.dequeue(&semas[a]);
      if (want[a].empty()) {
        EXPECT_EQ(got, nullptr);
        continue;
      }
      EXPECT_EQ(got, want[a].front());
      want[a].pop_front();
      ++dequeued;
    }
    size_t distinct = 0;
    for (auto &q : want)
      distinct += !q.empty();
    ASSERT_EQ(checkTreap(root), distinct);
  }
  EXPECT_EQ(root.treap, nullptr);
}

} // namespace
