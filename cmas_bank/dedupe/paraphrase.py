"""Possible paraphrases (ID103): reworded copies that the lexical score of ID102 cannot confirm.

A reworded copy keeps what a writer does not reword: the four options and the key. The lexical
score (`verify.py`) misses copies that swap several everyday words for ones no synonym set joins
("hands the front desk" / "gives the receptionist"), or reword the question itself ("Where
should she discard the syringe?" / "Where should the syringe be thrown away?"), because its
question coverage must also keep out hard negatives: the same scenario and options asking
another question with the same key. This pass starts from the options instead:

1. **Candidates**: items with the same key text and the same set of option texts (plain words,
   order ignored), grouped with a dict: linear, and only items whose key another item has are
   looked at.
2. **Figures**: the stems must state the same numbers. A calculation that reaches the same key
   from other figures (46 hours at $20, or 40 hours and a $180 bonus: both $980) is another
   question.
3. **The same people**: when both stems name people, at least `SAME_PEOPLE` of the shorter list
   of proper names is in the other. A reworded copy is about the same person; a copy that also
   renames its people is for ID102 to find. Capitalised words count as names, so the shorter
   list must be in the longer one, not the lists alike: a copy may write a capitalised term in
   lower case ("Notice of Privacy Practices" / "privacy notice"). The people both name are then
   read as one placeholder.
4. **Stem similarity** of the content words of at least `MIN_SIMILARITY`: more than half the
   words of a stem may be reworded, not the whole stem. The masked word bags, which every item
   has, filter first (`SLACK`), so most candidates cost no more.
5. **The shape of a rewording**, not of a hard negative (`_reworded`). A hard negative keeps the
   scenario (every sentence but the last) and asks another question; a rewording changes the
   wording of both, or keeps the scenario and swaps a few words of the question:
   - a scenario **kept** (`KEPT_SCENARIO`: the shorter one's content words nearly all in the
     other, so a sentence added to it still counts as kept), or a stem of one sentence: the
     question may swap at most `FEW_WORDS` content words each way, a verb or phrase reworded
     ("discard" / "thrown away", "total" / "gross"), not another thing asked ("How much should
     the cheque to replenish the fund be?" / "How much was paid out of the fund during the
     month?");
   - a scenario **reworded**, not replaced: `MIN_SCENARIO` when the question is reworded too (a
     heavy rewording changes both), `REPLACED_SCENARIO` when the question is kept (the same
     question in another scenario is for ID102 to judge);
   - a scenario **folded** into the question, not added: `FOLDED`, or `ADDED_SCENARIO` when the
     question without a scenario is the other's question.

What passes is reported as a warning for a person to review, never as an error: its evidence is
mostly the options, and step 5 is a heuristic on the shape of the change, not on its meaning.
Measured (README): on the project corpus's heavy rewordings (several phrases swapped at once)
recall goes from 0.10 (ID102) to 0.69 (with ID103), with 1 of its 36 hard negatives reported;
on the independent corpus reworded copies go from 0.18 to 1.00; on the synthetic bank of 10,000
items it adds a few pairs outside the ground truth (the same question in two scenarios).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from cmas_bank.dedupe.entries import Entry, Phrasing
from cmas_bank.dedupe.settings import DedupeSettings
from cmas_bank.dedupe.text import NAME
from cmas_bank.dedupe.verify import Match

MIN_SIMILARITY = 0.4
"""Least content-word similarity of two stems (Dice of the bags, the people both name left out)
for a possible paraphrase."""
KEPT_SCENARIO = 0.8
"""Share of the shorter scenario's content words that the other scenario has from which the
scenario counts as kept (only the question changed, or a sentence added to the scenario)."""
FEW_WORDS = 2
"""With the scenario kept, the most content words the question may drop, and add."""
MIN_SCENARIO = 0.3
"""Least content-word similarity (Dice) of two scenarios whose questions differ too: a heavy
rewording rewords its scenario, it does not replace it."""
REPLACED_SCENARIO = 0.45
"""Least content-word similarity of two scenarios when the question is kept: the same question in
another scenario is for ID102 to judge, so the scenario must carry the evidence."""
SLACK = 0.05
"""How far below `MIN_SIMILARITY` the similarity of the masked word bags (stop words kept) may
be: a quick filter before the content words are computed. On the labelled corpora it drops no
pair that the pass reports (as measured with a slack of 0.4)."""
FOLDED = 0.6
"""Least stem similarity when only one stem has a scenario: a copy that folds its scenario into
the question keeps most of its words."""
ADDED_SCENARIO = 0.8
"""Least stem similarity when only one stem has a scenario and the questions are the same: a
question with a scenario added (or dropped) is another item unless little was added."""
SAME_PEOPLE = 0.75
"""Least share of the shorter list of proper names that the other stem names too, when both stems
name some. Capitalised words count, so the list may hold terms ("Notice of Privacy Practices")
that a copy writes in lower case: the shorter list must be (mostly) in the longer one, not the
two lists alike."""
REASON = "same options, key and figures; stem reworded"


def option_set_groups(entries: Sequence[Entry], wanted: set[int] | None = None) -> list[list[Entry]]:
    """The groups of two or more items with the same key text and the same set of option texts
    (with a member in `wanted`, when given): the pass pairs within each (`candidates.group_pairs`:
    a group larger than `BUCKET_LIMIT` is blocked as LSH groups are, so the work stays linear). A
    group's option sets are made while it is grouped and not kept."""
    by_key: dict[tuple[str, ...], list[Entry]] = {}
    for e in entries:
        if e.key_plain is not None and e.options:
            by_key.setdefault(e.key_plain, []).append(e)
    groups: list[list[Entry]] = []
    for sharing in by_key.values():
        if len(sharing) < 2 or (wanted is not None and not any(e.index in wanted for e in sharing)):
            continue
        by_options: dict[frozenset[str], list[Entry]] = {}
        for e in sharing:
            by_options.setdefault(e.option_set, []).append(e)
        groups.extend(members for members in by_options.values() if len(members) > 1)
    return groups


def _dice(a: Sequence[str], b: Sequence[str]) -> float:
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))


def possible_paraphrase(a: Entry, b: Entry, settings: DedupeSettings) -> Match | None:
    """Whether two items with the same options and key are possibly one question reworded (see
    the module docstring), and how close their stems are."""
    from rapidfuzz.distance import Indel

    if a.stem_plain == b.stem_plain or a.figures != b.figures:
        return None
    if Indel.normalized_similarity(a.stem_bag, b.stem_bag) < MIN_SIMILARITY - SLACK:
        return None  # cheap: the masked word bags, which every item has, tell most pairs apart
    wa, wb = a.phrasing, b.phrasing
    if not wa.bag or not wb.bag:
        return None
    shared = wa.people & wb.people
    if wa.people and wb.people and len(shared) < SAME_PEOPLE * min(len(wa.people), len(wb.people)):
        return None  # about other people: another scenario, not this one reworded
    if shared:
        wa, wb = _unnamed(wa, shared), _unnamed(wb, shared)
    similarity = _dice(wa.bag, wb.bag)
    if similarity < MIN_SIMILARITY or not _reworded(wa, wb, similarity):
        return None
    weight = settings.effective_stem_weight
    return Match(
        score=weight * similarity + (1 - weight), stem_similarity=similarity, option_similarity=1.0, reason=REASON
    )


def _unnamed(w: Phrasing, names: frozenset[str]) -> Phrasing:
    """`w` with the words of `names` read as one `NAME` (however many words and mentions): that
    both stems are about the same people is one piece of evidence, and the people matter in a
    hard negative as much as in a copy."""

    def read(words: Collection[str]) -> list[str]:
        kept = [x for x in words if x not in names]
        return [*kept, NAME] if len(kept) < len(words) else kept

    return Phrasing(w.people, tuple(sorted(read(w.bag))), tuple(sorted(read(w.scenario))), frozenset(read(w.question)))


def _contained(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of the smaller bag's words that the other bag has (counted with repeats), the
    people both name (`NAME`) left out: they are kept in a rewording too."""
    ca, cb = Counter(a), Counter(b)
    del ca[NAME], cb[NAME]
    smaller = min(ca.total(), cb.total())
    return (ca & cb).total() / smaller if smaller else 0.0


def _reworded(wa: Phrasing, wb: Phrasing, similarity: float) -> bool:
    """Whether the change between two stems has the shape of a rewording, not of a hard negative:

    - a scenario kept (`KEPT_SCENARIO`: most of the shorter one's words in the other) with a
      question that swaps at most `FEW_WORDS` content words each way, not one that asks another
      thing (the same scenario asking another question is the hard negative's shape);
    - a scenario reworded, not replaced: `MIN_SCENARIO` when the question is reworded too (a heavy
      rewording changes both), `REPLACED_SCENARIO` when the question is kept (the same question in
      another scenario is for ID102 to judge);
    - a scenario folded into the question, not added: the stems' similarity at least `FOLDED`, or
      `ADDED_SCENARIO` when the question without a scenario is the other's question."""
    qa, qb = wa.question, wb.question
    same_question = len(qa - qb) <= FEW_WORDS and len(qb - qa) <= FEW_WORDS
    if wa.scenario and wb.scenario:
        if _contained(wa.scenario, wb.scenario) >= KEPT_SCENARIO:
            return same_question
        return _dice(wa.scenario, wb.scenario) >= (REPLACED_SCENARIO if same_question else MIN_SCENARIO)
    if wa.scenario or wb.scenario:
        return similarity >= (ADDED_SCENARIO if same_question else FOLDED)
    return same_question
