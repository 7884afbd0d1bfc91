"""链主指数 on the hand-made chain: supply edges 原料一→电芯一, 材料甲一→电芯一, 电芯一→系统一
(and the outsider 外省隔膜甲→电芯一, which counts for PageRank but not for local pull)."""

from __future__ import annotations

from typing import Any

import pytest

from queries.anchors import rank_anchors
from queries.params import AnalysisParams
from queries.snapshot import Snapshot


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in data["anchors"]}


def test_the_anchor_and_its_components(snap: Snapshot, params: AnalysisParams) -> None:
    data = rank_anchors(snap, "示例电池", params, top=50).model_dump(mode="json")
    assert data["total"] == 15  # every local enterprise of the chain
    first = data["anchors"][0]
    assert first["name"] == "电芯一有限公司" and first["rank"] == 1
    c = first["components"]
    assert c["scale"] == 1.0  # 90 is the largest local revenue
    assert c["breadth"] == round(1 / 11, 4)  # one of eleven links
    assert c["pull"] == 1.0  # 3 local partners, the most
    assert c["standing"] == 1.0  # 链主
    assert 0 < c["centrality"] <= 1
    expected = 0.35 + 0.2 / 11 + 0.2 + 0.15 * c["centrality"] + 0.1
    assert first["score"] == pytest.approx(expected, abs=1e-3)
    assert first["inputs"]["local_partners"] == 3
    assert "认定身份：链主" in first["reasons"]
    assert first["sentence"].startswith("电芯一有限公司链主指数")


def test_components_of_others(snap: Snapshot, params: AnalysisParams) -> None:
    rows = _rows(rank_anchors(snap, "示例电池", params, top=50).model_dump(mode="json"))
    raw = rows["原料一有限公司"]["components"]
    assert raw["scale"] == round(30 / 90, 4) and raw["pull"] == round(1 / 3, 4)
    assert raw["standing"] == 0.5  # 上市
    alone = rows["原料二有限公司"]["components"]
    assert alone["pull"] == 0 and alone["centrality"] == 0  # no supply relation at all
    assert all(0 <= v <= 1 for row in rows.values() for v in row["components"].values())


def test_ties_go_by_revenue_then_name(snap: Snapshot, params: AnalysisParams) -> None:
    names = [
        row["name"]
        for row in rank_anchors(snap, "示例电池", params, top=50).model_dump(mode="json")["anchors"]
    ]
    # 系统二 and 系统三: 10亿, 上市, no partners: the same index; name order decides
    assert names.index("系统三有限公司") == names.index("系统二有限公司") - 1


def test_weights_and_scope(snap: Snapshot) -> None:
    by_scale = AnalysisParams(
        anchor_weight_scale=1,
        anchor_weight_breadth=0,
        anchor_weight_pull=0,
        anchor_weight_centrality=0,
        anchor_weight_standing=0,
    )
    scores = [
        (r["name"], r["score"])
        for r in rank_anchors(snap, "示例电池", by_scale).model_dump(mode="json")["anchors"][:2]
    ]
    assert scores == [("电芯一有限公司", 1.0), ("原料一有限公司", round(30 / 90, 4))]
    xinyu = rank_anchors(snap, "示例电池", AnalysisParams(), region="新余市", top=50).model_dump(
        mode="json"
    )
    assert xinyu["region"] == "新余市"
    assert {r["name"] for r in xinyu["anchors"]} == {
        "原料三有限公司",
        "材料乙一有限公司",
        "电芯三有限公司",
        "系统一有限公司",
        "系统二有限公司",
        "系统三有限公司",
    }
    assert (
        rank_anchors(snap, "示例电池", AnalysisParams(), top=3).model_dump(mode="json")["anchors"][
            2
        ]["rank"]
        == 3
    )
