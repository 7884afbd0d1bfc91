"""Each diagnosis rule on a chain of a few links, with the default thresholds (3 firms, 10 亿元,
80 %, half the revenue known) unless a test says otherwise. Links: 上 → 中 → 下, and 中 has
two sub-links 中甲 and 中乙."""

from __future__ import annotations

import pytest

from queries.diagnosis import (
    Presence,
    Verdict,
    blocking_problems,
    local_rate,
    presence,
    run,
    verdicts,
)
from queries.params import AnalysisParams
from queries.snapshot import ChainInfo, Snapshot
from tests.queries.rules.tiny import CITY_A, CITY_B, COUNTY_A, PARK_A, Tiny, scope_of

DEFAULTS = AnalysisParams()


def chain() -> Tiny:
    return (
        Tiny()
        .link("上", "上游", down=["中"])
        .link("中", "中游", down=["下"])
        .link("中甲", parent="中")
        .link("中乙", parent="中")
        .link("下", "下游")
    )


def judge(
    tiny: Tiny, place: str | None = None, params: AnalysisParams = DEFAULTS
) -> dict[str, Verdict]:
    """Verdicts by link name."""
    snap, info = tiny.build()
    result = run(snap, info, scope_of(place), params)
    return {snap.links[k].name: v for k, v in result.verdicts.items()}


def three_strong_firms(tiny: Tiny, link: str) -> None:
    """Three local firms of 10 亿 each: strong by every rule."""
    for n in "一二三":
        tiny.firm(f"{link}{n}", [link], revenue=10.0)


# -- strong ---------------------------------------------------------------------------------


def test_three_firms_of_even_size_make_a_strong_link() -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    got = judge(tiny)["上"]
    assert got.status == "strong"
    assert got.reasons[0] == "本地企业3家，营收合计30亿元"


# -- weak: each criterion alone -------------------------------------------------------------


def test_fewer_firms_than_the_minimum_is_weak() -> None:
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=50.0, tags=["上市"])
    tiny.firm("乙", ["上"], revenue=50.0)
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert got.reasons == ["本地企业仅2家（少于3家）"]


def test_a_present_project_alone_is_weak_for_lack_of_firms() -> None:
    tiny = chain()
    tiny.project("上项目", ["上"], "投产", amount=5.0)
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert got.reasons == ["无本地企业（少于3家），仅有投产项目1个"]


def test_small_revenue_without_a_strength_tag_is_weak() -> None:
    tiny = chain()
    for n in "一二三":
        tiny.firm(f"小{n}", ["上"], revenue=3.0)
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert got.reasons == ["无链主、上市、小巨人等强势企业，且本地营收合计仅9亿元（低于10亿元）"]


def test_a_strength_tag_lifts_the_small_revenue_rule() -> None:
    tiny = chain()
    tiny.firm("小一", ["上"], revenue=3.0, tags=["专精特新小巨人"])
    tiny.firm("小二", ["上"], revenue=3.0)
    tiny.firm("小三", ["上"], revenue=3.0)
    assert judge(tiny)["上"].status == "strong"


def test_one_firm_holding_most_revenue_is_weak() -> None:
    tiny = chain()
    tiny.firm("大", ["上"], revenue=90.0)
    tiny.firm("小一", ["上"], revenue=5.0)
    tiny.firm("小二", ["上"], revenue=5.0)
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert len(got.reasons) == 1
    assert got.reasons[0].startswith("最大企业大占本环节本地营收90%")


def test_concentration_just_under_the_threshold_is_strong() -> None:
    tiny = chain()
    tiny.firm("大", ["上"], revenue=79.0)
    tiny.firm("小", ["上"], revenue=11.0)
    tiny.firm("中", ["上"], revenue=10.0)
    assert judge(tiny)["上"].status == "strong"


def test_concentration_counts_only_known_revenue() -> None:
    """2 of 3 known (≥ half): 95 of the 100 known is 95 % → weak, 丙 named as not counted."""
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=95.0)
    tiny.firm("乙", ["上"], revenue=5.0)
    tiny.firm("丙", ["上"])
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert "已知本地营收95%" in got.reasons[0]
    assert "另有1家未填营收，未计入" in got.reasons[0]


def test_too_little_revenue_known_claims_no_share() -> None:
    """1 of 3 known (< half): no share is judged; a strong link says why."""
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=90.0, tags=["上市"])
    tiny.firm("乙", ["上"])
    tiny.firm("丙", ["上"])
    got = judge(tiny)["上"]
    assert got.status == "strong"
    assert "营收未知2/3家（本地3家企业中2家未填营收），不判断集中度" in got.reasons


def test_the_known_share_minimum_is_a_setting() -> None:
    """With weak_share_min_known = 1, two known of three no longer suffice."""
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=95.0, tags=["上市"])
    tiny.firm("乙", ["上"], revenue=5.0)
    tiny.firm("丙", ["上"])
    assert judge(tiny)["上"].status == "weak"
    assert judge(tiny, params=AnalysisParams(weak_share_min_known=1.0))["上"].status == "strong"


def test_revenue_in_the_link_counts_where_given() -> None:
    """甲's 分环节营收 in 上 is 10 of its 1000: the shares are 10/20/30, not 1000-dominated."""
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=1000.0, figures={"上": (10.0, None)})
    tiny.firm("乙", ["上"], revenue=20.0)
    tiny.firm("丙", ["上"], revenue=30.0)
    assert judge(tiny)["上"].status == "strong"


def test_an_open_blocking_problem_makes_a_link_weak() -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    tiny.problem("上游设备依赖进口", "上", "卡脖子", "办理中")
    got = judge(tiny)["上"]
    assert got.status == "weak"
    assert got.reasons == ["存在未销号“卡脖子”问题：上游设备依赖进口"]


@pytest.mark.parametrize(
    ("type_", "status", "weak"),
    [
        ("断点", "待办", True),
        ("断点", None, True),  # no status counts as 待办
        ("断点", "已销号", False),
        ("人才", "待办", False),  # not a blocking type
    ],
)
def test_which_problems_block(type_: str, status: str | None, weak: bool) -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    tiny.problem("某问题", "上", type_, status)
    assert (judge(tiny)["上"].status == "weak") is weak


def test_a_problem_naming_firms_counts_only_where_one_of_them_is() -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    there = tiny.firm("乙市企业", ["上"], revenue=10.0, place=CITY_B)
    tiny.problem("乙市企业断供", "上", "断点", "待办", firms=[there])
    snap, info = tiny.build()
    link = snap.links[tiny.link_id("上")]
    assert blocking_problems(snap, info, link, scope_of(None), DEFAULTS)
    assert blocking_problems(snap, info, link, scope_of(CITY_B), DEFAULTS)
    assert blocking_problems(snap, info, link, scope_of(CITY_A), DEFAULTS) == []


def test_every_rule_that_fires_gives_its_reason() -> None:
    tiny = chain()
    tiny.firm("独家", ["上"], revenue=2.0)
    tiny.problem("卡在上游", "上")
    reasons = judge(tiny)["上"].reasons
    assert reasons == [
        "本地企业仅1家（少于3家）",
        "无链主、上市、小巨人等强势企业，且本地营收合计仅2亿元（低于10亿元）",
        "存在未销号“卡脖子”问题：卡在上游",
    ]


# -- missing and broken ---------------------------------------------------------------------


def test_nothing_local_and_no_neighbour_present_is_missing() -> None:
    got = judge(chain())["中"]
    assert got.status == "missing"
    assert got.reasons == [
        "本地无该环节企业（含细分环节），也无投产项目",
        "直接上下游环节均无本地配套",
    ]


def test_present_upstream_and_downstream_make_a_gap_broken() -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    three_strong_firms(tiny, "下")
    got = judge(tiny)["中"]
    assert got.status == "broken"
    assert got.reasons[1] == "直接上游“上”与直接下游“下”均有本地配套，链条在此断开"


def test_one_present_side_is_only_missing() -> None:
    tiny = chain()
    three_strong_firms(tiny, "上")
    got = judge(tiny)["中"]
    assert got.status == "missing"
    assert got.reasons[1] == "直接上游“上”有本地配套，直接下游环节亦无本地配套"


def test_a_link_without_downstream_speaks_of_none() -> None:
    tiny = chain()
    tiny.firm("中一", ["中甲"], revenue=10.0)
    got = judge(tiny)["下"]
    assert got.status == "missing"
    assert got.reasons[1] == "直接上游“中”有本地配套（本环节无下游环节）"


def test_a_gap_cites_its_blocking_problem_and_pipeline() -> None:
    tiny = chain()
    tiny.problem("无本地产能", "下", "断点")
    tiny.project("下游新厂", ["下"], "在建", amount=3.0)
    got = judge(tiny)["下"]
    assert got.status == "missing"
    assert "存在未销号“断点”问题：无本地产能" in got.reasons
    assert got.reasons[-1] == "在手项目：下游新厂（在建），投产后计入本地配套"


# -- presence: roll-up, scope, projects -----------------------------------------------------


def found(tiny: Tiny, place: str | None = None) -> tuple[Snapshot, ChainInfo, dict[str, Presence]]:
    snap, info = tiny.build()
    return snap, info, presence(snap, info, scope_of(place), DEFAULTS)


def test_a_sub_links_firm_counts_for_its_parent() -> None:
    tiny = chain()
    tiny.firm("甲", ["中甲"], revenue=4.0)
    tiny.firm("乙", ["中乙"], revenue=6.0)
    _, _, here = found(tiny)
    assert [e.name for e in here[tiny.link_id("中")].enterprises] == ["乙", "甲"]  # largest first
    assert [e.name for e in here[tiny.link_id("中甲")].enterprises] == ["甲"]
    assert here[tiny.link_id("中")].revenue == 10.0


def test_a_firm_in_two_sub_links_counts_once_above() -> None:
    tiny = chain()
    tiny.firm("两栖", ["中甲", "中乙"], revenue=4.0)
    _, _, here = found(tiny)
    assert len(here[tiny.link_id("中")].enterprises) == 1


def test_only_local_firms_are_present() -> None:
    tiny = chain()
    tiny.firm("外省", ["上"], local=False, revenue=500.0)
    _, _, here = found(tiny)
    assert not here[tiny.link_id("上")].present


def test_a_region_holds_what_is_located_in_it_or_below() -> None:
    """A firm in a park counts for the park, its 县, its 市 and the province, not for 乙市."""
    tiny = chain()
    tiny.firm("园区企业", ["上"], revenue=1.0, place=PARK_A)
    link = tiny.link_id("上")
    for place in (None, CITY_A, COUNTY_A, PARK_A):
        assert found(tiny, place)[2][link].present, place
    assert not found(tiny, CITY_B)[2][link].present


@pytest.mark.parametrize(
    ("stage", "present", "pipeline"),
    [("投产", True, False), ("在建", False, True), ("签约", False, True), ("储备", False, False)],
)
def test_a_projects_stage_decides_presence_or_pipeline(
    stage: str, present: bool, pipeline: bool
) -> None:
    tiny = chain()
    tiny.project("项目", ["中甲"], stage)
    _, _, here = found(tiny)
    for name in ("中甲", "中"):  # and it rolls up
        assert here[tiny.link_id(name)].present is present
        assert bool(here[tiny.link_id(name)].pipeline) is pipeline


def test_a_project_elsewhere_does_not_count() -> None:
    tiny = chain()
    tiny.project("乙市项目", ["上"], "投产", place=CITY_B)
    assert not found(tiny, CITY_A)[2][tiny.link_id("上")].present


# -- 本地配套率 ------------------------------------------------------------------------------


def test_local_rate_is_over_leaf_links() -> None:
    """Leaves: 上, 中甲, 中乙, 下 (中 is a parent). 上 and 中甲 present → 2 / 4."""
    tiny = chain()
    tiny.firm("甲", ["上"], revenue=1.0)
    tiny.firm("乙", ["中甲"], revenue=1.0)
    snap, info, here = found(tiny)
    assert local_rate(snap, info, here) == 0.5


def test_local_rate_of_an_empty_chain_is_zero() -> None:
    snap, info, here = found(chain())
    assert local_rate(snap, info, here) == 0.0


def test_verdicts_can_be_asked_for_some_links_only() -> None:
    tiny = chain()
    snap, info, here = found(tiny)
    only = [tiny.link_id("上")]
    assert list(verdicts(snap, info, here, scope_of(None), DEFAULTS, only=only)) == only
