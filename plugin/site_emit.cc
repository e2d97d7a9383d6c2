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
 * jumps through the pointer: emitted once per pointer and unit, as a local
 * label in section .text.altcall_tramp.  A jump through it keeps every
 * argument register and the stack as the caller left them, so it serves
 * any signature; it honours the unit's indirect-branch mitigations.
 * Any other mention of a placeholder means no direct call was possible
 * (e.g. x86 -mcmodel=large): an error at the site.
 */
#include "altcall-plugin.h"
#include "placeholder.h"

#ifdef ALTCALL_TARGET_AARCH64
#define SECTION_TYPE "%%progbits"
#define FUNCTION_TYPE "%%function"
#define CALL_SUFFIX ""
#else
#define SECTION_TYPE "@progbits"
#define FUNCTION_TYPE "@function"
#define CALL_SUFFIX "@PLT"
#endif

/* Sites emitted in this unit: a unit with none gets no image hooks. */
static unsigned sites_emitted;

/* Trampolines emitted so far in this unit: (pointer base, offset). */
struct trampoline {
	tree base;
	unsigned HOST_WIDE_INT offset;
};
static vec<trampoline> trampolines;

static void print_trampoline_body(FILE *f, const char *slot)
{
#ifdef ALTCALL_TARGET_X86_64
	/* r11: scratch at calls, never an argument (al counts vector args). */
	if (ix86_indirect_branch == indirect_branch_keep) {
		fprintf(f, "\tjmp\t*%s(%%rip)\n\tint3\n", slot);
		return;
	}
	fprintf(f, "\tmovq\t%s(%%rip), %%r11\n", slot);
	if (ix86_indirect_branch == indirect_branch_thunk_extern) {
		/* The cs prefix leaves room for Linux's apply_retpolines() to
		 * write "lfence; jmp *%%r11" over the thunk jump. */
		fprintf(f, "\t%sjmp\t__x86_indirect_thunk_r11\n\tint3\n",
			ix86_indirect_branch_cs_prefix ? "cs " : "");
		return;
	}
	fprintf(f, "\tcall\t1f\n2:\tpause\n\tlfence\n\tjmp\t2b\n"
		"1:\tmovq\t%%r11, (%%rsp)\n\tret\n\tint3\n");
#else
	/* x16: the intra-procedure-call scratch register; br x16 may land on
	 * the callee's "bti c". */
	if (aarch64_cmodel_var == AARCH64_CMODEL_LARGE) {
		fprintf(f, "\tldr\tx16, 1f\n\tldr\tx16, [x16]\n\tbr\tx16\n"
			"\t.p2align\t3\n1:\t.xword\t%s\n", slot);
		return;
	}
	fprintf(f, "\tadrp\tx16, %s\n\tldr\tx16, [x16, #:lo12:%s]\n\tbr\tx16\n",
		slot, slot);
#endif
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
	const char *base = altcall_target_name(info->slot_base);
	char *name = xasprintf("__altcall_tramp.%s." HOST_WIDE_INT_PRINT_UNSIGNED,
			       base, info->slot_offset);

	FOR_EACH_VEC_ELT(trampolines, i, t)
		if (t->base == info->slot_base && t->offset == info->slot_offset)
			break;
	if (i < trampolines.length())
		return ggc_strdup_free(name);

	trampoline added = { info->slot_base, info->slot_offset };
	trampolines.safe_push(added);
	char *slot = xasprintf("%s+" HOST_WIDE_INT_PRINT_UNSIGNED, base,
			       info->slot_offset);
	fprintf(asm_out_file, "\t.pushsection\t.text.altcall_tramp,\"ax\","
		SECTION_TYPE "\n\t.p2align\t2\n\t.type\t%s, " FUNCTION_TYPE
		"\n%s:\n", name, name);
	print_trampoline_body(asm_out_file, slot);
	free(slot);
	fprintf(asm_out_file, "\t.size\t%s, .-%s\n\t.popsection\n", name, name);
	return ggc_strdup_free(name);
}

static void print_target(FILE *f, tree fn)
{
	if (fn)
		fprintf(f, "\t.long\t%s-.\n", altcall_target_name(fn));
	else
		fprintf(f, "\t.long\t0\n");
}

static void print_record(const char *label, const char *tramp,
			 const struct altcall_site_info *info)
{
	FILE *f = asm_out_file;

	fprintf(f, "\t.pushsection\t" ALTCALL_SECTION ",\"aR\"," SECTION_TYPE "\n");
	fprintf(f, "\t.long\t%s-.\n", label);
	if (info->slot_base) {
		fprintf(f, "\t.long\t%s-.\n", tramp);
		fprintf(f, "\t.long\t%s+" HOST_WIDE_INT_PRINT_UNSIGNED "-.\n",
			altcall_target_name(info->slot_base), info->slot_offset);
	} else {
		print_target(f, info->dflt);
		print_target(f, info->alt);
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
 * Under LTO the record (and a trampoline) is a reference the partitioner
 * cannot see: a static target or pointer in another partition is neither
 * promoted nor renamed, and its name could even bind to another unit's
 * static of that name here.  Refuse.
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

/*
 * A record refers to its arms PC-relatively, so each must be a function
 * that exists in the image: not a weak declaration left undefined in this
 * unit (the link fails, or a PIE gets text relocations), and on arm64 not
 * an ifunc (no PC-relative data relocation reaches one).  By the time this
 * pass runs the whole unit is parsed, so "undefined here" is final.
 */
static bool arm_is_linkable(tree fn, location_t insn_loc)
{
	/* At the user's line, not inside altcall.h's macros. */
	location_t loc = linemap_resolve_location(line_table, insn_loc,
						  LRK_MACRO_EXPANSION_POINT, NULL);

	if (!fn)
		return true;
	if (DECL_WEAK(fn) && DECL_EXTERNAL(fn)) {
		error_at(loc, "altcall: %qD is a weak declaration with no "
			 "definition in this unit; a site record cannot refer to "
			 "a function that may not exist: define it (a weak "
			 "definition is fine) or call it through a pointer "
			 "(%<altcall_ptr_call%>)", fn);
		return false;
	}
#ifdef ALTCALL_TARGET_AARCH64
	if (lookup_attribute("ifunc", DECL_ATTRIBUTES(fn))) {
		error_at(loc, "altcall: %qD is a GNU %<ifunc%>, which an arm64 "
			 "site record cannot refer to; use its implementations as "
			 "the arms", fn);
		return false;
	}
#endif
	return true;
}

/* Returns false after an error (the insn is then left alone). */
static bool emit_site(rtx_insn *insn, rtx *target,
		      const struct altcall_site_info *info)
{
	location_t loc = INSN_LOCATION(insn);
	const char *dflt = altcall_target_name(info->dflt);

#ifdef ALTCALL_TARGET_X86_64
	/* The runtime and the inspector know the x86-64 ABI only. */
	if (!TARGET_64BIT || TARGET_X32) {
		error_at(loc, "altcall sites need the x86-64 ABI: the runtime "
			 "cannot patch %<-m32%> or %<-mx32%> code");
		return false;
	}
	if (SIBLING_CALL_P(insn) && altcall_default_binds_locally(info)) {
		error_at(loc, "altcall: the tail call to %qs would be shortened "
			 "by the assembler; please report this and build with "
			 "%<-fno-optimize-sibling-calls%>", dflt);
		return false;
	}
#endif
	if (!arm_is_linkable(info->dflt, loc) || !arm_is_linkable(info->alt, loc))
		return false;
	if (!in_this_partition(info->dflt, loc) ||
	    !in_this_partition(info->alt, loc) ||
	    !in_this_partition(info->slot_base, loc))
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
	char *name = ACONCAT(("*", dflt, info->slot_base ? "" : CALL_SUFFIX, NULL));
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
		       altcall_target_name(info->slot_base), info->slot_offset);
	else if (altcall_verbose)
		inform(loc, "altcall site: %s %s, alternative %s, feature 0x%x",
		       SIBLING_CALL_P(insn) ? "jmp" : "call", dflt,
		       altcall_target_name(info->alt), info->feature);
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

static const pass_data altcall_emit_pass_data = {
	RTL_PASS, "altcall_emit", OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0
};

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
#ifdef ALTCALL_TARGET_AARCH64
#define IMG_TYPE(name) "\t.type\t" name ", %%function\n"
#define IMG_ENTRY "\thint\t34\n"		/* bti c */
#define IMG_ADDR(reg, sym) "\tadrp\t" reg ", " sym "\n\tadd\t" reg ", " reg ", :lo12:" sym "\n"
#define IMG_TAIL(fn) "\tb\t" fn "\n"
#define IMG_RET "\tret\n"
#define IMG_PTR ".xword"
#define IMG_ARRAY_TYPE "%%init_array"
#define IMG_FINI_TYPE "%%fini_array"
#define IMG_PROGBITS "%%progbits"
#define ARG0 "x0"
#define ARG1 "x1"
#define ARG2 "x2"
#else
#define IMG_TYPE(name) "\t.type\t" name ", @function\n"
#define IMG_ENTRY "\tendbr64\n"
#define IMG_ADDR(reg, sym) "\tleaq\t" sym "(%%rip), " reg "\n"
#define IMG_TAIL(fn) "\tjmp\t" fn "@PLT\n"
#define IMG_RET "\tret\n\tint3\n"
#define IMG_PTR ".quad"
#define IMG_ARRAY_TYPE "@init_array"
#define IMG_FINI_TYPE "@fini_array"
#define IMG_PROGBITS "@progbits"
#define ARG0 "%%rdi"
#define ARG1 "%%rsi"
#define ARG2 "%%rdx"
#endif

void altcall_emit_image_hooks(void)
{
	if (!sites_emitted || altcall_no_register)
		return;
	fprintf(asm_out_file,
		"\t.hidden\t__start_" ALTCALL_SECTION "\n"
		"\t.hidden\t__stop_" ALTCALL_SECTION "\n"
		"\t.section\t.text.__altcall_nop,\"axG\"," IMG_PROGBITS
		",__altcall_nop,comdat\n"
		"\t.weak\t__altcall_nop\n\t.hidden\t__altcall_nop\n"
		IMG_TYPE("__altcall_nop") "__altcall_nop:\n" IMG_RET
		"\t.size\t__altcall_nop, .-__altcall_nop\n"
		"\t.section\t.text.__altcall_image_init,\"axG\"," IMG_PROGBITS
		",__altcall_image_init,comdat\n"
		"\t.weak\t__altcall_image_init\n\t.hidden\t__altcall_image_init\n"
		IMG_TYPE("__altcall_image_init") "__altcall_image_init:\n" IMG_ENTRY
		IMG_ADDR(ARG0, "__start_" ALTCALL_SECTION)
		IMG_ADDR(ARG1, "__stop_" ALTCALL_SECTION)
		IMG_ADDR(ARG2, "__altcall_nop")
		IMG_TAIL("__altcall_register_image")
		"\t.size\t__altcall_image_init, .-__altcall_image_init\n"
		"\t.section\t.init_array.00100,\"awG\"," IMG_ARRAY_TYPE
		",__altcall_image_init,comdat\n"
		"\t.p2align\t3\n\t" IMG_PTR "\t__altcall_image_init\n"
		"\t.section\t.text.__altcall_image_fini,\"axG\"," IMG_PROGBITS
		",__altcall_image_fini,comdat\n"
		"\t.weak\t__altcall_image_fini\n\t.hidden\t__altcall_image_fini\n"
		IMG_TYPE("__altcall_image_fini") "__altcall_image_fini:\n" IMG_ENTRY
		IMG_ADDR(ARG0, "__start_" ALTCALL_SECTION)
		IMG_TAIL("__altcall_unregister_image")
		"\t.size\t__altcall_image_fini, .-__altcall_image_fini\n"
		"\t.section\t.fini_array.00100,\"awG\"," IMG_FINI_TYPE
		",__altcall_image_fini,comdat\n"
		"\t.p2align\t3\n\t" IMG_PTR "\t__altcall_image_fini\n"
		"\t.text\n");
}

opt_pass *make_altcall_emit_pass(gcc::context *ctxt)
{
	return new altcall_emit_pass(ctxt);
}
