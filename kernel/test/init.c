// SPDX-License-Identifier: MIT
/*
 * /init of the altcall kernel test: on arm64 with KVM, run a guest (its
 * hyp sites run at EL2; the host reports them when the VM is destroyed);
 * then load the selftest module, unload it, load it again (reload=1: its
 * re-apply checks, see the module), say so, and power off.  No libc: raw
 * system calls, so one source serves both arches.
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
#define SYS_OPEN(path, flags) syscall3(SYS_open, (long)(path), flags, 0)
#elif defined(__aarch64__)
#define SYS_write 64
#define SYS_openat 56
#define SYS_reboot 142
#define SYS_finit_module 273
#define SYS_delete_module 106
#define SYS_ioctl 29
#define SYS_close 57
#define SYS_munmap 215
#define SYS_mmap 222
static long syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3),
			 "r"(x4), "r"(x5) : "memory");
	return x0;
}
static long syscall3(long n, long a, long b, long c)
{
	return syscall6(n, a, b, c, 0, 0, 0);
}
#define SYS_OPEN(path, flags) syscall3(SYS_openat, -100 /* AT_FDCWD */, (long)(path), flags)
#include <linux/kvm.h>
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

#ifdef __aarch64__
/*
 * A guest at EL1 with its MMU off, at GUEST_CODE: a 64-bit store to the
 * unbacked GUEST_MMIO (a KVM_EXIT_MMIO), then PSCI SYSTEM_OFF through hvc
 * (a KVM_EXIT_SYSTEM_EVENT, shutdown).
 */
#define GUEST_CODE	0x10000
#define GUEST_MMIO	0x10000000
#define GUEST_VALUE	0x42
static const unsigned int guest_code[] = {
	0xd2a20001,	/* movz x1, #0x1000, lsl #16: GUEST_MMIO */
	0xd2800842,	/* movz x2, #0x42 */
	0xf9000022,	/* str x2, [x1] */
	0xd2800100,	/* movz x0, #0x8 */
	0xf2b08000,	/* movk x0, #0x8400, lsl #16: PSCI_0_2_FN_SYSTEM_OFF */
	0xd4000002,	/* hvc #0 */
	0x14000000,	/* b . */
};

static void *mmap_shared(long fd, unsigned long size, int prot_flags)
{
	/* PROT_READ | PROT_WRITE; MAP_SHARED for fd, else private anonymous */
	long p = syscall6(SYS_mmap, 0, (long)size, 3, prot_flags, fd, 0);

	return p < 0 && p > -4096 ? 0 : (void *)p;
}

/* The guest run: NULL if both exits were right, else what went wrong. */
static const char *run_guest(long kvm)
{
	struct kvm_userspace_memory_region slot = {
		.slot = 0, .guest_phys_addr = GUEST_CODE, .memory_size = 0x10000,
	};
	struct kvm_vcpu_init init;
	struct kvm_one_reg pc;
	unsigned long pc_value = GUEST_CODE;
	struct kvm_run *run;
	long vm, vcpu, size;
	const char *why = 0;
	unsigned char *mem;
	unsigned int i;

	vm = syscall3(SYS_ioctl, kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return "KVM_CREATE_VM";
	mem = mmap_shared(-1, slot.memory_size, 0x22 /* MAP_PRIVATE | MAP_ANONYMOUS */);
	if (!mem)
		return "mmap of guest memory";
	for (i = 0; i < sizeof(guest_code); i++)
		mem[i] = ((const unsigned char *)guest_code)[i];
	slot.userspace_addr = (unsigned long)mem;
	if (syscall3(SYS_ioctl, vm, KVM_SET_USER_MEMORY_REGION, (long)&slot))
		return "KVM_SET_USER_MEMORY_REGION";
	vcpu = syscall3(SYS_ioctl, vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return "KVM_CREATE_VCPU";
	if (syscall3(SYS_ioctl, vm, KVM_ARM_PREFERRED_TARGET, (long)&init))
		return "KVM_ARM_PREFERRED_TARGET";
	for (i = 0; i < 7; i++)
		init.features[i] = 0;
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (syscall3(SYS_ioctl, vcpu, KVM_ARM_VCPU_INIT, (long)&init))
		return "KVM_ARM_VCPU_INIT";
	/* struct user_pt_regs: regs[31], sp, then pc, in 32-bit units */
	pc.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (32 * 2);
	pc.addr = (unsigned long)&pc_value;
	if (syscall3(SYS_ioctl, vcpu, KVM_SET_ONE_REG, (long)&pc))
		return "KVM_SET_ONE_REG (pc)";
	size = syscall3(SYS_ioctl, kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = size > 0 ? mmap_shared(vcpu, size, 1 /* MAP_SHARED */) : 0;
	if (!run)
		return "mmap of kvm_run";
	if (syscall3(SYS_ioctl, vcpu, KVM_RUN, 0))
		why = "first KVM_RUN";
	else if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
		 run->mmio.phys_addr != GUEST_MMIO || run->mmio.len != 8 ||
		 run->mmio.data[0] != GUEST_VALUE)
		why = "no MMIO exit of the guest's store";
	else if (syscall3(SYS_ioctl, vcpu, KVM_RUN, 0))
		why = "second KVM_RUN";
	else if (run->exit_reason != KVM_EXIT_SYSTEM_EVENT ||
		 run->system_event.type != KVM_SYSTEM_EVENT_SHUTDOWN)
		why = "no system-off exit of the guest's PSCI call";
	/* The VM is destroyed once nothing holds it: the host reports then. */
	syscall3(SYS_munmap, (long)run, size, 0);
	syscall3(SYS_close, vcpu, 0, 0);
	syscall3(SYS_close, vm, 0, 0);
	syscall3(SYS_munmap, (long)mem, slot.memory_size, 0);
	return why;
}

static void kvm_guest(void)
{
	long kvm = SYS_OPEN("/dev/kvm", 2 /* O_RDWR */);
	const char *why;

	if (kvm < 0) {
		say("altcall-init: no KVM\n");
		return;
	}
	why = run_guest(kvm);
	syscall3(SYS_close, kvm, 0, 0);
	if (why) {
		say("altcall-init: KVM guest FAILED: ");
		say(why);
		say("\n");
	} else {
		say("altcall-init: KVM guest: MMIO write exit, then PSCI system-off exit\n");
	}
}
#else
static void kvm_guest(void)
{
}
#endif

static int load(const char *params)
{
	long fd = SYS_OPEN("/altcall_selftest_module.ko", 0);

	return fd >= 0 && syscall3(SYS_finit_module, fd, (long)params, 0) == 0;
}

void _start(void)
{
	kvm_guest();
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
