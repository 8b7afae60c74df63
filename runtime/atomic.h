// Atomic operations (Go: runtime/internal/atomic), on top of the __atomic builtins.
//
// Go's Load/Store/Xadd/Cas/Xchg are sequentially consistent; LoadAcq/StoreRel/CasRel are the
// weaker forms the run queues use. The same orders are kept here so that reasoning written
// for Go's code carries over unchanged.
#ifndef TOY_RUNTIME_ATOMIC_H
#define TOY_RUNTIME_ATOMIC_H

namespace runtime::atomic {

template <typename T> inline T Load(const T *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
template <typename T> inline T LoadAcq(const T *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
template <typename T> inline void Store(T *p, T v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
template <typename T> inline void StoreRel(T *p, T v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
// Xadd returns the new value, as Go's does.
template <typename T, typename D> inline T Xadd(T *p, D delta) {
  return __atomic_add_fetch(p, static_cast<T>(delta), __ATOMIC_SEQ_CST);
}
template <typename T> inline T Xchg(T *p, T v) {
  return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
template <typename T> inline bool Cas(T *p, T old, T v) {
  return __atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
template <typename T> inline bool CasRel(T *p, T old, T v) {
  return __atomic_compare_exchange_n(p, &old, v, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

} // namespace runtime::atomic

#endif
