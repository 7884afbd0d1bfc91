"""The recruitment list on the hand-made chain (tests/fixtures/chain).

Candidates for 隔膜 (province): 甲 (深圳, 100亿, 上市, supplies 电芯一), 乙 (玉溪, 100亿, a 储备
project only), 丙 (上海, 签约 project in 宜春 → left out), 丁 (北京, 10亿, 在谈 → kept, flagged).
Default weights: scale 0.35 (log revenue ÷ log of the largest), standing 0.25, proximity 0.25,
affinity 0.15.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from graph_schema.errors import NotFoundError
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.snapshot import Snapshot


def _rows(data: dict[str, Any], link: str) -> list[tuple[str, float, str | None]]:
    return [
        (i["enterprise"], i["score"], i["pipeline_stage"])
        for i in data["items"]
        if i["link"] == link
    ]


def test_targets_broken_then_missing_then_weak(snap: Snapshot, params: AnalysisParams) -> None:
    data = recruit(snap, "示例电池", params).model_dump(mode="json")
    order = [(t["link"], t["status"]) for t in data["targets"]]
    assert order[0] == ("隔膜", "broken")
    # missing: 设备 has a present downstream link (电芯), 应用 has none
    assert order[1:3] == [("设备", "missing"), ("应用", "missing")]
    weak = [link for link, status in order[3:]]
    assert all(status == "weak" for _, status in order[3:])
    # weak ones by present downstream links, then key: 电芯 (key, 系统 present) first
    assert weak[0] == "电芯"
    assert set(weak) == {"电芯", "材料甲", "材料乙", "电解液", "系统", "回收"}
    assert "原料" not in weak and "材料" not in weak  # strong links are not targets


def test_candidates_scores_and_flags(snap: Snapshot, params: AnalysisParams) -> None:
    data = recruit(snap, "示例电池", params).model_dump(mode="json")
    scale_ding = math.log1p(10) / math.log1p(100)
    assert _rows(data, "隔膜") == [
        ("外省隔膜甲有限公司", 0.9, None),  # 0.35 + 0.25×0.6 + 0.25 + 0.15
        ("外省隔膜乙有限公司", 0.35, None),  # scale only; 储备 is not flagged
        ("外省隔膜丁有限公司", round(0.35 * scale_ding + 0.15, 4), "在谈"),
    ]
    [left_out] = [e for e in data["excluded"] if e["link"] == "隔膜"]
    assert left_out["enterprise"] == "外省隔膜丙有限公司" and left_out["project_stage"] == "签约"


def test_reasons_say_why(snap: Snapshot, params: AnalysisParams) -> None:
    data = recruit(snap, "示例电池", params, link="隔膜").model_dump(mode="json")
    first, _, flagged = data["items"]
    assert first["reasons"] == [
        "涉足隔膜环节（未填主要产品，主营业务待核实）",
        "规模：营收100亿元（企业整体，未填分环节营收）",
        "地位：上市",
        "已向本地链上企业供货：电芯一有限公司",
        "来自粤港澳（广东省深圳市），属重点招商来源地",
    ]
    assert "已有在谈项目：隔膜在谈项目，10亿元，应加快推进签约" in flagged["reasons"]
    assert "来自京津冀（北京市），属重点招商来源地" in flagged["reasons"]
    assert first["link_status"] == "broken" and first["enterprise_id"].startswith("ent:")


def test_exclusion_depends_on_the_scope(snap: Snapshot, params: AnalysisParams) -> None:
    # 设备二 has a 开工 project in 新余市: left out there and in the province, kept in 宜春市
    province = recruit(snap, "示例电池", params, link="设备").model_dump(mode="json")
    assert [r[0] for r in _rows(province, "设备")] == ["外省设备一有限公司"]
    yichun = recruit(snap, "示例电池", params, region="宜春市", link="设备").model_dump(mode="json")
    # a tie (same revenue, no tags, no affinity) is broken by name
    assert [r[0] for r in _rows(yichun, "设备")] == ["外省设备一有限公司", "外省设备二有限公司"]
    assert _rows(yichun, "设备")[0][1] == _rows(yichun, "设备")[1][1]


def test_local_firms_outside_the_region_are_nearby_supply_not_targets(
    snap: Snapshot, params: AnalysisParams
) -> None:
    # the three 系统 firms are in 新余市: for 宜春市 they are 省内协同配套, not 招商 targets
    data = recruit(snap, "示例电池", params, region="宜春市", link="系统").model_dump(mode="json")
    assert _rows(data, "系统") == []
    assert [n["enterprise"] for n in data["nearby"]] == [
        "系统一有限公司",
        "系统三有限公司",
        "系统二有限公司",
    ]
    assert "可就近配套协作，不作为招商对象" in data["nearby"][0]["reasons"][0]
    assert (
        recruit(snap, "示例电池", params, link="系统").model_dump(mode="json")["nearby"] == []
    )  # province: none


def test_local_firms_outside_the_region_are_candidates_when_set(snap: Snapshot) -> None:
    params = AnalysisParams(recruit_province_firms=True)
    data = recruit(snap, "示例电池", params, region="宜春市", link="系统").model_dump(mode="json")
    assert data["nearby"] == []
    names = [r[0] for r in _rows(data, "系统")]
    assert names == [
        "系统一有限公司",
        "系统三有限公司",
        "系统二有限公司",
    ]  # a three-way tie: name order
    assert any("省内宜春市以外企业" in reason for reason in data["items"][0]["reasons"])


def test_weights_are_settings(snap: Snapshot) -> None:
    only_affinity = AnalysisParams(
        recruit_weight_scale=0,
        recruit_weight_standing=0,
        recruit_weight_proximity=0,
        recruit_weight_affinity=1,
    )
    rows = _rows(
        recruit(snap, "示例电池", only_affinity, link="隔膜").model_dump(mode="json"), "隔膜"
    )
    # 甲 (粤港澳) and 丁 (京津冀) score 1; the tie goes to the larger revenue
    assert rows == [
        ("外省隔膜甲有限公司", 1.0, None),
        ("外省隔膜丁有限公司", 1.0, "在谈"),
        ("外省隔膜乙有限公司", 0.0, None),
    ]


def test_top_limits_each_link(snap: Snapshot, params: AnalysisParams) -> None:
    data = recruit(snap, "示例电池", params, top=1).model_dump(mode="json")
    assert len(_rows(data, "隔膜")) == 1
    [target] = [t for t in data["targets"] if t["link"] == "隔膜"]
    assert target["candidates"] == 3 and target["shown"] == 1


def test_unknown_link(snap: Snapshot, params: AnalysisParams) -> None:
    with pytest.raises(NotFoundError, match="隔膜"):
        recruit(snap, "示例电池", params, link="隔模").model_dump(mode="json")
