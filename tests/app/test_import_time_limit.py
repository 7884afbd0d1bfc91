"""An import's time limit covers the whole import — reading, validation and every write step
up to the commit — and a stopped import leaves the store exactly as it was, on both stores.

`check` is what the HTTP import calls to learn that its time is up (app.web.imports._Stop);
here it stops the import at its k-th call, for every k until the import gets through, so
every place where the import may stop is tried once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import store.sqlite
from app.importing import run_import
from app.settings import Settings
from graph_schema.errors import InputError
from store.base import GraphStore
from tests.app.live_server import clean_env, load, serve
from tests.conftest import NEO4J_URI, _wipe_neo4j, load_store
from tests.digests import sqlite_digest, store_digest

PROVINCE = Path(__file__).parents[1] / "fixtures" / "province"
TOKEN = "time-limit-token-0123456789"
STOP = "导入超过时间上限（测试），已取消，未写入任何数据"


class StopAt:
    """Raises at its k-th call, as the time limit does once the deadline has passed."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1
        if self.calls >= self.k:
            raise InputError(STOP)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[pytest.mark.neo4j, pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置")],
        ),
    ]
)
def settings(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The v1 province in a store; Neo4j writes in transactions of 10 rows, SQLite checks
    every 50 steps of its virtual machine, so a small load has many places to stop."""
    settings = Settings(db=tmp_path / "kg.db")
    settings.neo4j_tx_rows = 10
    if request.param == "sqlite":
        settings.neo4j_uri = None
        monkeypatch.setattr(store.sqlite, "_CHECK_STEPS", 50)
    else:
        _wipe_neo4j(settings)
    load_store(settings, [PROVINCE / "v1"]).close()
    yield settings


def test_every_stop_point_leaves_the_store_unchanged(settings: Settings) -> None:
    before = store_digest(settings)
    stopped = 0
    for k in range(1, 500):
        stop = StopAt(k)
        opened: GraphStore = settings.open_store()
        try:
            run_import(opened, [PROVINCE / "v3"], settings, check=stop)
        except InputError as exc:
            assert str(exc) == STOP
            stopped += 1
        else:
            break
        finally:
            opened.close()
        assert store_digest(settings) == before, f"stopped at check {k}"
    else:
        pytest.fail("the import never got through")
    # reading and validation, then the write: Neo4j plans per label and relationship type
    # and writes in transactions of 10 rows (18 stop points in all); SQLite checks inside
    # its statements (35)
    assert stopped >= 8, stopped
    assert store_digest(settings) != before  # the import that got through wrote


def test_http_import_over_the_limit_is_a_chinese_422_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    load(db, PROVINCE / "v1")
    before = sqlite_digest(db)
    env = clean_env(
        CHAINKG_WRITE_TOKEN=TOKEN,
        CHAINKG_UPLOAD_DIR=str(tmp_path / "up"),
        CHAINKG_IMPORT_TIMEOUT_S="0.000001",
    )
    files = [("files", (p.name, p.read_bytes())) for p in sorted((PROVINCE / "v3").glob("*.csv"))]
    with serve(db, env) as url:
        response = httpx.post(
            f"{url}/api/v1/imports",
            files=files,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=60,
        )
    assert response.status_code == 422, response.text
    assert (
        response.json()["detail"]
        == "导入超过时间上限（1e-06 秒），已取消，未写入任何数据，可调高设置 CHAINKG_IMPORT_TIMEOUT_S"
    )
    assert sqlite_digest(db) == before
