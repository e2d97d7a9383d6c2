// alternative_call: the site is one direct call/jump to a trampoline that
// jumps through the pointer, honouring the unit's indirect-branch
// mitigations; the record names the trampoline and the pointer.
// RUN: %cc -O2 -S -o - %s | %asm | FileCheck %s --check-prefixes=CHECK,%{arch}
#include <altcall.h>

struct ops { int (*a)(int); void (*b)(void); } ops;

// The trampoline is a local function symbol named after its pointer, so
// that objtool follows calls to it and kallsyms can name it.
// CHECK:      .pushsection .text.altcall_tramp,"ax",{{[@%]}}progbits
// CHECK-NEXT: .p2align 2
// CHECK-NEXT: .type [[TRAMP:__altcall_tramp\.ops\.8]], {{[@%]}}function
// CHECK-NEXT: [[TRAMP]]:
// X86_64-NEXT:  jmp *ops+8(%rip)
// X86_64-NEXT:  int3
// AARCH64-NEXT: adrp x16, ops+8
// AARCH64-NEXT: ldr x16, [x16, #:lo12:ops+8]
// AARCH64-NEXT: br x16
// CHECK-NEXT: .size [[TRAMP]], .-[[TRAMP]]
// CHECK-NEXT: .popsection
// CHECK:      .pushsection altcall_sites,"aR",{{[@%]}}progbits
// CHECK-NEXT: .long [[SITE:\.L[0-9]+]]-.
// CHECK-NEXT: .long [[TRAMP]]-.
// CHECK-NEXT: .long ops+8-.
// CHECK-NEXT: .short 0x4000
// CHECK:      [[SITE]]:
// X86_64-NEXT:  call [[TRAMP]]
// AARCH64-NEXT: bl [[TRAMP]]
int f(void)
{
	alternative_vcall(ops.b);
	return 1;
}
