"""Stores: the embedded SQLite file (default) and Neo4j, behind `GraphStore`."""

from store.base import GraphStore, ImportRecord, RelView, SourceFile, WriteSummary
from store.sqlite import SQLiteStore

__all__ = ["GraphStore", "ImportRecord", "RelView", "SQLiteStore", "SourceFile", "WriteSummary"]
