"""五清单 views, the 调度 and 销号 views, 技术路线图, 应用领域图 and the region map, on the
hand-made fixture tests/fixtures/lists (two chains: 示例电池 原料 → 材料 → 电芯 and 示例光伏
硅料 → 组件; five firms, three projects, two clusters, two policies, three problems, three
technologies, two application fields), in each store. The expected rows can be read off the
CSV files. Round trip: every list exported and loaded back changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.importing import run_import
from app.list_exports import SHEETS, list_csv, list_xlsx
from app.settings import Settings
from graph_schema.errors import InputError, NotFoundError
from queries.applications import applications
from queries.list_models import EnterpriseItem, LinkState, ListAnswer, StageFigure
from queries.list_views import closing_view, dispatch_view
from queries.lists import ITEMS, LISTS, ListQuery, build_book, find_list, query_list
from queries.params import AnalysisParams
from queries.region_map import region_map
from queries.roadmap import roadmap
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

LISTS_FIXTURE = FIXTURES / "lists"
STORES = [
    "sqlite",
    pytest.param(
        "neo4j",
        marks=[pytest.mark.neo4j, pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置")],
    ),
]


def _open(backend: str, folder: Path) -> tuple[Settings, GraphStore]:
    settings = Settings(db=folder / "lists.db")
    if backend == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = settings.open_store()
    run_import(store, [LISTS_FIXTURE], settings, None)
    return settings, store


@pytest.fixture(scope="module", params=STORES)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, GraphStore]]:
    settings, store = _open(request.param, tmp_path_factory.mktemp("lists"))
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def snap(loaded: tuple[Settings, GraphStore]) -> Snapshot:
    return build_snapshot(loaded[1])


@pytest.fixture(scope="module")
def book(loaded: tuple[Settings, GraphStore], snap: Snapshot) -> Any:
    return build_book(loaded[1], snap)


def names(book: Any, snap: Snapshot, key: str, **filters: str) -> list[str]:
    data = query_list(book, snap, LISTS[key], ListQuery(filters), paged=False)
    first = LISTS[key].columns[0]
    return sorted(getattr(item, first) for item in data.items)


@pytest.mark.parametrize(
    ("key", "filters", "expected"),
    [
        (
            "enterprises",
            {},
            [
                "丁外省电池股份有限公司",
                "丙电芯有限公司",
                "乙材料有限公司",
                "戊硅料有限公司",
                "甲原料有限公司",
            ],
        ),
        (
            "enterprises",
            {"chain": "示例电池", "region": "宜春市"},
            ["乙材料有限公司", "甲原料有限公司"],
        ),
        (
            "enterprises",
            {"chain": "示例电池", "link": "材料"},
            ["丙电芯有限公司", "乙材料有限公司"],
        ),
        ("enterprises", {"local": "否"}, ["丁外省电池股份有限公司"]),
        ("enterprises", {"tags": "上市"}, ["丁外省电池股份有限公司", "甲原料有限公司"]),
        ("enterprises", {"region": "宜春经济技术开发区"}, ["甲原料有限公司"]),
        ("projects", {"stage": "在建"}, ["电芯扩产项目"]),
        ("projects", {"is_5020": "是"}, ["电芯扩产项目"]),
        ("projects", {"year": "2025"}, ["材料新建项目"]),
        ("projects", {"amount_min": "10", "amount_max": "30"}, ["材料新建项目"]),
        ("projects", {"stage": "达产"}, ["硅料达产项目"]),
        ("projects", {"region": "新余市"}, ["电芯扩产项目", "硅料达产项目"]),
        ("clusters", {"level": "省级"}, ["宜春锂电产业集群"]),
        ("clusters", {"chain": "示例光伏"}, ["新余光伏产业集群"]),
        ("policies", {"issuer": "工业和信息化厅"}, ["示例电池产业支持办法"]),
        ("policies", {"year": "2023"}, ["示例光伏若干措施"]),
        ("policies", {"chain": "示例电池", "link": "材料"}, ["示例电池产业支持办法"]),
        ("problems", {"type": "卡脖子"}, ["材料提纯工艺受制于人"]),
        ("problems", {"status": "已销号"}, ["电芯项目用地紧张"]),
        ("problems", {"region": "新余市"}, ["电芯项目用地紧张"]),
        ("problems", {"chain": "示例光伏"}, ["硅料能耗指标不足"]),
    ],
)
def test_filters(
    book: Any, snap: Snapshot, key: str, filters: dict[str, str], expected: list[str]
) -> None:
    assert names(book, snap, key, **filters) == sorted(expected)


@pytest.mark.parametrize("key", list(LISTS))
def test_columns_are_the_templates(book: Any, snap: Snapshot, key: str) -> None:
    template = [c.key for c in SHEETS[key].columns] + ["source"]
    assert list(LISTS[key].columns) == template
    assert LISTS[key].zh == SHEETS[key].zh
    assert list(ITEMS[key].model_fields) == template  # the typed row: the same fields in order
    items = query_list(book, snap, LISTS[key], ListQuery()).items
    assert items and all(type(item) is ITEMS[key] for item in items)
    assert all(list(item.model_dump()) == template for item in items)


@pytest.mark.parametrize("key", list(LISTS))
def test_stored_cells_have_the_typed_rows_types(book: Any, key: str) -> None:
    """Every row as the book reads it from the store passes its typed row in strict mode (no
    coercion): what the store holds is what the models declare."""
    rows = book.rows[key]
    assert rows
    for row in rows:
        ITEMS[key].model_validate(row.values, strict=True)


def test_rows_in_template_columns(book: Any, snap: Snapshot) -> None:
    data = query_list(book, snap, LISTS["enterprises"], ListQuery({"chain": "示例电池"}))
    row = next(
        i for i in data.items if isinstance(i, EnterpriseItem) and i.name == "丙电芯有限公司"
    )
    assert row.links == ["材料", "电芯"] or row.links == ["电芯", "材料"]
    assert row.region == "新余市/渝水区" and row.local is True and row.revenue == 100
    assert row.customers == [] and row.investees == ["乙材料有限公司"]
    assert sorted(row.link_figures) == ["材料:20%", "电芯:80"]
    assert data.total == 4 and data.demo_rows == 1  # 甲原料 is 示例数据


def _firms(data: ListAnswer) -> list[EnterpriseItem]:
    return [i for i in data.items if isinstance(i, EnterpriseItem)]


def test_paging_and_sort(book: Any, snap: Snapshot) -> None:
    sheet = find_list("企业清单")
    first = query_list(book, snap, sheet, ListQuery({}, sort="-revenue", page=1, size=2))
    second = query_list(book, snap, sheet, ListQuery({}, sort="-revenue", page=2, size=2))
    assert first.total == 5
    assert [i.name for i in _firms(first)] == ["丁外省电池股份有限公司", "丙电芯有限公司"]
    assert [i.name for i in _firms(second)] == ["戊硅料有限公司", "甲原料有限公司"]
    up = query_list(book, snap, sheet, ListQuery({}, sort="revenue", size=1))
    assert _firms(up)[0].name == "乙材料有限公司"


@pytest.mark.parametrize(
    ("key", "filters", "sort", "message"),
    [
        ("policies", {"region": "宜春市"}, None, "政策清单不支持筛选条件 region"),
        ("enterprises", {"local": "也许"}, None, "应为 是/否"),
        ("projects", {"amount_min": "很多"}, None, "应为数字"),
        ("enterprises", {}, "营收", "无法按“营收”排序"),
    ],
)
def test_bad_filters_say_why(
    book: Any, snap: Snapshot, key: str, filters: dict[str, str], sort: str | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        query_list(book, snap, LISTS[key], ListQuery(filters, sort=sort))


def test_unknown_list_and_chain(book: Any, snap: Snapshot) -> None:
    with pytest.raises(InputError, match="没有名为“人才清单”的清单"):
        find_list("人才清单")
    with pytest.raises(NotFoundError, match="找不到产业链"):
        query_list(book, snap, LISTS["enterprises"], ListQuery({"chain": "不存在的链"}))


def test_dispatch_view(book: Any, snap: Snapshot) -> None:
    view = dispatch_view(book, snap, {}, "city")
    assert view.total.count == 3 and view.total.amount == 78
    assert view.total.is_5020 == 1
    assert view.total.by_stage["投产"] == StageFigure(count=1, amount=8.0)  # 达产 counts as 投产
    groups = {g.name: (g.count, g.amount) for g in view.groups}
    assert groups == {"新余市": (2, 58.0), "宜春市": (1, 20.0)}
    by_chain = dispatch_view(book, snap, {}, "chain")
    assert [g.name for g in by_chain.groups] == ["示例电池", "示例光伏"]


def test_closing_view(book: Any, snap: Snapshot) -> None:
    view = closing_view(book, snap, {}, AnalysisParams())
    assert view.total == 2  # 已销号 left out
    first = view.groups[0]
    assert (first.type, first.owner) == (
        "难点",
        "新余市发改委",
    )  # type order: 难点 before 卡脖子
    last = view.groups[-1].items[0]
    assert last.description == "材料提纯工艺受制于人"
    assert last.link_status == [LinkState(name="材料", status="weak", status_zh="弱链")]


def test_roadmap(book: Any, snap: Snapshot) -> None:
    data = roadmap(book, snap, "示例电池").model_dump(mode="json")
    lanes = {lane["maturity"]: [t["name"] for t in lane["items"]] for lane in data["lanes"]}
    assert lanes == {"研发": ["材料提纯工艺"], "中试": ["高镍正极"], "产业化": ["快充电芯"]}
    assert data["bottlenecks"] == 2
    tech = data["lanes"][0]["items"][0]
    assert tech["lead"] == "甲原料有限公司" and tech["links"] == ["材料"]
    assert [p["description"] for p in tech["problems"]] == ["材料提纯工艺受制于人"]


def test_applications(book: Any, snap: Snapshot) -> None:
    data = applications(book, snap, "示例电池", None, AnalysisParams()).model_dump(mode="json")
    fields = {a["name"]: (a["status"], a["blocked_by"]) for a in data["items"]}
    assert fields == {"储能": ("weak", ["材料", "电芯"]), "电动两轮车": ("weak", ["电芯"])}
    in_yichun = applications(book, snap, "示例电池", "宜春市", AnalysisParams()).model_dump(
        mode="json"
    )
    storage = next(a for a in in_yichun["items"] if a["name"] == "储能")
    assert {x["name"]: x["status"] for x in storage["links"]} == {
        "材料": "weak",
        "电芯": "missing",
    }


def test_region_map(snap: Snapshot) -> None:
    data = region_map(snap, AnalysisParams(), "示例电池").model_dump(mode="json")
    units = {u["name"]: u for u in data["units"]}
    assert sum(u["level"] == "市" for u in data["units"]) == 11
    assert sum(u["level"] == "县" for u in data["units"]) == 100
    assert (units["宜春市"]["firms"], units["宜春市"]["revenue"]) == (2, 42.5)
    assert (units["新余市"]["firms"], units["渝水区"]["firms"]) == (1, 1)
    assert units["宜春市"]["local_rate"] == pytest.approx(2 / 3, abs=1e-3)
    assert units["南昌市"]["firms"] == 0 and units["南昌市"]["local_rate"] == 0
    assert [p["name"] for p in units["宜春市"]["parks"]] == ["宜春经济技术开发区"]
    link = region_map(snap, AnalysisParams(), "示例电池", "电芯").model_dump(mode="json")
    statuses = {u["name"]: u["status"] for u in link["units"] if u["level"] == "市"}
    assert statuses["新余市"] == "weak" and statuses["宜春市"] == "missing"


@pytest.mark.parametrize("backend", STORES)
@pytest.mark.parametrize("key", list(LISTS))
def test_round_trip(backend: str, key: str, tmp_path: Path) -> None:
    """Export a list (CSV and XLSX) and load it back: nothing changes. The CSV, saved under
    its sheet's file name as the original was, changes nothing at all; the XLSX adds only its
    own file to the rows' provenance (`sources`)."""
    settings, store = _open(backend, tmp_path)
    try:
        snap = build_snapshot(store)
        sheet = LISTS[key]
        items = query_list(build_book(store, snap), snap, sheet, ListQuery(), paged=False).items
        assert items
        folder = tmp_path / "csv"
        folder.mkdir()
        (folder / f"{sheet.zh}.csv").write_bytes(list_csv(sheet, items))
        report = run_import(store, [folder], settings, None)
        assert not report.summary.changed, report.summary
        assert report.warnings == []

        before = _facts(store)
        xlsx = tmp_path / "导出.xlsx"
        xlsx.write_bytes(
            list_xlsx(sheet, items, filters={}, chain=None, region=None, version=snap.version)
        )
        report = run_import(store, [xlsx], settings, None)
        assert report.summary.nodes_created == 0 and report.summary.edges_created == 0
        assert report.summary.edges_updated == 0
        assert _facts(store) == before
    finally:
        store.close()


def _facts(store: GraphStore) -> dict[str, Any]:
    """Every node's name and properties except provenance, every relationship (the internal
    records of each load — the import log, the version history — left out)."""
    from graph_schema import SCHEMA

    out: dict[str, Any] = {}
    for label, node_type in SCHEMA.nodes.items():
        if node_type.internal:
            continue
        for node in store.iter_nodes(label):
            if node.id.startswith("import:"):
                continue
            props = {k: v for k, v in node.props.items() if k != "sources"}
            out[node.id] = (node.name, props)
    for rel in {t for _, t, _ in SCHEMA.triples()}:
        for edge in store.iter_edges(rel):
            out[f"{rel}:{edge.src}->{edge.dst}"] = edge.props
    return out
