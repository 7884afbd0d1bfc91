"""The Neo4j write path against the real server: a load written in many transactions is still
all or nothing, when a step fails midway and when the loading process is killed (kill -9).

Needs NEO4J_URI (the database is wiped: a throw-away server, e.g. scripts/neo4j.sh start).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema import GraphBatch, Node, StoreError
from graph_schema.batch import SourceFile
from tests.digests import wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
NEO4J_USER = os.environ.get("NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD", "")
NEO4J_DATABASE = os.environ.get("NEO4J_DATABASE") or None
ROOT = Path(__file__).resolve().parents[2]
FILES = [SourceFile("四图五清单.xlsx", "b" * 64)]

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
]

CHAIN = "chain:测试链"


def base_batch() -> GraphBatch:
    """A chain with two links and 50 enterprises, the graph the failed loads must not touch."""
    batch = GraphBatch()
    chain = batch.add_node("Chain", CHAIN, "测试链", {"sources": ["基础"]})
    links = [
        batch.add_node(
            "Link", f"link:测试链/环节{i}", f"环节{i}", {"chain": CHAIN, "stage": "中游"}
        )
        for i in range(2)
    ]
    for link in links:
        batch.add_edge("HAS_LINK", chain, link)
    for i in range(50):
        ent = batch.add_node(
            "Enterprise", f"ent:基础{i}", f"基础企业{i}有限公司", {"local": True, "revenue": i}
        )
        batch.add_edge("IN_LINK", ent, links[i % 2], {"products": [f"产品{i}"]})
    return batch


def large_batch(count: int, *, fault: bool) -> GraphBatch:
    """`count` new enterprises in a link, 20 changed ones, and (with `fault`) a last relationship
    whose property is a map, which the server refuses when it reaches it."""
    batch = GraphBatch()
    link = Node("Link", "link:测试链/环节0", "环节0")
    for i in range(20):  # updates of stored nodes: the undo must set their old values back
        batch.add_node("Enterprise", f"ent:基础{i}", f"基础企业{i}有限公司", {"revenue": 1000 + i})
    for i in range(count):
        ent = batch.add_node(
            "Enterprise", f"ent:新{i}", f"新企业{i}有限公司", {"local": False, "revenue": 1.5}
        )
        batch.add_edge("IN_LINK", ent, link, {"role": "配套"})
    if fault:
        last = batch.add_node("Enterprise", "ent:坏", "坏企业有限公司", {"local": False})
        batch.add_edge("IN_LINK", last, link, {"role": {"角色": "龙头"}})
    return batch


def digest() -> str:
    """Every node (labels, properties) and relationship of the database, hashed."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
            database_=NEO4J_DATABASE,
        )
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN a.id AS src, type(r) AS type, b.id AS dst, "
            "properties(r) AS props",
            database_=NEO4J_DATABASE,
        )
    rows = sorted(json.dumps(r.data(), ensure_ascii=False, sort_keys=True) for r in nodes)
    rows += sorted(json.dumps(r.data(), ensure_ascii=False, sort_keys=True) for r in rels)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def count(label: str) -> int:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        records, _, _ = driver.execute_query(
            f"MATCH (n:{label}) RETURN count(n) AS n",  # label from this file, not input
            database_=NEO4J_DATABASE,
        )
    return int(records[0]["n"])


@pytest.fixture
def store() -> Iterator[object]:
    from neo4j import GraphDatabase

    from store.neo4j import Neo4jStore

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        wipe_neo4j(driver, NEO4J_DATABASE)
    opened = Neo4jStore(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, tx_rows=100)
    opened.write(base_batch(), FILES)
    yield opened
    opened.close()


def test_a_load_in_many_transactions_is_whole(store: object) -> None:
    from store.neo4j import Neo4jStore

    assert isinstance(store, Neo4jStore)
    summary = store.write(large_batch(1000, fault=False), FILES)
    assert store.steps_written == 10 + 1 + 10  # 1000 new nodes, 20 updates, 1000 new edges
    assert (summary.nodes_created, summary.nodes_updated, summary.edges_created) == (1000, 20, 1000)
    assert store.stats()["nodes"]["Enterprise"] == 1050
    assert count("ImportStep") == 0 and store.version() == 2
    assert store.get_node("ent:基础3") is not None
    assert store.get_node("ent:基础3").props["revenue"] == 1003.0  # type: ignore[union-attr]


def test_a_step_that_fails_midway_leaves_the_database_as_it_was(store: object) -> None:
    from store.neo4j import Neo4jStore

    assert isinstance(store, Neo4jStore)
    before = digest()
    with pytest.raises(StoreError, match="未做任何修改"):
        store.write(large_batch(1000, fault=True), FILES)
    assert store.steps_written >= 20  # nodes and most relationships had been committed
    assert digest() == before
    assert store.get_node("ent:基础3").props["revenue"] == 3.0  # type: ignore[union-attr]
    # and the next load goes through
    assert store.write(large_batch(300, fault=False), FILES).nodes_created == 300
    assert store.version() == 2 and [r.seq for r in store.imports()] == [1, 2]


CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from tests.store.test_neo4j_writes import FILES, large_batch
from store.neo4j import Neo4jStore
store = Neo4jStore(*sys.argv[2:5], None, tx_rows=20)
store.write(large_batch(20000, fault=False), FILES)
"""


def test_a_killed_load_is_undone_when_the_store_is_opened_again(store: object) -> None:
    from store.neo4j import Neo4jStore

    assert isinstance(store, Neo4jStore)
    before = digest()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT), NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while count("ImportStep") < 5:  # several steps committed: a load half done
            assert child.poll() is None, "the load ended before it could be killed"
            assert time.monotonic() < deadline, "the load wrote no steps in 120 s"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert digest() != before  # the killed load left its steps behind
    time.sleep(0.5)  # the server notices the closed connection and rolls its transactions back
    reopened = Neo4jStore(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)
    try:
        assert digest() == before
        assert count("ImportStep") == 0 and reopened.version() == 1
    finally:
        reopened.close()


def parts() -> tuple[list[GraphBatch], GraphBatch, dict[str, Node]]:
    """A load in three parts as the loader streams it: 30 enterprises a part, in a new link
    that the loader keeps until the last part (`pending`); the second part's enterprises
    supply the first part's. Also the same load as one batch."""
    keep = GraphBatch()
    link = keep.add_node("Link", "link:测试链/环节9", "环节9", {"chain": CHAIN, "stage": "下游"})
    chain = Node("Chain", CHAIN, "测试链")
    whole = GraphBatch()
    out: list[GraphBatch] = []
    for p in range(2):
        part = GraphBatch()
        for i in range(30):
            ent = part.add_node(
                "Enterprise", f"ent:分{p}-{i}", f"分批企业{p}-{i}有限公司", {"revenue": i + 0.5}
            )
            part.add_edge("IN_LINK", ent, link, {"role": "配套"})
            if p == 1:
                part.add_edge("SUPPLIES", ent, Node("Enterprise", f"ent:分0-{i}", ""))
        out.append(part)
    last = GraphBatch(nodes=dict(keep.nodes))
    last.add_edge("HAS_LINK", chain, link)
    out.append(last)
    for part in out:
        for node in part.nodes.values():
            whole.add_node(node.label, node.id, node.name, node.props)
        whole.edges.update(part.edges)
    return out, whole, dict(keep.nodes)


def test_a_streamed_load_is_whole_and_its_rollback_takes_every_part_back(store: object) -> None:
    from store.neo4j import Neo4jStore

    assert isinstance(store, Neo4jStore)
    before = digest()
    (first, second, last), whole, pending = parts()
    session = store.begin_load()
    session.write_part(first, pending)
    session.write_part(second, pending)
    assert count("ImportStep") > 0 and store.get_node("ent:分1-3") is not None
    session.rollback()
    assert digest() == before and count("ImportStep") == 0

    session = store.begin_load()
    session.write_part(first, pending)
    session.write_part(second, pending)
    summary = session.commit(last, FILES, {"nodes": 61, "relationships": 91})
    assert (summary.nodes_created, summary.nodes_updated, summary.nodes_unchanged) == (61, 0, 0)
    assert (summary.edges_created, summary.edges_updated) == (91, 0)
    assert store.get_node("link:测试链/环节9").props["stage"] == "下游"  # type: ignore[union-attr]
    assert count("ImportStep") == 0 and store.version() == 2
    # the same load as one batch changes nothing
    again = store.write(whole, FILES)
    assert not again.changed
    assert (again.nodes_unchanged, again.edges_unchanged) == (61, 91)


def test_a_first_load_prints_none_of_the_servers_notices(tmp_path: Path) -> None:
    """A first load's statements name property keys and relationship types the empty database
    does not hold yet; the server's notices about them must not reach the user's terminal."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        wipe_neo4j(driver, NEO4J_DATABASE)
    cli = "import sys; from app.cli import main; sys.exit(main())"
    result = subprocess.run(
        [sys.executable, "-c", cli, "load", str(ROOT / "app" / "demo_data")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert count("Enterprise") > 0
    assert "notification" not in result.stderr.lower(), result.stderr[:2000]
    assert "GqlStatusObject" not in result.stderr
