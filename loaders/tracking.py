"""招商台账: one row per contact with a target enterprise, recorded as a `Contact` node.

A contact's id is a digest of what the row says (enterprise, date, stage, owner, chain,
links), so re-loading the same rows changes nothing, and a new row is a new event.
"""

from __future__ import annotations

from graph_schema.identity import make_id, short_hash
from loaders.context import Context
from loaders.rows import Record


def add_contact(ctx: Context, record: Record) -> None:
    v = record.values
    enterprise = ctx.enterprise_ref(record, "目标企业", v["enterprise"])
    chain = ctx.chain(record, "对接产业链", v["chain"]) if v.get("chain") else None
    links = [
        link
        for name in v.get("links", [])
        if (link := ctx.link(record, "对接环节", name, [chain] if chain else [])) is not None
    ]
    key = "|".join(
        [
            enterprise.id,
            str(v["date"]),
            v.get("stage") or "",
            v.get("owner") or "",
            chain.id if chain else "",
            *sorted(link.id for link in links),
        ]
    )
    props = {
        "stage": v.get("stage"),
        "date": v["date"],
        "owner": v.get("owner"),
        "note": v.get("note"),
        "sources": ctx.sources(record),
        **record.extra,
    }
    name = f"{enterprise.name} {v['date']} {v.get('stage') or '对接'}"
    contact = ctx.add("Contact", make_id("contact", short_hash(key)), name, props)
    ctx.batch.add_edge("CONTACTS", contact, enterprise)
    if chain is not None:
        ctx.batch.add_edge("CONCERNS", contact, chain)
    for link in links:
        ctx.batch.add_edge("CONCERNS", contact, link)
