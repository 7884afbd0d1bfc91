"""The schema the Cypher linter checks statements against, derived from `SCHEMA`.

It is the ``DbSchema`` object that ``lintCypherQuery(query, dbSchema)`` of
``@neo4j-cypher/language-support`` takes (see ``src/dbSchema.ts`` in that package):
labels, relationship types and property keys (unknown ones are warned about) and the
``graphSchema`` list of allowed ``(from)-[relType]->(to)`` triples (impossible paths in read
patterns are warned about). ``defaultLanguage`` is Cypher 5, what Neo4j 5.26 speaks.
Functions, procedures and parameters are not part of the graph: tools/cypher-lint adds them.

``python -m graph_schema.lint_schema`` prints it as JSON.

>>> schema = lint_schema()
>>> "Enterprise" in schema["labels"] and "IN_LINK" in schema["relationshipTypes"]
True
>>> {"from": "Chain", "to": "Link", "relType": "HAS_LINK"} in schema["graphSchema"]
True
"""

from __future__ import annotations

import json
from typing import Any

from graph_schema.definitions import SCHEMA
from graph_schema.model import GraphSchema

CYPHER_VERSION = "CYPHER 5"


def lint_schema(schema: GraphSchema = SCHEMA) -> dict[str, Any]:
    """The linter's ``DbSchema`` for `schema` (plain JSON-able data)."""
    keys = {p.name for n in schema.nodes.values() for p in n.all_props}
    keys |= {p.name for r in schema.rels.values() for p in r.props}
    return {
        "labels": list(schema.nodes),
        "relationshipTypes": list(schema.rels),
        "propertyKeys": sorted(keys),
        "graphSchema": [
            {"from": src, "to": dst, "relType": rel} for src, rel, dst in schema.triples()
        ],
        "defaultLanguage": CYPHER_VERSION,
    }


def main() -> None:
    print(json.dumps(lint_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
