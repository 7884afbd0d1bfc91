"""diagnose, anchors, recruit and whatif as an officer runs them: real processes, a real file."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.app.test_cli import chainkg
from tests.conftest import CHAIN_FIXTURE


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "kg.db"
    loaded = chainkg("load", CHAIN_FIXTURE, "--db", path)
    assert loaded.returncode == 0, loaded.stderr
    return path


def test_diagnose_json_shape(db: Path) -> None:
    done = chainkg("diagnose", "--chain", "示例电池", "--region", "宜春市", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["chain"] == "示例电池" and data["region"] == "宜春市"
    for link in data["links"]:
        assert {"id", "name", "stage", "status", "local_enterprises", "pipeline", "reasons"} <= set(
            link
        )
        assert link["status"] in ("strong", "weak", "missing", "broken")
    assert {link["name"]: link["status"] for link in data["links"]}["隔膜"] == "broken"


def test_diagnose_table(db: Path) -> None:
    done = chainkg("diagnose", "--chain", "示例电池", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "示例电池产业链诊断（全省）" in done.stdout
    assert "本地配套率 70.0%（末级环节 7/10）" in done.stdout
    assert "最大企业电芯一有限公司占本环节本地营收90%" in done.stdout


def test_anchors(db: Path) -> None:
    done = chainkg("anchors", "--chain", "示例电池", "--db", db, "--json", "--top", "3")
    data = json.loads(done.stdout)
    assert data["anchors"][0]["name"] == "电芯一有限公司"
    assert set(data["anchors"][0]["components"]) == {
        "scale",
        "breadth",
        "pull",
        "centrality",
        "standing",
    }
    table = chainkg("anchors", "--chain", "示例电池", "--db", db)
    assert "链主指数" in table.stdout and "电芯一有限公司" in table.stdout


def test_recruit_json_and_files(db: Path, tmp_path: Path) -> None:
    done = chainkg("recruit", "--chain", "示例电池", "--link", "隔膜", "--db", db, "--json")
    data = json.loads(done.stdout)
    assert [(i["enterprise"], i["pipeline_stage"]) for i in data["items"]] == [
        ("外省隔膜甲有限公司", None),
        ("外省隔膜乙有限公司", None),
        ("外省隔膜丁有限公司", "在谈"),
    ]
    item = data["items"][0]
    assert {"link", "link_status", "enterprise_id", "enterprise", "score", "reasons"} <= set(item)
    xlsx = tmp_path / "清单.xlsx"
    assert chainkg("recruit", "--chain", "示例电池", "--db", db, "--xlsx", xlsx).returncode == 0
    assert "招商清单" in openpyxl.load_workbook(xlsx).sheetnames
    out = tmp_path / "清单.csv"
    assert chainkg("recruit", "--chain", "示例电池", "--db", db, "--csv", out).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_whatif(db: Path) -> None:
    done = chainkg(
        "whatif", "--chain", "示例电池", "--enterprise", "外省隔膜乙", "--db", db, "--json"
    )
    data = json.loads(done.stdout)
    assert data["changes"][0] == {
        "link": "隔膜",
        "link_id": "link:示例电池/隔膜",
        "before": "broken",
        "after": "weak",
        "before_zh": "断链",
        "after_zh": "弱链",
    }
    assert (data["local_rate_before"], data["local_rate_after"]) == (0.7, 0.8)
    table = chainkg("whatif", "--chain", "示例电池", "--enterprise", "外省隔膜乙", "--db", db)
    assert "隔膜：断链 → 弱链" in table.stdout and "70.0% → 80.0%" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagnose", "--chain", "示例店池"], "找不到产业链“示例店池”。是否为：示例电池？"),
        (["anchors", "--chain", "火星链"], "找不到产业链“火星链”。可选：示例电池"),
        (["recruit", "--chain", "示例电池", "--link", "火星"], "可选：原料、设备"),
        (["diagnose", "--chain", "示例电池", "--region", "火星市"], "找不到地区或园区“火星市”"),
        (["recruit", "--chain", "示例电池", "--link", "隔模"], "是否为：隔膜"),
        (["whatif", "--chain", "示例电池", "--enterprise", "无此公司"], "找不到企业或项目"),
    ],
)
def test_mistakes_are_chinese_errors(db: Path, args: list[str], message: str) -> None:
    done = chainkg(*args, "--db", db)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
