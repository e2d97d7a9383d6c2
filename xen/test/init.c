// SPDX-License-Identifier: MIT
/*
 * /init of the altcall Xen test, run by the PV dom0: say it got here, on
 * the console the kernel gives it or, without one, on hvc0 (devtmpfs), then
 * power off (dom0 powering off halts Xen).  No libc: raw system calls.
 */
#define SYS_write 1
#define SYS_open 2
#define SYS_mount 165
#define SYS_reboot 169

static long syscall5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c),
			 "r"(r10), "r"(r8) : "rcx", "r11", "memory");
	return ret;
}

static void say(long fd, const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	syscall5(SYS_write, fd, (long)s, (long)n, 0, 0);
}

void _start(void)
{
	long fd = 1;

	if (syscall5(SYS_write, 1, (long)"", 0, 0, 0) < 0) {
		syscall5(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
		fd = syscall5(SYS_open, (long)"/dev/console", 2 /* O_RDWR */, 0, 0, 0);
	}
	say(fd, "xen-test: dom0 reached /init\n");
	/* LINUX_REBOOT_MAGIC1, MAGIC2, LINUX_REBOOT_CMD_POWER_OFF */
	syscall5(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0);
	for (;;)
		;
}
