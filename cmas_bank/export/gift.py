"""GIFT: Moodle's one-question-per-paragraph text format (Question bank > Import > GIFT format).

    // cmas-bank export: <outline title>
    $CATEGORY: $course$/top/<outline title>/<n. work area>/<sub-area>

    // [id:<item id>] [tag:<tag>] ...
    ::<item id>::[html]<p>stem</p>{
    \t=key option
    \t~other option
    \t####<p>rationale</p><p>References:</p><ul>...</ul>
    }

Text is `[html]`, built with lxml (item text stays text; paragraphs become `<p>`). Then every
GIFT special character, `~ = # { } :` and the backslash itself, is escaped with a backslash,
everywhere: title, stem, options and feedback; a line break inside a paragraph is written as
GIFT's `\n` escape, so each question field stays on one line (a blank line would end the
question, and Moodle drops any line that starts with `//` as a comment). The `[id:...]` and `[tag:...]` comments are how Moodle's GIFT importer
reads an idnumber and tags; the category line sets the category of the questions after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import IO

from cmas_bank.export.common import PRETEST_TAG, FormOrder
from cmas_bank.export.lms import area_names, check_text, feedback_html, html_inline, html_text, ordered, plain_lines
from cmas_bank.export.moodle_xml import category_path, form_category
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

_SPECIAL = re.compile(r"([\\~=#{}:])")


def escape(text: str) -> str:
    """Backslash before every GIFT special character: `\\ ~ = # { } :`."""
    return _SPECIAL.sub(r"\\\1", text)


def _one_line(text: str) -> str:
    """Escaped GIFT text on one line: a line break (LF; the HTML builder has already turned CR LF
    and CR into LF) is written as the `\\n` escape."""
    return escape(text).replace("\n", "\\n")


def question_text(item: Item, scored: bool = True) -> str:
    tags = list(item.tags) + ([] if scored or PRETEST_TAG in item.tags else [PRETEST_TAG])
    lines = [
        f"// [id:{item.id}]" + "".join(f" [tag:{tag}]" for tag in tags),
        f"::{escape(item.id)}::[html]{_one_line(html_text(item.stem))}{{",
    ]
    for key in OPTION_KEYS:
        mark = "=" if key == item.answer else "~"
        lines.append(f"\t{mark}{_one_line(html_inline(getattr(item.options, key)))}")
    lines.append(f"\t####{_one_line(feedback_html(item))}")
    lines.append("}")
    return "\n".join(lines)


def write_gift(items: Sequence[Item], outline: Outline, out: IO[bytes], form: FormOrder | None = None) -> None:
    """The GIFT file, written question by question (blocks separated by a blank line)."""
    check_text(items)
    for item in items:
        area_names(item, outline)  # an item outside the outline fails here, named
    out.write(f"// cmas-bank export: {' '.join(plain_lines(outline.title))}\n".encode())
    for block in _blocks(items, outline, form):
        out.write(f"\n{block}\n".encode())


def _blocks(items: Sequence[Item], outline: Outline, form: FormOrder | None) -> Iterator[str]:
    """The category lines and questions after the header, in order."""
    if form is not None:
        yield f"$CATEGORY: {form_category(form, outline)}"
        for item in form.arrange(items):
            yield question_text(item, form.scored(item.id))
        return
    current = None
    for item in ordered(items):
        path = category_path(item, outline)
        if path != current:
            yield f"$CATEGORY: {path}"
            current = path
        yield question_text(item)
