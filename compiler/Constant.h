//===- Constant.h - integer and floating-point constants -------------------===//
//
// Go's untyped integer constants are exact: 1 << 100 >> 98 is 4. ConstInt holds them in a
// 2048-bit two's-complement integer; Sema keeps every folded value within Go's 512-bit limit
// for untyped constants (go/types' prec), so no operation on two such values can wrap.
//
// ConstFloat holds a floating-point constant in IEEE quadruple precision (a 113-bit
// significand, binary exponents to 16383). Differs from Go: go/constant keeps untyped float
// constants exact (rationals, or 512-bit floats), so a constant expression whose exact value
// needs more than 113 bits is rounded here.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_CONSTANT_H
#define TOY_CONSTANT_H

#include <llvm/ADT/APFloat.h>
#include <llvm/ADT/APInt.h>
#include <llvm/ADT/APSInt.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

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
  ConstFloat() : v_(llvm::APFloat::IEEEquad()) {}
  explicit ConstFloat(llvm::APFloat v) : v_(std::move(v)) {}
  /// Converts an integer constant exactly when its magnitude fits 113 bits, else rounds.
  static ConstFloat fromInt(const ConstInt &i) {
    llvm::APFloat f(llvm::APFloat::IEEEquad());
    f.convertFromAPInt(i.v_, /*IsSigned=*/true, llvm::APFloat::rmNearestTiesToEven);
    return ConstFloat(f);
  }
  /// Parses a Go float literal without '_' (decimal or hexadecimal with a 'p' exponent);
  /// false if its value is out of quadruple range.
  static bool parse(const std::string &text, ConstFloat &out) {
    llvm::APFloat f(llvm::APFloat::IEEEquad());
    auto st = f.convertFromString(text, llvm::APFloat::rmNearestTiesToEven);
    if (!st) {
      llvm::consumeError(st.takeError());
      return false;
    }
    if (*st & llvm::APFloat::opOverflow)
      return false;
    out = ConstFloat(f);
    return true;
  }
  const llvm::APFloat &value() const { return v_; }
  bool isZero() const { return v_.isZero(); }
  bool isFinite() const { return v_.isFinite(); }
  bool isInteger() const { return v_.isInteger(); }
  /// The integer value of an integral constant (isInteger()), exactly.
  ConstInt toInt() const {
    llvm::APSInt i(ConstInt::kWidth, /*isUnsigned=*/false);
    bool exact;
    v_.convertToInteger(i, llvm::APFloat::rmTowardZero, &exact);
    return ConstInt(llvm::APInt(i));
  }
  /// The value rounded to float32 or float64 (bits 32 or 64), kept in quadruple; false if it
  /// overflows that type.
  bool round(unsigned bits, ConstFloat &out) const {
    llvm::APFloat f = v_;
    bool lost;
    auto st = f.convert(bits == 32 ? llvm::APFloat::IEEEsingle() : llvm::APFloat::IEEEdouble(),
                        llvm::APFloat::rmNearestTiesToEven, &lost);
    if ((st & llvm::APFloat::opOverflow) || f.isInfinity())
      return false;
    f.convert(llvm::APFloat::IEEEquad(), llvm::APFloat::rmNearestTiesToEven, &lost);
    out = ConstFloat(f);
    return true;
  }
  /// The value as a double (callers round() first, so nothing is lost).
  double toDouble() const {
    llvm::APFloat f = v_;
    bool lost;
    f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  }
  /// go/constant's String for a float: %.6g, or an approximate mantissa and decimal exponent
  /// outside float64's range.
  std::string str() const;

private:
  llvm::APFloat v_;
};

} // namespace toy

#endif
