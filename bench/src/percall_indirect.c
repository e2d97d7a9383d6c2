/* SPDX-License-Identifier: MIT */
/*
 * Indirect calls under a Spectre or control-flow-integrity mitigation,
 * compiled once per mitigation with its flags (MITIGATION = retpoline or
 * cet on x86-64, bti on arm64) and with the plugin, for alternative_call
 * before apply: its trampoline jumps through the pointer under the same
 * mitigation (retpoline thunk; a jmp landing on endbr64 or bti c).  These
 * sites are never applied.
 */
#include <altcall.h>
#include "percall.h"

#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define NAME(x) CAT(x, MITIGATION)
#define STR_(x) #x
#define STR(x) STR_(x)

CALLEE(callee_dflt, 1)
CALLEE(callee_alt, 2)

struct { long (*fn)(long); } NAME(ops);
long (*NAME(fns)[2])(long);

DRIVER(NAME(drive_fnptr), , r = NAME(ops).fn(i))
DRIVER(NAME(drive_alternative_call_before), , r = alternative_call(NAME(ops).fn, i))
DRIVER(NAME(drive_fnptr_random), , r = NAME(fns)[percall_bits[i & BITS_MASK]](i))

void NAME(percall_setup)(void)
{
	NAME(ops).fn = callee_alt;
	NAME(fns)[0] = callee_dflt;
	NAME(fns)[1] = callee_alt;
}

const struct variant NAME(percall_variants)[] = {
	VARIANT("function pointer, " STR(MITIGATION), NAME(drive_fnptr), 2, STR(MITIGATION)),
	VARIANT("alternative_call before apply, " STR(MITIGATION),
		NAME(drive_alternative_call_before), 2, STR(MITIGATION)),
	VARIANT("random: function pointer, " STR(MITIGATION), NAME(drive_fnptr_random), 0, STR(MITIGATION)),
	END_OF_VARIANTS
};
