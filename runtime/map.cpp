// Go maps (Go: runtime/map.go); the design is in map.h.

#include "map.h"

#include "msize.h"

namespace runtime {

alignas(8) const uint8_t zeroVal[maxZero] = {};

namespace {

inline void *newobject(uintptr_t size) { return mallocgc(size, nullptr, true); }

inline void typedmemmove(void *dst, const void *src, uintptr_t n) {
  if (dst != src)
    __builtin_memmove(dst, src, n);
}

inline void *keyAt(const bmap *b, const maptype *t, uintptr_t i) {
  return add(b, dataOffset + i * uintptr_t(t->keysize));
}
inline void *elemAt(const bmap *b, const maptype *t, uintptr_t i) {
  return add(b, dataOffset + bucketCnt * uintptr_t(t->keysize) + i * uintptr_t(t->elemsize));
}
inline void *deref(void *p) { return *static_cast<void **>(p); }

// incrnoverflow increments h.noverflow: exactly while there are few buckets, else with
// probability 1/(1<<(h.B-15)), so that at 1<<15 buckets and more it still reaches about
// as many as there are buckets when tooManyOverflowBuckets should hold.
void incrnoverflow(hmap *h) {
  if (h->B < 16) {
    h->noverflow++;
    return;
  }
  uint32_t mask = (uint32_t(1) << (h->B - 15)) - 1;
  if ((fastrand() & mask) == 0)
    h->noverflow++;
}

uintptr_t noldbuckets(const hmap *h) {
  uint8_t oldB = h->B;
  if (!isSameSizeGrow(h))
    oldB--;
  return bucketShift(oldB);
}
uintptr_t oldbucketmask(const hmap *h) { return noldbuckets(h) - 1; }

// makeBucketArray allocates 1<<b buckets and, from b = 4 on, about 1/16 as many again as
// preallocated overflow buckets, returned in nextOverflow. The last preallocated one gets a
// non-nil overflow pointer as the sentinel newoverflow looks for.
void *makeBucketArray(const maptype *t, uint8_t b, bmap **nextOverflow) {
  uintptr_t base = bucketShift(b);
  uintptr_t nbuckets = base;
  if (b >= 4) {
    nbuckets += bucketShift(b - 4);
    uintptr_t sz = uintptr_t(t->bucketsize) * nbuckets;
    uintptr_t up = roundupsize(sz);
    if (up != sz)
      nbuckets = up / t->bucketsize;
  }
  void *buckets = newobject(uintptr_t(t->bucketsize) * nbuckets);
  *nextOverflow = nullptr;
  if (base != nbuckets) {
    *nextOverflow = static_cast<bmap *>(bucketAt(buckets, base, t));
    auto *last = static_cast<bmap *>(bucketAt(buckets, nbuckets - 1, t));
    setoverflow(last, t, static_cast<bmap *>(buckets));
  }
  return buckets;
}

// mapaccessK returns both key and elem (for an iterator over a growing map), or nils.
void mapaccessK(const maptype *t, hmap *h, const void *key, void **rk, void **re) {
  *rk = *re = nullptr;
  if (h == nullptr || h->count == 0)
    return;
  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));
  uint8_t top = tophash(hash);
  for (bmap *b = mapBucketFor(t, h, hash); b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest)
          return;
        continue;
      }
      void *k = keyAt(b, t, i);
      if (t->indirectkey())
        k = deref(k);
      if (t->keyequal(key, k)) {
        void *e = elemAt(b, t, i);
        if (t->indirectelem())
          e = deref(e);
        *rk = k;
        *re = e;
        return;
      }
    }
  }
}

bool bucketEvacuated(const maptype *t, const hmap *h, uintptr_t bucket) {
  return evacuated(static_cast<bmap *>(bucketAt(h->oldbuckets, bucket, t)));
}

void advanceEvacuationMark(hmap *h, const maptype *t, uintptr_t newbit) {
  h->nevacuate++;
  // Skip buckets already evacuated out of order, at most 1024 of them, so one call stays
  // O(1).
  uintptr_t stop = h->nevacuate + 1024;
  if (stop > newbit)
    stop = newbit;
  while (h->nevacuate != stop && bucketEvacuated(t, h, h->nevacuate))
    h->nevacuate++;
  if (h->nevacuate == newbit) { // newbit is the number of old buckets: all have moved
    // Differs from Go: nothing frees it (no GC); an iterator may still be reading it.
    h->oldbuckets = nullptr;
    h->flags &= uint8_t(~sameSizeGrow);
  }
}

// evacDst is an evacuation destination.
struct evacDst {
  bmap *b;     // the bucket being filled
  uintptr_t i; // its next free slot
  void *k;     // that slot's key
  void *e;     // that slot's elem
};

void evacuate(const maptype *t, hmap *h, uintptr_t oldbucket) {
  auto *b = static_cast<bmap *>(bucketAt(h->oldbuckets, oldbucket, t));
  uintptr_t newbit = noldbuckets(h);
  if (!evacuated(b)) {
    // Doubling splits old bucket i between new buckets i (x) and i+newbit (y).
    evacDst xy[2] = {};
    evacDst *x = &xy[0];
    x->b = static_cast<bmap *>(bucketAt(h->buckets, oldbucket, t));
    x->k = add(x->b, dataOffset);
    x->e = add(x->k, bucketCnt * uintptr_t(t->keysize));
    if (!isSameSizeGrow(h)) {
      // A same-size grow has no y half.
      evacDst *y = &xy[1];
      y->b = static_cast<bmap *>(bucketAt(h->buckets, oldbucket + newbit, t));
      y->k = add(y->b, dataOffset);
      y->e = add(y->k, bucketCnt * uintptr_t(t->keysize));
    }
    for (; b != nullptr; b = overflow(b, t)) {
      void *k = add(b, dataOffset);
      void *e = add(k, bucketCnt * uintptr_t(t->keysize));
      for (uintptr_t i = 0; i < bucketCnt; i++, k = add(k, t->keysize), e = add(e, t->elemsize)) {
        uint8_t top = b->tophash[i];
        if (isEmpty(top)) {
          b->tophash[i] = evacuatedEmpty;
          continue;
        }
        if (top < minTopHash)
          throw_("bad map state");
        void *k2 = k;
        if (t->indirectkey())
          k2 = deref(k2);
        uint8_t useY = 0;
        if (!isSameSizeGrow(h)) {
          // The hash bit newbit chooses x or y.
          uintptr_t hash = t->hasher(k2, uintptr_t(h->hash0));
          if ((h->flags & iterator) != 0 && !t->reflexivekey() && !t->keyequal(k2, k2)) {
            // A key != itself (NaN): its hash differs each time, so no iterator could find
            // it again by hashing. Send it where the low bit of its tophash says, which the
            // iterator checks instead, and give it a fresh tophash.
            useY = top & 1;
            top = tophash(hash);
          } else if ((hash & newbit) != 0) {
            useY = 1;
          }
        }
        static_assert(evacuatedX + 1 == evacuatedY && (evacuatedX ^ 1) == evacuatedY,
                      "bad evacuatedN");
        b->tophash[i] = evacuatedX + useY; // marks where the entry went
        evacDst *dst = &xy[useY];
        if (dst->i == bucketCnt) {
          dst->b = newoverflow(h, t, dst->b);
          dst->i = 0;
          dst->k = add(dst->b, dataOffset);
          dst->e = add(dst->k, bucketCnt * uintptr_t(t->keysize));
        }
        dst->b->tophash[dst->i & (bucketCnt - 1)] = top;
        if (t->indirectkey())
          *static_cast<void **>(dst->k) = k2; // the key's box moves, not the key
        else
          typedmemmove(dst->k, k, t->keysize);
        if (t->indirectelem())
          *static_cast<void **>(dst->e) = deref(e);
        else
          typedmemmove(dst->e, e, t->elemsize);
        dst->i++;
        // After the last slot these point one past the keys or elems: still inside the
        // bucket (the overflow pointer follows), and never used before the bucket changes.
        dst->k = add(dst->k, t->keysize);
        dst->e = add(dst->e, t->elemsize);
      }
    }
    // Differs from Go: the old bucket's keys and elems are not cleared (Go clears them to
    // help its GC when no iterator uses the old buckets).
  }
  if (oldbucket == h->nevacuate)
    advanceEvacuationMark(h, t, newbit);
}

} // namespace

bmap *mapBucketFor(const maptype *t, const hmap *h, uintptr_t hash) {
  uintptr_t m = bucketMask(h->B);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, hash & m, t));
  if (void *c = h->oldbuckets) {
    if (!isSameSizeGrow(h))
      // The old array has half as many buckets: one bit less of the hash.
      m >>= 1;
    auto *oldb = static_cast<bmap *>(bucketAt(c, hash & m, t));
    if (!evacuated(oldb))
      b = oldb;
  }
  return b;
}

bmap *newoverflow(hmap *h, const maptype *t, bmap *b) {
  bmap *ovf;
  if (h->extra != nullptr && h->extra->nextOverflow != nullptr) {
    // Take the next preallocated overflow bucket.
    ovf = h->extra->nextOverflow;
    if (overflow(ovf, t) == nullptr) {
      h->extra->nextOverflow = static_cast<bmap *>(add(ovf, t->bucketsize));
    } else {
      // The last one: its overflow pointer was the end-of-array sentinel; clear it.
      setoverflow(ovf, t, nullptr);
      h->extra->nextOverflow = nullptr;
    }
  } else {
    ovf = static_cast<bmap *>(newobject(t->bucketsize));
  }
  incrnoverflow(h);
  setoverflow(b, t, ovf);
  return ovf;
}

// makemap_small is make(map[K]V) and make(map[K]V, hint) for a constant hint of at most
// bucketCnt: the header only; mapassign makes the one bucket.
hmap *makemap_small() {
  auto *h = static_cast<hmap *>(newobject(sizeof(hmap)));
  h->hash0 = fastrand();
  return h;
}

// makemap is make(map[K]V, hint): a table of 2^B buckets, B the least that holds hint
// entries within the load factor. A non-nil h is the header to use.
hmap *makemap(const maptype *t, int64_t hint, hmap *h) {
  // A hint too large for the memory it asks for (or negative) is no hint.
  __uint128_t mem = static_cast<__uint128_t>(uint64_t(hint)) * t->bucketsize;
  if (hint < 0 || mem > (__uint128_t(1) << 47))
    hint = 0;
  if (h == nullptr)
    h = static_cast<hmap *>(newobject(sizeof(hmap)));
  h->hash0 = fastrand();
  uint8_t B = 0;
  while (overLoadFactor(hint, B))
    B++;
  h->B = B;
  // With B == 0 mapassign makes the bucket when it is first needed.
  if (h->B != 0) {
    bmap *nextOverflow;
    h->buckets = makeBucketArray(t, h->B, &nextOverflow);
    if (nextOverflow != nullptr) {
      h->extra = static_cast<mapextra *>(newobject(sizeof(mapextra)));
      h->extra->nextOverflow = nextOverflow;
    }
  }
  return h;
}

// mapaccess1 is the address of h[key]'s elem, or of zeroVal when key is absent (never nil);
// the caller copies the elem out at once.
void *mapaccess1(const maptype *t, hmap *h, const void *key) {
  return mapaccess1_fat(t, h, key, zeroVal);
}

void *mapaccess1_fat(const maptype *t, hmap *h, const void *key, const void *zero) {
  elemOK r = mapaccess2_fat(t, h, key, zero);
  return r.elem;
}

elemOK mapaccess2(const maptype *t, hmap *h, const void *key) {
  return mapaccess2_fat(t, h, key, zeroVal);
}

elemOK mapaccess2_fat(const maptype *t, hmap *h, const void *key, const void *zero) {
  void *z = const_cast<void *>(zero);
  if (h == nullptr || h->count == 0) {
    if (t->hashMightPanic())
      t->hasher(key, 0); // an unhashable key panics here too, as in Go
    return {z, false};
  }
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map read and map write");
  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));
  uint8_t top = tophash(hash);
  for (bmap *b = mapBucketFor(t, h, hash); b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest)
          return {z, false};
        continue;
      }
      void *k = keyAt(b, t, i);
      if (t->indirectkey())
        k = deref(k);
      if (t->keyequal(key, k)) {
        void *e = elemAt(b, t, i);
        if (t->indirectelem())
          e = deref(e);
        return {e, true};
      }
    }
  }
  return {z, false};
}

// mapassign is the address of h[key]'s elem, making a slot for key (and growing the table)
// when it is absent; the caller stores the elem through it.
void *mapassign(const maptype *t, hmap *h, const void *key) {
  if (h == nullptr)
    panicmsg("assignment to entry in nil map");
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");
  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran: a hasher that panics has written nothing.
  h->flags ^= hashWriting;

  if (h->buckets == nullptr)
    h->buckets = newobject(t->bucketsize); // the first bucket

again:
  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));
  uint8_t top = tophash(hash);

  uint8_t *inserti = nullptr;
  void *insertk = nullptr;
  void *elem = nullptr;
  for (;;) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (isEmpty(b->tophash[i]) && inserti == nullptr) {
          inserti = &b->tophash[i];
          insertk = keyAt(b, t, i);
          elem = elemAt(b, t, i);
        }
        if (b->tophash[i] == emptyRest)
          goto notFound;
        continue;
      }
      void *k = keyAt(b, t, i);
      if (t->indirectkey())
        k = deref(k);
      if (!t->keyequal(key, k))
        continue;
      // key is present: its elem is the one to set.
      if (t->needkeyupdate())
        typedmemmove(k, key, t->keytypesize);
      elem = elemAt(b, t, i);
      goto done;
    }
    bmap *ovf = overflow(b, t);
    if (ovf == nullptr)
      break;
    b = ovf;
  }
notFound:
  // A new key. Grow first if the table is over its load or has too many overflow buckets
  // (and is not growing already).
  if (!growing(h) &&
      (overLoadFactor(h->count + 1, h->B) || tooManyOverflowBuckets(h->noverflow, h->B))) {
    hashGrow(t, h);
    goto again; // every key may have moved: search again
  }

  if (inserti == nullptr) {
    // Every slot of the chain is taken: chain a new overflow bucket.
    bmap *newb = newoverflow(h, t, b);
    inserti = &newb->tophash[0];
    insertk = keyAt(newb, t, 0);
    elem = elemAt(newb, t, 0);
  }

  if (t->indirectkey()) {
    void *kmem = newobject(t->keytypesize);
    *static_cast<void **>(insertk) = kmem;
    insertk = kmem;
  }
  if (t->indirectelem()) {
    void *vmem = newobject(t->elemtypesize);
    *static_cast<void **>(elem) = vmem;
  }
  typedmemmove(insertk, key, t->keytypesize);
  *inserti = top;
  h->count++;

done:
  if ((h->flags & hashWriting) == 0)
    fatal_("concurrent map writes");
  h->flags &= uint8_t(~hashWriting);
  if (t->indirectelem())
    elem = deref(elem);
  return elem;
}

void mapDeleteAt(const maptype *t, hmap *h, bmap *bOrig, bmap *b, uintptr_t i) {
  // Differs from Go: the key is left in place (Go clears keys holding pointers for its GC).
  if (t->indirectkey())
    *static_cast<void **>(keyAt(b, t, i)) = nullptr;
  void *e = elemAt(b, t, i);
  if (t->indirectelem())
    *static_cast<void **>(e) = nullptr;
  else
    __builtin_memset(e, 0, t->elemsize);
  b->tophash[i] = emptyOne;
  // If every slot after this one is empty to the chain's end, this slot and the empty ones
  // before it become emptyRest, so searches stop early.
  if (i == bucketCnt - 1) {
    if (overflow(b, t) != nullptr && overflow(b, t)->tophash[0] != emptyRest)
      goto notLast;
  } else if (b->tophash[i + 1] != emptyRest) {
    goto notLast;
  }
  for (;;) {
    b->tophash[i] = emptyRest;
    if (i == 0) {
      if (b == bOrig)
        break; // the chain's first slot
      // Go back to the last slot of the previous bucket of the chain.
      bmap *c = b;
      for (b = bOrig; overflow(b, t) != c; b = overflow(b, t)) {
      }
      i = bucketCnt - 1;
    } else {
      i--;
    }
    if (b->tophash[i] != emptyOne)
      break;
  }
notLast:
  h->count--;
  // An empty map gets a new seed, so collisions an attacker found do not carry over.
  if (h->count == 0)
    h->hash0 = fastrand();
}

void mapdelete(const maptype *t, hmap *h, const void *key) {
  if (h == nullptr || h->count == 0) {
    if (t->hashMightPanic())
      t->hasher(key, 0); // an unhashable key panics here too, as in Go
    return;
  }
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");

  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));

  // hashWriting goes on after the hasher ran, as in mapassign.
  h->flags ^= hashWriting;

  uintptr_t bucket = hash & bucketMask(h->B);
  if (growing(h))
    growWork(t, h, bucket);
  auto *b = static_cast<bmap *>(bucketAt(h->buckets, bucket, t));
  bmap *bOrig = b;
  uint8_t top = tophash(hash);
  for (; b != nullptr; b = overflow(b, t)) {
    for (uintptr_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest)
          goto done;
        continue;
      }
      void *k2 = keyAt(b, t, i);
      if (t->indirectkey())
        k2 = deref(k2);
      if (!t->keyequal(key, k2))
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

// mapiterinit starts a range over h at a random bucket and slot offset, with it zeroed by
// the compiler (a range loop keeps it on its stack), and moves to the first entry.
void mapiterinit(const maptype *t, hmap *h, hiter *it) {
  it->t = t;
  if (h == nullptr || h->count == 0)
    return;
  it->h = h;

  // The bucket array the range walks (the table may grow under it).
  it->B = h->B;
  it->buckets = h->buckets;

  // A random start: bucket from the low bits, slot offset from the next three.
  uintptr_t r = uintptr_t(fastrand());
  if (h->B > 31 - bucketCntBits)
    r += uintptr_t(fastrand()) << 31;
  it->startBucket = r & bucketMask(h->B);
  it->offset = uint8_t(r >> h->B & (bucketCnt - 1));

  it->bucket = it->startBucket;

  // Mark the map as ranged over (evacuate must then keep NaN keys findable); other
  // ranges may set the flags at the same time, hence the atomic or.
  uint8_t old = __atomic_load_n(&h->flags, __ATOMIC_RELAXED);
  if ((old & (iterator | oldIterator)) != (iterator | oldIterator))
    __atomic_fetch_or(&h->flags, uint8_t(iterator | oldIterator), __ATOMIC_RELAXED);

  mapiternext(it);
}

void mapiternext(hiter *it) {
  hmap *h = it->h;
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map iteration and map write");
  const maptype *t = it->t;
  uintptr_t bucket = it->bucket;
  bmap *b = it->bptr;
  uintptr_t i = it->i;
  uintptr_t checkBucket = it->checkBucket;

next:
  if (b == nullptr) {
    if (bucket == it->startBucket && it->wrapped) {
      // back at the start: done
      it->key = nullptr;
      it->elem = nullptr;
      return;
    }
    if (growing(h) && it->B == h->B) {
      // The range began during this grow, which has not finished: while the old bucket
      // feeding this new one is not evacuated, walk the old one instead, keeping only the
      // entries bound for this bucket.
      uintptr_t oldbucket = bucket & oldbucketmask(h);
      b = static_cast<bmap *>(bucketAt(h->oldbuckets, oldbucket, t));
      if (!evacuated(b)) {
        checkBucket = bucket;
      } else {
        b = static_cast<bmap *>(bucketAt(it->buckets, bucket, t));
        checkBucket = noCheck;
      }
    } else {
      b = static_cast<bmap *>(bucketAt(it->buckets, bucket, t));
      checkBucket = noCheck;
    }
    bucket++;
    if (bucket == bucketShift(it->B)) {
      bucket = 0;
      it->wrapped = true;
    }
    i = 0;
  }
  for (; i < bucketCnt; i++) {
    uintptr_t offi = (i + it->offset) & (bucketCnt - 1);
    if (isEmpty(b->tophash[offi]) || b->tophash[offi] == evacuatedEmpty)
      // (emptyRest cannot end the scan: it starts mid-bucket at offset.)
      continue;
    void *k = keyAt(b, t, offi);
    if (t->indirectkey())
      k = deref(k);
    void *e = elemAt(b, t, offi);
    if (checkBucket != noCheck && !isSameSizeGrow(h)) {
      // Walking an old bucket for a doubling grow: half its entries belong to the other
      // new bucket, to be returned there.
      if (t->reflexivekey() || t->keyequal(k, k)) {
        uintptr_t hash = t->hasher(k, uintptr_t(h->hash0));
        if ((hash & bucketMask(it->B)) != checkBucket)
          continue;
      } else {
        // A NaN hashes differently each time; evacuate sends it by its tophash's low bit,
        // so that bit says which new bucket it belongs to.
        if ((checkBucket >> (it->B - 1)) != uintptr_t(b->tophash[offi] & 1))
          continue;
      }
    }
    if ((b->tophash[offi] != evacuatedX && b->tophash[offi] != evacuatedY) ||
        !(t->reflexivekey() || t->keyequal(k, k))) {
      // The entry has not moved, so this slot is current; or the key is a NaN, which can
      // be neither found nor changed, so this slot is as good as any.
      it->key = k;
      if (t->indirectelem())
        e = deref(e);
      it->elem = e;
    } else {
      // The entry was evacuated after the range began: the current table has its elem
      // (perhaps updated) and its key (perhaps -0 where this one is +0), or nothing if it
      // was deleted since.
      void *rk, *re;
      mapaccessK(t, h, k, &rk, &re);
      if (rk == nullptr)
        continue; // deleted
      it->key = rk;
      it->elem = re;
    }
    it->bucket = bucket;
    it->bptr = b;
    it->i = uint8_t(i + 1);
    it->checkBucket = checkBucket;
    return;
  }
  b = overflow(b, t);
  i = 0;
  goto next;
}

void hashGrow(const maptype *t, hmap *h) {
  // Over the load factor: double. Otherwise the grow is for too many overflow buckets:
  // rebuild at the same size, which packs the entries again.
  uint8_t bigger = 1;
  if (!overLoadFactor(h->count + 1, h->B)) {
    bigger = 0;
    h->flags |= sameSizeGrow;
  }
  void *oldbuckets = h->buckets;
  bmap *nextOverflow;
  void *newbuckets = makeBucketArray(t, uint8_t(h->B + bigger), &nextOverflow);

  uint8_t flags = h->flags & uint8_t(~(iterator | oldIterator));
  if ((h->flags & iterator) != 0)
    flags |= oldIterator;
  // Ranges already under way now read the old array.
  h->B += bigger;
  h->flags = flags;
  h->oldbuckets = oldbuckets;
  h->buckets = newbuckets;
  h->nevacuate = 0;
  h->noverflow = 0;

  if (nextOverflow != nullptr) {
    if (h->extra == nullptr)
      h->extra = static_cast<mapextra *>(newobject(sizeof(mapextra)));
    h->extra->nextOverflow = nextOverflow;
  }
  // growWork moves the entries over, a bucket or two per assignment or deletion.
}

void growWork(const maptype *t, hmap *h, uintptr_t bucket) {
  // The old bucket feeding the one about to be used, then one more for progress.
  evacuate(t, h, bucket & oldbucketmask(h));
  if (growing(h))
    evacuate(t, h, h->nevacuate);
}

} // namespace runtime
