from __future__ import annotations

import datetime as dt

import pytest

from loaders.cells import (
    CellError,
    parse_bool,
    parse_code,
    parse_date,
    parse_enum,
    parse_list,
    parse_money,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("正极材料、负极材料", ["正极材料", "负极材料"]),
        ("A,B，C;D；E/F", ["A", "B", "C", "D", "E", "F"]),
        ("隔膜\n电解液", ["隔膜", "电解液"]),
        ("  ", []),
        ("Ａ、Ａ", ["A"]),
    ],
)
def test_lists_split_on_every_separator(cell: str, expected: list[str]) -> None:
    assert parse_list(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("true", True),
        ("FALSE", False),
        (1, True),
        (0, False),
        ("１", True),
        (True, True),
    ],
)
def test_yes_no_forms(cell: object, expected: bool) -> None:
    assert parse_bool(cell) is expected  # type: ignore[arg-type]


def test_bad_yes_no_says_what_is_allowed() -> None:
    with pytest.raises(CellError, match="是/否"):
        parse_bool("也许")


@pytest.mark.parametrize(
    ("cell", "factor", "expected"),
    [
        (12.5, 1.0, 12.5),
        ("12.5亿元", 1.0, 12.5),
        ("3500万元", 1.0, 0.35),
        ("3500万", 1.0, 0.35),
        (3500, 1e-4, 0.35),
        ("3500", 1e-4, 0.35),
        ("12亿元", 1e-4, 12.0),  # a unit in the cell wins over the header's
        ("1,234.5", 1.0, 1234.5),
        ("５００", 1.0, 500.0),
    ],
)
def test_money_in_yi_yuan(cell: object, factor: float, expected: float) -> None:
    assert parse_money(cell, factor) == pytest.approx(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("cell", ["很多", "12美元", "-5"])
def test_bad_money(cell: str) -> None:
    with pytest.raises(CellError):
        parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2022-03-01", "2022-03-01"),
        ("2022/3/1", "2022-03-01"),
        ("2022年3月1日", "2022-03-01"),
        ("2022年3月", "2022-03"),
        (dt.datetime(2022, 3, 1, 0, 0), "2022-03-01"),
    ],
)
def test_date_forms(cell: object, expected: str) -> None:
    assert parse_date(cell) == expected  # type: ignore[arg-type]


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(CellError, match="日期"):
        parse_date("2022-02-30")


def test_enum_suggests_the_closest_choice() -> None:
    with pytest.raises(CellError, match="是否为“中游”"):
        parse_enum("中游段", ("上游", "中游", "下游"), {})


def test_credit_code_check_digit() -> None:
    assert parse_code("91360500ma35x0001g") == "91360500MA35X0001G"
    with pytest.raises(CellError, match="校验位"):
        parse_code("91360500MA35X0001H")
    with pytest.raises(CellError, match="18位"):
        parse_code("9136")
    with pytest.raises(CellError, match="非法字符"):
        parse_code("91360500MA35X0001I")
