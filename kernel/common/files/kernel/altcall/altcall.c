// SPDX-License-Identifier: GPL-2.0
/*
 * altcall: the kernel platform of the altcall runtime.
 *
 * core.c and arch_*.c in this directory are the altcall project's
 * runtime/ sources, copied in unchanged by its kernel kit: they walk site
 * records and plan each rewrite.  This file tells them what is text, how
 * to write it and where CPU features come from, and decides when to apply:
 *
 *  - vmlinux at boot, altcall_apply_vmlinux(): on x86 from
 *    alternative_instructions() with one CPU up, before ENDBR sealing; on
 *    arm64 from smp_cpus_done(), once CPU features are final;
 *  - right after it, for the state it published, the arch's boot-only
 *    image (arm64: KVM's nVHE hyp code, before EL2 maps or runs it; its
 *    records are init data): applied once, never read or written again,
 *    since in protected mode its memory is EL2's once KVM is up;
 *  - vmlinux again at late_initcall_sync, before init memory is freed:
 *    pointer sites (altcall_ptr_call()) whose pointer an initcall set;
 *  - a module at load, before its text is read-only, again when it is
 *    coming (a re-apply may have run in between) and when it goes live,
 *    for the pointers its init function set; always for the state vmlinux
 *    was last applied with (altcall_apply_late_image()), not for changes
 *    made since: one kernel, one feature state;
 *  - vmlinux and every module at any time after, from altcall_reapply(),
 *    for features changed since (altcall_set_feature()), while other CPUs
 *    run the sites: x86 text_poke_queue()/text_poke_finish() under
 *    text_mutex (the int3 protocol, emulating the new call in
 *    poke_int3_handler()), arm64 aarch64_insn_patch_text() (stop_machine:
 *    every CPU has executed an ISB when it returns).  When
 *    altcall_reapply() returns, every CPU's next execution of a site goes
 *    to the new choice.  Modules are tracked from MODULE_STATE_COMING to
 *    MODULE_STATE_GOING under altcall_mutex, so a re-apply never meets a
 *    module whose memory is being freed, and never reads a module's init
 *    memory once it went live (do_init_module() frees it after the
 *    MODULE_STATE_LIVE notifiers).
 * A pointer site is patched once, to the pointer's value at that apply.
 * A pointer site still NULL at its last apply keeps its trampoline, which
 * calls through the pointer like the plain indirect call.  A trampoline
 * never reads freed memory: the plugin refuses a pointer it sees is in
 * init memory, and for one it cannot see (declared extern, defined
 * __initdata elsewhere) the last apply before init memory is freed
 * patches a NULL pointer's site to altcall_null_init_pointer(), which
 * reports the site and BUG()s, as the NULL call would have crashed.
 *
 * Every refused site is logged with its location and keeps calling its
 * default (or its trampoline), which is always correct.
 *
 * Boot options: altcall=off leaves every site on its default,
 * altcall=verbose logs where every site calls after each apply, and
 * altcall_feature=n[,n...] sets the software features n.
 */
#define pr_fmt(fmt) "altcall: " fmt

#include <linux/altcall.h>
#include <linux/altcall_compat.h>
#include <linux/cache.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/sections.h>
#include <altcall/runtime.h>

/* The runtime (core.c) is shared with user space: its exports are here. */
/* The "no call" target of module sites. */
EXPORT_SYMBOL_GPL(__altcall_nop);
/* What module sites built without the plugin read: a copy of the state, */
EXPORT_SYMBOL_GPL(__altcall_applied_state);
/* a feature in that copy, */
EXPORT_SYMBOL_GPL(__altcall_state_has);
/* the copy's sequence count (a nested ALTERNATIVE_CALL), */
EXPORT_SYMBOL_GPL(__altcall_state_seq);
/* a feature in a copy of its own. */
EXPORT_SYMBOL_GPL(__altcall_applied_feature);
/* A feature's state, for modules and tests, */
EXPORT_SYMBOL_GPL(altcall_feature_enabled);
/* and a boot feature's change (applied by altcall_reapply()). */
EXPORT_SYMBOL_GPL(altcall_set_feature);
/* Where a site calls now, for tests. */
EXPORT_SYMBOL_GPL(altcall_site_target);

static bool altcall_off __ro_after_init;
static bool altcall_verbose __ro_after_init;

/* What the apply under way works on; altcall_mutex serialises applies. */
static DEFINE_MUTEX(altcall_mutex);
static const struct module *apply_mod;
/* Or the arch's boot-only image. */
static const struct altcall_boot_image *apply_boot;
/* The module's init memory is there: not yet live (freed after that). */
static bool apply_init_alive;
/* Where the module's init text was, once it is gone. */
static const void *apply_init_text;
static unsigned int apply_init_text_size;
static bool expect_null_pointers;
/* The last apply before the image's init memory is freed. */
static bool init_ends;
/* This apply's refusals (not counting the two below), and the first. */
static unsigned int refusals;
static int first_refusal;
static unsigned int null_pointers;
/* Sites in init text once it is freed: not text any more, not reported. */
static unsigned int init_gone;

static int __init altcall_setup(char *str)
{
	if (!strcmp(str, "off"))
		altcall_off = true;
	else if (!strcmp(str, "verbose"))
		altcall_verbose = true;
	else
		return -EINVAL;
	return 0;
}
early_param("altcall", altcall_setup);

static int __init altcall_feature_setup(char *str)
{
	int n;

	while (get_option(&str, &n)) {
		if (n < 0 || n >= ALTCALL_SW_FEATURES ||
		    !altcall_set_feature(n, true))
			pr_warn("altcall_feature=%d: no such software feature\n", n);
		if (*str != ',')
			break;
		str++;
	}
	return 0;
}
early_param("altcall_feature", altcall_feature_setup);

/* Init data of the image under apply, while it is not freed. */
static bool in_init_data(unsigned long first, unsigned int len)
{
	unsigned long last = first + len - 1;
	const struct module *mod = apply_mod;

	if (apply_boot)
		return false;
	if (!mod)
		return system_state < SYSTEM_FREEING_INITMEM &&
		       init_section_contains((void *)first, len) &&
		       !is_kernel_inittext(first) && !is_kernel_inittext(last);
	return apply_init_alive &&
	       altcall_module_in_init_data(mod, first, last);
}

/* [addr, addr + len) inside [start, end). */
static bool within_range(const void *addr, unsigned int len,
			 const void *start, const void *end)
{
	return addr >= start && addr <= end &&
	       len <= (unsigned long)(end - addr);
}

static bool kernel_is_text(const void *addr, unsigned int len)
{
	unsigned long first = (unsigned long)addr, last = first + len - 1;
	const struct module *mod = apply_mod;

	if (apply_boot)
		return within_range(addr, len, apply_boot->text,
				    apply_boot->text_end);
	if (!mod)
		return core_kernel_text(first) && core_kernel_text(last);
	return altcall_module_in_core_text(mod, first, last) ||
	       (apply_init_alive &&
		altcall_within(first, apply_init_text, apply_init_text_size) &&
		altcall_within(last, apply_init_text, apply_init_text_size));
}

/* A site of init text that is freed (or, in a module, about to be). */
static bool in_init_text_gone(const void *site)
{
	if (apply_boot)
		return false;
	if (!apply_mod)
		return system_state >= SYSTEM_FREEING_INITMEM &&
		       is_kernel_inittext((unsigned long)site);
	return !apply_init_alive &&
	       altcall_within((unsigned long)site, apply_init_text,
			      apply_init_text_size);
}

/*
 * A pointer of a pointer site, or an arm table (read a piece at a time):
 * data of the same image, never text.  A boot-only image has arm tables
 * only: its pointers may hold what its own code sees (arm64 hyp VAs).
 */
static bool kernel_is_readable(const void *addr, unsigned int len)
{
	unsigned long first = (unsigned long)addr, last = first + len - 1;
	const struct module *mod = apply_mod;

	if (apply_boot)
		return within_range(addr, len, apply_boot->tables,
				    apply_boot->tables_end);
	if (!mod)
		return (is_kernel_core_data(first) && is_kernel_core_data(last)) ||
		       (is_kernel_rodata(first) && is_kernel_rodata(last)) ||
		       in_init_data(first, len);
	return altcall_module_in_data(mod, first, last) ||
	       in_init_data(first, len);
}

/*
 * Called by a pointer site whose pointer, in init memory, was still NULL
 * when that memory was about to be freed: the plain indirect call would
 * have jumped to NULL; this says where it came from instead.
 */
void __noreturn altcall_null_init_pointer(void)
{
	pr_emerg("%pS: call through a NULL pointer in freed init memory\n",
		 __builtin_return_address(0));
	BUG();
}
EXPORT_SYMBOL_GPL(altcall_null_init_pointer);

static const void *kernel_null_pointer_target(const void *slot)
{
	if (init_ends && in_init_data((unsigned long)slot, sizeof(void *)))
		return altcall_null_init_pointer;
	return NULL;
}

static bool kernel_cpu_has(unsigned int feature)
{
	return arch_altcall_cpu_has(feature & ~ALTCALL_FEATURE_CPU);
}

/* The runtime's record index, for one apply: it checks folded sites. */
static void *kernel_scratch(unsigned long bytes)
{
	return kvmalloc(bytes, GFP_KERNEL);
}

static void kernel_scratch_free(void *p, unsigned long bytes)
{
	kvfree(p);
}

static void kernel_refused(const void *site, int err)
{
	if (err == ALTCALL_ENULLPTR && expect_null_pointers) {
		null_pointers++;
		return;
	}
	if (err == ALTCALL_ENOTTEXT && site && in_init_text_gone(site)) {
		init_gone++;
		return;
	}
	if (!refusals++)
		first_refusal = err;
	pr_warn("%s: site %pS refused: %s; it keeps its default\n",
		apply_boot ? apply_boot->name :
		apply_mod ? apply_mod->name : "vmlinux", site,
		altcall_strerror(err));
}

static void log_sites(const struct altcall_site *start,
		      const struct altcall_site *stop)
{
	const struct altcall_site *rec;
	const void *site = NULL, *target;

	for (rec = start; rec < stop; rec++) {
		if (!altcall_site_target(rec, &site, &target))
			pr_info("site %pS: not a site instruction\n", site);
		else if (!target || target == (const void *)__altcall_nop)
			pr_info("site %pS -> no call\n", site);
		else
			pr_info("site %pS -> %pS\n", site, target);
	}
}

/* The runtime's refusal as a kernel error number. */
static int altcall_errno(int err)
{
	switch (err) {
	case ALTCALL_ERANGE:
		return -ERANGE;
	case ALTCALL_ENOTTEXT:
		return -EFAULT;
	case ALTCALL_ETEXTWRITE:
	case ALTCALL_ELIVE:
		return -EIO;
	case ALTCALL_ENULLPTR:
		return -ENOENT;
	case ALTCALL_ENOMEM:
		return -ENOMEM;
	case ALTCALL_ESEALED:
		return -EPERM;
	default:	/* EBADINSN, EFEATURE, ERECORD, ECONFLICT, ERUNTIME */
		return -EINVAL;
	}
}

/* How an apply runs. */
#define APPLY_NULL_EXPECTED	1	/* a NULL pointer is not set yet */
#define APPLY_BEFORE_THUNKS	2	/* x86: before the image's call thunks */
#define APPLY_QUIET		4	/* no summary line */

/*
 * Apply vmlinux's records (its boot apply and altcall_reapply(): for the
 * current state, which they publish) or apply_mod's (for the state vmlinux
 * was last applied with).  Returns the sites patched, or the first
 * refusal as a negative errno.
 */
static int apply(const char *image, const struct altcall_site *start,
		 const struct altcall_site *stop,
		 unsigned int (*write_text)(const struct altcall_patch *,
					    unsigned int),
		 unsigned int how)
{
	const struct altcall_platform platform = {
		.is_text = kernel_is_text,
		.write_text = write_text,
		.cpu_has = kernel_cpu_has,
		.is_readable = kernel_is_readable,
		.refused = kernel_refused,
		.scratch = kernel_scratch,
		.scratch_free = kernel_scratch_free,
		.null_pointer_target = kernel_null_pointer_target,
		/*
		 * x86 call depth tracking: a call to a function's accounting
		 * thunk is a call to the function, and a call written after
		 * the image's first apply goes to the thunk.  The first
		 * (vmlinux at boot, a module at load) runs before the kernel
		 * makes the image's thunks, which then covers its calls too.
		 */
		.canonical_target = arch_altcall_canonical_target,
		.call_dest = how & APPLY_BEFORE_THUNKS ? NULL :
			     arch_altcall_call_dest,
	};
	const struct altcall_image late = {
		start, stop, apply_boot ? apply_boot->nop : __altcall_nop
	};
	bool late_image = apply_mod || apply_boot;
	struct altcall_report before = { 0 }, after;
	u64 ns;

	/*
	 * vmlinux is applied even without records: sites compiled without
	 * the plugin (CONFIG_ALTCALL=n) follow the state an apply publishes.
	 */
	if (altcall_off || (late_image && start == stop))
		return 0;
	expect_null_pointers = how & APPLY_NULL_EXPECTED;
	refusals = 0;
	first_refusal = 0;
	null_pointers = 0;
	init_gone = 0;
	ns = local_clock();
	if (late_image) {
		/* Adds to the report of vmlinux's last apply. */
		altcall_get_report(&before);
		altcall_apply_late_image(&late, &platform);
	} else {
		altcall_apply_sites(start, stop, &platform);
	}
	ns = local_clock() - ns;
	altcall_get_report(&after);
	if (!(how & APPLY_QUIET)) {
		/* A pointer not set yet is no refusal: a later apply patches it. */
		pr_info("%s: %u sites, %u patched, %u refused, %u pointers not set yet (%llu ns)\n",
			image, after.sites - before.sites,
			after.patched - before.patched, refusals,
			null_pointers, ns);
		if (altcall_verbose)
			log_sites(start, stop);
	}
	return refusals ? altcall_errno(first_refusal) :
			  (int)(after.patched - before.patched);
}

static unsigned int __init write_text_at_boot(const struct altcall_patch *p,
				       unsigned int n)
{
	/* One CPU runs at x86's boot apply; arm64's runs after SMP bring-up. */
	if (num_online_cpus() > 1)
		return arch_altcall_write_live(p, n);
	return arch_altcall_write_early(p, n);
}

void __init altcall_apply_vmlinux(void)
{
	const struct altcall_boot_image *boot;

	mutex_lock(&altcall_mutex);
	apply("vmlinux", __start_altcall_sites, __stop_altcall_sites,
	      write_text_at_boot, APPLY_NULL_EXPECTED | APPLY_BEFORE_THUNKS);
	boot = arch_altcall_boot_image(!altcall_off);
	if (boot) {
		apply_boot = boot;
		apply(boot->name, boot->start, boot->stop, write_text_at_boot, 0);
		apply_boot = NULL;
	}
	mutex_unlock(&altcall_mutex);
}

bool altcall_enabled(void)
{
	return !altcall_off;
}
EXPORT_SYMBOL_GPL(altcall_enabled);

static int __init altcall_apply_vmlinux_late(void)
{
	mutex_lock(&altcall_mutex);
	init_ends = true;
	apply("vmlinux (end of init)", __start_altcall_sites,
	      __stop_altcall_sites, arch_altcall_write_live, 0);
	init_ends = false;
	mutex_unlock(&altcall_mutex);
	return 0;
}
late_initcall_sync(altcall_apply_vmlinux_late);

#ifdef CONFIG_MODULES
/* A module with sites, from MODULE_STATE_COMING to MODULE_STATE_GOING. */
struct altcall_module {
	struct list_head list;
	struct module *mod;
	bool init_alive;		/* not live yet */
	const void *init_text;		/* where its init text was */
	unsigned int init_text_size;
};

/* Under altcall_mutex. */
static LIST_HEAD(altcall_modules);

/* Apply mod's sites under altcall_mutex; m is its entry, if it has one. */
static int apply_module(struct module *mod, const struct altcall_module *m,
			unsigned int (*write_text)(const struct altcall_patch *,
						   unsigned int),
			unsigned int how)
{
	int ret;

	apply_mod = mod;
	apply_init_alive = !m || m->init_alive;
	if (m) {
		apply_init_text = m->init_text;
		apply_init_text_size = m->init_text_size;
	} else {
		altcall_module_init_text(mod, &apply_init_text,
					 &apply_init_text_size);
	}
	ret = apply(mod->name, mod->altcall_sites,
		    mod->altcall_sites + mod->num_altcall_sites, write_text,
		    how);
	apply_mod = NULL;
	return ret;
}

/*
 * From load_module(), before the module's text is read-only or runs, and
 * before module_finalize() makes its call thunks.
 */
void altcall_apply_module(struct module *mod)
{
	mutex_lock(&altcall_mutex);
	apply_module(mod, NULL, arch_altcall_write_early,
		     APPLY_NULL_EXPECTED | APPLY_BEFORE_THUNKS);
	mutex_unlock(&altcall_mutex);
}

static struct altcall_module *tracked_module(const struct module *mod)
{
	struct altcall_module *m;

	list_for_each_entry(m, &altcall_modules, list)
		if (m->mod == mod)
			return m;
	return NULL;
}

/*
 * Its text is read-only now and its init function runs next: from now on
 * a re-apply covers it.  A re-apply between its load and now did not: if
 * the state changed, this patches it (quietly: its load apply reported).
 */
static int module_coming(struct module *mod)
{
	struct altcall_module *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->mod = mod;
	m->init_alive = true;
	altcall_module_init_text(mod, &m->init_text, &m->init_text_size);
	mutex_lock(&altcall_mutex);
	list_add_tail(&m->list, &altcall_modules);
	apply_module(mod, m, arch_altcall_write_live,
		     APPLY_NULL_EXPECTED | APPLY_QUIET);
	mutex_unlock(&altcall_mutex);
	return 0;
}

/* Live: its pointers are set now.  Its init memory is freed next. */
static void module_live(struct module *mod)
{
	struct altcall_module *m;

	mutex_lock(&altcall_mutex);
	m = tracked_module(mod);
	if (m) {
		init_ends = true;
		apply_module(mod, m, arch_altcall_write_live, 0);
		init_ends = false;
		m->init_alive = false;
	}
	mutex_unlock(&altcall_mutex);
}

/* Forgotten before its memory is freed (unloaded, or its load failed). */
static void module_going(struct module *mod)
{
	struct altcall_module *m;

	mutex_lock(&altcall_mutex);
	m = tracked_module(mod);
	if (m)
		list_del(&m->list);
	mutex_unlock(&altcall_mutex);
	kfree(m);
}

static int altcall_module_notify(struct notifier_block *nb,
				 unsigned long state, void *data)
{
	struct module *mod = data;

	if (!mod->num_altcall_sites)
		return NOTIFY_DONE;
	switch (state) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(module_coming(mod));
	case MODULE_STATE_LIVE:
		module_live(mod);
		return NOTIFY_OK;
	case MODULE_STATE_GOING:
		module_going(mod);
		return NOTIFY_OK;
	}
	return NOTIFY_DONE;
}

static struct notifier_block altcall_module_nb = {
	.notifier_call = altcall_module_notify,
	.priority = INT_MAX,	/* before anyone who checks the sites */
};

static int __init altcall_module_init(void)
{
	return register_module_notifier(&altcall_module_nb);
}
core_initcall(altcall_module_init);

/* Every module, after vmlinux: the state vmlinux's apply published. */
static int reapply_modules(void)
{
	struct altcall_module *m;
	int ret, first = 0;

	list_for_each_entry(m, &altcall_modules, list) {
		/* Its init function may not have set its pointers yet. */
		ret = apply_module(m->mod, m, arch_altcall_write_live,
				   APPLY_QUIET |
				   (m->init_alive ? APPLY_NULL_EXPECTED : 0));
		if (ret < 0 && !first)
			first = ret;
	}
	return first;
}
#else
static inline int reapply_modules(void)
{
	return 0;
}
#endif /* CONFIG_MODULES */

/*
 * Apply vmlinux and every module for the current state, while other CPUs
 * run their sites; serialised against module load and unload.
 */
int altcall_reapply(void)
{
	struct altcall_report report;
	int ret, mods;

	if (altcall_off)
		return 0;
	mutex_lock(&altcall_mutex);
	ret = apply("vmlinux", __start_altcall_sites, __stop_altcall_sites,
		    arch_altcall_write_live, APPLY_QUIET);
	mods = reapply_modules();
	/* vmlinux's report with every module's added. */
	altcall_get_report(&report);
	mutex_unlock(&altcall_mutex);
	if (ret < 0)
		return ret;
	return mods < 0 ? mods : (int)report.patched;
}
EXPORT_SYMBOL_GPL(altcall_reapply);
