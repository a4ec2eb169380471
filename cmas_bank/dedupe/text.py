"""Text normalisation for duplicate detection: what counts as "the same words".

Two views of every text:

- **plain tokens**: Unicode NFKC, case-folded, split into word characters, so case, punctuation,
  spacing and compatibility forms (full-width digits, ligatures, no-break spaces, curly quotes)
  never make two texts differ. Exact duplicates and answer keys are compared on these.
- **masked tokens**: plain tokens with every number, and every date word written next to a
  number ("March 3", "3 Mar 2026") or a weekday, replaced by one placeholder, runs of
  placeholders collapsed. A copy that only changes a number or a date then reads the same. Near
  duplicates are scored on these.

`names` finds the proper names of a stem (capitalised words inside a sentence) and `renamed` reads
them as one placeholder; `lexicon.py` builds the content words that paraphrases share on top of
the masked tokens.

Everything here is pure and cheap (a regular expression and a dict lookup per word), because it
runs once per item of a 100,000-item bank.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence

NUMBER = "#"
"""The placeholder a masked number or date becomes."""
NAME = "@"
"""The placeholder a person's name becomes in content words (`names`)."""

_WORD = re.compile(r"\w+")
_MASKED_WORD = re.compile(r"\w+|#")
_DIGIT = re.compile(r"\d")
_DIGIT_WORD = re.compile(r"\b[^\W\d]*+\d\w*")  # possessive: no backtracking inside words
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n\s*\n")

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_WEEKDAY_ABBREVIATIONS = "mon tue tues wed thu thur thurs fri sat sun"
_BESIDE_WORDS = frozenset((_MONTHS + " " + _WEEKDAY_ABBREVIATIONS).split())
DATE_WORDS = _BESIDE_WORDS | frozenset(_WEEKDAYS.split())
"""Words that masking may turn into a placeholder besides numbers."""
# Month names and weekday abbreviations are masked only next to a number: "may", "march",
# "sat" and "sun" are also ordinary words. Full weekday names are always dates.
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(_WEEKDAYS.split())})\b")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "as",
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
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "hers",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "not",
        "no",
        "so",
        "such",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
    ]
)
"""Words too common to say anything about which question an item asks. Dropped from the
features that pick candidate pairs (they would make every item look a little like every other),
kept when a candidate pair is scored."""


def plain_and_masked(text: str) -> tuple[list[str], list[str]]:
    """Plain and masked tokens of a short text such as an option."""
    folded = normal(text)
    plain = words(folded)
    return plain, mask_normal(folded, plain)


def plain_tokens(text: str) -> list[str]:
    """Words of `text` after NFKC and case folding; punctuation and spacing are dropped."""
    return words(normal(text))


def normal(text: str) -> str:
    """NFKC and case folding: the form every comparison starts from. ASCII text (most of a
    bank) is its own NFKC form and folds like `lower`, at a fraction of the cost."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})


def words(normal_text: str) -> list[str]:
    """The plain tokens of an already normalised text (for ASCII text, `translate` and `split`
    give the same words as the regular expression in less than half the time)."""
    if normal_text.isascii():
        return normal_text.translate(_ASCII_SEPARATORS).split()
    return _WORD.findall(normal_text)


def mask_normal(text: str, plain: list[str] | None = None) -> list[str]:
    """Masked tokens of NFKC, case-folded text (whose plain tokens may be given).

    Regular expressions in C do the bulk; nothing is left to do for the many sentences without a
    number or a weekday, and month names are looked at only beside a number."""
    if _DIGIT.search(text) is None:
        if "day" not in text:
            return plain if plain is not None else _WORD.findall(text)
        return _collapse(_MASKED_WORD.findall(_WEEKDAY.sub(NUMBER, text)))
    text = _DIGIT_WORD.sub(NUMBER, text)
    if "day" in text:
        text = _WEEKDAY.sub(NUMBER, text)
    tokens = _MASKED_WORD.findall(text)
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok == NUMBER:
            if i > 0 and tokens[i - 1] in _BESIDE_WORDS:
                tokens[i - 1] = NUMBER
            if i < last and tokens[i + 1] in _BESIDE_WORDS:
                tokens[i + 1] = NUMBER
    return _collapse(tokens)


def _collapse(tokens: list[str]) -> list[str]:
    """Runs of placeholders become one: "March 3, 2026" and "3/4/2026" both read "#"."""
    out: list[str] = []
    for tok in tokens:
        if tok != NUMBER or not out or out[-1] != NUMBER:
            out.append(tok)
    return out


def mask(tokens: Sequence[str]) -> list[str]:
    """`tokens` with numbers, dates and weekdays replaced by `NUMBER`, runs collapsed.

    A month name is masked only beside a number, because "may" and "march" are also verbs."""
    return mask_normal(" ".join(tokens))


def sentences(text: str) -> list[str]:
    """`text` split after `.`, `?` and `!` (and at blank lines), so shingles never span two
    sentences and a copy with its sentences reordered keeps every shingle."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _title(word: str) -> bool:
    """Capitalised like a name: an upper-case first letter and some lower-case ones ("Rosa",
    "McAllister"), not an acronym ("HIPAA") or a single letter."""
    return word[0].isupper() and not word.isupper() and len(word) > 1


_ASCII_TITLE = re.compile(r"\b[A-Z]\w*[a-z]\w*")  # what `_title` accepts, for ASCII text


def names(text: str) -> frozenset[str]:
    """Proper names in a stem, case-folded: capitalised words that do not open a sentence, or that
    open one followed by another such word ("Rosa Delgado works ...", "Megan O'Neill"). Month and
    weekday names are left to date masking. A copy that renames its people then reads the same
    (`NAME`); the cost is that two proper nouns read alike too ("Medicare", "Medicaid"), which
    the answer gate and the options still tell apart. ASCII text (most of a bank) is searched
    for capitalised words with one regular expression; other text word by word."""
    found: set[str] = set()
    for sentence in sentences(text):
        if sentence.isascii():
            capitalised = _ASCII_TITLE.findall(sentence)
            if not capitalised:
                continue
            tokens = _WORD.findall(sentence)
            opener = tokens[0] == capitalised[0]
            found.update(capitalised[1:] if opener else capitalised)
        else:
            tokens = _WORD.findall(sentence)
            found.update(word for word in tokens[1:] if _title(word))
            opener = bool(tokens) and _title(tokens[0])
        if opener and len(tokens) > 1 and (_title(tokens[1]) or tokens[1] in ("O", "D")):
            found.add(tokens[0])
    return frozenset(normal(w) for w in found) - DATE_WORDS - STOPWORDS


def renamed(tokens: Sequence[str], people: frozenset[str]) -> list[str]:
    """`tokens` with each word of `people` replaced by `NAME`, runs collapsed: "fatima zahra
    idrissi" and "rosa delgado" both read "@"."""
    out: list[str] = []
    for tok in tokens:
        if tok in people:
            if out and out[-1] == NAME:
                continue
            tok = NAME
        out.append(tok)
    return out


def analyse_normal(text: str) -> list[tuple[list[str], list[str]]]:
    """Plain and masked tokens of each sentence of an already normalised text."""
    out = []
    for sentence in sentences(text):
        plain = words(sentence)
        if plain:
            out.append((plain, mask_normal(sentence, plain)))
    return out


def analyse(text: str) -> list[tuple[list[str], list[str]]]:
    """Plain and masked tokens of each sentence of `text`: one pass that serves word bags and
    shingles."""
    return analyse_normal(normal(text))


def shingles_of(masked_sentences: Iterable[Sequence[str]], size: int) -> set[str]:
    """Word `size`-grams of the content words of each masked sentence; stop words are left out
    and a sentence shorter than `size` gives itself as one shingle."""
    found: set[str] = set()
    for masked in masked_sentences:
        words = [w for w in masked if w not in STOPWORDS]
        if not words:
            continue
        if size == 1:
            found.update(words)
        elif len(words) <= size:
            found.add(" ".join(words))
        else:
            found.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return found


def shingles(text: str, size: int) -> set[str]:
    """Word `size`-grams of the masked content words of each sentence of `text`."""
    return shingles_of((masked for _, masked in analyse(text)), size)


def word_diff(old: str, new: str, context: int = 4) -> str:
    """A word diff of two texts in `git diff --word-diff` style: `[-removed-]{+added+}`, with
    long unchanged stretches shortened to `...` around `context` words of each change."""
    a, b = old.split(), new.split()
    parts: list[str] = []
    opcodes = _word_opcodes(a, b)
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            keep_head = 0 if first else context
            keep_tail = 0 if last else context
            if len(words) > keep_head + keep_tail + 1:
                head, tail = words[:keep_head], words[len(words) - keep_tail :] if keep_tail else []
                parts.extend([*head, "...", *tail])
            else:
                parts.extend(words)
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(parts) if len(opcodes) > 1 or (opcodes and opcodes[0][0] != "equal") else "(stems identical)"


MAX_DIFF_CELLS = 1_000_000  # words of one text times words of the other that difflib may compare


def _word_opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two word lists, in time linear in their length: the common head and
    tail are taken off first, and when what is left is too long to compare word against word
    (difflib's matcher takes quadratic time, hours on hostile text) it is one replacement."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    ops: list[tuple[str, int, int, int, int]] = [("equal", 0, head, 0, head)] if head else []
    if len(a_mid) * len(b_mid) <= MAX_DIFF_CELLS:
        matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        ops += [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in matcher.get_opcodes()]
    elif a_mid or b_mid:
        tag = "replace" if a_mid and b_mid else ("delete" if a_mid else "insert")
        ops.append((tag, head, head + len(a_mid), head, head + len(b_mid)))
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return [op for op in ops if op[0] != "equal" or op[2] > op[1]] or [("equal", 0, 0, 0, 0)]
