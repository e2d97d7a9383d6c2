// A trampoline follows its site into init text: a site in a function placed
// in a section .init.* (Linux's and Xen's __init) calls a trampoline in that
// same section, freed with it; one trampoline per pointer, unit and section.
// Any other function's sites, in .text or another named section (Linux's
// .ref.text), share the one in .text.altcall_tramp.  On x86-64 gas would
// shorten a jmp to a label of its own section to 2 bytes, which cannot be
// patched: an init function's tail site through a pointer stays a call.
// RUN: %cc -O2 -fno-toplevel-reorder -S -o - %s | %asm | FileCheck %s --check-prefixes=CHECK,%{arch}
// RUN: %cc -O2 -fno-toplevel-reorder -c -o %t.o %s
// RUN: %sites %t.o | FileCheck %s --check-prefixes=SITES,SITES-%{arch}
#include <altcall.h>

struct ops { long (*a)(long); void (*b)(void); } ops;

#define init_text __attribute__((section(".init.text"), noinline))

// CHECK:      .pushsection .init.text,"ax",{{[@%]}}progbits
// CHECK-NEXT: .p2align 2
// CHECK-NEXT: .type [[IB:__altcall_tramp\.ops\.8\.init\.text]], {{[@%]}}function
// CHECK-NEXT: [[IB]]:
// X86_64-NEXT:  jmp *ops+8(%rip)
// AARCH64-NEXT: adrp x16, ops+8
// CHECK:      .size [[IB]], .-[[IB]]
// CHECK-NEXT: .popsection
// CHECK:      .section .init.text,"ax",{{[@%]}}progbits
// CHECK:      init_vcall:
// X86_64:     call [[IB]]
// AARCH64:    bl [[IB]]
init_text void init_vcall(void)
{
	alternative_vcall(ops.b);
	__asm__ volatile("");
}

// CHECK:      .pushsection .init.text,"ax",{{[@%]}}progbits
// CHECK-NEXT: .p2align 2
// CHECK-NEXT: .type [[IA:__altcall_tramp\.ops\.0\.init\.text]], {{[@%]}}function
// CHECK:      init_tail:
// X86_64:       call [[IA]]
// X86_64-NOT:   jmp
// X86_64:       ret
// AARCH64:      b [[IA]]
// CHECK:        .size init_tail, .-init_tail
init_text long init_tail(long x)
{
	return alternative_call(ops.a, x);
}

// The same pointer again in init text: the same trampoline.
// CHECK-NOT:  .type __altcall_tramp
// CHECK:      init_again:
// X86_64:     call [[IB]]
// AARCH64:    bl [[IB]]
init_text void init_again(void)
{
	alternative_vcall(ops.b);
	__asm__ volatile("");
}

// CHECK:      .pushsection .text.altcall_tramp,"ax",{{[@%]}}progbits
// CHECK-NEXT: .p2align 2
// CHECK-NEXT: .type [[TB:__altcall_tramp\.ops\.8]], {{[@%]}}function
// CHECK:      text_vcall:
// X86_64:     call [[TB]]
// AARCH64:    bl [[TB]]
__attribute__((noinline)) void text_vcall(void)
{
	alternative_vcall(ops.b);
	__asm__ volatile("");
}

// CHECK-NOT:  .pushsection .ref.text
// CHECK:      .section .ref.text,"ax",{{[@%]}}progbits
// CHECK:      ref_vcall:
// X86_64:     call [[TB]]
// AARCH64:    bl [[TB]]
__attribute__((section(".ref.text"), noinline)) void ref_vcall(void)
{
	alternative_vcall(ops.b);
	__asm__ volatile("");
}

// SITES: site init_vcall+0x{{[0-9a-f]+}} {{call|bl}} trampoline
// SITES-X86_64: site init_tail{{(\+0x[0-9a-f]+)?}} call trampoline
// SITES-AARCH64: site init_tail{{(\+0x[0-9a-f]+)?}} {{jmp|b}} trampoline
// SITES: 5 sites
