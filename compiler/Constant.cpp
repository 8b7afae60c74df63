//===- Constant.cpp -------------------------------------------------------===//
#include "Constant.h"

#include <llvm/ADT/APSInt.h>
#include <llvm/Support/Error.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace toy {

using llvm::APFloat;
using llvm::APInt;

static const auto rm = APFloat::rmNearestTiesToEven;

ConstFloat ConstFloat::make(APInt num, APInt den) {
  if (den.isNegative()) {
    num.negate();
    den.negate();
  }
  ConstFloat out;
  if (num.isZero())
    return out;
  APInt mag = num.abs();
  APInt g = llvm::APIntOps::GreatestCommonDivisor(mag, den);
  if (!g.isOne()) {
    num = num.sdiv(g);
    den = den.udiv(g);
  }
  if (num.abs().getActiveBits() > kExactBits || den.getActiveBits() > kExactBits) {
    out.exact_ = false;
    out.approx_ = ratToFloat(num, den, APFloat::IEEEquad());
    return out;
  }
  out.num_ = std::move(num);
  out.den_ = std::move(den);
  return out;
}

APFloat ConstFloat::ratToFloat(const APInt &num, const APInt &den, const llvm::fltSemantics &sem) {
  if (num.isZero())
    return APFloat::getZero(sem);
  // q = floor(|num| * 2**s / den) with 110 or 111 bits, its lowest bit set if anything was
  // dropped: q * 2**-s is then exact in quadruple precision, and rounding it to sem (at most
  // 110 bits of precision) rounds as num/den itself would round.
  APInt a = num.abs();
  int s = 110 - (int(a.getActiveBits()) - int(den.getActiveBits()));
  APInt b = den;
  if (s >= 0)
    a = a.shl(unsigned(s));
  else
    b = b.shl(unsigned(-s));
  APInt q(kWidth, 0), r(kWidth, 0);
  APInt::udivrem(a, b, q, r);
  if (!r.isZero())
    q.setBit(0);
  APFloat f(APFloat::IEEEquad());
  f.convertFromAPInt(q.trunc(128), /*IsSigned=*/false, rm);
  f = llvm::scalbn(f, -s, rm);
  if (num.isNegative())
    f.changeSign();
  bool lost;
  f.convert(sem, rm, &lost);
  return f;
}

ConstFloat ConstFloat::fromAPFloat(const APFloat &f) {
  if (f.isZero())
    return ConstFloat();
  // f = m * 2**(k-112) with m an integer of at most 113 bits.
  int k = ilogb(f);
  APFloat g = f;
  bool lost;
  g.convert(APFloat::IEEEquad(), rm, &lost);
  g = llvm::scalbn(g, 112 - k, rm);
  llvm::APSInt m(128, /*isUnsigned=*/false);
  bool exact;
  g.convertToInteger(m, APFloat::rmTowardZero, &exact);
  APInt num = m.sext(kWidth), den(kWidth, 1);
  int t = k - 112;
  if (t >= 0)
    num = num.shl(unsigned(t));
  else
    den = den.shl(unsigned(-t));
  return make(num, den);
}

ConstFloat ConstFloat::fromInt(const ConstInt &i) {
  return make(i.v_.sext(kWidth), APInt(kWidth, 1));
}

bool ConstFloat::parse(const std::string &text, ConstFloat &out) {
  bool hex = text.size() > 1 && text[0] == '0' && (text[1] | 0x20) == 'x';
  std::string digits;
  long frac = 0;
  bool point = false;
  size_t i = hex ? 2 : 0;
  for (; i < text.size() && (text[i] | 0x20) != (hex ? 'p' : 'e'); ++i) {
    if (text[i] == '.')
      point = true;
    else {
      digits += text[i];
      frac += point;
    }
  }
  // A malformed literal (reported by the lexer) may lack digits or have others: it is 0.
  if (digits.empty() ||
      digits.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") != std::string::npos) {
    out = ConstFloat();
    return true;
  }
  // The exponent, capped: one this large puts the value far outside an exact rational's range.
  // (A malformed literal, already reported by the lexer, may have no exponent digits.)
  long exp = 0;
  bool negExp = i + 1 < text.size() && text[i + 1] == '-';
  for (size_t k = i + 1; k < text.size(); ++k)
    if (text[k] >= '0' && text[k] <= '9')
      exp = std::min(exp * 10 + (text[k] - '0'), 100000000L);
  if (negExp)
    exp = -exp;
  // Bits needed for the mantissa and for the power of the base.
  long powBits = hex ? std::labs(exp - 4 * frac) : std::labs(exp - frac) * 10 / 3 + 1;
  if (digits.size() * 4 + 64 < kExactBits && powBits + 64 < long(kExactBits)) {
    APInt m(kWidth, llvm::StringRef(digits), uint8_t(hex ? 16 : 10));
    APInt num = m, den(kWidth, 1);
    if (hex) {
      long e2 = exp - 4 * frac;
      if (e2 >= 0)
        num = num.shl(unsigned(e2));
      else
        den = den.shl(unsigned(-e2));
    } else {
      long e10 = exp - frac;
      APInt p(kWidth, 1);
      for (long k = 0; k < std::labs(e10); ++k)
        p = p * 10;
      if (e10 >= 0)
        num = num * p;
      else
        den = p;
    }
    out = make(num, den);
    return true;
  }
  APFloat f(APFloat::IEEEquad());
  auto st = f.convertFromString(text, rm);
  if (!st) {
    llvm::consumeError(st.takeError());
    return false;
  }
  if (*st & APFloat::opOverflow)
    return false;
  out = ConstFloat();
  out.exact_ = false;
  out.approx_ = f;
  return true;
}

ConstInt ConstFloat::toInt() const {
  if (exact_) {
    if (num_.abs().getActiveBits() >= ConstInt::kWidth)
      return ConstInt(1).shl(ConstInt::kWidth - 8);
    return ConstInt(num_.sdiv(den_).trunc(ConstInt::kWidth));
  }
  llvm::APSInt i(ConstInt::kWidth, /*isUnsigned=*/false);
  bool exact;
  if (approx_.convertToInteger(i, APFloat::rmTowardZero, &exact) & APFloat::opInvalidOp)
    return ConstInt(1).shl(ConstInt::kWidth - 8);
  return ConstInt(APInt(i));
}

bool ConstFloat::round(unsigned bits, ConstFloat &out) const {
  const llvm::fltSemantics &sem = bits == 32 ? APFloat::IEEEsingle() : APFloat::IEEEdouble();
  APFloat f = APFloat::getZero(sem);
  if (exact_) {
    f = ratToFloat(num_, den_, sem);
  } else {
    f = approx_;
    bool lost;
    f.convert(sem, rm, &lost);
  }
  if (f.isInfinity())
    return false;
  out = fromAPFloat(f);
  return true;
}

APFloat ConstFloat::value() const {
  return exact_ ? ratToFloat(num_, den_, APFloat::IEEEquad()) : approx_;
}

std::string ConstFloat::key() const {
  if (exact_)
    return llvm::toString(num_, 10, true) + "/" + llvm::toString(den_, 10, false);
  return "~" + llvm::toString(approx_.bitcastToAPInt(), 16, false);
}

ConstFloat ConstFloat::operator-() const {
  ConstFloat out = *this;
  if (exact_)
    out.num_.negate();
  else if (!approx_.isZero()) // constants have no negative zero
    out.approx_.changeSign();
  return out;
}

ConstFloat ConstFloat::arith(char op, const ConstFloat &a, const ConstFloat &b) {
  if (a.exact_ && b.exact_) {
    switch (op) {
    case '+':
      return make(a.num_ * b.den_ + b.num_ * a.den_, a.den_ * b.den_);
    case '-':
      return make(a.num_ * b.den_ - b.num_ * a.den_, a.den_ * b.den_);
    case '*':
      return make(a.num_ * b.num_, a.den_ * b.den_);
    default:
      return make(a.num_ * b.den_, a.den_ * b.num_);
    }
  }
  APFloat x = a.value(), y = b.value();
  switch (op) {
  case '+':
    x.add(y, rm);
    break;
  case '-':
    x.subtract(y, rm);
    break;
  case '*':
    x.multiply(y, rm);
    break;
  default:
    x.divide(y, rm);
    break;
  }
  if (x.isZero() && x.isNegative())
    x.changeSign();
  ConstFloat out;
  out.exact_ = false;
  out.approx_ = x;
  return out;
}

int ConstFloat::compare(const ConstFloat &a, const ConstFloat &b) {
  if (a.exact_ && b.exact_) {
    APInt l = a.num_ * b.den_, r = b.num_ * a.den_;
    return l.slt(r) ? -1 : l == r ? 0 : 1;
  }
  switch (a.value().compare(b.value())) {
  case APFloat::cmpLessThan:
    return -1;
  case APFloat::cmpEqual:
    return 0;
  default:
    return 1;
  }
}

std::string ConstFloat::str() const {
  char buf[64];
  APFloat q = value();
  APFloat dv = q;
  if (exact_)
    dv = ratToFloat(num_, den_, APFloat::IEEEdouble());
  else {
    bool lost;
    dv.convert(APFloat::IEEEdouble(), rm, &lost);
  }
  double d = dv.convertToDouble();
  if (isZero() == (d == 0) && !std::isinf(d)) {
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return buf;
  }
  // Outside float64's range: v = mant * 2**exp with 0.5 <= |mant| < 1, then mant * 2**exp is
  // approximated as m * 10**e, as go/constant does.
  int exp;
  APFloat mant = llvm::frexp(q, exp, rm);
  bool lost;
  mant.convert(APFloat::IEEEdouble(), rm, &lost);
  double m = mant.convertToDouble();
  double dexp = double(exp) * (std::log(2.0) / std::log(10.0));
  auto e = int64_t(dexp);
  m *= std::pow(10.0, dexp - double(e));
  double am = std::fabs(m);
  if (am < 1 - 0.5e-6) {
    // %.6g rounds m to 5 digits after the point: keep m*10 below 10 after rounding up.
    m *= 10;
    e--;
  } else if (am >= 10) {
    m /= 10;
    e++;
  }
  std::snprintf(buf, sizeof buf, "%.6ge%+lld", m, static_cast<long long>(e));
  return buf;
}

} // namespace toy
