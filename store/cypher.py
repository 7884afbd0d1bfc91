"""Every Cypher statement the Neo4j backend sends, generated from `graph_schema.SCHEMA`.

Only schema names (labels, relationship types, property keys) are ever written into a
statement's text, and each is checked to be a plain identifier; every value travels as a
`$parameter`. Each statement declares the parameters it takes, so the linter
(tools/cypher-lint, run by tests/store/test_cypher_lint.py) can check the text against the
schema and the parameter list.

Writes follow one pattern: fetch what the store already holds for a batch of ids, merge in
Python with `store.base.plan_nodes` / `plan_edges` (the same rules as the SQLite store), then
write the merged property maps whole, creating what is new and setting what changed:

    UNWIND $rows AS row CREATE (n:Label) SET n = row.props
    UNWIND $rows AS row MATCH (n:Label {id: row.id}) SET n = row.props

Before it merges, a load asks the server which stored nodes and relationships already hold
every value it gives (`compare`: only the others come back whole), and relationships without
properties are looked for by key only (`missing`).

The undo statements take a load's journal back (store/neo4j.py): delete what it created,
set back the old property maps of what it changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    create: Statement  # $rows [{id, props}] -> written (new nodes)
    update: Statement  # $rows [{id, props}] -> written (stored nodes, whole property map)
    delete: Statement  # $ids -> deleted (with their relationships; the undo of create)
    get: Statement  # $id -> id, name, props
    iterate: Statement  # $after, $page -> rows: [[id, name, props]], the next page by id
    relationships: Statement | None  # $id -> type, direction, labels, id, name, props
    identity: Statement  # -> id, name, aliases and (where the label has them) credit_code,
    # chain, local: only what identity resolution reads, not whole property maps
    compare: Statement  # $rows [{id, props}] -> id, props (null where every given one is stored)


@dataclass(frozen=True)
class EdgeStatements:
    """The statements about one (source label, relationship type, target label) triple."""

    fetch: Statement  # $keys [{src, dst}] -> src, dst, props of those that exist
    create: Statement  # $rows [{src, dst, props}] -> written (new relationships)
    update: Statement  # $rows [{src, dst, props}] -> written (stored ones, whole property map)
    delete: Statement  # $keys [{src, dst}] -> deleted (the undo of create)
    missing: Statement  # $keys [{src, dst}] -> src, dst of those that do not exist
    compare: Statement  # $rows [{src, dst, props}] -> src, dst, props (null: all given stored)


@dataclass(frozen=True)
class CypherStatements:
    ddl: tuple[Statement, ...]
    nodes: dict[str, NodeStatements]
    edges: dict[tuple[str, str, str], EdgeStatements]
    iter_edges: dict[str, dict[str, Statement]]  # by relationship type, then source label
    find_by_name: Statement
    find_text: Statement
    stats_nodes: Statement
    stats_relationships: Statement
    import_last_seq: Statement
    import_begin: Statement
    import_finish: Statement
    import_running: Statement
    import_delete: Statement
    step_create: Statement
    step_last: Statement
    step_delete: Statement
    steps_delete: Statement
    load_holders: Statement
    load_lock: Statement
    imports: Statement
    version: Statement
    # Candidates read by index (issue 17): link → outside enterprises with their score inputs.
    # Each returns one record whose `rows` (or `ids`) holds every row as a list (issue 10).
    candidates: Statement  # $links -> [[id, name, revenue, tags, region, links, supplies, invests]]
    enterprise_rows: Statement  # $ids -> [[id, name, props, places, links, supplies, invests]]
    local_enterprises: Statement  # -> ids: every local enterprise's id
    edges_from: dict[tuple[str, str], Statement]  # (type, source label): $ids -> [[src, …]]

    def all(self) -> list[Statement]:
        out: list[Statement] = list(self.ddl)
        for node in self.nodes.values():
            out += [node.fetch, node.exists, node.create, node.update, node.delete]
            out += [node.get, node.iterate, node.identity, node.compare]
            if node.relationships is not None:
                out.append(node.relationships)
        for edge in self.edges.values():
            out += [edge.fetch, edge.create, edge.update, edge.delete, edge.missing, edge.compare]
        out += [s for by_source in self.iter_edges.values() for s in by_source.values()]
        out += [
            self.find_by_name,
            self.find_text,
            self.stats_nodes,
            self.stats_relationships,
            self.import_last_seq,
            self.import_begin,
            self.import_finish,
            self.import_running,
            self.import_delete,
            self.step_create,
            self.step_last,
            self.step_delete,
            self.steps_delete,
            self.load_holders,
            self.load_lock,
            self.imports,
            self.version,
            self.candidates,
            self.enterprise_rows,
            self.local_enterprises,
        ]
        out += list(self.edges_from.values())
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
        create=Statement(
            f"node.create:{lab}",
            f"UNWIND $rows AS row CREATE (n:{lab}) SET n = row.props RETURN count(n) AS written",
            ("rows",),
        ),
        update=Statement(
            f"node.update:{lab}",
            f"UNWIND $rows AS row MATCH (n:{lab} {{id: row.id}}) SET n = row.props "
            "RETURN count(n) AS written",
            ("rows",),
        ),
        delete=Statement(
            f"node.delete:{lab}",
            f"UNWIND $ids AS id MATCH (n:{lab} {{id: id}}) DETACH DELETE n "
            "RETURN count(*) AS deleted",
            ("ids",),
        ),
        get=Statement(
            f"node.get:{lab}",
            f"MATCH (n:{lab} {{id: $id}}) RETURN {_NODE_COLUMNS}",
            ("id",),
        ),
        # A page of the label: the `$page` nodes after `$after` in id order, read from the id
        # index in order (no sort of the whole label in the server's heap), in one record: a
        # record per node costs the driver far more than the values it holds (issue 10).
        iterate=Statement(
            f"node.iterate:{lab}",
            f"MATCH (n:{lab}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page "
            "RETURN collect([n.id, n.name, properties(n)]) AS rows",
            ("after", "page"),
        ),
        relationships=_relationships_statement(schema, label),
        identity=_identity_statement(schema, label),
        # What a load compares before it merges: a stored node whose properties already hold
        # every value the load gives it is unchanged, and only its id comes back (a re-load
        # reads no property maps back); the others come whole, to be merged.
        compare=Statement(
            f"node.compare:{lab}",
            f"UNWIND $rows AS row MATCH (n:{lab} {{id: row.id}}) "
            "RETURN collect([n.id, CASE WHEN all(k IN keys(row.props) WHERE n[k] = row.props[k]) "
            "THEN null ELSE properties(n) END]) AS rows",
            ("rows",),
        ),
    )


def identity_keys(schema: GraphSchema, label: str) -> list[str]:
    """The properties identity resolution reads of a label, in the order of the identity
    statement's row lists."""
    node_type = schema.node(label)
    keys = ["id", "name", "aliases"]
    return keys + [k for k in ("credit_code", "chain", "local") if node_type.prop(k) is not None]


def _identity_statement(schema: GraphSchema, label: str) -> Statement:
    """A page of a label's identity properties (`identity_keys`), as one record of lists."""
    lab = _name(label)
    columns = ", ".join(f"n.{_name(k)}" for k in identity_keys(schema, label))
    return Statement(
        f"node.identity:{lab}",
        f"MATCH (n:{lab}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $page "
        f"RETURN collect([{columns}]) AS rows",
        ("after", "page"),
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
        create=Statement(
            f"edge.create:{key}",
            f"UNWIND $rows AS row MATCH (a:{s}) WHERE a.id = row.src "
            f"MATCH (b:{d}) WHERE b.id = row.dst "
            f"CREATE (a)-[r:{t}]->(b) SET r = row.props RETURN count(r) AS written",
            ("rows",),
        ),
        update=Statement(
            f"edge.update:{key}",
            f"UNWIND $rows AS row MATCH (a:{s})-[r:{t}]->(b:{d}) "
            "WHERE a.id = row.src AND b.id = row.dst "
            "SET r = row.props RETURN count(r) AS written",
            ("rows",),
        ),
        delete=Statement(
            f"edge.delete:{key}",
            f"UNWIND $keys AS pair MATCH (a:{s})-[r:{t}]->(b:{d}) "
            "WHERE a.id = pair.src AND b.id = pair.dst DELETE r RETURN count(*) AS deleted",
            ("keys",),
        ),
        # A relationship without properties is only ever created, never changed: the load
        # asks which of its keys are missing (a read, no property maps back) and creates them.
        missing=Statement(
            f"edge.missing:{key}",
            f"UNWIND $keys AS pair MATCH (a:{s}) WHERE a.id = pair.src "
            f"MATCH (b:{d}) WHERE b.id = pair.dst "
            f"WITH a, b, pair, EXISTS {{ (a)-[:{t}]->(b) }} AS had WHERE NOT had "
            "RETURN collect([pair.src, pair.dst]) AS rows",
            ("keys",),
        ),
        compare=Statement(
            f"edge.compare:{key}",
            f"UNWIND $rows AS row MATCH (a:{s})-[r:{t}]->(b:{d}) "
            "WHERE a.id = row.src AND b.id = row.dst "
            "RETURN collect([a.id, b.id, "
            "CASE WHEN all(k IN keys(row.props) WHERE r[k] = row.props[k]) "
            "THEN null ELSE properties(r) END]) AS rows",
            ("rows",),
        ),
    )


def _iter_edges_statement(schema: GraphSchema, rel_type: str) -> dict[str, Statement]:
    """The relationships of a type, by source label: a page of `$page` sources after `$after`
    in id order (read from the id index in order), and their relationships of the type, in
    one record (`last`: the page's greatest source id, null past the end; `rows`: [[src,
    target labels, dst, props]], in no order — the store sorts each page)."""
    t = _name(rel_type)
    out: dict[str, Statement] = {}
    for src in schema.rels[rel_type].sources:
        s = _name(src)
        out[src] = Statement(
            f"edge.iterate:{s}-{t}",
            f"MATCH (a:{s}) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page "
            "WITH collect(a) AS sources, max(a.id) AS last "
            "RETURN last, "
            f"COLLECT {{ UNWIND sources AS a MATCH (a)-[r:{t}]->(b) "
            "RETURN [a.id, labels(b), b.id, properties(r)] } AS rows",
            ("after", "page"),
        )
    return out


def build(schema: GraphSchema = SCHEMA) -> CypherStatements:
    """All statements for `schema`."""
    domain = "|".join(_name(label) for label in schema.domain_labels)
    found = "labels(n) AS labels, " + _NODE_COLUMNS
    imp, step_label, lock_label = _name("Import"), _name("ImportStep"), _name("LoadLock")
    for label in (imp, step_label, lock_label):
        if label not in schema.nodes:
            raise ValueError(f"the schema has no {label} label (the Neo4j store's bookkeeping)")
    return CypherStatements(
        ddl=tuple(Statement(f"ddl:{i}", text) for i, text in enumerate(neo4j_ddl(schema))),
        nodes={label: _node_statements(schema, label) for label in schema.nodes},
        edges={triple: _edge_statements(*triple) for triple in schema.triples()},
        iter_edges={rel: _iter_edges_statement(schema, rel) for rel in schema.rels},
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
        import_begin=Statement(
            "import.begin",
            f"CREATE (i:{imp}) SET i.id = $id, i.name = $name, i.seq = $seq, "
            "i.state = 'running', i.holder = $holder RETURN i.seq AS seq",
            ("id", "name", "seq", "holder"),
        ),
        import_finish=Statement(
            "import.finish",
            f"MATCH (i:{imp} {{id: $id}}) SET i = $props RETURN i.seq AS seq",
            ("id", "props"),
        ),
        import_running=Statement(
            "import.running",
            f"MATCH (i:{imp}) WHERE i.state = 'running' "
            "RETURN i.id AS id, i.seq AS seq, i.holder AS holder ORDER BY seq DESC",
        ),
        import_delete=Statement(
            "import.delete",
            f"MATCH (i:{imp} {{id: $id}}) DELETE i RETURN count(*) AS deleted",
            ("id",),
        ),
        step_create=Statement(
            "import_step.create",
            f"CREATE (s:{step_label}) SET s.id = $id, s.name = $id, s.seq = $seq, "
            "s.step = $step, s.undo = $undo RETURN s.step AS step",
            ("id", "seq", "step", "undo"),
        ),
        step_last=Statement(
            "import_step.last",
            f"MATCH (s:{step_label}) WHERE s.seq = $seq RETURN s.id AS id, s.undo AS undo "
            "ORDER BY s.step DESC LIMIT 1",
            ("seq",),
        ),
        step_delete=Statement(
            "import_step.delete",
            f"MATCH (s:{step_label} {{id: $id}}) DELETE s RETURN count(*) AS deleted",
            ("id",),
        ),
        steps_delete=Statement(
            "import_step.delete_all",
            f"MATCH (s:{step_label}) WHERE s.seq = $seq DELETE s RETURN count(*) AS deleted",
            ("seq",),
        ),
        # Whether the load that holds the lock is alive: its lock transaction carries its
        # holder token as metadata.
        load_holders=Statement(
            "load.holders",
            "SHOW TRANSACTIONS YIELD metaData "
            "RETURN [m IN collect(metaData.chainkg_load) WHERE m IS NOT NULL] AS holders",
        ),
        # Setting a property takes the node's write lock until the transaction ends; MERGE on
        # the unique id makes a second load wait even while the node is being created.
        load_lock=Statement(
            "load.lock",
            f"MERGE (l:{lock_label} {{id: $id}}) SET l.name = $id, l.holder = $holder "
            "RETURN l.holder AS holder",
            ("id", "holder"),
        ),
        imports=Statement(
            "import.list",
            f"MATCH (i:{imp}) WHERE i.state IS NULL "
            "RETURN i.seq AS seq, coalesce(i.files, []) AS files, "
            "coalesce(i.sha256, []) AS sha256, i.at AS at, i.counts AS counts ORDER BY seq",
        ),
        version=Statement(
            "import.version",
            f"MATCH (i:{imp}) WHERE i.changed = true RETURN count(i) AS version",
        ),
        **_read_statements(schema),
    )


def _relation_columns() -> str:
    """An enterprise `e`'s links ([link id, revenue, share] each), suppliers and investees,
    each list in one pattern comprehension (the relationships of one node, found from it)."""
    ent, link = _name("Enterprise"), _name("Link")
    in_link, supplies, invests = _name("IN_LINK"), _name("SUPPLIES"), _name("INVESTS_IN")
    return (
        f"[(e)-[r:{in_link}]->(x:{link}) | [x.id, r.revenue, r.share]] "
        "AS links, "
        f"[(e)-[:{supplies}]->(s:{ent}) WHERE s.id <> e.id | s.id] AS supplies, "
        f"[(e)-[:{invests}]->(s:{ent}) WHERE s.id <> e.id | s.id] AS invests"
    )


def _read_statements(schema: GraphSchema) -> dict[str, Any]:
    ent, link, in_link = _name("Enterprise"), _name("Link"), _name("IN_LINK")
    relations = _relation_columns()
    return {
        "candidates": Statement(
            "candidates.by_link",
            f"UNWIND $links AS link_id MATCH (l:{link} {{id: link_id}})<-[:{in_link}]-(e:{ent}) "
            "WHERE e.local IS NULL OR e.local = false "
            f"WITH DISTINCT e WITH e, {relations} "
            "RETURN collect([e.id, e.name, e.revenue, e.tags, e.region, links, supplies, invests]) "
            "AS rows",
            ("links",),
        ),
        "enterprise_rows": Statement(
            "candidates.by_id",
            f"UNWIND $ids AS ent_id MATCH (e:{ent} {{id: ent_id}}) "
            f"WITH DISTINCT e WITH e, [(e)-[:{_name('LOCATED_IN')}]->(p) | p.id] AS places, "
            f"{relations} RETURN collect([e.id, e.name, properties(e), places, links, supplies, "
            "invests]) AS rows",
            ("ids",),
        ),
        "local_enterprises": Statement(
            "candidates.local_ids",
            f"MATCH (e:{ent}) WHERE e.local = true RETURN collect(e.id) AS ids",
        ),
        "edges_from": {
            (rel.type, src): Statement(
                f"edge.from:{_name(src)}-{_name(rel.type)}",
                f"UNWIND $ids AS src_id MATCH (a:{src} {{id: src_id}})-[r:{rel.type}]->(b) "
                "RETURN collect([a.id, labels(b), b.id, properties(r)]) AS rows",
                ("ids",),
            )
            for rel in schema.rels.values()
            for src in rel.sources
        },
    }


STATEMENTS = build()


def statements() -> list[Statement]:
    """Every statement the Neo4j store sends, with names and parameters (for the linter)."""
    return STATEMENTS.all()


def all_statements() -> list[str]:
    """The text of every statement the Neo4j store sends, DDL included."""
    return [s.text for s in statements()]
