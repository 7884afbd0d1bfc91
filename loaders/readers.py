"""Readers: an .xlsx workbook or a folder of CSV files → sheets of raw rows, streamed.

Untrusted workbooks are checked before they are opened (size, zip members, expansion ratio,
same-named members) and read by `loaders.xlsx`, which trusts no declared size and bounds rows,
columns, cell length and total work; CSV may be UTF-8 (with or without BOM) or GB18030 and is
bounded alike (cell length, line length, rows, columns).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from itertools import chain, islice
from pathlib import Path
from typing import Any

from graph_schema.errors import InputError, Issue
from graph_schema.identity import clean_text
from loaders.cells import CellValue
from loaders.sheets import SHEETS, Sheet
from loaders.xlsx import EXCEL_MAX_COLS, EXCEL_MAX_ROWS, XlsxBook, XlsxLimits
from loaders.xlsx import raise_by as raise_by  # re-exported: the size-limit hint

INPUT_SUFFIXES = {".csv", ".xlsx", ".txt", ".md", ".docx"}
IGNORED_SHEETS = {"填写说明", "_选项", "说明"}
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int
    max_unzipped_bytes: int
    max_ratio: int
    max_cell_chars: int = 32_767  # Excel's own limit; CSV and .xlsx alike
    max_rows: int = EXCEL_MAX_ROWS  # per sheet
    max_cols: int = EXCEL_MAX_COLS
    max_cells: int = 30_000_000  # cells (and padding) per sheet: the bound on total work
    max_strings_chars: int = 64_000_000  # an .xlsx shared-string table, all strings together
    max_line_chars: int = 2_000_000  # one physical line of a CSV file
    min_year: int = 1900
    max_year: int = 2100
    check: Callable[[], None] | None = None  # called as reading goes on; raises to stop it

    def xlsx(self) -> XlsxLimits:
        return XlsxLimits(
            self.max_rows,
            self.max_cols,
            self.max_cell_chars,
            self.max_cells,
            self.max_strings_chars,
        )


@dataclass
class RawSheet:
    """One sheet as read: its spec, where it came from, its header and its rows."""

    spec: Sheet
    file: str
    header: list[str]
    rows: Iterator[tuple[int, list[CellValue]]]  # (row number as Excel shows it, cells)
    years: tuple[int, int] = (1900, 2100)  # plausible years (年份)


def sheet_for(title: str) -> Sheet | None:
    """The sheet spec a sheet title or CSV file stem names (Chinese name or English key)."""
    key = clean_text(title).replace(" ", "").lower()
    return next((s for s in SHEETS if key in (s.zh, s.key)), None)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse(message: str, name: str) -> InputError:
    return InputError(message, [Issue(message, name)])


def input_files(path: Path) -> list[Path]:
    """The files a load argument stands for: itself, or the CSV/XLSX files in a folder.

    Only regular files are read: a dangling symlink, a symlink loop, a device or a pipe is
    refused by name, and a sub-folder of a folder is skipped even if it is named `x.csv`.
    """
    if path.is_symlink() and not path.exists():
        raise _refuse(f"“{path}”是指向不存在文件的符号链接（或符号链接循环）", path.name)
    if path.is_dir():
        try:
            entries = sorted(path.iterdir())
        except OSError as exc:
            raise _refuse(f"无法读取文件夹“{path}”（{os_reason(exc)}）", path.name) from None
        files = [p for p in entries if p.suffix.lower() in INPUT_SUFFIXES and _regular(p)]
        if not files:
            raise _refuse(
                f"文件夹“{path}”中没有 .csv、.xlsx 或文档（.txt/.md/.docx）文件", path.name
            )
        return files
    if not path.exists():
        raise _refuse(f"找不到文件“{path}”", path.name)
    if not path.is_file():
        raise _refuse(f"“{path}”不是普通文件（设备、管道等无法读取）", path.name)
    return [path]


def input_size(path: Path) -> int:
    """Bytes of the files a load argument stands for; 0 when it cannot be read (the load
    itself then says why)."""
    try:
        return sum(f.stat().st_size for f in input_files(path))
    except (OSError, InputError):
        return 0


def _regular(path: Path) -> bool:
    """A regular file (through symlinks) that exists; anything else in a folder is skipped."""
    try:
        return path.is_file()
    except OSError:
        return False


def os_reason(exc: OSError) -> str:
    """An operating-system error said in Chinese."""
    reasons = {
        2: "文件不存在",
        13: "没有读取权限",
        20: "路径中有一部分不是文件夹",
        21: "这是一个文件夹，不是文件",
        40: "符号链接循环",
    }
    return reasons.get(exc.errno or 0, "无法访问")


@dataclass(frozen=True)
class SheetHandle:
    """A recognised sheet of an input file, opened for reading when its turn comes."""

    spec: Sheet
    file: str
    open: Callable[[], RawSheet]


def discover(
    path: Path, limits: ReadLimits, warnings: list[Issue], stack: ExitStack
) -> list[SheetHandle]:
    """The recognised sheets of one file; unknown sheets are skipped with a warning."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_sheets(path, limits, warnings, stack)
    if suffix == ".csv":
        spec = sheet_for(path.stem)
        if spec is None:
            names = "、".join(s.zh for s in SHEETS)
            message = f"文件名“{path.name}”不是已知的表名（{names}），已跳过"
            warnings.append(Issue(message, path.name, severity="warning"))
            return []
        opener = partial(_csv_sheet, path, spec, limits, warnings)
        return [SheetHandle(spec, path.name, opener)]
    raise InputError(
        f"无法读取“{path.name}”：只支持 .xlsx 工作簿、.csv 文件或包含它们的文件夹",
        [Issue("不支持的文件类型（只支持 .xlsx、.csv 或包含它们的文件夹）", path.name)],
    )


def _check_xlsx(path: Path, limits: ReadLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _refuse(
            f"“{path.name}”过大（{size / 1e6:.1f} MB，上限 {limits.max_file_bytes / 1e6:.0f} MB）"
            + raise_by("max_file_mb"),
            path.name,
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(
            f"“{path.name}”不是有效的 .xlsx 工作簿（文件已损坏或并非 Excel 文件）", path.name
        )
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip_sizes(zf, path.name, limits)
    except zipfile.BadZipFile:
        raise _refuse(
            f"“{path.name}”不是有效的 .xlsx 工作簿（zip 结构已损坏）", path.name
        ) from None


def check_zip_sizes(zf: zipfile.ZipFile, name: str, limits: ReadLimits) -> None:
    """Expansion ratio of each member and the unzipped total, before anything is read."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio and info.file_size > 1 << 20:
            raise _refuse(
                f"“{name}”中的“{info.filename}”压缩比异常（{ratio:.0f}:1，"
                f"上限 {limits.max_ratio}:1），拒绝读取" + raise_by("max_zip_ratio"),
                name,
            )
    if total > limits.max_unzipped_bytes:
        raise _refuse(
            f"“{name}”解压后过大（{total / 1e6:.0f} MB，上限 {limits.max_unzipped_bytes / 1e6:.0f} MB）"
            + raise_by("max_unzipped_mb"),
            name,
        )


def _xlsx_sheets(
    path: Path, limits: ReadLimits, warnings: list[Issue], stack: ExitStack
) -> list[SheetHandle]:
    _check_xlsx(path, limits)
    book = XlsxBook(path, limits.xlsx())
    stack.callback(book.close)
    handles = []
    for title, part in book.sheets:
        spec = sheet_for(title)
        if spec is None:
            if clean_text(title) not in IGNORED_SHEETS:
                message = f"未识别的工作表“{title}”，已跳过"
                warnings.append(Issue(message, title, severity="warning"))
            continue
        opener = partial(_xlsx_sheet, book, part, spec, warnings, limits)
        handles.append(SheetHandle(spec, path.name, opener))
    return handles


def _xlsx_sheet(
    book: XlsxBook,
    part: str,
    spec: Sheet,
    issues: list[Issue],
    limits: ReadLimits,
) -> RawSheet:
    rows = book.rows(part, spec.zh, issues, limits.check)
    return _with_header(spec, book.name, rows, issues, limits)


def _with_header(
    spec: Sheet,
    file: str,
    rows: Iterator[tuple[int, list[CellValue]]],
    issues: list[Issue],
    limits: ReadLimits,
) -> RawSheet:
    """The sheet with row 1 as its header; a sheet whose row 1 is empty is an error."""
    header = next(rows, None)
    if header is None:
        return RawSheet(spec, file, [], iter(()))
    if header[0] != 1:
        message = f"第1行为空：表头（列名）应在第1行（“{file}”，第一行内容在第{header[0]}行）"
        issues.append(Issue(message, spec.zh, 1, file=file))
        return RawSheet(spec, file, [], iter(()))
    if not _is_header(spec, header[1]):
        # a printed list (app.xlsx_print) has a title block above its header row
        head = [header, *islice(rows, TITLE_ROWS)]
        at = next((i for i, (_, cells) in enumerate(head) if _is_header(spec, cells)), 0)
        header, rows = head[at], chain(head[at + 1 :], rows)
    header_text = [_header_text(c) for c in header[1]]
    years = (limits.min_year, limits.max_year)
    return RawSheet(spec, file, header_text, rows, years)


TITLE_ROWS = 10


def _is_header(spec: Sheet, cells: list[CellValue]) -> bool:
    """Whether a row names the sheet's first required column (its Chinese name or key)."""
    first = next(c for c in spec.columns if c.required)
    texts = {_header_text(c) for c in cells}
    return first.zh in texts or first.key in texts


def _header_text(cell: Any) -> str:
    return "" if cell is None else clean_text(str(cell))


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' when the start of the file decodes as UTF-8, else 'gb18030'."""
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_sheet(path: Path, spec: Sheet, limits: ReadLimits, issues: list[Issue]) -> RawSheet:
    size = path.stat().st_size
    if size > limits.max_file_bytes * 10:
        limit = limits.max_file_bytes * 10 / 1e6
        raise _refuse(
            f"“{path.name}”过大（{size / 1e6:.0f} MB，CSV 上限 {limit:.0f} MB，"
            f"即 .xlsx 上限的 10 倍）" + raise_by("max_file_mb"),
            path.name,
        )
    encoding = detect_encoding(path)
    rows = _csv_rows(path, spec, encoding, limits)
    return _with_header(spec, path.name, rows, issues, limits)


def _lines(text: io.TextIOWrapper, limit: int, where: Callable[[], int]) -> Iterator[str]:
    """Physical lines, none longer than `limit` characters (a bound on one record's size)."""
    while line := text.readline(limit + 1):
        if len(line) > limit:
            raise _CsvLimit(
                f"第{where()}行过长（一行超过 {limit} 个字符）" + raise_by("max_line_chars")
            )
        yield line


class _CsvLimit(Exception):
    pass


def _csv_rows(
    path: Path, spec: Sheet, encoding: str, limits: ReadLimits
) -> Iterator[tuple[int, list[CellValue]]]:
    name = path.name
    if csv.field_size_limit() != limits.max_cell_chars:
        csv.field_size_limit(limits.max_cell_chars)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        number = 0  # records, as Excel numbers the rows of a CSV it opens
        reader = csv.reader(_lines(text, limits.max_line_chars, lambda: number + 1))
        check = limits.check
        try:
            for number, row in enumerate(reader, start=1):
                if number > limits.max_rows:
                    raise _CsvLimit(f"行数超过上限（{limits.max_rows} 行）" + raise_by("max_rows"))
                if len(row) > limits.max_cols:
                    raise _CsvLimit(
                        f"第{number}行列数超过上限（{limits.max_cols} 列）" + raise_by("max_cols")
                    )
                if check is not None and number % 1000 == 0:
                    check()
                if "".join(row).strip():
                    yield number, list(row)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"“{name}”第{number + 1}行附近编码无法识别（应为 UTF-8 或 GB18030/GBK）",
                [Issue(f"“{name}”编码无法识别（应为 UTF-8 或 GB18030/GBK）", spec.zh, number + 1)],
            ) from exc
        except _CsvLimit as exc:
            raise InputError(
                f"“{name}”无法读取：{exc}", [Issue(f"“{name}”：{exc}", spec.zh, number + 1)]
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                reason = f"单元格内容过长（超过 {limits.max_cell_chars} 个字符）" + raise_by(
                    "max_cell_chars"
                )
            else:
                reason = "CSV 格式错误（引号不配对或含有无法识别的字符）"
            raise InputError(
                f"“{name}”第{number + 1}行{reason}",
                [Issue(f"“{name}”：{reason}", spec.zh, number + 1)],
            ) from exc
