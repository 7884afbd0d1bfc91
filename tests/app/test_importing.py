"""A load written in parts (streaming) makes exactly the graph one whole batch makes, on both
stores: the same nodes, relationships and properties, the same counts; a second load changes
nothing; an error found after parts were written leaves the store as it was.

The data is a small generated province (bench/gen_province.py), split into parts of 40 rows
(CHAINKG_LOAD_PART_ROWS), so every list sheet spans several parts.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.importing import run_import
from app.settings import Settings
from graph_schema import SCHEMA, GraphBatch
from graph_schema.errors import InputError
from store.base import GraphStore
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

ROOT = Path(__file__).resolve().parents[2]
PART_ROWS = 40


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("streamed") / "province"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gen_province.py"),
            str(folder),
            *("--scale", "0.004", "--chains", "2", "--links", "30", "--seed", "3"),
        ],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ]
)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Opens an empty store of the parametrised backend with the given part size."""
    opened: list[GraphStore] = []

    def open_empty(part_rows: int, name: str) -> tuple[GraphStore, Settings]:
        settings = Settings(
            db=tmp_path / f"{name}.db", cache_dir=tmp_path / "cache", load_part_rows=part_rows
        )
        if request.param == "sqlite":
            settings.neo4j_uri = None
        else:
            _wipe_neo4j(settings)
        store = settings.open_store()
        opened.append(store)
        return store, settings

    yield open_empty
    for store in opened:
        store.close()


def digest(store: GraphStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every domain node and relationship with its properties (sources sorted: their order
    follows the order rows were met, the same in both ways of loading)."""

    def props(p: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted((k, repr(v)) for k, v in p.items()))

    out: dict[str, list[tuple[Any, ...]]] = {}
    for label in SCHEMA.domain_labels:
        out[label] = sorted((n.id, n.name, props(n.props)) for n in store.iter_nodes(label))
    for rel_type in SCHEMA.rels:
        out[rel_type] = sorted((e.src, e.dst, props(e.props)) for e in store.iter_edges(rel_type))
    return out


def test_parts_make_the_graph_one_batch_makes(province: Path, fresh: Any) -> None:
    whole_store, whole_settings = fresh(1_000_000, "whole")
    whole = run_import(whole_store, [province], whole_settings)
    expected = digest(whole_store)
    assert sum(len(rows) for rows in expected.values()) > 1000
    whole_store.close()

    store, settings = fresh(PART_ROWS, "parts")
    streamed = run_import(store, [province], settings)
    assert digest(store) == expected
    assert streamed.counts["nodes"] == whole.counts["nodes"]
    assert streamed.summary is not None and whole.summary is not None
    assert streamed.summary.nodes_created == whole.summary.nodes_created
    assert streamed.summary.edges_created == whole.summary.edges_created

    again = run_import(store, [province], settings)
    assert again.summary is not None and not again.summary.changed
    assert digest(store) == expected


def test_a_firm_listed_again_in_a_later_part_keeps_one_relationship(
    fresh: Any, tmp_path: Path
) -> None:
    """单一丁 is listed twice in 材料乙: first without 分环节营收, then, in a later part,
    with 8 亿元. The rows merge into one enterprise with one IN_LINK carrying the revenue,
    whatever the part size (a part of one row once gave Neo4j a second, bare IN_LINK)."""
    data = tmp_path / "dup"
    shutil.copytree(FIXTURES / "overlap", data)
    with (data / "企业清单.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("单一丁有限公司,叠合电池,材料乙,是,宜春市/袁州区,8,,,材料乙:8,公开资料\n")
    store, settings = fresh(1, "dup")
    run_import(store, [data], settings)
    found = [e for e in store.iter_edges("IN_LINK") if e.src.endswith("单一丁")]
    assert [(e.dst, e.props.get("revenue")) for e in found] == [("link:叠合电池/材料乙", 8.0)]


def test_an_error_after_parts_were_written_writes_nothing(
    province: Path, fresh: Any, tmp_path: Path
) -> None:
    store, settings = fresh(PART_ROWS, "broken")
    before = digest(store)
    broken = tmp_path / "broken"
    shutil.copytree(province, broken)
    sheet = broken / "企业清单.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) > 4 * PART_ROWS
    last = rows[-1]
    last[rows[0].index("所属环节")] = "没有这个环节"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)

    with pytest.raises(InputError) as caught:
        run_import(store, [broken], settings)
    located = [i for i in caught.value.issues if i.severity == "error"]
    assert [(i.file, i.sheet, i.row, i.column) for i in located] == [
        ("企业清单.csv", "企业清单", len(rows), "所属环节")
    ]
    assert "未知环节“没有这个环节”" in located[0].message
    assert digest(store) == before
    assert store.version() == 0


def test_a_pool_of_200000_loads_in_bounded_memory(tmp_path: Path) -> None:
    """The CI-sized guard of the streaming path (bench/bench_pool.py at 200 000 outside firms,
    a small province around them): loading it, up to the commit, stays under 500 MB of peak
    RSS; a whole batch of it in memory needed about 700 MB."""
    data, db = tmp_path / "pool", tmp_path / "pool.db"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gen_province.py"),
            str(data),
            *("--scale", "0.05", "--chains", "4", "--outside", "200000"),
        ],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_pool.py"), "--child", str(data), str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    phases = {
        fields[1]: float(fields[3])
        for line in done.stdout.splitlines()
        if (fields := line.split("\t"))[0] == "PHASE"
    }
    assert phases["记录版本摘要（历史与预警）"] < 500  # VmHWM (MB) when the load committed
    result = json.loads(done.stdout.split("RESULT\t", 1)[1])
    assert result["nodes"] > 200_000
    with sqlite3.connect(db) as check:
        outside = check.execute('SELECT count(*) FROM "Enterprise" WHERE local = 0').fetchone()
    assert outside == (200_000,)


def test_a_large_first_load_while_a_reader_has_the_store_open(
    province: Path, tmp_path: Path
) -> None:
    """A server keeps a second connection to its store; a first import large enough to pick
    the rollback journal then loads in WAL mode instead of failing with “database is locked”
    (it did over HTTP for every first upload of 2 MB or more)."""
    settings = Settings(db=tmp_path / "served.db", cache_dir=tmp_path / "cache")
    settings.neo4j_uri = None
    store, reader = settings.open_store(), settings.open_store()
    try:
        assert reader.version() == 0
        session = store.begin_load(large=True)  # type: ignore[attr-defined]
        session.commit(GraphBatch(), [], {})
        report = run_import(store, [province], settings)
        assert report.summary is not None and report.summary.nodes_created > 0
        assert reader.stats() == store.stats()
        mode = sqlite3.connect(settings.db).execute("PRAGMA journal_mode").fetchone()
        assert mode == ("wal",)
    finally:
        store.close()
        reader.close()


def test_the_largest_uploads_stay_under_500_mb_over_the_whole_process_tree() -> None:
    """The CI-sized run of bench/bench_memory.py: a small province through `chainkg load`
    and through a real server (CSV files, a .zip, a workbook) and hostile corpus cases; the
    sum of VmHWM over each process tree stays under 500 MB, and each case ends as it should."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_memory.py"), "--smoke"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CHAINKG_"))},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "PASS  every peak under 500 MB" in done.stdout
    assert "1 process(es)" in done.stdout  # no reader process beside the loading one
