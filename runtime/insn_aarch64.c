/* SPDX-License-Identifier: MIT */
/*
 * arm64 instruction codec of altcall sites (insn.h).
 *
 * Site instruction, one little-endian 32-bit word, as the plugin emits it:
 *	1001 01ii iiii iiii iiii iiii iiii iiii	bl  imm26	(0x94000000)
 *	0001 01ii iiii iiii iiii iiii iiii iiii	b   imm26	(0x14000000, tail call)
 *	target = pc + SignExtend(imm26) * 4, so within [-128 MiB, +128 MiB)
 * and what a call site becomes when it is chosen to make no call:
 *	1101 0101 0000 0011 0010 0000 0001 1111	nop		(0xd503201f)
 *
 * A64 instructions are word-aligned: the word at a pc that is not a
 * multiple of 4 is never an instruction, so it decodes as OTHER whatever
 * its bits (a record pointing there is malformed and the runtime refuses
 * it, ALTCALL_EBADINSN), and nothing is encoded for such a pc.
 */
#include "insn.h"

#define A64_B		0x14000000u
#define A64_BL		0x94000000u
#define A64_B_MASK	0xfc000000u
#define A64_IMM26	0x03ffffffu
#define A64_NOP		0xd503201fu
#define A64_REACH	((__INT64_TYPE__)128 << 20)

static __UINT32_TYPE__ load_le32(const unsigned char *p)
{
	return (__UINT32_TYPE__)p[0] | (__UINT32_TYPE__)p[1] << 8 |
	       (__UINT32_TYPE__)p[2] << 16 | (__UINT32_TYPE__)p[3] << 24;
}

ALTCALL_INDIRECT void altcall_aarch64_decode(const unsigned char *bytes, altcall_addr pc,
			    struct altcall_insn *insn)
{
	__UINT32_TYPE__ word = load_le32(bytes);
	__UINT32_TYPE__ op = word & A64_B_MASK;
	/* imm26 sign-extended, in words. */
	__INT64_TYPE__ offset = (__INT64_TYPE__)((__INT32_TYPE__)((word & A64_IMM26) << 6) >> 6) * 4;

	insn->kind = ALTCALL_INSN_OTHER;
	insn->target = 0;
	if (pc & 3)
		return;
	if (word == A64_NOP) {
		insn->kind = ALTCALL_INSN_NOP;
	} else if (op == A64_BL || op == A64_B) {
		insn->kind = op == A64_BL ? ALTCALL_INSN_CALL : ALTCALL_INSN_JMP;
		insn->target = pc + (altcall_addr)offset;
	}
}

ALTCALL_INDIRECT _Bool altcall_aarch64_encode(altcall_addr pc, const struct altcall_insn *insn,
			     unsigned char *out)
{
	__UINT32_TYPE__ word = A64_NOP;
	unsigned i;

	if (pc & 3 || insn->kind == ALTCALL_INSN_OTHER)
		return 0;
	if (insn->kind == ALTCALL_INSN_CALL || insn->kind == ALTCALL_INSN_JMP) {
		__INT64_TYPE__ offset = (__INT64_TYPE__)(insn->target - pc);

		if (offset & 3 || offset < -A64_REACH || offset >= A64_REACH)
			return 0;
		word = (insn->kind == ALTCALL_INSN_CALL ? A64_BL : A64_B) |
		       ((__UINT32_TYPE__)(offset >> 2) & A64_IMM26);
	}
	for (i = 0; i < 4; i++)
		out[i] = (unsigned char)(word >> (8 * i));
	return 1;
}

const struct altcall_codec altcall_aarch64_codec = {
	ALTCALL_AARCH64_INSN_SIZE, altcall_aarch64_decode, altcall_aarch64_encode,
};
