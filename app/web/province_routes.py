"""The province-wide routes of the JSON API: targets, 招商台账, history, alerts.

Answers are computed once per graph version (and, for the ledger and alerts, per day, since
they count days) and then served from memory, as the other analyses.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from app import province_exports
from app.web.deps import ChainPath, RegionQuery, SettingsDep, SnapshotsDep, StoreDep
from app.web.responses import XLSX, attachment, json_response, versioned
from app.web.schemas import ERRORS, StatusCounts, _Open
from app.web.snapshots import encode
from queries.province.alerts import alerts
from queries.province.history import chain_history
from queries.province.ledger import ledger
from queries.province.targets import province_targets

router = APIRouter(prefix="/api/v1", responses=ERRORS)


class TargetLink(_Open):
    chain: str = Field(description="产业链")
    link: str = Field(description="环节")
    status: str = Field(description="现状：strong/weak/missing/broken")


class Host(_Open):
    region: str | None = Field(description="建议承接的市")
    park: str | None = Field(description="建议承接的园区")
    score: float = Field(description="承接地评分")
    reasons: list[str] = Field(description="理由")


class TargetItem(_Open):
    enterprise: str
    enterprise_id: str
    score: float = Field(description="综合评分（补链效果与可达性）")
    links: list[TargetLink] = Field(description="落地后状态会改善的环节")
    local_rate_gain: dict[str, float] = Field(description="各产业链本地配套率的提高（0–1）")
    host: Host | None = Field(description="建议承接地（牵头对接的市与园区）")
    alternatives: list[Host] = Field(description="备选承接地")
    pipeline_stage: str | None = Field(description="已有在谈项目时为“在谈”")
    reasons: list[str]


class TargetsOut(_Open):
    region: str | None
    items: list[TargetItem] = Field(description="全省精准招商目标企业，每家一次")
    excluded: list[dict[str, Any]] = Field(description="已有签约及以后阶段项目、不再列入的企业")


class LedgerOut(_Open):
    items: list[dict[str, Any]] = Field(description="各目标企业最近一次对接，久未对接者 stale")
    no_contact: list[dict[str, Any]] = Field(description="目标清单中尚无对接记录的企业")


class HistoryVersion(_Open):
    version: int
    time: str
    files: list[str]
    local_rate: float
    counts: StatusCounts


class HistoryChange(_Open):
    version: int
    link: str
    before: str | None
    after: str | None


class HistoryOut(_Open):
    chain: str
    region: str | None
    versions: list[HistoryVersion]
    changes: list[HistoryChange]


class AlertItem(_Open):
    kind: str = Field(
        description="link_worse 环节变差 · anchor_left 链主迁出 · anchor_gone 链主消失 · "
        "anchor_revenue 链主营收下滑 · project_stalled 项目停滞 · problem_open 问题久未销号"
    )
    severity: Literal["high", "medium", "low"]
    subject: str
    message: str
    evidence: dict[str, Any] = Field(description="依据：版本、文件、数据来源、数字")


class AlertsOut(_Open):
    items: list[AlertItem]


TopTargets = Annotated[int | None, Query(ge=1, le=2000, description="列出前几家（默认 150）")]
FORMATS = {
    "csv": (province_exports.targets_csv, "text/csv; charset=utf-8"),
    "xlsx": (province_exports.targets_xlsx, XLSX),
}


@router.get(
    "/targets",
    response_model=TargetsOut,
    summary="全省精准招商目标企业清单（JSON、CSV 或 XLSX）",
    description="跨产业链每家企业一次：可补环节、配套率提升、可达性、建议承接地与备选。",
    tags=["精准招商"],
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def targets_route(
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    region: RegionQuery = None,
    top: TopTargets = None,
    format: Annotated[
        Literal["json", "csv", "xlsx"], Query(description="json、csv 或 xlsx")
    ] = "json",
) -> Response:
    params, pparams = settings.analysis(), settings.province_params()
    version, answer = snapshots.versioned(
        ("targets", region, top),
        lambda s: encode(province_targets(store, s, params, pparams, region, top)),
    )
    if format == "json":
        return json_response(answer, version)
    make, media = FORMATS[format]
    data = json.loads(answer)
    body = snapshots.answer(("targets", format, region, top), lambda _: make(data))
    return Response(
        body, media_type=media, headers=attachment(province_exports.title(data), format)
    )


@router.get(
    "/ledger",
    response_model=LedgerOut,
    summary="招商台账：目标企业最近的对接阶段、日期与责任单位",
    tags=["精准招商"],
)
def ledger_route(snapshots: SnapshotsDep, store: StoreDep, settings: SettingsDep) -> Response:
    params, pparams = settings.analysis(), settings.province_params()
    today = pparams.current_date().isoformat()

    def compute(snap: Any) -> Any:
        return ledger(store, snap, pparams, province_targets(store, snap, params, pparams))

    return versioned(snapshots, ("ledger", today), compute)


@router.get(
    "/chains/{chain}/history",
    response_model=HistoryOut,
    summary="产业链历史：各版本本地配套率、强弱缺断计数与环节状态变化",
    description="region 为全省或设区市。",
    tags=["精准招商"],
)
def history_route(
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: ChainPath,
    region: RegionQuery = None,
) -> Response:
    params = settings.analysis()
    return versioned(
        snapshots,
        ("history", chain, region),
        lambda s: chain_history(store, s, chain, region, params),
    )


@router.get(
    "/alerts",
    response_model=AlertsOut,
    summary="预警：环节变差、链主迁出或营收下滑、项目停滞、卡脖子与断点问题久未销号",
    tags=["精准招商"],
)
def alerts_route(
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: Annotated[
        str | None, Query(max_length=100, description="只看这条产业链（默认全部）")
    ] = None,
    region: RegionQuery = None,
) -> Response:
    params, pparams = settings.analysis(), settings.province_params()
    today = pparams.current_date().isoformat()
    return versioned(
        snapshots,
        ("alerts", chain, region, today),
        lambda s: alerts(store, s, params, pparams, chain, region),
    )
