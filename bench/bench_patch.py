# SPDX-License-Identifier: MIT
"""Patching cost: the first altcall_apply() of a fresh process with 1k, 10k
and 100k generated sites, beside what mprotect and page faults alone cost
over the same text (bench/src/mprotect_cost.c)."""
import os
import time

import gen_sites
from benchutil import BenchError, log, median, parallel, run, user_time

# -O1 keeps 100k generated functions quick to compile on 2 cores.
GEN_FLAGS = ["-O1"]
MAIN_FLAGS = ["-O2", "-Wall", "-Wextra"]
SITES_PER_FILE = 5000


def key_values(line):
    return {k: int(v) for k, v in (kv.split("=") for kv in line.split())}


def build_apply(cfg, n, out):
    """Generate and compile n sites; link the timed and the traced program.
    Returns (timed exe, traced exe, compile wall seconds, compile user seconds)."""
    files = gen_sites.generate(out, n, max(1, -(-n // SITES_PER_FILE)), pointer=False)
    cc = ["gcc"] + GEN_FLAGS + ["-fplugin=" + cfg.plugin, "-I" + cfg.include, "-c"]
    t0 = time.monotonic()
    users = parallel(lambda src: user_time(cc + [src, "-o", src[:-2] + ".o"]), files, cfg.jobs)
    wall = time.monotonic() - t0
    objs = [src[:-2] + ".o" for src in files]
    defs = ["-DSITES=%d" % n, "-DLAST_SITE=%d" % (n - 1), "-DLAST_FN=s_%d" % (n - 1)]
    main = ["gcc"] + MAIN_FLAGS + ["-I" + cfg.include] + defs + [os.path.join(cfg.src, "apply_main.c")]
    exe, traced = os.path.join(out, "apply"), os.path.join(out, "apply-traced")
    run(main + objs + [cfg.runtime, "-o", exe], what="link the %d-site program" % n)
    run(main + [os.path.join(cfg.src, "mprotect_trace.c"), "-Wl,--wrap=mprotect"] + objs +
        [cfg.runtime, "-o", traced], what="link the traced %d-site program" % n)
    return exe, traced, wall, sum(users)


def measure(cfg):
    out = cfg.workdir("patch")
    mpc = os.path.join(out, "mprotect_cost")
    run(["gcc"] + MAIN_FLAGS + [os.path.join(cfg.src, "mprotect_cost.c"), "-o", mpc],
        what="build mprotect_cost")
    results = []
    for n in cfg.patch_sites:
        log("patching: %d sites: generating and compiling" % n)
        exe, traced, wall, user = build_apply(cfg, n, cfg.workdir("patch", "sites-%d" % n))
        log("patching: %d sites: %d fresh processes" % (n, cfg.patch_reps))
        # Each run is a fresh process: the first apply, faults included.
        # Timed and traced runs alternate so that drift hits both alike.
        timed, trace = [], []
        for _ in range(cfg.patch_reps):
            timed.append(key_values(run([exe], what="%d-site apply" % n)))
            trace.append(key_values(run([traced], what="traced %d-site apply" % n)))
        span = timed[0]["span"]
        cost = {}
        for line in run([mpc, exe, str(span), str(n), str(cfg.patch_reps)],
                        what="mprotect_cost").splitlines():
            mode, ns, pairs = line.split("\t")
            cost[mode] = {"ns": int(ns), "pairs": int(pairs)}
        for r in timed + trace:
            if r["patched"] != n:
                raise BenchError("%d-site apply patched %d" % (n, r["patched"]))
        results.append({
            "sites": n, "compile_wall": wall, "compile_user": user,
            "ns": median([r["ns"] for r in timed]),
            "ns_all": sorted(r["ns"] for r in timed),
            "minflt": median([r["minflt"] for r in timed]),
            "span": span,
            "mprotects": median([r["mprotects"] for r in trace]),
            "mprotect_ns": median([r["mprotect_ns"] for r in trace]),
            "traced_ns": median([r["ns"] for r in trace]),
            "cost": cost,
        })
    return {"runs": results, "gen_flags": " ".join(GEN_FLAGS + ["-fplugin=altcall.so"]),
            "main_flags": " ".join(MAIN_FLAGS), "jobs": cfg.jobs}
