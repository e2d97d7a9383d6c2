# altcall lit configuration.  One suite, run once per target:
#   lit --param target=x86_64 BUILD/test      (native)
#   lit --param target=aarch64 BUILD/test     (cross-compiled, run under qemu-user)
# Substitutions:
#   %cc        target gcc with the altcall plugin and include/
#   %cc-plain  the same compiler without the plugin
#   %rt        the runtime static library for the target
#   %rtso      link flags for the shared runtime (-L, -laltcall, -rpath)
#   %run       how to run a target program ('' natively, qemu-aarch64 otherwise)
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
if target not in config.plugins:
    lit_config.fatal('unknown target %r' % target)
if not config.plugins[target] or not os.path.exists(config.plugins[target]):
    lit_config.fatal('no altcall plugin built for %s' % target)

config.name = 'altcall-' + target
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.c', '.test']
config.excludes = ['Inputs']
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.build_root, 'test', target)
config.available_features.add(target)

inc = os.path.join(config.src_root, 'include')
if target == 'x86_64':
    compiler, run = 'gcc', ''
    config.substitutions.append(('%ld', 'ld'))
    insns = '-DCALL=call -DTAIL=jmp -DPLT=@PLT -DCPU=0x8e25 -DRAWCPU=0x8e29'
else:
    compiler, run = 'aarch64-linux-gnu-gcc', 'qemu-aarch64 -L /usr/aarch64-linux-gnu'
    config.substitutions.append(('%ld', 'aarch64-linux-gnu-ld'))
    insns = '-DCALL=bl -DTAIL=b -DPLT= -DCPU=0x8008 -DRAWCPU=0x8051'

config.environment['PATH'] = os.pathsep.join(
    [config.llvm_bin, os.path.join(config.build_root, 'tools'), config.environment.get('PATH', os.environ['PATH'])])
config.environment['LC_ALL'] = 'C'

plain = '%s -I%s -Wall -Werror=implicit-function-declaration' % (compiler, inc)
# FileCheck variables for what differs per target in asm checks.
config.substitutions.append(('%{insns}', insns))
config.substitutions.append(('%{arch}', target.upper()))
config.substitutions.append(('%{target}', target))
config.substitutions.append(('%cc-plain', plain))
config.substitutions.append(('%cc', '%s -fplugin=%s' % (plain, config.plugins[target])))
config.substitutions.append(('%plugin', config.plugins[target]))
config.substitutions.append(('%rtcore', config.runtime_cores[target]))
rtso_dir = config.shared_runtime_dirs[target]
config.substitutions.append(('%rtso', '-L%s -laltcall -Wl,-rpath,%s' % (rtso_dir, rtso_dir)))
config.substitutions.append(('%rt', config.runtimes[target]))
config.substitutions.append(('%run', run))
config.substitutions.append(('%sites', config.sites_tool))
config.substitutions.append(('%asm', "grep -vE '^[[:space:]]*\\.(loc|cfi_[a-z_]+|file)[[:space:]]|^\\.LVL[0-9]+:'"))
config.substitutions.append(('%inputs', os.path.join(config.test_source_root, 'Inputs')))
config.substitutions.append(('%src', config.src_root))
config.substitutions.append(('%{build}', config.build_root))
config.substitutions.append(('%demo', os.path.join(config.build_root, 'examples', 'altcall-demo')))
