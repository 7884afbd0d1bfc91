"""四图五清单 routes: the five lists (JSON, CSV, XLSX and pages), the 调度 and 销号 views, and
the chain's 技术路线图, 应用领域图 and 区域分布图 (a map of the province drawn by the vendored
ECharts from app/static/geo/jiangxi.json)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.list_exports import cell_text, columns_of, list_csv, list_xlsx
from app.web.deps import ChainPath, LinkQuery, ParamsDep, RegionQuery, SnapshotsDep, StoreDep
from app.web.pages import TEMPLATES, _guarded, _page, _regions
from app.web.responses import cached_json
from app.web.schemas import ERRORS
from app.web.snapshots import Snapshots, encode, plain
from graph_schema.definitions import CLUSTER_LEVELS, PROBLEM_STATUSES, PROBLEM_TYPES
from loaders.sheets import PROJECT_STAGE_INPUTS
from queries.answers import ApplicationsOut, RegionMapOut, RoadmapOut
from queries.applications import applications
from queries.list_views import closing_view, dispatch_view, stage_history
from queries.lists import (
    FILTER_ZH,
    FILTERS,
    LISTS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    ListQuery,
    ListSpec,
    find_list,
    list_book,
    query_list,
)
from queries.region_map import FIGURES, region_map
from queries.roadmap import roadmap
from queries.scope import find_chain
from queries.snapshot import Snapshot
from queries.wording import DEMO_NOTICE, DEMO_SOURCE
from store.base import GraphStore

api = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["四图五清单"])
pages = APIRouter(include_in_schema=False)
TEMPLATES.env.filters["cell"] = cell_text

ListPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=20,
        description="清单：enterprises、projects、clusters、policies、problems 或中文表名",
    ),
]
Text = Annotated[str | None, Query(max_length=100)]


def _filters(request: Request) -> dict[str, str]:
    """Filters are the query parameters named by the lists' filter keys (non-empty ones)."""
    every = {k for keys in FILTERS.values() for k in keys}
    return {k: v for k, v in request.query_params.items() if k in every and v.strip()}


def _book(store: GraphStore, snap: Snapshot) -> Any:
    return list_book(store, snap)


def _answer(
    snapshots: Snapshots, store: GraphStore, sheet: ListSpec, query: ListQuery
) -> tuple[int, dict[str, Any]]:
    version, body = snapshots.versioned(
        ("list", sheet.key, query.key()),
        lambda s: encode(query_list(_book(store, s), s, sheet, query)),
    )
    data: dict[str, Any] = json.loads(body)
    return version, data


@api.get(
    "/lists/projects/dispatch",
    summary="项目清单调度视图：按阶段汇总（个数、亿元），标出历次导入间阶段未变的项目",
)
def dispatch_api(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    group_by: Annotated[
        Literal["chain", "city"], Query(description="按产业链或设区市分组")
    ] = "chain",
) -> Response:
    body = _dispatch(store, snapshots, _filters(request), group_by)
    return Response(body, media_type="application/json")


def _dispatch(
    store: GraphStore, snapshots: Snapshots, filters: dict[str, str], group_by: str
) -> bytes:
    """The 调度 view's JSON, computed once per version (its stage history included)."""
    body: bytes = snapshots.answer(
        ("dispatch", tuple(sorted(filters.items())), group_by),
        lambda s: encode(
            dispatch_view(_book(store, s), s, filters, group_by, stage_history(store))
        ),
    )
    return body


@api.get("/lists/problems/closing", summary="问题清单销号视图：未销号问题按类型与责任单位")
def closing_api(
    request: Request, store: StoreDep, snapshots: SnapshotsDep, params: ParamsDep
) -> Response:
    filters = _filters(request)
    body = snapshots.answer(
        ("closing", tuple(sorted(filters.items()))),
        lambda s: encode(closing_view(_book(store, s), s, filters, params)),
    )
    return Response(body, media_type="application/json")


@api.get(
    "/lists/{list}",
    summary="五清单：筛选、排序、分页，或下载 CSV / XLSX（列与模板一致，可原样导回）",
)
def list_api(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    list: ListPath,
    chain: Text = None,
    link: Text = None,
    region: Text = None,
    local: Text = None,
    tags: Text = None,
    stage: Text = None,
    is_5020: Text = None,
    year: Text = None,
    amount_min: Text = None,
    amount_max: Text = None,
    level: Text = None,
    issuer: Text = None,
    type: Text = None,
    status: Text = None,
    q: Annotated[str | None, Query(max_length=100, description="名称包含")] = None,
    sort: Annotated[str | None, Query(max_length=40, description="列名，前加 - 为降序")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
    format: Literal["json", "csv", "xlsx"] = "json",
) -> Response:
    sheet = find_list(list)
    query = ListQuery(_filters(request), q, sort, page, size)
    if format == "json":
        version, body = snapshots.versioned(
            ("list", sheet.key, query.key()),
            lambda s: encode(query_list(_book(store, s), s, sheet, query)),
        )
        return Response(
            body, media_type="application/json", headers={"X-Chainkg-Version": str(version)}
        )
    return _download(snapshots, store, sheet, query, format)


def _download(
    snapshots: Snapshots, store: GraphStore, sheet: ListSpec, query: ListQuery, fmt: str
) -> Response:
    def build(s: Snapshot) -> bytes:
        data = query_list(_book(store, s), s, sheet, query, paged=False)
        if fmt == "csv":
            return list_csv(sheet, data["items"])
        f = query.filters
        chain = find_chain(s, f["chain"]).name if f.get("chain") else None
        return list_xlsx(
            sheet, data["items"], filters=f, chain=chain, region=f.get("region"), version=s.version
        )

    body = snapshots.answer(("list-file", sheet.key, query.key(), fmt), build)
    name = f"{sheet.zh}.{fmt}"
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@api.get(
    "/chains/{chain}/roadmap",
    response_model=RoadmapOut,
    summary="技术路线图：按成熟度分道，标出卡脖子技术",
)
def roadmap_api(
    request: Request, chain: ChainPath, store: StoreDep, snapshots: SnapshotsDep
) -> Response:
    return cached_json(request, snapshots, lambda s: roadmap(_book(store, s), s, chain))


@api.get(
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
        request, snapshots, lambda s: applications(_book(store, s), s, chain, region, params)
    )


@api.get(
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


# ---- pages ----

CHOICES: dict[str, tuple[str, ...]] = {
    "stage": PROJECT_STAGE_INPUTS,
    "level": CLUSTER_LEVELS,
    "type": PROBLEM_TYPES,
    "status": PROBLEM_STATUSES,
    "local": ("是", "否"),
    "is_5020": ("是", "否"),
}


def _chains(snapshots: Snapshots) -> list[str]:
    from graph_schema.official_order import chain_order

    snap = snapshots.get()
    return sorted((c.name for c in snap.chains.values()), key=chain_order)


def _links(snapshots: Snapshots, chain: str | None) -> list[str]:
    if not chain:
        return []
    snap = snapshots.get()
    try:
        info = find_chain(snap, chain)
    except Exception:  # an unknown chain is reported by the list itself
        return []
    return [snap.links[x].name for x in info.links]


@pages.get("/lists", response_class=HTMLResponse)
@pages.get("/lists/{name}", response_class=HTMLResponse)
def list_page(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    name: str = "enterprises",
    q: Text = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    view: Annotated[Literal["list", "dispatch", "closing"], Query()] = "list",
    group_by: Annotated[Literal["chain", "city"], Query()] = "chain",
) -> HTMLResponse:
    def build() -> HTMLResponse:
        sheet = find_list(name)
        filters = _filters(request)
        query = ListQuery(filters, q, sort, page, PAGE_SIZE)
        _, data = _answer(snapshots, store, sheet, query)
        extra: dict[str, Any] = {}
        snap = snapshots.get()
        if view == "dispatch" and sheet.key == "projects":
            extra["dispatch"] = json.loads(_dispatch(store, snapshots, filters, group_by))
        if view == "closing" and sheet.key == "problems":
            extra["closing"] = closing_view(_book(store, snap), snap, filters, params)
        args = {k: v for k, v in request.query_params.items() if k not in ("page", "format")}
        return _page(
            request,
            "lists.html",
            sheet=sheet,
            lists=list(LISTS.values()),
            columns=columns_of(sheet),
            data=data,
            filters=filters,
            filter_keys=FILTERS[sheet.key],
            filter_zh=FILTER_ZH,
            choices=CHOICES,
            chains=_chains(snapshots),
            links=_links(snapshots, filters.get("chain")),
            regions=_regions(snapshots),
            q=q or "",
            sort=sort or "",
            view=view,
            group_by=group_by,
            pages=max(1, -(-data["total"] // PAGE_SIZE)),
            query=urlencode(args),
            download=urlencode({k: v for k, v in args.items() if k not in ("view", "group_by")}),
            demo_notice=DEMO_NOTICE.format(n=data["demo_rows"]) if data["demo_rows"] else "",
            **extra,
        )

    return _guarded(request, build)


@pages.get("/chains/{chain}/roadmap", response_class=HTMLResponse)
def roadmap_page(
    request: Request, chain: ChainPath, store: StoreDep, snapshots: SnapshotsDep
) -> HTMLResponse:
    def build() -> HTMLResponse:
        snap = snapshots.get()
        data = plain(roadmap(_book(store, snap), snap, chain))
        return _page(
            request,
            "roadmap.html",
            d=data,
            tab="roadmap",
            demo=_demo(_book(store, snap), data["chain_id"]),
        )

    return _guarded(request, build)


@pages.get("/chains/{chain}/applications", response_class=HTMLResponse)
def applications_page(
    request: Request,
    chain: ChainPath,
    store: StoreDep,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    region: RegionQuery = None,
) -> HTMLResponse:
    def build() -> HTMLResponse:
        snap = snapshots.get()
        data = plain(applications(_book(store, snap), snap, chain, region, params))
        return _page(
            request,
            "applications.html",
            d=data,
            tab="applications",
            region=region,
            regions=_regions(snapshots),
            demo=_demo(_book(store, snap), data["chain_id"]),
        )

    return _guarded(request, build)


@pages.get("/chains/{chain}/regions", response_class=HTMLResponse)
def regions_page(
    request: Request,
    chain: ChainPath,
    store: StoreDep,
    snapshots: SnapshotsDep,
    link: LinkQuery = None,
    figure: Annotated[str, Query(max_length=20)] = "firms",
) -> HTMLResponse:
    def build() -> HTMLResponse:
        snap = snapshots.get()
        info = find_chain(snap, chain)
        return _page(
            request,
            "region_map.html",
            d={"chain": info.name, "chain_id": info.id},
            tab="regions",
            link=link or "",
            links=[snap.links[x].name for x in info.links],
            figure=figure if figure in FIGURES else "firms",
            figures=FIGURES,
            demo=_demo(_book(store, snap), info.id),
        )

    return _guarded(request, build)


def _demo(book: Any, chain_id: str) -> str:
    """The 示例数据 notice when rows of the chain (firms, technologies, application fields)
    are marked 示例数据."""
    firms = book.rows["enterprises"]
    n = sum(
        1
        for i in book.by_chain["enterprises"].get(chain_id, ())
        if firms[i].values.get("source") == DEMO_SOURCE
    )
    n += sum(
        1
        for row in (*book.technologies, *book.applications)
        if row["chain"] == chain_id and DEMO_SOURCE in (row.get("sources") or ())
    )
    return DEMO_NOTICE.format(n=n) if n else ""
