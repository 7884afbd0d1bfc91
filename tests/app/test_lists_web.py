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

from tests.app.test_web import base_url, browser, page  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.usefixtures("base_url")
Page = object  # the annotations below; the real class comes with playwright in test_web


def _coloured(page_: object, selector: str) -> int:
    """Coloured (not white, not transparent) pixels on the canvas inside `selector`."""
    return int(
        page_.locator(f"{selector} canvas").first.evaluate(  # type: ignore[attr-defined]
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
        ("enterprises", "chain=锂电新能源&region=region:江西省/宜春市", "xlsx", "企业名称", "宜春市"),
        ("projects", "stage=在建", "csv", "项目名称", "在建"),
        ("clusters", "level=国家级", "csv", "集群名称", "国家级"),
        ("policies", "chain=锂电新能源", "xlsx", "政策名称", "锂电新能源"),
        ("problems", "type=卡脖子", "csv", "问题描述", "卡脖子"),
    ],
)
def test_each_list_filtered_and_downloaded(
    page: Page, base_url: str, key: str, query: str, fmt: str, header: str, expect: str  # noqa: F811
) -> None:
    page.goto(f"{base_url}/lists/{key}?{query}")  # type: ignore[attr-defined]
    rows = page.locator("#list-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 1
    assert "没有符合条件" not in rows.first.inner_text()
    assert expect in page.locator("#list-table tbody").inner_text()  # type: ignore[attr-defined]
    shown = int(page.locator("h1 small").inner_text().split()[1])  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click(f"#download-{fmt}")  # type: ignore[attr-defined]
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


def test_dispatch_and_closing_views(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/lists/projects")  # type: ignore[attr-defined]
    page.click("text=调度视图")  # type: ignore[attr-defined]
    table = page.locator("#dispatch-table")  # type: ignore[attr-defined]
    assert "在建" in table.locator("thead").inner_text()
    assert table.locator("tbody tr").count() >= 3
    assert "★" in page.locator("#dispatch").inner_text()  # type: ignore[attr-defined]
    page.goto(base_url + "/lists/problems?view=closing")  # type: ignore[attr-defined]
    closing = page.locator("#closing").inner_text()  # type: ignore[attr-defined]
    assert "已销号" not in closing.split("按问题类型与责任单位", 1)[1]
    assert page.locator("#closing .chip.st-weak, #closing .chip.st-strong").count() >= 1  # type: ignore[attr-defined]


def test_province_map_drawn_with_eleven_cities(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/chains/锂电新能源")  # type: ignore[attr-defined]
    page.click("nav.four-maps >> text=区域分布图")  # type: ignore[attr-defined]
    page.locator("#region-map[data-drawn='11']").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    assert _coloured(page, "#region-map") > 5_000
    assert page.locator("#map-table tbody tr").count() == 11  # type: ignore[attr-defined]
    page.select_option("#level", "县")  # type: ignore[attr-defined]
    page.locator("#region-map[data-drawn='100']").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    page.select_option("#level", "市")  # type: ignore[attr-defined]
    page.locator("#region-map[data-drawn='11']").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    page.click("#map-table a:text-is('宜春市')")  # type: ignore[attr-defined]
    page.wait_for_url("**region=**")  # type: ignore[attr-defined]
    assert "宜春市" in page.locator("h1").inner_text()  # type: ignore[attr-defined]


def test_roadmap_and_applications(page: Page, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/chains/锂电新能源/roadmap")  # type: ignore[attr-defined]
    lanes = page.locator("#roadmap-lanes .lane h3").all_inner_texts()  # type: ignore[attr-defined]
    assert [t.split()[0] for t in lanes] == ["研发", "中试", "产业化"]
    assert page.locator(".tech.bottleneck").count() >= 1  # type: ignore[attr-defined]
    page.click("nav.four-maps >> text=应用领域图")  # type: ignore[attr-defined]
    page.locator("#app-sankey[data-drawn]").wait_for(timeout=15_000)  # type: ignore[attr-defined]
    assert _coloured(page, "#app-sankey") > 2_000
    assert page.locator("#applications-table tbody tr").count() >= 3  # type: ignore[attr-defined]
    assert page.locator(".demo-notice").count() == 1  # type: ignore[attr-defined]


def test_phone_width(browser: object, base_url: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    phone = context.new_page()
    try:
        for path in ("/lists/enterprises?chain=锂电新能源", "/chains/锂电新能源/regions"):
            phone.goto(base_url + path)
            phone.wait_for_load_state("networkidle")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 392, (path, width)
    finally:
        context.close()
