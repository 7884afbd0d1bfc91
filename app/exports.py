"""The recruitment list as files officers hand out: XLSX (a summary sheet and a sheet per
target link) and CSV (UTF-8 with BOM, so Excel shows the Chinese).

Every text cell that a spreadsheet would run as a formula (starting with = + - @, or a tab
or carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STATUS_FILL = {"broken": "F8D7DA", "missing": "E2E3E5", "weak": "FFF3CD", "strong": "D1E7DD"}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")

# (header, key or function of the item, column width)
ITEM_COLUMNS: Sequence[tuple[str, str, int]] = (
    ("序号", "rank", 6),
    ("企业名称", "enterprise", 32),
    ("所在地区", "region", 18),
    ("营业收入(亿元)", "revenue", 12),
    ("企业标签", "tags", 22),
    ("综合评分", "score", 10),
    ("项目进展", "pipeline_stage", 10),
    ("推荐理由", "reasons", 70),
)
LINK_COLUMNS: Sequence[tuple[str, str, int]] = (
    ("目标环节", "link", 16),
    ("环节状态", "link_status_zh", 10),
)
TARGET_COLUMNS: Sequence[tuple[str, str, int]] = (
    ("目标环节", "link", 16),
    ("链位", "stage", 8),
    ("关键环节", "key", 9),
    ("状态", "status_zh", 8),
    ("诊断理由", "reasons", 60),
    ("候选企业数", "candidates", 11),
    ("本表列出", "shown", 9),
)
EXCLUDED_COLUMNS: Sequence[tuple[str, str, int]] = (
    ("环节", "link", 16),
    ("企业名称", "enterprise", 32),
    ("项目", "project", 28),
    ("项目阶段", "project_stage", 10),
    ("说明", "reason", 50),
)


def safe_cell(value: Any) -> Any:
    """A value that no spreadsheet will run as a formula.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-1+2"), safe_cell(-3), safe_cell("宜春")
    ('\\'=HYPERLINK("http://x")', "'-1+2", -3, '宜春')
    """
    if isinstance(value, str):
        if not value.isprintable():  # characters a workbook cannot hold (\x01…) are dropped
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def _cell(item: dict[str, Any], key: str) -> Any:
    value = item.get(key)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        joiner = "\n" if key == "reasons" else "、"
        return joiner.join(str(v) for v in value)
    return "" if value is None else value


def _rows(items: Iterable[dict[str, Any]], columns: Sequence[tuple[str, str, int]]) -> list[Any]:
    return [[safe_cell(_cell(item, key)) for _, key, _ in columns] for item in items]


def title(data: dict[str, Any]) -> str:
    return f"{data['chain']}产业链补链招商目标企业清单（{data.get('region') or '全省'}）"


def recruitment_csv(data: dict[str, Any]) -> bytes:
    columns = [*LINK_COLUMNS, *ITEM_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _, _ in columns])
    writer.writerows(_rows(data["items"], columns))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def recruitment_xlsx(data: dict[str, Any]) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "汇总"
    _table(summary, title(data), TARGET_COLUMNS, data["targets"], status_key="status")
    used = {"汇总", "已排除"}
    for target in data["targets"]:
        items = [i for i in data["items"] if i["link_id"] == target["link_id"]]
        sheet = book.create_sheet(_sheet_name(target["link"], used))
        heading = f"{target['link']}（{target['status_zh']}）候选企业"
        _table(sheet, heading, ITEM_COLUMNS, items)
        sheet.sheet_properties.tabColor = STATUS_FILL.get(target["status"], "FFFFFF")
    if data.get("excluded"):
        sheet = book.create_sheet("已排除")
        _table(sheet, "已有签约及以后阶段项目、不再列入的企业", EXCLUDED_COLUMNS, data["excluded"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(
    sheet: Worksheet,
    heading: str,
    columns: Sequence[tuple[str, str, int]],
    items: list[dict[str, Any]],
    status_key: str | None = None,
) -> None:
    sheet.append([safe_cell(heading)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([header for header, _, _ in columns])
    for cell in sheet[2]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for item, row in zip(items, _rows(items, columns), strict=True):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP
        if status_key and item.get(status_key) in STATUS_FILL:
            fill = PatternFill("solid", fgColor=STATUS_FILL[item[status_key]])
            sheet.cell(sheet.max_row, 4).fill = fill
    for i, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{max(sheet.max_row, 2)}"


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel-legal, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip("'")[:28] or "环节"
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base[:26]}_{n}"
        n += 1
    used.add(candidate)
    return candidate
