"""Recruitment over the JSON API: the 补链招商 list (JSON, CSV, XLSX) and the what-if."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app import exports
from app.web.deps import ChainPath, LinkQuery, ParamsDep, RegionQuery, SnapshotsDep, TopQuery
from app.web.responses import XLSX, attachment, cached_json, request_key
from app.web.schemas import ERRORS, WhatIfIn
from queries.answers import RecruitOut, WhatIfOut
from queries.recruitment import recruit
from queries.snapshot import Snapshot
from queries.whatif import what_if

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["产业链"])

FILES = {
    "csv": (exports.recruitment_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.recruitment_xlsx, XLSX),
}


@router.get(
    "/chains/{chain}/recruitment",
    response_model=RecruitOut,
    summary="补链招商目标企业清单（JSON、CSV 或 XLSX）",
    description="目标环节依次为断链、缺链、弱链；每行给出评分与中文理由。format=csv 或 xlsx 时以附件下载。",
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
    request: Request,
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
    def answer(s: Snapshot) -> RecruitOut:
        return recruit(s, chain, params, region=region, link=link, top=top)

    if format == "json":
        return cached_json(request, snapshots, answer)
    make, media = FILES[format]

    def file(s: Snapshot) -> tuple[str, bytes]:
        data = answer(s).model_dump(mode="json")
        return exports.title(data), make(data)

    title, body = snapshots.answer(request_key(request), file)
    return Response(body, media_type=media, headers=attachment(title, format))


@router.post(
    "/chains/{chain}/whatif",
    response_model=WhatIfOut,
    summary="假设分析：引进一家企业或一个项目投产后，哪些环节改变状态、本地配套率如何变化",
    responses={400: {"description": "请求体无法解析（如不是 UTF-8 编码）"}},
)
def whatif(
    request: Request, snapshots: SnapshotsDep, params: ParamsDep, chain: ChainPath, body: WhatIfIn
) -> Response:
    return cached_json(
        request,
        snapshots,
        lambda s: what_if(s, chain, body.enterprise, params, tuple(body.links), body.region),
        body,
    )
