// alternative_call through a const pointer with a constant initializer
// (test/run/pointer-const.c): at every -O level the call is one direct
// call (or tail jump) to the function, with no record, trampoline or
// indirect call left.
// RUN: %cc -O0 -S -o - %s | %asm | FileCheck %s --implicit-check-not=altcall_sites --implicit-check-not=__altcall_ --implicit-check-not='{{call[[:space:]]+\*|blr|br[[:space:]]}}'
// RUN: %cc -O1 -S -o - %s | %asm | FileCheck %s --implicit-check-not=altcall_sites --implicit-check-not=__altcall_ --implicit-check-not='{{call[[:space:]]+\*|blr|br[[:space:]]}}'
// RUN: %cc -O2 -S -o - %s | %asm | FileCheck %s --implicit-check-not=altcall_sites --implicit-check-not=__altcall_ --implicit-check-not='{{call[[:space:]]+\*|blr|br[[:space:]]}}'
// RUN: %cc -O3 -S -o - %s | %asm | FileCheck %s --implicit-check-not=altcall_sites --implicit-check-not=__altcall_ --implicit-check-not='{{call[[:space:]]+\*|blr|br[[:space:]]}}'
// RUN: %cc -Os -S -o - %s | %asm | FileCheck %s --implicit-check-not=altcall_sites --implicit-check-not=__altcall_ --implicit-check-not='{{call[[:space:]]+\*|blr|br[[:space:]]}}'
#include <altcall.h>

int f(int);
void v(void);
int (*const p)(int) = f;
static void (*const vp)(void) = v;

// CHECK-LABEL: call_p:
// CHECK: {{(call|jmp|bl|b)[[:space:]]+f(@PLT)?$}}
int call_p(int x)
{
	return alternative_call(p, x);
}

// CHECK-LABEL: call_vp:
// CHECK: {{(call|jmp|bl|b)[[:space:]]+v(@PLT)?$}}
void call_vp(void)
{
	alternative_vcall(vp);
}
