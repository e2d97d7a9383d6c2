/* Applies held back as a whole (no live writes, sealed) change nothing:
 * sites with and without the plugin keep their arms, and so does an
 * image loaded after the seal. */
#define _GNU_SOURCE
#include "sites.h"
#include <altcall/runtime.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int wake[2];

static void *sleeper(void *arg)
{
	char c;

	(void)arg;
	return read(wake[0], &c, 1) < 0 ? NULL : NULL;
}

static void show(const char *when, int ret)
{
	char a[5];

	arms(a);
	printf("%s: %s, arms %s\n", when, ret < 0 ? altcall_strerror(ret) : "ok", a);
}

int main(int argc, char **argv)
{
	void (*lib_arms)(char out[5]);
	pthread_t t;
	void *lib;
	char a[5];

	(void)argc;
	setvbuf(stdout, NULL, _IONBF, 0);
	show("before", 0);

	/* Another thread runs, and its CPU cannot be made to serialise:
	 * the first apply is refused whole. */
	if (pipe(wake) || pthread_create(&t, NULL, sleeper, NULL))
		return 1;
	__altcall_test_live_mode(1);
	altcall_set_feature(F1, 1);
	show("no sync-core", altcall_apply());
	__altcall_test_live_mode(0);
	show("live", altcall_apply());
	altcall_set_feature(F2, 1);
	__altcall_test_live_mode(1);
	show("no sync-core again", altcall_apply());
	__altcall_test_live_mode(0);
	if (write(wake[1], "x", 1) != 1 || pthread_join(t, NULL))
		return 1;

	/* Sealed with F1 alone: a change of the state is refused. */
	altcall_set_feature(F2, 0);
	altcall_seal();
	show("sealed, same", altcall_apply());
	altcall_set_feature(F2, 1);
	show("sealed, F2", altcall_apply());
	altcall_set_feature(F2, 0);
	altcall_set_feature(F1, 0);
	show("sealed, none", altcall_apply());

	/* A library loaded now gets the sealed state, not the current one. */
	lib = dlopen(argv[1], RTLD_NOW);
	if (!lib || !(lib_arms = (void (*)(char *))dlsym(lib, "lib_arms"))) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	lib_arms(a);
	printf("library loaded after the seal: arms %s\n", a);
	return 0;
}
