"""The Neo4j store: the same `GraphStore` on a Neo4j 5 server, chosen by NEO4J_URI.

Every statement it sends comes from `store.cypher`. A load is one managed write transaction
(`session.execute_write`): it locks the latest import record (so loads run one after the
other, as SQLite's BEGIN IMMEDIATE makes them), reads what the graph holds for the batch's
ids, merges with `store.base.plan_nodes` / `plan_edges` (the SQLite store's rules), writes
the merged property maps 1000 rows per statement and records the import. Any error rolls the
whole transaction back.

Values are stored as the SQLite store reads them back (a FLOAT property given 5 holds 5.0,
an INT given 5.0 holds 5, a STR given a number holds its text), so both stores answer alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, LiteralString, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Record,
    Result,
    Session,
)
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
)

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.batch import SourceFile
from graph_schema.errors import StoreError
from graph_schema.identity import IdentityIndex, written_form
from graph_schema.model import Prop, PropType
from store.base import (
    ImportRecord,
    RelView,
    WriteSummary,
    chunks,
    dangling_error,
    dumps,
    group_edges,
    group_nodes,
    import_counts,
    known_node,
    now_iso,
    outside_endpoints,
    plan_edges,
    plan_nodes,
    unknown_shapes,
)
from store.cypher import STATEMENTS, Statement

_T = TypeVar("_T")
_NO_LIMIT = 2**62  # SQLite's LIMIT -1
_REL_ORDER = {rel: i for i, rel in enumerate(SCHEMA.rels)}
_LABEL_ORDER = {label: i for i, label in enumerate(SCHEMA.nodes)}
_Triple = tuple[str, str, str]
# Bolt only: the driver's HTTP (Query API) support is a preview without managed transactions.
_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


class Neo4jStore:
    """A `GraphStore` on a Neo4j server (Bolt or neo4j:// URI)."""

    backend = "neo4j"

    def __init__(
        self, uri: str, user: str = "neo4j", password: str = "", database: str | None = None
    ) -> None:
        self.uri = uri
        self.database = database
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in _SCHEMES:
            raise StoreError(
                f"无法连接 Neo4j（{uri}）：地址应以 bolt:// 或 neo4j://（或其 +s、+ssc 形式）开头"
            )
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                warn_notification_severity=NotificationMinimumSeverity.OFF,
            )
        except (ValueError, DriverError, Neo4jError) as exc:
            raise StoreError(f"无法连接 Neo4j（{uri}）：{_describe(exc)}") from exc
        try:
            self._driver.verify_connectivity()
            self._create()
        except AuthError as exc:
            self._driver.close()
            raise StoreError(
                f"无法登录 Neo4j（{uri}）：用户名或密码不对（{_describe(exc)}）"
            ) from exc
        except (DriverError, Neo4jError) as exc:
            self._driver.close()
            raise StoreError(f"无法连接 Neo4j（{uri}）：{_describe(exc)}") from exc

    def _session(self) -> Session:
        return self._driver.session(database=self.database)

    def _create(self) -> None:
        """Uniqueness constraints and indexes from `graph_schema.ddl.neo4j_ddl`."""
        with self._session() as session:
            for statement in STATEMENTS.ddl:
                session.run(_text(statement)).consume()

    # -- writing ---------------------------------------------------------------------------

    def write(self, batch: GraphBatch, files: Sequence[SourceFile]) -> WriteSummary:
        problems = unknown_shapes(batch)
        if problems:
            raise StoreError("数据不符合图模式，未做任何修改：" + "；".join(problems[:5]))
        retried = False
        while True:
            try:
                with self._session() as session:
                    return session.execute_write(self._write_tx, batch, list(files))
            except ConstraintError as exc:
                # Only the very first loads meet here: two transactions that found no import
                # record both created import:1. The loser runs once more and then finds the
                # record to lock.
                if retried:
                    raise StoreError(f"写入 Neo4j 失败，未做任何修改：{_describe(exc)}") from exc
                retried = True
            except IncompleteCommit as exc:
                # the connection dropped while committing: the server may have committed
                raise StoreError(
                    f"写入 Neo4j 时连接中断，无法确认是否已写入（再次导入同样的数据是安全的）："
                    f"{_describe(exc)}"
                ) from exc
            except (DriverError, Neo4jError) as exc:
                raise StoreError(f"写入 Neo4j 失败，未做任何修改：{_describe(exc)}") from exc

    def _write_tx(
        self, tx: ManagedTransaction, batch: GraphBatch, files: Sequence[SourceFile]
    ) -> WriteSummary:
        summary = WriteSummary()  # made here: the driver may run this function again
        _lock_latest_import(tx)
        for label, nodes in group_nodes(batch).items():
            stored = _fetch_nodes(tx, label, [n.id for n in nodes])
            rows = [_node_row(n) for n in plan_nodes(nodes, stored, summary)]
            for part in chunks(rows):
                _run(tx, STATEMENTS.nodes[label].upsert, rows=list(part)).consume()
        for edges in group_edges(batch).values():
            by_triple: dict[_Triple, list[Edge]] = {}
            for edge in edges:
                by_triple.setdefault((edge.src_label, edge.type, edge.dst_label), []).append(edge)
            existing: dict[tuple[str, str], Edge] = {}
            for triple, group in by_triple.items():
                existing.update(_fetch_edges(tx, triple, group))
            planned = plan_edges(edges, existing, summary)
            _check_endpoints(tx, planned, batch)
            _upsert_edges(tx, planned)
        _record_import(tx, files, import_counts(batch, summary), summary.changed)
        return summary

    # -- reading ---------------------------------------------------------------------------

    def _read(self, statement: Statement, **params: Any) -> list[Record]:
        def work(tx: ManagedTransaction) -> list[Record]:
            return list(_run(tx, statement, **params))

        try:
            with self._session() as session:
                return session.execute_read(work)
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"读取 Neo4j 失败：{_describe(exc)}") from exc

    def _stream(self, statement: Statement, convert: Callable[[Record], _T]) -> Iterator[_T]:
        """Records as they arrive (for whole labels, which may not fit in memory twice)."""
        try:
            with self._session() as session:
                for record in session.run(_text(statement)):
                    yield convert(record)
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"读取 Neo4j 失败：{_describe(exc)}") from exc

    def get_node(self, node_id: str) -> Node | None:
        label = SCHEMA.label_of(node_id)
        if label is None:
            return None
        records = self._read(STATEMENTS.nodes[label].get, id=node_id)
        return _node(label, records[0]) if records else None

    def find_by_name(self, name: str) -> list[Node]:
        records = self._read(STATEMENTS.find_by_name, name=written_form(name))
        nodes = [_labelled_node(r) for r in records]
        return sorted(nodes, key=lambda n: (_LABEL_ORDER.get(n.label, 0), n.id))

    def find_text(self, text: str, limit: int) -> list[Node]:
        records = self._read(
            STATEMENTS.find_text, text=written_form(text), limit=limit if limit >= 0 else _NO_LIMIT
        )
        return [_labelled_node(r) for r in records]

    def relationships(self, node_id: str) -> list[RelView]:
        label = SCHEMA.label_of(node_id)
        statement = STATEMENTS.nodes[label].relationships if label else None
        if statement is None:
            return []
        views = [
            RelView(
                r["type"],
                r["direction"],
                _label(r["labels"], r["id"]),
                r["id"],
                r["name"] or "",
                dict(r["props"]),
            )
            for r in self._read(statement, id=node_id)
        ]
        return sorted(views, key=lambda v: (_REL_ORDER[v.type], v.direction != "out", v.other_id))

    def iter_nodes(self, label: str) -> Iterator[Node]:
        return self._stream(STATEMENTS.nodes[label].iterate, lambda r: _node(label, r))

    def iter_edges(self, rel_type: str) -> Iterator[Edge]:
        def convert(r: Record) -> Edge:
            src_label = _label(r["src_labels"], r["src"])
            dst_label = _label(r["dst_labels"], r["dst"])
            return Edge(rel_type, src_label, r["src"], dst_label, r["dst"], dict(r["props"]))

        return self._stream(STATEMENTS.iter_edges[rel_type], convert)

    def identity_index(self) -> IdentityIndex:
        index = IdentityIndex()
        for label in SCHEMA.domain_labels:
            for node in self.iter_nodes(label):
                index.add(known_node(node))
        return index

    def stats(self) -> dict[str, dict[str, int]]:
        nodes = {r["item"]: r["count"] for r in self._read(STATEMENTS.stats_nodes)}
        rels = {r["item"]: r["count"] for r in self._read(STATEMENTS.stats_relationships)}
        return {
            "nodes": {label: int(nodes.get(label, 0)) for label in SCHEMA.domain_labels},
            "relationships": {rel: int(rels.get(rel, 0)) for rel in SCHEMA.rels},
        }

    def version(self) -> int:
        return int(self._read(STATEMENTS.version)[0]["version"])

    def imports(self) -> list[ImportRecord]:
        return [
            ImportRecord(
                r["seq"], list(r["files"]), list(r["sha256"]), r["at"], json.loads(r["counts"])
            )
            for r in self._read(STATEMENTS.imports)
        ]

    def close(self) -> None:
        self._driver.close()


# -- statements --------------------------------------------------------------------------


def _text(statement: Statement) -> LiteralString:
    # The driver asks for a LiteralString: statement texts are built from schema names only
    # (store.cypher checks each one) and every value is a parameter. (mypy takes any str.)
    return statement.text


def _run(tx: ManagedTransaction, statement: Statement, **params: Any) -> Result:
    if set(params) != set(statement.params):
        raise TypeError(f"{statement.name} takes {statement.params}, not {tuple(params)}")
    return tx.run(_text(statement), params)


def _single(tx: ManagedTransaction, statement: Statement, **params: Any) -> Record:
    return _run(tx, statement, **params).single(strict=True)


def _describe(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


# -- writing helpers ----------------------------------------------------------------------


def _lock_latest_import(tx: ManagedTransaction) -> None:
    """Hold the latest import record's write lock until this transaction ends.

    A load that waited for the lock finds a newer record once it has it, and locks that one
    too; so of two loads, one sees the other's whole result, as in SQLite.
    """
    locked = 0
    while True:
        last = int(_single(tx, STATEMENTS.import_last_seq)["seq"])
        if last == locked:
            return
        _run(tx, STATEMENTS.import_lock, id=f"import:{last}").consume()
        locked = last


def _fetch_nodes(tx: ManagedTransaction, label: str, ids: list[str]) -> dict[str, Node]:
    found: dict[str, Node] = {}
    for part in chunks(ids):
        for record in _run(tx, STATEMENTS.nodes[label].fetch, ids=list(part)):
            node = _node(label, record)
            found[node.id] = node
    return found


def _fetch_edges(
    tx: ManagedTransaction, triple: _Triple, edges: list[Edge]
) -> dict[tuple[str, str], Edge]:
    src_label, rel_type, dst_label = triple
    found: dict[tuple[str, str], Edge] = {}
    for part in chunks(edges):
        keys = [{"src": e.src, "dst": e.dst} for e in part]
        for r in _run(tx, STATEMENTS.edges[triple].fetch, keys=keys):
            found[(r["src"], r["dst"])] = Edge(
                rel_type, src_label, r["src"], dst_label, r["dst"], dict(r["props"])
            )
    return found


def _check_endpoints(tx: ManagedTransaction, edges: list[Edge], batch: GraphBatch) -> None:
    missing: list[tuple[str, str]] = []
    for label, ids in outside_endpoints(edges, batch).items():
        wanted = sorted(ids)
        found: set[str] = set()
        for part in chunks(wanted):
            found |= {r["id"] for r in _run(tx, STATEMENTS.nodes[label].exists, ids=list(part))}
        missing += [(label, i) for i in wanted if i not in found]
    if missing:
        raise dangling_error(missing)


def _upsert_edges(tx: ManagedTransaction, edges: list[Edge]) -> None:
    by_triple: dict[_Triple, list[dict[str, Any]]] = {}
    for edge in edges:
        row = {"src": edge.src, "dst": edge.dst, "props": _edge_props(edge)}
        by_triple.setdefault((edge.src_label, edge.type, edge.dst_label), []).append(row)
    for triple, rows in by_triple.items():
        for part in chunks(rows):
            written = _single(tx, STATEMENTS.edges[triple].upsert, rows=list(part))["written"]
            if written != len(part):  # an end vanished between the check and the write
                raise StoreError(
                    f"写入关系 {triple[1]} 时有 {len(part) - written} 条的端点不存在，未做任何修改"
                )


def _record_import(
    tx: ManagedTransaction, files: Sequence[SourceFile], counts: dict[str, int], changed: bool
) -> None:
    seq = int(_single(tx, STATEMENTS.import_last_seq)["seq"]) + 1
    names = [f.name for f in files]
    props = {
        "id": f"import:{seq}",
        "name": "、".join(names) or "导入",
        "seq": seq,
        "files": names,
        "sha256": [f.sha256 for f in files],
        "at": now_iso(),
        "counts": dumps(counts),
        "changed": changed,
    }
    _run(tx, STATEMENTS.import_create, props=props).consume()


def _encode(prop: Prop | None, value: Any) -> Any:
    """`value` as the SQLite store reads it back from its typed column (or JSON extra)."""
    if isinstance(value, tuple):
        return list(value)
    if prop is None:
        return value
    if prop.type == PropType.BOOL:
        return bool(value)
    if prop.type == PropType.FLOAT and isinstance(value, int):
        return float(value)
    if prop.type == PropType.INT and isinstance(value, bool):
        return int(value)
    if prop.type == PropType.INT and isinstance(value, float) and value.is_integer():
        return int(value)
    if prop.type in (PropType.STR, PropType.DATE) and isinstance(value, int | float):
        return str(int(value)) if isinstance(value, bool) else str(value)
    return value


def _node_row(node: Node) -> dict[str, Any]:
    node_type = SCHEMA.node(node.label)
    props = {
        key: _encode(node_type.prop(key), value)
        for key, value in node.props.items()
        if value is not None and key not in ("id", "name")
    }
    return {"id": node.id, "props": {"id": node.id, "name": node.name, **props}}


def _edge_props(edge: Edge) -> dict[str, Any]:
    rel = SCHEMA.rel(edge.type)
    return {k: _encode(rel.prop(k), v) for k, v in edge.props.items() if v is not None}


# -- reading helpers ----------------------------------------------------------------------


def _node(label: str, record: Record) -> Node:
    props = {k: v for k, v in record["props"].items() if k not in ("id", "name")}
    return Node(label, record["id"], record["name"], props)


def _label(labels: list[str], node_id: str) -> str:
    """The schema label among a node's labels (an analyst may have added others)."""
    known = [label for label in labels if label in SCHEMA.nodes]
    return known[0] if known else (SCHEMA.label_of(node_id) or (labels[0] if labels else ""))


def _labelled_node(record: Record) -> Node:
    return _node(_label(record["labels"], record["id"]), record)
