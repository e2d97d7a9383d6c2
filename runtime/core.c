/* SPDX-License-Identifier: MIT */
/*
 * altcall runtime core: feature state and the record walk.  Freestanding.
 *
 * For every record (layout and accessors in altcall/abi.h) the core
 *   1. resolves the PC-relative fields;
 *   2. plans the site with the planner (plan.c, shared with the
 *      altcall-sites inspector), which refuses a malformed record or
 *      feature, asks the platform whether the site is text before reading
 *      it, accepts only what the compiler emitted or what an earlier apply
 *      wrote (for a site with an arm table: reading the table only where
 *      the platform's is_readable allows), and encodes the instruction for
 *      the chosen target with the host's codec (insn_*.c), refusing a
 *      target out of reach (on a platform with call thunks, a call is
 *      read as a call to the function its thunk enters and written to
 *      the thunk: thunk_decode, thunk_encode);
 *   3. unless the records are in ascending, disjoint site order, checks
 *      with the platform's scratch memory that every record of the site
 *      agrees with it and that no other site overlaps it (the rules are
 *      the planner's: altcall_records_agree, altcall_sites_overlap);
 *   4. queues it, unless the bytes already match (so apply is idempotent).
 * Queued patches go to the platform's write_text in batches sorted by
 * address (or, with the platform's live hooks, through the live protocol
 * it names, poke.c's altcall_write_live), and the platform's finish
 * closes the apply; what either fails to do is reported as
 * ALTCALL_ETEXTWRITE.  Applies serialise on the apply lock (below); after
 * altcall_seal() an apply changes no site.
 * A refused site is never written; the first refusal is kept in the
 * report.
 *
 * Two feature states: the current one, which altcall_set_feature()
 * changes and each apply plans with, and the published one, which sites
 * built without the plugin follow and an image loaded later is applied
 * for.  An apply publishes its state when it returns, unless a refusal
 * held the apply back as a whole (refusal_holds_back()): the plugin-less code
 * then changes exactly when, and as, the patched sites do.  A seal
 * freezes the published state.
 */
#include "arch.h"
#include "plan.h"

#ifdef ALTCALL_HOSTED
#include "runtime_note.h"

/* This runtime's feature state is here: so is its note. */
__attribute__((section(ALTCALL_RUNTIME_NOTE_SECTION), used, aligned(4)))
static const struct altcall_runtime_note runtime_note = {
	sizeof(ALTCALL_RUNTIME_NOTE_NAME), 0, ALTCALL_RUNTIME_NOTE_TYPE,
	ALTCALL_RUNTIME_NOTE_NAME
};
#endif

/* Applies run one at a time: the feature state, report and platform below
 * are global.  A spin flag, since the core has no OS (a kernel serialises
 * with its own mutex first; user space with its image lock). */
static int apply_busy;

static void altcall_apply_lock(void)
{
	while (__atomic_exchange_n(&apply_busy, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&apply_busy, __ATOMIC_RELAXED))
			altcall_cpu_relax();
}

static void altcall_apply_unlock(void)
{
	__atomic_store_n(&apply_busy, 0, __ATOMIC_RELEASE);
}

#define MAX_CPU_MASKS 32
/* Patches planned before a write: 32 keep the frame under 1 KiB, for a
 * kernel's -Wframe-larger-than, and still let a platform batch its writes. */
#define PATCH_BATCH 32

struct feature_state {
	u64 sw;				/* bit n: software feature n */
	u16 cpu_masked[MAX_CPU_MASKS];	/* CPU features switched off */
	u32 n_masked;
	u32 applied;			/* published: an apply published it */
};

/* The published state as <altcall.h>'s struct __altcall_state carries it:
 * words, so that a reader copies it with word loads. */
#define STATE_WORDS	(sizeof(struct feature_state) / sizeof(u32))
union state_words {
	struct feature_state s;
	u32 w[STATE_WORDS];
};
typedef char state_words_check[sizeof(struct __altcall_state) ==
			       sizeof(union state_words) ? 1 : -1];

static struct feature_state current_state;
/*
 * The published state, behind a sequence count (Linux's seqcount_t): odd
 * while the apply lock's holder rewrites it; a reader copies every word
 * and retries if the count moved, so a copy is one state, never a mix of
 * two.  A site without the plugin takes one copy per execution.
 */
static union state_words published;
static u32 published_seq;
static struct altcall_report report;
/* This apply refused a site for a reason of the apply, not of the site. */
static bool held_back;
/* Valid only during an apply: a kernel may free its platform with init memory. */
static const struct altcall_platform *platform;
/* The platform's cpu_has outlives the apply: the fallback for sites built
 * without the plugin asks it at any time (docs/runtime.md). */
static bool (*platform_cpu_has)(unsigned feature);
/* So does its canonical_target: altcall_site_target() asks it. */
static const void *(*platform_canonical_target)(const void *site,
						const void *target);
/* altcall_seal() was called: applies refuse every change (late images excepted). */
static bool sealed;
/* Applies so far, of every kind, and the one under way: its number and
 * kind (ALTCALL_APPLY_*) go into each report it writes. */
static unsigned long applies;
static int apply_kind;
/* This apply plans pointer sites only (an image said its pointers are final). */
static bool pointers_only;
/* The image under apply's own report, if its caller keeps one. */
static struct altcall_report *image_report;
/* This apply refuses changed sites as sealed. */
static bool sealing;
/* The platform's can_write verdict, asked once per apply before its first write. */
static bool write_asked;
static int write_error;

/*
 * The "no call" target: a site whose chosen target is "no call" may call or
 * jump here for good.  A platform whose core is in init memory (Xen's
 * boot-only build) defines it itself, resident, and builds the core with
 * ALTCALL_PLATFORM_NOP.  The reserved spellings: a kernel defines noinline
 * and used as macros.
 */
#ifndef ALTCALL_PLATFORM_NOP
ALTCALL_INDIRECT void __attribute__((__noinline__, __used__)) __altcall_nop(void)
{
	/* An empty asm keeps GCC from treating calls here as removable. */
	__asm__ volatile("");
}
#endif

static bool cpu_has(unsigned f)
{
	return platform_cpu_has ? platform_cpu_has(f) : altcall_arch_cpu_has(f);
}

/* Every entry point checks feature words with the architecture's rule. */
ALTCALL_INDIRECT static bool feature_valid(unsigned f)
{
	return altcall_arch_feature_valid(f);
}

static int mask_index(const struct feature_state *s, unsigned f)
{
	for (unsigned i = 0; i < s->n_masked; i++)
		if (s->cpu_masked[i] == f)
			return (int)i;
	return -1;
}

static bool state_enabled(const struct feature_state *s, unsigned f)
{
	if (!feature_valid(f))
		return false;
	if (!ALTCALL_FEATURE_IS_CPU(f))
		return (s->sw >> f) & 1;
	return mask_index(s, f) < 0 && cpu_has(f);
}

bool altcall_feature_enabled(unsigned f)
{
	return state_enabled(&current_state, f);
}

/* Under the apply lock: the only writer. */
static void publish(const struct feature_state *s)
{
	union state_words next = { .s = *s };
	u32 seq = published_seq;

	next.s.applied = 1;
	__atomic_store_n(&published_seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (unsigned i = 0; i < STATE_WORDS; i++)
		__atomic_store_n(&published.w[i], next.w[i], __ATOMIC_RELAXED);
	__atomic_store_n(&published_seq, seq + 2, __ATOMIC_RELEASE);
}

static void read_published(union state_words *out)
{
	u32 seq;

	for (;;) {
		seq = __atomic_load_n(&published_seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		for (unsigned i = 0; i < STATE_WORDS; i++)
			out->w[i] = __atomic_load_n(&published.w[i], __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&published_seq, __ATOMIC_RELAXED) == seq)
			return;
	}
}

unsigned int __altcall_state_seq(void)
{
	u32 seq;

	while ((seq = __atomic_load_n(&published_seq, __ATOMIC_ACQUIRE)) & 1)
		;
	return seq;
}

struct __altcall_state __altcall_applied_state(void)
{
	union state_words now;
	struct __altcall_state out;

	read_published(&now);
	for (unsigned i = 0; i < STATE_WORDS; i++)
		out.__word[i] = now.w[i];
	return out;
}

bool __altcall_state_has(const struct __altcall_state *st, unsigned f)
{
	union state_words s;

	if (!st) {
		read_published(&s);
	} else {
		for (unsigned i = 0; i < STATE_WORDS; i++)
			s.w[i] = st->__word[i];
	}
	return s.s.applied && state_enabled(&s.s, f);
}

bool __altcall_applied_feature(unsigned f)
{
	return __altcall_state_has(0, f);
}

bool altcall_set_feature(unsigned f, bool on)
{
	struct feature_state *s = &current_state;
	int i;

	if (!feature_valid(f))
		return false;
	if (!ALTCALL_FEATURE_IS_CPU(f)) {
		s->sw = on ? s->sw | (1ull << f) : s->sw & ~(1ull << f);
		return true;
	}
	i = mask_index(s, f);
	if (on) {
		if (!cpu_has(f))
			return false;	/* never claim hardware that is not there */
		if (i >= 0)
			s->cpu_masked[i] = s->cpu_masked[--s->n_masked];
		return true;
	}
	if (i < 0) {
		if (s->n_masked == MAX_CPU_MASKS)
			return false;
		s->cpu_masked[s->n_masked++] = (u16)f;
	}
	return true;
}

/*
 * struct altcall_report grew (unset, apply, kind): a program built against
 * the older header calls altcall_get_report() with room for the first five
 * fields only, and gets those; <altcall.h> now maps the name to
 * __altcall_get_report() with the caller's size.
 */
#define REPORT_V0_SIZE	((unsigned long)__builtin_offsetof(struct altcall_report, unset))

static void copy_report(struct altcall_report *out, unsigned long size)
{
	const unsigned char *from = (const unsigned char *)&report;
	unsigned char *to = (unsigned char *)out;

	if (size > sizeof(report))
		size = sizeof(report);
	for (unsigned long i = 0; i < size; i++)
		to[i] = from[i];
}

void __altcall_get_report(struct altcall_report *out, unsigned long size)
{
	copy_report(out, size);
}

void (altcall_get_report)(struct altcall_report *out)
{
	copy_report(out, REPORT_V0_SIZE);
}

/*
 * Refusals that hold back the apply as a whole: the sites it would have
 * changed all keep their code (sealed, not writable live, a second
 * runtime, no memory for the records' index, a text write that failed),
 * so the published state stays too.  The others are a record's own fault
 * (its bytes, its target's reach, its pointer, its table, a folded site),
 * which sites built without the plugin cannot have.
 */
static bool refusal_holds_back(int err)
{
	return err == ALTCALL_ESEALED || err == ALTCALL_ELIVE ||
	       err == ALTCALL_ERUNTIME || err == ALTCALL_ENOMEM ||
	       err == ALTCALL_ETEXTWRITE;
}

static void count_refusal(struct altcall_report *r, const void *site, int err)
{
	if (!r->refused++) {
		r->first_error = err;
		r->first_refused_site = site;
	}
}

static void refuse(const void *site, int err)
{
	if (refusal_holds_back(err))
		held_back = true;
	if (platform && platform->refused)
		platform->refused(site, err);
	count_refusal(&report, site, err);
	if (image_report)
		count_refusal(image_report, site, err);
}

static void resolve(const struct altcall_site *rec, struct altcall_site_resolved *r)
{
	altcall_record_resolve((const u8 *)rec, (uptr)rec, r);
}

static uptr site_of(const struct altcall_site *rec)
{
	return (uptr)altcall_record_target((const u8 *)rec, (uptr)rec, ALTCALL_RECORD_SITE);
}

/*
 * The host's codec as the planner sees it on a platform with call thunks
 * (canonical_target, call_dest): a call decodes to the function it enters
 * and encodes to where the platform says a call to it goes.  Jumps, NOPs
 * and platforms without the hooks are the host's codec unchanged; the live
 * protocol (poke.c) decodes the bytes as written.
 */
ALTCALL_INDIRECT static void thunk_decode(const u8 *bytes, altcall_addr pc, struct altcall_insn *insn)
{
	altcall_arch_codec->decode(bytes, pc, insn);
	if (insn->kind == ALTCALL_INSN_CALL && platform_canonical_target)
		insn->target = (uptr)platform_canonical_target(
			(const void *)(uptr)pc, (const void *)(uptr)insn->target);
}

ALTCALL_INDIRECT static bool thunk_encode(altcall_addr pc, const struct altcall_insn *insn, u8 *out)
{
	struct altcall_insn dest = *insn;

	if (dest.kind == ALTCALL_INSN_CALL && platform->call_dest)
		dest.target = (uptr)platform->call_dest((const void *)(uptr)pc,
							(const void *)(uptr)dest.target);
	return altcall_arch_codec->encode(pc, &dest, out);
}

/* insn_size is the host codec's, set before use (apply_image). */
static struct altcall_codec thunk_codec = { 0, thunk_decode, thunk_encode };

bool altcall_site_target(const struct altcall_site *rec, const void **site,
			 const void **target)
{
	struct altcall_insn now;
	uptr at = site_of(rec);

	if (!at)
		return false;
	*site = (const void *)at;
	thunk_decode((const u8 *)at, at, &now);
	*target = (const void *)(uptr)now.target;
	return now.kind != ALTCALL_INSN_OTHER;
}

/* ---- the planner's view of this apply ---------------------------------- */

ALTCALL_INDIRECT static bool core_read_text(void *ctx, altcall_addr addr, u8 *buf, unsigned len)
{
	const u8 *text = (const u8 *)(uptr)addr;

	(void)ctx;
	if (!platform->is_text(text, len))
		return false;
	for (unsigned i = 0; i < len; i++)
		buf[i] = text[i];
	return true;
}

ALTCALL_INDIRECT static int core_read_pointer(void *ctx, altcall_addr slot, altcall_addr *value)
{
	(void)ctx;
	if (platform->is_readable &&
	    !platform->is_readable((const void *)(uptr)slot, sizeof(uptr)))
		return ALTCALL_ERECORD;
	*value = *(const uptr *)(uptr)slot;
	if (!*value && platform->null_pointer_target)
		*value = (uptr)platform->null_pointer_target((const void *)(uptr)slot);
	return 0;
}

/* An arm table: data of the image, read only where the platform allows
 * (no is_readable: the records are trusted, as for pointers). */
ALTCALL_INDIRECT static bool core_read_data(void *ctx, altcall_addr addr, u8 *buf, unsigned len)
{
	const u8 *data = (const u8 *)(uptr)addr;

	(void)ctx;
	if (platform->is_readable && !platform->is_readable(data, len))
		return false;
	for (unsigned i = 0; i < len; i++)
		buf[i] = data[i];
	return true;
}

ALTCALL_INDIRECT static bool core_feature_enabled(void *ctx, unsigned f)
{
	(void)ctx;
	return state_enabled(&current_state, f);
}

/* The planner's world during an apply; apply_image sets the host's codec
 * and the "no call" target of the image being applied (its own
 * __altcall_nop). */
static struct altcall_plan_env plan_env = {
	.read_text = core_read_text,
	.read_pointer = core_read_pointer,
	.read_data = core_read_data,
	.feature_valid = feature_valid,
	.feature_enabled = core_feature_enabled,
};

/* Decide the new instruction for one record; 0 or a positive ALTCALL_E*. */
static int plan_site(const struct altcall_site *rec, struct altcall_patch *p)
{
	struct altcall_site_resolved r;

	resolve(rec, &r);
	p->addr = (void *)(uptr)r.site;
	p->len = (unsigned char)plan_env.codec->insn_size;
	/* The core never asks what it cannot know: no ALTCALL_PLAN_UNKNOWN. */
	return altcall_plan_site(&plan_env, &r, p->bytes);
}

/*
 * Records of one site must agree.  Linker identical-code folding (gold or
 * lld --icf=all) can merge two functions whose sites differ only in their
 * feature: one call instruction, two records that disagree.  Patching it
 * for either record would run the wrong arm in the other function.  With
 * the platform's scratch memory the core indexes every record by site
 * address (a heap sort: no recursion, no allocation of its own) and
 * refuses every record of a site whose records disagree, or whose
 * instruction overlaps another site's.
 */
struct site_ref {
	uptr site;
	const struct altcall_site *rec;
};

static void sift_down(struct site_ref *a, unsigned long root, unsigned long n)
{
	for (;;) {
		unsigned long child = 2 * root + 1;
		struct site_ref t;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1].site > a[child].site)
			child++;
		if (a[root].site >= a[child].site)
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void index_sites(struct site_ref *index, const struct altcall_site *start,
			unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		index[i].site = site_of(&start[i]);
		index[i].rec = &start[i];
	}
	for (unsigned long i = n / 2; i-- > 0;)
		sift_down(index, i, n);
	for (unsigned long end = n; end-- > 1;) {
		struct site_ref t = index[0];

		index[0] = index[end];
		index[end] = t;
		sift_down(index, 0, end);
	}
}

/*
 * Records in ascending site order, each site clear of the next (what a
 * plain link produces), cannot share or overlap a site: the index is only
 * needed when this one pass finds otherwise (folded code, a reordered
 * link).
 */
static bool sites_disjoint_ascending(const struct altcall_site *start,
				     unsigned long n)
{
	for (unsigned long i = 1; i < n; i++) {
		uptr prev = site_of(&start[i - 1]), site = site_of(&start[i]);

		if (site <= prev || altcall_sites_overlap(altcall_arch_codec, prev, site))
			return false;
	}
	return true;
}

static bool same_choice(const struct altcall_site *a, const struct altcall_site *b)
{
	struct altcall_site_resolved ra, rb;

	resolve(a, &ra);
	resolve(b, &rb);
	return altcall_records_agree(&plan_env, &ra, &rb);
}

/* 0, or why every record of rec's site is refused. */
static int site_conflict(const struct site_ref *index, unsigned long n,
			 const struct altcall_site *rec)
{
	uptr site = site_of(rec);
	unsigned long lo = 0, hi = n, i;

	while (lo < hi) {			/* the first entry >= site */
		unsigned long mid = lo + (hi - lo) / 2;

		if (index[mid].site < site)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && index[i].site == site; i++)
		if (!same_choice(index[i].rec, rec))
			return ALTCALL_ECONFLICT;
	if ((lo && altcall_sites_overlap(altcall_arch_codec, index[lo - 1].site, site)) ||
	    (i < n && altcall_sites_overlap(altcall_arch_codec, site, index[i].site)))
		return ALTCALL_ERECORD;
	return 0;
}

static bool same_bytes(const struct altcall_patch *p)
{
	const u8 *now = (const u8 *)p->addr;

	for (unsigned i = 0; i < p->len; i++)
		if (now[i] != p->bytes[i])
			return false;
	return true;
}

static bool same_patch(const struct altcall_patch *a,
		       const struct altcall_patch *b)
{
	for (unsigned i = 0; i < a->len; i++)
		if (a->bytes[i] != b->bytes[i])
			return false;
	return a->len == b->len;
}

/* The platform's can_write verdict, asked once per apply: 0 or why no
 * write of this apply may be made. */
/* The live hooks come as a set: poke and sync_cores for write_live. */
static bool live_hooks_partial(void)
{
	bool live = platform->write_live;

	return live != !!platform->poke || live != !!platform->sync_cores;
}

static int writes_refused(void)
{
	if (!write_asked) {
		write_asked = true;
		write_error = live_hooks_partial() ? ALTCALL_ELIVE :
			      platform->can_write ? platform->can_write() : 0;
	}
	return write_error;
}

/* Write a sorted batch: the live protocol if the platform names it. */
static unsigned write_batch(const struct altcall_patch *batch, unsigned n)
{
	if (writes_refused())
		return 0;
	if (platform->write_live)
		return platform->write_live(batch, n, platform);
	return platform->write_text(batch, n);
}

static void flush(struct altcall_patch *batch, unsigned n)
{
	unsigned kept = 0, written;

	/* Insertion sort: records come nearly in address order already. */
	for (unsigned i = 1; i < n; i++) {
		struct altcall_patch p = batch[i];
		unsigned j = i;
		for (; j && (uptr)batch[j - 1].addr > (uptr)p.addr; j--)
			batch[j] = batch[j - 1];
		batch[j] = p;
	}
	/* A site recorded twice is written once; two records that disagree
	 * about it, or whose instructions overlap, are both refused. */
	for (unsigned i = 0; i < n; i++) {
		const struct altcall_patch *prev = kept ? &batch[kept - 1] : 0;
		if (prev && altcall_sites_overlap(altcall_arch_codec, (uptr)prev->addr,
						  (uptr)batch[i].addr)) {
			if (prev->len)
				refuse(prev->addr, ALTCALL_ERECORD);
			refuse(batch[i].addr, ALTCALL_ERECORD);
			batch[kept - 1].len = 0;
			continue;
		}
		if (prev && prev->addr == batch[i].addr) {
			if (!same_patch(&batch[kept - 1], &batch[i])) {
				if (batch[kept - 1].len)
					refuse(batch[i].addr, ALTCALL_ERECORD);
				refuse(batch[i].addr, ALTCALL_ERECORD);
				batch[kept - 1].len = 0;
			}
			continue;
		}
		batch[kept++] = batch[i];
	}
	n = 0;
	for (unsigned i = 0; i < kept; i++)
		if (batch[i].len)
			batch[n++] = batch[i];
	written = n ? write_batch(batch, n) : 0;
	report.patched += written;
	for (unsigned i = written; i < n; i++)
		refuse(batch[i].addr, write_error ? write_error : ALTCALL_ETEXTWRITE);
}

static void apply_image_records(const struct altcall_image *image);

/* Plan and write the records of one image; adds to the report, and to the
 * image's own report if it has one. */
static void apply_image(const struct altcall_image *image)
{
	struct altcall_report before = report;

	image_report = image->report;
	if (image_report)
		*image_report = (struct altcall_report){
			.apply = applies, .kind = apply_kind };
	apply_image_records(image);
	if (image_report) {
		image_report->sites = report.sites - before.sites;
		image_report->patched = report.patched - before.patched;
		image_report->unset = report.unset - before.unset;
	}
	image_report = 0;
}

static void apply_image_records(const struct altcall_image *image)
{
	struct altcall_patch batch[PATCH_BATCH];
	const struct altcall_site *start = image->start, *stop = image->stop;
	unsigned n = 0;
	unsigned long records = start && stop > start ? (unsigned long)(stop - start) : 0;
	unsigned long index_bytes = records * sizeof(struct site_ref);
	struct site_ref *index = 0;

	plan_env.codec = altcall_arch_codec;
	if (platform->canonical_target || platform->call_dest) {
		thunk_codec.insn_size = altcall_arch_codec->insn_size;
		plan_env.codec = &thunk_codec;
	}
	plan_env.nop = (uptr)image->nop;
	if (platform->scratch && records > 1 &&
	    !sites_disjoint_ascending(start, records)) {
		index = platform->scratch(index_bytes);
		if (!index) {
			/* Unchecked records could patch a folded site: none. */
			for (const struct altcall_site *rec = start; rec < stop; rec++) {
				if (pointers_only && !altcall_feature_is_pointer_site(
					    altcall_record_feature((const u8 *)rec)))
					continue;
				report.sites++;
				refuse((const void *)site_of(rec), ALTCALL_ENOMEM);
			}
			return;
		}
		index_sites(index, start, records);
	}

	for (const struct altcall_site *rec = start; records && rec < stop; rec++) {
		bool pointer = altcall_feature_is_pointer_site(
			altcall_record_feature((const u8 *)rec));
		int err;

		/* An image's pointers are final: its pointer sites, nothing else. */
		if (pointers_only && !pointer)
			continue;
		err = plan_site(rec, &batch[n]);
		if (!err && index)
			err = site_conflict(index, records, rec);
		report.sites++;
		if (err == ALTCALL_ENULLPTR && platform->pointer_unset &&
		    platform->pointer_unset((const void *)(uptr)altcall_record_target(
			    (const u8 *)rec, (uptr)rec, ALTCALL_RECORD_ALT))) {
			/* Not set yet: its trampoline follows the pointer;
			 * an apply after it is set patches the site. */
			report.unset++;
			continue;
		}
		if (err) {
			refuse((const void *)site_of(rec), err);
			continue;
		}
		if (same_bytes(&batch[n]))
			continue;
		if (sealing && pointer) {
			/*
			 * Sealed while its pointer was not final (a pointer
			 * site changes only from its trampoline to the
			 * pointer's value, once): it waits for its image to
			 * say its pointers are final, then is sealed like
			 * the rest (docs/runtime.md, "Sealed sites").
			 */
			report.unset++;
			continue;
		}
		if (sealing) {
			refuse((const void *)site_of(rec), ALTCALL_ESEALED);
			continue;
		}
		if (++n == PATCH_BATCH) {
			flush(batch, n);
			n = 0;
		}
	}
	flush(batch, n);
	if (index && platform->scratch_free)
		platform->scratch_free(index, index_bytes);
}

/* Does every feature read the same in a and b? */
static bool same_state(const struct feature_state *a, const struct feature_state *b)
{
	if (a->sw != b->sw)
		return false;
	for (unsigned i = 0; i < a->n_masked; i++)
		if (state_enabled(a, a->cpu_masked[i]) != state_enabled(b, a->cpu_masked[i]))
			return false;
	for (unsigned i = 0; i < b->n_masked; i++)
		if (state_enabled(a, b->cpu_masked[i]) != state_enabled(b, b->cpu_masked[i]))
			return false;
	return true;
}

/* Would publishing the current state change what sites built without the
 * plugin choose?  Before the first publish every feature reads absent. */
static bool state_changes(void)
{
	return !published.s.applied || !same_state(&current_state, &published.s);
}

static int apply_images(const struct altcall_image *images, unsigned n_images,
			const struct altcall_platform *plat, bool publishes)
{
	platform = plat;
	platform_cpu_has = plat->cpu_has;
	platform_canonical_target = plat->canonical_target;
	write_asked = false;
	write_error = 0;
	for (unsigned i = 0; i < n_images; i++)
		apply_image(&images[i]);
	/*
	 * A new state is a change of the sites built without the plugin,
	 * here or in another image, even when no record needs a write: the
	 * seal and the platform's can_write hold it back as they hold back
	 * a site (site NULL in the report), so that both builds choose alike.
	 */
	if (publishes && !held_back && state_changes()) {
		if (sealed)
			refuse(0, ALTCALL_ESEALED);
		else if (writes_refused())
			refuse(0, write_error);
	}
	if (platform->finish && !platform->finish())
		refuse(0, ALTCALL_ETEXTWRITE);	/* text may still be writable */
	platform = 0;
	return report.refused ? -report.first_error : (int)report.patched;
}

int altcall_apply_images(const struct altcall_image *images, unsigned n,
			 const struct altcall_platform *plat)
{
	int ret;

	altcall_apply_lock();
	apply_kind = ALTCALL_APPLY_ALL;
	report = (struct altcall_report){ .apply = ++applies, .kind = apply_kind };
	held_back = false;
	sealing = sealed;
	ret = apply_images(images, n, plat, true);
	sealing = false;
	if (!held_back && state_changes())
		publish(&current_state);
	altcall_apply_unlock();
	return ret;
}

int altcall_apply_sites(const struct altcall_site *start,
			const struct altcall_site *stop,
			const struct altcall_platform *plat)
{
	const struct altcall_image image = { start, stop, (const void *)&__altcall_nop, 0 };

	return altcall_apply_images(&image, 1, plat);
}

/* Nothing is planned, nothing published. */
int altcall_refuse_all(unsigned sites, int err)
{
	altcall_apply_lock();
	report = (struct altcall_report){ .sites = sites, .refused = sites,
					  .first_error = err, .apply = ++applies,
					  .kind = ALTCALL_APPLY_ALL };
	altcall_apply_unlock();
	return -err;
}

int altcall_apply_late_image(const struct altcall_image *image,
			     const struct altcall_platform *plat)
{
	struct feature_state now;
	int ret;

	altcall_apply_lock();
	if (!published.s.applied) {
		altcall_apply_unlock();
		return 0;
	}
	/* The published state (what the other images' sites chose, sealed
	 * or not), not changes made since; the report counts this image's
	 * sites with that apply's.  Never sealing: the image is patched
	 * once, to what the sealed sites chose; it publishes nothing. */
	now = current_state;
	current_state = published.s;
	/* Its own apply number and kind for the image's report; the
	 * process's report counts its sites with the last apply's. */
	applies++;
	apply_kind = ALTCALL_APPLY_LOAD;
	ret = apply_images(image, 1, plat, false);
	current_state = now;
	altcall_apply_unlock();
	return ret;
}

/*
 * An image says its pointers are final: its pointer sites still on their
 * trampoline become direct calls to their pointers' values, sealed or not
 * (a pointer site is written once, from its trampoline to that value;
 * docs/runtime.md, "Sealed sites"), before or after the first apply.  No
 * other site is planned and nothing is published: pointer sites depend on
 * no feature.  The process's report (the last altcall_apply()) is left as
 * it is; the image's own report and the return value tell the result.
 */
int altcall_apply_image_pointers(const struct altcall_image *image,
				 const struct altcall_platform *plat)
{
	struct altcall_report saved;
	int ret;

	altcall_apply_lock();
	saved = report;
	apply_kind = ALTCALL_APPLY_POINTERS;
	report = (struct altcall_report){ .apply = ++applies, .kind = apply_kind };
	held_back = false;
	pointers_only = true;
	ret = apply_images(image, 1, plat, false);
	pointers_only = false;
	report = saved;
	altcall_apply_unlock();
	return ret;
}

/* From now on the published state is final: sites built without the
 * plugin, and images loaded later, keep what the sites chose. */
void altcall_seal(void)
{
	altcall_apply_lock();
	sealed = true;
	altcall_apply_unlock();
}
