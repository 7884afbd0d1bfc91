"""The memory policy of what is built once per store version — the snapshot and the lists —
in one place: how it is built (the cyclic collector paused, the result frozen out of its
reach) and where it is kept (one per store, replaced when the store's version moves on).

Full collections would otherwise walk millions of long-lived objects and stall answers for a
second. What is built here holds no reference cycles, so an old version is freed by reference
counting once nothing uses it.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=Versioned)


@contextmanager
def paused_collector() -> Iterator[None]:
    """Run with the cyclic collector paused (many long-lived objects are being made)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze() -> None:
    """Put everything tracked now out of the collector's reach (gc.freeze): what was just
    built to be kept is no longer walked by each full collection."""
    gc.freeze()


@contextmanager
def frozen_build() -> Iterator[None]:
    """Build with the cyclic collector paused; on success, freeze everything built so far
    (gc.freeze) so that later collections skip it."""
    with paused_collector():
        yield
        freeze()


class PerStore(Generic[V]):
    """One built object per store (weakly keyed: a closed, dropped store frees it), valid for
    the store version it was built from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: weakref.WeakKeyDictionary[Any, V] = weakref.WeakKeyDictionary()

    def get(self, store: Any, version: int) -> V | None:
        """The object built from `store` at `version`, if it is the one kept."""
        with self._lock:
            found = self._items.get(store)
        return found if found is not None and found.version == version else None

    def put(self, store: Any, built: V) -> None:
        """Keep `built` as the store's current object (the previous one is let go)."""
        with self._lock:
            self._items[store] = built


K = TypeVar("K")
T = TypeVar("T")


class Bounded(Generic[K, T]):
    """A cache of sized entries within a budget (the sum of the entries' sizes): what the
    caller puts beyond the budget pushes out the least recently used entries first, and an
    entry larger than the whole budget is not kept. Thread-safe. The budget is given with
    each `put`, so that it follows the setting of the request that fills the cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[K, tuple[T, int]] = OrderedDict()
        self._size = 0

    @property
    def size(self) -> int:
        """The sum of the kept entries' sizes."""
        return self._size

    def get(self, key: K) -> T | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: T, size: int, budget: int) -> bool:
        """Keep `value` (of `size`) if it fits in `budget`, pushing out older entries;
        whether it was kept."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[1]
            if size > budget:
                return False
            while self._items and self._size + size > budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped
            self._items[key] = (value, size)
            self._size += size
            return True
