/* SPDX-License-Identifier: MIT */
/*
 * arm64 backend of the altcall core.
 *
 * Site instruction, one little-endian 32-bit word, as the plugin emits it:
 *	1001 01ii iiii iiii iiii iiii iiii iiii	bl  imm26	(0x94000000)
 *	0001 01ii iiii iiii iiii iiii iiii iiii	b   imm26	(0x14000000, tail call)
 *	target = site + SignExtend(imm26) * 4, so within +-128 MiB
 * and what a call site becomes when it is chosen to make no call:
 *	1101 0101 0000 0011 0010 0000 0001 1111	nop		(0xd503201f)
 * A b site never becomes a NOP; it branches to __altcall_nop instead.
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
 * naturally aligned 32-bit store.  The platform's write_text must do that
 * store and then the cache maintenance: clean the D-cache line to the
 * point of unification (DC CVAU), DSB ISH, invalidate the I-cache line
 * (IC IVAU), DSB ISH, and ISB on the PEs that will execute it (user space:
 * __builtin___clear_cache does all but the remote ISB, which the kernel
 * handles on exception return).  x86 has no such guarantee for its 5-byte
 * call: there a live patch needs the int3 protocol (text_poke_bp).
 *
 * CPU features are the Linux auxv words AT_HWCAP and AT_HWCAP2; the core is
 * freestanding, so the platform hands them over through
 * altcall_aarch64_hwcaps() (user space: getauxval; a kernel: elf_hwcap).
 */
#include "arch.h"

const unsigned altcall_arch_insn_size = 4;

#define A64_B		0x14000000u
#define A64_BL		0x94000000u
#define A64_B_MASK	0xfc000000u
#define A64_IMM26	0x03ffffffu
#define A64_NOP		0xd503201fu
#define A64_REACH	(128ll << 20)

static u32 load32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

void altcall_arch_decode(const u8 *addr, struct altcall_insn *insn)
{
	u32 word = load32(addr);
	s64 offset = (s64)((s32)((word & A64_IMM26) << 6) >> 6) * 4;

	insn->kind = ALTCALL_INSN_OTHER;
	insn->target = 0;
	if ((uptr)addr & 3)
		return;		/* instructions are word-aligned: not a site */
	if (word == A64_NOP) {
		insn->kind = ALTCALL_INSN_NOP;
	} else if ((word & A64_B_MASK) == A64_BL || (word & A64_B_MASK) == A64_B) {
		insn->kind = (word & A64_B_MASK) == A64_BL ? ALTCALL_INSN_CALL
							   : ALTCALL_INSN_JMP;
		insn->target = (uptr)addr + (uptr)offset;
	}
}

bool altcall_arch_encode(uptr addr, const struct altcall_insn *insn, u8 *out)
{
	u32 word = A64_NOP;

	if (insn->kind != ALTCALL_INSN_NOP) {
		s64 offset = (s64)(insn->target - addr);
		if (offset & 3 || offset < -A64_REACH || offset >= A64_REACH)
			return false;
		word = (insn->kind == ALTCALL_INSN_CALL ? A64_BL : A64_B) |
		       ((u32)(offset >> 2) & A64_IMM26);
	}
	for (unsigned i = 0; i < 4; i++)
		out[i] = (u8)(word >> (8 * i));
	return true;
}

bool altcall_arch_cpu_feature_valid(unsigned f)
{
	return ALTCALL_FEATURE_IS_CPU(f) &&
	       (f & ~(ALTCALL_FEATURE_CPU | 1u << ALTCALL_A64_WORD_SHIFT |
		      ALTCALL_A64_BIT_MASK)) == 0;
}

bool altcall_arch_cpu_has(unsigned f)
{
	unsigned long long hwcaps[ALTCALL_A64_WORDS];

	if (!altcall_arch_cpu_feature_valid(f))
		return false;
	altcall_aarch64_hwcaps(hwcaps);
	return hwcaps[f >> ALTCALL_A64_WORD_SHIFT & 1] >> (f & ALTCALL_A64_BIT_MASK) & 1;
}
