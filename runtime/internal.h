/* SPDX-License-Identifier: MIT */
/* Types of the freestanding runtime core: compiler-provided, no headers. */
#ifndef ALTCALL_INTERNAL_H
#define ALTCALL_INTERNAL_H

#include <altcall.h>
#include <altcall/runtime.h>

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __INT32_TYPE__ s32;
typedef __UINT32_TYPE__ u32;
typedef __INT64_TYPE__ s64;
typedef __UINT64_TYPE__ u64;
typedef __UINTPTR_TYPE__ uptr;
/* C23 (GCC 15's default dialect) has bool, true and false as keywords. */
#if !defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L
typedef _Bool bool;
#define true 1
#define false 0
#endif

#endif
