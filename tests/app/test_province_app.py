"""targets / ledger / history / alerts as people use them: the CLI in its own process, the API
and the pages over real HTTP, the XLSX that is printed (tests/fixtures/province, three loads)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.app.live_server import clean_env, load, serve
from tests.app.test_cli import chainkg
from tests.conftest import FIXTURES

PROVINCE = FIXTURES / "province"
TODAY = {"CHAINKG_TODAY": "2026-12-03"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("province-cli") / "kg.db"
    load(path, PROVINCE / "v1")
    load(path, PROVINCE / "v2")
    load(path, PROVINCE / "v3")
    return path


@pytest.fixture(scope="module")
def base_url(db: Path) -> Iterator[str]:
    with serve(db, clean_env(**TODAY)) as url:
        yield url


def run_json(*args: str | Path) -> Any:
    done = chainkg(*args, "--json", env=TODAY)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_targets_cli_json_and_table(db: Path) -> None:
    data = run_json("targets", "--db", db)
    assert set(data) >= {"region", "items", "excluded"}
    items = data["items"]
    assert isinstance(items, list)
    assert [i["enterprise"] for i in items][:1] == ["沪正极材料集团股份有限公司"]
    done = chainkg("targets", "--top", "1", "--db", db, env=TODAY)
    assert done.returncode == 0, done.stderr
    assert "全省重点产业链精准招商目标企业清单" in done.stdout
    assert "沪正极材料集团股份有限公司" in done.stdout
    assert "深圳正极科技有限公司" not in done.stdout


def test_targets_xlsx_follows_the_print_rules(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "目标企业.xlsx"
    done = chainkg("targets", "--xlsx", out, "--db", db, env=TODAY)
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["目标企业清单", "已排除"]
    sheet = book["目标企业清单"]
    assert sheet["A1"].value == "全省重点产业链精准招商目标企业清单"
    header = next(r for r in range(1, 12) if sheet.cell(r, 2).value == "企业名称")
    assert sheet.cell(header, 8).value == "建议承接地"
    assert sheet.cell(header + 1, 2).value == "沪正极材料集团股份有限公司"
    assert sheet.cell(header + 1, 8).value == "宜春市 · 宜春经济技术开发区"
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert (sheet.page_setup.fitToWidth or 1) == 1  # 1, the default, is left out of the file
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in (sheet.oddFooter.center.text or "")
    assert sheet.freeze_panes == f"A{header + 1}"
    left = book["已排除"]
    names = [c.value for c in left["A"]]
    assert "京签约正极有限公司" in names


def test_targets_csv_opens_in_excel(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    done = chainkg("targets", "--csv", out, "--db", db, env=TODAY)
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["序号", "企业名称"]
    assert rows[1][1] == "沪正极材料集团股份有限公司"


def test_ledger_history_alerts_cli(db: Path) -> None:
    ledger = run_json("ledger", "--db", db)
    stale = [i["enterprise"] for i in ledger["items"] if i["stale"]]
    assert stale == ["沪正极材料集团股份有限公司"]
    history = run_json("history", "--chain", "电子信息", "--db", db)
    assert [c["after"] for c in history["changes"]] == ["strong", "weak"]
    alerts = run_json("alerts", "--chain", "锂电新能源", "--db", db)
    kinds = {a["kind"] for a in alerts["items"]}
    assert "anchor_left" in kinds and "link_worse" not in kinds  # 元器件 is 电子信息's
    table = chainkg("history", "--chain", "电子信息", "--db", db, env=TODAY)
    assert "版本3：元器件 强链 → 弱链" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "--chain", "电子信息", "--region", "火星市"], "找不到地区或园区“火星市”"),
        (["history", "--chain", "店子信息"], "找不到产业链“店子信息”"),
        (["targets", "--region", "火星市"], "找不到地区或园区“火星市”"),
        (["alerts", "--chain", "无此链"], "找不到产业链"),
        (["targets", "--xlsx", "a.xlsx", "--csv", "a.csv"], "只能选一个"),
    ],
)
def test_mistakes_are_chinese_errors(db: Path, args: list[str], message: str) -> None:
    done = chainkg(*args, "--db", db, env=TODAY)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


def test_api_routes_share_the_cli_shapes(db: Path, base_url: str) -> None:
    api = f"{base_url}/api/v1"
    targets = httpx.get(f"{api}/targets", timeout=30).json()
    assert targets == run_json("targets", "--db", db)
    history = httpx.get(f"{api}/chains/电子信息/history", timeout=30).json()
    assert history == run_json("history", "--chain", "电子信息", "--db", db)
    alerts = httpx.get(f"{api}/alerts", timeout=30).json()
    assert alerts == run_json("alerts", "--db", db)
    ledger = httpx.get(f"{api}/ledger", timeout=30).json()
    assert ledger == run_json("ledger", "--db", db)


def test_api_downloads_and_errors(db: Path, base_url: str) -> None:
    api = f"{base_url}/api/v1"
    xlsx = httpx.get(f"{api}/targets", params={"format": "xlsx", "top": "2"}, timeout=30)
    assert xlsx.status_code == 200
    assert "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["目标企业清单"]
    firms = [c.value for c in sheet["B"] if c.value and str(c.value).endswith("公司")]
    assert firms == ["沪正极材料集团股份有限公司", "深圳正极科技有限公司"]
    park = httpx.get(f"{api}/chains/电子信息/history", params={"region": "南昌经开区"}, timeout=30)
    assert park.status_code == 200 and park.json()["region"] == "南昌经济技术开发区"
    # the two 元器件 firms of v2 are in 新建区 but not in the park: no change there
    assert len(park.json()["versions"]) == 3 and park.json()["changes"] == []
    county = run_json("history", "--chain", "电子信息", "--region", "新建区", "--db", db)
    assert [c["after"] for c in county["changes"]] == ["strong", "weak"]
    assert (
        httpx.get(f"{api}/chains/电子信息/history", params={"region": "新建区"}, timeout=30).json()
        == county
    )
    chart = httpx.get(
        f"{base_url}/chains/电子信息/history.svg", params={"region": "新建区"}, timeout=30
    )
    assert "本地配套率（新建区" in chart.text and "版本3：元器件 强链 → 弱链" in chart.text
    missing = httpx.get(f"{api}/alerts", params={"chain": "无此链"}, timeout=30)
    assert missing.status_code == 404


def test_pages_show_targets_ledger_alerts_and_the_history_chart(base_url: str) -> None:
    targets = httpx.get(f"{base_url}/targets", timeout=30)
    assert targets.status_code == 200
    assert "宜春市 · 宜春经济技术开发区" in targets.text and "备选 1 处" in targets.text
    ledger = httpx.get(f"{base_url}/ledger", timeout=30).text
    assert "已327天未对接" in ledger and "无锡浆料有限公司" in ledger
    alerts = httpx.get(f"{base_url}/alerts", timeout=30).text
    assert "链主迁出" in alerts and "宜春电芯有限公司" in alerts
    assert "<script>" not in targets.text + ledger + alerts  # no inline script (CSP)
    chart = httpx.get(f"{base_url}/chains/电子信息/history.svg", timeout=30)
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert "版本3：元器件 强链 → 弱链" in chart.text
    chain = httpx.get(f"{base_url}/chains/电子信息", timeout=30).text
    assert "/history.svg" in chain


def test_the_demo_shows_targets_ledger_history_and_alerts(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    done = chainkg("demo", "--no-serve", "--db", db, env=TODAY)
    assert done.returncode == 0, done.stderr
    targets = run_json("targets", "--top", "10", "--db", db)
    assert len(targets["items"]) == 10 and targets["demo_rows"] > 0
    assert all(i["host"] for i in targets["items"])
    ledger = run_json("ledger", "--db", db)
    assert any(i["stale"] for i in ledger["items"]) and ledger["no_contact"]
    history = run_json("history", "--chain", "锂电新能源", "--db", db)
    assert len(history["versions"]) == 2
    assert {(c["link"], c["before"], c["after"]) for c in history["changes"]} == {
        ("负极材料", "strong", "weak"),
        ("充换电设施", "missing", "weak"),
    }
    alerts = run_json("alerts", "--db", db)
    kinds = {a["kind"] for a in alerts["items"]}
    assert {"link_worse", "anchor_revenue"} <= kinds
    # loaded today: stalls cannot come from the load history yet; old 年份 make summaries
    assert "project_stalled" not in kinds
    undated = [a for a in alerts["items"] if a["kind"] == "projects_undated"]
    assert undated and all(a["severity"] == "low" for a in undated)
    assert len(undated) <= len({a["subject"] for a in undated})  # one per chain
