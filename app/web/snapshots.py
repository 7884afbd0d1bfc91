"""The snapshot the service answers from, and the one cache of what is computed from it.

The cache holds, per snapshot version, encoded responses (keyed from the request itself:
`app.web.responses.request_key`) and the answers pages render (keyed from the analysis and
its arguments: `answer_key`); it is emptied when the snapshot changes.

Requests never wait for a rebuild once a snapshot exists: when the store's version moves on
(an import over HTTP or a `chainkg load` into the same file), the old snapshot keeps
answering while the new one is built in a background thread, and the swap is atomic. An
import over HTTP rebuilds before it replies, so its caller sees the new answers at once.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from pydantic import BaseModel

from queries.snapshot import SNAPSHOTS, Snapshot, build_snapshot
from store.base import GraphStore

CACHE_ENTRIES = 512
log = logging.getLogger(__name__)


def plain(data: Any) -> Any:
    """An answer as JSON-shaped Python (dicts, lists, numbers, strings): a typed answer or a
    list of them through `model_dump(mode="json")`, anything else as it is."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, list | tuple) and data and isinstance(data[0], BaseModel):
        return [plain(item) for item in data]
    return data


def encode(data: Any) -> bytes:
    """JSON as the API sends it: UTF-8, Chinese unescaped; never `Infinity` or `NaN` (a
    non-finite number, which loads refuse, becomes null should one be stored)."""
    data = plain(data)
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        return json.dumps(_finite(data), ensure_ascii=False, separators=(",", ":")).encode()


def _finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(v) for v in data]
    return data


def answer_key(compute: Callable[..., Any], *args: Hashable) -> Hashable:
    """The cache key of an analysis `compute(snapshot, *args, ...)`: the function and its
    arguments (the analysis parameters are the service's own, the same for every call)."""
    return ("answer", compute.__module__, compute.__qualname__, args)


class Snapshots:
    """The current snapshot of one store, rebuilt in the background when the store changes."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._current: Snapshot | None = None
        self._build_lock = threading.Lock()  # one build at a time
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._rebuilding = False

    def get(self) -> Snapshot:
        """The snapshot to answer from: the current version's, or the last one while the
        current version is being built."""
        current = self._current
        if current is None:
            return self.refresh()
        if current.version != self._store.version() and not self._rebuilding:
            self._rebuilding = True
            threading.Thread(target=self._rebuild, name="snapshot", daemon=True).start()
        return current

    def refresh(self, built: Snapshot | None = None) -> Snapshot:
        """Build the store's current snapshot now (unless it is already built) and use it;
        `built`, a snapshot of the current version made elsewhere (an import), is adopted."""
        with self._build_lock:
            current = self._current
            version = self._store.version()
            if current is None or current.version != version:
                fresh = built if built is not None and built.version == version else None
                # the one snapshot cache (queries.snapshot.SNAPSHOTS): the snapshot the
                # service answers from is the one search and the lists read
                current = fresh or SNAPSHOTS.get(self._store, version)
                if current is None:
                    current = build_snapshot(self._store)
                SNAPSHOTS.put(self._store, current)
                with self._cache_lock:
                    self._current = current
                    self._cache.clear()
            return current

    def _rebuild(self) -> None:
        try:
            self.refresh()
        except Exception:  # the old snapshot keeps answering; the next request retries
            log.exception("快照重建失败")
        finally:
            self._rebuilding = False

    def answer(self, key: Hashable, compute: Callable[[Snapshot], Any]) -> Any:
        """The answer (JSON, HTML, a workbook, a typed answer) for `key` on the current
        snapshot, computed once per snapshot version."""
        return self.versioned(key, compute)[1]

    def plain(self, key: Hashable, compute: Callable[[Snapshot], Any]) -> Any:
        """A typed answer as the pages read it (JSON-shaped Python, `plain`), computed once
        per snapshot version: never encoded and decoded again. Callers must not change it."""
        return self.versioned(key, lambda s: plain(compute(s)))[1]

    def versioned(self, key: Hashable, compute: Callable[[Snapshot], Any]) -> tuple[int, Any]:
        """The answer and the version of the snapshot it was computed on."""
        snap = self.get()
        full_key = (snap.version, key)
        with self._cache_lock:
            found = self._cache.get(full_key)
            if found is not None:
                self._cache.move_to_end(full_key)
                return snap.version, found
        body = compute(snap)
        with self._cache_lock:
            if self._current is snap:
                self._cache[full_key] = body
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        return snap.version, body
