"""The web service: the versioned JSON API (/api/v1), the Chinese web UI (/), the offline
API docs (/docs). Everything it serves works with no internet: no page refers to an outside
host.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import maps
from app.settings import Settings
from app.web import (
    chains_routes,
    docs,
    errors,
    graph_routes,
    imports,
    list_pages,
    lists_routes,
    maps_routes,
    pages,
    province_pages,
    province_routes,
    recruitment_routes,
)
from app.web.deps import analysis_params
from app.web.snapshots import Snapshots
from graph_schema.errors import ChainKGError

STATIC = os.path.join(os.path.dirname(__file__), "static")

DESCRIPTION = """\
产业链知识图谱的 JSON 接口：强链、弱链、缺链、断链诊断，链主企业排名，补链招商目标企业清单
（JSON、CSV、XLSX），引进企业的假设分析，产业链图，中文搜索与节点详情。

`{chain}` 可以是产业链名称（锂电新能源）或标识（chain:锂电新能源）；`region` 可以是市、县或园区
的名称或标识，空为全省。错误以 JSON 返回，`detail` 为中文说明；找不到时附 `suggestions`。
写入接口（导入）需要令牌：`Authorization: Bearer <CHAINKG_WRITE_TOKEN>`。
"""


MIN_TOKEN_CHARS = 16

# Every response: no inline script, no framing (the import page takes the token), no MIME
# sniffing, no full URL sent to other sites. Styles may be inline (templates and vis-network
# set them); scripts come only from /static.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


# The chain map is drawn inside the chain page (an iframe of this origin): it alone may be
# framed, and only by chainkg's own pages.
FRAMEABLE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"].replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    ),
    "X-Frame-Options": "SAMEORIGIN",
}
_MAP_PATH = re.compile(r"^/api/v1/chains/[^/]+/map$")


class SecurityHeaders:
    """The security headers on every response. Plain ASGI rather than `@app.middleware`:
    Starlette's BaseHTTPMiddleware hides a client's disconnect from the routes, and an import
    must see it to stop."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = FRAMEABLE_HEADERS if _MAP_PATH.match(scope["path"]) else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _App(FastAPI):
    """FastAPI with the security headers outside everything else, Starlette's
    ServerErrorMiddleware included: a 500 (which that middleware answers, outside the
    user middleware) carries them as well as every other response."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def check_settings(settings: Settings) -> None:
    """Refuses to serve with settings that would be unsafe."""
    token = settings.write_token
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise ChainKGError(
            f"写入令牌 CHAINKG_WRITE_TOKEN 过短（{len(token)} 个字符）："
            f"至少 {MIN_TOKEN_CHARS} 个字符，服务未启动"
        )


def create_app(settings: Settings) -> FastAPI:
    check_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        imports.clean_uploads(settings)
        app.state.store = settings.open_store()
        app.state.snapshots = Snapshots(app.state.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = _App(
        title="chainkg 产业链知识图谱 API",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # FastAPI's Swagger page loads from a CDN; ours is local (app.web.docs)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.params = analysis_params(settings)
    errors.install(app, debug=settings.debug)

    app.mount("/static/vis", StaticFiles(directory=maps.VIS_DIR), name="vis")
    app.mount("/static/swagger", StaticFiles(directory=docs.SWAGGER_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(graph_routes.router)
    app.include_router(chains_routes.router)
    app.include_router(recruitment_routes.router)
    app.include_router(province_routes.router)
    app.include_router(imports.router)
    app.include_router(docs.router)
    app.include_router(province_pages.router)
    app.include_router(lists_routes.router)
    app.include_router(maps_routes.router)
    app.include_router(list_pages.router)
    app.include_router(pages.router)
    return app
