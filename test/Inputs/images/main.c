/* A program with sites of its own, two libraries with sites, and a plugin
 * loaded after the first apply, unloaded and loaded again: one apply, one
 * feature state, every image follows it. */
#include <altcall.h>
#include <dlfcn.h>
#include <stdio.h>

const char *which_a(void);
const char *which_b(void);
int notes_a(void);

static __attribute__((noinline)) const char *legacy(void) { return "main:legacy"; }
static __attribute__((noinline)) const char *modern(void) { return "main:modern"; }

static const char *which_main(void)
{
	return ALTERNATIVE_CALL(ALTCALL_SW_FEATURE(4), modern, legacy)();
}

static void show(const char *when)
{
	const char *m = which_main(), *a = which_a(), *b = which_b();

	printf("%s: %s %s %s notes=%d\n", when, m, a, b, notes_a());
}

static const char *load_plugin(const char *path, void **handle)
{
	const char *(*which)(void);

	*handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!*handle)
		return dlerror();
	which = (const char *(*)(void))dlsym(*handle, "which_plugin");
	return which ? which() : "no which_plugin";
}

int main(int argc, char **argv)
{
	struct altcall_report r;
	void *plugin;
	int ret;

	(void)argc;
	show("before");
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 1);
	altcall_set_feature(ALTCALL_SW_FEATURE(3), 1);
	altcall_set_feature(ALTCALL_SW_FEATURE(4), 1);
	ret = altcall_apply();
	altcall_get_report(&r);
	printf("apply: %s, %u refused\n", ret >= 0 ? "ok" : altcall_strerror(ret), r.refused);
	printf("apply: %u sites, %u patched\n", r.sites, r.patched);
	show("after");

	/* A change after the apply does not reach an image loaded later. */
	altcall_set_feature(ALTCALL_SW_FEATURE(3), 0);
	printf("plugin loaded after apply: %s\n", load_plugin(argv[1], &plugin));
	dlclose(plugin);
	printf("plugin loaded again: %s\n", load_plugin(argv[1], &plugin));

	/* The next apply switches every image, the plugin included. */
	altcall_set_feature(ALTCALL_SW_FEATURE(1), 0);
	altcall_set_feature(ALTCALL_SW_FEATURE(2), 1);
	ret = altcall_apply();
	printf("apply again: %s\n", ret >= 0 ? "ok" : altcall_strerror(ret));
	show("after again");
	printf("plugin: %s\n", ((const char *(*)(void))dlsym(plugin, "which_plugin"))());
	dlclose(plugin);
	return 0;
}
