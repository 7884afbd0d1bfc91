"""Composes the shipped cookbook files from templates and shared fragments.

``python -m queries.cypher.compose`` writes ``queries/cypher/NN_*.cypher`` from
``templates/NN_*.cypher``; ``--check`` writes nothing and exits 1 naming every shipped file
that is not what its template and the fragments produce (CI runs the same comparison as a
test). Edit the templates and fragments, never the shipped files.

A template is a cookbook file with three kinds of directive:

- ``// @include NAME key=value …`` — the block fragment ``fragments/NAME.cypher`` in its
  place (its leading comment paragraph, which documents the fragment, is left out);
- ``{{NAME key=value …}}`` inside a line — the one-line fragment ``fragments/NAME.cypher``,
  or a value rendered from Python (`VALUES`); inside a fragment ``{{key}}`` is its argument;
- ``// @param NAME`` with no text — the parameter's note; for a threshold it is the
  description and default of `queries.params.AnalysisParams`, so no default is written twice;
  ``// @params NAME GROUP …`` declares several at once, a group (`groups`) being every field
  of AnalysisParams of one analysis.

>>> render_literal({"链主": 1.0, "上市": 0.5})
'{`链主`: 1.0, `上市`: 0.5}'
>>> render_literal(["投产", None, True, 3])
"['投产', null, true, 3]"
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph_schema.definitions import INDUSTRIES
from graph_schema.identity import _PARK_ABBREVIATIONS  # the one table of park abbreviations
from queries.cypher import defaults
from queries.params import AnalysisParams

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
FRAGMENTS = HERE / "fragments"

_INCLUDE = re.compile(r"^(\s*)//\s*@include\s+([a-z_]+)\s*(.*)$")
_INLINE = re.compile(r"\{\{\s*([a-z_]+)((?:\s+[a-z_]+=[^{}\s]*)*)\s*\}\}")
_ARG = re.compile(r"([a-z_]+)=([^\s]*)")
_PARAM = re.compile(r"^//\s*@param\s+([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$")
_PARAMS = re.compile(r"^//\s*@params\s+(.*)$")

# What the non-threshold parameters mean, for a template that does not say otherwise.
NOTES: dict[str, str] = {
    "chain": "产业链：名称、简称或标识，如 '锂电新能源'、'锂电'、'chain:锂电新能源'",
    "region": (
        "地区或园区：名称、简称、全称路径或标识（'宜春市'、'宜春'、'江西省/宜春市'、"
        "'宜春经开区'、'park:…'）；null 或本省 = 全省"
    ),
    "link": "目标环节：名称或标识，如 '隔膜'、'link:锂电新能源/隔膜'",
    "name": "节点：标识、名称或别名，如 '宜春市'、'ent:赣锋锂业'、'赣锋锂业'",
    "top": "最多列出的条数（默认 {top}）",
}


def render_literal(value: Any) -> str:
    """A Python value as a Cypher literal (what an analyst pastes into ``:params``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"`{k}`: {render_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no Cypher literal for {value!r}")


def _industry_aliases() -> str:
    return render_literal(
        {name: list(aliases) for name, (_, aliases) in INDUSTRIES.items() if aliases}
    )


# Values written once in Python and rendered into the Cypher where a template names them.
VALUES: dict[str, Callable[[], str]] = {
    "park_abbreviations": lambda: render_literal([list(pair) for pair in _PARK_ABBREVIATIONS]),
    "industry_aliases": _industry_aliases,
}


def param_note(name: str) -> str:
    """The ``@param`` text of a parameter a template leaves blank."""
    field = AnalysisParams.model_fields.get(name)
    if field is not None:
        default = render_literal(getattr(AnalysisParams(), name))
        text = field.description or ""
        if text.endswith("）"):  # 低于该值（亿元） → 低于该值（亿元；默认 10.0）
            return f"{text[:-1]}；默认 {default}）"
        return f"{text}（默认 {default}）"
    if name in NOTES:
        return NOTES[name].format(**defaults())
    raise ValueError(f"@param {name}: no note in the template and none in compose.NOTES")


def groups() -> dict[str, list[str]]:
    """The parameter groups a template may declare at once (``// @params chain diagnosis``):
    every field of AnalysisParams, so that a new threshold reaches the files of its group."""
    fields = list(AnalysisParams.model_fields)
    return {
        "diagnosis": [f for f in fields if not f.startswith(("anchor", "recruit_"))],
        # PageRank (its alpha) needs Neo4j GDS: the cookbook leaves centrality out
        "anchor": [f for f in fields if f.startswith("anchor_") and f != "anchor_pagerank_alpha"],
        # the list's length and the memory kept for it are no thresholds of a template
        "recruit": [
            f
            for f in fields
            if f.startswith("recruit_") and f not in ("recruit_top", "recruit_cache_firms")
        ],
    }


def _params(line: str) -> list[str]:
    """The ``@param`` lines of one ``// @params name-or-group …`` line."""
    found = _PARAMS.match(line.strip())
    if not found:
        return [line]
    names: list[str] = []
    for token in found.group(1).split():
        names += groups().get(token, [token])
    return [f"// @param {name}" for name in names]


def _args(text: str) -> dict[str, str]:
    return dict(_ARG.findall(text))


def fragment(name: str) -> str:
    """A fragment's body: its file after the first blank line (the paragraph before it says
    what the fragment does and is not shipped)."""
    path = FRAGMENTS / f"{name}.cypher"
    if not path.is_file():
        raise ValueError(f"no fragment {name} (fragments/{name}.cypher)")
    doc, blank, body = path.read_text(encoding="utf-8").partition("\n\n")
    if not blank or not all(line.startswith("//") for line in doc.splitlines()):
        raise ValueError(f"fragments/{name}.cypher: a comment paragraph, a blank line, the body")
    return body.strip("\n")


def _fill(body: str, args: dict[str, str]) -> str:
    """A fragment's ``{{key}}`` arguments (``carry=c,sub`` → ``c, sub``; passed on as they are
    to a nested ``@include``); an empty one drops the ``, `` that follows it."""
    lines = []
    for line in body.splitlines():
        nested = _INCLUDE.match(line) is not None
        for key, value in args.items():
            token = "{{" + key + "}}"
            if value:
                line = line.replace(token, value if nested else value.replace(",", ", "))
            else:
                line = re.sub(re.escape(token) + r",\s*", "", line).replace(token, "")
        lines.append(line)
    return "\n".join(lines)


def _inline(line: str, depth: int = 0) -> str:
    def one(match: re.Match[str]) -> str:
        name, args = match.group(1), _args(match.group(2))
        if name in VALUES:
            return VALUES[name]()
        body = _fill(fragment(name), args)
        if "\n" in body:
            raise ValueError(f"fragment {name} is a block: use // @include {name}")
        return _inline(body, depth + 1)

    if depth > 8:
        raise ValueError("fragments include each other in a loop")
    return _INLINE.sub(one, line)


def _expand(text: str, depth: int = 0) -> list[str]:
    if depth > 8:
        raise ValueError("fragments include each other in a loop")
    out: list[str] = []
    for line in text.splitlines():
        found = _INCLUDE.match(line)
        if found:
            indent, name, args = found.groups()
            body = _fill(fragment(name), _args(args))
            out += [indent + sub if sub else sub for sub in _expand(body, depth + 1)]
        else:
            out.append(_inline(line))
    return out


def _fragments_used(text: str) -> list[str]:
    names: list[str] = []
    for line in text.splitlines():
        found = _INCLUDE.match(line)
        wanted = [found.group(2)] if found else []
        # {{key}} inside a fragment is one of its arguments, not a fragment
        wanted += [
            m.group(1)
            for m in _INLINE.finditer(line)
            if (FRAGMENTS / f"{m.group(1)}.cypher").is_file()
        ]
        for name in wanted:
            if name not in names:
                names.append(name)
                names += [n for n in _fragments_used(fragment(name)) if n not in names]
    return names


def compose(template: Path) -> str:
    """The shipped text of one template."""
    source = template.read_text(encoding="utf-8")
    lines = source.splitlines()
    if not lines or not lines[0].startswith("//"):
        raise ValueError(f"{template.name}: the first line is the title comment")
    used = "、".join(_fragments_used(source))
    header = [
        lines[0],
        "//",
        f"// 生成文件：由 templates/{template.name}"
        + (f" 与 fragments/ 中的片段（{used}）" if used else ""),
        "// 经 python -m queries.cypher.compose 组合而成；请修改模板与片段，勿直接修改本文件。",
    ]
    body: list[str] = []
    thresholds = set(AnalysisParams.model_fields)
    for line in [one for source_line in lines[1:] for one in _params(source_line)]:
        found = _PARAM.match(line.strip())
        if found and found.group(1) in thresholds and found.group(2):
            raise ValueError(
                f"{template.name}: @param {found.group(1)} restates AnalysisParams; leave it blank"
            )
        if found and not found.group(2):
            name = found.group(1)
            body.append(f"// @param {name:<26} {param_note(name)}")
        else:
            body.append(line)
    text = "\n".join(header + _expand("\n".join(body))).rstrip() + "\n"
    leftover = _INLINE.search(text) or re.search(r"\{\{|\}\}", text)
    if leftover:
        raise ValueError(f"{template.name}: unexpanded {leftover.group(0)!r}")
    return text


# Where an example value reads better than the default (these have none).
EXAMPLES: dict[str, Any] = {"chain": "锂电新能源", "link": "隔膜", "name": "宜春市"}
README_START = "<!-- composed: params (python -m queries.cypher.compose) -->"
README_END = "<!-- /composed -->"


def params_block(width: int = 100) -> str:
    """Neo4j Browser's ``:params`` with every parameter of the cookbook and its default."""
    values = {**EXAMPLES, "region": None, "top": defaults()["top"]}
    for names in groups().values():
        values.update({name: defaults()[name] for name in names})
    items = [f"{key}: {render_literal(value)}" for key, value in values.items()]
    lines = [":params {"]
    for i, item in enumerate(items):
        item += "}" if i == len(items) - 1 else ","
        if len(lines[-1]) + 1 + len(item) > width and lines[-1] != ":params {":
            lines.append("  " + item)
        else:
            lines[-1] += ("" if lines[-1].endswith("{") else " ") + item
    return "\n".join(lines)


def readme(text: str) -> str:
    """queries/README.md with its ``:params`` block composed."""
    head, start, rest = text.partition(README_START)
    _, end, tail = rest.partition(README_END)
    if not start or not end:
        raise ValueError(f"queries/README.md: {README_START} … {README_END} missing")
    return f"{head}{start}\n```\n{params_block()}\n```\n{end}{tail}"


def shipped() -> dict[Path, str]:
    """Every shipped file (and queries/README.md) and the text it must have."""
    out = {HERE / t.name: compose(t) for t in sorted(TEMPLATES.glob("*.cypher"))}
    readme_path = HERE.parent / "README.md"
    out[readme_path] = readme(readme_path.read_text(encoding="utf-8"))
    return out


def stale() -> list[str]:
    """The shipped files that differ from what the templates produce (or are missing), and
    shipped files that no template produces."""
    expected = shipped()
    out = [
        _shown(p)
        for p, text in expected.items()
        if not p.is_file() or p.read_text(encoding="utf-8") != text
    ]
    out += [_shown(p) for p in sorted(HERE.glob("*.cypher")) if p not in expected]
    return out


def _shown(path: Path) -> str:
    return "queries/" + path.relative_to(HERE.parent).as_posix()


def main(argv: list[str]) -> int:
    if argv[1:] == ["--check"]:
        bad = stale()
        for name in bad:
            print(f"{name} 与模板和片段生成的结果不一致：运行 python -m queries.cypher.compose")
        return 1 if bad else 0
    if argv[1:]:
        print("用法：python -m queries.cypher.compose [--check]", file=sys.stderr)
        return 2
    for path, text in shipped().items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"写入 {_shown(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
