/* SPDX-License-Identifier: MIT */
/*
 * Variants that need no plugin and no special flags: the direct call (the
 * baseline), a branch on a flag, a function pointer, a static_call-style
 * trampoline and a GNU ifunc reached through the PLT.
 */
#include "percall.h"

CALLEE(callee_dflt, 1)
CALLEE(callee_alt, 2)

CALLEE(callee_other, WRONG_K)

/* Written at run time, so the compiler cannot know them. */
_Bool plain_flag;
/* The if / else if chain a 4-way site replaces (its conditions as in
 * percall_altcall.c: the third arm is the one taken). */
_Bool plain_f1, plain_f2, plain_f3;
struct { long (*fn)(long); } plain_ops;
long (*plain_fns[2])(long);

/* Linux static_call without inline patching: call sites call a trampoline
 * that is one direct jump to the current target (x86-64: a 5-byte jmp,
 * encoded by hand as the kernel does so that it stays patchable). */
long static_call_tramp(long x);
#if defined(__x86_64__)
__asm__(".pushsection .text\n"
	".p2align 12\n"
	".type static_call_tramp, @function\n"
	"static_call_tramp:\n"
	"	.byte 0xe9\n"
	"	.long callee_alt - (. + 4)\n"
	"	int3\n"
	".size static_call_tramp, . - static_call_tramp\n"
	".popsection");
#elif defined(__aarch64__)
__asm__(".pushsection .text\n"
	".p2align 12\n"
	".type static_call_tramp, %function\n"
	"static_call_tramp:\n"
	"	b callee_alt\n"
	".size static_call_tramp, . - static_call_tramp\n"
	".popsection");
#endif

/* In libpercall-ifunc.so, default visibility: called through the PLT. */
long percall_ifunc(long x);

DRIVER(drive_direct, , r = callee_dflt(i))
DRIVER(drive_if_flag, , r = plain_flag ? callee_alt(i) : callee_dflt(i))
DRIVER(drive_fnptr, , r = plain_ops.fn(i))
DRIVER(drive_if_chain, ,
	if (plain_f1)
		r = callee_other(i);
	else if (plain_f2 && plain_f3)
		r = callee_other(i);
	else if (plain_flag)
		r = callee_alt(i);
	else
		r = callee_dflt(i))
DRIVER(drive_static_call, , r = static_call_tramp(i))
DRIVER(drive_ifunc, , r = percall_ifunc(i))
DRIVER(drive_direct_random, , r = percall_bits[i & BITS_MASK] ? callee_alt(i) : callee_dflt(i))
DRIVER(drive_fnptr_random, , r = plain_fns[percall_bits[i & BITS_MASK]](i))

void percall_plain_setup(void)
{
	plain_flag = 1;
	plain_f2 = 1;
	plain_ops.fn = callee_alt;
	plain_fns[0] = callee_dflt;
	plain_fns[1] = callee_alt;
}

const struct variant percall_plain_variants[] = {
	VARIANT("direct call", drive_direct, 1, "plain"),
	VARIANT("if (flag) on a global", drive_if_flag, 2, "plain"),
	VARIANT("if / else if chain on globals, 4 ways", drive_if_chain, 2, "plain"),
	VARIANT("function pointer", drive_fnptr, 2, "plain"),
	VARIANT("static_call-style trampoline", drive_static_call, 2, "plain"),
	VARIANT("GNU ifunc through the PLT", drive_ifunc, 2, "plain"),
	VARIANT("random: direct calls (if/else)", drive_direct_random, 0, "plain"),
	VARIANT("random: function pointer", drive_fnptr_random, 0, "plain"),
	END_OF_VARIANTS
};
