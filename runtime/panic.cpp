// Fatal errors and unrecovered panics (Go: runtime/panic.go, runtime/error.go).
//
// throw is for runtime-internal failures, fatal for failures the user's code caused (a
// deadlock); both print "fatal error: <msg>" and exit 2 after printing the goroutine(s).
// A run-time panic runs the goroutine's deferred calls (deferproc/deferreturn are here too),
// then prints "panic: <value>" for each active panic and the panicking goroutine, and exits 2.
//
// Differs from Go: no recover yet, so a panic is always fatal, and its value is the printed
// text (no interfaces yet); tracebacks print the goroutine header line without frames
// (traceback.cpp).

#include "atomic.h"
#include "stubs.h"

namespace runtime {

uint32_t panicking; // non-zero while crashing the program for an unrecovered panic

namespace {
// The fault panicmem reports (Go: defs_linux_amd64.go).
constexpr uint32_t _SIGSEGV = 0xb;
constexpr uintptr_t _SEGV_MAPERR = 0x1;

enum throwType : int32_t { throwTypeNone = 0, throwTypeUser = 1, throwTypeRuntime = 2 };

// paniclk is held while printing the panic information and stack trace, so that two
// concurrent panics don't overlap their output.
mutex paniclk;
mutex deadlock;
bool didothers;

// gotraceback returns the current traceback settings (Go: runtime1.go): level 1 prints
// goroutine headers and user frames, 2 adds runtime frames; all prints every goroutine.
// Differs from Go: GOTRACEBACK is not read yet; its default is "single" (level 1, not all).
void gotraceback(int32_t *level, bool *all, bool *crash) {
  g *_g_ = getg();
  constexpr int32_t tracebackDefault = 1;
  *crash = false;
  *all = _g_->m->throwing >= throwTypeUser;
  if (_g_->m->throwing >= throwTypeRuntime) {
    // Always include runtime frames in runtime throws.
    *level = 2;
  } else {
    *level = tracebackDefault;
  }
}

// startpanic_m prepares for an unrecoverable panic. It returns true if panic messages should
// be printed, or false if the runtime is in bad shape and should just print stacks.
bool startpanic_m() {
  g *gp = getg();
  // Disallow malloc during an unrecoverable panic.
  gp->m->mallocing++;
  // If we're dying because of a bad lock count, set it to a good lock count so we don't
  // recursively panic below.
  if (gp->m->locks < 0)
    gp->m->locks = 1;

  switch (gp->m->dying) {
  case 0:
    gp->m->dying = 1;
    atomic::Xadd(&panicking, 1);
    lock(&paniclk);
    // Differs from Go: no freezetheworld, so the other Ms keep running until exit; their
    // prints can interleave with this report between print statements (printlock).
    return true;
  case 1:
    // Something failed while panicking. Just print a stack trace and exit.
    gp->m->dying = 2;
    print("panic during panic\n");
    return false;
  case 2:
    // This is a genuine bug in the runtime, we couldn't even print the stack trace.
    gp->m->dying = 3;
    print("stack trace unavailable\n");
    exit(4);
  default:
    // Can't even print! Just exit.
    exit(5);
  }
}

// dopanic_m prints the fault, if a fault caused the panic, and the goroutine(s) after the
// panic or throw message.
bool dopanic_m(g *gp) {
  if (gp->sig != 0) {
    if (const char *name = signame(gp->sig); name != nullptr)
      print("[signal ", name);
    else
      print("[signal ", hex{gp->sig});
    print(" code=", hex{gp->sigcode0}, " addr=", hex{gp->sigcode1}, " pc=", hex{gp->sigpc},
          "]\n");
  }
  int32_t level;
  bool all, docrash;
  gotraceback(&level, &all, &docrash);
  g *_g_ = getg();
  if (level > 0) {
    if (gp != gp->m->curg)
      all = true;
    if (gp != gp->m->g0) {
      print("\n");
      goroutineheader(gp);
    } else if (level >= 2 || _g_->m->throwing >= throwTypeRuntime) {
      print("\nruntime stack:\n");
    }
    if (!didothers && all) {
      didothers = true;
      tracebackothers(gp);
    }
  }
  unlock(&paniclk);

  if (atomic::Xadd(&panicking, -1) != 0) {
    // Some other m is panicking too. Let it print what it needs to print. Wait forever
    // without chewing up cpu. It will exit when it's done.
    lock(&deadlock);
    lock(&deadlock);
  }
  return docrash;
}

// fatalthrow implements an unrecoverable runtime throw: it prints the goroutine(s) and exits.
// Differs from Go: runs on the current stack; toy's stacks do not grow, so there is no need
// to switch to the system stack first.
[[noreturn]] void fatalthrow(throwType t) {
  g *gp = getg();
  if (gp->m->throwing == throwTypeNone)
    gp->m->throwing = t;
  startpanic_m();
  dopanic_m(gp);
  exit(2);
}

// fatalpanic implements an unrecoverable panic: prints the panics, then the goroutine.
// printpanics prints the panics of gp, oldest first (Go's printpanics).
static void printpanics(_panic *p) {
  if (p->link) {
    printpanics(p->link);
    if (!p->link->goexit)
      print("\t");
  }
  if (p->goexit)
    return;
  print("panic: ", p->arg, "\n");
}

[[noreturn]] void fatalpanic(_panic *msgs) {
  g *gp = getg();
  if (startpanic_m())
    printpanics(msgs);
  dopanic_m(gp);
  exit(2);
}

// boundsError formatting (Go: error.go): the y value is the length or capacity.
enum boundsErrorCode : uint8_t {
  boundsIndex,      // s[x], 0 <= x < len(s) failed
  boundsSliceAlen,  // s[?:x], 0 <= x <= len(s) failed
  boundsSliceAcap,  // s[?:x], 0 <= x <= cap(s) failed
  boundsSliceB,     // s[x:y], 0 <= x <= y failed (but boundsSliceA didn't happen)
  boundsSlice3Alen, // s[?:?:x], 0 <= x <= len(s) failed
  boundsSlice3Acap, // s[?:?:x], 0 <= x <= cap(s) failed
  boundsSlice3B,    // s[?:x:y], 0 <= x <= y failed (but boundsSlice3A didn't happen)
  boundsSlice3C,    // s[x:y:?], 0 <= x <= y failed (but boundsSlice3A/B didn't happen)
};

const char *const boundsErrorFmts[] = {
    "index out of range [%x] with length %y",
    "slice bounds out of range [:%x] with length %y",
    "slice bounds out of range [:%x] with capacity %y",
    "slice bounds out of range [%x:%y]",
    "slice bounds out of range [::%x] with length %y",
    "slice bounds out of range [::%x] with capacity %y",
    "slice bounds out of range [:%x:%y]",
    "slice bounds out of range [%x:%y:]",
};

// boundsNegErrorFmts are overriding formats if x is negative. In this case there's no need to
// report y.
const char *const boundsNegErrorFmts[] = {
    "index out of range [%x]",          "slice bounds out of range [:%x]",
    "slice bounds out of range [:%x]",  "slice bounds out of range [%x:]",
    "slice bounds out of range [::%x]", "slice bounds out of range [::%x]",
    "slice bounds out of range [:%x:]", "slice bounds out of range [%x::]",
};

// A small fixed buffer for building a message without allocating.
struct msgbuf {
  uint8_t b[128];
  int64_t n;
  void str(const char *s) {
    while (*s != 0 && n < int64_t(sizeof b))
      b[n++] = static_cast<uint8_t>(*s++);
  }
  void uint(uint64_t v) {
    uint8_t t[20];
    int i = 0;
    do {
      t[i++] = static_cast<uint8_t>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    while (i > 0 && n < int64_t(sizeof b))
      b[n++] = t[--i];
  }
  void int_(int64_t v, bool isSigned) {
    if (isSigned && v < 0) {
      str("-");
      uint(0 - static_cast<uint64_t>(v));
    } else {
      uint(static_cast<uint64_t>(v));
    }
  }
};

[[noreturn]] void panicBounds(boundsErrorCode code, int64_t x, bool isSigned, int64_t y) {
  msgbuf buf{};
  buf.str("runtime error: ");
  const char *fmt = boundsErrorFmts[code];
  if (isSigned && x < 0)
    fmt = boundsNegErrorFmts[code];
  for (; *fmt != 0; fmt++) {
    if (fmt[0] == '%' && (fmt[1] == 'x' || fmt[1] == 'y')) {
      if (fmt[1] == 'x')
        buf.int_(x, isSigned);
      else
        buf.int_(y, true);
      fmt++;
      continue;
    }
    char c[2] = {*fmt, 0};
    buf.str(c);
  }
  panicmsg(stringStruct{buf.b, buf.n});
}
} // namespace

// throw triggers a fatal error that dumps a stack trace and exits. It is for runtime-internal
// failures, where the runtime itself, rather than user code, may be at fault.
void gothrow(const uint8_t *s, int64_t n) {
  print("fatal error: ", stringStruct{s, n}, "\n");
  fatalthrow(throwTypeRuntime);
}

// fatal is throw for failures user code is expected to be at fault for (deadlock).
void gofatal(const uint8_t *s, int64_t n) {
  print("fatal error: ", stringStruct{s, n}, "\n");
  fatalthrow(throwTypeUser);
}

void throw_(const char *s) {
  auto *p = reinterpret_cast<const uint8_t *>(s);
  gothrow(p, findnull(p));
}

void fatal_(const char *s) {
  auto *p = reinterpret_cast<const uint8_t *>(s);
  gofatal(p, findnull(p));
}

// panicmsg is the shared tail of every run-time panic: the checks at the top of Go's gopanic,
// then the deferred calls (none can recover yet), then fatalpanic.
[[noreturn]] void panicmsg(stringStruct msg) {
  g *gp = getg();
  if (gp->m->curg != gp) {
    print("panic: ", msg, "\n");
    throw_("panic on system stack");
  }
  if (gp->m->mallocing != 0) {
    print("panic: ", msg, "\n");
    throw_("panic during malloc");
  }
  if (gp->m->preemptoff != nullptr) {
    print("panic: ", msg, "\n");
    print("preempt off reason: ", gp->m->preemptoff, "\n");
    throw_("panic during preemptoff");
  }
  if (gp->m->locks != 0) {
    print("panic: ", msg, "\n");
    throw_("panic holding locks");
  }
  // gopanic's loop: run the goroutine's deferred calls, newest first. A deferred call that
  // was already started (by deferreturn or an earlier panic) panicked: abort that panic and
  // drop the call. Nothing can recover yet, so the goroutine then dies with every panic.
  _panic p{msg, gp->_panic, false, false};
  gp->_panic = &p;
  while (_defer *d = gp->_defer) {
    if (d->started) {
      if (d->_panic)
        d->_panic->aborted = true;
      d->_panic = nullptr;
      gp->_defer = d->link;
      continue;
    }
    d->started = true;
    d->_panic = &p;
    d->fn(d->arg);
    if (gp->_defer != d)
      throw_("bad defer entry in panic");
    gp->_defer = d->link;
  }
  fatalpanic(&p);
}

// Goexit terminates the goroutine that calls it, after running all its deferred calls, as
// a panic would but without one (Go: panic.go Goexit). From the main goroutine, the program
// goes on with the others; when none is left, checkdead reports it.
extern "C" void Goexit() GOSYM("Goexit");
void Goexit() {
  g *gp = getg();
  _panic p{{}, gp->_panic, false, true};
  gp->_panic = &p;
  while (_defer *d = gp->_defer) {
    if (d->started) {
      if (d->_panic)
        d->_panic->aborted = true;
      d->_panic = nullptr;
      gp->_defer = d->link;
      continue;
    }
    d->started = true;
    d->_panic = &p;
    d->fn(d->arg);
    if (gp->_defer != d)
      throw_("bad defer entry in Goexit");
    d->_panic = nullptr;
    gp->_defer = d->link;
  }
  goexit1();
}

// deferproc records a deferred call of the frame sp (Go: panic.go deferproc).
extern "C" void deferproc(void *sp, void (*fn)(void *), void *arg) GOSYM("deferproc");
void deferproc(void *sp, void (*fn)(void *), void *arg) {
  g *gp = getg();
  if (gp->m->curg != gp)
    throw_("defer on system stack");
  _defer *d = gonew<_defer>();
  d->sp = reinterpret_cast<uintptr_t>(sp);
  d->fn = fn;
  d->arg = arg;
  d->link = gp->_defer;
  gp->_defer = d;
}

// deferreturn runs the deferred calls of the frame sp as it returns, newest first (Go:
// panic.go deferreturn). Differs from Go: the records are never freed (no GC).
extern "C" void deferreturn(void *sp) GOSYM("deferreturn");
void deferreturn(void *sp) {
  g *gp = getg();
  while (_defer *d = gp->_defer) {
    if (d->sp != reinterpret_cast<uintptr_t>(sp))
      return;
    d->started = true;
    d->fn(d->arg);
    gp->_defer = d->link;
  }
}

void panicmsg(const char *msg) {
  auto *p = reinterpret_cast<const uint8_t *>(msg);
  panicmsg(stringStruct{p, findnull(p)});
}

// Run-time error panics the compiler calls (Go: panic.go's panicdivide, panicIndex, ...).
void panicdivide() { panicmsg("runtime error: integer divide by zero"); }
void panicoverflow() { panicmsg("runtime error: integer overflow"); }
void panicfloat() { panicmsg("runtime error: floating point error"); }
bool startpanic() { return startpanic_m(); } // for sighandler (signal_linux.cpp)

extern "C" [[noreturn]] void panicmem() GOSYM("panicmem");
// panicmem is the nil dereference panic (Go: panic.go's panicmem, reached there from a
// SIGSEGV). toy's compiler checks a pointer before dereferencing it and a func value before
// calling it.
// Differs from Go: gc lets the access fault and sigpanic records the signal; toy's explicit
// check records what that fault would have reported (SIGSEGV, SEGV_MAPERR, address 0) with
// the pc of the check's call, so the report reads as gc's.
void panicmem() {
  g *gp = getg();
  if (gp->sig != 0) // sigpanic's call, with the fault recorded
    panicmsg("runtime error: invalid memory address or nil pointer dereference");
  gp->sig = _SIGSEGV;
  gp->sigcode0 = _SEGV_MAPERR;
  gp->sigcode1 = 0;
  gp->sigpc = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  panicmsg("runtime error: invalid memory address or nil pointer dereference");
}

extern "C" [[noreturn]] void panicIndex(int64_t x, int64_t y) GOSYM("panicIndex");
extern "C" [[noreturn]] void panicSliceAlen(int64_t x, int64_t y) GOSYM("panicSliceAlen");
extern "C" [[noreturn]] void panicSliceAcap(int64_t x, int64_t y) GOSYM("panicSliceAcap");
extern "C" [[noreturn]] void panicSliceB(int64_t x, int64_t y) GOSYM("panicSliceB");
extern "C" [[noreturn]] void panicSlice3Alen(int64_t x, int64_t y) GOSYM("panicSlice3Alen");
extern "C" [[noreturn]] void panicSlice3Acap(int64_t x, int64_t y) GOSYM("panicSlice3Acap");
extern "C" [[noreturn]] void panicSlice3B(int64_t x, int64_t y) GOSYM("panicSlice3B");
extern "C" [[noreturn]] void panicSlice3C(int64_t x, int64_t y) GOSYM("panicSlice3C");
extern "C" [[noreturn]] void panicSlice3AlenU(int64_t x, int64_t y) GOSYM("panicSlice3AlenU");
extern "C" [[noreturn]] void panicSlice3AcapU(int64_t x, int64_t y) GOSYM("panicSlice3AcapU");
extern "C" [[noreturn]] void panicSlice3BU(int64_t x, int64_t y) GOSYM("panicSlice3BU");
extern "C" [[noreturn]] void panicSlice3CU(int64_t x, int64_t y) GOSYM("panicSlice3CU");
void panicSlice3Alen(int64_t x, int64_t y) { panicBounds(boundsSlice3Alen, x, true, y); }
void panicSlice3Acap(int64_t x, int64_t y) { panicBounds(boundsSlice3Acap, x, true, y); }
void panicSlice3B(int64_t x, int64_t y) { panicBounds(boundsSlice3B, x, true, y); }
void panicSlice3C(int64_t x, int64_t y) { panicBounds(boundsSlice3C, x, true, y); }
void panicSlice3AlenU(int64_t x, int64_t y) { panicBounds(boundsSlice3Alen, x, false, y); }
void panicSlice3AcapU(int64_t x, int64_t y) { panicBounds(boundsSlice3Acap, x, false, y); }
void panicSlice3BU(int64_t x, int64_t y) { panicBounds(boundsSlice3B, x, false, y); }
void panicSlice3CU(int64_t x, int64_t y) { panicBounds(boundsSlice3C, x, false, y); }

// The U variants take an unsigned index, printed as unsigned.
extern "C" [[noreturn]] void panicIndexU(int64_t x, int64_t y) GOSYM("panicIndexU");
extern "C" [[noreturn]] void panicSliceAlenU(int64_t x, int64_t y) GOSYM("panicSliceAlenU");
extern "C" [[noreturn]] void panicSliceAcapU(int64_t x, int64_t y) GOSYM("panicSliceAcapU");
extern "C" [[noreturn]] void panicSliceBU(int64_t x, int64_t y) GOSYM("panicSliceBU");
void panicIndex(int64_t x, int64_t y) { panicBounds(boundsIndex, x, true, y); }
void panicIndexU(int64_t x, int64_t y) { panicBounds(boundsIndex, x, false, y); }
void panicSliceAlenU(int64_t x, int64_t y) { panicBounds(boundsSliceAlen, x, false, y); }
void panicSliceAcapU(int64_t x, int64_t y) { panicBounds(boundsSliceAcap, x, false, y); }
void panicSliceBU(int64_t x, int64_t y) { panicBounds(boundsSliceB, x, false, y); }
void panicSliceAlen(int64_t x, int64_t y) { panicBounds(boundsSliceAlen, x, true, y); }
void panicSliceAcap(int64_t x, int64_t y) { panicBounds(boundsSliceAcap, x, true, y); }
void panicSliceB(int64_t x, int64_t y) { panicBounds(boundsSliceB, x, true, y); }

// gopanicstring is panic(s) for a string s: Go prints a string panic value as is.
// Differs from Go: stands in for gopanic(any) until toy has interfaces.
extern "C" [[noreturn]] void gopanicstring(const uint8_t *s, int64_t n) GOSYM("gopanicstring");
void gopanicstring(const uint8_t *s, int64_t n) { panicmsg(stringStruct{s, n}); }

// gopanicint, gopanicbool and gopanicfloat are panic(v) for integer, boolean and float v (a
// float32 passed as its float64 value), printed as Go prints them.
// Differs from Go: stand in for gopanic(any) until toy has interfaces.
extern "C" [[noreturn]] void gopanicint(int64_t v) GOSYM("gopanicint");
extern "C" [[noreturn]] void gopanicbool(bool v) GOSYM("gopanicbool");
extern "C" [[noreturn]] void gopanicfloat(double v) GOSYM("gopanicfloat");
void gopanicint(int64_t v) {
  msgbuf buf{};
  buf.int_(v, true);
  panicmsg(stringStruct{buf.b, buf.n});
}
void gopanicbool(bool v) { panicmsg(v ? "true" : "false"); }
void gopanicfloat(double v) {
  uint8_t out[kFloatLen]; // lives on: panicmsg does not return
  panicmsg(stringStruct{out, formatfloat(v, out)});
}

// panicshift is called for a shift by a negative count (Go: panic.go's panicshift).
extern "C" [[noreturn]] void panicshift() GOSYM("panicshift");
void panicshift() { panicmsg("runtime error: negative shift amount"); }

// Called from assembly when its contract is broken.
extern "C" [[noreturn]] void badmcall() GOSYM("badmcall");
extern "C" [[noreturn]] void badmcall2() GOSYM("badmcall2");
extern "C" [[noreturn]] void badsystemstack() GOSYM("badsystemstack");
void badmcall() { throw_("runtime: mcall called on m->g0 stack"); }
void badmcall2() { throw_("runtime: mcall function returned"); }
void badsystemstack() { throw_("systemstack called from unexpected goroutine"); }

} // namespace runtime
