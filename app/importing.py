"""An import: read and validate files into a batch, then write it whole (or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.settings import Settings
from graph_schema.errors import Issue
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
    store: GraphStore, paths: Sequence[Path], settings: Settings, progress: ProgressFn | None = None
) -> LoadResult:
    """The batch these files make against what the store holds; raises InputError."""
    return read_batch(paths, store.identity_index(), settings.load_options(), progress)


def run_import(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
    dry_run: bool = False,
) -> ImportReport:
    with paused_gc():
        result = validate(store, paths, settings, progress)
        if progress is not None and not dry_run:
            progress("校验通过，写入数据库", result.rows)
        summary = None if dry_run else store.write(result.batch, result.files)
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
