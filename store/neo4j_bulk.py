"""A first load into Neo4j through neo4j-admin's bulk importer (issue 17).

`Neo4jBulkExport` is a `LoadSession`: instead of sending transactions to a server it writes the
load, part by part as the loader streams, into the CSV files of `neo4j-admin database import
full`, with the nodes' labels, ids and property maps exactly as `Neo4jLoad` writes them into an
empty database (the same `_node_row` / `_edge_props`), the import record its commit writes, and
the constraints and indexes of `graph_schema.ddl.neo4j_ddl`. `bash scripts/neo4j.sh import DIR`
then builds a new database from them beside the served one and puts it in place; the result is
the graph a batched load of the same files into the empty database leaves (tests/store/
test_neo4j_bulk.py compares the digests).

What a folder holds:

    nodes/<Label>.csv             one header line (id:ID, name, the label's schema properties,
                                  typed), then a row per node; a property left out is empty
    nodes/<Label>-<n>.csv         nodes whose properties do not fit those columns (a key
                                  outside the schema, a value of another type, an empty
                                  string): one file per shape, with its own header
    relationships/<TYPE>.csv      :START_ID, :END_ID and the type's schema properties
    relationships/<TYPE>-<n>.csv  as for nodes
    import.args                   the importer's arguments, one a line (paths relative to DIR)
    schema.cypher                 the constraints and indexes, one statement a line
    manifest.json                 what was written (counts, the import record)

Lists are written with the unit separator U+001F between items (a value holding it is refused);
files with a line break inside a value are named to the importer as multi-line.

A node or relationship that a later part mentions again (a bare reference, a repeated row) is
merged as `Neo4jLoad` merges it into what it wrote before, and counted as it counts it: nodes
are remembered by id; relationships by a 64-bit hash of their key (8 bytes each;
the file rows keep the part they came in), and the few repeated ones are found, merged and written once at the commit.
"""

from __future__ import annotations

import csv
import json
import shutil
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np

from graph_schema import SCHEMA, Edge, GraphBatch, Node
from graph_schema.batch import SourceFile
from graph_schema.errors import StoreError
from graph_schema.model import PropType
from store.base import WriteSummary, dangling_error, plan_edges, plan_nodes, unknown_shapes
from store.cypher import STATEMENTS
from store.neo4j import _edge_props, _import_props, _node_row, _stored_node

ARRAY_DELIMITER = "\x1f"  # the unit separator: no text a person types holds it
FORMAT = 1  # of manifest.json

# Column types of the importer's header, by schema type, and the Python type a value written
# by `Neo4jLoad` has in each (bool is checked before int: it is one).
_COLUMN = {
    PropType.STR: "string",
    PropType.DATE: "string",
    PropType.INT: "long",
    PropType.FLOAT: "double",
    PropType.BOOL: "boolean",
    PropType.LIST: "string[]",
}


def _kind(value: Any) -> str:
    """The importer's type for a value as Neo4j would store it; refuses what it cannot hold."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise StoreError(f"整数 {value} 超出 Neo4j 的 64 位范围，无法批量导入")
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list) and value:
        kinds = {_kind(item) for item in value}
        if len(kinds) == 1 and "[" not in next(iter(kinds)):
            return f"{next(iter(kinds))}[]"
    raise StoreError(
        f"属性值 {value!r} 无法写成批量导入文件（空列表或混合类型的列表），"
        "请改用普通导入（不加 --neo4j-bulk）"
    )


def _cell(value: Any, kind: str) -> Any:
    """A value as its CSV cell."""
    if kind == "boolean":
        return "true" if value else "false"
    if kind.endswith("[]"):
        items = [_cell(item, kind[:-2]) for item in value]
        for item in items:
            if isinstance(item, str) and (ARRAY_DELIMITER in item or item == ""):
                raise StoreError(
                    f"列表 {value!r} 含空字符串或控制字符 U+001F，无法写成批量导入文件，"
                    "请改用普通导入（不加 --neo4j-bulk）"
                )
        return ARRAY_DELIMITER.join(str(item) for item in items)
    return value


def _fits(value: Any, kind: str) -> bool:
    """Whether a value goes in a column of `kind` as it is (else its row gets its own shape)."""
    if kind == "string":
        return isinstance(value, str) and value != ""  # "" needs quotes: an empty cell is null
    if kind == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "double":
        return isinstance(value, float)
    if kind == "boolean":
        return isinstance(value, bool)
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, str) and item != "" for item in value)
    )


def _multiline(value: Any) -> bool:
    if isinstance(value, str):
        return "\n" in value or "\r" in value
    return isinstance(value, list) and any(_multiline(item) for item in value)


@dataclass
class _File:
    """One CSV file of the import: a header and its rows (an open writer until the commit)."""

    path: Path
    keys: list[str]  # property keys, in column order (after the id or the two ends)
    kinds: list[str]
    quote_all: bool  # files of one shape quote every cell ("" stays an empty string)
    rows: int = 0
    multiline: bool = False
    marks: list[tuple[int, int]] = field(default_factory=list)  # (part, rows before it)
    _handle: IO[str] | None = None
    _writer: Any = None

    def open(self, head: list[str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        quoting: Literal[0, 1] = csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL
        self._writer = csv.writer(self._handle, quoting=quoting, lineterminator="\n")
        header = [*head, *(f"{k}:{t}" for k, t in zip(self.keys, self.kinds, strict=True))]
        self._writer.writerow(header)

    def open_append(self) -> None:
        """Open the (closed) file again to add rows after the ones it holds."""
        self._handle = self.path.open("a", encoding="utf-8", newline="")
        quoting: Literal[0, 1] = csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL
        self._writer = csv.writer(self._handle, quoting=quoting, lineterminator="\n")

    def write(self, part: int, first: list[str], values: list[Any]) -> None:
        if not self.marks or self.marks[-1][0] != part:
            self.marks.append((part, self.rows))
        cells = [
            None if v is None else _cell(v, k) for v, k in zip(values, self.kinds, strict=True)
        ]
        if not self.multiline and any(_multiline(v) for v in values):
            self.multiline = True
        self._writer.writerow([*first, *cells])
        self.rows += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def part_of(self, row: int) -> int:
        """The part a data row (0-based) came in."""
        part = self.marks[0][0]
        for mark, start in self.marks:
            if start > row:
                break
            part = mark
        return part


class _Group:
    """The files of one label (or relationship type): the schema's columns, and one file per
    other shape of property map."""

    def __init__(self, folder: Path, name: str, head: list[str], columns: dict[str, str]) -> None:
        self.folder, self.name, self.head = folder, name, head
        keys = list(columns)
        self.main = _File(folder / f"{name}.csv", keys, [columns[k] for k in keys], False)
        self.main.open(head)
        self.shapes: dict[tuple[tuple[str, str], ...], _File] = {}

    def files(self) -> list[_File]:
        return [self.main, *self.shapes.values()]

    def write(self, part: int, first: list[str], props: Mapping[str, Any]) -> None:
        main = self.main
        if all(
            (i := _index(main.keys, key)) is not None and _fits(value, main.kinds[i])
            for key, value in props.items()
        ):
            main.write(part, first, [props.get(k) for k in main.keys])
            return
        shape = tuple((key, _kind(value)) for key, value in props.items())
        shape = tuple(sorted(shape))
        target = self.shapes.get(shape)
        if target is None:
            keys = [k for k, _ in shape]
            target = _File(
                self.folder / f"{self.name}-{len(self.shapes) + 1}.csv",
                keys,
                [t for _, t in shape],
                True,
            )
            target.open(self.head)
            self.shapes[shape] = target
        target.write(part, first, [props[k] for k in target.keys])


def _index(keys: list[str], key: str) -> int | None:
    try:
        return keys.index(key)
    except ValueError:
        return None


def _node_columns(label: str) -> dict[str, str]:
    """The label's schema properties after id and name, with their column types."""
    return {p.name: _COLUMN[p.type] for p in SCHEMA.node(label).all_props if p.name != "id"}


def _rel_columns(rel_type: str) -> dict[str, str]:
    return {p.name: _COLUMN[p.type] for p in SCHEMA.rel(rel_type).props}


def _read_back(
    file: _File, ids: set[str], rel_type: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(data row number, cells) of the rows of `file` for the node ids `ids` or, with a
    `rel_type`, for the relationships whose key hashes are `ids`."""
    with file.path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, cells in enumerate(reader):
            key: Any = cells[0] if rel_type is None else hash((rel_type, cells[0], cells[1]))
            if key in ids:
                yield number, cells


def _decode(cell: str, kind: str) -> Any:
    if kind.endswith("[]"):
        return [_decode(item, kind[:-2]) for item in cell.split(ARRAY_DELIMITER)]
    if kind == "long":
        return int(cell)
    if kind == "double":
        return float(cell)
    if kind == "boolean":
        return cell == "true"
    return cell


def _props_of(file: _File, cells: list[str], offset: int) -> dict[str, Any]:
    """The property map a row holds (cells after the `offset` id or end columns); an empty
    cell of a schema-column file is a property left out."""
    props: dict[str, Any] = {}
    for key, kind, cell in zip(file.keys, file.kinds, cells[offset:], strict=True):
        if cell == "" and not file.quote_all:
            continue
        props[key] = _decode(cell, kind)
    return props


def _drop_rows(file: _File, rows: set[int]) -> None:
    """Rewrite a closed file without the given data rows."""
    if not rows:
        return
    kept = file.path.with_suffix(".tmp")
    with (
        file.path.open(encoding="utf-8", newline="") as src,
        kept.open("w", encoding="utf-8", newline="") as dst,
    ):
        reader = csv.reader(src)
        quoting: Literal[0, 1] = csv.QUOTE_ALL if file.quote_all else csv.QUOTE_MINIMAL
        writer = csv.writer(dst, quoting=quoting, lineterminator="\n")
        writer.writerow(next(reader))
        for number, cells in enumerate(reader):
            if number not in rows:
                writer.writerow(cells)
    kept.replace(file.path)
    file.rows -= len(rows)


def _same(stored: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    """Whether a stored property map holds every given value (the `compare` statements)."""
    return all(key in stored and stored[key] == value for key, value in given.items())


class Neo4jBulkExport:
    """A load written as neo4j-admin import files into `folder` (see the module's text).

    `seq` is the import record's number (1: the database is empty) and `at` its time (now, by
    default; a test gives the time of the batched load it compares with)."""

    def __init__(
        self,
        folder: Path,
        check: Callable[[], None] | None = None,
        seq: int = 1,
        at: str | None = None,
    ) -> None:
        self.folder = folder
        self.check = check
        self.seq = seq
        self.at = at
        self.summary = WriteSummary()
        self.part = 0
        self.nodes: dict[str, _Group] = {}
        self.rels: dict[str, _Group] = {}
        self.node_ids: set[str] = set()
        self.again: dict[str, list[Node]] = {}  # later mentions of a node, in order
        self.kept: dict[str, Node] = {}  # nodes the loader keeps for later, that ends are at
        self.edge_keys = array("q")  # hash of each relationship's key, as written
        self.done = False
        folder.mkdir(parents=True, exist_ok=True)

    # -- the LoadSession protocol ------------------------------------------------------------

    def write_part(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        self._write(part, pending)

    def commit(
        self, part: GraphBatch, files: Sequence[SourceFile], counts: Mapping[str, int]
    ) -> WriteSummary:
        self._write(part, {})
        self._check()
        # A kept node that relationships end at comes whole in the last part; were one left
        # out, `Neo4jLoad` would have placed it anyway: so is it here, as it stands.
        left = GraphBatch(nodes={k: n for k, n in self.kept.items() if k not in self.node_ids})
        if left.nodes:
            self._write(left, {})
        self._merge_nodes()
        self._merge_edges()
        summary = self.summary
        props = _import_props(self.seq, files, {**counts, **summary.as_dict()}, summary.changed)
        if self.at is not None:
            props["at"] = self.at
        self._group_of_node("Import").write(self.part, [props["id"]], _rest(props))
        for group in [*self.nodes.values(), *self.rels.values()]:
            for file in group.files():
                file.close()
        self._finish(props)
        self.done = True
        return summary

    def rollback(self) -> None:
        """Nothing was written anywhere but the folder: it is removed."""
        if self.done:
            return
        self.done = True
        for group in [*self.nodes.values(), *self.rels.values()]:
            for file in group.files():
                file.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- writing -----------------------------------------------------------------------------

    def _check(self) -> None:
        if self.check is not None:
            self.check()

    def _group_of_node(self, label: str) -> _Group:
        group = self.nodes.get(label)
        if group is None:
            group = _Group(self.folder / "nodes", label, ["id:ID"], _node_columns(label))
            self.nodes[label] = group
        return group

    def _group_of_rel(self, rel_type: str) -> _Group:
        group = self.rels.get(rel_type)
        if group is None:
            head = [":START_ID", ":END_ID"]
            group = _Group(self.folder / "relationships", rel_type, head, _rel_columns(rel_type))
            self.rels[rel_type] = group
        return group

    def _write(self, part: GraphBatch, pending: Mapping[str, Node]) -> None:
        problems = unknown_shapes(part)
        if problems:
            raise StoreError("数据不符合图模式，未做任何修改：" + "；".join(problems[:5]))
        self._check()
        self.part += 1
        ids = self.node_ids
        for node in part.nodes.values():
            if node.id in ids:
                self.again.setdefault(node.id, []).append(node)
                continue
            row = _node_row(node)["props"]
            self._group_of_node(node.label).write(self.part, [node.id], _rest(row))
            ids.add(node.id)
            self.summary.nodes_created += 1
        missing = sorted(
            {
                (SCHEMA.label_of(end) or "", end)
                for edge in part.edges.values()
                for end in (edge.src, edge.dst)
                if end not in ids and end not in pending
            }
        )
        if missing:
            raise dangling_error(missing)
        for edge in part.edges.values():
            for end in (edge.src, edge.dst):
                if end not in ids:
                    self.kept[end] = pending[end]
        keys = self.edge_keys
        for edge in part.edges.values():
            self._group_of_rel(edge.type).write(self.part, [edge.src, edge.dst], _edge_props(edge))
            keys.append(hash(edge.key))
        self.summary.edges_created += len(part.edges)

    # -- mentions again ------------------------------------------------------------------------

    def _merge_nodes(self) -> None:
        """Nodes mentioned in more than one part, merged as `Neo4jLoad` merges them into what
        it wrote first (a node it created is not counted again), and written once."""
        if not self.again:
            return
        for label in sorted({nodes[0].label for nodes in self.again.values()}):
            group = self.nodes[label]
            wanted = {i for i, nodes in self.again.items() if nodes[0].label == label}
            stored: dict[str, dict[str, Any]] = {}
            for file in group.files():
                file.close()
                drop: set[int] = set()
                for number, cells in _read_back(file, wanted):
                    stored[cells[0]] = {"id": cells[0], **_props_of(file, cells, 1)}
                    drop.add(number)
                _drop_rows(file, drop)
            for file in group.files():
                file.open_append()
            for node_id in sorted(wanted):
                props = stored[node_id]
                for node in self.again[node_id]:
                    if _same(props, _node_row(node)["props"]):
                        continue
                    merged = plan_nodes(
                        [node], {node_id: _stored_node(label, props)}, WriteSummary()
                    )
                    if merged:
                        props = _node_row(merged[0])["props"]
                group.write(self.part, [node_id], _rest(props))

    def _merge_edges(self) -> None:
        """Relationships mentioned in more than one part: later mentions are compared and
        merged as `Neo4jLoad` does (unchanged or updated), and each is written once."""
        if len(self.edge_keys) < 2:
            return
        hashes = np.frombuffer(self.edge_keys, dtype=np.int64)
        values, counts = np.unique(hashes, return_counts=True)
        repeated = values[counts > 1]
        if not len(repeated):
            return
        wanted: set[Any] = set(repeated.tolist())
        for rel_type, group in self.rels.items():
            found: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = {}
            for file in group.files():
                file.close()
                drop: set[int] = set()
                for number, cells in _read_back(file, wanted, rel_type):
                    key = (rel_type, cells[0], cells[1])
                    found.setdefault(key, []).append(
                        (file.part_of(number), _props_of(file, cells, 2))
                    )
                    drop.add(number)
                _drop_rows(file, drop)
            if not found:
                continue
            for file in group.files():
                file.open_append()
            for key in sorted(found):
                mentions = sorted(found[key], key=lambda m: m[0])
                (_, props), later = mentions[0], mentions[1:]
                self.summary.edges_created -= len(later)
                src_label = SCHEMA.label_of(key[1]) or ""
                dst_label = SCHEMA.label_of(key[2]) or ""
                for _, given in later:
                    if not given or _same(props, given):
                        self.summary.edges_unchanged += 1
                        continue
                    old = Edge(rel_type, src_label, key[1], dst_label, key[2], props)
                    new = Edge(rel_type, src_label, key[1], dst_label, key[2], given)
                    planned = plan_edges([new], {(key[1], key[2]): old}, self.summary)
                    if planned:
                        props = _edge_props(planned[0])
                group.write(self.part, [key[1], key[2]], props)

    # -- the folder ----------------------------------------------------------------------------

    def _finish(self, record: Mapping[str, Any]) -> None:
        folder = self.folder
        args: list[str] = []
        multiline: list[str] = []
        for flag, groups in (("--nodes", self.nodes), ("--relationships", self.rels)):
            for name, group in groups.items():
                for file in group.files():
                    if not file.rows:
                        file.path.unlink()
                        continue
                    path = file.path.relative_to(folder).as_posix()
                    args.append(f"{flag}={name}={path}")
                    if file.multiline:
                        multiline.append(path)
        if multiline:
            args += ["--multiline-fields-format=v2", f"--multiline-fields={','.join(multiline)}"]
        # single-valued options last: a list option would take the database name that follows
        args += [f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}", "--id-type=string"]
        args += ["--bad-tolerance=0", "--skip-duplicate-nodes=false"]
        (folder / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
        ddl = [s.text for s in STATEMENTS.ddl]
        (folder / "schema.cypher").write_text("\n".join(ddl) + "\n", encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "import": dict(record),
            "nodes": {k: sum(f.rows for f in g.files()) for k, g in self.nodes.items()},
            "relationships": {k: sum(f.rows for f in g.files()) for k, g in self.rels.items()},
        }
        (folder / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def _rest(props: Mapping[str, Any]) -> dict[str, Any]:
    """A node's property map without its id (the id column)."""
    return {k: v for k, v in props.items() if k != "id"}
