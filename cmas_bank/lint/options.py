"""IW2xx: the options on their own (NBME and Haladyna et al.: no "all/none of the above", no
combination options, homogeneous and plausible options in a logical order)."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.text import (
    INF,
    STOPWORDS,
    WORD,
    Interval,
    fold,
    number_value,
    parse_numeric,
    parse_range,
    phrase_pattern,
    squeeze,
    stem_word,
    words,
)

_REFERS = r"(?:above|preceding|previous|foregoing|these|those|them|options|choices|answers|statements|listed|answers\s+listed)"
ALL_OF_THE_ABOVE = re.compile(
    rf"\b(?:all|each|every\s+one|any|both)\s+(?:of\s+)?(?:the\s+)?(?:(?:other|preceding|previous|three|four)\s+)?{_REFERS}\b"
    # "All three", "All four are correct", "All apply", "The above are all correct", "Everything listed"
    r"|^[ \t]*all[ \t]+(?:three|four|3|4)(?:[ \t]+(?:of[ \t]+(?:these|them|the[ \t]+above)|options|choices|answers))?"
    r"(?:[ \t]+(?:are[ \t]+)?(?:correct|true|right))?[ \t]*(?:\.[ \t]*)?$"
    r"|^[ \t]*all[ \t]+(?:of[ \t]+(?:these|them|the[ \t]+above)[ \t]+)?apply[ \t]*(?:\.[ \t]*)?$"
    r"|\b(?:the\s+)?(?:above|preceding|foregoing)\s+(?:options\s+|answers\s+|choices\s+)?are\s+all\b"
    r"|\b(?:these|those|they)\s+are\s+all\s+(?:correct|true|right)\b"
    r"|\beverything\s+(?:listed|above|here|shown)\b"
    r"|\ball\s+(?:are|of\s+which\s+are)\s+(?:correct|true|right)\b"
    r"|\b(?:all|each|every)\s+(?:options?|choices?|answers?|statements?)\s+(?:are|is)\s+(?:correct|true|right)\b"
    r"|\ball\s+above\b",
    re.IGNORECASE | re.MULTILINE,
)
NONE_OF_THE_ABOVE = re.compile(
    rf"\b(?:none|neither|not\s+any|not\s+one)\s+of\s+(?:the\s+)?{_REFERS}\b"
    r"|\bnone\s+(?:above|(?:is|are)\s+(?:correct|true|right))\b"
    r"|\bno\s+(?:correct\s+)?(?:answer|option|choice|statement)s?\s+(?:is|are)\s+(?:correct|true|given|listed|right)\b"
    # "No schedule listed here", "None shown above", "not listed here": the answer is not among the options
    r"|\b(?:no|none|not)\b(?:\s+[a-z]+){0,2}?\s+(?:is\s+|are\s+)?(?:listed|given|shown|named|mentioned)\s+(?:here|above)\b",
    re.IGNORECASE,
)


def _options_matching(ctx: ItemContext, pattern: re.Pattern[str]) -> Iterator[tuple[str, re.Match[str]]]:
    """(key, first match) for each option the pattern matches; one search of the joined options
    first, because most items match none."""
    if not pattern.search(ctx.options_joined):
        return
    for k, v in ctx.options.items():
        m = pattern.search(v)
        if m:
            yield k, m


@rule("IW201", "all-of-the-above", Severity.ERROR)
def all_of_the_above(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An option is "all of the above" or a variant of it.

    What: "all of the above", "all the above", "all of these", "each of the above", "any of
    the above", "all are correct" and similar options.

    Why: a candidate who knows two options are right picks it without knowing the third, and
    one who knows one option is wrong rules it out; the item then measures partial knowledge
    and test-wiseness (Haladyna et al. 2002: avoid "all of the above").

    Bad:
        D: All of the above

    Good:
        (rewrite the item so that one option is the single best answer)
    """
    for k, m in _options_matching(ctx, ALL_OF_THE_ABOVE):
        yield Finding(
            ("options", k),
            f'option {k} is "{m.group(0)}"; write four distinct options with one best answer',
            m.start(),
            m.end(),
        )


@rule("IW202", "none-of-the-above", Severity.ERROR)
def none_of_the_above(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An option is "none of the above" or a variant of it.

    What: "none of the above", "none of these", "neither of the above", "none is correct",
    "no answer is correct", "no schedule listed here" and similar options.

    Why: when it is the key, the item only tests that the candidate can recognise wrong
    answers, not that they know the right one; when it is a distractor it is rarely plausible
    (NBME; Haladyna et al. 2002: use "none of the above" carefully, if at all).

    Bad:
        D: None of these

    Good:
        D: (a fourth plausible answer of the same kind as A to C)
    """
    for k, m in _options_matching(ctx, NONE_OF_THE_ABOVE):
        yield Finding(
            ("options", k), f'option {k} is "{m.group(0)}"; replace it with a plausible distractor', m.start(), m.end()
        )


_LETTER = r"(?:\(?[A-D]\)?|I{1,3}|IV)"
_COMBINATION = re.compile(
    rf"^\s*(?:(?:[Bb]oth|[Ee]ither|[Oo]nly|[Nn]either)\s+)?(?:(?:[Oo]ptions?|[Cc]hoices?|[Aa]nswers?)\s+)?{_LETTER}"
    rf"(?:\s*(?:,\s*(?:and|or|&|nor)?|and|or|&|nor)\s*(?:(?:options?|choices?)\s+)?{_LETTER})+"
    r"(?:\s+only)?(?:\s+(?:are|is)\s+(?:correct|true|right))?\s*\.?\s*$"
)


_REFERENCE_TOKEN = re.compile(r"[A-Za-z]+|\d+|[&+/]")
# The words a combination option is made of besides the references themselves.
_COMBINING = frozenset(
    [
        "both",
        "either",
        "neither",
        "nor",
        "and",
        "or",
        "only",
        "all",
        "except",
        "but",
        "not",
        "are",
        "is",
        "correct",
        "true",
        "right",
        "together",
        "plus",
        "with",
        "the",
        "options",
        "option",
        "choices",
        "choice",
        "answers",
        "answer",
        "statements",
        "statement",
        "as",
        "well",
        "also",
        "of",
        "through",
        "to",
        "&",
        "+",
        "/",
        "combined",
        "combination",
        "in",
        "apply",
    ]
)
_ORDINALS = frozenset({"first", "second", "third", "fourth", "last"})
# Statements numbered in the stem ("1. ... 2. ..." or "(1) ... (2)"): digits in an option refer to them.
_NUMBERED = re.compile(r"(?:^|\s|\()1[.)]\s.*(?:^|\s|\()2[.)]\s", re.DOTALL)


def _refers_to_options(text: str, numbered: bool) -> bool:
    """Whether an option is made only of references to other options and the words that combine
    them: letters ("A & B", "B and D only", "A through C", "Options A and C together"), roman
    numerals, the digits of statements numbered in the stem ("1 and 3"), ordinals ("Both the
    first and the third"), or one reference with "except" ("All except D")."""
    tokens = _REFERENCE_TOKEN.findall(text)
    refs = 0
    for t in tokens:
        if (
            t in ("A", "B", "C", "D", "I", "II", "III", "IV")
            or (numbered and t in ("1", "2", "3", "4"))
            or t.lower() in _ORDINALS
        ):
            refs += 1
        elif t.lower() not in _COMBINING:
            return False
    lowered = {t.lower() for t in tokens}
    return refs >= 2 or (refs == 1 and bool(lowered & {"except", "but"}))


@rule("IW203", "combination-option", Severity.ERROR)
def combination_option(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An option combines other options ("A and B", "both A and C", "A, B and C").

    What: an option made of option letters (or roman numerals) joined by "and", "or" or
    commas, or made only of references to other options and the words that combine them ("A
    & B", "A through C", "Options A and C together", "All except D", "Both the first and the
    third", and "1 and 3" when the stem numbers its statements). Option text that merely
    contains letters, such as "Medicare Parts A and B", is not a combination option.

    Why: combination ("complex" or K-type) options reward partial knowledge and test-wiseness
    and are harder to read; candidates can often answer by elimination (NBME: avoid
    "K-type" items).

    Bad:
        D: Both A and C

    Good:
        (ask for the single best answer, or split the item in two)
    """
    numbered = bool(_NUMBERED.search(ctx.item.stem))
    for k, v in ctx.options.items():
        if _COMBINATION.match(squeeze(v)) or _refers_to_options(v, numbered):
            yield Finding(
                ("options", k),
                f'option {k} ("{v.strip()}") combines other options; write a single best answer',
                0,
                len(v.rstrip()),
            )


@rule("IW204", "duplicate-options", Severity.ERROR)
def duplicate_options(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Two options are the same.

    What: options that are equal once case, punctuation, spacing and the articles a, an and
    the are ignored.

    Why: two identical options are either both right or both wrong, so the item has two keys
    or only three working options.

    Bad:
        B: Form W-4
        D: form W-4.

    Good:
        D: Form I-9
    """
    seen: dict[tuple[str, ...], str] = {}
    for k, norm in ctx.option_normal.items():
        if norm in seen:
            yield Finding(("options", k), f"option {k} is the same as option {seen[norm]}; replace one of them")
        else:
            seen[norm] = k


@rule("IW205", "near-identical-options", Severity.WARNING, similarity=0.0)
def near_identical_options(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Two options say the same thing in slightly different words.

    What: options with the same words in the same order once plural and tense endings,
    articles, punctuation and hyphens are ignored and number words read as digits ("Notify the
    payer in writing" and "Notifies payer, in writing"; "30 days" and "Thirty days"); and an
    option that is another one whole with only words of the lead-in added ("Part B" and
    "Medicare Part B" when the question asks about Medicare). With `similarity` above 0 (for example 0.95), options of 20 or more
    characters without digits whose spelling is at least that similar are reported too: that
    catches typos, at the price of reporting pairs such as "precertification" and
    "recertification".

    Why: near-identical options are either both right (two keys) or recognisably a pair the
    writer built from one idea, which cues the candidate.

    Bad:
        A: Notify the payer in writing
        C: Notifies the payer, in writing

    Good:
        C: Call the payer's provider line
    """
    normal = ctx.option_normal
    if len(set(normal.values())) < 4:
        return  # exact duplicates are IW204's
    bags: dict[tuple[str, ...], str] = {}
    threshold = float(opts["similarity"])
    items = list(ctx.options.items())
    seqs = {k: _comparable(normal[k]) for k, _ in items}
    lead = {stem_word(p) for w in words(ctx.lead_in[0]) for p in w.split("-")}
    meanings = {k: _meaning(ctx, k) for k, _ in items}
    for i, (k, v) in enumerate(items):
        # Stemmed words in order: equal when options differ only in inflection, articles,
        # hyphens, number words or punctuation, while "Medicare first, then Medicaid" and its
        # reverse stay different.
        bag = seqs[k]
        other = (
            bags.get(bag)
            or next((k2 for k2, _ in items[:i] if _restates(seqs[k2], bag, lead)), None)
            or next((k2 for k2, _ in items[:i] if _same_meaning(meanings[k2], meanings[k])), None)
        )
        if bag and other:
            yield Finding(
                ("options", k),
                f"option {k} says the same as option {other} in other words; make the options distinct",
            )
            continue
        bags.setdefault(bag, k)
        if threshold > 0:
            similar = _similar_spelling(k, v, items[:i], threshold)
            if similar is not None:
                yield similar


# Words that change nothing when they are all two options differ by: articles, copulas,
# pronouns, "as"/"when"/"if" before a condition ("As needed", "When needed"), "of" and "in"
# ("within 30 days", "in 30 days"). Not "to", "from", "for", "by", "with", "or", "not" or any
# word of direction or time, which turn an option around.
_LIGHT = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "which",
        "who",
        "whom",
        "as",
        "when",
        "whenever",
        "if",
        "of",
        "in",
        "within",
        "and",
        "do",
        "does",
        "there",
    ]
)
_ACRONYM_GLUE = frozenset({"of", "and", "the", "for", "to", "a", "an", "in", "on", "&"})


@dataclass(frozen=True)
class _Meaning:
    """What IW205 compares beyond spelling: an option's words in order as the synonym sets of
    `lint/synonyms.yaml` read them (light words out), the letters of its words run together
    ("health care" and "healthcare"), its initials with and without its short words ("Explanation of benefits": "eb", "eob"), and its
    amount in a common unit when it is a number ("1 week" and "7 days")."""

    words: tuple[str, ...]
    joined: str
    initials: tuple[str, str]
    acronym: str | None
    amount: tuple[str, float] | None


def _meaning(ctx: ItemContext, k: str) -> _Meaning:
    from cmas_bank.lint.synonyms import read_words

    text = ctx.options[k]
    # a capital "A" after the first word is a letter ("Part A"), not an article
    ws = [p for w in _letters_marked(text, ctx.option_words[k]) for p in w.split("-") if p]
    plain = [w for w in ws if w not in _LIGHT]
    acronym = None
    if len(ctx.option_words[k]) == 1:
        tokens = WORD.findall(text)
        if len(tokens) == 1 and tokens[0].isupper() and 2 <= len(tokens[0]) <= 6:
            acronym = tokens[0].lower()
    return _Meaning(
        words=read_words(ws, _LIGHT),
        joined="".join(_spelling(w) for w in plain),
        initials=(
            "".join(w[0] for w in ws if w not in _ACRONYM_GLUE and w[0].isalpha()),
            "".join(w[0] for w in ws if w[0].isalpha()),
        ),
        acronym=acronym,
        amount=_amount(text) if any(c.isdigit() for c in text) else None,
    )


_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation)$"), r"iz\1"), (re.compile(r"(?<=[a-z]{3})our$"), "or"))


def _spelling(word: str) -> str:
    """A word with British endings made American ("organise", "colour"), for IW205."""
    if "is" not in word and not word.endswith("our"):
        return word
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


# Exact conversions to a base unit of each kind: seconds to weeks in minutes, months and years
# in months (a month is not a whole number of days).
_BASE_UNITS = {
    "second": ("minute", 1 / 60),
    "minute": ("minute", 1.0),
    "hour": ("minute", 60.0),
    "day": ("minute", 1440.0),
    "week": ("minute", 10080.0),
    "month": ("month", 1.0),
    "year": ("month", 12.0),
    "dollar": ("money", 1.0),
    "cent": ("money", 0.01),
}


def _amount(text: str) -> tuple[str, float] | None:
    """A numeric option as (kind, value in the base unit): "1 week" and "7 days", "$50" and "50
    dollars", "15%" and "15 percent" read alike. None for other options."""
    n = parse_numeric(text)
    if n is None:
        return None
    if n.currency:
        return ("money", n.value)
    if n.percent:
        return ("percent", n.value)
    base = _BASE_UNITS.get(n.unit)
    if base is not None:
        return (base[0], round(n.value * base[1], 6))
    return (n.unit, n.value)


def _same_meaning(a: _Meaning, b: _Meaning) -> bool:
    """Whether two options say the same thing though they are worded differently: the same words
    once synonyms and light words are read alike, in the same order or with one block moved to
    the other end ("In writing, notify the payer"); the same letters ("Health care", "Healthcare");
    one the initials of the other ("EOB", "Explanation of benefits"); or the same amount ("1
    week", "7 days"). Two options that swap elements inside one frame ("Debit cash, credit
    rent" and "Debit rent, credit cash") are not the same: that is no rotation."""
    if a.amount is not None or b.amount is not None:
        return a.amount is not None and a.amount == b.amount
    if a.words and a.words == b.words and any(w.isalpha() for w in a.words):
        return True
    if len(a.words) >= 2 and sorted(a.words) == sorted(b.words) and _rotation(a.words, b.words):
        return True
    if len(a.joined) >= 6 and a.joined == b.joined:
        return True
    return bool(
        (a.acronym and len(b.initials[0]) >= 2 and a.acronym in b.initials)
        or (b.acronym and len(a.initials[0]) >= 2 and b.acronym in a.initials)
    )


def _rotation(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(b == a[i:] + a[:i] for i in range(1, len(a)))


def _similar_spelling(k: str, v: str, before: list[tuple[str, str]], threshold: float) -> Finding | None:
    """IW205's `similarity` test: option `k` against the options `before` it, when both have 20
    or more characters and no digits."""
    if len(v) < 20 or any(c.isdigit() for c in v):
        return None
    for k2, v2 in before:
        if len(v2) < 20 or any(c.isdigit() for c in v2):
            continue
        matcher = difflib.SequenceMatcher(None, v.casefold(), v2.casefold())
        if (
            matcher.real_quick_ratio() >= threshold
            and matcher.quick_ratio() >= threshold
            and matcher.ratio() >= threshold
        ):
            return Finding(
                ("options", k),
                f"option {k} is nearly the same as option {k2} (similarity {matcher.ratio():.2f})",
            )
    return None


def _comparable(ws: tuple[str, ...]) -> tuple[str, ...]:
    """An option's words as IW205 compares them: hyphenated words split ("practice-management"),
    number words as digits ("thirty" -> "30"), each word stemmed."""
    out = []
    for w in ws:
        value = number_value(w)
        if value is not None:
            out.append(str(value))
            continue
        out.extend(stem_word(p) for p in w.split("-") if p)
    return tuple(out)


def _restates(a: tuple[str, ...], b: tuple[str, ...], lead: set[str]) -> bool:
    """Whether one option is the other with only words of the lead-in added around it, as a
    whole ("Part B" and "Medicare Part B" when the question asks about Medicare): the added words
    tell the candidate nothing the question has not, so the two options name the same thing.
    Words of the scenario do not count: options are often built from them ("Peggy Okoro",
    "Margaret (Peggy) Okoro")."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if not short or len(short) == len(long) or not any(w.isalpha() and w not in STOPWORDS for w in short):
        return False
    n = len(short)
    for i in range(len(long) - n + 1):
        if long[i : i + n] == short:
            extra = long[:i] + long[i + n :]
            return all(w in lead and w not in STOPWORDS for w in extra)
    return False


# Absolute claims; "nothing" or "everyone" are left out because they name things ("Nothing by
# mouth", "send everyone home") far more often than they overstate.
ABSOLUTES = (
    "always",
    "never",
    "all",
    "none",
    "only",
    "under no circumstances",
    "in all cases",
    "in every case",
    "at all times",
    "without exception",
)


@rule("IW206", "absolute-term", Severity.WARNING, terms=list(ABSOLUTES))
def absolute_term(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An option uses an absolute term (always, never, only, all, none).

    What: one of `terms` as a whole word in an option ("all of the above" is IW201's).

    Why: absolute statements are rarely true, so test-wise candidates rule them out without
    knowing the content ("specific determiners", Haladyna et al. 2002).

    Bad:
        B: The patient must always sign a new authorization

    Good:
        B: The patient signs a new authorization for each new recipient
    """
    for k, m in _options_matching(ctx, phrase_pattern(tuple(opts["terms"]))):
        v = ctx.options[k]
        if not (ALL_OF_THE_ABOVE.search(v) or NONE_OF_THE_ABOVE.search(v)):
            yield Finding(
                ("options", k),
                f'option {k} uses the absolute term "{m.group(0)}"; qualify it or rephrase',
                m.start(),
                m.end(),
            )


FREQUENCIES = (
    "often",
    "usually",
    "sometimes",
    "rarely",
    "frequently",
    "occasionally",
    "seldom",
    "generally",
    "typically",
    "commonly",
    "normally",
    "mostly",
    "in most cases",
)


@rule("IW207", "vague-frequency", Severity.WARNING, terms=list(FREQUENCIES))
def vague_frequency(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """An option uses a vague frequency term (often, usually, sometimes, rarely).

    What: one of `terms` as a whole word in an option.

    Why: readers disagree about how often "usually" is, so experts may disagree about the key
    and the option measures reading rather than knowledge (NBME: avoid vague terms).

    Bad:
        C: Claims are usually paid within 30 days

    Good:
        C: A clean electronic claim is paid within 14 days
    """
    for k, m in _options_matching(ctx, phrase_pattern(tuple(opts["terms"]))):
        yield Finding(
            ("options", k),
            f'option {k} uses the vague term "{m.group(0)}"; say exactly when or how often',
            m.start(),
            m.end(),
        )


@rule("IW208", "option-length-imbalance", Severity.WARNING, max_ratio=3.0, min_difference=30)
def option_length_imbalance(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """One option is much longer or shorter than the others.

    What: the longest option is at least `max-ratio` times as long as the shortest and at
    least `min-difference` characters longer. Options that are all numbers are skipped.

    Why: an option that stands out by its length draws attention (a long one looks more
    qualified, a short one looks like filler); options should be alike in length and form.

    Bad:
        A: HIPAA
        B: The Health Insurance Portability and Accountability Act's Privacy Rule

    Good:
        A: The HIPAA Privacy Rule
        B: The HIPAA Security Rule
    """
    if ctx.numbers is not None:
        return
    lengths = {k: len(v.strip()) for k, v in ctx.options.items()}
    longest = max(lengths, key=lambda k: lengths[k])
    shortest = min(lengths, key=lambda k: lengths[k])
    hi, lo = lengths[longest], max(lengths[shortest], 1)
    if hi / lo < opts["max-ratio"] or hi - lo < opts["min-difference"]:
        return
    ordered = sorted(lengths.values())
    median = (ordered[1] + ordered[2]) / 2
    outlier = longest if math.log(hi / median) >= math.log(median / lo) else shortest
    yield Finding(
        ("options", outlier),
        f"option {longest} ({hi} characters) is {hi / lo:.1f} times as long as option {shortest} ({lo}); "
        "make the options similar in length",
    )


def _bins_of(ctx: ItemContext) -> dict[str, Interval] | None:
    """All four options read as ranges or numbers ("0-30 days", "over 120 days"), or None."""
    out: dict[str, Interval] = {}
    for k, v in ctx.options.items():
        r = parse_range(v)
        if r is None:
            n = parse_numeric(v)
            if n is None:
                return None
            r = Interval(n.value, n.value, True, True)
        out[k] = r
    return out


@rule("IW209", "numeric-order", Severity.WARNING, allow_descending=False)
def numeric_order(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Numeric options are not in order.

    What: all four options are numbers (amounts, counts, days, percentages) or ranges ("0-30
    days", "over 120 days", ordered by their lower end) but are not in ascending order, as the
    item-writing guide asks (`allow-descending = true` also accepts descending order). Time units are compared in days, so
    "6 months" comes before "1 year".

    Why: ordered numbers let the candidate find their answer without hunting, and the key's
    position then carries no information (NBME: put numeric options in a logical order).

    Bad:
        A: 60 days
        B: 10 days
        C: 90 days
        D: 30 days

    Good:
        A: 10 days
        B: 30 days
        C: 60 days
        D: 90 days
    """
    numbers = ctx.numbers
    if numbers is None:
        bins = _bins_of(ctx)
        if bins is None:
            return
        values: list[float] = [b.lo if b.lo != -INF else -1e300 for b in bins.values()]
        keys = list(bins)
    else:
        if len({n.dimension for n in numbers.values()}) > 1:
            return
        values = [n.comparable for n in numbers.values()]
        keys = list(numbers)
    ascending = all(a <= b for a, b in pairwise(values))
    descending = all(a >= b for a, b in pairwise(values))
    if ascending or (descending and opts["allow-descending"]):
        return
    first = next(keys[i + 1] for i in range(3) if values[i] > values[i + 1])
    yield Finding(("options", first), "numeric options are not in ascending order; order them from smallest to largest")


@rule("IW210", "overlapping-ranges", Severity.ERROR)
def overlapping_ranges(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Numeric range options overlap.

    What: options that are ranges ("1-5 days", "between 5 and 10", "less than 5", "10 or
    more") used as bins of one scale that share a value: two ranges with a common end point
    ("0-5", "5-10"), an open-ended range overlapping another, or a single number inside a
    range, or two ranges sharing less than half of the narrower one ("12-20", "18-30"). When the
    lead-in asks for a range ("What is the normal range...?") or any two ranges overlap widely,
    by half the narrower one or more ("60-100", "80-120"; "3-5" and "3-7"), the options are
    candidate answers, not bins, and are left alone.

    Why: a value in the overlap makes two options right, so the item has two keys; ranges must
    be mutually exclusive (and should cover the possibilities).

    Bad:
        A: 0-5 days
        B: 5-10 days

    Good:
        A: 0-4 days
        B: 5-10 days
    """
    ranges = {k: parse_range(v) for k, v in ctx.options.items()}
    if sum(r is not None for r in ranges.values()) < 1:
        return
    if _ASKS_RANGE.search(ctx.lead_in[0]):
        return  # "what is the normal range": the options are candidate ranges, not bins
    for k, v in ctx.options.items():
        if ranges[k] is None:
            n = parse_numeric(v)
            if n is not None:
                ranges[k] = Interval(n.value, n.value, True, True)
    present = [(k, r) for k, r in ranges.items() if r is not None]
    pairs = [(k, r, k2, r2) for i, (k, r) in enumerate(present) for k2, r2 in present[:i]]
    if any(r.overlaps(r2) and not _bins(r, r2) for _, r, _, r2 in pairs):
        return  # ranges that overlap widely are candidate answers, not bins of one scale
    for i, (k, r) in enumerate(present):
        for k2, r2 in present[:i]:
            if r.overlaps(r2):
                yield Finding(("options", k), f"option {k} overlaps option {k2}; make the ranges mutually exclusive")
                break


_ASKS_RANGE = re.compile(r"\branges?\b", re.IGNORECASE)


def _bins(a: Interval, b: Interval) -> bool:
    """Whether two overlapping ranges were meant as bins of one scale: they meet at a shared
    end point, a number falls in a range, one is open-ended, or they share less than half of the
    narrower one. Ranges that overlap widely ("60-100" and "80-120" beats per minute) are
    candidate answers, not bins, and a question about the range itself may well offer them."""
    if a.lo == a.hi or b.lo == b.hi:
        return True
    if math.isinf(a.lo) or math.isinf(a.hi) or math.isinf(b.lo) or math.isinf(b.hi):
        return True
    # A narrow overlap, under half of the narrower range ("12-20" and "18-30"), is bins drawn
    # carelessly; sharing half or more ("60-100", "80-120"; "3-5" inside "3-7") is candidates.
    shared = min(a.hi, b.hi) - max(a.lo, b.lo)
    return shared < 0.5 * min(a.hi - a.lo, b.hi - b.lo)


@rule("IW211", "mixed-number-formats", Severity.WARNING, allow_mixed_time_units=True)
def mixed_number_formats(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Numeric options mix units or number formats.

    What: numeric options where some have a currency sign, a percent sign or a unit and others
    do not, units of different kinds (dollars and days), money with and without cents, or
    thousands written with and without separators; a time unit that is a whole number of the
    others' unit ("6 weeks" among days: 42 days); and short options that write their numbers
    some in digits and some in words ("Every 6 months", "Every two years"). Also one option
    written unlike the three others: "percent" among "%" signs, a decimal without its leading
    zero (".5 mg"), a whole number with trailing zeros ("15.0 mg" among "10 mg"), thousands
    without a separator among amounts written with one ("1500" among "1,000", "2,000"), a
    24-hour time among 12-hour ones ("13:00" among "9:30 a.m."), a date in another notation
    ("3/17/2026" among "March 10, 2026"), or a decimal among fractions ("0.5" among "1/3").
    Other mixes of time units ("6 months", "1 year") are accepted unless
    `allow-mixed-time-units = false`.

    Why: an option written differently from the rest stands out, and mixed units make the
    candidate convert instead of answer (irrelevant difficulty).

    Bad:
        A: $720
        B: 792.00
        C: $828.00
        D: $1188.00

    Good:
        A: $720.00
        B: $792.00
        C: $828.00
        D: $1,188.00
    """
    numbers = ctx.numbers
    if numbers is None:
        odd = _digits_and_words(ctx)
        if odd:
            yield Finding(
                ("options", odd),
                f"option {odd} writes its number differently from the others (digits and words mixed); "
                "write every number alike",
            )
            return
        notation = _mixed_notation(ctx)
        if notation:
            yield Finding(
                ("options", notation[0]),
                f"option {notation[0]} is written as {notation[1]} while the others are not; write every option alike",
            )
        return
    written = _number_writing(numbers)
    if written:
        yield Finding(
            ("options", written[0]),
            f"option {written[0]} is written {written[1]} unlike the others; write every number alike",
        )
        return
    convertible = _convertible_time(numbers)
    if convertible:
        yield Finding(
            ("options", convertible[0]),
            f"option {convertible[0]} is in {convertible[1]}s while the others are not, though it is a whole number "
            "of their unit; write every option in the same unit",
        )
        return
    found = _units_and_separators(numbers, opts["allow-mixed-time-units"])
    if found:
        yield found


def _units_and_separators(numbers: dict[str, Any], mixed_time: bool) -> Finding | None:
    """IW211 on all-numeric options: an odd currency sign, percent sign or unit, money with and
    without cents, thousands with and without a separator."""
    checks = (
        ("currency sign", lambda n: n.currency),
        ("percent sign", lambda n: n.percent),
        ("unit", lambda n: n.unit if not (mixed_time and n.dimension == "time") else "time"),
    )
    for label, signature in checks:
        found = _odd_one(numbers, signature)
        if found:
            return Finding(
                ("options", found),
                f"option {found} differs from the others in its {label}; write every option in the same units",
            )
    money = {k: n for k, n in numbers.items() if n.currency}
    if len(money) == 4:
        found = _odd_one(money, lambda n: n.decimals)
        if found:
            return Finding(
                ("options", found),
                f"option {found} is written with different decimals; write every amount alike (e.g. $720.00)",
            )
    # Plain integers without a unit (codes, years) are not amounts and keep their own form,
    # unless another option writes a thousands separator: then they are amounts too.
    separated = any(n.thousands for n in numbers.values())
    big = {
        k: n
        for k, n in numbers.items()
        if abs(n.value) >= 1000 and (n.currency or n.unit or n.thousands or n.decimals or separated)
    }
    found = _odd_one(big, lambda n: n.thousands) if len(big) >= 2 else None
    if found:
        return Finding(
            ("options", found),
            f"option {found} writes thousands differently; use the same separator in every option",
        )
    return None


_LEADING_POINT = re.compile(r"(?<![\d.])\.\d")
_PERCENT_WORD = re.compile(r"\bpercent\b", re.IGNORECASE)


def _number_writing(numbers: dict[str, Any]) -> tuple[str, str] | None:
    """(option, how) of a numeric option written unlike the others: "percent" spelled out among
    "%" signs, a decimal without its leading zero (".5 mg" among "0.25 mg"), or a whole number
    with trailing zeros ("15.0 mg" among "10 mg", "20 mg"; amounts of money are IW211's decimals
    check)."""
    percent = {k: n for k, n in numbers.items() if n.percent}
    if len(percent) == len(numbers):
        odd = _odd_one(percent, lambda n: bool(_PERCENT_WORD.search(n.text)))
        if odd:
            return odd, "with the word percent" if _PERCENT_WORD.search(numbers[odd].text) else "with a % sign"
    odd = _odd_one(numbers, lambda n: bool(_LEADING_POINT.search(n.text)))
    if odd and _LEADING_POINT.search(numbers[odd].text):
        return odd, "without a zero before its decimal point"
    if not any(n.currency for n in numbers.values()):
        odd = _odd_one(numbers, lambda n: n.decimals > 0 and n.value.is_integer())
        if odd and numbers[odd].decimals and all(not n.decimals for k, n in numbers.items() if k != odd):
            return odd, "with trailing zeros"
    return None


_CLOCK = re.compile(r"^\s*(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*$", re.IGNORECASE)
_DATE_FORMS = (
    ("a numeric date", re.compile(r"^\s*\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\s*$")),
    ("an ISO date", re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")),
    (
        "a date with the month in words",
        re.compile(r"^\s*(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},?\s+)?\d{4}\s*$"),
    ),
)
_FRACTION = re.compile(r"^\s*\d+\s*/\s*\d+(?:\s+[A-Za-z]+)?\s*$")


def _notation(text: str) -> str | None:
    """How an option that is a time, a date or a quantity is written, or None."""
    clock = _CLOCK.match(text)
    if clock and (clock.group("m") or clock.group("ampm")):
        return "a 12-hour time" if clock.group("ampm") else "a 24-hour time"
    for name, pattern in _DATE_FORMS:
        if pattern.match(text):
            return name
    if _FRACTION.match(text):
        return "a fraction"
    n = parse_numeric(text)
    if n is not None:
        return "a percentage" if n.percent else "a decimal" if n.decimals else "a whole number"
    return None


def _mixed_notation(ctx: ItemContext) -> tuple[str, str] | None:
    """(option, notation) of the one option whose times, dates or fractions are written in
    another notation than the three others' ("13:00" among "8:00 a.m.", "March 3, 2026" among
    "3/10/2026"; "0.5" among "1/4", "1/3", "2/3")."""
    forms = {k: _notation(v) for k, v in ctx.options.items()}
    if None in forms.values():
        return None
    if not any(f in ("a fraction", "a 12-hour time", "a 24-hour time") or "date" in str(f) for f in forms.values()):
        return None  # plain numbers of different kinds are the other checks' business
    odd = _odd_one(forms, str)
    if odd is None or sum(f == forms[odd] for f in forms.values()) != 1:
        return None
    return odd, str(forms[odd])


# Exact conversions between time units (a month is not a whole number of days or weeks).
_EXACT_TIME = {
    ("week", "day"): 7,
    ("day", "hour"): 24,
    ("hour", "minute"): 60,
    ("minute", "second"): 60,
    ("year", "month"): 12,
}


def _convertible_time(numbers: dict[str, Any]) -> tuple[str, str] | None:
    """(option, unit) of a time option whose unit differs from the most common one although it is
    a whole number of that unit ("6 weeks" among "15 days", "30 days": 42 days), or None. "6
    months" among years is left alone: half a year is not a way to write it."""
    if any(n.dimension != "time" for n in numbers.values()):
        return None
    units = [n.unit for n in numbers.values()]
    common = max(units, key=units.count)
    if units.count(common) < 2:
        return None
    for k, n in numbers.items():
        factor = _EXACT_TIME.get((n.unit, common))
        if factor is not None and float(n.value * factor).is_integer():
            return k, n.unit
    return None


_DIGIT_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _digits_and_words(ctx: ItemContext) -> str | None:
    """The option whose numbers are written unlike the others' (digits among number words, or a
    word among digits: "Every 6 months", "Every two years"), when the options are short and at
    least three of them hold a number; None otherwise. "One" and "zero" are left out: they are
    pronouns and names ("one of them") as often as numbers. Two options of the same number
    ("30 days", "Thirty days") are IW205's."""
    forms: dict[str, str] = {}
    for k, ws in ctx.option_words.items():
        if len(ws) > 6:
            return None
        digits = any(_DIGIT_NUMBER.match(w) for w in ws)
        spelled = any((v := number_value(w)) is not None and v > 1 for w in ws)
        if digits != spelled:
            forms[k] = "digits" if digits else "words"
    if len(forms) < 3 or len(set(forms.values())) < 2:
        return None
    if len({_comparable(ws) for ws in ctx.option_normal.values()}) < 4:
        return None  # "30 days" and "Thirty days" are one option twice: IW205 reports that
    return _odd_one(forms, str)


def _odd_one(values: dict[str, Any], signature: Callable[[Any], object]) -> str | None:
    """The first option whose signature differs from the most common one, or None when all
    agree (written without Counter: this runs for every item)."""
    sig = {k: signature(v) for k, v in values.items()}
    if len(set(sig.values())) < 2:
        return None
    tally = list(sig.values())
    common = max(tally, key=tally.count)
    return next(k for k, v in sig.items() if v != common)


# A full stop that ends an initial or an abbreviation ("Lee, Dana R.", "Acme Inc.") is not the end
# of a sentence.
_ABBREVIATION_END = re.compile(r"(?:^|[\s,(])(?:[A-Z]|Inc|Co|Corp|Ltd|Jr|Sr|Dr|St|etc|vs|No)\.$")
_LATER_CAPITAL = re.compile(r"\s[A-Z][a-z]")
_FIRST_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _is_name(word: str, ctx: ItemContext) -> bool:
    """Whether a capitalised word is a name: an eponym ("Fowler's") or capitalised in the middle
    of a sentence of the stem or rationale."""
    if word.endswith(("'s", "’s", "'", "’")):
        return True
    for text in (ctx.item.stem, ctx.item.rationale):
        start = text.find(word)
        while start >= 0:
            before = text[:start].rstrip()
            if before and before[-1] not in ".!?:" and (start == 0 or not text[start - 1].isalnum()):
                return True
            start = text.find(word, start + 1)
    return False


@rule("IW212", "non-parallel-options", Severity.WARNING, min_sentence_words=6)
def non_parallel_options(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The options are not parallel in form.

    What: some options end with a full stop and others do not (a stop after an initial or an
    abbreviation, as in "Lee, Dana R.", does not count); or one option starts with a
    lower-case letter where all the others start with a capital; or full sentences (at least
    `min-sentence-words` words) are mixed with fragments of one to three words. Acronyms,
    codes and numbers are ignored, as are names: eponyms such as "Fowler's", title-case
    phrases such as "Meals on Wheels", words capitalised mid-sentence in the stem or rationale,
    and a lone capital among lower-case options.

    Why: options should be homogeneous in grammar and form; the one that is built differently
    stands out, often because it is the key the writer worded with most care (NBME: options
    parallel in structure).

    Bad:
        A: Sign a release.
        B: pay a fee
        C: Request in writing

    Good:
        A: Sign a release
        B: Pay a fee
        C: Request the records in writing
    """
    values = {k: v.strip() for k, v in ctx.options.items()}
    if ctx.numbers is not None:
        return
    ends = {k: v.endswith((".", "!", "?", ";")) and not _ABBREVIATION_END.search(v) for k, v in values.items()}
    found = (
        _end_punctuation(values, ends)
        or _capitalisation(values, ctx)
        or _sentence_and_fragment(values, ends, ctx, opts)
        or _mixed_forms(ctx)
    )
    if found is not None:
        yield found


def _end_punctuation(values: dict[str, str], ends: dict[str, bool]) -> Finding | None:
    odd = _odd_one(ends, bool)
    if not odd:
        return None
    with_stop = [k for k, e in ends.items() if e]
    return Finding(
        ("options", odd),
        f"end punctuation differs: option{'s' if len(with_stop) > 1 else ''} {', '.join(with_stop)} "
        f"end{'s' if len(with_stop) == 1 else ''} with a full stop, the others do not; make the options parallel",
        len(values[odd]) - 1 if ends[odd] else None,
        len(values[odd]) if ends[odd] else None,
    )


def _first_words(values: dict[str, str]) -> dict[str, tuple[str, int]]:
    """Each option's first word and where it ends, leaving out acronyms, codes and single letters."""
    starts: dict[str, tuple[str, int]] = {}
    for k, v in values.items():
        m = _FIRST_WORD.match(v)
        if not m:
            continue
        word = m.group(0)
        letters = word.replace("'", "").replace("’", "").replace("-", "")
        if not letters.isalpha() or (len(word) > 1 and word[1:].lower() != word[1:]) or len(word) == 1:
            continue
        starts[k] = (word, m.end())
    return starts


def _capitalisation(values: dict[str, str], ctx: ItemContext) -> Finding | None:
    """One lower-case start among capitals. A lone capital among lower-case options is usually a
    name ("Good Samaritan law"), and capitals that are names ("Meals on Wheels", "Fowler's") do
    not count: their capital says nothing of style."""
    if sum(v[:1].islower() for v in values.values()) != 1:
        return None
    starts = _first_words(values)
    lower = [k for k, (w, _) in starts.items() if w[0].islower()]
    if len(lower) != 1 or len(starts) < 3:
        return None
    capitals = [
        k
        for k, (w, end) in starts.items()
        if w[0].isupper() and not _LATER_CAPITAL.search(values[k], end) and not _is_name(w, ctx)
    ]
    if len(capitals) < 2:
        return None
    message = "capitalisation differs: make every option start the same way (all capitals or all lower case)"
    return Finding(("options", lower[0]), message, 0, 1)


def _sentence_and_fragment(
    values: dict[str, str], ends: dict[str, bool], ctx: ItemContext, opts: Options
) -> Finding | None:
    counts = {k: len(ws) for k, ws in ctx.option_words.items()}
    sentences = [k for k in values if counts[k] >= opts["min-sentence-words"] and ends[k]]
    fragments = [k for k in values if counts[k] <= 3]
    if not (sentences and fragments):
        return None
    return Finding(
        ("options", fragments[0]),
        f"option {fragments[0]} is a fragment while option {sentences[0]} is a full sentence; make the options parallel",
    )


# --- IW212: the grammatical form of an option ---------------------------------------------------

_OBJECTS = frozenset(
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
        "each",
        "every",
        "all",
        "any",
        "one",
        "two",
        "three",
        "your",
        "our",
        "my",
        "some",
        "no",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "within",
        "into",
        "onto",
        "under",
        "over",
        "after",
        "before",
        "during",
        "through",
        "until",
        "till",
        "to",
        "toward",
        "towards",
        "per",
        "via",
        "about",
        "between",
        "among",
        "behind",
        "beside",
        "besides",
        "inside",
        "outside",
        "upon",
        "near",
        "along",
        "beneath",
        "below",
        "above",
        "across",
        "around",
        "against",
        "beyond",
        "throughout",
        "except",
        "like",
        "off",
        "past",
        "than",
        "underneath",
    ]
)
_SUBORDINATORS = frozenset(
    [
        "when",
        "if",
        "because",
        "since",
        "unless",
        "while",
        "once",
        "whenever",
        "although",
        "though",
        "as",
        "so",
        "and",
        "but",
        "or",
        "yet",
        "then",
    ]
)
_FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
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
        "shall",
    ]
)
_SUBJECTS = frozenset(["it", "she", "he", "they", "we", "you", "i", "there"])
_FINITE_CONTRACTED = re.compile(r"n['’]t$")
# Words that start an option without being its verb: adverbs, quantifiers, negatives.
_NOT_VERBS = frozenset(
    [
        "only",
        "just",
        "never",
        "always",
        "not",
        "also",
        "either",
        "neither",
        "both",
        "even",
        "twice",
        "once",
        "thrice",
        "half",
        "all",
        "no",
        "nothing",
        "none",
        "now",
        "soon",
        "later",
        "then",
        "still",
        "almost",
        "nearly",
        "about",
        "every",
        "each",
    ]
)
_ING_WORDS = frozenset(
    [
        "during",
        "according",
        "regarding",
        "including",
        "concerning",
        "following",
        "nothing",
        "something",
        "anything",
        "everything",
        "morning",
        "evening",
        "thing",
        "bring",
        "spring",
        "string",
        "sibling",
        "ceiling",
        "building",
        "pending",
    ]
)
FORMS = {
    "imperative": 'a command ("Send the records")',
    "gerund": 'an -ing phrase ("Sending the records")',
    "infinitive": 'a to-phrase ("To send the records")',
    "adverbial": 'a phrase of time, place or condition ("In the chart", "When she asks")',
    "clause": 'a sentence with its own verb ("The office sends the records")',
    "noun": 'a noun phrase ("The signed release")',
}


def option_form(ws: list[str]) -> str | None:
    """The grammatical form of an option (a key of `FORMS`) when its first words make it plain,
    else None: one word, or a start that could be a noun or a verb ("Billing department", "Record
    of the call"), is not judged."""
    if len(ws) < 2 or not ws[0].isalpha():
        return None
    first, second = ws[0], ws[1]
    ws = [_FINITE_CONTRACTED.sub("", w) for w in ws]  # "isn't" is "is" here
    if first == "to" and second not in _OBJECTS:
        return "infinitive"
    if first in _PREPOSITIONS or first in _SUBORDINATORS:
        return "adverbial"
    if first.endswith("ing") and len(first) >= 5 and first not in _ING_WORDS:
        return "gerund"  # "Using correction fluid"; or a noun ("Filing cabinet"): not a command either
    if first in _SUBJECTS:
        return "clause"
    if first in ("a", "an", "the"):
        return _article_form(ws)
    if _may_be_verb(first) and (
        second in _OBJECTS or (second == "and" and len(ws) > 3 and _may_be_verb(ws[2]) and ws[3] in _OBJECTS)
    ):
        return "imperative"  # "Send the records", "Initial and date the change"
    return None


def _article_form(ws: list[str]) -> str | None:
    """The form of an option that starts with an article: a clause when a verb follows the
    subject ("The page should be torn out", "The patient signs the form"), a noun phrase when no
    verb is in it, else not judged: a verb further on is often a relative clause ("The cap on
    damages a jury may award")."""
    if set(ws[2:4]) & _FINITE or (len(ws) > 3 and ws[2].endswith("s") and ws[3] in _OBJECTS):
        return "clause"
    return None if set(ws[1:]) & _FINITE else "noun"


def _may_be_verb(word: str) -> bool:
    """Whether an option's first word, followed by an object ("the", "her"), can be a verb in the
    imperative: not a function word, an -ing form, an adverb in -ly, a past form in -ed or a third
    person in -s."""
    if word in _OBJECTS or word in _FINITE or word in _NOT_VERBS or word in _SUBJECTS:
        return False
    if word.endswith("ing") or (word.endswith("ly") and not word.endswith("ply")):
        return False
    if len(word) > 5 and word.endswith("ed") and not word.endswith("eed"):
        return False
    return not (word.endswith("s") and not word.endswith("ss"))


def _letters_marked(text: str, ws: list[str]) -> list[str]:
    """An option's lower-case words with a capital "A" after the first word marked as a letter
    ("Class A", "Part A": "a."), not an article."""
    if "A" not in text:
        return ws
    raw = WORD.findall(fold(text))
    return ["a." if t == "A" and i else w for i, (t, w) in enumerate(zip(raw, ws, strict=False))]


def _mixed_forms(ctx: ItemContext) -> Finding | None:
    """Three options of one grammatical form and the fourth of another ("Send the records",
    "Fax the records", "Mail the records", "The patient portal")."""
    forms = {k: option_form(_letters_marked(ctx.options[k], ws)) for k, ws in ctx.option_words.items()}
    if None in forms.values():
        return None
    odd = _odd_one(forms, str)
    if odd is None:
        return None
    common = next(f for k, f in forms.items() if k != odd)
    if sum(f == common for f in forms.values()) != 3:
        return None
    return Finding(
        ("options", odd),
        f"option {odd} is {FORMS[forms[odd]]} while the others are each {FORMS[common]}; make the options parallel",  # type: ignore[index]
    )
