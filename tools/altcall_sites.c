// SPDX-License-Identifier: MIT
/*
 * altcall-sites: print the altcall site records of an ELF file.
 *
 * Reads the ALTCALL_SECTION records (layout: altcall/abi.h) of an x86-64 or
 * AArch64 relocatable object, executable or shared object, decodes the
 * instruction at each site, names every address with the symbol table and,
 * with --apply, says what altcall_apply() would do to each site.
 *
 * Three layers, as objtool has them: elf.c reads the file (libelf),
 * sites.c turns records into sites with the runtime's own codec, record
 * accessors and planner, and this file is the command line and the output
 * (text or JSON).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sites.h"
#include "util.h"

/* ---- output ------------------------------------------------------------ */

struct output {
	bool json;
	bool apply;		/* --apply: print what apply would do */
	const struct feature_set *enabled;
	size_t count;
};

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_field(const char *key, const char *value, bool last)
{
	printf("\"%s\": ", key);
	json_string(value);
	fputs(last ? "" : ", ", stdout);
}

static const char *const apply_actions[] = {
	[APPLY_UNKNOWN] = "unknown",
	[APPLY_PATCH] = "patch",
	[APPLY_KEEP] = "keep",
	[APPLY_REFUSE] = "refuse",
};

/* An ARMS site's arms: " arm1=T if=F+G arm2=..." or " arms=bad(WHY)". */
static void print_arms_text(const struct site *t)
{
	if (t->arms_error) {
		printf(" arms=bad(%s)", t->arms_error);
		return;
	}
	for (unsigned i = 0; i < t->n_arms; i++)
		printf(" arm%u=%s if=%s", i + 1, t->arms[i].target, t->arms[i].cond);
}

static void print_arms_json(const struct site *t)
{
	if (t->arms_error) {
		json_field("arms_error", t->arms_error, false);
		return;
	}
	fputs("\"arms\": [", stdout);
	for (unsigned i = 0; i < t->n_arms; i++) {
		const char *cond = t->arms[i].cond, *plus;

		fputs(i ? ", {" : "{", stdout);
		json_field("target", t->arms[i].target, false);
		fputs("\"if\": [", stdout);
		/* The condition's features, one string each. */
		for (unsigned j = 0; j < t->arms[i].k; j++, cond = plus + 1) {
			plus = strchr(cond, '+');
			if (!plus)
				plus = cond + strlen(cond);
			printf(j ? ", \"%.*s\"" : "\"%.*s\"", (int)(plus - cond), cond);
		}
		fputs("]}", stdout);
	}
	fputs("], ", stdout);
}

static void print_site(struct output *o, unsigned machine, const struct site *t)
{
	bool arms = altcall_feature_is_arms_site(t->word);
	const char *chosen = NULL;
	unsigned arm = 0;

	if (o->enabled->given && arms && !t->arms_error) {
		arm = site_choice(t, machine, o->enabled);
		chosen = arm ? t->arms[arm - 1].target : t->dflt;
	} else if (o->enabled->given && !arms) {
		chosen = altcall_feature_is_pointer_site(t->word) ||
			 feature_set_has(o->enabled, machine, t->word) ? t->alt : t->dflt;
	}

	if (t->conflict)
		chosen = NULL;		/* apply refuses the site */
	if (!o->json) {
		if (arms) {
			printf("site %s %s %s default=%s", t->site, t->insn, t->target, t->dflt);
			print_arms_text(t);
		} else {
			printf("site %s %s %s default=%s alt=%s feature=%s",
			       t->site, t->insn, t->target, t->dflt, t->alt, t->feature);
		}
		if (chosen && arms && arm)
			printf(" chosen=arm%u:%s", arm, chosen);
		else if (chosen && arms)
			printf(" chosen=default:%s", chosen);
		else if (chosen)
			printf(" chosen=%s", chosen);
		if (t->conflict)
			printf(" conflict: another record of this site disagrees; "
			       "altcall_apply() refuses them all");
		if (o->apply)
			printf(t->why ? " apply: %s (%s)" : " apply: %s",
			       apply_actions[t->apply], t->why);
		putchar('\n');
		o->count++;
		return;
	}
	fputs(o->count ? ",\n  {" : "[\n  {", stdout);
	json_field("site", t->site, false);
	json_field("insn", t->insn, false);
	json_field("target", t->target, false);
	json_field("default", t->dflt, false);
	if (arms)
		print_arms_json(t);
	else
		json_field("alt", t->alt, false);
	json_field("feature", t->feature, false);
	printf("\"conflict\": %s", t->conflict ? "true" : "false");
	if (chosen) {
		fputs(", ", stdout);
		json_field("chosen", chosen, !arms);
		if (arms)
			printf("\"chosen_arm\": %u", arm);
	}
	if (o->apply) {
		printf(", \"apply\": {");
		json_field("action", apply_actions[t->apply], !t->why);
		if (t->why)
			json_field("reason", t->why, true);
		putchar('}');
	}
	putchar('}');
	o->count++;
}

static void print_end(const struct output *o)
{
	if (!o->json)
		printf("%zu sites\n", o->count);
	else if (o->count)
		fputs("\n]\n", stdout);
	else
		fputs("[]\n", stdout);
}

/* ---- main -------------------------------------------------------------- */

static int list_sites(const char *path, struct output *o)
{
	struct elf_file f;
	struct site_list sites = { 0 };
	int ret = -1;

	if (open_elf(&f, path) || sites_read(&f, &sites))
		goto out;
	if (o->apply)
		sites_plan(&f, &sites, o->enabled);
	for (size_t i = 0; i < sites.n; i++)
		print_site(o, sites.machine, &sites.v[i]);
	print_end(o);
	ret = 0;
out:
	sites_free(&sites);
	close_elf(&f);
	return ret;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: " PROG " [OPTION]... FILE\n"
		"Print the altcall site records (section " ALTCALL_SECTION ") of an x86-64 or\n"
		"AArch64 ELF object, executable or shared object, one line per site:\n"
		"  site SITE INSN TARGET default=SYM alt=SYM feature=FEATURE [chosen=SYM]\n"
		"       [conflict: ...] [apply: ACTION [(REASON)]]\n"
		"or, for a site with an arm table (ALTERNATIVE_ELIF, ALTCALL_ALL):\n"
		"  site SITE INSN TARGET default=SYM arm1=SYM if=F[+F...] arm2=...\n"
		"       [chosen=armN:SYM|chosen=default:SYM] [conflict: ...] [apply: ...]\n"
		"followed by a line 'N sites'.  A site whose records disagree (linker\n"
		"code folding) is flagged 'conflict' on each of them: altcall_apply()\n"
		"refuses them all.\n"
		"\n"
		"      --apply          add the column apply: what altcall_apply() would do\n"
		"                       to the site, for the features of --features (none\n"
		"                       by default), decided by the runtime's own planner:\n"
		"                       patch, keep (already as chosen), refuse (REASON) or\n"
		"                       unknown (WHY): a function pointer's value, or any\n"
		"                       site of an object that passes the record checks,\n"
		"                       is known only later\n"
		"      --features=LIST  treat the features in LIST as present and add the\n"
		"                       column chosen= (the target the runtime would pick:\n"
		"                       of an N-way site, the first arm whose features\n"
		"                       are all in LIST, else the default);\n"
		"                       LIST is comma-separated sw:N, cpu:NAME or a feature\n"
		"                       word (0x8e25 or decimal)\n"
		"      --json           print a JSON array of objects instead\n"
		"  -h, --help           print this help and exit\n"
		"\n"
		"Exit status: 0 on success, 1 if FILE cannot be read or is malformed,\n"
		"2 on bad usage.\n");
}

static int bad_usage(void)
{
	fprintf(stderr, "Try '" PROG " --help' for more information.\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum { OPT_FEATURES = 256, OPT_JSON, OPT_APPLY };
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, OPT_APPLY },
		{ "features", required_argument, NULL, OPT_FEATURES },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct feature_set enabled = { 0 };
	struct output o = { .enabled = &enabled };
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_APPLY:
			o.apply = true;
			break;
		case OPT_FEATURES:
			if (!feature_set_parse(&enabled, optarg))
				return bad_usage();
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_usage();
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, PROG ": %s\n", optind < argc ? "expected one FILE" :
							     "missing FILE");
		return bad_usage();
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, PROG ": libelf: %s\n", elf_errmsg(-1));
		return 1;
	}
	ret = list_sites(argv[optind], &o) ? 1 : 0;
	feature_set_free(&enabled);
	return ret;
}
