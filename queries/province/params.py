"""Thresholds and weights of the province-wide analyses (targets, 台账, history, alerts).

`app.settings.Settings` inherits these fields, so each one is also an environment variable
with the prefix CHAINKG_ (e.g. ``CHAINKG_LEDGER_STALE_DAYS=45``).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class ProvinceParams(BaseModel):
    """Settings of `chainkg targets / ledger / history / alerts`."""

    targets_top: int = Field(150, ge=1, description="全省目标企业清单默认条数")
    targets_shortlist: int = Field(
        3, ge=1, description="逐一做假设分析的候选数：默认条数的该倍数（其余按初筛分排除）"
    )
    target_weight_effect: float = Field(0.6, ge=0, description="目标企业评分权重：补链效果")
    target_weight_reach: float = Field(0.4, ge=0, description="目标企业评分权重：可达性")
    target_weight_host: float = Field(
        0.25, ge=0, description="目标企业评分权重：承接条件（建议承接地的得分）"
    )
    target_status_weights: dict[str, float] = Field(
        default_factory=lambda: {"broken": 1.0, "missing": 0.8, "weak": 0.4},
        description="补链效果：状态改善的环节按其原状态计分",
    )
    target_key_bonus: float = Field(0.5, ge=0, description="补链效果：关键环节另加的比例")
    target_reach_points: dict[str, float] = Field(
        default_factory=lambda: {
            "partner": 0.3,
            "talks": 0.25,
            "province_project": 0.15,
            "source_region": 0.15,
            "standing": 0.15,
        },
        description="可达性：已供货或投资本地企业、在谈项目、省内已有项目、来源地区、企业地位",
    )
    host_weight_focus: float = Field(0.4, ge=0, description="承接地评分权重：首位/主导产业")
    host_weight_upstream: float = Field(0.25, ge=0, description="承接地评分权重：上游环节在本市")
    host_weight_downstream: float = Field(0.25, ge=0, description="承接地评分权重：下游环节在本市")
    host_weight_partner: float = Field(0.1, ge=0, description="承接地评分权重：已有合作企业在本市")
    host_alternatives: int = Field(3, ge=0, description="每个目标列出的备选承接地数")
    ledger_closed_stages: list[str] = Field(
        default_factory=lambda: ["签约", "落地", "暂缓"],
        description="招商台账：处于这些阶段的目标不做久未对接提示",
    )
    today: date | None = Field(
        None, description="台账与预警计算天数所用的当天日期（默认今天；复现报表时设置）"
    )
    ledger_stale_days: int = Field(60, ge=1, description="招商台账：超过该天数未对接即提示")
    alert_revenue_drop: float = Field(
        0.3, gt=0, lt=1, description="预警：链主或领航企业营收降幅超过该比例"
    )
    alert_stalled_days: int = Field(
        180, ge=1, description="预警：项目阶段（按导入历史）或卡脖子/断点问题超过该天数未变化"
    )
    alert_stalled_stages: list[str] = Field(
        default_factory=lambda: ["在谈", "签约", "开工", "在建"],
        description="预警：停滞检查的项目阶段",
    )
    alert_anchor_tags: list[str] = Field(
        default_factory=lambda: ["链主", "领航企业"], description="预警：关注其去留与营收的企业标签"
    )

    def current_date(self) -> date:
        """The date days are counted to: `today` when set, else today."""
        return self.today or date.today()
