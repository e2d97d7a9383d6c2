/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Keep a site that must stay a rel32 jump from becoming a tail call (x86-64).
 *
 * gas assembles "jmp sym" to the 2-byte EB form whenever it can resolve sym
 * itself: a static, hidden or protected function in the same section, even
 * spelled sym@PLT.  A 2-byte jump cannot be retargeted, and "{disp32} jmp"
 * would have to be printed by the target's call pattern.  Calls are never
 * shortened, so such a tail call stays a call (the return follows it); a
 * default with default visibility is printed as sym@PLT, which gas never
 * resolves, and keeps its tail call.  "No call" goes to the runtime's hidden
 * __altcall_nop, which is local too once the runtime is in the same unit
 * (LTO).  Runs right after "tailc", the pass that
 * marks tail calls; expansion only turns marked calls into sibling calls.
 */
#include "altcall-plugin.h"
#include "placeholder.h"
#include "altcall-target.h"

static bool relaxable_default(tree placeholder)
{
	struct altcall_site_info info;

	if (!altcall_placeholder_p(placeholder, &info))
		return false;
	return altcall_default_binds_locally(&info);
}

static const pass_data altcall_notail_pass_data =
	altcall_pass_data(GIMPLE_PASS, "altcall_notail", PROP_cfg);

class altcall_notail_pass : public gimple_opt_pass {
public:
	altcall_notail_pass(gcc::context *ctxt)
		: gimple_opt_pass(altcall_notail_pass_data, ctxt) {}

	bool gate(function *) final override
	{
		return altcall_target.shortens_jumps;
	}

	unsigned int execute(function *fun) final override
	{
		basic_block bb;

		FOR_EACH_BB_FN(bb, fun) {
			for (gimple_stmt_iterator gsi = gsi_start_bb(bb);
			     !gsi_end_p(gsi); gsi_next(&gsi)) {
				gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
				if (call && gimple_call_tail_p(call) &&
				    relaxable_default(gimple_call_fndecl(call)))
					gimple_call_set_tail(call, false);
			}
		}
		return 0;
	}
};

opt_pass *make_altcall_notail_pass(gcc::context *ctxt)
{
	return new altcall_notail_pass(ctxt);
}
