// SPDX-License-Identifier: GPL-2.0
/*
 * altcall boot selftest: two ops objects in init data, in a unit of their
 * own, so that the selftest's pointer sites cannot see where they live
 * (selftest.c says why).
 */
#include <linux/altcall.h>
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/types.h>

#include "selftest_sites.h"

struct selftest_ops selftest_initdata_ops __initdata;
struct selftest_ops selftest_initdata_null __initdata;
