/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Site placeholders (see placeholder.h): their names, the attribute that
 * carries a site's meaning, and reading it back.
 */
#include "placeholder.h"

/* Name of the internal attribute that makes a function declaration a site
 * placeholder.  It has a space so that no source code can spell it. */
#define ALTCALL_SITE_ATTR "altcall site"

/* The arguments of the attribute, by position; an absent decl is
 * integer_zero_node. */
enum altcall_placeholder_arg {
	ALTCALL_PH_DFLT,	/* FUNCTION_DECL: the default */
	ALTCALL_PH_FEATURE,	/* INTEGER_CST: the record's feature word */
	ALTCALL_PH_ARMS,	/* TREE_LIST, one per arm: TREE_PURPOSE its
				 * FUNCTION_DECL, TREE_VALUE a TREE_LIST of
				 * its feature words (INTEGER_CST) */
	ALTCALL_PH_SLOT_BASE,	/* VAR_DECL: holds an alternative_call pointer */
	ALTCALL_PH_SLOT_OFFSET,	/* INTEGER_CST: the pointer's byte offset */
	ALTCALL_PH_NARGS
};

/* Placeholders made in this unit: the <n> of the next one's name. */
static unsigned site_count;
static char unit_id[17];

static void keep_target(tree fn)
{
	/* The record is the only reference the optimisers do not see: the
	 * target must be emitted, with its public ABI, even if no call is
	 * left. */
	if (!fn)
		return;
	DECL_PRESERVE_P(fn) = 1;
	TREE_USED(fn) = 1;
	mark_decl_referenced(fn);
}

static void fnv1a(unsigned long long *h, const void *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;

	for (size_t i = 0; i < len; i++)
		*h = (*h ^ p[i]) * 0x100000001b3ull;
}

/*
 * An identity of this translation unit for placeholder names.  LTO merges
 * undefined symbols of equal name across units, even static ones, and a
 * merged placeholder would silently swap two sites' targets: the name must
 * differ between units.  It must also be the same for every build of the
 * same unit (reproducible builds; no -frandom-seed), wherever it is built:
 * so it is a hash of what the unit is made of, the main file's bytes and
 * the -D/-U options, and of nothing that names a path.
 */
static const char *unit_identity(void)
{
	unsigned long long h = 0xcbf29ce484222325ull;
	char buf[4096];
	size_t got;

	if (unit_id[0])
		return unit_id;
	FILE *f = main_input_filename ? fopen(main_input_filename, "rb") : NULL;
	if (f) {
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
			fnv1a(&h, buf, got);
		fclose(f);
	} else if (main_input_filename) {
		const char *base = lbasename(main_input_filename);
		fnv1a(&h, base, strlen(base));
	}
	for (unsigned i = 0; i < save_decoded_options_count; i++) {
		const struct cl_decoded_option *opt = &save_decoded_options[i];
		if ((opt->opt_index == OPT_D || opt->opt_index == OPT_U) && opt->arg)
			fnv1a(&h, opt->orig_option_with_args_text,
			      strlen(opt->orig_option_with_args_text) + 1);
	}
	snprintf(unit_id, sizeof(unit_id), "%016llx", h);
	return unit_id;
}

/*
 * The placeholder: a hidden extern function that is never defined, so that
 * the link fails if the emit pass never ran (e.g. -fplugin missing on an
 * LTO link), named uniquely per unit (see unit_identity).  Hidden keeps the
 * call direct under -fPIC/-fno-plt.  Not static: lto1 ICEs on undefined
 * static callees (possibly_call_in_translation_unit_p).
 */
tree altcall_make_placeholder(tree fntype, struct altcall_site_info *info)
{
	char name[64];
	bool nothrow = !info->dflt || TREE_NOTHROW(info->dflt);
	tree arms = NULL_TREE;

	if (info->slot_base)
		info->feature = ALTCALL_FEATURE_POINTER;
	else if (info->narms == 1 && info->arm[0].nfeatures == 1)
		info->feature = info->arm[0].feature[0];
	else
		info->feature = ALTCALL_FEATURE_ARMS;
	for (int a = (int)info->narms - 1; a >= 0; a--) {
		const struct altcall_arm_info *arm = &info->arm[a];
		tree features = NULL_TREE;

		for (int i = (int)arm->nfeatures - 1; i >= 0; i--)
			features = tree_cons(NULL_TREE,
					     build_int_cst(unsigned_type_node,
							   arm->feature[i]),
					     features);
		arms = tree_cons(arm->fn ? arm->fn : integer_zero_node,
				 features, arms);
		nothrow &= !arm->fn || TREE_NOTHROW(arm->fn);
		keep_target(arm->fn);
	}
	keep_target(info->dflt);

	snprintf(name, sizeof(name), "__altcall_site.%s.%u", unit_identity(),
		 site_count++);
	/* C spells const and noreturn as qualifiers of the function type:
	 * the placeholder must promise nothing the alternative may break. */
	tree decl = build_fn_decl(name, build_qualified_type(fntype,
							      TYPE_UNQUALIFIED));
	DECL_IGNORED_P(decl) = 1;
	DECL_VISIBILITY(decl) = VISIBILITY_HIDDEN;
	DECL_VISIBILITY_SPECIFIED(decl) = 1;
	TREE_NOTHROW(decl) = nothrow;

	tree arg[ALTCALL_PH_NARGS];
	arg[ALTCALL_PH_DFLT] = info->dflt ? info->dflt : integer_zero_node;
	arg[ALTCALL_PH_FEATURE] = build_int_cst(unsigned_type_node, info->feature);
	arg[ALTCALL_PH_ARMS] = arms ? arms : integer_zero_node;
	arg[ALTCALL_PH_SLOT_BASE] = info->slot_base ? info->slot_base
						    : integer_zero_node;
	arg[ALTCALL_PH_SLOT_OFFSET] = size_int(info->slot_offset);
	tree args = NULL_TREE;
	for (int i = ALTCALL_PH_NARGS - 1; i >= 0; i--)
		args = tree_cons(NULL_TREE, arg[i], args);
	DECL_ATTRIBUTES(decl) = tree_cons(get_identifier(ALTCALL_SITE_ATTR),
					  args, NULL_TREE);
	return decl;
}

bool altcall_placeholder_p(const_tree decl, struct altcall_site_info *info)
{
	if (!decl || TREE_CODE(decl) != FUNCTION_DECL)
		return false;
	tree attr = lookup_attribute(ALTCALL_SITE_ATTR, DECL_ATTRIBUTES(decl));
	if (!attr)
		return false;

	tree arg[ALTCALL_PH_NARGS];
	tree list = TREE_VALUE(attr);
	for (int i = 0; i < ALTCALL_PH_NARGS; i++, list = TREE_CHAIN(list))
		arg[i] = TREE_VALUE(list);
	info->dflt = TREE_CODE(arg[ALTCALL_PH_DFLT]) == FUNCTION_DECL
		     ? arg[ALTCALL_PH_DFLT] : NULL_TREE;
	info->feature = (unsigned)tree_to_uhwi(arg[ALTCALL_PH_FEATURE]);
	info->narms = 0;
	if (TREE_CODE(arg[ALTCALL_PH_ARMS]) == TREE_LIST) {
		for (tree a = arg[ALTCALL_PH_ARMS]; a; a = TREE_CHAIN(a)) {
			struct altcall_arm_info *arm = &info->arm[info->narms++];

			arm->fn = TREE_CODE(TREE_PURPOSE(a)) == FUNCTION_DECL
				  ? TREE_PURPOSE(a) : NULL_TREE;
			arm->nfeatures = 0;
			for (tree f = TREE_VALUE(a); f; f = TREE_CHAIN(f))
				arm->feature[arm->nfeatures++] =
					(unsigned)tree_to_uhwi(TREE_VALUE(f));
		}
	}
	info->slot_base = TREE_CODE(arg[ALTCALL_PH_SLOT_BASE]) == VAR_DECL
			  ? arg[ALTCALL_PH_SLOT_BASE] : NULL_TREE;
	info->slot_offset = tree_to_uhwi(arg[ALTCALL_PH_SLOT_OFFSET]);
	return true;
}

/* In cc1: did lowering make a placeholder?  In lto1: does the unit have
 * one (it came with the streamed calls)?  Asked once per function by the
 * emit pass, so the answer is cached. */
bool altcall_unit_has_sites(void)
{
	static int cached = -1;
	struct altcall_site_info info;
	cgraph_node *node;

	if (!in_lto_p)
		return site_count > 0;
	if (cached < 0) {
		cached = 0;
		FOR_EACH_FUNCTION(node)
			if (altcall_placeholder_p(node->decl, &info))
				cached = 1;
	}
	return cached;
}

/*
 * The section of the trampolines of the function being emitted: its own if
 * that is init text (a section .init.*, as the plugin's init memory rule
 * says: site_lower.cc), so that the trampoline is freed with the only code
 * that calls it, and a platform that frees init text keeps nothing of it;
 * NULL (.text.altcall_tramp) for any other function.  Other named sections
 * (Linux's .ref.text, .noinstr.text, ...) keep the shared section: a
 * section-mismatch check still sees a trampoline in .text reading init data.
 */
const char *altcall_trampoline_section(void)
{
	const char *section = DECL_SECTION_NAME(current_function_decl);

	return section && startswith(section, ".init.") ? section : NULL;
}

bool altcall_default_binds_locally(const struct altcall_site_info *info)
{
	/* A pointer site calls its trampoline: in another section (no
	 * relaxing), or in init text in its function's own section. */
	if (info->slot_base)
		return altcall_trampoline_section() != NULL;
	return !info->dflt || !TREE_PUBLIC(info->dflt) ||
	       DECL_VISIBILITY(info->dflt) != VISIBILITY_DEFAULT;
}
