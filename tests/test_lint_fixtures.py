"""Every lint rule has a failing fixture that fires at the right place and a passing one that
does not. Each fixture file states its expectation in a header comment:

    # expect: IW301 15:6, IW101 12:43      (or "nothing")

Item fixtures (tests/fixtures/lint/items/) are linted one at a time with the default settings
(plus their own rule, for an opt-in rule's fixtures);
bank cases (tests/fixtures/lint/bank/<case>/) are linted together, with the settings in the
case's lint.toml.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import FIXTURES

from cmas_bank.diagnostics import Severity
from cmas_bank.lint import REGISTRY, build_settings, lint_files
from cmas_bank.loader import load_file
from cmas_bank.outline import Outline
from cmas_bank.validate import ItemFile, validate_loaded

ITEMS = FIXTURES / "lint" / "items"
BANK_CASES = FIXTURES / "lint" / "bank"
_EXPECT = re.compile(r"^# expect: (.*)$", re.MULTILINE)


def expected(path: Path) -> list[tuple[str, int, int]]:
    match = _EXPECT.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no '# expect:' line"
    if match.group(1).strip() == "nothing":
        return []
    out = []
    for part in match.group(1).split(","):
        code, where = part.split()
        line, column = where.split(":")
        out.append((code, int(line), int(column)))
    return sorted(out)


def load(path: Path, outline: Outline) -> ItemFile:
    file = validate_loaded(load_file(path), outline)
    assert file.item is not None, f"{path} is not a valid item: {file.diagnostics}"
    return file


def fixture_names() -> list[str]:
    return sorted(p.stem for p in ITEMS.glob("*.yaml"))


@pytest.mark.parametrize("name", fixture_names())
def test_item_fixture(name: str, outline: Outline) -> None:
    path = ITEMS / f"{name}.yaml"
    code = name.split("-")[0]
    opt_in = code in REGISTRY and REGISTRY[code].opt_in
    found = lint_files([load(path, outline)], build_settings({"extend-select": [code]}) if opt_in else None)
    assert sorted((d.code, d.line, d.column) for d in found) == expected(path), [
        f"{d.line}:{d.column} {d.code} {d.message}" for d in found
    ]
    for d in found:
        assert d.message and d.item_id == name and d.path.endswith(f"{name}.yaml")


@pytest.mark.parametrize("case", sorted(p.name for p in BANK_CASES.iterdir()))
def test_bank_case(case: str, outline: Outline) -> None:
    folder = BANK_CASES / case
    conf = folder / "lint.toml"
    table = tomllib.loads(conf.read_text())["tool"]["cmas-bank"]["lint"] if conf.exists() else {}
    paths = sorted(folder.glob("*.yaml"))
    found = lint_files([load(p, outline) for p in paths], build_settings(table))
    for path in paths:
        mine = sorted((d.code, d.line, d.column) for d in found if Path(d.path).name == path.name)
        assert mine == expected(path), f"{case}/{path.name}: {mine}"


def _fixture_codes() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    bad: dict[str, list[str]] = {}
    good: dict[str, list[str]] = {}
    names = fixture_names() + sorted(p.name for p in BANK_CASES.iterdir())
    for name in names:
        code, _, kind = name.partition("-")
        (bad if kind.startswith("bad") or kind == "bank" else good).setdefault(code, []).append(name)
    return bad, good


def test_every_rule_has_a_failing_and_a_passing_fixture() -> None:
    bad, good = _fixture_codes()
    for code in REGISTRY:
        assert code in bad, f"{code} has no failing fixture"
        assert code in good, f"{code} has no passing fixture"


def test_failing_fixtures_fire_their_rule_and_passing_ones_do_not() -> None:
    for path in ITEMS.glob("*.yaml"):
        code = path.stem.split("-")[0]
        codes = {c for c, _, _ in expected(path)}
        if path.stem.endswith("-bad"):
            assert code in codes, path.name
        else:
            assert code not in codes, path.name
    for folder in BANK_CASES.iterdir():
        code = folder.name.split("-")[0]
        codes = {c for p in folder.glob("*.yaml") for c, _, _ in expected(p)}
        assert (code in codes) == (not folder.name.endswith("-good")), folder.name


def test_negative_lead_in_severity_follows_capitals(outline: Outline) -> None:
    lower = lint_files([load(ITEMS / "IW103-bad.yaml", outline)])
    assert [d.severity for d in lower if d.code == "IW103"] == [Severity.ERROR]
    folder = BANK_CASES / "IW504-bad"
    capitals = lint_files([load(p, outline) for p in sorted(folder.glob("*.yaml"))])
    assert [d.severity for d in capitals if d.code == "IW103"] == [Severity.INFO]
