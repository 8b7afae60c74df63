// The scheduler's event trace: TOYTRACE=file (trace.cpp).
//
// Go's runtime/trace.go emits its events from the scheduler (traceGoCreate, traceGoStart,
// traceGoPark, traceGoUnpark, traceProcStart, traceProcStop, traceGomaxprocs, ...); toy calls
// the hooks below from the same places, plus the M states of docs/runtime.md's diagram and the
// scheduler's policy decisions (steals, the 61-tick pull, runqputslow, handoffp, startm).
//
// Each hook is inline and costs one predictable branch on trace.enabled when TOYTRACE is unset.
// When it is set, traceEvent appends an encoded record (tracefmt.h) to the calling M's buffer
// without a lock. A full buffer is written by its own M: as it is, one write per buffer, into
// a binary trace, or formatted as Chrome trace-event JSON when the file's name ends in .json;
// traceShutdown writes every buffer at exit.
// Differs from Go: Go's binary trace is read by `go tool trace`; toy's (tracefmt.h) is read
// by `toyc trace check`, `toyc trace view` and `toyc trace json`, which turns it into the JSON
// that Perfetto and chrome://tracing open.
#ifndef TOY_RUNTIME_TRACE_H
#define TOY_RUNTIME_TRACE_H

#include "runtime2.h"
#include "tracefmt.h"

namespace runtime {

struct traceState {
  bool enabled; // TOYTRACE is set and the trace is not shut down
};
extern traceState trace;

// traceinit opens TOYTRACE if set (schedinit); a path that cannot be created ends the program
// with exit status 2. A name ending in .json gets JSON, any other the binary trace.
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
// traceGoUnpark, traceGoSched, traceGoEnd). traceEvent drops idle→dead and dead→runnable:
// a new G's is traceGoCreate, once the G has its goid.
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
