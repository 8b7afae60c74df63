// Floating-point bits (Go: runtime/float.go's float64bits and float64frombits).

#include "stubs.h"

namespace runtime {

// Differs from Go: package math converts with unsafe.Pointer, which toy lacks; its body-less
// Float64bits, Float64frombits, Float32bits and Float32frombits are these, and its sqrt is the
// instruction Go's compiler substitutes for math.Sqrt.
extern "C" uint64_t math_Float64bits(double f) __asm__("math.Float64bits");
uint64_t math_Float64bits(double f) { return __builtin_bit_cast(uint64_t, f); }

extern "C" double math_Float64frombits(uint64_t b) __asm__("math.Float64frombits");
double math_Float64frombits(uint64_t b) { return __builtin_bit_cast(double, b); }

extern "C" uint32_t math_Float32bits(float f) __asm__("math.Float32bits");
uint32_t math_Float32bits(float f) { return __builtin_bit_cast(uint32_t, f); }

extern "C" float math_Float32frombits(uint32_t b) __asm__("math.Float32frombits");
float math_Float32frombits(uint32_t b) { return __builtin_bit_cast(float, b); }

extern "C" double math_sqrt(double x) __asm__("math.sqrt");
double math_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

} // namespace runtime
