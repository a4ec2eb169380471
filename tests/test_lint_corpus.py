"""The labelled lint corpus (tests/fixtures/lint-corpus/, scored by bench/lint_corpus.py) holds
lint's default selection to what it promises: at most 10 % of the clean items get any finding,
and every rule in the default selection finds at least 90 % of the cases of its flaw kinds and
is right at least 90 % of the time it reports something."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cmas_bank.lint import REGISTRY
from cmas_bank.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import lint_corpus

CORPUS = lint_corpus.CORPUS


@pytest.fixture(scope="module")
def default() -> lint_corpus.Scores:
    return lint_corpus.score(lint_corpus.settings_for("default"))


@pytest.fixture(scope="module")
def every() -> lint_corpus.Scores:
    return lint_corpus.score(lint_corpus.settings_for("all"))


def test_the_corpus_is_labelled_and_large_enough() -> None:
    cases = lint_corpus.read_manifest()
    assert len(cases) >= 200 and len({c.file for c in cases}) == len(cases)
    assert sum(c.kind == "clean" for c in cases) >= 60
    for c in cases:
        assert (CORPUS / c.file).exists(), c.file
    kinds = {c.kind for c in cases} - {"clean"}
    assert kinds == set(lint_corpus.KINDS)  # every kind of the table has cases, and no case lacks a kind
    per_item = [k for k in kinds if not any(c.file.startswith("banks/") for c in cases if c.kind == k)]
    for kind in per_item:  # each flaw in several wordings
        assert sum(c.kind == kind for c in cases) >= 3, kind


def test_the_corpus_is_not_copied_from_the_bank() -> None:
    bank = {load_file(p).data["stem"].strip() for p in (ROOT / "bank").rglob("*.yaml")}
    stems = {load_file(p).data["stem"].strip() for p in CORPUS.rglob("*.yaml")}
    assert not bank & stems


def test_every_existing_rule_has_a_kind_and_expected_codes_are_lint_codes() -> None:
    expected = {code for codes, _ in lint_corpus.KINDS.values() for code in codes}
    assert set(REGISTRY) <= expected  # every rule is measured
    assert all(code.startswith("IW") and len(code) == 5 for code in expected)


def test_default_selection_rarely_flags_clean_items(default: lint_corpus.Scores) -> None:
    share = default.clean_share()
    flagged = sorted(f for code, files in default.hits.items() for f in files if f.startswith("items/clean/"))
    assert share <= 0.10, flagged


def test_default_rules_find_their_flaws_and_little_else(default: lint_corpus.Scores) -> None:
    enabled = lint_corpus.settings_for("default").enabled  # type: ignore[attr-defined]
    assert enabled == {code for code, r in REGISTRY.items() if r.default}
    for code in sorted(enabled):
        recall, precision = default.recall(code), default.precision(code)
        assert recall is not None and recall >= 0.9, f"{code} recall {recall}"
        assert precision is not None and precision >= 0.9, f"{code} precision {precision}"


def test_opt_in_rules_are_the_ones_that_flag_sound_items(every: lint_corpus.Scores) -> None:
    # what keeps IW402/IW403 out of the default: they flag many clean items (short rationales
    # that explain the key in their own words), yet they still find their own flaws
    for code in ("IW402", "IW403"):
        assert not REGISTRY[code].default
        assert every.clean_share(code) > 0.10, code
        assert (every.recall(code) or 0) > 0, code


def test_the_table_lists_every_rule_with_its_selection(default: lint_corpus.Scores, every: lint_corpus.Scores) -> None:
    enabled = {code: REGISTRY[code].default for code in REGISTRY}
    text = lint_corpus.table(default, every, lint_corpus.all_codes(), enabled)
    rows = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| IW")}
    assert set(REGISTRY) <= set(rows)
    assert "| `rationale-skips-distractor` |  |" in rows["IW403"] and "| `key-longest` | yes |" in rows["IW301"]
    share = f"Clean items with any finding: {default.clean_share():.1%} of {len(default.clean())} with the default"
    assert share in text


def test_the_readme_shows_the_current_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert lint_corpus.readme_table(readme) == lint_corpus.current_table(), "run python bench/lint_corpus.py --readme"
