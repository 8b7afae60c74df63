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
  int64_t one = 1;
  chansend1(static_cast<hchan *>(arg), &one); // c <- 1
  goparkunlock(&sweep.lock, waitReasonGCSweepWait);
  throw_("bgsweep: woken without a garbage collector");
}

// bgscavenge is the background scavenger goroutine (scavenger.init, then scavenger.park).
void bgscavenge(void *arg) {
  scavenger.g = getg();
  int64_t one = 1;
  chansend1(static_cast<hchan *>(arg), &one); // c <- 1
  lock(&scavenger.lock);
  scavenger.parked = true;
  goparkunlock(&scavenger.lock, waitReasonGCScavengeWait);
  throw_("bgscavenge: woken without a garbage collector");
}

// gcenable is called after the runtime initialization is complete, just before we start
// running any user code (Go: mgc.go).
void gcenable() {
  // Kick off sweeping and scavenging.
  hchan *c = makechan(sizeof(int64_t), 2) /* make(chan int, 2) */;
  newproc(bgsweep, c);
  newproc(bgscavenge, c);
  chanrecv1(c, nullptr);
  chanrecv1(c, nullptr);
}

} // namespace runtime
