"""The embedded store: one SQLite file, a table per label and per relationship type.

Tables come from `graph_schema.ddl`. A load is one transaction (BEGIN IMMEDIATE … COMMIT),
so readers in other connections keep seeing the old graph until it commits (WAL).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.ddl import rel_table, sqlite_ddl
from graph_schema.errors import StoreError
from graph_schema.identity import IdentityIndex, KnownNode, clean_text
from graph_schema.model import Prop, PropType
from store.base import (
    ImportRecord,
    RelView,
    SourceFile,
    WriteSummary,
    chunks,
    dumps,
    group_edges,
    group_nodes,
    import_counts,
    now_iso,
    plan_edges,
    plan_nodes,
)

_LOOKUP_CHUNK = 400  # stays under SQLite's bound-parameter limit with two per key


def _encode(prop: Prop, value: Any) -> Any:
    if value is None:
        return None
    if prop.type == PropType.LIST:
        return dumps(value)
    if prop.type == PropType.BOOL:
        return int(bool(value))
    return value


def _decode(prop: Prop, value: Any) -> Any:
    if value is None:
        return None
    if prop.type == PropType.LIST:
        return json.loads(value)
    if prop.type == PropType.BOOL:
        return bool(value)
    return value


class SQLiteStore:
    """A `GraphStore` in a single SQLite file."""

    backend = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._create()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"无法打开数据库文件“{self.path}”：{exc}") from exc

    def _create(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for stmt in sqlite_ddl():
                self._db.execute(stmt)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # -- writing ---------------------------------------------------------------------------

    def write(self, batch: GraphBatch, files: Sequence[SourceFile]) -> WriteSummary:
        summary = WriteSummary()
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for label, nodes in group_nodes(batch).items():
                    self._write_nodes(label, nodes, summary)
                for rel_type, edges in group_edges(batch).items():
                    self._write_edges(rel_type, edges, summary)
                self._record_import(files, import_counts(batch, summary), summary.changed)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"写入数据库失败，未做任何修改：{exc}") from exc
        return summary

    def _write_nodes(self, label: str, nodes: list[Node], summary: WriteSummary) -> None:
        existing = self._existing_nodes(label, [n.id for n in nodes])
        props = SCHEMA.node(label).all_props[2:]
        cols = ["id", "name", *(p.name for p in props), "extra"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT OR REPLACE INTO "{label}" ({quoted}) VALUES ({", ".join("?" * len(cols))})'
        rows = [_node_row(n, props) for n in plan_nodes(nodes, existing, summary)]
        for part in chunks(rows):
            self._db.executemany(sql, part)

    def _existing_nodes(self, label: str, ids: list[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        if not self._db.execute(f'SELECT EXISTS (SELECT 1 FROM "{label}")').fetchone()[0]:
            return found
        for part in chunks(ids, _LOOKUP_CHUNK * 2):
            marks = ", ".join("?" * len(part))
            query = f'SELECT * FROM "{label}" WHERE id IN ({marks})'
            for node in self._read_nodes(label, query, list(part)):
                found[node.id] = node
        return found

    def _write_edges(self, rel_type: str, edges: list[Edge], summary: WriteSummary) -> None:
        existing = self._existing_edges(rel_type, [(e.src, e.dst) for e in edges])
        props = SCHEMA.rel(rel_type).props
        cols = ["src", "dst", "src_label", "dst_label", *(p.name for p in props), "extra"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = (
            f'INSERT OR REPLACE INTO "{rel_table(rel_type)}" ({quoted}) '
            f"VALUES ({', '.join('?' * len(cols))})"
        )
        rows = [_edge_row(e, props) for e in plan_edges(edges, existing, summary)]
        for part in chunks(rows):
            self._db.executemany(sql, part)

    def _existing_edges(
        self, rel_type: str, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], Edge]:
        table = rel_table(rel_type)
        found: dict[tuple[str, str], Edge] = {}
        if not self._db.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:
            return found
        for part in chunks(keys, _LOOKUP_CHUNK):
            values = ", ".join("(?, ?)" for _ in part)
            params = [v for key in part for v in key]
            query = f'SELECT * FROM "{table}" WHERE (src, dst) IN (VALUES {values})'
            for edge in self._read_edges(rel_type, query, params):
                found[(edge.src, edge.dst)] = edge
        return found

    def _record_import(
        self, files: Sequence[SourceFile], counts: dict[str, int], bump: bool
    ) -> None:
        seq = self._db.execute('SELECT coalesce(max(seq), 0) + 1 FROM "Import"').fetchone()[0]
        names = [f.name for f in files]
        self._db.execute(
            'INSERT INTO "Import" (id, name, seq, files, sha256, at, counts) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                f"import:{seq}",
                "、".join(names) or "导入",
                seq,
                dumps(names),
                dumps([f.sha256 for f in files]),
                now_iso(),
                dumps(counts),
            ),
        )
        if bump:
            self._db.execute(
                "INSERT INTO chainkg_meta (key, value) VALUES ('version', 1) "
                "ON CONFLICT(key) DO UPDATE SET value = value + 1"
            )

    # -- reading ---------------------------------------------------------------------------

    def _read_nodes(self, label: str, query: str, params: Sequence[Any]) -> Iterator[Node]:
        props = SCHEMA.node(label).all_props[2:]
        cursor = self._db.execute(query, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield _row_node(label, props, dict(zip(names, row, strict=True)))

    def _read_edges(self, rel_type: str, query: str, params: Sequence[Any]) -> Iterator[Edge]:
        props = SCHEMA.rel(rel_type).props
        cursor = self._db.execute(query, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield _row_edge(rel_type, props, dict(zip(names, row, strict=True)))

    def get_node(self, node_id: str) -> Node | None:
        label = SCHEMA.label_of(node_id)
        if label is None:
            return None
        return next(
            self._read_nodes(label, f'SELECT * FROM "{label}" WHERE id = ?', [node_id]), None
        )

    def find_by_name(self, name: str) -> list[Node]:
        name = clean_text(name)
        query = (
            "SELECT label, id FROM all_nodes WHERE name = ? OR EXISTS "
            "(SELECT 1 FROM json_each(coalesce(aliases, '[]')) WHERE value = ?)"
        )
        rows = self._db.execute(query, (name, name)).fetchall()
        return [n for _, node_id in rows if (n := self.get_node(node_id)) is not None]

    def find_text(self, text: str, limit: int) -> list[Node]:
        pattern = (
            "%"
            + clean_text(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
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
            for direction, mine, other in (("out", "src", "dst"), ("in", "dst", "src")):
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
        index = IdentityIndex()
        for label in SCHEMA.domain_labels:
            for node in self.iter_nodes(label):
                index.add(_known(node))
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

    def close(self) -> None:
        self._db.close()


def _node_row(node: Node, props: Sequence[Prop]) -> list[Any]:
    known = {p.name for p in props}
    extra = {k: v for k, v in node.props.items() if k not in known}
    row = [node.id, node.name, *(_encode(p, node.props.get(p.name)) for p in props)]
    row.append(dumps(extra) if extra else None)
    return row


def _edge_row(edge: Edge, props: Sequence[Prop]) -> list[Any]:
    known = {p.name for p in props}
    extra = {k: v for k, v in edge.props.items() if k not in known}
    row = [edge.src, edge.dst, edge.src_label, edge.dst_label]
    row += [_encode(p, edge.props.get(p.name)) for p in props]
    row.append(dumps(extra) if extra else None)
    return row


def _row_node(label: str, props: Sequence[Prop], row: dict[str, Any]) -> Node:
    values = {p.name: _decode(p, row[p.name]) for p in props if row[p.name] is not None}
    if row.get("extra"):
        values.update(json.loads(row["extra"]))
    return Node(label, row["id"], row["name"], values)


def _row_edge(rel_type: str, props: Sequence[Prop], row: dict[str, Any]) -> Edge:
    values = {p.name: _decode(p, row[p.name]) for p in props if row[p.name] is not None}
    if row.get("extra"):
        values.update(json.loads(row["extra"]))
    return Edge(rel_type, row["src_label"], row["src"], row["dst_label"], row["dst"], values)


def _known(node: Node) -> KnownNode:
    return KnownNode(
        label=node.label,
        id=node.id,
        name=node.name,
        aliases=tuple(node.props.get("aliases", ())),
        credit_code=node.props.get("credit_code"),
        scope=node.props.get("chain") if node.label == "Link" else None,
        local=node.props.get("local"),
    )
