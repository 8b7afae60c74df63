// The scheduler's event trace (Go: runtime/trace.go), written as toy's binary trace or as
// Chrome trace-event JSON (tracefmt.h).
//
// TOYTRACE=file turns it on at schedinit. Every M gets a buffer of encoded records
// (traceEncode) the first time it emits an event; only that M appends to it, with no lock: the
// record is written, then the length is published with a release store. A full buffer is
// written by its M under trace's lock: as it is, in one write, or, for a file named *.json,
// decoded and formatted as JSON; traceShutdown takes the lock once more and writes what every buffer holds (records
// appended concurrently after it read a count are lost: best effort), then, in a binary
// trace, the names of the goroutines' start functions and the Ms' kinds.
//
// Timestamps are the CPU's time-stamp counter (rdtsc), as Go's cputicks, turned into
// nanoseconds since traceinit with a ratio measured against nanotime over 2 ms at start; one
// linear map for every M, so that events of different Ms compare (see cputicks).

#include "trace.h"
#include "elfsym.h"

#include "alg.h"
#include "atomic.h"
#include "stubs.h"

namespace runtime {

traceState trace;

static_assert(traceGidle == _Gidle && traceGrunnable == _Grunnable &&
                  traceGrunning == _Grunning && traceGsyscall == _Gsyscall &&
                  traceGwaiting == _Gwaiting && traceGdead == _Gdead,
              "tracefmt.h's goroutine statuses are runtime2.h's");

namespace {

constexpr int64_t traceBufBytes = 1 << 17; // encoded records per M buffer
constexpr int64_t traceOutSize = 65536; // bytes of JSON formatted before each write
constexpr int64_t traceMaxM = 10000;    // sched.maxmcount
constexpr int64_t traceStartPCs = 1024; // start functions a binary trace names (a power of 2)

struct traceBuf {
  uint32_t n;         // bytes of records written, published with a release store
  uint8_t kind;       // traceMSysmon or traceMTemplate for those Ms, else traceMStateCount;
                      // set by the owner, read by the track names at shutdown
  uint64_t lastTicks; // the newest record's time stamp
  uint64_t base;      // the time stamp the next record is encoded against (0 in a new chunk)
  traceTrack track;   // the JSON writer's state for this M
  traceChunk chunk;   // a binary trace's chunk header, written together with the records
  uint8_t recs[traceBufBytes];
  int64_t outLen;
  char out[traceOutSize];
};
static_assert(__builtin_offsetof(traceBuf, recs) ==
                  __builtin_offsetof(traceBuf, chunk) + sizeof(traceChunk),
              "a chunk's records follow its header");

traceBuf *bufs[traceMaxM];
int32_t fd = -1;
bool json;              // TOYTRACE names a .json file
uint32_t traceLockWord; // a spin lock: traceShutdown must not block forever on a dying M
bool shutDown;
uint64_t tick0;
uint64_t nsPerTickQ32; // nanoseconds per tick, as a 32.32 fixed-point number
int32_t maxP;          // highest P id seen + 1, for the track names
uint64_t startpcs[traceStartPCs]; // a binary trace's start pcs, an open-addressed set

// Under simulation the counter follows the virtual clock, so a trace's timestamps repeat too.
// rdtsc, not rdtscp: rdtscp waits for every earlier instruction and costs twice as much.
// rdtsc may read the counter before earlier instructions are done; traceEvent keeps each M's
// time stamps in order, and across Ms `toyc trace check` found no handoff (a run queue, a
// lock, a channel) out of order (docs/scheduler-experiments.md, "Trace").
inline uint64_t cputicks() {
  if (simulating)
    return uint64_t(simcputicks());
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
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

// writeAll writes n bytes; best effort: a full disk loses the rest.
void writeAll(const void *p, int64_t n) {
  const char *s = static_cast<const char *>(p);
  for (int64_t off = 0; off < n;) {
    int32_t k = write(uintptr_t(fd), s + off, int32_t(n - off));
    if (k <= 0)
      break;
    off += k;
  }
}

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

// goname writes the name of the function a goroutine starting at pc runs into buf (at most
// n bytes) and returns its length, 0 if it has none: Go's for toy code, runtime.f for the C++
// runtime's runtime::f (and runtime.f.func for a lambda in it).
int64_t goname(uint64_t pc, char *buf, int64_t n) {
  const char *s = startname(pc);
  return s == nullptr ? 0 : symgoname(s, buf, n);
}

// notestartpc adds pc to startpcs, for the names a binary trace ends with. Lock-free: a slot
// goes from 0 to a pc once. A full set drops the pc; `toyc trace` then shows it in hex.
void notestartpc(uint64_t pc) {
  if (pc == 0)
    return;
  uint64_t i = (pc >> 4) * 0x9e3779b97f4a7c15ull >> 54; // 10 bits: traceStartPCs
  for (int64_t k = 0; k < traceStartPCs; k++, i = (i + 1) & (traceStartPCs - 1)) {
    uint64_t v = atomic::Load(&startpcs[i]);
    if (v == 0 && atomic::Cas(&startpcs[i], uint64_t(0), pc))
      return;
    if (v == pc || atomic::Load(&startpcs[i]) == pc)
      return;
  }
}

// ---- JSON output ----

void flushOut(traceBuf *b) {
  writeAll(b->out, b->outLen);
  b->outLen = 0;
}

// bufOut is traceJSON's output for a runtime JSON trace: the M's own text buffer.
struct bufOut {
  traceBuf *b;
  void put(const char *s, int64_t n) {
    if (b->outLen + n > traceOutSize)
      flushOut(b);
    char *d = b->out + b->outLen;
    for (int64_t i = 0; i < n; i++)
      d[i] = s[i];
    b->outLen += n;
  }
  void name(uint64_t pc) {
    char buf[256];
    int64_t n = goname(pc, buf, sizeof buf);
    if (n > 0) {
      put(buf, n);
      return;
    }
    char tmp[18];
    int i = sizeof tmp;
    do {
      tmp[--i] = "0123456789abcdef"[pc & 15];
      pc >>= 4;
    } while (pc != 0);
    tmp[--i] = 'x';
    tmp[--i] = '0';
    put(tmp + i, sizeof tmp - i);
  }
  const char *waitReason(uint32_t w) { return waitReasonString(runtime::waitReason(w)); }
};

// writeBuf writes b's first n bytes of records, as they are or as JSON. trace's lock is held.
void writeBuf(traceBuf *b, uint32_t n) {
  if (!json) {
    b->chunk = traceChunk{traceChunkRecs, n, b->track.mid};
    writeAll(&b->chunk, sizeof(traceChunk) + n);
    return;
  }
  bufOut o{b};
  traceJSON<bufOut> j{o, tick0, nsPerTickQ32};
  traceRec r;
  uint64_t prev = 0;
  for (const uint8_t *p = b->recs, *end = b->recs + n;
       p < end && (p = traceDecode(p, end, r, prev)) != nullptr; prev = r.ticks)
    j.format(b->track, r);
  flushOut(b);
}

traceBuf *newBuf(int64_t mid) {
  int32_t err;
  auto *b = static_cast<traceBuf *>(mmap(nullptr, sizeof(traceBuf), _PROT_READ | _PROT_WRITE,
                                         _MAP_PRIVATE | _MAP_ANON, -1, 0, &err));
  if (b == nullptr)
    return nullptr;
  b->track.mid = mid;
  b->kind = traceMStateCount;
  atomic::Store(&bufs[mid], b);
  return b;
}

// mkinds hands traceJSON::names the Ms that have a buffer, in id order.
struct mkinds {
  int64_t next = 0;
  bool operator()(int64_t, int64_t *id, int64_t *kind) {
    for (; next < traceMaxM; next++) {
      traceBuf *b = atomic::Load(&bufs[next]);
      if (b != nullptr) {
        *id = next++;
        *kind = b->kind;
        return true;
      }
    }
    return false;
  }
};

// ---- binary output ----

// writeHeader starts a binary trace: the header, then the wait reasons' strings.
void writeHeader() {
  traceFileHeader h{};
  for (int i = 0; i < 8; i++)
    h.magic[i] = traceMagic[i];
  h.version = traceVersion;
  h.maxRecBytes = traceMaxRecBytes;
  h.tick0 = tick0;
  h.nsPerTickQ32 = nsPerTickQ32;
  writeAll(&h, sizeof h);
  int64_t len = 0;
  for (uint32_t w = 0; w < waitReasonCount; w++)
    len += findnull(reinterpret_cast<const uint8_t *>(waitReasonString(waitReason(w)))) + 1;
  traceChunk c{traceChunkWaitReasons, uint32_t(len), waitReasonCount};
  writeAll(&c, sizeof c);
  for (uint32_t w = 0; w < waitReasonCount; w++) {
    const char *s = waitReasonString(waitReason(w));
    writeAll(s, findnull(reinterpret_cast<const uint8_t *>(s)) + 1);
  }
}

// writeTrailer ends a binary trace: the start functions' names, then the Ms and their kinds.
void writeTrailer() {
  char name[256];
  int64_t len = 0, count = 0;
  for (int64_t i = 0; i < traceStartPCs; i++) {
    if (startpcs[i] == 0)
      continue;
    len += 12 + goname(startpcs[i], name, sizeof name);
    count++;
  }
  traceChunk c{traceChunkNames, uint32_t(len), count};
  writeAll(&c, sizeof c);
  for (int64_t i = 0; i < traceStartPCs; i++) {
    if (startpcs[i] == 0)
      continue;
    uint32_t n = uint32_t(goname(startpcs[i], name, sizeof name));
    writeAll(&startpcs[i], 8);
    writeAll(&n, 4);
    writeAll(name, n);
  }
  int64_t nm = 0;
  for (int64_t id = 0; id < traceMaxM; id++)
    nm += atomic::Load(&bufs[id]) != nullptr;
  c = traceChunk{traceChunkEnd, uint32_t(nm * 16), maxP};
  writeAll(&c, sizeof c);
  mkinds kinds;
  int64_t pair[2];
  while (kinds(0, &pair[0], &pair[1]))
    writeAll(pair, sizeof pair);
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
  json = path.len >= 5 && memequal(path.str + path.len - 5, ".json", 5);
  if (json)
    writeAll("[\n", 2);
  else
    writeHeader();
  atomic::Store(&trace.enabled, true);
  // The seed first, so that a trace says how to repeat its run (schedinit parsed GODEBUG and
  // chose the seed before calling traceinit).
  traceEvent(traceEvSchedSeed, int64_t(schedSeed()), debug.schedseeded ? 1 : 0, 0);
}

void traceEvent(traceEv ev, int64_t a, int64_t b, int64_t c) {
  if (ev == traceEvGoStatus &&
      ((b & 0xffff) == (_Gdead | _Grunnable << 8) || (b & 0xff) == _Gidle))
    return;
  // The counter first: its latency overlaps the work below, which does not need it.
  uint64_t ticks = cputicks();
  m *mp = getg()->m;
  if (mp->id >= traceMaxM)
    return;
  traceBuf *buf = bufs[mp->id];
  if (buf == nullptr && (buf = newBuf(mp->id)) == nullptr)
    return;
  uint32_t n = buf->n;
  if (n > traceBufBytes - traceMaxRecBytes) {
    if (!traceLock(false))
      return;
    if (!shutDown)
      writeBuf(buf, n);
    atomic::Store(&buf->n, 0u);
    traceUnlock();
    n = 0;
    buf->base = 0;
  }
  if (ev == traceEvMState && (a == traceMSysmon || a == traceMTemplate))
    buf->kind = uint8_t(a);
  if (ev == traceEvNewM)
    b = buf->kind == traceMTemplate; // newm1 on the template thread (newmHandoff)
  if (ev == traceEvGoCreate && !json)
    notestartpc(uint64_t(c));
  if (ev == traceEvGoStatus) {
    // Bytes are what the kernel's write costs: the wait reason only where it means something
    // (to waiting), and in a binary trace no start pc, which `toyc trace` takes from the G's
    // gocreate (goids are never reused): a G record of pingpong's takes 7.8 bytes, not 11.4.
    if ((b >> 8 & 0xff) != _Gwaiting)
      b &= 0xffff;
    if (!json)
      c = 0;
  }
  traceRec r;
  if (ticks < buf->lastTicks)
    ticks = buf->lastTicks; // the M's events keep their order
  buf->lastTicks = ticks;
  r.ticks = ticks;
  r.ev = ev;
  r.p = mp->p == nullptr ? -1 : mp->p->id;
  if (traceEvCounters(ev)) {
    r.nmspinning = atomic::Load(&sched.nmspinning);
    r.npidle = atomic::Load(&sched.npidle);
  }
  if (ev == traceEvProcStart && a >= maxP)
    maxP = int32_t(a + 1); // a benign race: only the track names read it, at shutdown
  r.a = a;
  r.b = b;
  r.c = c;
  uint8_t *end = traceEncode(buf->recs + n, r, buf->base);
  buf->base = ticks;
  atomic::StoreRel(&buf->n, uint32_t(end - buf->recs));
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
  if (!json) {
    writeTrailer();
  } else if (last != nullptr) {
    bufOut o{last};
    traceJSON<bufOut> j{o, tick0, nsPerTickQ32};
    j.names(maxP, mkinds{});
    flushOut(last);
  } else {
    writeAll("]\n", 2);
  }
  closefd(fd);
  traceUnlock();
}

} // namespace runtime
