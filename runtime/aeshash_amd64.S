// The memory hash with AES instructions (Go: runtime/asm_amd64.s, memhash to memhash64).
//
// Each entry point tests useAeshash (alginit sets it when the CPU has AES, SSSE3 and SSE4.1)
// and otherwise jumps to hash64.cpp's portable function of the same contract. The AES hash is
// keyed by aeskeysched, 128 bytes derived from hashkey (alginit, alginitseed), 16-byte aligned
// because the SSE instructions below read it as memory operands.
//
// Differs from Go: the System V C ABI, not Go's ABIInternal: the pointer comes in rdi, the
// seed in rsi, the size in rdx, the hash goes out in rax. Every xmm register is the caller's
// to lose, so nothing needs zeroing on return (Go's ABI wants X15 zero).

	.text

// hashentry NAME, FALLBACK starts the global function NAME, which jumps to FALLBACK, with the
// same arguments, unless useAeshash.
.macro hashentry name, fallback
	.globl \name
	.type \name, @function
	.p2align 5
\name:
	.cfi_startproc
	cmpb	$0, runtime.useAeshash(%rip)
	je	\fallback
.endm

// memhash(p, h, s) hashes s bytes at p with seed h.
//   in:  rdi = p, rsi = h, rdx = s.   out: rax = the hash.
//   clobbers: rcx, rdx, rdi, xmm0-15, flags.
	hashentry runtime.memhash, runtime.memhashFallback
	jmp	aeshashbody
	.cfi_endproc
	.size runtime.memhash, .-runtime.memhash

// strhash(p, h) hashes the bytes of the string header at p with seed h.
//   in:  rdi = p (-> {str, len}), rsi = h.   out: rax = the hash.
//   clobbers: as memhash.
	hashentry runtime.strhash, runtime.strhashFallback
	movq	8(%rdi), %rdx		// the string's length
	movq	(%rdi), %rdi		// its bytes
	jmp	aeshashbody
	.cfi_endproc
	.size runtime.strhash, .-runtime.strhash

// aeshashbody: memhash's AES hash, shared with strhash.
//   in:  rdi = the data, rsi = the seed, rdx = the length.   out: rax = the hash.
//   Up to 128 bytes, each 16-byte piece (the last ones overlapping the ones before) is xored
//   with its own scrambled seed and scrambled three times; longer data runs eight lanes
//   over 128-byte blocks, starting with the last (possibly overlapping) block.
	.type aeshashbody, @function
	.p2align 5
aeshashbody:
	.cfi_startproc
	// xmm0: 64 bits of the seed, then the length's low 16 bits four times.
	movq	%rsi, %xmm0
	pinsrw	$4, %edx, %xmm0
	pshufhw	$0, %xmm0, %xmm0
	movdqa	%xmm0, %xmm1		// the seed before scrambling, for the other lanes
	pxor	runtime.aeskeysched(%rip), %xmm0
	aesenc	%xmm0, %xmm0

	cmpq	$16, %rdx
	jb	aes0to15
	je	aes16
	cmpq	$32, %rdx
	jbe	aes17to32
	cmpq	$64, %rdx
	jbe	aes33to64
	cmpq	$128, %rdx
	jbe	aes65to128
	jmp	aes129plus

aes0to15:
	testq	%rdx, %rdx
	je	aes0
	// A 16-byte load from p may only run past the data if it stays within p's page: that
	// is so unless p+16 is in the first 16 bytes of a page.
	leaq	16(%rdi), %rax
	testw	$0xff0, %ax
	je	endofpage
	movdqu	(%rdi), %xmm1
	shlq	$4, %rdx
	leaq	masks(%rip), %rax
	pand	(%rax,%rdx), %xmm1	// keep the s bytes of the data
final1:
	pxor	%xmm0, %xmm1
	aesenc	%xmm1, %xmm1
	aesenc	%xmm1, %xmm1
	aesenc	%xmm1, %xmm1
	movq	%xmm1, %rax
	ret

endofpage:
	// Load the 16 bytes that end at the data's last byte (they stay in its page), then
	// shift the data's s bytes down to the bottom, zeroing the rest.
	movdqu	-16(%rdi,%rdx), %xmm1
	shlq	$4, %rdx
	leaq	shifts(%rip), %rax
	pshufb	(%rax,%rdx), %xmm1
	jmp	final1

aes0:
	aesenc	%xmm0, %xmm0
	movq	%xmm0, %rax
	ret

aes16:
	movdqu	(%rdi), %xmm1
	jmp	final1

aes17to32:
	// A second seed for the second piece.
	pxor	runtime.aeskeysched+16(%rip), %xmm1
	aesenc	%xmm1, %xmm1

	movdqu	(%rdi), %xmm2
	movdqu	-16(%rdi,%rdx), %xmm3
	pxor	%xmm0, %xmm2
	pxor	%xmm1, %xmm3
	aesenc	%xmm2, %xmm2
	aesenc	%xmm3, %xmm3
	aesenc	%xmm2, %xmm2
	aesenc	%xmm3, %xmm3
	aesenc	%xmm2, %xmm2
	aesenc	%xmm3, %xmm3
	pxor	%xmm3, %xmm2
	movq	%xmm2, %rax
	ret

aes33to64:
	// Three more seeds.
	movdqa	%xmm1, %xmm2
	movdqa	%xmm1, %xmm3
	pxor	runtime.aeskeysched+16(%rip), %xmm1
	pxor	runtime.aeskeysched+32(%rip), %xmm2
	pxor	runtime.aeskeysched+48(%rip), %xmm3
	aesenc	%xmm1, %xmm1
	aesenc	%xmm2, %xmm2
	aesenc	%xmm3, %xmm3

	movdqu	(%rdi), %xmm4
	movdqu	16(%rdi), %xmm5
	movdqu	-32(%rdi,%rdx), %xmm6
	movdqu	-16(%rdi,%rdx), %xmm7
	pxor	%xmm0, %xmm4
	pxor	%xmm1, %xmm5
	pxor	%xmm2, %xmm6
	pxor	%xmm3, %xmm7
	.rept 3
	aesenc	%xmm4, %xmm4
	aesenc	%xmm5, %xmm5
	aesenc	%xmm6, %xmm6
	aesenc	%xmm7, %xmm7
	.endr
	pxor	%xmm6, %xmm4
	pxor	%xmm7, %xmm5
	pxor	%xmm5, %xmm4
	movq	%xmm4, %rax
	ret

// seeds7 makes seeds for lanes 1-7 in xmm1-7 from the unscrambled seed in xmm1.
.macro seeds7
	movdqa	%xmm1, %xmm2
	movdqa	%xmm1, %xmm3
	movdqa	%xmm1, %xmm4
	movdqa	%xmm1, %xmm5
	movdqa	%xmm1, %xmm6
	movdqa	%xmm1, %xmm7
	pxor	runtime.aeskeysched+16(%rip), %xmm1
	pxor	runtime.aeskeysched+32(%rip), %xmm2
	pxor	runtime.aeskeysched+48(%rip), %xmm3
	pxor	runtime.aeskeysched+64(%rip), %xmm4
	pxor	runtime.aeskeysched+80(%rip), %xmm5
	pxor	runtime.aeskeysched+96(%rip), %xmm6
	pxor	runtime.aeskeysched+112(%rip), %xmm7
	aesenc	%xmm1, %xmm1
	aesenc	%xmm2, %xmm2
	aesenc	%xmm3, %xmm3
	aesenc	%xmm4, %xmm4
	aesenc	%xmm5, %xmm5
	aesenc	%xmm6, %xmm6
	aesenc	%xmm7, %xmm7
.endm

// scramble8 scrambles lanes xmm8-15 once.
.macro scramble8
	aesenc	%xmm8, %xmm8
	aesenc	%xmm9, %xmm9
	aesenc	%xmm10, %xmm10
	aesenc	%xmm11, %xmm11
	aesenc	%xmm12, %xmm12
	aesenc	%xmm13, %xmm13
	aesenc	%xmm14, %xmm14
	aesenc	%xmm15, %xmm15
.endm

// seed8 xors the eight seeds xmm0-7 into lanes xmm8-15.
.macro seed8
	pxor	%xmm0, %xmm8
	pxor	%xmm1, %xmm9
	pxor	%xmm2, %xmm10
	pxor	%xmm3, %xmm11
	pxor	%xmm4, %xmm12
	pxor	%xmm5, %xmm13
	pxor	%xmm6, %xmm14
	pxor	%xmm7, %xmm15
.endm

// combine8 folds lanes xmm8-15 into rax.
.macro combine8
	pxor	%xmm12, %xmm8
	pxor	%xmm13, %xmm9
	pxor	%xmm14, %xmm10
	pxor	%xmm15, %xmm11
	pxor	%xmm10, %xmm8
	pxor	%xmm11, %xmm9
	pxor	%xmm9, %xmm8
	movq	%xmm8, %rax
.endm

aes65to128:
	seeds7
	movdqu	(%rdi), %xmm8
	movdqu	16(%rdi), %xmm9
	movdqu	32(%rdi), %xmm10
	movdqu	48(%rdi), %xmm11
	movdqu	-64(%rdi,%rdx), %xmm12
	movdqu	-48(%rdi,%rdx), %xmm13
	movdqu	-32(%rdi,%rdx), %xmm14
	movdqu	-16(%rdi,%rdx), %xmm15
	seed8
	scramble8
	scramble8
	scramble8
	combine8
	ret

aes129plus:
	seeds7
	// The last (possibly overlapping) 128 bytes first.
	movdqu	-128(%rdi,%rdx), %xmm8
	movdqu	-112(%rdi,%rdx), %xmm9
	movdqu	-96(%rdi,%rdx), %xmm10
	movdqu	-80(%rdi,%rdx), %xmm11
	movdqu	-64(%rdi,%rdx), %xmm12
	movdqu	-48(%rdi,%rdx), %xmm13
	movdqu	-32(%rdi,%rdx), %xmm14
	movdqu	-16(%rdi,%rdx), %xmm15
	seed8
	// Then the (s-1)/128 whole blocks from the start, each scrambled into the lanes.
	decq	%rdx
	shrq	$7, %rdx
aesloop:
	scramble8
	movdqu	(%rdi), %xmm0
	movdqu	16(%rdi), %xmm1
	movdqu	32(%rdi), %xmm2
	movdqu	48(%rdi), %xmm3
	aesenc	%xmm0, %xmm8
	aesenc	%xmm1, %xmm9
	aesenc	%xmm2, %xmm10
	aesenc	%xmm3, %xmm11
	movdqu	64(%rdi), %xmm4
	movdqu	80(%rdi), %xmm5
	movdqu	96(%rdi), %xmm6
	movdqu	112(%rdi), %xmm7
	aesenc	%xmm4, %xmm12
	aesenc	%xmm5, %xmm13
	aesenc	%xmm6, %xmm14
	aesenc	%xmm7, %xmm15
	addq	$128, %rdi
	decq	%rdx
	jne	aesloop
	scramble8
	scramble8
	scramble8
	combine8
	ret
	.cfi_endproc
	.size aeshashbody, .-aeshashbody

// wordhash NAME, FALLBACK, INSERT, LANE defines NAME(p, h), the hash of the word at p with seed
// h: the data (put by INSERT into lane LANE) beside the seed in one register, scrambled by
// three rounds keyed by the first three words of aeskeysched.
//   in:  rdi = p, rsi = h.   out: rax = the hash.   clobbers: xmm0, flags.
.macro wordhash name, fallback, insert, lane
	hashentry \name, \fallback
	movq	%rsi, %xmm0
	\insert	$\lane, (%rdi), %xmm0
	aesenc	runtime.aeskeysched(%rip), %xmm0
	aesenc	runtime.aeskeysched+16(%rip), %xmm0
	aesenc	runtime.aeskeysched+32(%rip), %xmm0
	movq	%xmm0, %rax
	ret
	.cfi_endproc
	.size \name, .-\name
.endm

// memhash32(p, h) hashes the 4 bytes at p with seed h; memhash64(p, h) the 8 bytes at p.
	wordhash runtime.memhash32, runtime.memhash32Fallback, pinsrd, 2
	wordhash runtime.memhash64, runtime.memhash64Fallback, pinsrq, 1

	.section .rodata
	.balign 16
// masks[n] (16 bytes each) keeps the low n bytes of a register: n bytes 0xff, then zeros.
// (GNU as evaluates a true comparison to -1.)
masks:
	.set .Ln, 0
	.rept 16
	.set .Lj, 0
	.rept 16
	.byte	(.Lj < .Ln) & 0xff
	.set .Lj, .Lj + 1
	.endr
	.set .Ln, .Ln + 1
	.endr

// shifts[n] is the PSHUFB control that moves the top n bytes of a register to the bottom
// and zeroes the rest (a control byte with its high bit set gives zero).
shifts:
	.set .Ln, 0
	.rept 16
	.set .Lj, 0
	.rept 16
	.byte	((16 - .Ln + .Lj) & (.Lj < .Ln)) | (0xff & ~(.Lj < .Ln))
	.set .Lj, .Lj + 1
	.endr
	.set .Ln, .Ln + 1
	.endr
