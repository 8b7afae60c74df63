// The scheduler's event trace: TOYTRACE=file.json (trace.cpp).
//
// Go's runtime/trace.go emits its events from the scheduler (traceGoCreate, traceGoStart,
// traceGoPark, traceGoUnpark, traceProcStart, traceProcStop, traceGomaxprocs, ...); toy calls
// the hooks below from the same places, plus the M states of docs/runtime.md's diagram and the
// scheduler's policy decisions (steals, the 61-tick pull, runqputslow, handoffp, startm).
//
// Each hook is inline and costs one predictable branch on trace.enabled when TOYTRACE is unset.
// When it is set, traceEvent appends a 40-byte record to the calling M's buffer without a
// lock; a full buffer is formatted as Chrome trace-event JSON and written by its own M, and
// traceShutdown writes every buffer at exit.
// Differs from Go: Go's trace is a binary format read by `go tool trace`; toy writes JSON that
// Perfetto and chrome://tracing open, and `toyc trace check` and `toyc trace view` read.
#ifndef TOY_RUNTIME_TRACE_H
#define TOY_RUNTIME_TRACE_H

#include "runtime2.h"

namespace runtime {

// The event kinds of a record.
enum traceEv : uint8_t {
  traceEvMState,      // a = the M's new state (traceMState...)
  traceEvProcStart,   // a = P id: the M acquired it (acquirep)
  traceEvProcStop,    // a = P id: the M released it (releasep)
  traceEvGoCreate,    // a = goid, c = start pc
  traceEvGoStatus,    // a = goid, b = from | to << 8 | reason << 16, c = start pc
  traceEvNewM,        // a = new M id; b = 1 if the template thread made it (set by traceEvent)
  traceEvSteal,       // a = victim P id, b = number of Gs taken
  traceEvFairness,    // a = goid taken by findRunnable's 61-schedtick check
  traceEvRunqPutSlow, // a = number of Gs moved to the global queue
  traceEvHandoffP,    // a = P id
  traceEvWakep,       // wakep is starting a spinning M
  traceEvStartM,      // a = P id, b = spinning, c = id of the M woken, -1 for a new one
  traceEvPreempt,     // a = P id, b = goid: sysmon asked the G to stop (retake)
  traceEvProcResize,  // a = old GOMAXPROCS, b = new
  traceEvSTWStart,    // stopTheWorldWithSema begins
  traceEvSTWDone,     // startTheWorldWithSema is done
  traceEvCount,
};

// M states (docs/runtime.md, "M states"), plus the Ms outside the diagram.
enum traceMStateKind : uint8_t {
  traceMSpinning,   // holds a P, looks for work (m.spinning)
  traceMExecuting,  // holds a P, runs a G or the scheduler
  traceMIdle,       // giving up or without a P, before sleeping
  traceMTimerSleep, // no P, sleeps until the next timer (timerSleep)
  traceMParked,     // no P, on sched.midle (stopm) or wedged
  traceMLocked,     // no P, parked until its locked G is runnable (stoplockedm)
  traceMExit,       // the thread exits (mexit)
  traceMSysmon,     // sysmon: runs without a P
  traceMTemplate,   // the template thread: runs without a P
  traceMStateCount,
};

struct traceState {
  bool enabled; // TOYTRACE is set and the trace is not shut down
};
extern traceState trace;

// traceinit opens TOYTRACE if set (schedinit); a path that cannot be created ends the program
// with exit status 2.
void traceinit();
// traceShutdown writes every M's buffered events and closes the file. The first caller does
// it; called by runtime.main before exit, os.Exit, and the fatal error and panic paths.
void traceShutdown();

void traceEvent(traceEv ev, int64_t a, int64_t b, int64_t c);

// The hooks. Each is a branch on trace.enabled around traceEvent.
#define TRACE_HOOK(...)                                                                        \
  if (__builtin_expect(trace.enabled, false))                                                  \
  traceEvent(__VA_ARGS__)

inline void traceMState(traceMStateKind s) { TRACE_HOOK(traceEvMState, s, 0, 0); }
// traceMResume: the M has a P again and looks for work, spinning or not.
inline void traceMResume(m *mp) {
  TRACE_HOOK(traceEvMState, mp->spinning ? traceMSpinning : traceMExecuting, 0, 0);
}
inline void traceProcStart(p *pp) { TRACE_HOOK(traceEvProcStart, pp->id, 0, 0); }
inline void traceProcStop(p *pp) { TRACE_HOOK(traceEvProcStop, pp->id, 0, 0); }
inline void traceGoCreate(g *gp) {
  TRACE_HOOK(traceEvGoCreate, gp->goid, 0, int64_t(gp->startpc));
}
// traceGoStatus records casgstatus's transitions (Go: traceGoStart, traceGoPark,
// traceGoUnpark, traceGoSched, traceGoEnd). Dead→runnable is traceGoCreate's, once the G
// has its goid.
inline void traceGoStatus(g *gp, uint32_t from, uint32_t to) {
  TRACE_HOOK(traceEvGoStatus, gp->goid, int64_t(from | to << 8 | uint32_t(gp->waitreason) << 16),
             int64_t(gp->startpc));
}
inline void traceNewM(m *mp) { TRACE_HOOK(traceEvNewM, mp->id, 0, 0); }
inline void traceSteal(p *victim, uint32_t n) { TRACE_HOOK(traceEvSteal, victim->id, n, 0); }
inline void traceFairness(g *gp) { TRACE_HOOK(traceEvFairness, gp->goid, 0, 0); }
inline void traceRunqPutSlow(uint32_t n) { TRACE_HOOK(traceEvRunqPutSlow, n, 0, 0); }
inline void traceHandoffP(p *pp) { TRACE_HOOK(traceEvHandoffP, pp->id, 0, 0); }
inline void traceWakep() { TRACE_HOOK(traceEvWakep, 0, 0, 0); }
inline void traceStartM(p *pp, bool spinning, m *woken) {
  TRACE_HOOK(traceEvStartM, pp == nullptr ? -1 : pp->id, spinning,
             woken == nullptr ? -1 : woken->id);
}
inline void tracePreempt(p *pp, g *gp) {
  TRACE_HOOK(traceEvPreempt, pp->id, gp == nullptr ? 0 : gp->goid, 0);
}
inline void traceProcResize(int32_t old, int32_t procs) {
  TRACE_HOOK(traceEvProcResize, old, procs, 0);
}
inline void traceSTWStart() { TRACE_HOOK(traceEvSTWStart, 0, 0, 0); }
inline void traceSTWDone() { TRACE_HOOK(traceEvSTWDone, 0, 0, 0); }

#undef TRACE_HOOK

} // namespace runtime

#endif
