"""The home page as a province overview: beside the chains table, the broken and key missing
links across chains, the pipeline in numbers, and a chains × cities table of 本地配套率.

Every figure comes from analyses the pages share through the cache (`Snapshots.plain`, keyed
by `answer_key`), so the overview costs one diagnosis per chain and one chain overview per
city, each computed once per snapshot version.
"""

from __future__ import annotations

from typing import Any

from app.web.snapshots import Snapshots, answer_key
from queries.diagnosis import chain_overview, diagnose, region_options
from queries.params import AnalysisParams
from queries.scope import find_scope
from queries.snapshot import Snapshot

SHOWN_GAPS = 16  # broken and key missing links listed on the home page


def chain_rows(
    snapshots: Snapshots, params: AnalysisParams, region: str | None
) -> list[dict[str, Any]]:
    """Every chain's 本地配套率 and counts in a region (`chain_overview`), as pages read it."""
    data: list[dict[str, Any]] = snapshots.plain(
        answer_key(chain_overview, region), lambda s: chain_overview(s, params, region)
    )
    return data


def diagnosis(
    snapshots: Snapshots, params: AnalysisParams, chain: str, region: str | None
) -> dict[str, Any]:
    """A chain's diagnosis in a region, as pages read it."""
    data: dict[str, Any] = snapshots.plain(
        answer_key(diagnose, chain, region), lambda s: diagnose(s, chain, region, params)
    )
    return data


def rate_band(rate: float, good: float, fair: float) -> str:
    """The status colour of a 本地配套率 cell: strong, weak or missing.

    >>> rate_band(0.9, 0.8, 0.5), rate_band(0.5, 0.8, 0.5), rate_band(0.1, 0.8, 0.5)
    ('strong', 'weak', 'missing')
    """
    if rate >= good:
        return "strong"
    if rate >= fair:
        return "weak"
    return "missing"


def gaps(
    snapshots: Snapshots,
    params: AnalysisParams,
    chains: list[dict[str, Any]],
    region: str | None,
) -> dict[str, Any]:
    """The broken links and the key missing links of every chain, broken first."""
    found: list[dict[str, Any]] = []
    demo_rows = 0
    for chain in chains:
        chain_id = chain["id"]
        data = diagnosis(snapshots, params, chain_id, region)
        demo_rows += data.get("demo_rows", 0)
        for link in data["links"]:
            if link["status"] == "broken" or (link["status"] == "missing" and link["key"]):
                found.append({**link, "chain": data["chain"], "chain_id": chain_id})
    found.sort(key=lambda link: (link["status"] != "broken", not link["key"]))
    return {
        "items": found[:SHOWN_GAPS],
        "total": len(found),
        "broken": sum(link["status"] == "broken" for link in found),
        "demo_rows": demo_rows,
    }


def pipeline_numbers(snap: Snapshot, params: AnalysisParams, region: str | None) -> dict[str, Any]:
    """The projects in the pipeline (签约、开工、在建 by default) in scope: how many, how much,
    by stage, and how many of them fill a link."""
    scope = find_scope(snap, region)
    stages = list(params.pipeline_project_stages)
    projects = [p for p in snap.projects.values() if p.stage in stages and scope.holds(p.places)]
    by_stage = {stage: 0 for stage in stages}
    for proj in projects:
        by_stage[proj.stage or ""] = by_stage.get(proj.stage or "", 0) + 1
    known = [p.amount for p in projects if p.amount is not None]
    return {
        "projects": len(projects),
        "amount": round(sum(known), 2),
        "amount_unknown": len(projects) - len(known),
        "by_stage": by_stage,
        "filling": sum(bool(p.links) for p in projects),
    }


def city_matrix(
    snapshots: Snapshots,
    params: AnalysisParams,
    chains: list[dict[str, Any]],
    good: float,
    fair: float,
) -> dict[str, Any]:
    """Chains × cities (市, official order) of 本地配套率, each cell with its colour."""
    regions = snapshots.plain(answer_key(region_options), region_options)
    cities = [r for r in regions if r["level"] == "市"]
    rows = []
    by_city = {
        city["id"]: {c["id"]: c for c in chain_rows(snapshots, params, city["id"])}
        for city in cities
    }
    for chain in chains:
        cells = []
        for city in cities:
            here = by_city[city["id"]].get(chain["id"])
            rate = here["local_rate"] if here else 0.0
            cells.append(
                {
                    "city": city["name"],
                    "city_id": city["id"],
                    "rate": rate,
                    "band": rate_band(rate, good, fair),
                    "broken": here["counts"]["broken"] if here else 0,
                }
            )
        rows.append({"id": chain["id"], "name": chain["name"], "cells": cells})
    return {"cities": cities, "rows": rows}
