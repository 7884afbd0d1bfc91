"""DDL derived from the schema: SQLite tables and Neo4j constraints and indexes."""

from __future__ import annotations

from graph_schema.definitions import SCHEMA
from graph_schema.model import GraphSchema, NodeType, PropType, RelType

SQLITE_TYPES = {
    PropType.STR: "TEXT",
    PropType.DATE: "TEXT",
    PropType.INT: "INTEGER",
    PropType.BOOL: "INTEGER",
    PropType.FLOAT: "REAL",
    PropType.LIST: "TEXT",  # JSON array
}


def rel_table(rel_type: str) -> str:
    return f"rel_{rel_type}"


def _node_table(node_type: NodeType) -> list[str]:
    cols = ['"id" TEXT PRIMARY KEY', '"name" TEXT NOT NULL']
    cols += [f'"{p.name}" {SQLITE_TYPES[p.type]}' for p in node_type.all_props[2:]]
    cols.append('"extra" TEXT')
    label = node_type.label
    stmts = [f'CREATE TABLE IF NOT EXISTS "{label}" ({", ".join(cols)}) WITHOUT ROWID']
    return stmts + node_indexes(node_type)


def node_indexes(node_type: NodeType) -> list[str]:
    """Secondary indexes of a label's table; partial, since most optional cells are empty."""
    label = node_type.label
    return [
        f'CREATE INDEX IF NOT EXISTS "ix_{label}_{p.name}" ON "{label}" ("{p.name}") '
        f'WHERE "{p.name}" IS NOT NULL'
        for p in node_type.all_props
        if p.indexed
    ]


def index_name(create_index: str) -> str:
    """The name a CREATE INDEX statement of this module gives its index."""
    return create_index.split('"')[1]


def rel_dst_index(rel_type: str) -> str:
    """The index that finds a relationship from its target (dropped during a first fill)."""
    table = rel_table(rel_type)
    return f'CREATE INDEX IF NOT EXISTS "ix_{table}_dst" ON "{table}" ("dst", "src")'


def _rel_table(rel: RelType) -> list[str]:
    """Endpoint labels are not stored: every id carries its label's prefix."""
    table = rel_table(rel.type)
    cols = ['"src" TEXT NOT NULL', '"dst" TEXT NOT NULL']
    cols += [f'"{p.name}" {SQLITE_TYPES[p.type]}' for p in rel.props]
    cols += ['"extra" TEXT', 'PRIMARY KEY ("src", "dst")']
    return [
        f'CREATE TABLE IF NOT EXISTS "{table}" ({", ".join(cols)}) WITHOUT ROWID',
        rel_dst_index(rel.type),
    ]


def sqlite_ddl(schema: GraphSchema = SCHEMA) -> list[str]:
    """CREATE statements for every label and relationship type, plus a view of all nodes."""
    stmts: list[str] = []
    for node_type in schema.nodes.values():
        stmts += _node_table(node_type)
    for rel in schema.rels.values():
        stmts += _rel_table(rel)
    union = " UNION ALL ".join(
        f"SELECT '{label}' AS label, id, name, aliases FROM \"{label}\""
        for label in schema.domain_labels
    )
    stmts.append(f"CREATE VIEW IF NOT EXISTS all_nodes AS {union}")
    stmts.append(
        "CREATE TABLE IF NOT EXISTS chainkg_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
    )
    return stmts


def neo4j_ddl(schema: GraphSchema = SCHEMA) -> list[str]:
    """Uniqueness constraints on every label's id, range indexes on indexed properties."""
    stmts: list[str] = []
    for node_type in schema.nodes.values():
        label = node_type.label
        low = label.lower()
        stmts.append(
            f"CREATE CONSTRAINT chainkg_{low}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
        for p in node_type.all_props:
            if p.indexed:
                stmts.append(
                    f"CREATE INDEX chainkg_{low}_{p.name} IF NOT EXISTS "
                    f"FOR (n:{label}) ON (n.{p.name})"
                )
    return stmts


def sqlite_columns(schema: GraphSchema = SCHEMA) -> dict[str, dict[str, str]]:
    """Table → column → type, as `sqlite_ddl` creates them (to add what an older file lacks)."""
    tables: dict[str, dict[str, str]] = {}
    for node_type in schema.nodes.values():
        cols = {p.name: SQLITE_TYPES[p.type] for p in node_type.all_props}
        tables[node_type.label] = {**cols, "extra": "TEXT"}
    for rel in schema.rels.values():
        cols = {p.name: SQLITE_TYPES[p.type] for p in rel.props}
        tables[rel_table(rel.type)] = {"src": "TEXT", "dst": "TEXT", **cols, "extra": "TEXT"}
    return tables
