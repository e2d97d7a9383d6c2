// SPDX-License-Identifier: MIT
/*
 * altcall-sites: print the altcall site records of an ELF file.
 *
 * Reads the ALTCALL_SECTION records (layout: altcall/abi.h) of an x86-64 or
 * AArch64 relocatable object, executable or shared object, decodes the
 * instruction at each site and names every address with the symbol table.
 *
 * Two address spaces are in play.  In a linked file (ET_EXEC, ET_DYN) a
 * record field holds the final PC-relative value, and symbols carry virtual
 * addresses.  In an object (ET_REL) the fields are still 0 with a RELA
 * relocation on them, and symbols carry section offsets.  Both are reduced
 * to a struct loc: a section plus a value in that file's symbol space, so a
 * single symbolizer serves both.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <gelf.h>

#include <altcall.h>

#define PROG	"altcall-sites"

/* Relocation and machine numbers, in case <elf.h> is older than we are. */
#ifndef EM_AARCH64
#define EM_AARCH64		183
#endif
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
#define A64_NFEATURES	(sizeof(a64_features) / sizeof(a64_features[0]))

#define X86_NFEATURES	(sizeof(x86_features) / sizeof(x86_features[0]))

static const struct feature_name *feature_table(unsigned machine, size_t *n)
{
	switch (machine) {
	case EM_X86_64:
		*n = X86_NFEATURES;
		return x86_features;
	case EM_AARCH64:
		*n = A64_NFEATURES;
		return a64_features;
	}
	*n = 0;
	return NULL;
}

static const char *feature_name(unsigned machine, unsigned word)
{
	size_t n;
	const struct feature_name *t = feature_table(machine, &n);

	for (size_t i = 0; i < n; i++)
		if (t[i].word == word)
			return t[i].name;
	return NULL;
}

/* Returns the feature word of cpu:NAME on machine, or -1. */
static long feature_by_name(unsigned machine, const char *name)
{
	size_t n;
	const struct feature_name *t = feature_table(machine, &n);

	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(t[i].name, name))
			return t[i].word;
	return -1;
}

/* ---- small helpers ----------------------------------------------------- */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return p;
}

__attribute__((format(printf, 1, 2)))
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		fprintf(stderr, PROG ": formatting failed\n");
		exit(1);
	}
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

static char *xstrdup(const char *s)
{
	return xasprintf("%s", s);
}

/* The records are little-endian whatever the host is. */
static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* "name", "name+0x10" or "name-0x4". */
static char *name_plus(const char *name, int64_t off)
{
	if (off == 0)
		return xstrdup(name);
	if (off < 0)
		return xasprintf("%s-0x%llx", name, -(unsigned long long)off);
	return xasprintf("%s+0x%llx", name, (unsigned long long)off);
}

/* ---- the ELF file ------------------------------------------------------ */

/* A symbol that may name an address. */
struct sym {
	const char *name;
	GElf_Addr value;
	size_t shndx;
	int rank;		/* binding: higher wins at one address */
	size_t idx;		/* symbol table index, for a stable order */
};

struct symvec {
	struct sym *v;
	size_t n, cap;
};

struct rela {
	GElf_Addr off;
	unsigned type;
	size_t sym;
	int64_t addend;
};

struct relavec {
	bool loaded;
	struct rela *v;
	size_t n;
};

struct elf_file {
	const char *path;
	int fd;
	Elf *elf;
	unsigned machine;
	bool rel;		/* ET_REL: section offsets + relocations */
	size_t shnum;
	size_t shstrndx;

	/* .symtab, or .dynsym in a stripped file */
	Elf_Data *symdata;
	Elf_Data *xndxdata;	/* SHT_SYMTAB_SHNDX, for > 64k sections */
	size_t symstrndx;
	size_t symndx;

	/* Naming candidates: FUNC symbols first, the rest as a fallback. */
	struct symvec funcs;
	struct symvec others;

	/* ET_REL: relocations by the section they apply to, read on demand. */
	struct relavec *relas;
};

/* A place: an offset/address in a section, or something only a name
 * (an undefined symbol plus addend) or a bare number can describe. */
struct loc {
	enum { LOC_NONE, LOC_SECT, LOC_NAME, LOC_ABS } kind;
	size_t shndx;
	GElf_Addr value;	/* LOC_SECT, LOC_ABS */
	const char *name;	/* LOC_NAME */
	int64_t off;		/* LOC_NAME */
};

static int fail(const struct elf_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(const struct elf_file *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", f->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static const char *section_name(const struct elf_file *f, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(f->elf, shndx);
	GElf_Shdr sh;
	const char *name;

	if (!scn || !gelf_getshdr(scn, &sh))
		return "?";
	name = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
	return name ? name : "?";
}

static bool section_header(const struct elf_file *f, size_t shndx, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_getscn(f->elf, shndx);

	return scn && gelf_getshdr(scn, sh);
}

/* ---- symbols ----------------------------------------------------------- */

static int bind_rank(unsigned bind)
{
	switch (bind) {
	case STB_GLOBAL:
	case STB_GNU_UNIQUE:
		return 2;
	case STB_WEAK:
		return 1;
	}
	return 0;
}

/*
 * Order by (section, value), and at one address put the preferred symbol
 * last: higher binding, then lower table index.  A "last entry <= key"
 * search then lands on the best name for an exact match.
 */
static int sym_cmp(const void *pa, const void *pb)
{
	const struct sym *a = pa, *b = pb;

	if (a->shndx != b->shndx)
		return a->shndx < b->shndx ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank - b->rank;
	if (a->idx != b->idx)
		return a->idx > b->idx ? -1 : 1;
	return 0;
}

static void symvec_push(struct symvec *sv, const struct sym *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 64;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = *s;
}

static void sort_symvec(struct symvec *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), sym_cmp);
}

static bool sym_get(const struct elf_file *f, size_t i, GElf_Sym *sym,
		    size_t *shndx)
{
	Elf32_Word xndx = 0;

	if (!gelf_getsymshndx(f->symdata, f->xndxdata, (int)i, sym, &xndx))
		return false;
	*shndx = sym->st_shndx == SHN_XINDEX ? xndx : sym->st_shndx;
	return true;
}

/* Defined in a section (not undefined, absolute or common). */
static bool sym_in_section(const GElf_Sym *sym, size_t shndx)
{
	return shndx != SHN_UNDEF &&
	       (sym->st_shndx == SHN_XINDEX || shndx < SHN_LORESERVE);
}

static const char *sym_name(const struct elf_file *f, const GElf_Sym *sym)
{
	const char *name = elf_strptr(f->elf, f->symstrndx, sym->st_name);

	return name ? name : "";
}

/* Whether a symbol may name an address: real code/data labels only. */
static bool sym_is_label(const struct elf_file *f, const GElf_Sym *sym,
			 size_t shndx, const char *name)
{
	unsigned type = GELF_ST_TYPE(sym->st_info);

	if (!*name || !strncmp(name, ".L", 2))
		return false;
	/* AArch64 mapping symbols ($x, $d, $x.42) mark code/data, not names. */
	if (f->machine == EM_AARCH64 && name[0] == '$')
		return false;
	if (!sym_in_section(sym, shndx))
		return false;
	return type == STT_FUNC || type == STT_GNU_IFUNC ||
	       type == STT_NOTYPE || type == STT_OBJECT;
}

static void load_symbols(struct elf_file *f)
{
	size_t n = f->symdata->d_size / gelf_fsize(f->elf, ELF_T_SYM, 1, EV_CURRENT);

	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		size_t shndx;
		const char *name;
		struct sym s;
		unsigned type;

		if (!sym_get(f, i, &sym, &shndx))
			continue;
		name = sym_name(f, &sym);
		if (!sym_is_label(f, &sym, shndx, name))
			continue;
		s = (struct sym){
			.name = name,
			.value = sym.st_value,
			.shndx = shndx,
			.rank = bind_rank(GELF_ST_BIND(sym.st_info)),
			.idx = i,
		};
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_FUNC || type == STT_GNU_IFUNC)
			symvec_push(&f->funcs, &s);
		else
			symvec_push(&f->others, &s);
	}
	sort_symvec(&f->funcs);
	sort_symvec(&f->others);
}

/* The best symbol in shndx at or below value, or NULL. */
static const struct sym *sym_preceding(const struct symvec *sv, size_t shndx,
				       GElf_Addr value)
{
	size_t lo = 0, hi = sv->n;
	const struct sym *s;

	/* First entry greater than (shndx, value). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		s = &sv->v[mid];
		if (s->shndx < shndx || (s->shndx == shndx && s->value <= value))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &sv->v[lo - 1];
	return s->shndx == shndx ? s : NULL;
}

static char *symbolize_sect(const struct elf_file *f, size_t shndx,
			    GElf_Addr value)
{
	const struct sym *fn = sym_preceding(&f->funcs, shndx, value);
	const struct sym *other = sym_preceding(&f->others, shndx, value);
	GElf_Shdr sh;
	GElf_Addr base = 0;

	if (fn && fn->value == value)
		return xstrdup(fn->name);
	if (other && other->value == value)
		return xstrdup(other->name);
	if (fn)
		return name_plus(fn->name, (int64_t)(value - fn->value));
	if (other)
		return name_plus(other->name, (int64_t)(value - other->value));

	/* In a linked file section offsets count from the section address. */
	if (!f->rel && section_header(f, shndx, &sh))
		base = sh.sh_addr;
	return name_plus(section_name(f, shndx), (int64_t)(value - base));
}

static char *symbolize(const struct elf_file *f, struct loc l)
{
	switch (l.kind) {
	case LOC_NONE:
		return xstrdup("none");
	case LOC_SECT:
		return symbolize_sect(f, l.shndx, l.value);
	case LOC_NAME:
		return name_plus(l.name, l.off);
	case LOC_ABS:
		break;
	}
	return xasprintf("0x%llx", (unsigned long long)l.value);
}

/* ---- locations --------------------------------------------------------- */

/* Linked files: the allocated section holding vaddr. */
static struct loc addr_loc(const struct elf_file *f, GElf_Addr vaddr)
{
	for (size_t i = 1; i < f->shnum; i++) {
		GElf_Shdr sh;

		if (!section_header(f, i, &sh))
			continue;
		/* TLS sections overlap ordinary ones: their addresses are templates. */
		if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & SHF_TLS))
			continue;
		if (vaddr >= sh.sh_addr && vaddr - sh.sh_addr < sh.sh_size)
			return (struct loc){ .kind = LOC_SECT, .shndx = i, .value = vaddr };
	}
	return (struct loc){ .kind = LOC_ABS, .value = vaddr };
}

/* Objects: what symbol + addend refers to. */
static struct loc sym_loc(const struct elf_file *f, size_t symi, int64_t addend)
{
	GElf_Sym sym;
	size_t shndx;
	const char *name;

	if (!f->symdata || !sym_get(f, symi, &sym, &shndx))
		return (struct loc){ .kind = LOC_ABS, .value = (GElf_Addr)addend };
	if (sym_in_section(&sym, shndx))
		return (struct loc){ .kind = LOC_SECT, .shndx = shndx,
				     .value = sym.st_value + (GElf_Addr)addend };

	/* Undefined, common or absolute: only the name says what it is. */
	name = sym_name(f, &sym);
	if (*name)
		return (struct loc){ .kind = LOC_NAME, .name = name, .off = addend };
	return (struct loc){ .kind = LOC_ABS, .value = sym.st_value + (GElf_Addr)addend };
}

/* A place delta bytes further on.  Objects stay in their section, since the
 * assembler only resolves branches within one; linked files may cross. */
static struct loc loc_add(const struct elf_file *f, struct loc l, int64_t delta)
{
	GElf_Addr v;

	switch (l.kind) {
	case LOC_SECT:
		v = l.value + (GElf_Addr)delta;
		if (f->rel)
			return (struct loc){ .kind = LOC_SECT, .shndx = l.shndx, .value = v };
		return addr_loc(f, v);
	case LOC_NAME:
		l.off += delta;
		return l;
	case LOC_ABS:
		l.value += (GElf_Addr)delta;
		return l;
	case LOC_NONE:
		break;
	}
	return l;
}

/* Copies up to n bytes at l; returns how many exist in the file. */
static size_t read_bytes(const struct elf_file *f, struct loc l,
			 unsigned char *buf, size_t n)
{
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	GElf_Addr off;

	if (l.kind != LOC_SECT || !(scn = elf_getscn(f->elf, l.shndx)) ||
	    !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return 0;
	off = f->rel ? l.value : l.value - sh.sh_addr;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || off >= d->d_size)
		return 0;
	if (n > d->d_size - off)
		n = d->d_size - off;
	memcpy(buf, (const unsigned char *)d->d_buf + off, n);
	return n;
}

/* ---- relocations (ET_REL) ---------------------------------------------- */

static int rela_cmp(const void *pa, const void *pb)
{
	const struct rela *a = pa, *b = pb;

	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return 0;
}

/* Both psABIs we read use RELA only, so SHT_REL sections are not read. */
static void load_relas(struct elf_file *f, size_t target)
{
	struct relavec *rv = &f->relas[target];

	rv->loaded = true;
	for (size_t i = 1; i < f->shnum; i++) {
		Elf_Scn *scn = elf_getscn(f->elf, i);
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    sh.sh_info != target || !(d = elf_getdata(scn, NULL)))
			continue;
		n = d->d_size / gelf_fsize(f->elf, ELF_T_RELA, 1, EV_CURRENT);
		rv->v = xrealloc(rv->v, (rv->n + n) * sizeof(*rv->v));
		for (size_t j = 0; j < n; j++) {
			GElf_Rela r;

			if (!gelf_getrela(d, (int)j, &r))
				continue;
			rv->v[rv->n++] = (struct rela){
				.off = r.r_offset,
				.type = (unsigned)GELF_R_TYPE(r.r_info),
				.sym = GELF_R_SYM(r.r_info),
				.addend = r.r_addend,
			};
		}
	}
	if (rv->n > 1)
		qsort(rv->v, rv->n, sizeof(*rv->v), rela_cmp);
}

static const struct rela *find_rela(struct elf_file *f, size_t shndx,
				    GElf_Addr off)
{
	struct relavec *rv;
	size_t lo = 0, hi;

	if (!f->rel || shndx == 0 || shndx >= f->shnum)
		return NULL;
	rv = &f->relas[shndx];
	if (!rv->loaded)
		load_relas(f, shndx);
	hi = rv->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rv->v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < rv->n && rv->v[lo].off == off ? &rv->v[lo] : NULL;
}

/* ---- opening ----------------------------------------------------------- */

static void find_symtab(struct elf_file *f)
{
	Elf_Scn *dyn = NULL, *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(f->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB)
			break;
		if (sh.sh_type == SHT_DYNSYM && !dyn)
			dyn = scn;
	}
	/* A stripped file still has the exported names. */
	if (!scn)
		scn = dyn;
	if (!scn || !gelf_getshdr(scn, &sh))
		return;
	f->symdata = elf_getdata(scn, NULL);
	f->symstrndx = sh.sh_link;
	f->symndx = elf_ndxscn(scn);

	scn = NULL;
	while ((scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr x;

		if (gelf_getshdr(scn, &x) && x.sh_type == SHT_SYMTAB_SHNDX &&
		    x.sh_link == f->symndx)
			f->xndxdata = elf_getdata(scn, NULL);
	}
}

static int open_elf(struct elf_file *f, const char *path)
{
	GElf_Ehdr eh;
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->fd = open(path, O_RDONLY);
	if (f->fd < 0)
		return fail(f, "%s", strerror(errno));
	/* libelf's message for a directory is a puzzling "invalid fd". */
	if (fstat(f->fd, &st))
		return fail(f, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(f, "not a regular file");
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf)
		return fail(f, "%s", elf_errmsg(-1));
	if (elf_kind(f->elf) != ELF_K_ELF)
		return fail(f, "not an ELF file");
	if (!gelf_getehdr(f->elf, &eh))
		return fail(f, "%s", elf_errmsg(-1));
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(f, "not a little-endian ELF file");
	if (eh.e_machine != EM_X86_64 && eh.e_machine != EM_AARCH64)
		return fail(f, "unsupported machine %u (want x86-64 or AArch64)",
			    eh.e_machine);
	if (eh.e_type != ET_REL && eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return fail(f, "unsupported ELF type %u", eh.e_type);
	if (elf_getshdrnum(f->elf, &f->shnum) || elf_getshdrstrndx(f->elf, &f->shstrndx))
		return fail(f, "%s", elf_errmsg(-1));
	/* libelf reports no sections at all when their headers lie past EOF. */
	if (f->shnum == 0 && eh.e_shoff != 0)
		return fail(f, "section headers are missing (truncated file?)");

	f->machine = eh.e_machine;
	f->rel = eh.e_type == ET_REL;
	f->relas = xmalloc(f->shnum * sizeof(*f->relas));
	memset(f->relas, 0, f->shnum * sizeof(*f->relas));
	find_symtab(f);
	if (f->symdata)
		load_symbols(f);
	return 0;
}

static void close_elf(struct elf_file *f)
{
	if (f->relas)
		for (size_t i = 0; i < f->shnum; i++)
			free(f->relas[i].v);
	free(f->relas);
	free(f->funcs.v);
	free(f->others.v);
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

/* ---- decoding ---------------------------------------------------------- */

/* One record, as text. */
struct site_text {
	char *site, *insn, *target, *dflt, *alt, *feature;
	unsigned word;
	bool conflict;	/* another record of this site disagrees */
};

static void site_text_free(struct site_text *t)
{
	free(t->site);
	free(t->insn);
	free(t->target);
	free(t->dflt);
	free(t->alt);
	free(t->feature);
}

static char *hex_bytes(const unsigned char *b, size_t n)
{
	char *s = xmalloc(n * 3 + 1);

	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		sprintf(s + strlen(s), i ? " %02x" : "%02x", b[i]);
	return s;
}

static void decode_x86(struct elf_file *f, struct loc site, struct site_text *t)
{
	static const unsigned char nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	unsigned char b[5];
	size_t n = read_bytes(f, site, b, sizeof(b));
	const struct rela *r;
	char *hex;

	if (n == 5 && !memcmp(b, nop5, 5)) {
		t->insn = xstrdup("nop");
		t->target = xstrdup("-");
		return;
	}
	if (n < 5 || (b[0] != 0xe8 && b[0] != 0xe9)) {
		hex = hex_bytes(b, n);
		t->insn = xasprintf("bad[%s]", hex);
		t->target = xstrdup("-");
		free(hex);
		return;
	}
	t->insn = xstrdup(b[0] == 0xe8 ? "call" : "jmp");

	/* In an object the rel32 is 0 and a relocation says S + A - P, with
	 * P = site + 1 and the branch counting from site + 5. */
	r = site.kind == LOC_SECT ? find_rela(f, site.shndx, site.value + 1) : NULL;
	if (r) {
		if (r->type != R_X86_64_PLT32 && r->type != R_X86_64_PC32)
			fprintf(stderr, PROG ": %s: warning: relocation type %u on the branch at %s\n",
				f->path, r->type, t->site);
		t->target = symbolize(f, sym_loc(f, r->sym, r->addend + 4));
		return;
	}
	t->target = symbolize(f, loc_add(f, site, 5 + (int32_t)le32(b + 1)));
}

static void decode_a64(struct elf_file *f, struct loc site, struct site_text *t)
{
	unsigned char b[4];
	uint32_t insn, op;
	int64_t disp;
	const struct rela *r;

	if (read_bytes(f, site, b, sizeof(b)) < 4) {
		t->insn = xstrdup("bad[]");
		t->target = xstrdup("-");
		return;
	}
	insn = le32(b);
	op = insn & 0xfc000000u;
	if (insn == 0xd503201fu) {
		t->insn = xstrdup("nop");
		t->target = xstrdup("-");
		return;
	}
	if (op != 0x94000000u && op != 0x14000000u) {
		t->insn = xasprintf("bad[%08x]", (unsigned)insn);
		t->target = xstrdup("-");
		return;
	}
	t->insn = xstrdup(op == 0x94000000u ? "bl" : "b");

	/* CALL26/JUMP26 are S + A - P with P = the branch itself. */
	r = site.kind == LOC_SECT ? find_rela(f, site.shndx, site.value) : NULL;
	if (r) {
		if (r->type != R_AARCH64_CALL26 && r->type != R_AARCH64_JUMP26)
			fprintf(stderr, PROG ": %s: warning: relocation type %u on the branch at %s\n",
				f->path, r->type, t->site);
		t->target = symbolize(f, sym_loc(f, r->sym, r->addend));
		return;
	}
	/* imm26, sign-extended, in words. */
	disp = (int64_t)((int32_t)(insn << 6) >> 6) * 4;
	t->target = symbolize(f, loc_add(f, site, disp));
}

static char *format_feature(unsigned machine, unsigned word)
{
	static const char *const regs[] = { "eax", "ebx", "ecx", "edx" };
	const char *name;
	unsigned leaf;

	switch (ALTCALL_FEATURE_CLASS(word)) {
	case ALTCALL_FCLASS_SW:
		return xasprintf("sw:%u", word & 0x3fffu);
	case ALTCALL_FCLASS_POINTER:
		return word == ALTCALL_FEATURE_POINTER ? xasprintf("pointer")
						       : xasprintf("bad:0x%04x", word);
	}
	name = feature_name(machine, word);
	if (name)
		return xasprintf("cpu:%s", name);
	if (machine == EM_X86_64) {
		leaf = (word >> ALTCALL_X86_LEAF_SHIFT) & (ALTCALL_X86_LEAVES - 1);
		if (word & (1u << ALTCALL_X86_EXT_BIT))
			leaf |= 0x80000000u;
		return xasprintf("cpu:x86(0x%x,%u,%s,%u)", leaf,
				 (word >> ALTCALL_X86_SUB_SHIFT) & (ALTCALL_X86_SUBLEAVES - 1),
				 regs[(word >> ALTCALL_X86_REG_SHIFT) & 3], word & 31);
	}
	/* AArch64: anything beyond word and bit is not an encoding we know. */
	if (word & ~(ALTCALL_FEATURE_CPU | 1u << ALTCALL_A64_WORD_SHIFT | ALTCALL_A64_BIT_MASK))
		return xasprintf("cpu:0x%04x", word);
	if (word & (1u << ALTCALL_A64_WORD_SHIFT))
		return xasprintf("cpu:hwcap2(%u)", word & ALTCALL_A64_BIT_MASK);
	return xasprintf("cpu:hwcap(%u)", word & ALTCALL_A64_BIT_MASK);
}

/* A record field: where it points, or LOC_NONE for "no call". */
static struct loc field_loc(struct elf_file *f, size_t secndx,
			    const GElf_Shdr *sh, const unsigned char *data,
			    size_t off, bool zero_is_none)
{
	int32_t v = (int32_t)le32(data + off);
	const struct rela *r;

	if (f->rel) {
		r = find_rela(f, secndx, off);
		if (r) {
			if (f->machine == EM_X86_64 ? r->type != R_X86_64_PC32 &&
						      r->type != R_X86_64_PLT32
						    : r->type != R_AARCH64_PREL32)
				fprintf(stderr, PROG ": %s: warning: relocation type %u at %s+0x%zx\n",
					f->path, r->type, ALTCALL_SECTION, off);
			return sym_loc(f, r->sym, r->addend);
		}
		if (v == 0 && zero_is_none)
			return (struct loc){ .kind = LOC_NONE };
		/* Resolved by the assembler: relative to this section. */
		return (struct loc){ .kind = LOC_SECT, .shndx = secndx,
				     .value = off + (GElf_Addr)(int64_t)v };
	}
	if (v == 0 && zero_is_none)
		return (struct loc){ .kind = LOC_NONE };
	return addr_loc(f, sh->sh_addr + off + (GElf_Addr)(int64_t)v);
}

/*
 * alternative_call site: dflt is its trampoline (a local label, so no name
 * of its own) and alt is the function pointer, printed as "*pointer".
 */
static void name_pointer_site(struct site_text *t)
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

static void decode_record(struct elf_file *f, size_t secndx, const GElf_Shdr *sh,
			  const unsigned char *data, size_t off,
			  struct site_text *t)
{
	struct loc site = field_loc(f, secndx, sh, data, off, false);

	t->site = symbolize(f, site);
	t->dflt = symbolize(f, field_loc(f, secndx, sh, data, off + 4, true));
	t->alt = symbolize(f, field_loc(f, secndx, sh, data, off + 8, true));
	t->word = le16(data + off + 12);
	t->feature = format_feature(f->machine, t->word);
	if (f->machine == EM_X86_64)
		decode_x86(f, site, t);
	else
		decode_a64(f, site, t);
	if (t->word == ALTCALL_FEATURE_POINTER)
		name_pointer_site(t);
}

/* ---- features present (--features) ------------------------------------- */

struct present {
	bool given;		/* --features was used: print chosen= */
	size_t n;
	struct {
		const char *name;	/* cpu:NAME, looked up per machine */
		unsigned word;		/* otherwise */
	} *v;
};

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
	return feature_by_name(EM_X86_64, name) >= 0 ||
	       feature_by_name(EM_AARCH64, name) >= 0;
}

/* Adds one comma-separated list; false on a malformed entry. */
static bool parse_features(struct present *p, char *list)
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

static bool feature_present(const struct present *p, unsigned machine,
			    unsigned word)
{
	for (size_t i = 0; i < p->n; i++) {
		long w = p->v[i].name ? feature_by_name(machine, p->v[i].name)
				      : (long)p->v[i].word;

		if (w == (long)word)
			return true;
	}
	return false;
}

/* ---- output ------------------------------------------------------------ */

struct output {
	bool json;
	const struct present *present;
	unsigned machine;
	size_t count;
	struct site_text *sites;	/* every record, printed at the end */
	size_t n_sites;
};

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_field(const char *key, const char *value, bool last)
{
	printf("\"%s\": ", key);
	json_string(value);
	fputs(last ? "" : ", ", stdout);
}

static void print_site(struct output *o, const struct site_text *t)
{
	const char *chosen = NULL;

	if (o->present->given)
		chosen = t->word == ALTCALL_FEATURE_POINTER ||
			 feature_present(o->present, o->machine, t->word) ? t->alt : t->dflt;

	if (t->conflict)
		chosen = NULL;		/* apply refuses the site */
	if (!o->json) {
		printf("site %s %s %s default=%s alt=%s feature=%s",
		       t->site, t->insn, t->target, t->dflt, t->alt, t->feature);
		if (chosen)
			printf(" chosen=%s", chosen);
		if (t->conflict)
			printf(" conflict: another record of this site disagrees; "
			       "altcall_apply() refuses them all");
		putchar('\n');
		o->count++;
		return;
	}
	fputs(o->count ? ",\n  {" : "[\n  {", stdout);
	json_field("site", t->site, false);
	json_field("insn", t->insn, false);
	json_field("target", t->target, false);
	json_field("default", t->dflt, false);
	json_field("alt", t->alt, false);
	json_field("feature", t->feature, false);
	printf("\"conflict\": %s%s", t->conflict ? "true" : "false", chosen ? ", " : "");
	if (chosen)
		json_field("chosen", chosen, true);
	putchar('}');
	o->count++;
}

static void print_end(const struct output *o)
{
	if (!o->json)
		printf("%zu sites\n", o->count);
	else if (o->count)
		fputs("\n]\n", stdout);
	else
		fputs("[]\n", stdout);
}

/* ---- main -------------------------------------------------------------- */

static bool is_sites_section(const struct elf_file *f, size_t i, GElf_Shdr *sh)
{
	return section_header(f, i, sh) && sh->sh_type != SHT_NOBITS &&
	       !strcmp(section_name(f, i), ALTCALL_SECTION);
}

/* Checked before printing anything, so a bad file prints no partial list.
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

static int print_section(struct elf_file *f, size_t i, const GElf_Shdr *sh,
			 struct output *o)
{
	Elf_Data *d = elf_getdata(elf_getscn(f->elf, i), NULL);

	if (!d || d->d_size != sh->sh_size)
		return fail(f, "cannot read section %s: %s", ALTCALL_SECTION,
			    elf_errmsg(-1));
	for (size_t off = 0; off < d->d_size; off += ALTCALL_RECORD_SIZE) {
		struct site_text t = { 0 };

		decode_record(f, i, sh, d->d_buf, off, &t);
		o->sites = xrealloc(o->sites, (o->n_sites + 1) * sizeof(*o->sites));
		o->sites[o->n_sites++] = t;
	}
	return 0;
}

static int by_site(const void *pa, const void *pb)
{
	const struct site_text *a = *(struct site_text *const *)pa;
	const struct site_text *b = *(struct site_text *const *)pb;

	return strcmp(a->site, b->site);
}

static bool same_choice(const struct site_text *a, const struct site_text *b)
{
	return !strcmp(a->dflt, b->dflt) && !strcmp(a->alt, b->alt) &&
	       a->word == b->word;
}

/*
 * Records of one site that disagree (linker identical-code folding merged
 * two functions): the runtime refuses them all, so flag each.
 */
static void mark_conflicts(struct output *o)
{
	struct site_text **v = xmalloc((o->n_sites + 1) * sizeof(*v));
	size_t i, j, k;

	for (i = 0; i < o->n_sites; i++)
		v[i] = &o->sites[i];
	qsort(v, o->n_sites, sizeof(*v), by_site);
	for (i = 0; i < o->n_sites; i = j) {
		bool agree = true;

		for (j = i + 1; j < o->n_sites && !strcmp(v[j]->site, v[i]->site); j++)
			agree &= same_choice(v[i], v[j]);
		for (k = i; !agree && k < j; k++)
			v[k]->conflict = true;
	}
	free(v);
}

static int list_sites(const char *path, const struct present *present, bool json)
{
	struct elf_file f;
	struct output o = { .json = json, .present = present };
	GElf_Shdr sh;
	int ret = -1;

	if (open_elf(&f, path) || check_sections(&f))
		goto out;
	o.machine = f.machine;
	for (size_t i = 1; i < f.shnum; i++)
		if (is_sites_section(&f, i, &sh) && print_section(&f, i, &sh, &o))
			goto out;
	mark_conflicts(&o);
	for (size_t i = 0; i < o.n_sites; i++)
		print_site(&o, &o.sites[i]);
	print_end(&o);
	ret = 0;
out:
	for (size_t i = 0; i < o.n_sites; i++)
		site_text_free(&o.sites[i]);
	free(o.sites);
	close_elf(&f);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " PROG " [OPTION]... FILE\n"
		"Print the altcall site records (section " ALTCALL_SECTION ") of an x86-64 or\n"
		"AArch64 ELF object, executable or shared object, one line per site:\n"
		"  site SITE INSN TARGET default=SYM alt=SYM feature=FEATURE [chosen=SYM]\n"
		"followed by a line 'N sites'.  A site whose records disagree (linker\n"
		"code folding) is flagged 'conflict' on each of them: altcall_apply()\n"
		"refuses them all.\n"
		"\n"
		"      --features=LIST  treat the features in LIST as present and add the\n"
		"                       column chosen= (the target the runtime would pick);\n"
		"                       LIST is comma-separated sw:N, cpu:NAME or a feature\n"
		"                       word (0x8e25 or decimal)\n"
		"      --json           print a JSON array of objects instead\n"
		"  -h, --help           print this help and exit\n"
		"\n"
		"Exit status: 0 on success, 1 if FILE cannot be read or is malformed,\n"
		"2 on bad usage.\n");
}

static int bad_usage(void)
{
	fprintf(stderr, "Try '" PROG " --help' for more information.\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum { OPT_FEATURES = 256, OPT_JSON };
	static const struct option opts[] = {
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct present present = { 0 };
	bool json = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FEATURES:
			if (!parse_features(&present, optarg))
				return bad_usage();
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_usage();
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, PROG ": %s\n", optind < argc ? "expected one FILE" :
							     "missing FILE");
		return bad_usage();
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, PROG ": libelf: %s\n", elf_errmsg(-1));
		return 1;
	}
	ret = list_sites(argv[optind], &present, json) ? 1 : 0;
	free(present.v);
	return ret;
}
