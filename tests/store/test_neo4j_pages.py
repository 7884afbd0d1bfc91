"""The Neo4j store's paged reads (issue 10): a whole label or relationship type read a page
at a time, and reads by id read a chunk at a time, each page one record of row lists. With a
page of 2 rows, every read crosses several pages (and stops on an exact last page); the
answers must be those of the SQLite store holding the same graph, in the same order.

Runs when NEO4J_URI names a server (its database is wiped first).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_schema import SCHEMA, GraphBatch, Node
from graph_schema.batch import SourceFile
from store.base import GraphStore
from store.factory import open_store
from store.neo4j import Neo4jStore
from tests.digests import wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
NEO4J_USER = os.environ.get("NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD", "")
NEO4J_DATABASE = os.environ.get("NEO4J_DATABASE") or None
FILES = [SourceFile("分页.xlsx", "b" * 64)]

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置：分页读取需要 Neo4j"),
]

CHAIN = "chain:分页链"
LINKS = [f"link:分页链/环节{i}" for i in range(5)]  # 4 pages of 2 rows, the last one empty
FIRMS = [f"ent:分页企业{i}" for i in range(7)]  # 4 pages, the last one of 1 row


def graph() -> GraphBatch:
    """A chain of 5 links, 7 firms (4 local, with places, links, suppliers, investees), and
    the projects and parks that reach Project and Park sources of LOCATED_IN."""
    batch = GraphBatch()
    chain = batch.add_node("Chain", CHAIN, "分页链", {})
    province = batch.add_node("Region", "region:江西省", "江西省", {"level": "省"})
    city = batch.add_node("Region", "region:江西省/宜春市", "宜春市", {"level": "市"})
    batch.add_edge("PART_OF", city, province)
    park = batch.add_node("Park", "park:宜春园", "宜春园", {"level": "省级"})
    batch.add_edge("LOCATED_IN", park, city)
    links: list[Node] = []
    for i, link_id in enumerate(LINKS):
        link = batch.add_node("Link", link_id, f"环节{i}", {"chain": CHAIN, "stage": "上游"})
        batch.add_edge("HAS_LINK", chain, link)
        if links:
            batch.add_edge("SUPPLIES_TO", links[-1], link)
        links.append(link)
    firms: list[Node] = []
    for i, firm_id in enumerate(FIRMS):
        local = i % 2 == 0
        firm = batch.add_node(
            "Enterprise", firm_id, f"分页企业{i}", {"local": local, "revenue": float(i)}
        )
        batch.add_edge("IN_LINK", firm, links[i % 5], {"revenue": i / 2} if i else None)
        batch.add_edge("IN_LINK", firm, links[(i + 2) % 5])
        if local:
            batch.add_edge("LOCATED_IN", firm, park if i % 4 else city)
        if firms:
            batch.add_edge("SUPPLIES", firm, firms[-1])
        if len(firms) > 1:
            batch.add_edge("INVESTS_IN", firm, firms[0])
        firms.append(firm)
    for i in range(3):
        project = batch.add_node(
            "Project", f"proj:分页项目{i}", f"分页项目{i}", {"stage": "签约", "amount": 1.0 + i}
        )
        batch.add_edge("LOCATED_IN", project, city)
        batch.add_edge("FILLS", project, links[i])
        batch.add_edge("BY", project, firms[i])
    return batch


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[GraphStore, Neo4jStore]]:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        wipe_neo4j(driver, NEO4J_DATABASE)
    sqlite = open_store(tmp_path / "pages.db")
    neo4j = Neo4jStore(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, page_rows=2)
    sqlite.write(graph(), FILES)
    neo4j.write(graph(), FILES)
    yield sqlite, neo4j
    sqlite.close()
    neo4j.close()


def test_whole_labels_and_types_read_page_by_page(stores: tuple[GraphStore, Neo4jStore]) -> None:
    sqlite, neo4j = stores
    for label in ("Link", "Enterprise", "Project", "Region", "Park", "Chain", "Problem"):
        assert list(neo4j.iter_nodes(label)) == list(sqlite.iter_nodes(label)), label
    assert len(list(neo4j.iter_nodes("Enterprise"))) == len(FIRMS)
    for rel in SCHEMA.rels:
        assert list(neo4j.iter_edges(rel)) == list(sqlite.iter_edges(rel)), rel
    # LOCATED_IN has four source labels: each read in turn, in the order of their ids
    located = [(e.src_label, e.src) for e in neo4j.iter_edges("LOCATED_IN")]
    assert [src for _, src in located] == sorted(src for _, src in located)
    assert {label for label, _ in located} == {"Enterprise", "Park", "Project"}


def test_reads_by_id_answer_as_sqlite(stores: tuple[GraphStore, Neo4jStore]) -> None:
    sqlite, neo4j = stores
    wanted = [*reversed(FIRMS), "ent:没有这家"]
    assert neo4j.enterprise_rows(wanted) == sqlite.enterprise_rows(wanted)
    (row,) = neo4j.enterprise_rows([FIRMS[2]])
    assert row.links == ((LINKS[2], 1.0, None), (LINKS[4], None, None))
    assert row.places == ("park:宜春园",) and row.supplies == (FIRMS[1],)
    assert row.invests == (FIRMS[0],)
    assert neo4j.local_enterprise_ids() == sqlite.local_enterprise_ids() == FIRMS[::2]
    assert neo4j.candidates(LINKS) == sqlite.candidates(LINKS)
    assert [c.id for c in neo4j.candidates(LINKS)] == FIRMS[1::2]
    projects = [f"proj:分页项目{i}" for i in (2, 0, 1)]
    for rel in ("LOCATED_IN", "FILLS", "BY"):
        assert neo4j.edges_from(rel, "Project", projects) == sqlite.edges_from(
            rel, "Project", projects
        ), rel
