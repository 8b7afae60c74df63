// Intrinsics that mark the IR and leave no instruction behind: lifetime markers, debug
// records, assumptions and branch expectations. Passes that look for calls or memory accesses
// skip them.
#pragma once

#include <llvm/IR/IntrinsicInst.h>

namespace toy {

inline bool isMarkerIntrinsic(const llvm::IntrinsicInst &ii) {
  switch (ii.getIntrinsicID()) {
  case llvm::Intrinsic::lifetime_start:
  case llvm::Intrinsic::lifetime_end:
  case llvm::Intrinsic::assume:
  case llvm::Intrinsic::dbg_value:
  case llvm::Intrinsic::dbg_declare:
  case llvm::Intrinsic::dbg_label:
  case llvm::Intrinsic::expect:
    return true;
  default:
    return false;
  }
}

} // namespace toy
