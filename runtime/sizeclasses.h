// The small-object size classes (Go 1.19: runtime/sizeclasses.go, generated there by
// mksizeclasses.go). Data only; test/unit/malloc_test.cpp rebuilds the tables from
// mksizeclasses.go's rules and checks them against these.
//
// Class c holds objects of class_to_size[c] bytes in spans of class_to_allocnpages[c] pages of
// 1 << _PageShift bytes, chosen so that a span's tail waste is at most 1/8 of it. Class 0 stands
// for large objects (more than _MaxSmallSize bytes), which get a span of their own.
// size_to_class8[ceil(n/8)] is the class for n <= smallSizeMax - 8 bytes, and
// size_to_class128[ceil((n - smallSizeMax)/128)] the class for larger small sizes.
#ifndef TOY_RUNTIME_SIZECLASSES_H
#define TOY_RUNTIME_SIZECLASSES_H

#include <stdint.h>

namespace runtime {

constexpr uintptr_t _MaxSmallSize = 32768;
constexpr uintptr_t smallSizeDiv = 8;
constexpr uintptr_t smallSizeMax = 1024;
constexpr uintptr_t largeSizeDiv = 128;
constexpr int _NumSizeClasses = 68;
constexpr uintptr_t _PageShift = 13;

inline constexpr uint16_t class_to_size[_NumSizeClasses] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   // classes 0-9
    128,   144,   160,   176,   192,   208,   224,   240,   256,   288,   // classes 10-19
    320,   352,   384,   416,   448,   480,   512,   576,   640,   704,   // classes 20-29
    768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  // classes 30-39
    2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  // classes 40-49
    6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384, // classes 50-59
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,               // classes 60-67
};
inline constexpr uint8_t class_to_allocnpages[_NumSizeClasses] = {
    0, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // classes 0-19
    1, 1, 1, 1, 1, 1,  1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, // classes 20-39
    1, 3, 2, 3, 1, 3,  2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, // classes 40-59
    9, 7, 5, 8, 3, 10, 7, 4,                                     // classes 60-67
};
inline constexpr uint8_t size_to_class8[smallSizeMax / smallSizeDiv + 1] = {
    0,  1,  2,  3,  4,  5,  5,  6,  6,  7,  7,  8,  8,  9,  9,  10, 10, 11, 11, 12, 12, 13,
    13, 14, 14, 15, 15, 16, 16, 17, 17, 18, 18, 19, 19, 19, 19, 20, 20, 20, 20, 21, 21, 21,
    21, 22, 22, 22, 22, 23, 23, 23, 23, 24, 24, 24, 24, 25, 25, 25, 25, 26, 26, 26, 26, 27,
    27, 27, 27, 27, 27, 27, 27, 28, 28, 28, 28, 28, 28, 28, 28, 29, 29, 29, 29, 29, 29, 29,
    29, 30, 30, 30, 30, 30, 30, 30, 30, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31, 31,
    31, 31, 31, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32,
};
inline constexpr uint8_t size_to_class128[(_MaxSmallSize - smallSizeMax) / largeSizeDiv + 1] = {
    32, 33, 34, 35, 36, 37, 37, 38, 38, 39, 39, 40, 40, 40, 41, 41, 41, 42, 43, 43, 44, 44, 44,
    44, 44, 45, 45, 45, 45, 45, 45, 46, 46, 46, 46, 47, 47, 47, 47, 47, 47, 48, 48, 48, 49, 49,
    50, 51, 51, 51, 51, 51, 51, 51, 51, 51, 51, 52, 52, 52, 52, 52, 52, 52, 52, 52, 52, 53, 53,
    54, 54, 54, 54, 55, 55, 55, 55, 55, 56, 56, 56, 56, 56, 56, 56, 56, 56, 56, 56, 57, 57, 57,
    57, 57, 57, 57, 57, 57, 57, 58, 58, 58, 58, 58, 58, 59, 59, 59, 59, 59, 59, 59, 59, 59, 59,
    59, 59, 59, 59, 59, 59, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 61,
    61, 61, 61, 61, 62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 63, 63, 63, 63, 63, 63, 63, 63,
    63, 63, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 65, 66,
    66, 66, 66, 66, 66, 66, 66, 66, 66, 66, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67,
    67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67, 67,
};

} // namespace runtime

#endif
