"""POST /api/v1/imports: workbooks, CSV files (or a .zip of them) and documents over HTTP.

The same validation as `chainkg load` (`app.importing.run_import`): any error and nothing is
written (422 with every issue: sheet, row, column, message). Writes need the bearer token of
`CHAINKG_WRITE_TOKEN`; without one configured the route is off (403). An import writes
through its own store connection, one import at a time, while reads keep answering from the
old snapshot; the new snapshot is built before the reply, so the caller sees the new answers.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import IO, Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.importing import ImportReport, run_import
from app.settings import Settings
from app.web.errors import issue_json
from app.web.schemas import ImportOut
from app.web.snapshots import Snapshots
from graph_schema.errors import InputError, Issue
from loaders.readers import raise_by

router = APIRouter(prefix="/api/v1")
SUFFIXES = (".xlsx", ".csv", ".zip", ".txt", ".md", ".docx")
CHUNK = 1 << 20
_lock = threading.Lock()  # one import at a time

UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": ".xlsx 工作簿、以工作表命名的 CSV（如 企业清单.csv）、CSV 的 .zip 包，或 .txt/.md/.docx 文档",
                        }
                    },
                }
            }
        },
    }
}


def check_token(request: Request, settings: Settings) -> None:
    """403 when writes are off, 401 without the right bearer token."""
    if not settings.write_token:
        raise HTTPException(403, "写入接口未开启：请管理员设置 CHAINKG_WRITE_TOKEN")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), settings.write_token.encode()
    ):
        raise HTTPException(
            401,
            "令牌无效：请在请求头提供 Authorization: Bearer <令牌>",
            {"WWW-Authenticate": "Bearer"},
        )


@router.post(
    "/imports",
    response_model=ImportOut,
    summary="导入四图五清单（需要写入令牌）",
    description="上传一个或多个文件；dry_run=true 只校验不写入。校验有误时返回 422 与全部问题（工作表、行、列、说明），不做任何修改。",
    tags=["导入"],
    openapi_extra=UPLOAD_BODY,
    responses={
        400: {"description": "请求体无法解析（如表单不是有效的 multipart 或文件名不是 UTF-8）"},
        401: {"description": "令牌无效"},
        403: {"description": "写入接口未开启"},
        409: {"description": "另一个导入正在进行"},
        411: {"description": "缺少 Content-Length"},
        413: {"description": "上传文件过大"},
        415: {"description": "不支持的文件类型"},
        422: {"description": "校验未通过：issues 列出每个问题（文件、工作表、行、列、说明）"},
    },
)
async def imports(
    request: Request,
    dry_run: Annotated[bool, Query(description="只校验，不写入")] = False,
) -> JSONResponse:
    settings: Settings = request.app.state.settings
    check_token(request, settings)
    limit = settings.max_upload_mb * 1_000_000
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "请提供 Content-Length")
    if int(length) > limit:
        raise HTTPException(
            413, f"上传文件过大：上限 {settings.max_upload_mb} MB" + raise_by("max_upload_mb")
        )
    if _lock.locked():  # never queue: a waiting import would hold a worker thread
        raise HTTPException(409, "另一个导入正在进行，请稍后重试")
    with upload_folder(settings) as tmp:
        async with request.form(max_files=100, max_fields=10) as form:
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                raise HTTPException(422, "请上传文件（表单字段 files）")
            paths = await _save_all(uploads, tmp, limit)
        paths = _unzip(paths, tmp, settings)
        snapshots: Snapshots = request.app.state.snapshots
        stop = _Stop(settings.import_timeout_s)
        watcher = asyncio.create_task(_watch(request, stop))
        try:
            report = await run_in_threadpool(_run, paths, settings, snapshots, dry_run, stop)
        finally:
            watcher.cancel()
    return JSONResponse(_report_json(report, dry_run))


class _Stop:
    """Why an import must stop: its time is up, or its client went away. The import calls
    `check` while it reads, validates and writes, up to the store's commit."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.deadline = time.monotonic() + limit_s
        self.gone = threading.Event()

    def check(self) -> None:
        if self.gone.is_set():
            raise InputError("客户端已断开，导入已取消，未写入任何数据")
        if time.monotonic() > self.deadline:
            raise InputError(
                f"导入超过时间上限（{self.limit_s:g} 秒），已取消，未写入任何数据"
                + raise_by("import_timeout_s")
            )


async def _watch(request: Request, stop: _Stop) -> None:
    """Marks the import stopped when its client disconnects."""
    while not await request.is_disconnected():
        await asyncio.sleep(0.5)
    stop.gone.set()


@contextmanager
def upload_folder(settings: Settings) -> Iterator[Path]:
    """A private folder for one import's files, inside chainkg's upload folder; removed when
    the import ends. Its name carries the server's process id, so a restarted server can tell
    the leftovers of a crash (`clean_uploads`)."""
    root = settings.uploads()
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"import-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def clean_uploads(settings: Settings) -> int:
    """Removes what imports of servers no longer running left behind; the count removed."""
    root = settings.uploads()
    if not root.is_dir():
        return 0
    removed = 0
    for entry in root.iterdir():
        _, _, rest = entry.name.partition("import-")
        pid = rest.partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another server's import in progress
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def _save_all(uploads: list[UploadFile], folder: Path, limit: int) -> list[Path]:
    names: dict[str, str] = {}
    paths = []
    for upload in uploads:
        name = _upload_name(upload)
        if name.casefold() in names:
            raise HTTPException(
                422, f"文件名重复：“{name}”与“{names[name.casefold()]}”（不区分大小写）"
            )
        names[name.casefold()] = name
        paths.append(await _save(upload, folder / name, limit))
    return paths


def _upload_name(upload: UploadFile) -> str:
    name = PurePath((upload.filename or "").replace("\\", "/")).name
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise HTTPException(422, "文件名含控制字符，请改名后重新上传")
    if not name.lower().endswith(SUFFIXES) or name.startswith("."):
        raise HTTPException(
            415, f"不支持的文件“{name or '（无名）'}”：请上传 .xlsx、.csv、.zip、.txt、.md 或 .docx"
        )
    if len(name.encode()) > 200:
        raise HTTPException(422, "文件名过长，请改名后重新上传")
    return name


async def _save(upload: UploadFile, target: Path, limit: int) -> Path:
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(
                    413, f"上传文件过大：上限 {limit // 1_000_000} MB" + raise_by("max_upload_mb")
                )
            out.write(chunk)
    return target


def _unzip(paths: list[Path], folder: Path, settings: Settings) -> list[Path]:
    """A .zip of CSV files becomes its CSV files (names only, within the unzip limits)."""
    out: list[Path] = []
    for path in paths:
        if path.suffix.lower() != ".zip":
            out.append(path)
            continue
        out.extend(_extract_csvs(path, folder / (path.stem + ".unzipped"), settings))
    return out


def _extract_csvs(path: Path, target: Path, settings: Settings) -> list[Path]:
    """The CSV members of a zip, each under its own name. Two members with the same name
    (in different folders, or differing only in case) are refused, never overwritten."""
    limit = settings.max_unzipped_mb * 1_000_000
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir()
                and m.filename.lower().endswith(".csv")
                and not PurePath(m.filename.replace("\\", "/")).name.startswith(".")
            ]
            unpacked = sum(m.file_size for m in members)
            if unpacked > limit:
                raise _zip_error(
                    name, f"解压后超过 {settings.max_unzipped_mb} MB" + raise_by("max_unzipped_mb")
                )
            if unpacked > settings.max_zip_csv_mb * 1_000_000:  # rows, and so memory, grow with it
                raise _zip_error(
                    name,
                    f"内的 CSV 解压后共 {unpacked / 1e6:.1f} MB，超过上限 {settings.max_zip_csv_mb} MB"
                    "（请分批上传）" + raise_by("max_zip_csv_mb"),
                )
            seen: dict[str, str] = {}
            for member in members:
                base = PurePath(member.filename.replace("\\", "/")).name
                if any(ord(ch) < 32 for ch in member.filename):
                    raise _zip_error(name, "中有文件名含控制字符的文件")
                if base.casefold() in seen:
                    raise _zip_error(
                        name,
                        f"中有同名的 CSV 文件“{member.filename}”与“{seen[base.casefold()]}”"
                        "（同一张表请合并为一个文件）",
                    )
                seen[base.casefold()] = member.filename
            target.mkdir()
            out = []
            for member in members:
                dest = target / PurePath(member.filename.replace("\\", "/")).name
                with archive.open(member) as src, dest.open("wb") as dst:
                    _copy(src, dst, member.file_size)
                out.append(dest)
    except zipfile.BadZipFile:
        raise _zip_error(name, "不是有效的 .zip 文件（或已损坏）") from None
    except (NotImplementedError, RuntimeError):
        raise _zip_error(name, "中的文件已加密或使用了不支持的压缩方式") from None
    except (EOFError, zlib.error, OSError):
        raise _zip_error(name, "中的文件已损坏，无法解压") from None
    if not out:
        raise _zip_error(name, "中没有 CSV 文件")
    return out


def _copy(src: IO[bytes], dst: IO[bytes], declared: int) -> None:
    """At most the member's declared size (a lying header cannot inflate it further)."""
    left = declared
    while left > 0 and (chunk := src.read(min(CHUNK, left))):
        dst.write(chunk)
        left -= len(chunk)


def _zip_error(name: str, message: str) -> InputError:
    text = f"“{name}”{message}"
    return InputError(text, [Issue(text, name, file=name)])


def _run(
    paths: list[Path],
    settings: Settings,
    snapshots: Snapshots,
    dry_run: bool,
    stop: _Stop,
) -> ImportReport:
    if not _lock.acquire(blocking=False):
        raise HTTPException(409, "另一个导入正在进行，请稍后重试")
    try:
        store = settings.open_store()
        try:
            report = run_import(store, paths, settings, dry_run=dry_run, check=stop.check)
        finally:
            store.close()
        if not dry_run:
            snapshots.refresh(report.snapshot)  # the one the import built for its history
            report.snapshot = None
    finally:
        _lock.release()
    return report


def _report_json(report: ImportReport, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "files": report.files,
        "rows": report.rows,
        "counts": report.counts,
        "written": report.summary.as_dict() if report.summary is not None else None,
        "warnings": [issue_json(w) for w in report.warnings],
    }
