"""What-if on the hand-made chain: 本地配套率 is 7 of 10 leaf links before."""

from __future__ import annotations

import pytest

from graph_schema.errors import NotFoundError
from queries.params import AnalysisParams
from queries.snapshot import Snapshot
from queries.whatif import what_if


def _changes(data: dict[str, object]) -> set[tuple[str, str, str]]:
    return {(c["link"], c["before"], c["after"]) for c in data["changes"]}  # type: ignore[attr-defined]


def test_an_outside_firm_fills_the_broken_link(snap: Snapshot, params: AnalysisParams) -> None:
    data = what_if(snap, "示例电池", "外省隔膜乙", params).model_dump(
        mode="json"
    )  # short name; its own link 隔膜
    assert data["subject"]["name"] == "外省隔膜乙有限公司" and data["links"] == ["隔膜"]
    assert _changes(data) == {("隔膜", "broken", "weak")}
    assert (data["local_rate_before"], data["local_rate_after"]) == (0.7, 0.8)
    assert data["assumption"] == "假设企业“外省隔膜乙有限公司”在全省落地，进入隔膜环节"


def test_a_project_reaching_production(snap: Snapshot, params: AnalysisParams) -> None:
    data = what_if(snap, "示例电池", "应用在建项目", params).model_dump(mode="json")
    assert data["subject"]["type"] == "项目"
    assert _changes(data) == {("应用", "missing", "weak")}
    assert data["local_rate_after"] == 0.8


def test_given_links_and_region(snap: Snapshot, params: AnalysisParams) -> None:
    data = what_if(
        snap, "示例电池", "外省设备一有限公司", params, links=["设备", "回收"], region="宜春市"
    ).model_dump(mode="json")
    assert data["region"] == "宜春市"
    # in 宜春市 both 设备 and 回收 are missing; one firm makes each present but weak
    assert _changes(data) == {("设备", "missing", "weak"), ("回收", "missing", "weak")}
    assert {a["link"] for a in data["affected"]} == {"设备", "回收"}


def test_a_firm_already_local_changes_nothing(snap: Snapshot, params: AnalysisParams) -> None:
    data = what_if(snap, "示例电池", "电芯一有限公司", params).model_dump(mode="json")
    assert data["changes"] == [] and data["local_rate_before"] == data["local_rate_after"]


def test_reasons_after_landing(snap: Snapshot, params: AnalysisParams) -> None:
    # 材料乙 has one local firm (15亿); 外省隔膜甲 (100亿) joining makes two, one dominant
    data = what_if(snap, "示例电池", "外省隔膜甲", params, links=["材料乙"]).model_dump(mode="json")
    assert _changes(data) == set()  # still weak
    [link] = [a for a in data["affected"] if a["link"] == "材料乙"]
    assert link["reasons_after"] == [
        "本地企业仅2家（少于3家）",
        "最大企业外省隔膜甲有限公司占本环节本地营收87%（不低于80%），过于集中",
    ]


def test_unknown_names(snap: Snapshot, params: AnalysisParams) -> None:
    with pytest.raises(NotFoundError, match="环节“不存在”"):
        what_if(snap, "示例电池", "原料一", params, links=["不存在"]).model_dump(mode="json")
    with pytest.raises(NotFoundError, match="找不到企业或项目"):
        what_if(snap, "示例电池", "没有这家公司", params).model_dump(mode="json")
