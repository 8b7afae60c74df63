// Looking pcs up in runtime.pclntab (Go: runtime/symtab.go: findfunc, funcname, funcline).
//
// Differs from Go: the table is toy's own (symtab.h), found by a linear search over the
// functions rather than Go's findfunctab buckets: it is read only to print tracebacks.

#include "symtab.h"
#include "stubs.h"

// Weak: a binary not linked by toyc (the runtime's unit tests) has no table.
extern "C" const runtime::pcHeader toyPclntab GOSYM("pclntab") __attribute__((weak));

namespace runtime {

static const pcHeader *pclntab() {
  const pcHeader *h = &toyPclntab;
  if (h == nullptr || h->magic != pclntabMagic)
    return nullptr;
  return h;
}

funcInfo findfunc(uintptr_t pc) {
  const pcHeader *h = pclntab();
  if (h == nullptr)
    return {nullptr};
  for (uint32_t i = 0; i < h->nfunc; i++) {
    const functab *f = &h->ftab[i];
    if (pc >= f->entry && pc < f->entry + f->size)
      return {f};
  }
  return {nullptr};
}

const char *nodestring(uint32_t off) { return pclntab()->strings + off; }

const char *funcname(funcInfo f) {
  if (!f.valid())
    return "";
  return nodestring(f.f->name);
}

const inlnode *funcnode(funcInfo f, uintptr_t targetpc) {
  if (!f.valid() || targetpc < f.entry())
    return nullptr;
  const pcHeader *h = pclntab();
  uintptr_t off = targetpc - f.entry();
  const inlnode *n = nullptr;
  // Entries are in pc order: the last one at or before off covers it.
  for (uint32_t i = 0; i < f.f->npc; i++) {
    const pcline *e = &h->pctab[f.f->pcstart + i];
    if (e->off > off)
      break;
    n = &h->nodes[e->node];
  }
  return n;
}

const inlnode *inlparent(const inlnode *n) {
  if (n->parent < 0)
    return nullptr;
  return &pclntab()->nodes[n->parent];
}

void funcline(funcInfo f, uintptr_t targetpc, const char **file, int32_t *line) {
  const inlnode *n = funcnode(f, targetpc);
  if (n == nullptr) {
    *file = "?";
    *line = 0;
    return;
  }
  *file = nodestring(n->file);
  *line = static_cast<int32_t>(n->line);
}

} // namespace runtime
