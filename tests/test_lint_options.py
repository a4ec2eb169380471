"""IW2xx option rules: one flaw, many spellings; and the near misses that must pass."""

from __future__ import annotations

import pytest
from lintcheck import codes, item, lint_source

from cmas_bank.lint.text import Interval, parse_numeric, parse_range

WORDS = {
    "A": "Administrative safeguard",
    "B": "Physical safeguard",
    "C": "Technical safeguard",
    "D": "Organizational requirement",
}
STEM = "A server room has a keypad lock. Under the HIPAA Security Rule, which kind of safeguard is the lock?"
RATIONALE = (
    "A lock on the room is a physical safeguard (B). Administrative safeguards (A) are policies.\n"
    "Technical safeguards (C) protect data in systems. Organizational requirements (D) are contracts."
)


def words_item(**options: str) -> str:
    return item(stem=STEM, options={**WORDS, **options}, answer="B", rationale=RATIONALE)


def test_the_words_base_item_is_clean() -> None:
    assert codes(words_item()) == set()


@pytest.mark.parametrize(
    "text",
    [
        "All of the above",
        "All the above",
        "all of these",
        "Each of the above",
        "Any of the above",
        "All are correct",
        "All options are correct",
        "Both of the above",
    ],
)
def test_all_of_the_above_variants(text: str) -> None:
    found = [d for d in lint_source(words_item(D=text)) if d.code == "IW201"]
    assert [(d.line, d.column) for d in found] == [(13, 6)]  # one-line stem: options on lines 10-13


@pytest.mark.parametrize(
    "text",
    [
        "None of the above",
        "None of these",
        "Neither of the above",
        "None is correct",
        "No answer is correct",
        "Not any of the above",
    ],
)
def test_none_of_the_above_variants(text: str) -> None:
    assert "IW202" in codes(words_item(D=text))


@pytest.mark.parametrize(
    "text",
    [
        "A and B",
        "Both A and C",
        "A, B, and C",
        "B and D only",
        "Options A and C",
        "(A) and (B)",
        "I and III",
        "A or B",
        "Either B or C",
    ],
)
def test_combination_option_variants(text: str) -> None:
    assert "IW203" in codes(words_item(D=f'"{text}"'))


@pytest.mark.parametrize(
    "text", ["Medicare Parts A and B", "Vitamins A and D", "Schedule A and B forms", "Hepatitis B vaccine"]
)
def test_letters_inside_option_text_are_not_combinations(text: str) -> None:
    assert "IW203" not in codes(words_item(D=text))


def test_duplicate_options_ignore_case_punctuation_and_articles() -> None:
    found = [d for d in lint_source(words_item(D="the physical safeguard.")) if d.code == "IW204"]
    assert [(d.line, d.column) for d in found] == [(13, 6)] and "same as option B" in found[0].message


def test_near_identical_options_keep_word_order() -> None:
    assert "IW205" in codes(words_item(D="Physical safeguards"))  # plural of B: IW204 does not see it
    order = {
        "A": "Medicare first, then Medicaid",
        "B": "Medicaid first, then Medicare",
        "C": "Medicare alone",
        "D": "Medicaid alone",
    }
    assert "IW205" not in codes(
        item(
            stem=STEM,
            options=order,
            answer="A",
            rationale="Medicare pays first (A), then Medicaid; B reverses it, C and D leave a payer out of the claim.",
        )
    )


def test_near_identical_by_spelling_only_when_enabled() -> None:
    source = words_item(A="Administrative safegaurd requirement", D="Administrative safeguard requirement")
    assert "IW205" not in codes(source)
    assert "IW205" in codes(source, {"options": {"IW205": {"similarity": 0.95}}})


def test_absolute_terms_are_configurable_and_whole_words() -> None:
    assert "IW206" in codes(words_item(D="Always an organizational requirement"))
    assert "IW206" not in codes(words_item(D="Nothing by mouth"))
    assert "IW206" not in codes(words_item(D="Allowable organizational requirement"))
    assert "IW206" in codes(words_item(D="Nothing by mouth"), {"options": {"absolute-term": {"terms": ["nothing"]}}})


def test_vague_frequency_terms() -> None:
    found = [d for d in lint_source(words_item(D="Usually an organizational requirement")) if d.code == "IW207"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(13, 6, 13)]


def test_length_imbalance_skips_numbers() -> None:
    assert "IW208" in codes(
        words_item(A="Administrative safeguard under the HIPAA Security Rule's workforce standards", C="Tech")
    )
    numbers = {"A": '"$5.00"', "B": '"$1,250,000.00"', "C": '"$50.00"', "D": '"$500.00"'}
    assert "IW208" not in codes(
        item(
            options=numbers,
            answer="B",
            rationale="Explained: (A) (B) (C) (D) each with a reason, enough words to pass the length rule here.",
        )
    )


def test_numeric_order_compares_time_units() -> None:
    times = {"A": "6 months", "B": "1 year", "C": "6 years", "D": "10 years"}
    rat = "Six years (C) is the rule. Six months (A) and one year (B) are too short; ten years (D) is too long for it."
    assert "IW209" not in codes(item(options=times, rationale=rat))
    swapped = {"A": "1 year", "B": "6 months", "C": "6 years", "D": "10 years"}
    found = [d for d in lint_source(item(options=swapped, rationale=rat)) if d.code == "IW209"]
    assert [(d.line, d.column) for d in found] == [(12, 6)]


def test_cpt_modifiers_are_codes_not_negative_numbers() -> None:
    modifiers = {"A": '"-59"', "B": '"-25"', "C": '"-76"', "D": '"-50"'}
    rat = "Modifier -25 (B) marks a separate E/M service. -59 (A), -76 (C) and -50 (D) mark other situations, not this one."
    assert parse_numeric("-25") is None and parse_numeric("-59 modifier") is None
    assert parse_numeric("-2.5") is not None and parse_numeric("-125") is not None
    assert "IW209" not in codes(item(options=modifiers, answer="B", rationale=rat))


def test_descending_order_is_flagged_unless_allowed() -> None:
    down = {"A": '"$1,188.00"', "B": '"$828.00"', "C": '"$792.00"', "D": '"$720.00"'}
    rat = "Forty hours at $18.00 plus four at $27.00 is $828.00 (B). (D) leaves out overtime, (C) pays it at the regular rate, (A) pays all hours at overtime."
    source = item(options=down, answer="B", rationale=rat)
    assert "IW209" in codes(source)  # the item-writing guide asks for ascending numbers
    assert "IW209" not in codes(source, {"options": {"IW209": {"allow-descending": True}}})


def test_overlapping_range_variants() -> None:
    rat = "The balance is 45 days old (B). A, C and D hold balances of other ages, as the aging report's columns show."
    for opts in (
        {"A": "Less than 30 days", "B": "30 to 60 days", "C": "60 to 90 days", "D": "More than 90 days"},
        {"A": "Under 30 days", "B": "30 days or more", "C": "Up to 60 days", "D": "90 days or more"},
    ):
        assert "IW210" in codes(item(options=opts, answer="B", rationale=rat)), opts
    exclusive = {"A": "Less than 30 days", "B": "30 to 59 days", "C": "60 to 89 days", "D": "90 days or more"}
    assert "IW210" not in codes(item(options=exclusive, answer="B", rationale=rat))
    candidates = {"A": '"60-100"', "B": '"80-120"', "C": '"100-140"', "D": '"120-160"'}
    assert "IW210" not in codes(item(options=candidates, answer="A", rationale=rat.replace("(B)", "(A)")))


def test_mixed_units_and_formats() -> None:
    rat = "Explained for each option: (A) one, (B) two, (C) three and (D) four, with reasons given in full here."
    assert "IW211" in codes(
        item(options={"A": '"$30"', "B": "30 days", "C": '"$60"', "D": '"$90"'}, answer="A", rationale=rat)
    )
    assert "IW211" in codes(
        item(
            options={"A": '"1,500 units"', "B": '"2500 units"', "C": '"3,500 units"', "D": '"4,500 units"'},
            answer="A",
            rationale=rat,
        )
    )
    mixed_time = item(
        options={"A": "24 hours", "B": "3 working days", "C": "5 working days", "D": "10 working days"},
        answer="D",
        rationale=rat,
    )
    assert "IW211" not in codes(mixed_time)
    assert "IW211" in codes(mixed_time, {"options": {"IW211": {"allow-mixed-time-units": False}}})
    codes_only = item(
        options={"A": '"99211"', "B": '"99212"', "C": '"99213"', "D": '"99214"'}, answer="A", rationale=rat
    )
    assert "IW211" not in codes(codes_only)


def test_non_parallel_capitalisation() -> None:
    assert "IW212" in codes(words_item(C="technical safeguard"))
    assert "IW212" not in codes(words_item(C="HIPAA technical safeguard"))


def test_numeric_and_range_parsing() -> None:
    n = parse_numeric("$1,188.00")
    assert n is not None and (n.value, n.currency, n.decimals, n.thousands) == (1188.0, "$", 2, True)
    weeks = parse_numeric("2 weeks")
    assert weeks is not None and weeks.unit == "week" and weeks.comparable == 14.0
    assert parse_numeric("Form W-4") is None and parse_numeric("1-5 days") is None
    assert parse_range("1-5 days") == Interval(1, 5, True, True)
    assert parse_range("less than 5") == Interval(float("-inf"), 5, False, False)
    assert parse_range("10 or more") == Interval(10, float("inf"), True, False)
    assert parse_range("10 to 5") is None


def test_range_options_are_ordered_by_their_lower_end() -> None:
    rat = "The balance is in the 61-90 column (A); (B), (C) and (D) are the columns for other ages of balance."
    shuffled = {"A": "61 to 90 days", "B": "0 to 30 days", "C": "Over 120 days", "D": "91 to 120 days"}
    found = [d for d in lint_source(item(options=shuffled, answer="A", rationale=rat)) if d.code == "IW209"]
    assert [(d.line, d.column) for d in found] == [(12, 6)]
    ordered = {"A": "0 to 30 days", "B": "61 to 90 days", "C": "91 to 120 days", "D": "Over 120 days"}
    assert "IW209" not in codes(item(options=ordered, answer="B", rationale=rat.replace("(A); (B)", "(B); (A)")))


def test_candidate_ranges_for_a_range_question_are_not_bins() -> None:
    opts = {
        "A": "40 to 60 beats per minute",
        "B": "60 to 100 beats per minute",
        "C": "100 to 140 beats per minute",
        "D": "140 to 180 beats per minute",
    }
    rat = "An adult's resting pulse is 60 to 100 (B); (A) is too slow, (C) and (D) are too fast for a resting adult."
    asks_range = item(
        stem="A medical assistant takes an adult's pulse. What is the normal range for an adult's resting pulse?",
        options=opts,
        answer="B",
        rationale=rat,
    )
    assert "IW210" not in codes(asks_range)
    asks_bin = item(
        stem="A medical assistant counts 60 beats in a minute. In which band does the pulse fall?",
        options=opts,
        answer="B",
        rationale=rat,
    )
    assert "IW210" in codes(asks_bin)


def test_confusable_options_are_duplicates() -> None:
    """A zero-width space, a soft hyphen or a Cyrillic look-alike letter does not make an option
    different: they compare as they read."""
    source = item(options={"A": "60 days", "B": '"6\\u200b0 days"', "C": "60 d\u0430ys", "D": '"9\\u00ad0 days"'})
    found = [(d.code, d.message) for d in lint_source(source) if d.code == "IW204"]
    assert found == [
        ("IW204", "option B is the same as option A; replace one of them"),
        ("IW204", "option C is the same as option A; replace one of them"),
    ]
    assert {d.code for d in lint_source(source)} >= {"IW411"}


def test_a_stop_after_an_initial_is_not_end_punctuation() -> None:
    names = {"A": "Lee, Dana R.", "B": "Lee, D.", "C": "Lee, Daniel J.", "D": "Lee, Dana"}
    assert "IW212" not in codes(words_item(**names))
    suffixes = {"A": "Robert Lane, MD", "B": "Robert Lane II", "C": "Robert Lane Jr.", "D": "Robert Lane Sr."}
    assert "IW212" not in codes(words_item(**suffixes))
    sentences = {"A": "Lee files first.", "B": "Dana files first", "C": "Daniel files first", "D": "Lee, Dana"}
    assert "IW212" in codes(words_item(**sentences))


def test_near_identical_options_read_number_words_and_hyphens() -> None:
    days = {"A": '"15 days"', "B": '"30 days"', "C": "Thirty days", "D": '"60 days"'}
    rat = "The rule gives 30 days (B); 15 days (A) is too short and 60 days (D) needs the extension, as C restates B."
    assert "IW205" in codes(item(options=days, answer="B", rationale=rat))
    assert "IW205" not in codes(item(options={**days, "C": "Forty-five days"}, answer="B", rationale=rat))
    hyphen = words_item(D="Physical-safeguard")
    assert "IW205" in codes(hyphen)


def test_an_option_restated_with_the_lead_ins_words_is_near_identical() -> None:
    parts = {"A": "Part A", "B": "Part B", "C": "Medicare Part B", "D": "Part D"}
    rat = "Part B (B) covers physician services; Part A (A) is hospital care and Part D (D) is drugs; C restates B."
    asked = item(
        stem="Which part of Medicare covers outpatient physician services?", options=parts, answer="B", rationale=rat
    )
    assert "IW205" in codes(asked)
    # the added words come from the scenario, not the question: options built from the scenario
    names = {"A": "Peggy Okoro", "B": "Margaret (Peggy) Okoro", "C": "M A Okoro", "D": "Margaret A Okoro"}
    stem = "Margaret Okoro asks to be registered as Peggy. Which entry belongs in the patient-name field?"
    assert "IW205" not in codes(item(stem=stem, options=names, answer="D", rationale=rat))
    # an added word the question does not supply makes a different option
    kinds = {"A": "Consent", "B": "Implied consent", "C": "Informed refusal", "D": "Advance directive"}
    stem = "A patient rolls up her sleeve for an injection. Which kind of consent has she given?"
    assert "IW205" not in codes(item(stem=stem, options=kinds, answer="B", rationale=rat))


def test_narrowly_overlapping_ranges_are_bins() -> None:
    rat = "An adult breathes 12 to 20 times a minute (B); A is too slow, and C and D are too fast at rest."
    stem = "What is the usual respiratory rate of a healthy adult at rest, in breaths per minute?"
    narrow = {"A": "8 to 12", "B": "12 to 20", "C": "18 to 30", "D": "28 to 40"}
    assert "IW210" in codes(item(stem=stem, options=narrow, answer="B", rationale=rat))
    wide = {"A": "8 to 14", "B": "12 to 20", "C": "16 to 30", "D": "28 to 40"}  # 16-30 shares half of 12-20
    assert "IW210" not in codes(item(stem=stem, options=wide, answer="B", rationale=rat))
    exclusive = {"A": "8 to 11", "B": "12 to 20", "C": "21 to 30", "D": "31 to 40"}
    assert "IW210" not in codes(item(stem=stem, options=exclusive, answer="B", rationale=rat))


def test_digits_mixed_with_number_words() -> None:
    rat = "The plan is reviewed every year (B); six months (A) is more often, and C and D leave it out of date."
    mixed = {"A": "Every 6 months", "B": "Every year", "C": "Every two years", "D": "Every five years"}
    found = [d for d in lint_source(item(options=mixed, answer="B", rationale=rat)) if d.code == "IW211"]
    assert [d.line for d in found] == [11]
    alike = {**mixed, "A": "Every six months"}
    assert "IW211" not in codes(item(options=alike, answer="B", rationale=rat))
    digits = {"A": "Every 6 months", "B": "Every year", "C": "Every 2 years", "D": "Every 5 years"}
    assert "IW211" not in codes(item(options=digits, answer="B", rationale=rat))


def test_a_time_unit_that_converts_to_the_others_is_mixed() -> None:
    rat = "Explained for each option: (A) one, (B) two, (C) three and (D) four, with reasons given in full here."
    weeks = {"A": '"15 days"', "B": '"30 days"', "C": '"6 weeks"', "D": '"90 days"'}
    found = [d for d in lint_source(item(options=weeks, answer="B", rationale=rat)) if d.code == "IW211"]
    assert [d.line for d in found] == [13]
    # half a year is not a whole number of years: "6 months" among years is natural
    years = {"A": '"6 months"', "B": '"1 year"', "C": '"2 years"', "D": '"5 years"'}
    assert "IW211" not in codes(item(options=years, answer="B", rationale=rat))


@pytest.mark.parametrize("text", ["No schedule listed here", "None shown above", "A form not listed here"])
def test_none_of_the_above_in_other_words(text: str) -> None:
    assert "IW202" in codes(words_item(D=text))


def test_listed_without_here_or_above_is_not_none_of_the_above() -> None:
    assert "IW202" not in codes(words_item(D="A requirement not listed in the contract"))
