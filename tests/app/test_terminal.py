"""Stored strings are untrusted: the terminal shows control sequences as escapes, exports
accept any of them, and the API's JSON never holds Infinity or NaN."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from rich.table import Table

from app.exports import safe_cell
from app.terminal import SafeConsole
from app.web.snapshots import encode


def test_terminal_shows_escape_sequences_as_text() -> None:
    out = io.StringIO()
    console = SafeConsole(file=out, force_terminal=False, markup=False, highlight=False)
    table = Table("企业")
    table.add_row("\x1b[2J\x1b[31m红色企业\u202e")
    console.print(table)
    console.print("搜索：\x1b]0;title\x07")
    text = out.getvalue()
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\x1b[2J\\x1b[31m红色企业\\u202e" in text
    assert "\\x1b]0;title\\x07" in text


def test_export_cell_drops_what_a_workbook_cannot_hold() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([safe_cell("江西\x01铜业"), safe_cell("=\x02危险")])
    buffer = io.BytesIO()
    book.save(buffer)
    values = [c.value for c in load_workbook(io.BytesIO(buffer.getvalue())).active[1]]  # type: ignore[index]
    assert values == ["江西铜业", "'=危险"]


def test_api_json_never_holds_non_finite_numbers() -> None:
    body = encode({"revenue": float("inf"), "items": [float("nan"), 1.5]})
    assert json.loads(body) == {"revenue": None, "items": [None, 1.5]}
    assert b"Infinity" not in body and b"NaN" not in body
