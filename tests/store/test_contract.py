"""The store contract: every test runs against both backends and must pass on each.

The Neo4j half runs when NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE) name
a server; each test then starts from an empty database (``MATCH (n) DETACH DELETE n``), so
point it at a throw-away one, e.g. ``docker compose up -d neo4j``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_schema import SCHEMA, GraphBatch, Node, StoreError
from graph_schema.batch import SourceFile
from store.base import GraphStore
from store.factory import open_store
from tests.digests import wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
NEO4J_USER = os.environ.get("NEO4J_USER", "neo4j")
NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD", "")
NEO4J_DATABASE = os.environ.get("NEO4J_DATABASE") or None

CHAIN = "chain:锂电新能源"
LI_MINE = "link:锂电新能源/锂矿"
CATHODE = "link:锂电新能源/正极材料"
CELL = "link:锂电新能源/电芯"
GANFENG = "ent:赣锋锂业"
OUTSIDER = "ent:外省正极"
FILES = [SourceFile("四图五清单.xlsx", "a" * 64)]


def _wipe_neo4j() -> None:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD)) as driver:
        wipe_neo4j(driver, NEO4J_DATABASE)


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
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "neo4j":
        _wipe_neo4j()
        opened = open_store(
            tmp_path / "unused.db", NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE
        )
    else:
        opened = open_store(tmp_path / "contract.db")
    assert opened.backend == request.param
    yield opened
    opened.close()


def sample() -> GraphBatch:
    """A small chain: two links in the province, one enterprise in each, one from outside."""
    batch = GraphBatch()
    chain = batch.add_node(
        "Chain", CHAIN, "锂电新能源", {"leader": "省领导", "sources": ["四图五清单.xlsx"]}
    )
    mine = batch.add_node(
        "Link", LI_MINE, "锂矿", {"chain": CHAIN, "stage": "上游", "level": "环节", "key": True}
    )
    cathode = batch.add_node(
        "Link",
        CATHODE,
        "正极材料",
        {"chain": CHAIN, "stage": "中游", "key": False, "aliases": ["正极"]},
    )
    ganfeng = batch.add_node(
        "Enterprise",
        GANFENG,
        "江西赣锋锂业集团股份有限公司",
        {
            "local": True,
            "credit_code": "91360000158304517F",
            "revenue": 12.5,
            "tags": ["链主", "上市"],
            "aliases": ["赣锋锂业", "Ganfeng Lithium"],
            "region": "新余市",
            # columns the schema does not know are kept as extra properties
            "founded": 2000,
            "listed": True,
            "share": 0.35,
            "segments": ["锂盐", "锂电池"],
            "hotline": "0790-0000000",
        },
    )
    outsider = batch.add_node(
        "Enterprise", OUTSIDER, "外省正极材料有限公司", {"local": False, "revenue": 30}
    )
    batch.add_edge("HAS_LINK", chain, mine)
    batch.add_edge("HAS_LINK", chain, cathode)
    batch.add_edge("SUPPLIES_TO", mine, cathode)
    batch.add_edge(
        "IN_LINK", ganfeng, mine, {"role": "龙头", "products": ["锂精矿"], "weight": 0.8}
    )
    batch.add_edge("IN_LINK", outsider, cathode, {"products": ["磷酸铁锂"]})
    return batch


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Everything a reader can see, to compare before and after."""
    return {
        "stats": store.stats(),
        "version": store.version(),
        "imports": store.imports(),
        "nodes": {label: list(store.iter_nodes(label)) for label in SCHEMA.domain_labels},
        "edges": {rel: list(store.iter_edges(rel)) for rel in SCHEMA.rels},
    }


# -- writing and reading back ---------------------------------------------------------------


def test_write_then_read_back(store: GraphStore) -> None:
    batch = sample()
    summary = store.write(batch, FILES)
    assert (summary.nodes_created, summary.edges_created) == (5, 5)
    assert summary.changed

    for node in batch.nodes.values():
        assert store.get_node(node.id) == node, node.id
    ganfeng = store.get_node(GANFENG)
    assert ganfeng is not None
    props = ganfeng.props
    assert props["local"] is True and props["listed"] is True
    assert isinstance(props["revenue"], float) and props["revenue"] == 12.5
    assert props["tags"] == ["链主", "上市"] and props["segments"] == ["锂盐", "锂电池"]
    assert isinstance(props["founded"], int) and props["founded"] == 2000
    assert props["share"] == 0.35 and props["hotline"] == "0790-0000000"
    outsider = store.get_node(OUTSIDER)
    assert outsider is not None and outsider.props["local"] is False
    # a FLOAT property given an int reads back as a float in both stores
    assert isinstance(outsider.props["revenue"], float) and outsider.props["revenue"] == 30.0

    assert [n.id for n in store.iter_nodes("Link")] == sorted([LI_MINE, CATHODE])
    edges = list(store.iter_edges("IN_LINK"))
    assert [(e.src_label, e.src, e.dst_label, e.dst) for e in edges] == sorted(
        [("Enterprise", GANFENG, "Link", LI_MINE), ("Enterprise", OUTSIDER, "Link", CATHODE)],
        key=lambda t: (t[1], t[3]),
    )
    by_src = {e.src: e.props for e in edges}
    assert by_src[GANFENG] == {"role": "龙头", "products": ["锂精矿"], "weight": 0.8}
    assert by_src[OUTSIDER] == {"products": ["磷酸铁锂"]}
    assert [(e.src, e.dst) for e in store.iter_edges("HAS_LINK")] == sorted(
        [(CHAIN, LI_MINE), (CHAIN, CATHODE)]
    )


def test_unknown_ids_read_as_nothing(store: GraphStore) -> None:
    store.write(sample(), FILES)
    assert store.get_node("ent:没有这家") is None
    assert store.get_node("没有前缀") is None
    assert store.relationships("ent:没有这家") == []
    assert store.relationships("没有前缀") == []


def test_second_write_of_the_same_batch_changes_nothing(store: GraphStore) -> None:
    store.write(sample(), FILES)
    before = snapshot(store)
    summary = store.write(sample(), FILES)
    assert summary.as_dict() == {
        "nodes_created": 0,
        "nodes_updated": 0,
        "nodes_unchanged": 5,
        "edges_created": 0,
        "edges_updated": 0,
        "edges_unchanged": 5,
    }
    assert not summary.changed
    after = snapshot(store)
    assert after["version"] == before["version"] == 1
    assert len(after["imports"]) == 2  # the load is recorded, but it changed nothing
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }


def test_merge_rules(store: GraphStore) -> None:
    first = GraphBatch()
    link = first.add_node("Link", CATHODE, "正极材料", {"chain": CHAIN})
    ent = first.add_node(
        "Enterprise",
        GANFENG,
        "江西赣锋锂业集团股份有限公司",
        {"aliases": ["赣锋"], "sources": ["a.xlsx"], "revenue": 10.0, "region": "新余市"},
    )
    first.add_edge("IN_LINK", ent, link, {"role": "龙头"})
    store.write(first, FILES)

    second = GraphBatch()
    link = second.add_node("Link", CATHODE, "正极材料", {"chain": CHAIN})
    ent = second.add_node(
        "Enterprise",
        GANFENG,
        "赣锋锂业股份",  # another name for the same id: kept as an alias
        {
            "aliases": ["Ganfeng", "赣锋"],
            "sources": ["b.xlsx", "a.xlsx"],
            "revenue": 12.0,  # later values win
            "region": "",  # empty values never erase
            "tags": [],
        },
    )
    second.add_edge("IN_LINK", ent, link, {"role": "", "products": ["氢氧化锂"]})
    summary = store.write(second, FILES)
    assert (summary.nodes_updated, summary.nodes_unchanged) == (1, 1)
    assert (summary.edges_updated, summary.edges_unchanged) == (1, 0)

    node = store.get_node(GANFENG)
    assert node is not None
    assert node.name == "江西赣锋锂业集团股份有限公司"  # the first name stays
    assert node.props == {
        "aliases": ["赣锋", "Ganfeng", "赣锋锂业股份"],
        "sources": ["a.xlsx", "b.xlsx"],
        "revenue": 12.0,
        "region": "新余市",
    }
    (edge,) = list(store.iter_edges("IN_LINK"))
    assert edge.props == {"role": "龙头", "products": ["氢氧化锂"]}
    assert store.version() == 2


# -- a failed write changes nothing ----------------------------------------------------------


def failing_batch() -> GraphBatch:
    """Updates, new nodes and a good edge group, then an edge group the database refuses."""
    batch = GraphBatch()
    chain = batch.add_node("Chain", CHAIN, "锂电新能源", {"lead_department": "省工信厅"})
    cell = batch.add_node("Link", CELL, "电芯", {"chain": CHAIN, "stage": "中游"})
    ganfeng = batch.add_node(
        "Enterprise", GANFENG, "江西赣锋锂业集团股份有限公司", {"aliases": ["新别名"]}
    )
    batch.add_edge("HAS_LINK", chain, cell)
    # A map is no value for a text property: SQLite cannot bind it, Neo4j cannot store it.
    batch.add_edge("IN_LINK", ganfeng, cell, {"role": {"角色": "龙头"}})
    return batch


def test_a_write_that_fails_midway_changes_nothing(store: GraphStore) -> None:
    store.write(sample(), FILES)
    before = snapshot(store)
    with pytest.raises(StoreError, match="未做任何修改"):
        store.write(failing_batch(), FILES)
    assert snapshot(store) == before
    assert store.get_node(CELL) is None
    # and the store still takes the next good load
    assert store.write(sample(), FILES).changed is False
    assert store.version() == 1


def test_a_failed_first_write_leaves_an_empty_store(store: GraphStore) -> None:
    empty = snapshot(store)
    with pytest.raises(StoreError):
        store.write(failing_batch(), FILES)
    assert snapshot(store) == empty
    assert empty["version"] == 0 and empty["imports"] == []


def test_an_edge_to_a_node_that_is_nowhere_is_refused(store: GraphStore) -> None:
    store.write(sample(), FILES)
    before = snapshot(store)
    batch = GraphBatch()
    ent = batch.add_node("Enterprise", "ent:新企业", "新企业有限公司", {"local": True})
    batch.add_edge("IN_LINK", ent, Node("Link", "link:锂电新能源/不存在", "不存在"))
    with pytest.raises(StoreError, match="link:锂电新能源/不存在"):
        store.write(batch, FILES)
    assert snapshot(store) == before


def test_an_edge_to_a_node_already_stored_is_written(store: GraphStore) -> None:
    store.write(sample(), FILES)
    batch = GraphBatch()
    ent = batch.add_node("Enterprise", "ent:新企业", "新企业有限公司", {"local": True})
    batch.add_edge("IN_LINK", ent, Node("Link", CATHODE, "正极材料"))  # not in this batch
    summary = store.write(batch, FILES)
    assert (summary.nodes_created, summary.edges_created) == (1, 1)
    assert ("ent:新企业", CATHODE) in {(e.src, e.dst) for e in store.iter_edges("IN_LINK")}


def test_a_relationship_the_schema_lacks_is_refused(store: GraphStore) -> None:
    batch = GraphBatch()
    chain = batch.add_node("Chain", CHAIN, "锂电新能源")
    link = batch.add_node("Link", CATHODE, "正极材料")
    batch.add_edge("HAS_CHAIN", link, chain)  # HAS_CHAIN runs from Industry to Chain
    with pytest.raises(StoreError, match="HAS_CHAIN"):
        store.write(batch, FILES)
    assert store.stats()["nodes"]["Chain"] == 0 and store.version() == 0


# -- lookups -----------------------------------------------------------------------------


def test_find_by_name(store: GraphStore) -> None:
    store.write(sample(), FILES)
    assert [n.id for n in store.find_by_name("正极材料")] == [CATHODE]
    assert [n.id for n in store.find_by_name("正极")] == [CATHODE]  # an alias
    assert [n.id for n in store.find_by_name("  赣锋锂业 ")] == [GANFENG]  # trimmed
    found = store.find_by_name("江西赣锋锂业集团股份有限公司")
    assert found == [store.get_node(GANFENG)]  # whole nodes, with their properties
    assert store.find_by_name("正极材") == []  # exact only
    assert store.find_by_name("锂电新能源")[0].label == "Chain"


def test_find_by_name_across_labels(store: GraphStore) -> None:
    batch = GraphBatch()
    batch.add_node("Application", "app:储能", "储能")
    batch.add_node("Link", "link:锂电新能源/储能", "储能系统", {"aliases": ["储能"]})
    store.write(batch, FILES)
    assert sorted((n.label, n.id) for n in store.find_by_name("储能")) == [
        ("Application", "app:储能"),
        ("Link", "link:锂电新能源/储能"),
    ]


def test_find_text(store: GraphStore) -> None:
    store.write(sample(), FILES)
    # names and aliases containing the text, shortest name first
    assert [n.id for n in store.find_text("锂", 10)] == [
        LI_MINE,  # 锂矿
        CHAIN,  # 锂电新能源
        GANFENG,  # 江西赣锋锂业集团股份有限公司
    ]
    assert [n.id for n in store.find_text("锂", 2)] == [LI_MINE, CHAIN]
    assert [n.id for n in store.find_text("正极", 10)] == [CATHODE, OUTSIDER]
    assert [n.id for n in store.find_text("ganfeng", 10)] == [GANFENG]  # alias, any case
    assert [n.id for n in store.find_text("100%", 10)] == []  # no wildcards
    assert store.find_text("锂矿", 10) == [store.get_node(LI_MINE)]


def test_relationships(store: GraphStore) -> None:
    store.write(sample(), FILES)
    views = store.relationships(LI_MINE)
    assert [(v.type, v.direction, v.other_type, v.other_id, v.other_name) for v in views] == [
        ("HAS_LINK", "in", "Chain", CHAIN, "锂电新能源"),
        ("SUPPLIES_TO", "out", "Link", CATHODE, "正极材料"),
        ("IN_LINK", "in", "Enterprise", GANFENG, "江西赣锋锂业集团股份有限公司"),
    ]
    assert views[2].props == {"role": "龙头", "products": ["锂精矿"], "weight": 0.8}
    assert [(v.type, v.direction, v.other_id) for v in store.relationships(CHAIN)] == [
        ("HAS_LINK", "out", other) for other in sorted([CATHODE, LI_MINE])
    ]


def test_stats_shape(store: GraphStore) -> None:
    assert store.stats() == {
        "nodes": dict.fromkeys(SCHEMA.domain_labels, 0),
        "relationships": dict.fromkeys(SCHEMA.rels, 0),
    }
    store.write(sample(), FILES)
    stats = store.stats()
    assert list(stats["nodes"]) == SCHEMA.domain_labels  # no Import: it is bookkeeping
    assert list(stats["relationships"]) == list(SCHEMA.rels)
    assert {k: v for k, v in stats["nodes"].items() if v} == {
        "Chain": 1,
        "Link": 2,
        "Enterprise": 2,
    }
    assert {k: v for k, v in stats["relationships"].items() if v} == {
        "HAS_LINK": 2,
        "SUPPLIES_TO": 1,
        "IN_LINK": 2,
    }


def test_imports_and_version(store: GraphStore) -> None:
    assert (store.version(), store.imports()) == (0, [])
    store.write(sample(), FILES)
    store.write(sample(), FILES)
    extra = GraphBatch()
    extra.add_node("Region", "region:江西省/宜春市", "宜春市", {"level": "市"})
    store.write(extra, [])
    assert store.version() == 2  # the second load changed nothing

    first, second, third = store.imports()
    assert [r.seq for r in (first, second, third)] == [1, 2, 3]
    assert (first.files, first.sha256) == (["四图五清单.xlsx"], ["a" * 64])
    assert first.counts == {
        "nodes": 5,
        "relationships": 5,
        "nodes_created": 5,
        "nodes_updated": 0,
        "nodes_unchanged": 0,
        "edges_created": 5,
        "edges_updated": 0,
        "edges_unchanged": 0,
    }
    assert second.counts["nodes_unchanged"] == 5 and second.counts["edges_unchanged"] == 5
    assert (third.files, third.sha256, third.counts["nodes_created"]) == ([], [], 1)
    assert first.at[:2] == "20" and "T" in first.at


def test_identity_index(store: GraphStore) -> None:
    store.write(sample(), FILES)
    index = store.identity_index()
    assert index.lookup("Enterprise", "江西赣锋锂业集团有限公司") == [GANFENG]  # normalised
    assert index.lookup("Enterprise", "赣锋锂业") == [GANFENG]  # alias
    assert index.lookup("Enterprise", "谁都不是", "91360000158304517F") == [GANFENG]
    assert index.lookup("Link", "正极") == [CATHODE]
    assert index.nodes[CATHODE].scope == CHAIN
    assert index.nodes[GANFENG].local is True and index.nodes[OUTSIDER].local is False
    assert index.nodes[GANFENG].credit_code == "91360000158304517F"
    assert set(index.nodes) == {CHAIN, LI_MINE, CATHODE, GANFENG, OUTSIDER}
