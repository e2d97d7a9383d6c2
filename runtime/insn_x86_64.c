/* SPDX-License-Identifier: MIT */
/*
 * x86-64 instruction codec of altcall sites (insn.h).
 *
 * Site instruction, 5 bytes, as the plugin emits it:
 *	E8 d0 d1 d2 d3		call rel32	target = pc + 5 + rel32
 *	E9 d0 d1 d2 d3		jmp  rel32	(a tail call; never EB rel8)
 * and what a call site becomes when it is chosen to make no call:
 *	0F 1F 44 00 00		nopl 0x0(%rax,%rax,1)	(the 5-byte NOP)
 * rel32 is little-endian and signed: a target must be within +-2 GiB of
 * the end of the instruction.  x86 instructions have no alignment, so any
 * pc is a possible site.
 */
#include "insn.h"

static const unsigned char nop5[ALTCALL_X86_64_INSN_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

#define OP_CALL	0xe8
#define OP_JMP	0xe9

ALTCALL_INDIRECT void altcall_x86_64_decode(const unsigned char *bytes, altcall_addr pc,
			   struct altcall_insn *insn)
{
	__INT32_TYPE__ rel = (__INT32_TYPE__)((__UINT32_TYPE__)bytes[1] |
					      (__UINT32_TYPE__)bytes[2] << 8 |
					      (__UINT32_TYPE__)bytes[3] << 16 |
					      (__UINT32_TYPE__)bytes[4] << 24);
	unsigned i;

	insn->kind = ALTCALL_INSN_OTHER;
	insn->target = 0;
	if (bytes[0] == OP_CALL || bytes[0] == OP_JMP) {
		insn->kind = bytes[0] == OP_CALL ? ALTCALL_INSN_CALL : ALTCALL_INSN_JMP;
		insn->target = altcall_field_points_to(pc + ALTCALL_X86_64_INSN_SIZE, rel);
		return;
	}
	for (i = 0; i < ALTCALL_X86_64_INSN_SIZE; i++)
		if (bytes[i] != nop5[i])
			return;
	insn->kind = ALTCALL_INSN_NOP;
}

ALTCALL_INDIRECT _Bool altcall_x86_64_encode(altcall_addr pc, const struct altcall_insn *insn,
			    unsigned char *out)
{
	/* Two's complement: the distance as a signed 64-bit number. */
	__INT64_TYPE__ rel = (__INT64_TYPE__)(insn->target - (pc + ALTCALL_X86_64_INSN_SIZE));
	unsigned i;

	if (insn->kind == ALTCALL_INSN_OTHER)
		return 0;
	if (insn->kind == ALTCALL_INSN_NOP) {
		for (i = 0; i < ALTCALL_X86_64_INSN_SIZE; i++)
			out[i] = nop5[i];
		return 1;
	}
	if (rel != (__INT64_TYPE__)(__INT32_TYPE__)rel)
		return 0;
	out[0] = insn->kind == ALTCALL_INSN_CALL ? OP_CALL : OP_JMP;
	for (i = 0; i < 4; i++)
		out[1 + i] = (unsigned char)((__UINT64_TYPE__)rel >> (8 * i));
	return 1;
}

const struct altcall_codec altcall_x86_64_codec = {
	ALTCALL_X86_64_INSN_SIZE, altcall_x86_64_decode, altcall_x86_64_encode,
};
