# ruff: noqa: F811  (pytest fixtures imported from test_web are parameters here)
"""四图五清单 in a real headless Chromium on the demo data, offline (any request to another
host fails the test, as in tests/app/test_web.py): each list opened with a filter and
downloaded, the 调度 and 销号 views, the province map drawn with its 11 市 (and 100 县),
the 技术路线图 and 应用领域图, and the list page at phone width."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page

from tests.app.test_web import base_url, browser, page  # noqa: F401  (shared fixtures)


def _coloured(page_: Page, selector: str) -> int:
    """Coloured (not white, not transparent) pixels on the canvas inside `selector`."""
    return int(
        page_.locator(f"{selector} canvas").first.evaluate(
            """canvas => {
                const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let n = 0;
                for (let i = 0; i < data.length; i += 4) {
                    if (data[i + 3] > 0 && !(data[i] > 235 && data[i + 1] > 235 && data[i + 2] > 235)) n++;
                }
                return n;
            }"""
        )
    )


@pytest.mark.parametrize(
    ("key", "query", "fmt", "header", "expect"),
    [
        (
            "enterprises",
            "chain=锂电新能源&region=region:江西省/宜春市",
            "xlsx",
            "企业名称",
            "宜春市",
        ),
        ("projects", "stage=在建", "csv", "项目名称", "在建"),
        ("clusters", "level=国家级", "csv", "集群名称", "国家级"),
        ("policies", "chain=锂电新能源", "xlsx", "政策名称", "锂电新能源"),
        ("problems", "type=卡脖子", "csv", "问题描述", "卡脖子"),
    ],
)
def test_each_list_filtered_and_downloaded(
    page: Page,
    base_url: str,
    key: str,
    query: str,
    fmt: str,
    header: str,
    expect: str,
) -> None:
    page.goto(f"{base_url}/lists/{key}?{query}")
    rows = page.locator("#list-table tbody tr")
    assert rows.count() >= 1
    assert "没有符合条件" not in rows.first.inner_text()
    assert expect in page.locator("#list-table tbody").inner_text()
    shown = int(page.locator("h1 small").inner_text().split()[1])
    with page.expect_download() as info:
        page.click(f"#download-{fmt}")
    data = Path(info.value.path()).read_bytes()
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        book = load_workbook(io.BytesIO(data), read_only=True)
        table = [
            ["" if c is None else str(c) for c in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    at = next(i for i, row in enumerate(table) if header in row)
    assert table[at][0] == header
    assert len([r for r in table[at + 1 :] if any(r)]) == shown


def test_dispatch_and_closing_views(page: Page, base_url: str) -> None:
    page.goto(base_url + "/lists/projects")
    page.click("text=调度视图")
    table = page.locator("#dispatch-table")
    assert "在建" in table.locator("thead").inner_text()
    assert table.locator("tbody tr").count() >= 3
    assert "★" in page.locator("#dispatch").inner_text()
    page.goto(base_url + "/lists/problems?view=closing")
    closing = page.locator("#closing").inner_text()
    assert "已销号" not in closing.split("按问题类型与责任单位", 1)[1]
    assert page.locator("#closing .chip.st-weak, #closing .chip.st-strong").count() >= 1


def test_province_map_drawn_with_eleven_cities(page: Page, base_url: str) -> None:
    page.goto(base_url + "/chains/锂电新能源")
    page.click("nav.four-maps >> text=区域分布图")
    page.locator("#region-map[data-drawn='11']").wait_for(timeout=15_000)
    assert _coloured(page, "#region-map") > 5_000
    assert page.locator("#map-table tbody tr").count() == 11
    page.select_option("#level", "县")
    page.locator("#region-map[data-drawn='100']").wait_for(timeout=15_000)
    page.select_option("#level", "市")
    page.locator("#region-map[data-drawn='11']").wait_for(timeout=15_000)
    page.click("#map-table a:text-is('宜春市')")
    page.wait_for_url("**region=**")
    assert "宜春市" in page.locator("h1").inner_text()


def test_roadmap_and_applications(page: Page, base_url: str) -> None:
    page.goto(base_url + "/chains/锂电新能源/roadmap")
    lanes = page.locator("#roadmap-lanes .lane h3").all_inner_texts()
    assert [t.split()[0] for t in lanes] == ["研发", "中试", "产业化"]
    assert page.locator(".tech.bottleneck").count() >= 1
    page.click("nav.four-maps >> text=应用领域图")
    page.locator("#app-sankey[data-drawn]").wait_for(timeout=15_000)
    assert _coloured(page, "#app-sankey") > 2_000
    assert page.locator("#applications-table tbody tr").count() >= 3
    assert page.locator(".demo-notice").count() == 1


def test_phone_width(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    try:
        for path in ("/lists/enterprises?chain=锂电新能源", "/chains/锂电新能源/regions"):
            phone.goto(base_url + path)
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 392, (path, width)
    finally:
        context.close()
