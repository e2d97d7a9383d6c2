// SPDX-License-Identifier: MIT
/* altcall-sites: allocation and formatting that exit on failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(1);
	}
	return p;
}

void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int len;
	char *s;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0) {
		fprintf(stderr, PROG ": formatting failed\n");
		exit(1);
	}
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *xstrdup(const char *s)
{
	return xasprintf("%s", s);
}

