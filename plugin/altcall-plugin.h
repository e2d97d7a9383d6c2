/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal interface between the files of the altcall GCC plugin. */
#ifndef ALTCALL_PLUGIN_H
#define ALTCALL_PLUGIN_H

#include "gcc-common.h"
#include "../include/altcall/abi.h"

/* Name of the internal attribute that makes a function declaration a site
 * placeholder.  It has a space so that no source code can spell it. */
#define ALTCALL_SITE_ATTR "altcall site"

extern bool altcall_verbose;
/* -fplugin-arg-altcall-no-register: no per-image registration (kernels). */
extern bool altcall_no_register;

/* site_lower.cc: PLUGIN_PRE_GENERICIZE callback, and what it saw. */
void altcall_lower_sites(void *fndecl, void *data);
void altcall_note_marker(tree decl);
bool altcall_unit_has_sites(void);

/* site_notail.cc, site_emit.cc: pass factories. */
opt_pass *make_altcall_notail_pass(gcc::context *ctxt);
opt_pass *make_altcall_emit_pass(gcc::context *ctxt);
/* PLUGIN_FINISH_UNIT: the image's registration hooks, if it had sites. */
void altcall_emit_image_hooks(void);

/* A placeholder's meaning, read back from its attribute. */
struct altcall_site_info {
	tree dflt;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	tree alt;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	unsigned feature;
	/* alternative_call: the pointer is at slot_base + slot_offset bytes. */
	tree slot_base;		/* VAR_DECL, or NULL_TREE */
	unsigned HOST_WIDE_INT slot_offset;
};

/* Returns true and fills *info if decl is a placeholder. */
bool altcall_placeholder_p(const_tree decl, struct altcall_site_info *info);

/* Could gas resolve the default's symbol itself (and so shorten a jmp)? */
bool altcall_default_binds_locally(const struct altcall_site_info *info);

/* Assembler name of fn ready to print, or the runtime's "no call" target. */
const char *altcall_target_name(tree fn);

#define ALTCALL_NOP_TARGET "__altcall_nop"

#endif
