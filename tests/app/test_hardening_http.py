"""The service under hostile use: security headers on every response, a CSP with no inline
script, a short write token refused at start, uploads cleaned after a crash, imports that
never make reads wait, and an OpenAPI document that says what the import route returns."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.settings import Settings
from tests.app.live_server import ROOT, clean_env, free_port, load, serve
from tests.conftest import MINI
from tests.loaders.corpus import ENT_HEADER, ENT_ROW

TOKEN = "hardening-token-0123456789"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> object:
    db = tmp_path_factory.mktemp("hard") / "kg.db"
    load(db, MINI)
    uploads = tmp_path_factory.mktemp("uploads")
    with serve(db, clean_env(CHAINKG_WRITE_TOKEN=TOKEN, CHAINKG_UPLOAD_DIR=str(uploads))) as url:
        yield url


@pytest.mark.parametrize(
    "path", ["/", "/import", "/docs", "/api/v1/stats", "/api/v1/nodes/不存在", "/static/app.js"]
)
def test_security_headers_on_every_response(server: str, path: str) -> None:
    response = httpx.get(server + path, timeout=30)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_chain_map_may_be_framed_only_by_chainkg(server: str) -> None:
    response = httpx.get(f"{server}/api/v1/chains/锂电新能源/map", timeout=30)
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


def test_no_page_carries_inline_script(server: str) -> None:
    import re

    pages = ["/", "/import", "/docs", "/chains/锂电新能源", "/api/v1/chains/锂电新能源/map"]
    for path in pages:
        html = httpx.get(server + path, timeout=30).text
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
            assert "src=" not in attrs or not body.strip()
        assert not re.search(r"\son[a-z]+\s*=", html), path


def test_openapi_describes_the_import_route(server: str) -> None:
    spec = httpx.get(f"{server}/openapi.json", timeout=30).json()
    route = spec["paths"]["/api/v1/imports"]["post"]
    files = route["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["files"]
    assert files["minItems"] == 1
    assert {"400", "409", "413", "415", "422"} <= set(route["responses"])


def test_short_write_token_refuses_to_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--db",
            str(tmp_path / "kg.db"),
            "--port",
            str(free_port()),
        ],
        env=clean_env(CHAINKG_WRITE_TOKEN="short"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "写入令牌 CHAINKG_WRITE_TOKEN 过短（5 个字符）：至少 16 个字符" in done.stderr
    assert "Traceback" not in done.stderr


def test_whatif_message_names_no_command_line_flag(server: str) -> None:
    response = httpx.post(
        f"{server}/api/v1/chains/锂电新能源/whatif",
        json={"enterprise": "江西示例电解液有限公司"},
        timeout=30,
    )
    assert response.status_code == 422
    assert "--" not in response.json()["detail"]


def _big_csv(folder: Path, rows: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "企业清单.csv"
    lines = [",".join(ENT_HEADER)]
    base = ENT_ROW[1:]
    lines += [",".join([f"压测企业{n:07d}有限公司", *base]) for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_killed_import_leaves_no_upload_after_restart(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    load(db, MINI)
    uploads = tmp_path / "uploads"
    env = clean_env(CHAINKG_WRITE_TOKEN=TOKEN, CHAINKG_UPLOAD_DIR=str(uploads))
    big = _big_csv(tmp_path / "big", 150_000)
    port = free_port()
    cmd = [sys.executable, "-m", "app.cli", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url)
        thread = threading.Thread(target=_post, args=(url, big), daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not any(uploads.rglob("*.csv")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(uploads.rglob("*.csv")), "the upload never reached the upload folder"
        os.kill(server.pid, signal.SIGKILL)  # mid-import
        server.wait(timeout=10)
        assert any(uploads.iterdir())  # the crash left its upload behind
    finally:
        if server.poll() is None:
            server.kill()
    with serve(db, env) as url2:
        assert httpx.get(f"{url2}/api/v1/stats", timeout=30).status_code == 200
        assert list(uploads.iterdir()) == []
        stats = httpx.get(f"{url2}/api/v1/stats", timeout=30).json()
        assert stats["nodes"]["Enterprise"] == 6  # the killed import wrote nothing


def test_clean_uploads_spares_a_running_server(tmp_path: Path) -> None:
    from app.web.imports import clean_uploads

    settings = Settings(upload_dir=tmp_path)
    (tmp_path / f"import-{os.getppid()}-abc").mkdir()  # a live process: kept
    (tmp_path / "import-999999999-def").mkdir()  # no such process: removed
    (tmp_path / "stray.csv").write_text("x")
    assert clean_uploads(settings) == 2
    assert [p.name for p in tmp_path.iterdir()] == [f"import-{os.getppid()}-abc"]


def test_reads_never_wait_for_an_import(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    load(db, MINI)
    env = clean_env(CHAINKG_WRITE_TOKEN=TOKEN, CHAINKG_UPLOAD_DIR=str(tmp_path / "up"))
    big = _big_csv(tmp_path / "big", 150_000)
    with serve(db, env) as url:
        thread = threading.Thread(target=_post, args=(url, big, True), daemon=True)
        thread.start()
        time.sleep(1.0)
        slowest = 0.0
        for _ in range(10):
            started = time.monotonic()
            assert httpx.get(f"{url}/api/v1/stats", timeout=30).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
        second = httpx.post(
            f"{url}/api/v1/imports?dry_run=true",
            files=[("files", ("企业清单.csv", big.read_bytes()[:2000]))],
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=30,
        )
        thread.join(timeout=120)
    assert slowest < 2.0
    assert second.status_code in (200, 409, 422)
    if second.status_code == 409:
        assert "另一个导入正在进行" in second.json()["detail"]


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/stats", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("服务未能启动")


def _post(url: str, path: Path, dry_run: bool = False) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server may be killed under it
        httpx.post(
            f"{url}/api/v1/imports" + ("?dry_run=true" if dry_run else ""),
            files=[("files", (path.name, path.read_bytes()))],
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=120,
        )


def test_non_utf8_body_is_a_documented_400(server: str) -> None:
    response = httpx.post(
        f"{server}/api/v1/chains/锂电新能源/whatif",
        content='{"enterprise": "宜春"}'.encode("gb18030"),
        headers={"content-type": "application/json"},
        timeout=30,
    )
    spec = httpx.get(f"{server}/openapi.json", timeout=30).json()
    documented = spec["paths"]["/api/v1/chains/{chain}/whatif"]["post"]["responses"]
    assert str(response.status_code) in documented
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_import_time_limit_and_client_that_goes_away(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    load(db, MINI)
    big = _big_csv(tmp_path / "big", 150_000)
    env = clean_env(
        CHAINKG_WRITE_TOKEN=TOKEN,
        CHAINKG_UPLOAD_DIR=str(tmp_path / "up"),
        CHAINKG_IMPORT_TIMEOUT_S="0.5",
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with serve(db, env) as url:
        timed_out = httpx.post(
            f"{url}/api/v1/imports?dry_run=true",
            files=[("files", (big.name, big.read_bytes()))],
            headers=auth,
            timeout=120,
        )
        assert timed_out.status_code == 422
        assert (
            timed_out.json()["detail"]
            == "导入超过时间上限（0.5 秒），已取消，未写入任何数据，可调高设置 CHAINKG_IMPORT_TIMEOUT_S"
        )
    env["CHAINKG_IMPORT_TIMEOUT_S"] = "600"
    with serve(db, env) as url:
        with contextlib.suppress(httpx.TimeoutException):  # the client gives up and leaves
            httpx.post(
                f"{url}/api/v1/imports?dry_run=true",
                files=[("files", (big.name, big.read_bytes()))],
                headers=auth,
                timeout=httpx.Timeout(60, read=1.5),
            )
        small = [("files", ("产业链图.csv", (MINI / "产业链图.csv").read_bytes()))]
        deadline = time.monotonic() + 20
        status = 0
        while time.monotonic() < deadline:
            status = httpx.post(
                f"{url}/api/v1/imports?dry_run=true", files=small, headers=auth, timeout=30
            ).status_code
            if status == 200:
                break
            time.sleep(0.5)
        assert status == 200  # the abandoned import released the server within seconds


@pytest.mark.parametrize(
    ("names", "expect"),
    [
        (["企业清单.csv", "企业清单.CSV"], "文件名重复"),
        (["企业\x01清单.csv"], "文件名含控制字符"),
        (["企业\x00清单.csv"], "文件名含控制字符"),
    ],
)
def test_upload_names_that_collide_or_hold_controls_are_refused(
    server: str, names: list[str], expect: str
) -> None:
    """The multipart body is written by hand: clients escape such names, attackers do not."""
    body = (MINI / "企业清单.csv").read_bytes()
    boundary = b"chainkg-boundary"
    parts = [
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="files"; filename="' + name.encode() + b'"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + body + b"\r\n"
        for name in names
    ]
    content = b"".join(parts) + b"--" + boundary + b"--\r\n"
    response = httpx.post(
        f"{server}/api/v1/imports?dry_run=true",
        content=content,
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "multipart/form-data; boundary=chainkg-boundary",
        },
        timeout=30,
    )
    assert response.status_code == 422, response.text
    assert expect in response.json()["detail"]
