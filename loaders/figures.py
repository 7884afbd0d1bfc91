"""Figures and targets in policy text: 2022年全省电子信息产业营业收入达10269亿元 becomes
{subject: 电子信息, metric: 营业收入, value: 10269 (亿元), year: 2022, kind: actual}.

Rules, not a model:
- an amount (万亿元 / 亿元 / 万元, in digits or in Chinese numerals such as 五千亿元) or a
  count (家 / 户 / 个 / 项) is a figure; a threshold (过千亿元) is not, a range counts by its
  lower bound;
- the metric comes from the words around it;
- the subject is the nearest graph node named before it in its sentence (an industry,
  chain, park, cluster or enterprise before a place), else the province; subjects listed
  together (航空、半导体照明产业…) share the figure, and 分别 pairs them in order;
- the year is the one stated before it in its sentence, else the year of a one-year plan;
- goal words make it a target; in a plan (工作要点, 行动方案 …) every figure is a target
  unless the sentence describes what already is (目前, 已, 共有 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from loaders.mentions import Mention, Sentence

_DIGITS = (
    r"(?<![\d.])(?P<num>\d+(?:\.\d+)?)(?:\s*[-~－～至到]\s*\d+(?:\.\d+)?)?\s*(?:多|余)?\s*"
    r"(?P<mult>万亿|亿|万|千)?\s*(?:多|余)?\s*(?P<unit>元|家|户|个|项)"
)
_CHINESE = r"(?<![过超逾])(?P<cn>[一二两三四五六七八九十]?[十百千]?万?亿)元"
_AMOUNT = re.compile(f"{_DIGITS}|{_CHINESE}")
# 1亿元以上项目, 50亿元或100亿元以上企业: a class of things, not an amount of anything.
_THRESHOLD = re.compile(
    r"(?:(?:或|、|和|至|到|-)?\s*[\d.]+\s*(?:万亿|亿|万)?元)?\s*(?:及)?(?:以上|以下|级|规模)?\s*的?"
    r"(?:企业|项目|工业项目|产业项目|园区|开发区|集群|产业集群|产业|龙头|大项目)"
    # 50亿元以上单体产业项目; 1家50亿元或3~5家10亿以上企业
    r"|(?:以上|以下)[\u4e00-\u9fa5]{1,4}?(?:项目|企业)|或[^，,。；;]{1,12}?以上(?:企业|项目)"
)
_INTENSITY = re.compile(r"亩均|每亩|人均|单位")
_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_MONEY_FACTORS = {"万亿": 10000.0, "亿": 1.0, "万": 1e-4, "千": 1e-5, "": 1e-8}
_COUNT_FACTORS = {"万": 10000.0, "千": 1000.0, "": 1.0, "亿": 1e8, "万亿": 1e12}
# A year that dates what follows; not a base of comparison (较2018年, 比2018年, 2018年的3倍)
# nor a starting point (自2019年).
_YEAR = re.compile(r"(?<![较比于自从])(20\d{2})\s*年(?!的|以来)")
_RELATIVE = {"今年": 0, "本年": 0, "明年": 1, "去年": -1, "上年": -1, "上一年": -1, "前年": -2}
_ANY_YEAR = re.compile(
    r"(?<![较比于自从同])(?:(20\d{2})\s*年(?!的|以来)|(今年|本年|明年|去年|上一年|上年|前年)(?!度以来))"
)
_TARGET = re.compile(
    r"力争|目标|确保|争取|拟|每年|到\s*20\d{2}\s*年|(?<!行动)(?<!发展)计划(?![》”」(（])"
)
_ACHIEVED = re.compile(r"获批|获得|完成|(?<![为除])了|已经|已")
_CUMULATIVE = re.compile(r"累计")
# A registered company name opening the clause (江西某某科技有限公司…项目总投资12亿元).
_FIRM = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团)"
)
_PERIOD = re.compile(
    r"(?:第?[一二三四1-4]|前三)季度|[上下]半年|1\s*[-—~至到]\s*1?\d\s*月|1?\d\s*月份"
)
_CURRENT = re.compile(r"目前|现有|已经|已|共有|拥有|成为|截至|是")
_PLAN_TITLE = re.compile(r"要点|方案|计划|规划|意见|措施")
_LIST_GAP = re.compile(r"^\s*(?:、|和|及|与|以及|产业、|产业和)\s*$")
_MONEY_METRICS = (
    ("营业收入", ("营业收入", "主营业务收入", "营收", "收入", "规模")),
    ("增加值", ("增加值",)),
    ("产值", ("产值",)),
    ("招商引资", ("招商引资",)),
    ("投资", ("总投资", "投资额", "投资")),
)
_COUNT_METRICS = (
    ("园区数", ("开发区", "经开区", "高新区", "园区", "新区", "保税区", "产业园", "工业园")),
    ("集群数", ("集群",)),
    ("项目数", ("项目",)),
    ("企业数", ("企业", "公司", "户")),
)
_PHRASE_END = re.compile(r"[，,。；;（(、]|的|在|和|与|及|等|为|是")
_OTHER_HEADS = (
    "中心",
    "机构",
    "实验室",
    "平台",
    "基地",
    "基站",
    "站",
    "用户",
    "示范",
    "试验区",
    "研究院",
)
SUBJECT_LABELS = ("Industry", "Chain", "Park", "Enterprise", "Project", "Cluster", "Region")


@dataclass(frozen=True)
class DocumentContext:
    """What the whole document says about its figures: a plan's year, whether it is a plan,
    the year 今年 means (`base`), the region it speaks for (`scope`, a Region id) and the
    prefix of the ids of the province's regions (a figure's region is one of them)."""

    year: int | None
    plan: bool
    base: int | None = None
    scope: str | None = None
    local_prefix: str = "region:"

    @classmethod
    def of(
        cls,
        title: str,
        base: int | None = None,
        scope: str | None = None,
        local_prefix: str = "region:",
    ) -> DocumentContext:
        years = set(_YEAR.findall(title))
        one_year = int(years.pop()) if len(years) == 1 and "~" not in title else None
        return cls(one_year, bool(_PLAN_TITLE.search(title)), base, scope, local_prefix)


@dataclass(frozen=True)
class FigureFound:
    metric: str
    value: float
    unit: str
    year: int | None
    kind: str  # "actual" or "target"
    subjects: tuple[Mention, ...]  # empty: the region as a whole
    sentence: str
    region: str | None = None  # the Region id the figure is stated for
    period: str | None = None  # part of the year (一季度, 上半年, 1-5月); None: the year
    firm: str | None = None  # a registered company name the graph does not hold, as written
    projects: tuple[Mention, ...] = ()  # the project an enterprise's amount is about


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    value: float
    unit: str  # 亿元, 家 or 个
    money: bool
    level: bool = False  # 万亿级…: the subject named right after the amount
    scale: bool = False  # written in Chinese numerals (千亿, 万亿元级): a level of scale


def extract_figures(
    sents: list[Sentence], mentions: list[Mention], context: DocumentContext
) -> list[FigureFound]:
    """Every absolute figure of the text (not percentages, ranks or multiples)."""
    found: dict[tuple[object, ...], FigureFound] = {}
    year, paragraph = context.year, -1
    for sentence in sents:
        if sentence.paragraph != paragraph:  # a year stated in a paragraph dates the rest of it
            year, paragraph = context.year, sentence.paragraph
        end = sentence.start + len(sentence.text)
        inside = [m for m in mentions if sentence.start <= m.start < end]
        amounts = list(_amounts(sentence.text))
        paired = _respectively(sentence, amounts, inside)
        for n, amount in enumerate(amounts):
            if paired:
                subjects = paired[n]
            else:  # a list of subjects shares a figure only when it is the only one
                subjects = _subjects(sentence, amount, inside)[-1 if len(amounts) > 1 else 0 :]
            places = _enumerated_places(sentence, amount, subjects)
            for group in [()] if places else subjects or [()]:
                figure = _figure(sentence, amount, _firm_first(group, inside), context, year)
                figure = _placed(figure, sentence, amount, inside, context, places)
                key = (tuple(m.node_id for m in figure.subjects), *_fields(figure))
                if not amount.money:  # equal counts of different things are different facts
                    after = sentence.text[amount.end : amount.end + 6]
                    before = sentence.text[max(0, amount.start - 4) : amount.start]
                    key = (*key, before, _PHRASE_END.split(after, maxsplit=1)[0])
                found.setdefault(key, figure)  # an amount the text repeats is one fact
        stated = years_in(sentence.text, context.base)
        if stated:
            year = stated[-1]
    return _without_restatements(list(found.values()))


def _without_restatements(figures: list[FigureFound]) -> list[FigureFound]:
    """A goal a plan restates later without its year (每年签约项目1000个 after 到2025年…
    每年签约项目1000个) is the same goal, once."""
    dated = {
        (tuple(m.node_id for m in f.subjects), f.metric, f.value, f.unit, f.kind)
        for f in figures
        if f.year is not None
    }
    return [
        f
        for f in figures
        if f.year is not None
        or (tuple(m.node_id for m in f.subjects), f.metric, f.value, f.unit, f.kind) not in dated
    ]


def years_in(text: str, base: int | None) -> list[int]:
    """The years a text states, in order; 今年 / 明年 / 上年 read against `base`.

    >>> years_in("2025年实现营收，力争明年突破，较上年增长", 2026)
    [2025, 2027]
    >>> years_in("今年新签约项目", None)
    []
    """
    out = []
    for match in _ANY_YEAR.finditer(text):
        if match.group(1):
            out.append(int(match.group(1)))
        elif base is not None:
            out.append(base + _RELATIVE[match.group(2)])
    return out


def _enumerated_places(
    sentence: Sentence, amount: _Amount, subjects: list[tuple[Mention, ...]]
) -> bool:
    """南昌、九江、赣州4个综合保税区: a count over listed places is the region's total."""
    if amount.money or not subjects or any(g[0].label != "Region" for g in subjects):
        return False
    last = subjects[-1][0].start - sentence.start
    return last > 0 and sentence.text[last - 1] == "、"


def _unknown_firm(figure: FigureFound, sentence: Sentence, amount: _Amount) -> re.Match[str] | None:
    """A registered company name opening the figure's clause that names no known node
    (江西示例储能科技有限公司: 江西 inside it is not the province speaking)."""
    opening = _FIRM.match(sentence.text, _clause_start(sentence.text[: amount.start]))
    if opening is None:
        return None
    inside = range(sentence.start + opening.start(), sentence.start + opening.end())
    known = [m for m in figure.subjects if not (m.label == "Region" and m.start in inside)]
    return None if known else opening


def _firm_first(group: tuple[Mention, ...], inside: list[Mention]) -> tuple[Mention, ...]:
    """A project's amount is about the enterprise named right before the project (孚能科技
    （赣州）有限公司动力电池扩建项目总投资60亿元): the firm is the subject."""
    if len(group) != 1 or group[0].label != "Project":
        return group
    firm = [m for m in inside if m.label == "Enterprise" and 0 <= group[0].start - m.end <= 2]
    return (firm[-1],) if firm else group


def _placed(
    figure: FigureFound,
    sentence: Sentence,
    amount: _Amount,
    inside: list[Mention],
    context: DocumentContext,
    enumerated: bool = False,
) -> FigureFound:
    """The figure with its region (the province's region named nearest before it in its
    sentence, 全市 included, else the document's scope) and its project; a figure with no
    other subject is the region's."""
    cut = sentence.start + amount.start
    clause = sentence.start + _clause_start(sentence.text[: amount.start])
    places = [
        m
        for m in inside
        if m.label == "Region"
        and clause <= m.start
        and m.end <= cut
        and m.node_id.startswith(context.local_prefix)
        and not enumerated
    ]
    subject_regions = [m for m in figure.subjects if m.label == "Region"]
    if subject_regions:
        region: str | None = subject_regions[-1].node_id
    else:
        region = places[-1].node_id if places else context.scope
    subjects = figure.subjects
    firm = _unknown_firm(figure, sentence, amount) if amount.money else None
    if firm is not None:  # an amount of a firm the graph does not know yet
        outside = [m for m in places if m.start >= sentence.start + firm.end()]
        region = outside[-1].node_id if outside else context.scope
        return replace(figure, subjects=(), region=region, firm=firm.group())
    if not subjects and region is not None:
        subjects = (Mention(cut, cut, region, "Region"),)
    projects = tuple(
        m
        for m in inside
        if m.label == "Project"
        and m.end <= cut
        and any(s.label == "Enterprise" and 0 <= m.start - s.end <= 2 for s in subjects)
    )
    if figure.metric != "投资":
        projects = ()
    return replace(figure, subjects=subjects, region=region, projects=projects[-1:])


def _fields(figure: FigureFound) -> tuple[object, ...]:
    return (figure.metric, figure.value, figure.unit, figure.year, figure.kind)


def _amounts(text: str) -> list[_Amount]:
    out = []
    for match in _AMOUNT.finditer(text):
        clause = text[_clause_start(text[: match.start()]) : match.start()]
        if _INTENSITY.search(text[max(0, match.start() - 12) : match.start()] + clause):
            continue
        if (match.group("unit") == "元" or match.group("cn")) and _THRESHOLD.match(
            text, match.end()
        ):
            continue
        if match.group("cn"):
            value = _chinese_number(match.group("cn")[:-1])
            if value:
                level = match.group().endswith("级")
                out.append(_Amount(match.start(), match.end(), value, "亿元", True, level, True))
            continue
        unit, mult = match.group("unit"), match.group("mult") or ""
        number = float(match.group("num"))
        if unit == "元":
            if mult:
                value = number * _MONEY_FACTORS[mult]
                out.append(_Amount(match.start(), match.end(), value, "亿元", True))
        else:
            name = "家" if unit in "家户" else "个"
            out.append(
                _Amount(match.start(), match.end(), number * _COUNT_FACTORS[mult], name, False)
            )
    return out


def _chinese_number(text: str) -> float:
    """亿 amounts in Chinese numerals: 千亿 → 1000, 五千亿 → 5000, 万亿 → 10000.

    >>> _chinese_number("五千"), _chinese_number("千"), _chinese_number("万"), _chinese_number("")
    (5000, 1000, 10000, 0)
    """
    total, digit = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
    return total + digit


def _figure(
    sentence: Sentence,
    amount: _Amount,
    subjects: tuple[Mention, ...],
    context: DocumentContext,
    year: int | None,
) -> FigureFound:
    before = sentence.text[: amount.start]
    years = years_in(before, context.base)
    if amount.money:
        metric = _money_metric(before)
        if metric == "其他":  # 3000亿元投资: the metric named right after the amount
            metric = _money_metric(sentence.text[amount.end : amount.end + 3])
        if metric == "其他" and amount.scale:
            metric = "营业收入"  # 万亿元级, 五千亿元级: the scale of an industry
    else:
        after = sentence.text[amount.end : amount.end + 24]
        metric = _count_metric(after, _clause(before), before)
    stated = years[-1] if years else year
    periods = _PERIOD.findall(before[_clause_start(before) :]) or _PERIOD.findall(before)
    if _CUMULATIVE.search(before[_clause_start(before) :]) and not years:
        stated = None
    return FigureFound(
        metric=metric,
        value=round(amount.value, 4),
        unit=amount.unit,
        year=stated,
        kind=_kind(before, context, stated),
        subjects=subjects,
        sentence=sentence.text,
        period=re.sub(r"\s+", "", periods[-1]) if periods else None,
    )


def _kind(before: str, context: DocumentContext, year: int | None = None) -> str:
    """Goal words before the figure make it a target, unless its own clause reports what
    was achieved (争取国家支持，获批经费9.76亿元 is actual); so does a year after the
    document's own (突破2000亿元 in 2027, said in 2026), and a year before it is what was
    (2025年实现营业收入65亿元, in a plan of 2026)."""
    if _ACHIEVED.search(before[_clause_start(before) :]):
        return "actual"
    if _TARGET.search(before):
        return "target"
    if year is not None and context.base is not None and year != context.base:
        return "target" if year > context.base else "actual"  # what was, in a plan too
    if context.plan and not _CURRENT.search(before):
        return "target"
    return "actual"


def _clause_start(before: str) -> int:
    """Where the clause holding the figure begins (commas and semicolons part clauses)."""
    starts = [m.end() for m in re.finditer(r"[，,；;：:。]", before)]
    return starts[-1] if starts else 0


def _clause(before: str) -> str:
    starts = [m.end() for m in re.finditer(r"[，,、：:（(；]", before)]
    return before[starts[-1] :] if starts else before


def _money_metric(before: str) -> str:
    """The metric word nearest before the amount (within the last 30 characters, else
    anywhere before it in the sentence: 分别实现营业收入4000亿元、…、630亿元)."""
    for window in (before[-30:], before):
        best, where = "其他", -1
        for metric, words in _MONEY_METRICS:
            for word in words:
                at = window.rfind(word)
                if at > where:
                    best, where = metric, at
        if where >= 0:
            return best
    return "其他"


def _count_metric(after: str, clause: str, sentence_before: str) -> str:
    """What is counted: the head of the noun phrase after the count (its last keyword:
    国家企业技术中心 counts centres, not firms), else the word nearest before it."""
    phrase = _PHRASE_END.split(after, maxsplit=1)[0]
    head = _last_keyword(phrase)
    if head is not None:
        return head
    if len(_QUALIFIERS.sub("", phrase)) >= 4:  # a noun phrase naming something else
        return "其他"
    for text in (clause, sentence_before):
        head = _last_keyword(text)
        if head is not None:
            return head
    return "其他"


_QUALIFIERS = re.compile(r"^(?:以上|以下|左右|多|余|上下)|[“”\"‘’]")


def _last_keyword(text: str) -> str | None:
    best, where = None, -1
    for metric, words in (*_COUNT_METRICS, ("其他", _OTHER_HEADS)):
        for word in words:
            at = text.rfind(word)
            if at >= 0 and at + len(word) > where:
                best, where = metric, at + len(word)
    return best


def _counts_firms(sentence: Sentence, amount: _Amount) -> bool:
    """A count of firms or projects (规上企业达到86家, 配套项目10个) belongs to the industry
    the sentence is about."""
    clause = _clause(sentence.text[: amount.start])
    return (amount.unit == "家" and "企业" in clause) or (
        amount.unit == "个" and clause.endswith("项目")
    )


def _groups(mentions: list[Mention]) -> list[tuple[Mention, ...]]:
    """Subject mentions grouped by position (an industry and a chain of one name go together)."""
    by_start: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.label in SUBJECT_LABELS:
            by_start.setdefault(m.start, []).append(m)
    return [tuple(by_start[s]) for s in sorted(by_start)]


def _subjects(
    sentence: Sentence, amount: _Amount, mentions: list[Mention]
) -> list[tuple[Mention, ...]]:
    """The nearest node named before the figure, with any listed together with it (a
    project only for an amount of money: 配套项目10个 counts projects, not that one)."""
    mentions = [m for m in mentions if amount.money or m.label != "Project"]
    cut = sentence.start + amount.start
    if amount.level:
        following = [
            g for g in _groups(mentions) if 0 <= g[0].start - (sentence.start + amount.end) <= 2
        ]
        if following:
            return following[:1]
    clause_start = sentence.start + _clause_start(sentence.text[: amount.start])
    before = [g for g in _groups(mentions) if g[0].end <= cut]
    groups = [g for g in before if clause_start <= g[0].start]
    preferred = [g for g in groups if g[0].label != "Region"] or groups
    if not preferred and (amount.money or _counts_firms(sentence, amount)):
        # 装备制造业…，2022年营业收入7496.1亿元; 宜春锂电新能源产业…，规上企业达到86家
        preferred = [g for g in before if g[0].label in ("Industry", "Chain")][-1:]
    if not preferred:
        return []
    chosen = [preferred[-1]]
    for group in reversed(preferred[:-1]):
        gap = sentence.text[group[0].end - sentence.start : chosen[0][0].start - sentence.start]
        if not _LIST_GAP.match(gap):
            break
        chosen.insert(0, group)
    return chosen


def _respectively(
    sentence: Sentence, amounts: list[_Amount], mentions: list[Mention]
) -> list[list[tuple[Mention, ...]]] | None:
    """A、B、C分别…X、Y、Z: each amount after 分别 goes with the subject in the same place."""
    at = sentence.text.find("分别")
    if at < 0:
        return None
    after = [a for a in amounts if a.start > at]
    listed = _subjects(sentence, _Amount(at, at, 0.0, "", False), mentions)
    if len(listed) < 2 or len(after) != len(listed):
        return None
    pairs: list[list[tuple[Mention, ...]]] = []
    for amount in amounts:
        pairs.append(
            [listed[after.index(amount)]]
            if amount in after
            else _subjects(sentence, amount, mentions)
        )
    return pairs
