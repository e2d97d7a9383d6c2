// struct altcall_report grew (unset, apply, kind).  A program built against
// the older header calls the altcall_get_report symbol with room for the
// first five fields only: it must get those and nothing written past them.
// The header's altcall_get_report() passes its size and gets every field.
// RUN: %cc -O2 %s %rtso -o %t && %run %t | FileCheck %s
// RUN: %cc -O2 %s %rt -o %t.static && %run %t.static | FileCheck %s
#include <altcall.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct altcall_report r;
	unsigned char *tail = (unsigned char *)&r + offsetof(struct altcall_report, unset);
	size_t rest = sizeof(r) - offsetof(struct altcall_report, unset), kept = 0;

	altcall_apply();
	altcall_apply();
	memset(&r, 0xaa, sizeof(r));
	(altcall_get_report)(&r);		/* the old entry point */
	for (size_t i = 0; i < rest; i++)
		kept += tail[i] == 0xaa;
	printf("old: sites %u refused %u, %zu of %zu bytes past them untouched\n",
	       r.sites, r.refused, kept, rest);
	// CHECK: old: sites 0 refused 0, [[N:[0-9]+]] of [[N]] bytes past them untouched
	memset(&r, 0xaa, sizeof(r));
	altcall_get_report(&r);
	printf("new: sites %u refused %u unset %u apply %lu kind %d\n", r.sites, r.refused,
	       r.unset, r.apply, r.kind);
	// CHECK-NEXT: new: sites 0 refused 0 unset 0 apply 2 kind 1
	return 0;
}
