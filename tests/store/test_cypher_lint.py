"""Every Cypher statement chainkg sends or ships, linted against the graph schema.

The linter is tools/cypher-lint (Neo4j's own parser and semantic analysis, run by node, no
server needed). Install it once with ``cd tools/cypher-lint && npm ci``; without it these
tests are skipped, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph_schema.lint_schema import lint_schema
from queries.cypher import OPTIONAL, used_parameters
from queries.cypher import parse as parse_cookbook
from queries.params import AnalysisParams
from store.cypher import STATEMENTS, all_statements, statements

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tools" / "cypher-lint"
COOKBOOK = ROOT / "queries" / "cypher"
# What the compose file runs (5.26, Cypher 5) and what newer servers also speak.
CYPHER_VERSIONS = ["CYPHER 5", "CYPHER 25"]
# Warnings that mean a statement does not fit the schema (unknown names, impossible paths).
SCHEMA_WARNING = re.compile(r"is not present in the database|has no (incoming|outgoing)")


def split_cypher(text: str) -> list[str]:
    """The statements of a .cypher file: ``//`` comment lines dropped, split at a final ``;``.

    >>> split_cypher("// 缺链\\nMATCH (n:Link)\\nRETURN n.name AS name;\\n\\nRETURN 1 AS one;\\n")
    ['MATCH (n:Link)\\nRETURN n.name AS name', 'RETURN 1 AS one']
    """
    out: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("//"):
            continue
        stripped = line.rstrip()
        if stripped.endswith(";"):
            current.append(stripped[:-1])
            out.append("\n".join(current).strip())
            current = []
        else:
            current.append(line)
    out.append("\n".join(current).strip())
    return [s for s in out if s]


def cookbook() -> list[dict[str, Any]]:
    """Every statement of queries/cypher/*.cypher (the shipped files) with the parameters its file declares
    (``// @param name``), so that the linter reports any other ``$name`` as an error."""
    found = []
    for path in sorted(COOKBOOK.glob("*.cypher")):
        source = path.read_text(encoding="utf-8")
        declared = list(parse_cookbook(path.stem, source).params)
        for i, text in enumerate(split_cypher(source), start=1):
            found.append(
                {"name": f"{path.relative_to(ROOT)}#{i}", "text": text, "parameters": declared}
            )
    return found


def node_or_skip() -> str:
    node = shutil.which("node")
    if (
        node is None
        or not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir()
    ):
        reason = "Cypher 检查器未安装：先运行 cd tools/cypher-lint && npm ci（需要 node）"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return node


def lint(items: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    payload = {"schema": lint_schema(), "statements": items, "cypherVersions": CYPHER_VERSIONS}
    proc = subprocess.run(
        [node_or_skip(), str(LINTER / "lint.mjs")],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def report(result: dict[str, Any], keep: Any = lambda d: True) -> list[str]:
    return [
        f"{s['name']} {d['line']}:{d['column']} {d['severity']} [{d['cypherVersion']}] "
        f"{d['message']} «{d['excerpt']}»"
        for s in result["statements"]
        for d in s["diagnostics"]
        if keep(d)
    ]


def test_every_store_statement_is_clean() -> None:
    """No diagnostic at all: no error, and no warning about names the schema lacks."""
    items = [{"name": s.name, "text": s.text, "parameters": list(s.params)} for s in statements()]
    code, result = lint(items)
    problems = report(result)
    assert not problems, "\n".join(problems)
    assert code == 0 and len(result["statements"]) == len(items)


def test_all_statements_covers_the_ddl() -> None:
    texts = all_statements()
    assert len(texts) == len(statements())
    assert all(s.text in texts for s in STATEMENTS.ddl)
    assert any("REQUIRE n.id IS UNIQUE" in t for t in texts)


def test_cookbook_statements_have_no_errors() -> None:
    """The cookbook, in both Cypher versions: no error, no warning, no undeclared $param."""
    items = cookbook()
    assert len(items) >= 9, [i["name"] for i in items]
    code, result = lint(items)
    errors = report(result, lambda d: d["severity"] == "error")
    off_schema = report(result, lambda d: SCHEMA_WARNING.search(d["message"]))
    assert not errors + off_schema, "\n".join(errors + off_schema)
    others = report(result)
    assert not others, "\n".join(others)
    assert code == 0


def test_cookbook_files_hold_one_statement_with_known_parameters() -> None:
    """One statement a file; each declared parameter is used, and is a threshold of
    AnalysisParams (same name, so its defaults apply) or one of the scope parameters."""
    known = set(AnalysisParams.model_fields) | set(OPTIONAL) | {"chain", "link", "name"}
    paths = sorted(COOKBOOK.glob("*.cypher"))
    assert paths
    for path in paths:
        source = path.read_text(encoding="utf-8")
        assert len(split_cypher(source)) == 1, path.name
        query = parse_cookbook(path.stem, source)
        assert query.title, f"{path.name}: the first comment line says what it answers"
        assert query.params, path.name
        assert set(query.params) <= known, (path.name, set(query.params) - known)
        assert used_parameters(query.text) == set(query.params), path.name
        assert all(query.notes.values()), f"{path.name}: every @param says what it is"


BROKEN = [
    # (name, text, declared parameters, severity, message fragment)
    ("syntax", "MATCH (n:Link {id: $id} RETURN n", ["id"], "error", "Invalid input"),
    ("label", "MATCH (n:Lnik) RETURN n.name AS name", [], "warning", "Label Lnik is not"),
    ("property", "MATCH (n:Link) RETURN n.nmae AS name", [], "warning", "nmae is not present"),
    (
        "type",
        "MATCH (a:Link)-[:SUPPLY_TO]->(b:Link) RETURN a.id AS id",
        [],
        "warning",
        "SUPPLY_TO is not present",
    ),
    (
        "path",
        "MATCH (a:Link)-[:HAS_LINK]->(b:Chain) RETURN a.id AS id",
        [],
        "warning",
        "has no",
    ),
    ("parameter", "MATCH (n:Link {id: $idd}) RETURN n.name AS name", ["id"], "error", "$idd"),
    ("function", "RETURN toLowr('A') AS x", [], "error", "Function toLowr is not present"),
    ("procedure", "CALL gds.pageRank.stream('g')", [], "error", "gds.pageRank.stream"),
    (
        "variable",
        "MATCH (n:Link) RETURN m.name AS name",
        [],
        "error",
        "Variable `m` not defined",
    ),
]


def test_the_linter_catches_mistakes() -> None:
    create = STATEMENTS.nodes["Link"].create
    broken = [
        *BROKEN,
        ("store", create.text.replace("CREATE", "CREATER"), list(create.params), "error", ""),
    ]
    items = [{"name": n, "text": t, "parameters": p} for n, t, p, _, _ in broken]
    code, result = lint(items)
    assert code == 1
    for (name, _, _, severity, fragment), linted in zip(broken, result["statements"], strict=True):
        assert linted["name"] == name
        hits = [
            d
            for d in linted["diagnostics"]
            if d["severity"] == severity and fragment in d["message"]
        ]
        assert hits, f"{name}: {linted['diagnostics']}"
    # a statement without declared parameters may use any (they come at run time)
    _, result = lint([{"name": "free", "text": "MATCH (n:Link {id: $any}) RETURN n.id AS id"}])
    assert result["statements"][0]["diagnostics"] == []
