"""区域分布图 and the five lists (企业, 项目, 集群, 政策, 问题) plus 技术路线图 and 应用领域图."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from graph_schema import Node
from graph_schema.identity import NodeNumbers, clean_text, make_id, normalise_name, short_hash
from loaders.context import Context
from loaders.rows import Record

_INVESTED_STAGES = {"达产": "投产"}


def add_regions(ctx: Context, records: Iterable[Record]) -> None:
    for record in records:
        v = record.values
        region = ctx.region(record, "地区", v["region"], local=True)
        if not v.get("park"):
            continue
        park = ctx.park(record, v["park"], region, authoritative=True)
        if v.get("park_level"):
            park.props["level"] = v["park_level"]
        park.props.update(record.extra)
        focus = [(v["primary_chain"], "首位", "首位产业")] if v.get("primary_chain") else []
        focus += [
            (c, "主导", "主导产业") for c in v.get("main_chains", []) if c != v.get("primary_chain")
        ]
        for name, priority, column in focus:
            target = ctx.focus(record, column, name)
            ctx.batch.add_edge("FOCUSES_ON", park, target, {"priority": priority})


class EnterpriseSheet:
    """企业清单: enterprises with their links; supply and investment names resolved at the end."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows_by_id = NodeNumbers(ctx.index)  # the row each enterprise was first on
        self.refs: list[tuple[Record, Node]] = []  # rows naming customers or investees

    def add(self, record: Record) -> None:
        ctx, v = self.ctx, record.values
        node = self._node(record)
        chains = ctx.chains(record, "所属产业链", v.get("chain", []))
        figures = _link_figures(ctx, record)
        for link_name in v["links"]:
            link = ctx.link(record, "所属环节", link_name, chains)
            if link is not None:
                ctx.batch.add_edge("IN_LINK", node, link, figures.get(link_name))
        _place(ctx, record, node, local=v["local"])
        if v.get("customers") or v.get("investees"):
            # Only what `finish` needs: the whole row would be kept for the rest of the sheet.
            slim = {k: v[k] for k in ("customers", "investees") if v.get(k)}
            self.refs.append(
                (replace(record, values=slim, extra={}), Node(node.label, node.id, ""))
            )

    def _node(self, record: Record) -> Node:
        ctx, v = self.ctx, record.values
        code = v.get("credit_code")
        node_id = ctx.enterprise(v["name"], code)
        if node_id is None:
            node_id = ctx.unique_id("Enterprise", make_id("ent", code or normalise_name(v["name"])))
        name = v["name"]
        first_row = self.rows_by_id.get(node_id)
        if first_row:
            ctx.warn(record, "企业名称", f"与第{first_row}行为同一企业，已合并")
            if node_id not in ctx.batch.nodes:  # written in an earlier part of this load
                name = ctx.index.nodes[node_id].name  # the first name wins, as in one batch
        props = {
            key: v.get(key)
            for key in ("credit_code", "local", "revenue", "tags", "products", "aliases")
        }
        props.update(record.extra)
        props["sources"] = ctx.sources(record)
        node = ctx.add("Enterprise", node_id, name, props)
        if not first_row:  # set once the node is in the index: 4 bytes rather than a dict entry
            self.rows_by_id.set(node_id, record.row)
        return node

    def finish(self) -> None:
        """Supply and investment edges, once every enterprise of the sheet is known."""
        for record, node in self.refs:
            for name in record.values.get("customers", []):
                other = self.ctx.enterprise_ref(record, "供应对象", name)
                if other.id != node.id:
                    self.ctx.batch.add_edge("SUPPLIES", node, other)
            for name in record.values.get("investees", []):
                other = self.ctx.enterprise_ref(record, "投资对象", name)
                if other.id != node.id:
                    self.ctx.batch.add_edge("INVESTS_IN", node, other)


_FIGURE = re.compile(
    r"^(?P<link>.+?)\s*[:：]\s*(?P<value>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>%|％|亿元|万元)?$"
)


def _link_figures(ctx: Context, record: Record) -> dict[str, dict[str, float]]:
    """分环节营收: "正极材料:120" (亿元) or "电解液:15%" (of the firm's revenue), per link of
    the row; an entry naming a link the row does not list, or unreadable, is an error."""
    v = record.values
    out: dict[str, dict[str, float]] = {}
    for entry in v.get("link_figures", []):
        found = _FIGURE.match(clean_text(entry))
        if found is None:
            ctx.error(
                record,
                "分环节营收",
                f"无法识别“{entry}”：应写作 环节:营收（亿元）或 环节:比例%，如 正极材料:120、电解液:15%",
            )
            continue
        name, value, unit = found["link"], float(found["value"]), found["unit"]
        if name not in v["links"]:
            ctx.error(record, "分环节营收", f"环节“{name}”不在本行“所属环节”中")
        elif unit in ("%", "％"):
            if value > 100:
                ctx.error(record, "分环节营收", f"“{entry}”的比例超过100%")
            else:
                share = value / 100
                figure = {"share": share}
                if v.get("revenue") is not None:
                    figure["revenue"] = round(float(v["revenue"]) * share, 4)
                out[name] = figure
        else:
            out[name] = {"revenue": value / 10_000 if unit == "万元" else value}
    return out


def add_project(ctx: Context, record: Record, seen: dict[str, int]) -> None:
    v = record.values
    node_id = ctx.find("Project", v["name"]) or make_id("proj", normalise_name(v["name"]))
    if node_id in seen:
        ctx.warn(record, "项目名称", f"与第{seen[node_id]}行为同一项目，已合并")
    seen.setdefault(node_id, record.row)
    stage = _INVESTED_STAGES.get(v["stage"], v["stage"])
    chain = ctx.chain(record, "所属产业链", v["chain"]) if v.get("chain") else None
    props = {
        "amount": v.get("amount"),
        "stage": stage,
        "stage_raw": v["stage"] if stage != v["stage"] else None,
        "is_5020": v.get("is_5020"),
        "year": v.get("year"),
        "chain": chain.id if chain else None,
        "sources": ctx.sources(record),
        **record.extra,
    }
    project = ctx.add("Project", node_id, v["name"], props)
    if v.get("investor"):
        ctx.batch.add_edge("BY", project, ctx.enterprise_ref(record, "投资主体", v["investor"]))
    for name in v.get("links", []):
        link = ctx.link(record, "所属环节", name, [chain] if chain else [])
        if link is not None:
            ctx.batch.add_edge("FILLS", project, link)
    _place(ctx, record, project)


def _place(ctx: Context, record: Record, node: Node, local: bool = True) -> None:
    """Located in the row's region and park. Projects and clusters are in the province,
    whoever invests (`local`); an enterprise is where its 是否省内 says."""
    v = record.values
    region = ctx.region(record, "所在地区", v["region"], local) if v.get("region") else None
    if region is not None:
        node.props["region"] = region.props["path"]
        ctx.batch.add_edge("LOCATED_IN", node, region)
    if v.get("park"):
        park = ctx.park(record, v["park"], region)
        node.props["park"] = park.name
        ctx.batch.add_edge("LOCATED_IN", node, park)


def add_cluster(ctx: Context, record: Record) -> None:
    v = record.values
    node_id = ctx.find("Cluster", v["name"]) or make_id("cluster", v["name"])
    props = {"level": v.get("level"), "revenue": v.get("revenue"), "sources": ctx.sources(record)}
    cluster = ctx.add("Cluster", node_id, v["name"], {**props, **record.extra})
    if v.get("chain"):
        chain = ctx.chain(record, "所属产业链", v["chain"])
        if chain is not None:
            ctx.batch.add_edge("IN_CHAIN", cluster, chain)
    _place(ctx, record, cluster)
    for column, key, role in (("龙头企业", "leaders", "龙头"), ("成员企业", "members", "成员")):
        for name in v.get(key, []):
            member = ctx.enterprise_ref(record, column, name)
            edge = ctx.batch.edges.get(("MEMBER_OF", member.id, cluster.id))
            if edge is None or edge.props.get("role") != "龙头":
                ctx.batch.add_edge("MEMBER_OF", member, cluster, {"role": role})


def add_policy(ctx: Context, record: Record) -> None:
    v = record.values
    key = v.get("doc_number") or v["name"]
    node_id = ctx.find("Policy", v["name"]) or make_id("policy", key)
    props = {k: v.get(k) for k in ("doc_number", "issuer", "date", "summary")}
    policy = ctx.add(
        "Policy", node_id, v["name"], {**props, "sources": ctx.sources(record), **record.extra}
    )
    chains = ctx.chains(record, "支持产业链", v.get("chains", []))
    for chain in chains:
        ctx.batch.add_edge("SUPPORTS", policy, chain)
    for name in v.get("links", []):
        link = ctx.link(record, "支持环节", name, chains)
        if link is not None:
            ctx.batch.add_edge("SUPPORTS", policy, link)


def add_problem(ctx: Context, record: Record) -> None:
    v = record.values
    chain = ctx.chain(record, "所属产业链", v["chain"]) if v.get("chain") else None
    digest = short_hash((chain.id if chain else "") + "|" + v["description"])
    props = {
        "type": v.get("type"),
        "status": v.get("status", "待办"),
        "owner": v.get("owner"),
        "chain": chain.id if chain else None,
        "sources": ctx.sources(record),
        **record.extra,
    }
    problem = ctx.add("Problem", make_id("problem", digest), v["description"], props)
    for name in v.get("links", []):
        link = ctx.link(record, "涉及环节", name, [chain] if chain else [])
        if link is not None:
            ctx.batch.add_edge("AFFECTS", problem, link)
    for name in v.get("enterprises", []):
        ctx.batch.add_edge("AFFECTS", problem, ctx.enterprise_ref(record, "涉及企业", name))


def add_technology(ctx: Context, record: Record) -> None:
    v = record.values
    chain = ctx.chain(record, "所属产业链", v["chain"]) if v.get("chain") else None
    node_id = ctx.find("Technology", v["name"]) or make_id("tech", v["name"])
    props = {
        "maturity": v.get("maturity"),
        "bottleneck": v.get("bottleneck"),
        "lead": v.get("lead"),
        "chain": chain.id if chain else None,
        "sources": ctx.sources(record),
        **record.extra,
    }
    tech = ctx.add("Technology", node_id, v["name"], props)
    for name in v.get("links", []):
        link = ctx.link(record, "支撑环节", name, [chain] if chain else [])
        if link is not None:
            ctx.batch.add_edge("ENABLES", tech, link)


def add_application(ctx: Context, record: Record) -> None:
    v = record.values
    chain = ctx.chain(record, "所属产业链", v["chain"]) if v.get("chain") else None
    node_id = ctx.find("Application", v["name"]) or make_id("app", v["name"])
    props = {"chain": chain.id if chain else None, "sources": ctx.sources(record), **record.extra}
    application = ctx.add("Application", node_id, v["name"], props)
    for name in v.get("links", []):
        link = ctx.link(record, "相关环节", name, [chain] if chain else [])
        if link is not None:
            ctx.batch.add_edge("APPLIED_IN", link, application)
