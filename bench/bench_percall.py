# SPDX-License-Identifier: MIT
"""Per-call cost: build bench/src/percall*.c for each variant, count
instructions per call (x86-64: callgrind; arm64: qemu-user's TB log) and
time calls with the TSC, all variants interleaved in each of several
processes."""
import os
import re
import shutil

from benchutil import BenchError, log, median, quartiles, run

# Every variant's driver and callee are compiled with these.  Each function
# starts a page, so that two identical loops (a direct call and a patched
# site) differ only in their page numbers: with 64-byte alignment, where a
# loop fell within its page moved its time by up to 5% from one build to
# the next, more than the 2% the project promises.
BASE = ["-O2", "-falign-functions=4096", "-Wall", "-Wextra"]

# Report order.  Ratios are to the direct call, or for the "random:" rows
# to the same random choice between two direct calls.
ORDER = [
    "direct call",
    "altcall site before apply",
    "altcall site after apply",
    "alternative_call before apply",
    "alternative_call after apply",
    "4-way altcall site before apply",
    "4-way altcall site after apply",
    "if (flag) on a global",
    "if / else if chain on globals, 4 ways",
    "function pointer",
    "function pointer, retpoline",
    "alternative_call before apply, retpoline",
    "function pointer, cet",
    "alternative_call before apply, cet",
    "function pointer, bti",
    "alternative_call before apply, bti",
    "GNU ifunc through the PLT",
    "static_call-style trampoline",
    "random: direct calls (if/else)",
    "random: altcall, 2 sites after apply",
    "random: function pointer",
    "random: function pointer, retpoline",
    "random: function pointer, cet",
    "random: function pointer, bti",
]
BASELINE = {True: "random: direct calls (if/else)", False: "direct call"}
# The project's promise: these are a direct call.
BAR = ("altcall site before apply", "altcall site after apply", "alternative_call after apply",
       "4-way altcall site before apply", "4-way altcall site after apply")
BAR_CYCLES = 0.02


def baseline_of(name):
    return BASELINE[name.startswith("random:")]


def translation_units(cfg, arch):
    """[(tu name, source, extra flags)] for arch; tu names match percall.h's."""
    if arch == "x86_64":
        plugin = "-fplugin=" + cfg.plugin
        mitigations = [
            ("retpoline", ["-mindirect-branch=thunk", "-mindirect-branch-register"]),
            ("cet", ["-fcf-protection=full"]),
        ]
    else:
        plugin = "-fplugin=" + cfg.plugin_a64
        mitigations = [("bti", ["-mbranch-protection=standard"])]
    tus = [
        ("plain", "percall_plain.c", []),
        ("altcall-before", "percall_altcall.c", [plugin, "-DPATCHED=0"]),
        ("altcall-after", "percall_altcall.c", [plugin, "-DPATCHED=1"]),
    ]
    for name, flags in mitigations:
        tus.append((name, "percall_indirect.c", [plugin, "-DMITIGATION=" + name] + flags))
    return tus


def build(cfg, arch):
    """Build the percall program for arch; returns (exe, {tu: flags})."""
    out = cfg.workdir("percall-" + arch)
    if arch == "x86_64":
        cc, runtime = "gcc", cfg.runtime
    else:
        cc, runtime = "aarch64-linux-gnu-gcc", cfg.runtime_a64
    inc = ["-I" + cfg.include]
    objs, flags = [], {}
    for tu, src, extra in translation_units(cfg, arch):
        obj = os.path.join(out, tu + ".o")
        run([cc] + BASE + extra + inc + ["-c", os.path.join(cfg.src, src), "-o", obj],
            what="compile %s (%s)" % (tu, arch))
        objs.append(obj)
        flags[tu] = " ".join(BASE + extra)
    lib = os.path.join(out, "libpercall-ifunc.so")
    lib_flags = BASE + ["-fPIC", "-shared"]
    run([cc] + lib_flags + inc + [os.path.join(cfg.src, "percall_ifunc_lib.c"), "-o", lib],
        what="build the ifunc library (%s)" % arch)
    flags["ifunc library"] = " ".join(lib_flags)
    main = os.path.join(out, "main.o")
    run([cc] + BASE + inc + ["-c", os.path.join(cfg.src, "percall_main.c"), "-o", main],
        what="compile percall_main.c (%s)" % arch)
    exe = os.path.join(out, "percall")
    run([cc, "-o", exe, main] + objs + ["-L" + out, "-lpercall-ifunc", "-Wl,-rpath,$ORIGIN",
                                        runtime], what="link percall (%s)" % arch)
    return exe, flags


def variants(exe, wrap=()):
    """[(name, tu, driver symbol)] as the program lists them."""
    return [tuple(line.split("\t")) for line in
            run(list(wrap) + [exe, "list"], what="percall list").splitlines()]


CG_LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\S*?:(\S+)")


def callgrind_ir(cfg, exe, n):
    """{driver symbol: inclusive Ir} of one 'percall count n' under callgrind.
    --smc-check=all: the program rewrites its own text."""
    out = os.path.join(cfg.work, "percall-x86_64", "callgrind.%d" % n)
    run(["valgrind", "--tool=callgrind", "--smc-check=all", "--callgrind-out-file=" + out,
         exe, "count", str(n)], what="percall count under callgrind")
    ir = {}
    for line in run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out]).splitlines():
        m = CG_LINE.match(line)
        if m and m.group(2).startswith("drive_"):
            ir[m.group(2)] = int(m.group(1).replace(",", ""))
    return ir


def counts_x86(cfg, exe, table):
    n1, n2 = cfg.count_n
    a, b = callgrind_ir(cfg, exe, n1), callgrind_ir(cfg, exe, n2)
    counts = {}
    for name, _, sym in table:
        if sym not in a or sym not in b:
            raise BenchError("callgrind has no cost for %s (%s)" % (sym, name))
        counts[name] = round((b[sym] - a[sym]) / (n2 - n1), 2)
    return counts


QEMU = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]
TB_EXEC = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
TB_INSN = re.compile(r"^0x([0-9a-f]+):\s")


def qemu_insns(cfg, exe, n, sym):
    """Guest instructions one 'percall count n sym' executes under qemu-user:
    each translated block's instructions (-d in_asm) times its executions
    (-d exec with chaining off, so that every execution is logged)."""
    log_path = os.path.join(cfg.work, "percall-aarch64", "qemu.log")
    run(QEMU + ["-d", "in_asm,exec,nochain", "-D", log_path, exe, "count", str(n), sym],
        what="percall count %s under qemu-aarch64" % sym)
    size, total, block = {}, 0, None
    with open(log_path) as f:
        for line in f:
            if line.startswith("IN:"):
                block = None
                continue
            m = TB_INSN.match(line)
            if m:
                if block is None:
                    block = int(m.group(1), 16)
                    size[block] = 0
                size[block] += 1
                continue
            m = TB_EXEC.match(line)
            if m:
                total += size[int(m.group(1), 16)]
    os.unlink(log_path)
    return total


def arm64_missing(cfg):
    for tool in ("aarch64-linux-gnu-gcc", "qemu-aarch64"):
        if not shutil.which(tool):
            return tool + " not installed"
    for path in (cfg.plugin_a64, cfg.runtime_a64):
        if not os.path.exists(path):
            return path + " not built"
    if not os.path.isdir("/usr/aarch64-linux-gnu"):
        return "no arm64 sysroot in /usr/aarch64-linux-gnu"
    return None


def counts_arm64(cfg):
    exe, flags = build(cfg, "aarch64")
    n1, n2 = cfg.count_n
    counts = {}
    for name, _, sym in variants(exe, QEMU):
        a, b = qemu_insns(cfg, exe, n1, sym), qemu_insns(cfg, exe, n2, sym)
        # Rounded: qemu logs a block again when an exit request interrupts
        # it before it runs, a few extra blocks in a run.
        counts[name] = round((b - a) / (n2 - n1), 2)
    return counts, flags


def timings(cfg, exe):
    """{name: [TSC ticks per call, one per round of every process]}: the
    processes alternate too, each with its own address-space layout."""
    ticks = {}
    for _ in range(cfg.percall_procs):
        out = run([exe, "time", str(cfg.percall_n), str(cfg.percall_reps)], what="percall time")
        for line in out.splitlines():
            fields = line.split("\t")
            ticks.setdefault(fields[0], []).extend(float(x) for x in fields[2:])
    return ticks


def measure(cfg):
    """Everything for the per-call part of the report."""
    log("per call: building (x86-64)")
    exe, flags = build(cfg, "x86_64")
    table = variants(exe)
    log("per call: counting instructions under callgrind")
    insns = counts_x86(cfg, exe, table)
    log("per call: timing %d process(es) x %d rounds of %d calls per variant" % (
        cfg.percall_procs, cfg.percall_reps, cfg.percall_n))
    ticks = timings(cfg, exe)
    rows = []
    for name, tu, sym in sorted(table, key=lambda v: ORDER.index(v[0])):
        base = baseline_of(name)
        t = ticks[name]
        rows.append({
            "name": name, "tu": tu, "sym": sym,
            "insns": insns[name], "insn_ratio": insns[name] / insns[base],
            "ticks": median(t), "spread": quartiles(t), "min": min(t), "max": max(t),
            "tick_ratio": median(t) / median(ticks[base]),
        })
    result = {"rows": rows, "flags": flags, "arm64": None, "arm64_flags": None}
    missing = arm64_missing(cfg)
    if missing:
        result["arm64_skipped"] = missing
    else:
        log("per call: counting arm64 instructions under qemu-aarch64")
        result["arm64"], result["arm64_flags"] = counts_arm64(cfg)
    return result


def bar(row):
    """(instructions equal, ticks within 2%) for a row the project promises."""
    return row["insn_ratio"] == 1.0, abs(row["tick_ratio"] - 1.0) <= BAR_CYCLES
