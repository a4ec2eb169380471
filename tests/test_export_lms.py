"""LMS exports: Moodle XML, GIFT, Aiken and Canvas QTI 1.2, each over the whole shipped bank and
hostile text, read back by readers that are not ours where one runs here (the QTI 1.2.1 DTD,
gift-pegjs) and otherwise by the rules of Moodle's own importers, cited by file and line.

Moodle sources read (moodle/moodle, the versions the search index stores), cited by line:
`question/format/aiken/format.php` @ cf29c007d2535bb90d623d0fad76ee8075ced722,
`question/format/xml/format.php` @ 9094211d277bef39ad1ac09635c200850248b7da and
`question/format/gift/format.php` @ 45079d79642fefbd1bbbebf113cad49de3b98fde (an older release: its
readquestion does not yet read `[id:...]` and `[tag:...]` comments; later ones do, in
extract_idnumber_and_tags_from_comment). The split of a GIFT file into questions at blank lines is
qformat_default::readquestions in `question/format.php`, named by function (not read by line).
The rule readers below (moodle_aiken_read, moodle_xml_read, moodle_gift_read_question) follow
those lines, and each has a test that a change to the export is read differently."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES, SHARED, aiken_carries
from lxml import etree
from lxml import html as lxml_html

from cmas_bank.export import ExportError, render
from cmas_bank.export.common import paragraphs
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult, validate_paths

EXPORT = FIXTURES / "export"
GIFT_READER = Path(__file__).parent / "gift"
LMS_FORMATS = ("moodle", "gift", "aiken", "canvas")
HOSTILE_STEM = 'Tags <b>bold</b> & "q" ]]> then GIFT ~ = # { } : \\ and {braces} and a: colon\n\nWhich one?'
HOSTILE_OPTIONS = {"A": "<b>HTN</b> & ]]>", "B": "~tilde =equals #hash", "C": "{open} close}", "D": "key: value \\n"}


@pytest.fixture(scope="module")
def bank_items(shipped_bank: ValidationResult) -> list[Item]:
    result = shipped_bank
    items = [f.item for f in result.files if f.item is not None and not f.diagnostics]
    assert len(items) >= 250
    return items


@pytest.fixture(scope="module")
def hostile(outline: Outline) -> list[Item]:
    """The escaping fixtures plus an item made of every character the LMS formats treat specially."""
    items = validate_paths([EXPORT / "bank"], outline).items
    options = items[0].options.model_copy(update=HOSTILE_OPTIONS)
    extra = items[0].model_copy(
        update={
            "id": "EXP-01-0009",
            "stem": HOSTILE_STEM,
            "options": options,
            "answer": "C",
            "rationale": "Because {C} = right; ~ # : \\ are text.\n\nSecond <i>paragraph</i>.",
            "references": ["Ref: a {b} #c", "<script>x</script>"],
            "tags": ["gift-hostile"],
        }
    )
    return [*items, extra]


def _plain(fragment: str) -> str:
    """An HTML fragment read back as plain text: paragraphs and list items joined by blank lines."""
    if not fragment:
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return "\n\n".join((child.text_content()) for child in root.iter("p", "li"))


def _inline(fragment: str) -> str:
    """Inline HTML (an option) read back as plain text."""
    return str(lxml_html.fragment_fromstring(fragment, create_parent="div").text_content())


def _paragraph_text(text: str) -> str:
    return "\n\n".join(paragraphs(text))


def _feedback_text(item: Item) -> str:
    parts = [_paragraph_text(item.rationale)]
    if item.references:
        parts += ["References:", *item.references]
    return "\n\n".join(parts)


# --- determinism and the CLI ------------------------------------------------------------------


def _carried(fmt: str, items: list[Item]) -> list[Item]:
    """The items `fmt` carries: all of them, but for aiken those without an option it refuses."""
    return [i for i in items if aiken_carries(i)] if fmt == "aiken" else items


@pytest.mark.parametrize("fmt", LMS_FORMATS)
def test_same_items_same_bytes(fmt: str, bank_items: list[Item], outline: Outline) -> None:
    items = _carried(fmt, bank_items)
    assert render(fmt, items, outline) == render(fmt, list(reversed(items)), outline)


@pytest.mark.parametrize("fmt", LMS_FORMATS)
def test_cli_exports_the_bank(fmt: str, tmp_path: Path) -> None:
    """The command writes a work area of the shipped bank, and the same bytes again (the whole
    bank's bytes are checked in process above, and read back by each format's reader below)."""
    out = tmp_path / f"bank.{fmt}"
    area = BANK / "02-basic-clinical-concepts"
    ran = cli("export", "--format", fmt, "--out", str(out), str(area))
    assert ran.returncode == 0, ran.stderr
    assert re.search(rf"wrote .*: {len(list(area.glob('*.yaml')))} items as {fmt}", ran.stderr)
    first = out.read_bytes()
    assert cli("export", "--format", fmt, "--out", str(out), str(area)).returncode == 0
    assert out.read_bytes() == first


@pytest.mark.parametrize("fmt", LMS_FORMATS)
def test_control_character_fails_naming_item_and_field(fmt: str, tmp_path: Path, outline: Outline) -> None:
    out = tmp_path / "x"
    ran = cli("export", "--format", fmt, "--out", str(out), str(EXPORT / "control-char"))
    assert ran.returncode == 1
    assert "EXP-02-0001: stem contains the control character U+000B" in ran.stderr
    assert not out.exists()


# --- GIFT, read by gift-pegjs -----------------------------------------------------------------


def _gift_parse(tmp_path: Path, data: bytes) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the GIFT reader gift-pegjs needs it (apt-get install nodejs npm)")
    if not (GIFT_READER / "node_modules" / "gift-pegjs").is_dir():
        pytest.skip(f"gift-pegjs is not installed: run `npm install --prefix {GIFT_READER}` (.ci/run does)")
    path = tmp_path / "export.gift"
    path.write_bytes(data)
    done = subprocess.run([node, str(GIFT_READER / "read_gift.js"), str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _check_gift(questions: list[dict], items: list[Item], outline: Outline) -> None:
    by_id = {i.id: i for i in items}
    seen = []
    for question in questions:
        if question["type"] == "Category":
            category = question["title"]
            continue
        item = by_id[question["title"]]
        seen.append(item.id)
        assert question["type"] == "MC" and question["id"] == item.id
        assert question["tags"] == (item.tags or None)
        assert question["stem"]["format"] == "html"
        assert _plain(question["stem"]["text"]) == _paragraph_text(item.stem)
        assert [_inline(c["text"]["text"]) for c in question["choices"]] == list(item.options.as_dict().values())
        assert [c["isCorrect"] for c in question["choices"]] == [k == item.answer for k in OPTION_KEYS]
        assert _plain(question["globalFeedback"]["text"]) == _feedback_text(item)
        assert category.endswith(
            f"/{item.domain}. {outline.areas[item.domain].name}/{item.subdomain} "
            + next(s.name for s in outline.areas[item.domain].subareas if s.code == item.subdomain)
        )
    assert sorted(seen) == sorted(by_id)


def test_gift_whole_bank_read_by_gift_pegjs(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    _check_gift(_gift_parse(tmp_path, render("gift", bank_items, outline)), bank_items, outline)


def test_gift_hostile_text_read_by_gift_pegjs(tmp_path: Path, hostile: list[Item], outline: Outline) -> None:
    data = render("gift", hostile, outline)
    text = data.decode()
    assert "\\{braces\\}" in text and "\\~tilde \\=equals \\#hash" in text and "key\\: value \\\\n" in text
    assert "&lt;b&gt;HTN&lt;/b&gt; &amp; ]]&gt;" in text  # HTML-escaped, so Moodle shows the characters
    _check_gift(_gift_parse(tmp_path, data), hostile, outline)


def test_gift_reader_bites_on_an_unescaped_brace(tmp_path: Path, hostile: list[Item], outline: Outline) -> None:
    """The reader check is real: without the escaping, gift-pegjs misreads the hostile item."""
    data = render("gift", hostile[-1:], outline).replace(b"\\{braces\\}", b"{braces}")
    node = shutil.which("node")
    if node is None or not (GIFT_READER / "node_modules" / "gift-pegjs").is_dir():
        pytest.skip("node or gift-pegjs is not installed")
    path = tmp_path / "broken.gift"
    path.write_bytes(data)
    done = subprocess.run([node, str(GIFT_READER / "read_gift.js"), str(path)], capture_output=True, check=False)
    if done.returncode == 0:
        with pytest.raises(AssertionError):
            _check_gift(json.loads(done.stdout), hostile[-1:], outline)


PHP_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() strips


class MoodleImportError(Exception):
    """An error Moodle's importer would report for the file."""


# --- GIFT, against the rules of Moodle's importer ---------------------------------------------

GIFT_PLACEHOLDERS = {
    "\\:": "&&058;",
    "\\#": "&&035;",
    "\\=": "&&061;",
    "\\{": "&&123;",
    "\\}": "&&125;",
    "\\~": "&&126;",
    "\\n": "&&010",
}
GIFT_CHARACTERS = {
    "&&058;": ":",
    "&&035;": "#",
    "&&061;": "=",
    "&&123;": "{",
    "&&125;": "}",
    "&&126;": "~",
    "&&010": "\n",
}
GIFT_FORMATS = {"moodle", "html", "plain", "markdown"}


def _php_empty(line: str) -> bool:
    return line in ("", "0")


def _gift_blocks(text: str) -> list[list[str]]:
    """qformat_default::readquestions (question/format.php; read as a function, not by line): each
    line trimmed, and a line PHP's empty() holds empty ("" or "0") ends the question."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip(PHP_TRIM)
        if _php_empty(line):
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    return [b for b in blocks if b]


def _gift_pre(text: str) -> str:
    """escapedchar_pre (gift/format.php 112-122): `\\\\` held aside, each escape a placeholder."""
    text = text.replace("\\\\", "&&092;")
    for escaped, placeholder in GIFT_PLACEHOLDERS.items():
        text = text.replace(escaped, placeholder)
    return text.replace("&&092;", "\\")


def _gift_post(text: str) -> str:
    """escapedchar_post (124-130)."""
    for placeholder, character in GIFT_CHARACTERS.items():
        text = text.replace(placeholder, character)
    return text


def _gift_format(text: str, default: str) -> tuple[str, str]:
    """parse_text_with_format (142-158): a leading `[name]` names the format (format_name_to_const,
    589-601; an unknown name leaves the text alone), then placeholders back and trimmed."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if text[1:end] in GIFT_FORMATS:
            fmt, text = text[1:end], text[end + 1 :]
    return _gift_post(text).strip(PHP_TRIM), fmt


def moodle_gift_read_question(lines: list[str]) -> dict | None:
    """qformat_gift::readquestion, for what our export writes (question/format/gift/format.php @
    45079d79642fefbd1bbbebf113cad49de3b98fde):
    - lines starting `//` are blanked (171-176), the rest joined with line breaks and trimmed (178);
    - escapes become placeholders (185); `$CATEGORY:` makes the block a category (188-195);
    - a leading `::name::` is the name (198-211);
    - the answers are between the first `{` and the first `}` (215-231; one without the other is
      `braceerror`, 225-227); with nothing after the `}` the question text is the rest (237-239),
      else it is a missing-word question (240-243);
    - the general feedback follows the last `####` in the answers (246-252); text formats from a
      leading `[html]` (255-262);
    - a `~` in the answers makes it multichoice (289-291), single when it has an `=` (345-349);
      answers split at `~` after `=` becomes `~=` (352-359), at least two (363-365); `=` weighs 1,
      else 0 (371-380); a `#` starts an answer's feedback (381-382, commentparser 85-94).
    The `// [id:...] [tag:...]` comment is read by extract_idnumber_and_tags_from_comment, which
    later Moodle releases added to readquestion and which the stored 45079d7 does not have: the
    comment line is checked here as written, not by a cited line."""
    comments = [line for line in lines if line.strip(PHP_TRIM).startswith("//")]
    lines = [" " if line.strip(PHP_TRIM).startswith("//") else line for line in lines]
    text = "\n".join(lines).strip(PHP_TRIM)
    if text == "":
        return None
    text = _gift_pre(text)
    if text.startswith("$CATEGORY:"):
        return {"category": text[10:].strip(PHP_TRIM)}
    name = None
    if text.startswith("::"):
        text = text[2:]
        finish = text.find("::")
        if finish >= 0:
            name, text = _gift_post(text[:finish]), text[finish + 2 :].strip(PHP_TRIM)
    start, finish = text.find("{"), text.find("}")
    if (start < 0) != (finish < 0):
        raise MoodleImportError("braceerror")
    assert start >= 0 and text.endswith("}"), "a description or missing-word question"
    answertext = text[start + 1 : finish].strip(PHP_TRIM)
    questiontext = text[:start] + text[finish + 1 :]
    general = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general, answertext = answertext[separator + 4 :], answertext[:separator].strip(PHP_TRIM)
    stem, fmt = _gift_format(questiontext, "moodle")
    feedback, feedback_fmt = _gift_format(general, fmt)
    assert "~" in answertext, "not multichoice"
    answers = answertext.replace("=", "~=").split("~")
    answers[0] = answers[0].strip(PHP_TRIM)
    if answers[0] == "":
        answers.pop(0)
    if len(answers) < 2:
        raise MoodleImportError("importminerror")
    read_answers = []
    for answer in (a.strip(PHP_TRIM) for a in answers):
        weight = 1.0 if answer.startswith("=") else 0.0
        answer = answer.removeprefix("=")
        assert not re.match(r"^%-*([0-9]{1,2})\.?([0-9]*)%", answer), "a weighted answer"
        bits = answer.split("#", 1)
        read_answers.append((_gift_format(bits[0].strip(PHP_TRIM), fmt), weight, bits[1:]))
    return {
        "comments": comments,
        "name": name,
        "questiontext": (stem, fmt),
        "generalfeedback": (feedback, feedback_fmt),
        "single": 1 if "=" in answertext else 0,
        "answers": read_answers,
    }


def _check_gift_by_moodle_rules(data: bytes, items: list[Item], outline: Outline) -> None:
    by_id = {i.id: i for i in items}
    seen, category = [], None
    for block in _gift_blocks(data.decode("utf-8")):
        question = moodle_gift_read_question(block)
        if question is None:
            continue
        if "category" in question:
            category = question["category"]
            continue
        item = by_id[question["name"]]
        seen.append(item.id)
        area = f"{item.domain}. {outline.areas[item.domain].name}"
        assert category is not None and category.startswith(f"$course$/top/{outline.title}/{area}/{item.subdomain} ")
        (comment,) = question["comments"]
        assert comment == f"// [id:{item.id}]" + "".join(f" [tag:{t}]" for t in item.tags)
        stem, fmt = question["questiontext"]
        assert fmt == "html" and _plain(stem) == _paragraph_text(item.stem)
        feedback, feedback_fmt = question["generalfeedback"]
        assert feedback_fmt == "html" and _plain(feedback) == _feedback_text(item)
        assert question["single"] == 1
        answers = question["answers"]
        assert [_inline(text) for (text, _), _, _ in answers] == list(item.options.as_dict().values())
        assert [fmt for (_, fmt), _, _ in answers] == ["html"] * 4
        assert [weight for _, weight, _ in answers] == [float(k == item.answer) for k in OPTION_KEYS]
        assert [rest for *_, rest in answers] == [[]] * 4  # no `#`: no feedback per answer
    assert sorted(seen) == sorted(by_id)


def test_gift_whole_bank_by_moodle_importer_rules(bank_items: list[Item], outline: Outline) -> None:
    _check_gift_by_moodle_rules(render("gift", bank_items, outline), bank_items, outline)


def test_gift_hostile_text_by_moodle_importer_rules(hostile: list[Item], outline: Outline) -> None:
    _check_gift_by_moodle_rules(render("gift", hostile, outline), hostile, outline)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (b"\\{braces\\}", b"{braces}"),  # the first `}` would end the answers early
        (b"\\~tilde", b"~tilde"),  # a fifth answer
        (b"\\#hash", b"#hash"),  # feedback for option B
        (b"key\\: value \\\\n", b"key\\: value \\n"),  # `\n` would be read as a line break
    ],
)
def test_gift_rules_bite_on_unescaped_text(before: bytes, after: bytes, hostile: list[Item], outline: Outline) -> None:
    """The rule reader is real: each escape removed makes Moodle read the hostile item differently."""
    data = render("gift", hostile[-1:], outline)
    assert data.count(before) >= 1
    with pytest.raises((AssertionError, MoodleImportError)):
        _check_gift_by_moodle_rules(data.replace(before, after), hostile[-1:], outline)


# --- Aiken, against Moodle's importer's rules -------------------------------------------------


def moodle_aiken_read(text: str) -> list[dict]:
    """Moodle's Aiken import, rule by rule (question/format/aiken/format.php @ cf29c007):
    - lines are the file's lines, each split again at CR (lines 67, 71), then trimmed (line 75);
    - a line shorter than 2 characters is skipped (line 78);
    - a line matching `^[A-Z][).][ \\t]?` is a choice, its text what follows the first two
      characters, trimmed and HTML-escaped (lines 81, 89-90), then escaped again by text_field
      (146-148: htmlspecialchars twice), so Moodle shows a choice's `&`, `<`, `>` as `&amp;`,
      `&lt;`, `&gt;` (a limit of its importer; the stem is escaped once, 129); a choice outside a
      question is an error (82-85);
    - a line matching `^ANSWER:` closes the question, the key its first letter after `:` (93, 101-104);
      fewer than two choices is an error (106-110);
    - any other line starts a new question (the whole line, HTML-escaped, is its text; lines
      119-129), and discards an open question that had no ANSWER line (121-123)."""
    questions: list[dict] = []
    current: dict | None = None
    errors: list[str] = []
    for raw in text.split("\n"):
        for piece in raw.split("\r"):
            line = piece.strip()
            if len(line) < 2:
                continue
            if re.match(r"^[A-Z][).][ \t]?", line):
                if current is None:
                    errors.append(f"choice outside a question: {line}")
                    continue
                current["options"].append(html.escape(html.escape(line[2:].strip(), quote=False), quote=False))
            elif re.match(r"^ANSWER:", line):
                if current is None:
                    errors.append(f"answer outside a question: {line}")
                    continue
                if len(current["options"]) < 2:
                    errors.append(f"too few answers: {current['stem']}")
                    current = None
                    continue
                current["key"] = line.split(":", 1)[1].strip()[:1]
                questions.append(current)
                current = None
            else:
                if current is not None:
                    errors.append(f"question not complete: {current['stem']}")
                current = {"stem": html.escape(line, quote=False), "options": []}
    assert not errors, errors
    return questions


def _check_aiken(data: bytes, items: list[Item]) -> None:
    questions = moodle_aiken_read(data.decode("utf-8"))
    ordered = sorted(items, key=lambda i: i.id)
    assert len(questions) == len(ordered)
    for question, item in zip(questions, ordered, strict=True):
        assert html.unescape(question["stem"]) == " ".join(item.stem.split())
        # what the page shows (the stored HTML rendered once): Moodle escapes an option twice, so
        # it shows as written only because the export refuses an option holding & < >
        shown = [html.unescape(o) for o in question["options"]]
        assert shown == list(item.options.as_dict().values())
        assert question["key"] == item.answer


def test_aiken_whole_bank_by_moodle_rules(bank_items: list[Item], outline: Outline) -> None:
    carried = [i for i in bank_items if aiken_carries(i)]
    _check_aiken(render("aiken", carried, outline), carried)
    refused = sorted(i.id for i in bank_items if not aiken_carries(i))
    if refused:  # the whole bank is refused, naming the first such item, until its option is reworded
        with pytest.raises(ExportError, match=rf"item {refused[0]}: options\.[A-D] contains '[&<>]'"):
            render("aiken", bank_items, outline)
    else:
        _check_aiken(render("aiken", bank_items, outline), bank_items)


def _aiken_safe(item: Item) -> Item:
    """The item with its options' `&`, `<`, `>` spelt out, the rest of its text as hostile as it was."""
    words = {"&": "and", "<": "lt", ">": "gt"}
    options = {k: "".join(words.get(c, c) for c in v) for k, v in item.options.as_dict().items()}
    return item.model_copy(update={"options": item.options.model_copy(update=options)})


def test_aiken_hostile_text_by_moodle_rules(hostile: list[Item], outline: Outline) -> None:
    """Stem and options are written as they are; Moodle's importer escapes HTML itself (format.php
    lines 90, 129), the stem once (so `<b>` and `&` in a stem show as written)."""
    carried = [_aiken_safe(i) for i in hostile]
    data = render("aiken", carried, outline)
    assert HOSTILE_STEM.split("\n")[0].encode() in data  # `<b>`, `&`, `]]>` in the stem, as they are
    _check_aiken(data, carried)


@pytest.mark.parametrize(("option", "shown"), [("DM2 & more", "&amp;"), ("<b>HTN</b>", "&lt;"), ("a -> b", "&gt;")])
def test_aiken_refuses_an_option_moodle_escapes_twice(
    option: str, shown: str, tmp_path: Path, hostile: list[Item], outline: Outline
) -> None:
    """Moodle's Aiken import escapes a choice when it reads it and again when it saves it
    (format.php lines 89-90, 146-148): `&`, `<`, `>` would show as entities, so the export refuses
    the option, naming the item and field (exit 1, nothing written); the moodle format carries it."""
    item = _aiken_safe(hostile[0])
    changed = item.model_copy(update={"options": item.options.model_copy(update={"C": option})})
    char = next(c for c in option if c in "&<>")
    with pytest.raises(ExportError, match=rf"item {item.id}: options\.C contains '{char}'.*show as '{shown}'"):
        render("aiken", [_aiken_safe(hostile[1]), changed], outline)
    assert _check_aiken(render("aiken", [item], outline), [item]) is None  # the same item without it is carried
    assert _inline(moodle_xml_read(render("moodle", [changed], outline))[0]["answers"][2][0]) == option


def test_cli_aiken_refusal_names_item_and_field_and_writes_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    source = (EXPORT / "control-char" / "EXP-02-0001.yaml").read_text("utf-8")
    edits = (("\\v", " "), ("  B: Face sheet", "  B: Face sheet & chart"), ("status: approved", "status: draft"))
    for old, new in edits:  # a draft: an approval would be stale after the edit
        source = source.replace(old, new, 1)
    (bank / "EXP-02-0001.yaml").write_text(source, "utf-8")
    out = tmp_path / "bank.aiken"
    out.write_bytes(b"previous export")
    ran = cli("export", "--format", "aiken", "--status", "draft", "--out", str(out), str(bank))
    assert ran.returncode == 1 and "Traceback" not in ran.stderr
    assert "export failed: item EXP-02-0001: options.B contains '&'" in ran.stderr
    assert out.read_bytes() == b"previous export" and sorted(p.name for p in tmp_path.iterdir()) == [
        "bank",
        "bank.aiken",
    ]
    moodle = cli("export", "--format", "moodle", "--status", "draft", "--out", str(tmp_path / "bank.xml"), str(bank))
    assert moodle.returncode == 0, moodle.stderr


@pytest.mark.parametrize(
    ("stem", "message"),
    [
        ("A. patient arrives. Which form?", "stem starts like an Aiken option"),
        ("B) Which form?", "stem starts like an Aiken option"),
        ("C.Which form?", "stem starts like an Aiken option"),
        ("ANSWER: which form?", "stem starts with 'ANSWER:'"),
    ],
)
def test_aiken_refuses_a_stem_that_reads_as_another_line(
    stem: str, message: str, hostile: list[Item], outline: Outline
) -> None:
    """Moodle reads such a first line as a choice (format.php line 81) or the key (line 93)."""
    item = hostile[0].model_copy(update={"stem": stem})
    with pytest.raises(ExportError, match=f"item {item.id}: {re.escape(message)}"):
        render("aiken", [item], outline)


def test_aiken_refuses_an_option_with_a_line_break(tmp_path: Path, hostile: list[Item], outline: Outline) -> None:
    """Its second line would start a new question (format.php lines 119-129)."""
    base = _aiken_safe(hostile[0])
    item = base.model_copy(update={"options": base.options.model_copy(update={"B": "one\ntwo"})})
    with pytest.raises(ExportError, match=f"item {item.id}: options.B contains a line break"):
        render("aiken", [item], outline)
    # lowercase "a." is not an option line in Moodle's importer: allowed
    render("aiken", [base.model_copy(update={"stem": "a. lower case start is fine"})], outline)


# --- Canvas QTI 1.2, against the QTI 1.2.1 DTD ------------------------------------------------

QTI12 = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def _dtd() -> etree.DTD:
    path = SHARED / "qti-xsd" / "qti12" / "ims_qtiasiv1p2p1.dtd"
    if not path.is_file():
        pytest.skip(f"QTI 1.2.1 DTD not found at {path} (../shared is absent)")
    return etree.DTD(str(path))


def _without_namespace(data: bytes) -> etree._Element:
    """A copy with the QTI namespace and the xsi attributes removed: the DTD has no namespace
    (../shared/README.md)."""
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    for element in root.iter():
        element.tag = etree.QName(element).localname
        for name in [n for n in element.attrib if n.startswith("{")]:
            del element.attrib[name]
    etree.cleanup_namespaces(root)
    return root


def _canvas_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("which", ["bank", "hostile"])
def test_canvas_every_qti_file_is_dtd_valid_and_carries_the_items(
    which: str, bank_items: list[Item], hostile: list[Item], outline: Outline
) -> None:
    items = bank_items if which == "bank" else hostile
    dtd = _dtd()
    entries = _canvas_entries(render("canvas", items, outline))
    qti = {n: d for n, d in entries.items() if n.endswith((".xml.qti", "cmas-bank.assessment.xml"))}
    assert len(qti) == 1 + len({i.domain for i in items})
    by_id = {i.id: i for i in items}
    for name, data in qti.items():
        assert dtd.validate(_without_namespace(data)), f"{name}: {dtd.error_log}"
        seen = []
        for element in etree.fromstring(data).iter(f"{QTI12}item"):
            item = by_id[element.get("title")]
            seen.append(item.id)
            fields = {
                f.findtext(f"{QTI12}fieldlabel"): f.findtext(f"{QTI12}fieldentry")
                for f in element.iter(f"{QTI12}qtimetadatafield")
            }
            assert fields["question_type"] == "multiple_choice_question" and fields["cmas_bank_id"] == item.id
            mattexts = [m.text or "" for m in element.iter(f"{QTI12}mattext")]
            assert _plain(mattexts[0]) == _paragraph_text(item.stem)
            assert mattexts[1:5] == list(item.options.as_dict().values())
            assert _plain(mattexts[5]) == _feedback_text(item)
            assert element.findtext(f".//{QTI12}varequal") == item.answer
        if name.endswith(".xml.qti"):
            assert {by_id[i].domain for i in seen} == {int(name.rsplit("-", 1)[1].split(".")[0])}
        else:
            assert sorted(seen) == sorted(by_id)


def test_canvas_dtd_check_bites(hostile: list[Item], outline: Outline) -> None:
    """The DTD validation is real: an item without its presentation order is rejected."""
    dtd = _dtd()
    data = _canvas_entries(render("canvas", hostile, outline))["cmas-bank.assessment/cmas-bank.assessment.xml"]
    root = _without_namespace(data)
    assert dtd.validate(root)
    item = next(root.iter("item"))
    item.append(item.find("presentation"))  # after resprocessing and itemfeedback: out of order
    assert not dtd.validate(root)


def test_canvas_identifiers_agree(hostile: list[Item], outline: Outline) -> None:
    entries = _canvas_entries(render("canvas", hostile, outline))
    manifest = etree.fromstring(entries["imsmanifest.xml"])
    cp = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
    files = {f.get("href") for f in manifest.iter(f"{cp}file")}
    assert files == set(entries) - {"imsmanifest.xml"}
    meta = etree.fromstring(entries["cmas-bank.assessment/assessment_meta.xml"])
    quiz = etree.fromstring(entries["cmas-bank.assessment/cmas-bank.assessment.xml"])
    assert meta.get("identifier") == quiz.find(f"{QTI12}assessment").get("ident") == "cmas-bank.assessment"
    bank_ids = {
        e.get("ident")
        for n, d in entries.items()
        if n.endswith(".qti")
        for e in etree.fromstring(d).iter(f"{QTI12}item")
    }
    refs = {
        f.findtext(f"{QTI12}fieldentry")
        for f in quiz.iter(f"{QTI12}qtimetadatafield")
        if f.findtext(f"{QTI12}fieldlabel") == "assessment_question_identifierref"
    }
    assert refs == bank_ids == {i.id for i in hostile}


# --- Moodle XML, against the rules of Moodle's importer ----------------------------------------


MOODLE_XML_FORMATS = {"moodle_auto_format", "html", "plain_text", "wiki_like", "markdown"}


def _getpath(node: etree._Element, path: str, default: str | None, istext: bool = False) -> str | None:
    """qformat_xml::getpath (xml/format.php 146-169): the value at `path`, else the default;
    with istext the node must hold a string (no child element; 160-164) and is trimmed (165).
    A `@name` step reads an attribute."""
    *steps, last = path.split("/")
    for step in steps:
        found = node.find(step)
        if found is None:
            return default
        node = found
    if last.startswith("@"):
        return node.get(last[1:], default)
    leaf = node.find(last)
    if leaf is None:
        return default
    if istext and len(leaf):
        raise MoodleImportError(f"invalidxml: <{last}> holds an element")
    value = leaf.text or ""
    return value.strip(PHP_TRIM) if istext else value


def _text_with_files(node: etree._Element, path: str, default_format: str) -> tuple[str, str]:
    """import_text_with_files (171-183): `text` trimmed, the format from the `format` attribute
    (trans_format 88-105: a name it does not know is taken as html, with a debugging notice)."""
    holder = node.find(path) if path else node
    if holder is None:
        return "", default_format
    fmt = (holder.get("format", default_format) or "").strip(PHP_TRIM)
    assert fmt in MOODLE_XML_FORMATS, f"Moodle would only guess the format {fmt!r}"
    return _getpath(holder, "text", "", istext=True) or "", fmt


def _trans_single(value: str | None) -> int:
    """trans_single (113-120): 0 for "false" or empty after trimming, else 1."""
    value = (value or "").strip(PHP_TRIM)
    return 0 if value in ("false", "") else 1


def moodle_xml_read(data: bytes) -> list[dict]:
    """What Moodle's qformat_xml makes of the file, rule by rule (question/format/xml/format.php @
    9094211d277bef39ad1ac09635c200850248b7da):
    - readquestions (997-1011): the whole file is parsed (xmlize, whitespace kept, 1004) and the
      questions are the `question` children of the root `quiz` (1010);
    - import_question (1036-1077): the `type` attribute picks the reader, `multichoice` ->
      import_multichoice (1039-1040), `category` -> import_category (1065-1066); any other type
      goes to another reader or is refused (1068-1076);
    - import_category (974-987): the category is `category/text`, trimmed (977; import_text 127-134);
    - import_headers (220-283): `name/text` is required (227-229, error `xmlimportnoname`) and
      trimmed; `questiontext` through import_text_with_files (230-233); `idnumber` as it is, not
      trimmed (258); `generalfeedback`, its format defaulting to the question text's (261-264);
      `defaultgrade` (269-270); tags (279-280) by import_question_tags: each `tags/tag/text`,
      trimmed (405-424, 413);
    - import_multichoice (448-485): `single` defaults to "true" (454-455), `shuffleanswers` to
      "false" (456-457, 460), both read by trans_single; `answernumbering` defaults to abc, also
      when empty (458-459, 466-468); every `answer` child (471-479) through import_answer with
      files (474; 294-310): its text and `format` attribute (defaulting to the question text's
      format) as import_text_with_files reads them (298), its mark the `fraction` attribute / 100
      (307), its feedback (305)."""
    root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    assert root.tag == "quiz"
    questions: list[dict] = []
    category = None
    for question in root.findall("question"):
        kind = question.get("type")
        if kind == "category":
            category = (question.findtext("category/text") or "").strip(PHP_TRIM)
            continue
        read: dict = {"type": kind, "category": category}
        questions.append(read)
        if kind != "multichoice":
            continue
        name = _getpath(question, "name/text", None, istext=True)
        if name is None:
            raise MoodleImportError("xmlimportnoname")
        text, fmt = _text_with_files(question, "questiontext", "html")
        feedback, feedback_fmt = _text_with_files(question, "generalfeedback", fmt)
        numbering = _getpath(question, "answernumbering", "abc") or "abc"
        answers = []
        for answer in question.findall("answer"):
            answer_text, answer_fmt = _text_with_files(answer, "", fmt)
            fraction = float(answer.get("fraction", "0")) / 100
            answers.append((answer_text, answer_fmt, fraction, _text_with_files(answer, "feedback", fmt)[0]))
        read |= {
            "name": name,
            "questiontext": (text, fmt),
            "idnumber": _getpath(question, "idnumber", None),
            "generalfeedback": (feedback, feedback_fmt),
            "defaultmark": float(_getpath(question, "defaultgrade", "1") or 0),
            "tags": [(t.findtext("text") or "").strip(PHP_TRIM) for t in question.findall("tags/tag")],
            "single": _trans_single(_getpath(question, "single", "true")),
            "shuffleanswers": _trans_single(_getpath(question, "shuffleanswers", "false")),
            "answernumbering": numbering,
            "answers": answers,
        }
    return questions


def _check_moodle_xml(data: bytes, items: list[Item], outline: Outline) -> None:
    by_id = {i.id: i for i in items}
    seen = []
    for question in moodle_xml_read(data):
        assert question["type"] == "multichoice"
        item = by_id[question["name"]]
        seen.append(item.id)
        area, sub = f"{item.domain}. {outline.areas[item.domain].name}", item.subdomain
        assert question["category"].startswith(f"$course$/top/{outline.title}/{area}/{sub} ")
        assert question["idnumber"] == item.id
        text, fmt = question["questiontext"]
        assert fmt == "html" and _plain(text) == _paragraph_text(item.stem)
        feedback, feedback_fmt = question["generalfeedback"]
        assert feedback_fmt == "html" and _plain(feedback) == _feedback_text(item)
        assert question["defaultmark"] == 1.0 and question["tags"] == item.tags
        assert (question["single"], question["shuffleanswers"], question["answernumbering"]) == (1, 0, "ABCD")
        answers = question["answers"]
        assert [_inline(text) for text, *_ in answers] == list(item.options.as_dict().values())
        assert [fmt for _, fmt, *_ in answers] == ["html"] * 4
        assert [fraction for _, _, fraction, _ in answers] == [float(k == item.answer) for k in OPTION_KEYS]
        assert [feedback for *_, feedback in answers] == [""] * 4  # no feedback per answer: the rationale is general
    assert sorted(seen) == sorted(by_id)


def test_moodle_xml_whole_bank_by_moodle_importer_rules(bank_items: list[Item], outline: Outline) -> None:
    _check_moodle_xml(render("moodle", bank_items, outline), bank_items, outline)


def test_moodle_xml_hostile_text_by_moodle_importer_rules(hostile: list[Item], outline: Outline) -> None:
    _check_moodle_xml(render("moodle", hostile, outline), hostile, outline)


@pytest.mark.parametrize(
    ("before", "after", "error"),
    [
        (b"<single>true</single>", b"<single> false </single>", AssertionError),  # trans_single trims: not single
        (b"<text>EXP-01-0001</text>", b"<text>EXP-01-0001<b/></text>", MoodleImportError),  # getpath: not a string
        (b"<idnumber>EXP-01-0001</idnumber>", b"<idnumber> EXP-01-0001</idnumber>", AssertionError),  # not trimmed
        (b'<answer fraction="100" format="html">', b'<answer fraction="100" format="htm">', AssertionError),
    ],
)
def test_moodle_xml_rules_bite(before: bytes, after: bytes, error: type, hostile: list[Item], outline: Outline) -> None:
    """The rule reader is real: each change is one Moodle reads differently from the item."""
    data = render("moodle", hostile[:1], outline)
    assert data.count(before) == 1
    with pytest.raises(error):
        _check_moodle_xml(data.replace(before, after), hostile[:1], outline)


def test_moodle_category_doubles_a_slash(hostile: list[Item], outline: Outline) -> None:
    from cmas_bank.export.moodle_xml import category_path

    odd = outline.model_copy(update={"title": "Bank a/b"}) if hasattr(outline, "model_copy") else None
    if odd is None:
        pytest.skip("outline is not a pydantic model")
    assert category_path(hostile[0], odd).startswith("$course$/top/Bank a//b/")
