"""The JSON API over real HTTP: `chainkg serve` in its own process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import MINI

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("api") / "kg.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CHAINKG_"))}
    run = [sys.executable, "-m", "app.cli"]
    subprocess.run(
        [*run, "load", str(MINI), "--db", str(db)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [*run, "serve", "--db", str(db), "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v1/stats", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("服务未能在 30 秒内启动")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_stats(base_url: str) -> None:
    data = httpx.get(f"{base_url}/api/v1/stats").json()
    assert data["nodes"]["Link"] == 8
    assert data["relationships"]["IN_LINK"] == 6


def test_search(base_url: str) -> None:
    data = httpx.get(f"{base_url}/api/v1/search", params={"q": "隔膜"}).json()
    assert data["query"] == "隔膜"
    assert data["items"][0] == {
        "type": "Link",
        "id": "link:锂电新能源/隔膜",
        "name": "隔膜",
        "score": 1.0,
    }


def test_node_by_name_and_by_id(base_url: str) -> None:
    by_name = httpx.get(f"{base_url}/api/v1/nodes/宜春时代新能源科技有限公司").json()
    by_id = httpx.get(f"{base_url}/api/v1/nodes/{by_name['id']}").json()
    assert by_name == by_id
    assert by_name["type"] == "Enterprise"
    assert {"type", "id", "name", "properties", "relationships", "documents"} == set(by_name)


def test_unknown_node_is_404_in_chinese(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/nodes/宜春时代新能源科技")
    assert response.status_code == 200  # the normalised name finds it
    response = httpx.get(f"{base_url}/api/v1/nodes/完全不存在的企业")
    assert response.status_code == 404
    assert "找不到节点" in response.json()["detail"]


def test_bad_parameter_is_422(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/search")
    assert response.status_code == 422


def test_chains(base_url: str) -> None:
    assert httpx.get(f"{base_url}/api/v1/chains").json() == [
        {"id": "chain:锂电新能源", "name": "锂电新能源", "industry": "新能源"}
    ]


def test_no_page_refers_to_an_outside_host(base_url: str) -> None:
    schema = httpx.get(f"{base_url}/openapi.json").text
    assert "cdn." not in schema
    assert httpx.get(f"{base_url}/docs").status_code == 404  # off until served locally
