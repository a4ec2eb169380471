"""Possible paraphrases (ID103, `cmas_bank/dedupe/paraphrase.py`): each signal with a pair it
reports and a pair it must leave alone, the findings, the setting, incremental runs and the CLI.

The stems are written here for these tests (not taken from the labelled corpora)."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirunner import cli as run_cli

from cmas_bank.bankitem import BankItem
from cmas_bank.dedupe import NEAR_DUPLICATE, POSSIBLE_PARAPHRASE, DedupeSettings, find_duplicates
from cmas_bank.dedupe.entries import figures, make_entry
from cmas_bank.dedupe.paraphrase import option_set_groups, possible_paraphrase
from cmas_bank.diagnostics import Severity
from cmas_bank.errors import UsageError

OPTIONS = ["Sterilization", "Disinfection", "Sanitization", "Asepsis"]
KEY = "A"

# A scenario and question, and a copy that rewords both with words no synonym set joins.
ORIGINAL = (
    "Medical assistant Ines Moreau wraps the forceps and loads the autoclave at the end of the clinic day. "
    "Which process destroys every microorganism on the forceps, spores included?"
)
REWORDED = (
    "At closing time, medical assistant Ines Moreau bundles the forceps and puts them in the autoclave. "
    "Which process kills all microbes on the forceps, even spores?"
)


def _item(item_id: str, stem: str, options: list[str] | None = None, key: str = KEY, **extra: object) -> BankItem:
    return BankItem(
        path=f"/para/{item_id}.yaml",
        display=f"para/{item_id}.yaml",
        id=item_id,
        valid=True,
        stem=stem,
        options=dict(zip("ABCD", options or OPTIONS)),
        answer=key,
        values={("stem",): (7, 7)},
        **extra,  # type: ignore[arg-type]
    )


def _possible(a: str, b: str, options_b: list[str] | None = None, key_b: str = KEY) -> bool:
    """Whether a whole-bank run reports the two stems as a possible paraphrase (and only as one)."""
    result = find_duplicates([_item("P-A", a), _item("P-B", b, options_b, key_b)])
    assert all(c.kind == "possible" for c in result.clusters), "a pair ID101 or ID102 already reports"
    return bool(result.clusters)


def test_a_reworded_copy_with_the_same_options_and_key_is_a_possible_paraphrase_not_a_near_duplicate() -> None:
    result = find_duplicates([_item("P-A", ORIGINAL), _item("P-B", REWORDED)])
    assert [c.kind for c in result.clusters] == ["possible"]
    assert [(d.item_id, d.code, d.severity) for d in result.diagnostics] == [
        ("P-A", POSSIBLE_PARAPHRASE, Severity.WARNING),
        ("P-B", POSSIBLE_PARAPHRASE, Severity.WARNING),
    ]
    assert "possible paraphrase of P-B" in result.diagnostics[0].message
    assert result.clusters[0].pairs[0].reason == "same options, key and figures; stem reworded"


def test_candidates_need_the_same_key_and_the_same_set_of_options() -> None:
    shuffled = [OPTIONS[2], OPTIONS[0], OPTIONS[3], OPTIONS[1]]  # order ignored, key text kept
    assert _possible(ORIGINAL, REWORDED, shuffled, key_b="B")
    assert not _possible(ORIGINAL, REWORDED, key_b="B")  # another key
    assert not _possible(ORIGINAL, REWORDED, [*OPTIONS[:3], "Irradiation"])  # one option replaced
    entries = [make_entry(i, b) for i, b in enumerate([_item("P-A", ORIGINAL), _item("P-B", REWORDED)])]
    other = make_entry(2, _item("P-C", REWORDED, [*OPTIONS[:3], "Irradiation"]))
    groups = option_set_groups([e for e in (*entries, other) if e is not None])
    assert [[e.index for e in members] for members in groups] == [[0, 1]]
    first, second = entries
    assert first is not None and second is not None
    assert possible_paraphrase(first, second, DedupeSettings()) is not None


def test_the_stems_must_state_the_same_figures() -> None:
    a = "Ben Ortiz earns $20 an hour and works 46 hours in one workweek. What is his gross pay?"
    copy = "Ben Ortiz is paid $20 per hour and puts in 46 hours during a single workweek. What are his total wages?"
    other = "Ben Ortiz earns $20 an hour, works 40 hours and gets a $180 bonus. What are his total wages?"
    assert figures("Pay is $6,300. It rose 2.5% by 3/4.") == ("2.5", "3/4", "6300")
    assert _possible(a, copy)
    assert not _possible(a, other)  # the same key reached from other figures: another question


def test_the_stems_must_share_half_their_content_words() -> None:
    """A scenario half reworded (so the question may change freely) and another question."""
    other = (
        "Near closing, medical assistant Ines Moreau packs the forceps for the autoclave. Which log entry, "
        "initialled by the supervisor and kept for three years, records each sterilizer cycle's readings?"
    )
    assert not _possible(ORIGINAL, other)


def test_the_same_scenario_asking_another_question_is_left_alone() -> None:
    """The hard negative's shape: the scenario kept word for word, and a question that drops and
    adds more than two content words. A question that swaps one verb phrase stays a candidate."""
    scenario = "Medical assistant Ines Moreau wraps the forceps and loads the autoclave at the end of the clinic day. "
    another = scenario + "How long must the wrapped forceps cool before they are stored on the open shelf?"
    swapped = scenario + "Which process eliminates every microorganism on the forceps, spores included?"
    assert not _possible(ORIGINAL, another)
    assert _possible(ORIGINAL, swapped.replace("eliminates", "wipes out"))


def test_a_scenario_replaced_or_other_people_are_another_item() -> None:
    """The same question in another scenario (other people, another setting) is for ID102 to
    judge, not a reworded copy."""
    other_scene = (
        "Just after the office opens, Ines Moreau checks the sterilizer log at a pediatric practice in Oakdale. "
        "Which process kills all microbes on the forceps, even spores?"
    )
    assert not _possible(ORIGINAL, other_scene)
    other_people = REWORDED.replace("Ines Moreau", "Tomas Lindqvist")
    assert not _possible(ORIGINAL, other_people)
    question = " Which process kills the spores on the forceps?"
    original, reworded = ORIGINAL.split(". ")[0] + "." + question, REWORDED.split(". ")[0] + "." + question
    assert _possible(original, reworded)
    assert not _possible(original, "Medical assistant Ines Moreau answers the phone at the front desk." + question)


def test_a_folded_scenario_counts_but_an_added_one_does_not() -> None:
    folded = (  # the scenario moved into the question, and two of the question's words reworded
        "Which process wipes out every microbe, spores included, on the forceps that medical assistant "
        "Ines Moreau wraps and loads into the autoclave at the end of the clinic day?"
    )
    bare = "Which process destroys every microorganism on the forceps, spores included?"
    assert _possible(ORIGINAL, folded)
    assert not _possible(ORIGINAL, bare)  # the scenario dropped: too little of the stem is left


def test_a_heavy_rewording_of_scenario_and_question_at_once_is_a_possible_paraphrase() -> None:
    """Both the scenario and the question reworded, so that less than half the content words are
    shared (0.41) and the scenarios share 0.40 (Dice): a rewording, since neither part was kept.
    The same question in a scenario replaced about as far (0.42) is another item: with the question
    kept, the scenarios must share 0.45."""
    heavy = (
        "At closing time, medical assistant Ines Moreau bundles the forceps and runs them through the "
        "sterilizer. What process kills all microbes on the instruments, even spores?"
    )
    assert _possible(ORIGINAL, heavy)
    replaced = (
        "Medical assistant Ines Moreau restocks the supply room of the clinic after lunch. "
        "Which process destroys every microorganism on the forceps, spores included?"
    )
    assert not _possible(ORIGINAL, replaced)


def test_a_capitalised_term_written_in_lower_case_is_not_another_person() -> None:
    """Capitalised words are read as names; a copy may write a term in lower case ("CDC Guideline
    for Disinfection and Sterilization" / "CDC disinfection and sterilization guideline"). The
    shorter list of names must be in the longer one: other people are still another item."""
    original = "Following the CDC Guideline for Disinfection and Sterilization, " + ORIGINAL[0].lower() + ORIGINAL[1:]
    copy = (
        "At closing time, medical assistant Ines Moreau follows the CDC disinfection and sterilization guideline "
        "as she bundles the forceps and puts them in the autoclave. What process kills all microbes on the "
        "instruments, even spores?"
    )
    assert _possible(original, copy)
    other_person = copy.replace(
        "Ines Moreau follows the CDC disinfection and sterilization guideline as she",
        "Tomas Lindqvist follows the CDC Guideline for Disinfection and Sterilization as he",
    )
    assert not _possible(original, other_person)


def test_a_scenario_with_a_sentence_added_is_kept_and_another_question_is_left_alone() -> None:
    """A scenario counts as kept when the shorter one is (nearly all) in the other: a hard
    negative often adds a sentence to the scenario as it asks another question."""
    longer = (
        ORIGINAL.split(". ")[0] + ". The load also holds a tray of scissors and a glass thermometer. "
        "How long must the wrapped forceps dry before they are stored?"
    )
    assert not _possible(ORIGINAL, longer)


def test_a_folded_copy_that_rewords_its_question_counts() -> None:
    """The scenario folded into a question that is reworded too: stem similarity 0.73."""
    folded = (
        "Which process, spores included, wipes out every microbe on the forceps that medical assistant "
        "Ines Moreau packs into the autoclave when the clinic day ends?"
    )
    assert _possible(ORIGINAL, folded)


def test_pairs_that_id101_or_id102_report_and_acknowledged_variants_are_not_reported_again() -> None:
    near = ORIGINAL.replace("wraps", "packs")
    result = find_duplicates([_item("P-A", ORIGINAL), _item("P-B", near), _item("P-C", REWORDED)])
    assert sorted((c.kind, c.ids) for c in result.clusters) == [
        ("near", ("P-A", "P-B")),
        ("possible", ("P-A", "P-C")),  # one pair joins P-C to the group, not one per member
    ]
    enemies = [_item("P-A", ORIGINAL, enemies=["P-B"]), _item("P-B", REWORDED)]
    assert find_duplicates(enemies).clusters == []


def test_the_setting_turns_the_pass_off_and_is_checked() -> None:
    items = [_item("P-A", ORIGINAL), _item("P-B", REWORDED)]
    assert find_duplicates(items, DedupeSettings.from_table({"paraphrases": False})).clusters == []
    assert find_duplicates(items, DedupeSettings(fields=("stem", "options"))).clusters == []  # needs the key
    with pytest.raises(UsageError, match="paraphrases must be true or false"):
        DedupeSettings.from_table({"paraphrases": "yes"})


def test_an_incremental_run_finds_the_pair_from_either_side() -> None:
    items = [_item("P-A", ORIGINAL), _item("P-B", REWORDED), _item("P-C", "What does an autoclave do?", ["x", "y"])]
    for changed in ("P-A", "P-B"):
        result = find_duplicates(items, only={Path(f"/para/{changed}.yaml")})
        assert [(d.item_id, d.code) for d in result.diagnostics] == [(changed, POSSIBLE_PARAPHRASE)]
    assert find_duplicates(items, only={Path("/para/P-C.yaml")}).diagnostics == []


def _write(folder: Path, item_id: str, stem: str) -> None:
    options = "".join(f'  {k}: "{v}"\n' for k, v in zip("ABCD", OPTIONS))
    folder.joinpath(f"{item_id}.yaml").write_text(
        f"id: {item_id}\ndomain: 4\nsubdomain: 4C\nstatus: draft\ndifficulty: medium\n"
        f"cognitive_level: application\nstem: |-\n  {stem}\noptions:\n{options}answer: {KEY}\n"
        "rationale: A test item.\nreferences:\n  - Test\nauthors:\n  - Tester\nenemies: []\n"
        "created: 2026-12-02\nupdated: 2026-12-02\n",
        encoding="utf-8",
    )


def test_cli_reports_possible_paraphrases_as_warnings_that_do_not_fail(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n')
    bank = tmp_path / "bank"
    bank.mkdir()
    _write(bank, "PP-0001", ORIGINAL)
    _write(bank, "PP-0002", REWORDED)
    result = run_cli("dedupe", "--config", str(tmp_path / "pyproject.toml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ID103 possible paraphrase of PP-0002" in result.stdout
    assert "cluster 1: possible paraphrases (review), 2 items" in result.stdout
    assert "0 exact and 0 near-duplicate cluster(s), 1 possible paraphrase(s) to review among 2 items" in result.stderr
    assert NEAR_DUPLICATE not in result.stdout


def test_which_pair_joins_an_item_to_a_group_depends_neither_on_file_order_nor_on_the_run() -> None:
    """P-A and P-B are near duplicates; P-C rewords them. One possible pair joins P-C to them,
    the same whatever the order of the files, and an incremental run over an earlier whole-bank
    run (as `check` makes after an edit) gives the whole-bank result."""
    items = [_item("P-A", ORIGINAL), _item("P-B", ORIGINAL.replace("wraps", "packs")), _item("P-C", REWORDED)]
    whole = find_duplicates(items)
    assert find_duplicates(items[::-1]).clusters == whole.clusters
    for changed in ("P-A", "P-B", "P-C"):
        again = find_duplicates(items, only={Path(f"/para/{changed}.yaml")}, previous=whole.links)
        assert again.clusters == whole.clusters, changed
