/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * altcall GCC plugin: one patchable direct call per boot-time alternative.
 *
 * What it does
 *   <altcall.h> writes a site as  if (__altcall_cond(F, inv)) { A } else { B }
 *   (or, for ALTERNATIVE_CALL, a call through  cond ? &new : &old).  The
 *   plugin turns every such site into ONE call to the default target and
 *   emits a 14-byte record (include/altcall/abi.h) that tells the runtime
 *   where the call is, what it calls now and what it may call instead.
 *
 * Why each step sits where it sits
 *   1. PLUGIN_PRE_GENERICIZE (site_lower.cc): the C front end hands over each
 *      function's GENERIC before gimplification.  Arms are still whole
 *      expressions there, so "same arguments, same lhs" is one
 *      operand_equal_p per operand and every error has the user's location.
 *      The site becomes the default arm's statement calling a per-site
 *      placeholder (placeholder.cc), a hidden extern function that is never
 *      defined, whose internal attribute carries the site's default,
 *      alternative and feature (an alternative_call site: a call through
 *      its pointer becomes a call to a placeholder too, which carries the
 *      pointer).  From then on the optimisers see an unknown external
 *      function: nothing is inlined, IPA-RA, modref and pure/const assume
 *      nothing, and every copy the optimisers make (inlining, unrolling,
 *      cloning) stays a separate call to the same placeholder.  lto1 gets
 *      the calls already lowered, and runs only the passes below.
 *      An alternative_call placeholder gets the pointer's address as one
 *      argument more (site_slotref.cc): the pointer's one reference in
 *      the IL, which keeps it, its stores and its LTO partitioning right.
 *   2. GIMPLE pass after "tailc" (site_notail.cc; x86 only, where gas
 *      shortens jumps): gas relaxes "jmp local_fn" to the 2-byte form,
 *      which could not be retargeted, so a tail call whose default binds
 *      locally is turned back into a call.
 *      GIMPLE pass after "optimized" (site_slotref.cc): drops that
 *      argument again, before expansion sets the call up.
 *   3. RTL pass after "shorten" (site_emit.cc): the call insns are final
 *      here.  Each call to a placeholder gets a label (a deleted-label note:
 *      final accepts no new real insns after shorten), its target becomes the
 *      real default, and its record goes to the altcall_sites section.
 *      alternative_call sites get a trampoline that jumps through the
 *      pointer.  Anything else that mentions a placeholder (no direct call
 *      possible, e.g. -mcmodel=large) is an error.  If this pass never runs
 *      (plugin missing on an LTO link) the placeholders stay undefined and
 *      the link fails: never a silent no-op.
 *   4. PLUGIN_FINISH_UNIT (site_emit.cc): a unit that emitted a site adds
 *      its image's registration hooks, once all functions are out.
 *   5. PLUGIN_FINISH (site_lower.cc): whether the records can refer to
 *      every arm's target (not a weak declaration left undefined, not an
 *      arm64 ifunc) is known only once the unit is parsed; checked here,
 *      for every arm lowered, at the arm, also in a unit with other errors
 *      (which reaches neither the emit pass nor PLUGIN_FINISH_UNIT).
 *
 * Files
 *   altcall_plugin.cc  registration, options, the GCC version check
 *   placeholder.h/.cc  what a placeholder is: its name, the attribute that
 *                      carries the site, how later passes read it back
 *   site_lower.cc, site_slotref.cc, site_notail.cc, site_emit.cc
 *                      the steps above
 *   altcall-target.h   what differs between x86-64 and arm64, implemented
 *                      by target-x86_64.cc or target-aarch64.cc (meson
 *                      builds the plugin once per target, with its file)
 *   gcc-common.h       the only file that includes GCC's headers; holds
 *                      what differs between GCC 11 to 16, the supported
 *                      versions
 *   altcall-plugin.h   what else the files share
 *
 * Options (-fplugin-arg-altcall-KEY; unknown keys and stray values are errors):
 *   verbose   a note for every site
 *   no-register  no per-image registration hooks and "no call" target (an
 *             environment that links the runtime and walks its records
 *             itself: a kernel, firmware)
 *   init-pointers  accept alternative_call pointers in init memory
 *             (sections .init.*): the platform's last apply, before init
 *             memory is freed, takes every pointer site off its
 *             trampoline (a NULL pointer sealed to a trap), as Xen's does
 *   help      list the options
 *   version   the plugin's version and the GCC it was built for
 *
 * Debugging: -fplugin-arg-altcall-verbose; -dP annotates the assembly with
 * the RTL of every insn; -fdump-tree-original shows the rewritten GENERIC;
 * the placeholder of a site is called __altcall_site.<unit>.<n> everywhere
 * before the emit pass (-fdump-tree-all, -fdump-rtl-all).
 */
#include "altcall-plugin.h"
#include "altcall-target.h"

int plugin_is_GPL_compatible;

bool altcall_verbose;
bool altcall_no_register;
bool altcall_init_pointers;

#ifndef ALTCALL_VERSION
#define ALTCALL_VERSION "unknown"
#endif

static struct plugin_info altcall_plugin_info = {
	.version = ALTCALL_VERSION,
	.help = "altcall: boot-time patchable direct calls\n"
		"  -fplugin-arg-altcall-verbose   a note for every site\n"
		"  -fplugin-arg-altcall-no-register  no per-image registration (kernels)\n"
		"  -fplugin-arg-altcall-init-pointers  pointers in init memory are\n"
		"      allowed: the platform's last apply seals every pointer site (Xen)\n"
		"  -fplugin-arg-altcall-help      this list\n"
		"  -fplugin-arg-altcall-version   plugin and GCC versions\n",
};

static tree handle_marker_attribute(tree *node, tree name, tree, int,
				    bool *no_add_attrs)
{
	if (TREE_CODE(*node) != FUNCTION_DECL) {
		error("%qE applies to the altcall marker function only", name);
		*no_add_attrs = true;
	} else {
		altcall_note_marker(*node);
	}
	return NULL_TREE;
}

static const struct attribute_spec altcall_marker_attr = {
	.name = "altcall_marker",
	.min_length = 0,
	.max_length = 0,
	.decl_required = true,
	.type_required = false,
	.function_type_required = false,
	.affects_type_identity = false,
	.handler = handle_marker_attribute,
	.exclude = NULL,
};

static void register_attributes(void *, void *)
{
	register_attribute(&altcall_marker_attr);
}

static bool parse_options(struct plugin_name_args *info)
{
	bool ok = true;

	for (int i = 0; i < info->argc; i++) {
		const char *key = info->argv[i].key;
		const char *value = info->argv[i].value;

		bool known = !strcmp(key, "verbose") || !strcmp(key, "help") ||
			     !strcmp(key, "version") || !strcmp(key, "no-register") ||
			     !strcmp(key, "init-pointers");
		if (!known) {
			error("altcall: unknown option %<-fplugin-arg-%s-%s%> "
			      "(known: verbose, no-register, init-pointers, help, version)",
			      info->base_name, key);
			ok = false;
		} else if (value) {
			error("altcall: option %<-fplugin-arg-%s-%s%> takes no value",
			      info->base_name, key);
			ok = false;
		} else if (!strcmp(key, "verbose")) {
			altcall_verbose = true;
		} else if (!strcmp(key, "no-register")) {
			altcall_no_register = true;
		} else if (!strcmp(key, "init-pointers")) {
			altcall_init_pointers = true;
		} else if (!strcmp(key, "help")) {
			fputs(altcall_plugin_info.help, stderr);
		} else {
			fprintf(stderr, "altcall %s for GCC %s (%s)\n", ALTCALL_VERSION,
				gcc_version.basever, altcall_target.triplet);
		}
	}
	return ok;
}

/* Inserts pass after the first instance of the pass named reference. */
static void register_pass_after(const char *plugin, opt_pass *pass,
				const char *reference)
{
	struct register_pass_info info = {
		.pass = pass,
		.reference_pass_name = reference,
		.ref_pass_instance_number = 1,
		.pos_op = PASS_POS_INSERT_AFTER,
	};

	register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

static void finish_unit(void *, void *)
{
	altcall_emit_image_hooks();
}

static void finish(void *, void *)
{
	altcall_check_arm_targets();
}

int plugin_init(struct plugin_name_args *info,
		struct plugin_gcc_version *version)
{
	const char *name = info->base_name;

	/* Reached when this cc1 has every function the plugin calls (GCC 11
	 * and 12 for each other's plugin); from GCC 13 on, a neighbouring
	 * version's cc1 usually lacks one and the dynamic loader refuses the
	 * plugin before this runs (test/diag/gcc-version-loader.test). */
	if (!plugin_default_version_check(version, &gcc_version)) {
		error("altcall: plugin built for GCC %s cannot run in GCC %s; "
		      "rebuild it against this compiler",
		      gcc_version.basever, version->basever);
		return 1;
	}
	if (!parse_options(info))
		return 1;

	/* lto1 sees only GIMPLE streamed by cc1, already lowered: it needs the
	 * emit pass alone.  C++ trees differ before genericization. */
	bool is_lto = !strcmp(lang_hooks.name, "GNU GIMPLE");
	if (!strncmp(lang_hooks.name, "GNU C++", 7)) {
		error("altcall: C++ translation units are not supported, only C");
		return 1;
	}
	if (!is_lto && strncmp(lang_hooks.name, "GNU C", 5)) {
		error("altcall: %s is not supported, only C", lang_hooks.name);
		return 1;
	}

	register_callback(name, PLUGIN_INFO, NULL, &altcall_plugin_info);
	register_callback(name, PLUGIN_REGISTER_GGC_ROOTS, NULL,
			  (void *)altcall_lower_ggc_roots);
	register_callback(name, PLUGIN_ATTRIBUTES, register_attributes, NULL);
	if (!is_lto)
		register_callback(name, PLUGIN_PRE_GENERICIZE,
				  altcall_lower_sites, NULL);

	register_pass_after(name, make_altcall_notail_pass(g), "tailc");
	register_pass_after(name, make_altcall_slotref_pass(g), "optimized");
	register_pass_after(name, make_altcall_emit_pass(g), "shorten");
	register_callback(name, PLUGIN_FINISH_UNIT, finish_unit, NULL);
	/* Not at PLUGIN_FINISH_UNIT, which a unit with errors never reaches. */
	register_callback(name, PLUGIN_FINISH, finish, NULL);
	return 0;
}
