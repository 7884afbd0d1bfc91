"""The typed answers of `targets`, `ledger`, `history` and `alerts` (issue 14).

Field names are those of docs/reference/api.md; the JSON is `model.model_dump(mode="json")`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- targets -----------------------------------------------------------------------------


class TargetLink(_Answer):
    chain: str = Field(description="产业链")
    link: str = Field(description="环节")
    status: str = Field(description="现状：strong/weak/missing/broken")
    after: str = Field(description="目标企业落地后的状态")


class Host(_Answer):
    region: str | None = Field(description="建议承接的市")
    park: str | None = Field(description="建议承接的园区")
    score: float = Field(description="承接地评分（0–1）")
    chain: str = Field(description="承接的产业链")
    link: str = Field(description="承接的环节")
    reasons: list[str] = Field(description="理由；备选承接地另说明与建议承接地的差距")


class TargetItem(_Answer):
    enterprise: str = Field(description="企业名称")
    enterprise_id: str = Field(description="企业标识")
    score: float = Field(description="综合评分（补链效果、可达性与承接条件）")
    region_of_enterprise: str | None = Field(description="企业所在地区")
    revenue: float | None = Field(description="营业收入（亿元）")
    tags: list[str] = Field(description="企业标签")
    links: list[TargetLink] = Field(description="落地后状态会改善的环节")
    local_rate_gain: dict[str, float] = Field(description="各产业链本地配套率的提高（0–1）")
    host: Host | None = Field(description="建议承接地（牵头对接的市与园区）")
    alternatives: list[Host] = Field(description="备选承接地（其他市）")
    pipeline_stage: str | None = Field(description="已有在谈项目时为其阶段")
    reasons: list[str] = Field(description="列入理由")
    source: str | None = Field(description="数据来源")
    demo: bool = Field(description="是否示例数据")


class ExcludedTarget(_Answer):
    enterprise: str = Field(description="企业名称")
    enterprise_id: str = Field(description="企业标识")
    chains: list[str] = Field(description="其所在缺口环节的产业链")
    project: str = Field(description="已有项目")
    project_stage: str | None = Field(description="项目阶段")
    reason: str = Field(description="不列入的原因")


class TargetList(_Answer):
    region: str | None = Field(description="范围（空为全省）")
    items: list[TargetItem] = Field(description="全省精准招商目标企业，每家一次")
    excluded: list[ExcludedTarget] = Field(description="已有签约及以后阶段项目、不再列入的企业")
    sources: list[str] = Field(description="所列企业的数据来源")
    demo_rows: int = Field(description="示例数据条数")
    notice: str | None = Field(description="示例数据提示")


# ---- 招商台账 ----------------------------------------------------------------------------


class LedgerItem(_Answer):
    enterprise: str = Field(description="企业名称")
    enterprise_id: str = Field(description="企业标识")
    chains: list[str] = Field(description="对接产业链")
    links: list[str] = Field(description="对接环节")
    stage: str | None = Field(description="最近一次对接阶段")
    date: str | None = Field(description="最近一次对接日期")
    owner: str | None = Field(description="责任单位")
    note: str | None = Field(description="备注")
    days_since: int | None = Field(description="距最近一次对接的天数")
    stale: bool = Field(description="是否久未对接")
    events: int = Field(description="对接次数")
    in_targets: bool = Field(description="是否在本年度目标清单中")
    sources: list[str] = Field(description="数据来源")
    reasons: list[str] = Field(description="提示")


class NoContact(_Answer):
    enterprise: str = Field(description="企业名称")
    enterprise_id: str = Field(description="企业标识")
    score: float = Field(description="目标清单评分")
    host: Host | None = Field(description="建议承接地")
    reason: str = Field(description="提示")


class Ledger(_Answer):
    today: str = Field(description="计算天数所用的日期")
    stale_days: int = Field(description="久未对接的天数阈值")
    items: list[LedgerItem] = Field(description="各目标企业最近一次对接，久未对接者在前")
    no_contact: list[NoContact] = Field(description="目标清单中尚无对接记录的企业")


# ---- history -----------------------------------------------------------------------------


class HistoryCounts(_Answer):
    strong: int = Field(description="强链数")
    weak: int = Field(description="弱链数")
    missing: int = Field(description="缺链数")
    broken: int = Field(description="断链数")


class HistoryVersion(_Answer):
    version: int = Field(description="版本号")
    time: str = Field(description="导入时间")
    files: list[str] = Field(description="导入文件")
    local_rate: float = Field(description="本地配套率（0–1）")
    counts: HistoryCounts = Field(description="强弱缺断环节数")


class HistoryChange(_Answer):
    version: int = Field(description="发生变化的版本")
    link: str = Field(description="环节")
    before: str | None = Field(description="变化前状态")
    after: str | None = Field(description="变化后状态")


class History(_Answer):
    chain: str = Field(description="产业链")
    region: str | None = Field(description="范围（空为全省）")
    versions: list[HistoryVersion] = Field(description="各版本的本地配套率与计数")
    changes: list[HistoryChange] = Field(description="相邻版本之间状态变化的环节")


# ---- alerts ------------------------------------------------------------------------------

Severity = Literal["high", "medium", "low"]
AlertKind = Literal[
    "link_worse",
    "anchor_gone",
    "anchor_left",
    "anchor_revenue",
    "project_stalled",
    "projects_undated",
    "problem_open",
]


class Alert(_Answer):
    kind: AlertKind = Field(
        description="link_worse 环节变差 · anchor_left 链主迁出 · anchor_gone 链主消失 · "
        "anchor_revenue 链主营收下滑 · project_stalled 项目停滞 · "
        "projects_undated 仅有年份、无法判断是否停滞的项目（汇总） · problem_open 问题久未销号"
    )
    severity: Severity = Field(description="级别")
    subject: str = Field(description="对象")
    message: str = Field(description="说明")
    evidence: dict[str, Any] = Field(description="依据：版本、文件、数据来源、数字")


class Alerts(_Answer):
    chain: str | None = Field(description="产业链（空为全部）")
    region: str | None = Field(description="范围（空为全省）")
    today: str = Field(description="计算天数所用的日期")
    items: list[Alert] = Field(description="预警，高级别在前")
