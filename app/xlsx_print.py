"""Print-ready XLSX lists: sheets an officer can print on A4 landscape and hand out.

One call writes a list sheet::

    book = new_book()
    block = TitleBlock("锂电新能源产业链补链招商目标企业清单", chain="锂电新能源", region="宜春市",
                       graph_version=12, sources=("公开资料", "示例数据"), demo_rows=3)
    columns = [PrintColumn("企业名称", "name", 24), PrintColumn("推荐理由", "reasons", 60)]
    write_list_sheet(book, "清单", block, columns, [Group("隔膜（断链）", rows)])
    write_legend_sheet(book, "说明", block, [("推荐度", "A 80–100 分 …")])
    data = book_bytes(book)

What every sheet gets: A4 landscape, all columns scaled to one page width (fit to width,
any number of pages tall), the header row repeated on each printed page, thin borders,
wrapped text with each row's height estimated from its longest cell (Chinese characters
count two columns wide) so that every line shows, a title block (title; chain, region,
date, graph version; data sources; a red 示例数据 warning when any row comes from
示例数据), a frozen header, an auto-filter and a page footer "第 n 页 / 共 m 页".
Every text cell that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) gets a leading apostrophe, and every text is written as text (never
read as a formula, number or link).

The workbook is written by XlsxWriter in one pass, row by row, with one format object per
distinct style: a list of 11 000 rows takes about a second (bench/bench_lists.py).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

__all__ = [
    "DEMO_SOURCE",
    "DEMO_WARNING",
    "FORMULA_START",
    "Group",
    "PrintBook",
    "PrintColumn",
    "TitleBlock",
    "book_bytes",
    "line_count",
    "new_book",
    "safe_cell",
    "sheet_name",
    "text_width",
    "write_legend_sheet",
    "write_list_sheet",
]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEMO_SOURCE = "示例数据"
DEMO_WARNING = (
    "注意：本表有 {n} 行引自“示例数据”（演示用的虚构或未经核实的数字，企业名称可能为真实企业），"
    "仅供演示，不得作为招商决策或对外材料的依据。"
)

# A4 landscape: 297 mm wide; with 12 mm side margins the printable width is about
# 273 mm. One Excel width unit (a digit of the default 11 pt font) is about 1.9 mm at
# 100 %, so about 140 units print at full size; wider sheets are scaled down to fit.
PRINT_WIDTH_UNITS = 140.0
BODY_SIZE = 10
LINE_POINTS = 14.5  # one wrapped line of 10 pt text, CJK fonts included
HEADER_FILL = "1F4E79"
GROUP_FILL = "DDEBF7"
WARN_FILL = "FFF2CC"
BORDER_COLOR = "808080"
A4 = 9  # the paper size code of A4
# Characters an XLSX file cannot hold (XML 1.0 forbids them): C0 controls but tab and
# line breaks. They are dropped from what is written.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


@cache
def _wide_characters() -> re.Pattern[str]:
    """A character class of the wide and full-width characters (East Asian width W or F):
    the Basic Multilingual Plane and the emoji block as Unicode says, and the ideographs
    of planes 2 and 3."""
    ranges: list[tuple[int, int]] = []
    points = (*range(0x10000), *range(0x1F000, 0x1FB00))
    for code in points:
        if unicodedata.east_asian_width(chr(code)) in "WF":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    ranges.append((0x20000, 0x3FFFD))
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{body}]")


def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two.

    >>> text_width("赣锋锂业"), text_width("ABC 12"), text_width("（注）")
    (8, 6, 6)
    """
    if text.isascii():
        return len(text)
    return 2 * len(text) - len(_wide_characters().sub("", text))


def line_count(text: str, width: float) -> int:
    """Printed lines of `text` wrapped in a column `width` units wide (explicit line breaks
    kept; a line is broken at a character, as spreadsheets do for Chinese).

    >>> line_count("一二三四五六七八九十", 10), line_count("甲\\n乙", 30), line_count("", 8)
    (3, 2, 1)
    """
    usable = max(1.0, width * 0.92 - 1.0)  # cell padding and the glyphs' own spacing
    if "\n" not in text:
        return max(1, math.ceil(text_width(text) / usable))
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


@dataclass(frozen=True)
class PrintColumn:
    """A column of a list sheet: header, the row's key (or a function of the row), width in
    Excel units (a CJK character is about two), and how the value is shown."""

    header: str
    key: str | Callable[[Mapping[str, Any]], Any]
    width: float
    align: str = "left"  # left / center / right
    number_format: str | None = None

    def value(self, row: Mapping[str, Any]) -> Any:
        raw = self.key(row) if callable(self.key) else row.get(self.key)
        return _plain(raw)


@dataclass(frozen=True)
class TitleBlock:
    """What the top of every printed sheet says. `demo_rows` > 0 adds the 示例数据 warning."""

    title: str
    chain: str | None = None
    region: str | None = None
    day: date | None = None
    graph_version: int | str | None = None
    sources: Sequence[str] = ()
    demo_rows: int = 0
    notes: Sequence[str] = ()

    def lines(self) -> list[str]:
        facts = []
        if self.chain:
            facts.append(f"产业链：{self.chain}")
        facts.append(f"地区：{self.region or '全省'}")
        facts.append(f"日期：{(self.day or date.today()).isoformat()}")
        if self.graph_version is not None:
            facts.append(f"图谱版本：{self.graph_version}")
        out = ["　　".join(facts)]
        if self.sources:
            out.append("数据来源：" + "、".join(dict.fromkeys(self.sources)))
        out.extend(self.notes)
        return out


@dataclass
class Group:
    """Rows under a heading band (e.g. one target link); `fill` colours the band."""

    heading: str
    rows: Sequence[Mapping[str, Any]]
    fill: str | None = None
    empty_note: str = ""  # shown as a row when `rows` is empty
    extra: dict[str, Any] = field(default_factory=dict)


class PrintBook:
    """A workbook being written (XlsxWriter, in memory): its sheets, and one format object
    per distinct style. `book_bytes` finishes it."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.sheet_names: set[str] = set()
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}

    def style(self, **props: Any) -> Format:
        """The format with these XlsxWriter properties (made once, then reused)."""
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.workbook.add_format(props)
        return found


def new_book() -> PrintBook:
    """An empty workbook."""
    return PrintBook()


def book_bytes(book: PrintBook) -> bytes:
    """The finished workbook's bytes (the book takes no more sheets after this)."""
    book.workbook.close()
    return book.buffer.getvalue()


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, used: set[str]) -> str:
    """An Excel-legal, unique sheet name (≤ 31 characters, none of []:*?/\\).

    >>> used = set(); sheet_name("正极/负极", used), sheet_name("正极/负极", used)
    ('正极_负极', '正极_负极_2')
    """
    base = _BAD_SHEET_CHARS.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip("'")[:28] or "清单"
    candidate, n = base, 2
    while candidate.casefold() in {u.casefold() for u in used}:
        candidate = f"{base[:26]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


_BORDER = {"border": 1, "border_color": "#" + BORDER_COLOR}
_ALIGN = {"left": "left", "center": "center", "right": "right"}


def write_list_sheet(
    book: PrintBook,
    name: str,
    block: TitleBlock,
    columns: Sequence[PrintColumn],
    rows: Sequence[Mapping[str, Any]] | Sequence[Group],
    *,
    cell_fill: Callable[[Mapping[str, Any], PrintColumn], str | None] | None = None,
    notes: Sequence[str] = (),
) -> Worksheet:
    """Write a print-ready list sheet and return it.

    `rows` is a list of mappings, or of `Group`s (each a heading band over its rows).
    `cell_fill(row, column)` may colour a cell (an RGB hex such as "F8D7DA").
    `notes` are lines printed under the table (a legend, a footnote).
    """
    sheet = book.workbook.add_worksheet(sheet_name(name, book.sheet_names))
    widths = [c.width for c in columns]
    ncol = len(columns)
    top = _title_block(book, sheet, block, widths)
    header = top + 1  # 1-based row numbers, as a reader counts them; XlsxWriter's are 0-based
    header_style = book.style(
        bold=True,
        font_color="#FFFFFF",
        font_size=BODY_SIZE,
        bg_color="#" + HEADER_FILL,
        pattern=1,
        align="center",
        valign="vcenter",
        text_wrap=True,
        **_BORDER,
    )
    sheet.set_row(header - 1, _height([line_count(c.header, c.width) for c in columns], pad=6))
    for i, column in enumerate(columns):
        sheet.write_string(header - 1, i, column.header, header_style)

    def cell_style(column: PrintColumn, fill: str | None) -> Format:
        props: dict[str, Any] = {
            "font_size": BODY_SIZE,
            "align": _ALIGN.get(column.align, "left"),
            "valign": "top",
            "text_wrap": True,
            **_BORDER,
        }
        if column.number_format:
            props["num_format"] = column.number_format
        if fill:
            props.update(bg_color="#" + fill, pattern=1)
        return book.style(**props)

    plain = [cell_style(c, None) for c in columns]
    r = header
    groups = rows if rows and isinstance(rows[0], Group) else None
    if groups is None:
        groups = [Group("", rows)]  # type: ignore[arg-type]
    write_string, write_number, set_row = sheet.write_string, sheet.write_number, sheet.set_row
    indexed = list(enumerate(columns))
    for group in groups:
        assert isinstance(group, Group)
        if group.heading:
            r += 1
            _band(book, sheet, r, ncol, group.heading, sum(widths), group.fill or GROUP_FILL)
        if not group.rows and group.empty_note:
            r += 1
            _band(book, sheet, r, ncol, group.empty_note, sum(widths), None, bold=False)
        for row in group.rows:
            at = r  # 0-based index of the row r + 1
            r += 1
            lines = 1
            for i, column in indexed:
                value = safe_cell(column.value(row))
                fill = cell_fill(row, column) if cell_fill else None
                style = plain[i] if fill is None else cell_style(column, fill)
                if type(value) is str:
                    write_string(at, i, value, style)
                    if len(value) * 2 > column.width * 0.92 - 1.0 or "\n" in value:
                        lines = max(lines, line_count(value, column.width))
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    if math.isfinite(value):
                        write_number(at, i, value, style)
                        lines = max(lines, line_count(_shown(value, column), column.width))
                    else:
                        write_string(at, i, "", style)
                else:
                    text = safe_cell(str(value))
                    write_string(at, i, text, style)
                    lines = max(lines, line_count(text, column.width))
            set_row(at, _height([lines]))
    last = r
    for note in notes:
        r += 1
        _band(book, sheet, r, ncol, note, sum(widths), None, bold=False, border=False)
    for i, width in enumerate(widths):
        sheet.set_column(i, i, width)
    sheet.freeze_panes(header, 0)
    sheet.autofilter(header - 1, 0, max(last, header) - 1, ncol - 1)
    sheet.repeat_rows(header - 1)
    _page_setup(sheet, block.title)
    return sheet


def write_legend_sheet(
    book: PrintBook,
    name: str,
    block: TitleBlock,
    entries: Sequence[tuple[str, str]],
    headers: tuple[str, str] = ("项目", "说明"),
) -> Worksheet:
    """A two-column 说明 / 汇总 sheet (term, explanation), printed like the lists."""
    columns = [PrintColumn(headers[0], "term", 22), PrintColumn(headers[1], "text", 110)]
    rows = [{"term": term, "text": text} for term, text in entries]
    return write_list_sheet(book, name, block, columns, rows)


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(v) for v in value)
    return "" if value is None else value


def _shown(value: Any, column: PrintColumn) -> str:
    if isinstance(value, float) and column.number_format:
        decimals = column.number_format.partition(".")[2].count("0")
        return f"{value:,.{decimals}f}"
    return str(value)


def _height(lines: Sequence[int], pad: float = 4.0) -> float:
    return round(max(lines, default=1) * LINE_POINTS + pad, 1)


def _band(
    book: PrintBook,
    sheet: Worksheet,
    row: int,
    ncol: int,
    text: str,
    width: float,
    fill: str | None,
    *,
    bold: bool = True,
    border: bool = True,
    size: int = BODY_SIZE,
    color: str | None = None,
) -> None:
    """A line of text across all columns (merged) on the sheet's `row` (1-based), wrapped,
    its height estimated."""
    props: dict[str, Any] = {"bold": bold, "font_size": size, "valign": "vcenter"}
    props["text_wrap"] = True
    if color:
        props["font_color"] = "#" + color
    if fill:
        props.update(bg_color="#" + fill, pattern=1)
    if border:
        props.update(_BORDER)
    style = book.style(**props)
    value = safe_cell(text)
    if ncol > 1:
        sheet.merge_range(row - 1, 0, row - 1, ncol - 1, "", style)
    sheet.write_string(row - 1, 0, value, style)
    scale = size / BODY_SIZE
    lines = line_count(text, width / scale)
    sheet.set_row(row - 1, round(lines * LINE_POINTS * scale + 5, 1))


def _title_block(
    book: PrintBook, sheet: Worksheet, block: TitleBlock, widths: Sequence[float]
) -> int:
    """Title, facts, sources and the demo warning; returns the last row used (1-based; a
    blank spacer row follows the block)."""
    ncol, width = len(widths), sum(widths)
    _band(book, sheet, 1, ncol, block.title, width, None, border=False, size=15)
    r = 1
    for line in block.lines():
        r += 1
        _band(book, sheet, r, ncol, line, width, None, bold=False, border=False)
    if block.demo_rows:
        r += 1
        warning = DEMO_WARNING.format(n=block.demo_rows)
        _band(book, sheet, r, ncol, warning, width, WARN_FILL, color="C00000")
    return r + 1  # a spacer row before the header


def _page_setup(sheet: Worksheet, title: str) -> None:
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.set_margins(left=0.45, right=0.45, top=0.6, bottom=0.6)
    sheet.set_header("", margin=0.3)
    sheet.center_horizontally()
    footer = title[:60].replace("&", "&&") + "　第 &P 页，共 &N 页"
    # "&8" sets the font size: a footer starting with a digit would lengthen that number
    sheet.set_footer("&C&8" + (" " if footer[:1].isdigit() else "") + footer, margin=0.3)
