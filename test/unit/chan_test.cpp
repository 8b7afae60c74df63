// A channel's ring buffer and wait queues without a scheduler (runtime/chan.h): bufput and
// buftake around the ring, bufswap for a full buffer with a waiting sender, and waitq's
// enqueue/dequeue (FIFO, skipping a select's sudog whose select already won) and dequeueSudoG.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "chan.h"

using namespace runtime;

namespace {

// A channel of int64 with a buffer of n elements, as makechan lays it out.
struct testChan {
  hchan c{};
  std::vector<int64_t> buf;
  explicit testChan(uint64_t n) : buf(n) {
    c.buf = buf.data();
    c.elemsize = sizeof(int64_t);
    c.dataqsiz = n;
  }
};

TEST(ChanRing, FifoAroundTheRing) {
  testChan t(3);
  int64_t next = 0, want = 0;
  for (int round = 0; round < 10; ++round) {
    while (t.c.qcount < t.c.dataqsiz) {
      bufput(&t.c, &next);
      ++next;
    }
    // Take two, leaving one, so sendx and recvx wrap at different points.
    for (int k = 0; k < 2; ++k) {
      int64_t v = -1;
      buftake(&t.c, &v);
      EXPECT_EQ(v, want++);
    }
    EXPECT_EQ(t.c.qcount, 1u);
    EXPECT_LT(t.c.sendx, 3u);
    EXPECT_LT(t.c.recvx, 3u);
  }
}

TEST(ChanRing, TakeClearsTheSlotAndMayDiscard) {
  testChan t(2);
  int64_t v = 42;
  bufput(&t.c, &v);
  buftake(&t.c, nullptr); // <-c with the value unused
  EXPECT_EQ(t.buf[0], 0);
  EXPECT_EQ(t.c.qcount, 0u);
  EXPECT_EQ(t.c.recvx, 1u);
}

TEST(ChanRing, SwapTakesTheHeadAndPutsTheSenderAtTheTail) {
  testChan t(3);
  for (int64_t v = 1; v <= 3; ++v)
    bufput(&t.c, &v);
  int64_t got = 0, sent = 4;
  bufswap(&t.c, &got, &sent);
  EXPECT_EQ(got, 1);
  EXPECT_EQ(t.c.qcount, 3u); // still full
  EXPECT_EQ(t.c.sendx, t.c.recvx);
  for (int64_t want = 2; want <= 4; ++want) {
    buftake(&t.c, &got);
    EXPECT_EQ(got, want);
  }
}

TEST(WaitQ, FifoAndUnlinkAnywhere) {
  waitq q{};
  g gs[4]{};
  sudog s[4]{};
  for (int i = 0; i < 4; ++i) {
    s[i].g = &gs[i];
    enqueue(&q, &s[i]);
  }
  dequeueSudoG(&q, &s[2]); // middle
  dequeueSudoG(&q, &s[3]); // end
  EXPECT_EQ(q.last, &s[1]);
  EXPECT_EQ(dequeue(&q), &s[0]);
  EXPECT_EQ(dequeue(&q), &s[1]);
  EXPECT_EQ(dequeue(&q), nullptr);
  EXPECT_EQ(q.first, nullptr);
  EXPECT_EQ(q.last, nullptr);
  dequeueSudoG(&q, &s[1]); // already removed: nothing happens
  EXPECT_EQ(q.first, nullptr);
}

TEST(WaitQ, DequeueSkipsASelectThatAlreadyWon) {
  waitq q{};
  g selecting{}, plain{};
  sudog a{}, b{}, c{};
  a.g = &selecting;
  a.isSelect = true;
  b.g = &plain;
  c.g = &selecting;
  c.isSelect = true;
  enqueue(&q, &a);
  enqueue(&q, &b);
  enqueue(&q, &c);
  EXPECT_EQ(dequeue(&q), &a); // wins the select: selectDone 0 -> 1
  EXPECT_EQ(selecting.selectDone, 1u);
  EXPECT_EQ(dequeue(&q), &b);
  EXPECT_EQ(dequeue(&q), nullptr); // c's select already won through a
}

} // namespace
