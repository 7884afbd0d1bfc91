"""The JSON shapes of the answers as OpenAPI models (documentation of what the routes send).

Answers may carry more fields than listed here (`extra="allow"`): the analyses add figures
over time without breaking clients.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["strong", "weak", "missing", "broken"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class StatusCounts(_Open):
    strong: int = Field(description="强链数")
    weak: int = Field(description="弱链数")
    missing: int = Field(description="缺链数")
    broken: int = Field(description="断链数")


class ChainOut(_Open):
    id: str = Field(description="产业链标识，如 chain:锂电新能源")
    name: str = Field(description="产业链名称")
    industry: str | None = Field(None, description="所属产业（2+6+N）")
    local_rate: float = Field(description="本地配套率：有本地配套的末级环节占比（0–1）")
    counts: StatusCounts = Field(description="各诊断状态的环节数")


class ProjectOut(_Open):
    id: str
    name: str
    stage: str | None = Field(None, description="项目阶段：储备/在谈/签约/开工/在建/投产")
    amount: float | None = Field(None, description="投资额（亿元）")
    enterprise: str | None = Field(None, description="投资主体")


class LinkDiagnosis(_Open):
    id: str
    name: str = Field(description="环节名称")
    stage: str | None = Field(None, description="链位：上游/中游/下游")
    status: Status = Field(description="strong 强链 · weak 弱链 · missing 缺链 · broken 断链")
    local_enterprises: int = Field(description="本地企业数（含细分环节）")
    pipeline: list[ProjectOut] = Field(description="在手项目（签约/开工/在建）")
    reasons: list[str] = Field(description="诊断理由（中文，含触发的数字）")


class DiagnosisOut(_Open):
    chain: str = Field(description="产业链名称")
    region: str | None = Field(description="地区或园区；null 为全省")
    links: list[LinkDiagnosis] = Field(description="按产业链图顺序（上游→中游→下游）的环节")
    summary: dict[str, Any] = Field(description="本地配套率、各状态计数与在手项目的影响")
    demo_data: bool = Field(False, description="是否引用了标注为“示例数据”的记录")
    notice: str | None = Field(None, description="引用示例数据时须向用户显示的提示")


class AnchorOut(_Open):
    id: str
    name: str = Field(description="企业名称")
    score: float = Field(description="链主指数（0–1）")
    components: dict[str, float] = Field(
        description="各分项：规模、环节覆盖、带动、中心度、认定身份"
    )
    reasons: list[str] = Field(description="理由")
    designated: bool = Field(False, description="是否为已认定链主（企业标签“链主”）")
    designation: str = Field("候选", description="已认定 或 候选")


class AnchorsOut(_Open):
    chain: str
    anchors: list[AnchorOut] = Field(description="已认定链主在前，其余（候选）按链主指数从高到低")
    demo_data: bool = Field(False, description="是否引用了标注为“示例数据”的记录")
    notice: str | None = Field(None, description="引用示例数据时须向用户显示的提示")


class RecruitItem(_Open):
    link: str = Field(description="目标环节")
    link_status: Status = Field(description="目标环节的诊断状态")
    enterprise_id: str
    enterprise: str = Field(description="候选企业")
    score: float = Field(description="招商评分（0–1）")
    score_100: int | None = Field(None, description="招商评分（0–100 分）")
    grade: str | None = Field(None, description="推荐度：A 重点推荐、B 推荐、C 可关注")
    fills: list[str] = Field(default_factory=list, description="本清单中它可填补的全部目标环节")
    pipeline_stage: str | None = Field(None, description="已在谈时为“在谈”")
    reasons: list[str] = Field(description="推荐理由")


class RecruitOut(_Open):
    chain: str
    region: str | None
    items: list[RecruitItem] = Field(description="补链招商目标企业清单")
    nearby: list[dict[str, Any]] = Field(
        default_factory=list,
        description="市、县、园区范围：省内其他地区的协同配套企业（非招商对象）",
    )
    demo_data: bool = Field(False, description="是否引用了标注为“示例数据”的记录")
    notice: str | None = Field(None, description="引用示例数据时须向用户显示的提示")


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise: str = Field(min_length=1, max_length=200, description="候选企业或项目的名称")
    links: list[str] = Field(
        default_factory=list, max_length=200, description="它将填补的环节；空则取企业已登记的环节"
    )
    region: str | None = Field(None, max_length=100, description="落地地区或园区；空为全省")


class WhatIfChange(_Open):
    link: str
    before: Status
    after: Status


class WhatIfOut(_Open):
    chain: str
    region: str | None
    changes: list[WhatIfChange] = Field(description="状态发生变化的环节")
    local_rate_before: float = Field(description="引进前本地配套率")
    local_rate_after: float = Field(description="引进后本地配套率")


class SearchItem(_Open):
    type: str = Field(description="节点类型（标签）")
    type_zh: str | None = Field(None, description="节点类型的中文名")
    id: str
    name: str
    score: float = Field(
        description="匹配度：全称 1，别名 0.97，去后缀 0.95，前缀、包含、分词依次降低"
    )
    chains: list[str] = Field(default_factory=list, description="所属产业链")
    region: str | None = Field(None, description="所在地区")


class SearchOut(_Open):
    query: str
    items: list[SearchItem]


class RelationshipOut(_Open):
    type: str
    direction: Literal["out", "in"]
    other_type: str
    other_id: str
    other_name: str


class DocumentRef(_Open):
    id: str
    title: str
    snippet: str


class NodeOut(_Open):
    type: str
    id: str
    name: str
    properties: dict[str, Any]
    relationships: list[RelationshipOut]
    documents: list[DocumentRef]


class StatsOut(BaseModel):
    nodes: dict[str, int] = Field(description="各标签的节点数")
    relationships: dict[str, int] = Field(description="各关系类型的数量")


class IssueOut(BaseModel):
    sheet: str = Field(description="工作表")
    row: int | None = Field(description="行号（Excel 行号）")
    column: str = Field(description="列")
    message: str = Field(description="问题说明")
    severity: str = Field(description="error 错误 · warning 提示")


class ImportOut(BaseModel):
    dry_run: bool = Field(description="是否只校验")
    files: list[str]
    rows: int = Field(description="读取的数据行数")
    counts: dict[str, dict[str, int]] = Field(description="批次中各类节点与关系的数量")
    written: dict[str, int] | None = Field(description="写入结果；只校验时为 null")
    warnings: list[IssueOut]


class ErrorOut(_Open):
    detail: str = Field(description="中文错误说明")


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "找不到（附相近名称建议 suggestions）"},
    422: {"model": ErrorOut, "description": "参数有误"},
}

_ERROR_JSON = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "suggestions": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["detail"],
        }
    }
}
HTML_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"content": _ERROR_JSON, "description": "找不到（附相近名称建议 suggestions）"},
    422: {"content": _ERROR_JSON, "description": "参数有误"},
}
