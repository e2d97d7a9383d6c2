/* SPDX-License-Identifier: MIT */
/*
 * The altcall planner (plan.h) and the names of its refusals.  Freestanding:
 * part of the runtime core, and linked into the altcall-sites inspector.
 *
 * What a site may hold, and what it becomes:
 *
 *   record                 accepted at the site            written
 *   dflt D, alt A          call/jmp D or A                 call/jmp to the chosen one
 *   one of them "no call"  also a NOP (call site), or a    chosen "no call": a call site
 *                          call/jmp to the image's nop     becomes a NOP, a jmp site
 *                                                          jumps to the image's nop
 *   pointer site           any call/jmp                    if it calls its trampoline
 *   (dflt = trampoline,                                    D: the same kind of branch
 *    alt = the pointer)                                    to the pointer's value now;
 *                                                          else unchanged (patched by
 *                                                          an earlier apply)
 *   arms site              call/jmp D or any arm's         call/jmp to the chosen one:
 *   (dflt D, alt = its     target T1..Tn (an earlier       the first arm whose features
 *    arm table: T1..Tn)    apply); if D or some Ti is      are all enabled, else D;
 *                          "no call", also a NOP or a      "no call" as above
 *                          call/jmp to the image's nop
 *
 * A call site stays a call site and a jmp site a jmp site: a jmp (tail
 * call) that became a NOP would fall into whatever follows it.  Anything
 * else at the site is refused: the bytes are not what the compiler
 * emitted, nor what an earlier apply wrote, so the record cannot be
 * trusted to describe them.
 *
 * An arm table is read through the caller's read_data, one arm at a time
 * into a buffer of the largest arm, and checked whole before the site is
 * read: the stack holds the table's resolved targets (16 addresses), not
 * the table.
 */
#include "plan.h"

static int plan_pointer_site(const struct altcall_plan_env *env,
			     const struct altcall_site_resolved *rec,
			     unsigned char *out)
{
	const struct altcall_codec *codec = env->codec;
	altcall_addr trampoline = rec->dflt, slot = rec->alt;
	unsigned char bytes[ALTCALL_INSN_MAX];
	struct altcall_insn now;
	int err;

	if (!env->read_text(env->ctx, rec->site, bytes, codec->insn_size))
		return ALTCALL_ENOTTEXT;
	codec->decode(bytes, rec->site, &now);
	if (now.kind != ALTCALL_INSN_CALL && now.kind != ALTCALL_INSN_JMP)
		return ALTCALL_EBADINSN;
	if (now.target == trampoline) {
		/* The pointer is read once, by the apply that finds the
		 * site still calling its trampoline. */
		if (slot % ALTCALL_POINTER_SIZE)
			return ALTCALL_ERECORD;
		err = env->read_pointer(env->ctx, slot, &now.target);
		if (err)
			return err;
		if (!now.target)
			return ALTCALL_ENULLPTR;
	}
	return codec->encode(rec->site, &now, out) ? 0 : ALTCALL_ERANGE;
}

int altcall_plan_check_record(const struct altcall_plan_env *env,
			      const struct altcall_site_resolved *rec)
{
	if (!rec->site)
		return ALTCALL_ERECORD;
	if (altcall_feature_is_arms_site(rec->feature))
		/* Its table; the default may be "no call". */
		return rec->alt ? 0 : ALTCALL_ERECORD;
	if (!rec->dflt && !rec->alt)
		return ALTCALL_ERECORD;
	if (altcall_feature_is_pointer_site(rec->feature))
		/* Its trampoline and its pointer. */
		return rec->dflt && rec->alt ? 0 : ALTCALL_ERECORD;
	/* Class 1 words other than the two record kinds are not valid
	 * features either: a later ABI's record kind is refused unread. */
	return env->feature_valid(rec->feature) ? 0 : ALTCALL_EFEATURE;
}

/* The largest arm. */
#define ARM_MAX	ALTCALL_ARM_SIZE(ALTCALL_MAX_FEATURES)

/* Read the arm at addr into arm (ARM_MAX bytes): its fixed part, then
 * its k features.  0 with *size set, or ALTCALL_ERECORD. */
static int read_arm(const struct altcall_plan_env *env, altcall_addr addr,
		    unsigned char *arm, unsigned *size)
{
	unsigned k;

	if (!env->read_data(env->ctx, addr, arm, ALTCALL_ARM_FEATURES))
		return ALTCALL_ERECORD;
	k = altcall_arm_nfeatures(arm);
	if (!altcall_arm_nfeatures_valid(k) ||
	    !env->read_data(env->ctx, addr + ALTCALL_ARM_FEATURES,
			    arm + ALTCALL_ARM_FEATURES, 2 * k))
		return ALTCALL_ERECORD;
	*size = ALTCALL_ARM_SIZE(k);
	return 0;
}

/* The number of arms of the table at table, or 0 (ALTCALL_ERECORD). */
static unsigned read_count(const struct altcall_plan_env *env, altcall_addr table)
{
	unsigned char n;

	if (!env->read_data(env->ctx, table + ALTCALL_ARMS_COUNT, &n, 1))
		return 0;
	return altcall_arms_count_valid(altcall_arms_count(&n)) ? altcall_arms_count(&n) : 0;
}

int altcall_plan_read_arms(const struct altcall_plan_env *env,
			   const struct altcall_site_resolved *rec,
			   struct altcall_arms *arms)
{
	unsigned char arm[ARM_MAX];
	altcall_addr at = rec->alt + ALTCALL_ARMS_FIRST;
	_Bool some_call = rec->dflt != 0;
	unsigned i, j, size;
	int err;

	arms->n = read_count(env, rec->alt);
	arms->choice = -1;
	if (!arms->n)
		return ALTCALL_ERECORD;
	/* Every arm is checked, whatever the features: a bad arm anywhere
	 * refuses the site. */
	for (i = 0; i < arms->n; i++, at += size) {
		_Bool all = 1;

		err = read_arm(env, at, arm, &size);
		if (err)
			return err;
		for (j = 0; j < altcall_arm_nfeatures(arm); j++)
			if (!env->feature_valid(altcall_arm_feature(arm, j)))
				return ALTCALL_EFEATURE;
		arms->target[i] = altcall_arm_target(arm, at);
		some_call |= arms->target[i] != 0;
		for (j = 0; arms->choice < 0 && all && j < altcall_arm_nfeatures(arm); j++)
			all = env->feature_enabled(env->ctx, altcall_arm_feature(arm, j));
		if (arms->choice < 0 && all)
			arms->choice = (int)i;
	}
	return some_call ? 0 : ALTCALL_ERECORD;
}

/* Does the instruction now call or jump to target (the image's nop or a
 * NOP for "no call")? */
static _Bool insn_is(const struct altcall_plan_env *env,
		     const struct altcall_insn *now, altcall_addr target)
{
	if (target)
		return altcall_insn_branches_to(now, target);
	return now->kind == ALTCALL_INSN_NOP || altcall_insn_branches_to(now, env->nop);
}

/*
 * A site with a default dflt and alternatives alts[0..n) (0 = "no call"):
 * accepted if it holds a branch to any of them (or a "no call" form, if
 * one of them is "no call"), rewritten to want.
 */
static int plan_branch(const struct altcall_plan_env *env, altcall_addr site,
		       altcall_addr dflt, const altcall_addr *alts, unsigned n,
		       altcall_addr want, unsigned char *out)
{
	const struct altcall_codec *codec = env->codec;
	unsigned char bytes[ALTCALL_INSN_MAX];
	struct altcall_insn now, next;
	_Bool call_site, known;
	unsigned i;

	if (!env->read_text(env->ctx, site, bytes, codec->insn_size))
		return ALTCALL_ENOTTEXT;
	codec->decode(bytes, site, &now);
	call_site = now.kind == ALTCALL_INSN_CALL || now.kind == ALTCALL_INSN_NOP;
	known = insn_is(env, &now, dflt);
	for (i = 0; i < n && !known; i++)
		known = insn_is(env, &now, alts[i]);
	if (!known)
		return ALTCALL_EBADINSN;

	if (!want && call_site) {
		next.kind = ALTCALL_INSN_NOP;
		next.target = 0;
	} else {
		next.kind = call_site ? ALTCALL_INSN_CALL : ALTCALL_INSN_JMP;
		next.target = want ? want : env->nop;
	}
	return codec->encode(site, &next, out) ? 0 : ALTCALL_ERANGE;
}

static int plan_arms_site(const struct altcall_plan_env *env,
			  const struct altcall_site_resolved *rec, unsigned char *out)
{
	struct altcall_arms arms;
	int err = altcall_plan_read_arms(env, rec, &arms);

	if (err)
		return err;
	return plan_branch(env, rec->site, rec->dflt, arms.target, arms.n,
			   arms.choice < 0 ? rec->dflt : arms.target[arms.choice], out);
}

int altcall_plan_site(const struct altcall_plan_env *env,
		      const struct altcall_site_resolved *rec, unsigned char *out)
{
	int err = altcall_plan_check_record(env, rec);

	if (err)
		return err;
	if (altcall_feature_is_pointer_site(rec->feature))
		return plan_pointer_site(env, rec, out);
	if (altcall_feature_is_arms_site(rec->feature))
		return plan_arms_site(env, rec, out);
	return plan_branch(env, rec->site, rec->dflt, &rec->alt, 1,
			   env->feature_enabled(env->ctx, rec->feature) ? rec->alt : rec->dflt,
			   out);
}

/* Two tables, arm by arm: the same count, targets and feature words. */
static _Bool same_arms(const struct altcall_plan_env *env, altcall_addr ta,
		       altcall_addr tb)
{
	unsigned char a[ARM_MAX], b[ARM_MAX];
	unsigned n = read_count(env, ta), i, j, size, size_b;

	if (!n || n != read_count(env, tb))
		return 0;
	ta += ALTCALL_ARMS_FIRST;
	tb += ALTCALL_ARMS_FIRST;
	for (i = 0; i < n; i++, ta += size, tb += size_b) {
		if (read_arm(env, ta, a, &size) || read_arm(env, tb, b, &size_b) ||
		    size != size_b || altcall_arm_target(a, ta) != altcall_arm_target(b, tb))
			return 0;
		for (j = 0; j < altcall_arm_nfeatures(a); j++)
			if (altcall_arm_feature(a, j) != altcall_arm_feature(b, j))
				return 0;
	}
	return 1;
}

_Bool altcall_records_agree(const struct altcall_plan_env *env,
			    const struct altcall_site_resolved *a,
			    const struct altcall_site_resolved *b)
{
	if (a->dflt != b->dflt || a->feature != b->feature)
		return 0;
	if (!altcall_feature_is_arms_site(a->feature) || a->alt == b->alt)
		return a->alt == b->alt;
	return same_arms(env, a->alt, b->alt);
}

const char *altcall_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0: return "no error";
	case ALTCALL_EBADINSN: return "site bytes are not the call the compiler emitted";
	case ALTCALL_ERANGE: return "target out of the instruction's reach";
	case ALTCALL_ENOTTEXT: return "site is not in executable text";
	case ALTCALL_EFEATURE: return "malformed feature";
	case ALTCALL_ETEXTWRITE: return "text write failed";
	case ALTCALL_ERECORD: return "malformed record";
	case ALTCALL_ENULLPTR: return "function pointer is NULL";
	case ALTCALL_ECONFLICT: return "records of one site disagree (folded code?)";
	case ALTCALL_ENOMEM: return "no scratch memory to check the records";
	case ALTCALL_ERUNTIME: return "another altcall runtime is loaded in this process";
	case ALTCALL_ELIVE: return "other threads run the site and it cannot be patched live";
	case ALTCALL_ESEALED: return "the sites are sealed (altcall_seal)";
	default: return "unknown error";
	}
}
