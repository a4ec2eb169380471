"""Items as dedupe sees them: normalised views, each computed only when a stage needs it.

`make_entry` takes what every run needs of every item: the stem's words and the key (the answer
option's text), plain and masked. They are kept on the `BankItem` (`BankItem.dedupe`), which
`check` caches, so a re-check derives them for the edited files alone. The rest is computed on
first use: the stem in normal form, the masked word bag (grouping copies that differ in
numbers), the content words (`lexicon.py`: near-duplicate scoring and the candidate features
for LSH), with and without proper names, and the option texts (exact keys and scoring). An
incremental run over a large bank so computes the costly views for the few items that could
match the changed files, not for all of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from sys import intern

from cmas_bank.bankitem import BankItem
from cmas_bank.dedupe.settings import DedupeSettings
from cmas_bank.dedupe.text import (
    DATE_WORDS,
    NUMBER,
    analyse_normal,
    mask_normal,
    names,
    normal,
    plain_and_masked,
    renamed,
    shingles_of,
    words,
)


@dataclass(frozen=True)
class ContentView:
    """A stem's content words: sorted as a bag (paraphrases that use other synonyms, another
    voice, clauses in another order or a scenario folded into the question read alike in it),
    and the distinct words of its question (its last sentence), which a hard negative that keeps
    the scenario changes. Both are tuples, and membership in the bag is a binary search: sets of
    words would take three times the memory, for every item of a large bank."""

    bag: tuple[str, ...]
    question: tuple[str, ...]

    @classmethod
    def of(cls, sentences: list[list[str]]) -> ContentView:
        bag = tuple(sorted(w for words in sentences for w in words))
        return cls(bag, tuple(sorted(set(sentences[-1]))) if sentences else ())

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        bag = self.bag
        i = bisect_left(bag, word)
        return i < len(bag) and bag[i] == word


@dataclass(eq=False)
class Entry:
    """One item's views. Tuples of words are compared by value; `index` is its place in the
    list of items given to `find_duplicates`."""

    index: int
    item: BankItem
    item_id: str
    stem: str
    options: dict[str, str]
    answer: str | None
    enemies: frozenset[str | None]
    stem_plain: str  # the stem's plain words, space-separated: equal strings, equal word lists
    display: str  # the item's display path (read for every pair and finding: a field, not a lookup)
    key_plain: tuple[str, ...] | None
    key_masked: tuple[str, ...] | None

    @property
    def numeric_key(self) -> bool:
        """The key is a quantity ("$882.00", "61 to 90 days")."""
        return self.key_masked is not None and NUMBER in self.key_masked

    @property
    def stem_normal(self) -> str:
        """NFKC, case-folded (not kept: it is read twice per entry, and is cheap)."""
        return normal(self.stem)

    @cached_property
    def stem_bag(self) -> tuple[str, ...]:
        """The stem's masked words, sorted: a bag of words that rapidfuzz compares in C, equal
        for copies whose sentences were reordered or whose numbers and dates changed. Each word
        is interned: a bank repeats a small vocabulary, and one string per word and not per
        occurrence is most of the memory these bags take at 100,000 items."""
        return tuple(sorted(map(intern, mask_normal(self.stem_normal))))

    @property
    def content_sentences(self) -> list[list[str]]:
        """The content words of each sentence of the stem (`lexicon.content_words`: stemmed,
        synonyms read alike, stop words out, numbers masked). Not kept on the entry: every entry
        needs them once, for its LSH features, and only candidates again (`content`), so keeping
        them would hold a list per sentence for the whole bank (about 100 MB at 100,000 items)."""
        from cmas_bank.dedupe.lexicon import content_words

        return [content_words(masked) for _, masked in analyse_normal(self.stem_normal)]

    @cached_property
    def content(self) -> ContentView:
        """The stem's content words as a bag, a set and its question's set."""
        return ContentView.of(self.content_sentences)

    @cached_property
    def renamed_content(self) -> ContentView | None:
        """The content view with the stem's proper names (`text.names`) read as `NAME`, or None
        when it has none: a copy that renames its people reads the same in it."""
        from cmas_bank.dedupe.lexicon import content_words

        people = {w for name in names(self.stem) for w in content_words([name])}
        if not people:
            return None
        return ContentView.of([renamed(words, frozenset(people)) for words in self.content_sentences])

    @property
    def content_bag(self) -> tuple[str, ...]:
        return self.content.bag

    @property
    def content_set(self) -> frozenset[str]:
        return frozenset(self.content.bag)

    @property
    def question(self) -> tuple[str, ...]:
        return self.content.question

    @cached_property
    def wording(self) -> tuple[str, ...]:
        """The stem's words other than numbers and date words, sorted. Equal word bags imply
        equal wordings, and this is far cheaper to compute: a filter to find copies that differ
        only in numbers without masking every stem."""
        return tuple(sorted(t for t in self.stem_plain.split(" ") if t.isalpha() and t not in DATE_WORDS))

    @cached_property
    def option_words(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Plain and masked words of each option, in letter order."""
        return tuple((tuple(p), tuple(m)) for p, m in (plain_and_masked(v) for v in self.options.values()))

    @cached_property
    def options_masked(self) -> tuple[str, ...]:
        return tuple(" ".join(masked) for _, masked in self.option_words)

    @property
    def figures(self) -> tuple[str, ...]:
        """The numbers the stem states (`figures`; not kept: a regex over one stem, read for
        candidate pairs only)."""
        return figures(self.stem)

    @cached_property
    def phrasing(self) -> Phrasing:
        """What the possible-paraphrase pass compares (`phrasing`), for candidates only."""
        return phrasing(self)

    @property
    def option_set(self) -> frozenset[str]:
        """The option texts as plain words (NFKC, case-folded, punctuation dropped), order
        ignored: what a reworded copy keeps (`paraphrase.option_set_groups`). Cheaper than
        `option_words`, which also masks numbers. Not kept: it is read once for every item whose
        key another item has, which at 100,000 items would keep a set of four strings for most
        of the bank."""
        return frozenset(" ".join(words(normal(v))) for v in self.options.values())

    def exact_key(self, settings: DedupeSettings) -> str:
        """Equal for exact duplicates: the stem's words and, with options among the fields, the
        set of option texts (so their order does not count)."""
        key = self.stem_plain
        if settings.uses_options:
            key += "\x1e" + "\x1f".join(sorted(" ".join(plain) for plain, _ in self.option_words))
        return key

    def features(self, settings: DedupeSettings) -> frozenset[str]:
        """Candidate features: shingles of each sentence's masked content words.

        With the answer among the fields, every feature carries the key's text: items with
        different keys share no feature and never become LSH candidates. That keeps the
        candidate count near-linear (most pairs of a big bank share words, few share a key);
        pairs with different keys that can still be duplicates (numbers changed, same stem) are
        found by grouping equal word bags instead."""
        found = shingles_of(self.content_sentences, settings.shingle_size)
        if settings.uses_answer:
            prefix = " ".join(self.key_plain or ()) + "\x1f"
            found = {prefix + f for f in found}
        return frozenset(found)


def views(b: BankItem) -> tuple[str, tuple[str, ...] | None, tuple[str, ...] | None] | None:
    """The stem's plain words (space-separated) and the key's plain and masked words, kept on
    the item; None when it has no usable stem."""
    if b.dedupe is None and b.stem is not None:
        stem_plain = words(normal(b.stem))
        if stem_plain:
            key = plain_and_masked(b.options[b.answer]) if b.answer is not None and b.answer in b.options else None
            b.dedupe = (" ".join(stem_plain), tuple(key[0]) if key else None, tuple(key[1]) if key else None)
    return b.dedupe


def dedupe_view(b: BankItem) -> Hashable:
    """What dedupe reads of a file, and the places its findings point at or name: the stem
    and the enemies (`check` reuses dedupe's findings while this holds for every edited file)."""
    return (
        b.id,
        b.stem,
        tuple(b.options.items()),
        b.answer,
        b.enemies,
        b.position(("stem",)),
        tuple(b.position(("enemies", i)) for i in range(len(b.enemies))),
    )


_NO_ENEMIES: frozenset[str | None] = frozenset()


def make_entry(index: int, b: BankItem) -> Entry | None:
    """The cheap views of one item, or None when it has no usable stem."""
    found = views(b)
    if found is None:
        return None
    stem_plain, key_plain, key_masked = found
    return Entry(
        index=index,
        item=b,
        item_id=b.id if b.id is not None else b.display,
        stem=b.stem,  # type: ignore[arg-type]
        options=b.options,
        answer=b.answer,
        enemies=frozenset(b.enemies) if b.enemies else _NO_ENEMIES,
        stem_plain=stem_plain,
        display=b.display,
        key_plain=key_plain,
        key_masked=key_masked,
    )


def acknowledged(a: Entry, b: Entry) -> bool:
    """True when either item lists the other in `enemies`: a deliberate variant."""
    return b.item_id in a.enemies or a.item_id in b.enemies


def spanning_pairs(members: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """Pairs that join a group of mutual copies, one per member: each member with the group's
    first member (by id, then path), or with the first one it does not acknowledge.

    n members give at most n - 1 pairs instead of the n(n - 1)/2 of every pair, so 10,000 copies of
    one item cost 10,000 steps, not 50 million. Whether two members acknowledge each other depends
    only on their ids and `enemies`, so the partner search is done once per such signature."""
    ordered = sorted(members, key=lambda e: (e.item_id, e.display))
    if len(ordered) < 2:
        return []
    ids = {e.item_id for e in ordered}
    if not any(e.enemies and not e.enemies.isdisjoint(ids) for e in ordered):
        return [(ordered[0], e) for e in ordered[1:]]
    first_two: dict[tuple[str, frozenset[str | None]], list[Entry]] = {}
    seen: set[tuple[int, int]] = set()
    pairs = []
    for e in ordered:
        signature = (e.item_id, e.enemies)
        if signature not in first_two:
            first_two[signature] = list(islice((m for m in ordered if not acknowledged(m, e)), 2))
        partner = next((m for m in first_two[signature] if m is not e), None)
        if partner is not None:
            key = (min(e.index, partner.index), max(e.index, partner.index))
            if key not in seen:
                seen.add(key)
                pairs.append((partner, e))
    return pairs


# --- what the possible-paraphrase pass (`paraphrase.py`) compares ----------------------------

_FIGURE = re.compile(r"\d[\d,.:/]*")


def figures(stem: str) -> tuple[str, ...]:
    """The numbers a stem states, sorted, written without thousands separators ("$6,300" and
    "6300" agree; a full stop that ends the sentence is not part of the number)."""
    return tuple(sorted(f.rstrip(".,:/").replace(",", "") for f in _FIGURE.findall(stem)))


@dataclass(frozen=True)
class Phrasing:
    """What the possible-paraphrase pass compares of one stem, computed once per candidate item
    (`Entry.phrasing`): its proper names, and its content words as a bag, split into the scenario
    (every sentence but the last) and the question (the last). Names are kept as words: the pass
    leaves out the ones both stems share (`paraphrase._unnamed`), and a capitalised term that a
    copy writes in lower case ("Notice of Privacy Practices" / "privacy notice") still matches."""

    people: frozenset[str]
    bag: tuple[str, ...]
    scenario: tuple[str, ...]
    question: frozenset[str]


def phrasing(e: Entry) -> Phrasing:
    """The `Phrasing` of an item's stem."""
    from cmas_bank.dedupe.lexicon import content_words

    people = frozenset(w for name in names(e.stem) for w in content_words([name]))
    sentences = [[intern(w) for w in words] for words in e.content_sentences]  # one string per word, not per use
    scenario = tuple(sorted(w for s in sentences[:-1] for w in s))
    question = frozenset(sentences[-1]) if sentences else frozenset()
    bag = tuple(sorted((*scenario, *sentences[-1]))) if sentences else ()
    return Phrasing(people, bag, scenario, question)
