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

static struct {
	unsigned char text[TEXT_SIZE];
	unsigned char records[RECORDS_MAX * ALTCALL_RECORD_SIZE];
	uintptr_t pointers[8];
} image __attribute__((aligned(4096)));

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

static const struct altcall_platform platform = {
	.is_text = fuzz_is_text,
	.write_text = fuzz_write_text,
	.is_readable = fuzz_is_readable,
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

static void describe_record(const uint8_t *d, struct altcall_site *r)
{
	uintptr_t site = (uintptr_t)image.text + (le16(d) % TEXT_SIZE);
	uintptr_t dflt = field_address(le16(d + 2));
	uintptr_t alt = field_address(le16(d + 4));
	uint16_t feature = feature_words[d[6] % (sizeof(feature_words) / sizeof(feature_words[0]))];
	const struct altcall_codec *codec = altcall_arch_codec;
	struct altcall_insn insn = { ALTCALL_INSN_OTHER, 0 };
	unsigned char bytes[ALTCALL_INSN_MAX];

	set_field(r, ALTCALL_RECORD_SITE, site);
	set_field(r, ALTCALL_RECORD_DFLT, dflt);
	set_field(r, ALTCALL_RECORD_ALT, alt);
	r->feature = feature;
	switch (d[7] & 7) {	/* what to put at the site first */
	case 1: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, dflt }; break;
	case 2: insn = (struct altcall_insn){ ALTCALL_INSN_JMP, dflt }; break;
	case 3: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, alt }; break;
	case 4: insn = (struct altcall_insn){ ALTCALL_INSN_NOP, 0 }; break;
	case 5: insn = (struct altcall_insn){ ALTCALL_INSN_CALL, (uintptr_t)__altcall_nop }; break;
	}
	if (insn.kind != ALTCALL_INSN_OTHER &&
	    site + codec->insn_size <= (uintptr_t)image.text + TEXT_SIZE &&
	    (insn.kind == ALTCALL_INSN_NOP || insn.target) && codec->encode(site, &insn, bytes))
		memcpy((void *)site, bytes, codec->insn_size);
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
	for (size_t i = 0; i < nrec; i++)
		describe_record(desc + i * DESC_SIZE, &recs[i]);

	for (unsigned f = 0; f < 8; f++)
		altcall_set_feature(ALTCALL_SW_FEATURE(f), (features >> f) & 1);
	const struct altcall_site *start = (const struct altcall_site *)image.records;
	for (int round = 0; round < 2; round++) {
		struct altcall_report rep;
		int ret = altcall_apply_sites(start, start + nrec, &platform);
		altcall_get_report(&rep);
		if (rep.sites != nrec || rep.patched + rep.refused > 2 * nrec ||
		    (ret < 0) != (rep.refused > 0) || (ret >= 0 && (unsigned)ret != rep.patched))
			abort();
	}
	return 0;
}
