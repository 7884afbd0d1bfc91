"""The web UI in a real headless Chromium (Debian's, driven by Playwright), on the demo data.

Every request the browser makes to anything but the test server is blocked and recorded;
the test fails if there was any: the UI must work on an offline government intranet.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.app.live_server import clean_env, load, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO = Path(__file__).parents[2] / "app" / "demo_data"
TOKEN = "web-test-token"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        pytest.fail("CI 需要 chromium（apt-get install -y chromium）", pytrace=False)
    pytest.skip(
        "未安装 chromium（apt-get install -y chromium）：跳过浏览器测试", allow_module_level=True
    )

from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "kg.db"
    load(db, DEMO)
    with serve(db, clean_env(CHAINKG_WRITE_TOKEN=TOKEN)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((base_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not outside, f"页面试图访问外部地址：{outside}"
    assert not errors, f"页面脚本出错：{errors}"


def _map_drawn(page: Page) -> None:
    """The chain map's canvas is drawn, with coloured pixels on it."""
    frame = page.frame_locator("#chain-map-frame")
    frame.locator("body[data-drawn='1']").wait_for(timeout=15_000)
    coloured = frame.locator("canvas").evaluate(
        """canvas => {
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i + 3] > 0 && !(data[i] > 240 && data[i + 1] > 240 && data[i + 2] > 240)) n++;
            }
            return n;
        }"""
    )
    assert coloured > 500


def test_home_to_chain_map_region_and_download(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    rows = page.locator("#chains tbody tr")
    assert rows.count() >= 2
    assert "本地配套率" in page.locator("#chains thead").inner_text()
    page.locator("#chains a", has_text="锂电新能源").click()
    page.wait_for_url("**/chains/**")
    assert "锂电新能源产业链" in page.locator("h1").inner_text()
    _map_drawn(page)
    assert page.locator("#diagnosis-table tbody tr").count() > 10
    assert page.locator("#diagnosis-table .chip.st-broken").count() >= 1

    page.select_option("#region", label="宜春市")
    page.wait_for_url("**region=**")
    assert "宜春市" in page.locator("h1").inner_text()
    _map_drawn(page)

    page.check("#show-enterprises")
    page.wait_for_function(
        "document.getElementById('chain-map-frame').src.includes('enterprises=true')"
    )
    _map_drawn(page)

    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename == "锂电新能源产业链补链招商目标企业清单（宜春市）.xlsx"
    path = download.path()
    book = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True)
    assert book.sheetnames[:2] == ["汇总", "招商清单"]
    rows = list(book["招商清单"].iter_rows(max_row=10, values_only=True))
    assert any("企业名称" in row for row in rows)  # the header, under the title block


def test_whatif_on_the_chain_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/chains/锂电新能源")
    candidate = page.locator("#recruitment-table tbody tr td:nth-child(2) a").first.inner_text()
    page.fill("#whatif-form input[name=enterprise]", candidate)
    page.click("#whatif-form button")
    result = page.locator("#whatif-result .ok-box")
    result.wait_for()
    assert "本地配套率" in result.inner_text()


def test_search_and_node_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.fill("header input[name=q]", "隔膜")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=**")
    page.locator("#search-results a", has_text="隔膜").first.click()
    page.wait_for_url("**/nodes/**")
    assert "隔膜" in page.locator("h1").inner_text()
    assert page.locator("#properties").is_visible()


def test_unknown_chain_page_says_so(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/chains/锂电新能")
    assert response is not None
    assert "锂电新能源产业链" in page.locator("h1").inner_text()  # a prefix finds it
    response = page.goto(base_url + "/chains/不存在的链")
    assert response is not None and response.status == 404
    assert "找不到产业链" in page.locator(".error-box").inner_text()


def test_import_shows_row_and_column_errors(page: Page, base_url: str) -> None:
    page.goto(base_url + "/import")
    broken = "企业名称,所属产业链,所属环节,是否省内,营业收入(亿元)\n江西坏数据有限公司,锂电新能源,隔膜,是,很多\n"
    page.set_input_files(
        "#import-files",
        files=[{"name": "企业清单.csv", "mimeType": "text/csv", "buffer": broken.encode()}],
    )
    page.fill("#import-token", TOKEN)
    page.click("#import-check")
    table = page.locator("#import-issues")
    table.wait_for()
    cells = [c.strip() for c in table.locator("tbody tr").first.locator("td").all_inner_texts()]
    assert cells[0] == "企业清单" and cells[1] == "2" and cells[2]
    assert "未写入" in page.locator("#import-result .error-box").inner_text() or cells[3]


def test_import_dry_run_of_a_good_file(page: Page, base_url: str) -> None:
    page.goto(base_url + "/import")
    good = "企业名称,所属产业链,所属环节,是否省内,所在地区\n江西新隔膜有限公司,锂电新能源,隔膜,是,宜春市\n"
    page.set_input_files(
        "#import-files",
        files=[{"name": "企业清单.csv", "mimeType": "text/csv", "buffer": good.encode()}],
    )
    page.fill("#import-token", TOKEN)
    page.click("#import-check")
    page.locator("#import-ok").wait_for()
    assert "校验通过" in page.locator("#import-ok").inner_text()
