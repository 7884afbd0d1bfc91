"""What-if on a chain 上 → 中 → 下 with 上 and 下 strong and 中 (sub-links 中甲, 中乙) empty:
中 is broken. An outside firm or a project is assumed to land, and the verdicts move."""

from __future__ import annotations

from queries.diagnosis import changes, run
from queries.params import AnalysisParams
from queries.snapshot import ChainInfo, Snapshot
from queries.whatif import _hypothesis
from tests.queries.rules.tiny import CITY_A, CITY_B, Tiny, scope_of

DEFAULTS = AnalysisParams()


def chain() -> tuple[Tiny, Snapshot, ChainInfo]:
    tiny = (
        Tiny()
        .link("上", "上游", down=["中"])
        .link("中", "中游", down=["下"])
        .link("中甲", parent="中")
        .link("中乙", parent="中")
        .link("下", "下游")
    )
    for link in ("上", "下"):
        for n in "一二三":
            tiny.firm(f"{link}{n}", [link], revenue=10.0)
    tiny.firm("外来", ["中甲"], local=False, revenue=200.0, tags=["上市"])
    tiny.project("新厂", ["中乙"], "在建", amount=8.0)
    snap, info = tiny.build()
    return tiny, snap, info


def status(snap: Snapshot, result: object, name: str) -> str:
    verdicts = result.verdicts  # type: ignore[attr-defined]
    return str(verdicts[f"link:测试链/{name}"].status)


def test_the_chain_before() -> None:
    _, snap, info = chain()
    before = run(snap, info, scope_of(None), DEFAULTS)
    assert [status(snap, before, x) for x in ("上", "中", "中甲", "中乙", "下")] == [
        "strong",
        "broken",
        "missing",
        "missing",
        "strong",
    ]
    assert before.local_rate(snap) == 0.5  # 上 and 下 of 4 leaves


def test_a_firm_landing_fills_its_link_and_the_parent() -> None:
    tiny, snap, info = chain()
    scope = scope_of(CITY_A)
    firm = snap.enterprises["ent:外来"]
    hypothesis = _hypothesis(firm, [tiny.link_id("中甲")], scope, DEFAULTS)
    landed = hypothesis.enterprises[tiny.link_id("中甲")][0]
    assert landed.local and CITY_A in landed.places  # it lands in the region asked about
    before = run(snap, info, scope, DEFAULTS)
    after = run(snap, info, scope, DEFAULTS, hypothesis, base=before)
    # one firm of 200 亿 with a strength tag: weak only for being alone
    assert status(snap, after, "中甲") == "weak"
    assert status(snap, after, "中") == "weak"
    assert after.local_rate(snap) == 0.75
    moved = {c.link: (c.before, c.after) for c in changes(snap, before, after)}
    assert moved == {"中": ("broken", "weak"), "中甲": ("missing", "weak")}


def test_the_firm_itself_is_not_changed() -> None:
    tiny, snap, _ = chain()
    firm = snap.enterprises["ent:外来"]
    _hypothesis(firm, [tiny.link_id("中甲")], scope_of(CITY_A), DEFAULTS)
    assert not firm.local


def test_a_project_is_assumed_to_reach_the_first_present_stage() -> None:
    tiny, snap, info = chain()
    project = snap.projects["proj:新厂"]
    hypothesis = _hypothesis(project, [tiny.link_id("中乙")], scope_of(None), DEFAULTS)
    assert hypothesis.projects[tiny.link_id("中乙")][0].stage == "投产"
    before = run(snap, info, scope_of(None), DEFAULTS)
    after = run(snap, info, scope_of(None), DEFAULTS, hypothesis, base=before)
    assert status(snap, after, "中乙") == "weak"  # a project but no firm: fewer than 3
    here = after.found[tiny.link_id("中")]
    assert [p.name for p in here.projects] == ["新厂"] and here.pipeline == []


def test_reusing_the_base_gives_the_same_verdicts_as_a_fresh_run() -> None:
    tiny, snap, info = chain()
    scope = scope_of(CITY_B)
    firm = snap.enterprises["ent:外来"]
    hypothesis = _hypothesis(firm, [tiny.link_id("中甲")], scope, DEFAULTS)
    base = run(snap, info, scope, DEFAULTS)
    quick = run(snap, info, scope, DEFAULTS, hypothesis, base=base)
    fresh = run(snap, info, scope, DEFAULTS, hypothesis)
    assert {k: v.status for k, v in quick.verdicts.items()} == {
        k: v.status for k, v in fresh.verdicts.items()
    }
