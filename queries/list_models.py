"""The typed answers of the five lists (五清单) and of their two working views (调度, 销号).

A list row has exactly its template sheet's columns, in the template's order, then `source`
(数据来源): the JSON field names are the column keys of `loaders.sheets`, so an exported list
is a sheet `chainkg load` reads back. tests/queries/test_lists.py checks each row model's
fields against `queries.lists.LISTS`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from queries.answers import Answer, Number

__all__ = [
    "ClosingGroup",
    "ClosingItem",
    "ClosingView",
    "ClusterItem",
    "DispatchGroup",
    "DispatchItem",
    "DispatchTotals",
    "DispatchView",
    "EnterpriseItem",
    "LinkState",
    "ListAnswer",
    "ListItem",
    "PolicyItem",
    "ProblemItem",
    "ProjectItem",
    "StageFigure",
    "Unchanged",
]

Source = Annotated[str | None, Field(description="数据来源（行中填写的来源，不含文件#表名）")]


# ---- rows, one model per template sheet -------------------------------------------------------


class EnterpriseItem(Answer):
    """企业清单的一行。"""

    name: str = Field(description="企业名称")
    credit_code: str | None = Field(description="统一社会信用代码")
    aliases: list[str] = Field(description="别名")
    chain: list[str] = Field(description="所属产业链（名称）")
    links: list[str] = Field(description="所属环节（名称）")
    local: bool = Field(description="是否省内")
    region: str | None = Field(description="所在地区（省内地区省略省名）")
    park: str | None = Field(description="所在园区")
    revenue: Number | None = Field(description="营业收入（亿元）")
    tags: list[str] = Field(description="企业标签")
    products: list[str] = Field(description="主要产品")
    customers: list[str] = Field(description="供应对象（企业名称）")
    investees: list[str] = Field(description="投资对象（企业名称）")
    link_figures: list[str] = Field(description="分环节营收，如 电解液:15% 或 正极材料:120")
    source: Source


class ProjectItem(Answer):
    """项目清单的一行。"""

    name: str = Field(description="项目名称")
    investor: str | None = Field(description="投资主体（企业名称）")
    chain: str | None = Field(description="所属产业链（名称）")
    links: list[str] = Field(description="所属环节（名称）")
    amount: Number | None = Field(description="总投资（亿元）")
    stage: str | None = Field(description="项目阶段（按填写的原文）")
    region: str | None = Field(description="所在地区（省内地区省略省名）")
    park: str | None = Field(description="所在园区")
    is_5020: bool | None = Field(description="是否5020项目")
    year: int | None = Field(description="年份")
    source: Source


class ClusterItem(Answer):
    """集群清单的一行。"""

    name: str = Field(description="集群名称")
    level: str | None = Field(description="级别")
    chain: str | None = Field(description="所属产业链（名称）")
    region: str | None = Field(description="所在地区（省内地区省略省名）")
    revenue: Number | None = Field(description="营业收入（亿元）")
    leaders: list[str] = Field(description="龙头企业（名称）")
    members: list[str] = Field(description="成员企业（名称）")
    source: Source


class PolicyItem(Answer):
    """政策清单的一行。"""

    name: str = Field(description="政策名称")
    doc_number: str | None = Field(description="文号")
    issuer: str | None = Field(description="发布单位")
    date: str | None = Field(description="发布日期（按填写的原文）")
    chains: list[str] = Field(description="支持产业链（名称）")
    links: list[str] = Field(description="支持环节（名称）")
    summary: str | None = Field(description="政策要点")
    source: Source


class ProblemItem(Answer):
    """问题清单的一行。"""

    description: str = Field(description="问题描述")
    type: str | None = Field(description="问题类型")
    chain: str | None = Field(description="所属产业链（名称）")
    links: list[str] = Field(description="涉及环节（名称）")
    enterprises: list[str] = Field(description="涉及企业（名称）")
    status: str | None = Field(description="状态")
    owner: str | None = Field(description="责任单位")
    source: Source


ListItem = EnterpriseItem | ProjectItem | ClusterItem | PolicyItem | ProblemItem
# The rows of one list (all of one sheet); named here, as `list` is a field of ListAnswer.
ListRows = list[ListItem]


class ListAnswer(Answer):
    """一张清单的一页（或导出时的全部行）。"""

    list: str = Field(description="清单键：enterprises、projects、clusters、policies、problems")
    sheet: str = Field(description="清单的模板表名，如 企业清单")
    total: int = Field(description="符合条件的行数")
    demo_rows: int = Field(description="其中标为示例数据的行数")
    page: int = Field(description="页码（从 1 起）")
    size: int = Field(description="每页行数（导出时为全部行数）")
    items: ListRows = Field(description="本页各行，列与模板一致")


# ---- 调度 view ----------------------------------------------------------------------------------


class Unchanged(Answer):
    """项目自某一版本以来阶段未变。"""

    since_version: int = Field(description="阶段自哪一版本起未变")
    since: str = Field(description="该版本的导入日期（YYYY-MM-DD）")
    versions: int = Field(description="其后经历的版本数")


class DispatchItem(ProjectItem):
    """调度视图中的项目：项目清单的一行，加阶段未变标记。"""

    unchanged: Unchanged | None = Field(description="阶段未变（无历史记录或投产、达产时为空）")


class StageFigure(Answer):
    count: int = Field(description="项目个数")
    amount: float = Field(description="总投资（亿元）")


class DispatchTotals(Answer):
    """一组项目（或全部项目）的合计。"""

    count: int = Field(description="项目个数")
    amount: Number = Field(description="总投资（亿元）")
    is_5020: int = Field(description="5020项目个数")
    unchanged: int = Field(description="阶段未变的项目个数")
    by_stage: dict[str, StageFigure] = Field(description="各阶段的个数与总投资（达产计入投产）")


class DispatchGroup(Answer):
    """按产业链或设区市分的一组项目。"""

    name: str = Field(description="产业链或设区市名称（未填时为 未填产业链 / 未填地区）")
    count: int = Field(description="项目个数")
    amount: Number = Field(description="总投资（亿元）")
    is_5020: int = Field(description="5020项目个数")
    unchanged: int = Field(description="阶段未变的项目个数")
    by_stage: dict[str, StageFigure] = Field(description="各阶段的个数与总投资（达产计入投产）")
    items: list[DispatchItem] = Field(description="组内项目")


class DispatchView(Answer):
    """项目清单的调度视图。"""

    group_by: str = Field(description="分组方式：chain（产业链）或 city（设区市）")
    group_zh: str = Field(description="分组方式的中文名")
    stages: list[str] = Field(description="阶段列的顺序")
    history_version: int | None = Field(description="阶段历史记录到的最新版本（无记录时为空）")
    total: DispatchTotals = Field(description="全部项目的合计")
    groups: list[DispatchGroup] = Field(description="各组，总投资大者在前")


# ---- 销号 view ----------------------------------------------------------------------------------


class LinkState(Answer):
    """问题涉及的环节及其在全省的状态。"""

    name: str = Field(description="环节名称")
    status: str | None = Field(
        description="环节状态：strong、weak、missing、broken（找不到时为空）"
    )
    status_zh: str | None = Field(description="环节状态中文：强链、弱链、缺链、断链")


class ClosingItem(ProblemItem):
    """销号视图中的问题：问题清单的一行，加所涉环节的状态。"""

    link_status: list[LinkState] = Field(description="所涉环节及其状态")


class ClosingGroup(Answer):
    type: str = Field(description="问题类型（未填时为 未分类）")
    owner: str = Field(description="责任单位（未填时为 未明确）")
    items: list[ClosingItem] = Field(description="该类型、该责任单位的未销号问题")


class ClosingView(Answer):
    """问题清单的销号视图：未销号问题按类型与责任单位。"""

    total: int = Field(description="未销号问题数")
    groups: list[ClosingGroup] = Field(description="各组，按问题类型的模板顺序，再按责任单位")
