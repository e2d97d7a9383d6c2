#!/usr/bin/env python3
"""Print 'sealed' or 'not sealed' for each named function of an x86 vmlinux:
whether objtool listed its ENDBR in .ibt_endbr_seal (the s32 PC-relative
entries between __ibt_endbr_seal and __ibt_endbr_seal_end), which
apply_ibt_endbr() poisons at boot.  A function reached only through
altcall sites must be sealed: the records do not count as taking its
address.

  ibt-sealed.py vmlinux FUNCTION...
"""
import re
import struct
import subprocess
import sys


def main():
    vmlinux, names = sys.argv[1], sys.argv[2:]
    syms = {}
    for line in subprocess.run(['nm', vmlinux], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    start, end = syms['__ibt_endbr_seal'], syms['__ibt_endbr_seal_end']
    headers = subprocess.run(['readelf', '-SW', vmlinux], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    data = b''
    for h in headers:
        m = re.match(r'\s*\[\s*\d+\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)', h)
        if m:
            addr, off, size = (int(g, 16) for g in m.groups())
            if addr <= start < addr + size:
                with open(vmlinux, 'rb') as f:
                    f.seek(off + start - addr)
                    data = f.read(end - start)
                break
    sealed = {(start + i + struct.unpack('<i', data[i:i + 4])[0]) % 2**64
              for i in range(0, len(data), 4)}
    for name in names:
        print('%s: %s' % (name, 'sealed' if syms.get(name) in sealed else 'not sealed'))


if __name__ == '__main__':
    main()
