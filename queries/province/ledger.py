"""The 招商台账: every target enterprise with its latest contact, and who needs one.

Contacts come from the 招商台账 sheet (`Contact` nodes). A target whose latest stage is still
open (not 签约/落地/暂缓) and whose latest contact is older than `ledger_stale_days` is
flagged 久未对接; targets of the current list with no contact at all are listed apart.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from graph_schema import Node
from queries.province.models import Ledger, LedgerItem, NoContact, TargetList
from queries.province.params import ProvinceParams
from queries.snapshot import Snapshot
from store.base import GraphStore


def parse_day(text: Any) -> date | None:
    """A stored DATE (YYYY-MM-DD or YYYY-MM) as a date; a month counts from its first day."""
    if not text:
        return None
    parts = str(text).split("-")
    try:
        year, month = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day)
    except (ValueError, IndexError):
        return None


def contacts_by_enterprise(store: GraphStore) -> dict[str, list[tuple[Node, list[str]]]]:
    """Enterprise id → its contacts, each with the chain and link ids it concerns."""
    contacts = {n.id: n for n in store.iter_nodes("Contact")}
    concerns: dict[str, list[str]] = defaultdict(list)
    for edge in store.iter_edges("CONCERNS"):
        concerns[edge.src].append(edge.dst)
    out: dict[str, list[tuple[Node, list[str]]]] = defaultdict(list)
    for edge in store.iter_edges("CONTACTS"):
        node = contacts.get(edge.src)
        if node is not None:
            out[edge.dst].append((node, concerns.get(node.id, [])))
    return dict(out)


def ledger(
    store: GraphStore,
    snap: Snapshot,
    pparams: ProvinceParams,
    target_list: TargetList,
) -> Ledger:
    """The ledger answer: `items` (one per enterprise contacted, latest contact first within
    the stale ones, then the rest), `no_contact` (targets never contacted)."""
    today = pparams.current_date()
    in_targets = {item.enterprise_id: item for item in target_list.items}
    closed = set(pparams.ledger_closed_stages)
    items: list[LedgerItem] = []
    for ent_id, events in contacts_by_enterprise(store).items():
        events.sort(key=lambda e: (str(e[0].props.get("date") or ""), e[0].id))
        latest = events[-1][0]
        day = parse_day(latest.props.get("date"))
        days = (today - day).days if day is not None else None
        stage = latest.props.get("stage")
        stale = days is not None and days > pparams.ledger_stale_days and stage not in closed
        ent = snap.enterprise(ent_id)  # an outside firm of the pool: from the store
        chains = sorted({c for _, cs in events for c in cs if c in snap.chains})
        links = [c for _, cs in events for c in cs if c in snap.links]
        reasons = []
        if stale:
            reasons.append(
                f"已{days}天未对接（超过{pparams.ledger_stale_days}天），最近一次：{latest.props.get('date')} {stage or ''}".rstrip()
            )
        items.append(
            LedgerItem(
                enterprise=ent.name if ent else latest.name,
                enterprise_id=ent_id,
                chains=[snap.chains[c].name for c in chains],
                links=list(dict.fromkeys(snap.links[x].name for x in links)),
                stage=_text(stage),
                date=_text(latest.props.get("date")),
                owner=_text(latest.props.get("owner")),
                note=_text(latest.props.get("note")),
                days_since=days,
                stale=stale,
                events=len(events),
                in_targets=ent_id in in_targets,
                sources=[str(s) for s in latest.props.get("sources") or ()],
                reasons=reasons,
            )
        )
    items.sort(key=lambda i: (not i.stale, -(i.days_since or 0), i.enterprise))
    contacted = {i.enterprise_id for i in items}
    no_contact = [
        NoContact(
            enterprise=t.enterprise,
            enterprise_id=t.enterprise_id,
            score=t.score,
            host=t.host,
            reason="在本年度目标企业清单中，但招商台账无任何对接记录",
        )
        for t in target_list.items
        if t.enterprise_id not in contacted
    ]
    return Ledger(
        today=today.isoformat(),
        stale_days=pparams.ledger_stale_days,
        items=items,
        no_contact=no_contact,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
