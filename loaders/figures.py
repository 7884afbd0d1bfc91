"""Figures and targets in policy text: 2022年全省电子信息产业营业收入达10269亿元 becomes
{subject: 电子信息, metric: 营业收入, value: 10269 (亿元), year: 2022, kind: actual}.

Rules, not a model: an amount (万亿元 / 亿元 / 万元) or a count (家 / 户 / 个 / 项) is a
figure; the metric comes from the words around it; the subject is the nearest graph node
named before it in the same sentence (else the province); a year stated before it in the
sentence (or just before the sentence) dates it; goal words make it a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.mentions import Mention, Sentence

_AMOUNT = re.compile(
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>万亿|亿|万|千)?\s*(?P<unit>元|家|户|个|项)"
)
_MONEY_FACTORS = {"万亿": 10000.0, "亿": 1.0, "万": 1e-4, "千": 1e-5, "": 1e-8}
_COUNT_FACTORS = {"万": 10000.0, "千": 1000.0, "": 1.0, "亿": 1e8, "万亿": 1e12}
# A year that dates what follows; not a base of comparison (较2018年, 比2018年, 2018年的3倍)
# nor a starting point (自2019年).
_YEAR = re.compile(r"(?<![较比于自从])(20\d{2})\s*年(?!的|以来)")
_TARGET = re.compile(
    r"力争|目标|确保|有望|争取|预计|拟|到\s*20\d{2}\s*年|(?<!行动)(?<!发展)计划(?![》”」(（])"
)
_CHANGE = re.compile(r"(净增|新增|增加|增长|减少|提高|下降|增|减)[了约近超过达]*$")
_CLAUSE_START = re.compile(r"[，,、：:（(]")
_MONEY_METRICS = (
    ("营业收入", ("营业收入", "主营业务收入", "营收", "收入", "规模")),
    ("增加值", ("增加值",)),
    ("产值", ("产值",)),
    ("招商引资", ("招商引资",)),
    ("投资", ("总投资", "投资额", "投资")),
)
_COUNT_METRICS = (
    ("园区数", ("开发区", "经开区", "高新区", "园区", "新区")),
    ("集群数", ("集群",)),
    ("项目数", ("项目",)),
    ("企业数", ("企业", "公司", "户")),
)
SUBJECT_LABELS = ("Industry", "Chain", "Park", "Enterprise", "Cluster", "Region")


@dataclass(frozen=True)
class FigureFound:
    metric: str
    value: float
    unit: str
    year: int | None
    kind: str  # "actual" or "target"
    subjects: tuple[Mention, ...]  # empty: the province as a whole
    sentence: str


def extract_figures(
    sents: list[Sentence], mentions: list[Mention], default_year: int | None = None
) -> list[FigureFound]:
    """Every absolute figure of the text (not percentages, ranks or multiples)."""
    found: list[FigureFound] = []
    year = default_year
    for sentence in sents:
        inside = [
            m for m in mentions if sentence.start <= m.start < sentence.start + len(sentence.text)
        ]
        for match in _AMOUNT.finditer(sentence.text):
            figure = _figure(sentence, match, inside, year)
            if figure is not None:
                found.append(figure)
        years = _YEAR.findall(sentence.text)
        if years:
            year = int(years[-1])
    return found


def _figure(
    sentence: Sentence, match: re.Match[str], mentions: list[Mention], year: int | None
) -> FigureFound | None:
    text = sentence.text
    before = text[: match.start()]
    if _CHANGE.search(before[-6:]):  # a change (净增4000家), not a level
        return None
    unit = match.group("unit")
    mult = match.group("mult") or ""
    number = float(match.group("num"))
    if unit == "元":
        if not mult:
            return None
        value, unit_name, metric = number * _MONEY_FACTORS[mult], "亿元", _money_metric(before)
    else:
        value, unit_name = number * _COUNT_FACTORS[mult], "家" if unit in "家户" else "个"
        metric = _count_metric(text[match.end() : match.end() + 12], _clause(before))
    years = _YEAR.findall(before)
    return FigureFound(
        metric=metric,
        value=round(value, 4),
        unit=unit_name,
        year=int(years[-1]) if years else year,
        kind="target" if _TARGET.search(before) else "actual",
        subjects=_subjects(sentence, match, mentions),
        sentence=text,
    )


def _clause(before: str) -> str:
    starts = [m.end() for m in _CLAUSE_START.finditer(before)]
    return before[starts[-1] :] if starts else before


def _money_metric(before: str) -> str:
    clause = before[-30:]
    best, where = "其他", -1
    for metric, words in _MONEY_METRICS:
        for word in words:
            at = clause.rfind(word)
            if at > where:
                best, where = metric, at
    return best


def _count_metric(after: str, clause: str) -> str:
    for text in (after, clause):
        for metric, words in _COUNT_METRICS:
            if any(w in text for w in words):
                return metric
    return "其他"


def _subjects(
    sentence: Sentence, match: re.Match[str], mentions: list[Mention]
) -> tuple[Mention, ...]:
    """The nearest node named before the figure in its sentence: an industry, chain, park,
    cluster or enterprise before a place (赣锋锂业在新余投资… is about 赣锋锂业); an industry
    and a chain of one name are both meant. None means the province as a whole."""
    cut = sentence.start + match.start()
    before = [m for m in mentions if m.end <= cut and m.label in SUBJECT_LABELS]
    preferred = [m for m in before if m.label != "Region"] or before
    if not preferred:
        return ()
    last = max(m.start for m in preferred)
    return tuple(m for m in preferred if m.start == last)
