// asyncPreempt, the function a preemption signal makes the interrupted code call (Go:
// runtime/preempt_amd64.s, which Go generates with mkpreempt.go).

#include "go_asm.h"

	.text

// asyncPreempt saves every register, calls asyncPreempt2 and restores them.
//   in:  entered from doSigPreempt's pushCall as if the interrupted instruction had called
//        it: [rsp] = the interrupted pc; every register holds the interrupted code's value;
//        rsp may be at any 8-byte boundary, DF may be set.
//   out: returns to the interrupted pc with every general register, the flags and xmm0-15 as
//        they were. toy's code is compiled for baseline x86-64 (SSE2) and without a red zone,
//        so nothing else is live and nothing below rsp is in use.
// Differs from Go: also saves rbx, rbp and r12-r15, which asyncPreempt2's C ABI would keep
// anyway, because the frame layout is then the same for every register.
	.globl runtime.asyncPreempt
	.type runtime.asyncPreempt, @function
runtime.asyncPreempt:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbp, 0
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	pushfq
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$256, %rsp
	andq	$~15, %rsp		// the C ABI's alignment at the call below
	movups	%xmm0, 0(%rsp)
	movups	%xmm1, 16(%rsp)
	movups	%xmm2, 32(%rsp)
	movups	%xmm3, 48(%rsp)
	movups	%xmm4, 64(%rsp)
	movups	%xmm5, 80(%rsp)
	movups	%xmm6, 96(%rsp)
	movups	%xmm7, 112(%rsp)
	movups	%xmm8, 128(%rsp)
	movups	%xmm9, 144(%rsp)
	movups	%xmm10, 160(%rsp)
	movups	%xmm11, 176(%rsp)
	movups	%xmm12, 192(%rsp)
	movups	%xmm13, 208(%rsp)
	movups	%xmm14, 224(%rsp)
	movups	%xmm15, 240(%rsp)
	cld				// the C ABI's DF = 0; popfq restores the interrupted DF
	call	runtime.asyncPreempt2
	movups	0(%rsp), %xmm0
	movups	16(%rsp), %xmm1
	movups	32(%rsp), %xmm2
	movups	48(%rsp), %xmm3
	movups	64(%rsp), %xmm4
	movups	80(%rsp), %xmm5
	movups	96(%rsp), %xmm6
	movups	112(%rsp), %xmm7
	movups	128(%rsp), %xmm8
	movups	144(%rsp), %xmm9
	movups	160(%rsp), %xmm10
	movups	176(%rsp), %xmm11
	movups	192(%rsp), %xmm12
	movups	208(%rsp), %xmm13
	movups	224(%rsp), %xmm14
	movups	240(%rsp), %xmm15
	leaq	-120(%rbp), %rsp	// the flags and 14 registers pushed above
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	popfq
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size runtime.asyncPreempt, .-runtime.asyncPreempt

	.section .note.GNU-stack,"",@progbits
