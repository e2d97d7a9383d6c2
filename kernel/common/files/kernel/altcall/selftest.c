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
 *
 * Then the live test: a kthread pinned to another CPU runs every shape of
 * the boot-feature sites in a loop, checking that each call reached one of
 * its two arms, while this CPU flips the boot feature and re-applies
 * (altcall_reapply()) LIVE_APPLIES times; every call made while no apply
 * ran, in particular the first after an apply returned, must reach the
 * arm of that apply.  "altcall selftest: passed live ..." or "FAILED live".
 */
#define pr_fmt(fmt) "altcall selftest: " fmt

#include <linux/altcall.h>
#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/sections.h>
#include <altcall/runtime.h>

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


static int nway_want(void)
{
	unsigned int present = ALTCALL_FEATURE_WORD(CAP_PRESENT);
	unsigned int absent = ALTCALL_FEATURE_WORD(CAP_ABSENT);
	unsigned int boot = ALTCALL_FEATURE_WORD(BOOT_FEATURE);

	if (selftest_chosen(absent))
		return 11;
	if (selftest_chosen(present) && selftest_chosen(absent))
		return 12;
	if (selftest_chosen(present) && selftest_chosen(boot))
		return 13;
	return 14;
}

/*
 * Pointer sites: one pointer set at build time (patched by the boot
 * apply), one set by an initcall (patched at the end of init).
 */
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

/*
 * Pointers in init data, defined in selftest_initdata.c so that this unit
 * cannot see where they are (the plugin refuses a pointer it sees is in
 * init memory): the one set by an initcall is patched at the end of init,
 * the one still NULL then must not keep a trampoline that would read freed
 * memory (altcall_null_init_pointer() instead).  __ref: the plain indirect
 * calls of a build without the plugin read init data from .text, which is
 * fine only while init runs; pointer_initnull is never called.
 */
extern struct selftest_ops selftest_initdata_ops, selftest_initdata_null;

static int __init selftest_set_initdata_ops(void)
{
	selftest_initdata_ops.fn = text_alt;
	return 0;
}
core_initcall(selftest_set_initdata_ops);

static noinline int __ref pointer_initdata(int x)
{
	return altcall_ptr_call(selftest_initdata_ops.fn, x);
}

static noinline int __ref __used pointer_initnull(int x)
{
	return altcall_ptr_call(selftest_initdata_null.fn, x);
}

/*
 * The records of pointer_initnull's site (by its pointer) must all call
 * altcall_null_init_pointer() now; 0, or how many do not (and -1 if a
 * build with the plugin has none).
 */
static int __init check_initnull(void)
{
	const void *slot = &selftest_initdata_null.fn, *site, *target;
	const struct altcall_site *rec;
	int found = 0, wrong = 0;

	if (!altcall_enabled())
		return 0;	/* altcall=off: every site as compiled */
	for (rec = __start_altcall_sites; rec < __stop_altcall_sites; rec++) {
		const u8 *r = (const u8 *)rec;

		if (rec->feature != ALTCALL_FEATURE_POINTER ||
		    altcall_record_target(r, (unsigned long)r, ALTCALL_RECORD_ALT) !=
		    (unsigned long)slot)
			continue;
		found++;
		if (!altcall_site_target(rec, &site, &target) ||
		    target != (const void *)altcall_null_init_pointer) {
			pr_err("site %pS of a NULL init-data pointer calls %pS\n",
			       site, target);
			wrong++;
		}
	}
	if (IS_ENABLED(CONFIG_ALTCALL) && !found)
		return -1;
	return wrong;
}
#ifdef CONFIG_CALL_THUNKS
/*
 * x86 call depth tracking: a site must call where an ordinary direct call
 * to its target goes, the target's accounting thunk once the kernel made
 * thunks (retbleed=stuff), whether the boot apply wrote it and the
 * kernel's thunk pass retargeted it, or a later apply wrote it.  Checked
 * on the bytes: every call site in .text against what the kernel writes
 * for its target, and one boot-feature site (written live by the live
 * test) against a plain call to the same target in this file, found by
 * the return address the target sees.
 */
static const void *probe_ret;
static int probe_x;	/* 0, unknown to the compiler: no clones of the probes */

static noinline int probe_alt(int x)
{
	WRITE_ONCE(probe_ret, __builtin_return_address(0));
	return x + SELFTEST_ALT;
}

static noinline int probe_dflt(int x)
{
	WRITE_ONCE(probe_ret, __builtin_return_address(0));
	return x + SELFTEST_DFLT;
}

/* Not tail calls: the result is used after the call. */
static noinline int probe_site(int x)
{
	int r;

	ALTERNATIVE_IF(BOOT_FEATURE)
		r = probe_alt(x);
	ALTERNATIVE_ELSE
		r = probe_dflt(x);
	ALTERNATIVE_END
	return r * 3;
}

static noinline int probe_plain_alt(int x)
{
	return probe_alt(x) * 3;
}

static noinline int probe_plain_dflt(int x)
{
	return probe_dflt(x) * 3;
}

static int __init selftest_thunks(const char *when)
{
	const struct altcall_site *rec;
	const void *site, *target, *dest, *want;
	unsigned int calls = 0, thunked = 0;
	int wrong = 0;
	bool alt;

	if (!altcall_enabled())
		return 0;
	for (rec = __start_altcall_sites; rec < __stop_altcall_sites; rec++) {
		if (!altcall_site_target(rec, &site, &target) || !target ||
		    (unsigned long)site < (unsigned long)_text ||
		    (unsigned long)site >= (unsigned long)_etext)
			continue;
		dest = selftest_written_call_dest(site + 5);
		if (!dest)
			continue;	/* a jmp */
		mutex_lock(&text_mutex);
		want = callthunks_translate_call_dest((void *)target);
		mutex_unlock(&text_mutex);
		calls++;
		thunked += dest != target;
		if (dest != want) {
			pr_err("%s: site %pS calls %pS, not %pS\n", when,
			       site, dest, want);
			wrong++;
		}
	}

	/* The results are used: none of these may become a tail call. */
	alt = probe_site(READ_ONCE(probe_x)) == 3 * SELFTEST_ALT;
	dest = selftest_written_call_dest(READ_ONCE(probe_ret));
	if ((alt ? probe_plain_alt(READ_ONCE(probe_x)) :
	     probe_plain_dflt(READ_ONCE(probe_x))) != (alt ? 3 * SELFTEST_ALT : 3 * SELFTEST_DFLT))
		wrong++;
	want = selftest_written_call_dest(READ_ONCE(probe_ret));
	if (!dest || dest != want) {
		pr_err("%s: a site calls %pS, a plain call to the same target %pS\n",
		       when, dest, want);
		wrong++;
	}

	/* Thunks made (retbleed=stuff): the sites must use them. */
	if (cpu_feature_enabled(X86_FEATURE_CALL_DEPTH) && !thunked) {
		pr_err("%s: call depth tracking, but no site calls a thunk\n", when);
		wrong++;
	}

	if (wrong)
		pr_err("FAILED call thunks (%s): %d of %u .text call sites\n",
		       when, wrong, calls);
	else
		pr_info("passed call thunks (%s): %u .text call sites call their target as a plain call does (%u through a thunk)\n",
			when, calls, thunked);
	return wrong;
}
#else
static inline int selftest_thunks(const char *when)
{
	return 0;
}
#endif /* CONFIG_CALL_THUNKS */

#define LIVE_APPLIES	400
#define LIVE_FEATURE	5	/* BOOT_FEATURE's software feature */

/* Odd while this CPU re-applies; 2k once the k-th re-apply returned. */
static unsigned int live_seq;

struct live_result {
	unsigned long calls, wrong, late, first;
	unsigned int seen;	/* the last quiet live_seq the worker checked */
	bool base;		/* the feature before the test */
};

static int (*const live_fns[])(int) = {
	text_boot_stmt, text_boot_assign, text_boot_tail,
	text_boot_not, text_boot_expr, text_boot_nocall,
};

static int live_worker(void *data)
{
	struct live_result *res = data;
	unsigned int last = ~0u, s1, s2, i;
	int hit[ARRAY_SIZE(live_fns)];
	bool bad, late;

	while (!kthread_should_stop()) {
		/* Pairs with the re-applier's release: its state, then calls. */
		s1 = smp_load_acquire(&live_seq);
		bad = false;
		for (i = 0; i < ARRAY_SIZE(live_fns); i++) {
			bool nocall = live_fns[i] == text_boot_nocall;
			int r;

			WRITE_ONCE(selftest_hit, 0);
			r = live_fns[i](100);
			hit[i] = READ_ONCE(selftest_hit);
			/* One of the arms (no call: nothing at all). */
			bad |= r != 100 + hit[i] ||
			       !(hit[i] == SELFTEST_ALT || hit[i] == SELFTEST_DFLT ||
				 (nocall && !hit[i]));
		}
		/* Changed if an apply began before the calls could see it. */
		s2 = smp_load_acquire(&live_seq);
		late = false;
		if (s1 == s2 && !(s1 & 1)) {
			bool alt = res->base ^ ((s1 / 2) & 1);

			for (i = 0; i < ARRAY_SIZE(live_fns); i++)
				late |= hit[i] != (alt ? SELFTEST_ALT :
						   live_fns[i] == text_boot_nocall ?
						   0 : SELFTEST_DFLT);
			if (s1 != last)
				res->first++;
			last = s1;
			/* The handshake: this apply's first calls are checked. */
			smp_store_release(&res->seen, s1);
		}
		res->calls += ARRAY_SIZE(live_fns);
		res->wrong += bad;
		res->late += late;
		cond_resched();
	}
	return 0;
}

static void __init selftest_live(void)
{
	struct live_result res = { };
	struct task_struct *worker;
	unsigned int cpu, k, refused = 0, timeouts = 0;
	unsigned long until;

	if (!altcall_enabled()) {
		pr_info("live: skipped (altcall=off)\n");
		return;
	}
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		pr_info("live: skipped (one CPU)\n");
		return;
	}
	res.base = altcall_feature_enabled(LIVE_FEATURE);
	WRITE_ONCE(live_seq, 0);
	worker = kthread_create(live_worker, &res, "altcall-live");
	if (IS_ERR(worker)) {
		pr_err("FAILED live: no kthread\n");
		return;
	}
	kthread_bind(worker, cpu);
	wake_up_process(worker);

	for (k = 1; k <= LIVE_APPLIES; k++) {
		WRITE_ONCE(live_seq, 2 * k - 1);
		/* Odd before the first byte of the apply is written. */
		smp_mb();
		altcall_set_feature(LIVE_FEATURE, res.base ^ (k & 1));
		if (altcall_reapply() < 0)
			refused++;
		/* Even once it returned: the worker's calls check it. */
		smp_store_release(&live_seq, 2 * k);
		/* Every 8th: the worker's first calls after this apply. */
		until = jiffies + HZ;
		/* Pairs with the worker's release of seen. */
		while (k % 8 == 0 && smp_load_acquire(&res.seen) != 2 * k) {
			if (time_after(jiffies, until)) {
				timeouts++;
				break;
			}
			cond_resched();
		}
	}
	kthread_stop(worker);

	if (res.wrong || res.late || refused || timeouts || !res.first)
		pr_err("FAILED live: %u re-applies (%u refused) while CPU %u made %lu calls: %lu wrong, %lu late, %lu first calls after an apply, %u timeouts\n",
		       LIVE_APPLIES, refused, cpu, res.calls, res.wrong, res.late,
		       res.first, timeouts);
	else
		pr_info("passed live: %u re-applies while CPU %u made %lu calls: 0 wrong, 0 late, %lu first calls after an apply checked\n",
			LIVE_APPLIES, cpu, res.calls, res.first);
}

static int __init altcall_selftest(void)
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
	WRITE_ONCE(selftest_hit, 0);
	if (pointer_initdata(100) != 100 + SELFTEST_ALT)
		failed++;
	if (check_initnull())
		failed++;
	sites += 4;

	wrong = altcall_check_sites(__start_altcall_sites, __stop_altcall_sites);
	if (failed || wrong)
		pr_err("FAILED: %d of %d sites reached the wrong arm, %d of %zu vmlinux sites do not call their choice\n",
		       failed, sites, wrong,
		       __stop_altcall_sites - __start_altcall_sites);
	else
		pr_info("passed: %d sites reached their arm (%d alternatives), all %zu vmlinux sites call their choice\n",
			sites, alternatives,
			__stop_altcall_sites - __start_altcall_sites);
	selftest_thunks("boot");
	selftest_live();
	/* After 400 live re-applies, written with the thunks in place. */
	selftest_thunks("live");
	return 0;
}
/* After the end-of-init apply (kernel/altcall/Makefile: link order). */
late_initcall_sync(altcall_selftest);
