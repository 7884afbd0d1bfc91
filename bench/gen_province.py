#!/usr/bin/env python
"""Generate a province-scale 四图五清单 in the TEMPLATE format, for load benchmarks.

    python bench/gen_province.py OUT_DIR [--scale 1.0] [--seed 1] [--xlsx FILE] [--outside N]

At scale 1 (the size the load targets are set for): 20 chains × 100 links, 20 000 local enterprises,
200 000 outside enterprises, 50 000 projects, a few hundred clusters, policies and problems, and a
区域分布图 row per park. OUT_DIR gets one UTF-8 (with BOM) CSV per sheet, named and headed from
`loaders.sheets`; `--xlsx FILE` writes the same data as one workbook (openpyxl write-only mode).
`--outside N` sets the outside pool alone (e.g. 5 000 000 for a national candidate pool) and
keeps every other count of the scale.

Everything is synthetic except the place names. Output is a pure function of (scale, seed,
chains, links): enterprise names and credit codes are computed from an enterprise's number, so
rows can refer to one another without holding the rows in memory; rows are written as they are
made. Names are unique also after identity normalisation (graph_schema.identity.normalise_name),
credit codes are distinct and carry a valid check character.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

from graph_schema.identity import credit_code_check_char
from loaders.sheets import (
    APPLICATIONS,
    CHAIN_MAP,
    CLUSTERS,
    ENTERPRISES,
    PARK_LEVELS,
    POLICIES,
    PROBLEMS,
    PROJECTS,
    REGIONS,
    SHEETS,
    SOURCE_COLUMN,
    TECHNOLOGIES,
    YES_NO,
    Sheet,
)

Value = str | int | float | list[str] | None
Row = dict[str, Value]

YES, NO = YES_NO
SOURCE = "基准测试数据（合成）"

# --- places -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    short: str  # the prefix of its enterprises' names
    region: str  # as written in 所在地区 (without the county)
    division: str  # administrative division code, positions 3-8 of a credit code
    counties: tuple[str, ...] = ()


LOCAL_CITIES = (
    City("南昌", "南昌市", "360100", ("东湖区", "西湖区", "青山湖区", "南昌县", "进贤县")),
    City("景德镇", "景德镇市", "360200", ("珠山区", "昌江区", "乐平市", "浮梁县")),
    City("萍乡", "萍乡市", "360300", ("安源区", "湘东区", "芦溪县", "上栗县")),
    City("九江", "九江市", "360400", ("浔阳区", "濂溪区", "瑞昌市", "共青城市", "湖口县")),
    City("新余", "新余市", "360500", ("渝水区", "分宜县")),
    City("鹰潭", "鹰潭市", "360600", ("月湖区", "余江区", "贵溪市")),
    City("赣州", "赣州市", "360700", ("章贡区", "南康区", "赣县区", "信丰县", "龙南市")),
    City("吉安", "吉安市", "360800", ("吉州区", "青原区", "井冈山市", "泰和县", "吉安县")),
    City("宜春", "宜春市", "360900", ("袁州区", "樟树市", "丰城市", "高安市", "奉新县", "宜丰县")),
    City("抚州", "抚州市", "361000", ("临川区", "东乡区", "南城县", "崇仁县")),
    City("上饶", "上饶市", "361100", ("信州区", "广丰区", "弋阳县", "鄱阳县", "玉山县")),
)
OUTSIDE_CITIES = (
    City("深圳", "广东省深圳市", "440300"),
    City("广州", "广东省广州市", "440100"),
    City("东莞", "广东省东莞市", "441900"),
    City("佛山", "广东省佛山市", "440600"),
    City("惠州", "广东省惠州市", "441300"),
    City("珠海", "广东省珠海市", "440400"),
    City("上海", "上海市", "310115"),
    City("苏州", "江苏省苏州市", "320500"),
    City("无锡", "江苏省无锡市", "320200"),
    City("常州", "江苏省常州市", "320400"),
    City("南京", "江苏省南京市", "320100"),
    City("杭州", "浙江省杭州市", "330100"),
    City("宁波", "浙江省宁波市", "330200"),
    City("绍兴", "浙江省绍兴市", "330600"),
    City("嘉兴", "浙江省嘉兴市", "330400"),
    City("温州", "浙江省温州市", "330300"),
    City("合肥", "安徽省合肥市", "340100"),
    City("北京", "北京市", "110108"),
    City("天津", "天津市", "120116"),
    City("成都", "四川省成都市", "510100"),
    City("重庆", "重庆市", "500112"),
    City("武汉", "湖北省武汉市", "420100"),
    City("长沙", "湖南省长沙市", "430100"),
    City("西安", "陕西省西安市", "610100"),
    City("厦门", "福建省厦门市", "350200"),
    City("福州", "福建省福州市", "350100"),
    City("宁德", "福建省宁德市", "350900"),
    City("青岛", "山东省青岛市", "370200"),
    City("济南", "山东省济南市", "370100"),
    City("郑州", "河南省郑州市", "410100"),
)


@dataclass(frozen=True)
class Park:
    name: str
    city: int  # index into LOCAL_CITIES
    county: str
    level: str


def _parks() -> tuple[Park, ...]:
    national_etdz, national_hitech, new_area, bonded, provincial, provincial_hitech = PARK_LEVELS
    by_city = {c.short: i for i, c in enumerate(LOCAL_CITIES)}
    rows = (
        ("南昌经济技术开发区", "南昌", "青山湖区", national_etdz),
        ("南昌高新技术产业开发区", "南昌", "青山湖区", national_hitech),
        ("南昌小蓝经济技术开发区", "南昌", "南昌县", national_etdz),
        ("赣江新区", "南昌", "青山湖区", new_area),
        ("南昌综合保税区", "南昌", "青山湖区", bonded),
        ("进贤经济开发区", "南昌", "进贤县", provincial),
        ("景德镇高新技术产业开发区", "景德镇", "昌江区", national_hitech),
        ("乐平工业园区", "景德镇", "乐平市", provincial),
        ("萍乡经济技术开发区", "萍乡", "安源区", national_etdz),
        ("芦溪工业园区", "萍乡", "芦溪县", provincial),
        ("九江经济技术开发区", "九江", "濂溪区", national_etdz),
        ("共青城高新技术产业开发区", "九江", "共青城市", national_hitech),
        ("湖口高新技术产业园区", "九江", "湖口县", provincial_hitech),
        ("新余高新技术产业开发区", "新余", "渝水区", national_hitech),
        ("分宜工业园区", "新余", "分宜县", provincial),
        ("鹰潭高新技术产业开发区", "鹰潭", "月湖区", national_hitech),
        ("贵溪经济开发区", "鹰潭", "贵溪市", provincial),
        ("赣州经济技术开发区", "赣州", "章贡区", national_etdz),
        ("赣州高新技术产业开发区", "赣州", "赣县区", national_hitech),
        ("龙南经济技术开发区", "赣州", "龙南市", national_etdz),
        ("信丰高新技术产业园区", "赣州", "信丰县", provincial_hitech),
        ("吉安高新技术产业开发区", "吉安", "吉州区", national_hitech),
        ("井冈山经济技术开发区", "吉安", "井冈山市", national_etdz),
        ("宜春经济技术开发区", "宜春", "袁州区", national_etdz),
        ("丰城高新技术产业园区", "宜春", "丰城市", provincial_hitech),
        ("樟树工业园区", "宜春", "樟树市", provincial),
        ("抚州高新技术产业开发区", "抚州", "临川区", national_hitech),
        ("东乡经济开发区", "抚州", "东乡区", provincial),
        ("上饶经济技术开发区", "上饶", "信州区", national_etdz),
        ("上饶高新技术产业开发区", "上饶", "广丰区", provincial_hitech),
    )
    return tuple(Park(name, by_city[city], county, level) for name, city, county, level in rows)


PARKS = _parks()
PARKS_BY_CITY: dict[int, tuple[Park, ...]] = {
    i: tuple(p for p in PARKS if p.city == i) for i in range(len(LOCAL_CITIES))
}

# --- vocabulary ---------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CHAINS = (
    ("铜基新材料", "有色金属"),
    ("钨及硬质合金", "有色金属"),
    ("稀土功能材料", "有色金属"),
    ("新型显示", "电子信息"),
    ("电子元器件", "电子信息"),
    ("智能终端", "电子信息"),
    ("工程机械", "装备制造"),
    ("输变电装备", "装备制造"),
    ("化工新材料", "石化"),
    ("绿色建材", "建材"),
    ("纺织服装", "纺织"),
    ("绿色食品", "食品"),
    ("新能源汽车", "汽车"),
    ("航空制造", "航空"),
    ("现代中药", "中医药"),
    ("移动物联网", "移动物联网"),
    ("虚拟现实", "虚拟现实(VR)"),
    ("半导体照明", "半导体照明(LED)"),
    ("锂电新能源", "锂电新能源"),
    ("光伏新能源", "光伏新能源"),
)
LINK_QUALIFIERS = _words(
    "高纯 高端 精密 智能 新型 特种 复合 功能 绿色 轻量化 高性能 微型 大尺寸 柔性 耐高温 超薄 "
    "纳米 高强 低碳 数字化 模块化 集成 高效 环保 医用 车用 工业 民用 航空 储能 光学 电子级 "
    "再生 超细 宽禁带 大功率 高压 长寿命 快充 高导"
)
LINK_NOUNS = _words(
    "材料 前驱体 电芯 隔膜 电解液 芯片 模组 封装 基板 靶材 线缆 铜箔 铝箔 磁材 合金 粉体 涂料 "
    "纤维 面料 整机 传感器 控制器 电机 减速器 轴承 齿轮 阀门 泵组 管材 型材 板材 玻璃 陶瓷 树脂 "
    "助剂 催化剂 溶剂 药材 饮片 制剂 原料药 试剂 光源 显示屏 背板 透镜 光纤 天线 射频器件 连接器 "
    "结构件 发动机 起落架 构件 航电系统 检测设备 回收利用 电池包 逆变器 硅片"
)
BRAND_CHARS = (
    "恒达华鑫盛泰瑞晶锦宏佳利源昌隆丰祥安康信诚德金银天宇博远创嘉汇宝新豪凯鸿振兴旺荣通明辉光峰"
    "航腾越立正和美飞龙江海山川星云捷顺益润铭卓睿智联合力奥维亿万景骏彩森林"
)
# Two characters each, none ending like a company suffix (公司, 集团, 厂), so that identity
# normalisation strips exactly the tail and nothing of the name proper.
NAME_WORDS = _words(
    "锂业 铜业 钨业 稀土 光电 电子 电气 电器 机械 精工 智造 能源 环保 化工 医药 药业 食品 纺织 "
    "服饰 建材 陶瓷 汽车 航空 照明 光伏 储能 微电 信息 数码 通信 装备 动力 磁材 合金 塑胶 包装 "
    "物联 显示 芯业 精密"
)
NAME_TAILS = (
    "有限公司",
    "有限公司",
    "股份有限公司",
    "科技有限公司",
    "科技股份有限公司",
    "集团有限公司",
    "有限责任公司",
    "新材料有限公司",
    "实业有限公司",
)
PRODUCT_WORDS = LINK_NOUNS
LOCAL_TAGS = (
    ("高新技术企业", 40),
    ("专精特新", 25),
    ("专精特新小巨人", 8),
    ("上市", 6),
    ("瞪羚", 5),
    ("龙头", 5),
    ("单项冠军", 2),
    ("链主", 2),
    ("领航企业", 2),
    ("民营500强", 1),
    ("独角兽", 1),
)
OUTSIDE_TAGS = (
    ("高新技术企业", 30),
    ("上市", 20),
    ("专精特新小巨人", 10),
    ("单项冠军", 6),
    ("中国500强", 6),
    ("民营500强", 6),
    ("世界500强", 3),
    ("龙头", 8),
    ("独角兽", 3),
    ("瞪羚", 5),
    ("专精特新", 10),
)
PROJECT_STAGE_WEIGHTS = (20, 15, 15, 10, 20, 15, 5)  # over the stage column's choices
PROJECT_KINDS = ("新建", "扩建", "技改", "产业化", "智能化改造", "生产基地")
CLUSTER_TOPICS = ("产业集群", "产业基地", "特色产业集群", "先进制造业集群")
POLICY_KINDS = ("若干措施", "实施意见", "行动方案", "三年行动计划", "扶持办法")
POLICY_TOPICS = ("高质量发展", "延链补链强链", "招商引资", "技术创新", "企业梯度培育", "数字化转型")
POLICY_ISSUERS = (
    "江西省人民政府",
    "江西省人民政府办公厅",
    "江西省工业和信息化厅",
    "江西省发展和改革委员会",
    "江西省科学技术厅",
)
PROBLEM_PHRASES = (
    "关键原材料依赖省外采购，运输成本高",
    "核心设备依赖进口，交付周期长",
    "本地配套企业少，配套半径过长",
    "高端人才引进难，研发力量薄弱",
    "用地、用能指标紧张，项目落地慢",
    "融资难、融资贵，企业扩产受限",
    "下游应用市场开拓不足，产能利用率低",
    "检验检测平台缺乏，产品认证周期长",
)
PROBLEM_OWNERS = ("省工业和信息化厅", "省发展改革委", "省科技厅", "省商务厅", "省自然资源厅")
TECH_SUFFIXES = ("制备技术", "成套工艺", "装备技术", "设计技术", "检测技术", "回收技术")
TECH_LEADS = (
    "南昌大学",
    "江西理工大学",
    "南昌航空大学",
    "华东交通大学",
    "东华理工大学",
    "景德镇陶瓷大学",
    "江西省科学院",
    "中国科学院赣江创新研究院",
)
APPLICATION_FIELDS = _words(
    "新能源汽车 储能电站 消费电子 轨道交通 航空航天 医疗器械 智能家居 5G通信 数据中心 "
    "光伏电站 建筑装饰 包装印刷 农业机械 船舶 电网 工业自动化 可穿戴设备 智慧城市 文化旅游 "
    "健康养老 冷链物流 国防军工 石油化工 环境治理 教育培训"
)
APPLICATION_QUALIFIERS = ("", "高端", "智慧", "绿色", "新型")


def _check_vocabulary() -> None:
    prefixes = [c.short for c in (*LOCAL_CITIES, *OUTSIDE_CITIES)]
    for a in prefixes:
        for b in prefixes:
            assert a == b or not b.startswith(a), f"name prefixes must be prefix-free: {a} {b}"
    assert len(set(BRAND_CHARS)) == len(BRAND_CHARS)
    assert all(len(w) == 2 and not w.endswith(("公司", "集团", "厂")) for w in NAME_WORDS)
    assert len(set(NAME_WORDS)) == len(NAME_WORDS)
    assert len(PROJECT_STAGE_WEIGHTS) == len(PROJECTS.column("stage").choices)


_check_vocabulary()

# --- deterministic hashing ----------------------------------------------------------------------

_MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64's finaliser: a fast, well-spread hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _org_code_check(digits: str) -> str:
    """The 9th character of an organisation code (GB 11714)."""
    total = sum(int(d) * w for d, w in zip(digits, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    chains: int
    links: int  # per chain
    local: int
    outside: int
    projects: int
    clusters: int
    policies: int
    problems: int
    technologies: int  # per chain
    applications: int  # per chain

    @classmethod
    def at(
        cls,
        scale: float,
        chains: int | None = None,
        links: int | None = None,
        outside: int | None = None,
    ) -> Counts:
        """The counts at `scale`; `outside` overrides the outside pool (default 200 000 × scale)."""

        def n(base: int, least: int = 1) -> int:
            return max(least, round(base * scale))

        return cls(
            chains=chains or max(2, round(len(CHAINS) * min(scale, 1.0))),
            links=links or 100,
            local=n(20_000, 20),
            outside=outside if outside is not None else n(200_000, 20),
            projects=n(50_000, 10),
            clusters=n(200, 3),
            policies=n(300, 3),
            problems=n(400, 3),
            technologies=8,
            applications=5,
        )


@dataclass
class Link:
    name: str
    chain: str
    stage: str
    level: int  # 0 环节, 1 细分环节, 2 产品
    parent: str | None = None
    downstream: list[str] = field(default_factory=list)
    key: bool = False


@dataclass
class Chain:
    name: str
    industry: str
    links: list[Link]


def build_chains(counts: Counts, seed: int) -> list[Chain]:
    """The chain maps: about half top-level links in a DAG of 下游环节, the rest below them."""
    rng = random.Random(f"{seed}/chains")
    pool = [q + n for q in LINK_QUALIFIERS for n in LINK_NOUNS]
    need = counts.chains * counts.links
    if need > len(pool):
        raise SystemExit(f"at most {len(pool)} links in all (asked for {need})")
    rng.shuffle(pool)
    names = iter(pool)
    stages = CHAIN_MAP.column("stage").choices
    chains = []
    for c in range(counts.chains):
        if c < len(CHAINS):
            chain_name, industry = CHAINS[c]
        else:
            chain_name, industry = f"特色产业链{c + 1 - len(CHAINS)}号", "其他"
        top_count = max(3, math.ceil(counts.links * 0.5))
        links: list[Link] = []
        for i in range(top_count):
            stage = stages[min(len(stages) - 1, i * len(stages) // top_count)]
            links.append(Link(next(names), chain_name, stage, 0, key=rng.random() < 0.15))
        for i, link in enumerate(links):
            stage_index = stages.index(link.stage)
            later = [
                other
                for other in links[i + 1 :]
                if stages.index(other.stage) - stage_index in (0, 1)
            ]
            if later and rng.random() < 0.8:
                picked = rng.sample(later, min(len(later), rng.randint(1, 3)))
                link.downstream = [p.name for p in picked]
        for _ in range(counts.links - top_count):
            subs = [link for link in links if link.level == 1]
            if subs and rng.random() < 0.2:
                parent = rng.choice(subs)
            else:
                parent = rng.choice(links[:top_count])
            links.append(Link(next(names), chain_name, parent.stage, parent.level + 1, parent.name))
        chains.append(Chain(chain_name, industry, links))
    return chains


class Names:
    """Enterprise names, places and credit codes as pure functions of the enterprise's number.

    Numbers 0 .. local-1 are local enterprises, local .. local+outside-1 outside ones. A name is
    city prefix + three brand characters + a two-character word + a tail; the (brand, word) pair
    is a bijection of the number, and the prefixes are prefix-free, so names are unique also once
    the tail is stripped by normalisation.
    """

    def __init__(self, counts: Counts, seed: int) -> None:
        self.local = counts.local
        self.total = counts.local + counts.outside
        self.salt = _mix(seed) & 0xFFFFFFFF
        base = len(BRAND_CHARS)
        self.capacity = base**3 * len(NAME_WORDS)
        if self.total > self.capacity:
            raise SystemExit(f"at most {self.capacity} enterprises (asked for {self.total})")
        self.multiplier = 2_654_435_761  # prime, so coprime with the capacity
        self.offset = self.salt % self.capacity

    def is_local(self, number: int) -> bool:
        return number < self.local

    def city(self, number: int) -> City:
        h = _mix(self.salt ^ number)
        if number < self.local:
            return LOCAL_CITIES[h % len(LOCAL_CITIES)]
        return OUTSIDE_CITIES[h % len(OUTSIDE_CITIES)]

    def city_index(self, number: int) -> int:
        return _mix(self.salt ^ number) % len(LOCAL_CITIES)

    def _parts(self, number: int) -> tuple[str, str]:
        k = (number * self.multiplier + self.offset) % self.capacity
        k, word = divmod(k, len(NAME_WORDS))
        base = len(BRAND_CHARS)
        brand = BRAND_CHARS[k // base**2] + BRAND_CHARS[k // base % base] + BRAND_CHARS[k % base]
        return brand, NAME_WORDS[word]

    def name(self, number: int) -> str:
        brand, word = self._parts(number)
        tail = NAME_TAILS[(_mix(self.salt + 7 * number) >> 20) % len(NAME_TAILS)]
        return self.city(number).short + brand + word + tail

    def alias(self, number: int) -> str:
        """A short name: brand and word without the city (unique for the same reason)."""
        brand, word = self._parts(number)
        return brand + word

    def credit_code(self, number: int) -> str:
        """A valid, distinct 统一社会信用代码 (the organisation code is a bijection of number)."""
        org = f"{(number * 48_271 + self.salt) % 100_000_000:08d}"
        first17 = "91" + self.city(number).division + org + _org_code_check(org)
        return first17 + credit_code_check_char(first17)

    def random_local(self, rng: random.Random) -> int:
        return rng.randrange(self.local)

    def random_outside(self, rng: random.Random) -> int:
        return self.local + rng.randrange(self.total - self.local)


# --- rows ---------------------------------------------------------------------------------------


def _weighted(pairs: Sequence[tuple[str, int]]) -> Callable[[random.Random, int], list[str]]:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]

    def pick(rng: random.Random, k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            tag = rng.choices(values, weights)[0]
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    return pick


_local_tags = _weighted(LOCAL_TAGS)
_outside_tags = _weighted(OUTSIDE_TAGS)


def _money(rng: random.Random, mu: float, sigma: float) -> float:
    return round(rng.lognormvariate(mu, sigma), 2)


class Province:
    """The whole data set; each `*_rows` method yields one sheet's rows, keyed by column key."""

    def __init__(self, counts: Counts, seed: int) -> None:
        self.counts = counts
        self.seed = seed
        self.chains = build_chains(counts, seed)
        self.names = Names(counts, seed)

    def rng(self, sheet: Sheet) -> random.Random:
        return random.Random(f"{self.seed}/{sheet.key}")

    def _local_region(self, rng: random.Random, city_index: int) -> tuple[str, str | None]:
        """所在地区 and 所在园区 of something in a local city: a park ~60 % of the time."""
        city = LOCAL_CITIES[city_index]
        parks = PARKS_BY_CITY[city_index]
        if parks and rng.random() < 0.6:
            park = rng.choice(parks)
            return f"{city.region}/{park.county}", park.name
        if rng.random() < 0.7:
            return f"{city.region}/{rng.choice(city.counties)}", None
        return city.region, None

    def _links(self, rng: random.Random, low: int, high: int) -> tuple[list[str], list[str]]:
        chain = rng.choice(self.chains)
        k = rng.randint(low, high)
        links = [link.name for link in rng.sample(chain.links, k)]
        return [chain.name], links

    def _locals(self, rng: random.Random, k: int, exclude: int = -1) -> list[str]:
        picked: list[int] = []
        while len(picked) < k:
            n = self.names.random_local(rng)
            if n != exclude and n not in picked:
                picked.append(n)
        return [self.names.name(n) for n in picked]

    def chain_map_rows(self) -> Iterator[Row]:
        rng = self.rng(CHAIN_MAP)
        for chain in self.chains:
            for link in chain.links:
                yield {
                    "industry": chain.industry,
                    "chain": chain.name,
                    "link": link.name,
                    "parent": link.parent,
                    # Sub-links leave 链位 empty half the time: it is inherited.
                    "stage": link.stage if link.level == 0 or rng.random() < 0.5 else None,
                    "downstream": link.downstream or None,
                    "key": YES if link.key else (NO if rng.random() < 0.5 else None),
                    "note": "细分环节" if link.level == 1 else "产品" if link.level == 2 else None,
                }

    def region_rows(self) -> Iterator[Row]:
        rng = self.rng(REGIONS)
        chain_names = [c.name for c in self.chains]
        for park in PARKS:
            chosen = rng.sample(chain_names, min(len(chain_names), rng.randint(2, 4)))
            yield {
                "region": f"{LOCAL_CITIES[park.city].region}/{park.county}",
                "park": park.name,
                "park_level": park.level,
                "primary_chain": chosen[0],
                "main_chains": chosen[1:],
            }

    def enterprise_rows(self) -> Iterator[Row]:
        rng = self.rng(ENTERPRISES)
        names = self.names
        for number in range(names.total):
            local = names.is_local(number)
            chains, links = self._links(rng, 1, 3 if local else 2)
            if local and rng.random() < 0.2:  # in a second chain as well
                more_chains, more_links = self._links(rng, 1, 1)
                if more_chains[0] not in chains:
                    chains += more_chains
                    links += more_links
            if local:
                region, park = self._local_region(rng, names.city_index(number))
                revenue = _money(rng, 0.0, 1.5) if rng.random() < 0.9 else None
                tags = _local_tags(rng, rng.randint(1, 2)) if rng.random() < 0.15 else None
                has_code = rng.random() < 0.3
                customers = (
                    self._locals(rng, rng.randint(1, 3), number) if rng.random() < 0.2 else None
                )
                investees = self._locals(rng, 1, number) if rng.random() < 0.03 else None
            else:
                region, park = names.city(number).region, None
                revenue = _money(rng, 1.5, 1.6) if rng.random() < 0.8 else None
                tags = _outside_tags(rng, rng.randint(1, 2)) if rng.random() < 0.12 else None
                has_code = rng.random() < 0.2
                customers = self._locals(rng, rng.randint(1, 2)) if rng.random() < 0.08 else None
                investees = self._locals(rng, 1) if rng.random() < 0.02 else None
            yield {
                "name": names.name(number),
                "credit_code": names.credit_code(number) if has_code else None,
                "aliases": [names.alias(number)] if rng.random() < 0.05 else None,
                "chain": chains,
                "links": links,
                "local": YES if local else NO,
                "region": region,
                "park": park,
                "revenue": revenue,
                "tags": tags,
                "products": rng.sample(PRODUCT_WORDS, rng.randint(1, 2))
                if rng.random() < 0.3
                else None,
                "customers": customers,
                "investees": investees,
            }

    def project_rows(self) -> Iterator[Row]:
        rng = self.rng(PROJECTS)
        names = self.names
        stages = PROJECTS.column("stage").choices
        aliases = [alias for alias, _ in PROJECTS.column("stage").value_aliases]
        for k in range(self.counts.projects):
            # Investors: local enterprises (in their own city), outside ones, or none.
            roll = rng.random()
            investor: str | None = None
            if roll < 0.62:
                number = names.random_local(rng)
                investor, city_index = names.name(number), names.city_index(number)
                prefix = names.alias(number)
            else:
                city_index = rng.randrange(len(LOCAL_CITIES))
                if roll < 0.98:
                    number = names.random_outside(rng)
                    investor = names.name(number)
                    prefix = names.alias(number)
                else:
                    prefix = LOCAL_CITIES[city_index].short
            chains, links = self._links(rng, 1, 2)
            region, park = self._local_region(rng, city_index)
            stage = rng.choices(stages, PROJECT_STAGE_WEIGHTS)[0]
            if aliases and rng.random() < 0.02:  # accepted aliases such as 谋划 = 储备
                stage = rng.choice(aliases)
            amount = _money(rng, 1.0, 1.2)
            yield {
                "name": f"{prefix}{links[0]}{rng.choice(PROJECT_KINDS)}项目（{k + 1:06d}）",
                "investor": investor,
                "chain": chains[0],
                "links": links,
                "amount": amount,
                "stage": stage,
                "region": region,
                "park": park,
                "is_5020": YES if amount >= 20 and rng.random() < 0.8 else NO,
                "year": rng.randint(2019, 2026),
            }

    def cluster_rows(self) -> Iterator[Row]:
        rng = self.rng(CLUSTERS)
        levels = CLUSTERS.column("level").choices
        combos = [(c, ch) for c in range(len(LOCAL_CITIES)) for ch in range(len(self.chains))]
        rng.shuffle(combos)
        for k in range(self.counts.clusters):
            city_index, chain_index = combos[k % len(combos)]
            city, chain = LOCAL_CITIES[city_index], self.chains[chain_index]
            topic = CLUSTER_TOPICS[k // len(combos) % len(CLUSTER_TOPICS)]
            round_no = k // (len(combos) * len(CLUSTER_TOPICS))
            suffix = f"（{round_no + 1}）" if round_no else ""
            members = self._locals_in(rng, city_index, rng.randint(5, 30))
            yield {
                "name": f"{city.short}{chain.name}{topic}{suffix}",
                "level": rng.choices(levels, (1, 3, 4, 2))[0],
                "chain": chain.name,
                "region": city.region,
                "revenue": _money(rng, 4.0, 1.0),
                "leaders": members[: rng.randint(1, 2)],
                "members": members,
            }

    def _locals_in(self, rng: random.Random, city_index: int, k: int) -> list[str]:
        """k distinct local enterprises of one city (by rejection: cities are hashed)."""
        picked: list[int] = []
        for _ in range(k * len(LOCAL_CITIES) * 20):
            if len(picked) == k:
                break
            n = self.names.random_local(rng)
            if self.names.city_index(n) == city_index and n not in picked:
                picked.append(n)
        return [self.names.name(n) for n in picked]

    def policy_rows(self) -> Iterator[Row]:
        rng = self.rng(POLICIES)
        for k in range(self.counts.policies):
            chains = rng.sample(self.chains, min(len(self.chains), rng.randint(1, 2)))
            links = [link.name for link in rng.sample(chains[0].links, rng.randint(0, 3))]
            year = rng.randint(2016, 2026)
            topic, kind = rng.choice(POLICY_TOPICS), rng.choice(POLICY_KINDS)
            yield {
                "name": f"关于推动{chains[0].name}产业链{topic}的{kind}（第{k + 1}号）",
                "doc_number": f"赣府字〔{year}〕{k + 1}号",
                "issuer": rng.choice(POLICY_ISSUERS),
                "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "chains": [c.name for c in chains],
                "links": links or None,
                "summary": f"支持{chains[0].name}产业链{topic}，重点扶持"
                + "、".join(links or [chains[0].links[0].name])
                + "等环节。",
            }

    def problem_rows(self) -> Iterator[Row]:
        rng = self.rng(PROBLEMS)
        types = PROBLEMS.column("type").choices
        statuses = PROBLEMS.column("status").choices
        for k in range(self.counts.problems):
            chain = rng.choice(self.chains)
            links = [link.name for link in rng.sample(chain.links, rng.randint(1, 2))]
            yield {
                "description": f"{links[0]}环节{rng.choice(PROBLEM_PHRASES)}（问题{k + 1:05d}）",
                "type": rng.choice(types),
                "chain": chain.name,
                "links": links,
                "enterprises": self._locals(rng, rng.randint(0, 2)) or None,
                "status": rng.choices(statuses, (5, 3, 2))[0],
                "owner": rng.choice(PROBLEM_OWNERS),
            }

    def technology_rows(self) -> Iterator[Row]:
        rng = self.rng(TECHNOLOGIES)
        maturities = TECHNOLOGIES.column("maturity").choices
        for chain in self.chains:
            anchors = rng.sample(chain.links, min(len(chain.links), self.counts.technologies))
            for link in anchors:
                others = [rng.choice(chain.links).name] if rng.random() < 0.3 else []
                lead = rng.choice(TECH_LEADS) if rng.random() < 0.5 else self._locals(rng, 1)[0]
                yield {
                    "name": link.name + rng.choice(TECH_SUFFIXES),
                    "chain": chain.name,
                    "links": list(dict.fromkeys([link.name, *others])),
                    "maturity": rng.choice(maturities),
                    "bottleneck": YES if rng.random() < 0.15 else NO,
                    "lead": lead,
                }

    def application_rows(self) -> Iterator[Row]:
        rng = self.rng(APPLICATIONS)
        pool = [q + f for q in APPLICATION_QUALIFIERS for f in APPLICATION_FIELDS]
        rng.shuffle(pool)
        k = 0
        for chain in self.chains:
            for _ in range(self.counts.applications):
                name = pool[k % len(pool)] + (f"（{k // len(pool) + 1}）" if k >= len(pool) else "")
                k += 1
                yield {
                    "name": name,
                    "chain": chain.name,
                    "links": [link.name for link in rng.sample(chain.links, rng.randint(1, 3))],
                }

    def sheets(self) -> Iterator[tuple[Sheet, Iterator[Row]]]:
        """Every sheet with its rows, in the order loaders read them (sheets.SHEETS)."""
        makers: dict[str, Callable[[], Iterator[Row]]] = {
            CHAIN_MAP.key: self.chain_map_rows,
            REGIONS.key: self.region_rows,
            ENTERPRISES.key: self.enterprise_rows,
            PROJECTS.key: self.project_rows,
            CLUSTERS.key: self.cluster_rows,
            POLICIES.key: self.policy_rows,
            PROBLEMS.key: self.problem_rows,
            TECHNOLOGIES.key: self.technology_rows,
            APPLICATIONS.key: self.application_rows,
        }
        for sheet in SHEETS:
            if sheet.key in makers:
                yield sheet, makers[sheet.key]()


# --- writers ------------------------------------------------------------------------------------


def _columns(sheet: Sheet) -> list[tuple[str, str]]:
    return [(c.zh, c.key) for c in (*sheet.columns, SOURCE_COLUMN)]


def _cell(value: Value) -> str | int | float | None:
    if isinstance(value, list):
        return "、".join(value)
    return value


def write_csv(sheet: Sheet, rows: Iterable[Row], path: Path) -> int:
    """One sheet as UTF-8 CSV with BOM, as Excel saves it; returns the number of data rows."""
    columns = _columns(sheet)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([zh for zh, _ in columns])
        for row in rows:
            row[SOURCE_COLUMN.key] = SOURCE
            writer.writerow([_cell(row.get(key)) for _, key in columns])
            count += 1
    return count


class XlsxWriter:
    """The same sheets as one workbook, streamed with openpyxl's write-only mode."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.workbook.properties.creator = "chainkg"
        self.workbook.properties.title = "四图五清单（合成基准数据）"

    def add(self, sheet: Sheet, rows: Iterable[Row]) -> int:
        ws = self.workbook.create_sheet(sheet.zh)
        columns = _columns(sheet)
        ws.append([zh for zh, _ in columns])
        count = 0
        for row in rows:
            row[SOURCE_COLUMN.key] = SOURCE
            ws.append([_cell(row.get(key)) for _, key in columns])
            count += 1
        return count

    def save(self, path: Path) -> None:
        self.workbook.save(path)


def generate(
    counts: Counts, seed: int, out_dir: Path | None = None, xlsx: Path | None = None
) -> dict[str, int]:
    """Write the CSV folder and/or the workbook; returns the data rows written per sheet."""
    written: dict[str, int] = {}
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for sheet, rows in Province(counts, seed).sheets():
            written[sheet.zh] = write_csv(sheet, rows, out_dir / f"{sheet.zh}.csv")
    if xlsx is not None:
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        book = XlsxWriter()
        for sheet, rows in Province(counts, seed).sheets():
            written[sheet.zh] = book.add(sheet, rows)
        book.save(xlsx)
    return written


def _size_mb(paths: Iterable[Path]) -> float:
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out_dir", nargs="?", type=Path, help="folder for the CSV files")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = province scale")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xlsx", type=Path, help="also (or only) write one .xlsx workbook")
    parser.add_argument("--chains", type=int, help="number of chains (default 20 at scale ≥ 1)")
    parser.add_argument("--links", type=int, help="links per chain (default 100)")
    parser.add_argument(
        "--outside",
        type=int,
        help="outside enterprises (the candidate pool; default 200 000 × scale)",
    )
    parser.add_argument("--json", action="store_true", help="print the row counts as JSON")
    args = parser.parse_args(argv)
    if args.out_dir is None and args.xlsx is None:
        parser.error("give OUT_DIR, --xlsx FILE or both")
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.outside is not None and args.outside < 1:
        parser.error("--outside must be at least 1")
    counts = Counts.at(args.scale, args.chains, args.links, args.outside)
    started = time.perf_counter()
    written = generate(counts, args.seed, args.out_dir, args.xlsx)
    seconds = time.perf_counter() - started
    files = [*(args.out_dir.glob("*.csv") if args.out_dir else []), *filter(None, [args.xlsx])]
    if args.json:
        report: dict[str, Any] = {
            "rows": written,
            "total": sum(written.values()),
            "seconds": round(seconds, 2),
            "mb": round(_size_mb(files), 1),
        }
        print(json.dumps(report, ensure_ascii=False))
        return 0
    for name, count in [*written.items(), ("合计", sum(written.values()))]:
        print(name + " " * (12 - 2 * len(name)) + f"{count:>10,}")
    print(f"{seconds:.1f} s, {_size_mb(files):.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
