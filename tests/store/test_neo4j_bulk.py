"""The first load through neo4j-admin's bulk importer (`chainkg load --neo4j-bulk DIR`, then
`bash scripts/neo4j.sh import DIR`) leaves the database a batched load of the same data leaves:
the same digest (tests/digests.py: every node's labels and properties, every relationship), the
same constraints and indexes. A bad row makes the import fail with the old database served.

The batched loads run on the server of NEO4J_URI (wiped); the imports replace the database of a
second server, started here in a temporary folder (scripts/neo4j.sh with NEO4J_DIR), so the
server the other tests use is never stopped or replaced.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from typer.testing import CliRunner

from app.cli import cli
from app.importing import run_import
from app.neo4j_bulk import export_bulk
from app.settings import Settings
from graph_schema import Edge, GraphBatch, Node, StoreError
from graph_schema.batch import SourceFile
from queries.province.history import ensure_recorded
from store.neo4j import Neo4jStore
from store.neo4j_bulk import Neo4jBulkExport
from tests.conftest import CHAIN_FIXTURE
from tests.digests import bulk_digest, neo4j_digest, wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _script(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "neo4j.sh"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict[str, str]]]:
    """A second local server in a temporary folder: its settings and scripts/neo4j.sh's env."""
    env = {
        "NEO4J_DIR": str(tmp_path_factory.mktemp("neo4j-second")),
        "NEO4J_BOLT_PORT": str(_free_port()),
        "NEO4J_HEAP": "512m",
        "NEO4J_PAGECACHE": "64m",
        "NEO4J_IMPORT_HEAP": "512m",
        "NEO4J_IMPORT_OFFHEAP": "256m",
    }
    started = _script(env, "start")
    assert started.returncode == 0, started.stderr
    settings = Settings()
    settings.neo4j_uri = f"bolt://127.0.0.1:{env['NEO4J_BOLT_PORT']}"
    settings.neo4j_database = None
    try:
        yield settings, env
    finally:
        _script(env, "stop")


def _main() -> Settings:
    settings = Settings()
    assert settings.neo4j_uri
    return settings


def _wipe(settings: Settings) -> None:
    assert settings.neo4j_uri
    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        wipe_neo4j(driver, settings.neo4j_database)


def _store(settings: Settings) -> Neo4jStore:
    store = settings.open_store()
    assert isinstance(store, Neo4jStore)
    return store


def _schema(settings: Settings) -> list[tuple[str, ...]]:
    """Names and definitions of the database's constraints and indexes (their states online)."""
    assert settings.neo4j_uri
    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        indexes, _, _ = driver.execute_query(
            "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
            "WHERE name STARTS WITH 'chainkg_' RETURN name, type, labelsOrTypes, properties, state"
        )
        constraints, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
            "RETURN name, type, labelsOrTypes, properties"
        )
    rows = [tuple(str(v) for v in r.values()) for r in [*indexes, *constraints]]
    return sorted(rows)


def _import(env: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    return _script(env, "import", str(folder))


def test_bulk_import_of_the_chain_fixture_equals_a_batched_load(
    second: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    main = _main()
    _wipe(main)
    store = _store(main)
    try:
        run_import(store, [CHAIN_FIXTURE], main)
        at = store.imports()[-1].at
    finally:
        store.close()
    batched = neo4j_digest(main)

    settings, env = second
    _wipe(settings)
    out = tmp_path / "bulk"
    target = _store(settings)
    try:
        report = export_bulk(target, [CHAIN_FIXTURE], out, settings, at=at)
    finally:
        target.close()
    assert report.summary is not None and report.summary.nodes_created > 0
    assert neo4j_digest(settings) != batched  # nothing reached the database yet
    done = _import(env, out)
    assert done.returncode == 0, done.stderr[-2000:]
    assert neo4j_digest(settings) == bulk_digest(out)  # the files read back, as imported
    target = _store(settings)
    try:
        assert target.imports()[-1].at == at
        ensure_recorded(target, settings.analysis(), settings.province_params())
    finally:
        target.close()
    assert neo4j_digest(settings) == batched
    assert _schema(settings) == _schema(main)
    assert all(row[4] == "ONLINE" for row in _schema(settings) if len(row) == 5)


def _parts() -> list[GraphBatch]:
    """Three parts of one load that mention nodes and relationships again: an enterprise with a
    second name and more properties, a relationship without properties twice, one with
    properties that gain a value, and one whose properties stay the same."""
    one = GraphBatch()
    chain = one.add_node("Chain", "chain:重复链", "重复链", {"sources": ["甲"]})
    link = one.add_node("Link", "link:重复链/环节", "环节", {"chain": "chain:重复链"})
    one.add_edge("HAS_LINK", chain, link)
    a = one.add_node("Enterprise", "ent:甲", "甲公司", {"revenue": 5, "tags": ["上市"]})
    b = one.add_node("Enterprise", "ent:乙", "乙公司", {"local": True, "note": "额外属性"})
    one.add_edge("IN_LINK", a, link, {"revenue": 1.5})
    one.add_edge("IN_LINK", b, link, {"share": 0.5})
    one.add_edge("SUPPLIES", a, b)
    two = GraphBatch()
    a2 = two.add_node(
        "Enterprise", "ent:甲", "甲股份公司", {"region": "江西省", "tags": ["专精特新"]}
    )
    b2 = Node("Enterprise", "ent:乙", "乙公司")
    two.nodes[b2.id] = b2
    two.add_edge("IN_LINK", a2, link, {"revenue": 1.5, "share": 0.25})
    two.add_edge("IN_LINK", b2, link, {"share": 0.5})
    two.add_edge("SUPPLIES", a2, b2)
    c = two.add_node("Enterprise", "ent:丙", "丙公司", {"revenue": 2.0, "name_note": ""})
    two.add_edge("SUPPLIES", c, a2)
    last = GraphBatch()
    last.add_node("Chain", "chain:重复链", "重复链", {"sources": ["乙"]})
    last.add_node("Link", "link:重复链/环节", "环节", {"chain": "chain:重复链", "stage": "上游"})
    return [one, two, last]


def _write(session: object, parts: list[GraphBatch]) -> None:
    files = [SourceFile("重复.csv", "c" * 64)]
    pending = dict(parts[-1].nodes)
    for part in parts[:-1]:
        session.write_part(part, pending)  # type: ignore[attr-defined]
    session.commit(parts[-1], files, {"nodes": 9, "relationships": 9})  # type: ignore[attr-defined]


def test_nodes_and_relationships_mentioned_again_are_merged_as_a_batched_load_merges_them(
    tmp_path: Path,
) -> None:
    """Read from the files (`bulk_digest`): what the importer makes of them is the test above."""
    main = _main()
    _wipe(main)
    store = _store(main)
    try:
        load = store.begin_load()
        _write(load, _parts())
        batched_summary = load.summary
        at = store.imports()[-1].at
    finally:
        store.close()
    assert batched_summary.edges_unchanged == 2 and batched_summary.edges_updated == 1

    export = Neo4jBulkExport(tmp_path / "bulk", at=at)
    _write(export, _parts())
    assert export.summary == batched_summary
    assert bulk_digest(tmp_path / "bulk") == neo4j_digest(main)


def test_a_bad_row_fails_the_import_and_leaves_the_served_database(
    second: tuple[Settings, dict[str, str]], tmp_path: Path
) -> None:
    settings, env = second
    _wipe(settings)
    target = _store(settings)
    try:
        export_bulk(target, [CHAIN_FIXTURE], tmp_path / "bulk", settings)
        run_import(target, [CHAIN_FIXTURE], settings)  # what the served database holds
    finally:
        target.close()
    before = neo4j_digest(settings)
    rels = tmp_path / "bulk" / "relationships" / "IN_LINK.csv"
    with rels.open("a", encoding="utf-8") as handle:
        handle.write("ent:不存在的企业,link:不存在的环节,,\n")
    failed = _import(env, tmp_path / "bulk")
    assert failed.returncode == 1
    assert "批量导入失败，原数据库未做任何修改" in failed.stderr
    assert _script(env, "status").returncode == 0  # still serving
    assert neo4j_digest(settings) == before


def test_the_export_refuses_a_database_that_holds_data(tmp_path: Path) -> None:
    main = _main()
    _wipe(main)
    store = _store(main)
    try:
        run_import(store, [CHAIN_FIXTURE], main)
    finally:
        store.close()
    out = tmp_path / "bulk"
    result = CliRunner().invoke(cli, ["load", str(CHAIN_FIXTURE), "--neo4j-bulk", str(out)])
    assert result.exit_code == 2
    assert "只用于空数据库的首次导入" in result.output
    assert not out.exists()


def test_the_export_needs_neo4j_and_a_new_folder(tmp_path: Path) -> None:
    env = {"NEO4J_URI": ""}
    out = tmp_path / "bulk"
    result = CliRunner().invoke(
        cli,
        ["load", str(CHAIN_FIXTURE), "--neo4j-bulk", str(out), "--db", str(tmp_path / "x.db")],
        env=env,
    )
    assert result.exit_code == 2
    assert "请先设置 NEO4J_URI" in result.output
    main = _main()
    _wipe(main)
    (out / "old").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["load", str(CHAIN_FIXTURE), "--neo4j-bulk", str(out)])
    assert result.exit_code == 2
    assert "已存在且不为空" in result.output


def test_a_list_holding_the_delimiter_is_refused(tmp_path: Path) -> None:
    export = Neo4jBulkExport(tmp_path / "bulk")
    part = GraphBatch()
    part.add_node("Enterprise", "ent:坏", "坏公司", {"tags": ["a\x1fb"]})
    with pytest.raises(StoreError, match="U\\+001F"):
        export.write_part(part, {})
    export.rollback()
    assert not (tmp_path / "bulk").exists()


def test_a_kept_node_left_out_of_the_last_part_is_placed_as_a_batched_load_places_it(
    tmp_path: Path,
) -> None:
    """A relationship of an early part ends at a node the loader keeps for later (`pending`);
    were the last part to leave that node out, both paths still write it."""
    region = Node("Region", "region:江西省", "江西省", {"level": "省"})
    part = GraphBatch()
    ent = part.add_node("Enterprise", "ent:丁", "丁公司", {"revenue": 3.0})
    part.edges[("LOCATED_IN", ent.id, region.id)] = Edge(
        "LOCATED_IN", "Enterprise", ent.id, "Region", region.id, {}
    )
    files = [SourceFile("保留.csv", "d" * 64)]
    main = _main()
    _wipe(main)
    store = _store(main)
    try:
        load = store.begin_load()
        load.write_part(part, {region.id: region})
        load.commit(GraphBatch(), files, {"nodes": 2, "relationships": 1})
        at = store.imports()[-1].at
    finally:
        store.close()
    export = Neo4jBulkExport(tmp_path / "bulk", at=at)
    export.write_part(part, {region.id: region})
    export.commit(GraphBatch(), files, {"nodes": 2, "relationships": 1})
    assert export.summary == load.summary
    assert bulk_digest(tmp_path / "bulk") == neo4j_digest(main)
