"""Looking nodes up by what a person types: an id, a name or an alias; and plain search."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import Field

from graph_schema import SCHEMA, Node
from graph_schema.errors import NotFoundError
from graph_schema.identity import clean_text, make_id, name_forms, normalise_name, park_key
from queries.answers import Answer, StatedFigure
from queries.stated import figures_of
from store.base import GraphStore


class RelationshipOut(Answer):
    type: str = Field(description="关系类型")
    direction: str = Field(description="out 由它指出 · in 指向它")
    other_type: str = Field(description="另一端节点的类型")
    other_id: str = Field(description="另一端节点的标识")
    other_name: str = Field(description="另一端节点的名称")


class DocumentRef(Answer):
    id: str = Field(description="文档标识")
    title: str = Field(description="文档标题")
    snippet: str = Field(description="提及它的第一句")


class NodeDetail(Answer):
    """The `show` answer (docs/reference/api.md)."""

    type: str = Field(description="节点类型（标签）")
    id: str = Field(description="节点标识")
    name: str = Field(description="名称")
    properties: dict[str, Any] = Field(description="属性（随节点类型而不同）")
    relationships: list[RelationshipOut] = Field(description="关系")
    documents: list[DocumentRef] = Field(default_factory=list, description="提及它的文档")
    figures: list[StatedFigure] = Field(
        default_factory=list, description="文档所载关于它（或它所载）的数字"
    )


def resolve_node(store: GraphStore, text: str, label: str | None = None) -> Node:
    """The one node an id, name or alias denotes; ambiguity and misses are errors."""
    wanted = clean_text(text)
    node = store.get_node(wanted) if SCHEMA.label_of(wanted) else None
    if node is not None and (label is None or node.label == label):
        return node
    forms = name_forms(text)  # as typed, half-width, full-width brackets
    found = list(
        {n.id: n for f in forms for n in store.find_by_name(f) if label in (None, n.label)}.values()
    )
    found = found or [n for n in _same_entity(store, wanted) if label is None or n.label == label]
    exact = [n for n in found if n.name in forms] or found
    if len(exact) == 1:
        return exact[0]
    kind = SCHEMA.node(label).zh if label else "节点"
    if exact:
        listing = "；".join(f"{SCHEMA.node(n.label).zh}“{n.name}”（{n.id}）" for n in exact[:10])
        raise NotFoundError(
            f"“{wanted}”对应多个{kind}：{listing}。请改用标识", [n.id for n in exact]
        )
    near = [n.name for n in store.find_text(wanted[:2], 50) if label is None or n.label == label]
    close = difflib.get_close_matches(wanted, near, n=3, cutoff=0.4)
    hint = f"是否为：{'、'.join(close)}？" if close else ""
    raise NotFoundError(f"找不到{kind}“{wanted}”。{hint}", close)


_FULL_BRACKETS = str.maketrans("()", "（）")


def _same_entity(store: GraphStore, text: str) -> list[Node]:
    """Nodes the identity rules equate with `text`: a park by its abbreviation, an
    organisation by its name without suffixes such as 集团 or 股份有限公司."""
    park = store.get_node(make_id("park", park_key(text)))
    if park is not None:
        return [park]
    key = normalise_name(text)
    probes = dict.fromkeys([key, key.translate(_FULL_BRACKETS)]) if len(key) >= 2 else {}
    candidates = [n for probe in probes for n in store.find_text(probe, 200)]
    return [
        n
        for n in candidates
        if any(normalise_name(name) == key for name in (n.name, *n.props.get("aliases", [])))
    ]


def node_detail(store: GraphStore, text: str) -> NodeDetail:
    node = resolve_node(store, text)
    rels = [
        RelationshipOut(
            type=r.type,
            direction=r.direction,
            other_type=r.other_type,
            other_id=r.other_id,
            other_name=r.other_name,
        )
        for r in store.relationships(node.id)
    ]
    return NodeDetail(
        type=node.label,
        id=node.id,
        name=node.name,
        properties=dict(node.props),
        relationships=rels,
        documents=_documents(store, node),
        figures=figures_of(store, node),
    )


def _documents(store: GraphStore, node: Node) -> list[DocumentRef]:
    """The documents that mention the node, each with the first sentence that does."""
    docs = []
    for rel in store.relationships(node.id):
        if rel.type == "MENTIONS" and rel.direction == "in":
            evidence = rel.props.get("evidence") or [""]
            docs.append(DocumentRef(id=rel.other_id, title=rel.other_name, snippet=evidence[0]))
    return docs
