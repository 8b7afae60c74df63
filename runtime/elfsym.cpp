// The executable's ELF symbol table and line programs (elfsym.h).
//
// Differs from Go: Go's pclntab covers the runtime's own functions too; toy's runtime is C++
// and assembly that toyc's table does not describe, so their names come from the symbol table
// the linker leaves in the binary and their lines from its .debug_line, mapped from
// /proc/self/exe when first needed (starting a trace, printing a runtime frame). Only raw system
// calls are used, so a fatal signal's traceback can load it.

#include "elfsym.h"
#include "atomic.h"
#include "dwarfline.h"
#include "stubs.h"

namespace runtime {

namespace {

struct elfEhdr {
  uint8_t ident[16];
  uint16_t type, machine;
  uint32_t version;
  uint64_t entry, phoff, shoff;
  uint32_t flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elfShdr {
  uint32_t name, type;
  uint64_t flags, addr, offset, size;
  uint32_t link, info;
  uint64_t addralign, entsize;
};
struct elfSym {
  uint32_t name;
  uint8_t info, other;
  uint16_t shndx;
  uint64_t value, size;
};
static_assert(sizeof(elfEhdr) == 64 && sizeof(elfShdr) == 64 && sizeof(elfSym) == 24);

constexpr uint8_t sttFunc = 2;
constexpr uint32_t shtSymtab = 2;

const elfSym *syms;
int64_t nsyms;
const char *strtab;
uint64_t nstrtab;
dwarfLineSections dwarf; // the runtime's line programs, if the binary kept them
uint32_t loaded;         // 0: not tried, 1: loading, 2: done (syms may still be null)

// section returns the section sh describes, or none if it lies outside the file's size bytes.
dwarfSection section(const uint8_t *file, uint64_t size, const elfShdr &sh) {
  if (sh.offset > size || sh.size > size - sh.offset)
    return {nullptr, 0};
  return {file + sh.offset, sh.size};
}

// named reports whether the section name at off in the section-name table shstr is name.
bool named(const dwarfSection &shstr, uint32_t off, const char *name) {
  uint64_t k = uint64_t(findnull(reinterpret_cast<const uint8_t *>(name))) + 1;
  return shstr.p != nullptr && off < shstr.n && shstr.n - off >= k &&
         memcmp(shstr.p + off, name, k) == 0;
}

void load() {
  int32_t efd = open("/proc/self/exe", 0 /* O_RDONLY */, 0);
  if (efd < 0)
    return;
  // The whole file is mapped, so that every offset can be checked against its size.
  int64_t size = lseek(efd, 0, 2 /* SEEK_END */);
  int32_t err;
  auto *file = size < int64_t(sizeof(elfEhdr))
                   ? nullptr
                   : static_cast<const uint8_t *>(
                         mmap(nullptr, uint64_t(size), _PROT_READ, _MAP_PRIVATE, efd, 0, &err));
  closefd(efd);
  if (file == nullptr)
    return;
  auto *head = reinterpret_cast<const elfEhdr *>(file);
  if (memcmp(head->ident, "\177ELF", 4) != 0 || head->shentsize != sizeof(elfShdr) ||
      head->shoff > uint64_t(size) ||
      uint64_t(head->shnum) * sizeof(elfShdr) > uint64_t(size) - head->shoff)
    return;
  auto *sh = reinterpret_cast<const elfShdr *>(file + head->shoff);
  dwarfSection shstr = head->shstrndx < head->shnum
                           ? section(file, uint64_t(size), sh[head->shstrndx])
                           : dwarfSection{nullptr, 0};
  for (int i = 0; i < head->shnum; i++) {
    dwarfSection sec = section(file, uint64_t(size), sh[i]);
    if (sh[i].type == shtSymtab && sh[i].link < head->shnum && syms == nullptr) {
      dwarfSection str = section(file, uint64_t(size), sh[sh[i].link]);
      // The string table ends in a NUL, so every name in it is terminated.
      if (sec.p == nullptr || str.p == nullptr || str.n == 0 || str.p[str.n - 1] != 0)
        continue;
      strtab = reinterpret_cast<const char *>(str.p);
      nstrtab = str.n;
      nsyms = int64_t(sec.n / sizeof(elfSym));
      syms = reinterpret_cast<const elfSym *>(sec.p);
    } else if (named(shstr, sh[i].name, ".debug_line")) {
      dwarf.line = sec;
    } else if (named(shstr, sh[i].name, ".debug_line_str")) {
      dwarf.linestr = sec;
    } else if (named(shstr, sh[i].name, ".debug_str")) {
      dwarf.str = sec;
    }
  }
}

} // namespace

void loadSymbols() {
  if (atomic::Load(&loaded) == 2)
    return;
  if (atomic::Cas(&loaded, 0u, 1u)) {
    load();
    atomic::Store(&loaded, 2u);
    return;
  }
  while (atomic::Load(&loaded) != 2) // another M is loading it
    osyield();
}

const char *symname(uint64_t pc) {
  loadSymbols();
  for (int64_t i = 0; i < nsyms; i++)
    if (syms[i].value == pc && (syms[i].info & 0xf) == sttFunc && syms[i].name < nstrtab)
      return strtab + syms[i].name;
  return nullptr;
}

const char *symcontaining(uint64_t pc, uint64_t *entry) {
  loadSymbols();
  for (int64_t i = 0; i < nsyms; i++) {
    const elfSym &s = syms[i];
    if ((s.info & 0xf) == sttFunc && pc >= s.value && pc < s.value + s.size && s.name < nstrtab) {
      *entry = s.value;
      return strtab + s.name;
    }
  }
  return nullptr;
}

// The units of the line programs and their pcs, found by the first symline: a traceback of
// many goroutines then decodes one unit per frame, not all of them.
constexpr int64_t maxUnits = 128; // the runtime has about 50 files, toyc's object one
dwarfUnitRange units[maxUnits];
int64_t nunits;       // -1: more than maxUnits, every lookup searches every unit
uint32_t unitsLoaded; // as loaded

int64_t symline(uint64_t pc, char *file, int64_t n, int32_t *line) {
  loadSymbols();
  if (atomic::Load(&unitsLoaded) != 2) {
    if (atomic::Cas(&unitsLoaded, 0u, 1u)) {
      nunits = dwarfunits(dwarf, units, maxUnits);
      atomic::Store(&unitsLoaded, 2u);
    }
    while (atomic::Load(&unitsLoaded) != 2) // another M is finding them
      osyield();
  }
  return dwarfpcline(dwarf, units, nunits, pc, file, n, line);
}

int64_t symgoname(const char *s, char *buf, int64_t n) {
  int64_t len = 0;
  auto put = [&](const char *p, int64_t k) {
    for (int64_t i = 0; i < k && len < n; i++)
      buf[len++] = p[i];
  };
  // Itanium mangling: _ZN <length><name>... E for a nested name, _ZZN ... for a local entity
  // (a lambda) in one; an L before a length marks internal linkage.
  bool local = s[0] == '_' && s[1] == 'Z' && s[2] == 'Z' && s[3] == 'N';
  if (!(s[0] == '_' && s[1] == 'Z' && (s[2] == 'N' || local))) {
    put(s, findnull(reinterpret_cast<const uint8_t *>(s)));
    return len;
  }
  s += local ? 4 : 3;
  bool first = true;
  for (;;) {
    if (*s == 'L')
      s++;
    if (*s < '0' || *s > '9')
      break;
    int64_t k = 0;
    while (*s >= '0' && *s <= '9')
      k = k * 10 + (*s++ - '0');
    if (!first)
      put(".", 1);
    // The runtime's unnamed namespace adds nothing a reader of Go's names needs.
    if (!(k == 12 && memcmp(s, "_GLOBAL__N_1", 12) == 0))
      put(s, k);
    else if (!first)
      len--;
    s += k;
    first = false;
  }
  if (local)
    put(".func", 5);
  return len;
}

} // namespace runtime
