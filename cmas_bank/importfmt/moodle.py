"""Moodle XML (`<quiz>` of `<question>`s) as questions, read by the rules of Moodle's own
importer (qformat_xml in question/format/xml/format.php): a `category` question sets the
category of the questions after it; `name/text`, `questiontext` (format from its `format`
attribute, `html` when absent), `generalfeedback`, `idnumber` and `tags/tag/text` are read as
import_headers and import_question_tags read them; an answer's mark is its `fraction` / 100;
`single` is false only when it is `false` or empty.

A `multichoice` question with `single` true, four answers, fraction 100 on one and 0 on the
others, no per-answer feedback and no embedded files becomes an item; every other question is
skipped with its reason. The combined feedback texts (correct, partially correct, incorrect)
are not item content and are not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmas_bank.importfmt import Question, split_category
from cmas_bank.importfmt.safe import NOT_THAT_FORMAT, InputError, line_of, parse_xml, sniff
from cmas_bank.importfmt.text import Unsupported, blocks, html_root, paragraphs_text, split_feedback

if TYPE_CHECKING:
    from lxml import etree

TYPES = {
    "truefalse": "a true/false question",
    "shortanswer": "a short-answer question",
    "essay": "an essay question",
    "matching": "a matching question",
    "numerical": "a numerical question",
    "description": "a description, not a question",
    "multianswer": "an embedded-answers (cloze) question",
    "ddwtos": "a drag-and-drop question",
    "gapselect": "a select-missing-words question",
    "calculated": "a calculated question",
}


def read_moodle(data: bytes, display: str, suffix: str) -> list[Question]:
    kind = sniff(data)
    if kind != "xml":
        raise InputError(NOT_THAT_FORMAT, f"not Moodle XML: the file is {_what(kind)}", display)
    root = parse_xml(data, display)
    if root.tag != "quiz":
        message = f"not Moodle XML: the document element is <{root.tag}>, not <quiz>"
        raise InputError(NOT_THAT_FORMAT, message, display, line_of(root))
    category: list[str] = []
    questions: list[Question] = []
    for number, element in enumerate(root.iterchildren("question"), start=1):
        kind = element.get("type", "")
        if kind == "category":
            category = split_category(element.findtext("category/text") or "")
            continue
        questions.append(_question(element, display, number, category))
    return questions


def _what(kind: str) -> str:
    return {"zip": "a zip archive", "binary": "binary data", "text": "plain text, not XML"}.get(kind, kind)


def _text(element: etree._Element | None) -> str:
    return (element.findtext("text") or "").strip() if element is not None else ""


def _html_or_plain(holder: etree._Element | None, default: str) -> list[tuple[str, str]]:
    """Paragraphs of a text holder: HTML when its format says so, else the text as it is."""
    text = _text(holder)
    fmt = holder.get("format", default) if holder is not None else default
    if fmt == "html":
        return blocks(html_root(text))
    return [("p", text)] if text else []


def _question(element: etree._Element, display: str, number: int, category: list[str]) -> Question:
    name = _text(element.find("name"))
    question = Question(
        path=display,
        line=line_of(element),
        label=f"question {name!r}" if name else f"question {number}",
        ids=[(w, v) for w, v in (("idnumber", (element.findtext("idnumber") or "").strip()), ("name", name)) if v],
        category=category,
        tags=[(t.findtext("text") or "").strip() for t in element.findall("tags/tag")],
    )
    kind = element.get("type", "")
    if kind != "multichoice":
        question.skip = TYPES.get(kind, f"question type {kind!r}") + "; the bank holds single-choice questions"
        return question
    try:
        question.skip = _multichoice(element, question)
    except Unsupported as exc:
        question.skip = str(exc)
    return question


def _multichoice(element: etree._Element, question: Question) -> str | None:
    """Fill `question` from a multichoice element; the reason to skip it, if any."""
    if element.find(".//file") is not None:
        return "it embeds files (images or attachments)"
    if (element.findtext("single") or "true").strip() in ("false", ""):
        return "more than one answer may be chosen (single is false)"
    answers = element.findall("answer")
    if len(answers) != 4:
        return f"it has {len(answers)} answers; the bank holds four options"
    try:
        fractions = [float(a.get("fraction", "0") or 0) for a in answers]
    except ValueError:
        return f"an answer's fraction is not a number ({', '.join(a.get('fraction', '0') for a in answers)})"
    if sorted(fractions) != [0.0, 0.0, 0.0, 100.0]:
        return f"partial credit or penalties (fractions {', '.join(a.get('fraction', '0') for a in answers)})"
    if any(_text(a.find("feedback")) for a in answers):
        return "it has feedback per answer; the bank has only a rationale"
    text = element.find("questiontext")
    fmt = text.get("format", "html") if text is not None else "html"
    question.stem = paragraphs_text(_html_or_plain(element.find("questiontext"), "html"))
    question.options = [paragraphs_text(_html_or_plain(a, fmt)) for a in answers]
    question.answer = fractions.index(100.0)
    question.rationale, question.references = split_feedback(_html_or_plain(element.find("generalfeedback"), fmt))
    return None
