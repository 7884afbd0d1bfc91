"""Shared fixtures: the hand-made mini chain, CSV folders built from rows, load options, and
the analysis chain (tests/fixtures/chain) loaded into each store (Neo4j when NEO4J_URI is set;
it is wiped first, so point it at a throw-away server).

Tests marked ``neo4j`` skip without NEO4J_URI, and the run ends by saying so and how to run
them. With ``CHAINKG_REQUIRE_NEO4J=1`` (CI, ``.ci/run``) a missing or unreachable Neo4j is an
error of every such test instead, never a skip.

Tests that drive a browser (those using the ``browser`` or ``page`` fixture) are marked
``browser``: without Chromium they skip, the run ends by saying how many and why, and with
``CI`` set they fail instead (scripts/test.sh installs Chromium where it can)."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from app.importing import run_import
from app.settings import Settings
from graph_schema.identity import IdentityIndex
from loaders.readers import ReadLimits
from loaders.workbook import LoadOptions, LoadResult, read_batch
from queries.params import AnalysisParams
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore
from tests.app.live_server import CHROMIUM, NO_CHROMIUM
from tests.digests import wipe_neo4j

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
CHAIN_FIXTURE = FIXTURES / "chain"  # the hand-made chain of the analysis tests
NEO4J_URI = os.environ.get("NEO4J_URI", "")
REQUIRE_NEO4J = os.environ.get("CHAINKG_REQUIRE_NEO4J", "") == "1"
HOW_TO_RUN_NEO4J = (
    "运行方法：bash scripts/neo4j.sh start（需要 Java 17+ 与 Maven），"
    'eval "$(bash scripts/neo4j.sh env)" 后再运行 bash scripts/test.sh；或运行 bash .ci/run'
)
_neo4j_skipped: list[str] = []
_browser_skipped: list[str] = []
BROWSER_FIXTURES = frozenset({"browser", "page"})
IN_CI = bool(os.environ.get("CI"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests; without Chromium they skip (in CI they fail at setup)."""
    for item in items:
        if BROWSER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ())):
            continue
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None and not IN_CI:
            item.add_marker(pytest.mark.skip(reason="跳过浏览器测试：" + NO_CHROMIUM))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """In CI a Neo4j test fails when no server is named (one that does not answer fails the
    test by itself: its store cannot be opened)."""
    if REQUIRE_NEO4J and not NEO4J_URI and item.get_closest_marker("neo4j") is not None:
        pytest.fail("CHAINKG_REQUIRE_NEO4J=1：未设置 NEO4J_URI", pytrace=False)
    if IN_CI and CHROMIUM is None and item.get_closest_marker("browser") is not None:
        pytest.fail("CI 需要 Chromium：" + NO_CHROMIUM, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A Neo4j test that skips is an error under CHAINKG_REQUIRE_NEO4J=1; counted otherwise."""
    report = yield
    if report.skipped and item.get_closest_marker("neo4j") is not None:
        if REQUIRE_NEO4J:
            report.outcome = "failed"
            report.longrepr = f"CHAINKG_REQUIRE_NEO4J=1：需要 Neo4j 的测试 {item.nodeid} 被跳过"
        elif report.when == "setup":
            _neo4j_skipped.append(item.nodeid)
    elif report.skipped and report.when == "setup" and item.get_closest_marker("browser"):
        _browser_skipped.append(item.nodeid)
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly when the Neo4j half did not run (before pytest's closing line)."""
    if _neo4j_skipped:
        terminalreporter.write_sep("=", "Neo4j 部分未运行", yellow=True, bold=True)
        terminalreporter.write_line(
            f"未设置 NEO4J_URI：{len(_neo4j_skipped)} 个 Neo4j 测试已跳过，"
            "只验证了嵌入式存储（SQLite）。"
        )
        terminalreporter.write_line(HOW_TO_RUN_NEO4J)
    if _browser_skipped:
        terminalreporter.write_sep("=", "浏览器测试未运行", yellow=True, bold=True)
        terminalreporter.write_line(f"{len(_browser_skipped)} 个浏览器测试已跳过：{NO_CHROMIUM}")


WriteCsv = Callable[..., Path]


@pytest.fixture
def options() -> LoadOptions:
    return LoadOptions("江西省", ReadLimits(50_000_000, 500_000_000, 200))


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A private copy of the mini fixture folder, free to change."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def write_csv() -> WriteCsv:
    def write(folder: Path, sheet: str, rows: list[list[object]], encoding: str = "utf-8") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sheet}.csv"
        with path.open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh).writerows(rows)
        return path

    return write


def load(paths: list[Path], options: LoadOptions, index: IdentityIndex | None = None) -> LoadResult:
    return read_batch(paths, index or IdentityIndex(), options)


def load_store(settings: Settings, paths: list[Path]) -> GraphStore:
    store = settings.open_store()
    run_import(store, paths, settings, None)
    return store


def _wipe_neo4j(settings: Settings) -> None:
    from neo4j import GraphDatabase

    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(NEO4J_URI, auth=auth) as driver:
        wipe_neo4j(driver, settings.neo4j_database)


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
