"""Where and when a document speaks: its scope region and the year its 今年 means.

A city's 简报 speaks of the city, a 县 plan of the county, a province notice of the
province. The scope is read from the title, then the issuing body, then the 文号: the most
specific region of the province named there (a county before its city). A document that
names none is the province's. Inside the text, 全市 / 本市 / 我市 are the scope's city,
全县 / 本县 / 我县 and 全区 / 本区 / 我区 its county; 全省 / 我省 are the province (the
gazetteer knows those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_schema.identity import make_id
from loaders.documents import DocumentText
from loaders.mentions import Gazetteer, Mention

_SCOPE_WORDS = re.compile(r"(?:全|本|我)(市|县|区)")
_TITLE_YEAR = re.compile(r"(20\d{2})\s*年")


@dataclass(frozen=True)
class DocScope:
    """The region a document speaks for (a Region node id and name) and its year."""

    region_id: str
    region: str
    level: str  # 省, 市 or 县
    year: int | None  # what 今年 means: the year of the date, else of the title

    def word_region(self, word: str) -> str | None:
        """The region id 全市 / 全县 / 全区 stand for in this document, if any.

        >>> scope = DocScope("region:江西省/宜春市/樟树市", "樟树市", "县", 2026)
        >>> scope.word_region("市"), scope.word_region("县")
        ('region:江西省/宜春市/樟树市', None)
        >>> DocScope("region:江西省/宜春市/袁州区", "袁州区", "县", None).word_region("市")
        'region:江西省/宜春市'
        """
        if self.level == "省":
            return None
        if word == "市":
            if self.level == "市" or self.region.endswith("市"):
                return self.region_id
            return self.region_id.rsplit("/", 1)[0]
        if self.level == "县" and self.region.endswith(word):
            return self.region_id
        return None


def document_scope(doc: DocumentText, gazetteer: Gazetteer, province: str) -> DocScope:
    """The document's scope: the most specific in-province region of its title, issuer or
    文号, else the province."""
    prefix = make_id("region", province)
    for text in (doc.title, doc.issuer or "", doc.doc_number or ""):
        regions = [
            m
            for m in gazetteer.find(text)
            if m.label == "Region" and m.node_id.startswith(prefix + "/")
        ]
        if regions:
            best = max(regions, key=lambda m: (m.node_id.count("/"), -m.start))
            name = gazetteer.region_names.get(best.node_id, best.node_id.rsplit("/", 1)[-1])
            level = "市" if best.node_id.count("/") == 1 else "县"
            return DocScope(best.node_id, name, level, _year(doc))
    return DocScope(gazetteer.province_id or prefix, province, "省", _year(doc))


def _year(doc: DocumentText) -> int | None:
    if doc.date:
        return int(doc.date[:4])
    years = set(_TITLE_YEAR.findall(doc.title))
    return int(years.pop()) if len(years) == 1 else None


def scope_mentions(text: str, scope: DocScope) -> list[Mention]:
    """全市, 本县, 我区 … as mentions of the region they stand for in this document."""
    out = []
    for match in _SCOPE_WORDS.finditer(text):
        region = scope.word_region(match.group(1))
        if region is not None:
            out.append(Mention(match.start(), match.end(), region, "Region"))
    return out
