"""The web service's own shapes: the what-if request, counts, imports, errors.

The answers of the analyses are the typed models of `queries.answers` (and `queries.nodes`),
which the routes declare as `response_model`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from queries.answers import StatusCounts

__all__ = ["ERRORS", "HTML_ERRORS", "ErrorOut", "ImportOut", "StatsOut", "StatusCounts", "WhatIfIn"]


class _Open(BaseModel):
    """Open to more fields: the province answers until they are typed (queries/province)."""

    model_config = ConfigDict(extra="allow")


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enterprise: str = Field(min_length=1, max_length=200, description="候选企业或项目的名称")
    links: list[str] = Field(
        default_factory=list, max_length=200, description="它将填补的环节；空则取企业已登记的环节"
    )
    region: str | None = Field(None, max_length=100, description="落地地区或园区；空为全省")


class StatsOut(BaseModel):
    nodes: dict[str, int] = Field(description="各标签的节点数")
    relationships: dict[str, int] = Field(description="各关系类型的数量")


class IssueOut(BaseModel):
    sheet: str = Field(description="工作表")
    row: int | None = Field(description="行号（Excel 行号）")
    column: str = Field(description="列")
    message: str = Field(description="问题说明")
    severity: str = Field(description="error 错误 · warning 提示")


class ImportOut(BaseModel):
    dry_run: bool = Field(description="是否只校验")
    files: list[str]
    rows: int = Field(description="读取的数据行数")
    counts: dict[str, dict[str, int]] = Field(description="批次中各类节点与关系的数量")
    written: dict[str, int] | None = Field(description="写入结果；只校验时为 null")
    warnings: list[IssueOut]


class ErrorOut(_Open):
    detail: str = Field(description="中文错误说明")


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "找不到（附相近名称建议 suggestions）"},
    422: {"model": ErrorOut, "description": "参数有误"},
}

_ERROR_JSON = {
    "application/json": {
        "schema": {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "suggestions": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["detail"],
        }
    }
}
HTML_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"content": _ERROR_JSON, "description": "找不到（附相近名称建议 suggestions）"},
    422: {"content": _ERROR_JSON, "description": "参数有误"},
}
