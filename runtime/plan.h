/* SPDX-License-Identifier: MIT */
/*
 * The altcall planner: the one place that decides, for one record, "write
 * these bytes at the site" or "refuse it with ALTCALL_E*".  The runtime
 * core plans every site with it before anything is written; the
 * altcall-sites inspector plans with it to tell what altcall_apply() would
 * do to a site of an ELF file.  The rules that compare records with each
 * other (a site's records must agree, sites must not overlap) are here too;
 * the core applies them over an index of all the records of an apply, the
 * inspector over the records of a file.
 *
 * Design: one planner for every architecture, with the architecture's
 * instruction codec (insn.h) as a parameter, rather than a copy per
 * architecture: the runtime passes its host's codec, the inspector the
 * codec of the file's machine.  What the planner needs from the caller's
 * world comes through callbacks, asked in the order of the checks
 * and only when a check needs them, so that the runtime never reads a site
 * before its platform says it is text, nor a function pointer before it
 * says the pointer may be read.  An indirect call per callback costs the
 * runtime a few nanoseconds per site at boot; the alternative, a planner
 * instantiated per architecture from a macro or an #include template,
 * would be harder to read for no gain there.
 */
#ifndef ALTCALL_PLAN_H
#define ALTCALL_PLAN_H

#include <altcall.h>
#include "insn.h"

#pragma GCC visibility push(hidden)

/* Not an ALTCALL_E*: the caller cannot know what apply would do (the
 * inspector, for a value only the running program has). */
#define ALTCALL_PLAN_UNKNOWN	(-1)

struct altcall_plan_env {
	const struct altcall_codec *codec;
	/* The image's "no call" target, its __altcall_nop: where a jmp site
	 * chosen to make no call jumps, and what a site whose default is "no
	 * call" calls before any apply. */
	altcall_addr nop;
	void *ctx;		/* passed to every callback */
	/* Copy the len bytes at addr into buf if they are executable text,
	 * else return false and read nothing (ALTCALL_ENOTTEXT). */
	_Bool (*read_text)(void *ctx, altcall_addr addr, unsigned char *buf,
			   unsigned len);
	/* The value of the function pointer at slot (ALTCALL_POINTER_SIZE
	 * bytes, naturally aligned): 0 with *value set, ALTCALL_ERECORD if it
	 * may not be read, or ALTCALL_PLAN_UNKNOWN. */
	int (*read_pointer)(void *ctx, altcall_addr slot, altcall_addr *value);
	/* Is f a valid feature word of the architecture (its rule in
	 * altcall/abi.h)?  If not, the record is refused (ALTCALL_EFEATURE). */
	_Bool (*feature_valid)(unsigned f);
	/* Is the valid feature f enabled? */
	_Bool (*feature_enabled)(void *ctx, unsigned f);
};

/*
 * The checks that need nothing but the record: which of its fields are "no
 * call" and whether its feature word is valid.  0, ALTCALL_ERECORD or
 * ALTCALL_EFEATURE; the first thing altcall_plan_site() does.  Only
 * whether an address is 0 matters here, so a caller that has no addresses
 * yet (the inspector, on an object before the link) can still ask.
 */
int altcall_plan_check_record(const struct altcall_plan_env *env,
			      const struct altcall_site_resolved *rec);

/*
 * Plan the record rec (fields resolved, altcall/abi.h): 0 with the new
 * instruction in out (env->codec->insn_size bytes; the same bytes as now
 * when nothing changes), a positive ALTCALL_E* refusal, or
 * ALTCALL_PLAN_UNKNOWN from read_pointer.  Writes nothing anywhere but out.
 */
int altcall_plan_site(const struct altcall_plan_env *env,
		      const struct altcall_site_resolved *rec, unsigned char *out);

/*
 * Records of one site must agree on both targets and the feature, or
 * every record of that site is refused (ALTCALL_ECONFLICT): linker
 * identical-code folding can leave one call instruction with the records
 * of two functions whose sites differ only in their feature.
 */
static __inline__ _Bool altcall_records_agree(const struct altcall_site_resolved *a,
					      const struct altcall_site_resolved *b)
{
	return a->dflt == b->dflt && a->alt == b->alt && a->feature == b->feature;
}

/* Two different sites, lo < hi, whose instructions overlap: both records
 * are malformed (ALTCALL_ERECORD). */
static __inline__ _Bool altcall_sites_overlap(const struct altcall_codec *codec,
					      altcall_addr lo, altcall_addr hi)
{
	return lo != hi && lo + codec->insn_size > hi;
}

#pragma GCC visibility pop

#endif /* ALTCALL_PLAN_H */
