"""Rows: map a sheet's header to its columns and turn each row into a typed `Record`.

Every problem becomes an `Issue` naming sheet, Excel row and the header as the clerk wrote it;
reading goes on so that one load reports all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from graph_schema.errors import Issue
from graph_schema.identity import clean_text
from loaders.cells import (
    CellError,
    CellValue,
    as_text,
    as_written,
    did_you_mean,
    parse_bool,
    parse_code,
    parse_date,
    parse_enum,
    parse_int,
    parse_list,
    parse_money,
)
from loaders.readers import RawSheet
from loaders.sheets import SOURCE_COLUMN, Column, Kind

NOTES_PREFIX = "说明："
_UNIT = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]$")
_HEADER_FACTORS = {"亿元": 1.0, "万元": 1e-4, "元": 1e-8}


@dataclass
class Record:
    """One row of a sheet, typed; `values` holds only the cells that were filled."""

    sheet: str
    file: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def issue(self, column: str, message: str, severity: str = "error") -> Issue:
        return Issue(message, self.sheet, self.row, column, severity)


@dataclass(frozen=True)
class _Slot:
    index: int
    header: str
    column: Column | None  # None: an unknown column, kept as a property
    parse: Callable[[CellValue], Any] = as_text


def _base(text: str) -> tuple[str, str | None]:
    key = clean_text(text).replace(" ", "").lower()
    match = _UNIT.search(key)
    return (key[: match.start()], match.group(1)) if match else (key, None)


def _match(header: str, columns: tuple[Column, ...]) -> tuple[Column | None, float]:
    base, unit = _base(header)
    for column in columns:
        names = [column.zh, column.key, *column.aliases]
        if any(_base(n)[0] == base for n in names):
            return column, _HEADER_FACTORS.get(unit or "亿元", 1.0)
    return None, 1.0


def map_header(sheet: RawSheet, issues: list[Issue]) -> list[_Slot] | None:
    """The sheet's columns by position, or None (with issues) when it cannot be read."""
    columns = (*sheet.spec.columns, SOURCE_COLUMN)
    slots: list[_Slot] = []
    seen: dict[str, str] = {}
    ok = True
    for index, header in enumerate(sheet.header):
        if not header:
            continue
        column, factor = _match(header, columns)
        if column is not None and column.key in seen:
            issues.append(
                Issue(f"列“{header}”与列“{seen[column.key]}”重复", sheet.spec.zh, 1, header)
            )
            ok = False
            continue
        if column is not None:
            seen[column.key] = header
        slots.append(_Slot(index, header, column, _parser(column, factor)))
    for column in sheet.spec.columns:
        if column.required and column.key not in seen:
            known = [s.header for s in slots if s.column is None]
            hint = did_you_mean(column.zh, known)
            issues.append(Issue(f"缺少必填列“{column.zh}”{hint}", sheet.spec.zh, 1, column.zh))
            ok = False
    return slots if ok else None


def records(sheet: RawSheet, issues: list[Issue]) -> Iterator[Record]:
    """Typed records of a sheet; rows with errors are reported and skipped.

    This loop runs for every cell of a province's lists, so it stays flat.
    """
    slots = map_header(sheet, issues)
    if slots is None:
        return
    plan = [(s.index, s.column.key if s.column else "", s.parse, s) for s in slots]
    simple = [p for p in plan if _is_simple(p[3].column)]
    special = [p[3] for p in plan if not _is_simple(p[3].column)]
    required = [s for s in slots if s.column is not None and s.column.required]
    for number, cells in sheet.rows:
        if number == 2 and _is_notes(cells):
            continue
        record = Record(sheet.spec.zh, sheet.file, number)
        values = record.values
        width = len(cells)
        found: list[Issue] = []
        for index, key, parse, slot in simple:
            if index < width and (value := cells[index]) is not None and value != "":
                try:
                    parsed = parse(value)
                except CellError as exc:
                    found.append(record.issue(slot.header, str(exc)))
                    continue
                if parsed != "" and parsed != []:
                    values[key] = parsed
        for slot in special:
            if slot.index < width and (issue := _fill(record, slot, cells[slot.index])):
                found.append(issue)
        for slot in required:
            if (
                slot.column
                and slot.column.key not in values
                and all(i.column != slot.header for i in found)
            ):
                found.append(record.issue(slot.header, f"必填项“{slot.column.zh}”为空"))
        if found:
            issues.extend(found)
            if any(i.severity == "error" for i in found):
                continue
        yield record


def _is_simple(column: Column | None) -> bool:
    return column is not None and column is not SOURCE_COLUMN and column.kind != Kind.TAGS


def _is_notes(cells: list[CellValue]) -> bool:
    first = next((c for c in cells if c not in (None, "")), None)
    return isinstance(first, str) and first.strip().startswith(NOTES_PREFIX)


def _fill(record: Record, slot: _Slot, value: CellValue) -> Issue | None:
    """The less common cells: unknown columns, 数据来源 and tags (which may warn)."""
    if value is None or value == "":
        return None
    if slot.column is None:
        text = as_text(value)
        if text:
            record.extra[slot.header] = text
        return None
    if slot.column is SOURCE_COLUMN:
        record.source = as_text(value)
        return None
    tags = parse_list(value)
    if tags:
        record.values[slot.column.key] = tags
    unknown = "、".join(f"“{t}”" for t in tags if t not in slot.column.choices)
    if unknown:
        return record.issue(slot.header, f"未知标签{unknown}，已保留", "warning")
    return None


# Names kept as their source wrote them (identity matches them by their normalised forms).
WRITTEN_COLUMNS = frozenset({"name", "investor"})


def _parser(column: Column | None, factor: float) -> Callable[[CellValue], Any]:
    """The cell parser of a column, with the header's unit and the column's choices bound."""
    if column is None:
        return as_text
    if column.kind == Kind.TEXT and column.key in WRITTEN_COLUMNS:
        return as_written
    if column.kind == Kind.MONEY:
        return partial(parse_money, header_factor=factor)
    if column.kind == Kind.ENUM:
        return partial(parse_enum, choices=column.choices, aliases=dict(column.value_aliases))
    return _PARSERS[column.kind]


_PARSERS: dict[Kind, Callable[[CellValue], Any]] = {
    Kind.TEXT: as_text,
    Kind.LIST: parse_list,
    Kind.TAGS: parse_list,
    Kind.BOOL: parse_bool,
    Kind.INT: parse_int,
    Kind.DATE: parse_date,
    Kind.CODE: parse_code,
}
