"""Shared fixtures: the hand-made mini chain, CSV folders built from rows, load options."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph_schema.identity import IdentityIndex
from loaders.readers import ReadLimits
from loaders.workbook import LoadOptions, LoadResult, read_batch

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"

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
