"""The web service: the versioned JSON API (/api/v1), the Chinese web UI (/), the offline
API docs (/docs). Everything it serves works with no internet: no page refers to an outside
host.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import maps
from app.settings import Settings
from app.web import api_routes, docs, errors, imports, lists_routes, pages
from app.web.deps import analysis_params
from app.web.snapshots import Snapshots

STATIC = os.path.join(os.path.dirname(__file__), "static")

DESCRIPTION = """\
产业链知识图谱的 JSON 接口：强链、弱链、缺链、断链诊断，链主企业排名，补链招商目标企业清单
（JSON、CSV、XLSX），引进企业的假设分析，产业链图，中文搜索与节点详情。

`{chain}` 可以是产业链名称（锂电新能源）或标识（chain:锂电新能源）；`region` 可以是市、县或园区
的名称或标识，空为全省。错误以 JSON 返回，`detail` 为中文说明；找不到时附 `suggestions`。
写入接口（导入）需要令牌：`Authorization: Bearer <CHAINKG_WRITE_TOKEN>`。
"""


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = settings.open_store()
        app.state.snapshots = Snapshots(app.state.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="chainkg 产业链知识图谱 API",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's Swagger page loads from a CDN; ours is local (app.web.docs)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.params = analysis_params(settings)
    errors.install(app, debug=bool(os.environ.get("CHAINKG_DEBUG")))
    app.mount("/static/vis", StaticFiles(directory=maps.VIS_DIR), name="vis")
    app.mount("/static/swagger", StaticFiles(directory=docs.SWAGGER_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_routes.router)
    app.include_router(imports.router)
    app.include_router(docs.router)
    app.include_router(lists_routes.api)
    app.include_router(lists_routes.pages)
    app.include_router(pages.router)
    return app
