// Linux-specific start-up, thread creation and futexes (Go: runtime/os_linux.go,
// runtime/runtime1.go for args/goenvs, runtime/env_posix.go for gogetenv).

#include "alg.h"
#include "atomic.h"
#include "stubs.h"

namespace runtime {

int32_t argc;
uint8_t **argv;
uintptr_t physPageSize;

// The environment, as pointers into the initial stack (Go: envs []string, filled by goenvs).
// Differs from Go: not copied into Go strings; the kernel's strings never move.
uint8_t **envs;
int32_t nenvs;
// The executable's path, the highest string on the initial stack (AT_EXECFN).
static const uint8_t *execfn;

namespace {
constexpr uintptr_t _AT_NULL = 0;
constexpr uintptr_t _AT_PAGESZ = 6;
constexpr uintptr_t _AT_RANDOM = 25; // 16 random bytes from the kernel
constexpr uintptr_t _AT_EXECFN = 31;

constexpr int32_t _FUTEX_PRIVATE_FLAG = 128;
constexpr int32_t _FUTEX_WAIT_PRIVATE = 0 | _FUTEX_PRIVATE_FLAG;
constexpr int32_t _FUTEX_WAKE_PRIVATE = 1 | _FUTEX_PRIVATE_FLAG;

constexpr int32_t _CLONE_VM = 0x100, _CLONE_FS = 0x200, _CLONE_FILES = 0x400,
                  _CLONE_SIGHAND = 0x800, _CLONE_THREAD = 0x10000, _CLONE_SYSVSEM = 0x40000;
constexpr int32_t cloneFlags =
    _CLONE_VM |      // share memory
    _CLONE_FS |      // share cwd, etc
    _CLONE_FILES |   // share fd table
    _CLONE_SIGHAND | // share sig handler table
    _CLONE_SYSVSEM | // share SysV semaphore undo lists (see issue #20763)
    _CLONE_THREAD;   // revisit - okay for now

constexpr int32_t _SIG_SETMASK = 2;
constexpr int32_t _SS_DISABLE = 2;
constexpr int32_t _EAGAIN = 11;

struct timespec {
  int64_t tv_sec;
  int64_t tv_nsec;
};

// struct sysinfo (Linux x86-64), the fields toy reads.
struct sysinfot {
  int64_t uptime;
  uint64_t loads[3];
  uint64_t totalram;
  uint64_t freeram, sharedram, bufferram, totalswap, freeswap;
  uint16_t procs, pad;
  uint64_t totalhigh, freehigh;
  uint32_t mem_unit;
  uint8_t _f[4];
};
static_assert(sizeof(sysinfot) == 112, "struct sysinfo is 112 bytes on x86-64");

struct stackt {
  uint8_t *ss_sp;
  int32_t ss_flags;
  int32_t _pad;
  uintptr_t ss_size;
};
} // namespace

// startupRandomData is the kernel's AT_RANDOM: 16 bytes (Go: os_linux.go).
static const uint8_t *startupRandomData;
constexpr uintptr_t startupRandomLen = 16;

// extendRandom fills r[n:len) from the bytes before it, hashed with the time as seed.
static void extendRandom(uint8_t *r, uintptr_t n, uintptr_t len) {
  while (n < len) {
    uintptr_t w = n > 16 ? 16 : n;
    uintptr_t h = memhashFallback(r + n - w, uintptr_t(nanotime()), w);
    for (int i = 0; i < 8 && n < len; i++) {
      r[n++] = uint8_t(h);
      h >>= 8;
    }
  }
}

// Differs from Go: without AT_RANDOM Go reads /dev/urandom; toy extends from the clock alone.
// Under simulation the bytes come from the seed.
void getRandomData(uint8_t *r, uintptr_t len) {
  if (simulating) {
    for (uintptr_t i = 0; i < len; i++)
      r[i] = uint8_t(simrandom());
    return;
  }
  uintptr_t n = 0;
  if (startupRandomData != nullptr)
    for (; n < len && n < startupRandomLen; n++)
      r[n] = startupRandomData[n];
  extendRandom(r, n, len);
}

static void sysauxv(uintptr_t *auxv) {
  for (int i = 0; auxv[i] != _AT_NULL; i += 2) {
    uintptr_t tag = auxv[i], val = auxv[i + 1];
    switch (tag) {
    case _AT_PAGESZ:
      physPageSize = val;
      break;
    case _AT_EXECFN:
      execfn = reinterpret_cast<const uint8_t *>(val);
      break;
    case _AT_RANDOM:
      startupRandomData = reinterpret_cast<const uint8_t *>(val);
      break;
    }
  }
}

// sysargs finds the auxiliary vector: after argv's null and envp's null.
static void sysargs(int32_t c, uint8_t **v) {
  int32_t n = c + 1;
  // skip over argv, envp to get to auxv
  while (v[n] != nullptr)
    n++;
  n++; // skip null terminator
  sysauxv(reinterpret_cast<uintptr_t *>(v + n));
  if (physPageSize == 0)
    physPageSize = physPageSizeDefault;
}

// args records argc/argv for goargs/goenvs (Go: runtime1.go). Called by rt0_go on g0.
void args(int32_t c, uint8_t **v) {
  argc = c;
  argv = v;
  sysargs(c, v);
}

// getproccount counts the CPUs this thread may run on. The 8 KiB buffer is Go's; it runs on
// m0's 64 KiB OS-stack g0 during boot only.
static int32_t getproccount() {
  // This buffer is huge (8 kB) but we are on the system stack and there should be plenty of
  // space (64 kB). Also this is a leaf, so we're not holding up the memory for long.
  constexpr int maxCPUs = 64 * 1024;
  uint8_t buf[maxCPUs / 8];
  int32_t r = sched_getaffinity(0, sizeof buf, buf);
  if (r < 0)
    return 1;
  int32_t n = 0;
  for (int32_t i = 0; i < r; i++)
    n += __builtin_popcount(buf[i]);
  if (n == 0)
    n = 1;
  return n;
}

// osStackLo returns the lowest address the main thread's stack may grow down to under
// RLIMIT_STACK (ulimit -s), or 0 when that is unlimited or unknown: the kernel maps the
// initial stack up to the page boundary just above the executable's path (AT_EXECFN, then one
// null word) and does not grow the mapping beyond the limit.
// Differs from Go: Go never looks; toy paints m0's g0, so it must know where the stack ends.
uintptr_t osStackLo() {
  rlimit lim;
  if (execfn == nullptr || getrlimit(_RLIMIT_STACK, &lim) != 0 || lim.rlim_cur == _RLIM_INFINITY)
    return 0;
  uintptr_t pageMask = physPageSize - 1;
  uintptr_t top =
      (reinterpret_cast<uintptr_t>(execfn) + findnull(execfn) + 1 + pageMask) & ~pageMask;
  if (lim.rlim_cur >= top)
    return 0;
  return (top - lim.rlim_cur + pageMask) & ~pageMask;
}

// The machine's physical memory in bytes, or 0 if unknown (sysinfo's totalram * mem_unit).
// Differs from Go: Go's osinit does not ask; toy's procresize bounds GOMAXPROCS by it.
uint64_t physMemBytes;

static uint64_t getphysmem() {
  sysinfot info{};
  if (sysinfo(&info) != 0)
    return 0;
  return info.totalram * (info.mem_unit != 0 ? info.mem_unit : 1);
}

void osinit() {
  ncpu = getproccount();
  physMemBytes = getphysmem();
}

// goenvs records the environment, which follows argv's terminating null.
void goenvs() {
  envs = argv + argc + 1;
  int32_t n = 0;
  while (envs[n] != nullptr)
    n++;
  nenvs = n;
}

// gogetenv returns the value of the environment variable key, or an empty string.
stringStruct gogetenv(const char *key) {
  int64_t keylen = findnull(reinterpret_cast<const uint8_t *>(key));
  for (int32_t i = 0; i < nenvs; i++) {
    const uint8_t *s = envs[i];
    if (memcmp(s, key, keylen) == 0 && s[keylen] == '=')
      return gostringnocopy(s + keylen + 1);
  }
  return stringStruct{nullptr, 0};
}

// futexsleep atomically does: if *addr == val { sleep }. Might be woken up spuriously; that's
// allowed. Don't sleep longer than ns; ns < 0 means forever.
void futexsleep(uint32_t *addr, uint32_t val, int64_t ns) {
  // Some Linux kernels have a bug where futex of FUTEX_WAIT returns an internal error code as
  // an errno. Libpthread ignores the return value here, and so can we: as it says a few lines
  // up, spurious wakeups are allowed.
  if (simulating) {
    simfutexsleep(addr, val, ns);
    return;
  }
  if (ns < 0) {
    futex(addr, _FUTEX_WAIT_PRIVATE, val, nullptr, nullptr, 0);
    return;
  }
  timespec ts{ns / 1000000000, ns % 1000000000};
  futex(addr, _FUTEX_WAIT_PRIVATE, val, &ts, nullptr, 0);
}

// futexwakeup wakes up threads sleeping on addr; if cnt > 1, up to cnt of them.
void futexwakeup(uint32_t *addr, uint32_t cnt) {
  if (simulating) {
    simfutexwakeup(addr, cnt);
    return;
  }
  int64_t ret = futex(addr, _FUTEX_WAKE_PRIVATE, cnt, nullptr, nullptr, 0);
  if (ret >= 0)
    return;
  // I don't know that futex wakeup can return EAGAIN or EINTR, but if it does, it would be
  // safe to loop and call futex again.
  print("futexwakeup addr=", static_cast<const void *>(addr), " returned ", ret, "\n");
  throw_("futexwakeup");
}

// newosproc starts an OS thread for mp, running mstart on mp.g0's stack.
// May run with m.p==nil, so write barriers are not allowed.
// Under simulation the thread first waits for the baton (simnewosproc's start function).
void newosproc(m *mp) {
  void *stk = reinterpret_cast<void *>(mp->g0->stack.hi);
  void (*start)() = simulating ? simnewosproc(mp) : mstart;
  // Disable signals during clone, so that the new thread starts with signals disabled. It
  // will enable them in minit.
  uint64_t sigset_all = ~uint64_t(0), oset = 0;
  rtsigprocmask(_SIG_SETMASK, &sigset_all, &oset, sizeof oset);
  int32_t ret = clone(cloneFlags, stk, mp, mp->g0, start);
  rtsigprocmask(_SIG_SETMASK, &oset, nullptr, sizeof oset);
  if (ret < 0) {
    print("runtime: failed to create new OS thread (have ", mcount(), " already; errno=", -ret,
          ")\n");
    if (ret == -_EAGAIN)
      print("runtime: may need to increase max user processes (ulimit -u)\n");
    throw_("newosproc");
  }
}

// mpreinit initializes a new m. Called on the parent thread (main thread in case of
// bootstrap), can allocate memory.
void mpreinit(m *mp) {
  mp->gsignal = malg(32 * 1024); // Linux wants >= 2K
  mp->gsignal->m = mp;
}

// The bottom of gsignal's stack that the kernel is not told about.
// Differs from Go: toy's gsignal stack has a guard page, and a handler that runs off its
// bottom must be reported, not killed: the kernel delivers a fault with sp outside the
// registered alternate stack at the top of that stack again (SA_ONSTACK), but one with sp
// inside it below sp, into the guard page, which kills the process without a word. A push or
// call faults with sp at the bottom or below (outside), but a leaf function's store into the
// 128-byte red zone below sp can fault with sp still above the bottom; so the registered
// stack ends this far above the bottom, and a fault in the guard page always finds sp outside.
constexpr uintptr_t sigstackUnregistered = 1024;

// minitSignalStack installs gsignal's stack as the alternate signal stack (Go: signal_unix.go).
static void minitSignalStack() {
  g *gp = getg();
  stackt st{};
  sigaltstack(nullptr, &st);
  if ((st.ss_flags & _SS_DISABLE) != 0) {
    stack s = gp->m->gsignal->stack;
    stackt nst{};
    nst.ss_sp = reinterpret_cast<uint8_t *>(s.lo + sigstackUnregistered);
    nst.ss_size = s.hi - s.lo - sigstackUnregistered;
    sigaltstack(&nst, nullptr);
    gp->m->newSigstack = true;
  } else {
    gp->m->newSigstack = false;
  }
}

// sigsave saves the current thread's signal mask into *p (Go: os_linux.go).
void sigsave(uint64_t *p) { rtsigprocmask(_SIG_SETMASK, nullptr, p, sizeof *p); }

// minit is called to initialize a new m (including the bootstrap m). Called on the new
// thread, cannot allocate memory.
void minit() {
  minitSignalStack();
  minitSignalMask();
  // For debuggers, in case cgo created the thread.
  getg()->m->procid = static_cast<uint64_t>(gettid());
}

// unminit undoes the effect of minit on the current thread.
void unminit() {
  if (getg()->m->newSigstack) {
    stackt st{};
    st.ss_flags = _SS_DISABLE;
    sigaltstack(&st, nullptr);
  }
}

} // namespace runtime
