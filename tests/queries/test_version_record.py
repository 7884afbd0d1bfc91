"""The version record of a `chainkg load` reads only what its figures need (a snapshot
without the supply and investment ties); it must write exactly the rows the full snapshot
gives. Over both stores (Neo4j when NEO4J_URI is set), on the hand-made province's three
versions (tests/fixtures/province)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.importing import run_import
from app.settings import Settings
from queries.province.history import LABEL
from store.base import GraphStore
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

PROVINCE = FIXTURES / "province"
BACKENDS = [
    "sqlite",
    pytest.param(
        "neo4j",
        marks=[pytest.mark.neo4j, pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置")],
    ),
]


def _records(store: GraphStore) -> dict[str, Any]:
    """Every VersionRecord row's data, the load times (which differ run to run) blanked."""
    times = {rec.at: "<load time>" for rec in store.imports()}

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return times.get(value, value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {
        node.id: plain({**node.props, "data": json.loads(node.props["data"])})
        for node in store.iter_nodes(LABEL)
    }


def _load_versions(backend: str, db: Path, keep: bool) -> dict[str, Any]:
    settings = Settings(db=db)
    if backend == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = settings.open_store()
    try:
        for version in ("v1", "v2", "v3"):
            report = run_import(store, [PROVINCE / version], settings, keep_snapshot=keep)
            assert report.summary is not None and report.summary.changed
            assert (report.snapshot is not None) is keep
        return _records(store)
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_lean_record_writes_the_rows_the_full_snapshot_writes(
    backend: str, tmp_path: Path
) -> None:
    full = _load_versions(backend, tmp_path / "full.db", keep=True)
    lean = _load_versions(backend, tmp_path / "lean.db", keep=False)
    kinds = {row["kind"] for row in full.values()}
    assert kinds == {"chain", "anchors", "state", "projects", "done"}
    assert sum(row["kind"] == "done" for row in full.values()) == 3
    assert lean == full
