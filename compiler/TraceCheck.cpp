//===- TraceCheck.cpp - toyc trace check: replaying the scheduler ---------===//
//
// Replays a TOYTRACE log in timestamp order (events of one M keep their file order) and checks:
// every M state change is an arrow of docs/runtime.md's M state diagram; a spinning M holds a
// P and a parked one holds none; nmspinning is never negative; a P has one M at a time; a G
// runs on at most one M at a time and an M runs one G at a time; every goready follows a
// gopark of that G. The first violation is printed with the event's index in the file, exit
// status 1; otherwise `ok: N events, M Ms, P Ps, G Gs`.
//
//===----------------------------------------------------------------------===//
#include "Trace.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace toy {

namespace {

// The arrows of the M state diagram (docs/runtime.md), with "start" for a new M. sysmon and
// the template thread run without a P, outside the diagram.
bool allowed(const std::string &from, const std::string &to) {
  static const std::map<std::string, std::set<std::string>> arrows = {
      {"start", {"spinning", "executing", "sysmon", "template"}},
      {"spinning", {"executing", "idle"}},
      {"executing", {"spinning", "idle", "locked"}},
      {"idle", {"spinning", "executing", "timersleep", "parked", "exit"}},
      {"timersleep", {"spinning", "executing", "parked"}},
      {"parked", {"spinning", "executing"}},
      {"locked", {"executing"}},
  };
  auto it = arrows.find(from);
  return it != arrows.end() && it->second.count(to) != 0;
}

struct MState {
  std::string state = "start";
  int64_t p = -1;
  int64_t g = -1; // the G it runs
};
struct GState {
  std::string state = "runnable";
  int64_t m = -1;   // the M it runs on
  bool parked = false;
};

struct Checker {
  std::map<int64_t, MState> ms;
  std::map<int64_t, int64_t> pOwner; // P -> M
  std::map<int64_t, GState> gs;
  std::string violation;

  bool fail(const std::string &msg) {
    violation = msg;
    return false;
  }
  static std::string M(int64_t id) { return "M" + std::to_string(id); }
  static std::string P(int64_t id) { return "P" + std::to_string(id); }
  static std::string G(int64_t id) { return "g" + std::to_string(id); }

  bool release(int64_t mid, MState &m) {
    pOwner.erase(m.p);
    m.p = -1;
    return true;
  }

  bool step(const TraceEvent &e) {
    if (e.has("nmspinning") && e.num("nmspinning") < 0)
      return fail("nmspinning is negative (" + e.str("nmspinning") + ")");
    if (!e.has("m"))
      return true;
    int64_t mid = e.num("m");
    MState &m = ms[mid];
    if (e.cat == "mstate") {
      std::string to = e.str("state");
      if (!allowed(m.state, to))
        return fail(M(mid) + " goes from " + m.state + " to " + to +
                    ", which the M state diagram does not allow");
      m.state = to;
      if (to == "spinning" && m.p < 0)
        return fail("spinning " + M(mid) + " holds no P");
      if ((to == "parked" || to == "locked" || to == "timersleep") && m.p >= 0)
        return fail(to + " " + M(mid) + " holds " + P(m.p));
      if (to != "executing" && m.g >= 0)
        return fail(M(mid) + " is " + to + " while running " + G(m.g));
      return true;
    }
    if (e.cat == "procstart") {
      int64_t pid = e.num("proc");
      auto it = pOwner.find(pid);
      if (it != pOwner.end() && it->second != mid)
        return fail(M(mid) + " acquires " + P(pid) + ", which " + M(it->second) + " holds");
      // A parked M acquires its P as it wakes (stopm, stoplockedm), then says what it is.
      if (m.p >= 0)
        release(mid, m); // procresize moves the M to P0 without releasep
      m.p = pid;
      pOwner[pid] = mid;
      return true;
    }
    if (e.cat == "procstop") {
      int64_t pid = e.num("proc");
      if (m.p != pid)
        return fail(M(mid) + " releases " + P(pid) + ", which it does not hold");
      if (m.state == "spinning")
        return fail("spinning " + M(mid) + " releases its P");
      return release(mid, m);
    }
    if (e.cat != "g" || !e.has("g"))
      return true;
    int64_t gid = e.num("g");
    GState &g = gs[gid];
    if (e.name == "gocreate") {
      g = GState{};
      return true;
    }
    std::string from = e.str("from"), to = e.str("to");
    if (from == "running") {
      if (g.m != mid)
        return fail(G(gid) + " stops running on " + M(mid) + " but runs on " +
                    (g.m < 0 ? std::string("no M") : M(g.m)));
      g.m = -1;
      m.g = -1;
    }
    if (to == "running") {
      if (g.m >= 0)
        return fail(G(gid) + " starts on " + M(mid) + " while running on " + M(g.m));
      if (m.g >= 0)
        return fail(M(mid) + " starts " + G(gid) + " while running " + G(m.g));
      if (m.state != "executing" && m.state != "start")
        return fail(m.state + " " + M(mid) + " runs " + G(gid));
      g.m = mid;
      m.g = gid;
    }
    if (e.name == "gopark")
      g.parked = true;
    if (e.name == "goready" || e.name == "goresume") {
      if (!g.parked)
        return fail(e.name + " of " + G(gid) + " without a gopark");
      g.parked = false;
    }
    g.state = to;
    return true;
  }
};

} // namespace

int traceCheck(const std::vector<TraceEvent> &events) {
  std::vector<const TraceEvent *> order;
  for (auto &e : events)
    if (e.ph != "M" && e.ph != "C")
      order.push_back(&e);
  // By time; events at the same time keep their file order (an M's are written in order).
  std::sort(order.begin(), order.end(), [](const TraceEvent *a, const TraceEvent *b) {
    return a->ts != b->ts ? a->ts < b->ts : a->index < b->index;
  });
  Checker c;
  std::set<int64_t> ps;
  for (const TraceEvent *e : order) {
    if (!c.step(*e)) {
      printf("trace check: event %zu (ts %.3f, %s %s): %s\n", e->index, e->ts, e->cat.c_str(),
             e->name.c_str(), c.violation.c_str());
      return 1;
    }
    if (e->cat == "procstart")
      ps.insert(e->num("proc"));
    for (int64_t i = 0; e->name == "procresize" && i < e->num("new"); i++)
      ps.insert(i); // the Ps there are, used or not
  }
  printf("ok: %zu events, %zu Ms, %zu Ps, %zu Gs\n", events.size(), c.ms.size(), ps.size(),
         c.gs.size());
  return 0;
}

} // namespace toy
