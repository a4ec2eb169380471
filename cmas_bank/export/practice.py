"""A practice exam in one self-contained HTML file (`cmas-bank export --format html`).

The file holds its own CSS and vanilla JavaScript (package data in `practice_assets/`) and the
form as JSON in a `<script type="application/json">` block. Nothing is fetched: a
Content-Security-Policy meta allows only the page's own inline script and style, by their
sha256 hashes, and forbids every network request, image, font, frame and form submission.

Exam mode is modelled on the exam facts of the outline (duration, scored items, pretest items):
items beyond a work area's blueprint count are unscored pretest items, not marked as such until
the results. A form shorter than the scored count gets the duration in proportion. Study mode
lets the candidate choose work areas and shows the key and rationale after each answer.

Safety: the JSON is escaped for a script block (`<`, `>`, `&`, U+2028 and U+2029 become `\\uXXXX`
escapes, so `</script>` or `<!--` in an item cannot end or alter the block) and the page inserts
item text with `textContent`, never as HTML. Determinism: the same items, outline, mode and seed
give the same bytes (no clock time; questions shuffled by `random.Random(seed)` only when a seed
is given, otherwise ordered by id).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import re
from collections.abc import Iterator, Sequence
from html import escape
from importlib import resources
from typing import IO, Any, Literal

from cmas_bank import __version__
from cmas_bank.errors import UsageError
from cmas_bank.export.common import FormOrder, to_bytes
from cmas_bank.model import Item
from cmas_bank.outline import Outline

Mode = Literal["exam", "study"]
MODES: tuple[str, ...] = ("exam", "study")
ASSETS = "practice_assets"
DEFAULT_MINUTES = 120  # when an outline gives no duration

_PLACEHOLDER = re.compile(r"\{\{(CSP|TITLE|STYLE|DATA|SCRIPT)\}\}")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(doc: Any) -> str:
    """`doc` as JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line
    separators survive literally (each is written as its `\\uXXXX` escape, which JSON.parse reads
    back as the same character)."""
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)


def csp_hash(text: str) -> str:
    """The CSP source expression allowing an inline script or style with exactly `text`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return (
        "default-src 'none'; "
        f"script-src {csp_hash(script)}; "
        f"style-src {csp_hash(style)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none'; base-uri 'none'"
    )


def _asset(name: str) -> str:
    return (resources.files("cmas_bank.export") / ASSETS / name).read_text(encoding="utf-8")


def order_items(items: Sequence[Item], seed: int | None) -> list[Item]:
    """Items by id, then shuffled by `seed` when one is given (the same seed, the same order)."""
    ordered = sorted(items, key=lambda i: i.id)
    if seed is not None:
        random.Random(seed).shuffle(ordered)
    return ordered


def scored_flags(items: Sequence[Item], outline: Outline) -> list[bool]:
    """Which items count towards the score: in each work area the first items up to its
    blueprint count, in form order; the rest are unscored pretest items, as on the real exam.
    An item of an area the outline lacks is scored (validation has already refused those)."""
    seen: dict[int, int] = {}
    flags = []
    for item in items:
        seen[item.domain] = seen.get(item.domain, 0) + 1
        area = outline.areas.get(item.domain)
        flags.append(area is None or seen[item.domain] <= area.items)
    return flags


def duration_minutes(outline: Outline, scored: int) -> int:
    """The exam's time for a full form; a shorter form gets it in proportion to its scored items
    (at least one minute)."""
    full = outline.exam.duration_minutes or DEFAULT_MINUTES
    if scored >= outline.exam.scored_items:
        return full
    return max(1, math.ceil(full * scored / outline.exam.scored_items))


def _item_doc(item: Item, scored: bool) -> dict[str, Any]:
    return {
        "id": item.id,
        "area": item.domain,
        "sub": item.subdomain,
        "stem": item.stem,
        "options": item.options.as_dict(),
        "key": item.answer,
        "rationale": item.rationale,
        "references": list(item.references),
        "scored": scored,
    }


def _arranged(
    items: Sequence[Item], outline: Outline, seed: int | None, form: FormOrder | None
) -> tuple[list[Item], list[bool]]:
    """The questions in page order and which are scored: by id (or an assembled `form`'s order),
    shuffled when a seed is given; a form says which items are unscored."""
    if form is None:
        ordered = order_items(items, seed)
        return ordered, scored_flags(ordered, outline)
    ordered = form.arrange(items)
    if seed is not None:
        random.Random(seed).shuffle(ordered)
    return ordered, [form.scored(item.id) for item in ordered]


def _head(outline: Outline, mode: Mode, seed: int | None, scored: int) -> dict[str, Any]:
    """The page's data but its items and form id."""
    return {
        "tool": f"cmas-bank {__version__}",
        "mode": mode,
        "seed": seed,
        "title": outline.title,
        "outline": f"{outline.id} {outline.version}",
        "minutes": duration_minutes(outline, scored),
        "scoredItems": scored,
        "examScoredItems": outline.exam.scored_items,
        "examMinutes": outline.exam.duration_minutes,
        "passingScaled": outline.exam.passing_scaled_score,
        "areas": [{"number": a.number, "name": a.name, "weight": a.weight} for a in outline.work_areas],
    }


def form_document(
    items: Sequence[Item], outline: Outline, mode: Mode, seed: int | None, form: FormOrder | None = None
) -> dict[str, Any]:
    """The data the page runs on: the form, the outline's areas and exam facts, and a form id
    (a digest of all of it) that keys the candidate's saved state. An assembled `form` gives the
    order (unless a seed shuffles it) and which items are unscored. (The page itself is written
    from the same parts item by item, `_data_chunks`, never as one document.)"""
    ordered, flags = _arranged(items, outline, seed, form)
    doc = _head(outline, mode, seed, sum(flags))
    doc["items"] = [_item_doc(item, flag) for item, flag in zip(ordered, flags, strict=True)]
    doc["formId"] = hashlib.sha256(script_json(doc).encode("utf-8")).hexdigest()[:16]
    return doc


_ITEMS = '"items":[]'


def _data_chunks(head: dict[str, Any], ordered: Sequence[Item], flags: Sequence[bool]) -> Iterator[str]:
    """`script_json` of `head` with the items, in pieces, one item at a time: the same text as
    `script_json` of the whole document (keys sorted; a JSON string cannot hold the unescaped
    `"items":[]`, so it is found once, where the items go)."""
    text = script_json({**head, "items": []})
    assert text.count(_ITEMS) == 1
    before, after = text.split(_ITEMS)
    yield before + '"items":['
    for index, (item, flag) in enumerate(zip(ordered, flags, strict=True)):
        yield ("," if index else "") + script_json(_item_doc(item, flag))
    yield "]" + after


def write_practice(
    items: Sequence[Item],
    outline: Outline,
    out: IO[bytes],
    mode: str = "exam",
    seed: int | None = None,
    form: FormOrder | None = None,
) -> None:
    """The page, written as it is made: the form id is a digest of the data taken in a first pass
    over the items, then the data is written item by item in a second."""
    if mode not in MODES:
        raise UsageError(f"unknown practice mode {mode!r}; choose exam or study")
    if not items:
        raise UsageError("a practice exam needs at least one item")
    ordered, flags = _arranged(items, outline, seed, form)
    head = _head(outline, mode, seed, sum(flags))  # type: ignore[arg-type]
    digest = hashlib.sha256()
    for chunk in _data_chunks(head, ordered, flags):
        digest.update(chunk.encode("utf-8"))
    head["formId"] = digest.hexdigest()[:16]
    script, style = _asset("practice.js"), _asset("practice.css")
    title = f"{outline.title}: {'practice exam' if mode == 'exam' else 'study questions'}"
    values = {
        "CSP": escape(content_security_policy(script, style), quote=False),  # no " in it
        "TITLE": escape(title),
        "STYLE": style,
        "SCRIPT": script,
    }
    # the template's text and its placeholders alternate; text put in for one placeholder is
    # never searched for another
    for index, piece in enumerate(_PLACEHOLDER.split(_asset("practice.html"))):
        if index % 2 == 0:
            out.write(piece.encode("utf-8"))
        elif piece == "DATA":
            for chunk in _data_chunks(head, ordered, flags):
                out.write(chunk.encode("utf-8"))
        else:
            out.write(values[piece].encode("utf-8"))


def practice_html(
    items: Sequence[Item], outline: Outline, mode: str = "exam", seed: int | None = None, form: FormOrder | None = None
) -> str:
    """The whole page as text."""
    return practice_bytes(items, outline, mode, seed, form).decode("utf-8")


def practice_bytes(
    items: Sequence[Item], outline: Outline, mode: str = "exam", seed: int | None = None, form: FormOrder | None = None
) -> bytes:
    return to_bytes(lambda out: write_practice(items, outline, out, mode, seed, form))
