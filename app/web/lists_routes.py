"""五清单 over the JSON API: each list (JSON, CSV or XLSX, in the template's columns), the
项目清单's 调度 view and the 问题清单's 销号 view. Every answer comes from the one response
cache of `app.web.responses`, keyed from the request."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.list_exports import list_csv, list_xlsx
from app.web.deps import ParamsDep, SnapshotsDep, StoreDep
from app.web.responses import XLSX, cached_json, request_key
from app.web.schemas import ERRORS
from queries.list_models import ClosingView, DispatchView, ListAnswer
from queries.list_views import closing_view, dispatch_view, stage_history
from queries.lists import (
    FILTERS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    ListBook,
    ListQuery,
    find_list,
    list_book,
    query_list,
)
from queries.scope import find_chain
from queries.snapshot import Snapshot
from store.base import GraphStore

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["四图五清单"])

ListPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=20,
        description="清单：enterprises、projects、clusters、policies、problems 或中文表名",
    ),
]
Text = Annotated[str | None, Query(max_length=100)]
FILTER_KEYS = frozenset(k for keys in FILTERS.values() for k in keys)


def request_filters(request: Request) -> dict[str, str]:
    """Filters are the query parameters named by the lists' filter keys (non-empty ones)."""
    return {k: v for k, v in request.query_params.items() if k in FILTER_KEYS and v.strip()}


def book_of(store: GraphStore, snap: Snapshot) -> ListBook:
    """The lists of the store at the snapshot's version (read once per version)."""
    return list_book(store, snap)


@router.get(
    "/lists/projects/dispatch",
    response_model=DispatchView,
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
    filters = request_filters(request)
    return cached_json(
        request,
        snapshots,
        lambda s: dispatch_view(book_of(store, s), s, filters, group_by, stage_history(store)),
    )


@router.get(
    "/lists/problems/closing",
    response_model=ClosingView,
    summary="问题清单销号视图：未销号问题按类型与责任单位",
)
def closing_api(
    request: Request, store: StoreDep, snapshots: SnapshotsDep, params: ParamsDep
) -> Response:
    filters = request_filters(request)
    return cached_json(
        request, snapshots, lambda s: closing_view(book_of(store, s), s, filters, params)
    )


@router.get(
    "/lists/{list}",
    response_model=ListAnswer,
    summary="五清单：筛选、排序、分页，或下载 CSV / XLSX（列与模板一致，可原样导回）",
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
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
    query = ListQuery(request_filters(request), q, sort, page, size)
    if format == "json":
        return cached_json(
            request, snapshots, lambda s: query_list(book_of(store, s), s, sheet, query)
        )

    def build(s: Snapshot) -> bytes:
        items = query_list(book_of(store, s), s, sheet, query, paged=False).items
        if format == "csv":
            return list_csv(sheet, items)
        f = query.filters
        chain = find_chain(s, f["chain"]).name if f.get("chain") else None
        return list_xlsx(
            sheet, items, filters=f, chain=chain, region=f.get("region"), version=s.version
        )

    body: bytes = snapshots.answer(request_key(request), build)
    media = "text/csv; charset=utf-8" if format == "csv" else XLSX
    disposition = f"attachment; filename*=UTF-8''{quote(f'{sheet.zh}.{format}')}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
