"""Identity: stable node ids, name normalisation and the credit-code check (GB 32100-2015).

An enterprise is the same node wherever it is named: matched by credit code first, then
by normalised name, then by declared aliases.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Mapping, ValuesView
from functools import lru_cache
from typing import Any, NamedTuple

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
    """A readable stable id such as ``link:锂电新能源/正极材料``.

    When several parts are joined, '%' and '/' inside a part are escaped, so two different
    pairs can never make the same id (chain ``a/b`` + link ``c`` ≠ chain ``a`` + link ``b/c``).
    Ids of names without '/' or '%' are as they always were; a stored node whose name has
    them keeps its old id, because nodes are found by name before an id is made.

    >>> make_id("link", "a/b", "c"), make_id("link", "a", "b/c"), make_id("chain", "a/b")
    ('link:a%2Fb/c', 'link:a/b%2Fc', 'chain:a/b')
    """
    cleaned = ["".join(to_halfwidth(p).split()) for p in parts]
    if len(cleaned) > 1:
        cleaned = [p.replace("%", "%25").replace("/", "%2F") for p in cleaned]
    return prefix + ":" + "/".join(cleaned)


class KnownNode(NamedTuple):
    """What identity resolution needs to know of a node already in the store."""

    label: str
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    credit_code: str | None = None
    scope: str | None = None  # for a Link: the id of its chain
    local: bool | None = None


# A table slot is one 64-bit word: 36 bits of the key's hash, then 28 bits of the node's
# ordinal + 1 (0 marks an empty slot). Keys are not stored: every hit is checked against the
# node's own record, so keys whose hashes agree are still told apart exactly.
_ORD_BITS = 28
_ORD_MASK = (1 << _ORD_BITS) - 1
_HASH_BITS = 36
MAX_NODES = _ORD_MASK


class _Table:
    """An open-addressing hash table (linear probing) from keys to node ordinals. Several
    entries may share a key: they lie along its probe run in the order they were added."""

    __slots__ = ("bits", "count", "mask", "slots")

    def __init__(self, hash_bits: int = _HASH_BITS) -> None:
        self.bits = (1 << hash_bits) - 1  # the hash bits kept (fewer only to test collisions)
        self.slots = array("Q", [0]) * 16
        self.mask = 15
        self.count = 0

    def find(self, h: int, same: Callable[[int, Any], bool], key: Any) -> int:
        """The first ordinal whose entry has h's hash bits and `same(ordinal, key)`, or -1."""
        hb = h & self.bits
        slots, mask = self.slots, self.mask
        i = hb & mask
        while e := slots[i]:
            if e >> _ORD_BITS == hb and same((e & _ORD_MASK) - 1, key):
                return (e & _ORD_MASK) - 1
            i = (i + 1) & mask
        return -1

    def candidates(self, h: int) -> list[int]:
        """Ordinals of every entry with h's hash bits, in order: the caller checks them."""
        hb = h & self.bits
        slots, mask = self.slots, self.mask
        i = hb & mask
        found = []
        while e := slots[i]:
            if e >> _ORD_BITS == hb:
                found.append((e & _ORD_MASK) - 1)
            i = (i + 1) & mask
        return found

    def insert(self, h: int, ordinal: int) -> None:
        if (self.count + 1) * 3 > len(self.slots) * 2:  # at most two thirds full
            self._grow()
        hb = h & self.bits
        slots, mask = self.slots, self.mask
        i = hb & mask
        while slots[i]:
            i = (i + 1) & mask
        slots[i] = hb << _ORD_BITS | (ordinal + 1)
        self.count += 1

    def put(
        self, h: int, same: Callable[[int, Any], bool], key: Any, ordinal: int, replace: bool
    ) -> None:
        """Adds `key` → `ordinal` in one walk of the probe run; when the key is there
        already, points its first entry at `ordinal` (`replace`) or leaves it."""
        if (self.count + 1) * 3 > len(self.slots) * 2:  # at most two thirds full
            self._grow()
        hb = h & self.bits
        slots, mask = self.slots, self.mask
        i = hb & mask
        while e := slots[i]:
            if e >> _ORD_BITS == hb and same((e & _ORD_MASK) - 1, key):
                if replace:
                    slots[i] = hb << _ORD_BITS | (ordinal + 1)
                return
            i = (i + 1) & mask
        slots[i] = hb << _ORD_BITS | (ordinal + 1)
        self.count += 1

    def _grow(self) -> None:
        """Twice the slots. Entries are moved run by run, from just after an empty slot, so
        that entries sharing a key keep their order."""
        old, old_mask = self.slots, self.mask
        size = 2 * len(old)
        slots, mask = array("Q", [0]) * size, size - 1
        start = old.index(0)
        for j in range(start + 1, start + 1 + len(old)):
            e = old[j & old_mask]
            if e:
                i = (e >> _ORD_BITS) & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = e
        self.slots, self.mask = slots, mask


# Per node, 16 bits: the label's number << 6; whether the id is the record's first field
# followed by its credit code (_ID_CODE) or by its name's matching key (_ID_KEY), as
# make_id builds most ids; whether the record is kept whole in `_odd`; whether it has a
# credit code; and `local` (0: None, 1: False, 2: True).
_LABEL_SHIFT = 6
_ID_KEY = 32
_ID_CODE = 16
_ODD = 8
_HAS_CODE = 4
_LOCAL_BITS = {None: 0, False: 1, True: 2}
_LOCAL = (None, False, True, None)
_SEP = "\0"
_RECENT = 16384


class IdentityIndex:
    """Lookup tables over known nodes: credit code, normalised name and alias (by label,
    which also answers an exact name), and id.

    Built compact, since a load holds one for every enterprise of the store and of the load
    (a province: hundreds of thousands; an outside pool: millions): each node is one UTF-8
    record (id — only its prefix when make_id built it from the code or the name —, name,
    credit code, aliases) in a shared buffer plus 10 bytes of bookkeeping, and each table
    is an array of 64-bit words (see `_Table`): about 100 bytes a node, where dictionaries
    of strings and tuples took about 590. Answers are those of plain dictionaries: a credit
    code denotes the node added last with it, an exact name the first, a normalised key
    every node that has it, in the order they were added."""

    def __init__(self, hash_bits: int = _HASH_BITS) -> None:
        self._labels: list[str] = []
        self._label_numbers: dict[str, int] = {}
        self._flags = array("H")
        self._ends = array("Q")
        self._blob = bytearray()
        self._odd: dict[int, KnownNode] = {}  # records with a NUL inside: kept whole
        self._scopes: dict[int, str] = {}  # a link's chain
        self._current: dict[int, int] = {}  # first ordinal of an id added again → latest
        self._hidden: set[int] = set()  # ordinals of ids added again
        self._ids = _Table(hash_bits)
        self._codes = _Table(hash_bits)
        self._keys = _Table(hash_bits)
        self._recent: dict[str, int] = {}  # id → ordinal (-1: absent), of the last few asked
        self.nodes: Mapping[str, KnownNode] = _Nodes(self)

    def __len__(self) -> int:
        return len(self._flags) - len(self._hidden)

    # -- records ---------------------------------------------------------------------------

    def _fields(self, i: int) -> list[str]:
        """id (or its prefix), name, credit code ("" when none), aliases…"""
        start = self._ends[i - 1] if i else 0
        return self._blob[start : self._ends[i]].decode().split(_SEP)

    @staticmethod
    def _full_id(flags: int, fields: list[str]) -> str:
        if flags & _ID_CODE:
            return fields[0] + fields[2]
        if flags & _ID_KEY:
            return fields[0] + normalise_name(fields[1])
        return fields[0]

    def _known(self, i: int) -> KnownNode:
        flags = self._flags[i]
        if flags & _ODD:
            return self._odd[i]
        fields = self._fields(i)
        return KnownNode(
            self._labels[flags >> _LABEL_SHIFT],
            self._full_id(flags, fields),
            fields[1],
            tuple(fields[3:]),
            fields[2] if flags & _HAS_CODE else None,
            self._scopes.get(i),
            _LOCAL[flags & 3],
        )

    def _id(self, i: int) -> str:
        flags = self._flags[i]
        if flags & _ODD:
            return self._odd[i].id
        if flags & (_ID_CODE | _ID_KEY):
            return self._full_id(flags, self._fields(i))
        start = self._ends[i - 1] if i else 0
        blob = self._blob
        return blob[start : blob.index(0, start)].decode()

    def _same_id(self, i: int, node_id: str) -> bool:
        return self._id(i) == node_id

    def _same_code(self, i: int, code: str) -> bool:
        if not self._flags[i] & _HAS_CODE:
            return False
        if self._flags[i] & _ODD:
            return self._odd[i].credit_code == code
        return self._fields(i)[2] == code

    def position(self, node_id: str) -> int | None:
        """A number of the node (0, 1, 2… in the order nodes were added), or None.

        A row asks for the same few ids several times (found, checked, added, marked): the
        last answers are kept in a small dictionary, emptied when it fills."""
        i = self._recent.get(node_id)
        if i is None:
            i = self._ids.find(hash(node_id), self._same_id, node_id)
            if len(self._recent) >= _RECENT:
                self._recent.clear()
            self._recent[node_id] = i
        return None if i < 0 else i

    def _label_number(self, label: str) -> int:
        number = self._label_numbers.get(label)
        if number is None:
            number = self._label_numbers[label] = len(self._labels)
            self._labels.append(label)
        return number

    # -- building --------------------------------------------------------------------------

    def add(self, node: KnownNode) -> None:
        i = len(self._flags)
        if i >= MAX_NODES:
            raise OverflowError(f"identity index holds at most {MAX_NODES} nodes")
        aliases, code = node.aliases, node.credit_code
        normal = normalise_name(node.name)
        flags = self._label_number(node.label) << _LABEL_SHIFT | _LOCAL_BITS[node.local]
        if code is not None:
            flags |= _HAS_CODE
        stored_id = node.id
        head, colon, tail = stored_id.partition(":")
        if colon and code and tail == code:
            stored_id, flags = head + colon, flags | _ID_CODE
        elif colon and tail == normal:
            stored_id, flags = head + colon, flags | _ID_KEY
        record = _SEP.join((stored_id, node.name, code or "", *aliases))
        if record.count(_SEP) != 2 + len(aliases):  # a NUL inside a field: kept whole
            flags = flags & ~(_ID_CODE | _ID_KEY) | _ODD
            self._odd[i] = node
        else:
            self._blob += record.encode()
        self._flags.append(flags)
        self._ends.append(len(self._blob))
        if node.scope is not None:
            self._scopes[i] = node.scope
        first = self.position(node.id)
        if first is None:
            self._ids.insert(hash(node.id), i)
            self._recent[node.id] = i
        else:  # as a dict: the new record answers for the id, in the old one's place
            self._current[first] = i
            self._hidden.add(i)
        if code:
            self._codes.put(hash(code), self._same_code, code, i, True)
        normals = [normal]
        if aliases:
            normals = list(dict.fromkeys([normal, *map(normalise_name, aliases)]))
        for key in normals:
            self._keys.insert(hash((node.label, key)), i)

    # -- answers ---------------------------------------------------------------------------

    def by_code(self, code: str) -> str | None:
        """The id of the node added last with this credit code."""
        i = self._codes.find(hash(code), self._same_code, code)
        return None if i < 0 else self._id(i)

    def lookup(self, label: str, name: str, credit_code: str | None = None) -> list[str]:
        """Ids of the nodes that `name` (or `credit_code`) may denote: by credit code, else
        the first node of exactly that name, else every node whose name or alias has the
        same matching key. Every node of that name has an entry under its key, in the order
        nodes were added: the exact name is answered from the same entries."""
        if credit_code:
            found = self.by_code(credit_code)
            if found is not None:
                return [found]
        normal = normalise_name(name)
        number = self._label_numbers.get(label)
        hits: list[str] = []
        for i in self._keys.candidates(hash((label, normal))):
            flags = self._flags[i]
            if flags >> _LABEL_SHIFT != number:
                continue
            if flags & _ODD:
                known = self._odd[i]
                node_id, names = known.id, [known.name, *known.aliases]
            else:  # the record is read once: name, aliases and id
                fields = self._fields(i)
                node_id, names = self._full_id(flags, fields), [fields[1], *fields[3:]]
            if names[0] == name:
                return [node_id]
            if node_id not in hits and any(normalise_name(n) == normal for n in names):
                hits.append(node_id)
        return hits

    def label_of(self, node_id: str) -> str | None:
        i = self.position(node_id)
        if i is None:
            return None
        return self._labels[self._flags[self._current.get(i, i)] >> _LABEL_SHIFT]

    def of_label(self, *labels: str) -> Iterator[KnownNode]:
        """The nodes of these labels (of every label when none is given), in the order
        they were added."""
        numbers = {self._label_numbers[b] for b in labels if b in self._label_numbers}
        current, hidden, flags = self._current, self._hidden, self._flags
        for i in range(len(flags)):
            if i in hidden:
                continue
            j = current.get(i, i)
            if not labels or flags[j] >> _LABEL_SHIFT in numbers:
                yield self._known(j)


class _Nodes(Mapping[str, KnownNode]):
    """The index's nodes by id, read from its records as they are asked for."""

    def __init__(self, index: IdentityIndex) -> None:
        self._index = index

    def __getitem__(self, node_id: str) -> KnownNode:
        index = self._index
        i = index.position(node_id)
        if i is None:
            raise KeyError(node_id)
        return index._known(index._current.get(i, i))

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self._index.position(node_id) is not None

    def __iter__(self) -> Iterator[str]:
        index = self._index
        for i in range(len(index._flags)):
            if i not in index._hidden:
                yield index._id(i)

    def __len__(self) -> int:
        return len(self._index)

    def values(self) -> ValuesView[KnownNode]:
        return _Values(self)


class _Values(ValuesView[KnownNode]):
    """Every node, each record read once (not looked up again by its id)."""

    def __init__(self, nodes: _Nodes) -> None:
        super().__init__(nodes)
        self._index = nodes._index

    def __iter__(self) -> Iterator[KnownNode]:
        return self._index.of_label()


class NodeNumbers:
    """A number for each node of an index (0 when none was set): the bookkeeping a load
    keeps per node across its parts (the row a node was first read on, whether it was
    written already) in 4 bytes a node rather than a dictionary or set of ids. Ids the
    index does not hold are kept in a dictionary."""

    def __init__(self, index: IdentityIndex) -> None:
        self._index = index
        self._values = array("I")
        self._others: dict[str, int] = {}

    def get(self, node_id: str) -> int:
        i = self._index.position(node_id)
        if i is None:
            return self._others.get(node_id, 0)
        return self._values[i] if i < len(self._values) else 0

    def set(self, node_id: str, value: int) -> None:
        i = self._index.position(node_id)
        if i is None:
            self._others[node_id] = value
            return
        values = self._values
        if i >= len(values):
            values.extend(array("I", [0]) * max(i + 1 - len(values), len(values) // 4, 1024))
        values[i] = value
