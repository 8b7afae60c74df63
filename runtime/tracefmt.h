// The event trace's records, its binary file and its JSON text (trace.cpp, toyc trace).
//
// This header is plain C++ with no runtime or library dependency: the runtime formats JSON
// with it when TOYTRACE names a .json file, and `toyc trace` (compiler/TraceBinary.cpp) reads
// the binary file with the same structs and formats the same JSON with the same code, so a
// binary trace converted afterwards is the JSON the runtime would have written.
//
// The binary file (any TOYTRACE name not ending in .json):
//   traceFileHeader (magic "toytrace", version, record size, the clock calibration)
//   then chunks, each a traceChunk followed by `len` bytes:
//     traceChunkWaitReasons  arg = number of strings; NUL-terminated wait reason strings,
//                            string i is Go's waitReasonString of reason i (written first)
//     traceChunkRecs         arg = M id; that M's records in order, each encoded by
//                            traceEncode (one write per full buffer; the rest at exit)
//     traceChunkNames        arg = number of names; for each, uint64 pc, uint32 length,
//                            the name: the start functions of the goroutines created
//     traceChunkEnd          arg = number of Ps seen; len / 16 pairs of int64 M id and int64
//                            kind (traceMSysmon, traceMTemplate or traceMStateCount); last.
// Everything is little-endian, as the machine writes it.
#ifndef TOY_RUNTIME_TRACEFMT_H
#define TOY_RUNTIME_TRACEFMT_H

#include <stdint.h>

namespace runtime {

// The event kinds of a record.
enum traceEv : uint8_t {
  traceEvMState,      // a = the M's new state (traceMState...)
  traceEvProcStart,   // a = P id: the M acquired it (acquirep)
  traceEvProcStop,    // a = P id: the M released it (releasep)
  traceEvGoCreate,    // a = goid, c = start pc
  traceEvGoStatus,    // a = goid, b = from | to << 8 (| reason << 16 if to is waiting),
                      // c = start pc in a JSON trace, 0 in a binary one (the G's gocreate has it)
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
  traceEvSchedSeed,   // a = the run's seed (GODEBUG=schedseed's, else the one chosen), b = 1
                      // if GODEBUG gave it: the first record, written by traceinit
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

// Go's goroutine statuses as the records carry them (runtime2.h's _Gidle ... _Gdead; trace.cpp
// checks that they agree).
constexpr uint32_t traceGidle = 0, traceGrunnable = 1, traceGrunning = 2, traceGsyscall = 3,
                   traceGwaiting = 4, traceGdead = 6;

// One event as the formatter reads it; the buffers and the file hold it encoded (traceEncode).
struct traceRec {
  uint64_t ticks;
  uint8_t ev;
  uint8_t mstate; // traceEvMState's state (a), for the formatter
  int32_t p;      // the emitting M's P, -1 if none
  uint32_t nmspinning;
  uint32_t npidle;
  int64_t a, b, c;
};

// The events that carry sched.nmspinning and sched.npidle.
inline bool traceEvCounters(uint8_t ev) {
  return ev == traceEvMState || ev == traceEvProcStart || ev == traceEvProcStop ||
         ev == traceEvWakep || ev == traceEvStartM;
}

// A record's encoding, as Go's trace encodes its events: a byte for the kind, then unsigned
// varints (7 bits a byte, low bits first): the ticks since the M's previous record in the
// chunk (the first: since 0), p + 1, then nmspinning and npidle for traceEvCounters' kinds,
// then a, b and c zigzagged (0, -1, 1, -2, ... as 0, 1, 2, 3, ...). A channel ping-pong's
// records, nearly all traceEvGoStatus, take 7.8 bytes on average (11.4 in version 1, whose G
// records carried the start pc and the last wait reason): the bytes written are what a trace
// costs the kernel. `toyc trace json` prints the average.
constexpr int64_t traceMaxRecBytes = 1 + 10 + 5 + 5 + 5 + 3 * 10;

inline uint8_t *tracePutUvarint(uint8_t *p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = uint8_t(v) | 0x80;
    v >>= 7;
  }
  *p++ = uint8_t(v);
  return p;
}
inline uint64_t traceZigzag(int64_t v) { return uint64_t(v) << 1 ^ uint64_t(v >> 63); }

// traceEncode writes r at p (at most traceMaxRecBytes bytes), prev being the time stamp of the
// M's previous record in the chunk, not after r's; returns the end.
inline uint8_t *traceEncode(uint8_t *p, const traceRec &r, uint64_t prev) {
  *p++ = r.ev;
  p = tracePutUvarint(p, r.ticks - prev);
  p = tracePutUvarint(p, uint32_t(r.p + 1));
  if (traceEvCounters(r.ev)) {
    p = tracePutUvarint(p, r.nmspinning);
    p = tracePutUvarint(p, r.npidle);
  }
  p = tracePutUvarint(p, traceZigzag(r.a));
  p = tracePutUvarint(p, traceZigzag(r.b));
  return tracePutUvarint(p, traceZigzag(r.c));
}

inline const uint8_t *traceUvarint(const uint8_t *p, const uint8_t *end, uint64_t &v) {
  v = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    uint8_t b = *p++;
    v |= uint64_t(b & 0x7f) << shift;
    if (b < 0x80)
      return p;
  }
  return nullptr; // cut short, or longer than 10 bytes
}

// traceDecode reads the record at p (before end) into r, prev as for traceEncode; returns the
// position after it, or null if the bytes are not a record (cut short, or a kind no record has).
inline const uint8_t *traceDecode(const uint8_t *p, const uint8_t *end, traceRec &r,
                                  uint64_t prev) {
  if (p >= end || *p >= traceEvCount)
    return nullptr;
  r = traceRec{};
  r.ev = *p++;
  uint64_t v[7];
  int n = traceEvCounters(r.ev) ? 7 : 5;
  for (int i = 0; i < n; i++)
    if ((p = traceUvarint(p, end, v[i])) == nullptr)
      return nullptr;
  r.ticks = prev + v[0];
  r.p = int32_t(uint32_t(v[1]) - 1);
  int k = 2;
  if (n == 7) {
    r.nmspinning = uint32_t(v[k++]);
    r.npidle = uint32_t(v[k++]);
  }
  int64_t f[3];
  for (int i = 0; i < 3; i++, k++)
    f[i] = int64_t(v[k] >> 1) ^ -int64_t(v[k] & 1);
  r.a = f[0];
  r.b = f[1];
  r.c = f[2];
  r.mstate = r.ev == traceEvMState ? uint8_t(r.a) : 0;
  return p;
}

constexpr char traceMagic[8] = {'t', 'o', 'y', 't', 'r', 'a', 'c', 'e'};
// 2: traceEvGoStatus without the start pc, and with a wait reason only to waiting.
constexpr uint32_t traceVersion = 2;

struct traceFileHeader {
  char magic[8];
  uint32_t version;
  uint32_t maxRecBytes;  // traceMaxRecBytes
  uint64_t tick0;        // the counter at traceinit: time 0
  uint64_t nsPerTickQ32; // nanoseconds per tick, as a 32.32 fixed-point number
};
static_assert(sizeof(traceFileHeader) == 32, "");

enum traceChunkKind : uint32_t {
  traceChunkWaitReasons = 1,
  traceChunkRecs = 2,
  traceChunkNames = 3,
  traceChunkEnd = 4,
};

struct traceChunk {
  uint32_t kind;
  uint32_t len; // bytes that follow
  int64_t arg;
};
static_assert(sizeof(traceChunk) == 16, "");

constexpr int64_t traceMTid = 100000; // tid of M 0's track

// What the JSON writer keeps per M between that M's records.
struct traceTrack {
  int64_t mid;
  bool stateOpen;    // an M state span is open on the M's track
  bool countersSeen; // the last counter values written for this M
  uint32_t lastNmspinning, lastNpidle;
};

// traceJSON formats records as Chrome trace-event JSON: one array; pid 1; tid 1+N is P N's
// track (ownership spans "M3" and G run spans "g17 main.worker"), tid 100000+N is M N's
// track (state spans and instant events), tid 0 holds stop-the-world spans; "C" events plot
// spinning Ms and idle Ps. Every event's args carry the emitting M (m), its P (p, -1 if
// none) and the fields `toyc trace check` reads.
//
// Out has put(const char *, int64_t) to append bytes, name(uint64_t pc) to append the name of
// a goroutine's start function, and waitReason(uint32_t) giving a wait reason's text.
template <typename Out> struct traceJSON {
  Out &out;
  uint64_t tick0;
  uint64_t nsPerTickQ32;

  // The copy in put is a loop of Out's own: the pieces are a few bytes long, where a call to
  // memmove costs more than the copy.
  template <int64_t N> void puts(const char (&s)[N]) { out.put(s, N - 1); }
  void putcstr(const char *s) {
    int64_t n = 0;
    while (s[n] != 0)
      n++;
    out.put(s, n);
  }
  void putint(int64_t v) {
    if (v < 0)
      puts("-");
    putuint(v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v));
  }
  void putuint(uint64_t u) {
    char tmp[24];
    int i = sizeof tmp;
    do {
      tmp[--i] = char('0' + u % 10);
      u /= 10;
    } while (u != 0);
    out.put(tmp + i, sizeof tmp - i);
  }
  void putts(uint64_t ticks) {
    uint64_t d = ticks > tick0 ? ticks - tick0 : 0;
    uint64_t ns = uint64_t((unsigned __int128)d * nsPerTickQ32 >> 32);
    putint(int64_t(ns / 1000));
    char frac[4] = {'.', char('0' + ns / 100 % 10), char('0' + ns / 10 % 10),
                    char('0' + ns % 10)};
    out.put(frac, 4);
  }

  // head starts one event: {"ph":"<ph>","pid":1,"tid":<tid>,"ts":<ts>
  void head(char ph, int64_t tid, uint64_t ticks) {
    puts("{\"ph\":\"");
    out.put(&ph, 1);
    puts("\",\"pid\":1,\"tid\":");
    putint(tid);
    puts(",\"ts\":");
    putts(ticks);
  }
  // named adds ,"cat":"<cat>","name":"<name>"
  template <int64_t N> void named(const char (&cat)[N], const char *name) {
    puts(",\"cat\":\"");
    puts(cat);
    puts("\",\"name\":\"");
    putcstr(name);
    puts("\"");
  }
  // args opens the args with the emitter's m and p; the caller adds fields and calls end.
  void args(const traceTrack &t, const traceRec &r) {
    puts(",\"args\":{\"m\":");
    putint(t.mid);
    puts(",\"p\":");
    putint(r.p);
  }
  template <int64_t N> void field(const char (&k)[N], int64_t v) {
    puts(",\"");
    puts(k);
    puts("\":");
    putint(v);
  }
  template <int64_t N> void sfield(const char (&k)[N], const char *v) {
    puts(",\"");
    puts(k);
    puts("\":\"");
    putcstr(v);
    puts("\"");
  }
  void end() { puts("}},\n"); }

  static const char *mstateName(uint32_t s) {
    static const char *const names[traceMStateCount] = {
        "spinning", "executing", "idle",   "timersleep", "parked",
        "locked",   "exit",      "sysmon", "template",
    };
    return s < traceMStateCount ? names[s] : "?";
  }
  static const char *gstatusName(uint32_t s) {
    switch (s) {
    case traceGidle: return "idle";
    case traceGrunnable: return "runnable";
    case traceGrunning: return "running";
    case traceGsyscall: return "syscall";
    case traceGwaiting: return "waiting";
    case traceGdead: return "dead";
    }
    return "?";
  }
  // The instant's name for a G transition (Go's trace event names, lower case).
  static const char *gtransName(uint32_t from, uint32_t to) {
    if (to == traceGrunning)
      return from == traceGwaiting ? "goresume" : "gostart";
    if (to == traceGwaiting)
      return "gopark";
    if (to == traceGrunnable)
      return from == traceGwaiting ? "goready" : "gosched";
    if (to == traceGdead)
      return "goend";
    return "gostatus";
  }

  void counters(traceTrack &t, const traceRec &r) {
    if (t.countersSeen && r.nmspinning == t.lastNmspinning && r.npidle == t.lastNpidle)
      return; // unchanged since this M last wrote them
    t.countersSeen = true;
    t.lastNmspinning = r.nmspinning;
    t.lastNpidle = r.npidle;
    head('C', 0, r.ticks);
    puts(",\"name\":\"spinning Ms\",\"args\":{\"nmspinning\":");
    putint(int32_t(r.nmspinning));
    puts("}},\n");
    head('C', 0, r.ticks);
    puts(",\"name\":\"idle Ps\",\"args\":{\"npidle\":");
    putint(r.npidle);
    puts("}},\n");
  }

  // The array's first line.
  void begin() { puts("[\n"); }

  // format writes one record of M t.mid. An event kind the records cannot hold is written as
  // an instant named "?", so a corrupt file still gives well-formed JSON.
  void format(traceTrack &t, const traceRec &r) {
    int64_t mtid = traceMTid + t.mid;
    switch (r.ev) {
    case traceEvMState: {
      if (t.stateOpen) {
        head('E', mtid, r.ticks);
        puts(",\"cat\":\"mstate\"},\n");
      }
      const char *name = mstateName(r.mstate);
      t.stateOpen = r.mstate != traceMExit;
      head(t.stateOpen ? 'B' : 'i', mtid, r.ticks);
      named("mstate", name);
      args(t, r);
      sfield("state", name);
      field("nmspinning", int32_t(r.nmspinning));
      end();
      counters(t, r);
      return;
    }
    case traceEvProcStart:
    case traceEvProcStop: {
      bool start = r.ev == traceEvProcStart;
      head(start ? 'B' : 'E', 1 + r.a, r.ticks);
      puts(",\"cat\":\"");
      if (start)
        puts("procstart");
      else
        puts("procstop");
      puts("\",\"name\":\"M");
      putint(t.mid);
      puts("\"");
      args(t, r);
      field("proc", r.a);
      end();
      counters(t, r);
      return;
    }
    case traceEvGoCreate:
      head('i', mtid, r.ticks);
      named("g", "gocreate");
      args(t, r);
      field("g", r.a);
      puts(",\"fn\":\"");
      out.name(uint64_t(r.c));
      puts("\"");
      end();
      return;
    case traceEvGoStatus: {
      uint32_t from = uint32_t(r.b) & 0xff, to = uint32_t(r.b) >> 8 & 0xff;
      head('i', mtid, r.ticks);
      named("g", gtransName(from, to));
      args(t, r);
      field("g", r.a);
      sfield("from", gstatusName(from));
      sfield("to", gstatusName(to));
      if (to == traceGwaiting)
        sfield("reason", out.waitReason(uint32_t(r.b) >> 16 & 0xff));
      end();
      if ((to == traceGrunning || from == traceGrunning) && r.p >= 0) {
        head(to == traceGrunning ? 'B' : 'E', 1 + r.p, r.ticks);
        puts(",\"cat\":\"grun\",\"name\":\"g");
        putint(r.a);
        puts(" ");
        out.name(uint64_t(r.c));
        puts("\"");
        args(t, r);
        field("g", r.a);
        end();
      }
      return;
    }
    case traceEvProcResize:
      head('i', mtid, r.ticks);
      named("sched", "procresize");
      args(t, r);
      field("old", r.a);
      field("new", r.b);
      end();
      return;
    case traceEvSTWStart:
    case traceEvSTWDone:
      head(r.ev == traceEvSTWStart ? 'B' : 'E', 0, r.ticks);
      named("stw", "stop the world");
      args(t, r);
      end();
      return;
    }
    static const char *const names[traceEvCount] = {
        nullptr,    nullptr, nullptr,  nullptr, nullptr, "newm",  "steal",  "fairness",
        "runqputslow", "handoffp", "wakep", "startm", "preempt", nullptr, nullptr, nullptr,
        "schedseed",
    };
    head('i', mtid, r.ticks);
    named("sched", r.ev < traceEvCount ? names[r.ev] : "?");
    args(t, r);
    switch (r.ev) {
    case traceEvNewM:
      field("newm", r.a);
      sfield("template", r.b != 0 ? "true" : "false");
      break;
    case traceEvSteal:
      field("victim", r.a);
      field("n", r.b);
      break;
    case traceEvFairness:
      field("g", r.a);
      break;
    case traceEvRunqPutSlow:
      field("n", r.a);
      break;
    case traceEvHandoffP:
      field("proc", r.a);
      break;
    case traceEvWakep:
      field("nmspinning", int32_t(r.nmspinning));
      break;
    case traceEvStartM:
      field("proc", r.a);
      field("spinning", r.b);
      field("woken", r.c);
      field("nmspinning", int32_t(r.nmspinning));
      break;
    case traceEvPreempt:
      field("proc", r.a);
      field("g", r.b);
      break;
    case traceEvSchedSeed:
      // A string: the seed is a uint64, and JSON readers keep numbers as doubles.
      puts(",\"seed\":\"");
      putuint(uint64_t(r.a));
      puts("\"");
      sfield("given", r.b != 0 ? "true" : "false");
      break;
    }
    end();
  }

  // The names of the tracks, written last (metadata events may come anywhere in the file):
  // the process, Ps 0 to maxP-1, then each M given by `kind` (kind(i, &mid) returns the i-th
  // M's kind, false past the last), then the scheduler's track; and the closing bracket.
  template <typename Kinds> void names(int32_t maxP, Kinds kind) {
    puts("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":\"toy\"}},\n");
    for (int32_t i = 0; i < maxP; i++) {
      puts("{\"ph\":\"M\",\"pid\":1,\"tid\":");
      putint(1 + i);
      puts(",\"name\":\"thread_name\",\"args\":{\"name\":\"P");
      putint(i);
      puts("\"}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
      putint(1 + i);
      puts(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
      putint(i);
      puts("}},\n");
    }
    int64_t id = 0, k = 0;
    for (int64_t i = 0; kind(i, &id, &k); i++) {
      puts("{\"ph\":\"M\",\"pid\":1,\"tid\":");
      putint(traceMTid + id);
      puts(",\"name\":\"thread_name\",\"args\":{\"name\":\"M");
      putint(id);
      if (k == traceMTemplate)
        puts(" (template thread)");
      else if (k == traceMSysmon)
        puts(" (sysmon)");
      puts("\"}},\n{\"ph\":\"M\",\"pid\":1,\"tid\":");
      putint(traceMTid + id);
      puts(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
      putint(100000 + id);
      puts("}},\n");
    }
    puts("{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"thread_name\","
         "\"args\":{\"name\":\"scheduler\"}}\n]\n");
  }
};

} // namespace runtime

#endif
