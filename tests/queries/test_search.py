"""Chinese search on the mini chain and the test documents, in a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.importing import run_import
from app.settings import Settings
from queries.search import search, tokenizer, tokens
from store.sqlite import SQLiteStore
from tests.conftest import FIXTURES, MINI


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStore:
    tmp = tmp_path_factory.mktemp("search")
    settings = Settings(db=tmp / "kg.db", cache_dir=tmp / "cache")
    kg = SQLiteStore(settings.db)
    run_import(kg, [MINI, FIXTURES / "docs"], settings)
    return kg


def test_graph_names_stay_whole(store: SQLiteStore, tmp_path: Path) -> None:
    cutter = tokenizer(store, tmp_path / "cache")
    words = tokens("宜春时代新能源科技有限公司正极材料", cutter)
    assert (
        "宜春时代新能源科技有限公司" in words
    )  # a graph name is one word (search mode adds its parts)
    assert "正极材料" in words
    assert "宜春" in tokens("宜春锂电", cutter)
    assert (tmp_path / "cache" / "jieba.cache").exists()  # jieba's cache in chainkg's folder


def test_exact_then_prefix_then_contains_then_words(store: SQLiteStore, tmp_path: Path) -> None:
    items = search(store, "锂盐", 10, tmp_path).model_dump(mode="json")["items"]
    assert items[0] == {
        "type": "Link",
        "type_zh": "环节",
        "id": "link:锂电新能源/锂盐",
        "name": "锂盐",
        "score": 1.0,
        "chains": ["锂电新能源"],
        "region": None,
    }
    # inside the name, covering 2 of its 8 characters: 0.6 + 0.15 × 2/8
    assert items[1]["name"] == "新余锂盐扩产项目" and items[1]["score"] == 0.637
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


def test_word_overlap_finds_documents_and_nodes(store: SQLiteStore, tmp_path: Path) -> None:
    items = search(store, "宜春锂电补链", 20, tmp_path).model_dump(mode="json")["items"]
    names = [i["name"] for i in items]
    assert "关于加快宜春锂电新能源产业补链强链的通知" in names
    assert "宜春锂电新能源产业集群" in names
    assert all(i["score"] > 0 for i in items)


def test_alias_is_exact(store: SQLiteStore, tmp_path: Path) -> None:
    items = search(store, "宜春经开区", 5, tmp_path).model_dump(mode="json")["items"]
    assert items[0]["id"] == "park:宜春经济技术开发区"
    assert items[0]["score"] == 0.97  # an alias, just under the name itself


def test_short_name_finds_the_firm_first_with_its_chain_and_region(
    store: SQLiteStore, tmp_path: Path
) -> None:
    items = search(store, "赣锋", 5, tmp_path).model_dump(mode="json")["items"]
    first = items[0]
    assert first["name"] == "江西赣锋锂业集团股份有限公司" and first["type_zh"] == "企业"
    assert first["chains"] == ["锂电新能源"] and first["region"]
    # the core 赣锋锂业 starts with the query and it covers half of it: 0.8 + 0.15 × 2/4
    assert first["score"] == 0.875
    assert (
        search(store, "赣锋锂业", 5, tmp_path).model_dump(mode="json")["items"][0]["score"] == 0.95
    )


def test_empty_query(store: SQLiteStore, tmp_path: Path) -> None:
    assert search(store, "  ", 5, tmp_path).model_dump(mode="json") == {"query": "", "items": []}
