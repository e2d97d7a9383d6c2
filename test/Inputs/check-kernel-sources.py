#!/usr/bin/env python3
"""runtime/Kbuild.sources, the runtime's one source list for kernels,
against what Meson builds for user space (runtime/meson.build): the same
core sources per architecture, and every local header those sources
include listed (the kit copies only what the list names)."""
import re
import sys

src = sys.argv[1]
meson = open(src + '/runtime/meson.build').read()
kbuild = open(src + '/runtime/Kbuild.sources').read()


def files_of(var):
    m = re.search(r"^%s = files\(([^)]*)\)" % var, meson, re.M)
    return set(re.findall(r"'([^']+)'", m.group(1)))


def kbuild_of(key):
    objs = set()
    for m in re.finditer(r"^altcall-core-%s [:+]= (.*)$" % re.escape(key), kbuild, re.M):
        objs |= set(m.group(1).split())
    return objs


def c(objs):
    return {o[:-2] + '.c' for o in objs}


problems = []
common, x86 = files_of('runtime_core'), files_of('runtime_core_x86_64')
# User space only: its platform (user.c) and the live protocol it names.
user_only = {'user.c'} | files_of('runtime_live')
a64 = set(re.search(r"foreach src : \[([^]]*)\]", meson).group(1).replace("'", '').replace(' ', '').split(',')) - user_only
k_common, k_x86, k_a64 = c(kbuild_of('y')), c(kbuild_of('$(CONFIG_X86_64)')), c(kbuild_of('$(CONFIG_ARM64)'))
if common != k_common:
    problems.append('core: meson %s, Kbuild %s' % (sorted(common), sorted(k_common)))
if x86 != k_x86:
    problems.append('x86-64: meson %s, Kbuild %s' % (sorted(x86), sorted(k_x86)))
if a64 != k_common | k_a64:
    problems.append('arm64: meson %s, Kbuild %s' % (sorted(a64), sorted(k_common | k_a64)))
for f in sorted(user_only & (k_common | k_x86 | k_a64)):
    problems.append('%s is user space only, but Kbuild.sources lists it' % f)
headers = kbuild_of('headers')
todo, seen = list(k_common | k_x86 | k_a64 | headers), set()
while todo:
    f = todo.pop()
    if f in seen:
        continue
    seen.add(f)
    for inc in re.findall(r'^#include "([^"]+)"', open(src + '/runtime/' + f).read(), re.M):
        if inc not in headers and not re.search(r'#ifdef ALTCALL_HOSTED\s*\n#include "%s"' % re.escape(inc),
                                                open(src + '/runtime/' + f).read()):
            problems.append('%s includes %s, which Kbuild.sources does not list' % (f, inc))
        todo.append(inc)
for p in problems:
    print('kernel sources: ' + p)
print('kernel sources: %d sources, %d headers, %s' % (len(k_common | k_x86 | k_a64), len(headers),
                                                      'agree' if not problems else 'DISAGREE'))
sys.exit(1 if problems else 0)
