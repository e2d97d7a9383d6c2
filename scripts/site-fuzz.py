#!/usr/bin/env python3
"""Differential fuzzing of altcall sites.

For each seed, writes a random C program full of sites (every shape, several
argument classes, sites in inline helpers, loops and tail position, pointer
sites, N-way sites: ALTERNATIVE_ELIF chains of up to 8 arms with or without
ELSE, ALTCALL_ALL conditions, nested ALTERNATIVE_CALL) whose output is a checksum of which targets ran, with which
arguments, before and after altcall_apply().  The program is built without
the plugin (the reference: a plain branch with the same meaning) and with it
at each -O level, and every build is run under several random feature sets;
all outputs must equal the reference's.  ICEs, build failures and
mismatches are reported with the seed, so that a case can be regenerated:

  site-fuzz.py --cc gcc --plugin build/plugin/gcc-12/altcall.so --rt build/runtime/libaltcall.a \\
      --include include --count 5
  site-fuzz.py ... --keep DIR --first-seed 1234 --count 1    # keep the program
"""
import argparse
import os
import random
import shlex
import subprocess
import sys
import tempfile

LEVELS = ['-O0', '-O1', '-O2', '-O3', '-Os']

# Signature classes: (C return type, parameter types, argument expressions,
# how the result is folded into the checksum).
CLASSES = [
    ('void', ['int', 'long'], ['x', 'x * 3L'], None),
    ('long', ['long'] * 8, ['x', '1', '2', '3', '4', '5', '6', 'x + 7'], 'r'),
    ('double', ['double', 'int', 'double'], ['x * 0.5', 'x', '0.25'], '(long)(r * 8)'),
    ('struct S', ['struct S', 'int'], ['mk(x)', 'x'], 'r.a + r.b * 3 + r.c * 5'),
    ('int', ['int', '...'], ['3', 'x', 'x + 1', 'x + 2'], 'r'),
]


def target_body(ret, params, ident):
    """A target mixes its identity and its arguments into the checksum."""
    names = ['p%d' % i for i in range(len(params))]
    decl = ', '.join('%s %s' % (t, n) if t != '...' else '...' for t, n in zip(params, names))
    lines = ['\tmix(%d);' % ident]
    if params[-1] == '...':
        lines += ['\tva_list ap;', '\tva_start(ap, p0);', '\tlong s = 0;',
                  '\tfor (int i = 0; i < p0; i++)', '\t\ts = s * 7 + va_arg(ap, int);',
                  '\tva_end(ap);', '\tmix((unsigned long)s);']
    else:
        for t, n in zip(params, names):
            if t == 'struct S':
                lines.append('\tmix((unsigned long)(%s.a ^ %s.b ^ %s.c));' % (n, n, n))
            elif t == 'double':
                lines.append('\tmix((unsigned long)(long)(%s * 16));' % n)
            else:
                lines.append('\tmix((unsigned long)%s);' % n)
    if ret == 'struct S':
        lines.append('\treturn (struct S){ %d, p1, %d };' % (ident, ident * 2))
    elif ret == 'double':
        lines.append('\treturn %d.5;' % ident)
    elif ret != 'void':
        lines.append('\treturn %d;' % ident)
    return '__attribute__((noinline)) %s t%d(%s)\n{\n%s\n}\n' % (ret, ident, decl, '\n'.join(lines))


class Program:
    def __init__(self, seed, target):
        self.rng = random.Random(seed)
        self.target = target
        self.next_id = 1
        self.parts = []
        self.calls = []		# statements main's run() makes
        self.pointers = []

    def fresh(self):
        self.next_id += 1
        return self.next_id - 1

    def feature(self):
        rng = self.rng
        if rng.random() < 0.2:	# a CPU feature every host of the target has
            return 'ALTCALL_CPU_SSE2' if self.target == 'x86_64' else 'ALTCALL_CPU_ASIMD'
        return 'ALTCALL_SW_FEATURE(%d)' % rng.randrange(8)

    def cond(self):
        """A condition: one feature, or ALTCALL_ALL of 2 to 8 (mostly 2-3)."""
        rng = self.rng
        if rng.random() < 0.6:
            return self.feature()
        k = rng.choice([2, 2, 2, 3, 3, 4, 8])
        return 'ALTCALL_ALL(%s)' % ', '.join(self.feature() for _ in range(k))

    def new_target(self, ret, params):
        t = self.fresh()
        self.parts.append(target_body(ret, params, t))
        return t

    def site(self):
        """One site statement; returns (statement lines, uses result var)."""
        rng = self.rng
        ret, params, args, fold = rng.choice(CLASSES)
        a, b = self.fresh(), self.fresh()
        self.parts.append(target_body(ret, params, a))
        self.parts.append(target_body(ret, params, b))
        arglist = ', '.join(args)
        shapes = ['if', 'if_not', 'expr', 'pointer', 'elif', 'all', 'nested']
        if ret == 'void':
            shapes += ['no_else', 'no_else_not', 'elif_no_else']
        shape = rng.choice(shapes)
        f = self.feature()
        value = ret != 'void'
        lhs = 'r = ' if value else ''
        if shape in ('elif', 'elif_no_else'):
            # IF, 1-7 ELIFs (up to 8 conditional arms), ELSE or not.
            arms = [a] + [self.new_target(ret, params) for _ in range(rng.randrange(1, 8))]
            stmt = []
            for i, t in enumerate(arms):
                stmt += ['%s(%s)' % ('ALTERNATIVE_IF' if i == 0 else 'ALTERNATIVE_ELIF', self.cond()),
                         '\t%st%d(%s);' % (lhs, t, arglist)]
            if shape == 'elif':
                stmt += ['ALTERNATIVE_ELSE', '\t%st%d(%s);' % (lhs, b, arglist)]
            stmt.append('ALTERNATIVE_END')
            return ret, stmt, fold
        if shape == 'all':
            head = rng.choice(['ALTERNATIVE_IF', 'ALTERNATIVE_IF_NOT'])
            k = rng.randrange(2, 5)
            c = 'ALTCALL_ALL(%s)' % ', '.join(self.feature() for _ in range(k))
            stmt = ['%s(%s)' % (head, c), '\t%st%d(%s);' % (lhs, a, arglist),
                    'ALTERNATIVE_ELSE', '\t%st%d(%s);' % (lhs, b, arglist), 'ALTERNATIVE_END']
            return ret, stmt, fold
        if shape == 'nested':
            # ALTERNATIVE_CALL(c1, f1, ALTERNATIVE_CALL(c2, f2, ... dflt))
            expr = 't%d' % b
            for t in [a] + [self.new_target(ret, params) for _ in range(rng.randrange(1, 4))]:
                expr = 'ALTERNATIVE_CALL(%s, t%d, %s)' % (self.cond(), t, expr)
            return ret, ['%s%s(%s);' % (lhs, expr, arglist)], fold
        if shape in ('if', 'if_not'):
            head = 'ALTERNATIVE_IF' if shape == 'if' else 'ALTERNATIVE_IF_NOT'
            stmt = ['%s(%s)' % (head, f), '\t%st%d(%s);' % (lhs, a, arglist),
                    'ALTERNATIVE_ELSE', '\t%st%d(%s);' % (lhs, b, arglist), 'ALTERNATIVE_END']
        elif shape in ('no_else', 'no_else_not'):
            head = 'ALTERNATIVE_IF' if shape == 'no_else' else 'ALTERNATIVE_IF_NOT'
            stmt = ['%s(%s)' % (head, f), '\tt%d(%s);' % (a, arglist), 'ALTERNATIVE_END']
        elif shape == 'expr':
            stmt = ['%sALTERNATIVE_CALL(%s, t%d, t%d)(%s);' % (lhs, f, a, b, arglist)]
        else:
            ptr = 'fp%d' % len(self.pointers)
            decl = '%s (*%s)(%s)' % (ret, ptr, ', '.join(params))
            self.pointers.append((decl, ptr, a, b))
            stmt = ['%salternative_call(%s, %s);' % (lhs, ptr, arglist)]
        return ret, stmt, fold

    def function(self, name, inline):
        """A function holding 1-3 sites, maybe in a loop or in tail position."""
        rng = self.rng
        body = ['\tunsigned long acc = 0;']
        for _ in range(rng.randrange(1, 4)):
            ret, stmt, fold = self.site()
            loop = rng.random() < 0.25
            block = []
            if ret != 'void':
                block.append('%s r;' % ret)
            block += stmt
            if fold:
                block.append('acc += (unsigned long)(%s);' % fold)
            indent = '\t\t' if loop else '\t'
            if loop:
                body.append('\tfor (int i = 0; i < 3; i++, x++) {')
            else:
                body.append('\t{')
            body += [indent + l for l in block]
            body.append('\t}')
        tail_ret, tail_stmt, _ = self.site() if rng.random() < 0.3 else (None, None, None)
        if tail_ret == 'long':
            # return f(args) as the last statement: a tail call
            tail = [l.replace('r = ', 'return ') for l in tail_stmt]
            body.append('\tmix(acc);')
            body += ['\t' + l for l in tail]
        else:
            body.append('\tmix(acc);')
            body.append('\treturn (long)acc;')
        attr = 'static inline' if inline else '__attribute__((noinline))'
        self.parts.append('%s long %s(int x)\n{\n%s\n}\n' % (attr, name, '\n'.join(body)))

    def render(self):
        rng = self.rng
        for i in range(rng.randrange(4, 11)):
            inline = rng.random() < 0.4
            name = 'f%d' % i
            self.function(name, inline)
            for c in range(rng.randrange(1, 4) if inline else 1):
                self.calls.append('\tmix((unsigned long)%s(%d));' % (name, rng.randrange(1, 100)))
        head = ['#include <altcall.h>', '#include <stdarg.h>', '#include <stdio.h>',
                '#include <stdlib.h>', '',
                'struct S { long a, b, c; };',
                'static unsigned long ck;',
                'static void mix(unsigned long v) { ck = (ck ^ v) * 1099511628211ul; }',
                'static struct S mk(int x) { return (struct S){ x, x * 2, x * 3 }; }', '']
        ptrs = ['%s;' % d for d, _, _, _ in self.pointers]
        init = ['\t%s = (seed & %d) ? t%d : t%d;' % (p, 1 << (i % 8), a, b)
                for i, (_, p, a, b) in enumerate(self.pointers)]
        main = ['static void run(void)', '{'] + self.calls + ['}', '',
                'int main(int argc, char **argv)', '{',
                '\tunsigned long features = strtoul(argv[1], NULL, 0);',
                '\tunsigned long seed = strtoul(argv[2], NULL, 0);',
                '\t(void)seed;'] + init + [
                '\trun();', '\tprintf("before %016lx\\n", ck);',
                '\tfor (int i = 0; i < 8; i++)',
                '\t\taltcall_set_feature(ALTCALL_SW_FEATURE(i), (features >> i) & 1);',
                '\tif (features & 0x100)',
                '\t\taltcall_set_feature(%s, 0);' % (
                    'ALTCALL_CPU_SSE2' if self.target == 'x86_64' else 'ALTCALL_CPU_ASIMD'),
                '\tint n = altcall_apply();',
                '\tck = 0;', '\trun();', '\tprintf("after  %016lx\\n", ck);',
                '\tck = 0;', '\trun();', '\tprintf("again  %016lx\\n", ck);',
                '\treturn n < 0;', '}']
        return '\n'.join(head + ptrs + [''] + self.parts + main) + '\n'


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--plugin', required=True)
    ap.add_argument('--rt', required=True, help='runtime static library')
    ap.add_argument('--include', required=True)
    ap.add_argument('--target', default='x86_64', choices=['x86_64', 'aarch64'])
    ap.add_argument('--run', default='', help='how to run a target program (qemu)')
    ap.add_argument('--count', type=int, default=5)
    ap.add_argument('--first-seed', type=int, default=1)
    ap.add_argument('--masks', type=int, default=3, help='feature sets per program')
    ap.add_argument('--keep', help='write programs and binaries here')
    args = ap.parse_args()

    cc = shlex.split(args.cc) + ['-I' + args.include, '-w']
    runner = shlex.split(args.run)
    failures = builds = runs = 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        for seed in range(args.first_seed, args.first_seed + args.count):
            src = os.path.join(work, 'fuzz%d.c' % seed)
            with open(src, 'w') as f:
                f.write(Program(seed, args.target).render())
            variants = [('reference', ['-O2'])] + [(l, [l, '-fplugin=' + args.plugin]) for l in LEVELS]
            exes = {}
            for name, flags in variants:
                exe = os.path.join(work, 'fuzz%d%s' % (seed, name))
                p = run(cc + flags + [src, args.rt, '-o', exe])
                builds += 1
                if p.returncode or 'internal compiler error' in p.stderr:
                    failures += 1
                    print('BUILD FAILED: seed %d %s\n%s' % (seed, ' '.join(flags), p.stderr[-2000:]))
                    continue
                exes[name] = exe
            rng = random.Random(seed * 7919)
            for _ in range(args.masks):
                mask = rng.randrange(0x200)
                outs = {}
                for name, exe in exes.items():
                    p = run(runner + [exe, hex(mask), str(seed)], timeout=60)
                    runs += 1
                    outs[name] = (p.returncode, p.stdout)
                ref = outs.get('reference')
                for name, out in outs.items():
                    if ref is None or out != ref:
                        failures += 1
                        print('MISMATCH: seed %d features %#x %s:\n%s\nreference:\n%s'
                              % (seed, mask, name, out, ref))
    print('%d programs, %d builds, %d runs: %d failures' % (args.count, builds, runs, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
