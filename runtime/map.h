// Go maps (Go: runtime/map.go): a hash table of buckets of 8 slots, hmap and bmap.
//
// A map is an array of 2^B buckets. Each bucket holds up to 8 key/elem pairs; the low-order
// bits of a key's hash select its bucket, and each slot keeps the hash's top byte (tophash)
// so that lookups compare keys only when the top bytes agree. A bucket that overflows chains
// to overflow buckets. When the average load passes loadFactor (6.5) the table doubles, and
// with too many overflow buckets it is rebuilt at the same size; either way the old buckets
// are moved ("evacuated") to the new array a bucket or two at each assignment or deletion
// (growWork), so no single operation pays for the whole copy. Iterators walk the new array
// and, for buckets not yet evacuated, the old one, returning each key once.
//
// Layout of a bucket (what the compiler's bucketsize covers):
//   tophash [8]uint8 | 8 keys | 8 elems | overflow *bmap
// Keys and elems larger than 128 bytes are stored indirectly, as pointers to their values.
//
// Self-contained but for the declarations below, so test/unit/map_test.cpp compiles map.cpp
// hosted.
#ifndef TOY_RUNTIME_MAP_H
#define TOY_RUNTIME_MAP_H

#include "runtime2.h"

#ifndef GOSYM
#define GOSYM(name) __asm__("runtime." name)
#endif

namespace runtime {

constexpr uintptr_t bucketCntBits = 3;
constexpr uintptr_t bucketCnt = uintptr_t(1) << bucketCntBits; // slots per bucket
// The table grows when its entries pass 6.5 per bucket on average (loadFactorNum/Den).
constexpr uintptr_t loadFactorNum = 13;
constexpr uintptr_t loadFactorDen = 2;
// Keys and elems up to these sizes are stored in the bucket; larger ones through a pointer.
constexpr uintptr_t maxKeySize = 128;
constexpr uintptr_t maxElemSize = 128;
// dataOffset is where the keys start: after the 8 tophash bytes.
constexpr uintptr_t dataOffset = 8;

// Possible tophash values. Values below minTopHash mark slots; hashes' top bytes are moved
// up past them.
constexpr uint8_t emptyRest = 0;      // empty, as is every later slot of the chain
constexpr uint8_t emptyOne = 1;       // empty
constexpr uint8_t evacuatedX = 2;     // moved to the new array's low half (x)
constexpr uint8_t evacuatedY = 3;     // moved to the new array's high half (y)
constexpr uint8_t evacuatedEmpty = 4; // empty, in an evacuated bucket
constexpr uint8_t minTopHash = 5;     // the least tophash of a full slot

// hmap.flags
constexpr uint8_t iterator = 1;     // a range may be reading buckets
constexpr uint8_t oldIterator = 2;  // a range may be reading oldbuckets
constexpr uint8_t hashWriting = 4;  // an assignment or deletion is under way
constexpr uint8_t sameSizeGrow = 8; // the grow under way keeps the number of buckets

// noCheck: the iterator needs no bucket check (sentinel).
constexpr uintptr_t noCheck = ~uintptr_t(0);

// maptype.flags
constexpr uint32_t indirectKeyFlag = 1;   // slots hold pointers to keys
constexpr uint32_t indirectElemFlag = 2;  // slots hold pointers to elems
constexpr uint32_t reflexiveKeyFlag = 4;  // k == k for all keys (no floats in the key)
constexpr uint32_t needKeyUpdateFlag = 8; // an assignment must overwrite the stored key
constexpr uint32_t hashMightPanicFlag = 16; // the key has an interface part: hasher may panic

// maptype describes a map type; the compiler emits one per map type used.
// Differs from Go: no _type descriptors yet, so the key's and elem's sizes and the key's
// equality stand here instead of in t.key and t.elem (Go's t.key.size, t.key.equal).
struct maptype {
  uintptr_t (*hasher)(const void *, uintptr_t); // type..hash of the key
  bool (*keyequal)(const void *, const void *); // type..eq of the key
  uintptr_t keytypesize;                        // the key type's size
  uintptr_t elemtypesize;                       // the elem type's size
  uint8_t keysize;                              // a key slot's size
  uint8_t elemsize;                             // an elem slot's size
  uint16_t bucketsize;                          // a bucket's size
  uint32_t flags;

  bool indirectkey() const { return flags & indirectKeyFlag; }
  bool indirectelem() const { return flags & indirectElemFlag; }
  bool reflexivekey() const { return flags & reflexiveKeyFlag; }
  bool needkeyupdate() const { return flags & needKeyUpdateFlag; }
  bool hashMightPanic() const { return flags & hashMightPanicFlag; }
};

// bmap is a bucket: its tophash bytes, followed in memory by the keys, the elems and the
// overflow pointer at maptype.bucketsize - 8.
struct bmap {
  uint8_t tophash[bucketCnt];
};

// mapextra holds fields not present on all maps.
// Differs from Go: no overflow/oldoverflow lists (Go keeps overflow buckets of pointer-free
// maps reachable for its GC there; toy has no GC).
struct mapextra {
  bmap *nextOverflow; // the next unused preallocated overflow bucket
};

// hmap is a Go map's header; a map value is a *hmap.
struct hmap {
  int64_t count; // entries; len(m) loads this first word
  uint8_t flags;
  uint8_t B;          // 2^B buckets
  uint16_t noverflow; // overflow buckets made, counted exactly only for B < 16
  uint32_t hash0;     // this map's seed for the hasher

  void *buckets;       // 2^B buckets; nil until the first assignment when B == 0
  void *oldbuckets;    // while growing: the array being moved out of
  uintptr_t nevacuate; // old buckets below this one have all been moved

  mapextra *extra; // nil until preallocated overflow buckets exist
};

// hiter is a map iteration's state; for range over a map keeps one on the stack. key == nil
// marks the end; the compiler reads key and elem at offsets 0 and 8.
struct hiter {
  void *key;  // offset 0: the current key, nil once the range is over
  void *elem; // offset 8: the current elem
  const maptype *t;
  hmap *h;
  void *buckets;         // h.buckets when the range began
  bmap *bptr;            // the bucket being walked
  uintptr_t startBucket; // the random first bucket
  uint8_t offset;        // the random first slot within each bucket
  bool wrapped;          // the walk has passed the array's last bucket
  uint8_t B;
  uint8_t i;
  uintptr_t bucket;
  uintptr_t checkBucket;
};
// The compiler allocates hiterSize bytes for a range loop's iterator.
constexpr uintptr_t hiterSize = 80;
static_assert(sizeof(hiter) == hiterSize, "the compiler's hiter size");

// zeroVal is the value mapaccess1 returns a pointer to for a missing key (maxZero bytes; the
// compiler calls mapaccess1_fat with a zero value of its own for larger elems).
constexpr uintptr_t maxZero = 1024;
extern const uint8_t zeroVal[maxZero];

extern "C" hmap *makemap_small() GOSYM("makemap_small");
extern "C" hmap *makemap(const maptype *t, int64_t hint, hmap *h) GOSYM("makemap");
extern "C" void *mapaccess1(const maptype *t, hmap *h, const void *key) GOSYM("mapaccess1");
extern "C" void *mapaccess1_fat(const maptype *t, hmap *h, const void *key, const void *zero)
    GOSYM("mapaccess1_fat");
// mapaccess2's results, returned in two registers.
struct elemOK {
  void *elem;
  bool ok;
};
extern "C" elemOK mapaccess2(const maptype *t, hmap *h, const void *key) GOSYM("mapaccess2");
extern "C" elemOK mapaccess2_fat(const maptype *t, hmap *h, const void *key, const void *zero)
    GOSYM("mapaccess2_fat");
extern "C" void *mapassign(const maptype *t, hmap *h, const void *key) GOSYM("mapassign");
extern "C" void mapdelete(const maptype *t, hmap *h, const void *key) GOSYM("mapdelete");
extern "C" void mapiterinit(const maptype *t, hmap *h, hiter *it) GOSYM("mapiterinit");
extern "C" void mapiternext(hiter *it) GOSYM("mapiternext");

// map_fast32.cpp, map_fast64.cpp, map_faststr.cpp: keys of 4 and 8 bytes of plain memory,
// and strings (passed as pointer and length).
extern "C" void *mapaccess1_fast32(const maptype *t, hmap *h, uint32_t key)
    GOSYM("mapaccess1_fast32");
extern "C" elemOK mapaccess2_fast32(const maptype *t, hmap *h, uint32_t key)
    GOSYM("mapaccess2_fast32");
extern "C" void *mapassign_fast32(const maptype *t, hmap *h, uint32_t key)
    GOSYM("mapassign_fast32");
extern "C" void mapdelete_fast32(const maptype *t, hmap *h, uint32_t key) GOSYM("mapdelete_fast32");
extern "C" void *mapaccess1_fast64(const maptype *t, hmap *h, uint64_t key)
    GOSYM("mapaccess1_fast64");
extern "C" elemOK mapaccess2_fast64(const maptype *t, hmap *h, uint64_t key)
    GOSYM("mapaccess2_fast64");
extern "C" void *mapassign_fast64(const maptype *t, hmap *h, uint64_t key)
    GOSYM("mapassign_fast64");
extern "C" void mapdelete_fast64(const maptype *t, hmap *h, uint64_t key) GOSYM("mapdelete_fast64");
extern "C" void *mapaccess1_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n)
    GOSYM("mapaccess1_faststr");
extern "C" elemOK mapaccess2_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n)
    GOSYM("mapaccess2_faststr");
extern "C" void *mapassign_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n)
    GOSYM("mapassign_faststr");
extern "C" void mapdelete_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n)
    GOSYM("mapdelete_faststr");

// Shared by map.cpp and the fast variants.
inline uintptr_t bucketShift(uint8_t b) {
  return uintptr_t(1) << (b & (sizeof(uintptr_t) * 8 - 1));
}
inline uintptr_t bucketMask(uint8_t b) { return bucketShift(b) - 1; }
// tophash calculates the tophash value for hash.
inline uint8_t tophash(uintptr_t hash) {
  uint8_t top = uint8_t(hash >> (sizeof(uintptr_t) * 8 - 8));
  if (top < minTopHash)
    top += minTopHash;
  return top;
}
inline bool isEmpty(uint8_t x) { return x <= emptyOne; }
inline bool evacuated(const bmap *b) {
  uint8_t h = b->tophash[0];
  return h > emptyOne && h < minTopHash;
}
inline void *add(const void *p, uintptr_t x) {
  return const_cast<uint8_t *>(static_cast<const uint8_t *>(p)) + x;
}
inline bmap *overflow(const bmap *b, const maptype *t) {
  return *static_cast<bmap **>(add(b, uintptr_t(t->bucketsize) - sizeof(void *)));
}
inline void setoverflow(bmap *b, const maptype *t, bmap *ovf) {
  *static_cast<bmap **>(add(b, uintptr_t(t->bucketsize) - sizeof(void *))) = ovf;
}
inline void *bucketAt(void *buckets, uintptr_t i, const maptype *t) {
  return add(buckets, i * uintptr_t(t->bucketsize));
}
inline bool growing(const hmap *h) { return h->oldbuckets != nullptr; }
inline bool isSameSizeGrow(const hmap *h) { return h->flags & sameSizeGrow; }
// overLoadFactor: count entries in 2^B buckets are more than the load factor allows.
inline bool overLoadFactor(int64_t count, uint8_t B) {
  return count > int64_t(bucketCnt) &&
         uintptr_t(count) > loadFactorNum * (bucketShift(B) / loadFactorDen);
}
// tooManyOverflowBuckets: about as many overflow buckets as buckets (counted up to 2^15),
// which calls for a same-size regrowth.
inline bool tooManyOverflowBuckets(uint16_t noverflow, uint8_t B) {
  if (B > 15)
    B = 15;
  return noverflow >= uint16_t(1) << (B & 15);
}
bmap *newoverflow(hmap *h, const maptype *t, bmap *b);
void hashGrow(const maptype *t, hmap *h);
void growWork(const maptype *t, hmap *h, uintptr_t bucket);
// mapDeleteAt empties slot i of bucket b (bOrig its chain's first bucket) and counts it
// gone: the tail of mapdelete shared with the fast variants.
void mapDeleteAt(const maptype *t, hmap *h, bmap *bOrig, bmap *b, uintptr_t i);
// mapBucketFor is the bucket a lookup of hash searches: in the old array while that bucket
// has not been evacuated.
bmap *mapBucketFor(const maptype *t, const hmap *h, uintptr_t hash);

// What map.cpp takes from the rest of the runtime.
struct _type;
extern "C" void *mallocgc(uintptr_t size, _type *typ, bool needzero) GOSYM("mallocgc");
[[noreturn]] void throw_(const char *s);
[[noreturn]] void fatal_(const char *s);
[[noreturn]] void panicmsg(const char *msg);
uint32_t fastrand();
extern "C" bool memequal(const void *a, const void *b, uintptr_t size) GOSYM("memequal");

} // namespace runtime

#endif
