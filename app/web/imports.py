"""POST /api/v1/imports: workbooks, CSV files (or a .zip of them) and documents over HTTP.

The same validation as `chainkg load` (`app.importing.run_import`): any error and nothing is
written (422 with every issue: sheet, row, column, message). Writes need the bearer token of
`CHAINKG_WRITE_TOKEN`; without one configured the route is off (403). An import writes
through its own store connection, one import at a time, while reads keep answering from the
old snapshot; the new snapshot is built before the reply, so the caller sees the new answers.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.importing import ImportReport, run_import
from app.settings import Settings
from app.web.errors import issue_json
from app.web.schemas import ImportOut
from app.web.snapshots import Snapshots
from graph_schema.errors import InputError

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
        401: {"description": "令牌无效"},
        403: {"description": "写入接口未开启"},
        413: {"description": "上传文件过大"},
        422: {"description": "校验未通过：issues 列出每个问题"},
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
        raise HTTPException(413, f"上传文件过大：上限 {settings.max_upload_mb} MB")
    with tempfile.TemporaryDirectory(prefix="chainkg-upload-") as tmp:
        async with request.form(max_files=100, max_fields=10) as form:
            uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
            if not uploads:
                raise HTTPException(422, "请上传文件（表单字段 files）")
            paths = [await _save(f, Path(tmp), limit) for f in uploads]
        paths = _unzip(paths, Path(tmp), settings)
        snapshots: Snapshots = request.app.state.snapshots
        report = await run_in_threadpool(_run, paths, settings, snapshots, dry_run)
    return JSONResponse(_report_json(report, dry_run))


async def _save(upload: UploadFile, folder: Path, limit: int) -> Path:
    name = PurePath((upload.filename or "").replace("\\", "/")).name
    if not name.lower().endswith(SUFFIXES) or name.startswith("."):
        raise HTTPException(
            415, f"不支持的文件“{name or '（无名）'}”：请上传 .xlsx、.csv、.zip、.txt、.md 或 .docx"
        )
    target = folder / name
    if target.exists():
        raise HTTPException(422, f"文件名重复：{name}")
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"上传文件过大：上限 {limit // 1_000_000} MB")
            out.write(chunk)
    return target


def _unzip(paths: list[Path], folder: Path, settings: Settings) -> list[Path]:
    """A .zip of CSV files becomes its CSV files (names only, within the unzip limits)."""
    out: list[Path] = []
    for path in paths:
        if path.suffix.lower() != ".zip":
            out.append(path)
            continue
        out.extend(_extract_csvs(path, folder / path.stem, settings))
    return out


def _extract_csvs(path: Path, target: Path, settings: Settings) -> list[Path]:
    limit = settings.max_unzipped_mb * 1_000_000
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir()
                and m.filename.lower().endswith(".csv")
                and not PurePath(m.filename).name.startswith(".")
            ]
            if sum(m.file_size for m in members) > limit:
                raise InputError(f"{path.name} 解压后超过 {settings.max_unzipped_mb} MB")
            target.mkdir()
            out = []
            for member in members:
                name = PurePath(member.filename.replace("\\", "/")).name
                dest = target / name
                with archive.open(member) as src, dest.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)  # at most the declared size
                out.append(dest)
    except zipfile.BadZipFile:
        raise InputError(f"{path.name} 不是有效的 .zip 文件") from None
    if not out:
        raise InputError(f"{path.name} 中没有 CSV 文件")
    return out


def _run(
    paths: list[Path], settings: Settings, snapshots: Snapshots, dry_run: bool
) -> ImportReport:
    with _lock:
        store = settings.open_store()
        try:
            report = run_import(store, paths, settings, dry_run=dry_run)
        finally:
            store.close()
        if not dry_run:
            snapshots.refresh(report.snapshot)  # the one the import built for its history
            report.snapshot = None
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
