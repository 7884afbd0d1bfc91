"""The Neo4j store: the same `GraphStore` on a Neo4j 5 server, chosen by NEO4J_URI.

Every statement it sends comes from `store.cypher`.

A load is written in several transactions, so that a province (hundreds of thousands of
nodes, close to a million relationships) fits in a server with a 1 GB heap, and it is still
all or nothing:

1. It takes the load lock: a `LoadLock` node written by a transaction that stays open for the
   whole load (and is rolled back at its end, so it changes nothing). Loads run one after
   the other, as SQLite's BEGIN IMMEDIATE makes them; a load killed with its process loses
   the lock at once, since the server rolls back the transactions of a closed connection.
   It records the import as running (`Import {state: 'running'}`).
2. The loader streams (`begin_load`, `Neo4jLoad`): each part (every CHAINKG_LOAD_PART_ROWS
   rows) is compared with what the graph holds, merged with `store.base.plan_nodes` /
   `plan_edges` (the SQLite store's rules) and written at once, then dropped, so the loading
   process holds a part, not the load. A relationship whose end is nowhere is refused before
   its part is written. The rows go `tx_rows` a transaction (CREATE what is new, SET the whole
   property map of what changed); each transaction also writes its step of the undo journal
   (`ImportStep`: what it created, the property maps it replaced).
3. The commit writes the last part, deletes the journal and turns the record into a
   finished import.

A re-load reads no property maps back: the server compares each stored node and relationship
with the values the load gives (`compare` statements) and answers with its id alone when it
holds them all; of relationships without properties only the missing keys come back.

When a step fails (or the loader finds an error in a later part), the steps already committed
are undone from the journal, last first, and the running record is deleted: the graph is as
it was, and the error says "未做任何修改".
When the process is killed, the journal stays; the next store that opens on the database
(or the next load) finds the running import whose lock transaction is gone and undoes it.
While a load runs, other readers may see its committed steps (SQLite's readers see the old
graph until the commit); the version (`version()`) changes only when the load finishes.

Values are stored as the SQLite store reads them back (a FLOAT property given 5 holds 5.0,
an INT given 5.0 holds 5, a STR given a number holds its text), so both stores answer alike.
"""

from __future__ import annotations

import gc
import json
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, LiteralString

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
    LoadSession,
    RelView,
    WriteSummary,
    batch_counts,
    check_internal,
    chunks,
    dangling_error,
    dumps,
    now_iso,
    plan_edges,
    plan_nodes,
    unknown_shapes,
)
from store.cypher import STATEMENTS, Statement, identity_keys

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
                # The load's statements name property keys and types a first load has not
                # written yet; the server's notices about them are noise to a user's terminal.
                notifications_min_severity=NotificationMinimumSeverity.OFF,
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
        session = self.begin_load(False, check)
        try:
            return session.commit(batch, files, batch_counts(batch))
        except BaseException:
            session.rollback()
            raise

    def begin_load(self, large: bool = False, check: Callable[[], None] | None = None) -> Neo4jLoad:
        """A load written part by part as the loader streams (see `Neo4jLoad`)."""
        return Neo4jLoad(self, check)

    def begin_bulk_export(
        self, folder: Path, check: Callable[[], None] | None = None, at: str | None = None
    ) -> LoadSession:
        """A first load written as neo4j-admin import files into `folder` instead of into the
        server (store/neo4j_bulk.py; `chainkg load --neo4j-bulk`)."""
        from store.neo4j_bulk import Neo4jBulkExport  # it builds on this module

        return Neo4jBulkExport(folder, check, at=at)

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

        def last(record: Record) -> str | None:
            rows = record["rows"]
            return max(row[0] for row in rows) if len(rows) == self.page_rows else None

        for label in SCHEMA.domain_labels:
            keys = identity_keys(SCHEMA, label)
            for record in self._pages(STATEMENTS.nodes[label].identity, last):
                for row in record["rows"]:
                    values = dict(zip(keys, row, strict=True))
                    index.add(
                        KnownNode(
                            label,
                            values["id"],
                            values["name"],
                            tuple(values["aliases"] or ()),
                            values.get("credit_code"),
                            values.get("chain") if label == "Link" else None,
                            values.get("local"),
                        )
                    )
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


class Neo4jLoad:
    """A load into Neo4j written part by part as the loader streams, whole or not at all.

    At the start it takes the load lock (a transaction that stays open for the whole load),
    undoes any load a dead process left, and records the import as running. Each part is then
    planned against what the graph holds (`store.base.plan_nodes` / `plan_edges`) and written
    at once in transactions of `tx_rows` rows, each with its step of the undo journal, and
    dropped: memory holds a part, not the load. `commit` writes the last part and turns the
    record into a finished import; `rollback` (or a killed process, at the next open) undoes
    the steps, last first.

    Relationships of a part may end at nodes the loader keeps for later (`pending`: chains,
    links, regions…): those that the graph lacks are created first, as they are now; the last
    part brings them whole and they are merged again then (counted once, as created). A label
    or relationship type the graph held none of when the load began is not looked up, except
    for what this load wrote itself (`created`, and hashes of the relationship keys it made).
    Of the relationships without properties only the missing keys come back (`missing`).
    """

    def __init__(self, store: Neo4jStore, check: Callable[[], None] | None = None) -> None:
        self.store = store
        self.check = check
        self.summary = WriteSummary()
        self.holder = uuid.uuid4().hex
        self.seq: int | None = None
        self.number = 0  # the next step's number
        self.created: set[str] = set()  # node ids this load created
        self.made_edges: set[int] = set()  # hash((type, src, dst)) of rich relationships it made
        self.done = False
        store.steps_written = 0
        self._lock_session = store._session()
        self._lock: Transaction | None = None
        try:
            # The lock transaction lives as long as the load and is rolled back at its end: it
            # changes nothing, it only holds the lock (and dies with a killed process).
            self._lock = self._lock_session.begin_transaction(
                metadata={"chainkg_load": self.holder}
            )
            _run(self._lock, STATEMENTS.load_lock, id=LOCK_ID, holder=self.holder).consume()
            store._recover()
            self.held_labels = {
                r["item"] for r in store._read(STATEMENTS.stats_nodes) if r["count"]
            }
            self.held_rels = {
                r["item"] for r in store._read(STATEMENTS.stats_relationships) if r["count"]
            }
            seq = int(store._read(STATEMENTS.import_last_seq)[0]["seq"]) + 1
            store._write_tx(
                STATEMENTS.import_begin,
                id=f"import:{seq}",
                name="导入中",
                seq=seq,
                holder=self.holder,
            )
            self.seq = seq
        except BaseException as exc:
            self._close()
            raise _write_error(exc) from exc

    # -- the LoadSession protocol ------------------------------------------------------------

    def write_part(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        try:
            self._write(part, pending)
        except BaseException as exc:
            raise _write_error(exc) from exc
        # The loader pauses the cyclic collector for the whole load; the driver's results and
        # transactions are cyclic garbage, so without this the part's garbage stays until the
        # load ends (about 600 MB at province scale). Only the young objects are scanned.
        gc.collect(0)

    def commit(
        self, part: GraphBatch, files: Sequence[SourceFile], counts: Mapping[str, int]
    ) -> WriteSummary:
        assert self.seq is not None
        try:
            self._write(part, {})
            self._check()
            summary = self.summary
            props = _import_props(self.seq, files, {**counts, **summary.as_dict()}, summary.changed)
            with self.store._session() as session:
                session.execute_write(_finish_import, self.seq, props)
        except BaseException as exc:
            raise _write_error(exc) from exc
        self.done = True
        self._close()
        return summary

    def rollback(self) -> None:
        """Undo every step written since the load began (nothing after a commit)."""
        if self.done:
            return
        self.done = True
        try:
            if self.seq is not None:
                self.store._undo(self.seq)
        except (DriverError, Neo4jError) as exc:
            raise StoreError(
                f"写入 Neo4j 未完成，撤销也未完成（{_describe(exc)}）："
                "下次打开或导入时会自动撤销这次未完成的导入"
            ) from exc
        finally:
            self._close()

    def _close(self) -> None:
        try:
            if self._lock is not None:
                self._lock.close()
        finally:
            self._lock = None
            self._lock_session.close()

    def _check(self) -> None:
        if self.check is not None:
            self.check()

    # -- one part ----------------------------------------------------------------------------

    def _write(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        problems = unknown_shapes(part)
        if problems:
            raise StoreError("数据不符合图模式，未做任何修改：" + "；".join(problems[:5]))
        self._check()
        # Pending nodes the part's relationships end at, and which this load has not placed
        nodes = dict(part.nodes)
        for edge in part.edges.values():
            for end in (edge.src, edge.dst):
                if end in pending and end not in nodes and end not in self.created:
                    nodes[end] = pending[end]
        steps: list[_Step] = []
        with self.store._session() as session:
            new = self._plan_nodes(session, nodes, steps)
            self._plan_edges(session, part, nodes, pending, new, steps)
        seq = self.seq
        assert seq is not None
        for step in steps:
            self._check()
            with self.store._session() as session:
                session.execute_write(_write_step, seq, self.number, step)
            self.number += 1
            self.store.steps_written += 1

    def _plan_nodes(
        self, session: Session, nodes: Mapping[str, Node], steps: list[_Step]
    ) -> set[str]:
        """The node steps of a part, and the ids it creates. The stored nodes are compared on
        the server first (`compare`): only those the load would change come back whole."""
        new: set[str] = set()
        size = self.store.tx_rows
        created, summary = self.created, self.summary
        groups: dict[str, list[Node]] = {}
        for node in nodes.values():
            groups.setdefault(node.label, []).append(node)
        for label, group in groups.items():
            self._check()
            rows = {n.id: _node_row(n) for n in group}
            look = label in self.held_labels or label not in SCHEMA.domain_labels
            # where the label was empty when the load began, only this load's nodes can be
            wanted = [rows[n.id] for n in group if look or n.id in created]
            found = session.execute_read(_compare_nodes, label, wanted) if wanted else {}
            stored: dict[str, Node] = {}
            fresh: list[Node] = []
            again: list[Node] = []  # placed earlier by this load: counted as created then
            creates: list[dict[str, Any]] = []
            for node in group:
                if node.id not in found:
                    if node.id not in created:
                        summary.nodes_created += 1
                        created.add(node.id)
                    new.add(node.id)
                    creates.append(rows[node.id])
                    continue
                props = found[node.id]
                if props is None:  # holds every value the load gives it already
                    if node.id not in created:
                        summary.nodes_unchanged += 1
                    continue
                stored[node.id] = _stored_node(label, props)
                (again if node.id in created else fresh).append(node)
            planned = plan_nodes(fresh, stored, summary)
            if again:
                planned += plan_nodes(again, stored, WriteSummary())
            updates = [(_node_row(node), found[node.id] or {}) for node in planned]
            for part in chunks(creates, size):
                steps.append(_Step("create", label, None, list(part), []))
            for pairs in chunks(updates, size):
                steps.append(
                    _Step("update", label, None, [r for r, _ in pairs], [o for _, o in pairs])
                )
        return new

    def _plan_edges(
        self,
        session: Session,
        part: GraphBatch,
        nodes: Mapping[str, Node],
        pending: Mapping[str, Node],
        new: set[str],
        steps: list[_Step],
    ) -> None:
        """The relationship steps of a part, after its ends are checked. A relationship at a
        node this part creates (`new`) is new too; of the other bare ones, those missing
        (`missing`) are created; the others are compared on the server like nodes."""
        size = self.store.tx_rows
        created, made = self.created, self.made_edges
        summary = self.summary
        all_edges: list[Edge] = []
        by_triple: dict[_Triple, list[Edge]] = {}
        for edge in part.edges.values():
            all_edges.append(edge)
            by_triple.setdefault((edge.src_label, edge.type, edge.dst_label), []).append(edge)
        self._check_ends(session, all_edges, nodes, pending)
        for triple, edges in by_triple.items():
            self._check()
            fresh = [
                {"src": e.src, "dst": e.dst, "props": {}}
                for e in edges
                if not e.props and (e.src in new or e.dst in new)
            ]
            summary.edges_created += len(fresh)
            if SCHEMA.rel(triple[1]).props:  # a later part may give the same one its values
                made.update(hash(e.key) for e in edges if not e.props)
            for part_rows in chunks(fresh, size):
                steps.append(_Step("create", None, triple, list(part_rows), []))
            bare = [
                {"src": e.src, "dst": e.dst}
                for e in edges
                if not e.props and e.src not in new and e.dst not in new
            ]
            absent = session.execute_read(_missing_edges, triple, bare) if bare else []
            summary.edges_created += len(absent)
            summary.edges_unchanged += len(bare) - len(absent)
            for part_rows in chunks(absent, size):
                steps.append(_Step("create", None, triple, list(part_rows), []))
            rich = [e for e in edges if e.props]
            if not rich:
                continue
            held = triple[1] in self.held_rels
            rows = {e.key: {"src": e.src, "dst": e.dst, "props": _edge_props(e)} for e in rich}
            maybe = [
                rows[e.key]
                for e in rich
                if hash(e.key) in made or (held and e.src not in created and e.dst not in created)
            ]
            found = session.execute_read(_compare_edges, triple, maybe) if maybe else {}
            existing: dict[tuple[str, str], Edge] = {}
            to_plan: list[Edge] = []
            creates: list[dict[str, Any]] = []
            for edge in rich:
                pair = (edge.src, edge.dst)
                if pair not in found:
                    summary.edges_created += 1
                    made.add(hash(edge.key))
                    creates.append(rows[edge.key])
                    continue
                props = found[pair]
                if props is None:
                    summary.edges_unchanged += 1
                    continue
                existing[pair] = Edge(
                    edge.type, edge.src_label, edge.src, edge.dst_label, edge.dst, props
                )
                to_plan.append(edge)
            updates = [
                (
                    {"src": e.src, "dst": e.dst, "props": _edge_props(e)},
                    existing[(e.src, e.dst)].props,
                )
                for e in plan_edges(to_plan, existing, summary)
            ]
            for part_rows in chunks(creates, size):
                steps.append(_Step("create", None, triple, list(part_rows), []))
            for pairs in chunks(updates, size):
                steps.append(
                    _Step("update", None, triple, [r for r, _ in pairs], [o for _, o in pairs])
                )

    def _check_ends(
        self,
        session: Session,
        edges: list[Edge],
        nodes: Mapping[str, Node],
        pending: Mapping[str, Node],
    ) -> None:
        """Refuse relationships whose ends are neither in the load nor in the graph."""
        ends = {e.src for e in edges} | {e.dst for e in edges}
        ends -= nodes.keys()
        ends -= pending.keys()
        ends -= self.created
        by_label: dict[str, set[str]] = {}
        for node_id in ends:
            by_label.setdefault(SCHEMA.label_of(node_id) or "", set()).add(node_id)
        if by_label:
            session.execute_read(_check_endpoints, by_label)


def _write_error(exc: BaseException) -> BaseException:
    """What a failed step of a load raises (the caller's rollback then undoes the load)."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, IncompleteCommit):
        return StoreError(
            f"写入 Neo4j 时连接中断，无法确认是否已写入（再次导入同样的数据是安全的）："
            f"{_describe(exc)}"
        )
    if isinstance(exc, DriverError | Neo4jError):
        return StoreError(f"写入 Neo4j 失败，未做任何修改：{_describe(exc)}")
    return exc


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


def _compare_nodes(
    tx: ManagedTransaction, label: str, rows: list[dict[str, Any]]
) -> dict[str, dict[str, Any] | None]:
    """Stored nodes among `rows`: None where the node holds every given value already, else
    its whole stored property map."""
    found: dict[str, dict[str, Any] | None] = {}
    for part in chunks(rows, _ROWS_PER_READ):
        record = _run(tx, STATEMENTS.nodes[label].compare, rows=list(part)).single(strict=True)
        for node_id, props in record["rows"]:
            found[node_id] = None if props is None else dict(props)
    return found


def _compare_edges(
    tx: ManagedTransaction, triple: _Triple, rows: list[dict[str, Any]]
) -> dict[tuple[str, str], dict[str, Any] | None]:
    found: dict[tuple[str, str], dict[str, Any] | None] = {}
    for part in chunks(rows, _ROWS_PER_READ):
        record = _run(tx, STATEMENTS.edges[triple].compare, rows=list(part)).single(strict=True)
        for src, dst, props in record["rows"]:
            found[(src, dst)] = None if props is None else dict(props)
    return found


def _missing_edges(
    tx: ManagedTransaction, triple: _Triple, keys: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows (props {}) of the bare relationships among `keys` that do not exist."""
    out: list[dict[str, Any]] = []
    for part in chunks(keys, _ROWS_PER_READ):
        record = _run(tx, STATEMENTS.edges[triple].missing, keys=list(part)).single(strict=True)
        out += [{"src": src, "dst": dst, "props": {}} for src, dst in record["rows"]]
    return out


def _stored_node(label: str, props: dict[str, Any]) -> Node:
    rest = {k: v for k, v in props.items() if k not in ("id", "name")}
    return Node(label, props["id"], props["name"], rest)


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


def _check_endpoints(tx: ManagedTransaction, by_label: Mapping[str, set[str]]) -> None:
    missing: list[tuple[str, str]] = []
    for label, ids in by_label.items():
        wanted = sorted(ids)
        found: set[str] = set()
        if label in STATEMENTS.nodes:
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
