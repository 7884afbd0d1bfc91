"""What the CLI prints for the analyses: Chinese tables an officer can read in a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from queries.answers import AnchorsOut, DiagnosisOut, RecruitOut, WhatIfOut
from queries.wording import STATUS_ZH

STATUS_STYLE = {"strong": "green", "weak": "yellow", "missing": "bright_black", "broken": "red"}


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _status(status: str) -> str:
    return STATUS_ZH.get(status, status)


def print_diagnosis(console: Console, data: DiagnosisOut) -> None:
    scope = data.region or "全省"
    table = Table(title=f"{data.chain}产业链诊断（{scope}）", show_lines=True)
    for column in ("链位", "环节", "状态", "本地企业", "在手项目", "理由"):
        table.add_column(column, overflow="fold")
    for link in data.links:
        indent = "  └ " if link.parent else ""
        pipeline = "、".join(f"{p.name}（{p.stage}）" for p in link.pipeline)
        table.add_row(
            link.stage or "",
            indent + link.name + ("★" if link.key else ""),
            _status(link.status),
            str(link.local_enterprises),
            pipeline,
            "；".join(link.reasons),
            style=STATUS_STYLE.get(link.status),
        )
    console.print(table)
    s = data.summary
    counts = s.counts
    console.print(
        f"本地配套率 {_pct(s.local_rate)}（末级环节 {s.present_leaf_links}/{s.leaf_links}）；"
        f"强链 {counts.strong}，弱链 {counts.weak}，缺链 {counts.missing}，断链 {counts.broken}。"
        "★ 为关键环节。"
    )
    if s.pipeline_projects:
        moved = "；".join(f"{c.link} {c.before_zh}→{c.after_zh}" for c in s.pipeline_changes)
        console.print(
            f"在手项目 {s.pipeline_projects} 个全部投产后，本地配套率 "
            f"{_pct(s.local_rate_with_pipeline)}" + (f"；{moved}" if moved else "") + "。"
        )
    _notice(console, data)


def print_anchors(console: Console, data: AnchorsOut) -> None:
    scope = data.region or "全省"
    table = Table(title=f"{data.chain}产业链链主指数（{scope}，共 {data.total} 家）")
    names = {
        "scale": "规模",
        "breadth": "覆盖",
        "pull": "带动",
        "centrality": "中心度",
        "standing": "身份",
    }
    for column in ("排名", "企业", "认定", "链主指数", *names.values(), "说明"):
        table.add_column(column, overflow="fold")
    for row in data.anchors:
        c = row.components
        table.add_row(
            str(row.rank),
            row.name,
            row.designation,
            f"{row.score:.3f}",
            *(f"{getattr(c, k):.2f}" for k in names),
            "；".join(row.reasons),
        )
    console.print(table)
    weights = "，".join(f"{names[k]} {w:g}" for k, w in data.weights.model_dump().items())
    console.print(f"权重：{weights}。已认定链主列在前面，其余按链主指数排为候选。")
    _notice(console, data)


def _notice(console: Console, data: DiagnosisOut | AnchorsOut | RecruitOut) -> None:
    if data.notice:
        console.print(f"注意：{data.notice}", style="bold red")


def print_recruitment(console: Console, data: RecruitOut) -> None:
    scope = data.region or "全省"
    table = Table(title=f"{data.chain}产业链补链招商目标企业清单（{scope}）", show_lines=True)
    for column in ("目标环节", "状态", "序号", "企业", "评分", "推荐度", "进展", "推荐理由"):
        table.add_column(column, overflow="fold")
    for item in data.items:
        table.add_row(
            item.link,
            _status(item.link_status),
            str(item.rank),
            item.enterprise,
            str(item.score_100),
            item.grade,
            item.pipeline_stage or "",
            "；".join(item.reasons),
            style=STATUS_STYLE.get(item.link_status),
        )
    console.print(table)
    empty = [t.link for t in data.targets if not t.candidates and not t.restriction]
    if empty:
        console.print(f"以下目标环节暂无候选企业（请补充省外企业名录）：{'、'.join(empty)}")
    closed = [t for t in data.targets if t.restriction]
    for target in closed:
        console.print(f"{target.link}：招商限制（{target.restriction}），不列招商对象。")
    if data.excluded:
        console.print(f"已有签约及以后阶段项目、不再列入的企业 {len(data.excluded)} 家次。")
    if data.nearby:
        listing = "、".join(dict.fromkeys(n.enterprise for n in data.nearby))
        console.print(f"省内协同配套（{scope}以外的省内企业，非招商对象）：{listing}")
    _notice(console, data)


def print_whatif(console: Console, data: WhatIfOut) -> None:
    console.print(data.assumption + "：")
    if data.changes:
        for change in data.changes:
            console.print(f"  {change.link}：{change.before_zh} → {change.after_zh}")
    else:
        console.print("  各环节状态不变。")
    console.print(f"本地配套率：{_pct(data.local_rate_before)} → {_pct(data.local_rate_after)}")
    for link in data.affected:
        if link.reasons_before != link.reasons_after:
            console.print(f"  {link.link}：{'；'.join(link.reasons_after)}")
