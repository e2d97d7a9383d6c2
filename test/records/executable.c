// The inspector reads linked executables and shared objects: the bytes at
// each site, the record, and what altcall_apply() would choose.
// RUN: %cc -O2 -fPIE -pie %s %rt -o %t.pie
// RUN: %sites %t.pie | FileCheck %s
// RUN: %sites --features=sw:3 %t.pie | FileCheck %s --check-prefix=CHOSEN
// RUN: %sites --json --features=sw:3 %t.pie | FileCheck %s --check-prefix=JSON
// RUN: %cc -O2 -fno-pie -no-pie %s %rt -o %t.nopie && %sites %t.nopie | FileCheck %s
// RUN: %cc -O2 -fPIC -fvisibility=hidden -shared -DLIB %s -o %t.so && %sites %t.so | FileCheck %s
// RUN: not %sites %s 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not %sites --frobnicate %t.pie 2>&1 | FileCheck %s --check-prefix=USAGE
#include <altcall.h>

#ifdef __x86_64__
#define CPU_FEATURE ALTCALL_CPU_AVX512F
#else
#define CPU_FEATURE ALTCALL_CPU_SVE2
#endif

__attribute__((noinline)) void scalar(int *p) { *p = 1; }
__attribute__((noinline)) void vector(int *p) { *p = 2; }
__attribute__((noinline)) void trace(int *p) { *p += 10; }

// CHECK: site run_kernel+0x{{[0-9a-f]+}} {{call|bl}} scalar default=scalar alt=vector feature=sw:3
// CHOSEN: site run_kernel+0x{{[0-9a-f]+}} {{call|bl}} scalar default=scalar alt=vector feature=sw:3 chosen=vector
__attribute__((noinline)) void run_kernel(int *p)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(3))
		vector(p);
	ALTERNATIVE_ELSE
		scalar(p);
	ALTERNATIVE_END
	// CHECK: site run_kernel+0x{{[0-9a-f]+}} {{call|jmp|bl|b}} __altcall_nop default=none alt=trace feature=cpu:{{AVX512F|SVE2}}
	// CHOSEN: site run_kernel+0x{{[0-9a-f]+}} {{call|jmp|bl|b}} __altcall_nop default=none alt=trace feature=cpu:{{AVX512F|SVE2}} chosen=none
	ALTERNATIVE_IF(CPU_FEATURE)
		trace(p);
	ALTERNATIVE_END
}
// CHECK: 2 sites
// JSON: [
// JSON-NEXT: {"site": "run_kernel+0x{{[0-9a-f]+}}", "insn": "{{call|bl}}", "target": "scalar", "default": "scalar", "alt": "vector", "feature": "sw:3", "conflict": false, "chosen": "vector"},
// JSON-NEXT: {"site": "run_kernel+0x{{[0-9a-f]+}}", "insn": "{{call|jmp|bl|b}}", "target": "__altcall_nop", "default": "none", "alt": "trace", "feature": "cpu:{{AVX512F|SVE2}}", "conflict": false, "chosen": "none"}
// JSON-NEXT: ]
// BAD: altcall-sites: {{.*}}executable.c: {{.*}}
// USAGE: altcall-sites: unrecognized option '--frobnicate'
// USAGE-NEXT: Try 'altcall-sites --help' for more information.

/* The library links no runtime: the plugin gives every image with sites
 * its own __altcall_nop. */
#ifndef LIB
int main(void)
{
	int v = 0;
	run_kernel(&v);
	return v != 1;
}
#endif
