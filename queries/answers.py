"""The answers of the analyses, typed: the JSON shapes clients receive, as pydantic models.

Every public answer of `queries/` is one of these models (queries/province has its own). The
JSON a client receives is `answer.model_dump(mode="json")`: the field names and their order are
the JSON's, so the API declares these models as `response_model` and `/openapi.json` documents
the real shapes; the CLI renders the same objects.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["strong", "weak", "missing", "broken"]
StatusZh = Literal["强链", "弱链", "缺链", "断链"]
Number = int | float  # a figure as stored: 3 stays 3, 2.5 stays 2.5


class Answer(BaseModel):
    """An answer: exactly the fields listed (no stray key reaches a client)."""

    model_config = ConfigDict(extra="forbid")


# ---- diagnosis -------------------------------------------------------------------------------


class StatusCounts(Answer):
    strong: int = Field(description="强链数")
    weak: int = Field(description="弱链数")
    missing: int = Field(description="缺链数")
    broken: int = Field(description="断链数")


class EnterpriseRef(Answer):
    id: str = Field(description="企业标识")
    name: str = Field(description="企业名称")
    revenue: Number | None = Field(description="营收（亿元）")


class ProjectRef(Answer):
    id: str = Field(description="项目标识")
    name: str = Field(description="项目名称")
    stage: str | None = Field(description="项目阶段：储备/在谈/签约/开工/在建/投产")
    stage_raw: str | None = Field(description="清单中填写的原始阶段")
    amount: Number | None = Field(description="投资额（亿元）")
    enterprise: str | None = Field(description="投资主体")


class LinkDiagnosis(Answer):
    id: str = Field(description="环节标识")
    name: str = Field(description="环节名称")
    stage: str | None = Field(description="链位：上游/中游/下游（细分环节取上级环节的）")
    level: str | None = Field(description="层级：环节或细分环节")
    parent: str | None = Field(description="上级环节标识")
    key: bool = Field(description="是否关键环节")
    status: Status = Field(description="strong 强链 · weak 弱链 · missing 缺链 · broken 断链")
    status_zh: StatusZh = Field(description="诊断状态的中文")
    local_enterprises: int = Field(description="本地企业数（含细分环节）")
    local_revenue: Number = Field(description="本地企业营收合计（亿元）")
    enterprises: list[EnterpriseRef] = Field(description="本地企业（营收从大到小，列出前若干家）")
    projects: list[ProjectRef] = Field(description="已投产项目（投资额从大到小，列出前若干个）")
    project_count: int = Field(description="已投产项目数")
    pipeline: list[ProjectRef] = Field(description="在手项目（签约/开工/在建）")
    pipeline_count: int = Field(description="在手项目数")
    reasons: list[str] = Field(description="诊断理由（中文，含触发的数字）")
    recruit_restriction: str | None = Field(description="招商限制：不列招商对象的原因")
    source: str | None = Field(description="数据来源（公开资料、示例数据等）")


class StatusChange(Answer):
    link: str = Field(description="环节名称")
    link_id: str = Field(description="环节标识")
    before: Status = Field(description="变化前的状态")
    after: Status = Field(description="变化后的状态")
    before_zh: StatusZh = Field(description="变化前的状态（中文）")
    after_zh: StatusZh = Field(description="变化后的状态（中文）")


class ReasonedChange(StatusChange):
    reasons: list[str] = Field(description="变化后的诊断理由")


class StatedFigure(Answer):
    id: str = Field(description="数字标识（fig:…）")
    name: str = Field(description="数字的简述")
    subject: str | None = Field(description="主体")
    region: str | None = Field(description="所述地区")
    metric: str | None = Field(description="指标，如 营业收入")
    value: Number | None = Field(description="数值")
    unit: str | None = Field(description="单位")
    year: int | None = Field(description="年份")
    period: str | None = Field(description="期间（如 一季度）；空为全年")
    kind: str | None = Field(description="actual 实际 · target 目标")
    kind_zh: str = Field(description="实际 或 目标")
    role: str | None = Field(description="与所查看节点的关系：主体、地区、项目")
    project: str | None = Field(description="所述项目")
    sentence: str | None = Field(description="原文句子")
    document: str | None = Field(description="来源文档标题")
    document_id: str = Field(description="来源文档标识")


class DiagnosisSummary(Answer):
    local_rate: float = Field(description="本地配套率：有本地配套的末级环节占比（0–1）")
    listed_revenue: Number = Field(description="清单所列本地企业营收合计（亿元）")
    listed_revenue_known: int = Field(description="填有营收的本地企业数")
    listed_enterprises: int = Field(description="本地企业数")
    leaf_links: int = Field(description="末级环节数")
    present_leaf_links: int = Field(description="有本地配套的末级环节数")
    counts: StatusCounts = Field(description="各诊断状态的环节数")
    pipeline_projects: int = Field(description="在手项目数")
    local_rate_with_pipeline: float = Field(description="在手项目全部投产后的本地配套率")
    pipeline_changes: list[ReasonedChange] = Field(description="在手项目投产后改变状态的环节")
    stated_revenue: StatedFigure | None = Field(
        None, description="文档所述本链在该地区的最新全年营业收入（与 listed_revenue 对照）"
    )


class DiagnosisOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    region: str | None = Field(description="地区或园区；null 为全省")
    graph_version: int = Field(description="作答所用图谱版本")
    links: list[LinkDiagnosis] = Field(description="按产业链图顺序（上游→中游→下游）的环节")
    summary: DiagnosisSummary = Field(description="本地配套率、各状态计数与在手项目的影响")
    demo_data: bool = Field(description="是否引用了标注为“示例数据”的记录")
    demo_rows: int = Field(description="引用的示例数据记录数")
    notice: str | None = Field(description="引用示例数据时须向用户显示的提示")


class ChainOut(Answer):
    id: str = Field(description="产业链标识，如 chain:锂电新能源")
    name: str = Field(description="产业链名称")
    industry: str | None = Field(description="所属产业（2+6+N）")
    links: int = Field(description="环节数（含细分环节）")
    local_rate: float = Field(description="本地配套率：有本地配套的末级环节占比（0–1）")
    counts: StatusCounts = Field(description="各诊断状态的环节数")


# ---- anchors ---------------------------------------------------------------------------------


class AnchorComponents(Answer):
    scale: float = Field(description="规模：营收 ÷ 本链本地最大营收")
    breadth: float = Field(description="环节覆盖：所在环节 ÷ 本链环节数")
    pull: float = Field(description="带动：本地供货伙伴数 ÷ 最多者")
    centrality: float = Field(description="中心度：供应网络 PageRank ÷ 最高者")
    standing: float = Field(description="认定身份：标签得分的最高者")


class AnchorInputsOut(Answer):
    revenue: Number | None = Field(description="营收（亿元）")
    links: list[str] = Field(description="所在本链环节")
    local_partners: int = Field(description="本地供货伙伴数")
    pagerank: float = Field(description="供应网络 PageRank")
    tags: list[str] = Field(description="企业标签")


class AnchorOut(Answer):
    id: str = Field(description="企业标识")
    name: str = Field(description="企业名称")
    score: float = Field(description="链主指数（0–1）")
    components: AnchorComponents = Field(
        description="各分项：规模、环节覆盖、带动、中心度、认定身份"
    )
    inputs: AnchorInputsOut = Field(description="计算各分项所用的原始数字")
    reasons: list[str] = Field(description="理由")
    rank: int = Field(description="名次")
    designated: bool = Field(description="是否为已认定链主（企业标签“链主”）")
    designation: Literal["已认定", "候选"] = Field(description="已认定 或 候选")
    candidate_rank: int | None = Field(description="候选链主中的名次；已认定者为 null")
    sentence: str = Field(description="可直接宣读的一句话")


class AnchorsOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    region: str | None = Field(description="地区或园区；null 为全省")
    graph_version: int = Field(description="作答所用图谱版本")
    demo_data: bool = Field(description="是否引用了标注为“示例数据”的记录")
    demo_rows: int = Field(description="引用的示例数据记录数")
    notice: str | None = Field(description="引用示例数据时须向用户显示的提示")
    total: int = Field(description="参与排名的本地企业数")
    weights: AnchorComponents = Field(description="各分项的权重")
    anchors: list[AnchorOut] = Field(description="已认定链主在前，其余（候选）按链主指数从高到低")


# ---- recruitment -----------------------------------------------------------------------------


class RecruitTarget(Answer):
    link: str = Field(description="目标环节")
    link_id: str = Field(description="环节标识")
    stage: str | None = Field(description="链位")
    key: bool = Field(description="是否关键环节")
    status: Status = Field(description="诊断状态")
    status_zh: StatusZh = Field(description="诊断状态（中文）")
    reasons: list[str] = Field(description="诊断理由与招商限制")
    restriction: str | None = Field(description="招商限制")
    candidates: int = Field(description="候选企业数")
    shown: int = Field(description="列出的候选企业数")


class RecruitComponents(Answer):
    scale: float = Field(description="规模")
    standing: float = Field(description="地位（标签）")
    proximity: float = Field(description="关联：已向本地链上企业供货或投资")
    affinity: float = Field(description="来源地：重点招商来源地")


class RecruitItem(Answer):
    link: str = Field(description="目标环节")
    link_id: str = Field(description="目标环节标识")
    link_stage: str | None = Field(description="目标环节的链位")
    link_status: Status = Field(description="目标环节的诊断状态")
    link_status_zh: StatusZh = Field(description="目标环节的诊断状态（中文）")
    rank: int = Field(description="在该环节中的名次")
    enterprise_id: str = Field(description="候选企业标识")
    enterprise: str = Field(description="候选企业")
    region: str | None = Field(description="企业所在地区")
    revenue: Number | None = Field(description="营收（亿元）")
    tags: list[str] = Field(description="企业标签")
    score: float = Field(description="招商评分（0–1）")
    score_100: int = Field(description="招商评分（0–100 分）")
    grade: Literal["A", "B", "C"] = Field(description="推荐度：A 重点推荐、B 推荐、C 可关注")
    components: RecruitComponents = Field(description="评分各分项")
    pipeline_stage: str | None = Field(description="已在谈时为“在谈”")
    reasons: list[str] = Field(description="推荐理由")
    source: str | None = Field(description="数据来源")
    demo: bool = Field(description="是否为示例数据")
    fills: list[str] = Field(default_factory=list, description="本清单中它可填补的全部目标环节")
    listed_under: str | None = Field(None, description="打印清单中它列在哪个环节下（环节标识）")


class RecruitExcluded(Answer):
    link: str = Field(description="环节")
    enterprise_id: str = Field(description="企业标识")
    enterprise: str = Field(description="企业")
    project: str = Field(description="已有项目")
    project_stage: str | None = Field(description="项目阶段")
    reason: str = Field(description="不列入的原因")


class NearbyItem(Answer):
    link: str = Field(description="环节")
    link_id: str = Field(description="环节标识")
    enterprise_id: str = Field(description="企业标识")
    enterprise: str = Field(description="企业")
    region: str | None = Field(description="企业所在地区")
    revenue: Number | None = Field(description="营收（亿元）")
    tags: list[str] = Field(description="企业标签")
    reasons: list[str] = Field(description="理由")
    source: str | None = Field(description="数据来源")
    demo: bool = Field(description="是否为示例数据")


class RecruitOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    region: str | None = Field(description="地区或园区；null 为全省")
    graph_version: int = Field(description="作答所用图谱版本")
    targets: list[RecruitTarget] = Field(description="目标环节：断链、缺链、弱链")
    items: list[RecruitItem] = Field(description="补链招商目标企业清单")
    excluded: list[RecruitExcluded] = Field(description="因已有签约及以后项目而不列入的企业")
    nearby: list[NearbyItem] = Field(
        description="市、县、园区范围：省内其他地区的协同配套企业（非招商对象）"
    )
    grades: dict[str, str] = Field(description="推荐度 A、B、C 的含义")
    sources: list[str] = Field(description="清单引用的数据来源")
    demo_data: bool = Field(description="是否引用了标注为“示例数据”的记录")
    demo_rows: int = Field(description="引用的示例数据记录数")
    notice: str | None = Field(description="引用示例数据时须向用户显示的提示")


# ---- what-if ---------------------------------------------------------------------------------


class WhatIfSubject(Answer):
    type: Literal["企业", "项目"] = Field(description="企业 或 项目")
    id: str = Field(description="标识")
    name: str = Field(description="名称")


class AffectedLink(Answer):
    link: str = Field(description="环节名称")
    link_id: str = Field(description="环节标识")
    before: Status = Field(description="引进前的状态")
    after: Status = Field(description="引进后的状态")
    before_zh: StatusZh = Field(description="引进前的状态（中文）")
    after_zh: StatusZh = Field(description="引进后的状态（中文）")
    reasons_before: list[str] = Field(description="引进前的诊断理由")
    reasons_after: list[str] = Field(description="引进后的诊断理由")


class WhatIfOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    region: str | None = Field(description="落地地区或园区；null 为全省")
    subject: WhatIfSubject = Field(description="假设引进的企业或投产的项目")
    links: list[str] = Field(description="它进入的环节")
    assumption: str = Field(description="假设（中文）")
    changes: list[StatusChange] = Field(description="状态发生变化的环节")
    local_rate_before: float = Field(description="引进前本地配套率")
    local_rate_after: float = Field(description="引进后本地配套率")
    affected: list[AffectedLink] = Field(description="它进入的环节及其上级环节，前后对照")


# ---- search ----------------------------------------------------------------------------------


class SearchItem(Answer):
    type: str = Field(description="节点类型（标签）")
    type_zh: str = Field(description="节点类型的中文名")
    id: str = Field(description="节点标识")
    name: str = Field(description="名称")
    score: float = Field(
        description="匹配度：全称 1，别名 0.97，去后缀 0.95，前缀、包含、分词依次降低"
    )
    chains: list[str] = Field(description="所属产业链")
    region: str | None = Field(description="所在地区")


class SearchOut(Answer):
    query: str = Field(description="规范化后的搜索词")
    items: list[SearchItem] = Field(description="匹配的节点与文档，最匹配的在前")


# ---- chain maps from the lists: 技术路线图, 应用领域图, 区域分布图 ------------------------------


class ProblemRef(Answer):
    description: str = Field(description="问题描述")
    type: str | None = Field(description="问题类型")
    status: str | None = Field(description="办理状态")


class RoadmapItem(Answer):
    id: str = Field(description="技术标识")
    name: str = Field(description="技术名称")
    maturity: str = Field(description="成熟度：研发、中试、产业化或未注明")
    bottleneck: bool = Field(description="是否卡脖子技术")
    lead: str | None = Field(description="牵头单位")
    links: list[str] = Field(description="支撑的环节（按产业链图顺序）")
    problems: list[ProblemRef] = Field(description="提到这项技术的问题")
    first_link: int = Field(description="所支撑的最靠前环节在产业链图中的序号（排序用）")


class RoadmapLane(Answer):
    maturity: str = Field(description="成熟度")
    items: list[RoadmapItem] = Field(description="这一成熟度的技术")


class RoadmapOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    lanes: list[RoadmapLane] = Field(description="按成熟度分道")
    total: int = Field(description="技术数")
    bottlenecks: int = Field(description="卡脖子技术数")


class FeedingLink(Answer):
    id: str = Field(description="环节标识")
    name: str = Field(description="环节名称（他链环节注明所属产业链）")
    status: Status = Field(description="诊断状态")
    status_zh: StatusZh = Field(description="诊断状态（中文）")
    reasons: list[str] = Field(description="诊断理由")


class ApplicationItem(Answer):
    id: str = Field(description="应用领域标识")
    name: str = Field(description="应用领域")
    links: list[FeedingLink] = Field(description="供给它的环节")
    blocked_by: list[str] = Field(description="卡点：弱链、缺链、断链的供给环节")
    status: Status | None = Field(description="最差的供给环节状态；无供给环节为 null")


class LinkStatus(Answer):
    id: str = Field(description="环节标识")
    name: str = Field(description="环节名称")
    status: Status = Field(description="诊断状态")
    status_zh: StatusZh = Field(description="诊断状态（中文）")


class ApplicationsOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    region: str | None = Field(description="地区或园区；null 为全省")
    items: list[ApplicationItem] = Field(description="应用领域，卡点多的在前")
    links: list[LinkStatus] = Field(description="出现的供给环节")


class ParkFigure(Answer):
    name: str = Field(description="园区名称")
    level: str | None = Field(description="园区级别")
    firms: int = Field(description="本地企业数")


class RegionUnit(Answer):
    name: str = Field(description="市或县名称")
    code: int = Field(description="行政区划代码")
    level: Literal["市", "县"] = Field(description="市 或 县")
    city: str | None = Field(description="县所在的市；市为 null")
    region: str = Field(description="地区路径，如 宜春市/袁州区")
    firms: int = Field(description="本地企业数")
    revenue: float = Field(description="本地营收（亿元）")
    local_rate: float = Field(description="本地配套率")
    status: Status | None = Field(description="指定环节时：该环节在此的状态")
    parks: list[ParkFigure] = Field(description="市内园区（企业多的在前）")
    status_zh: StatusZh | None = Field(description="环节状态（中文）")


class RegionMapOut(Answer):
    chain: str = Field(description="产业链名称")
    chain_id: str = Field(description="产业链标识")
    link: str | None = Field(description="指定的环节；null 为整条产业链")
    figures: dict[str, str] = Field(description="可着色的指标及其中文名")
    units: list[RegionUnit] = Field(description="11 个设区市及其县级单位，按官方顺序")
