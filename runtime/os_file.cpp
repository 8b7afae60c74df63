// The system calls of package syscall (Go: syscall/zsyscall_linux_amd64.go's read, write,
// openat, Close, unlinkat, mkdirat, Seek, fstatat, Fstat, pread and Getdents over Syscall),
// and the buffer toy keeps for standard output.
//
// Differs from Go: Go's os.Stdout is unbuffered, every Write is one write(2). Where fd 1 is a
// pipe or a file, toy collects what is written to it in stdoutBuf and writes it out when it
// is full, before anything is written to fd 2 (a panic or fatal message, print/println,
// os.Stderr: so stderr never overtakes stdout), before a read of fd 0 (a prompt shows before
// the program waits), when sysmon finds it 10 ms old or every P idle (flushStdoutOlder), at
// the end of main, in os.Exit/syscall.Exit and before a signal kills the program. A write
// error is returned by the Write whose bytes did not fit (it is not written), else seen by
// none, except EPIPE: where Go's os.File.Write would have raised SIGPIPE (epipecheck), the
// flush does (so `prog | head -c1` ends with SIGPIPE as Go's does, only later). Where fd 1 is
// a terminal or another character device (/dev/full, /dev/null), every Write is one write(2),
// as in Go, decided at the first one.

#include "stubs.h"

namespace runtime {

namespace {

constexpr int32_t _EINTR = 4;
constexpr int32_t _EPIPE = 32;
constexpr int64_t stdoutBufSize = 8192;
constexpr int64_t stdoutMaxAge = 10'000'000; // ns sysmon lets buffered output wait

// stdoutBuf holds output for fd 1 not yet written; lock guards it, owner is the M holding
// the lock (so a flush from that M's own fault or signal report does not wait for itself).
struct stdoutBuffer {
  mutex lock;
  m *owner;
  int64_t n;     // read without the lock only to skip an empty flush
  int64_t since; // nanotime when buf last went from empty to not, read by sysmon
  int8_t direct; // 0 not yet known, 1 fd 1 is a character device (no buffer), -1 buffer
  uint8_t buf[stdoutBufSize];
};
constinit stdoutBuffer stdoutBuf{};

// writeAll writes p[:n] to fd, again after EINTR and after a short write, and returns the
// count written or -errno.
int64_t writeAll(int32_t fd, const uint8_t *p, int64_t n) {
  int64_t done = 0;
  while (done < n) {
    int64_t chunk = n - done;
    if (chunk > (int64_t(1) << 30)) // Go's poll.FD's maxRW
      chunk = int64_t(1) << 30;
    int32_t r = write1(uintptr_t(fd), p + done, int32_t(chunk));
    if (r == -_EINTR)
      continue;
    if (r < 0)
      return done > 0 ? done : r;
    if (r == 0)
      break;
    done += r;
  }
  return done;
}

// flushLocked writes out stdoutBuf; its lock must be held. It returns 0 or -errno. The buffer
// held what os.Stdout's Writes were told was written, so EPIPE is their epipecheck: the
// program dies of SIGPIPE, unless epipeKills is false (a signal is already killing it).
int64_t flushLocked(bool epipeKills = true) {
  int64_t r = 0;
  if (stdoutBuf.n > 0) {
    r = writeAll(1, stdoutBuf.buf, stdoutBuf.n);
    if (r == -_EPIPE && epipeKills)
      sigpipe();
  }
  __atomic_store_n(&stdoutBuf.n, 0, __ATOMIC_RELAXED);
  return r < 0 ? r : 0;
}

// isCharDevice reports whether fd is a terminal or another character device.
bool isCharDevice(int32_t fd) {
  constexpr uint32_t _S_IFMT = 0170000, _S_IFCHR = 0020000;
  uint64_t st[18] = {}; // struct stat (144 bytes); st_mode at byte 24
  if (fstat(fd, st) < 0)
    return false;
  return (uint32_t(st[3]) & _S_IFMT) == _S_IFCHR;
}

void lockStdout() {
  lock(&stdoutBuf.lock);
  stdoutBuf.owner = getg()->m;
}

void unlockStdout() {
  stdoutBuf.owner = nullptr;
  unlock(&stdoutBuf.lock);
}

// bufferStdout appends p[:n] to stdoutBuf, writing the buffer out first when p does not fit
// and writing p itself when it is larger than the buffer. It returns n or -errno.
int64_t bufferStdout(const uint8_t *p, int64_t n) {
  lockStdout();
  if (stdoutBuf.direct == 0)
    stdoutBuf.direct = isCharDevice(1) ? 1 : -1;
  int64_t r = n;
  if (stdoutBuf.n + n > stdoutBufSize)
    r = flushLocked();
  if (r < 0) {
    // The buffered bytes could not be written: this Write reports the error and is dropped.
  } else if (n >= stdoutBufSize || stdoutBuf.direct > 0) {
    r = writeAll(1, p, n);
  } else {
    if (stdoutBuf.n == 0)
      __atomic_store_n(&stdoutBuf.since, nanotime(), __ATOMIC_RELAXED);
    memmove(stdoutBuf.buf + stdoutBuf.n, p, uintptr_t(n));
    __atomic_store_n(&stdoutBuf.n, stdoutBuf.n + n, __ATOMIC_RELAXED);
    r = n;
  }
  unlockStdout();
  return r;
}

} // namespace

// flushStdout writes out what is buffered for fd 1. It may be called on any M, from a signal
// handler too; an M that holds the buffer's lock itself (it faulted while copying into it)
// leaves the buffer as it is.
// A signal that kills the program flushes with epipeKills false: it dies of its own signal.
void flushStdout(bool epipeKills) {
  if (__atomic_load_n(&stdoutBuf.n, __ATOMIC_RELAXED) == 0)
    return;
  g *gp = getg();
  if (gp == nullptr || stdoutBuf.owner == gp->m)
    return;
  lockStdout();
  flushLocked(epipeKills);
  unlockStdout();
}

// flushStdoutOlder is sysmon's: it writes out the buffer if every P is idle or what it holds
// was buffered stdoutMaxAge or more before now, so that output does not wait for the buffer
// to fill while the program computes or sleeps (a line printed before time.Sleep shows
// within about 10 ms).
// It leaves a buffer whose lock is held: its holder may be blocked writing to a full pipe.
// (Its own write can block sysmon as well, if fd 1 is a pipe its reader has let fill.)
void flushStdoutOlder(int64_t now, bool idle) {
  if (__atomic_load_n(&stdoutBuf.n, __ATOMIC_RELAXED) == 0 ||
      (!idle && now - __atomic_load_n(&stdoutBuf.since, __ATOMIC_RELAXED) < stdoutMaxAge))
    return;
  if (!trylock(&stdoutBuf.lock))
    return;
  stdoutBuf.owner = getg()->m;
  flushLocked();
  unlockStdout();
}

// syscall.runtime_write writes p to fd: the count written, or -errno. Output to fd 1 is
// buffered (see above); before a write to fd 2 the buffer is written out.
extern "C" int64_t syscall_runtime_write(int64_t fd, const uint8_t *p, int64_t n,
                                         int64_t) __asm__("syscall.runtime_write");
int64_t syscall_runtime_write(int64_t fd, const uint8_t *p, int64_t n, int64_t) {
  if (fd == 1)
    return bufferStdout(p, n);
  if (fd == 2)
    flushStdout();
  int32_t chunk = n > (int64_t(1) << 30) ? int32_t(1) << 30 : int32_t(n);
  return write1(uintptr_t(fd), p, chunk);
}

// syscall.runtime_read reads into p from fd: the count read (0 at end of file), or -errno.
// Before a read of fd 0 the buffered output is written out.
extern "C" int64_t syscall_runtime_read(int64_t fd, uint8_t *p, int64_t n,
                                        int64_t) __asm__("syscall.runtime_read");
int64_t syscall_runtime_read(int64_t fd, uint8_t *p, int64_t n, int64_t) {
  if (fd == 0)
    flushStdout();
  int32_t chunk = n > (int64_t(1) << 30) ? int32_t(1) << 30 : int32_t(n);
  return read(int32_t(fd), p, chunk);
}

// syscall.runtime_openat opens the file named by path, a NUL-terminated byte slice that
// package syscall makes (Go: ByteSliceFromString), relative to dirfd: the new fd, or -errno.
extern "C" int64_t syscall_runtime_openat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                          int64_t flags,
                                          int64_t mode) __asm__("syscall.runtime_openat");
int64_t syscall_runtime_openat(int64_t dirfd, const uint8_t *path, int64_t, int64_t, int64_t flags,
                               int64_t mode) {
  return openat(int32_t(dirfd), reinterpret_cast<const char *>(path), int32_t(flags),
                int32_t(mode));
}

// syscall.runtime_close closes fd: 0, or -errno. Output buffered for fd 1 is written out
// before fd 1 is closed.
extern "C" int64_t syscall_runtime_close(int64_t fd) __asm__("syscall.runtime_close");
int64_t syscall_runtime_close(int64_t fd) {
  if (fd == 1)
    flushStdout();
  return closefd(int32_t(fd));
}

// syscall.runtime_unlinkat removes the file (with AT_REMOVEDIR in flags, the directory)
// named by path, a NUL-terminated byte slice, relative to dirfd: 0, or -errno.
extern "C" int64_t syscall_runtime_unlinkat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                            int64_t flags) __asm__("syscall.runtime_unlinkat");
int64_t syscall_runtime_unlinkat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                 int64_t flags) {
  return unlinkat(int32_t(dirfd), reinterpret_cast<const char *>(path), int32_t(flags));
}

// syscall.runtime_mkdirat makes the directory named by path, a NUL-terminated byte slice,
// relative to dirfd, with permissions mode: 0, or -errno.
extern "C" int64_t syscall_runtime_mkdirat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                           int64_t mode) __asm__("syscall.runtime_mkdirat");
int64_t syscall_runtime_mkdirat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                int64_t mode) {
  return mkdirat(int32_t(dirfd), reinterpret_cast<const char *>(path), int32_t(mode));
}

// syscall.runtime_lseek sets fd's offset from whence (0 start, 1 current, 2 end): the new
// offset, or -errno. Output buffered for fd 1 is written out first, so that the offset
// counts it.
extern "C" int64_t syscall_runtime_lseek(int64_t fd, int64_t offset,
                                         int64_t whence) __asm__("syscall.runtime_lseek");
int64_t syscall_runtime_lseek(int64_t fd, int64_t offset, int64_t whence) {
  if (fd == 1)
    flushStdout();
  return lseek(int32_t(fd), offset, int32_t(whence));
}

// syscall.runtime_fstatat fills stat, package syscall's Stat_t (Linux's struct stat, field for
// field), with the status of the file named by path, a NUL-terminated byte slice, relative
// to dirfd (AT_SYMLINK_NOFOLLOW in flags: of a symbolic link itself): 0, or -errno.
extern "C" int64_t syscall_runtime_fstatat(int64_t dirfd, const uint8_t *path, int64_t, int64_t,
                                           void *stat,
                                           int64_t flags) __asm__("syscall.runtime_fstatat");
int64_t syscall_runtime_fstatat(int64_t dirfd, const uint8_t *path, int64_t, int64_t, void *stat,
                                int64_t flags) {
  return newfstatat(int32_t(dirfd), reinterpret_cast<const char *>(path), stat, int32_t(flags));
}

// syscall.runtime_fstat fills stat with the status of the open file fd: 0, or -errno.
extern "C" int64_t syscall_runtime_fstat(int64_t fd, void *stat) __asm__("syscall.runtime_fstat");
int64_t syscall_runtime_fstat(int64_t fd, void *stat) { return fstat(int32_t(fd), stat); }

// syscall.runtime_pread64 reads into p from fd at offset, leaving fd's offset as it was: the
// count read (0 at end of file), or -errno.
extern "C" int64_t syscall_runtime_pread64(int64_t fd, uint8_t *p, int64_t n, int64_t,
                                           int64_t offset) __asm__("syscall.runtime_pread64");
int64_t syscall_runtime_pread64(int64_t fd, uint8_t *p, int64_t n, int64_t, int64_t offset) {
  return pread64(int32_t(fd), p, n, offset);
}

// syscall.runtime_getdents64 reads the next entries of the directory fd into buf: the count
// of bytes filled (0 at the end), or -errno.
extern "C" int64_t syscall_runtime_getdents64(int64_t fd, uint8_t *buf, int64_t n,
                                              int64_t) __asm__("syscall.runtime_getdents64");
int64_t syscall_runtime_getdents64(int64_t fd, uint8_t *buf, int64_t n, int64_t) {
  return getdents64(int32_t(fd), buf, n);
}

} // namespace runtime
