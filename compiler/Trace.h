//===- Trace.h - reading the runtime's TOYTRACE event log ----------------===//
//
// The runtime (runtime/trace.cpp) writes its binary trace (runtime/tracefmt.h), or, for a
// .json name, Chrome trace-event JSON: one array of objects with ph, pid, tid, ts
// (microseconds), cat, name and args. TraceBinary.cpp turns the binary trace into that JSON;
// readTrace reads the subset the runtime writes from either; `toyc trace check`
// (TraceCheck.cpp) replays it, `toyc trace view` (TraceView.cpp) draws it, `toyc trace json`
// writes a binary trace's JSON.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_TRACE_H
#define TOY_TRACE_H

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace toy {

struct TraceEvent {
  size_t index = 0; // position in the file's array
  std::string ph, cat, name;
  int64_t tid = 0;
  double ts = 0;
  std::map<std::string, std::string> args; // numbers as their text
  bool has(const std::string &k) const { return args.count(k) != 0; }
  int64_t num(const std::string &k, int64_t dflt = -1) const;
  std::string str(const std::string &k) const;
};

/// Whether `data` starts with the binary trace's magic.
bool isBinaryTrace(const std::string &data);
/// Formats the binary trace `data` as the runtime's JSON, appended to `json`; with `drain`,
/// each piece of the text is handed to it as it grows, and `json` ends empty. The whole file is
/// checked before any text is made. `stats` counts the records read and the bytes they take.
/// On error (a bad or truncated file), sets `err` to "offset: message" and returns false.
struct TraceBinaryStats {
  size_t records = 0;     // records formatted
  size_t recordBytes = 0; // bytes of the records chunks' bodies: the encoded records
};
bool traceBinaryToJSON(const std::string &data, std::string &json,
                       const std::function<void(const std::string &)> &drain,
                       TraceBinaryStats &stats, std::string &err);

/// Reads a trace file, binary or JSON. The closing ']' may be missing (a program that died before writing
/// it). On error, sets `err` to "file:offset: message" and returns false.
bool readTrace(const std::string &path, std::vector<TraceEvent> &events, std::string &err);

/// Checks the scheduler's invariants; prints the first violation or the summary.
int traceCheck(const std::vector<TraceEvent> &events);
/// Writes the HTML timeline to `out`.
int traceView(const std::vector<TraceEvent> &events, const std::string &out);

} // namespace toy

#endif
