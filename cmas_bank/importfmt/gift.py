"""GIFT text as questions, read by the rules of Moodle's GIFT importer (qformat_gift in
question/format/gift/format.php):

- questions are separated by blank lines; a line starting with `//` is a comment, and the
  comments before a question give its idnumber and tags as `[id:...]` and `[tag:...]` (a `]`
  inside written `\\]`);
- `$CATEGORY: path` sets the category of the questions after it;
- a question is `::title::`, an optional text format (`[html]`, `[moodle]`, `[plain]`,
  `[markdown]`), the text, and the answers in `{...}`: `=` the right answer, `~` a wrong one,
  `%n%` a weight, `#` feedback on an answer, `####` the general feedback;
- `\\` before `~ = # { } :` and `\\` makes the character text, `\\n` is a line break.

A question with one `=`, three `~`, no weights and no per-answer feedback becomes an item (the
general feedback is its rationale, and references when it ends with the exports' `References:`
list); true/false (`{T}`), short answer (only `=`), matching (`->`), numerical (`{#`), essay
(`{}`), missing-word (text after the braces) and description (no braces) questions are skipped
with their reason. A brace never closed is a syntax error (IM112) at the question's line.
"""

from __future__ import annotations

import re

from cmas_bank.importfmt import Question, split_category
from cmas_bank.importfmt.safe import NOT_THAT_FORMAT, InputError, sniff
from cmas_bank.importfmt.text import Unsupported, blocks, html_root, paragraphs_text, split_feedback

GIFT_SYNTAX = "IM112"
ENCODING = "IM102"
_ESCAPED = {"~", "=", "#", "{", "}", ":", "\\"}
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TRUE_FALSE = re.compile(r"(?i)(T|F|TRUE|FALSE)")


def find(text: str, token: str, start: int = 0) -> int:
    """Index of the first `token` at or after `start` that no backslash escapes, else -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(token, i):
            return i
        i += 1
    return -1


def unescaped(text: str, characters: str) -> list[int]:
    """Indexes of the `characters` in `text` that no backslash escapes."""
    found: list[int] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] in characters:
            found.append(i)
        i += 1
    return found


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if text[i] == "\\" and len(pair) == 2 and (pair[1] in _ESCAPED or pair[1] == "n"):
            out.append("\n" if pair[1] == "n" else pair[1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _decode(data: bytes, display: str) -> str:
    kind = sniff(data)
    if kind != "text":
        what = {"zip": "a zip archive", "binary": "binary data", "xml": "XML (for Moodle XML use `import moodle`)"}
        raise InputError(NOT_THAT_FORMAT, f"not GIFT text: the file is {what[kind]}", display)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            ENCODING, f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8", display, line
        ) from None


def _blocks(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, comment lines, other lines) of each blank-line-separated block."""
    found: list[tuple[int, list[str], list[str]]] = []
    comments: list[str] = []
    body: list[str] = []
    start = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            if body:
                found.append((start, comments, body))
            if body or not comments:
                comments, body = [], []
            continue
        if line.lstrip().startswith("//"):
            comments.append(line.lstrip()[2:])
            continue
        if not body:
            start = number
        body.append(line)
    if body:
        found.append((start, comments, body))
    return found


def read_gift(data: bytes, display: str, suffix: str) -> list[Question]:
    text = _decode(data, display)
    category: list[str] = []
    questions: list[Question] = []
    for line, comments, body in _blocks(text):
        joined = "\n".join(body).strip()
        if joined.startswith("$CATEGORY:"):
            category = split_category(joined[len("$CATEGORY:") :].strip())
            continue
        questions.append(_question(joined, comments, display, line, category))
    return questions


def _bracketed(comments: list[str], key: str) -> list[str]:
    pattern = re.compile(r"\[" + key + r":((?:\\.|[^\]\\])*)\]")
    return [re.sub(r"\\(.)", r"\1", m.group(1)) for c in comments for m in pattern.finditer(c)]


def _question(text: str, comments: list[str], display: str, line: int, category: list[str]) -> Question:
    question = Question(path=display, line=line, label=f"question at line {line}", category=category)
    question.ids = [("[id:...]", v.strip()) for v in _bracketed(comments, "id")]
    question.tags = [t.strip() for t in _bracketed(comments, "tag")]
    if text.startswith("::"):
        end = find(text, "::", 2)
        if end < 0:
            question.error = (GIFT_SYNTAX, "the title's closing `::` is missing")
            return question
        title = unescape(text[2:end]).strip()
        question.label = f"question {title!r}"
        question.ids.append(("title", title))
        text = text[end + 2 :].lstrip()
    fmt = "moodle"
    if match := _FORMAT.match(text):
        fmt, text = match.group(1), text[match.end() :]
    try:
        _parts(question, text, fmt)
    except Unsupported as exc:
        question.skip = str(exc)
    return question


def _field(text: str, fmt: str) -> list[tuple[str, str]]:
    """Paragraphs of a GIFT field: HTML for `[html]`, else the text as it is."""
    plain = unescape(text).strip()
    if fmt == "html":
        return blocks(html_root(plain))
    return [("p", plain)] if plain else []


def _parts(question: Question, text: str, fmt: str) -> None:
    opening = find(text, "{")
    if opening < 0:
        if find(text, "}") >= 0:
            question.error = (
                GIFT_SYNTAX,
                "a `}` closes answers that were never opened (write `\\}` for the character)",
            )
        else:
            question.skip = "a description (no answers in braces)"
        return
    closing = find(text, "}", opening + 1)
    if closing < 0:
        question.error = (GIFT_SYNTAX, "the answers' `{` is never closed (write `\\{` for the character)")
        return
    if text[closing + 1 :].strip():
        question.skip = "a missing-word question (text after the answers); the bank holds a stem then options"
        return
    question.stem = paragraphs_text(_field(text[:opening], fmt))
    question.skip = _answers(question, text[opening + 1 : closing], fmt)


def _not_choice(body: str) -> str | None:
    """What kind of question answers in braces make, when it is not a choice between them."""
    if not body:
        return "an essay question (empty braces)"
    if body.startswith("#"):
        return "a numerical question"
    if _TRUE_FALSE.fullmatch(body.split("#", 1)[0].strip()):
        return "a true/false question"
    if "->" in body:
        return "a matching question"
    return None


def _marked(body: str) -> list[tuple[str, str]] | str:
    """(mark, text) of each answer, or why the answers are not four with one right."""
    marks = unescaped(body, "=~")
    if not marks or body[: marks[0]].strip():
        return "its answers do not start with `=` or `~`"
    answers = [(body[i], body[i + 1 : j]) for i, j in zip(marks, [*marks[1:], len(body)], strict=True)]
    kinds = [mark for mark, _ in answers]
    if "~" not in kinds:
        return "a short-answer question (every answer starts with `=`)"
    if any(re.match(r"\s*%", text) for _, text in answers):
        return "partial credit (answer weights `%n%`)"
    if any(find(text, "#") >= 0 for _, text in answers):
        return "it has feedback per answer; the bank has only a rationale"
    if kinds.count("=") != 1:
        return "more than one right answer (`=`)"
    if len(answers) != 4:
        return f"it has {len(answers)} answers; the bank holds four options"
    return answers


def _answers(question: Question, block: str, fmt: str) -> str | None:
    """Fill the options, key and feedback from the text in braces; the reason to skip, if any."""
    body = block.strip()
    general = find(body, "####")
    feedback = body[general + 4 :] if general >= 0 else ""
    body = body[:general] if general >= 0 else body
    reason = _not_choice(body)
    if reason:
        return reason
    answers = _marked(body)
    if isinstance(answers, str):
        return answers
    question.options = [paragraphs_text(_field(text, fmt)) for _, text in answers]
    question.answer = [mark for mark, _ in answers].index("=")
    question.rationale, question.references = split_feedback(_field(feedback, fmt))
    return None
