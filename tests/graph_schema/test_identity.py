"""Ids and name keys: what makes two rows the same node, and what keeps two apart."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_schema.identity import (
    IdentityIndex,
    KnownNode,
    NodeNumbers,
    clean_text,
    credit_code_check_char,
    credit_code_problem,
    make_id,
    name_forms,
    normalise_name,
    park_key,
    written_form,
)


def test_an_id_is_its_prefix_and_its_parts() -> None:
    assert make_id("chain", "锂电新能源") == "chain:锂电新能源"
    assert make_id("link", "锂电新能源", "正极材料") == "link:锂电新能源/正极材料"


def test_an_id_folds_full_width_forms_and_spaces() -> None:
    assert make_id("ent", "ＡＢＣ 科技") == make_id("ent", "ABC科技") == "ent:ABC科技"


def test_slash_and_percent_in_a_part_are_escaped_when_parts_are_joined() -> None:
    """chain a/b + link c and chain a + link b/c must not meet."""
    assert make_id("link", "a/b", "c") == "link:a%2Fb/c"
    assert make_id("link", "a", "b/c") == "link:a/b%2Fc"
    assert make_id("link", "50%", "c") == "link:50%25/c"
    assert make_id("chain", "a/b") == "chain:a/b"  # one part: unchanged


def test_clean_text_is_half_width_trimmed_and_folded() -> None:
    assert clean_text("\u3000宜春市　袁州区  ") == "宜春市 袁州区"
    assert clean_text("（１２３）") == "(123)"


def test_the_written_form_keeps_full_width_brackets() -> None:
    assert written_form(" 孚能科技（赣州）有限公司 ") == "孚能科技（赣州）有限公司"
    assert name_forms("孚能科技(赣州)有限公司") == [
        "孚能科技(赣州)有限公司",
        "孚能科技（赣州）有限公司",
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("江西铜业集团有限公司", "江西铜业"),
        ("江西铜业股份有限公司", "江西铜业"),
        ("赣锋锂业", "赣锋锂业"),
        ("ABC Co 有限公司", "abcco"),
        ("集团", "集团"),  # a suffix alone is kept
    ],
)
def test_normalised_names_drop_company_suffixes(name: str, key: str) -> None:
    assert normalise_name(name) == key


def test_park_abbreviations_are_spelt_out() -> None:
    assert park_key("宜春经开区") == park_key("宜春经济技术开发区") == "宜春经济技术开发区"
    assert park_key("新余高新区") == "新余高新技术产业开发区"
    assert park_key("某工业园区") == "某工业园"


def test_credit_codes() -> None:
    assert credit_code_check_char("91360000158304517") == "F"
    assert credit_code_problem("91360000158304517F") is None
    assert credit_code_problem("123") == "应为18位，实为3位"
    assert credit_code_problem("9136000015830451IF") is not None  # I is not allowed
    assert credit_code_problem("91360000158304517X") == "校验位应为“F”，实为“X”"


def index() -> IdentityIndex:
    idx = IdentityIndex()
    idx.add(
        KnownNode("Enterprise", "ent:甲", "甲科技股份有限公司", ("甲科",), "91360000158304517F")
    )
    idx.add(KnownNode("Enterprise", "ent:乙1", "乙实业有限公司"))
    idx.add(KnownNode("Enterprise", "ent:乙2", "乙实业集团"))
    return idx


def test_lookup_by_credit_code_name_key_and_alias() -> None:
    idx = index()
    assert idx.lookup("Enterprise", "别的名字", "91360000158304517F") == ["ent:甲"]
    assert idx.lookup("Enterprise", "甲科技股份有限公司") == ["ent:甲"]
    assert idx.lookup("Enterprise", "甲科技有限公司") == ["ent:甲"]  # same key 甲科技
    assert idx.lookup("Enterprise", "甲科") == ["ent:甲"]  # alias


def test_a_shared_key_returns_every_node_and_labels_stay_apart() -> None:
    idx = index()
    assert sorted(idx.lookup("Enterprise", "乙实业")) == ["ent:乙1", "ent:乙2"]
    assert idx.lookup("Project", "甲科技股份有限公司") == []


class DictIndex:
    """The identity index as plain dictionaries (as it was before it was made compact): the
    answers the compact index must give, node for node."""

    def __init__(self) -> None:
        self.by_code: dict[str, str] = {}
        self.by_key: dict[tuple[str, str], list[str]] = {}
        self.by_name: dict[tuple[str, str], str] = {}
        self.nodes: dict[str, KnownNode] = {}

    def add(self, node: KnownNode) -> None:
        self.nodes[node.id] = node
        if node.credit_code:
            self.by_code[node.credit_code] = node.id
        self.by_name.setdefault((node.label, node.name), node.id)
        for name in (node.name, *node.aliases):
            ids = self.by_key.setdefault((node.label, normalise_name(name)), [])
            if node.id not in ids:
                ids.append(node.id)

    def lookup(self, label: str, name: str, credit_code: str | None = None) -> list[str]:
        if credit_code and credit_code in self.by_code:
            return [self.by_code[credit_code]]
        if (label, name) in self.by_name:
            return [self.by_name[(label, name)]]
        return list(self.by_key.get((label, normalise_name(name)), []))


_NAMES = [
    "甲科技有限公司",
    "甲科技",
    "甲科技集团",
    "乙实业",
    "乙实业有限公司",
    "丙\0厂",
    "丁",
    "a b",
]
_CODES = ["91360000158304517F", "91360000158304518D", ""]
_IDS = [
    "ent:甲",
    "ent:甲科技",
    "ent:91360000158304517F",
    "ent:乙实业",
    "ent:丁",
    "proj:甲",
    "ent:\0",
    "a",
]

known_nodes = st.builds(
    KnownNode,
    label=st.sampled_from(["Enterprise", "Project"]),
    id=st.sampled_from(_IDS),
    name=st.sampled_from(_NAMES),
    aliases=st.lists(st.sampled_from(_NAMES), max_size=2).map(tuple),
    credit_code=st.none() | st.sampled_from(_CODES),
    scope=st.none() | st.just("chain:铜"),
    local=st.sampled_from([None, True, False]),
)


def assert_same_answers(compact: IdentityIndex, plain: DictIndex) -> None:
    assert list(compact.nodes.items()) == list(plain.nodes.items())
    assert list(compact.nodes.values()) == list(plain.nodes.values())
    assert len(compact.nodes) == len(plain.nodes)
    for label in ("Enterprise", "Project"):
        expected = [n for n in plain.nodes.values() if n.label == label]
        assert list(compact.of_label(label)) == expected
        for name in [*_NAMES, "无此企业"]:
            for code in [None, *_CODES]:
                assert compact.lookup(label, name, code) == plain.lookup(label, name, code)
    for code in _CODES:
        assert compact.by_code(code) == plain.by_code.get(code)
    for node_id in [*_IDS, "ent:无"]:
        assert (node_id in compact.nodes) == (node_id in plain.nodes)
        assert compact.nodes.get(node_id) == plain.nodes.get(node_id)
        known = plain.nodes.get(node_id)
        assert compact.label_of(node_id) == (known.label if known else None)


@settings(max_examples=300, deadline=None)
@given(st.lists(known_nodes, max_size=12), st.sampled_from([36, 2, 0]))
def test_the_compact_index_answers_as_plain_dictionaries(
    added: list[KnownNode], hash_bits: int
) -> None:
    """Any nodes (ids added twice, shared names, keys and codes, NUL in a name), with the
    real hash and with 2 or 0 hash bits, where every key collides with others."""
    compact, plain = IdentityIndex(hash_bits), DictIndex()
    for node in added:
        compact.add(node)
        plain.add(node)
        assert_same_answers(compact, plain)


def test_a_large_index_grows_its_tables_and_keeps_every_answer() -> None:
    compact, plain = IdentityIndex(), DictIndex()
    for n in range(5000):
        node = KnownNode("Enterprise", f"ent:{n}", f"企业{n % 4000}有限公司", (f"别名{n}",))
        compact.add(node)
        plain.add(node)
    assert list(compact.nodes.items()) == list(plain.nodes.items())
    for n in range(0, 5000, 7):
        for name in (f"企业{n % 4000}有限公司", f"企业{n % 4000}", f"别名{n}"):
            assert compact.lookup("Enterprise", name) == plain.lookup("Enterprise", name)


def test_colliding_hash_bits_are_told_apart_by_the_record() -> None:
    """With no hash bits kept every entry shares one probe run: answers still come only
    from records whose id, code or name is the one asked for."""
    idx = IdentityIndex(hash_bits=0)
    idx.add(KnownNode("Enterprise", "ent:a", "甲", credit_code="91360000158304517F"))
    idx.add(KnownNode("Enterprise", "ent:b", "乙实业", credit_code="91360000158304518D"))
    assert idx.by_code("91360000158304518D") == "ent:b"
    assert idx.lookup("Enterprise", "乙实业有限公司") == ["ent:b"]
    assert idx.position("ent:b") == 1
    assert idx.position("ent:c") is None


def test_node_numbers_keep_a_number_per_node() -> None:
    idx = index()
    numbers = NodeNumbers(idx)
    assert numbers.get("ent:乙2") == 0
    numbers.set("ent:乙2", 7)
    numbers.set("ent:不在索引中", 3)
    assert (numbers.get("ent:乙2"), numbers.get("ent:乙1"), numbers.get("ent:不在索引中")) == (
        7,
        0,
        3,
    )
