// The garbage collector's background goroutines (Go: mgc.go gcenable, mgcsweep.go bgsweep,
// mgcscavenge.go bgscavenge).
//
// Differs from Go: toy has no garbage collector. The goroutines are still started by
// runtime.main exactly as Go starts them, and do Go's first steps (signal gcenable, park),
// because they shape the scheduler's state at main.main: they take goroutine ids 2-4, and
// running them advances the P's schedtick, so a program's run order at GOMAXPROCS=1 (which
// the 61-schedtick check depends on) is Go's. Nothing wakes them afterwards.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

namespace {
// Go's gcenable hands each goroutine a buffered channel, c := make(chan int, 2), and
// receives from it twice. Differs from Go: toy's runtime has no channels yet; this is the
// same handoff (a receiver waiting is readied directly, as chansend does, else the value is
// buffered).
struct gcenableChan {
  mutex lock;
  int32_t buffered;
  g *recvq;
};

void chansend1(gcenableChan *c) {
  lock(&c->lock);
  if (g *gp = c->recvq; gp != nullptr) {
    c->recvq = nullptr;
    unlock(&c->lock);
    goready(gp);
    return;
  }
  c->buffered++;
  unlock(&c->lock);
}

void chanrecv1(gcenableChan *c) {
  lock(&c->lock);
  if (c->buffered > 0) {
    c->buffered--;
    unlock(&c->lock);
    return;
  }
  c->recvq = getg();
  goparkunlock(&c->lock, waitReasonChanReceive);
}

struct {
  mutex lock;
  g *g;
  bool parked;
} sweep;

struct {
  mutex lock;
  g *g;
  bool parked;
} scavenger;
} // namespace

// bgsweep is the background sweeper goroutine.
void bgsweep(void *arg) {
  sweep.g = getg();
  lock(&sweep.lock);
  sweep.parked = true;
  chansend1(static_cast<gcenableChan *>(arg));
  goparkunlock(&sweep.lock, waitReasonGCSweepWait);
  throw_("bgsweep: woken without a garbage collector");
}

// bgscavenge is the background scavenger goroutine (scavenger.init, then scavenger.park).
void bgscavenge(void *arg) {
  scavenger.g = getg();
  chansend1(static_cast<gcenableChan *>(arg));
  lock(&scavenger.lock);
  scavenger.parked = true;
  goparkunlock(&scavenger.lock, waitReasonGCScavengeWait);
  throw_("bgscavenge: woken without a garbage collector");
}

// gcenable is called after the runtime initialization is complete, just before we start
// running any user code (Go: mgc.go).
void gcenable() {
  // Kick off sweeping and scavenging.
  gcenableChan c{};
  newproc(bgsweep, &c);
  newproc(bgscavenge, &c);
  chanrecv1(&c);
  chanrecv1(&c);
}

} // namespace runtime
