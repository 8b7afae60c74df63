// OS memory management for Linux (Go: runtime/mem_linux.go, mmap in runtime/stubs2.go).

#include "stubs.h"

namespace runtime {

void *mmap(void *addr, uintptr_t n, int32_t prot, int32_t flags, int32_t fd, uint32_t off,
           int32_t *err) {
  uintptr_t r = sysMmap(addr, n, prot, flags, fd, off);
  if (r >= uintptr_t(-4095)) {
    *err = -static_cast<int32_t>(r);
    return nullptr;
  }
  *err = 0;
  return reinterpret_cast<void *>(r);
}

// sysAlloc obtains n bytes of zeroed, committed-on-touch memory from the OS, or throws.
void *sysAlloc(uintptr_t n) {
  int32_t err;
  void *p = mmap(nullptr, n, _PROT_READ | _PROT_WRITE, _MAP_ANON | _MAP_PRIVATE, -1, 0, &err);
  if (p == nullptr) {
    if (err == 13) // EACCES
      print("runtime: mmap: access denied\n");
    if (err == 11) // EAGAIN
      print("runtime: mmap: too much locked memory (check 'ulimit -l').\n");
    print("runtime: cannot allocate memory: mmap of ", n, " bytes failed with errno=", err, "\n");
    throw_("out of memory");
  }
  return p;
}

// sysReserveNoCommit maps n bytes read-write without reserving swap (MAP_NORESERVE): pages
// are committed by the kernel as they are first touched. Returns null if the address space is
// not available (like Go's sysReserve), for example under an address-space limit (ulimit -v).
// Differs from Go: Go reserves PROT_NONE and commits with sysMap; toy's stack arenas rely on
// the kernel committing lazily, so one mapping serves thousands of stacks.
void *sysReserveNoCommit(uintptr_t n) {
  int32_t err;
  return mmap(nullptr, n, _PROT_READ | _PROT_WRITE, _MAP_ANON | _MAP_PRIVATE | _MAP_NORESERVE, -1,
              0, &err);
}

// sysReserve reserves n bytes of address space, at v if that is free, without making it usable;
// or returns null if the OS refuses.
void *sysReserve(void *v, uintptr_t n) {
  int32_t err;
  return mmap(v, n, _PROT_NONE, _MAP_ANON | _MAP_PRIVATE, -1, 0, &err);
}

// sysMap makes the reserved [v, v+n) usable: committed-on-touch memory that reads as zero.
void sysMap(void *v, uintptr_t n) {
  int32_t err;
  void *p =
      mmap(v, n, _PROT_READ | _PROT_WRITE, _MAP_ANON | _MAP_FIXED | _MAP_PRIVATE, -1, 0, &err);
  if (err == 12) // ENOMEM
    throw_("runtime: out of memory");
  if (p != v || err != 0) {
    print("runtime: mmap(", v, ", ", n, ") returned ", p, ", ", err, "\n");
    throw_("runtime: cannot map pages in arena address space");
  }
}

void sysFree(void *v, uintptr_t n) { sysMunmap(v, n); }

// sysUnused returns the pages of [v, v+n) to the OS, keeping the mapping: they read as zero
// when touched again (Go: sysUnusedOS, with debug.madvdontneed=1, Go's default on Linux).
void sysUnused(void *v, uintptr_t n) {
  if (madvise(v, n, _MADV_DONTNEED) != 0)
    throw_("runtime: madvise failed");
}

} // namespace runtime
