"""技术路线图: a chain's technologies in lanes by maturity (研发 → 中试 → 产业化), by the links
they enable, 卡脖子 ones marked, each with its lead unit and the problems that name it."""

from __future__ import annotations

from graph_schema.definitions import TECH_MATURITIES
from queries.answers import ProblemRef, RoadmapItem, RoadmapLane, RoadmapOut
from queries.lists import ListBook
from queries.scope import find_chain
from queries.snapshot import Snapshot

__all__ = ["roadmap"]

UNSTAGED = "未注明"


def roadmap(book: ListBook, snap: Snapshot, chain_text: str) -> RoadmapOut:
    """The technologies of a chain in lanes by maturity, bottlenecks counted."""
    chain = find_chain(snap, chain_text)
    order = {link_id: i for i, link_id in enumerate(chain.links)}
    items = []
    for tech in book.technologies:
        if tech.chain != chain.id:
            continue
        links = sorted(tech.links, key=lambda x: order.get(x, len(order)))
        naming = [p for p in snap.problems.values() if tech.name in p.name]
        items.append(
            RoadmapItem(
                id=tech.id,
                name=tech.name,
                maturity=tech.maturity or UNSTAGED,
                bottleneck=tech.bottleneck,
                lead=tech.lead,
                links=[snap.links[x].name for x in links],
                problems=[
                    ProblemRef(description=p.name, type=p.type, status=p.status) for p in naming
                ],
                first_link=min((order.get(x, len(order)) for x in links), default=len(order)),
            )
        )
    items.sort(key=lambda t: (t.first_link, t.name))
    lanes = [
        RoadmapLane(maturity=m, items=[t for t in items if t.maturity == m])
        for m in (*TECH_MATURITIES, UNSTAGED)
    ]
    return RoadmapOut(
        chain=chain.name,
        chain_id=chain.id,
        lanes=[lane for lane in lanes if lane.items or lane.maturity != UNSTAGED],
        total=len(items),
        bottlenecks=sum(t.bottleneck for t in items),
    )
