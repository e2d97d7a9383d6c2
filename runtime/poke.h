/* SPDX-License-Identifier: MIT */
/*
 * Live patching: the core's cross-modification protocol (poke.c), which
 * rewrites sites while other CPUs may be running them, with the
 * platform's poke and sync_cores hooks (altcall/runtime.h); and the lock
 * that serialises applies.
 */
#ifndef ALTCALL_POKE_H
#define ALTCALL_POKE_H

#include "arch.h"

#pragma GCC visibility push(hidden)

/* The most patches altcall_poke_live() takes at once (the core's batch). */
#define ALTCALL_POKE_BATCH	32

/*
 * Write p[0..n) (n <= ALTCALL_POKE_BATCH; sorted by address, distinct and
 * disjoint, as the core's flush leaves them) while other CPUs may execute
 * them; every CPU has serialised after the writes when this returns.
 * Returns how many were written, a prefix; the rest keep their old bytes.
 */
unsigned altcall_poke_live(const struct altcall_patch *p, unsigned n,
			   const struct altcall_platform *plat);

/* An earlier protocol could not put a first byte back: an int3 is still
 * in the text (and the trap handler still serves it); no further live
 * write may start. */
bool altcall_poke_stuck(void);

/* Applies run one at a time: the core's feature state, report and
 * platform are global.  A spin flag, since the core has no OS (a kernel
 * serialises with its own mutex first; user space with its image lock). */
void altcall_apply_lock(void);
void altcall_apply_unlock(void);

#pragma GCC visibility pop

#endif
