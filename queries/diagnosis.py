"""强链 / 弱链 / 缺链 / 断链: the diagnosis (docs/analyses.md), with its reasons in Chinese.

present(L) is what is local in L or a sub-link, in scope: enterprises with `local=true`, and
projects at a present stage (投产; 达产 is stored as 投产). Missing links are broken when a
link directly upstream and one directly downstream are present. Weak links fail at least one
test of `AnalysisParams`; each reason carries the numbers that triggered it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

from graph_schema.official_order import chain_order, place_order
from queries.answers import (
    ChainOut,
    DiagnosisOut,
    DiagnosisSummary,
    EnterpriseRef,
    LinkDiagnosis,
    ProjectRef,
    ReasonedChange,
    StatusCounts,
)
from queries.params import AnalysisParams
from queries.scope import Scope, find_chain, find_scope
from queries.snapshot import (
    ChainInfo,
    EnterpriseInfo,
    LinkInfo,
    PlaceInfo,
    ProjectInfo,
    Snapshot,
    by_amount,
    by_revenue,
    link_revenue,
)
from queries.wording import DEMO_SOURCE, STATUS_ZH, demo_notice, fmt_yi, share_text, tag_text

STATUSES = tuple(STATUS_ZH)
SHOWN_ENTERPRISES = 10  # per link in the JSON; the count is always the full one
SHOWN_PROJECTS = 10  # per list and link: a province's parent links roll up hundreds


@dataclass(slots=True)
class Presence:
    """What one link has in scope."""

    enterprises: list[EnterpriseInfo] = field(default_factory=list)
    projects: list[ProjectInfo] = field(default_factory=list)  # at a present stage
    pipeline: list[ProjectInfo] = field(default_factory=list)
    _revenue: float | None = None

    @property
    def present(self) -> bool:
        return bool(self.enterprises or self.projects)

    @property
    def revenue(self) -> float:
        """Total local revenue (亿元); read once the lists are final."""
        if self._revenue is None:
            self._revenue = sum(e.revenue or 0.0 for e in self.enterprises)
        return self._revenue


@dataclass(slots=True)
class Verdict:
    status: str
    reasons: list[str]


@dataclass
class Hypothesis:
    """What-if additions: enterprises or projects landing in links (before roll-up)."""

    enterprises: dict[str, list[EnterpriseInfo]] = field(default_factory=dict)
    projects: dict[str, list[ProjectInfo]] = field(default_factory=dict)


def presence(
    snap: Snapshot,
    chain: ChainInfo,
    scope: Scope,
    params: AnalysisParams,
    hypothesis: Hypothesis | None = None,
) -> dict[str, Presence]:
    present_stages = set(params.present_project_stages)
    pipeline_stages = set(params.pipeline_project_stages)
    everywhere = scope.id is None
    out: dict[str, Presence] = {}
    for link_id in chain.links:
        p = Presence()
        local = chain.rolled_local[link_id]
        p.enterprises = list(local) if everywhere else [e for e in local if scope.holds(e.places)]
        for proj in chain.rolled_projects[link_id]:
            if not (everywhere or scope.holds(proj.places)):
                continue
            if proj.stage in present_stages:
                p.projects.append(proj)
            elif proj.stage in pipeline_stages:
                p.pipeline.append(proj)
        out[link_id] = p
    if hypothesis is not None:
        _add_hypothesis(snap, out, hypothesis)
    return out


def _add_hypothesis(snap: Snapshot, out: dict[str, Presence], hypothesis: Hypothesis) -> None:
    """Each addition counts for its link and every link above it (the roll-up)."""
    for link_id, here in out.items():
        subtree = snap.links[link_id].subtree
        ents = [e for sub in subtree for e in hypothesis.enterprises.get(sub, ())]
        projects = [p for sub in subtree for p in hypothesis.projects.get(sub, ())]
        if ents:
            have = {e.id for e in here.enterprises}
            for ent in ents:
                if ent.id not in have:
                    here.enterprises.append(ent)
                    have.add(ent.id)
            here.enterprises.sort(key=by_revenue)
        if projects:
            have = {p.id for p in here.projects}
            landed = {p.id: p for p in projects if p.id not in have}
            here.projects = sorted([*here.projects, *landed.values()], key=by_amount)
            here.pipeline = [q for q in here.pipeline if q.id not in landed]


def verdicts(
    snap: Snapshot,
    chain: ChainInfo,
    found: dict[str, Presence],
    scope: Scope,
    params: AnalysisParams,
    only: Iterable[str] | None = None,
) -> dict[str, Verdict]:
    """The verdict of every link (or of the links in `only`)."""
    out: dict[str, Verdict] = {}
    for link_id in chain.links if only is None else only:
        link, here = snap.links[link_id], found[link_id]
        if here.present:
            reasons = _weak_reasons(snap, chain, link, here, scope, params)
            out[link_id] = (
                Verdict("weak", reasons)
                if reasons
                else Verdict("strong", _strong_reasons(here, link, params))
            )
        else:
            problems = blocking_problems(snap, chain, link, scope, params)
            out[link_id] = _gap(snap, link, found, problems)
    return out


def statuses(
    snap: Snapshot,
    chain: ChainInfo,
    found: dict[str, Presence],
    scope: Scope,
    params: AnalysisParams,
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """The status `verdicts` gives each link (or each link in `only`), without writing the
    reasons: for answers that need only the status (version records, what-ifs)."""
    out: dict[str, str] = {}
    for link_id in chain.links if only is None else only:
        link, here = snap.links[link_id], found[link_id]
        if here.present:
            weak = _is_weak(snap, chain, link, here, scope, params)
            out[link_id] = "weak" if weak else "strong"
        else:
            up = any(found[u].present for u in link.upstream if u in found)
            down = any(found[d].present for d in link.downstream if d in found)
            out[link_id] = "broken" if up and down else "missing"
    return out


def what_if_statuses(
    snap: Snapshot,
    base: ChainDiagnosis,
    params: AnalysisParams,
    hypothesis: Hypothesis,
) -> tuple[dict[str, str], float]:
    """Every link's status and the 本地配套率 with the hypothesis added to `base` (as `run`
    with a base gives them), rechecking only the links it touches and their neighbours."""
    chain = base.chain
    added = set(hypothesis.enterprises) | set(hypothesis.projects)
    touched = [x for x in chain.links if added.intersection(snap.links[x].subtree)]
    found = dict(base.found)
    for x in touched:
        old = found[x]
        found[x] = Presence(list(old.enterprises), list(old.projects), list(old.pipeline))
    _add_hypothesis(snap, {x: found[x] for x in touched}, hypothesis)
    recheck = set(touched)
    for x in touched:
        recheck.update(
            n for n in (*snap.links[x].upstream, *snap.links[x].downstream) if n in found
        )
    out = {x: v.status for x, v in base.verdicts.items()}
    out.update(statuses(snap, chain, found, base.scope, params, only=sorted(recheck)))
    return out, local_rate(snap, chain, found)


def _is_weak(
    snap: Snapshot,
    chain: ChainInfo,
    link: LinkInfo,
    here: Presence,
    scope: Scope,
    params: AnalysisParams,
) -> bool:
    """Whether `_weak_reasons` would give a reason (the same rules, in the same order,
    stopping at the first)."""
    ents = here.enterprises
    if len(ents) < params.weak_min_enterprises:
        return True
    strength = set(params.strength_tags)
    if ents and not any(e.tags & strength for e in ents):
        total = sum(r for r, _ in (link_revenue(e, link.subtree) for e in ents) if r is not None)
        if total < params.weak_min_revenue:
            return True
    concentrated = _concentration(link, ents, params)
    if concentrated is not None and concentrated[0]:
        return True
    return bool(blocking_problems(snap, chain, link, scope, params))


def _gap(
    snap: Snapshot, link: LinkInfo, found: dict[str, Presence], problems: list[Any]
) -> Verdict:
    """Missing or broken; upstream and downstream are spoken of only where such links exist."""
    reasons = ["本地无该环节企业（含细分环节），也无投产项目"]
    ups = [u for u in link.upstream if u in found]
    downs = [d for d in link.downstream if d in found]
    up = [snap.links[u].name for u in ups if found[u].present]
    down = [snap.links[d].name for d in downs if found[d].present]
    cited = [_problem_reason(p) for p in problems]
    if up and down:
        reasons.append(
            f"直接上游“{'、'.join(up)}”与直接下游“{'、'.join(down)}”均有本地配套，链条在此断开"
        )
        return Verdict("broken", reasons + cited + _pipeline_reason(found[link.id]))
    if up:
        tail = "，直接下游环节亦无本地配套" if downs else "（本环节无下游环节）"
        reasons.append(f"直接上游“{'、'.join(up)}”有本地配套{tail}")
    elif down:
        tail = "，直接上游环节亦无本地配套" if ups else "（本环节无上游环节）"
        reasons.append(f"直接下游“{'、'.join(down)}”有本地配套{tail}")
    elif ups or downs:
        sides = "上下游" if ups and downs else ("上游" if ups else "下游")
        reasons.append(f"直接{sides}环节均无本地配套")
    return Verdict("missing", reasons + cited + _pipeline_reason(found[link.id]))


def _problem_reason(problem: Any) -> str:
    return f"存在未销号“{problem.type}”问题：{problem.name}"


def _pipeline_reason(here: Presence) -> list[str]:
    if not here.pipeline:
        return []
    listing = "、".join(f"{p.name}（{p.stage}）" for p in here.pipeline[:3])
    more = f"等{len(here.pipeline)}个" if len(here.pipeline) > 3 else ""
    return [f"在手项目：{listing}{more}，投产后计入本地配套"]


def _weak_reasons(
    snap: Snapshot,
    chain: ChainInfo,
    link: LinkInfo,
    here: Presence,
    scope: Scope,
    params: AnalysisParams,
) -> list[str]:
    reasons: list[str] = []
    ents = here.enterprises
    total = sum(r for r, _ in (link_revenue(e, link.subtree) for e in ents) if r is not None)
    if len(ents) < params.weak_min_enterprises:
        projects = f"投产项目{len(here.projects)}个" if here.projects else ""
        if ents:
            extra = f"，另有{projects}" if projects else ""
            reasons.append(f"本地企业仅{len(ents)}家（少于{params.weak_min_enterprises}家）{extra}")
        else:
            reasons.append(f"无本地企业（少于{params.weak_min_enterprises}家），仅有{projects}")
    strength = set(params.strength_tags)
    if ents and not any(e.tags & strength for e in ents) and total < params.weak_min_revenue:
        reasons.append(
            f"无链主、上市、小巨人等强势企业，且本地营收合计仅{fmt_yi(total)}亿元"
            f"（低于{fmt_yi(params.weak_min_revenue)}亿元）{_unknown_revenue(ents)}"
        )
    concentrated = _concentration(link, ents, params)
    if concentrated is not None and concentrated[0]:
        reasons.append(concentrated[1])
    for problem in blocking_problems(snap, chain, link, scope, params):
        reasons.append(_problem_reason(problem))
    return reasons


def _concentration(
    link: LinkInfo, ents: list[EnterpriseInfo], params: AnalysisParams
) -> tuple[bool, str] | None:
    """(weak?, sentence) of the concentration rule, or None when it does not apply.

    Only firms with a known revenue in the link count (their 分环节营收 when given), and the
    rule applies only when at least two are known and they are at least
    `weak_share_min_known` of the link's local firms; otherwise the sentence says for how
    many of them revenue is unknown, and claims no share.
    """
    if len(ents) < 2:
        return None
    known = [(r, used, e) for e in ents for r, used in [link_revenue(e, link.subtree)] if r]
    unknown = len(ents) - len(known)
    if len(known) < 2 or len(known) < params.weak_share_min_known * len(ents):
        if not unknown:
            return None
        return (
            False,
            f"营收未知{unknown}/{len(ents)}家（本地{len(ents)}家企业中{unknown}家未填营收），不判断集中度",
        )
    total = sum(r for r, _, _ in known)
    top_revenue, _, top = max(known, key=lambda k: (k[0], k[2].id))
    share = top_revenue / total
    basis = "（按分环节营收计）" if any(u for _, u, _ in known) else ""
    gaps = f"；另有{unknown}家未填营收，未计入" if unknown else ""
    text = (
        f"最大企业{top.name}占本环节{'已知' if unknown else ''}本地营收{share_text(share)}{basis}"
        f"（不低于{params.weak_max_share:.0%}），过于集中{gaps}"
    )
    return share >= params.weak_max_share, text


def blocking_problems(
    snap: Snapshot, chain: ChainInfo, link: LinkInfo, scope: Scope, params: AnalysisParams
) -> list[Any]:
    """Open problems of a blocking type that affect the link (and, when they name
    enterprises, one of them is in scope)."""
    types, open_ = set(params.blocking_problem_types), set(params.open_problem_statuses)
    out = []
    for problem_id in chain.problems.get(link.id, ()):
        problem = snap.problems[problem_id]
        if problem.type not in types or (problem.status or "待办") not in open_:
            continue
        named = [snap.enterprises[e] for e in problem.enterprises]
        if scope.id is None or not named or any(scope.holds(e.places) for e in named):
            out.append(problem)
    return out


def _unknown_revenue(ents: list[EnterpriseInfo]) -> str:
    unknown = sum(e.revenue is None for e in ents)
    return f"（其中{unknown}家未填营收）" if unknown else ""


def _strong_reasons(here: Presence, link: LinkInfo, params: AnalysisParams) -> list[str]:
    ents = here.enterprises
    out = [f"本地企业{len(ents)}家，营收合计{fmt_yi(here.revenue)}亿元"]
    concentrated = _concentration(link, ents, params)
    if concentrated is not None and not concentrated[0] and "营收未知" in concentrated[1]:
        out.append(concentrated[1])
    tagged = [e for e in ents if e.tags]
    if tagged:
        best = sorted(tagged, key=lambda e: (-(e.revenue or 0.0), e.id))[:3]
        out.append("骨干企业：" + "、".join(f"{e.name}（{tag_text(e.tags)}）" for e in best))
    return out


@dataclass
class ChainDiagnosis:
    chain: ChainInfo
    scope: Scope
    found: dict[str, Presence]
    verdicts: dict[str, Verdict]

    def local_rate(self, snap: Snapshot) -> float:
        return local_rate(snap, self.chain, self.found)


def local_rate(snap: Snapshot, chain: ChainInfo, found: dict[str, Presence]) -> float:
    """本地配套率: the share of the chain's leaf links that are present."""
    leaves = [link_id for link_id in chain.links if snap.links[link_id].is_leaf]
    if not leaves:
        return 0.0
    return round(sum(found[link_id].present for link_id in leaves) / len(leaves), 4)


def run(
    snap: Snapshot,
    chain: ChainInfo,
    scope: Scope,
    params: AnalysisParams,
    hypothesis: Hypothesis | None = None,
    base: ChainDiagnosis | None = None,
) -> ChainDiagnosis:
    """The diagnosis; with a hypothesis, `base` (the same chain and scope without it) spares
    reading the store's presence again."""
    if base is None or hypothesis is None:
        found = presence(snap, chain, scope, params, hypothesis)
        return ChainDiagnosis(chain, scope, found, verdicts(snap, chain, found, scope, params))
    added = set(hypothesis.enterprises) | set(hypothesis.projects)
    touched = [x for x in chain.links if added.intersection(snap.links[x].subtree)]
    found = dict(base.found)
    mine = {x: found[x] for x in touched}
    for x, old in mine.items():
        found[x] = Presence(list(old.enterprises), list(old.projects), list(old.pipeline))
    _add_hypothesis(snap, {x: found[x] for x in touched}, hypothesis)
    # a verdict depends on the link itself and, for gaps, on its direct neighbours
    recheck = set(touched)
    for x in touched:
        recheck.update(
            n for n in (*snap.links[x].upstream, *snap.links[x].downstream) if n in found
        )
    judged = dict(base.verdicts)
    judged.update(verdicts(snap, chain, found, scope, params, only=sorted(recheck)))
    return ChainDiagnosis(chain, scope, found, judged)


def diagnose(
    snap: Snapshot, chain: str, region: str | None, params: AnalysisParams
) -> DiagnosisOut:
    """The `diagnose` answer (docs/analyses.md), with chain figures under `summary`."""
    info = find_chain(snap, chain)
    scope = find_scope(snap, region)
    result = run(snap, info, scope, params)
    links = [_link_json(snap, link_id, result) for link_id in info.links]
    demo_rows = demo_records(snap, result)
    return DiagnosisOut(
        chain=info.name,
        chain_id=info.id,
        region=scope.name,
        graph_version=snap.version,
        links=links,
        summary=_summary(snap, result, params),
        demo_data=demo_rows > 0,
        demo_rows=demo_rows,
        notice=demo_notice(demo_rows),
    )


def demo_records(snap: Snapshot, result: ChainDiagnosis) -> int:
    """How many records behind a diagnosis (its links, and the enterprises and projects
    present or in the pipeline in scope) are marked 示例数据."""
    seen: set[str] = set()
    for link_id, here in result.found.items():
        if snap.links[link_id].source == DEMO_SOURCE:
            seen.add(link_id)
        for ent in here.enterprises:
            if ent.source == DEMO_SOURCE:
                seen.add(ent.id)
        for proj in (*here.projects, *here.pipeline):
            if proj.source == DEMO_SOURCE:
                seen.add(proj.id)
    return len(seen)


def display_stage(snap: Snapshot, link: LinkInfo) -> str | None:
    """A sub-link without its own 链位 takes its parent's."""
    while link.stage is None and link.parent in snap.links:
        link = snap.links[link.parent]
    return link.stage


def _link_json(snap: Snapshot, link_id: str, result: ChainDiagnosis) -> LinkDiagnosis:
    link, here, verdict = snap.links[link_id], result.found[link_id], result.verdicts[link_id]
    shown = here.enterprises[:SHOWN_ENTERPRISES]  # kept largest first
    return LinkDiagnosis(
        id=link.id,
        name=link.name,
        stage=display_stage(snap, link),
        level=link.level,
        parent=link.parent,
        key=link.key,
        status=verdict.status,
        status_zh=STATUS_ZH[verdict.status],
        local_enterprises=len(here.enterprises),
        local_revenue=round(here.revenue, 4),
        enterprises=[EnterpriseRef(id=e.id, name=e.name, revenue=e.revenue) for e in shown],
        projects=_projects_json(snap, here.projects),
        project_count=len(here.projects),
        pipeline=_projects_json(snap, here.pipeline),
        pipeline_count=len(here.pipeline),
        reasons=verdict.reasons,
        recruit_restriction=link.restriction,
        source=link.source,
    )


def _projects_json(snap: Snapshot, projects: list[ProjectInfo]) -> list[ProjectRef]:
    """The largest projects first, at most SHOWN_PROJECTS (the count is given beside)."""
    return [_project_json(snap, p) for p in projects[:SHOWN_PROJECTS]]  # kept largest first


def _project_json(snap: Snapshot, proj: ProjectInfo) -> ProjectRef:
    investors = [snap.enterprises[e].name for e in proj.investors[:1]]
    return ProjectRef(
        id=proj.id,
        name=proj.name,
        stage=proj.stage,
        stage_raw=proj.stage_raw,
        amount=proj.amount,
        enterprise=investors[0] if investors else None,
    )


def status_counts(result: ChainDiagnosis) -> StatusCounts:
    """How many links of a diagnosis have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for verdict in result.verdicts.values():
        counts[verdict.status] += 1
    return StatusCounts(**counts)


def _summary(snap: Snapshot, result: ChainDiagnosis, params: AnalysisParams) -> DiagnosisSummary:
    pipeline = {p.id: p for here in result.found.values() for p in here.pipeline}
    landed = Hypothesis(projects={})
    for proj in pipeline.values():
        for link_id in proj.links:
            landed.projects.setdefault(link_id, []).append(proj)
    after = (
        run(snap, result.chain, result.scope, params, landed, base=result) if pipeline else result
    )
    leaves = [link_id for link_id in result.chain.links if snap.links[link_id].is_leaf]
    firms = {e.id: e for here in result.found.values() for e in here.enterprises}
    known = [e.revenue for e in firms.values() if e.revenue is not None]
    return DiagnosisSummary(
        local_rate=result.local_rate(snap),
        # the listed local firms' revenue, to read beside the revenue documents state
        listed_revenue=round(sum(known), 4),
        listed_revenue_known=len(known),
        listed_enterprises=len(firms),
        leaf_links=len(leaves),
        present_leaf_links=sum(result.found[link_id].present for link_id in leaves),
        counts=status_counts(result),
        pipeline_projects=len(pipeline),
        local_rate_with_pipeline=after.local_rate(snap),
        pipeline_changes=changes(snap, result, after),
    )


def changes(snap: Snapshot, before: ChainDiagnosis, after: ChainDiagnosis) -> list[ReasonedChange]:
    """The links whose status differs between two diagnoses of one chain, with the new
    reasons."""
    out = []
    for link_id in before.chain.links:
        old, new = before.verdicts[link_id].status, after.verdicts[link_id].status
        if old != new:
            out.append(
                ReasonedChange(
                    link=snap.links[link_id].name,
                    link_id=link_id,
                    before=old,
                    after=new,
                    before_zh=STATUS_ZH[old],
                    after_zh=STATUS_ZH[new],
                    reasons=after.verdicts[link_id].reasons,
                )
            )
    return out


def chain_overview(
    snap: Snapshot, params: AnalysisParams, region: str | None = None
) -> list[ChainOut]:
    """Every chain with its 本地配套率 and counts by status (the home page)."""
    scope = find_scope(snap, region)
    out = []
    for chain in sorted(snap.chains.values(), key=lambda c: chain_order(c.name, c.industry)):
        result = run(snap, chain, scope, params)
        out.append(
            ChainOut(
                id=chain.id,
                name=chain.name,
                industry=chain.industry,
                links=len(chain.links),
                local_rate=result.local_rate(snap),
                counts=status_counts(result),
            )
        )
    return out


class RegionOption(TypedDict):
    """A place a diagnosis can be scoped to (the region selector of the pages)."""

    id: str
    name: str
    level: str | None
    parent: str | None


def region_options(snap: Snapshot) -> list[RegionOption]:
    """The places a diagnosis can be scoped to: the province, its 市, their 县, the parks."""
    home: set[str] = set()  # the places local enterprises and projects are in
    for ent in snap.enterprises.values():
        if ent.local:
            home.update(ent.places)
    for proj in snap.projects.values():  # every project lands in the province
        home.update(proj.places)
    provinces = [p for p in snap.places.values() if p.id in home and p.level == "省"]
    out: list[RegionOption] = [
        {"id": p.id, "name": p.name, "level": "省", "parent": None} for p in provinces
    ]
    inside = {p.id for p in provinces}
    for place in sorted(snap.places.values(), key=_tree_order):
        if place.label == "Region" and not (inside & _above(snap, place.id)):
            continue
        if place.label == "Region" and place.level in ("市", "县") and place.parents:
            out.append(
                {
                    "id": place.id,
                    "name": place.name,
                    "level": place.level,
                    "parent": place.parents[0],
                }
            )
        elif place.label == "Park":
            parent = place.parents[0] if place.parents else None
            out.append({"id": place.id, "name": place.name, "level": "园区", "parent": parent})
    return out


def _tree_order(place: PlaceInfo) -> tuple[tuple[int, str], int, str]:
    """市 in the official order (division codes: 南昌 first), each followed by its 县 and
    parks (a park after the 县 it sits in)."""
    if place.label == "Park":
        parent = place.parents[0].removeprefix("region:") if place.parents else ""
        return (place_order(_in_province(parent)), 1, place.name)
    return (place_order(_in_province(place.id.removeprefix("region:"))), 0, "")


def _in_province(path: str) -> str:
    """江西省/宜春市/袁州区 → 宜春市/袁州区 (the division table's form)."""
    head, _, rest = path.partition("/")
    return rest if rest and head.endswith("省") else path


def _above(snap: Snapshot, place_id: str) -> set[str]:
    out, todo = set(), [place_id]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo.extend(snap.places[current].parents if current in snap.places else ())
    return out
