"""Chinese tables for `chainkg targets / ledger / history / alerts`."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from app.province_exports import gain_text, host_text, links_text, numbered
from queries.wording import STATUS_ZH

SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
KIND_ZH = {
    "link_worse": "环节变差",
    "anchor_gone": "链主消失",
    "anchor_left": "链主迁出",
    "anchor_revenue": "链主营收下滑",
    "project_stalled": "项目停滞",
    "projects_undated": "项目阶段待核实",
    "problem_open": "问题久未销号",
}


def print_targets(console: Console, data: dict[str, Any]) -> None:
    scope = data["region"] or "全省"
    table = Table(title=f"{scope}重点产业链精准招商目标企业清单", show_lines=True)
    for column in ("序号", "企业", "评分", "可补环节", "配套率提升", "建议承接地", "进展", "理由"):
        table.add_column(column, overflow="fold")
    for item in numbered(data):
        table.add_row(
            str(item["rank"]),
            item["enterprise"],
            f"{item['score']:.3f}",
            links_text(item),
            gain_text(item),
            host_text(item["host"]),
            item["pipeline_stage"] or "",
            "；".join(item["reasons"]),
        )
    console.print(table)
    if data["excluded"]:
        console.print(f"已有签约及以后阶段项目、不再列入的企业 {len(data['excluded'])} 家。")


def print_ledger(console: Console, data: dict[str, Any]) -> None:
    table = Table(title=f"招商台账（截至{data['today']}）", show_lines=True)
    for column in ("企业", "产业链", "最新阶段", "日期", "责任单位", "对接次数", "提示"):
        table.add_column(column, overflow="fold")
    for item in data["items"]:
        table.add_row(
            item["enterprise"],
            "、".join(item["chains"]),
            item["stage"] or "",
            item["date"] or "",
            item["owner"] or "",
            str(item["events"]),
            "；".join(item["reasons"]),
            style="bold red" if item["stale"] else None,
        )
    console.print(table)
    if data["no_contact"]:
        names = "、".join(t["enterprise"] for t in data["no_contact"][:20])
        more = f" 等{len(data['no_contact'])}家" if len(data["no_contact"]) > 20 else ""
        console.print(f"目标清单中尚无对接记录的企业：{names}{more}")


def print_history(console: Console, data: dict[str, Any]) -> None:
    scope = data["region"] or "全省"
    table = Table(title=f"{data['chain']}产业链历史（{scope}）")
    for column in ("版本", "时间", "本地配套率", "强链", "弱链", "缺链", "断链", "导入文件"):
        table.add_column(column, overflow="fold")
    for v in data["versions"]:
        c = v["counts"]
        table.add_row(
            str(v["version"]),
            v["time"],
            f"{v['local_rate'] * 100:.1f}%",
            *(str(c.get(k, 0)) for k in ("strong", "weak", "missing", "broken")),
            "、".join(v["files"]),
        )
    console.print(table)
    for change in data["changes"]:
        before = STATUS_ZH.get(change["before"] or "", "无")
        after = STATUS_ZH.get(change["after"] or "", "无")
        console.print(f"版本{change['version']}：{change['link']} {before} → {after}")
    if not data["changes"]:
        console.print("各版本之间没有环节状态变化。")


def print_alerts(console: Console, data: dict[str, Any]) -> None:
    if not data["items"]:
        console.print("没有预警。")
        return
    table = Table(title=f"预警（截至{data['today']}）", show_lines=True)
    for column in ("级别", "类别", "对象", "说明"):
        table.add_column(column, overflow="fold")
    for item in data["items"]:
        table.add_row(
            SEVERITY_ZH.get(item["severity"], item["severity"]),
            KIND_ZH.get(item["kind"], item["kind"]),
            item["subject"],
            item["message"],
            style="bold red" if item["severity"] == "high" else None,
        )
    console.print(table)
