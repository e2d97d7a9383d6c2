/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What differs between the targets the plugin is built for.  Each build of
 * the plugin compiles one implementation of this, target-x86_64.cc or
 * target-aarch64.cc (see meson.build), and the passes ask only this.
 */
#ifndef ALTCALL_TARGET_H
#define ALTCALL_TARGET_H

#include "gcc-common.h"

struct altcall_target_info {
	/* Printed by -fplugin-arg-altcall-version. */
	const char *triplet;
	/* Starts an ELF type operand (@progbits): arm64's gas reads '@' as the
	 * start of a comment. */
	const char *type_prefix;
	/* Appended to a direct call's target: x86's sym@PLT, which gas never
	 * resolves itself, so it never shortens a jump to it. */
	const char *call_suffix;
	/* Direct jump mnemonic. */
	const char *jump;
	/* A return, and what stops straight-line speculation past it. */
	const char *ret;
	/* First insn of a function that is called indirectly (.init_array):
	 * the landing pad of indirect-branch tracking (CET, BTI). */
	const char *indirect_entry;
	/* Data directive of a pointer. */
	const char *pointer;
	/* Does gas shorten a jump to a symbol it resolves itself?  Then a
	 * jump could not be retargeted: see site_notail.cc. */
	bool shortens_jumps;
};

extern const struct altcall_target_info altcall_target;

/* Can the runtime patch code of this compilation's ABI?  An error at loc
 * if not. */
bool altcall_target_abi_ok(location_t loc);

/* Can a site record refer to fn?  An error at loc if not. */
bool altcall_target_arm_ok(tree fn, location_t loc);

/* Puts the address of sym in argument register argno (from 0 to 2). */
void altcall_target_print_arg_address(FILE *f, unsigned argno, const char *sym);

/* Body of an alternative_call trampoline: a jump through the pointer at
 * slot that keeps the argument registers and the stack as they are. */
void altcall_target_print_trampoline(FILE *f, const char *slot);

#endif
