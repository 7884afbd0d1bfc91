"""The resolution context: one batch being built, and the lookups that make names into nodes.

Names are resolved against what this load defines and what the store already holds (the
`IdentityIndex`), so a later file may refer to chains, links and enterprises of an earlier one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_schema import GraphBatch, Node
from graph_schema.definitions import INDUSTRIES
from graph_schema.errors import Issue
from graph_schema.identity import (
    IdentityIndex,
    KnownNode,
    NodeNumbers,
    clean_text,
    make_id,
    normalise_name,
    park_key,
    written_form,
)
from loaders.cells import did_you_mean
from loaders.regions import is_province, region_levels, split_region
from loaders.rows import Record

STREAMED_LABELS = frozenset({"Enterprise", "Project"})  # written in parts as a load streams


@dataclass
class Context:
    index: IdentityIndex
    province: str
    batch: GraphBatch = field(default_factory=GraphBatch)
    issues: list[Issue] = field(default_factory=list)
    links: dict[str, dict[str, str]] = field(default_factory=dict)  # chain id → name → link id
    parks_placed: set[str] = field(default_factory=set)  # parks given a region in this load
    stored_parks: set[str] = field(default_factory=set)  # parks the store held before this load
    regions_seen: dict[tuple[str, bool], str] = field(default_factory=dict)  # cell → region id
    chain_ids: dict[str, str] = field(default_factory=dict)  # chain name as written → id
    parks_seen: dict[tuple[str, str, str], str] = field(default_factory=dict)  # name, origin → id
    stored_parents: dict[str, str] = field(default_factory=dict)  # link id → its parent's id
    streamed: NodeNumbers = field(init=False)  # 1: written in an earlier part of the load

    def __post_init__(self) -> None:
        self.streamed = NodeNumbers(self.index)
        for known in self.index.of_label("Link", "Park"):
            if known.label == "Link" and known.scope:
                self.links.setdefault(known.scope, {})[known.name] = known.id
            elif known.label == "Park":
                self.stored_parks.add(known.id)

    # -- bookkeeping -----------------------------------------------------------------------

    def error(self, record: Record, column: str, message: str) -> None:
        self.issues.append(record.issue(column, message))

    def warn(self, record: Record, column: str, message: str) -> None:
        self.issues.append(record.issue(column, message, "warning"))

    @staticmethod
    def sources(record: Record) -> list[str]:
        """Provenance of what a row describes: its 数据来源 cell and its file and sheet."""
        origin = f"{record.file}#{record.sheet}"
        return [record.source, origin] if record.source else [origin]

    @staticmethod
    def origin(record: Record) -> list[str]:
        """Provenance of what a row only mentions (a park, a partner): file and sheet."""
        return [f"{record.file}#{record.sheet}"]

    def add(self, label: str, node_id: str, name: str, props: Mapping[str, Any]) -> Node:
        node = self.batch.add_node(label, node_id, name, dict(props))
        if self.index.position(node_id) is None:
            self.index.add(
                KnownNode(
                    label,
                    node_id,
                    name,
                    tuple(node.props.get("aliases", ())),
                    node.props.get("credit_code"),
                    node.props.get("chain") if label == "Link" else None,
                )
            )
        return node

    def take_part(self) -> GraphBatch:
        """The part of the batch a streaming load can write now: every relationship so far
        and the nodes of the bulk labels (enterprises, projects). The other nodes (chains,
        links, regions, parks…) are few, are referred to again and again, and stay in the
        batch until the end; relationships of the part may end at them."""
        batch = self.batch
        part = GraphBatch(edges=batch.edges)
        kept: dict[str, Node] = {}
        for node_id, node in batch.nodes.items():
            (part.nodes if node.label in STREAMED_LABELS else kept)[node_id] = node
        self.batch = GraphBatch(nodes=kept)
        for node_id in part.nodes:
            self.streamed.set(node_id, 1)
        return part

    def node(self, node_id: str) -> Node:
        """The batch's node for an id, creating a bare reference to a stored one if needed."""
        node = self.batch.nodes.get(node_id)
        if node is None:
            known = self.index.nodes[node_id]
            if self.streamed.get(node_id):  # already written by this load: a reference suffices
                return Node(known.label, known.id, known.name)
            node = self.batch.add_node(known.label, known.id, known.name)
        return node

    def fresh_id(self, label: str, base: str, name: str) -> str:
        """`base`, unless a node of another name already holds it (names that differ only in
        spaces or width make the same id): then `base#2`, `base#3`…"""
        node_id, n = base, 1
        while (known := self.index.nodes.get(node_id)) is not None and (
            known.label != label or known.name != name
        ):
            n += 1
            node_id = f"{base}#{n}"
        return node_id

    def unique_id(self, label: str, base: str) -> str:
        node_id, n = base, 1
        while self.index.label_of(node_id) == label:
            n += 1
            node_id = f"{base}#{n}"
        return node_id

    # -- lookups ---------------------------------------------------------------------------

    def find(self, label: str, name: str) -> str | None:
        ids = self.index.lookup(label, name)
        return ids[0] if ids else None

    def names_of(self, label: str) -> list[str]:
        return [k.name for k in self.index.of_label(label)]

    def chain(self, record: Record, column: str, name: str) -> Node | None:
        chain_id = self.chain_ids.get(name) or self.find("Chain", name)
        if chain_id is not None:
            self.chain_ids[name] = chain_id
        if chain_id is None:
            hint = did_you_mean(name, self.names_of("Chain"))
            self.error(record, column, f"未知产业链“{name}”（请先在产业链图中定义）{hint}")
            return None
        return self.node(chain_id)

    def focus(self, record: Record, column: str, name: str) -> Node:
        """What a park's 首位/主导产业 names: a chain of this load or the store; else a
        2+6+N industry; else a new chain with no links yet, marked `placeholder`. The last
        two with a warning."""
        chain_id = self.chain_ids.get(name) or self.find("Chain", name)
        if chain_id is not None:
            self.chain_ids[name] = chain_id
            return self.node(chain_id)
        industry = next(
            (n for n, (_, forms) in INDUSTRIES.items() if name == n or name in forms), None
        )
        if industry is not None:
            industry_id = self.find("Industry", industry) or make_id("industry", industry)
            tier = INDUSTRIES[industry][0]
            node = self.add("Industry", industry_id, industry, {"tier": tier})
            self.warn(
                record,
                column,
                f"“{name}”不是已定义的产业链，已关联到“2+6+N”产业“{industry}”",
            )
            return node
        chain_id = self.fresh_id("Chain", make_id("chain", name), name)
        node = self.add(
            "Chain", chain_id, name, {"placeholder": True, "sources": self.origin(record)}
        )
        self.chain_ids[name] = chain_id
        self.warn(
            record,
            column,
            f"产业链“{name}”未在产业链图中定义，已新建（尚无环节，请在产业链图中补充）",
        )
        return node

    def chains(self, record: Record, column: str, names: list[str]) -> list[Node]:
        return [c for name in names if (c := self.chain(record, column, name)) is not None]

    def link(self, record: Record, column: str, name: str, chains: list[Node]) -> Node | None:
        """A link by name inside the named chains, or unique across all chains."""
        scopes = [c.id for c in chains] if chains else list(self.links)
        hits = [self.links[s][name] for s in scopes if name in self.links.get(s, {})]
        if len(hits) == 1:
            return self.node(hits[0])
        if hits:
            owners = "、".join(self.node(self.index.nodes[h].scope or "").name for h in hits)
            self.error(
                record, column, f"环节“{name}”在多条产业链中都有（{owners}），请填写所属产业链"
            )
            return None
        pool = [n for s in scopes for n in self.links.get(s, {})]
        where = "、".join(f"产业链“{c.name}”" for c in chains) if chains else "任何产业链"
        hint = did_you_mean(name, pool)
        self.error(record, column, f"未知环节“{name}”（{where}中无此环节{hint}）")
        return None

    def enterprise(self, name: str, code: str | None = None) -> str | None:
        """The id of the enterprise a name (and credit code) denotes, if known."""
        if code and (found := self.index.by_code(code)) is not None:
            return found
        for candidate in self.index.lookup("Enterprise", name):
            if not code:  # no record to read: any candidate will do, the first is taken
                return candidate
            other = self.index.nodes[candidate].credit_code
            if not other or other == code:
                return candidate
        return None

    def enterprise_ref(self, record: Record, column: str, name: str) -> Node:
        """An enterprise named in a list cell; an unknown one is created with a warning."""
        found = self.enterprise(name)
        if found is not None:
            return self.node(found)
        self.warn(record, column, f"企业“{name}”不在企业清单中，已新建该企业（请补充其信息）")
        node_id = self.unique_id("Enterprise", make_id("ent", normalise_name(name)))
        return self.add("Enterprise", node_id, written_form(name), {"sources": self.origin(record)})

    def region(self, record: Record, column: str, text: str, local: bool) -> Node | None:
        """The most specific region node of a region cell, creating the path above it."""
        cached = self.regions_seen.get((text, local))
        if cached is not None:
            return self.batch.nodes[cached]
        issues = len(self.issues)
        node = self._region(record, column, text, local)
        if node is not None and len(self.issues) == issues:
            self.regions_seen[(text, local)] = node.id
        return node

    def _region(self, record: Record, column: str, text: str, local: bool) -> Node | None:
        names: list[str] | None = split_region(text)
        if local and names:
            names = self._local_path(record, column, text, names)
        if not names:
            return None
        levels = region_levels(names)
        if local:
            levels = ["省", "市", "县"][: len(names)]
            if len(names) == 2 and names[1][-1] in "区县旗":
                levels = ["省", "县"]
        parent: Node | None = None
        for depth, (name, level) in enumerate(zip(names, levels, strict=True)):
            path = "/".join(names[: depth + 1])
            node = self.add("Region", make_id("region", path), name, {"level": level, "path": path})
            if parent is not None:
                self.batch.add_edge("PART_OF", node, parent)
            parent = node
        return parent

    def _local_path(
        self, record: Record, column: str, text: str, names: list[str]
    ) -> list[str] | None:
        if names[0] == self.province:
            names = names[1:]
        elif is_province(names[0]):
            self.error(
                record, column, f"地区“{text}”不在{self.province}，但本行为省内企业或本省项目"
            )
            return None
        if len(names) == 1 and names[0][-1] in "区县旗":
            self.warn(record, column, f"地区“{text}”未写所属设区市，已挂在{self.province}下")
        return [self.province, *names[:2]]

    def park(
        self, record: Record, name: str, region: Node | None, authoritative: bool = False
    ) -> Node:
        """A park by name (abbreviations such as 经开区 spelt out), located in `region`.

        Only 区域分布图 (`authoritative`) moves a known park; an enterprise's region places a
        park that nothing has placed yet.
        """
        seen = self.parks_seen.get((name, record.file, record.sheet))
        if seen is not None and (region is None or seen in self.parks_placed):
            return self.batch.nodes[seen]
        node_id = make_id("park", park_key(name))
        self.parks_seen[(name, record.file, record.sheet)] = node_id
        known = self.index.nodes.get(node_id)
        written = clean_text(name)
        origin = self.sources(record) if authoritative else self.origin(record)
        props: dict[str, object] = {"sources": origin}
        if known is not None and known.name != written:
            props["aliases"] = [written]
        placed = (
            region is not None
            and node_id not in self.parks_placed
            and (authoritative or node_id not in self.stored_parks)
        )
        if placed and region is not None:
            props["region"] = region.props.get("path", region.name)
        node = self.add("Park", node_id, known.name if known else written, props)
        if placed and region is not None:
            self.parks_placed.add(node_id)
            self.batch.add_edge("LOCATED_IN", node, region)
        return node
