"""The Neo4j store: the same `GraphStore` on a Neo4j 5 server, chosen by NEO4J_URI.

Every statement it sends comes from `store.cypher`.

A load is written in several transactions, so that a province (hundreds of thousands of
nodes, close to a million relationships) fits in a server with a 1 GB heap, and it is still
all or nothing:

1. It takes the load lock: a `LoadLock` node written by a transaction that stays open for the
   whole load (and is rolled back at its end, so it changes nothing). Loads run one after
   the other, as SQLite's BEGIN IMMEDIATE makes them; a load killed with its process loses
   the lock at once, since the server rolls back the transactions of a closed connection.
2. It reads what the graph holds for the batch's ids and merges with `store.base.plan_nodes`
   / `plan_edges` (the SQLite store's rules). A relationship whose end is nowhere is refused
   here, before anything is written.
3. It records the import as running (`Import {state: 'running'}`), then writes the merged
   rows, `tx_rows` a transaction (CREATE what is new, SET the whole property map of what
   changed). Each transaction also writes its step of the undo journal (`ImportStep`: the ids
   it created, the property maps it replaced).
4. The last transaction deletes the journal and turns the record into a finished import.

When a step fails, the steps already committed are undone from the journal, last first, and
the running record is deleted: the graph is as it was, and the error says "未做任何修改".
When the process is killed, the journal stays; the next store that opens on the database
(or the next load) finds the running import whose lock transaction is gone and undoes it.
While a load runs, other readers may see its committed steps (SQLite's readers see the old
graph until the commit); the version (`version()`) changes only when the load finishes.

Values are stored as the SQLite store reads them back (a FLOAT property given 5 holds 5.0,
an INT given 5.0 holds 5, a STR given a number holds its text), so both stores answer alike.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, LiteralString, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Record,
    Result,
    Session,
    Transaction,
)
from neo4j.exceptions import (
    AuthError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
)

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.batch import SourceFile
from graph_schema.errors import StoreError
from graph_schema.identity import IdentityIndex, KnownNode, written_form
from graph_schema.model import Prop, PropType
from store.base import (
    CandidateRow,
    EnterpriseRow,
    ImportRecord,
    RelView,
    WriteSummary,
    check_internal,
    chunks,
    dangling_error,
    dumps,
    group_edges,
    group_nodes,
    import_counts,
    now_iso,
    outside_endpoints,
    plan_edges,
    plan_nodes,
    unknown_shapes,
)
from store.cypher import STATEMENTS, Statement

_T = TypeVar("_T")
_NO_LIMIT = 2**62  # SQLite's LIMIT -1
_ROWS_PER_READ = 5000  # ids per read of enterprises or relationships by id
_PAGE = 10_000  # nodes (or relationship sources) per page of a whole-label read
_REL_ORDER = {rel: i for i, rel in enumerate(SCHEMA.rels)}
_LABEL_ORDER = {label: i for i, label in enumerate(SCHEMA.nodes)}
_Triple = tuple[str, str, str]
LOCK_ID = "loadlock:chainkg"
TX_ROWS = 10_000  # rows per write transaction (each statement sends store.base.BATCH_ROWS)
# Bolt only: the driver's HTTP (Query API) support is a preview without managed transactions.
_SCHEMES = {"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}


class Neo4jStore:
    """A `GraphStore` on a Neo4j server (Bolt or neo4j:// URI)."""

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        database: str | None = None,
        tx_rows: int = TX_ROWS,
        page_rows: int = _PAGE,
    ) -> None:
        self.uri = uri
        self.database = database
        self.tx_rows = max(1, tx_rows)
        self.page_rows = max(1, page_rows)  # nodes (or sources) per page of a whole-label read
        self.steps_written = 0  # write transactions committed by the last load (for benches)
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
            self._recover_at_open()
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

    def write(
        self,
        batch: GraphBatch,
        files: Sequence[SourceFile],
        check: Callable[[], None] | None = None,
    ) -> WriteSummary:
        problems = unknown_shapes(batch)
        if problems:
            raise StoreError("数据不符合图模式，未做任何修改：" + "；".join(problems[:5]))
        holder = uuid.uuid4().hex
        try:
            with self._session() as lock_session:
                # The lock transaction lives as long as the load and is rolled back at its end:
                # it changes nothing, it only holds the lock (and dies with a killed process).
                lock = lock_session.begin_transaction(metadata={"chainkg_load": holder})
                try:
                    _run(lock, STATEMENTS.load_lock, id=LOCK_ID, holder=holder).consume()
                    self._recover()
                    return self._journaled_write(batch, files, holder, check)
                finally:
                    lock.close()
        except StoreError:
            raise
        except IncompleteCommit as exc:
            raise StoreError(
                f"写入 Neo4j 时连接中断，无法确认是否已写入（再次导入同样的数据是安全的）："
                f"{_describe(exc)}"
            ) from exc
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"写入 Neo4j 失败，未做任何修改：{_describe(exc)}") from exc

    def _journaled_write(
        self,
        batch: GraphBatch,
        files: Sequence[SourceFile],
        holder: str,
        check: Callable[[], None] | None = None,
    ) -> WriteSummary:
        """Plan everything, then write it in transactions of `tx_rows` rows, each with its step
        of the undo journal; undo them all when anything fails (`check` raising included: it
        is called before each transaction)."""
        summary = WriteSummary()
        plan = self._plan(batch, summary, check)  # reads only; a dangling end is refused here
        if check is not None:
            check()
        seq = int(self._read(STATEMENTS.import_last_seq)[0]["seq"]) + 1
        import_id = f"import:{seq}"
        self._write_tx(STATEMENTS.import_begin, id=import_id, name="导入中", seq=seq, holder=holder)
        self.steps_written = 0
        try:
            for number, step in enumerate(plan.steps(self.tx_rows)):
                if check is not None:
                    check()
                with self._session() as session:
                    session.execute_write(_write_step, seq, number, step)
                self.steps_written += 1
            if check is not None:
                check()
            props = _import_props(seq, files, import_counts(batch, summary), summary.changed)
            with self._session() as session:
                session.execute_write(_finish_import, seq, props)
        except BaseException as exc:
            try:
                self._undo(seq)
            except (DriverError, Neo4jError) as undo_exc:
                raise StoreError(
                    f"写入 Neo4j 失败（{_describe(exc)}），撤销也未完成（{_describe(undo_exc)}）："
                    "下次打开或导入时会自动撤销这次未完成的导入"
                ) from exc
            if isinstance(exc, StoreError | DriverError | Neo4jError):
                raise StoreError(
                    f"写入 Neo4j 失败，未做任何修改（已撤销 {self.steps_written} 个已提交的批次）："
                    f"{_describe(exc)}"
                ) from exc
            raise
        return summary

    def _plan(
        self, batch: GraphBatch, summary: WriteSummary, check: Callable[[], None] | None = None
    ) -> _Plan:
        plan = _Plan()
        created: set[str] = set()
        # A label the store holds none of (every label, on a first load) is not looked up.
        held = {r["item"] for r in self._read(STATEMENTS.stats_nodes) if r["count"]}
        with self._session() as session:
            for label, nodes in group_nodes(batch).items():
                if check is not None:
                    check()
                stored = (
                    session.execute_read(_fetch_nodes, label, [n.id for n in nodes])
                    if label in held or label not in SCHEMA.domain_labels
                    else {}
                )
                for node in plan_nodes(nodes, stored, summary):
                    old = stored.get(node.id)
                    if old is None:
                        created.add(node.id)
                        plan.node_creates.setdefault(label, []).append(_node_row(node))
                    else:
                        plan.node_updates.setdefault(label, []).append(
                            (_node_row(node), _node_row(old)["props"])
                        )
            planned_edges: list[Edge] = []
            for edges in group_edges(batch).values():
                if check is not None:
                    check()
                by_triple: dict[_Triple, list[Edge]] = {}
                for edge in edges:
                    if edge.src in created or edge.dst in created:
                        continue  # a node made by this load has no relationship yet
                    by_triple.setdefault((edge.src_label, edge.type, edge.dst_label), []).append(
                        edge
                    )
                existing: dict[tuple[str, str], Edge] = {}
                for triple, group in by_triple.items():
                    existing.update(session.execute_read(_fetch_edges, triple, group))
                for edge in plan_edges(edges, existing, summary):
                    planned_edges.append(edge)
                    triple = (edge.src_label, edge.type, edge.dst_label)
                    row = {"src": edge.src, "dst": edge.dst, "props": _edge_props(edge)}
                    old_edge = existing.get((edge.src, edge.dst))
                    if old_edge is None:
                        plan.edge_creates.setdefault(triple, []).append(row)
                    else:
                        plan.edge_updates.setdefault(triple, []).append((row, old_edge.props))
            session.execute_read(_check_endpoints, planned_edges, batch)
        return plan

    def _write_tx(self, statement: Statement, **params: Any) -> None:
        def work(tx: ManagedTransaction) -> None:
            _run(tx, statement, **params).consume()

        with self._session() as session:
            session.execute_write(work)

    def _undo(self, seq: int) -> None:
        """Take import `seq` back, step by step from the last; each step is undone and its
        journal entry deleted in one transaction, so an undo that stops can be resumed."""
        while True:
            records = self._read(STATEMENTS.step_last, seq=seq)
            if not records:
                break
            with self._session() as session:
                session.execute_write(_undo_step, records[0]["id"], json.loads(records[0]["undo"]))
        self._write_tx(STATEMENTS.import_delete, id=f"import:{seq}")

    def _recover(self) -> None:
        """Undo the loads that were left unfinished (their process died); the caller holds the
        load lock, so no unfinished load is alive."""
        for record in self._read(STATEMENTS.import_running):
            self._undo(int(record["seq"]))

    def _recover_at_open(self) -> None:
        """Undo a load whose process died, unless a live load is still writing it."""
        running = self._read(STATEMENTS.import_running)
        if not running:
            return
        try:
            alive = set(self._read(STATEMENTS.load_holders)[0]["holders"])
        except StoreError:
            return  # no right to list transactions: the next load recovers
        if any(r["holder"] in alive for r in running):
            return
        with self._session() as session:
            lock = session.begin_transaction()
            try:
                _run(lock, STATEMENTS.load_lock, id=LOCK_ID, holder="recovery").consume()
                self._recover()
            finally:
                lock.close()

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

    def _pages(
        self, statement: Statement, last: Callable[[Record], str | None]
    ) -> Iterator[Record]:
        """The pages of a paged whole-label read (`store.cypher`: `$after`, `$page`, one record
        a page), in one read transaction; `last` gives a page's greatest id, None past the end.

        A record per node or relationship costs the driver far more than the values in it:
        a page is one record holding its rows as lists (issue 10)."""
        after: str | None = ""
        try:
            with self._session() as session, session.begin_transaction() as tx:
                while after is not None:
                    result = _run(tx, statement, after=after, page=self.page_rows)
                    record = result.single(strict=True)
                    after = last(record)
                    yield record
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
        def last(record: Record) -> str | None:
            rows = record["rows"]
            return max(row[0] for row in rows) if len(rows) == self.page_rows else None

        for record in self._pages(STATEMENTS.nodes[label].iterate, last):
            for node_id, name, props in sorted(record["rows"], key=itemgetter(0)):
                yield _node_of(label, node_id, name, props)

    def iter_edges(self, rel_type: str) -> Iterator[Edge]:
        """By source id, then target id: the source labels one after the other in the order
        of their id prefixes (each label's ids share its prefix), each read page by page."""
        by_source = STATEMENTS.iter_edges[rel_type]
        for src_label in sorted(by_source, key=lambda label: SCHEMA.node(label).prefix):
            for record in self._pages(by_source[src_label], itemgetter("last")):
                for src, labels, dst, props in sorted(record["rows"], key=itemgetter(0, 2)):
                    yield Edge(rel_type, src_label, src, _label(labels, dst), dst, props)

    def identity_index(self) -> IdentityIndex:
        """Only the properties identity needs, without decoding whole property maps."""
        index = IdentityIndex()
        for label in SCHEMA.domain_labels:

            def convert(r: Record, label: str = label) -> KnownNode:
                values = r.data()
                return KnownNode(
                    label,
                    values["id"],
                    values["name"],
                    tuple(values["aliases"] or ()),
                    values.get("credit_code"),
                    values.get("chain") if label == "Link" else None,
                    values.get("local"),
                )

            for known in self._stream(STATEMENTS.nodes[label].identity, convert):
                index.add(known)
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

    def put_records(self, label: str, nodes: Sequence[Node]) -> None:
        check_internal(label)
        rows = [_node_row(node) for node in nodes]

        statements = STATEMENTS.nodes[label]

        def work(tx: ManagedTransaction) -> None:
            for part in chunks(rows):
                ids = [row["id"] for row in part]
                stored = {r["id"] for r in _run(tx, statements.exists, ids=ids)}
                new = [row for row in part if row["id"] not in stored]
                old = [row for row in part if row["id"] in stored]
                if new:
                    _run(tx, statements.create, rows=new).consume()
                if old:
                    _run(tx, statements.update, rows=old).consume()

        try:
            with self._session() as session:
                session.execute_write(work)
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"写入 Neo4j 失败：{_describe(exc)}") from exc

    def get_nodes(self, label: str, ids: Sequence[str]) -> dict[str, Node]:
        def work(tx: ManagedTransaction) -> dict[str, Node]:
            return _fetch_nodes(tx, label, list(ids))

        try:
            with self._session() as session:
                return session.execute_read(work)
        except (DriverError, Neo4jError) as exc:
            raise StoreError(f"读取 Neo4j 失败：{_describe(exc)}") from exc

    # -- candidates, read by index (issue 17) ----------------------------------------------

    def candidates(self, link_ids: Sequence[str]) -> list[CandidateRow]:
        (record,) = self._read(STATEMENTS.candidates, links=sorted(set(link_ids)))
        return [_candidate(*row) for row in sorted(record["rows"], key=itemgetter(0))]

    def enterprise_rows(self, ids: Sequence[str]) -> list[EnterpriseRow]:
        out: list[EnterpriseRow] = []
        for part in chunks(sorted(set(ids)), _ROWS_PER_READ):
            (record,) = self._read(STATEMENTS.enterprise_rows, ids=part)
            out += [_enterprise(*row) for row in sorted(record["rows"], key=itemgetter(0))]
        return out

    def local_enterprise_ids(self) -> list[str]:
        (record,) = self._read(STATEMENTS.local_enterprises)
        return sorted(record["ids"])

    def edges_from(self, rel_type: str, src_label: str, src_ids: Sequence[str]) -> list[Edge]:
        statement = STATEMENTS.edges_from[(rel_type, src_label)]
        out: list[Edge] = []
        for part in chunks(sorted(set(src_ids)), _ROWS_PER_READ):
            (record,) = self._read(statement, ids=list(part))
            out += [
                Edge(rel_type, src_label, src, _label(labels, dst), dst, props)
                for src, labels, dst, props in sorted(record["rows"], key=itemgetter(0, 2))
            ]
        return out

    def close(self) -> None:
        self._driver.close()


# -- statements --------------------------------------------------------------------------


def _text(statement: Statement) -> LiteralString:
    # The driver asks for a LiteralString: statement texts are built from schema names only
    # (store.cypher checks each one) and every value is a parameter. (mypy takes any str.)
    return statement.text


def _run(tx: ManagedTransaction | Transaction, statement: Statement, **params: Any) -> Result:
    if set(params) != set(statement.params):
        raise TypeError(f"{statement.name} takes {statement.params}, not {tuple(params)}")
    return tx.run(_text(statement), params)


def _single(tx: ManagedTransaction, statement: Statement, **params: Any) -> Record:
    return _run(tx, statement, **params).single(strict=True)


def _describe(exc: BaseException) -> str:
    return str(getattr(exc, "message", None) or exc)


# -- writing helpers ----------------------------------------------------------------------


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


@dataclass
class _Step:
    """What one write transaction does: create or update rows of one label or triple."""

    action: str  # "create" or "update"
    label: str | None
    triple: _Triple | None
    rows: list[dict[str, Any]]
    old: list[dict[str, Any]]  # for updates: the stored property maps, in the order of rows

    def undo(self) -> dict[str, Any]:
        """The journal entry that takes this step back."""
        entry: dict[str, Any] = {"action": self.action, "label": self.label}
        entry["triple"] = list(self.triple) if self.triple else None
        if self.action == "create":
            entry["keys"] = [
                r["id"] if self.label else {"src": r["src"], "dst": r["dst"]} for r in self.rows
            ]
        elif self.label:
            entry["rows"] = [
                {"id": r["id"], "props": o} for r, o in zip(self.rows, self.old, strict=True)
            ]
        else:
            entry["rows"] = [
                {"src": r["src"], "dst": r["dst"], "props": o}
                for r, o in zip(self.rows, self.old, strict=True)
            ]
        return entry


@dataclass
class _Plan:
    """The rows a load writes, by label and triple, with the stored values they replace."""

    node_creates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    node_updates: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = field(
        default_factory=dict
    )
    edge_creates: dict[_Triple, list[dict[str, Any]]] = field(default_factory=dict)
    edge_updates: dict[_Triple, list[tuple[dict[str, Any], dict[str, Any]]]] = field(
        default_factory=dict
    )

    def steps(self, size: int) -> Iterator[_Step]:
        """Nodes before relationships, `size` rows a step."""
        for label, rows in self.node_creates.items():
            for part in chunks(rows, size):
                yield _Step("create", label, None, list(part), [])
        for label, pairs in self.node_updates.items():
            for changed in chunks(pairs, size):
                yield _Step("update", label, None, [r for r, _ in changed], [o for _, o in changed])
        for triple, rows in self.edge_creates.items():
            for part in chunks(rows, size):
                yield _Step("create", None, triple, list(part), [])
        for triple, pairs in self.edge_updates.items():
            for changed in chunks(pairs, size):
                yield _Step(
                    "update", None, triple, [r for r, _ in changed], [o for _, o in changed]
                )


def _write_step(tx: ManagedTransaction, seq: int, number: int, step: _Step) -> None:
    """One step and its journal entry, in one transaction."""
    if step.label is not None:
        statements = STATEMENTS.nodes[step.label]
        statement = statements.create if step.action == "create" else statements.update
        what = step.label
    else:
        assert step.triple is not None
        edge_statements = STATEMENTS.edges[step.triple]
        statement = edge_statements.create if step.action == "create" else edge_statements.update
        what = step.triple[1]
    # One statement for the whole step: fewer round trips than BATCH_ROWS statements.
    written = _single(tx, statement, rows=step.rows)["written"]
    if written != len(step.rows):  # an end vanished, or a node changed under us
        raise StoreError(
            f"写入 {what} 时有 {len(step.rows) - written} 行未能写入（端点或节点已不存在），"
            "未做任何修改"
        )
    _run(
        tx,
        STATEMENTS.step_create,
        id=f"importstep:{seq}:{number}",
        seq=seq,
        step=number,
        undo=json.dumps(step.undo(), ensure_ascii=False, default=str),
    ).consume()


def _undo_step(tx: ManagedTransaction, step_id: str, entry: dict[str, Any]) -> None:
    label, triple = entry["label"], entry["triple"]
    if label is not None:
        node_statements = STATEMENTS.nodes[label]
        for part in chunks(entry.get("keys", [])):
            _run(tx, node_statements.delete, ids=list(part)).consume()
        for part in chunks(entry.get("rows", [])):
            _run(tx, node_statements.update, rows=list(part)).consume()
    else:
        src, rel, dst = triple
        edge_statements = STATEMENTS.edges[(src, rel, dst)]
        for part in chunks(entry.get("keys", [])):
            _run(tx, edge_statements.delete, keys=list(part)).consume()
        for part in chunks(entry.get("rows", [])):
            _run(tx, edge_statements.update, rows=list(part)).consume()
    _run(tx, STATEMENTS.step_delete, id=step_id).consume()


def _finish_import(tx: ManagedTransaction, seq: int, props: dict[str, Any]) -> None:
    _run(tx, STATEMENTS.steps_delete, seq=seq).consume()
    _run(tx, STATEMENTS.import_finish, id=f"import:{seq}", props=props).consume()


def _import_props(
    seq: int, files: Sequence[SourceFile], counts: dict[str, int], changed: bool
) -> dict[str, Any]:
    names = [f.name for f in files]
    return {
        "id": f"import:{seq}",
        "name": "、".join(names) or "导入",
        "seq": seq,
        "files": names,
        "sha256": [f.sha256 for f in files],
        "at": now_iso(),
        "counts": dumps(counts),
        "changed": changed,
    }


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


def _node_of(label: str, node_id: str, name: str, props: dict[str, Any]) -> Node:
    """A node from a row of a page (`props`, decoded for this row alone, is taken as it is)."""
    props.pop("id", None)
    props.pop("name", None)
    return Node(label, node_id, name, props)


def _label(labels: list[str], node_id: str) -> str:
    """The schema label among a node's labels (an analyst may have added others)."""
    known = [label for label in labels if label in SCHEMA.nodes]
    return known[0] if known else (SCHEMA.label_of(node_id) or (labels[0] if labels else ""))


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _links(links: list[list[Any]]) -> tuple[tuple[str, float | None, float | None], ...]:
    return tuple(sorted((link, _number(revenue), _number(share)) for link, revenue, share in links))


def _candidate(
    ent_id: str,
    name: str,
    revenue: Any,
    tags: list[str] | None,
    region: str | None,
    links: list[list[Any]],
    supplies: list[str],
    invests: list[str],
) -> CandidateRow:
    return CandidateRow(
        ent_id,
        name,
        _number(revenue),
        tuple(tags or ()),
        region,
        _links(links),
        tuple(sorted(supplies)),
        tuple(sorted(invests)),
    )


def _enterprise(
    ent_id: str,
    name: str,
    props: dict[str, Any],
    places: list[str],
    links: list[list[Any]],
    supplies: list[str],
    invests: list[str],
) -> EnterpriseRow:
    return EnterpriseRow(
        _node_of("Enterprise", ent_id, name, props),
        _links(links),
        tuple(sorted(places)),
        tuple(sorted(supplies)),
        tuple(sorted(invests)),
    )


def _labelled_node(record: Record) -> Node:
    return _node(_label(record["labels"], record["id"]), record)
