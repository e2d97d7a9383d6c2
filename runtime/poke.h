/* SPDX-License-Identifier: MIT */
/*
 * Live patching: the core's cross-modification protocol (poke.c), which
 * rewrites sites while other CPUs may be running them, with the
 * platform's poke and sync_cores hooks; its entry, altcall_write_live(),
 * is in altcall/runtime.h, for the platforms that name it.
 */
#ifndef ALTCALL_POKE_H
#define ALTCALL_POKE_H

#include "arch.h"

#pragma GCC visibility push(hidden)

/* The most patches altcall_write_live() takes at once (the core's batch). */
#define ALTCALL_POKE_BATCH	32

#pragma GCC visibility pop

#endif
