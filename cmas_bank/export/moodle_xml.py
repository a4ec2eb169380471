"""Moodle XML: the format Moodle's question bank imports (Question bank > Import > Moodle XML).

    <quiz>
      <question type="category">  $course$/top/<outline title>/<n. work area>/<sub-area>
      <question type="multichoice"> one per item of that sub-area, then the next category ...

Each item is a `multichoice` question with `single` true, its options in order A-D (not
shuffled, numbered ABCD), fraction 100 on the key and 0 on the others, `idnumber` and `name` the
item id, the tags as `<tags>`, and the rationale (then the references) as general feedback.
Texts are HTML (`format="html"`): the fragment is built with lxml, so item text stays text, and
the XML around it is built with lxml too, which escapes the fragment again. Paragraphs become
`<p>`; a single line break stays in the text (HTML shows it as a space). A category name holding `/` has it doubled, as Moodle's path syntax wants.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING

from cmas_bank.export.common import PRETEST_TAG, FormOrder, close_level, write_child, xml_stream
from cmas_bank.export.lms import area_names, check_text, feedback_html, html_inline, html_text, ordered
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from lxml import etree

PENALTY = "0.3333333"


def category_path(item: Item, outline: Outline) -> str:
    """`$course$/top/...`: the item's category, each name's `/` written `//`."""
    names = [outline.title, *area_names(item, outline)]
    return "/".join(["$course$", "top", *(n.replace("/", "//") for n in names)])


def _text(parent: etree._Element, tag: str, text: str, fmt: str | None = "html") -> etree._Element:
    from lxml import etree

    holder = etree.SubElement(parent, tag, {"format": fmt} if fmt else {})
    etree.SubElement(holder, "text").text = text
    return holder


def _category(path: str) -> etree._Element:
    from lxml import etree

    question = etree.Element("question", type="category")
    category = etree.SubElement(question, "category")
    etree.SubElement(category, "text").text = path
    _text(question, "info", "")
    return question


def form_category(form: FormOrder, outline: Outline) -> str:
    """`$course$/top/<outline title>/<form id>`: a form's one category, its questions in order."""
    return "/".join(["$course$", "top", *(n.replace("/", "//") for n in (outline.title, form.form))])


def _question(item: Item, scored: bool = True) -> etree._Element:
    from lxml import etree

    S = etree.SubElement
    question = etree.Element("question", type="multichoice")
    name = S(question, "name")
    S(name, "text").text = item.id
    _text(question, "questiontext", html_text(item.stem))
    _text(question, "generalfeedback", feedback_html(item))
    S(question, "defaultgrade").text = "1" if scored else "0"
    S(question, "penalty").text = PENALTY
    S(question, "hidden").text = "0"
    S(question, "idnumber").text = item.id
    S(question, "single").text = "true"
    S(question, "shuffleanswers").text = "false"
    S(question, "answernumbering").text = "ABCD"
    S(question, "showstandardinstruction").text = "0"
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(question, tag, "")
    for key in OPTION_KEYS:
        answer = S(question, "answer", {"fraction": "100" if key == item.answer else "0", "format": "html"})
        S(answer, "text").text = html_inline(getattr(item.options, key))
        _text(answer, "feedback", "")
    marks = list(item.tags) + ([] if scored or PRETEST_TAG in item.tags else [PRETEST_TAG])
    if marks:
        tags = S(question, "tags")
        for tag in marks:
            S(S(tags, "tag"), "text").text = tag
    return question


def _questions(items: Sequence[Item], outline: Outline, form: FormOrder | None) -> Iterator[etree._Element]:
    """The quiz's children in order, each built when it is asked for."""
    if form is not None:
        yield _category(form_category(form, outline))
        for item in form.arrange(items):
            yield _question(item, form.scored(item.id))
        return
    current = None
    for item in ordered(items):
        path = category_path(item, outline)
        if path != current:
            yield _category(path)
            current = path
        yield _question(item)


def write_moodle(items: Sequence[Item], outline: Outline, out: IO[bytes], form: FormOrder | None = None) -> None:
    """The quiz, written question by question (built whole, 100,000 items took gigabytes)."""
    check_text(items)
    with xml_stream(out) as xf, xf.element("quiz"):
        for element in _questions(items, outline, form):
            write_child(xf, element, 1)
        close_level(xf, 0)
