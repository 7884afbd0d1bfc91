"""Security headers on every response over real HTTP: pages, JSON, static files, and every
error — 404, 405, 422, 503 and a 500 from a route that fails unexpectedly (Starlette answers
a 500 outside the application's own middleware, so this is the case that used to miss them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from app.api import SECURITY_HEADERS, create_app
from app.settings import Settings
from tests.app.live_server import free_port
from tests.conftest import MINI, load_store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """chainkg's app with one extra route that fails as a defect would, served by uvicorn on
    a free port in a thread of this process."""
    settings = Settings(db=tmp_path_factory.mktemp("headers") / "kg.db")
    settings.neo4j_uri = None
    load_store(settings, [MINI]).close()
    app = create_app(settings)

    def broken() -> dict[str, str]:
        raise RuntimeError("a defect")

    app.add_api_route("/api/v1/test-broken", broken, methods=["GET"])
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "服务未能在 30 秒内启动"
    try:
        yield url
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


CASES = [
    ("GET", "/", 200),
    ("GET", "/api/v1/stats", 200),
    ("GET", "/static/app.js", 200),
    ("GET", "/static/geo/jiangxi.json", 200),
    ("GET", "/static/no-such-file.js", 404),
    ("GET", "/no-such-page", 404),
    ("GET", "/api/v1/nodes/不存在", 404),
    ("DELETE", "/api/v1/stats", 405),
    ("GET", "/api/v1/lists/enterprises?page=0", 422),
    ("GET", "/api/v1/lists/no-such-list", 422),
    ("POST", "/api/v1/imports", 403),
    ("GET", "/api/v1/test-broken", 500),
]


@pytest.mark.parametrize(("method", "path", "status"), CASES, ids=[f"{c[2]}{c[1]}" for c in CASES])
def test_every_response_carries_the_security_headers(
    server: str, method: str, path: str, status: int
) -> None:
    response = httpx.request(method, server + path, timeout=30)
    assert response.status_code == status, response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)
    if status == 500:
        body = response.json()
        assert body == {"detail": "服务内部错误，请稍后重试或联系管理员"}
        assert "Traceback" not in response.text and "RuntimeError" not in response.text


def test_headers_are_sent_once(server: str) -> None:
    response = httpx.get(server + "/api/v1/test-broken", timeout=30)
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_list(name)) == 1, name
