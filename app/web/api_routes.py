"""The read routes of the JSON API (/api/v1): the graph, the analyses, the chain maps.

Analyses answer from the snapshot (`app.web.snapshots`); each answer is encoded once per
snapshot version and then served from memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app import exports, maps
from app.web.deps import (
    ChainPath,
    LinkQuery,
    ParamsDep,
    RegionQuery,
    SettingsDep,
    SnapshotsDep,
    StoreDep,
    TopQuery,
)
from app.web.schemas import (
    ERRORS,
    HTML_ERRORS,
    AnchorsOut,
    ChainOut,
    DiagnosisOut,
    NodeOut,
    RecruitOut,
    SearchOut,
    StatsOut,
    WhatIfIn,
    WhatIfOut,
)
from app.web.snapshots import Snapshots, encode
from queries.anchors import rank_anchors
from queries.diagnosis import chain_overview, diagnose
from queries.nodes import node_detail
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.scope import find_chain
from queries.search import search
from queries.snapshot import Snapshot
from queries.stated import with_stated_revenue
from queries.whatif import what_if

router = APIRouter(prefix="/api/v1", responses=ERRORS)


def json_response(body: bytes, version: int | None = None) -> Response:
    """JSON; analyses say which version of the graph answered (X-Chainkg-Version)."""
    headers = {"X-Chainkg-Version": str(version)} if version is not None else None
    return Response(body, media_type="application/json", headers=headers)


def versioned(
    snapshots: Snapshots, key: tuple[Any, ...], compute: Callable[[Snapshot], Any]
) -> Response:
    version, body = snapshots.versioned(key, lambda s: encode(compute(s)))
    return json_response(body, version)


@router.get("/stats", response_model=StatsOut, summary="各类节点与关系的数量", tags=["图谱"])
def stats(store: StoreDep) -> Response:
    return json_response(encode(store.stats()))


@router.get(
    "/search", response_model=SearchOut, summary="中文搜索：节点名称、别名与文档", tags=["图谱"]
)
def search_route(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="搜索词")],
    limit: Annotated[int, Query(ge=1, le=200, description="最多返回条数")] = 20,
) -> Response:
    return json_response(encode(search(store, q, limit, settings.cache_dir)))


@router.get(
    "/nodes/{name:path}",
    response_model=NodeOut,
    summary="查看一个节点：属性、关系与提及它的文档",
    description="按名称、简称、别名或标识查找（如 宜春时代、chain:锂电新能源）。",
    tags=["图谱"],
)
def node(store: StoreDep, name: str) -> Response:
    return json_response(encode(asdict(node_detail(store, name))))


@router.get(
    "/chains",
    response_model=list[ChainOut],
    summary="全部产业链：本地配套率与强弱缺断环节数",
    tags=["产业链"],
)
def chains(snapshots: SnapshotsDep, params: ParamsDep, region: RegionQuery = None) -> Response:
    return versioned(snapshots, ("chains", region), lambda s: chain_overview(s, params, region))


@router.get(
    "/chains/{chain}/diagnosis",
    response_model=DiagnosisOut,
    summary="强链、弱链、缺链、断链诊断",
    description="每个环节的状态与理由、本地企业数、在手项目；summary 给出本地配套率与各状态计数。",
    tags=["产业链"],
)
def diagnosis(
    snapshots: SnapshotsDep,
    params: ParamsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: ChainPath,
    region: RegionQuery = None,
) -> Response:
    return versioned(
        snapshots,
        ("diagnosis", chain, region),
        lambda s: with_stated_revenue(store, diagnose(s, chain, region, params), settings.province),
    )


@router.get(
    "/chains/{chain}/anchors",
    response_model=AnchorsOut,
    summary="链主企业排名（链主指数及其分项）",
    tags=["产业链"],
)
def anchors(
    snapshots: SnapshotsDep,
    params: ParamsDep,
    chain: ChainPath,
    region: RegionQuery = None,
    top: TopQuery = None,
) -> Response:
    return versioned(
        snapshots,
        ("anchors", chain, region, top),
        lambda s: rank_anchors(s, chain, params, region=region, top=top),
    )


@router.get(
    "/chains/{chain}/map",
    response_class=HTMLResponse,
    responses=HTML_ERRORS,
    summary="产业链图（离线 HTML，按诊断状态着色）",
    description="上游→中游→下游排列，细分环节缩进在其上级环节下；enterprises=true 时显示本地企业。",
    tags=["产业链"],
)
def chain_map(
    snapshots: SnapshotsDep,
    params: ParamsDep,
    chain: ChainPath,
    region: RegionQuery = None,
    enterprises: Annotated[bool, Query(description="是否显示本地企业")] = False,
) -> HTMLResponse:
    body = snapshots.answer(
        ("map", chain, region, enterprises),
        lambda s: map_html(s, chain, region, enterprises, params),
    )
    return HTMLResponse(body)


def map_html(
    snap: Snapshot, chain: str, region: str | None, enterprises: bool, params: AnalysisParams
) -> bytes:
    info = find_chain(snap, chain)
    flows = [(src, dst) for src in info.links for dst in snap.links[src].downstream]
    data = diagnose(snap, info.id, region, params)
    return maps.chain_map_html(data, flows, enterprises).encode()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "json": (encode, "application/json"),
    "csv": (exports.recruitment_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.recruitment_xlsx, XLSX),
}


@router.get(
    "/chains/{chain}/recruitment",
    response_model=RecruitOut,
    summary="补链招商目标企业清单（JSON、CSV 或 XLSX）",
    description="目标环节依次为断链、缺链、弱链；每行给出评分与中文理由。format=csv 或 xlsx 时以附件下载。",
    tags=["产业链"],
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def recruitment(
    snapshots: SnapshotsDep,
    params: ParamsDep,
    chain: ChainPath,
    region: RegionQuery = None,
    link: LinkQuery = None,
    top: TopQuery = None,
    format: Annotated[
        Literal["json", "csv", "xlsx"], Query(description="json、csv 或 xlsx")
    ] = "json",
) -> Response:
    make, media = FORMATS[format]
    version, answer = snapshots.versioned(
        ("recruit", chain, region, link, top),
        lambda s: encode(recruit(s, chain, params, region=region, link=link, top=top)),
    )
    if format == "json":
        return json_response(answer, version)
    data = json.loads(answer)
    body = snapshots.answer(("recruit", format, chain, region, link, top), lambda _: make(data))
    return Response(body, media_type=media, headers=attachment(exports.title(data), format))


def attachment(title: str, suffix: str) -> dict[str, str]:
    """A download with a Chinese file name (RFC 6266/5987), and an ASCII fallback.

    >>> attachment("清单", "csv")["Content-Disposition"]
    "attachment; filename=\"chainkg.csv\"; filename*=UTF-8''%E6%B8%85%E5%8D%95.csv"
    """
    name = quote(f"{title}.{suffix}", safe="")
    return {
        "Content-Disposition": f"attachment; filename=\"chainkg.{suffix}\"; filename*=UTF-8''{name}"
    }


@router.post(
    "/chains/{chain}/whatif",
    response_model=WhatIfOut,
    summary="假设分析：引进一家企业或一个项目投产后，哪些环节改变状态、本地配套率如何变化",
    tags=["产业链"],
)
def whatif(
    snapshots: SnapshotsDep, params: ParamsDep, chain: ChainPath, body: WhatIfIn
) -> Response:
    links = tuple(body.links)
    return versioned(
        snapshots,
        ("whatif", chain, body.enterprise, links, body.region),
        lambda s: what_if(s, chain, body.enterprise, params, links, body.region),
    )
