"""The hand-made chain (tests/fixtures/chain) loaded into each store, and its snapshot.

The Neo4j half runs when NEO4J_URI names a throw-away server (it is wiped first).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.importing import run_import
from app.settings import Settings
from queries.params import AnalysisParams
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore

CHAIN_FIXTURE = Path(__file__).parents[1] / "fixtures" / "chain"
NEO4J_URI = os.environ.get("NEO4J_URI", "")


def load_store(settings: Settings, paths: list[Path]) -> GraphStore:
    store = settings.open_store()
    run_import(store, paths, settings, None)
    return store


def _wipe_neo4j(settings: Settings) -> None:
    from neo4j import GraphDatabase

    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(NEO4J_URI, auth=auth) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.neo4j_database)


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ],
)
def chain_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The hand-made chain in the embedded store, and in Neo4j when NEO4J_URI is set."""
    settings = Settings(db=tmp_path_factory.mktemp("chain") / "chain.db")
    if request.param == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    store = load_store(settings, [CHAIN_FIXTURE])
    yield store
    store.close()


@pytest.fixture(scope="module")
def snap(chain_store: GraphStore) -> Snapshot:
    return build_snapshot(chain_store)


@pytest.fixture
def params() -> AnalysisParams:
    return AnalysisParams()
