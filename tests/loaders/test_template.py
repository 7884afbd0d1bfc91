"""The blank workbook `chainkg template` writes: sheets, headers, notes row, drop-downs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from loaders.sheets import (
    CHAIN_MAP,
    ENTERPRISES,
    PROBLEMS,
    PROJECTS,
    SOURCE_COLUMN,
    TEMPLATE_ORDER,
    Column,
    Kind,
    Sheet,
)
from loaders.template import (
    FIRST_DATA_ROW,
    INSTRUCTIONS_SHEET,
    NOTES_PREFIX,
    OPTIONS_SHEET,
    VALIDATION_LAST_ROW,
    write_template,
)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def _header(ws: Any) -> list[str]:
    return [cell.value for cell in ws[1] if cell.value is not None]


def _validation(ws: Any, header: str) -> Any:
    """The data validation over the first data cell of the column named `header`."""
    letter = openpyxl.utils.get_column_letter(_header(ws).index(header) + 1)
    found = [
        dv for dv in ws.data_validations.dataValidation if f"{letter}{FIRST_DATA_ROW}" in dv.sqref
    ]
    assert len(found) == 1, f"{ws.title}[{header}]: {len(found)} validations"
    dv = found[0]
    assert f"{letter}{VALIDATION_LAST_ROW}" in dv.sqref
    assert dv.type == "list"
    return dv


def _choices(workbook: Any, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, cells = formula.split("!")
    ws = workbook[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]


def test_sheets_in_template_order_after_the_instructions(workbook: Any) -> None:
    assert workbook.sheetnames == [INSTRUCTIONS_SHEET, *(s.zh for s in TEMPLATE_ORDER)]
    assert workbook.properties.creator == "chainkg"
    assert workbook.properties.title


@pytest.mark.parametrize("sheet", TEMPLATE_ORDER, ids=lambda s: s.key)
def test_headers_notes_and_frozen_pane(workbook: Any, sheet: Sheet) -> None:
    ws = workbook[sheet.zh]
    assert _header(ws) == [c.zh for c in sheet.columns] + [SOURCE_COLUMN.zh]
    notes = [cell.value for cell in ws[2]]
    assert len(notes) == len(sheet.columns) + 1
    assert all(isinstance(n, str) and n.startswith(NOTES_PREFIX) for n in notes)
    for column, note in zip(sheet.columns, notes, strict=False):
        assert ("必填" in note) == column.required, column.zh
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.max_row == 2  # blank below the notes
    assert ws["A1"].font.b
    assert ws["A2"].font.i


@pytest.mark.parametrize(
    ("sheet", "key"),
    [
        (CHAIN_MAP, "stage"),
        (ENTERPRISES, "local"),
        (PROJECTS, "stage"),
        (PROBLEMS, "type"),
        (PROBLEMS, "status"),
    ],
)
def test_enumerations_have_strict_drop_downs(workbook: Any, sheet: Sheet, key: str) -> None:
    column = sheet.column(key)
    dv = _validation(workbook[sheet.zh], column.zh)
    assert _choices(workbook, dv.formula1) == list(column.choices)
    assert dv.showErrorMessage


def test_tags_drop_down_allows_several_tags(workbook: Any) -> None:
    column = ENTERPRISES.column("tags")
    dv = _validation(workbook[ENTERPRISES.zh], column.zh)
    assert _choices(workbook, dv.formula1) == list(column.choices)
    assert not dv.showErrorMessage


def test_every_choice_column_has_a_drop_down(workbook: Any) -> None:
    for sheet in TEMPLATE_ORDER:
        ws = workbook[sheet.zh]
        for column in sheet.columns:
            if column.kind in (Kind.ENUM, Kind.BOOL, Kind.TAGS):
                dv = _validation(ws, column.zh)
                assert _choices(workbook, dv.formula1) == list(column.choices)
        expected = sum(c.kind in (Kind.ENUM, Kind.BOOL, Kind.TAGS) for c in sheet.columns)
        assert len(ws.data_validations.dataValidation) == expected


def test_instructions_mention_every_sheet_and_the_rules(workbook: Any) -> None:
    text = "\n".join(
        str(cell.value) for row in workbook[INSTRUCTIONS_SHEET].iter_rows() for cell in row
    )
    for sheet in TEMPLATE_ORDER:
        assert sheet.zh in text
    for needle in ("、", "；", "换行", "Y/N", "亿元", "万元", "2022年3月", SOURCE_COLUMN.zh):
        assert needle in text


def test_long_lists_go_to_a_hidden_options_sheet(tmp_path: Path) -> None:
    many = tuple(f"选项{i:03d}" for i in range(60))  # far over Excel's 255 characters
    sheet = Sheet(
        "测试表",
        "test",
        (
            Column("名称", "name", required=True),
            Column("类别", "kind", Kind.ENUM, choices=many),
            Column("标签", "tags", Kind.TAGS, choices=many),
            Column("是否", "flag", Kind.BOOL, choices=("是", "否")),
        ),
    )
    path = tmp_path / "long.xlsx"
    write_template(path, sheets=(sheet,))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "测试表", OPTIONS_SHEET]
    assert wb[OPTIONS_SHEET].sheet_state == "hidden"
    ws = wb["测试表"]
    kind = _validation(ws, "类别")
    tags = _validation(ws, "标签")
    assert kind.formula1.startswith(f"'{OPTIONS_SHEET}'!")
    assert kind.formula1 == tags.formula1  # the same list is written once
    assert _choices(wb, kind.formula1) == list(many)
    assert _choices(wb, _validation(ws, "是否").formula1) == ["是", "否"]
