"""Writes the parts of docs/ that the code defines, so they cannot drift from it.

    python tools/gen_docs.py          # rewrite docs/reference/*.md
    python tools/gen_docs.py --check  # exit 1 when a file differs from what the code gives

Generated: the workbook (sheets and columns from loaders/sheets.py), every setting with its
default (app/settings.py, which composes the analyses' thresholds from queries/params.py), the
CLI (each command's --help) and the HTTP API (from the app's OpenAPI document). The prose of
docs/ is written by hand and links to these pages instead of restating them; the one exception
is docs/analyses.md, whose tables of defaults (between ``<!-- defaults: GROUP -->`` and
``<!-- /defaults -->``) are written here from `AnalysisParams` and `ProvinceParams`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from app.cli import cli  # noqa: E402
from app.settings import PARTS, Settings  # noqa: E402
from loaders.sheets import SOURCE_COLUMN, TEMPLATE_ORDER, Column, Kind  # noqa: E402
from queries.params import AnalysisParams  # noqa: E402
from queries.province.params import ProvinceParams  # noqa: E402

REFERENCE = ROOT / "docs" / "reference"
HEADER = "<!-- 本页由 tools/gen_docs.py 根据代码生成，请勿手改；改代码后运行 python tools/gen_docs.py -->\n\n"

KIND_WORDS = {
    Kind.TEXT: "文本",
    Kind.LIST: "列表（用 、 , ， ; ； / 或换行分隔）",
    Kind.BOOL: "是/否",
    Kind.MONEY: "金额（亿元；表头或单元格注明 万元/元 时换算）",
    Kind.INT: "整数",
    Kind.DATE: "日期（如 2022-03-01）",
    Kind.ENUM: "取值之一",
    Kind.TAGS: "标签列表（未知标签保留并提示）",
    Kind.CODE: "统一社会信用代码（18 位，按 GB 32100 校验）",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _column_row(column: Column) -> str:
    choices = "、".join(column.choices)
    value_aliases = "；".join(f"{a}={b}" for a, b in column.value_aliases)
    accepted = "、".join(column.aliases)
    parts = [
        column.zh,
        f"`{column.key}`",
        "必填" if column.required else "",
        KIND_WORDS[column.kind],
        choices + (f"（另收：{value_aliases}）" if value_aliases else ""),
        accepted,
        column.note,
    ]
    return "| " + " | ".join(_cell(p) for p in parts) + " |"


def workbook_page() -> str:
    lines = [
        "# 工作簿参考：四图五清单的工作表与列",
        "",
        "`chainkg template 四图五清单.xlsx` 写出的空白模板即按本页排列。表头可用中文名或英文键，"
        "全角半角均可，顺序不限；未列出的列作为属性保留。CSV 文件以工作表名命名（如 `企业清单.csv`）。",
        "",
        f"每张工作表都可以另加一列 **{SOURCE_COLUMN.zh}**（键 `{SOURCE_COLUMN.key}`，"
        f"也接受表头 {'、'.join(SOURCE_COLUMN.aliases)}）：{SOURCE_COLUMN.note}。",
        "",
    ]
    for sheet in TEMPLATE_ORDER:
        lines += [f"## {sheet.zh}（`{sheet.key}`）", ""]
        if sheet.note:
            lines += [sheet.note, ""]
        lines += [
            "| 列 | 键 | 必填 | 类型 | 取值 | 也接受的表头 | 说明 |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [_column_row(c) for c in sheet.columns]
        lines.append("")
    return "\n".join(lines)


def _default(value: Any) -> str:
    if isinstance(value, Path):
        return f"`{value}`" if not str(value).startswith(str(Path.home())) else "`~/.cache/chainkg`"
    if isinstance(value, list | dict):
        return "`" + json.dumps(value, ensure_ascii=False) + "`"
    if value is None:
        return "（未设置）"
    return f"`{value}`"


def settings_page() -> str:
    lines = [
        "# 设置参考",
        "",
        "每个设置都是环境变量，前缀 `CHAINKG_`（Neo4j 的连接用惯例的 `NEO4J_URI`、`NEO4J_USER`、"
        "`NEO4J_PASSWORD`、`NEO4J_DATABASE`）。列表与映射写成 JSON，例如 "
        '`CHAINKG_STRENGTH_TAGS=\'["链主","上市"]\'`。分析的阈值与权重在 `queries/params.py` 中定义一次，'
        "其余地方（本页、Cypher 食谱的默认参数）都由它派生。",
        "",
        "| 环境变量 | 默认值 | 含义 |",
        "|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        # the composed parts (AnalysisParams, ProvinceParams): one variable per field
        part = PARTS.get(name)
        for sub, sub_field in part.model_fields.items() if part else [(name, field)]:
            env = (
                f"NEO4J_{sub.removeprefix('neo4j_').upper()}"
                if sub.startswith("neo4j_")
                else f"CHAINKG_{sub.upper()}"
            )
            default = _default(sub_field.get_default(call_default_factory=True))
            lines.append(f"| `{env}` | {_cell(default)} | {_cell(sub_field.description or '')} |")
    lines.append("")
    return "\n".join(lines)


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], terminal_width=100, prog_name="chainkg")
    return result.output.rstrip()


def cli_page() -> str:
    top = _help([])
    commands = re.findall(r"^\s{2}(\w+)\s{2,}", top, re.M)
    lines = ["# 命令行参考", "", "```", top, "```", ""]
    for name in commands:
        lines += [f"## chainkg {name}", "", "```", _help([name]), "```", ""]
    return "\n".join(lines)


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"[{_schema_name(schema.get('items', {}))}]"
    return str(schema.get("type", "object"))


def api_page() -> str:
    from app.api import create_app

    spec = create_app(Settings()).openapi()
    lines = [
        "# HTTP 接口参考",
        "",
        f"`chainkg serve` 提供；机器可读的文档在 `/openapi.json`，交互文档在 `/docs`。"
        f"版本 {spec['info'].get('version', '')}。",
        "",
    ]
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            lines += [f"## {method.upper()} `{path}`", ""]
            if op.get("summary"):
                lines += [op["summary"], ""]
            params = op.get("parameters", [])
            if params:
                lines += ["| 参数 | 位置 | 类型 | 说明 |", "|---|---|---|---|"]
                for p in params:
                    kind = _schema_name(p.get("schema", {}))
                    lines.append(
                        f"| `{p['name']}` | {p['in']} | {_cell(kind)} | "
                        f"{_cell(p.get('description', ''))} |"
                    )
                lines.append("")
            responses = op.get("responses", {})
            lines += ["| 状态 | 说明 | 内容 |", "|---|---|---|"]
            for status, resp in responses.items():
                content = resp.get("content", {})
                shapes = ", ".join(
                    f"{mime}: {_schema_name(body.get('schema', {}))}"
                    for mime, body in content.items()
                )
                words = resp.get("description", "").replace("Successful Response", "成功")
                lines.append(f"| {status} | {_cell(words)} | {_cell(shapes)} |")
            lines.append("")
    return "\n".join(lines)


PAGES: dict[str, Callable[[], str]] = {
    "workbook.md": workbook_page,
    "settings.md": settings_page,
    "cli.md": cli_page,
    "api.md": api_page,
}


ANALYSES = ROOT / "docs" / "analyses.md"
_BLOCK = re.compile(r"(<!-- defaults: (\w+) -->\n)(.*?)(<!-- /defaults -->)", re.S)


def defaults_groups() -> dict[str, list[tuple[str, Any, str]]]:
    """(field, default, meaning) of every threshold, by analysis: diagnosis, anchor,
    recruit (AnalysisParams) and province (ProvinceParams)."""
    analysis = AnalysisParams()
    province = ProvinceParams()
    groups: dict[str, list[tuple[str, Any, str]]] = {
        "diagnosis": [],
        "anchor": [],
        "recruit": [],
        "province": [],
    }
    for name, field in AnalysisParams.model_fields.items():
        group = (
            "anchor"
            if name.startswith("anchor")
            else "recruit"
            if name.startswith("recruit_")
            else "diagnosis"
        )
        groups[group].append((name, getattr(analysis, name), field.description or ""))
    for name, field in ProvinceParams.model_fields.items():
        groups["province"].append((name, getattr(province, name), field.description or ""))
    return groups


def defaults_table(group: str) -> str:
    rows = defaults_groups()[group]
    lines = [
        "| 设置（环境变量） | 默认值 | 含义 |",
        "|---|---|---|",
    ]
    for name, value, meaning in rows:
        lines.append(
            f"| `{name}`（`CHAINKG_{name.upper()}`） | {_cell(_default(value))} | {_cell(meaning)} |"
        )
    return "\n".join(lines) + "\n"


def with_defaults(text: str) -> str:
    """docs/analyses.md with each defaults block rewritten from the code."""

    def fill(found: re.Match[str]) -> str:
        return found.group(1) + defaults_table(found.group(2)) + found.group(4)

    return _BLOCK.sub(fill, text)


def render() -> dict[Path, str]:
    pages = {REFERENCE / name: HEADER + build() for name, build in PAGES.items()}
    if ANALYSES.exists():
        pages[ANALYSES] = with_defaults(ANALYSES.read_text(encoding="utf-8"))
    return pages


def main(argv: list[str]) -> int:
    pages = render()
    if "--check" in argv:
        stale = [p for p, text in pages.items() if not p.exists() or p.read_text("utf-8") != text]
        for path in stale:
            print(f"docs 与代码不一致：{path.relative_to(ROOT)}（运行 python tools/gen_docs.py）")
        return 1 if stale else 0
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for path, text in pages.items():
        if path.exists() and path.read_text("utf-8") == text:
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
