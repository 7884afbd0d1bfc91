"""The Chinese words and number forms the analyses' reasons are written in."""

from __future__ import annotations

from graph_schema.definitions import ENTERPRISE_TAGS

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
