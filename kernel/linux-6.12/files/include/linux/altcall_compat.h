/* SPDX-License-Identifier: GPL-2.0 */
/*
 * altcall kit, Linux 6.12: what the shared kernel platform needs that
 * differs between kernel versions, under one name each (every version's
 * kit has this header, with the same names).
 *
 * 6.12 against 6.1: module memory is mod->mem[type], one allocation per
 * type (6.4); get_unaligned_le32() is in <linux/unaligned.h> (6.12); the
 * arm64 cpucap of GIC priority masking is ARM64_HAS_GIC_PRIO_MASKING (6.3).
 * x86 call depth tracking (6.2) needs no name here: the shared code is
 * under CONFIG_CALL_THUNKS, which 6.1 does not have, and uses the kit
 * patch's callthunks_thunk_target().
 */
#ifndef _LINUX_ALTCALL_COMPAT_H
#define _LINUX_ALTCALL_COMPAT_H

#include <linux/module.h>
#include <linux/unaligned.h>

static inline bool altcall_within(unsigned long addr, const void *base,
				  unsigned int size)
{
	return base && addr - (unsigned long)base < size;
}

/* [first, last] in mod's allocation of one memory type. */
static inline bool altcall_module_in_mem(const struct module *mod,
					 enum mod_mem_type type,
					 unsigned long first,
					 unsigned long last)
{
	const struct module_memory *mem = &mod->mem[type];

	return altcall_within(first, mem->base, mem->size) &&
	       altcall_within(last, mem->base, mem->size);
}

/* [first, last] in mod's core text. */
static inline bool altcall_module_in_core_text(const struct module *mod,
					       unsigned long first,
					       unsigned long last)
{
	return altcall_module_in_mem(mod, MOD_TEXT, first, last);
}

/* Where mod's init text is (*base NULL once it is freed). */
static inline void altcall_module_init_text(const struct module *mod,
					    const void **base,
					    unsigned int *size)
{
	*base = mod->mem[MOD_INIT_TEXT].base;
	*size = mod->mem[MOD_INIT_TEXT].size;
}

/* [first, last] in mod's core data or rodata, not its text. */
static inline bool altcall_module_in_data(const struct module *mod,
					  unsigned long first,
					  unsigned long last)
{
	return altcall_module_in_mem(mod, MOD_DATA, first, last) ||
	       altcall_module_in_mem(mod, MOD_RODATA, first, last) ||
	       altcall_module_in_mem(mod, MOD_RO_AFTER_INIT, first, last);
}

/* [first, last] in mod's init data or rodata, not its init text. */
static inline bool altcall_module_in_init_data(const struct module *mod,
					       unsigned long first,
					       unsigned long last)
{
	return altcall_module_in_mem(mod, MOD_INIT_DATA, first, last) ||
	       altcall_module_in_mem(mod, MOD_INIT_RODATA, first, last);
}

/* addr anywhere in mod's init memory. */
static inline bool altcall_module_in_init(const struct module *mod,
					  unsigned long addr)
{
	return altcall_module_in_mem(mod, MOD_INIT_TEXT, addr, addr) ||
	       altcall_module_in_init_data(mod, addr, addr);
}

/* arm64: a capability the test machines lack (the selftests' CAP_ABSENT). */
#define ALTCALL_ARM64_CAP_ABSENT	ARM64_HAS_GIC_PRIO_MASKING

/* arm64: the cpucap of the GIC system registers (KVM's vGIC hyp site). */
#define ALTCALL_ARM64_CAP_GIC_SYSREGS	ARM64_HAS_GIC_CPUIF_SYSREGS

#endif /* _LINUX_ALTCALL_COMPAT_H */
