"""Loading the 四图五清单: what a clerk relies on, on the hand-made mini chain.

The mini fixture (tests/fixtures/mini) is a 锂电新能源 chain of 8 links, 3 local and 2 outside
enterprises, 3 projects; the expectations below can be checked by reading its CSV files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from graph_schema import GraphBatch
from graph_schema.errors import InputError, Issue
from graph_schema.identity import IdentityIndex, KnownNode
from loaders.workbook import LoadOptions
from tests.conftest import WriteCsv, load

CHAIN_HEADER = ["产业", "产业链", "环节", "上级环节", "链位", "下游环节", "关键环节", "说明"]
ENT_HEADER = ["企业名称", "统一社会信用代码", "所属产业链", "所属环节", "是否省内", "所在地区"]


def errors_of(exc: pytest.ExceptionInfo[InputError]) -> list[Issue]:
    return [i for i in exc.value.issues if i.severity == "error"]


def test_mini_chain_loads_with_expected_counts(mini_dir: Path, options: LoadOptions) -> None:
    result = load([mini_dir], options)
    counts = result.batch.counts()
    assert counts["nodes"]["Link"] == 8
    assert counts["nodes"]["Enterprise"] == 6  # 5 listed + 1 investor named only in 项目清单
    assert counts["relationships"]["SUPPLIES_TO"] == 7
    assert counts["relationships"]["PART_OF"] == 7  # 碳酸锂→锂盐 + 6 region levels
    assert result.rows == 23
    assert [str(w) for w in result.warnings] == [
        "项目清单 第4行 [投资主体]: 企业“江西示例电解液有限公司”不在企业清单中，已新建该企业（请补充其信息）"
    ]


def test_sub_link_inherits_stage_and_gets_level(mini_dir: Path, options: LoadOptions) -> None:
    nodes = load([mini_dir], options).batch.nodes
    sub = nodes["link:锂电新能源/碳酸锂"]
    assert sub.props["stage"] == "上游"
    assert sub.props["level"] == "细分环节"
    assert nodes["link:锂电新能源/锂盐"].props["level"] == "环节"
    assert nodes["link:锂电新能源/锂盐"].props["key"] is True


def test_project_stages_and_units(mini_dir: Path, options: LoadOptions) -> None:
    nodes = load([mini_dir], options).batch.nodes
    assert nodes["proj:新余锂盐扩产项目"].props["stage"] == "投产"
    assert nodes["proj:新余锂盐扩产项目"].props["stage_raw"] == "达产"
    assert nodes["proj:电解液配套项目"].props["stage"] == "在谈"  # 洽谈
    assert nodes["ent:江西示例正极材料"].props["revenue"] == pytest.approx(0.35)  # 3500万元
    assert nodes["ent:江西示例正极材料"].props["local"] is True  # "Y"


def test_park_abbreviation_and_regions(mini_dir: Path, options: LoadOptions) -> None:
    batch = load([mini_dir], options).batch
    park = batch.nodes["park:宜春经济技术开发区"]
    assert park.props["aliases"] == ["宜春经开区"]
    assert park.props["level"] == "国家级经开区"
    assert ("FOCUSES_ON", park.id, "chain:锂电新能源") in batch.edges
    assert batch.edges[("FOCUSES_ON", park.id, "chain:锂电新能源")].props == {"priority": "首位"}
    county = batch.nodes["region:江西省/宜春市/袁州区"]
    assert county.props["level"] == "县"
    assert ("PART_OF", county.id, "region:江西省/宜春市") in batch.edges
    outside = batch.nodes["ent:91530400MA35X0003J"]
    assert outside.props["region"] == "云南省/玉溪市"


def test_enterprise_edges(mini_dir: Path, options: LoadOptions) -> None:
    edges = load([mini_dir], options).batch.edges
    assert ("SUPPLIES", "ent:91530400MA35X0003J", "ent:91360900MA35X00028") in edges
    assert ("INVESTS_IN", "ent:91350900MA35X0004A", "ent:91360900MA35X00028") in edges
    assert ("IN_LINK", "ent:91350900MA35X0004A", "link:锂电新能源/动力电池系统") in edges
    assert ("BY", "proj:宜春隔膜示范项目", "ent:91530400MA35X0003J") in edges
    member = edges[("MEMBER_OF", "ent:91360900MA35X00028", "cluster:宜春锂电新能源产业集群")]
    assert member.props["role"] == "龙头"  # leader wins over also being listed as member


def test_xlsx_and_csv_give_the_same_batch(
    mini_dir: Path, options: LoadOptions, tmp_path: Path
) -> None:
    import csv

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(mini_dir.glob("*.csv")):
        ws = book.create_sheet(path.stem)
        with path.open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                ws.append([float(c) if c.replace(".", "").isdigit() else c for c in row])
    ws = book.create_sheet("填写说明")
    ws.append(["本表为说明，不导入"])
    xlsx = tmp_path / "四图五清单.xlsx"
    book.save(xlsx)
    from_csv = load([mini_dir], options).batch
    from_xlsx = load([xlsx], options).batch
    assert from_xlsx.counts() == from_csv.counts()
    assert _without_sources(from_xlsx) == _without_sources(from_csv)


def _without_sources(batch: GraphBatch) -> dict[str, dict[str, object]]:
    return {k: {p: v for p, v in n.props.items() if p != "sources"} for k, n in batch.nodes.items()}


def test_gb18030_csv(tmp_path: Path, write_csv: WriteCsv, options: LoadOptions) -> None:
    folder = tmp_path / "gbk"
    write_csv(
        folder,
        "产业链图",
        [CHAIN_HEADER, ["", "稀土", "稀土分离", "", "上游", "", "是", ""]],
        "gb18030",
    )
    write_csv(
        folder,
        "企业清单",
        [ENT_HEADER, ["赣州稀土集团有限公司", "", "稀土", "稀土分离", "是", "赣州市/章贡区"]],
        "gb18030",
    )
    nodes = load([folder], options).batch.nodes
    assert nodes["ent:赣州稀土"].name == "赣州稀土集团有限公司"
    assert nodes["region:江西省/赣州市/章贡区"].name == "章贡区"


def test_utf8_bom_english_keys_fullwidth_and_any_order(
    tmp_path: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    folder = tmp_path / "keys"
    write_csv(
        folder,
        "chain_map",
        [["link", "chain", "stage"], ["电芯", "锂电新能源", "中游"]],
        "utf-8-sig",
    )
    write_csv(
        folder,
        "enterprises",
        [
            ["local", "ＬＩＮＫＳ", " 企业名称 ", "营业收入（万元）", "备注"],
            ["否", "电芯", "某电池有限公司", "5000", "重点跟踪"],
        ],
    )
    node = load([folder], options).batch.nodes["ent:某电池"]
    assert node.props["revenue"] == pytest.approx(0.5)
    assert node.props["备注"] == "重点跟踪"  # unknown columns are kept as properties
    assert node.props["local"] is False


def test_every_error_is_reported_with_sheet_row_and_column(
    mini_dir: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    write_csv(
        mini_dir,
        "企业清单",
        [
            [*ENT_HEADER, "营业收入(亿元)"],
            ["甲公司", "", "锂电新能源", "正级材料", "是", "宜春市", "10"],
            ["乙公司", "91360500MA35X0001H", "锂电新能源", "电芯", "是", "宜春市", "10"],
            ["丙公司", "", "锂电新能源", "电芯", "也许", "宜春市", "10"],
            ["丁公司", "", "锂电新能源", "电芯", "是", "广东省深圳市", "很多"],
            ["", "", "锂电新能源", "电芯", "是", "宜春市", ""],
            ["戊公司", "", "锂电新能源", "电芯", "是", "宜春市", "10"],
        ],
    )
    with pytest.raises(InputError) as exc:
        load([mini_dir], options)
    found = [str(i) for i in errors_of(exc)]
    assert found == [
        "企业清单 第2行 [所属环节]: 未知环节“正级材料”（产业链“锂电新能源”中无此环节；是否为“正极材料”？）",
        "企业清单 第3行 [统一社会信用代码]: 统一社会信用代码“91360500MA35X0001H”无效：校验位应为“G”，实为“H”",
        "企业清单 第4行 [是否省内]: “也许”不是有效的是/否值（可填 是/否、Y/N、true/false、1/0）",
        "企业清单 第5行 [营业收入(亿元)]: 无法识别的金额“很多”（应为数字，可带单位 亿元/万元）",
        "企业清单 第6行 [企业名称]: 必填项“企业名称”为空",
    ]  # 丁公司's region is checked only once its revenue is valid: one error per row at most here


def test_local_enterprise_outside_the_province(
    mini_dir: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    write_csv(
        mini_dir,
        "企业清单",
        [ENT_HEADER, ["丁公司", "", "锂电新能源", "电芯", "是", "广东省深圳市"]],
    )
    with pytest.raises(InputError) as exc:
        load([mini_dir], options)
    assert [str(i) for i in errors_of(exc)] == [
        "企业清单 第2行 [所在地区]: 地区“广东省深圳市”不在江西省，但本行为省内企业或本省项目"
    ]


def test_parent_cycle_and_unknown_downstream(
    tmp_path: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    write_csv(
        tmp_path / "c",
        "产业链图",
        [
            CHAIN_HEADER,
            ["", "铜", "铜冶炼", "铜加工", "中游", "", "", ""],
            ["", "铜", "铜加工", "铜冶炼", "中游", "铜箔", "", ""],
            ["", "铜", "铜材", "", "下游", "铜线", "", ""],
        ],
    )
    with pytest.raises(InputError) as exc:
        load([tmp_path / "c"], options)
    assert [str(i) for i in errors_of(exc)] == [
        "产业链图 第2行 [上级环节]: 上级环节形成循环：铜冶炼 → 铜加工 → 铜冶炼",
        "产业链图 第3行 [下游环节]: 未知下游环节“铜箔”（产业链“铜”中无此环节）",
        "产业链图 第3行 [上级环节]: 上级环节形成循环：铜加工 → 铜冶炼 → 铜加工",
        "产业链图 第4行 [下游环节]: 未知下游环节“铜线”（产业链“铜”中无此环节）",
    ]


def test_missing_required_column(tmp_path: Path, write_csv: WriteCsv, options: LoadOptions) -> None:
    write_csv(
        tmp_path / "m", "企业清单", [["企业名", "所属环节", "是否省内"], ["甲", "电芯", "是"]]
    )
    with pytest.raises(InputError) as exc:
        load([tmp_path / "m"], options)
    assert [str(i) for i in errors_of(exc)] == [
        "企业清单 第1行 [企业名称]: 缺少必填列“企业名称”；是否为“企业名”？"
    ]


def test_ambiguous_link_needs_its_chain(
    tmp_path: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    folder = tmp_path / "amb"
    write_csv(
        folder,
        "产业链图",
        [
            CHAIN_HEADER,
            ["", "锂电新能源", "回收利用", "", "下游", "", "", ""],
            ["", "光伏新能源", "回收利用", "", "下游", "", "", ""],
        ],
    )
    write_csv(
        folder,
        "企业清单",
        [
            ENT_HEADER,
            ["甲公司", "", "", "回收利用", "是", "宜春市"],
            ["乙公司", "", "光伏新能源", "回收利用", "是", "上饶市"],
        ],
    )
    with pytest.raises(InputError) as exc:
        load([folder], options)
    assert [str(i) for i in errors_of(exc)] == [
        "企业清单 第2行 [所属环节]: 环节“回收利用”在多条产业链中都有（锂电新能源、光伏新能源），请填写所属产业链"
    ]


def test_duplicate_rows_merge_with_a_warning(mini_dir: Path, options: LoadOptions) -> None:
    path = mini_dir / "企业清单.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    duplicate = lines[1].replace("江西赣锋锂业集团股份有限公司", "江西赣锋锂业集团")
    path.write_text("\n".join([*lines, duplicate]) + "\n", encoding="utf-8")
    result = load([mini_dir], options)
    assert result.batch.counts()["nodes"]["Enterprise"] == 6
    assert "企业清单 第7行 [企业名称]: 与第2行为同一企业，已合并" in [
        str(w) for w in result.warnings
    ]


def test_names_resolve_against_what_the_store_holds(
    tmp_path: Path, write_csv: WriteCsv, options: LoadOptions
) -> None:
    index = IdentityIndex()
    index.add(KnownNode("Chain", "chain:铜", "铜"))
    index.add(KnownNode("Link", "link:铜/铜冶炼", "铜冶炼", scope="chain:铜"))
    index.add(
        KnownNode(
            "Enterprise", "ent:江西铜业", "江西铜业集团有限公司", ("江铜",), "91360000158304517F"
        )
    )
    folder = tmp_path / "later"
    write_csv(
        folder,
        "项目清单",
        [
            ["项目名称", "投资主体", "所属产业链", "所属环节", "项目阶段"],
            ["铜冶炼技改", "江铜", "铜", "铜冶炼", "在建"],
        ],
    )
    write_csv(
        folder,
        "企业清单",
        [
            [*ENT_HEADER[:2], "所属环节", "是否省内"],
            ["江西铜业股份有限公司", "91360000158304517F", "铜冶炼", "是"],
        ],
    )
    batch = load([folder], options, index).batch
    assert ("BY", "proj:铜冶炼技改", "ent:江西铜业") in batch.edges
    assert ("IN_LINK", "ent:江西铜业", "link:铜/铜冶炼") in batch.edges
    assert batch.counts()["nodes"]["Enterprise"] == 1


def test_not_a_workbook(tmp_path: Path, options: LoadOptions) -> None:
    fake = tmp_path / "报表.xlsx"
    fake.write_text("这不是工作簿", encoding="utf-8")
    with pytest.raises(InputError, match=r"不是有效的 \.xlsx 工作簿"):
        load([fake], options)


def test_unsupported_file_type(tmp_path: Path, options: LoadOptions) -> None:
    other = tmp_path / "清单.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match="只支持"):
        load([other], options)


def test_zip_expansion_limit(mini_dir: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "企业清单"
    book.active.append(["企业名称"])
    for _ in range(3000):
        book.active.append(["甲" * 200])
    xlsx = tmp_path / "big.xlsx"
    book.save(xlsx)
    from loaders.readers import ReadLimits

    tight = LoadOptions("江西省", ReadLimits(50_000_000, 100_000, 200))
    with pytest.raises(InputError, match="解压后过大") as caught:
        load([xlsx], tight)
    assert "上限 0 MB）" in str(caught.value)  # 100 000 bytes, said in MB
    assert str(caught.value).endswith("可调高设置 CHAINKG_MAX_UNZIPPED_MB")


def test_size_limits_say_the_limit_and_the_setting(mini_dir: Path, tmp_path: Path) -> None:
    """A file over a size limit is refused with the limit and the setting that raises it."""
    from loaders.readers import ReadLimits

    size = (mini_dir / "企业清单.csv").stat().st_size
    tight = LoadOptions("江西省", ReadLimits(size // 20, 500_000_000, 200))
    with pytest.raises(InputError) as caught:
        load([mini_dir / "企业清单.csv"], tight)
    limit = size // 20 * 10 / 1e6
    assert str(caught.value) == (
        f"“企业清单.csv”过大（{size / 1e6:.0f} MB，CSV 上限 {limit:.0f} MB，"
        "即 .xlsx 上限的 10 倍），可调高设置 CHAINKG_MAX_FILE_MB"
    )
    book = openpyxl.Workbook()
    book.active.title = "企业清单"
    book.active.append(["企业名称"])
    xlsx = tmp_path / "small.xlsx"
    book.save(xlsx)
    tiny = LoadOptions("江西省", ReadLimits(100, 500_000_000, 200))
    with pytest.raises(InputError) as caught:
        load([xlsx], tiny)
    assert "上限 0 MB）" in str(caught.value)
    assert str(caught.value).endswith("可调高设置 CHAINKG_MAX_FILE_MB")


def test_folder_without_inputs(tmp_path: Path, options: LoadOptions) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"没有 \.csv、\.xlsx 或文档"):
        load([tmp_path / "empty"], options)


def test_loader_does_not_change_its_input(
    mini_dir: Path, options: LoadOptions, tmp_path: Path
) -> None:
    before = {p.name: p.read_bytes() for p in mini_dir.iterdir()}
    load([mini_dir], options)
    assert {p.name: p.read_bytes() for p in mini_dir.iterdir()} == before
    shutil.rmtree(mini_dir)
