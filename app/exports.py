"""The recruitment list as files officers hand out: a print-ready XLSX (汇总, one 招商清单
sheet grouped by target link in order of priority, 省内协同配套 and 已排除 when there are any)
and CSV (UTF-8 with BOM, so Excel shows the Chinese).

A firm that fits several target links (a parent and its sub-links) is listed once, under
the first of them, naming every link it would fill. Scores read 0–100 with a banded 推荐度.
The layout (A4 landscape, print titles, wrapping, title block, 示例数据 warning, formula
neutralising) is app.xlsx_print's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from app.xlsx_print import (
    Group,
    PrintColumn,
    TitleBlock,
    book_bytes,
    new_book,
    safe_cell,
    write_list_sheet,
)

__all__ = ["recruitment_csv", "recruitment_xlsx", "safe_cell", "title"]

STATUS_FILL = {"broken": "F8D7DA", "missing": "E2E3E5", "weak": "FFF3CD", "strong": "D1E7DD"}
GRADE_FILL = {"A": "D1E7DD", "B": "FFF3CD"}
NUMERALS = "一二三四五六七八九十"


def _joined(key: str, sep: str = "\n") -> Any:
    def get(row: Mapping[str, Any]) -> str:
        return sep.join(str(v) for v in row.get(key) or ())

    return get


ITEM_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("序号", "rank", 5, align="center"),
    PrintColumn("企业名称", "enterprise", 22),
    PrintColumn("所在地区", "region", 12),
    PrintColumn("营业收入(亿元)", "revenue", 9, align="right", number_format="#,##0.0"),
    PrintColumn("企业标签", _joined("tags", "、"), 14),
    PrintColumn("评分", "score_100", 6, align="center"),
    PrintColumn("推荐度", "grade", 7, align="center"),
    PrintColumn("项目进展", "pipeline_stage", 7, align="center"),
    PrintColumn("可填补环节", _joined("fills", "、"), 14),
    PrintColumn("推荐理由", _joined("reasons"), 46),
    PrintColumn("数据来源", "source", 8, align="center"),
)
TARGET_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("序号", "order", 5, align="center"),
    PrintColumn("目标环节", "link", 16),
    PrintColumn("链位", "stage", 6, align="center"),
    PrintColumn("关键环节", "key", 7, align="center"),
    PrintColumn("状态", "status_zh", 7, align="center"),
    PrintColumn("诊断理由", _joined("reasons"), 70),
    PrintColumn("候选企业数", "candidates", 9, align="center"),
    PrintColumn("本表列出", "listed", 8, align="center"),
    PrintColumn("招商限制", "restriction", 18),
)
NEARBY_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("目标环节", "link", 16),
    PrintColumn("企业名称", "enterprise", 24),
    PrintColumn("所在地区", "region", 16),
    PrintColumn("营业收入(亿元)", "revenue", 9, align="right", number_format="#,##0.0"),
    PrintColumn("企业标签", _joined("tags", "、"), 16),
    PrintColumn("说明", _joined("reasons"), 52),
    PrintColumn("数据来源", "source", 8, align="center"),
)
EXCLUDED_COLUMNS: Sequence[PrintColumn] = (
    PrintColumn("环节", "link", 16),
    PrintColumn("企业名称", "enterprise", 28),
    PrintColumn("项目", "project", 28),
    PrintColumn("项目阶段", "project_stage", 8, align="center"),
    PrintColumn("说明", "reason", 60),
)
CSV_COLUMNS: Sequence[tuple[str, str]] = (
    ("目标环节", "link"),
    ("环节状态", "link_status_zh"),
    ("序号", "rank"),
    ("企业名称", "enterprise"),
    ("所在地区", "region"),
    ("营业收入(亿元)", "revenue"),
    ("企业标签", "tags"),
    ("评分", "score_100"),
    ("推荐度", "grade"),
    ("项目进展", "pipeline_stage"),
    ("可填补环节", "fills"),
    ("推荐理由", "reasons"),
    ("数据来源", "source"),
)
DEFAULT_GRADES = {
    "A": "重点推荐（评分 70 分及以上）",
    "B": "推荐（50–69 分）",
    "C": "可关注（50 分以下）",
}


def title(data: Mapping[str, Any]) -> str:
    return f"{data['chain']}产业链补链招商目标企业清单（{data.get('region') or '全省'}）"


def recruitment_csv(data: Mapping[str, Any]) -> bytes:
    """Every row of the JSON answer (a firm repeats under each link it fits, as there)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    for item in data["items"]:
        writer.writerow([safe_cell(_csv_cell(item, key)) for _, key in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(item: Mapping[str, Any], key: str) -> Any:
    value = item.get(key)
    if key == "score_100" and value is None and item.get("score") is not None:
        value = round(float(item["score"]) * 100)
    if isinstance(value, list):
        return ("；" if key == "reasons" else "、").join(str(v) for v in value)
    return "" if value is None else value


def recruitment_xlsx(data: Mapping[str, Any]) -> bytes:
    """The workbook: 汇总 (targets and legend), 招商清单, 省内协同配套, 已排除."""
    items = [_with_defaults(i) for i in data["items"]]
    nearby = list(data.get("nearby") or ())
    demo_rows = sum(bool(i.get("demo")) for i in [*items, *nearby])
    sources = [str(s) for s in data.get("sources") or ()] or sorted(
        {str(i["source"]) for i in [*items, *nearby] if i.get("source")}
    )
    block = TitleBlock(
        title(data),
        chain=str(data["chain"]),
        region=data.get("region"),
        day=date.today(),
        graph_version=data.get("graph_version"),
        sources=sources,
        demo_rows=demo_rows,
    )
    book = new_book()
    groups = list(_groups(data["targets"], items))
    listed = {g.extra["link_id"]: len(g.rows) for g in groups}
    targets = [
        {**t, "order": n, "listed": listed.get(t["link_id"], 0), "key": t.get("key")}
        for n, t in enumerate(data["targets"], 1)
    ]
    write_list_sheet(
        book,
        "汇总",
        block,
        TARGET_COLUMNS,
        targets,
        cell_fill=lambda row, col: (
            STATUS_FILL.get(str(row.get("status"))) if col.header == "状态" else None
        ),
        notes=_legend(data),
    )
    write_list_sheet(
        book,
        "招商清单",
        block,
        ITEM_COLUMNS,
        groups,
        cell_fill=lambda row, col: (
            GRADE_FILL.get(str(row.get("grade"))) if col.header == "推荐度" else None
        ),
    )
    if nearby:
        nearby_block = TitleBlock(
            f"{data['chain']}产业链省内协同配套企业（{data.get('region') or '全省'}以外的省内企业）",
            chain=block.chain,
            region=block.region,
            day=block.day,
            graph_version=block.graph_version,
            sources=block.sources,
            demo_rows=sum(bool(i.get("demo")) for i in nearby),
            notes=("以下为省内其他地区已有的企业，可就近配套协作，不作为本地招商对象。",),
        )
        write_list_sheet(book, "省内协同配套", nearby_block, NEARBY_COLUMNS, nearby)
    if data.get("excluded"):
        excluded_block = TitleBlock(
            "已有签约及以后阶段项目、不再列入的企业",
            chain=block.chain,
            region=block.region,
            day=block.day,
            graph_version=block.graph_version,
            sources=block.sources,
        )
        write_list_sheet(book, "已排除", excluded_block, EXCLUDED_COLUMNS, data["excluded"])
    return book_bytes(book)


def _with_defaults(item: Mapping[str, Any]) -> dict[str, Any]:
    """Older answers (or hand-made ones) may lack the 0–100 score, grade and links."""
    out = dict(item)
    if out.get("score_100") is None and out.get("score") is not None:
        out["score_100"] = round(float(out["score"]) * 100)
    out.setdefault("fills", [out.get("link")])
    out.setdefault("listed_under", out.get("link_id"))
    return out


def _groups(targets: Iterable[Mapping[str, Any]], items: list[dict[str, Any]]) -> Iterable[Group]:
    """One group per target link, in the list's order; a firm only under its first link."""
    seen: dict[str, str] = {}  # enterprise id → the link it is listed under
    for n, target in enumerate(targets, 1):
        link_id = target["link_id"]
        mine = [i for i in items if i.get("link_id") == link_id]
        rows: list[dict[str, Any]] = []
        elsewhere: list[str] = []
        for item in mine:
            first = seen.setdefault(str(item.get("enterprise_id") or item["enterprise"]), link_id)
            if first == link_id:
                rows.append({**item, "rank": len(rows) + 1})
            else:
                elsewhere.append(item["enterprise"])
        number = NUMERALS[n - 1] if n <= len(NUMERALS) else str(n)
        key = "，关键环节" if target.get("key") else ""
        heading = (
            f"{number}、{target['link']}（{target['status_zh']}{key}，"
            f"{target.get('stage') or '链位未填'}）：候选企业{target['candidates']}家"
        )
        if rows:
            heading += f"，列出{len(rows)}家"
        if elsewhere:
            heading += f"；另有{'、'.join(elsewhere)}已列于上文"
        note = ""
        if target.get("restriction"):
            note = f"不列招商对象：{target['restriction']}"
        elif not rows and not elsewhere:
            note = "暂无省外候选企业，请补充企业名录。"
        yield Group(
            heading,
            rows,
            fill=STATUS_FILL.get(str(target.get("status"))),
            empty_note=note,
            extra={"link_id": link_id},
        )


def _legend(data: Mapping[str, Any]) -> list[str]:
    grades = data.get("grades") or DEFAULT_GRADES
    lines = [
        "说明：目标环节按断链、缺链、弱链排序，同类中本地已有下游配套多者、关键环节在前。",
        "评分（0–100）＝规模、企业地位、已有本地合作、来源地区四项加权；推荐度："
        + "；".join(f"{k} {v}" for k, v in grades.items())
        + "。",
        "同一企业可填补多个目标环节（如上级环节及其细分环节）时只列一次，“可填补环节”列出全部。",
    ]
    if data.get("notice"):
        lines.append(str(data["notice"]))
    return lines
