"""Identity: stable node ids, name normalisation and the credit-code check (GB 32100-2015).

An enterprise is the same node wherever it is named: matched by credit code first, then
by normalised name, then by declared aliases.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

# Longest first, so that 股份有限公司 is stripped before 有限公司.
_SUFFIXES = (
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "总公司",
    "分公司",
    "集团",
    "公司",
    "厂",
)
_SPACE = re.compile(r"\s+")
_is_nfkc = unicodedata.is_normalized


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits, brackets and spaces to their half-width forms (NFKC)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def clean_text(text: str) -> str:
    """Half-width, trimmed, inner runs of white space folded to one space.

    >>> clean_text("  宜春市／袁州区\u3000 经开区 ")
    '宜春市/袁州区 经开区'
    """
    if not _is_nfkc("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def written_form(text: str) -> str:
    """A name as its source wrote it, only trimmed and with runs of white space folded:
    full-width brackets, the registered form of Chinese company names, are kept.

    >>> written_form("  孚能科技（赣州）\u3000有限公司 ")
    '孚能科技（赣州） 有限公司'
    """
    return " ".join(text.split())


_FULL_BRACKETS = str.maketrans("()", "（）")


def name_forms(text: str) -> list[str]:
    """The forms a typed name may be stored under: as typed, half-width, and with
    full-width brackets (孚能科技(赣州)有限公司 finds 孚能科技（赣州）有限公司 and back).

    >>> name_forms("孚能科技(赣州)有限公司")
    ['孚能科技(赣州)有限公司', '孚能科技（赣州）有限公司']
    """
    forms = [written_form(text), clean_text(text), clean_text(text).translate(_FULL_BRACKETS)]
    return list(dict.fromkeys(f for f in forms if f))


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The matching key of an organisation's name.

    >>> normalise_name("江西铜业集团有限公司")
    '江西铜业'
    >>> normalise_name(" 孚能科技（赣州）股份有限公司 ")
    '孚能科技(赣州)'
    >>> normalise_name("ABC Co 有限公司") == normalise_name("abc co")
    True
    """
    key = "".join(to_halfwidth(name).split()).lower()
    while key.endswith(_SUFFIXES):
        suffix = next(s for s in _SUFFIXES if key.endswith(s))
        if len(key) <= len(suffix) + 1:
            break
        key = key[: -len(suffix)]
    return key


_PARK_ABBREVIATIONS = (
    ("经开区", "经济技术开发区"),
    ("高新区", "高新技术产业开发区"),
    ("高新技术开发区", "高新技术产业开发区"),
    ("工业园区", "工业园"),
)


def park_key(name: str) -> str:
    """A park's matching key, with the usual abbreviations spelt out.

    >>> park_key("宜春经开区") == park_key("宜春经济技术开发区")
    True
    """
    key = clean_text(name).replace(" ", "")
    for short, full in _PARK_ABBREVIATIONS:
        if key.endswith(short):
            key = key[: -len(short)] + full
    return key


_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_VALUES = {c: i for i, c in enumerate(_CODE_CHARS)}
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(map(operator.mul, map(_CODE_VALUES.__getitem__, first17), _CODE_WEIGHTS))
    return _CODE_CHARS[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """A Chinese explanation of what is wrong with a credit code, or None when it is valid.

    >>> credit_code_problem("91360000158304517F") is None
    True
    >>> credit_code_problem("91360000158304517X")
    '校验位应为“F”，实为“X”'
    """
    if len(code) != 18:
        return f"应为18位，实为{len(code)}位"
    bad = [c for c in code if c not in _CODE_CHARS]
    if bad:
        return f"含非法字符“{bad[0]}”（不得含 I、O、Z、S、V 及小写字母）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验位应为“{expected}”，实为“{code[17]}”"
    return None


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def make_id(prefix: str, *parts: str) -> str:
    """A readable stable id such as ``link:锂电新能源/正极材料``."""
    return prefix + ":" + "/".join("".join(to_halfwidth(p).split()) for p in parts)


class KnownNode(NamedTuple):
    """What identity resolution needs to know of a node already in the store.

    A tuple rather than a frozen dataclass: a province's index holds a few hundred thousand.
    """

    label: str
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    credit_code: str | None = None
    scope: str | None = None  # for a Link: the id of its chain
    local: bool | None = None


@dataclass
class IdentityIndex:
    """Lookup tables over known nodes, by label: credit code, exact name, normalised name
    and alias. A normalised key usually denotes one node, kept as a plain id; a list only
    when several share it."""

    by_code: dict[str, str] = field(default_factory=dict)
    by_key: dict[tuple[str, str], str | list[str]] = field(default_factory=dict)
    by_name: dict[str, dict[str, str]] = field(default_factory=dict)  # label → exact name → id
    nodes: dict[str, KnownNode] = field(default_factory=dict)

    def add(self, node: KnownNode) -> None:
        self.nodes[node.id] = node
        if node.credit_code:
            self.by_code[node.credit_code] = node.id
        names = self.by_name.get(node.label)
        if names is None:
            names = self.by_name[node.label] = {}
        names.setdefault(node.name, node.id)
        self._add_key(node.label, node.name, node.id)
        for alias in node.aliases:
            self._add_key(node.label, alias, node.id)

    def _add_key(self, label: str, name: str, node_id: str) -> None:
        key = (label, normalise_name(name))
        ids = self.by_key.get(key)
        if ids is None:
            self.by_key[key] = node_id
        elif isinstance(ids, str):
            if ids != node_id:
                self.by_key[key] = [ids, node_id]
        elif node_id not in ids:
            ids.append(node_id)

    def lookup(self, label: str, name: str, credit_code: str | None = None) -> list[str]:
        """Ids of the nodes that `name` (or `credit_code`) may denote."""
        if credit_code and credit_code in self.by_code:
            return [self.by_code[credit_code]]
        exact = self.by_name.get(label, {}).get(name)
        if exact is not None:  # most references repeat the full name: no normalising needed
            return [exact]
        ids = self.by_key.get((label, normalise_name(name)))
        if ids is None:
            return []
        return [ids] if isinstance(ids, str) else list(ids)
