"""Content words: what a stem says once its wording is set aside, so that paraphrases read alike.

`content_words` turns the masked words of a text into its content words:

1. each word is **stemmed** with the Snowball English stemmer (snowballstemmer, BSD): "recorded",
   "records" and "recording" all read "record", so a passive "is recorded" meets an active
   "records";
2. **phrases** of the synonym sets ("act on", "find out", "right away") become their set's
   first word, before stop words are dropped (most phrases hold one);
3. **stop words** are dropped: articles, auxiliaries, pronouns, question words and prepositions
   ("is ... by" of the passive voice), but not "not" and "no", which turn a question around;
4. each remaining word of a **synonym set** (`synonyms.yaml`, kept as data) becomes the set's
   first word: "safeguarding" reads as "protecting", "final" as "last".

Word order is not kept: callers compare the words as a bag, so clauses in another order, or a
scenario folded into the question, read the same. Each distinct word is stemmed once per process
(a dict), so the cost per item is a few dict lookups per word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from cmas_bank.dedupe.text import NAME, NUMBER, STOPWORDS

KEPT = frozenset({"not", "no"})
"""Stop words that content words keep: they turn a question around ("Which is NOT ...")."""
CONTENT_STOPWORDS = (STOPWORDS - KEPT) | frozenset(
    ["s", "am", "get", "gets", "got", "done", "into", "onto", "upon", "about", "also", "just", "very"]
    + ["following", "ought"]
)
LIGHT = ("office", "use")
"""Words so common in exam stems that a question which adds them asks nothing new ("How is every
transaction recorded when a practice uses double-entry bookkeeping?"): the question coverage
(`verify.coverage`) leaves them out, as their synonym sets' first words (`light_words`)."""
MAX_PHRASE = 4
SEEN_LIMIT = 500_000


@lru_cache(maxsize=1)
def _snowball() -> Any:
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word (the mask placeholder is its own)."""
    return word if word in (NUMBER, NAME) else str(_snowball().stemWord(word))


@dataclass(frozen=True)
class Synonyms:
    """Synonym sets as stems: word -> canonical, phrase -> canonical, and the first stems of
    the phrases (only words that start a phrase are looked up as one). `seen` caches what each
    word read so far becomes: its stem, its content word (None for a stop word) and whether its
    stem starts a phrase, so that most words cost one dict lookup."""

    words: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    starts: frozenset[str]
    seen: dict[str, tuple[str, str | None, bool]] = field(default_factory=dict)

    def read(self, word: str) -> tuple[str, str | None, bool]:
        """What `word` becomes (see `seen`), learnt on first sight."""
        stemmed = stem(word)
        content = None if word in CONTENT_STOPWORDS else self.words.get(stemmed, stemmed)
        found = (stemmed, content, stemmed in self.starts)
        if len(self.seen) < SEEN_LIMIT:  # a hostile bank of random words must not fill memory
            self.seen[word] = found
        return found


def parse_synonyms(sets: Iterable[object]) -> Synonyms:
    """Synonym sets (each a string of comma-separated words and phrases) as maps of stems: word ->
    canonical stem, and phrase (a tuple of 2 to `MAX_PHRASE` stems) -> canonical stem. A set that
    is not a string is a TypeError; an empty member, or a word or phrase in two sets (it could
    only mean one of them), a ValueError."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for number, entry in enumerate(sets, 1):
        if not isinstance(entry, str):
            raise TypeError(f"synonym set {number}: expected comma-separated words, not {entry!r}")
        members = [tuple(stem(w) for w in member.lower().split()) for member in entry.split(",")]
        if any(not m or len(m) > MAX_PHRASE for m in members):
            raise ValueError(f"synonym set {number}: empty member or a phrase of more than {MAX_PHRASE} words")
        canonical = "_".join(members[0])
        for member in members:
            known = words.get(member[0]) if len(member) == 1 else phrases.get(member)
            if known not in (None, canonical):
                raise ValueError(f"synonym set {number}: {' '.join(member)!r} is already in another set")
            if len(member) == 1:
                words[member[0]] = canonical
            else:
                phrases[member] = canonical
    return Synonyms(words, phrases, frozenset(p[0] for p in phrases))


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The shipped synonym sets (`synonyms.yaml`), parsed once."""
    import yaml

    text = resources.files("cmas_bank.dedupe").joinpath("synonyms.yaml").read_text(encoding="utf-8")
    return parse_synonyms(yaml.safe_load(text))


def content_words(masked: Sequence[str], table: Synonyms | None = None) -> list[str]:
    """The content words of masked words, in order: stemmed, phrases and synonyms read as their
    set's first word, stop words out (see the module docstring)."""
    table = table or synonyms()
    seen, read = table.seen, table.read
    known = [seen.get(w) or read(w) for w in masked]
    if not any(k[2] for k in known):  # no phrase can start here: the common case
        return [k[1] for k in known if k[1] is not None]
    stems = [k[0] for k in known]
    out: list[str] = []
    i, n = 0, len(known)
    while i < n:
        size = _phrase_at(stems, i, table.phrases) if known[i][2] else 0
        if size:
            out.append(table.phrases[tuple(stems[i : i + size])])
            i += size
            continue
        content = known[i][1]
        if content is not None:
            out.append(content)
        i += 1
    return out


def _phrase_at(stems: Sequence[str], i: int, phrases: dict[tuple[str, ...], str]) -> int:
    """The length of the longest phrase that starts at `stems[i]`, or 0."""
    for size in range(min(MAX_PHRASE, len(stems) - i), 1, -1):
        if tuple(stems[i : i + size]) in phrases:
            return size
    return 0


@lru_cache(maxsize=1)
def light_words() -> frozenset[str]:
    """The content words of `LIGHT` and of their synonyms ("practice", "clinic", "apply" ...)."""
    return frozenset(w for word in LIGHT for w in content_words([word]))
