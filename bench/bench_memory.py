#!/usr/bin/env python
"""Peak memory of an import, counted over the whole process tree, for the largest uploads.

    python bench/bench_memory.py [--scale 1] [--outside 370000] [--xlsx-scale 1] [--smoke]

Issue 11's bound: peak RSS under 500 MB for any upload within `CHAINKG_MAX_UPLOAD_MB`, counting
every process the import runs in. For each case this runs the real program as a child and reads
VmHWM (the peak resident set) of that process and of every process it starts, from /proc, every
20 ms; the figure is their sum (a process that forks is counted twice, shared pages and all).

Cases:
- `chainkg load` of a CSV folder (gen_province.py at --scale with --outside outside firms: by
  default its files together are the largest upload accepted, just under the 64 MB of
  `CHAINKG_MAX_UPLOAD_MB`, which bounds a whole request), and of one .xlsx workbook
  (--xlsx-scale);
- `POST /api/v1/imports` to a real `chainkg serve` process with the same CSV files, the same
  files as one .zip (a .zip may unpack to at most `CHAINKG_MAX_ZIP_CSV_MB`, 64 MB of CSV, as
  much as a plain upload; a larger one is refused, see the corpus), and the workbook (the
  server's own peak, started on an empty store);
- every case of the malformed-input corpus (tests/loaders/corpus.py) through `chainkg load`,
  and those an upload can carry through one server: the worst refused upload.

--smoke is the CI-sized run (a small province, a few corpus cases): it guards the bound, not the
figure. Exit status 0 when every peak is under the bound, 1 when one is not, 2 when a case does
not end as it should (an accepted upload refused, a hostile one accepted).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # the corpus generator lives in the tests
sys.path.insert(0, str(BENCH))

from bench_load import _status_kb, _tree, chainkg_command, child_env  # noqa: E402

BOUND_MB = 500.0
TOKEN = "bench-memory-token-0123456789"
SMOKE_CORPUS = ("csv-cell-too-long", "xlsx-compression-bomb", "xlsx-revenue-huge", "zip-no-csv")


@dataclass(frozen=True)
class Peak:
    """One case: how it ended and the peak of its process tree."""

    case: str
    how: str  # "CLI" or "HTTP"
    ok: bool  # ended as expected (accepted, or refused for a hostile input)
    tree_mb: float  # the sum of VmHWM over the process and its descendants
    processes: int
    seconds: float
    note: str = ""


class TreeWatch:
    """The largest VmHWM seen of each process in a tree, sampled until `done()` is true."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peaks: dict[int, int] = {}

    def sample(self) -> None:
        for pid in _tree(self.pid):
            kb = _status_kb(pid, "VmHWM")  # 0 once a process is a zombie: its last sample stands
            if kb:
                self.peaks[pid] = max(self.peaks.get(pid, 0), kb)

    def until(self, done: Callable[[], bool]) -> None:
        while not done():
            self.sample()
            time.sleep(0.02)
        self.sample()

    @property
    def tree_mb(self) -> float:
        return sum(self.peaks.values()) / 1024


def run_cli(case: str, args: Sequence[str], db: Path, expect_ok: bool) -> Peak:
    """`chainkg load ARGS --db DB` as a child; accepted means exit 0, refused exit 2."""
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    cmd = [*chainkg_command(), "load", *args, "--db", str(db)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env(), cwd=ROOT
    )
    watch = TreeWatch(proc.pid)
    watch.until(lambda: proc.poll() is not None)
    ok = proc.returncode == (0 if expect_ok else 2)
    return Peak(
        case,
        "CLI",
        ok,
        watch.tree_mb,
        len(watch.peaks),
        time.perf_counter() - started,
        f"exit {proc.returncode}",
    )


class Server:
    """`chainkg serve` on an empty store in its own process, with writes enabled."""

    def __init__(self, work: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{port}"
        db = work / "serve.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)
        env = {k: v for k, v in child_env().items() if not k.startswith("CHAINKG_")}
        env["CHAINKG_WRITE_TOKEN"] = TOKEN
        env["CHAINKG_UPLOAD_DIR"] = str(work / "uploads")
        env["CHAINKG_IMPORT_TIMEOUT_S"] = "7200"  # memory is measured here, on a busy machine too
        cmd = [*chainkg_command(), "serve", "--db", str(db), "--port", str(port)]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
        )
        self.watch = TreeWatch(self.proc.pid)
        self._wait_ready()
        self.watch.sample()

    def _wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/stats", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("服务未能在 120 秒内启动")

    def post(self, case: str, files: Sequence[Path], expect_ok: bool) -> Peak:
        """Uploads `files` in one request while sampling the server's tree."""
        import threading

        import httpx

        result: dict[str, object] = {}

        def send() -> None:
            handles = [p.open("rb") for p in files]
            try:
                response = httpx.post(
                    f"{self.url}/api/v1/imports",
                    files=[("files", (p.name, h)) for p, h in zip(files, handles, strict=True)],
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=1800,
                )
                result["status"] = response.status_code
                result["body"] = response.text[:400]
            except httpx.HTTPError as exc:
                result["status"] = f"{type(exc).__name__}"
            finally:
                for h in handles:
                    h.close()

        started = time.perf_counter()
        before = self.watch.tree_mb
        thread = threading.Thread(target=send)
        thread.start()
        self.watch.until(lambda: not thread.is_alive())
        status = result.get("status")
        ok = status == (200 if expect_ok else 422)
        note = f"HTTP {status}; server tree before {before:,.0f} MB"
        if not ok:
            note += f": {result.get('body', '')}"
        return Peak(
            case,
            "HTTP",
            ok,
            self.watch.tree_mb,
            len(self.watch.peaks),
            time.perf_counter() - started,
            note,
        )

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def generate(work: Path, scale: float, outside: int | None, xlsx_scale: float) -> dict[str, Path]:
    """The CSV folder, its .zip and the workbook; sizes printed."""
    gen = [sys.executable, str(BENCH / "gen_province.py"), "--seed", "1", "--json"]
    csv_dir, book, bundle = work / "csv", work / "province.xlsx", work / "province.zip"
    if not csv_dir.is_dir():
        more = ["--outside", str(outside)] if outside is not None else []
        subprocess.run([*gen, str(csv_dir), "--scale", str(scale), *more], check=True)
    if not book.exists():
        subprocess.run([*gen, "--scale", str(xlsx_scale), "--xlsx", str(book)], check=True)
    if not bundle.exists():
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(csv_dir.glob("*.csv")):
                zf.write(path, path.name)
    largest = max(csv_dir.glob("*.csv"), key=lambda p: p.stat().st_size)
    print(
        f"CSV folder {_mb(csv_dir)} MB, largest {largest.name} {largest.stat().st_size / 1e6:.1f} MB"
    )
    print(f".zip {bundle.stat().st_size / 1e6:.1f} MB, .xlsx {book.stat().st_size / 1e6:.1f} MB")
    return {"csv": csv_dir, "xlsx": book, "zip": bundle}


def _mb(folder: Path) -> str:
    return f"{sum(p.stat().st_size for p in folder.glob('*.csv')) / 1e6:.1f}"


def corpus(work: Path, names: Sequence[str] | None) -> list[tuple[str, list[Path], bool]]:
    """The malformed-input corpus built under `work`: (name, load arguments, uploadable)."""
    from tests.loaders.corpus import CASES

    built = []
    for case in CASES:
        if names is not None and case.name not in names:
            continue
        folder = work / "corpus" / case.name
        args = case.build(folder)
        built.append((case.name, args, case.http and all(p.is_file() for p in args)))
    return built


def bench(work: Path, args: argparse.Namespace) -> int:
    data = generate(work, args.scale, args.outside, args.xlsx_scale)
    db = work / "cli.db"
    csv_files = sorted(data["csv"].glob("*.csv"))
    peaks: list[Peak] = []
    accepted = [
        ("CSV folder", [data["csv"]]),
        ("xlsx", [data["xlsx"]]),
    ]
    for name, paths in accepted if "cli" in args.only else []:
        peaks.append(run_cli(name, [str(p) for p in paths], db, expect_ok=True))
        _show(peaks[-1])
    uploads_ok = (("CSV files", csv_files), ("zip", [data["zip"]]), ("xlsx", [data["xlsx"]]))
    for name, files in uploads_ok if "http" in args.only else ():
        server = Server(work)  # one server per upload, on an empty store
        try:
            peaks.append(server.post(name, files, expect_ok=True))
        finally:
            server.stop()
        _show(peaks[-1])
    hostile = corpus(work, SMOKE_CORPUS if args.smoke else None) if "corpus" in args.only else []
    refused_cli = [run_cli(f"corpus {n}", [str(p) for p in a], db, False) for n, a, _ in hostile]
    if refused_cli:
        worst_cli = max(refused_cli, key=lambda p: p.tree_mb)
        print(
            f"corpus: {len(refused_cli)} cases through the CLI, {sum(p.ok for p in refused_cli)} refused"
        )
        peaks.append(worst_cli)
        _show(worst_cli)
    uploads = [(n, a) for n, a, http in hostile if http]
    refused_http: list[Peak] = []
    if uploads:
        server = Server(work)
        try:
            refused_http = [server.post(f"corpus {n}", a, expect_ok=False) for n, a in uploads]
        finally:
            server.stop()
    print(
        f"corpus: {len(refused_http)} uploads to one server, {sum(p.ok for p in refused_http)} refused"
    )
    if refused_http:
        worst_http = max(refused_http, key=lambda p: p.tree_mb)
        peaks.append(
            Peak(
                "corpus (one server, all uploads)",
                "HTTP",
                all(p.ok for p in refused_http),
                worst_http.tree_mb,
                worst_http.processes,
                sum(p.seconds for p in refused_http),
            )
        )
        _show(peaks[-1])
    bad = [p for p in [*peaks, *refused_cli] if not p.ok]
    over = [p for p in peaks if p.tree_mb >= BOUND_MB]
    print()
    print(f"{'case':<36}{'via':<6}{'tree peak MB':>14}{'procs':>7}{'seconds':>9}  ended")
    for p in peaks:
        print(
            f"{p.case:<36}{p.how:<6}{p.tree_mb:>14,.0f}{p.processes:>7}{p.seconds:>9.1f}  {p.note}"
        )
    print()
    for what, group in (
        ("worst accepted", [p for p in peaks if not p.case.startswith("corpus")]),
        ("worst refused ", [p for p in peaks if p.case.startswith("corpus")]),
    ):
        if group:
            worst = max(group, key=lambda p: p.tree_mb)
            print(f"{what}: {worst.case} ({worst.how}) {worst.tree_mb:,.0f} MB")
    for p in bad:
        print(f"FAIL  {p.case} ({p.how}) did not end as expected: {p.note}")
    for p in over:
        print(f"FAIL  {p.case} ({p.how}) peaks at {p.tree_mb:,.0f} MB ≥ {BOUND_MB:.0f} MB")
    if not bad and not over:
        print(f"PASS  every peak under {BOUND_MB:.0f} MB")
    print(f"load average: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores")
    if args.json:
        print(json.dumps([p.__dict__ for p in peaks], ensure_ascii=False))
    return 2 if bad else 1 if over else 0


def _show(p: Peak) -> None:
    print(
        f"  {p.case} ({p.how}): {p.tree_mb:,.0f} MB over {p.processes} process(es), {p.seconds:.1f} s, {p.note}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Peak memory of the largest uploads.")
    parser.add_argument("--scale", type=float, default=1.0, help="province scale of the CSV data")
    parser.add_argument(
        "--outside",
        type=int,
        default=290_000,
        help="outside firms (all CSV files together just under the 64 MB upload limit)",
    )
    parser.add_argument("--xlsx-scale", type=float, default=1.0, help="scale of the workbook")
    parser.add_argument("--smoke", action="store_true", help="CI size: a small province")
    parser.add_argument(
        "--only", default="cli,http,corpus", help="which cases: cli, http, corpus (comma-separated)"
    )
    parser.add_argument("--keep", action="store_true", help="keep data in bench/out/memory")
    parser.add_argument("--json", action="store_true", help="also print the peaks as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.scale, args.outside, args.xlsx_scale = 0.05, None, 0.05
    if args.keep:
        work = BENCH / "out" / ("memory-smoke" if args.smoke else "memory")
        work.mkdir(parents=True, exist_ok=True)
        return bench(work, args)
    with tempfile.TemporaryDirectory(prefix="chainkg-memory-") as tmp:
        return bench(Path(tmp), args)


if __name__ == "__main__":
    raise SystemExit(main())
