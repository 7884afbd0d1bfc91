"""Readers: an .xlsx workbook or a folder of CSV files → sheets of raw rows, streamed.

Untrusted workbooks are checked before openpyxl opens them (size, zip members, expansion
ratio) and parsed with defusedxml in place; CSV may be UTF-8 (with or without BOM) or GB18030.
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

import defusedxml  # noqa: F401  (openpyxl uses it for every XML part when it is installed)
import openpyxl
from openpyxl.xml import DEFUSEDXML

from graph_schema.errors import InputError, Issue
from graph_schema.identity import clean_text
from loaders.cells import CellValue
from loaders.sheets import SHEETS, Sheet

if not DEFUSEDXML:  # pragma: no cover - guarded by the dependency list
    raise ImportError("defusedxml 未安装：拒绝读取不可信的 .xlsx")

INPUT_SUFFIXES = {".csv", ".xlsx", ".txt", ".md", ".docx"}
IGNORED_SHEETS = {"填写说明", "_选项", "说明"}
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int
    max_unzipped_bytes: int
    max_ratio: int


@dataclass
class RawSheet:
    """One sheet as read: its spec, where it came from, its header and its rows."""

    spec: Sheet
    file: str
    header: list[str]
    rows: Iterator[tuple[int, list[CellValue]]]  # (row number as Excel shows it, cells)


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


def input_files(path: Path) -> list[Path]:
    """The files a load argument stands for: itself, or the CSV/XLSX files in a folder."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in INPUT_SUFFIXES)
        if not files:
            raise InputError(f"文件夹“{path}”中没有 .csv、.xlsx 或文档（.txt/.md/.docx）文件")
        return files
    if not path.exists():
        raise InputError(f"找不到文件“{path}”")
    return [path]


@dataclass(frozen=True)
class SheetHandle:
    """A recognised sheet of an input file, opened for reading when its turn comes."""

    spec: Sheet
    file: str
    open: Callable[[], RawSheet]
    size: int = 0  # bytes of a CSV file that may be read in its own process; 0 otherwise


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
        opener = partial(_csv_sheet, path, spec, limits)
        return [SheetHandle(spec, path.name, opener, path.stat().st_size)]
    raise InputError(
        f"无法读取“{path.name}”：只支持 .xlsx 工作簿、.csv 文件或包含它们的文件夹",
        [Issue("不支持的文件类型（只支持 .xlsx、.csv 或包含它们的文件夹）", path.name)],
    )


def _check_xlsx(path: Path, limits: ReadLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputError(
            f"“{path.name}”过大（{size / 1e6:.1f} MB，上限 {limits.max_file_bytes / 1e6:.0f} MB）"
        )
    if not zipfile.is_zipfile(path):
        raise InputError(f"“{path.name}”不是有效的 .xlsx 工作簿（文件已损坏或并非 Excel 文件）")
    with zipfile.ZipFile(path) as zf:
        total = 0
        for info in zf.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio and info.file_size > 1 << 20:
                raise InputError(
                    f"“{path.name}”中的“{info.filename}”压缩比异常（{ratio:.0f}:1），拒绝读取"
                )
        if total > limits.max_unzipped_bytes:
            raise InputError(
                f"“{path.name}”解压后过大（{total / 1e6:.0f} MB，上限 {limits.max_unzipped_bytes / 1e6:.0f} MB）"
            )


def _xlsx_sheets(
    path: Path, limits: ReadLimits, warnings: list[Issue], stack: ExitStack
) -> list[SheetHandle]:
    _check_xlsx(path, limits)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"无法打开工作簿“{path.name}”：文件已损坏或格式不受支持（{type(exc).__name__}）"
        ) from exc
    stack.callback(book.close)
    handles = []
    for ws in book.worksheets:
        spec = sheet_for(ws.title)
        if spec is None:
            if clean_text(ws.title) not in IGNORED_SHEETS:
                message = f"未识别的工作表“{ws.title}”，已跳过"
                warnings.append(Issue(message, ws.title, severity="warning"))
            continue
        handles.append(SheetHandle(spec, path.name, partial(_xlsx_sheet, ws, spec, path.name)))
    return handles


def _xlsx_sheet(ws: Any, spec: Sheet, file: str) -> RawSheet:
    rows = _numbered(ws.iter_rows(values_only=True))
    head = list(islice(rows, TITLE_ROWS + 1))
    if not head or head[0][0] != 1:
        return RawSheet(spec, file, [], iter(()))
    # a printed list (app.xlsx_print) has a title block above its header row
    at = next((i for i, (_, cells) in enumerate(head) if _is_header(spec, cells)), 0)
    header = [_header_text(c) for c in head[at][1]]
    return RawSheet(spec, file, header, chain(head[at + 1 :], rows))


TITLE_ROWS = 10


def _is_header(spec: Sheet, cells: list[CellValue]) -> bool:
    """Whether a row names the sheet's first required column (its Chinese name or key)."""
    first = next(c for c in spec.columns if c.required)
    texts = {_header_text(c) for c in cells}
    return first.zh in texts or first.key in texts


def _numbered(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[CellValue]]]:
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            yield number, cells


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


def _csv_sheet(path: Path, spec: Sheet, limits: ReadLimits) -> RawSheet:
    size = path.stat().st_size
    if size > limits.max_file_bytes * 10:
        raise InputError(f"“{path.name}”过大（{size / 1e6:.0f} MB）")
    encoding = detect_encoding(path)
    rows = _csv_rows(path, encoding)
    header = next(rows, None)
    if header is None or header[0] != 1:
        return RawSheet(spec, path.name, [], iter(()))
    return RawSheet(spec, path.name, [_header_text(c) for c in header[1]], rows)


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[CellValue]]]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text)
        number = 0  # records, as Excel numbers the rows of a CSV it opens
        try:
            for number, row in enumerate(reader, start=1):
                if "".join(row).strip():
                    yield number, list(row)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"“{path.name}”第{number + 1}行附近编码无法识别（应为 UTF-8 或 GB18030/GBK）",
                [Issue("编码无法识别（应为 UTF-8 或 GB18030/GBK）", path.stem, number + 1)],
            ) from exc
        except csv.Error as exc:
            raise InputError(
                f"“{path.name}”第{number + 1}行 CSV 格式错误：{exc}",
                [Issue(f"CSV 格式错误：{exc}", path.stem, number + 1)],
            ) from exc
