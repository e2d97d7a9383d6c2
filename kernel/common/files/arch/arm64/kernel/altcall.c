// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 primitives of the altcall kernel platform (kernel/altcall/altcall.c).
 * A site is one b, bl or nop: the instructions the architecture lets
 * software change while other CPUs execute them (see the runtime's
 * arch_aarch64.c).
 */
#include <linux/altcall.h>
#include <linux/altcall_compat.h>
#include <linux/cpu.h>
#include <asm/cpufeature.h>
#include <asm/hwcap.h>
#include <asm/patching.h>
#include <altcall/runtime.h>

bool arch_altcall_cpu_has(unsigned int cap)
{
	return cap < ALTCALL_KERNEL_NCAPS && cpus_have_cap(cap);
}

/* Not used with the kernel platform's cpu_has; the runtime links it. */
void altcall_aarch64_hwcaps(unsigned long long hwcaps[2])
{
	hwcaps[0] = cpu_get_elf_hwcap();
	hwcaps[1] = cpu_get_elf_hwcap2();
}

static u32 patch_insn(const struct altcall_patch *p)
{
	return get_unaligned_le32(p->bytes);
}

/* A module that cannot run yet: write and clean to the PoU. */
unsigned int arch_altcall_write_early(const struct altcall_patch *p,
				      unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (aarch64_insn_patch_text_nosync(p[i].addr, patch_insn(&p[i])))
			break;
	return i;
}

/*
 * Other CPUs may be running the sites: write under stop_machine, so that
 * every CPU has executed an ISB when this returns.
 */
unsigned int arch_altcall_write_live(const struct altcall_patch *p,
				     unsigned int n)
{
	void *addrs[8];
	u32 insns[8];
	unsigned int done = 0, i;

	while (done < n) {
		for (i = 0; i < ARRAY_SIZE(addrs) && done + i < n; i++) {
			addrs[i] = p[done + i].addr;
			insns[i] = patch_insn(&p[done + i]);
		}
		cpus_read_lock();
		if (aarch64_insn_patch_text(addrs, insns, i)) {
			cpus_read_unlock();
			break;
		}
		cpus_read_unlock();
		done += i;
	}
	return done;
}

#ifdef CONFIG_KVM
#include <asm/kvm_asm.h>
#include <asm/kvm_host.h>
#include <asm/sections.h>
#include <asm/virt.h>
#include "../kvm/hyp/include/hyp/altcall.h"

DECLARE_KVM_NVHE_SYM(__altcall_nop);

/*
 * KVM's nVHE hyp code, from smp_cpus_done(): EL2 maps hyp text later
 * (kvm_arch_init()), at the same physical pages, and has not run it yet,
 * so a hyp site patched now needs no EL2 cache maintenance.  After
 * finalize_hyp_mode() the host may not read it in protected mode: nothing
 * but this apply ever touches it.  Its sites are applied even where EL2
 * will never run them (no EL2, VHE): the writes are harmless.
 */
const struct altcall_boot_image * __init arch_altcall_boot_image(bool enabled)
{
	static const struct altcall_boot_image nvhe __initconst = {
		.name = "kvm nvhe",
		.start = __altcall_hyp_sites_start,
		.stop = __altcall_hyp_sites_end,
		.nop = kvm_nvhe_sym(__altcall_nop),
		.text = __hyp_text_start,
		.text_end = __hyp_text_end,
		.tables = __altcall_hyp_arms_start,
		.tables_end = __altcall_hyp_arms_end,
	};

	/* nVHE sites built without the plugin test cpucaps unless off. */
	kvm_nvhe_sym(altcall_hyp_enabled) = enabled;
	return IS_ENABLED(CONFIG_ALTCALL) ? &nvhe : NULL;
}
#else
const struct altcall_boot_image * __init arch_altcall_boot_image(bool enabled)
{
	return NULL;
}
#endif /* CONFIG_KVM */

#if defined(CONFIG_KVM) && defined(CONFIG_ALTCALL_SELFTEST)
DECLARE_KVM_NVHE_SYM(altcall_hyp_runs);

static const char *const hyp_arm_names[ALTCALL_HYP_ARMS] = {
	[ALTCALL_HYP_VGIC_V2_SAVE] = "vgic v2 save",
	[ALTCALL_HYP_VGIC_V3_SAVE] = "vgic v3 save",
	[ALTCALL_HYP_VGIC_V2_RESTORE] = "vgic v2 restore",
	[ALTCALL_HYP_VGIC_V3_RESTORE] = "vgic v3 restore",
	[ALTCALL_HYP_RAS_VSESR] = "ras vsesr",
	[ALTCALL_HYP_IF_ARM] = "if arm",
	[ALTCALL_HYP_IF_DEFAULT] = "if default",
	[ALTCALL_HYP_IF_NOT_DEFAULT] = "if-not default",
	[ALTCALL_HYP_IF_NOT_ELSE] = "if-not else",
	[ALTCALL_HYP_NO_ELSE_ARM] = "no-else arm",
	[ALTCALL_HYP_ELIF_ALL] = "elif all",
	[ALTCALL_HYP_ELIF_BOOT] = "elif boot",
	[ALTCALL_HYP_ELIF_CAP] = "elif cap",
	[ALTCALL_HYP_ELIF_DEFAULT] = "elif default",
	[ALTCALL_HYP_EXPR_ABSENT] = "expr absent",
	[ALTCALL_HYP_EXPR_PRESENT] = "expr present",
	[ALTCALL_HYP_EXPR_DEFAULT] = "expr default",
};

/*
 * Which arms must have run, for the state of the boot apply: a hyp site
 * never follows a later change.  vhe: the sites built into vmlinux
 * (which read boot features even without the plugin).  Returns how many
 * of the selftest's sites take an alternative.
 */
static int hyp_expected(bool vhe, bool want[ALTCALL_HYP_ARMS])
{
	bool on = altcall_enabled();
	bool present = on && cpus_have_cap(ALTCALL_HYP_CAP_PRESENT);
	bool absent = on && cpus_have_cap(ALTCALL_HYP_CAP_ABSENT);
	bool boot = on && (vhe || IS_ENABLED(CONFIG_ALTCALL)) &&
		    altcall_feature_enabled(ALTCALL_FEATURE_WORD(ALTCALL_HYP_BOOT_FEATURE));
	bool v3 = on && cpus_have_cap(ALTCALL_ARM64_CAP_GIC_SYSREGS);

	memset(want, 0, ALTCALL_HYP_ARMS * sizeof(*want));
	/* nVHE code only: VHE saves the vGIC on its own path. */
	if (!vhe) {
		want[v3 ? ALTCALL_HYP_VGIC_V3_SAVE : ALTCALL_HYP_VGIC_V2_SAVE] = true;
		want[v3 ? ALTCALL_HYP_VGIC_V3_RESTORE :
			  ALTCALL_HYP_VGIC_V2_RESTORE] = true;
	}
	want[ALTCALL_HYP_RAS_VSESR] = on && cpus_have_cap(ARM64_HAS_RAS_EXTN);
	want[present ? ALTCALL_HYP_IF_ARM : ALTCALL_HYP_IF_DEFAULT] = true;
	want[present ? ALTCALL_HYP_IF_NOT_ELSE :
		       ALTCALL_HYP_IF_NOT_DEFAULT] = true;
	want[ALTCALL_HYP_NO_ELSE_ARM] = present;
	want[present && absent ? ALTCALL_HYP_ELIF_ALL :
	     boot ? ALTCALL_HYP_ELIF_BOOT :
	     present ? ALTCALL_HYP_ELIF_CAP : ALTCALL_HYP_ELIF_DEFAULT] = true;
	want[absent ? ALTCALL_HYP_EXPR_ABSENT :
	     present ? ALTCALL_HYP_EXPR_PRESENT :
		       ALTCALL_HYP_EXPR_DEFAULT] = true;
	/* if, if-not and no-else, elif, expr */
	return 3 * present + (present || boot) + (present || absent);
}

void altcall_kvm_selftest_report(void)
{
	const char *mode = is_protected_kvm_enabled() ? "protected" :
			   has_vhe() ? "vhe" : "nvhe";
	bool want[ALTCALL_HYP_ARMS];
	const u32 *runs;
	char ran[160];
	int i, len = 0, wrong = 0, alternatives;

	/* Protected: hyp memory is EL2's, a read would be a HYP panic. */
	if (is_protected_kvm_enabled()) {
		pr_info("altcall hyp selftest (%s): hyp memory is EL2's: not read\n",
			mode);
		return;
	}
	runs = has_vhe() ? altcall_hyp_runs :
			   (const u32 *)kvm_nvhe_sym(altcall_hyp_runs);
	alternatives = hyp_expected(has_vhe(), want);
	for (i = 0; i < ALTCALL_HYP_ARMS; i++) {
		u32 n = READ_ONCE(runs[i]);

		if (!n != !want[i]) {
			pr_err("altcall hyp selftest (%s): FAILED: %s ran %u times, %s\n",
			       mode, hyp_arm_names[i], n,
			       want[i] ? "should have run" : "should not");
			wrong++;
		}
		if (n && len < sizeof(ran))
			len += scnprintf(ran + len, sizeof(ran) - len, "%s%s",
					 len ? ", " : "", hyp_arm_names[i]);
	}
	if (!wrong)
		pr_info("altcall hyp selftest (%s): passed: the arms the boot apply chose ran at EL2 (%d alternatives): %s\n",
			mode, alternatives, ran);
}
#endif /* CONFIG_KVM && CONFIG_ALTCALL_SELFTEST */
