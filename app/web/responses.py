"""How the JSON routes answer: from the one cache of `app.web.snapshots`, keyed from the
request itself, with the graph version that answered (X-Chainkg-Version)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.web.snapshots import Snapshots, encode
from queries.snapshot import Snapshot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def request_key(request: Request, body: BaseModel | None = None) -> Hashable:
    """The cache key of a response: method, path, the query parameters sorted (so that
    `?a=1&b=2` and `?b=2&a=1` are one answer) and a request body as validated. The snapshot
    version is added by the cache."""
    params = tuple(sorted(request.query_params.multi_items()))
    sent = body.model_dump_json() if body is not None else None
    return ("response", request.method, request.url.path, params, sent)


def json_response(body: bytes, version: int | None = None) -> Response:
    """JSON; analyses say which version of the graph answered (X-Chainkg-Version)."""
    headers = {"X-Chainkg-Version": str(version)} if version is not None else None
    return Response(body, media_type="application/json", headers=headers)


def versioned(snapshots: Snapshots, key: Hashable, compute: Callable[[Snapshot], Any]) -> Response:
    """The JSON of `compute` on the current snapshot, encoded once per snapshot version."""
    version, body = snapshots.versioned(key, lambda s: encode(compute(s)))
    return json_response(body, version)


def cached_json(
    request: Request,
    snapshots: Snapshots,
    compute: Callable[[Snapshot], Any],
    body: BaseModel | None = None,
) -> Response:
    """The JSON answer to this request, computed once per snapshot version."""
    return versioned(snapshots, request_key(request, body), compute)


def attachment(title: str, suffix: str) -> dict[str, str]:
    """A download with a Chinese file name (RFC 6266/5987), and an ASCII fallback.

    >>> attachment("清单", "csv")["Content-Disposition"]
    "attachment; filename=\\"chainkg.csv\\"; filename*=UTF-8''%E6%B8%85%E5%8D%95.csv"
    """
    name = quote(f"{title}.{suffix}", safe="")
    return {
        "Content-Disposition": f"attachment; filename=\"chainkg.{suffix}\"; filename*=UTF-8''{name}"
    }
