#!/usr/bin/env python3
"""Every function of a relocatable x86-64 object whose address is taken
must start with endbr64: under -fcf-protection=branch -mmanual-endbr an
indirect call to one without it faults on a CET-IBT CPU.

A function's address is taken by a relocation that is not the rel32 of a
direct call or jump (E8, E9, 0F 8x): one in data (a codec table, an ops
struct) or in code (lea fn(%rip), mov $fn).  Prints one line per such
function, "endbr FN" or "MISSING FN", and exits 1 if any is missing."""
import re, subprocess, sys

obj = sys.argv[1]

def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout

sections = {}	# index -> (name, is exec)
for m in re.finditer(r'^\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+\S+\s+(\S+)\s+\S+\s+\S+\s+(\S*)\s',
                     run('readelf', '-SW', obj), re.M):
    sections[int(m.group(1))] = (m.group(2), 'X' in m.group(4))

funcs = {}	# (section name, offset) -> function name
syms = {}	# name -> (section name, offset, type)
for line in run('readelf', '-sW', obj).splitlines():
    f = line.split()
    if len(f) < 8 or not f[0].endswith(':') or not f[6].isdigit():
        continue
    sec = sections.get(int(f[6]), ('?', False))[0]
    syms[f[7]] = (sec, int(f[1], 16), f[3])
    if f[3] == 'FUNC':
        funcs[(sec, int(f[1], 16))] = f[7]

def section_bytes(name):
    out = subprocess.run(['objcopy', '-O', 'binary', '--only-section=' + name, obj, '/dev/stdout'],
                         check=True, capture_output=True).stdout
    return out

cache = {}
def data(name):
    if name not in cache:
        cache[name] = section_bytes(name)
    return cache[name]

taken = set()
cur = None
for line in run('readelf', '-rW', obj).splitlines():
    m = re.match(r"Relocation section '\.rela(\S+)'", line)
    if m:
        # Unwind and debug information name every function: not a call.
        cur = m.group(1)
        if cur == '.eh_frame' or cur.startswith(('.debug', '.note', '.comment')):
            cur = None
        continue
    f = line.split()
    if cur is None or len(f) < 5 or not re.match(r'^[0-9a-f]+$', f[0]):
        continue
    off, rtype = int(f[0], 16), f[2]
    name = f[4]
    addend = int(f[-1].replace('+', ''), 16) if f[-2] in '+-' or f[-1][0] in '+-' else 0
    if f[-2] == '-':
        addend = -int(f[-1], 16)
    elif f[-2] == '+':
        addend = int(f[-1], 16)
    if name not in syms:
        continue
    sec, base, typ = syms[name]
    exec_src = any(s[0] == cur and s[1] for s in sections.values())
    if exec_src and rtype in ('R_X86_64_PC32', 'R_X86_64_PLT32'):
        code = data(cur)
        if off >= 1 and code[off - 1] in (0xe8, 0xe9):
            continue
        if off >= 2 and code[off - 2] == 0x0f and 0x80 <= code[off - 1] <= 0x8f:
            continue
        target = base + addend + 4
    else:
        target = base + addend
    if (sec, target) in funcs:
        taken.add((sec, target))

bad = 0
for sec, off in sorted(taken):
    ok = data(sec)[off:off + 4] == b'\xf3\x0f\x1e\xfa'
    print(('endbr ' if ok else 'MISSING ') + funcs[(sec, off)])
    bad += not ok
sys.exit(1 if bad else 0)
