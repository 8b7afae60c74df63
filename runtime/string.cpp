// Strings (Go: runtime/string.go; cmpstring is internal/bytealg's generic version).

#include "stubs.h"

namespace runtime {

// stringDataOnStack reports whether the string's data is stored on the current goroutine's
// stack: such a string must be copied before it can outlive the call.
static bool stringDataOnStack(const uint8_t *p) {
  auto ptr = reinterpret_cast<uintptr_t>(p);
  stack stk = getg()->stack;
  return stk.lo <= ptr && ptr < stk.hi;
}

// concatstrings returns a[0] + … + a[n-1] (Go: concatstrings with no buffer). If only one
// string is non-empty and its data is not on the stack, it is returned without copying.
stringStruct concatstrings(const stringStruct *a, int64_t n) {
  int64_t l = 0;
  int count = 0;
  stringStruct only{};
  for (int64_t i = 0; i < n; i++) {
    if (a[i].len == 0)
      continue;
    if (l + a[i].len < l)
      throw_("string concatenation too long");
    l += a[i].len;
    count++;
    only = a[i];
  }
  if (count == 0)
    return stringStruct{nullptr, 0};
  // If there is just one string and it is not on the stack, we can return it directly.
  if (count == 1 && !stringDataOnStack(only.str))
    return only;
  auto *b = static_cast<uint8_t *>(mallocgc(uintptr_t(l), nullptr, false)); // rawstring
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++) {
    memmove(b + at, a[i].str, static_cast<size_t>(a[i].len));
    at += a[i].len;
  }
  return stringStruct{b, l};
}

// concatstring2..5 are concatstrings for 2 to 5 operands, passed as (pointer, length) pairs.
stringStruct concatstring2(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2) {
  stringStruct a[] = {{p1, l1}, {p2, l2}};
  return concatstrings(a, 2);
}

stringStruct concatstring3(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                           const uint8_t *p3, int64_t l3) {
  stringStruct a[] = {{p1, l1}, {p2, l2}, {p3, l3}};
  return concatstrings(a, 3);
}

stringStruct concatstring4(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                           const uint8_t *p3, int64_t l3, const uint8_t *p4, int64_t l4) {
  stringStruct a[] = {{p1, l1}, {p2, l2}, {p3, l3}, {p4, l4}};
  return concatstrings(a, 4);
}

stringStruct concatstring5(const uint8_t *p1, int64_t l1, const uint8_t *p2, int64_t l2,
                           const uint8_t *p3, int64_t l3, const uint8_t *p4, int64_t l4,
                           const uint8_t *p5, int64_t l5) {
  stringStruct a[] = {{p1, l1}, {p2, l2}, {p3, l3}, {p4, l4}, {p5, l5}};
  return concatstrings(a, 5);
}

// slicebytetostring copies the bytes of a []byte into a new string.
stringStruct slicebytetostring(const uint8_t *p, int64_t n) {
  if (n == 0)
    return stringStruct{nullptr, 0};
  auto *b = static_cast<uint8_t *>(mallocgc(uintptr_t(n), nullptr, false));
  memmove(b, p, size_t(n));
  return stringStruct{b, n};
}

// stringtoslicebyte copies a string's bytes into a new array for []byte(s).
// Differs from Go: the capacity is the length (Go rounds it up to the size class).
uint8_t *stringtoslicebyte(const uint8_t *p, int64_t n) {
  auto *b = static_cast<uint8_t *>(mallocgc(uintptr_t(n), nullptr, true));
  memmove(b, p, size_t(n));
  return b;
}

// stringtoslicerune decodes a string into a new []rune: the array and its length.
// Differs from Go: the capacity is the length (Go rounds it up to the size class).
sliceGrowth stringtoslicerune(const uint8_t *p, int64_t n) {
  int64_t count = 0;
  for (int64_t i = 0; i < n; count++)
    i = p[i] < 0x80 ? i + 1 : decoderune(p, n, i).pos;
  auto *a = static_cast<int32_t *>(mallocgc(uintptr_t(count) * 4, nullptr, true));
  int64_t k = 0;
  for (int64_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      a[k++] = p[i++];
      continue;
    }
    runeAndPos d = decoderune(p, n, i);
    a[k++] = d.r;
    i = d.pos;
  }
  return sliceGrowth{a, count};
}

// slicerunetostring encodes a []rune as a new string.
stringStruct slicerunetostring(const int32_t *a, int64_t n) {
  uint8_t buf[4];
  int64_t size = 0;
  for (int64_t i = 0; i < n; i++)
    size += encoderune(buf, a[i]);
  if (size == 0)
    return stringStruct{nullptr, 0};
  auto *b = static_cast<uint8_t *>(mallocgc(uintptr_t(size), nullptr, false));
  int64_t at = 0;
  for (int64_t i = 0; i < n; i++)
    at += encoderune(b + at, a[i]);
  return stringStruct{b, size};
}

// intstring is string(v) for an integer v: the UTF-8 encoding of the rune v (U+FFFD when v
// is not a valid rune).
stringStruct intstring(int64_t v) {
  int32_t r = (v < 0 || v > 0x10FFFF) ? 0xFFFD : int32_t(v);
  auto *b = static_cast<uint8_t *>(mallocgc(4, nullptr, false));
  return stringStruct{b, encoderune(b, r)};
}

// cmpstring compares two strings byte-wise: -1, 0 or +1.
int64_t cmpstring(const uint8_t *a, int64_t la, const uint8_t *b, int64_t lb) {
  int64_t l = la < lb ? la : lb;
  if (l != 0 && a != b) {
    for (int64_t i = 0; i < l; i++) {
      uint8_t c1 = a[i], c2 = b[i];
      if (c1 < c2)
        return -1;
      if (c1 > c2)
        return +1;
    }
  }
  if (la < lb)
    return -1;
  if (la > lb)
    return +1;
  return 0;
}

int64_t findnull(const uint8_t *s) {
  if (s == nullptr)
    return 0;
  int64_t n = 0;
  while (s[n] != 0)
    n++;
  return n;
}

// gostringnocopy makes a string of the NUL-terminated bytes at s without copying them.
stringStruct gostringnocopy(const uint8_t *s) { return stringStruct{s, findnull(s)}; }

// atoi32 parses a decimal int32 like Go's atoi32: optional '-', digits only, no overflow.
bool atoi32(stringStruct s, int32_t *out) {
  bool neg = false;
  int64_t i = 0;
  if (s.len > 0 && s.str[0] == '-') {
    neg = true;
    i = 1;
  }
  if (i == s.len)
    return false;
  uint64_t un = 0;
  constexpr uint64_t maxUint64 = ~uint64_t(0);
  for (; i < s.len; i++) {
    uint8_t c = s.str[i];
    if (c < '0' || c > '9')
      return false;
    if (un > maxUint64 / 10)
      return false; // overflow
    un *= 10;
    uint64_t un1 = un + (c - '0');
    if (un1 < un)
      return false; // overflow
    un = un1;
  }
  // Go parses an int64 and then checks that it fits an int32; the result is the same.
  if (!neg && un > uint64_t(INT32_MAX))
    return false;
  if (neg && un > uint64_t(INT32_MAX) + 1)
    return false;
  *out = static_cast<int32_t>(neg ? -static_cast<int64_t>(un) : static_cast<int64_t>(un));
  return true;
}

} // namespace runtime
