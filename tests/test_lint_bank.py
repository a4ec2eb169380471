"""IW5xx bank-wide rules and the suppression machinery (IW9xx) across files."""

from __future__ import annotations

import math

import pytest
from lintcheck import FIELDS, item, item_file, lint_sources

from cmas_bank.lint import build_settings, lint_bank, lint_file
from cmas_bank.lint.bank import binomial_sf, chi_square_p

W4_STEM = "Leo Grant starts work on Monday. Which form does he fill out so the practice withholds federal income tax?"
W4 = {"A": "Form W-2", "B": "Form W-4", "C": "Form I-9", "D": "Form 1099"}
W4_RAT = "Form W-4 (B) is the withholding certificate. Form W-2 (A) reports wages, Form I-9 (C) work authorization, Form 1099 (D) other pay."


def test_chi_square_and_binomial_against_reference_values() -> None:
    # Reference values from scipy.stats (chi2.sf, binom.sf) for the same inputs.
    assert chi_square_p([25, 25, 25, 25]) == pytest.approx(1.0)
    assert chi_square_p([40, 20, 20, 20]) == pytest.approx(0.007383160505359769, rel=1e-9)
    assert binomial_sf(4, 4, 0.25) == pytest.approx(0.00390625)
    assert binomial_sf(8, 10, 0.25) == pytest.approx(0.000415802001953125)
    assert binomial_sf(5000, 20000, 0.25) == pytest.approx(0.5027144375376982, abs=0.005)


def keyed(letter: str, ident: str, domain: int = 6, subdomain: str = "6D") -> str:
    """The FLSA item with its key moved to `letter` (options stay in ascending order)."""
    order = {
        "A": [828, 900, 950, 1188],
        "B": [720, 828, 900, 1188],
        "C": [720, 792, 828, 1188],
        "D": [600, 720, 792, 828],
    }[letter]
    opts = {L: f'"${v:,}.00"' for L, v in zip("ABCD", order)}
    rat = (
        "Forty hours at $18.00 is $720.00 plus four overtime hours at $27.00, so the pay is $828.00. "
        "Each other amount (A), (B), (C) or (D) miscounts the overtime hours or the overtime rate."
    )
    return item(id=ident, options=opts, answer=letter, rationale=rat, domain=domain, subdomain=subdomain)


def test_key_balance_per_bank_and_per_area() -> None:
    sources = [keyed(k, f"K{i:02}", *((6, "6D") if i < 8 else (8, "8C"))) for i, k in enumerate("AAAAAAAABCDABCDA")]
    conf = {"options": {"key-balance": {"min-items": 8}}}
    found = [d for d in lint_sources(sources, conf) if d.code == "IW501"]
    messages = sorted(d.message.split(" (")[0] for d in found)
    assert messages == ["answer keys in the bank", "answer keys in work area 6"]
    only_bank = {"options": {"key-balance": {"min-items": 8, "per-area": False}}}
    assert len([d for d in lint_sources(sources, only_bank) if d.code == "IW501"]) == 1


def test_key_runs_are_per_area_in_id_order() -> None:
    sources = [keyed("C", "R03"), keyed("C", "R01"), keyed("C", "R02"), keyed("A", "R05"), keyed("C", "R04")]
    found = [d for d in lint_sources(sources) if d.code == "IW502"]
    assert [d.item_id for d in found] == ["R04"] and "R01 to R04" in found[0].message


def test_cross_item_cue_and_enemies() -> None:
    quiz = item(id="Q1", stem=W4_STEM, options=W4, answer="B", rationale=W4_RAT)
    tells = item(
        id="Q2",
        stem="After Leo Grant completes Form W-4, what does the practice use it to figure?\nWhich amount is it?",
    )
    found = [d for d in lint_sources([quiz, tells]) if d.code == "IW505"]
    assert [(d.item_id, d.line, d.column) for d in found] == [("Q1", 11, 6)] and "Q2" in found[0].message
    one_way = item(id="Q1", stem=W4_STEM, options=W4, answer="B", rationale=W4_RAT, enemies=["Q2"])
    assert not [d for d in lint_sources([one_way, tells]) if d.code == "IW505"]


def test_numeric_keys_do_not_cue_other_items() -> None:
    other = item(id="Q2", stem="An employee earns $828.00 in a week. " + FIELDS["stem"].split("\n")[1])
    assert not [d for d in lint_sources([item(id="Q1"), other]) if d.code == "IW505"]


def test_bank_rule_suppression_is_used_and_judged_only_for_the_whole_bank() -> None:
    reason = '"The item teaches the form by name; the other item never shares its form."'
    quiz = item(id="Q1", stem=W4_STEM, options=W4, answer="B", rationale=W4_RAT, suppress={"IW505": reason})
    tells = item(id="Q2", stem="After Leo Grant completes Form W-4, what is his gross pay for a 44-hour week?")
    assert not [d for d in lint_sources([quiz, tells]) if d.code in ("IW505", "IW901")]
    files = [item_file(quiz, "q1")]
    settings = build_settings({})
    assert [d.code for d in lint_bank(files, settings, whole_bank=True)] == ["IW901"]
    assert lint_bank(files, settings, whole_bank=False) == []
    assert lint_file(files[0], settings) == []  # per-file linting leaves bank-rule suppressions alone


def test_negative_stem_share() -> None:
    neg = FIELDS["stem"].replace("what is Jordan's gross pay", "which amount is NOT Jordan's gross pay")
    sources = [item(id=f"N{i}", stem=neg if i < 3 else FIELDS["stem"]) for i in range(20)]
    found = [d for d in lint_sources(sources) if d.code == "IW504"]
    assert len(found) == 1 and "3 of 20 items (15%)" in found[0].message and found[0].item_id == "N0"
    assert not [d for d in lint_sources(sources, {"options": {"IW504": {"max-share": 0.2}}}) if d.code == "IW504"]


def test_bank_rules_skip_items_that_failed_validation() -> None:
    from lintcheck import OUTLINE

    from cmas_bank.loader import LoadedFile, load_bytes
    from cmas_bank.validate import validate_loaded

    broken = validate_loaded(load_bytes(b"id: [unclosed\n", LoadedFile(path=None, display="x.yaml")), OUTLINE)  # type: ignore[arg-type]
    assert broken.item is None
    assert lint_file(broken) == [] and lint_bank([broken]) == []
    assert math.isfinite(chi_square_p([0, 0, 0, 0]))


def test_one_word_keys_count_when_configured() -> None:
    opts = {"A": "Copayment", "B": "Deductible", "C": "Premium", "D": "Coinsurance"}
    rat = "The deductible (B) is paid first each year; a copayment (A), the premium (C) and coinsurance (D) are other costs."
    quiz = item(
        id="Q1",
        stem="What does a patient pay each year before the plan starts to pay?",
        options=opts,
        answer="B",
        rationale=rat,
    )
    tells = item(id="Q2", stem="Jordan met the deductible in March. " + FIELDS["stem"].split("\n")[1])
    assert not [d for d in lint_sources([quiz, tells]) if d.code == "IW505"]
    conf = {"options": {"cross-item-cue": {"min-words": 1, "min-chars": 5}}}
    assert [d.item_id for d in lint_sources([quiz, tells], conf) if d.code == "IW505"] == ["Q1"]


def test_cross_item_cue_kept_between_runs_equals_a_fresh_run() -> None:
    """IW505 keeps which key phrases each stem holds; after edits it scans only the changed stems
    (and looks for new phrases in the kept ones). Each step must equal a run from scratch."""
    from cmas_bank.lint import BankMemo, bank_features, lint_bank_items

    settings = build_settings({})
    w2 = {"A": "Form W-2 copy", "B": "Form 941 return", "C": "Form 940 return", "D": "Schedule H filing"}
    bank = {
        "Q1": item(id="Q1", stem=W4_STEM, options=W4, answer="B", rationale=W4_RAT),
        "Q2": item(id="Q2", stem="Leo Grant asks which document shows his yearly wages. Which is it?"),
        "Q3": item(id="Q3", stem="Which wage statement does an employer send each January? Name it."),
    }
    memo = BankMemo(changed=None)

    def step(edits: dict[str, str | None]) -> list[str | None]:
        for name, source in edits.items():
            if source is None:
                del bank[name]
            else:
                bank[name] = source
        items = [bank_features(item_file(s, n)) for n, s in sorted(bank.items())]
        memo.changed = frozenset(f"{n}.yaml" for n in edits) if memo.state else None
        kept = lint_bank_items(items, settings, memo=memo)  # type: ignore[arg-type]
        fresh = lint_bank_items(items, settings)  # type: ignore[arg-type]
        assert [(d.item_id, d.message) for d in kept if d.code == "IW505"] == [
            (d.item_id, d.message) for d in fresh if d.code == "IW505"
        ]
        return [d.item_id for d in kept if d.code == "IW505"]

    assert step({}) == []
    # a stem edit: Q2's stem now names Q1's key (and a phrase that is no item's key yet)
    q2 = item(id="Q2", stem="Leo Grant has handed in Form W-4 and asks about the Form 941 return. Which one?")
    assert step({"Q2": q2}) == ["Q1"]
    # a key edit: Q3's new key is that phrase, found in Q2's kept stem without scanning it again
    q3 = item(
        id="Q3",
        stem="Which return reports payroll taxes each quarter? Name it.",
        options=w2,
        answer="B",
        rationale="Form 941 return (B) is quarterly. Form W-2 copy (A), Form 940 return (C) and Schedule H filing (D) are not.",
    )
    assert step({"Q3": q3}) == ["Q1", "Q3"]
    # the teller goes away: nothing is cued any more
    assert step({"Q2": None}) == []
