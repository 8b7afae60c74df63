// The runtime's maps without a scheduler (runtime/map.cpp, map_fast64.cpp, hash64.cpp compiled
// hosted): lookups, assignment and deletion through growth, incremental evacuation (old
// buckets kept until every one has moved), same-size regrowth under insert/delete churn,
// iteration yielding each key once, and the nil-map panic and concurrent-write fatal error.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>

#include "alg.h"
#include "map.h"

// Hosted stand-ins for what map.cpp takes from the rest of the runtime (map.h lists them).
namespace runtime {
uintptr_t hashkey[4] = {0x9e3779b97f4a7c15ull | 1, 3, 5, 7};
static uint32_t randState = 1;
uint32_t fastrand() {
  randState = randState * 1664525u + 1013904223u;
  return randState;
}
void *mallocgc(uintptr_t size, _type *, bool) { return calloc(1, size); }
// throw_ is runq_test.cpp's stand-in (it throws std::runtime_error), linked into the same
// test binary.
void fatal_(const char *s) { throw std::runtime_error(std::string("fatal: ") + s); }
void panicmsg(const char *s) { throw std::runtime_error(std::string("panic: ") + s); }
bool memequal(const void *a, const void *b, uintptr_t n) { return memcmp(a, b, n) == 0; }
} // namespace runtime

using namespace runtime;

namespace {

uintptr_t hashInt64(const void *p, uintptr_t h) { return memhash64Fallback(p, h); }
bool eqInt64(const void *a, const void *b) { return memcmp(a, b, 8) == 0; }

// map[int64]int64 as the compiler describes it.
const maptype int64Map = {hashInt64, eqInt64, 8, 8, 8, 8, 8 + 8 * 8 + 8 * 8 + 8,
                          4 /* reflexivekey */};

void put(hmap *h, int64_t k, int64_t v) {
  *static_cast<int64_t *>(mapassign(&int64Map, h, &k)) = v;
}
bool get(hmap *h, int64_t k, int64_t *v) {
  elemOK r = mapaccess2(&int64Map, h, &k);
  *v = *static_cast<int64_t *>(r.elem);
  return r.ok;
}

TEST(Map, AssignLookupDeleteThroughGrowth) {
  hmap *h = makemap_small();
  for (int64_t i = 0; i < 10000; ++i)
    put(h, i * 31, i);
  EXPECT_EQ(h->count, 10000);
  // 10000 keys at most 6.5 per bucket need at least 2^11 buckets.
  EXPECT_GE(h->B, 11);
  for (int64_t i = 0; i < 10000; ++i) {
    int64_t v = -1;
    ASSERT_TRUE(get(h, i * 31, &v)) << i;
    EXPECT_EQ(v, i);
    EXPECT_FALSE(get(h, i * 31 + 1, &v));
    EXPECT_EQ(v, 0); // an absent key reads the zero value
  }
  for (int64_t i = 0; i < 10000; i += 2)
    mapdelete(&int64Map, h, &(const int64_t &)(i * 31));
  EXPECT_EQ(h->count, 5000);
  int64_t v;
  EXPECT_FALSE(get(h, 0, &v));
  EXPECT_TRUE(get(h, 31, &v));
}

TEST(Map, GrowthIsIncremental) {
  hmap *h = makemap_small();
  int64_t i = 0;
  // Fill until an assignment starts a grow: the old array stays until it is evacuated.
  while (h->oldbuckets == nullptr)
    put(h, i, i), ++i;
  uint8_t B = h->B;
  EXPECT_FALSE(isSameSizeGrow(h));
  EXPECT_LT(h->nevacuate, uintptr_t(1) << (B - 1));
  // Each later assignment evacuates at most two old buckets, so the grow ends after at most
  // (number of old buckets) more.
  int64_t more = 0;
  while (h->oldbuckets != nullptr) {
    put(h, i, i), ++i;
    ++more;
  }
  EXPECT_LE(more, int64_t(1) << (B - 1));
  EXPECT_EQ(h->B, B);
  for (int64_t k = 0; k < i; ++k) {
    int64_t v;
    ASSERT_TRUE(get(h, k, &v));
  }
}

TEST(Map, ChurnRegrowsAtTheSameSize) {
  hmap *h = makemap_small();
  bool sameSize = false;
  for (int64_t i = 0; i < 100000 && !sameSize; ++i) {
    put(h, i, i);
    if (i >= 20)
      mapdelete(&int64Map, h, &(const int64_t &)(i - 20));
    sameSize = isSameSizeGrow(h);
  }
  EXPECT_TRUE(sameSize); // tooManyOverflowBuckets started a grow that kept B
  EXPECT_LE(h->B, 3);
}

TEST(Map, IterationYieldsEachKeyOnce) {
  hmap *h = makemap(&int64Map, 100, nullptr);
  for (int64_t i = 0; i < 1000; ++i)
    put(h, i, i * 2);
  std::set<int64_t> seen;
  hiter it{};
  for (mapiterinit(&int64Map, h, &it); it.key != nullptr; mapiternext(&it)) {
    int64_t k = *static_cast<int64_t *>(it.key);
    EXPECT_EQ(*static_cast<int64_t *>(it.elem), k * 2);
    EXPECT_TRUE(seen.insert(k).second) << "key " << k << " twice";
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_TRUE(h->flags & iterator);
}

TEST(Map, NilMapReadsEmptyAndPanicsOnAssign) {
  int64_t k = 1, v;
  EXPECT_FALSE(get(nullptr, k, &v));
  mapdelete(&int64Map, nullptr, &k); // a no-op
  hiter it{};
  mapiterinit(&int64Map, nullptr, &it);
  EXPECT_EQ(it.key, nullptr);
  EXPECT_THROW(
      {
        try {
          mapassign(&int64Map, nullptr, &k);
        } catch (const std::runtime_error &e) {
          EXPECT_STREQ(e.what(), "panic: assignment to entry in nil map");
          throw;
        }
      },
      std::runtime_error);
}

TEST(Map, WriteDuringWriteIsFatal) {
  hmap *h = makemap_small();
  put(h, 1, 1);
  h->flags |= hashWriting; // another goroutine is in the middle of a write
  int64_t k = 2;
  try {
    mapassign(&int64Map, h, &k);
    FAIL() << "no fatal error";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "fatal: concurrent map writes");
  }
  try {
    mapaccess1(&int64Map, h, &k);
    FAIL() << "no fatal error";
  } catch (const std::runtime_error &e) {
    EXPECT_STREQ(e.what(), "fatal: concurrent map read and map write");
  }
}

TEST(Map, Fast64AgreesWithGeneric) {
  hmap *h = makemap_small();
  for (uint64_t i = 0; i < 5000; ++i)
    *static_cast<int64_t *>(mapassign_fast64(&int64Map, h, i * 3)) = int64_t(i);
  for (int64_t i = 0; i < 5000; ++i) {
    int64_t v;
    ASSERT_TRUE(get(h, i * 3, &v));
    EXPECT_EQ(v, i);
    EXPECT_FALSE(mapaccess2_fast64(&int64Map, h, uint64_t(i * 3 + 1)).ok);
  }
  for (uint64_t i = 0; i < 5000; ++i)
    mapdelete_fast64(&int64Map, h, i * 3);
  EXPECT_EQ(h->count, 0);
}

TEST(Hash64, SeedsAndLengths) {
  const char *s = "the quick brown fox jumps over the lazy dog, twice over the lazy dog";
  for (uintptr_t n = 0; n < strlen(s); ++n) {
    EXPECT_EQ(memhashFallback(s, 7, n), memhashFallback(std::string(s, n).data(), 7, n));
    if (n > 0) {
      EXPECT_NE(memhashFallback(s, 7, n), memhashFallback(s, 8, n)) << n;
      EXPECT_NE(memhashFallback(s, 7, n), memhashFallback(s, 7, n - 1)) << n;
    }
  }
  uint64_t x = 42;
  EXPECT_EQ(memhash64Fallback(&x, 1), memhash64Fallback(&x, 1));
  EXPECT_NE(memhash64Fallback(&x, 1), memhash64Fallback(&x, 2));
}

} // namespace
