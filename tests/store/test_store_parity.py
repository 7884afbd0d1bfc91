"""Both stores answer alike on real-shaped data: the bundled demo and a generated chain (sub-links,
parks, 县 under 市, pipeline projects, bench/gen_province.py at a small scale) are loaded into
SQLite and into Neo4j, and the JSON of stats, show, search, diagnose (province, 市, 县, 园区),
anchors, recruit and whatif must be equal, field for field.

Needs NEO4J_URI (the database is wiped: a throw-away server, e.g. scripts/neo4j.sh start).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from app.importing import run_import
from app.settings import Settings
from graph_schema.errors import ChainKGError
from queries import diagnosis as analyses
from queries.anchors import rank_anchors
from queries.nodes import node_detail
from queries.recruitment import recruit
from queries.search import search
from queries.snapshot import Snapshot, build_snapshot
from queries.whatif import what_if
from store.base import GraphStore
from tests.digests import wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "app" / "demo_data"

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
]

# None = the province; the province by name; a 市; a 县 under it; a park by its short name
REGIONS: list[str | None] = [None, "江西省", "宜春市", "袁州区", "宜春经开区", "赣州市"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, GraphStore]]:
    tmp = tmp_path_factory.mktemp("parity")
    generated = tmp / "generated"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gen_province.py"),
            str(generated),
            *("--scale", "0.003", "--chains", "2", "--links", "30", "--seed", "7"),
        ],
        check=True,
        capture_output=True,
    )
    opened: dict[str, GraphStore] = {}
    for backend in ("sqlite", "neo4j"):
        settings = Settings(db=tmp / "parity.db", cache_dir=tmp / f"cache-{backend}")
        if backend == "sqlite":
            settings.neo4j_uri = None
        else:
            from neo4j import GraphDatabase

            auth = (settings.neo4j_user, settings.neo4j_password)
            with GraphDatabase.driver(NEO4J_URI, auth=auth) as driver:
                wipe_neo4j(driver, settings.neo4j_database)
            settings.neo4j_tx_rows = 500  # many write transactions, as in a large load
        store = settings.open_store()
        assert store.backend == backend
        run_import(store, [DEMO, generated], settings, None)
        opened[backend] = store
    yield opened
    for store in opened.values():
        store.close()


def answer(call: Callable[[], Any]) -> str:
    """The JSON of an answer, or the Chinese message of the error it raised."""
    try:
        data = call()
    except ChainKGError as exc:
        return f"错误：{exc}"
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=str)


Question = Callable[[GraphStore, Snapshot], Any]


def questions(stores: dict[str, GraphStore]) -> dict[str, Question]:
    """Every question asked of both stores, by a readable name."""
    snap = build_snapshot(stores["sqlite"])
    params = Settings().analysis()
    cache = Path(os.environ.get("TMPDIR", "/tmp"))

    def stats(store: GraphStore, s: Snapshot) -> Any:
        return store.stats()

    def find(text: str, store: GraphStore, s: Snapshot) -> Any:
        return search(store, text, 20, cache / f"chainkg-parity-jieba-{store.backend}").model_dump(
            mode="json"
        )

    def diagnose(chain: str, region: str | None, store: GraphStore, s: Snapshot) -> Any:
        return analyses.diagnose(s, chain, region, params).model_dump(mode="json")

    def anchors(chain: str, region: str | None, store: GraphStore, s: Snapshot) -> Any:
        return rank_anchors(s, chain, params, region, 5).model_dump(mode="json")

    def targets(chain: str, region: str | None, store: GraphStore, s: Snapshot) -> Any:
        return recruit(s, chain, params, region, None, 5).model_dump(mode="json")

    def whatif(chain: str, who: str, region: str | None, store: GraphStore, s: Snapshot) -> Any:
        return what_if(s, chain, who, params, (), region).model_dump(mode="json")

    def show(name: str, store: GraphStore, s: Snapshot) -> Any:
        return node_detail(store, name).model_dump(mode="json")

    asked: dict[str, Question] = {"stats": stats}
    for text in ("锂电", "宜春", "新能源", "有限公司"):
        asked[f"search {text}"] = partial(find, text)
    names = ["宜春市", "宜春经开区", "江西省"]
    for chain in sorted(c.name for c in snap.chains.values()):
        names.append(chain)
        for region in REGIONS:
            asked[f"diagnose {chain} {region}"] = partial(diagnose, chain, region)
            asked[f"anchors {chain} {region}"] = partial(anchors, chain, region)
            asked[f"recruit {chain} {region}"] = partial(targets, chain, region)
        ranked = rank_anchors(snap, chain, params, None, 3).model_dump(mode="json")
        listing = recruit(snap, chain, params, None, None, 3).model_dump(mode="json")
        people = [a["name"] for a in ranked.get("anchors", [])]
        outsiders = [item["enterprise"] for item in listing.get("items", [])]
        names += people[:2] + outsiders[:2]
        for who in (people[:1] + outsiders[:2])[:3]:
            for region in (None, "宜春市"):
                asked[f"whatif {chain} {who} {region}"] = partial(whatif, chain, who, region)
    for name in names:
        asked[f"show {name}"] = partial(show, name)
    return asked


def test_both_stores_answer_alike(stores: dict[str, GraphStore]) -> None:
    snaps = {backend: build_snapshot(store) for backend, store in stores.items()}
    asked = questions(stores)
    assert len(asked) > 60
    answered = 0
    for name, call in asked.items():
        got = {b: answer(partial(call, stores[b], snaps[b])) for b in stores}
        assert got["neo4j"] == got["sqlite"], f"{name}: the stores differ"
        answered += not got["sqlite"].startswith("错误")
    assert answered > 0.9 * len(asked)  # real answers, not the same error twice
