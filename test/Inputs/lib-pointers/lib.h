/* A checksum library that picks its implementation at run time and calls
 * it through an ops struct (test/run/lib-pointers.test). */
#ifndef LIBSUM_H
#define LIBSUM_H

#define LIBSUM_VISIBLE __attribute__((visibility("default")))

/* Adler-32 of p[0..n), and the streaming form. */
LIBSUM_VISIBLE unsigned libsum(const void *p, unsigned long n);
LIBSUM_VISIBLE unsigned libsum_update(unsigned state, const void *p, unsigned long n);
/* -DFILL=init: the program calls this first. */
LIBSUM_VISIBLE void libsum_init(void);
/* What the library chose: "fast" or "generic" ("" before it chose). */
LIBSUM_VISIBLE const char *libsum_chosen(void);
/* Calls that reached implementation i (0 generic, 1 fast). */
LIBSUM_VISIBLE unsigned long libsum_calls(int i);
/* Tests: where its pointer sites call now: *on_chosen sites call the
 * function their pointer holds, *on_tramp (pointer NULL) still their
 * trampoline, *other anything else (a set pointer whose site still calls
 * its trampoline included).  Returns the number of sites, 0 without the
 * plugin. */
LIBSUM_VISIBLE unsigned libsum_sites(unsigned *on_chosen, unsigned *on_tramp,
				     unsigned *other);
/* Tests: point every pointer at a wrong implementation. */
LIBSUM_VISIBLE void libsum_poison(void);

#endif
