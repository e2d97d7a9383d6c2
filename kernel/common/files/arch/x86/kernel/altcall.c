// SPDX-License-Identifier: GPL-2.0
/*
 * x86 primitives of the altcall kernel platform (kernel/altcall/altcall.c).
 * A site is a 5-byte call, jmp or NOP; see the runtime's arch_x86_64.c.
 */
#include <linux/altcall.h>
#include <linux/memory.h>
#include <linux/mutex.h>
#include <asm/cpufeature.h>
#include <asm/text-patching.h>
#include <altcall/runtime.h>

bool arch_altcall_cpu_has(unsigned int cap)
{
	return cap < ALTCALL_KERNEL_NCAPS && boot_cpu_has(cap);
}

/* At boot with one CPU up, or in a module that cannot run yet. */
unsigned int __init_or_module
arch_altcall_write_early(const struct altcall_patch *p, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		text_poke_early(p[i].addr, p[i].bytes, p[i].len);
	return n;
}

/*
 * Other CPUs may be running the sites: the int3 protocol, batched.  A CPU
 * that hits a site mid-write is sent on by emulating the new call or jump.
 */
unsigned int arch_altcall_write_live(const struct altcall_patch *p,
				     unsigned int n)
{
	unsigned int i;

	mutex_lock(&text_mutex);
	for (i = 0; i < n; i++)
		text_poke_queue(p[i].addr, p[i].bytes, p[i].len, NULL);
	text_poke_finish();
	mutex_unlock(&text_mutex);
	return n;
}
