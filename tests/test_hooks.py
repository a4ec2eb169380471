"""The pre-commit hooks follow the bank folder configured in [tool.cmas-bank] (issue 13, point 5):
item hooks take every changed YAML file and `--bank-only` leaves out files outside the bank."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from clirunner import cli
from conftest import BANK, ROOT

ITEM = BANK / "04-medical-records-management" / "CMAS-04-0001.yaml"


def _project(root: Path) -> Path:
    """A repository whose bank is `items/`, with one broken item (answer E) and YAML files that
    are not items (one not even valid YAML)."""
    (root / "items" / "04-records").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "items"\n', encoding="utf-8")
    text = ITEM.read_text(encoding="utf-8").replace("\nanswer: C\n", "\nanswer: E\n")
    assert "\nanswer: E\n" in text
    (root / "items" / "04-records" / "CMAS-04-0001.yaml").write_text(text, encoding="utf-8")
    (root / "settings.yaml").write_text("not: [an item\n", encoding="utf-8")
    (root / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    return root


def test_hooks_filter_by_type_not_by_a_bank_pattern() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"cmas-bank-validate", "cmas-bank-fmt", "cmas-bank-lint", "cmas-bank-bank"}
    for hook in hooks:
        assert "files" not in hook, hook["id"]  # a pattern cannot know the configured folder
        if hook.get("pass_filenames", True):
            assert hook["entry"].endswith(" --bank-only") and hook["types"] == ["yaml"]


@pytest.mark.parametrize("command", ["validate", "lint", "fmt"])
def test_bank_only_leaves_out_files_outside_the_configured_bank(command: str, tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = cli(command, "--bank-only", "settings.yaml", "notes.yaml", "pyproject.toml", cwd=project)
    assert (outside.returncode, outside.stdout) == (0, "")
    item = "items/04-records/CMAS-04-0001.yaml"
    mixed = cli(command, "--bank-only", "settings.yaml", item, cwd=project)
    assert "settings.yaml" not in mixed.stdout + mixed.stderr
    if command != "fmt":
        assert mixed.returncode == 1 and f"{item}:" in mixed.stdout and "IV205" in mixed.stdout
    without = cli(command, "settings.yaml", cwd=project)  # as before, without the option
    assert without.returncode in (1, 2) and "settings.yaml" in without.stdout + without.stderr


def _dependencies(folder: Path) -> Path:
    """A folder that holds every package installed beside this interpreter except cmas-bank itself
    (links to them), for PYTHONPATH: the hook environment then needs only the package it builds
    from the working tree, not a fresh install of numpy, lxml, pydantic and the rest."""
    folder.mkdir()
    for site in {Path(sysconfig.get_path("purelib")), Path(sysconfig.get_path("platlib"))}:
        for entry in site.iterdir():
            name = entry.name.lower()
            if not (name.startswith(("cmas_bank", "cmas-bank", "__editable__")) or name.endswith(".pth")):
                link = folder / entry.name
                if not link.exists():
                    link.symlink_to(entry)
    return folder


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_with_bank_items(tmp_path: Path) -> None:
    """Run all four hooks with `pre-commit try-repo` from another repository whose bank is
    `items`: pre-commit builds the hooks' environment from this working tree (its own build and
    install of the package, with the dependencies lent from this environment: pip installs them
    from the package's metadata in `.ci/run`). The lent folder leaves cmas-bank out, so the hooks
    can only run the package pre-commit installed."""
    project = _project(tmp_path / "repo")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
        "PIP_NO_DEPS": "1",
        "PYTHONPATH": str(_dependencies(tmp_path / "dependencies")),
    }
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bank"]):
        subprocess.run([*git, *args], cwd=project, check=True, capture_output=True)
    ran = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    out = ran.stdout + ran.stderr
    assert ran.returncode == 1, out
    assert "no files to check" not in out
    lines = {line.split("...", 1)[0]: line.rsplit(".", 1)[-1] for line in out.splitlines() if "....." in line}
    assert lines["cmas-bank validate (changed items)"] == "Failed", out
    assert lines["cmas-bank lint (changed items)"] == "Failed", out
    assert lines["cmas-bank (whole bank)"] == "Failed", out
    assert "items/04-records/CMAS-04-0001.yaml:18:9: IV205" in out
    assert "settings.yaml" not in out and "notes.yaml" not in out
