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
  // Experiments suggest that 1024 is overkill by at least an order of magnitude.
  // Put it in there as a safeguard anyway, to ensure O(1) behavior.
  uintptr_t stop = h->nevacuate + 1024;
  if (stop > newbit)
    stop = newbit;
  while (h->nevacuate != stop && bucketEvacuated(t, h, h->nevacuate))
    h->nevacuate++;
  if (h->nevacuate == newbit) { // newbit == # of oldbuckets
    // Growing is all done. Free old main bucket array.
    // Differs from Go: nothing frees it (no GC); an iterator may still be reading it.
    h->oldbuckets = nullptr;
    h->flags &= uint8_t(~sameSizeGrow);
  }
}

// evacDst is an evacuation destination.
struct evacDst {
  bmap *b;     // current destination bucket
  uintptr_t i; // key/elem index into b
  void *k;     // pointer to current key storage
  void *e;     // pointer to current elem storage
};

void evacuate(const maptype *t, hmap *h, uintptr_t oldbucket) {
  auto *b = static_cast<bmap *>(bucketAt(h->oldbuckets, oldbucket, t));
  uintptr_t newbit = noldbuckets(h);
  if (!evacuated(b)) {
    // xy contains the x and y (low and high) evacuation destinations.
    evacDst xy[2] = {};
    evacDst *x = &xy[0];
    x->b = static_cast<bmap *>(bucketAt(h->buckets, oldbucket, t));
    x->k = add(x->b, dataOffset);
    x->e = add(x->k, bucketCnt * uintptr_t(t->keysize));
    if (!isSameSizeGrow(h)) {
      // Only calculate y pointers if we're growing bigger; otherwise GC can see bad pointers.
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
          // Compute hash to make our evacuation decision (whether we need to send this
          // key/elem to bucket x or bucket y).
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
        b->tophash[i] = evacuatedX + useY; // evacuatedX + 1 == evacuatedY
        evacDst *dst = &xy[useY];          // evacuation destination
        if (dst->i == bucketCnt) {
          dst->b = newoverflow(h, t, dst->b);
          dst->i = 0;
          dst->k = add(dst->b, dataOffset);
          dst->e = add(dst->k, bucketCnt * uintptr_t(t->keysize));
        }
        dst->b->tophash[dst->i & (bucketCnt - 1)] = top; // mask dst.i as an optimization
        if (t->indirectkey())
          *static_cast<void **>(dst->k) = k2; // copy pointer
        else
          typedmemmove(dst->k, k, t->keysize); // copy key
        if (t->indirectelem())
          *static_cast<void **>(dst->e) = deref(e);
        else
          typedmemmove(dst->e, e, t->elemsize);
        dst->i++;
        // These updates might push these pointers past the end of the key or elem arrays.
        // That's ok, as we have the overflow pointer at the end of the bucket to protect
        // against pointing past the end of the bucket.
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
      // There used to be half as many buckets; mask down one more power of two.
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
    // We have preallocated overflow buckets available.
    ovf = h->extra->nextOverflow;
    if (overflow(ovf, t) == nullptr) {
      // We're not at the end of the preallocated overflow buckets. Bump the pointer.
      h->extra->nextOverflow = static_cast<bmap *>(add(ovf, t->bucketsize));
    } else {
      // This is the last preallocated overflow bucket. Reset the overflow pointer on this
      // bucket, which was set to a non-nil sentinel value.
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

// makemap_small implements Go map creation for make(map[k]v) and make(map[k]v, hint) when
// hint is known to be at most bucketCnt at compile time.
hmap *makemap_small() {
  auto *h = static_cast<hmap *>(newobject(sizeof(hmap)));
  h->hash0 = fastrand();
  return h;
}

// makemap implements Go map creation for make(map[k]v, hint). If h != nil, the map can be
// created directly in h.
hmap *makemap(const maptype *t, int64_t hint, hmap *h) {
  // A hint too large for the memory it asks for (or negative) is no hint.
  __uint128_t mem = static_cast<__uint128_t>(uint64_t(hint)) * t->bucketsize;
  if (hint < 0 || mem > (__uint128_t(1) << 47))
    hint = 0;
  // initialize Hmap
  if (h == nullptr)
    h = static_cast<hmap *>(newobject(sizeof(hmap)));
  h->hash0 = fastrand();
  // Find the size parameter B which will hold the requested # of elements.
  // For hint < 0 overLoadFactor returns false since hint < bucketCnt.
  uint8_t B = 0;
  while (overLoadFactor(hint, B))
    B++;
  h->B = B;
  // allocate initial hash table
  // if B == 0, the buckets field is allocated lazily later (in mapassign)
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

// mapaccess1 returns a pointer to h[key]. Never returns nil, instead it will return a
// reference to the zero object for the elem type if the key is not in the map.
// NOTE: The returned pointer may keep the whole map live, so don't hold onto it for very long.
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
  if (h == nullptr || h->count == 0)
    return {z, false};
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

// mapassign is like mapaccess, but allocates a slot for the key if it is not present in the
// map; the caller stores the elem through the pointer it returns.
void *mapassign(const maptype *t, hmap *h, const void *key) {
  if (h == nullptr)
    panicmsg("assignment to entry in nil map");
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");
  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));

  // Set hashWriting after calling t.hasher, since t.hasher may panic, in which case we have
  // not actually done a write.
  h->flags ^= hashWriting;

  if (h->buckets == nullptr)
    h->buckets = newobject(t->bucketsize); // newarray(t.bucket, 1)

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
      // already have a mapping for key. Update it.
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
  // Did not find mapping for key. Allocate new cell & add entry.

  // If we hit the max load factor or we have too many overflow buckets, and we're not
  // already in the middle of growing, start growing.
  if (!growing(h) &&
      (overLoadFactor(h->count + 1, h->B) || tooManyOverflowBuckets(h->noverflow, h->B))) {
    hashGrow(t, h);
    goto again; // Growing the table invalidates everything, so try again
  }

  if (inserti == nullptr) {
    // The current bucket and all the overflow buckets connected to it are full, allocate a
    // new one.
    bmap *newb = newoverflow(h, t, b);
    inserti = &newb->tophash[0];
    insertk = keyAt(newb, t, 0);
    elem = elemAt(newb, t, 0);
  }

  // store new key/elem at insert position
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
  // If the bucket now ends in a bunch of emptyOne states, change those to emptyRest states.
  // It would be nice to make this a separate function, but for loops are not currently
  // inlineable.
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
        break; // beginning of initial bucket, we're done.
      // Find previous bucket, continue at its last entry.
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
  // Reset the hash seed to make it more difficult for attackers to repeatedly trigger hash
  // collisions.
  if (h->count == 0)
    h->hash0 = fastrand();
}

void mapdelete(const maptype *t, hmap *h, const void *key) {
  if (h == nullptr || h->count == 0)
    return;
  if ((h->flags & hashWriting) != 0)
    fatal_("concurrent map writes");

  uintptr_t hash = t->hasher(key, uintptr_t(h->hash0));

  // Set hashWriting after calling t.hasher, since t.hasher may panic, in which case we have
  // not actually done a write (delete).
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

// mapiterinit initializes the hiter struct used for ranging over maps. The hiter struct
// pointed to by 'it' is allocated on the stack by the compiler's order pass or on the heap
// by reflect_mapiterinit. Both need to have zeroed hiter since the struct contains pointers.
void mapiterinit(const maptype *t, hmap *h, hiter *it) {
  it->t = t;
  if (h == nullptr || h->count == 0)
    return;
  it->h = h;

  // grab snapshot of bucket state
  it->B = h->B;
  it->buckets = h->buckets;

  // decide where to start
  uintptr_t r = uintptr_t(fastrand());
  if (h->B > 31 - bucketCntBits)
    r += uintptr_t(fastrand()) << 31;
  it->startBucket = r & bucketMask(h->B);
  it->offset = uint8_t(r >> h->B & (bucketCnt - 1));

  // iterator state
  it->bucket = it->startBucket;

  // Remember we have an iterator. Can run concurrently with another mapiterinit().
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
      // end of iteration
      it->key = nullptr;
      it->elem = nullptr;
      return;
    }
    if (growing(h) && it->B == h->B) {
      // Iterator was started in the middle of a grow, and the grow isn't done yet. If the
      // bucket we're looking at hasn't been filled in yet (i.e. the old bucket hasn't been
      // evacuated) then we need to iterate through the old bucket and only return the ones
      // that will be migrated to this bucket.
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
      // TODO: emptyRest is hard to use here, as we start iterating in the middle of a
      // bucket. It's feasible, just tricky.
      continue;
    void *k = keyAt(b, t, offi);
    if (t->indirectkey())
      k = deref(k);
    void *e = elemAt(b, t, offi);
    if (checkBucket != noCheck && !isSameSizeGrow(h)) {
      // Special case: iterator was started during a grow to a larger size and the grow is
      // not done yet. We're working on a bucket whose oldbucket has not been evacuated yet.
      // So we're iterating through the oldbucket, skipping any keys that will go to the
      // other new bucket (each oldbucket expands to two buckets during a grow).
      if (t->reflexivekey() || t->keyequal(k, k)) {
        // If the item in the oldbucket is not destined for the current new bucket in the
        // iteration, skip it.
        uintptr_t hash = t->hasher(k, uintptr_t(h->hash0));
        if ((hash & bucketMask(it->B)) != checkBucket)
          continue;
      } else {
        // Hash isn't repeatable if k != k (NaNs). We need a repeatable and randomish choice
        // of which direction to send NaNs during evacuation. We'll use the low bit of tophash
        // to decide which way NaNs go.
        if ((checkBucket >> (it->B - 1)) != uintptr_t(b->tophash[offi] & 1))
          continue;
      }
    }
    if ((b->tophash[offi] != evacuatedX && b->tophash[offi] != evacuatedY) ||
        !(t->reflexivekey() || t->keyequal(k, k))) {
      // This is the golden data, we can return it. OR key!=key, so the entry can't be
      // deleted or updated, so we can just return it. That's lucky for us because when
      // key!=key we can't look it up successfully.
      it->key = k;
      if (t->indirectelem())
        e = deref(e);
      it->elem = e;
    } else {
      // The hash table has grown since the iterator was started. The golden data for this
      // key is now somewhere else. Check the current hash table for the data. This code
      // handles the case where the key has been deleted, updated, or deleted and
      // reinserted. NOTE: we need to regrab the key as it has potentially been updated to
      // an equal() but not identical key (e.g. +0.0 vs -0.0).
      void *rk, *re;
      mapaccessK(t, h, k, &rk, &re);
      if (rk == nullptr)
        continue; // key has been deleted
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
  // If we've hit the load factor, get bigger. Otherwise, there are too many overflow
  // buckets, so keep the same number of buckets and "grow" laterally.
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
  // commit the grow (atomic wrt gc)
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
  // the actual copying of the hash table data is done incrementally by growWork() and
  // evacuate().
}

void growWork(const maptype *t, hmap *h, uintptr_t bucket) {
  // make sure we evacuate the oldbucket corresponding to the bucket we're about to use
  evacuate(t, h, bucket & oldbucketmask(h));
  // evacuate one more oldbucket to make progress on growing
  if (growing(h))
    evacuate(t, h, h->nevacuate);
}

} // namespace runtime
