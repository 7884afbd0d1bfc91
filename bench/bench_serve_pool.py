#!/usr/bin/env python
"""Benchmark the server over a large outside candidate pool (issue 17), on either store.

    python bench/bench_serve_pool.py --db FILE [--clients 8] [--seconds 15] [--chains 20]
    python bench/bench_serve_pool.py --neo4j [--clients 8] [--seconds 15]    # NEO4J_URI, … set

The store must already hold a province with its pool (load `bench/gen_province.py` output
with `chainkg load`; `--outside N` sets the pool's size where the generator has it). The
server keeps the province in memory and reads candidates from the store by link, so
this prints, for the given store:

1. the pool's size (outside enterprises) and the store's counts;
2. the server's first answer: seconds from starting `chainkg serve` until /api/v1/chains
   answers (the snapshot build included), and its RSS then;
3. the first (computed, cold) answer of every chain's recruitment list, diagnosis and 链主
   ranking, one at a time: p50 / p95 / p99 / max per route;
4. `--clients` concurrent clients asking a random mix for `--seconds` (warm answers), with
   p50 / p95 / p99 / max, and the server's RSS and peak RSS (VmHWM) afterwards;
5. with `--upload FILE…` (a new version: CSV, xlsx or zip files), that version taken in over
   HTTP (`POST /api/v1/imports` with the write token) while the server's RSS is sampled every
   20 ms: RSS before, the largest during the import and after it, the import's seconds and
   server CPU, and the first recruitment answer of the new version;
6. PASS/FAIL against the targets: first answer < 10 s, RSS < 2 GB (before, during and after
   an upload too), recruitment p95 < 3 s cold and < 1 s warm.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from bench_serve import (  # noqa: E402  (a script beside this one)
    Timings,
    chainkg,
    child_env,
    free_port,
    hammer,
    pct,
    rss_mb,
)

FIRST_ANSWER_S = 10.0
RSS_MB = 2048.0
RECRUIT_COLD_P95_MS = 3000.0
RECRUIT_WARM_P95_MS = 1000.0
ROUTES = ("recruitment", "diagnosis", "anchors")
TOKEN = "bench-serve-pool-token-0123456789"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (a figure the machine's load does not
    inflate, unlike wall time)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_env(neo4j: bool) -> dict[str, str]:
    env = child_env()
    env["CHAINKG_WRITE_TOKEN"] = TOKEN  # for --upload
    env["CHAINKG_IMPORT_TIMEOUT_S"] = "7200"  # memory is measured, on a busy machine too
    if neo4j:
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            if os.environ.get(name):
                env[f"CHAINKG_{name}"] = os.environ[name]
    return env


def store_counts(db: Path | None) -> dict[str, dict[str, int]]:
    from app.settings import Settings

    settings = Settings() if db is None else Settings(db=str(db), neo4j_uri=None)
    store = settings.open_store()
    try:
        return store.stats()
    finally:
        store.close()


def outside_count(db: Path | None) -> int:
    from app.settings import Settings

    settings = Settings() if db is None else Settings(db=str(db), neo4j_uri=None)
    store = settings.open_store()
    try:
        local = len(store.local_enterprise_ids())
        return store.stats()["nodes"]["Enterprise"] - local
    finally:
        store.close()


def start(db: Path | None, neo4j: bool) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    cmd = [*chainkg(), "serve", "--port", str(port)]
    if db is not None:
        cmd += ["--db", str(db)]
    log = (BENCH / "out" / "pool-serve.log").open("wb")
    server = subprocess.Popen(cmd, env=server_env(neo4j), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    while True:
        try:
            if httpx.get(f"{url}/api/v1/chains", timeout=600).status_code == 200:
                return server, url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.05)
        if server.poll() is not None or time.perf_counter() - started > 900:
            raise SystemExit("服务未能启动（见 bench/out/pool-serve.log）")


def requests_for(url: str, chains: int) -> list[tuple[str, str]]:
    listed = httpx.get(f"{url}/api/v1/chains", timeout=60).json()[:chains]
    out = []
    for chain in listed:
        base = f"{url}/api/v1/chains/{quote(chain['id'], safe='')}"
        out.append(("recruitment", f"{base}/recruitment"))
        out.append(("diagnosis", f"{base}/diagnosis"))
        out.append(("anchors", f"{base}/anchors"))
    return out


def cold(todo: list[tuple[str, str]], pid: int) -> tuple[Timings, Timings]:
    """Each request once, one at a time: wall times, and the server's CPU time per request
    (ms; what the machine's load does not inflate)."""
    timings, cpu = Timings(), Timings()
    started = time.perf_counter()
    with httpx.Client(timeout=600) as client:
        for route, url in todo:
            t0, c0 = time.perf_counter(), cpu_seconds(pid)
            response = client.get(url)
            timings.add(route, (time.perf_counter() - t0) * 1000)
            cpu.add(route, (cpu_seconds(pid) - c0) * 1000)
            timings.errors += response.status_code != 200
    timings.seconds = cpu.seconds = time.perf_counter() - started
    return timings, cpu


def upload(url: str, pid: int, files: list[Path]) -> dict[str, float | str]:
    """Post `files` as one import while sampling the server's RSS every 20 ms."""
    result: dict[str, float | str] = {}

    def send() -> None:
        handles = [p.open("rb") for p in files]
        try:
            response = httpx.post(
                f"{url}/api/v1/imports",
                files=[("files", (p.name, h)) for p, h in zip(files, handles, strict=True)],
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=7200,
            )
            result["status"] = str(response.status_code)
            result["body"] = response.text[:300]
        except httpx.HTTPError as exc:
            result["status"] = type(exc).__name__
        finally:
            for h in handles:
                h.close()

    result["before_mb"], _ = rss_mb(pid)
    during = 0.0
    c0, started = cpu_seconds(pid), time.perf_counter()
    thread = threading.Thread(target=send)
    thread.start()
    while thread.is_alive():
        during = max(during, rss_mb(pid)[0])
        time.sleep(0.02)
    result["seconds"] = time.perf_counter() - started
    result["cpu_s"] = cpu_seconds(pid) - c0
    result["during_mb"] = during
    result["after_mb"], result["peak_mb"] = rss_mb(pid)
    return result


def table(title: str, timings: Timings) -> None:
    every = timings.all()
    rate = len(every) / timings.seconds if timings.seconds else 0.0
    print(
        f"\n{title}: {len(every)} requests in {timings.seconds:.1f} s, {rate:.1f} req/s, "
        f"{timings.errors} errors"
    )
    print(f"  {'route':<13}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for route in ROUTES:
        values = timings.by_route.get(route, [])
        if values:
            print(
                f"  {route:<13}{len(values):>6}{pct(values, 50):>10.1f}{pct(values, 95):>10.1f}"
                f"{pct(values, 99):>10.1f}{max(values):>10.1f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--db", type=Path, help="a SQLite store holding the province and pool")
    which.add_argument("--neo4j", action="store_true", help="the Neo4j store of NEO4J_URI")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--chains", type=int, default=20, help="chains asked about")
    parser.add_argument(
        "--upload", type=Path, nargs="+", help="files of a new version to import over HTTP"
    )
    args = parser.parse_args(argv)
    (BENCH / "out").mkdir(exist_ok=True)
    db = args.db.resolve() if args.db else None
    if db is not None and not db.exists():
        raise SystemExit(f"找不到数据库文件：{db}")

    stats = store_counts(db)
    outside = outside_count(db)
    rels = sum(stats["relationships"].values())
    print(f"store: {'neo4j' if args.neo4j else db}")
    print(
        f"enterprises {stats['nodes']['Enterprise']:,} (outside pool {outside:,}), "
        f"relationships {rels:,}, load average {os.getloadavg()[0]:.2f}"
    )
    server, url, first = start(db, args.neo4j)
    try:
        rss_first, _ = rss_mb(server.pid)
        print(
            f"\nfirst answer after start (snapshot included): {first:.1f} s wall, "
            f"{cpu_seconds(server.pid):.1f} s CPU of the server, RSS {rss_first:.0f} MB"
        )
        todo = requests_for(url, args.chains)
        first_answers, cpu = cold(todo, server.pid)
        table("first (cold, computed) answers, one at a time", first_answers)
        table("  the same: the server's CPU time per request (ms)", cpu)
        rss_cold, _ = rss_mb(server.pid)
        print(f"  RSS after the cold answers: {rss_cold:.0f} MB")
        deadline = time.perf_counter() + args.seconds
        warm = asyncio.run(hammer(todo, args.clients, lambda: time.perf_counter() > deadline))
        table(f"warm, {args.clients} concurrent clients", warm)
        rss, peak = rss_mb(server.pid)
        print(f"  RSS after the concurrent load: {rss:.0f} MB (peak VmHWM {peak:.0f} MB)")
        taken: dict[str, float | str] = {}
        if args.upload:
            taken = upload(url, server.pid, args.upload)
            print(
                f"\nnew version over HTTP ({', '.join(p.name for p in args.upload)}): "
                f"HTTP {taken['status']} in {float(taken['seconds']):.1f} s, "
                f"{float(taken['cpu_s']):.1f} s CPU of the server"
            )
            if taken["status"] != "200":
                print(f"  {taken.get('body', '')}")
            print(
                f"  server RSS before {float(taken['before_mb']):.0f} MB, during (largest) "
                f"{float(taken['during_mb']):.0f} MB, after {float(taken['after_mb']):.0f} MB; "
                f"peak VmHWM {float(taken['peak_mb']):.0f} MB"
            )
            after, _ = cold(todo[:1], server.pid)
            print(f"  first recruitment answer of the new version: {after.all()[0]:.0f} ms")
            peak = max(peak, float(taken["peak_mb"]))
    finally:
        server.terminate()
        server.wait(timeout=60)
    cold_p95 = pct(first_answers.by_route.get("recruitment", [0.0]), 95)
    warm_p95 = pct(warm.by_route.get("recruitment", [0.0]), 95)
    checks = [
        (f"first answer {first:.1f} s < {FIRST_ANSWER_S:g} s", first < FIRST_ANSWER_S),
        (f"peak RSS {peak:.0f} MB < {RSS_MB:g} MB", peak < RSS_MB),
        *(
            [(f"new version taken in (HTTP {taken['status']})", taken["status"] == "200")]
            if args.upload
            else []
        ),
        (
            f"recruitment cold p95 {cold_p95:.0f} ms < {RECRUIT_COLD_P95_MS:g} ms",
            cold_p95 < RECRUIT_COLD_P95_MS,
        ),
        (
            f"recruitment warm p95 {warm_p95:.0f} ms < {RECRUIT_WARM_P95_MS:g} ms",
            warm_p95 < RECRUIT_WARM_P95_MS,
        ),
    ]
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
