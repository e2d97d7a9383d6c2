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
	/* Copy the len bytes at addr into buf if they may be read (an arm
	 * table: data of the image), else return false and read nothing.
	 * Asked for at most ALTCALL_ARM_SIZE(ALTCALL_MAX_FEATURES) bytes at
	 * a time, never past ALTCALL_ARMS_MAX_SIZE bytes of a table. */
	_Bool (*read_data)(void *ctx, altcall_addr addr, unsigned char *buf,
			   unsigned len);
	/* Is f a valid feature word of the architecture (its rule in
	 * altcall/abi.h)?  If not, the record is refused (ALTCALL_EFEATURE). */
	_Bool (*feature_valid)(unsigned f);
	/* Is the valid feature f enabled? */
	_Bool (*feature_enabled)(void *ctx, unsigned f);
};

/*
 * The checks that need nothing but the record: which of its fields are "no
 * call" and whether its feature word is valid (for an ARMS record: that it
 * has a table; the table's own checks are altcall_plan_read_arms()'s).
 * 0, ALTCALL_ERECORD or ALTCALL_EFEATURE; the first thing
 * altcall_plan_site() does.  Only
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
 * An arm table (ALTCALL_FEATURE_ARMS record), read and checked: its
 * targets resolved (0 = "no call") and the arm the features choose.
 */
struct altcall_arms {
	unsigned n;		/* arms besides the default */
	int choice;		/* the first arm whose features are all enabled, or -1 */
	altcall_addr target[ALTCALL_MAX_ARMS - 1];
};

/*
 * Read the table of the ARMS record rec (rec->alt) through read_data, a
 * bounded piece at a time: 0 with *arms filled, ALTCALL_ERECORD (table
 * not readable, n or some k out of range, no target at all, the default
 * included) or ALTCALL_EFEATURE (a feature word not valid for the
 * architecture, class 1 included), whichever comes first in table order.
 * Every arm is checked, whatever the features.
 */
int altcall_plan_read_arms(const struct altcall_plan_env *env,
			   const struct altcall_site_resolved *rec,
			   struct altcall_arms *arms);

/*
 * Records of one site must agree, or every record of that site is refused
 * (ALTCALL_ECONFLICT): linker identical-code folding can leave one call
 * instruction with the records of two functions whose sites differ only
 * in their feature.  Classic records agree iff both targets and the
 * feature are the same.  Two ARMS records agree iff their defaults are
 * the same and so are their tables: the same number of arms, each with
 * the same resolved target and the same feature words in the same order
 * (read through read_data; a table that cannot be read agrees with
 * nothing).  A classic and an ARMS record never agree, even where they
 * would choose alike: the plugin never emits both kinds for one site, so
 * that pair means folded code.
 */
_Bool altcall_records_agree(const struct altcall_plan_env *env,
			    const struct altcall_site_resolved *a,
			    const struct altcall_site_resolved *b);

/* Two different sites, lo < hi, whose instructions overlap: both records
 * are malformed (ALTCALL_ERECORD). */
static __inline__ _Bool altcall_sites_overlap(const struct altcall_codec *codec,
					      altcall_addr lo, altcall_addr hi)
{
	return lo != hi && lo + codec->insn_size > hi;
}

#pragma GCC visibility pop

#endif /* ALTCALL_PLAN_H */
