"""Documents into the graph, on texts written for these tests (tests/fixtures/docs).

宜春锂电通知.txt is a 通知 with 文号, issuer and date, naming 赣锋锂业, 宜春经开区, 宜春时代
and stating two actual figures for 2025 and two targets for 2027; 园区简报.md is a short
Markdown brief; 政策摘要.docx a Word file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.importing import run_import
from app.settings import Settings
from graph_schema import GraphBatch, Node
from graph_schema.errors import InputError
from loaders.workbook import LoadOptions
from queries.nodes import node_detail, resolve_node
from store.base import GraphStore
from tests.conftest import FIXTURES, MINI, NEO4J_URI, _wipe_neo4j, load, load_store

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


def test_control_characters_in_text_are_removed_with_a_located_warning(
    tmp_path: Path, options: LoadOptions
) -> None:
    text = tmp_path / "简报.txt"
    body = "宜春市锂电产业简报\n第二行正常\n营业收入\x01达到\x1b[31m900亿元\x0c下一页\x7f完\n"
    text.write_text(body, encoding="utf-8")
    result = load([text], options)
    (doc,) = [n for n in result.batch.nodes.values() if n.label == "Document"]
    stored = str(doc.props["text"])
    assert not any((ord(ch) < 32 and ch not in "\t\n") or 0x7F <= ord(ch) <= 0x9F for ch in stored)
    assert "营业收入达到[31m900亿元\n下一页完" in stored  # form feed → line break
    (warning,) = [w for w in result.warnings if "控制字符" in w.message]
    assert (warning.file, warning.sheet, warning.row, warning.severity) == (
        "简报.txt",
        "简报.txt",
        3,
        "warning",
    )
    assert warning.message == (
        "“简报.txt”含 3 个控制字符（U+0001、U+001B、U+007F），已删除；第一个在第3行"
    )


def test_control_characters_in_docx_paragraphs(tmp_path: Path, options: LoadOptions) -> None:
    """XML 1.0 admits DEL and the C1 controls in a .docx paragraph; they are removed too."""
    import zipfile

    path = tmp_path / "方案.docx"
    paragraphs = "".join(
        f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("关于锂电的方案", "第二段\x85正文\x7f")
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{paragraphs}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", xml.encode("utf-8"))
    result = load([path], options)
    (doc,) = [n for n in result.batch.nodes.values() if n.label == "Document"]
    assert str(doc.props["text"]) == "关于锂电的方案\n第二段正文"
    (warning,) = [w for w in result.warnings if "控制字符" in w.message]
    assert warning.message == "“方案.docx”含 2 个控制字符（U+007F、U+0085），已删除；第一个在第2段"
    assert warning.row is None and warning.severity == "warning"


def test_a_document_of_control_characters_only_is_refused(
    tmp_path: Path, options: LoadOptions
) -> None:
    path = tmp_path / "乱码.txt"
    path.write_bytes(b"\x01\x02\x1b\x7f\n")
    with pytest.raises(InputError) as exc:
        load([path], options)
    assert "没有可读的文字" in str(exc.value.issues[0])


# -- scope, subjects, places and years: a city brief, a county plan, a province notice ------
#
# tests/fixtures/docs/scoped/texts holds three documents written for these tests; lists/
# adds 孚能科技（赣州）有限公司 (registered with full-width brackets), a firm of 奉新县 and
# two projects of the 项目清单 that the documents speak of. Each row below is one sentence
# of a document, read by hand: (subject, region, metric, value, year, kind).

SCOPED = DOCS / "scoped"
EXPECTED_FIGURES = {
    # 宜春市工业经济工作简报（2026年第2期）, 宜春市工业和信息化局, 2026-04-15
    "宜春工作简报.txt": [
        ("锂电新能源", "宜春市", "营业收入", 420.0, 2026, "actual"),  # 全市…420亿元
        ("宜春时代新能源科技有限公司", "宜春市", "投资", 45.0, 2026, "actual"),  # 二期项目
        ("锂电新能源", "宜春市", "项目数", 18.0, 2025, "actual"),  # 上年 = 2025
        ("江西示例储能科技有限公司", "宜春市", "投资", 12.0, 2026, "actual"),  # in no list
        ("宜春市", "宜春市", "项目数", 30.0, 2026, "target"),  # 今年全市力争…30个
        ("锂电新能源", "宜春市", "营业收入", 1800.0, 2026, "target"),  # 突破1800亿元
    ],
    # 奉新县…三年行动方案, 奉新县人民政府, 2026-03-01
    "奉新县行动方案.txt": [
        ("锂电新能源", "奉新县", "营业收入", 65.0, 2025, "actual"),  # 2025年, before the plan
        ("锂电新能源", "奉新县", "企业数", 12.0, 2025, "actual"),
        ("锂电新能源", "奉新县", "营业收入", 150.0, 2028, "target"),  # 到2028年…力争
        ("锂电新能源", "奉新县", "企业数", 10.0, 2028, "target"),
        ("锂电新能源", "奉新县", "项目数", 5.0, 2027, "target"),  # 明年 = 2027
    ],
    # 关于推进锂电新能源产业链精准招商的通知, 赣工信字〔2026〕12号, 2026-05-20
    "全省锂电招商通知.txt": [
        ("锂电新能源", "江西省", "营业收入", 5200.0, 2025, "actual"),  # 全省
        ("锂电新能源", "宜春市", "营业收入", 1500.0, 2025, "actual"),  # 宜春市…
        ("锂电新能源", "新余市", "营业收入", 900.0, 2025, "actual"),  # 新余市…
        ("孚能科技（赣州）有限公司", "江西省", "投资", 60.0, None, "actual"),  # its project
        ("锂电新能源", "江西省", "企业数", 20.0, 2026, "target"),  # 力争今年
    ],
}
EXPECTED_SCOPES = {
    "宜春工作简报.txt": "宜春市",  # the title names the city
    "奉新县行动方案.txt": "奉新县",  # the title and the issuer name the county
    "全省锂电招商通知.txt": "江西省",  # the issuer is the province's
}
BRIEF_TITLE = "宜春市工业经济工作简报（2026年第2期）"
FUNENG = "孚能科技（赣州）有限公司"


def _scoped_settings(tmp: Path, backend: str) -> Settings:
    settings = Settings(db=tmp / "scoped.db", cache_dir=tmp / "cache")
    if backend == "sqlite":
        settings.neo4j_uri = None
    else:
        _wipe_neo4j(settings)
    return settings


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param(
            "neo4j",
            marks=[
                pytest.mark.neo4j,
                pytest.mark.skipif(not NEO4J_URI, reason="NEO4J_URI 未设置"),
            ],
        ),
    ],
)
def scoped(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The mini chain, the scoped lists and the three documents, in each store."""
    settings = _scoped_settings(tmp_path_factory.mktemp("scoped"), request.param)
    store = load_store(settings, [MINI, SCOPED / "lists", SCOPED / "texts"])
    yield store
    store.close()


def _documents(store: GraphStore) -> dict[str, Node]:
    return {str(d.props["file"]): d for d in store.iter_nodes("Document")}


def _stated(store: GraphStore, doc: Node) -> list[tuple[object, ...]]:
    keys = ("subject", "region", "metric", "value", "year", "kind")
    figures = [
        store.get_node(r.other_id) for r in store.relationships(doc.id) if r.type == "STATES"
    ]
    return sorted((tuple(f.props.get(k) for k in keys) for f in figures if f is not None), key=str)


@pytest.mark.parametrize("file", sorted(EXPECTED_FIGURES))
def test_figures_have_subject_region_year_and_kind(scoped: GraphStore, file: str) -> None:
    doc = _documents(scoped)[file]
    assert _stated(scoped, doc) == sorted(EXPECTED_FIGURES[file], key=str)


@pytest.mark.parametrize(("file", "region"), sorted(EXPECTED_SCOPES.items()))
def test_document_scope(scoped: GraphStore, file: str, region: str) -> None:
    doc = _documents(scoped)[file]
    assert doc.props["scope"] == region
    assert resolve_node(scoped, str(doc.props["scope_id"])).name == region


def _about(store: GraphStore, figure: Node) -> dict[str, str]:
    """other node's name → role, for a figure's ABOUT edges."""
    return {
        r.other_name: str(r.props.get("role"))
        for r in store.relationships(figure.id)
        if r.type == "ABOUT"
    }


def _figure(store: GraphStore, file: str, value: float) -> Node:
    doc = _documents(store)[file]
    figures = [
        store.get_node(r.other_id) for r in store.relationships(doc.id) if r.type == "STATES"
    ]
    return next(f for f in figures if f is not None and f.props["value"] == value)


def test_a_city_chain_figure_is_about_the_chain_and_the_city(scoped: GraphStore) -> None:
    figure = _figure(scoped, "宜春工作简报.txt", 420.0)
    assert _about(scoped, figure) == {"锂电新能源": "主体", "宜春市": "地区"}
    assert figure.name == "宜春市·锂电新能源2026年一季度营业收入420亿元"
    assert figure.props["period"] == "一季度"  # part of the year: not a yearly revenue
    target = _figure(scoped, "宜春工作简报.txt", 30.0)
    assert _about(scoped, target) == {"宜春市": "主体"}
    assert target.name == "宜春市2026年项目数30个（目标）"


def test_a_project_amount_is_about_the_firm_and_the_listed_project(scoped: GraphStore) -> None:
    figure = _figure(scoped, "全省锂电招商通知.txt", 60.0)
    assert _about(scoped, figure) == {
        FUNENG: "主体",
        "江西省": "地区",
        "孚能科技年产20GWh动力电池项目": "项目",
    }
    assert figure.props["project"] == "孚能科技年产20GWh动力电池项目"
    assert scoped.stats()["nodes"]["Project"] == 5  # 3 of the mini lists + 2: none from texts


def test_a_firm_no_list_holds_is_named_as_written_not_made(scoped: GraphStore) -> None:
    figure = _figure(scoped, "宜春工作简报.txt", 12.0)
    assert figure.props["subject"] == "江西示例储能科技有限公司"
    assert figure.props["subject_type"] == "Enterprise"
    assert _about(scoped, figure) == {"宜春市": "地区"}
    assert not [n for n in scoped.iter_nodes("Enterprise") if "储能" in n.name]


def test_names_are_kept_as_written_and_found_by_any_form(scoped: GraphStore) -> None:
    firm = resolve_node(scoped, "孚能科技(赣州)有限公司")  # typed with half-width brackets
    assert firm.name == FUNENG
    assert resolve_node(scoped, FUNENG).id == firm.id
    assert resolve_node(scoped, "孚能科技（赣州）").id == firm.id  # without the suffix
    doc = resolve_node(scoped, BRIEF_TITLE)
    assert doc.label == "Document"
    assert resolve_node(scoped, "宜春市工业经济工作简报(2026年第2期)").id == doc.id
    assert node_detail(scoped, BRIEF_TITLE).name == BRIEF_TITLE


def test_reloading_changes_nothing(scoped: GraphStore, tmp_path: Path) -> None:
    before = scoped.stats()
    settings = Settings(db=tmp_path / "unused.db", cache_dir=tmp_path / "cache")
    run_import(scoped, [MINI, SCOPED / "lists", SCOPED / "texts"], settings, None)
    assert scoped.stats() == before
    assert [n.name for n in scoped.iter_nodes("Enterprise") if n.name.startswith("孚能")] == [
        FUNENG
    ]


def test_city_and_industry_name_the_cluster_and_the_industry(
    tmp_path: Path, options: LoadOptions
) -> None:
    text = tmp_path / "集群简报.txt"
    text.write_text("宜春锂电等产业集群加快壮大。宜春锂电企业超过百家。", encoding="utf-8")
    batch = load([MINI, text], options).batch
    doc = next(n for n in batch.nodes if n.startswith("doc:"))
    mentioned = {
        e.dst: e.props["count"]
        for e in batch.edges.values()
        if e.type == "MENTIONS" and e.src == doc
    }
    cluster = next(n.id for n in batch.nodes.values() if n.label == "Cluster")
    assert mentioned[cluster] == 1  # only where 集群 follows
    assert mentioned["chain:锂电新能源"] == 2  # the industry mention stays
    assert mentioned["region:江西省/宜春市"] == 2


def test_a_document_over_the_size_limit_says_the_limit_and_the_setting(tmp_path: Path) -> None:
    from loaders.readers import ReadLimits

    notice = tmp_path / "通知.txt"
    notice.write_text("关于印发产业链行动方案的通知\n" * 200, encoding="utf-8")
    tight = LoadOptions("江西省", ReadLimits(1_000, 500_000_000, 200))
    with pytest.raises(InputError) as caught:
        load([notice], tight)
    said = [issue.message for issue in caught.value.issues]
    assert said == [
        f"“通知.txt”过大（{notice.stat().st_size / 1e6:.1f} MB，上限 0 MB），"
        "可调高设置 CHAINKG_MAX_FILE_MB"
    ]
