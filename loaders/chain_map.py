"""产业链图: industries, chains and their links, with parents, stages and downstream edges."""

from __future__ import annotations

from graph_schema import Node
from graph_schema.identity import make_id
from loaders.cells import did_you_mean
from loaders.context import Context
from loaders.rows import Record

_LEVELS = ("环节", "细分环节", "产品")


def add_chain_map(ctx: Context, records: list[Record]) -> None:
    """Two passes: every link first, so parents and downstream links may come later."""
    placed: dict[str, tuple[Node, Record]] = {}
    for record in records:
        link = _add_link(ctx, record, placed)
        if link is not None:
            placed[link.id] = (link, record)
    parents: dict[str, str] = {}
    for link, record in placed.values():
        chain_id = link.props["chain"]
        parent = _parent(ctx, record, chain_id)
        if parent is not None:
            parents[link.id] = parent.id
        _downstream(ctx, record, link, chain_id)
    cyclic = _cycles(parents)
    for link_id in (i for i in placed if i in cyclic):
        link, record = placed[link_id]
        ctx.error(record, "上级环节", f"上级环节形成循环：{_cycle_text(ctx, parents, link_id)}")
    for link_id, parent_id in parents.items():
        if link_id not in cyclic:
            ctx.batch.add_edge("PART_OF", ctx.node(link_id), ctx.node(parent_id))
    _levels_and_stages(ctx, placed, parents, cyclic)


def _add_link(ctx: Context, record: Record, placed: dict[str, tuple[Node, Record]]) -> Node | None:
    values = record.values
    sources = ctx.sources(record)
    chain_name, link_name = values["chain"], values["link"]
    chain_id = ctx.find("Chain", chain_name) or make_id("chain", chain_name)
    chain = ctx.add(
        "Chain", chain_id, chain_name, {"industry": values.get("industry"), "sources": sources}
    )
    if values.get("industry"):
        industry_id = ctx.find("Industry", values["industry"]) or make_id(
            "industry", values["industry"]
        )
        industry = ctx.add("Industry", industry_id, values["industry"], {"sources": sources})
        ctx.batch.add_edge("HAS_CHAIN", industry, chain)
    scope = ctx.links.setdefault(chain.id, {})
    link_id = scope.get(link_name) or make_id("link", chain.name, link_name)
    if link_id in placed:
        first = placed[link_id][1]
        ctx.warn(
            record,
            "环节",
            f"与第{first.row}行重复（产业链“{chain.name}”的环节“{link_name}”），已合并",
        )
    props = {
        "chain": chain.id,
        "stage": values.get("stage"),
        "key": values.get("key"),
        "note": values.get("note"),
        "recruit_restriction": values.get("recruit_restriction"),
        "sources": sources,
        **record.extra,
    }
    link = ctx.add("Link", link_id, link_name, props)
    scope[link_name] = link.id
    ctx.batch.add_edge("HAS_LINK", chain, link)
    return link


def _parent(ctx: Context, record: Record, chain_id: str) -> Node | None:
    name = record.values.get("parent")
    if not name:
        return None
    scope = ctx.links.get(chain_id, {})
    if name == record.values["link"]:
        ctx.error(record, "上级环节", f"环节“{name}”不能以自身为上级环节")
        return None
    if name not in scope:
        hint = did_you_mean(name, list(scope))
        ctx.error(
            record,
            "上级环节",
            f"未知上级环节“{name}”（产业链“{ctx.node(chain_id).name}”中无此环节{hint}）",
        )
        return None
    return ctx.node(scope[name])


def _downstream(ctx: Context, record: Record, link: Node, chain_id: str) -> None:
    scope = ctx.links.get(chain_id, {})
    for name in record.values.get("downstream", []):
        if name == link.name:
            ctx.error(record, "下游环节", f"环节“{name}”不能以自身为下游环节")
        elif name not in scope:
            hint = did_you_mean(name, list(scope))
            chain = ctx.node(chain_id).name
            ctx.error(
                record, "下游环节", f"未知下游环节“{name}”（产业链“{chain}”中无此环节{hint}）"
            )
        else:
            ctx.batch.add_edge("SUPPLIES_TO", link, ctx.node(scope[name]))


def _cycles(parents: dict[str, str]) -> set[str]:
    """Links whose chain of parents comes back to itself."""
    cyclic: set[str] = set()
    for start in parents:
        seen = [start]
        current = parents.get(start)
        while current is not None and current not in seen:
            seen.append(current)
            current = parents.get(current)
        if current == start:
            cyclic.add(start)
    return cyclic


def _cycle_text(ctx: Context, parents: dict[str, str], start: str) -> str:
    names = [ctx.node(start).name]
    current = parents[start]
    while current != start:
        names.append(ctx.node(current).name)
        current = parents[current]
    return " → ".join([*names, names[0]])


def _levels_and_stages(
    ctx: Context, placed: dict[str, tuple[Node, Record]], parents: dict[str, str], cyclic: set[str]
) -> None:
    for link_id, (link, record) in placed.items():
        if link_id in cyclic:
            continue
        ancestors = _ancestors(parents, link_id)
        link.props["level"] = _LEVELS[min(len(ancestors), 2)]
        if link.props.get("stage"):
            continue
        stage = next((s for a in ancestors if (s := ctx.node(a).props.get("stage"))), None)
        if stage:
            link.props["stage"] = stage
        else:
            ctx.warn(record, "链位", f"环节“{link.name}”未填链位，且上级环节也未填写")


def _ancestors(parents: dict[str, str], link_id: str) -> list[str]:
    out: list[str] = []
    current = parents.get(link_id)
    while current is not None and current not in out:
        out.append(current)
        current = parents.get(current)
    return out
