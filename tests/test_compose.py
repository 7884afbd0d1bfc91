"""docker-compose.yml, Dockerfile and .dockerignore: the shape the README promises.

No Docker engine is needed: the files are read, not run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def env(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment, whether written as a mapping or as KEY=VALUE lines."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(item.split("=", 1) for item in raw)
    return {k: str(v) for k, v in raw.items()}


def test_neo4j_image_is_pinned_community_5_26(compose: dict[str, Any]) -> None:
    image = compose["services"]["neo4j"]["image"]
    assert re.fullmatch(r"neo4j:5\.26\.\d+-community", image), image
    assert "latest" not in image


def test_neo4j_auth_plugins_ports_and_volume(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    variables = env(neo4j)
    # the password comes from the environment, with a local default of 8+ characters
    auth = re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:-(.+)\}", variables["NEO4J_AUTH"])
    assert auth and len(auth.group(1)) >= 8, variables["NEO4J_AUTH"]
    assert json.loads(variables["NEO4J_PLUGINS"]) == ["apoc"]
    ports = {str(p) for p in neo4j["ports"]}
    assert {"7474:7474", "7687:7687"} <= ports
    volume, _, target = neo4j["volumes"][0].partition(":")
    assert target == "/data" and volume in compose["volumes"]


def test_neo4j_healthcheck_asks_bolt(compose: dict[str, Any]) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    test = check["test"]
    assert test[0] == "CMD-SHELL" and "cypher-shell" in test[1] and "RETURN 1" in test[1]
    assert "$${NEO4J_AUTH#*/}" in test[1]  # the container's own password, not compose's
    assert check["retries"] >= 3 and "start_period" in check


def test_app_waits_for_a_healthy_neo4j(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    assert app["build"]["dockerfile"] == "Dockerfile" and (ROOT / "Dockerfile").is_file()
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    variables = env(app)
    assert variables["NEO4J_URI"] == "bolt://neo4j:7687"
    assert variables["NEO4J_USER"] == "neo4j"
    # the app logs in with the password the server was given
    neo4j_auth = env(compose["services"]["neo4j"])["NEO4J_AUTH"]
    assert neo4j_auth == "neo4j/" + variables["NEO4J_PASSWORD"]
    command = " ".join(app["command"])
    assert "chainkg load" in command and "chainkg serve --host 0.0.0.0 --port 8000" in command
    assert "8000:8000" in {str(p) for p in app["ports"]}


def test_dockerfile_and_dockerignore() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert "pip install ." in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "**/node_modules", "*.db"} <= set(ignored)
