"""A fast writer of new item files in the layout `cmas-bank fmt` keeps.

`import csv` and `import xlsx` write one file per row. Writing each through ruamel.yaml's round
trip and then `fmt` cost about 50 ms a row (100,000 rows: over an hour). This writer builds the
text directly for the values it is sure of, and returns None for any other, so the caller falls
back to the ruamel.yaml path:

- single-line text: plain when YAML reads it back as the same string in every reader (a
  conservative test), else in single quotes (no `'` inside), else in double quotes (no `"` or
  backslash inside);
- multi-line text, and a stem or rationale too long for its key's line: a `|-` literal block, when
  a literal block holds it exactly (fmt's own test);
- anything unprintable, over 2,000 characters on one line, or otherwise unusual: None.

What it writes must read back as the same item (the importer checks that on every file, through
the validate code) and be a fixed point of `fmt` (tests check that on the whole shipped bank and
on generated items).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cmas_bank.lint.fmt import LINE_LENGTH, literal_safe

if TYPE_CHECKING:
    from cmas_bank.model import Item, Review

LONGEST_LINE = 2000  # ruamel.yaml folds quoted lines past its width (4096): stay well clear
_PLAIN = re.compile(r"[A-Za-z$(][^\x00-\x1f\x7f#]*|[0-9][A-Z]")
_YAML_WORDS = re.compile(r"(?i)y|yes|n|no|true|false|on|off|null|~")
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")


class Unwritable(Exception):
    """A value this writer does not write; the caller uses the ruamel.yaml path."""


def _one_line(value: str) -> str:
    if len(value) > LONGEST_LINE or not value.isprintable() or value != value.strip():
        raise Unwritable
    if (
        _PLAIN.fullmatch(value)
        and not _YAML_WORDS.fullmatch(value)
        and ": " not in value
        and not value.endswith(":")
        and not any(c in value for c in "\u2028\u2029\x85\ufeff")
    ):
        return value
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    raise Unwritable


def _block_safe(value: str) -> bool:
    """fmt's own test for a literal block that holds the text exactly (so the file is a fixed
    point of `fmt`), and printable lines (a tab is printable in a block)."""
    return literal_safe(value) and all(line.replace("\t", " ").isprintable() for line in value.split("\n"))


def _text(key: str, value: str, indent: int, long_block: bool = False) -> Iterator[str]:
    """`key: value` at `indent` (key may be "- " for a sequence entry)."""
    pad = " " * indent
    sep = "" if key.endswith("- ") else " "
    block = "\n" in value or (long_block and len(key) + 1 + len(value) > LINE_LENGTH)
    if block:
        if not _block_safe(value):
            raise Unwritable
        yield f"{pad}{key}{sep}|-"
        inner = " " * (indent + 2)
        yield from (f"{inner}{line}" if line else "" for line in value.split("\n"))
    else:
        yield f"{pad}{key}{sep}{_one_line(value)}"


def _flow(values: list[str]) -> str:
    """A flow list of tags or ids: plain where the value starts with a letter and is no YAML
    word, quoted where it could read as a number or a boolean (a tag `988`)."""
    if not all(_IDENT.fullmatch(v) for v in values):
        raise Unwritable
    return "[" + ", ".join(v if _WORD.fullmatch(v) and not _YAML_WORDS.fullmatch(v) else f"'{v}'" for v in values) + "]"


def _review(review: Review) -> Iterator[str]:
    yield f"  - reviewer: {_one_line(review.reviewer)}"
    yield f"    date: {review.date.isoformat()}"
    yield f"    verdict: {review.verdict}"
    yield from _text("notes:", review.notes, 4)
    if review.digest is not None:  # always double-quoted, as `cmas-bank review` writes it
        if '"' in review.digest or "\\" in review.digest or not review.digest.isprintable():
            raise Unwritable
        yield f'    digest: "{review.digest}"'


def _lines(item: Item) -> Iterator[str]:
    yield f"id: {_one_line(item.id)}"
    yield f"domain: {int(item.domain)}"
    yield f"subdomain: {_one_line(item.subdomain)}"
    for name in ("status", "difficulty", "cognitive_level"):
        yield f"{name}: {_one_line(str(getattr(item, name)))}"
    yield from _text("stem:", item.stem, 0, long_block=True)
    yield "options:"
    for key, value in item.options.as_dict().items():
        yield from _text(f"{key}:", value, 2)
    yield f"answer: {item.answer}"
    yield from _text("rationale:", item.rationale, 0, long_block=True)
    for name in ("references", "authors"):
        values: list[str] = list(getattr(item, name))
        if not values:
            yield f"{name}: []"
            continue
        yield f"{name}:"
        for value in values:
            yield from _text("- ", value, 2)
    if item.reviews:
        yield "reviews:"
        for review in item.reviews:
            yield from _review(review)
    else:
        yield "reviews: []"
    yield f"tags: {_flow(list(item.tags))}"
    yield f"enemies: {_flow(list(item.enemies))}"
    if item.suppress:
        yield "suppress:"
        for code, reason in item.suppress.items():
            yield from _text(f"{_one_line(code)}:", reason, 2)
    else:
        yield "suppress: {}"
    for name in ("created", "updated"):
        day = getattr(item, name)
        if not isinstance(day, dt.date):
            raise Unwritable
        yield f"{name}: {day.isoformat()}"


def fast_item_yaml(item: Item, header: str = "") -> str | None:
    """The item file's text (after `header`, the schema comment), or None when a value is one
    this writer leaves to ruamel.yaml."""
    from cmas_bank.model import FIELD_NAMES

    if FIELD_NAMES != EXPECTED_FIELDS:  # a new field in the model: the slow path knows it
        return None
    try:
        return header + "\n".join(_lines(item)) + "\n"
    except Unwritable:
        return None


EXPECTED_FIELDS = (
    "id",
    "domain",
    "subdomain",
    "status",
    "difficulty",
    "cognitive_level",
    "stem",
    "options",
    "answer",
    "rationale",
    "references",
    "authors",
    "reviews",
    "tags",
    "enemies",
    "suppress",
    "created",
    "updated",
)
