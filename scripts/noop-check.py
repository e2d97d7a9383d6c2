#!/usr/bin/env python3
"""No-op guarantee: with the altcall plugin loaded, a unit without sites
compiles to the same object bytes as without it.

Compiles csmith's random programs (fixed seeds, so a run can be repeated)
with and without -fplugin at each flag set and compares the objects; any
difference or internal compiler error is reported with the seed and flags.

Two flag sets need care, and both are compared:
- -g: DW_AT_producer records the command line, -fplugin= included; with
  -gno-record-gcc-switches the objects are identical.
- -flto: the object carries the options (.gnu.lto_.opts) and section names
  derived from them, so the comparison is of the linked executables (the
  plugin is on the link line too, as LTO with sites needs).

  noop-check.py --cc "gcc -I..." --plugin build/plugin/gcc-12/altcall.so --count 20
  noop-check.py --cc aarch64-linux-gnu-gcc --plugin build/plugin/aarch64-linux-gnu-gcc-12/altcall.so --count 2000
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile


def compile_object(cc, flags, src, out):
    link = '-flto' in flags
    proc = subprocess.run(cc + flags + ([] if link else ['-c']) + [src, '-o', out],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc.returncode, proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--cc', default='gcc', help='compiler command (quoted words)')
    ap.add_argument('--plugin', required=True, help='altcall.so for that compiler')
    ap.add_argument('--count', type=int, default=20)
    ap.add_argument('--first-seed', type=int, default=1)
    ap.add_argument('--levels', default='-O0,-O2,-O3',
                    help='comma-separated flag sets, e.g. "-O2,-O2 -g -gno-record-gcc-switches,-O2 -flto"')
    ap.add_argument('--csmith-include', default='/usr/include/csmith')
    args = ap.parse_args()

    cc = shlex.split(args.cc) + ['-w', '-I' + args.csmith_include]
    levels = args.levels.split(',')
    compared = differences = ices = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first_seed, args.first_seed + args.count):
            src = os.path.join(tmp, 'prog%d.c' % seed)
            subprocess.run(['csmith', '--seed', str(seed), '-o', src],
                           check=True, stdout=subprocess.DEVNULL)
            for level in levels:
                plain = os.path.join(tmp, 'plain.o')
                plugin = os.path.join(tmp, 'plugin.o')
                flags = shlex.split(level)
                rc_plain, _ = compile_object(cc, flags, src, plain)
                rc_plugin, err = compile_object(cc, flags + ['-fplugin=' + args.plugin], src, plugin)
                if 'internal compiler error' in err:
                    ices += 1
                    print('ICE: seed %d %s\n%s' % (seed, level, err))
                    continue
                if rc_plain != 0 and rc_plugin != 0:
                    skipped += 1	# csmith made something this compiler rejects
                    continue
                compared += 1
                with open(plain, 'rb') as a, open(plugin, 'rb') as b:
                    same = rc_plain == rc_plugin == 0 and a.read() == b.read()
                if not same:
                    differences += 1
                    print('DIFFERENT: seed %d %s (exit %d without, %d with the plugin)\n%s'
                          % (seed, level, rc_plain, rc_plugin, err))
    print('%d programs x %d flag sets: %d compared, %d identical, %d different, %d ICEs, %d skipped'
          % (args.count, len(levels), compared, compared - differences, differences, ices, skipped))
    return 1 if differences or ices else 0


if __name__ == '__main__':
    sys.exit(main())
