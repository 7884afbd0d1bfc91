"""/docs: the OpenAPI document in Swagger UI, served from the `swagger-ui-bundle` package
(Apache-2.0) instead of FastAPI's CDN page.

The bundled Swagger UI (4.x) reads OpenAPI 3.0 documents; FastAPI writes 3.1 using only
constructs 3.0 readers display, so the page hands Swagger UI the document labelled 3.0.3.
`/openapi.json` itself is unchanged. The validator badge (an outside host) is off.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>chainkg 接口文档</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<style>
  body { margin: 0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
  .top { background: #1a3a5c; color: #fff; padding: 10px 24px; font-size: 15px; }
  .top a { color: #cfe3f7; margin-right: 16px; text-decoration: none; }
  .swagger-ui .topbar { display: none; }
</style>
</head>
<body>
<div class="top"><a href="/">← 返回 chainkg 首页</a>接口文档（OpenAPI：<a href="/openapi.json">/openapi.json</a>）</div>
<div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs_page() -> HTMLResponse:
    return HTMLResponse(PAGE)
