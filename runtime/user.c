/* SPDX-License-Identifier: MIT */
/*
 * User-space platform of the altcall runtime (Linux, hosted).
 *
 * Text is found, and its original protection learnt, from /proc/self/maps,
 * read once per altcall_apply().  Writes go through one writable window
 * (PROT_READ|PROT_WRITE|PROT_EXEC) per text mapping per apply: the first
 * write in a mapping opens it from that page to the end of the mapping,
 * later writes there need no system call, and the core's finish call puts
 * every mapping's original protection back.  So an apply costs about two
 * mprotect() calls per text mapping, not two per batch.  A write whose
 * window cannot be opened is not made, and no text is writable once
 * altcall_apply() returns.
 *
 * Execute stays on while writing (RWX, not RW): other threads may be
 * running code on the very pages being patched (the sites, their callers,
 * the patcher itself), and a page without PROT_EXEC would fault under
 * them.  The other way to write private text without making it writable,
 * pwrite() to /proc/self/mem, gives no guarantee about the width of its
 * stores (arm64 needs one 32-bit store) and is often unavailable in
 * sandboxes.  So a system that forbids W+X mappings (SELinux execmem,
 * PaX MPROTECT) refuses the sites: ALTCALL_ETEXTWRITE, nothing written.
 *
 * Two ways to apply (docs/runtime.md, "Patching live code"):
 *  - boot: when this thread is provably the only one (/proc/self/status
 *    "Threads:" is 1, read under the image lock, so no thread of ours can
 *    appear meanwhile; asynchronous signals are blocked for the apply, so
 *    no handler runs a half-written site either), plain stores through
 *    write_text, as at boot;
 *  - live: otherwise, the core's protocol (poke.c) with poke below and
 *    sync_cores = membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE),
 *    registered once per process; on x86 a SIGTRAP handler sends a thread
 *    that hits one of the protocol's int3s where altcall_live_trap() says.
 *    Without SYNC_CORE the apply writes nothing and refuses every site it
 *    would change (ALTCALL_ELIVE).
 */
#define _GNU_SOURCE
#include <altcall.h>
#include <altcall/runtime.h>
#include "runtime_note.h"

#include <fcntl.h>
#include <link.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define MAX_MAPPINGS 512

struct mapping {
	uintptr_t start, end;
	int prot;
	uintptr_t window;	/* writable from here to end; 0: closed */
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
	m.window = 0;
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

static struct mapping *find(struct mapping *set, unsigned n,
			    uintptr_t addr, unsigned len)
{
	for (unsigned i = 0; i < n; i++)
		if (addr >= set[i].start && addr + len <= set[i].end)
			return &set[i];
	return NULL;
}

static struct mapping *find_text(uintptr_t addr, unsigned len)
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

/*
 * One site instruction, or part of one (the live protocol's int3 and
 * tail).  arm64 needs each instruction written by one aligned 32-bit store
 * (see arch_aarch64.c), so that is what a 4-byte aligned write is; one
 * byte is one store anyway.  The 4 bytes of an x86 tail go in any order:
 * an int3 guards them.
 */
static void store(void *addr, const unsigned char *bytes, unsigned len)
{
	if (len == 4 && ((uintptr_t)addr & 3) == 0) {
		uint32_t word;
		memcpy(&word, bytes, 4);
		*(volatile uint32_t *)addr = word;
	} else if (len == 1) {
		*(volatile unsigned char *)addr = bytes[0];
	} else {
		memcpy(addr, bytes, len);
	}
}

static int window_failed;	/* restoring a protection failed */

/* Make the page of addr writable, with the rest of its mapping after it. */
static int open_window(struct mapping *m, uintptr_t addr)
{
	uintptr_t first = addr & ~(page_size - 1);
	uintptr_t end = m->window ? m->window : m->end;

	if (m->window && first >= m->window)
		return 0;
	if (mprotect((void *)first, end - first, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -1;
	m->window = first;
	return 0;
}

static void close_windows(void)
{
	for (unsigned i = 0; i < n_text; i++) {
		struct mapping *m = &text[i];

		if (!m->window)
			continue;
		if (mprotect((void *)m->window, m->end - m->window, m->prot))
			window_failed = 1;
		m->window = 0;
	}
}

/* Write len bytes at addr through its mapping's window, then clean to the
 * point of unification (arm64; nothing on x86, whose caches are coherent
 * with instruction fetch). */
static _Bool user_poke(void *addr, const unsigned char *bytes, unsigned len)
{
	struct mapping *m = find_text((uintptr_t)addr, len);

	if (window_failed || !m || open_window(m, (uintptr_t)addr))
		return 0;
	store(addr, bytes, len);
	__builtin___clear_cache((char *)addr, (char *)addr + len);
	return 1;
}

static int test_mode;		/* __altcall_test_live_mode() */

/* The control's writer (test mode 3): plain stores, one byte at a time,
 * each followed by a pause, as if the writer were interrupted between two
 * stores of a plain write. */
static _Bool preempted_poke(void *addr, const unsigned char *bytes, unsigned len)
{
	for (unsigned i = 0; i < len; i++) {
		if (!user_poke((char *)addr + i, bytes + i, 1))
			return 0;
		for (volatile int spin = 0; spin < 20000; spin++)
			;
	}
	return 1;
}

/* Boot path: nothing else runs the sites. */
static unsigned user_write_text(const struct altcall_patch *p, unsigned n)
{
	unsigned done;

	for (done = 0; done < n; done++)
		if (!(test_mode == 3 ? preempted_poke : user_poke)(p[done].addr, p[done].bytes,
								  p[done].len))
			break;
	return done;
}

static _Bool user_finish(void)
{
	close_windows();
	_Bool ok = !window_failed;
	window_failed = 0;
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

/* User space has no "last apply" of an image: a NULL pointer is not set
 * yet, patched by a later apply (altcall_pointers_final()), never an error. */
static _Bool user_pointer_unset(const void *slot)
{
	(void)slot;
	return 1;
}

static const struct altcall_platform user_platform = {
	.is_text = user_is_text,
	.write_text = user_write_text,
	.cpu_has = NULL,
	.is_readable = user_is_readable,
	.finish = user_finish,
	.scratch = user_scratch,
	.scratch_free = user_scratch_free,
	.pointer_unset = user_pointer_unset,
};

/* ---- live patching ----------------------------------------------------- */

static pid_t membarrier_pid;	/* SYNC_CORE registered by this process */
static int sync_failed;

void __altcall_test_live_mode(int mode)
{
	test_mode = mode;
}

static long membarrier(int cmd)
{
	return syscall(__NR_membarrier, cmd, 0, 0);
}

/* Can every CPU running this process be made to serialise?  Registers
 * the process once (again in a child after fork(): the registration is
 * the address space's, and a child has a new one). */
static int have_sync_core(void)
{
	long cmds;

	if (test_mode == 1)
		return 0;
	if (membarrier_pid == getpid())
		return 1;
	cmds = membarrier(MEMBARRIER_CMD_QUERY);
	if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) ||
	    membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE))
		return 0;
	membarrier_pid = getpid();
	return 1;
}

/* Every CPU that runs a thread of this process executes a core
 * serialising instruction (x86) / context synchronisation event (arm64)
 * before it returns to user space, and the others will when they do. */
static void user_sync_cores(void)
{
	if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE))
		sync_failed = 1;	/* registered: cannot happen */
}

#ifdef __x86_64__
/*
 * The SIGTRAP handler, x86-64.  Installed by the first live apply and then
 * kept for good, not only for the duration of an apply: a thread that hit
 * an int3 may be preempted before its signal is delivered, and the
 * disposition is looked up at delivery, so a handler taken away when the
 * apply ends would let the default action (a core dump) kill the process.
 * Every live apply checks it is still installed and, if the program
 * installed its own since, installs it again, chaining to the program's.
 * What is not ours goes to the handler the program had (SA_SIGINFO or
 * not), or, with none, takes SIGTRAP's default action.
 */
static struct sigaction chained;	/* the program's SIGTRAP disposition */

static void pass_on(int sig, siginfo_t *info, void *uc)
{
	if (chained.sa_flags & SA_SIGINFO) {
		chained.sa_sigaction(sig, info, uc);
	} else if (chained.sa_handler == SIG_IGN && info->si_code != SI_KERNEL) {
		/* An ignored SIGTRAP sent by kill(): ignored.  An int3 the
		 * kernel would have forced through to the default action. */
	} else if (chained.sa_handler != SIG_DFL && chained.sa_handler != SIG_IGN) {
		chained.sa_handler(sig);
	} else {
		struct sigaction dfl = { .sa_handler = SIG_DFL };
		sigset_t trap;

		sigaction(SIGTRAP, &dfl, NULL);
		sigemptyset(&trap);
		sigaddset(&trap, SIGTRAP);
		pthread_sigmask(SIG_UNBLOCK, &trap, NULL);
		raise(SIGTRAP);
	}
}

static void trap_handler(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *regs = uc->uc_mcontext.gregs;
	unsigned long resume, push;

	/* An int3 is SI_KERNEL; kill(), raise(), single steps are not. */
	if (info->si_code == SI_KERNEL &&
	    altcall_live_trap((unsigned long)regs[REG_RIP], &resume, &push)) {
		if (push) {
			/* What the call would have pushed, where it would
			 * have: the interrupted code's stack, below its rsp
			 * (the kernel put this frame below its red zone). */
			regs[REG_RSP] -= 8;
			*(unsigned long *)regs[REG_RSP] = push;
		}
		regs[REG_RIP] = (greg_t)resume;
		return;
	}
	pass_on(sig, info, ucv);
}

static int install_trap_handler(void)
{
	struct sigaction now, ours = {
		.sa_sigaction = trap_handler,
		/* NODEFER: a site in a chained handler may trap again. */
		.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER,
	};

	if (sigaction(SIGTRAP, NULL, &now))
		return -1;
	if ((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == trap_handler)
		return 0;
	sigemptyset(&ours.sa_mask);
	chained = now;
	return sigaction(SIGTRAP, &ours, NULL);
}
#else
static int install_trap_handler(void)
{
	return 0;	/* arm64: one store per site, no trap */
}
#endif

/* Asked by the core before the first write of a live apply. */
static int user_can_write(void)
{
	if (!have_sync_core() || install_trap_handler())
		return ALTCALL_ELIVE;
	return 0;
}

static _Bool user_live_finish(void)
{
	_Bool ok = user_finish() && !sync_failed;

	sync_failed = 0;
	return ok;
}

static const struct altcall_platform user_live_platform = {
	.is_text = user_is_text,
	.write_text = user_write_text,	/* not used: write_live */
	.cpu_has = NULL,
	.is_readable = user_is_readable,
	.finish = user_live_finish,
	.scratch = user_scratch,
	.scratch_free = user_scratch_free,
	.poke = user_poke,
	.sync_cores = user_sync_cores,
	.write_live = altcall_write_live,
	.can_write = user_can_write,
	.pointer_unset = user_pointer_unset,
};

/* Threads of this process (/proc/self/status), or -1 if unknown. */
static int threads(void)
{
	char buf[4096];
	ssize_t got;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	const char *p;

	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = 0;
	p = strstr(buf, "\nThreads:");
	return p ? atoi(p + sizeof("\nThreads:") - 1) : -1;
}

/*
 * The platform for an apply now (called under images_lock): the boot path
 * only when this thread is provably alone.  A count of 1 read now stays
 * true for the whole apply: only a thread of this process can create
 * another, and this one is busy applying with its signals blocked.
 * (A process that shares its memory through clone(CLONE_VM) without
 * CLONE_THREAD is not counted there: see docs/runtime.md.)
 */
static const struct altcall_platform *apply_platform(void)
{
	if (test_mode >= 2 || threads() == 1)
		return &user_platform;
	return &user_live_platform;
}

/* Asynchronous signals wait while this thread applies: a handler could
 * run a site this thread is writing (boot path) or hold up the live
 * protocol.  Synchronous ones cannot be held. */
static void block_signals(sigset_t *old)
{
	sigset_t all;

	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGTRAP);
	pthread_sigmask(SIG_BLOCK, &all, old);
}

static void restore_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

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
	/* Where the image is loaded (its PT_LOAD segments, lo to hi): an
	 * address in it names it (altcall_pointers_final()). */
	uintptr_t lo, hi;
	const char *name;	/* the loader's, valid while it is loaded */
	const void *base;
	struct altcall_report report;	/* its part of its last apply */
	/* Its last altcall_pointers_final() left every pointer site
	 * patched: the next ones have nothing to do. */
	_Bool pointers_final;
};

static struct image_node *images;
static unsigned n_images;
static pthread_mutex_t images_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Two runtimes in one process would mean two feature states: an image
 * registered with the other one would never follow this one's apply.  Each
 * runtime's core carries a note (runtime_note.h); the loaded images are
 * searched for it (one image's copy, whatever the symbol visibility), and
 * with more than one, every apply fails, every site left as it is
 * (ALTCALL_ERUNTIME).
 */
static int count_runtime(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(struct altcall_runtime_note) <= end) {
			const struct altcall_runtime_note *n = (const void *)p;

			if (n->type == ALTCALL_RUNTIME_NOTE_TYPE &&
			    n->namesz == sizeof(ALTCALL_RUNTIME_NOTE_NAME) &&
			    !memcmp(n->name, ALTCALL_RUNTIME_NOTE_NAME,
				    sizeof(ALTCALL_RUNTIME_NOTE_NAME))) {
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

/* The loaded object that holds node's records: its extent, name, base. */
static int find_extent(struct dl_phdr_info *info, size_t size, void *data)
{
	struct image_node *node = data;
	uintptr_t lo = UINTPTR_MAX, hi = 0, at = (uintptr_t)node->image.start;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t from = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (from < lo)
			lo = from;
		if (from + ph->p_memsz > hi)
			hi = from + ph->p_memsz;
	}
	if (at < lo || at >= hi)
		return 0;
	node->lo = lo;
	node->hi = hi;
	node->name = info->dlpi_name ? info->dlpi_name : "";
	node->base = (const void *)info->dlpi_addr;
	return 1;
}

/* The registered image that holds addr (under images_lock), or NULL. */
static struct image_node *image_at(const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (struct image_node *i = images; i; i = i->next)
		if (a >= i->lo && a < i->hi)
			return i;
	return NULL;
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
	ret = altcall_apply_images(list, n, apply_platform());
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
	if (!node && (node = calloc(1, sizeof(*node)))) {
		node->image = (struct altcall_image){ start, stop, (const void *)nop,
						      &node->report };
		/* Found by its records, which lie in it; an image the loader
		 * does not list keeps lo = hi = 0: no address names it. */
		dl_iterate_phdr(find_extent, node);
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

int __altcall_pointers_final(const void *in_image)
{
	struct image_node *node;
	sigset_t old;
	int ret = 0;

	block_signals(&old);
	pthread_mutex_lock(&images_lock);
	node = image_at(in_image);
	if (!node || node->pointers_final) {
		/* Not registered (no sites, built without the plugin), or
		 * nothing left to patch. */
	} else if (!one_runtime()) {
		ret = -ALTCALL_ERUNTIME;
	} else {
		learn_mappings();
		ret = altcall_apply_image_pointers(&node->image, apply_platform());
		node->pointers_final = ret >= 0 && !node->report.unset;
	}
	pthread_mutex_unlock(&images_lock);
	restore_signals(&old);
	return ret;
}

int __altcall_get_image_report(const void *addr, struct altcall_image_report *out,
			       unsigned long size)
{
	struct altcall_image_report r;
	struct image_node *node;

	pthread_mutex_lock(&images_lock);
	node = image_at(addr);
	if (node) {
		r.name = node->name;
		r.base = node->base;
		r.report = node->report;
	}
	pthread_mutex_unlock(&images_lock);
	if (!node)
		return -1;
	memcpy(out, &r, size < sizeof(r) ? size : sizeof(r));
	return 0;
}

int altcall_apply_user(const struct altcall_site *start,
		       const struct altcall_site *stop)
{
	sigset_t old;
	int ret;

	block_signals(&old);
	pthread_mutex_lock(&images_lock);
	learn_mappings();
	ret = altcall_apply_sites(start, stop, apply_platform());
	pthread_mutex_unlock(&images_lock);
	restore_signals(&old);
	return ret;
}

int altcall_apply(void)
{
	sigset_t old;
	int ret;

	block_signals(&old);
	pthread_mutex_lock(&images_lock);
	ret = apply_registered();
	pthread_mutex_unlock(&images_lock);
	restore_signals(&old);
	return ret;
}

/* fork() waits for an apply under way: a child must not inherit int3s in
 * its text (its copy of the applying thread does not exist), nor a held
 * lock. */
static void fork_prepare(void) { pthread_mutex_lock(&images_lock); }
static void fork_done(void) { pthread_mutex_unlock(&images_lock); }

__attribute__((constructor)) static void altcall_user_init(void)
{
	pthread_atfork(fork_prepare, fork_done, fork_done);
}
