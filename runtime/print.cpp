// The print primitives behind print/println (Go: runtime/print.go).
//
// The compiler turns print(a, b) into printlock(); printX(a); printsp(); ...; printunlock().
// printlock makes one statement's pieces appear together even when several goroutines print;
// it nests, so the runtime may print inside a print. Each piece is written to fd 2 with its own
// write system call, as in Go.

#include "stubs.h"

namespace runtime {

// debuglock is held while printing (Go: print.go).
static mutex debuglock;

void printlock() {
  m *mp = getg()->m;
  mp->locks++; // do not reschedule between printlock++ and lock(&debuglock).
  mp->printlock++;
  if (mp->printlock == 1)
    lock(&debuglock);
  mp->locks--; // now we know debuglock is held and holding up mp.locks for us.
}

void printunlock() {
  m *mp = getg()->m;
  mp->printlock--;
  if (mp->printlock == 0)
    unlock(&debuglock);
}

// gwrite writes b to stderr.
// Differs from Go: no g.writebuf (used by Go's tests) and no panic-message recording; what
// toy buffers for stdout is written out first (os_file.cpp).
void gwrite(const void *b, int64_t n) {
  if (n == 0)
    return;
  flushStdout();
  write(2, b, static_cast<int32_t>(n));
}

void printsp() { gwrite(" ", 1); }

void printnl() { gwrite("\n", 1); }

void printbool(bool v) {
  if (v)
    gwrite("true", 4);
  else
    gwrite("false", 5);
}

void printuint(uint64_t v) {
  uint8_t buf[100];
  int i = sizeof buf - 1;
  for (; i > 0; i--) {
    buf[i] = static_cast<uint8_t>(v % 10 + '0');
    if (v < 10)
      break;
    v /= 10;
  }
  gwrite(buf + i, sizeof buf - i);
}

void printint(int64_t v) {
  if (v < 0) {
    gwrite("-", 1);
    printuint(0 - static_cast<uint64_t>(v)); // well-defined for the most negative value too
    return;
  }
  printuint(static_cast<uint64_t>(v));
}

// formatfloat writes v as Go's print does into out and returns the length: a sign, seven
// significant digits and a signed three-digit exponent (+1.500000e+000), or NaN, +Inf, -Inf.
// The digits come from repeated scaling by 10 in float64, so they are not always the exactly
// rounded ones (as in Go).
// Differs from Go: print.go's printfloat formats and writes in one; the formatting is shared
// here with panics of float values, which Go prints through printfloat itself.
int64_t formatfloat(double v, uint8_t out[kFloatLen]) {
  auto copy = [&](const char *s) {
    int64_t n = 0;
    for (; s[n] != 0; n++)
      out[n] = static_cast<uint8_t>(s[n]);
    return n;
  };
  if (v != v)
    return copy("NaN");
  if (v + v == v && v != 0) // only an infinity doubles to itself besides zero
    return copy(v > 0 ? "+Inf" : "-Inf");
  constexpr int ndigits = 7; // out: sign, digit, '.', 6 digits, 'e', sign, 3 digits
  static_assert(ndigits + 7 == kFloatLen);
  out[0] = '+';
  int exp = 0;
  if (v == 0) {
    if (1 / v < 0) // negative zero
      out[0] = '-';
  } else {
    if (v < 0) {
      out[0] = '-';
      v = -v;
    }
    // Scale v into [1, 10), counting the powers of ten.
    while (v >= 10) {
      v /= 10;
      exp++;
    }
    while (v < 1) {
      v *= 10;
      exp--;
    }
    // Round at the last printed digit: add half a unit of the seventh digit.
    double half = 5;
    for (int k = 0; k < ndigits; k++)
      half /= 10;
    v += half;
    if (v >= 10) {
      v /= 10;
      exp++;
    }
  }
  // The digits go to out[2..8]; the first then moves before the point.
  for (int k = 0; k < ndigits; k++) {
    int d = static_cast<int>(v);
    out[k + 2] = static_cast<uint8_t>('0' + d);
    v = (v - d) * 10;
  }
  out[1] = out[2];
  out[2] = '.';
  out[ndigits + 2] = 'e';
  out[ndigits + 3] = exp < 0 ? '-' : '+';
  if (exp < 0)
    exp = -exp;
  out[ndigits + 4] = static_cast<uint8_t>('0' + exp / 100);
  out[ndigits + 5] = static_cast<uint8_t>('0' + exp / 10 % 10);
  out[ndigits + 6] = static_cast<uint8_t>('0' + exp % 10);
  return kFloatLen;
}

void printfloat(double v) {
  uint8_t out[kFloatLen];
  gwrite(out, formatfloat(v, out));
}

void printhex(uint64_t v) {
  const char *dig = "0123456789abcdef";
  uint8_t buf[100];
  int i = sizeof buf;
  for (i--; i > 0; i--) {
    buf[i] = static_cast<uint8_t>(dig[v % 16]);
    if (v < 16)
      break;
    v /= 16;
  }
  i--;
  buf[i] = 'x';
  i--;
  buf[i] = '0';
  gwrite(buf + i, sizeof buf - i);
}

void printpointer(const void *p) { printhex(reinterpret_cast<uintptr_t>(p)); }

// printslice prints a slice as Go's print does: [len/cap]0xarray.
void printslice(const void *array, int64_t len, int64_t cap) {
  printstring(reinterpret_cast<const uint8_t *>("["), 1);
  printint(len);
  printstring(reinterpret_cast<const uint8_t *>("/"), 1);
  printint(cap);
  printstring(reinterpret_cast<const uint8_t *>("]"), 1);
  printpointer(array);
}

void printstring(const uint8_t *s, int64_t n) { gwrite(s, n); }

} // namespace runtime
