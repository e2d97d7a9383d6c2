/* SPDX-License-Identifier: MIT */
/*
 * x86-64 backend of the altcall core: the codec (insn_x86_64.c, where the
 * site instruction is laid out) and CPU feature detection.
 *
 * Concurrency: a 5-byte instruction written with plain stores while
 * another CPU runs it may be fetched torn (it may straddle a fetch block or
 * a cache line, and the stores land one by one).  write_text does that
 * only while no other CPU can execute it (boot, or stop_machine); live,
 * the core runs the int3 protocol of Linux's text_poke_bp() (poke.c),
 * with INT3 below as the trap byte.
 *
 * CPU features are cpuid bits (layout in altcall/abi.h), read once per
 * (leaf, subleaf) and sanitised like the kernel does: a feature whose
 * register state the OS does not enable in XCR0 (AVX, AVX2, FMA, F16C,
 * AVX-512) reads as absent.
 */
#include "arch.h"

const struct altcall_codec *const altcall_arch_codec = &altcall_x86_64_codec;

/* int3: one byte, so one store puts it whole over a site's first byte. */
const int altcall_arch_live_trap = 0xcc;

/*
 * A foreign int3 is still there (CC), or was the 2-byte "int $3" (CD 03:
 * site is its 03); an int3 of ours was replaced by a call (E8), a jmp (E9)
 * or the NOP (0F 1F 44 00 00).  The first byte is checked before the rest
 * is read, so nothing past a foreign trap is touched.
 */
bool altcall_arch_trap_gone(const u8 *site)
{
	struct altcall_insn now;
	u8 first = *(const volatile u8 *)site;

	if (first != 0xe8 && first != 0xe9 && first != 0x0f)
		return false;
	altcall_arch_codec->decode(site, (uptr)site, &now);
	return now.kind != ALTCALL_INSN_OTHER;
}

bool altcall_arch_feature_valid(unsigned f)
{
	return altcall_x86_64_feature_valid(f);
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

bool altcall_arch_cpu_has(unsigned f)
{
	u32 full_leaf = (u32)altcall_x86_feature_leaf(f);
	u32 ext = full_leaf >> 31;
	u32 leaf = full_leaf & (ALTCALL_X86_LEAVES - 1);
	u32 subleaf = ALTCALL_X86_FEATURE_SUBLEAF(f);
	u32 reg = ALTCALL_X86_FEATURE_REG(f);
	u32 bit = ALTCALL_X86_FEATURE_BIT(f);
	struct cpuid_regs *c;

	if (!altcall_x86_64_cpu_feature_valid(f))
		return false;
	if (!probed)
		probe();
	if (leaf > max_leaf[ext])
		return false;
	c = &cpuid_cache[ext][leaf][subleaf];
	if (!c->valid) {
		cpuid(full_leaf, subleaf, c->r);
		sanitise(ext, leaf, subleaf, c->r);
		c->valid = true;
	}
	return c->r[reg] >> bit & 1;
}
