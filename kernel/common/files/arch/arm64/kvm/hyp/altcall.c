// SPDX-License-Identifier: GPL-2.0
/*
 * altcall in KVM's hyp code, built twice: into the nVHE hyp object (run at
 * EL2 beside a kernel at EL1) and into vmlinux for VHE.
 *
 * nVHE sites are an image of their own: the records and arm tables go to
 * vmlinux's init data (nvhe/hyp.lds.S, vmlinux.lds.S), the boot apply
 * patches them once, before EL2 maps or runs hyp text, and nothing reads
 * them again.  Their "no call" target is the one below: EL2 cannot branch
 * to the kernel's.
 */
#include <hyp/altcall.h>
#include <linux/altcall_compat.h>
#include <linux/cache.h>

#ifdef __KVM_NVHE_HYPERVISOR__
/* What a site built without the plugin tests (<linux/altcall.h>). */
bool altcall_hyp_enabled __ro_after_init;

#ifdef CONFIG_ALTCALL
/* __kvm_nvhe___altcall_nop once linked. */
noinline void __altcall_nop(void)
{
}
#endif
#endif /* __KVM_NVHE_HYPERVISOR__ */

#ifdef CONFIG_ALTCALL_SELFTEST
/* Read by the host (arch/arm64/kernel/altcall.c); EL2's in protected mode. */
u32 altcall_hyp_runs[ALTCALL_HYP_ARMS];

#define CAP_PRESENT	ALTCALL_HYP_CAP_PRESENT
#define CAP_ABSENT	ALTCALL_HYP_CAP_ABSENT

static noinline void if_arm(void)
{
	altcall_hyp_ran(ALTCALL_HYP_IF_ARM);
}

static noinline void if_default(void)
{
	altcall_hyp_ran(ALTCALL_HYP_IF_DEFAULT);
}

static noinline void if_not_default(void)
{
	altcall_hyp_ran(ALTCALL_HYP_IF_NOT_DEFAULT);
}

static noinline void if_not_else(void)
{
	altcall_hyp_ran(ALTCALL_HYP_IF_NOT_ELSE);
}

static noinline void no_else_arm(void)
{
	altcall_hyp_ran(ALTCALL_HYP_NO_ELSE_ARM);
}

static noinline void elif_all(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_ELIF_ALL);
}

#if ALTCALL_HYP_BOOT_FEATURES
static noinline void elif_boot(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_ELIF_BOOT);
}
#endif

static noinline void elif_cap(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_ELIF_CAP);
}

static noinline void elif_default(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_ELIF_DEFAULT);
}

static noinline int expr_absent(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_EXPR_ABSENT);
	return n + 1;
}

static noinline int expr_present(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_EXPR_PRESENT);
	return n + 2;
}

static noinline int expr_default(int n)
{
	altcall_hyp_ran(ALTCALL_HYP_EXPR_DEFAULT);
	return n + 3;
}

/* Every site form, run at EL2 on each guest entry. */
void altcall_hyp_selftest(void)
{
	ALTERNATIVE_IF(CAP_PRESENT)
		if_arm();
	ALTERNATIVE_ELSE
		if_default();
	ALTERNATIVE_END

	ALTERNATIVE_IF_NOT(CAP_PRESENT)
		if_not_default();
	ALTERNATIVE_ELSE
		if_not_else();
	ALTERNATIVE_END

	ALTERNATIVE_IF(CAP_PRESENT)
		no_else_arm();
	ALTERNATIVE_END

	ALTERNATIVE_IF(ALTCALL_ALL(CAP_PRESENT, CAP_ABSENT))
		elif_all(1);
#if ALTCALL_HYP_BOOT_FEATURES
	ALTERNATIVE_ELIF(ALTCALL_HYP_BOOT_FEATURE)
		elif_boot(1);
#endif
	ALTERNATIVE_ELIF(CAP_PRESENT)
		elif_cap(1);
	ALTERNATIVE_ELSE
		elif_default(1);
	ALTERNATIVE_END

	(void)ALTERNATIVE_CALL(CAP_ABSENT, expr_absent,
			       ALTERNATIVE_CALL(CAP_PRESENT, expr_present,
						expr_default))(1);
}

/*
 * What nVHE code may not do, each a compile error at its line (the
 * kernel test builds this file once with each defined; __used: the errors
 * are raised where a call is emitted): a pointer site,
 */
#ifdef ALTCALL_HYP_MISUSE_POINTER
static void (*altcall_hyp_misuse_hook)(void) __ro_after_init;
static void __used altcall_hyp_misuse_pointer(void)
{
	altcall_ptr_vcall(altcall_hyp_misuse_hook);
}
#endif
/* and, without the plugin, a boot feature. */
#ifdef ALTCALL_HYP_MISUSE_BOOT_FEATURE
static void __used altcall_hyp_misuse_boot_feature(void)
{
	ALTERNATIVE_IF(ALTCALL_HYP_BOOT_FEATURE)
		if_arm();
	ALTERNATIVE_END
}
#endif
#endif /* CONFIG_ALTCALL_SELFTEST */
