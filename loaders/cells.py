"""Cell parsers: what a clerk may type, turned into typed values or a Chinese complaint.

Each parser returns the value or raises `CellError` with a message naming what was wrong.
"""

from __future__ import annotations

import datetime as dt
import difflib
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
        return round(float(value) * header_factor, 6)
    text = as_text(value).replace(",", "").replace(" ", "")
    match = _MONEY.match(text)
    if not match:
        raise CellError(f"无法识别的金额“{as_text(value)}”（应为数字，可带单位 亿元/万元）")
    number, unit = match.groups()
    factor = _UNIT_FACTORS[unit] if unit else header_factor
    amount = round(float(number) * factor, 6)
    if amount < 0:
        raise CellError(f"金额不能为负数：“{as_text(value)}”")
    return amount


def parse_int(value: CellValue) -> int:
    """A whole number such as a year; '2022年' is accepted.

    >>> parse_int("2022年"), parse_int(2023.0)
    (2022, 2023)
    """
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _YEAR.match(as_text(value)) or re.match(r"^(\d+)$", as_text(value))
    if not match:
        raise CellError(f"“{as_text(value)}”不是整数")
    return int(match.group(1))


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
