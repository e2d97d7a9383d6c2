/* SPDX-License-Identifier: MIT */
/*
 * altcall sites, compiled with the plugin, twice: PATCHED=0 gives the
 * "before apply" variants, whose sites the bench never applies (their
 * bytes are what the compiler emitted), PATCHED=1 the "after apply" ones,
 * whose drivers live in section bench_patched so that the bench can apply
 * exactly their records (see apply_patched_sites in percall_main.c).
 * The feature is software feature 0, set before that apply.
 */
#include <altcall.h>
#include "percall.h"

#define ALT ALTCALL_SW_FEATURE(0)

CALLEE(callee_dflt, 1)
CALLEE(callee_alt, 2)
CALLEE(callee_other, WRONG_K)

#if PATCHED
CALLEE(callee_wrong, WRONG_K)
#define NAME(x) x##_after
#define IN_PATCHED __attribute__((section("bench_patched")))
#define TU "altcall-after"
#else
#define NAME(x) x##_before
#define IN_PATCHED
#define TU "altcall-before"
#endif

struct { long (*fn)(long); } NAME(altcall_ops);

DRIVER(NAME(drive_altcall), IN_PATCHED,
	ALTERNATIVE_IF(ALT)
		r = callee_alt(i);
	ALTERNATIVE_ELSE
		r = callee_dflt(i);
	ALTERNATIVE_END)

/* Four arms, the third taken after apply (only ALT is set). */
DRIVER(NAME(drive_altcall4), IN_PATCHED,
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(1))
		r = callee_other(i);
	ALTERNATIVE_ELIF(ALTCALL_ALL(ALTCALL_SW_FEATURE(2), ALTCALL_SW_FEATURE(3)))
		r = callee_other(i);
	ALTERNATIVE_ELIF(ALT)
		r = callee_alt(i);
	ALTERNATIVE_ELSE
		r = callee_dflt(i);
	ALTERNATIVE_END)

DRIVER(NAME(drive_alternative_call), IN_PATCHED, r = alternative_call(NAME(altcall_ops).fn, i))

#if PATCHED
/* Two sites, patched to the two targets, picked at random: what a
 * function pointer with a random target becomes under altcall. */
DRIVER(drive_altcall_random_after, IN_PATCHED,
	if (percall_bits[i & BITS_MASK]) {
		ALTERNATIVE_IF(ALT)
			r = callee_alt(i);
		ALTERNATIVE_ELSE
			r = callee_dflt(i);
		ALTERNATIVE_END
	} else {
		ALTERNATIVE_IF(ALT)
			r = callee_dflt(i);
		ALTERNATIVE_ELSE
			r = callee_alt(i);
		ALTERNATIVE_END
	})
#endif

/* Before apply: the pointer the trampoline follows; after apply: the
 * pointer apply reads. */
void NAME(percall_altcall_setup)(void)
{
	NAME(altcall_ops).fn = callee_alt;
}

#if PATCHED
/* Once applied, the pointer goes elsewhere: the sum then shows that the
 * site no longer reads it. */
void percall_altcall_applied(void)
{
	altcall_ops_after.fn = callee_wrong;
}
#endif

const struct variant NAME(percall_altcall_variants)[] = {
#if PATCHED
	VARIANT("altcall site after apply", drive_altcall_after, 2, TU),
	VARIANT("4-way altcall site after apply", drive_altcall4_after, 2, TU),
	VARIANT("alternative_call after apply", drive_alternative_call_after, 2, TU),
	VARIANT("random: altcall, 2 sites after apply", drive_altcall_random_after, 0, TU),
#else
	VARIANT("altcall site before apply", drive_altcall_before, 1, TU),
	VARIANT("4-way altcall site before apply", drive_altcall4_before, 1, TU),
	VARIANT("alternative_call before apply", drive_alternative_call_before, 2, TU),
#endif
	END_OF_VARIANTS
};
