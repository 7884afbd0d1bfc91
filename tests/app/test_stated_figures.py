"""Figures documents state, where officers look (issue 16): node pages and answers list
them with their sentence and document; the diagnosis of a chain in a region puts the latest
stated yearly revenue beside the listed firms' sum; names come back as written.

The server holds the mini chain plus tests/fixtures/docs/scoped (a 宜春 brief, a 奉新县
plan, a province notice, and 孚能科技（赣州）有限公司 in the lists)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from tests.app.live_server import load, serve
from tests.conftest import FIXTURES, MINI

SCOPED = FIXTURES / "docs" / "scoped"
BRIEF = "宜春市工业经济工作简报（2026年第2期）"
FUNENG = "孚能科技（赣州）有限公司"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("stated") / "kg.db"
    load(db, MINI, SCOPED / "lists", SCOPED / "texts")
    with serve(db) as url:
        yield url


def get(url: str, **params: str) -> httpx.Response:
    response = httpx.get(url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response


def node(base_url: str, name: str) -> dict[str, object]:
    data: dict[str, object] = get(f"{base_url}/api/v1/nodes/{quote(name)}").json()
    return data


def test_a_region_lists_the_figures_stated_about_it(base_url: str) -> None:
    figures = node(base_url, "宜春市")["figures"]
    assert isinstance(figures, list)
    rows = {(f["subject"], f["metric"], f["value"], f["year"], f["kind"]) for f in figures}
    assert ("锂电新能源", "营业收入", 1500.0, 2025, "actual") in rows  # from the province
    assert ("宜春市", "项目数", 30.0, 2026, "target") in rows  # from the city's brief
    first = next(f for f in figures if f["value"] == 1500.0)
    assert first["document"] == "关于推进锂电新能源产业链精准招商的通知"
    assert first["sentence"].startswith("宜春市锂电新能源产业营业收入1500亿元")
    assert first["document_id"].startswith("doc:")


def test_an_enterprise_keeps_its_written_name_and_its_figures(base_url: str) -> None:
    firm = node(base_url, "孚能科技(赣州)有限公司")  # typed with half-width brackets
    assert firm["name"] == FUNENG
    figures = firm["figures"]
    assert isinstance(figures, list)
    assert [(f["metric"], f["value"], f["role"]) for f in figures] == [("投资", 60.0, "主体")]
    anchors = get(f"{base_url}/api/v1/chains/锂电新能源/anchors").json()["anchors"]
    assert FUNENG in [a["name"] for a in anchors]  # analyses name it as written too


def test_a_document_is_found_by_its_title_and_shows_its_scope(base_url: str) -> None:
    doc = node(base_url, BRIEF)
    assert doc["type"] == "Document"
    properties = doc["properties"]
    assert isinstance(properties, dict)
    assert properties["scope"] == "宜春市"
    assert isinstance(doc["figures"], list) and len(doc["figures"]) == 6
    page = get(f"{base_url}/nodes/{quote(BRIEF)}").text
    assert "适用地区" in page and "文件所载数据" in page


def test_diagnosis_puts_stated_revenue_beside_the_listed_sum(base_url: str) -> None:
    city = get(f"{base_url}/api/v1/chains/锂电新能源/diagnosis", region="宜春市").json()
    summary = city["summary"]
    # 2026's 一季度 420亿元 is part of a year; 2025's 1500亿元 is the latest yearly figure
    assert summary["stated_revenue"]["value"] == 1500.0
    assert summary["stated_revenue"]["year"] == 2025
    # 宜春时代 300 + 江西示例正极材料 0.35 (3500万元) + 江西奉新示例隔膜 20 (奉新县)
    assert summary["listed_revenue"] == 320.35
    assert summary["listed_enterprises"] == summary["listed_revenue_known"] == 3
    province = get(f"{base_url}/api/v1/chains/锂电新能源/diagnosis").json()["summary"]
    assert province["stated_revenue"]["value"] == 5200.0
    page = get(f"{base_url}/chains/锂电新能源", region="宜春市").text
    assert "文件所载" in page and "1500 亿元" in page and "清单可能缺企业" in page


def test_pages_of_a_chain_node_list_its_figures(base_url: str) -> None:
    page = get(f"{base_url}/nodes/{quote('chain:锂电新能源')}").text
    assert "文件中关于它的数据" in page
    assert "到2028年，全县锂电新能源产业营业收入力争达到150亿元" in page
