# altcall lit configuration.  One suite, run once per (target, compiler):
#   lit --param target=x86_64 BUILD/test      (native)
#   lit --param target=aarch64 BUILD/test     (cross-compiled, run under qemu-user)
#   --param gcc=11..16 picks the compiler (default: the version of gcc /
#   aarch64-linux-gnu-gcc) and its plugin; features gcc-11 ... gcc-16.
# GCC 13 to 16 are a Debian root's (scripts/chroots.sh: trixie, sid): the
# compiler, the programs it links (against the root's glibc) and the root's
# ld run inside that root, the tree at its own path there; everything else
# (lit, FileCheck, altcall-sites, the scripts) runs on the host.  The root's
# compiler drivers are on PATH as wrappers that enter the root, so %gcc,
# %cc and a script's compiler are the same words in every pair, and %run
# and %ld enter the root.  Feature: chroot.
# Substitutions:
#   %cc        target gcc with the altcall plugin and include/
#   %cc-plain  the same compiler without the plugin
#   %gcc       the compiler's driver alone (gcc-12, aarch64-linux-gnu-gcc-11)
#   %other-gcc the driver of another GCC version for this target, if built
#              (of the same root: a plugin built in a root loads only there)
#   %other-plugin  its plugin
#   %{gcc-major}, %{other-gcc-major}  their versions (12, 11)
# Features: the target, gcc-N, other-gcc (another version is built),
# default-gcc (the compiler is the unversioned gcc / aarch64-linux-gnu-gcc).
#   %rt        the runtime static library for the target
#   %rtso      link flags for the shared runtime (-L, -laltcall, -rpath)
#   %run       how to run a target program ('' natively, qemu-aarch64 otherwise;
#              inside the root for GCC 13 to 16)
#   %{host-run} how the host would run it, root or not
#   %sites     the altcall-sites inspector (reads either target's ELF)
#   %asm       filter for -S output: drops .loc/.cfi/.LVL lines
#   %plugin    path of the plugin .so
#   %inputs    test/Inputs
#   %ld        the target's ld
#   %{insns}   FileCheck -D definitions: CALL, TAIL, PLT (mnemonics, suffix)
#              and CPU, RAWCPU (feature words of the asm tests)
#   %{arch}    X86_64 or AARCH64, for check prefixes
import os
import lit.formats

target = lit_config.params.get('target', 'x86_64')
builds = {(t, major): (driver, path, default, root)
          for driver, (t, major, path, default, root) in config.plugins.items()}
majors = sorted(m for (t, m) in builds if t == target)
if not majors:
    lit_config.fatal('no altcall plugin built for target %r' % target)
major = lit_config.params.get('gcc') or next(m for (t, m), b in builds.items() if t == target and b[2])
if (target, major) not in builds:
    lit_config.fatal('no altcall plugin built for %s with GCC %s (built: %s)' % (target, major, ', '.join(majors)))
compiler, plugin, is_default, root = builds[(target, major)]
if not os.path.exists(plugin):
    lit_config.fatal('%s is missing: build first (ninja -C BUILD)' % plugin)
others = [(m,) + builds[(target, m)] for m in majors
          if m != major and builds[(target, m)][3] == root]

config.name = 'altcall-%s-gcc%s' % (target, major)
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.c', '.test']
config.excludes = ['Inputs']
# CI time (README, "Tests"): the arm64 pairs of the roots' GCCs (13 to 16),
# whose every program runs under qemu-user, run the compiler's tests (asm/,
# records/, diag/, run/: every shape, record and diagnostic) but not misc/
# and runtime/, which test the host-built runtime and the tools and run in
# full for arm64 with GCC 11 and 12 and for x86-64 with every GCC.
# --param full=1 runs them too.
if target == 'aarch64' and root and not lit_config.params.get('full'):
    config.excludes += ['misc', 'runtime']
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.build_root, 'test', '%s-gcc%s' % (target, major))
config.available_features.add(target)
config.available_features.add('gcc-' + major)
if others:
    config.available_features.add('other-gcc')
if is_default:
    config.available_features.add('default-gcc')

inc = os.path.join(config.src_root, 'include')
# enter: the words that run a command inside the pair's root ('' on the host).
enter = ''
path = [config.llvm_bin, os.path.join(config.build_root, 'tools')]
if root:
    config.available_features.add('chroot')
    enter = 'sh %s run %s --bind %s' % (os.path.join(config.src_root, 'scripts', 'chroots.sh'),
                                        root, config.build_root)
    # A wrapper per compiler driver of the root, first on PATH.
    wrappers = os.path.join(config.test_exec_root, 'chroot-bin')
    os.makedirs(wrappers, exist_ok=True)
    root_majors = sorted({m for (t, m), b in builds.items() if b[3] == root})
    tools = ('gcc', 'g++', 'cpp', 'gcc-ar', 'gcc-nm', 'gcc-ranlib', 'gcov', 'gcov-tool', 'lto-dump')
    names = ['%s%s-%s' % (prefix, tool, m) for m in root_majors
             for prefix in ('', 'aarch64-linux-gnu-') for tool in tools]
    # Tools that call the compiler: they run beside it.
    names += ['ccache', 'distcc', 'distccd']
    for name in names:
        if not os.path.exists(os.path.join(root, 'usr', 'bin', name)):
            continue
        wrapper = os.path.join(wrappers, name)
        text = '#!/bin/sh\nexec %s %s "$@"\n' % (enter, name)
        if not os.path.exists(wrapper) or open(wrapper).read() != text:
            with open(wrapper + '.new', 'w') as f:
                f.write(text)
            os.chmod(wrapper + '.new', 0o755)
            os.replace(wrapper + '.new', wrapper)
    path.insert(0, wrappers)
# How the host itself would run a program of this target (the control of
# misc/chroot.test).
host_run = '' if target == 'x86_64' else 'qemu-aarch64 -L /usr/aarch64-linux-gnu'
config.substitutions.append(('%{host-run}', host_run))
if target == 'x86_64':
    run = enter
    config.substitutions.append(('%ld', (enter + ' ld').strip()))
    insns = '-DCALL=call -DTAIL=jmp -DPLT=@PLT -DCPU=0x8e25 -DRAWCPU=0x8e29'
else:
    run = (enter + ' qemu-aarch64 -L /usr/aarch64-linux-gnu').strip()
    config.substitutions.append(('%ld', (enter + ' aarch64-linux-gnu-ld').strip()))
    insns = '-DCALL=bl -DTAIL=b -DPLT= -DCPU=0x8008 -DRAWCPU=0x8051'

config.environment['PATH'] = os.pathsep.join(path + [config.environment.get('PATH', os.environ['PATH'])])
config.environment['LC_ALL'] = 'C'
# The kernel test's cache (scripts/kernel-common.sh), when the caller chose one.
if 'ALTCALL_KERNEL_CACHE' in os.environ:
    config.environment['ALTCALL_KERNEL_CACHE'] = os.environ['ALTCALL_KERNEL_CACHE']
# The Debian roots' (scripts/chroots.sh), when the caller chose them: the
# kernel test's --gcc builds run in one, and its set-up must not go to the
# default roots instead.
if 'ALTCALL_CHROOTS' in os.environ:
    config.environment['ALTCALL_CHROOTS'] = os.environ['ALTCALL_CHROOTS']
# The Xen test's (scripts/xen-test.sh).
if 'ALTCALL_XEN_CACHE' in os.environ:
    config.environment['ALTCALL_XEN_CACHE'] = os.environ['ALTCALL_XEN_CACHE']

plain = '%s -I%s -Wall -Werror=implicit-function-declaration' % (compiler, inc)
# FileCheck variables for what differs per target in asm checks.
config.substitutions.append(('%{insns}', insns))
config.substitutions.append(('%{arch}', target.upper()))
config.substitutions.append(('%{target}', target))
config.substitutions.append(('%cc-plain', plain))
config.substitutions.append(('%cc', '%s -fplugin=%s' % (plain, plugin)))
config.substitutions.append(('%gcc', compiler))
config.substitutions.append(('%plugin', plugin))
config.substitutions.append(('%{gcc-major}', major))
if others:
    config.substitutions.append(('%{other-gcc-major}', others[0][0]))
    config.substitutions.append(('%other-gcc', others[0][1]))
    config.substitutions.append(('%other-plugin', others[0][2]))
config.substitutions.append(('%rtcore', config.runtime_cores[target]))
rtso_dir = config.shared_runtime_dirs[target]
config.substitutions.append(('%rtso', '-L%s -laltcall -Wl,-rpath,%s' % (rtso_dir, rtso_dir)))
config.substitutions.append(('%rt', config.runtimes[target]))
config.substitutions.append(('%run', run))
# Live re-patching stress (test/runtime/live-stress.c): applies per run,
# fewer under qemu-user, where each one retranslates the patched code.
config.substitutions.append(('%{live-applies}', '10000' if target == 'x86_64' else '500'))
# Processes of the library-pointer stress (test/run/lib-pointers.test).
config.substitutions.append(('%{stress-procs}', '100' if target == 'x86_64' else '20'))
# What the kernel tests leave out for CI's time unless --param full=1
# (test/kernel/x86_64-gcc14.test: the CONFIG_ALTCALL=n build with GCC 14):
# kernel-test.sh's option for it, and the FileCheck prefixes that check
# what ran (FULL: it did; QUICK: it did not).
full = bool(lit_config.params.get('full'))
config.substitutions.append(('%{kernel-plugin-only}', '' if full else '--plugin-only'))
config.substitutions.append(('%{kernel-check-prefixes}', 'CHECK,FULL' if full else 'CHECK,QUICK'))
config.substitutions.append(('%sites', config.sites_tool))
config.substitutions.append(('%asm', "grep -vE '^[[:space:]]*\\.(loc|cfi_[a-z_]+|file)[[:space:]]|^\\.LVL[0-9]+:'"))
config.substitutions.append(('%inputs', os.path.join(config.test_source_root, 'Inputs')))
config.substitutions.append(('%src', config.src_root))
config.substitutions.append(('%{build}', config.build_root))
config.substitutions.append(('%demo', os.path.join(config.build_root, 'examples', 'altcall-demo')))
