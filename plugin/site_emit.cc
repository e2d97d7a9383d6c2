/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Emit pass: runs after "shorten", when every call insn is final.
 *
 * For each call insn whose target is a placeholder:
 *   - a NOTE_INSN_DELETED_LABEL is put before it: final prints it as a local
 *     label at the call's address (a real insn cannot be added after shorten);
 *   - the target becomes a fresh SYMBOL_REF for the default ("no call":
 *     the runtime's __altcall_nop).  It has no decl and is marked local so
 *     that the target prints it as written, never as a GOT-indirect call;
 *     on x86 it is written sym@PLT so that gas keeps a jmp in its rel32 form
 *     (see site_notail.cc).  The REG_CALL_DECL note keeps naming the
 *     placeholder, so -fipa-ra records that this function's call clobbers
 *     everything the ABI allows, whatever the site is patched to;
 *   - its record goes to the altcall_sites section (layout: altcall/abi.h).
 * An alternative_call site calls, instead of a default, a trampoline that
 * jumps through the pointer: emitted once per pointer, unit and section, as
 * a local label in section .text.altcall_tramp, or, for a site in a function
 * placed in init text (a section .init.*: the __init of Linux and Xen), in
 * that section, freed with the code that calls it.  A jump through it keeps
 * every argument register and the stack as the caller left them, so it
 * serves any signature; it honours the unit's indirect-branch mitigations.
 * Any other mention of a placeholder means no direct call was possible
 * (e.g. x86 -mcmodel=large): an error at the site.
 */
#include "altcall-plugin.h"
#include "placeholder.h"
#include "altcall-target.h"

/* The runtime's "no call" target. */
#define ALTCALL_NOP_TARGET "__altcall_nop"

/* Sites emitted in this unit: a unit with none gets no image hooks. */
static unsigned sites_emitted;

/*
 * Trampolines emitted so far in this unit: (pointer base, offset, section:
 * NULL for .text.altcall_tramp).  The base is kept as its DECL_UID, not as
 * the decl: a heap vec is no GC root, and a collected decl's address could
 * come back as another decl's, but a uid is never given out twice; the
 * section, a copy of its name.
 */
struct trampoline {
	unsigned base_uid;
	unsigned HOST_WIDE_INT offset;
	char *section;
};
static vec<trampoline> trampolines;

/* Assembler name of fn ready to print, or the "no call" target.  Also
 * names the pointer of an alternative_call site (a VAR_DECL). */
static const char *symbol_name(tree fn)
{
	if (!fn)
		return ALTCALL_NOP_TARGET;
	return targetm.strip_name_encoding(
		IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fn)));
}

static void print_function_start(FILE *f, const char *name)
{
	fprintf(f, "\t.type\t%s, %sfunction\n%s:\n", name,
		altcall_target.type_prefix, name);
}

static void print_function_end(FILE *f, const char *name)
{
	fprintf(f, "\t.size\t%s, .-%s\n", name, name);
}

static const char *ggc_strdup_free(char *s)
{
	const char *copy = ggc_strdup(s);

	free(s);
	return copy;
}

/*
 * Name of the trampoline for the pointer of info, emitted on first use.
 * It is a local function symbol named after its pointer, not a bare label:
 * objtool (x86 Linux) follows calls only to symbols, and makes ORC for and
 * validates only what has a function symbol; kallsyms and backtraces then
 * print "__altcall_tramp.<pointer>.<offset>".
 */
static const char *trampoline_name(const struct altcall_site_info *info)
{
	unsigned i;
	trampoline *t;
	const char *base = symbol_name(info->slot_base);
	const char *section = altcall_trampoline_section();
	char *name;

	FOR_EACH_VEC_ELT(trampolines, i, t)
		if (t->base_uid == DECL_UID(info->slot_base) &&
		    t->offset == info->slot_offset &&
		    (t->section && section ? !strcmp(t->section, section)
					   : t->section == section))
			break;
	/* In init text: the section's name after the offset, characters
	 * other than letters, digits, '_' and '.' as '_', and the
	 * trampoline's index if that made two sections' names alike. */
	if (section) {
		char *tail = xstrdup(section + 1);
		for (char *c = tail; *c; c++)
			if (!ISALNUM(*c) && *c != '_' && *c != '.')
				*c = '_';
		name = strcmp(tail, section + 1)
		       ? xasprintf("__altcall_tramp.%s." HOST_WIDE_INT_PRINT_UNSIGNED
				   ".%s.%u", base, info->slot_offset, tail, i)
		       : xasprintf("__altcall_tramp.%s." HOST_WIDE_INT_PRINT_UNSIGNED
				   ".%s", base, info->slot_offset, tail);
		free(tail);
	} else {
		name = xasprintf("__altcall_tramp.%s." HOST_WIDE_INT_PRINT_UNSIGNED,
				 base, info->slot_offset);
	}
	if (i < trampolines.length())
		return ggc_strdup_free(name);

	trampoline added = { DECL_UID(info->slot_base), info->slot_offset,
			     section ? xstrdup(section) : NULL };
	trampolines.safe_push(added);
	char *slot = xasprintf("%s+" HOST_WIDE_INT_PRINT_UNSIGNED, base,
			       info->slot_offset);
	fprintf(asm_out_file, "\t.pushsection\t%s,\"ax\",%sprogbits\n"
		"\t.p2align\t2\n", section ? section : ".text.altcall_tramp",
		altcall_target.type_prefix);
	print_function_start(asm_out_file, name);
	altcall_target_print_trampoline(asm_out_file, slot);
	free(slot);
	print_function_end(asm_out_file, name);
	fprintf(asm_out_file, "\t.popsection\n");
	return ggc_strdup_free(name);
}

static void print_target(FILE *f, tree fn)
{
	if (fn)
		fprintf(f, "\t.long\t%s-.\n", symbol_name(fn));
	else
		fprintf(f, "\t.long\t0\n");
}

/* The arm table of an ALTCALL_FEATURE_ARMS site (layout: altcall/abi.h),
 * at label <label>.arms. */
static void print_arm_table(const char *label, const struct altcall_site_info *info)
{
	FILE *f = asm_out_file;

	fprintf(f, "\t.pushsection\t" ALTCALL_ARMS_SECTION ",\"a\",%sprogbits\n",
		altcall_target.type_prefix);
	fprintf(f, "%s.arms:\n\t.byte\t%u\n", label, info->narms);
	for (unsigned a = 0; a < info->narms; a++) {
		const struct altcall_arm_info *arm = &info->arm[a];

		print_target(f, arm->fn);
		fprintf(f, "\t.byte\t%u\n\t.short\t", arm->nfeatures);
		for (unsigned i = 0; i < arm->nfeatures; i++)
			fprintf(f, "%s%#x", i ? ", " : "", arm->feature[i]);
		fputc('\n', f);
	}
	fprintf(f, "\t.popsection\n");
}

static void print_record(const char *label, const char *tramp,
			 const struct altcall_site_info *info)
{
	FILE *f = asm_out_file;

	if (info->feature == ALTCALL_FEATURE_ARMS)
		print_arm_table(label, info);
	fprintf(f, "\t.pushsection\t" ALTCALL_SECTION ",\"aR\",%sprogbits\n",
		altcall_target.type_prefix);
	fprintf(f, "\t.long\t%s-.\n", label);
	if (info->slot_base) {
		fprintf(f, "\t.long\t%s-.\n", tramp);
		fprintf(f, "\t.long\t%s+" HOST_WIDE_INT_PRINT_UNSIGNED "-.\n",
			symbol_name(info->slot_base), info->slot_offset);
	} else if (info->feature == ALTCALL_FEATURE_ARMS) {
		print_target(f, info->dflt);
		fprintf(f, "\t.long\t%s.arms-.\n", label);
	} else {
		print_target(f, info->dflt);
		print_target(f, info->arm[0].fn);
	}
	fprintf(f, "\t.short\t%#x\n\t.popsection\n", info->feature);
}

static rtx *direct_call_target(rtx_insn *insn)
{
	rtx call = get_call_rtx_from(insn);

	if (!call || !MEM_P(XEXP(call, 0)))
		return NULL;
	rtx *target = &XEXP(XEXP(call, 0), 0);
	return SYMBOL_REF_P(*target) ? target : NULL;
}

/*
 * Under LTO the record is a reference the partitioner cannot see: a static
 * target in another partition is neither promoted nor renamed, and its
 * name could even bind to another unit's static of that name here.
 * Refuse.  (An alternative_call pointer has a real reference until
 * expansion, site_slotref.cc: it is promoted like any other; the check
 * stays for it as a guard.)
 */
static bool in_this_partition(tree decl, location_t loc)
{
	if (!in_lto_p || !decl || TREE_PUBLIC(decl))
		return true;
	symtab_node *node = symtab_node::get(decl);
	if (node && node->definition && !node->in_other_partition)
		return true;
	error_at(loc, "altcall: with %<-flto%>, the static %qD ended up in "
		 "another LTO partition; link with %<-flto-partition=one%> or "
		 "give %qD external linkage", decl, decl);
	return false;
}

/* "new if 0x1, mid if 0x2+0x3" for a verbose note (GC-allocated). */
static const char *describe_arms(const struct altcall_site_info *info)
{
	char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (unsigned a = 0; a < info->narms && len < sizeof(buf); a++) {
		const struct altcall_arm_info *arm = &info->arm[a];

		len += snprintf(buf + len, sizeof(buf) - len, "%s%s if ",
				a ? ", " : "", symbol_name(arm->fn));
		for (unsigned i = 0; i < arm->nfeatures && len < sizeof(buf); i++)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%#x",
					i ? "+" : "", arm->feature[i]);
	}
	return ggc_strdup(buf);
}

/* Returns false after an error (the insn is then left alone). */
static bool emit_site(rtx_insn *insn, rtx *target,
		      const struct altcall_site_info *info)
{
	location_t loc = INSN_LOCATION(insn);
	const char *dflt = symbol_name(info->dflt);

	if (!altcall_target_abi_ok(loc))
		return false;
	/* site_notail.cc should have made it a call. */
	if (altcall_target.shortens_jumps && SIBLING_CALL_P(insn) &&
	    altcall_default_binds_locally(info)) {
		error_at(loc, "altcall: the tail call to %qs would be shortened "
			 "by the assembler; please report this and build with "
			 "%<-fno-optimize-sibling-calls%>", dflt);
		return false;
	}
	/* Whether each target can be linked at all was checked for the
	 * unit as written (altcall_check_arm_targets). */
	if (!in_this_partition(info->dflt, loc) ||
	    !in_this_partition(info->slot_base, loc))
		return false;
	for (unsigned a = 0; a < info->narms; a++)
		if (!in_this_partition(info->arm[a].fn, loc))
			return false;
	rtx label_no = gen_label_rtx();
	rtx_note *note = emit_note_before(NOTE_INSN_DELETED, insn);
	NOTE_KIND(note) = NOTE_INSN_DELETED_LABEL;
	CODE_LABEL_NUMBER(note) = CODE_LABEL_NUMBER(label_no);
	char label[32];
	ASM_GENERATE_INTERNAL_LABEL(label, "L", CODE_LABEL_NUMBER(label_no));

	const char *tramp = NULL;
	if (info->slot_base) {
		tramp = trampoline_name(info);
		dflt = tramp;
	}
	/* A trampoline is in another section: gas cannot shorten a jump to it. */
	char *name = ACONCAT(("*", dflt,
			      info->slot_base ? "" : altcall_target.call_suffix,
			      NULL));
	rtx sym = gen_rtx_SYMBOL_REF(Pmode, ggc_strdup(name));
	SYMBOL_REF_FLAGS(sym) = SYMBOL_FLAG_LOCAL | SYMBOL_FLAG_FUNCTION;
	*target = sym;
	/* final would otherwise print the operands shorten cached. */
	recog_data.insn = NULL;

	print_record(label + (label[0] == '*'), tramp, info);
	sites_emitted++;

	if (altcall_verbose && info->slot_base)
		inform(loc, "altcall site: %s through pointer %s+%wu",
		       SIBLING_CALL_P(insn) ? "jmp" : "call",
		       symbol_name(info->slot_base), info->slot_offset);
	else if (altcall_verbose && info->feature != ALTCALL_FEATURE_ARMS)
		inform(loc, "altcall site: %s %s, alternative %s, feature 0x%x",
		       SIBLING_CALL_P(insn) ? "jmp" : "call", dflt,
		       symbol_name(info->arm[0].fn), info->feature);
	else if (altcall_verbose)
		inform_n(loc, info->narms, "altcall site: %s %s, %u alternative: %s",
			 "altcall site: %s %s, %u alternatives: %s",
			 SIBLING_CALL_P(insn) ? "jmp" : "call", dflt, info->narms,
			 describe_arms(info));
	return true;
}

static void reject_indirect_uses(rtx_insn *insn)
{
	subrtx_iterator::array_type array;
	struct altcall_site_info info;

	FOR_EACH_SUBRTX(iter, array, PATTERN(insn), ALL) {
		const_rtx x = *iter;
		if (SYMBOL_REF_P(x) &&
		    altcall_placeholder_p(SYMBOL_REF_DECL(x), &info)) {
			error_at(INSN_LOCATION(insn), "altcall site cannot be a "
				 "direct call here; a site must be one direct call "
				 "(not available with %<-mcmodel=large%> or "
				 "%<-mforce-indirect-call%>)");
			return;
		}
	}
}

static const pass_data altcall_emit_pass_data =
	altcall_pass_data(RTL_PASS, "altcall_emit", 0);

class altcall_emit_pass : public rtl_opt_pass {
public:
	altcall_emit_pass(gcc::context *ctxt)
		: rtl_opt_pass(altcall_emit_pass_data, ctxt) {}

	/* A unit without sites pays nothing for the insn walk. */
	bool gate(function *) final override
	{
		return altcall_unit_has_sites();
	}

	unsigned int execute(function *) final override
	{
		struct altcall_site_info info;

		for (rtx_insn *insn = get_insns(); insn; insn = NEXT_INSN(insn)) {
			if (!INSN_P(insn))
				continue;
			rtx *target = CALL_P(insn) ? direct_call_target(insn) : NULL;
			if (target &&
			    altcall_placeholder_p(SYMBOL_REF_DECL(*target), &info)) {
				if (!emit_site(insn, target, &info))
					continue;
			}
			reject_indirect_uses(insn);
		}
		return 0;
	}
};

/*
 * Every image (executable, shared object) with sites registers its records
 * with the process's one runtime when it is loaded and forgets them when it
 * is unloaded, with no call from the user, and has its own "no call"
 * target.  A unit with sites emits that, in COMDAT groups so an image keeps
 * one copy: __altcall_nop (weak: the runtime's own wins where it is linked
 * in), and an init/fini pair at priority 100 (before the image's own
 * constructors) that passes __start/__stop_altcall_sites and __altcall_nop
 * to __altcall_register_image / __altcall_unregister_image.  The entry
 * points carry endbr64 / bti c: .init_array calls them indirectly.
 * -fplugin-arg-altcall-no-register leaves them out (a kernel walks its
 * records itself).
 */

/* A hidden weak function in a COMDAT group of its own name. */
static void print_comdat_function_start(FILE *f, const char *name)
{
	fprintf(f, "\t.section\t.text.%s,\"axG\",%sprogbits,%s,comdat\n"
		"\t.weak\t%s\n\t.hidden\t%s\n", name, altcall_target.type_prefix,
		name, name, name);
	print_function_start(f, name);
}

/* An init or fini entry point: tail-calls callee with the addresses of the
 * first nargs of __start_altcall_sites, __stop_altcall_sites and the "no
 * call" target. */
static void print_image_hook(FILE *f, const char *name, const char *callee,
			     unsigned nargs)
{
	static const char *const args[] = {
		"__start_" ALTCALL_SECTION, "__stop_" ALTCALL_SECTION,
		ALTCALL_NOP_TARGET
	};

	print_comdat_function_start(f, name);
	fputs(altcall_target.indirect_entry, f);
	for (unsigned i = 0; i < nargs; i++)
		altcall_target_print_arg_address(f, i, args[i]);
	fprintf(f, "\t%s\t%s%s\n", altcall_target.jump, callee,
		altcall_target.call_suffix);
	print_function_end(f, name);
}

/* array (init_array, fini_array) calls fn, in fn's COMDAT group. */
static void print_image_hook_entry(FILE *f, const char *array, const char *fn)
{
	fprintf(f, "\t.section\t.%s.00100,\"awG\",%s%s,%s,comdat\n"
		"\t.p2align\t3\n\t%s\t%s\n", array, altcall_target.type_prefix,
		array, fn, altcall_target.pointer, fn);
}

void altcall_emit_image_hooks(void)
{
	FILE *f = asm_out_file;

	if (!sites_emitted || altcall_no_register)
		return;
	fprintf(f, "\t.hidden\t__start_" ALTCALL_SECTION "\n"
		"\t.hidden\t__stop_" ALTCALL_SECTION "\n");
	print_comdat_function_start(f, ALTCALL_NOP_TARGET);
	fputs(altcall_target.ret, f);
	print_function_end(f, ALTCALL_NOP_TARGET);
	print_image_hook(f, "__altcall_image_init", "__altcall_register_image", 3);
	print_image_hook_entry(f, "init_array", "__altcall_image_init");
	print_image_hook(f, "__altcall_image_fini", "__altcall_unregister_image",
			 1);
	print_image_hook_entry(f, "fini_array", "__altcall_image_fini");
	fputs("\t.text\n", f);
}

opt_pass *make_altcall_emit_pass(gcc::context *ctxt)
{
	return new altcall_emit_pass(ctxt);
}
