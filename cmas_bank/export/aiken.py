"""Aiken: the plainest multiple-choice text Moodle imports (Question bank > Import > Aiken format).

    Stem on one line
    A. option
    B. option
    C. option
    D. option
    ANSWER: B

Aiken is lossy: it carries the stem, the options and the key, and nothing else (no rationale,
references, tags, id or category). A stem's line breaks become single spaces, since Moodle's
importer reads the question from one line (Moodle's own Aiken export flattens the same way).
What Aiken cannot carry fails, naming the item and field (exit 1, nothing written):
- an option with a line break (its second line would be read as a new question);
- a stem that starts like an option (`A.`, `B)`: an upper-case letter then `.` or `)`), or
  like the answer line (`ANSWER:`), or is shorter than two characters, which Moodle skips;
- an option holding `&`, `<` or `>`, which Moodle's importer escapes twice, so the option would
  show as `&amp;`, `&lt;`, `&gt;` (use the moodle or gift format for such an item);
- any control character (the rule of the XML formats, kept for every LMS format).
Text is written as it is: Moodle's Aiken importer escapes HTML special characters itself (a
stem's `<b>` or `&` shows as written).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import IO

from cmas_bank.export.common import ExportError, FormOrder, arrange
from cmas_bank.export.lms import check_text, plain_lines
from cmas_bank.model import OPTION_KEYS, Item

# Moodle's importer reads a trimmed line as a choice when it matches ^[A-Z][).] and as the
# answer line when it matches ^ANSWER: (question/format/aiken/format.php, readquestions).
_LOOKS_LIKE_OPTION = re.compile(r"^[A-Z][).]")
_LOOKS_LIKE_ANSWER = re.compile(r"^ANSWER:")
# Moodle's importer escapes a choice's text with htmlspecialchars(..., ENT_NOQUOTES) when it reads
# it and again when it saves it (format.php lines 89-90 and 146-148), so `&`, `<` and `>` in an
# option show as `&amp;`, `&lt;`, `&gt;`: such an option cannot be carried. (The stem is escaped
# once and shows right.)
_ESCAPED_TWICE = re.compile(r"[&<>]")


def _flat(text: str) -> str:
    return " ".join(line.strip() for line in plain_lines(text) if line.strip())


def stem_line(item: Item) -> str:
    line = _flat(item.stem)
    if _LOOKS_LIKE_OPTION.match(line):
        raise ExportError(
            f"item {item.id}: stem starts like an Aiken option ({line[:2]!r}), which Moodle would read "
            "as an answer line; reword its start for Aiken"
        )
    if _LOOKS_LIKE_ANSWER.match(line):
        raise ExportError(f"item {item.id}: stem starts with 'ANSWER:', which Aiken reads as the key line")
    if len(line) < 2:
        raise ExportError(f"item {item.id}: stem is shorter than 2 characters, which Moodle's Aiken import skips")
    return line


def option_line(item: Item, key: str) -> str:
    text = getattr(item.options, key)
    if len(plain_lines(text)) > 1:
        raise ExportError(
            f"item {item.id}: options.{key} contains a line break, which Aiken cannot carry; put the option on one line"
        )
    special = _ESCAPED_TWICE.search(text)
    if special:
        shown = html.escape(special.group(), quote=False)  # escaped once too often, the page shows this
        raise ExportError(
            f"item {item.id}: options.{key} contains {special.group()!r}, which Moodle's Aiken import escapes "
            f"twice (it would show as {shown!r}); export this item as moodle or gift, or reword the option"
        )
    return f"{key}. {text.strip()}"


def question_text(item: Item) -> str:
    lines = [stem_line(item), *(option_line(item, key) for key in OPTION_KEYS), f"ANSWER: {item.answer}"]
    return "\n".join(lines)


def write_aiken(items: Sequence[Item], out: IO[bytes], form: FormOrder | None = None) -> None:
    """By id, or in a form's order (Aiken cannot mark a pretest item); questions separated by a
    blank line, written one by one."""
    check_text(items)
    for index, item in enumerate(arrange(items, form)):
        out.write((("\n" if index else "") + question_text(item) + "\n").encode("utf-8"))
