// SPDX-License-Identifier: MIT
/* altcall-sites, ELF access: see elf.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "elf.h"
#include "util.h"

/* "name", "name+0x10" or "name-0x4". */
static char *name_plus(const char *name, int64_t off)
{
	if (off == 0)
		return xstrdup(name);
	if (off < 0)
		return xasprintf("%s-0x%llx", name, -(unsigned long long)off);
	return xasprintf("%s+0x%llx", name, (unsigned long long)off);
}

int fail(const struct elf_file *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", f->path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

const char *section_name(const struct elf_file *f, size_t shndx)
{
	Elf_Scn *scn = elf_getscn(f->elf, shndx);
	GElf_Shdr sh;
	const char *name;

	if (!scn || !gelf_getshdr(scn, &sh))
		return "?";
	name = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
	return name ? name : "?";
}

bool section_header(const struct elf_file *f, size_t shndx, GElf_Shdr *sh)
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

char *symbolize(const struct elf_file *f, struct loc l)
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

struct loc addr_loc(const struct elf_file *f, GElf_Addr vaddr)
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

struct loc sym_loc(const struct elf_file *f, size_t symi, int64_t addend)
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

struct loc loc_moved(const struct elf_file *f, struct loc l, GElf_Addr value)
{
	if (l.kind != LOC_SECT)
		return (struct loc){ .kind = LOC_ABS, .value = value };
	if (f->rel)
		return (struct loc){ .kind = LOC_SECT, .shndx = l.shndx, .value = value };
	return addr_loc(f, value);
}

size_t read_bytes(const struct elf_file *f, struct loc l,
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

	return (a->off > b->off) - (a->off < b->off);
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

const struct rela *find_rela(struct elf_file *f, size_t shndx,
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

int open_elf(struct elf_file *f, const char *path)
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

void close_elf(struct elf_file *f)
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

/* ---- linked files ------------------------------------------------------ */

bool symbol_value(const struct elf_file *f, const char *name, GElf_Addr *value)
{
	size_t n;

	if (!f->symdata)
		return false;
	n = f->symdata->d_size / gelf_fsize(f->elf, ELF_T_SYM, 1, EV_CURRENT);
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		size_t shndx;

		if (sym_get(f, i, &sym, &shndx) && sym_in_section(&sym, shndx) &&
		    !strcmp(sym_name(f, &sym), name)) {
			*value = sym.st_value;
			return true;
		}
	}
	return false;
}

bool in_segment(const struct elf_file *f, GElf_Addr vaddr, size_t len, unsigned flags)
{
	size_t n;

	if (elf_getphdrnum(f->elf, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(f->elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    (ph.p_flags & flags) == flags && vaddr >= ph.p_vaddr &&
		    vaddr - ph.p_vaddr <= ph.p_memsz && len <= ph.p_memsz - (vaddr - ph.p_vaddr))
			return true;
	}
	return false;
}
