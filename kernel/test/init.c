// SPDX-License-Identifier: MIT
/*
 * /init of the altcall kernel test: load the selftest module, unload it,
 * load it again (reload=1: its re-apply checks, see the module), say so,
 * and power off.  No libc: raw system calls, so one source serves both arches.
 */
#if defined(__x86_64__)
#define SYS_write 1
#define SYS_open 2
#define SYS_reboot 169
#define SYS_finit_module 313
#define SYS_delete_module 176
static long syscall3(long n, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}
#define SYS_OPEN(path) syscall3(SYS_open, (long)(path), 0, 0)
#elif defined(__aarch64__)
#define SYS_write 64
#define SYS_openat 56
#define SYS_reboot 142
#define SYS_finit_module 273
#define SYS_delete_module 106
static long syscall3(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}
#define SYS_OPEN(path) syscall3(SYS_openat, -100 /* AT_FDCWD */, (long)(path), 0)
#endif

static unsigned long length(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	syscall3(SYS_write, 1, (long)s, (long)length(s));
}

static int load(const char *params)
{
	long fd = SYS_OPEN("/altcall_selftest_module.ko");

	return fd >= 0 && syscall3(SYS_finit_module, fd, (long)params, 0) == 0;
}

void _start(void)
{
	if (!load(""))
		say("altcall-init: module load FAILED\n");
	else if (syscall3(SYS_delete_module, (long)"altcall_selftest_module",
			  04000 /* O_NONBLOCK */, 0) != 0)
		say("altcall-init: module unload FAILED\n");
	else if (!load("reload=1"))
		say("altcall-init: module reload FAILED\n");
	else
		say("altcall-init: module loaded, unloaded and loaded again\n");
	say("altcall-init: reached user space\n");
	/* LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_POWER_OFF */
	syscall3(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc);
	for (;;)
		;
}
