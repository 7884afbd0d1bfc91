#!/usr/bin/env python
"""Benchmark loading the generated province into Neo4j: first load, re-load, snapshot build.

    NEO4J_URI=... NEO4J_PASSWORD=... python bench/bench_neo4j.py [--scale 1.0] [--seed 1]

The database NEO4J_URI names is WIPED first (start a throw-away one: bash scripts/neo4j.sh
start). It generates the province (bench/gen_province.py), runs `chainkg load DATA` twice as a
child process against Neo4j (wall time and peak RSS of that child, from os.wait4), checks with
`stats` that the second load changed nothing, then builds the analyses' snapshot from Neo4j in
this process. Targets at scale 1 (issue 10): first load < 120 s, peak RSS < 1 GB, second load
< 60 s and unchanged, snapshot < 30 s. Exit status 0 when all pass, 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from bench_load import Run, chainkg_command  # noqa: E402


def run(command: list[str], log: Path) -> Run:
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return Run(os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from neo4j import GraphDatabase

    from app.settings import Settings
    from queries.snapshot import build_snapshot

    settings = Settings()
    if not settings.neo4j_uri:
        print("需要 NEO4J_URI（bash scripts/neo4j.sh start）", file=sys.stderr)
        return 2
    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.neo4j_database)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "province"
        gen = [sys.executable, str(BENCH / "gen_province.py"), str(data), "--json"]
        gen += ["--scale", str(args.scale), "--seed", str(args.seed)]
        rows = json.loads(subprocess.run(gen, check=True, capture_output=True).stdout)["total"]
        load = [*chainkg_command(), "load", str(data)]
        stats = [*chainkg_command(), "stats", "--json"]
        first = run(load, Path(tmp) / "load-1.log")
        after_first = subprocess.run(stats, capture_output=True, text=True, check=False).stdout
        second = run(load, Path(tmp) / "load-2.log")
        after_second = subprocess.run(stats, capture_output=True, text=True, check=False).stdout
        for r in (first, second):
            if r.code != 0:
                print(r.log.read_text(encoding="utf-8", errors="replace")[-3000:])
                return 2
    store = settings.open_store()
    start = time.perf_counter()
    snap = build_snapshot(store)
    snap_seconds = time.perf_counter() - start
    store.close()
    counts = json.loads(after_first)
    nodes, rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
    print(
        f"rows read: {rows}; graph: {nodes} nodes, {rels} relationships; chains {len(snap.chains)}"
    )
    print(
        f"server: heap {os.environ.get('NEO4J_HEAP', '1g')}, "
        f"page cache {os.environ.get('NEO4J_PAGECACHE', '512m')}, tx_rows {settings.neo4j_tx_rows}"
    )
    checks = [
        (
            "first load",
            f"{first.seconds:.1f} s, {rows / first.seconds:,.0f} rows/s, "
            f"{(nodes + rels) / first.seconds:,.0f} entities/s",
            first.seconds < 120,
        ),
        (
            "peak RSS (both loads)",
            f"{max(first.peak_mb, second.peak_mb):.0f} MB",
            max(first.peak_mb, second.peak_mb) < 1024,
        ),
        ("second load", f"{second.seconds:.1f} s", second.seconds < 60),
        (
            "second load changes nothing",
            "stats equal" if after_first == after_second else "DIFFERENT",
            after_first == after_second,
        ),
        ("snapshot from Neo4j", f"{snap_seconds:.1f} s", snap_seconds < 30),
    ]
    for name, figure, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}")
    return 0 if all(ok for _, _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
