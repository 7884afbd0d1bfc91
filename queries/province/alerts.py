"""Alerts: what got worse in the latest version, who is leaving, what has stalled.

- a link whose status got worse between the two latest versions (from the version records);
- a 链主 or 领航企业 that left the province (是否省内 became 否), disappeared, or whose
  revenue fell by more than `alert_revenue_drop`;
- a project at a pipeline stage that has not moved for more than `alert_stalled_days`, by
  the load history only: since the version that first recorded it at that stage (a load that
  saw it there is evidence it was there then). A project's 年份 is no such evidence (the
  项目清单 has no date of its stage): projects whose stage the history cannot yet call stalled
  but whose 年份 ended more than `alert_stalled_days` ago make one low-severity summary per
  chain (`projects_undated`), never one alert per project;
- a 卡脖子 or 断点 problem still open after the same time (counted from the first version
  that saw it open).
Each alert names its evidence: versions, files, the rows' sources, the figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from queries.diagnosis import run
from queries.params import AnalysisParams
from queries.province.history import (
    LABEL,
    STATUS_OF,
    Version,
    ensure_recorded,
    history_scope,
    read_data,
    read_figures,
    record_id,
    versions,
)
from queries.province.ledger import parse_day
from queries.province.models import Alert, AlertKind, Alerts, Severity
from queries.province.params import ProvinceParams
from queries.scope import Scope, find_chain
from queries.snapshot import ChainInfo, Snapshot
from queries.wording import STATUS_ZH, fmt_yi, place_text
from store.base import GraphStore

RANK = {"strong": 3, "weak": 2, "missing": 1, "broken": 1}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def alerts(
    store: GraphStore,
    snap: Snapshot,
    params: AnalysisParams,
    pparams: ProvinceParams,
    chain: str | None = None,
    region: str | None = None,
) -> Alerts:
    """The `alerts` answer (docs/analyses.md)."""
    chains = (
        [find_chain(snap, chain)] if chain else sorted(snap.chains.values(), key=lambda c: c.name)
    )
    scope = history_scope(snap, region)
    ensure_recorded(store, params, pparams)
    known = versions(store)
    latest = known[-1] if known else None
    prev = known[-2] if len(known) > 1 else None
    items: list[Alert] = []
    if latest is not None and prev is not None:
        items += _worse_links(store, snap, params, chains, scope, prev, latest)
        items += _anchors(store, snap, pparams, chains, scope, prev, latest)
    items += _stalled_projects(store, snap, pparams, chains, scope, known)
    items += _open_problems(store, snap, params, pparams, chains, scope)
    items.sort(key=lambda a: (SEVERITY_ORDER[a.severity], a.kind, a.subject))
    return Alerts(
        chain=chains[0].name if chain else None,
        region=scope.name,
        today=pparams.current_date().isoformat(),
        items=items,
    )


def _worse_links(
    store: GraphStore,
    snap: Snapshot,
    params: AnalysisParams,
    chains: list[ChainInfo],
    scope: Scope,
    prev: Version,
    latest: Version,
) -> list[Alert]:
    wanted = [(v.number, c.id) for c in chains for v in (prev, latest)]
    found = read_figures(store, wanted, scope.id)
    out = []
    for info in chains:
        before = found.get((prev.number, info.id))
        after = found.get((latest.number, info.id))
        if before is None or after is None:
            continue
        worse = []
        for link_id, code in after.statuses.items():
            old = STATUS_OF.get(before.statuses.get(link_id, ""), None)
            new = STATUS_OF[code]
            if old is not None and RANK[new] < RANK[old]:
                worse.append((link_id, old, new))
        if not worse:
            continue
        current = run(snap, info, scope, params)  # the latest version is the snapshot's
        for link_id, old, new in worse:
            link = snap.links.get(link_id)
            name = link.name if link else link_id
            key = bool(link and link.key)
            severity: Severity = "high" if key or (old == "strong" and RANK[new] == 1) else "medium"
            verdict = current.verdicts.get(link_id)
            message = (
                f"{scope.zh}{info.name}产业链“{name}”{'（关键环节）' if key else ''}"
                f"由{STATUS_ZH[old]}变为{STATUS_ZH[new]}（版本{prev.number}→{latest.number}）"
            )
            evidence = {
                "versions": [prev.number, latest.number],
                "files": latest.files,
                "time": latest.time,
                "chain": info.name,
                "link": name,
                "before": old,
                "after": new,
                "reasons": verdict.reasons if verdict else [],
            }
            out.append(_alert("link_worse", severity, f"{info.name}·{name}", message, evidence))
    return out


def _chain_ids(snap: Snapshot, link_ids: list[str]) -> set[str]:
    return {snap.links[x].chain for x in link_ids if x in snap.links}


def _anchors(
    store: GraphStore,
    snap: Snapshot,
    pparams: ProvinceParams,
    chains: list[ChainInfo],
    scope: Scope,
    prev: Version,
    latest: Version,
) -> list[Alert]:
    ids = [record_id(prev.number, "anchors"), record_id(latest.number, "anchors")]
    found = store.get_nodes(LABEL, ids)
    before = read_data(found.get(ids[0])) or {}
    after = read_data(found.get(ids[1])) or {}
    wanted = {c.id for c in chains}
    out = []
    for ent_id, was in sorted(before.items()):
        if not was.get("local") or not was.get("tags"):
            continue
        ent = snap.enterprise(ent_id)  # an outside firm of the pool: from the store
        if ent is not None and not (_chain_ids(snap, ent.links) & wanted):
            continue
        if ent is not None and ent.local and not scope.holds(ent.places):
            continue
        now = after.get(ent_id)
        title = "、".join(was["tags"])
        subject = f"{title} {was['name']}"
        node = store.get_node(ent_id)
        evidence: dict[str, Any] = {
            "versions": [prev.number, latest.number],
            "files": latest.files,
            "time": latest.time,
            "before": was,
            "after": now,
            "sources": list(node.props.get("sources") or ()) if node else [],
        }
        if ent is None or now is None:
            message = f"{title}“{was['name']}”在版本{latest.number}中已不在企业清单"
            out.append(_alert("anchor_gone", "high", subject, message, evidence))
            continue
        if not now.get("local"):
            message = (
                f"{title}“{was['name']}”迁出省外：是否省内由“是”变为“否”"
                f"（版本{prev.number}→{latest.number}，现所在地区：{place_text(now.get('region')) or '未填'}）"
            )
            out.append(_alert("anchor_left", "high", subject, message, evidence))
            continue
        r0, r1 = was.get("revenue"), now.get("revenue")
        if r0 and r1 is not None and (r0 - r1) / r0 > pparams.alert_revenue_drop:
            drop = (r0 - r1) / r0
            message = (
                f"{title}“{was['name']}”营收由{fmt_yi(r0)}亿元降至{fmt_yi(r1)}亿元，"
                f"降幅{drop * 100:.0f}%（超过{pparams.alert_revenue_drop * 100:.0f}%）"
            )
            severity: Severity = "high" if drop > 2 * pparams.alert_revenue_drop else "medium"
            out.append(_alert("anchor_revenue", severity, subject, message, evidence))
    return out


def _alert(
    kind: AlertKind, severity: Severity, subject: str, message: str, evidence: dict[str, Any]
) -> Alert:
    return Alert(kind=kind, severity=severity, subject=subject, message=message, evidence=evidence)


def _since(at: str) -> date | None:
    return parse_day(at[:10]) if at else None


def _stalled_projects(
    store: GraphStore,
    snap: Snapshot,
    pparams: ProvinceParams,
    chains: list[ChainInfo],
    scope: Scope,
    known: list[Version],
) -> list[Alert]:
    """Stalled by the load history; 年份-only cases summed up per chain (low severity)."""
    key = record_id("state", "projects")
    state = read_data(store.get_nodes(LABEL, [key]).get(key)) or {}
    today = pparams.current_date()
    limit = pparams.alert_stalled_days
    stages = set(pparams.alert_stalled_stages)
    wanted = {c.id for c in chains}
    times = {v.number: v.time for v in known}
    latest = known[-1].number if known else None
    out = []
    undated: dict[str, list[tuple[str, str, int]]] = defaultdict(list)  # chain → name, stage, 年份
    for proj_id, row in sorted(state.items()):
        stage, version, at, year, first = (*row, None, None, None)[:5]
        proj = snap.projects.get(proj_id)
        if proj is None or proj.stage != stage or stage not in stages:
            continue
        in_chains = _chain_ids(snap, proj.links) & wanted
        if not in_chains or not scope.holds(proj.places):
            continue
        recorded = times.get(version) or at
        since = _since(recorded)
        days = (today - since).days if since is not None else None
        if days is not None and days > limit:
            how = "首次导入即为" if first else "变为"
            message = (
                f"项目“{proj.name}”于版本{version}（{recorded[:10]}）{how}{stage}阶段，"
                f"此后各次导入阶段未变，已{days}天（超过{limit}天）"
            )
            evidence = {
                "project": proj.name,
                "stage": stage,
                "since": since.isoformat() if since else None,
                "since_version": version,
                "versions": [version, latest] if latest is not None else [version],
                "files": _files(known, version),
                "source": proj.source,
            }
            severity: Severity = "high" if days > 2 * limit else "medium"
            out.append(_alert("project_stalled", severity, proj.name, message, evidence))
        elif year and (today - date(int(year), 12, 31)).days > limit:
            for chain_id in in_chains:
                undated[chain_id].append((proj.name, stage, int(year)))
    for chain_id, rows in sorted(undated.items(), key=lambda kv: snap.chains[kv[0]].name):
        out.append(_undated(snap.chains[chain_id], scope, rows, limit, known))
    return out


def _files(known: list[Version], version: int) -> list[str]:
    return next((v.files for v in known if v.number == version), [])


def _undated(
    chain: ChainInfo,
    scope: Scope,
    rows: list[tuple[str, str, int]],
    limit: int,
    known: list[Version],
) -> Alert:
    """One low-severity summary: projects whose only age evidence is their 年份."""
    years = sorted({y for _, _, y in rows})
    by_stage: dict[str, int] = defaultdict(int)
    for _, stage, _ in rows:
        by_stage[stage] += 1
    stages = "、".join(f"{stage}{n}个" for stage, n in sorted(by_stage.items()))
    span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
    first = known[0].time[:10] if known else ""
    message = (
        f"{scope.zh}{chain.name}产业链有{len(rows)}个项目（{stages}）年份为{span}，"
        f"但导入记录（最早{first}）尚不足{limit}天，无法判断是否停滞；请核实其当前阶段"
    )
    evidence = {
        "chain": chain.name,
        "region": scope.name,
        "projects": len(rows),
        "stages": dict(sorted(by_stage.items())),
        "years": [years[0], years[-1]],
        "examples": [name for name, _, _ in sorted(rows, key=lambda r: (r[2], r[0]))[:10]],
        "basis": "项目年份（项目清单无阶段日期）",
    }
    return _alert("projects_undated", "low", f"{chain.name}·{scope.zh}", message, evidence)


def _open_problems(
    store: GraphStore,
    snap: Snapshot,
    params: AnalysisParams,
    pparams: ProvinceParams,
    chains: list[ChainInfo],
    scope: Scope,
) -> list[Alert]:
    key = record_id("state", "problems")
    state = read_data(store.get_nodes(LABEL, [key]).get(key)) or {}
    blocking = set(params.blocking_problem_types)
    today = pparams.current_date()
    links_of: dict[str, list[str]] = defaultdict(list)
    for info in chains:
        for link_id, problems in info.problems.items():
            for problem_id in problems:
                links_of[problem_id].append(link_id)
    out = []
    for problem_id, row in sorted(state.items()):
        is_open, status, version, at = row[:4]
        problem = snap.problems.get(problem_id)
        if problem is None or not is_open or problem.type not in blocking:
            continue
        if problem_id not in links_of:
            continue
        if (
            problem.enterprises
            and scope.id is not None
            and not any(scope.holds(snap.enterprises[e].places) for e in problem.enterprises)
        ):
            continue
        since = _since(at)
        if since is None:
            continue
        days = (today - since).days
        if days <= pparams.alert_stalled_days:
            continue
        links = "、".join(snap.links[x].name for x in links_of[problem_id])
        message = (
            f"{problem.type}问题“{problem.name}”（涉及{links}）自版本{version}（{at[:10]}）起"
            f"未销号，已{days}天（状态：{status}）"
        )
        node = store.get_node(problem_id)
        evidence = {
            "sources": list(node.props.get("sources") or ()) if node else [],
            "problem": problem.name,
            "type": problem.type,
            "status": status,
            "since": since.isoformat(),
            "since_version": version,
            "links": [snap.links[x].name for x in links_of[problem_id]],
        }
        out.append(_alert("problem_open", "high", problem.name, message, evidence))
    return out
