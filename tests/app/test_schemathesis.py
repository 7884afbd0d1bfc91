"""Property-based tests of the API against its own OpenAPI document (schemathesis 4):
whatever schemathesis generates, the live server answers without a 500, with the declared
content type, and (for 2xx JSON answers) in the declared shape.

The operations are collected from the app's document built in-process (schemathesis'
`from_fixture` does not work with pytest 9); the requests go to a real server, whose
`/openapi.json` is checked to be that same document.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.api import create_app
from app.settings import Settings
from tests.app.live_server import load, serve
from tests.conftest import MINI

DOCUMENT = create_app(Settings()).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("schemathesis") / "kg.db"
    load(db, MINI)
    with serve(db) as url:
        yield url


def test_the_server_serves_this_document(live_url: str) -> None:
    assert httpx.get(f"{live_url}/openapi.json").json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_never_fails(case: schemathesis.Case, live_url: str) -> None:
    case.call_and_validate(
        base_url=live_url,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.content_type_conformance,
            schemathesis.checks.response_schema_conformance,
        ],
    )
