"""IW1xx: the stem and its lead-in (NBME: the lead-in asks one clear question; the options'
shared words belong in the stem)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from cmas_bank.diagnostics import Severity
from cmas_bank.lint.core import Finding, ItemContext, Options, rule
from cmas_bank.lint.text import WORD


@rule("IW101", "lead-in-not-question", Severity.WARNING, allow_completion=False)
def lead_in_not_question(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The stem does not end with a question mark.

    What: the last character of the stem is not `?`. With `allow-completion = true`, a
    completion stem (one that ends mid-sentence, with a colon or a blank, for the options to
    finish) is accepted; a stem ending in a full stop never is.

    Why: a closed question lets a candidate answer before reading the options ("cover the
    options" test); a statement or an open stem makes the item a set of true/false judgements.

    Bad:
        stem: The form a patient signs to allow release of records to an attorney.

    Good:
        stem: Which form must a patient sign before the office releases records to her attorney?
    """
    stem = ctx.item.stem.rstrip()
    last = stem[-1:]
    if last == "?":
        return
    if opts["allow-completion"] and last not in ".!":
        return
    yield Finding(
        ("stem",),
        "the stem does not end with a question mark; end it with a closed question",
        start=len(stem) - 1,
        end=len(stem),
    )


_VAGUE = re.compile(
    r"\bwhich\s+(?:one\s+)?(?:of\s+(?:the\s+)?(?:following|these|those|options|choices|answers)\s+)?"
    r"(?:statements?\s+|options?\s+|choices?\s+|answers?\s+)?(?:is|are|would\s+be)\s+(?:the\s+)?"
    r"(?:most\s+)?(?:true|correct|accurate|false|incorrect|right|valid|untrue)\b"
    r"|\b(?:what|which)\s+(?:is|are)\s+(?:a\s+|the\s+)?(?:true|correct|accurate|false|incorrect)"
    r"(?:\s+statements?)?(?:\s+(?:about|of|regarding|concerning|for)\b|\s*\?)"
    r"|\bwhich\s+(?:of\s+(?:the\s+following|these|those|the)\s+)?statements?\b[^?]{0,120}?\b(?:is|are)\s+(?:most\s+)?"
    r"(?:true|correct|accurate|false|incorrect)\b"
    r"|\bwhich\s+of\s+the\s+following\s+(?:is|are)\s+(?:a\s+)?(?:true|correct)\s+statements?\b",
    re.IGNORECASE,
)


_VAGUE_WORDS = ("true", "correct", "accurate", "false", "right", "valid")


@rule("IW102", "vague-lead-in", Severity.WARNING)
def vague_lead_in(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The lead-in asks which statement is true (or false) instead of asking a question.

    What: lead-ins such as "Which of the following is true?", "Which statement about X is
    correct?" or "What is true regarding X?".

    Why: such a lead-in does not pose a problem; each option becomes a separate true/false
    item, the candidate cannot answer with the options covered, and the options drift apart
    in content (NBME: avoid "Which of the following statements is correct?").

    Bad:
        stem: Which of the following is true about the Notice of Privacy Practices?

    Good:
        stem: When must a provider first give a new patient its Notice of Privacy Practices?
    """
    lead, offset = ctx.lead_in
    lowered = lead.lower()
    if not any(word in lowered for word in _VAGUE_WORDS):
        return  # every vague lead-in says true, correct, false...: skip the long pattern
    m = _VAGUE.search(lead)
    if m:
        yield Finding(
            ("stem",),
            f'vague lead-in "{" ".join(m.group(0).split())}": ask the specific question the key answers',
            start=offset + m.start(),
            end=offset + m.end(),
        )


_NEGATIVE = re.compile(
    r"\b(?P<word>not|never|except|least|false|incorrect|untrue|cannot|[A-Za-z]+n['’]t"
    r"|inappropriate|unacceptable|improper|wrong|unlikely|exception|inaccurate|invalid|avoid)\b",
    re.IGNORECASE,
)
_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|be|been|do|does|did|would|should|could|can|may|might|must|will|shall|has|have|had)\b",
    re.IGNORECASE,
)
_DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "each", "every", "any", "her", "his", "their", "its"}
)
_INVERTING = frozenset(
    {"do", "does", "did", "would", "should", "could", "can", "may", "might", "must", "will", "shall"}
)
_INVERTED_BE = frozenset({"is", "are", "was", "were"})


def _asks_not(before: str) -> bool:
    """Whether a lower-case "not" negates the question's verb ("which form is not needed",
    "what should the assistant not do", "which form is the front desk not required to offer")
    rather than describe a noun ("a chart not used", "an employee not entitled to overtime").
    `before`: the five words before "not"."""
    words = [w.lower() for w in before.split()]
    prev = words[-3:]
    if len(prev) >= 2 and prev[-2] in _DETERMINERS:
        if len(prev) == 3 and prev[0] in _INVERTING:
            return True  # "should the assistant not"
    elif _AUXILIARY.search(" ".join(prev)):
        return True
    return _inverted_subject(words)


def _inverted_subject(words: list[str]) -> bool:
    """Whether the words end in an inverted question's verb and a noun phrase subject ("is the
    front desk", "does the office"): the "not" after them negates the question."""
    for i in range(len(words) - 2, 0, -1):
        if words[i] in _DETERMINERS:
            return words[i - 1] in _INVERTING or words[i - 1] in _INVERTED_BE
        if _AUXILIARY.fullmatch(words[i]):
            return False
    return False


_NEGATIVE_HINTS = (
    "not",
    "never",
    "except",
    "least",
    "false",
    "incorrect",
    "untrue",
    "cannot",
    "n't",
    "n’t",
    "inappropriate",
    "unacceptable",
    "improper",
    "wrong",
    "unlikely",
    "inaccurate",
    "invalid",
    "avoid",
)
_SUBORDINATE = re.compile(
    r"\b(?:if|when|whenever|because|since|although|though|unless|after|before|while|whether|once|until|even)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:(—–]")
# Words that ask for the wrong option only when said of the answer ("which is false", "would be
# inappropriate", "should she avoid?"), not when they describe a noun ("a false claim").
_PREDICATES = frozenset(
    {
        "false",
        "incorrect",
        "untrue",
        "inappropriate",
        "unacceptable",
        "improper",
        "wrong",
        "unlikely",
        "exception",
        "inaccurate",
        "invalid",
        "avoid",
    }
)
# A relative clause after a noun ("a check that cannot be cashed", "a patient who does not
# speak English") describes the noun: a negative in it is part of the scenario.
_RELATIVE = re.compile(r"(?<=\w\s)(?:that|who|whom|whose)\b", re.IGNORECASE)


_IS_BEFORE = re.compile(r"\b(?:is|are|be|was|were|most|least)\s+$", re.IGNORECASE)
# "would be an incorrect way": the article between the verb and the word; not for "false", which
# names things ("a false claim") far more often than it asks for the wrong option.
_IS_AN_BEFORE = re.compile(r"\b(?:is|are|be|was|were)\s+(?:an?|the)\s+$", re.IGNORECASE)
_ASKED_AFTER = re.compile(r"\s*(?:[?,.:;]|$|about\b|regarding\b|concerning\b|for\b)", re.IGNORECASE)
_AT_BEFORE = re.compile(r"\bat\s+$", re.IGNORECASE)
_ONLY_AFTER = re.compile(r"\s+only\b", re.IGNORECASE)
_CONTRAST_BEFORE = re.compile(r"[,—–]\s*$")


def _predicate(lead: str, m: re.Match[str], before: str) -> bool:
    """Whether "false"/"incorrect" is said of the answer ("is false", "incorrect?") rather than
    describing a noun ("false claims")."""
    if m.group("word").lower() != "false" and _IS_AN_BEFORE.search(before):
        return True
    return bool(_IS_BEFORE.search(before) or _ASKED_AFTER.match(lead, m.end()))


def _words_before(text: str, at: int, count: int = 3) -> str:
    """The text from the start of the `count`-th last word before `at` up to `at`: all that the
    checks of a negative word look at behind it. Found by walking back, so a lead-in of many
    negative words costs time linear in its length (slicing all of it each time did not)."""
    start = at
    for _ in range(count):
        while start > 0 and text[start - 1].isspace():
            start -= 1
        if start == 0:
            break
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    return text[start:at]


def _in_subordinate_clause(at: int, breaks: list[int], subordinates: list[tuple[int, int]]) -> bool:
    """Whether a subordinating word ("if", "when") stands between the last clause break before
    `at` and `at`. `breaks` and `subordinates` (start, end) are in order of position."""
    clause_start = breaks[bisect.bisect_left(breaks, at) - 1] + 1 if breaks and breaks[0] < at else 0
    i = bisect.bisect_right(subordinates, (at, at)) - 1
    while i >= 0 and subordinates[i][1] > at:
        i -= 1
    return i >= 0 and subordinates[i][0] >= clause_start


def _not_asked(lead: str, m: re.Match[str], before: str, subordinate: bool) -> bool:
    """Whether a lower-case negative word describes the scenario rather than asking the question."""
    word = m.group("word")
    lower = word.lower()
    if word[:1].isupper() and m.start() > 0:
        return True  # "False Claims Act": a name, not a negative
    if subordinate:
        return True  # "if the claim is not paid"
    if lower == "not" and (_ONLY_AFTER.match(lead, m.end()) or _CONTRAST_BEFORE.search(before)):
        return True  # "not only"; contrast: "the specialist, not the physician, keyed it"
    if lower in ("not", "never") and not _asks_not(before):
        return True  # "a chart not used for years" describes; "which form is not" asks
    return lower in _PREDICATES and not _predicate(lead, m, before)  # "each false claim" describes


@rule("IW103", "negative-lead-in", Severity.ERROR)
def negative_lead_in(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The lead-in is negative (NOT, EXCEPT, LEAST, FALSE, INCORRECT).

    What: a negative word (not, never, except, least, false, incorrect) in the lead-in, or a
    word that asks for the wrong option when it is said of the answer ("which would be
    inappropriate", "is unacceptable", "improper", "the wrong way", "unlikely", "the
    exception", "should she avoid?"). In lower case it is an error; written in capitals
    (NOT, EXCEPT) it is reported as information, since writing it in capitals is the accepted
    way to keep an unavoidable negative from being missed. A negative inside a subordinate
    clause ("if the claim is not paid"), in a relative clause ("a check that cannot be
    cashed") or describing a noun ("a chart not used for years",
    "each false claim") is part of the scenario, not a negative lead-in; a lower-case "not" or
    "never" counts only after a verb such as is, does, should or may ("which information should
    she never leave"), "incorrect" also after "is an" ("would be an incorrect way"), and "at
    least" is not negative.

    Why: candidates read past a lower-case "not" and answer the opposite question, which tests
    reading speed rather than knowledge; negative items also tend to test trivia (Haladyna et
    al. 2002: word the stem positively; if a negative is needed, emphasise it).

    Bad:
        stem: Which of these is not a HIPAA identifier?

    Good:
        stem: Which of these is a HIPAA identifier that must be removed to de-identify a record?
        stem: Which of these is NOT a HIPAA identifier?   # allowed, reported as information
    """
    lowered = ctx.item.stem.lower()
    if not any(word in lowered for word in _NEGATIVE_HINTS):
        return  # no negative word anywhere in the stem: skip finding the lead-in
    lead, offset = ctx.lead_in
    breaks = [b.start() for b in _CLAUSE_BREAK.finditer(lead)]
    subordinates = sorted(
        [(s.start(), s.end()) for s in _SUBORDINATE.finditer(lead)]
        + [(s.start(), s.end()) for s in _RELATIVE.finditer(lead)]
    )
    for m in _NEGATIVE.finditer(lead):
        word = m.group("word")
        lower = word.lower()
        before = _words_before(lead, m.start(), 5)
        if lower == "least" and _AT_BEFORE.search(before):
            continue
        capitals = word.isupper() and len(word) > 1
        if not capitals and _not_asked(lead, m, before, _in_subordinate_clause(m.start(), breaks, subordinates)):
            continue
        message = (
            f'negative lead-in "{word}" is in capitals; prefer a positive question'
            if capitals
            else f'negative lead-in "{word}": ask a positive question, or write the negative in capitals ({word.upper()})'
        )
        yield Finding(
            ("stem",),
            message,
            start=offset + m.start(),
            end=offset + m.end(),
            severity=Severity.INFO if capitals else None,
        )
        return


# Openings too slight to move into the stem: articles, a pronoun and "is" ("It is", "They are"),
# prepositions.
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "he",
        "she",
        "they",
        "we",
        "you",
        "is",
        "are",
        "was",
        "were",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "and",
        "or",
        "as",
    ]
)


@rule("IW104", "repeated-option-opening", Severity.WARNING, min_words=2)
def repeated_option_opening(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """Every option opens with the same words.

    What: all four options start with the same `min-words` or more words (unless all of them
    are as slight as "the", "it is", "they are" or "to the" and there are fewer than three; "She should"
    counts). A shared opening that
    is a name or a citation, every word capitalised or a number ("Medicare Part A", "Medicare
    Part B"; "45 CFR Part 164"), is a series of labels and is left alone.

    Why: words repeated in every option belong in the stem; moving them there shortens the
    item and makes the options differ only where the content differs (NBME: put as much of
    the item as possible in the stem).

    Bad:
        options: {A: The patient must sign a release, B: The patient must pay a fee, ...}

    Good:
        stem: What must the patient do before the office releases the records?
        options: {A: Sign a release, B: Pay a fee, ...}
    """
    lists = [WORD.findall(v) for v in ctx.options.values()]
    lowered = [[w.lower().replace("’", "'") for w in ws] for ws in lists]
    common = 0
    for column in zip(*lowered):
        if len(set(column)) != 1:
            break
        common += 1
    if common < opts["min-words"] or common >= min(len(ws) for ws in lowered):
        return  # an option made only of the shared words is a different flaw
    shared = lowered[0][:common]
    if common < 3 and all(w in _FILLER for w in shared):
        return  # "The", "It is", "To the": too little to move into the stem ("She should" is not)
    if all(w[:1].isupper() or w[:1].isdigit() for w in lists[0][:common]):
        return  # a name or citation the options share ("Medicare Part", "45 CFR Part"): a series of labels
    first = ctx.options["A"]
    end = first.lower().find(shared[-1]) + len(shared[-1]) if shared[-1] in first.lower() else None
    yield Finding(
        ("options", "A"),
        f'every option starts with "{" ".join(lists[0][:common])}"; move those words into the stem',
        start=0,
        end=end,
    )


@rule("IW105", "stem-too-long", Severity.WARNING, max_words=120)
def stem_too_long(ctx: ItemContext, opts: Options) -> Iterator[Finding]:
    """The stem is longer than `max-words` words.

    What: the stem (scenario and lead-in) has more words than the limit.

    Why: reading time is not what the exam measures; a long stem adds difficulty unrelated to
    the content and wastes testing time (NBME: irrelevant difficulty). Keep the scenario to
    the facts the question needs.

    Bad:
        stem: (a 200-word scenario with the patient's history, the weather and the office layout)

    Good:
        stem: (the three facts the question turns on, then the question)
    """
    n = len(ctx.stem_words)
    if n > opts["max-words"]:
        yield Finding(
            ("stem",), f"the stem has {n} words (limit {opts['max-words']}); keep only the facts the question needs"
        )
