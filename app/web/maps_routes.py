"""The chain's maps drawn from the lists over the JSON API: 技术路线图, 应用领域图 and
区域分布图 (a map of the province, drawn on its page by the vendored ECharts)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.web.deps import ChainPath, LinkQuery, ParamsDep, RegionQuery, SnapshotsDep, StoreDep
from app.web.lists_routes import book_of
from app.web.responses import cached_json
from app.web.schemas import ERRORS
from queries.answers import ApplicationsOut, RegionMapOut, RoadmapOut
from queries.applications import applications
from queries.region_map import region_map
from queries.roadmap import roadmap

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["四图五清单"])


@router.get(
    "/chains/{chain}/roadmap",
    response_model=RoadmapOut,
    summary="技术路线图：按成熟度分道，标出卡脖子技术",
)
def roadmap_api(
    request: Request, chain: ChainPath, store: StoreDep, snapshots: SnapshotsDep
) -> Response:
    return cached_json(request, snapshots, lambda s: roadmap(book_of(store, s), s, chain))


@router.get(
    "/chains/{chain}/applications",
    response_model=ApplicationsOut,
    summary="应用领域图：各应用领域的供给环节与卡点",
)
def applications_api(
    request: Request,
    chain: ChainPath,
    store: StoreDep,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    region: RegionQuery = None,
) -> Response:
    return cached_json(
        request, snapshots, lambda s: applications(book_of(store, s), s, chain, region, params)
    )


@router.get(
    "/chains/{chain}/regions",
    response_model=RegionMapOut,
    summary="区域分布图：各设区市、县的企业数、营收、本地配套率、环节状态",
)
def regions_api(
    request: Request,
    chain: ChainPath,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    link: LinkQuery = None,
) -> Response:
    return cached_json(request, snapshots, lambda s: region_map(s, params, chain, link))
