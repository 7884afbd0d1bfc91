"""Candidates read from the store by link (issue 17), on both stores: the hand-made chain
(tests/fixtures/chain) has four outside 隔膜 firms (外省隔膜甲 supplies 电芯一, a local firm)
and two outside 设备 firms, of which only 外省设备一 is tied to nothing in the province: it
stays out of the snapshot and is read from the store."""

from __future__ import annotations

from queries.scope import find_chain, find_enterprise_or_project, find_link
from queries.snapshot import EnterpriseInfo, Snapshot, build_snapshot
from store.base import GraphStore

SEPARATORS = [
    "外省隔膜甲有限公司",
    "外省隔膜乙有限公司",
    "外省隔膜丙有限公司",
    "外省隔膜丁有限公司",
]


def _ids(store: GraphStore, names: list[str]) -> dict[str, str]:
    return {name: store.find_by_name(name)[0].id for name in names}


def test_candidates_are_the_outside_firms_of_the_link_with_their_score_inputs(
    chain_store: GraphStore,
) -> None:
    snap = build_snapshot(chain_store)
    link = find_link(snap, find_chain(snap, "示例电池"), "隔膜")
    ids = _ids(chain_store, [*SEPARATORS, "电芯一有限公司"])
    rows = chain_store.candidates([link.id])
    assert [r.name for r in rows] == sorted(SEPARATORS, key=lambda n: ids[n])
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    first = next(r for r in rows if r.name == "外省隔膜甲有限公司")
    assert (first.revenue, first.tags, first.region) == (100.0, ("上市",), "广东省/深圳市")
    assert first.links == ((link.id, None, None),)
    assert first.supplies == (ids["电芯一有限公司"],) and first.invests == ()
    whole = chain_store.enterprise_rows([first.id, "ent:无此企业"])
    assert [w.node.name for w in whole] == ["外省隔膜甲有限公司"]
    assert (whole[0].links, whole[0].supplies) == (first.links, first.supplies)
    views = chain_store.relationships(first.id)  # the places, as the store shows them
    assert whole[0].places == tuple(sorted(v.other_id for v in views if v.type == "LOCATED_IN"))


def test_local_ids_and_edges_from_read_by_index(chain_store: GraphStore) -> None:
    local = chain_store.local_enterprise_ids()
    every = list(chain_store.iter_nodes("Enterprise"))
    assert local == sorted(n.id for n in every if n.props.get("local"))
    assert len(local) < len(every)
    edges = chain_store.edges_from("IN_LINK", "Enterprise", local[:3])
    expected = [e for e in chain_store.iter_edges("IN_LINK") if e.src in local[:3]]
    assert [(e.src, e.dst, e.props) for e in edges] == [(e.src, e.dst, e.props) for e in expected]


def test_snapshot_keeps_the_province_and_reads_the_pool_by_link(snap: Snapshot) -> None:
    held = {e.name for e in snap.enterprises.values() if not e.local}
    # named by the province's records (a supply to a local firm, a project's investor) …
    assert held == {*SEPARATORS, "外省设备二有限公司", "回收外资有限公司", "应用外资有限公司"}
    # … while 外省设备一 (tied to nothing here) stays in the store, read by link
    link = find_link(snap, find_chain(snap, "示例电池"), "设备")
    found = snap.candidates([link.id])[link.id]
    assert [(e.name, e.revenue) for e in found] == [
        ("外省设备一有限公司", 8.0),  # equal revenue: by id (ent:外省设备一 < ent:外省设备二)
        ("外省设备二有限公司", 8.0),
    ]
    assert found[1] is snap.enterprises[found[1].id]
    assert found[0].places == frozenset()  # score inputs only, until read whole
    other = find_enterprise_or_project(snap, "外省设备一有限公司")  # by name, from the store
    assert other.id == found[0].id and other.id not in snap.enterprises
    assert snap.enterprise(other.id) == other == snap.complete([found[0]])[other.id]
    assert other.region == "湖南省/长沙市" and other.links == [link.id]
    assert "region:湖南省" in other.places


def test_candidates_read_once_are_kept_with_the_snapshot_within_the_budget(
    chain_store: GraphStore,
) -> None:
    """A firm read from the store is a new object each read: the same object again means
    the list was kept, not read again."""
    snap = build_snapshot(chain_store)
    chain = find_chain(snap, "示例电池")
    equipment = find_link(snap, chain, "设备").id
    separators = find_link(snap, chain, "隔膜").id

    def pooled(found: dict[str, list[EnterpriseInfo]]) -> EnterpriseInfo:
        """The firm of the 设备 list read from the store (外省设备一, not in the snapshot)."""
        [ent] = [e for e in found[equipment] if e.id not in snap.enterprises]
        return ent

    unkept = pooled(snap.candidates([equipment]))  # keep=0: nothing kept
    assert pooled(snap.candidates([equipment])) is not unkept
    small = pooled(snap.candidates([equipment], keep=1))  # two firms do not fit in 1
    assert pooled(snap.candidates([equipment], keep=1)) is not small
    first = snap.candidates([equipment], keep=10)
    again = snap.candidates([separators, equipment], keep=10)  # 设备 kept, 隔膜 read
    assert pooled(again) is pooled(first)
    assert [e.id for e in again[equipment]] == [e.id for e in first[equipment]]
    assert list(again) == [separators, equipment]
    assert sorted(e.name for e in again[separators]) == sorted(SEPARATORS)
    again[equipment].clear()  # the caller's list is its own
    assert len(snap.candidates([equipment], keep=10)[equipment]) == 2
