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
#include <link.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
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

void altcall_aarch64_hwcaps(unsigned long long hwcaps[2])
{
	hwcaps[0] = getauxval(AT_HWCAP);
	hwcaps[1] = getauxval(AT_HWCAP2);
}

/* ---- images ------------------------------------------------------------ */

/*
 * One feature state per process: every image with sites (the executable,
 * its libraries, a dlopen()ed plugin) registers its records here from a
 * constructor the plugin emits, before the image's own constructors run,
 * and unregisters them from the matching destructor.  altcall_apply()
 * patches every registered image; an image registered after an apply is
 * patched at once for that apply's features.  The list is guarded by a
 * mutex: dlopen() may run in any thread.
 */
struct image_node {
	struct altcall_image image;
	struct image_node *next;
};

static struct image_node *images;
static unsigned n_images;
static pthread_mutex_t images_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Two runtimes in one process would mean two feature states: an image
 * registered with the other one would never follow this one's apply.  Each
 * runtime carries this note; the loaded images are searched for it (one
 * image's copy, whatever the symbol visibility), and with more than one,
 * every apply fails, every site left as it is (ALTCALL_ERUNTIME).
 */
#define RUNTIME_NOTE_TYPE 0x41435254u	/* "TRCA" */
struct runtime_note {
	uint32_t namesz, descsz, type;
	char name[8];
};
__attribute__((section(".note.altcall.runtime"), used, aligned(4)))
static const struct runtime_note runtime_note = {
	sizeof("altcall"), 0, RUNTIME_NOTE_TYPE, "altcall"
};

static int count_runtime(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(struct runtime_note) <= end) {
			const struct runtime_note *n = (const struct runtime_note *)p;

			if (n->type == RUNTIME_NOTE_TYPE && n->namesz == sizeof("altcall") &&
			    !memcmp(n->name, "altcall", sizeof("altcall"))) {
				(*(unsigned *)data)++;
				return 0;
			}
			p += 12 + ((n->namesz + 3) & ~3u) + ((n->descsz + 3) & ~3u);
		}
	}
	return 0;
}

static _Bool one_runtime(void)
{
	unsigned runtimes = 0;

	dl_iterate_phdr(count_runtime, &runtimes);
	return runtimes <= 1;
}

/* Learn text and readable ranges for one apply; if /proc/self/maps cannot
 * be read, every site will be refused as not text (reported, never silent). */
static void learn_mappings(void)
{
	page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	if (read_text_mappings())
		n_text = n_readable = 0;
}

/* Every site of the images, refused as it stands: nothing is written. */
static int refuse_all(void)
{
	unsigned sites = 0;

	for (struct image_node *i = images; i; i = i->next)
		sites += (unsigned)(i->image.stop - i->image.start);
	return altcall_refuse_all(sites, ALTCALL_ERUNTIME);
}

static int apply_registered(void)
{
	struct altcall_image *list;
	unsigned n = 0;
	int ret;

	if (!one_runtime())
		return refuse_all();
	list = malloc((n_images ? n_images : 1) * sizeof(*list));
	if (!list)
		return altcall_refuse_all(0, ALTCALL_ENOMEM);
	for (struct image_node *i = images; i; i = i->next)
		list[n++] = i->image;
	learn_mappings();
	ret = altcall_apply_images(list, n, &user_platform);
	free(list);
	return ret;
}

void __altcall_register_image(const struct altcall_site *start,
			      const struct altcall_site *stop, void (*nop)(void))
{
	struct image_node *node;

	if (!start || stop <= start)
		return;
	pthread_mutex_lock(&images_lock);
	for (node = images; node && node->image.start != start; node = node->next)
		;
	if (!node && (node = malloc(sizeof(*node)))) {
		node->image = (struct altcall_image){ start, stop, (const void *)nop };
		node->next = images;
		images = node;
		n_images++;
		if (!one_runtime()) {
			refuse_all();
		} else {
			learn_mappings();
			altcall_apply_late_image(&node->image, &user_platform);
		}
	}
	pthread_mutex_unlock(&images_lock);
}

void __altcall_unregister_image(const struct altcall_site *start)
{
	pthread_mutex_lock(&images_lock);
	for (struct image_node **p = &images; *p; p = &(*p)->next) {
		if ((*p)->image.start == start) {
			struct image_node *gone = *p;

			*p = gone->next;
			n_images--;
			free(gone);
			break;
		}
	}
	pthread_mutex_unlock(&images_lock);
}

int altcall_apply_user(const struct altcall_site *start,
		       const struct altcall_site *stop)
{
	int ret;

	pthread_mutex_lock(&images_lock);
	learn_mappings();
	ret = altcall_apply_sites(start, stop, &user_platform);
	pthread_mutex_unlock(&images_lock);
	return ret;
}

int altcall_apply(void)
{
	int ret;

	pthread_mutex_lock(&images_lock);
	ret = apply_registered();
	pthread_mutex_unlock(&images_lock);
	return ret;
}
