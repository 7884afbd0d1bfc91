"""Pages of province-wide 精准招商: targets, 招商台账, alerts, and the history chart (SVG,
drawn on the server, so the chain page needs no script for it)."""

from __future__ import annotations

import json
from html import escape
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.province_output import KIND_ZH, SEVERITY_ZH
from app.web.deps import ChainPath, RegionQuery, SettingsDep, SnapshotsDep, StoreDep
from app.web.pages import TEMPLATES, _guarded, _page, _regions
from app.web.snapshots import encode
from graph_schema.errors import ChainKGError
from queries.province.alerts import alerts
from queries.province.history import chain_history
from queries.province.ledger import ledger
from queries.province.targets import province_targets
from queries.wording import STATUS_ZH

TEMPLATES.env.globals["KIND_ZH"] = KIND_ZH
TEMPLATES.env.globals["SEVERITY_ZH"] = SEVERITY_ZH
TEMPLATES.env.globals["EVIDENCE_ZH"] = {
    "versions": "版本",
    "files": "导入文件",
    "time": "导入时间",
    "chain": "产业链",
    "link": "环节",
    "links": "环节",
    "before": "之前",
    "after": "之后",
    "reasons": "当前诊断理由",
    "project": "项目",
    "stage": "阶段",
    "since": "起始日期",
    "since_version": "起始版本",
    "year": "项目年份",
    "problem": "问题",
    "type": "类型",
    "status": "状态",
    "sources": "数据出处",
    "source": "数据来源",
    "region": "地区",
    "projects": "项目数",
    "stages": "各阶段项目数",
    "years": "年份范围",
    "examples": "项目举例",
    "basis": "依据",
}
PAGE_TARGETS = 150
PAGE_ALERTS = 200  # per kind on the page; the API and the CLI give them all

router = APIRouter(include_in_schema=False)


@router.get("/targets", response_class=HTMLResponse)
def targets_page(
    request: Request,
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    region: RegionQuery = None,
    top: Annotated[int, Query(ge=1, le=2000)] = PAGE_TARGETS,
) -> HTMLResponse:
    params, pparams = settings.analysis(), settings.province_params()

    def build() -> HTMLResponse:
        data = json.loads(
            snapshots.answer(
                ("targets", region, top),
                lambda s: encode(
                    province_targets(store, s, params, pparams, region, top).model_dump(mode="json")
                ),
            )
        )
        return _page(
            request,
            "targets.html",
            data=data,
            region=region or "",
            regions=_regions(snapshots),
            top=top,
        )

    return _guarded(request, build)


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(
    request: Request, snapshots: SnapshotsDep, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    params, pparams = settings.analysis(), settings.province_params()
    today = pparams.current_date().isoformat()

    def build() -> HTMLResponse:
        data = json.loads(
            snapshots.answer(
                ("ledger", today),
                lambda s: encode(
                    ledger(
                        store, s, pparams, province_targets(store, s, params, pparams)
                    ).model_dump(mode="json")
                ),
            )
        )
        return _page(request, "ledger.html", data=data)

    return _guarded(request, build)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: Annotated[str | None, Query(max_length=100)] = None,
    region: RegionQuery = None,
) -> HTMLResponse:
    params, pparams = settings.analysis(), settings.province_params()
    today = pparams.current_date().isoformat()

    def build() -> HTMLResponse:
        data = json.loads(
            snapshots.answer(
                ("alerts", chain, region, today),
                lambda s: encode(
                    alerts(store, s, params, pparams, chain, region).model_dump(mode="json")
                ),
            )
        )
        groups: dict[str, list[dict[str, Any]]] = {}
        for item in data["items"]:
            groups.setdefault(item["kind"], []).append(item)
        order = list(KIND_ZH)
        ordered = [
            (kind, items[:PAGE_ALERTS], len(items))
            for kind, items in sorted(
                groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
            )
        ]
        return _page(
            request,
            "alerts.html",
            data=data,
            groups=ordered,
            region=region or "",
            regions=_regions(snapshots),
        )

    return _guarded(request, build)


@router.get("/chains/{chain}/history.svg")
def history_chart(
    snapshots: SnapshotsDep,
    store: StoreDep,
    settings: SettingsDep,
    chain: ChainPath,
    region: RegionQuery = None,
) -> Response:
    """本地配套率 per version as a line, with the counts and the latest changes."""
    params = settings.analysis()
    try:
        body = snapshots.answer(
            ("history.svg", chain, region),
            lambda s: history_svg(
                chain_history(store, s, chain, region, params).model_dump(mode="json")
            ).encode(),
        )
    except ChainKGError as exc:
        body = _message_svg(str(exc)).encode()
    return Response(body, media_type="image/svg+xml")


WIDTH, HEIGHT, LEFT, RIGHT, TOP, PLOT = 720, 250, 56, 24, 28, 120
FONT = "font-family='Noto Sans CJK SC, Microsoft YaHei, sans-serif'"


def history_svg(data: dict[str, Any]) -> str:
    """A self-contained SVG: 本地配套率 by version, counts under each, latest changes below."""
    versions = data["versions"][-12:]
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
        f"viewBox='0 0 {WIDTH} {HEIGHT}' {FONT} font-size='12'>",
        f"<title>{escape(data['chain'])}产业链本地配套率历史</title>",
        "<rect width='100%' height='100%' fill='#fff'/>",
        f"<text x='{LEFT}' y='16' font-size='13' fill='#34495e'>本地配套率（{escape(data['region'] or '全省')}，"
        f"共{len(data['versions'])}个版本）</text>",
    ]
    for pct in (0, 50, 100):
        y = TOP + PLOT - PLOT * pct / 100
        parts.append(
            f"<line x1='{LEFT}' x2='{WIDTH - RIGHT}' y1='{y}' y2='{y}' stroke='#e6ebef'/>"
            f"<text x='{LEFT - 6}' y='{y + 4}' text-anchor='end' fill='#7f8c8d'>{pct}%</text>"
        )
    if not versions:
        parts.append(
            f"<text x='{LEFT + 10}' y='{TOP + PLOT / 2}' fill='#7f8c8d'>尚无版本记录</text>"
        )
    span = WIDTH - LEFT - RIGHT - 40
    step = span / max(len(versions) - 1, 1)
    points = []
    for i, v in enumerate(versions):
        x = LEFT + 20 + (i * step if len(versions) > 1 else span / 2)
        y = TOP + PLOT - PLOT * v["local_rate"]
        points.append((x, y))
        c = v["counts"]
        parts.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='#1f4e79'/>"
            f"<text x='{x:.1f}' y='{y - 8:.1f}' text-anchor='middle' fill='#1f4e79'>"
            f"{v['local_rate'] * 100:.1f}%</text>"
            f"<text x='{x:.1f}' y='{TOP + PLOT + 16}' text-anchor='middle' fill='#34495e'>"
            f"版本{v['version']} {escape(v['time'][5:10])}</text>"
            f"<text x='{x:.1f}' y='{TOP + PLOT + 31}' text-anchor='middle' fill='#7f8c8d'>"
            f"强{c['strong']} 弱{c['weak']} 缺{c['missing']} 断{c['broken']}</text>"
        )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f"<polyline points='{path}' fill='none' stroke='#1f4e79' stroke-width='2'/>")
    changes = data["changes"][-3:]
    for n, ch in enumerate(changes):
        before = STATUS_ZH.get(ch["before"] or "", "无")
        after = STATUS_ZH.get(ch["after"] or "", "无")
        text = f"版本{ch['version']}：{ch['link']} {before} → {after}"
        parts.append(
            f"<text x='{LEFT}' y='{TOP + PLOT + 56 + 16 * n}' fill='#34495e'>{escape(text)}</text>"
        )
    if len(data["changes"]) > 3:
        more = f"另有 {len(data['changes']) - 3} 处变化"
        parts.append(f"<text x='{LEFT + 420}' y='{TOP + PLOT + 56}' fill='#7f8c8d'>{more}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _message_svg(message: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='40' {FONT} "
        f"font-size='13'><text x='10' y='24' fill='#842029'>{escape(message)}</text></svg>"
    )
