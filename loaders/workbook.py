"""Load: input files → one validated, resolved `GraphBatch`, or every problem found.

Sheets are processed in dependency order across all files of a load (产业链图 first), so a
folder or several workbooks load as one. Nothing is written here: the caller hands the batch
to a store only when no error was found.
"""

from __future__ import annotations

import gc
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException

from graph_schema import GraphBatch, Node
from graph_schema.batch import SourceFile
from graph_schema.errors import ChainKGError, InputError, Issue
from graph_schema.identity import IdentityIndex
from loaders import lists
from loaders.chain_map import add_chain_map
from loaders.context import Context
from loaders.document_batch import add_document
from loaders.documents import DOCUMENT_SUFFIXES, read_document
from loaders.mentions import Gazetteer
from loaders.readers import (
    ReadLimits,
    SheetHandle,
    discover,
    input_files,
    os_reason,
    sha256_of,
)
from loaders.rows import Record, records
from loaders.sheets import SHEETS
from loaders.tracking import add_contact

ProgressFn = Callable[[str, int], None]  # (what is being read, rows read so far)
# A streaming load's writer: a part of the batch, and the nodes kept for later parts.
PartSink = Callable[[GraphBatch, Mapping[str, Node]], None]
PART_ROWS = 5_000  # rows of a list sheet between two parts handed to a `PartSink`


@dataclass(frozen=True)
class LoadOptions:
    province: str
    limits: ReadLimits
    part_rows: int = PART_ROWS


@dataclass
class LoadResult:
    """What a load read. With a `PartSink`, `batch` is only the last part (earlier parts went
    to the sink) and `counts` covers them all; without one, `batch` is everything."""

    batch: GraphBatch
    files: list[SourceFile]
    rows: int
    warnings: list[Issue] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)


class _Sheets:
    """Per-sheet handlers that keep state across the files of one load."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.enterprises = lists.EnterpriseSheet(ctx)
        self.projects_seen: dict[str, int] = {}

    def handle(self, key: str, rows: Iterable[Record]) -> None:
        ctx = self.ctx
        if key == "chain_map":
            add_chain_map(ctx, list(rows))
        elif key == "regions":
            lists.add_regions(ctx, rows)
        elif key == "enterprises":
            for record in rows:
                self.enterprises.add(record)
        else:
            for record in rows:
                self._one(key, record)

    def _one(self, key: str, record: Record) -> None:
        if key == "projects":
            lists.add_project(self.ctx, record, self.projects_seen)
        elif key == "clusters":
            lists.add_cluster(self.ctx, record)
        elif key == "policies":
            lists.add_policy(self.ctx, record)
        elif key == "problems":
            lists.add_problem(self.ctx, record)
        elif key == "technologies":
            lists.add_technology(self.ctx, record)
        elif key == "applications":
            lists.add_application(self.ctx, record)
        elif key == "tracking":
            add_contact(self.ctx, record)


def read_batch(
    paths: Sequence[Path],
    index: IdentityIndex,
    options: LoadOptions,
    progress: ProgressFn | None = None,
    stored_parents: Mapping[str, str] | None = None,
    sink: PartSink | None = None,
) -> LoadResult:
    """The batch for these inputs; raises `InputError` listing every error found.

    `stored_parents` (link id → parent link id) is the chain map the store holds already,
    against which the parent invariants of the load are checked.

    With a `sink`, the load streams: every `options.part_rows` rows of a list sheet, the
    enterprises, projects and relationships read so far go to the sink (which writes them
    into an open transaction) and are dropped here, so memory is bounded by a part plus the
    identity index. Once an error is found, parts are dropped without reaching the sink: the
    caller rolls the transaction back when `InputError` is raised.
    """
    with paused_gc():
        try:
            return _read_batch(paths, index, options, progress, stored_parents or {}, sink)
        except OSError as exc:  # a file that vanished, a permission, a folder named x.csv
            name = Path(str(exc.filename or "")).name
            message = f"无法读取文件“{name}”（{os_reason(exc)}）"
            raise InputError(message, [Issue(message, name, file=name)]) from None


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a load builds its (acyclic) objects by the million.

    The collector would rescan the growing batch again and again: about a fifth of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_batch(
    paths: Sequence[Path],
    index: IdentityIndex,
    options: LoadOptions,
    progress: ProgressFn | None,
    stored_parents: Mapping[str, str],
    sink: PartSink | None,
) -> LoadResult:
    files = [f for p in paths for f in input_files(Path(p))]
    issues: list[Issue] = []
    ctx = Context(index, options.province, stored_parents=dict(stored_parents))
    sheets = _Sheets(ctx)
    parts = _Parts(ctx, issues, sink) if sink is not None else None
    counter = _Counter(progress, options.limits.check, parts, options.part_rows)
    documents = [f for f in files if f.suffix.lower() in DOCUMENT_SUFFIXES]
    with ExitStack() as stack:
        handles = [
            h
            for f in files
            if f not in documents
            for h in discover(f, options.limits, issues, stack)
        ]
        if not handles and not documents:
            raise InputError(
                "没有找到可识别的工作表（表名应为 " + "、".join(s.zh for s in SHEETS) + "）", issues
            )
        for spec in SHEETS:
            for handle in (h for h in handles if h.spec is spec):
                sheets.handle(spec.key, counter.count(handle, records(handle.open(), issues)))
        sheets.enterprises.finish()
    if documents:
        _add_documents(ctx, documents, options, issues)
    issues = sorted([*issues, *ctx.issues], key=_position)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise InputError(f"发现 {len(errors)} 处错误，未写入任何数据", issues)
    _check_schema(ctx.batch)
    sources = [SourceFile(f.name, sha256_of(f)) for f in files]
    counts = ctx.batch.counts() if parts is None else parts.add(ctx.batch)
    return LoadResult(
        ctx.batch, sources, counter.total, [i for i in issues if i.severity != "error"], counts
    )


def _check_schema(batch: GraphBatch) -> None:
    problems = batch.schema_problems()
    if problems:  # a defect of chainkg, not of the input
        raise ChainKGError("内部错误：生成的数据不符合图模式：" + "；".join(problems[:5]))


class _Parts:
    """Hands parts of a streaming load to its sink, and counts what went by.

    A node or relationship that a later part mentions again (a region, a bare reference to an
    enterprise of an earlier part) is counted again: the counts of a load written in several
    parts may exceed the distinct nodes and relationships it holds."""

    def __init__(self, ctx: Context, issues: list[Issue], sink: PartSink) -> None:
        self.ctx = ctx
        self.issues = issues
        self.sink = sink
        self.nodes: dict[str, int] = {}
        self.rels: dict[str, int] = {}
        self._seen = (0, 0)
        self.failed = False

    def flush(self) -> None:
        part = self.ctx.take_part()
        self.add(part)
        if self._errors_found():
            return  # nothing will be written: the part is only counted
        _check_schema(part)
        self.sink(part, self.ctx.batch.nodes)

    def add(self, part: GraphBatch) -> dict[str, dict[str, int]]:
        """Counts the part; returns the totals so far."""
        for label, n in part.counts()["nodes"].items():
            self.nodes[label] = self.nodes.get(label, 0) + n
        for rel_type, n in part.counts()["relationships"].items():
            self.rels[rel_type] = self.rels.get(rel_type, 0) + n
        return {"nodes": dict(self.nodes), "relationships": dict(self.rels)}

    def _errors_found(self) -> bool:
        """Whether any error was reported (looking only at issues added since last time)."""
        if not self.failed:
            a, b = self._seen
            new = [*self.issues[a:], *self.ctx.issues[b:]]
            self.failed = any(i.severity == "error" for i in new)
            self._seen = (len(self.issues), len(self.ctx.issues))
        return self.failed


def _add_documents(
    ctx: Context, paths: list[Path], options: LoadOptions, issues: list[Issue]
) -> None:
    """Documents last: their mentions resolve against this load's nodes as well."""
    gazetteer = Gazetteer(ctx.index.nodes.values(), options.province)
    for path in paths:
        if options.limits.check is not None:
            options.limits.check()
        try:
            document = read_document(path, options.limits)
            issues.extend(document.warnings)
            add_document(ctx, document, gazetteer)
        except InputError as exc:
            issues.extend(exc.issues or [Issue(str(exc), path.name)])
        except DefusedXmlException:
            message = f"“{path.name}”含有实体声明或外部引用（可能是恶意文件），拒绝读取"
            issues.append(Issue(message, path.name, file=path.name))
        except (ParseError, ExpatError, zipfile.BadZipFile, KeyError, EOFError):
            message = f"“{path.name}”已损坏或不是有效的 .docx 文档，无法读取"
            issues.append(Issue(message, path.name, file=path.name))
        except (NotImplementedError, RuntimeError):
            message = f"“{path.name}”的内容已加密或使用了不支持的压缩方式，无法读取"
            issues.append(Issue(message, path.name, file=path.name))


_SHEET_ORDER = {s.zh: n for n, s in enumerate(SHEETS)}


def _position(issue: Issue) -> tuple[int, int]:
    """Issues in the order a clerk reads them: by sheet, then by row."""
    return (_SHEET_ORDER.get(issue.sheet, -1), issue.row or 0)


_UNSTREAMED = frozenset({"chain_map", "regions"})  # read whole before they are resolved


class _Counter:
    def __init__(
        self,
        progress: ProgressFn | None,
        check: Callable[[], None] | None,
        parts: _Parts | None = None,
        part_rows: int = PART_ROWS,
    ) -> None:
        self.progress = progress
        self.check = check
        self.parts = parts
        self.part_rows = part_rows
        self.total = 0

    def count(self, handle: SheetHandle, rows: Iterable[Record]) -> Iterator[Record]:
        label = f"读取 {handle.file} · {handle.spec.zh}"
        parts = None if handle.spec.key in _UNSTREAMED else self.parts
        for n, record in enumerate(rows, start=1):
            self.total += 1
            if n % 2000 == 0:
                if self.check is not None:
                    self.check()
                if self.progress is not None:
                    self.progress(label, self.total)
            yield record
            # Resumed here once the record is resolved: a good moment to hand a part over.
            if parts is not None and n % self.part_rows == 0:
                parts.flush()
        if self.progress is not None:
            self.progress(label, self.total)
