"""Every Cypher statement the Neo4j backend sends, generated from `graph_schema.SCHEMA`.

Only schema names (labels, relationship types, property keys) are ever written into a
statement's text, and each is checked to be a plain identifier; every value travels as a
`$parameter`. Each statement declares the parameters it takes, so the linter
(tools/cypher-lint, run by tests/store/test_cypher_lint.py) can check the text against the
schema and the parameter list.

Writes follow one pattern: fetch what the store already holds for a batch of ids, merge in
Python with `store.base.plan_nodes` / `plan_edges` (the same rules as the SQLite store), then
write the merged property maps whole:

    UNWIND $rows AS row MERGE (n:Label {id: row.id}) SET n = row.props
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_schema.ddl import neo4j_ddl
from graph_schema.definitions import SCHEMA
from graph_schema.model import GraphSchema

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# What every node read returns: the id, the name and the whole property map.
_NODE_COLUMNS = "n.id AS id, n.name AS name, properties(n) AS props"


@dataclass(frozen=True)
class Statement:
    """One Cypher statement: a name for messages and the linter, its text, its parameters."""

    name: str
    text: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeStatements:
    """The statements about one label."""

    fetch: Statement  # $ids -> id, name, props of those that exist
    exists: Statement  # $ids -> id of those that exist
    upsert: Statement  # $rows [{id, props}] -> written
    get: Statement  # $id -> id, name, props
    iterate: Statement  # -> id, name, props ordered by id
    relationships: Statement | None  # $id -> type, direction, labels, id, name, props


@dataclass(frozen=True)
class EdgeStatements:
    """The statements about one (source label, relationship type, target label) triple."""

    fetch: Statement  # $keys [{src, dst}] -> src, dst, props of those that exist
    upsert: Statement  # $rows [{src, dst, props}] -> written


@dataclass(frozen=True)
class CypherStatements:
    ddl: tuple[Statement, ...]
    nodes: dict[str, NodeStatements]
    edges: dict[tuple[str, str, str], EdgeStatements]
    iter_edges: dict[str, Statement]  # by relationship type
    find_by_name: Statement
    find_text: Statement
    stats_nodes: Statement
    stats_relationships: Statement
    import_last_seq: Statement
    import_lock: Statement
    import_create: Statement
    imports: Statement
    version: Statement

    def all(self) -> list[Statement]:
        out: list[Statement] = list(self.ddl)
        for node in self.nodes.values():
            out += [node.fetch, node.exists, node.upsert, node.get, node.iterate]
            if node.relationships is not None:
                out.append(node.relationships)
        for edge in self.edges.values():
            out += [edge.fetch, edge.upsert]
        out += list(self.iter_edges.values())
        out += [
            self.find_by_name,
            self.find_text,
            self.stats_nodes,
            self.stats_relationships,
            self.import_last_seq,
            self.import_lock,
            self.import_create,
            self.imports,
            self.version,
        ]
        return out


def _name(name: str) -> str:
    """A schema name, refused unless it can stand in Cypher without quoting."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"schema name {name!r} is not a plain identifier")
    return name


def _node_statements(schema: GraphSchema, label: str) -> NodeStatements:
    lab = _name(label)
    return NodeStatements(
        fetch=Statement(
            f"node.fetch:{lab}",
            f"UNWIND $ids AS id MATCH (n:{lab} {{id: id}}) RETURN {_NODE_COLUMNS}",
            ("ids",),
        ),
        exists=Statement(
            f"node.exists:{lab}",
            f"UNWIND $ids AS id MATCH (n:{lab} {{id: id}}) RETURN n.id AS id",
            ("ids",),
        ),
        upsert=Statement(
            f"node.upsert:{lab}",
            f"UNWIND $rows AS row MERGE (n:{lab} {{id: row.id}}) SET n = row.props "
            "RETURN count(n) AS written",
            ("rows",),
        ),
        get=Statement(
            f"node.get:{lab}",
            f"MATCH (n:{lab} {{id: $id}}) RETURN {_NODE_COLUMNS}",
            ("id",),
        ),
        iterate=Statement(
            f"node.iterate:{lab}",
            f"MATCH (n:{lab}) RETURN {_NODE_COLUMNS} ORDER BY id",
        ),
        relationships=_relationships_statement(schema, label),
    )


def _relationships_statement(schema: GraphSchema, label: str) -> Statement | None:
    """Both directions of a node's relationships, restricted to the schema's types."""
    outgoing = [_name(r.type) for r in schema.rels.values() if label in r.sources]
    incoming = [_name(r.type) for r in schema.rels.values() if label in r.targets]
    columns = "labels(m) AS labels, m.id AS id, m.name AS name, properties(r) AS props"
    parts = []
    if outgoing:
        parts.append(
            f"MATCH (n:{label} {{id: $id}})-[r:{'|'.join(outgoing)}]->(m) "
            f"RETURN type(r) AS type, 'out' AS direction, {columns}"
        )
    if incoming:
        parts.append(
            f"MATCH (n:{label} {{id: $id}})<-[r:{'|'.join(incoming)}]-(m) "
            f"RETURN type(r) AS type, 'in' AS direction, {columns}"
        )
    if not parts:
        return None
    return Statement(f"node.relationships:{label}", "\nUNION ALL\n".join(parts), ("id",))


def _edge_statements(src: str, rel_type: str, dst: str) -> EdgeStatements:
    # Ends are matched with WHERE a.id = row.src rather than (a:Src {id: row.src}): the plan is
    # the same unique-index seek, and the linter would take `src` in a pattern's map for a
    # property of `a` and warn that the schema has no such property.
    s, t, d = _name(src), _name(rel_type), _name(dst)
    key = f"{s}-{t}->{d}"
    return EdgeStatements(
        fetch=Statement(
            f"edge.fetch:{key}",
            f"UNWIND $keys AS pair MATCH (a:{s})-[r:{t}]->(b:{d}) "
            "WHERE a.id = pair.src AND b.id = pair.dst "
            "RETURN a.id AS src, b.id AS dst, properties(r) AS props",
            ("keys",),
        ),
        upsert=Statement(
            f"edge.upsert:{key}",
            f"UNWIND $rows AS row MATCH (a:{s}) WHERE a.id = row.src "
            f"MATCH (b:{d}) WHERE b.id = row.dst "
            f"MERGE (a)-[r:{t}]->(b) SET r = row.props RETURN count(r) AS written",
            ("rows",),
        ),
    )


def build(schema: GraphSchema = SCHEMA) -> CypherStatements:
    """All statements for `schema`."""
    domain = "|".join(_name(label) for label in schema.domain_labels)
    found = "labels(n) AS labels, " + _NODE_COLUMNS
    imp = _name("Import")
    if imp not in schema.nodes:
        raise ValueError("the schema has no Import label for the import history")
    return CypherStatements(
        ddl=tuple(Statement(f"ddl:{i}", text) for i, text in enumerate(neo4j_ddl(schema))),
        nodes={label: _node_statements(schema, label) for label in schema.nodes},
        edges={triple: _edge_statements(*triple) for triple in schema.triples()},
        iter_edges={
            rel: Statement(
                f"edge.iterate:{_name(rel)}",
                f"MATCH (a)-[r:{rel}]->(b) RETURN labels(a) AS src_labels, a.id AS src, "
                "labels(b) AS dst_labels, b.id AS dst, properties(r) AS props "
                "ORDER BY src, dst",
            )
            for rel in schema.rels
        },
        find_by_name=Statement(
            "find.by_name",
            f"MATCH (n:{domain}) WHERE n.name = $name OR $name IN coalesce(n.aliases, []) "
            f"RETURN {found}",
            ("name",),
        ),
        find_text=Statement(
            "find.text",
            f"MATCH (n:{domain}) WHERE toLower(n.name) CONTAINS toLower($text) "
            "OR any(other IN coalesce(n.aliases, []) WHERE toLower(other) CONTAINS toLower($text)) "
            f"RETURN {found} ORDER BY size(name), name, id LIMIT $limit",
            ("text", "limit"),
        ),
        stats_nodes=Statement(
            "stats.nodes",
            "\nUNION ALL\n".join(
                f"MATCH (n:{_name(label)}) RETURN '{label}' AS item, count(n) AS count"
                for label in schema.domain_labels
            ),
        ),
        stats_relationships=Statement(
            "stats.relationships",
            "\nUNION ALL\n".join(
                f"MATCH ()-[r:{_name(rel)}]->() RETURN '{rel}' AS item, count(r) AS count"
                for rel in schema.rels
            ),
        ),
        import_last_seq=Statement(
            "import.last_seq",
            f"MATCH (i:{imp}) RETURN coalesce(max(i.seq), 0) AS seq",
        ),
        # Setting a property takes the node's write lock until the transaction ends: loads
        # lock the latest import record and so run one after the other, as in SQLite.
        import_lock=Statement(
            "import.lock",
            f"MATCH (i:{imp} {{id: $id}}) SET i.seq = i.seq RETURN i.seq AS seq",
            ("id",),
        ),
        import_create=Statement(
            "import.create",
            f"CREATE (i:{imp}) SET i = $props RETURN i.seq AS seq",
            ("props",),
        ),
        imports=Statement(
            "import.list",
            f"MATCH (i:{imp}) RETURN i.seq AS seq, coalesce(i.files, []) AS files, "
            "coalesce(i.sha256, []) AS sha256, i.at AS at, i.counts AS counts ORDER BY seq",
        ),
        version=Statement(
            "import.version",
            f"MATCH (i:{imp}) WHERE i.changed = true RETURN count(i) AS version",
        ),
    )


STATEMENTS = build()


def statements() -> list[Statement]:
    """Every statement the Neo4j store sends, with names and parameters (for the linter)."""
    return STATEMENTS.all()


def all_statements() -> list[str]:
    """The text of every statement the Neo4j store sends, DDL included."""
    return [s.text for s in statements()]
