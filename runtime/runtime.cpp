// The runtime's functions that other packages declare without a body (Go: runtime/runtime.go
// binds them with //go:linkname; here each has the package's symbol as its asm label).

#include "stubs.h"
#include "trace.h"

namespace runtime {

// os_runtime_args gives package os a copy of the arguments (Go returns append([]string{},
// argslice...)).
// Differs from Go: toy returns a three-word value in rax, rdx and rcx, which C++ cannot; this
// fills *out, and os.runtime_args (asm_amd64.S) loads it into those registers.
extern "C" void os_runtime_args(slice<stringStruct> *out) GOSYM("os_runtime_args");
void os_runtime_args(slice<stringStruct> *out) {
  out->array =
      static_cast<stringStruct *>(makeslice(sizeof(stringStruct), argslice.len, argslice.len));
  memmove(out->array, argslice.array, argslice.len * sizeof(stringStruct));
  out->len = out->cap = argslice.len;
}

// syscall_runtime_envs gives package syscall a copy of the environment (Go returns
// append([]string{}, envs...)); syscall.runtime_envs (asm_amd64.S) returns it as
// os.runtime_args returns the arguments.
extern "C" void syscall_runtime_envs(slice<stringStruct> *out) GOSYM("syscall_runtime_envs");
void syscall_runtime_envs(slice<stringStruct> *out) {
  out->array = static_cast<stringStruct *>(makeslice(sizeof(stringStruct), nenvs, nenvs));
  for (int32_t i = 0; i < nenvs; i++)
    out->array[i] = gostringnocopy(envs[i]);
  out->len = out->cap = nenvs;
}

// syscall_Exit ends the process at once with status code, running no deferred calls.
extern "C" [[noreturn]] void syscall_Exit(int64_t code) __asm__("syscall.Exit");
void syscall_Exit(int64_t code) {
  flushStdout();
  traceShutdown();
  exit(int32_t(code));
}

} // namespace runtime
