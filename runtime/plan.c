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
 *
 * A call site stays a call site and a jmp site a jmp site: a jmp (tail
 * call) that became a NOP would fall into whatever follows it.  Anything
 * else at the site is refused: the bytes are not what the compiler
 * emitted, nor what an earlier apply wrote, so the record cannot be
 * trusted to describe them.
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
	if (!rec->site || (!rec->dflt && !rec->alt))
		return ALTCALL_ERECORD;
	if (altcall_feature_is_pointer_site(rec->feature))
		/* Its trampoline and its pointer. */
		return rec->dflt && rec->alt ? 0 : ALTCALL_ERECORD;
	return env->feature_valid(rec->feature) ? 0 : ALTCALL_EFEATURE;
}

int altcall_plan_site(const struct altcall_plan_env *env,
		      const struct altcall_site_resolved *rec, unsigned char *out)
{
	const struct altcall_codec *codec = env->codec;
	altcall_addr dflt = rec->dflt, alt = rec->alt, want;
	unsigned char bytes[ALTCALL_INSN_MAX];
	struct altcall_insn now, next;
	_Bool call_site, known;
	int err = altcall_plan_check_record(env, rec);

	if (err)
		return err;
	if (altcall_feature_is_pointer_site(rec->feature))
		return plan_pointer_site(env, rec, out);
	if (!env->read_text(env->ctx, rec->site, bytes, codec->insn_size))
		return ALTCALL_ENOTTEXT;

	codec->decode(bytes, rec->site, &now);
	call_site = now.kind == ALTCALL_INSN_CALL || now.kind == ALTCALL_INSN_NOP;
	known = altcall_insn_branches_to(&now, dflt ? dflt : env->nop) ||
		altcall_insn_branches_to(&now, alt ? alt : env->nop) ||
		(now.kind == ALTCALL_INSN_NOP && (!dflt || !alt));
	if (!known)
		return ALTCALL_EBADINSN;

	want = env->feature_enabled(env->ctx, rec->feature) ? alt : dflt;
	if (!want && call_site) {
		next.kind = ALTCALL_INSN_NOP;
		next.target = 0;
	} else {
		next.kind = call_site ? ALTCALL_INSN_CALL : ALTCALL_INSN_JMP;
		next.target = want ? want : env->nop;
	}
	return codec->encode(rec->site, &next, out) ? 0 : ALTCALL_ERANGE;
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
	default: return "unknown error";
	}
}
