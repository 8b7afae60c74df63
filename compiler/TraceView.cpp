//===- TraceView.cpp - toyc trace view: the HTML timeline -----------------===//
//
// Writes one self-contained HTML file (no network, no external script): the trace's tracks
// (each P, then each M), its spans (B/E pairs per track: P ownership, G runs coloured by
// goroutine, M states), its instant events, and three counters computed by replaying the
// trace in time order: runnable Gs, spinning Ms and idle Ps. The page draws them on a canvas
// with the script in TraceViewPage.inc: the wheel zooms, dragging pans, hovering shows an
// event's details.
//
//===----------------------------------------------------------------------===//
#include "Trace.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace toy {

namespace {

const char *kPageHead =
#include "TraceViewPage.inc"
    ;

// quote writes s as a JSON string that is also safe inside <script>.
void quote(std::ostream &o, const std::string &s) {
  o << '"';
  for (char c : s) {
    if (c == '"' || c == '\\')
      o << '\\' << c;
    else if (c == '<')
      o << "\\u003c";
    else if (static_cast<unsigned char>(c) < 0x20)
      o << ' ';
    else
      o << c;
  }
  o << '"';
}

std::string details(const TraceEvent &e) {
  std::string d = e.cat.empty() ? e.name : e.cat + " " + e.name;
  for (auto &[k, v] : e.args)
    d += "\n" + k + ": " + v;
  return d;
}

} // namespace

int traceView(const std::vector<TraceEvent> &events, const std::string &out) {
  std::vector<const TraceEvent *> order;
  std::map<int64_t, std::string> names;
  for (auto &e : events) {
    if (e.ph == "M" && e.name == "thread_name")
      names[e.tid] = e.str("name");
    else if (e.ph != "M")
      order.push_back(&e);
  }
  std::sort(order.begin(), order.end(), [](const TraceEvent *a, const TraceEvent *b) {
    return a->ts != b->ts ? a->ts < b->ts : a->index < b->index;
  });

  // Tracks: the scheduler track (tid 0) only if it has events; Ps (tid < 100000), then Ms.
  std::set<int64_t> tids;
  for (auto *e : order)
    if (e->ph != "C")
      tids.insert(e->tid);
  std::vector<int64_t> trackTids(tids.begin(), tids.end());
  std::map<int64_t, size_t> track;
  for (size_t i = 0; i < trackTids.size(); ++i)
    track[trackTids[i]] = i;

  std::ostringstream spans, instants, counters;
  std::map<int64_t, std::vector<std::pair<const TraceEvent *, size_t>>> open; // tid -> B stack
  double t0 = order.empty() ? 0 : order.front()->ts, t1 = order.empty() ? 1 : order.back()->ts;
  // Replayed counters.
  std::map<int64_t, std::string> gstate, mstate;
  int64_t runnable = 0, spinning = 0, idle = 0;
  bool first = true, firstI = true, firstC = true;
  auto counter = [&](double ts) {
    counters << (firstC ? "" : ",") << "[" << ts - t0 << "," << runnable << "," << spinning << ","
             << idle << "]";
    firstC = false;
  };
  auto span = [&](const TraceEvent &b, double end, size_t depth) {
    // [track, start, end, depth, label, colour key, details]
    int64_t key = b.cat == "grun" ? b.num("g") : -1;
    spans << (first ? "" : ",") << "[" << track[b.tid] << "," << b.ts - t0 << "," << end - t0
          << "," << depth << ",";
    quote(spans, b.name);
    spans << "," << key << ",";
    quote(spans, b.cat == "mstate" ? b.cat : b.cat == "grun" ? "g" : "own");
    spans << ",";
    quote(spans, details(b));
    spans << "]";
    first = false;
  };
  for (auto *e : order) {
    if (e->ph == "C") {
      if (e->has("npidle")) {
        idle = e->num("npidle");
        counter(e->ts);
      }
      continue;
    }
    if (e->ph == "B") {
      auto &st = open[e->tid];
      st.push_back({e, st.size()});
    } else if (e->ph == "E") {
      auto &st = open[e->tid];
      if (!st.empty()) {
        span(*st.back().first, e->ts, st.back().second);
        st.pop_back();
      }
    } else if (e->ph == "i") {
      instants << (firstI ? "" : ",") << "[" << track[e->tid] << "," << e->ts - t0 << ",";
      quote(instants, e->name);
      instants << ",";
      quote(instants, details(*e));
      instants << "]";
      firstI = false;
    }
    bool changed = false;
    if (e->cat == "g" && e->has("g")) {
      int64_t g = e->num("g");
      std::string to = e->name == "gocreate" ? "runnable" : e->str("to");
      std::string &from = gstate[g];
      runnable += (to == "runnable") - (from == "runnable");
      changed = from != to;
      from = to;
    } else if (e->cat == "mstate") {
      std::string &from = mstate[e->num("m")];
      std::string to = e->str("state");
      spinning += (to == "spinning") - (from == "spinning");
      changed = from != to;
      from = to;
    }
    if (changed)
      counter(e->ts);
  }
  for (auto &[tid, st] : open)
    for (auto &[b, depth] : st)
      span(*b, t1, depth); // still open at the end of the trace

  std::ostringstream tracksJson;
  for (size_t i = 0; i < trackTids.size(); ++i) {
    int64_t tid = trackTids[i];
    std::string name = names.count(tid) ? names[tid]
                       : tid == 0       ? std::string("scheduler")
                       : tid < 100000   ? "P" + std::to_string(tid - 1)
                                        : "M" + std::to_string(tid - 100000);
    tracksJson << (i ? "," : "");
    quote(tracksJson, name);
  }

  std::ofstream f(out, std::ios::binary);
  if (!f) {
    fprintf(stderr, "toyc: cannot write %s\n", out.c_str());
    return 1;
  }
  f << kPageHead << "const DATA = {duration:" << t1 - t0 << ",tracks:[" << tracksJson.str()
    << "],\nspans:[" << spans.str() << "],\ninstants:[" << instants.str() << "],\ncounters:["
    << counters.str() << "]};\nmain(DATA);\n</script>\n</body>\n</html>\n";
  if (!f.good()) {
    fprintf(stderr, "toyc: cannot write %s\n", out.c_str());
    return 1;
  }
  printf("wrote %s: %zu tracks, %zu events\n", out.c_str(), trackTids.size(), order.size());
  return 0;
}

} // namespace toy
