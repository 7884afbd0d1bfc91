"""Types that describe the graph: labels, properties, relationship types.

Everything that needs to know the graph's shape (SQLite tables, Neo4j constraints, load
validation, the Cypher linter's schema) reads it from an instance of `GraphSchema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class PropType(StrEnum):
    """Value types a property may hold; lists hold strings."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    LIST = "list"
    DATE = "date"  # ISO string, YYYY-MM-DD or YYYY-MM


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType
    zh: str
    indexed: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeType:
    label: str
    zh: str
    prefix: str  # every id of this label starts with "<prefix>:"
    props: tuple[Prop, ...] = ()
    internal: bool = False  # bookkeeping, not part of the domain graph (left out of stats)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.all_props if p.name == name), None)

    @property
    def all_props(self) -> tuple[Prop, ...]:
        return COMMON_NODE_PROPS + self.props


@dataclass(frozen=True)
class RelType:
    type: str
    zh: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    props: tuple[Prop, ...] = ()

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


COMMON_NODE_PROPS: tuple[Prop, ...] = (
    Prop("id", PropType.STR, "标识"),
    Prop("name", PropType.STR, "名称", indexed=True),
    Prop("aliases", PropType.LIST, "别名"),
    Prop("sources", PropType.LIST, "来源"),
)

# Properties whose list values are merged (set union) when a node is written again,
# instead of being replaced.
MERGED_LIST_PROPS: frozenset[str] = frozenset({"aliases", "sources"})


@dataclass(frozen=True, eq=False)
class GraphSchema:
    nodes: dict[str, NodeType] = field(default_factory=dict)
    rels: dict[str, RelType] = field(default_factory=dict)

    def node(self, label: str) -> NodeType:
        return self.nodes[label]

    def label_of(self, node_id: str) -> str | None:
        """The label an id belongs to, read from its prefix."""
        return self._labels_by_prefix.get(node_id.split(":", 1)[0])

    @cached_property
    def _labels_by_prefix(self) -> dict[str, str]:
        return {n.prefix: n.label for n in self.nodes.values()}

    @property
    def domain_labels(self) -> list[str]:
        return [n.label for n in self.nodes.values() if not n.internal]

    def rel(self, rel_type: str) -> RelType:
        return self.rels[rel_type]

    def triples(self) -> list[tuple[str, str, str]]:
        """Every allowed (source label, relationship type, target label)."""
        return [(s, r.type, t) for r in self.rels.values() for s in r.sources for t in r.targets]
