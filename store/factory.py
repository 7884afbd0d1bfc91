"""Open the store the settings ask for: Neo4j when a URI is given, else the SQLite file."""

from __future__ import annotations

from pathlib import Path

from store.base import GraphStore


def open_store(
    db_path: str | Path,
    neo4j_uri: str | None = None,
    user: str = "neo4j",
    password: str = "",
    database: str | None = None,
    tx_rows: int = 10_000,
) -> GraphStore:
    """A `Neo4jStore` on `neo4j_uri` when it is set, else a `SQLiteStore` in `db_path`.

    Raises `StoreError` (with a Chinese message) when the store cannot be opened.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     store = open_store(Path(tmp) / "chainkg.db")
    ...     print(store.backend)
    ...     store.close()
    sqlite
    """
    if neo4j_uri:
        from store.neo4j import Neo4jStore  # the driver is only imported when it is used

        return Neo4jStore(neo4j_uri, user, password, database or None, tx_rows)
    from store.sqlite import SQLiteStore

    return SQLiteStore(db_path)
