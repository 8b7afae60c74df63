// The scheduler's queues without a scheduler (runtime/runq.h): the per-P ring with runnext,
// overflow to the global queue (runqputslow), stealing half a victim's queue (runqgrab,
// runqsteal), globrunqget's batch sizes, and gList/gQueue.
//
// Everything runs on one thread with Gs and Ps made here, so each test checks what the code does,
// not how it races; the orders and counts are Go 1.19's.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

// Hosted stand-ins for what runq.h takes from the rest of the runtime (stubs.h there), declared
// before runq.h as it asks.
namespace runtime {
// The counters runq.h bumps (debug.cpp's schedStats has more).
struct schedStats {
  uint64_t runnext;
  uint64_t steals;
  uint64_t stolen;
};
schedStats schedstats;

// runqgrab sleeps before taking runnext from a running P; record the calls instead.
static std::vector<uint32_t> usleepCalls;
void usleep(uint32_t usec) { usleepCalls.push_back(usec); }

// The trace hooks runq.h calls: no trace here.
struct p;
void traceSteal(p *, uint32_t) {}
void traceRunqPutSlow(uint32_t) {}
} // namespace runtime

#include "runq.h"

namespace runtime {
int32_t gomaxprocs;
schedt sched;

// lock/unlock check that sched.lock is taken and released in pairs.
void lock(mutex *l) {
  if (l->key != 0)
    throw std::logic_error("lock: already held");
  l->key = 1;
}
void unlock(mutex *l) {
  if (l->key != 1)
    throw std::logic_error("unlock: not held");
  l->key = 0;
}
void throw_(const char *s) { throw std::runtime_error(s); }
} // namespace runtime

using namespace runtime;
using ids = std::vector<int64_t>;

namespace {

class RunQueue : public ::testing::Test {
protected:
  void SetUp() override {
    sched = schedt{};
    gomaxprocs = 1;
    schedstats = schedStats{};
    usleepCalls.clear();
    for (int64_t i = 0; i < int64_t(gs.size()); i++)
      gs[i].goid = i;
  }

  // Gs are named by their goid, which is their index here.
  g *G(int64_t i) { return &gs.at(i); }

  // A zeroed P: empty ring of runqSize slots and runqputslow's batch (as p::init allocates
  // them), no runnext, status _Pidle.
  struct ownedP {
    p pp{};
    std::vector<g *> ring = std::vector<g *>(runqSize),
                     batch = std::vector<g *>(runqSize / runqOverflowDiv + 1);
    ownedP() {
      pp.runq = ring.data();
      pp.runqbatch = batch.data();
    }
  };
  struct pHandle {
    std::unique_ptr<ownedP> o = std::make_unique<ownedP>();
    p *get() const { return &o->pp; }
    p *operator->() const { return &o->pp; }
  };
  static pHandle newP() { return pHandle{}; }

  // seq(a, b) is the goids a, a+1, ..., b-1.
  static ids seq(int64_t a, int64_t b) {
    ids v;
    for (int64_t i = a; i < b; i++)
      v.push_back(i);
    return v;
  }

  // ring lists _p_'s ring from head to tail without taking anything (runnext not included).
  static ids ring(const p *_p_) {
    ids v;
    for (uint32_t i = _p_->runqhead; i != _p_->runqtail; i++)
      v.push_back(_p_->runq[runqslot(i)]->goid);
    return v;
  }

  // drain takes every G off _p_ with runqget, runnext first.
  static ids drain(p *_p_) {
    ids v;
    bool inheritTime;
    while (g *gp = runqget(_p_, &inheritTime))
      v.push_back(gp->goid);
    return v;
  }

  // global lists the global queue from head to tail without taking anything.
  static ids global() {
    ids v;
    for (g *gp = sched.runq.head; gp != nullptr; gp = gp->schedlink) {
      v.push_back(gp->goid);
      if (gp == sched.runq.tail)
        break;
    }
    return v;
  }

  // list walks a gList or gQueue from its head.
  static ids list(g *head) {
    ids v;
    for (g *gp = head; gp != nullptr; gp = gp->schedlink)
      v.push_back(gp->goid);
    return v;
  }

  std::vector<g> gs = std::vector<g>(1024);
};

// ---- the local ring and runnext ----

TEST_F(RunQueue, RunqgetReturnsGsInRunqputOrder) {
  auto pp = newP();
  EXPECT_TRUE(runqempty(pp.get()));
  for (int64_t i = 0; i < 10; i++)
    runqput(pp.get(), G(i), false);
  EXPECT_FALSE(runqempty(pp.get()));
  EXPECT_EQ(drain(pp.get()), seq(0, 10));
  EXPECT_TRUE(runqempty(pp.get()));
}

TEST_F(RunQueue, RingStaysFifoAcrossIndexWraparound) {
  auto pp = newP();
  // Start just below the uint32 wrap so head and tail wrap as well as the ring index.
  pp->runqhead = pp->runqtail = UINT32_MAX - 100;
  for (int round = 0; round < 3; round++) {
    for (int64_t i = 0; i < 200; i++)
      runqput(pp.get(), G(i), false);
    EXPECT_EQ(ring(pp.get()), seq(0, 200));
    EXPECT_EQ(drain(pp.get()), seq(0, 200)) << "round " << round;
  }
  EXPECT_EQ(sched.runqsize, 0);
}

TEST_F(RunQueue, RunnextRunsFirstAndKicksTheOldRunnextToTheTail) {
  auto pp = newP();
  runqput(pp.get(), G(1), false);
  runqput(pp.get(), G(2), false);
  runqput(pp.get(), G(10), true);
  EXPECT_EQ(pp->runnext, G(10));
  EXPECT_EQ(ring(pp.get()), (ids{1, 2}));

  runqput(pp.get(), G(11), true);
  EXPECT_EQ(pp->runnext, G(11));
  EXPECT_EQ(ring(pp.get()), (ids{1, 2, 10}));

  EXPECT_EQ(drain(pp.get()), (ids{11, 1, 2, 10}));
}

TEST_F(RunQueue, RunqemptyIsFalseWithOnlyRunnext) {
  auto pp = newP();
  runqput(pp.get(), G(1), true);
  EXPECT_EQ(pp->runqhead, pp->runqtail);
  EXPECT_FALSE(runqempty(pp.get()));
}

TEST_F(RunQueue, InheritTimeIsTrueOnlyForRunnext) {
  auto pp = newP();
  runqput(pp.get(), G(1), false);
  runqput(pp.get(), G(2), true);

  bool inheritTime = false;
  EXPECT_EQ(runqget(pp.get(), &inheritTime), G(2));
  EXPECT_TRUE(inheritTime);
  EXPECT_EQ(pp->runnext, nullptr);
  EXPECT_EQ(schedstats.runnext, 1u);

  inheritTime = true;
  EXPECT_EQ(runqget(pp.get(), &inheritTime), G(1));
  EXPECT_FALSE(inheritTime);

  inheritTime = true;
  EXPECT_EQ(runqget(pp.get(), &inheritTime), nullptr);
  EXPECT_FALSE(inheritTime);
  EXPECT_EQ(schedstats.runnext, 1u);
}

// ---- overflow: runqputslow ----

TEST_F(RunQueue, FullRingTakesNothingGlobal) {
  auto pp = newP();
  for (int64_t i = 0; i < int64_t(runqSize); i++)
    runqput(pp.get(), G(i), false);
  EXPECT_EQ(ring(pp.get()), seq(0, runqSize));
  EXPECT_EQ(sched.runqsize, 0);
  EXPECT_TRUE(sched.runq.empty());
}

TEST_F(RunQueue, OverflowMovesHalfTheRingPlusTheNewGToTheGlobalQueue) {
  auto pp = newP();
  G(runqSize)->schedlink = G(999); // a stale link the global queue's tail must not keep
  for (int64_t i = 0; i <= int64_t(runqSize); i++) // the 257th put overflows
    runqput(pp.get(), G(i), false);

  // Go 1.19: the oldest 128 and then the new G, in order; the newest 128 stay local.
  ids wantGlobal = seq(0, runqSize / 2);
  wantGlobal.push_back(runqSize);
  EXPECT_EQ(global(), wantGlobal);
  EXPECT_EQ(sched.runqsize, int32_t(runqSize / 2 + 1));
  EXPECT_EQ(sched.runq.tail, G(runqSize));
  EXPECT_EQ(sched.runq.tail->schedlink, nullptr);
  EXPECT_EQ(ring(pp.get()), seq(runqSize / 2, runqSize));
  EXPECT_EQ(sched.lock.key, 0u) << "runqputslow must release sched.lock";
}

// GODEBUG=runqsize=16,overflowdiv=4,globrunqbatch=3 (debug.cpp sets these before any P).
TEST_F(RunQueue, SmallRingOverflowsItsShareAndGlobrunqgetTakesItsBatch) {
  struct Restore {
    uint32_t size = runqSize, div = runqOverflowDiv, batch = globrunqBatch;
    ~Restore() {
      runqSize = size;
      runqOverflowDiv = div;
      globrunqBatch = batch;
    }
  } restore;
  runqSize = 16;
  runqOverflowDiv = 4;
  globrunqBatch = 3;
  auto pp = newP();
  for (int64_t i = 0; i <= 16; i++) // the 17th put overflows
    runqput(pp.get(), G(i), false);
  EXPECT_EQ(global(), (ids{0, 1, 2, 3, 16}));
  EXPECT_EQ(ring(pp.get()), seq(4, 16));

  auto p2 = newP();
  EXPECT_EQ(globrunqget(p2.get(), 0), G(0));
  EXPECT_EQ(ring(p2.get()), (ids{1, 2}));
  EXPECT_EQ(global(), (ids{3, 16}));
}

TEST_F(RunQueue, KickedOutRunnextOverflowsToTheGlobalQueue) {
  auto pp = newP();
  for (int64_t i = 0; i < int64_t(runqSize); i++)
    runqput(pp.get(), G(i), false);
  runqput(pp.get(), G(500), true);
  EXPECT_TRUE(sched.runq.empty());
  runqput(pp.get(), G(501), true); // 500 goes to the full ring's tail, so overflows

  EXPECT_EQ(pp->runnext, G(501));
  ids wantGlobal = seq(0, runqSize / 2);
  wantGlobal.push_back(500);
  EXPECT_EQ(global(), wantGlobal);
  EXPECT_EQ(ring(pp.get()), seq(runqSize / 2, runqSize));
}

TEST_F(RunQueue, RunqputslowThrowsWhenTheRingIsNotFull) {
  auto pp = newP();
  runqput(pp.get(), G(0), false);
  try {
    runqputslow(pp.get(), G(1), pp->runqhead, pp->runqtail);
    FAIL() << "runqputslow returned";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "runqputslow: queue is not full");
  }
}

// ---- stealing: runqgrab / runqsteal ----

TEST_F(RunQueue, RunqstealTakesHalfRoundedUpInOrderAndReturnsTheLast) {
  struct Case {
    int64_t victimLen;
    int64_t stolen; // n - n/2
  };
  for (Case c : {Case{1, 1}, Case{2, 1}, Case{7, 4}, Case{10, 5}, Case{int64_t(runqSize), 128}}) {
    SCOPED_TRACE(::testing::Message() << "victim has " << c.victimLen);
    SetUp();
    auto thief = newP(), victim = newP();
    for (int64_t i = 0; i < c.victimLen; i++)
      runqput(victim.get(), G(i), false);

    g *gp = runqsteal(thief.get(), victim.get(), false);
    ASSERT_NE(gp, nullptr);
    EXPECT_EQ(gp->goid, c.stolen - 1);
    EXPECT_EQ(ring(thief.get()), seq(0, c.stolen - 1));
    EXPECT_EQ(ring(victim.get()), seq(c.stolen, c.victimLen));
    EXPECT_EQ(schedstats.steals, 1u);
    EXPECT_EQ(schedstats.stolen, uint64_t(c.stolen));
  }
}

TEST_F(RunQueue, RunqstealAppendsAfterTheThiefsOwnGs) {
  auto thief = newP(), victim = newP();
  // The thief's ring starts mid-array so the stolen Gs wrap around its end.
  thief->runqhead = thief->runqtail = runqSize - 2;
  runqput(thief.get(), G(100), false);
  for (int64_t i = 0; i < 8; i++)
    runqput(victim.get(), G(i), false);

  EXPECT_EQ(runqsteal(thief.get(), victim.get(), false), G(3));
  EXPECT_EQ(ring(thief.get()), (ids{100, 0, 1, 2}));
  EXPECT_EQ(drain(thief.get()), (ids{100, 0, 1, 2}));
  EXPECT_EQ(ring(victim.get()), seq(4, 8));
}

TEST_F(RunQueue, RunqstealFromAnEmptyVictimReturnsNil) {
  auto thief = newP(), victim = newP();
  EXPECT_EQ(runqsteal(thief.get(), victim.get(), true), nullptr);
  EXPECT_TRUE(runqempty(thief.get()));
  EXPECT_EQ(schedstats.steals, 0u);
}

TEST_F(RunQueue, RunnextIsStolenOnlyWithStealRunNextG) {
  auto thief = newP(), victim = newP();
  runqput(victim.get(), G(7), true);

  EXPECT_EQ(runqsteal(thief.get(), victim.get(), false), nullptr);
  EXPECT_EQ(victim->runnext, G(7));

  EXPECT_EQ(runqsteal(thief.get(), victim.get(), true), G(7));
  EXPECT_EQ(victim->runnext, nullptr);
  EXPECT_TRUE(runqempty(thief.get()));
  EXPECT_TRUE(usleepCalls.empty()) << "the victim is idle, so no back-off";
}

TEST_F(RunQueue, RunnextIsNotStolenWhileTheVictimsRingHasGs) {
  auto thief = newP(), victim = newP();
  runqput(victim.get(), G(1), false);
  runqput(victim.get(), G(7), true);

  EXPECT_EQ(runqsteal(thief.get(), victim.get(), true), G(1));
  EXPECT_EQ(victim->runnext, G(7));
  EXPECT_TRUE(runqempty(thief.get()));
}

TEST_F(RunQueue, StealingRunnextFromARunningPBacksOffFirst) {
  auto thief = newP(), victim = newP();
  victim->status = _Prunning;
  runqput(victim.get(), G(7), true);

  EXPECT_EQ(runqsteal(thief.get(), victim.get(), true), G(7));
  EXPECT_EQ(usleepCalls, std::vector<uint32_t>{3});
}

// ---- the global queue ----

TEST_F(RunQueue, GlobrunqputAppendsPutheadPrependsPutbatchAppendsAndClears) {
  globrunqput(G(1));
  globrunqput(G(2));
  globrunqputhead(G(0));
  gQueue batch{};
  batch.pushBack(G(3));
  batch.pushBack(G(4));
  globrunqputbatch(&batch, 2);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.tail, nullptr);
  EXPECT_EQ(global(), seq(0, 5));
  EXPECT_EQ(sched.runqsize, 5);
}

// Go: n = min(runqsize, runqsize/gomaxprocs+1, max if max > 0, len(runq)/2).
TEST_F(RunQueue, GlobrunqgetBatchSizes) {
  struct Case {
    int32_t runqsize, gomaxprocs, max, n;
  };
  const Case cases[] = {
      {1, 1, 0, 1},     {10, 1, 0, 10},  {10, 4, 0, 3},    {10, 4, 1, 1},
      {9, 2, 3, 3},     {5, 8, 0, 1},    {16, 4, 0, 5},    {300, 1, 0, 128},
      {300, 2, 0, 128}, {300, 4, 0, 76}, {300, 4, 50, 50},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(::testing::Message() << "runqsize=" << c.runqsize << " gomaxprocs=" << c.gomaxprocs
                                      << " max=" << c.max);
    SetUp();
    gomaxprocs = c.gomaxprocs;
    for (int64_t i = 0; i < c.runqsize; i++)
      globrunqput(G(i));
    auto pp = newP();

    lock(&sched.lock);
    g *gp = globrunqget(pp.get(), c.max);
    unlock(&sched.lock);

    ASSERT_EQ(gp, G(0)) << "the first G is returned";
    EXPECT_EQ(ring(pp.get()), seq(1, c.n)) << "the rest of the batch goes to the local queue";
    EXPECT_EQ(pp->runnext, nullptr);
    EXPECT_EQ(sched.runqsize, c.runqsize - c.n);
    EXPECT_EQ(global(), seq(c.n, c.runqsize));
  }
}

TEST_F(RunQueue, GlobrunqgetFromAnEmptyGlobalQueueReturnsNil) {
  auto pp = newP();
  EXPECT_EQ(globrunqget(pp.get(), 0), nullptr);
  EXPECT_TRUE(runqempty(pp.get()));
}

// ---- gQueue / gList ----

TEST_F(RunQueue, GQueuePushBackIsFifoAndPushIsAtTheHead) {
  gQueue q{};
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.pop(), nullptr);
  q.pushBack(G(1));
  q.pushBack(G(2));
  q.push(G(0));
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.tail, G(2));
  EXPECT_EQ(list(q.head), (ids{0, 1, 2}));
  EXPECT_EQ(q.pop(), G(0));
  EXPECT_EQ(q.pop(), G(1));
  EXPECT_EQ(q.pop(), G(2));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.tail, nullptr) << "popping the last G clears tail";
  EXPECT_EQ(q.pop(), nullptr);

  // An emptied queue is usable again from either end; pushBack clears the stale link G(1)
  // still has to G(2).
  q.push(G(0));
  EXPECT_EQ(q.tail, G(0));
  q.pushBack(G(1));
  EXPECT_EQ(list(q.head), (ids{0, 1}));
}

TEST_F(RunQueue, GQueuePushBackAllAppendsTheOtherQueue) {
  gQueue q{}, q2{}, none{};
  q2.pushBack(G(1));
  q2.pushBack(G(2));
  q.pushBackAll(q2); // onto an empty queue
  EXPECT_EQ(list(q.head), (ids{1, 2}));
  EXPECT_EQ(q.tail, G(2));

  gQueue q3{};
  q3.pushBack(G(3));
  q3.pushBack(G(4));
  q.pushBackAll(q3);
  EXPECT_EQ(list(q.head), (ids{1, 2, 3, 4}));
  EXPECT_EQ(q.tail, G(4));

  q.pushBackAll(none);
  EXPECT_EQ(list(q.head), (ids{1, 2, 3, 4}));
  EXPECT_EQ(q.tail, G(4));
}

TEST_F(RunQueue, GListIsLifoAndPushAllPrependsAQueue) {
  gList l{};
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.pop(), nullptr);
  l.push(G(1));
  l.push(G(2));
  EXPECT_FALSE(l.empty());
  EXPECT_EQ(list(l.head), (ids{2, 1}));

  gQueue q{};
  q.pushBack(G(3));
  q.pushBack(G(4));
  l.pushAll(q);
  EXPECT_EQ(list(l.head), (ids{3, 4, 2, 1}));
  l.pushAll(gQueue{});
  EXPECT_EQ(list(l.head), (ids{3, 4, 2, 1}));

  EXPECT_EQ(l.pop(), G(3));
  EXPECT_EQ(l.pop(), G(4));
  EXPECT_EQ(l.pop(), G(2));
  EXPECT_EQ(l.pop(), G(1));
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.pop(), nullptr);
}

} // namespace
