"""The web UI in a real headless Chromium (Debian's, driven by Playwright), on the demo data.

Every request the browser makes to anything but the test server is blocked and recorded;
the test fails if there was any: the UI must work on an offline government intranet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.app.live_server import CHROMIUM, clean_env, load, serve

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
TOKEN = "web-test-token-0123"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "kg.db"
    load(db, DEMO)
    with serve(db, clean_env(CHAINKG_WRITE_TOKEN=TOKEN)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        assert CHROMIUM, "the browser tests are skipped without Chromium (tests/conftest.py)"
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


# --- pages an officer can use (issue 12) ----------------------------------------------------

GANFENG = "江西赣锋锂业集团股份有限公司"
RAW_NAMES = ("IN_LINK", "SUPPLIES", "INVESTS_IN", "LOCATED_IN", "ent:", "link:", "region:")


def _visible_text_outside_tech(page: Page) -> str:
    """The page's text as a reader sees it, without the folded 技术信息 part."""
    text: str = page.evaluate(
        """() => {
            const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('details.tech').forEach(d => d.remove());
            return main.innerText;
        }"""
    )
    return text


def test_enterprise_page_is_a_profile(page: Page, base_url: str) -> None:
    page.goto(base_url + "/nodes/" + GANFENG)
    assert GANFENG in page.locator("h1").inner_text()
    assert "企业画像" in page.locator("h1").inner_text()
    facts = dict(
        zip(
            page.locator("#properties th").all_inner_texts(),
            page.locator("#properties td").all_inner_texts(),
            strict=True,
        )
    )
    assert facts["营业收入"] == "418 亿元"
    assert facts["所在市"] == "新余市"
    assert "公开资料" in facts["数据来源"] and "企业清单" in facts["数据来源"]
    assert "链主" in page.locator("#tags .badge").all_inner_texts()
    rows = page.locator("#membership-table tbody tr")
    assert rows.count() == 3  # 氢氧化锂, 碳酸锂, 金属锂 in the demo data
    assert "新余市状态" in page.locator("#membership-table thead").inner_text()
    first = rows.first.locator("td")
    assert first.nth(3).locator(".chip").count() == 1  # at province
    assert first.nth(4).locator(".chip").count() == 1  # at its own city
    trade = page.locator("#trade").inner_text()
    assert "供应商" in trade and "供货给" in trade and "投资" in trade
    assert "江西宜春钽铌矿有限公司" in trade  # a supplier, by name
    text = _visible_text_outside_tech(page)
    for raw in RAW_NAMES:
        assert raw not in text, raw
    page.locator("#tech summary").click()
    assert "IN_LINK" in page.locator("#tech").inner_text()


def test_candidate_enterprise_page_says_why(page: Page, base_url: str) -> None:
    page.goto(base_url + "/nodes/link:锂电新能源/隔膜")
    top = page.locator("#candidate-table tbody tr").first.locator("td a").inner_text()
    page.goto(base_url + "/nodes/" + top)
    row = page.locator("#candidacy-table tbody tr").first
    assert "隔膜" in row.inner_text()
    assert row.locator("ul.reasons li").count() >= 1
    assert "省外企业" in page.locator("#membership-table").inner_text()


def test_link_page_shows_status_neighbours_and_candidates(page: Page, base_url: str) -> None:
    page.goto(base_url + "/nodes/link:锂电新能源/隔膜")
    assert "隔膜" in page.locator("h1").inner_text()
    assert page.locator("#link-status h2 .chip.st-broken").count() == 1
    reasons = page.locator("#link-reasons li").all_inner_texts()
    assert any("锂电化工原料" in r and "电芯" in r for r in reasons)
    neighbours = page.locator("#link-neighbours").inner_text()
    assert "锂电化工原料" in neighbours and "电芯" in neighbours
    assert page.locator("#candidate-table tbody tr").count() >= 1
    assert "示例数据" in page.locator(".demo-notice").inner_text()
    text = _visible_text_outside_tech(page)
    for raw in RAW_NAMES:
        assert raw not in text, raw


def test_park_and_region_pages_show_their_industries(page: Page, base_url: str) -> None:
    page.goto(base_url + "/nodes/宜春市")
    focus = page.locator("#focus").inner_text()
    assert "首位产业" in focus and "锂电新能源" in focus
    chains = page.locator("#place-chain-table tbody tr")
    assert chains.count() >= 2
    link = chains.filter(has_text="锂电新能源").locator("a").first
    assert "region=region" in (link.get_attribute("href") or "")
    link.click()
    page.wait_for_url("**/chains/**")
    assert "宜春市" in page.locator("h1").inner_text()

    page.goto(base_url + "/nodes/宜春经济技术开发区")
    assert "园区" in page.locator("h1").inner_text()
    assert "锂电新能源" in page.locator("#focus").inner_text()
    assert page.locator("#place-chain-table tbody tr").count() >= 1


def test_home_is_a_province_overview(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    assert "示例数据" in page.locator(".demo-notice").inner_text()
    gaps = page.locator("#gaps li .chip.st-broken")
    assert gaps.count() >= 1
    numbers = page.locator("#pipeline .card .v").all_inner_texts()
    assert len(numbers) == 3 and int(numbers[0]) > 0
    cities = page.locator("#matrix thead th").all_inner_texts()[1:]
    assert cities[:3] == ["南昌市", "景德镇市", "萍乡市"]  # the official order
    assert page.locator("#matrix tbody tr").count() == page.locator("#chains tbody tr").count()
    cell = (
        page.locator("#matrix tbody tr", has_text="锂电新能源")
        .locator("td.cell a")
        .nth(cities.index("宜春市"))
    )
    assert cell.get_attribute("class") in ("st-strong", "st-weak", "st-missing")
    cell.click()
    page.wait_for_url("**region=**")
    assert "锂电新能源产业链" in page.locator("h1").inner_text()
    assert "宜春市" in page.locator("h1").inner_text()


PHONE_PAGES = [
    "/",
    "/chains/锂电新能源",
    "/chains/锂电新能源?region=宜春市",
    "/nodes/" + GANFENG,
    "/nodes/link:锂电新能源/隔膜",
    "/nodes/宜春市",
    "/nodes/宜春经济技术开发区",
    "/search?q=赣锋",
    "/import",
]


def test_no_page_scrolls_sideways_at_phone_width(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for path in PHONE_PAGES:
            page.goto(base_url + path)
            sizes = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert sizes[0] <= sizes[1], f"{path} 在 390 像素宽时横向滚动：{sizes}"
        nav = page.locator("#top-nav")
        assert not nav.is_visible()  # the menu is collapsed
        page.click("#menu-toggle")
        assert nav.is_visible()
        assert page.locator("#top-nav a").first.bounding_box()["width"] > 300  # type: ignore[index]
    finally:
        context.close()


def _map_frame_boxes(page: Page, url: str) -> tuple[dict[str, float], list[dict[str, float]]]:
    page.goto(url)
    page.locator("body[data-drawn='1']").wait_for(timeout=15_000)
    result: tuple[dict[str, float], list[dict[str, float]]] = page.evaluate(
        """() => {
            const net = window.chainMap;
            const canvas = document.querySelector('#chain-map canvas').getBoundingClientRect();
            const legend = document.querySelector('.bar').getBoundingClientRect();
            const boxes = [];
            for (const id of net.body.nodeIndices) {
                const b = net.getBoundingBox(id);
                const tl = net.canvasToDOM({x: b.left, y: b.top});
                const br = net.canvasToDOM({x: b.right, y: b.bottom});
                const box = {left: tl.x + canvas.left, top: tl.y + canvas.top,
                             right: br.x + canvas.left, bottom: br.y + canvas.top};
                if (box.bottom > canvas.top && box.top < canvas.bottom
                    && box.right > canvas.left && box.left < canvas.right) boxes.push(box);
            }
            return [{left: legend.left, top: legend.top, right: legend.right,
                     bottom: legend.bottom, canvasTop: canvas.top, scale: net.getScale()}, boxes];
        }"""
    )
    return result


def test_map_legend_never_covers_a_node(page: Page, base_url: str) -> None:
    for query in ("", "?enterprises=true", "?region=宜春市&enterprises=true"):
        page.set_viewport_size({"width": 1230, "height": 720})
        legend, boxes = _map_frame_boxes(page, base_url + "/api/v1/chains/锂电新能源/map" + query)
        assert legend["bottom"] <= legend["canvasTop"]
        assert len(boxes) > 10
        for box in boxes:
            apart = (
                box["bottom"] <= legend["top"]
                or box["top"] >= legend["bottom"]
                or box["right"] <= legend["left"]
                or box["left"] >= legend["right"]
            )
            assert apart, f"图例遮挡了节点：{box}"
        if "enterprises" in query:
            assert legend["scale"] == 1  # names at 100 %: as large as the page's own text
    assert "示例数据" in page.locator("#map-demo-notice").inner_text()


def test_import_page_offers_the_blank_template(page: Page, base_url: str) -> None:
    page.goto(base_url + "/import")
    with page.expect_download() as info:
        page.click("#download-template")
    download = info.value
    assert download.suggested_filename == "四图五清单数据填报模板.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    assert {"填写说明", "企业清单", "产业链图"} <= set(book.sheetnames)
    assert not page.locator("#writes-off").count()
    assert page.locator("#import-check").is_enabled()


def test_import_page_when_writes_are_off(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = tmp_path_factory.mktemp("readonly") / "kg.db"
    load(db, DEMO / "产业链图.csv")
    with serve(db, clean_env()) as url:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(url + "/import")
            notice = page.locator("#writes-off").inner_text()
            assert "只读" in notice and "管理员" in notice
            html = page.content()
            assert "CHAINKG_" not in html and "环境变量" not in html
            for button in ("#import-check", "#import-load", "#import-files", "#import-token"):
                assert page.locator(button).is_disabled(), button
            assert page.locator("#download-template").is_visible()
        finally:
            context.close()


def test_search_hits_show_type_chain_and_region(page: Page, base_url: str) -> None:
    page.goto(base_url + "/search?q=赣锋锂业")
    first = page.locator("#search-results tbody tr").first.locator("td").all_inner_texts()
    assert first[0] == GANFENG
    assert first[1] == "企业" and "锂电新能源" in first[2] and "新余" in first[3]
