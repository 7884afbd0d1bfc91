"""Settings compose the analyses' parameters (no inheritance from `queries`), and every
CHAINKG_ variable still sets its field; CHAINKG_DEBUG is a setting."""

from __future__ import annotations

import pytest

from app.settings import PARTS, Settings
from queries.params import AnalysisParams
from queries.province.params import ProvinceParams


def test_settings_hold_the_parameters_as_parts() -> None:
    assert not issubclass(Settings, AnalysisParams | ProvinceParams)
    settings = Settings()
    assert settings.analysis() == AnalysisParams()
    assert settings.province_params() == ProvinceParams()


def test_each_variable_sets_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINKG_WEAK_MIN_REVENUE", "5")
    monkeypatch.setenv("CHAINKG_STRENGTH_TAGS", '["上市"]')
    monkeypatch.setenv("CHAINKG_TARGETS_TOP", "7")
    monkeypatch.setenv("CHAINKG_DEBUG", "1")
    settings = Settings()
    assert settings.analysis().weak_min_revenue == 5.0
    assert settings.analysis().strength_tags == ["上市"]
    assert settings.analysis().weak_min_enterprises == 3  # untouched: the default
    assert settings.province_params().targets_top == 7
    assert settings.debug is True


def test_a_field_given_by_name_wins_over_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINKG_WEAK_MIN_REVENUE", "5")
    monkeypatch.setenv("CHAINKG_ANCHORS_TOP", "9")
    settings = Settings(weak_min_revenue=3)
    assert settings.analysis().weak_min_revenue == 3.0
    assert settings.analysis().anchors_top == 9


def test_a_bad_value_names_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINKG_WEAK_MIN_REVENUE", "十亿")
    with pytest.raises(ValueError, match="weak_min_revenue"):
        Settings()


def test_every_part_field_is_documented_once() -> None:
    """docs/reference/settings.md lists one variable per field of every part."""
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "reference" / "settings.md").read_text("utf-8")
    for model in PARTS.values():
        for name in model.model_fields:
            assert page.count(f"`CHAINKG_{name.upper()}`") == 1, name


def test_every_limit_message_names_a_real_setting() -> None:
    """A size or time limit's message tells the user which CHAINKG_ variable raises it
    (`raise_by`); each one it names must be a setting, or the advice would be a dead end."""
    import re
    from pathlib import Path

    root = Path(__file__).parents[2]
    named = {
        match
        for folder in ("loaders", "app")
        for path in (root / folder).rglob("*.py")
        for match in re.findall(r'raise_by\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert {"max_file_mb", "max_unzipped_mb", "max_zip_ratio", "import_timeout_s"} <= named
    assert named <= set(Settings.model_fields)
