"""IW205's synonym sets (`synonyms.yaml` beside this module), read with the dedupe parser: words
are Snowball stems, phrases of two to four words are matched first, every member of a set reads
as its first. Loaded on first use only."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmas_bank.dedupe.lexicon import Synonyms


@lru_cache(maxsize=1)
def table() -> Synonyms:
    import yaml

    from cmas_bank.dedupe.lexicon import parse_synonyms

    text = resources.files("cmas_bank.lint").joinpath("synonyms.yaml").read_text(encoding="utf-8")
    return parse_synonyms(yaml.safe_load(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word (cached)."""
    from cmas_bank.dedupe import lexicon

    return lexicon.stem(word)


def read_words(ws: Sequence[str], light: Collection[str]) -> tuple[str, ...]:
    """Lower-case words as the synonym sets read them, in order: phrases first ("once a year"),
    then each word's set, `light` words left out (after phrases, which may hold them)."""
    syn = table()
    stems = [stem(w) for w in ws]
    out: list[str] = []
    i = 0
    while i < len(ws):
        size = 0
        if stems[i] in syn.starts:  # most words start no phrase: skip building the candidates
            size = next((n for n in range(min(4, len(ws) - i), 1, -1) if tuple(stems[i : i + n]) in syn.phrases), 0)
        if size:
            out.append(syn.phrases[tuple(stems[i : i + size])])
            i += size
            continue
        if ws[i] not in light:
            out.append(syn.words.get(stems[i], stems[i]))
        i += 1
    return tuple(out)
