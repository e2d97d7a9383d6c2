// SPDX-License-Identifier: MIT
/* altcall-sites: allocation and formatting that exit on failure. */
#ifndef ALTCALL_SITES_UTIL_H
#define ALTCALL_SITES_UTIL_H

#include <stddef.h>

#define PROG	"altcall-sites"

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);

#endif
