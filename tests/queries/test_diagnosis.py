"""The diagnosis on the hand-made chain (tests/fixtures/chain): one rule per link.

Each expected status below can be checked against the 说明 column of 产业链图.csv and the rows
of 企业清单.csv / 项目清单.csv / 问题清单.csv.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph_schema.errors import NotFoundError
from queries.diagnosis import chain_overview, diagnose, region_options
from queries.params import AnalysisParams
from queries.snapshot import Snapshot


def _by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {link["name"]: link for link in data["links"]}


def _statuses(data: dict[str, Any]) -> dict[str, str]:
    return {link["name"]: link["status"] for link in data["links"]}


PROVINCE = {
    "原料": "strong",  # 3 local, 上市, largest 30/60 = 50 %; a closed 卡脖子 and a 痛点 do not count
    "设备": "missing",  # nothing local; downstream 电芯 present, nothing upstream
    "材料": "strong",  # rolled up from 材料甲 (2) and 材料乙 (1): 3 local, 小巨人
    "材料甲": "weak",  # 2 local
    "材料乙": "weak",  # 1 local
    "隔膜": "broken",  # nothing local; upstream 原料 and downstream 电芯 present
    "电解液": "weak",  # no strength tag (专精特新 is not one), revenue 2+3+4 = 9 < 10
    "电芯": "weak",  # 90 of 100 = 90 % ≥ 80 %
    "系统": "weak",  # open 卡脖子 problem
    "回收": "weak",  # present through a 达产 project only: 0 local enterprises
    "应用": "missing",  # only a 在建 project (pipeline); upstream 系统 present, no downstream
}


def test_province_statuses(snap: Snapshot, params: AnalysisParams) -> None:
    data = diagnose(snap, "示例电池", None, params).model_dump(mode="json")
    assert data["chain"] == "示例电池" and data["region"] is None
    assert _statuses(data) == PROVINCE


def test_link_order_is_the_chain_map(snap: Snapshot, params: AnalysisParams) -> None:
    names = [
        link["name"]
        for link in diagnose(snap, "示例电池", None, params).model_dump(mode="json")["links"]
    ]
    assert names[:2] == ["原料", "设备"]  # 上游 first
    assert names.index("材料") < names.index("材料甲") < names.index("电芯")
    assert set(names[-3:]) == {"回收", "系统", "应用"}  # 下游 last


def test_each_reason_carries_its_numbers(snap: Snapshot, params: AnalysisParams) -> None:
    links = _by_name(diagnose(snap, "示例电池", None, params).model_dump(mode="json"))
    assert links["材料甲"]["reasons"] == ["本地企业仅2家（少于3家）"]
    assert links["电解液"]["reasons"] == [
        "无链主、上市、小巨人等强势企业，且本地营收合计仅9亿元（低于10亿元）"
    ]
    assert links["电芯"]["reasons"] == [
        "最大企业电芯一有限公司占本环节本地营收90%（不低于80%），过于集中"
    ]
    assert links["系统"]["reasons"] == ["存在未销号“卡脖子”问题：系统核心部件依赖进口"]
    assert links["回收"]["reasons"] == ["无本地企业（少于3家），仅有投产项目1个"]
    assert "直接上游“原料”与直接下游“电芯”均有本地配套" in links["隔膜"]["reasons"][1]
    assert links["原料"]["reasons"][0] == "本地企业3家，营收合计60亿元"


def test_counts_and_roll_up(snap: Snapshot, params: AnalysisParams) -> None:
    links = _by_name(diagnose(snap, "示例电池", None, params).model_dump(mode="json"))
    assert links["材料"]["local_enterprises"] == 3
    assert links["材料"]["local_revenue"] == 50
    assert links["回收"]["local_enterprises"] == 0
    assert [p["name"] for p in links["回收"]["projects"]] == ["回收达产项目"]
    assert links["回收"]["projects"][0]["stage"] == "投产"
    assert links["回收"]["projects"][0]["stage_raw"] == "达产"


def test_pipeline_is_signed_to_built_only(snap: Snapshot, params: AnalysisParams) -> None:
    links = _by_name(diagnose(snap, "示例电池", None, params).model_dump(mode="json"))
    assert [(p["name"], p["stage"]) for p in links["应用"]["pipeline"]] == [
        ("应用在建项目", "在建")
    ]
    assert [(p["name"], p["stage"]) for p in links["隔膜"]["pipeline"]] == [
        ("隔膜签约项目", "签约")
    ]
    assert [(p["name"], p["stage"]) for p in links["设备"]["pipeline"]] == [
        ("设备开工项目", "开工")
    ]
    # 在谈 and 储备 projects are neither presence nor pipeline
    assert all(
        p["stage"] not in ("在谈", "储备") for link in links.values() for p in link["pipeline"]
    )


def test_summary(snap: Snapshot, params: AnalysisParams) -> None:
    summary = diagnose(snap, "示例电池", None, params).model_dump(mode="json")["summary"]
    # leaves: 原料 设备 材料甲 材料乙 隔膜 电解液 电芯 系统 回收 应用; present: all but 设备 隔膜 应用
    assert summary["leaf_links"] == 10 and summary["present_leaf_links"] == 7
    assert summary["local_rate"] == 0.7
    assert summary["counts"] == {"strong": 2, "weak": 6, "missing": 2, "broken": 1}
    assert summary["pipeline_projects"] == 3
    assert summary["local_rate_with_pipeline"] == 1.0
    moved = {(c["link"], c["before"], c["after"]) for c in summary["pipeline_changes"]}
    assert moved == {
        ("设备", "missing", "weak"),
        ("隔膜", "broken", "weak"),
        ("应用", "missing", "weak"),
    }


CITY = {  # 宜春市: 原料一 原料二 材料甲一 材料甲二 电解液×3 电芯一 电芯二; projects 应用 (在建)
    "原料": "weak",  # 2 local
    "设备": "missing",
    "材料": "weak",  # 材料甲一 + 材料甲二
    "材料甲": "weak",
    "材料乙": "missing",  # 材料乙一 is in 新余市; a sub-link without flows is never broken
    "隔膜": "broken",
    "电解液": "weak",
    "电芯": "weak",  # 2 local, and 90 of 95
    "系统": "missing",  # downstream 应用 is not present
    "回收": "missing",  # the 达产 project is in 新余市
    "应用": "missing",
}


def test_city_scope(snap: Snapshot, params: AnalysisParams) -> None:
    data = diagnose(snap, "示例电池", "宜春市", params).model_dump(mode="json")
    assert data["region"] == "宜春市"
    assert _statuses(data) == CITY
    links = _by_name(data)
    assert links["电芯"]["reasons"] == [
        "本地企业仅2家（少于3家）",
        "最大企业电芯一有限公司占本环节本地营收95%（不低于80%），过于集中",
    ]
    assert [p["name"] for p in links["应用"]["pipeline"]] == ["应用在建项目"]
    assert links["隔膜"]["pipeline"][0]["name"] == "隔膜签约项目"


def test_county_under_its_city(snap: Snapshot, params: AnalysisParams) -> None:
    links = _by_name(diagnose(snap, "示例电池", "袁州区", params).model_dump(mode="json"))
    # 袁州区 has 原料一 原料二 材料甲一 电芯一 电芯二; the 电解液 firms are in 丰城市
    assert {k: v["local_enterprises"] for k, v in links.items() if v["local_enterprises"]} == {
        "原料": 2,
        "材料": 1,
        "材料甲": 1,
        "电芯": 2,
    }
    assert links["电解液"]["status"] == "missing"
    assert links["隔膜"]["status"] == "broken"


def test_park_scope(snap: Snapshot, params: AnalysisParams) -> None:
    data = diagnose(snap, "示例电池", "宜春经开区", params).model_dump(
        mode="json"
    )  # the usual abbreviation
    assert data["region"] == "宜春经济技术开发区"
    links = _by_name(data)
    assert {k for k, v in links.items() if v["local_enterprises"]} == {"原料", "电芯"}
    assert links["电芯"]["status"] == "weak" and links["隔膜"]["status"] == "broken"
    assert [p["name"] for p in links["应用"]["pipeline"]] == ["应用在建项目"]


def test_province_name_is_the_whole_province(snap: Snapshot, params: AnalysisParams) -> None:
    data = diagnose(snap, "示例电池", "江西省", params).model_dump(mode="json")
    assert data["region"] == "江西省"
    assert _statuses(data) == PROVINCE


@pytest.mark.parametrize(
    ("setting", "value", "link", "status"),
    [
        ("weak_min_enterprises", 2, "材料甲", "strong"),  # 2 is now enough
        ("weak_min_revenue", 5, "电解液", "strong"),  # 9 ≥ 5
        ("weak_max_share", 0.95, "电芯", "strong"),  # 90 % < 95 %
        ("blocking_problem_types", ["断点"], "系统", "strong"),  # 卡脖子 no longer counts
        ("present_project_stages", ["投产", "在建"], "应用", "weak"),
    ],
)
def test_every_threshold_is_a_setting(
    snap: Snapshot, setting: str, value: Any, link: str, status: str
) -> None:
    params = AnalysisParams(**{setting: value})
    assert (
        _by_name(diagnose(snap, "示例电池", None, params).model_dump(mode="json"))[link]["status"]
        == status
    )


def test_unknown_names_suggest(snap: Snapshot, params: AnalysisParams) -> None:
    with pytest.raises(NotFoundError, match="示例电池") as chain:
        diagnose(snap, "示例店池", None, params).model_dump(mode="json")
    assert chain.value.suggestions == ["示例电池"]
    with pytest.raises(NotFoundError, match="找不到地区或园区“宜春县”"):
        diagnose(snap, "示例电池", "宜春县", params).model_dump(mode="json")


def test_chain_by_id_or_prefix(snap: Snapshot, params: AnalysisParams) -> None:
    assert (
        diagnose(snap, "chain:示例电池", None, params).model_dump(mode="json")["chain"]
        == "示例电池"
    )
    assert diagnose(snap, "示例", None, params).model_dump(mode="json")["chain"] == "示例电池"


def test_overview_and_region_options(snap: Snapshot, params: AnalysisParams) -> None:
    [row] = [c.model_dump(mode="json") for c in chain_overview(snap, params)]
    assert row["name"] == "示例电池" and row["local_rate"] == 0.7
    assert row["counts"] == {"strong": 2, "weak": 6, "missing": 2, "broken": 1}
    options = [(o["level"], o["name"]) for o in region_options(snap)]
    assert options[0] == ("省", "江西省")
    assert ("市", "宜春市") in options and ("县", "袁州区") in options
    assert ("园区", "宜春经济技术开发区") in options
    assert all(name not in ("广东省", "上海市") for _, name in options)  # only home places
    assert options.index(("市", "宜春市")) < options.index(("县", "袁州区"))
