"""Content digests: what a review vouches for.

A review records a short digest of each part of the item it saw, in one line:

    digest: "stem:1a2b3c4d options:5e6f7a8b answer:9c0d1e2f rationale:3a4b5c6d references:7e8f9a0b"

The parts are what a candidate sees and what the reviewer checks: the stem, the options, the
key, the rationale (shown as feedback in practice exams; its facts are what the reviewer checks
against the references) and the references. Tags, enemies, difficulty, cognitive level, dates,
comments, status, authors and the other reviews are not covered: changing them does not change
the question.

Text is normalised before it is hashed, so that edits that cannot change meaning never make an
approval stale: the safe `lint --fix` fixes (trailing whitespace, doubled spaces, smart quotes)
and any layout `fmt` chooses (which never changes the data). Normalisation: Unicode NFC, line
endings to line feeds, smart quotes to straight ones, runs of spaces and tabs to one space,
spaces and tabs at the ends of lines removed, blank lines around the text removed.

Each part's digest is the first 8 hex digits (32 bits) of a sha256: plenty against an accidental
edit going unnoticed, and no defence at all against someone who edits the digest by hand.

This module is small and imports nothing heavy: `validate` uses it on every approved item.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cmas_bank.model import Item, Review

from cmas_bank.model import DIGEST_HEX_DIGITS as HEX_DIGITS
from cmas_bank.model import DIGEST_PARTS as PARTS

_SMART = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_BLANKS = re.compile(r"[ \t]+")
_UNIT = "\x1f"  # separates an option's key from its text
_RECORD = "\x1e"  # separates options, and references


def normalise(text: str) -> str:
    """The text as the digest sees it: differences of layout and quote style are gone."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_SMART)
    lines = (_BLANKS.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HEX_DIGITS]


def part_texts(item: Item) -> dict[str, str]:
    """Each covered part as one normalised string (what is hashed)."""
    options = item.options.as_dict()
    return {
        "stem": normalise(item.stem),
        "options": _RECORD.join(f"{key}{_UNIT}{normalise(text)}" for key, text in options.items()),
        "answer": item.answer,
        "rationale": normalise(item.rationale),
        "references": _RECORD.join(normalise(r) for r in item.references),
    }


def part_digests(item: Item) -> dict[str, str]:
    """The digest of each covered part of `item`, by part name."""
    return {part: _hash(text) for part, text in part_texts(item).items()}


def content_digest(item: Item) -> str:
    """The digest line a review of `item` as it stands records."""
    return format_digest(part_digests(item))


def format_digest(parts: Mapping[str, str]) -> str:
    return " ".join(f"{part}:{parts[part]}" for part in PARTS)


def parse_digest(line: str) -> dict[str, str]:
    """The parts of a digest line (the model has already checked its form)."""
    parts: dict[str, str] = {}
    for field in line.split():
        name, _, value = field.partition(":")
        parts[name] = value
    return parts


def changed_parts(recorded: str, item: Item) -> list[str]:
    """The parts of `item` that differ from what the digest line `recorded` saw, in PARTS order."""
    seen = parse_digest(recorded)
    now = part_digests(item)
    return [part for part in PARTS if seen.get(part) != now[part]]


def describe(parts: list[str]) -> str:
    """'the stem', 'the stem and options', 'the stem, answer and references'."""
    names = [("the " if i == 0 else "") + p for i, p in enumerate(parts)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- approvals ----------------------------------------------------------------------------------


def same_person(a: str, b: str) -> bool:
    """Names compare without case and surrounding spaces (as the approval policy compares)."""
    return a.strip().casefold() == b.strip().casefold()


def is_author(name: str, item: Item) -> bool:
    return any(same_person(name, author) for author in item.authors)


def independent_approvals(item: Item) -> list[Review]:
    """The approving reviews by someone who is not an author, oldest first (by date, then as listed)."""
    found = [r for r in item.reviews if r.verdict == "approved" and not is_author(r.reviewer, item)]
    return sorted(found, key=lambda r: r.date)


def current_approval(item: Item) -> Review | None:
    """An approving review by a non-author that saw the item as it stands, if there is one."""
    now = content_digest(item)
    return next((r for r in reversed(independent_approvals(item)) if r.digest == now), None)


def stale_reason(item: Item) -> str | None:
    """Why the item's approval does not cover its content, or None when a current independent
    approval exists (or there is no independent approval at all: that is IV207's finding)."""
    approvals = independent_approvals(item)
    if not approvals or current_approval(item) is not None:
        return None
    stamped = [r for r in approvals if r.digest is not None]
    if not stamped:
        return "approval predates content digests; run `cmas-bank review --migrate` once on a bank you trust"
    latest = stamped[-1]
    assert latest.digest is not None
    what = describe(changed_parts(latest.digest, item)) or "the content"
    return (
        f"approval is stale: {what} changed after the review of {latest.date}; review the item again (cmas-bank review)"
    )
