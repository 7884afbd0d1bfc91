"""A generated corpus of malformed and hostile inputs: CSV, .xlsx, .zip, documents and the
file system. Nothing binary is committed; every case is built by code here, small enough to
read, and says what a clerk must be told (a fragment of the located Chinese message).

Each case's `build(folder)` writes its input under `folder` and returns the load arguments.
`http` says whether the input can be uploaded (`POST /api/v1/imports`); those must give 422.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ENT_HEADER = ["企业名称", "统一社会信用代码", "所属产业链", "所属环节", "是否省内", "所在地区"]
ENT_HEADER += ["营业收入(亿元)"]
ENT_ROW = ["江西测试材料有限公司", "", "锂电新能源", "隔膜", "是", "宜春市/袁州区", "5"]
PROJ_HEADER = ["项目名称", "所属产业链", "所属环节", "项目阶段", "年份"]
PROJ_ROW = ["测试项目", "锂电新能源", "隔膜", "在谈", "2024"]
CHAIN_HEADER = ["产业", "产业链", "环节", "上级环节", "链位", "下游环节"]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # csv, xlsx, zip, docx, fs
    build: Callable[[Path], list[Path]]
    expect: str  # a fragment of the located message the user must see
    http: bool = True


# -- CSV -------------------------------------------------------------------------------------


def write_csv(folder: Path, sheet: str, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sheet}.csv"
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _ent(column: str, value: str) -> Callable[[Path], list[Path]]:
    """企业清单 with one row whose `column` holds `value`."""

    def build(folder: Path) -> list[Path]:
        row = list(ENT_ROW)
        row[ENT_HEADER.index(column)] = value
        return [write_csv(folder, "企业清单", [ENT_HEADER, row])]

    return build


def _proj(year: str) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        row = ["测试项目", "锂电新能源", "隔膜", "在谈", year]
        return [write_csv(folder, "项目清单", [PROJ_HEADER, row])]

    return build


def _csv_rows(sheet: str, rows: list[list[str]]) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        return [write_csv(folder, sheet, rows)]

    return build


def _csv_bytes(sheet: str, data: bytes) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sheet}.csv"
        path.write_bytes(data)
        return [path]

    return build


def _chain(rows: list[list[str]]) -> Callable[[Path], list[Path]]:
    return _csv_rows("产业链图", [CHAIN_HEADER, *rows])


ROW2_REVENUE = "企业清单 第2行 [营业收入(亿元)]"
ROW2_NAME = "企业清单 第2行 [企业名称]"
CSV_CASES = [
    Case("csv-revenue-nan", "csv", _ent("营业收入(亿元)", "nan"), ROW2_REVENUE),
    Case("csv-revenue-inf", "csv", _ent("营业收入(亿元)", "inf"), ROW2_REVENUE),
    Case("csv-revenue-400-nines", "csv", _ent("营业收入(亿元)", "9" * 400), "超出范围"),
    Case("csv-revenue-1e309", "csv", _ent("营业收入(亿元)", "1e309"), ROW2_REVENUE),
    Case("csv-revenue-negative", "csv", _ent("营业收入(亿元)", "-5"), "金额不能为负数"),
    Case("csv-revenue-words", "csv", _ent("营业收入(亿元)", "十亿"), "无法识别的金额"),
    Case("csv-name-control", "csv", _ent("企业名称", "江西\x01铜业"), "含控制字符 U+0001"),
    Case("csv-name-escape", "csv", _ent("企业名称", "\x1b[31m红色企业"), "含控制字符 U+001B"),
    Case("csv-name-nul", "csv", _ent("企业名称", "江西\x00铜业"), ROW2_NAME),
    Case("csv-name-zero-width", "csv", _ent("企业名称", "\u200b\u200b"), "只含不可见字符"),
    Case("csv-name-bidi-only", "csv", _ent("企业名称", "\u202e\u2066"), "只含不可见字符"),
    Case("csv-region-c1", "csv", _ent("所在地区", "宜春市\x9b31m"), "含控制字符 U+009B"),
    Case("csv-cell-too-long", "csv", _ent("企业名称", "长" * 40_000), "单元格内容过长"),
    Case(
        "csv-too-many-columns",
        "csv",
        _csv_rows("企业清单", [ENT_HEADER, ENT_ROW + [""] * 17_000]),
        "列数超过上限",
    ),
    Case(
        "csv-bad-encoding",
        "csv",
        _csv_bytes("企业清单", ",".join(ENT_HEADER).encode("gb18030") + b"\r\n\x80\xff\x80,1\r\n"),
        "编码无法识别",
    ),
    Case("csv-year-huge", "csv", _proj("99999999999999999999"), "项目清单 第2行 [年份]"),
    Case("csv-year-implausible", "csv", _proj("20"), "年份“20”不合理"),
    Case("csv-year-words", "csv", _proj("明年"), "不是整数"),
    Case(
        "csv-missing-required-column",
        "csv",
        _csv_rows("企业清单", [["所属产业链", "所属环节"], ["锂电新能源", "隔膜"]]),
        "缺少必填列“企业名称”",
    ),
    Case(
        "csv-duplicate-column",
        "csv",
        _csv_rows("企业清单", [[*ENT_HEADER, "企业名称"], [*ENT_ROW, "重复"]]),
        "重复",
    ),
    Case(
        "csv-blank-first-row",
        "csv",
        _csv_rows("企业清单", [[], ENT_HEADER, ENT_ROW]),
        "表头（列名）应在第1行",
    ),
    Case("csv-bad-bool", "csv", _ent("是否省内", "也许"), "不是有效的是/否值"),
    Case(
        "csv-bad-credit-code",
        "csv",
        _ent("统一社会信用代码", "91360000158304517X"),
        "校验位应为“F”",
    ),
    Case(
        "csv-bad-date",
        "csv",
        _csv_rows("政策清单", [["政策名称", "发布日期"], ["测试政策", "2022-13-45"]]),
        "政策清单 第2行 [发布日期]",
    ),
    Case(
        "csv-bad-stage",
        "csv",
        _csv_rows("项目清单", [PROJ_HEADER, ["测试项目", "锂电新能源", "隔膜", "完成", "2024"]]),
        "项目清单 第2行 [项目阶段]",
    ),
    Case("csv-unknown-link", "csv", _ent("所属环节", "正级材料"), "是否为“正极材料”"),
    Case(
        "csv-unknown-chain",
        "csv",
        _ent("所属产业链", "不存在的链"),
        "未知产业链“不存在的链”",
    ),
    Case(
        "csv-local-outside-province",
        "csv",
        _ent("所在地区", "广东省深圳市"),
        "不在江西省",
    ),
    Case(
        "csv-parent-cycle-in-batch",
        "csv",
        _chain(
            [["新能源", "测试链", "甲", "乙", "上游", ""], ["新能源", "测试链", "乙", "甲", "", ""]]
        ),
        "上级环节形成循环",
    ),
    Case(
        "csv-parent-cycle-across-loads",
        "csv",
        _chain([["新能源", "锂电新能源", "锂盐", "碳酸锂", "上游", ""]]),
        "上级环节形成循环：锂盐 → 碳酸锂 → 锂盐",
    ),
    Case(
        "csv-second-parent-across-loads",
        "csv",
        _chain([["新能源", "锂电新能源", "碳酸锂", "锂矿资源", "上游", ""]]),
        "在库中的上级环节是“锂盐”",
    ),
    Case(
        "csv-second-parent-in-batch",
        "csv",
        _chain(
            [
                ["新能源", "测试链", "甲", "", "上游", ""],
                ["新能源", "测试链", "乙", "", "上游", ""],
                ["新能源", "测试链", "丙", "甲", "", ""],
                ["新能源", "测试链", "丙", "乙", "", ""],
            ]
        ),
        "一个环节只有一个上级环节",
    ),
    Case(
        "csv-self-parent",
        "csv",
        _chain([["新能源", "测试链", "甲", "甲", "上游", ""]]),
        "不能以自身为上级环节",
    ),
    Case(
        "csv-unknown-downstream",
        "csv",
        _chain([["新能源", "测试链", "甲", "", "上游", "不存在"]]),
        "未知下游环节“不存在”",
    ),
    Case(
        "csv-no-known-sheet",
        "csv",
        _csv_rows("随便什么表", [["a"], ["b"]]),
        "没有找到可识别的工作表",
    ),
]


# -- .xlsx -----------------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="企业清单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def col(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def header_row(names: list[str] = ENT_HEADER) -> str:
    cells = "".join(inline(f"{col(i)}1", h) for i, h in enumerate(names, start=1))
    return f'<row r="1">{cells}</row>'


def data_row(row: int, cells: dict[int, str] | None = None, values: list[str] = ENT_ROW) -> str:
    """Row `row` of ENT_ROW as inline strings, with some cells replaced by raw XML."""
    cells = cells or {}
    out = []
    for i, value in enumerate(values, start=1):
        out.append(cells.get(i, inline(f"{col(i)}{row}", value)))
    return f'<row r="{row}">{"".join(out)}</row>'


def sheet_xml(rows: str, head: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet {_NS}><sheetData>{rows}</sheetData></worksheet>'


def strings_xml(items: list[str]) -> str:
    sis = "".join(f"<si><t>{escape(s)}</t></si>" for s in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="{len(items)}">{sis}</sst>'


def write_xlsx(
    path: Path,
    sheet: str,
    strings: str | None = None,
    extra: list[tuple[str, bytes]] | None = None,
    skip: tuple[str, ...] = (),
    title: str = "企业清单",
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK.replace("企业清单", title),
        "xl/_rels/workbook.xml.rels": _WB_RELS,
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": strings or strings_xml([]),
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            if name not in skip:
                zf.writestr(name, text)
        for name, data in extra or []:
            zf.writestr(name, data)
    return path


def _xlsx(
    sheet: str,
    strings: str | None = None,
    skip: tuple[str, ...] = (),
    title: str = "企业清单",
) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        return [write_xlsx(folder / "清单.xlsx", sheet, strings, skip=skip, title=title)]

    return build


def _xlsx_cell(raw: str, column: int = 7) -> Callable[[Path], list[Path]]:
    """A workbook whose row 2 has raw cell XML in `column` (7: 营业收入)."""
    return _xlsx(sheet_xml(header_row() + data_row(2, {column: raw})))


def _patched(
    build: Callable[[Path], list[Path]], patch: Callable[[bytes], bytes]
) -> Callable[[Path], list[Path]]:
    def patched(folder: Path) -> list[Path]:
        paths = build(folder)
        paths[0].write_bytes(patch(paths[0].read_bytes()))
        return paths

    return patched


def set_method(data: bytes, member: bytes, method: int = 99, flags: int | None = None) -> bytes:
    """The zip with `member`'s compression method (and flag bits) changed in both headers."""
    out = bytearray(data)
    for sig, method_at, flags_at, name_len_at, name_at in (
        (b"PK\x03\x04", 8, 6, 26, 30),
        (b"PK\x01\x02", 10, 8, 28, 46),
    ):
        start = 0
        while (pos := out.find(sig, start)) >= 0:
            start = pos + 4
            (length,) = struct.unpack_from("<H", out, pos + name_len_at)
            if bytes(out[pos + name_at : pos + name_at + length]) != member:
                continue
            if flags is None:
                struct.pack_into("<H", out, pos + method_at, method)
            else:
                (old,) = struct.unpack_from("<H", out, pos + flags_at)
                struct.pack_into("<H", out, pos + flags_at, old | flags)
    return bytes(out)


def _duplicate_member(folder: Path) -> list[Path]:
    path = write_xlsx(folder / "清单.xlsx", sheet_xml(header_row() + data_row(2)))
    with zipfile.ZipFile(path, "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate: it is the point
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml(header_row()))
    return [path]


def _bomb(folder: Path) -> list[Path]:
    return [
        write_xlsx(
            folder / "清单.xlsx",
            sheet_xml(header_row() + data_row(2)),
            extra=[("xl/media/zeros.bin", b"\0" * 3_000_000)],
        )
    ]


DTD = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
XLSX_ROW2 = "企业清单 第2行 [G列]"
SHARED_A2 = sheet_xml(header_row() + data_row(2, {1: '<c r="A2" t="s"><v>0</v></c>'}))
XLSX_CASES = [
    Case(
        "xlsx-row-number-huge",
        "xlsx",
        _xlsx(sheet_xml(header_row() + '<row r="999999999999"><c r="A1"/></row>')),
        "行号“999999999999”无效",
    ),
    Case(
        "xlsx-row-beyond-excel",
        "xlsx",
        _xlsx(sheet_xml(header_row() + data_row(1_048_577))),
        "超过上限（1048576 行）",
    ),
    Case(
        "xlsx-column-beyond-excel",
        "xlsx",
        _xlsx(sheet_xml(header_row() + '<row r="2"><c r="XFE2"><v>1</v></c></row>')),
        "列数超过上限",
    ),
    Case(
        "xlsx-rows-out-of-order",
        "xlsx",
        _xlsx(sheet_xml(header_row() + data_row(3) + data_row(2))),
        "未按顺序排列",
    ),
    Case(
        "xlsx-cell-in-wrong-row",
        "xlsx",
        _xlsx(sheet_xml(header_row() + '<row r="2"><c r="A5"><v>1</v></c></row>')),
        "不在它所在的第2行",
    ),
    Case("xlsx-bad-cell-ref", "xlsx", _xlsx_cell('<c r="??"><v>1</v></c>'), "单元格引用“??”无效"),
    Case("xlsx-number-nan", "xlsx", _xlsx_cell('<c r="G2"><v>nan</v></c>'), XLSX_ROW2),
    Case("xlsx-number-1e309", "xlsx", _xlsx_cell('<c r="G2"><v>1e309</v></c>'), "不是有限的数"),
    Case(
        "xlsx-number-garbage", "xlsx", _xlsx_cell('<c r="G2"><v>12abc</v></c>'), "数值“12abc”无效"
    ),
    Case("xlsx-revenue-negative", "xlsx", _xlsx_cell('<c r="G2"><v>-5</v></c>'), "金额不能为负数"),
    Case("xlsx-revenue-huge", "xlsx", _xlsx_cell('<c r="G2"><v>1e300</v></c>'), "超出范围"),
    Case(
        "xlsx-shared-string-out-of-range",
        "xlsx",
        _xlsx_cell('<c r="A2" t="s"><v>99</v></c>', 1),
        "共享字符串编号“99”不存在",
    ),
    Case("xlsx-bad-bool", "xlsx", _xlsx_cell('<c r="E2" t="b"><v>2</v></c>', 5), "逻辑值“2”无效"),
    Case(
        "xlsx-bad-iso-date",
        "xlsx",
        _xlsx_cell('<c r="G2" t="d"><v>notadate</v></c>'),
        "日期“notadate”无效",
    ),
    Case(
        "xlsx-date-serial-out-of-range",
        "xlsx",
        _xlsx_cell('<c r="G2" s="1"><v>1e12</v></c>'),
        "超出 Excel 可表示的范围",
    ),
    Case(
        "xlsx-malformed-sheet-xml",
        "xlsx",
        _xlsx(sheet_xml(header_row() + "<row r='2'><c r='A2'><v>1</c></row>")),
        "工作表 XML 已损坏",
    ),
    Case(
        "xlsx-entity-expansion", "xlsx", _xlsx(sheet_xml(header_row(), DTD)), "含有 DTD 或实体声明"
    ),
    Case(
        "xlsx-xxe-shared-strings",
        "xlsx",
        _xlsx(SHARED_A2, strings_xml(["x"]).replace("?>", "?>" + XXE, 1)),
        "含有 DTD 或实体声明",
    ),
    Case("xlsx-duplicate-member", "xlsx", _duplicate_member, "两个同名部件"),
    Case(
        "xlsx-not-a-zip",
        "xlsx",
        lambda f: [_write(f / "清单.xlsx", "这不是工作簿".encode())],
        "不是有效的 .xlsx 工作簿",
    ),
    Case(
        "xlsx-truncated",
        "xlsx",
        _patched(_xlsx(sheet_xml(header_row() + data_row(2))), lambda b: b[: len(b) // 2]),
        "不是有效的 .xlsx 工作簿",
    ),
    Case(
        "xlsx-missing-workbook",
        "xlsx",
        _xlsx(sheet_xml(header_row()), skip=("xl/workbook.xml",)),
        "缺少 workbook.xml",
    ),
    Case(
        "xlsx-missing-sheet-part",
        "xlsx",
        _xlsx(sheet_xml(header_row()), skip=("xl/worksheets/sheet1.xml",)),
        "缺少必需的部件",
    ),
    Case(
        "xlsx-inline-cell-too-long",
        "xlsx",
        _xlsx_cell(inline("A2", "长" * 40_000), 1),
        "单元格内容过长",
    ),
    Case(
        "xlsx-shared-string-too-long",
        "xlsx",
        _xlsx(SHARED_A2, strings_xml(["长" * 40_000])),
        "共享字符串过长",
    ),
    Case(
        "xlsx-name-control-char",
        "xlsx",
        _xlsx_cell(inline("A2", "江西_x0001_铜业"), 1),
        "含控制字符 U+0001",
    ),
    Case(
        "xlsx-name-zero-width",
        "xlsx",
        _xlsx_cell(inline("A2", "\u200b\ufeff"), 1),
        "只含不可见字符",
    ),
    Case(
        "xlsx-year-huge",
        "xlsx",
        _xlsx(
            sheet_xml(
                header_row(PROJ_HEADER) + data_row(2, {5: '<c r="E2"><v>1e15</v></c>'}, PROJ_ROW)
            ),
            title="项目清单",
        ),
        "项目清单 第2行 [年份]",
    ),
    Case(
        "xlsx-unknown-compression",
        "xlsx",
        _patched(
            _xlsx(sheet_xml(header_row())), lambda b: set_method(b, b"xl/worksheets/sheet1.xml")
        ),
        "无法解压",
    ),
    Case(
        "xlsx-encrypted-member",
        "xlsx",
        _patched(
            _xlsx(sheet_xml(header_row())),
            lambda b: set_method(b, b"xl/worksheets/sheet1.xml", flags=1),
        ),
        "无法解压",
    ),
    Case(
        "xlsx-compression-bomb",
        "xlsx",
        _bomb,
        "上限 200:1），拒绝读取，可调高设置 CHAINKG_MAX_ZIP_RATIO",
    ),
    Case(
        "xlsx-header-not-row-1",
        "xlsx",
        _xlsx(sheet_xml(header_row().replace('r="1"', 'r="3"').replace('1"', '3"'))),
        "表头（列名）应在第1行",
    ),
]


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- .zip of CSV (uploads only) --------------------------------------------------------------


def _csv_text(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _zip(
    members: list[tuple[str, bytes]], patch: Callable[[bytes], bytes] | None = None
) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / "清单.zip"
        folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members:
                zf.writestr(name, data)
        if patch is not None:
            path.write_bytes(patch(path.read_bytes()))
        return [path]

    return build


GOOD_CSV = _csv_text([ENT_HEADER, ENT_ROW])
ROW_CSV = _csv_text([ENT_ROW])
ZIP_CASES = [
    Case(
        "zip-same-named-members",
        "zip",
        _zip([("a/企业清单.csv", GOOD_CSV), ("b/企业清单.csv", GOOD_CSV)]),
        "同名的 CSV 文件",
    ),
    Case(
        "zip-names-differ-in-case",
        "zip",
        _zip([("a/Enterprises.csv", GOOD_CSV), ("b/enterprises.CSV", GOOD_CSV)]),
        "同名的 CSV 文件",
    ),
    Case(
        "zip-unknown-compression",
        "zip",
        _zip([("企业清单.csv", GOOD_CSV)], lambda b: set_method(b, "企业清单.csv".encode())),
        "不支持的压缩方式",
    ),
    Case(
        "zip-encrypted",
        "zip",
        _zip(
            [("企业清单.csv", GOOD_CSV)], lambda b: set_method(b, "企业清单.csv".encode(), flags=1)
        ),
        "已加密",
    ),
    Case(
        "zip-not-a-zip",
        "zip",
        lambda f: [_write(f / "清单.zip", b"PK\x03\x04 nope")],
        "不是有效的 .zip",
    ),
    Case("zip-no-csv", "zip", _zip([("readme.txt", b"hello")]), "中没有 CSV 文件"),
    Case(  # 65 MB of rows in a zip of a few hundred KB: over CHAINKG_MAX_ZIP_CSV_MB (64)
        "zip-unpacks-over-the-csv-limit",
        "zip",
        _zip([("企业清单.csv", GOOD_CSV + ROW_CSV * (65_000_000 // len(ROW_CSV)))]),
        "CHAINKG_MAX_ZIP_CSV_MB",
    ),
    Case(
        "zip-bad-row-inside",
        "zip",
        _zip([("企业清单.csv", _csv_text([ENT_HEADER, [*ENT_ROW[:6], "-5"]]))]),
        "金额不能为负数",
    ),
]


# -- documents ------------------------------------------------------------------------------

_DOCX_CT = _CT
_DOCX_RELS = _RELS.replace("xl/workbook.xml", "word/document.xml")


def _docx(document: str, skip_document: bool = False) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / "方案.docx"
        folder.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", _DOCX_CT)
            zf.writestr("_rels/.rels", _DOCX_RELS)
            if not skip_document:
                zf.writestr("word/document.xml", document)
        return [path]

    return build


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _doc_xml(body: str, head: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{head}<w:document {_W}><w:body>{body}</w:body></w:document>'


DOC_CASES = [
    Case(
        "docx-entity-expansion",
        "docx",
        _docx(_doc_xml("<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", DTD)),
        "方案.docx",
    ),
    Case(
        "docx-xxe",
        "docx",
        _docx(_doc_xml("<w:p><w:r><w:t>&e;</w:t></w:r></w:p>", XXE)),
        "方案.docx",
    ),
    Case("docx-not-a-zip", "docx", lambda f: [_write(f / "方案.docx", b"not a zip")], "方案.docx"),
    Case("docx-no-document-part", "docx", _docx("", skip_document=True), "方案.docx"),
    Case(
        "docx-malformed-xml",
        "docx",
        _docx(_doc_xml("<w:p><w:r><w:t>未闭合</w:r></w:p>")),
        "方案.docx",
    ),
    Case(
        "txt-binary",
        "docx",
        lambda f: [_write(f / "通知.txt", b"\x00\x01\x02binary")],
        "不是文本文件",
    ),
    Case("txt-empty", "docx", lambda f: [_write(f / "通知.txt", b"   \n")], "没有可读的文字"),
    Case(
        "txt-control-characters-only",
        "docx",
        lambda f: [_write(f / "通知.txt", b"\x01\x02\x1b\x7f\x0c\n")],
        "没有可读的文字",
    ),
]


# -- the file system (command line only) -----------------------------------------------------


def _dangling(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "企业清单.csv"
    link.symlink_to(folder / "不存在.csv")
    return [link]


def _loop(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a, b = folder / "a.csv", folder / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    return [a]


def _folder_named_csv(folder: Path) -> list[Path]:
    inner = folder / "清单" / "企业清单.csv"
    inner.mkdir(parents=True)
    return [folder / "清单"]


def _fifo(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "企业清单.csv"
    os.mkfifo(path)
    return [path]


def _loop_in_folder(folder: Path) -> list[Path]:
    target = folder / "清单"
    target.mkdir(parents=True)
    (target / "a.csv").symlink_to(target / "b.csv")
    (target / "b.csv").symlink_to(target / "a.csv")
    return [target]


FS_CASES = [
    Case("fs-dangling-symlink", "fs", _dangling, "指向不存在文件的符号链接", http=False),
    Case("fs-symlink-loop", "fs", _loop, "符号链接循环", http=False),
    Case("fs-symlink-loop-in-folder", "fs", _loop_in_folder, "没有 .csv", http=False),
    Case("fs-folder-named-csv", "fs", _folder_named_csv, "没有 .csv", http=False),
    Case("fs-fifo", "fs", _fifo, "不是普通文件", http=False),
    Case("fs-missing-file", "fs", lambda f: [f / "没有这个文件.csv"], "找不到文件", http=False),
    Case(
        "fs-empty-folder",
        "fs",
        lambda f: [_mkdir(f / "空文件夹")],
        "没有 .csv",
        http=False,
    ),
    Case(
        "fs-unknown-suffix",
        "fs",
        lambda f: [_write(f / "清单.pdf", b"%PDF-1.4")],
        "不支持的文件类型",
        http=False,
    ),
]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


CASES = [*CSV_CASES, *XLSX_CASES, *ZIP_CASES, *DOC_CASES, *FS_CASES]
