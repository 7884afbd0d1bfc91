"""`chainkg load … --neo4j-bulk DIR`: a first load into an empty Neo4j database written as the
files of neo4j-admin's bulk importer (store/neo4j_bulk.py), for `bash scripts/neo4j.sh import
DIR` (docs/neo4j-bulk.md).

The files are read and validated exactly as a load does, against the database they are meant
for, which must be empty: the importer builds a whole new database, so anything it held would
be lost. The folder is written under a temporary name and renamed at the end, so it is either
complete or absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from app.importing import ImportReport, totals, validate
from app.settings import Settings
from graph_schema.errors import InputError
from loaders.workbook import ProgressFn, paused_gc
from store.base import GraphStore, LoadSession


def check_target(store: GraphStore, out: Path, where: str) -> None:
    """Refuse unless the store is an empty Neo4j database and `out` is new (or an empty folder)."""
    if getattr(store, "begin_bulk_export", None) is None:
        raise InputError(
            "--neo4j-bulk 为 Neo4j 写出批量导入文件：请先设置 NEO4J_URI（导入目标数据库，须为空）"
        )
    stats = store.stats()
    held = sum(stats["nodes"].values()) + sum(stats["relationships"].values())
    if held or store.imports():
        raise InputError(
            f"--neo4j-bulk 只用于空数据库的首次导入：{where} 已有 "
            f"{sum(stats['nodes'].values()):,} 个节点、{sum(stats['relationships'].values()):,} 条关系"
            "（批量导入会整个替换数据库）；已有数据时请用 chainkg load（不加 --neo4j-bulk）"
        )
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"--neo4j-bulk 的输出文件夹 {out} 已存在且不为空：请指定新的文件夹")


def export_bulk(
    store: GraphStore,
    paths: Sequence[Path],
    out: Path,
    settings: Settings,
    progress: ProgressFn | None = None,
    check: Callable[[], None] | None = None,
    at: str | None = None,
) -> ImportReport:
    """Read and validate `paths` as `chainkg load` does and write them into `out` as import
    files; nothing is written (and `out` not created) when anything fails."""
    check_target(store, out, settings.neo4j_uri or str(settings.db))
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    session: LoadSession = store.begin_bulk_export(partial, check, at)  # type: ignore[attr-defined]
    try:
        with paused_gc():
            result = validate(store, paths, settings, progress, check, session.write_part)
            if progress is not None:
                progress("校验通过，写出批量导入文件", result.rows)
            summary = session.commit(result.batch, result.files, totals(result))
        if out.exists():
            out.rmdir()  # empty, checked above
        partial.rename(out)
    except BaseException:
        session.rollback()
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return ImportReport(
        files=[f.name for f in result.files],
        rows=result.rows,
        counts=result.counts,
        summary=summary,
        warnings=result.warnings,
    )
