/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The only file of the plugin that includes GCC's headers, and the only
 * place that knows how the GCC versions it supports differ (as Linux's
 * scripts/gcc-plugins/gcc-common.h).  A plugin is compiled against the
 * plugin headers of the one compiler that will load it, so a difference is
 * settled here at compile time; plugin_init refuses any other compiler.
 *
 * Changes of GCC 13 to 16 that need no code here: g++-16 defaults to
 * C++20, and the plugin is C++17 code (plugin/meson.build passes
 * -std=gnu++17); GCC 16 dropped -fdiagnostics-format=json, which the plugin
 * never relied on (its diagnostics are error_at/inform, in whatever format
 * the user chose); GCC 15 compiles C23 by default, which changes what users'
 * code means ('void f();' is a prototype, bool is a keyword), not what the
 * plugin sees in GIMPLE and RTL.
 */
#ifndef ALTCALL_GCC_COMMON_H
#define ALTCALL_GCC_COMMON_H

#include "gcc-plugin.h"
/* gcc_version, the compiler these headers are from, is a static in every
 * file that includes plugin-version.h; only plugin_init uses it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"
#include "plugin-version.h"
#pragma GCC diagnostic pop

/* Internals the plugin relies on (tree codes, pass names, the RTL of
 * calls, the C front end's decl flags) are checked against these only. */
#if GCCPLUGIN_VERSION_MAJOR < 11 || GCCPLUGIN_VERSION_MAJOR > 16
#error "altcall: these GCC plugin headers are of an unsupported GCC; the plugin supports GCC 11 to 16"
#endif

#include "tm.h"
#include "target.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "rtl.h"
#include "memmodel.h"
#include "emit-rtl.h"
#include "insn-config.h"
#include "recog.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "gimplify.h"
#include "tree-ssa-operands.h"
#include "gimple-ssa.h"
#include "diagnostic.h"
#include "stringpool.h"
#include "attribs.h"
#include "fold-const.h"
#include "tree-iterator.h"
#include "output.h"
#include "varasm.h"
#include "langhooks.h"
#include "cgraph.h"
#include "rtl-iter.h"
#include "tree-nested.h"
#include "opts.h"
#include "toplev.h"

#if GCCPLUGIN_VERSION_MAJOR < 12
/* system.h has it from GCC 12 on. */
static inline bool startswith(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}
#endif

/* The text of a line of a source file, from the diagnostics' file cache.
 * GCC 14 made the cache a member of the diagnostic context (no more global
 * location_get_source_line); GCC 16 moved it, with char_span, into
 * namespace diagnostics (diagnostics/file-cache.h). */
#if GCCPLUGIN_VERSION_MAJOR >= 16
#include "diagnostics/file-cache.h"
using diagnostics::char_span;
#endif
static inline char_span altcall_source_line(const char *file, int line)
{
#if GCCPLUGIN_VERSION_MAJOR >= 14
	return global_dc->get_file_cache().get_source_line(file, line);
#else
	return location_get_source_line(file, line);
#endif
}

/* The C front end's C_DECL_IMPLICIT (c-tree.h): a function declared by
 * calling it without a declaration. */
#define ALTCALL_C_DECL_IMPLICIT(decl) DECL_LANG_FLAG_2(decl)

#endif
