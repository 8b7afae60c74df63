// The per-P timer heap without a scheduler (runtime/timeheap.h): siftupTimer and
// siftdownTimer keep Go's 4-ary order (a parent's when is at most its children's), dodeltimer
// and dodeltimer0 remove a timer, keep the order, and keep timer0When, numTimers and
// timerModifiedEarliest as Go does; a corrupt heap throws Go's "timer data corruption".
//
// throw_ is runq_test.cpp's stand-in (it throws std::runtime_error), linked into the same
// executable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "timeheap.h"

using namespace runtime;

namespace {

// A P with a heap of timers made here; push adds one as doaddtimer does.
struct Heap {
  p pp{};
  std::vector<std::unique_ptr<timer>> owned;
  std::vector<timer *> array = std::vector<timer *>(64);

  Heap() {
    pp.timers.array = array.data();
    pp.timers.cap = int64_t(array.size());
  }
  timer *push(int64_t when) {
    owned.push_back(std::make_unique<timer>());
    timer *t = owned.back().get();
    t->when = when;
    t->pp = &pp;
    int64_t i = pp.timers.len++;
    pp.timers.array[i] = t;
    siftupTimer(pp.timers.array, pp.timers.len, i);
    updateTimer0When(&pp);
    pp.numTimers++;
    return t;
  }
  // heapOrdered checks Go's verifyTimerHeap rule: no timer is earlier than its parent.
  bool heapOrdered() const {
    for (int64_t i = 1; i < pp.timers.len; i++)
      if (pp.timers.array[i]->when < pp.timers.array[(i - 1) / 4]->when)
        return false;
    return true;
  }
  // drain removes the earliest timer until none are left and returns the whens in order.
  std::vector<int64_t> drain() {
    std::vector<int64_t> out;
    while (pp.timers.len > 0) {
      EXPECT_EQ(pp.timer0When, pp.timers.array[0]->when);
      out.push_back(pp.timers.array[0]->when);
      dodeltimer0(&pp);
      EXPECT_TRUE(heapOrdered());
    }
    return out;
  }
};

TEST(TimerHeap, SiftupPutsTheEarliestAtTheTop) {
  Heap h;
  for (int64_t w : {50, 40, 30, 20, 10})
    h.push(w);
  EXPECT_EQ(h.pp.timers.array[0]->when, 10);
  EXPECT_EQ(h.pp.timer0When, 10);
  EXPECT_TRUE(h.heapOrdered());
  // Five timers: the root and its four children. 10 came last, at index 4, and rose to the
  // root; 20, the root before it, went down to index 4.
  EXPECT_EQ(h.pp.timers.array[4]->when, 20);
}

TEST(TimerHeap, FourChildrenPerParent) {
  Heap h;
  for (int64_t w : {1, 10, 20, 30, 40, 50})
    h.push(w);
  // Index 5 is the first child of index 1 ((5-1)/4 == 1): 50 stays below 10 there.
  EXPECT_EQ(h.pp.timers.array[5]->when, 50);
  h.push(5); // index 6, parent 1 (10): 5 rises above 10 but not above 1
  EXPECT_EQ(h.pp.timers.array[0]->when, 1);
  EXPECT_EQ(h.pp.timers.array[1]->when, 5);
  EXPECT_EQ(h.pp.timers.array[6]->when, 10);
}

TEST(TimerHeap, Dodeltimer0RemovesInDeadlineOrder) {
  Heap h;
  std::vector<int64_t> whens = {42, 7, 19, 7, 88, 3, 64, 23, 15, 99, 1, 56, 31, 8, 77, 12, 5};
  for (int64_t w : whens)
    h.push(w);
  std::vector<int64_t> sorted = whens;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(h.drain(), sorted);
  EXPECT_EQ(h.pp.timer0When, 0);
  EXPECT_EQ(h.pp.numTimers, 0u);
}

TEST(TimerHeap, SiftdownAfterTheRootIsLater) {
  Heap h;
  for (int64_t w = 1; w <= 21; w++)
    h.push(w);
  // A periodic timer's next when (runOneTimer): the root moves down past the smaller child.
  h.pp.timers.array[0]->when = 100;
  siftdownTimer(h.pp.timers.array, h.pp.timers.len, 0);
  EXPECT_TRUE(h.heapOrdered());
  EXPECT_EQ(h.pp.timers.array[0]->when, 2);
}

TEST(TimerHeap, DodeltimerFromTheMiddle) {
  Heap h;
  for (int64_t w : {10, 20, 30, 40, 50, 60, 70, 80, 90, 25, 35})
    h.push(w);
  timer *t = nullptr;
  int64_t i = 0;
  for (; i < h.pp.timers.len; i++)
    if (h.pp.timers.array[i]->when == 20) {
      t = h.pp.timers.array[i];
      break;
    }
  ASSERT_NE(t, nullptr);
  int64_t changed = dodeltimer(&h.pp, i);
  EXPECT_LE(changed, i);
  EXPECT_EQ(t->pp, nullptr); // no longer on a heap
  EXPECT_EQ(h.pp.numTimers, 10u);
  EXPECT_TRUE(h.heapOrdered());
  EXPECT_EQ(h.drain(), (std::vector<int64_t>{10, 25, 30, 35, 40, 50, 60, 70, 80, 90}));
}

TEST(TimerHeap, LastTimerGoneClearsModifiedEarliest) {
  Heap h;
  h.push(5);
  h.pp.timerModifiedEarliest = 3;
  dodeltimer(&h.pp, 0);
  EXPECT_EQ(h.pp.timerModifiedEarliest, 0);
  EXPECT_EQ(h.pp.timer0When, 0);
}

TEST(TimerHeap, BadStatesThrowGosMessages) {
  Heap h;
  timer *t = h.push(5);
  t->when = 0; // when must be positive on a heap
  EXPECT_THROW(
      {
        try {
          siftdownTimer(h.pp.timers.array, h.pp.timers.len, 0);
        } catch (const std::runtime_error &e) {
          EXPECT_STREQ(e.what(), "timer data corruption");
          throw;
        }
      },
      std::runtime_error);
  t->when = 5;
  p other{};
  t->pp = &other;
  EXPECT_THROW(
      {
        try {
          dodeltimer0(&h.pp);
        } catch (const std::runtime_error &e) {
          EXPECT_STREQ(e.what(), "dodeltimer0: wrong P");
          throw;
        }
      },
      std::runtime_error);
}

} // namespace
