"""The 五清单 JSON API over real HTTP on the demo data: answers keyed from the request itself
(the order of the query parameters does not matter, every parameter does), and the typed
answers documented in /openapi.json."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.cli import DEMO_DATA
from tests.app.live_server import clean_env, load, serve


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db: Path = tmp_path_factory.mktemp("lists-api") / "demo.db"
    load(db, DEMO_DATA)
    with serve(db, clean_env()) as url:
        yield url


def _get(base_url: str, path: str) -> httpx.Response:
    response = httpx.get(base_url + path, timeout=60)
    assert response.status_code == 200, response.text
    return response


def test_the_order_of_the_parameters_does_not_matter_but_each_parameter_does(
    base_url: str,
) -> None:
    one = _get(base_url, "/api/v1/lists/projects?sort=-amount&size=3&page=2")
    again = _get(base_url, "/api/v1/lists/projects?page=2&size=3&sort=-amount")
    assert one.content == again.content
    assert one.headers["X-Chainkg-Version"] == again.headers["X-Chainkg-Version"]
    page3 = _get(base_url, "/api/v1/lists/projects?sort=-amount&size=3&page=3").json()
    assert (page3["page"], len(page3["items"])) == (3, 3)
    names = [item["name"] for item in one.json()["items"]]
    assert not set(names) & {item["name"] for item in page3["items"]}
    amounts = [item["amount"] for item in [*one.json()["items"], *page3["items"]]]
    assert amounts == sorted(amounts, reverse=True)

    by_chain = _get(base_url, "/api/v1/lists/projects/dispatch").json()
    by_city = _get(base_url, "/api/v1/lists/projects/dispatch?group_by=city").json()
    assert (by_chain["group_zh"], by_city["group_zh"]) == ("产业链", "设区市")
    assert by_chain["total"] == by_city["total"]  # the same projects, grouped otherwise

    csv_a = _get(base_url, "/api/v1/lists/projects?format=csv&stage=在建")
    csv_b = _get(base_url, "/api/v1/lists/projects?stage=在建&format=csv")
    assert csv_a.content == csv_b.content
    assert csv_a.headers["content-type"].startswith("text/csv")
    xlsx = _get(base_url, "/api/v1/lists/projects?stage=在建&format=xlsx")
    assert xlsx.content[:2] == b"PK"  # a workbook, not the CSV cached for another format


def test_openapi_documents_the_typed_list_answers(base_url: str) -> None:
    api = _get(base_url, "/openapi.json").json()
    paths = api["paths"]

    def shape(path: str) -> str:
        content = paths[path]["get"]["responses"]["200"]["content"]
        return str(content["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]

    assert shape("/api/v1/lists/{list}") == "ListAnswer"
    assert shape("/api/v1/lists/projects/dispatch") == "DispatchView"
    assert shape("/api/v1/lists/problems/closing") == "ClosingView"
    schemas = api["components"]["schemas"]
    assert schemas["EnterpriseItem"]["additionalProperties"] is False
    assert list(schemas["ProjectItem"]["properties"])[:3] == ["name", "investor", "chain"]
    assert "unchanged" in schemas["DispatchItem"]["properties"]
    assert "link_status" in schemas["ClosingItem"]["properties"]
