// SPDX-License-Identifier: MIT
/*
 * altcall-sites, site decoding: see sites.h.
 *
 * What is read and how, per record (layout: altcall/abi.h):
 *   - linked file: the fields with the abi.h accessors, at the record's
 *     virtual address; the instruction with the machine's codec at the
 *     site's virtual address (so an arm64 site at an address that is not a
 *     multiple of 4 is no instruction, as the runtime sees it);
 *   - object: a field is 0 with a RELA relocation on it, and a branch has
 *     its target in a relocation too; a field without one was resolved by
 *     the assembler, within the section.
 *   - an arm table (ALTCALL_FEATURE_ARMS record): the bytes at the alt
 *     field's place, decoded with the abi.h arm accessors; in an object
 *     each arm's target through its relocation, as a record field's.
 * What apply would do is the runtime's planner's answer (runtime/plan.c),
 * asked with this file as its world: text is what a PF_X load segment
 * holds, a function pointer and an arm table are readable in a PF_R one,
 * the no-call target is the file's __altcall_nop, and the features are
 * those of --features.  In an object the planner checks arm tables too,
 * reading them from the object's sections (object_read_data()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sites.h"
#include "util.h"

/* Relocation numbers, in case <elf.h> is older than we are. */
#ifndef R_X86_64_PLT32
#define R_X86_64_PLT32		4
#endif
#ifndef R_AARCH64_PREL32
#define R_AARCH64_PREL32	261
#endif
#ifndef R_AARCH64_JUMP26
#define R_AARCH64_JUMP26	282
#endif
#ifndef R_AARCH64_CALL26
#define R_AARCH64_CALL26	283
#endif

/* ---- feature names ----------------------------------------------------- */

struct feature_name {
	const char *name;
	unsigned word;
};

static const struct feature_name x86_features[] = {
#define ALTCALL_X86_FEATURE(name, leaf, subleaf, reg, bit) \
	{ #name, ALTCALL_X86_FEATURE_WORD(leaf, subleaf, ALTCALL_X86_##reg, bit) },
#include <altcall/features-x86_64.def>
#undef ALTCALL_X86_FEATURE
};

static const struct feature_name a64_features[] = {
#define ALTCALL_A64_FEATURE(name, word, bit) { #name, ALTCALL_A64_FEATURE_WORD(word, bit) },
#include <altcall/features-aarch64.def>
#undef ALTCALL_A64_FEATURE
};

/* ---- machines ---------------------------------------------------------- */

static _Bool x86_64_feature_valid(unsigned f)
{
	return altcall_x86_64_feature_valid(f);
}

static _Bool aarch64_feature_valid(unsigned f)
{
	return altcall_aarch64_feature_valid(f);
}

/* What differs between the two machines, besides the codec. */
struct machine {
	unsigned em;
	const struct altcall_codec *codec;
	_Bool (*feature_valid)(unsigned f);
	const char *call, *jmp;			/* mnemonics */
	/* Objects: the branch's relocation is at site + branch_reloc_at and
	 * its target is symbol + addend + branch_reloc_bias. */
	unsigned branch_reloc_at;
	int64_t branch_reloc_bias;
	unsigned branch_relocs[2];		/* the types expected there */
	unsigned field_relocs[2];		/* and on a record field */
	const struct feature_name *features;
	size_t n_features;
};

static const struct machine machines[] = {
	/* rel32 at site + 1 is S + A - P with P = site + 1, and the branch
	 * counts from site + 5. */
	{ EM_X86_64, &altcall_x86_64_codec, x86_64_feature_valid, "call", "jmp",
	  1, 4, { R_X86_64_PLT32, R_X86_64_PC32 }, { R_X86_64_PC32, R_X86_64_PLT32 },
	  x86_features, sizeof(x86_features) / sizeof(x86_features[0]) },
	/* CALL26/JUMP26 are S + A - P with P = the branch itself. */
	{ EM_AARCH64, &altcall_aarch64_codec, aarch64_feature_valid, "bl", "b",
	  0, 0, { R_AARCH64_CALL26, R_AARCH64_JUMP26 }, { R_AARCH64_PREL32, R_AARCH64_PREL32 },
	  a64_features, sizeof(a64_features) / sizeof(a64_features[0]) },
};

static const struct machine *machine_of(unsigned em)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].em == em)
			return &machines[i];
	return NULL;
}

static bool one_of(unsigned type, const unsigned types[2])
{
	return type == types[0] || type == types[1];
}

static const char *feature_name(const struct machine *m, unsigned word)
{
	for (size_t i = 0; i < m->n_features; i++)
		if (m->features[i].word == word)
			return m->features[i].name;
	return NULL;
}

/* Returns the feature word of cpu:NAME on machine m, or -1. */
static long feature_by_name(const struct machine *m, const char *name)
{
	for (size_t i = 0; i < m->n_features; i++)
		if (!strcasecmp(m->features[i].name, name))
			return m->features[i].word;
	return -1;
}

/* ---- decoding ---------------------------------------------------------- */

static char *hex_bytes(const unsigned char *b, size_t n)
{
	char *s = xmalloc(n * 3 + 1);

	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		sprintf(s + strlen(s), i ? " %02x" : "%02x", b[i]);
	return s;
}

/* What is at a site that holds no altcall instruction: x86 bytes, an
 * arm64 word (nothing when the file has fewer bytes there). */
static char *bad_insn(const struct machine *m, const unsigned char *b, size_t n)
{
	char *hex, *s;

	if (m->em == EM_AARCH64)
		return n < ALTCALL_AARCH64_INSN_SIZE ? xstrdup("bad[]") :
		       xasprintf("bad[%08x]", (unsigned)altcall_record_rel(b, 0));
	hex = hex_bytes(b, n);
	s = xasprintf("bad[%s]", hex);
	free(hex);
	return s;
}

static void decode_insn(struct elf_file *f, const struct machine *m, struct loc site,
			struct site *t)
{
	unsigned size = m->codec->insn_size;
	unsigned char b[ALTCALL_INSN_MAX];
	size_t n = read_bytes(f, site, b, size);
	struct altcall_insn insn = { ALTCALL_INSN_OTHER, 0 };
	const struct rela *r;

	/* In an object, site.value is the section offset: sections of code
	 * are aligned past 4, so it is as aligned as the final address. */
	if (n == size)
		m->codec->decode(b, site.value, &insn);
	if (insn.kind == ALTCALL_INSN_NOP || insn.kind == ALTCALL_INSN_OTHER) {
		t->insn = insn.kind == ALTCALL_INSN_NOP ? xstrdup("nop") : bad_insn(m, b, n);
		t->target = xstrdup("-");
		return;
	}
	t->insn = xstrdup(insn.kind == ALTCALL_INSN_CALL ? m->call : m->jmp);

	r = site.kind == LOC_SECT ? find_rela(f, site.shndx, site.value + m->branch_reloc_at)
				  : NULL;
	if (r) {
		if (!one_of(r->type, m->branch_relocs))
			fprintf(stderr, PROG ": %s: warning: relocation type %u on the branch at %s\n",
				f->path, r->type, t->site);
		t->target = symbolize(f, sym_loc(f, r->sym, r->addend + m->branch_reloc_bias));
		return;
	}
	t->target = symbolize(f, loc_moved(f, site, insn.target));
}

static char *format_feature(const struct machine *m, unsigned word)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	const char *name;

	switch (ALTCALL_FEATURE_CLASS(word)) {
	case ALTCALL_FCLASS_SW:
		return xasprintf("sw:%u", ALTCALL_SW_INDEX(word));
	case ALTCALL_FCLASS_POINTER:
		if (altcall_feature_is_pointer_site(word))
			return xasprintf("pointer");
		return altcall_feature_is_arms_site(word) ? xasprintf("arms")
							  : xasprintf("bad:0x%04x", word);
	}
	name = feature_name(m, word);
	if (name)
		return xasprintf("cpu:%s", name);
	if (m->em == EM_X86_64)
		return xasprintf("cpu:x86(0x%lx,%u,%s,%u)", altcall_x86_feature_leaf(word),
				 ALTCALL_X86_FEATURE_SUBLEAF(word),
				 regs[ALTCALL_X86_FEATURE_REG(word)], ALTCALL_X86_FEATURE_BIT(word));
	/* AArch64: anything beyond word and bit is not an encoding we know. */
	if (!altcall_aarch64_cpu_feature_valid(word))
		return xasprintf("cpu:0x%04x", word);
	return xasprintf("cpu:%s(%u)", ALTCALL_A64_FEATURE_AUXV(word) ? "hwcap2" : "hwcap",
			 ALTCALL_A64_FEATURE_BIT(word));
}

/* The PC-relative field whose bytes are at bytes, at offset off of
 * section secndx (header sh): where it points, or LOC_NONE for "no call"
 * if zero_is_none. */
static struct loc pcrel_loc(struct elf_file *f, const struct machine *m, size_t secndx,
			    const GElf_Shdr *sh, const unsigned char *bytes, size_t off,
			    bool zero_is_none)
{
	int32_t v = altcall_record_rel(bytes, 0);
	const struct rela *r;

	if (f->rel) {
		r = find_rela(f, secndx, off);
		if (r) {
			if (!one_of(r->type, m->field_relocs))
				fprintf(stderr, PROG ": %s: warning: relocation type %u at %s+0x%zx\n",
					f->path, r->type, section_name(f, secndx), off);
			return sym_loc(f, r->sym, r->addend);
		}
		if (v == ALTCALL_NO_CALL && zero_is_none)
			return (struct loc){ .kind = LOC_NONE };
		/* Resolved by the assembler: relative to this section. */
		return (struct loc){ .kind = LOC_SECT, .shndx = secndx,
				     .value = altcall_field_points_to(off, v) };
	}
	if (v == ALTCALL_NO_CALL && zero_is_none)
		return (struct loc){ .kind = LOC_NONE };
	return addr_loc(f, altcall_field_points_to(sh->sh_addr + off, v));
}

/* The record field at offset field of the record at offset off of the
 * section: where it points, or LOC_NONE for "no call". */
static struct loc field_loc(struct elf_file *f, const struct machine *m, size_t secndx,
			    const GElf_Shdr *sh, const unsigned char *rec, size_t off,
			    unsigned field, bool zero_is_none)
{
	return pcrel_loc(f, m, secndx, sh, rec + field, off + field, zero_is_none);
}

/*
 * Objects: an ARMS record's table for the planner, as a place in the
 * object (section index above bit 40, offset below); the planner's reads
 * come back to object_read_data().  Linked files use virtual addresses.
 */
#define OBJECT_SHNDX_SHIFT	40

static altcall_addr object_addr(size_t shndx, GElf_Addr off)
{
	return (altcall_addr)shndx << OBJECT_SHNDX_SHIFT | off;
}

static char *join_features(const struct machine *m, const unsigned *words, unsigned k)
{
	char *s = format_feature(m, words[0]);

	for (unsigned i = 1; i < k; i++) {
		char *w = format_feature(m, words[i]), *t = xasprintf("%s+%s", s, w);

		free(w);
		free(s);
		s = t;
	}
	return s;
}

/*
 * An ARMS record's table, at table (its alt field), decoded for the
 * output with the abi.h accessors: each arm's target (through its
 * relocation, in an object) and features.  What the planner checks is
 * flagged here too, so that the output says where the table is bad:
 * arms_error is "unreadable", "n=N", "armI:truncated" or "armI:k=K".
 */
static void decode_arms(struct elf_file *f, const struct machine *m, struct loc table,
			struct site *t)
{
	unsigned char b[ALTCALL_ARMS_MAX_SIZE];
	size_t have = 0, off;
	GElf_Addr base;
	GElf_Shdr sh;
	unsigned n;

	if (table.kind == LOC_SECT && section_header(f, table.shndx, &sh))
		have = read_bytes(f, table, b, sizeof(b));
	if (!have) {
		t->arms_error = xstrdup("unreadable");
		return;
	}
	base = f->rel ? 0 : sh.sh_addr;
	n = altcall_arms_count(b);
	if (!altcall_arms_count_valid(n)) {
		t->arms_error = xasprintf("n=%u", n);
		return;
	}
	t->arms = xmalloc(n * sizeof(*t->arms));
	off = ALTCALL_ARMS_FIRST;
	for (unsigned i = 0; i < n; i++) {
		struct site_arm *a = &t->arms[i];
		unsigned k;

		if (off + ALTCALL_ARM_FEATURES > have) {
			t->arms_error = xasprintf("arm%u:truncated", i + 1);
			return;
		}
		k = altcall_arm_nfeatures(b + off);
		if (!altcall_arm_nfeatures_valid(k)) {
			t->arms_error = xasprintf("arm%u:k=%u", i + 1, k);
			return;
		}
		if (off + ALTCALL_ARM_SIZE(k) > have) {
			t->arms_error = xasprintf("arm%u:truncated", i + 1);
			return;
		}
		struct loc target = pcrel_loc(f, m, table.shndx, &sh, b + off + ALTCALL_ARM_TARGET,
					      table.value - base + off + ALTCALL_ARM_TARGET, true);
		a->none = target.kind == LOC_NONE;
		a->target = symbolize(f, target);
		a->k = k;
		for (unsigned j = 0; j < k; j++)
			a->feature[j] = altcall_arm_feature(b + off, j);
		a->cond = join_features(m, a->feature, k);
		t->n_arms++;
		off += ALTCALL_ARM_SIZE(k);
	}
}

unsigned site_choice(const struct site *t, unsigned machine,
		     const struct feature_set *enabled)
{
	for (unsigned i = 0; i < t->n_arms; i++) {
		bool all = true;

		for (unsigned j = 0; all && j < t->arms[i].k; j++)
			all = feature_set_has(enabled, machine, t->arms[i].feature[j]);
		if (all)
			return i + 1;
	}
	return 0;
}

/*
 * alternative_call site: dflt is its trampoline (a local label, so no name
 * of its own) and alt is the function pointer, printed as "*pointer".
 */
static void name_pointer_site(struct site *t)
{
	char *pointee = xasprintf("*%s", t->alt);

	if (!strcmp(t->target, t->dflt)) {
		free(t->target);
		t->target = xasprintf("trampoline");
	}
	free(t->dflt);
	t->dflt = xasprintf("trampoline");
	free(t->alt);
	t->alt = pointee;
}

static void decode_record(struct elf_file *f, const struct machine *m, size_t secndx,
			  const GElf_Shdr *sh, const unsigned char *data, size_t off,
			  struct site *t)
{
	const unsigned char *rec = data + off;
	struct loc site = field_loc(f, m, secndx, sh, rec, off, ALTCALL_RECORD_SITE, false);
	struct loc dflt = field_loc(f, m, secndx, sh, rec, off, ALTCALL_RECORD_DFLT, true);
	struct loc alt = field_loc(f, m, secndx, sh, rec, off, ALTCALL_RECORD_ALT, true);

	t->site = symbolize(f, site);
	t->dflt = symbolize(f, dflt);
	t->alt = symbolize(f, alt);
	t->word = altcall_record_feature(rec);
	t->feature = format_feature(m, t->word);
	decode_insn(f, m, site, t);
	if (altcall_feature_is_pointer_site(t->word))
		name_pointer_site(t);
	if (altcall_feature_is_arms_site(t->word) && alt.kind != LOC_NONE)
		decode_arms(f, m, alt, t);

	if (!f->rel) {
		altcall_record_resolve(rec, sh->sh_addr + off, &t->rec);
		return;
	}
	/* Before the link only "no call" or not is known. */
	t->rec.site = find_rela(f, secndx, off + ALTCALL_RECORD_SITE) ||
		      altcall_record_rel(rec, ALTCALL_RECORD_SITE) != ALTCALL_NO_CALL;
	t->rec.dflt = dflt.kind != LOC_NONE;
	t->rec.alt = alt.kind != LOC_NONE;
	t->rec.feature = t->word;
	t->table_here = altcall_feature_is_arms_site(t->word) && alt.kind == LOC_SECT;
	if (t->table_here)
		t->rec.alt = object_addr(alt.shndx, alt.value);
}

/* ---- features enabled (--features) ------------------------------------- */

static bool parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && !*end && *out <= max;
}

static bool known_cpu_name(const char *name)
{
	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (feature_by_name(&machines[i], name) >= 0)
			return true;
	return false;
}

bool feature_set_parse(struct feature_set *p, char *list)
{
	char *save = NULL, *tok;
	unsigned long n;

	p->given = true;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
		p->v[p->n].name = NULL;
		if (!strncmp(tok, "sw:", 3)) {
			if (!parse_number(tok + 3, ALTCALL_SW_FEATURES - 1, &n))
				goto bad;
			p->v[p->n].word = (unsigned)n;
		} else if (!strncmp(tok, "cpu:", 4)) {
			if (!known_cpu_name(tok + 4))
				goto bad;
			p->v[p->n].name = tok + 4;
		} else if (parse_number(tok, ALTCALL_FEATURE_MAX, &n)) {
			p->v[p->n].word = (unsigned)n;
		} else {
			goto bad;
		}
		p->n++;
	}
	return true;
bad:
	fprintf(stderr, PROG ": --features: unknown feature '%s'\n", tok);
	return false;
}

bool feature_set_has(const struct feature_set *p, unsigned machine, unsigned word)
{
	const struct machine *m = machine_of(machine);

	for (size_t i = 0; p && i < p->n; i++) {
		long w = p->v[i].name ? feature_by_name(m, p->v[i].name) : (long)p->v[i].word;

		if (w == (long)word)
			return true;
	}
	return false;
}

void feature_set_free(struct feature_set *p)
{
	free(p->v);
}

/* ---- the planner's view of the file ----------------------------------- */

struct plan_ctx {
	struct elf_file *f;
	const struct feature_set *enabled;
};

static _Bool file_read_text(void *ctx, altcall_addr addr, unsigned char *buf, unsigned len)
{
	struct elf_file *f = ((struct plan_ctx *)ctx)->f;

	return in_segment(f, addr, len, PF_X) &&
	       read_bytes(f, addr_loc(f, addr), buf, len) == len;
}

/* The value a pointer has at apply is the running program's. */
static int file_read_pointer(void *ctx, altcall_addr slot, altcall_addr *value)
{
	struct elf_file *f = ((struct plan_ctx *)ctx)->f;

	(void)value;
	return in_segment(f, slot, ALTCALL_POINTER_SIZE, PF_R) ? ALTCALL_PLAN_UNKNOWN
								: ALTCALL_ERECORD;
}

/* Data (an arm table): what a PF_R segment holds. */
static _Bool file_read_data(void *ctx, altcall_addr addr, unsigned char *buf, unsigned len)
{
	struct elf_file *f = ((struct plan_ctx *)ctx)->f;

	return in_segment(f, addr, len, PF_R) &&
	       read_bytes(f, addr_loc(f, addr), buf, len) == len;
}

/*
 * Objects: the bytes at an object_addr(), with each relocated field read
 * as 1: before the link only whether an arm's target is "no call" is
 * known (a relocated field holds 0 in a RELA object), as for the record's
 * own fields.
 */
static _Bool object_read_data(void *ctx, altcall_addr addr, unsigned char *buf, unsigned len)
{
	struct elf_file *f = ((struct plan_ctx *)ctx)->f;
	size_t shndx = addr >> OBJECT_SHNDX_SHIFT;
	GElf_Addr off = addr & (((altcall_addr)1 << OBJECT_SHNDX_SHIFT) - 1);
	struct loc l = { .kind = LOC_SECT, .shndx = shndx, .value = off };

	if (!shndx || shndx >= f->shnum || read_bytes(f, l, buf, len) != len)
		return 0;
	for (unsigned i = 0; i + 4 <= len; i++)
		if (find_rela(f, shndx, off + i))
			memcpy(buf + i, "\1\0\0\0", 4);
	return 1;
}

static _Bool file_feature_enabled(void *ctx, unsigned feature)
{
	struct plan_ctx *c = ctx;

	return feature_set_has(c->enabled, c->f->machine, feature);
}

/* The planner's world: the file (see the head of this file). */
static struct altcall_plan_env file_env(struct elf_file *f, const struct machine *m,
				       struct plan_ctx *ctx, GElf_Addr nop)
{
	return (struct altcall_plan_env){
		.codec = m->codec,
		.nop = nop,
		.ctx = ctx,
		.read_text = file_read_text,
		.read_pointer = file_read_pointer,
		.read_data = f->rel ? object_read_data : file_read_data,
		.feature_valid = m->feature_valid,
		.feature_enabled = file_feature_enabled,
	};
}

/* ---- reading ----------------------------------------------------------- */

static bool is_sites_section(const struct elf_file *f, size_t i, GElf_Shdr *sh)
{
	return section_header(f, i, sh) && sh->sh_type != SHT_NOBITS &&
	       !strcmp(section_name(f, i), ALTCALL_SECTION);
}

/* Checked before reading anything, so a bad file prints no partial list.
 * An object may hold several such sections (one per COMDAT group). */
static int check_sections(const struct elf_file *f)
{
	GElf_Shdr sh;

	for (size_t i = 1; i < f->shnum; i++) {
		if (is_sites_section(f, i, &sh) && sh.sh_size % ALTCALL_RECORD_SIZE)
			return fail(f, "section %s (#%zu) is %llu bytes, not a multiple of %d",
				    ALTCALL_SECTION, i, (unsigned long long)sh.sh_size,
				    ALTCALL_RECORD_SIZE);
	}
	return 0;
}

static int read_section(struct elf_file *f, const struct machine *m, size_t i,
			const GElf_Shdr *sh, struct site_list *list)
{
	Elf_Data *d = elf_getdata(elf_getscn(f->elf, i), NULL);

	if (!d || d->d_size != sh->sh_size)
		return fail(f, "cannot read section %s: %s", ALTCALL_SECTION,
			    elf_errmsg(-1));
	for (size_t off = 0; off < d->d_size; off += ALTCALL_RECORD_SIZE) {
		struct site t = { 0 };

		decode_record(f, m, i, sh, d->d_buf, off, &t);
		list->v = xrealloc(list->v, (list->n + 1) * sizeof(*list->v));
		list->v[list->n++] = t;
	}
	return 0;
}

/*
 * The runtime's rules between records (plan.h), over the records of the
 * file, as the core applies them over those of an image: every record of a
 * site whose records disagree is refused (ALTCALL_ECONFLICT), and so is
 * one whose instruction overlaps another site's (ALTCALL_ERECORD).  A
 * linked file compares the resolved records, exactly as the core does; an
 * object, where there are no addresses yet, compares them as printed.
 */
static bool rel_file;

static int by_site(const void *pa, const void *pb)
{
	const struct site *a = *(struct site *const *)pa;
	const struct site *b = *(struct site *const *)pb;

	if (rel_file)
		return strcmp(a->site, b->site);
	return a->rec.site < b->rec.site ? -1 : a->rec.site > b->rec.site;
}

static bool same_arm(const struct site_arm *a, const struct site_arm *b)
{
	return !strcmp(a->target, b->target) && a->k == b->k &&
	       !memcmp(a->feature, b->feature, a->k * sizeof(a->feature[0]));
}

/* An object compares what it prints: ARMS records arm by arm. */
static bool agree(const struct altcall_plan_env *env, const struct site *a,
		  const struct site *b)
{
	if (!rel_file)
		return altcall_records_agree(env, &a->rec, &b->rec);
	if (strcmp(a->dflt, b->dflt) || a->word != b->word)
		return false;
	if (!altcall_feature_is_arms_site(a->word))
		return !strcmp(a->alt, b->alt);
	if (a->arms_error || b->arms_error || a->n_arms != b->n_arms)
		return false;
	for (unsigned i = 0; i < a->n_arms; i++)
		if (!same_arm(&a->arms[i], &b->arms[i]))
			return false;
	return true;
}

static void mark_conflicts(struct elf_file *f, const struct machine *m,
			   struct site_list *list)
{
	struct site **v = xmalloc((list->n + 1) * sizeof(*v));
	size_t i, j, k, prev = 0;
	struct plan_ctx ctx = { f, NULL };
	const struct altcall_plan_env env = file_env(f, m, &ctx, 0);

	rel_file = f->rel;
	for (i = 0; i < list->n; i++)
		v[i] = &list->v[i];
	qsort(v, list->n, sizeof(*v), by_site);
	for (i = 0; i < list->n; prev = i, i = j) {
		bool agreed = true;

		for (j = i + 1; j < list->n && !by_site(&v[j], &v[i]); j++)
			agreed &= agree(&env, v[i], v[j]);
		for (k = i; !agreed && k < j; k++)
			v[k]->conflict = true;
		if (rel_file || i == 0 ||
		    !altcall_sites_overlap(m->codec, v[prev]->rec.site, v[i]->rec.site))
			continue;
		for (k = prev; k < j; k++)
			v[k]->overlap = true;
	}
	free(v);
}

int sites_read(struct elf_file *f, struct site_list *list)
{
	const struct machine *m = machine_of(f->machine);
	GElf_Shdr sh;

	memset(list, 0, sizeof(*list));
	list->machine = f->machine;
	if (!m)
		return fail(f, "unsupported machine %u", f->machine);
	if (check_sections(f))
		return -1;
	for (size_t i = 1; i < f->shnum; i++)
		if (is_sites_section(f, i, &sh) && read_section(f, m, i, &sh, list))
			return -1;
	mark_conflicts(f, m, list);
	return 0;
}

void sites_free(struct site_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct site *t = &list->v[i];

		free(t->site);
		free(t->insn);
		free(t->target);
		free(t->dflt);
		free(t->alt);
		free(t->feature);
		for (unsigned j = 0; j < t->n_arms; j++) {
			free(t->arms[j].target);
			free(t->arms[j].cond);
		}
		free(t->arms);
		free(t->arms_error);
	}
	free(list->v);
}

/* ---- what apply would do ----------------------------------------------- */

static void verdict(struct site *t, enum apply_action action, int err, const char *why)
{
	t->apply = action;
	t->why = err ? altcall_strerror(err) : why;
}

/* Does the site have a "no call" target, default or alternative? */
static bool needs_nop(const struct site *t)
{
	if (altcall_feature_is_pointer_site(t->word))
		return false;
	if (!altcall_feature_is_arms_site(t->word))
		return !t->rec.dflt || !t->rec.alt;
	for (unsigned i = 0; i < t->n_arms; i++)
		if (t->arms[i].none)
			return true;
	return !t->rec.dflt;
}

static void plan_linked(struct elf_file *f, const struct altcall_plan_env *env,
			bool have_nop, struct site *t)
{
	unsigned size = env->codec->insn_size;
	unsigned char now[ALTCALL_INSN_MAX], next[ALTCALL_INSN_MAX];
	int err = altcall_plan_check_record(env, &t->rec);

	if (!err && !have_nop && needs_nop(t)) {
		verdict(t, APPLY_UNKNOWN, 0,
			"no __altcall_nop symbol: where \"no call\" goes is unknown");
		return;
	}
	if (!err)
		err = altcall_plan_site(env, &t->rec, next);
	if (err == ALTCALL_PLAN_UNKNOWN) {
		verdict(t, APPLY_UNKNOWN, 0, "the pointer's value at apply decides");
		return;
	}
	/* After the planner, as in the core: its refusal comes first. */
	if (!err && t->conflict)
		err = ALTCALL_ECONFLICT;
	if (!err && t->overlap)
		err = ALTCALL_ERECORD;
	if (err) {
		verdict(t, APPLY_REFUSE, err, NULL);
		return;
	}
	/* The planner read these bytes to accept the site: they are there. */
	read_bytes(f, addr_loc(f, t->rec.site), now, size);
	verdict(t, memcmp(now, next, size) ? APPLY_PATCH : APPLY_KEEP, 0, NULL);
}

void sites_plan(struct elf_file *f, struct site_list *list,
		const struct feature_set *enabled)
{
	const struct machine *m = machine_of(f->machine);
	struct plan_ctx ctx = { f, enabled };
	GElf_Addr nop = 0;
	bool have_nop = !f->rel && symbol_value(f, "__altcall_nop", &nop);
	const struct altcall_plan_env env = file_env(f, m, &ctx, nop);

	for (size_t i = 0; i < list->n; i++) {
		struct site *t = &list->v[i];
		struct altcall_arms arms;
		int err;

		if (!f->rel) {
			plan_linked(f, &env, have_nop, t);
			continue;
		}
		/* An object: what the record and its table decide, else the
		 * link. */
		err = altcall_plan_check_record(&env, &t->rec);
		if (!err && t->table_here)
			err = altcall_plan_read_arms(&env, &t->rec, &arms);
		if (err)
			verdict(t, APPLY_REFUSE, err, NULL);
		else
			verdict(t, APPLY_UNKNOWN, 0, "not linked: no addresses before the link");
	}
}
