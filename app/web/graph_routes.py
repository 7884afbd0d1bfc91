"""The graph itself over the JSON API: counts, search, one node."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.web.deps import SettingsDep, StoreDep
from app.web.responses import json_response
from app.web.schemas import ERRORS, StatsOut
from app.web.snapshots import encode
from queries.answers import SearchOut
from queries.nodes import NodeDetail, node_detail
from queries.search import search

router = APIRouter(prefix="/api/v1", responses=ERRORS, tags=["图谱"])


@router.get("/stats", response_model=StatsOut, summary="各类节点与关系的数量")
def stats(store: StoreDep) -> Response:
    return json_response(encode(store.stats()))


@router.get("/search", response_model=SearchOut, summary="中文搜索：节点名称、别名与文档")
def search_route(
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="搜索词")],
    limit: Annotated[int, Query(ge=1, le=200, description="最多返回条数")] = 20,
) -> Response:
    return json_response(encode(search(store, q, limit, settings.cache_dir)))


@router.get(
    "/nodes/{name:path}",
    response_model=NodeDetail,
    summary="查看一个节点：属性、关系与提及它的文档",
    description="按名称、简称、别名或标识查找（如 宜春时代、chain:锂电新能源）。",
)
def node(store: StoreDep, name: str) -> Response:
    return json_response(encode(node_detail(store, name)))
