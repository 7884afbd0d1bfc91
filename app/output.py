"""What the CLI prints for people: Chinese tables, load reports, a progress bar on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.importing import ImportReport
from graph_schema import SCHEMA
from graph_schema.errors import InputError, Issue
from loaders.workbook import ProgressFn
from queries.answers import SearchOut
from queries.nodes import NodeDetail

MAX_SHOWN_ISSUES = 200


@contextmanager
def progress(console: Console, enabled: bool) -> Iterator[ProgressFn | None]:
    """A progress line on a terminal (rows read so far); nothing when output is piped."""
    if not (enabled and console.is_terminal):
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("读取中…", total=None)

        def update(label: str, rows: int) -> None:
            bar.update(task, description=f"{label}：{rows:,} 行")

        yield update


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "file": issue.file,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "message": issue.message,
    }


def load_failure(exc: InputError) -> dict[str, Any]:
    return {
        "ok": False,
        "message": str(exc),
        "errors": [issue_json(i) for i in exc.issues if i.severity == "error"],
        "warnings": [issue_json(i) for i in exc.issues if i.severity != "error"],
    }


def load_success(report: ImportReport) -> dict[str, Any]:
    return {
        "ok": True,
        "dry_run": report.summary is None,
        "files": report.files,
        "rows": report.rows,
        "batch": report.counts,
        "written": report.summary.as_dict() if report.summary else None,
        "errors": [],
        "warnings": [issue_json(i) for i in report.warnings],
    }


def print_issues(console: Console, issues: list[Issue], headline: str) -> None:
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity != "error"]
    for issue in errors[:MAX_SHOWN_ISSUES]:
        console.print(f"错误  {issue}")
    if len(errors) > MAX_SHOWN_ISSUES:
        console.print(
            f"……另有 {len(errors) - MAX_SHOWN_ISSUES} 处错误未列出（可用 --json 查看全部）"
        )
    _print_warnings(console, warnings)
    console.print(headline)


def _print_warnings(console: Console, warnings: list[Issue]) -> None:
    for issue in warnings[:MAX_SHOWN_ISSUES]:
        console.print(f"警告  {issue}")
    if len(warnings) > MAX_SHOWN_ISSUES:
        console.print(
            f"……另有 {len(warnings) - MAX_SHOWN_ISSUES} 条警告未列出（可用 --json 查看全部）"
        )


def print_load(console: Console, report: ImportReport) -> None:
    _print_warnings(console, report.warnings)
    rows = f"、{report.rows:,} 行" if report.rows else ""
    nodes = sum(report.counts["nodes"].values())
    rels = sum(report.counts["relationships"].values())
    console.print(f"读取 {len(report.files)} 个文件{rows}：{nodes:,} 个节点、{rels:,} 条关系。")
    s = report.summary
    if s is None:
        console.print("校验通过（试运行，未写入）。")
    elif not s.changed:
        console.print("数据与库中一致，无需更新。")
    else:
        console.print(
            f"已写入：新增节点 {s.nodes_created:,}，更新 {s.nodes_updated:,}，未变 {s.nodes_unchanged:,}；"
            f"新增关系 {s.edges_created:,}，更新 {s.edges_updated:,}，未变 {s.edges_unchanged:,}。"
        )
    if report.warnings:
        console.print(f"共 {len(report.warnings)} 条警告（不影响导入）。")


def print_stats(console: Console, data: dict[str, dict[str, int]]) -> None:
    table = Table(title="图谱统计")
    table.add_column("类别")
    table.add_column("名称")
    table.add_column("数量", justify="right")
    for label, count in data["nodes"].items():
        table.add_row("节点", f"{SCHEMA.node(label).zh}（{label}）", f"{count:,}")
    for rel, count in data["relationships"].items():
        table.add_row("关系", f"{SCHEMA.rel(rel).zh}（{rel}）", f"{count:,}")
    console.print(table)


def print_detail(console: Console, detail: NodeDetail) -> None:
    console.print(f"{SCHEMA.node(detail.type).zh}：{detail.name}（{detail.id}）")
    props = Table(show_header=False)
    node_type = SCHEMA.node(detail.type)
    for key, value in detail.properties.items():
        prop = node_type.prop(key)
        shown = "、".join(map(str, value)) if isinstance(value, list) else _yes_no(value)
        props.add_row(prop.zh if prop else key, shown)
    console.print(props)
    rels = Table(title="关系")
    for column in ("关系", "方向", "对方类型", "对方"):
        rels.add_column(column)
    for r in detail.relationships:
        arrow = "→" if r.direction == "out" else "←"
        other = SCHEMA.node(r.other_type).zh
        rels.add_row(SCHEMA.rel(r.type).zh, arrow, other, f"{r.other_name}（{r.other_id}）")
    console.print(rels)
    if detail.documents:
        for doc in detail.documents:
            console.print(f"文档：{doc.title} …{doc.snippet}…")
    if detail.figures:
        _print_figures(console, detail)


def _print_figures(console: Console, detail: NodeDetail) -> None:
    """The figures documents state about the node (or, for a document, the ones it states)."""
    title = "文件所载数据" if detail.type == "Document" else "文件中关于它的数据"
    table = Table(title=title)
    for column in ("主体", "地区", "指标", "数值", "年份", "类型", "原句", "文件"):
        table.add_column(column)
    for f in detail.figures:
        table.add_row(
            str(f.subject),
            str(f.region or ""),
            str(f.metric),
            f"{f.value:g} {f.unit}",
            str(f.year or ""),
            str(f.kind_zh),
            str(f.sentence),
            str(f.document),
        )
    console.print(table)


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def print_search(console: Console, data: SearchOut) -> None:
    table = Table(title=f"搜索“{data.query}”")
    for column in ("类型", "名称", "产业链", "地区", "标识", "匹配度"):
        table.add_column(column)
    for item in data.items:
        table.add_row(
            SCHEMA.node(item.type).zh,
            item.name,
            "、".join(item.chains),
            item.region or "",
            item.id,
            f"{item.score:.2f}",
        )
    console.print(table)
    if not data.items:
        console.print("没有找到匹配的节点。")
