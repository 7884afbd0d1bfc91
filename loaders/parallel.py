"""Reading a large CSV sheet in a second process while this one resolves what is read.

Parsing and typing a province's 企业清单 costs about as much as resolving it; with two cores
they overlap. The reader process is forked, parses the file on its own and sends typed
records back in chunks; problems it finds travel back with them, so a load still reports
every one of them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from multiprocessing.connection import Connection

from graph_schema.errors import ChainKGError, InputError, Issue
from loaders.readers import SheetHandle
from loaders.rows import Record, records

PARALLEL_MIN_BYTES = 4_000_000  # below this, a second process costs more than it saves
_CHUNK = 4000


def typed_records(
    handle: SheetHandle, issues: list[Issue], min_bytes: int = PARALLEL_MIN_BYTES
) -> Iterator[Record]:
    """The sheet's typed records, read in a second process when the file is large."""
    if handle.size < min_bytes or "fork" not in multiprocessing.get_all_start_methods():
        yield from records(handle.open(), issues)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    reader = context.Process(target=_read, args=(handle, send), daemon=True)
    reader.start()
    send.close()
    try:
        yield from _receive(receive, issues)
    finally:
        receive.close()
        reader.join(timeout=5)
        if reader.is_alive():
            reader.kill()


def _receive(receive: Connection, issues: list[Issue]) -> Iterator[Record]:
    while True:
        try:
            kind, payload = receive.recv()
        except EOFError as exc:
            raise ChainKGError("读取进程意外退出") from exc
        if kind == "rows":
            yield from payload
        elif kind == "done":
            issues.extend(payload)
            return
        else:  # "failed": (message, issues)
            message, found = payload
            raise InputError(message, found)


def _read(handle: SheetHandle, send: Connection) -> None:
    issues: list[Issue] = []
    try:
        chunk: list[Record] = []
        for record in records(handle.open(), issues):
            chunk.append(record)
            if len(chunk) >= _CHUNK:
                send.send(("rows", chunk))
                chunk = []
        send.send(("rows", chunk))
        send.send(("done", issues))
    except InputError as exc:
        send.send(("failed", (str(exc), [*issues, *exc.issues])))
    except Exception as exc:  # reported to the user by the parent, as for any sheet
        send.send(("failed", (f"读取“{handle.file}”失败：{exc}", issues)))
    finally:
        send.close()
