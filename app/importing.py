"""An import: read and validate files into a batch, then write it whole (or nothing)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.settings import Settings
from graph_schema.errors import Issue
from graph_schema.identity import IdentityIndex
from loaders.workbook import LoadResult, ProgressFn, paused_gc, read_batch
from queries.province.history import record_version
from queries.snapshot import Snapshot
from store.base import GraphStore, WriteSummary


@dataclass
class ImportReport:
    files: list[str]
    rows: int
    counts: dict[str, dict[str, int]]
    summary: WriteSummary | None  # None for a dry run
    warnings: list[Issue] = field(default_factory=list)
    snapshot: Snapshot | None = None  # built to record the new version; a server may adopt it


def validate(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
    check: Callable[[], None] | None = None,
) -> LoadResult:
    """The batch these files make against what the store holds; raises InputError.

    `check` is called as reading and validation go on; it raises to stop the import (time
    limit, a client that went away)."""
    index = store.identity_index()
    if check is not None:
        check()
    options = settings.load_options(check)
    return read_batch(paths, index, options, progress, link_parents(store, index))


def link_parents(store: GraphStore, index: IdentityIndex) -> dict[str, str]:
    """The stored chain map: each link's parent link (the load checks its invariants on it)."""
    links = {k for k, known in index.nodes.items() if known.label == "Link"}
    return {e.src: e.dst for e in store.iter_edges("PART_OF") if e.src in links}


def run_import(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
    dry_run: bool = False,
    check: Callable[[], None] | None = None,
) -> ImportReport:
    """Read, validate and write `paths` whole, or nothing. `check` is called all along, up to
    the store's commit (reading, validation, every write step); what it raises stops the
    import with nothing written. After the commit the import has happened: the version's
    summaries (history, alerts) are then recorded without further checks."""
    with paused_gc():
        result = validate(store, paths, settings, progress, check)
        if check is not None:
            check()
        if progress is not None and not dry_run:
            progress("校验通过，写入数据库", result.rows)
        summary = None if dry_run else store.write(result.batch, result.files, check)
        report = ImportReport(
            files=[f.name for f in result.files],
            rows=result.rows,
            counts=result.batch.counts(),
            summary=summary,
            warnings=result.warnings,
        )
        del result  # freed by reference counting, before the collector is back on
    if summary is not None and summary.changed:
        if progress is not None:
            progress("记录版本摘要（历史与预警）", report.rows)
        report.snapshot = record_version(store, settings.analysis(), settings.province_params())
    return report
