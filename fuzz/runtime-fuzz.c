/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the runtime core: the record walker, the planner and
 * the architecture's decoder/encoder (link with arch_x86_64.c or
 * arch_aarch64.c).  The input is a feature byte, then 8-byte record
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

/* The backend's encoder (runtime/arch.h), to synthesise sites. */
enum { INSN_OTHER, INSN_CALL, INSN_JMP, INSN_NOP };
struct insn { int kind; uintptr_t target; };
_Bool altcall_arch_encode(uintptr_t addr, const struct insn *insn, unsigned char *out);
extern const unsigned altcall_arch_insn_size;

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

static void set_field(struct altcall_site *r, size_t offset, uintptr_t to)
{
	unsigned char *field = (unsigned char *)r + offset;
	int32_t rel = to ? (int32_t)(to - (uintptr_t)field) : 0;
	memcpy(field, &rel, 4);
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
	struct insn insn = { INSN_OTHER, 0 };
	unsigned char bytes[8];

	set_field(r, offsetof(struct altcall_site, site), site);
	set_field(r, offsetof(struct altcall_site, dflt), dflt);
	set_field(r, offsetof(struct altcall_site, alt), alt);
	r->feature = feature;
	switch (d[7] & 7) {	/* what to put at the site first */
	case 1: insn = (struct insn){ INSN_CALL, dflt }; break;
	case 2: insn = (struct insn){ INSN_JMP, dflt }; break;
	case 3: insn = (struct insn){ INSN_CALL, alt }; break;
	case 4: insn = (struct insn){ INSN_NOP, 0 }; break;
	case 5: insn = (struct insn){ INSN_CALL, (uintptr_t)__altcall_nop }; break;
	}
	if (insn.kind != INSN_OTHER && site + altcall_arch_insn_size <= (uintptr_t)image.text + TEXT_SIZE &&
	    (insn.kind == INSN_NOP || insn.target) && altcall_arch_encode(site, &insn, bytes))
		memcpy((void *)site, bytes, altcall_arch_insn_size);
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
