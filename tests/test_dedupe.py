"""Duplicate detection on hand-written pairs of every kind, hard negatives, acknowledged variants,
incremental mode, settings and the CLI (fixtures under tests/fixtures/dedupe/)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from clirunner import Ran
from clirunner import cli as run_cli
from conftest import FIXTURES, ROOT

from cmas_bank.bankitem import BankItem, bank_item
from cmas_bank.dedupe import (
    EXACT_DUPLICATE,
    NEAR_DUPLICATE,
    POSSIBLE_PARAPHRASE,
    UNKNOWN_ENEMY,
    DedupeResult,
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


def test_the_answer_and_the_question_keep_hard_negatives_out(outline: Outline) -> None:
    """The form-locator pair shares its scenario and options and asks another question. With the
    answer in `fields`, the key-conditioned features keep the pair from being a candidate at all,
    and the answer gate would reject it if it were one. Without the answer it is a candidate, and
    the word bags alone would call it a copy, but the question coverage rejects it: each question
    has words ("admission date", "discharge status") the other stem lacks."""
    from rapidfuzz.distance import Indel

    from cmas_bank.dedupe.verify import stem_similarity

    files = load(DEDUPE / "negatives" / "form-locator", outline)
    without_answer = find_duplicates(files, DedupeSettings(fields=("stem", "options")))
    assert without_answer.candidates == 1 and without_answer.clusters == []
    assert find_duplicates(files).candidates == 0
    a, b = (make_entry(i, bank_item(f.loaded, f.item)) for i, f in enumerate(files))  # type: ignore[arg-type]
    assert a is not None and b is not None
    assert compare(a, b, DedupeSettings()) is None
    assert compare(a, b, DedupeSettings(fields=("stem", "options"))) is None
    assert Indel.normalized_similarity(a.content_bag, b.content_bag) > 0.8 > stem_similarity(a, b)


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
    files = load(DEDUPE / "duplicates" / "swap", outline)  # scores 0.93: "file"/"records" is no synonym pair
    assert len(find_duplicates(files).clusters) == 1
    strict = find_duplicates(files, DedupeSettings.from_table({"near-threshold": 0.95}))
    assert [c.kind for c in strict.clusters] == ["possible"]  # same options and key: left for review (ID103)
    assert {d.code for d in strict.diagnostics} == {POSSIBLE_PARAPHRASE}
    assert (
        find_duplicates(files, DedupeSettings.from_table({"near-threshold": 0.95, "paraphrases": False})).clusters == []
    )


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


# --- hostile banks: work bounded per candidate group ----------------------------------------------


def _items(stems: list[str], options: list[list[str]], ids: list[str] | None = None) -> list[BankItem]:
    """Valid bank items made in memory (the shape `check` caches): one per stem, key A."""
    ids = ids or [f"HB-{i:05d}" for i in range(len(stems))]
    return [
        BankItem(
            path=f"/hostile/{item_id}.yaml",
            display=f"hostile/{item_id}.yaml",
            id=item_id,
            valid=True,
            stem=stem,
            options=dict(zip("ABCD", opts)),
            answer="A",
            values={("stem",): (7, 7)},
        )
        for item_id, stem, opts in zip(ids, stems, options)
    ]


def _distinct_options(n: int, seed: int) -> list[list[str]]:
    """n sets of four options of three pseudo-words each, no option text used twice."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "ve", "zu", "bo", "de", "fa", "gi", "hu"]
    seen: set[str] = set()
    out = []
    while len(out) < n:
        opts = [" ".join("".join(rng.choices(syllables, k=3)) for _ in range(3)) for _ in range(4)]
        if len(set(opts)) == 4 and not seen.intersection(opts):
            seen.update(opts)
            out.append(opts)
    return out


def _timed(items: list[BankItem]) -> tuple[float, DedupeResult]:
    start = time.perf_counter()
    result = find_duplicates(items)
    return time.perf_counter() - start, result


def test_one_generic_stem_over_many_items_is_bounded_and_reports_nothing() -> None:
    """1,000 items that share "Which of the following is correct?" and nothing else: their stem
    group is blocked, not expanded into 500,000 pairs, and the generic stem lends no pair any
    similarity. Time is compared with 1,000 items with distinct stems in the same run (10x is
    generous: the blocked group costs about 8 candidate pairs per item, where the distinct bank
    costs one MinHash per item); the quadratic version took over 50x. The candidate count, not
    the time, is what holds the bound: time on a loaded machine is only a loose check."""
    n = 1_000
    options = _distinct_options(n, seed=5)
    find_duplicates(_items(["Which form is used?", "Which form is filed?"], options[:2]))  # imports
    distinct_stems = [f"Which of the following {' '.join(o[1].split()[:2])} is correct?" for o in options]
    distinct_time, distinct = _timed(_items(distinct_stems, options))
    generic_time, generic = _timed(_items(["Which of the following is correct?"] * n, options))
    assert distinct.clusters == [] and distinct.diagnostics == []
    assert generic.clusters == [] and generic.diagnostics == []
    assert generic.candidates < 20 * n
    assert generic_time < 30 * max(distinct_time, 0.05), (generic_time, distinct_time)


def test_a_generic_stem_still_finds_copies_by_their_options() -> None:
    """Among items with one generic stem, a copy with shuffled options is an exact duplicate and
    one with a distractor reworded a near duplicate, found through the options they share."""
    n = 200
    options = _distinct_options(n, seed=6)
    stems = ["Which of the following is correct?"] * (n + 2)
    reworded = [options[50][0], options[50][1], options[50][2], options[50][3] + " too"]
    options += [list(reversed(options[10])), reworded]
    ids = [f"HB-{i:05d}" for i in range(n)] + ["HB-COPY", "HB-NEAR"]
    items = _items(stems, options, ids)
    items[-2].answer = "D"  # the key moves with the reversed options
    result = find_duplicates(items)
    assert [(c.kind, c.ids) for c in result.clusters] == [
        ("exact", ("HB-00010", "HB-COPY")),
        ("near", ("HB-00050", "HB-NEAR")),
    ]
    (near,) = result.clusters[1].pairs
    assert near.reason == "same generic stem, alike options" and near.score == near.option_similarity


def _copies(n: int) -> list[BankItem]:
    options = [["Remittance advice", "Superbill", "Day sheet", "Encounter form"]] * n
    stem = "Which document explains how a payer processed each claim line?"
    return _items([stem] * n, options, [f"HC-{i:05d}" for i in range(n)])


def test_identical_copies_are_one_cluster_paired_with_its_first_member_in_linear_time() -> None:
    """2,000 copies of one item: one exact cluster of 1,999 pairs (each copy with HC-00000), one
    finding per file, and no near pairs among copies. All 2,000 x 1,999 / 2 pairs used to be
    listed (10,000 copies ended in a MemoryError); the work now grows linearly: the candidate pairs
    and the cluster's pairs of 1,000 and of 2,000 copies are both under 2 per copy (counts, not
    times, so the test holds on a loaded machine; `bench/dedupe_bench.py` times it)."""
    small = find_duplicates(_copies(1_000))
    result = find_duplicates(_copies(2_000))
    assert small.candidates < 2 * 1_000 and len(small.clusters[0].pairs) == 999
    (cluster,) = result.clusters
    assert cluster.kind == "exact" and len(cluster.members) == 2_000 and len(cluster.pairs) == 1_999
    assert all(p.a.item_id == "HC-00000" for p in cluster.pairs)
    assert len(result.diagnostics) == 2_000 and {d.code for d in result.diagnostics} == {EXACT_DUPLICATE}
    assert len({d.path for d in result.diagnostics}) == 2_000
    assert result.diagnostics[1].message.startswith("exact duplicate of HC-00000 (hostile/HC-00000.yaml:7)")
    assert "and 1996 more" in result.diagnostics[0].message
    assert result.candidates < 2 * 2_000


def test_copies_with_enemies_are_paired_with_the_first_copy_they_do_not_acknowledge() -> None:
    items = _copies(3)
    items[0].enemies = ("HC-00001",)
    (cluster,) = find_duplicates(items).clusters
    assert cluster.ids == ("HC-00000", "HC-00001", "HC-00002")
    assert sorted((p.a.item_id, p.b.item_id) for p in cluster.pairs) == [
        ("HC-00000", "HC-00002"),
        ("HC-00001", "HC-00002"),
    ]


@pytest.mark.parametrize("change", ["first-removed", "first-edited", "new-first"])
def test_incremental_run_with_earlier_pairs_equals_a_whole_bank_run_for_copies(change: str) -> None:
    """Copies are paired with their group's first member only, so when that member goes away or
    changes, the others must be compared again (they are no longer paired with each other)."""
    items = _copies(5)
    before = find_duplicates(items)
    changed = items[0]
    if change == "first-removed":
        after = items[1:]
    elif change == "first-edited":
        changed.stem = "Which form lists the charges of one visit?"
        changed.dedupe = None
        after = items
    else:
        (changed,) = _items([items[0].stem or ""], [list(items[0].options.values())], ["HC-AAAAA"])
        after = [*items, changed]
    incremental = find_duplicates(after, only={Path(changed.path)}, previous=before.links)
    whole = find_duplicates(after)
    assert [c.to_dict() for c in incremental.clusters] == [c.to_dict() for c in whole.clusters]
    assert incremental.diagnostics == whole.diagnostics
    assert len(whole.clusters[0].members) == (4 if change != "new-first" else 6)


# --- our MinHash against datasketch's (issue 13, point 11: the install without scipy) ------------


def test_minhash_signatures_and_band_shape_equal_datasketchs() -> None:
    import zlib

    import numpy as np

    datasketch = pytest.importorskip("datasketch")
    from datasketch.lsh import _optimal_param

    from cmas_bank.dedupe import minhash

    sets = [["front", "desk", "copay"], ["x"], [f"w{i}" for i in range(300)], ["é", "ü", "—"]]
    for num_perm, seed in ((16, 1), (128, 1), (128, 7), (256, 2**32 - 1)):
        theirs = datasketch.MinHash.bulk(
            ([x.encode() for x in f] for f in sets), num_perm=num_perm, seed=seed, hashfunc=zlib.crc32
        )
        ours = minhash.signatures(sets, num_perm, seed)
        assert ours.shape == (len(sets), num_perm)
        assert (ours == np.array([m.hashvalues for m in theirs], dtype=np.uint64)).all()
    for threshold in (0.1, 0.35, 0.5, 0.8, 0.95):
        for num_perm in (16, 64, 128, 200):
            assert minhash.band_shape(threshold, num_perm, (0.3, 0.7)) == _optimal_param(threshold, num_perm, 0.3, 0.7)


def test_dedupe_imports_neither_datasketch_nor_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from cmas_bank.dedupe.minhash import signatures, band_shape;"
        "signatures([['a', 'b']], 128, 1); band_shape(0.5, 128, (0.3, 0.7));"
        "print(sorted(m for m in ('datasketch', 'scipy') if m in sys.modules))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"
