// Marks the object file being compiled as split-stack code (.note.GNU-split-stack), as
// -fsplit-stack would, without giving its functions the split-stack prologue.
//
// toy's code has that prologue (compiler/IRGen.cpp) and the runtime does not: the runtime's
// C++ and assembly run in the STACK_SPLIT_ROOM bytes every stack keeps below its split-stack
// limit (go_asm.h). lld adjusts the prologue of a split-stack function that calls into an
// object without this note (it would make it call __morestack_non_split, asm_amd64.S, on
// every call); with the note on every runtime object it leaves toy's prologues as they are.
// CMakeLists.txt includes this file in every runtime source (-include).
#ifndef TOY_RUNTIME_SPLITSTACK_H
#define TOY_RUNTIME_SPLITSTACK_H

#ifdef __ASSEMBLER__
	.section .note.GNU-split-stack,"",@progbits
	.text
#else
__asm__(".section .note.GNU-split-stack,\"\",@progbits\n\t.text");
#endif

#endif
