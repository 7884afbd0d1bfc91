"""链主指数: which local enterprises anchor a chain, with every component visible.

Components, each in [0, 1] within the chain and scope: scale (revenue ÷ the largest),
breadth (share of the chain's links it is in), pull (distinct local partners through
SUPPLIES either way ÷ the most any local enterprise has), centrality (PageRank on the
chain's supply network ÷ the highest among the local enterprises) and standing (the best
of the declared tags' points). The index is their weighted mean (weights in AnalysisParams).
"""

from __future__ import annotations

from dataclasses import dataclass

from queries.answers import AnchorComponents, AnchorInputsOut, AnchorOut, AnchorsOut
from queries.params import AnalysisParams
from queries.scope import Scope, find_chain, find_scope
from queries.snapshot import ChainInfo, EnterpriseInfo, Snapshot
from queries.wording import DEMO_SOURCE, demo_notice, fmt_yi, share_text, tag_text

COMPONENTS = ("scale", "breadth", "pull", "centrality", "standing")


@dataclass(slots=True)
class AnchorInputs:
    ent: EnterpriseInfo
    links: list[str]
    partners: int
    pagerank: float


@dataclass(frozen=True, slots=True)
class _Tops:
    """The largest value of each raw input among the ranked enterprises."""

    revenue: float
    partners: int
    pagerank: float


def rank_anchors(
    snap: Snapshot,
    chain: str,
    params: AnalysisParams,
    region: str | None = None,
    top: int | None = None,
) -> AnchorsOut:
    """The `anchors` answer (docs/analyses.md): local enterprises by 链主指数, best first."""
    info = find_chain(snap, chain)
    scope = find_scope(snap, region)
    inputs = anchor_inputs(snap, info, scope, params)
    tops = _Tops(
        max((i.ent.revenue or 0.0 for i in inputs), default=0.0),
        max((i.partners for i in inputs), default=0),
        max((i.pagerank for i in inputs), default=0.0),
    )
    designated_tag = params.anchor_designated_tag
    scored = sorted(
        ((_index(info, item, tops, params), item) for item in inputs),
        key=lambda pair: (
            designated_tag not in pair[1].ent.tags,  # the officially designated ones first
            -pair[0][0],
            -(pair[1].ent.revenue or 0.0),
            pair[1].ent.name,
        ),
    )
    rows = []
    candidates = 0
    for rank, ((score, components), item) in enumerate(scored[: top or params.anchors_top], 1):
        designated = designated_tag in item.ent.tags
        if not designated:
            candidates += 1
        rows.append(
            _row(snap, item, score, components, params, rank, None if designated else candidates)
        )
    demo_rows = sum(item.ent.source == DEMO_SOURCE for _, item in scored)
    return AnchorsOut(
        chain=info.name,
        chain_id=info.id,
        region=scope.name,
        graph_version=snap.version,
        demo_data=demo_rows > 0,
        demo_rows=demo_rows,
        notice=demo_notice(demo_rows),
        total=len(scored),
        weights=AnchorComponents(**_weights(params)),
        anchors=rows,
    )


def anchor_inputs(
    snap: Snapshot, chain: ChainInfo, scope: Scope, params: AnalysisParams
) -> list[AnchorInputs]:
    everywhere = scope.id is None
    local = [e for e in chain.local_members if everywhere or scope.holds(e.places)]
    rank = snap.pagerank(chain, params.anchor_pagerank_alpha)
    out = []
    for ent in local:
        ent_id = ent.id
        connected = bool(ent.supplies or ent.supplied_by)
        partners = (
            {
                p
                for p in ent.supplies | ent.supplied_by
                if snap.enterprises[p].local and scope.holds(snap.enterprises[p].places)
            }
            if connected
            else set()
        )
        links = [link for link in ent.links if snap.links[link].chain == chain.id]
        out.append(AnchorInputs(ent, links, len(partners), rank.get(ent_id, 0.0) * connected))
    return out


def _index(
    chain: ChainInfo, item: AnchorInputs, tops: _Tops, params: AnalysisParams
) -> tuple[float, dict[str, float]]:
    """The 链主指数 and its components."""
    ent = item.ent
    components = {
        "scale": _ratio(ent.revenue or 0.0, tops.revenue),
        "breadth": _ratio(len(item.links), len(chain.links)),
        "pull": _ratio(item.partners, tops.partners),
        "centrality": _ratio(item.pagerank, tops.pagerank),
        "standing": max((params.anchor_standing_points.get(t, 0.0) for t in ent.tags), default=0.0),
    }
    weights = _weights(params)
    score = sum(weights[c] * components[c] for c in COMPONENTS) / params.anchor_weights_total()
    return round(score, 4), components


def _row(
    snap: Snapshot,
    item: AnchorInputs,
    score: float,
    components: dict[str, float],
    params: AnalysisParams,
    rank: int,
    candidate_rank: int | None,
) -> AnchorOut:
    ent = item.ent
    designated = candidate_rank is None
    reasons = _reasons(snap, item, components, params)
    rounded = {c: round(v, 4) for c, v in components.items()}
    return AnchorOut(
        id=ent.id,
        name=ent.name,
        score=score,
        components=AnchorComponents(**rounded),
        inputs=AnchorInputsOut(
            revenue=ent.revenue,
            links=[snap.links[link].name for link in item.links],
            local_partners=item.partners,
            pagerank=round(item.pagerank, 6),
            tags=sorted(ent.tags),
        ),
        reasons=reasons,
        rank=rank,
        designated=designated,
        designation="已认定" if designated else "候选",
        candidate_rank=candidate_rank,
        sentence=_sentence(ent.name, score, rounded, reasons, rank, candidate_rank),
    )


def _ratio(value: float, top: float) -> float:
    return min(1.0, value / top) if top > 0 else 0.0


def _weights(params: AnalysisParams) -> dict[str, float]:
    return {
        "scale": params.anchor_weight_scale,
        "breadth": params.anchor_weight_breadth,
        "pull": params.anchor_weight_pull,
        "centrality": params.anchor_weight_centrality,
        "standing": params.anchor_weight_standing,
    }


def _reasons(
    snap: Snapshot, item: AnchorInputs, c: dict[str, float], params: AnalysisParams
) -> list[str]:
    ent = item.ent
    if ent.revenue is None:
        revenue = "未填营收"
    elif c["scale"] >= 1:
        revenue = f"营收{fmt_yi(ent.revenue)}亿元，为本链本地营收最大的企业"
    else:
        revenue = f"营收{fmt_yi(ent.revenue)}亿元，为本链本地最大企业的{share_text(c['scale'])}"
    names = "、".join(snap.links[link].name for link in item.links[:5])
    out = [revenue, f"覆盖本链{len(item.links)}个环节（{names}）"]
    if item.partners:
        out.append(f"与{item.partners}家本地企业有供货关系")
    if item.pagerank > 0 and c["centrality"] >= 1:
        out.append("供应网络中心度为本链本地企业最高")
    elif item.pagerank > 0:
        out.append(f"供应网络中心度为本链本地最高者的{share_text(c['centrality'])}")
    declared = [t for t in ent.tags if t in params.anchor_standing_points]
    if declared:
        out.append(f"认定身份：{tag_text(frozenset(declared))}")
    return out


def _sentence(
    name: str,
    score: float,
    c: dict[str, float],
    reasons: list[str],
    rank: int,
    candidate_rank: int | None,
) -> str:
    """One sentence an officer can read aloud: rank, index and the strongest reasons."""
    strongest = sorted(
        (k for k in COMPONENTS if c[k] > 0), key=lambda k: (-c[k], COMPONENTS.index(k))
    )
    zh = {
        "scale": "规模",
        "breadth": "环节覆盖",
        "pull": "本地配套带动",
        "centrality": "供应网络地位",
        "standing": "认定身份",
    }
    lead = "、".join(zh[k] for k in strongest[:2]) or "各项指标"
    if candidate_rank is None:
        place = "为已认定的链主企业"
    else:
        place = f"居本链本地候选链主第{candidate_rank or rank}位"
    return f"{name}链主指数{score:.2f}，{place}，主要得益于{lead}：{'；'.join(reasons)}。"
