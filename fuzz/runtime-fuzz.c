/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the runtime core: the record walker, the planner and
 * the architecture's codec (link with plan.c and insn_x86_64.c +
 * arch_x86_64.c, or insn_aarch64.c + arch_aarch64.c: a build for either
 * architecture runs on the x86-64 host, since the codec is pure).  The input is a feature byte, then 8-byte record
 * descriptions, then the bytes of a fake text page.  A description places a
 * record's fields at offsets in the image (or makes them 0 or wild), picks
 * its feature class, and may write a call/jmp/nop at the site first: random
 * bytes alone almost never make a site that calls its own default, and the
 * deep paths (pointer reads, patching, re-patching) start there.  The
 * platform says only the fake page is text and only the image is readable,
 * and checks that every write is a whole instruction inside the page;
 * whatever the records say, the core must neither crash, nor read or write
 * outside what the platform allowed, nor report inconsistent counts.
 *
 * A record of feature ALTCALL_FEATURE_ARMS gets an arm table of its own,
 * generated from its description: mostly valid (1-16 arms, 1-8 features,
 * some "no call" targets), else corrupt in one way (n = 0 or > 16, k = 0
 * or > 8, a feature word that is no feature, every target "no call", or
 * cut short by the end of the readable image).  The harness knows which:
 * a corrupt table whose site is accepted, or a site with one record that
 * is accepted but does not call the first arm whose features all hold
 * (else the default), aborts.
 */
#include <altcall.h>
#include <altcall/runtime.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The runtime's own codec of the architecture (runtime/arch.h), to
 * synthesise sites: the same types and encoder the core decodes with. */
#include "arch.h"

#define DESC_SIZE 8

#define TEXT_SIZE 4096
#define RECORDS_MAX 64

/* Room for every record's largest table one after the other, then for
 * one table cut short by the end of the image, which no other overlaps. */
#define CUT_SHORT_ROOM 64
#define TABLES_SIZE (RECORDS_MAX * ALTCALL_ARMS_MAX_SIZE + CUT_SHORT_ROOM)

static struct {
	unsigned char text[TEXT_SIZE];
	unsigned char records[RECORDS_MAX * ALTCALL_RECORD_SIZE];
	uintptr_t pointers[8];
	unsigned char tables[TABLES_SIZE];	/* last: a table may run off the end */
} image __attribute__((aligned(4096)));

/* What the harness expects of each record (ARMS records only). */
static struct expect {
	int arms;		/* an ARMS record with a generated table */
	int valid;		/* the table is good: the site may be accepted */
	uintptr_t want;		/* then the target the features choose (0: no call) */
} expect[RECORDS_MAX];
static size_t tables_used;
static int cut_short_used;

/* Sites refused by the last apply. */
static uintptr_t refused_sites[2 * RECORDS_MAX + 1];
static unsigned n_refused_sites;

static int inside(const void *addr, unsigned len, const void *base, size_t size)
{
	uintptr_t a = (uintptr_t)addr, b = (uintptr_t)base;
	return a >= b && a + len <= b + size && a + len >= a;
}

static _Bool fuzz_is_text(const void *addr, unsigned len)
{
	return inside(addr, len, image.text, sizeof(image.text));
}

static _Bool fuzz_is_readable(const void *addr, unsigned len)
{
	return inside(addr, len, &image, sizeof(image));
}

static unsigned fuzz_write_text(const struct altcall_patch *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!fuzz_is_text(p[i].addr, p[i].len) || p[i].len == 0)
			abort();	/* the core wrote where it had no right to */
		memcpy(p[i].addr, p[i].bytes, p[i].len);
	}
	return n;
}

static void fuzz_refused(const void *site, int err)
{
	(void)err;
	if (n_refused_sites < sizeof(refused_sites) / sizeof(refused_sites[0]))
		refused_sites[n_refused_sites++] = (uintptr_t)site;
}

static const struct altcall_platform platform = {
	.is_text = fuzz_is_text,
	.write_text = fuzz_write_text,
	.is_readable = fuzz_is_readable,
	.refused = fuzz_refused,
};

void altcall_aarch64_hwcaps(unsigned long long hwcaps[2])
{
	hwcaps[0] = 0x5a5a5a5a5a5a5a5aull;	/* a fixed, mixed feature set */
	hwcaps[1] = 0x0f0f0f0f0f0f0f0full;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* An address for a field: in text, in the pointers, none, or wild. */
static uintptr_t field_address(uint16_t sel)
{
	switch (sel >> 14) {
	case 0: return (uintptr_t)image.text + (sel % TEXT_SIZE);
	case 1: return (uintptr_t)&image.pointers[sel % 8] + (sel & 0x100 ? 1 : 0);
	case 2: return 0;
	default: return (uintptr_t)image.text + (uintptr_t)(int16_t)sel * 4096;
	}
}

/* A record field pointing at to, or ALTCALL_NO_CALL: little-endian, as
 * altcall_record_rel() reads it back. */
static void set_field(struct altcall_site *r, unsigned offset, uintptr_t to)
{
	unsigned char *field = (unsigned char *)r + offset;
	uint32_t rel = to ? (uint32_t)(to - (uintptr_t)field) : ALTCALL_NO_CALL;

	for (unsigned i = 0; i < 4; i++)
		field[i] = (unsigned char)(rel >> (8 * i));
}

static const uint16_t feature_words[] = {
	0, 1, 2, 7, 63, 64, ALTCALL_FEATURE_POINTER, 0x4001, 0x8000, 0x8e25, 0x8040, 0xffff,
};

/* ---- arm tables ---------------------------------------------------------- */

static uint32_t rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

/* Words an arm may test: mostly real features, rarely no feature at all. */
static const uint16_t arm_words[] = { 0, 1, 2, 3, 4, 5, 6, 7, 0x8e25, 0x8008, 0x8040 };
static const uint16_t bad_words[] = { 64, 0x3fff, ALTCALL_FEATURE_POINTER, ALTCALL_FEATURE_ARMS,
				      0x4002, 0x7fff };

static int word_valid(unsigned f)
{
	return altcall_arch_codec->insn_size == ALTCALL_X86_64_INSN_SIZE ? altcall_x86_64_feature_valid(f)
							   : altcall_aarch64_feature_valid(f);
}

static void put_byte(unsigned char *t, size_t *at, unsigned v)
{
	if (*at < TABLES_SIZE)
		t[*at] = (unsigned char)v;
	++*at;
}

/*
 * A table for the ARMS record i with default dflt, written byte by byte
 * (not with the abi.h accessors the core reads it with); returns its
 * address and fills expect[i].  *some_arm is a target of one of its arms,
 * for a site "left by an earlier apply".
 */
static uintptr_t build_table(unsigned i, uintptr_t dflt, uintptr_t *some_arm)
{
	struct expect *e = &expect[i];
	unsigned char *t = image.tables;
	unsigned fault = rnd(12), n, pick;
	size_t at = tables_used, start;
	int any_call = dflt != 0, chosen = 0;

	if (fault == 11 && !cut_short_used) {	/* cut short by the image's end */
		cut_short_used = 1;
		at = TABLES_SIZE - 1 - rnd(CUT_SHORT_ROOM - 8);
	}
	start = at;
	n = fault == 1 ? 0 : fault == 2 ? ALTCALL_MAX_ARMS + rnd(256 - ALTCALL_MAX_ARMS) :
	    1 + (rnd(4) ? rnd(4) : rnd(ALTCALL_MAX_ARMS - 1));
	pick = rnd(n ? n : 1);
	e->arms = 1;
	e->valid = fault == 0 || fault > 5;	/* 1-5: corrupt; 6: no arm calls; 11: maybe cut short */
	e->want = dflt;
	*some_arm = dflt;
	put_byte(t, &at, n);
	unsigned a;

	for (a = 0; a < n && at < TABLES_SIZE; a++) {
		uintptr_t target = fault == 6 || !rnd(5) ? 0 : (uintptr_t)image.text + rnd(TEXT_SIZE);
		unsigned k = fault == 3 && a == pick ? 0 : fault == 4 && a == pick ? 9 + rnd(247) :
			     1 + (rnd(3) ? rnd(2) : rnd(8));
		int all = 1;
		uint32_t rel = target ? (uint32_t)(target - (uintptr_t)(t + at)) : 0;

		for (unsigned b = 0; b < 4; b++)
			put_byte(t, &at, rel >> (8 * b));
		put_byte(t, &at, k);
		for (unsigned j = 0; j < k && j < 16; j++) {
			unsigned w = fault == 5 && a == pick && j == 0 ?
				     bad_words[rnd(sizeof(bad_words) / sizeof(bad_words[0]))] :
				     arm_words[rnd(sizeof(arm_words) / sizeof(arm_words[0]))];

			if (!word_valid(w))
				e->valid = 0;
			else if (!altcall_feature_enabled(w))
				all = 0;
			put_byte(t, &at, w);
			put_byte(t, &at, w >> 8);
		}
		any_call |= target != 0;
		if (a == pick)
			*some_arm = target;
		if (all && !chosen) {
			chosen = 1;
			e->want = target;
		}
	}
	if (!any_call || a < n || at > TABLES_SIZE)
		e->valid = 0;	/* nothing calls, or the image ends in the table */
	if (start == tables_used)
		tables_used = at < TABLES_SIZE ? at : TABLES_SIZE;
	return (uintptr_t)t + start;
}

static void describe_record(unsigned i, const uint8_t *d, struct altcall_site *r)
{
	uintptr_t site = (uintptr_t)image.text + (le16(d) % TEXT_SIZE);
	uintptr_t dflt = field_address(le16(d + 2));
	uintptr_t alt = field_address(le16(d + 4));
	uint16_t feature = feature_words[d[6] % (sizeof(feature_words) / sizeof(feature_words[0]))];
	const struct altcall_codec *codec = altcall_arch_codec;
	struct altcall_insn insn = { ALTCALL_INSN_OTHER, 0 };
	unsigned char bytes[ALTCALL_INSN_MAX];
	uintptr_t arm = alt;

	expect[i].arms = 0;
	/* A table of its own, unless the description's alt says otherwise
	 * (then whatever lies there is the table: text, a pointer, 0). */
	if (feature == ALTCALL_FEATURE_ARMS && (d[5] & 0xc0) != 0xc0) {
		if ((le16(d + 2) >> 14) == 1)	/* a default in text or none */
			dflt = 0;
		rng = (uint32_t)le16(d + 4) * 2654435761u + i + 1;
		alt = build_table(i, dflt, &arm);
	}
	set_field(r, ALTCALL_RECORD_SITE, site);
	set_field(r, ALTCALL_RECORD_DFLT, dflt);
	set_field(r, ALTCALL_RECORD_ALT, alt);
	r->feature = feature;
	switch (d[7] & 7) {	/* what to put at the site first */
	case 1: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, dflt }; break;
	case 2: insn = (struct altcall_insn){ ALTCALL_INSN_JMP, dflt }; break;
	case 3: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, arm }; break;
	case 6: insn = (struct altcall_insn){ ALTCALL_INSN_JMP, arm }; break;
	case 4: insn = (struct altcall_insn){ ALTCALL_INSN_NOP, 0 }; break;
	case 5: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, (uintptr_t)__altcall_nop }; break;
	}
	if (insn.kind != ALTCALL_INSN_OTHER &&
	    site + codec->insn_size <= (uintptr_t)image.text + TEXT_SIZE &&
	    (insn.kind == ALTCALL_INSN_NOP || insn.target) && codec->encode(site, &insn, bytes))
		memcpy((void *)site, bytes, codec->insn_size);
}

static uintptr_t site_of(const struct altcall_site *r)
{
	return (uintptr_t)&r->site + (uintptr_t)(intptr_t)r->site;
}

/* An ARMS record alone at its site (no other record's instruction
 * overlaps it) that apply accepted must call what its table chooses; a
 * corrupt table must not be accepted at all. */
static void check_arms(const struct altcall_site *recs, size_t nrec, size_t i)
{
	const struct altcall_codec *codec = altcall_arch_codec;
	uintptr_t site = site_of(&recs[i]);
	struct altcall_insn now;
	int refused = 0;

	if (!expect[i].arms)
		return;
	for (size_t j = 0; j < nrec; j++) {
		uintptr_t other = site_of(&recs[j]);

		if (j != i && other < site + codec->insn_size && site < other + codec->insn_size)
			return;
	}
	for (unsigned j = 0; j < n_refused_sites; j++)
		refused |= refused_sites[j] == site;
	if (refused)
		return;
	if (!expect[i].valid)
		abort();	/* a corrupt table accepted */
	codec->decode((const unsigned char *)site, site, &now);
	if (expect[i].want ? !altcall_insn_branches_to(&now, expect[i].want) :
	    now.kind != ALTCALL_INSN_NOP && !altcall_insn_branches_to(&now, (uintptr_t)__altcall_nop))
		abort();	/* not the first arm whose features hold */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned features = data[0];
	size_t nrec = data[1] % (RECORDS_MAX + 1);
	data += 2, size -= 2;
	if (nrec * DESC_SIZE > size)
		nrec = size / DESC_SIZE;
	memset(&image, 0, sizeof(image));
	const uint8_t *desc = data;
	data += nrec * DESC_SIZE, size -= nrec * DESC_SIZE;
	memcpy(image.text, data, size < TEXT_SIZE ? size : TEXT_SIZE);
	for (int i = 0; i < 8; i++)
		image.pointers[i] = i & 1 ? 0 : (uintptr_t)image.text + (uintptr_t)(i * 40);
	struct altcall_site *recs = (struct altcall_site *)image.records;
	/* Features first: the tables' expectations depend on them. */
	for (unsigned f = 0; f < 8; f++)
		altcall_set_feature(ALTCALL_SW_FEATURE(f), (features >> f) & 1);
	tables_used = 0;
	cut_short_used = 0;
	for (size_t i = 0; i < nrec; i++)
		describe_record((unsigned)i, desc + i * DESC_SIZE, &recs[i]);

	const struct altcall_site *start = (const struct altcall_site *)image.records;
	for (int round = 0; round < 2; round++) {
		struct altcall_report rep;
		n_refused_sites = 0;
		int ret = altcall_apply_sites(start, start + nrec, &platform);
		altcall_get_report(&rep);
		if (rep.sites != nrec || rep.patched + rep.refused > 2 * nrec ||
		    (ret < 0) != (rep.refused > 0) || (ret >= 0 && (unsigned)ret != rep.patched))
			abort();
		for (size_t i = 0; i < nrec; i++)
			check_arms(recs, nrec, i);
	}
	return 0;
}
