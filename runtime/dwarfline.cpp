// DWARF 5 line programs (dwarfline.h; the format is DWARF 5 §6.2).
//
// Differs from Go: Go's runtime is described by its own pclntab. toy's runtime is C++ and
// assembly compiled with -g, whose line programs the linker keeps in .debug_line (unless the
// binary was built with -g0 or stripped); the first runtime frame a traceback prints runs
// them all to find each unit's pcs (dwarfunits), and each frame then runs its unit's
// (dwarfpcline), with no allocation and no libc. Only version 5 units are read (what clang
// 19 and its assembler emit); any other is skipped.

#include "dwarfline.h"

namespace runtime {

namespace {

// reader reads little-endian values from [p, end); past the end it reads zeros and ok turns
// false, so a malformed section only ever ends the search.
struct reader {
  const uint8_t *p, *end;
  bool ok = true;

  bool has(uint64_t k) {
    if (ok && uint64_t(end - p) >= k)
      return true;
    ok = false;
    p = end;
    return false;
  }
  uint64_t fixed(int k) {
    if (!has(k))
      return 0;
    uint64_t v = 0;
    for (int i = 0; i < k; i++)
      v |= uint64_t(p[i]) << (8 * i);
    p += k;
    return v;
  }
  uint8_t u8() { return uint8_t(fixed(1)); }
  uint64_t uleb() {
    uint64_t v = 0;
    for (int shift = 0; has(1); shift += 7) {
      uint8_t b = *p++;
      if (shift < 64)
        v |= uint64_t(b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return v;
    }
    return 0;
  }
  int64_t sleb() {
    uint64_t v = 0;
    int shift = 0;
    while (has(1)) {
      uint8_t b = *p++;
      if (shift < 64)
        v |= uint64_t(b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        if (shift < 64 && (b & 0x40) != 0)
          v |= ~uint64_t(0) << shift;
        return int64_t(v);
      }
    }
    return 0;
  }
  void skip(uint64_t k) {
    if (has(k))
      p += k;
  }
  // cstr returns the NUL-terminated string at p and steps over it, or null.
  const char *cstr() {
    const uint8_t *s = p;
    while (p < end && *p != 0)
      p++;
    if (p == end) {
      ok = false;
      return nullptr;
    }
    p++;
    return reinterpret_cast<const char *>(s);
  }
};

// The forms and content types a v5 directory or file entry uses (DWARF 5 §7.5.6, §7.22).
constexpr uint64_t DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a, DW_FORM_data1 = 0x0b,
                   DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06, DW_FORM_data8 = 0x07,
                   DW_FORM_data16 = 0x1e, DW_FORM_string = 0x08, DW_FORM_strp = 0x0e,
                   DW_FORM_udata = 0x0f, DW_FORM_line_strp = 0x1f;
constexpr uint64_t DW_LNCT_path = 1, DW_LNCT_directory_index = 2;

// Standard and extended opcodes (DWARF 5 §6.2.5.2, §6.2.5.3).
enum : uint8_t {
  DW_LNS_copy = 1,
  DW_LNS_advance_pc,
  DW_LNS_advance_line,
  DW_LNS_set_file,
  DW_LNS_set_column,
  DW_LNS_negate_stmt,
  DW_LNS_set_basic_block,
  DW_LNS_const_add_pc,
  DW_LNS_fixed_advance_pc,
  DW_LNS_prologue_end,
  DW_LNS_epilogue_begin,
  DW_LNS_set_isa,
};
enum : uint8_t { DW_LNE_end_sequence = 1, DW_LNE_set_address = 2 };

constexpr int maxFormats = 8; // clang writes 2 for directories, up to 4 for files

// entryFormat is a directory or file entry's layout: pairs of content type and form.
struct entryFormat {
  uint8_t n;
  uint16_t type[maxFormats], form[maxFormats];
};

// unit is what a line program's header says, as far as finding a row and its file needs.
struct unit {
  const dwarfLineSections *s;
  bool dwarf64;
  uint8_t minInst, lineRange, opcodeBase;
  int8_t lineBase;
  const uint8_t *opcodeLengths; // operand counts of the standard opcodes 1..opcodeBase-1
  entryFormat dirfmt, filefmt;
  const uint8_t *dirs, *files; // the first directory and file entry
  uint64_t ndirs, nfiles;
  const uint8_t *end; // the unit's end
};

bool readFormat(reader &r, entryFormat &f) {
  f.n = r.u8();
  if (f.n > maxFormats)
    return false;
  for (int i = 0; i < f.n; i++) {
    f.type[i] = uint16_t(r.uleb());
    f.form[i] = uint16_t(r.uleb());
  }
  return r.ok;
}

// strAt returns the NUL-terminated string at off in sec, or null if it does not end there.
const char *strAt(const dwarfSection &sec, uint64_t off) {
  if (sec.p == nullptr || off >= sec.n)
    return nullptr;
  for (uint64_t i = off; i < sec.n; i++)
    if (sec.p[i] == 0)
      return reinterpret_cast<const char *>(sec.p + off);
  return nullptr;
}

// readEntry reads one directory or file entry: its path (null if it has none or it is out
// of bounds) and directory index.
bool readEntry(reader &r, const unit &u, const entryFormat &f, const char **path, uint64_t *dir) {
  *path = nullptr;
  *dir = 0;
  for (int i = 0; i < f.n; i++) {
    uint64_t v = 0;
    const char *str = nullptr;
    switch (f.form[i]) {
    case DW_FORM_string:
      str = r.cstr();
      break;
    case DW_FORM_line_strp:
      str = strAt(u.s->linestr, r.fixed(u.dwarf64 ? 8 : 4));
      break;
    case DW_FORM_strp:
      str = strAt(u.s->str, r.fixed(u.dwarf64 ? 8 : 4));
      break;
    case DW_FORM_udata:
      v = r.uleb();
      break;
    case DW_FORM_data1:
      v = r.fixed(1);
      break;
    case DW_FORM_data2:
      v = r.fixed(2);
      break;
    case DW_FORM_data4:
      v = r.fixed(4);
      break;
    case DW_FORM_data8:
      v = r.fixed(8);
      break;
    case DW_FORM_data16:
      r.skip(16);
      break;
    case DW_FORM_block:
      r.skip(r.uleb());
      break;
    case DW_FORM_block1:
      r.skip(r.u8());
      break;
    default:
      return false; // a form whose size is unknown here: the entries cannot be walked
    }
    if (f.type[i] == DW_LNCT_path)
      *path = str;
    else if (f.type[i] == DW_LNCT_directory_index)
      *dir = v;
  }
  return r.ok;
}

// nthEntry reads entry i of the count entries at first.
bool nthEntry(const unit &u, const entryFormat &f, const uint8_t *first, uint64_t count, uint64_t i,
              const char **path, uint64_t *dir) {
  // An entry of no fields takes no bytes: there would be nothing to find, and nothing to
  // bound the walk to it.
  if (i >= count || f.n == 0)
    return false;
  reader r{first, u.end};
  for (uint64_t k = 0; k <= i; k++)
    if (!readEntry(r, u, f, path, dir))
      return false;
  return true;
}

// append copies s to file[*len:] as far as n allows.
void append(char *file, int64_t n, int64_t *len, const char *s) {
  for (; *s != 0 && *len < n; s++)
    file[(*len)++] = *s;
}

// cleanpath removes the empty, . and .. elements of the absolute or relative path in
// file[:len] in place (as Go's path.Clean, without its special cases) and returns the new
// length.
int64_t cleanpath(char *file, int64_t len) {
  bool rooted = len > 0 && file[0] == '/';
  int64_t w = rooted ? 1 : 0, r = w;
  while (r < len) {
    int64_t e = r;
    while (e < len && file[e] != '/')
      e++;
    int64_t k = e - r;
    if (k == 0 || (k == 1 && file[r] == '.')) {
      // nothing to keep
    } else if (k == 2 && file[r] == '.' && file[r + 1] == '.' && w > (rooted ? 1 : 0)) {
      w--; // drop the last element written and its slash
      while (w > (rooted ? 1 : 0) && file[w - 1] != '/')
        w--;
    } else {
      for (int64_t i = r; i < e; i++)
        file[w++] = file[i];
      if (e < len)
        file[w++] = '/';
    }
    r = e + 1;
  }
  if (w > (rooted ? 1 : 0) && file[w - 1] == '/')
    w--;
  return w;
}

// filepath writes the path of file index fi into file: an absolute name as it is, else
// joined to its directory, and a relative directory to the compilation directory (directory
// 0). Returns its length, 0 if the entries do not give one.
int64_t filepath(const unit &u, uint64_t fi, char *file, int64_t n) {
  const char *name, *dir, *comp;
  uint64_t di, unused;
  if (!nthEntry(u, u.filefmt, u.files, u.nfiles, fi, &name, &di) || name == nullptr)
    return 0;
  int64_t len = 0;
  if (name[0] != '/' && nthEntry(u, u.dirfmt, u.dirs, u.ndirs, di, &dir, &unused) &&
      dir != nullptr) {
    if (dir[0] != '/' && di != 0 && nthEntry(u, u.dirfmt, u.dirs, u.ndirs, 0, &comp, &unused) &&
        comp != nullptr) {
      append(file, n, &len, comp);
      append(file, n, &len, "/");
    }
    append(file, n, &len, dir);
    append(file, n, &len, "/");
  }
  append(file, n, &len, name);
  return cleanpath(file, len);
}

// readHeader reads the header of the unit at r.p, after its version, leaving r at its line
// program. Returns false for a unit it cannot read.
bool readHeader(reader &r, unit &u) {
  u.end = r.end;
  uint8_t addrSize = r.u8();
  uint8_t segSize = r.u8();
  uint64_t headerLength = r.fixed(u.dwarf64 ? 8 : 4);
  if (!r.ok || addrSize != 8 || segSize != 0 || headerLength > uint64_t(r.end - r.p))
    return false;
  const uint8_t *program = r.p + headerLength;
  u.minInst = r.u8();
  uint8_t maxOps = r.u8();
  r.u8(); // default_is_stmt: every row is looked at, statement or not
  u.lineBase = int8_t(r.u8());
  u.lineRange = r.u8();
  u.opcodeBase = r.u8();
  if (!r.ok || maxOps != 1 || u.lineRange == 0 || u.opcodeBase == 0)
    return false;
  u.opcodeLengths = r.p;
  r.skip(u.opcodeBase - 1);
  if (!readFormat(r, u.dirfmt))
    return false;
  u.ndirs = r.uleb();
  u.dirs = r.p;
  const char *path;
  uint64_t dir;
  for (uint64_t i = 0; i < u.ndirs && u.dirfmt.n != 0; i++)
    if (!readEntry(r, u, u.dirfmt, &path, &dir))
      return false;
  if (!readFormat(r, u.filefmt))
    return false;
  u.nfiles = r.uleb();
  u.files = r.p;
  if (!r.ok || program > r.end)
    return false;
  r.p = program;
  return true;
}

// openUnit reads the header of the unit at off in .debug_line, leaving r at its line
// program and *next at the unit that follows (0 if none can be found). Returns false for a
// unit that is not version 5 or cannot be read.
bool openUnit(const dwarfLineSections &s, uint64_t off, unit &u, reader &r, uint64_t *next) {
  *next = 0;
  if (s.line.p == nullptr || off >= s.line.n)
    return false;
  reader all{s.line.p + off, s.line.p + s.line.n};
  u = unit{};
  u.s = &s;
  uint64_t length = all.fixed(4);
  if (length == 0xffffffff) {
    u.dwarf64 = true;
    length = all.fixed(8);
  } else if (length >= 0xfffffff0) {
    return false; // reserved
  }
  if (!all.has(length))
    return false;
  r = reader{all.p, all.p + length};
  *next = uint64_t(r.end - s.line.p);
  return r.fixed(2) == 5 && readHeader(r, u);
}

// runProgram runs the line program at r, calling row(addr, file, line, endSequence) for each
// row it appends to the matrix, until row returns true (then so does runProgram) or the
// program ends.
template <class F> bool runProgram(reader &r, const unit &u, F row) {
  uint64_t addr = 0, file = 1;
  int64_t line = 1;
  while (r.ok && r.p < r.end) {
    uint8_t op = r.u8();
    if (op >= u.opcodeBase) {
      uint8_t adj = op - u.opcodeBase;
      addr += uint64_t(adj / u.lineRange) * u.minInst;
      line += u.lineBase + adj % u.lineRange;
      if (row(addr, file, line, false))
        return true;
      continue;
    }
    switch (op) {
    case 0: { // extended
      uint64_t len = r.uleb();
      if (len == 0 || !r.has(len))
        return false;
      const uint8_t *next = r.p + len;
      uint8_t sub = r.u8();
      if (sub == DW_LNE_end_sequence) {
        if (row(addr, file, line, true))
          return true;
        addr = 0;
        file = 1;
        line = 1;
      } else if (sub == DW_LNE_set_address && len == 9) {
        addr = r.fixed(8);
      }
      r.p = next;
      break;
    }
    case DW_LNS_copy:
      if (row(addr, file, line, false))
        return true;
      break;
    case DW_LNS_advance_pc:
      addr += r.uleb() * u.minInst;
      break;
    case DW_LNS_advance_line:
      line += r.sleb();
      break;
    case DW_LNS_set_file:
      file = r.uleb();
      break;
    case DW_LNS_const_add_pc:
      addr += uint64_t((255 - u.opcodeBase) / u.lineRange) * u.minInst;
      break;
    case DW_LNS_fixed_advance_pc:
      addr += r.fixed(2);
      break;
    case DW_LNS_negate_stmt:
    case DW_LNS_set_basic_block:
    case DW_LNS_prologue_end:
    case DW_LNS_epilogue_begin:
      break;
    default: // set_column, set_isa, and opcodes newer than the reader: their ULEB operands
      for (uint8_t i = 0; i < u.opcodeLengths[op - 1]; i++)
        r.uleb();
      break;
    }
  }
  return false;
}

// findRow reports the row of the unit's program covering pc: the last row of a sequence at
// or below pc whose next row is above it.
bool findRow(reader &r, const unit &u, uint64_t pc, uint64_t *file, uint64_t *line) {
  bool havePrev = false;
  uint64_t prevAddr = 0, prevFile = 0;
  int64_t prevLine = 0;
  return runProgram(r, u, [&](uint64_t addr, uint64_t fileReg, int64_t lineReg, bool end) {
    if (havePrev && prevAddr <= pc && pc < addr) {
      *file = prevFile;
      *line = uint64_t(prevLine);
      return true;
    }
    // A row at line 0 (code of no one line, such as a call merged from two) keeps the line
    // of the row before it in its sequence, as toyc's pclntab does.
    if (!havePrev || lineReg != 0) {
      prevFile = fileReg;
      prevLine = lineReg;
    }
    havePrev = !end;
    prevAddr = addr;
    return false;
  });
}

// unitline looks pc up in the unit at off; *next is set as openUnit sets it.
int64_t unitline(const dwarfLineSections &s, uint64_t off, uint64_t pc, char *file, int64_t n,
                 int32_t *line, uint64_t *next) {
  unit u;
  reader r{nullptr, nullptr};
  uint64_t fi, ln;
  if (!openUnit(s, off, u, r, next) || !findRow(r, u, pc, &fi, &ln))
    return -1;
  if (ln == 0 || ln > 0x7fffffff)
    return 0;
  int64_t len = filepath(u, fi, file, n);
  if (len > 0)
    *line = int32_t(ln);
  return len;
}

} // namespace

int64_t dwarfunits(const dwarfLineSections &s, dwarfUnitRange *units, int64_t max) {
  int64_t k = 0;
  for (uint64_t off = 0, next; off < s.line.n; off = next) {
    unit u;
    reader r{nullptr, nullptr};
    bool ok = openUnit(s, off, u, r, &next);
    if (next == 0)
      break; // the units after this one cannot be found: neither can their pcs
    if (!ok)
      continue;
    if (k == max)
      return -1;
    dwarfUnitRange ur{off, ~uint64_t(0), 0};
    uint64_t start = 0;
    bool first = true;
    runProgram(r, u, [&](uint64_t addr, uint64_t, int64_t, bool end) {
      if (first)
        start = addr;
      first = end;
      // A sequence at 0 is code the linker dropped (its tombstone): no pc is there.
      if (end && start != 0 && start < addr) {
        ur.lo = start < ur.lo ? start : ur.lo;
        ur.hi = addr > ur.hi ? addr : ur.hi;
      }
      return false;
    });
    if (ur.lo < ur.hi)
      units[k++] = ur;
  }
  return k;
}

int64_t dwarfpcline(const dwarfLineSections &s, const dwarfUnitRange *units, int64_t nunits,
                    uint64_t pc, char *file, int64_t n, int32_t *line) {
  uint64_t next;
  if (nunits >= 0) {
    for (int64_t i = 0; i < nunits; i++) {
      if (pc < units[i].lo || pc >= units[i].hi)
        continue;
      int64_t len = unitline(s, units[i].off, pc, file, n, line, &next);
      if (len >= 0)
        return len;
    }
    return 0;
  }
  for (uint64_t off = 0; off < s.line.n; off = next) {
    int64_t len = unitline(s, off, pc, file, n, line, &next);
    if (len >= 0)
      return len;
    if (next == 0)
      break;
  }
  return 0;
}

} // namespace runtime
