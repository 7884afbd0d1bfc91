"""README and --help must tell the same story: every command documented, none invented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from app.cli import cli
from app.settings import PARTS, Settings

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


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        if name.startswith("neo4j"):
            assert f"NEO4J_{name.removeprefix('neo4j_').upper()}" in readme
        elif name in PARTS:  # a composed part: each of its fields is a variable
            for sub in PARTS[name].model_fields:
                assert f"CHAINKG_{sub.upper()}" in readme, sub
        else:
            assert f"CHAINKG_{name.upper()}" in readme, name


def test_readme_gives_the_two_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/demo.sh" in readme
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci


def test_generated_reference_is_current() -> None:
    """docs/reference/ is what tools/gen_docs.py makes from the code (workbook, settings, CLI, API)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
