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
#include "../include/altcall/abi.h"

/* An arm besides the default: its target if all its features are present. */
struct altcall_arm_info {
	tree fn;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	unsigned nfeatures;	/* 1 .. ALTCALL_MAX_FEATURES */
	unsigned feature[ALTCALL_MAX_FEATURES];
};

/* A site's meaning: what lowering puts in a placeholder and the later
 * passes read back. */
struct altcall_site_info {
	tree dflt;		/* FUNCTION_DECL, or NULL_TREE for "no call" */
	/* The arms besides the default, in source order (first match wins). */
	unsigned narms;
	struct altcall_arm_info arm[ALTCALL_MAX_ARMS - 1];
	/* The record's feature word: the one feature of a two-way site on one
	 * feature, ALTCALL_FEATURE_ARMS for any other (its arm table holds the
	 * arms), ALTCALL_FEATURE_POINTER for alternative_call.  Set by
	 * altcall_make_placeholder. */
	unsigned feature;
	/* alternative_call: the pointer is at slot_base + slot_offset bytes. */
	tree slot_base;		/* VAR_DECL, or NULL_TREE */
	unsigned HOST_WIDE_INT slot_offset;
};

/* A new placeholder of type fntype for the site info describes (dflt and
 * arms; or slot_base and slot_offset for alternative_call); sets
 * info->feature. */
tree altcall_make_placeholder(tree fntype, struct altcall_site_info *info);

/* Returns true and fills *info if decl is a placeholder. */
bool altcall_placeholder_p(const_tree decl, struct altcall_site_info *info);

/* Does the unit call a placeholder (so the emit pass has work)? */
bool altcall_unit_has_sites(void);

/* The section of the current function's trampolines: its own if that is
 * init text (.init.*), else NULL (.text.altcall_tramp). */
const char *altcall_trampoline_section(void);

/* Could gas resolve the default's symbol itself (and so shorten a jmp)?
 * For a pointer site, its trampoline's (current function's site). */
bool altcall_default_binds_locally(const struct altcall_site_info *info);

#endif
