"""五清单 downloads: CSV (UTF-8 with BOM) and a print-ready XLSX (app.xlsx_print), both in the
template's columns and words, so an exported list can be edited and loaded back unchanged.

The XLSX sheet is named after the template sheet (企业清单 …); its title block sits above the
header row, which the loader finds by its column names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from app.xlsx_print import (
    DEMO_SOURCE,
    PrintColumn,
    TitleBlock,
    book_bytes,
    new_book,
    safe_cell,
    write_legend_sheet,
    write_list_sheet,
)
from loaders.sheets import (
    CLUSTERS,
    ENTERPRISES,
    POLICIES,
    PROBLEMS,
    PROJECTS,
    SOURCE_COLUMN,
    Column,
    Kind,
    Sheet,
)
from queries.list_models import ListItem
from queries.lists import FILTER_ZH, ListSpec

__all__ = ["SHEETS", "cell_text", "columns_of", "list_csv", "list_xlsx"]

SHEETS: dict[str, Sheet] = {s.key: s for s in (ENTERPRISES, PROJECTS, CLUSTERS, POLICIES, PROBLEMS)}


def columns_of(spec: ListSpec | Sheet) -> tuple[Column, ...]:
    """The list's template columns in order, then 数据来源."""
    return (*SHEETS[spec.key].columns, SOURCE_COLUMN)


_WIDTH = {
    Kind.TEXT: 14.0,
    Kind.LIST: 18.0,
    Kind.BOOL: 6.0,
    Kind.MONEY: 9.0,
    Kind.INT: 6.0,
    Kind.DATE: 10.0,
    Kind.ENUM: 8.0,
    Kind.TAGS: 16.0,
    Kind.CODE: 19.0,
}
_WIDE = {"name": 24.0, "description": 36.0, "summary": 40.0, "members": 30.0, "issuer": 16.0}


def cell_text(value: Any) -> Any:
    """A value as the template cell writes it: lists with 、, yes/no as 是/否, 30.0 as 30.

    >>> cell_text(["正极材料", "电解液"]), cell_text(True), cell_text(30.0), cell_text(None)
    ('正极材料、电解液', '是', 30, '')
    """
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def list_csv(sheet: ListSpec | Sheet, items: Sequence[ListItem]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = columns_of(sheet)
    writer.writerow([c.zh for c in columns])
    for item in items:
        writer.writerow([safe_cell(cell_text(getattr(item, c.key))) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _print_column(column: Column) -> PrintColumn:
    width = _WIDE.get(column.key, _WIDTH.get(column.kind, 12.0))
    width = max(width, min(len(column.zh) * 2 + 2, 20))
    align = "right" if column.kind in (Kind.MONEY, Kind.INT) else "left"
    if column.kind in (Kind.BOOL, Kind.ENUM):
        align = "center"

    def value(row: Mapping[str, Any], key: str = column.key) -> Any:
        return cell_text(row.get(key))

    return PrintColumn(column.zh, value, width, align=align)


def list_xlsx(
    sheet: ListSpec | Sheet,
    items: Sequence[ListItem],
    *,
    filters: Mapping[str, str],
    chain: str | None,
    region: str | None,
    version: int | None,
) -> bytes:
    """The list sheet (named as the template's) and a 说明 sheet."""
    sources = sorted({i.source for i in items if i.source})
    demo = sum(1 for i in items if i.source == DEMO_SOURCE)
    shown = [
        f"{FILTER_ZH.get(k, k)}：{v}" for k, v in filters.items() if k not in ("chain", "region")
    ]
    block = TitleBlock(
        f"{chain or ''}{sheet.zh}",
        chain=chain,
        region=region,
        graph_version=version,
        sources=sources,
        demo_rows=demo,
        notes=(["筛选：" + "；".join(shown)] if shown else []) + [f"共 {len(items)} 条"],
    )
    book = new_book()
    rows = [dict(item) for item in items]  # each row's fields by column key (not copied)
    write_list_sheet(book, sheet.zh, block, [_print_column(c) for c in columns_of(sheet)], rows)
    legend = [(c.zh, c.note or "—") for c in columns_of(sheet)]
    legend.append(
        ("回导", "本表可修改后用“数据导入”或 chainkg load 导回；表头行以上的标题行导入时忽略")
    )
    write_legend_sheet(book, "说明", block, legend, headers=("列", "说明"))
    return book_bytes(book)
