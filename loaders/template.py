"""The blank 四图五清单 workbook that `chainkg template` writes.

Everything about sheets and columns comes from `loaders.sheets`; this module only lays it out:
a 填写说明 sheet first, then one sheet per entry of `TEMPLATE_ORDER` with a header row, a notes
row (every cell starting with `NOTES_PREFIX`, so that loaders can skip it) and drop-down lists for
enumerated columns. Lists too long for an inline formula go to the hidden sheet `OPTIONS_SHEET`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.sheets import SOURCE_COLUMN, TEMPLATE_ORDER, Column, Kind, Sheet

__all__ = [
    "FIRST_DATA_ROW",
    "INSTRUCTIONS_SHEET",
    "NOTES_PREFIX",
    "OPTIONS_SHEET",
    "VALIDATION_LAST_ROW",
    "notes_text",
    "write_template",
]

NOTES_PREFIX = "说明："
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "_选项"
FIRST_DATA_ROW = 3
VALIDATION_LAST_ROW = 5000
_SEPARATORS = ("、", ",", "，", ";", "；", "/")
INLINE_LIST_LIMIT = 255  # Excel refuses a longer inline list formula

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_NOTES_FONT = Font(italic=True, color="808080", size=9)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# The default hint of a column that has no note of its own, by kind.
_KIND_HINTS = {
    Kind.LIST: "可填多个，用、分隔",
    Kind.BOOL: "是/否（也可填 Y/N、1/0）",
    Kind.MONEY: "数字，单位亿元；万元请在表头或单元格注明",
    Kind.INT: "整数，如 2024",
    Kind.DATE: "如 2022-03-01",
    Kind.ENUM: "从下拉列表选择",
    Kind.TAGS: "可填多个",
    Kind.CODE: "18位统一社会信用代码",
}
_KIND_WIDTHS = {
    Kind.TEXT: 18,
    Kind.LIST: 26,
    Kind.BOOL: 10,
    Kind.MONEY: 14,
    Kind.INT: 10,
    Kind.DATE: 14,
    Kind.ENUM: 12,
    Kind.TAGS: 24,
    Kind.CODE: 22,
}
_DROP_DOWN_KINDS = (Kind.ENUM, Kind.BOOL, Kind.TAGS)

# What each sheet is for, in the 填写说明 sheet (by sheet key; a sheet missing here shows its note).
_PURPOSES = {
    "chain_map": "各产业链的环节构成：按上游、中游、下游排列，“上级环节”可细分到细分环节和产品，"
    "“下游环节”表示环节之间的供给关系。一行一个环节。",
    "technologies": "支撑各环节的关键技术、所处阶段，以及是否属于卡脖子技术。",
    "applications": "产业链产品的应用领域及相关环节。",
    "regions": "各市、县的园区及其级别、首位产业和主导产业。",
    "projects": "重点项目：投资主体、所属产业链和环节、总投资、项目阶段。",
    "enterprises": "省内企业和省外企业（招商对象）：所属环节、所在地、营业收入、标签，"
    "以及供货、投资关系。一行一家企业。",
    "clusters": "产业集群：级别、龙头企业和成员企业。",
    "policies": "支持产业链发展的政策文件。",
    "problems": "产业链发展中的痛点、堵点、难点、断点和卡脖子问题及其办理状态。",
}


def notes_text(column: Column) -> str:
    """The notes-row cell of a column: prefix, 必填, the column's note, its choices.

    >>> from loaders.sheets import CLUSTERS, ENTERPRISES, PROBLEMS
    >>> notes_text(ENTERPRISES.column("local"))
    '说明：必填；是=省内企业；否=省外企业（招商对象）'
    >>> notes_text(PROBLEMS.column("type"))
    '说明：从下拉列表选择；选项：痛点、堵点、难点、断点、卡脖子'
    >>> notes_text(CLUSTERS.column("name")), notes_text(CLUSTERS.column("region"))
    ('说明：必填', '说明：选填')
    """
    text = column.note or _KIND_HINTS.get(column.kind, "")
    parts = ["必填"] if column.required else []
    if text:
        parts.append(text)
    if column.kind in _DROP_DOWN_KINDS and column.choices:
        if not all(choice in text for choice in column.choices):
            parts.append("选项：" + "、".join(column.choices))
        aliases = [(a, b) for a, b in column.value_aliases if a not in text]
        if aliases:
            parts.append("也可填 " + "、".join(f"{a}（={b}）" for a, b in aliases))
    return NOTES_PREFIX + ("；".join(parts) or "选填")


def _display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count double."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _column_width(column: Column, first: bool) -> float:
    width = max(_KIND_WIDTHS[column.kind], _display_width(column.zh) + 4)
    if first:
        width = max(width, 30)
    if column.kind in (Kind.ENUM, Kind.BOOL) and column.choices:
        width = max(width, max(_display_width(c) for c in column.choices) + 6)
    return float(min(width, 40))


class _Options:
    """Drop-down lists: inline when short enough, else a column of the hidden options sheet."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._sheet: Any = None
        self._ranges: dict[tuple[str, ...], str] = {}

    def formula(self, choices: tuple[str, ...]) -> str:
        inline = '"' + ",".join(choices) + '"'
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in c or '"' in c for c in choices):
            return inline
        if choices not in self._ranges:
            if self._sheet is None:
                self._sheet = self._workbook.create_sheet(OPTIONS_SHEET)
                self._sheet.sheet_state = "hidden"
            col = get_column_letter(len(self._ranges) + 1)
            for row, choice in enumerate(choices, start=1):
                self._sheet[f"{col}{row}"] = choice
            self._ranges[choices] = f"'{OPTIONS_SHEET}'!${col}$1:${col}${len(choices)}"
        return self._ranges[choices]


def _validation(column: Column, formula: str) -> DataValidation:
    if column.kind is Kind.TAGS:
        # A cell may hold several tags, so the list is a suggestion only.
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=False,
            showInputMessage=True,
            promptTitle=column.zh,
            prompt="可从列表选择，也可填多个标签，用、分隔",
        )
    # A warning, not a stop: loaders also accept aliases (Y/N, 1/0, 谋划 …).
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=column.zh,
        error="请从下拉列表中选择：" + "、".join(column.choices),
    )


def _write_sheet(workbook: Workbook, sheet: Sheet, options: _Options) -> None:
    ws = workbook.create_sheet(sheet.zh)
    columns = (*sheet.columns, SOURCE_COLUMN)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = ws.cell(row=1, column=index, value=column.zh)
        header.font = _HEADER_FONT
        header.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        header.alignment = _CENTER
        notes = ws.cell(row=2, column=index, value=notes_text(column))
        notes.font = _NOTES_FONT
        notes.alignment = _WRAP_TOP
        ws.column_dimensions[letter].width = _column_width(column, first=index == 1)
        if column.kind in _DROP_DOWN_KINDS and column.choices:
            validation = _validation(column, options.formula(column.choices))
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{VALIDATION_LAST_ROW}")
            ws.add_data_validation(validation)
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"


def _instructions(sheets: Sequence[Sheet]) -> list[str]:
    separators = " ".join(_SEPARATORS) + " 或换行"
    source_note = SOURCE_COLUMN.note.removeprefix("可选：")
    return [
        "本工作簿用于填报“四图五清单”，填好后用 chainkg load 导入知识图谱。",
        "每个工作表第1行是表头，第2行是说明（以“说明：”开头，导入时自动跳过），从第3行起每行一条数据。",
        "橙色表头为必填列，其余可空。没有数据的工作表可以删除或留空；列的先后顺序可以调整，"
        "表头文字请勿改动（增加的自定义列会作为属性保留）。",
        f"一个单元格填多个值时，可用以下任一符号分隔：{separators}；因此名称中请勿含这些符号。",
        "是/否 列可填：是/否、Y/N、true/false、1/0。",
        "金额默认以亿元为单位；按万元填写时，把表头改为如“营业收入(万元)”，或在单元格中写明，"
        "如“3500万元”“12.5亿元”。",
        "日期可写作 2022-03-01、2022/3/1、2022年3月1日 或 2022年3月。",
        "环节名称须与产业链图一致；供应对象、投资对象、投资主体等处的企业名称须与企业清单一致"
        "（投资主体不在企业清单中时将新建该企业）。统一社会信用代码填写时校验第18位校验码。",
        f"每个工作表最后一列“{SOURCE_COLUMN.zh}”为选填，记录{source_note}。",
        "下拉列表给出可选值；企业标签可填多个，下拉只作提示。",
        "也可把各工作表另存为同名 CSV 文件（如 " + sheets[0].zh + ".csv）放在一个文件夹中导入，"
        "UTF-8 或 GBK 编码均可。",
        "导入前会检查全部数据：有错误时列出工作表、行号、列名和原因，且不写入任何数据。",
    ]


def _write_instructions(workbook: Workbook, sheets: Sequence[Sheet]) -> None:
    ws = workbook.active
    ws.title = INSTRUCTIONS_SHEET
    ws["A1"] = "四图五清单数据填报模板 · 填写说明"
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for number, line in enumerate(_instructions(sheets), start=1):
        ws.cell(row=row, column=1, value=number).alignment = _WRAP_TOP
        cell = ws.cell(row=row, column=2, value=line)
        cell.alignment = _WRAP_TOP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 30
        row += 1
    row += 1
    for index, title in enumerate(("工作表", "内容", "必填列", "列数"), start=1):
        cell = ws.cell(row=row, column=index, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for sheet in sheets:
        row += 1
        required = "、".join(c.zh for c in sheet.columns if c.required)
        values = (sheet.zh, _PURPOSES.get(sheet.key, sheet.note), required, len(sheet.columns) + 1)
        for index, value in enumerate(values, start=1):
            ws.cell(row=row, column=index, value=value).alignment = _WRAP_TOP
        ws.row_dimensions[row].height = 32
    for letter, width in zip("ABCD", (14, 70, 24, 8), strict=True):
        ws.column_dimensions[letter].width = width


def write_template(path: Path, *, sheets: Sequence[Sheet] = TEMPLATE_ORDER) -> None:
    """Write the blank workbook to `path`: 填写说明, then one sheet per entry of `sheets`."""
    workbook = Workbook()
    workbook.properties.title = "四图五清单数据填报模板"
    workbook.properties.subject = "产业链知识图谱"
    workbook.properties.creator = "chainkg"
    workbook.properties.lastModifiedBy = "chainkg"
    _write_instructions(workbook, sheets)
    options = _Options(workbook)
    for sheet in sheets:
        _write_sheet(workbook, sheet, options)
    if OPTIONS_SHEET in workbook.sheetnames:  # keep the hidden sheet last
        last = len(workbook.sheetnames) - 1
        workbook.move_sheet(OPTIONS_SHEET, offset=last - workbook.sheetnames.index(OPTIONS_SHEET))
    workbook.save(path)
