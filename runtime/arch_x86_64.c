/* SPDX-License-Identifier: MIT */
/*
 * x86-64 backend of the altcall core.
 *
 * Site instruction, 5 bytes, as the plugin emits it:
 *	E8 d0 d1 d2 d3		call rel32	target = site + 5 + rel32
 *	E9 d0 d1 d2 d3		jmp  rel32	(a tail call)
 * and what a call site becomes when it is chosen to make no call:
 *	0F 1F 44 00 00		nopl 0x0(%rax,%rax,1)	(the 5-byte NOP)
 * A jmp site never becomes a NOP (execution would fall into whatever
 * follows); it jumps to __altcall_nop instead.
 *
 * Concurrency: the core writes a 5-byte instruction with plain stores,
 * which is only safe while no other CPU can execute it (boot, or
 * stop_machine).  Live patching needs the int3 protocol of Linux's
 * text_poke_bp(): that belongs in a kernel platform's write_text.
 *
 * CPU features are cpuid bits (layout in altcall/abi.h), read once per
 * (leaf, subleaf) and sanitised like the kernel does: a feature whose
 * register state the OS does not enable in XCR0 (AVX, AVX2, FMA, F16C,
 * AVX-512) reads as absent.
 */
#include "arch.h"

const unsigned altcall_arch_insn_size = 5;

static const u8 nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

void altcall_arch_decode(const u8 *addr, struct altcall_insn *insn)
{
	s32 rel = (s32)((u32)addr[1] | (u32)addr[2] << 8 | (u32)addr[3] << 16 |
			(u32)addr[4] << 24);

	insn->kind = ALTCALL_INSN_OTHER;
	insn->target = 0;
	if (addr[0] == 0xe8 || addr[0] == 0xe9) {
		insn->kind = addr[0] == 0xe8 ? ALTCALL_INSN_CALL : ALTCALL_INSN_JMP;
		insn->target = (uptr)addr + 5 + (uptr)(s64)rel;
		return;
	}
	for (unsigned i = 0; i < 5; i++)
		if (addr[i] != nop5[i])
			return;
	insn->kind = ALTCALL_INSN_NOP;
}

bool altcall_arch_encode(uptr addr, const struct altcall_insn *insn, u8 *out)
{
	s64 rel = (s64)(insn->target - (addr + 5));

	if (insn->kind == ALTCALL_INSN_NOP) {
		for (unsigned i = 0; i < 5; i++)
			out[i] = nop5[i];
		return true;
	}
	if (rel != (s64)(s32)rel)
		return false;
	out[0] = insn->kind == ALTCALL_INSN_CALL ? 0xe8 : 0xe9;
	for (unsigned i = 0; i < 4; i++)
		out[1 + i] = (u8)((u64)rel >> (8 * i));
	return true;
}

/* ---- CPU features ------------------------------------------------------ */

struct cpuid_regs {
	bool valid;
	u32 r[4];	/* eax, ebx, ecx, edx */
};

static struct cpuid_regs cpuid_cache[2][ALTCALL_X86_LEAVES][ALTCALL_X86_SUBLEAVES];
static u32 max_leaf[2];
static bool probed;

static void cpuid(u32 leaf, u32 subleaf, u32 r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(subleaf));
}

static u64 xgetbv0(void)
{
	u32 lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (u64)hi << 32 | lo;
}

#define XCR0_SSE_AVX	0x06u	/* XMM | YMM */
#define XCR0_AVX512	0xe6u	/* XMM | YMM | opmask | ZMM_Hi256 | Hi16_ZMM */

/* Clear bits whose register state the OS does not save. */
static void sanitise(u32 ext, u32 leaf, u32 subleaf, u32 r[4])
{
	static u64 xcr0;
	static bool xcr0_read;
	bool avx_ok, avx512_ok;

	if (!xcr0_read) {
		u32 l1[4];
		cpuid(1, 0, l1);
		xcr0 = (l1[2] >> 27 & 1) ? xgetbv0() : 0;	/* OSXSAVE */
		xcr0_read = true;
	}
	avx_ok = (xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX;
	avx512_ok = (xcr0 & XCR0_AVX512) == XCR0_AVX512;

	if (ext)
		return;
	if (leaf == 1 && !avx_ok)
		r[2] &= ~(1u << 28 | 1u << 12 | 1u << 29);	/* AVX FMA F16C */
	if (leaf == 7 && subleaf == 0) {
		if (!avx_ok)
			r[1] &= ~(1u << 5);			/* AVX2 */
		if (!avx512_ok) {
			r[1] &= ~0xdc230000u;	/* AVX512 F DQ IFMA PF ER CD BW VL */
			r[2] &= ~0x00005842u;	/* AVX512 VBMI VBMI2 VNNI BITALG VPOPCNTDQ */
			r[3] &= ~0x0000010cu;	/* AVX512 4VNNIW 4FMAPS VP2INTERSECT */
		}
	}
}

static void probe(void)
{
	u32 r[4];

	cpuid(0, 0, r);
	max_leaf[0] = r[0];
	cpuid(0x80000000u, 0, r);
	max_leaf[1] = r[0] >= 0x80000000u ? r[0] - 0x80000000u : 0;
	probed = true;
}

bool altcall_arch_cpu_feature_valid(unsigned f)
{
	return ALTCALL_FEATURE_IS_CPU(f);	/* every 15-bit pattern is a cpuid bit */
}

bool altcall_arch_cpu_has(unsigned f)
{
	u32 ext = f >> ALTCALL_X86_EXT_BIT & 1;
	u32 leaf = f >> ALTCALL_X86_LEAF_SHIFT & (ALTCALL_X86_LEAVES - 1);
	u32 subleaf = f >> ALTCALL_X86_SUB_SHIFT & (ALTCALL_X86_SUBLEAVES - 1);
	u32 reg = f >> ALTCALL_X86_REG_SHIFT & 3;
	u32 bit = f & 31;
	struct cpuid_regs *c;

	if (!ALTCALL_FEATURE_IS_CPU(f))
		return false;
	if (!probed)
		probe();
	if (leaf > max_leaf[ext])
		return false;
	c = &cpuid_cache[ext][leaf][subleaf];
	if (!c->valid) {
		u32 full = ext ? 0x80000000u + leaf : leaf;
		cpuid(full, subleaf, c->r);
		sanitise(ext, leaf, subleaf, c->r);
		c->valid = true;
	}
	return c->r[reg] >> bit & 1;
}
