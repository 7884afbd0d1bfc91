"""The official orders: 行政区划 codes for places, the 2+6+N industries for chains."""

from __future__ import annotations

from graph_schema.definitions import INDUSTRIES
from graph_schema.official_order import (
    CHAINS_IN_ORDER,
    JIANGXI_DIVISIONS,
    chain_order,
    division_code,
    place_order,
)


def test_division_codes() -> None:
    assert division_code("南昌市") == 360100
    assert division_code("江西省/宜春市/袁州区") == 360902
    assert division_code("袁州区") == 360902  # a 县 by its name alone
    assert division_code("广东省深圳市") is None
    assert division_code("") is None


def test_the_eleven_cities_in_code_order() -> None:
    assert len(JIANGXI_DIVISIONS) == 11
    codes = [code for code, _ in JIANGXI_DIVISIONS.values()]
    assert sorted(codes) == codes
    assert next(iter(JIANGXI_DIVISIONS)) == "南昌市"


def test_places_sort_by_code_then_unknown_by_name() -> None:
    places = ["外省某市", "上饶市", "宜春市/袁州区", "南昌市", "宜春市", "另一个外地"]
    assert sorted(places, key=place_order) == [
        "南昌市",
        "宜春市",
        "宜春市/袁州区",
        "上饶市",
        "另一个外地",
        "外省某市",
    ]


def test_chains_sort_by_industry_group_then_official_order() -> None:
    names = ["锂电新能源", "稀土", "航空", "铜", "电子信息", "自编产业链"]
    ordered = sorted(names, key=chain_order)
    assert ordered[:5] == ["铜", "稀土", "电子信息", "航空", "锂电新能源"]
    assert ordered[-1] == "自编产业链"  # unknown chains last


def test_a_chain_takes_its_industrys_place() -> None:
    first_industry = next(iter(INDUSTRIES))
    assert chain_order("某链", first_industry)[0] == 0
    assert chain_order("某链")[0] == len(INDUSTRIES)


def test_the_chain_order_names_each_chain_once() -> None:
    assert len(set(CHAINS_IN_ORDER)) == len(CHAINS_IN_ORDER)
