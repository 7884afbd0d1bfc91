#!/usr/bin/env python
"""Benchmark the analyses at province scale: snapshot build, then warm per-chain timings.

    python bench/bench_analyses.py [--scales 1,2,5] [--reps 30] [--seed 1]

For each scale it generates the synthetic province (bench/gen_province.py), loads it with
`chainkg load` into bench/out/analyses-s<scale>/chainkg.db (reused when it exists), then in
this process: builds the read snapshot (timed, with the RSS it adds), and for each of the 20
chains runs diagnosis (province and one 市), 链主 ranking, the recruitment list and a what-if,
`--reps` times after one warm-up call. It prints p50 / p95 / max per analysis over every call
and checks the targets of issue 3: snapshot < 10 s; diagnosis and anchors p95 < 10 ms;
recruitment p95 < 25 ms (the targets are set for scale 1).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

from queries.anchors import rank_anchors
from queries.diagnosis import diagnose
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.snapshot import Snapshot, build_snapshot
from queries.whatif import what_if
from store.sqlite import SQLiteStore

BENCH = Path(__file__).resolve().parent
TARGETS_MS = {"diagnosis": 10.0, "diagnosis 市": 10.0, "anchors": 10.0, "recruitment": 25.0}
SNAPSHOT_TARGET_S = 10.0


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def prepare(scale: float, seed: int) -> Path:
    """The loaded store for this scale, generated and loaded once."""
    work = BENCH / "out" / f"analyses-s{scale:g}"
    db = work / "chainkg.db"
    if db.exists():
        return db
    work.mkdir(parents=True, exist_ok=True)
    data = work / "csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J", "CHAINKG_NEO4J"))}
    gen = [sys.executable, str(BENCH / "gen_province.py"), str(data), "--scale", str(scale)]
    print(f"generating scale {scale:g} …", flush=True)
    subprocess.run([*gen, "--seed", str(seed)], check=True, env=env, stdout=subprocess.DEVNULL)
    chainkg = Path(sys.executable).with_name("chainkg")
    print("loading …", flush=True)
    started = time.perf_counter()
    subprocess.run([str(chainkg), "load", str(data), "--db", str(db)], check=True, env=env)
    print(f"  loaded in {time.perf_counter() - started:.1f} s", flush=True)
    return db


def timed(fn: Callable[[], Any], reps: int) -> list[float]:
    fn()  # warm-up: PageRank and caches of the first call are not what an officer waits for
    out = []
    for _ in range(reps):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def a_city(snap: Snapshot) -> str | None:
    cities = sorted(p.name for p in snap.places.values() if p.level == "市" and p.parents)
    return "宜春市" if "宜春市" in cities else (cities[0] if cities else None)


def a_candidate(snap: Snapshot, chain: str, params: AnalysisParams) -> tuple[str, str] | None:
    items = recruit(snap, chain, params, top=1).items
    return (items[0].enterprise_id, items[0].link) if items else None


def run_scale(scale: float, args: argparse.Namespace) -> dict[str, Any]:
    db = prepare(scale, args.seed)
    store = SQLiteStore(db)
    base = rss_mb()
    started = time.perf_counter()
    snap = build_snapshot(store)
    build_s = time.perf_counter() - started
    grown = rss_mb() - base
    params = AnalysisParams()
    city = a_city(snap)
    times: dict[str, list[float]] = {k: [] for k in (*TARGETS_MS, "what-if")}
    for chain in sorted(c.name for c in snap.chains.values()):
        times["diagnosis"] += timed(partial(diagnose, snap, chain, None, params), args.reps)
        times["diagnosis 市"] += timed(partial(diagnose, snap, chain, city, params), args.reps)
        times["anchors"] += timed(partial(rank_anchors, snap, chain, params), args.reps)
        times["recruitment"] += timed(partial(recruit, snap, chain, params), args.reps)
        pick = a_candidate(snap, chain, params)
        if pick is not None:
            ent, link = pick
            times["what-if"] += timed(partial(what_if, snap, chain, ent, params, [link]), args.reps)
    store.close()
    enterprises = len(snap.enterprises)
    print(
        f"\nscale {scale:g}: {enterprises:,} enterprises, {len(snap.projects):,} projects, "
        f"{len(snap.chains)} chains, {len(snap.links):,} links; city scope: {city}"
    )
    print(f"  snapshot build {build_s:.2f} s, +{grown:,.0f} MB RSS (process {rss_mb():,.0f} MB)")
    print(f"  {'analysis':<14}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    summary: dict[str, Any] = {"scale": scale, "build_s": build_s, "rss_mb": grown}
    for name, values in times.items():
        if not values:
            continue
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        summary[name] = p95
        print(f"  {name:<14}{len(values):>7}{p50:>9.2f}{p95:>9.2f}{max(values):>9.2f}")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the analyses (issue 3 targets).")
    parser.add_argument("--scales", default="1", help="comma-separated, e.g. 1,2,5")
    parser.add_argument("--reps", type=int, default=30, help="timed calls per chain and analysis")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    results = [run_scale(float(s), args) for s in args.scales.split(",")]
    ok = True
    for result in results:
        if result["scale"] != 1.0:
            continue
        checks = [
            (
                f"snapshot {result['build_s']:.2f} s < {SNAPSHOT_TARGET_S:g} s",
                result["build_s"] < SNAPSHOT_TARGET_S,
            ),
            *(
                (f"{k} p95 {result[k]:.2f} ms < {v:g} ms", result[k] < v)
                for k, v in TARGETS_MS.items()
                if k in result
            ),
        ]
        print()
        for text, passed in checks:
            print(f"{'PASS' if passed else 'FAIL'}  {text}")
            ok &= passed
    if len(results) > 1:
        first = results[0]
        print("\ngrowth against scale", f"{first['scale']:g}:")
        for result in results[1:]:
            parts = [f"snapshot ×{result['build_s'] / first['build_s']:.1f}"]
            parts += [
                f"{k} ×{result[k] / first[k]:.1f}"
                for k in (*TARGETS_MS, "what-if")
                if k in result and k in first and first[k]
            ]
            print(f"  scale {result['scale']:g}: " + ", ".join(parts))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
