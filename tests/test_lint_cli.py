"""The real `lint`, `rules`, `rule` and `fmt` commands: exit codes, formats, fixes, docs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from clirunner import cli
from conftest import FIXTURES, ROOT

from cmas_bank.codes import family_codes, markdown_table, readme_table
from cmas_bank.lint import REGISTRY

ITEMS = FIXTURES / "lint" / "items"


def rel(name: str) -> str:
    return f"tests/fixtures/lint/items/{name}.yaml"


def test_shipped_bank_lints_clean_even_for_warnings() -> None:
    result = cli("lint", "--fail-on", "warning")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All clean" in result.stderr


def test_text_output_and_exit_codes_follow_severity() -> None:
    warning = cli("lint", rel("IW301-bad"))
    assert warning.returncode == 0
    assert warning.stdout.startswith("tests/fixtures/lint/items/IW301-bad.yaml:15:6: IW301 the key (C, 65 characters)")
    assert warning.stdout.rstrip().endswith("[warning]")
    assert cli("lint", "--fail-on", "warning", rel("IW301-bad")).returncode == 1
    error = cli("lint", rel("IW201-bad"))
    assert error.returncode == 1 and "IW201" in error.stdout and "Found 1 error in 1 file." in error.stderr


def test_json_github_and_sarif() -> None:
    doc = json.loads(cli("lint", "-f", "json", rel("IW408-bad")).stdout)
    (d,) = doc["diagnostics"]
    assert (d["code"], d["line"], d["column"], d["end_column"], d["severity"], d["item_id"], d["fix"]) == (
        "IW408",
        10,
        80,
        82,
        "warning",
        "IW408-bad",
        "safe",
    )
    github = cli("lint", "-f", "github", rel("IW406-bad")).stdout
    assert github.startswith("::error file=tests/fixtures/lint/items/IW406-bad.yaml,line=10,col=20,title=IW406::")
    sarif = json.loads(cli("lint", "-f", "sarif", rel("IW302-bad")).stdout)
    run = sarif["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"IW101", "IW302"}
    described = {r["id"]: r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"]}
    assert set(REGISTRY) <= set(described) and described["IW302"] == REGISTRY["IW302"].summary


def test_statistics() -> None:
    result = cli("lint", "--statistics", str(ITEMS))
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["2", "IW210"] for line in lines), result.stdout
    assert any("IW407" in line and "[*]" in line for line in lines)
    doc = json.loads(cli("lint", "--statistics", "-f", "json", str(ITEMS)).stdout)
    assert {"code": "IW210", "name": "overlapping-ranges", "severity": "error", "count": 2, "fixable": False} in doc


def test_selection_from_the_command_line() -> None:
    assert cli("lint", "--select", "IW3", rel("IW201-bad")).returncode == 0
    assert cli("lint", "--ignore", "IW2", rel("IW201-bad")).returncode == 0
    result = cli("lint", "--ignore", "IW3O1", rel("IW201-bad"))
    assert (
        result.returncode == 2
        and "unknown rule or prefix 'IW3O1'" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_config_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "."\n\n[tool.cmas-bank.lint]\nignroe = ["IW1"]\n'
    )
    result = cli("lint", cwd=tmp_path)
    assert result.returncode == 2 and 'did you mean "ignore"?' in result.stderr and "Traceback" not in result.stderr


def test_invalid_items_are_reported_not_linted() -> None:
    result = cli("lint", "tests/fixtures/items/invalid/fifth-option.yaml")
    assert result.returncode == 1 and "IV204" in result.stdout and "1 file(s) not linted" in result.stderr
    assert cli("lint", "no/such/path").returncode == 2


def test_rules_and_rule() -> None:
    listing = cli("rules").stdout
    assert all(code in listing for code in REGISTRY)
    doc = cli("rule", "key-longest")
    assert doc.returncode == 0
    for part in (
        "IW301 key-longest (warning, per item, default selection)",
        "Why:",
        "Bad:",
        "Good:",
        "ratio = 1.25",
        "suppress: {IW301",
    ):
        assert part in doc.stdout, part
    opt_in = cli("rule", "IW403").stdout
    assert "(warning, per item, opt-in)" in opt_in and 'extend-select = ["IW403"]' in opt_in
    # the listing marks the opt-in rules, and only them
    marked = {line.split()[0] for line in listing.splitlines() if " opt-in " in line}
    assert marked == {code for code, r in REGISTRY.items() if not r.default} >= {"IW402", "IW403"}
    unknown = cli("rule", "IW399")
    assert unknown.returncode == 2 and "unknown rule 'IW399'" in unknown.stderr


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = markdown_table(list(family_codes("IW").values()))
    assert readme_table(readme, "IW") == table == cli("rules", "--select", "IW", "--format", "markdown").stdout


def test_every_rule_documents_what_why_and_examples() -> None:
    for code, rule in REGISTRY.items():
        for part in ("What:", "Why:", "Bad:", "Good:"):
            assert part in rule.doc, f"{code} docstring lacks {part}"
        for option in rule.options:
            assert option in rule.doc, f"{code} does not document option {option}"


def test_fix_applies_safe_fixes_and_relints(tmp_path: Path) -> None:
    for name in ("IW407-bad", "IW408-bad", "IW409-bad", "IW301-bad"):
        shutil.copyfile(ITEMS / f"{name}.yaml", tmp_path / f"{name}.yaml")
    untouched = (tmp_path / "IW301-bad.yaml").stat().st_mtime_ns
    result = cli("lint", "--fix", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Fixed 3 finding(s) in 3 file(s)" in result.stderr
    assert [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()] == ["IW301"]
    assert (tmp_path / "IW301-bad.yaml").stat().st_mtime_ns == untouched
    fixed = (tmp_path / "IW409-bad.yaml").read_text()
    assert "Jordan's gross pay" in fixed and "’" not in fixed
    assert cli("lint", "--fail-on", "warning", str(tmp_path), "--ignore", "IW301").returncode == 0


def test_fmt_check_diff_and_write(tmp_path: Path) -> None:
    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    messy = tmp_path / "messy.yaml"
    messy.write_text(
        source.replace("answer: C\n", "").replace("status: approved\n", "status: approved\nanswer: C\n") + "\n\n"
    )
    clean = tmp_path / "clean.yaml"
    clean.write_text(source)
    check = cli("fmt", "--check", str(tmp_path))
    assert check.returncode == 1
    assert check.stdout.startswith("would reformat ") and check.stdout.rstrip().endswith("/messy.yaml")
    assert check.stdout.count("\n") == 1
    assert "1 file(s) would be reformatted, 1 unchanged." in check.stderr
    diff = cli("fmt", "--diff", str(messy))
    assert diff.returncode == 1 and "-answer: C" in diff.stdout and "+answer: C" in diff.stdout
    assert messy.read_text() != source
    before = clean.stat().st_mtime_ns
    write = cli("fmt", str(tmp_path))
    assert write.returncode == 0 and messy.read_text() == source
    assert clean.stat().st_mtime_ns == before
    assert cli("fmt", "--check", str(tmp_path)).returncode == 0


def test_fmt_refuses_broken_files_with_exit_2(tmp_path: Path) -> None:
    shutil.copyfile(FIXTURES / "items" / "invalid" / "duplicate-key.yaml", tmp_path / "dup.yaml")
    result = cli("fmt", str(tmp_path))
    assert result.returncode == 2 and "IV104 duplicate key" in result.stderr and "Traceback" not in result.stderr
