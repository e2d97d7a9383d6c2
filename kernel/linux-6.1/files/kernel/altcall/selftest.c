// SPDX-License-Identifier: GPL-2.0
/*
 * altcall boot selftest (CONFIG_ALTCALL_SELFTEST), run at the end of init
 * once every vmlinux site has had its last apply: every shape of site, in
 * .text and in .init.text, on a CPU feature the machine has, one it lacks
 * and a boot feature, and an N-way site on them, must reach the arm the
 * apply chose; the pointer sites must reach their pointer's target; and
 * every site of vmlinux, the real ones included, must hold a direct call to
 * its choice.  One line reports
 * the result: "altcall selftest: passed ..." or "altcall selftest: FAILED".
 */
#define pr_fmt(fmt) "altcall selftest: " fmt

#include <linux/altcall.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/kernel.h>

static int selftest_hit;

#include "selftest_sites.h"

SELFTEST_TARGETS(text)
SELFTEST_SITES(text_present, text, noinline, CAP_PRESENT)
SELFTEST_SITES(text_absent, text, noinline, CAP_ABSENT)
SELFTEST_SITES(text_boot, text, noinline, BOOT_FEATURE)
SELFTEST_SITES(init_present, text, noinline __init, CAP_PRESENT)
SELFTEST_SITES(init_boot, text, noinline __init, BOOT_FEATURE)

/*
 * An N-way site: after apply, the first arm whose features are all present.
 * A boot with altcall_feature=5 takes the third arm, any other boot (and
 * altcall=off) the default; nway_want() says so in plain C.
 */
#define NWAY_TARGET(n)							\
static noinline int nway_##n(int x)					\
{									\
	WRITE_ONCE(selftest_hit, 10 + (n));				\
	return x + 10 + (n);						\
}
NWAY_TARGET(1)
NWAY_TARGET(2)
NWAY_TARGET(3)
NWAY_TARGET(4)

static noinline int nway_site(int x)
{
	int r;

	ALTERNATIVE_IF(CAP_ABSENT)
		r = nway_1(x);
	ALTERNATIVE_ELIF(ALTCALL_ALL(CAP_PRESENT, CAP_ABSENT))
		r = nway_2(x);
	ALTERNATIVE_ELIF(ALTCALL_ALL(CAP_PRESENT, BOOT_FEATURE))
		r = nway_3(x);
	ALTERNATIVE_ELSE
		r = nway_4(x);
	ALTERNATIVE_END
	return r;
}

static bool applied(unsigned int f)
{
	return __altcall_applied_feature(f);
}

static int nway_want(void)
{
	unsigned int present = ALTCALL_FEATURE_WORD(CAP_PRESENT);
	unsigned int absent = ALTCALL_FEATURE_WORD(CAP_ABSENT);
	unsigned int boot = ALTCALL_FEATURE_WORD(BOOT_FEATURE);

	if (applied(absent))
		return 11;
	if (applied(present) && applied(absent))
		return 12;
	if (applied(present) && applied(boot))
		return 13;
	return 14;
}

/*
 * Pointer sites: one pointer set at build time (patched by the boot
 * apply), one set by an initcall (patched at the end of init).
 */
struct selftest_ops {
	int (*fn)(int x);
};

static struct selftest_ops ops_static __ro_after_init = { .fn = text_alt };
static struct selftest_ops ops_initcall __ro_after_init;

static int __init selftest_set_ops(void)
{
	ops_initcall.fn = text_alt;
	return 0;
}
core_initcall(selftest_set_ops);

static noinline int pointer_static(int x)
{
	return altcall_ptr_call(ops_static.fn, x);
}

static noinline int __init pointer_initcall(int x)
{
	altcall_ptr_vcall(ops_initcall.fn, x);
	return x + READ_ONCE(selftest_hit);
}

void __init altcall_selftest(void)
{
	int failed = 0, alternatives = 0, sites = 0, wrong;

	sites += SELFTEST_RUN(text_present, CAP_PRESENT, &failed, &alternatives);
	sites += SELFTEST_RUN(text_absent, CAP_ABSENT, &failed, &alternatives);
	sites += SELFTEST_RUN(text_boot, BOOT_FEATURE, &failed, &alternatives);
	sites += SELFTEST_RUN(init_present, CAP_PRESENT, &failed, &alternatives);
	sites += SELFTEST_RUN(init_boot, BOOT_FEATURE, &failed, &alternatives);

	WRITE_ONCE(selftest_hit, 0);
	if (nway_site(100) != 100 + nway_want() ||
	    READ_ONCE(selftest_hit) != nway_want()) {
		pr_err("N-way site: reached %d, not %d\n",
		       READ_ONCE(selftest_hit), nway_want());
		failed++;
	}
	alternatives += nway_want() != 14;
	sites++;

	WRITE_ONCE(selftest_hit, 0);
	if (pointer_static(100) != 100 + SELFTEST_ALT)
		failed++;
	WRITE_ONCE(selftest_hit, 0);
	if (pointer_initcall(100) != 100 + SELFTEST_ALT)
		failed++;
	sites += 2;

	wrong = altcall_check_sites(__start_altcall_sites, __stop_altcall_sites);
	if (failed || wrong)
		pr_err("FAILED: %d of %d sites reached the wrong arm, %d of %zu vmlinux sites do not call their choice\n",
		       failed, sites, wrong,
		       __stop_altcall_sites - __start_altcall_sites);
	else
		pr_info("passed: %d sites reached their arm (%d alternatives), all %zu vmlinux sites call their choice\n",
			sites, alternatives,
			__stop_altcall_sites - __start_altcall_sites);
}
