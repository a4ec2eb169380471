"""Anki: an .apkg deck built with genanki (Anki: File > Import, or open the file).

    collection.anki2   SQLite collection: one note type, one subdeck per work area, one note per item
    media              `{}` (no media)

Deck `<outline title>::<n. work area>`; note type `cmas-bank multiple choice` with the fields
Id, Stem, A, B, C, D, Answer, Rationale, References, Area. The card's front shows the stem and
the options A-D; its back adds the key (letter and option), the rationale, the references and
the item id and sub-area. The item's tags are the note's tags.

Updating, not duplicating: a note's GUID is derived from the item id alone, so importing an
edited bank again updates the same notes. Anki updates a note only when the incoming copy is
newer (its default "Update notes: if newer"), comparing modification times: a note's is the
item's `updated` date (00:00 UTC), so an edit shows up on import once `updated` moves on
(cmas-bank review sets it); choose "Update notes: always" to take edits made the same day.

Byte-identical output: genanki stamps the clock and random ids in several places, and every one
is fixed here. The deck and note-type ids are derived from stable names (sha256), not drawn at
random; the note and card ids count up from a fixed start and the collection and note-type
times are fixed (MODEL_TIME); note and card times are the item's `updated` date; the SQLite
collection is built in memory (no temporary file and its mtime) and serialised; the zip is
written by `zip_bytes` (fixed entry date and mode, entries in a fixed order). The SQLite file
records the SQLite library's version, so compare decks made with the same SQLite.

Text is text: every field is HTML built with lxml (`<`, `>`, `&` escaped; a blank line starts a
new `<p>`), and `[` is written as `&#91;`, so nothing in an item is read as Anki markup
(`[sound:...]` playing a file, `[latex]`, `[$]`, `[anki:tts]`). The card's wrapper has the class
`mathjax_ignore`, so MathJax leaves `\\(` and `\\[` in item text alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cmas_bank.export.common import ExportError, zip_bytes
from cmas_bank.export.lms import area_names, check_text, html_inline, html_text, plain_lines
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    import genanki

MODEL_NAME = "cmas-bank multiple choice"
# The note type's time: Anki replaces an existing note type only with a newer one, so move this
# forward whenever FIELDS, the templates or CSS change (and keep MODEL_NAME, so notes keep it).
MODEL_TIME = int(dt.datetime(2026, 12, 2, tzinfo=dt.UTC).timestamp())
FIELDS = ("Id", "Stem", "A", "B", "C", "D", "Answer", "Rationale", "References", "Area")

FRONT = """<div class="cmas-bank mathjax_ignore">
<div class="stem">{{Stem}}</div>
<ol class="options" type="A">
<li>{{A}}</li>
<li>{{B}}</li>
<li>{{C}}</li>
<li>{{D}}</li>
</ol>
</div>"""
BACK = """{{FrontSide}}
<hr id="answer">
<div class="cmas-bank mathjax_ignore">
<p class="key">Answer: {{Answer}}</p>
<div class="rationale">{{Rationale}}</div>
{{#References}}<div class="references"><p>References:</p>{{References}}</div>{{/References}}
<p class="meta">{{Id}} &middot; {{Area}}</p>
</div>"""
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.cmas-bank .options li { margin: 0.3em 0; }
.cmas-bank .key { font-weight: bold; }
.cmas-bank .meta { color: #666; font-size: 14px; }
"""


def stable_id(*names: str) -> int:
    """An Anki object id from stable names: 2^30 to 2^31 - 1, as genanki recommends for deck and
    note-type ids (the same range its own examples draw at random)."""
    digest = hashlib.sha256("\x1f".join(("cmas-bank", *names)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(item_id: str) -> str:
    """The note's GUID: from the item id only, so an edited item updates its note on import."""
    import genanki

    return str(genanki.guid_for("cmas-bank", item_id))


def item_time(item: Item) -> int:
    """Seconds since the epoch at 00:00 UTC of the item's `updated` date."""
    return int(dt.datetime.combine(item.updated, dt.time(), tzinfo=dt.UTC).timestamp())


def _anki_text(fragment: str) -> str:
    """HTML as Anki stores it in a field: `[` as a character reference, so no Anki tag starts."""
    return fragment.replace("[", "&#91;")


def _plain_html(text: str) -> str:
    return _anki_text(html_inline(" ".join(plain_lines(text))))


def _references(item: Item) -> str:
    from lxml import etree

    if not item.references:
        return ""
    listing = etree.Element("ul")
    for ref in item.references:
        etree.SubElement(listing, "li").text = "\n".join(plain_lines(ref))
    return _anki_text(etree.tostring(listing, method="html", encoding="unicode"))


def note_fields(item: Item, outline: Outline) -> list[str]:
    """The note's fields, in FIELDS order, as HTML."""
    _, sub = area_names(item, outline)
    options = [_anki_text(html_inline(getattr(item.options, key))) for key in OPTION_KEYS]
    key = f"{item.answer}. {options[OPTION_KEYS.index(item.answer)]}"
    return [
        _plain_html(item.id),
        _anki_text(html_text(item.stem)),
        *options,
        key,
        _anki_text(html_text(item.rationale)),
        _references(item),
        _plain_html(sub),
    ]


def deck_name(item: Item, outline: Outline) -> str:
    """`<outline title>::<n. work area>`; a `::` inside a name (Anki's subdeck separator) is
    written `:`, so it cannot make a deeper deck."""
    area, _ = area_names(item, outline)
    return "::".join(" ".join(plain_lines(part)).replace("::", ":") for part in (outline.title, area))


def _model() -> genanki.Model:
    import genanki

    return genanki.Model(
        stable_id("model", MODEL_NAME),
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )


def _note_class() -> Any:
    import genanki

    class DatedNote(genanki.Note):
        """A note whose note and card times are its item's `updated` date, not the export's."""

        def __init__(self, mtime: int, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.mtime = mtime

        def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
            super().write_to_db(cursor, self.mtime, deck_id, id_gen)

    return DatedNote


def build_decks(items: Sequence[Item], outline: Outline) -> list[genanki.Deck]:
    """One deck per work area (ordered by area), its notes ordered by id."""
    import genanki

    model = _model()
    note = _note_class()
    decks: dict[int, genanki.Deck] = {}
    for item in sorted(items, key=lambda i: (i.domain, i.id)):
        if item.domain not in decks:
            name = deck_name(item, outline)
            decks[item.domain] = genanki.Deck(stable_id("deck", name), name)
        decks[item.domain].add_note(
            note(
                item_time(item),
                model=model,
                fields=note_fields(item, outline),
                tags=list(item.tags),
                guid=note_guid(item.id),
            )
        )
    return list(decks.values())


def collection_bytes(decks: Sequence[genanki.Deck]) -> bytes:
    """The SQLite collection of `decks`, built in memory and serialised."""
    import itertools

    import genanki

    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        # note and card ids count up from the fixed time, in milliseconds, as genanki does from the clock
        genanki.Package(list(decks)).write_to_db(cursor, MODEL_TIME, itertools.count(MODEL_TIME * 1000))
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def anki_entries(items: Sequence[Item], outline: Outline) -> list[tuple[str, bytes]]:
    if not items:
        raise ExportError("no items to export")
    check_text(items)
    for item in items:
        area_names(item, outline)  # an item outside the outline fails here, named
    return [("collection.anki2", collection_bytes(build_decks(items, outline))), ("media", b"{}")]


def anki_bytes(items: Sequence[Item], outline: Outline) -> bytes:
    return zip_bytes(anki_entries(items, outline))
