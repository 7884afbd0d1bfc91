"""The malformed-input corpus (tests/loaders/corpus.py) through the command line and over
HTTP: every case exits 2 (422 over HTTP) with a located Chinese message, no traceback and no
内部错误, and leaves the store exactly as it was (every table's rows before and after). The
command line runs the corpus against each store: the embedded one, and Neo4j (every node's
labels and properties and every relationship before and after) when NEO4J_URI is set."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.cli import run
from app.settings import Settings
from graph_schema.errors import Issue
from tests.app.live_server import clean_env, serve
from tests.conftest import MINI, NEO4J_URI, _wipe_neo4j, load_store
from tests.digests import neo4j_digest, sqlite_digest
from tests.loaders.corpus import CASES, Case

TOKEN = "corpus-token-0123456789"
CJK = range(0x4E00, 0xA000)


digest = sqlite_digest


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
def neo4j_base() -> Iterator[tuple[Settings, str]]:
    """The mini chain in Neo4j (the database wiped first), and its digest."""
    settings = Settings()
    _wipe_neo4j(settings)
    load_store(settings, [MINI]).close()
    yield settings, neo4j_digest(settings)


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_line_refuses_on_neo4j(
    case: Case,
    neo4j_base: tuple[Settings, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same refusals with Neo4j as the store (NEO4J_URI): exit 2, a located Chinese
    message, and the database unchanged, nothing of the refused load left in it."""
    settings, before = neo4j_base
    monkeypatch.delenv("CHAINKG_DEBUG", raising=False)
    paths = case.build(tmp_path / "input")
    with pytest.raises(SystemExit) as exit_:
        run(["load", *map(str, paths)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert exit_.value.code == 2, text
    assert "Traceback" not in text and "内部错误" not in text
    assert any(ord(ch) in CJK for ch in text)
    if case.kind != "zip":
        assert case.expect in text, text
    assert neo4j_digest(settings) == before


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
