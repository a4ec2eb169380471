"""IW3xx: cues to the test-wise candidate, who finds the key from the item's form rather than
its content (NBME: "technical item flaws" of the testwiseness kind)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import pairwise

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.options import ABSOLUTES
from cmas_bank.lint.synonyms import stem as _stem
from cmas_bank.lint.text import (
    ARTICLES,
    DOMAIN_COMMON,
    STOPWORDS,
    WORD,
    fold,
    number_value,
    phrase_pattern,
    stem_word,
    takes_an,
    without_articles,
    words,
)


def key_is_longest(ctx: ItemContext, ratio: float, min_length: int, min_difference: int = 0) -> bool:
    """Whether the key is the uniquely longest option by `ratio` and by `min_difference`
    characters (shared with IW503)."""
    if ctx.numbers is not None:
        return False
    key_len = len(ctx.options[ctx.key].strip())
    longest_other = max(len(v.strip()) for v in ctx.distractors.values())
    return (
        key_len >= min_length
        and key_len > longest_other
        and key_len >= ratio * longest_other
        and key_len - longest_other >= min_difference
    )


@rule("IW301", "key-longest", Severity.WARNING, ratio=1.25, min_length=20, min_difference=8)
def key_longest(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The key is the longest option by a clear margin.

    What: the key has at least `min-length` characters and is at least `ratio` times as long
    as the longest distractor and `min-difference` characters longer ("complete blood count"
    against "four times a day" is not a cue). Numeric options are skipped.

    Why: writers qualify the right answer until it is unassailable and leave the distractors
    short, so "pick the longest" is one of the oldest test-taking tricks (Haladyna et al.
    2002: keep options about equal in length).

    Bad:
        A: Fax it
        B: Mail it
        C: Send it through the patient portal after verifying the requester's identity
        answer: C

    Good:
        (distractors as specific as the key, or a shorter key)
    """
    if key_is_longest(ctx, opts["ratio"], opts["min-length"], opts["min-difference"]):
        longest_other = max(len(v.strip()) for v in ctx.distractors.values())
        key_len = len(ctx.options[ctx.key].strip())
        yield Finding(
            ("options", ctx.key),
            f"the key ({ctx.key}, {key_len} characters) is {key_len / longest_other:.2f} times as long as the "
            f"longest distractor ({longest_other}); lengthen the distractors or shorten the key",
        )


_ARTICLE_END = re.compile(r"\b(?P<article>an?)\s*(?:(?:_+|\.\.\.|…|:)\s*)?$", re.IGNORECASE)


@rule("IW302", "grammatical-cue", Severity.WARNING)
def grammatical_cue(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The stem ends in "a" or "an" and only the key fits it.

    What: a completion stem ending in the article "a" or "an" where the key is the only
    option that reads correctly after it ("an" before a vowel sound, "a" before a consonant
    sound; acronyms read as words, such as HIPAA or HCPCS, by their first sound). Also a
    question that asks for several things ("Which two parts...?") where only the key names
    more than one ("Parts A and B" among "Part C", "Part D"), and a completion stem ending in a
    verb ("... are", "... is:") with which only the key agrees in number.

    Why: the grammar of the stem gives the answer away; every option must follow the stem
    grammatically (NBME: grammatical cues).

    Bad:
        stem: The form a patient signs so the insurer pays the physician directly is an
        options: {A: assignment of benefits, B: waiver, C: release, D: referral}
        answer: A

    Good:
        stem: Which form does a patient sign so the insurer pays the physician directly?
    """
    stem = ctx.item.stem.rstrip()
    tail_at = max(0, len(stem) - 12)  # the pattern is anchored at the end: search only the tail
    m = _ARTICLE_END.search(stem, tail_at)
    if not m:
        plural = _only_key_plural(ctx) or _only_key_agrees(ctx)
        if plural:
            yield plural
        return
    want_an = m.group("article").lower() == "an"
    fits = {}
    for k, v in ctx.options.items():
        first = WORD.search(v)
        fits[k] = first is not None and takes_an(first.group(0)) == want_an
    if fits[ctx.key] and not any(fits[k] for k in ctx.distractors):
        yield Finding(
            ("stem",),
            f'the stem ends in "{m.group("article")}" and only the key ({ctx.key}) fits it; end the stem with "a(n)" or rephrase as a question',
            m.start("article"),
            m.end("article"),
        )


_VERB_END = re.compile(r"\b(?P<verb>is|are|was|were|include|includes)\s*(?:(?:_+|\.\.\.|…|:)\s*)?$", re.IGNORECASE)


def _is_plural(text: str) -> bool:
    """Whether an option reads as plural: two things joined ("gloves and gown") or a last word in
    -s that is not -ss, -us, -is or a possessive."""
    ws = words(text)
    if not ws:
        return False
    if "and" in ws[1:-1]:
        return True
    last = ws[-1]
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "'s", "’s")) and len(last) > 3


def _only_key_agrees(ctx: ItemContext) -> Finding | None:
    """A completion stem that ends in a verb ("... are", "... is:") with which only the key
    agrees in number: the grammar picks it."""
    stem = ctx.item.stem.rstrip()
    m = _VERB_END.search(stem, max(0, len(stem) - 16))
    if not m:
        return None
    want_plural = m.group("verb").lower() in ("are", "were", "include")
    agrees = {k: _is_plural(v) == want_plural for k, v in ctx.options.items()}
    if not agrees[ctx.key] or any(agrees[k] for k in ctx.distractors):
        return None
    return Finding(
        ("stem",),
        f'the stem ends in "{m.group("verb")}" and only the key ({ctx.key}) agrees with it in number; '
        "make every option agree, or ask a question",
        m.start("verb"),
        m.end("verb"),
    )


_ASKS_SEVERAL = re.compile(r"\b(?:which|what)\s+(?:two|three|four|pair\s+of|both)\b", re.IGNORECASE)
_SEVERAL = re.compile(r"\s(?:and|&)\s|,\s*\S")


def _only_key_plural(ctx: ItemContext) -> Finding | None:
    """The question asks for several things ("Which two parts...?") and only the key names more
    than one ("Parts A and B" among "Part C", "Part D"): the number, not the content, picks it."""
    lead, offset = ctx.lead_in
    m = _ASKS_SEVERAL.search(lead)
    if not m or not _SEVERAL.search(ctx.options[ctx.key]):
        return None
    if any(_SEVERAL.search(v) for v in ctx.distractors.values()):
        return None
    return Finding(
        ("stem",),
        f'the question asks for "{m.group(0)}" and only the key ({ctx.key}) names more than one; '
        "make every option name as many",
        offset + m.start(),
        offset + m.end(),
    )


# Stop words for echoes: the lead-in's own nouns ("statement") are words a key can echo.
_ECHO_STOP = STOPWORDS - {"statement", "statements", "describe", "describes"}


# Adverb particles that make a compound noun of a verb ("out of the file room" -> "out guide",
# "explain it back" -> "teach-back"): short stop words that still carry the echo.
_PARTICLES = frozenset({"out", "back", "off", "up", "down", "over"})


def _echo_content(ctx: ItemContext) -> dict[str, set[str]]:
    """Each option's word stems that can echo the stem (`_ECHO_STOP` left out, and numbers),
    with the parts of hyphenated words that are particles ("teach-back": "back")."""
    out = {}
    for k, ws in ctx.option_words.items():
        found = {stem_word(w) for w in ws if w not in _ECHO_STOP and not w.isdigit()}
        found |= {p for w in ws for p in w.split("-") if p in _PARTICLES}
        out[k] = found
    return out


def _distractor_in_stem(ctx: ItemContext) -> bool:
    """Whether a distractor's whole text stands in the stem ("paid in May" when May is an
    option): stop words included, so a month or a short name counts as an echo too."""
    stem = " " + " ".join(ctx.stem_words) + " "
    for k in ctx.distractors:
        ws = ctx.option_words[k]
        if ws and any(len(w) >= 3 for w in ws) and f" {' '.join(ws)} " in stem:
            return True
    return False


def _pairs(ws: list[str], ignore: AbstractSet[str]) -> set[tuple[str, str]]:
    """Adjacent pairs of content words (stemmed), neither a stop word nor common in the bank."""
    stems = [stem_word(w) if w not in _ECHO_STOP and not w.isdigit() else "" for w in ws]
    return {(a, b) for a, b in pairwise(stems) if a and b and a not in ignore and b not in ignore}


def _phrase_echo(ctx: ItemContext, ignore: AbstractSet[str]) -> set[str]:
    """The stems of a two-word phrase of the stem that the key repeats and no distractor does."""
    stem_pairs = _pairs(ctx.stem_words, ignore)
    found = _pairs(ctx.option_words[ctx.key], ignore) & stem_pairs
    if not found or any(_pairs(ctx.option_words[k], ignore) & stem_pairs for k in ctx.distractors):
        return set()
    return {w for pair in found for w in pair}


@rule("IW303", "stem-word-in-key", Severity.WARNING, min_length=4, ignore_words=[])
def stem_word_in_key(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """A distinctive stem word is repeated in the key and in no distractor.

    What: a word of the stem (at least `min-length` letters, not a stop word, not a word
    common to every item of a medical-office bank such as "patient" or "claim", and not in
    `ignore-words`) appears, in any form, in the key, while no distractor repeats any word of
    the stem. When distractors echo the stem as well, the key does not stand out, unless the key
    alone repeats a two-word phrase of the stem ("an electronic remittance" and "Electronic
    remittance advice"); a distractor whose whole text stands in the stem ("paid in May", when
    May is an option) counts as an echo even when it is a stop word. Particles that make compound
    nouns (out, back, off, up, down, over: "out of the file room" and "out guide") count as
    words despite their length. "In any form": the crude stem of `stem_word`, and for words of
    six letters or more their Snowball stem as well ("authorizes" and "authorization",
    "verify" and "verification"); the parts of hyphenated words count as words ("follow-up").

    Why: the "clang association": a candidate who matches words between stem and options
    picks the key without the knowledge the item tests (NBME: word repeats).

    Bad:
        stem: Which document authorizes the release of records to an attorney?
        answer: "A signed authorization"

    Good:
        stem: Which document must the office have before it releases records to an attorney?
    """
    shared = _key_echoes(ctx, opts)
    if not shared:
        return
    key_text = ctx.options[ctx.key]
    for m in WORD.finditer(key_text):
        w = words(m.group(0))[0] if words(m.group(0)) else ""
        if w and _forms(w, 1) & shared and (w not in _ECHO_STOP or w in _PARTICLES):
            yield Finding(
                ("options", ctx.key),
                f'the key repeats the stem word "{m.group(0)}" and no distractor echoes the stem; reword the key or use the word in a distractor',
                m.start(),
                m.end(),
            )
            return


def _key_echoes(ctx: ItemContext, opts: Options) -> set[str]:
    """The word forms of the stem that IW303 finds echoed by the key alone (see the rule)."""
    ignore = _ignored_forms(tuple(opts["ignore-words"]))
    min_length = opts["min-length"]
    long_words = [w for w in ctx.stem_words if len(w) >= min_length and w not in _ECHO_STOP and not w[0].isdigit()]
    particles = _PARTICLES & set(ctx.stem_words)
    stem_all = {f for w in long_words for f in _forms(w, min_length)} | particles
    if not stem_all:
        return set()
    content = {k: _option_forms(ws) for k, ws in ctx.option_words.items()}
    if any(content[k] & stem_all for k in ctx.distractors) or _distractor_in_stem(ctx):
        # distractors echo the stem too, so a word the key echoes does not single it out; a
        # phrase of the stem that only the key repeats still does ("electronic remittance")
        return _phrase_echo(ctx, ignore)
    return content[ctx.key] & ((stem_all - ignore) | particles)


@lru_cache(maxsize=16)
def _ignored_forms(ignore_words: tuple[str, ...]) -> frozenset[str]:
    """The forms of the words IW303 never counts: those common to the bank and `ignore-words`."""
    return frozenset(f for w in (*DOMAIN_COMMON, *(w.lower() for w in ignore_words)) for f in _forms(w, 1))


@lru_cache(maxsize=65536)
def _forms(word: str, min_length: int) -> frozenset[str]:
    """The forms IW303 matches a word by: the crude stem of the word and of each part of a
    hyphenated word at least `min_length` letters long that is not a stop word or a particle
    ("follow-up": "follow"; particles are matched where they stand alone), and for words of six letters or more their Snowball stem too (marked "~"), so
    "authorizes" meets "authorization" and "verify" "verification" (stems an "i" or an "e"
    apart meet: "verifi", "verif"); short words ("stop",
    "stopping") meet by the crude stem only, since they recur in plain speech."""
    parts = [word]
    if "-" in word:
        parts += [p for p in word.split("-") if len(p) >= min_length and p not in _ECHO_STOP and p not in _PARTICLES]
    return frozenset({stem_word(p) for p in parts} | {"~" + _stem(p).rstrip("ie") for p in parts if len(p) >= 6})


def _option_forms(ws: list[str]) -> set[str]:
    """An option's word forms that can echo the stem (`_ECHO_STOP` and numbers left out), with
    the parts of hyphenated words that are particles ("teach-back": "back")."""
    found = {f for w in ws if w not in _ECHO_STOP and not w.isdigit() for f in _forms(w, 1)}
    return found | {p for w in ws for p in w.split("-") if p in _PARTICLES}


HEDGES = (
    "may",
    "might",
    "usually",
    "generally",
    "often",
    "sometimes",
    "typically",
    "possibly",
    "probably",
    "likely",
    "in general",
    "in most cases",
)


@rule(
    "IW304", "absolute-hedge-cue", Severity.WARNING, min_distractors=2, absolutes=list(ABSOLUTES), hedges=list(HEDGES)
)
def absolute_hedge_cue(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Absolute terms only in distractors, or hedges only in the key.

    What: at least `min-distractors` distractors use an absolute term (from `absolutes`:
    always, never, only, all, none...) while the key uses none; or the key hedges (from
    `hedges`: may, might, usually, probably...) while no distractor does.

    Why: test-wise candidates know that absolute statements are usually false and qualified
    ones usually true, so the pattern points at the key without any content knowledge
    (Haladyna et al. 2002: avoid specific determiners).

    Bad:
        A: Records must never be released without consent
        B: Records may be released for treatment without authorization
        C: Only the patient may see the record
        answer: B

    Good:
        (the same qualification in every option, or none)
    """
    absolute = phrase_pattern(tuple(opts["absolutes"]))
    hedge = phrase_pattern(tuple(opts["hedges"]))
    joined = ctx.options_joined
    if not absolute.search(joined) and not hedge.search(joined):
        return
    key_text = ctx.options[ctx.key]
    if not absolute.search(key_text):
        hits = [(k, absolute.search(v)) for k, v in ctx.distractors.items()]
        found = [(k, m) for k, m in hits if m is not None]
        if len(found) >= opts["min-distractors"]:
            first, match = found[0]
            letters = ", ".join(k for k, _ in found)
            yield Finding(
                ("options", first),
                f"absolute terms appear only in distractors ({letters}), which cues the key; qualify every option alike",
                match.start(),
                match.end(),
            )
            return
    hedged = hedge.search(key_text)
    if hedged and not any(hedge.search(v) for v in ctx.distractors.values()):
        yield Finding(
            ("options", ctx.key),
            f'only the key hedges ("{hedged.group(0)}"), which cues it; qualify every option alike',
            hedged.start(),
            hedged.end(),
        )


def _content_pairs(ws: list[str]) -> set[tuple[str, str]]:
    """Each pair of content words that follow each other (stop words skipped, stems): the
    elements of an option in their order, so that "debit rent expense and credit cash" and
    "debit cash and credit rent expense" share their words but not their pairs."""
    stems = [stem_word(w) for w in ws if w not in STOPWORDS and not w.isdigit()]
    return set(pairwise(stems))


# Words that carry no element of an option's content: articles, copulas, pronouns and the
# prepositions that join elements. Directions and quantities ("more", "less", "before", "not")
# are elements: options are often built by turning them around.
_GLUE = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "be",
        "been",
        "it",
        "its",
        "her",
        "his",
        "their",
        "this",
        "that",
        "these",
        "those",
        "her",
        "him",
        "them",
        "they",
        "she",
        "he",
    ]
)


_ELEMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’/:]*(?:[-.][A-Za-z0-9'’/:]+)*")


@lru_cache(maxsize=4096)
def _elements(text: str) -> frozenset[str]:
    """The elements of an option for IW305's centre: its words without glue, hyphenated words
    split ("same-day": "same", "day"), number words as digits, each stemmed; a date, time or
    fraction ("3/17/2026", "9:30") is one element, and single letters are none."""
    out = set()
    for i, raw in enumerate(_ELEMENT.findall(fold(text))):
        if len(raw) == 1 and raw.isalpha():
            continue  # a letter ("Part A", "Hepatitis B") is a label, and letters recur by chance
        w = raw.lower()
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        elif w.endswith(("'", "’")):
            w = w[:-1]
        for part in w.split("-"):
            if part and part not in _GLUE:
                value = number_value(part)
                out.add(str(value) if value is not None else stem_word(part))
    return frozenset(out)


def _centre(ctx: ItemContext, margin: float) -> Finding | None:
    """IW305's second test: the key is the centre the distractors were built around. Each
    option's score is the mean, over its elements, of the number of other options that hold
    the element (elements every option holds left out): the test-wise "convergence strategy"
    picks the option whose elements recur most. When the four options are one template with the
    same number of words ("More sodium, less potassium", "More sodium, more potassium"...), an
    element is a word in its place, so that the values of each slot are compared (not when only
    numbers vary: "3 to 5", "3 to 7", "4 to 7" are candidate ranges). Reported when
    the key has two elements or more of its own, its score is at least 1.5 (each element recurs
    in half the other options on average), it beats every distractor's by `centre-margin`, and
    at least two distractors share an element with it: "12 months, not extended" among "6
    months, not extended", "27 months, not extended" and "12 months, extended". A key that a
    distractor holds whole with more added ("Every year" and "Every two years", "Wave
    scheduling" and "Modified wave scheduling") is not a centre. A full crossing of elements (every combination offered) has
    no centre: every option scores alike."""
    elements = {k: set(_elements(v)) for k, v in ctx.options.items()}
    slots = _slots(ctx)
    found = _centre_of(slots, ctx, margin) if slots is not None else None
    found = found or _centre_of(elements, ctx, margin)
    if found is None:
        return None
    score, best_other = found
    return Finding(
        ("options", ctx.key),
        f"the key's elements recur most in the other options ({score:.2f} other options per element, "
        f"against at most {best_other:.2f}); vary the distractors so the key is not their common core",
    )


def _slots(ctx: ItemContext) -> dict[str, set[str]] | None:
    """The options' words in their places ("0:more", "1:sodium"), when all four have the same
    number of words (articles aside), or None."""
    ws = {k: [w for w in without_articles(v) if w not in _GLUE] for k, v in ctx.option_words.items()}
    if len({len(v) for v in ws.values()}) != 1 or len(ws[ctx.key]) < 2:
        return None
    varying = [i for i in range(len(ws[ctx.key])) if len({v[i] for v in ws.values()}) > 1]
    if all(v[i].replace(".", "").isdigit() for v in ws.values() for i in varying):
        return None  # numbers in a frame ("3 to 5", "3 to 7", "4 to 7"): ranges and amounts, not elements
    return {k: {f"{i}:{stem_word(w)}" for i, w in enumerate(v)} for k, v in ws.items()}


def _centre_of(elements: dict[str, set[str]], ctx: ItemContext, margin: float) -> tuple[float, float] | None:
    """(key's score, best distractor's score) when the key is the centre of `elements`, else None."""
    universal = set.intersection(*elements.values())
    own = {k: e - universal for k, e in elements.items()}
    scores: dict[str, float] = {}
    for k, e in own.items():
        if not e:
            return None  # an option of shared words only: no centre to speak of
        scores[k] = sum(sum(w in own[o] for o in own if o != k) for w in e) / len(e)
    key = ctx.key
    best_other = max(scores[k] for k in ctx.distractors)
    sharing = sum(bool(own[k] & own[key]) for k in ctx.distractors)
    if any(own[key] < own[k] for k in ctx.distractors):
        return None  # "Every year" / "Every two years", "Wave scheduling" / "Modified wave scheduling"
    if len(own[key]) < 2 or scores[key] < 1.5 or scores[key] - best_other < margin or sharing < 2:
        return None
    return scores[key], best_other


@rule("IW305", "convergence", Severity.WARNING, margin=2, centre_margin=0.5)
def convergence(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The key shares the most words with the other options (convergence cue).

    What: counting, for each option, the content words it shares with each other option, the
    key's count exceeds every distractor's by at least `margin`; or, counting the pairs of
    consecutive content words too (so that order counts: "debit rent, credit cash" and "debit
    cash, credit rent" share words, not pairs), by at least twice `margin` less one. Or the key
    is the centre the distractors were built around: the mean, over the key's elements, of the
    number of other options that hold each one is at least 1.5 and beats every distractor's by
    `centre-margin` ("12 months, not extended" among "6 months, not extended", "27 months, not
    extended" and "12 months, extended"; see `_centre`). A full crossing of elements (every
    combination offered) has no centre.

    Why: writers build distractors by changing one element of the key at a time, so the key
    sits in the middle of the options and a candidate who picks the option with the most
    elements in common with the others finds it without knowing the answer.

    Bad:
        A: Physical safeguard, administrative rule
        B: Technical safeguard, privacy rule
        C: Physical safeguard, privacy rule
        D: Physical barrier, security rule
        answer: C

    Good:
        (distractors that each vary the key in different elements, or unrelated options)
    """
    if ctx.numbers is not None:
        return
    centre = _centre(ctx, opts["centre-margin"])
    if centre is not None:
        yield centre
        return
    content = ctx.option_content
    pairs = {k: _content_pairs(ws) for k, ws in ctx.option_words.items()}
    words_only = {k: sum(len(content[k] & content[o]) for o in content if o != k) for k in content}
    ordered = {k: words_only[k] + sum(len(pairs[k] & pairs[o]) for o in pairs if o != k) for k in pairs}
    # With order counted, a shared pair adds to its two shared words: ask for more.
    for scores, margin in ((words_only, opts["margin"]), (ordered, 2 * opts["margin"] - 1)):
        key_score = scores[ctx.key]
        best_other = max(scores[k] for k in ctx.distractors)
        if key_score - best_other >= margin:
            break
    else:
        return
    yield Finding(
        ("options", ctx.key),
        f"the key shares the most words with the other options ({key_score} against at most {best_other}); "
        "vary the distractors so the key is not their common core",
    )


_ANTONYMS = [
    ("increase", "decrease"),
    ("before", "after"),
    ("inpatient", "outpatient"),
    ("debit", "credit"),
    ("maximum", "minimum"),
    ("more", "less"),
    ("higher", "lower"),
    ("accept", "reject"),
    ("approve", "deny"),
    ("approved", "denied"),
    ("allowed", "denied"),
    ("required", "optional"),
    ("mandatory", "optional"),
    ("mandatory", "voluntary"),
    ("internal", "external"),
    ("primary", "secondary"),
    ("overpayment", "underpayment"),
    ("upcoding", "downcoding"),
    ("positive", "negative"),
    ("true", "false"),
    ("open", "closed"),
    ("active", "inactive"),
    ("legal", "illegal"),
    ("valid", "invalid"),
    ("payable", "receivable"),
    ("asset", "liability"),
    ("exempt", "non-exempt"),
    ("covered", "noncovered"),
    ("covered", "non-covered"),
    ("inclusive", "exclusive"),
    ("earliest", "latest"),
    ("first", "last"),
    ("above", "below"),
    ("over", "under"),
    ("always", "never"),
    ("all", "none"),
    ("can", "cannot"),
    ("must", "need not"),
    ("may", "may not"),
    ("increases", "decreases"),
    ("overstated", "understated"),
    ("added", "subtracted"),
    ("add", "subtract"),
    ("permitted", "prohibited"),
    ("allowed", "prohibited"),
    ("required", "prohibited"),
    ("subjective", "objective"),
    ("direct", "indirect"),
    ("participating", "nonparticipating"),
    ("participating", "non-participating"),
]
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in _ANTONYMS:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)
_NEGATORS = frozenset({"not", "no", "never", "non", "cannot"})
_NEG_PREFIX = re.compile(r"^(?:non-?|un|in|il|im|ir|dis)(?=[a-z]{4,})")


def _opposite_words(a: str, b: str) -> bool:
    if b in _OPPOSITE.get(a, ()):
        return True
    return _NEG_PREFIX.sub("", a, 1) == b and a != b or _NEG_PREFIX.sub("", b, 1) == a and a != b


def _opposites(x: list[str], y: list[str]) -> bool:
    if len(x) == len(y):
        diff = [(a, b) for a, b in zip(x, y) if a != b]
        if len(diff) != 1:
            return False
        a, b = diff[0]
        if len(x) == 1 and b in _OPPOSITE.get(a, ()):
            return False  # one-word categories (Subjective, Objective, ...) form a closed set
        return _opposite_words(a, b)
    if abs(len(x) - len(y)) == 1:
        longer, shorter = (x, y) if len(x) > len(y) else (y, x)
        for i, w in enumerate(longer):
            if w in _NEGATORS and longer[:i] + longer[i + 1 :] == shorter:
                return True
    return False


# More opposites for IW306 than `_ANTONYMS` (which IW213 also reads): directions of the body,
# of change and of flow, read as Snowball stems so that every form of a word meets.
_MORE_ANTONYMS = [
    ("anterior", "posterior"),
    ("superior", "inferior"),
    ("medial", "lateral"),
    ("proximal", "distal"),
    ("dorsal", "ventral"),
    ("flexion", "extension"),
    ("acute", "chronic"),
    ("benign", "malignant"),
    ("early", "late"),
    ("earlier", "later"),
    ("increase", "reduce"),
    ("raise", "lower"),
    ("rise", "fall"),
    ("gain", "loss"),
    ("profit", "loss"),
    ("accept", "decline"),
    ("approve", "reject"),
    ("include", "exclude"),
    ("inclusion", "exclusion"),
    ("admit", "discharge"),
    ("admission", "discharge"),
    ("yes", "no"),
    ("present", "absent"),
    ("full", "partial"),
    ("long", "short"),
    ("longer", "shorter"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("high", "low"),
    ("large", "small"),
    ("larger", "smaller"),
    ("greater", "smaller"),
    ("greater", "less"),
    ("major", "minor"),
    ("upper", "lower"),
    ("entry", "exit"),
    ("input", "output"),
    ("incoming", "outgoing"),
    ("import", "export"),
    ("send", "receive"),
    ("buy", "sell"),
    ("start", "stop"),
    ("begin", "end"),
    ("top", "bottom"),
    ("left", "right"),
    ("front", "back"),
    ("inside", "outside"),
    ("on", "off"),
    ("with", "without"),
    ("same", "different"),
    ("temporary", "permanent"),
    ("manual", "automatic"),
    ("public", "private"),
    ("active", "passive"),
    ("hot", "cold"),
    ("wet", "dry"),
    ("clean", "dirty"),
    ("win", "lose"),
    ("add", "remove"),
    ("encrypt", "decrypt"),
    ("minimum", "maximum"),
    ("least", "most"),
]
# Prefixes that turn a word into its opposite: "hyperglycemia" / "hypoglycemia", "overpaid" /
# "underpaid", "inbound" / "outbound", "preoperative" / "postoperative".
_PREFIX_PAIRS = [
    ("hyper", "hypo"),
    ("over", "under"),
    ("in", "out"),
    ("pre", "post"),
    ("intra", "extra"),
    ("ab", "ad"),
    ("tachy", "brady"),
    ("macro", "micro"),
    ("up", "down"),
    ("supra", "infra"),
    ("endo", "exo"),
    ("max", "min"),
]
_NEGATION_WORDS = frozenset({"not", "no", "never"})
_CONTRACTED = re.compile(r"^(?P<word>[a-z]+)n['’]t$")
_DO = frozenset({"do", "does", "did"})


@lru_cache(maxsize=1)
def _more_opposites() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a, b in [*_ANTONYMS, *_MORE_ANTONYMS]:
        for x, y in ((a, b), (b, a)):
            out.setdefault(_stem(x), set()).add(_stem(y))
    return {k: frozenset(v) for k, v in out.items()}


def _opposite_stems(a: str, b: str) -> bool:
    """Whether two words are opposites: by the tables, by a negative prefix ("compliant",
    "noncompliant"), by a prefix pair ("overbilled", "underbilled") or by -ful / -less."""
    if a == b:
        return False
    if _stem(b) in _more_opposites().get(_stem(a), ()) or _opposite_words(a, b):
        return True
    for p, q in _PREFIX_PAIRS:
        for x, y in ((a, b), (b, a)):
            if x.startswith(p) and y.startswith(q) and len(x) - len(p) >= 3 and x[len(p) :] == y[len(q) :]:
                return True
    for x, y in ((a, b), (b, a)):
        if x.endswith("ful") and y.endswith("less") and x[:-3] == y[:-4] and len(x) > 5:
            return True
    return False


def _negations(ws: list[str]) -> tuple[tuple[str, ...], int]:
    """An option's words without its negations ("cannot", "isn't", "does not"), stemmed, and how
    many negations it had."""
    out: list[str] = []
    negated = 0
    for w in ws:
        m = _CONTRACTED.match(w)
        if w == "cannot" or m is not None:
            base = "can" if m is None else {"wo": "will", "ca": "can"}.get(m.group("word"), m.group("word"))
            out.append(_stem(base))
            negated += 1
        elif w in _NEGATION_WORDS:
            negated += 1
        elif w not in _DO:
            out.append(_stem(w))
    return tuple(out), negated


_ASKS_CATEGORY = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:section|type|kind|category|class|classification|part|component|stage|"
    r"phase|level|grade|schedule|tier|group|heading)s?\b",
    re.IGNORECASE,
)


def _opposed(
    x: list[str],
    y: list[str],
    actions: bool = False,
    negations: tuple[tuple[tuple[str, ...], int], tuple[tuple[str, ...], int]] | None = None,
) -> bool:
    """IW306's test, wider than `_opposites`: the same words with one negated ("Requires a
    referral", "Does not require a referral"; "Is payable", "Isn't payable"), or the same words
    but one pair of opposites (by the tables, negative prefixes, prefix pairs, -ful / -less).
    `negations`: the two options' `_negations`, when the caller has them."""
    (bx, nx), (by, ny) = negations or (_negations(x), _negations(y))
    if bx == by and bool(nx) != bool(ny) and bx:
        return True
    if len(x) != len(y) or nx != ny:
        return False
    diff = [i for i, (a, b) in enumerate(zip(x, y, strict=True)) if a != b]
    if len(diff) != 1 or not _opposite_stems(x[diff[0]], y[diff[0]]):
        return False
    return actions or not _sibling_names(x, diff[0])


_NOT_NAME = frozenset(
    [
        "a",
        "an",
        "the",
        "her",
        "his",
        "their",
        "its",
        "it",
        "him",
        "them",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "should",
        "must",
        "can",
        "could",
        "may",
        "might",
        "does",
        "do",
        "did",
        "not",
        "no",
        "never",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
    ]
)


def _sibling_names(ws: list[str], at: int) -> bool:
    """Whether two options that differ in one opposite word at `at` name two things of one kind:
    the word qualifies a head noun after it and nothing makes a clause or an action of the option
    ("Left cerebral hemisphere" / "Right cerebral hemisphere", "An asset account" / "A liability
    account"), or follows "of" after one ("Portal of entry" / "Portal of exit"). Such siblings are the content of the question, not a pair built to cue."""
    if 0 < len(ws) - 1 - at and not any(w in _NOT_NAME for w in ws):
        return True
    # "Portal of entry" / "Portal of exit": the opposite names what a head noun is of
    return at >= 2 and ws[at - 1] == "of" and not any(w in _NOT_NAME and w != "of" for w in ws)


def _opposite_pairs(ctx: ItemContext) -> list[tuple[str, str]]:
    ws = {k: list(without_articles(v)) for k, v in ctx.option_words.items()}
    # an article after the first word makes the option an action on an object ("Increase the dose")
    acts = {k: any(w in ARTICLES for w in v[1:]) for k, v in ctx.option_words.items()}
    neg = {k: _negations(v) for k, v in ws.items()}
    keys = list(ws)
    return [
        (a, b)
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if _opposed(ws[a], ws[b], acts[a] or acts[b], (neg[a], neg[b]))
    ]


@rule("IW306", "opposite-pair", Severity.WARNING)
def opposite_pair(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Two options are opposites and one of them is the key.

    What: two options that are the same except for one word and its opposite ("before" and
    "after", "covered" and "not covered", "exempt" and "non-exempt"), one of them the key.
    Opposites are also found by their forms: a negation however written ("Requires a
    referral", "Does not require a referral"; "isn't", "cannot"), more pairs of directions of
    the body, of change and of flow ("Proximal", "Distal"; "Increase", "Reduce"), prefixes
    that turn a word around ("hyper-" / "hypo-", "over-" / "under-", "pre-" / "post-",
    "in-" / "out-") and "-ful" / "-less". Such a pair counts when it is the only opposite pair
    among the options: when every option has its opposite ("Anterior", "Posterior",
    "Superior", "Inferior") no pair stands out; and not when the two name sibling things, the
    opposite word qualifying a shared noun in options that are names, not actions or clauses
    ("Left cerebral hemisphere" and "Right cerebral hemisphere"). One-word members of a named set of categories
    ("In a SOAP note, which section ...?": "Subjective", "Objective", "Assessment", "Plan")
    are left alone.

    Why: a candidate who spots the pair assumes one of the two is right and halves the
    guessing odds; the other two options are then not working distractors.

    Bad:
        A: The claim is covered
        B: The claim is not covered
        answer: A

    Good:
        (four options of the same kind, none the negation of another)
    """
    ws = ctx.option_words
    key_words = ws[ctx.key]
    for k in ctx.distractors:
        if _opposites(key_words, ws[k]):
            yield Finding(
                ("options", ctx.key),
                f"the key ({ctx.key}) and option {k} are opposites, which halves the guess; replace one of the pair",
            )
            return
    pairs = _opposite_pairs(ctx)
    mine = [p for p in pairs if ctx.key in p]
    if len(pairs) != 1 or not mine:
        return  # no pair with the key, or every option in a pair ("Anterior", "Posterior", "Superior", "Inferior")
    if all(len(without_articles(ws[k])) == 1 for k in mine[0]) and _ASKS_CATEGORY.search(ctx.lead_in[0]):
        return  # "which section of a SOAP note": one-word members of a named set of categories
    other = next(k for k in mine[0] if k != ctx.key)
    yield Finding(
        ("options", ctx.key),
        f"the key ({ctx.key}) and option {other} are opposites, which halves the guess; replace one of the pair",
    )
