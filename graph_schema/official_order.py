"""Official orders, kept as data: Jiangxi's administrative division codes (GB/T 2260; the
11 市 from 南昌, each followed by its 区, 县 and 县级市) and the province's 2+6+N order of
industries and chains. Lists of places and chains sort by these, not by code point.
"""

from __future__ import annotations

from graph_schema.definitions import INDUSTRIES

# 市 → (code, {county-level division → code})
JIANGXI_DIVISIONS: dict[str, tuple[int, dict[str, int]]] = {
    "南昌市": (
        360100,
        {
            "东湖区": 360102, "西湖区": 360103, "青云谱区": 360104, "青山湖区": 360111,
            "新建区": 360112, "红谷滩区": 360113, "南昌县": 360121, "安义县": 360123,
            "进贤县": 360124,
        },
    ),
    "景德镇市": (
        360200,
        {"昌江区": 360202, "珠山区": 360203, "浮梁县": 360222, "乐平市": 360281},
    ),
    "萍乡市": (
        360300,
        {
            "安源区": 360302, "湘东区": 360313, "莲花县": 360321, "上栗县": 360322,
            "芦溪县": 360323,
        },
    ),
    "九江市": (
        360400,
        {
            "濂溪区": 360402, "浔阳区": 360403, "柴桑区": 360404, "武宁县": 360423,
            "修水县": 360424, "永修县": 360425, "德安县": 360426, "都昌县": 360428,
            "湖口县": 360429, "彭泽县": 360430, "瑞昌市": 360481, "共青城市": 360482,
            "庐山市": 360483,
        },
    ),
    "新余市": (360500, {"渝水区": 360502, "分宜县": 360521}),
    "鹰潭市": (360600, {"月湖区": 360602, "余江区": 360603, "贵溪市": 360681}),
    "赣州市": (
        360700,
        {
            "章贡区": 360702, "南康区": 360703, "赣县区": 360704, "信丰县": 360722,
            "大余县": 360723, "上犹县": 360724, "崇义县": 360725, "安远县": 360726,
            "定南县": 360728, "全南县": 360729, "宁都县": 360730, "于都县": 360731,
            "兴国县": 360732, "会昌县": 360733, "寻乌县": 360734, "石城县": 360735,
            "瑞金市": 360781, "龙南市": 360783,
        },
    ),
    "吉安市": (
        360800,
        {
            "吉州区": 360802, "青原区": 360803, "吉安县": 360821, "吉水县": 360822,
            "峡江县": 360823, "新干县": 360824, "永丰县": 360825, "泰和县": 360826,
            "遂川县": 360827, "万安县": 360828, "安福县": 360829, "永新县": 360830,
            "井冈山市": 360881,
        },
    ),
    "宜春市": (
        360900,
        {
            "袁州区": 360902, "奉新县": 360921, "万载县": 360922, "上高县": 360923,
            "宜丰县": 360924, "靖安县": 360925, "铜鼓县": 360926, "丰城市": 360981,
            "樟树市": 360982, "高安市": 360983,
        },
    ),
    "抚州市": (
        361000,
        {
            "临川区": 361002, "东乡区": 361003, "南城县": 361021, "黎川县": 361022,
            "南丰县": 361023, "崇仁县": 361024, "乐安县": 361025, "宜黄县": 361026,
            "金溪县": 361027, "资溪县": 361028, "广昌县": 361030,
        },
    ),
    "上饶市": (
        361100,
        {
            "信州区": 361102, "广丰区": 361103, "广信区": 361104, "玉山县": 361123,
            "铅山县": 361124, "横峰县": 361125, "弋阳县": 361126, "余干县": 361127,
            "鄱阳县": 361128, "万年县": 361129, "婺源县": 361130, "德兴市": 361181,
        },
    ),
}  # fmt: skip

# The chains of each 2+6+N industry in the province's order (Jiangxi's 有色金属: 铜, 钨, 稀土 …).
CHAINS_IN_ORDER: tuple[str, ...] = (
    "铜", "钨", "稀土", "锂", "钽铌", "铝", "金", "银",
    "电子信息", "虚拟现实", "移动物联网", "半导体照明",
    "航空", "中医药", "锂电新能源", "光伏新能源",
)  # fmt: skip

_UNKNOWN = 999_999


def division_code(path: str) -> int | None:
    """The code of a place written as 市 or 市/县 (or a 市's or 县's name alone).

    >>> division_code("南昌市"), division_code("宜春市/袁州区"), division_code("上饶市")
    (360100, 360902, 361100)
    >>> division_code("广东省深圳市") is None
    True
    """
    parts = [p for p in path.replace("江西省/", "").split("/") if p]
    if not parts:
        return None
    if parts[0] in JIANGXI_DIVISIONS:
        code, counties = JIANGXI_DIVISIONS[parts[0]]
        return counties.get(parts[1]) if len(parts) > 1 else code
    if len(parts) == 1:
        for _, counties in JIANGXI_DIVISIONS.values():
            if parts[0] in counties:
                return counties[parts[0]]
    return None


def place_order(path: str) -> tuple[int, str]:
    """Sort key: places with a known code in code order (南昌 first), then the rest by name.

    >>> sorted(["上饶市", "九江市", "南昌市", "宜春市/袁州区", "宜春市"], key=place_order)
    ['南昌市', '九江市', '宜春市', '宜春市/袁州区', '上饶市']
    """
    code = division_code(path)
    return (code if code is not None else _UNKNOWN, path)


def chain_order(name: str, industry: str | None = None) -> tuple[int, int, str]:
    """Sort key: chains by their 2+6+N industry, then the province's order within it.

    >>> sorted(["锂电新能源", "稀土", "航空", "铜", "电子信息"], key=chain_order)
    ['铜', '稀土', '电子信息', '航空', '锂电新能源']
    """
    industries = list(INDUSTRIES)
    if name in INDUSTRIES:
        group = industries.index(name)
    elif industry in INDUSTRIES:
        group = industries.index(str(industry))
    else:
        group = next(
            (i for i, (_, (_, aliases)) in enumerate(INDUSTRIES.items()) if name in aliases),
            _CHAIN_GROUPS.get(name, len(industries)),
        )
    within = CHAINS_IN_ORDER.index(name) if name in CHAINS_IN_ORDER else len(CHAINS_IN_ORDER)
    return (group, within, name)


_CHAIN_GROUPS = {"铜": 0, "钨": 0, "稀土": 0, "锂": 0, "钽铌": 0, "铝": 0, "金": 0, "银": 0}
