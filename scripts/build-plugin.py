#!/usr/bin/env python3
"""Build one altcall.so for one GCC: compile each source with the g++ of that
GCC's version (so the C++ dialect and ABI match the cc1 it is loaded into)
and link it as C (cc1 already provides operator new and delete, so the plugin
needs no libstdc++).  Writes one Make depfile for all the sources, which is
what a Meson custom_target can track.

With --chroot ROOT, the compilers are a Debian root's (scripts/chroots.sh):
they run inside it, in this directory, and the depfile names the root's
headers by their paths on the host.

Usage: build-plugin.py [--chroot ROOT] --cxx G++ --cc GCC --depfile D -o OUT -- CXXFLAGS... -- SOURCES...
"""
import argparse
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cxx', required=True)
    ap.add_argument('--cc', required=True, help='driver that links (as C)')
    ap.add_argument('--depfile', required=True)
    ap.add_argument('-o', dest='output', required=True)
    ap.add_argument('--chroot', help='run the compilers inside this root')
    argv = sys.argv[1:]
    if argv.count('--') != 2:
        ap.error('expected -- CXXFLAGS -- SOURCES')
    first = argv.index('--')
    second = argv.index('--', first + 1)
    args = ap.parse_args(argv[:first])
    flags, sources = argv[first + 1:second], argv[second + 1:]
    if not sources:
        ap.error('no sources')

    run = []
    bound = []
    if args.chroot:
        here = os.path.dirname(os.path.abspath(__file__))
        run = ['sh', os.path.join(here, 'chroots.sh'), 'run', args.chroot, '--bind', os.getcwd()]
        bound = [os.path.dirname(here), os.getcwd()]

    def host_path(p):
        # The root's own files (its headers) as the host sees them; the
        # bound trees are at the same path inside and out.
        if args.chroot and os.path.isabs(p) and not any(
                p == b or p.startswith(b + os.sep) for b in bound):
            return args.chroot + p
        return p

    deps = []
    objdir = args.output + '.p'
    os.makedirs(objdir, exist_ok=True)
    objs = []
    for src in sources:
        obj = os.path.join(objdir, os.path.basename(src) + '.o')
        dep = obj + '.d'
        subprocess.run([*run, args.cxx, *flags, '-fPIC', '-MD', '-MF', dep, '-MT', args.output,
                        '-c', src, '-o', obj], check=True)
        with open(dep) as f:
            body = f.read().split(':', 1)[1]
        deps.append([host_path(p) for p in body.replace('\\\n', ' ').split()])
        objs.append(obj)
    subprocess.run([*run, args.cc, '-shared', '-fPIC', '-o', args.output, *objs], check=True)
    prereqs = sorted({p for d in deps for p in d})
    with open(args.depfile, 'w') as f:
        f.write('%s: %s\n' % (args.output, ' '.join(prereqs)))


if __name__ == '__main__':
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.exit(e.returncode or 1)
