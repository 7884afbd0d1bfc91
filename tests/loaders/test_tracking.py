"""The 招商台账 sheet: contacts as events against enterprises, with row/column errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema.errors import InputError
from loaders.workbook import LoadOptions
from tests.conftest import WriteCsv, load

HEADER = ["目标企业", "对接产业链", "对接环节", "责任单位", "对接阶段", "日期", "备注"]


def test_contacts_become_events_on_the_enterprise(
    mini_dir: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    write_csv(
        mini_dir,
        "招商台账",
        [
            HEADER,
            [
                "宁德时代新能源科技股份有限公司",
                "锂电新能源",
                "隔膜",
                "宜春市商务局",
                "拜访洽谈",
                "2026/3/5",
                "首访",
            ],
            [
                "宁德时代新能源科技股份有限公司",
                "锂电新能源",
                "",
                "宜春市商务局",
                "在谈",
                "2026年5月20日",
                "",
            ],
        ],
    )
    batch = load([mini_dir], options).batch
    contacts = [n for n in batch.nodes.values() if n.label == "Contact"]
    assert sorted((c.props["date"], c.props["stage"]) for c in contacts) == [
        ("2026-03-05", "拜访洽谈"),
        ("2026-05-20", "在谈"),
    ]
    edges = {(e.type, e.dst) for e in batch.edges.values() if e.src_label == "Contact"}
    assert ("CONCERNS", "link:锂电新能源/隔膜") in edges
    assert {dst for kind, dst in edges if kind == "CONTACTS"} == {"ent:91350900MA35X0004A"}


def test_errors_name_sheet_row_and_column(
    mini_dir: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    write_csv(
        mini_dir,
        "招商台账",
        [
            HEADER,
            ["甲公司", "锂电新能源", "", "", "见面", "2026-03-05", ""],
            ["乙公司", "锂电新能源", "", "", "在谈", "", ""],
            ["丙公司", "锂店新能源", "", "", "在谈", "2026-03-05", ""],
        ],
    )
    with pytest.raises(InputError) as exc:
        load([mini_dir], options)
    found = [str(i) for i in exc.value.issues if i.severity == "error"]
    assert found[0].startswith("招商台账 第2行 [对接阶段]: ")
    assert "“见面”" in found[0]
    assert found[1] == "招商台账 第3行 [日期]: 必填项“日期”为空"
    assert found[2].startswith("招商台账 第4行 [对接产业链]: 未知产业链“锂店新能源”")
