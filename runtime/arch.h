/* SPDX-License-Identifier: MIT */
/* What an architecture provides to the altcall core: its instruction codec
 * (insn.h, the same one the inspector uses), its feature-word rule
 * (altcall/abi.h) and its CPU feature detection.  Nothing else in the core
 * knows an instruction encoding or a CPU feature source. */
#ifndef ALTCALL_ARCH_H
#define ALTCALL_ARCH_H

#include "internal.h"
#include "insn.h"

#pragma GCC visibility push(hidden)

/* The host's codec: &altcall_x86_64_codec or &altcall_aarch64_codec. */
extern const struct altcall_codec *const altcall_arch_codec;

/* Is f a valid feature word of this architecture (altcall_*_feature_valid
 * of altcall/abi.h)? */
bool altcall_arch_feature_valid(unsigned f);

/* Does this CPU have CPU feature f (usable, i.e. also enabled by the OS)? */
bool altcall_arch_cpu_has(unsigned f);

/* Live patching (poke.c): the one-byte trap instruction of the int3
 * protocol (x86-64: 0xCC), or -1 where one aligned store of a whole site
 * instruction is atomic for instruction fetch (arm64). */
extern const int altcall_arch_live_trap;

/* x86-64: no live batch holds site, where a thread trapped: does site hold
 * a whole site instruction again (the int3 was one of ours, since
 * replaced), rather than a foreign int3?  Other architectures: false. */
bool altcall_arch_trap_gone(const u8 *site);

/* In a spin loop: let a sibling hardware thread run. */
static inline void altcall_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

#pragma GCC visibility pop

#endif
