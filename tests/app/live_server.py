"""`chainkg serve` in its own process on a free port, for the tests that speak real HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[2]
RUN = [sys.executable, "-m", "app.cli"]


def find_chromium() -> str | None:
    """The Chromium the browser tests drive: $CHROMIUM_PATH, else one on the PATH."""
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


CHROMIUM = find_chromium()
NO_CHROMIUM = (
    "未找到 Chromium（apt-get install -y chromium fonts-noto-cjk，或设置 CHROMIUM_PATH 指向它；"
    "bash scripts/test.sh 在有 root 或免密码 sudo 时会自动安装）"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CHAINKG_"))}
    env.update(extra)
    return env


def load(db: Path, *paths: Path, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [*RUN, "load", *map(str, paths), "--db", str(db)],
        check=True,
        env=env or clean_env(),
        cwd=ROOT,
        capture_output=True,
    )


@contextmanager
def serve(db: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The base URL of a server on `db`, stopped on exit."""
    port = free_port()
    server = subprocess.Popen(
        [*RUN, "serve", "--db", str(db), "--port", str(port)],
        env=env or clean_env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # generous: a busy CI machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v1/stats", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("服务未能在 120 秒内启动")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
