"""Coverage counts on a small fixture bank under the mini outline (targets 6 and 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES, ROOT

from cmas_bank.config import load_config
from cmas_bank.coverage import (
    compute_coverage,
    coverage_settings,
    parse_statuses,
    render_json,
    render_markdown,
)
from cmas_bank.errors import UsageError
from cmas_bank.outline import load_outline
from cmas_bank.validate import validate_paths

BANK = FIXTURES / "coverage" / "bank"
OUTLINE = FIXTURES / "outlines" / "mini-exam.yaml"


def report(statuses: tuple[str, ...] = ("approved",), multiplier: float = 1.0):  # type: ignore[no-untyped-def]
    outline = load_outline(str(OUTLINE))
    result = validate_paths([BANK], outline, root=ROOT)
    items = [(f.item, f.loaded.display) for f in result.files if f.item]
    return compute_coverage(items, outline, statuses, multiplier)


def test_exact_counts_per_area_and_subarea() -> None:
    r = report()
    front, back = r.areas
    assert (front.target, front.count, front.shortfall) == (6, 2, 4)
    assert (back.target, back.count, back.surplus) == (4, 5, 1)
    assert [(s.code, s.count) for s in front.subareas] == [("1A", 2), ("1B", 0)]
    assert dict(back.keys) == {"D": 1, "B": 2, "A": 1, "C": 1}
    assert dict(back.difficulty) == {"medium": 3, "hard": 1, "easy": 1}
    assert r.ineligible == 1 and not r.ok
    assert [(o.id, o.reason) for o in r.off_blueprint] == [("COV-09", "work area 3 is not in outline mini-exam")]


def test_status_and_multiplier() -> None:
    r = report(("approved", "draft"), multiplier=0.5)
    assert [(a.target, a.count) for a in r.areas] == [(3, 3), (2, 5)]
    assert r.ok and r.ineligible == 0


def test_diagnostics_name_short_areas_and_empty_subareas() -> None:
    codes = [(d.code, d.severity.value) for d in report().diagnostics("bank")]
    assert codes == [("IC101", "error"), ("IC102", "warning")]


def test_json_and_markdown() -> None:
    doc = json.loads(render_json(report()))
    assert doc["areas"][0]["shortfall"] == 4 and doc["count"] == 7 and doc["ok"] is False
    md = render_markdown(report())
    assert "| 1 | Front office | 6 | 2 | ❌ short 4 |" in md
    assert "| 2 | Back office | 4 | 5 | ✅ +1 |" in md
    assert "`COV-09`" in md


def test_cli_exit_codes() -> None:
    short = cli("coverage", "--outline", str(OUTLINE), "--min-multiplier", "1", "-f", "markdown", str(BANK))
    assert short.returncode == 1 and "falls short" in short.stdout
    enough = cli(
        "coverage",
        "--outline",
        str(OUTLINE),
        "--status",
        "approved,draft",
        "--min-multiplier",
        "0.5",
        "-f",
        "json",
        str(BANK),
    )
    assert enough.returncode == 0 and json.loads(enough.stdout)["ok"] is True
    table = cli("coverage", "--outline", str(OUTLINE), "--min-multiplier", "1", str(BANK))
    assert "Front office" in table.stdout and "short 4" in table.stdout
    assert cli("coverage", "--status", "aproved").returncode == 2


def test_unknown_status_suggests() -> None:
    with pytest.raises(UsageError, match='did you mean "approved"'):
        parse_statuses(["aproved"])


def test_settings_from_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank.coverage]\nmin-multiplier = 1.25\nstatus = "review"\n')
    assert coverage_settings(load_config(cwd=tmp_path)) == {"min-multiplier": 1.25, "status": ["review"]}
    (tmp_path / "pyproject.toml").write_text("[tool.cmas-bank.coverage]\nmultiplier = 2\n")
    with pytest.raises(UsageError, match='did you mean "min-multiplier"'):
        coverage_settings(load_config(cwd=tmp_path))
