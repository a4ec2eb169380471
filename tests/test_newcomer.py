"""What a new user trips on (issue 13, point 10): help text, option blame, the progress bar,
`cmas-bank new`, shell completion, LICENSE, CHANGELOG and the hooks' `rev:`."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pytest
from clirunner import cli
from conftest import ROOT

from cmas_bank.model import Item
from cmas_bank.outline import load_outline
from cmas_bank.validate import validate_paths


@pytest.mark.parametrize("command", ["validate", "lint", "check", "report"])
def test_help_shows_the_config_table_name(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    shown = cli(command, "--help")
    assert shown.returncode == 0
    assert "pyproject.toml to read [tool.cmas-bank] from" in shown.stdout
    assert "read  from" not in shown.stdout


def test_check_help_names_its_config_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    shown = cli("check", "--help").stdout
    assert "replaces [tool.cmas-bank.check] select" in shown
    assert "`[tool.cmas-bank.check]` (select, ignore" in shown


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_lint_blames_the_option_not_the_config(option: str) -> None:
    ran = cli("lint", option, "IW99", "bank")
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"cmas-bank: error: option {option}: unknown rule or prefix 'IW99'")
    assert "pyproject.toml" not in ran.stderr


def test_progress_bar_shows_count_percent_and_time_left() -> None:
    from rich.console import Console

    from cmas_bank.cli import progress_bar

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system=None)
    with progress_bar(True, 40, console=console) as advance:
        assert advance is not None
        advance(10)
        shown = buffer.getvalue()
    assert "10/40" in shown and "25%" in shown
    assert re.search(r"left \d+:\d\d:\d\d|left -:--:--", shown), shown


def test_check_counts_the_files_for_its_progress_bar(tmp_path: Path) -> None:
    from cmas_bank.cli import _file_count

    assert _file_count([ROOT / "bank"]) == len(list((ROOT / "bank").rglob("*.yaml")))
    assert _file_count([tmp_path / "missing"]) is None


def _project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "items"\n', encoding="utf-8")
    area = tmp_path / "items" / "04-records"
    area.mkdir(parents=True)
    for name in ("CMAS-04-0003", "CMAS-04-0017", "CMAS-05-0099", "OTHER-04-0500"):
        (area / f"{name}.yaml").write_text("id: x\n", encoding="utf-8")
    return tmp_path


def test_new_scaffolds_the_next_free_id_in_the_area_folder(tmp_path: Path) -> None:
    project = _project(tmp_path)
    first = cli("new", "4", "--subarea", "4B", cwd=project)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "items/04-records/CMAS-04-0018.yaml\n"
    second = cli("new", "4", cwd=project)
    assert second.stdout == "items/04-records/CMAS-04-0019.yaml\n"
    other = cli("new", "2", cwd=project)
    assert other.stdout == "items/02-basic-clinical-concepts/CMAS-02-0001.yaml\n"
    created = project / "items" / "04-records" / "CMAS-04-0018.yaml"
    text = created.read_text(encoding="utf-8")
    assert "subdomain: 4B              # sub-area code that belongs to that work area\n" in text
    assert "Copy to bank" not in text  # the template's copy instructions are not carried over
    result = validate_paths(
        [created, project / "items" / "04-records" / "CMAS-04-0019.yaml"], load_outline("cmas-2020")
    )
    assert result.diagnostics == []
    (item, _) = result.items
    assert isinstance(item, Item) and item.id == "CMAS-04-0018" and item.status == "draft"
    assert not list(project.rglob("*.tmp"))


def test_new_in_this_project_points_at_the_schema_and_refuses_bad_areas(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "schemas").mkdir()
    (project / "schemas" / "item.schema.json").write_text("{}", encoding="utf-8")
    made = cli("new", "4", cwd=project)
    first = (project / made.stdout.strip()).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/item.schema.json"
    bad = cli("new", "44", cwd=project)
    assert bad.returncode == 2 and "work area 44 is not in outline cmas-2020" in bad.stderr
    sub = cli("new", "4", "--subarea", "5A", cwd=project)
    assert sub.returncode == 2 and "sub-area 5A is not in work area 4 (sub-areas: 4A, 4B, 4C)" in sub.stderr


def test_packaged_template_is_the_projects_template() -> None:
    packaged = ROOT / "cmas_bank" / "templates" / "item.yaml"
    assert packaged.read_bytes() == (ROOT / "templates" / "item.yaml").read_bytes()


def test_shell_completion_is_offered_and_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert "--install-completion" in cli("--help").stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "cmas-bank --install-completion" in readme


def test_license_is_the_mit_licence_pyproject_declares() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) ") and "cmas-bank contributors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_changelog_and_the_hooks_rev() -> None:
    from cmas_bank import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith("# Changelog") and f"v{__version__}" in changelog
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"rev: v{__version__}" in readme and "git tag" in readme
