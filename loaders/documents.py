"""Policy documents (.txt, .md, .docx) → text and the metadata a 文件 carries on its face:
title, 文号 such as 赣工强省小组办字〔2020〕25号, issuing body and date.

.docx is a zip of XML: its paragraphs are read with defusedxml, like workbooks, and with the
same size limits.

Text is cleaned as it is read: vertical tabs and form feeds (page breaks in text saved from
word processors) become line breaks; any other control character (C0 other than tab and line
breaks, DEL, C1 — the characters a sheet cell refuses) is removed, with a warning that
names the file, the first line (paragraph, for .docx) holding one, and how many were removed.
A document is prose, so a stray control character does not refuse it; nothing is removed
silently.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from graph_schema.errors import InputError, Issue
from loaders.cells import CONTROL_CHARS
from loaders.readers import ReadLimits, detect_encoding, raise_by, sha256_of

DOCUMENT_SUFFIXES = {".txt", ".md", ".docx"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fa5]{2,}[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*\d{1,4}\s*号"
)
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISSUER = re.compile(
    r"^[\u4e00-\u9fa5（）()“”\"]{4,40}(办公室|人民政府|委员会|小组|厅|局|委|部|中心|管委会)$"
)
_QUOTED = re.compile(r"《([^《》]{6,60})》")
_TITLE_HINT = re.compile(r"(关于|通知|意见|方案|计划|要点|办法|措施|决定|规划|报告)")


@dataclass(frozen=True)
class DocumentText:
    file: str
    sha256: str
    text: str
    title: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    warnings: tuple[Issue, ...] = field(default=())


_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def clean_text(text: str, file: str, unit: str = "行") -> tuple[str, list[Issue]]:
    """`text` (line breaks already \\n) without control characters, and the warning saying
    what was removed: vertical tabs and form feeds become line breaks, the others go.

    >>> clean_text("第一行\\n第二\\x01行\\x7f\\x0c第三行", "a.txt")[0]
    '第一行\\n第二行\\n第三行'
    >>> print(clean_text("甲\\n乙\\x01\\x1b", "a.txt")[1][0])
    a.txt 第2行: “a.txt”含 2 个控制字符（U+0001、U+001B），已删除；第一个在第2行
    """
    if CONTROL_CHARS.search(text) is None:
        return text, []
    text = text.translate(_BREAKS)
    found = [m.start() for m in CONTROL_CHARS.finditer(text)]
    if not found:
        return text, []
    codes = sorted({ord(text[i]) for i in found})
    shown = "、".join(f"U+{c:04X}" for c in codes[:5]) + ("等" if len(codes) > 5 else "")
    line = text.count("\n", 0, found[0]) + 1
    message = f"“{file}”含 {len(found)} 个控制字符（{shown}），已删除；第一个在第{line}{unit}"
    issue = Issue(message, file, row=line if unit == "行" else None, severity="warning", file=file)
    return CONTROL_CHARS.sub("", text), [issue]


def read_document(path: Path, limits: ReadLimits) -> DocumentText:
    """The document's text and face metadata; unreadable files are an `InputError`."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise _unreadable(
            path,
            f"“{path.name}”过大（{size / 1e6:.1f} MB，上限 {limits.max_file_bytes / 1e6:.0f} MB）"
            + raise_by("max_file_mb"),
        )
    docx = path.suffix.lower() == ".docx"
    text = _docx_text(path, limits) if docx else _plain_text(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, warnings = clean_text(text, path.name, "段" if docx else "行")
    text = text.strip()
    if not text:
        raise _unreadable(path, f"“{path.name}”没有可读的文字")
    raw_lines = [line.strip() for line in text.split("\n") if line.strip()]
    lines = [line.lstrip("#").strip() for line in raw_lines]
    number = DOC_NUMBER.search(text[:2000])
    return DocumentText(
        file=path.name,
        sha256=sha256_of(path),
        text=text,
        title=_title(raw_lines, lines, path),
        doc_number=re.sub(r"\s+", "", number.group(0)) if number else None,
        issuer=_issuer(lines),
        date=_date(text),
        warnings=tuple(warnings),
    )


def _unreadable(path: Path, message: str) -> InputError:
    return InputError(message, [Issue(message, path.name)])


def _plain_text(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise _unreadable(path, f"“{path.name}”不是文本文件（含二进制内容），无法作为文档导入")
    encoding = detect_encoding(path)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _unreadable(path, f"“{path.name}”编码无法识别（应为 UTF-8 或 GB18030/GBK）") from exc


def _docx_text(path: Path, limits: ReadLimits) -> str:
    if not zipfile.is_zipfile(path):
        raise _unreadable(path, f"“{path.name}”不是有效的 .docx 文档")
    with zipfile.ZipFile(path) as zf:
        try:
            info = zf.getinfo("word/document.xml")
        except KeyError as exc:
            raise _unreadable(path, f"“{path.name}”不是有效的 .docx 文档（缺少正文部件）") from exc
        if info.file_size > limits.max_unzipped_bytes:
            raise _unreadable(
                path,
                f"“{path.name}”正文解压后过大（{info.file_size / 1e6:.0f} MB，"
                f"上限 {limits.max_unzipped_bytes / 1e6:.0f} MB）" + raise_by("max_unzipped_mb"),
            )
        root = ElementTree.fromstring(zf.read(info))
    paragraphs = []
    for para in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in para.iter(f"{_W}t")))
    return "\n".join(paragraphs)


def _title(raw_lines: list[str], lines: list[str], path: Path) -> str:
    """A Markdown heading; a short line that reads like a title (关于…的通知, …方案); the first
    《…》 name near the top; the first short line; else the file name."""
    heading = next((ln.lstrip("#").strip() for ln in raw_lines if ln.startswith("#")), "")
    if heading:
        return heading
    for line in lines[:12]:
        if _TITLE_HINT.search(line) and len(line) <= 60 and not DOC_NUMBER.fullmatch(line):
            return line
    quoted = _QUOTED.search("\n".join(lines[:5]))
    if quoted:
        return quoted.group(1)
    first = lines[0] if lines else ""
    return first if 0 < len(first) <= 40 else path.stem


def _issuer(lines: list[str]) -> str | None:
    """The issuing body: an organ's name on a line of its own, near the head or the foot."""
    for line in [*lines[:6], *reversed(lines[-6:])]:
        if _ISSUER.match(line) and not _TITLE_HINT.search(line):
            return line
    return None


def _date(text: str) -> str | None:
    """The date at the foot of a 文件 (or, failing that, at its head)."""
    tail = list(_DATE.finditer(text[-300:])) or list(_DATE.finditer(text[:300]))
    if not tail:
        return None
    year, month, day = (int(g) for g in tail[-1].groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
