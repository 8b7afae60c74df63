// The runtime's DWARF 5 line-program reader (runtime/dwarfline.cpp), hosted, on a line
// program written here: dwarfpcline finds the row covering a pc, through dwarfunits' index
// and without it; joins a relative directory to the compilation directory and cleans the
// path; gives a row at line 0 the line before it; stops at 2^62 directories of no fields;
// and on every truncation of the sections, placed against an unreadable page, and every
// one-byte corruption, returns without reading past them (a fault here) or looping.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dwarfline.h"

using namespace runtime;

namespace {

struct Bytes {
  std::vector<uint8_t> b;
  void u8(uint8_t v) { b.push_back(v); }
  void fixed(uint64_t v, int k) {
    for (int i = 0; i < k; i++)
      b.push_back(uint8_t(v >> (8 * i)));
  }
  void uleb(uint64_t v) {
    do {
      uint8_t c = v & 0x7f;
      v >>= 7;
      b.push_back(v != 0 ? c | 0x80 : c);
    } while (v != 0);
  }
  void sleb(int64_t v) {
    for (;;) {
      uint8_t c = v & 0x7f;
      v >>= 7;
      bool done = (v == 0 && (c & 0x40) == 0) || (v == -1 && (c & 0x40) != 0);
      b.push_back(done ? c : c | 0x80);
      if (done)
        return;
    }
  }
  void str(const char *s) { b.insert(b.end(), s, s + strlen(s) + 1); }
};

// .debug_line_str: the compilation directory at 0, the sources' directory after it.
const char lineStr[] = "/b/build\0../runtime";
constexpr uint64_t runtimeDirOff = 9;

// One unit: proc.cpp (file 0) and stubs.h (file 1) in directory 1; rows
// 0x1000 proc.cpp:100, 0x1010 :102, 0x1020 line 0, 0x1030 stubs.h:50, end at 0x1040.
// With noDirs, the directory entries have no fields and there are 2^62 of them.
std::vector<uint8_t> lineProgram(bool noDirs = false) {
  Bytes h;           // the header after header_length
  h.u8(1);           // minimum_instruction_length
  h.u8(1);           // maximum_operations_per_instruction
  h.u8(1);           // default_is_stmt
  h.u8(uint8_t(-5)); // line_base
  h.u8(14);          // line_range
  h.u8(13);          // opcode_base
  for (uint8_t n : {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1})
    h.u8(n);
  if (noDirs) {
    h.u8(0);
    h.uleb(uint64_t(1) << 62);
  } else {
    h.u8(1); // directory formats: path as line_strp
    h.uleb(1);
    h.uleb(0x1f);
    h.uleb(2);
    h.fixed(0, 4);
    h.fixed(runtimeDirOff, 4);
  }
  h.u8(3); // file formats: path as string, directory index as udata, MD5 as data16
  h.uleb(1);
  h.uleb(0x08);
  h.uleb(2);
  h.uleb(0x0f);
  h.uleb(5);
  h.uleb(0x1e);
  h.uleb(2);
  for (const char *name : {"proc.cpp", "stubs.h"}) {
    h.str(name);
    h.uleb(1);
    h.fixed(0, 8);
    h.fixed(0, 8);
  }
  Bytes p;                                               // the program
  p.u8(0), p.uleb(9), p.u8(2), p.fixed(0x1000, 8);       // set_address
  p.u8(3), p.sleb(99);                                   // advance_line: 100
  p.u8(4), p.uleb(0);                                    // set_file 0
  p.u8(1);                                               // copy
  p.u8(13 + (2 + 5) + 14 * 0x10);                        // special: +0x10, line +2
  p.u8(2), p.uleb(0x10), p.u8(3), p.sleb(-102), p.u8(1); // 0x1020, line 0
  p.u8(2), p.uleb(0x10), p.u8(3), p.sleb(50), p.u8(4), p.uleb(1), p.u8(1);
  p.u8(2), p.uleb(0x10), p.u8(0), p.uleb(1), p.u8(1); // end_sequence at 0x1040

  Bytes u;
  u.fixed(2 + 1 + 1 + 4 + h.b.size() + p.b.size(), 4); // unit_length
  u.fixed(5, 2);                                       // version
  u.u8(8);                                             // address_size
  u.u8(0);                                             // segment_selector_size
  u.fixed(h.b.size(), 4);                              // header_length
  u.b.insert(u.b.end(), h.b.begin(), h.b.end());
  u.b.insert(u.b.end(), p.b.begin(), p.b.end());
  return u.b;
}

// Guarded holds bytes at the end of a readable page followed by an unreadable one, so that
// any read past them faults.
struct Guarded {
  size_t page = size_t(sysconf(_SC_PAGESIZE));
  uint8_t *base;
  Guarded() {
    base = static_cast<uint8_t *>(
        mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    mprotect(base + page, page, PROT_NONE);
  }
  ~Guarded() { munmap(base, 2 * page); }
  const uint8_t *put(const uint8_t *p, size_t n) {
    memcpy(base + page - n, p, n);
    return base + page - n;
  }
};

std::string lookup(const dwarfLineSections &s, const dwarfUnitRange *units, int64_t nunits,
                   uint64_t pc) {
  char file[64];
  int32_t line = -1;
  int64_t n = dwarfpcline(s, units, nunits, pc, file, sizeof file, &line);
  if (n == 0)
    return "";
  return std::string(file, size_t(n)) + ":" + std::to_string(line);
}

} // namespace

TEST(DwarfLine, FindsRowsThroughIndexAndScan) {
  std::vector<uint8_t> prog = lineProgram();
  dwarfLineSections s{{prog.data(), prog.size()},
                      {reinterpret_cast<const uint8_t *>(lineStr), sizeof lineStr},
                      {nullptr, 0}};
  dwarfUnitRange units[4];
  int64_t nunits = dwarfunits(s, units, 4);
  ASSERT_EQ(nunits, 1);
  EXPECT_EQ(units[0].off, 0u);
  EXPECT_EQ(units[0].lo, 0x1000u);
  EXPECT_EQ(units[0].hi, 0x1040u);
  EXPECT_EQ(dwarfunits(s, units, 0), -1);
  for (int64_t k : {nunits, int64_t(-1)}) {
    EXPECT_EQ(lookup(s, units, k, 0xfff), "");
    EXPECT_EQ(lookup(s, units, k, 0x1000), "/b/runtime/proc.cpp:100");
    EXPECT_EQ(lookup(s, units, k, 0x100f), "/b/runtime/proc.cpp:100");
    EXPECT_EQ(lookup(s, units, k, 0x1010), "/b/runtime/proc.cpp:102");
    EXPECT_EQ(lookup(s, units, k, 0x1025), "/b/runtime/proc.cpp:102"); // the line-0 row
    EXPECT_EQ(lookup(s, units, k, 0x103f), "/b/runtime/stubs.h:50");
    EXPECT_EQ(lookup(s, units, k, 0x1040), "");
  }
}

TEST(DwarfLine, EntriesOfNoFieldsEndTheWalk) {
  std::vector<uint8_t> prog = lineProgram(/*noDirs=*/true);
  dwarfLineSections s{{prog.data(), prog.size()},
                      {reinterpret_cast<const uint8_t *>(lineStr), sizeof lineStr},
                      {nullptr, 0}};
  EXPECT_EQ(lookup(s, nullptr, -1, 0x1000), "proc.cpp:100");
}

TEST(DwarfLine, TruncatedOrCorruptSectionsAreNeverOverread) {
  std::vector<uint8_t> prog = lineProgram();
  Guarded gline, gstr;
  const uint8_t *str = gstr.put(reinterpret_cast<const uint8_t *>(lineStr), sizeof lineStr);
  dwarfUnitRange units[4];
  for (size_t n = 0; n <= prog.size(); n++) {
    dwarfLineSections s{{gline.put(prog.data(), n), n}, {str, sizeof lineStr}, {nullptr, 0}};
    int64_t k = dwarfunits(s, units, 4);
    lookup(s, units, k, 0x1010);
    lookup(s, units, -1, 0x1035);
  }
  for (size_t n = 0; n <= sizeof lineStr; n++) {
    dwarfLineSections s{{prog.data(), prog.size()},
                        {gstr.put(reinterpret_cast<const uint8_t *>(lineStr), n), n},
                        {nullptr, 0}};
    std::string got = lookup(s, units, -1, 0x1010);
    EXPECT_TRUE(got.empty() || got.find(":102") != std::string::npos) << got;
  }
  for (size_t i = 0; i < prog.size(); i++) {
    for (uint8_t v : {uint8_t(0x00), uint8_t(0x80), uint8_t(0xff)}) {
      std::vector<uint8_t> bad = prog;
      bad[i] = v;
      dwarfLineSections s{
          {gline.put(bad.data(), bad.size()), bad.size()}, {str, sizeof lineStr}, {nullptr, 0}};
      int64_t k = dwarfunits(s, units, 4);
      lookup(s, units, k, 0x1010);
      lookup(s, units, -1, 0x1035);
    }
  }
}
