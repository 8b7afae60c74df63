// The executable's ELF symbol table (elfsym.h).
//
// Differs from Go: Go's pclntab covers the runtime's own functions too; toy's runtime is C++
// and assembly that toyc's table does not describe, so their names come from the symbol table
// the linker leaves in the binary, mapped from /proc/self/exe when first needed (starting a
// trace, printing a runtime frame). Only raw system calls are used, so a fatal signal's
// traceback can load it.

#include "elfsym.h"
#include "atomic.h"
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
uint32_t loaded; // 0: not tried, 1: loading, 2: done (syms may still be null)

void load() {
  int32_t efd = open("/proc/self/exe", 0 /* O_RDONLY */, 0);
  if (efd < 0)
    return;
  int32_t err;
  auto *head = static_cast<const elfEhdr *>(
      mmap(nullptr, physPageSizeDefault, _PROT_READ, _MAP_PRIVATE, efd, 0, &err));
  if (head == nullptr || memcmp(head->ident, "\x7f" "ELF", 4) != 0 ||
      head->shentsize != sizeof(elfShdr)) {
    closefd(efd);
    return;
  }
  uint64_t size = head->shoff + uint64_t(head->shnum) * sizeof(elfShdr);
  auto *file = static_cast<const uint8_t *>(
      mmap(nullptr, size, _PROT_READ, _MAP_PRIVATE, efd, 0, &err));
  closefd(efd);
  if (file == nullptr)
    return;
  auto *sh = reinterpret_cast<const elfShdr *>(file + head->shoff);
  for (int i = 0; i < head->shnum; i++) {
    if (sh[i].type == shtSymtab && sh[i].link < head->shnum) {
      strtab = reinterpret_cast<const char *>(file + sh[sh[i].link].offset);
      nsyms = int64_t(sh[i].size / sizeof(elfSym));
      syms = reinterpret_cast<const elfSym *>(file + sh[i].offset);
      return;
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
    if (syms[i].value == pc && (syms[i].info & 0xf) == sttFunc)
      return strtab + syms[i].name;
  return nullptr;
}

const char *symcontaining(uint64_t pc, uint64_t *entry) {
  loadSymbols();
  for (int64_t i = 0; i < nsyms; i++) {
    const elfSym &s = syms[i];
    if ((s.info & 0xf) == sttFunc && pc >= s.value && pc < s.value + s.size) {
      *entry = s.value;
      return strtab + s.name;
    }
  }
  return nullptr;
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
