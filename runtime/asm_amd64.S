// Entry point, goroutine switching and the top frames (Go: runtime/asm_amd64.s and
// runtime/rt0_linux_amd64.s).
//
// The current g is at %fs:-8 (m.tls[0], see settls). Functions follow the System V C ABI
// unless their contract below says otherwise: toy's generated code and the C++ runtime both
// keep rbx, rbp, r12-r15 across calls, which Go's own ABI does not (see gobuf in runtime2.h).

#include "go_asm.h"

	.text

// _rt0_amd64_linux: the ELF entry point.
//   in:  rsp -> argc, argv[0..argc-1], 0, envp..., 0, auxv... (the kernel's initial stack);
//        other registers undefined.
//   out: does not return. Jumps to rt0_go with rdi = argc, rsi = argv.
	.globl _rt0_amd64_linux
	.type _rt0_amd64_linux, @function
_rt0_amd64_linux:
	.cfi_startproc
	.cfi_undefined rip
	movq	0(%rsp), %rdi		// argc
	leaq	8(%rsp), %rsi		// argv
	jmp	runtime.rt0_go
	.cfi_endproc
	.size _rt0_amd64_linux, .-_rt0_amd64_linux

// rt0_go: boots m0 and g0 on the OS stack, creates the main goroutine and enters mstart.
//   in:  rdi = argc, rsi = argv; rsp is the OS stack (not yet aligned).
//   out: does not return.
	.globl runtime.rt0_go
	.type runtime.rt0_go, @function
runtime.rt0_go:
	.cfi_startproc
	.cfi_undefined rip
	movq	%rdi, %r12		// argc, callee-saved across the calls below
	movq	%rsi, %r13		// argv
	andq	$~15, %rsp
	xorl	%ebp, %ebp		// end of the frame-pointer chain

	// Create istack out of the given (operating system) stack: g0 gets the top 64 KiB.
	leaq	runtime.g0(%rip), %rdi
	leaq	(-64*1024+104)(%rsp), %rbx
	movq	%rbx, g_stackguard0(%rdi)
	movq	%rbx, g_stackguard1(%rdi)
	movq	%rbx, (g_stack+stack_lo)(%rdi)
	movq	%rsp, (g_stack+stack_hi)(%rdi)

	// Point %fs at m0.tls, then store through it to make sure it works.
	leaq	runtime.m0+m_tls(%rip), %rdi
	call	runtime.settls
	movq	$0x123, %fs:TLS_G
	movq	runtime.m0+m_tls(%rip), %rax
	cmpq	$0x123, %rax
	je	1f
	movl	$0xf1, 0xf1		// crash: TLS does not work
1:
	// Set the per-goroutine and per-mach "registers": g = g0, m0.g0 = g0, g0.m = m0.
	leaq	runtime.g0(%rip), %rcx
	movq	%rcx, %fs:TLS_G
	leaq	runtime.m0(%rip), %rax
	movq	%rcx, m_g0(%rax)
	movq	%rax, g_m(%rcx)

	cld				// the C ABI requires DF = 0 on calls

	movl	%r12d, %edi
	movq	%r13, %rsi
	call	runtime.args
	call	runtime.osinit
	call	runtime.schedinit

	// Create a new goroutine to start the program: newproc(runtime.main, nil).
	leaq	runtime.main(%rip), %rdi
	xorl	%esi, %esi
	call	runtime.newproc

	// Start this M.
	call	runtime.mstart

	movl	$0xf1, 0xf1		// mstart should never return
	.cfi_endproc
	.size runtime.rt0_go, .-runtime.rt0_go

// mstart: the entry point of every M (rt0_go on m0, clone's child on the others).
//   in:  %fs set up, current g = the M's g0; rsp = the g0 stack, 16-byte aligned before the
//        call that got here.
//   out: does not return.
// TOPFRAME: .cfi_undefined rip ends every debugger backtrace on g0 here (Go marks it
// TOPFRAME for its own traceback).
	.globl runtime.mstart
	.type runtime.mstart, @function
runtime.mstart:
	.cfi_startproc
	.cfi_undefined rip
	subq	$8, %rsp		// realign for the C ABI
	.cfi_adjust_cfa_offset 8
	xorl	%ebp, %ebp		// end of the frame-pointer chain
	call	runtime.mstart0
	ud2				// not reached
	.cfi_endproc
	.size runtime.mstart, .-runtime.mstart

// void gogo(gobuf *buf): restore state from buf; longjmp.
//   in:  rdi = buf; buf.g is the g to run, buf.sp/pc/bp its context.
//   out: does not return; continues at buf.pc on buf.sp with g = buf.g, rbp = buf.bp,
//        rax = buf.ret and rdi = buf.ctxt (a fresh goroutine's argument), and the split-stack
//        limit at %fs:TLS_STACKLIMIT set for g's stack. buf.sp, ret, ctxt and bp are cleared,
//        as in Go.
// A g saved by mcall resumes inside mcall, which pops its callee-saved registers; a fresh g
// starts at its entry function with goexit+1 as the return address on its stack.
	.globl runtime.gogo
	.type runtime.gogo, @function
runtime.gogo:
	.cfi_startproc
	movq	gobuf_g(%rdi), %rdx
	movq	0(%rdx), %rcx		// make sure g != nil
	movq	%rdx, %fs:TLS_G
	addq	$STACK_SPLIT_ROOM, %rcx	// the g's split-stack limit: stack.lo + STACK_SPLIT_ROOM
	movq	%rcx, %fs:TLS_STACKLIMIT
	movq	gobuf_sp(%rdi), %rsp
	movq	gobuf_ret(%rdi), %rax
	movq	gobuf_ctxt(%rdi), %rsi
	movq	gobuf_bp(%rdi), %rbp
	movq	$0, gobuf_sp(%rdi)	// clear: the g is running, its saved context is stale
	movq	$0, gobuf_ret(%rdi)
	movq	$0, gobuf_ctxt(%rdi)
	movq	$0, gobuf_bp(%rdi)
	movq	gobuf_pc(%rdi), %rcx
	movq	%rsi, %rdi
	jmp	*%rcx
	.cfi_endproc
	.size runtime.gogo, .-runtime.gogo

// void mcall(void (*fn)(g *)): switch to m->g0's stack, call fn(g).
//   in:  rdi = fn; must be called on a user g (not g0).
//   out: fn must not return (it calls gogo(&g->sched) or schedule); when the g is resumed by
//        gogo, mcall returns to its caller with rbx, rbp, r12-r15 intact. fn runs with no
//        split-stack limit (%fs:TLS_STACKLIMIT = 0): g0 has a guard page instead.
// The g's callee-saved registers are pushed on its own stack; g.sched.sp points at them and
// g.sched.pc at the pops below (Differs from Go: Go's ABI has no callee-saved registers).
// On g0, fn is called from a frame that looks as if mstart0 had called it (return address
// g0.sched.pc, rbp = g0.sched.bp, both saved by mstart1), so a debugger's backtrace walks from
// fn through mcall and mstart0 and ends at mstart.
	.globl runtime.mcall
	.type runtime.mcall, @function
runtime.mcall:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	pushq	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r12, 0
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r13, 0
	pushq	%r14
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r14, 0
	pushq	%r15
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset r15, 0
	.cfi_remember_state

	// Save state in g->sched.
	movq	%fs:TLS_G, %rax
	movq	%rsp, (g_sched+gobuf_sp)(%rax)
	leaq	2f(%rip), %rcx
	movq	%rcx, (g_sched+gobuf_pc)(%rax)
	movq	%rbp, (g_sched+gobuf_bp)(%rax)

	// Switch to m->g0 and its stack, call fn(g).
	movq	g_m(%rax), %rbx
	movq	m_g0(%rbx), %rsi
	cmpq	%rsi, %rax		// if g == m->g0 call badmcall
	jne	1f
	call	runtime.badmcall
1:
	movq	%rsi, %fs:TLS_G
	movq	$0, %fs:TLS_STACKLIMIT	// no split-stack limit on g0 (toy code may run there: timers)
	movq	(g_sched+gobuf_sp)(%rsi), %rsp
	movq	(g_sched+gobuf_bp)(%rsi), %rbp
	subq	$16, %rsp		// fake caller frame: [rsp+8] = return address into mstart0
	movq	(g_sched+gobuf_pc)(%rsi), %rcx
	movq	%rcx, 8(%rsp)
	.cfi_def_cfa rsp, 16
	.cfi_same_value rbp
	.cfi_undefined rbx
	.cfi_undefined r12
	.cfi_undefined r13
	.cfi_undefined r14
	.cfi_undefined r15
	movq	%rdi, %rcx
	movq	%rax, %rdi
	call	*%rcx
	call	runtime.badmcall2	// fn returned
2:
	// Resumed by gogo(&g->sched) on the g's stack.
	.cfi_restore_state
	popq	%r15
	.cfi_adjust_cfa_offset -8
	.cfi_restore r15
	popq	%r14
	.cfi_adjust_cfa_offset -8
	.cfi_restore r14
	popq	%r13
	.cfi_adjust_cfa_offset -8
	.cfi_restore r13
	popq	%r12
	.cfi_adjust_cfa_offset -8
	.cfi_restore r12
	popq	%rbx
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbx
	popq	%rbp
	.cfi_adjust_cfa_offset -8
	.cfi_restore rbp
	ret
	.cfi_endproc
	.size runtime.mcall, .-runtime.mcall

// mcallresumepc is the g.sched.pc mcall saves: a traceback of a goroutine parked there finds
// the pushed registers at g.sched.sp and mcall's return address above them (traceback.cpp).
	.section .rodata
	.balign 8
	.globl runtime.mcallresumepc
	.type runtime.mcallresumepc, @object
runtime.mcallresumepc:
	.quad	2b
	.size runtime.mcallresumepc, 8
	.text

// void systemstack(void (*fn)(void *), void *arg): run fn(arg) on the g0 stack.
//   in:  rdi = fn, rsi = arg; any g of this M.
//   out: returns after fn returns, back on the caller's stack and g, fn having run with no
//        split-stack limit, as in mcall. Called on g0 or gsignal, fn runs on the current
//        stack (tail call).
// Differs from Go: fn is a C function pointer plus argument, not a closure; and Go leaves
// systemstack_switch on the g's stack for its traceback, while here rbp still points into
// the g's stack, so frame-pointer and CFI unwinding continue from fn into the g's frames.
	.globl runtime.systemstack
	.type runtime.systemstack, @function
runtime.systemstack:
	.cfi_startproc
	movq	%fs:TLS_G, %rax
	movq	g_m(%rax), %rdx
	cmpq	m_gsignal(%rdx), %rax	// on gsignal: call directly
	je	1f
	cmpq	m_g0(%rdx), %rax	// on g0: call directly
	je	1f
	cmpq	m_curg(%rdx), %rax
	je	2f
	call	runtime.badsystemstack	// bad: g is not gsignal, not g0, not curg
1:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	jmp	*%rax
2:
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	pushq	%rbx
	.cfi_rel_offset rbx, -8
	pushq	%r12			// keeps rsp 16-byte aligned
	.cfi_rel_offset r12, -16
	movq	%rax, %rbx		// rbx = curg, kept across fn
	movq	m_g0(%rdx), %rdx
	movq	%rdx, %fs:TLS_G		// switch to g0
	movq	$0, %fs:TLS_STACKLIMIT	// as in mcall
	movq	(g_sched+gobuf_sp)(%rdx), %rsp
	movq	%rdi, %rax
	movq	%rsi, %rdi
	call	*%rax
	movq	%rbx, %fs:TLS_G		// switch back to curg
	movq	(g_stack+stack_lo)(%rbx), %rcx
	addq	$STACK_SPLIT_ROOM, %rcx
	movq	%rcx, %fs:TLS_STACKLIMIT
	leaq	-16(%rbp), %rsp
	popq	%r12
	popq	%rbx
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size runtime.systemstack, .-runtime.systemstack

// __morestack: called by the prologue LLVM gives every toy function (the "split-stack"
// attribute, compiler/IRGen.cpp) when sp minus its frame is below %fs:TLS_STACKLIMIT; runs
// the rest of the function on a new stack segment (newstackSegment, stack.cpp) and returns
// from it through the old one (Go 1.2's split stacks; libgcc's __morestack protocol).
//   in:  r10 = the bytes of frame the function needs, r11 = the bytes of its stack arguments;
//        [rsp] = the return address into the function's prologue, which points at a `ret`
//        followed by the jump to the function's body; [rsp+8] = the function's own return
//        address, its stack arguments above it; every argument register live (rdi, rsi, rdx,
//        rcx, r8, r9, rax, r10 as the static chain, xmm0-7).
//   out: returns, with the body's results in rax, rdx, rcx, r8 and xmm0-3, to the prologue's
//        `ret`, which returns to the function's caller; rbx, rbp, r12-r15 intact.
// On the new segment the body is called with the arguments copied, its return address back
// in here, and rbp pointing at a frame record {caller's rbp, caller's return address} at the
// segment's top, so that frame-pointer walks (traceback.cpp, which skips the frame at
// morestackresumepc) go from the body straight to the caller; the word above that record
// holds this frame's rbp on the old stack, through which the CFI below does the same.
// A panic recovered in an older frame resumes there directly (recoverygogo); stackUnwind then
// drops the segments it left.
	.globl __morestack
	.type __morestack, @function
__morestack:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	subq	$216, %rsp		// the argument registers; rsp 16-byte aligned
	movq	%rdi, -8(%rbp)
	movq	%rsi, -16(%rbp)
	movq	%rdx, -24(%rbp)
	movq	%rcx, -32(%rbp)
	movq	%r8, -40(%rbp)
	movq	%r9, -48(%rbp)
	movq	%rax, -56(%rbp)
	movq	%r10, -64(%rbp)
	movq	%r11, -72(%rbp)
	movdqu	%xmm0, -216(%rbp)
	movdqu	%xmm1, -200(%rbp)
	movdqu	%xmm2, -184(%rbp)
	movdqu	%xmm3, -168(%rbp)
	movdqu	%xmm4, -152(%rbp)
	movdqu	%xmm5, -136(%rbp)
	movdqu	%xmm6, -120(%rbp)
	movdqu	%xmm7, -104(%rbp)

	// rax = the new segment's top: newstackSegment(frame bytes, argument bytes, sp at entry).
	movq	%r10, %rdi
	movq	%r11, %rsi
	leaq	16(%rbp), %rdx
	call	runtime.newstackSegment

	// The frame record below the top, the old rbp above it, the arguments below it.
	movq	%rbp, -8(%rax)
	movq	0(%rbp), %rcx
	movq	%rcx, -32(%rax)		// record: the caller's rbp
	movq	16(%rbp), %rcx
	movq	%rcx, -24(%rax)		// record: the caller's return address
	leaq	-32(%rax), %rdx
	movq	%rdx, -80(%rbp)		// the record's address, the body's rbp
	movq	-72(%rbp), %rcx		// the argument bytes
	leaq	15(%rcx), %rsi
	andq	$~15, %rsi
	subq	%rsi, %rdx
	movq	%rdx, %rsp		// on the new segment, 16-byte aligned
	leaq	24(%rbp), %rsi
	movq	%rsp, %rdi
	shrq	$3, %rcx
	rep movsq

	// Call the body (the prologue's return address + 1, past its `ret`) with the arguments.
	movq	8(%rbp), %r11
	incq	%r11
	movdqu	-216(%rbp), %xmm0
	movdqu	-200(%rbp), %xmm1
	movdqu	-184(%rbp), %xmm2
	movdqu	-168(%rbp), %xmm3
	movdqu	-152(%rbp), %xmm4
	movdqu	-136(%rbp), %xmm5
	movdqu	-120(%rbp), %xmm6
	movdqu	-104(%rbp), %xmm7
	movq	-8(%rbp), %rdi
	movq	-16(%rbp), %rsi
	movq	-24(%rbp), %rdx
	movq	-32(%rbp), %rcx
	movq	-40(%rbp), %r8
	movq	-48(%rbp), %r9
	movq	-56(%rbp), %rax
	movq	-64(%rbp), %r10
	.cfi_remember_state
	movq	-80(%rbp), %rbp		// the record
	// From here rbp is the record, whose third word is this frame's rbp on the old stack:
	// CFA = [rbp+24] + 24, the caller's sp once the function returns, with the caller's
	// return address below it and its rbp at CFA-24 (DW_CFA_def_cfa_expression: DW_OP_breg6
	// 24, DW_OP_deref, DW_OP_plus_uconst 24). The CFA is on the old stack, below the
	// function's on the new one: gdb lets a frame of __morestack, by that name, do that.
	.cfi_escape 0x0f, 5, 0x76, 0x18, 0x06, 0x23, 0x18
	.cfi_offset rbp, -24
	call	*%r11
2:
	// Back from the body, rbp = the record again: to the old stack, and leave the segment.
	movq	24(%rbp), %rbp
	.cfi_restore_state
	leaq	-216(%rbp), %rsp
	movq	%rax, -56(%rbp)		// the body's results (LLVM returns up to four words in rax,
	movq	%rdx, -24(%rbp)		// rdx, rcx and r8, and floating-point ones in xmm0-3)
	movq	%rcx, -32(%rbp)
	movq	%r8, -40(%rbp)
	movdqu	%xmm0, -216(%rbp)
	movdqu	%xmm1, -200(%rbp)
	movdqu	%xmm2, -184(%rbp)
	movdqu	%xmm3, -168(%rbp)
	call	runtime.oldstackSegment
	movq	-56(%rbp), %rax
	movq	-24(%rbp), %rdx
	movq	-32(%rbp), %rcx
	movq	-40(%rbp), %r8
	movdqu	-216(%rbp), %xmm0
	movdqu	-200(%rbp), %xmm1
	movdqu	-184(%rbp), %xmm2
	movdqu	-168(%rbp), %xmm3
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size __morestack, .-__morestack

// morestackresumepc is where a body run on a new segment returns into __morestack: the
// frame a traceback finds there is the record at the segment's top (traceback.cpp).
	.section .rodata
	.balign 8
	.globl runtime.morestackresumepc
	.type runtime.morestackresumepc, @object
runtime.morestackresumepc:
	.quad	2b
	.size runtime.morestackresumepc, 8
	.text

// __morestack_non_split: the linker calls this instead of __morestack from a function whose
// prologue it adjusted because the function calls code built without split stacks. Every
// object of toy's programs and runtime is marked split-stack (the .note.GNU-split-stack
// section, splitstack.h), so it is never called; if it is, the linker found one that is not.
	.globl __morestack_non_split
	.type __morestack_non_split, @function
__morestack_non_split:
	.cfi_startproc
	call	runtime.badmorestacknonsplit
	ud2
	.cfi_endproc
	.size __morestack_non_split, .-__morestack_non_split

// goexit: the return address of every goroutine's entry function (newproc1 stores goexit+1).
//   in:  rsp = the top of the goroutine's stack (16-byte aligned) after its function returned.
//   out: does not return: goexit1 switches to g0 and schedules another g.
// The leading nop makes goexit+1 a return address inside goexit; the trailing one keeps the
// call's return address inside it too. TOPFRAME: backtraces of a goroutine end here.
	.globl runtime.goexit
	.type runtime.goexit, @function
runtime.goexit:
	.cfi_startproc
	.cfi_undefined rip
	nop
	call	runtime.goexit1		// does not return
	nop
	.cfi_endproc
	.size runtime.goexit, .-runtime.goexit

// SLICE_HOOK name, impl: a body-less toy function `name` that returns a []string the way toy
// returns a three-word value; the C++ function `impl` fills a slice header in this frame.
//   in:  rsp ≡ 8 (mod 16), as after any call.
//   out: rax = the array, rdx = the length, rcx = the capacity.
.macro SLICE_HOOK name, impl
	.globl \name
	.type \name, @function
\name:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	subq	$32, %rsp		// the slice header, keeping rsp 16-byte aligned
	movq	%rsp, %rdi
	call	\impl
	movq	0(%rsp), %rax
	movq	8(%rsp), %rdx
	movq	16(%rsp), %rcx
	leave
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size \name, .-\name
.endm

// os.runtime_args: package os's argv (runtime.os_runtime_args, runtime.cpp).
	SLICE_HOOK os.runtime_args, runtime.os_runtime_args
// syscall.runtime_envs: package syscall's environment (runtime.syscall_runtime_envs, runtime.cpp).
	SLICE_HOOK syscall.runtime_envs, runtime.syscall_runtime_envs


// int32 deferproc(void *sp, void (*fn)(void *), void *arg): record a deferred call of the
// frame sp (deferproc1, panic.cpp) together with where its caller resumes if a panic is
// recovered; returns 0. recoverygogo makes the same call return again, with 1: the caller
// then runs its remaining deferred calls and returns (Go: deferproc, and recovery's gogo to
// the deferproc call site with ret 1).
//   in:  rdi, rsi, rdx as above; rsp ≡ 8 (mod 16).
//   out: rax = 0; rbx, rbp, r12-r15 intact.
// The compiler marks the call returns_twice, as for setjmp.
	.globl runtime.deferproc
	.type runtime.deferproc, @function
runtime.deferproc:
	.cfi_startproc
	subq	$(deferctx_size+8), %rsp	// a deferctx on the stack, rsp ≡ 0 (mod 16)
	.cfi_adjust_cfa_offset deferctx_size+8
	movq	(deferctx_size+8)(%rsp), %rax
	movq	%rax, deferctx_pc(%rsp)
	leaq	(deferctx_size+16)(%rsp), %rax
	movq	%rax, deferctx_sp(%rsp)
	movq	%rbp, deferctx_bp(%rsp)
	movq	%rbx, deferctx_rbx(%rsp)
	movq	%r12, deferctx_r12(%rsp)
	movq	%r13, deferctx_r13(%rsp)
	movq	%r14, deferctx_r14(%rsp)
	movq	%r15, deferctx_r15(%rsp)
	movq	%rsp, %rcx
	call	runtime.deferproc1
	addq	$(deferctx_size+8), %rsp
	.cfi_adjust_cfa_offset -(deferctx_size+8)
	xorl	%eax, %eax
	ret
	.cfi_endproc
	.size runtime.deferproc, .-runtime.deferproc

// void recoverygogo(deferctx *ctx): resume a deferring function at its deferproc call site,
// as deferproc returning 1, with the callee-saved registers and stack pointer it had there.
//   in:  rdi = ctx.
//   out: does not return.
	.globl runtime.recoverygogo
	.type runtime.recoverygogo, @function
runtime.recoverygogo:
	.cfi_startproc
	movq	deferctx_rbx(%rdi), %rbx
	movq	deferctx_r12(%rdi), %r12
	movq	deferctx_r13(%rdi), %r13
	movq	deferctx_r14(%rdi), %r14
	movq	deferctx_r15(%rdi), %r15
	movq	deferctx_bp(%rdi), %rbp
	movq	deferctx_sp(%rdi), %rsp
	movl	$1, %eax
	jmp	*deferctx_pc(%rdi)
	.cfi_endproc
	.size runtime.recoverygogo, .-runtime.recoverygogo

	.section .note.GNU-stack,"",@progbits
