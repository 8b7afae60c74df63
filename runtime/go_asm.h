// Offsets and constants shared by the assembly files and the C++ sources.
//
// Go generates go_asm.h from the Go structs at build time; here it is written by hand and
// runtime2.h static_asserts every offset against the C++ structs, so a layout change that
// forgets this file fails to compile instead of corrupting registers at run time.
// This file is included from .S files: preprocessor definitions only.
#ifndef TOY_RUNTIME_GO_ASM_H
#define TOY_RUNTIME_GO_ASM_H

// struct stack
#define stack_lo 0
#define stack_hi 8

// struct gobuf
#define gobuf_sp 0
#define gobuf_pc 8
#define gobuf_g 16
#define gobuf_ctxt 24
#define gobuf_ret 32
#define gobuf_lr 40
#define gobuf_bp 48

// struct deferctx: the registers a recovered panic resumes the deferring function with
#define deferctx_pc 0
#define deferctx_sp 8
#define deferctx_bp 16
#define deferctx_rbx 24
#define deferctx_r12 32
#define deferctx_r13 40
#define deferctx_r14 48
#define deferctx_r15 56
#define deferctx_size 64

// struct g: Go's layout at the start, which the compiler's prologue check relies on
// (mov %fs:-8,%rax; cmp g_stackguard0(%rax),%rsp).
#define g_stack 0
#define g_stackguard0 16
#define g_stackguard1 24
#define g_m 48
#define g_sched 56

// struct m
#define m_g0 0
#define m_procid 72
#define m_gsignal 80
#define m_tls 96
#define m_curg 232

// The current g lives in m.tls[0]; settls points %fs at &m.tls[1], so the g is at %fs:-8
// (ELF's TLS ABI puts the thread pointer after the block, as Go's settls assumes).
#define TLS_G -8

// The split-stack limit of the running goroutine is m.tls[15], at %fs:0x70 (112): the slot the
// prologue LLVM emits for a split-stack function compares sp with (x86-64 Linux's
// tcbhead_t.__private_ss, where glibc keeps it). gogo sets it to the g's stack.lo +
// STACK_SPLIT_ROOM; __morestack (asm_amd64.S) moves it with the g's stack segment.
#define TLS_STACKLIMIT 112
#define STACK_SPLIT_ROOM 16384

#endif
