// The command-line arguments as Go strings, and the GOTRACEBACK setting (Go:
// runtime/runtime1.go).

#include "atomic.h"
#include "stubs.h"

namespace runtime {

slice<stringStruct> argslice;

// goargs makes argslice, the arguments argv holds, once at start-up (schedinit, on g0).
void goargs() {
  argslice.array = static_cast<stringStruct *>(makeslice(sizeof(stringStruct), argc, argc));
  argslice.len = argslice.cap = argc;
  for (int32_t i = 0; i < argc; i++)
    argslice.array[i] = gostringnocopy(argv[i]);
}

// Keep a cached value to make gotraceback fast, since we call it on every call to showframe
// in a traceback: the level in the bits above tracebackShift, then the all and crash bits.
namespace {
constexpr uint32_t tracebackCrash = 1 << 0;
constexpr uint32_t tracebackAll = 1 << 1;
constexpr uint32_t tracebackShift = 2;
uint32_t traceback_cache = 2 << tracebackShift;
uint32_t traceback_env;

bool streq(stringStruct s, const char *t) {
  int64_t n = 0;
  while (t[n] != 0)
    n++;
  if (s.len != n)
    return false;
  for (int64_t i = 0; i < n; i++)
    if (s.str[i] != static_cast<uint8_t>(t[i]))
      return false;
  return true;
}
} // namespace

// gotraceback returns the current traceback settings: level 0 prints no goroutines, 1
// prints their user frames, 2 adds runtime frames; all says every goroutine is printed, crash
// that the program then crashes instead of exiting. Runtime throws always print at level 2.
void gotraceback(int32_t *level, bool *all, bool *crash) {
  g *_g_ = getg();
  uint32_t t = atomic::Load(&traceback_cache);
  *crash = (t & tracebackCrash) != 0;
  *all = _g_->m->throwing >= throwTypeUser || (t & tracebackAll) != 0;
  if (_g_->m->throwing >= throwTypeRuntime) {
    // Always include runtime frames in runtime throws.
    *level = 2;
  } else {
    *level = static_cast<int32_t>(t >> tracebackShift);
  }
}

// setTraceback sets the traceback settings from a GOTRACEBACK value: none, single (or empty),
// all, system, crash, or a number, which is the level with all goroutines.
void setTraceback(stringStruct level) {
  uint32_t t;
  if (streq(level, "none")) {
    t = 0;
  } else if (streq(level, "single") || level.len == 0) {
    t = 1 << tracebackShift;
  } else if (streq(level, "all")) {
    t = 1 << tracebackShift | tracebackAll;
  } else if (streq(level, "system")) {
    t = 2 << tracebackShift | tracebackAll;
  } else if (streq(level, "crash")) {
    t = 2 << tracebackShift | tracebackAll | tracebackCrash;
  } else {
    t = tracebackAll;
    int32_t n;
    if (atoi32(level, &n) && n >= 0)
      t |= static_cast<uint32_t>(n) << tracebackShift;
  }
  t |= traceback_env;
  atomic::Store(&traceback_cache, t);
}

// settracebackenv reads GOTRACEBACK once at start-up (Go does it in parsedebugvars); the
// environment's setting stays the least a later setTraceback gives.
void settracebackenv() {
  setTraceback(gogetenv("GOTRACEBACK"));
  traceback_env = traceback_cache;
}

} // namespace runtime
