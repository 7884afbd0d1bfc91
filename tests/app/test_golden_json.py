"""The JSON the API sends, field for field, against golden files (tests/fixtures/golden).

The golden files were written from the answers of the `dict` era, before the answers became
pydantic models (issue 13): external tests compare this JSON, so typing the answers must not
change one field, one value or one key order. Both stores answer from the bundled demo data.

To rewrite the files after a deliberate change of an answer:
    python -m tests.app.test_golden_json
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli import DEMO_DATA
from app.settings import Settings
from tests.app.live_server import clean_env, load, serve
from tests.conftest import FIXTURES, NEO4J_URI, _wipe_neo4j

GOLDEN = FIXTURES / "golden"
CHAIN = "锂电新能源"
# name → (method, path, query or body); every JSON read route of the analyses
REQUESTS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "stats": ("GET", "/api/v1/stats", {}),
    "search": ("GET", "/api/v1/search", {"q": "隔膜", "limit": 5}),
    "node": ("GET", f"/api/v1/nodes/{CHAIN}", {}),
    "chains": ("GET", "/api/v1/chains", {}),
    "chains_region": ("GET", "/api/v1/chains", {"region": "宜春市"}),
    "diagnosis": ("GET", f"/api/v1/chains/{CHAIN}/diagnosis", {}),
    "diagnosis_region": ("GET", f"/api/v1/chains/{CHAIN}/diagnosis", {"region": "宜春市"}),
    "anchors": ("GET", f"/api/v1/chains/{CHAIN}/anchors", {"top": 5}),
    "recruitment": ("GET", f"/api/v1/chains/{CHAIN}/recruitment", {"top": 10}),
    "recruitment_region": (
        "GET",
        f"/api/v1/chains/{CHAIN}/recruitment",
        {"region": "宜春市", "link": "隔膜"},
    ),
    "whatif": (
        "POST",
        f"/api/v1/chains/{CHAIN}/whatif",
        {"enterprise": "云南恩捷新材料股份有限公司", "links": ["隔膜"], "region": "宜春市"},
    ),
    "roadmap": ("GET", f"/api/v1/chains/{CHAIN}/roadmap", {}),
    "applications": ("GET", f"/api/v1/chains/{CHAIN}/applications", {}),
    "regions": ("GET", f"/api/v1/chains/{CHAIN}/regions", {}),
    "list_enterprises": ("GET", "/api/v1/lists/enterprises", {"chain": CHAIN, "size": 5}),
    "list_projects": ("GET", "/api/v1/lists/projects", {"sort": "-amount", "size": 8}),
    "list_clusters": ("GET", "/api/v1/lists/clusters", {}),
    "list_policies": ("GET", "/api/v1/lists/policies", {"size": 6}),
    "list_problems": ("GET", "/api/v1/lists/问题清单", {"chain": CHAIN}),
    "dispatch": ("GET", "/api/v1/lists/projects/dispatch", {}),
    "dispatch_city": ("GET", "/api/v1/lists/projects/dispatch", {"group_by": "city"}),
    "closing": ("GET", "/api/v1/lists/problems/closing", {}),
}


def ask(base_url: str, name: str) -> Any:
    method, path, args = REQUESTS[name]
    if method == "GET":
        response = httpx.get(base_url + path, params=args, timeout=60)
    else:
        response = httpx.post(base_url + path, json=args, timeout=60)
    assert response.status_code == 200, (name, response.text)
    return _stable(response.json())


def _stable(data: Any) -> Any:
    """The store's version counter differs between stores and loads: not part of a shape."""
    if isinstance(data, dict):
        return {k: ("<version>" if k == "graph_version" else _stable(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_stable(v) for v in data]
    return data


def _server(db: Path, env: dict[str, str]) -> Iterator[str]:
    load(db, DEMO_DATA, env=env)
    with serve(db, env) as url:
        yield url


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ],
)
def base_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`chainkg serve` on the demo data, in either store."""
    db = tmp_path_factory.mktemp("golden") / "demo.db"
    env = clean_env()
    if request.param == "neo4j":
        settings = Settings(db=db)
        _wipe_neo4j(settings)
        env.update({k: v for k, v in os.environ.items() if k.startswith("NEO4J_")})
    yield from _server(db, env)


@pytest.mark.parametrize("name", list(REQUESTS))
def test_json_equals_golden(base_url: str, name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    got = ask(base_url, name)
    assert got == expected
    # key order too: a client that prints the JSON sees the same text
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def write_golden(folder: Path) -> None:
    for url in _server(folder / "demo.db", clean_env()):
        for name in REQUESTS:
            text = json.dumps(ask(url, name), ensure_ascii=False, indent=1) + "\n"
            (GOLDEN / f"{name}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_golden(Path(tmp))
    sys.exit(0)
