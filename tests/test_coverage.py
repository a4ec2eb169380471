"""Coverage counts on a small fixture bank under the mini outline (targets 6 and 4)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from clirunner import Ran, cli
from clirunner import cli as run_cli
from conftest import FIXTURES, ROOT

from cmas_bank.config import load_config
from cmas_bank.coverage import (
    DEFAULT_SETTINGS,
    Balance,
    CoverageReport,
    balance_settings,
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


def report(statuses: tuple[str, ...] = ("approved",), multiplier: float = 1.0) -> CoverageReport:
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


def test_cli_exit_codes(tmp_path: Path) -> None:
    # A project of its own: the repository's config holds the shipped bank to balance targets
    # (key shares, sub-area shares) that this small fixture bank is not meant to meet.
    (tmp_path / "pyproject.toml").write_text(f'[tool.cmas-bank]\nbank = "{BANK}"\n', encoding="utf-8")

    def cli(*args: str) -> Ran:
        return run_cli(*args, cwd=tmp_path)

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
    settings = coverage_settings(load_config(cwd=tmp_path))
    assert settings == {**DEFAULT_SETTINGS, "min-multiplier": 1.25, "status": ["review"]}
    assert (settings["subarea-share"], settings["key-share"], settings["min-higher-order"]) == ("none", None, None)
    (tmp_path / "pyproject.toml").write_text("[tool.cmas-bank.coverage]\nmultiplier = 2\n")
    with pytest.raises(UsageError, match='did you mean "min-multiplier"'):
        coverage_settings(load_config(cwd=tmp_path))


# --- the table at 80 columns (issue 13, point 3) ----------------------------------------------


@cache
def _shipped_report() -> CoverageReport:
    """The shipped bank's coverage as the configuration asks for it, once per test process."""
    from cmas_bank.config import load_config
    from cmas_bank.coverage import coverage_choice

    config = load_config(cwd=ROOT)
    statuses, multiplier = coverage_choice(config, None, None)
    outline = load_outline(config.outline)
    result = validate_paths([ROOT / "bank"], outline, root=ROOT)
    return compute_coverage([(f.item, f.loaded.display) for f in result.files if f.item], outline, statuses, multiplier)


def _area_block(table: str, number: int) -> str:
    """The lines of work area `number`'s row (up to the next area's row)."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {number} │"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("│   │")), len(lines))
    return "\n".join(lines[start:end])


@pytest.mark.parametrize(("columns", "wide"), [("80", False), ("120", False), ("80", True)])
def test_every_number_of_the_table_shows(columns: str, wide: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    shown = cli("coverage", *(["--wide"] if wide else []))
    assert shown.returncode == 0, shown.stderr
    table = shown.stdout
    assert "…" not in table
    if not wide:
        assert max(len(line) for line in table.splitlines()) <= int(columns)
    r = _shipped_report()
    for a in r.areas:
        block = _area_block(table, a.number)
        cells = [c.strip() for line in block.splitlines() for c in line.split("│")]
        assert str(a.target) in cells and str(a.count) in cells, block
        mixes = (
            "/".join(str(a.difficulty[k]) for k in ("easy", "medium", "hard")),
            "/".join(str(a.cognitive_level[k]) for k in ("recall", "application", "analysis")),
            "/".join(str(a.keys[k]) for k in "ABCD"),
        )
        labels = ("E/M/H ", "R/Ap/An ", "A/B/C/D ") if not wide else ("", "", "")
        for label, mix in zip(labels, mixes, strict=True):
            assert f"{label}{mix}" in cells, (mix, block)
    assert "│   │ Total" in table and f"{r.target}" in table.split("Total", 1)[1].splitlines()[0]


# --- where coverage findings point (issue 13, point 7) ----------------------------------------


def _coverage_findings(project: Path) -> list[tuple[str, int, int, str]]:
    ran = cli("check", "--no-cache", "-f", "json", cwd=project)
    assert ran.returncode == 1, ran.stderr
    found = json.loads(ran.stdout)["diagnostics"]
    return [(d["path"], d["line"], d["column"], d["code"]) for d in found if d["code"].startswith("IC")]


def _project(tmp_path: Path, table: str) -> Path:
    import shutil

    shutil.copytree(BANK, tmp_path / "bank")
    shutil.copy(OUTLINE, tmp_path / "outline.yaml")
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n{table}', encoding="utf-8")
    return tmp_path


def test_coverage_findings_point_at_the_outline_lines(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n')
    lines = OUTLINE.read_text(encoding="utf-8").splitlines()
    items_line = lines.index("    items: 6") + 1  # work area 1's blueprint count, short by 4
    code_line = lines.index("      - code: 1B") + 1  # sub-area 1B, which no eligible item fills
    assert _coverage_findings(project) == [
        ("outline.yaml", items_line, 12, "IC101"),
        ("outline.yaml", code_line, 15, "IC102"),
    ]


def test_coverage_findings_of_a_built_in_outline_point_at_the_config(tmp_path: Path) -> None:
    project = _project(tmp_path, '[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n')
    found = _coverage_findings(project)
    assert found and {(path, line, column) for path, line, column, _ in found} == {("pyproject.toml", 6, 1)}
    (project / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n', encoding="utf-8")
    assert {(path, line) for path, line, _, _ in _coverage_findings(project)} == {("pyproject.toml", 1)}


# --- balance targets: sub-area shares, key letters, cognitive level (issue 14) ----------------


@dataclass
class Counted:
    """What coverage reads of an item, built by hand so each count below is known."""

    id: str
    subdomain: str
    answer: str = "A"
    cognitive_level: str = "recall"
    status: str = "approved"
    difficulty: str = "medium"

    @property
    def domain(self) -> int:
        return int(self.subdomain[0])


def _balanced(items: list[Counted], balance: Balance, multiplier: float = 1.0) -> CoverageReport:
    outline = load_outline(str(OUTLINE))
    return compute_coverage(((i, f"{i.id}.yaml") for i in items), outline, ("approved",), multiplier, balance)


def _filled(keys1: str = "ABCDAB", keys2: str = "ABCD", levels: str = "") -> list[Counted]:
    """Work area 1: 4 items in 1A and the rest in 1B; work area 2: all in 2A. `levels` gives
    cognitive levels in order (r, p for application, n for analysis), recall for the rest."""
    items = [Counted(f"F{n}", "1A" if n < 4 else "1B", answer=k) for n, k in enumerate(keys1)]
    items += [Counted(f"S{n}", "2A", answer=k) for n, k in enumerate(keys2)]
    names = {"r": "recall", "p": "application", "n": "analysis"}
    for item, level in zip(items, levels, strict=False):
        item.cognitive_level = names[level]
    return items


def test_subarea_share_is_the_area_target_split_evenly_and_rounded_up() -> None:
    items = _filled()  # 1A 4, 1B 2, 2A 4
    assert [d.code for d in _balanced(items, Balance()).diagnostics("bank")] == []  # counts alone are met
    r = _balanced(items, Balance(subarea_share=True))
    # work area 1: target 6 over 2 sub-areas -> 3 each, and 1B holds 2; work area 2: one sub-area, 4
    assert [(s.code, s.minimum, s.shortfall) for a in r.areas for s in a.subareas] == [
        ("1A", 3, 0),
        ("1B", 3, 1),
        ("2A", 4, 0),
    ]
    found = r.diagnostics("bank")
    assert [d.code for d in found] == ["IC103"]
    assert "1B" in found[0].message and "short by 1" in found[0].message
    assert not r.ok and r.areas[0].shortfall == 0  # the work area meets its count; the balance fails
    doubled = _balanced(_filled("ABCDABCDABCD", "ABCDABCD"), Balance(subarea_share=True), multiplier=2.0)
    # two forms: targets 12 and 8 -> 6 per sub-area of work area 1 (1A holds 4, 1B 8), 8 for 2A
    assert [(s.minimum, s.count) for a in doubled.areas for s in a.subareas] == [(6, 4), (6, 8), (8, 8)]
    assert [d.message.split(" has")[0] for d in doubled.diagnostics("bank")] == ["sub-area 1A (Scheduling)"]


def test_key_share_flags_each_letter_outside_the_band() -> None:
    # work area 1: A 2, B 2, C 1, D 1 of 6 (33, 33, 17, 17 %); work area 2: A 3, B 1 of 4 (75, 25, 0, 0 %)
    r = _balanced(_filled("ABCDAB", "AAAB"), Balance(key_share=(0.2, 0.35)))
    assert r.key_outliers(r.areas[0]) == [("C", 1), ("D", 1)]
    assert r.key_outliers(r.areas[1]) == [("A", 3), ("C", 0), ("D", 0)]
    found = [d for d in r.diagnostics("bank") if d.code == "IC104"]
    assert len(found) == 5 and "key A on 3 of 4 eligible items (75 %), outside 20-35 %" in found[2].message
    assert _balanced(_filled("ABCDAB", "ABCD"), Balance(key_share=(0.15, 0.35))).ok  # 17 % and 25 % are in


def test_higher_order_share_counts_application_and_analysis() -> None:
    items = _filled(levels="ppnrrrrrrr")  # 3 of 10
    r = _balanced(items, Balance(min_higher_order=0.4))
    assert r.higher_order == 3 and [d.code for d in r.diagnostics("bank")] == ["IC105"]
    assert "3 of 10 eligible items (30 %)" in r.diagnostics("bank")[0].message
    assert _balanced(_filled(levels="ppnnrrrrrr"), Balance(min_higher_order=0.4)).ok  # 4 of 10 is enough


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('subarea-share = "odd"', 'subarea-share must be "even" or "none"'),
        ("key-share = 0.25", "key-share must be [lowest, highest]"),
        ("key-share = [0.3, 0.2]", "the lowest share 0.3 is above the highest 0.2"),
        ("key-share = [0.2, 1.5]", "key-share must be a fraction from 0 to 1"),
        ("min-higher-order = 40", "min-higher-order must be a fraction from 0 to 1"),
        ("min-higher-order = true", "min-higher-order must be a fraction"),
    ],
)
def test_bad_balance_settings_are_usage_errors(tmp_path: Path, setting: str, message: str) -> None:
    project = _project(
        tmp_path, f'[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n\n[tool.cmas-bank.coverage]\n{setting}\n'
    )
    with pytest.raises(UsageError, match=re.escape(message)):
        balance_settings(load_config(project / "pyproject.toml"))
    ran = cli("check", "--no-cache", cwd=project)
    assert ran.returncode == 2 and message in ran.stderr and "Traceback" not in ran.stderr


def test_check_reports_the_balance_targets_set_in_the_config(tmp_path: Path) -> None:
    table = (
        '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n\n[tool.cmas-bank.coverage]\n'
        'min-multiplier = 2\nstatus = ["approved", "draft"]\nsubarea-share = "even"\n'
        "key-share = [0.2, 0.3]\nmin-higher-order = 0.9\n"
    )
    project = _project(tmp_path, table)
    ran = cli("check", "--no-cache", "-f", "json", cwd=project)
    assert ran.returncode == 1, ran.stderr
    codes = {d["code"] for d in json.loads(ran.stdout)["diagnostics"]}
    assert {"IC103", "IC104", "IC105"} <= codes
    doc = json.loads(cli("coverage", "-f", "json", cwd=project).stdout)
    assert doc["balance"]["key_share"] == [0.2, 0.3] and doc["ok"] is False
    assert doc["areas"][0]["subareas"][0]["minimum"] == 6  # target 6 x 2 = 12 over 2 sub-areas
    table_out = cli("coverage", cwd=project).stdout
    assert "application or analysis:" in table_out and "keys per letter within 20-30 %" in table_out


def test_coverage_keeps_the_models_option_keys() -> None:
    """coverage.py spells the option keys out so that it imports no pydantic; they must stay the model's."""
    from cmas_bank import coverage, model

    assert coverage.OPTION_KEYS == model.OPTION_KEYS
