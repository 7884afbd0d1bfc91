#!/usr/bin/env python
"""Widen the outside candidate pool of a loaded SQLite store, for serve benchmarks.

    python bench/grow_pool.py SOURCE.db OUT.db --outside 1000000

Copies SOURCE.db to OUT.db and adds copies of its outside enterprises (new ids and names,
no credit code) with their IN_LINK and LOCATED_IN relationships until the pool holds
--outside firms, in SQL, with flat memory: minutes where loading a million-row 企业清单
through `chainkg load` would take far longer on this machine. The copies are tied to
nothing in the province (no supplies, investments or projects), like most of a national
enterprise base; the province itself is unchanged. Only for `bench/bench_serve_pool.py`: a
store made this way has no import records for its copies.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

from graph_schema.ddl import rel_table


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]


def grow(db: sqlite3.Connection, outside: int) -> int:
    have = db.execute('SELECT count(*) FROM "Enterprise" WHERE coalesce(local, 0) = 0').fetchone()
    base = int(have[0])
    if base == 0:
        raise SystemExit("数据库中没有省外企业，无法扩充")
    ent_cols = columns(db, "Enterprise")
    copied = [
        "id || '~' || :k"
        if c == "id"
        else "name || '（副本' || :k || '）'"
        if c == "name"
        else "NULL"
        if c in ("credit_code", "aliases")
        else f'"{c}"'
        for c in ent_cols
    ]
    made, k = base, 0
    while made < outside:
        k += 1
        take = min(base, outside - made)
        db.execute("BEGIN")
        db.execute(
            'CREATE TEMP TABLE picked AS SELECT id FROM "Enterprise" '
            "WHERE coalesce(local, 0) = 0 AND instr(id, '~') = 0 ORDER BY id LIMIT :n",
            {"n": take},
        )
        db.execute(
            # names from the table's own columns; every value is a bound parameter
            f'INSERT INTO "Enterprise" ({", ".join(chr(34) + c + chr(34) for c in ent_cols)}) '  # noqa: S608
            f'SELECT {", ".join(copied)} FROM "Enterprise" WHERE id IN (SELECT id FROM picked)',
            {"k": k},
        )
        for rel in ("IN_LINK", "LOCATED_IN"):
            table = rel_table(rel)
            cols = columns(db, table)
            chosen = ["src || '~' || :k" if c == "src" else f'"{c}"' for c in cols]
            db.execute(
                f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) '  # noqa: S608
                f'SELECT {", ".join(chosen)} FROM "{table}" '
                "WHERE src IN (SELECT id FROM picked)",
                {"k": k},
            )
        db.execute("DROP TABLE picked")
        db.execute("COMMIT")
        made += take
        print(f"  {made:,} outside enterprises", flush=True)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--outside", type=int, required=True)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    shutil.copyfile(args.source, args.out)
    db = sqlite3.connect(args.out, isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    made = grow(db, args.outside)
    db.execute("ANALYZE")
    db.close()
    size = args.out.stat().st_size / 2**20
    print(
        f"{made:,} outside enterprises in {args.out} ({size:,.0f} MB), "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
