"""README and --help must tell the same story: every command documented, none invented."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.settings import PARTS, Settings
from queries.params import AnalysisParams
from queries.province.params import ProvinceParams

ROOT = Path(__file__).parents[1]


def _cli_commands() -> set[str]:
    result = CliRunner().invoke(cli, ["--help"], terminal_width=200)
    return {m for m in re.findall(r"^\s{2}(\w+)\s{2,}", result.output, re.M)}


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`chainkg (\w+)", readme))
    commands = _cli_commands()
    assert commands, "no commands found in --help"
    assert commands <= documented
    assert documented <= commands, documented - commands


def test_every_setting_is_documented() -> None:
    """Every setting is in the generated settings reference, and every threshold of the
    analyses in the generated tables of docs/analyses.md, under its own group."""
    reference = (ROOT / "docs" / "reference" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        if name.startswith("neo4j"):
            assert f"NEO4J_{name.removeprefix('neo4j_').upper()}" in reference
        elif name in PARTS:  # a composed part: each of its fields is a variable
            for sub in PARTS[name].model_fields:
                assert f"`CHAINKG_{sub.upper()}`" in reference, sub
        else:
            assert f"`CHAINKG_{name.upper()}`" in reference, name
    analyses = (ROOT / "docs" / "analyses.md").read_text(encoding="utf-8")
    for model in (AnalysisParams, ProvinceParams):
        for name in model.model_fields:
            assert f"| `{name}`（`CHAINKG_{name.upper()}`） |" in analyses, name


def test_the_defaults_tables_follow_the_code() -> None:
    """Change a default and the table of docs/analyses.md changes with it."""
    sys.path.insert(0, str(ROOT / "tools"))
    import gen_docs

    table = gen_docs.defaults_table("diagnosis")
    assert f"| `{AnalysisParams().weak_min_enterprises}` |" in table
    text = "前\n<!-- defaults: anchor -->\n旧的表\n<!-- /defaults -->\n后\n"
    filled = gen_docs.with_defaults(text)
    assert "旧的表" not in filled and "`anchor_weight_scale`" in filled
    assert filled.startswith("前\n") and filled.endswith("<!-- /defaults -->\n后\n")


def test_the_user_docs_are_linked() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    for page in ("loading.md", "analyses.md", "usage.md"):
        assert (ROOT / "docs" / page).is_file(), page
        assert f"docs/{page}" in readme, page
        assert f"({page})" in index, page


def test_links_between_docs_resolve() -> None:
    """Every relative link of docs/ and README.md names a file of the repository."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+?)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert broken == []


def test_readme_gives_the_two_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci


def test_generated_reference_is_current() -> None:
    """docs/reference/ is what tools/gen_docs.py makes from the code (workbook, settings, CLI, API)."""
    import subprocess

    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
