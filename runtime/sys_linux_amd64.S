// System calls and other sys.stuff for AMD64, Linux (Go: runtime/sys_linux_amd64.s).
//
// Register contract, common to every stub below unless it says otherwise:
//   in:  the System V C calling convention (rdi, rsi, rdx, rcx, r8, r9);
//        the kernel takes its 4th argument in r10, so stubs with 4+ arguments move rcx there.
//   out: rax = the raw kernel result: >= 0 on success, -errno on failure.
//   clobbers: rax, rcx, r11 (the syscall instruction) and the argument registers.
// Differs from Go: Go's stubs use Go's stack-based ABI0 and some return (value, errno) pairs;
// these use the C ABI so the C++ runtime calls them directly.

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_madvise 28
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigreturn 15
#define SYS_sched_yield 24
#define SYS_nanosleep 35
#define SYS_getpid 39
#define SYS_clone 56
#define SYS_kill 62
#define SYS_exit 60
#define SYS_getrlimit 97
#define SYS_sysinfo 99
#define SYS_sigaltstack 131
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_sched_getaffinity 204
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_tgkill 234
#define SYS_openat 257
#define SYS_unlinkat 263
#define SYS_mkdirat 258
#define SYS_lseek 8
#define SYS_fstat 5
#define SYS_pread64 17
#define SYS_getdents64 217
#define SYS_newfstatat 262

#define ARCH_SET_FS 0x1002
#define CLONE_SETTLS 0x80000
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

#include "go_asm.h"

	.text

// void exit(int32 code): exit_group — ends the whole process. Does not return.
	.globl runtime.exit
	.type runtime.exit, @function
runtime.exit:
	.cfi_startproc
	movl	$SYS_exit_group, %eax
	syscall
	ud2
	.cfi_endproc
	.size runtime.exit, .-runtime.exit

// void exitThread(uint32 *wait): exits the calling thread only. *wait is set to 0 first,
// telling whoever frees this M's g0 stack that the thread no longer uses it; from then on
// the stub touches no stack. Does not return.
	.globl runtime.exitThread
	.type runtime.exitThread, @function
runtime.exitThread:
	.cfi_startproc
	movl	$0, (%rdi)
	xorl	%edi, %edi
	movl	$SYS_exit, %eax
	syscall
	ud2
	.cfi_endproc
	.size runtime.exitThread, .-runtime.exitThread

// void exitThreadBaton(uint32 *wait, uint32 *baton): exitThread under simulation, which also
// passes the baton: *wait is set to 0, then *baton to 1 and its futex woken, so the M that
// runs next finds the stack released (and may reap the m) whatever the threads' timing. From
// the first store on the stub touches no stack.
	.globl runtime.exitThreadBaton
	.type runtime.exitThreadBaton, @function
runtime.exitThreadBaton:
	.cfi_startproc
	movl	$0, (%rdi)
	movl	$1, (%rsi)
	movq	%rsi, %rdi
	movl	$129, %esi		// FUTEX_WAKE_PRIVATE
	movl	$1, %edx
	xorl	%r10d, %r10d
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	movl	$SYS_futex, %eax
	syscall
	xorl	%edi, %edi
	movl	$SYS_exit, %eax
	syscall
	ud2
	.cfi_endproc
	.size runtime.exitThreadBaton, .-runtime.exitThreadBaton

// int32 write1(uintptr fd, void *p, int32 n)
	.globl runtime.write1
	.type runtime.write1, @function
runtime.write1:
	.cfi_startproc
	movslq	%edx, %rdx
	movl	$SYS_write, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.write1, .-runtime.write1

// int32 read(int32 fd, void *p, int32 n): the count read, or -errno.
	.globl runtime.read
	.type runtime.read, @function
runtime.read:
	.cfi_startproc
	movslq	%edi, %rdi
	movslq	%edx, %rdx
	movl	$SYS_read, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.read, .-runtime.read

// int32 open(const char *name, int32 mode, int32 perm)
	.globl runtime.open
	.type runtime.open, @function
runtime.open:
	.cfi_startproc
	movl	$SYS_open, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.open, .-runtime.open

// int32 closefd(int32 fd)
	.globl runtime.closefd
	.type runtime.closefd, @function
runtime.closefd:
	.cfi_startproc
	movl	$SYS_close, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.closefd, .-runtime.closefd

// int32 openat(int32 dirfd, const char *name, int32 flags, int32 mode): the new fd, or -errno.
	.globl runtime.openat
	.type runtime.openat, @function
runtime.openat:
	.cfi_startproc
	movslq	%edi, %rdi
	movslq	%edx, %rdx
	movl	%ecx, %r10d
	movl	$SYS_openat, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.openat, .-runtime.openat

// int32 mkdirat(int32 dirfd, const char *name, int32 mode): 0, or -errno.
	.globl runtime.mkdirat
	.type runtime.mkdirat, @function
runtime.mkdirat:
	.cfi_startproc
	movslq	%edi, %rdi
	movl	%edx, %edx
	movl	$SYS_mkdirat, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.mkdirat, .-runtime.mkdirat

// int64 lseek(int32 fd, int64 offset, int32 whence): the new offset, or -errno.
	.globl runtime.lseek
	.type runtime.lseek, @function
runtime.lseek:
	.cfi_startproc
	movslq	%edi, %rdi
	movl	%edx, %edx
	movl	$SYS_lseek, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.lseek, .-runtime.lseek

// int32 newfstatat(int32 dirfd, const char *name, void *stat, int32 flags): 0, or -errno.
	.globl runtime.newfstatat
	.type runtime.newfstatat, @function
runtime.newfstatat:
	.cfi_startproc
	movslq	%edi, %rdi
	movslq	%ecx, %r10
	movl	$SYS_newfstatat, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.newfstatat, .-runtime.newfstatat

// int32 fstat(int32 fd, void *stat): 0, or -errno.
	.globl runtime.fstat
	.type runtime.fstat, @function
runtime.fstat:
	.cfi_startproc
	movslq	%edi, %rdi
	movl	$SYS_fstat, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.fstat, .-runtime.fstat

// int64 pread64(int32 fd, void *p, int64 n, int64 offset): the count read, or -errno.
	.globl runtime.pread64
	.type runtime.pread64, @function
runtime.pread64:
	.cfi_startproc
	movslq	%edi, %rdi
	movq	%rcx, %r10
	movl	$SYS_pread64, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.pread64, .-runtime.pread64

// int64 getdents64(int32 fd, void *buf, int64 n): the count of bytes filled, 0 at the end,
// or -errno.
	.globl runtime.getdents64
	.type runtime.getdents64, @function
runtime.getdents64:
	.cfi_startproc
	movslq	%edi, %rdi
	movl	$SYS_getdents64, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.getdents64, .-runtime.getdents64

// int32 unlinkat(int32 dirfd, const char *name, int32 flags): 0, or -errno.
	.globl runtime.unlinkat
	.type runtime.unlinkat, @function
runtime.unlinkat:
	.cfi_startproc
	movslq	%edi, %rdi
	movslq	%edx, %rdx
	movl	$SYS_unlinkat, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.unlinkat, .-runtime.unlinkat

// void usleep(uint32 usec): nanosleep for usec microseconds; a timespec lives on the stack.
	.globl runtime.usleep
	.type runtime.usleep, @function
runtime.usleep:
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movl	%edi, %eax
	xorl	%edx, %edx
	movl	$1000000, %ecx
	divl	%ecx			// eax = seconds, edx = microseconds
	movq	%rax, 0(%rsp)
	imull	$1000, %edx, %edx
	movq	%rdx, 8(%rsp)
	movq	%rsp, %rdi
	xorl	%esi, %esi
	movl	$SYS_nanosleep, %eax
	syscall
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
	.size runtime.usleep, .-runtime.usleep

// int32 gettid(void)
	.globl runtime.gettid
	.type runtime.gettid, @function
runtime.gettid:
	.cfi_startproc
	movl	$SYS_gettid, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.gettid, .-runtime.gettid

// int64 nanotime1(void): CLOCK_MONOTONIC in nanoseconds.
// Differs from Go: Go calls the vDSO's clock_gettime; this makes the system call.
	.globl runtime.nanotime1
	.type runtime.nanotime1, @function
runtime.nanotime1:
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movl	$CLOCK_MONOTONIC, %edi
	movq	%rsp, %rsi
	movl	$SYS_clock_gettime, %eax
	syscall
	movq	0(%rsp), %rax		// sec
	imulq	$1000000000, %rax
	addq	8(%rsp), %rax		// + nsec
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
	.size runtime.nanotime1, .-runtime.nanotime1

// int64 walltime(void): CLOCK_REALTIME in nanoseconds since the Unix epoch.
// Differs from Go: Go's walltime returns (sec, nsec) from the vDSO; this makes the system call
// and returns one count, which fits in an int64 until the year 2262.
	.globl runtime.walltime
	.type runtime.walltime, @function
runtime.walltime:
	.cfi_startproc
	subq	$24, %rsp
	.cfi_adjust_cfa_offset 24
	movl	$CLOCK_REALTIME, %edi
	movq	%rsp, %rsi
	movl	$SYS_clock_gettime, %eax
	syscall
	movq	0(%rsp), %rax		// sec
	imulq	$1000000000, %rax
	addq	8(%rsp), %rax		// + nsec
	addq	$24, %rsp
	.cfi_adjust_cfa_offset -24
	ret
	.cfi_endproc
	.size runtime.walltime, .-runtime.walltime

// int32 rtsigprocmask(int32 how, sigset *new, sigset *old, int32 size)
// Crashes (like Go) if the kernel refuses: a bad mask is a runtime bug.
	.globl runtime.rtsigprocmask
	.type runtime.rtsigprocmask, @function
runtime.rtsigprocmask:
	.cfi_startproc
	movslq	%ecx, %r10
	movl	$SYS_rt_sigprocmask, %eax
	syscall
	cmpq	$-4095, %rax
	jb	1f
	movl	$0xf1, 0xf1		// crash
1:	ret
	.cfi_endproc
	.size runtime.rtsigprocmask, .-runtime.rtsigprocmask

// uintptr sysMmap(void *addr, uintptr n, int32 prot, int32 flags, int32 fd, uint32 off)
// Returns the address, or -errno (the caller tests for a value in [-4095, -1]).
	.globl runtime.sysMmap
	.type runtime.sysMmap, @function
runtime.sysMmap:
	.cfi_startproc
	movslq	%edx, %rdx
	movslq	%ecx, %r10
	movslq	%r8d, %r8
	movl	%r9d, %r9d
	movl	$SYS_mmap, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.sysMmap, .-runtime.sysMmap

// int32 sysMunmap(void *addr, uintptr n): crashes on failure, as Go's does.
	.globl runtime.sysMunmap
	.type runtime.sysMunmap, @function
runtime.sysMunmap:
	.cfi_startproc
	movl	$SYS_munmap, %eax
	syscall
	cmpq	$-4095, %rax
	jb	1f
	movl	$0xf1, 0xf1		// crash
1:	ret
	.cfi_endproc
	.size runtime.sysMunmap, .-runtime.sysMunmap

// int32 mprotect(void *addr, uintptr n, int32 prot)
// Differs from Go: Go has no guard pages on Linux; toy puts one under each g0/gsignal stack.
	.globl runtime.mprotect
	.type runtime.mprotect, @function
runtime.mprotect:
	.cfi_startproc
	movslq	%edx, %rdx
	movl	$SYS_mprotect, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.mprotect, .-runtime.mprotect

// int32 madvise(void *addr, uintptr n, int32 flags): 0, or -errno (Go's returns the same).
	.globl runtime.madvise
	.type runtime.madvise, @function
runtime.madvise:
	.cfi_startproc
	movslq	%edx, %rdx
	movl	$SYS_madvise, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.madvise, .-runtime.madvise

// int64 futex(uint32 *addr, int32 op, uint32 val, timespec *ts, uint32 *addr2, uint32 val3)
	.globl runtime.futex
	.type runtime.futex, @function
runtime.futex:
	.cfi_startproc
	movl	%edx, %edx
	movq	%rcx, %r10
	movl	%r9d, %r9d
	movl	$SYS_futex, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.futex, .-runtime.futex

// int32 clone(int32 flags, void *stk, m *mp, g *gp, void (*fn)(void))
//   in:  rdi flags, rsi child stack top, rdx mp, rcx gp, r8 fn.
//   parent: returns the child's tid, or -errno.
//   child: starts on stk with the parent's registers except rax = 0. If mp and gp are set,
//          the kernel has pointed %fs at mp.tls+8 (CLONE_SETTLS, as in Go) and the child
//          records procid, makes gp current and sets gp.m = mp. Then it calls fn (mstart),
//          which must not return; if it does, the thread exits(111).
// mp, gp and fn cross the system call in r13, r9 and r12: the kernel preserves them for both
// parent and child. r12/r13 are callee-saved, so the parent saves them first.
	.globl runtime.clone
	.type runtime.clone, @function
runtime.clone:
	.cfi_startproc
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r13, 0
	movq	%rdx, %r13		// mp
	movq	%rcx, %r9		// gp
	movq	%r8, %r12		// fn
	movl	%edi, %edi		// flags, zero-extended for the kernel's unsigned long
	xorl	%edx, %edx		// parent_tid
	xorl	%r10d, %r10d		// child_tid
	xorl	%r8d, %r8d		// tls
	testq	%r13, %r13
	jz	1f
	testq	%r9, %r9
	jz	1f
	leaq	(m_tls+8)(%r13), %r8	// tls: ELF wants to use -8(FS), as in settls
	orl	$CLONE_SETTLS, %edi
1:	movl	$SYS_clone, %eax
	syscall
	testq	%rax, %rax
	jz	2f
	popq	%r13			// parent
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	popq	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	ret
2:	// In the child, on the new stack. Nothing above us: end backtraces here.
	.cfi_undefined rip
	testq	%r13, %r13
	jz	3f
	testq	%r9, %r9
	jz	3f
	movl	$SYS_gettid, %eax
	syscall
	movq	%rax, m_procid(%r13)
	movq	%r9, %fs:TLS_G		// setg(gp)
	movq	%r13, g_m(%r9)
3:	xorl	%ebp, %ebp
	call	*%r12			// fn(): mstart, does not return
	movl	$111, %edi
	movl	$SYS_exit, %eax
	syscall
	jmp	3b
	.cfi_endproc
	.size runtime.clone, .-runtime.clone

// int32 sigaltstack(stackt *new, stackt *old): crashes on failure, as Go's does.
	.globl runtime.sigaltstack
	.type runtime.sigaltstack, @function
runtime.sigaltstack:
	.cfi_startproc
	movl	$SYS_sigaltstack, %eax
	syscall
	cmpq	$-4095, %rax
	jb	1f
	movl	$0xf1, 0xf1		// crash
1:	ret
	.cfi_endproc
	.size runtime.sigaltstack, .-runtime.sigaltstack

// void settls(uintptr *tls): sets the FS base to tls+8, so that %fs:-8 is tls[0] (the g).
// Clobbers rax, rcx, rdi, rsi, r11. Crashes if the kernel refuses.
	.globl runtime.settls
	.type runtime.settls, @function
runtime.settls:
	.cfi_startproc
	addq	$8, %rdi		// ELF wants to use -8(FS)
	movq	%rdi, %rsi
	movl	$ARCH_SET_FS, %edi
	movl	$SYS_arch_prctl, %eax
	syscall
	cmpq	$-4095, %rax
	jb	1f
	movl	$0xf1, 0xf1		// crash
1:	ret
	.cfi_endproc
	.size runtime.settls, .-runtime.settls

// void osyield(void): sched_yield.
	.globl runtime.osyield
	.type runtime.osyield, @function
runtime.osyield:
	.cfi_startproc
	movl	$SYS_sched_yield, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.osyield, .-runtime.osyield

// int32 getrlimit(int32 resource, rlimit *rlim): 0, or -errno.
// Differs from Go: Go's runtime does not read resource limits; toy sizes the main goroutine's
// stack reservation and m0's g0 by them (stack.cpp, proc.cpp).
	.globl runtime.getrlimit
	.type runtime.getrlimit, @function
runtime.getrlimit:
	.cfi_startproc
	movl	$SYS_getrlimit, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.getrlimit, .-runtime.getrlimit

// int32 sysinfo(struct sysinfo *info): 0, or -errno.
// Differs from Go: Go's runtime does not read it; toy bounds GOMAXPROCS by the machine's
// memory (procresize).
	.globl runtime.sysinfo
	.type runtime.sysinfo, @function
runtime.sysinfo:
	.cfi_startproc
	movl	$SYS_sysinfo, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.sysinfo, .-runtime.sysinfo

// int32 sched_getaffinity(uintptr pid, uintptr len, uint8 *buf): bytes written, or -errno.
	.globl runtime.sched_getaffinity
	.type runtime.sched_getaffinity, @function
runtime.sched_getaffinity:
	.cfi_startproc
	movl	$SYS_sched_getaffinity, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.sched_getaffinity, .-runtime.sched_getaffinity

// int32 rt_sigaction(uintptr sig, sigactiont *new, sigactiont *old, uintptr size): 0, or -errno.
	.globl runtime.rt_sigaction
	.type runtime.rt_sigaction, @function
runtime.rt_sigaction:
	.cfi_startproc
	movq	%rcx, %r10
	movl	$SYS_rt_sigaction, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.rt_sigaction, .-runtime.rt_sigaction

// sigtramp: the handler rt_sigaction installs for every signal the runtime handles.
//   in:  the kernel's call: rdi = sig, rsi = siginfo, rdx = ucontext; rsp ≡ 8 (mod 16), on
//        the M's gsignal stack (SA_ONSTACK); DF clear.
//   out: returns to sa_restorer (sigreturn), which resumes the context in the ucontext.
// Differs from Go: Go's sigtramp saves the registers its ABI does not preserve; toy's runtime
// follows the C ABI, so sigtramp only aligns the stack and calls sigtrampgo.
	.globl runtime.sigtramp
	.type runtime.sigtramp, @function
runtime.sigtramp:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	call	runtime.sigtrampgo
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size runtime.sigtramp, .-runtime.sigtramp

// sigreturn: sa_restorer, where sigtramp returns; rt_sigreturn restores the ucontext the
// kernel saved on the signal stack. Does not return.
	.globl runtime.sigreturn
	.type runtime.sigreturn, @function
runtime.sigreturn:
	.cfi_startproc
	movl	$SYS_rt_sigreturn, %eax
	syscall
	int3				// not reached
	.cfi_endproc
	.size runtime.sigreturn, .-runtime.sigreturn

// int32 tgkill(int32 tgid, int32 tid, int32 sig): 0, or -errno.
	.globl runtime.tgkill
	.type runtime.tgkill, @function
runtime.tgkill:
	.cfi_startproc
	movslq	%edi, %rdi
	movslq	%esi, %rsi
	movslq	%edx, %rdx
	movl	$SYS_tgkill, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.tgkill, .-runtime.tgkill

// int32 getpid(void)
	.globl runtime.getpid
	.type runtime.getpid, @function
runtime.getpid:
	.cfi_startproc
	movl	$SYS_getpid, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.getpid, .-runtime.getpid

// void raiseproc(uint32 sig): sends sig to the whole process (kill(getpid(), sig)), so any
// thread that does not block it may take it.
	.globl runtime.raiseproc
	.type runtime.raiseproc, @function
runtime.raiseproc:
	.cfi_startproc
	movl	%edi, %esi			// the kernel keeps rsi across getpid
	movl	$SYS_getpid, %eax
	syscall
	movl	%eax, %edi
	movl	$SYS_kill, %eax
	syscall
	ret
	.cfi_endproc
	.size runtime.raiseproc, .-runtime.raiseproc

	.section .note.GNU-stack,"",@progbits
