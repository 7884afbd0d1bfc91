"""The province's target list as files to hand out: XLSX ready to print, and CSV.

The workbook follows the print rules of the officer lists: a title row, the header row
repeated on every printed page, A4 landscape fitted to the page width, page numbers in the
footer, frozen header, wrapped text, and every text cell neutralised against formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exports import safe_cell
from queries.wording import STATUS_ZH

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

Getter = Callable[[dict[str, Any]], Any]


def links_text(item: dict[str, Any]) -> str:
    return "\n".join(
        f"{x['chain']}·{x['link']}（{STATUS_ZH.get(x['status'], x['status'])}→"
        f"{STATUS_ZH.get(x.get('after', ''), x.get('after', ''))}）"
        for x in item["links"]
    )


def gain_text(item: dict[str, Any]) -> str:
    return "\n".join(f"{c} +{g * 100:.1f}%" for c, g in item["local_rate_gain"].items() if g)


def host_text(host: dict[str, Any] | None) -> str:
    if not host:
        return "（无合适承接地）"
    return " · ".join(p for p in (host.get("region"), host.get("park")) if p)


def _alternatives(item: dict[str, Any]) -> str:
    return "\n".join(f"{host_text(a)}（{a['score']}）" for a in item["alternatives"])


TARGET_COLUMNS: Sequence[tuple[str, Getter, int]] = (
    ("序号", lambda i: i["rank"], 6),
    ("企业名称", lambda i: i["enterprise"], 26),
    ("企业所在地", lambda i: i.get("region_of_enterprise") or "", 14),
    ("营业收入(亿元)", lambda i: i.get("revenue"), 10),
    ("企业标签", lambda i: "、".join(i.get("tags", [])), 16),
    ("综合评分", lambda i: i["score"], 8),
    ("可补环节（现状→落地后）", links_text, 30),
    ("本地配套率提升", gain_text, 14),
    ("建议承接地", lambda i: host_text(i["host"]), 22),
    ("承接理由", lambda i: "\n".join((i["host"] or {}).get("reasons", [])), 34),
    ("备选承接地", _alternatives, 22),
    ("项目进展", lambda i: i.get("pipeline_stage") or "", 8),
    ("推荐理由", lambda i: "\n".join(i["reasons"]), 48),
)
EXCLUDED_COLUMNS: Sequence[tuple[str, Getter, int]] = (
    ("企业名称", lambda e: e["enterprise"], 30),
    ("涉及产业链", lambda e: "、".join(e.get("chains", [])), 20),
    ("项目", lambda e: e["project"], 30),
    ("项目阶段", lambda e: e["project_stage"], 10),
    ("说明", lambda e: e["reason"], 60),
)


def numbered(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**item, "rank": n} for n, item in enumerate(data["items"], 1)]


def title(data: dict[str, Any]) -> str:
    return f"{data.get('region') or '全省'}重点产业链精准招商目标企业清单"


def _values(item: dict[str, Any], columns: Sequence[tuple[str, Getter, int]]) -> list[Any]:
    out = []
    for _, get, _ in columns:
        value = get(item)
        out.append(safe_cell("" if value is None else value))
    return out


def targets_csv(data: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _, _ in TARGET_COLUMNS])
    writer.writerows(_values(item, TARGET_COLUMNS) for item in numbered(data))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def targets_xlsx(data: dict[str, Any]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "目标企业清单"
    _table(sheet, title(data), TARGET_COLUMNS, numbered(data))
    if data.get("excluded"):
        left = book.create_sheet("已排除")
        heading = "已有签约及以后阶段项目、不再列入的企业"
        _table(left, heading, EXCLUDED_COLUMNS, data["excluded"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(
    sheet: Worksheet,
    heading: str,
    columns: Sequence[tuple[str, Getter, int]],
    items: list[dict[str, Any]],
) -> None:
    last = get_column_letter(len(columns))
    sheet.append([safe_cell(heading)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append([header for header, _, _ in columns])
    for cell in sheet[2]:
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for item in items:
        sheet.append(_values(item, columns))
        for cell in sheet[sheet.max_row]:
            cell.alignment, cell.border = WRAP, BOX
    for i, (_, _, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    _print_setup(sheet, heading)


def _print_setup(sheet: Worksheet, heading: str) -> None:
    """A4 landscape, fitted to the page width, header row on every page, page numbers."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddHeader.right.text = safe_cell(heading)
