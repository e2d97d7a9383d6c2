# SPDX-License-Identifier: MIT
"""A realistic library dispatch: CRC-32C chosen by CPU feature through an
ops struct in a shared library (bench/src/libdispatch_lib.c), the same
source built plain (an indirect call), with retpolines, and with altcall
(alternative_call, then altcall_pointers_final()), called from one driver
(bench/src/libdispatch_main.c).  x86-64: instructions per call by
callgrind (the driver's inclusive cost, by difference of two call
counts), and TSC ticks per call; ratios to the plain build."""
import os
import re

from benchutil import BenchError, log, median, run

BASE = ["-O2", "-fPIC", "-shared", "-Wall", "-Wextra"]
RETPOLINE = ["-mindirect-branch=thunk", "-mindirect-branch-register"]
LENGTHS = (16, 256)
CG_LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\S*?:(\S+)")


def variants(cfg):
    plugin = "-fplugin=" + cfg.plugin
    return [
        ("plain (function pointer)", []),
        ("retpolines (function pointer)", RETPOLINE),
        ("altcall (alternative_call, declared final)", [plugin]),
        ("altcall, retpolines", [plugin] + RETPOLINE),
    ]


def build(cfg):
    out = cfg.workdir("library")
    drv = os.path.join(out, "main.o")
    run(["gcc", "-O2", "-Wall", "-c", os.path.join(cfg.src, "libdispatch_main.c"), "-o", drv],
        what="compile the library driver")
    built = []
    for i, (name, flags) in enumerate(variants(cfg)):
        d = cfg.workdir("library", "v%d" % i)
        lib = os.path.join(d, "liblibdispatch.so")
        run(["gcc"] + BASE + flags + ["-I" + cfg.include, os.path.join(cfg.src, "libdispatch_lib.c"),
                                      cfg.runtime, "-o", lib], what="build the %s library" % name)
        exe = os.path.join(d, "libdispatch")
        run(["gcc", drv, "-L" + d, "-llibdispatch", "-Wl,-rpath," + d, "-o", exe],
            what="link the %s driver" % name)
        built.append((name, " ".join(BASE + flags).replace(cfg.plugin, "altcall.so"), exe))
    return built


def drive_ir(cfg, exe, n, length):
    out = os.path.join(os.path.dirname(exe), "callgrind.%d.%d" % (n, length))
    run(["valgrind", "--tool=callgrind", "--smc-check=all", "--callgrind-out-file=" + out,
         exe, "count", str(n), str(length)], what="libdispatch under callgrind")
    for line in run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out]).splitlines():
        m = CG_LINE.match(line)
        if m and m.group(2) == "drive":
            return int(m.group(1).replace(",", ""))
    raise BenchError("callgrind has no cost for the library driver")


def measure(cfg):
    log("library dispatch: building")
    built = build(cfg)
    log("library dispatch: counting and timing")
    n1, n2 = cfg.count_n
    procs, calls, reps = (1, 20000, 3) if cfg.tiny else (7, 200000, 5)
    rows = []
    for length in LENGTHS:
        res = {}
        for name, flags, exe in built:
            insns = (drive_ir(cfg, exe, n2, length) - drive_ir(cfg, exe, n1, length)) / (n2 - n1)
            ticks = []
            for _ in range(procs):
                ticks += [float(x) for x in run([exe, "time", str(calls), str(length), str(reps)],
                                                what="libdispatch time").split()]
            res[name] = (insns, median(ticks))
        base = res[variants(cfg)[0][0]]
        for name, _, _ in built:
            insns, ticks = res[name]
            rows.append(("library dispatch", "CRC-32C of %d bytes: %s" % (length, name),
                         "%.2f insn; %.2f ticks" % (insns, ticks),
                         "%.2f insn; %.3f ticks" % (insns / base[0], ticks / base[1]), ""))
    impl = None
    for name, _, exe in built:
        what, patched = run([exe, "count", "1", "16"]).split()
        if ("altcall" in name) != (int(patched) > 0):
            raise BenchError("library dispatch, %s: %s sites patched" % (name, patched))
        impl = what
    return {"rows": rows, "impl": impl, "flags": [(n, f) for n, f, _ in built]}
