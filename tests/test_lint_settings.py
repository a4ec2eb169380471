"""`[tool.cmas-bank.lint]`: ruff-style selection, severities, options, per-file ignores, and
usage errors with a "did you mean" for anything unknown."""

from __future__ import annotations

from pathlib import Path

import pytest
from lintcheck import item, lint_source

from cmas_bank.config import load_config
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError
from cmas_bank.lint import REGISTRY, build_settings, settings_from_config

FAMILY_3 = {c for c in REGISTRY if c.startswith("IW3")}


def test_default_selection_leaves_out_the_opt_in_rules() -> None:
    settings = build_settings({})
    default = {code for code, r in REGISTRY.items() if r.default}
    assert settings.enabled == default and settings.fail_on is Severity.ERROR
    assert {"IW402", "IW403"}.isdisjoint(default) and {"IW101", "IW301", "IW401", "IW505"} <= default
    # opting in: extend-select adds to the default; select = ["IW"] (or ALL) is every rule
    assert build_settings({"extend-select": ["IW402"]}).enabled == default | {"IW402"}
    assert build_settings({"extend-select": ["rationale-skips-distractor"]}).enabled == default | {"IW403"}
    assert build_settings({"select": ["IW"]}).enabled == build_settings({"select": ["ALL"]}).enabled == set(REGISTRY)
    # the default selection is less specific than any selector: ignore by prefix turns its rules off
    assert build_settings({"ignore": ["IW2"]}).enabled == {c for c in default if not c.startswith("IW2")}
    assert build_settings({}, ignore=["IW"]).enabled == frozenset()
    assert build_settings({"extend-select": ["IW4"], "ignore": ["IW403"]}).enabled == default | {
        "IW402",
        "IW412",
        "IW413",
        "IW414",
    }


def test_prefix_selection_and_longest_match() -> None:
    assert build_settings({"select": ["IW3"]}).enabled == FAMILY_3
    chosen = build_settings({"select": ["IW3", "IW301"], "ignore": ["IW30"]}).enabled
    assert chosen == {"IW301"}  # IW301 (5) beats IW30 (4), which beats IW3 (3)
    assert build_settings({"select": ["IW301"], "ignore": ["IW301"]}).enabled == frozenset()  # ignore wins ties
    default = {code for code, r in REGISTRY.items() if r.default}
    assert build_settings({"ignore": ["key-longest"]}).enabled == default - {"IW301"}  # names work
    assert build_settings({"select": ["IW1"], "extend-select": ["IW4"]}).enabled == {
        c for c in REGISTRY if c[:3] in ("IW1", "IW4")
    }
    assert build_settings({"select": "IW1,IW2"}).enabled == {c for c in REGISTRY if c[:3] in ("IW1", "IW2")}


def test_command_line_select_replaces_and_ignore_extends() -> None:
    settings = build_settings({"select": ["IW1"], "ignore": ["IW101"]}, select=["IW2"], ignore=["IW201"])
    assert settings.enabled == {c for c in REGISTRY if c.startswith("IW2")} - {"IW201"}


@pytest.mark.parametrize(
    ("table", "hint"),
    [
        ({"selct": ["IW"]}, "unknown setting 'selct' (did you mean \"select\"?)"),
        ({"select": ["IW3O1"]}, "unknown rule or prefix 'IW3O1'"),
        ({"ignore": ["key-longst"]}, 'did you mean "key-longest"?'),
        ({"severity": {"IW301": "fatal"}}, "'fatal' is not a severity"),
        ({"options": {"IW301": {"ratoi": 2.0}}}, "unknown option 'ratoi' for key-longest (did you mean \"ratio\"?)"),
        ({"options": {"IW301": {"ratio": "big"}}}, "options.IW301.ratio must be like 1.25"),
        (
            {"options": {"key-longst": {"ratio": 2.0}}},
            "options: unknown rule 'key-longst' (did you mean \"key-longest\"?)",
        ),
        ({"per-file-ignores": {"bank/*": ["IW999"]}}, "unknown rule or prefix 'IW999'"),
        ({"fail-on": "warn"}, 'did you mean "warning"?'),
        ({"select": [3]}, "select must be a list of rule codes, prefixes or names"),
    ],
)
def test_unknown_settings_are_usage_errors(table: dict, hint: str) -> None:
    with pytest.raises(UsageError) as exc:
        build_settings(table, source="pyproject.toml")
    assert hint in str(exc.value) and str(exc.value).startswith("pyproject.toml: [tool.cmas-bank.lint]")


def test_severity_overrides_most_specific_first() -> None:
    settings = build_settings({"severity": {"IW3": "error", "IW301": "info"}})
    assert settings.severity["IW302"] is Severity.ERROR and settings.severity["IW301"] is Severity.INFO
    lower = item(stem="Jordan works 44 hours. Which amount is not Jordan's gross pay?")
    found = [d for d in lint_source(lower, {"severity": {"IW103": "warning"}}) if d.code == "IW103"]
    assert [d.severity for d in found] == [Severity.WARNING]


def test_int_options_accept_floats_where_the_default_is_a_float() -> None:
    assert build_settings({"options": {"IW301": {"ratio": 2}}}).options["IW301"]["ratio"] == 2.0
    with pytest.raises(UsageError):
        build_settings({"options": {"IW105": {"max-words": 1.5}}})
    with pytest.raises(UsageError):
        build_settings({"options": {"IW101": {"allow-completion": 1}}})


def test_per_file_ignores_match_paths_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cmas-bank]\nbank = "items"\n\n[tool.cmas-bank.lint]\nfail-on = "warning"\n'
        'per-file-ignores = { "items/area-8/*.yaml" = ["IW1"], "special.yaml" = ["IW301"] }\n'
    )
    settings = settings_from_config(load_config(cwd=tmp_path))
    assert settings.fail_on is Severity.WARNING
    inside = tmp_path / "items" / "area-8" / "x.yaml"
    assert not settings.codes_for(inside, "elsewhere/x.yaml") & {c for c in REGISTRY if c.startswith("IW1")}
    assert "IW301" not in settings.codes_for(tmp_path / "items" / "special.yaml", "items/special.yaml")
    assert settings.codes_for(tmp_path / "items" / "other.yaml", "items/other.yaml") == settings.enabled


def test_disabled_rules_do_not_run_and_do_not_judge_suppressions() -> None:
    reason = '"The key is the full name of the standard, by necessity."'
    source = item(suppress={"IW301": reason})
    assert [d.code for d in lint_source(source)] == ["IW901"]
    assert lint_source(source, {"ignore": ["IW301"]}) == []
