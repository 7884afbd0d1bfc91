"""The 四图五清单 workbook: every sheet and column that loaders read and the template writes.

It is the one definition of names, keys and required flags: docs/reference/workbook.md is
generated from it (tools/gen_docs.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph_schema.definitions import (
    CLUSTER_LEVELS,
    CONTACT_STAGES,
    ENTERPRISE_TAGS,
    PROBLEM_STATUSES,
    PROBLEM_TYPES,
    STAGES,
    TECH_MATURITIES,
)

YES_NO = ("是", "否")
PROJECT_STAGE_INPUTS = ("储备", "在谈", "签约", "开工", "在建", "投产", "达产")
PROJECT_STAGE_ALIASES = (("谋划", "储备"), ("洽谈", "在谈"), ("建设", "在建"))
PARK_LEVELS = (
    "国家级经开区",
    "国家级高新区",
    "国家级新区",
    "综合保税区",
    "省级开发区",
    "省级高新区",
)


class Kind(StrEnum):
    """How a cell is parsed."""

    TEXT = "text"
    LIST = "list"  # separated by 、 , ， ; ； / or line breaks
    BOOL = "bool"  # 是/否, Y/N, true/false, 1/0
    MONEY = "money"  # 亿元 unless the header or the cell says 万元/元
    INT = "int"
    DATE = "date"
    ENUM = "enum"  # one of `choices` (or an alias)
    TAGS = "tags"  # a list whose known values are `choices`; unknown ones kept with a warning
    CODE = "code"  # 统一社会信用代码


@dataclass(frozen=True)
class Column:
    zh: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""
    aliases: tuple[str, ...] = ()  # other headers accepted for this column
    value_aliases: tuple[tuple[str, str], ...] = ()  # other words accepted for a choice


@dataclass(frozen=True)
class Sheet:
    zh: str
    key: str
    columns: tuple[Column, ...]
    note: str = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SOURCE_COLUMN = Column(
    "数据来源",
    "source",
    note="可选：本行数据的出处，如“公开资料”“示例数据”或文件名",
    aliases=("来源",),
)

CHAIN_MAP = Sheet(
    "产业链图",
    "chain_map",
    (
        Column("产业", "industry", note="所属“2+6+N”产业，如 有色金属"),
        Column("产业链", "chain", required=True, note="产业链名称，如 锂电新能源"),
        Column("环节", "link", required=True, note="环节名称，同一产业链内不重复"),
        Column("上级环节", "parent", note="填写后本行为其细分环节或产品"),
        Column("链位", "stage", Kind.ENUM, choices=STAGES, note="上游/中游/下游；空则继承上级环节"),
        Column(
            "下游环节", "downstream", Kind.LIST, note="本环节供给的下游环节，可填多个，用、分隔"
        ),
        Column("关键环节", "key", Kind.BOOL, choices=YES_NO, note="是/否"),
        Column("说明", "note"),
        Column(
            "招商限制",
            "recruit_restriction",
            note="可选：填写即表示本环节不列招商对象（仍作诊断），请写明原因，如 国家总量控制指标",
        ),
    ),
    note="一行一个环节",
)

ENTERPRISES = Sheet(
    "企业清单",
    "enterprises",
    (
        Column("企业名称", "name", required=True, note="企业全称"),
        Column("统一社会信用代码", "credit_code", Kind.CODE, note="18位，填写时校验"),
        Column(
            "别名",
            "aliases",
            Kind.LIST,
            note="可选：简称、曾用名，可填多个",
            aliases=("简称", "企业简称"),
        ),
        Column("所属产业链", "chain", Kind.LIST, note="可填多个"),
        Column("所属环节", "links", Kind.LIST, required=True, note="环节名称，可填多个"),
        Column(
            "是否省内",
            "local",
            Kind.BOOL,
            required=True,
            choices=YES_NO,
            note="是=省内企业；否=省外企业（招商对象）",
        ),
        Column(
            "所在地区",
            "region",
            note="省内填 市 或 市/县，如 宜春市/袁州区；省外填省市，如 广东省深圳市",
        ),
        Column("所在园区", "park", note="如 宜春经济技术开发区"),
        Column("营业收入(亿元)", "revenue", Kind.MONEY, note="数字；万元请在表头或单元格注明"),
        Column(
            "企业标签",
            "tags",
            Kind.TAGS,
            choices=ENTERPRISE_TAGS,
            note="可填多个：" + "、".join(ENTERPRISE_TAGS),
        ),
        Column(
            "主要产品",
            "products",
            Kind.LIST,
            note="可填多个；与某环节名称相同的产品视为该环节为其主营",
        ),
        Column("供应对象", "customers", Kind.LIST, note="本企业供货的企业名称，可填多个"),
        Column("投资对象", "investees", Kind.LIST, note="本企业持股的企业名称，可填多个"),
        Column(
            "分环节营收",
            "link_figures",
            Kind.LIST,
            note="可选：本企业在所属环节的营收（亿元）或占本企业营收的比例，"
            "如 正极材料:120、电解液:15%；填写后招商评分与集中度按此计算",
        ),
    ),
    note="一行一家企业",
)

PROJECTS = Sheet(
    "项目清单",
    "projects",
    (
        Column("项目名称", "name", required=True),
        Column("投资主体", "investor", note="企业名称；不在企业清单中时新建企业"),
        Column("所属产业链", "chain"),
        Column("所属环节", "links", Kind.LIST),
        Column("总投资(亿元)", "amount", Kind.MONEY),
        Column(
            "项目阶段",
            "stage",
            Kind.ENUM,
            required=True,
            choices=PROJECT_STAGE_INPUTS,
            note="储备/在谈/签约/开工/在建/投产/达产（达产按投产计；谋划=储备，洽谈=在谈，建设=在建）",
            value_aliases=PROJECT_STAGE_ALIASES,
        ),
        Column("所在地区", "region"),
        Column("所在园区", "park"),
        Column("是否5020项目", "is_5020", Kind.BOOL, choices=YES_NO),
        Column("年份", "year", Kind.INT),
    ),
)

CLUSTERS = Sheet(
    "集群清单",
    "clusters",
    (
        Column("集群名称", "name", required=True),
        Column("级别", "level", Kind.ENUM, choices=CLUSTER_LEVELS),
        Column("所属产业链", "chain"),
        Column("所在地区", "region"),
        Column("营业收入(亿元)", "revenue", Kind.MONEY),
        Column("龙头企业", "leaders", Kind.LIST),
        Column("成员企业", "members", Kind.LIST),
    ),
)

POLICIES = Sheet(
    "政策清单",
    "policies",
    (
        Column("政策名称", "name", required=True),
        Column("文号", "doc_number", note="如 赣府字〔2019〕17号"),
        Column("发布单位", "issuer"),
        Column("发布日期", "date", Kind.DATE, note="如 2022-03-01"),
        Column("支持产业链", "chains", Kind.LIST),
        Column("支持环节", "links", Kind.LIST),
        Column("政策要点", "summary"),
    ),
)

PROBLEMS = Sheet(
    "问题清单",
    "problems",
    (
        Column("问题描述", "description", required=True),
        Column("问题类型", "type", Kind.ENUM, choices=PROBLEM_TYPES),
        Column("所属产业链", "chain"),
        Column("涉及环节", "links", Kind.LIST),
        Column("涉及企业", "enterprises", Kind.LIST),
        Column("状态", "status", Kind.ENUM, choices=PROBLEM_STATUSES),
        Column("责任单位", "owner"),
    ),
)

TECHNOLOGIES = Sheet(
    "技术路线图",
    "technologies",
    (
        Column("技术名称", "name", required=True),
        Column("所属产业链", "chain"),
        Column("支撑环节", "links", Kind.LIST),
        Column("阶段", "maturity", Kind.ENUM, choices=TECH_MATURITIES),
        Column("是否卡脖子", "bottleneck", Kind.BOOL, choices=YES_NO),
        Column("牵头单位", "lead"),
    ),
)

APPLICATIONS = Sheet(
    "应用领域图",
    "applications",
    (
        Column("应用领域", "name", required=True),
        Column("所属产业链", "chain"),
        Column("相关环节", "links", Kind.LIST),
    ),
)

REGIONS = Sheet(
    "区域分布图",
    "regions",
    (
        Column("地区", "region", required=True, note="市 或 市/县"),
        Column("园区", "park"),
        Column("园区级别", "park_level", Kind.ENUM, choices=PARK_LEVELS),
        Column("首位产业", "primary_chain", note="产业链名称"),
        Column("主导产业", "main_chains", Kind.LIST, note="产业链名称，可填多个"),
    ),
)

TRACKING = Sheet(
    "招商台账",
    "tracking",
    (
        Column("目标企业", "enterprise", required=True, note="企业全称；不在企业清单中时新建企业"),
        Column("对接产业链", "chain", note="产业链名称"),
        Column("对接环节", "links", Kind.LIST, note="环节名称，可填多个"),
        Column("责任单位", "owner", note="如 宜春市商务局、宜春经开区管委会"),
        Column(
            "对接阶段",
            "stage",
            Kind.ENUM,
            choices=CONTACT_STAGES,
            note="/".join(CONTACT_STAGES),
        ),
        Column("日期", "date", Kind.DATE, required=True, note="本次对接的日期，如 2026-03-01"),
        Column("备注", "note"),
    ),
    note="一行一次对接；重复导入同一行不会重复记录",
)

# In load order: later sheets refer to what earlier ones define.
SHEETS: tuple[Sheet, ...] = (
    CHAIN_MAP,
    REGIONS,
    ENTERPRISES,
    PROJECTS,
    CLUSTERS,
    POLICIES,
    PROBLEMS,
    TECHNOLOGIES,
    APPLICATIONS,
    TRACKING,
)
# In the order the template shows them (四图 then 五清单).
TEMPLATE_ORDER: tuple[Sheet, ...] = (
    CHAIN_MAP,
    TECHNOLOGIES,
    APPLICATIONS,
    REGIONS,
    PROJECTS,
    ENTERPRISES,
    CLUSTERS,
    POLICIES,
    PROBLEMS,
    TRACKING,
)
