"""The province-wide routes of the JSON API: targets, 招商台账, history, alerts.

Answers are computed once per graph version (and, for the ledger and alerts, per day, since
they count days) and then served from memory, as the other analyses.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app import province_exports
from app.web.deps import ChainPath, RegionQuery, SettingsDep, SnapshotsDep, StoreDep
from app.web.responses import XLSX, attachment, json_response, versioned
from app.web.schemas import ERRORS
from app.web.snapshots import encode
from queries.province.alerts import alerts
from queries.province.history import chain_history
from queries.province.ledger import ledger
from queries.province.models import Alerts, History, Ledger, TargetList
from queries.province.targets import province_targets

router = APIRouter(prefix="/api/v1", responses=ERRORS)


TopTargets = Annotated[int | None, Query(ge=1, le=2000, description="列出前几家（默认 150）")]
FORMATS = {
    "csv": (province_exports.targets_csv, "text/csv; charset=utf-8"),
    "xlsx": (province_exports.targets_xlsx, XLSX),
}


@router.get(
    "/targets",
    response_model=TargetList,
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
        lambda s: encode(
            province_targets(store, s, params, pparams, region, top).model_dump(mode="json")
        ),
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
    response_model=Ledger,
    summary="招商台账：目标企业最近的对接阶段、日期与责任单位",
    tags=["精准招商"],
)
def ledger_route(snapshots: SnapshotsDep, store: StoreDep, settings: SettingsDep) -> Response:
    params, pparams = settings.analysis(), settings.province_params()
    today = pparams.current_date().isoformat()

    def compute(snap: Any) -> Any:
        targets = province_targets(store, snap, params, pparams)
        return ledger(store, snap, pparams, targets).model_dump(mode="json")

    return versioned(snapshots, ("ledger", today), compute)


@router.get(
    "/chains/{chain}/history",
    response_model=History,
    summary="产业链历史：各版本本地配套率、强弱缺断计数与环节状态变化",
    description="region 为全省、市、县或园区。",
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
        lambda s: chain_history(store, s, chain, region, params).model_dump(mode="json"),
    )


@router.get(
    "/alerts",
    response_model=Alerts,
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
        lambda s: alerts(store, s, params, pparams, chain, region).model_dump(mode="json"),
    )
