//===- Trace.cpp - toyc trace: reading the event log, the subcommands -----===//
#include "Driver.h"
#include "Trace.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace toy {

int64_t TraceEvent::num(const std::string &k, int64_t dflt) const {
  auto it = args.find(k);
  if (it == args.end())
    return dflt;
  return strtoll(it->second.c_str(), nullptr, 10);
}

std::string TraceEvent::str(const std::string &k) const {
  auto it = args.find(k);
  return it == args.end() ? std::string() : it->second;
}

namespace {

// A reader for the JSON the runtime writes: objects, arrays, strings, numbers, true/false/null.
struct Reader {
  const std::string &s;
  size_t i = 0;
  std::string err;

  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
      ++i;
  }
  bool fail(const std::string &m) {
    if (err.empty())
      err = std::to_string(i) + ": " + m;
    return false;
  }
  bool string(std::string &out) {
    if (i >= s.size() || s[i] != '"')
      return fail("expected a string");
    for (++i; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        ++i;
        char c = s[i];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += s[i];
      }
    }
    if (i >= s.size())
      return fail("unterminated string");
    ++i;
    return true;
  }
  // scalar reads a number, string or literal as text.
  bool scalar(std::string &out) {
    ws();
    if (i < s.size() && s[i] == '"')
      return string(out);
    size_t b = i;
    while (i < s.size() && (isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' ||
                            s[i] == '+' || s[i] == '.'))
      ++i;
    if (b == i)
      return fail("expected a value");
    out = s.substr(b, i - b);
    return true;
  }
  // object reads {"k": v, ...}, handing each key to f, which reads the value.
  template <typename F> bool object(F f) {
    ws();
    if (i >= s.size() || s[i] != '{')
      return fail("expected '{'");
    ++i;
    ws();
    if (i < s.size() && s[i] == '}') {
      ++i;
      return true;
    }
    for (;;) {
      ws();
      std::string k;
      if (!string(k))
        return false;
      ws();
      if (i >= s.size() || s[i] != ':')
        return fail("expected ':'");
      ++i;
      if (!f(k))
        return false;
      ws();
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size() && s[i] == '}') {
        ++i;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }
  bool event(TraceEvent &e) {
    return object([&](const std::string &k) {
      if (k == "args") {
        ws();
        return object([&](const std::string &ak) { return scalar(e.args[ak]); });
      }
      std::string v;
      if (!scalar(v))
        return false;
      if (k == "ph")
        e.ph = v;
      else if (k == "cat")
        e.cat = v;
      else if (k == "name")
        e.name = v;
      else if (k == "tid")
        e.tid = strtoll(v.c_str(), nullptr, 10);
      else if (k == "ts")
        e.ts = strtod(v.c_str(), nullptr);
      return true;
    });
  }
};

} // namespace

// readFile reads path whole; false if it cannot be opened.
static bool readFile(const std::string &path, std::string &data) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::stringstream ss;
  ss << in.rdbuf();
  data = ss.str();
  return true;
}

bool readTrace(const std::string &path, std::vector<TraceEvent> &events, std::string &err) {
  std::string text;
  if (!readFile(path, text)) {
    err = path + ": cannot open";
    return false;
  }
  if (isBinaryTrace(text)) {
    std::string json;
    TraceBinaryStats stats;
    if (!traceBinaryToJSON(text, json, nullptr, stats, err)) {
      err = path + ":" + err;
      return false;
    }
    text.swap(json);
  }
  Reader r{text, 0, {}};
  r.ws();
  if (r.i >= text.size() || text[r.i] != '[') {
    err = path + ":0: not a trace: expected '['";
    return false;
  }
  ++r.i;
  for (;;) {
    r.ws();
    if (r.i >= text.size() || text[r.i] == ']')
      break; // the closing bracket is optional, as in Chrome's JSON array format
    TraceEvent e;
    e.index = events.size();
    if (!r.event(e)) {
      err = path + ":" + r.err;
      return false;
    }
    events.push_back(std::move(e));
    r.ws();
    if (r.i < text.size() && text[r.i] == ',')
      ++r.i;
  }
  return true;
}

// traceJSON is `toyc trace json in.trace [-o out.json]`.
static int traceJSONCommand(const std::string &in, std::string out) {
  std::string data, err;
  if (!readFile(in, data)) {
    fprintf(stderr, "toyc: %s: cannot open\n", in.c_str());
    return 1;
  }
  if (!isBinaryTrace(data)) {
    fprintf(stderr, "toyc: %s:0: not a binary trace\n", in.c_str());
    return 1;
  }
  if (out.empty()) { // out.trace -> out.json
    out = in;
    if (out.size() > 6 && out.compare(out.size() - 6, 6, ".trace") == 0)
      out.resize(out.size() - 6);
    out += ".json";
  }
  // The file is made once the trace has been checked, so bad input leaves none.
  FILE *f = nullptr;
  bool written = true;
  auto drain = [&](const std::string &text) {
    if (f == nullptr && written && (f = fopen(out.c_str(), "wb")) == nullptr)
      written = false;
    if (f != nullptr && fwrite(text.data(), 1, text.size(), f) != text.size())
      written = false;
  };
  std::string json;
  TraceBinaryStats stats;
  if (!traceBinaryToJSON(data, json, drain, stats, err)) {
    fprintf(stderr, "toyc: %s:%s\n", in.c_str(), err.c_str());
    return 1;
  }
  if (f != nullptr && fclose(f) != 0)
    written = false;
  if (!written || f == nullptr) {
    fprintf(stderr, "toyc: cannot write %s\n", out.c_str());
    return 1;
  }
  // The records' bytes are what tracing costs the kernel's write (docs/performance.md).
  printf("wrote %s: %zu records, %zu bytes of records (%.1f a record)\n", out.c_str(),
         stats.records, stats.recordBytes,
         stats.records == 0 ? 0.0 : double(stats.recordBytes) / double(stats.records));
  return 0;
}

int runTraceCommand(const std::vector<std::string> &args) {
  auto usage = [] {
    fprintf(stderr, "usage: toyc trace check out.trace|out.json\n"
                    "       toyc trace view out.trace|out.json [-o out.html]\n"
                    "       toyc trace json out.trace [-o out.json]\n");
    return 2;
  };
  if (args.empty() || (args[0] != "check" && args[0] != "view" && args[0] != "json"))
    return usage();
  std::string in, out;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-o" && args[0] != "check" && i + 1 < args.size())
      out = args[++i];
    else if (in.empty() && args[i][0] != '-')
      in = args[i];
    else
      return usage();
  }
  if (in.empty())
    return usage();
  if (args[0] == "json")
    return traceJSONCommand(in, out);
  std::vector<TraceEvent> events;
  std::string err;
  if (!readTrace(in, events, err)) {
    fprintf(stderr, "toyc: %s\n", err.c_str());
    return 1;
  }
  if (args[0] == "check")
    return traceCheck(events);
  if (out.empty()) { // out.json or out.trace -> out.html
    out = in;
    for (const char *ext : {".json", ".trace"}) {
      size_t n = strlen(ext);
      if (out.size() > n && out.compare(out.size() - n, n, ext) == 0) {
        out.resize(out.size() - n);
        break;
      }
    }
    out += ".html";
  }
  return traceView(events, out);
}

} // namespace toy
