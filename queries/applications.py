"""应用领域图: per chain, the links feeding each application field and what blocks it — the
feeding links (with their sub-links) that are weak, missing or broken in the scope."""

from __future__ import annotations

from queries.answers import ApplicationItem, ApplicationsOut, FeedingLink, LinkStatus
from queries.diagnosis import Verdict, run
from queries.lists import ListBook
from queries.params import AnalysisParams
from queries.scope import find_chain, find_scope
from queries.snapshot import Snapshot
from queries.wording import STATUS_ZH

__all__ = ["applications"]

BLOCKING = ("broken", "missing", "weak")


def applications(
    book: ListBook, snap: Snapshot, chain_text: str, region: str | None, params: AnalysisParams
) -> ApplicationsOut:
    """A bipartite view: links on one side, application fields on the other, each field with
    the feeding links that block it."""
    chain = find_chain(snap, chain_text)
    scope = find_scope(snap, region)
    results = {chain.id: run(snap, chain, scope, params)}

    def verdict_of(link_id: str) -> Verdict:
        """The link's verdict in its own chain (a field may draw on another chain's link)."""
        owner = snap.links[link_id].chain
        if owner not in results:
            results[owner] = run(snap, snap.chains[owner], scope, params)
        return results[owner].verdicts[link_id]

    order = {link_id: i for i, link_id in enumerate(chain.links)}
    items = []
    for app in book.applications:
        if app.chain != chain.id:
            continue
        feeding = sorted(dict.fromkeys(app.links), key=lambda x: order.get(x, len(order)))
        links = []
        for link_id in feeding:
            verdict = verdict_of(link_id)
            other = snap.links[link_id].chain != chain.id
            links.append(
                FeedingLink(
                    id=link_id,
                    name=snap.links[link_id].name
                    + (f"（{snap.chains[snap.links[link_id].chain].name}）" if other else ""),
                    status=verdict.status,
                    status_zh=STATUS_ZH[verdict.status],
                    reasons=verdict.reasons,
                )
            )
        blocked = [x for x in links if x.status in BLOCKING]
        worst = next((s for s in BLOCKING if any(x.status == s for x in links)), "strong")
        items.append(
            ApplicationItem(
                id=app.id,
                name=app.name,
                links=links,
                blocked_by=[x.name for x in blocked],
                status=worst if links else None,
            )
        )
    items.sort(key=lambda a: (-len(a.blocked_by), a.name))
    seen = {x.id: x for item in items for x in item.links}
    return ApplicationsOut(
        chain=chain.name,
        chain_id=chain.id,
        region=scope.name,
        items=items,
        links=[
            LinkStatus(id=x.id, name=x.name, status=x.status, status_zh=x.status_zh)
            for x in seen.values()
        ],
    )
