// Every bad record or site the runtime can meet is refused and reported,
// nothing refused is written, good sites are still patched, and the text
// is read-only again afterwards.
// RUN: %cc-plain -O2 -g %s %rt -o %t && %run %t | FileCheck %s --check-prefix=CHECK
#include <altcall.h>
#include <altcall/runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>
#include "../Inputs/handmade-sites.h"

#define FEATURE ALTCALL_SW_FEATURE(1)

static unsigned char *text;		/* page 0: r-x code */
static struct altcall_site *records;	/* page 1: records */
static long page;

enum { T_DFLT = 0, T_ALT = 16, SITE = 32, SITE_STEP = 16 };

static unsigned char *site_at(int i) { return text + SITE + i * SITE_STEP; }

/* Not a site instruction: the runtime must refuse it. */
#ifdef __x86_64__
static const unsigned char other_insn[] = { 0x90, 0x90, 0x90, 0x90, 0x90 };
#else
static const unsigned char other_insn[] = { 0xc0, 0x03, 0x5f, 0xd6 };	/* ret */
#endif

static void record(int i, const void *site, const void *dflt, const void *alt,
		   unsigned feature)
{
	put_record(&records[i], site, dflt, alt, feature);
}

static const char *describe(const unsigned char *s)
{
	static char buf[64];
	const unsigned char *to;
	int op = decode(s, &to);

	if (op)
		snprintf(buf, sizeof(buf), "%s %s", op == CALL ? "call" : "jmp",
			 to == text + T_DFLT ? "dflt" : to == text + T_ALT ? "alt" :
			 (const void *)to == (const void *)__altcall_nop ? "nop-target" : "elsewhere");
	else
		snprintf(buf, sizeof(buf), "%s", !memcmp(s, nop_insn, INSN_SIZE) ? "nop" :
			 !memcmp(s, other_insn, INSN_SIZE) ? "other" : "garbage");
	return buf;
}

static _Bool any_text(const void *addr, unsigned len) { (void)addr; (void)len; return 1; }
/* A platform with no scratch memory for the record index: nothing is
 * written, every site is refused. */
static unsigned nomem_writes;
static unsigned write_counting(const struct altcall_patch *p, unsigned n) { (void)p; nomem_writes += n; return n; }
static void *no_scratch(unsigned long bytes) { (void)bytes; return NULL; }
static const struct altcall_platform nomem_platform = {
	.is_text = any_text, .write_text = write_counting, .scratch = no_scratch,
};

/* A platform whose text writes and final restore both fail. */
static unsigned write_nothing(const struct altcall_patch *p, unsigned n) { (void)p; (void)n; return 0; }
static _Bool finish_fails(void) { return 0; }
/* Its refusal hook sees each refusal as it happens. */
static unsigned refusals_seen;
static char refusals_log[256];
static void note_refusal(const void *site, int err)
{
	size_t n = strlen(refusals_log);

	refusals_seen++;
	snprintf(refusals_log + n, sizeof(refusals_log) - n, "%s[%s: %s]",
		 n ? " " : "", !site ? "none" : site == site_at(0) ? "site 0" : "other",
		 altcall_strerror(err));
}
static const struct altcall_platform failing_platform = {
	.is_text = any_text, .write_text = write_nothing, .finish = finish_fails,
	.refused = note_refusal,
};

/* A platform that sends a site whose pointer is NULL elsewhere, for good
 * (the kernel kit: a pointer in init memory about to be freed). */
static unsigned write_plain(const struct altcall_patch *p, unsigned n)
{
	mprotect(text, page, PROT_READ | PROT_WRITE);
	for (unsigned i = 0; i < n; i++)
		memcpy(p[i].addr, p[i].bytes, p[i].len);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	__builtin___clear_cache((char *)text, (char *)text + page);
	return n;
}
static const void *null_asked;
static const void *null_to_alt(const void *slot)
{
	null_asked = slot;
	return text + T_ALT;
}
static const struct altcall_platform null_target_platform = {
	.is_text = any_text, .write_text = write_plain, .null_pointer_target = null_to_alt,
};
/* No pointer_unset hook (the Linux kit's platform): a NULL pointer is
 * refused, ALTCALL_ENULLPTR, as it always was there. */
static const struct altcall_platform no_unset_platform = {
	.is_text = any_text, .write_text = write_plain,
};

/* Live hooks that do not come as a set (poke and sync_cores with
 * write_live): nothing may be written, through either path. */
static unsigned partial_writes;
static unsigned write_partial(const struct altcall_patch *p, unsigned n) { (void)p; partial_writes += n; return n; }
static _Bool poke_partial(void *addr, const unsigned char *bytes, unsigned len) { (void)addr; (void)bytes; partial_writes += len; return 1; }
static void sync_partial(void) { }
static unsigned live_partial(const struct altcall_patch *p, unsigned n, const struct altcall_platform *plat) { (void)p; (void)plat; partial_writes += n; return n; }
static const struct altcall_platform poke_no_protocol_platform = {
	.is_text = any_text, .write_text = write_partial, .poke = poke_partial, .sync_cores = sync_partial,
};
static const struct altcall_platform protocol_no_poke_platform = {
	.is_text = any_text, .write_text = write_partial, .write_live = live_partial,
};

static void report(const char *what, int ret)
{
	struct altcall_report r;

	altcall_get_report(&r);
	printf("%s: ret=%d sites=%u patched=%u refused=%u first=%s at=%s unset=%u\n", what,
	       ret, r.sites, r.patched, r.refused, altcall_strerror(r.first_error),
	       !r.first_refused_site ? "none" :
	       (const unsigned char *)r.first_refused_site >= text &&
	       (const unsigned char *)r.first_refused_site < text + page ?
	       "text" : "elsewhere", r.unset);
}

int main(void)
{
	page = sysconf(_SC_PAGESIZE);
	text = map_near_runtime(page, 3);
	if (!text)
		return perror("mmap"), 1;
	void *unmapped = text + 2 * page;	/* a hole right after the records */
	records = (struct altcall_site *)(text + page);
	memset(text, 0xcc, page);
	put_ret(text + T_DFLT);
	put_ret(text + T_ALT);

	put_branch(site_at(0), CALL, text + T_DFLT);	/* good call site */
	put_branch(site_at(1), JMP, text + T_DFLT);	/* good jmp site */
	memcpy(site_at(2), other_insn, INSN_SIZE);	/* not a call */
	put_branch(site_at(3), CALL, text + 0x200);	/* calls neither target */
	put_branch(site_at(4), CALL, text + T_DFLT);	/* alternative out of reach */
	put_branch(site_at(5), CALL, text + T_DFLT);	/* "no call" alternative */
	put_branch(site_at(6), JMP, text + T_DFLT);	/* "no call" alternative, jmp */
	put_branch(site_at(7), CALL, text + T_DFLT);	/* for malformed records */

	record(0, site_at(0), text + T_DFLT, text + T_ALT, FEATURE);
	record(1, site_at(1), text + T_DFLT, text + T_ALT, FEATURE);
	record(2, site_at(2), text + T_DFLT, text + T_ALT, FEATURE);
	record(3, site_at(3), text + T_DFLT, text + T_ALT, FEATURE);
	record(4, site_at(4), text + T_DFLT, NULL, FEATURE);
	records[4].alt = 0x7ffffff0;		/* ~2 GiB past the record: out of any reach */
	record(5, site_at(5), text + T_DFLT, NULL, FEATURE);
	record(6, site_at(6), text + T_DFLT, NULL, FEATURE);
	record(7, &records[0], text + T_DFLT, text + T_ALT, FEATURE);	/* site outside text */
	record(8, site_at(7), NULL, NULL, FEATURE);			/* no target at all */
	record(9, site_at(7), text + T_DFLT, text + T_ALT, 0x4002);	/* reserved record kind (class 1) */
	record(10, site_at(0), text + T_DFLT, text + T_ALT, FEATURE);	/* duplicate, agrees */
	mprotect(text, page, PROT_READ | PROT_EXEC);

	// CHECK: before: r-xp
	printf("before: %s\n", protection(text));

	// CHECK-NEXT: no records: ret=0 sites=0 patched=0 refused=0 first=no error at=none
	report("no records", altcall_apply_user(records, records));

	altcall_set_feature(FEATURE, 1);
	// CHECK-NEXT: apply: ret=-1 sites=11 patched=4 refused=6 first=site bytes are not the call the compiler emitted at=text
	report("apply", altcall_apply_user(records, records + 11));
	// CHECK-NEXT: site 0: call alt
	// CHECK-NEXT: site 1: jmp alt
	// CHECK-NEXT: site 2: other
	// CHECK-NEXT: site 3: call elsewhere
	// CHECK-NEXT: site 4: call dflt
	// CHECK-NEXT: site 5: nop
	// CHECK-NEXT: site 6: jmp nop-target
	for (int i = 0; i < 7; i++)
		printf("site %d: %s\n", i, describe(site_at(i)));
	// CHECK-NEXT: after: r-xp
	printf("after: %s\n", protection(text));

	// Each refusal on its own, with its own reason.
	// CHECK-NEXT: range: ret=-2 sites=1 patched=0 refused=1 first=target out of the instruction's reach at=text
	report("range", altcall_apply_user(records + 4, records + 5));
	// CHECK-NEXT: outside: ret=-3 sites=1 patched=0 refused=1 first=site is not in executable text at=elsewhere
	report("outside", altcall_apply_user(records + 7, records + 8));
	// CHECK-NEXT: no target: ret=-6 sites=1 patched=0 refused=1 first=malformed record at=text
	report("no target", altcall_apply_user(records + 8, records + 9));
	// CHECK-NEXT: feature: ret=-4 sites=1 patched=0 refused=1 first=malformed feature at=text
	report("feature", altcall_apply_user(records + 9, records + 10));

	// Applying again changes nothing; switching back restores the defaults,
	// including the call that had become a NOP.
	// CHECK-NEXT: again: ret=-1 sites=11 patched=0 refused=6
	report("again", altcall_apply_user(records, records + 11));
	altcall_set_feature(FEATURE, 0);
	// CHECK-NEXT: back: ret=-1 sites=11 patched=4 refused=5
	report("back", altcall_apply_user(records, records + 11));
	// CHECK-NEXT: site 0: call dflt
	// CHECK-NEXT: site 1: jmp dflt
	// CHECK-NEXT: site 2: other
	// CHECK-NEXT: site 3: call elsewhere
	// CHECK-NEXT: site 4: call dflt
	// CHECK-NEXT: site 5: call dflt
	// CHECK-NEXT: site 6: jmp dflt
	for (int i = 0; i < 7; i++)
		printf("site %d: %s\n", i, describe(site_at(i)));

	// Two records that disagree about one site: neither is applied.
	record(11, site_at(0), text + T_DFLT, text + T_ALT, FEATURE);
	mprotect(text, page, PROT_READ | PROT_WRITE);
	record(11, site_at(0), text + T_DFLT, text + T_ALT, FEATURE);
	record(12, site_at(0), text + T_DFLT, text + 0x300, FEATURE);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	altcall_set_feature(FEATURE, 1);
	// Two records of one site that disagree (what linker code folding
	// makes): both refused, whichever batch each falls in.
	// CHECK-NEXT: conflict: ret=-8 sites=2 patched=0 refused=2 first=records of one site disagree (folded code?) at=text
	report("conflict", altcall_apply_user(records + 11, records + 13));
	// CHECK-NEXT: site 0: call dflt
	printf("site 0: %s\n", describe(site_at(0)));

	// Pointer sites (alternative_call): T_DFLT stands in for the
	// trampoline, the pointers live in the records' page.
	void **slots = (void **)(text + page + page / 2);
	mprotect(text, page, PROT_READ | PROT_WRITE);
	put_branch(site_at(7), CALL, text + T_DFLT);
	put_branch(site_at(8), CALL, text + T_DFLT);
	put_branch(site_at(9), JMP, text + T_DFLT);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	slots[0] = text + T_ALT;
	slots[1] = NULL;
	slots[2] = text + 0x7ffff0000;		/* out of any reach */
	record(13, site_at(7), text + T_DFLT, &slots[0], ALTCALL_FEATURE_POINTER);
	record(14, site_at(8), text + T_DFLT, &slots[1], ALTCALL_FEATURE_POINTER);
	record(15, site_at(9), text + T_DFLT, &slots[2], ALTCALL_FEATURE_POINTER);
	// User space: the NULL pointer is "not set yet", no refusal.
	// CHECK-NEXT: pointers: ret=-2 sites=3 patched=1 refused=1 first=target out of the instruction's reach at=text unset=1
	report("pointers", altcall_apply_user(records + 13, records + 16));
	// CHECK-NEXT: site 7: call alt
	// CHECK-NEXT: site 8: call dflt
	// CHECK-NEXT: site 9: jmp dflt
	for (int i = 7; i < 10; i++)
		printf("site %d: %s\n", i, describe(site_at(i)));
	// The pointer is read once: a patched site keeps its target.
	slots[0] = text + 0x100;
	// CHECK-NEXT: pointers again: ret=-2 sites=3 patched=0 refused=1 {{.*}} unset=1
	report("pointers again", altcall_apply_user(records + 13, records + 16));
	// CHECK-NEXT: site 7: call alt
	printf("site 7: %s\n", describe(site_at(7)));
	// A platform without pointer_unset (the Linux kit's) refuses it.
	// CHECK-NEXT: no unset hook: ret=-7 sites=1 patched=0 refused=1 first=function pointer is NULL at=text unset=0
	report("no unset hook", altcall_apply_sites(records + 14, records + 15, &no_unset_platform));
	// CHECK-NEXT: site 8: call dflt
	printf("site 8: %s\n", describe(site_at(8)));
	// The platform's null_pointer_target: the NULL pointer's site goes
	// where it says, is no refusal, and stays there.
	// CHECK-NEXT: null target: ret=1 sites=1 patched=1 refused=0 first={{.*}} at=none
	report("null target", altcall_apply_sites(records + 14, records + 15, &null_target_platform));
	// CHECK-NEXT: site 8: call alt, asked for its slot
	printf("site 8: %s, asked for %s\n", describe(site_at(8)),
	       null_asked == &slots[1] ? "its slot" : "another");
	// CHECK-NEXT: null target again: ret=0 sites=1 patched=0 refused=0
	report("null target again", altcall_apply_user(records + 14, records + 15));
	// CHECK-NEXT: range: ret=-2 sites=1 patched=0 refused=1 first=target out of the instruction's reach at=text
	report("range", altcall_apply_user(records + 15, records + 16));

	// A pointer record whose pointer is misaligned or unmapped is refused
	// before the pointer is read.
	mprotect(text, page, PROT_READ | PROT_WRITE);
	put_branch(site_at(10), CALL, text + T_DFLT);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	record(16, site_at(10), text + T_DFLT, (char *)&slots[0] + 1, ALTCALL_FEATURE_POINTER);
	record(17, site_at(10), text + T_DFLT, unmapped, ALTCALL_FEATURE_POINTER);
	// CHECK-NEXT: misaligned pointer: ret=-6 sites=1 patched=0 refused=1 first=malformed record at=text
	report("misaligned pointer", altcall_apply_user(records + 16, records + 17));
	// CHECK-NEXT: unmapped pointer: ret=-6 sites=1 patched=0 refused=1 first=malformed record at=text
	report("unmapped pointer", altcall_apply_user(records + 17, records + 18));

	// Two records whose instructions overlap: neither is written.
	unsigned char *x = site_at(11);
	mprotect(text, page, PROT_READ | PROT_WRITE);
#ifdef __x86_64__
	/* E8 E8 00 00 00 00: a call at x, and another at x + 1. */
	static const unsigned char overlap[] = { 0xe8, 0xe8, 0, 0, 0, 0 };
	memcpy(x, overlap, sizeof(overlap));
	record(18, x, x + 5 + 0xe8, text + T_ALT, FEATURE);
	record(19, x + 1, x + 6, text + T_ALT, FEATURE);
#else
	/* arm64 sites are word-aligned: a misaligned one is not a site. */
	put_branch(x, CALL, text + T_DFLT);
	record(18, x, text + T_DFLT, text + T_ALT, FEATURE);
	record(19, x + 2, text + T_DFLT, text + T_ALT, FEATURE);
#endif
	mprotect(text, page, PROT_READ | PROT_EXEC);
	unsigned char before[8];
	memcpy(before, x, sizeof(before));
	int ret = altcall_apply_user(records + 18, records + 20);
	// Records whose instructions overlap are all refused (arm64: the
	// misaligned one would also be refused on its own).
	// CHECK-NEXT: overlap: ret=-6 sites=2 patched=0 refused=2 first=malformed record at=text
	report("overlap", ret);
	// CHECK-NEXT: overlap bytes: unchanged
	printf("overlap bytes: %s\n", !memcmp(before, x, sizeof(before)) ? "unchanged" :
	       (!memcmp(before + 4, x + 4, 4) && INSN_SIZE == 4) ? "only the aligned site" : "CHANGED");

	// A platform that writes nothing and cannot restore its protection:
	// both failures are reported, and the site keeps its bytes.
	memcpy(before, site_at(0), sizeof(before));
	altcall_set_feature(FEATURE, 1);
	// CHECK-NEXT: platform failures: ret=-5 sites=1 patched=0 refused=2 first=text write failed at=text
	report("platform failures", altcall_apply_sites(records, records + 1, &failing_platform));
	// CHECK-NEXT: site 0 untouched: yes
	printf("site 0 untouched: %s\n", !memcmp(before, site_at(0), sizeof(before)) ? "yes" : "no");
	// CHECK-NEXT: refusal hook: 2 calls [site 0: text write failed] [none: text write failed]
	printf("refusal hook: %u calls %s\n", refusals_seen, refusals_log);

	// altcall_site_target() reads a site as the runtime's decoder does.
	const void *where, *target;
	const unsigned char *to;
	int kind = decode(site_at(0), &to);
	// CHECK-NEXT: site target: yes
	printf("site target: %s\n", altcall_site_target(&records[0], &where, &target) &&
	       kind && where == site_at(0) && target == to ? "yes" : "no");
	mprotect(text, page, PROT_READ | PROT_WRITE);
	memcpy(site_at(0), other_insn, INSN_SIZE);
	mprotect(text, page, PROT_READ | PROT_EXEC);
	// CHECK-NEXT: site target of other bytes: none
	printf("site target of other bytes: %s\n",
	       altcall_site_target(&records[0], &where, &target) ? "some" : "none");

	// CHECK-NEXT: no scratch: ret=-9 sites=3 patched=0 refused=3 first=no scratch memory to check the records at=text
	// (Records 10-12 share site 0, so the index is needed; records in
	// ascending, disjoint order need none and are applied without it.)
	report("no scratch", altcall_apply_sites(records + 10, records + 13, &nomem_platform));
	// CHECK-NEXT: no scratch writes: 0
	printf("no scratch writes: %u\n", nomem_writes);

	// poke and sync_cores without the protocol, or the protocol without
	// them: refused as a whole, nothing written by any hook.
	memcpy(before, site_at(1), sizeof(before));
	altcall_set_feature(FEATURE, 1);
	// CHECK-NEXT: poke without write_live: ret={{-[0-9]+}} sites=1 patched=0 refused=1 first=other threads run the site and it cannot be patched live at=text
	report("poke without write_live", altcall_apply_sites(records + 1, records + 2, &poke_no_protocol_platform));
	// CHECK-NEXT: write_live without poke: ret={{-[0-9]+}} sites=1 patched=0 refused=1 first=other threads run the site and it cannot be patched live at=text
	report("write_live without poke", altcall_apply_sites(records + 1, records + 2, &protocol_no_poke_platform));
	// CHECK-NEXT: partial live hooks wrote: 0, site 1 untouched: yes
	printf("partial live hooks wrote: %u, site 1 untouched: %s\n", partial_writes,
	       !memcmp(before, site_at(1), sizeof(before)) ? "yes" : "no");

	// CHECK-NEXT: final: r-xp
	printf("final: %s\n", protection(text));
	return 0;
}
