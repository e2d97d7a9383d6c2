/* SPDX-License-Identifier: MIT */
/*
 * User-space platform of the altcall runtime (Linux, hosted).
 *
 * Text is found, and its original protection learnt, from /proc/self/maps,
 * read once per altcall_apply().  write_text keeps one writable window
 * (PROT_READ|PROT_WRITE|PROT_EXEC) per apply: the first write in a mapping
 * opens it from that page to the end of the mapping, later writes in the
 * mapping need no system call, and a write in another mapping, or the
 * core's finish call, puts the mapping's original protection back.  So an
 * apply costs about two mprotect() calls per text mapping, not two per
 * batch.  Execute stays on while writing because the patcher's own code may
 * share a page with a site.  A write whose window cannot be opened is not
 * made, and no text is writable once altcall_apply() returns.
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

/* The writable window: [start, end) of one mapping, or empty. */
static struct {
	const struct mapping *m;
	uintptr_t start, end;
	int failed;		/* restoring a protection failed */
} window;

static void close_window(void)
{
	if (!window.m)
		return;
	if (mprotect((void *)window.start, window.end - window.start, window.m->prot))
		window.failed = 1;
	window.m = NULL;
}

/* Make the page of addr writable, with the rest of its mapping after it. */
static int open_window(const struct mapping *m, uintptr_t addr)
{
	uintptr_t first = addr & ~(page_size - 1);

	if (window.m == m && first >= window.start)
		return 0;
	uintptr_t end = window.m == m ? window.start : m->end;
	if (window.m != m)
		close_window();
	if (mprotect((void *)first, end - first, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -1;
	if (window.m != m)
		window.end = end;
	window.m = m;
	window.start = first;
	return 0;
}

static unsigned user_write_text(const struct altcall_patch *p, unsigned n)
{
	unsigned done;

	for (done = 0; done < n && !window.failed; done++) {
		const struct mapping *m = find_text((uintptr_t)p[done].addr, p[done].len);
		if (!m || open_window(m, (uintptr_t)p[done].addr))
			break;
		store(&p[done]);
		__builtin___clear_cache((char *)p[done].addr, (char *)p[done].addr + p[done].len);
	}
	return done;
}

static _Bool user_finish(void)
{
	close_window();
	_Bool ok = !window.failed;
	window.failed = 0;
	return ok;
}

/* The core's record index: anonymous memory, returned at the end of apply. */
static void *user_scratch(unsigned long bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void user_scratch_free(void *p, unsigned long bytes)
{
	munmap(p, bytes);
}

static const struct altcall_platform user_platform = {
	.is_text = user_is_text,
	.write_text = user_write_text,
	.cpu_has = NULL,
	.is_readable = user_is_readable,
	.finish = user_finish,
	.scratch = user_scratch,
	.scratch_free = user_scratch_free,
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
