// The scheduler's event trace (Go: runtime/trace.go), written as Chrome trace-event JSON.
//
// TOYTRACE=file.json turns it on at schedinit. Every M gets a buffer of fixed-size records the
// first time it emits an event; only that M appends to it, with no lock: the record is written,
// then the count is published with a release store. A full buffer is formatted and written by
// its M under trace's lock; traceShutdown takes the lock once more and writes what every
// buffer holds (records appended concurrently after it read a count are lost: best effort).
//
// Timestamps are the CPU's time-stamp counter (rdtscp), as Go's cputicks, turned into
// nanoseconds since traceinit with a ratio measured against nanotime over 2 ms at start; one
// linear map for every M keeps the order of events across Ms.
//
// The JSON: one array; pid 1; tid 1+N is P N's track (ownership spans "M3" and G run spans
// "g17 main.worker"), tid 100000+N is M N's track (state spans and instant events), tid 0 holds
// stop-the-world spans; "C" events plot spinning Ms and idle Ps. Every event's args carry
// the emitting M (m), its P (p, -1 if none) and the fields `toyc trace check` reads.

#include "trace.h"
#include "elfsym.h"

#include "atomic.h"
#include "stubs.h"

namespace runtime {

traceState trace;

namespace {

constexpr int64_t traceBufRecs = 4096;  // records per M buffer
constexpr int64_t traceOutSize = 65536; // bytes of JSON formatted before each write
constexpr int64_t traceMaxM = 10000;    // sched.maxmcount
constexpr int64_t traceMTid = 100000;   // tid of M 0's track

struct traceRec {
  uint64_t ticks;
  uint8_t ev;
  uint8_t mstate; // traceEvMState's state, copied for the formatter
  int16_t pad;
  int32_t p;      // the emitting M's P, -1 if none
  uint32_t nmspinning;
  uint32_t npidle;
  int64_t a, b, c;
};

struct traceBuf {
  uint32_t n;          // records written, published with a release store
  int64_t mid;         // the M that owns the buffer
  bool stateOpen;      // an M state span is open on the M's track
  bool countersSeen;   // the formatter's last counter values written for this M
  uint32_t lastNmspinning, lastNpidle;
  uint8_t kind;        // traceMSysmon or traceMTemplate for those Ms, else traceMStateCount;
                       // set by the owner, read by the track names at shutdown
  traceRec recs[traceBufRecs];
  int64_t outLen;
  char out[traceOutSize];
};

traceBuf *bufs[traceMaxM];
int32_t fd = -1;
uint32_t traceLockWord; // a spin lock: traceShutdown must not block forever on a dying M
bool shutDown;
uint64_t tick0;
uint64_t nsPerTickQ32; // nanoseconds per tick, as a 32.32 fixed-point number
int32_t maxP;          // highest P id seen + 1, for the track names


// Under simulation the counter follows the virtual clock, so a trace's timestamps repeat too.
inline uint64_t cputicks() {
  if (simulating)
    return uint64_t(simcputicks());
  uint32_t lo, hi, aux;
  asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
  return uint64_t(hi) << 32 | lo;
}

bool traceLock(bool bounded) {
  for (int64_t i = 0; !atomic::Cas(&traceLockWord, 0u, 1u); i++) {
    if (bounded && i > 100000)
      return false;
    osyield();
  }
  return true;
}
void traceUnlock() { atomic::Store(&traceLockWord, 0u); }

// ---- names ----

// A small cache of start pcs already named.
struct symCacheEntry {
  uint64_t pc;
  const char *name;
};
symCacheEntry symCache[512];

// The compiler's table of go statements' wrappers and the functions they call, ending with a
// null pair (IRGen::emitGoStarts); weak, as a binary that links the runtime without toyc's
// output (the runtime's unit tests) has none.
struct goStart {
  uint64_t wrapper, fn;
};
extern "C" const goStart toy_gostarts[] __asm__("toy.gostarts") __attribute__((weak));

// gostartFn is the function a goroutine that starts at pc runs: for a go statement's wrapper,
// the function it calls, so that the trace names g7 main.worker, not main.main.gowrap1.
// Differs from Go: Go 1.19's trace records the goroutine's start pc, which for a go statement
// with arguments is the compiler's wrapper closure (main.main.func1).
uint64_t gostartFn(uint64_t pc) {
  if (toy_gostarts == nullptr)
    return pc;
  for (const goStart *s = toy_gostarts; s->wrapper != 0; s++)
    if (s->wrapper == pc)
      return s->fn;
  return pc;
}

// startname is the ELF symbol of the function a goroutine starting at startpc runs, or null.
const char *startname(uint64_t startpc) {
  symCacheEntry &e = symCache[(startpc >> 4) % 512];
  if (e.pc == startpc)
    return e.name;
  const char *name = symname(gostartFn(startpc));
  e = symCacheEntry{startpc, name};
  return name;
}

// ---- JSON output ----

void flushOut(traceBuf *b) {
  int64_t off = 0;
  while (off < b->outLen) {
    int32_t n = write(uintptr_t(fd), b->out + off, int32_t(b->outLen - off));
    if (n <= 0)
      break; // best effort: a full disk loses the rest
    off += n;
  }
  b->outLen = 0;
}

// put appends n bytes. The copy is a loop of its own: the pieces are a few bytes long, where
// a call to memmove costs more than the copy.
inline void put(traceBuf *b, const char *s, int64_t n) {
  if (b->outLen + n > traceOutSize)
    flushOut(b);
  char *d = b->out + b->outLen;
  for (int64_t i = 0; i < n; i++)
    d[i] = s[i];
  b->outLen += n;
}
// puts appends a string literal, whose length the compiler knows.
template <int64_t N> inline void puts(traceBuf *b, const char (&s)[N]) { put(b, s, N - 1); }
inline void putcstr(traceBuf *b, const char *s) {
  put(b, s, findnull(reinterpret_cast<const uint8_t *>(s)));
}
void putint(traceBuf *b, int64_t v) {
  char tmp[24];
  int i = sizeof tmp;
  uint64_t u = v < 0 ? uint64_t(-v) : uint64_t(v);
  do {
    tmp[--i] = char('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0)
    tmp[--i] = '-';
  put(b, tmp + i, sizeof tmp - i);
}
void puthex(traceBuf *b, uint64_t v) {
  char tmp[18];
  int i = sizeof tmp;
  do {
    tmp[--i] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v != 0);
  tmp[--i] = 'x';
  tmp[--i] = '0';
  put(b, tmp + i, sizeof tmp - i);
}
// putname writes a start function's name: Go's for toy code, runtime.f for the C++ runtime's
// runtime::f (and runtime.f.func for a lambda in it).
void putname(traceBuf *b, uint64_t pc) {
  const char *s = startname(pc);
  if (s == nullptr) {
    puthex(b, pc);
    return;
  }
  char name[256];
  put(b, name, symgoname(s, name, sizeof name));
}

void putts(traceBuf *b, uint64_t ticks) {
  uint64_t d = ticks > tick0 ? ticks - tick0 : 0;
  uint64_t ns = uint64_t((unsigned __int128)d * nsPerTickQ32 >> 32);
  putint(b, int64_t(ns / 1000));
  char frac[4] = {'.', char('0' + ns / 100 % 10), char('0' + ns / 10 % 10), char('0' + ns % 10)};
  put(b, frac, 4);
}

// head starts one event: {"ph":"<ph>","pid":1,"tid":<tid>,"ts":<ts>
void head(traceBuf *b, char ph, int64_t tid, uint64_t ticks) {
  puts(b, "{\"ph\":\"");
  put(b, &ph, 1);
  puts(b, "\",\"pid\":1,\"tid\":");
  putint(b, tid);
  puts(b, ",\"ts\":");
  putts(b, ticks);
}
// named adds ,"cat":"<cat>","name":"<name>"
template <int64_t N> void named(traceBuf *b, const char (&cat)[N], const char *name) {
  puts(b, ",\"cat\":\"");
  puts(b, cat);
  puts(b, "\",\"name\":\"");
  putcstr(b, name);
  puts(b, "\"");
}
// args opens the args with the emitter's m and p; the caller adds fields and calls end.
void args(traceBuf *b, const traceRec &r) {
  puts(b, ",\"args\":{\"m\":");
  putint(b, b->mid);
  puts(b, ",\"p\":");
  putint(b, r.p);
}
template <int64_t N> void field(traceBuf *b, const char (&k)[N], int64_t v) {
  puts(b, ",\"");
  puts(b, k);
  puts(b, "\":");
  putint(b, v);
}
template <int64_t N> void sfield(traceBuf *b, const char (&k)[N], const char *v) {
  puts(b, ",\"");
  puts(b, k);
  puts(b, "\":\"");
  putcstr(b, v);
  puts(b, "\"");
}
void end(traceBuf *b) { puts(b, "}},\n"); }

const char *const mstateNames[traceMStateCount] = {
    "spinning", "executing", "idle", "timersleep", "parked", "locked", "exit", "sysmon", "template",
};
const char *gstatusName(uint32_t s) {
  switch (s) {
  case _Gidle: return "idle";
  case _Grunnable: return "runnable";
  case _Grunning: return "running";
  case _Gsyscall: return "syscall";
  case _Gwaiting: return "waiting";
  case _Gdead: return "dead";
  }
  return "?";
}
// The instant's name for a G transition (Go's trace event names, lower case).
const char *gtransName(uint32_t from, uint32_t to) {
  if (to == _Grunning)
    return from == _Gwaiting ? "goresume" : "gostart";
  if (to == _Gwaiting)
    return "gopark";
  if (to == _Grunnable)
    return from == _Gwaiting ? "goready" : "gosched";
  if (to == _Gdead)
    return "goend";
  return "gostatus";
}

void counters(traceBuf *b, const traceRec &r) {
  if (b->countersSeen && r.nmspinning == b->lastNmspinning && r.npidle == b->lastNpidle)
    return; // unchanged since this M last wrote them
  b->countersSeen = true;
  b->lastNmspinning = r.nmspinning;
  b->lastNpidle = r.npidle;
  head(b, 'C', 0, r.ticks);
  puts(b, ",\"name\":\"spinning Ms\",\"args\":{\"nmspinning\":");
  putint(b, int32_t(r.nmspinning));
  puts(b, "}},\n");
  head(b, 'C', 0, r.ticks);
  puts(b, ",\"name\":\"idle Ps\",\"args\":{\"npidle\":");
  putint(b, r.npidle);
  puts(b, "}},\n");
}

void format(traceBuf *b, const traceRec &r) {
  int64_t mtid = traceMTid + b->mid;
  switch (r.ev) {
  case traceEvMState: {
    if (b->stateOpen) {
      head(b, 'E', mtid, r.ticks);
      puts(b, ",\"cat\":\"mstate\"},\n");
    }
    const char *name = mstateNames[r.mstate];
    b->stateOpen = r.mstate != traceMExit;
    head(b, b->stateOpen ? 'B' : 'i', mtid, r.ticks);
    named(b, "mstate", name);
    args(b, r);
    sfield(b, "state", name);
    field(b, "nmspinning", int32_t(r.nmspinning));
    end(b);
    counters(b, r);
    return;
  }
  case traceEvProcStart:
  case traceEvProcStop: {
    bool start = r.ev == traceEvProcStart;
    head(b, start ? 'B' : 'E', 1 + r.a, r.ticks);
    puts(b, ",\"cat\":\"");
    if (start)
      puts(b, "procstart");
    else
      puts(b, "procstop");
    puts(b, "\",\"name\":\"M");
    putint(b, b->mid);
    puts(b, "\"");
    args(b, r);
    field(b, "proc", r.a);
    end(b);
    counters(b, r);
    return;
  }
  case traceEvGoCreate:
    head(b, 'i', mtid, r.ticks);
    named(b, "g", "gocreate");
    args(b, r);
    field(b, "g", r.a);
    puts(b, ",\"fn\":\"");
    putname(b, uint64_t(r.c));
    puts(b, "\"");
    end(b);
    return;
  case traceEvGoStatus: {
    uint32_t from = uint32_t(r.b) & 0xff, to = uint32_t(r.b) >> 8 & 0xff;
    auto reason = waitReason(uint32_t(r.b) >> 16 & 0xff);
    head(b, 'i', mtid, r.ticks);
    named(b, "g", gtransName(from, to));
    args(b, r);
    field(b, "g", r.a);
    sfield(b, "from", gstatusName(from));
    sfield(b, "to", gstatusName(to));
    if (to == _Gwaiting)
      sfield(b, "reason", waitReasonString(reason));
    end(b);
    if ((to == _Grunning || from == _Grunning) && r.p >= 0) {
      head(b, to == _Grunning ? 'B' : 'E', 1 + r.p, r.ticks);
      puts(b, ",\"cat\":\"grun\",\"name\":\"g");
      putint(b, r.a);
      puts(b, " ");
      putname(b, uint64_t(r.c));
      puts(b, "\"");
      args(b, r);
      field(b, "g", r.a);
      end(b);
    }
    return;
  }
  case traceEvProcResize:
    head(b, 'i', mtid, r.ticks);
    named(b, "sched", "procresize");
    args(b, r);
    field(b, "old", r.a);
    field(b, "new", r.b);
    end(b);
    return;
  case traceEvSTWStart:
  case traceEvSTWDone:
    head(b, r.ev == traceEvSTWStart ? 'B' : 'E', 0, r.ticks);
    named(b, "stw", "stop the world");
    args(b, r);
    end(b);
    return;
  }
  static const char *const names[traceEvCount] = {
      nullptr, nullptr, nullptr, nullptr, nullptr, "newm", "steal", "fairness", "runqputslow",
      "handoffp", "wakep", "startm", "preempt", nullptr, nullptr, nullptr,
  };
  head(b, 'i', mtid, r.ticks);
  named(b, "sched", names[r.ev]);
  args(b, r);
  switch (r.ev) {
  case traceEvNewM:
    field(b, "newm", r.a);
    sfield(b, "template", r.b != 0 ? "true" : "false");
    break;
  case traceEvSteal:
    field(b, "victim", r.a);
    field(b, "n", r.b);
    break;
  case traceEvFairness:
    field(b, "g", r.a);
    break;
  case traceEvRunqPutSlow:
    field(b, "n", r.a);
    break;
  case traceEvHandoffP:
    field(b, "proc", r.a);
    break;
  case traceEvWakep:
    field(b, "nmspinning", int32_t(r.nmspinning));
    break;
  case traceEvStartM:
    field(b, "proc", r.a);
    field(b, "spinning", r.b);
    field(b, "woken", r.c);
    field(b, "nmspinning", int32_t(r.nmspinning));
    break;
  case traceEvPreempt:
    field(b, "proc", r.a);
    field(b, "g", r.b);
    break;
  }
  end(b);
}

// writeBuf formats b's first n records and writes them out. trace's lock is held.
void writeBuf(traceBuf *b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    format(b, b->recs[i]);
  flushOut(b);
}

traceBuf *newBuf(int64_t mid) {
  int32_t err;
  auto *b = static_cast<traceBuf *>(mmap(nullptr, sizeof(traceBuf), _PROT_READ | _PROT_WRITE,
                                         _MAP_PRIVATE | _MAP_ANON, -1, 0, &err));
  if (b == nullptr)
    return nullptr;
  b->mid = mid;
  b->kind = traceMStateCount;
  atomic::Store(&bufs[mid], b);
  return b;
}

// The names of the tracks, written last (metadata events may come anywhere in the file).
void writeNames(traceBuf *b) {
  puts(b, "{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"toy\"}},\n");
  for (int32_t i = 0; i < maxP; i++) {
    puts(b, "{\"ph\":\"M\",\"pid\":1,\"tid\":");
    putint(b, 1 + i);
    puts(b, ",\"name\":\"thread_name\",\"args\":{\"name\":\"P");
    putint(b, i);
    puts(b, "\"}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
    putint(b, 1 + i);
    puts(b, ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
    putint(b, i);
    puts(b, "}},\n");
  }
  for (int64_t id = 0; id < traceMaxM; id++) {
    traceBuf *mb = atomic::Load(&bufs[id]);
    if (mb == nullptr)
      continue;
    puts(b, "{\"ph\":\"M\",\"pid\":1,\"tid\":");
    putint(b, traceMTid + id);
    puts(b, ",\"name\":\"thread_name\",\"args\":{\"name\":\"M");
    putint(b, id);
    if (mb->kind == traceMTemplate)
      puts(b, " (template thread)");
    else if (mb->kind == traceMSysmon)
      puts(b, " (sysmon)");
    puts(b, "\"}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
    putint(b, traceMTid + id);
    puts(b, ",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
    putint(b, 100000 + id);
    puts(b, "}},\n");
  }
  puts(b, "{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"thread_name\","
          "\"args\":{\"name\":\"scheduler\"}}\n]\n");
}

} // namespace

void traceinit() {
  stringStruct path = gogetenv("TOYTRACE");
  if (path.len == 0)
    return;
  // O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC; the value ends the environment string, so it is
  // NUL-terminated.
  fd = open(reinterpret_cast<const char *>(path.str), 01 | 0100 | 01000 | 02000000, 0644);
  if (fd < 0) {
    const char *why = nullptr;
    switch (-fd) {
    case 2: why = "no such file or directory"; break;
    case 13: why = "permission denied"; break;
    case 20: why = "not a directory"; break;
    case 21: why = "is a directory"; break;
    case 30: why = "read-only file system"; break;
    }
    print("runtime: cannot create TOYTRACE file ", path, ": ");
    if (why != nullptr)
      print(why, "\n");
    else
      print("errno ", -fd, "\n");
    exit(2);
  }
  loadSymbols();
  int64_t ns0 = nanotime();
  tick0 = cputicks();
  usleep(2000);
  int64_t ns1 = nanotime();
  uint64_t tick1 = cputicks();
  if (tick1 <= tick0)
    tick1 = tick0 + 1;
  nsPerTickQ32 = (uint64_t(ns1 - ns0) << 32) / (tick1 - tick0);
  write(uintptr_t(fd), "[\n", 2);
  atomic::Store(&trace.enabled, true);
}

void traceEvent(traceEv ev, int64_t a, int64_t b, int64_t c) {
  if (ev == traceEvGoStatus &&
      ((b & 0xffff) == (_Gdead | _Grunnable << 8) || (b & 0xff) == _Gidle))
    return;
  m *mp = getg()->m;
  if (mp->id >= traceMaxM)
    return;
  traceBuf *buf = bufs[mp->id];
  if (buf == nullptr && (buf = newBuf(mp->id)) == nullptr)
    return;
  uint32_t n = buf->n;
  if (n == traceBufRecs) {
    if (!traceLock(false))
      return;
    if (!shutDown)
      writeBuf(buf, n);
    atomic::Store(&buf->n, 0u);
    traceUnlock();
    n = 0;
  }
  if (ev == traceEvMState && (a == traceMSysmon || a == traceMTemplate))
    buf->kind = uint8_t(a);
  if (ev == traceEvNewM)
    b = buf->kind == traceMTemplate; // newm1 on the template thread (newmHandoff)
  traceRec &r = buf->recs[n];
  r.ticks = cputicks();
  r.ev = ev;
  r.mstate = ev == traceEvMState ? uint8_t(a) : 0;
  r.p = mp->p == nullptr ? -1 : mp->p->id;
  if (ev == traceEvMState || ev == traceEvProcStart || ev == traceEvProcStop ||
      ev == traceEvWakep || ev == traceEvStartM) {
    r.nmspinning = atomic::Load(&sched.nmspinning);
    r.npidle = atomic::Load(&sched.npidle);
  }
  if (ev == traceEvProcStart && a >= maxP)
    maxP = int32_t(a + 1); // a benign race: only the track names read it, at shutdown
  r.a = a;
  r.b = b;
  r.c = c;
  atomic::StoreRel(&buf->n, n + 1);
}

void traceShutdown() {
  if (!atomic::Load(&trace.enabled))
    return;
  if (!traceLock(true))
    return;
  if (shutDown) {
    traceUnlock();
    return;
  }
  atomic::Store(&trace.enabled, false);
  shutDown = true;
  traceBuf *last = nullptr;
  for (int64_t id = 0; id < traceMaxM; id++) {
    traceBuf *b = atomic::Load(&bufs[id]);
    if (b == nullptr)
      continue;
    writeBuf(b, atomic::LoadAcq(&b->n));
    last = b;
  }
  if (last != nullptr) {
    writeNames(last);
    flushOut(last);
  } else {
    write(uintptr_t(fd), "]\n", 2);
  }
  closefd(fd);
  traceUnlock();
}

} // namespace runtime
