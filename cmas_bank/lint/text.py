"""Text helpers shared by the lint rules: words, stop words, a crude stemmer, numeric options.

Everything here is compiled once at import and works on short strings, because lint runs over
100,000 items: no per-item model loading, no NLP library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9'’]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "myself",
        "neither",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "following",
        "best",
        "correct",
        "true",
        "false",
        "answer",
        "option",
        "options",
        "choice",
        "question",
        "statement",
        "statements",
        "describes",
        "describe",
        "per",
    ]
)

# Words too common in a medical-office bank to be a cue when the key repeats them.
DOMAIN_COMMON = frozenset(
    [
        "patient",
        "patients",
        "medical",
        "office",
        "assistant",
        "practice",
        "provider",
        "physician",
        "doctor",
        "clinic",
        "staff",
        "employee",
        "employees",
        "record",
        "records",
        "information",
        "health",
        "care",
        "visit",
        "service",
        "services",
        "form",
        "forms",
        "claim",
        "claims",
        "code",
        "codes",
        "plan",
        "plans",
        "payer",
        "payers",
        "insurance",
        "insurer",
    ]
)


# --- confusable characters -----------------------------------------------------------------

INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)
"""Characters that show nothing (zero-width space and joiners, soft hyphen, word joiner,
direction marks and embeddings, a byte-order mark inside text, Hangul fillers): in a text they
only make equal words compare unequal."""

# Cyrillic and Greek letters drawn like Latin ones (a subset of Unicode's confusables.txt).
LOOKALIKES = {
    **dict(zip("аеорсухѕіјԁԛԝһӏ", "aeopcyxsijdqwhl", strict=True)),
    **dict(zip("АВЕКМНОРСТХУЅІЈԚԜ", "ABEKMHOPCTXYSIJQW", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοαν", "ABEZHIKMNOPTYXoav", strict=True)),
}


class _Folding(dict[int, str | None]):
    """`str.translate` table made as characters are met: invisible ones dropped, look-alike
    Cyrillic and Greek letters made Latin, and letters and digits in compatibility forms
    (fullwidth "Ａ", ligature "ﬁ") made plain by NFKC. Not NFKC for other characters: it would
    make "10²" read "102" and "½" read "1⁄2"."""

    def __missing__(self, code: int) -> str | None:
        import unicodedata

        ch = chr(code)
        out: str | None = ch
        if ch in INVISIBLE:
            out = None
        elif ch in LOOKALIKES:
            out = LOOKALIKES[ch]
        elif unicodedata.category(ch)[0] in "LN" and unicodedata.category(ch) != "No":
            out = unicodedata.normalize("NFKC", ch)
        self[code] = out
        return out


_FOLDING = _Folding()


def fold(text: str) -> str:
    """`text` as it reads: without invisible characters, with look-alike letters made Latin and
    compatibility forms plain (see `_Folding`), composed (NFC). What lint compares: options such
    as "60 days", "6\u200b0 days" and "60 d\u0430ys" (a Cyrillic a) are the same option."""
    if text.isascii():
        return text
    import unicodedata

    return unicodedata.normalize("NFC", text.translate(_FOLDING))


def words(text: str) -> list[str]:
    """Lower-cased words and numbers, possessives dropped ("patient's" -> "patient"); compared as
    they read (`fold`)."""
    text = fold(text)
    found = WORD.findall(text.lower())
    if "'" in text or "’" in text:
        return [_POSSESSIVE.sub("", w) if ("'" in w or "’" in w) else w for w in found]
    return found


@lru_cache(maxsize=65536)
def stem_word(word: str) -> str:
    """A crude stem so that plurals and -ation/-ize/-ed/-ing forms meet: enough for cue
    detection, where a missed match costs less than a false one."""
    w = word.lower()
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "zes", "sses")):
                continue
            w = w[: -len(suffix)] + keep
            break
    for suffix in ("ation", "ization", "ize", "ized", "izing", "ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 5:
            w = w[: -len(suffix)]
            break
    return w[:8]


# Number words read as digits ("thirty days" is "30 days"): units, teens and tens, and the tens
# joined by a hyphen ("forty-five"). Larger numbers are written in digits in practice.
_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    **{f"{t}-{u}": 20 + 10 * i + j for i, t in enumerate(_TENS) for j, u in enumerate(_UNITS[1:10], 1)},
    "hundred": 100,
}


def number_value(word: str) -> int | None:
    """The value of a lower-case number word ("thirty", "forty-five"), or None."""
    return NUMBER_WORDS.get(word)


ARTICLES = frozenset({"a", "an", "the"})


def without_articles(ws: list[str]) -> tuple[str, ...]:
    """Lower-case words without articles (an "a" that ends the text, as in "Part A", is a
    letter and stays)."""
    last = len(ws) - 1
    return tuple(w for i, w in enumerate(ws) if w not in ARTICLES or i == last)


def content_stems(ws: list[str]) -> set[str]:
    """The stems of the content words among `ws` (no stop words, no plain numbers)."""
    return {stem_word(w) for w in ws if w not in STOPWORDS and not w.isdigit()}


@lru_cache(maxsize=64)
def phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of `phrases` as whole words; spaces match any
    run of whitespace. Cached: rules build it from their options on every item."""
    alternatives = sorted((re.escape(p).replace(r"\ ", r"\s+") for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


# --- option letters in explanations ---------------------------------------------------------

_CAPITAL_AD = re.compile(r"[A-D]")
_REF_BEFORE = re.compile(r"(?:\b(?:option|answer|choice|key|letter)s?\s+\(?|\(\s*)$", re.IGNORECASE)
_REF_AFTER = re.compile(r"\s*\)|\s+(?:is|are|was|would)\b|[.:,;]\s|\s*[-–—]\s|\s+\(")


def letters_mentioned(text: str) -> set[str]:
    """The option letters a rationale refers to: "(C)", "option C", "C is", "C:". Found by
    visiting each capital A-D (few per rationale) rather than by one slow regex pass."""
    found: set[str] = set()
    n = len(text)
    for m in _CAPITAL_AD.finditer(text):
        i = m.start()
        if (i and text[i - 1].isalnum()) or (i + 1 < n and (text[i + 1].isalnum() or text[i + 1] in "'’-")):
            continue
        if _REF_BEFORE.search(text, max(0, i - 12), i) or _REF_AFTER.match(text, i + 1) or i + 1 == n:
            found.add(m.group(0))
    return found


# --- numbers ----------------------------------------------------------------------------------

_NUMERIC = re.compile(
    r"""^\s*(?P<prefix>about|approximately|up\ to|at\ least|at\ most|less\ than|more\ than|under|over)?\s*
    (?P<cur>[$€£])?\s*
    (?P<num>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+)
    \s*(?P<pct>%|percent\b)?
    \s*(?P<unit>[A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,2})?
    \s*\.?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)

_TIME_UNITS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "business day": 1.4,
    "working day": 1.4,
    "work day": 1.4,
    "workday": 1.4,
    "calendar day": 1.0,
    "week": 7.0,
    "month": 30.4,
    "year": 365.25,
}


@dataclass(frozen=True)
class Number:
    """A numeric option: its value, unit and the way it is written."""

    value: float
    unit: str  # singular, lower case; "" when none
    currency: str
    percent: bool
    decimals: int
    thousands: bool  # written with a thousands separator
    text: str

    @property
    def dimension(self) -> str:
        if self.currency:
            return "money"
        if self.percent:
            return "percent"
        if self.unit in _TIME_UNITS:
            return "time"
        return self.unit

    @property
    def comparable(self) -> float:
        """The value in a common unit (days for time), for ordering."""
        return self.value * _TIME_UNITS.get(self.unit, 1.0)


def _singular(unit: str) -> str:
    unit = " ".join(unit.lower().split())
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    if unit.endswith("s") and not unit.endswith("ss") and len(unit) > 2:
        return unit[:-1]
    return unit


# "-25", "-59 modifier": a CPT modifier written with its hyphen is a code, not a negative number.
_MODIFIER = re.compile(r"^\s*-\d{2}(?:\s+modifier)?\s*$", re.IGNORECASE)


def squeeze(text: str) -> str:
    """`text` with every run of white space made one space, and none at the ends. The anchored
    patterns that read a whole option (numbers, ranges, combinations) match this, so a run of
    spaces cannot be split between their adjacent white-space quantifiers in more than a few ways: matching stays
    linear in the text, where thousands of spaces used to take minutes (backtracking)."""
    return " ".join(text.split())


def parse_numeric(text: str) -> Number | None:
    """Read an option such as "$1,188.00", "30 days", "15%" or "2.5"; None for anything else
    (ranges, codes with letters, sentences)."""
    squeezed = squeeze(text)
    m = _NUMERIC.match(squeezed)
    if not m or m.group("prefix") or _MODIFIER.match(squeezed):
        return None
    raw = m.group("num")
    digits = raw.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return Number(
        value=value,
        unit=_singular(m.group("unit") or ""),
        currency=m.group("cur") or "",
        percent=bool(m.group("pct")),
        decimals=decimals,
        thousands="," in raw,
        text=text,
    )


# --- ranges -----------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RANGE = re.compile(
    rf"^\s*(?:between\s+)?[$]?(?P<lo>{_NUM})\s*%?\s*(?:-|–|—|to|and|through)\s*[$]?(?P<hi>{_NUM})\s*%?\s*(?P<unit>[A-Za-z][A-Za-z ]{{0,20}})?\.?\s*$",
    re.IGNORECASE,
)
_OPEN_RANGE = re.compile(
    rf"^\s*(?P<op>less\s+than|fewer\s+than|under|below|up\s+to|at\s+most|no\s+more\s+than|more\s+than|greater\s+than|over|above|at\s+least|no\s+less\s+than|(?:younger|lower|earlier|sooner|shorter)\s+than|(?:older|higher|later|longer)\s+than)\s+[$]?(?P<n>{_NUM})\s*%?\s*(?P<unit>[A-Za-z][A-Za-z ]{{0,20}})?\.?\s*$"
    rf"|^\s*[$]?(?P<n2>{_NUM})\s*%?\s*(?P<unit2>[A-Za-z][A-Za-z ]{{0,20}}?)?\s+(?:or|and)\s+(?P<op2>more|fewer|less|greater|above|below|longer|shorter|older|younger|over|under|up|higher|lower|later|earlier|sooner)\.?\s*$"
    # "≤ 100", "> 300 mg", "300+", "$500+ a month"
    rf"|^\s*(?P<sym>[<>≤≥]=?)\s*[$]?(?P<n3>{_NUM})\s*%?\s*(?P<unit3>[A-Za-z][A-Za-z ]{{0,20}})?\.?\s*$"
    rf"|^\s*[$]?(?P<n4>{_NUM})\s*%?\s*\+\s*(?P<unit4>[A-Za-z][A-Za-z ]{{0,20}})?\.?\s*$",
    re.IGNORECASE,
)
_SYMBOLS = {"<": "less than", "<=": "at most", "≤": "at most", ">": "more than", ">=": "at least", "≥": "at least"}
INF = float("inf")
_DOWNWARD = frozenset({"younger", "lower", "earlier", "sooner", "shorter"})
_UPWARD = frozenset({"more", "greater", "above", "longer", "older", "over", "up", "higher", "later"})


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float
    lo_closed: bool
    hi_closed: bool

    def overlaps(self, other: Interval) -> bool:
        if self.hi < other.lo or other.hi < self.lo:
            return False
        if self.hi == other.lo:
            return self.hi_closed and other.lo_closed
        if other.hi == self.lo:
            return other.hi_closed and self.lo_closed
        return True


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def parse_range(text: str) -> Interval | None:
    """Read "1-5 days", "between 3 and 6", "less than 10", "10 or more", "65 and over", "≤ 100"
    or "90+ days" as an interval."""
    text = squeeze(text)
    m = _RANGE.match(text)
    if m:
        lo, hi = _num(m.group("lo")), _num(m.group("hi"))
        if lo > hi:
            return None
        return Interval(lo, hi, True, True)
    m = _OPEN_RANGE.match(text)
    if not m:
        return None
    if m.group("op"):
        op, n = " ".join(m.group("op").lower().split()), _num(m.group("n"))
    elif m.group("sym"):
        op, n = _SYMBOLS[m.group("sym").replace("≤=", "≤").replace("≥=", "≥")], _num(m.group("n3"))
    elif m.group("n4"):
        op, n = "at least", _num(m.group("n4"))
    else:
        op, n = m.group("op2").lower(), _num(m.group("n2"))
        op = "at least" if op in _UPWARD else "at most"
    if op in ("less than", "fewer than", "under", "below") or op.split()[0] in _DOWNWARD:
        return Interval(-INF, n, False, False)
    if op in ("up to", "at most", "no more than"):
        return Interval(-INF, n, False, True)
    if op in ("more than", "greater than", "over", "above") or op.endswith(" than"):
        return Interval(n, INF, False, False)
    return Interval(n, INF, True, False)  # at least, no less than


# --- articles ---------------------------------------------------------------------------------

_CONSONANT_SOUND_VOWELS = re.compile(r"^(?:uni|use|usu|uti|ure|eu|ewe|one|once|u[bcfhjkqrst][aeiou])", re.IGNORECASE)
_VOWEL_SOUND_H = re.compile(r"^(?:hour|honest|honor|honour|heir|herb)", re.IGNORECASE)
_LETTER_AN = set("AEFHILMNORSX")
# Acronyms read as words, not letter by letter: the article follows their spelling.
_WORD_ACRONYMS = frozenset(
    {"HIPAA", "OSHA", "FICA", "FUTA", "SUTA", "COBRA", "CLIA", "HITECH", "NUCC", "HEDIS", "ERISA", "AIDS", "HCPCS"}
)


_LETTER_CODE = re.compile(r"^[A-Z]{2,}(?:-|\d)")


def takes_an(word: str) -> bool:
    """Whether a word is read with "an" before it (an hour, an MRI, a unit, a HIPAA form)."""
    if not word:
        return False
    if word[0].isdigit():
        return word.startswith(("8", "11", "18"))
    letters = word.strip("\"'“‘(")
    if not letters:
        return False
    if len(letters) > 1 and letters.isupper() and letters.isalpha() and letters not in _WORD_ACRONYMS:
        return letters[0] in _LETTER_AN  # read letter by letter: an MRI, a CPT code
    if len(letters) > 1 and letters[0].isupper() and letters[1] == "-":
        return letters[0] in _LETTER_AN  # an X-ray, a W-2
    if _LETTER_CODE.match(letters) and letters.split("-")[0] not in _WORD_ACRONYMS:
        return letters[0] in _LETTER_AN  # a UB-04, an ICD-10 code, a CMS-1500: read letter by letter
    if _VOWEL_SOUND_H.match(letters):
        return True
    if _CONSONANT_SOUND_VOWELS.match(letters):
        return False
    return letters[0].lower() in "aeiou"
