// An empty ("no call") arm, written or left out, is the same site with -g:
// GCC's debug statement markers (-gstatement-frontiers, on with -g from
// -O1) are not statements of the arm.  At every -O level the object with
// -g has exactly the sites, instructions and offsets of the one without,
// and its DWARF verifies.
// RUN: %cc -O0 -g -c %s -o %t.O0g.o && %cc -O0 -c %s -o %t.O0.o
// RUN: %sites %t.O0g.o > %t.O0g && %sites %t.O0.o | diff %t.O0g - && FileCheck %s < %t.O0g
// RUN: %cc -O1 -g -c %s -o %t.O1g.o && %cc -O1 -c %s -o %t.O1.o
// RUN: %sites %t.O1g.o > %t.O1g && %sites %t.O1.o | diff %t.O1g - && FileCheck %s < %t.O1g
// RUN: %cc -O2 -g -c %s -o %t.O2g.o && %cc -O2 -c %s -o %t.O2.o
// RUN: %sites %t.O2g.o > %t.O2g && %sites %t.O2.o | diff %t.O2g - && FileCheck %s < %t.O2g
// RUN: %cc -O3 -g -c %s -o %t.O3g.o && %cc -O3 -c %s -o %t.O3.o
// RUN: %sites %t.O3g.o > %t.O3g && %sites %t.O3.o | diff %t.O3g - && FileCheck %s < %t.O3g
// RUN: %cc -Os -g -c %s -o %t.Osg.o && %cc -Os -c %s -o %t.Os.o
// RUN: %sites %t.Osg.o > %t.Osg && %sites %t.Os.o | diff %t.Osg - && FileCheck %s < %t.Osg
// RUN: llvm-dwarfdump --verify %t.O0g.o %t.O1g.o %t.O2g.o %t.O3g.o %t.Osg.o | FileCheck %s --check-prefix=DWARF
// DWARF-COUNT-5: No errors.
// The instruction itself, with -g, at -O2:
// RUN: %cc -O2 -g -S -o - %s | %asm | FileCheck %s --check-prefix=ASM %{insns}
#include <altcall.h>

void g(int);

#define F ALTCALL_SW_FEATURE(1)
#define F2 ALTCALL_SW_FEATURE(2)

// CHECK: site no_else{{[+0-9a-fx]*}} {{call|jmp|bl|b}} __altcall_nop default=none alt=g feature=sw:1
// ASM-LABEL: no_else:
// ASM: {{^\.L[0-9]+:}}
// ASM-NEXT: {{call|jmp|bl|b}} __altcall_nop[[PLT]]
void no_else(int a)
{
	ALTERNATIVE_IF(F)
		g(a);
	ALTERNATIVE_END
}

// CHECK: site if_not_no_else{{[+0-9a-fx]*}} {{call|jmp|bl|b}} g default=g alt=none feature=sw:1
void if_not_no_else(int a)
{
	ALTERNATIVE_IF_NOT(F)
		g(a);
	ALTERNATIVE_END
}

// CHECK: site empty_if{{[+0-9a-fx]*}} {{call|jmp|bl|b}} g default=g alt=none feature=sw:1
void empty_if(int a)
{
	ALTERNATIVE_IF(F)
	ALTERNATIVE_ELSE
		g(a);
	ALTERNATIVE_END
}

// CHECK: site empty_else{{[+0-9a-fx]*}} {{call|jmp|bl|b}} __altcall_nop default=none alt=g feature=sw:1
// ASM-LABEL: empty_else:
// ASM: {{^\.L[0-9]+:}}
// ASM-NEXT: {{call|jmp|bl|b}} __altcall_nop[[PLT]]
void empty_else(int a)
{
	ALTERNATIVE_IF(F)
		g(a);
	ALTERNATIVE_ELSE
	ALTERNATIVE_END
}

// An empty statement is an empty arm too.
// CHECK: site semicolon{{[+0-9a-fx]*}} {{call|jmp|bl|b}} __altcall_nop default=none alt=g feature=sw:1
void semicolon(int a)
{
	ALTERNATIVE_IF(F)
		g(a);
	ALTERNATIVE_ELSE
		;
	ALTERNATIVE_END
}

// CHECK: site if_not_empty{{[+0-9a-fx]*}} {{call|jmp|bl|b}} __altcall_nop default=none alt=g feature=sw:1
void if_not_empty(int a)
{
	ALTERNATIVE_IF_NOT(F)
	ALTERNATIVE_ELSE
		g(a);
	ALTERNATIVE_END
}

// CHECK: site empty_elif{{[+0-9a-fx]*}} {{call|jmp|bl|b}} g default=g arm1=g if=sw:1 arm2=none if=sw:2
void empty_elif(int a)
{
	ALTERNATIVE_IF(F)
		g(a);
	ALTERNATIVE_ELIF(F2)
	ALTERNATIVE_ELSE
		g(a);
	ALTERNATIVE_END
}
// CHECK: 7 sites
