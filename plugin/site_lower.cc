/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Site lowering, run from PLUGIN_PRE_GENERICIZE for every C function body.
 *
 * A statement site, as <altcall.h> spells it, arrives as
 *	COND_EXPR <__altcall_cond (F, inv), then-arm, else-arm>
 * and an expression site (ALTERNATIVE_CALL) as
 *	CALL_EXPR <fn = COND_EXPR <__altcall_cond (F, 0), &new, &old>, args>.
 * Each arm must be one call of the form  f(args);  lhs = f(args);  or
 * return f(args);  with the same arguments and lhs in both arms; an empty
 * arm means "no call".  The site is replaced by the default arm's statement
 * (the arm taken when F is absent) with its callee replaced by a fresh
 * placeholder declaration that carries (default, alternative, feature) in an
 * attribute no source can spell.  Every misuse is an error at the user's
 * location; after an error the site is left as written (the compilation
 * fails anyway) and lowering goes on so that all errors are reported.
 */
#include "altcall-plugin.h"
#include "placeholder.h"

enum arm_shape { ARM_NONE, ARM_CALL, ARM_ASSIGN, ARM_RETURN };

static const char *const shape_names[] = {
	"no call", "f(args);", "lhs = f(args);", "return f(args);"
};

struct arm {
	enum arm_shape shape;
	tree stmt;		/* statement to keep if this arm is the default */
	tree call;		/* its CALL_EXPR */
	tree fndecl;
	tree lhs;		/* ARM_ASSIGN only */
	location_t loc;
};


/* Where the user wrote it: the macro use, not the line of <altcall.h>. */
static location_t user_loc(location_t loc)
{
	return linemap_resolve_location(line_table, loc,
					LRK_MACRO_EXPANSION_POINT, NULL);
}

/* The marker declarations <altcall.h> made (cond, ptr): a unit that never
 * uses them has no site, and its functions need no walk. */
static tree markers[2];

/* markers is read in every function, and the GC runs between functions:
 * a root, so that it never holds a collected decl. */
const struct ggc_root_tab altcall_lower_ggc_roots[] = {
	{
		.base = markers,
		.nelt = ARRAY_SIZE(markers),
		.stride = sizeof(markers[0]),
		.cb = &gt_ggc_mx_tree_node,
		.pchw = &gt_pch_nx_tree_node,
	},
	LAST_GGC_ROOT_TAB
};

static bool marker_call_p(const_tree t)
{
	if (TREE_CODE(t) != CALL_EXPR)
		return false;
	tree fn = get_callee_fndecl(t);
	return fn && lookup_attribute("altcall_marker", DECL_ATTRIBUTES(fn));
}

/* alternative_call's marker, __altcall_ptr(0, fp), rather than __altcall_cond. */
static bool pointer_marker_p(const_tree marker)
{
	return id_equal(DECL_NAME(get_callee_fndecl(marker)), "__altcall_ptr");
}

static tree strip_conversions(tree t)
{
	while (t && (CONVERT_EXPR_P(t) || TREE_CODE(t) == NON_LVALUE_EXPR))
		t = TREE_OPERAND(t, 0);
	return t;
}

/* The marker call if cond is a site condition, else NULL_TREE. */
static tree site_marker(tree cond)
{
	cond = strip_conversions(cond);
	if (cond && TREE_CODE(cond) == NE_EXPR &&
	    integer_zerop(TREE_OPERAND(cond, 1)))
		cond = strip_conversions(TREE_OPERAND(cond, 0));
	return cond && marker_call_p(cond) ? cond : NULL_TREE;
}

static bool site_cond_expr_p(tree t)
{
	if (!t || TREE_CODE(t) != COND_EXPR)
		return false;
	tree marker = site_marker(COND_EXPR_COND(t));
	return marker && !pointer_marker_p(marker);
}

/* The one statement of an arm, or NULL_TREE for an empty arm. */
static bool single_statement(tree t, location_t loc, tree *out)
{
	for (;;) {
		if (!t) {
			*out = NULL_TREE;
			return true;
		}
		if (TREE_CODE(t) == BIND_EXPR) {
			/* A function called without a declaration (gnu89, or
			 * C with the warning only) is declared in the arm's
			 * block: parse_callee reports it, at the call. */
			for (tree v = BIND_EXPR_VARS(t); v; v = DECL_CHAIN(v)) {
				if (TREE_CODE(v) == FUNCTION_DECL)
					continue;
				error_at(user_loc(loc), "an altcall arm cannot declare "
					 "variables; declare them before the site");
				return false;
			}
			t = BIND_EXPR_BODY(t);
			continue;
		}
		if (TREE_CODE(t) != STATEMENT_LIST)
			break;
		tree only = NULL_TREE;
		unsigned n = 0;
		for (tree_stmt_iterator i = tsi_start(t); !tsi_end_p(i); tsi_next(&i)) {
			if (TREE_CODE(tsi_stmt(i)) == DEBUG_BEGIN_STMT)
				continue;
			only = tsi_stmt(i);
			n++;
		}
		if (n > 1) {
			error_at(user_loc(EXPR_LOC_OR_LOC(only, loc)),
				 "an altcall arm must be exactly one call, found %u "
				 "statements", n);
			return false;
		}
		t = only;
	}
	*out = t;
	return true;
}

static tree find_site(tree *tp, int *, void *)
{
	return marker_call_p(*tp) ? *tp : NULL_TREE;
}

static bool parse_callee(struct arm *arm)
{
	tree fn = strip_conversions(CALL_EXPR_FN(arm->call));

	/* No callee at all: an internal function. */
	if (!fn || TREE_CODE(fn) != ADDR_EXPR ||
	    TREE_CODE(TREE_OPERAND(fn, 0)) != FUNCTION_DECL) {
		error_at(user_loc(arm->loc), "an altcall arm must call a function by name, "
			 "not through a pointer");
		return false;
	}
	arm->fndecl = TREE_OPERAND(fn, 0);
	if (fndecl_built_in_p(arm->fndecl)) {
		error_at(user_loc(arm->loc), "an altcall arm cannot call the built-in "
			 "function %qD", arm->fndecl);
		return false;
	}
	if (!prototype_p(TREE_TYPE(arm->fndecl))) {
		error_at(user_loc(arm->loc), "%qD has no prototype; an altcall target needs "
			 "one%s", arm->fndecl, ALTCALL_C_DECL_IMPLICIT(arm->fndecl) ?
			 " (it is called without a declaration)" : "");
		return false;
	}
	return true;
}

static bool parse_arm(tree body, location_t site_loc, struct arm *arm)
{
	tree t;

	memset(arm, 0, sizeof(*arm));
	arm->loc = site_loc;
	if (!single_statement(body, site_loc, &t))
		return false;
	if (!t) {
		arm->shape = ARM_NONE;
		return true;
	}
	arm->stmt = t;
	arm->loc = EXPR_LOC_OR_LOC(t, site_loc);

	tree e = t;
	while (CONVERT_EXPR_P(e) && VOID_TYPE_P(TREE_TYPE(e)))
		e = TREE_OPERAND(e, 0);

	if (site_cond_expr_p(e)) {
		error_at(user_loc(arm->loc), "altcall sites cannot be nested; "
			 "combine the features in one site per call");
		return false;
	}
	if (TREE_CODE(e) == CALL_EXPR) {
		arm->shape = ARM_CALL;
		arm->call = e;
	} else if (TREE_CODE(e) == MODIFY_EXPR) {
		arm->shape = ARM_ASSIGN;
		arm->lhs = TREE_OPERAND(e, 0);
		arm->call = strip_conversions(TREE_OPERAND(e, 1));
	} else if (TREE_CODE(e) == RETURN_EXPR && TREE_OPERAND(e, 0)) {
		tree r = TREE_OPERAND(e, 0);
		arm->shape = ARM_RETURN;
		if (TREE_CODE(r) == MODIFY_EXPR &&
		    TREE_CODE(TREE_OPERAND(r, 0)) == RESULT_DECL)
			r = TREE_OPERAND(r, 1);
		arm->call = strip_conversions(r);
	}
	if (!arm->call || TREE_CODE(arm->call) != CALL_EXPR) {
		error_at(user_loc(arm->loc), "an altcall arm must be exactly one call of the "
			 "form %<f(args);%>, %<lhs = f(args);%> or "
			 "%<return f(args);%>");
		return false;
	}
	arm->loc = EXPR_LOC_OR_LOC(arm->call, arm->loc);
	for (int i = 0; i < call_expr_nargs(arm->call); i++) {
		if (walk_tree_without_duplicates(&CALL_EXPR_ARG(arm->call, i),
						 find_site, NULL)) {
			error_at(user_loc(arm->loc), "altcall sites cannot be nested; "
				 "combine the features in one site per call");
			return false;
		}
	}
	return parse_callee(arm);
}

/* Both targets must have one ABI: the call is set up once, for the default. */
static bool compatible_targets(tree a, tree b, location_t loc)
{
	tree ta = TREE_TYPE(a), tb = TREE_TYPE(b);
	bool ok = types_compatible_p(TREE_TYPE(ta), TREE_TYPE(tb)) &&
		  stdarg_p(ta) == stdarg_p(tb) &&
		  comp_type_attributes(ta, tb) == 1;
	tree pa = TYPE_ARG_TYPES(ta), pb = TYPE_ARG_TYPES(tb);

	for (; ok && pa && pb; pa = TREE_CHAIN(pa), pb = TREE_CHAIN(pb))
		ok = types_compatible_p(TREE_VALUE(pa), TREE_VALUE(pb));
	if (ok && !pa && !pb)
		return true;
	/* Types that print alike differ in a type attribute (ms_abi, ...). */
	if (comp_type_attributes(ta, tb) != 1) {
		tree only_a = NULL_TREE, only_b = NULL_TREE;
		for (tree x = TYPE_ATTRIBUTES(ta); x && !only_a; x = TREE_CHAIN(x))
			if (!lookup_attribute(IDENTIFIER_POINTER(get_attribute_name(x)),
					      TYPE_ATTRIBUTES(tb)))
				only_a = get_attribute_name(x);
		for (tree x = TYPE_ATTRIBUTES(tb); x && !only_b; x = TREE_CHAIN(x))
			if (!lookup_attribute(IDENTIFIER_POINTER(get_attribute_name(x)),
					      TYPE_ATTRIBUTES(ta)))
				only_b = get_attribute_name(x);
		if (only_a || only_b) {
			error_at(user_loc(loc), "altcall targets %qD and %qD differ in "
				 "their calling convention: %qE only on %qD",
				 a, b, only_a ? only_a : only_b, only_a ? a : b);
			return false;
		}
	}
	error_at(user_loc(loc), "altcall targets %qD and %qD have incompatible types "
		 "%qT and %qT", a, b, ta, tb);
	return false;
}

static bool same_arms(const struct arm *a, const struct arm *b)
{
	if (a->shape != b->shape) {
		error_at(user_loc(b->loc), "both altcall arms must have the same form, "
			 "found %qs and %qs", shape_names[a->shape],
			 shape_names[b->shape]);
		return false;
	}
	if (a->shape == ARM_ASSIGN &&
	    !operand_equal_p(a->lhs, b->lhs, OEP_LEXICOGRAPHIC)) {
		error_at(user_loc(EXPR_LOC_OR_LOC(b->lhs, b->loc)), "both altcall arms must "
			 "assign to the same left-hand side");
		return false;
	}
	if (!compatible_targets(a->fndecl, b->fndecl, b->loc))
		return false;
	if (call_expr_nargs(a->call) != call_expr_nargs(b->call)) {
		error_at(user_loc(b->loc), "both altcall arms must pass the same arguments "
			 "(%d and %d arguments)", call_expr_nargs(a->call),
			 call_expr_nargs(b->call));
		return false;
	}
	for (int i = 0; i < call_expr_nargs(a->call); i++) {
		tree x = CALL_EXPR_ARG(a->call, i), y = CALL_EXPR_ARG(b->call, i);
		if (!operand_equal_p(x, y, OEP_LEXICOGRAPHIC)) {
			error_at(user_loc(EXPR_LOC_OR_LOC(y, b->loc)), "both altcall arms "
				 "must pass the same arguments; argument %d differs",
				 i + 1);
			return false;
		}
	}
	return true;
}

static bool check_feature(tree marker, unsigned *feature, bool *inverted)
{
	location_t loc = EXPR_LOCATION(marker);
	tree f = CALL_EXPR_ARG(marker, 0);
	tree inv = CALL_EXPR_ARG(marker, 1);

	if (TREE_CODE(f) != INTEGER_CST || TREE_CODE(inv) != INTEGER_CST) {
		error_at(user_loc(loc), "the feature of an altcall site must be an integer "
			 "constant expression");
		return false;
	}
	if (!tree_fits_uhwi_p(f) || tree_to_uhwi(f) > ALTCALL_FEATURE_MAX) {
		error_at(user_loc(loc), "altcall feature %qE is out of range; use "
			 "%<ALTCALL_SW_FEATURE(n)%> or an %<ALTCALL_CPU_*%> constant", f);
		return false;
	}
	unsigned v = (unsigned)tree_to_uhwi(f);
	if (ALTCALL_FEATURE_CLASS(v) == ALTCALL_FCLASS_SW &&
	    v >= ALTCALL_SW_FEATURES) {
		error_at(user_loc(loc), "software feature %u is out of range (0 to %u)", v,
			 ALTCALL_SW_FEATURES - 1);
		return false;
	}
	if (ALTCALL_FEATURE_CLASS(v) == ALTCALL_FCLASS_POINTER) {
		error_at(user_loc(loc), "altcall feature 0x%x is in the class of "
			 "%<alternative_call%> sites", v);
		return false;
	}
	*feature = v;
	*inverted = !integer_zerop(inv);
	return true;
}

static void retarget(tree call, tree placeholder)
{
	CALL_EXPR_FN(call) = build1(ADDR_EXPR,
				    build_pointer_type(TREE_TYPE(placeholder)),
				    placeholder);
	/* A const default must not let the call be dropped or merged. */
	TREE_SIDE_EFFECTS(call) = 1;
}

static bool args_side_effect_free(const struct arm *arm)
{
	for (int i = 0; i < call_expr_nargs(arm->call); i++) {
		if (TREE_SIDE_EFFECTS(CALL_EXPR_ARG(arm->call, i))) {
			error_at(user_loc(EXPR_LOC_OR_LOC(CALL_EXPR_ARG(arm->call, i),
							  arm->loc)),
				 "an altcall site with a %<no call%> arm evaluates "
				 "its arguments either way; argument %d has side "
				 "effects", i + 1);
			return false;
		}
	}
	return true;
}

static void lower_statement_site(tree *tp)
{
	tree site = *tp;
	location_t loc = EXPR_LOCATION(site);
	tree marker = site_marker(COND_EXPR_COND(site));
	struct arm then_arm, else_arm;
	unsigned feature;
	bool inverted;

	bool ok = check_feature(marker, &feature, &inverted);
	ok &= parse_arm(COND_EXPR_THEN(site), loc, &then_arm);
	ok &= parse_arm(COND_EXPR_ELSE(site), loc, &else_arm);
	if (!ok)
		return;

	/* Present feature takes the then-arm unless inverted. */
	struct arm *dflt = inverted ? &then_arm : &else_arm;
	struct arm *alt = inverted ? &else_arm : &then_arm;
	struct arm *call_arm = dflt->shape != ARM_NONE ? dflt : alt;
	struct arm *other = call_arm == dflt ? alt : dflt;

	if (call_arm->shape == ARM_NONE) {
		error_at(user_loc(loc), "an altcall site needs a call in at least one arm");
		return;
	}
	if (other->shape == ARM_NONE) {
		if (call_arm->shape != ARM_CALL) {
			error_at(user_loc(call_arm->loc), "%qs needs a call in both altcall "
				 "arms; only %<f(args);%> may be left without "
				 "ELSE", shape_names[call_arm->shape]);
			return;
		}
		if (!args_side_effect_free(call_arm))
			return;
	} else if (!same_arms(&then_arm, &else_arm)) {
		return;
	}

	tree placeholder = altcall_make_placeholder(TREE_TYPE(call_arm->fndecl),
						    dflt->fndecl, alt->fndecl,
						    feature);
	retarget(call_arm->call, placeholder);
	SET_EXPR_LOCATION(call_arm->stmt, call_arm->loc);
	*tp = call_arm->stmt;
}

static bool lower_expression_site(tree call)
{
	tree cond = strip_conversions(CALL_EXPR_FN(call));
	tree marker = site_marker(COND_EXPR_COND(cond));
	location_t loc = EXPR_LOC_OR_LOC(call, EXPR_LOCATION(marker));
	tree then_fn = strip_conversions(COND_EXPR_THEN(cond));
	tree else_fn = strip_conversions(COND_EXPR_ELSE(cond));
	unsigned feature;
	bool inverted;

	if (!check_feature(marker, &feature, &inverted))
		return false;
	if (TREE_CODE(then_fn) != ADDR_EXPR || TREE_CODE(else_fn) != ADDR_EXPR ||
	    TREE_CODE(TREE_OPERAND(then_fn, 0)) != FUNCTION_DECL ||
	    TREE_CODE(TREE_OPERAND(else_fn, 0)) != FUNCTION_DECL) {
		error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> takes two function names, not "
			 "pointers");
		return false;
	}
	then_fn = TREE_OPERAND(then_fn, 0);
	else_fn = TREE_OPERAND(else_fn, 0);
	tree dflt = inverted ? then_fn : else_fn;
	tree alt = inverted ? else_fn : then_fn;
	if (fndecl_built_in_p(dflt) || fndecl_built_in_p(alt)) {
		error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> cannot call a built-in function");
		return false;
	}
	if (!prototype_p(TREE_TYPE(dflt)) || !prototype_p(TREE_TYPE(alt))) {
		error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> targets need prototypes");
		return false;
	}
	if (!compatible_targets(alt, dflt, loc))
		return false;
	retarget(call, altcall_make_placeholder(TREE_TYPE(dflt), dflt, alt,
						feature));
	return true;
}

/*
 * alternative_call(fp, args): CALL_EXPR <COMPOUND_EXPR <__altcall_ptr (0, fp),
 * fp>, args>.  fp must be a function pointer at a link-time constant
 * address: the record and the trampoline refer to it PC-relatively.
 */
static bool lower_pointer_site(tree call, tree marker)
{
	location_t loc = user_loc(EXPR_LOC_OR_LOC(call, EXPR_LOCATION(marker)));
	/* fp itself, not &fp: an rvalue (get()) reaches this check, at the
	 * user's line, instead of a front-end error inside the macro. */
	tree slot = call_expr_nargs(marker) == 2
		    ? strip_conversions(CALL_EXPR_ARG(marker, 1)) : NULL_TREE;

	if (!slot || !POINTER_TYPE_P(TREE_TYPE(slot)) ||
	    TREE_CODE(TREE_TYPE(TREE_TYPE(slot))) != FUNCTION_TYPE) {
		error_at(loc, "%<alternative_call%> needs a pointer to a function, "
			 "not %qT", slot ? TREE_TYPE(slot) : void_type_node);
		return false;
	}

	poly_int64 bitsize, bitpos;
	tree offset;
	machine_mode mode;
	int unsignedp, reversep, volatilep = 0;
	tree base = get_inner_reference(slot, &bitsize, &bitpos, &offset, &mode,
					&unsignedp, &reversep, &volatilep);
	HOST_WIDE_INT bits;
	if (!VAR_P(base) || !is_global_var(base) || offset ||
	    !bitpos.is_constant(&bits) || bits % BITS_PER_UNIT) {
		error_at(loc, "%<alternative_call%> needs a function pointer at a "
			 "fixed address: a global, a field of a global struct or "
			 "an element of a global array at a constant index");
		return false;
	}
	if (DECL_THREAD_LOCAL_P(base)) {
		error_at(loc, "%<alternative_call%> cannot use the thread-local "
			 "pointer %qD", base);
		return false;
	}
	/* A kernel frees init memory: a site left on its trampoline (pointer
	 * still NULL at its last apply) would then read freed memory. */
	const char *section = DECL_SECTION_NAME(base);
	if (section && startswith(section, ".init.")) {
		error_at(loc, "%<alternative_call%> pointer %qD is in init memory "
			 "(section %qs), which its trampoline could read after it "
			 "is freed; keep it in data that lives as long as the code "
			 "(e.g. %<__ro_after_init%>)", base, section);
		return false;
	}
	/* The runtime and the trampoline read the pointer behind the
	 * optimisers' back: its stores must stay. */
	TREE_ADDRESSABLE(base) = 1;
	DECL_PRESERVE_P(base) = 1;
	TREE_USED(base) = 1;

	tree fntype = TREE_TYPE(TREE_TYPE(slot));
	retarget(call, altcall_make_placeholder(fntype, NULL_TREE, NULL_TREE,
						ALTCALL_FEATURE_POINTER, base,
						(unsigned HOST_WIDE_INT)bits /
						BITS_PER_UNIT));
	return true;
}

static tree lower_walker(tree *tp, int *walk_subtrees, void *)
{
	tree t = *tp;

	if (site_cond_expr_p(t) && VOID_TYPE_P(TREE_TYPE(t))) {
		lower_statement_site(tp);
		/* Go on into the kept statement (its arguments may hold
		 * ALTERNATIVE_CALL sites); a refused site is not re-reported. */
		if (*tp == t)
			*walk_subtrees = 0;
		return NULL_TREE;
	}
	if (TREE_CODE(t) != CALL_EXPR)
		return NULL_TREE;
	/* Internal functions (__builtin_mul_overflow, ...) have no callee. */
	tree fn = strip_conversions(CALL_EXPR_FN(t));
	if (fn && (site_cond_expr_p(fn) ||
	    (TREE_CODE(fn) == COMPOUND_EXPR &&
	     marker_call_p(TREE_OPERAND(fn, 0)) &&
	     pointer_marker_p(TREE_OPERAND(fn, 0))))) {
		bool ok = TREE_CODE(fn) == COMPOUND_EXPR
			  ? lower_pointer_site(t, TREE_OPERAND(fn, 0))
			  : lower_expression_site(t);
		if (!ok)
			*walk_subtrees = 0;
		return NULL_TREE;
	}
	if (marker_call_p(t)) {
		error_at(user_loc(EXPR_LOCATION(t)), "%qD may only be used through the "
			 "%<ALTERNATIVE_*%> macros of %<altcall.h%>",
			 get_callee_fndecl(t));
		*walk_subtrees = 0;
	}
	return NULL_TREE;
}

void altcall_note_marker(tree decl)
{
	for (unsigned i = 0; i < ARRAY_SIZE(markers); i++) {
		if (!markers[i] || markers[i] == decl) {
			markers[i] = decl;
			return;
		}
	}
}

/*
 * GNU C nested functions get no PRE_GENERICIZE event of their own: the C
 * front end genericizes them with their outermost function, so they are
 * lowered with it.
 */
static void lower_function(tree fndecl)
{
	if (DECL_SAVED_TREE(fndecl))
		walk_tree_without_duplicates(&DECL_SAVED_TREE(fndecl),
					     lower_walker, NULL);
	cgraph_node *node = cgraph_node::get(fndecl);
	for (cgraph_node *n = node ? first_nested_function(node) : NULL; n;
	     n = next_nested_function(n))
		lower_function(n->decl);
}

void altcall_lower_sites(void *gcc_data, void *)
{
	tree fndecl = (tree)gcc_data;
	bool used = false;

	/* The C front end marks a function used when an expression names it. */
	for (unsigned i = 0; i < ARRAY_SIZE(markers); i++)
		used |= markers[i] && TREE_USED(markers[i]);
	if (!used)
		return;

	lower_function(fndecl);
}
