"""The Cypher cookbook (queries/cypher/*.cypher) answers as the Python analyses do.

Runs when NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE) name a Neo4j server:
the hand-made analysis chain (tests/fixtures/chain), the officer rules' chain
(tests/fixtures/rules), the chain of firms in several links of one tree (tests/fixtures/overlap),
the mini 锂电 chain and the policy documents are loaded into it through chainkg's own Neo4j store, every cookbook query runs
through the official `neo4j` driver, and its rows are compared with the analyses of
`queries/` on the snapshot of that same store. The database is wiped first: point it at a
throw-away server, e.g. ``docker compose up -d neo4j``. Without NEO4J_URI every test here
is reported as skipped.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.importing import run_import
from app.settings import Settings
from graph_schema.errors import NotFoundError
from queries.anchors import rank_anchors
from queries.cypher import load, parse
from queries.cypher.compose import compose
from queries.diagnosis import chain_overview, diagnose
from queries.nodes import node_detail
from queries.params import AnalysisParams
from queries.recruitment import recruit
from queries.scope import Scope, find_chain, find_scope
from queries.snapshot import Snapshot, build_snapshot
from store.base import GraphStore
from tests.digests import wipe_neo4j

NEO4J_URI = os.environ.get("NEO4J_URI", "")
FIXTURES = Path(__file__).parents[1] / "fixtures"

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(
        not NEO4J_URI,
        reason="NEO4J_URI 未设置：食谱与 Python 分析的对照需要 Neo4j（docker compose up -d neo4j）",
    ),
]

CHAINS = ["示例电池", "锂电新能源", "规则电池", "叠合电池"]
# None = the province; a 市 by name and by path; a 县 by id; a park; the province by name
REGIONS: list[str | None] = [
    None,
    "宜春市",
    "江西省/新余市",
    "region:江西省/宜春市/袁州区",
    "宜春经济技术开发区",
    "江西省",
]
# every other way a user names a scope: the province, a 市 and a 县 by short name, a 县 by
# name, a park by abbreviation and by id, a name typed with full-width spaces
NAMED: list[str | None] = [
    "江西",
    "宜春",
    "新余",
    "袁州区",
    "袁州",
    "宜春经开区",
    "新余高新区",
    "park:宜春经济技术开发区",
    "\u3000宜春市 ",
]
SCOPES = REGIONS + NAMED
# what a person may type for a scope or a chain, known or not (None and blank: the province)
SCOPE_TEXTS = [*SCOPES, "", "  ", "江西省/宜春市", "渝水", "新余高新技术产业开发区", "南昌", "宜"]
CHAIN_TEXTS = [
    "示例电池",
    "chain:示例电池",
    "锂电新能源",
    "锂电",
    "示例",
    " 锂电新能源",
    "有色",
    "电池",
]
# thresholds other than the defaults, to show that the parameters are used
STRICT = {
    "weak_min_enterprises": 2,
    "weak_min_revenue": 40.0,
    "weak_max_share": 0.5,
    "strength_tags": ["链主"],
    "open_problem_statuses": ["待办", "办理中", "已销号"],
    "weak_share_min_known": 1.0,
}


class Neo4jRunner:
    """Runs cookbook files against the server with the official driver."""

    def __init__(self, settings: Settings) -> None:
        from neo4j import GraphDatabase

        self.database = settings.neo4j_database
        self.driver = GraphDatabase.driver(
            NEO4J_URI, auth=(settings.neo4j_user, settings.neo4j_password)
        )

    def wipe(self) -> None:
        wipe_neo4j(self.driver, self.database)

    def rows(self, file: str, /, **values: Any) -> list[dict[str, Any]]:
        query = load(file)
        # The text is a file of the project, never user input; every value is a parameter.
        records, _, _ = self.driver.execute_query(
            query.text, query.bind(**values), database_=self.database
        )
        return [record.data() for record in records]

    def composed(self, tmp: Path, template: str, /, **values: Any) -> list[dict[str, Any]]:
        """Rows of a statement composed, like the shipped files, from the fragments."""
        path = tmp / "probe.cypher"
        path.write_text(template, encoding="utf-8")
        query = parse("probe", compose(path))
        records, _, _ = self.driver.execute_query(
            query.text, query.bind(**values), database_=self.database
        )
        return [record.data() for record in records]

    def close(self) -> None:
        self.driver.close()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GraphStore, Neo4jRunner]]:
    settings = Settings(db=tmp_path_factory.mktemp("parity") / "unused.db")
    assert settings.neo4j_uri, "NEO4J_URI is read by the settings"
    runner = Neo4jRunner(settings)
    runner.wipe()
    store = settings.open_store()
    assert store.backend == "neo4j"
    run_import(
        store,
        [
            FIXTURES / "chain",
            FIXTURES / "rules",
            FIXTURES / "overlap",
            FIXTURES / "mini",
            FIXTURES / "docs",
        ],
        settings,
    )
    yield store, runner
    store.close()
    runner.close()


@pytest.fixture(scope="module")
def store(loaded: tuple[GraphStore, Neo4jRunner]) -> GraphStore:
    return loaded[0]


@pytest.fixture(scope="module")
def neo(loaded: tuple[GraphStore, Neo4jRunner]) -> Neo4jRunner:
    return loaded[1]


@pytest.fixture(scope="module")
def snap(store: GraphStore) -> Snapshot:
    return build_snapshot(store)


def close(a: float | None, b: float | None, tol: float = 1e-4) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, abs_tol=tol)


def by_id(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    out = {row[key]: row for row in rows}
    assert len(out) == len(rows), f"duplicate {key} in {rows}"
    return out


# -- names resolved as the analyses resolve them -------------------------------------------

RESOLVE_REGION = """// 地区解析
// @params region
// @include region carry=
RETURN [s IN scopes | s.id] AS ids, whole;
"""
RESOLVE_CHAIN = """// 产业链解析
// @params chain
// @include chain
RETURN c.id AS id;
"""


def python_answer(find: Any, snap: Snapshot, text: str | None) -> list[dict[str, Any]]:
    """The rows the probe must give: the place (or chain) Python finds; none where it fails."""
    try:
        found = find(snap, text)
    except NotFoundError:
        return []
    if isinstance(found, Scope):
        # the whole province: no place left to filter by
        return (
            [{"ids": [], "whole": True}]
            if found.id is None
            else [{"ids": [found.id], "whole": False}]
        )
    return [{"id": found.id}]


@pytest.mark.parametrize("text", SCOPE_TEXTS)
def test_region_resolves_as_in_python(
    neo: Neo4jRunner, snap: Snapshot, tmp_path: Path, text: str | None
) -> None:
    """The cookbook's fragment finds the place `find_scope` finds, or none where it fails."""
    rows = neo.composed(tmp_path, RESOLVE_REGION, region=text)
    if rows and rows[0]["whole"]:
        rows = [{"ids": [], "whole": True}]  # the province named, or nothing named
    assert rows == python_answer(find_scope, snap, text)


@pytest.mark.parametrize("text", CHAIN_TEXTS)
def test_chain_resolves_as_in_python(
    neo: Neo4jRunner, snap: Snapshot, tmp_path: Path, text: str
) -> None:
    rows = neo.composed(tmp_path, RESOLVE_CHAIN, chain=text)
    assert rows == python_answer(find_chain, snap, text)


def test_the_probe_texts_cover_every_kind_of_place(snap: Snapshot) -> None:
    """Province, 市, 县 and 园区 are each named in several ways, and some texts name nothing."""
    kinds: dict[str, set[str]] = {}
    misses = 0
    for text in SCOPE_TEXTS:
        try:
            scope = find_scope(snap, text)
        except NotFoundError:
            misses += 1
            continue
        kind = "Park" if scope.label == "Park" else scope.level or "全省"
        kinds.setdefault(kind, set()).add(str(text))
    assert {kind: len(texts) for kind, texts in kinds.items()} == {
        "全省": 3,  # None, '', '  '
        "省": 2,
        "市": 6,
        "县": 4,
        "Park": 5,
    }
    assert misses >= 2


# -- diagnosis ----------------------------------------------------------------------------


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize(
    ("region", "strict"),
    [(r, False) for r in SCOPES] + [(r, True) for r in REGIONS],
    ids=[f"{r}-defaults" for r in SCOPES] + [f"{r}-strict" for r in REGIONS],
)
def test_link_diagnosis(
    neo: Neo4jRunner, snap: Snapshot, chain: str, region: str | None, strict: bool
) -> None:
    values = STRICT if strict else {}
    expected = diagnose(snap, chain, region, AnalysisParams(**values)).model_dump(mode="json")
    got = by_id(neo.rows("01_link_diagnosis", chain=chain, region=region, **values), "link_id")
    assert set(got) == {link["id"] for link in expected["links"]}
    for link in expected["links"]:
        row = got[link["id"]]
        assert row["status"] == link["status"], (link["name"], row, link["reasons"])
        assert row["local_enterprises"] == link["local_enterprises"], link["name"]
        assert close(row["revenue_sum"], link["local_revenue"]), link["name"]
        assert row["stage"] == link["stage"], link["name"]
        # the JSON lists the largest projects (and gives the counts); Cypher lists them all
        assert len(row["present_projects"]) == link["project_count"], link["name"]
        assert len(row["pipeline"]) == link["pipeline_count"], link["name"]
        assert {p["id"] for p in link["projects"]} <= {p["id"] for p in row["present_projects"]}
        assert {p["id"] for p in link["pipeline"]} <= {p["id"] for p in row["pipeline"]}
        shown = {e["id"] for e in link["enterprises"]}
        assert shown <= {e["id"] for e in row["enterprises"]}
        if link["status"] == "weak":
            assert row["weak_rules"], link["name"]
        else:
            assert row["weak_rules"] == [], link["name"]


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("region", SCOPES)
def test_missing_and_broken_links(
    neo: Neo4jRunner, snap: Snapshot, chain: str, region: str | None
) -> None:
    expected = diagnose(snap, chain, region, AnalysisParams()).model_dump(mode="json")
    gaps = {
        link["id"]: link["status"]
        for link in expected["links"]
        if link["status"] in ("missing", "broken")
    }
    rows = neo.rows("02_missing_and_broken_links", chain=chain, region=region)
    assert {row["link_id"]: row["status"] for row in rows} == gaps
    statuses = [row["status"] for row in rows]
    assert statuses == sorted(statuses)  # broken before missing
    links = {link["id"]: link for link in expected["links"]}
    for row in rows:
        link = links[row["link_id"]]
        assert len(row["pipeline"]) == link["pipeline_count"]
        assert {p["id"] for p in link["pipeline"]} <= {p["id"] for p in row["pipeline"]}
        if row["status"] == "broken":
            assert row["upstream_present"] and row["downstream_present"]


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("region", SCOPES)
def test_weak_link_evidence(
    neo: Neo4jRunner, snap: Snapshot, chain: str, region: str | None
) -> None:
    expected = {
        link["id"]: link
        for link in diagnose(snap, chain, region, AnalysisParams()).model_dump(mode="json")["links"]
        if link["status"] == "weak"
    }
    got = by_id(neo.rows("03_weak_link_evidence", chain=chain, region=region), "link_id")
    assert set(got) == set(expected)
    for link_id, link in expected.items():
        row = got[link_id]
        fired = (
            row["too_few_enterprises"]
            + row["small_and_untagged"]
            + row["too_concentrated"]
            + len(row["open_problems"])
        )
        assert fired == len(link["reasons"]) == len(row["weak_rules"]), (row, link["reasons"])
        assert row["local_enterprises"] == len(row["enterprises"]) == link["local_enterprises"]


def test_the_fixture_has_every_status(neo: Neo4jRunner) -> None:
    """The hand-made chain's 说明 column, read through Cypher."""
    rows = by_id(neo.rows("01_link_diagnosis", chain="示例电池"), "link")
    assert {name: row["status"] for name, row in rows.items()} == {
        "原料": "strong",
        "设备": "missing",
        "材料": "strong",
        "材料甲": "weak",
        "材料乙": "weak",
        "隔膜": "broken",
        "电解液": "weak",
        "电芯": "weak",
        "系统": "weak",
        "回收": "weak",
        "应用": "missing",
    }
    assert rows["材料"]["local_enterprises"] == 3  # rolled up from 材料甲 and 材料乙
    assert rows["电芯"]["max_share"] == pytest.approx(0.9)
    assert rows["回收"]["present_projects"][0]["stage_raw"] == "达产"
    assert rows["系统"]["open_problems"] == ["卡脖子：系统核心部件依赖进口"]


# -- 本地配套率 ----------------------------------------------------------------------------


@pytest.mark.parametrize("region", SCOPES)
def test_local_rate_by_chain(neo: Neo4jRunner, snap: Snapshot, region: str | None) -> None:
    expected = {
        c["id"]: c
        for c in [c.model_dump(mode="json") for c in chain_overview(snap, AnalysisParams(), region)]
    }
    got = by_id(neo.rows("04_local_rate_by_chain", region=region), "chain_id")
    assert set(got) == {k for k, c in expected.items() if c["links"]}
    for chain_id, row in got.items():
        assert close(row["local_rate"], expected[chain_id]["local_rate"]), chain_id
        assert row["links"] == expected[chain_id]["links"]
        counts = {s: row[s] for s in ("strong", "weak", "missing", "broken")}
        assert counts == expected[chain_id]["counts"], chain_id


def test_a_firm_counts_once_in_a_link(neo: Neo4jRunner) -> None:
    """tests/fixtures/overlap (its README): four firms sit in two links of one tree; each
    counts once in a link above both, with its 分环节营收 there summed. 04 takes a shorter way
    than 01 for firms whose links lie in different trees: both must give the README's answer."""
    rows = by_id(neo.rows("01_link_diagnosis", chain="叠合电池"), "link")
    assert {name: row["status"] for name, row in rows.items()} == {
        "材料": "strong",
        "材料甲": "weak",
        "甲一": "weak",
        "材料乙": "weak",
        "电池": "weak",
    }
    assert {name: row["local_enterprises"] for name, row in rows.items()} == {
        "材料": 5,
        "材料甲": 2,
        "甲一": 1,
        "材料乙": 4,
        "电池": 1,
    }
    assert rows["材料"]["max_share"] == pytest.approx(40 / 72)
    assert rows["材料乙"]["max_share"] == pytest.approx(50 / 57)
    chains = by_id(neo.rows("04_local_rate_by_chain"), "chain_id")
    assert chains["chain:叠合电池"] == {
        "chain_id": "chain:叠合电池",
        "chain": "叠合电池",
        "industry": "新能源",
        "links": 5,
        "leaf_links": 3,
        "present_leaf_links": 3,
        "local_rate": 1.0,
        "strong": 1,
        "weak": 4,
        "missing": 0,
        "broken": 0,
    }
    # 宜春市: 跨树丙 and 新余戊 (新余市) are out of scope: 电池 has no local firm (missing),
    # 材料 keeps 3 (双栖甲 20, 双栖乙 40, 单一丁) and stays strong
    here = by_id(neo.rows("04_local_rate_by_chain", region="宜春市"), "chain_id")["chain:叠合电池"]
    counts = [here[k] for k in ("present_leaf_links", "strong", "weak", "missing")]
    assert counts == [2, 1, 3, 1]


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("region", [None, "江西省", "江西", "宜春市", "宜春"])
def test_local_rate_by_region(
    neo: Neo4jRunner, snap: Snapshot, chain: str, region: str | None
) -> None:
    rows = neo.rows("05_local_rate_by_region", chain=chain, region=region)
    parent = "region:江西省" if region in (None, "江西省", "江西") else "region:江西省/宜春市"
    subs = sorted(p.id for p in snap.places.values() if parent in p.parents and p.label == "Region")
    assert sorted(row["region_id"] for row in rows) == subs
    for row in rows:
        summary = diagnose(snap, chain, row["region_id"], AnalysisParams()).model_dump(mode="json")[
            "summary"
        ]
        assert close(row["local_rate"], summary["local_rate"]), row["region"]
        assert row["leaf_links"] == summary["leaf_links"]
        assert row["present_leaf_links"] == summary["present_leaf_links"]


# -- 链主 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("region", [None, "宜春市", "江西省/新余市", "宜春", "宜春经开区", "袁州"])
def test_anchor_inputs(neo: Neo4jRunner, snap: Snapshot, chain: str, region: str | None) -> None:
    params = AnalysisParams()
    expected = {
        a["id"]: a
        for a in rank_anchors(snap, chain, params, region=region, top=10_000).model_dump(
            mode="json"
        )["anchors"]
    }
    got = by_id(neo.rows("06_anchor_inputs", chain=chain, region=region), "enterprise_id")
    assert set(got) == set(expected)
    centrality_weight = params.anchor_weight_centrality / params.anchor_weights_total()
    for ent_id, a in expected.items():
        row = got[ent_id]
        for component in ("scale", "breadth", "pull", "standing"):
            assert close(row[component], a["components"][component]), (ent_id, component)
        assert row["local_partners"] == a["inputs"]["local_partners"]
        assert row["designated"] == a["designated"], ent_id
        assert sorted(row["links"]) == sorted(a["inputs"]["links"])
        partial = a["score"] - centrality_weight * a["components"]["centrality"]
        assert close(row["index_without_centrality"], partial, 1e-3), ent_id


def test_designated_anchors_come_first(neo: Neo4jRunner) -> None:
    """电池乙 is tagged 链主: first although its index is lower than 电池甲's."""
    rows = neo.rows("06_anchor_inputs", chain="规则电池")
    assert [r["enterprise"] for r in rows if r["designated"]] == ["电池乙有限公司"]
    assert rows[0]["enterprise"] == "电池乙有限公司"
    assert rows[0]["index_without_centrality"] < rows[1]["index_without_centrality"]


# -- 补链招商 ------------------------------------------------------------------------------

RECRUIT_VARIANTS = {
    "defaults": {},
    "province-firms": {"recruit_province_firms": True},
    "strict-grades": {"recruit_grade_a": 40, "recruit_grade_b": 20, "recruit_main_share": 0.05},
}


@pytest.mark.parametrize("variant", sorted(RECRUIT_VARIANTS))
@pytest.mark.parametrize(
    ("chain", "link", "region"),
    [
        ("示例电池", "隔膜", None),
        ("示例电池", "隔膜", "宜春市"),
        ("示例电池", "隔膜", "江西省/新余市"),
        ("示例电池", "设备", None),
        ("示例电池", "材料", "宜春市"),
        ("锂电新能源", "隔膜", None),
        ("锂电新能源", "锂盐", "宜春市"),
        ("锂电", "锂盐", "宜春"),
        ("示例电池", "隔膜", "新余高新区"),
        ("示例电池", "材料", "宜春经开区"),
        ("示例电池", "link:示例电池/隔膜", "袁州"),
        ("规则电池", "材料A", None),
        ("规则电池", "材料A", "宜春市"),
        ("规则电池", "材料", "宜春"),
        ("规则电池", "矿产", None),
        ("规则电池", "整车", "袁州区"),
    ],
)
def test_recruitment_candidates(
    neo: Neo4jRunner,
    snap: Snapshot,
    chain: str,
    link: str,
    region: str | None,
    variant: str,
) -> None:
    values = RECRUIT_VARIANTS[variant]
    expected = recruit(
        snap, chain, AnalysisParams(**values), region=region, link=link, top=10_000
    ).model_dump(mode="json")
    rows = neo.rows(
        "07_recruitment_candidates", chain=chain, region=region, link=link, top=1000, **values
    )
    assert [r["enterprise_id"] for r in rows] == [i["enterprise_id"] for i in expected["items"]]
    for row, item in zip(rows, expected["items"], strict=True):
        assert close(row["score"], item["score"], 1e-3), item["enterprise"]
        assert row["score_100"] == item["score_100"], item["enterprise"]
        assert row["grade"] == item["grade"], item["enterprise"]
        assert row["main_business"] == item["reasons"][0].startswith("主营"), item["reasons"]
        assert row["pipeline_stage"] == item["pipeline_stage"]
        for component in ("scale", "standing", "proximity", "affinity"):
            assert close(row[component], item["components"][component], 1e-3), component
    excluded = {e["enterprise_id"] for e in expected["excluded"]}
    assert not excluded & {r["enterprise_id"] for r in rows}


def test_recruitment_rules_of_the_officers(neo: Neo4jRunner) -> None:
    """材料A in 宜春市: 新余's firm is not a target; 巨头 is ranked by its 5 亿 in the link and
    only 涉足 it; 专业 (主要产品) and 新秀 (60 %) are 主营; 矿产 is closed to recruitment."""
    rows = neo.rows("07_recruitment_candidates", chain="规则电池", link="材料A", region="宜春市")
    assert [r["enterprise"] for r in rows] == [
        "外省材料专业有限公司",
        "外省材料新秀有限公司",
        "外省巨头集团有限公司",
    ]
    assert [r["main_business"] for r in rows] == [True, True, False]
    assert rows[1]["main_share"] == pytest.approx(0.6)
    assert rows[2]["main_share"] == pytest.approx(0.005)
    assert neo.rows("07_recruitment_candidates", chain="规则电池", link="矿产") == []


def test_concentration_counts_known_revenue_only(neo: Neo4jRunner) -> None:
    """冶炼: 95 of the 100 known → weak; 电池: 1 of 3 known → no share claimed."""
    rows = by_id(neo.rows("01_link_diagnosis", chain="规则电池"), "link")
    assert rows["冶炼"]["max_share"] == pytest.approx(0.95)
    assert rows["冶炼"]["status"] == "weak"
    assert rows["电池"]["max_share"] is None


def test_recruitment_flags_talks_and_drops_signed(neo: Neo4jRunner) -> None:
    """隔膜 in the province: 丙 has a 签约 project (left out), 丁 is in talks (kept, 在谈)."""
    rows = by_id(neo.rows("07_recruitment_candidates", chain="示例电池", link="隔膜"), "enterprise")
    assert "外省隔膜丙有限公司" not in rows
    assert rows["外省隔膜丁有限公司"]["pipeline_stage"] == "在谈"
    assert rows["外省隔膜甲有限公司"]["proximity"] == 1.0  # supplies 电芯一
    assert rows["外省隔膜甲有限公司"]["source_region"] == "粤港澳"


# -- documents and projects -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["宜春市", "chain:锂电新能源", "宜春时代新能源科技有限公司", "link:示例电池/隔膜"]
)
def test_documents_mentioning(neo: Neo4jRunner, store: GraphStore, name: str) -> None:
    detail = node_detail(store, name)
    rows = [r for r in neo.rows("08_documents_mentioning", name=name) if r["node_id"] == detail.id]
    assert sorted(r["document_id"] for r in rows) == sorted(d.id for d in detail.documents)
    for row in rows:
        assert row["mentions"] >= 1 and row["title"]


def test_some_node_is_mentioned(neo: Neo4jRunner) -> None:
    assert neo.rows("08_documents_mentioning", name="宜春市")


@pytest.mark.parametrize("chain", [*CHAINS, "锂电"])
@pytest.mark.parametrize(
    "region", [None, "宜春市", "江西省/新余市", "宜春", "宜春经开区", "袁州区"]
)
def test_project_pipeline(
    neo: Neo4jRunner, store: GraphStore, snap: Snapshot, chain: str, region: str | None
) -> None:
    info = find_chain(snap, chain)
    result = diagnose(snap, chain, region, AnalysisParams()).model_dump(mode="json")
    scope_id = find_scope(snap, region).id
    # the chain's projects: those filling one of its links, and those tagged with it
    filling = {p.id for p in info.projects}
    tagged = {n.id for n in store.iter_nodes("Project") if n.props.get("chain") == info.id}
    mine = {
        p.id: p
        for p in snap.projects.values()
        if (p.id in filling or p.id in tagged) and (scope_id is None or scope_id in p.places)
    }
    rows = by_id(neo.rows("09_project_pipeline", chain=chain, region=region), "stage")
    stages: dict[str, set[str]] = {}
    for p in mine.values():
        stages.setdefault(p.stage or "未填", set()).add(p.id)
    assert {s: {i["id"] for i in row["items"]} for s, row in rows.items()} == stages
    for stage, row in rows.items():
        assert row["projects"] == len(stages[stage])
        assert close(row["amount"], sum(mine[i].amount or 0.0 for i in stages[stage]))
    pipeline = {p["id"] for link in result["links"] for p in link["pipeline"]}
    in_rows = {
        i["id"] for s in ("签约", "开工", "在建") for i in rows.get(s, {"items": []})["items"]
    }
    assert pipeline <= in_rows
