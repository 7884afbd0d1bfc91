"""History between versions: every load that changes the graph is a version.

After such a load, `record_version` writes small `VersionRecord` rows: per chain and per
region (the province and each 市) the 本地配套率, the counts by status and every link's status;
the 链主/领航企业 as they stand (for alerts); and the running stage of every project and the
open state of every problem, each with the version since which it has not moved. History and
alerts read those rows only, so no old version's graph is ever kept or rebuilt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graph_schema import Node
from graph_schema.errors import InputError
from queries.diagnosis import STATUSES, region_options, run
from queries.params import AnalysisParams
from queries.province.params import ProvinceParams
from queries.scope import PROVINCE, Scope, find_chain, find_scope
from queries.snapshot import Snapshot, snapshot
from store.base import GraphStore

LABEL = "VersionRecord"
CODES = {"strong": "s", "weak": "w", "missing": "m", "broken": "b"}
STATUS_OF = {code: status for status, code in CODES.items()}


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
    return f"ver:{version}|{chain_id}|{region_id or '全省'}"


def record_id(version: int | str, kind: str) -> str:
    return f"ver:{version}|{kind}"


def history_regions(snap: Snapshot) -> list[Scope]:
    """The scopes history is kept for: the province and each of its 市."""
    cities = [o for o in region_options(snap) if o["level"] == "市"]
    return [PROVINCE, *(Scope(o["id"], o["name"], "Region", "市") for o in cities)]


def record_version(
    store: GraphStore, params: AnalysisParams, pparams: ProvinceParams | None = None
) -> Snapshot | None:
    """Write the summaries of the store's current version (once); returns the snapshot it
    built for them (None when there was nothing to record), which a server may adopt."""
    tags = (pparams or ProvinceParams()).alert_anchor_tags
    version = store.version()
    done = record_id(version, "done")
    if version == 0 or store.get_nodes(LABEL, [done]):
        return None
    snap = snapshot(store)
    known = versions(store)
    at = known[-1].time if known else _now()
    nodes: list[Node] = []
    regions = history_regions(snap)
    for chain in snap.chains.values():
        for scope in regions:
            result = run(snap, chain, scope, params)
            counts = dict.fromkeys(STATUSES, 0)
            for verdict in result.verdicts.values():
                counts[verdict.status] += 1
            data = {
                "local_rate": result.local_rate(snap),
                "counts": counts,
                "statuses": {x: CODES[v.status] for x, v in result.verdicts.items()},
            }
            node_id = chain_record_id(version, chain.id, scope.id)
            nodes.append(_record(node_id, version, "chain", chain.id, scope.id, at, data))
    previous = _latest_before(store, version, "anchors")
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
    return snap


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


def _latest_before(store: GraphStore, version: int, kind: str) -> dict[str, Any]:
    found = store.get_nodes(LABEL, [record_id(v, kind) for v in range(1, version)])
    for v in range(version - 1, 0, -1):
        node = found.get(record_id(v, kind))
        if node is not None:
            data = read_data(node)
            return data if isinstance(data, dict) else {}
    return {}


def _anchors(snap: Snapshot, previous: dict[str, Any], tags: Sequence[str]) -> dict[str, Any]:
    """The watched enterprises now: those tagged 链主/领航企业, and those that were."""
    watched = set(tags)
    out: dict[str, Any] = {}
    gone = [x for x in previous if x not in snap.enterprises]  # now in the outside pool
    found = [e for x in gone if (e := snap.enterprise(x)) is not None]
    for ent in sorted([*snap.enterprises.values(), *found], key=lambda e: e.id):
        if (ent.tags & watched and ent.local) or ent.id in previous:
            out[ent.id] = {
                "name": ent.name,
                "local": ent.local,
                "revenue": ent.revenue,
                "tags": sorted(ent.tags & watched),
                "region": ent.region,
            }
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
    scope = find_scope(snap, region)
    if scope.id is None or scope.id in {s.id for s in history_regions(snap)}:
        return scope
    raise InputError(
        f"历史按全省和各设区市记录；“{scope.zh}”是{'园区' if scope.label == 'Park' else '县区'}，"
        "请改查其所在的市"
    )


def chain_history(
    store: GraphStore, snap: Snapshot, chain: str, region: str | None, params: AnalysisParams
) -> dict[str, Any]:
    """The `history` answer of DESIGN.md: per version the 本地配套率 and counts; each link
    whose status changed between consecutive versions."""
    info = find_chain(snap, chain)
    scope = history_scope(snap, region)
    ensure_recorded(store, params)
    known = versions(store)
    ids = {v.number: chain_record_id(v.number, info.id, scope.id) for v in known}
    found = store.get_nodes(LABEL, list(ids.values()))
    out_versions: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    before: dict[str, str] | None = None
    for v in known:
        data = read_data(found.get(ids[v.number]))
        if not isinstance(data, dict):
            continue
        out_versions.append(
            {
                "version": v.number,
                "time": v.time,
                "files": v.files,
                "local_rate": data["local_rate"],
                "counts": data["counts"],
            }
        )
        statuses: dict[str, str] = data["statuses"]
        if before is not None:
            changes += link_changes(snap, v.number, before, statuses)
        before = statuses
    return {
        "chain": info.name,
        "region": scope.name,
        "versions": out_versions,
        "changes": changes,
    }


def link_changes(
    snap: Snapshot, version: int, before: dict[str, str], after: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for link_id in dict.fromkeys([*after, *before]):
        old, new = before.get(link_id), after.get(link_id)
        if old != new:
            out.append(
                {
                    "version": version,
                    "link": link_name(snap, link_id),
                    "before": STATUS_OF.get(old or ""),
                    "after": STATUS_OF.get(new or ""),
                }
            )
    return out


def link_name(snap: Snapshot, link_id: str) -> str:
    link = snap.links.get(link_id)
    return link.name if link is not None else link_id.rsplit(":", 1)[-1]
