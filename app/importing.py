"""An import: read and validate files into a batch, then write it whole (or nothing)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.settings import Settings
from graph_schema import GraphBatch, Node
from graph_schema.errors import Issue
from graph_schema.identity import IdentityIndex
from loaders.readers import input_size
from loaders.workbook import LoadResult, PartSink, ProgressFn, paused_gc, read_batch
from queries.province.history import record_version
from queries.snapshot import Snapshot
from store.base import GraphStore, LoadSession, WriteSummary, begin_load, lean_cache

LARGE_INPUT_BYTES = 2_000_000  # a first load this large picks the store's bulk-load path


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
    sink: PartSink | None = None,
) -> LoadResult:
    """The batch these files make against what the store holds; raises InputError.

    `check` is called as reading and validation go on; it raises to stop the import (time
    limit, a client that went away). With a `sink` the load streams (see `read_batch`)."""
    index = store.identity_index()
    if check is not None:
        check()
    options = settings.load_options(check)
    return read_batch(paths, index, options, progress, link_parents(store, index), sink)


def totals(result: LoadResult) -> dict[str, int]:
    """How many nodes and relationships a load read, as its import record keeps them."""
    return {
        "nodes": sum(result.counts["nodes"].values()),
        "relationships": sum(result.counts["relationships"].values()),
    }


def _discard(part: GraphBatch, pending: Mapping[str, Node]) -> None:
    """A dry run's sink: parts are validated and counted, then dropped."""


def _stream(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    progress: ProgressFn | None,
    dry_run: bool,
    check: Callable[[], None] | None,
) -> tuple[WriteSummary | None, ImportReport]:
    """Read, validate and write in parts inside one store transaction: memory is bounded by a
    part, not by the input. Any error (or `check` raising) rolls the whole load back."""
    session: LoadSession | None = None
    if not dry_run:
        large = sum(input_size(Path(p)) for p in paths) >= LARGE_INPUT_BYTES
        session = begin_load(store, large, check)
    try:
        result = validate(
            store, paths, settings, progress, check, session.write_part if session else _discard
        )
        if check is not None:
            check()
        summary = None
        if session is not None:
            if progress is not None:
                progress("校验通过，写入数据库", result.rows)
            summary = session.commit(result.batch, result.files, totals(result))
    except BaseException:
        if session is not None:
            session.rollback()
        raise
    report = ImportReport(
        files=[f.name for f in result.files],
        rows=result.rows,
        counts=result.counts,
        summary=summary,
        warnings=result.warnings,
    )
    return summary, report


def link_parents(store: GraphStore, index: IdentityIndex) -> dict[str, str]:
    """The stored chain map: each link's parent link (the load checks its invariants on it)."""
    links = {known.id for known in index.of_label("Link")}
    return {e.src: e.dst for e in store.iter_edges("PART_OF") if e.src in links}


def run_import(
    store: GraphStore,
    paths: Sequence[Path],
    settings: Settings,
    progress: ProgressFn | None = None,
    dry_run: bool = False,
    check: Callable[[], None] | None = None,
    keep_snapshot: bool = True,
) -> ImportReport:
    """Read, validate and write `paths` whole, or nothing. `check` is called all along, up to
    the store's commit (reading, validation, every write step); what it raises stops the
    import with nothing written. After the commit the import has happened: the version's
    summaries (history, alerts) are then recorded without further checks, from the new
    version's snapshot (kept in the report for a server to adopt), or with `keep_snapshot`
    False from the lighter reading of only what the record needs."""
    with paused_gc():
        summary, report = _stream(store, paths, settings, progress, dry_run, check)
    if summary is not None and summary.changed:
        if progress is not None:
            progress("记录版本摘要（历史与预警）", report.rows)
        with lean_cache(store):  # the record scans the store: a big cache only adds to the peak
            report.snapshot = record_version(
                store, settings.analysis(), settings.province_params(), keep=keep_snapshot
            )
    return report
