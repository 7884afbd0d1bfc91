"""The Cypher cookbook: one commented ``.cypher`` file per question an analyst asks.

Each file holds one statement. Its leading ``//`` lines say what it answers (the first line
is the title) and declare every parameter it takes, one per line::

    // @param chain  产业链名称或标识

Values always travel as ``$parameters``; thresholds are named as the fields of
`queries.params.AnalysisParams`, so ``AnalysisParams().model_dump()`` supplies the documented
defaults (`bind` does that). The files are composed from ``templates/`` and shared
``fragments/`` by `queries.cypher.compose` (``python -m queries.cypher.compose``): edit those.
``queries/README.md`` says what each file answers and how to run it from Neo4j Browser,
cypher-shell or the Python driver.

>>> query = load("01_link_diagnosis")
>>> query.params[:2]
('chain', 'region')
>>> bound = query.bind(chain="锂电新能源")
>>> bound["region"] is None and bound["weak_min_enterprises"] == 3
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from queries.params import AnalysisParams

HERE = Path(__file__).resolve().parent
_PARAM = re.compile(r"^//\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\b(.*)$")

# A parameter value as the Neo4j driver sends it: a scalar, a list or a map of such values.
CypherValue: TypeAlias = (
    str | int | float | bool | Sequence["CypherValue"] | Mapping[str, "CypherValue"] | None
)
CypherParams: TypeAlias = dict[str, CypherValue]

# Parameters that are not thresholds, and their defaults (None: the whole province; the
# number of candidates of the recruitment list).
OPTIONAL: dict[str, CypherValue] = {"region": None, "top": AnalysisParams().recruit_top}


@dataclass(frozen=True)
class CookbookQuery:
    """One cookbook file: its name (the file stem), title, statement and parameters."""

    name: str
    title: str
    text: str
    params: tuple[str, ...]
    notes: dict[str, str]  # parameter → what its @param line says

    def bind(self, **values: CypherValue) -> CypherParams:
        """The parameter map to send: `values`, then the defaults, for exactly `params`.

        Raises KeyError naming a parameter that has no value and no default (``chain``).
        """
        known = {**defaults(), **values}
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            raise KeyError(f"{self.name} 不接受参数：{'、'.join(unknown)}")
        missing = [p for p in self.params if p not in known]
        if missing:
            raise KeyError(f"{self.name} 缺少参数：{'、'.join(missing)}")
        return {p: known[p] for p in self.params}


def defaults() -> CypherParams:
    """Default values of every parameter that has one (thresholds as in AnalysisParams)."""
    thresholds: CypherParams = AnalysisParams().model_dump(mode="json")
    return {**thresholds, **OPTIONAL}


def parse(name: str, source: str) -> CookbookQuery:
    """A cookbook file's text as a `CookbookQuery`.

    >>> q = parse("x", "// 标题\\n// @param chain  产业链\\nMATCH (c:Chain {name: $chain})\\n"
    ...           "RETURN c.id AS id;\\n")
    >>> q.title, q.params, q.text
    ('标题', ('chain',), 'MATCH (c:Chain {name: $chain})\\nRETURN c.id AS id')
    """
    title = ""
    params: dict[str, str] = {}
    body: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            found = _PARAM.match(stripped)
            if found:
                params[found.group(1)] = found.group(2).strip()
            elif not title and not body:
                title = stripped.lstrip("/ ").strip()
            continue
        body.append(line.rstrip())
    text = "\n".join(body).strip()
    if text.endswith(";"):
        text = text[:-1].rstrip()
    if not text or ";" in _without_strings(text):
        raise ValueError(f"{name}: a cookbook file holds exactly one statement")
    return CookbookQuery(name, title, text, tuple(params), params)


def _without_strings(text: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)


def names() -> list[str]:
    """The cookbook's file stems, in order."""
    return sorted(p.stem for p in HERE.glob("*.cypher"))


def load(name: str) -> CookbookQuery:
    """The cookbook file ``<name>.cypher``."""
    path = HERE / f"{name.removesuffix('.cypher')}.cypher"
    return parse(path.stem, path.read_text(encoding="utf-8"))


def load_all() -> list[CookbookQuery]:
    return [load(name) for name in names()]


def used_parameters(text: str) -> set[str]:
    """The ``$names`` a statement uses (outside string literals).

    >>> sorted(used_parameters("MATCH (n {id: $id}) WHERE n.x > $min AND n.s = '$no'"))
    ['id', 'min']
    """
    return set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", _without_strings(text)))
