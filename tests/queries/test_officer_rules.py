"""Recommendations an officer can defend (issue 12), on tests/fixtures/rules (its README
gives every expected answer), over both stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.settings import Settings
from queries.anchors import rank_anchors
from queries.diagnosis import diagnose
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j, load_store

CHAIN = "规则电池"


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ],
)
def rules_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    settings = Settings(db=tmp_path_factory.mktemp("rules") / "rules.db")
    if request.param == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = load_store(settings, [FIXTURES / "rules"])
    yield store
    store.close()


@pytest.fixture(scope="module")
def rules(rules_store: GraphStore) -> Snapshot:
    return build_snapshot(rules_store)


def _links(snap: Snapshot, region: str | None = None) -> dict[str, dict[str, Any]]:
    return {
        link["name"]: link
        for link in diagnose(snap, CHAIN, region, AnalysisParams()).model_dump(mode="json")["links"]
    }


def _items(data: dict[str, Any], link: str) -> list[dict[str, Any]]:
    return [i for i in data["items"] if i["link"] == link]


def test_concentration_counts_known_revenue_only(rules: Snapshot) -> None:
    smelting = _links(rules)["冶炼"]
    assert smelting["status"] == "weak"
    assert smelting["reasons"] == [
        "最大企业冶炼甲有限公司占本环节已知本地营收95%（不低于80%），过于集中；"
        "另有1家未填营收，未计入"
    ]


def test_concentration_not_judged_when_revenue_mostly_unknown(rules: Snapshot) -> None:
    battery = _links(rules)["电池"]
    assert battery["status"] == "strong"  # 3 firms, a 链主; 甲's 90 is no "100%"
    assert "营收未知2/3家（本地3家企业中2家未填营收），不判断集中度" in battery["reasons"]
    assert not any("占本环节" in r for r in battery["reasons"])


def test_gap_reasons_name_only_neighbours_that_exist(rules: Snapshot) -> None:
    links = _links(rules)
    assert links["整车"]["status"] == "missing"
    assert links["整车"]["reasons"][1] == "直接上游“电池”有本地配套（本环节无下游环节）"
    assert not any("上游" in r or "下游" in r for r in links["材料B"]["reasons"])


def test_open_blocking_problem_cited_on_a_missing_link(rules: Snapshot) -> None:
    reasons = _links(rules)["材料B"]["reasons"]
    assert "存在未销号“断点”问题：材料B无本地产能,电池企业外购" in reasons  # cells are normalised


def test_restricted_link_is_diagnosed_but_yields_no_targets(rules: Snapshot) -> None:
    links = _links(rules)
    assert links["矿产"]["status"] == "missing"
    assert links["矿产"]["recruit_restriction"] == "国家总量控制指标"
    data = recruit(rules, CHAIN, AnalysisParams()).model_dump(mode="json")
    [mining] = [t for t in data["targets"] if t["link"] == "矿产"]
    assert mining["candidates"] == 0 and _items(data, "矿产") == []
    assert mining["reasons"][-1] == "招商限制：国家总量控制指标，本环节不列招商对象"


def test_designated_anchor_first_then_candidates(rules: Snapshot) -> None:
    data = rank_anchors(rules, CHAIN, AnalysisParams()).model_dump(mode="json")
    first, second = data["anchors"][:2]
    assert (first["name"], first["designation"], first["candidate_rank"]) == (
        "电池乙有限公司",
        "已认定",
        None,
    )
    assert first["score"] < second["score"]  # listed first for its designation, not its index
    assert (second["designation"], second["candidate_rank"]) == ("候选", 1)
    assert "为已认定的链主企业" in first["sentence"]
    assert "居本链本地候选链主第1位" in second["sentence"]


def test_no_share_of_a_firm_relative_to_itself(rules: Snapshot) -> None:
    by_name = {
        a["name"]: a
        for a in rank_anchors(rules, CHAIN, AnalysisParams()).model_dump(mode="json")["anchors"]
    }
    assert by_name["冶炼甲有限公司"]["reasons"][0] == "营收95亿元，为本链本地营收最大的企业"
    assert by_name["冶炼乙有限公司"]["reasons"][0] == "营收5亿元，为本链本地最大企业的5%"


def test_city_scope_lists_province_firms_apart(rules: Snapshot) -> None:
    data = recruit(rules, CHAIN, AnalysisParams(), region="宜春市", link="材料A").model_dump(
        mode="json"
    )
    names = [i["enterprise"] for i in data["items"]]
    assert "材料A新余有限公司" not in names
    assert [n["enterprise"] for n in data["nearby"]] == ["材料A新余有限公司"]


def test_main_business_and_per_link_scale(rules: Snapshot) -> None:
    data = recruit(rules, CHAIN, AnalysisParams(), region="宜春市", link="材料A").model_dump(
        mode="json"
    )
    rows = {i["enterprise"]: i for i in data["items"]}
    # ranked by revenue in the link: 专业 100, 新秀 30 (60 % of 50), 巨头 5 (not its 1000)
    assert list(rows) == ["外省材料专业有限公司", "外省材料新秀有限公司", "外省巨头集团有限公司"]
    assert rows["外省材料专业有限公司"]["reasons"][:2] == [
        "主营材料A环节（主要产品：材料A）",
        "规模：营收100亿元（企业整体，未填分环节营收）",
    ]
    assert rows["外省材料新秀有限公司"]["reasons"][:2] == [
        "主营材料A环节（占企业营收60%）",
        "规模：材料A业务营收30亿元（按分环节营收计，企业营收50亿元）",
    ]
    assert rows["外省巨头集团有限公司"]["reasons"][:2] == [
        "涉足材料A环节（占企业营收不足1%，非主营）",
        "规模：材料A业务营收5亿元（按分环节营收计，企业营收1,000亿元）",
    ]


def test_main_products_make_the_main_business(rules: Snapshot) -> None:
    data = recruit(rules, CHAIN, AnalysisParams(recruit_main_share=0.5), link="整车").model_dump(
        mode="json"
    )
    [giant] = _items(data, "整车")
    assert giant["reasons"][0] == "主营整车环节（主要产品：整车）"


def test_demo_rows_are_flagged(rules: Snapshot) -> None:
    data = recruit(rules, CHAIN, AnalysisParams(), region="宜春市", link="材料A").model_dump(
        mode="json"
    )
    assert data["demo_data"] is True and data["demo_rows"] == 2
    assert "示例数据" in data["notice"]
    assert {i["enterprise"]: i["demo"] for i in data["items"]} == {
        "外省材料专业有限公司": True,
        "外省材料新秀有限公司": False,
        "外省巨头集团有限公司": True,
    }


def test_diagnosis_and_anchors_say_when_demo_data_is_behind_them(rules: Snapshot) -> None:
    data = diagnose(rules, CHAIN, None, AnalysisParams()).model_dump(mode="json")
    assert data["demo_data"] is False and data["notice"] is None  # outside firms are not behind it
    anchors = rank_anchors(rules, CHAIN, AnalysisParams()).model_dump(mode="json")
    assert anchors["demo_data"] is False and anchors["demo_rows"] == 0
