/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Site lowering, run from PLUGIN_PRE_GENERICIZE for every C function body.
 *
 * A statement site, as <altcall.h> spells it, arrives as
 *	COND_EXPR <__altcall_cond (kind, F...), then-arm, else-arm>
 * where kind is ALTCALL_COND_IF or _IF_NOT, and each ALTERNATIVE_ELIF is an
 * else-arm that is itself such a COND_EXPR of kind ALTCALL_COND_ELIF.  An
 * expression site (ALTERNATIVE_CALL) arrives as
 *	CALL_EXPR <fn = COND_EXPR <__altcall_cond (0, F...), &new, &old>, args>
 * where old may again be such a COND_EXPR (more arms).  F... are the
 * condition's feature words, all of which must be present.  Each arm must
 * be one call of the form  f(args);  lhs = f(args);  or  return f(args);
 * with the same arguments and lhs in every arm; an empty arm means "no
 * call".  The site is replaced by the default arm's statement (the arm
 * taken when no condition holds) with its callee replaced by a fresh
 * placeholder declaration that carries the site's meaning (placeholder.h)
 * in an attribute no source can spell.  Every misuse is an error at the
 * user's location; after an error the site is left as written (the
 * compilation fails anyway) and lowering goes on so that all errors are
 * reported.
 */
#include "altcall-plugin.h"
#include "placeholder.h"
#include "altcall-target.h"

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

/* The target of every arm lowered so far, checked once the whole unit is
 * known (altcall_check_arm_targets): a TREE_LIST of FUNCTION_DECLs, the
 * latest first, and the arms' locations, in source order. */
static tree pending_arms;
static vec<location_t> pending_locs;

/* Both are read across functions, and the GC runs between functions:
 * roots, so that they never hold a collected tree. */
const struct ggc_root_tab altcall_lower_ggc_roots[] = {
	{
		.base = markers,
		.nelt = ARRAY_SIZE(markers),
		.stride = sizeof(markers[0]),
		.cb = &gt_ggc_mx_tree_node,
		.pchw = &gt_pch_nx_tree_node,
	},
	{
		.base = &pending_arms,
		.nelt = 1,
		.stride = sizeof(pending_arms),
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

/* A condition marker's kind: ALTCALL_COND_IF, _IF_NOT or _ELIF; -1 if it
 * is not a constant (reported by parse_cond). */
static int marker_kind(tree marker)
{
	tree kind = call_expr_nargs(marker) ? CALL_EXPR_ARG(marker, 0) : NULL_TREE;

	return kind && tree_fits_uhwi_p(kind) && tree_to_uhwi(kind) <= ALTCALL_COND_ELIF
	       ? (int)tree_to_uhwi(kind) : -1;
}

static tree strip_conversions(tree t)
{
	while (t && (CONVERT_EXPR_P(t) || TREE_CODE(t) == NON_LVALUE_EXPR))
		t = TREE_OPERAND(t, 0);
	return t;
}

/* The marker call if cond is a site condition, else NULL_TREE; *negated
 * if cond is "marker == 0" (fold turns c ? x : (c2 ? y : z) into that, with
 * the arms swapped). */
static tree site_marker(tree cond, bool *negated = NULL)
{
	bool neg = false;

	cond = strip_conversions(cond);
	if (cond && (TREE_CODE(cond) == NE_EXPR || TREE_CODE(cond) == EQ_EXPR) &&
	    integer_zerop(TREE_OPERAND(cond, 1))) {
		neg = TREE_CODE(cond) == EQ_EXPR;
		cond = strip_conversions(TREE_OPERAND(cond, 0));
	}
	if (negated)
		*negated = neg;
	return cond && marker_call_p(cond) ? cond : NULL_TREE;
}

/* The operands of site COND_EXPR t taken when its condition holds and when
 * it does not; returns its marker. */
static tree site_operands(tree t, tree *if_true, tree *if_false)
{
	bool negated;
	tree marker = site_marker(COND_EXPR_COND(t), &negated);

	*if_true = negated ? COND_EXPR_ELSE(t) : COND_EXPR_THEN(t);
	*if_false = negated ? COND_EXPR_THEN(t) : COND_EXPR_ELSE(t);
	return marker;
}

static bool site_cond_expr_p(tree t)
{
	if (!t || TREE_CODE(t) != COND_EXPR)
		return false;
	tree marker = site_marker(COND_EXPR_COND(t));
	return marker && !pointer_marker_p(marker);
}

#define ELIF_GUARD "ALTERNATIVE_ELIF_needs_ALTERNATIVE_IF"

/* ALTERNATIVE_IF's enumerator, which ALTERNATIVE_ELIF names so that an
 * ELIF outside an IF is a front-end error (<altcall.h>), or the C front
 * end's TYPE_DECL of its anonymous enum. */
static bool elif_guard_p(const_tree decl)
{
	if (TREE_CODE(decl) == CONST_DECL)
		return DECL_NAME(decl) && id_equal(DECL_NAME(decl), ELIF_GUARD);
	if (TREE_CODE(decl) != TYPE_DECL || DECL_NAME(decl) ||
	    TREE_CODE(TREE_TYPE(decl)) != ENUMERAL_TYPE)
		return false;
	tree values = TYPE_VALUES(TREE_TYPE(decl));
	return values && !TREE_CHAIN(values) &&
	       TREE_CODE(TREE_PURPOSE(values)) == IDENTIFIER_NODE &&
	       id_equal(TREE_PURPOSE(values), ELIF_GUARD);
}

/*
 * Drop the guard from the block of an ALTERNATIVE_IF site: it has done its
 * work in the front end.  Left there, it would give every site a scope of
 * its own, and so DWARF lexical blocks and .LBB labels the site did not
 * have before ELIF existed.  A block left with nothing in it goes too: the
 * BIND_EXPR at *tp becomes its body.  Returns whether *tp changed.
 */
static bool drop_elif_guard(tree *tp)
{
	tree bind = *tp, block = BIND_EXPR_BLOCK(bind);
	bool dropped = false;

	for (tree *v = &BIND_EXPR_VARS(bind); *v;) {
		if (!elif_guard_p(*v)) {
			v = &DECL_CHAIN(*v);
			continue;
		}
		if (block && BLOCK_VARS(block) == *v)
			BLOCK_VARS(block) = DECL_CHAIN(*v);
		*v = DECL_CHAIN(*v);
		dropped = true;
	}
	if (!dropped || BIND_EXPR_VARS(bind) || !block || BLOCK_VARS(block) ||
	    BLOCK_SUBBLOCKS(block) || !BLOCK_SUPERCONTEXT(block) ||
	    TREE_CODE(BLOCK_SUPERCONTEXT(block)) != BLOCK)
		return false;
	for (tree *b = &BLOCK_SUBBLOCKS(BLOCK_SUPERCONTEXT(block)); *b;
	     b = &BLOCK_CHAIN(*b)) {
		if (*b == block) {
			*b = BLOCK_CHAIN(block);
			*tp = BIND_EXPR_BODY(bind);
			return true;
		}
	}
	return false;
}

/*
 * The one statement of an arm, or NULL_TREE for an empty arm.  Debug
 * markers are not statements: with -g from -O1 on (-gstatement-frontiers)
 * the C front end gives every statement one, and an empty arm, {} or ;,
 * is nothing but its marker.
 */
static bool single_statement(tree t, location_t loc, tree *out)
{
	for (;;) {
		if (!t || TREE_CODE(t) == DEBUG_BEGIN_STMT) {
			*out = NULL_TREE;
			return true;
		}
		if (TREE_CODE(t) == BIND_EXPR) {
			/* A function called without a declaration (gnu89, or
			 * C with the warning only) is declared in the arm's
			 * block: parse_callee reports it, at the call. */
			for (tree v = BIND_EXPR_VARS(t); v; v = DECL_CHAIN(v)) {
				if (TREE_CODE(v) == FUNCTION_DECL || elif_guard_p(v))
					continue;
				/* At the declaration: the site's own line is
				 * where its IF is, whichever arm declares. */
				error_at(user_loc(DECL_SOURCE_LOCATION(v)), "an altcall "
					 "arm cannot declare variables; declare them "
					 "before the site");
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

static bool ident_char(char c)
{
	return ISALNUM(c) || c == '_' || c == '$';
}

/*
 * The built-in function whose call the C front end folded away before the
 * plugin saw the arm: abs (x) arrives as ABS_EXPR <x>, strlen ("ab") as 2,
 * with nothing left of the call but the source text.  So this reads the
 * name spelled at loc (after the token there if skip, the '=' of an
 * assignment or a 'return') and returns it if a name followed by '(' is
 * spelled there and names a built-in function; else NULL.  *name_loc is
 * where the name is, for the user (see user_loc).
 */
static const char *folded_builtin(location_t loc, bool skip, location_t *name_loc)
{
	if (loc == UNKNOWN_LOCATION)
		return NULL;
	location_t spelled = get_pure_location(linemap_resolve_location(
		line_table, loc, LRK_SPELLING_LOCATION, NULL));
	expanded_location x = expand_location(spelled);
	if (!x.file || x.line <= 0 || x.column <= 0)
		return NULL;
	char_span line = altcall_source_line(x.file, x.line);
	size_t i = (size_t)x.column - 1, n = line.length();
	if (!line || i >= n)
		return NULL;
	if (skip) {
		if (ident_char(line[i]))
			while (i < n && ident_char(line[i]))
				i++;
		else
			while (i < n && ISPUNCT(line[i]) && line[i] != '(')
				i++;
		while (i < n && ISSPACE(line[i]))
			i++;
	} else {
		while (i > 0 && ident_char(line[i - 1]))
			i--;
	}
	size_t start = i;
	while (i < n && ident_char(line[i]))
		i++;
	size_t len = i - start;
	while (i < n && ISSPACE(line[i]))
		i++;
	if (!len || (i < n && line[i] != '('))
		return NULL;

	static char name[64];
	if (len >= sizeof(name))
		return NULL;
	memcpy(name, line.get_buffer() + start, len);
	name[len] = 0;
	/* A library built-in (abs) is the __builtin_ one without the prefix. */
	for (int f = BUILT_IN_NONE + 1; f < (int)END_BUILTINS; f++) {
		tree d = builtin_decl_explicit((enum built_in_function)f);
		if (!d || !DECL_NAME(d))
			continue;
		const char *b = IDENTIFIER_POINTER(DECL_NAME(d));
		if (strcmp(b, name) &&
		    !(startswith(b, "__builtin_") && !strcmp(b + 10, name)))
			continue;
		/* A name spelled in a macro's definition is reported where
		 * the macro is used, like every other error of an arm. */
		*name_loc = user_loc(loc);
		if (*name_loc == spelled)
			*name_loc = linemap_position_for_loc_and_offset(
				line_table, spelled, (int)start - (x.column - 1));
		return name;
	}
	return NULL;
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
		/* Where a folded call's name may be: at the value if it kept
		 * a location (ABS_EXPR), else after the '=' or 'return' (a
		 * constant), else at the expression statement. */
		tree v = arm->call ? arm->call : strip_conversions(e);
		location_t name_loc;
		const char *builtin = NULL;
		if (v && EXPR_HAS_LOCATION(v))
			builtin = folded_builtin(EXPR_LOCATION(v), false, &name_loc);
		if (!builtin && arm->shape != ARM_NONE)
			builtin = folded_builtin(EXPR_LOCATION(e), true, &name_loc);
		if (!builtin && arm->shape == ARM_NONE && EXPR_HAS_LOCATION(t))
			builtin = folded_builtin(EXPR_LOCATION(t), false, &name_loc);
		if (builtin) {
			error_at(name_loc, "an altcall arm cannot call the built-in "
				 "function %qs", builtin);
			return false;
		}
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

/* every: "both" for a two-way site, "all" for more arms. */
static bool same_arms(const struct arm *a, const struct arm *b, const char *every)
{
	if (a->shape != b->shape) {
		error_at(user_loc(b->loc), "%s altcall arms must have the same form, "
			 "found %qs and %qs", every, shape_names[a->shape],
			 shape_names[b->shape]);
		return false;
	}
	if (a->shape == ARM_ASSIGN &&
	    !operand_equal_p(a->lhs, b->lhs, OEP_LEXICOGRAPHIC)) {
		error_at(user_loc(EXPR_LOC_OR_LOC(b->lhs, b->loc)), "%s altcall arms must "
			 "assign to the same left-hand side", every);
		return false;
	}
	if (!compatible_targets(a->fndecl, b->fndecl, b->loc))
		return false;
	if (call_expr_nargs(a->call) != call_expr_nargs(b->call)) {
		error_at(user_loc(b->loc), "%s altcall arms must pass the same arguments "
			 "(%d and %d arguments)", every, call_expr_nargs(a->call),
			 call_expr_nargs(b->call));
		return false;
	}
	for (int i = 0; i < call_expr_nargs(a->call); i++) {
		tree x = CALL_EXPR_ARG(a->call, i), y = CALL_EXPR_ARG(b->call, i);
		if (!operand_equal_p(x, y, OEP_LEXICOGRAPHIC)) {
			error_at(user_loc(EXPR_LOC_OR_LOC(y, b->loc)), "%s altcall arms "
				 "must pass the same arguments; argument %d differs",
				 every, i + 1);
			return false;
		}
	}
	return true;
}

/* The condition of marker (its feature words) into arm; false after an error. */
static bool parse_cond(tree marker, struct altcall_arm_info *arm)
{
	location_t loc = user_loc(EXPR_LOCATION(marker));
	int n = call_expr_nargs(marker) - 1;

	if (marker_kind(marker) < 0) {
		error_at(loc, "%qD may only be used through the %<ALTERNATIVE_*%> "
			 "macros of %<altcall.h%>", get_callee_fndecl(marker));
		return false;
	}
	if (n < 1) {
		error_at(loc, "an altcall condition needs at least one feature");
		return false;
	}
	if (n > ALTCALL_MAX_FEATURES) {
		error_at(loc, "an altcall condition takes at most %u features, "
			 "found %d", ALTCALL_MAX_FEATURES, n);
		return false;
	}
	arm->nfeatures = 0;
	for (int i = 1; i <= n; i++) {
		tree f = CALL_EXPR_ARG(marker, i);

		if (TREE_CODE(f) != INTEGER_CST) {
			error_at(loc, "the feature of an altcall site must be an "
				 "integer constant expression");
			return false;
		}
		if (!tree_fits_uhwi_p(f) || tree_to_uhwi(f) > ALTCALL_FEATURE_MAX) {
			error_at(loc, "altcall feature %qE is out of range; use "
				 "%<ALTCALL_SW_FEATURE(n)%> or an %<ALTCALL_CPU_*%> "
				 "constant", f);
			return false;
		}
		unsigned v = (unsigned)tree_to_uhwi(f);
		if (ALTCALL_FEATURE_CLASS(v) == ALTCALL_FCLASS_SW &&
		    v >= ALTCALL_SW_FEATURES) {
			error_at(loc, "software feature %u is out of range (0 to %u)",
				 v, ALTCALL_SW_FEATURES - 1);
			return false;
		}
		if (ALTCALL_FEATURE_CLASS(v) == ALTCALL_FCLASS_POINTER) {
			error_at(loc, "altcall feature 0x%x is in the class of "
				 "%<alternative_call%> sites", v);
			return false;
		}
		arm->feature[arm->nfeatures++] = v;
	}
	return true;
}

/* Remember fn, the target of an arm at loc, for altcall_check_arm_targets. */
static void note_arm_target(tree fn, location_t loc)
{
	if (!fn)
		return;
	pending_arms = tree_cons(NULL_TREE, fn, pending_arms);
	pending_locs.safe_push(user_loc(loc));
}

/*
 * A record refers to its arms PC-relatively, so each must be a function
 * that exists in the image: not a weak declaration left undefined in this
 * unit (the link fails, or a PIE gets text relocations), and on arm64 not
 * an ifunc (no PC-relative data relocation reaches one).  Whether a
 * declaration is defined later in the unit, made weak or an ifunc by a
 * later declaration, is known only once the unit is parsed: so this runs
 * at PLUGIN_FINISH, and reports every offending arm of every site, each
 * where it is written, even in a unit that has other errors (GCC
 * compiles no function after an error, so the emit pass could not).
 */
void altcall_check_arm_targets(void)
{
	unsigned i = 0;

	pending_arms = nreverse(pending_arms);
	for (tree p = pending_arms; p; p = TREE_CHAIN(p)) {
		tree fn = TREE_VALUE(p);
		location_t loc = pending_locs[i++];

		if (DECL_WEAK(fn) && DECL_EXTERNAL(fn))
			error_at(loc, "altcall: %qD is a weak declaration with no "
				 "definition in this unit; a site record cannot refer "
				 "to a function that may not exist: define it (a weak "
				 "definition is fine) or call it through a pointer "
				 "(%<altcall_ptr_call%>)", fn);
		else
			altcall_target_arm_ok(fn, loc);
	}
	pending_arms = NULL_TREE;
	pending_locs.release();
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

/* A statement site as parsed: its arms in source order, each with its
 * condition (cond[i].fn unused), the last one without a condition being
 * the ELSE arm if there is one. */
struct stmt_site {
	unsigned n;
	struct arm arm[ALTCALL_MAX_ARMS];
	struct altcall_arm_info cond[ALTCALL_MAX_ARMS];
};

/* Collect the IF ... ELIF ... ELSE chain that starts at head into *site. */
static bool collect_chain(tree head, location_t loc, struct stmt_site *site,
			  bool *inverted)
{
	tree then_arm, else_arm;
	tree marker = site_operands(head, &then_arm, &else_arm);
	bool ok;

	if (marker_kind(marker) == ALTCALL_COND_ELIF) {
		error_at(user_loc(EXPR_LOCATION(marker)), "%<ALTERNATIVE_ELIF%> "
			 "outside an altcall site");
		return false;
	}
	*inverted = marker_kind(marker) == ALTCALL_COND_IF_NOT;
	site->n = 0;
	for (;;) {
		tree next;

		/* Arms with a condition, the one at marker not yet counted;
		 * the default (ELSE, or "no call") makes ALTCALL_MAX_ARMS. */
		if (site->n == ALTCALL_MAX_ARMS - 1) {
			error_at(user_loc(EXPR_LOCATION(marker)), "an altcall site "
				 "has at most %u arms with a condition (an "
				 "%<ALTERNATIVE_IF%> and %u %<ALTERNATIVE_ELIF%>; "
				 "%<ALTERNATIVE_ELSE%> is not counted)",
				 ALTCALL_MAX_ARMS - 1, ALTCALL_MAX_ARMS - 2);
			return false;
		}
		ok = parse_cond(marker, &site->cond[site->n]);
		ok &= parse_arm(then_arm, loc, &site->arm[site->n]);
		site->n++;
		if (!single_statement(else_arm, loc, &next))
			return false;
		if (!next || !site_cond_expr_p(next) ||
		    marker_kind(site_marker(COND_EXPR_COND(next))) != ALTCALL_COND_ELIF)
			break;
		marker = site_operands(next, &then_arm, &else_arm);
		if (*inverted) {
			error_at(user_loc(EXPR_LOCATION(marker)), "%<ALTERNATIVE_ELIF%> "
				 "cannot follow %<ALTERNATIVE_IF_NOT%>, whose first "
				 "arm is the default; write the conditions with "
				 "%<ALTERNATIVE_IF%>");
			return false;
		}
		if (!ok)
			return false;
	}
	/* The ELSE arm (absent: "no call"). */
	ok &= parse_arm(else_arm, loc, &site->arm[site->n]);
	site->cond[site->n].nfeatures = 0;
	site->n++;
	return ok;
}

static void lower_statement_site(tree *tp)
{
	tree site = *tp;
	location_t loc = EXPR_LOCATION(site);
	struct stmt_site s;
	struct altcall_site_info info = {};
	bool inverted;

	if (!collect_chain(site, loc, &s, &inverted))
		return;
	/* The default is the ELSE arm, or IF_NOT's first arm, which takes
	 * the ELSE arm's place and gives it its condition. */
	unsigned dflt = inverted ? 0 : s.n - 1;
	struct arm *call_arm = NULL;
	bool no_call = false;
	for (unsigned i = 0; i < s.n; i++) {
		/* The kept statement: the default's, else the first call's. */
		unsigned a = (dflt + i) % s.n;
		if (s.arm[a].shape == ARM_NONE)
			no_call = true;
		else if (!call_arm)
			call_arm = &s.arm[a];
	}
	if (!call_arm) {
		error_at(user_loc(loc), "an altcall site needs a call in at least one arm");
		return;
	}
	const char *every = s.n == 2 ? "both" : "all";
	if (no_call) {
		if (call_arm->shape != ARM_CALL) {
			error_at(user_loc(call_arm->loc), "%qs needs a call in %s altcall "
				 "arms; only %<f(args);%> may be left without "
				 "ELSE", shape_names[call_arm->shape], every);
			return;
		}
		if (!args_side_effect_free(call_arm))
			return;
	}
	/* Each arm against the first call in source order, so that an error
	 * points at the later arm that differs. */
	struct arm *first = NULL;
	for (unsigned a = 0; a < s.n; a++) {
		if (s.arm[a].shape == ARM_NONE)
			continue;
		if (!first)
			first = &s.arm[a];
		else if (!same_arms(first, &s.arm[a], every))
			return;
	}

	for (unsigned a = 0; a < s.n; a++)
		note_arm_target(s.arm[a].fndecl, s.arm[a].loc);
	info.dflt = s.arm[dflt].fndecl;
	if (inverted) {
		info.narms = 1;
		info.arm[0] = s.cond[0];
		info.arm[0].fn = s.arm[1].fndecl;
	} else {
		info.narms = s.n - 1;
		for (unsigned a = 0; a < info.narms; a++) {
			info.arm[a] = s.cond[a];
			info.arm[a].fn = s.arm[a].fndecl;
		}
	}
	retarget(call_arm->call, altcall_make_placeholder(TREE_TYPE(call_arm->fndecl),
							  &info));
	SET_EXPR_LOCATION(call_arm->stmt, call_arm->loc);
	*tp = call_arm->stmt;
}

/* The function an ALTERNATIVE_CALL names (new_fn, old_fn), or NULL_TREE
 * after an error. */
static tree expression_target(tree e, location_t loc)
{
	e = strip_conversions(e);
	if (TREE_CODE(e) != ADDR_EXPR ||
	    TREE_CODE(TREE_OPERAND(e, 0)) != FUNCTION_DECL) {
		if (site_cond_expr_p(e))
			error_at(user_loc(loc), "an %<ALTERNATIVE_CALL%> may only be "
				 "the default (%<old_fn%>) of another");
		else
			error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> takes two "
				 "function names, not pointers");
		return NULL_TREE;
	}
	tree fn = TREE_OPERAND(e, 0);
	if (fndecl_built_in_p(fn)) {
		error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> cannot call a built-in function");
		return NULL_TREE;
	}
	if (!prototype_p(TREE_TYPE(fn))) {
		error_at(user_loc(loc), "%<ALTERNATIVE_CALL%> targets need prototypes");
		return NULL_TREE;
	}
	return fn;
}

static bool lower_expression_site(tree call)
{
	tree if_true, if_false;
	tree marker = site_operands(strip_conversions(CALL_EXPR_FN(call)),
				    &if_true, &if_false);
	location_t loc = EXPR_LOC_OR_LOC(call, EXPR_LOCATION(marker));
	struct altcall_site_info info = {};
	bool inverted = marker_kind(marker) == ALTCALL_COND_IF_NOT;

	/* ALTERNATIVE_CALL(c1, f1, ALTERNATIVE_CALL(c2, f2, old)): a chain
	 * down the else operands. */
	for (;;) {
		struct altcall_arm_info *arm = &info.arm[info.narms];

		if (info.narms == ALTCALL_MAX_ARMS - 1) {
			error_at(user_loc(loc), "an altcall site has at most %u "
				 "arms with a condition (%u %<ALTERNATIVE_CALL%>s; "
				 "the last %<old_fn%> is not counted)",
				 ALTCALL_MAX_ARMS - 1, ALTCALL_MAX_ARMS - 1);
			return false;
		}
		if (!parse_cond(marker, arm))
			return false;
		arm->fn = expression_target(if_true, loc);
		if (!arm->fn)
			return false;
		info.narms++;
		tree rest = strip_conversions(if_false);
		if (!site_cond_expr_p(rest) || inverted ||
		    marker_kind(site_marker(COND_EXPR_COND(rest))) != ALTCALL_COND_IF)
			break;
		marker = site_operands(rest, &if_true, &if_false);
	}
	info.dflt = expression_target(if_false, loc);
	if (!info.dflt)
		return false;
	if (inverted) {
		tree t = info.dflt;
		info.dflt = info.arm[0].fn;
		info.arm[0].fn = t;
	}
	for (unsigned a = 0; a < info.narms; a++)
		if (!compatible_targets(info.arm[a].fn, info.dflt, loc))
			return false;
	for (unsigned a = 0; a < info.narms; a++)
		note_arm_target(info.arm[a].fn, loc);
	note_arm_target(info.dflt, loc);
	retarget(call, altcall_make_placeholder(TREE_TYPE(info.dflt), &info));
	return true;
}

/*
 * The value of alternative_call's pointer slot if it is known here and can
 * never change, else NULL_TREE (it is read at run time).  GCC's C front end
 * itself replaces a const, non-volatile, non-aggregate variable that has a
 * constant initializer by that initializer, from -O1 on and before the
 * plugin sees the site (decl_constant_value_for_optimization), even a weak
 * one: the plugin then finds &f or another constant.  At -O0 it finds the
 * variable, and does the same under the same conditions, so that every -O
 * level makes the same code.  A field or element of a const object is not
 * replaced by the front end, nor here: it stays a site.
 */
static tree constant_pointer_value(tree slot)
{
	if (TREE_CONSTANT(slot) && !DECL_P(slot))
		return slot;
	if (!VAR_P(slot) || TREE_THIS_VOLATILE(slot) || !TREE_READONLY(slot) ||
	    TREE_CODE(TREE_TYPE(slot)) == ARRAY_TYPE || DECL_MODE(slot) == BLKmode)
		return NULL_TREE;
	tree init = DECL_INITIAL(slot);
	if (!init || error_operand_p(init) || !TREE_CONSTANT(init) ||
	    TREE_CODE(init) == CONSTRUCTOR)
		return NULL_TREE;
	return init;
}

/*
 * alternative_call(fp, args): CALL_EXPR <COMPOUND_EXPR <__altcall_ptr (0, fp),
 * fp>, args>.  fp must be a function pointer at a link-time constant
 * address: the record and the trampoline refer to it PC-relatively.  A fp
 * whose value is a constant (constant_pointer_value) has nothing to patch:
 * the call becomes a plain direct call to that function, without a site.
 */
static bool lower_pointer_site(tree *tp, tree marker)
{
	tree call = *tp;
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

	tree value = constant_pointer_value(slot);
	if (value) {
		tree fn = strip_conversions(value);
		if (TREE_CODE(fn) != ADDR_EXPR ||
		    TREE_CODE(TREE_OPERAND(fn, 0)) != FUNCTION_DECL) {
			error_at(loc, "%<alternative_call%> through a constant "
				 "pointer that is not the address of a function");
			return false;
		}
		CALL_EXPR_FN(call) = fold_convert(TREE_TYPE(CALL_EXPR_FN(call)),
						  unshare_expr(value));
		if (altcall_verbose)
			inform(loc, "altcall: %<alternative_call%> through a constant "
			       "pointer: a direct call to %qD, no site",
			       TREE_OPERAND(fn, 0));
		return true;
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
	 * still NULL at its last apply) would then read freed memory.  A
	 * platform whose last apply seals every pointer site (init-pointers:
	 * Xen) leaves no trampoline in use when that memory goes. */
	const char *section = DECL_SECTION_NAME(base);
	if (section && startswith(section, ".init.") && !altcall_init_pointers) {
		error_at(loc, "%<alternative_call%> pointer %qD is in init memory "
			 "(section %qs), which its trampoline could read after it "
			 "is freed; keep it in data that lives as long as the code "
			 "(e.g. %<__ro_after_init%>)", base, section);
		return false;
	}
	/*
	 * The record and the trampoline refer to the pointer PC-relatively
	 * (altcall/abi.h): the image's own copy.  In code for a shared
	 * object (-fPIC, -fpic) a global that GCC itself does not bind
	 * locally (default visibility: another image may preempt it; x86-64
	 * protected data: the program may copy it) would fail at link time
	 * with the linker's "recompile with -fPIC", which it was, or worse,
	 * leave the site reading another copy than the code that sets it.
	 * Say so here, at the site, with the fix.  (-fPIE and non-PIC code
	 * bind every data symbol locally: copy relocations.)
	 */
	if (flag_shlib && !targetm.binds_local_p(base)) {
		bool declared = DECL_EXTERNAL(base);
		const char *vis = DECL_VISIBILITY(base) == VISIBILITY_PROTECTED
				  ? "protected" : "default";

		if (declared)
			error_at(loc, "%<alternative_call%> pointer %qD may bind to "
				 "a copy in another image (a global with %s visibility "
				 "in code for a shared object), and a site refers to the "
				 "pointer in its own image; make %qD %<static%>, or give "
				 "it hidden visibility (%<__attribute__((visibility("
				 "\"hidden\")))%> on this declaration and on its "
				 "definition)", base, vis, base);
		else
			error_at(loc, "%<alternative_call%> pointer %qD may bind to "
				 "a copy in another image (a global with %s visibility "
				 "in code for a shared object), and a site refers to the "
				 "pointer in its own image; make %qD %<static%>, or give "
				 "it hidden visibility (%<__attribute__((visibility("
				 "\"hidden\")))%> or %<-fvisibility=hidden%>)",
				 base, vis, base);
		inform(DECL_SOURCE_LOCATION(base), declared ? "%qD declared here"
			: "%qD defined here", base);
		return false;
	}
	/* The runtime and the trampoline read the pointer behind the
	 * optimisers' back: its stores must stay. */
	TREE_ADDRESSABLE(base) = 1;
	DECL_PRESERVE_P(base) = 1;
	TREE_USED(base) = 1;

	struct altcall_site_info info = {};
	info.slot_base = base;
	info.slot_offset = (unsigned HOST_WIDE_INT)bits / BITS_PER_UNIT;
	retarget(call, altcall_make_placeholder(TREE_TYPE(TREE_TYPE(slot)), &info));
	*tp = altcall_add_slot_ref(call, base);
	return true;
}

static tree lower_walker(tree *tp, int *walk_subtrees, void *data)
{
	tree t = *tp;

	/* Then look at what took the block's place. */
	if (TREE_CODE(t) == BIND_EXPR && drop_elif_guard(tp))
		return lower_walker(tp, walk_subtrees, data);

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
			  ? lower_pointer_site(tp, TREE_OPERAND(fn, 0))
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
