// The map operations for keys of 4 and 8 bytes of plain memory (Go: runtime/map_fast32.go,
// map_fast64.go), which compare keys as integers and skip tophash on lookups.
// Differs from Go: Go writes the two files out separately; here one template over the key's
// integer type K serves both (map_fast32.cpp, map_fast64.cpp), and growth uses map.cpp's
// generic growWork rather than a copy specialised to the key size.
#ifndef TOY_RUNTIME_MAP_FAST_H
#define TOY_RUNTIME_MAP_FAST_H

#include "map.h"

namespace runtime {

template <class K> inline K fastKeyAt(const bmap *b, uintptr_t i) {
  K k;
  __builtin_memcpy(&k, add(b, dataOffset + i * sizeof(K)), sizeof(K));
  return k;
}

template <class K> inline void *fastElemAt(const bmap *b, const maptype *t, uintptr_t i) {
  return add(b, dataOffset + bucketCnt * sizeof(K) + i * uintptr_t(t->elemsize));
}

template <class K> elemOK mapaccess2Fast(const maptype *t, hmap *h, K key) {
  if (h == nullptr || h->count == 0)
    return {const_cast<uint8_t *>(zeroVal), false};
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map read and map write");
  bmap *b;
  if (h->B == 0)
    // One bucket: no need to hash.
    b = static_cast<bmap *>(h->buckets);
  else
    b = mapBucketFor(t, h, t->hasher(&key, uintptr_t(h->hash0)));
  for (; b != nullptr; b = overflow(b, t))
    for (uintptr_t i = 0; i < bucketCnt; i++)
      if (fastKeyAt<K>(b, i) == key && !isEmpty(b->tophash[i]))
        return {fastElemAt<K>(b, t, i), true};
  return {const_cast<uint8_t *>(zeroVal), false};
}

template <class K> void *mapassignFast(const maptype *t, hmap *h, K key) {
  if (h == nullptr)
    panicmsg("assignment to entry in nil map");
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");
  uintptr_t hash = t->hasher(&key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran, as in mapassign.
  h->flags ^= hashWriting;

  if (h->buckets == nullptr)
    h->buckets = mallocgc(t->bucketsize, nullptr, true);

  bmap *insertb;
  uintptr_t inserti;
again:
  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));

  insertb = nullptr;
  inserti = 0;
  for (;;) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (isEmpty(b->tophash[i])) {
        if (insertb == nullptr) {
          insertb = b;
          inserti = i;
        }
        if (b->tophash[i] == emptyRest)
          goto notFound;
        continue;
      }
      if (fastKeyAt<K>(b, i) != key)
        continue;
      insertb = b;
      inserti = i;
      goto done;
    }
    bmap *ovf = overflow(b, t);
    if (ovf == nullptr)
      break;
    b = ovf;
  }
notFound:
  // A new key: grow first if needed, as mapassign does.
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
  insertb->tophash[inserti & (bucketCnt - 1)] = tophash(hash);
  __builtin_memcpy(add(insertb, dataOffset + inserti * sizeof(K)), &key, sizeof(K));
  h->count++;

done:
  void *elem = fastElemAt<K>(insertb, t, inserti);
  if ((h->flags & hashWriting) == 0)
    fatal_("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
  return elem;
}

template <class K> void mapdeleteFast(const maptype *t, hmap *h, K key) {
  if (h == nullptr || h->count == 0)
    return;
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");

  uintptr_t hash = t->hasher(&key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran, as in mapdelete.
  h->flags ^= hashWriting;

  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));
  bmap *bOrig = b;
  for (; b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (fastKeyAt<K>(b, i) != key || isEmpty(b->tophash[i]))
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

#endif
