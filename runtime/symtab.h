// The pc → function/file/line table toyc emits into every binary, runtime.pclntab (Go:
// runtime/symtab.go's pclntab, moduledata and funcInfo). The layout is described in
// docs/runtime.md; compiler/Pclntab.cpp writes it.
#ifndef TOY_RUNTIME_SYMTAB_H
#define TOY_RUNTIME_SYMTAB_H

#include <stdint.h>

namespace runtime {

constexpr uint32_t pclntabMagic = 0x31796f74; // "toy1"
constexpr uint32_t funcFlagNoArgs = 1;        // the function has no arguments: f()
constexpr uint32_t funcFlagWrapper = 2;       // a compiler-made wrapper (Go's funcID_wrapper)

struct functab {
  uintptr_t entry;  // first pc
  uint32_t size;    // bytes of code from entry
  uint32_t name;    // offset in strings
  uint32_t pcstart; // first pcline entry
  uint32_t npc;
  uint32_t flags;
  uint32_t pad;
};

// From off (bytes after entry) on, up to the next entry's off, the code belongs to the chain
// of inlined frames whose innermost node is node.
struct pcline {
  uint32_t off;
  uint32_t node;
};

// One frame of a chain: the function name, its file and line at this pc; parent is the
// frame it is inlined into (-1 for the function that holds the code).
struct inlnode {
  uint32_t name;
  uint32_t file;
  uint32_t line;
  int32_t parent;
  uint32_t flags;
};

struct pcHeader {
  uint32_t magic;
  uint32_t nfunc;
  const functab *ftab;
  const pcline *pctab;
  const inlnode *nodes;
  const char *strings;
};

// funcInfo is a function of the table, or none (valid() false) for a pc outside toy code:
// the runtime's own C++ and assembly functions have no entry.
struct funcInfo {
  const functab *f;
  bool valid() const { return f != nullptr; }
  uintptr_t entry() const { return f->entry; }
};

funcInfo findfunc(uintptr_t pc);
const char *funcname(funcInfo f);
// funcnode returns the innermost frame at targetpc, or null if the table has none there.
const inlnode *funcnode(funcInfo f, uintptr_t targetpc);
const inlnode *inlparent(const inlnode *n);
const char *nodestring(uint32_t off);
// funcline returns the file and line of targetpc in f (the innermost inlined frame's), as
// Go's funcline does; file "?" and line 0 if unknown.
void funcline(funcInfo f, uintptr_t targetpc, const char **file, int32_t *line);

} // namespace runtime

#endif
