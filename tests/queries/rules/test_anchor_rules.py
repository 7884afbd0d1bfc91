"""The 链主指数 components and the designated-first rule on a chain of two links (上 → 下):
大 (100 亿, both links, 链主 tag), 中 (50 亿, 上, 上市) and 小 (10 亿, 下); 大 supplies 中 and 小."""

from __future__ import annotations

from typing import Any

import pytest

from queries.anchors import _index, _Tops, anchor_inputs, rank_anchors
from queries.params import AnalysisParams
from queries.snapshot import ChainInfo, Snapshot
from tests.queries.rules.tiny import CITY_A, CITY_B, Tiny, scope_of

DEFAULTS = AnalysisParams()


def field(answer: Any, name: str) -> Any:
    """A field of an answer, whether a dict or a model."""
    return answer[name] if isinstance(answer, dict) else getattr(answer, name)


def chain(designated: str = "大") -> tuple[Tiny, Snapshot, ChainInfo]:
    tiny = Tiny().link("上", "上游", down=["下"]).link("下", "下游")
    big = tiny.firm("大", ["上", "下"], revenue=100.0, tags=["链主"] if designated == "大" else [])
    mid = tiny.firm("中", ["上"], revenue=50.0, tags=["上市"], place=CITY_B)
    small = tiny.firm("小", ["下"], revenue=10.0, tags=["链主"] if designated == "小" else [])
    tiny.firm("外省", ["上"], local=False, revenue=900.0)
    tiny.supplies(big, mid)
    tiny.supplies(big, small)
    snap, info = tiny.build()
    return tiny, snap, info


def components(place: str | None = None) -> dict[str, dict[str, float]]:
    _, snap, info = chain()
    inputs = anchor_inputs(snap, info, scope_of(place), DEFAULTS)
    tops = _Tops(
        max(i.ent.revenue or 0.0 for i in inputs),
        max(i.partners for i in inputs),
        max(i.pagerank for i in inputs),
    )
    return {i.ent.name: _index(info, i, tops, DEFAULTS)[1] for i in inputs}


def test_only_local_firms_in_scope_are_ranked() -> None:
    assert sorted(components()) == ["中", "大", "小"]
    assert sorted(components(CITY_A)) == ["大", "小"]


def test_scale_is_revenue_over_the_largest() -> None:
    c = components()
    assert (c["大"]["scale"], c["中"]["scale"], c["小"]["scale"]) == (1.0, 0.5, 0.1)


def test_breadth_is_the_share_of_the_chains_links() -> None:
    c = components()
    assert (c["大"]["breadth"], c["中"]["breadth"]) == (1.0, 0.5)


def test_pull_counts_local_partners_in_scope_either_way() -> None:
    """大 has 2 partners, 中 and 小 one each; in 甲市 中 (乙市) no longer counts for 大."""
    c = components()
    assert (c["大"]["pull"], c["中"]["pull"], c["小"]["pull"]) == (1.0, 0.5, 0.5)
    in_city = components(CITY_A)
    assert (in_city["大"]["pull"], in_city["小"]["pull"]) == (1.0, 1.0)


def test_standing_is_the_best_tag_point() -> None:
    c = components()
    assert (c["大"]["standing"], c["中"]["standing"], c["小"]["standing"]) == (1.0, 0.5, 0.0)


def test_centrality_is_zero_without_supply_relations() -> None:
    tiny = Tiny().link("上")
    tiny.firm("孤", ["上"], revenue=1.0)
    snap, info = tiny.build()
    (only,) = anchor_inputs(snap, info, scope_of(None), DEFAULTS)
    assert only.pagerank == 0.0


def test_the_index_is_the_weighted_mean() -> None:
    _, snap, info = chain()
    inputs = {i.ent.name: i for i in anchor_inputs(snap, info, scope_of(None), DEFAULTS)}
    tops = _Tops(100.0, 2, max(i.pagerank for i in inputs.values()))
    score, c = _index(info, inputs["中"], tops, DEFAULTS)
    expected = (
        0.35 * c["scale"]
        + 0.2 * c["breadth"]
        + 0.2 * c["pull"]
        + 0.15 * c["centrality"]
        + 0.1 * c["standing"]
    )
    assert score == pytest.approx(round(expected, 4))


def test_the_designated_firm_comes_first_whatever_its_index() -> None:
    """小 is the designated 链主: first, marked 已认定; the others are candidates 1 and 2."""
    _, snap, _ = chain(designated="小")
    rows = field(rank_anchors(snap, "测试链", DEFAULTS), "anchors")
    assert [field(r, "name") for r in rows] == ["小", "大", "中"]
    assert [field(r, "designation") for r in rows] == ["已认定", "候选", "候选"]
    assert [field(r, "candidate_rank") for r in rows] == [None, 1, 2]


def test_the_designated_tag_is_a_setting() -> None:
    _, snap, _ = chain(designated="小")
    params = AnalysisParams(anchor_designated_tag="领航企业")
    rows = field(rank_anchors(snap, "测试链", params), "anchors")
    assert next(field(r, "name") for r in rows) == "大"
    assert not any(field(r, "designated") for r in rows)
