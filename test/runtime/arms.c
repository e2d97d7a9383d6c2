// Sites with an arm table (ALTCALL_FEATURE_ARMS records, docs/abi.md),
// built by hand: good tables are patched to the first arm whose features
// all hold, for several feature sets in a row (so each apply starts from
// a site an earlier apply pointed at a non-default arm); every bad table
// or record is refused with its own error, before anything is written,
// and the text is read-only again afterwards.
// RUN: %cc-plain -O2 -g %s %rt -o %t && %run %t | FileCheck %s
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../Inputs/handmade-sites.h"

#define SW(n) ALTCALL_SW_FEATURE(n)

static unsigned char *text;		/* page 0: r-x code */
static struct altcall_site *records;	/* page 1: records, then tables */
static unsigned char *tables, *next_table;
static unsigned char *unmapped;		/* page 2: a hole */
static long page;

/* Four targets (each a ret), then the sites. */
enum { TARGETS = 4, SITE = 64, SITE_STEP = 16 };

static unsigned char *target(int i) { return text + 16 * i; }
static unsigned char *site_at(int i) { return text + SITE + i * SITE_STEP; }

/* A record: dflt NULL is "no call"; alt is the table. */
static void record(int i, const void *site, const void *dflt, const void *alt,
		   unsigned feature)
{
	put_record(&records[i], site, dflt, alt, feature);
}

/*
 * A table, written byte by byte from docs/abi.md (not with the abi.h
 * accessors the runtime reads it with): the count byte n as given, then
 * the arms.  An arm's target NULL is "no call"; k is written as given and
 * that many features follow.
 */
struct arm {
	const void *target;
	unsigned k;
	unsigned f[10];
};

static unsigned char *table_at(unsigned char *t, unsigned n, const struct arm *arms,
			       unsigned count)
{
	unsigned char *p = t;

	*p++ = (unsigned char)n;
	for (unsigned i = 0; i < count; i++) {
		int32_t rel = arms[i].target ? (int32_t)((const unsigned char *)arms[i].target - p) : 0;

		for (int b = 0; b < 4; b++)
			*p++ = (unsigned char)((uint32_t)rel >> (8 * b));
		*p++ = (unsigned char)arms[i].k;
		for (unsigned j = 0; j < arms[i].k; j++) {
			*p++ = (unsigned char)arms[i].f[j];
			*p++ = (unsigned char)(arms[i].f[j] >> 8);
		}
	}
	if (t == next_table)
		next_table = p;
	return t;
}

static unsigned char *table(unsigned n, const struct arm *arms, unsigned count)
{
	return table_at(next_table, n, arms, count);
}

#define ARMS(...) (const struct arm[]){ __VA_ARGS__ }, \
	sizeof((const struct arm[]){ __VA_ARGS__ }) / sizeof(struct arm)

static const char *describe(const unsigned char *s)
{
	static char buf[64];
	const unsigned char *to;
	int op = decode(s, &to);
	int t = -1;

	for (int i = 0; i < TARGETS; i++)
		if (to == target(i))
			t = i;
	if (op && t >= 0)
		snprintf(buf, sizeof(buf), "%s T%d", op == CALL ? "call" : "jmp", t);
	else if (op)
		snprintf(buf, sizeof(buf), "%s %s", op == CALL ? "call" : "jmp",
			 (const void *)to == (const void *)__altcall_nop ? "nop-target" : "elsewhere");
	else
		snprintf(buf, sizeof(buf), "%s", !memcmp(s, nop_insn, INSN_SIZE) ? "nop" : "garbage");
	return buf;
}

static void features(unsigned mask)
{
	for (int i = 0; i < 8; i++)
		altcall_set_feature(SW(i), (mask >> i) & 1);
}

/* Apply the records [a, b) and print the report and the sites [s, t). */
static void apply(const char *what, int a, int b, int s, int t)
{
	struct altcall_report r;
	int ret = altcall_apply_user(records + a, records + b);

	altcall_get_report(&r);
	printf("%s: ret=%d sites=%u patched=%u refused=%u first=%s |", what, ret,
	       r.sites, r.patched, r.refused, altcall_strerror(r.first_error));
	for (int i = s; i < t; i++)
		printf(" %s", describe(site_at(i)));
	printf("\n");
}

/* A bad record alone: its refusal, and the site's bytes untouched. */
static void refused(const char *what, int i)
{
	struct altcall_report r;
	unsigned char before[INSN_SIZE];
	const unsigned char *site = (const unsigned char *)&records[i].site + records[i].site;
	int ret;

	memcpy(before, site, INSN_SIZE);
	ret = altcall_apply_user(records + i, records + i + 1);
	altcall_get_report(&r);
	printf("%s: ret=%d refused=%u first=%s site %s\n", what, ret, r.refused,
	       altcall_strerror(r.first_error),
	       memcmp(before, site, INSN_SIZE) ? "CHANGED" : "unchanged");
}

int main(void)
{
	page = sysconf(_SC_PAGESIZE);
	text = map_near_runtime(page, 3);
	if (!text)
		return perror("mmap"), 1;
	unmapped = text + 2 * page;
	records = (struct altcall_site *)(text + page);
	tables = next_table = text + page + 1024;
	memset(text, 0xcc, page);
	for (int i = 0; i < TARGETS; i++)
		put_ret(target(i));

	/*
	 * Good sites.  0: call, default T0; arm1 T1 if sw:1, arm2 T2 if
	 * sw:2+sw:3, arm3 T3 if sw:2.  1: the same as a jmp site.  2: no
	 * default (no ELSE): calls __altcall_nop; arm1 T1 if sw:1.  3: an
	 * arm that makes no call: arm1 none if sw:4, arm2 T2 if sw:1; default
	 * T0.  4: like 0, but the site already calls arm2's T2 (left so by
	 * an earlier apply).
	 */
	unsigned char *t0 = table(3, ARMS({ target(1), 1, { SW(1) } },
					  { target(2), 2, { SW(2), SW(3) } },
					  { target(3), 1, { SW(2) } }));
	put_branch(site_at(0), CALL, target(0));
	record(0, site_at(0), target(0), t0, ALTCALL_FEATURE_ARMS);
	put_branch(site_at(1), JMP, target(0));
	record(1, site_at(1), target(0), t0, ALTCALL_FEATURE_ARMS);
	put_branch(site_at(2), CALL, (const void *)__altcall_nop);
	record(2, site_at(2), NULL, table(1, ARMS({ target(1), 1, { SW(1) } })),
	       ALTCALL_FEATURE_ARMS);
	put_branch(site_at(3), CALL, target(0));
	record(3, site_at(3), target(0), table(2, ARMS({ NULL, 1, { SW(4) } },
						       { target(2), 1, { SW(1) } })),
	       ALTCALL_FEATURE_ARMS);
	put_branch(site_at(4), CALL, target(2));
	record(4, site_at(4), target(0), t0, ALTCALL_FEATURE_ARMS);

	/*
	 * Bad ones, one per site from 5, each calling T0 (arms T1, T2).
	 */
	for (int i = 5; i < 20; i++)
		put_branch(site_at(i), CALL, target(0));
	record(5, site_at(5), target(0), table(0, ARMS({ target(1), 1, { SW(1) } })),
	       ALTCALL_FEATURE_ARMS);						/* n = 0 */
	{
		struct arm many[ALTCALL_MAX_ARMS];
		for (int i = 0; i < ALTCALL_MAX_ARMS; i++)
			many[i] = (struct arm){ target(1), 1, { SW(1) } };
		record(6, site_at(6), target(0),
		       table(ALTCALL_MAX_ARMS, many, ALTCALL_MAX_ARMS),
		       ALTCALL_FEATURE_ARMS);			/* n = 17, one too many */
	}
	record(7, site_at(7), target(0), table(2, ARMS({ target(1), 1, { SW(1) } },
						       { target(2), 0, { 0 } })),
	       ALTCALL_FEATURE_ARMS);						/* k = 0 */
	record(8, site_at(8), target(0),
	       table(1, ARMS({ target(1), 9, { SW(1), SW(2), SW(3), SW(4), SW(5), SW(6),
					      SW(7), SW(0), SW(1) } })),
	       ALTCALL_FEATURE_ARMS);						/* k = 9 */
	/* The table's first arm lies in the hole after the records' page:
	 * only the count byte is readable. */
	unmapped[-1] = 1;
	record(9, site_at(9), target(0), unmapped - 1, ALTCALL_FEATURE_ARMS);	/* unreadable */
	record(10, site_at(10), target(0),
	       table(2, ARMS({ target(1), 1, { SW(1) } },
			     { target(2), 2, { SW(2), ALTCALL_FEATURE_POINTER } })),
	       ALTCALL_FEATURE_ARMS);						/* class 1 in an arm */
	/* A reserved record kind whose alt points into the hole: refused
	 * without reading it (reading would fault). */
	record(11, site_at(11), target(0), unmapped + 16, 0x4002);
	record(12, site_at(12), NULL, table(2, ARMS({ NULL, 1, { SW(1) } },
						    { NULL, 1, { SW(2) } })),
	       ALTCALL_FEATURE_ARMS);						/* nothing calls */
	put_branch(site_at(13), CALL, target(3));
	record(13, site_at(13), target(0), table(2, ARMS({ target(1), 1, { SW(1) } },
							 { target(2), 1, { SW(2) } })),
	       ALTCALL_FEATURE_ARMS);						/* calls T3: no arm */
	/* A bad feature in the last arm, while the first one holds: every
	 * arm is checked, whatever the features. */
	record(14, site_at(14), target(0), table(2, ARMS({ target(1), 1, { SW(1) } },
							 { target(2), 1, { 64 } })),
	       ALTCALL_FEATURE_ARMS);
	/* ... and the table itself at an address nothing maps. */
	record(15, site_at(15), target(0), unmapped + 100, ALTCALL_FEATURE_ARMS);

	/*
	 * Records of one site: 16/17 have tables at different places with
	 * the same arms (they agree: the site is patched); 18/19 differ only
	 * in the order of an arm's features (they disagree); 20 is a classic
	 * record and 21 an ARMS record of one site (they disagree).
	 */
	record(16, site_at(16), target(0), table(2, ARMS({ target(1), 2, { SW(1), SW(2) } },
							 { target(2), 1, { SW(3) } })),
	       ALTCALL_FEATURE_ARMS);
	record(17, site_at(16), target(0), table(2, ARMS({ target(1), 2, { SW(1), SW(2) } },
							 { target(2), 1, { SW(3) } })),
	       ALTCALL_FEATURE_ARMS);
	record(18, site_at(17), target(0), table(1, ARMS({ target(1), 2, { SW(1), SW(2) } })),
	       ALTCALL_FEATURE_ARMS);
	record(19, site_at(17), target(0), table(1, ARMS({ target(1), 2, { SW(2), SW(1) } })),
	       ALTCALL_FEATURE_ARMS);
	record(20, site_at(18), target(0), target(1), SW(1));
	record(21, site_at(18), target(0), table(1, ARMS({ target(1), 1, { SW(1) } })),
	       ALTCALL_FEATURE_ARMS);
	mprotect(text, page, PROT_READ | PROT_EXEC);

	// CHECK: before: r-xp
	printf("before: %s\n", protection(text));

	// First match wins, in source order; each apply starts from the last.
	// CHECK-NEXT: none: ret=2 sites=5 patched=2 refused=0 first=no error | call T0 jmp T0 nop call T0 call T0
	features(0);
	apply("none", 0, 5, 0, 5);
	// CHECK-NEXT: sw2: ret=3 sites=5 patched=3 refused=0 first=no error | call T3 jmp T3 nop call T0 call T3
	features(1 << 2);
	apply("sw2", 0, 5, 0, 5);
	// CHECK-NEXT: sw2+3: ret=3 sites=5 patched=3 refused=0 first=no error | call T2 jmp T2 nop call T0 call T2
	features(1 << 2 | 1 << 3);
	apply("sw2+3", 0, 5, 0, 5);
	// CHECK-NEXT: sw1+2+3: ret=5 sites=5 patched=5 refused=0 first=no error | call T1 jmp T1 call T1 call T2 call T1
	features(1 << 1 | 1 << 2 | 1 << 3);
	apply("sw1+2+3", 0, 5, 0, 5);
	// CHECK-NEXT: sw1+4: ret=1 sites=5 patched=1 refused=0 first=no error | call T1 jmp T1 call T1 nop call T1
	features(1 << 1 | 1 << 4);
	apply("sw1+4", 0, 5, 0, 5);
	// CHECK-NEXT: sw3: ret=5 sites=5 patched=5 refused=0 first=no error | call T0 jmp T0 nop call T0 call T0
	features(1 << 3);
	apply("sw3", 0, 5, 0, 5);
	// CHECK-NEXT: again: ret=0 sites=5 patched=0 refused=0 first=no error | call T0 jmp T0 nop call T0 call T0
	apply("again", 0, 5, 0, 5);

	// Each bad one on its own, with the features that would choose arm 1.
	features(1 << 1 | 1 << 2);
	// CHECK-NEXT: n=0: ret=-6 refused=1 first=malformed record site unchanged
	refused("n=0", 5);
	// CHECK-NEXT: n=17: ret=-6 refused=1 first=malformed record site unchanged
	refused("n=17", 6);
	// CHECK-NEXT: k=0: ret=-6 refused=1 first=malformed record site unchanged
	refused("k=0", 7);
	// CHECK-NEXT: k=9: ret=-6 refused=1 first=malformed record site unchanged
	refused("k=9", 8);
	// CHECK-NEXT: unreadable arm: ret=-6 refused=1 first=malformed record site unchanged
	refused("unreadable arm", 9);
	// CHECK-NEXT: class 1 in an arm: ret=-4 refused=1 first=malformed feature site unchanged
	refused("class 1 in an arm", 10);
	// CHECK-NEXT: reserved kind: ret=-4 refused=1 first=malformed feature site unchanged
	refused("reserved kind", 11);
	// CHECK-NEXT: no call at all: ret=-6 refused=1 first=malformed record site unchanged
	refused("no call at all", 12);
	// CHECK-NEXT: calls no arm: ret=-1 refused=1 first=site bytes are not the call the compiler emitted site unchanged
	refused("calls no arm", 13);
	// CHECK-NEXT: bad last arm: ret=-4 refused=1 first=malformed feature site unchanged
	refused("bad last arm", 14);
	// CHECK-NEXT: unmapped table: ret=-6 refused=1 first=malformed record site unchanged
	refused("unmapped table", 15);

	// All of them at once: only the good ones are written.
	// CHECK-NEXT: all: ret=-6 sites=16 patched=5 refused=11 first=malformed record | call T1 jmp T1 call T1 call T2 call T1 call T0
	apply("all", 0, 16, 0, 6);
	// CHECK-NEXT: bad sites: call T0 call T0 call T0 call T0 call T0 call T0 call T0 call T0 call T3 call T0 call T0
	printf("bad sites:");
	for (int i = 5; i < 16; i++)
		printf(" %s", describe(site_at(i)));
	printf("\n");

	// Records of one site: agreeing tables, then disagreeing ones.
	// CHECK-NEXT: agree: ret=1 sites=2 patched=1 refused=0 first=no error | call T1
	apply("agree", 16, 18, 16, 17);
	// CHECK-NEXT: features order: ret=-8 sites=2 patched=0 refused=2 first=records of one site disagree (folded code?) | call T0
	apply("features order", 18, 20, 17, 18);
	// CHECK-NEXT: classic and arms: ret=-8 sites=2 patched=0 refused=2 first=records of one site disagree (folded code?) | call T0
	apply("classic and arms", 20, 22, 18, 19);

	// CHECK-NEXT: after: r-xp
	printf("after: %s\n", protection(text));
	return 0;
}
