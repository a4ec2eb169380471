"""Each broken fixture has one flaw and must yield its code at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BANK, FIXTURES

from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

INVALID = FIXTURES / "items" / "invalid"

EXPECTED: dict[str, list[tuple[str, int, int]]] = {
    "missing-field": [("IV201", 2, 1)],
    "wrong-type": [("IV202", 3, 9)],
    "unknown-key-typo": [("IV201", 2, 1), ("IV203", 17, 1)],
    "fifth-option": [("IV204", 16, 3)],
    "answer-not-option": [("IV205", 16, 9)],
    "subarea-other-area": [("IV302", 4, 12)],
    "unknown-area": [("IV301", 3, 9)],
    "duplicate-key": [("IV104", 6, 1)],
    "invalid-utf8": [("IV102", 9, 11)],
    "syntax-error": [("IV103", 17, 10)],
    "tab-indentation": [("IV103", 12, 1)],
    "empty-file": [("IV108", 1, 1)],
    "not-a-mapping": [("IV108", 1, 1)],
    "alias": [("IV105", 24, 5)],
    "custom-tag": [("IV106", 16, 9)],
    "two-documents": [("IV107", 35, 1)],
    "approved-no-reference": [("IV206", 21, 1)],
    "approved-self-review": [("IV207", 25, 1)],
    "bad-date": [("IV202", 33, 10)],
}


def test_every_invalid_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_is_located(name: str, outline: Outline) -> None:
    result = validate_paths([INVALID / f"{name}.yaml"], outline)
    found = [(d.code, d.line, d.column) for d in result.diagnostics]
    assert found == EXPECTED[name]
    for d in result.diagnostics:
        assert d.path.endswith(f"{name}.yaml") and d.message


def test_messages_a_writer_can_act_on(outline: Outline) -> None:
    messages = {d.code: d.message for d in validate_paths([INVALID], outline).diagnostics}
    assert 'did you mean "rationale"' in messages["IV203"]
    assert "tab" in messages["IV103"] or "syntax" in messages["IV103"]
    assert "5B belongs to work area 5, not 6" in messages["IV302"]
    assert "'E'" in messages["IV205"]


def test_valid_fixture_and_shipped_bank_are_clean(outline: Outline) -> None:
    result = validate_paths([FIXTURES / "items" / "valid", BANK], outline)
    assert result.diagnostics == []
    assert len(result.items) == len(result.files) >= 2


def test_duplicate_id_and_file_name(tmp_path: Path, outline: Outline) -> None:
    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "valid-item.yaml").write_text(source)
    (tmp_path / "b" / "valid-item.yaml").write_text(source)
    (tmp_path / "b" / "renamed.yaml").write_text(source)
    result = validate_paths([tmp_path], outline, root=tmp_path)
    found = sorted((d.path, d.code, d.line) for d in result.diagnostics)
    assert found == [
        ("b/renamed.yaml", "IV401", 2),
        ("b/renamed.yaml", "IV402", 2),
        ("b/valid-item.yaml", "IV401", 2),
    ]
    duplicate = next(d for d in result.diagnostics if d.path == "b/valid-item.yaml")
    assert "a/valid-item.yaml:2" in duplicate.message


def test_updated_before_created_and_self_enemy(tmp_path: Path, outline: Outline) -> None:
    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    source = source.replace("created: 2026-11-24", "created: 2026-11-25")
    source = source.replace("enemies: []", "enemies: [valid-item]")
    path = tmp_path / "valid-item.yaml"
    path.write_text(source)
    found = [(d.code, d.line) for d in validate_paths([path], outline).diagnostics]
    assert found == [("IV209", 32), ("IV208", 35)]


def test_missing_path_is_a_usage_error(outline: Outline) -> None:
    from cmas_bank.errors import UsageError

    with pytest.raises(UsageError, match="no such file"):
        validate_paths([FIXTURES / "does-not-exist"], outline)
