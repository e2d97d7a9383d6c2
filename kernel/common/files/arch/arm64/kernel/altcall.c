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
