// SPDX-License-Identifier: GPL-2.0
/*
 * altcall selftest module (CONFIG_ALTCALL_SELFTEST_MODULE): every shape of
 * site in module text and module init text, checked by its init function
 * (the module's sites were applied at load), and a pointer site whose
 * pointer the init function sets, checked once the module is live (its
 * second apply).  One line reports the result: "altcall selftest module:
 * passed ..." or "altcall selftest module: FAILED".
 */
#define pr_fmt(fmt) "altcall selftest module: " fmt

#include <linux/altcall.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>

static int selftest_hit;

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

static int __init altcall_selftest_module_init(void)
{
	sites += SELFTEST_RUN(mod_present, CAP_PRESENT, &failed, &alternatives);
	sites += SELFTEST_RUN(mod_boot, BOOT_FEATURE, &failed, &alternatives);
	sites += SELFTEST_RUN(modinit_present, CAP_PRESENT, &failed,
			      &alternatives);
	mod_ops.fn = mod_alt;
	return register_module_notifier(&selftest_nb);
}
module_init(altcall_selftest_module_init);

static void __exit altcall_selftest_module_exit(void)
{
	unregister_module_notifier(&selftest_nb);
}
module_exit(altcall_selftest_module_exit);

MODULE_DESCRIPTION("altcall selftest module");
MODULE_LICENSE("GPL");
