#!/usr/bin/env python
"""A first load into Neo4j through neo4j-admin's bulk importer (issue 17), measured.

    NEO4J_BOLT_PORT=7754 bash scripts/neo4j.sh start
    eval "$(NEO4J_BOLT_PORT=7754 bash scripts/neo4j.sh env)"; export NEO4J_URI NEO4J_USER NEO4J_PASSWORD
    nice python bench/bench_neo4j_bulk.py bench/out/province-s1/csv [--compare]

Wipes the database of NEO4J_URI (a local server run by scripts/neo4j.sh: NEO4J_BOLT_PORT and
NEO4J_DIR say which), then `chainkg load DATA --neo4j-bulk OUT` (time, CPU, peak RSS, rows/s)
and `bash scripts/neo4j.sh import OUT` (time, CPU, peak RSS of the importer's JVM, which the
script runs), the size of the new store and of the files. With --compare it records the version
summaries, takes the digest of the database (tests/digests.py), wipes it, loads the same data
the batched way (`chainkg load DATA`, time and RSS) and compares the two digests: they must be
equal (the batched load's import record and summaries are given the bulk one's time first).
CHAINKG_MAX_ROWS and CHAINKG_MAX_FILE_MB are raised to fit the data. Prints one line per
figure; exits 1 when a step fails or the digests differ.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the digests live in the tests
sys.path.insert(0, str(ROOT / "bench"))

from bench_load import chainkg_command, watch  # noqa: E402

LIMITS: dict[str, str] = {}  # the row and file-size limits, raised to fit the data (main)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(cmd: list[str], log: Path) -> tuple[int, float, float, float, float]:
    """Exit code, wall seconds, CPU seconds, peak RSS of the child and of its process tree (MB)."""
    cpu = _children_cpu()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUTF8": "1", **LIMITS}
    with log.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        peaks = watch(proc)
        seconds = time.perf_counter() - started
    return proc.returncode, seconds, _children_cpu() - cpu, peaks.main_mb, peaks.tree_mb


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _wipe() -> None:
    from neo4j import GraphDatabase

    from tests.digests import wipe_neo4j

    uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j")
    with GraphDatabase.driver(uri, auth=(user, os.environ.get("NEO4J_PASSWORD", ""))) as driver:
        wipe_neo4j(driver, os.environ.get("NEO4J_DATABASE") or None)


def _digest(record: bool) -> tuple[str, str]:
    """The digest of the database (after recording the version summaries, when asked) and the
    time of its import record."""
    from app.settings import Settings
    from queries.province.history import ensure_recorded
    from tests.digests import neo4j_digest

    settings = Settings()
    store = settings.open_store()
    try:
        if record:
            ensure_recorded(store, settings.analysis(), settings.province_params())
        at = store.imports()[-1].at
    finally:
        store.close()
    return neo4j_digest(settings), at


def _print(name: str, value: Any) -> None:
    print(f"{name:<34} {value}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("data", type=Path, help="the folder (or files) to load")
    parser.add_argument("--compare", action="store_true", help="also a batched load, digests")
    parser.add_argument("--keep", type=Path, help="write the import files here (kept)")
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        print("需要 NEO4J_URI（scripts/neo4j.sh start 与 env）", file=sys.stderr)
        return 2
    input_mb = _size_mb(args.data) if args.data.is_dir() else args.data.stat().st_size / 1e6
    LIMITS["CHAINKG_MAX_ROWS"] = "20000000"
    LIMITS["CHAINKG_MAX_FILE_MB"] = str(max(64, int(input_mb) + 1))
    work = Path(tempfile.mkdtemp(prefix="bench-neo4j-bulk-"))
    out = args.keep or work / "bulk"
    try:
        _print("load average (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        _wipe()
        cmd = [*chainkg_command(), "load", str(args.data), "--neo4j-bulk", str(out), "--json"]
        code, wall, cpu, rss, _ = _run(cmd, work / "export.log")
        if code != 0:
            print((work / "export.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
            return 1
        report = json.loads((work / "export.log").read_text(encoding="utf-8"))
        rows = int(report["rows"])
        written = report["written"]
        items = int(written["nodes_created"]) + int(written["edges_created"])
        _print("input rows", f"{rows:,}")
        _print("nodes + relationships", f"{items:,}")
        _print("export: wall s", f"{wall:.1f}")
        _print("export: CPU s (chainkg)", f"{cpu:.1f}")
        _print("export: rows/s (wall)", f"{rows / wall:,.0f}")
        _print("export: peak RSS chainkg MB", f"{rss:,.0f}")
        _print("import files MB", f"{_size_mb(out):,.0f}")
        script = ["bash", str(ROOT / "scripts" / "neo4j.sh"), "import", str(out)]
        code, wall2, cpu2, _, tree = _run(script, work / "import.log")
        if code != 0:
            print((work / "import.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
            return 1
        _print("import: wall s (incl. indexes, restart)", f"{wall2:.1f}")
        steps = (work / "import.log").read_text(encoding="utf-8")
        for step in ("批量导入", "约束与索引", "替换并重启"):
            found = re.search(f"{step}用时 (\\d+) 秒", steps)
            _print(f"  of which {step} s", found.group(1) if found else "?")
        _print("import: CPU s (JVMs)", f"{cpu2:.1f}")
        _print("import: peak RSS of its JVMs MB", f"{tree:,.0f}")
        _print("import: nodes+rels/s (wall)", f"{items / wall2:,.0f}")
        _print("total: export + import wall s", f"{wall + wall2:.1f}")
        _print("total: nodes+rels/s", f"{items / (wall + wall2):,.0f}")
        home = Path(os.environ.get("NEO4J_DIR", ROOT / ".neo4j"))
        store = home / "data" / "data" / "databases" / "neo4j"
        _print("store size MB", f"{_size_mb(store):,.0f}")
        if args.compare:
            bulk, at = _digest(record=True)
            _wipe()
            cmd = [*chainkg_command(), "load", str(args.data)]
            code, wall3, cpu3, rss3, _ = _run(cmd, work / "batched.log")
            if code != 0:
                print((work / "batched.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
                return 1
            _print("batched load: wall s", f"{wall3:.1f}")
            _print("batched load: CPU s (chainkg)", f"{cpu3:.1f}")
            _print("batched load: peak RSS MB", f"{rss3:,.0f}")
            # The two loads ran at different times: the batched one's record gets the bulk
            # one's time, so that only the graph is compared.
            _set_import_time(at)
            batched, _ = _digest(record=False)
            _print("digest bulk", bulk)
            _print("digest batched", batched)
            _print("digests equal", bulk == batched)
            if bulk != batched:
                return 1
        _print("load average after", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _set_import_time(at: str) -> None:
    """The time of the import record and of the version summaries of the batched load."""
    from neo4j import GraphDatabase

    uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j")
    with GraphDatabase.driver(uri, auth=(user, os.environ.get("NEO4J_PASSWORD", ""))) as driver:
        records, _, _ = driver.execute_query("MATCH (i:Import) RETURN i.at AS at")
        old = records[0]["at"]
        driver.execute_query("MATCH (i:Import) SET i.at = $at", at=at)
        driver.execute_query(
            "MATCH (v:VersionRecord) SET v.at = CASE WHEN v.at = $old THEN $at ELSE v.at END, "
            "v.data = replace(v.data, $old, $at)",
            old=old,
            at=at,
        )


if __name__ == "__main__":
    sys.exit(main())
