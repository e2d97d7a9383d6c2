/* SPDX-License-Identifier: GPL-3.0-or-later */
/* x86-64 side of altcall-target.h. */
#include "altcall-target.h"

const struct altcall_target_info altcall_target = {
	.triplet = "x86_64-linux-gnu",
	.type_prefix = "@",
	.call_suffix = "@PLT",
	.jump = "jmp",
	.ret = "\tret\n\tint3\n",
	.indirect_entry = "\tendbr64\n",
	.pointer = ".quad",
	/* A jmp to a local symbol becomes the 2-byte EB form. */
	.shortens_jumps = true,
};

bool altcall_target_abi_ok(location_t loc)
{
	/* The runtime and the inspector know the x86-64 ABI only. */
	if (!TARGET_64BIT || TARGET_X32) {
		error_at(loc, "altcall sites need the x86-64 ABI: the runtime "
			 "cannot patch %<-m32%> or %<-mx32%> code");
		return false;
	}
	return true;
}

bool altcall_target_arm_ok(tree, location_t)
{
	return true;
}

void altcall_target_print_arg_address(FILE *f, unsigned argno, const char *sym)
{
	static const char *const arg_regs[] = { "%rdi", "%rsi", "%rdx" };

	gcc_assert(argno < ARRAY_SIZE(arg_regs));
	fprintf(f, "\tleaq\t%s(%%rip), %s\n", sym, arg_regs[argno]);
}

void altcall_target_print_trampoline(FILE *f, const char *slot)
{
	/* r11: scratch at calls, never an argument (al counts vector args). */
	if (ix86_indirect_branch == indirect_branch_keep) {
		fprintf(f, "\tjmp\t*%s(%%rip)\n\tint3\n", slot);
		return;
	}
	fprintf(f, "\tmovq\t%s(%%rip), %%r11\n", slot);
	if (ix86_indirect_branch == indirect_branch_thunk_extern) {
		/* The cs prefix leaves room for Linux's apply_retpolines() to
		 * write "lfence; jmp *%r11" over the thunk jump. */
		fprintf(f, "\t%sjmp\t__x86_indirect_thunk_r11\n\tint3\n",
			ix86_indirect_branch_cs_prefix ? "cs " : "");
		return;
	}
	fprintf(f, "\tcall\t1f\n2:\tpause\n\tlfence\n\tjmp\t2b\n"
		"1:\tmovq\t%%r11, (%%rsp)\n\tret\n\tint3\n");
}
