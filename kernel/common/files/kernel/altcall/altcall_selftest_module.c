// SPDX-License-Identifier: GPL-2.0
/*
 * altcall selftest module (CONFIG_ALTCALL_SELFTEST_MODULE): every shape of
 * site in module text and module init text, checked by its init function
 * (the module's sites were applied at load), and a pointer site whose
 * pointer the init function sets, checked once the module is live (its
 * second apply).  One line reports the result: "altcall selftest module:
 * passed ..." or "altcall selftest module: FAILED".
 *
 * One kernel, one feature state: /init then unloads the module and loads
 * it again with reload=1.  Its exit function (the module is still live
 * and its sites tracked) flips the boot feature, re-applies, checks that
 * its own sites followed, and sets the feature back without applying; the
 * reload checks that its sites follow the state of that re-apply, not the
 * change made since, then re-applies (which must not meet the unloaded
 * module) and runs the usual checks.  "passed re-apply while live: ..."
 * and "passed reload: ..." report them.
 */
#define pr_fmt(fmt) "altcall selftest module: " fmt

#include <linux/altcall.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int selftest_hit;

static bool reload;
module_param(reload, bool, 0);
MODULE_PARM_DESC(reload, "loaded again after an unload: check the state it follows");

#include "selftest_sites.h"

SELFTEST_TARGETS(mod)
SELFTEST_SITES(mod_present, mod, noinline, CAP_PRESENT)
SELFTEST_SITES(mod_boot, mod, noinline, BOOT_FEATURE)
SELFTEST_SITES(modinit_present, mod, noinline __init, CAP_PRESENT)

static struct {
	int (*fn)(int x);
} mod_ops __ro_after_init;

static noinline int mod_pointer(int x)
{
	return altcall_ptr_call(mod_ops.fn, x);
}

static int failed, alternatives, sites;

#ifdef CONFIG_CALL_THUNKS
/*
 * x86 call depth tracking: a pointer site to a function of this module,
 * written when the module goes live, must call where a plain call to the
 * same function goes (its accounting thunk, made at load by
 * module_finalize(), once the kernel made thunks at all).
 */
static const void *probe_ret;
static int probe_x;	/* 0, unknown to the compiler: no clones of the probes */

static noinline int mod_probe(int x)
{
	WRITE_ONCE(probe_ret, __builtin_return_address(0));
	return x + SELFTEST_ALT;
}

static struct {
	int (*fn)(int x);
} probe_ops __ro_after_init;

/* Not tail calls: the result is used after the call. */
static noinline int mod_probe_site(int x)
{
	return altcall_ptr_call(probe_ops.fn, x) * 3;
}

static noinline int mod_probe_plain(int x)
{
	return mod_probe(x) * 3;
}

static int check_thunks(void)
{
	const void *site_dest, *plain_dest;

	sites++;
	if (mod_probe_site(READ_ONCE(probe_x)) != 3 * SELFTEST_ALT)
		return 1;
	/* Without the plugin, or with altcall=off: an indirect call. */
	if (!IS_ENABLED(CONFIG_ALTCALL) || !altcall_enabled())
		return 0;
	site_dest = selftest_written_call_dest(READ_ONCE(probe_ret));
	if (mod_probe_plain(READ_ONCE(probe_x)) != 3 * SELFTEST_ALT)
		return 1;
	plain_dest = selftest_written_call_dest(READ_ONCE(probe_ret));
	/* Thunks made (retbleed=stuff): both must go through mod_probe's. */
	if (!site_dest || site_dest != plain_dest ||
	    (cpu_feature_enabled(X86_FEATURE_CALL_DEPTH) && site_dest == mod_probe)) {
		pr_err("FAILED call thunks: a pointer site calls %pS, a plain call to the same target %pS\n",
		       site_dest, plain_dest);
		return 1;
	}
	pr_info("passed call thunks: a pointer site calls %s as a plain call does\n",
		site_dest == mod_probe ? "its target" : "its target's thunk");
	return 0;
}
#else
static inline int check_thunks(void)
{
	return 0;
}
#endif /* CONFIG_CALL_THUNKS */

static int selftest_live(struct notifier_block *nb, unsigned long state,
			 void *data)
{
	int wrong;

	if (data != THIS_MODULE || state != MODULE_STATE_LIVE)
		return NOTIFY_DONE;
	WRITE_ONCE(selftest_hit, 0);
	if (mod_pointer(100) != 100 + SELFTEST_ALT)
		failed++;
	sites++;
	failed += check_thunks();
	wrong = altcall_check_sites(THIS_MODULE->altcall_sites,
				    THIS_MODULE->altcall_sites +
				    THIS_MODULE->num_altcall_sites);
	if (failed || wrong ||
	    (IS_ENABLED(CONFIG_ALTCALL) && !THIS_MODULE->num_altcall_sites))
		pr_err("FAILED: %d of %d sites reached the wrong arm, %d of %u module sites do not call their choice\n",
		       failed, sites, wrong, THIS_MODULE->num_altcall_sites);
	else
		pr_info("passed: %d sites reached their arm (%d alternatives), all %u module sites call their choice\n",
			sites, alternatives, THIS_MODULE->num_altcall_sites);
	return NOTIFY_OK;
}

static struct notifier_block selftest_nb = {
	.notifier_call = selftest_live,
};

#define LIVE_FEATURE	5	/* BOOT_FEATURE's software feature */

/*
 * The reload: the unload left the feature changed since the last
 * re-apply, so the arm that apply chose is not the one the feature now
 * names.  The sites must reach the applied one.
 */
static void __init check_reload(void)
{
	unsigned int word = ALTCALL_FEATURE_WORD(BOOT_FEATURE);
	bool applied = altcall_enabled() && __altcall_applied_feature(word);
	int failed_here = 0, alts = 0, n, wrong, ret;

	if (altcall_enabled() &&
	    applied == altcall_feature_enabled(LIVE_FEATURE)) {
		pr_err("FAILED reload: the unload did not leave the feature changed since the last re-apply\n");
		return;
	}
	n = SELFTEST_RUN_WANT(mod_boot, applied, &failed_here, &alts);
	wrong = altcall_check_sites(THIS_MODULE->altcall_sites,
				    THIS_MODULE->altcall_sites +
				    THIS_MODULE->num_altcall_sites);
	/* Now the current state, for the usual checks. */
	ret = altcall_reapply();
	if (failed_here || wrong || ret < 0)
		pr_err("FAILED reload: %d of %d sites did not reach the arm of the last re-apply (feature %s there), %d module sites do not call their choice, re-apply %d\n",
		       failed_here, n, applied ? "on" : "off", wrong, ret);
	else
		pr_info("passed reload: %d sites reached the arm of the last re-apply (feature %s there, %s now), then re-applied: %d sites rewritten\n",
			n, applied ? "on" : "off",
			altcall_feature_enabled(LIVE_FEATURE) ? "on" : "off",
			ret);
}

static int __init altcall_selftest_module_init(void)
{
	if (reload)
		check_reload();
	sites += SELFTEST_RUN(mod_present, CAP_PRESENT, &failed, &alternatives);
	sites += SELFTEST_RUN(mod_boot, BOOT_FEATURE, &failed, &alternatives);
	sites += SELFTEST_RUN(modinit_present, CAP_PRESENT, &failed,
			      &alternatives);
	mod_ops.fn = mod_alt;
#ifdef CONFIG_CALL_THUNKS
	probe_ops.fn = mod_probe;
#endif
	return register_module_notifier(&selftest_nb);
}
module_init(altcall_selftest_module_init);

/*
 * The unload (still live, its sites still tracked): a re-apply for a
 * changed boot feature must reach this module's sites as it reaches
 * vmlinux's.  The feature is then set back without a re-apply, for the
 * reload to check.
 */
static void __exit check_reapply_while_live(void)
{
	bool on = altcall_feature_enabled(LIVE_FEATURE);
	int failed_here = 0, alts = 0, n, wrong, ret;

	altcall_set_feature(LIVE_FEATURE, !on);
	ret = altcall_reapply();
	n = SELFTEST_RUN(mod_boot, BOOT_FEATURE, &failed_here, &alts);
	wrong = altcall_check_sites(THIS_MODULE->altcall_sites,
				    THIS_MODULE->altcall_sites +
				    THIS_MODULE->num_altcall_sites);
	altcall_set_feature(LIVE_FEATURE, on);
	if (failed_here || wrong || ret < 0)
		pr_err("FAILED re-apply while live: %d of %d sites did not follow feature %d going %s, %d module sites do not call their choice, re-apply %d\n",
		       failed_here, n, LIVE_FEATURE, on ? "off" : "on", wrong,
		       ret);
	else
		pr_info("passed re-apply while live: %d sites followed feature %d going %s (%d alternatives), %d sites rewritten\n",
			n, LIVE_FEATURE, on ? "off" : "on", alts, ret);
}

static void __exit altcall_selftest_module_exit(void)
{
	unregister_module_notifier(&selftest_nb);
	check_reapply_while_live();
}
module_exit(altcall_selftest_module_exit);

MODULE_DESCRIPTION("altcall selftest module");
MODULE_LICENSE("GPL");
