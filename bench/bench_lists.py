#!/usr/bin/env python
"""Benchmark the 四图五清单 views at province scale, over real HTTP on loopback.

    python bench/bench_lists.py [--scale 1] [--seed 1] [--repeat 50]

1. generates the synthetic province (bench/gen_province.py) and loads it once into
   bench/out/lists-s<scale>/chainkg.db (reused when present);
2. starts `chainkg serve` as a child process and waits for its first answer;
3. picks the chain with the most enterprises and its 市 with the most local firms, and times:
   - the filtered 企业清单 page (HTML, 50 per page) of that chain in that 市, and the same
     list as JSON — first answer, then --repeat warm answers (p50 / p95);
   - the full 企业清单 of the chain as XLSX (every row, print layout) — the first answer, which
     builds the workbook (later ones are served from memory, so only the first counts);
   - the province map page of the chain: the HTML, its data (/api/v1/chains/{chain}/regions)
     and the boundaries (/static/geo/jiangxi.json), warm, as the browser fetches them;
4. prints the figures with PASS/FAIL against the targets: list page < 100 ms warm; XLSX of
   about 11 000 rows < 5 s; map page with its data < 300 ms warm.

Beside each wall-clock figure it prints the CPU time the server spent on it (from
/proc/<pid>/stat): on a machine busy with other work the wall clock grows with the load,
while the CPU time is what the request costs an idle core.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LIST_MS = 100.0
XLSX_S = 5.0
MAP_MS = 300.0


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CHAINKG_"))}


def prepare(scale: float, seed: int) -> Path:
    out = BENCH / "out" / f"lists-s{scale:g}"
    db = out / "chainkg.db"
    if db.exists():
        return db
    data = out / "csv"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    run = [sys.executable, str(BENCH / "gen_province.py"), str(data), "--scale", str(scale)]
    subprocess.run([*run, "--seed", str(seed)], check=True, env=_env(), cwd=ROOT)
    started = time.perf_counter()
    load = [sys.executable, "-m", "app.cli", "load", str(data), "--db", str(db)]
    subprocess.run(load, check=True, env=_env(), cwd=ROOT, capture_output=True)
    print(f"loaded {data} in {time.perf_counter() - started:.1f} s")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (Linux), 0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(get: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = get()
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response


def warm(get: Callable[[], float], repeat: int) -> tuple[float, float, float]:
    """First, p50 and p95 (ms) of `repeat` further calls."""
    first = get()
    times = sorted(get() for _ in range(repeat))
    return first, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    db = prepare(args.scale, args.seed)
    port = free_port()
    cmd = [sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(cmd, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    ok = True
    try:
        client = httpx.Client(base_url=url, timeout=120)
        started = time.perf_counter()
        while True:
            try:
                client.get("/api/v1/stats").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.2)
        chains = client.get("/api/v1/chains").json()
        print(f"server up in {time.perf_counter() - started:.1f} s; {len(chains)} chains")
        sizes = []
        for chain in chains:
            name = chain["name"] if isinstance(chain, dict) else str(chain)
            data = client.get("/api/v1/lists/enterprises", params={"chain": name, "size": 1})
            sizes.append((data.json()["total"], name))
        rows, chain = max(sizes)
        city_counts = client.get(f"/api/v1/chains/{quote(chain)}/regions").json()["units"]
        city = max((u for u in city_counts if u["level"] == "市"), key=lambda u: u["firms"])
        region = f"region:江西省/{city['name']}"
        print(f"chain {chain}: {rows} enterprises; {city['name']}: {city['firms']} local firms")

        page = f"/lists/enterprises?chain={quote(chain)}&region={quote(region)}"
        api = f"/api/v1/lists/enterprises?chain={quote(chain)}&region={quote(region)}&size=50"
        cpu = cpu_seconds(server.pid)
        first, p50, p95 = warm(lambda: timed(lambda: client.get(page))[0], args.repeat)
        cpu = (cpu_seconds(server.pid) - cpu) / (args.repeat + 1) * 1000
        print(
            f"企业清单 page ({chain}, {city['name']}, 50/page): first {first:.1f} ms, "
            f"warm p50 {p50:.1f} ms, p95 {p95:.1f} ms  "
            f"{'PASS' if p95 < LIST_MS else 'FAIL'} (< {LIST_MS:.0f} ms); "
            f"server CPU {cpu:.1f} ms per page"
        )
        ok &= p95 < LIST_MS
        first, p50, p95 = warm(lambda: timed(lambda: client.get(api))[0], args.repeat)
        print(f"  same list as JSON: first {first:.1f} ms, warm p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        other = f"/api/v1/lists/enterprises?chain={quote(chain)}&local=是&sort=-revenue&page=3"
        first, p50, p95 = warm(lambda: timed(lambda: client.get(other))[0], 1)
        print(f"  a new filter (local, sorted by revenue, page 3), first answer: {first:.1f} ms")

        xlsx = f"/api/v1/lists/enterprises?chain={quote(chain)}&format=xlsx"
        cpu = cpu_seconds(server.pid)
        ms, response = timed(lambda: client.get(xlsx))
        cpu = cpu_seconds(server.pid) - cpu
        print(
            f"企业清单 XLSX of {chain} ({rows} rows, {len(response.content) / 1e6:.1f} MB): "
            f"{ms / 1000:.2f} s  {'PASS' if ms / 1000 < XLSX_S else 'FAIL'} (< {XLSX_S:.0f} s); "
            f"server CPU {cpu:.2f} s"
        )
        ok &= ms / 1000 < XLSX_S

        def map_page() -> float:
            total = 0.0
            for path in (
                f"/chains/{quote(chain)}/regions",
                f"/api/v1/chains/{quote(chain)}/regions",
                "/static/geo/jiangxi.json",
            ):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                total += (time.perf_counter() - started) * 1000
            return total

        cpu = cpu_seconds(server.pid)
        first, p50, p95 = warm(map_page, args.repeat)
        cpu = (cpu_seconds(server.pid) - cpu) / (args.repeat + 1) * 1000
        print(
            f"map page with its data ({chain}): first {first:.1f} ms, warm p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms  {'PASS' if p95 < MAP_MS else 'FAIL'} (< {MAP_MS:.0f} ms); "
            f"server CPU {cpu:.1f} ms per page"
        )
        ok &= p95 < MAP_MS
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
