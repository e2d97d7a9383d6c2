/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Site placeholders: how lowering hands a site to the later passes.
 *
 * Lowering (site_lower.cc) retargets a site's call to a placeholder of its
 * own, a hidden extern function __altcall_site.<unit>.<n> that is never
 * defined.  Its internal attribute carries what the site means; the notail
 * and emit passes read it back with altcall_placeholder_p.
 */
#ifndef ALTCALL_PLACEHOLDER_H
#define ALTCALL_PLACEHOLDER_H

#include "gcc-common.h"

/* A placeholder's meaning, read back from its attribute. */
struct altcall_site_info {
	tree dflt;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	tree alt;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	unsigned feature;
	/* alternative_call: the pointer is at slot_base + slot_offset bytes. */
	tree slot_base;		/* VAR_DECL, or NULL_TREE */
	unsigned HOST_WIDE_INT slot_offset;
};

/* A new placeholder of type fntype for a site; NULL_TREE for "no call". */
tree altcall_make_placeholder(tree fntype, tree dflt, tree alt,
			      unsigned feature, tree slot_base = NULL_TREE,
			      unsigned HOST_WIDE_INT slot_offset = 0);

/* Returns true and fills *info if decl is a placeholder. */
bool altcall_placeholder_p(const_tree decl, struct altcall_site_info *info);

/* Does the unit call a placeholder (so the emit pass has work)? */
bool altcall_unit_has_sites(void);

/* Could gas resolve the default's symbol itself (and so shorten a jmp)? */
bool altcall_default_binds_locally(const struct altcall_site_info *info);

#endif
