"""Outlines are data; configuration is found and checked like ruff's."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from cmas_bank.config import load_config
from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline, load_outline
from cmas_bank.validate import validate_paths

MINI = FIXTURES / "projects" / "mini"


def test_cmas_2020_blueprint(outline: Outline) -> None:
    assert [a.items for a in outline.work_areas] == [26, 14, 20, 34, 34, 34, 14, 24]
    assert [a.weight for a in outline.work_areas] == [13, 7, 10, 17, 17, 17, 7, 12]
    assert outline.blueprint_items == 200 and outline.provenance == "reconstructed"
    assert outline.exam.duration_minutes == 120 and outline.exam.passing_scaled_score == 70
    assert [len(a.subareas) for a in outline.work_areas] == [4, 7, 4, 3, 3, 4, 2, 7]
    assert outline.subarea_area["5B"] == 5
    assert outline.target(4, 1.25) == 43 and outline.target(8, 1.25) == 30


def test_a_second_outline_works_with_no_code_change() -> None:
    config = load_config(cwd=MINI / "items")  # found by walking up
    assert config.bank == (MINI / "items").resolve()
    outline = load_outline(config.outline, config.root)
    assert outline.id == "mini-exam"
    assert validate_paths([config.bank], outline).diagnostics == []
    # the same item is off-outline under CMAS 2020: 2A belongs to work area 2 there too,
    # but the mini outline's sub-area 1A is checked against its own areas
    cmas = load_outline("cmas-2020")
    item = FIXTURES / "items" / "valid" / "valid-item.yaml"
    codes = [d.code for d in validate_paths([item], outline).diagnostics]
    assert codes == ["IV301"]
    assert validate_paths([item], cmas).diagnostics == []


def test_outline_that_does_not_add_up_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="add up to 9, not blueprint_items 10"):
        load_outline(str(FIXTURES / "outlines" / "broken-sum.yaml"))


def test_unknown_outline_name() -> None:
    with pytest.raises(UsageError, match="neither a built-in outline"):
        load_outline("cmas-1999")


def test_repository_config() -> None:
    config = load_config(cwd=ROOT / "bank")
    assert config.source == ROOT / "pyproject.toml"
    assert config.bank == ROOT / "bank" and config.outline == "cmas-2020"


def test_unknown_config_key_suggests(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbnak = "items"\n')
    with pytest.raises(UsageError, match='did you mean "bank"'):
        load_config(cwd=tmp_path)


def test_no_config_uses_defaults(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert config.source is None and config.bank == tmp_path / "bank"
