"""Two working views over the lists: 项目清单 as a 调度 (progress review) view and 问题清单 as a
销号 (closing) view.

The 调度 view marks the projects whose stage has not changed across loads. It reads the
running project states that every changing load records (queries.province.history: each
project's stage and the version since which it has not moved): a project whose stage dates
from a version before the latest has stood still through at least one later load. Projects
at 投产 (or 达产) have nothing left to move to and are not marked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from graph_schema.definitions import PROBLEM_TYPES
from queries.diagnosis import ChainDiagnosis, run
from queries.list_models import (
    ClosingGroup,
    ClosingItem,
    ClosingView,
    DispatchGroup,
    DispatchItem,
    DispatchTotals,
    DispatchView,
    LinkState,
    StageFigure,
    Unchanged,
)
from queries.lists import LISTS, ListBook, ListQuery, select_rows
from queries.params import AnalysisParams
from queries.province.history import LABEL, read_data, record_id
from queries.scope import PROVINCE
from queries.snapshot import Snapshot
from queries.wording import STATUS_ZH
from store.base import GraphStore

__all__ = ["DISPATCH_STAGES", "StageHistory", "closing_view", "dispatch_view", "stage_history"]

DISPATCH_STAGES = ("储备", "在谈", "签约", "开工", "在建", "投产")
_AS = {"达产": "投产"}
GROUPS = {"chain": "产业链", "city": "设区市"}


FINAL_STAGES = ("投产", "达产")


@dataclass(frozen=True)
class StageHistory:
    """Each project's stage as history records it: the latest recorded version, and per
    project id (stage, the version since which it has had that stage, that version's time)."""

    version: int
    since: dict[str, tuple[str, int, str]]

    def unchanged(self, project_id: str, stage: str | None) -> Unchanged | None:
        """Since which version the project has had `stage`, when that version is before the
        latest (and the stage is not a final one); else None."""
        known = self.since.get(project_id)
        if known is None or known[0] != stage or stage in FINAL_STAGES:
            return None
        _, since_version, since_time = known
        if since_version >= self.version:
            return None
        return Unchanged(
            since_version=since_version,
            since=since_time[:10],
            versions=self.version - since_version,
        )


def stage_history(store: GraphStore) -> StageHistory | None:
    """The projects' recorded stages (None before any load has recorded them)."""
    key = record_id("state", "projects")
    node = store.get_nodes(LABEL, [key]).get(key)
    data = read_data(node)
    if node is None or not isinstance(data, dict):
        return None
    since = {
        pid: (str(row[0] or ""), int(row[1]), str(row[2] or ""))
        for pid, row in data.items()
        if isinstance(row, list) and len(row) >= 3
    }
    return StageHistory(int(node.props.get("version") or 0), since)


def dispatch_view(
    book: ListBook,
    snap: Snapshot,
    filters: Mapping[str, str],
    group_by: str = "chain",
    history: StageHistory | None = None,
) -> DispatchView:
    """Projects by stage with totals (count, 亿元), grouped by chain or by 市; 5020 marked;
    with `history`, each project's `unchanged` (since which version its stage has not
    changed, see `StageHistory.unchanged`) and each group's count of them."""
    rows = select_rows(book, snap, LISTS["projects"], ListQuery(filters))
    groups: dict[str, list[DispatchItem]] = defaultdict(list)
    for row in rows:
        item = DispatchItem.model_validate({**row.values, "unchanged": None})
        if history is not None:
            item.unchanged = history.unchanged(row.id, item.stage)
        if group_by == "city":
            key = (item.region or "未填地区").split("/")[0]
        else:
            key = item.chain or "未填产业链"
        groups[key].append(item)
    out = [
        DispatchGroup(name=name, **dict(_totals(items)), items=items)
        for name, items in groups.items()
    ]
    out.sort(key=lambda g: -g.amount)
    every = [item for group in groups.values() for item in group]
    return DispatchView(
        group_by=group_by,
        group_zh=GROUPS.get(group_by, "产业链"),
        stages=list(DISPATCH_STAGES),
        history_version=history.version if history is not None else None,
        total=_totals(every),
        groups=out,
    )


def _totals(items: list[DispatchItem]) -> DispatchTotals:
    by_stage = {s: StageFigure(count=0, amount=0.0) for s in DISPATCH_STAGES}
    for item in items:
        stage = _AS.get(item.stage or "", item.stage or "")
        if stage in by_stage:
            figure = by_stage[stage]
            figure.count += 1
            figure.amount = round(figure.amount + (item.amount or 0), 4)
    return DispatchTotals(
        count=len(items),
        amount=round(sum(i.amount or 0 for i in items), 4),
        is_5020=sum(bool(i.is_5020) for i in items),
        unchanged=sum(i.unchanged is not None for i in items),
        by_stage=by_stage,
    )


def closing_view(
    book: ListBook, snap: Snapshot, filters: Mapping[str, str], params: AnalysisParams
) -> ClosingView:
    """Open problems (待办, 办理中) by type and owner, with the links they affect and those
    links' statuses in the province, and the firms they name."""
    wanted = dict(filters)
    wanted.setdefault("status", "待办、办理中")
    rows = select_rows(book, snap, LISTS["problems"], ListQuery(wanted))
    results: dict[str, ChainDiagnosis] = {}
    link_ids = {link.name: link.id for link in snap.links.values()}
    chain_ids = {c.name: c.id for c in snap.chains.values()}
    groups: dict[tuple[str, str], list[ClosingItem]] = defaultdict(list)
    for row in rows:
        item = ClosingItem.model_validate({**row.values, "link_status": []})
        chain_id = chain_ids.get(item.chain or "")
        for name in item.links:
            link_id = f"{chain_id}/{name}".replace("chain:", "link:", 1) if chain_id else None
            link_id = link_id if link_id in snap.links else link_ids.get(name)
            status = None
            if link_id is not None:
                owner = snap.links[link_id].chain
                if owner not in results:
                    results[owner] = run(snap, snap.chains[owner], PROVINCE, params)
                status = results[owner].verdicts[link_id].status
            state = LinkState(name=name, status=status, status_zh=STATUS_ZH.get(status or ""))
            item.link_status.append(state)
        groups[(item.type or "未分类", item.owner or "未明确")].append(item)
    rank = {t: i for i, t in enumerate(PROBLEM_TYPES)}
    ordered = sorted(groups.items(), key=lambda kv: (rank.get(kv[0][0], 99), kv[0][1]))
    return ClosingView(
        total=len(rows),
        groups=[ClosingGroup(type=t, owner=o, items=items) for (t, o), items in ordered],
    )
