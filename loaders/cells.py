"""Cell parsers: what a clerk may type, turned into typed values or a Chinese complaint.

Each parser returns the value or raises `CellError` with a message naming what was wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Sequence

from graph_schema.identity import clean_text, credit_code_problem, written_form

LIST_SEPARATORS = re.compile(r"[、,，;；/\n\r]+")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "f"}
_MONEY = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(亿元|亿|万元|万|元)?$")
_UNIT_FACTORS = {"亿元": 1.0, "亿": 1.0, "万元": 1e-4, "万": 1e-4, "元": 1e-8}
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月$"),
)
_YEAR = re.compile(r"^(\d{4})(?:年)?$")
MAX_AMOUNT = 1e9  # 亿元: a hundred thousand times the largest economy; more is a typing error
MAX_INT = 2**53  # integers beyond this lose precision in JSON and overflow SQLite


# C0 controls other than tab and line breaks, DEL, and the C1 controls: never part of a name.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters that show nothing: zero-width spaces and joiners, direction marks, BOM, fillers.
INVISIBLE_CHARS = re.compile(
    r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)


def text_problem(text: str) -> str | None:
    """Why a text cell cannot be stored: a control character, or nothing visible in it.

    >>> text_problem("江西\x01铜业"), text_problem("\u200b\u200b"), text_problem("江铜")
    ('含控制字符 U+0001（请删除）', '只含不可见字符', None)
    """
    bad = CONTROL_CHARS.search(text)
    if bad:
        return f"含控制字符 U+{ord(bad.group()):04X}（请删除）"
    if text and not INVISIBLE_CHARS.sub("", text):
        return "只含不可见字符"
    return None


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the clerk."""


CellValue = str | int | float | bool | dt.datetime | dt.date | None


def as_text(value: CellValue) -> str:
    """The cell as clean text; whole numbers from Excel lose their '.0'.

    >>> as_text(2022.0), as_text("  宜春市／袁州区 "), as_text(None)
    ('2022', '宜春市/袁州区', '')
    """
    if type(value) is str:
        return clean_text(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return clean_text(str(value))


def as_written(value: CellValue) -> str:
    """A name cell as the clerk wrote it (full-width brackets kept), trimmed.

    >>> as_written(" 孚能科技（赣州）有限公司 "), as_written(None)
    ('孚能科技（赣州）有限公司', '')
    """
    return written_form(value) if type(value) is str else as_text(value)


def parse_list(value: CellValue) -> list[str]:
    """Items separated by 、 , ， ; ； / or line breaks, trimmed, without repeats.

    >>> parse_list("正极材料、负极材料；隔膜 / 电解液,正极材料")
    ['正极材料', '负极材料', '隔膜', '电解液']
    """
    text = as_text(value) if not isinstance(value, str) else value
    items: list[str] = []
    for part in LIST_SEPARATORS.split(text):
        item = clean_text(part)
        if item and item not in items:
            items.append(item)
    return items


def parse_bool(value: CellValue) -> bool:
    """是/否, Y/N, true/false, 1/0 (any case, either width).

    >>> parse_bool("是"), parse_bool("N"), parse_bool(1), parse_bool("ＴＲＵＥ")
    (True, False, True, True)
    """
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{as_text(value)}”不是有效的是/否值（可填 是/否、Y/N、true/false、1/0）")


def parse_money(value: CellValue, header_factor: float = 1.0) -> float:
    """An amount in 亿元; the header's unit applies to bare numbers, a unit in the cell wins.

    >>> parse_money("3500万元"), parse_money("12.5亿元"), parse_money(3500, 1e-4)
    (0.35, 12.5, 0.35)
    >>> parse_money("1,234.5")
    1234.5
    """
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是金额")
    if isinstance(value, int | float):
        number, factor = float(value), header_factor
    else:
        text = as_text(value).replace(",", "").replace(" ", "")
        match = _MONEY.match(text)
        if not match:
            raise CellError(
                f"无法识别的金额“{as_text(value)[:40]}”（应为数字，可带单位 亿元/万元）"
            )
        digits, unit = match.groups()
        number = float(digits)
        factor = _UNIT_FACTORS[unit] if unit else header_factor
    amount = round(number * factor, 6)
    if not math.isfinite(amount) or abs(amount) > MAX_AMOUNT:
        raise CellError(f"金额“{as_text(value)[:40]}”超出范围（应不超过 {MAX_AMOUNT:.0e} 亿元）")
    if amount < 0:
        raise CellError(f"金额不能为负数：“{as_text(value)[:40]}”")
    return amount + 0.0  # -0.0 becomes 0.0


def parse_int(value: CellValue) -> int:
    """A whole number such as a year; '2022年' is accepted.

    >>> parse_int("2022年"), parse_int(2023.0)
    (2022, 2023)
    """
    number: int | None = None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = as_text(value)
        match = _YEAR.match(text) or re.match(r"^(\d{1,20})$", text)
        if match:
            number = int(match.group(1))
    if number is None:
        raise CellError(f"“{as_text(value)[:40]}”不是整数")
    if abs(number) > MAX_INT:
        raise CellError(f"整数“{number}”超出范围")
    return number


def parse_year(value: CellValue, low: int = 1900, high: int = 2100) -> int:
    """A year between `low` and `high`.

    >>> parse_year("2022年")
    2022
    """
    year = parse_int(value)
    if not low <= year <= high:
        raise CellError(f"年份“{year}”不合理（应在 {low}–{high} 之间）")
    return year


def parse_date(value: CellValue) -> str:
    """ISO date (or year-month) from the forms clerks type.

    >>> parse_date("2022/3/1"), parse_date("2022年3月1日"), parse_date("2022年3月")
    ('2022-03-01', '2022-03-01', '2022-03')
    """
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    text = as_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(g) for g in match.groups()]
            try:
                if len(parts) == 3:
                    return dt.date(parts[0], parts[1], parts[2]).isoformat()
                return dt.date(parts[0], parts[1], 1).isoformat()[:7]
            except ValueError:
                break
    raise CellError(f"无法识别的日期“{text}”（可填 2022-03-01、2022/3/1、2022年3月1日、2022年3月）")


def parse_enum(value: CellValue, choices: Sequence[str], aliases: dict[str, str]) -> str:
    """One of `choices`, or an alias of one; anything else is an error with a suggestion.

    >>> parse_enum("洽谈", ("在谈",), {"洽谈": "在谈"})
    '在谈'
    """
    text = as_text(value)
    if text in choices:
        return text
    if text in aliases:
        return aliases[text]
    hint = did_you_mean(text, [*choices, *aliases])
    raise CellError(f"“{text}”不是有效值（可选：{'/'.join(choices)}）{hint}")


def parse_code(value: CellValue) -> str:
    """A unified social credit code, upper-cased and checked (GB 32100-2015)."""
    code = as_text(value).upper().replace(" ", "")
    problem = credit_code_problem(code)
    if problem:
        raise CellError(f"统一社会信用代码“{code}”无效：{problem}")
    return code


def did_you_mean(text: str, candidates: Sequence[str]) -> str:
    """'；是否为“X”？' for the closest candidate, or '' when none is close.

    >>> did_you_mean("正级材料", ["正极材料", "负极材料", "隔膜"])
    '；是否为“正极材料”？'
    """
    close = difflib.get_close_matches(text, list(candidates), n=1, cutoff=0.6)
    return f"；是否为“{close[0]}”？" if close else ""
