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
times are fixed (MODEL_TIME); note and card times are the item's `updated` date; the zip is
written by `PackageWriter` (fixed entry date and mode, entries in a fixed order), not from the
temporary file (whose mtime it would carry); the header's write counter and SQLite version are
written as 0. The pages are SQLite's, so compare decks made with the same SQLite.

Memory: the deck is never whole in memory. genanki's own calls write the collection one note at a
time (a note is made from its item, written and dropped; genanki would otherwise hold every note
in its decks) into a temporary SQLite file whose page cache is bounded (CACHE_PAGES), and the
file is copied into the zip in chunks. The statements, and their order, are those genanki runs
for a whole package, so the bytes are the same as building the collection in memory.

Text is text: every field is HTML built with lxml (`<`, `>`, `&` escaped; a blank line starts a
new `<p>`), and `[` is written as `&#91;`, so nothing in an item is read as Anki markup
(`[sound:...]` playing a file, `[latex]`, `[$]`, `[anki:tts]`). The card's wrapper has the class
`mathjax_ignore`, so MathJax leaves `\\(` and `\\[` in item text alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from cmas_bank.export.common import ExportError, PackageWriter
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

# The database header's file change counter (offset 24) and its copy with the SQLite version
# that wrote it (offsets 92 and 96): a database file counts its writes there, one built in memory
# leaves them 0. They are written as 0, so the collection's bytes depend neither on how it was
# built nor on the SQLite version's number; with the counter and its copy equal, a reader still
# trusts the header's page count (offset 28).
_HEADER_COUNTERS = ((24, 28), (92, 100))
# The temporary collection: the page size a database built in memory has; no rollback journal and
# no syncs (the file is discarded on failure). SQLite keeps at most CACHE_PAGES pages in memory
# and spills the rest to the file; the pages written to are few (each table and index grows
# at its end, or within one deck's run), so a small cache costs little.
PAGE_SIZE = 4096
CACHE_PAGES = 64
_PRAGMAS = (
    f"PRAGMA page_size = {PAGE_SIZE}",
    "PRAGMA journal_mode = OFF",
    "PRAGMA synchronous = OFF",
    f"PRAGMA cache_size = {CACHE_PAGES}",
)
_SQLITE_HEADER = 100


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


def _in_deck_order(items: Iterable[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.domain, i.id))


def build_decks(items: Iterable[Item], outline: Outline, model: genanki.Model | None = None) -> list[genanki.Deck]:
    """One deck per work area, ordered by area, each with the note type `model` (default
    `_model()`) and no notes: the notes are written one at a time (`write_collection`), never
    all held in decks."""
    import genanki

    model = model or _model()
    decks: dict[int, genanki.Deck] = {}
    for item in _in_deck_order(items):
        if item.domain not in decks:
            name = deck_name(item, outline)
            decks[item.domain] = deck = genanki.Deck(stable_id("deck", name), name)
            deck.add_model(model)
    return list(decks.values())


def write_collection(items: Sequence[Item], outline: Outline, cursor: sqlite3.Cursor) -> None:
    """The collection through genanki, statement by statement as `genanki.Package.write_to_db`
    writes a package of decks that hold their notes (schema and collection row; then per deck,
    ordered by area: the deck, the note type, its notes ordered by id), with each note made
    from its item, written and dropped. The same statements in the same order make the same
    database, so nothing but the memory differs from building every note first."""
    import itertools

    import genanki

    model = _model()
    note = _note_class()
    ordered = _in_deck_order(items)
    # note and card ids count up from the fixed time, in milliseconds, as genanki does from the clock
    ids = itertools.count(MODEL_TIME * 1000)
    genanki.Package([]).write_to_db(cursor, MODEL_TIME, ids)
    areas = itertools.groupby(ordered, key=lambda i: i.domain)
    for deck, (_, area_items) in zip(build_decks(ordered, outline, model), areas, strict=True):
        deck.write_to_db(cursor, MODEL_TIME, ids)
        for item in area_items:
            fields = note_fields(item, outline)
            made = note(item_time(item), model=model, fields=fields, tags=list(item.tags), guid=note_guid(item.id))
            made.write_to_db(cursor, MODEL_TIME, deck.deck_id, ids)


def _copy_collection(db: IO[bytes], out: IO[bytes]) -> None:
    """The database file `db` into `out` in chunks, its write counters set to 0."""
    import shutil

    header = bytearray(db.read(_SQLITE_HEADER))
    for start, end in _HEADER_COUNTERS:
        header[start:end] = bytes(end - start)
    out.write(header)
    shutil.copyfileobj(db, out)  # in chunks of 64 KiB


def write_anki(items: Sequence[Item], outline: Outline, out: IO[bytes]) -> None:
    """The .apkg of `items` into `out`. The collection is built in a temporary SQLite file (its
    page cache bounded, no journal: a failed export just discards it) and copied into the zip in
    chunks; memory stays that of one note, not of the deck."""
    import tempfile
    from pathlib import Path

    if not items:
        raise ExportError("no items to export")
    check_text(items)
    for item in items:
        area_names(item, outline)  # an item outside the outline fails here, named
    with tempfile.TemporaryDirectory(prefix="cmas-bank-anki-") as folder:
        path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(path)
        try:
            for pragma in _PRAGMAS:
                connection.execute(pragma)
            write_collection(items, outline, connection.cursor())
            connection.commit()
        finally:
            connection.close()
        package = PackageWriter(out)
        with path.open("rb") as db, package.entry("collection.anki2", size=path.stat().st_size) as entry:
            _copy_collection(db, entry)
        package.add("media", b"{}")
        package.close()
