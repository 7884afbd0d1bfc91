"""Digests of a whole store, to prove that a refused or stopped load changed nothing: every
row of every table of an embedded (SQLite) store; every node (labels, properties) and
relationship of a Neo4j database."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from app.settings import Settings


def sqlite_digest(db: Path) -> str:
    """A digest of every row of every table of the embedded store."""
    conn = sqlite3.connect(db)
    try:
        tables = sorted(
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
        rows = sorted(
            repr((t, *row)) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')
        )
    finally:
        conn.close()
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def neo4j_digest(settings: Settings) -> str:
    """A digest of every node (its labels and properties) and every relationship (its ends,
    type and properties) of the Neo4j database of `settings`."""
    from neo4j import GraphDatabase

    assert settings.neo4j_uri
    auth = (settings.neo4j_user, settings.neo4j_password)
    database = settings.neo4j_database
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_=database
        )
        rels, _, _ = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN labels(a) AS a, a.id AS src, type(r) AS type, "
            "labels(b) AS b, b.id AS dst, properties(r) AS props",
            database_=database,
        )
    rows = sorted(json.dumps(r.data(), ensure_ascii=False, sort_keys=True) for r in nodes)
    rows += sorted(json.dumps(r.data(), ensure_ascii=False, sort_keys=True) for r in rels)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def bulk_digest(folder: Path) -> str:
    """The digest `neo4j_digest` gives of the database that `scripts/neo4j.sh import folder`
    builds, read from the import files themselves (`chainkg load --neo4j-bulk folder`)."""
    import csv

    from store.neo4j_bulk import ARRAY_DELIMITER

    def decode(cell: str, kind: str) -> Any:
        if kind.endswith("[]"):
            return [decode(item, kind[:-2]) for item in cell.split(ARRAY_DELIMITER)]
        if kind == "long":
            return int(cell)
        if kind == "double":
            return float(cell)
        return cell == "true" if kind == "boolean" else cell

    def rows(path: Path) -> Any:
        with path.open(encoding="utf-8", newline="") as handle:
            quoted = handle.readline().startswith('"')  # files of one shape quote every cell
            handle.seek(0)
            reader = csv.reader(handle)
            header = next(reader)
            for cells in reader:
                out: dict[str, Any] = {}
                for column, cell in zip(header, cells, strict=True):
                    name, _, kind = column.partition(":")
                    if cell == "" and not quoted:
                        continue
                    out[name or column] = decode(cell, kind or "string")
                yield out

    args = (folder / "import.args").read_text(encoding="utf-8").split()
    nodes: dict[str, dict[str, Any]] = {}
    labels: dict[str, list[str]] = {}
    for arg in args:
        if arg.startswith("--nodes="):
            label, path = arg.removeprefix("--nodes=").split("=")
            for props in rows(folder / path):
                nodes[props["id"]] = {"labels": [label], "props": props}
                labels[props["id"]] = [label]
    lines = sorted(json.dumps(n, ensure_ascii=False, sort_keys=True) for n in nodes.values())
    rels = []
    for arg in args:
        if arg.startswith("--relationships="):
            rel_type, path = arg.removeprefix("--relationships=").split("=")
            for props in rows(folder / path):
                src, dst = props.pop(":START_ID"), props.pop(":END_ID")
                row = {"a": labels[src], "src": src, "type": rel_type}
                row |= {"b": labels[dst], "dst": dst, "props": props}
                rels.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return hashlib.sha256("\n".join(lines + sorted(rels)).encode()).hexdigest()


def store_digest(settings: Settings) -> str:
    """The digest of the store `settings` opens (Neo4j when its URI is set)."""
    return neo4j_digest(settings) if settings.neo4j_uri else sqlite_digest(settings.db)


def wipe_neo4j(driver: Any, database: str | None) -> None:
    """Empty a Neo4j database in batches of 10 000: one `DETACH DELETE` of a database that
    still holds a province (a bench left on the same port) exceeds the server's transaction
    memory."""
    with driver.session(database=database) as session:
        session.run(
            "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
