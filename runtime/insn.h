/* SPDX-License-Identifier: MIT */
/*
 * The altcall instruction codecs: one pure decoder and encoder per
 * architecture, for the one instruction a site holds.
 *
 * Pure: bytes and a PC in, a struct altcall_insn out (or the reverse); no
 * CPU feature detection, no global state, no libc, no header but
 * <altcall/abi.h>, so they build freestanding, inside a kernel and in a
 * hosted tool alike.  The runtime core links its host's codec (runtime/arch.h
 * names it); the altcall-sites inspector links both, to read either
 * machine's ELF files; the fuzz harness and the planner (plan.h) use the
 * same ones.  Hence the architecture in every name.
 *
 * The instruction encodings are documented next to each codec
 * (insn_x86_64.c, insn_aarch64.c) and in docs/abi.md.
 */
#ifndef ALTCALL_INSN_H
#define ALTCALL_INSN_H

#include <altcall/abi.h>

#pragma GCC visibility push(hidden)

enum altcall_insn_kind {
	ALTCALL_INSN_OTHER,	/* not an instruction altcall writes at a site */
	ALTCALL_INSN_CALL,	/* direct call, target valid */
	ALTCALL_INSN_JMP,	/* direct jump (tail call), target valid */
	ALTCALL_INSN_NOP	/* a call site patched to make no call */
};

struct altcall_insn {
	enum altcall_insn_kind kind;
	altcall_addr target;	/* CALL, JMP: the absolute target; else 0 */
};

/* The longest site instruction of any codec. */
#define ALTCALL_INSN_MAX	5

/*
 * A codec, for code that serves more than one architecture (the planner,
 * the inspector).  decode reads insn_size bytes of the instruction whose
 * address is pc and never fails: what it does not recognise is
 * ALTCALL_INSN_OTHER.  encode writes insn_size bytes for an instruction at
 * pc and returns 0, writing nothing, if the target is out of the
 * instruction's reach or the kind is OTHER (there is nothing to encode).
 */
/*
 * Functions the runtime calls through a pointer (the codecs, the planner's
 * callbacks).  Under -fcf-protection=branch -mmanual-endbr (Xen) GCC gives
 * an endbr64 only to functions marked cf_check, and an indirect call to
 * one without it faults on a CET-IBT CPU; elsewhere it changes nothing.
 * test/runtime/ibt-endbr.test checks every address-taken function.
 */
#if defined(__x86_64__) && defined(__CET__) && (__CET__ & 1)
#define ALTCALL_INDIRECT __attribute__((__cf_check__))
#else
#define ALTCALL_INDIRECT
#endif

struct altcall_codec {
	unsigned insn_size;
	void (*decode)(const unsigned char *bytes, altcall_addr pc,
		       struct altcall_insn *insn);
	_Bool (*encode)(altcall_addr pc, const struct altcall_insn *insn,
			unsigned char *out);
};

/* The two codecs (insn_x86_64.c, insn_aarch64.c): their instruction
 * sizes, their functions, and the same as struct altcall_codec. */
#define ALTCALL_X86_64_INSN_SIZE	5
#define ALTCALL_AARCH64_INSN_SIZE	4
ALTCALL_INDIRECT void altcall_x86_64_decode(const unsigned char *bytes, altcall_addr pc, struct altcall_insn *insn);
ALTCALL_INDIRECT void altcall_aarch64_decode(const unsigned char *bytes, altcall_addr pc, struct altcall_insn *insn);
ALTCALL_INDIRECT _Bool altcall_x86_64_encode(altcall_addr pc, const struct altcall_insn *insn, unsigned char *out);
ALTCALL_INDIRECT _Bool altcall_aarch64_encode(altcall_addr pc, const struct altcall_insn *insn, unsigned char *out);
extern const struct altcall_codec altcall_x86_64_codec, altcall_aarch64_codec;

/* A call or jmp whose target is want (never true of a NOP or OTHER). */
static __inline__ _Bool altcall_insn_branches_to(const struct altcall_insn *insn,
						 altcall_addr want)
{
	return (insn->kind == ALTCALL_INSN_CALL || insn->kind == ALTCALL_INSN_JMP) &&
	       insn->target == want;
}

#pragma GCC visibility pop

#endif /* ALTCALL_INSN_H */
