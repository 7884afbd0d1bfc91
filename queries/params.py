"""Every threshold and weight of the analyses, each defined once, here.

`app.settings.Settings` inherits these fields, so each one is also an environment variable
with the prefix CHAINKG_ (lists and mappings as JSON, e.g.
``CHAINKG_STRENGTH_TAGS='["链主","上市"]'``).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

STRENGTH_TAGS = [
    "链主",
    "领航企业",
    "上市",
    "专精特新小巨人",
    "单项冠军",
    "世界500强",
    "中国500强",
    "民营500强",
]

SOURCE_REGIONS = {
    "粤港澳": [
        "广东",
        "香港",
        "澳门",
        "深圳",
        "广州",
        "珠海",
        "佛山",
        "东莞",
        "惠州",
        "中山",
        "江门",
        "肇庆",
    ],
    "长三角": [
        "上海",
        "江苏",
        "浙江",
        "安徽",
        "南京",
        "苏州",
        "无锡",
        "常州",
        "杭州",
        "宁波",
        "合肥",
    ],
    "京津冀": ["北京", "天津", "河北", "石家庄", "雄安"],
}


class AnalysisParams(BaseModel):
    """Thresholds of the diagnosis and weights of the 链主 and recruitment scores."""

    weak_min_enterprises: int = Field(3, ge=0, description="弱链：本地企业少于该数")
    weak_min_revenue: float = Field(
        10.0, ge=0, description="弱链：无强势企业且本地营收合计低于该值（亿元）"
    )
    weak_max_share: float = Field(
        0.8, gt=0, le=1, description="弱链：最大企业营收占比达到该值（两家及以上企业时）"
    )
    weak_share_min_known: float = Field(
        0.5,
        ge=0,
        le=1,
        description="集中度判断：本环节本地企业中已知营收的比例至少为该值（否则注明营收未知 k/n 家）",
    )
    strength_tags: list[str] = Field(
        default_factory=lambda: list(STRENGTH_TAGS), description="强势企业标签"
    )
    blocking_problem_types: list[str] = Field(
        default_factory=lambda: ["卡脖子", "断点"], description="使环节为弱链的问题类型"
    )
    open_problem_statuses: list[str] = Field(
        default_factory=lambda: ["待办", "办理中"], description="未销号的问题状态"
    )
    present_project_stages: list[str] = Field(
        default_factory=lambda: ["投产"], description="计为本地配套的项目阶段（达产记为投产）"
    )
    pipeline_project_stages: list[str] = Field(
        default_factory=lambda: ["签约", "开工", "在建"], description="在手项目（pipeline）阶段"
    )

    anchor_weight_scale: float = Field(0.35, ge=0, description="链主指数权重：规模")
    anchor_weight_breadth: float = Field(0.2, ge=0, description="链主指数权重：环节覆盖")
    anchor_weight_pull: float = Field(0.2, ge=0, description="链主指数权重：本地配套带动")
    anchor_weight_centrality: float = Field(0.15, ge=0, description="链主指数权重：供应网络中心度")
    anchor_weight_standing: float = Field(0.1, ge=0, description="链主指数权重：认定身份")
    anchor_standing_points: dict[str, float] = Field(
        default_factory=lambda: {"链主": 1.0, "领航企业": 0.8, "上市": 0.5},
        description="链主指数：各认定标签的得分（取最高）",
    )
    anchor_pagerank_alpha: float = Field(0.85, gt=0, lt=1, description="PageRank 阻尼系数")
    anchors_top: int = Field(20, ge=1, description="链主排名默认返回条数")
    anchor_designated_tag: str = Field(
        "链主", description="已认定链主的企业标签：这些企业列在链主表前部并标“已认定”"
    )

    recruit_weight_scale: float = Field(0.35, ge=0, description="招商评分权重：规模")
    recruit_weight_standing: float = Field(0.25, ge=0, description="招商评分权重：企业地位")
    recruit_weight_proximity: float = Field(0.25, ge=0, description="招商评分权重：已有本地合作")
    recruit_weight_affinity: float = Field(0.15, ge=0, description="招商评分权重：来源地区")
    recruit_standing_points: dict[str, float] = Field(
        default_factory=lambda: {
            "世界500强": 1.0,
            "中国500强": 0.8,
            "民营500强": 0.7,
            "上市": 0.6,
            "龙头": 0.6,
            "链主": 0.6,
            "领航企业": 0.6,
            "单项冠军": 0.6,
            "专精特新小巨人": 0.5,
            "独角兽": 0.5,
        },
        description="招商评分：各企业标签的地位得分（取最高）",
    )
    recruit_source_regions: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in SOURCE_REGIONS.items()},
        description="招商来源地区：名称 → 所在地区中出现的地名",
    )
    recruit_excluded_stages: list[str] = Field(
        default_factory=lambda: ["签约", "开工", "在建", "投产"],
        description="已有该阶段项目的候选企业不再列入",
    )
    recruit_flagged_stages: list[str] = Field(
        default_factory=lambda: ["在谈"], description="保留但标注的项目阶段"
    )
    recruit_top: int = Field(20, ge=1, description="每个目标环节默认列出的候选企业数")
    recruit_main_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="称“主营”某环节：该环节占企业营收的比例至少为该值（或主要产品即该环节）",
    )
    recruit_province_firms: bool = Field(
        False,
        description="市、县、园区范围：省内其他地区的企业也作为招商对象（默认否，"
        "另列为省内协同配套）",
    )
    recruit_grade_a: int = Field(
        70, ge=0, le=100, description="推荐度 A（重点推荐）的最低评分（0–100 分）"
    )
    recruit_grade_b: int = Field(
        50, ge=0, le=100, description="推荐度 B（推荐）的最低评分（0–100 分）；其下为 C（可关注）"
    )
    recruit_cache_firms: int = Field(
        100_000,
        ge=0,
        description="招商与全省目标清单：每个图版本在内存中保留的各环节候选企业（库外企业）条目上限"
        "（一家企业在几个环节中即计几条，每条约 1.2 KB；超出时先释放最久未用的环节；"
        "0 为不保留，每次从库中读取）",
    )

    @model_validator(mode="after")
    def _weights_add_up(self) -> AnalysisParams:
        if self.anchor_weights_total() <= 0 or self.recruit_weights_total() <= 0:
            raise ValueError("链主指数与招商评分的权重之和须大于 0")
        return self

    def anchor_weights_total(self) -> float:
        return (
            self.anchor_weight_scale
            + self.anchor_weight_breadth
            + self.anchor_weight_pull
            + self.anchor_weight_centrality
            + self.anchor_weight_standing
        )

    def recruit_weights_total(self) -> float:
        return (
            self.recruit_weight_scale
            + self.recruit_weight_standing
            + self.recruit_weight_proximity
            + self.recruit_weight_affinity
        )
