"""The embedded store: one SQLite file, a table per label and per relationship type.

Tables come from `graph_schema.ddl`. A load is one transaction (BEGIN IMMEDIATE … COMMIT),
so readers in other connections keep seeing the old graph until it commits (WAL).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.ddl import (
    index_name,
    node_indexes,
    rel_dst_index,
    rel_table,
    sqlite_columns,
    sqlite_ddl,
)
from graph_schema.errors import StoreError
from graph_schema.identity import IdentityIndex, KnownNode, written_form
from graph_schema.model import Prop, PropType
from store.base import (
    CandidateRow,
    EnterpriseRow,
    ImportRecord,
    RelView,
    SourceFile,
    WriteSummary,
    batch_counts,
    check_internal,
    chunks,
    dangling_error,
    dumps,
    group_edges,
    group_nodes,
    now_iso,
    outside_endpoints,
    plan_edges,
    plan_nodes,
    unknown_shapes,
)

PAGE_SIZE = 16384  # fewer, fuller B-tree pages: about a quarter faster bulk loads than 4096
CACHE_KIB = 64 * 1024  # page cache of reads
# Page cache while a load writes and its version is recorded: a load appends in key order and
# the version record scans, so a larger cache buys no time (measured: 8, 16 and 64 MB load the
# province alike) and only adds to the peak memory of an import.
LOAD_CACHE_KIB = 8 * 1024
_LOOKUP_CHUNK = 400  # stays under SQLite's bound-parameter limit with two per key
_INSERT_CHUNK = 5000
_CHECK_STEPS = 200_000  # virtual-machine steps between two calls of a load's `check`
_BULK_NODES = 10_000  # from this size on, a first load skips the WAL (see SQLiteLoad)


def _encode(prop: Prop, value: Any) -> Any:
    if value is None:
        return None
    if prop.type == PropType.LIST:
        return dumps(value)
    if prop.type == PropType.BOOL:
        return int(bool(value))
    return value


class SQLiteStore:
    """A `GraphStore` in a single SQLite file."""

    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._deferred: dict[str, list[str]] | None = None  # set while a load is open
        # While a load is open: for each table that was empty when the load began, the keys
        # written so far (node ids; relationship sources). Only those can already be stored,
        # so lookups of the rest are skipped (a first load then reads nothing back).
        self._written: dict[str, set[str]] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # only takes effect on a new file
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._db.execute("PRAGMA temp_store=MEMORY")
            self._create()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"无法打开数据库文件“{self.path}”：{exc}") from exc

    def _create(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for stmt in sqlite_ddl():
                self._db.execute(stmt)
            self._add_missing_columns()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _add_missing_columns(self) -> None:
        """A file made by an earlier chainkg gains the properties added to the schema since."""
        for table, columns in sqlite_columns().items():
            have = {row[1] for row in self._db.execute(f'PRAGMA table_info("{table}")')}
            for name, sql_type in columns.items():
                if name not in have:
                    self._db.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sql_type}')

    # -- writing ---------------------------------------------------------------------------

    def write(
        self,
        batch: GraphBatch,
        files: Sequence[SourceFile],
        check: Callable[[], None] | None = None,
    ) -> WriteSummary:
        session = self.begin_load(len(batch.nodes) >= _BULK_NODES, check)
        try:
            return session.commit(batch, files, batch_counts(batch))
        except BaseException:
            session.rollback()
            raise

    def begin_load(
        self, large: bool = False, check: Callable[[], None] | None = None
    ) -> SQLiteLoad:
        """A load written in parts inside one transaction (see `SQLiteLoad`)."""
        return SQLiteLoad(self, large, check)

    def _write_part(
        self, batch: GraphBatch, summary: WriteSummary, pending: Mapping[str, Node]
    ) -> None:
        problems = unknown_shapes(batch)
        if problems:
            raise StoreError("数据不符合图模式，未做任何修改：" + "；".join(problems[:5]))
        for label, nodes in group_nodes(batch).items():
            self._write_nodes(label, nodes, summary)
        for rel_type, edges in group_edges(batch).items():
            self._write_edges(rel_type, edges, summary, batch, pending)

    def _all_empty(self) -> bool:
        return all(self._is_empty(label) for label in SCHEMA.domain_labels)

    def _write_nodes(self, label: str, nodes: list[Node], summary: WriteSummary) -> None:
        self._defer_indexes(label, node_indexes(SCHEMA.node(label)))
        props = SCHEMA.node(label).all_props[2:]
        cols = ["id", "name", *(p.name for p in props), "extra"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        encode = _Rows(props).node
        written = self._written.get(label)
        if written is not None:  # a table empty when the load began holds only what it wrote
            stored = [n for n in nodes if n.id in written]
            written.update(n.id for n in nodes)
        else:
            stored = nodes
        same = self._same_rows(label, quoted, {n.id: encode(n) for n in stored})
        if same:  # stored exactly as given: nothing to merge (a re-load, mostly)
            summary.nodes_unchanged += len(same)
            nodes = [n for n in nodes if n.id not in same]
            stored = [n for n in stored if n.id not in same]
        existing = self._existing_nodes(label, [n.id for n in stored])
        sql = f'INSERT OR REPLACE INTO "{label}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'
        rows = list(map(encode, plan_nodes(nodes, existing, summary)))
        rows.sort(key=itemgetter(0))  # key order keeps B-tree inserts at the right edge
        for part in chunks(rows, _INSERT_CHUNK):
            self._db.executemany(sql, part)

    def _same_rows(self, label: str, quoted: str, rows: dict[str, list[Any]]) -> set[str]:
        """The ids whose stored row equals the given one, column for column (the row as
        this load would write it): such a node is unchanged by the merge, and is neither
        decoded nor merged."""
        same: set[str] = set()
        if not rows or self._is_empty(label):
            return same
        ids = sorted(rows)
        for part in chunks(ids, _LOOKUP_CHUNK * 2):
            marks = ", ".join("?" * len(part))
            query = f'SELECT {quoted} FROM "{label}" WHERE id IN ({marks})'
            for row in self._db.execute(query, list(part)):
                if list(row) == rows[row[0]]:
                    same.add(row[0])
        return same

    def _defer_indexes(self, table: str, indexes: list[str]) -> None:
        """Into a table that is empty when a load first writes to it, rows go in first and
        the indexes are built once at commit: sorting once is cheaper than growing each index
        row by row. (Dropping an index is part of the transaction: a rollback restores it.)"""
        deferred = self._deferred
        if deferred is None or table in deferred:
            return
        empty = self._is_empty(table)
        deferred[table] = indexes if empty else []
        if empty:
            self._written[table] = set()
        for create in deferred[table]:
            self._db.execute(f'DROP INDEX IF EXISTS "{index_name(create)}"')

    def _build_deferred_indexes(self) -> None:
        for indexes in (self._deferred or {}).values():
            for create in indexes:
                self._db.execute(create)

    def _existing_nodes(self, label: str, ids: list[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        if not ids or self._is_empty(label):
            return found
        for part in chunks(ids, _LOOKUP_CHUNK * 2):
            marks = ", ".join("?" * len(part))
            query = f'SELECT * FROM "{label}" WHERE id IN ({marks})'
            for node in self._read_nodes(label, query, list(part)):
                found[node.id] = node
        return found

    def _write_edges(
        self,
        rel_type: str,
        edges: list[Edge],
        summary: WriteSummary,
        batch: GraphBatch,
        pending: Mapping[str, Node],
    ) -> None:
        """Bare relationships (no properties) can only be created, never changed: they go in
        with INSERT OR IGNORE and the count of inserted rows; the others are merged."""
        self._check_endpoints(edges, batch, pending)
        table = rel_table(rel_type)
        self._defer_indexes(table, [rel_dst_index(rel_type)])
        bare = sorted((e.src, e.dst) for e in edges if not e.props)
        before = self._db.total_changes
        sql = f'INSERT OR IGNORE INTO "{table}" (src, dst) VALUES (?, ?)'
        for part in chunks(bare, _INSERT_CHUNK):
            self._db.executemany(sql, part)
        created = self._db.total_changes - before
        summary.edges_created += created
        summary.edges_unchanged += len(bare) - created
        rich = [e for e in edges if e.props]
        if not rich:
            return
        sources = self._written.get(table)
        stored = rich
        if sources is not None:  # a table empty when the load began: only sources written
            stored = [e for e in rich if e.src in sources]  # before can match
            sources.update(e.src for e in edges)
        same = self._same_edges(rel_type, stored)
        if same:  # stored exactly as given: nothing to merge (a re-load, mostly)
            summary.edges_unchanged += len(same)
            rich = [e for e in rich if (e.src, e.dst) not in same]
            stored = [e for e in stored if (e.src, e.dst) not in same]
        existing = self._existing_edges(rel_type, stored)
        self._insert_edges(rel_type, plan_edges(rich, existing, summary), "INSERT OR REPLACE")

    def _same_edges(self, rel_type: str, edges: list[Edge]) -> set[tuple[str, str]]:
        """The relationships whose stored row equals the given one, column for column (see
        `_same_rows`), found through the (src, dst) key's first half."""
        same: set[tuple[str, str]] = set()
        table = rel_table(rel_type)
        if not edges or self._is_empty(table):
            return same
        props = SCHEMA.rel(rel_type).props
        encode = _Rows(props).edge
        rows = {(e.src, e.dst): encode(e) for e in edges}
        quoted = ", ".join(f'"{c}"' for c in ("src", "dst", *(p.name for p in props), "extra"))
        for part in chunks(sorted({e.src for e in edges}), _LOOKUP_CHUNK * 2):
            marks = ", ".join("?" * len(part))
            query = f'SELECT {quoted} FROM "{table}" WHERE src IN ({marks})'
            for row in self._db.execute(query, list(part)):
                key = (row[0], row[1])
                if list(row) == rows.get(key):
                    same.add(key)
        return same

    def _insert_edges(self, rel_type: str, edges: Sequence[Edge], verb: str) -> None:
        if not edges:
            return
        props = SCHEMA.rel(rel_type).props
        cols = ["src", "dst", *(p.name for p in props), "extra"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        sql = f'{verb} INTO "{rel_table(rel_type)}" ({quoted}) VALUES ({marks})'
        rows = list(map(_Rows(props).edge, edges))
        rows.sort(key=itemgetter(0, 1))
        for part in chunks(rows, _INSERT_CHUNK):
            self._db.executemany(sql, part)

    def _is_empty(self, table: str) -> bool:
        query = f'SELECT NOT EXISTS (SELECT 1 FROM "{table}")'
        return bool(self._db.execute(query).fetchone()[0])

    def _check_endpoints(
        self, edges: list[Edge], batch: GraphBatch, pending: Mapping[str, Node]
    ) -> None:
        """Refuse relationships whose ends are in neither the load nor the store."""
        missing: list[tuple[str, str]] = []
        for label, ids in outside_endpoints(edges, batch, pending).items():
            written = self._written.get(label)
            wanted = sorted(ids if written is None else ids - written)
            found: set[str] = set()
            for part in chunks(wanted, _LOOKUP_CHUNK * 2):
                marks = ", ".join("?" * len(part))
                query = f'SELECT id FROM "{label}" WHERE id IN ({marks})'
                found |= {row[0] for row in self._db.execute(query, list(part))}
            missing += [(label, i) for i in wanted if i not in found]
        if missing:
            raise dangling_error(missing)

    def _existing_edges(self, rel_type: str, edges: list[Edge]) -> dict[tuple[str, str], Edge]:
        """Stored relationships among `edges`, found through the (src, dst) key's first half."""
        wanted = {(e.src, e.dst) for e in edges}
        sources = sorted({src for src, _ in wanted})
        found: dict[tuple[str, str], Edge] = {}
        for part in chunks(sources, _LOOKUP_CHUNK * 2):
            marks = ", ".join("?" * len(part))
            query = f'SELECT * FROM "{rel_table(rel_type)}" WHERE src IN ({marks})'
            for edge in self._read_edges(rel_type, query, list(part)):
                if (edge.src, edge.dst) in wanted:
                    found[(edge.src, edge.dst)] = edge
        return found

    def _record_import(
        self, files: Sequence[SourceFile], counts: dict[str, int], bump: bool
    ) -> None:
        seq = self._db.execute('SELECT coalesce(max(seq), 0) + 1 FROM "Import"').fetchone()[0]
        names = [f.name for f in files]
        self._db.execute(
            'INSERT INTO "Import" (id, name, seq, files, sha256, at, counts, changed) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"import:{seq}",
                "、".join(names) or "导入",
                seq,
                dumps(names),
                dumps([f.sha256 for f in files]),
                now_iso(),
                dumps(counts),
                int(bump),
            ),
        )
        if bump:
            self._db.execute(
                "INSERT INTO chainkg_meta (key, value) VALUES ('version', 1) "
                "ON CONFLICT(key) DO UPDATE SET value = value + 1"
            )

    # -- reading ---------------------------------------------------------------------------

    def _read_nodes(self, label: str, query: str, params: Sequence[Any]) -> Iterator[Node]:
        cursor = self._db.execute(query, params)
        names = [d[0] for d in cursor.description]
        values = _values_reader(SCHEMA.node(label).all_props[2:], names)
        at_id, at_name = names.index("id"), names.index("name")
        for row in cursor:
            yield Node(label, row[at_id], row[at_name], values(row))

    def _read_edges(self, rel_type: str, query: str, params: Sequence[Any]) -> Iterator[Edge]:
        cursor = self._db.execute(query, params)
        names = [d[0] for d in cursor.description]
        values = _values_reader(SCHEMA.rel(rel_type).props, names)
        at_src, at_dst = names.index("src"), names.index("dst")
        label = _Labels()
        for row in cursor:
            src, dst = row[at_src], row[at_dst]
            yield Edge(rel_type, label(src), src, label(dst), dst, values(row))

    def get_node(self, node_id: str) -> Node | None:
        label = SCHEMA.label_of(node_id)
        if label is None:
            return None
        return next(
            self._read_nodes(label, f'SELECT * FROM "{label}" WHERE id = ?', [node_id]), None
        )

    def find_by_name(self, name: str) -> list[Node]:
        name = written_form(name)
        query = (
            "SELECT label, id FROM all_nodes WHERE name = ? OR EXISTS "
            "(SELECT 1 FROM json_each(coalesce(aliases, '[]')) WHERE value = ?)"
        )
        rows = self._db.execute(query, (name, name)).fetchall()
        return [n for _, node_id in rows if (n := self.get_node(node_id)) is not None]

    def find_text(self, text: str, limit: int) -> list[Node]:
        pattern = (
            "%"
            + written_form(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        query = (
            "SELECT id FROM all_nodes WHERE name LIKE ? ESCAPE '\\' "
            "OR coalesce(aliases, '') LIKE ? ESCAPE '\\' ORDER BY length(name), name LIMIT ?"
        )
        rows = self._db.execute(query, (pattern, pattern, limit)).fetchall()
        return [n for (node_id,) in rows if (n := self.get_node(node_id)) is not None]

    def relationships(self, node_id: str) -> list[RelView]:
        views: list[RelView] = []
        for rel in SCHEMA.rels.values():
            table = rel_table(rel.type)
            for direction, mine in (("out", "src"), ("in", "dst")):
                query = f'SELECT * FROM "{table}" WHERE "{mine}" = ?'
                for edge in self._read_edges(rel.type, query, [node_id]):
                    other_id = edge.dst if direction == "out" else edge.src
                    views.append(self._view(edge, direction, other_id))
        return views

    def _view(self, edge: Edge, direction: str, other_id: str) -> RelView:
        other = self.get_node(other_id)
        other_label = edge.dst_label if direction == "out" else edge.src_label
        return RelView(
            edge.type, direction, other_label, other_id, other.name if other else "", edge.props
        )

    def iter_nodes(self, label: str) -> Iterator[Node]:
        return self._read_nodes(label, f'SELECT * FROM "{label}" ORDER BY id', [])

    def iter_edges(self, rel_type: str) -> Iterator[Edge]:
        query = f'SELECT * FROM "{rel_table(rel_type)}" ORDER BY src, dst'
        return self._read_edges(rel_type, query, [])

    def identity_index(self) -> IdentityIndex:
        """Only the columns identity needs, without decoding whole rows."""
        index = IdentityIndex()
        for label in SCHEMA.domain_labels:
            node_type = SCHEMA.node(label)
            extra = [c for c in ("credit_code", "chain", "local") if node_type.prop(c)]
            cols = ", ".join(f'"{c}"' for c in ("id", "name", "aliases", *extra))
            for row in self._db.execute(f'SELECT {cols} FROM "{label}"'):
                values = dict(zip(extra, row[3:], strict=True))
                index.add(
                    KnownNode(
                        label,
                        row[0],
                        row[1],
                        tuple(json.loads(row[2])) if row[2] else (),
                        values.get("credit_code"),
                        values.get("chain") if label == "Link" else None,
                        None if values.get("local") is None else bool(values["local"]),
                    )
                )
        return index

    def stats(self) -> dict[str, dict[str, int]]:
        nodes = {
            label: self._db.execute(f'SELECT count(*) FROM "{label}"').fetchone()[0]
            for label in SCHEMA.domain_labels
        }
        rels = {
            rel: self._db.execute(f'SELECT count(*) FROM "{rel_table(rel)}"').fetchone()[0]
            for rel in SCHEMA.rels
        }
        return {"nodes": nodes, "relationships": rels}

    def version(self) -> int:
        row = self._db.execute("SELECT value FROM chainkg_meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    def imports(self) -> list[ImportRecord]:
        rows = self._db.execute(
            'SELECT seq, files, sha256, at, counts FROM "Import" ORDER BY seq'
        ).fetchall()
        return [
            ImportRecord(seq, json.loads(f), json.loads(s), at, json.loads(c))
            for seq, f, s, at, c in rows
        ]

    def put_records(self, label: str, nodes: Sequence[Node]) -> None:
        check_internal(label)
        props = SCHEMA.node(label).all_props[2:]
        cols = ["id", "name", *(p.name for p in props), "extra"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT OR REPLACE INTO "{label}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'
        rows = list(map(_Rows(props).node, nodes))
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for part in chunks(rows, _INSERT_CHUNK):
                    self._db.executemany(sql, part)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"写入数据库失败：{exc}") from exc

    def get_nodes(self, label: str, ids: Sequence[str]) -> dict[str, Node]:
        return self._existing_nodes(label, list(ids))

    # -- candidates, read by index (issue 17) ----------------------------------------------

    def candidates(self, link_ids: Sequence[str]) -> list[CandidateRow]:
        """One statement: the link index of IN_LINK finds the firms, the primary keys of
        Enterprise and of each relationship table (src first) their score inputs."""
        query = _CANDIDATES.format(
            ent="Enterprise",
            in_link=rel_table("IN_LINK"),
            supplies=rel_table("SUPPLIES"),
            invests=rel_table("INVESTS_IN"),
        )
        tags: dict[str | None, tuple[str, ...]] = {None: ()}
        out: list[CandidateRow] = []
        for ent_id, name, revenue, tag_text, region, links, supplies, invests in self._db.execute(
            query, (dumps(sorted(set(link_ids))),)
        ):
            found = tags.get(tag_text)
            if found is None:
                found = tags[tag_text] = tuple(json.loads(tag_text))
            out.append(
                CandidateRow(
                    ent_id,
                    name,
                    None if revenue is None else float(revenue),
                    found,
                    region,
                    tuple(
                        (x, None if r is None else float(r), None if v is None else float(v))
                        for x, r, v in json.loads(links)
                    ),
                    () if supplies == "[]" else tuple(json.loads(supplies)),
                    () if invests == "[]" else tuple(json.loads(invests)),
                )
            )
        return out

    def enterprise_rows(self, ids: Sequence[str]) -> list[EnterpriseRow]:
        """One statement: the enterprises by primary key, each relationship list gathered
        from its table's primary key (src first)."""
        props = SCHEMA.node("Enterprise").all_props[2:]
        columns = ["id", "name", *(p.name for p in props), "extra"]
        query = _ENTERPRISES.format(
            columns=", ".join(f'e."{c}"' for c in columns),
            ent="Enterprise",
            in_link=rel_table("IN_LINK"),
            located=rel_table("LOCATED_IN"),
            supplies=rel_table("SUPPLIES"),
            invests=rel_table("INVESTS_IN"),
        )
        width = len(props) + 3  # id, name, the properties, extra
        decoders = [(p.name, _DECODERS.get(p.type)) for p in props]
        out: list[EnterpriseRow] = []
        for row in self._db.execute(query, (dumps(sorted(set(ids))),)):
            values = {
                name: decode(v) if decode else v
                for (name, decode), v in zip(decoders, row[2 : width - 1], strict=True)
                if v is not None
            }
            if row[width - 1]:
                values.update(json.loads(row[width - 1]))
            links, places, supplies, invests = row[width:]
            out.append(
                EnterpriseRow(
                    Node("Enterprise", row[0], row[1], values),
                    tuple(
                        (x, None if r is None else float(r), None if v is None else float(v))
                        for x, r, v in json.loads(links)
                    ),
                    () if places == "[]" else tuple(json.loads(places)),
                    () if supplies == "[]" else tuple(json.loads(supplies)),
                    () if invests == "[]" else tuple(json.loads(invests)),
                )
            )
        return out

    def local_enterprise_ids(self) -> list[str]:
        query = 'SELECT id FROM "Enterprise" WHERE local = 1 ORDER BY id'  # ix_Enterprise_local
        return [row[0] for row in self._db.execute(query)]

    def edges_from(self, rel_type: str, src_label: str, src_ids: Sequence[str]) -> list[Edge]:
        rel = SCHEMA.rel(rel_type)  # a known type only: its table name is written into the SQL
        decoders = [(p.name, _DECODERS.get(p.type)) for p in rel.props]
        labels: dict[str, str] = {}
        out: list[Edge] = []
        columns = ", ".join(f'"{c}"' for c in ("src", "dst", *(p.name for p in rel.props)))
        query = (
            f'SELECT {columns}, "extra" FROM "{rel_table(rel_type)}" '
            "WHERE src IN (SELECT value FROM json_each(?)) ORDER BY src, dst"
        )
        for row in self._db.execute(query, (dumps(sorted(set(src_ids))),)):
            src, dst, *cells, extra = row
            values = {
                name: decode(v) if decode else v
                for (name, decode), v in zip(decoders, cells, strict=True)
                if v is not None
            }
            if extra:
                values.update(json.loads(extra))
            prefix = dst.split(":", 1)[0]
            dst_label = labels.get(prefix)
            if dst_label is None:
                dst_label = labels[prefix] = _label(dst)
            out.append(Edge(rel_type, src_label, src, dst_label, dst, values))
        return out

    @contextmanager
    def lean_cache(self) -> Iterator[None]:
        """A small page cache for the duration (a load, the scans of its version record)."""
        self._db.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")
        try:
            yield
        finally:
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")

    def close(self) -> None:
        self._db.close()


# The outside firms of some links ($1: a JSON array of link ids) with their score inputs,
# each list in the order of its table's primary key (by target).
_CANDIDATES = """
SELECT e.id, e.name, e.revenue, e.tags, e.region,
  (SELECT json_group_array(json_array(l.dst, l.revenue, l.share))
     FROM "{in_link}" AS l WHERE l.src = e.id),
  (SELECT json_group_array(s.dst) FROM "{supplies}" AS s WHERE s.src = e.id AND s.dst <> e.id),
  (SELECT json_group_array(i.dst) FROM "{invests}" AS i WHERE i.src = e.id AND i.dst <> e.id)
FROM "{ent}" AS e
WHERE e.id IN (SELECT r.src FROM "{in_link}" AS r WHERE r.dst IN (SELECT value FROM json_each(?)))
  AND coalesce(e.local, 0) = 0
ORDER BY e.id
"""


# Enterprises by id ($1: a JSON array of ids) with their links, places, suppliers, investees.
_ENTERPRISES = """
SELECT {columns},
  (SELECT json_group_array(json_array(l.dst, l.revenue, l.share))
     FROM "{in_link}" AS l WHERE l.src = e.id),
  (SELECT json_group_array(p.dst) FROM "{located}" AS p WHERE p.src = e.id),
  (SELECT json_group_array(s.dst) FROM "{supplies}" AS s WHERE s.src = e.id AND s.dst <> e.id),
  (SELECT json_group_array(i.dst) FROM "{invests}" AS i WHERE i.src = e.id AND i.dst <> e.id)
FROM "{ent}" AS e
WHERE e.id IN (SELECT value FROM json_each(?))
ORDER BY e.id
"""
_DECODERS: dict[PropType, Any] = {PropType.LIST: json.loads, PropType.BOOL: bool}


class SQLiteLoad:
    """A load into the embedded store: one transaction (BEGIN IMMEDIATE … COMMIT) that the
    loader feeds part by part as it streams, so memory is bounded by a part, not the input.
    Readers in other connections keep seeing the old graph until the commit (WAL); a load that
    fails or is killed leaves the store as it was.

    A large first load into an empty store uses the rollback journal, which writes each page
    once instead of twice (WAL, then checkpoint); an empty store has no readers to protect.
    SQLite refuses the switch while another connection is open, and then the load simply runs
    in WAL mode. WAL is restored afterwards either way.
    """

    def __init__(
        self, store: SQLiteStore, large: bool, check: Callable[[], None] | None = None
    ) -> None:
        self.store = store
        self.summary = WriteSummary()
        self.check = check
        self.stopped: list[BaseException] = []
        db = store._db
        self.switched = False
        try:
            if large and store.version() == 0 and store._all_empty():
                self.switched = self._rollback_journal(db)
            db.execute(f"PRAGMA cache_size=-{LOAD_CACHE_KIB}")  # see LOAD_CACHE_KIB
            # the indexes built at the commit sort through temporary files, not in memory
            db.execute("PRAGMA temp_store=FILE")
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            self._restore_journal()
            raise StoreError(f"写入数据库失败，未做任何修改：{exc}") from exc
        store._deferred = {}
        store._written = {}

    @staticmethod
    def _rollback_journal(db: sqlite3.Connection) -> bool:
        """Switches to the rollback journal; False when SQLite refuses because another
        connection (a server's reader) has the file open: the load then runs in WAL mode."""
        try:
            return bool(db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete")
        except sqlite3.OperationalError:
            return False

    @contextmanager
    def _checked(self) -> Iterator[None]:
        """While the load writes, SQLite calls `check` every _CHECK_STEPS virtual-machine
        steps, inside long statements too (a non-zero answer interrupts the statement). Only
        then: between parts the loader reads the store on the same connection, and checks
        for itself."""
        if self.check is None:
            yield
            return
        self.store._db.set_progress_handler(self._progress, _CHECK_STEPS)
        try:
            yield
        finally:
            self.store._db.set_progress_handler(None, 0)

    def _progress(self) -> int:
        assert self.check is not None
        try:
            self.check()
        except Exception as exc:
            self.stopped.append(exc)
            return 1
        return 0

    def _failed(self, exc: sqlite3.DatabaseError) -> BaseException:
        """What an interrupted statement means: the check's own error, else a store error."""
        if self.stopped:
            return self.stopped[0]
        return StoreError(f"写入数据库失败，未做任何修改：{exc}")

    def write_part(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        try:
            with self._checked():
                self.store._write_part(part, self.summary, pending)
        except sqlite3.DatabaseError as exc:
            raise self._failed(exc) from None

    def commit(
        self, part: GraphBatch, files: Sequence[SourceFile], counts: Mapping[str, int]
    ) -> WriteSummary:
        store, summary = self.store, self.summary
        try:
            with self._checked():
                store._write_part(part, summary, {})
                store._build_deferred_indexes()
                store._record_import(files, {**counts, **summary.as_dict()}, summary.changed)
            if self.check is not None:
                self.check()
            store._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise self._failed(exc) from None
        self._close()
        return summary

    def rollback(self) -> None:
        """Undo everything written since the load began (safe to call after a commit)."""
        if self.store._deferred is None:
            return
        try:
            if self.store._db.in_transaction:
                self.store._db.execute("ROLLBACK")
        finally:
            self._close()

    def _close(self) -> None:
        self.store._deferred = None
        self.store._written = {}
        self.store._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        self.store._db.execute("PRAGMA temp_store=MEMORY")
        self._restore_journal()

    def _restore_journal(self) -> None:
        if self.switched:
            self.switched = False
            self.store._db.execute("PRAGMA journal_mode=WAL")


class _Rows:
    """Turns nodes or relationships of one label/type into table rows, fast.

    Built once per table: the per-row work is a loop over prepared (name, encoder) pairs.
    """

    def __init__(self, props: Sequence[Prop]) -> None:
        self.known = frozenset(p.name for p in props)
        self.columns = [(p.name, _ENCODERS.get(p.type)) for p in props]
        self.empty = [None] * (len(props) + 1)

    def values(self, props: dict[str, Any]) -> list[Any]:
        if not props:
            return list(self.empty)
        get = props.get
        row = [
            None if (v := get(name)) is None else encode(v) if encode else v
            for name, encode in self.columns
        ]
        extra = None
        if not self.known.issuperset(props):
            extra = {k: v for k, v in props.items() if k not in self.known and v is not None}
        row.append(dumps(extra) if extra else None)
        return row

    def node(self, node: Node) -> list[Any]:
        return [node.id, node.name, *self.values(node.props)]

    def edge(self, edge: Edge) -> list[Any]:
        if not edge.props:
            return [edge.src, edge.dst, *self.empty]
        return [edge.src, edge.dst, *self.values(edge.props)]


_encode_json = json.JSONEncoder(ensure_ascii=False).encode
_list_texts: dict[tuple[str, ...], str] = {}


def _dump_list(value: list[str]) -> str:
    """JSON text of a list; the same few lists (sources, tags) recur across a province."""
    key = tuple(value)
    text = _list_texts.get(key)
    if text is None:
        if len(_list_texts) > 50_000:
            _list_texts.clear()
        text = _list_texts[key] = _encode_json(value)
    return text


_ENCODERS: dict[PropType, Any] = {PropType.LIST: _dump_list, PropType.BOOL: int}


def _values_reader(
    props: Sequence[Prop], names: list[str]
) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """The properties of a row of `names` (a query's columns), decoded: positions and
    decoders are looked up once per query, not per row (a read of the province decodes
    hundreds of thousands of rows)."""
    at = {name: i for i, name in enumerate(names)}
    columns = [(p.name, at[p.name], _DECODERS.get(p.type)) for p in props]
    at_extra = at.get("extra")

    def values(row: Sequence[Any]) -> dict[str, Any]:
        out = {}
        for name, i, decode in columns:
            value = row[i]
            if value is not None:
                out[name] = decode(value) if decode else value
        if at_extra is not None and row[at_extra]:
            out.update(json.loads(row[at_extra]))
        return out

    return values


class _Labels:
    """The label of a node id, from its prefix, remembered per prefix."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, node_id: str) -> str:
        prefix = node_id.split(":", 1)[0]
        label = self.known.get(prefix)
        if label is None:
            label = self.known[prefix] = _label(node_id)
        return label


def _label(node_id: str) -> str:
    return SCHEMA.label_of(node_id) or ""
