#!/usr/bin/env python
"""Benchmark `chainkg load` on a generated province: time, peak memory, store size, re-load.

    python bench/bench_load.py [--scale 1.0] [--seed 1] [--keep] [--xlsx] [--chainkg PATH]

1. generates the data with bench/gen_province.py (a CSV folder, or one workbook with --xlsx);
2. runs the real CLI, `chainkg load DATA --db FILE`, as a child process, and measures its wall
   time, its CPU seconds (user + system: a figure the machine's load does not inflate) and peak
   resident memory: VmHWM of that process read from /proc while it runs, and the largest RSS
   sum over it and any process it starts;
3. records `chainkg stats --json`, loads the same data a second time, records the stats again
   and checks that nothing changed;
4. prints a table and PASS/FAIL against the targets (first load < 5 s, peak RSS < 500 MB).

Exit status: 0 when every check passes, 1 when a target is missed, 2 when a command fails.
The data and the store go to a temporary folder, or to bench/out/ with --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET_SECONDS = 5.0
TARGET_RSS_MB = 500.0


@dataclass(frozen=True)
class Run:
    """One child process: its exit code, wall time and peak resident set size."""

    code: int
    seconds: float
    peak_mb: float
    log: Path
    tree_mb: float = 0.0
    cpu_s: float = 0.0  # user + system CPU of the child and anything it waited for


@dataclass
class Peaks:
    main_mb: float = 0.0  # VmHWM of the process
    tree_mb: float = 0.0  # the largest sum of VmRSS over the process and its children
    killed: bool = False


def _status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                for kid in fh.read().split():
                    found += _tree(int(kid))
    except OSError:
        pass
    return found


def watch(proc: subprocess.Popen[bytes], max_rss_mb: float = 0.0) -> Peaks:
    """Samples the child's memory every 20 ms until it exits; kills it above `max_rss_mb`."""
    peaks = Peaks()
    while proc.poll() is None:
        hwm = _status_kb(proc.pid, "VmHWM") / 1024
        if hwm:  # 0 once the process has become a zombie
            peaks.main_mb = max(peaks.main_mb, hwm)
        tree = sum(_status_kb(pid, "VmRSS") for pid in _tree(proc.pid)) / 1024
        peaks.tree_mb = max(peaks.tree_mb, tree)
        if max_rss_mb and tree > max_rss_mb:
            proc.kill()
            peaks.killed = True
        time.sleep(0.02)
    return peaks


def chainkg_command() -> list[str]:
    """The `chainkg` console script next to this interpreter, else the module run in place."""
    script = Path(sys.executable).parent / ("chainkg.exe" if os.name == "nt" else "chainkg")
    if script.exists():
        return [str(script)]
    # Not installed (pip install -e .): run the CLI from the checkout.
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.exit(main())"]


def child_env() -> dict[str, str]:
    """The environment of the children: the embedded store, never a configured Neo4j."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONUTF8", "1")
    return env


def run_measured(cmd: list[str], log: Path) -> Run:
    """Run `cmd` with output to `log`; wall time and the peak RSS of that one child."""
    with log.open("wb") as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, env=child_env(), cwd=ROOT
        )
        peaks = watch(proc)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(proc.returncode, seconds, peaks.main_mb, log, peaks.tree_mb, cpu)


def run_json(cmd: list[str]) -> Any:
    done = subprocess.run(cmd, capture_output=True, text=True, env=child_env(), cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} → {done.returncode}\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout)


def store_mb(db: Path) -> float:
    """The embedded store on disk, with its write-ahead log if one is left."""
    parts = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return sum(p.stat().st_size for p in parts if p.exists()) / 1e6


def tail(path: Path, lines: int = 30) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def diff_stats(before: Any, after: Any) -> list[str]:
    """What changed between two `chainkg stats --json` outputs, as readable lines."""
    changes = []
    for part in ("nodes", "relationships"):
        old, new = before.get(part, {}), after.get(part, {})
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                changes.append(f"{part}.{key}: {old.get(key)} → {new.get(key)}")
    for key in sorted(set(before) | set(after)):
        if key not in ("nodes", "relationships") and before.get(key) != after.get(key):
            changes.append(f"{key}: {before.get(key)} → {after.get(key)}")
    return changes


def fail(message: str, run: Run | None = None) -> int:
    print(f"\nFAIL: {message}", file=sys.stderr)
    if run is not None:
        print(f"--- last lines of {run.log} ---\n{tail(run.log)}", file=sys.stderr)
    return 2


def bench(work: Path, args: argparse.Namespace) -> int:
    data = work / ("province.xlsx" if args.xlsx else "csv")
    db = work / "chainkg.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    if data.is_dir():
        shutil.rmtree(data)

    gen = [sys.executable, str(BENCH / "gen_province.py"), "--scale", str(args.scale)]
    gen += ["--seed", str(args.seed), "--json"]
    gen += ["--xlsx", str(data)] if args.xlsx else [str(data)]
    print(f"generating scale {args.scale} into {data} …", flush=True)
    generated = run_json(gen)
    rows_in = int(generated["total"])
    print(f"  {rows_in:,} rows, {generated['mb']} MB in {generated['seconds']} s")

    chainkg = [args.chainkg] if args.chainkg else chainkg_command()
    load = [*chainkg, "load", str(data), "--db", str(db)]
    stats = [*chainkg, "stats", "--json", "--db", str(db)]
    print("running:", " ".join(load), flush=True)

    first = run_measured(load, work / "load-1.log")
    if first.code != 0:
        return fail(f"first load exited with {first.code}", first)
    first_store = store_mb(db)
    before = run_json(stats)
    second = run_measured(load, work / "load-2.log")
    if second.code != 0:
        return fail(f"second load exited with {second.code}", second)
    second_store = store_mb(db)
    after = run_json(stats)

    print()
    print(
        f"{'':<12}{'rows in':>10}{'seconds':>10}{'CPU s':>8}{'rows/s':>10}{'peak RSS MB':>13}"
        f"{'+children MB':>14}{'store MB':>10}"
    )
    for label, run, size in (
        ("first load", first, first_store),
        ("second load", second, second_store),
    ):
        rate = rows_in / run.seconds if run.seconds else float("inf")
        print(
            f"{label:<12}{rows_in:>10,}{run.seconds:>10.1f}{run.cpu_s:>8.1f}{rate:>10,.0f}"
            f"{run.peak_mb:>13,.0f}{run.tree_mb:>14,.0f}{size:>10,.1f}"
        )
    nodes = before.get("nodes", {})
    rels = before.get("relationships", {})
    print(f"\nstore: {sum(nodes.values()):,} nodes, {sum(rels.values()):,} relationships")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in sorted(nodes.items())))

    changes = diff_stats(before, after)
    checks = [
        (
            f"first load {first.seconds:.1f} s < {TARGET_SECONDS:.0f} s",
            first.seconds < TARGET_SECONDS,
        ),
        (
            f"peak RSS {max(first.peak_mb, second.peak_mb):,.0f} MB < {TARGET_RSS_MB:,.0f} MB",
            max(first.peak_mb, second.peak_mb) < TARGET_RSS_MB,
        ),
        (
            "second load changed nothing" if not changes else "second load changed the store",
            not changes,
        ),
    ]
    print()
    if args.scale != 1.0:
        print(f"(the targets are set for --scale 1; this run is at --scale {args.scale})")
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    for change in changes:
        print(f"      {change}")
    print(f"load average: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    if args.keep:
        print(f"\nkept in {work}")
    return 0 if all(ok for _, ok in checks) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark `chainkg load` at province scale.")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = province scale")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep data and store in bench/out/")
    parser.add_argument("--xlsx", action="store_true", help="load one workbook instead of CSVs")
    parser.add_argument("--chainkg", help="the chainkg executable (default: next to python)")
    args = parser.parse_args(argv)
    if args.keep:
        work = BENCH / "out" / f"scale-{args.scale:g}"
        work.mkdir(parents=True, exist_ok=True)
        return bench(work, args)
    with tempfile.TemporaryDirectory(prefix="chainkg-bench-") as tmp:
        return bench(Path(tmp), args)


if __name__ == "__main__":
    raise SystemExit(main())
