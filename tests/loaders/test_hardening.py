"""What the hardened readers promise beyond refusing bad input: hostile workbooks refused
within seconds and small memory, every row read whatever the file declares, invariants held
across loads (a forest of links), ids that cannot collide, parks whose 首位/主导产业 the
workbook does not define, and places split only on '/'."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importing import link_parents
from app.settings import Settings
from graph_schema.errors import InputError
from graph_schema.identity import IdentityIndex
from loaders.regions import split_region
from loaders.workbook import LoadOptions, read_batch
from tests.conftest import WriteCsv, load
from tests.loaders.corpus import ENT_HEADER, ENT_ROW, header_row, sheet_xml, write_xlsx

ROOT = Path(__file__).parents[2]
CHAIN = ["产业", "产业链", "环节", "上级环节", "链位"]


def _hostile(tmp_path: Path) -> Path:
    """About 5 KB: a declared range of the whole sheet and a row numbered 999999999999."""
    rows = header_row() + '<row r="999999999999"><c r="A1"><v>1</v></c></row>'
    sheet = sheet_xml(rows).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    return write_xlsx(tmp_path / "恶意.xlsx", sheet)


def test_hostile_small_workbook_is_refused_in_seconds(tmp_path: Path) -> None:
    path = _hostile(tmp_path)
    assert path.stat().st_size < 5_000
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", str(path), "--db", str(tmp_path / "kg.db")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert "行号“999999999999”无效" in done.stderr
    assert elapsed < 10


def test_declared_whole_sheet_range_reads_only_what_is_there(
    tmp_path: Path, options: LoadOptions
) -> None:
    rows = (
        header_row()
        + '<row r="2">'
        + "".join(
            f'<c r="{c}2" t="inlineStr"><is><t>{v}</t></is></c>'
            for c, v in zip("ABCDEFG", ENT_ROW, strict=True)
        )
        + "</row>"
    )
    sheet = sheet_xml(rows).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    path = write_xlsx(tmp_path / "清单.xlsx", sheet)
    started = time.monotonic()
    with_chain = tmp_path / "链"
    _chain_csv(with_chain)
    result = load([with_chain, path], options)
    assert time.monotonic() - started < 5
    assert result.rows == 2  # the chain map's row and the enterprise


def _chain_csv(folder: Path) -> None:
    folder.mkdir()
    (folder / "产业链图.csv").write_text(
        "产业,产业链,环节,链位\n新能源,锂电新能源,隔膜,中游\n", encoding="utf-8"
    )


def test_rows_and_columns_beyond_the_declared_dimension_are_read(
    tmp_path: Path, options: LoadOptions
) -> None:
    """A workbook that says A1:A1 but holds 101 enterprises and an extra column."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "企业清单"
    sheet.append([*ENT_HEADER, "备注"])
    for n in range(100):
        sheet.append([f"测试企业{n:03d}有限公司", "", "锂电新能源", "隔膜", "是", "宜春市", 1, "x"])
    path = tmp_path / "清单.xlsx"
    book.save(path)
    _declare_dimension(path, "A1:A1")
    folder = tmp_path / "链"
    _chain_csv(folder)
    result = load([folder, path], options)
    enterprises = [n for n in result.batch.nodes.values() if n.label == "Enterprise"]
    assert len(enterprises) == 100
    assert all(n.props.get("备注") == "x" for n in enterprises)  # column H, beyond A1:A1


def _declare_dimension(path: Path, ref: str) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = re.sub(
        rb'<dimension ref="[^"]*" */>', f'<dimension ref="{ref}"/>'.encode(), parts[name]
    )
    assert f'ref="{ref}"'.encode() in parts[name]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in parts.items():
            zf.writestr(member, data)


def test_one_huge_cell_is_refused_with_little_memory(tmp_path: Path) -> None:
    """A 100 MB shared string (0.1 MB compressed): refused, and the process stays small."""
    import zipfile

    path = tmp_path / "大.xlsx"
    sheet = sheet_xml(header_row() + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    write_xlsx(path, sheet)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml.tmp", b"")  # keep the writer's order simple
    _replace_member(path, "xl/sharedStrings.xml", _big_strings(100_000_000))
    # The peak of this process's own memory (VmHWM): ru_maxrss would carry over pytest's own
    # size across fork and exec.
    code = (
        "import re, sys\n"
        "from app.cli import run\n"
        "try:\n"
        f"    run(['load', {str(path)!r}, '--db', {str(tmp_path / 'kg.db')!r}])\n"
        "except SystemExit as e:\n"
        "    status = open('/proc/self/status').read()\n"
        "    print('exit', e.code, re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "CHAINKG_MAX_ZIP_RATIO": "100000", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )
    word, status, peak_kb = done.stdout.split()[-3:]
    assert (word, status) == ("exit", "2"), done.stderr
    assert "共享字符串过长" in done.stderr
    assert int(peak_kb) < 500_000


def _big_strings(chars: int) -> bytes:
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return head + b"a" * chars + b"</t></si></sst>"


def _replace_member(path: Path, name: str, data: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist() if not i.filename.endswith(".tmp")}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, content in parts.items():
            zf.writestr(member, content)


def test_ids_of_different_links_never_collide(
    write_csv: WriteCsv, tmp_path: Path, options: LoadOptions
) -> None:
    write_csv(
        tmp_path / "in",
        "产业链图",
        [CHAIN, ["新能源", "a/b", "c", "", "上游"], ["新能源", "a", "b/c", "", "上游"]],
    )
    nodes = load([tmp_path / "in"], options).batch.nodes
    links = {n.id: n.name for n in nodes.values() if n.label == "Link"}
    assert links == {"link:a%2Fb/c": "c", "link:a/b%2Fc": "b/c"}


def test_links_differing_only_in_spaces_stay_apart(
    write_csv: WriteCsv, tmp_path: Path, options: LoadOptions
) -> None:
    write_csv(
        tmp_path / "in",
        "产业链图",
        [
            CHAIN,
            ["新能源", "测试链", "正极 材料", "", "上游"],
            ["新能源", "测试链", "正极材料", "", "上游"],
        ],
    )
    nodes = load([tmp_path / "in"], options).batch.nodes
    links = sorted((n.id, n.name) for n in nodes.values() if n.label == "Link")
    assert links == [("link:测试链/正极材料", "正极 材料"), ("link:测试链/正极材料#2", "正极材料")]


def test_park_focus_on_undefined_chains_is_a_warning(
    write_csv: WriteCsv, tmp_path: Path, options: LoadOptions
) -> None:
    folder = tmp_path / "光伏"
    write_csv(folder, "产业链图", [CHAIN, ["新能源", "光伏新能源", "硅料", "", "上游"]])
    write_csv(
        folder,
        "区域分布图",
        [
            ["地区", "园区", "首位产业", "主导产业"],
            ["上饶市", "上饶经开区", "光伏新能源", "汽车、电子信息、低空经济"],
        ],
    )
    result = load([folder], options)
    edges = {
        (e.dst, e.props["priority"]) for e in result.batch.edges.values() if e.type == "FOCUSES_ON"
    }
    assert edges == {
        ("chain:光伏新能源", "首位"),
        ("industry:汽车", "主导"),
        ("industry:电子信息", "主导"),
        ("chain:低空经济", "主导"),
    }
    assert result.batch.nodes["chain:低空经济"].props["placeholder"] is True
    messages = [str(w) for w in result.warnings]
    assert (
        "区域分布图 第2行 [主导产业]: “汽车”不是已定义的产业链，已关联到“2+6+N”产业“汽车”"
        in messages
    )
    assert any("产业链“低空经济”未在产业链图中定义，已新建" in m for m in messages)


def test_places_split_only_on_slashes() -> None:
    assert split_region("United States") == ["United States"]
    assert split_region("Various countries") == ["Various countries"]
    assert split_region("宜春市/袁州区") == ["宜春市", "袁州区"]


def test_outside_place_keeps_its_full_name(
    write_csv: WriteCsv, tmp_path: Path, options: LoadOptions
) -> None:
    folder = tmp_path / "in"
    write_csv(folder, "产业链图", [CHAIN, ["新能源", "测试链", "甲", "", "上游"]])
    write_csv(
        folder,
        "企业清单",
        [
            ["企业名称", "所属产业链", "所属环节", "是否省内", "所在地区"],
            ["Acme Inc", "测试链", "甲", "否", "United States"],
        ],
    )
    nodes = load([folder], options).batch.nodes
    places = {n.name for n in nodes.values() if n.label == "Region"}
    assert places == {"United States"}


# -- a forest, whatever valid loads come ------------------------------------------------------

NAMES = ["甲", "乙", "丙", "丁", "戊"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(["", *NAMES])), max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_any_sequence_of_loads_keeps_the_chain_map_a_forest(
    tmp_path_factory: object, loads: list[list[tuple[str, str]]]
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        settings_ = Settings(db=Path(tmp) / "kg.db")
        settings_.neo4j_uri = None
        store = settings_.open_store()
        try:
            for n, rows in enumerate(loads):
                folder = Path(tmp) / f"load{n}"
                folder.mkdir()
                lines = ["产业,产业链,环节,上级环节,链位"]
                lines += [f"新能源,测试链,{link},{parent},上游" for link, parent in rows]
                (folder / "产业链图.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
                index = store.identity_index()
                try:
                    result = read_batch(
                        [folder], index, settings_.load_options(), None, link_parents(store, index)
                    )
                except InputError:
                    continue  # refused whole: nothing written
                store.write(result.batch, result.files)
            parents: dict[str, list[str]] = {}
            for edge in store.iter_edges("PART_OF"):
                if edge.src.startswith("link:"):
                    parents.setdefault(edge.src, []).append(edge.dst)
            assert all(len(p) == 1 for p in parents.values())  # at most one parent each
            for start in parents:  # following parents never comes back
                seen = {start}
                current = parents.get(start, [None])[0]
                while current is not None:
                    assert current not in seen
                    seen.add(current)
                    current = parents.get(current, [None])[0]
        finally:
            store.close()


def test_year_bounds_are_settings(write_csv: WriteCsv, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_csv(folder, "产业链图", [CHAIN, ["新能源", "测试链", "甲", "", "上游"]])
    write_csv(folder, "项目清单", [["项目名称", "项目阶段", "年份"], ["测试项目", "在谈", "1950"]])
    strict = Settings(min_year=1990).load_options()
    try:
        read_batch([folder], IdentityIndex(), strict)
    except InputError as exc:
        assert [str(i) for i in exc.issues] == [
            "项目清单 第2行 [年份]: 年份“1950”不合理（应在 1990–2100 之间）"
        ]
    else:
        raise AssertionError("1950 passed a 1990 lower bound")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0
