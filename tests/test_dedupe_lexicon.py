"""Dedupe's paraphrase normalisations, one by one: stemming, synonym sets and phrases, stop words
(negations kept), irregular verb forms, proper names, word order, and the question coverage that
keeps hard negatives with the same options and key apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BANK, FIXTURES

from cmas_bank.bankitem import BankItem
from cmas_bank.dedupe import DedupeSettings, find_duplicates, lexicon
from cmas_bank.dedupe.entries import Entry, make_entry
from cmas_bank.dedupe.lexicon import content_words, parse_synonyms, stem, synonyms
from cmas_bank.dedupe.text import NAME, NUMBER, mask_normal, names, normal, renamed
from cmas_bank.dedupe.verify import compare, coverage, stem_similarity


def words(text: str) -> list[str]:
    return content_words(mask_normal(normal(text)))


def bag(text: str) -> list[str]:
    return sorted(words(text))


def entry(stem_text: str, options: tuple[str, ...] = ("15 days", "30 days", "60 days", "90 days"), i: int = 0) -> Entry:
    item = BankItem(
        path=f"/lexicon/X-{i}.yaml",
        display=f"lexicon/X-{i}.yaml",
        id=f"X-{i}",
        valid=True,
        stem=stem_text,
        options=dict(zip("ABCD", options)),
        answer="B",
        values={("stem",): (7, 7)},
    )
    found = make_entry(i, item)
    assert found is not None
    return found


def test_stemming_reads_inflections_alike_and_leaves_placeholders() -> None:
    assert stem("recorded") == stem("records") == stem("recording") == "record"
    assert stem("transactions") == stem("transaction")
    assert stem(NUMBER) == NUMBER and stem(NAME) == NAME


def test_synonym_sets_read_as_their_first_word() -> None:
    assert words("protecting patient data") == words("safeguarding patient data")
    assert words("the last visit") == words("the final visit")
    assert words("each transaction") == words("every transaction")
    assert words("a doctor") == words("a physician") != words("a nurse")


def test_phrases_are_matched_before_stop_words_are_dropped() -> None:
    """ "act on" holds a stop word: it reads as "answer" only as a phrase."""
    assert words("must the practice act on the request") == words("must the practice answer the request")
    assert words("she wants to know the fee") == words("she asks the fee")
    assert words("measles, mumps and rubella vaccine") == words("MMR vaccine")
    assert "act" in words("how does the nurse act in an emergency")


def test_passive_voice_reads_as_active_stop_words_out_negations_kept() -> None:
    assert bag("The bookkeeper records each transaction.") == bag("Each transaction is recorded by the bookkeeper.")
    assert "not" in words("Which of these is not covered?")
    assert "no" in words("a patient with no insurance")
    assert words("Which of the following is covered?") != words("Which of the following is not covered?")


def test_irregular_verb_forms_read_as_their_verb() -> None:
    assert words("the notice is given") == words("the notice is provided")
    assert words("the note was written") == words("the note was recorded")
    assert words("the patient was seen") == words("the patient was noticed")
    assert words("wages paid") == words("wages owed")


def test_clauses_in_another_order_give_the_same_bag() -> None:
    """The brief's example: the clause moved and "each" for "every" cost nothing; "when a practice
    uses" adds two words that the question coverage lets through."""
    a = entry("In double-entry bookkeeping, how is each transaction recorded?", i=0)
    b = entry("How is every transaction recorded when a practice uses double-entry bookkeeping?", i=1)
    assert set(a.content_bag) <= set(b.content_bag)
    assert compare(a, b, DedupeSettings()) is not None


def test_names_of_people_read_as_one_placeholder() -> None:
    stem_text = "Rosa Delgado works 46 hours. Under the FLSA, how many hours does Rosa get as overtime?"
    found = names(stem_text)
    assert {"rosa", "delgado"} <= found and "flsa" not in found and "under" not in found
    assert names("Megan O'Neill transcribes a note.") >= {"megan", "neill"}
    assert names("On March 3 the office opens.") == frozenset()  # months are left to date masking
    assert renamed(["fatima", "zahra", "idrissi", "works"], frozenset({"fatima", "zahra", "idrissi"})) == [
        NAME,
        "works",
    ]
    a = entry("Fatima Zahra Idrissi has just given an injection. Where should the needle go?", i=0)
    b = entry("Aisha Rahman has just given an injection. Where should the needle go?", i=1)
    assert a.content_bag != b.content_bag  # the plain view keeps names (LSH features use it)
    assert a.renamed_content is not None and b.renamed_content is not None
    assert a.renamed_content.bag == b.renamed_content.bag and NAME in a.renamed_content.bag
    assert stem_similarity(a, b) == 1.0
    lower = entry("fatima zahra idrissi has just given an injection. where should the needle go?", i=2)
    assert lower.renamed_content is None and stem_similarity(a, lower) == 1.0  # the plain view still matches


def test_synonym_data_is_checked_when_read() -> None:
    table = parse_synonyms(["last, final", "act on, answer"])
    assert table.words[stem("final")] == stem("last") and table.phrases[("act", "on")] == "act_on"
    with pytest.raises(ValueError, match="set 2: 'final' is already in another set"):
        parse_synonyms(["last, final", "final, end"])
    with pytest.raises(ValueError, match="phrase of more than"):
        parse_synonyms(["go, go on and on and on"])
    with pytest.raises(TypeError, match="set 1: expected comma-separated words, not True"):
        parse_synonyms([True])  # `- yes` in YAML
    shipped = synonyms()
    assert len(shipped.words) > 200 and shipped.phrases
    assert all(w == w.lower() for w in shipped.words)


def test_synonym_data_is_a_yaml_file_that_the_check_cache_fingerprints() -> None:
    """The check cache keys results on the package's .py and .yaml files
    (`engine.store.code_fingerprint`): the synonym sets must be one of them, so that editing them
    invalidates cached dedupe findings."""
    data = Path(lexicon.__file__).with_name("synonyms.yaml")
    assert data.is_file() and [p.suffix for p in data.parent.iterdir() if p.stem == "synonyms"] == [".yaml"]


def test_words_seen_are_cached_but_not_without_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    table = parse_synonyms(["last, final"])
    assert content_words(["the", "final", "visit"], table) == ["last", "visit"]
    assert set(table.seen) == {"the", "final", "visit"}
    monkeypatch.setattr(lexicon, "SEEN_LIMIT", 0)
    fresh = parse_synonyms(["last, final"])
    assert content_words(["the", "final", "visit"], fresh) == ["last", "visit"] and not fresh.seen


def test_question_coverage_keeps_a_same_key_hard_negative_out() -> None:
    """The initial HIPAA access deadline and the length of its one extension: the same scenario,
    options and key (30 days), another question. The word bags alone are close; the extension
    question has words the other stem lacks."""
    scenario = "Rosa Delgado asks the practice for a copy of her medical records. "
    a = entry(scenario + "Under HIPAA, within how many days must the practice act on the request?", i=0)
    b = entry(scenario + "Under HIPAA, if the practice cannot act in time, how long may its one extension last?", i=1)
    assert coverage(b.question, a.content_set) < 0.8
    assert stem_similarity(a, b) < 0.8 and compare(a, b, DedupeSettings()) is None
    copy = entry(
        "Rosa Delgado requests a copy of her health records from the practice. Under HIPAA, within how many "
        "days does the practice have to respond to the request?",
        i=2,
    )
    assert coverage(copy.question, a.content_set) == coverage(a.question, copy.content_set) == 1.0
    assert compare(a, copy, DedupeSettings()) is not None


def test_incremental_run_finds_the_paraphrases_a_whole_bank_run_finds() -> None:
    """A pre-commit run (only the edited file against the bank) compares content words as the
    verification does, so it finds the same paraphrase."""
    a = entry("In double-entry bookkeeping, how is each transaction recorded?", i=0)
    b = entry("How is every transaction recorded when a practice uses double-entry bookkeeping?", i=1)
    other = entry("Which document shows the charges of one visit?", i=2)
    items = [a.item, b.item, other.item]
    whole = find_duplicates(items)
    assert [c.ids for c in whole.clusters] == [("X-0", "X-1")]
    only = find_duplicates(items, only={Path(b.item.path)})
    assert [c.ids for c in only.clusters] == [("X-0", "X-1")]


def test_the_c_stemmer_gives_the_pure_python_stems_on_the_bank_and_corpus_words() -> None:
    """snowballstemmer hands stemming to PyStemmer (C, a dependency for speed) when it is
    installed; both must give the same stems, or a finding would depend on what is installed."""
    import re

    import Stemmer  # type: ignore[import-not-found]
    from snowballstemmer import english_stemmer  # type: ignore[import-untyped]

    from cmas_bank.dedupe import lexicon

    words: set[str] = set()
    for folder in (BANK, FIXTURES / "dedupe-corpus", FIXTURES / "lint-corpus"):
        for path in folder.rglob("*.*"):
            if path.suffix in (".yaml", ".jsonl", ".csv"):
                words.update(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()))
    assert len(words) > 5000
    python, c = english_stemmer.EnglishStemmer(), Stemmer.Stemmer("english")
    assert [w for w in sorted(words) if python.stemWord(w) != c.stemWord(w)] == []
    assert type(lexicon._snowball()).__module__ == "Stemmer"  # the C one is what runs
