/* SPDX-License-Identifier: GPL-2.0 */
/*
 * altcall sites in KVM's hyp code (nVHE and VHE).  The kernel test counts
 * at EL2 which arm of each hyp site ran (CONFIG_ALTCALL_SELFTEST), and the
 * host prints the counts when a VM is destroyed, where it may read hyp
 * memory (arch/arm64/kernel/altcall.c).
 */
#ifndef __ARM64_KVM_HYP_ALTCALL_H__
#define __ARM64_KVM_HYP_ALTCALL_H__

#include <linux/altcall.h>
#include <linux/compiler.h>
#include <linux/types.h>

/* The arms that count. */
enum altcall_hyp_arm {
	/* nVHE __hyp_vgic_save_state()/__hyp_vgic_restore_state() */
	ALTCALL_HYP_VGIC_V2_SAVE,
	ALTCALL_HYP_VGIC_V3_SAVE,
	ALTCALL_HYP_VGIC_V2_RESTORE,
	ALTCALL_HYP_VGIC_V3_RESTORE,
	/* ___activate_traps() in hyp/switch.h, nVHE and VHE */
	ALTCALL_HYP_RAS_VSESR,
	/* altcall_hyp_selftest(): one of each site form */
	ALTCALL_HYP_IF_ARM,
	ALTCALL_HYP_IF_DEFAULT,
	ALTCALL_HYP_IF_NOT_DEFAULT,
	ALTCALL_HYP_IF_NOT_ELSE,
	ALTCALL_HYP_NO_ELSE_ARM,
	ALTCALL_HYP_ELIF_ALL,
	ALTCALL_HYP_ELIF_BOOT,
	ALTCALL_HYP_ELIF_CAP,
	ALTCALL_HYP_ELIF_DEFAULT,
	ALTCALL_HYP_EXPR_ABSENT,
	ALTCALL_HYP_EXPR_PRESENT,
	ALTCALL_HYP_EXPR_DEFAULT,
	ALTCALL_HYP_ARMS
};

/*
 * A boot feature in a hyp site needs the plugin without VHE: nVHE code
 * built without it tests cpucaps only (<linux/altcall.h>).
 */
#if defined(CONFIG_ALTCALL) || !defined(__KVM_NVHE_HYPERVISOR__)
#define ALTCALL_HYP_BOOT_FEATURES	1
#else
#define ALTCALL_HYP_BOOT_FEATURES	0
#endif

/*
 * The selftest's conditions: a cpucap every CPU has, one the test machines
 * lack, and the boot feature of kernel/altcall/'s selftests
 * (altcall_feature=5).
 */
#define ALTCALL_HYP_CAP_PRESENT		ARM64_ALWAYS_BOOT
#define ALTCALL_HYP_CAP_ABSENT		ALTCALL_ARM64_CAP_ABSENT
#define ALTCALL_HYP_BOOT_FEATURE	ALTCALL_BOOT_FEATURE(5)

#include <asm/hyp_image.h>

/* The "no call" target of nVHE sites: EL2 cannot branch to the kernel's. */
void __altcall_nop(void);
/* What nVHE sites built without the plugin test, set by the boot apply. */
extern bool kvm_nvhe_sym(altcall_hyp_enabled);
/* vmlinux.lds.S: the nVHE records and arm tables, in init data. */
extern const struct altcall_site __altcall_hyp_sites_start[];
extern const struct altcall_site __altcall_hyp_sites_end[];
extern const char __altcall_hyp_arms_start[], __altcall_hyp_arms_end[];

#ifdef CONFIG_ALTCALL_SELFTEST
extern u32 altcall_hyp_runs[ALTCALL_HYP_ARMS];
#define altcall_hyp_ran(arm)						\
	WRITE_ONCE(altcall_hyp_runs[arm], READ_ONCE(altcall_hyp_runs[arm]) + 1)
void altcall_hyp_selftest(void);
#else
#define altcall_hyp_ran(arm)	do { } while (0)
static inline void altcall_hyp_selftest(void) { }
#endif

#endif /* __ARM64_KVM_HYP_ALTCALL_H__ */
