// SPDX-License-Identifier: MIT
/*
 * altcall-sites, ELF access (libelf): sections, symbols, the relocations of
 * relocatable objects, the program headers of linked files, and the bytes
 * at a place.  Knows nothing of altcall.
 *
 * Two address spaces are in play.  In a linked file (ET_EXEC, ET_DYN)
 * symbols carry virtual addresses and a place is a virtual address.  In an
 * object (ET_REL) symbols carry section offsets and a place is a section
 * plus an offset; what is not resolved yet is a relocation.  Both are
 * reduced to a struct loc: a section plus a value in that file's symbol
 * space, so a single symbolizer serves both.
 */
#ifndef ALTCALL_SITES_ELF_H
#define ALTCALL_SITES_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include <gelf.h>

/* Machine numbers, in case <elf.h> is older than we are. */
#ifndef EM_AARCH64
#define EM_AARCH64		183
#endif

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

int open_elf(struct elf_file *f, const char *path);
void close_elf(struct elf_file *f);

/* Prints "altcall-sites: FILE: message" and returns -1. */
int fail(const struct elf_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *section_name(const struct elf_file *f, size_t shndx);
bool section_header(const struct elf_file *f, size_t shndx, GElf_Shdr *sh);

/* A place as text: "symbol", "symbol+0x10", "section+0x4", "none", "0x..". */
char *symbolize(const struct elf_file *f, struct loc l);

/* Linked files: the allocated section holding vaddr. */
struct loc addr_loc(const struct elf_file *f, GElf_Addr vaddr);
/* Objects: what symbol + addend refers to. */
struct loc sym_loc(const struct elf_file *f, size_t symi, int64_t addend);
/* The place whose value is value in the address space of l (a section's
 * offsets in an object, where the assembler resolves branches only within
 * one section; virtual addresses in a linked file). */
struct loc loc_moved(const struct elf_file *f, struct loc l, GElf_Addr value);

/* Copies up to n bytes at l; returns how many exist in the file. */
size_t read_bytes(const struct elf_file *f, struct loc l, unsigned char *buf, size_t n);

/* Objects: the RELA relocation at offset off of section shndx, or NULL. */
const struct rela *find_rela(struct elf_file *f, size_t shndx, GElf_Addr off);

/* Linked files: the value of the first symbol called name, if any. */
bool symbol_value(const struct elf_file *f, const char *name, GElf_Addr *value);
/* Linked files: is [vaddr, vaddr + len) inside one PT_LOAD segment whose
 * flags include all of flags (PF_X, PF_R)? */
bool in_segment(const struct elf_file *f, GElf_Addr vaddr, size_t len, unsigned flags);

#endif
