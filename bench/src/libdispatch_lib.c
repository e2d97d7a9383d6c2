/* SPDX-License-Identifier: MIT */
/*
 * A realistic library dispatch (bench/bench_library.py): CRC-32C, chosen
 * once by CPU feature (x86-64 SSE4.2's crc32 instruction, arm64's CRC32
 * extension, else a table) and called through an ops struct, as xxHash's
 * or zlib's dispatchers do.  The same source is built as the plain
 * library (no plugin: an indirect call), with retpolines, and with the
 * altcall plugin (alternative_call, then altcall_pointers_final()).
 */
#include <altcall.h>
#include <stddef.h>
#include <stdint.h>
#ifdef __aarch64__
#include <sys/auxv.h>
#endif

#define VISIBLE __attribute__((visibility("default")))

static uint32_t table[256];

static uint32_t crc_table(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;

	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t c = ~crc;

	for (; n >= 8; n -= 8, b += 8) {
		uint64_t w;
		__builtin_memcpy(&w, b, 8);
		c = __builtin_ia32_crc32di(c, w);
	}
	while (n--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *b++);
	return ~(uint32_t)c;
}
static int have_hw(void) { return __builtin_cpu_supports("sse4.2"); }
#elif defined(__aarch64__)
__attribute__((target("+crc")))
static uint32_t crc_hw(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint32_t c = ~crc;

	for (; n >= 8; n -= 8, b += 8) {
		uint64_t w;
		__builtin_memcpy(&w, b, 8);
		c = __builtin_aarch64_crc32cx(c, w);
	}
	while (n--)
		c = __builtin_aarch64_crc32cb(c, *b++);
	return ~c;
}
static int have_hw(void) { return (getauxval(AT_HWCAP) >> 7) & 1; }	/* HWCAP_CRC32 */
#endif

/* Static: a pointer site refers to its own image's pointer. */
static struct {
	uint32_t (*crc)(uint32_t, const void *, size_t);
} ops;

VISIBLE const char *libdispatch_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		table[i] = c;
	}
	ops.crc = have_hw() ? crc_hw : crc_table;
	altcall_pointers_final();	/* nothing without the plugin */
	return ops.crc == crc_hw ? "hardware" : "table";
}

VISIBLE uint32_t libdispatch_crc32c(uint32_t crc, const void *p, size_t n)
{
	return alternative_call(ops.crc, crc, p, n);
}

/* Its pointer sites the declaration patched: 0 without the plugin. */
VISIBLE unsigned libdispatch_patched(void)
{
	struct altcall_image_report r;

	return altcall_get_own_report(&r) ? 0 : r.report.patched;
}

/* The reference, called directly: the driver checks every result. */
VISIBLE uint32_t libdispatch_reference(uint32_t crc, const void *p, size_t n)
{
	return crc_table(crc, p, n);
}
