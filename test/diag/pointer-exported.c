// An alternative_call pointer in code for a shared object (-fPIC, -fpic)
// that another image may preempt (a global with default visibility) is a
// located error that names the pointer and the fix, never the linker's
// misleading "relocation R_X86_64_PC32 against symbol ...; recompile with
// -fPIC" (or arm64's ADR_PREL_PG_HI21 one).
// RUN: not %cc -O2 -fPIC -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:' --implicit-check-not='note:'
// RUN: not %cc -O0 -fpic -c -o /dev/null %s 2>&1 | FileCheck %s --implicit-check-not='internal compiler error' --implicit-check-not='error:' --implicit-check-not='note:'
// -fvisibility=hidden fixes the definitions, not a plain extern declaration
// (GCC's -fvisibility does not apply to those):
// RUN: not %cc -O2 -fPIC -fvisibility=hidden -c -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=HIDDEN --implicit-check-not='error:' --implicit-check-not='note:'
// A PIE and a non-PIC executable bind every data symbol locally: no error.
// RUN: %cc -O2 -fPIE -c -o /dev/null %s
// RUN: %cc -O2 -fno-pic -c -o /dev/null %s
// The fixed library (static, hidden) compiles and links as a shared object.
// RUN: %cc -O2 -fPIC -shared -DFIXED %s -o %t.so
#include <altcall.h>

#ifdef FIXED
#define EXPORTED static
#define EXTERN extern __attribute__((visibility("hidden")))
#else
#define EXPORTED
#define EXTERN extern
#endif

struct ops { int (*fn)(int); int (*other)(int); };

EXPORTED struct ops ops;
// CHECK-DAG: pointer-exported.c:[[@LINE-1]]:21: note: 'ops' defined here
EXTERN struct ops ext_ops;
// CHECK-DAG: pointer-exported.c:[[@LINE-1]]:19: note: 'ext_ops' declared here
// HIDDEN-DAG: pointer-exported.c:[[@LINE-2]]:19: note: 'ext_ops' declared here
EXPORTED int (*hook)(int);
// CHECK-DAG: pointer-exported.c:[[@LINE-1]]:16: note: 'hook' defined here
#ifdef FIXED
struct ops ext_ops __attribute__((visibility("hidden")));
#endif

/* Never an error: static, hidden. */
static struct ops own_ops;
__attribute__((visibility("hidden"))) struct ops hidden_ops;

int use_ops(void)
{
	// CHECK-DAG: pointer-exported.c:[[@LINE+1]]:16: error: 'alternative_call' pointer 'ops' may bind to a copy in another image (a global with default visibility in code for a shared object), and a site refers to the pointer in its own image; make 'ops' 'static', or give it hidden visibility ('__attribute__((visibility("hidden")))' or '-fvisibility=hidden')
	return alternative_call(ops.other, 1);
}

int use_extern(int x)
{
	// CHECK-DAG: pointer-exported.c:[[@LINE+2]]:16: error: 'alternative_call' pointer 'ext_ops' may bind to a copy in another image (a global with default visibility in code for a shared object), and a site refers to the pointer in its own image; make 'ext_ops' 'static', or give it hidden visibility ('__attribute__((visibility("hidden")))' on this declaration and on its definition)
	// HIDDEN-DAG: pointer-exported.c:[[@LINE+1]]:16: error: 'alternative_call' pointer 'ext_ops' may bind to a copy in another image
	return alternative_call(ext_ops.fn, x) +
	       alternative_call(own_ops.fn, x) + alternative_call(hidden_ops.fn, x);
}

void use_hook(void)
{
	// CHECK-DAG: pointer-exported.c:[[@LINE+1]]:15: error: 'alternative_call' pointer 'hook' may bind to a copy in another image
	(void)alternative_call(hook, 2);
}
