//===- Constant.cpp -------------------------------------------------------===//
#include "Constant.h"

#include <cmath>
#include <cstdio>

namespace toy {

std::string ConstFloat::str() const {
  char buf[64];
  double d = toDouble();
  if (v_.isZero() == (d == 0) && !std::isinf(d)) {
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return buf;
  }
  // Outside float64's range: v = mant * 2**exp with 0.5 <= |mant| < 1, then mant * 2**exp is
  // approximated as m * 10**e, as go/constant does.
  int exp;
  ConstFloat mant(llvm::frexp(v_, exp, llvm::APFloat::rmNearestTiesToEven));
  double m = mant.toDouble();
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
