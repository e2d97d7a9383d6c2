/* SPDX-License-Identifier: MIT */
/* What an architecture provides to the altcall core.  Nothing else in the
 * core knows an instruction encoding or a CPU feature source. */
#ifndef ALTCALL_ARCH_H
#define ALTCALL_ARCH_H

#include "internal.h"

#pragma GCC visibility push(hidden)

enum altcall_insn_kind {
	ALTCALL_INSN_OTHER,	/* not something altcall emits */
	ALTCALL_INSN_CALL,	/* direct call, target valid */
	ALTCALL_INSN_JMP,	/* direct jump (tail call), target valid */
	ALTCALL_INSN_NOP,	/* a call site patched to make no call */
};

struct altcall_insn {
	enum altcall_insn_kind kind;
	uptr target;
};

/* Bytes of one site instruction. */
extern const unsigned altcall_arch_insn_size;

/* Decode the site instruction at addr (altcall_arch_insn_size readable bytes). */
void altcall_arch_decode(const u8 *addr, struct altcall_insn *insn);

/* Encode insn for address addr into out; false if the target is out of
 * reach.  Writes altcall_arch_insn_size bytes. */
bool altcall_arch_encode(uptr addr, const struct altcall_insn *insn, u8 *out);

/* Is feature word f (CPU class) a well-formed feature of this architecture,
 * and does this CPU have it (usable, i.e. also enabled by the OS)? */
bool altcall_arch_cpu_feature_valid(unsigned f);
bool altcall_arch_cpu_has(unsigned f);

#pragma GCC visibility pop

#endif
