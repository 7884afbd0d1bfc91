"""GraphBatch: the validated, resolved unit that loaders produce and stores write whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph_schema.definitions import SCHEMA
from graph_schema.model import MERGED_LIST_PROPS, GraphSchema, PropType

Props = dict[str, Any]


@dataclass(frozen=True)
class SourceFile:
    """A file a load read, for the import history."""

    name: str
    sha256: str


@dataclass(slots=True)
class Node:
    label: str
    id: str
    name: str
    props: Props = field(default_factory=dict)


@dataclass(slots=True)
class Edge:
    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: Props = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.src, self.dst)


def merge_props(old: Props, new: Props) -> Props:
    """Later values win; empty values never erase; aliases and sources are unions."""
    merged = dict(old)
    for key, value in new.items():
        if value is None or value == "" or value == []:
            continue
        if key in MERGED_LIST_PROPS and isinstance(value, list):
            current = list(merged.get(key) or [])
            merged[key] = current + [v for v in value if v not in current]
        else:
            merged[key] = value
    return merged


@dataclass
class GraphBatch:
    """Nodes keyed by id and edges keyed by (type, src, dst); adding twice merges."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def add_node(self, label: str, node_id: str, name: str, props: Props | None = None) -> Node:
        clean = (
            {k: v for k, v in props.items() if v is not None and v != "" and v != []}
            if props
            else {}
        )
        node = self.nodes.get(node_id)
        if node is None:
            node = Node(label, node_id, name, clean)
            self.nodes[node_id] = node
        elif clean:
            node.props = merge_props(node.props, clean)
        return node

    def add_edge(self, rel_type: str, src: Node, dst: Node, props: Props | None = None) -> Edge:
        key = (rel_type, src.id, dst.id)
        existing = self.edges.get(key)
        if existing is None:
            edge = Edge(
                rel_type, src.label, src.id, dst.label, dst.id, dict(props) if props else {}
            )
            self.edges[key] = edge
            return edge
        if props:
            existing.props = merge_props(existing.props, props)
        return existing

    def nodes_of(self, label: str) -> Iterator[Node]:
        return (n for n in self.nodes.values() if n.label == label)

    def counts(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = {}
        rels: dict[str, int] = {}
        for n in self.nodes.values():
            nodes[n.label] = nodes.get(n.label, 0) + 1
        for e in self.edges.values():
            rels[e.type] = rels.get(e.type, 0) + 1
        return {"nodes": nodes, "relationships": rels}

    def schema_problems(self, schema: GraphSchema = SCHEMA) -> list[str]:
        """Whatever in the batch the schema does not allow (a programming error, not input)."""
        problems: list[str] = []
        for n in self.nodes.values():
            problems += _node_problems(schema, n)
        allowed = set(schema.triples())
        for e in self.edges.values():
            if (e.src_label, e.type, e.dst_label) not in allowed:
                problems.append(f"({e.src_label})-[:{e.type}]->({e.dst_label}) 不在图模式中")
        return problems


_PY_TYPES: dict[PropType, tuple[type, ...]] = {
    PropType.STR: (str,),
    PropType.INT: (int,),
    PropType.FLOAT: (int, float),
    PropType.BOOL: (bool,),
    PropType.LIST: (list,),
    PropType.DATE: (str,),
}


def _node_problems(schema: GraphSchema, node: Node) -> list[str]:
    types = _prop_types(schema).get(node.label)
    if types is None:
        return [f"未知标签 {node.label}"]
    problems = []
    for key, value in node.props.items():
        expected = types.get(key)
        if expected is None:
            continue  # unknown columns are kept as extra properties
        ok = _PY_TYPES[expected]
        if not isinstance(value, ok) or (expected != PropType.BOOL and isinstance(value, bool)):
            problems.append(f"{node.label}.{key} 应为 {expected}，实为 {value!r}")
    return problems


@cache
def _prop_types(schema: GraphSchema) -> dict[str, dict[str, PropType]]:
    return {
        label: {p.name: p.type for p in node_type.all_props}
        for label, node_type in schema.nodes.items()
    }
