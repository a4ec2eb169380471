"""Duplicate detection on hand-written pairs of every kind, hard negatives, acknowledged variants,
incremental mode, settings and the CLI (fixtures under tests/fixtures/dedupe/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirunner import Ran
from clirunner import cli as run_cli
from conftest import FIXTURES, ROOT

from cmas_bank.bankitem import bank_item
from cmas_bank.dedupe import (
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
    UNKNOWN_ENEMY,
    DedupeSettings,
    core,
    find_duplicates,
    render_clusters_text,
)
from cmas_bank.dedupe.entries import make_entry
from cmas_bank.dedupe.text import mask, plain_tokens, shingles, word_diff
from cmas_bank.dedupe.verify import compare
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError
from cmas_bank.outline import Outline
from cmas_bank.validate import ItemFile, validate_paths

DEDUPE = FIXTURES / "dedupe"
STEM_LINE = 7  # every fixture's `stem: |-` is on line 7, column 7

# kind -> (cluster kind, ids): one pair per folder under duplicates/
DUPLICATES = {
    "exact": ("exact", ("DD-EXACT-A", "DD-EXACT-B")),
    "shuffle": ("exact", ("DD-SHUFFLE-A", "DD-SHUFFLE-B")),
    "name": ("near", ("DD-NAME-A", "DD-NAME-B")),
    "number": ("near", ("DD-NUMBER-A", "DD-NUMBER-B")),
    "date": ("near", ("DD-DATE-A", "DD-DATE-B")),
    "reorder": ("near", ("DD-REORDER-A", "DD-REORDER-B")),
    "swap": ("near", ("DD-SWAP-A", "DD-SWAP-B")),
    "distractor": ("near", ("DD-DISTRACTOR-A", "DD-DISTRACTOR-B")),
}
NEGATIVES = ["form-locator", "number-different-key", "same-scenario", "same-topic"]


def load(folder: Path, outline: Outline) -> list[ItemFile]:
    files = validate_paths([folder], outline).files
    assert files and all(f.item is not None for f in files), "fixtures must be valid items"
    return files


@pytest.mark.parametrize("kind", sorted(DUPLICATES))
def test_each_kind_of_duplicate_is_one_cluster_with_a_finding_at_each_stem(kind: str, outline: Outline) -> None:
    cluster_kind, ids = DUPLICATES[kind]
    result = find_duplicates(load(DEDUPE / "duplicates" / kind, outline))
    (cluster,) = result.clusters
    assert (cluster.kind, cluster.ids) == (cluster_kind, ids)
    code = EXACT_DUPLICATE if cluster_kind == "exact" else NEAR_DUPLICATE
    assert [(d.item_id, d.code, d.line, d.column) for d in result.diagnostics] == [
        (ids[0], code, STEM_LINE, 7),
        (ids[1], code, STEM_LINE, 7),
    ]
    assert all(d.severity is Severity.ERROR for d in result.diagnostics)
    assert ids[1] in result.diagnostics[0].message and ids[0] in result.diagnostics[1].message


@pytest.mark.parametrize("kind", NEGATIVES)
def test_hard_negatives_are_not_reported(kind: str, outline: Outline) -> None:
    result = find_duplicates(load(DEDUPE / "negatives" / kind, outline))
    assert result.clusters == [] and result.diagnostics == []


def test_the_answer_keeps_hard_negatives_out_twice(outline: Outline) -> None:
    """The form-locator pair shares nearly every word: without the answer in `fields` it is
    reported. With it, the key-conditioned features keep the pair from being a candidate at all,
    and the answer gate would reject it if it were one."""
    files = load(DEDUPE / "negatives" / "form-locator", outline)
    without_answer = find_duplicates(files, DedupeSettings(fields=("stem", "options")))
    assert [c.ids for c in without_answer.clusters] == [("DN-FL-A", "DN-FL-B")]
    assert without_answer.candidates == 1
    assert find_duplicates(files).candidates == 0
    a, b = (make_entry(i, bank_item(f)) for i, f in enumerate(files))  # type: ignore[arg-type]
    assert a is not None and b is not None
    assert compare(a, b, DedupeSettings()) is None
    assert compare(a, b, DedupeSettings(fields=("stem", "options"))) is not None


def test_scores_and_reasons(outline: Outline) -> None:
    def pair(kind: str) -> core.Pair:
        (cluster,) = find_duplicates(load(DEDUPE / "duplicates" / kind, outline)).clusters
        (p,) = cluster.pairs
        return p

    number = pair("number")
    assert number.reason == "only numbers or dates differ" and number.score == 1.0
    distractor = pair("distractor")
    assert distractor.stem_similarity == 1.0 and 0.75 < distractor.option_similarity < 0.9
    assert (distractor.options_only_a, distractor.options_only_b) == (("Petty cash audit",), ("Day sheet posting",))
    swap = pair("swap")
    assert swap.reason == "same answer" and 0.85 < swap.score < 0.97
    assert "[-file-] {+records+}" in swap.diff and "[-last name.-] {+surname.+}" in swap.diff
    assert pair("reorder").stem_similarity == 1.0


@pytest.mark.parametrize("folder", ["one-way", "both-ways"])
def test_acknowledged_variants_are_not_reported(folder: str, outline: Outline) -> None:
    files = load(DEDUPE / "acknowledged" / folder, outline)
    assert find_duplicates(files).diagnostics == []
    # the same two items without the enemies entries are a near duplicate
    for f in files:
        assert f.item is not None
        f.item = f.item.model_copy(update={"enemies": []})
    assert [c.ids for c in find_duplicates(files).clusters] == [(f"{files[0].item.id}", f"{files[1].item.id}")]  # type: ignore[union-attr]


def test_whole_bank_reports_clusters_and_unknown_enemies(outline: Outline) -> None:
    result = find_duplicates(load(DEDUPE / "bank", outline))
    assert [(c.kind, c.ids) for c in result.clusters] == [("near", ("DB-0001", "DB-0003"))]
    found = [(d.item_id, d.code, d.line, d.severity) for d in result.diagnostics]
    assert found == [
        ("DB-0001", NEAR_DUPLICATE, STEM_LINE, Severity.ERROR),
        ("DB-0002", UNKNOWN_ENEMY, 22, Severity.WARNING),
        ("DB-0003", NEAR_DUPLICATE, STEM_LINE, Severity.ERROR),
    ]
    assert "'DB-9999'" in result.diagnostics[1].message


@pytest.mark.parametrize(
    ("limit", "few"),
    [(core.EXHAUSTIVE_LIMIT, 8), (core.EXHAUSTIVE_LIMIT, 0), (0, 8)],
    ids=["exhaustive-one-by-one", "exhaustive-cdist", "lsh"],
)
def test_incremental_mode_compares_only_the_given_files(
    limit: int, few: int, outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmas_bank.dedupe import candidates

    monkeypatch.setattr(core, "EXHAUSTIVE_LIMIT", limit)
    monkeypatch.setattr(candidates, "FEW_QUERIES", few)
    files = load(DEDUPE / "bank", outline)
    changed = DEDUPE / "bank" / "DB-0003.yaml"
    result = find_duplicates(files, only={changed})
    assert [(d.item_id, d.code) for d in result.diagnostics] == [("DB-0003", NEAR_DUPLICATE)]
    assert [c.ids for c in result.clusters] == [("DB-0001", "DB-0003")]
    # an unrelated file: nothing, and unknown enemies need the whole bank
    assert find_duplicates(files, only={DEDUPE / "bank" / "DB-0002.yaml"}).diagnostics == []
    assert find_duplicates(files, only=set()).diagnostics == []


def test_incremental_mode_matches_relative_and_absolute_paths(
    outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    files = load(DEDUPE / "bank", outline)
    relative = Path("tests/fixtures/dedupe/bank/DB-0001.yaml")
    assert [d.item_id for d in find_duplicates(files, only={relative}).diagnostics] == ["DB-0001"]


def test_result_does_not_depend_on_file_order(outline: Outline) -> None:
    files = load(DEDUPE / "duplicates", outline)
    forward = find_duplicates(files)
    backward = find_duplicates(list(reversed(files)))
    assert [c.to_dict() for c in forward.clusters] == [c.to_dict() for c in backward.clusters]
    assert forward.diagnostics == backward.diagnostics
    assert len(forward.clusters) == len(DUPLICATES)


def test_near_severity_setting(outline: Outline) -> None:
    settings = DedupeSettings.from_table({"near-severity": "warning"})
    result = find_duplicates(load(DEDUPE / "duplicates" / "swap", outline), settings)
    assert {d.severity for d in result.diagnostics} == {Severity.WARNING}


def test_threshold_setting_changes_what_is_reported(outline: Outline) -> None:
    files = load(DEDUPE / "duplicates" / "name", outline)
    assert find_duplicates(files, DedupeSettings.from_table({"near-threshold": 0.95})).clusters == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"near-treshold": 0.9}, "unknown setting 'near-treshold' (did you mean \"near-threshold\"?)"),
        ({"near-threshold": 1.5}, "near-threshold must be a number above 0 and at most 1"),
        ({"num-perm": "128"}, "num-perm must be a whole number from 16 to 1024"),
        ({"fields": ["stem", "optoins"]}, "unknown field 'optoins' (did you mean \"options\"?)"),
        ({"fields": ["options"]}, "fields must include 'stem'"),
        ({"near-severity": "eror"}, "near-severity must be 'error' or 'warning', not 'eror' (did you mean \"error\"?)"),
    ],
)
def test_bad_settings_are_usage_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=None) as info:
        DedupeSettings.from_table(table)
    assert message in str(info.value)


def test_cluster_listing_shows_ids_paths_score_and_diff(outline: Outline) -> None:
    result = find_duplicates(load(DEDUPE / "duplicates" / "date", outline))
    text = render_clusters_text(result.clusters)
    assert text.splitlines()[:5] == [
        "cluster 1: near duplicates, 2 items, score 1.00",
        "  DD-DATE-A  tests/fixtures/dedupe/duplicates/date/DD-DATE-A.yaml:7",
        "  DD-DATE-B  tests/fixtures/dedupe/duplicates/date/DD-DATE-B.yaml:7",
        "  DD-DATE-A ~ DD-DATE-B: 1.00 (stem 1.00, options 1.00, same answer)",
        (
            "    stem: ... an office visit on [-January 14, 2026-] {+9 September 2025+} is denied by "
            "Medicare on [-February 2, 2026.-] {+30 September 2025.+} The billing specialist finds ..."
        ),
    ]


# --- normalisation ------------------------------------------------------------------------------


def test_plain_tokens_ignore_case_punctuation_spacing_and_compatibility_forms() -> None:
    assert plain_tokens("On MARCH ３,\u00a0Dana’s  ﬁle?") == ["on", "march", "3", "dana", "s", "file"]


def test_mask_hides_numbers_and_dates_but_not_verbs() -> None:
    assert mask(plain_tokens("On March 3, 2026 she may march to 9 Sept at $1,250.00 on Monday")) == (
        ["on", "#", "she", "may", "march", "to", "#", "at", "#", "on", "#"]
    )


def test_shingles_stay_inside_sentences_and_skip_stop_words() -> None:
    text = "The clerk files the chart. Then she calls the patient?"
    assert shingles(text, 2) == {"clerk files", "files chart", "calls patient"}
    assert shingles(text, 1) == {"clerk", "files", "chart", "calls", "patient"}


def test_word_diff() -> None:
    assert word_diff("a b c", "a b c") == "(stems identical)"
    assert word_diff(
        "one two three four five six seven eight nine ten", "one two three four five six seven eight nine eleven"
    ) == ("... six seven eight nine [-ten-] {+eleven+}")


# --- the command --------------------------------------------------------------------------------


def cli(*args: str) -> Ran:
    return run_cli("dedupe", "--config", str(DEDUPE / "pyproject.toml"), *args)


def test_cli_whole_bank_text() -> None:
    result = cli()
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("tests/fixtures/dedupe/bank/DB-0001.yaml:7:7: ID102 near duplicate of DB-0003 ")
    assert lines[1].startswith("tests/fixtures/dedupe/bank/DB-0002.yaml:22:11: ID201 enemy 'DB-9999' ")
    assert "cluster 1: near duplicates, 2 items" in result.stdout
    assert "[-March 3, Dana Whitfield-] {+June 18, Lena Fairbanks+}" in result.stdout
    assert "0 exact and 1 near-duplicate cluster(s) among 4 items" in result.stderr


def test_cli_incremental_json_carries_clusters() -> None:
    result = cli("-f", "json", "tests/fixtures/dedupe/bank/DB-0003.yaml")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert [(d["item_id"], d["code"]) for d in doc["diagnostics"]] == [("DB-0003", "ID102")]
    (cluster,) = doc["clusters"]
    assert [m["id"] for m in cluster["members"]] == ["DB-0001", "DB-0003"]
    assert cluster["pairs"][0]["reason"] == "same answer"


def test_cli_paths_outside_the_bank_are_compared_with_it() -> None:
    result = cli("-f", "github", "tests/fixtures/dedupe/duplicates/exact/DD-EXACT-A.yaml")
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error file=tests/fixtures/dedupe/duplicates/exact/DD-EXACT-A.yaml,line=7,col=7,title=ID101::"
    )
    assert "DB-0001" in result.stdout  # the bank's copy of the same item


def test_cli_clean_and_usage_errors(tmp_path: Path) -> None:
    assert cli("tests/fixtures/dedupe/bank/DB-0004.yaml").returncode == 0
    missing = cli("no/such/file.yaml")
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[tool.cmas-bank]\nbank = "."\n[tool.cmas-bank.dedupe]\nshingle-sise = 2\n')
    (tmp_path / "DB-0001.yaml").write_bytes((DEDUPE / "bank" / "DB-0001.yaml").read_bytes())
    result = run_cli("dedupe", "--config", str(bad))
    assert result.returncode == 2 and 'did you mean "shingle-size"?' in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_skips_files_that_are_not_items(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    for name in ("DB-0001.yaml", "DB-0003.yaml"):
        (bank / name).write_bytes((DEDUPE / "bank" / name).read_bytes())
    (bank / "broken.yaml").write_text("id: [unclosed\n")
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    result = run_cli("dedupe", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "among 2 items; 1 unreadable item file(s) skipped (run validate)" in result.stderr
    assert "bank/DB-0003.yaml:7:7: ID102 near duplicate of DB-0001" in result.stdout


def test_exact_groups_linked_by_a_near_pair_stay_separate_exact_clusters(tmp_path: Path, outline: Outline) -> None:
    """DD-EXACT-A/B are one exact group, DB-0003 and its recased copy another; the two groups are
    near duplicates of each other (a renamed patient): two exact clusters and one near cluster."""
    for source in (DEDUPE / "duplicates" / "exact").glob("*.yaml"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    renamed = (DEDUPE / "bank" / "DB-0003.yaml").read_text(encoding="utf-8")
    (tmp_path / "DB-0003.yaml").write_text(renamed, encoding="utf-8")
    (tmp_path / "DB-0005.yaml").write_text(
        renamed.replace("id: DB-0003", "id: DB-0005").replace("Lena Fairbanks", "LENA FAIRBANKS"), encoding="utf-8"
    )
    result = find_duplicates(load(tmp_path, outline))
    assert [(c.kind, c.ids) for c in result.clusters] == [
        ("exact", ("DB-0003", "DB-0005")),
        ("exact", ("DD-EXACT-A", "DD-EXACT-B")),
        ("near", ("DB-0003", "DB-0005", "DD-EXACT-A", "DD-EXACT-B")),
    ]
    codes = sorted((d.item_id, d.code) for d in result.diagnostics)
    assert codes == sorted(
        [(i, "ID101") for i in ("DB-0003", "DB-0005", "DD-EXACT-A", "DD-EXACT-B")]
        + [(i, "ID102") for i in ("DB-0003", "DB-0005", "DD-EXACT-A", "DD-EXACT-B")]
    )
