/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal interface between the files of the altcall GCC plugin. */
#ifndef ALTCALL_PLUGIN_H
#define ALTCALL_PLUGIN_H

#include "gcc-common.h"
#include "../include/altcall/abi.h"

extern bool altcall_verbose;
/* -fplugin-arg-altcall-no-register: no per-image registration (kernels). */
extern bool altcall_no_register;
extern bool altcall_init_pointers;

/* site_lower.cc: PLUGIN_PRE_GENERICIZE callback, and the markers of
 * <altcall.h> it looks for. */
void altcall_lower_sites(void *fndecl, void *data);
void altcall_note_marker(tree decl);
extern const struct ggc_root_tab altcall_lower_ggc_roots[];
/* PLUGIN_FINISH: can the records refer to every arm's target? */
void altcall_check_arm_targets(void);

/* The pass_data of a plugin pass: no timevar, optgroup or todo flags. */
static inline constexpr pass_data altcall_pass_data(enum opt_pass_type type,
						     const char *name,
						     unsigned int properties)
{
	return {
		.type = type,
		.name = name,
		.optinfo_flags = OPTGROUP_NONE,
		.tv_id = TV_NONE,
		.properties_required = properties,
		.properties_provided = 0,
		.properties_destroyed = 0,
		.todo_flags_start = 0,
		.todo_flags_finish = 0,
	};
}

/* site_slotref.cc: the call of an alternative_call site with the address
 * of base, its pointer's object, as one argument more. */
tree altcall_add_slot_ref(tree call, tree base);

/* site_slotref.cc, site_notail.cc, site_emit.cc: pass factories. */
opt_pass *make_altcall_slotref_pass(gcc::context *ctxt);
opt_pass *make_altcall_notail_pass(gcc::context *ctxt);
opt_pass *make_altcall_emit_pass(gcc::context *ctxt);
/* PLUGIN_FINISH_UNIT: the image's registration hooks, if it had sites. */
void altcall_emit_image_hooks(void);

#endif
