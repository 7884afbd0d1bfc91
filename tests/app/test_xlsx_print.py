"""The print-ready XLSX layout: page setup, print titles, wrapping and the title block."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from app.xlsx_print import (
    Group,
    PrintColumn,
    TitleBlock,
    book_bytes,
    line_count,
    new_book,
    text_width,
    write_legend_sheet,
    write_list_sheet,
)

COLUMNS = [
    PrintColumn("序号", "rank", 6, align="center"),
    PrintColumn("企业名称", "name", 20),
    PrintColumn("营业收入(亿元)", "revenue", 10, align="right", number_format="0.0"),
    PrintColumn("推荐理由", "reasons", 30),
]
REASON = (
    "主营隔膜环节\n规模：营收100亿元，为本环节候选企业中最大\n已向本地链上企业供货：电芯一有限公司"
)
ROWS = [
    {"rank": 1, "name": "外省隔膜甲有限公司", "revenue": 100.0, "reasons": REASON},
    {"rank": 2, "name": "=cmd|' /C calc'!A0", "revenue": None, "reasons": "@SUM(A1)"},
]
BLOCK = TitleBlock(
    "示例电池产业链补链招商目标企业清单（宜春市）",
    chain="示例电池",
    region="宜春市",
    day=date(2026, 12, 3),
    graph_version=7,
    sources=("公开资料", "示例数据"),
    demo_rows=2,
)


def _sheet() -> openpyxl.worksheet.worksheet.Worksheet:
    book = new_book()
    write_list_sheet(book, "清单", BLOCK, COLUMNS, [Group("隔膜（断链）", ROWS)])
    write_legend_sheet(book, "说明", BLOCK, [("推荐度", "A：80–100 分")])
    loaded = openpyxl.load_workbook(io.BytesIO(book_bytes(book)))
    assert loaded.sheetnames == ["清单", "说明"]
    return loaded["清单"]


def test_prints_on_a4_landscape_one_page_wide() -> None:
    sheet = _sheet()
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)  # 9 = A4
    # fitToWidth 1 is the format's default, which the writer leaves out
    assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert "第 &P 页，共 &N 页" in sheet.oddFooter.center.text


def test_title_block_then_repeated_frozen_filtered_header() -> None:
    sheet = _sheet()
    assert sheet["A1"].value == BLOCK.title
    assert (
        sheet["A2"].value == "产业链：示例电池　　地区：宜春市　　日期：2026-12-03　　图谱版本：7"
    )
    assert sheet["A3"].value == "数据来源：公开资料、示例数据"
    assert "2 行引自“示例数据”" in sheet["A4"].value
    assert sheet["A4"].font.color.rgb.endswith("C00000")
    header = [c.value for c in sheet[6]]
    assert header == ["序号", "企业名称", "营业收入(亿元)", "推荐理由"]
    assert sheet.print_title_rows == "$6:$6"
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref == "A6:D9"
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}


def test_rows_wrap_with_heights_that_show_every_line() -> None:
    sheet = _sheet()
    assert sheet["A7"].value == "隔膜（断链）"  # the group band
    reason = sheet["D8"]
    assert reason.value == REASON and reason.alignment.wrap_text
    # 3 explicit lines; the 2nd (41 columns) and 3rd (36) need two lines each in a column 30
    # wide (about 26 usable): 5 lines in all
    assert line_count(REASON, 30) == 5
    assert sheet.row_dimensions[8].height >= 5 * 14.5
    assert sheet["B8"].border.left.style == "thin"
    assert sheet["C8"].number_format == "0.0"


def test_formulas_are_neutralised() -> None:
    sheet = _sheet()
    assert sheet["B9"].value == "'=cmd|' /C calc'!A0"
    assert sheet["D9"].value == "'@SUM(A1)"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_no_warning_without_demo_rows() -> None:
    book = new_book()
    block = TitleBlock("清单", sources=("公开资料",))
    write_list_sheet(book, "清单", block, COLUMNS, ROWS)
    sheet = openpyxl.load_workbook(io.BytesIO(book_bytes(book)))["清单"]
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == [
        "清单",
        f"地区：全省　　日期：{date.today().isoformat()}",
        "数据来源：公开资料",
    ]
    assert sheet["A5"].value == "序号" and sheet.print_title_rows == "$5:$5"


@pytest.mark.parametrize(
    ("text", "width"), [("赣锋锂业", 8), ("ABC", 3), ("１２", 4), ("锂电·新能源", 11)]
)
def test_text_width_counts_cjk_twice(text: str, width: int) -> None:
    assert text_width(text) == width
