"""Ids and name keys: what makes two rows the same node, and what keeps two apart."""

from __future__ import annotations

import pytest

from graph_schema.identity import (
    IdentityIndex,
    KnownNode,
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
