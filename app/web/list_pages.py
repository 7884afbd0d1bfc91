"""四图五清单 pages: the five lists (with the 调度 and 销号 views) and the chain's 技术路线图,
应用领域图 and 区域分布图, over the same typed answers the JSON API sends."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.list_exports import cell_text, columns_of
from app.web.deps import ChainPath, LinkQuery, ParamsDep, RegionQuery, SnapshotsDep, StoreDep
from app.web.lists_routes import Text, book_of, request_filters
from app.web.pages import TEMPLATES, _guarded, _page, _regions
from app.web.snapshots import Snapshots, answer_key
from graph_schema.definitions import CLUSTER_LEVELS, PROBLEM_STATUSES, PROBLEM_TYPES
from graph_schema.errors import ChainKGError
from graph_schema.official_order import chain_order
from loaders.sheets import PROJECT_STAGE_INPUTS
from queries.applications import applications
from queries.list_models import ClosingView, DispatchView, ListAnswer
from queries.list_views import closing_view, dispatch_view, stage_history
from queries.lists import (
    FILTER_ZH,
    FILTERS,
    LISTS,
    PAGE_SIZE,
    ListBook,
    ListQuery,
    find_list,
    query_list,
)
from queries.region_map import FIGURES
from queries.roadmap import roadmap
from queries.scope import find_chain
from queries.wording import DEMO_NOTICE, DEMO_SOURCE

router = APIRouter(include_in_schema=False)
TEMPLATES.env.filters["cell"] = cell_text

CHOICES: dict[str, tuple[str, ...]] = {
    "stage": PROJECT_STAGE_INPUTS,
    "level": CLUSTER_LEVELS,
    "type": PROBLEM_TYPES,
    "status": PROBLEM_STATUSES,
    "local": ("是", "否"),
    "is_5020": ("是", "否"),
}


def _chains(snapshots: Snapshots) -> list[str]:
    snap = snapshots.get()
    return sorted((c.name for c in snap.chains.values()), key=chain_order)


def _links(snapshots: Snapshots, chain: str | None) -> list[str]:
    if not chain:
        return []
    snap = snapshots.get()
    try:
        info = find_chain(snap, chain)
    except ChainKGError:  # an unknown chain is reported by the list itself
        return []
    return [snap.links[x].name for x in info.links]


@router.get("/lists", response_class=HTMLResponse)
@router.get("/lists/{name}", response_class=HTMLResponse)
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
        filters = request_filters(request)
        query = ListQuery(filters, q, sort, page, PAGE_SIZE)
        data: ListAnswer = snapshots.answer(
            answer_key(query_list, sheet.key, query.key()),
            lambda s: query_list(book_of(store, s), s, sheet, query),
        )
        dispatch: DispatchView | None = None
        closing: ClosingView | None = None
        chosen = tuple(sorted(filters.items()))
        if view == "dispatch" and sheet.key == "projects":
            dispatch = snapshots.answer(
                answer_key(dispatch_view, chosen, group_by),
                lambda s: dispatch_view(
                    book_of(store, s), s, filters, group_by, stage_history(store)
                ),
            )
        if view == "closing" and sheet.key == "problems":
            closing = snapshots.answer(
                answer_key(closing_view, chosen),
                lambda s: closing_view(book_of(store, s), s, filters, params),
            )
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
            pages=max(1, -(-data.total // PAGE_SIZE)),
            query=urlencode(args),
            download=urlencode({k: v for k, v in args.items() if k not in ("view", "group_by")}),
            demo_notice=DEMO_NOTICE.format(n=data.demo_rows) if data.demo_rows else "",
            dispatch=dispatch,
            closing=closing,
        )

    return _guarded(request, build)


@router.get("/chains/{chain}/roadmap", response_class=HTMLResponse)
def roadmap_page(
    request: Request, chain: ChainPath, store: StoreDep, snapshots: SnapshotsDep
) -> HTMLResponse:
    def build() -> HTMLResponse:
        data = snapshots.plain(
            answer_key(roadmap, chain), lambda s: roadmap(book_of(store, s), s, chain)
        )
        demo = _demo(book_of(store, snapshots.get()), data["chain_id"])
        return _page(request, "roadmap.html", d=data, tab="roadmap", demo=demo)

    return _guarded(request, build)


@router.get("/chains/{chain}/applications", response_class=HTMLResponse)
def applications_page(
    request: Request,
    chain: ChainPath,
    store: StoreDep,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    region: RegionQuery = None,
) -> HTMLResponse:
    def build() -> HTMLResponse:
        data = snapshots.plain(
            answer_key(applications, chain, region),
            lambda s: applications(book_of(store, s), s, chain, region, params),
        )
        return _page(
            request,
            "applications.html",
            d=data,
            tab="applications",
            region=region,
            regions=_regions(snapshots),
            demo=_demo(book_of(store, snapshots.get()), data["chain_id"]),
        )

    return _guarded(request, build)


@router.get("/chains/{chain}/regions", response_class=HTMLResponse)
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
            demo=_demo(book_of(store, snap), info.id),
        )

    return _guarded(request, build)


def _demo(book: ListBook, chain_id: str) -> str:
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
        if row.chain == chain_id and DEMO_SOURCE in row.sources
    )
    return DEMO_NOTICE.format(n=n) if n else ""
