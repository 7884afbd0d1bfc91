"""Extraction from the five seed documents, against labels made by hand.

    python bench/eval_documents.py [--seeds ../shared/seeds] [--show-misses]

Loads the bundled demo data into a fresh embedded store, then the seed documents (timed:
the target is under 5 s), and compares what the graph now says each document mentions and
states with bench/gold/seeds_gold.json. Prints precision and recall per entity type and for
figures (subject, metric, value, year and kind all right), plus looser figure matches (value
and unit with one field: kind, subject, metric, year) that tell a wrong field from a missed
figure. The gold labels have no region (the seeds are the province's); the figures' regions
are checked by tests/loaders/test_documents.py on documents written for the tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.importing import run_import  # noqa: E402
from app.settings import Settings  # noqa: E402
from store.base import GraphStore  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402

GOLD = ROOT / "bench" / "gold" / "seeds_gold.json"
TYPES = {
    "Enterprise": ("Enterprise",),
    "Park": ("Park",),
    "ChainOrIndustry": ("Chain", "Industry"),
    "Cluster": ("Cluster",),
    "Region": ("Region",),
}
Figure = tuple[str, str, float, str, int | None, str]


@dataclass
class DocResult:
    entities: dict[str, set[str]]
    figures: list[Figure]


@dataclass
class Score:
    label: str
    found: int = 0
    wanted: int = 0
    right: int = 0

    def add(self, found: int, wanted: int, right: int) -> None:
        self.found, self.wanted, self.right = (
            self.found + found,
            self.wanted + wanted,
            self.right + right,
        )

    def row(self) -> str:
        precision = self.right / self.found if self.found else 1.0
        recall = self.right / self.wanted if self.wanted else 1.0
        return f"{self.label:<30}{self.found:>7}{self.wanted:>7}{self.right:>7}{precision:>11.2f}{recall:>8.2f}"


def extracted(store: GraphStore, files: Iterable[str]) -> dict[str, DocResult]:
    """What the graph says each document mentions (by gold type) and states."""
    by_file = {d.props["file"]: d for d in store.iter_nodes("Document")}
    out: dict[str, DocResult] = {}
    for name in files:
        result = DocResult({t: set() for t in TYPES}, [])
        for rel in store.relationships(by_file[name].id):
            for kind, labels in TYPES.items():
                if rel.type == "MENTIONS" and rel.other_type in labels:
                    result.entities[kind].add(rel.other_name)
            fig = store.get_node(rel.other_id) if rel.type == "STATES" else None
            if fig is not None:
                p = fig.props
                result.figures.append(
                    (
                        p["subject"],
                        p["metric"],
                        round(p["value"], 4),
                        p["unit"],
                        p.get("year"),
                        p["kind"],
                    )
                )
        out[name] = result
    return out


def gold_figures(doc: dict[str, Any]) -> list[Figure]:
    return [
        (f["subject"], f["metric"], round(float(f["value"]), 4), f["unit"], f["year"], f["kind"])
        for f in doc["figures"]
    ]


def matched(found: list[tuple[Any, ...]], wanted: list[tuple[Any, ...]]) -> int:
    """How many of `wanted` are met by distinct items of `found`."""
    pool = Counter(found)
    hits = 0
    for item in wanted:
        if pool[item] > 0:
            pool[item] -= 1
            hits += 1
    return hits


FIELDS = {"subject": 0, "metric": 1, "year": 4}  # kind: the looser match above


def by_field(figures: list[Figure], field: str) -> list[tuple[Any, ...]]:
    """Value and unit with one more field: the precision and recall of that field."""
    return [(f[2], f[3], f[FIELDS[field]]) for f in figures]


def loose(figures: list[Figure]) -> list[tuple[Any, ...]]:
    """Value, unit and kind only: tells a wrong subject, metric or year from a missed figure."""
    return [(f[2], f[3], f[5]) for f in figures]


def evaluate(gold: dict[str, Any], got: dict[str, DocResult], show: bool) -> list[Score]:
    scores = {kind: Score(kind) for kind in TYPES}
    strict, approx = Score("figures (all fields)"), Score("figures (value, unit, kind)")
    fields = {f: Score(f"figures (value, unit, {f})") for f in FIELDS}
    for name, doc in gold.items():
        if name not in got:
            continue
        for kind, score in scores.items():
            mine, theirs = got[name].entities[kind], set(doc["entities"][kind])
            score.add(len(mine), len(theirs), len(mine & theirs))
            if show and mine ^ theirs:
                print(
                    f"  {name} {kind}: missed {sorted(theirs - mine)} extra {sorted(mine - theirs)}"
                )
        mine_f, theirs_f = got[name].figures, gold_figures(doc)
        strict.add(len(mine_f), len(theirs_f), matched(list(mine_f), list(theirs_f)))
        approx.add(len(mine_f), len(theirs_f), matched(loose(mine_f), loose(theirs_f)))
        for field, score in fields.items():
            hits = matched(by_field(mine_f, field), by_field(theirs_f, field))
            score.add(len(mine_f), len(theirs_f), hits)
        if show:
            for f in (Counter(theirs_f) - Counter(mine_f)).elements():
                print(f"  {name} missed {f}")
            for f in (Counter(mine_f) - Counter(theirs_f)).elements():
                print(f"  {name} extra  {f}")
    return [*scores.values(), strict, approx, *fields.values()]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    seeds = [args.seeds / name for name in gold if (args.seeds / name).exists()]
    if not seeds:
        print(f"no seed documents under {args.seeds}; nothing to evaluate")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=Path(tmp) / "demo.db", cache_dir=Path(tmp) / "cache")
        store = SQLiteStore(settings.db)
        run_import(store, [ROOT / "app" / "demo_data"], settings)
        started = time.perf_counter()
        run_import(store, seeds, settings)
        seconds = time.perf_counter() - started
        got = extracted(store, (p.name for p in seeds))
        store.close()
    print(
        f"loaded {len(seeds)} seed documents into the demo store in {seconds:.2f} s (target < 5 s)\n"
    )
    scores = evaluate(gold, got, args.show_misses)
    print(f"{'type':<30}{'found':>7}{'gold':>7}{'right':>7}{'precision':>11}{'recall':>8}")
    for score in scores:
        print(score.row())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
