"""The Anki export (.apkg), read back by Anki itself: the `anki` package's collection API (PyPI,
test-only, never imported by cmas_bank) imports the deck into a fresh collection, as File >
Import does, and the tests read the notes, cards, decks and import logs it reports. The SQLite
inside is also read with sqlite3 for what Anki's API does not show (the stored ids and times)."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES, ROOT
from lxml import html as lxml_html

from cmas_bank.export import ExportError, render
from cmas_bank.export.anki import FIELDS, MODEL_NAME, MODEL_TIME, deck_name, item_time, note_guid, stable_id
from cmas_bank.export.common import paragraphs
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult, validate_paths

anki_collection = pytest.importorskip("anki.collection", reason="the test extra installs anki (pip install '.[test]')")

EXPORT = FIXTURES / "export"
IF_NEWER = 0  # anki.import_export_pb2.ImportAnkiPackageUpdateCondition
ALWAYS = 1


@pytest.fixture(scope="module")
def bank_items(shipped_bank: ValidationResult) -> list[Item]:
    result = shipped_bank
    items = [f.item for f in result.files if f.item is not None and not f.diagnostics]
    assert len(items) >= 250
    return items


@pytest.fixture(scope="module")
def hostile(outline: Outline) -> list[Item]:
    """The escaping fixtures plus an item made of Anki's own markup: sound, TTS and LaTeX tags,
    cloze and template braces, MathJax delimiters, and HTML."""
    items = validate_paths([EXPORT / "bank"], outline).items
    options = items[0].options.model_copy(
        update={"A": "[sound:evil.mp3]", "B": "[$]x^2[/$]", "C": "{{c1::cloze}} {{Stem}}", "D": "<img src=x onerror=y>"}
    )
    extra = items[0].model_copy(
        update={
            "id": "EXP-01-0009",
            "stem": "Play [sound:alarm.mp3] and [anki:tts lang=en_US]read[/anki:tts]; [latex]\\LaTeX[/latex]\n\n"
            "MathJax \\(x\\) and \\[y\\]; <script>alert(1)</script> & {{Answer}}?",
            "options": options,
            "answer": "B",
            "rationale": "Because [sound:r.mp3] <b>is</b> text.\n\nSecond paragraph.",
            "references": ["[latex]ref[/latex] & <ref>"],
            "tags": ["anki-hostile"],
        }
    )
    return [*items, extra]


@pytest.fixture()
def collection(tmp_path: Path) -> Iterator[object]:
    """A fresh, empty Anki collection."""
    (tmp_path / "collection").mkdir()
    col = anki_collection.Collection(str(tmp_path / "collection" / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def _import(col: object, data: bytes, tmp_path: Path, update: int = IF_NEWER) -> object:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    path = tmp_path / f"deck-{len(list(tmp_path.glob('deck-*')))}.apkg"
    path.write_bytes(data)
    options = ImportAnkiPackageOptions(update_notes=update, update_notetypes=update, with_scheduling=False)
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log  # type: ignore[attr-defined]


def _text(fragment: str) -> str:
    """An HTML field or fragment read back as text: block elements joined by blank lines."""
    if not fragment:
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = list(root.iter("p", "li"))
    return "\n\n".join(b.text_content() for b in blocks) if blocks else str(root.text_content())


def _notes(col: object) -> dict[str, object]:
    """The collection's notes by their Id field."""
    notes = [col.get_note(nid) for nid in col.find_notes("")]  # type: ignore[attr-defined]
    return {_text(n["Id"]): n for n in notes}


def _paragraph_text(text: str) -> str:
    return "\n\n".join(paragraphs(text))


def _check_note(note: object, item: Item, col: object, outline: Outline) -> None:
    assert note.guid == note_guid(item.id)  # type: ignore[attr-defined]
    assert note.note_type()["name"] == MODEL_NAME  # type: ignore[attr-defined]
    assert _text(note["Stem"]) == _paragraph_text(item.stem)  # type: ignore[index]
    assert [_text(note[k]) for k in OPTION_KEYS] == list(item.options.as_dict().values())  # type: ignore[index]
    assert _text(note["Answer"]) == f"{item.answer}. {getattr(item.options, item.answer)}"  # type: ignore[index]
    assert _text(note["Rationale"]) == _paragraph_text(item.rationale)  # type: ignore[index]
    assert _text(note["References"]) == "\n\n".join(item.references)  # type: ignore[index]
    assert sorted(note.tags) == sorted(item.tags)  # type: ignore[attr-defined]
    (card,) = note.cards()  # type: ignore[attr-defined]
    assert col.decks.name(card.did) == deck_name(item, outline)  # type: ignore[attr-defined]


# --- read by Anki -----------------------------------------------------------------------------


def test_anki_imports_the_bank_and_a_second_import_adds_no_note(
    tmp_path: Path, collection: object, bank_items: list[Item], outline: Outline
) -> None:
    data = render("anki", bank_items, outline)
    first = _import(collection, data, tmp_path)
    assert len(first.new) == len(bank_items) and not first.updated and not first.conflicting  # type: ignore[attr-defined]
    notes = _notes(collection)
    assert sorted(notes) == sorted(i.id for i in bank_items)
    for item in bank_items:
        _check_note(notes[item.id], item, collection, outline)
    areas = sorted({i.domain for i in bank_items})
    names = {d.name for d in collection.decks.all_names_and_ids()}  # type: ignore[attr-defined]
    assert {f"{outline.title}::{a}. {outline.areas[a].name}" for a in areas} <= names
    assert outline.title in names  # the parent deck Anki makes for the subdecks

    second = _import(collection, data, tmp_path)
    assert not second.new and not second.updated  # type: ignore[attr-defined]
    assert len(second.duplicate) == len(bank_items)  # type: ignore[attr-defined]
    assert collection.note_count() == len(bank_items)  # type: ignore[attr-defined]


def test_reimporting_an_edited_bank_updates_the_note(
    tmp_path: Path, collection: object, bank_items: list[Item], outline: Outline
) -> None:
    """The GUID is the item id's, so an edit updates the note; Anki's default takes the edit once
    the item's `updated` date moved on, and "always" takes it the same day."""
    items = bank_items[:20]
    _import(collection, render("anki", items, outline), tmp_path)
    target = items[3]
    reworded = target.model_copy(update={"stem": "Reworded stem: which one?", "tags": ["reworded"]})
    same_day = [reworded if i.id == target.id else i for i in items]
    log = _import(collection, render("anki", same_day, outline), tmp_path)
    assert not log.new and not log.updated  # type: ignore[attr-defined]  # if newer: not newer yet
    later = reworded.model_copy(update={"updated": target.updated + dt.timedelta(days=1)})
    edited = [later if i.id == target.id else i for i in items]
    log = _import(collection, render("anki", edited, outline), tmp_path)
    assert not log.new and len(log.updated) == 1 and len(log.duplicate) == len(items) - 1  # type: ignore[attr-defined]
    assert collection.note_count() == len(items)  # type: ignore[attr-defined]
    note = _notes(collection)[target.id]
    assert _text(note["Stem"]) == "Reworded stem: which one?" and note.tags == ["reworded"]  # type: ignore[attr-defined,index]

    again = _import(collection, render("anki", items, outline), tmp_path, update=ALWAYS)
    assert not again.new and len(again.updated) == 1  # type: ignore[attr-defined]
    assert _text(_notes(collection)[target.id]["Stem"]) == _paragraph_text(target.stem)  # type: ignore[index]


def test_hostile_text_stays_text_in_anki(
    tmp_path: Path, collection: object, hostile: list[Item], outline: Outline
) -> None:
    log = _import(collection, render("anki", hostile, outline), tmp_path)
    assert len(log.new) == len(hostile)  # type: ignore[attr-defined]
    notes = _notes(collection)
    for item in hostile:
        _check_note(notes[item.id], item, collection, outline)
    (card,) = notes["EXP-01-0009"].cards()  # type: ignore[attr-defined]
    question, answer = card.question(), card.answer()
    # no sound or TTS tag is read from item text, no LaTeX image is made, no template is expanded
    assert card.question_av_tags() == [] and card.answer_av_tags() == []
    for rendered in (question, answer):
        assert "<script" not in rendered and "<img" not in rendered and "[anki:play" not in rendered
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
        assert "{{Answer}}" in rendered and "{{c1::cloze}} {{Stem}}" in rendered
        assert "mathjax_ignore" in rendered
    shown = lxml_html.fromstring(question).text_content()
    assert "[sound:alarm.mp3]" in shown and "[latex]\\LaTeX[/latex]" in shown and "\\(x\\)" in shown
    assert not any((tmp_path / "collection" / "collection.media").iterdir())


def test_anki_check_bites_on_unescaped_markup(tmp_path: Path, collection: object, outline: Outline) -> None:
    """The av-tag check is real: a field holding `[sound:...]` as written plays it in Anki."""
    from cmas_bank.export import anki as anki_export

    item = validate_paths([EXPORT / "bank"], outline).items[0]
    item = item.model_copy(update={"stem": "Listen [sound:alarm.mp3] now"})
    original = anki_export._anki_text
    try:
        anki_export._anki_text = lambda fragment: fragment  # type: ignore[assignment]
        data = render("anki", [item], outline)
    finally:
        anki_export._anki_text = original
    _import(collection, data, tmp_path)
    (card,) = next(iter(_notes(collection).values())).cards()  # type: ignore[attr-defined]
    assert [tag.filename for tag in card.question_av_tags()] == ["alarm.mp3"]


# --- determinism, read with sqlite3 -----------------------------------------------------------


def _collection_db(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.external_attr >> 16 == 0o100644
        path = tmp_path / "read.anki2"
        path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path)


def test_stored_ids_and_times_are_fixed(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    import json

    db = _collection_db(render("anki", bank_items, outline), tmp_path)
    by_guid = {note_guid(i.id): i for i in bank_items}
    rows = db.execute("SELECT id, guid, mod, tags FROM notes ORDER BY id").fetchall()
    assert len(rows) == len(bank_items) == len(by_guid)
    assert [r[0] for r in rows] == list(range(MODEL_TIME * 1000, MODEL_TIME * 1000 + 2 * len(rows), 2))
    for _, guid, mod, tags in rows:
        assert (
            mod
            == item_time(by_guid[guid])
            == int(dt.datetime.combine(by_guid[guid].updated, dt.time(), dt.UTC).timestamp())
        )
        assert tags.split() == by_guid[guid].tags
    assert {r[0] for r in db.execute("SELECT mod FROM cards")} == {item_time(i) for i in bank_items}
    (models,) = db.execute("SELECT models FROM col").fetchone()
    (model,) = json.loads(models).values()
    assert model["id"] == str(stable_id("model", MODEL_NAME)) and model["mod"] == MODEL_TIME
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    (decks,) = db.execute("SELECT decks FROM col").fetchone()
    named = {d["name"]: d["id"] for d in json.loads(decks).values() if d["name"] != "Default"}
    assert named == {deck_name(i, outline): stable_id("deck", deck_name(i, outline)) for i in bank_items}


def test_deck_ids_depend_on_names_not_on_what_else_is_exported(bank_items: list[Item], outline: Outline) -> None:
    from cmas_bank.export.anki import build_decks

    whole = {d.name: d.deck_id for d in build_decks(bank_items, outline)}
    area = max(i.domain for i in bank_items)
    alone = {d.name: d.deck_id for d in build_decks([i for i in bank_items if i.domain == area], outline)}
    assert len(alone) == 1 and alone.items() <= whole.items()


def test_two_processes_write_the_same_bytes(tmp_path: Path) -> None:
    """Exported twice, by two interpreters (their own hash seeds, clocks and random state): the
    same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"bank-{seed}.apkg"
        code = f"from cmas_bank.cli import main; import sys; sys.argv = ['cmas-bank', 'export', '--format', 'anki', '--out', {str(out)!r}]; main()"
        env = {**os.environ, "PYTHONHASHSEED": seed, "CMAS_BANK_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_cli_writes_the_deck_and_refuses_a_control_character(tmp_path: Path) -> None:
    out = tmp_path / "bank.apkg"
    ran = cli("export", "--format", "anki", "--out", str(out), "--domain", "2")
    assert ran.returncode == 0, ran.stderr
    assert "items as anki" in ran.stderr and zipfile.is_zipfile(out)
    bad = tmp_path / "bad.apkg"
    ran = cli("export", "--format", "anki", "--out", str(bad), str(EXPORT / "control-char"))
    assert ran.returncode == 1
    assert "EXP-02-0001: stem contains the control character U+000B" in ran.stderr
    assert not bad.exists()


def test_item_outside_the_outline_is_named(bank_items: list[Item], outline: Outline) -> None:
    stray = bank_items[0].model_copy(update={"domain": 99})
    with pytest.raises(ExportError, match=f"item {stray.id}: work area 99"):
        render("anki", [stray], outline)


def test_the_anki_export_imports_no_copyleft_module() -> None:
    """genanki installs frozendict (LGPL-3.0) but never imports it; the package must not either
    (copyleft code may only be a test-only reader here)."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from cmas_bank.outline import load_outline;"
        "from cmas_bank.validate import validate_paths; from cmas_bank.export import render;"
        "from cmas_bank.export.common import Selection; o = load_outline('cmas-2020');"
        f"items = validate_paths([Path({str(BANK / '02-basic-clinical-concepts')!r})], o).items;"
        "assert render('anki', items, o, Selection(statuses=('approved',)));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('frozendict', 'anki', 'aqt')))"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "[]"
