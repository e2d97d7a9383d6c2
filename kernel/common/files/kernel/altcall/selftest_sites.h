/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every shape of altcall site, for the selftests: each function holds one
 * site on feature F, with function attributes ATTRS, between the targets
 * TGT##_dflt (the default) and TGT##_alt.  A target records which
 * one ran in selftest_hit and returns x + its number.
 */
#include <linux/altcall_compat.h>
#include <linux/string.h>

#define SELFTEST_DFLT	1
#define SELFTEST_ALT	2

/*
 * A capability every CPU has, one the test machines lack, a boot feature
 * (the kernel test boots with altcall_feature=5).
 */
#ifdef CONFIG_X86
#define CAP_PRESENT	X86_FEATURE_ALWAYS
#define CAP_ABSENT	X86_FEATURE_AVX512F
#else
#define CAP_PRESENT	ARM64_ALWAYS_BOOT
#define CAP_ABSENT	ALTCALL_ARM64_CAP_ABSENT
#endif
#define BOOT_FEATURE	ALTCALL_BOOT_FEATURE(5)

/*
 * The arm the features choose (boot options and capabilities, unless
 * altcall=off): what a site must reach, compiled with the plugin or not.
 * Deliberately not the state the runtime published: a runtime that never
 * published would otherwise pass its own test.
 */
static inline bool selftest_chosen(unsigned int word)
{
	return altcall_enabled() && altcall_feature_enabled(word);
}

/* The ops of the pointer sites. */
struct selftest_ops {
	int (*fn)(int x);
};
#ifdef CONFIG_CALL_THUNKS
/*
 * x86 call depth tracking: where the 5-byte call before the return address
 * ret goes, as written (a function, or its accounting thunk); NULL if that
 * is no call.
 */
static inline const void *selftest_written_call_dest(const void *ret)
{
	const u8 *insn = ret - 5;
	s32 rel;

	if (insn[0] != 0xe8)
		return NULL;
	memcpy(&rel, insn + 1, sizeof(rel));
	return ret + rel;
}
#endif

#define SELFTEST_TARGETS(prefix)					\
static noinline int prefix##_dflt(int x)				\
{									\
	WRITE_ONCE(selftest_hit, SELFTEST_DFLT);			\
	return x + SELFTEST_DFLT;					\
}									\
static noinline int prefix##_alt(int x)					\
{									\
	WRITE_ONCE(selftest_hit, SELFTEST_ALT);				\
	return x + SELFTEST_ALT;					\
}

#define SELFTEST_SITES(prefix, TGT, ATTRS, F)					\
static ATTRS int prefix##_stmt(int x)				\
{									\
	ALTERNATIVE_IF(F)						\
		TGT##_alt(x);					\
	ALTERNATIVE_ELSE						\
		TGT##_dflt(x);					\
	ALTERNATIVE_END							\
	return x + READ_ONCE(selftest_hit);				\
}									\
static ATTRS int prefix##_assign(int x)				\
{									\
	int r;								\
									\
	ALTERNATIVE_IF(F)						\
		r = TGT##_alt(x);					\
	ALTERNATIVE_ELSE						\
		r = TGT##_dflt(x);					\
	ALTERNATIVE_END							\
	return r;							\
}									\
static ATTRS int prefix##_tail(int x)				\
{									\
	ALTERNATIVE_IF(F)						\
		return TGT##_alt(x);					\
	ALTERNATIVE_ELSE						\
		return TGT##_dflt(x);				\
	ALTERNATIVE_END							\
}									\
static ATTRS int prefix##_not(int x)				\
{									\
	int r;								\
									\
	ALTERNATIVE_IF_NOT(F)						\
		r = TGT##_dflt(x);					\
	ALTERNATIVE_ELSE						\
		r = TGT##_alt(x);					\
	ALTERNATIVE_END							\
	return r;							\
}									\
static ATTRS int prefix##_expr(int x)				\
{									\
	return ALTERNATIVE_CALL(F, TGT##_alt, TGT##_dflt)(x);	\
}									\
static ATTRS int prefix##_nocall(int x)				\
{									\
	ALTERNATIVE_IF(F)						\
		TGT##_alt(x);					\
	ALTERNATIVE_END							\
	return x + READ_ONCE(selftest_hit);				\
}

/*
 * Run every shape of prefix: each must have reached the arm the last
 * apply chose for F (no call at all for a missing arm).  Adds to *failed
 * and *alternatives; returns the number of sites run.
 */
#define SELFTEST_RUN(prefix, F, failed, alternatives)			\
	SELFTEST_RUN_WANT(prefix, selftest_chosen(ALTCALL_FEATURE_WORD(F)), \
			  failed, alternatives)

/* The same, each site to reach its alternative if want_alt, else its default. */
#define SELFTEST_RUN_WANT(prefix, want_alt, failed, alternatives)	\
({									\
	int (*const prefix##_fns[])(int) = {				\
		prefix##_stmt, prefix##_assign, prefix##_tail,		\
		prefix##_not, prefix##_expr, prefix##_nocall,		\
	};								\
	bool alt = (want_alt);						\
	int want = alt ? SELFTEST_ALT : SELFTEST_DFLT;			\
	unsigned int i;							\
									\
	for (i = 0; i < ARRAY_SIZE(prefix##_fns); i++) {		\
		bool nocall = prefix##_fns[i] == prefix##_nocall;	\
		int hit_want = nocall && !alt ? 0 : want;		\
									\
		WRITE_ONCE(selftest_hit, 0);				\
		if (prefix##_fns[i](100) != 100 + hit_want ||		\
		    READ_ONCE(selftest_hit) != hit_want) {		\
			pr_err("%s shape %u: reached %d, not %d\n",	\
			       #prefix, i, READ_ONCE(selftest_hit),	\
			       hit_want);				\
			(*(failed))++;					\
		}							\
	}								\
	*(alternatives) += alt ? ARRAY_SIZE(prefix##_fns) : 0;		\
	ARRAY_SIZE(prefix##_fns);					\
})
