// SPDX-License-Identifier: MIT
/*
 * altcall-sites, site decoding: the altcall_sites records of an ELF file
 * (elf.h) turned into sites, with the instruction at each site decoded by
 * the runtime's codec (runtime/insn.h), the fields read with the abi.h
 * accessors, and what altcall_apply() would do to each decided by the
 * runtime's planner (runtime/plan.h).  No output here: the front end
 * (altcall_sites.c) prints a struct site as text or JSON.
 */
#ifndef ALTCALL_SITES_SITES_H
#define ALTCALL_SITES_SITES_H

#include "elf.h"
#include "plan.h"

/* The features a run treats as enabled (--features), for any machine. */
struct feature_set {
	bool given;		/* --features was used */
	size_t n;
	struct {
		const char *name;	/* cpu:NAME, looked up per machine */
		unsigned word;		/* otherwise */
	} *v;
};

/* Adds one comma-separated list of sw:N, cpu:NAME or feature words; false,
 * with a message, on a malformed entry.  Keeps pointers into list. */
bool feature_set_parse(struct feature_set *set, char *list);
bool feature_set_has(const struct feature_set *set, unsigned machine, unsigned word);
void feature_set_free(struct feature_set *set);

enum apply_action {
	APPLY_UNKNOWN,	/* cannot be known from the file: why says what decides */
	APPLY_PATCH,	/* the planner's bytes differ from the site's: written */
	APPLY_KEEP,	/* the site already holds them: nothing written */
	APPLY_REFUSE,	/* refused: why is altcall_strerror() of the error */
};

/* One arm of an arm table (ALTCALL_FEATURE_ARMS record). */
struct site_arm {
	char *target;		/* as text; "none" for "no call" */
	bool none;		/* "no call" */
	char *cond;		/* the features as text, joined by '+' */
	unsigned k;
	unsigned feature[ALTCALL_MAX_FEATURES];
};

/* One record. */
struct site {
	/* As text, for the output. */
	char *site, *insn, *target, *dflt, *alt, *feature;
	unsigned word;
	bool conflict;		/* another record of this site disagrees */

	/* ARMS records: the table, arm by arm, in source order, or why it
	 * cannot be decoded (then arms holds the arms before the fault). */
	struct site_arm *arms;
	unsigned n_arms;
	char *arms_error;
	bool table_here;	/* object: the table is in one of its sections */

	/* The record for the planner: in a linked file its fields resolved
	 * (altcall_record_resolve); in an object only which are not "no
	 * call" (1 for an address, since none is known before the link),
	 * but an ARMS record's table as a place in the object's sections
	 * (sites.c: object_addr), so that the planner can check it. */
	struct altcall_site_resolved rec;
	bool overlap;		/* linked: another site's instruction overlaps */

	/* What altcall_apply() would do (sites_plan). */
	enum apply_action apply;
	const char *why;
};

struct site_list {
	unsigned machine;	/* EM_X86_64 or EM_AARCH64 */
	struct site *v;
	size_t n;
};

/* Reads every record of every altcall_sites section of f, flags
 * conflicts.  0, or -1 (with a message) for a malformed file, before
 * anything is kept. */
int sites_read(struct elf_file *f, struct site_list *list);

/* Decides each site's apply for the features in enabled (none if NULL). */
void sites_plan(struct elf_file *f, struct site_list *list,
		const struct feature_set *enabled);

void sites_free(struct site_list *list);

/* The arm an apply chooses for the features in enabled: 1..n_arms, or 0
 * for the default.  ARMS records with a decoded table only. */
unsigned site_choice(const struct site *t, unsigned machine,
		     const struct feature_set *enabled);

#endif
