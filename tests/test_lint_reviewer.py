"""The rules for what strict reviewers send back (issue 15): IW213 paired options, IW307 word-form
echoes, IW308 a stem that defines the key, IW412 superseded editions, IW413 references without a
locator, IW414 application or analysis labels without a scenario; and how opt-in rules are
selected."""

from __future__ import annotations

from typing import Any

import pytest
from lintcheck import codes as _codes
from lintcheck import item
from lintcheck import lint_source as _lint_source

from cmas_bank.diagnostics import Severity
from cmas_bank.lint import REGISTRY, build_settings, default_settings
from cmas_bank.lint.docs import rule_text
from cmas_bank.lint.references import EditionsError, editions, parse_editions, unlocated
from cmas_bank.lint.reviewer import same_stem, snowball

# --- opt-in rules -------------------------------------------------------------------------------

# Outside the default selection: IW213, IW308, IW413 were not precise enough on the shipped bank;
# IW307, IW412 and IW414 fall below the default's recall or precision bar on the lint corpus
# (bench/lint_corpus.py). This repository opts in to IW307, IW412 and IW414 (pyproject.toml).
OPT_IN = {"IW213", "IW307", "IW308", "IW412", "IW413", "IW414"}


OPTED = ["IW307", "IW412", "IW414"]  # opt-in rules this repository selects, tested as it runs them


def _opted(conf: dict[str, Any] | None) -> dict[str, Any]:
    conf = dict(conf or {})
    conf["extend-select"] = [*conf.get("extend-select", []), *OPTED]
    return conf


def lint_source(source: str, conf: dict[str, Any] | None = None) -> list[Any]:
    return _lint_source(source, _opted(conf))


def codes(source: str, conf: dict[str, Any] | None = None) -> set[str]:
    return _codes(source, _opted(conf))


def test_opt_in_rules_are_the_imprecise_ones_and_off_by_default() -> None:
    assert {code for code in OPT_IN if not REGISTRY[code].default} == OPT_IN
    enabled = default_settings().enabled
    assert not enabled & OPT_IN


@pytest.mark.parametrize(
    ("table", "on"),
    [
        ({}, False),  # the default selection leaves it out
        ({"select": ["IW"]}, True),  # as with ruff, a prefix chooses every rule under it
        ({"select": ["ALL"]}, True),
        ({"extend-select": ["IW3"]}, True),
        ({"extend-select": ["IW308"]}, True),
        ({"extend-select": ["stem-defines-key"]}, True),
        ({"select": ["IW308"]}, True),
        ({"extend-select": ["IW308"], "ignore": ["IW3"]}, True),  # the code is more specific than the prefix
        ({"extend-select": ["IW308"], "ignore": ["IW308"]}, False),  # ignore wins a tie
    ],
)
def test_an_opt_in_rule_is_chosen_by_a_selector(table: dict[str, list[str]], on: bool) -> None:
    assert ("IW308" in build_settings(table).enabled) is on


def test_a_selected_code_chooses_that_rule_alone() -> None:
    assert "IW307" in build_settings({"select": ["IW3"]}).enabled
    assert "IW307" not in build_settings({"select": ["IW308"]}).enabled


def test_command_line_selection_reaches_opt_in_rules() -> None:
    assert "IW213" in build_settings({}, extend_select=["paired-options"]).enabled
    assert "IW213" in build_settings({}, extend_select=["IW2"]).enabled
    assert "IW213" not in build_settings({}).enabled


def test_rule_pages_say_which_rules_are_opt_in() -> None:
    assert "opt-in" in rule_text(REGISTRY["IW308"]).splitlines()[0]
    assert "default selection" in rule_text(REGISTRY["IW303"]).splitlines()[0]
    for code in ("IW213", "IW308", "IW413"):
        assert "Opt-in" in REGISTRY[code].doc and "(opt-in)" in REGISTRY[code].summary


# --- IW307 key-word-form-echo ------------------------------------------------------------------

TEACH_RAT = (
    "Teach-back (D) asks the patient to state in his own words what he must do. Active listening (A)\n"
    "is how staff attend to a speaker. Reflection (B) mirrors his feelings. Summarizing (C) condenses."
)
TEACH = {"A": "Active listening", "B": "Reflection", "C": "Summarizing", "D": "Teach-back"}


def teach(stem: str, **options: str) -> str:
    return item(stem=stem, options={**TEACH, **options}, answer="D", rationale=TEACH_RAT)


def test_word_form_echo_in_a_compound_key_is_reported_at_the_key_word() -> None:
    source = teach("Mr. Petrakis is asked to explain the steps back to the specialist. Which technique is used?")
    found = [d for d in lint_source(source) if d.code == "IW307"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(13, 6, 16)]  # option D of a one-line stem
    assert '"Teach-back"' in found[0].message and '"back"' in found[0].message


def test_no_echo_no_finding() -> None:
    assert "IW307" not in codes(teach("Mr. Petrakis is asked to show how he will do it. Which technique is used?"))


def test_a_distractor_that_echoes_the_same_word_takes_the_cue_away() -> None:
    stem = "Mr. Petrakis is asked to explain the steps back while the specialist is listening. Which technique is used?"
    assert "IW307" not in codes(teach(stem, C="Call-back"))  # "back" in C as well as in the key


def test_a_distractor_echoing_another_word_leaves_a_cue_in_another_form() -> None:
    # "listening" in the stem and in A does not hide the particle "back" of "Teach-back"
    stem = "Mr. Petrakis is asked to explain the steps back while the specialist is listening. Which technique is used?"
    assert "IW307" in codes(teach(stem))
    summary = item(
        stem="The manager summarizes the quarter on one page for the physicians, who have no time for the full\n"
        "reports. What is this page called?",
        options={"A": "Meeting agenda", "B": "Executive summary", "C": "Policy manual", "D": "Incident report"},
        answer="B",
        rationale="An executive summary (B) condenses reports for busy readers. An agenda (A) lists topics, a policy\n"
        "manual (C) holds rules, and an incident report (D) records one event.",
    )
    assert "IW307" in codes(summary)  # "summarizes" / "summary", another form, though D echoes "reports"


def test_the_same_word_beside_a_distractor_echo_names_the_scenario() -> None:
    source = item(
        stem="Liam's mother brought him in, but his father signed the financial agreement as guarantor. To whom\n"
        "should the statement be addressed?",
        options={"A": "The patient", "B": "The mother", "C": "The insurer", "D": "The father"},
        answer="D",
        rationale="The guarantor who signed, the father (D), receives the statement. The patient (A) is a minor, the\n"
        "mother (B) signed nothing, and the insurer (C) is billed separately.",
    )
    assert "IW307" not in codes(source, {"ignore": ["IW303"]})


def test_particles_count_as_echoes() -> None:
    source = item(
        stem="A medical assistant takes a paper chart out of the cabinet for a physician at another site.\n"
        "What should she put in the chart's place?",
        options={"A": "A tickler card", "B": "An out guide", "C": "A color label", "D": "A cross-reference sheet"},
        answer="B",
        rationale="An out guide (B) marks where the chart was and who has it. A tickler card (A) is a reminder\n"
        "system. A color label (C) codes the chart's folder. A cross-reference sheet (D) points to a name.",
    )
    found = codes(source)
    assert {"IW303", "IW307"} <= found  # IW303 counts particles as stem words too
    assert "IW307" in codes(source, {"ignore": ["IW303"]})


def test_what_iw303_reports_iw307_reports_too_on_a_term_key() -> None:
    source = item(
        stem="After the physician explains the risks, Joan Whitaker refuses a colonoscopy, and the physician\n"
        "respects her decision. Which ethical principle is the physician honoring?",
        options={"A": "Beneficence", "B": "Respect for autonomy", "C": "Justice", "D": "Nonmaleficence"},
        answer="B",
        rationale="Respect for autonomy (B) is a competent adult's right to decide. Beneficence (A) is acting for the\n"
        "patient's good. Justice (C) is fairness. Nonmaleficence (D) is avoiding harm.",
    )
    found = codes(source)
    assert {"IW303", "IW307"} <= found  # a bank that opts in to IW307 alone still sees the echo
    assert "IW307" not in codes(source, {"options": {"IW307": {"ignore-words": ["respects"]}}})


def test_long_keys_are_left_alone_unless_the_option_allows_them() -> None:
    source = teach(
        "The specialist asks Mr. Petrakis to explain the steps back. Which technique is she using?",
        D="Teach-back with a written plan",
    )
    assert "IW307" not in codes(source)  # three content words: more than max-key-words (2)
    assert "IW307" in codes(source, {"options": {"key-word-form-echo": {"max-key-words": 3}}})


# --- IW213 paired-options ----------------------------------------------------------------------

DRUG_STEM = "A patient receives an injection of a drug in the office. Which kind of code identifies the drug?"
DRUG_RAT = (
    "HCPCS Level II J codes (D) report drugs given other than orally. E codes (B) report equipment.\n"
    "A Level I modifier (A) only adds to a CPT code. ICD-10-PCS codes (C) report inpatient procedures."
)
PAIR = {
    "A": "Level I modifier",
    "B": "HCPCS Level II code beginning with E",
    "C": "ICD-10-PCS procedure code",
    "D": "HCPCS Level II code beginning with J",
}
WITH_IW213 = {"extend-select": ["IW213"]}


def drug(**options: str) -> str:
    return item(stem=DRUG_STEM, options={**PAIR, **options}, answer="D", rationale=DRUG_RAT)


def test_paired_options_with_the_key_are_reported_when_selected() -> None:
    found = [d for d in lint_source(drug(), WITH_IW213) if d.code == "IW213"]
    assert [(d.line, d.column) for d in found] == [(13, 6)] and "option B" in found[0].message
    assert "IW213" not in codes(drug())  # opt-in


def test_a_second_pair_or_a_third_variant_hides_the_pair() -> None:
    assert "IW213" not in codes(drug(A="Level I modifier for a drug", C="Level II modifier for a drug"), WITH_IW213)
    assert "IW213" not in codes(drug(A="HCPCS Level II code beginning with A"), WITH_IW213)


def test_a_pair_without_the_key_is_not_a_cue() -> None:
    pair = drug(B="HCPCS Level II code beginning with A", D="National Drug Code")
    assert "IW213" not in codes(pair, WITH_IW213)  # A and B pair; the key is not in the pair


def test_opposite_pairs_are_left_to_iw306() -> None:
    source = item(
        stem="Dana Cruz signs an ABN for a test Medicare may not cover. When must the office obtain it?",
        options={"A": "Before the test is done", "B": "After the test is done", "C": "At billing", "D": "Never"},
        answer="A",
        rationale="The ABN must be signed before the service (A). After the test (B) is too late. At billing (C) is\n"
        "too late as well. Never (D) leaves the office liable.",
    )
    found = codes(source, WITH_IW213)
    assert "IW306" in found and "IW213" not in found


def test_numeric_options_are_not_pairs() -> None:
    assert "IW213" not in codes(item(), WITH_IW213)


# --- IW308 stem-defines-key --------------------------------------------------------------------

HSA = {
    "A": "Dependent care FSA",
    "B": "Health FSA",
    "C": "Health reimbursement arrangement",
    "D": "Health savings account",
}
HSA_RAT = (
    "An HSA (D) is the account an employee owns and funds with pre-tax money and keeps after a job change;\n"
    "it needs a high-deductible plan. A dependent care FSA (A) pays for child care. A health FSA (B)\n"
    "belongs to the employer. An HRA (C) is funded by the employer only."
)
WITH_IW308 = {"extend-select": ["IW308"]}


def hsa(stem: str) -> str:
    return item(stem=stem, options=HSA, answer="D", rationale=HSA_RAT, domain=5, subdomain="5A")


def test_a_stem_that_paraphrases_the_keys_gloss_and_asks_its_name_is_reported_as_info() -> None:
    source = hsa("An employee owns it, funds it with pre-tax money and keeps it after a job change. What is it called?")
    found = [d for d in lint_source(source, WITH_IW308) if d.code == "IW308"]
    assert len(found) == 1 and found[0].severity is Severity.INFO and "restates the definition" in found[0].message
    assert "IW308" not in codes(source)  # opt-in


def test_a_naming_lead_in_without_the_gloss_or_a_gloss_without_a_naming_lead_in_is_not_reported() -> None:
    assert "IW308" not in codes(hsa("Mr. Ortiz changed jobs last month. What is this account called?"), WITH_IW308)
    assert "IW308" not in codes(
        hsa("An employee owns it, funds it with pre-tax money and keeps it after a job change. Which one is it?"),
        WITH_IW308,
    )


# --- IW412 superseded-reference ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "superseded"),
    [
        ("ICD-10-CM Official Guidelines for Coding and Reporting FY2025, Section I.A.15", True),
        ("ICD-10-CM Official Guidelines for Coding and Reporting FY 2026, Section I.C.19.a", True),
        ("ICD-10-CM Official Guidelines for Coding and Reporting, fiscal year 2024, I.B.10", True),
        ("2026 ICD-10-CM Tabular List, code E11.22", True),
        ("ICD-10-CM Official Guidelines for Coding and Reporting FY2027, Section I.A.15", False),
        ("NIST SP 800-88 Rev. 1, Guidelines for Media Sanitization", True),
        ("NIST SP 800-88r1", True),
        ("NIST SP 800-88 Rev. 2, Guidelines for Media Sanitization (September 2025)", False),
        ("NIST SP 800-63B, Digital Identity Guidelines: Authentication and Lifecycle Management", True),
        ("NIST Special Publication 800-63B-3", True),
        ("NIST SP 800-63B-4, Digital Identity Guidelines (August 2025)", False),
        ("45 CFR 164.508", False),
        ("AMA, CPT 2024 Professional Edition, Appendix A Modifiers", True),
        ("AMA, CPT 2026 Professional Edition, Appendix A Modifiers", False),
        ("AMA, CPT Assistant, March 2019, p. 4", False),
        ("HCPCS Level II 2025, code J1885", True),
        ("2015 AHA Guidelines Update for CPR and ECC, Part 5", True),
        ("2025 American Heart Association Guidelines for CPR and ECC, Part 7", False),
        ("Whelton PK et al., 2017 ACC/AHA Guideline for ... High Blood Pressure in Adults, section 3.2", True),
        ("Robert's Rules of Order Newly Revised, 11th ed. (2011), section 48", True),
        ("Robert's Rules of Order Newly Revised, 12th ed., section 48", False),
        ("OpenStax, Anatomy and Physiology (2013), section 19.1", True),
        ("OpenStax, Anatomy and Physiology 2e (2022), section 19.1", False),
        ("Kinn's The Administrative Medical Assistant, 14th ed., ch. 12", True),
        ("Kinn's The Administrative Medical Assistant, 15th ed. (Elsevier, 2023), ch. 12", False),
        ("IRS, Publication 15 (Circular E), Employer's Tax Guide (2019), section 9", True),
        ("IRS, Publication 15 (Circular E), Employer's Tax Guide (2026), section 9", False),
        ("Dorland's Illustrated Medical Dictionary, 32nd ed. (2012), entry -ectomy", True),
        ("Dorland's Illustrated Medical Dictionary, 33rd ed. (2020), entry -ectomy", False),
        # rows of issue 15's second pass, and code books cited by year through their title words
        ("NUCC 1500 Health Insurance Claim Form Reference Instruction Manual, version 08/05, item 21", True),
        ("CMS-1500 (12/90) instructions, block 24", True),
        ("NUCC 1500 Claim Form Reference Instruction Manual, version 02/12 (it replaced 08/05), item 21", False),
        ("Medicare Claims Processing Manual, Pub. 100-04, ch. 25, UB-92 completion", True),
        ("CMS MLN Matters MM5072, Uniform Billing (UB-04) Implementation: UB-92 Replacement", False),
        ("ICD-9-CM Official Guidelines for Coding and Reporting, Section I.B", True),
        ("CMS, General Equivalence Mappings, ICD-9-CM to ICD-10-CM (2018), documentation", False),
        ("USCIS, Form I-9 instructions (Rev. 10/21/19), Section 2", True),
        ("USCIS, Form I-9 instructions (Rev. 08/01/23), Section 2", False),
        ("AMA, CPT Professional 2024, Category III codes", True),
        ("AMA, CPT 2026 Professional Edition (AMA Press, 2025), Appendix A", False),
        ("HCPCS Level II Expert 2025, J codes", True),
        ("ICD-10-CM Expert for Physicians 2025, sec. I.A.1", True),
        ("ICD-10-CM Official Guidelines for Coding and Reporting 2026, Section I.A", True),
        ("Chobanian AV et al., The Seventh Report of the Joint National Committee (JNC 7), JAMA 2003;289:2560", True),
        ("NHLBI, JNC 7 Express (2004), table 1", True),
    ],
)
def test_superseded_editions(reference: str, superseded: bool) -> None:
    source = item(references=[f'"{reference}"'])
    found = [d for d in lint_source(source) if d.code == "IW412"]
    assert bool(found) is superseded, [d.message for d in found]


def test_superseded_reference_names_the_current_edition_and_points_at_the_old_one() -> None:
    source = item(references=['"ICD-10-CM Official Guidelines for Coding and Reporting FY2025, Section I.A.15"'])
    (found,) = [d for d in lint_source(source) if d.code == "IW412"]
    assert "FY2027" in found.message and "2026-10-01" in found.message
    assert (found.line, found.column) == (21, 6)


def test_an_old_edition_cited_beside_the_current_one_is_history() -> None:
    old = '"Whelton PK, et al. 2017 ACC/AHA Guideline for ... High Blood Pressure in Adults. Hypertension. 2018"'
    new = '"Jones DW, et al. 2025 AHA/ACC Guideline for ... High Blood Pressure in Adults. Circulation. 2025"'
    assert "IW412" in codes(item(references=[old]))
    assert "IW412" not in codes(item(references=[new, old]))


def test_a_row_may_give_only_the_year_it_took_effect() -> None:
    (row,) = parse_editions("editions:\n  - {pattern: a, current: b, in-force: '2023', checked: '2026-12-02', why: c}")
    assert row.in_force == "2023"


def test_the_shipped_editions_table_says_why_for_every_row() -> None:
    rows = editions()
    assert len(rows) >= 4
    for row in rows:
        assert len(row.why.split()) >= 10 and row.current and row.checked >= "2026-12-02"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("editions: 5", "'editions' list"),
        ("editions: [x]", "row 1: not a mapping"),
        ("editions:\n  - {pattern: a, current: b, in-force: '2026-10-01', checked: '2026-12-02'}", "row 1: missing"),
        (
            "editions:\n  - {pattern: '(', current: b, in-force: '2026-10-01', checked: '2026-12-02', why: c}",
            "bad pattern",
        ),
        ("editions:\n  - {pattern: a, current: b, in-force: soon, checked: '2026-12-02', why: c}", "in-force must be"),
        (
            "editions:\n  - {pattern: a, current: b, in-force: '2026-10', checked: '2026-12-02', why: c, note: d}",
            "unknown keys ['note']",
        ),
    ],
)
def test_a_malformed_editions_table_is_refused_with_its_row(text: str, problem: str) -> None:
    with pytest.raises(EditionsError, match=problem.replace("[", r"\[").replace("(", r"\(")):
        parse_editions(text)


# --- IW413 reference-without-locator -----------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "flagged"),
    [
        ("Kinn's The Administrative Medical Assistant, 15th ed., chapter on telephone techniques", True),
        ("Kinn's The Administrative Medical Assistant, 15th ed.", True),
        ("Chabner, The Language of Medicine, 12th ed. (Elsevier), surgical suffixes", True),
        ("Taber's Cyclopedic Medical Dictionary, 24th ed. (F.A. Davis, 2021)", True),
        ("OpenStax, Principles of Accounting, Volume 1: Financial Accounting (2019)", True),
        ("NUBC Official UB-04 Data Specifications Manual", True),
        ("ICD-10-CM Official Guidelines for Coding and Reporting FY2027", True),
        ("Kinn's The Administrative Medical Assistant, 15th ed., ch. 9 Telephone Techniques", False),
        ("Taber's Cyclopedic Medical Dictionary, 24th ed., entry Fowler position", False),
        ("Robert's Rules of Order Newly Revised, 12th ed., 41:9 and following", False),
        (
            "AHRQ Health Literacy Universal Precautions Toolkit, 2nd ed., Plan-Do-Study-Act Directions and Examples",
            False,
        ),
        ("OpenStax, Principles of Accounting, Volume 1, ch. 9 Accounting for Receivables", False),
        ("Medicare Claims Processing Manual (Pub. 100-04), Chapter 12, section 30.6.7", False),
        ("NUCC 1500 Claim Form Reference Instruction Manual, form version 02/12, Item 21", False),
        ("IRS Publication 15 (Circular E), Employer's Tax Guide (wages subject to withholding)", False),
        ("ICD-10-CM Official Guidelines for Coding and Reporting FY2027, Section I.A.15", False),
        ("45 CFR 164.508", False),
        ("42 U.S.C. 2000e(b)", False),
        ("42 CFR Part 2", True),  # a whole part: which of its sections?
        ("45 CFR Part 164", True),
        ("42 CFR Part 2, section 2.31 (consent requirements)", False),
        ("42 CFR Part 405, Subpart I, Determinations, Redeterminations and Appeals", False),
        ("AMA, CPT 2026 Professional Edition", True),
        ("AMA, CPT 2026 Professional Edition, Appendix A, modifier 25", False),
        ("Kinn's The Administrative Medical Assistant, the chapter on the health record", True),
        (
            "Kinn's The Administrative Medical Assistant, 15th ed., chapter The Health Record, section Filing Methods",
            False,
        ),
        ("AHRQ, Health Literacy Universal Precautions Toolkit, 3rd ed. (2024), Tool: Use the Teach-Back Method", False),
        ("ARMA International, Establishing Alphabetic Filing Systems (2005), section on prefixes and particles", False),
        ("Nazarian S, et al. Safety of MRI in Patients with Cardiac Devices. N Engl J Med. 2017", False),
        ("HHS HIPAA FAQ 199", False),
        ("Kinn's, 15th ed., https://example.org/kinns/ch9", False),
        # a book cited by its authors and title alone
        ("Green and Bowie, Essentials of Health Information Management", True),
        ("Booth, Whicker and Wyman, Medical Assisting: Administrative and Clinical Procedures", True),
        ("Heizer et al., Operations Management (Pearson, 2023)", True),
        ("Lewis and Tamparo, Medical Law, Ethics and Bioethics for the Health Professions", True),
        ("Booth, Whicker and Wyman, Medical Assisting: Administrative and Clinical Procedures, 7th ed., ch. 20", False),
        ("American Heart Association, Understanding Blood Pressure Readings", False),  # an organisation's page
        ("CDC, Hand Hygiene in Healthcare Settings", False),
    ],
)
def test_references_without_a_locator(reference: str, flagged: bool) -> None:
    assert unlocated(reference) is flagged
    source = item(references=[f'"{reference}"'])
    assert ("IW413" in codes(source, {"extend-select": ["IW413"]})) is flagged
    assert "IW413" not in codes(source)  # opt-in


# --- IW414 level-without-scenario --------------------------------------------------------------

BARE = "Under the Fair Labor Standards Act, at what rate is overtime paid to a non-exempt employee?"
RATES = {"A": '"1 times"', "B": '"1.25 times"', "C": '"1.5 times"', "D": '"2 times"'}
RATE_RAT = (
    "The FLSA requires overtime at 1.5 times the regular rate (C) for hours over 40 in a workweek. The\n"
    "regular rate (A) pays no premium. 1.25 times (B) and double time (D) are not what the FLSA requires."
)


def rate(stem: str = BARE, level: str = "application") -> str:
    return item(stem=stem, options=RATES, answer="C", rationale=RATE_RAT, cognitive_level=level)


def test_application_label_on_a_bare_question_is_reported_at_the_label() -> None:
    found = [d for d in lint_source(rate()) if d.code == "IW414"]
    assert [(d.line, d.column) for d in found] == [(6, 18)] and "application" in found[0].message
    assert "IW414" in codes(rate(level="analysis"))


@pytest.mark.parametrize(
    "stem",
    [
        "Jordan Pike, a non-exempt receptionist, works 44 hours this week. At what rate is his overtime paid?",
        "During a payroll audit at a practice with 40 employees, at what rate must overtime have been paid?",
        "A receptionist who works 44 hours in a workweek asks at what rate her extra hours are paid. Which is it?",
        "When Ms. Lee works 44 hours in one workweek, at what rate is her overtime paid?",
    ],
)
def test_a_scenario_in_the_stem_satisfies_the_rule(stem: str) -> None:
    assert "IW414" not in codes(rate(stem))


def test_recall_items_and_levels_left_out_of_the_option_are_not_reported() -> None:
    assert "IW414" not in codes(rate(level="recall"))
    assert "IW414" not in codes(rate(), {"options": {"IW414": {"levels": ["analysis"]}}})


def test_the_overlap_share_is_a_share() -> None:
    from cmas_bank.errors import UsageError

    with pytest.raises(UsageError, match=r"options\.IW308\.min-overlap must be a number from 0 to 1"):
        build_settings({"options": {"stem-defines-key": {"min-overlap": 1.5}}})
    assert build_settings({"options": {"IW308": {"min-overlap": 0.8}}}).options["IW308"]["min-overlap"] == 0.8


def test_rules_json_says_which_rules_are_opt_in() -> None:
    import json

    from cmas_bank.codes import family_codes, rules_json

    rows = {r["code"]: r for r in json.loads(rules_json(family_codes("IW").values()))}
    assert OPT_IN <= {code for code, r in rows.items() if r["default"] is False}


def test_stems_an_i_or_an_e_apart_are_one_word() -> None:
    from cmas_bank.lint.reviewer import same_stem, snowball

    assert same_stem(snowball("reconciles"), snowball("reconciliation"))
    assert same_stem(snowball("verify"), snowball("verification"))
    assert not same_stem(snowball("referral"), snowball("reference"))
    assert not same_stem(snowball("medication"), snowball("medicare"))
    source = item(
        stem="At the end of each month, Lena reconciles the checkbook register with the statement from the\n"
        "depository. Which document does she prepare?",
        options={"A": "Deposit slip", "B": "Bank reconciliation", "C": "Aging report", "D": "Trial balance"},
        answer="B",
        rationale="A bank reconciliation (B) matches the register to the statement. A deposit slip (A) lists a\n"
        "deposit, an aging report (C) sorts balances by age and a trial balance (D) checks the ledger.",
    )
    assert "IW307" in codes(source)


def test_a_word_every_option_repeats_names_the_category_and_a_distractor_in_the_stem_echoes() -> None:
    opts = {
        "A": "Blank endorsement",
        "B": "Special endorsement",
        "C": "Restrictive endorsement",
        "D": "Qualified endorsement",
    }
    rat = (
        "A restrictive endorsement (C) limits what can be done with the check. A blank one (A) is a bare\n"
        "signature, a special one (B) names a payee and a qualified one (D) limits liability."
    )
    stem = 'The office stamps "For deposit only" on a check, which restricts its use. What kind of endorsement is that?'
    assert "IW307" in codes(item(stem=stem, options=opts, answer="C", rationale=rat))
    months = {"A": "February", "B": "March", "C": "April", "D": "May"}
    stem = "A practice sees a patient in March and is paid in May. In which month does it record the revenue?"
    rat = (
        "Under accrual the revenue is recorded in March (B), when earned; February (A), April (C) and May (D) are not."
    )
    assert "IW307" not in codes(item(stem=stem, options=months, answer="B", rationale=rat))


def test_a_sentence_key_is_not_a_term() -> None:
    source = teach(
        "The specialist teaches Mr. Petrakis to use an inhaler. Which method best confirms he understood?",
        D="Having him show how he will use it",
    )
    assert "IW307" not in codes(source)


def test_a_window_dressing_scenario_does_not_make_an_application_item() -> None:
    coffee = "Sam, a new billing clerk, sits down at his desk with a cup of coffee on his first morning. "
    medicare = {"A": "Part A", "B": "Part B", "C": "Part C", "D": "Part D"}
    rat = "Part A (A) covers inpatient stays; Part B (B) is outpatient care, C is Medicare Advantage and D is drugs."

    def part(stem: str) -> str:
        return item(stem=stem, options=medicare, answer="A", rationale=rat, cognitive_level="application")

    found = [d for d in lint_source(part(coffee + "Which part of Medicare covers inpatient hospital stays?"))]
    assert ["scenario before it" in d.message for d in found if d.code == "IW414"] == [True]
    # the question takes up the case: a pronoun, "the" before a noun the scenario mentions, a choice
    for lead in (
        "Which part of Medicare covers his inpatient hospital stays?",
        "Which part of Medicare covers the coffee?",
        "Which part of Medicare should he bill first?",
    ):
        assert "IW414" not in codes(part(coffee + lead)), lead
    # "the stay" points at nothing the scenario mentions: the question stands on its own
    assert "IW414" in codes(part(coffee + "Which part of Medicare covers the stay?"))
    # a question about the case itself, not a general fact
    assert "IW414" not in codes(part(coffee + "Which part of Medicare has been billed for the visit today?"))
    assert "IW414" not in codes(
        item(
            stem=coffee + "Which part of Medicare covers inpatient hospital stays?",
            options=medicare,
            answer="A",
            rationale=rat,
            cognitive_level="recall",
        )
    )


# --- issue 15, second pass: the causes behind the held-out misses ------------------------------


def pair(options: list[str], answer: str = "A", stem: str = "Which one applies to this patient?") -> str:
    letters = dict(zip("ABCD", options, strict=True))
    rat = (
        f"The key ({answer}) is the one the rule names. The other three options describe something the rule does\n"
        "not allow here, each for its own reason."
    )
    return item(stem=stem, options=letters, answer=answer, rationale=rat)


@pytest.mark.parametrize(
    "options",
    [
        [
            "Within 30 days of receiving the request",
            "Within 10 business days, by state law",
            "Within 30 days of her last office visit",
            "After she pays her balance",
        ],
        ["CMS-1500 (02/12)", "UB-04", "CMS-1500 (08/05)", "ADA dental claim form"],
        [
            "In a puncture-resistant sharps container",
            "In a red bag lining the trash can",
            "In a puncture-resistant recycling bin",
            "Back in its cap, then in the trash",
        ],
        [
            "Her address and insurance coverage",
            "Her full medical history",
            "Her address and employer's name",
            "Her list of emergency room visits",
        ],
    ],
)
def test_a_pair_that_fills_one_frame_differently_is_reported(options: list[str]) -> None:
    found = [d for d in lint_source(pair(options), WITH_IW213) if d.code == "IW213"]
    assert len(found) == 1 and "option C" in found[0].message


@pytest.mark.parametrize(
    "options",
    [
        ["Stage 1 hypertension", "Normal", "Stage 2 hypertension", "Elevated"],  # a series of categories
        ["Low-level disinfection", "No processing", "High-level disinfection", "Sterilization"],  # a scale
        ["Wave scheduling", "Open hours", "Stream scheduling", "Double booking"],  # a shared head noun names kinds
        ["Risk analysis", "Data backup plan", "Risk management", "Disaster recovery plan"],
        ["Form W-4", "Form 1099-NEC", "Form W-2", "Form I-9"],  # two codes name two things
        [  # a 2 x 2: every option has a partner
            "Under the tongue every four hours",
            "By mouth every four hours",
            "Under the tongue once a day",
            "By mouth once a day",
        ],
        [  # a third option is a variant of the pair too
            "With modifier XS appended",
            "With modifier 51 appended",
            "With no modifier appended",
            "Not reported on the claim",
        ],
        ["Her own employer's plan", "The plan with the lower deductible", "Her husband's plan", "The older plan"],
    ],
)
def test_closed_sets_and_families_of_variants_are_not_pairs(options: list[str]) -> None:
    assert "IW213" not in codes(pair(options), WITH_IW213)


def test_a_form_name_is_a_term_and_another_form_of_a_word_survives_a_distractor_echo() -> None:
    forms = {
        "A": "Form W-4, Employee's Withholding Certificate",
        "B": "Form I-9, Employment Eligibility Verification",
        "C": "Form W-2, Wage and Tax Statement",
        "D": "Form SS-4, Application for EIN",
    }
    rat = "The I-9 (B) records eligibility to work. The W-4 (A) sets withholding, the W-2 (C) reports\nwages and the SS-4 (D) applies for an EIN."
    stem = "On her first day a new coder shows documents proving she is eligible to work. Which form records them?"
    found = [d for d in lint_source(item(stem=stem, options=forms, answer="B", rationale=rat)) if d.code == "IW307"]
    assert len(found) == 1 and '"Eligibility"' in found[0].message and '"eligible"' in found[0].message


def test_ate_and_acy_forms_meet() -> None:
    assert same_stem(snowball("private"), snowball("privacy"))
    assert not same_stem(snowball("medication"), snowball("medicare"))


NAMING_RAT = (
    "Coordination of benefits (A) sets which plan pays first. Subrogation (B) is recovery from a liable\n"
    "party, balance billing (C) charges the patient the rest, and adjudication (D) is processing a claim."
)
COB = {"A": "Coordination of benefits", "B": "Subrogation", "C": "Balance billing", "D": "Claim adjudication"}


def cob(stem: str, **options: str) -> str:
    return item(stem=stem, options={**COB, **options}, answer="A", rationale=NAMING_RAT, domain=5, subdomain="5A")


def test_a_naming_question_whose_stem_uses_the_keys_own_word_gives_it_away() -> None:
    stem = "When a patient has two plans, the plans coordinate so that together they pay no more than the bill. What is this process called?"
    found = [d for d in lint_source(cob(stem), WITH_IW308) if d.code == "IW308"]
    assert len(found) == 1 and '"coordinate" for "coordination"' in found[0].message
    # not a naming question: the echo is IW307's business, not a definition given away
    assert "IW308" not in codes(cob(stem.replace("What is this process called?", "Who pays first?")), WITH_IW308)
    # a distractor with the same word: the word does not single the key out
    assert "IW308" not in codes(cob(stem, B="Coordination of care"), WITH_IW308)
    # the stem describes it in other words
    other = "When a patient has two plans, they settle which pays first so that together they pay no more than the bill. What is this process called?"
    assert "IW308" not in codes(cob(other), WITH_IW308)


def test_the_noun_the_question_asks_about_is_not_a_giveaway() -> None:
    source = item(
        stem="Which report shows how long each patient's unpaid balance has been outstanding?",
        options={"A": "Aging report", "B": "Day sheet", "C": "Deposit slip", "D": "Trial balance"},
        answer="A",
        rationale="The aging report (A) sorts balances by age. A day sheet (B) lists one day, a deposit slip (C) the\n"
        "bank deposit, and a trial balance (D) tests the ledger.",
        cognitive_level="recall",
    )
    assert "IW308" not in codes(source, WITH_IW308)


def test_a_meaning_question_is_recall_whatever_case_dresses_it() -> None:
    sl = {"A": "Under the tongue", "B": "Slowly", "C": "With water", "D": "Once a day"}
    rat = "SL is sublingual, under the tongue (A); it says nothing about speed (B), water (C) or how often (D)."

    def sl_item(stem: str) -> str:
        return item(stem=stem, options=sl, answer="A", rationale=rat, cognitive_level="application")

    found = codes(
        sl_item(
            "Mrs. Ruiz's sheet says to take one tablet SL. She asks what SL means. What does the abbreviation stand for?"
        )
    )
    assert "IW414" in found
    assert "IW414" not in codes(
        sl_item("Mrs. Ruiz's sheet says to take one tablet SL. What should the assistant tell her?")
    )
    # "what does this mean" about the case asks for a judgment on it
    assert "IW414" not in codes(
        sl_item(
            "Mrs. Ruiz's sheet says one tablet SL, and her tablets are gone in a week. What does this most likely mean?"
        )
    )


def test_an_opening_clause_that_the_question_ignores_is_window_dressing() -> None:
    parts = {"A": "Part A", "B": "Part B", "C": "Part C", "D": "Part D"}
    rat = "Part A (A) covers inpatient stays; Part B (B) is outpatient care, C is Medicare Advantage and D is drugs."

    def one(stem: str) -> str:
        return item(stem=stem, options=parts, answer="A", rationale=rat, cognitive_level="application")

    assert "IW414" in codes(
        one("During a quiet afternoon at the front desk, which part of Medicare covers inpatient hospital stays?")
    )
    # the question takes the clause up
    assert "IW414" not in codes(one("When a Medicare patient is admitted to the hospital, which part covers her stay?"))
