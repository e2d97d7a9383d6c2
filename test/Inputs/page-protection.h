/* The protection of a page, for tests that check text is read-only again. */
#ifndef PAGE_PROTECTION_H
#define PAGE_PROTECTION_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The protection of the page at addr, as /proc/self/maps says ("r-xp"). */
static const char *protection(const void *addr)
{
	static char perms[8];
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	strcpy(perms, "?");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[8];
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi)
			strcpy(perms, p);
	}
	if (f)
		fclose(f);
	return perms;
}

#endif
