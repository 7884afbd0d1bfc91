"""Province-wide 精准招商 on the hand-made two-chain province (tests/fixtures/province, see its
README): targets with hosts, the 招商台账, history over three versions, alerts. Over both
stores (Neo4j when NEO4J_URI is set)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from app.importing import run_import
from app.settings import Settings
from queries.diagnosis import Hypothesis, run, what_if_statuses
from queries.params import AnalysisParams
from queries.province.alerts import alerts
from queries.province.history import (
    LABEL,
    STATUS_OF,
    chain_history,
    history_regions,
    record_id,
    scope_figures,
    versions,
)
from queries.province.ledger import ledger
from queries.province.params import ProvinceParams
from queries.province.targets import IMPROVED, _Candidate, _what_if, province_targets
from queries.scope import Scope, find_scope
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

PROVINCE = FIXTURES / "province"
TODAY = date(2026, 12, 3)


@dataclasses.dataclass
class Stages:
    store: GraphStore
    settings: Settings
    targets_v1: dict[str, Any]
    ledger_v1: dict[str, Any]


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
def province(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stages]:
    """v1 loaded (targets and ledger read then), then v2 and v3."""
    settings = Settings(db=tmp_path_factory.mktemp("province") / "kg.db", today=TODAY)
    if request.param == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = settings.open_store()
    run_import(store, [PROVINCE / "v1"], settings)
    snap = build_snapshot(store)
    pparams = settings.province_params()
    targets_v1 = province_targets(store, snap, settings.analysis(), pparams)
    ledger_v1 = ledger(store, snap, pparams, targets_v1).model_dump(mode="json")
    for version in ("v2", "v3"):
        run_import(store, [PROVINCE / version], settings)
    yield Stages(store, settings, targets_v1.model_dump(mode="json"), ledger_v1)
    store.close()


def test_a_firm_in_two_chains_appears_once_and_gains_for_both(province: Stages) -> None:
    items = province.targets_v1["items"]
    names = [i["enterprise"] for i in items]
    assert names.count("沪正极材料集团股份有限公司") == 1
    first = items[0]
    assert first["enterprise"] == "沪正极材料集团股份有限公司"
    assert {(x["chain"], x["link"], x["status"], x["after"]) for x in first["links"]} == {
        ("锂电新能源", "正极材料", "broken", "weak"),
        ("电子信息", "电子浆料", "missing", "weak"),
    }
    # leaf links: 锂电 4 (正极 is the one added: 3/4 → 4/4), 电子 3 (2/3 → 3/3)
    assert first["local_rate_gain"] == {"锂电新能源": 0.25, "电子信息": 0.3333}
    assert any("来自长三角" in r for r in first["reasons"])
    assert set(first) >= {
        "enterprise",
        "enterprise_id",
        "score",
        "links",
        "local_rate_gain",
        "host",
        "alternatives",
        "pipeline_stage",
        "reasons",
    }


def test_two_cities_compete_one_hosts_the_other_is_an_alternative(province: Stages) -> None:
    first = province.targets_v1["items"][0]
    host = first["host"]
    assert (host["region"], host["park"], host["link"]) == (
        "宜春市",
        "宜春经济技术开发区",
        "正极材料",
    )
    assert host["score"] == 1.0  # 首位 0.4 + 上游 0.25 + 下游 0.25 + 已有合作 0.1
    assert "上游环节锂盐在宜春市已有本地配套" in host["reasons"]
    assert [(a["region"], a["park"], a["score"]) for a in first["alternatives"]] == [
        ("赣州市", "赣州经济技术开发区", 0.65)
    ]
    assert "缺上游配套" in first["alternatives"][0]["reasons"][-1]
    # never two cities told to chase the same firm for the same link
    for item in province.targets_v1["items"]:
        hosts = [item["host"]["region"]] + [a["region"] for a in item["alternatives"]]
        assert len(hosts) == len(set(hosts))


def test_signed_firms_are_left_out_and_listed_apart(province: Stages) -> None:
    names = [i["enterprise"] for i in province.targets_v1["items"]]
    assert "京签约正极有限公司" not in names
    [left] = province.targets_v1["excluded"]
    assert (left["enterprise"], left["project_stage"]) == ("京签约正极有限公司", "签约")
    assert names == ["沪正极材料集团股份有限公司", "深圳正极科技有限公司", "无锡浆料有限公司"]


def test_targets_for_a_city_keep_hosts_inside_it(province: Stages) -> None:
    snap = build_snapshot(province.store)
    data = province_targets(
        province.store,
        snap,
        province.settings.analysis(),
        province.settings.province_params(),
        "赣州市",
    ).model_dump(mode="json")
    assert data["region"] == "赣州市"
    for item in data["items"]:
        if item["host"]:
            assert item["host"]["region"] == "赣州市"
            assert item["alternatives"] == []


def test_ledger_flags_the_stale_target_and_the_one_never_contacted(province: Stages) -> None:
    data = province.ledger_v1
    by_name = {i["enterprise"]: i for i in data["items"]}
    stale = by_name["沪正极材料集团股份有限公司"]
    assert stale["stale"] and stale["days_since"] == (TODAY - date(2026, 1, 10)).days
    assert stale["owner"] == "宜春市商务局" and stale["stage"] == "初次接触"
    fresh = by_name["深圳正极科技有限公司"]
    assert not fresh["stale"] and fresh["days_since"] == 13
    assert [t["enterprise"] for t in data["no_contact"]] == ["无锡浆料有限公司"]


def test_reloading_the_ledger_rows_changes_nothing(province: Stages) -> None:
    before = province.store.version()
    report = run_import(province.store, [PROVINCE / "v1" / "招商台账.csv"], province.settings)
    assert report.summary is not None and not report.summary.changed
    assert province.store.version() == before


def test_history_shows_a_link_getting_better_then_worse(province: Stages) -> None:
    snap = build_snapshot(province.store)
    data = chain_history(
        province.store, snap, "电子信息", None, province.settings.analysis()
    ).model_dump(mode="json")
    assert [v["version"] for v in data["versions"]] == [1, 2, 3]
    assert [v["counts"]["strong"] for v in data["versions"]] == [0, 1, 0]
    assert data["changes"] == [
        {"version": 2, "link": "元器件", "before": "weak", "after": "strong"},
        {"version": 3, "link": "元器件", "before": "strong", "after": "weak"},
    ]
    assert data["versions"][2]["files"] == ["企业清单.csv", "问题清单.csv"]


def test_history_per_city_county_and_park(province: Stages) -> None:
    snap = build_snapshot(province.store)
    params = province.settings.analysis()
    data = chain_history(province.store, snap, "锂电新能源", "宜春市", params).model_dump(
        mode="json"
    )
    assert data["region"] == "宜春市"
    # 宜春电芯 moved out in v3: 电芯 is no longer present in 宜春市
    assert {"version": 3, "link": "电芯", "before": "weak", "after": "missing"} in data["changes"]
    # the park holds 宜春锂盐 and 宜春电芯: 正极材料 between them is 断链 until 电芯 leaves,
    # then nothing is downstream of it there (缺链); 动力电池 was never in the park
    park = chain_history(province.store, snap, "锂电新能源", "宜春经开区", params)
    assert park.region == "宜春经济技术开发区"
    assert [v.local_rate for v in park.versions] == [0.5, 0.5, 0.25]
    assert [(c.version, c.link, c.before, c.after) for c in park.changes] == [
        (3, "正极材料", "broken", "missing"),
        (3, "电芯", "weak", "missing"),
    ]
    # the 县 also holds 宜春电池包 (动力电池), which stays
    county = chain_history(province.store, snap, "锂电新能源", "袁州区", params)
    assert [v.local_rate for v in county.versions] == [0.75, 0.75, 0.5]
    assert [v.counts.missing for v in county.versions] == [0, 0, 2]
    # a 县 where the chain never had anything: every version all 缺链, no changes
    empty = chain_history(province.store, snap, "锂电新能源", "章贡区", params)
    assert [v.counts.weak for v in empty.versions] == [1, 1, 1]  # 赣州电芯
    nothing = chain_history(province.store, snap, "电子信息", "章贡区", params)
    assert [v.counts.missing for v in nothing.versions] == [3, 3, 3]
    assert nothing.changes == []


def test_recorded_figures_equal_the_diagnosis_of_every_scope(province: Stages) -> None:
    """The one-pass figures of every scope are what `chainkg diagnose` says there."""
    snap = build_snapshot(province.store)
    params = province.settings.analysis()
    scopes = history_regions(snap)
    assert {s.level for s in scopes} >= {"市", "县"} and any(s.label == "Park" for s in scopes)
    for chain in snap.chains.values():
        figures = scope_figures(snap, chain, scopes, params)
        for scope in scopes:
            result = run(snap, chain, scope, params)
            expected = {x: v.status for x, v in result.verdicts.items()}
            got = figures.get(scope.id)
            if got is None:  # nothing present: all 缺链
                assert set(expected.values()) == {"missing"}, (chain.name, scope.name)
                continue
            assert {x: STATUS_OF[c] for x, c in got.statuses.items()} == expected
            assert got.local_rate == result.local_rate(snap)


def test_history_is_kept_as_small_records_not_graphs(province: Stages) -> None:
    """Each version holds one row per chain (every scope's figures in it) and a few
    bookkeeping rows, written by the load itself."""
    snap = build_snapshot(province.store)
    assert [v.number for v in versions(province.store)] == [1, 2, 3]
    ids = [f"ver:3|{chain}|scopes" for chain in sorted(snap.chains)]
    found = province.store.get_nodes(LABEL, [*ids, record_id(3, "done")])
    assert sorted(found) == sorted([*ids, record_id(3, "done")])


def test_alerts_name_the_anchor_that_moved_out_and_the_worse_link(province: Stages) -> None:
    snap = build_snapshot(province.store)
    data = alerts(
        province.store,
        snap,
        province.settings.analysis(),
        province.settings.province_params(),
    ).model_dump(mode="json")
    kinds = {(a["kind"], a["subject"]) for a in data["items"]}
    assert ("anchor_left", "链主 宜春电芯有限公司") in kinds
    assert ("anchor_revenue", "领航企业 南昌整机有限公司") in kinds
    assert ("link_worse", "电子信息·元器件") in kinds
    left = next(a for a in data["items"] if a["kind"] == "anchor_left")
    assert left["severity"] == "high"
    assert left["evidence"]["versions"] == [2, 3]
    assert "是否省内由“是”变为“否”" in left["message"]
    worse = next(a for a in data["items"] if a["kind"] == "link_worse")
    assert any("卡脖子" in r for r in worse["evidence"]["reasons"])
    revenue = next(a for a in data["items"] if a["kind"] == "anchor_revenue")
    assert "降幅40%" in revenue["message"]
    # loaded today: no load history says any project stalled; 锂盐扩产项目 (在谈, 年份 2024)
    # has only its year, which makes one low-severity summary for its chain, not an alert
    assert not [a for a in data["items"] if a["kind"] == "project_stalled"]
    [undated] = [a for a in data["items"] if a["kind"] == "projects_undated"]
    assert (undated["severity"], undated["subject"]) == ("low", "锂电新能源·全省")
    assert undated["evidence"]["projects"] == 1
    assert undated["evidence"]["examples"] == ["锂盐扩产项目"]
    assert undated["evidence"]["years"] == [2024, 2024]


def test_alerts_count_stalls_and_open_problems_from_the_load_history(
    province: Stages,
) -> None:
    snap = build_snapshot(province.store)
    loaded = date.fromisoformat(versions(province.store)[0].time[:10])
    soon = ProvinceParams(today=loaded + timedelta(days=100))
    data = alerts(
        province.store, snap, province.settings.analysis(), soon, chain="电子信息"
    ).model_dump(mode="json")
    assert not [a for a in data["items"] if a["kind"] == "problem_open"]  # 100 ≤ 180 days
    later = ProvinceParams(today=loaded + timedelta(days=200))
    data = alerts(province.store, snap, province.settings.analysis(), later).model_dump(mode="json")
    [problem] = [a for a in data["items"] if a["kind"] == "problem_open"]
    assert problem["evidence"]["since_version"] == 3
    assert problem["evidence"]["links"] == ["元器件"]
    # 200 days after the first load, both projects are stalled by the load history alone
    stalled = {a["subject"]: a for a in data["items"] if a["kind"] == "project_stalled"}
    assert sorted(stalled) == ["京签约正极材料项目", "锂盐扩产项目"]
    signed = stalled["京签约正极材料项目"]
    assert signed["evidence"]["since_version"] == 1 and signed["severity"] == "medium"
    assert signed["evidence"]["since"] == loaded.isoformat()
    assert "首次导入即为签约阶段" in signed["message"]
    assert not [a for a in data["items"] if a["kind"] == "projects_undated"]
    # scoped to a 县 (history and alerts now work for every scope)
    county = alerts(province.store, snap, province.settings.analysis(), later, region="袁州区")
    assert {a.subject for a in county.items if a.kind == "project_stalled"} == set(stalled)


def test_the_targets_what_if_equals_the_full_what_if_in_every_scope(province: Stages) -> None:
    """The list's what-if (only the touched links that can improve are rechecked) gives, for
    every outside firm of every gap link in every scope, the improvements and 本地配套率
    gains of the full `what_if_statuses`; under the default thresholds and under looser
    ones, where one more firm makes a link strong."""
    snap = build_snapshot(province.store)
    pparams = province.settings.province_params()
    default = province.settings.analysis()
    compared, seen = 0, set()
    for looser in ({}, {"weak_min_enterprises": 1}, {"weak_min_enterprises": 2}):
        params = default.model_copy(update={**looser, "weak_min_revenue": 0.0} if looser else {})
        for scope in [find_scope(snap, None), *history_regions(snap)]:
            compared += _compare_what_ifs(snap, scope, params, pparams, seen)
    assert compared >= 150
    assert {("missing", "weak"), ("broken", "weak"), ("missing", "strong")} <= seen
    assert ("weak", "strong") in seen


def _compare_what_ifs(
    snap: Snapshot,
    scope: Scope,
    params: AnalysisParams,
    pparams: ProvinceParams,
    seen: set[tuple[str, str]],
) -> int:
    bases = {c.id: run(snap, c, scope, params) for c in snap.chains.values() if c.links}
    rates = {chain_id: base.local_rate(snap) for chain_id, base in bases.items()}
    gaps = [
        (chain_id, x)
        for chain_id, base in bases.items()
        for x in snap.chains[chain_id].links
        if base.verdicts[x].status != "strong"
    ]
    outside = snap.candidates([x for _, x in gaps])
    compared = 0
    for chain_id, link_id in gaps:
        for ent in outside[link_id]:
            cand = _Candidate(ent, gaps={chain_id: [link_id]})
            _what_if(snap, scope, params, pparams, bases, rates, cand)
            landed = dataclasses.replace(
                ent, local=True, places=ent.places | ({scope.id} if scope.id else set())
            )
            own = [x for x in ent.links if snap.links[x].chain == chain_id]
            hypothesis = Hypothesis(enterprises={x: [landed] for x in own})
            after, rate = what_if_statuses(snap, bases[chain_id], params, hypothesis)
            improved = [
                (chain_id, x, old, after[x])
                for x in snap.chains[chain_id].links
                if IMPROVED[after[x]] > IMPROVED[old := bases[chain_id].verdicts[x].status]
            ]
            assert cand.improved == improved, (scope.name, ent.name)
            assert cand.gains.get(chain_id, 0.0) == round(rate - rates[chain_id], 4)
            seen.update((old, new) for _, _, old, new in improved)
            compared += 1
    return compared
