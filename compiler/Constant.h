//===- Constant.h - integer and floating-point constants -------------------===//
//
// Go's untyped integer constants are exact: 1 << 100 >> 98 is 4. ConstInt holds them in a
// 2048-bit two's-complement integer; Sema keeps every folded value within Go's 512-bit limit
// for untyped constants (go/types' prec), so no operation on two such values can wrap.
//
// ConstFloat holds a floating-point constant as an exact rational while its numerator and
// denominator fit 4000 bits (1e-1200 and 1e1200 do), as go/constant does with big.Rat, and
// beyond that in IEEE quadruple precision (113-bit significand, magnitudes to 1.1e+4932).
//
//===----------------------------------------------------------------------===//
#ifndef TOY_CONSTANT_H
#define TOY_CONSTANT_H

#include <llvm/ADT/APFloat.h>
#include <llvm/ADT/APInt.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>

namespace toy {

class ConstInt {
public:
  static constexpr unsigned kWidth = 2048;
  /// Go's limit on an untyped integer constant's magnitude, in bits (go/types' prec).
  static constexpr unsigned kMaxBits = 512;

  ConstInt() : v_(kWidth, 0) {}
  ConstInt(int64_t x) : v_(kWidth, uint64_t(x), /*isSigned=*/true) {}
  /// Parses digits (no prefix, no '_') in base 2, 8, 10 or 16; false if too long to be exact.
  static bool parse(const std::string &digits, unsigned base, ConstInt &out);

  friend ConstInt operator+(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ + b.v_); }
  friend ConstInt operator-(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ - b.v_); }
  friend ConstInt operator*(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ * b.v_); }
  /// Go's / and %: truncated toward zero. b must not be zero.
  friend ConstInt operator/(const ConstInt &a, const ConstInt &b) {
    return ConstInt(a.v_.sdiv(b.v_));
  }
  friend ConstInt operator%(const ConstInt &a, const ConstInt &b) {
    return ConstInt(a.v_.srem(b.v_));
  }
  friend ConstInt operator&(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ & b.v_); }
  friend ConstInt operator|(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ | b.v_); }
  friend ConstInt operator^(const ConstInt &a, const ConstInt &b) { return ConstInt(a.v_ ^ b.v_); }
  ConstInt operator-() const { return ConstInt(-v_); }
  ConstInt operator~() const { return ConstInt(~v_); }
  ConstInt shl(unsigned n) const {
    return ConstInt(n >= kWidth ? llvm::APInt(kWidth, 0) : v_.shl(n));
  }
  ConstInt ashr(unsigned n) const { return ConstInt(v_.ashr(std::min(n, kWidth - 1))); }

  friend bool operator==(const ConstInt &a, const ConstInt &b) { return a.v_ == b.v_; }
  friend bool operator!=(const ConstInt &a, const ConstInt &b) { return a.v_ != b.v_; }
  friend bool operator<(const ConstInt &a, const ConstInt &b) { return a.v_.slt(b.v_); }
  friend bool operator<=(const ConstInt &a, const ConstInt &b) { return a.v_.sle(b.v_); }
  friend bool operator>(const ConstInt &a, const ConstInt &b) { return a.v_.sgt(b.v_); }
  friend bool operator>=(const ConstInt &a, const ConstInt &b) { return a.v_.sge(b.v_); }

  bool isZero() const { return v_.isZero(); }
  bool isNegative() const { return v_.isNegative(); }
  /// Bits of the magnitude (Go's constant.BitLen): 1 << 511 has 512.
  unsigned bitLen() const { return v_.abs().getActiveBits(); }
  bool fitsSigned(unsigned bits) const { return v_.isSignedIntN(bits); }
  bool fitsUnsigned(unsigned bits) const { return !v_.isNegative() && v_.isIntN(bits); }
  /// The low 64 bits (what a typed 64-bit constant holds).
  uint64_t low64() const { return v_.getLoBits(64).getZExtValue(); }
  /// The value when it is known to be small (a shift count, a length).
  int64_t small() const {
    return fitsSigned(64) ? v_.getSExtValue() : (isNegative() ? INT64_MIN : INT64_MAX);
  }
  std::string str() const { return llvm::toString(v_, 10, /*Signed=*/true); }

private:
  friend class ConstFloat;
  explicit ConstInt(llvm::APInt v) : v_(std::move(v)) {}
  llvm::APInt v_;
};

inline bool ConstInt::parse(const std::string &digits, unsigned base, ConstInt &out) {
  // Bits per digit: base 2 -> 1, 8 -> 3, 10 -> < 4, 16 -> 4; stay well inside kWidth.
  if (digits.empty() || digits.size() * 4 > kWidth - 64)
    return false;
  out = ConstInt(llvm::APInt(kWidth, llvm::StringRef(digits), uint8_t(base)));
  return true;
}

class ConstFloat {
public:
  ConstFloat() : num_(kWidth, 0), den_(kWidth, 1), approx_(llvm::APFloat::IEEEquad()) {}
  static ConstFloat fromInt(const ConstInt &i);
  /// Parses a Go float literal without '_' (decimal, or hexadecimal with a 'p' exponent);
  /// false if its value is beyond quadruple range.
  static bool parse(const std::string &text, ConstFloat &out);

  bool isZero() const { return exact_ ? num_.isZero() : approx_.isZero(); }
  bool isFinite() const { return exact_ || approx_.isFinite(); }
  bool isInteger() const { return exact_ ? den_.isOne() : approx_.isInteger(); }
  /// The integer value of an integral constant (isInteger()); one beyond ConstInt::kMaxBits
  /// if it is too large for a ConstInt.
  ConstInt toInt() const;
  /// The value rounded to float32 or float64 (bits 32 or 64); false if it overflows that type.
  bool round(unsigned bits, ConstFloat &out) const;
  /// The value in quadruple precision (exact for a value round() produced).
  llvm::APFloat value() const;
  /// A text that is equal for two constants exactly when their values are.
  std::string key() const;
  /// go/constant's String for a float: %.6g, or an approximate mantissa and decimal exponent
  /// outside float64's range.
  std::string str() const;

  ConstFloat operator-() const;
  /// a op b for op in + - * /; b is not zero for /.
  static ConstFloat arith(char op, const ConstFloat &a, const ConstFloat &b);
  /// -1, 0 or +1 as a is less than, equal to or greater than b.
  static int compare(const ConstFloat &a, const ConstFloat &b);

private:
  static constexpr unsigned kWidth = 8192;
  /// The largest numerator or denominator kept exact, in bits; a product of two stays in kWidth.
  static constexpr unsigned kExactBits = 4000;
  static ConstFloat fromAPFloat(const llvm::APFloat &f);
  /// Reduces num/den (den > 0), or falls back to quadruple precision when either is too long.
  static ConstFloat make(llvm::APInt num, llvm::APInt den);
  /// num/den correctly rounded to sem (whose precision is at most 110 bits), unchecked.
  static llvm::APFloat ratToFloat(const llvm::APInt &num, const llvm::APInt &den,
                                  const llvm::fltSemantics &sem);

  // Exact values are num_/den_ (reduced, den_ > 0). Values whose numerator or denominator
  // would exceed kExactBits are held in approx_, in quadruple precision.
  // Differs from Go: go/constant switches to 512-bit floats there, toy to 113 bits.
  bool exact_ = true;
  llvm::APInt num_, den_;
  llvm::APFloat approx_;
};

} // namespace toy

#endif
