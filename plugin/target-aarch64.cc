/* SPDX-License-Identifier: GPL-3.0-or-later */
/* arm64 side of altcall-target.h. */
#include "altcall-target.h"

const struct altcall_target_info altcall_target = {
	.triplet = "aarch64-linux-gnu",
	.type_prefix = "%",
	.call_suffix = "",
	.jump = "b",
	.ret = "\tret\n",
	.indirect_entry = "\thint\t34\n",	/* bti c */
	.pointer = ".xword",
	/* b and bl are always 4 bytes. */
	.shortens_jumps = false,
};

bool altcall_target_abi_ok(location_t)
{
	return true;
}

bool altcall_target_arm_ok(tree fn, location_t loc)
{
	/* No PC-relative data relocation reaches an ifunc. */
	if (lookup_attribute("ifunc", DECL_ATTRIBUTES(fn))) {
		error_at(loc, "altcall: %qD is a GNU %<ifunc%>, which an arm64 "
			 "site record cannot refer to; use its implementations as "
			 "the arms", fn);
		return false;
	}
	return true;
}

void altcall_target_print_arg_address(FILE *f, unsigned argno, const char *sym)
{
	static const char *const arg_regs[] = { "x0", "x1", "x2" };
	const char *reg;

	gcc_assert(argno < ARRAY_SIZE(arg_regs));
	reg = arg_regs[argno];
	fprintf(f, "\tadrp\t%s, %s\n\tadd\t%s, %s, :lo12:%s\n", reg, sym, reg,
		reg, sym);
}

void altcall_target_print_trampoline(FILE *f, const char *slot)
{
	/* x16: the intra-procedure-call scratch register; br x16 may land on
	 * the callee's "bti c". */
	if (aarch64_cmodel_var == AARCH64_CMODEL_LARGE) {
		fprintf(f, "\tldr\tx16, 1f\n\tldr\tx16, [x16]\n\tbr\tx16\n"
			"\t.p2align\t3\n1:\t.xword\t%s\n", slot);
		return;
	}
	fprintf(f, "\tadrp\tx16, %s\n\tldr\tx16, [x16, #:lo12:%s]\n\tbr\tx16\n",
		slot, slot);
}
