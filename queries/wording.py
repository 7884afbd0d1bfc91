"""The Chinese words and number forms the analyses' reasons are written in."""

from __future__ import annotations

from graph_schema.definitions import ENTERPRISE_TAGS

DEMO_SOURCE = "示例数据"  # the 数据来源 label of invented or unverified rows
DEMO_NOTICE = (
    "本结果引用了{n}条标注为“示例数据”的记录（演示用的虚构或未经核实的数字，"
    "企业名称可能为真实企业），仅供演示，不得作为招商决策依据。"
)
STATUS_ZH = {"strong": "强链", "weak": "弱链", "missing": "缺链", "broken": "断链"}


def tag_text(tags: frozenset[str]) -> str:
    """Tags in the template's order (链主 first), joined the Chinese way."""
    rank = {tag: i for i, tag in enumerate(ENTERPRISE_TAGS)}
    return "、".join(sorted(tags, key=lambda t: (rank.get(t, len(rank)), t)))


def fmt_yi(value: float) -> str:
    """亿元 figures as people write them: 1,234 / 56.5 / 0.35.

    >>> fmt_yi(1234.0), fmt_yi(56.5), fmt_yi(0.35), fmt_yi(10)
    ('1,234', '56.5', '0.35', '10')
    """
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{round(value, 2):g}"


def place_text(region: str | None) -> str | None:
    """A stored place path as people write it: 广东省/深圳市 → 广东省深圳市."""
    return region.replace("/", "") if region else region


def share_text(share: float) -> str:
    """A share as officers write it: under 1 % is "不足1%", never "0%".

    >>> share_text(0.004), share_text(0.0), share_text(0.35), share_text(1.0)
    ('不足1%', '0%', '35%', '100%')
    """
    if 0 < share < 0.01:
        return "不足1%"
    return f"{share:.0%}"


def demo_notice(rows: int) -> str | None:
    """The notice a page or export shows when `rows` of its records are 示例数据."""
    return DEMO_NOTICE.format(n=rows) if rows else None
