#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Live re-apply cost: altcall_apply() with 1, 100 and 10,000 generated
sites at boot (single-threaded, first apply), re-applied single-threaded
(the boot path) and re-applied while a worker thread runs two of the sites
(the live path), and the longest stall the worker sees (bench/src/live_main.c).

    bench/bench_live.py --build BUILD [--tiny] [--out FILE]

Writes a "## Live re-apply" section into bench/RESULTS.md (replacing an
earlier one) and prints it.  Medians of each process's re-applies, median
over PROCS processes; the stall is the worst over all processes, the quiet
figure the worst gap of the same worker over as long without any apply.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_sites  # noqa: E402
from benchutil import BenchError, Config, log, median, parallel, run  # noqa: E402

MAIN_FLAGS = ["-O2", "-Wall", "-Wextra", "-pthread"]
MARKER = "## Live re-apply (bench/bench_live.py)"


def build(cfg, n, out):
    files = gen_sites.generate(out, n, max(1, -(-n // 5000)), pointer=False)
    cc = ["gcc", "-O1", "-fplugin=" + cfg.plugin, "-I" + cfg.include, "-c"]
    parallel(lambda src: run(cc + [src, "-o", src[:-2] + ".o"]), files, cfg.jobs)
    exe = os.path.join(out, "live")
    run(["gcc"] + MAIN_FLAGS + ["-I" + cfg.include, "-DSITES=%d" % n, "-DLAST_FN=s_%d" % (n - 1),
         os.path.join(cfg.src, "live_main.c")] + [f[:-2] + ".o" for f in files] +
        [cfg.runtime, "-o", exe], what="link the %d-site live program" % n)
    return exe


def us(ns):
    return "%.1f" % (ns / 1000.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args()
    cfg = Config(args.build, args.tiny)
    procs = 3 if args.tiny else 7
    plan = [(1, 2000), (100, 500), (10000, 40)]
    if args.tiny:
        plan = [(1, 200), (100, 50), (10000, 5)]
    rows = []
    try:
        for n, reps in plan:
            log("live: %d sites" % n)
            exe = build(cfg, n, cfg.workdir("live", "sites-%d" % n))
            res = []
            for _ in range(procs):
                line = run([exe, str(reps)], what="%d-site live run" % n)
                res.append({k: int(v) for k, v in (kv.split("=") for kv in line.split())})
            rows.append((n, reps, {k: median([r[k] for r in res]) for k in ("boot", "reboot", "live")},
                         {k: max(r[k] for r in res) for k in ("stall", "quiet", "cpustall", "cpuquiet")}))
    except BenchError as e:
        log("bench_live: FAILED: %s" % e)
        return 1
    text = [MARKER, "",
            "x86-64, %d processes per size; times in microseconds; `bench/bench_live.py%s`, "
            "one run, load average %.2f at the end." % (procs, " --tiny" if args.tiny else "",
                                                        os.getloadavg()[0]), "",
            "| sites | boot apply (first, 1 thread) | re-apply, 1 thread (boot path) | "
            "re-apply live, 1 worker running | live / 1-thread | worker's longest gap: live re-applies / "
            "no apply (wall) | the same in the worker's CPU time |",
            "|---|---|---|---|---|---|---|"]
    for n, reps, m, g in rows:
        text.append("| %d | %s | %s | %s | %.1fx | %s / %s | %s / %s |" % (
            n, us(m["boot"]), us(m["reboot"]), us(m["live"]), m["live"] / max(m["reboot"], 1),
            us(g["stall"]), us(g["quiet"]), us(g["cpustall"]), us(g["cpuquiet"])))
    text += ["", "Per re-apply: medians of %s re-applies per process (a feature flipped each "
             "time, so every site is rewritten). The worker calls two of the sites in a loop; "
             "its stall is the longest time between two iterations over all processes, in wall "
             "time (on a loaded 2-core machine dominated by waiting for a CPU) and in its own CPU "
             "time (what a trap, its signal and the serialising IPIs cost it). The "
             "per-call cost is unchanged by construction: the live path writes the same "
             "instruction bytes as the boot path (the site is one direct call either way), "
             "see the per-call rows above." % "/".join(str(r) for _, r in plan), ""]
    section = "\n".join(text)
    print(section)
    out = args.out or os.path.join(cfg.bench, "RESULTS.md")
    old = open(out).read() if os.path.exists(out) else ""
    if MARKER in old:
        head, tail = old.split(MARKER, 1)
        rest = tail.split("\n## ", 1)
        old = head + ("## " + rest[1] if len(rest) > 1 else "")
        old = old.rstrip("\n") + "\n"
    kernel = "## Linux kernel (bench/kernel.sh)"
    if kernel in old:
        head, tail = old.split(kernel, 1)
        old = head + section + "\n" + kernel + tail
    else:
        old = old + "\n" + section
    with open(out, "w") as f:
        f.write(old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
