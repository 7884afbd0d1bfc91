"""The malformed-input corpus (tests/loaders/corpus.py) through the command line and over
HTTP: every case exits 2 (422 over HTTP) with a located Chinese message, no traceback and no
内部错误, and leaves the store exactly as it was (every table's rows before and after)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.cli import run
from app.settings import Settings
from graph_schema.errors import Issue
from tests.app.live_server import clean_env, serve
from tests.conftest import MINI, load_store
from tests.loaders.corpus import CASES, Case

TOKEN = "corpus-token-0123456789"
CJK = range(0x4E00, 0xA000)


def digest(db: Path) -> str:
    """A digest of every row of every table of the embedded store."""
    conn = sqlite3.connect(db)
    try:
        tables = sorted(
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        )
        rows = sorted(
            repr((t, *row)) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"')
        )
    finally:
        conn.close()
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini chain in an embedded store (its chain map has 碳酸锂 under 锂盐)."""
    db = tmp_path_factory.mktemp("corpus") / "kg.db"
    settings = Settings(db=db)
    settings.neo4j_uri = None
    load_store(settings, [MINI]).close()
    return db


def test_corpus_is_large_and_varied() -> None:
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 60
    assert kinds == {"csv", "xlsx", "zip", "docx", "fs"}
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_line_refuses(
    case: Case,
    base_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NEO4J_URI", "CHAINKG_NEO4J_URI", "CHAINKG_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "kg.db"
    shutil.copy(base_db, db)
    before = digest(db)
    paths = case.build(tmp_path / "input")
    with pytest.raises(SystemExit) as exit_:
        run(["load", *map(str, paths), "--db", str(db)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert exit_.value.code == 2, text
    assert "Traceback" not in text and "内部错误" not in text
    assert any(ord(ch) in CJK for ch in text)
    if case.kind != "zip":  # the command line takes no .zip: refused as a file type
        assert case.expect in text, text
    assert digest(db) == before


@pytest.fixture(scope="module")
def server(base_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("corpus-http") / "kg.db"
    shutil.copy(base_db, db)
    uploads = tmp_path_factory.mktemp("uploads")
    env = clean_env(CHAINKG_WRITE_TOKEN=TOKEN, CHAINKG_UPLOAD_DIR=str(uploads))
    with serve(db, env) as url:
        yield url, db


HTTP_CASES = [c for c in CASES if c.http]


@pytest.mark.parametrize("case", HTTP_CASES, ids=[c.name for c in HTTP_CASES])
def test_http_refuses(case: Case, server: tuple[str, Path], tmp_path: Path) -> None:
    url, db = server
    before = digest(db)
    paths = case.build(tmp_path / "input")
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    response = httpx.post(
        f"{url}/api/v1/imports",
        files=files,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )
    assert response.status_code == 422, response.text
    body = response.json()
    issues = [Issue(**i) for i in body.get("issues", [])]
    text = "\n".join([body["detail"], *map(str, issues)])
    assert "Traceback" not in text and "内部错误" not in text
    assert case.expect in text, text
    assert digest(db) == before
