#!/usr/bin/env python
"""Benchmark the province in Neo4j: first load, re-load, snapshot build, cookbook queries.

    NEO4J_URI=... NEO4J_PASSWORD=... python bench/bench_neo4j.py [--scale 1.0] [--seed 1]
        [--data DIR] [--runs 20] [--skip-load]

The database NEO4J_URI names is WIPED first (start a throw-away one: bash scripts/neo4j.sh
start). It generates the province (bench/gen_province.py; into DIR with --data, reused when DIR
already holds it), runs `chainkg load DATA` twice as a child process against Neo4j (wall time,
CPU time and peak RSS of that child, from os.wait4; the server's CPU time from its JMX bean),
checks with `stats` that the second load changed nothing, builds the analyses' snapshot from
Neo4j in this process, then runs every cookbook query (queries/cypher/*.cypher) on one chain,
warm (two runs first), `--runs` times each and prints p50/p95. It prints the server's heap and
page cache as the server reports them. With --skip-load it wipes and loads nothing: it times
the snapshot and the cookbook on what the database already holds (a province loaded before).

A load's wall time counts everything `chainkg load` does: reading and checking the files, the
write, and the version summary (a snapshot) that a changing load records. On a shared machine
the CPU seconds say more than the wall time: they are printed beside it with `uptime`'s load.

Targets at scale 1 (issue 10): first load < 120 s, peak RSS < 1 GB, second load < 60 s and
unchanged, snapshot < 30 s, each cookbook query p95 < 500 ms. Exit status 0 when all pass, 1
when one is missed, 2 when a command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from bench_load import chainkg_command  # noqa: E402
from neo4j.exceptions import DriverError, Neo4jError  # noqa: E402

_UNAVAILABLE = (DriverError, Neo4jError, KeyError, IndexError, TypeError)

TARGET_LOAD_S = 120.0
TARGET_RELOAD_S = 60.0
TARGET_RSS_MB = 1024.0
TARGET_SNAPSHOT_S = 30.0
TARGET_QUERY_MS = 500.0


@dataclass(frozen=True)
class Child:
    """One `chainkg` child process: exit code, wall and CPU seconds, peak RSS, server CPU."""

    code: int
    seconds: float
    cpu_seconds: float
    peak_mb: float
    server_cpu_seconds: float
    log: Path


class Server:
    """What the Neo4j server says of itself (JMX beans and settings)."""

    def __init__(self, driver: Any, database: str | None) -> None:
        self.driver = driver
        self.database = database

    def query(self, text: str) -> list[Any]:
        records, _, _ = self.driver.execute_query(text, database_=self.database)
        return list(records)

    def cpu_seconds(self) -> float:
        """The server process's CPU time (user + system), or NaN when JMX is not allowed."""
        try:
            rows = self.query(
                "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes "
                "RETURN attributes.ProcessCpuTime.value AS cpu"
            )
            return float(rows[0]["cpu"]) / 1e9
        except _UNAVAILABLE:  # a figure the bench can do without
            return float("nan")

    def memory(self) -> str:
        parts = []
        try:
            heap = self.query(
                "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                "RETURN attributes.HeapMemoryUsage.value.properties AS heap"
            )[0]["heap"]
            parts.append(f"heap max {heap['max'] / 2**20:,.0f} MiB")
        except _UNAVAILABLE:
            parts.append("heap unknown")
        try:
            rows = self.query(
                "SHOW SETTINGS YIELD name, value WHERE name IN "
                "['server.memory.pagecache.size', 'db.memory.transaction.total.max'] "
                "RETURN name, value ORDER BY name"
            )
            parts += [f"{r['name']} = {r['value']}" for r in rows]
        except _UNAVAILABLE:
            parts.append("settings unknown")
        return ", ".join(parts)


def run(command: list[str], log: Path, server: Server) -> Child:
    cpu_before = server.cpu_seconds()
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return Child(
        os.waitstatus_to_exitcode(status),
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        server.cpu_seconds() - cpu_before,
        log,
    )


def generate(data: Path, scale: float, seed: int) -> int:
    """Rows the generated province holds (generating it unless `data` already has it)."""
    manifest = data / "bench-rows.json"
    if manifest.is_file():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("scale") == scale and saved.get("seed") == seed:
            return int(saved["rows"])
    gen = [sys.executable, str(BENCH / "gen_province.py"), str(data), "--json"]
    gen += ["--scale", str(scale), "--seed", str(seed)]
    rows = int(json.loads(subprocess.run(gen, check=True, capture_output=True).stdout)["total"])
    manifest.write_text(json.dumps({"scale": scale, "seed": seed, "rows": rows}), "utf-8")
    return rows


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def cookbook_times(
    server: Server, chain: str, link: str, runs: int
) -> Iterator[tuple[str, int, float, float, float]]:
    """(query, rows, p50 ms, p95 ms, server CPU ms per run) of every cookbook query on
    `chain`, warm. The server's CPU time does not grow with the machine's other load, as the
    wall time does."""
    from queries.cypher import load_all

    for query in load_all():
        given = {"chain": chain, "link": link, "name": chain}
        params = query.bind(**{k: v for k, v in given.items() if k in query.params})
        times: list[float] = []
        rows = 0
        cpu_before = 0.0
        for i in range(runs + 2):
            if i == 2:
                cpu_before = server.cpu_seconds()
            start = time.perf_counter()
            records, _, _ = server.driver.execute_query(
                query.text, params, database_=server.database, routing_="r"
            )
            elapsed = (time.perf_counter() - start) * 1000
            rows = len(records)
            if i >= 2:  # the first two warm the plan cache and the page cache
                times.append(elapsed)
        cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 / max(1, runs)
        yield query.name, rows, statistics.median(times), percentile(times, 95), cpu_ms


def describe(child: Child, rows: int, entities: int) -> str:
    return (
        f"{child.seconds:.1f} s wall ({rows / child.seconds:,.0f} rows/s, "
        f"{entities / child.seconds:,.0f} nodes+relationships/s); CPU: chainkg "
        f"{child.cpu_seconds:.1f} s, server {child.server_cpu_seconds:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, help="folder for the generated data (kept, reused)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each cookbook query")
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="no wipe, no load: time the snapshot and the cookbook on the data already loaded",
    )
    args = parser.parse_args()
    from neo4j import GraphDatabase, NotificationMinimumSeverity

    from app.settings import Settings

    settings = Settings()
    if not settings.neo4j_uri:
        print("需要 NEO4J_URI（bash scripts/neo4j.sh start）", file=sys.stderr)
        return 2
    auth = (settings.neo4j_user, settings.neo4j_password)
    # no server notices (a property the province lacks, …) among the figures
    driver = GraphDatabase.driver(
        settings.neo4j_uri, auth=auth, notifications_min_severity=NotificationMinimumSeverity.OFF
    )
    server = Server(driver, settings.neo4j_database)
    checks: list[bool] = []

    def check(name: str, figure: str, ok: bool) -> None:
        """Print a figure as soon as it is measured (a long run may be cut short)."""
        checks.append(ok)
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}", flush=True)

    if args.skip_load:
        print(f"server: {server.memory()}; the data already loaded (--skip-load)")
        print(f"load average before: {_load()}", flush=True)
        _reads(settings, server, args.runs, check)
        driver.close()
        return 0 if all(checks) else 1
    # Wiped in pieces: one transaction over a province would not fit a 1 GB heap.
    # (relationships first: DETACH DELETE of the province in batches still ran out of memory)
    with driver.session(database=settings.neo4j_database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data or Path(tmp) / "province"
        data.mkdir(parents=True, exist_ok=True)
        rows = generate(data, args.scale, args.seed)
        print(f"server: {server.memory()}; tx_rows {settings.neo4j_tx_rows}")
        print(f"load average before: {_load()}", flush=True)
        load = [*chainkg_command(), "load", str(data)]
        stats = [*chainkg_command(), "stats", "--json"]
        first = run(load, Path(tmp) / "load-1.log", server)
        if first.code != 0:
            print(first.log.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 2
        after_first = subprocess.run(stats, capture_output=True, text=True, check=False).stdout
        counts = json.loads(after_first)
        nodes, rels = sum(counts["nodes"].values()), sum(counts["relationships"].values())
        print(f"rows read: {rows}; graph: {nodes} nodes, {rels} relationships", flush=True)
        check("first load", describe(first, rows, nodes + rels), first.seconds < TARGET_LOAD_S)
        second = run(load, Path(tmp) / "load-2.log", server)
        if second.code != 0:
            print(second.log.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 2
        after_second = subprocess.run(stats, capture_output=True, text=True, check=False).stdout
    check("second load", describe(second, rows, nodes + rels), second.seconds < TARGET_RELOAD_S)
    check(
        "second load changes nothing",
        "stats equal" if after_first == after_second else "DIFFERENT",
        after_first == after_second,
    )
    peak = max(first.peak_mb, second.peak_mb)
    check("peak RSS of chainkg (both loads)", f"{peak:.0f} MB", peak < TARGET_RSS_MB)
    _reads(settings, server, args.runs, check)
    driver.close()
    return 0 if all(checks) else 1


def _reads(
    settings: Any, server: Server, runs: int, check: Callable[[str, str, bool], None]
) -> None:
    """Time the analyses' snapshot built from Neo4j, then every cookbook query on one chain."""
    from queries.snapshot import build_snapshot

    store = settings.open_store()
    cpu_before, own_before = server.cpu_seconds(), time.process_time()
    start = time.perf_counter()
    snap = build_snapshot(store)
    snap_seconds = time.perf_counter() - start
    own, snap_server = time.process_time() - own_before, server.cpu_seconds() - cpu_before
    store.close()
    check(
        "snapshot from Neo4j",
        f"{snap_seconds:.1f} s wall; CPU: this process {own:.1f} s, server {snap_server:.1f} s",
        snap_seconds < TARGET_SNAPSHOT_S,
    )
    chain = next(iter(snap.chains.values()))
    link = snap.links[chain.links[-1]].name if chain.links else ""
    for name, found, p50, p95, cpu_ms in cookbook_times(server, chain.name, link, runs):
        check(
            f"cookbook {name} ({chain.name})",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, server CPU {cpu_ms:.0f} ms a run, {found} rows",
            p95 < TARGET_QUERY_MS,
        )
    print(f"load average after: {_load()}")


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    sys.exit(main())
