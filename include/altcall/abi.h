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
 * A site with more than one alternative (ALTERNATIVE_ELIF) or a condition
 * on more than one feature (ALTCALL_ALL) has feature ALTCALL_FEATURE_ARMS;
 * its alt points at its arm table (section ALTCALL_ARMS_SECTION, "a",
 * alignment 1), which the record section never contains, so records keep
 * their 14-byte stride:
 *
 *   offset size  field
 *   0      1     n: arms besides the default, 1 .. ALTCALL_MAX_ARMS - 1 (16)
 *   then n arms, in source order (the first whose condition holds wins):
 *   +0     4     target   s32: arm's target - &target, 0 = "no call"
 *   +4     1     k: features of the condition, 1 .. ALTCALL_MAX_FEATURES
 *   +5     2k    feature  u16 each: all k must be present (none of class 1)
 *
 * Every other word of class 1 is a record kind of a later ABI: a runtime
 * that meets one refuses the record (ALTCALL_EFEATURE) and reads nothing
 * it points to.
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
 *     1: not a feature but a record kind: ALTCALL_FEATURE_POINTER,
 *        ALTCALL_FEATURE_ARMS; other values are reserved
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
#define ALTCALL_FEATURE_ARMS	0x4001u
#define ALTCALL_FEATURE_CPU	0x8000u
#define ALTCALL_FEATURE_CLASS(f)	((unsigned)(f) >> ALTCALL_FCLASS_SHIFT)
#define ALTCALL_FEATURE_IS_CPU(f)	(((unsigned)(f) & ALTCALL_FEATURE_CPU) != 0)
#define ALTCALL_FEATURE_MAX	0xffffu

#define ALTCALL_SW_FEATURES	64

/* How <altcall.h> tells the plugin which macro wrote a condition: the
 * first argument of its marker __altcall_cond(kind, word...). */
#define ALTCALL_COND_IF		0
#define ALTCALL_COND_IF_NOT	1
#define ALTCALL_COND_ELIF	2

/* Arm tables (ALTCALL_FEATURE_ARMS sites). */
#define ALTCALL_ARMS_SECTION	".rodata.altcall_arms"
/* Of a site, its default included: 16 arms with a condition (an
 * ALTERNATIVE_IF and 15 ALTERNATIVE_ELIF) and the ELSE arm or "no call". */
#define ALTCALL_MAX_ARMS	17
#define ALTCALL_MAX_FEATURES	8	/* of one condition (ALTCALL_ALL) */
#define ALTCALL_ARMS_COUNT	0	/* u8 n, then the arms */
#define ALTCALL_ARMS_FIRST	1
#define ALTCALL_ARM_TARGET	0	/* offsets within an arm */
#define ALTCALL_ARM_NFEATURES	4
#define ALTCALL_ARM_FEATURES	5
#define ALTCALL_ARM_SIZE(k)	(ALTCALL_ARM_FEATURES + 2 * (k))
/* The largest table: what a reader may need to hold or bound. */
#define ALTCALL_ARMS_MAX_SIZE \
	(ALTCALL_ARMS_FIRST + (ALTCALL_MAX_ARMS - 1) * ALTCALL_ARM_SIZE(ALTCALL_MAX_FEATURES))

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

/* Record field offsets, in bytes from the start of the record. */
#define ALTCALL_RECORD_SITE	0
#define ALTCALL_RECORD_DFLT	4
#define ALTCALL_RECORD_ALT	8
#define ALTCALL_RECORD_FEATURE	12

/* A dflt or alt field of this value means "no call" (a site field of 0
 * would point at the record itself: a malformed record). */
#define ALTCALL_NO_CALL		0

/* Both targets are LP64: an alternative_call pointer is 8 bytes, and the
 * runtime reads it only if it is naturally aligned. */
#define ALTCALL_POINTER_SIZE	8

#ifndef __cplusplus
struct altcall_site {
	__INT32_TYPE__ site;
	__INT32_TYPE__ dflt;
	__INT32_TYPE__ alt;
	__UINT16_TYPE__ feature;
} __attribute__((__packed__));

/* The record layout, checked in every C dialect (no _Static_assert in C89). */
typedef char altcall_site_size_check[sizeof(struct altcall_site) == ALTCALL_RECORD_SIZE ? 1 : -1];
typedef char altcall_site_offset_check[
	__builtin_offsetof(struct altcall_site, dflt) == ALTCALL_RECORD_DFLT &&
	__builtin_offsetof(struct altcall_site, alt) == ALTCALL_RECORD_ALT &&
	__builtin_offsetof(struct altcall_site, feature) == ALTCALL_RECORD_FEATURE ? 1 : -1];

/*
 * Record accessors.  Every reader of records (the runtime core, the
 * altcall-sites inspector, the fuzz harness) goes through these, so the
 * field rules exist once.  They work on the record's bytes and the address
 * those bytes have in the image (its load address for the runtime, its
 * virtual address in an ELF file for the inspector): fields are read
 * little-endian byte by byte, whatever the host, and GCC turns each into
 * one load on a little-endian machine.  An address is 64 bits on every
 * host (the inspector may read a file for another machine).
 */
__extension__ typedef __UINT64_TYPE__ altcall_addr;

/* The raw s32 of the PC-relative field at offset field of the record bytes. */
static __inline__ __INT32_TYPE__ altcall_record_rel(const unsigned char *rec,
						     unsigned field)
{
	const unsigned char *p = rec + field;

	return (__INT32_TYPE__)((__UINT32_TYPE__)p[0] | (__UINT32_TYPE__)p[1] << 8 |
				(__UINT32_TYPE__)p[2] << 16 | (__UINT32_TYPE__)p[3] << 24);
}

/* The feature word of the record bytes. */
static __inline__ unsigned altcall_record_feature(const unsigned char *rec)
{
	return (unsigned)rec[ALTCALL_RECORD_FEATURE] |
	       (unsigned)rec[ALTCALL_RECORD_FEATURE + 1] << 8;
}

/* Where a PC-relative field points: the field's own address plus its
 * value (the site field, and a target field that is not "no call"). */
static __inline__ altcall_addr altcall_field_points_to(altcall_addr field_addr,
							__INT32_TYPE__ rel)
{
	return field_addr + (altcall_addr)(__extension__ (long long)rel);
}

/* The absolute address of the field at offset field of the record at
 * rec_addr whose bytes are rec; 0 for ALTCALL_NO_CALL. */
static __inline__ altcall_addr altcall_record_target(const unsigned char *rec,
						      altcall_addr rec_addr,
						      unsigned field)
{
	__INT32_TYPE__ rel = altcall_record_rel(rec, field);

	return rel == ALTCALL_NO_CALL ? 0 : altcall_field_points_to(rec_addr + field, rel);
}

/* A record with its fields resolved to absolute addresses, 0 = "no call"
 * (site 0: a malformed record). */
struct altcall_site_resolved {
	altcall_addr site;
	altcall_addr dflt;
	altcall_addr alt;
	unsigned feature;
};

static __inline__ void altcall_record_resolve(const unsigned char *rec,
					      altcall_addr rec_addr,
					      struct altcall_site_resolved *out)
{
	out->site = altcall_record_target(rec, rec_addr, ALTCALL_RECORD_SITE);
	out->dflt = altcall_record_target(rec, rec_addr, ALTCALL_RECORD_DFLT);
	out->alt = altcall_record_target(rec, rec_addr, ALTCALL_RECORD_ALT);
	out->feature = altcall_record_feature(rec);
}

/*
 * Arm-table accessors (ALTCALL_FEATURE_ARMS records), in the style of the
 * record accessors: they read the bytes of the table, or of one arm, that
 * the caller has copied (a runtime reads a table only where its platform
 * says it may, so a table is never read in place), and a target is
 * resolved against the address those bytes have in the image.  An arm is
 * ALTCALL_ARM_SIZE(k) bytes: the next one starts there.
 */

/* n: how many arms the table has besides the default. */
static __inline__ unsigned altcall_arms_count(const unsigned char *table)
{
	return table[ALTCALL_ARMS_COUNT];
}

/* Is n a count a table may have (1 .. ALTCALL_MAX_ARMS - 1)? */
static __inline__ int altcall_arms_count_valid(unsigned n)
{
	return n >= 1 && n <= ALTCALL_MAX_ARMS - 1;
}

/* k: how many features the condition of the arm whose bytes are arm has. */
static __inline__ unsigned altcall_arm_nfeatures(const unsigned char *arm)
{
	return arm[ALTCALL_ARM_NFEATURES];
}

/* Is k a feature count an arm may have (1 .. ALTCALL_MAX_FEATURES)? */
static __inline__ int altcall_arm_nfeatures_valid(unsigned k)
{
	return k >= 1 && k <= ALTCALL_MAX_FEATURES;
}

/* Feature word i (< k) of the arm's condition. */
static __inline__ unsigned altcall_arm_feature(const unsigned char *arm, unsigned i)
{
	const unsigned char *p = arm + ALTCALL_ARM_FEATURES + 2 * i;

	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The arm's target, for the arm whose bytes are arm at arm_addr; 0 for
 * ALTCALL_NO_CALL. */
static __inline__ altcall_addr altcall_arm_target(const unsigned char *arm,
						   altcall_addr arm_addr)
{
	return altcall_record_target(arm, arm_addr, ALTCALL_ARM_TARGET);
}

/* ---- feature words ----------------------------------------------------- */

/* Class tests on a 16-bit word (a wider value is no feature). */
static __inline__ int altcall_feature_is_sw(unsigned f)
{
	return f <= ALTCALL_FEATURE_MAX && ALTCALL_FEATURE_CLASS(f) == ALTCALL_FCLASS_SW;
}

static __inline__ int altcall_feature_is_pointer_site(unsigned f)
{
	return f == ALTCALL_FEATURE_POINTER;
}

/* A record whose alt is an arm table. */
static __inline__ int altcall_feature_is_arms_site(unsigned f)
{
	return f == ALTCALL_FEATURE_ARMS;
}

static __inline__ int altcall_feature_is_cpu(unsigned f)
{
	return f <= ALTCALL_FEATURE_MAX && ALTCALL_FEATURE_IS_CPU(f);
}

/* Software feature n of a software word. */
#define ALTCALL_SW_INDEX(f)	((unsigned)(f) & 0x3fffu)

/* x86-64 CPU word: the cpuid leaf (0x8000_0000 + l for an extended one),
 * subleaf, register (ALTCALL_X86_EAX..EDX) and bit. */
static __inline__ unsigned long altcall_x86_feature_leaf(unsigned f)
{
	return (f >> ALTCALL_X86_LEAF_SHIFT & (ALTCALL_X86_LEAVES - 1)) |
	       (f >> ALTCALL_X86_EXT_BIT & 1 ? 0x80000000ul : 0);
}
#define ALTCALL_X86_FEATURE_SUBLEAF(f)	((unsigned)(f) >> ALTCALL_X86_SUB_SHIFT & (ALTCALL_X86_SUBLEAVES - 1))
#define ALTCALL_X86_FEATURE_REG(f)	((unsigned)(f) >> ALTCALL_X86_REG_SHIFT & 3u)
#define ALTCALL_X86_FEATURE_BIT(f)	((unsigned)(f) & 31u)

/* arm64 CPU word: the auxv word (0 = AT_HWCAP, 1 = AT_HWCAP2) and bit. */
#define ALTCALL_A64_FEATURE_AUXV(f)	((unsigned)(f) >> ALTCALL_A64_WORD_SHIFT & 1u)
#define ALTCALL_A64_FEATURE_BIT(f)	((unsigned)(f) & ALTCALL_A64_BIT_MASK)

/* Every 15-bit pattern of the CPU class is a cpuid bit. */
static __inline__ int altcall_x86_64_cpu_feature_valid(unsigned f)
{
	return altcall_feature_is_cpu(f);
}

/* Only the auxv-word bit and the bit number may be set. */
static __inline__ int altcall_aarch64_cpu_feature_valid(unsigned f)
{
	return altcall_feature_is_cpu(f) &&
	       (f & ~(ALTCALL_FEATURE_CPU | 1u << ALTCALL_A64_WORD_SHIFT |
		      ALTCALL_A64_BIT_MASK)) == 0;
}

/*
 * A feature a site can test and a program can set: a software feature or
 * a CPU feature of the architecture.  The pointer-site class is a record
 * kind, not a feature.
 */
static __inline__ int altcall_x86_64_feature_valid(unsigned f)
{
	return altcall_feature_is_sw(f) ? f < ALTCALL_SW_FEATURES
					: altcall_x86_64_cpu_feature_valid(f);
}

static __inline__ int altcall_aarch64_feature_valid(unsigned f)
{
	return altcall_feature_is_sw(f) ? f < ALTCALL_SW_FEATURES
					: altcall_aarch64_cpu_feature_valid(f);
}
#endif /* !__cplusplus */

#endif /* ALTCALL_ABI_H */
