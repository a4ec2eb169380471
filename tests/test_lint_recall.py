"""Issue 15, recall on unseen wording: the default rules generalised by the cause of each flaw
(synonyms and moved words, grammatical forms, convergence, opposites by form, word forms,
references to options, number notations, identifiers, vague references, negative words, shared
openings, number agreement, small banks, cross-item cues with other word endings). Each change
has a case it must find and a near-miss it must leave alone."""

from __future__ import annotations

import json

import pytest
from lintcheck import item, lint_source, lint_sources

from cmas_bank.lint.text import parse_range, takes_an

RAT = "The key is right for the reason the rule gives, and each of the other three options is wrong."
ASK = "What should the medical assistant do?"


def found(stem: str, options: list[str], answer: str = "A", **fields: object) -> set[str]:
    opts = {k: json.dumps(v) for k, v in zip("ABCD", options, strict=True)}
    return {d.code for d in lint_source(item(stem=stem, options=opts, answer=answer, rationale=RAT, **fields))}


# --- IW205 near-identical options --------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["Record the refusal in her chart", "Document the refusal in her chart", "Give the shot", "Cancel the visit"],
        ["Once a year", "Every two years", "Annually", "Every five years"],
        ["1 week", "2 weeks", "14 days", "3 weeks"],
        ["$50", "50 dollars", "$75", "$100"],
        ["Explanation of benefits", "EOB", "Superbill from the visit", "Encounter form"],
        ["Health care proxy", "Healthcare proxy", "Living will", "Organ donor card"],
        ["Twice a day", "Two times daily", "At bedtime", "Before meals"],
        ["Notify the payer in writing", "In writing, notify the payer", "Call the payer", "Bill the payer"],
    ],
)
def test_options_that_say_the_same_in_other_words(options: list[str]) -> None:
    assert "IW205" in found(ASK, options)


@pytest.mark.parametrize(
    "options",
    [
        [
            "Debit cash, credit rent",
            "Debit rent, credit cash",
            "Debit supplies, credit cash",
            "Debit cash, credit fees",
        ],
        ["Part A", "Part B", "Parts A and B", "Part D"],
        ["Before meals", "After meals", "With meals", "At bedtime"],
        ["1 month", "30 days", "60 days", "90 days"],
        ["Sagittal plane", "Transverse plane", "Frontal plane", "Midsagittal plane"],
    ],
)
def test_options_that_differ_in_meaning_are_not_near_identical(options: list[str]) -> None:
    assert "IW205" not in found(ASK, options)


# --- IW212 non-parallel options ----------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["Call the patient", "Send a letter", "Notify the physician", "The billing office"],
        ["Calling the patient", "Sending a letter", "Notifying the physician", "Document the call"],
        ["In the locked cabinet", "On the front desk", "In the break room", "Lock it in the safe"],
        ["Verify the insurance", "Collect the copay", "Scan the card", "To update the address"],
        ["She verifies the insurance", "She collects the copay", "She scans the card", "Update the address"],
        ["Verify the insurance", "Collect the copay", "Scan the card", "The patient signs the form"],
    ],
)
def test_one_option_in_another_grammatical_form(options: list[str]) -> None:
    assert "IW212" in found(ASK, options)


@pytest.mark.parametrize(
    "options",
    [
        ["Tell her she must sign a waiver", "Give the shot as ordered", "Record the refusal", "Call the physician"],
        ["Establishing the matrix", "Building a tickler file", "Setting up a recall list", "Clustering the schedule"],
        ["The cap on damages a jury may award", "The standard of care", "The court that hears it", "The deadline"],
        ["Near the elbow end", "In the middle of the shaft", "Near the wrist end", "Along the inner edge"],
        ["As needed", "Before meals", "At bedtime", "Twice a day"],
    ],
)
def test_options_of_one_form_or_of_forms_not_judged_are_parallel(options: list[str]) -> None:
    assert "IW212" not in found(ASK, options)


# --- IW305 convergence: the key at the centre ---------------------------------------------------


def test_the_key_whose_elements_recur_most_is_the_centre() -> None:
    star = [
        "Disposable gloves and goggles",
        "Disposable gloves and a mask",
        "Sterile gloves and goggles",
        "A disposable gown and goggles",
    ]
    assert "IW305" in found("What should she wear to wipe up a urine splash?", star)
    months = ["12 months, not extended", "6 months, not extended", "12 months, extended", "27 months, not extended"]
    assert "IW305" in found("How long does the practice have to file?", months)


def test_in_one_template_the_values_of_each_slot_are_compared() -> None:
    diet = [
        "Less sodium, more potassium",
        "Less sodium, less potassium",
        "More sodium, more potassium",
        "Less fat, more potassium",
    ]
    assert "IW305" in found("Which change does the sheet advise?", diet)
    ranges = ["3 to 7", "3 to 5", "4 to 7", "5 to 7"]
    assert "IW305" not in found("How many characters may the code have?", ranges)
    waves = ["Wave scheduling", "Modified wave scheduling", "Open hours", "Cluster scheduling"]
    assert "IW305" not in found("Which method books several patients at the top of each hour?", waves)


@pytest.mark.parametrize(
    ("options", "answer"),
    [
        (
            [
                "Written consent, patient",
                "Written consent, parents",
                "Verbal consent, patient",
                "Verbal consent, parents",
            ],
            "A",
        ),
        (["Every six months", "Every year", "Every two years", "Every five years"], "B"),
        (["March 3, 2026", "March 10, 2026", "3/17/2026", "March 24, 2026"], "A"),
        (["Parts A and B", "Parts A and D", "Parts B and C", "Parts C and D"], "A"),
    ],
)
def test_no_centre_in_a_full_crossing_a_subset_key_or_dates(options: list[str], answer: str) -> None:
    assert "IW305" not in found("Which one applies here?", options, answer)


# --- IW306 opposite pairs by form ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["Proximal", "Distal", "Medial", "Superior"],
        ["Hyperglycemia", "Hypoglycemia", "Hypertension", "Anemia"],
        ["It requires a referral", "It does not require a referral", "It requires a copay", "It requires payment"],
        ["It was overpaid", "It was underpaid", "It was denied", "It was lost"],
        ["Increase the dose", "Reduce the dose", "Hold the dose", "Split the dose"],
        ["The claim is payable", "The claim isn't payable", "The claim is pending", "The claim is lost"],
    ],
)
def test_opposites_by_negation_prefix_or_one_word(options: list[str]) -> None:
    assert "IW306" in found("Which is right here?", options)


@pytest.mark.parametrize(
    ("stem", "options"),
    [
        ("Where is the heart in relation to the spine?", ["Anterior", "Posterior", "Superior", "Inferior"]),
        (
            "In a SOAP note, which section records a measured blood pressure?",
            ["Objective", "Subjective", "Assessment", "Plan"],
        ),
        ("Which chamber pumps blood to the body?", ["Left ventricle", "Right ventricle", "Mitral valve", "Aorta"]),
        (
            "Which account holds an unpaid balance?",
            ["An asset account", "A liability account", "An equity account", "An expense account"],
        ),
    ],
)
def test_every_option_paired_category_sets_and_sibling_names_are_left_alone(stem: str, options: list[str]) -> None:
    assert "IW306" not in found(stem, options)


# --- IW303 word forms ---------------------------------------------------------------------------


def test_stem_words_in_the_key_in_another_form() -> None:
    stem = "Which document authorizes the practice to share a patient's records with her employer?"
    assert "IW303" in found(
        stem, ["A signed authorization", "A court order", "A subpoena", "A business associate agreement"]
    )
    verify = "Before the visit, the front desk calls her insurer to verify that her plan is active. What is this step?"
    assert "IW303" in found(
        verify, ["Eligibility verification", "Precertification", "Coordination of benefits", "Scrubbing"]
    )
    follow = "The physician asks the scheduler to book a follow up two weeks from now. What does the scheduler book?"
    assert "IW303" in found(follow, ["A follow-up visit", "A walk-in slot", "A consultation", "A physical exam"])


def test_short_words_meet_by_the_crude_stem_only() -> None:
    stem = "A patient asks the agency to stop contacting him. What may the agency still do?"
    assert "IW303" not in found(
        stem, ["Write that it is stopping", "Keep calling him", "Call his employer", "Mail reminders"]
    )


# --- IW203 and IW201: options about other options -----------------------------------------------

PPE = "Which protective equipment does she need?"


@pytest.mark.parametrize(
    "option",
    ["A & B", "A + B", "Options A and B together", "All except D", "B plus C", "Both the first and the second"],
)
def test_options_made_only_of_references_to_options(option: str) -> None:
    assert "IW203" in found(PPE, ["Gloves", "Goggles", option, "A mask"], "A")


def test_digits_refer_to_options_only_when_the_stem_numbers_statements() -> None:
    listed = "A medication entry holds: 1. the drug; 2. the dose; 3. the route. Which of them must it hold?"
    combos = ["1 and 2", "2 and 3", "1 and 3", "1, 2 and 3"]
    assert "IW203" in found(listed, combos, "D")
    assert "IW203" not in found("Which doses are given?", ["1 and 2 mL", "2 and 3 mL", "1 and 3 mL", "4 mL"], "D")
    assert "IW203" not in found("Which vitamins?", ["Vitamins A and D", "Vitamin C", "Vitamin B12", "Vitamin K"])
    assert "IW203" not in found("Which parts?", ["Parts A and B", "Part C", "Part D", "Medigap"])


@pytest.mark.parametrize(
    "option", ["All three", "All apply", "The above are all correct", "Everything listed", "All of the other options"]
)
def test_all_of_the_above_in_other_words(option: str) -> None:
    assert "IW201" in found(PPE, ["Gloves", "Goggles", "A mask", option], "D")


def test_all_about_people_is_not_all_of_the_above() -> None:
    options = ["All new patients", "Every employee listed on the schedule", "Returning patients", "No one"]
    assert "IW201" not in found("Who must sign the notice?", options)


# --- IW211 number notations ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["10%", "15 percent", "20%", "25%"],
        ["1,000", "1500", "2,000", "2,500"],
        ["0.25 mg", ".5 mg", "0.75 mg", "1 mg"],
        ["5 mg", "10 mg", "15.0 mg", "20 mg"],
        ["8:00 AM", "8:15 AM", "08:30", "9:00 AM"],
        ["April 4, 2026", "April 5, 2026", "4/6/2026", "April 30, 2026"],
        ["1/4", "1/3", "0.5", "2/3"],
    ],
)
def test_one_number_written_unlike_the_others(options: list[str]) -> None:
    assert "IW211" in found("Which value?", options)


@pytest.mark.parametrize(
    "options",
    [
        ["1.25 mL", "2.5 mL", "5 mL", "10 mL"],
        ["8:00 a.m.", "9:30 a.m.", "1:00 p.m.", "3:00 p.m."],
        ["1/4", "1/3", "1/2", "2/3"],
        ["1996", "2003", "2009", "2013"],
    ],
)
def test_numbers_written_alike(options: list[str]) -> None:
    assert "IW211" not in found("Which value?", options)


# --- IW210 ranges with symbols and "+" ------------------------------------------------------------


def test_ranges_written_with_symbols_and_plus() -> None:
    assert parse_range("90+ days") is not None and parse_range("≤ 100") is not None
    assert parse_range("65 and over") is not None and parse_range("Younger than 2 years") is not None
    assert "IW210" in found("How old is the balance?", ["0-30 days", "31-60 days", "61-90 days", "90+ days"], "D")
    assert "IW210" in found("How much?", ["≤ 100", "100-200", "201-300", "Over 300"], "D")
    assert "IW210" not in found("How old is the balance?", ["0-30 days", "31-60 days", "61-90 days", "91+ days"], "D")


# --- IW406 identifiers written other ways ----------------------------------------------------------

ENDING = " What should the front desk do first?"
DESK = ["Verify her identity", "Cancel the visit", "Call the physician", "Mail a letter"]


@pytest.mark.parametrize(
    "scenario",
    [
        "Maria Lopez calls from 614 555 2093 to move her visit.",
        "A caller leaves her cell 6145552093 on the voicemail.",
        "Dana Whitfield gives her SSN as 512449031 at check-in.",
        "Mrs. Ortiz (DOB 03/15/1972) asks for her records.",
        "Dana Whitfield, DOB 4/12/86, asks for her records.",
    ],
)
def test_identifiers_in_other_notations(scenario: str) -> None:
    assert "IW406" in found(scenario + ENDING, DESK)


@pytest.mark.parametrize(
    "scenario",
    [
        "Maria Lopez calls from 614 555 0187 to move her visit.",
        "The lab ran 1200 specimens in 2024 and 1350 in 2025.",
        "A patient born in 1986 asks for her records.",
    ],
)
def test_fictional_numbers_and_plain_figures_are_not_identifiers(scenario: str) -> None:
    assert "IW406" not in found(scenario + ENDING, DESK)


# --- IW405 references that name no source -------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "Medical assisting textbook",
        "Course textbook, chapter 5",
        "Personal experience at the front desk",
        "YouTube video",
    ],
)
def test_references_that_name_no_source(ref: str) -> None:
    assert "IW405" in {d.code for d in lint_source(item(references=[json.dumps(ref)]))}


@pytest.mark.parametrize(
    "ref",
    [
        "Kinn's The Medical Assistant, 15th ed., ch. 5",
        "ONC Health IT Buzz Blog, EMR vs EHR - What is the Difference? (HealthIT.gov)",
        "Office policy manual, sec. 4",
    ],
)
def test_references_with_a_title_or_a_locator_are_checkable(ref: str) -> None:
    assert "IW405" not in {d.code for d in lint_source(item(references=[json.dumps(ref)]))}


# --- IW103 negative words other than "not" ------------------------------------------------------


@pytest.mark.parametrize(
    "lead",
    [
        "Which of these actions would be inappropriate?",
        "Which step should the assistant avoid?",
        "Which of these is an unacceptable way to correct the entry?",
        "Which is the wrong way to store the vaccine?",
        "Which of these is unlikely to be covered?",
    ],
)
def test_lead_ins_that_ask_for_the_wrong_option(lead: str) -> None:
    assert "IW103" in found(lead, DESK)


@pytest.mark.parametrize(
    "lead",
    [
        "What should the office do with a check that cannot be cashed?",
        "How should the assistant help a patient who does not speak English?",
        "What should the assistant say about the inappropriate comment?",
        "To avoid a denial, what should the biller attach?",
    ],
)
def test_negatives_that_describe_the_scenario(lead: str) -> None:
    assert "IW103" not in found(lead, DESK)


# --- IW104 and IW302 ------------------------------------------------------------------------------


def test_a_pronoun_and_a_verb_shared_by_every_option() -> None:
    should = ["She should call the payer", "She should bill the patient", "She should write it off", "She should wait"]
    assert "IW104" in found(ASK, should)
    assert "IW104" not in found(ASK, ["It is paid", "It is denied", "It is pended", "It is returned"])
    assert "IW104" not in found(ASK, ["They are added", "They are subtracted", "They are ignored", "They are doubled"])


def test_only_the_key_agrees_with_the_verb_that_ends_the_stem() -> None:
    plural = "The forms a new employee completes on the first day are"
    assert "IW302" in found(plural, ["Forms I-9 and W-4", "Form W-2", "Form 1099", "Form SS-4"])
    agree = ["Forms I-9 and W-4", "Forms W-2 and W-3", "Pay stubs", "Time cards"]
    assert "IW302" not in found(plural, agree)
    assert not takes_an("UB-04") and not takes_an("CMS-1500") and takes_an("ICD-10-CM")


# --- IW503 and IW505 ------------------------------------------------------------------------------


def longest_item(ident: str, longest: bool, letter: str) -> str:
    options = ["Form W-2", "Form I-9", "Form 1099", "Form W-4"]
    if longest:
        options[3] = "Form W-4, the withholding certificate"
    order = {"A": [3, 0, 1, 2], "B": [0, 3, 1, 2], "C": [0, 1, 3, 2], "D": [0, 1, 2, 3]}[letter]
    opts = {k: json.dumps(options[i]) for k, i in zip("ABCD", order, strict=True)}
    stem = "Which form does a new employee fill out so the practice withholds federal income tax?"
    return item(id=ident, stem=stem, options=opts, answer=letter, rationale=RAT)


def test_a_small_bank_where_most_keys_are_the_longest_option() -> None:
    five = [longest_item(f"L{i}", i < 5, "ABCD"[i % 4]) for i in range(8)]
    assert "IW503" in {d.code for d in lint_sources(five)}
    four = [longest_item(f"L{i}", i < 4, "ABCD"[i % 4]) for i in range(8)]
    assert "IW503" not in {d.code for d in lint_sources(four)}


def test_a_key_in_another_stem_with_other_endings_and_hyphens() -> None:
    opts = {
        "A": '"Practice management software"',
        "B": '"Word-processing software"',
        "C": '"Spreadsheets"',
        "D": '"A portal"',
    }
    quiz = item(
        id="Q1", stem="Which software books patients and sends claims?", options=opts, answer="A", rationale=RAT
    )
    tells = item(id="Q2", stem="The clinic's practice-management software sends a claim.\nWhat is Jordan's gross pay?")
    assert [d.item_id for d in lint_sources([quiz, tells]) if d.code == "IW505"] == ["Q1"]
    enemies = item(
        id="Q1", stem="Which software books patients?", options=opts, answer="A", rationale=RAT, enemies=["Q2"]
    )
    assert not [d for d in lint_sources([enemies, tells]) if d.code == "IW505"]
