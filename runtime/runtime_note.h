/* SPDX-License-Identifier: MIT */
/*
 * The note every hosted altcall runtime carries, so that two runtimes in
 * one process find each other (user.c: every apply then fails with
 * ALTCALL_ERUNTIME).  It is defined where the feature state is (core.c,
 * built with ALTCALL_HOSTED), so that an image linking any part of a
 * runtime that holds a state carries it, sites or not, plugin or not.
 * An ELF note: namesz, descsz, type, then the name; no descriptor.
 */
#ifndef ALTCALL_RUNTIME_NOTE_H
#define ALTCALL_RUNTIME_NOTE_H

#define ALTCALL_RUNTIME_NOTE_SECTION	".note.altcall.runtime"
#define ALTCALL_RUNTIME_NOTE_TYPE	0x41435254u	/* "TRCA" */
#define ALTCALL_RUNTIME_NOTE_NAME	"altcall"

struct altcall_runtime_note {
	unsigned int namesz, descsz, type;
	char name[8];
};

#endif
