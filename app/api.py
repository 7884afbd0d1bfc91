"""The JSON API (versioned under /api/v1). This foundation serves the read routes of the
graph itself; the analyses and the web UI are added by their own modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from app.settings import Settings
from graph_schema.errors import ChainKGError, InputError, NotFoundError
from queries.nodes import node_detail
from queries.search import search
from store.base import GraphStore


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = settings.open_store()
        try:
            yield
        finally:
            app.state.store.close()

    # The bundled Swagger page loads its script from a CDN: off until it is served locally.
    app = FastAPI(
        title="chainkg 产业链知识图谱 API",
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    _errors(app)
    _routes(app)
    return app


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def _routes(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/api/v1/stats")

    @app.get("/api/v1/stats", summary="各类节点与关系的数量")
    def stats(store: StoreDep) -> dict[str, dict[str, int]]:
        return store.stats()

    @app.get("/api/v1/search", summary="中文搜索：节点名称、别名与文档")
    def search_route(
        request: Request,
        store: StoreDep,
        q: Annotated[str, Query(min_length=1, max_length=100, description="搜索词")],
        limit: Annotated[int, Query(ge=1, le=200, description="最多返回条数")] = 20,
    ) -> dict[str, Any]:
        return search(store, q, limit, request.app.state.settings.cache_dir)

    @app.get("/api/v1/nodes/{name}", summary="查看一个节点：属性、关系与提及它的文档")
    def node(store: StoreDep, name: str) -> dict[str, Any]:
        return asdict(node_detail(store, name))

    @app.get("/api/v1/chains", summary="全部产业链")
    def chains(store: StoreDep) -> list[dict[str, Any]]:
        return [
            {"id": n.id, "name": n.name, "industry": n.props.get("industry")}
            for n in store.iter_nodes("Chain")
        ]


def _errors(app: FastAPI) -> None:
    @app.exception_handler(ChainKGError)
    async def chainkg_error(request: Request, exc: ChainKGError) -> JSONResponse:
        status = (
            404 if isinstance(exc, NotFoundError) else 422 if isinstance(exc, InputError) else 503
        )
        body: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, NotFoundError):
            body["suggestions"] = exc.suggestions
        return JSONResponse(body, status_code=status)
