/* SPDX-License-Identifier: MIT */
/*
 * altcall ABI: the contract between the GCC plugin, the runtime and the tools.
 * Included by C (runtime, tools) and C++ (plugin); needs no header of its own,
 * so it builds freestanding and inside a kernel.
 *
 * Site record (section ALTCALL_SECTION, one per call instruction, 14 bytes,
 * byte-aligned, little-endian, every field PC-relative to the field itself):
 *
 *   offset size field    meaning
 *   0      4    site     s32: call/jmp instruction - &site
 *   4      4    dflt     s32: default target - &dflt, 0 = "no call"
 *   8      4    alt      s32: alternative target - &alt, 0 = "no call"
 *   12     2    feature  u16: feature word, see below
 *
 * A function-pointer site (alternative_call) has feature ALTCALL_FEATURE_POINTER;
 * its dflt is the trampoline that jumps through the pointer and its alt is
 * the address of the pointer itself.
 *
 * The section is emitted as "aR" (SHF_ALLOC | SHF_GNU_RETAIN) with alignment 1,
 * so concatenated records from many objects never get padding between them,
 * and --gc-sections / -z start-stop-gc keep it.  Only PC-relative references
 * to symbols of the same image are used: no dynamic or text relocations.
 * Why not 12 bytes: the default is kept so the runtime can check a site
 * against exactly what the compiler emitted and switch back to it; the
 * 16-bit feature is what remains (the same 14 bytes as Linux's alt_instr).
 *
 * Feature word (16 bits):
 *   bits 15..14 = class
 *     0: software feature, bits 13..0 = n (n < ALTCALL_SW_FEATURES)
 *     1: function-pointer site: exactly ALTCALL_FEATURE_POINTER
 *     2,3: CPU feature, bits 14..0 encoded per architecture:
 *       x86-64: bit 14 = extended leaf (0x8000_0000 + l), bits 13..9 = leaf l
 *               (0..31), bits 8..7 = subleaf (0..3), bits 6..5 = register
 *               (EAX, EBX, ECX, EDX), bits 4..0 = bit.
 *       arm64:  bit 6 = auxv word (0 = AT_HWCAP, 1 = AT_HWCAP2),
 *               bits 5..0 = bit; bits 14..7 are zero.
 */
#ifndef ALTCALL_ABI_H
#define ALTCALL_ABI_H

#define ALTCALL_SECTION		"altcall_sites"
#define ALTCALL_RECORD_SIZE	14

#define ALTCALL_FCLASS_SHIFT	14
#define ALTCALL_FCLASS_SW	0u
#define ALTCALL_FCLASS_POINTER	1u
#define ALTCALL_FEATURE_POINTER	0x4000u
#define ALTCALL_FEATURE_CPU	0x8000u
#define ALTCALL_FEATURE_CLASS(f)	((unsigned)(f) >> ALTCALL_FCLASS_SHIFT)
#define ALTCALL_FEATURE_IS_CPU(f)	(((unsigned)(f) & ALTCALL_FEATURE_CPU) != 0)
#define ALTCALL_FEATURE_MAX	0xffffu

#define ALTCALL_SW_FEATURES	64

/* x86-64 CPU feature field layout. */
#define ALTCALL_X86_EXT_BIT	14
#define ALTCALL_X86_LEAF_SHIFT	9
#define ALTCALL_X86_SUB_SHIFT	7
#define ALTCALL_X86_REG_SHIFT	5
#define ALTCALL_X86_LEAVES	32	/* per range: 0..31, 0x80000000..0x8000001f */
#define ALTCALL_X86_SUBLEAVES	4
#define ALTCALL_X86_EAX		0
#define ALTCALL_X86_EBX		1
#define ALTCALL_X86_ECX		2
#define ALTCALL_X86_EDX		3
#define ALTCALL_X86_FEATURE_WORD(leaf, subleaf, reg, bit)			\
	(ALTCALL_FEATURE_CPU |							\
	 ((((leaf) >> 31) & 1u) << ALTCALL_X86_EXT_BIT) |			\
	 (((leaf) & 0x1fu) << ALTCALL_X86_LEAF_SHIFT) |				\
	 ((unsigned)(subleaf) << ALTCALL_X86_SUB_SHIFT) |			\
	 ((unsigned)(reg) << ALTCALL_X86_REG_SHIFT) | (unsigned)(bit))

/* arm64 CPU feature field layout. */
#define ALTCALL_A64_WORD_SHIFT	6
#define ALTCALL_A64_BIT_MASK	0x3fu
#define ALTCALL_A64_WORDS	2
#define ALTCALL_A64_FEATURE_WORD(word, bit) \
	(ALTCALL_FEATURE_CPU | ((unsigned)(word) << ALTCALL_A64_WORD_SHIFT) | (unsigned)(bit))

#ifndef __cplusplus
struct altcall_site {
	__INT32_TYPE__ site;
	__INT32_TYPE__ dflt;
	__INT32_TYPE__ alt;
	__UINT16_TYPE__ feature;
} __attribute__((packed));

/* The record layout, checked in every C dialect (no _Static_assert in C89). */
typedef char altcall_site_size_check[sizeof(struct altcall_site) == ALTCALL_RECORD_SIZE ? 1 : -1];
#endif

#endif /* ALTCALL_ABI_H */
