"""The store boundary: one small protocol, two backends (embedded SQLite and Neo4j).

Both backends merge a batch into what they hold with the same rules (`plan_nodes`,
`plan_edges`), so a second load of the same data finds nothing to change.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.batch import SourceFile as SourceFile  # re-exported: stores import it here
from graph_schema.batch import merge_props
from graph_schema.errors import StoreError
from graph_schema.identity import IdentityIndex, KnownNode, clean_text

_T = TypeVar("_T")

BATCH_ROWS = 1000  # rows per statement; large enough to amortise, small enough to stream


@dataclass(frozen=True)
class RelView:
    """A relationship seen from one of its ends."""

    type: str
    direction: str  # "out" or "in"
    other_type: str
    other_id: str
    other_name: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """What recruitment scores an outside firm by, read per link (issue 17): revenue (亿元),
    tags, home region (所在地区), every link it is in (IN_LINK: link id, 分环节营收 in 亿元,
    share) and the enterprises it supplies and invests in. The national pool stays in the
    store; the few firms a list shows are then read whole (`EnterpriseRow`)."""

    id: str
    name: str
    revenue: float | None
    tags: tuple[str, ...]
    region: str | None
    links: tuple[tuple[str, float | None, float | None], ...]
    supplies: tuple[str, ...]
    invests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    """An enterprise whole, with its relationships as the analyses read them: the node, its
    links (as in `CandidateRow`), the places it is located in (LOCATED_IN) and the
    enterprises it supplies and invests in."""

    node: Node
    links: tuple[tuple[str, float | None, float | None], ...]
    places: tuple[str, ...]
    supplies: tuple[str, ...]
    invests: tuple[str, ...]


@dataclass
class WriteSummary:
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    edges_created: int = 0
    edges_updated: int = 0
    edges_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.nodes_created + self.nodes_updated + self.edges_created + self.edges_updated
        )

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class ImportRecord:
    seq: int
    files: list[str]
    sha256: list[str]
    at: str
    counts: dict[str, int]


class GraphStore(Protocol):
    """What the rest of chainkg may ask of a store."""

    backend: str

    def write(
        self,
        batch: GraphBatch,
        files: Sequence[SourceFile],
        check: Callable[[], None] | None = None,
    ) -> WriteSummary:
        """Merge the batch whole, or change nothing and raise. `check` is called as the write
        goes on, up to its commit; what it raises (a time limit, a client gone) undoes the
        write and is raised again."""
        ...

    def identity_index(self) -> IdentityIndex:
        """Known nodes for entity resolution of the next load."""
        ...

    def get_node(self, node_id: str) -> Node | None: ...

    def find_by_name(self, name: str) -> list[Node]:
        """Nodes whose name or alias is `name` (exactly, after trimming)."""
        ...

    def find_text(self, text: str, limit: int) -> list[Node]:
        """Nodes whose name or an alias contains `text`."""
        ...

    def relationships(self, node_id: str) -> list[RelView]: ...

    def iter_nodes(self, label: str) -> Iterator[Node]: ...

    def iter_edges(self, rel_type: str) -> Iterator[Edge]: ...

    def stats(self) -> dict[str, dict[str, int]]: ...

    def version(self) -> int:
        """Grows with every load that changed something; snapshots are cached by it."""
        ...

    def imports(self) -> list[ImportRecord]: ...

    def put_records(self, label: str, nodes: Sequence[Node]) -> None:
        """Write bookkeeping nodes of an internal label whole (replacing earlier ones with
        the same id), without recording an import or changing the version."""
        ...

    def get_nodes(self, label: str, ids: Sequence[str]) -> dict[str, Node]:
        """The nodes of `label` among `ids` that exist, by id."""
        ...

    def candidates(self, link_ids: Sequence[str]) -> list[CandidateRow]:
        """The enterprises that are not local (local is not true) and are IN_LINK of one of
        `link_ids`, each once, ordered by id (read through the link index)."""
        ...

    def enterprise_rows(self, ids: Sequence[str]) -> list[EnterpriseRow]:
        """The enterprises among `ids` that exist, each once, ordered by id."""
        ...

    def local_enterprise_ids(self) -> list[str]:
        """The ids of the local enterprises (local = true), ordered (through an index)."""
        ...

    def edges_from(self, rel_type: str, src_label: str, src_ids: Sequence[str]) -> list[Edge]:
        """The relationships of `rel_type` that start at one of `src_ids` (of `src_label`),
        ordered by source and target."""
        ...

    def close(self) -> None: ...


class LoadSession(Protocol):
    """One load written in parts, whole or not at all.

    `write_part` may be called any number of times as the loader streams; `pending` holds the
    nodes the loader keeps for a later part (relationships of this part may end at them).
    `commit` writes the last part and the import record; `rollback` leaves the store as before.
    """

    def write_part(self, part: GraphBatch, pending: Mapping[str, Node]) -> None: ...

    def commit(
        self, part: GraphBatch, files: Sequence[SourceFile], counts: Mapping[str, int]
    ) -> WriteSummary: ...

    def rollback(self) -> None: ...


class WholeBatchLoad:
    """A `LoadSession` for stores that only write whole batches (`GraphStore.write`): the parts
    are merged in memory as a single batch would have been, and written at commit."""

    def __init__(self, store: GraphStore, check: Callable[[], None] | None = None) -> None:
        self.store = store
        self.check = check
        self.batch = GraphBatch()

    def write_part(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        self._merge(part)

    def _merge(self, part: GraphBatch) -> None:
        batch = self.batch
        for node in part.nodes.values():
            batch.add_node(node.label, node.id, node.name, node.props)
        for edge in part.edges.values():
            old = batch.edges.get(edge.key)
            if old is None:
                batch.edges[edge.key] = edge
            elif edge.props:
                old.props = merge_props(old.props, edge.props)

    def commit(
        self, part: GraphBatch, files: Sequence[SourceFile], counts: Mapping[str, int]
    ) -> WriteSummary:
        self._merge(part)
        batch, self.batch = self.batch, GraphBatch()
        return self.store.write(batch, files, self.check)

    def rollback(self) -> None:
        self.batch = GraphBatch()


def begin_load(
    store: GraphStore, large: bool = False, check: Callable[[], None] | None = None
) -> LoadSession:
    """A streaming load session where the store has one (`begin_load`), else whole batches.

    `large` hints that the load is big (a first load may then pick a faster journal); `check`
    is called as the writes go on, up to the commit, and what it raises stops the load."""
    begin = getattr(store, "begin_load", None)
    if begin is not None:
        session: LoadSession = begin(large, check)
        return session
    return WholeBatchLoad(store, check)


def lean_cache(store: GraphStore) -> AbstractContextManager[None]:
    """A store's small-cache mode for the work after a load's commit (the version record's
    scans), where it has one (the embedded store); otherwise nothing changes."""
    lean = getattr(store, "lean_cache", None)
    return lean() if callable(lean) else nullcontext()


def check_internal(label: str) -> None:
    """`put_records` writes only bookkeeping labels: the domain graph changes by loads."""
    if label not in SCHEMA.nodes or not SCHEMA.node(label).internal:
        raise StoreError(f"内部错误：{label} 不是记录类标签")


def plan_nodes(new: Iterable[Node], existing: dict[str, Node], summary: WriteSummary) -> list[Node]:
    """The merged nodes that must be written (new or changed ones only)."""
    out: list[Node] = []
    for node in new:
        old = existing.get(node.id)
        if old is None:
            summary.nodes_created += 1
            out.append(node)
            continue
        props = dict(node.props)
        name = old.name
        if clean_text(node.name) == clean_text(old.name):
            # the same name in another width: the source's own form wins (a store written
            # before names were kept as written holds 孚能科技(赣州)有限公司)
            name = node.name if node.name != clean_text(node.name) else old.name
        elif node.name != old.name:  # keep the first name; remember the other as an alias
            props["aliases"] = [*props.get("aliases", []), node.name]
        merged = merge_props(old.props, props)
        if merged == old.props and name == old.name:
            summary.nodes_unchanged += 1
        else:
            summary.nodes_updated += 1
            out.append(Node(node.label, node.id, name, merged))
    return out


def plan_edges(
    new: Iterable[Edge], existing: dict[tuple[str, str], Edge], summary: WriteSummary
) -> list[Edge]:
    out: list[Edge] = []
    for edge in new:
        old = existing.get((edge.src, edge.dst))
        if old is None:
            summary.edges_created += 1
            out.append(edge)
            continue
        merged = merge_props(old.props, edge.props)
        if merged == old.props:
            summary.edges_unchanged += 1
        else:
            summary.edges_updated += 1
            out.append(Edge(edge.type, edge.src_label, edge.src, edge.dst_label, edge.dst, merged))
    return out


def group_nodes(batch: GraphBatch) -> dict[str, list[Node]]:
    groups: dict[str, list[Node]] = {}
    for node in batch.nodes.values():
        groups.setdefault(node.label, []).append(node)
    return groups


def group_edges(batch: GraphBatch) -> dict[str, list[Edge]]:
    groups: dict[str, list[Edge]] = {}
    for edge in batch.edges.values():
        groups.setdefault(edge.type, []).append(edge)
    return groups


def chunks(items: Sequence[_T], size: int = BATCH_ROWS) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_counts(batch: GraphBatch, summary: WriteSummary) -> dict[str, int]:
    return {**batch_counts(batch), **summary.as_dict()}


def batch_counts(batch: GraphBatch) -> dict[str, int]:
    """The totals an import record keeps of what a load read."""
    return {"nodes": len(batch.nodes), "relationships": len(batch.edges)}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def unknown_shapes(batch: GraphBatch) -> list[str]:
    """Labels and (source)-[type]->(target) triples of the batch that the schema lacks."""
    labels = {n.label for n in batch.nodes.values()}
    problems = [f"未知标签 {label}" for label in sorted(labels - set(SCHEMA.nodes))]
    triples = {(e.src_label, e.type, e.dst_label) for e in batch.edges.values()}
    problems += [
        f"({s})-[:{t}]->({d}) 不在图模式中" for s, t, d in sorted(triples - set(SCHEMA.triples()))
    ]
    return problems


def outside_endpoints(
    edges: Sequence[Edge], batch: GraphBatch, pending: Mapping[str, Node] | None = None
) -> dict[str, set[str]]:
    """Ids, by label, that `edges` end at and neither the batch nor `pending` (nodes a later
    part of the same load writes) holds: the store must."""
    ends = {e.src for e in edges} | {e.dst for e in edges}
    ends -= batch.nodes.keys()
    if pending:
        ends -= pending.keys()
    out: dict[str, set[str]] = {}
    for node_id in ends:
        out.setdefault(SCHEMA.label_of(node_id) or "", set()).add(node_id)
    return out


def dangling_error(missing: Sequence[tuple[str, str]]) -> StoreError:
    """The error for relationships whose ends are neither in the batch nor in the store."""
    shown = "、".join(f"{label} {node_id}" for label, node_id in missing[:5])
    more = f" 等 {len(missing)} 个" if len(missing) > 5 else ""
    return StoreError(f"关系的端点不在图中（须在本批数据或已有图中）：{shown}{more}，未做任何修改")


def known_node(node: Node) -> KnownNode:
    """What identity resolution needs of a stored node."""
    return KnownNode(
        label=node.label,
        id=node.id,
        name=node.name,
        aliases=tuple(node.props.get("aliases", ())),
        credit_code=node.props.get("credit_code"),
        scope=node.props.get("chain") if node.label == "Link" else None,
        local=node.props.get("local"),
    )
