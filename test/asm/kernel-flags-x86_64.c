// Kernel-style code generation: every site is one E8/E9 rel32 at its
// record, under -mcmodel=kernel -mno-red-zone and the mitigation flags.
// RUN: %cc -O2 -fno-pic -mcmodel=kernel -mno-red-zone -ffreestanding -c %s -o %t.kernel.o && %sites %t.kernel.o | FileCheck %s
// RUN: %cc -O2 -fno-pic -mcmodel=kernel -mno-red-zone -mindirect-branch=thunk-extern -mfunction-return=thunk-extern -fcf-protection=full -c %s -o %t.mitig.o && %sites %t.mitig.o | FileCheck %s
// RUN: %cc -O2 -fPIC -fno-plt -c %s -o %t.pic.o && %sites %t.pic.o | FileCheck %s
// RUN: %cc -Os -fPIE -g -c %s -o %t.pie.o && %sites %t.pie.o | FileCheck %s
// RUN: %cc -O0 -fno-pic -mcmodel=kernel -mno-red-zone -c %s -o %t.O0.o && %sites %t.O0.o | FileCheck %s --check-prefix=O0
// REQUIRES: x86_64
#include <altcall.h>

void memcpy_erms(void *, const void *, unsigned long);
void memcpy_generic(void *, const void *, unsigned long);
int csum_fast(const void *, int);
int csum_slow(const void *, int);

// CHECK: site copy_page+0x{{[0-9a-f]+}} {{call|jmp}} memcpy_generic default=memcpy_generic alt=memcpy_erms feature=cpu:ERMS
// O0: site copy_page+0x{{[0-9a-f]+}} call memcpy_generic default=memcpy_generic alt=memcpy_erms feature=cpu:ERMS
void copy_page(void *d, const void *s)
{
	ALTERNATIVE_IF(ALTCALL_CPU_ERMS)
		memcpy_erms(d, s, 4096);
	ALTERNATIVE_ELSE
		memcpy_generic(d, s, 4096);
	ALTERNATIVE_END
}

// A tail call to a global default stays a 5-byte jmp.
// CHECK: site csum{{(\+0x[0-9a-f]+)?}} jmp csum_slow default=csum_slow alt=csum_fast feature=sw:2
// O0: site csum+0x{{[0-9a-f]+}} call csum_slow default=csum_slow alt=csum_fast feature=sw:2
int csum(const void *p, int n)
{
	ALTERNATIVE_IF(ALTCALL_SW_FEATURE(2))
		return csum_fast(p, n);
	ALTERNATIVE_ELSE
		return csum_slow(p, n);
	ALTERNATIVE_END
}
// CHECK: 2 sites
// O0: 2 sites
