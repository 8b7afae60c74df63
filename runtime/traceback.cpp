// Goroutine headers and tracebacks (Go: runtime/traceback.go, waitReason strings from
// runtime/runtime2.go).
//
// Differs from Go: frames are found by walking frame pointers (toy code and the runtime keep
// them), not from Go's pc-to-sp tables, and named from toyc's pclntab (symtab.h). The
// runtime's own C++ and assembly functions are not in the table: they are the frames Go's
// default level hides, and at GOTRACEBACK=system and above they print with the name the
// executable's symbol table gives them (runtime.gopark(...)), the file and line its DWARF
// line table gives them (elfsym.h), and their pc.
// Argument values are not printed: a frame with arguments prints as f(...), as Go prints
// inlined frames.

#include "alg.h"
#include "atomic.h"
#include "signal_linux_amd64.h"
#include "stubs.h"
#include "symtab.h"
#include "elfsym.h"

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

// Go's limit on the frames one traceback prints.
constexpr int32_t _TracebackMaxFrames = 100;

// gentraceback's flags (Go's _TraceRuntimeFrames, _TraceTrap).
constexpr uint32_t _TraceRuntimeFrames = 1 << 0; // include runtime frames
constexpr uint32_t _TraceTrap = 1 << 1; // the initial pc is a faulting pc, not a return address

// isExportedRuntime reports whether name is an exported runtime function (runtime.Gosched):
// those are shown in tracebacks, the unexported ones are not.
static bool isExportedRuntime(const char *name) {
  const char prefix[] = "runtime.";
  for (int i = 0; prefix[i] != 0; i++)
    if (name[i] != prefix[i])
      return false;
  char c = name[sizeof prefix - 1];
  return c >= 'A' && c <= 'Z';
}

static bool hasPrefixRuntime(const char *name) {
  const char prefix[] = "runtime.";
  for (int i = 0; prefix[i] != 0; i++)
    if (name[i] != prefix[i])
      return false;
  return true;
}

// showfuncinfo reports whether a function of this name and flags should be printed (Go's
// showfuncinfo and showframe): wrappers and the runtime's unexported functions are hidden
// unless GOTRACEBACK is system or more.
static bool showfuncinfo(const char *name, uint32_t flags, uint32_t traceflags) {
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);
  if (level > 1 || (traceflags & _TraceRuntimeFrames) != 0)
    return true;
  if (name == nullptr || name[0] == 0)
    return false;
  if ((flags & funcFlagWrapper) != 0)
    return false;
  bool dotted = false;
  for (const char *p = name; *p != 0; p++)
    dotted = dotted || *p == '.';
  return dotted && (!hasPrefixRuntime(name) || isExportedRuntime(name));
}

// printframe prints one frame: its inlined calls first, innermost first, then the function
// holding the code, as gentraceback's printing part does. Returns how many lines it printed.
// afterToy says whether a frame of toy's code was walked before this one: then the frame of
// the panic running deferred calls is shown, as `panic(...)`, at every level (Go: "always
// show runtime.gopanic frame in the middle of a stack trace, so that we can see the boundary
// between ordinary code and panic-induced deferred code"). Differs from Go: toy's is
// runtime.gopanic1, called by gopanic and panicmsg; Go's test is that it is not the walk's
// first frame, which toy's walk from dopanic_m cannot use.
static int32_t printframe(funcInfo f, uintptr_t pc, uintptr_t tracepc, uintptr_t fp, uintptr_t sp,
                          g *gp, uint32_t traceflags, bool afterToy) {
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);
  bool details =
      level >= 2 || (gp->m != nullptr && gp->m->throwing >= throwTypeRuntime && gp == gp->m->curg);
  int32_t nprint = 0;
  if (!f.valid()) {
    // The runtime's own code: named from the executable's symbol table (runtime.gopark for
    // runtime::gopark), its file and line from the executable's DWARF line table (?:0
    // without one), as toyc's table does not describe it. Shown by the name's rule, as Go's
    // are: time.Sleep and sync.runtime_Semacquire are, runtime.gopark is not.
    uint64_t entry = 0;
    const char *sym = symcontaining(tracepc, &entry);
    char name[128];
    int64_t n = sym != nullptr ? symgoname(sym, name, sizeof name - 1) : 0;
    name[n] = 0;
    constexpr char panicFrame[] = "runtime.gopanic1";
    if (n == int64_t(sizeof panicFrame - 1) && memequal(name, panicFrame, uintptr_t(n))) {
      if (!afterToy && !showfuncinfo(name, 0, traceflags))
        return 0;
      n = 5; // printed as Go prints runtime.gopanic (funcNameForPrint): panic
      memmove(name, "panic", 5);
    } else if (!showfuncinfo(sym != nullptr ? name : nullptr, 0, traceflags)) {
      return 0;
    }
    if (sym != nullptr) {
      printstring(reinterpret_cast<const uint8_t *>(name), n);
      char file[256];
      int32_t line = 0;
      int64_t flen = symline(tracepc, file, sizeof file, &line);
      print("(...)\n\t");
      if (flen > 0)
        printstring(reinterpret_cast<const uint8_t *>(file), flen);
      else
        print("?");
      print(":", line, " +", hex{pc - entry});
    } else {
      print("?()\n\t?:0");
    }
    if (details)
      print(" fp=", hex{fp}, " sp=", hex{sp}, " pc=", hex{pc});
    print("\n");
    return 1;
  }
  const inlnode *n = funcnode(f, tracepc);
  for (; n != nullptr && n->parent >= 0; n = inlparent(n)) {
    const char *name = nodestring(n->name);
    if (!showfuncinfo(name, n->flags, traceflags))
      continue;
    print(name, "(...)\n\t", nodestring(n->file), ":", n->line, "\n");
    nprint++;
  }
  const char *name = funcname(f);
  if (!showfuncinfo(name, f.f->flags, traceflags))
    return nprint;
  print(name, (f.f->flags & funcFlagNoArgs) != 0 ? "()\n" : "(...)\n");
  if (n != nullptr)
    print("\t", nodestring(n->file), ":", n->line);
  else
    print("\t?:0");
  if (pc > f.entry())
    print(" +", hex{pc - f.entry()});
  if (details)
    print(" fp=", hex{fp}, " sp=", hex{sp}, " pc=", hex{pc});
  print("\n");
  return nprint + 1;
}

// gentraceback prints up to max frames of gp's stack, starting at pc in the frame whose frame
// pointer is bp (sp is that frame's stack pointer, 0 if unknown), and returns how many lines
// it printed (Go: gentraceback in its printing mode). Differs from Go: bp takes the place of
// Go's lr; each caller's pc and frame
// pointer are read from the saved pair at bp, and the walk ends at goexit, at a zero or
// non-increasing frame pointer, or at one outside gp's stack segment; a frame pointer moves to
// the segment before only through __morestack's frame record.
static int32_t gentraceback(uintptr_t pc, uintptr_t sp, uintptr_t bp, g *gp, int32_t max,
                            uint32_t traceflags, int32_t *nframes) {
  int32_t n = 0, nprint = 0;
  uintptr_t goexitpc = reinterpret_cast<uintptr_t>(goexit);
  bool waspanic = false; // the frame before this one was sigpanic's
  bool afterToy = false; // a frame of toy's code was walked
  stack stk = gp->stack;  // the stack segment bp is in
  const stackSeg *seg = gp->stackseg;
  while (n < max) {
    // Back up to the call instruction for the line, except for a faulting pc (the first of
    // a trap's traceback, or the one sigpanic's frame returns to) and for the entry of a
    // goroutine that has not run yet. The function, too, is the call's: a call to a
    // function that does not return (panicking, block) may be the last instruction of its
    // caller, so its return address is the next function's entry.
    uintptr_t tracepc = pc;
    funcInfo f = findfunc(pc);
    if (!waspanic &&
        (n > 0 || ((traceflags & _TraceTrap) == 0 && !(f.valid() && pc == f.entry())))) {
      tracepc = pc - 1;
      f = findfunc(tracepc);
    }
    waspanic = isSigpanicPC(pc);
    uintptr_t fp = bp != 0 ? bp + 16 : 0; // the caller's sp once this frame returns
    nprint += printframe(f, pc, tracepc, fp, sp, gp, traceflags, afterToy);
    afterToy = afterToy || f.valid();
    n++;
    if (pc == goexitpc + 1 || bp == 0)
      break;
    if (stk.hi != 0 && (bp < stk.lo || bp + 16 > stk.hi))
      break;
    const uintptr_t *frame = reinterpret_cast<const uintptr_t *>(bp);
    uintptr_t callerbp = frame[0];
    pc = frame[1];
    sp = fp;
    if (pc == morestackresumepc && seg != nullptr) {
      // The function ran on a new segment and returns into __morestack, whose frame record
      // at the segment's top holds its caller's pc and frame pointer, on the stack before.
      if (callerbp < stk.lo || callerbp + 16 > stk.hi)
        break;
      // The caller's sp: above its return address, next to __morestack's frame (record[3]).
      const uintptr_t *record = reinterpret_cast<const uintptr_t *>(callerbp);
      pc = record[1];
      bp = record[0];
      sp = record[3] + 24;
      stk = seg->prev;
      seg = seg->link;
      continue;
    }
    if (callerbp != 0 && callerbp <= bp)
      break;
    bp = callerbp;
  }
  *nframes = n;
  return nprint;
}

// printcreatedbyRuntime shows the runtime's function that created a goroutine (the
// background goroutines: forcegchelper, bgsweep, ...), named and placed as printframe names
// the runtime's frames, when Go's rule shows runtime functions (GOTRACEBACK=system, a throw).
// Differs from Go: the creator is the C++ function that called newproc, not Go's runtime.init.N.
static void printcreatedbyRuntime(uintptr_t pc) {
  uintptr_t tracepc = pc - 1;
  uint64_t entry = 0;
  const char *sym = symcontaining(tracepc, &entry);
  if (sym == nullptr)
    return;
  char name[128];
  int64_t n = symgoname(sym, name, sizeof name - 1);
  name[n] = 0;
  if (n == 0 || !showfuncinfo(name, 0, 0))
    return;
  print("created by ", name, "\n\t");
  char file[256];
  int32_t line = 0;
  int64_t flen = symline(tracepc, file, sizeof file, &line);
  if (flen > 0)
    printstring(reinterpret_cast<const uint8_t *>(file), flen);
  else
    print("?");
  print(":", line, " +", hex{pc - entry}, "\n");
}

// printcreatedby shows what created the goroutine, except for the main goroutine (goid 1).
// Differs from Go: Go names the function holding the go statement's call; gc 1.19 never
// inlines a function with a go statement, toyc may, so the name is the innermost frame's at
// the call (main.main.func1 inlined into main.main is still main.main.func1).
static void printcreatedby(g *gp) {
  uintptr_t pc = gp->gopc;
  funcInfo f = findfunc(pc);
  if (pc == 0 || gp->goid == 1)
    return;
  if (!f.valid()) {
    printcreatedbyRuntime(pc);
    return;
  }
  uintptr_t tracepc = pc; // back up to CALL instruction for funcline.
  if (pc > f.entry())
    tracepc--;
  const char *name = funcname(f);
  uint32_t flags = f.f->flags;
  if (const inlnode *n = funcnode(f, tracepc); n != nullptr && n->parent >= 0) {
    name = nodestring(n->name);
    flags = n->flags;
  }
  if (!showfuncinfo(name, flags, 0))
    return;
  print("created by ", name, "\n");
  const char *file;
  int32_t line;
  funcline(f, tracepc, &file, &line);
  print("\t", file, ":", line);
  if (pc > f.entry())
    print(" +", hex{pc - f.entry()});
  print("\n");
}

static void traceback1(uintptr_t pc, uintptr_t bp, g *gp, uint32_t traceflags) {
  uintptr_t sp = 0; // unknown for a frame found from its callee's
  if (pc == ~uintptr_t(0)) {
    // Differs from Go: no syscall pcs; a goroutine not running is walked from its gobuf.
    pc = gp->sched.pc;
    sp = gp->sched.sp;
    bp = gp->sched.bp;
    if (pc == mcallresumepc) {
      // Parked by mcall: Go's gobuf holds mcall's caller's pc and sp, so its walk starts in
      // gopark; toy's holds where mcall resumes, below the six callee-saved registers mcall
      // pushed and its return address (asm_amd64.S). bp is already the caller's.
      const uintptr_t *saved = reinterpret_cast<const uintptr_t *>(sp);
      pc = saved[6];
      sp += 7 * sizeof(uintptr_t);
    }
  }
  // Print traceback. By default, omits runtime frames. If that means we print nothing at
  // all, repeat forcing all frames printed.
  int32_t nframes;
  int32_t n = gentraceback(pc, sp, bp, gp, _TracebackMaxFrames, traceflags, &nframes);
  if (n == 0 && (traceflags & _TraceRuntimeFrames) == 0)
    n = gentraceback(pc, sp, bp, gp, _TracebackMaxFrames, traceflags | _TraceRuntimeFrames,
                     &nframes);
  if (nframes == _TracebackMaxFrames)
    print("...additional frames elided...\n");
  printcreatedby(gp);
}

void traceback(uintptr_t pc, uintptr_t bp, g *gp) { traceback1(pc, bp, gp, 0); }

void tracebacktrap(uintptr_t pc, uintptr_t bp, g *gp) { traceback1(pc, bp, gp, _TraceTrap); }

void tracebackcaller(g *gp) {
  // The frame of the function that called tracebackcaller: its return address and frame
  // pointer are the pair saved at this function's frame pointer.
  const uintptr_t *frame = static_cast<const uintptr_t *>(__builtin_frame_address(0));
  traceback(frame[1], frame[0], gp);
}

void tracebackothers(g *me) {
  // Show the current goroutine first, if we haven't already.
  g *curgp = getg()->m->curg;
  if (curgp != nullptr && curgp != me) {
    print("\n");
    goroutineheader(curgp);
    traceback(~uintptr_t(0), 0, curgp);
  }
  int32_t level;
  bool all, crash;
  gotraceback(&level, &all, &crash);

  // Differs from Go: reads allgs without allglock, like Go's forEachGRace; the world is
  // frozen (or there is one M).
  int64_t n = atomic::Load(&allgs.len);
  for (int64_t i = 0; i < n; i++) {
    g *gp = allgs.array[i];
    if (gp == me || gp == curgp || readgstatus(gp) == _Gdead ||
        (isSystemGoroutine(gp) && level < 2))
      continue;
    print("\n");
    goroutineheader(gp);
    if (gp->m != getg()->m && readgstatus(gp) == _Grunning) {
      print("\tgoroutine running on other thread; stack unavailable\n");
      printcreatedby(gp);
    } else {
      traceback(~uintptr_t(0), 0, gp);
    }
  }
}

} // namespace runtime
