"""Every error as JSON with a Chinese message and the right status, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from graph_schema.errors import ChainKGError, InputError, NotFoundError

log = logging.getLogger(__name__)

_HTTP_ZH = {
    400: "请求有误",
    401: "需要令牌",
    403: "没有权限",
    404: "找不到该地址",
    405: "不支持该请求方法",
    406: "不支持请求的格式",
    413: "上传文件过大",
    415: "不支持该文件类型",
    422: "参数有误",
}

_WHERE_ZH = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头"}


def status_of(exc: ChainKGError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    return 422 if isinstance(exc, InputError) else 503


def chainkg_body(exc: ChainKGError) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, NotFoundError):
        body["suggestions"] = exc.suggestions
    if isinstance(exc, InputError):
        body["issues"] = [issue_json(i) for i in exc.issues]
    return body


def issue_json(issue: Any) -> dict[str, Any]:
    return {
        "file": issue.file,
        "sheet": issue.sheet,
        "row": issue.row,
        "column": issue.column,
        "message": issue.message,
        "severity": issue.severity,
    }


def validation_zh(error: dict[str, Any]) -> str:
    """One of FastAPI's validation errors, said in Chinese."""
    loc = [str(part) for part in error.get("loc", ())]
    where = _WHERE_ZH.get(loc[0], loc[0]) if loc else "参数"
    name = ".".join(loc[1:]) or where
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind == "missing":
        what = "缺少该参数"
    elif kind in ("string_too_short", "too_short"):
        what = f"太短（至少 {ctx.get('min_length', '')} 个字符）"
    elif kind in ("string_too_long", "too_long"):
        what = f"太长（至多 {ctx.get('max_length', '')} 个字符）"
    elif kind.startswith("int_") or kind.startswith("float_"):
        what = "须为数字"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤"}
        what = f"须{op.get(kind, '<')} {bound}"
    elif kind in ("literal_error", "enum"):
        what = f"取值须为 {ctx.get('expected', '允许的值之一')}"
    elif kind.startswith("bool_"):
        what = "须为 true 或 false"
    elif kind in ("model_attributes_type", "dict_type"):
        what = "须为 JSON 对象"
    elif kind in ("list_type",):
        what = "须为列表"
    elif kind.startswith("string_"):
        what = "须为文本"
    else:
        what = "取值无效"
    return f"{where}“{name}”{what}"


def install(app: FastAPI, debug: bool = False) -> None:
    @app.exception_handler(ChainKGError)
    async def chainkg_error(request: Request, exc: ChainKGError) -> JSONResponse:
        return JSONResponse(chainkg_body(exc), status_code=status_of(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        messages = [validation_zh(dict(e)) for e in exc.errors()]
        fields = [
            {"loc": [str(p) for p in e.get("loc", ())], "message": m}
            for e, m in zip(exc.errors(), messages, strict=True)
        ]
        return JSONResponse(
            {"detail": "参数有误：" + "；".join(messages), "errors": fields}, status_code=422
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = (
            exc.detail if _is_chinese(exc.detail) else _HTTP_ZH.get(exc.status_code, "请求失败")
        )
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("内部错误：%s %s", request.method, request.url.path)
        detail = "服务内部错误，请稍后重试或联系管理员"
        if debug:
            detail += f"（{type(exc).__name__}: {exc}）"
        return JSONResponse({"detail": detail}, status_code=500)


def _is_chinese(detail: Any) -> bool:
    return isinstance(detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in detail)
