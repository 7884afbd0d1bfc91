"""区域分布图 as a map: for a chain (or one of its links), a figure per 市 and per 县 of the
province — local firm count, local revenue (亿元), 本地配套率, the link's status — with the
parks of each 市. The boundaries are app/static/geo/jiangxi.json (official names and 行政区划
codes, `graph_schema.official_order.JIANGXI_DIVISIONS`)."""

from __future__ import annotations

from collections import defaultdict

from graph_schema.official_order import JIANGXI_DIVISIONS
from queries.answers import ParkFigure, RegionMapOut, RegionUnit
from queries.diagnosis import run
from queries.params import AnalysisParams
from queries.scope import Scope, find_chain, find_link
from queries.snapshot import Snapshot
from queries.wording import STATUS_ZH

__all__ = ["FIGURES", "PROVINCE", "region_map"]

PROVINCE = "江西省"
FIGURES = {
    "firms": "本地企业数",
    "revenue": "本地营收(亿元)",
    "local_rate": "本地配套率",
    "status": "环节状态",
}


def region_map(
    snap: Snapshot, params: AnalysisParams, chain_text: str, link_text: str | None = None
) -> RegionMapOut:
    """The figures of a chain (or one of its links) for the 11 市 and their 100 县级 units,
    in the official order."""
    chain = find_chain(snap, chain_text)
    link = find_link(snap, chain, link_text) if link_text else None
    firms = chain.rolled_local[link.id] if link else chain.local_members
    projects = chain.rolled_projects[link.id] if link else chain.projects
    count: dict[str, int] = defaultdict(int)
    revenue: dict[str, float] = defaultdict(float)
    for ent in firms:
        for where in ent.places:
            count[where] += 1
            revenue[where] += ent.revenue or 0.0
    active = {place for proj in projects for place in proj.places} | set(count)
    parks: dict[str, list[ParkFigure]] = defaultdict(list)
    for place in snap.places.values():
        if place.label == "Park":
            city = _city_of(snap, place.id)
            if city is not None:
                parks[city].append(
                    ParkFigure(name=place.name, level=place.level, firms=count.get(place.id, 0))
                )
    units = []
    for city, (city_code, counties) in JIANGXI_DIVISIONS.items():
        members = [
            (city, city_code, "市", None),
            *((n, c, "县", city) for n, c in counties.items()),
        ]
        for name, code, level, parent in members:
            path = f"{PROVINCE}/{city}" if level == "市" else f"{PROVINCE}/{parent}/{name}"
            place_id = f"region:{path}"
            local_rate = 0.0
            status: str | None = "missing" if link else None
            if place_id in active and place_id in snap.places:
                scope = Scope(place_id, name, "Region", level)
                result = run(snap, chain, scope, params)
                local_rate = result.local_rate(snap)
                if link:
                    status = result.verdicts[link.id].status
            units.append(
                RegionUnit(
                    name=name,
                    code=code,
                    level=level,
                    city=parent,
                    region=path.removeprefix(PROVINCE + "/"),
                    firms=count.get(place_id, 0),
                    revenue=round(revenue.get(place_id, 0.0), 2),
                    local_rate=local_rate,
                    status=status,
                    parks=sorted(parks.get(place_id, []), key=lambda p: -p.firms)
                    if level == "市"
                    else [],
                    status_zh=STATUS_ZH[status] if status else None,
                )
            )
    return RegionMapOut(
        chain=chain.name,
        chain_id=chain.id,
        link=link.name if link else None,
        figures=FIGURES,
        units=units,
    )


def _city_of(snap: Snapshot, place_id: str) -> str | None:
    """The 市 a park or 县 sits in (its id), walking up PART_OF / LOCATED_IN."""
    todo, seen = [place_id], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        info = snap.places.get(current)
        if info is None:
            continue
        if info.label == "Region" and info.level == "市":
            return current
        todo.extend(info.parents)
    return None
