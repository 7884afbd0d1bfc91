"""The schema: labels, id prefixes, relationship ends, and the DDL derived from it."""

from __future__ import annotations

from graph_schema.ddl import SQLITE_TYPES, node_indexes
from graph_schema.definitions import (
    PROJECT_STAGES,
    SCHEMA,
    STAGES,
)
from graph_schema.model import COMMON_NODE_PROPS, PropType


def test_every_label_has_its_own_id_prefix() -> None:
    prefixes = [n.prefix for n in SCHEMA.nodes.values()]
    assert len(prefixes) == len(set(prefixes))
    for node in SCHEMA.nodes.values():
        assert SCHEMA.label_of(f"{node.prefix}:x") == node.label
    assert SCHEMA.label_of("nonsense:x") is None


def test_the_domain_labels_leave_the_bookkeeping_out() -> None:
    domain = SCHEMA.domain_labels
    for label in ("Chain", "Link", "Enterprise", "Project", "Region", "Park", "Problem"):
        assert label in domain
    internal = [n.label for n in SCHEMA.nodes.values() if n.internal]
    assert internal and not set(internal) & set(domain)


def test_relationships_join_known_labels() -> None:
    for source, rel, target in SCHEMA.triples():
        assert source in SCHEMA.nodes, (source, rel)
        assert target in SCHEMA.nodes, (rel, target)
    assert ("Enterprise", "IN_LINK", "Link") in SCHEMA.triples()
    assert ("Link", "PART_OF", "Link") in SCHEMA.triples()
    assert ("Link", "SUPPLIES_TO", "Link") in SCHEMA.triples()


def test_every_node_has_the_common_properties_first() -> None:
    for node in SCHEMA.nodes.values():
        assert node.all_props[: len(COMMON_NODE_PROPS)] == COMMON_NODE_PROPS
        names = [p.name for p in node.all_props]
        assert len(names) == len(set(names)), node.label
        assert node.prop("id") is not None and node.prop("nonexistent") is None


def test_the_in_link_relationship_carries_the_link_figures() -> None:
    rel = SCHEMA.rel("IN_LINK")
    assert rel.prop("revenue") is not None and rel.prop("share") is not None


def test_every_property_type_has_a_sqlite_column_type() -> None:
    assert set(SQLITE_TYPES) == set(PropType)


def test_indexes_only_for_indexed_properties() -> None:
    for node in SCHEMA.nodes.values():
        indexed = [p.name for p in node.all_props if p.indexed]
        statements = node_indexes(node)
        assert len(statements) == len(indexed)
        assert all("WHERE" in s for s in statements)  # partial: empty cells are not indexed


def test_the_stage_vocabularies() -> None:
    assert STAGES == ("上游", "中游", "下游")
    assert PROJECT_STAGES[0] == "储备" and PROJECT_STAGES[-1] == "投产"
