"""IW1xx stem rules on variants of one clean item (stem content starts on line 8)."""

from __future__ import annotations

from lintcheck import FIELDS, check, codes, item, lint_source

from cmas_bank.diagnostics import Severity

QUESTION = "Under the Fair Labor Standards Act, what is Jordan's gross pay for that week?"


def stem(last_line: str) -> str:
    return item(stem=FIELDS["stem"].replace(QUESTION, last_line))


def test_clean_base_item_has_no_findings() -> None:
    check(item())


def test_statement_stem_is_reported_at_its_last_character() -> None:
    check(stem("Under the Fair Labor Standards Act, state Jordan's gross pay."), None, ("IW101", 9, 63))


def test_completion_stem_allowed_only_by_option() -> None:
    completion = stem("Under the Fair Labor Standards Act, Jordan's gross pay for the week is")
    assert "IW101" in codes(completion)
    assert "IW101" not in codes(completion, {"options": {"IW101": {"allow-completion": True}}})
    statement = stem("Under the Fair Labor Standards Act, state Jordan's gross pay.")
    assert "IW101" in codes(statement, {"options": {"lead-in-not-question": {"allow-completion": True}}})


def test_vague_lead_in_variants() -> None:
    for lead in (
        "Which of the following is true about Jordan's pay?",
        "Which statement about Jordan's pay is correct?",
        "What is true about Jordan's overtime pay?",
        "Which of these statements are false?",
        "Which one of the following is most accurate?",
    ):
        found = [d for d in lint_source(stem(lead)) if d.code == "IW102"]
        assert len(found) == 1 and found[0].line == 9, lead
    assert "IW102" not in codes(stem("Which statement best describes how Jordan's overtime is paid?"))


def test_negative_lead_in_lower_case_is_an_error_and_capitals_information() -> None:
    lower = [d for d in lint_source(stem("Which amount is not part of Jordan's gross pay?")) if d.code == "IW103"]
    assert [(d.line, d.column, d.end_column, d.severity) for d in lower] == [(9, 19, 22, Severity.ERROR)]
    for word in ("NOT", "EXCEPT", "LEAST"):
        lead = {
            "NOT": "Which amount is NOT part of Jordan's gross pay?",
            "EXCEPT": "Every amount is part of Jordan's gross pay EXCEPT which one?",
            "LEAST": "Which amount is the LEAST Jordan can be paid?",
        }[word]
        found = [d for d in lint_source(stem(lead)) if d.code == "IW103"]
        assert [d.severity for d in found] == [Severity.INFO], word


def test_negatives_that_are_not_negative_lead_ins() -> None:
    for lead in (
        "If Jordan's employer does not pay overtime, what is Jordan owed for that week?",
        "What is the gross pay for a week of at least 40 hours, such as Jordan's?",
        "Under the False Claims Act and the FLSA, what is Jordan's gross pay?",
        "Which pay, not the net pay, is Jordan's gross pay for that week?",
        "Which figure is Jordan's gross pay for that week, with each false entry removed?",
    ):
        assert "IW103" not in codes(stem(lead)), lead
    assert "IW103" in codes(stem("Which amount is false?"))
    assert "IW103" in codes(stem("Which amount doesn't belong in Jordan's gross pay?"))


def test_negative_in_the_scenario_is_not_the_lead_in() -> None:
    source = item(stem="Jordan Pike did not take a meal break and works 44 hours in one workweek.\n" + QUESTION)
    assert "IW103" not in codes(source)


def test_repeated_option_opening() -> None:
    opts = {
        "A": "The employer must pay $720.00",
        "B": "The employer must pay $792.00",
        "C": "The employer must pay $828.00",
        "D": "The employer must pay $1,188.00",
    }
    found = [d for d in lint_source(item(options=opts)) if d.code == "IW104"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(11, 6, 27)]
    assert '"The employer must pay"' in found[0].message
    articles = {"A": "The W-2 form", "B": "The W-4 form", "C": "The I-9 form", "D": "The 1099 form"}
    assert "IW104" not in codes(item(options=articles))


def test_stem_word_limit_is_an_option() -> None:
    assert "IW105" not in codes(item())
    found = [d for d in lint_source(item(), {"options": {"stem-too-long": {"max-words": 20}}}) if d.code == "IW105"]
    assert [(d.line, d.column) for d in found] == [(7, 7)] and "has 30 words (limit 20)" in found[0].message


def test_not_that_describes_a_noun_is_not_a_negative_lead_in() -> None:
    for lead in (
        "How should the office handle a chart not used for several years?",
        "Which term names an employee not entitled to overtime, such as Jordan?",
    ):
        assert "IW103" not in codes(stem(lead)), lead
    for lead in (
        "Which amount is not part of Jordan's gross pay?",
        "Which amount should the employer not include in Jordan's gross pay?",
        "What does the employer not owe Jordan for that week?",
    ):
        assert "IW103" in codes(stem(lead)), lead


def test_not_after_an_inverted_noun_phrase_subject_is_a_negative_lead_in() -> None:
    # "is the front desk not": the verb comes before a subject of several words (lint corpus)
    for lead in (
        "Which form is the front desk not required to give Jordan?",
        "Which amount does the payroll clerk not include in Jordan's gross pay?",
    ):
        assert "IW103" in codes(stem(lead)), lead
    for lead in (  # a noun phrase the "not" describes, after a preposition
        "What should the office do with a timesheet not signed by Jordan?",
        "Which rule covers the hours on a timesheet not approved yet?",
    ):
        assert "IW103" not in codes(stem(lead)), lead


def test_repeated_opening_of_stop_words_and_of_names() -> None:
    # three shared words are worth moving into the stem even when each is a stop word
    correct = {
        "A": "Correct it by paying $720.00",
        "B": "Correct it by paying $792.00",
        "C": "Correct it by paying $828.00",
        "D": "Correct it by paying $1,188.00",
    }
    assert "IW104" in codes(item(options=correct))
    two = {k: v.replace("Correct it by paying", "It is") for k, v in correct.items()}
    assert "IW104" not in codes(item(options=two))
    # a shared name or citation is a series of labels, not words for the stem
    for series in (
        {"A": "Medicare Part A", "B": "Medicare Part B", "C": "Medicare Part C", "D": "Medicare Part D"},
        {"A": '"29 CFR Part 778"', "B": '"29 CFR Part 779"', "C": '"29 CFR Part 785"', "D": '"29 CFR Part 790"'},
    ):
        assert "IW104" not in codes(item(options=series)), series
    lower = {"A": "Medicare part A", "B": "Medicare part B", "C": "Medicare part C", "D": "Medicare part D"}
    assert "IW104" in codes(item(options=lower))


def test_vague_lead_in_with_these_or_those_statements() -> None:
    for lead in ("Which of these statements about Jordan's pay is accurate?", "Which of those statements is true?"):
        assert "IW102" in codes(stem(lead)), lead
    assert "IW102" not in codes(stem("Which of these statements would Jordan's employer put in the handbook?"))


def test_never_and_an_incorrect_way_are_negative_lead_ins() -> None:
    for lead in (
        "Which amount should the payroll clerk never include in Jordan's gross pay?",
        "Which of these would be an incorrect way to compute Jordan's gross pay?",
    ):
        assert "IW103" in codes(stem(lead)), lead
    for lead in (
        "If Jordan has never worked overtime before, what is Jordan's gross pay for that week?",
        "Which figure is a false claim for Jordan's hours under the False Claims Act?",
        "Which amount, never taxed twice, is Jordan's gross pay?",
    ):
        assert "IW103" not in codes(stem(lead)), lead
