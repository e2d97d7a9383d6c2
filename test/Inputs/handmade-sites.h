/*
 * Hand-built sites for the runtime's refusal tests (test/runtime/): the
 * site instructions of each architecture written and read by hand, on
 * purpose: this is the test oracle of what the runtime writes, so it does
 * not share the runtime's codec (runtime/insn_*.c), whose bug would
 * otherwise agree with itself.  The encodings and the record layout are
 * those of docs/abi.md.
 */
#ifndef HANDMADE_SITES_H
#define HANDMADE_SITES_H

#include <altcall/abi.h>
#include <altcall/runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "page-protection.h"

enum { CALL = 1, JMP = 2 };
#ifdef __x86_64__
static const unsigned char nop_insn[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
#define INSN_SIZE 5

static void put_branch(unsigned char *at, int op, const void *to)
{
	int32_t rel = (int32_t)((const unsigned char *)to - (at + 5));
	at[0] = op == CALL ? 0xe8 : 0xe9;
	memcpy(at + 1, &rel, 4);
}

static int decode(const unsigned char *at, const unsigned char **to)
{
	int32_t rel;
	memcpy(&rel, at + 1, 4);
	*to = at + 5 + rel;
	return at[0] == 0xe8 ? CALL : at[0] == 0xe9 ? JMP : 0;
}

static void put_ret(unsigned char *at) { at[0] = 0xc3; }
#else
static const unsigned char nop_insn[] = { 0x1f, 0x20, 0x03, 0xd5 };
#define INSN_SIZE 4

static void put_branch(unsigned char *at, int op, const void *to)
{
	uint32_t word = (op == CALL ? 0x94000000u : 0x14000000u) |
			((uint32_t)(((const unsigned char *)to - at) >> 2) & 0x03ffffffu);
	memcpy(at, &word, 4);
}

static int decode(const unsigned char *at, const unsigned char **to)
{
	uint32_t word;
	memcpy(&word, at, 4);
	*to = at + (((int32_t)(word << 6)) >> 6) * 4;
	return (word & 0xfc000000u) == 0x94000000u ? CALL :
	       (word & 0xfc000000u) == 0x14000000u ? JMP : 0;
}

static void put_ret(unsigned char *at)
{
	static const unsigned char ret[] = { 0xc0, 0x03, 0x5f, 0xd6 };
	memcpy(at, ret, 4);
}
#endif

/* Record r: dflt or alt NULL is "no call". */
static void put_record(struct altcall_site *r, const void *site, const void *dflt,
		       const void *alt, unsigned feature)
{
	r->site = (int32_t)((const char *)site - (const char *)&r->site);
	r->dflt = dflt ? (int32_t)((const char *)dflt - (const char *)&r->dflt) : 0;
	r->alt = alt ? (int32_t)((const char *)alt - (const char *)&r->alt) : 0;
	r->feature = (uint16_t)feature;
}

/*
 * pages pages of fresh read-write memory within rel32 (and arm64 b/bl)
 * reach of this image, where __altcall_nop lives, the last page unmapped
 * again (a hole to point at); NULL if none could be had.  Tried below the
 * image, then above it: qemu-user 11 (Debian sid) often has the 64 MB
 * below the image taken.
 */
static unsigned char *map_near_runtime(long page, int pages)
{
	uintptr_t here = (uintptr_t)__altcall_nop & ~(uintptr_t)(page - 1);
	void *p = MAP_FAILED;

	for (int i = 0; i < 128 && p == MAP_FAILED; i++) {
		uintptr_t near = i < 64 ? here - 0x1000000 - i * 0x100000UL
					: here + 0x1000000 + (i - 64) * 0x100000UL;
		p = mmap((void *)near, pages * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	}
	if (p == MAP_FAILED)
		return NULL;
	munmap((unsigned char *)p + (pages - 1) * page, page);
	return p;
}

#endif
