// Fatal errors, panics and their recovery (Go: runtime/panic.go, runtime/error.go).
//
// throw is for runtime-internal failures, fatal for failures the user's code caused (a
// deadlock); both print "fatal error: <msg>" and exit 2 after printing the goroutine(s).
// A panic runs the goroutine's deferred calls (deferproc/deferreturn are here too); one that
// calls recover directly stops it, and its deferring function returns normally. Otherwise the
// runtime prints "panic: <value>" for each active panic and the panicking goroutine's frames
// (traceback.cpp), and exits 2.
//
// Differs from Go: a run-time error's value is its text rather than a runtime.Error.

#include "atomic.h"
#include "iface.h"
#include "stubs.h"
#include "trace.h"

namespace runtime {

uint32_t panicking; // non-zero while crashing the program for an unrecovered panic
[[noreturn]] static void gopanic1(_panic p);

namespace {
// The fault panicmem reports (Go: defs_linux_amd64.go).
constexpr uint32_t _SIGSEGV = 0xb;
constexpr uintptr_t _SEGV_MAPERR = 0x1;


// paniclk is held while printing the panic information and stack trace, so that two
// concurrent panics don't overlap their output.
mutex paniclk;
mutex deadlock;
bool didothers;

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
      tracebackcaller(gp);
    } else if (level >= 2 || _g_->m->throwing >= throwTypeRuntime) {
      print("\nruntime stack:\n");
      tracebackcaller(gp);
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
// Differs from Go: runs on the current stack, in the room every stack keeps below its
// split-stack limit (_StackSplitRoom; printing every goroutine measured 1.3 KiB of it), not
// on the system stack: the C++ runtime's frames never grow a stack.
[[noreturn]] void fatalthrow(throwType t) {
  g *gp = getg();
  if (gp->m->throwing == throwTypeNone)
    gp->m->throwing = t;
  startpanic_m();
  bool docrash = dopanic_m(gp);
  simreport();
  traceShutdown(); // best effort: the other Ms keep running
  if (docrash)
    crash();
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
  print("panic: ");
  if (p->isValue)
    printpanicval(p->argtype, p->argdata);
  else
    print(p->msg);
  if (p->recovered)
    print(" [recovered]");
  print("\n");
}

[[noreturn]] void fatalpanic(_panic *msgs) {
  g *gp = getg();
  if (startpanic_m())
    printpanics(msgs);
  bool docrash = dopanic_m(gp);
  simreport();
  traceShutdown();
  if (docrash)
    crash();
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
  boundsConvert,    // (*[x]T)(s), 0 <= x <= len(s) failed
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
    "cannot convert slice with length %y to pointer to array with length %x",
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
  _panic p{stringStruct{buf.b, buf.n}, nullptr, nullptr, false, nullptr, false, false, false, 0};
  p.bounds = true;
  p.boundsCode = code;
  p.boundsSigned = isSigned;
  p.boundsX = x;
  p.boundsY = y;
  gopanic1(p);
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

// The code of the wrappers that only forward a call (the compiler's markWrapper); weak, as a
// program may have none.
extern "C" const uint8_t __start_toy_wrappers[] __attribute__((weak));
extern "C" const uint8_t __stop_toy_wrappers[] __attribute__((weak));

static bool inWrapper(uintptr_t pc) {
  return pc >= reinterpret_cast<uintptr_t>(__start_toy_wrappers) &&
         pc < reinterpret_cast<uintptr_t>(__stop_toy_wrappers);
}

// callerFrame steps from the frame record at fp ({caller's frame pointer, return address}) to
// its caller's: through __morestack's record too, when the function ran on a new stack
// segment (its return address is then morestackresumepc, and the record at the segment's
// top holds the caller's pair; asm_amd64.S).
static void callerFrame(uintptr_t *fp, uintptr_t *pc) {
  auto *frame = reinterpret_cast<const uintptr_t *>(*fp);
  *fp = frame[0];
  *pc = frame[1];
  if (*pc == morestackresumepc && *fp != 0) {
    auto *record = reinterpret_cast<const uintptr_t *>(*fp);
    *fp = record[0];
    *pc = record[1];
  }
}

// calledByDeferredCall reports whether the function whose frame pointer is fp was called by
// the deferred call p is running: past wrapper frames, its caller is a deferred call's
// wrapper (deferwrap) called by the runtime function running p's deferred calls, p->argp.
// Either of them may have run on a stack segment of its own (callerFrame).
static bool calledByDeferredCall(_panic *p, uintptr_t fp) {
  uintptr_t caller = fp, pc = 0;
  callerFrame(&caller, &pc);
  while (caller != 0 && inWrapper(pc))
    callerFrame(&caller, &pc);
  if (caller == 0)
    return false;
  callerFrame(&caller, &pc);
  return caller == p->argp;
}

// recoveredError makes the runtime.Error value of a run-time panic (stdlib/runtime/error.toy).
// Weak: a program built against a stdlib without package runtime has none, and a unit test
// linking the runtime alone has no toy code at all.
extern "C" eface recoveredError(int64_t kind, stringStruct msg, int64_t x, int64_t y,
                                int64_t signedCode) __asm__("runtime.recoveredError")
    __attribute__((weak));

namespace {
// The kinds recoveredError takes (error.toy's recovered... constants).
enum : int64_t { recoveredPlain, recoveredErrorString, recoveredBounds, recoveredTypeAssertion };

bool hasPrefix(stringStruct s, const char *prefix, int64_t n) {
  return s.len >= n && memequal(s.str, prefix, uintptr_t(n));
}
} // namespace

// gorecover is recover() (Go: panic.go gorecover). fp is the frame pointer of the function
// that calls it: the panic is recovered only if a deferred call run by it called that function
// directly, which Go checks with the deferred call's argument pointer. The panic's value is
// returned; a run-time error's is the runtime.Error recoveredError makes from its text: a
// runtime.boundsError, a *runtime.TypeAssertionError ("interface conversion: ..."), a
// runtime.errorString ("runtime error: ..."), or else a runtime.plainError, as Go's.
// stringType (the compiler's type.string) serves when there is no recoveredError: the text
// is then recovered as a string.
// Differs from Go: LockOSThread's "nesting overflow" panic, a string in Go, is a plainError.
extern "C" eface gorecover(uintptr_t fp, _type *stringType) GOSYM("gorecover");
eface gorecover(uintptr_t fp, _type *stringType) {
  g *gp = getg();
  _panic *p = gp->_panic;
  if (p == nullptr || p->goexit || p->recovered || !calledByDeferredCall(p, fp))
    return eface{nullptr, nullptr};
  p->recovered = true;
  if (p->isValue)
    return eface{p->argtype, p->argdata};
  if (&recoveredError != nullptr) {
    constexpr char rtprefix[] = "runtime error: ";
    constexpr char iconvprefix[] = "interface conversion: ";
    if (p->bounds)
      return recoveredError(recoveredBounds, p->msg, p->boundsX, p->boundsY,
                            p->boundsCode | (p->boundsSigned ? 256 : 0));
    if (hasPrefix(p->msg, rtprefix, sizeof rtprefix - 1)) {
      int64_t n = sizeof rtprefix - 1;
      return recoveredError(recoveredErrorString, stringStruct{p->msg.str + n, p->msg.len - n},
                            0, 0, 0);
    }
    if (hasPrefix(p->msg, iconvprefix, sizeof iconvprefix - 1))
      return recoveredError(recoveredTypeAssertion, p->msg, 0, 0, 0);
    return recoveredError(recoveredPlain, p->msg, 0, 0, 0);
  }
  stringStruct *s = gonew<stringStruct>();
  *s = p->msg;
  return eface{stringType, s};
}

// recovery resumes the function that deferred d, whose deferred call recovered a panic: its
// deferproc call returns 1, and it runs its remaining deferred calls and returns normally
// (Go: panic.go recovery). The frames of the panic below it are discarded, and with them the
// stack segments they ran on (stackUnwind).
[[noreturn]] static void recovery(_defer *d) {
  stackUnwind(getg(), d->ctx.sp);
  recoverygogo(&d->ctx);
}

// gopanic1 is the shared tail of every panic: the checks at the top of Go's gopanic, then the
// deferred calls (ending in recovery if one recovers), then preprintpanics and fatalpanic.
[[noreturn]] static void gopanic1(_panic p) {
  stringStruct msg = p.msg;
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
  // drop the call. A deferred call that recovered resumes its deferring function.
  p.link = gp->_panic;
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
    p.argp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    d->fn(d->arg);
    p.argp = 0;
    // Deferred call did not panic. Remove d.
    if (gp->_defer != d)
      throw_("bad defer entry in panic");
    d->_panic = nullptr;
    gp->_defer = d->link;
    if (p.recovered) {
      gp->_panic = p.link;
      if (gp->_panic != nullptr && gp->_panic->goexit && gp->_panic->aborted)
        // Differs from Go: Go resumes Goexit's loop here (the recovered panic started in
        // one of its deferred calls); toy cannot yet.
        throw_("recovery of a panic in a call deferred by Goexit");
      // Aborted panics are marked but remain on the g.panic list. Remove them from the list.
      while (gp->_panic != nullptr && gp->_panic->aborted)
        gp->_panic = gp->_panic->link;
      if (gp->_panic == nullptr) // must be done with signal
        gp->sig = 0;
      recovery(d);
    }
  }
  if (gp->preprinting)
    preprintPanicked(&p);
  preprintpanics(&p);
  fatalpanic(&p);
}

[[noreturn]] void panicmsg(stringStruct msg) { gopanic1(_panic{msg, nullptr, nullptr, false, nullptr, false, false, false, 0}); }

// gopanic is panic(v) (Go: panic.go gopanic), v an interface{} passed as its two words.
extern "C" [[noreturn]] void gopanic(_type *t, void *data) GOSYM("gopanic");
void gopanic(_type *t, void *data) { gopanic1(_panic{{}, t, data, true, nullptr, false, false, false, 0}); }

// Goexit terminates the goroutine that calls it, after running all its deferred calls, as
// a panic would but without one (Go: panic.go Goexit). From the main goroutine, the program
// goes on with the others; when none is left, checkdead reports it.
extern "C" void Goexit() GOSYM("Goexit");
void Goexit() {
  g *gp = getg();
  _panic p{};
  p.link = gp->_panic;
  p.goexit = true;
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

// deferproc1 records a deferred call of the frame sp, and ctx, where that frame resumes if
// a panic is recovered; runtime.deferproc (asm_amd64.S) saves ctx and calls it (Go: panic.go
// deferproc).
extern "C" void deferproc1(void *sp, void (*fn)(void *), void *arg, const deferctx *ctx)
    GOSYM("deferproc1");
void deferproc1(void *sp, void (*fn)(void *), void *arg, const deferctx *ctx) {
  g *gp = getg();
  if (gp->m->curg != gp)
    throw_("defer on system stack");
  _defer *d = gonew<_defer>();
  d->sp = reinterpret_cast<uintptr_t>(sp);
  d->fn = fn;
  d->arg = arg;
  d->ctx = *ctx;
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

// panicSliceConvert: (*[x]T)(s) of a slice s with len(s) = y < x. x is an array length,
// never negative (Go has no negative format for it).
extern "C" [[noreturn]] void panicSliceConvert(int64_t x, int64_t y) GOSYM("panicSliceConvert");
void panicSliceConvert(int64_t x, int64_t y) { panicBounds(boundsConvert, x, true, y); }

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

// gopanicstring is the panic of a value method called through a nil pointer.
// Differs from Go: gc's wrappers call panicwrap, which builds the same text from the caller's
// name; toy's wrappers pass the text.
extern "C" [[noreturn]] void gopanicstring(const uint8_t *s, int64_t n) GOSYM("gopanicstring");
void gopanicstring(const uint8_t *s, int64_t n) { panicmsg(stringStruct{s, n}); }



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
