"""Documents into the graph, on texts written for these tests (tests/fixtures/docs).

宜春锂电通知.txt is a 通知 with 文号, issuer and date, naming 赣锋锂业, 宜春经开区, 宜春时代
and stating two actual figures for 2025 and two targets for 2027; 园区简报.md is a short
Markdown brief; 政策摘要.docx a Word file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema import GraphBatch
from graph_schema.errors import InputError
from loaders.workbook import LoadOptions
from tests.conftest import FIXTURES, MINI, load

DOCS = FIXTURES / "docs"
NOTICE = "doc:04068c900c9c2020"


@pytest.fixture
def batch(options: LoadOptions) -> GraphBatch:
    return load([MINI, DOCS], options).batch


def figures(batch: GraphBatch, doc: str) -> list[tuple[object, ...]]:
    ids = [e.dst for e in batch.edges.values() if e.type == "STATES" and e.src == doc]
    keys = ("subject", "metric", "value", "unit", "year", "kind")
    return [tuple(batch.nodes[i].props.get(k) for k in keys) for i in ids]


def test_notice_metadata(batch: GraphBatch) -> None:
    doc = batch.nodes[NOTICE]
    assert doc.name == "关于加快宜春锂电新能源产业补链强链的通知"
    assert doc.props["doc_number"] == "宜锂链办字〔2026〕3号"
    assert doc.props["issuer"] == "宜春市锂电产业链链长制工作小组办公室"
    assert doc.props["date"] == "2026-02-10"
    assert doc.props["file"] == "宜春锂电通知.txt"


def test_markdown_and_docx_titles(batch: GraphBatch) -> None:
    titles = {n.props["file"]: n.name for n in batch.nodes.values() if n.label == "Document"}
    assert titles["园区简报.md"] == "新余高新区光伏产业简报"
    assert titles["政策摘要.docx"] == "关于支持锂电新能源产业链发展的若干措施"
    docx = next(n for n in batch.nodes.values() if n.props.get("file") == "政策摘要.docx")
    assert docx.props["doc_number"] == "赣示例办字〔2026〕7号"


def test_short_and_informal_names_resolve(batch: GraphBatch) -> None:
    mentioned = {
        e.dst: e.props for e in batch.edges.values() if e.type == "MENTIONS" and e.src == NOTICE
    }
    assert mentioned["ent:91360500MA35X0001G"]["count"] == 1  # 赣锋锂业
    assert "ent:91360900MA35X00028" in mentioned  # 宜春时代
    assert mentioned["park:宜春经济技术开发区"]["count"] == 2  # 宜春经开区, twice
    assert mentioned["chain:锂电新能源"]["count"] == 5  # 锂电新能源 / 锂电
    assert "region:江西省/宜春市" in mentioned  # 宜春
    assert "link:锂电新能源/隔膜" in mentioned
    evidence = mentioned["ent:91360500MA35X0001G"]["evidence"]
    assert evidence == ["赣锋锂业在宜春经开区的碳酸锂项目已经投产。"]


def test_figures_and_targets(batch: GraphBatch) -> None:
    assert figures(batch, NOTICE) == [
        ("锂电新能源", "营业收入", 1200.0, "亿元", 2025, "actual"),
        ("锂电新能源", "企业数", 86.0, "家", 2025, "actual"),
        ("锂电新能源", "营业收入", 2000.0, "亿元", 2027, "target"),
        ("锂电新能源", "项目数", 10.0, "个", 2027, "target"),
    ]
    brief = next(n.id for n in batch.nodes.values() if n.props.get("file") == "园区简报.md")
    assert figures(batch, brief) == [
        ("光伏新能源", "营业收入", 350.0, "亿元", 2025, "actual"),
        ("江西省", "园区数", 20.0, "个", 2025, "actual"),
        (
            "江西赣锋锂业集团股份有限公司",
            "投资",
            50.0,
            "亿元",
            None,
            "target",
        ),  # own paragraph: no year
    ]


def test_figures_link_to_their_subject(batch: GraphBatch) -> None:
    about = {e.dst for e in batch.edges.values() if e.type == "ABOUT"}
    assert {
        "chain:锂电新能源",
        "industry:锂电新能源",
        "region:江西省",
        "ent:91360500MA35X0001G",
    } <= about


def test_industries_of_the_vocabulary_are_created(tmp_path: Path, options: LoadOptions) -> None:
    text = tmp_path / "简报.txt"
    text.write_text("全省装备制造业营业收入达到7000亿元，石化产业稳步发展。", encoding="utf-8")
    batch = load([text], options).batch
    assert batch.nodes["industry:装备制造"].props["tier"] == "6"
    assert batch.nodes["industry:石化"].name == "石化"
    assert figures(batch, next(n for n in batch.nodes if n.startswith("doc:"))) == [
        ("装备制造", "营业收入", 7000.0, "亿元", None, "actual")
    ]


def test_gb18030_text(tmp_path: Path, options: LoadOptions) -> None:
    text = tmp_path / "简报.txt"
    text.write_bytes("宜春市锂电产业营业收入达到900亿元。".encode("gb18030"))
    batch = load([MINI, text], options).batch
    assert any(e.dst == "chain:锂电新能源" for e in batch.edges.values() if e.type == "MENTIONS")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是文本文件"),
        ("空白.md", b"   \n\n", "没有可读的文字"),
        ("损坏.docx", b"PK\x03\x04 not really", "不是有效的 .docx 文档"),
    ],
)
def test_unreadable_documents(
    tmp_path: Path, options: LoadOptions, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load([path], options)
    assert message in str(exc.value.issues[0])
