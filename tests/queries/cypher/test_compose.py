"""The shipped cookbook files are exactly what the templates and the shared fragments make."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries.cypher import defaults, load_all
from queries.cypher.compose import (
    FRAGMENTS,
    HERE,
    TEMPLATES,
    compose,
    groups,
    main,
    param_note,
    render_literal,
    shipped,
    stale,
)
from queries.params import AnalysisParams


def test_every_shipped_file_is_what_the_fragments_make() -> None:
    """Fails when a shipped file was edited by hand or a fragment changed without composing:
    run ``python -m queries.cypher.compose``."""
    assert stale() == []
    assert main(["compose", "--check"]) == 0
    made = sorted(p.name for p in shipped())
    assert made == sorted([*(p.name for p in HERE.glob("*.cypher")), "README.md"])


def test_check_names_a_file_edited_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "cypher"
    copy.mkdir()
    for path in [*HERE.glob("*.cypher"), HERE.parent / "README.md"]:
        target = tmp_path / "README.md" if path.name == "README.md" else copy / path.name
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    edited = copy / "01_link_diagnosis.cypher"
    edited.write_text(edited.read_text(encoding="utf-8").replace("< $weak", "<= $weak"), "utf-8")
    (copy / "99_stray.cypher").write_text("// 多余\nRETURN 1 AS one;\n", encoding="utf-8")
    monkeypatch.setattr("queries.cypher.compose.HERE", copy)
    readme = tmp_path / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("weak_max_share: 0.8", "x"), "utf-8"
    )
    assert stale() == [
        "queries/cypher/01_link_diagnosis.cypher",
        "queries/README.md",
        "queries/cypher/99_stray.cypher",
    ]
    assert main(["compose", "--check"]) == 1
    out = capsys.readouterr().out
    assert "queries/cypher/01_link_diagnosis.cypher 与模板和片段生成的结果不一致" in out
    assert main(["compose"]) == 0  # rewrites the edited files, leaves the stray one
    assert stale() == ["queries/cypher/99_stray.cypher"]
    assert "weak_max_share: 0.8" in readme.read_text(encoding="utf-8")


def test_every_fragment_is_used_and_documented() -> None:
    texts = "\n".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.cypher"))
    texts += "\n".join(p.read_text(encoding="utf-8") for p in FRAGMENTS.glob("*.cypher"))
    for path in FRAGMENTS.glob("*.cypher"):
        doc = path.read_text(encoding="utf-8").partition("\n\n")[0]
        assert doc.startswith("// "), path.name
        used = f"@include {path.stem}" in texts or "{{" + path.stem in texts
        assert used, f"{path.name} is not used by any template"


def test_shared_parts_are_written_once() -> None:
    """No two templates share six or more lines (the fragments hold what they share)."""
    runs: dict[tuple[str, ...], set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.cypher")) + sorted(FRAGMENTS.glob("*.cypher")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for i in range(len(lines) - 5):
            window = tuple(lines[i : i + 6])
            if all(window) and not all(line.startswith("//") for line in window):
                runs.setdefault(window, set()).add(path.name)
    repeated = {w: names for w, names in runs.items() if len(names) > 1}
    assert not repeated, repeated


def test_defaults_come_from_analysis_params() -> None:
    """Every threshold a file declares is documented with AnalysisParams' own default, and
    every field of AnalysisParams a file takes belongs to one group."""
    params = AnalysisParams()
    for query in load_all():
        for name, note in query.notes.items():
            if name in AnalysisParams.model_fields:
                assert note.endswith(f"默认 {render_literal(getattr(params, name))}）"), name
    grouped = {f for names in groups().values() for f in names}
    left_out = set(AnalysisParams.model_fields) - grouped
    assert left_out == {
        "anchor_pagerank_alpha",
        "anchors_top",
        "recruit_top",
        "recruit_cache_firms",
    }
    assert defaults()["top"] == params.recruit_top
    assert param_note("weak_min_enterprises") == "弱链：本地企业少于该数（默认 3）"
    assert (
        param_note("weak_min_revenue")
        == "弱链：无强势企业且本地营收合计低于该值（亿元；默认 10.0）"
    )


def test_a_template_may_not_restate_a_default(tmp_path: Path) -> None:
    template = tmp_path / "x.cypher"
    template.write_text("// 标题\n// @param weak_min_enterprises 少于 3 家\nRETURN 1;\n", "utf-8")
    with pytest.raises(ValueError, match="restates AnalysisParams"):
        compose(template)


def test_directives_expand(tmp_path: Path) -> None:
    template = tmp_path / "x.cypher"
    template.write_text(
        "// 标题\n// @params chain\n"
        "WITH 1 AS c, 2 AS sub, [] AS scopes, false AS whole\n"
        "// @include places carry=c,sub\n"
        "RETURN {{local node=e}} AS x;\n",
        encoding="utf-8",
    )
    text = compose(template)
    assert text.startswith("// 标题\n//\n// 生成文件：由 templates/x.cypher 与 fragments/ 中的片段")
    assert "// @param chain " in text
    assert "WITH c, sub, whole,\n     COLLECT {" in text
    assert (
        "RETURN (e.local = true AND (whole OR EXISTS { MATCH (e)-[:LOCATED_IN]->(p) "
        "WHERE p.id IN places })) AS x;"
    ) in text
    assert not re.search(r"\{\{|\}\}|@include|@params", text)


def test_render_literal_quotes_and_nests() -> None:
    assert render_literal("it's") == "'it\\'s'"
    assert render_literal({"粤港澳": ["广东"]}) == "{`粤港澳`: ['广东']}"
    with pytest.raises(TypeError):
        render_literal(object())
