"""The bounded cache of `queries.memory` (the snapshot's candidate lists are kept in one)."""

from __future__ import annotations

from queries.memory import Bounded


def test_entries_beyond_the_budget_push_out_the_least_recently_used() -> None:
    cache: Bounded[str, str] = Bounded()
    cache.put("a", "A", 4, budget=10)
    cache.put("b", "B", 4, budget=10)
    assert cache.get("a") == "A"  # a is now the most recently used
    cache.put("c", "C", 4, budget=10)  # 12 > 10: b goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")
    assert cache.size == 8


def test_an_entry_larger_than_the_budget_is_not_kept() -> None:
    cache: Bounded[str, str] = Bounded()
    cache.put("a", "A", 4, budget=10)
    assert not cache.put("big", "BIG", 11, budget=10)
    assert (cache.get("a"), cache.get("big"), cache.size) == ("A", None, 4)
    assert not cache.put(
        "a", "A2", 1, budget=0
    )  # a budget of 0 keeps nothing, and drops the old entry
    assert (cache.get("a"), cache.size) == (None, 0)


def test_putting_a_key_again_replaces_its_entry() -> None:
    cache: Bounded[str, str] = Bounded()
    cache.put("a", "A", 4, budget=10)
    cache.put("a", "A2", 6, budget=10)
    assert (cache.get("a"), cache.size) == ("A2", 6)
