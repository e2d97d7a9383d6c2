/* The retpoline and return thunks -mindirect-branch=thunk-extern and
 * -mfunction-return=thunk-extern expect, as a kernel provides them. */
	.text
.macro THUNK reg
	.globl __x86_indirect_thunk_\reg
	.type __x86_indirect_thunk_\reg, @function
__x86_indirect_thunk_\reg:
	call	1f
2:	pause
	lfence
	jmp	2b
1:	mov	%\reg, (%rsp)
	ret
.endm
	THUNK rax
	THUNK rbx
	THUNK rcx
	THUNK rdx
	THUNK rsi
	THUNK rdi
	THUNK rbp
	THUNK r8
	THUNK r9
	THUNK r10
	THUNK r11
	THUNK r12
	THUNK r13
	THUNK r14
	THUNK r15
	.globl __x86_return_thunk
	.type __x86_return_thunk, @function
__x86_return_thunk:
	ret
	int3
	.section .note.GNU-stack,"",@progbits
