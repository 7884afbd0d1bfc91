"""The chains over the JSON API: the overview, a chain's diagnosis, its 链主 and its map.

Analyses answer from the snapshot (`app.web.snapshots`); each answer is encoded once per
snapshot version and request, then served from memory.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app import maps
from app.web.deps import (
    ChainPath,
    ParamsDep,
    RegionQuery,
    SettingsDep,
    SnapshotsDep,
    StoreDep,
    TopQuery,
)
from app.web.responses import cached_json, request_key
from app.web.schemas import ERRORS, HTML_ERRORS
from queries.anchors import rank_anchors
from queries.answers import AnchorsOut, ChainOut, DiagnosisOut
from queries.diagnosis import chain_overview, diagnose
from queries.params import AnalysisParams
from queries.scope import find_chain
from queries.snapshot import Snapshot
from queries.stated import with_stated_revenue

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["产业链"])


@router.get(
    "/chains",
    response_model=list[ChainOut],
    summary="全部产业链：本地配套率与强弱缺断环节数",
)
def chains(
    request: Request, snapshots: SnapshotsDep, params: ParamsDep, region: RegionQuery = None
) -> Response:
    return cached_json(request, snapshots, lambda s: chain_overview(s, params, region))


@router.get(
    "/chains/{chain}/diagnosis",
    response_model=DiagnosisOut,
    summary="强链、弱链、缺链、断链诊断",
    description="每个环节的状态与理由、本地企业数、在手项目；summary 给出本地配套率与各状态计数。",
)
def diagnosis(
    request: Request,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: ChainPath,
    region: RegionQuery = None,
) -> Response:
    return cached_json(
        request,
        snapshots,
        lambda s: with_stated_revenue(store, diagnose(s, chain, region, params), settings.province),
    )


@router.get(
    "/chains/{chain}/anchors",
    response_model=AnchorsOut,
    summary="链主企业排名（链主指数及其分项）",
)
def anchors(
    request: Request,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    chain: ChainPath,
    region: RegionQuery = None,
    top: TopQuery = None,
) -> Response:
    return cached_json(
        request, snapshots, lambda s: rank_anchors(s, chain, params, region=region, top=top)
    )


@router.get(
    "/chains/{chain}/map",
    response_class=HTMLResponse,
    responses=HTML_ERRORS,
    summary="产业链图（离线 HTML，按诊断状态着色）",
    description="上游→中游→下游排列，细分环节缩进在其上级环节下；enterprises=true 时显示本地企业。",
)
def chain_map(
    request: Request,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    chain: ChainPath,
    region: RegionQuery = None,
    enterprises: Annotated[bool, Query(description="是否显示本地企业")] = False,
) -> HTMLResponse:
    body = snapshots.answer(
        request_key(request), lambda s: map_html(s, chain, region, enterprises, params)
    )
    return HTMLResponse(body)


def map_html(
    snap: Snapshot, chain: str, region: str | None, enterprises: bool, params: AnalysisParams
) -> bytes:
    info = find_chain(snap, chain)
    flows = [(src, dst) for src in info.links for dst in snap.links[src].downstream]
    data = diagnose(snap, info.id, region, params).model_dump(mode="json")
    return maps.chain_map_html(data, flows, enterprises).encode()
