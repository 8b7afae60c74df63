// select (Go: runtime/select.go).
//
// The compiler lowers a select statement as gc's walk/select.go does: no cases become
// block(); one case without default the plain channel operation; one case with default
// selectnbsend or selectnbrecv; anything else an array of scases (sends first, then receives)
// passed to selectgo, which picks a ready case in a random poll order, or parks the goroutine
// on every channel until one of them completes a case.

#include "chan.h"
#include "stubs.h"

namespace runtime {

// Select case descriptor. Known to compiler. Changes here must also be made in the compiler
// (IRGenChan.cpp).
struct scase {
  hchan *c;   // chan
  void *elem; // data element
};

// selectgo's results: the chosen case's index, and for a receive whether it got a value.
// Differs from Go: the compiler reads them as {i64, i8} from rax:rdx.
struct selectResult {
  int64_t casi;
  bool recvOK;
};

extern "C" void block() GOSYM("block");
extern "C" selectResult selectgo(scase *cas0, uint16_t *order0, int64_t nsends, int64_t nrecvs,
                                 bool block) GOSYM("selectgo");
extern "C" bool selectnbsend(hchan *c, const void *elem) GOSYM("selectnbsend");
extern "C" recvResult selectnbrecv(void *elem, hchan *c) GOSYM("selectnbrecv");

namespace {
void sellock(scase *scases, const uint16_t *lockorder, int32_t n) {
  hchan *c = nullptr;
  for (int32_t i = 0; i < n; i++) {
    hchan *c0 = scases[lockorder[i]].c;
    if (c0 != c) {
      c = c0;
      lock(&c->lock);
    }
  }
}

void selunlock(scase *scases, const uint16_t *lockorder, int32_t n) {
  // We must be very careful here to not touch sel after we have unlocked the last lock,
  // because sel can be freed right after the last unlock. Consider the following situation.
  // First M calls runtime·park() in runtime·selectgo() passing the sel. Once runtime·park()
  // has unlocked the last lock, another M makes the G that calls select runnable again and
  // schedules it for execution. When the G runs on another M, it locks all the locks and
  // frees sel. Now if the first M touches sel, it will access freed memory.
  for (int32_t i = n - 1; i >= 0; i--) {
    hchan *c = scases[lockorder[i]].c;
    if (i > 0 && c == scases[lockorder[i - 1]].c)
      continue; // will unlock it on the next iteration
    unlock(&c->lock);
  }
}

// The unlockf of send and recv called from selectgo.
struct selLocks {
  scase *scases;
  const uint16_t *lockorder;
  int32_t n;
};
void selunlockf(void *arg) {
  auto *l = static_cast<selLocks *>(arg);
  selunlock(l->scases, l->lockorder, l->n);
}

bool selparkcommit(g *gp, void *) {
  // This must not access gp's stack (see gopark). In particular, it must not access the
  // *hselect. That's okay, because by the time this is called, gp.waiting has all channels
  // in lock order.
  hchan *lastc = nullptr;
  for (sudog *sg = gp->waiting; sg != nullptr; sg = sg->waitlink) {
    // The caller's locks are one per channel: unlock each channel once, as selunlock does.
    if (sg->c != lastc && lastc != nullptr)
      unlock(&lastc->lock);
    lastc = sg->c;
  }
  if (lastc != nullptr)
    unlock(&lastc->lock);
  return true;
}

// sortkey orders channels for locking: by address, as Go's hchan.sortkey.
uintptr_t sortkey(hchan *c) { return reinterpret_cast<uintptr_t>(c); }
} // namespace

// block is select {}: park forever.
void block() {
  gopark(nullptr, nullptr, waitReasonSelectNoCases); // forever
  throw_("unreachable");
}

// selectgo implements the select statement.
//
// cas0 points to an array of type [ncases]scase, and order0 points to an array of type
// [2*ncases]uint16 where ncases must be <= 65536. Both reside on the goroutine's stack
// (regardless of any escaping in selectgo).
//
// The first nsends cases are sends, the next nrecvs receives. selectgo returns the index of
// the chosen scase, which matches the ordinal position of its respective select{recv,send,
// default} call. Also, if the chosen scase was a receive operation, it reports whether a
// value was received. With block false and no case ready it returns -1.
// Differs from Go: no pc0 argument (the race detector's case pcs).
selectResult selectgo(scase *cas0, uint16_t *order0, int64_t nsends, int64_t nrecvs,
                      bool block) {
  int32_t ncases = int32_t(nsends + nrecvs);
  scase *scases = cas0;
  uint16_t *pollorder = order0;
  uint16_t *lockorder = order0 + ncases;

  // generate permuted order
  int32_t norder = 0;
  for (int32_t i = 0; i < ncases; i++) {
    scase *cas = &scases[i];
    // Omit cases without channels from the poll and lock orders.
    if (cas->c == nullptr) {
      cas->elem = nullptr; // allow GC
      continue;
    }
    uint32_t j = fastrandn(uint32_t(norder + 1));
    pollorder[norder] = pollorder[j];
    pollorder[j] = uint16_t(i);
    norder++;
  }

  // sort the cases by Hchan address to get the locking order. simple heap sort, to guarantee
  // n log n time and constant stack footprint.
  for (int32_t i = 0; i < norder; i++) {
    int32_t j = i;
    // Start with the pollorder to permute cases on the same channel.
    hchan *c = scases[pollorder[i]].c;
    while (j > 0 && sortkey(scases[lockorder[(j - 1) / 2]].c) < sortkey(c)) {
      int32_t k = (j - 1) / 2;
      lockorder[j] = lockorder[k];
      j = k;
    }
    lockorder[j] = pollorder[i];
  }
  for (int32_t i = norder - 1; i >= 0; i--) {
    uint16_t o = lockorder[i];
    hchan *c = scases[o].c;
    lockorder[i] = lockorder[0];
    int32_t j = 0;
    for (;;) {
      int32_t k = j * 2 + 1;
      if (k >= i)
        break;
      if (k + 1 < i && sortkey(scases[lockorder[k]].c) < sortkey(scases[lockorder[k + 1]].c))
        k++;
      if (sortkey(c) < sortkey(scases[lockorder[k]].c)) {
        lockorder[j] = lockorder[k];
        j = k;
        continue;
      }
      break;
    }
    lockorder[j] = o;
  }
  for (int32_t i = 0; i + 1 < norder; i++)
    if (sortkey(scases[lockorder[i]].c) > sortkey(scases[lockorder[i + 1]].c)) {
      print("i=", i, " x=", unsigned(lockorder[i]), " y=", unsigned(lockorder[i + 1]), "\n");
      throw_("select: broken sort");
    }

  // lock all the channels involved in the select
  sellock(scases, lockorder, norder);
  selLocks locks{scases, lockorder, norder};

  g *gp;
  sudog *sg;
  hchan *c;
  sudog *sglist;
  sudog **nextp;
  int32_t casi = -1;
  scase *cas = nullptr;
  bool caseSuccess;
  bool recvOK = false;

  // pass 1 - look for something already waiting
  for (int32_t i = 0; i < norder; i++) {
    casi = pollorder[i];
    cas = &scases[casi];
    c = cas->c;

    if (casi >= nsends) {
      sg = dequeue(&c->sendq);
      if (sg != nullptr)
        goto recv;
      if (c->qcount > 0)
        goto bufrecv;
      if (c->closed != 0)
        goto rclose;
    } else {
      if (c->closed != 0)
        goto sclose;
      sg = dequeue(&c->recvq);
      if (sg != nullptr)
        goto send;
      if (c->qcount < c->dataqsiz)
        goto bufsend;
    }
  }

  if (!block) {
    selunlock(scases, lockorder, norder);
    return {-1, false};
  }

  // pass 2 - enqueue on all chans
  gp = getg();
  if (gp->waiting != nullptr)
    throw_("gp.waiting != nil");
  nextp = &gp->waiting;
  for (int32_t i = 0; i < norder; i++) {
    casi = lockorder[i];
    cas = &scases[casi];
    c = cas->c;
    sudog *s = acquireSudog();
    s->g = gp;
    s->isSelect = true;
    s->elem = cas->elem;
    s->c = c;
    // Construct waiting list in lock order.
    *nextp = s;
    nextp = &s->waitlink;

    if (casi < nsends)
      enqueue(&c->sendq, s);
    else
      enqueue(&c->recvq, s);
  }

  // wait for someone to wake us up
  gp->param = nullptr;
  gopark(selparkcommit, nullptr, waitReasonSelect);

  sellock(scases, lockorder, norder);

  gp->selectDone = 0;
  sg = static_cast<sudog *>(gp->param);
  gp->param = nullptr;

  // pass 3 - dequeue from unsuccessful chans otherwise they stack up on quiet channels
  // record the successful case, if any. We singly-linked up the SudoGs in lock order.
  casi = -1;
  cas = nullptr;
  caseSuccess = false;
  sglist = gp->waiting;
  // Clear all elem before unlinking from gp.waiting.
  for (sudog *sg1 = gp->waiting; sg1 != nullptr; sg1 = sg1->waitlink) {
    sg1->isSelect = false;
    sg1->elem = nullptr;
    sg1->c = nullptr;
  }
  gp->waiting = nullptr;

  for (int32_t i = 0; i < norder; i++) {
    uint16_t casei = lockorder[i];
    scase *k = &scases[casei];
    if (sg == sglist) {
      // sg has already been dequeued by the G that woke us up.
      casi = casei;
      cas = k;
      caseSuccess = sglist->success;
    } else {
      c = k->c;
      if (casei < nsends)
        dequeueSudoG(&c->sendq, sglist);
      else
        dequeueSudoG(&c->recvq, sglist);
    }
    sudog *sgnext = sglist->waitlink;
    sglist->waitlink = nullptr;
    releaseSudog(sglist);
    sglist = sgnext;
  }

  if (cas == nullptr)
    throw_("selectgo: bad wakeup");

  c = cas->c;

  if (casi < nsends) {
    if (!caseSuccess)
      goto sclose;
  } else {
    recvOK = caseSuccess;
  }

  selunlock(scases, lockorder, norder);
  return {casi, recvOK};

bufrecv:
  // can receive from buffer
  buftake(c, cas->elem);
  selunlock(scases, lockorder, norder);
  return {casi, true};

bufsend:
  // can send to buffer
  bufput(c, cas->elem);
  selunlock(scases, lockorder, norder);
  return {casi, false};

recv:
  // can receive from sleeping sender (sg)
  runtime::recv(c, sg, cas->elem, selunlockf, &locks);
  return {casi, true};

rclose:
  // read at end of closed channel
  selunlock(scases, lockorder, norder);
  if (cas->elem != nullptr)
    memset(cas->elem, 0, c->elemsize);
  return {casi, false};

send:
  // can send to a sleeping receiver (sg)
  runtime::send(c, sg, cas->elem, selunlockf, &locks);
  return {casi, false};

sclose:
  // send on closed channel
  selunlock(scases, lockorder, norder);
  panicmsg("send on closed channel");
}

// compiler implements
//
//	select {
//	case c <- v:
//		... foo
//	default:
//		... bar
//	}
//
// as
//
//	if selectnbsend(c, v) {
//		... foo
//	} else {
//		... bar
//	}
bool selectnbsend(hchan *c, const void *elem) { return chansend(c, elem, false); }

// compiler implements
//
//	select {
//	case v, ok = <-c:
//		... foo
//	default:
//		... bar
//	}
//
// as
//
//	if selected, ok = selectnbrecv(&v, c); selected {
//		... foo
//	} else {
//		... bar
//	}
// Differs from Go: the two bools come back packed in ax (al selected, ah received), which the
// compiler reads as an i16.
recvResult selectnbrecv(void *elem, hchan *c) { return chanrecv(c, elem, false); }

} // namespace runtime
