/* SPDX-License-Identifier: MIT */
/*
 * arm64 backend of the altcall core: the codec (insn_aarch64.c, where the
 * site instruction is laid out) and CPU feature detection.
 *
 * Reach: a target more than 128 MiB away is refused (ALTCALL_ERANGE): the
 * site keeps calling its default and the refusal is reported.  The runtime
 * allocates no veneer; see docs/runtime.md.  A site whose default the
 * linker reached through a veneer is likewise refused (its bl does not
 * point at the default).
 *
 * Concurrency: B, BL and NOP are among the instructions the Arm ARM lets
 * software modify while other PEs may execute them ("concurrent
 * modification and execution of instructions"): a PE then executes either
 * the old or the new instruction, never a mix, provided the write is one
 * naturally aligned 32-bit store.  The platform's write_text (or poke)
 * must do that store and then the cache maintenance: clean the D-cache
 * line to the point of unification (DC CVAU), DSB ISH, invalidate the
 * I-cache line (IC IVAU), DSB ISH (user space: __builtin___clear_cache);
 * and the PEs that will execute it need a context synchronisation event
 * (ISB) before the apply returns: the live protocol's sync_cores (poke.c;
 * user space: membarrier SYNC_CORE).  x86 has no such guarantee for its
 * 5-byte call: there the core runs the int3 protocol (poke.c).
 *
 * CPU features are the Linux auxv words AT_HWCAP and AT_HWCAP2; the core is
 * freestanding, so the platform hands them over through
 * altcall_aarch64_hwcaps() (user space: getauxval; a kernel: elf_hwcap).
 */
#include "arch.h"

const struct altcall_codec *const altcall_arch_codec = &altcall_aarch64_codec;

/* No trap: one aligned 32-bit store replaces a site whole (above). */
const int altcall_arch_live_trap = -1;

bool altcall_arch_trap_gone(const u8 *site)
{
	(void)site;
	return false;	/* no trap */
}

bool altcall_arch_feature_valid(unsigned f)
{
	return altcall_aarch64_feature_valid(f);
}

bool altcall_arch_cpu_has(unsigned f)
{
	unsigned long long hwcaps[ALTCALL_A64_WORDS];

	if (!altcall_aarch64_cpu_feature_valid(f))
		return false;
	altcall_aarch64_hwcaps(hwcaps);
	return hwcaps[ALTCALL_A64_FEATURE_AUXV(f)] >> ALTCALL_A64_FEATURE_BIT(f) & 1;
}
