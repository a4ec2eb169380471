"""The real command: exit codes, output formats, usage errors without tracebacks.

Most tests run the command in this process (`clirunner.cli`); those at the end run the installed
program in a fresh interpreter, to prove the entry point itself and what a cold start imports."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from clirunner import cli, installed_program, run_installed
from conftest import FIXTURES, ROOT

INVALID = FIXTURES / "items" / "invalid"


def test_validate_shipped_bank_exits_0() -> None:
    result = cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All clean" in result.stderr


def test_text_format_and_exit_1() -> None:
    result = cli("validate", str(INVALID / "fifth-option.yaml"))
    assert result.returncode == 1
    assert result.stdout == (
        "tests/fixtures/items/invalid/fifth-option.yaml:16:3: IV204 option 'E' is not allowed: "
        "an item has exactly four options, A to D\n"
    )


def test_json_format() -> None:
    result = cli("validate", "--output-format", "json", str(INVALID))
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    codes = {(Path(d["path"]).stem, d["code"], d["line"]) for d in doc["diagnostics"]}
    assert ("duplicate-key", "IV104", 6) in codes and ("alias", "IV105", 24) in codes
    assert doc["summary"]["error"] == len(doc["diagnostics"])
    assert all(d["severity"] == "error" for d in doc["diagnostics"])


def test_github_format_uses_relative_paths_and_repeats_location() -> None:
    result = cli("validate", "-f", "github", str(INVALID / "custom-tag.yaml"))
    assert result.stdout.startswith(
        "::error file=tests/fixtures/items/invalid/custom-tag.yaml,line=16,col=9,title=IV106::"
        "tests/fixtures/items/invalid/custom-tag.yaml:16:9: IV106 "
    )


def test_sarif_format() -> None:
    result = cli("validate", "-f", "sarif", str(INVALID / "unknown-area.yaml"))
    doc = json.loads(result.stdout)
    assert doc["version"] == "2.1.0"
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "IV301"
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 9)


def test_missing_path_exits_2_without_traceback() -> None:
    result = cli("validate", "no/such/folder")
    assert result.returncode == 2
    assert "no/such/folder: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_exits_2() -> None:
    result = cli("validate", "--output-format", "xml")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_bad_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cmas-bank]\nbank = [\n")
    result = cli("validate", cwd=tmp_path)
    assert result.returncode == 2 and "invalid TOML" in result.stderr


def test_other_outline_by_option() -> None:
    outline = str(FIXTURES / "outlines" / "mini-exam.yaml")
    result = cli("validate", "--outline", outline, str(FIXTURES / "items" / "valid"))
    assert result.returncode == 1 and "IV301" in result.stdout


def test_schema_check_and_version() -> None:
    assert cli("schema", "--out", "schemas", "--check").returncode == 0
    assert cli("--version").stdout.startswith("cmas-bank ")


def test_unreadable_file_exits_2_in_validate_and_check(tmp_path: Path) -> None:
    (tmp_path / "bank").mkdir()
    (tmp_path / "bank" / "gone.yaml").symlink_to(tmp_path / "missing-target.yaml")
    for command in ("validate", "check"):
        result = cli(command, "--outline", "cmas-2020", str(tmp_path / "bank"), cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "IV101 cannot read file" in result.stdout and "Traceback" not in result.stderr


# --- the installed program, each run in a fresh interpreter -----------------------------------------


def test_startup_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from cmas_bank import cli;"
        "heavy = [m for m in ('jsonschema', 'lxml', 'datasketch', 'rapidfuzz', 'rich.table') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == ""


def test_installed_entry_point_exit_codes(tmp_path: Path) -> None:
    """The console script the package installs is `cli:console`, and run as a program it exits 0
    clean, 1 on findings and 2 on a usage error (one line, no traceback); `python -m` works too."""
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "cmas-bank"]
    assert script.value == "cmas_bank.cli:console"
    assert installed_program().is_file()
    clean = run_installed("validate", str(FIXTURES / "items" / "valid"))
    assert clean.returncode == 0 and "All clean" in clean.stderr, clean.stdout + clean.stderr
    findings = run_installed("validate", str(INVALID / "fifth-option.yaml"))
    assert findings.returncode == 1 and findings.stdout.startswith(
        "tests/fixtures/items/invalid/fifth-option.yaml:16:3: IV204 "
    )
    (tmp_path / "pyproject.toml").write_text("[tool.cmas-bank]\nbank = [\n")
    usage = run_installed("validate", cwd=tmp_path)
    assert usage.returncode == 2 and usage.stderr.startswith("cmas-bank: error: ") and "invalid TOML" in usage.stderr
    assert "Traceback" not in usage.stderr and usage.stdout == ""
    module = subprocess.run(
        [sys.executable, "-m", "cmas_bank", "--version"], check=False, capture_output=True, text=True, cwd=ROOT
    )
    assert module.returncode == 0 and module.stdout.startswith("cmas-bank ")


def test_main_builds_only_the_command_asked_and_restores_the_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cmas_bank import cli as cli_module

    before = [c.callback for c in cli_module.app.registered_commands]
    seen: list[list[str]] = []
    real = cli_module.app.__call__

    def spy(*args: object, **kwargs: object) -> None:
        seen.append([c.name or (c.callback.__name__ if c.callback else "") for c in cli_module.app.registered_commands])
        real(*args, **kwargs)

    monkeypatch.setattr(type(cli_module.app), "__call__", lambda self, *a, **k: spy(*a, **k))
    for argv, code in ((["cmas-bank", "outlines"], 0), (["cmas-bank", "vaildate"], 2), (["cmas-bank", "--version"], 0)):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exited:
            cli_module.main()
        assert exited.value.code == code, argv
    out = capsys.readouterr()
    assert "cmas-2020" in out.out and "Did you mean 'validate'?" in out.err
    assert seen[0] == ["outlines"]  # one command built for `cmas-bank outlines`
    assert len(seen[1]) == len(before) == len(seen[2])  # every command for a typo and for an option
    assert [c.callback for c in cli_module.app.registered_commands] == before  # restored after each run
