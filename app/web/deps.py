"""What the routes depend on: the store, the snapshots, the analysis parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from app.settings import Settings
from app.web.snapshots import Snapshots
from queries.params import AnalysisParams
from store.base import GraphStore


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_snapshots(request: Request) -> Snapshots:
    snapshots: Snapshots = request.app.state.snapshots
    return snapshots


def get_params(request: Request) -> AnalysisParams:
    params: AnalysisParams = request.app.state.params
    return params


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def analysis_params(settings: Settings) -> AnalysisParams:
    """The settings' thresholds and weights."""
    return settings.analysis()


StoreDep = Annotated[GraphStore, Depends(get_store)]
SnapshotsDep = Annotated[Snapshots, Depends(get_snapshots)]
ParamsDep = Annotated[AnalysisParams, Depends(get_params)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

ChainPath = Annotated[
    str, Path(min_length=1, max_length=100, description="产业链名称或标识，如 锂电新能源")
]
RegionQuery = Annotated[
    str | None,
    Query(max_length=100, description="地区或园区（市、县、园区的名称或标识）；空为全省"),
]
LinkQuery = Annotated[str | None, Query(max_length=100, description="只看这一环节（名称或标识）")]
TopQuery = Annotated[int | None, Query(ge=1, le=1000, description="最多返回条数")]
