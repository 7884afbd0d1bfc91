"""The province's annual target list: outside enterprises ranked once each across all chains.

For every chain in scope, the gaps are the links that are not strong. An outside enterprise in
a gap link (or one of its sub-links) is a candidate. Each is ranked by

- effect: the links its landing would improve (缺链/断链 → present, 弱链 → 强链), from the
  what-if of every chain it is in, weighted by the link's status and 关键环节, and the
  本地配套率 gain per chain; and
- reachability: it already supplies or invests in a local enterprise, it has a project in
  talks (在谈) in scope, it has a project elsewhere in the province, its home is in a source
  region, its tags.

The what-if runs for a shortlist (the best `targets_top × targets_shortlist` by a first score
that counts the gap links without the what-if), which keeps a province of 200 000 candidates
within a second. Enterprises with a project in scope at 签约 or later are listed apart.
Each target gets one host (a 市 and 园区, see `queries.province.hosts`) and alternatives, so
two cities are never both told to chase the same firm for the same link.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from queries.diagnosis import (
    ChainDiagnosis,
    Presence,
    blocking_problems,
    local_rate,
    run,
    statuses,
)
from queries.params import AnalysisParams
from queries.province.hosts import Hosts, focus_of
from queries.province.models import ExcludedTarget, Host, TargetItem, TargetLink, TargetList
from queries.province.params import ProvinceParams
from queries.recruitment import source_region
from queries.scope import Scope, find_scope
from queries.snapshot import ChainInfo, EnterpriseInfo, ProjectInfo, Snapshot, by_revenue
from queries.wording import DEMO_SOURCE, STATUS_ZH, demo_notice, place_text, tag_text
from store.base import GraphStore

IMPROVED = {"strong": 3, "weak": 2, "missing": 1, "broken": 1}


@dataclass
class _Candidate:
    ent: EnterpriseInfo
    gaps: dict[str, list[str]] = field(default_factory=dict)  # chain id → gap links it is in
    quick: float = 0.0
    effect_hint: bool = False  # some gap link it is in may improve
    reach: float = 0.0
    reach_reasons: list[str] = field(default_factory=list)
    talks: ProjectInfo | None = None
    effect: float = 0.0
    improved: list[tuple[str, str, str, str]] = field(default_factory=list)  # chain, link, b, a
    gains: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    hosting: tuple[Host | None, list[Host]] = (None, [])


def targets(
    snap: Snapshot,
    params: AnalysisParams,
    pparams: ProvinceParams,
    focus: dict[str, list[tuple[str, str]]],
    region: str | None = None,
    top: int | None = None,
) -> TargetList:
    """The `targets` answer (docs/analyses.md). `focus` maps a chain id to the parks whose 首位 or
    主导 industry it is: [(park id, 首位|主导)] (`focus_of`)."""
    scope = find_scope(snap, region)
    wanted = top or pparams.targets_top
    bases = {c.id: run(snap, c, scope, params) for c in _chains(snap)}
    projects = _projects(snap, scope)
    shortlist, excluded = _pool(
        snap, scope, params, pparams, bases, projects, wanted * pparams.targets_shortlist
    )
    whole = snap.complete(c.ent for c in shortlist)  # candidates come with score inputs only
    for cand in shortlist:
        cand.ent = whole[cand.ent.id]
    rates = {chain_id: base.local_rate(snap) for chain_id, base in bases.items()}
    for cand in shortlist:
        _what_if(snap, scope, params, pparams, bases, rates, cand)
    top_effect = max((c.effect for c in shortlist), default=0.0) or 1.0
    hosts = Hosts(snap, scope, pparams, focus, bases)
    w_effect, w_reach = pparams.target_weight_effect, pparams.target_weight_reach
    w_host = pparams.target_weight_host
    for cand in shortlist:
        if not cand.improved:
            continue
        chain_id, link_id = _primary(snap, cand)
        cand.hosting = hosts.suggest(cand.ent, chain_id, link_id)
        host_score = cand.hosting[0].score if cand.hosting[0] else 0.0
        cand.score = round(
            (w_effect * cand.effect / top_effect + w_reach * cand.reach + w_host * host_score)
            / (w_effect + w_reach + w_host or 1.0),
            4,
        )
    ranked = sorted(
        (c for c in shortlist if c.improved),
        key=lambda c: (-c.score, -(c.ent.revenue or 0.0), c.ent.name, c.ent.id),
    )[:wanted]
    reach = _Reach(snap, scope, params, pparams)
    for cand in ranked:
        cand.reach_reasons = reach.of(cand.ent, cand.talks, projects, explain=True)[1]
    items = [_item(snap, c) for c in ranked]
    demo_rows = sum(i.demo for i in items)
    return TargetList(
        region=scope.name,
        items=items,
        excluded=excluded,
        sources=sorted({i.source for i in items if i.source}),
        demo_rows=demo_rows,
        notice=demo_notice(demo_rows),
    )


def _chains(snap: Snapshot) -> list[ChainInfo]:
    return sorted((c for c in snap.chains.values() if c.links), key=lambda c: c.name)


@dataclass
class _Projects:
    in_scope: dict[str, list[ProjectInfo]]  # investor → projects in scope
    elsewhere: dict[str, list[ProjectInfo]]  # investor → projects in the province, not in scope


def _projects(snap: Snapshot, scope: Scope) -> _Projects:
    inside: dict[str, list[ProjectInfo]] = defaultdict(list)
    outside: dict[str, list[ProjectInfo]] = defaultdict(list)
    for proj in snap.projects.values():  # every project lands in the province
        group = inside if scope.holds(proj.places) else outside
        for investor in proj.investors:
            group[investor].append(proj)
    return _Projects(dict(inside), dict(outside))


def _pool(
    snap: Snapshot,
    scope: Scope,
    params: AnalysisParams,
    pparams: ProvinceParams,
    bases: dict[str, ChainDiagnosis],
    projects: _Projects,
    size: int,
) -> tuple[list[_Candidate], list[ExcludedTarget]]:
    """The shortlist: the `size` best outside enterprises in a gap link by their first score,
    among those some gap link of which may improve; and those left out.

    Every candidate is scored here (tens of thousands at province scale), so this works on
    plain tuples; only the shortlist and the left out become `_Candidate`s."""
    weights = pparams.target_status_weights
    gaps = [
        link_id
        for chain_id, base in bases.items()
        for link_id in snap.chains[chain_id].links
        if base.verdicts[link_id].status != "strong" and not snap.links[link_id].restriction
    ]  # a link closed to recruitment (招商限制) yields no targets
    outside = snap.candidates(gaps, params.recruit_cache_firms)  # one read, then kept
    ents: dict[str, EnterpriseInfo] = {}
    quick: dict[str, float] = {}
    where: dict[str, list[tuple[str, str]]] = defaultdict(list)  # firm → (chain, link)
    for chain_id, base in bases.items():
        chain = snap.chains[chain_id]
        for link_id in chain.links:
            if link_id not in outside:
                continue
            status = base.verdicts[link_id].status
            points = weights.get(status, 0.0) * (
                1 + pparams.target_key_bonus * snap.links[link_id].key
            )
            if status == "weak" and not _one_short(snap, base, link_id, params):
                points = 0.0  # one more firm does not make it strong: no first-score credit
            pair = (chain_id, link_id)
            for ent in outside[link_id]:
                ent_id = ent.id
                if ent_id not in ents:
                    ents[ent_id] = ent
                    quick[ent_id] = points
                else:
                    quick[ent_id] += points
                where[ent_id].append(pair)
    excluded_stages = set(params.recruit_excluded_stages)
    flagged = set(params.recruit_flagged_stages)
    excluded: list[ExcludedTarget] = []
    top_quick = max(quick.values(), default=0.0) or 1.0
    reach = _Reach(snap, scope, params, pparams)
    w_effect, w_reach = pparams.target_weight_effect, pparams.target_weight_reach
    ranked: list[tuple[float, str, float, ProjectInfo | None]] = []
    for ent_id, ent in ents.items():
        own = projects.in_scope.get(ent_id)
        talks = None
        if own:
            done = [p for p in own if p.stage in excluded_stages]
            if done:
                excluded.append(_excluded(snap, _candidate(ent, where[ent_id]), done[0]))
                continue
            in_talks = [p for p in own if p.stage in flagged]
            talks = in_talks[0] if in_talks else None
        points = quick[ent_id]
        if points <= 0:  # no gap link it is in may improve: never shortlisted
            continue
        score = reach.score(ent, talks, projects)
        first = w_effect * points / top_quick + w_reach * score
        ranked.append((first, ent_id, score, talks))
    shortlist: list[_Candidate] = []
    for first, ent_id, score, talks in heapq.nlargest(size, ranked, key=lambda r: r[:2]):
        cand = _candidate(ents[ent_id], where[ent_id])
        cand.quick, cand.reach, cand.talks, cand.effect_hint = first, score, talks, True
        shortlist.append(cand)
    excluded.sort(key=lambda e: (e.enterprise, e.enterprise_id))
    return shortlist, excluded


def _candidate(ent: EnterpriseInfo, where: list[tuple[str, str]]) -> _Candidate:
    """A candidate with the gap links it is in, by chain."""
    cand = _Candidate(ent)
    for chain_id, link_id in where:
        cand.gaps.setdefault(chain_id, []).append(link_id)
    return cand


def _one_short(snap: Snapshot, base: ChainDiagnosis, link_id: str, params: AnalysisParams) -> bool:
    """A weak link that one more firm may make strong: no open 卡脖子/断点 problem holds it
    weak (no firm's landing closes one), and it lacks at most one enterprise."""
    link = snap.links[link_id]
    if blocking_problems(snap, base.chain, link, base.scope, params):
        return False
    return len(base.found[link_id].enterprises) + 1 >= params.weak_min_enterprises


class _Reach:
    """Reachability of a candidate: a score in [0, 1] and the reasons in Chinese."""

    def __init__(
        self, snap: Snapshot, scope: Scope, params: AnalysisParams, pparams: ProvinceParams
    ) -> None:
        self.snap, self.scope, self.params = snap, scope, params
        points = pparams.target_reach_points
        total = sum(points.values()) or 1.0
        self.points = {k: v / total for k, v in points.items()}
        self._homes: dict[str | None, str | None] = {}
        self._standing: dict[frozenset[str], float] = {}

    def _local(self, ent_id: str) -> EnterpriseInfo | None:
        ent = self.snap.enterprises.get(ent_id)
        return ent if ent is not None and ent.local and self.scope.holds(ent.places) else None

    def score(self, ent: EnterpriseInfo, talks: ProjectInfo | None, projects: _Projects) -> float:
        """`of`'s score alone (the same points added in the same order), for every candidate."""
        score = 0.0
        p = self.points
        if any(self._local(e) for e in ent.supplies) or any(self._local(e) for e in ent.invests):
            score += p.get("partner", 0.0)
        if talks is not None:
            score += p.get("talks", 0.0)
        elsewhere = bool(projects.elsewhere.get(ent.id))
        if not elsewhere and self.scope.id is None:  # province: a project still in 储备
            elsewhere = any(
                x.stage not in ("在谈", None) for x in projects.in_scope.get(ent.id, ())
            )
        if elsewhere:
            score += p.get("province_project", 0.0)
        if ent.region not in self._homes:
            self._homes[ent.region] = source_region(ent.region, self.params)
        if self._homes[ent.region]:
            score += p.get("source_region", 0.0)
        standing = self._standing.get(ent.tags)
        if standing is None:
            standing_points = self.params.recruit_standing_points
            standing = self._standing[ent.tags] = max(
                (standing_points.get(t, 0.0) for t in ent.tags), default=0.0
            )
        if standing:
            score += p.get("standing", 0.0) * standing
        return round(score, 4)

    def of(
        self,
        ent: EnterpriseInfo,
        talks: ProjectInfo | None,
        projects: _Projects,
        explain: bool = False,
    ) -> tuple[float, list[str]]:
        """The score, and with `explain` the reasons (only for the targets shown)."""
        score, reasons = 0.0, []
        p = self.points
        supplied = [x for e in ent.supplies if (x := self._local(e))] if ent.supplies else []
        invested = [x for e in ent.invests if (x := self._local(e))] if ent.invests else []
        supplied.sort(key=lambda e: e.id)
        invested.sort(key=lambda e: e.id)
        if supplied or invested:
            score += p.get("partner", 0.0)
            if supplied:
                reasons.append(f"已向本地企业供货：{'、'.join(e.name for e in supplied[:3])}")
            if invested:
                reasons.append(f"已投资本地企业：{'、'.join(e.name for e in invested[:3])}")
        if talks is not None:
            score += p.get("talks", 0.0)
            reasons.append(f"已有在谈项目：{talks.name}")
        elsewhere = projects.elsewhere.get(ent.id, [])
        if not elsewhere and self.scope.id is None:  # province: a project still in 储备
            elsewhere = [
                x for x in projects.in_scope.get(ent.id, []) if x.stage not in ("在谈", None)
            ]
        if elsewhere:
            score += p.get("province_project", 0.0)
            proj = elsewhere[0]
            reasons.append(f"在省内已有项目：{proj.name}（{proj.stage or '阶段未填'}）")
        if ent.region not in self._homes:
            self._homes[ent.region] = source_region(ent.region, self.params)
        home = self._homes[ent.region]
        if home:
            score += p.get("source_region", 0.0)
            reasons.append(f"来自{home}（{place_text(ent.region)}），属重点招商来源地")
        standing_points = self.params.recruit_standing_points
        standing = self._standing.get(ent.tags)
        if standing is None:
            standing = self._standing[ent.tags] = max(
                (standing_points.get(t, 0.0) for t in ent.tags), default=0.0
            )
        if standing:
            score += p.get("standing", 0.0) * standing
            shown = frozenset(t for t in ent.tags if t in standing_points)
            reasons.append(f"企业地位：{tag_text(shown)}")
        return round(score, 4), reasons


def _what_if(
    snap: Snapshot,
    scope: Scope,
    params: AnalysisParams,
    pparams: ProvinceParams,
    bases: dict[str, ChainDiagnosis],
    rates: dict[str, float],
    cand: _Candidate,
) -> None:
    """Land the candidate in its own links of each chain it is in; keep what improves.

    This is `what_if_statuses` narrowed to what the list keeps, with the same rules: a
    landing changes the presence of the links whose subtree holds one of its own links (the
    touched links) and nothing else. Only a touched link that is not already strong can
    improve (its neighbours' presence is unchanged, so a present neighbour keeps its status
    and an absent one stays 缺链 or 断链, which rank alike), so only those are rechecked; and
    the 本地配套率 changes by the touched leaf links that were absent."""
    places = frozenset({scope.id}) if scope.id else frozenset()
    landed = dataclasses.replace(cand.ent, local=True, places=cand.ent.places | places)
    weights = pparams.target_status_weights
    for chain_id in cand.gaps:
        chain, before = snap.chains[chain_id], bases[chain_id]
        own = {x for x in cand.ent.links if snap.links[x].chain == chain_id}
        touched = [x for x in chain.links if not own.isdisjoint(snap.links[x].subtree)]
        found = dict(before.found)
        open_ = []
        for x in touched:
            old = found[x]
            if before.verdicts[x].status != "strong":
                open_.append(x)
            if not any(e.id == landed.id for e in old.enterprises):
                found[x] = Presence(
                    sorted([*old.enterprises, landed], key=by_revenue),
                    list(old.projects),
                    list(old.pipeline),
                )
        after = statuses(snap, chain, found, before.scope, params, only=open_)
        for link_id in open_:
            old_status, new = before.verdicts[link_id].status, after[link_id]
            if IMPROVED[new] > IMPROVED[old_status]:
                link = snap.links[link_id]
                cand.improved.append((chain_id, link_id, old_status, new))
                cand.effect += weights.get(old_status, 0.0) * (
                    1 + pparams.target_key_bonus * link.key
                )
        gain = round(local_rate(snap, chain, found) - rates[chain_id], 4)
        if gain or any(c == chain_id for c, *_ in cand.improved):
            cand.gains[chain_id] = gain


def _item(snap: Snapshot, cand: _Candidate) -> TargetItem:
    ent = cand.ent
    links = [
        TargetLink(chain=snap.chains[c].name, link=snap.links[x].name, status=old, after=new)
        for c, x, old, new in cand.improved
    ]
    host, alternatives = cand.hosting
    fills = "、".join(
        f"{snap.chains[c].name}·{snap.links[x].name}（{STATUS_ZH[old]}→{STATUS_ZH[new]}）"
        for c, x, old, new in cand.improved[:6]
    )
    more = f"等{len(cand.improved)}个环节" if len(cand.improved) > 6 else ""
    reasons = [f"落地后可改善：{fills}{more}"]
    for chain_id, gain in cand.gains.items():
        if gain:
            reasons.append(f"{snap.chains[chain_id].name}本地配套率提高{gain * 100:.1f}个百分点")
    reasons += cand.reach_reasons
    return TargetItem(
        enterprise=ent.name,
        enterprise_id=ent.id,
        score=cand.score,
        region_of_enterprise=place_text(ent.region),
        revenue=ent.revenue,
        tags=sorted(ent.tags),
        links=links,
        local_rate_gain={snap.chains[c].name: g for c, g in cand.gains.items()},
        host=host,
        alternatives=alternatives,
        pipeline_stage=cand.talks.stage if cand.talks else None,
        reasons=reasons,
        source=ent.source,
        demo=ent.source == DEMO_SOURCE,
    )


def _primary(snap: Snapshot, cand: _Candidate) -> tuple[str, str]:
    """The chain and link a target improves most (then a 关键环节): the one to host."""
    chain_id, link_id, _, _ = max(
        cand.improved,
        key=lambda t: (IMPROVED[t[3]] - IMPROVED[t[2]], snap.links[t[1]].key),
    )
    return chain_id, link_id


def _excluded(snap: Snapshot, cand: _Candidate, proj: ProjectInfo) -> ExcludedTarget:
    chains = "、".join(snap.chains[c].name for c in cand.gaps)
    return ExcludedTarget(
        enterprise=cand.ent.name,
        enterprise_id=cand.ent.id,
        chains=[snap.chains[c].name for c in cand.gaps],
        project=proj.name,
        project_stage=proj.stage,
        reason=f"已有{proj.stage}项目“{proj.name}”，不再列入{chains}招商目标",
    )


def province_targets(
    store: GraphStore,
    snap: Snapshot,
    params: AnalysisParams,
    pparams: ProvinceParams,
    region: str | None = None,
    top: int | None = None,
) -> TargetList:
    """`targets` with the parks' 首位/主导 industries read from the store."""
    return targets(snap, params, pparams, focus_of(store), region, top)
