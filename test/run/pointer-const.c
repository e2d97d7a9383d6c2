// alternative_call through a const pointer variable with a constant
// initializer: its value can never change, and GCC's C front end itself
// replaces such a pointer by its initializer from -O1 on, before the plugin
// sees the site.  So at every -O level the call is a plain direct call to
// that function, with no site (nothing to patch).  A const pointer whose
// initializer the unit has not seen (extern here, defined below), and a
// field or element of a const struct or array, are read at run time: sites
// like any other.  Same output at every level, with and without the plugin.
// RUN: %cc -O0 %s %rt -o %t0 && %run %t0 | FileCheck %s
// RUN: %cc -O1 %s %rt -o %t1 && %run %t1 | FileCheck %s
// RUN: %cc -O2 %s %rt -o %t2 && %run %t2 | FileCheck %s
// RUN: %cc -O3 %s %rt -o %t3 && %run %t3 | FileCheck %s
// RUN: %cc -Os %s %rt -o %ts && %run %ts | FileCheck %s
// RUN: %cc-plain -O0 %s %rt -o %tp0 && %run %tp0 | FileCheck %s
// RUN: %cc-plain -O2 %s %rt -o %tp2 && %run %tp2 | FileCheck %s
// The same sites at every level: the four read at run time, none for the
// constants.
// RUN: %cc -O0 -c %s -o %t0.o && %sites %t0.o | FileCheck %s --check-prefix=SITES
// RUN: %cc -O1 -c %s -o %t1.o && %sites %t1.o | FileCheck %s --check-prefix=SITES
// RUN: %cc -O2 -c %s -o %t2.o && %sites %t2.o | FileCheck %s --check-prefix=SITES
// RUN: %cc -O3 -c %s -o %t3.o && %sites %t3.o | FileCheck %s --check-prefix=SITES
// RUN: %cc -Os -c %s -o %ts.o && %sites %ts.o | FileCheck %s --check-prefix=SITES
// The verbose note says which calls became direct.
// RUN: %cc -O0 -c %s -o /dev/null -fplugin-arg-altcall-verbose 2>&1 | FileCheck %s --check-prefix=NOTE
// RUN: %cc -O2 -c %s -o /dev/null -fplugin-arg-altcall-verbose 2>&1 | FileCheck %s --check-prefix=NOTE
#include <altcall.h>
#include <stdio.h>

static int f(int x) { return x + 1; }
static int g(int x) { return x + 100; }

int (*const p)(int) = f;
static int (*const sp)(int) = g;
struct ops { int (*h)(int); };
static const struct ops cops = { g };
static int (*const tab[2])(int) = { f, g };
struct fixed { int (*const h)(int); } fixed = { f };
extern int (*const later)(int);

#define NOINLINE __attribute__((noinline))

// NOTE: pointer-const.c:[[@LINE+1]]:{{[0-9]+}}: note: altcall: 'alternative_call' through a constant pointer: a direct call to 'f', no site
NOINLINE int call_p(int x) { return alternative_call(p, x); }
// NOTE: pointer-const.c:[[@LINE+1]]:{{[0-9]+}}: note: altcall: 'alternative_call' through a constant pointer: a direct call to 'g', no site
NOINLINE int call_sp(int x) { return alternative_call(sp, x); }
NOINLINE int call_local(int x)
{
	int (*const lp)(int) = g;
	// NOTE: pointer-const.c:[[@LINE+1]]:{{[0-9]+}}: note: altcall: 'alternative_call' through a constant pointer: a direct call to 'g', no site
	return alternative_call(lp, x);
}
// A function's name is its own constant.
// NOTE: pointer-const.c:[[@LINE+1]]:{{[0-9]+}}: note: altcall: 'alternative_call' through a constant pointer: a direct call to 'f', no site
NOINLINE int call_name(int x) { return alternative_call(f, x); }

// SITES-DAG: site call_field{{[+0-9a-fx]*}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*cops feature=pointer
NOINLINE int call_field(int x) { return alternative_call(cops.h, x); }
// SITES-DAG: site call_elem{{[+0-9a-fx]*}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*tab+0x8 feature=pointer
NOINLINE int call_elem(int x) { return alternative_call(tab[1], x); }
// SITES-DAG: site call_fixed{{[+0-9a-fx]*}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*fixed feature=pointer
NOINLINE int call_fixed(int x) { return alternative_call(fixed.h, x); }
// SITES-DAG: site call_later{{[+0-9a-fx]*}} {{call|jmp|bl|b}} trampoline default=trampoline alt=*later feature=pointer
NOINLINE int call_later(int x) { return alternative_call(later, x); }
// SITES: 4 sites

static void show(const char *when)
{
	printf("%s: p=%d sp=%d local=%d name=%d field=%d elem=%d fixed=%d later=%d\n",
	       when, call_p(1), call_sp(1), call_local(1), call_name(1),
	       call_field(2), call_elem(2), call_fixed(2), call_later(3));
}

int main(void)
{
	int r;

	show("before");
	r = altcall_apply();
	printf("apply: %s\n", r >= 0 ? "ok" : altcall_strerror(r));
	show("after");
	return 0;
}

int (*const later)(int) = g;
// CHECK: before: p=2 sp=101 local=101 name=2 field=102 elem=102 fixed=3 later=103
// CHECK-NEXT: apply: ok
// CHECK-NEXT: after: p=2 sp=101 local=101 name=2 field=102 elem=102 fixed=3 later=103
