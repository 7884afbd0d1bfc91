"""The 调度 view marks the projects whose stage has not changed across loads, in each store.

Fixture (tests/fixtures/dispatch/README.md): tests/fixtures/province/v1 then
tests/fixtures/dispatch/v2. 京签约正极材料项目 moves 签约 → 开工 (not marked); 锂盐扩产项目 stays 在谈
(marked, since version 1, through one later load)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.importing import run_import
from app.settings import Settings
from queries.list_models import DispatchItem, DispatchView
from queries.list_views import dispatch_view, stage_history
from queries.lists import list_book
from queries.snapshot import build_snapshot
from store.base import GraphStore
from tests.app.live_server import load, serve
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

V1 = FIXTURES / "province" / "v1"
V2 = FIXTURES / "dispatch" / "v2"


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[pytest.mark.neo4j, pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置")],
        ),
    ],
)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, GraphStore]]:
    settings = Settings(db=tmp_path_factory.mktemp("dispatch") / "kg.db")
    if request.param == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = settings.open_store()
    yield settings, store
    store.close()


def _view(store: GraphStore) -> DispatchView:
    snap = build_snapshot(store)
    return dispatch_view(list_book(store, snap), snap, {}, "chain", stage_history(store))


def _items(view: DispatchView) -> dict[str, DispatchItem]:
    return {i.name: i for g in view.groups for i in g.items}


def test_one_load_marks_nothing_then_a_second_marks_the_project_that_stood_still(
    loaded: tuple[Settings, GraphStore],
) -> None:
    settings, store = loaded
    assert stage_history(store) is None  # nothing recorded yet
    run_import(store, [V1], settings)
    first = _view(store)
    assert first.history_version == 1
    assert {n: i.unchanged for n, i in _items(first).items()} == {
        "京签约正极材料项目": None,
        "锂盐扩产项目": None,
    }
    assert first.total.unchanged == 0

    run_import(store, [V2], settings)
    second = _view(store)
    assert second.history_version == 2
    items = _items(second)
    assert items["京签约正极材料项目"].stage == "开工"
    assert items["京签约正极材料项目"].unchanged is None  # its stage moved
    still = items["锂盐扩产项目"]
    assert still.stage == "在谈"
    assert still.unchanged is not None
    assert (still.unchanged.since_version, still.unchanged.versions) == (1, 1)
    assert len(still.unchanged.since) == 10  # the day of version 1, YYYY-MM-DD
    assert second.total.unchanged == 1
    assert [(g.name, g.unchanged) for g in second.groups] == [("锂电新能源", 1)]

    # the same load again changes nothing: no new version, the marks stay as they are
    run_import(store, [V2], settings)
    assert _items(_view(store))["锂盐扩产项目"].unchanged == still.unchanged


def test_the_page_and_the_api_mark_it(tmp_path: Path) -> None:
    """`chainkg serve` over real HTTP on the two loads (the embedded store)."""
    db = tmp_path / "kg.db"
    load(db, V1)
    load(db, V2)
    with serve(db) as url:
        html = httpx.get(f"{url}/lists/projects", params={"view": "dispatch"}, timeout=30).text
        api = httpx.get(f"{url}/api/v1/lists/projects/dispatch", timeout=30).json()
    assert api["total"]["unchanged"] == 1
    still = html.split("锂盐扩产项目")[0].rsplit("<tr", 1)[1]
    assert "unchanged" in still.split(">")[0]  # the row is highlighted
    assert "阶段未变" in html.split("锂盐扩产项目")[1].split("</tr>")[0]
    moved = html.split("京签约正极材料项目")[0].rsplit("<tr", 1)[1]
    assert "unchanged" not in moved.split(">")[0]
    assert "共 1 个；当前为第 2 版" in html
