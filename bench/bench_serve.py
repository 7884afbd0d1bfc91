#!/usr/bin/env python
"""Benchmark the web service at province scale: 20 concurrent clients on loopback.

    python bench/bench_serve.py [--scale 1] [--clients 20] [--seconds 15] [--seed 1]

1. generates the synthetic province (bench/gen_province.py) and loads it once into
   bench/out/serve-s<scale>/chainkg.db; each run serves a fresh copy of it;
2. starts `chainkg serve` as a child process and times its first answer (the snapshot build);
3. asks every chain's diagnosis (province and one 市), 链主 ranking and recruitment list once
   (the first, computed answers) and then, with N concurrent clients for --seconds, a random
   mix of them (warm answers: encoded once per graph version, then served from memory);
4. runs `chainkg load` of an update (the first 20 000 × scale enterprises again, with new
   revenue figures) into the served file while the clients keep asking, and goes
   on until the server answers from the new version (it rebuilds the snapshot in the
   background and keeps answering from the old one meanwhile);
5. prints p50 / p95 / p99 / max and throughput per phase and route, and the RSS of the server,
   with PASS/FAIL against the targets: warm p95 < 50 ms; p95 < 200 ms while a load runs.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

BENCH = Path(__file__).resolve().parent
WARM_P95_MS = 50.0
LOADING_P95_MS = 200.0
ROUTES = ("diagnosis", "diagnosis 市", "anchors", "recruitment")


@dataclass
class Timings:
    """Latencies (ms) per route, the versions that answered, and the wall time."""

    by_route: dict[str, list[float]] = field(default_factory=dict)
    versions: set[str] = field(default_factory=set)
    errors: int = 0
    seconds: float = 0.0

    def add(self, route: str, ms: float) -> None:
        self.by_route.setdefault(route, []).append(ms)

    def all(self) -> list[float]:
        return [ms for values in self.by_route.values() for ms in values]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CHAINKG_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH.parent), env.get("PYTHONPATH")]))
    return env


def chainkg() -> list[str]:
    script = Path(sys.executable).with_name("chainkg")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def generate(out: Path, scale: float, seed: int) -> None:
    gen = [sys.executable, str(BENCH / "gen_province.py"), str(out), "--scale", str(scale)]
    subprocess.run(
        [*gen, "--seed", str(seed)], check=True, env=child_env(), stdout=subprocess.DEVNULL
    )


def prepare(scale: float, seed: int) -> tuple[Path, Path]:
    """The loaded province store and the update's CSV folder, made once per scale."""
    work = BENCH / "out" / f"serve-s{scale:g}"
    db, update = work / "chainkg.db", work / "update"
    if not db.exists():
        work.mkdir(parents=True, exist_ok=True)
        print(f"generating and loading scale {scale:g} …", flush=True)
        generate(work / "csv", scale, seed)
        subprocess.run([*chainkg(), "load", str(work / "csv"), "--db", str(db)], check=True)
    if not update.exists():
        make_update(work / "csv" / "企业清单.csv", update, int(20_000 * scale))
    return db, update


def make_update(enterprises: Path, folder: Path, rows: int) -> None:
    """The first `rows` enterprises again, with this year's revenue (+10 %): an update a
    clerk would load, which changes the graph (so the server must rebuild its snapshot)."""
    folder.mkdir(parents=True)
    with enterprises.open(encoding="utf-8-sig", newline="") as src:
        reader = csv.reader(src)
        header = next(reader)
        column = header.index("营业收入(亿元)")
        out = [header]
        for row in itertools.islice(reader, rows):
            if row[column]:
                row[column] = f"{float(row[column]) * 1.1:.2f}"
            out.append(row)
    with (folder / "企业清单.csv").open("w", encoding="utf-8-sig", newline="") as dst:
        csv.writer(dst).writerows(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """The server, its URL, and the seconds until its first analysis answer."""
    port = free_port()
    log = db.with_name("serve.log").open("wb")
    server = subprocess.Popen(
        [*chainkg(), "serve", "--db", str(db), "--port", str(port)],
        env=child_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    while True:
        try:
            if httpx.get(f"{url}/api/v1/chains", timeout=120).status_code == 200:
                return server, url, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.1)
        if server.poll() is not None or time.perf_counter() - started > 300:
            raise SystemExit("服务未能启动")


def requests_for(url: str) -> list[tuple[str, str]]:
    """(route, URL) for every chain: diagnosis (province and a 市), anchors, recruitment."""
    chains = httpx.get(f"{url}/api/v1/chains", timeout=60).json()
    regions = httpx.get(f"{url}/api/v1/nodes/{quote('宜春市')}", timeout=60)
    city = "宜春市" if regions.status_code == 200 else None
    out = []
    for chain in chains:
        base = f"{url}/api/v1/chains/{quote(chain['id'], safe='')}"
        out.append(("diagnosis", f"{base}/diagnosis"))
        if city:
            out.append(("diagnosis 市", f"{base}/diagnosis?region={quote(city)}"))
        out.append(("anchors", f"{base}/anchors"))
        out.append(("recruitment", f"{base}/recruitment"))
    return out


async def first_answers(todo: list[tuple[str, str]]) -> Timings:
    """Each request once, one at a time: the computed (uncached) answers."""
    timings = Timings()
    async with httpx.AsyncClient(timeout=120) as client:
        started = time.perf_counter()
        for route, url in todo:
            t0 = time.perf_counter()
            response = await client.get(url)
            timings.add(route, (time.perf_counter() - t0) * 1000)
            timings.errors += response.status_code != 200
        timings.seconds = time.perf_counter() - started
    return timings


class Connection:
    """A keep-alive HTTP/1.1 connection that reads answers without parsing them: the load
    generator shares the machine with the server, so it must cost far less than httpx."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, str]:
        """The status and the X-Chainkg-Version of one GET; the body is read and dropped."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in head[1:] if ": " in line)
        await self.reader.readexactly(int(headers.get("content-length", 0)))
        return int(head[0].split()[1]), headers.get("x-chainkg-version", "?")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def hammer(todo: list[tuple[str, str]], clients: int, until: Callable[[], bool]) -> Timings:
    """`clients` concurrent clients asking a random mix until `until()` is true."""
    timings = Timings()
    parsed = urlsplit(todo[0][1])
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    paths = [(route, url[len(f"{parsed.scheme}://{parsed.netloc}") :]) for route, url in todo]

    async def one_client(rng: random.Random) -> None:
        conn = Connection(host, port)
        try:
            while not until():
                route, path = rng.choice(paths)
                t0 = time.perf_counter()
                status, version = await conn.get(path)
                timings.add(route, (time.perf_counter() - t0) * 1000)
                timings.errors += status != 200
                timings.versions.add(version)
        finally:
            conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(one_client(random.Random(i)) for i in range(clients)))
    timings.seconds = time.perf_counter() - started
    return timings


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)
    )


def report(title: str, timings: Timings) -> float:
    """Print the table of a phase; returns its overall p95."""
    every = timings.all()
    rate = len(every) / timings.seconds if timings.seconds else 0.0
    print(f"\n{title}: {len(every)} requests in {timings.seconds:.1f} s, {rate:.0f} req/s,")
    print(f"  {timings.errors} errors, versions answering: {sorted(timings.versions) or '-'}")
    print(f"  {'route':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for route in (*ROUTES, "all"):
        values = every if route == "all" else timings.by_route.get(route, [])
        if values:
            print(
                f"  {route:<14}{len(values):>7}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}"
                f"{pct(values, 99):>9.1f}{max(values):>9.1f}"
            )
    return pct(every, 95)


def run_load_while_serving(
    db: Path, update: Path, todo: list[tuple[str, str]], clients: int, url: str
) -> tuple[Timings, Timings, float]:
    """Clients ask while `chainkg load` runs, then until the new version answers."""
    old_version = httpx.get(todo[0][1], timeout=60).headers.get("x-chainkg-version")
    loader = subprocess.Popen(
        [*chainkg(), "load", str(update), "--db", str(db)],
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    during = asyncio.run(hammer(todo, clients, lambda: loader.poll() is not None))
    load_seconds = time.perf_counter() - started
    if loader.returncode != 0:
        raise SystemExit("更新数据导入失败")

    def new_version_answers() -> bool:
        version = httpx.get(todo[0][1], timeout=60).headers.get("x-chainkg-version")
        return version != old_version or time.perf_counter() - started > 300

    state = {"next": 0.0, "done": False}

    def swapped() -> bool:  # polled by the clients; asks the server twice a second
        if not state["done"] and time.perf_counter() >= state["next"]:
            state["done"] = new_version_answers()
            state["next"] = time.perf_counter() + 0.5
        return bool(state["done"])

    rebuild = asyncio.run(hammer(todo, clients, swapped))
    return during, rebuild, load_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    base, update = prepare(args.scale, args.seed)
    db = base.with_name("served.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, db)
    server, url, first = start_server(db)
    try:
        print(f"scale {args.scale:g}, {args.clients} clients, server pid {server.pid}")
        print(f"first answer (snapshot build included): {first:.1f} s")
        todo = requests_for(url)
        report("first (computed) answers, one at a time", asyncio.run(first_answers(todo)))
        rss, peak = rss_mb(server.pid)
        print(f"\nserver RSS after the first answers: {rss:.0f} MB (peak {peak:.0f} MB)")
        deadline = time.perf_counter() + args.seconds
        warm = report(
            f"warm, {args.clients} concurrent clients",
            asyncio.run(hammer(todo, args.clients, lambda: time.perf_counter() > deadline)),
        )
        during, rebuild, load_s = run_load_while_serving(db, update, todo, args.clients, url)
        loading = report(f"while `chainkg load` of the update runs ({load_s:.1f} s)", during)
        rebuilding = report("after the load, until the new version answers", rebuild)
        rss, peak = rss_mb(server.pid)
        print(f"\nserver RSS at the end: {rss:.0f} MB (peak {peak:.0f} MB)")
    finally:
        server.terminate()
        server.wait(timeout=30)
    checks = [
        (f"warm p95 {warm:.1f} ms < {WARM_P95_MS:g} ms", warm < WARM_P95_MS),
        (f"p95 during the load {loading:.1f} ms < {LOADING_P95_MS:g} ms", loading < LOADING_P95_MS),
        (
            f"p95 while the new snapshot builds {rebuilding:.1f} ms < {LOADING_P95_MS:g} ms",
            rebuilding < LOADING_P95_MS,
        ),
    ]
    print()
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
