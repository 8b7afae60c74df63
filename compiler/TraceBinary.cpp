//===- TraceBinary.cpp - toyc trace: the runtime's binary trace as JSON ----===//
//
// A binary trace (runtime/tracefmt.h: a header, then chunks of raw records, the start
// functions' names and the Ms' kinds) is read in two passes: the first checks every chunk's
// bounds and collects the tables and each goid's start pc (from its gocreate: a version-2
// trace's G records carry none), the second formats the records, chunk by chunk in file
// order, with the runtime's own JSON writer (traceJSON), so the text is what the runtime
// would have written for TOYTRACE=out.json.
//
//===----------------------------------------------------------------------===//
#include "Trace.h"

#include "../runtime/tracefmt.h"

#include <cstdio>
#include <cstring>
#include <map>

namespace toy {

using namespace runtime;

namespace {

// Text from the file goes into JSON strings: a quote, a backslash or a control byte in it
// (only a corrupt file has one) becomes '?'.
std::string clean(const char *s, size_t n) {
  std::string out(s, n);
  for (char &c : out)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      c = '?';
  return out;
}

// Out for traceJSON: appends to a string, which the caller drains to a file now and then.
struct StringOut {
  std::string &s;
  const std::map<uint64_t, std::string> &names;
  const std::vector<std::string> &reasons;
  void put(const char *p, int64_t n) { s.append(p, size_t(n)); }
  void name(uint64_t pc) {
    auto it = names.find(pc);
    if (it != names.end() && !it->second.empty()) {
      s += it->second;
      return;
    }
    char hex[24];
    snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(pc));
    s += hex;
  }
  const char *waitReason(uint32_t w) { return w < reasons.size() ? reasons[w].c_str() : "?"; }
};

struct Chunk {
  size_t off; // of its header
  traceChunk h;
};

} // namespace

bool isBinaryTrace(const std::string &data) {
  return data.size() >= sizeof traceMagic && memcmp(data.data(), traceMagic, sizeof traceMagic) == 0;
}

bool traceBinaryToJSON(const std::string &data, std::string &json,
                       const std::function<void(const std::string &)> &drain,
                       TraceBinaryStats &stats, std::string &err) {
  auto fail = [&](size_t off, const std::string &m) {
    err = std::to_string(off) + ": " + m;
    return false;
  };
  stats = TraceBinaryStats{};
  traceFileHeader h;
  if (data.size() < sizeof h)
    return fail(data.size(), "truncated binary trace: the header needs " +
                                 std::to_string(sizeof h) + " bytes");
  memcpy(&h, data.data(), sizeof h);
  if (memcmp(h.magic, traceMagic, sizeof traceMagic) != 0)
    return fail(0, "not a binary trace");
  if (h.version != traceVersion)
    return fail(8, "binary trace version " + std::to_string(h.version) + ", toyc reads " +
                       std::to_string(traceVersion) +
                       (h.version < traceVersion
                            ? ": an older runtime wrote it; rebuild the program and trace it again"
                            : ""));
  if (h.maxRecBytes != traceMaxRecBytes)
    return fail(12, "binary trace records of up to " + std::to_string(h.maxRecBytes) +
                        " bytes, toyc reads " + std::to_string(traceMaxRecBytes));

  // Pass 1: the chunks' bounds, the wait reasons, the names, the end.
  std::vector<Chunk> recs;
  std::vector<std::string> reasons;
  std::map<uint64_t, std::string> names;
  std::map<int64_t, uint64_t> startpcs; // goid -> start pc, from the gocreate records
  std::vector<std::pair<int64_t, int64_t>> ms; // M id, kind
  int64_t maxP = -1;
  size_t off = sizeof h;
  while (maxP < 0) {
    traceChunk c;
    if (data.size() - off < sizeof c)
      return fail(off, off == data.size()
                           ? "truncated binary trace: it ends before its end chunk"
                           : "truncated binary trace: a chunk header is cut short");
    memcpy(&c, data.data() + off, sizeof c);
    size_t body = off + sizeof c;
    if (data.size() - body < c.len)
      return fail(off, "truncated binary trace: the chunk needs " + std::to_string(c.len) +
                           " bytes, the file has " + std::to_string(data.size() - body));
    const char *p = data.data() + body;
    switch (c.kind) {
    case traceChunkWaitReasons: {
      for (size_t i = 0; i < c.len;) {
        const void *nul = memchr(p + i, 0, c.len - i);
        if (nul == nullptr)
          return fail(body + i, "bad binary trace: a wait reason is not terminated");
        size_t n = static_cast<const char *>(nul) - (p + i);
        reasons.push_back(clean(p + i, n));
        i += n + 1;
      }
      if (int64_t(reasons.size()) != c.arg)
        return fail(off, "bad binary trace: " + std::to_string(c.arg) +
                             " wait reasons announced, " + std::to_string(reasons.size()) +
                             " found");
      break;
    }
    case traceChunkRecs: {
      if (c.arg < 0)
        return fail(off, "bad binary trace: records of M" + std::to_string(c.arg));
      traceRec r;
      uint64_t prev = 0;
      auto *q = reinterpret_cast<const uint8_t *>(p), *end = q + c.len;
      for (; q < end; prev = r.ticks) {
        const uint8_t *next = traceDecode(q, end, r, prev);
        if (next == nullptr)
          return fail(body + (q - reinterpret_cast<const uint8_t *>(p)),
                      "bad binary trace: not a record");
        q = next;
        if (r.ev == traceEvGoCreate)
          startpcs[r.a] = uint64_t(r.c);
      }
      recs.push_back({off, c});
      stats.recordBytes += c.len;
      break;
    }
    case traceChunkNames: {
      size_t i = 0;
      for (int64_t k = 0; k < c.arg; k++) {
        uint64_t pc;
        uint32_t n;
        if (c.len - i < 12)
          return fail(body + i, "bad binary trace: a name is cut short");
        memcpy(&pc, p + i, 8);
        memcpy(&n, p + i + 8, 4);
        i += 12;
        if (c.len - i < n)
          return fail(body + i, "bad binary trace: a name is cut short");
        names[pc] = clean(p + i, n);
        i += n;
      }
      if (i != c.len)
        return fail(off, "bad binary trace: the names chunk has bytes after its names");
      break;
    }
    case traceChunkEnd:
      if (c.len % 16 != 0 || c.arg < 0 || c.arg > (1 << 20))
        return fail(off, "bad binary trace: a malformed end chunk");
      for (size_t i = 0; i < c.len; i += 16) {
        int64_t pair[2];
        memcpy(pair, p + i, 16);
        ms.push_back({pair[0], pair[1]});
      }
      maxP = c.arg;
      if (body + c.len != data.size())
        return fail(body + c.len, "bad binary trace: bytes after the end chunk");
      break;
    default:
      return fail(off, "bad binary trace: unknown chunk kind " + std::to_string(c.kind));
    }
    off = body + c.len;
  }

  // Pass 2: the records, then the track names.
  StringOut o{json, names, reasons};
  traceJSON<StringOut> j{o, h.tick0, h.nsPerTickQ32};
  auto flush = [&](size_t atLeast) {
    if (drain && json.size() >= atLeast) {
      drain(json);
      json.clear();
    }
  };
  j.begin();
  std::map<int64_t, traceTrack> tracks;
  stats.records = 0;
  for (const Chunk &c : recs) {
    auto it = tracks.find(c.h.arg);
    if (it == tracks.end())
      it = tracks.insert({c.h.arg, traceTrack{c.h.arg, false, false, 0, 0}}).first;
    auto *q = reinterpret_cast<const uint8_t *>(data.data() + c.off + sizeof(traceChunk));
    auto *end = q + c.h.len;
    traceRec r;
    for (uint64_t prev = 0; q < end; prev = r.ticks) {
      q = traceDecode(q, end, r, prev); // pass 1 read the same bytes
      if (r.ev == traceEvGoStatus && r.c == 0) {
        auto pc = startpcs.find(r.a); // a binary trace's G records leave the pc to gocreate
        r.c = pc == startpcs.end() ? 0 : int64_t(pc->second);
      }
      j.format(it->second, r);
      stats.records++;
      flush(1 << 20);
    }
  }
  if (ms.empty()) {
    json += "]\n"; // no M wrote an event: the runtime's empty array
  } else {
    j.names(int32_t(maxP), [&](int64_t i, int64_t *id, int64_t *kind) {
      if (size_t(i) >= ms.size())
        return false;
      *id = ms[i].first;
      *kind = ms[i].second;
      return true;
    });
  }
  flush(0);
  return true;
}

} // namespace toy
