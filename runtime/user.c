/* SPDX-License-Identifier: MIT */
/*
 * User-space platform of the altcall runtime (Linux, hosted).
 *
 * Text is found, and its original protection learnt, from /proc/self/maps,
 * read once per altcall_apply().  write_text groups the (sorted) patches
 * into runs that lie in one mapping; each run costs one mprotect() to
 * PROT_READ|PROT_WRITE|PROT_EXEC over its pages and one back to the
 * mapping's original protection.  Execute stays on while writing because
 * the patcher's own code may share a page with a site.  A run whose
 * mprotect() fails is not written, and text is never left writable.
 */
#define _GNU_SOURCE
#include <altcall.h>
#include <altcall/runtime.h>

#include <fcntl.h>
#include <sys/auxv.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_MAPPINGS 512

struct mapping {
	uintptr_t start, end;
	int prot;
};

static struct mapping text[MAX_MAPPINGS];
static unsigned n_text;
static struct mapping readable[MAX_MAPPINGS];
static unsigned n_readable;
static uintptr_t page_size;

static uintptr_t parse_hex(const char **p)
{
	uintptr_t v = 0;

	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9')
			v = v * 16 + (uintptr_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uintptr_t)(c - 'a' + 10);
		else
			return v;
	}
}

/* One line: "start-end perms ...".  Keeps executable and readable ones. */
static void parse_line(const char *line)
{
	const char *p = line;
	struct mapping m;

	m.start = parse_hex(&p);
	if (*p++ != '-')
		return;
	m.end = parse_hex(&p);
	if (*p++ != ' ')
		return;
	m.prot = (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
		 (p[2] == 'x' ? PROT_EXEC : 0);
	if ((m.prot & PROT_EXEC) && n_text < MAX_MAPPINGS)
		text[n_text++] = m;
	if ((m.prot & PROT_READ) && n_readable < MAX_MAPPINGS)
		readable[n_readable++] = m;
}

static int read_text_mappings(void)
{
	char buf[4096], line[512];
	size_t len = 0;
	ssize_t got;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);

	n_text = n_readable = 0;
	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof(line) - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = 0;
			parse_line(line);
			len = 0;
		}
	}
	close(fd);
	return got < 0 ? -1 : 0;
}

static const struct mapping *find(const struct mapping *set, unsigned n,
				   uintptr_t addr, unsigned len)
{
	for (unsigned i = 0; i < n; i++)
		if (addr >= set[i].start && addr + len <= set[i].end)
			return &set[i];
	return NULL;
}

static const struct mapping *find_text(uintptr_t addr, unsigned len)
{
	return find(text, n_text, addr, len);
}

static _Bool user_is_text(const void *addr, unsigned len)
{
	return find_text((uintptr_t)addr, len) != NULL;
}

static _Bool user_is_readable(const void *addr, unsigned len)
{
	return find(readable, n_readable, (uintptr_t)addr, len) != NULL;
}

/* arm64 needs each instruction written by one aligned 32-bit store (see
 * arch_aarch64.c); x86 sites are written at boot, before they can run. */
static void store(const struct altcall_patch *p)
{
	if (p->len == 4 && ((uintptr_t)p->addr & 3) == 0) {
		uint32_t word;
		memcpy(&word, p->bytes, 4);
		*(volatile uint32_t *)p->addr = word;
	} else {
		memcpy(p->addr, p->bytes, p->len);
	}
}

static unsigned user_write_text(const struct altcall_patch *p, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		const struct mapping *m = find_text((uintptr_t)p[done].addr, p[done].len);
		unsigned end = done + 1;

		if (!m)
			break;
		while (end < n && find_text((uintptr_t)p[end].addr, p[end].len) == m)
			end++;
		uintptr_t first = (uintptr_t)p[done].addr & ~(page_size - 1);
		uintptr_t last = ((uintptr_t)p[end - 1].addr + p[end - 1].len +
				  page_size - 1) & ~(page_size - 1);
		if (mprotect((void *)first, last - first,
			     PROT_READ | PROT_WRITE | PROT_EXEC))
			break;
		for (unsigned i = done; i < end; i++)
			store(&p[i]);
		int restore = mprotect((void *)first, last - first, m->prot);
		__builtin___clear_cache((char *)first, (char *)last);
		if (restore)
			break;		/* written, but report the failure */
		done = end;
	}
	return done;
}

static const struct altcall_platform user_platform = {
	.is_text = user_is_text,
	.write_text = user_write_text,
	.cpu_has = NULL,
	.is_readable = user_is_readable,
};

extern const struct altcall_site __start_altcall_sites[]
	__attribute__((weak, visibility("hidden")));
extern const struct altcall_site __stop_altcall_sites[]
	__attribute__((weak, visibility("hidden")));

void altcall_aarch64_hwcaps(unsigned long long hwcaps[2])
{
	hwcaps[0] = getauxval(AT_HWCAP);
	hwcaps[1] = getauxval(AT_HWCAP2);
}

int altcall_apply_user(const struct altcall_site *start,
		       const struct altcall_site *stop)
{
	page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	if (read_text_mappings())
		n_text = n_readable = 0;	/* every site will be refused as not text */
	return altcall_apply_sites(start, stop, &user_platform);
}

int altcall_apply(void)
{
	return altcall_apply_user(__start_altcall_sites, __stop_altcall_sites);
}
