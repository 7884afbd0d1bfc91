"""A large CSV sheet is typed in a second process: same records, same problems."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from graph_schema.errors import InputError, Issue
from loaders.parallel import typed_records
from loaders.readers import discover
from loaders.rows import records
from loaders.workbook import LoadOptions
from tests.conftest import WriteCsv


def _handle(path: Path, options: LoadOptions, stack: ExitStack):  # type: ignore[no-untyped-def]
    return discover(path, options.limits, [], stack)[0]


def test_same_records_in_a_second_process(mini_dir: Path, options: LoadOptions) -> None:
    with ExitStack() as stack:
        handle = _handle(mini_dir / "企业清单.csv", options, stack)
        here: list[Issue] = []
        there: list[Issue] = []
        sequential = list(records(handle.open(), here))
        forked = list(typed_records(handle, there, min_bytes=0))
    assert forked == sequential
    assert there == here


def test_problems_come_back_from_the_second_process(
    tmp_path: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    rows: list[list[object]] = [["企业名称", "所属环节", "是否省内", "营业收入(亿元)"]]
    rows += [[f"企业{i}", "电芯", "是", str(i)] for i in range(9000)]
    rows[5000][3] = "很多"
    path = write_csv(tmp_path, "企业清单", rows)
    with ExitStack() as stack:
        issues: list[Issue] = []
        got = list(typed_records(_handle(path, options, stack), issues, min_bytes=0))
    assert len(got) == 8999
    assert [str(i) for i in issues] == [
        "企业清单 第5001行 [营业收入(亿元)]: 无法识别的金额“很多”（应为数字，可带单位 亿元/万元）"
    ]


def test_a_failure_in_the_second_process_is_an_input_error(
    tmp_path: Path, options: LoadOptions
) -> None:
    path = tmp_path / "企业清单.csv"
    path.write_bytes("企业名称,所属环节,是否省内\n".encode() + b'"\xff\xfe broken\n' * 10)
    with ExitStack() as stack, pytest.raises(InputError):
        list(typed_records(_handle(path, options, stack), [], min_bytes=0))
