"""One item as the bank-wide checks see it: small, plain and cheap to cache.

The checks that need every item at once (unique ids, the IW5xx lint rules, dedupe, coverage)
read a few fields of each item and point their findings at a few places in its file. A
`BankItem` holds just that: identity, the fields those checks read, and the line and column of
the values they report at. It is built once from a checked file (`bank_item`), and `check`
caches it beside the file's own findings, so a re-check after an edit runs the bank-wide stages
without parsing, validating or even unpickling a model for the files that did not change.

Stages keep what they derive from an item here too (`lint`, `dedupe`), made when the file is
checked: cached with the rest, an edit costs the derivation of the edited item alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple

from cmas_bank.diagnostics import Diagnostic
from cmas_bank.loader import JsonPath, LoadedFile, Position, nearest

if TYPE_CHECKING:
    from cmas_bank.model import Item


class LintFeatures(NamedTuple):
    """What the bank rules need of one valid item."""

    negative: bool  # the lead-in is negative (IW103 finds something)
    longest: bool | None  # the key is the unique longest option; None: not judged (numbers, ties)
    key_phrase: tuple[str, ...] | None  # the key's words less leading and trailing stop words;
    # None for a numeric key, which cues nothing
    stem_words: str  # the stem's words, space-separated (one string pickles far faster than a tuple)


DedupeViews = tuple[str, tuple[str, ...] | None, tuple[str, ...] | None]
"""Dedupe's views of an item: the stem's plain words (space-separated) and the key's plain and
masked words (None: no key to read)."""

# The values bank-wide findings point at: everything under these top-level keys is kept.
REPORTED_AT = frozenset({"id", "stem", "answer", "options", "enemies", "suppress"})


@dataclass(eq=False)
class BankItem:
    """What the bank-wide stages read of one file. `valid` says the item model accepted it;
    an invalid file still has whatever well-formed id, stem, options and enemies it holds
    (duplicate ids and duplicates are still worth reporting while validate explains the rest)."""

    path: str  # absolute, as a string: made once per file, compared as text
    display: str
    id: str | None
    valid: bool = False
    stem: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    answer: str | None = None
    enemies: tuple[str | None, ...] = ()  # None where a malformed file has a non-string
    suppress: tuple[str, ...] = ()
    status: str | None = None
    domain: int | None = None
    subdomain: str | None = None
    difficulty: str | None = None
    cognitive_level: str | None = None
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    lint: LintFeatures | None = None  # of a valid item, set by `lint.bank_features`
    dedupe: DedupeViews | None = None  # set by `dedupe.entries.views`

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from a tuple of its fields: 100,000 cached items unpickle in half the time
        # that the default (a class, then a dict of state set on a new object) takes.
        return (_rebuild, tuple(getattr(self, name) for name in _FIELDS))

    @property
    def file_stem(self) -> str:
        """The file name without its suffix (what the id must equal)."""
        return self.display.rsplit("/", 1)[-1].rsplit(".", 1)[0]

    def position(self, path: JsonPath) -> Position:
        return nearest(self.values, path)

    def key_position(self, path: JsonPath) -> Position:
        return self.keys.get(tuple(path)) or self.position(path)

    def diag(self, code: str, message: str, pos: Position, **kw: Any) -> Diagnostic:
        return Diagnostic(
            path=self.display, line=pos[0], column=pos[1], code=code, message=message, item_id=self.id, **kw
        )


_FIELDS = tuple(f.name for f in fields(BankItem))


def _rebuild(*values: Any) -> BankItem:
    b = BankItem.__new__(BankItem)
    b.__dict__.update(zip(_FIELDS, values))
    return b


_SHARED: dict[Any, Any] = {}


def _shared(value: Any) -> Any:
    """One object for each equal small value (a JSON path, a position, a status): pickle writes
    an object it has seen once and then refers to it, so 100,000 cached items share them."""
    return _SHARED.setdefault(value, value)


def bank_item(loaded: LoadedFile, item: Item | None) -> BankItem | None:
    """The bank view of a checked file (what it loaded, and its item when the model accepted
    it), or None when it could not be parsed into a mapping."""
    if not loaded.ok:
        return None
    data = loaded.data
    path = os.path.abspath(loaded.path) if loaded.path is not None else loaded.display
    raw_id = data.get("id")
    b = BankItem(path=path, display=loaded.display, id=raw_id if isinstance(raw_id, str) else None)
    b.values = {_shared(p): _shared(pos) for p, pos in loaded.values.items() if not p or p[0] in REPORTED_AT}
    b.keys = {_shared(p): _shared(pos) for p, pos in loaded.keys.items() if p[:1] == ("suppress",)}
    if item is not None:
        b.valid = True
        b.stem, b.options, b.answer = item.stem, item.options.as_dict(), _shared(item.answer)
        b.enemies, b.suppress = tuple(item.enemies), tuple(item.suppress)
        b.status, b.domain, b.subdomain = _shared(item.status), item.domain, _shared(item.subdomain)
        b.difficulty, b.cognitive_level = _shared(item.difficulty), _shared(item.cognitive_level)
        return b
    # Not a valid item: keep the well-formed parts dedupe can still use.
    stem = data.get("stem")
    b.stem = stem if isinstance(stem, str) and stem.strip() else None
    raw_options = data.get("options")
    if isinstance(raw_options, dict):
        b.options = {str(k): v for k, v in raw_options.items() if isinstance(v, str)}
    answer = data.get("answer")
    b.answer = answer if isinstance(answer, str) else None
    raw_enemies = data.get("enemies")
    if isinstance(raw_enemies, list):
        b.enemies = tuple(e if isinstance(e, str) else None for e in raw_enemies)
    return b
