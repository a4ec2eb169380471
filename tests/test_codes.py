"""The code registry (`cmas_bank.codes`): one entry per code of every family, the `rules` and
`rule` commands, SARIF rule tables, the README's tables, and `[tool.cmas-bank.check]`'s
select/ignore/severity over every family."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES, ROOT

from cmas_bank import codes
from cmas_bank.codesettings import apply_code_settings, build_code_settings
from cmas_bank.diagnostics import Diagnostic, Severity
from cmas_bank.errors import UsageError
from cmas_bank.lint import REGISTRY

MINI = FIXTURES / "outlines" / "mini-exam.yaml"
CODE = re.compile(r"^I[A-Z][0-9]{3}$")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The coverage fixture bank (short of its blueprint: IC101, IC102; COV-09 is off the outline:
    IV301) plus an exact copy of COV-04 (ID101) and a stem without a question mark (IW101)."""
    shutil.copytree(FIXTURES / "coverage" / "bank", tmp_path / "bank")
    shutil.copy(MINI, tmp_path / "outline.yaml")
    source = (tmp_path / "bank" / "COV-04.yaml").read_text()
    (tmp_path / "bank" / "COV-10.yaml").write_text(source.replace("id: COV-04", "id: COV-10"))
    item = tmp_path / "bank" / "COV-02.yaml"
    item.write_text(item.read_text().replace("to pay on a claim?", "to pay on a claim."))
    _restamp(item)  # the edited item stays approved: as if it had been reviewed again
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n')
    return tmp_path


def _restamp(path: Path) -> None:
    from cmas_bank.digest import content_digest
    from cmas_bank.loader import load_file
    from cmas_bank.model import Item

    item = Item.model_validate(load_file(path).data)
    text = path.read_text()
    old = text.split('digest: "', 1)[1].split('"', 1)[0]
    path.write_text(text.replace(old, content_digest(item)))


def configure(project: Path, check_table: str) -> None:
    base = '[tool.cmas-bank]\nbank = "bank"\noutline = "outline.yaml"\n'
    (project / "pyproject.toml").write_text(base + "\n[tool.cmas-bank.check]\n" + check_table)


# --- the registry -------------------------------------------------------------------------------


def test_registry_has_each_code_and_name_once_with_documentation() -> None:
    entries = [info for prefix in codes.FAMILIES for info in codes.family_codes(prefix).values()]
    assert len({i.code for i in entries}) == len(entries)
    assert len({i.name for i in entries}) == len(entries)
    assert {codes.family_of(i.code) for i in entries} == {"IV", "IW", "ID", "IC", "IM", "IA", "IF"}
    for info in entries:
        assert CODE.match(info.code) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", info.name), info
        assert info.summary and "\n" not in info.summary and info.doc.startswith(info.summary), info.code
        if not info.code.startswith("IW"):
            assert "\n\nWhat: " in info.doc and "\n\nWhy: " in info.doc, info.code


def test_lint_entries_come_from_the_lint_rules() -> None:
    lint = codes.family_codes("IW")
    assert list(lint) == list(REGISTRY)
    for code, rule in REGISTRY.items():
        info = lint[code]
        assert (info.name, info.severity, info.summary, info.doc, info.fixable) == (
            rule.name,
            rule.severity,
            rule.summary,
            rule.doc,
            rule.fixable,
        )


def _module_names() -> list[str]:
    package = ROOT / "cmas_bank"
    return [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in sorted(package.rglob("*.py"))
        if path.name not in ("codetable.py", "__main__.py")
    ]


def test_every_code_a_module_can_emit_is_registered() -> None:
    """Each code constant of each module, and each code written as a string literal anywhere in
    the package, is in the registry; and every registered code outside lint is some module's
    constant (no documentation of a code nothing reports)."""
    registered = codes.all_codes()
    constants: dict[str, str] = {}
    for name in _module_names():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, str) and CODE.match(value):
                constants[value] = f"{name}.{attr}"
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        for literal in re.findall(r"[\"'](I[A-Z][0-9]{3})[\"']", source):
            assert literal in registered, f"{name} writes {literal}, which is not registered"
    missing = {code: where for code, where in constants.items() if code not in registered}
    assert not missing
    assert len(constants) >= 35  # IV, ID, IC and IM constants were found
    unreported = [c for c in registered if not c.startswith("IW") and c not in constants]
    assert not unreported


# --- rules and rule -----------------------------------------------------------------------------


def test_rule_prints_the_documentation_of_any_family() -> None:
    page = cli("rule", "IV205")
    assert page.returncode == 0, page.stderr
    info = codes.get("IV205")
    assert info is not None and page.stdout.startswith("IV205 answer-not-option (error;")
    assert info.doc in page.stdout and "What: The `answer` field" in page.stdout
    by_name = cli("rule", "near-duplicate")
    assert by_name.returncode == 0 and by_name.stdout.startswith("ID102 near-duplicate")
    unknown = cli("rule", "IV2O5")
    assert unknown.returncode == 2 and 'did you mean "IV205"?' in unknown.stderr and "Traceback" not in unknown.stderr


def test_rules_lists_every_family_and_filters() -> None:
    listing = cli("rules").stdout
    assert all(code in listing for code in codes.all_codes())
    only = cli("rules", "--select", "IC,ID201", "-f", "json")
    assert only.returncode == 0, only.stderr
    assert [d["code"] for d in json.loads(only.stdout)] == ["ID201", "IC101", "IC102", "IC103", "IC104", "IC105"]
    bad = cli("rules", "--select", "IC9")
    assert bad.returncode == 2 and "--select: unknown code or prefix 'IC9'" in bad.stderr


def test_readme_tables_are_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for prefix in codes.FAMILIES:
        table = codes.readme_table(readme, prefix)
        assert table is not None, f"README has no generated table for {prefix}"
        assert table == codes.markdown_table(list(codes.family_codes(prefix).values())), f"README {prefix} table"
    assert codes.readme_table(readme, "IW") == cli("rules", "--select", "IW", "--format", "markdown").stdout


# --- SARIF --------------------------------------------------------------------------------------


def test_check_sarif_describes_rules_from_the_registry(project: Path) -> None:
    result = cli("check", "-f", "sarif", "--no-cache", cwd=project)
    doc = json.loads(result.stdout)
    run = doc["runs"][0]
    found = {r["ruleId"] for r in run["results"]}
    assert {"IV301", "IW101", "ID101", "IC101"} <= found, found
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for code in ("IV301", "IW101", "ID101", "IC101"):
        info = codes.get(code)
        assert info is not None
        rule = rules[code]
        assert rule["shortDescription"]["text"] == info.summary != code
        assert rule["fullDescription"]["text"] == rule["help"]["text"] == info.doc
        assert rule["name"] == info.name
    assert rules["IC102"]["defaultConfiguration"]["level"] == "warning"
    assert rules["IW103"]["defaultConfiguration"]["level"] == "error"
    assert all(run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])


def test_validate_and_dedupe_sarif_describe_their_codes(project: Path) -> None:
    validate = json.loads(cli("validate", "-f", "sarif", cwd=project).stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in validate} == set(codes.family_codes("IV"))
    assert (
        next(r for r in validate if r["id"] == "IV205")["shortDescription"]["text"]
        == "answer is not one of the options"
    )
    dedupe = json.loads(cli("dedupe", "-f", "sarif", cwd=project).stdout)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in dedupe} == set(codes.family_codes("ID"))
    assert all(r["fullDescription"]["text"].startswith(r["shortDescription"]["text"]) for r in dedupe)


# --- [tool.cmas-bank.check] ---------------------------------------------------------------------


def test_ic101_as_a_warning_lets_a_short_bank_pass(project: Path) -> None:
    (project / "bank" / "COV-09.yaml").unlink()  # its IV301 is an error of its own
    (project / "bank" / "COV-10.yaml").unlink()  # and so is the duplicate
    before = cli("check", "--no-cache", cwd=project)
    assert before.returncode == 1 and "IC101" in before.stdout
    configure(project, 'severity = { IC101 = "warning" }\n')
    after = cli("check", "--no-cache", cwd=project)
    assert after.returncode == 0, after.stdout + after.stderr
    (line,) = [x for x in after.stdout.splitlines() if " IC101 " in x]
    assert line.endswith("[warning]") and "short by" in line
    assert cli("check", "--no-cache", "--fail-on", "warning", cwd=project).returncode == 1


def test_ignore_a_family_removes_its_findings(project: Path) -> None:
    configure(project, 'ignore = ["IC"]\n')
    result = cli("check", "--no-cache", "-f", "json", cwd=project)
    found = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert found and not any(c.startswith("IC") for c in found) and "IV301" in found
    text = cli("check", "--no-cache", cwd=project)
    assert "2 finding(s), by select/ignore" in text.stderr
    configure(project, 'ignore = ["IC"]\nextend-select = ["IC102"]\n')  # the more specific selector wins
    found = {d["code"] for d in json.loads(cli("check", "--no-cache", "-f", "json", cwd=project).stdout)["diagnostics"]}
    assert "IC102" in found and "IC101" not in found


def test_command_line_selectors(project: Path) -> None:
    result = cli("check", "--no-cache", "--select", "IV,ID", "-f", "json", cwd=project)
    assert {d["code"] for d in json.loads(result.stdout)["diagnostics"]} == {"IV301", "ID101"}
    result = cli("check", "--no-cache", "--ignore", "IV301,exact-duplicate", "-f", "json", cwd=project)
    found = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert "IV301" not in found and "ID101" not in found and "IC101" in found


def test_unknown_code_in_config_is_a_usage_error_with_a_suggestion(project: Path) -> None:
    configure(project, 'ignore = ["IC1O1"]\n')
    result = cli("check", "--no-cache", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pyproject.toml: [tool.cmas-bank.check] ignore: unknown code or prefix 'IC1O1'" in result.stderr
    assert 'did you mean "IC101"?' in result.stderr
    configure(project, 'severity = { IC101 = "warn" }\n')
    result = cli("check", "--no-cache", cwd=project)
    assert result.returncode == 2 and 'did you mean "warning"?' in result.stderr
    configure(project, 'ignroe = ["IC"]\n')
    result = cli("check", "--no-cache", cwd=project)
    assert result.returncode == 2 and "unknown setting 'ignroe' (did you mean \"ignore\"?)" in result.stderr


def test_a_bad_option_blames_the_option_not_the_config(project: Path) -> None:
    result = cli("check", "--no-cache", "--ignore", "IW3O1", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "option --ignore: unknown code or prefix 'IW3O1'" in result.stderr and "pyproject" not in result.stderr
    assert 'did you mean "IW301"?' in result.stderr


def test_read_errors_cannot_be_ignored() -> None:
    unreadable = Diagnostic("gone.yaml", 1, 1, "IV101", "cannot read file")
    other = Diagnostic("a.yaml", 3, 1, "IV301", "work area 9")
    assert apply_code_settings([unreadable, other], build_code_settings({"ignore": ["IV"]})) == [unreadable]
    with pytest.raises(UsageError, match="IV101"):
        build_code_settings({"ignore": ["IV101"]})


def test_code_settings_map_severities_and_keep_the_rest() -> None:
    short = Diagnostic("bank", 1, 1, "IC101", "short")
    cue = Diagnostic("a.yaml", 2, 1, "IW301", "longest", Severity.WARNING)
    settings = build_code_settings({"severity": {"IC": "info", "IC101": "warning", "key-longest": "error"}})
    assert [(d.code, d.severity) for d in apply_code_settings([short, cue], settings)] == [
        ("IC101", Severity.WARNING),
        ("IW301", Severity.ERROR),
    ]
    assert apply_code_settings([short, cue], build_code_settings({})) == [short, cue]


def test_export_is_no_longer_an_accepted_setting(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "."\n\n[tool.cmas-bank.export]\nformat = "json"\n'
    )
    result = cli("validate", cwd=tmp_path)
    assert result.returncode == 2 and "unknown setting [tool.cmas-bank] 'export'" in result.stderr
    assert "--status, --domain, --ids" in result.stderr


def test_codes_is_cheap_to_import_and_resolves_without_lint() -> None:
    code = (
        "import sys; from cmas_bank import codes; from cmas_bank.codesettings import build_code_settings;"
        "s = build_code_settings({'ignore': ['IC', 'unknown-enemy'], 'severity': {'IV3': 'warning'}});"
        "print(codes.get('IV205').name, ','.join(m for m in ('cmas_bank.lint', 'pydantic', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["answer-not-option"]


def test_report_describes_codes_and_follows_the_check_settings(project: Path) -> None:
    summary = codes.get("IC101").summary  # type: ignore[union-attr]
    assert cli("report", "--out", "all.html", cwd=project).returncode == 0
    assert f"<td><code>IC101</code></td><td>{summary}</td>" in (project / "all.html").read_text()
    configure(project, 'ignore = ["IC101"]\n')
    assert cli("report", "--out", "some.html", cwd=project).returncode == 0
    page = (project / "some.html").read_text()
    assert "<code>IC101</code>" not in page and "<code>IC102</code>" in page


def test_check_settings_do_not_invalidate_the_cache(project: Path) -> None:
    from cmas_bank.config import load_config

    before = load_config(cwd=project).fingerprint()
    configure(project, 'ignore = ["IC"]\n')
    assert load_config(cwd=project).fingerprint() == before
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text() + '\n[tool.cmas-bank.lint]\nignore = ["IW1"]\n'
    )
    assert load_config(cwd=project).fingerprint() != before
