/* SPDX-License-Identifier: MIT */
/*
 * The planner as the runtime links it: plan.c, whose altcall_strerror()
 * names the planner's refusals, with that function renamed
 * altcall_plan_strerror(); the runtime's altcall_strerror() (core.c) adds
 * its own refusals (ALTCALL_ELIVE, ALTCALL_ESEALED) and asks it for the
 * rest.  The altcall-sites inspector links plan.c itself.
 */
#define altcall_strerror altcall_plan_strerror
#include "plan.c"
