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
3. **The same people**: when both stems name people, at least `SAME_PEOPLE` of their proper
   names are shared. A reworded copy is about the same person; a copy that also renames its
   people is for ID102 to find.
4. **Stem similarity** of the content words (names read as one placeholder) of at least
   `MIN_SIMILARITY`: half the words of a stem may be reworded, not the whole stem. The masked
   word bags, which every item has, filter first (`SLACK`), so most candidates cost no more.
5. **The shape of a rewording**, not of a hard negative (`_reworded`): a scenario (every
   sentence but the last) reworded, not replaced (`MIN_SCENARIO`: the same question in another
   scenario is for ID102 to judge); a scenario folded into the question (`FOLDED`), not added;
   and when the scenario is kept (`KEPT_SCENARIO`, or a stem of one sentence) and only the
   question changed, a question that swaps at most `FEW_WORDS` content words each way: a verb
   or phrase reworded ("discard" / "thrown away", "total" / "gross"), not another thing asked
   ("How much should the cheque to replenish the fund be?" / "How much was paid out of the fund
   during the month?").

What passes is reported as a warning for a person to review, never as an error: its evidence is
mostly the options, and step 5 is a heuristic on the shape of the change, not on its meaning.
Measured (README): on the independent corpus, recall of reworded copies goes from 0.18 (ID102)
to 1.00 (with ID103), with one more hard negative of 49 reported for review; on the synthetic
bank of 10,000 items it adds ten pairs outside the ground truth (the same question in two
scenarios) and about a fifth to dedupe's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cmas_bank.dedupe.candidates import Pairs, group_pairs
from cmas_bank.dedupe.entries import Entry, Phrasing
from cmas_bank.dedupe.settings import DedupeSettings
from cmas_bank.dedupe.verify import Match

MIN_SIMILARITY = 0.5
"""Least content-word similarity of two stems (Dice of the bags) for a possible paraphrase."""
KEPT_SCENARIO = 0.8
"""Content-word similarity from which a scenario counts as kept (only the question changed)."""
FEW_WORDS = 2
"""With the scenario kept, the most content words the question may drop, and add."""
MIN_SCENARIO = 0.45
"""Least content-word similarity of two scenarios: a reworded copy rewords its scenario, it does
not replace it (the same question in another scenario is for ID102 to judge)."""
SLACK = 0.05
"""How far below `MIN_SIMILARITY` the similarity of the masked word bags (stop words kept) may
be: a quick filter before the content words are computed. On the labelled corpora every pair this
pass reports has at least 0.49 there."""
FOLDED = 0.8
"""Least stem similarity when only one stem has a scenario: a copy that folds its scenario into
the question keeps its words; a question with a scenario added (or dropped) is another item."""
SAME_PEOPLE = 0.5
"""Least share of proper names (Jaccard) two stems that both name people must have in common."""
REASON = "same options, key and figures; stem reworded"


def option_set_candidates(entries: Sequence[Entry], queries: Iterable[Entry] | None = None) -> Pairs:
    """Pairs of items with the same key text and the same set of option texts (with a member of
    `queries`, when given). A group larger than `candidates.BUCKET_LIMIT` is blocked as LSH
    groups are, so the work stays linear."""
    wanted = None if queries is None else {e.index for e in queries}
    pairs: Pairs = set()
    for members in option_set_groups(entries, wanted):
        pairs |= group_pairs(members, wanted)
    return pairs


def option_set_groups(entries: Sequence[Entry], wanted: set[int] | None = None) -> list[list[Entry]]:
    """The groups of two or more items with the same key text and the same set of option texts
    (with a member in `wanted`, when given): `option_set_candidates` pairs within each. A group's
    option sets are made while it is grouped and not kept."""
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
    if wa.people and wb.people and len(wa.people & wb.people) < SAME_PEOPLE * len(wa.people | wb.people):
        return None  # about other people: another scenario, not this one reworded
    similarity = _dice(wa.bag, wb.bag)
    if similarity < MIN_SIMILARITY or not _reworded(wa, wb, similarity):
        return None
    weight = settings.effective_stem_weight
    return Match(
        score=weight * similarity + (1 - weight), stem_similarity=similarity, option_similarity=1.0, reason=REASON
    )


def _reworded(wa: Phrasing, wb: Phrasing, similarity: float) -> bool:
    """Whether the change between two stems has the shape of a rewording: a scenario reworded
    (not replaced), folded into the question (not added), or kept with a question that swaps a few
    words (not one that asks another thing)."""
    if wa.scenario and wb.scenario:
        scenario = _dice(wa.scenario, wb.scenario)
        if scenario < MIN_SCENARIO:
            return False  # the scenario replaced, not reworded
        kept = scenario >= KEPT_SCENARIO
    elif wa.scenario or wb.scenario:
        if similarity < FOLDED:
            return False  # a scenario added, not folded into the question
        kept = False
    else:
        kept = True
    qa, qb = wa.question, wb.question
    # the same scenario asking another question is the hard negative's shape
    return not kept or (len(qa - qb) <= FEW_WORDS and len(qb - qa) <= FEW_WORDS)
