"""The one cache of the service: responses keyed from the request itself, and one snapshot
per store shared by the service, search and the lists."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request

from app.settings import Settings
from app.web.responses import request_key
from app.web.schemas import WhatIfIn
from app.web.snapshots import Snapshots
from queries.snapshot import snapshot
from tests.conftest import CHAIN_FIXTURE, load_store


def _request(path: str, query: str, method: str = "GET") -> Request:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query.encode(),
        "headers": [],
    }
    return Request(scope)


def test_the_key_is_the_request_with_its_parameters_sorted() -> None:
    path = "/api/v1/chains/锂电新能源/recruitment"
    one = request_key(_request(path, "region=宜春市&top=5"))
    assert one == request_key(_request(path, "top=5&region=宜春市"))
    assert one != request_key(_request(path, "region=宜春市&top=6"))
    assert one != request_key(_request(path, "region=宜春市&top=5&format=csv"))
    assert one != request_key(_request("/api/v1/chains/铜/recruitment", "region=宜春市&top=5"))


def test_a_body_is_part_of_the_key() -> None:
    path = "/api/v1/chains/锂电新能源/whatif"
    asked = _request(path, "", "POST")
    a = request_key(asked, WhatIfIn(enterprise="甲", links=["隔膜"]))
    b = request_key(asked, WhatIfIn(enterprise="乙", links=["隔膜"]))
    assert a != b
    assert a == request_key(asked, WhatIfIn(enterprise="甲", links=["隔膜"]))


def test_the_service_and_the_queries_share_one_snapshot(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "chain.db")
    settings.neo4j_uri = None
    store = load_store(settings, [CHAIN_FIXTURE])
    try:
        served = Snapshots(store).get()
        assert snapshot(store) is served
    finally:
        store.close()
