"""The JSON API over real HTTP: `chainkg serve` in its own process on a free port, on the
mini fixture, with the documented shapes checked route by route."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from openpyxl import load_workbook

from tests.app.live_server import clean_env, load, serve
from tests.conftest import MINI

STATUSES = {"strong", "weak", "missing", "broken"}
TOKEN = "test-token-0123456789"
OUTSIDE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""", re.I)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-only server (no write token) on the mini fixture."""
    db = tmp_path_factory.mktemp("api") / "kg.db"
    load(db, MINI)
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with a write token, on its own copy of the mini fixture."""
    db = tmp_path_factory.mktemp("api-write") / "kg.db"
    load(db, MINI)
    with serve(db, clean_env(CHAINKG_WRITE_TOKEN=TOKEN, CHAINKG_MAX_UPLOAD_MB="1")) as url:
        yield url


def get(url: str, **params: str) -> httpx.Response:
    return httpx.get(url, params=params, timeout=30)


def test_stats(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/stats").json()
    assert data["nodes"]["Link"] == 8
    assert data["relationships"]["IN_LINK"] == 6


def test_search(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/search", q="隔膜").json()
    assert data["query"] == "隔膜"
    assert data["items"][0] == {
        "type": "Link",
        "type_zh": "环节",
        "id": "link:锂电新能源/隔膜",
        "name": "隔膜",
        "score": 1.0,
        "chains": ["锂电新能源"],
        "region": None,
    }


def test_node_by_name_and_by_id(base_url: str) -> None:
    by_name = get(f"{base_url}/api/v1/nodes/宜春时代新能源科技有限公司").json()
    by_id = get(f"{base_url}/api/v1/nodes/{by_name['id']}").json()
    assert by_name == by_id
    assert by_name["type"] == "Enterprise"
    assert {"type", "id", "name", "properties", "relationships", "documents"} <= set(by_name)
    rel = by_name["relationships"][0]
    assert {"type", "direction", "other_type", "other_id", "other_name"} <= set(rel)


def test_node_whose_id_has_a_slash(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/nodes/link:锂电新能源/隔膜").json()
    assert data["id"] == "link:锂电新能源/隔膜"


def test_unknown_node_is_404_in_chinese(base_url: str) -> None:
    assert get(f"{base_url}/api/v1/nodes/宜春时代新能源科技").status_code == 200  # normalised
    response = get(f"{base_url}/api/v1/nodes/完全不存在的企业")
    assert response.status_code == 404
    assert "找不到节点" in response.json()["detail"]


def test_chains_with_local_rate_and_counts(base_url: str) -> None:
    (chain,) = get(f"{base_url}/api/v1/chains").json()
    assert chain["id"] == "chain:锂电新能源"
    assert chain["name"] == "锂电新能源"
    assert chain["industry"] == "新能源"
    assert chain["counts"] == {"strong": 0, "weak": 4, "missing": 3, "broken": 1}
    assert chain["local_rate"] == pytest.approx(3 / 7, abs=1e-3)


@pytest.mark.parametrize("chain", ["锂电新能源", "chain:锂电新能源", "锂电"])
def test_diagnosis_by_name_id_or_short_name(base_url: str, chain: str) -> None:
    data = get(f"{base_url}/api/v1/chains/{chain}/diagnosis").json()
    assert data["chain"] == "锂电新能源"
    assert data["region"] is None
    assert [link["name"] for link in data["links"]][:3] == ["锂矿资源", "锂盐", "碳酸锂"]
    for link in data["links"]:
        assert {"id", "name", "stage", "status", "local_enterprises", "pipeline", "reasons"} <= set(
            link
        )
        assert link["status"] in STATUSES
        assert link["reasons"] and all(isinstance(r, str) for r in link["reasons"])
    by_name = {link["name"]: link["status"] for link in data["links"]}
    assert by_name["电解液"] == "broken"
    assert data["summary"]["counts"]["broken"] == 1


def test_diagnosis_in_a_region(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/chains/锂电新能源/diagnosis", region="宜春市").json()
    assert data["region"] == "宜春市"
    whole = get(f"{base_url}/api/v1/chains/锂电新能源/diagnosis").json()
    assert data["summary"]["local_rate"] <= whole["summary"]["local_rate"]


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("/api/v1/chains/锂电新能/diagnosis?region=火星市", None),
        ("/api/v1/chains/锂电新能源x/diagnosis", "锂电新能源"),
        ("/api/v1/chains/锂电新能源x/anchors", "锂电新能源"),
        ("/api/v1/chains/锂电新能源x/map", "锂电新能源"),
    ],
)
def test_unknown_chain_or_region_is_404_with_suggestions(
    base_url: str, path: str, suggested: str | None
) -> None:
    response = httpx.get(base_url + path)
    assert response.status_code == 404
    body = response.json()
    assert body["detail"].startswith("找不到")
    assert isinstance(body["suggestions"], list)
    if suggested:
        assert suggested in body["suggestions"]


def test_anchors(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/chains/锂电新能源/anchors").json()
    assert data["chain"] == "锂电新能源"
    first = data["anchors"][0]
    assert "江西赣锋锂业集团股份有限公司" in {a["name"] for a in data["anchors"]}
    assert 0 <= first["score"] <= 1
    assert set(first["components"]) == {"scale", "breadth", "pull", "centrality", "standing"}
    assert first["reasons"]
    designated = [a for a in data["anchors"] if a["designated"]]
    assert data["anchors"][: len(designated)] == designated  # 已认定 链主 first
    assert all(a["designation"] == "已认定" for a in designated)
    scores = [a["score"] for a in data["anchors"][len(designated) :]]
    assert scores == sorted(scores, reverse=True)  # the candidates by index


def test_recruitment_json(base_url: str) -> None:
    data = get(f"{base_url}/api/v1/chains/锂电新能源/recruitment").json()
    assert data["chain"] == "锂电新能源"
    assert data["region"] is None
    for item in data["items"]:
        assert {
            "link",
            "link_status",
            "enterprise_id",
            "enterprise",
            "score",
            "pipeline_stage",
        } <= (set(item))
        assert item["link_status"] in STATUSES - {"strong"}
        assert item["reasons"]
    talks = [i for i in data["items"] if i["enterprise"] == "云南恩捷新材料股份有限公司"]
    assert talks[0]["pipeline_stage"] == "在谈"
    one = get(f"{base_url}/api/v1/chains/锂电新能源/recruitment", link="隔膜").json()
    assert {i["link"] for i in one["items"]} == {"隔膜"}


def _filename(response: httpx.Response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    match = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert match, disposition
    return unquote(match.group(1))


def test_recruitment_xlsx_download(base_url: str) -> None:
    response = get(f"{base_url}/api/v1/chains/锂电新能源/recruitment", format="xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert _filename(response) == "锂电新能源产业链补链招商目标企业清单（全省）.xlsx"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "云南恩捷新材料股份有限公司" in cells


def test_recruitment_csv_download(base_url: str) -> None:
    response = get(
        f"{base_url}/api/v1/chains/锂电新能源/recruitment", format="csv", region="宜春市"
    )
    assert response.status_code == 200
    assert _filename(response).endswith("（宜春市）.csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads the Chinese
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "企业名称" in rows[0] and len(rows) > 1


def test_whatif(base_url: str) -> None:
    url = f"{base_url}/api/v1/chains/锂电新能源/whatif"
    body = {"enterprise": "云南恩捷新材料股份有限公司", "links": ["隔膜"], "region": None}
    data = httpx.post(url, json=body).json()
    assert {"chain", "region", "changes", "local_rate_before", "local_rate_after"} <= set(data)
    assert data["local_rate_after"] > data["local_rate_before"]
    assert {"link": "隔膜", "before": "missing"}.items() <= data["changes"][0].items()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"enterprise": ""}, 422),
        ({"links": ["隔膜"]}, 422),
        ({"enterprise": "云南恩捷新材料股份有限公司", "links": ["不存在的环节"]}, 404),
        ({"enterprise": "完全不存在的企业"}, 404),
    ],
)
def test_whatif_errors_in_chinese(base_url: str, body: dict[str, object], status: int) -> None:
    response = httpx.post(f"{base_url}/api/v1/chains/锂电新能源/whatif", json=body)
    assert response.status_code == status
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/api/v1/search", "缺少"),
        ("/api/v1/search?q=" + "长" * 101, "太长"),
        ("/api/v1/search?q=x&limit=0", "须≥"),
        ("/api/v1/chains/锂电新能源/recruitment?format=pdf", "取值须为"),
        ("/api/v1/chains/锂电新能源/anchors?top=abc", "须为数字"),
    ],
)
def test_bad_parameter_is_422_in_chinese(base_url: str, path: str, says: str) -> None:
    response = httpx.get(base_url + path)
    assert response.status_code == 422
    assert says in response.json()["detail"]


def test_unknown_route_is_404_in_chinese(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到该地址"}


def test_chain_map_is_offline_html(base_url: str) -> None:
    response = get(f"{base_url}/api/v1/chains/锂电新能源/map", enterprises="true")
    assert response.status_code == 200
    html = response.text
    assert '<script src="/static/map.js"' in html and "隔膜" in html
    assert "new vis.Network" in get(f"{base_url}/static/map.js").text
    assert "江西赣锋锂业集团股份有限公司" in html  # enterprises shown on demand
    assert "http://" not in html and "https://" not in html
    script = get(f"{base_url}/static/vis/vis-network.min.js")
    assert script.status_code == 200 and "vis" in script.text


def test_no_page_refers_to_an_outside_host(base_url: str) -> None:
    assert "cdn." not in get(f"{base_url}/openapi.json").text
    for path in ("/docs", "/", "/chains/锂电新能源", "/nodes/锂盐", "/search?q=锂", "/import"):
        response = httpx.get(base_url + path)
        assert response.status_code == 200, path
        assert not OUTSIDE.search(response.text), path
    assert get(f"{base_url}/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_openapi_is_in_chinese(base_url: str) -> None:
    schema = get(f"{base_url}/openapi.json").json()
    paths = schema["paths"]
    for route in (
        "/api/v1/chains",
        "/api/v1/chains/{chain}/diagnosis",
        "/api/v1/chains/{chain}/anchors",
        "/api/v1/chains/{chain}/recruitment",
        "/api/v1/chains/{chain}/whatif",
        "/api/v1/chains/{chain}/map",
        "/api/v1/search",
        "/api/v1/nodes/{name}",
        "/api/v1/stats",
        "/api/v1/imports",
    ):
        operation = next(iter(paths[route].values()))
        assert re.search(r"[\u4e00-\u9fff]", operation["summary"]), route


# -- imports ---------------------------------------------------------------------------------


def _files(folder: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(folder.glob("*.csv"))]


def test_writes_are_off_without_a_configured_token(base_url: str) -> None:
    response = httpx.post(f"{base_url}/api/v1/imports", files=_files(MINI))
    assert response.status_code == 403
    assert "CHAINKG_WRITE_TOKEN" in response.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic dGVzdA==", "Bearer"])
def test_imports_need_the_token(writable: str, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.post(f"{writable}/api/v1/imports", files=_files(MINI), headers=headers)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_import_dry_run_then_load(writable: str, tmp_path: Path) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "企业清单.csv").write_text(
        "企业名称,所属产业链,所属环节,是否省内,所在地区,营业收入(亿元)\n"
        "江西示例隔膜有限公司,锂电新能源,隔膜,是,宜春市,12\n",
        encoding="utf-8",
    )
    url = f"{writable}/api/v1/imports"
    before = get(f"{writable}/api/v1/chains/锂电新能源/diagnosis").json()
    checked = httpx.post(url, params={"dry_run": "true"}, files=_files(folder), headers=_auth())
    assert checked.status_code == 200, checked.text
    assert checked.json()["dry_run"] is True and checked.json()["written"] is None
    assert get(f"{writable}/api/v1/chains/锂电新能源/diagnosis").json() == before
    loaded = httpx.post(url, files=_files(folder), headers=_auth(), timeout=60)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["written"]["nodes_created"] >= 1
    after = get(f"{writable}/api/v1/chains/锂电新能源/diagnosis").json()
    status = {link["name"]: link["status"] for link in after["links"]}
    assert status["隔膜"] == "weak"  # the new answers, as soon as the import replied


def test_broken_upload_is_422_with_rows_and_columns(writable: str, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "企业清单.csv").write_text(
        "企业名称,所属产业链,所属环节,是否省内,营业收入(亿元)\n"
        "江西坏数据有限公司,锂电新能源,隔膜,是,很多\n",
        encoding="utf-8",
    )
    before = get(f"{writable}/api/v1/stats").json()
    response = httpx.post(f"{writable}/api/v1/imports", files=_files(folder), headers=_auth())
    assert response.status_code == 422
    issues = response.json()["issues"]
    assert any(i["sheet"] == "企业清单" and i["row"] == 2 and i["column"] for i in issues), issues
    assert all(set(i) >= {"sheet", "row", "column", "message"} for i in issues)
    assert get(f"{writable}/api/v1/stats").json() == before  # nothing written


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("payload.exe", b"MZ", 415),
        ("企业清单.csv", b"x" * 1_100_000, 413),
        ("清单.zip", b"not a zip", 422),
    ],
)
def test_upload_limits(writable: str, name: str, content: bytes, status: int) -> None:
    files = [("files", (name, content, "application/octet-stream"))]
    response = httpx.post(f"{writable}/api/v1/imports", files=files, headers=_auth())
    assert response.status_code == status
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])
