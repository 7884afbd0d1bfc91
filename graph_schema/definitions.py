"""The chainkg graph: the one list of labels, properties and relationship types."""

from __future__ import annotations

from graph_schema.model import GraphSchema, NodeType, Prop, RelType
from graph_schema.model import PropType as T

STAGES = ("上游", "中游", "下游")
LINK_LEVELS = ("环节", "细分环节", "产品")
PROJECT_STAGES = ("储备", "在谈", "签约", "开工", "在建", "投产")
PROBLEM_TYPES = ("痛点", "堵点", "难点", "断点", "卡脖子")
PROBLEM_STATUSES = ("待办", "办理中", "已销号")
REGION_LEVELS = ("省", "市", "县")
CLUSTER_LEVELS = ("国家级", "省级", "省级培育", "省级特色")
TECH_MATURITIES = ("研发", "中试", "产业化")
FOCUS_PRIORITIES = ("首位", "主导")
CONTACT_STAGES = ("初次接触", "拜访洽谈", "在谈", "签约", "落地", "暂缓")
ENTERPRISE_TAGS = (
    "链主",
    "领航企业",
    "专精特新",
    "专精特新小巨人",
    "单项冠军",
    "上市",
    "高新技术企业",
    "世界500强",
    "中国500强",
    "民营500强",
    "独角兽",
    "瞪羚",
    "龙头",
)

FIGURE_METRICS = (
    "营业收入",
    "投资",
    "招商引资",
    "增加值",
    "产值",
    "企业数",
    "项目数",
    "集群数",
    "园区数",
    "其他",
)
FIGURE_KINDS = ("actual", "target")  # 实际 / 目标
FIGURE_ROLES = ("主体", "地区", "项目")

# The "2+6+N" industries every province document speaks of, with the other names they go
# by. Documents may name them before any workbook has: a document load creates them.
INDUSTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "有色金属": ("2", ("有色", "有色产业")),
    "电子信息": ("2", ()),
    "装备制造": ("6", ("装备制造业", "装备")),
    "石化": ("6", ("石化产业", "石化化工")),
    "建材": ("6", ("建材产业",)),
    "纺织": ("6", ("纺织服装",)),
    "食品": ("6", ("食品产业",)),
    "汽车": ("6", ("汽车产业", "汽车制造")),
    "航空": ("N", ("航空产业",)),
    "中医药": ("N", ()),
    "移动物联网": ("N", ("物联网",)),
    "虚拟现实": ("N", ("VR",)),
    "半导体照明": ("N", ("LED",)),
    "节能环保": ("N", ()),
    "锂电新能源": ("N", ("锂电",)),
    "光伏新能源": ("N", ("光伏",)),
    "新材料": ("N", ()),
    "生物医药": ("N", ()),
}

_NODES = (
    NodeType("Industry", "产业", "industry", (Prop("tier", T.STR, "层级"),)),
    NodeType(
        "Chain",
        "产业链",
        "chain",
        (
            Prop("industry", T.STR, "产业"),
            Prop("leader", T.STR, "链长"),
            Prop("lead_department", T.STR, "牵头部门"),
        ),
    ),
    NodeType(
        "Link",
        "环节",
        "link",
        (
            Prop("chain", T.STR, "产业链", indexed=True),
            Prop("stage", T.STR, "链位", choices=STAGES),
            Prop("level", T.STR, "层级", choices=LINK_LEVELS),
            Prop("key", T.BOOL, "关键环节"),
            Prop("note", T.STR, "说明"),
            Prop("recruit_restriction", T.STR, "招商限制"),
        ),
    ),
    NodeType(
        "Enterprise",
        "企业",
        "ent",
        (
            Prop("local", T.BOOL, "是否省内", indexed=True),
            Prop("credit_code", T.STR, "统一社会信用代码", indexed=True),
            Prop("revenue", T.FLOAT, "营业收入(亿元)"),
            Prop("tags", T.LIST, "企业标签", choices=ENTERPRISE_TAGS),
            Prop("region", T.STR, "所在地区"),
            Prop("park", T.STR, "所在园区"),
            Prop("products", T.LIST, "主要产品"),
        ),
    ),
    NodeType(
        "Project",
        "项目",
        "proj",
        (
            Prop("amount", T.FLOAT, "总投资(亿元)"),
            Prop("stage", T.STR, "项目阶段", choices=PROJECT_STAGES),
            Prop("stage_raw", T.STR, "原始阶段"),
            Prop("is_5020", T.BOOL, "是否5020项目"),
            Prop("year", T.INT, "年份"),
            Prop("chain", T.STR, "所属产业链", indexed=True),
            Prop("region", T.STR, "所在地区"),
            Prop("park", T.STR, "所在园区"),
        ),
    ),
    NodeType(
        "Cluster",
        "集群",
        "cluster",
        (
            Prop("level", T.STR, "级别", choices=CLUSTER_LEVELS),
            Prop("revenue", T.FLOAT, "营业收入(亿元)"),
            Prop("region", T.STR, "所在地区"),
        ),
    ),
    NodeType(
        "Park",
        "园区",
        "park",
        (Prop("level", T.STR, "园区级别"), Prop("region", T.STR, "所在地区")),
    ),
    NodeType(
        "Region",
        "地区",
        "region",
        (Prop("level", T.STR, "级别", choices=REGION_LEVELS), Prop("path", T.STR, "全称")),
    ),
    NodeType(
        "Policy",
        "政策",
        "policy",
        (
            Prop("doc_number", T.STR, "文号", indexed=True),
            Prop("issuer", T.STR, "发布单位"),
            Prop("date", T.DATE, "发布日期"),
            Prop("summary", T.STR, "政策要点"),
        ),
    ),
    NodeType(
        "Problem",
        "问题",
        "problem",
        (
            Prop("type", T.STR, "问题类型", choices=PROBLEM_TYPES),
            Prop("status", T.STR, "状态", choices=PROBLEM_STATUSES),
            Prop("owner", T.STR, "责任单位"),
            Prop("chain", T.STR, "所属产业链"),
        ),
    ),
    NodeType(
        "Technology",
        "技术",
        "tech",
        (
            Prop("maturity", T.STR, "阶段", choices=TECH_MATURITIES),
            Prop("bottleneck", T.BOOL, "是否卡脖子"),
            Prop("lead", T.STR, "牵头单位"),
            Prop("chain", T.STR, "所属产业链"),
        ),
    ),
    NodeType("Application", "应用领域", "app", (Prop("chain", T.STR, "所属产业链"),)),
    NodeType(
        "Document",
        "文档",
        "doc",
        (
            Prop("title", T.STR, "标题"),
            Prop("date", T.DATE, "日期"),
            Prop("issuer", T.STR, "发布单位"),
            Prop("doc_number", T.STR, "文号"),
            Prop("scope", T.STR, "适用地区"),
            Prop("scope_id", T.STR, "适用地区标识"),
            Prop("sha256", T.STR, "内容摘要", indexed=True),
            Prop("file", T.STR, "文件名"),
            Prop("text", T.STR, "正文"),
        ),
    ),
    NodeType(
        "Figure",
        "数据",
        "fig",
        (
            Prop("metric", T.STR, "指标", choices=FIGURE_METRICS),
            Prop("value", T.FLOAT, "数值"),
            Prop("unit", T.STR, "单位"),
            Prop("year", T.INT, "年份"),
            Prop("period", T.STR, "期间"),  # 一季度, 上半年, 1-5月; empty: the whole year
            Prop("kind", T.STR, "类型", choices=FIGURE_KINDS),
            Prop("subject", T.STR, "主体"),
            Prop("subject_type", T.STR, "主体类型"),
            Prop("region", T.STR, "地区", indexed=True),
            Prop("project", T.STR, "项目"),
            Prop("document", T.STR, "文档"),
            Prop("sentence", T.STR, "原句"),
        ),
    ),
)

_CONTACT = NodeType(  # one row of the 招商台账: a contact with a target enterprise
    "Contact",
    "招商对接",
    "contact",
    (
        Prop("stage", T.STR, "对接阶段", choices=CONTACT_STAGES),
        Prop("date", T.DATE, "日期", indexed=True),
        Prop("owner", T.STR, "责任单位"),
        Prop("note", T.STR, "备注"),
    ),
)

_IMPORT = NodeType(
    "Import",
    "导入记录",
    "import",
    (
        Prop("seq", T.INT, "序号", indexed=True),
        Prop("files", T.LIST, "文件"),
        Prop("sha256", T.LIST, "文件摘要"),
        Prop("at", T.STR, "时间"),
        Prop("counts", T.STR, "数量(JSON)"),
        Prop("changed", T.BOOL, "是否有改动"),  # version() counts these
        # "running" while a Neo4j load is under way; absent once it has finished
        Prop("state", T.STR, "状态"),
        Prop("holder", T.STR, "导入进程标记"),  # the running load's token (see LoadLock)
    ),
    internal=True,
)

# Per-version summaries written after each load that changed the graph (history, alerts):
# small rows, so that history never needs an old version's whole graph.
_VERSION_RECORD = NodeType(
    "VersionRecord",
    "版本记录",
    "ver",
    (
        Prop("version", T.INT, "版本", indexed=True),
        Prop("kind", T.STR, "类别"),
        Prop("subject", T.STR, "对象"),
        Prop("region", T.STR, "地区"),
        Prop("at", T.STR, "时间"),
        Prop("data", T.STR, "内容(JSON)"),
    ),
    internal=True,
)

# The Neo4j store writes a large load in several transactions. Each one leaves a step of its
# undo journal (what it created, the old values of what it changed), so that a load that fails
# or is killed is undone; the steps are deleted when the load finishes.
_IMPORT_STEP = NodeType(
    "ImportStep",
    "导入步骤",
    "importstep",
    (
        Prop("seq", T.INT, "导入序号", indexed=True),
        Prop("step", T.INT, "步骤"),
        Prop("undo", T.STR, "撤销数据(JSON)"),
    ),
    internal=True,
)

# One node whose write lock a Neo4j load holds from start to end: loads run one at a time, and a
# load killed with its process releases it (the server rolls the lock's transaction back).
_LOAD_LOCK = NodeType(
    "LoadLock", "导入锁", "loadlock", (Prop("holder", T.STR, "持有者"),), internal=True
)


_DOMAIN = (*_NODES, _CONTACT)
_ALL = tuple(n.label for n in _DOMAIN)

_RELS = (
    RelType("HAS_CHAIN", "包含产业链", ("Industry",), ("Chain",)),
    RelType("HAS_LINK", "包含环节", ("Chain",), ("Link",)),
    RelType("PART_OF", "隶属", ("Link", "Region"), ("Link", "Region")),
    RelType("SUPPLIES_TO", "供给下游", ("Link",), ("Link",)),
    RelType(
        "IN_LINK",
        "处于环节",
        ("Enterprise",),
        ("Link",),
        (
            Prop("role", T.STR, "角色"),
            Prop("products", T.LIST, "产品"),
            Prop("revenue", T.FLOAT, "环节营收（亿元）"),
            Prop("share", T.FLOAT, "占企业营收比例"),
        ),
    ),
    RelType("SUPPLIES", "供货", ("Enterprise",), ("Enterprise",)),
    RelType("INVESTS_IN", "投资", ("Enterprise",), ("Enterprise",)),
    RelType("LOCATED_IN", "位于", ("Enterprise", "Park", "Cluster", "Project"), ("Region", "Park")),
    RelType("BY", "投资主体", ("Project",), ("Enterprise",)),
    RelType("FILLS", "补齐环节", ("Project",), ("Link",)),
    RelType("MEMBER_OF", "集群成员", ("Enterprise",), ("Cluster",), (Prop("role", T.STR, "角色"),)),
    RelType("IN_CHAIN", "属于产业链", ("Cluster",), ("Chain",)),
    RelType(
        "FOCUSES_ON",
        "重点产业",
        ("Park",),
        ("Chain", "Industry"),  # an Industry when a park names a 2+6+N industry, not a chain
        (Prop("priority", T.STR, "地位", choices=FOCUS_PRIORITIES),),
    ),
    RelType("SUPPORTS", "支持", ("Policy",), ("Chain", "Link")),
    RelType("AFFECTS", "影响", ("Problem",), ("Link", "Enterprise")),
    RelType("ENABLES", "支撑", ("Technology",), ("Link",)),
    RelType("APPLIED_IN", "应用于", ("Link",), ("Application",)),
    RelType(
        "MENTIONS",
        "提及",
        ("Document",),
        _ALL,
        (Prop("count", T.INT, "次数"), Prop("evidence", T.LIST, "原句")),
    ),
    RelType("STATES", "载有数据", ("Document",), ("Figure",)),
    RelType("CONTACTS", "对接企业", ("Contact",), ("Enterprise",)),
    RelType("CONCERNS", "对接环节", ("Contact",), ("Chain", "Link")),
    # A figure is about its subject (role 主体), the region it is stated for (地区) and,
    # for a project's amount, the project (项目).
    RelType(
        "ABOUT",
        "数据主体",
        ("Figure",),
        ("Industry", "Chain", "Link", "Enterprise", "Project", "Park", "Cluster", "Region"),
        (Prop("role", T.STR, "角色", choices=FIGURE_ROLES),),
    ),
)

SCHEMA = GraphSchema(
    nodes={n.label: n for n in (*_DOMAIN, _IMPORT, _VERSION_RECORD, _IMPORT_STEP, _LOAD_LOCK)},
    rels={r.type: r for r in _RELS},
)
