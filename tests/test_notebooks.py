"""The analyst notebooks: committed without outputs, and 01-03 run top to bottom.

Notebooks 01-03 work on the embedded store (the bundled demo loaded into a temporary SQLite
file) and are executed here with nbclient on the ``python3`` kernel of this interpreter
(ipykernel, installed by ``scripts/setup.sh test``), in a temporary working directory so
that nothing is left in the repository. 04 needs Neo4j; it is checked to run as far as its
"not reachable" messages without one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.digests import wipe_neo4j

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EMBEDDED = ["01_quickstart.ipynb", "02_region_comparison.ipynb", "03_recruitment_whatif.ipynb"]


def needs_notebook_tools() -> None:
    """Skip without nbclient/ipykernel (the ``notebooks`` extra), except in CI, where fail."""
    import importlib.util

    missing = [m for m in ("nbformat", "nbclient", "ipykernel") if not importlib.util.find_spec(m)]
    if missing:
        reason = (
            f"缺少 {'、'.join(missing)}：运行 bash scripts/setup.sh test（安装 notebooks 依赖）"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def all_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_notebooks_are_there() -> None:
    names = [p.name for p in all_notebooks()]
    assert names == [*EMBEDDED, "04_cypher_cookbook.ipynb"]


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    needs_notebook_tools()
    import nbformat

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    assert nb.cells[0].cell_type == "markdown", "the first cell says what the notebook does"


def execute(path: Path, workdir: Path, neo4j: dict[str, str] | None = None) -> str:
    """Runs the notebook in a child process (its own warning filters), returns its text."""
    script = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, kernel_name='python3', timeout=300,\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "out = []\n"
        "for cell in nb.cells:\n"
        "    for o in cell.get('outputs', []):\n"
        "        out.append(o.get('text', '') + str(o.get('data', {}).get('text/plain', '')))\n"
        "        if o.get('output_type') == 'error':\n"
        "            out.append('ERROR ' + o['ename'] + ': ' + o['evalue'])\n"
        "print('\\n'.join(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(neo4j or {})
    env["JUPYTER_PLATFORM_DIRS"] = "1"  # jupyter_core's own default from 6.0 on, no warning
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["MPLCONFIGDIR"] = str(workdir / ".matplotlib")
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path), str(workdir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        cwd=workdir,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return proc.stdout


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    before = set(ROOT.iterdir())
    yield tmp_path
    assert set(ROOT.iterdir()) == before, "a notebook left files in the repository"


@pytest.mark.slow
@pytest.mark.parametrize("name", EMBEDDED)
def test_embedded_notebooks_run(name: str, workdir: Path) -> None:
    needs_notebook_tools()
    out = execute(NOTEBOOKS / name, workdir)
    assert "ERROR" not in out
    assert "Traceback" not in out
    assert "已载入" in out  # the demo was loaded
    if name.startswith("01"):
        assert "本地配套率" in out and "链主指数" in out
    if name.startswith("03"):
        assert "本地配套率：" in out and "→" in out
    assert not list(workdir.glob("*.db*"))  # the temporary store lives elsewhere


def test_cookbook_notebook_without_neo4j(workdir: Path) -> None:
    needs_notebook_tools()
    out = execute(NOTEBOOKS / "04_cypher_cookbook.ipynb", workdir)
    assert "未设置 NEO4J_URI：跳过" in out
    assert "01_link_diagnosis" in out  # the list of cookbook files


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI 未设置")
def test_cookbook_notebook_on_neo4j(workdir: Path) -> None:
    """Notebook 04 top to bottom against the server, with the demo loaded (the database is
    wiped first)."""
    needs_notebook_tools()
    from neo4j import GraphDatabase

    from app.importing import run_import
    from app.settings import Settings

    settings = Settings(db=workdir / "unused.db", cache_dir=workdir / "cache")
    assert settings.neo4j_uri
    auth = (settings.neo4j_user, settings.neo4j_password)
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        wipe_neo4j(driver, settings.neo4j_database)
    store = settings.open_store()
    try:
        run_import(store, [ROOT / "app" / "demo_data"], settings, None)
    finally:
        store.close()
    env = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
    out = execute(NOTEBOOKS / "04_cypher_cookbook.ipynb", workdir, env)
    assert "ERROR" not in out and "Traceback" not in out
    assert "已连接" in out and "跳过" not in out
    assert "正极材料" in out  # a link of 锂电新能源 in the diagnosis table
