"""History between versions: every load that changes the graph is a version.

After such a load, `record_version` writes small `VersionRecord` rows: per chain one row
holding, for every scope (the province, each 市, 县 and 园区), the 本地配套率, the counts by
status and every link's status as one letter per link; the 链主/领航企业 as they stand (for
alerts); and the running stage of every project and the open state of every problem, each
with the version since which it has not moved. History and alerts read those rows only, so
no old version's graph is ever kept or rebuilt.

The figures of all scopes of a chain come from one pass over the chain's local enterprises
and projects (grouped by the places they are in), then the verdicts of `queries.diagnosis`
for each scope where the chain has anything; a scope where it has nothing is all 缺链, so it
is not written (the reader knows).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from graph_schema import Node
from queries.diagnosis import STATUSES, Presence, local_rate, region_options, statuses
from queries.params import AnalysisParams
from queries.province.models import History, HistoryChange, HistoryCounts, HistoryVersion
from queries.province.params import ProvinceParams
from queries.scope import PROVINCE, Scope, find_chain, find_scope
from queries.snapshot import ChainInfo, EnterpriseInfo, Snapshot, build_snapshot, snapshot
from store.base import GraphStore

LABEL = "VersionRecord"
CODES = {"strong": "s", "weak": "w", "missing": "m", "broken": "b"}
STATUS_OF = {code: status for status, code in CODES.items()}


class ChainRecord(TypedDict):
    """A chain's stored row (kind "chain"): the link order once, then per scope id ("" for
    the province) [本地配套率, [strong, weak, missing, broken], one status letter per link]."""

    links: list[str]
    scopes: dict[str, tuple[float, list[int], str]]


class AnchorRecord(TypedDict):
    """A watched enterprise (链主/领航企业) as a version's "anchors" row keeps it."""

    name: str
    local: bool
    revenue: float | None
    tags: list[str]
    region: str | None


# The "anchors" row of a version: enterprise id → how it stood (read back as written: the
# JSON of older rows has the same keys).
AnchorsRecord = dict[str, AnchorRecord]


@dataclass(frozen=True)
class Version:
    number: int
    time: str
    files: list[str]


def versions(store: GraphStore) -> list[Version]:
    """The graph's versions: the loads that changed something, numbered from 1."""
    out: list[Version] = []
    for rec in store.imports():
        c = rec.counts
        changed = sum(
            int(c.get(k, 0))
            for k in ("nodes_created", "nodes_updated", "edges_created", "edges_updated")
        )
        if changed:
            out.append(Version(len(out) + 1, rec.at, list(rec.files)))
    return out


def chain_record_id(version: int, chain_id: str, region_id: str | None) -> str:
    """The per-scope row of older stores (province and 市 only); read as a fallback."""
    return f"ver:{version}|{chain_id}|{region_id or '全省'}"


def scopes_record_id(version: int, chain_id: str) -> str:
    """The row holding every scope's figures of one chain in one version."""
    return f"ver:{version}|{chain_id}|scopes"


def record_id(version: int | str, kind: str) -> str:
    return f"ver:{version}|{kind}"


def history_regions(snap: Snapshot) -> list[Scope]:
    """The scopes history is kept for: the province, each 市 and 县, and each park."""
    out = [PROVINCE]
    for o in region_options(snap):
        if o["level"] in ("市", "县"):
            out.append(Scope(o["id"], o["name"], "Region", o["level"]))
        elif o["level"] == "园区":
            place = snap.places.get(o["id"])
            out.append(Scope(o["id"], o["name"], "Park", place.level if place else None))
    return out


@dataclass(frozen=True)
class Figures:
    """One chain in one scope: 本地配套率, counts by status, each link's status code."""

    local_rate: float
    counts: dict[str, int]
    statuses: dict[str, str]


def scope_figures(
    snap: Snapshot, chain: ChainInfo, scopes: Sequence[Scope], params: AnalysisParams
) -> dict[str | None, Figures]:
    """The figures of `chain` in each scope where it has a local enterprise or a project,
    equal to `queries.diagnosis.run` there; scopes left out are all 缺链 (nothing present)."""
    present_stages = set(params.present_project_stages)
    pipeline_stages = set(params.pipeline_project_stages)
    wanted = frozenset(s.id for s in scopes if s.id is not None)
    by_place: dict[str | None, dict[str, Presence]] = defaultdict(dict)
    for link_id in chain.links:  # each list keeps the order `presence` gives it
        ents: dict[str | None, list[EnterpriseInfo]] = defaultdict(list)
        for ent in chain.rolled_local[link_id]:
            for place_id in ent.places & wanted:
                ents[place_id].append(ent)
        ents[None] = list(chain.rolled_local[link_id])
        for place, found_ents in ents.items():  # a Presence where the link holds something
            if found_ents:
                by_place[place][link_id] = Presence(found_ents)
        for proj in chain.rolled_projects[link_id]:
            if proj.stage in present_stages:
                kind = "projects"
            elif proj.stage in pipeline_stages:
                kind = "pipeline"
            else:
                continue
            for where in (None, *(proj.places & wanted)):
                here = by_place[where].get(link_id)
                if here is None:
                    here = by_place[where][link_id] = Presence()
                getattr(here, kind).append(proj)
    out: dict[str | None, Figures] = {}
    for scope in scopes:
        have = by_place.get(scope.id)
        if not have or not any(p.present for p in have.values()):
            continue
        nothing = Presence()  # shared by the links without anything here; never changed
        found = {x: have.get(x, nothing) for x in chain.links}
        judged = statuses(snap, chain, found, scope, params)
        counts = dict.fromkeys(STATUSES, 0)
        for status in judged.values():
            counts[status] += 1
        codes = {x: CODES[status] for x, status in judged.items()}
        out[scope.id] = Figures(local_rate(snap, chain, found), counts, codes)
    return out


def _pack(chain: ChainInfo, figures: dict[str | None, Figures]) -> ChainRecord:
    """The row's data: the link order once, then per scope [rate, [s, w, m, b], codes]."""
    return {
        "links": list(chain.links),
        "scopes": {
            scope_id or "": (
                f.local_rate,
                [f.counts[k] for k in STATUSES],
                "".join(f.statuses[x] for x in chain.links),
            )
            for scope_id, f in figures.items()
        },
    }


def unpack(data: Any, scope_id: str | None) -> Figures | None:
    """A scope's figures from a chain's row (all 缺链 when the scope is not in it)."""
    if not isinstance(data, dict):
        return None
    links: list[str] = data["links"]
    row = data["scopes"].get(scope_id or "")
    if row is None:
        counts = dict.fromkeys(STATUSES, 0)
        counts["missing"] = len(links)
        return Figures(0.0, counts, dict.fromkeys(links, CODES["missing"]))
    rate, counts_list, codes = row
    return Figures(
        rate, dict(zip(STATUSES, counts_list, strict=True)), dict(zip(links, codes, strict=True))
    )


def read_figures(
    store: GraphStore, wanted: Sequence[tuple[int, str]], scope_id: str | None
) -> dict[tuple[int, str], Figures]:
    """The figures of (version, chain id) pairs in one scope, from the stored rows (the
    per-chain rows, or the per-scope rows older stores wrote for the province and 市)."""
    ids = {key: scopes_record_id(*key) for key in wanted}
    found = store.get_nodes(LABEL, list(ids.values()))
    out: dict[tuple[int, str], Figures] = {}
    missing: dict[tuple[int, str], str] = {}
    for key, node_id in ids.items():
        figures = unpack(read_data(found.get(node_id)), scope_id)
        if figures is not None:
            out[key] = figures
        else:
            missing[key] = chain_record_id(key[0], key[1], scope_id)
    if missing:
        old = store.get_nodes(LABEL, list(missing.values()))
        for key, node_id in missing.items():
            data = read_data(old.get(node_id))
            if isinstance(data, dict):
                out[key] = Figures(data["local_rate"], data["counts"], data["statuses"])
    return out


def record_version(
    store: GraphStore,
    params: AnalysisParams,
    pparams: ProvinceParams | None = None,
    snap: Snapshot | None = None,
    keep: bool = True,
) -> Snapshot | None:
    """Write the summaries of the store's current version (once); returns the snapshot it
    used (None when there was nothing to record), which a server may adopt. `snap`, when
    given, must be the snapshot of the store's current version.

    With `keep` False (a `chainkg load`, which answers nothing afterwards) and no `snap`,
    the record reads only what its figures need (`build_snapshot` without the supply and
    investment ties: the same figures at about half the reading) and returns None."""
    tags = (pparams or ProvinceParams()).alert_anchor_tags
    version = store.version()
    done = record_id(version, "done")
    if version == 0 or store.get_nodes(LABEL, [done]):
        return None
    if snap is None or snap.version != version:
        snap = snapshot(store) if keep else build_snapshot(store, ties=False)
    known = versions(store)
    at = known[-1].time if known else _now()
    nodes: list[Node] = []
    regions = history_regions(snap)
    for chain in snap.chains.values():
        data = _pack(chain, scope_figures(snap, chain, regions, params))
        node_id = scopes_record_id(version, chain.id)
        nodes.append(_record(node_id, version, "chain", chain.id, None, at, data))
    previous = _latest_anchors(store, version)
    nodes.append(
        _record(
            record_id(version, "anchors"),
            version,
            "anchors",
            "",
            None,
            at,
            _anchors(snap, previous, tags),
        )
    )
    nodes += _states(store, snap, version, at, params)
    marker = {"regions": [s.id or "" for s in regions], "chains": sorted(snap.chains)}
    nodes.append(_record(done, version, "done", "", None, at, marker))
    store.put_records(LABEL, nodes)
    return snap if keep else None


def _record(
    node_id: str,
    version: int,
    kind: str,
    subject: str,
    region: str | None,
    at: str,
    data: Any,
) -> Node:
    props = {
        "version": version,
        "kind": kind,
        "subject": subject,
        "region": region or "",
        "at": at,
        "data": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    }
    return Node(LABEL, node_id, node_id.removeprefix("ver:"), props)


def read_data(node: Node | None) -> Any:
    if node is None:
        return None
    return json.loads(node.props.get("data") or "null")


def _latest_anchors(store: GraphStore, version: int) -> AnchorsRecord:
    """The "anchors" row of the latest version before `version` ({} when there is none)."""
    kind = "anchors"
    found = store.get_nodes(LABEL, [record_id(v, kind) for v in range(1, version)])
    for v in range(version - 1, 0, -1):
        node = found.get(record_id(v, kind))
        if node is not None:
            data = read_data(node)
            return data if isinstance(data, dict) else {}
    return {}


def _anchors(snap: Snapshot, previous: AnchorsRecord, tags: Sequence[str]) -> AnchorsRecord:
    """The watched enterprises now: those tagged 链主/领航企业, and those that were."""
    watched = set(tags)
    out: AnchorsRecord = {}
    gone = [x for x in previous if x not in snap.enterprises]  # now in the outside pool
    found = [e for x in gone if (e := snap.enterprise(x)) is not None]
    for ent in sorted([*snap.enterprises.values(), *found], key=lambda e: e.id):
        if (ent.tags & watched and ent.local) or ent.id in previous:
            out[ent.id] = AnchorRecord(
                name=ent.name,
                local=ent.local,
                revenue=ent.revenue,
                tags=sorted(ent.tags & watched),
                region=ent.region,
            )
    return out


def _states(
    store: GraphStore, snap: Snapshot, version: int, at: str, params: AnalysisParams
) -> list[Node]:
    """Running states: each project's stage and each problem's open state, with the
    version and time since which it has not changed; plus this version's changes."""
    old = store.get_nodes(LABEL, [record_id("state", "projects"), record_id("state", "problems")])
    projects_before = read_data(old.get(record_id("state", "projects"))) or {}
    problems_before = read_data(old.get(record_id("state", "problems"))) or {}
    years = {n.id: n.props.get("year") for n in store.iter_nodes("Project")}
    projects: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    for proj in snap.projects.values():
        was = projects_before.get(proj.id)
        if was is not None and was[0] == proj.stage:
            projects[proj.id] = was
        else:
            # stage, since version, since time, 年份, whether first seen at this stage
            projects[proj.id] = [proj.stage, version, at, years.get(proj.id), was is None]
            moved[proj.id] = [was[0] if was else None, proj.stage]
    open_statuses = set(params.open_problem_statuses)
    problems: dict[str, Any] = {}
    for problem in snap.problems.values():
        is_open = problem.status in open_statuses
        was = problems_before.get(problem.id)
        if was is not None and bool(was[0]) == is_open:
            problems[problem.id] = [is_open, problem.status, was[2], was[3]]
        else:
            problems[problem.id] = [is_open, problem.status, version, at]
    return [
        _record(record_id("state", "projects"), version, "state", "projects", None, at, projects),
        _record(record_id("state", "problems"), version, "state", "problems", None, at, problems),
        _record(record_id(version, "projects"), version, "projects", "", None, at, moved),
    ]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ensure_recorded(
    store: GraphStore, params: AnalysisParams, pparams: ProvinceParams | None = None
) -> None:
    """Record the current version if its load did not (e.g. a load by an older chainkg)."""
    version = store.version()
    if version and not store.get_nodes(LABEL, [record_id(version, "done")]):
        record_version(store, params, pparams)


def history_scope(snap: Snapshot, region: str | None) -> Scope:
    """The scope of a history or alerts question: the province, a 市 or 县, or a park."""
    return find_scope(snap, region)


def chain_history(
    store: GraphStore, snap: Snapshot, chain: str, region: str | None, params: AnalysisParams
) -> History:
    """The `history` answer (docs/analyses.md): per version the 本地配套率 and counts; each link
    whose status changed between consecutive versions."""
    info = find_chain(snap, chain)
    scope = history_scope(snap, region)
    ensure_recorded(store, params)
    known = versions(store)
    found = read_figures(store, [(v.number, info.id) for v in known], scope.id)
    out_versions: list[HistoryVersion] = []
    changes: list[HistoryChange] = []
    before: dict[str, str] | None = None
    for v in known:
        figures = found.get((v.number, info.id))
        if figures is None:
            continue
        out_versions.append(
            HistoryVersion(
                version=v.number,
                time=v.time,
                files=v.files,
                local_rate=figures.local_rate,
                counts=HistoryCounts(**figures.counts),
            )
        )
        if before is not None:
            changes += link_changes(snap, v.number, before, figures.statuses)
        before = figures.statuses
    return History(chain=info.name, region=scope.name, versions=out_versions, changes=changes)


def link_changes(
    snap: Snapshot, version: int, before: dict[str, str], after: dict[str, str]
) -> list[HistoryChange]:
    out = []
    for link_id in dict.fromkeys([*after, *before]):
        old, new = before.get(link_id), after.get(link_id)
        if old != new:
            out.append(
                HistoryChange(
                    version=version,
                    link=link_name(snap, link_id),
                    before=STATUS_OF.get(old or ""),
                    after=STATUS_OF.get(new or ""),
                )
            )
    return out


def link_name(snap: Snapshot, link_id: str) -> str:
    link = snap.links.get(link_id)
    return link.name if link is not None else link_id.rsplit(":", 1)[-1]
