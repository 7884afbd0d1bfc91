"""Finding the graph's nodes in running text: a gazetteer of every form a name takes.

Documents rarely use registered names: 赣锋锂业 for 江西赣锋锂业集团股份有限公司, 南昌经开区
for 南昌经济技术开发区, 宜春 for 宜春市, 锂电 for the 锂电新能源 chain. The forms come from the
graph itself (names, declared aliases) and from the identity rules; the longest form found
at a position wins, so 宜春经开区 is the park and not the city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from graph_schema.definitions import INDUSTRIES
from graph_schema.identity import KnownNode, make_id, name_forms, normalise_name

MENTIONED_LABELS = (
    "Industry",
    "Chain",
    "Link",
    "Enterprise",
    "Project",
    "Park",
    "Cluster",
    "Region",
)
_INDUSTRY_WORDS = frozenset(
    {
        "稀土",
        "锂电",
        "光伏",
        "航空",
        "电子",
        "新能",
        "铜业",
        "医药",
        "中医",
        "药业",
        "科技",
        "电气",
        "钢铁",
        "化工",
        "材料",
        "汽车",
        "电池",
        "光电",
        "信息",
        "能源",
        "矿业",
        "有色",
    }
)
_ORG_WORDS = ("集团", "公司", "股份")
_PROVINCE_WORDS = ("全省", "我省", "本省")
_PLACE_PREFIX = re.compile(r"^(中国|江西省?|[\u4e00-\u9fa5]{2}市)")
_BRACKETED = re.compile(r"\([^)]*\)")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    node_id: str
    label: str


@dataclass(frozen=True)
class Sentence:
    start: int
    text: str
    paragraph: int = 0


def sentences(text: str) -> list[Sentence]:
    """Sentences (and list items) with their offsets in the text and their paragraph."""
    out: list[Sentence] = []
    start, paragraph = 0, 0
    for match in _SENTENCE_END.finditer(text + "\n"):
        raw = text[start : match.end()]
        piece = raw.strip()
        if piece:
            out.append(Sentence(start + len(raw) - len(raw.lstrip()), piece, paragraph))
        if match.group() == "\n":
            paragraph += 1
        start = match.end()
    return out


class Gazetteer:
    """Surface form → the nodes it may denote, for the labels documents speak of."""

    def __init__(self, nodes: Iterable[KnownNode], province: str) -> None:
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self.names: dict[str, str] = {}  # enterprise id → registered name
        self.province_id: str | None = None
        self.region_names: dict[str, str] = {}  # region id → name
        known = list(nodes)
        places = frozenset(
            n.name[:-1]
            for n in known
            if n.label == "Region" and n.name[-1] in "市县" and len(n.name) == 3
        )
        for node in [*known, *_vocabulary(known, province)]:
            if node.label == "Enterprise":
                self.names[node.id] = node.name
            elif node.label == "Region":
                self.region_names[node.id] = node.name
            if node.label in MENTIONED_LABELS:
                for form in _forms(node, province, places):
                    self._add(form, node)
                if node.label == "Region" and node.name == province:
                    self.province_id = node.id
                    for word in _PROVINCE_WORDS:
                        self._add(word, node)
        self._add_project_forms(known)
        self.clusters = _cluster_patterns(known, places, self.forms)
        self.lengths = sorted({len(f) for f in self.forms}, reverse=True)

    def _add_project_forms(self, known: list[KnownNode]) -> None:
        """A project as documents call it: its name without the investor's name in front
        (孚能科技动力电池扩建项目 → 动力电池扩建项目, after 孚能科技（赣州）有限公司)."""
        firms = {f for f, hits in self.forms.items() if any(lb == "Enterprise" for _, lb in hits)}
        for node in known:
            if node.label != "Project":
                continue
            name = node.name
            cut = max((k for k in range(2, min(len(name), 16)) if name[:k] in firms), default=0)
            rest = name[cut:]
            if cut and len(rest) >= 6 and rest.endswith("项目"):
                self._add(rest, node)

    def _add(self, form: str, node: KnownNode) -> None:
        entry = self.forms.setdefault(form, [])
        if (node.id, node.label) not in entry:
            entry.append((node.id, node.label))

    def _other_company(self, node_id: str, label: str, follows: str) -> bool:
        """江铃 in 江铃集团 is the group, not 江铃汽车股份有限公司: an alias followed by an
        organisation word the company's own name lacks names another organisation."""
        if label != "Enterprise" or follows not in _ORG_WORDS:
            return False
        return follows not in self.names.get(node_id, "")

    def find(self, text: str) -> Iterator[Mention]:
        """Mentions, left to right, longest form first at each position.

        A form shared by nodes of one label but different ids (a link name used by two
        chains) is ambiguous and skipped; an industry and a chain of one name are both meant.
        """
        i, n = 0, len(text)
        while i < n:
            for length in self.lengths:
                if length > n - i:
                    continue
                hits = self.forms.get(text[i : i + length])
                if hits is None:
                    continue
                labels = [label for _, label in hits]
                follows = text[i + length : i + length + 2]
                for node_id, label in hits:
                    if labels.count(label) == 1 and not self._other_company(
                        node_id, label, follows
                    ):
                        yield Mention(i, i + length, node_id, label)
                i += length
                break
            else:
                i += 1

    def clusters_in(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Clusters named the way people speak of them, a city and its industry before
        集群 (南昌VR、…、鹰潭物联网等数字产业集群; 宜春打造国家级锂电新能源产业集群): a
        mention of the cluster over the whole phrase, beside the city's and the industry's."""
        found: list[Mention] = []
        for first, second in pairwise(mentions):
            if first.label != "Region" or second.start < first.end:
                continue
            gap = text[first.end : second.start]
            if len(gap) > 6 or _PUNCTUATION.search(gap):
                continue
            word = text[second.start : second.end]
            cluster = self.clusters.get((first.node_id, second.node_id)) or self.clusters.get(
                (first.node_id, word)
            )
            if cluster is None:
                continue
            tail = _CLUSTER_TAIL.match(text, second.end)
            if tail is not None:
                found.append(Mention(first.start, tail.end(), cluster, "Cluster"))
        return found


_PUNCTUATION = re.compile(r"[，,。；;：:！？!?（）()\n]")
# From the industry to 集群: a list of other city + industry pairs may come between
# (南昌VR、赣州信创、鹰潭物联网等数字产业集群), but no clause break.
_CLUSTER_TAIL = re.compile(r"[^，,。；;：:！？!?\n]{0,60}?集群")
_CLUSTER_SUFFIX = re.compile(r"(数字产业集群|产业集群|集群)$")


def _cluster_patterns(
    known: list[KnownNode], places: frozenset[str], forms: dict[str, list[tuple[str, str]]]
) -> dict[tuple[str, str], str]:
    """(city's region id, industry node id or word) → cluster id, read off the clusters'
    names: 南昌VR产业集群 is 南昌 + VR, and VR is the 虚拟现实 industry."""
    cities: dict[str, str] = {}
    for node in known:
        if node.label == "Region" and node.name[:-1] in places and node.name[-1] in "市县":
            cities.setdefault(node.name[:-1], node.id)
    out: dict[tuple[str, str], str] = {}
    for node in known:
        if node.label != "Cluster":
            continue
        core = _CLUSTER_SUFFIX.sub("", node.name.replace("市", "", 1))
        place = core[:2]
        rest = core[2:]
        if place not in cities or len(rest) < 2:
            continue
        out[(cities[place], rest)] = node.id
        for node_id, label in forms.get(rest, []):
            if label in ("Industry", "Chain"):
                out[(cities[place], node_id)] = node.id
    return out


def _vocabulary(known: list[KnownNode], province: str) -> list[KnownNode]:
    """The 2+6+N industries and the province, when the graph does not hold them yet: a
    document may name them before any workbook has."""
    have = {(n.label, n.name) for n in known}
    extra = [
        KnownNode("Industry", make_id("industry", name), name)
        for name in INDUSTRIES
        if ("Industry", name) not in have
    ]
    if ("Region", province) not in have:
        extra.append(KnownNode("Region", make_id("region", province), province))
    return extra


def _forms(node: KnownNode, province: str, places: frozenset[str]) -> set[str]:
    forms = {form for name in (node.name, *node.aliases) for form in name_forms(name)}
    if node.label in ("Industry", "Chain"):
        forms |= set(INDUSTRIES.get(node.name, ("", ()))[1])
        forms |= {node.name + "产业", node.name + "产业链"}
    elif node.label == "Enterprise":
        forms |= _enterprise_forms(node.name, places)
    elif node.label == "Park":
        forms |= _park_forms(node.name)
    elif node.label == "Region":
        forms |= _region_forms(node.name, province)
    elif node.label == "Cluster":
        forms |= _cluster_forms(node.name)
    return {f for f in forms if len(f) >= 2}


def _enterprise_forms(name: str, places: frozenset[str]) -> set[str]:
    """赣锋锂业 for 江西赣锋锂业集团股份有限公司, 宜春时代 for 宜春时代新能源科技有限公司: the
    name without suffix, bracketed place and leading place name; and a city with the two
    characters of the 字号 after it, the way companies are usually called (not a city with
    an industry word: 赣州稀土 is a place's industry, not a company)."""
    core = _BRACKETED.sub("", normalise_name(name))
    forms = {core} if len(core) >= 4 else set()
    short = _PLACE_PREFIX.sub("", core)
    if len(short) >= 4:
        forms.add(short)
    if len(core) > 4 and core[:2] in places and core[2:4] not in _INDUSTRY_WORDS:
        forms.add(core[:4])
    return forms


def _cluster_forms(name: str) -> set[str]:
    """The registered name with or without 市 (赣州稀土新材料及应用集群).

    Shorter city + industry forms (南昌VR) would also name the city's industry in general
    and hide the industry mention behind the longer match, so they are not forms: the
    gazetteer finds them after the fact (`Gazetteer.clusters_in`), where 集群 follows.
    """
    return {name.replace("市", "", 1)} if name.count("市") == 1 else set()


def _park_forms(name: str) -> set[str]:
    forms = set()
    for full, short in (("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区")):
        if name.endswith(full):
            forms.add(name[: -len(full)] + short)
    return forms


def _region_forms(name: str, province: str) -> set[str]:
    if name == province:
        return {name[:-1]} if name.endswith("省") else set()
    if name.endswith("市") and len(name) >= 3:
        return {name[:-1]}
    return set()
