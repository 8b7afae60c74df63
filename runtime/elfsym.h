// The executable's own ELF symbol table and line programs, read from /proc/self/exe
// (elfsym.cpp): the names, files and lines of the code toyc's pclntab does not describe, the
// runtime's C++ and assembly functions.
#ifndef TOY_RUNTIME_ELFSYM_H
#define TOY_RUNTIME_ELFSYM_H

#include <stdint.h>

namespace runtime {

// loadSymbols maps the executable's symbol table once; without one (a stripped binary, no
// /proc) every lookup below finds nothing.
void loadSymbols();
// symname returns the symbol of the function whose entry is pc, or null.
const char *symname(uint64_t pc);
// symcontaining returns the symbol of the function whose code holds pc, and its entry, or null.
const char *symcontaining(uint64_t pc, uint64_t *entry);
// symline writes the source file of the runtime's code at pc, from the executable's DWARF
// line table (dwarfline.h), into file (at most n bytes, not terminated), its line into *line,
// and returns the file's length; 0 if the binary has no line for pc (-g0, stripped).
int64_t symline(uint64_t pc, char *file, int64_t n, int32_t *line);
// symgoname writes sym's name as Go spells a runtime function into buf (at most n bytes, not
// terminated) and returns its length: runtime.f for the C++ runtime::f, runtime.f.func for a
// lambda in it, any other symbol as it is.
int64_t symgoname(const char *sym, char *buf, int64_t n);

} // namespace runtime

#endif
