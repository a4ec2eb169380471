"""Items as dedupe sees them: normalised views, each computed only when a stage needs it.

`make_entry` takes what every run needs of every item, and it is cheap: the stem in normal form
and its words, and the key (the answer option's text). The rest is computed on first use: the
masked word bag (near-duplicate scoring), the option texts (exact keys and scoring) and the
candidate features (LSH). An incremental run over a large bank so computes the costly views for
the few items that could match the changed files, not for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from cmas_bank.dedupe.settings import DedupeSettings
from cmas_bank.dedupe.text import (
    DATE_WORDS,
    NUMBER,
    analyse_normal,
    mask_normal,
    normal,
    plain_and_masked,
    shingles_of,
    words,
)
from cmas_bank.validate import ItemFile


@dataclass(eq=False)
class Entry:
    """One item's views. Tuples of words are compared by value; `index` is its place in the
    list of files given to `find_duplicates`."""

    index: int
    file: ItemFile
    item_id: str
    stem: str
    options: dict[str, str]
    answer: str | None
    enemies: frozenset[str]
    stem_normal: str  # NFKC, case-folded
    stem_plain: tuple[str, ...]
    key_plain: tuple[str, ...] | None
    key_masked: tuple[str, ...] | None

    @property
    def display(self) -> str:
        return self.file.loaded.display

    @property
    def numeric_key(self) -> bool:
        """The key is a quantity ("$882.00", "61 to 90 days")."""
        return self.key_masked is not None and NUMBER in self.key_masked

    @cached_property
    def stem_bag(self) -> tuple[str, ...]:
        """The stem's masked words, sorted: a bag of words that rapidfuzz compares in C, equal
        for copies whose sentences were reordered or whose numbers and dates changed."""
        return tuple(sorted(mask_normal(self.stem_normal)))

    @cached_property
    def wording(self) -> tuple[str, ...]:
        """The stem's words other than numbers and date words, sorted. Equal word bags imply
        equal wordings, and this is far cheaper to compute: a filter to find copies that differ
        only in numbers without masking every stem."""
        return tuple(sorted(t for t in self.stem_plain if t.isalpha() and t not in DATE_WORDS))

    @cached_property
    def option_words(self) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Plain and masked words of each option, in letter order."""
        return tuple((tuple(p), tuple(m)) for p, m in (plain_and_masked(v) for v in self.options.values()))

    @cached_property
    def options_masked(self) -> tuple[str, ...]:
        return tuple(" ".join(masked) for _, masked in self.option_words)

    def exact_key(self, settings: DedupeSettings) -> str:
        """Equal for exact duplicates: the stem's words and, with options among the fields, the
        set of option texts (so their order does not count)."""
        key = " ".join(self.stem_plain)
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
        sentences = analyse_normal(self.stem_normal)
        found = shingles_of((masked for _, masked in sentences), settings.shingle_size)
        if settings.uses_answer:
            prefix = " ".join(self.key_plain or ()) + "\x1f"
            found = {prefix + f for f in found}
        return frozenset(found)


def _fields_of(f: ItemFile) -> tuple[str, str, dict[str, str], str | None, list[str]] | None:
    """Id, stem, options, answer and enemies, from the model or, for an item that failed
    validation, from whatever well-formed parts its data has (validate reports the rest)."""
    if f.item is not None:
        item = f.item
        return item.id, item.stem, item.options.as_dict(), item.answer, list(item.enemies)
    data = f.loaded.data if f.loaded.ok else None
    if not isinstance(data, dict) or not isinstance(data.get("stem"), str) or not data["stem"].strip():
        return None
    raw_id = data.get("id")
    item_id = raw_id if isinstance(raw_id, str) else f.loaded.display
    raw_options = data.get("options")
    options = (
        {str(k): v for k, v in raw_options.items() if isinstance(v, str)} if isinstance(raw_options, dict) else {}
    )
    answer = data.get("answer") if isinstance(data.get("answer"), str) else None
    raw_enemies = data.get("enemies")
    enemies = [e for e in raw_enemies if isinstance(e, str)] if isinstance(raw_enemies, list) else []
    return item_id, data["stem"], options, answer, enemies


def make_entry(index: int, f: ItemFile) -> Entry | None:
    """The cheap views of one item, or None when it has no usable stem."""
    found = _fields_of(f)
    if found is None:
        return None
    item_id, stem, options, answer, enemies = found
    stem_normal = normal(stem)
    stem_plain = tuple(words(stem_normal))
    if not stem_plain:
        return None
    key = plain_and_masked(options[answer]) if answer is not None and answer in options else None
    return Entry(
        index=index,
        file=f,
        item_id=item_id,
        stem=stem,
        options=options,
        answer=answer,
        enemies=frozenset(enemies),
        stem_normal=stem_normal,
        stem_plain=stem_plain,
        key_plain=tuple(key[0]) if key is not None else None,
        key_masked=tuple(key[1]) if key is not None else None,
    )


def acknowledged(a: Entry, b: Entry) -> bool:
    """True when either item lists the other in `enemies`: a deliberate variant."""
    return b.item_id in a.enemies or a.item_id in b.enemies
