"""The province's target list as files to hand out: XLSX ready to print, and CSV.

The workbook uses the officer lists' print layout (`app.xlsx_print`): A4 landscape fitted to
the page width, the header row on every printed page, a title block with the region, date
and data sources (and the 示例数据 warning when a row comes from 示例数据), wrapped rows, page
numbers, and every text cell neutralised against formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from app.xlsx_print import (
    PrintColumn,
    TitleBlock,
    book_bytes,
    new_book,
    safe_cell,
    write_list_sheet,
)
from queries.wording import STATUS_ZH

Getter = Callable[[Mapping[str, Any]], Any]


def links_text(item: Mapping[str, Any]) -> str:
    return "\n".join(
        f"{x['chain']}·{x['link']}（{STATUS_ZH.get(x['status'], x['status'])}→"
        f"{STATUS_ZH.get(x.get('after', ''), x.get('after', ''))}）"
        for x in item["links"]
    )


def gain_text(item: Mapping[str, Any]) -> str:
    return "\n".join(f"{c} +{g * 100:.1f}%" for c, g in item["local_rate_gain"].items() if g)


def host_text(host: Mapping[str, Any] | None) -> str:
    if not host:
        return "（无合适承接地）"
    return " · ".join(p for p in (host.get("region"), host.get("park")) if p)


def alternatives_text(item: Mapping[str, Any]) -> str:
    return "\n".join(f"{host_text(a)}（{a['score']}）" for a in item["alternatives"])


TARGET_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("序号", "rank", 5, align="center"),
    PrintColumn("企业名称", "enterprise", 18),
    PrintColumn("企业所在地", lambda i: i.get("region_of_enterprise") or "", 10),
    PrintColumn("营业收入(亿元)", "revenue", 8, align="right"),
    PrintColumn("综合评分", "score", 6, align="right", number_format="0.000"),
    PrintColumn("可补环节（现状→落地后）", links_text, 22),
    PrintColumn("本地配套率提升", gain_text, 11),
    PrintColumn("建议承接地", lambda i: host_text(i["host"]), 16),
    PrintColumn("承接理由", lambda i: "\n".join((i["host"] or {}).get("reasons", [])), 24),
    PrintColumn("备选承接地", alternatives_text, 14),
    PrintColumn("推荐理由", lambda i: "\n".join(i["reasons"]), 30),
)
EXCLUDED_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("企业名称", "enterprise", 26),
    PrintColumn("涉及产业链", lambda e: "、".join(e.get("chains", [])), 18),
    PrintColumn("项目", "project", 26),
    PrintColumn("项目阶段", "project_stage", 9, align="center"),
    PrintColumn("说明", "reason", 50),
)
CSV_COLUMNS: Sequence[tuple[str, Getter]] = (
    ("序号", lambda i: i["rank"]),
    ("企业名称", lambda i: i["enterprise"]),
    ("企业所在地", lambda i: i.get("region_of_enterprise") or ""),
    ("营业收入(亿元)", lambda i: i.get("revenue")),
    ("企业标签", lambda i: "、".join(i.get("tags", []))),
    ("综合评分", lambda i: i["score"]),
    ("可补环节（现状→落地后）", links_text),
    ("本地配套率提升", gain_text),
    ("建议承接地", lambda i: host_text(i["host"])),
    ("承接理由", lambda i: "；".join((i["host"] or {}).get("reasons", []))),
    ("备选承接地", alternatives_text),
    ("项目进展", lambda i: i.get("pipeline_stage") or ""),
    ("推荐理由", lambda i: "；".join(i["reasons"])),
    ("数据来源", lambda i: i.get("source") or ""),
)


def numbered(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{**item, "rank": n} for n, item in enumerate(data["items"], 1)]


def title(data: Mapping[str, Any]) -> str:
    return f"{data.get('region') or '全省'}重点产业链精准招商目标企业清单"


def targets_csv(data: Mapping[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for item in numbered(data):
        writer.writerow([safe_cell(_plain(get(item))) for _, get in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    return "" if value is None else value


def targets_xlsx(data: Mapping[str, Any]) -> bytes:
    """目标企业清单 (one row per firm) and 已排除."""
    items = numbered(data)
    block = TitleBlock(
        title(data),
        region=data.get("region"),
        day=date.today(),
        sources=[str(s) for s in data.get("sources") or ()],
        demo_rows=sum(bool(i.get("demo")) for i in items),
        notes=("承接地为建议牵头对接的市和园区；备选承接地不另行分派，以免两地同时对接同一企业。",),
    )
    book = new_book()
    write_list_sheet(book, "目标企业清单", block, TARGET_COLUMNS, items)
    if data.get("excluded"):
        excluded_block = TitleBlock(
            "已有签约及以后阶段项目、不再列入的企业",
            region=block.region,
            day=block.day,
            sources=block.sources,
        )
        write_list_sheet(book, "已排除", excluded_block, EXCLUDED_COLUMNS, data["excluded"])
    return book_bytes(book)
