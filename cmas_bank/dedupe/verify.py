"""Scoring a candidate pair, and the answer gate that keeps hard negatives out.

score = stem-weight x stem similarity + (1 - stem-weight) x option similarity, where the stem
similarity compares the stems' content words as bags (`lexicon.py`: stemmed, synonyms read alike,
stop words out, numbers and dates masked, order ignored: reordered sentences, another voice and a
folded scenario score 1; each word swapped for a non-synonym costs about 2/length), capped by the
question coverage (each stem's question must be in the other stem), and the option similarity
matches each option to its closest counterpart (shuffled options score 1, one replaced
distractor about 0.8).

Two guards keep hard negatives out. The answer gate: a near duplicate must have the same key
text, or be a calculation with other figures (stems equal once numbers are masked, both keys
quantities), or have the same stem; the same scenario asking for a different UB-04 form locator
shares nearly every word, but not the key. The question coverage: the same scenario and options
asking another question with the same key (the first HIPAA access deadline and the length of its
one extension are both 30 days) passes the gate, but its question has words the other stem
lacks.
"""

from __future__ import annotations

from collections.abc import Collection, Container
from dataclasses import dataclass

from cmas_bank.dedupe.entries import ContentView, Entry
from cmas_bank.dedupe.settings import DedupeSettings


@dataclass(frozen=True)
class Match:
    score: float
    stem_similarity: float
    option_similarity: float
    reason: str


EXACT = Match(1.0, 1.0, 1.0, "exact")


def option_similarity(a: Entry, b: Entry) -> float:
    """How alike the option sets are, order ignored: each option is matched to its closest
    counterpart in the other item, both ways, and the similarities averaged."""
    from rapidfuzz.distance import Indel

    xs, ys = a.options_masked, b.options_masked
    if not xs or not ys:
        return 1.0 if xs == ys else 0.0
    sim = Indel.normalized_similarity
    rows = [max(sim(x, y) for y in ys) for x in xs]
    cols = [max(sim(x, y) for x in xs) for y in ys]
    return (sum(rows) + sum(cols)) / (len(rows) + len(cols))


def coverage(question: Collection[str], words: Container[str]) -> float:
    """The share of a question's distinct content words that the other stem has (1 for no
    words), light words ("office", "use": `lexicon.LIGHT`) left out."""
    from cmas_bank.dedupe.lexicon import light_words

    light = light_words()
    asked = [w for w in question if w not in light]
    return sum(1 for w in asked if w in words) / len(asked) if asked else 1.0


def stem_similarity(a: Entry, b: Entry) -> float:
    """How alike two stems are in what they say: the similarity of their content-word bags
    (Dice, in C: synonyms, voice, clause order and a folded scenario cost nothing), capped by how
    much of each one's question the other stem covers (the lower of the two), which a hard
    negative that keeps the scenario and asks another question loses: its question has words the
    other stem lacks, even when it only adds a condition ("... when the parents were born in
    different years?"). When either stem has proper names, the same is measured with names read
    as one placeholder, and the higher of the two counts (a copy may rename its people, or write
    them in lower case, where they are not recognised). Stems without content words fall back to
    their masked word bags."""
    from rapidfuzz.distance import Indel

    if not a.content_bag or not b.content_bag:
        return Indel.normalized_similarity(a.stem_bag, b.stem_bag)
    similarity = _view_similarity(a.content, b.content)
    if similarity < 1.0 and (a.renamed_content is not None or b.renamed_content is not None):
        renamed = _view_similarity(a.renamed_content or a.content, b.renamed_content or b.content)
        similarity = max(similarity, renamed)
    return similarity


def _view_similarity(a: ContentView, b: ContentView) -> float:
    from rapidfuzz.distance import Indel

    bags = Indel.normalized_similarity(a.bag, b.bag)
    if bags == 0.0:
        return 0.0
    return min(bags, coverage(a.question, b), coverage(b.question, a))


def numeric_keys(a: Entry, b: Entry) -> bool:
    """Keys that agree once numbers are masked, or are both quantities ("61 to 90 days", "over
    120 days"): with stems that differ only in numbers, such items are one calculation with other
    figures. Keys without numbers that differ ("diagnosis codes" for item 21, "billing provider"
    for item 33) mean the number in the stem named a different thing: not a copy."""
    if a.key_masked is None or b.key_masked is None:
        return False
    return a.key_masked == b.key_masked or (a.numeric_key and b.numeric_key)


def compare(a: Entry, b: Entry, settings: DedupeSettings, generic: Collection[str] = ()) -> Match | None:
    """Whether two items are near duplicates, and how close they are.

    Two items whose stem is one of the `generic` ones (the plain words of a stem that many items
    share, such as "Which of the following is correct?") are judged on their options alone: the
    stem says nothing about which question they ask, and would otherwise lend every such pair
    most of the threshold."""
    same_stem = a.stem_plain == b.stem_plain
    if same_stem and a.stem_plain in generic:
        return _generic_stem(a, b, settings)
    weight = settings.effective_stem_weight
    stem_sim = stem_similarity(a, b) if not same_stem else 1.0
    if weight * stem_sim + (1 - weight) < settings.near_threshold:
        return None  # even identical options could not lift it over the threshold
    if settings.uses_answer:
        if a.key_plain is not None and a.key_plain == b.key_plain:
            reason = "same answer"
        elif a.stem_bag == b.stem_bag and numeric_keys(a, b):
            reason = "only numbers or dates differ"
        elif same_stem:
            reason = "same stem, different answer"
        else:
            return None
    else:
        reason = "same stem" if same_stem else "similar stem"
    opt_sim = option_similarity(a, b) if settings.uses_options else 1.0
    score = weight * stem_sim + (1 - weight) * opt_sim
    if score < settings.near_threshold:
        return None
    return Match(score=score, stem_similarity=stem_sim, option_similarity=opt_sim, reason=reason)


def _generic_stem(a: Entry, b: Entry, settings: DedupeSettings) -> Match | None:
    """Two items with the same generic stem: near duplicates when their options alone reach the
    threshold (without options among the fields, only exact duplicates are reported)."""
    if not settings.uses_options:
        return None
    opt_sim = option_similarity(a, b)
    if opt_sim < settings.near_threshold:
        return None
    differ = settings.uses_answer and (a.key_plain is None or a.key_plain != b.key_plain)
    reason = "same generic stem, alike options" + (", different answer" if differ else "")
    return Match(score=opt_sim, stem_similarity=1.0, option_similarity=opt_sim, reason=reason)
