"""The recruitment rules: targets in order, who is a candidate and who is left out, each part
of the score, 推荐度 and 主营/涉足, on a chain 上 → 中 → 下 where 中 is the gap.

The outside firms of 中: 巨头 (1000 亿 whole, 5 亿 in 中 by 分环节营收), 专业 (100 亿, 主要产品 中),
新秀 (50 亿, 60 % in 中), 签约 (has a 签约 project in 甲市), 在谈 (a project in talks); 乙市本地
is a local firm of 乙市, in 中 as well.
"""

from __future__ import annotations

import math

import pytest

from queries.diagnosis import run
from queries.params import AnalysisParams
from queries.recruitment import (
    _business,
    _candidates,
    _projects_by_investor,
    _Scorer,
    grade,
    source_region,
    target_links,
)
from queries.snapshot import ChainInfo, Snapshot
from tests.queries.rules.tiny import CITY_A, CITY_B, Tiny, scope_of

DEFAULTS = AnalysisParams()


def chain() -> tuple[Tiny, Snapshot, ChainInfo]:
    tiny = (
        Tiny()
        .link("上", "上游", down=["中"])
        .link("中", "中游", down=["下"])
        .link("下", "下游")
        .link("矿", "上游", restriction="国家总量控制")
    )
    for link in ("上", "下"):
        for n in "一二三":
            tiny.firm(f"{link}{n}", [link], revenue=10.0)
    tiny.firm("巨头", ["中"], local=False, revenue=1000.0, figures={"中": (5.0, None)})
    tiny.firm("专业", ["中"], local=False, revenue=100.0, products=["中游部件"])
    tiny.firm("新秀", ["中"], local=False, revenue=50.0, figures={"中": (30.0, 0.6)})
    signed = tiny.firm("签约", ["中"], local=False, revenue=80.0)
    talks = tiny.firm("在谈", ["中"], local=False, revenue=20.0)
    tiny.firm("乙市本地", ["中"], revenue=40.0, place=CITY_B)
    tiny.project("签约项目", ["中"], "签约", investors=[signed])
    tiny.project("在谈项目", ["中"], "在谈", investors=[talks])
    snap, info = tiny.build()
    return tiny, snap, info


def candidates(
    place: str | None = None, params: AnalysisParams = DEFAULTS
) -> tuple[list[str], list[str]]:
    """The names shown (best first) and those left out, for 中."""
    tiny, snap, info = chain()
    scope = scope_of(place)
    local = {e.id for e in info.local_members if scope.holds(e.places)}
    link_id = tiny.link_id("中")
    shown, _, left_out = _candidates(
        info,
        link_id,
        snap.candidates([link_id])[link_id],
        scope,
        params,
        _projects_by_investor(info, scope, params),
        _Scorer(snap, params, local),
        100,
    )
    return [c.ent.name for c in shown], [e.name for e, _ in left_out]


def test_targets_are_broken_then_missing_then_weak_key_links_first() -> None:
    """甲 → 乙 → 丙 with 甲 and 丙 strong: 乙 broken; 丁 and 戊 missing (戊 a 关键环节, so first);
    己 weak (one firm); 甲 and 丙 strong, no targets."""
    tiny = Tiny().link("甲", down=["乙"]).link("乙", down=["丙"]).link("丙")
    tiny.link("丁").link("戊", key=True).link("己")
    for link in ("甲", "丙"):
        for n in "一二三":
            tiny.firm(f"{link}{n}", [link], revenue=10.0)
    tiny.firm("己一", ["己"], revenue=10.0)
    snap, info = tiny.build()
    result = run(snap, info, scope_of(None), DEFAULTS)
    assert [snap.links[x].name for x in target_links(snap, result)] == ["乙", "戊", "丁", "己"]


def test_a_signed_project_leaves_a_firm_out_and_talks_keep_it() -> None:
    shown, left_out = candidates(CITY_A)
    assert left_out == ["签约"]
    assert "在谈" in shown


def test_local_firms_elsewhere_in_the_province_are_not_targets_by_default() -> None:
    shown, _ = candidates(CITY_A)
    assert "乙市本地" not in shown
    shown, _ = candidates(CITY_A, AnalysisParams(recruit_province_firms=True))
    assert "乙市本地" in shown


def test_for_the_province_only_outside_firms_are_candidates() -> None:
    shown, _ = candidates(None, AnalysisParams(recruit_province_firms=True))
    assert "乙市本地" not in shown


def test_scale_uses_the_revenue_in_the_link() -> None:
    """巨头 is ranked by its 5 亿 in 中, not its 1000: behind 专业 (100) and 新秀 (30)."""
    shown, _ = candidates(CITY_A)
    assert shown.index("专业") < shown.index("新秀") < shown.index("巨头")


def test_score_parts() -> None:
    _tiny, snap, info = chain()
    scorer = _Scorer(snap, DEFAULTS, {e.id for e in info.local_members})
    top_log = math.log1p(100.0)
    pro = snap.enterprises["ent:专业"]
    scale, standing, proximity, affinity = scorer._parts(pro, top_log, 100.0)
    assert (scale, standing, proximity, affinity) == (1.0, 0.0, 0.0, 1.0)  # 广东 → 粤港澳
    half = scorer._parts(pro, top_log, math.expm1(top_log / 2))[0]
    assert half == pytest.approx(0.5)  # log scale: half the log of the largest


def test_standing_takes_the_best_tag() -> None:
    tiny = Tiny().link("中")
    ent = tiny.firm("名企", ["中"], local=False, revenue=1.0, tags=["上市", "世界500强"])
    snap, _ = tiny.build()
    assert _Scorer(snap, DEFAULTS, set())._parts(ent, 1.0, 1.0)[1] == 1.0


def test_proximity_is_supplying_or_investing_in_a_local_firm_of_the_chain() -> None:
    tiny = Tiny().link("上", down=["中"]).link("中")
    local = tiny.firm("本地", ["上"], revenue=10.0)
    seller = tiny.firm("供货方", ["中"], local=False, revenue=10.0)
    investor = tiny.firm("投资方", ["中"], local=False, revenue=10.0)
    stranger = tiny.firm("陌生", ["中"], local=False, revenue=10.0)
    tiny.supplies(seller, local)
    investor.invests.add(local.id)
    snap, _ = tiny.build()
    scorer = _Scorer(snap, DEFAULTS, {local.id})
    assert [scorer._parts(e, 1.0, 1.0)[2] for e in (seller, investor, stranger)] == [1.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("广东省深圳市", "粤港澳"),
        ("江苏省苏州市", "长三角"),
        ("北京市", "京津冀"),
        ("湖南省长沙市", None),
        (None, None),
    ],
)
def test_source_regions(region: str | None, expected: str | None) -> None:
    assert source_region(region, DEFAULTS) == expected


@pytest.mark.parametrize(
    ("score", "expected"), [(100, "A"), (70, "A"), (69, "B"), (50, "B"), (49, "C"), (0, "C")]
)
def test_grades(score: int, expected: str) -> None:
    assert grade(score, DEFAULTS) == expected


def test_grade_bands_are_settings() -> None:
    params = AnalysisParams(recruit_grade_a=90, recruit_grade_b=10)
    assert [grade(s, params) for s in (95, 80, 5)] == ["A", "B", "C"]


def business(name: str, params: AnalysisParams = DEFAULTS) -> str:
    tiny, snap, _ = chain()
    ent = snap.enterprises[f"ent:{name}"]
    mine = [tiny.link_id("中")]
    return _business(snap, ent, mine, "中", params)


def test_a_product_naming_the_link_is_its_main_business() -> None:
    assert business("专业") == "主营中环节（主要产品：中游部件）"


def test_a_large_share_of_revenue_is_its_main_business() -> None:
    assert business("新秀") == "主营中环节（占企业营收60%）"


def test_a_small_share_is_only_active_there() -> None:
    assert business("巨头") == "涉足中环节（占企业营收不足1%，非主营）"


def test_no_figure_and_no_product_says_it_is_to_be_checked() -> None:
    assert business("在谈") == "涉足中环节（未填主要产品，主营业务待核实）"


def test_the_main_share_is_a_setting() -> None:
    assert business("新秀", AnalysisParams(recruit_main_share=0.7)).startswith("涉足")
