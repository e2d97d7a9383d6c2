// SPDX-License-Identifier: GPL-2.0
/*
 * altcall: what the selftests check every site against
 * (altcall_check_sites()), built only with them: the kernel platform
 * itself (altcall.c) needs none of it.
 */
#include <linux/altcall.h>
#include <linux/altcall_compat.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <asm/sections.h>
#include <altcall/runtime.h>

/* The pointer of a pointer site's record (docs/abi.md of altcall). */
static const void *const *record_slot(const struct altcall_site *rec)
{
	return (const void *const *)((unsigned long)&rec->alt + rec->alt);
}

static const void *record_target(const struct altcall_site *rec, const s32 *field)
{
	return *field ? (const void *)((unsigned long)field + *field) : NULL;
}

/* Is slot in init memory (vmlinux's, or a module's)? */
static bool slot_in_init(const void *const *slot)
{
	unsigned long addr = (unsigned long)slot;
	bool init = init_section_contains((void *)slot, sizeof(*slot));
#ifdef CONFIG_MODULES
	struct module *mod;

	preempt_disable();
	mod = __module_address(addr);
	init |= mod && altcall_module_in_init(mod, addr);
	preempt_enable();
#endif
	return init;
}

/*
 * What the arm table of an N-way site (ALTCALL_FEATURE_ARMS) chose: the
 * target of the first arm whose features all were on, else the default.
 * A table the runtime refused keeps its site on the default.
 */
static const void *arms_choice(const struct altcall_site *rec)
{
	const u8 *table = record_target(rec, &rec->alt);
	const u8 *arm = table + ALTCALL_ARMS_FIRST;
	unsigned int i, j, k, n = altcall_arms_count(table);

	if (!altcall_arms_count_valid(n))
		return record_target(rec, &rec->dflt);
	for (i = 0; i < n; i++, arm += ALTCALL_ARM_SIZE(k)) {
		k = altcall_arm_nfeatures(arm);
		if (!altcall_arm_nfeatures_valid(k))
			break;
		for (j = 0; j < k; j++)
			if (!__altcall_applied_feature(altcall_arm_feature(arm, j)))
				break;
		if (j == k)
			return (const void *)(unsigned long)
				altcall_arm_target(arm, (unsigned long)arm);
	}
	return record_target(rec, &rec->dflt);
}

/*
 * Check that every site of [start, stop) calls what the last apply chose:
 * the alternative if its feature was on, else the default ("no call": a
 * NOP or __altcall_nop), for an N-way site the first arm whose features
 * were all on, a pointer site the pointer's value (or, while the pointer
 * is NULL, its trampoline; a NULL pointer in init memory after its last
 * apply, altcall_null_init_pointer()).  Returns how many do not; used by the
 * selftests, on vmlinux and on a module.
 */
int altcall_check_sites(const struct altcall_site *start,
			const struct altcall_site *stop)
{
	const struct altcall_site *rec;
	const void *site, *target, *want;
	int wrong = 0;

	for (rec = start; rec < stop; rec++) {
		/*
		 * Init text that is freed (or, in a module, on its way out:
		 * do_init_module() forgets it before the memory goes) is no
		 * site any more.
		 */
		if (!kernel_text_address((unsigned long)&rec->site + rec->site))
			continue;
		if (rec->feature == ALTCALL_FEATURE_POINTER) {
			want = READ_ONCE(*record_slot(rec));
			if (!want && slot_in_init(record_slot(rec)) && altcall_enabled() &&
			    altcall_site_target(rec, &site, &target) &&
			    target == (const void *)altcall_null_init_pointer)
				want = target;	/* its init memory is going */
			else if (!want || !altcall_enabled())
				want = record_target(rec, &rec->dflt);
		} else if (rec->feature == ALTCALL_FEATURE_ARMS) {
			want = arms_choice(rec);
		} else if (__altcall_applied_feature(rec->feature)) {
			want = record_target(rec, &rec->alt);
		} else {
			want = record_target(rec, &rec->dflt);
		}
		if (!altcall_site_target(rec, &site, &target)) {
			pr_err("site %pS: not a site instruction\n", site);
			wrong++;
		} else if (target != want &&
			   !(!want && target == (const void *)__altcall_nop)) {
			pr_err("site %pS calls %pS, not %pS\n", site, target, want);
			wrong++;
		}
	}
	return wrong;
}
EXPORT_SYMBOL_GPL(altcall_check_sites);
