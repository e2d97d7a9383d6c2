/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reference that keeps an alternative_call pointer alive.
 *
 * Once lowered, a pointer site is a call to its placeholder: the only
 * mention of the pointer left is the record and the trampoline, raw
 * assembly that the symbol table never sees.  To IPA the pointer is then
 * written and never read: with -flto a pointer defined in another unit
 * lost its stores ('gp = f' deleted) and even its definition (the
 * trampoline's 'undefined reference to gp'), and one the partitioner put
 * elsewhere would not have been promoted and renamed for the site's
 * partition.  So lowering passes the pointer's address to the placeholder
 * as one argument more, after the call's own: a real reference, an
 * address taken (the pointer is not write-only; its stores stay, as they
 * must before a call that may read it), streamed with the call, followed
 * by the partitioner.  This pass drops it again just before expansion, so
 * that the call is set up exactly as written; the emit pass then names
 * the pointer by its decl's assembler name of that moment, whatever LTO
 * renamed it to (.lto_priv.N).
 */
#include "altcall-plugin.h"
#include "placeholder.h"

/*
 * A CALL_EXPR is of fixed length: the call with one argument more is a
 * copy of it (every flag the front end set, its location and block) with
 * &base appended.
 */
tree altcall_add_slot_ref(tree call, tree base)
{
	int len = VL_EXP_OPERAND_LENGTH(call);
	tree copy = build_vl_exp(CALL_EXPR, len + 1);
	/* Operand 0 holds the length. */
	tree length = TREE_OPERAND(copy, 0);

	memcpy(copy, call, tree_size(call));
	TREE_OPERAND(copy, 0) = length;
	TREE_OPERAND(copy, len) = build_fold_addr_expr(base);
	return copy;
}

static const pass_data altcall_slotref_pass_data =
	altcall_pass_data(GIMPLE_PASS, "altcall_slotref", PROP_cfg);

class altcall_slotref_pass : public gimple_opt_pass {
public:
	altcall_slotref_pass(gcc::context *ctxt)
		: gimple_opt_pass(altcall_slotref_pass_data, ctxt) {}

	bool gate(function *) final override
	{
		return altcall_unit_has_sites();
	}

	unsigned int execute(function *fun) final override
	{
		struct altcall_site_info info;
		basic_block bb;

		FOR_EACH_BB_FN(bb, fun) {
			for (gimple_stmt_iterator gsi = gsi_start_bb(bb);
			     !gsi_end_p(gsi); gsi_next(&gsi)) {
				gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
				if (!call ||
				    !altcall_placeholder_p(gimple_call_fndecl(call), &info) ||
				    !info.slot_base)
					continue;
				unsigned n = gimple_call_num_args(call);
				gcc_assert(n > 0);
				tree ref = gimple_call_arg(call, n - 1);
				gcc_assert(TREE_CODE(ref) == ADDR_EXPR);
				gimple_set_num_ops(call, gimple_num_ops(call) - 1);
				update_stmt(call);
			}
		}
		return 0;
	}
};

opt_pass *make_altcall_slotref_pass(gcc::context *ctxt)
{
	return new altcall_slotref_pass(ctxt);
}
