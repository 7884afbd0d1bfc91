"""Reading places: administrative region paths and development-zone (park) names.

Local places hang under the configured province (江西省 by default); outside ones keep the
province they name, so affinity to 粤港澳 / 长三角 / 京津冀 can be read off the graph later.
"""

from __future__ import annotations

import re

from graph_schema.identity import clean_text

MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_SPLIT = re.compile(r"/+")
_PROVINCE = re.compile(r"^(.{2,}?(?:省|自治区|特别行政区))")
_CITY = re.compile(r"^(.{2,}?(?:市|自治州|地区|盟))")


def split_region(text: str) -> list[str]:
    """The administrative levels a region cell names, largest first.

    Parts are separated by '/' only; a space belongs to the name (`United States`), though
    the levels a part runs together are still told apart (`江西省 赣州市章贡区`).

    >>> split_region("宜春市/袁州区"), split_region("广东省深圳市"), split_region("江西省 赣州市章贡区")
    (['宜春市', '袁州区'], ['广东省', '深圳市'], ['江西省', '赣州市', '章贡区'])
    >>> split_region("上海市浦东新区"), split_region("宜春市樟树市")
    (['上海市', '浦东新区'], ['宜春市', '樟树市'])
    >>> split_region("United States"), split_region("Various countries / Asia")
    (['United States'], ['Various countries', 'Asia'])
    """
    levels: list[str] = []
    for part in _SPLIT.split(clean_text(text)):
        rest = part.strip()
        while rest:
            head = _head(rest, first=not levels).strip()
            levels.append(head)
            rest = rest[len(head) :].strip()
    return levels


def _head(rest: str, first: bool) -> str:
    if first:
        muni = next((m for m in MUNICIPALITIES if rest.startswith(m)), None)
        if muni:
            return muni
        match = _PROVINCE.match(rest)
        if match:
            return match.group(1)
    match = _CITY.match(rest)
    if match and len(rest) > len(match.group(1)) + 1:
        return match.group(1)
    return rest


def is_province(name: str) -> bool:
    return name in MUNICIPALITIES or bool(_PROVINCE.fullmatch(name))


def region_levels(names: list[str]) -> list[str]:
    """省/市/县 for each name of a region path (a path may start below the province).

    >>> region_levels(["广东省", "深圳市"]), region_levels(["宜春市", "袁州区"])
    (['省', '市'], ['市', '县'])
    >>> region_levels(["上海市", "浦东新区"])
    ['省', '县']
    """
    levels: list[str] = []
    for i, name in enumerate(names):
        if i == 0 and is_province(name):
            levels.append("省")
        elif not levels or (levels[-1] == "省" and name not in MUNICIPALITIES):
            levels.append("县" if levels and names[0] in MUNICIPALITIES else "市")
        else:
            levels.append("县")
    return levels
