// Goroutine headers and tracebacks (Go: runtime/traceback.go, waitReason strings from
// runtime/runtime2.go).
//
// Differs from Go: no frames yet. Go prints each frame from the pc/sp tables; toy will walk
// frame pointers. For now a goroutine prints as its header line only.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

static const char *const waitReasonStrings[] = {
    "",                        // waitReasonZero
    "GC assist marking",       // waitReasonGCAssistMarking
    "IO wait",                 // waitReasonIOWait
    "chan receive (nil chan)", // waitReasonChanReceiveNilChan
    "chan send (nil chan)",    // waitReasonChanSendNilChan
    "dumping heap",            // waitReasonDumpingHeap
    "garbage collection",      // waitReasonGarbageCollection
    "garbage collection scan", // waitReasonGarbageCollectionScan
    "panicwait",               // waitReasonPanicWait
    "select",                  // waitReasonSelect
    "select (no cases)",       // waitReasonSelectNoCases
    "GC assist wait",          // waitReasonGCAssistWait
    "GC sweep wait",           // waitReasonGCSweepWait
    "GC scavenge wait",        // waitReasonGCScavengeWait
    "chan receive",            // waitReasonChanReceive
    "chan send",               // waitReasonChanSend
    "finalizer wait",          // waitReasonFinalizerWait
    "force gc (idle)",         // waitReasonForceGCIdle
    "semacquire",              // waitReasonSemacquire
    "sleep",                   // waitReasonSleep
    "sync.Cond.Wait",          // waitReasonSyncCondWait
    "timer goroutine (idle)",  // waitReasonTimerGoroutineIdle
    "trace reader (blocked)",  // waitReasonTraceReaderBlocked
    "wait for GC cycle",       // waitReasonWaitForGCCycle
    "GC worker (idle)",        // waitReasonGCWorkerIdle
    "preempted",               // waitReasonPreempted
    "debug call",              // waitReasonDebugCall
};
static_assert(sizeof waitReasonStrings / sizeof waitReasonStrings[0] == waitReasonCount);

const char *waitReasonString(waitReason w) {
  if (w >= waitReasonCount)
    return "unknown wait reason";
  return waitReasonStrings[w];
}

static const char *const gStatusStrings[] = {
    "idle", "runnable", "running", "syscall", "waiting", "moribund_unused", "dead",
};

void goroutineheader(g *gp) {
  uint32_t gpstatus = readgstatus(gp);

  // Basic string status
  const char *status = "???";
  if (gpstatus < sizeof gStatusStrings / sizeof gStatusStrings[0])
    status = gStatusStrings[gpstatus];

  // Override.
  if (gpstatus == _Gwaiting && gp->waitreason != waitReasonZero)
    status = waitReasonString(gp->waitreason);

  // approx time the G is blocked, in minutes
  int64_t waitfor = 0;
  if ((gpstatus == _Gwaiting || gpstatus == _Gsyscall) && gp->waitsince != 0)
    waitfor = (nanotime() - gp->waitsince) / 60000000000;
  print("goroutine ", gp->goid, " [", status);
  if (waitfor >= 1)
    print(", ", waitfor, " minutes");
  if (gp->lockedm != nullptr)
    print(", locked to thread");
  print("]:\n");
}

// isSystemGoroutine reports whether gp is one of the runtime's own goroutines (Go:
// traceback.go), which tracebacks, NumGoroutine and checkdead leave out. Go checks that the
// start function is in package runtime; toy compares with its three.
bool isSystemGoroutine(g *gp) {
  // Go: a goroutine whose start function is in package runtime, other than runtime.main.
  uintptr_t pc = gp->startpc;
  return pc == reinterpret_cast<uintptr_t>(forcegchelper) ||
         pc == reinterpret_cast<uintptr_t>(bgsweep) ||
         pc == reinterpret_cast<uintptr_t>(bgscavenge);
}

void tracebackothers(g *me) {
  // Show the current goroutine first, if we haven't already.
  g *curgp = getg()->m->curg;
  if (curgp != nullptr && curgp != me) {
    print("\n");
    goroutineheader(curgp);
  }

  // Differs from Go: reads allgs without allglock, like Go's forEachGRace; the world is
  // frozen (or there is one M).
  int64_t n = atomic::Load(&allgs.len);
  for (int64_t i = 0; i < n; i++) {
    g *gp = allgs.array[i];
    if (gp == me || gp == curgp || readgstatus(gp) == _Gdead || isSystemGoroutine(gp))
      continue;
    print("\n");
    goroutineheader(gp);
    if (gp->m != getg()->m && readgstatus(gp) == _Grunning)
      print("\tgoroutine running on other thread; stack unavailable\n");
  }
}

} // namespace runtime
