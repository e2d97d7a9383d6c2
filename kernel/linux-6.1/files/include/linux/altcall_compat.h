/* SPDX-License-Identifier: GPL-2.0 */
/*
 * altcall kit, Linux 6.1: what the shared kernel platform needs that
 * differs between kernel versions, under one name each (every version's
 * kit has this header, with the same names).
 */
#ifndef _LINUX_ALTCALL_COMPAT_H
#define _LINUX_ALTCALL_COMPAT_H

#include <linux/module.h>
#include <asm/unaligned.h>

static inline bool altcall_within(unsigned long addr, const void *base,
				  unsigned int size)
{
	return base && addr - (unsigned long)base < size;
}

/* [first, last] in mod's core text. */
static inline bool altcall_module_in_core_text(const struct module *mod,
					       unsigned long first,
					       unsigned long last)
{
	const struct module_layout *c = &mod->core_layout;

	return altcall_within(first, c->base, c->text_size) &&
	       altcall_within(last, c->base, c->text_size);
}

/* Where mod's init text is (*base NULL once it is freed). */
static inline void altcall_module_init_text(const struct module *mod,
					    const void **base,
					    unsigned int *size)
{
	*base = mod->init_layout.base;
	*size = mod->init_layout.text_size;
}

/* [first, last] in one of layout's data or rodata, not its text. */
static inline bool altcall_layout_in_data(const struct module_layout *l,
					  unsigned long first,
					  unsigned long last)
{
	return altcall_within(first, l->base, l->size) &&
	       altcall_within(last, l->base, l->size) &&
	       !altcall_within(first, l->base, l->text_size);
}

/* [first, last] in mod's core data or rodata, not its text. */
static inline bool altcall_module_in_data(const struct module *mod,
					  unsigned long first,
					  unsigned long last)
{
	return altcall_layout_in_data(&mod->core_layout, first, last);
}

/* [first, last] in mod's init data or rodata, not its init text. */
static inline bool altcall_module_in_init_data(const struct module *mod,
					       unsigned long first,
					       unsigned long last)
{
	return altcall_layout_in_data(&mod->init_layout, first, last);
}

/* addr anywhere in mod's init memory. */
static inline bool altcall_module_in_init(const struct module *mod,
					  unsigned long addr)
{
	return altcall_within(addr, mod->init_layout.base, mod->init_layout.size);
}

/* arm64: a capability the test machines lack (the selftests' CAP_ABSENT). */
#define ALTCALL_ARM64_CAP_ABSENT	ARM64_HAS_IRQ_PRIO_MASKING

/* arm64: the cpucap of the GIC system registers (KVM's vGIC hyp site). */
#define ALTCALL_ARM64_CAP_GIC_SYSREGS	ARM64_HAS_SYSREG_GIC_CPUIF

#endif /* _LINUX_ALTCALL_COMPAT_H */
