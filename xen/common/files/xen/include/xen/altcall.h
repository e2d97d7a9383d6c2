/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_ALTCALL_H
#define XEN_ALTCALL_H

#include <xen/types.h>

/*
 * Apply the altcall plugin's records (common/altcall/platform.c), from
 * nmi_apply_alternatives() with .text writable.  final: the last apply,
 * before init memory is freed, which seals still-NULL pointer sites.
 */
void altcall_xen_apply(bool final);

#endif /* XEN_ALTCALL_H */
