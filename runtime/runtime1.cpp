// The command-line arguments as Go strings (Go: runtime/runtime1.go).

#include "stubs.h"

namespace runtime {

slice<stringStruct> argslice;

// goargs makes argslice, the arguments argv holds, once at start-up (schedinit, on g0).
void goargs() {
  argslice.array = static_cast<stringStruct *>(makeslice(sizeof(stringStruct), argc, argc));
  argslice.len = argslice.cap = argc;
  for (int32_t i = 0; i < argc; i++)
    argslice.array[i] = gostringnocopy(argv[i]);
}

} // namespace runtime
