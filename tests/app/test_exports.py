"""The recruitment list as XLSX and CSV: ready to hand out, and safe to open."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from app.exports import recruitment_csv, recruitment_xlsx, safe_cell
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.snapshot import Snapshot

EVIL = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _evil_list() -> dict[str, Any]:
    target = {
        "link": "隔膜",
        "link_id": "link:x/隔膜",
        "stage": "中游",
        "key": True,
        "status": "broken",
        "status_zh": "断链",
        "reasons": ['=HYPERLINK("http://evil")'],
        "candidates": len(EVIL),
        "shown": len(EVIL),
    }
    items = [
        {
            "link": "隔膜",
            "link_id": "link:x/隔膜",
            "link_status": "broken",
            "link_status_zh": "断链",
            "rank": i,
            "enterprise": name,
            "region": "@广东",
            "revenue": -5.0,
            "tags": ["-上市"],
            "score": 0.5,
            "pipeline_stage": None,
            "reasons": [name],
        }
        for i, name in enumerate(EVIL, start=1)
    ]
    return {"chain": "=示例", "region": None, "targets": [target], "items": items, "excluded": []}


@pytest.mark.parametrize("text", EVIL)
def test_formula_cells_are_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_xlsx_has_no_formula_cell() -> None:
    book = openpyxl.load_workbook(io.BytesIO(recruitment_xlsx(_evil_list())))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    sheet = book["招商清单"]
    names = [c.value for c in sheet["B"]]
    assert "'" + EVIL[0] in names
    row = names.index("'" + EVIL[0]) + 1
    assert sheet.cell(row, 4).value == -5.0  # numbers stay numbers


def test_csv_has_no_formula_cell() -> None:
    text = recruitment_csv(_evil_list()).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Chinese with the BOM
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["目标环节", "环节状态", "序号", "企业名称"]
    for row in rows[1:]:
        for cell in row:
            if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
                float(cell)  # only a plain number may start so (-5.0)


def test_xlsx_is_ready_to_hand_out(snap: Snapshot) -> None:
    data = recruit(snap, "示例电池", AnalysisParams()).model_dump(mode="json")
    book = openpyxl.load_workbook(io.BytesIO(recruitment_xlsx(data)))
    assert book.sheetnames == ["汇总", "招商清单", "已排除"]
    summary = book["汇总"]
    assert summary["A1"].value == "示例电池产业链补链招商目标企业清单（全省）"
    header = summary.print_title_rows.split(":")[0].strip("$")
    assert [c.value for c in summary[int(header)]][:5] == [
        "序号",
        "目标环节",
        "链位",
        "关键环节",
        "状态",
    ]
    first = summary[int(header) + 1]
    assert (first[1].value, first[4].value) == ("隔膜", "断链")
    sheet = book["招商清单"]
    row = int(sheet.print_title_rows.split(":")[0].strip("$"))
    assert [c.value for c in sheet[row]] == [
        "序号",
        "企业名称",
        "所在地区",
        "营业收入(亿元)",
        "企业标签",
        "评分",
        "推荐度",
        "项目进展",
        "可填补环节",
        "推荐理由",
        "数据来源",
    ]
    assert sheet.cell(row + 1, 1).value.startswith("一、隔膜（断链，关键环节，中游）：候选企业3家")
    first_firm = [c.value for c in sheet[row + 2]]
    assert first_firm[1] == "外省隔膜甲有限公司"
    assert first_firm[5:7] == [90, "A"]  # 0.9 → 90, A from 70
    assert sheet.page_setup.orientation == "landscape" and (sheet.page_setup.fitToWidth or 1) == 1
    assert sheet.cell(row + 2, 10).alignment.wrap_text
    assert "外省隔膜丙有限公司" in [c.value for c in book["已排除"]["B"]]


def test_a_firm_of_a_parent_and_its_sub_links_is_listed_once() -> None:
    data = _evil_list()
    data["chain"] = "示例"
    sub = {**data["targets"][0], "link": "湿法隔膜", "link_id": "link:x/湿法隔膜"}
    data["targets"].append(sub)
    twin = {**data["items"][0], "link": "湿法隔膜", "link_id": "link:x/湿法隔膜", "rank": 1}
    data["items"].append(twin)
    for item in data["items"]:
        item["enterprise_id"] = "ent:" + item["enterprise"]
    sheet = openpyxl.load_workbook(io.BytesIO(recruitment_xlsx(data)))["招商清单"]
    names = [c.value for c in sheet["B"]]
    assert names.count("'" + EVIL[0]) == 1
    bands = [c.value for c in sheet["A"] if isinstance(c.value, str) and "、" in c.value]
    assert bands[-1].startswith("二、湿法隔膜") and "已列于上文" in bands[-1]
