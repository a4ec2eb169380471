"""IW4xx hygiene rules: rationale, references, PHI patterns, whitespace, quotes, brackets."""

from __future__ import annotations

import pytest
from lintcheck import FIELDS, codes, item, lint_source

BASE_STEM = FIELDS["stem"]


def phi(text: str) -> list[tuple[int, int]]:
    source = item(stem=BASE_STEM.replace("works 44 hours in one workweek.", text))
    return [(d.line, d.column) for d in lint_source(source) if d.code == "IW406"]


@pytest.mark.parametrize(
    "text",
    [
        "works 44 hours (SSN 512-44-9031).",
        "works 44 hours and calls from 312-555-8841.",
        "works 44 hours and calls from (312) 555-8841.",
        "works 44 hours and calls from 312.555.8841.",
        "works 44 hours and writes from jordan.pike@gmail.com.",
        "works 44 hours; DOB 04/12/1986.",
        "works 44 hours; date of birth March 4, 1986.",
    ],
)
def test_phi_patterns_are_errors_at_their_line(text: str) -> None:
    found = phi(text)
    assert len(found) == 1 and found[0][0] == 8, found


@pytest.mark.parametrize(
    "text",
    [
        "works 44 hours and calls from 312-555-0142.",  # fictional 555-01xx
        "works 44 hours and writes from jordan@example.com.",
        "works 44 hours under 45 CFR 162.1601-162.1602.",
        "works 44 hours; the claim number is 123-456-789.",
        "works 44 hours in the week of 04/12/2026.",  # a date, but no birth date
        "works 44 hours; NPI 1234567893.",
    ],
)
def test_not_phi(text: str) -> None:
    assert phi(text) == []


def test_fictional_phones_can_be_refused() -> None:
    source = item(stem=BASE_STEM.replace("one workweek.", "one workweek and calls from 312-555-0142."))
    assert "IW406" in codes(source, {"options": {"possible-phi": {"allow-fictional-phones": False}}})


def test_date_of_birth_needs_a_name_nearby() -> None:
    source = item(
        stem="A form asks for the date of birth 04/12/1986 and nothing else. " + FIELDS["stem"].split("\n")[1]
    )
    assert "IW406" not in codes(source.replace("Jordan", "the employee"))


def test_phi_in_the_rationale_points_at_its_line() -> None:
    rationale = FIELDS["rationale"].replace(
        "the extra hours at the regular rate.", "the extra hours (call 312-555-8841) at the regular rate."
    )
    found = [(d.line, d.column) for d in lint_source(item(rationale=rationale)) if d.code == "IW406"]
    assert found == [(19, 25)]


def test_rationale_length_and_mentions() -> None:
    ten_words = item(rationale="(C) is right; (A), (B) and (D) are wrong.")
    assert "IW401" not in codes(ten_words)  # default: 8 words are enough to say why
    assert "IW401" in codes(item(rationale="(C) is correct."))
    assert "IW401" in codes(ten_words, {"options": {"IW401": {"min-words": 15}}})  # this repository's house style
    assert "IW401" not in codes(ten_words, {"options": {"IW401": {"min-words": 5}}})
    by_text = FIELDS["rationale"].replace(" (C)", "").replace(" (A)", "").replace(" (B)", "").replace(" (D)", "")
    assert codes(item(rationale=by_text)) == set()  # the options' amounts name them
    catch_all = "The gross pay is $828.00 (C): 40 hours at $18.00 plus 4 hours at $27.00. The other options miscount the overtime hours."
    assert codes(item(rationale=catch_all)) == set()


def test_missing_reference_statuses_option() -> None:
    draft = item(status="draft", references=[])
    assert "IW404" not in codes(draft)
    assert "IW404" in codes(draft, {"options": {"IW404": {"statuses": ["draft", "review"]}}})


@pytest.mark.parametrize(
    "ref", ["Google", "internet", "TBD", "class notes", "https://en.wikipedia.org/wiki/Overtime", "n/a"]
)
def test_uncheckable_references(ref: str) -> None:
    assert "IW405" in codes(item(references=[f'"{ref}"']))


def test_trailing_whitespace_anywhere_in_the_file() -> None:
    source = item().replace("domain: 6\n", "domain: 6  \n").replace("answer: C\n", "answer: C\t\n")
    found = [(d.line, d.column, d.end_column) for d in lint_source(source) if d.code == "IW407"]
    assert found == [(2, 10, 12), (15, 10, 11)]


def test_doubled_spaces_in_options_and_references() -> None:
    source = item(options={"A": '"$720.00  flat"'}, references=["29 CFR  778.107"])
    found = [(d.line, d.column) for d in lint_source(source) if d.code == "IW408"]
    assert found == [(11, 14), (21, 11)]


def test_consistent_smart_quotes_are_fine() -> None:
    smart = item(stem=BASE_STEM.replace("Jordan's", "Jordan’s"))
    assert "IW409" not in codes(smart)
    mixed = item(stem=BASE_STEM.replace("Jordan's", "Jordan’s"), references=["\"29 CFR 778.107 ('regular rate')\""])
    assert "IW409" in codes(mixed)


@pytest.mark.parametrize(
    ("text", "col"),
    [
        ("gross pay (before taxes for that week?", 66),
        ("gross pay before taxes) for that week?", 78),
        ('gross "pay for that week?', 62),
        ("gross pay “for that week?", 66),
    ],
)
def test_unbalanced(text: str, col: int) -> None:
    source = item(stem=BASE_STEM.replace("gross pay for that week?", text))
    found = [(d.line, d.column) for d in lint_source(source) if d.code == "IW410"]
    assert found == [(9, col)]


def test_list_markers_are_not_brackets() -> None:
    source = item(rationale=FIELDS["rationale"] + "\nSteps: 1) straight time; 2) overtime; a) add; b) check.")
    assert "IW410" not in codes(source)


@pytest.mark.parametrize(
    "ref", ["Class notes, records management unit", "Lecture slides, week 3", "Instructor's handout on payroll"]
)
def test_unpublished_teaching_material_is_uncheckable(ref: str) -> None:
    assert "IW405" in codes(item(references=[f'"{ref}"']))


@pytest.mark.parametrize(
    "ref", ["29 CFR 778.107", "Kinn's The Administrative Medical Assistant, 15th ed., chapter 20, Class Notes box"]
)
def test_a_citation_that_mentions_notes_is_checkable(ref: str) -> None:
    assert "IW405" not in codes(item(references=[f'"{ref}"']))
