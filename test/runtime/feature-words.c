// Every entry point checks a feature word the same strict way: a word that
// is not a software or CPU feature of this architecture (the pointer-site
// class, software features past 63, anything over 16 bits) is refused by
// altcall_set_feature() and reads as off, and refusing it changes no other
// feature (0x4000 once turned on software feature 0).
// RUN: %cc-plain -O2 %s %rt -o %t && %run %t | FileCheck %s
#include <altcall.h>
#include <stdio.h>

static void try(unsigned f)
{
	int on = altcall_set_feature(f, 1), off = altcall_set_feature(f, 0);

	printf("0x%x: set on %d, set off %d, enabled %d\n", f, on, off,
	       altcall_feature_enabled(f));
}

int main(void)
{
	// CHECK: 0x4000: set on 0, set off 0, enabled 0
	try(0x4000);
	// CHECK-NEXT: 0x4001: set on 0, set off 0, enabled 0
	try(0x4001);
	// CHECK-NEXT: 0x40: set on 0, set off 0, enabled 0
	try(ALTCALL_SW_FEATURES);
	// CHECK-NEXT: 0x10000: set on 0, set off 0, enabled 0
	try(0x10000);
	// CHECK-NEXT: 0x18000: set on 0, set off 0, enabled 0
	try(0x18000);
	// CHECK-NEXT: 0xffffffff: set on 0, set off 0, enabled 0
	try(0xffffffffu);
	// CHECK-NEXT: software feature 0 untouched: 0
	printf("software feature 0 untouched: %d\n", altcall_feature_enabled(ALTCALL_SW_FEATURE(0)));
	// A good word still works.
	// CHECK-NEXT: 0x3f: on 1 enabled 1
	int on = altcall_set_feature(ALTCALL_SW_FEATURE(63), 1);
	printf("0x3f: on %d enabled %d\n", on, altcall_feature_enabled(ALTCALL_SW_FEATURE(63)));
	return 0;
}
