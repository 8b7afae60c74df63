// Maps with string keys (Go: runtime/map_faststr.go): keys are compared by length first and
// then by bytes; a table of one bucket is searched without hashing.

#include "map.h"

namespace runtime {

namespace {
constexpr uintptr_t strSize = sizeof(stringStruct);

inline stringStruct *strKeyAt(const bmap *b, uintptr_t i) {
  return static_cast<stringStruct *>(add(b, dataOffset + i * strSize));
}
inline void *strElemAt(const bmap *b, const maptype *t, uintptr_t i) {
  return add(b, dataOffset + bucketCnt * strSize + i * uintptr_t(t->elemsize));
}
inline bool same4(const uint8_t *a, const uint8_t *b) { return __builtin_memcmp(a, b, 4) == 0; }
} // namespace

elemOK mapaccess2_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n) {
  elemOK missing{const_cast<uint8_t *>(zeroVal), false};
  if (h == nullptr || h->count == 0)
    return missing;
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map read and map write");
  stringStruct key{s, n};
  if (h->B == 0) {
    // One-bucket table.
    auto *b = static_cast<bmap *>(h->buckets);
    if (n < 32) {
      // A short key: comparing it with each candidate costs little.
      for (uintptr_t i = 0; i < bucketCnt; i++) {
        stringStruct *k = strKeyAt(b, i);
        if (k->len != n || isEmpty(b->tophash[i])) {
          if (b->tophash[i] == emptyRest)
            break;
          continue;
        }
        if (k->str == s || memequal(k->str, s, uintptr_t(n)))
          return {strElemAt(b, t, i), true};
      }
      return missing;
    }
    // A long key: rule candidates out by their first and last 4 bytes, and hash when two
    // survive rather than compare both in full.
    uintptr_t keymaybe = bucketCnt;
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      stringStruct *k = strKeyAt(b, i);
      if (k->len != n || isEmpty(b->tophash[i])) {
        if (b->tophash[i] == emptyRest)
          break;
        continue;
      }
      if (k->str == s)
        return {strElemAt(b, t, i), true};
      if (!same4(s, k->str) || !same4(s + n - 4, k->str + n - 4))
        continue;
      if (keymaybe != bucketCnt)
        goto dohash; // two candidates: the hash tells them apart
      keymaybe = i;
    }
    if (keymaybe != bucketCnt) {
      stringStruct *k = strKeyAt(b, keymaybe);
      if (memequal(k->str, s, uintptr_t(n)))
        return {strElemAt(b, t, keymaybe), true};
    }
    return missing;
  }
dohash:
  uintptr_t hash = t->hasher(&key, uintptr_t(h->hash0));
  uint8_t top = tophash(hash);
  for (bmap *b = mapBucketFor(t, h, hash); b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      stringStruct *k = strKeyAt(b, i);
      if (k->len != n || b->tophash[i] != top)
        continue;
      if (k->str == s || memequal(k->str, s, uintptr_t(n)))
        return {strElemAt(b, t, i), true};
    }
  }
  return missing;
}

void *mapaccess1_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n) {
  return mapaccess2_faststr(t, h, s, n).elem;
}

void *mapassign_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n) {
  if (h == nullptr)
    panicmsg("assignment to entry in nil map");
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");
  stringStruct key{s, n};
  uintptr_t hash = t->hasher(&key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran, as in mapassign.
  h->flags ^= hashWriting;

  if (h->buckets == nullptr)
    h->buckets = mallocgc(t->bucketsize, nullptr, true);

  bmap *insertb;
  uintptr_t inserti;
  uint8_t top;
again:
  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));
  top = tophash(hash);

  insertb = nullptr;
  inserti = 0;
  for (;;) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (isEmpty(b->tophash[i]) && insertb == nullptr) {
          insertb = b;
          inserti = i;
        }
        if (b->tophash[i] == emptyRest)
          goto notFound;
        continue;
      }
      stringStruct *k = strKeyAt(b, i);
      if (k->len != n)
        continue;
      if (k->str != s && !memequal(k->str, s, uintptr_t(n)))
        continue;
      // The key is there: its elem is the one to set. The stored key takes the new string's
      // pointer, as Go does (it lets the old bytes be collected).
      inserti = i;
      insertb = b;
      k->str = s;
      goto done;
    }
    bmap *ovf = overflow(b, t);
    if (ovf == nullptr)
      break;
    b = ovf;
  }
notFound:
  // A new key. Grow first if the table is over its load or has too many overflow buckets
  // (and is not growing already): that moves every key, so the search starts again.
  if (!growing(h) &&
      (overLoadFactor(h->count + 1, h->B) || tooManyOverflowBuckets(h->noverflow, h->B))) {
    hashGrow(t, h);
    goto again;
  }

  if (insertb == nullptr) {
    // Every slot of the chain is taken: chain a new overflow bucket.
    insertb = newoverflow(h, t, b);
    inserti = 0;
  }
  insertb->tophash[inserti & (bucketCnt - 1)] = top;
  *strKeyAt(insertb, inserti) = key;
  h->count++;

done:
  void *elem = strElemAt(insertb, t, inserti);
  if ((h->flags & hashWriting) == 0)
    fatal_("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
  return elem;
}

void mapdelete_faststr(const maptype *t, hmap *h, const uint8_t *s, int64_t n) {
  if (h == nullptr || h->count == 0)
    return;
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");

  stringStruct key{s, n};
  uintptr_t hash = t->hasher(&key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran, as in mapdelete.
  h->flags ^= hashWriting;

  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));
  bmap *bOrig = b;
  uint8_t top = tophash(hash);
  for (; b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      stringStruct *k = strKeyAt(b, i);
      if (k->len != n || b->tophash[i] != top)
        continue;
      if (k->str != s && !memequal(k->str, s, uintptr_t(n)))
        continue;
      mapDeleteAt(t, h, bOrig, b, i);
      goto done;
    }
  }
done:
  if ((h->flags & hashWriting) == 0)
    fatal_("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
}

} // namespace runtime
