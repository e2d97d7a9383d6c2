// SPDX-License-Identifier: GPL-2.0
/*
 * x86 primitives of the altcall kernel platform (kernel/altcall/altcall.c).
 * A site is a 5-byte call, jmp or NOP; see the runtime's arch_x86_64.c.
 */
#include <linux/altcall.h>
#include <linux/altcall_compat.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <asm/alternative.h>
#include <asm/cpufeature.h>
#include <asm/sections.h>
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

#ifdef CONFIG_CALL_THUNKS
/*
 * Call depth tracking (retbleed=stuff): the kernel makes every direct call
 * from core text, vmlinux's or a module's, enter its callee T through T's
 * accounting thunk in T's padding (callthunks_patch_builtin_calls() and
 * module_finalize() for the calls the image was built with, then
 * callthunks_translate_call_dest() for those written later, as static
 * calls are).  A site may therefore call the thunk of T; that is a call
 * to T.
 */
const void *arch_altcall_canonical_target(const void *site, const void *target)
{
	return callthunks_thunk_target((void *)target);
}

/* Core text, where the kernel's own calls go through thunks (not init text). */
static bool in_core_text(unsigned long addr)
{
	struct module *mod;
	bool core;

	if (addr >= (unsigned long)_text && addr < (unsigned long)_etext)
		return true;
	preempt_disable();
	mod = __module_address(addr);
	core = mod && altcall_module_in_core_text(mod, addr, addr);
	preempt_enable();
	return core;
}

/*
 * A call written at site goes where an ordinary call from there goes: from
 * core text to T's thunk (made now if need be), once the kernel has made
 * thunks at all; from init text to T, as the kernel leaves those calls.
 */
const void *arch_altcall_call_dest(const void *site, const void *target)
{
	void *dest = (void *)target;

	if (!in_core_text((unsigned long)site))
		return target;
	mutex_lock(&text_mutex);
	dest = callthunks_translate_call_dest(dest);
	mutex_unlock(&text_mutex);
	return dest;
}
#endif /* CONFIG_CALL_THUNKS */
