"""补链招商清单: whom to approach for each gap of a chain, ranked and explained.

Targets are the broken, then missing, then weak links, each group ordered by criticality
(present links directly downstream, then 关键环节). Candidates are the enterprises in the
link or a sub-link that are not local to the scope, minus those that already have a project
of the chain in scope at 签约 or later; those in talks (在谈) stay, flagged. The score is a
weighted mean of scale (log revenue against the link's largest candidate), standing (tags),
proximity (already supplies or invests in a local enterprise of the chain) and region
affinity (a configured source region such as 长三角).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from queries.answers import (
    NearbyItem,
    RecruitComponents,
    RecruitExcluded,
    RecruitItem,
    RecruitOut,
    RecruitTarget,
)
from queries.diagnosis import ChainDiagnosis, display_stage, run
from queries.params import AnalysisParams
from queries.scope import Scope, find_chain, find_link, find_scope
from queries.snapshot import ChainInfo, EnterpriseInfo, ProjectInfo, Snapshot, link_revenue
from queries.wording import (
    DEMO_SOURCE,
    STATUS_ZH,
    demo_notice,
    fmt_yi,
    place_text,
    share_text,
    tag_text,
)

TARGET_ORDER = {"broken": 0, "missing": 1, "weak": 2, "strong": 3}


@dataclass(slots=True)
class Candidate:
    ent: EnterpriseInfo
    components: dict[str, float]
    score: float
    partners: list[EnterpriseInfo]
    affinity: str | None
    talks: list[ProjectInfo]


def recruit(
    snap: Snapshot,
    chain: str,
    params: AnalysisParams,
    region: str | None = None,
    link: str | None = None,
    top: int | None = None,
) -> RecruitOut:
    """The `recruit` answer (docs/analyses.md), with a `targets` summary of the links."""
    info = find_chain(snap, chain)
    scope = find_scope(snap, region)
    result = run(snap, info, scope, params)
    wanted = [find_link(snap, info, link).id] if link else target_links(snap, result)
    projects = _projects_by_investor(info, scope, params)
    scorer = _Scorer(snap, params, {e.id for e in info.local_members if scope.holds(e.places)})
    outside = snap.candidates(
        [x for x in wanted if not snap.links[x].restriction], params.recruit_cache_firms
    )
    items: list[RecruitItem] = []
    targets: list[RecruitTarget] = []
    excluded: list[RecruitExcluded] = []
    nearby: list[NearbyItem] = []
    for link_id in wanted:
        count = top or params.recruit_top
        if snap.links[link_id].restriction:  # closed to recruitment: diagnosed, no targets
            targets.append(_target(snap, result, link_id, 0, 0))
            continue
        shown, found, left_out = _candidates(
            info, link_id, outside[link_id], scope, params, projects, scorer, count
        )
        if scope.id is not None and not params.recruit_province_firms:
            nearby += _nearby(snap, info, link_id, scope, count)
        items += [
            _item(snap, result, link_id, c, rank, scope, params) for rank, c in enumerate(shown, 1)
        ]
        excluded += [_excluded(snap, link_id, ent, proj) for ent, proj in left_out]
        targets.append(_target(snap, result, link_id, found, len(shown)))
    _mark_repeats(items)
    demo_rows = sum(i.demo for i in items)
    return RecruitOut(
        chain=info.name,
        chain_id=info.id,
        region=scope.name,
        graph_version=snap.version,
        targets=targets,
        items=items,
        excluded=excluded,
        nearby=nearby,
        grades=grade_legend(params),
        sources=sorted({i.source for i in items if i.source}),
        demo_data=demo_rows > 0,
        demo_rows=demo_rows,
        notice=demo_notice(demo_rows),
    )


def grade(score_100: int, params: AnalysisParams) -> str:
    """推荐度: A from recruit_grade_a, B from recruit_grade_b, else C."""
    if score_100 >= params.recruit_grade_a:
        return "A"
    return "B" if score_100 >= params.recruit_grade_b else "C"


def grade_legend(params: AnalysisParams) -> dict[str, str]:
    a, b = params.recruit_grade_a, params.recruit_grade_b
    return {
        "A": f"重点推荐（评分 {a} 分及以上）",
        "B": f"推荐（{b}–{a - 1} 分）",
        "C": f"可关注（{b} 分以下）",
    }


def _mark_repeats(items: list[RecruitItem]) -> None:
    """A firm shown under several target links (a parent and its sub-links) names them all
    (`fills`) and says where a printed list shows it once (`listed_under`, the first)."""
    fills: dict[str, list[RecruitItem]] = {}
    for item in items:
        fills.setdefault(item.enterprise_id, []).append(item)
    for same in fills.values():
        names = [i.link for i in same]
        for item in same:
            item.fills = names
            item.listed_under = same[0].link_id


def target_links(snap: Snapshot, result: ChainDiagnosis) -> list[str]:
    """Broken, missing, weak; within each, more present downstream links first, then key."""
    order = {link_id: i for i, link_id in enumerate(result.chain.links)}

    def criticality(link_id: str) -> tuple[int, int, int, int]:
        link = snap.links[link_id]
        downstream = sum(result.found[d].present for d in link.downstream if d in result.found)
        status = result.verdicts[link_id].status
        return (TARGET_ORDER[status], -downstream, -int(link.key), order[link_id])

    gaps = [
        link_id for link_id in result.chain.links if result.verdicts[link_id].status != "strong"
    ]
    return sorted(gaps, key=criticality)


def _projects_by_investor(
    chain: ChainInfo, scope: Scope, params: AnalysisParams
) -> dict[str, list[ProjectInfo]]:
    """The chain's projects in scope at a stage that leaves a candidate out or flags it."""
    stages = {*params.recruit_excluded_stages, *params.recruit_flagged_stages}
    out: dict[str, list[ProjectInfo]] = {}
    for proj in chain.projects:
        if proj.stage in stages and scope.holds(proj.places):
            for investor in proj.investors:
                out.setdefault(investor, []).append(proj)
    return out


def _candidates(
    chain: ChainInfo,
    link_id: str,
    outside: list[EnterpriseInfo],
    scope: Scope,
    params: AnalysisParams,
    projects: dict[str, list[ProjectInfo]],
    scorer: _Scorer,
    top: int,
) -> tuple[list[Candidate], int, list[tuple[EnterpriseInfo, ProjectInfo]]]:
    """The best `top` candidates of the link, how many there are, and those left out.
    `outside` is the link's outside firms, largest first (`Snapshot.candidates`)."""
    excluded_stages = set(params.recruit_excluded_stages)
    flagged = set(params.recruit_flagged_stages)
    pool: list[tuple[EnterpriseInfo, list[ProjectInfo]]] = []
    left_out: list[tuple[EnterpriseInfo, ProjectInfo]] = []
    others = outside
    if scope.id is not None and params.recruit_province_firms:
        others = others + [e for e in chain.rolled_local[link_id] if not scope.holds(e.places)]
    for ent in others:
        own = projects.get(ent.id)
        if own is None:
            pool.append((ent, []))
            continue
        done = [p for p in own if p.stage in excluded_stages]
        if done:
            left_out.append((ent, done[0]))
        else:
            pool.append((ent, [p for p in own if p.stage in flagged]))
    subtree = scorer.snap.links[link_id].subtree
    scales = [link_revenue(ent, subtree)[0] or 0.0 for ent, _ in pool]
    top_log = math.log1p(max(scales, default=0.0))
    keyed = (
        (-scorer.quick(ent, top_log, scales[i]), -scales[i], ent.name, ent.id, i)
        for i, (ent, _) in enumerate(pool)
    )
    best = heapq.nsmallest(top, keyed)
    # the ones shown and left out, whole (candidates come with their score inputs only)
    whole = scorer.snap.complete([pool[k[-1]][0] for k in best] + [e for e, _ in left_out])
    shown = [
        scorer.score(whole[pool[k[-1]][0].id], pool[k[-1]][1], top_log, scales[k[-1]]) for k in best
    ]
    return shown, len(pool), [(whole[e.id], proj) for e, proj in left_out]


def _nearby(
    snap: Snapshot, chain: ChainInfo, link_id: str, scope: Scope, top: int
) -> list[NearbyItem]:
    """省内协同配套: firms of the link elsewhere in the province, largest first (nearby supply,
    not recruitment targets)."""
    link = snap.links[link_id]
    out = []
    for ent in [e for e in chain.rolled_local[link_id] if not scope.holds(e.places)][:top]:
        where = place_text(ent.region) or "地区未填"
        revenue = f"，营收{fmt_yi(ent.revenue)}亿元" if ent.revenue is not None else ""
        out.append(
            NearbyItem(
                link=link.name,
                link_id=link.id,
                enterprise_id=ent.id,
                enterprise=ent.name,
                region=place_text(ent.region),
                revenue=ent.revenue,
                tags=sorted(ent.tags),
                reasons=[
                    f"省内{scope.zh}以外企业（{where}{revenue}），可就近配套协作，不作为招商对象"
                ],
                source=ent.source,
                demo=ent.source == DEMO_SOURCE,
            )
        )
    return out


class _Scorer:
    """Scores candidates for one recruitment list; tag and place lookups are memoised."""

    def __init__(self, snap: Snapshot, params: AnalysisParams, local_chain: set[str]) -> None:
        self.snap, self.params, self.local_chain = snap, params, local_chain
        weights = recruit_weights(params)
        total = params.recruit_weights_total()
        self.w = {k: v / total for k, v in weights.items()}
        self._standing: dict[frozenset[str], float] = {}
        self._affinity: dict[str | None, str | None] = {}

    def _parts(
        self, ent: EnterpriseInfo, top_log: float, size: float
    ) -> tuple[float, float, float, float]:
        """scale, standing, proximity, affinity."""
        local = self.local_chain
        near = (ent.supplies and not local.isdisjoint(ent.supplies)) or (
            ent.invests and not local.isdisjoint(ent.invests)
        )
        standing = self._standing.get(ent.tags)
        if standing is None:
            points = self.params.recruit_standing_points
            standing = self._standing[ent.tags] = max(
                (points.get(t, 0.0) for t in ent.tags), default=0.0
            )
        if ent.region not in self._affinity:
            self._affinity[ent.region] = source_region(ent.region, self.params)
        scale = math.log1p(size) / top_log if top_log > 0 else 0.0
        return scale, standing, 1.0 if near else 0.0, 1.0 if self._affinity[ent.region] else 0.0

    def quick(self, ent: EnterpriseInfo, top_log: float, size: float) -> float:
        """The score alone (the ranking); `score` explains the ones shown. `size` is the
        firm's revenue in the link (its 分环节营收 when given, else its whole revenue)."""
        scale, standing, proximity, affinity = self._parts(ent, top_log, size)
        w = self.w
        return round(
            w["scale"] * scale
            + w["standing"] * standing
            + w["proximity"] * proximity
            + w["affinity"] * affinity,
            4,
        )

    def score(
        self, ent: EnterpriseInfo, talks: list[ProjectInfo], top_log: float, size: float
    ) -> Candidate:
        scale, standing, proximity, affinity = self._parts(ent, top_log, size)
        near = (ent.supplies | ent.invests) & self.local_chain
        partners = sorted((self.snap.enterprises[p] for p in near), key=lambda e: e.id)
        components = {
            "scale": scale,
            "standing": standing,
            "proximity": proximity,
            "affinity": affinity,
        }
        return Candidate(
            ent,
            components,
            self.quick(ent, top_log, size),
            partners,
            self._affinity[ent.region],
            talks,
        )


def recruit_weights(params: AnalysisParams) -> dict[str, float]:
    return {
        "scale": params.recruit_weight_scale,
        "standing": params.recruit_weight_standing,
        "proximity": params.recruit_weight_proximity,
        "affinity": params.recruit_weight_affinity,
    }


def source_region(region: str | None, params: AnalysisParams) -> str | None:
    """The configured source region (粤港澳, 长三角, …) a place belongs to, if any."""
    if not region:
        return None
    for name, places in params.recruit_source_regions.items():
        if any(place and place in region for place in places):
            return name
    return None


def _item(
    snap: Snapshot,
    result: ChainDiagnosis,
    link_id: str,
    c: Candidate,
    rank: int,
    scope: Scope,
    params: AnalysisParams,
) -> RecruitItem:
    link, status = snap.links[link_id], result.verdicts[link_id].status
    score_100 = round(c.score * 100)
    return RecruitItem(
        link=link.name,
        link_id=link.id,
        link_stage=display_stage(snap, link),
        link_status=status,
        link_status_zh=STATUS_ZH[status],
        rank=rank,
        enterprise_id=c.ent.id,
        enterprise=c.ent.name,
        region=place_text(c.ent.region),
        revenue=c.ent.revenue,
        tags=sorted(c.ent.tags),
        score=c.score,
        score_100=score_100,
        grade=grade(score_100, params),
        components=RecruitComponents(**{k: round(v, 4) for k, v in c.components.items()}),
        pipeline_stage=c.talks[0].stage if c.talks else None,
        reasons=_reasons(snap, link_id, c, scope, params),
        source=c.ent.source,
        demo=c.ent.source == DEMO_SOURCE,
    )


def _reasons(
    snap: Snapshot, link_id: str, c: Candidate, scope: Scope, params: AnalysisParams
) -> list[str]:
    ent, out = c.ent, []
    subtree = snap.links[link_id].subtree
    mine = [x for x in ent.links if x in subtree]
    here = "、".join(snap.links[x].name for x in mine)
    out.append(_business(snap, ent, mine, here, params))
    size, by_figure = link_revenue(ent, subtree)
    if by_figure and size is not None:
        whole = f"，企业营收{fmt_yi(ent.revenue)}亿元" if ent.revenue is not None else ""
        out.append(f"规模：{here}业务营收{fmt_yi(size)}亿元（按分环节营收计{whole}）")
    elif ent.revenue is not None:
        out.append(f"规模：营收{fmt_yi(ent.revenue)}亿元（企业整体，未填分环节营收）")
    standing = [t for t in ent.tags if t not in ("高新技术企业", "专精特新")]
    if standing:
        out.append(f"地位：{tag_text(frozenset(standing))}")
    supplied = [p.name for p in c.partners if p.id in ent.supplies]
    invested = [p.name for p in c.partners if p.id in ent.invests]
    if supplied:
        out.append(f"已向本地链上企业供货：{'、'.join(supplied[:3])}")
    if invested:
        out.append(f"已投资本地链上企业：{'、'.join(invested[:3])}")
    if c.affinity:
        out.append(f"来自{c.affinity}（{place_text(ent.region)}），属重点招商来源地")
    elif ent.local:
        where = place_text(ent.region) or "地区未填"
        out.append(f"省内{scope.zh}以外企业（{where}），可引导就近布局")
    for proj in c.talks:
        amount = f"，{fmt_yi(proj.amount)}亿元" if proj.amount is not None else ""
        out.append(f"已有{proj.stage}项目：{proj.name}{amount}，应加快推进签约")
    return out


def _business(
    snap: Snapshot, ent: EnterpriseInfo, mine: list[str], here: str, params: AnalysisParams
) -> str:
    """ "主营X环节" only when X is the firm's main business: one of its 主要产品 is the link
    (or a sub-link) by name, or its 分环节营收 there is at least `recruit_main_share` of its
    revenue; otherwise it is active in X."""
    names = {snap.links[x].name for x in mine}
    products = set(ent.products)
    share = 0.0
    for x in mine:
        revenue, part = (ent.figures or {}).get(x, (None, None))
        if part is None and revenue is not None and ent.revenue:
            part = revenue / ent.revenue
        share += part or 0.0
    if names & products or any(n in p for n in names for p in products):
        return f"主营{here}环节（主要产品：{'、'.join(ent.products[:4])}）"
    if share >= params.recruit_main_share:
        return f"主营{here}环节（占企业营收{share_text(share)}）"
    if share > 0:
        return f"涉足{here}环节（占企业营收{share_text(share)}，非主营）"
    if ent.products:
        return f"涉足{here}环节（主要产品为{'、'.join(ent.products[:3])}）"
    return f"涉足{here}环节（未填主要产品，主营业务待核实）"


def _excluded(
    snap: Snapshot, link_id: str, ent: EnterpriseInfo, proj: ProjectInfo
) -> RecruitExcluded:
    return RecruitExcluded(
        link=snap.links[link_id].name,
        enterprise_id=ent.id,
        enterprise=ent.name,
        project=proj.name,
        project_stage=proj.stage,
        reason=f"已有{proj.stage}项目“{proj.name}”，不再列入招商对象",
    )


def _target(
    snap: Snapshot, result: ChainDiagnosis, link_id: str, candidates: int, shown: int
) -> RecruitTarget:
    link, verdict = snap.links[link_id], result.verdicts[link_id]
    reasons = list(verdict.reasons)
    if link.restriction:
        reasons.append(f"招商限制：{link.restriction}，本环节不列招商对象")
    return RecruitTarget(
        link=link.name,
        link_id=link.id,
        stage=display_stage(snap, link),
        key=link.key,
        status=verdict.status,
        status_zh=STATUS_ZH[verdict.status],
        reasons=reasons,
        restriction=link.restriction,
        candidates=candidates,
        shown=shown,
    )
