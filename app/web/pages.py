"""The Chinese web UI: server-rendered pages over the same answers the JSON API sends."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from app.web import overview
from app.web.deps import ParamsDep, RegionQuery, SettingsDep, SnapshotsDep, StoreDep
from app.web.profiles import PAGE_RECRUITS, ProfileBuilder
from app.web.snapshots import Snapshots, answer_key, plain
from graph_schema.errors import ChainKGError
from loaders.template import write_template
from queries.anchors import rank_anchors
from queries.diagnosis import diagnose, region_options
from queries.nodes import node_detail
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.search import search
from queries.stated import stated_revenue
from queries.wording import STATUS_ZH

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["STATUS_ZH"] = STATUS_ZH
TEMPLATES.env.filters["pct"] = lambda v: f"{(v or 0) * 100:.1f}%"
TEMPLATES.env.filters["yi"] = lambda v: "—" if v is None else f"{v:,.2f}".rstrip("0").rstrip(".")

router = APIRouter(include_in_schema=False)


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status)


def _guarded(
    request: Request, build: Callable[[], HTMLResponse], suggest_prefix: str = "/search?q="
) -> HTMLResponse:
    """The page, or the error page with the Chinese message, the right status and links to
    the names it suggests."""
    try:
        return build()
    except ChainKGError as exc:
        from app.web.errors import chainkg_body, status_of

        body = chainkg_body(exc)
        return _page(
            request,
            "error.html",
            status_of(exc),
            message=body["detail"],
            suggestions=body.get("suggestions", []),
            suggest_prefix=suggest_prefix,
        )


def _regions(snapshots: Snapshots) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = snapshots.plain(answer_key(region_options), region_options)
    return data


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    settings: SettingsDep,
    store: StoreDep,
    region: RegionQuery = None,
) -> HTMLResponse:
    def build() -> HTMLResponse:
        chains = overview.chain_rows(snapshots, params, region)
        broken = overview.gaps(snapshots, params, chains, region)
        pipeline = snapshots.plain(
            answer_key(overview.pipeline_numbers, region),
            lambda s: overview.pipeline_numbers(s, params, region),
        )
        matrix = (
            None
            if region
            else overview.city_matrix(
                snapshots,
                params,
                chains,
                settings.overview_rate_good,
                settings.overview_rate_fair,
            )
        )
        return _page(
            request,
            "home.html",
            chains=chains,
            gaps=broken,
            pipeline=pipeline,
            matrix=matrix,
            good=settings.overview_rate_good,
            fair=settings.overview_rate_fair,
            region=region or "",
            regions=_regions(snapshots),
            stats=store.stats(),
        )

    return _guarded(request, build)


@router.get("/chains/{chain}", response_class=HTMLResponse)
def chain_page(
    request: Request,
    snapshots: SnapshotsDep,
    params: ParamsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: str,
    region: RegionQuery = None,
) -> HTMLResponse:
    def build() -> HTMLResponse:
        data = _chain_data(snapshots, params, chain, region)
        diagnosis = data["diagnosis"]  # shared by every request: copied where it changes
        stated = stated_revenue(
            store, diagnosis["chain_id"], diagnosis["region"], settings.province
        )
        summary = {**diagnosis["summary"], "stated_revenue": plain(stated)}
        data["diagnosis"] = {**diagnosis, "summary": summary}
        return _page(
            request, "chain.html", region=region or "", regions=_regions(snapshots), **data
        )

    return _guarded(request, build, "/chains/" if not region else "/search?q=")


def _chain_data(
    snapshots: Snapshots, params: AnalysisParams, chain: str, region: str | None
) -> dict[str, Any]:
    diagnosis = snapshots.plain(
        answer_key(diagnose, chain, region), lambda s: diagnose(s, chain, region, params)
    )
    anchors = snapshots.plain(
        answer_key(rank_anchors, chain, region),
        lambda s: rank_anchors(s, chain, params, region=region),
    )
    recruitment = snapshots.plain(
        answer_key(recruit, chain, region, PAGE_RECRUITS),
        lambda s: recruit(s, chain, params, region=region, top=PAGE_RECRUITS),
    )
    return {
        "diagnosis": diagnosis,
        "anchors": anchors,
        "recruitment": recruitment,
        "page_recruits": PAGE_RECRUITS,
    }


@router.get("/nodes/{name:path}", response_class=HTMLResponse)
def node_page(
    request: Request, store: StoreDep, snapshots: SnapshotsDep, params: ParamsDep, name: str
) -> HTMLResponse:
    def build() -> HTMLResponse:
        detail = node_detail(store, name)
        profile = ProfileBuilder(store, snapshots, params).build(detail)
        return _page(request, "node.html", p=profile, x=profile.extra, node=plain(detail))

    return _guarded(request, build)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    def build() -> HTMLResponse:
        found = search(store, q, 50, settings.cache_dir) if q.strip() else None
        return _page(request, "search.html", q=q, found=found)

    return _guarded(request, build)


TEMPLATE_FILE = "四图五清单数据填报模板.xlsx"


@router.get("/import/template.xlsx")
def import_template() -> Response:
    """The blank 四图五清单 workbook (the same file as `chainkg template`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        write_template(path)
        body = path.read_bytes()
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(TEMPLATE_FILE)}"},
    )


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    return _page(
        request,
        "import.html",
        enabled=bool(settings.write_token),
        max_mb=settings.max_upload_mb,
    )
