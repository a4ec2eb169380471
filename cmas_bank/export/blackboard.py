"""Blackboard: the tab-delimited text of Blackboard Learn's "Upload Questions" (a test, survey or
pool > Upload Questions), multiple choice only.

    MC<TAB>question<TAB>option A<TAB>incorrect<TAB>option B<TAB>correct<TAB>option C<TAB>incorrect<TAB>option D<TAB>incorrect

One question a row, rows ordered by item id, `\\n` after each row; no header and no blank line.
UTF-8 without a byte-order mark.

Blackboard is lossy here: the format carries the stem, the options and the key, and nothing
else (no rationale, references, tags, id or category).

Blackboard shows the question and answer texts as HTML, so item text is written as HTML built
with lxml: `<`, `>` and `&` are escaped, and a blank line in the stem starts a new `<p>` (as in
every LMS export). The format cannot carry a tab or a line break inside a text (a tab separates
fields, a line break ends the question), and both are whitespace in HTML: they are converted,
not refused. A line break inside a paragraph or an option and a tab are written as a space,
which is how the HTML of every other LMS export shows them. So are the Unicode line breaks
U+0085, U+2028 and U+2029, which some line readers split at. Control characters are refused,
naming the item and field (the rule of every LMS format).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO

from cmas_bank.export.lms import check_text, html_inline, html_text
from cmas_bank.model import OPTION_KEYS, Item

QUESTION_TYPE = "MC"
CORRECT = "correct"
INCORRECT = "incorrect"

# What ends a field or a row, or may end a row for some reader: each is written as a space.
_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")


def one_field(fragment: str) -> str:
    """An HTML fragment as one field: no tab and no line break, outer spaces trimmed."""
    return _BREAKS.sub(" ", fragment).strip()


def question_row(item: Item) -> str:
    fields = [QUESTION_TYPE, one_field(html_text(item.stem))]
    for key in OPTION_KEYS:
        fields.append(one_field(html_inline(getattr(item.options, key))))
        fields.append(CORRECT if key == item.answer else INCORRECT)
    return "\t".join(fields)


def write_blackboard(items: Sequence[Item], out: IO[bytes]) -> None:
    """One row per item, ordered by id, written row by row."""
    check_text(items)
    for item in sorted(items, key=lambda i: i.id):
        out.write((question_row(item) + "\n").encode("utf-8"))
