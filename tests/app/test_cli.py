"""The chainkg command as a user runs it: a real process, a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINI, WriteCsv

ENV_DROP = ("NEO4J_URI", "CHAINKG_NEO4J_URI", "CHAINKG_DB")


def chainkg(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean,
        cwd=Path(__file__).parents[2],
    )


def dump(db: Path) -> list[tuple[object, ...]]:
    """Every row of every table, to compare a store before and after."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = [(t, *row) for t in sorted(tables) for row in conn.execute(f'SELECT * FROM "{t}"')]
    conn.close()
    return sorted(rows, key=repr)


def test_load_then_reload_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    first = chainkg("load", MINI, "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["ok"] is True
    assert report["written"]["nodes_created"] == 35
    graph = [r for r in dump(db) if r[0] != "Import"]
    second = chainkg("load", MINI, "--db", db, "--json")
    assert second.returncode == 0
    assert json.loads(second.stdout)["written"] == {
        "nodes_created": 0,
        "nodes_updated": 0,
        "nodes_unchanged": 35,
        "edges_created": 0,
        "edges_updated": 0,
        "edges_unchanged": 65,
    }
    assert [r for r in dump(db) if r[0] != "Import"] == graph
    history = chainkg("stats", "--db", db, "--json")
    assert json.loads(history.stdout)["nodes"]["Link"] == 8


def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, write_csv: WriteCsv) -> None:
    db = tmp_path / "kg.db"
    assert chainkg("load", MINI, "--db", db).returncode == 0
    before = dump(db)
    bad = tmp_path / "bad"
    write_csv(
        bad,
        "企业清单",
        [
            ["企业名称", "所属产业链", "所属环节", "是否省内"],
            ["新的正确企业", "锂电新能源", "电芯", "是"],
            ["错误企业", "锂电新能源", "正级材料", "是"],
        ],
    )
    result = chainkg("load", bad, "--db", db)
    assert result.returncode == 2
    assert "企业清单 第3行 [所属环节]: 未知环节“正级材料”" in result.stderr
    assert "是否为“正极材料”" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert dump(db) == before  # not even the valid row, nor an import record


def test_json_errors_name_sheet_row_and_column(tmp_path: Path, write_csv: WriteCsv) -> None:
    bad = tmp_path / "bad"
    write_csv(bad, "产业链图", [["产业链", "环节", "链位"], ["铜", "铜冶炼", "中间"]])
    result = chainkg("load", bad, "--db", tmp_path / "kg.db", "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["errors"] == [
        {
            "file": "产业链图.csv",
            "sheet": "产业链图",
            "row": 2,
            "column": "链位",
            "message": "“中间”不是有效值（可选：上游/中游/下游）",
        }
    ]


def test_not_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "清单.xlsx"
    fake.write_bytes(b"PK\x03\x04 broken")
    result = chainkg("load", fake, "--db", tmp_path / "kg.db")
    assert result.returncode == 2
    assert "不是有效的 .xlsx 工作簿" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = chainkg("load", tmp_path / "无此文件.xlsx", "--db", tmp_path / "kg.db")
    assert result.returncode == 2
    assert "找不到文件" in result.stderr


def test_dry_run_validates_only(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    result = chainkg("load", MINI, "--db", db, "--dry-run", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["dry_run"] is True
    stats = json.loads(chainkg("stats", "--db", db, "--json").stdout)
    assert sum(stats["nodes"].values()) == 0


def test_template_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "四图五清单.xlsx"
    assert chainkg("template", out).returncode == 0
    book = openpyxl.load_workbook(out)
    assert {"产业链图", "企业清单", "项目清单", "集群清单", "政策清单", "问题清单"} <= set(
        book.sheetnames
    )
    ws = book["企业清单"]
    ws.append([None] * ws.max_column)
    headers = [c.value for c in ws[1]]
    row = {h: None for h in headers}
    row.update(
        {
            "企业名称": "模板测试企业",
            "所属环节": "电芯",
            "是否省内": "是",
            "所属产业链": "锂电新能源",
        }
    )
    ws.append([row[h] for h in headers])
    book.save(out)
    db = tmp_path / "kg.db"
    assert chainkg("load", MINI, "--db", db).returncode == 0
    result = chainkg("load", out, "--db", db, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["written"]["nodes_created"] == 1


@pytest.fixture(scope="module")
def mini_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("mini") / "kg.db"
    assert chainkg("load", MINI, "--db", db).returncode == 0
    return db


def test_show_json_shape(mini_db: Path) -> None:
    result = chainkg("show", "宜春经开区", "--db", mini_db, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # the documented shape, plus the figures documents state about the node (issue 16)
    assert set(data) == {
        "type",
        "id",
        "name",
        "properties",
        "relationships",
        "documents",
        "figures",
    }
    assert data["type"] == "Park"
    assert data["name"] == "宜春经济技术开发区"
    rel = next(r for r in data["relationships"] if r["type"] == "FOCUSES_ON")
    assert rel == {
        "type": "FOCUSES_ON",
        "direction": "out",
        "other_type": "Chain",
        "other_id": "chain:锂电新能源",
        "other_name": "锂电新能源",
    }


def test_show_unknown_suggests(mini_db: Path) -> None:
    result = chainkg("show", "江西赣锋锂业集团有限公", "--db", mini_db)
    assert result.returncode == 2
    assert "是否为：江西赣锋锂业集团股份有限公司" in result.stderr


def test_show_by_short_name_and_table(mini_db: Path) -> None:
    result = chainkg("show", "江西赣锋锂业集团", "--db", mini_db)
    assert result.returncode == 0
    assert "企业：江西赣锋锂业集团股份有限公司（ent:91360500MA35X0001G）" in result.stdout
    assert "链主、上市" in result.stdout


def test_search_json_shape(mini_db: Path) -> None:
    data = json.loads(chainkg("search", "锂盐", "--db", mini_db, "--json").stdout)
    assert data["query"] == "锂盐"
    assert data["items"][0] == {
        "type": "Link",
        "type_zh": "环节",
        "id": "link:锂电新能源/锂盐",
        "name": "锂盐",
        "score": 1.0,
        "chains": ["锂电新能源"],
        "region": None,
    }
    assert {i["name"] for i in data["items"]} == {"锂盐", "新余锂盐扩产项目"}


def test_stats_shape(mini_db: Path) -> None:
    data = json.loads(chainkg("stats", "--db", mini_db, "--json").stdout)
    assert set(data) == {"nodes", "relationships"}
    assert data["nodes"]["Enterprise"] == 6
    assert data["relationships"]["SUPPLIES_TO"] == 7


def test_unreachable_neo4j_is_a_clear_error(tmp_path: Path) -> None:
    result = chainkg("stats", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    assert "Neo4j" in result.stderr
    assert "Traceback" not in result.stderr


def test_gb18030_folder(tmp_path: Path, write_csv: WriteCsv) -> None:
    folder = tmp_path / "gbk"
    for path in MINI.glob("*.csv"):
        rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
        write_csv(folder, path.stem, rows, "gb18030")
    result = chainkg("load", folder, "--db", tmp_path / "kg.db", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["written"]["nodes_created"] == 35


DOCS = MINI.parent / "docs"


def test_documents_load_once_and_show_lists_them(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    assert chainkg("load", MINI, "--db", db).returncode == 0
    first = chainkg("load", DOCS, "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["written"]["nodes_created"] > 3
    again = json.loads(chainkg("load", DOCS, "--db", db, "--json").stdout)["written"]
    assert again["nodes_created"] == again["nodes_updated"] == again["edges_created"] == 0
    shown = json.loads(chainkg("show", "宜春经开区", "--db", db, "--json").stdout)
    assert {
        "id": "doc:04068c900c9c2020",
        "title": "关于加快宜春锂电新能源产业补链强链的通知",
        "snippet": "各县（市、区）人民政府，宜春经开区管委会：",
    } in shown["documents"]


def test_unreadable_document_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "扫描件.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = chainkg("load", bad, "--db", tmp_path / "kg.db")
    assert result.returncode == 2
    assert "不是文本文件" in result.stderr
    assert "Traceback" not in result.stderr
