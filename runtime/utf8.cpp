// UTF-8 decoding for range over a string (Go: runtime/utf8.go).

#include "stubs.h"

namespace runtime {

namespace {
constexpr int32_t runeError = 0xFFFD; // the replacement character an invalid byte decodes to
constexpr int32_t maxRune = 0x10FFFF;
constexpr int32_t surrogateMin = 0xD800, surrogateMax = 0xDFFF;

// isCont reports whether b is a continuation byte (10xxxxxx).
bool isCont(uint8_t b) { return (b & 0xC0) == 0x80; }
} // namespace

// decoderune returns the non-ASCII rune at s[k] and the index after it. An invalid or
// incomplete sequence, an overlong encoding or a surrogate gives runeError and k + 1, as in Go.
runeAndPos decoderune(const uint8_t *s, int64_t n, int64_t k) {
  if (k >= n)
    return {runeError, k + 1};
  const uint8_t *p = s + k;
  int64_t left = n - k;
  uint8_t b0 = p[0];
  if (b0 >= 0xC0 && b0 < 0xE0 && left > 1 && isCont(p[1])) {
    int32_t r = int32_t(b0 & 0x1F) << 6 | int32_t(p[1] & 0x3F);
    if (r > 0x7F)
      return {r, k + 2};
  } else if (b0 >= 0xE0 && b0 < 0xF0 && left > 2 && isCont(p[1]) && isCont(p[2])) {
    int32_t r = int32_t(b0 & 0x0F) << 12 | int32_t(p[1] & 0x3F) << 6 | int32_t(p[2] & 0x3F);
    if (r > 0x7FF && (r < surrogateMin || r > surrogateMax))
      return {r, k + 3};
  } else if (b0 >= 0xF0 && b0 < 0xF8 && left > 3 && isCont(p[1]) && isCont(p[2]) &&
             isCont(p[3])) {
    int32_t r = int32_t(b0 & 0x07) << 18 | int32_t(p[1] & 0x3F) << 12 |
                int32_t(p[2] & 0x3F) << 6 | int32_t(p[3] & 0x3F);
    if (r > 0xFFFF && r <= maxRune)
      return {r, k + 4};
  }
  return {runeError, k + 1};
}

// encoderune writes the UTF-8 encoding of r to p (room for 4 bytes) and returns its length.
// Invalid runes (surrogates, past maxRune, negative) are written as runeError, as in Go.
int64_t encoderune(uint8_t *p, int32_t r) {
  if (r >= 0 && r < 0x80) {
    p[0] = uint8_t(r);
    return 1;
  }
  if (r >= 0 && r < 0x800) {
    p[0] = uint8_t(0xC0 | (r >> 6));
    p[1] = uint8_t(0x80 | (r & 0x3F));
    return 2;
  }
  if (r < 0 || r > maxRune || (r >= surrogateMin && r <= surrogateMax))
    r = runeError;
  if (r < 0x10000) {
    p[0] = uint8_t(0xE0 | (r >> 12));
    p[1] = uint8_t(0x80 | ((r >> 6) & 0x3F));
    p[2] = uint8_t(0x80 | (r & 0x3F));
    return 3;
  }
  p[0] = uint8_t(0xF0 | (r >> 18));
  p[1] = uint8_t(0x80 | ((r >> 12) & 0x3F));
  p[2] = uint8_t(0x80 | ((r >> 6) & 0x3F));
  p[3] = uint8_t(0x80 | (r & 0x3F));
  return 4;
}

} // namespace runtime
