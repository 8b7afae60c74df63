// The functions of package sync/atomic (Go: sync/atomic/asm.s, which jumps to
// runtime/internal/atomic), on the __atomic builtins of atomic.h.
//
// Package sync/atomic declares each without a body and binds it with //go:linkname to the
// symbol sync/atomic.<Name> defined here. All are sequentially consistent, as Go's are.
// Differs from Go: no unsafe.Pointer in toy yet, so package sync/atomic declares no
// SwapPointer, CompareAndSwapPointer, LoadPointer and StorePointer. The last three are defined
// here all the same, for package sync: its poolChain binds typed functions to them
// (stdlib/sync/poolqueue.toy), where Go converts its pointers to *unsafe.Pointer.

#include "atomic.h"
#include "stubs.h"

namespace runtime {

extern "C" int32_t sync_atomic_SwapInt32(int32_t *addr, int32_t v) __asm__("sync/atomic.SwapInt32");
int32_t sync_atomic_SwapInt32(int32_t *addr, int32_t v) { return atomic::Xchg(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapInt32(int32_t *addr, int32_t old,
                                int32_t v) __asm__("sync/atomic.CompareAndSwapInt32");
bool sync_atomic_CompareAndSwapInt32(int32_t *addr, int32_t old, int32_t v) {
  return atomic::Cas(addr, old, v);
}

extern "C" int32_t sync_atomic_AddInt32(int32_t *addr,
                                        int32_t delta) __asm__("sync/atomic.AddInt32");
int32_t sync_atomic_AddInt32(int32_t *addr, int32_t delta) { return atomic::Xadd(addr, delta); }

extern "C" int32_t sync_atomic_LoadInt32(const int32_t *addr) __asm__("sync/atomic.LoadInt32");
int32_t sync_atomic_LoadInt32(const int32_t *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StoreInt32(int32_t *addr, int32_t v) __asm__("sync/atomic.StoreInt32");
void sync_atomic_StoreInt32(int32_t *addr, int32_t v) { atomic::Store(addr, v); }

extern "C" int64_t sync_atomic_SwapInt64(int64_t *addr, int64_t v) __asm__("sync/atomic.SwapInt64");
int64_t sync_atomic_SwapInt64(int64_t *addr, int64_t v) { return atomic::Xchg(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapInt64(int64_t *addr, int64_t old,
                                int64_t v) __asm__("sync/atomic.CompareAndSwapInt64");
bool sync_atomic_CompareAndSwapInt64(int64_t *addr, int64_t old, int64_t v) {
  return atomic::Cas(addr, old, v);
}

extern "C" int64_t sync_atomic_AddInt64(int64_t *addr,
                                        int64_t delta) __asm__("sync/atomic.AddInt64");
int64_t sync_atomic_AddInt64(int64_t *addr, int64_t delta) { return atomic::Xadd(addr, delta); }

extern "C" int64_t sync_atomic_LoadInt64(const int64_t *addr) __asm__("sync/atomic.LoadInt64");
int64_t sync_atomic_LoadInt64(const int64_t *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StoreInt64(int64_t *addr, int64_t v) __asm__("sync/atomic.StoreInt64");
void sync_atomic_StoreInt64(int64_t *addr, int64_t v) { atomic::Store(addr, v); }

extern "C" uint32_t sync_atomic_SwapUint32(uint32_t *addr,
                                           uint32_t v) __asm__("sync/atomic.SwapUint32");
uint32_t sync_atomic_SwapUint32(uint32_t *addr, uint32_t v) { return atomic::Xchg(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapUint32(uint32_t *addr, uint32_t old,
                                 uint32_t v) __asm__("sync/atomic.CompareAndSwapUint32");
bool sync_atomic_CompareAndSwapUint32(uint32_t *addr, uint32_t old, uint32_t v) {
  return atomic::Cas(addr, old, v);
}

extern "C" uint32_t sync_atomic_AddUint32(uint32_t *addr,
                                          uint32_t delta) __asm__("sync/atomic.AddUint32");
uint32_t sync_atomic_AddUint32(uint32_t *addr, uint32_t delta) { return atomic::Xadd(addr, delta); }

extern "C" uint32_t sync_atomic_LoadUint32(const uint32_t *addr) __asm__("sync/atomic.LoadUint32");
uint32_t sync_atomic_LoadUint32(const uint32_t *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StoreUint32(uint32_t *addr,
                                        uint32_t v) __asm__("sync/atomic.StoreUint32");
void sync_atomic_StoreUint32(uint32_t *addr, uint32_t v) { atomic::Store(addr, v); }

extern "C" uint64_t sync_atomic_SwapUint64(uint64_t *addr,
                                           uint64_t v) __asm__("sync/atomic.SwapUint64");
uint64_t sync_atomic_SwapUint64(uint64_t *addr, uint64_t v) { return atomic::Xchg(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapUint64(uint64_t *addr, uint64_t old,
                                 uint64_t v) __asm__("sync/atomic.CompareAndSwapUint64");
bool sync_atomic_CompareAndSwapUint64(uint64_t *addr, uint64_t old, uint64_t v) {
  return atomic::Cas(addr, old, v);
}

extern "C" uint64_t sync_atomic_AddUint64(uint64_t *addr,
                                          uint64_t delta) __asm__("sync/atomic.AddUint64");
uint64_t sync_atomic_AddUint64(uint64_t *addr, uint64_t delta) { return atomic::Xadd(addr, delta); }

extern "C" uint64_t sync_atomic_LoadUint64(const uint64_t *addr) __asm__("sync/atomic.LoadUint64");
uint64_t sync_atomic_LoadUint64(const uint64_t *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StoreUint64(uint64_t *addr,
                                        uint64_t v) __asm__("sync/atomic.StoreUint64");
void sync_atomic_StoreUint64(uint64_t *addr, uint64_t v) { atomic::Store(addr, v); }

extern "C" uintptr_t sync_atomic_SwapUintptr(uintptr_t *addr,
                                             uintptr_t v) __asm__("sync/atomic.SwapUintptr");
uintptr_t sync_atomic_SwapUintptr(uintptr_t *addr, uintptr_t v) { return atomic::Xchg(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapUintptr(uintptr_t *addr, uintptr_t old,
                                  uintptr_t v) __asm__("sync/atomic.CompareAndSwapUintptr");
bool sync_atomic_CompareAndSwapUintptr(uintptr_t *addr, uintptr_t old, uintptr_t v) {
  return atomic::Cas(addr, old, v);
}

extern "C" uintptr_t sync_atomic_AddUintptr(uintptr_t *addr,
                                            uintptr_t delta) __asm__("sync/atomic.AddUintptr");
uintptr_t sync_atomic_AddUintptr(uintptr_t *addr, uintptr_t delta) {
  return atomic::Xadd(addr, delta);
}

extern "C" uintptr_t
sync_atomic_LoadUintptr(const uintptr_t *addr) __asm__("sync/atomic.LoadUintptr");
uintptr_t sync_atomic_LoadUintptr(const uintptr_t *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StoreUintptr(uintptr_t *addr,
                                         uintptr_t v) __asm__("sync/atomic.StoreUintptr");
void sync_atomic_StoreUintptr(uintptr_t *addr, uintptr_t v) { atomic::Store(addr, v); }

extern "C" bool
sync_atomic_CompareAndSwapPointer(void **addr, void *old,
                                  void *v) __asm__("sync/atomic.CompareAndSwapPointer");
bool sync_atomic_CompareAndSwapPointer(void **addr, void *old, void *v) {
  return atomic::Cas(addr, old, v);
}

extern "C" void *sync_atomic_LoadPointer(void *const *addr) __asm__("sync/atomic.LoadPointer");
void *sync_atomic_LoadPointer(void *const *addr) { return atomic::Load(addr); }

extern "C" void sync_atomic_StorePointer(void **addr, void *v) __asm__("sync/atomic.StorePointer");
void sync_atomic_StorePointer(void **addr, void *v) { atomic::Store(addr, v); }

// LoadAcquintptr and StoreReluintptr are runtime/internal/atomic's, which package sync binds
// (its runtime_LoadAcquintptr and runtime_StoreReluintptr) for sync.Pool's localSize: the
// store-release publishes a new per-P array, the load-acquire sees it.
extern "C" uintptr_t
runtime_internal_atomic_LoadAcquintptr(const uintptr_t *addr) __asm__(
    "runtime/internal/atomic.LoadAcquintptr");
uintptr_t runtime_internal_atomic_LoadAcquintptr(const uintptr_t *addr) {
  return atomic::LoadAcq(addr);
}

extern "C" void runtime_internal_atomic_StoreReluintptr(uintptr_t *addr, uintptr_t v) __asm__(
    "runtime/internal/atomic.StoreReluintptr");
void runtime_internal_atomic_StoreReluintptr(uintptr_t *addr, uintptr_t v) {
  atomic::StoreRel(addr, v);
}

} // namespace runtime
