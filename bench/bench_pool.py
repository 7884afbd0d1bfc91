#!/usr/bin/env python
"""Benchmark loading a national candidate pool into the embedded store.

    python bench/bench_pool.py [--sizes 200000,1000000,5000000] [--seed 1] [--keep]
                               [--max-rss-mb 4000] [--part-rows N]

For each outside-pool size N: generates the province (bench/gen_province.py at scale 1, with
`--outside N`), then loads it into an empty SQLite store in a child process that runs the same
code as `chainkg load` (app.importing.run_import) and reports its phases. Prints, per size:

- rows and relationships loaded, seconds and rows/s up to the commit (read, validate, write
  in parts), and the whole command with the version record (queries/province/history.py,
  which builds the analysis snapshot);
- peak RSS of the loading process (VmHWM from /proc, not ru_maxrss, which a fork inherits)
  at the commit and at the end, and the largest sum of RSS over the process and its reader
  child;
- the store's size on disk.

A pool of millions needs larger sheet limits than a workbook's: the child runs with
CHAINKG_MAX_ROWS and CHAINKG_MAX_FILE_MB raised to fit the generated files. The child is killed
if its RSS passes --max-rss-mb (the machine is shared). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from bench_load import Peaks, child_env, store_mb, watch  # noqa: E402


@dataclass
class PoolRun:
    outside: int
    rows: int
    relationships: int
    input_mb: float
    code: int
    seconds: float
    phases: dict[str, tuple[float, float, float]]  # phase → (seconds since start, VmHWM MB, CPU s)
    peaks: Peaks
    store_mb: float


def child(data: Path, db: Path) -> int:
    """Runs in the measured process: one import, with phase marks on stdout."""
    sys.path.insert(0, str(ROOT))
    from app.importing import run_import
    from app.settings import Settings

    started = time.perf_counter()

    def mark(label: str) -> None:
        hwm = _status_mb(os.getpid(), "VmHWM")
        cpu = sum(os.times()[:2])
        wall = time.perf_counter() - started
        print(f"PHASE\t{label}\t{wall:.2f}\t{hwm:.0f}\t{cpu:.2f}", flush=True)

    def progress(label: str, rows: int) -> None:
        if label.startswith(("校验通过", "记录版本")):
            mark(label)

    settings = Settings(db=db)
    settings.neo4j_uri = None
    store = settings.open_store()
    try:
        report = run_import(store, [data], settings, progress)
    finally:
        store.close()
    mark("结束")
    counts = report.counts
    print(
        "RESULT\t"
        + json.dumps(
            {
                "rows": report.rows,
                "nodes": sum(counts["nodes"].values()),
                "relationships": sum(counts["relationships"].values()),
            }
        ),
        flush=True,
    )
    return 0


def _status_mb(pid: int, field: str) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_size(work: Path, outside: int, args: argparse.Namespace) -> PoolRun:
    data = work / f"pool-{outside}"
    db = work / f"pool-{outside}.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    if not (data / "企业清单.csv").exists():
        gen = [sys.executable, str(BENCH / "gen_province.py"), str(data), "--json"]
        gen += ["--seed", str(args.seed), "--outside", str(outside)]
        print(f"generating a pool of {outside:,} into {data} …", flush=True)
        subprocess.run(gen, check=True, capture_output=True, cwd=ROOT)
    input_mb = sum(p.stat().st_size for p in data.glob("*.csv")) / 1e6
    env = child_env()
    env["CHAINKG_MAX_ROWS"] = str(max(2_000_000, 2 * outside))
    env["CHAINKG_MAX_FILE_MB"] = str(max(64, int(input_mb / 5) + 1))
    if args.part_rows:
        env["CHAINKG_LOAD_PART_ROWS"] = str(args.part_rows)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(data), str(db)]
    log = work / f"pool-{outside}.log"
    print(f"loading {outside:,} …", flush=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        peaks = watch(proc, args.max_rss_mb)
        seconds = time.perf_counter() - started
    phases: dict[str, tuple[float, float, float]] = {}
    result: dict[str, Any] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        if parts[0] == "PHASE" and len(parts) == 5:
            phases[parts[1]] = (float(parts[2]), float(parts[3]), float(parts[4]))
        elif parts[0] == "RESULT":
            result = json.loads(parts[1])
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
        print(f"  the load exited with {proc.returncode}:\n{tail}", file=sys.stderr)
    return PoolRun(
        outside,
        int(result.get("rows", 0)),
        int(result.get("relationships", 0)),
        input_mb,
        proc.returncode or 0,
        seconds,
        phases,
        peaks,
        store_mb(db),
    )


def report(runs: list[PoolRun]) -> None:
    print()
    head = (
        f"{'outside':>10}{'rows':>11}{'rels':>12}{'CSV MB':>8}{'to commit s':>13}"
        f"{'CPU s':>8}{'rows/s':>9}{'peak MB':>9}{'whole s':>9}{'CPU s':>8}{'peak MB':>9}"
        f"{'tree MB':>9}{'store MB':>10}"
    )
    print(head)
    for run in runs:
        end = run.phases.get("结束", (0.0, 0.0, 0.0))
        commit = run.phases.get("记录版本摘要（历史与预警）") or end
        rate = run.rows / commit[0] if commit[0] else 0.0
        status = "" if run.code == 0 else f"  (exit {run.code})"
        print(
            f"{run.outside:>10,}{run.rows:>11,}{run.relationships:>12,}{run.input_mb:>8.0f}"
            f"{commit[0]:>13.1f}{commit[2]:>8.1f}{rate:>9,.0f}{commit[1]:>9,.0f}"
            f"{run.seconds:>9.1f}{end[2]:>8.1f}"
            f"{run.peaks.main_mb:>9,.0f}{run.peaks.tree_mb:>9,.0f}{run.store_mb:>10,.0f}{status}"
        )
    print(
        "\nto commit: read, validate and write in parts, up to the start of the version record;"
        "\nwhole: the whole command (the version record builds the analysis snapshot)."
        "\nCPU s: user + system time of the loading process (not its reader child): a fairer"
        "\nfigure than wall time on a busy machine."
        "\npeak MB: VmHWM of the loading process; tree MB: largest RSS sum with its reader child."
    )
    print(f"load average: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark loading a national candidate pool.")
    parser.add_argument("--sizes", default="200000,1000000,5000000", help="outside pool sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep data and stores in bench/out/")
    parser.add_argument("--max-rss-mb", type=float, default=4000, help="kill a load above this")
    parser.add_argument("--part-rows", type=int, help="CHAINKG_LOAD_PART_ROWS for the load")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.keep:
        work = BENCH / "out" / "pool"
        work.mkdir(parents=True, exist_ok=True)
        runs = [run_size(work, n, args) for n in sizes]
    else:
        with tempfile.TemporaryDirectory(prefix="chainkg-pool-") as tmp:
            runs = [run_size(Path(tmp), n, args) for n in sizes]
    report(runs)
    return 0 if all(r.code == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
