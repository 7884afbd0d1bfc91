"""The one definition of chainkg's graph: labels, properties, relationships, identity."""

from graph_schema.batch import Edge, GraphBatch, Node
from graph_schema.definitions import SCHEMA
from graph_schema.errors import ChainKGError, InputError, StoreError
from graph_schema.model import GraphSchema, NodeType, Prop, PropType, RelType

__all__ = [
    "SCHEMA",
    "ChainKGError",
    "Edge",
    "GraphBatch",
    "GraphSchema",
    "InputError",
    "Node",
    "NodeType",
    "Prop",
    "PropType",
    "RelType",
    "StoreError",
]
