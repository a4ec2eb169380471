"""IW3xx cue rules: each cue, its thresholds, and look-alikes that are not cues."""

from __future__ import annotations

import pytest
from lintcheck import codes, item, lint_source

from cmas_bank.lint.text import takes_an

STEM = "A patient asks the front desk for a copy of her immunization record. What should the front desk do first?"
RAT = (
    "Checking her photo ID (C) verifies identity as the Privacy Rule requires. Mailing it (A) delays\n"
    "access. Her insurer (B) does not hold the record. A physician's release (D) is not needed."
)
OPTS = {
    "A": "Mail the copy to the address on file",
    "B": "Tell her to ask her insurer for it",
    "C": "Check her photo ID against the record",
    "D": "Ask the physician to sign a release",
}


def desk(**options: str) -> str:
    return item(stem=STEM, options={**OPTS, **options}, rationale=RAT)


def test_desk_base_is_clean() -> None:
    assert codes(desk()) == set()


def test_key_longest_threshold_is_an_option() -> None:
    longer = desk(C="Check her photo ID against the record and the chart")  # 51 vs 36: 1.42
    found = [d for d in lint_source(longer) if d.code == "IW301"]
    assert [(d.line, d.column) for d in found] == [(12, 6)] and "1.42 times" in found[0].message
    assert "IW301" not in codes(longer, {"options": {"key-longest": {"ratio": 1.5}}})
    assert "IW301" not in codes(item())  # numeric options are skipped


@pytest.mark.parametrize(
    ("word", "an"),
    [
        ("assignment", True),
        ("copayment", False),
        ("MRI", True),
        ("HIPAA", False),
        ("hour", True),
        ("unit", False),
        ("OSHA", True),
        ("EOB", True),
        ("CPT", False),
        ("X-ray", True),
        ("W-2", False),
        ("honest", True),
        ("one-time", False),
        ("8-hour", True),
        ("11-digit", True),
        ("9-digit", False),
        ("European", False),
        ("HCPCS", False),  # read as a word, "hick-picks"
        ("ICD-10-CM", True),
    ],
)
def test_article_a_or_an(word: str, an: bool) -> None:
    assert takes_an(word) is an


def test_grammatical_cue_only_when_the_key_alone_fits() -> None:
    stem = "A patient asks how the physician will be paid. The form she signs so that her insurer pays the physician directly is an"
    opts = {"A": "assignment of benefits", "B": "waiver of liability", "C": "release of information", "D": "referral"}
    rat = "An assignment of benefits (A) directs payment. A waiver (B), a release (C) and a referral (D) do not direct payment."
    found = [d for d in lint_source(item(stem=stem, options=opts, answer="A", rationale=rat)) if d.code == "IW302"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(8, 120, 122)]
    two_fit = {**opts, "D": "explanation of benefits"}
    assert "IW302" not in codes(item(stem=stem, options=two_fit, answer="A", rationale=rat))


def test_stem_word_in_key_and_distractors_that_echo_the_stem() -> None:
    stem = "Dana Cruz's attorney asks for her records. Which document authorizes the office to send them?"
    opts = {
        "A": "A signed authorization",
        "B": "A copy of her insurance card",
        "C": "A subpoena from the court clerk",
        "D": "A phone call from the law firm",
    }
    rat = "A signed authorization (A) is needed; a card (B), a clerk's subpoena (C) and a call (D) are not permission."
    found = [d for d in lint_source(item(stem=stem, options=opts, answer="A", rationale=rat)) if d.code == "IW303"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(10, 15, 28)]
    echo = {**opts, "D": "A phone call from the attorney"}  # a distractor repeats a stem word too
    assert "IW303" not in codes(item(stem=stem, options=echo, answer="A", rationale=rat))
    ignored = {"options": {"IW303": {"ignore-words": ["authorizes"]}}}
    assert "IW303" not in codes(item(stem=stem, options=opts, answer="A", rationale=rat), ignored)


def test_absolutes_only_in_distractors() -> None:
    opts = {
        "A": "Always mail the copy to the address on file",
        "B": "Never give copies at the desk",
        "C": "Check her photo ID against the record",
        "D": "Ask the physician to sign a release",
    }
    rat = RAT.replace("Mailing it (A)", "Always mailing it (A)").replace(
        "Her insurer (B) does not hold the record.", "Never giving copies (B) denies access."
    )
    found = [d for d in lint_source(item(stem=STEM, options=opts, rationale=rat)) if d.code == "IW304"]
    assert len(found) == 1 and "(A, B)" in found[0].message and (found[0].line, found[0].column) == (10, 6)
    assert "IW304" not in codes(
        item(stem=STEM, options=opts, rationale=rat), {"options": {"IW304": {"min-distractors": 3}}}
    )


def test_hedge_only_in_key() -> None:
    assert "IW304" in codes(desk(C="Check her photo ID, which may be required"))
    assert "IW304" not in codes(
        desk(C="Check her photo ID, which may be required", D="Ask the physician, who may sign a release")
    )


def test_convergence_margin() -> None:
    opts = {
        "A": "CMS-1500 submitted by the physician practice",
        "B": "UB-04 submitted by the physician practice",
        "C": "CMS-1500 submitted by the hospital",
        "D": "CMS-1500 submitted by the patient",
    }
    rat = "The practice bills on the CMS-1500 (A). The UB-04 (B) is institutional; a hospital (C) or patient (D) does not bill it."
    source = item(
        stem="Which claim form is used for a physician's office visit, and who submits it?",
        options=opts,
        answer="A",
        rationale=rat,
    )
    assert "IW305" in codes(source)
    assert "IW305" not in codes(source, {"options": {"convergence": {"margin": 3}}})


@pytest.mark.parametrize(
    ("key", "other"),
    [
        ("The claim is covered", "The claim is not covered"),
        ("Before the visit", "After the visit"),
        ("Non-exempt employee", "Exempt employee"),
        ("Billable service", "Nonbillable service"),
    ],
)
def test_opposite_pairs_containing_the_key(key: str, other: str) -> None:
    rat = f"{key} (C) is right. (A) is wrong for one reason, (B) for another, and (D) because it is the opposite."
    opts = {
        "A": "Mail the copy to the address on file",
        "B": "Tell her to ask her insurer for it",
        "C": key,
        "D": other,
    }
    found = [d for d in lint_source(item(stem=STEM, options=opts, rationale=rat)) if d.code == "IW306"]
    assert [(d.line, d.column) for d in found] == [(12, 6)]


def test_one_word_category_sets_are_not_opposite_pairs() -> None:
    opts = {"A": "Subjective", "B": "Objective", "C": "Assessment", "D": "Plan"}
    rat = "A measured blood pressure is an objective finding (B); subjective (A) is what the patient says, C and D follow."
    source = item(
        stem="In a SOAP note, which section records a measured blood pressure?", options=opts, answer="B", rationale=rat
    )
    assert "IW306" not in codes(source)


def test_a_distractor_standing_in_the_stem_is_an_echo_too() -> None:
    # "paid in May": the distractor May echoes the stem as much as the key March does (lint corpus)
    stem = "A practice using the accrual method sees Jordan in March and is paid in May. When is the revenue recorded?"
    opts = {"A": "February", "B": "March", "C": "April", "D": "May"}
    rat = "Accrual accounting records income when it is earned (B), in the month of the service, not when paid."
    assert "IW303" not in codes(item(stem=stem, options=opts, answer="B", rationale=rat))
    alone = {**opts, "D": "June"}
    assert "IW303" in codes(item(stem=stem, options=alone, answer="B", rationale=rat))


def test_the_lead_in_nouns_can_be_echoed() -> None:
    stem = "Jordan disputes her balance and asks for a statement that lists each charge. What should the office send?"
    opts = {"A": "An itemized statement", "B": "An aging report", "C": "A day sheet", "D": "A deposit slip"}
    rat = "A list of each charge, payment and adjustment (A) lets her trace the balance; B, C and D are internal."
    assert "IW303" in codes(item(stem=stem, options=opts, answer="A", rationale=rat))


def test_only_the_key_names_as_many_as_the_question_asks() -> None:
    stem = "Which two parts of Medicare together make up Original Medicare?"
    opts = {"A": "Parts A and B", "B": "Part C", "C": "Part D", "D": "Medigap"}
    rat = "Original Medicare is Part A and Part B (A); Part C (B) is Medicare Advantage, D (C) drugs, Medigap (D) private."
    found = [d for d in lint_source(item(stem=stem, options=opts, answer="A", rationale=rat)) if d.code == "IW302"]
    assert [d.line for d in found] == [8]
    pairs = {"A": "Parts A and B", "B": "Parts C and D", "C": "Parts A and D", "D": "Parts B and C"}
    assert "IW302" not in codes(item(stem=stem, options=pairs, answer="A", rationale=rat))
    one = "Which part of Medicare, with Part A, makes up Original Medicare?"
    assert "IW302" not in codes(item(stem=one, options=opts, answer="A", rationale=rat))


def test_a_particle_of_the_stem_echoed_in_the_key() -> None:
    stem = "Dr. Varga takes a paper chart out of the file room. What does the clerk put in its place on the shelf?"
    opts = {"A": "A color tab", "B": "An out guide", "C": "A cross-reference sheet", "D": "A tickler card"}
    rat = "An out guide (B) marks where the chart was; a color tab (A), a sheet (C) and a tickler (D) do not."
    found = [d for d in lint_source(item(stem=stem, options=opts, answer="B", rationale=rat)) if d.code == "IW303"]
    assert [(d.line, d.column) for d in found] == [(11, 9)]
    inside = stem.replace("out of the file room", "from the file room")
    assert "IW303" not in codes(item(stem=inside, options=opts, answer="B", rationale=rat))


def test_a_phrase_of_the_stem_only_the_key_repeats() -> None:
    stem = "A payer sends the practice an electronic remittance for a batch of paid claims. Which transaction is this?"
    opts = {
        "A": "Claim status response (277)",
        "B": "Eligibility response (271)",
        "C": "Electronic remittance advice (835)",
        "D": "Health care claim (837P)",
    }
    rat = "The 835 (C) is the remittance advice; 277 (A) answers a status query, 271 (B) eligibility, 837P (D) a claim."
    assert "IW303" in codes(item(stem=stem, options=opts, answer="C", rationale=rat))
    # one word of the phrase is not enough when the distractors echo the stem too
    one_word = stem.replace("an electronic remittance", "a remittance")
    assert "IW303" not in codes(item(stem=one_word, options=opts, answer="C", rationale=rat))


def test_convergence_counts_the_order_of_the_elements() -> None:
    opts = {
        "A": "Debit rent expense and credit cash",
        "B": "Debit rent expense and credit accounts payable",
        "C": "Debit cash and credit rent expense",
        "D": "Debit prepaid rent and credit cash",
    }
    rat = "Rent paid in cash debits rent expense and credits cash (A); B is on account, C reverses it, D is prepaid."
    stem = "The practice pays this month's office rent by cheque. How is the payment recorded?"
    source = item(stem=stem, options=opts, answer="A", rationale=rat)
    assert "IW305" in codes(source)  # C has the key's words in another order: only the pairs tell them apart
    assert "IW305" not in codes(source, {"options": {"convergence": {"margin": 3}}})
    varied = {**opts, "B": "Debit supplies expense and credit accounts payable"}
    assert "IW305" not in codes(item(stem=stem, options=varied, answer="A", rationale=rat))
