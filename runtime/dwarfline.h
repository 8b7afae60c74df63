// A reader of DWARF 5 line programs (dwarfline.cpp): the file and line of a pc in the
// runtime's own code, from the executable's .debug_line, for tracebacks.
#ifndef TOY_RUNTIME_DWARFLINE_H
#define TOY_RUNTIME_DWARFLINE_H

#include <stdint.h>

namespace runtime {

// The sections a line program refers to; a missing one has p null and n 0.
struct dwarfSection {
  const uint8_t *p;
  uint64_t n;
};
struct dwarfLineSections {
  dwarfSection line;    // .debug_line: the line programs
  dwarfSection linestr; // .debug_line_str: DW_FORM_line_strp paths
  dwarfSection str;     // .debug_str: DW_FORM_strp paths
};

// dwarfUnitRange is the span of pcs [lo, hi) the line program of the unit at off in
// .debug_line covers (with gaps between its sequences).
struct dwarfUnitRange {
  uint64_t off, lo, hi;
};

// dwarfunits writes the range of each version 5 unit with code into units and returns how
// many it wrote, or -1 if there are more than max. It decodes every line program once, so
// that a lookup then decodes only the units whose range holds its pc.
int64_t dwarfunits(const dwarfLineSections &s, dwarfUnitRange *units, int64_t max);

// dwarfpcline finds the row of the line programs that covers pc and writes its file's path,
// cleaned (no . or .. elements), into file (at most n bytes, not terminated), its line into
// *line, and returns the path's length; 0 if no row covers pc, its line is 0, or the data is
// malformed. It searches the nunits units of units, or every unit if nunits is negative.
// Every read is bounded by its section: the sections may hold anything.
int64_t dwarfpcline(const dwarfLineSections &s, const dwarfUnitRange *units, int64_t nunits,
                    uint64_t pc, char *file, int64_t n, int32_t *line);

} // namespace runtime

#endif
