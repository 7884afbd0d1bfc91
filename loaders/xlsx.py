"""A bounded, streaming .xlsx reader that trusts nothing the file declares.

openpyxl's read-only mode sizes a sheet by its `<dimension>` element (rows and columns beyond
it are silently dropped; a declared A1:XFD1048576 or a row numbered 999999999999 makes it pad
for ever) and reads the shared-string table whole (one 900 MB string, 5 GB of memory). This
reader walks the package's XML with expat, a part at a time and in chunks:

- rows and cells are placed by their own `r` references, never padded beyond what they hold;
- row numbers, column numbers, each cell's length, the shared-string table and the total work
  (cells and padding) are bounded, and going past a bound stops the read with a located
  Chinese message;
- DTDs, entities and external references are refused outright (no .xlsx needs them);
- a bad cell (a shared-string index out of range, a number that is not finite, a date Excel
  cannot hold, a boolean that is neither 0 nor 1) becomes an `Issue` with its row and column,
  and reading goes on, so one load reports all of them.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from graph_schema.errors import InputError, Issue


def raise_by(setting: str) -> str:
    """How a user lifts a size limit: the setting (environment variable) that sets it."""
    return f"，可调高设置 CHAINKG_{setting.upper()}"


CellValue = str | int | float | bool | dt.datetime | dt.date | None

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
_CHUNK = 1 << 16
_MAX_META_BYTES = 8_000_000  # workbook.xml, relationships, styles: small parts in any workbook
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how OOXML writes characters XML cannot hold


def unescape(text: str) -> str:
    r"""Excel's `_x0001_` escapes as the characters they stand for (checked by the rows later).

    >>> unescape("江西_x0001_铜业"), unescape("a_x005F_x0001_b")
    ('江西\x01铜业', 'a_x0001_b')
    """
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


@dataclass(frozen=True)
class XlsxLimits:
    max_rows: int = EXCEL_MAX_ROWS
    max_cols: int = EXCEL_MAX_COLS
    max_cell_chars: int = 32_767  # Excel's own limit for a cell
    max_cells: int = 30_000_000  # cells and padding, over one sheet
    max_strings_chars: int = 64_000_000  # the shared-string table, all strings together


class _Stop(Exception):
    """Raised inside expat callbacks to abandon a part; carries the Chinese message."""

    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.row = row
        self.column = column


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _parser() -> Any:
    """An expat parser that refuses any DTD, entity or external reference."""
    parser: Any = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = _CHUNK

    def forbid(*_: object) -> None:
        raise _Stop("含有 DTD 或实体声明（.xlsx 不需要，可能是恶意文件）")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    return parser


def _feed(parser: Any, stream: IO[bytes], after_chunk: Callable[[], None] | None = None) -> None:
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
        if after_chunk is not None:
            after_chunk()
    parser.Parse(b"", True)


class XlsxBook:
    """An .xlsx package opened for bounded reading: its sheets by title, read on demand."""

    def __init__(self, path: Path, limits: XlsxLimits) -> None:
        self.path = path
        self.name = path.name
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise self._error("不是有效的 .xlsx 工作簿（文件已损坏或并非 Excel 文件）") from exc
        try:
            self._members = check_members(self.zip, self.name)
            workbook = self._workbook_part()
            self.sheets, date1904 = self._sheet_parts(workbook)
            self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
            self.date_styles = self._date_styles(workbook)
            self._strings_part = self._related(workbook, "sharedStrings")
            self._strings: list[str] | None = None
        except BaseException:
            self.zip.close()
            raise

    def close(self) -> None:
        self.zip.close()

    def _error(self, message: str, part: str = "") -> InputError:
        where = f"（部件 {part}）" if part else ""
        text = f"工作簿“{self.name}”{message}{where}"
        return InputError(text, [Issue(text)])

    # -- package structure -------------------------------------------------------------------

    def _open(self, part: str) -> IO[bytes]:
        info = self._members.get(part.lstrip("/"))
        if info is None:
            raise self._error("缺少必需的部件", part)
        try:
            return self.zip.open(info)
        except (NotImplementedError, RuntimeError, zipfile.BadZipFile, ValueError) as exc:
            raise self._error("的部件无法解压（已加密或使用了不支持的压缩方式）", part) from exc

    def _small_xml(self, part: str, on_start: Callable[[str, dict[str, str]], None]) -> None:
        info = self._members.get(part.lstrip("/"))
        if info is not None and info.file_size > _MAX_META_BYTES:
            raise self._error(
                f"的结构部件过大（超过 {_MAX_META_BYTES // 1_000_000} MB；"
                "正常工作簿的这类部件不足 1 MB，文件可能已损坏）",
                part,
            )
        parser = _parser()
        parser.StartElementHandler = lambda name, attrs: on_start(_local(name), attrs)
        self._parse(parser, part)

    def _parse(self, parser: Any, part: str, after_chunk: Callable[[], None] | None = None) -> None:
        try:
            with self._open(part) as stream:
                _feed(parser, stream, after_chunk)
        except _Stop as stop:
            raise self._error(str(stop), part) from None
        except expat.ExpatError as exc:
            raise self._error(f"的 XML 已损坏（第{exc.lineno}行第{exc.offset}列）", part) from None
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise self._error("的部件已损坏，无法解压", part) from exc

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type's last word, target part) of a part's relationships."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self._members:
            return found

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    path = target.lstrip("/")
                else:
                    path = posixpath.normpath(posixpath.join(folder, target))
                kind = attrs.get("Type", "").rpartition("/")[2]
                found[attrs.get("Id", "")] = (kind, path)

        self._small_xml(rels_part, start)
        return found

    def _related(self, part: str, kind: str) -> str | None:
        return next((p for k, p in self._relationships(part).values() if k == kind), None)

    def _workbook_part(self) -> str:
        part = self._related("", "officeDocument") if "_rels/.rels" in self._members else None
        part = part or "xl/workbook.xml"
        if part not in self._members:
            raise self._error("缺少 workbook.xml（文件已损坏或并非 Excel 工作簿）")
        return part

    def _sheet_parts(self, workbook: str) -> tuple[list[tuple[str, str]], bool]:
        rels = self._relationships(workbook)
        sheets: list[tuple[str, str]] = []
        flags = {"date1904": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                kind, target = rels.get(rid, ("", ""))
                if kind == "worksheet" and target:
                    sheets.append((attrs.get("name", ""), target))
            elif tag == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "0").lower() in ("1", "true")

        self._small_xml(workbook, start)
        return sheets, flags["date1904"]

    def _date_styles(self, workbook: str) -> frozenset[int]:
        """Indexes of the cell formats that show a number as a date."""
        styles = self._related(workbook, "styles")
        if styles is None or styles not in self._members:
            return frozenset()
        custom: dict[int, str] = {}
        formats: list[int] = []
        state = {"xfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
                except ValueError:
                    return
            elif tag == "cellXfs":
                state["xfs"] = True
            elif tag == "xf" and state["xfs"]:
                try:
                    formats.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    formats.append(0)
            elif tag in ("cellStyleXfs", "cellStyles", "dxfs"):
                state["xfs"] = False

        self._small_xml(styles, start)
        dates = set()
        for index, fmt in enumerate(formats):
            code = custom.get(fmt) or BUILTIN_FORMATS.get(fmt, "General")
            if 14 <= fmt <= 22 or (code != "General" and is_date_format(code)):
                dates.add(index)
        return frozenset(dates)

    # -- shared strings ------------------------------------------------------------------------

    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = self._read_strings() if self._strings_part else []
        return self._strings

    def _read_strings(self) -> list[str]:
        part = self._strings_part or ""
        limits = self.limits
        out: list[str] = []
        pieces: list[str] = []
        state = {"t": False, "rph": 0, "len": 0, "total": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "t" and not state["rph"]:
                state["t"] = True
            elif tag == "rPh":
                state["rph"] += 1
            elif tag == "si":
                pieces.clear()
                state["len"] = 0

        def end(name: str) -> None:
            tag = _local(name)
            if tag == "t":
                state["t"] = False
            elif tag == "rPh":
                state["rph"] -= 1
            elif tag == "si":
                out.append(unescape("".join(pieces)))

        def text(data: str) -> None:
            if state["t"]:
                state["len"] += len(data)
                state["total"] += len(data)
                if state["len"] > limits.max_cell_chars:
                    raise _Stop(
                        f"第{len(out) + 1}个共享字符串过长（超过 {limits.max_cell_chars} 个字符）"
                        + raise_by("max_cell_chars")
                    )
                if state["total"] > limits.max_strings_chars:
                    raise _Stop(
                        f"共享字符串总量过大（超过 {limits.max_strings_chars} 个字符）"
                        + raise_by("max_strings_chars")
                    )
                pieces.append(data)

        parser = _parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        self._parse(parser, part)
        return out

    # -- sheets --------------------------------------------------------------------------------

    def rows(
        self,
        part: str,
        sheet: str,
        issues: list[Issue],
        check: Callable[[], None] | None = None,
    ) -> Iterator[tuple[int, list[CellValue]]]:
        """(row number, cells) of every row holding anything, in the order of the file.

        `sheet` names the sheet in messages; `check` is called between chunks (cancellation).
        """
        reader = _SheetReader(self, sheet, issues)
        parser = _parser()
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.text
        done = False
        try:
            with self._open(part) as stream:
                while not done:
                    chunk = stream.read(_CHUNK)
                    done = not chunk
                    parser.Parse(chunk, done)
                    if reader.ready:
                        yield from reader.ready
                        reader.ready = []
                    if check is not None:
                        check()
        except _Stop as stop:
            raise _sheet_error(self.name, sheet, str(stop), stop.row, stop.column) from None
        except expat.ExpatError as exc:
            message = f"工作表 XML 已损坏（部件 {part} 第{exc.lineno}行第{exc.offset}列）"
            raise _sheet_error(self.name, sheet, message, reader.row or None, "") from None
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            message = f"工作表部件 {part} 已损坏，无法解压"
            raise _sheet_error(self.name, sheet, message, None, "") from exc


def _sheet_error(file: str, sheet: str, message: str, row: int | None, column: str) -> InputError:
    issue = Issue(f"“{file}”：{message}", sheet, row, column)
    return InputError(f"工作簿“{file}”的工作表“{sheet}”无法读取：{message}", [issue])


class _SheetReader:
    """The expat callbacks of one worksheet: rows placed by their references, bounded."""

    def __init__(self, book: XlsxBook, sheet: str, issues: list[Issue]) -> None:
        self.book = book
        self.sheet = sheet
        self.issues = issues
        self.limits = book.limits
        self.ready: list[tuple[int, list[CellValue]]] = []
        self.row = 0
        self.cells: list[CellValue] = []
        self.col = 0
        self.kind = ""
        self.style = -1
        self.collect = False
        self.in_is = 0
        self.in_rph = 0
        self.text_parts: list[str] = []
        self.text_len = 0
        self.work = 0

    def _where(self) -> str:
        return column_letter(self.col) + "列"

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            ref = attrs.get("r")
            if ref:
                match = _REF.match(ref)
                if match is None:
                    raise _Stop(f"单元格引用“{ref[:20]}”无效", self.row)
                col = _column_index(match.group(1))
                if int(match.group(2)) != self.row:
                    raise _Stop(f"单元格“{ref}”不在它所在的第{self.row}行", self.row)
            else:
                col = self.col + 1
            if col > self.limits.max_cols:
                raise _Stop(
                    f"列数超过上限（{self.limits.max_cols} 列）" + raise_by("max_cols"), self.row
                )
            self.col = col
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else -1
            self.text_parts = []
            self.text_len = 0
        elif tag == "v":
            self.collect = True
        elif tag == "t":
            self.collect = self.in_is > 0 and not self.in_rph
        elif tag == "is":
            self.in_is += 1
        elif tag == "rPh":
            self.in_rph += 1
        elif tag == "row":
            ref = attrs.get("r")
            if ref is None:
                row = self.row + 1
            elif ref.isdigit() and len(ref) <= 9:
                row = int(ref)
            else:
                raise _Stop(f"行号“{ref[:20]}”无效", self.row or None)
            if row > self.limits.max_rows:
                raise _Stop(
                    f"行号 {row} 超过上限（{self.limits.max_rows} 行）" + raise_by("max_rows"), None
                )
            if row <= self.row:
                raise _Stop(f"行号 {row} 未按顺序排列（前一行为第{self.row}行）", row)
            self.row = row
            self.col = 0
            self.cells = []
            self.work += 1

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if tag == "c":
            self._cell()
        elif tag == "v" or tag == "t":
            self.collect = False
        elif tag == "is":
            self.in_is -= 1
        elif tag == "rPh":
            self.in_rph -= 1
        elif tag == "row":
            cells = self.cells
            if any(c is not None and (type(c) is not str or c.strip()) for c in cells):
                self.ready.append((self.row, cells))

    def text(self, data: str) -> None:
        if self.collect:
            self.text_len += len(data)
            if self.text_len > self.limits.max_cell_chars:
                raise _Stop(
                    f"单元格内容过长（超过 {self.limits.max_cell_chars} 个字符）"
                    + raise_by("max_cell_chars"),
                    self.row,
                    self._where(),
                )
            self.text_parts.append(data)

    def _cell(self) -> None:
        text = "".join(self.text_parts)
        self.text_parts = []
        self.text_len = 0
        if not text:
            return
        value = self._value(text)
        if value is None:
            return
        cells = self.cells
        index = self.col - 1
        missing = index + 1 - len(cells)
        if missing > 0:
            self.work += missing
            if self.work > self.limits.max_cells:
                raise _Stop(
                    f"单元格总数超过上限（{self.limits.max_cells} 个）" + raise_by("max_cells"),
                    self.row,
                )
            cells.extend([None] * missing)
        cells[index] = value

    def _bad(self, message: str) -> None:
        self.issues.append(Issue(message, self.sheet, self.row, self._where()))

    def _value(self, text: str) -> CellValue:
        kind = self.kind
        if kind == "s":
            strings = self.book.strings()
            if not text.strip().isdigit() or int(text) >= len(strings):
                self._bad(f"共享字符串编号“{text[:20]}”不存在（文件已损坏）")
                return None
            return strings[int(text)]
        if kind in ("inlineStr", "str"):
            return unescape(text)
        if kind == "e":
            return text
        if kind == "b":
            if text.strip() in ("0", "1"):
                return text.strip() == "1"
            self._bad(f"逻辑值“{text[:20]}”无效（应为 0 或 1）")
            return None
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(text.strip())
            except ValueError:
                self._bad(f"日期“{text[:40]}”无效")
                return None
        return self._number(text)

    def _number(self, text: str) -> CellValue:
        try:
            number = float(text)
        except ValueError:
            self._bad(f"数值“{text[:40]}”无效")
            return None
        if not math.isfinite(number):
            self._bad(f"数值“{text[:40]}”不是有限的数")
            return None
        if self.style in self.book.date_styles:
            try:
                moment: dt.datetime = from_excel(number, self.book.epoch)
                return moment
            except (ValueError, OverflowError):
                self._bad(f"日期序号“{text[:40]}”超出 Excel 可表示的范围")
                return None
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return number


def check_members(archive: zipfile.ZipFile, file: str) -> dict[str, zipfile.ZipInfo]:
    """The members of a zip by name; two members of the same name (a zip may hold both,
    and the second would silently win) or a name with NUL are refused."""
    members: dict[str, zipfile.ZipInfo] = {}
    folded: dict[str, str] = {}
    for info in archive.infolist():
        name = info.filename
        if "\x00" in name or any(ord(ch) < 32 for ch in name):
            text = f"“{file}”中有文件名含控制字符的部件，拒绝读取"
            raise InputError(text, [Issue(text)])
        key = name.replace("\\", "/").lower()
        if key in folded:
            text = f"“{file}”中有两个同名部件“{name}”（与“{folded[key]}”同名），拒绝读取"
            raise InputError(text, [Issue(text)])
        folded[key] = name
        members[name] = info
    return members
