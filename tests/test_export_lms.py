"""LMS exports: Moodle XML, GIFT, Aiken and Canvas QTI 1.2, each over the whole shipped bank and
hostile text, read back by readers that are not ours where one runs here (the QTI 1.2.1 DTD,
gift-pegjs) and otherwise by the rules of Moodle's own importers, cited by file and line.

Moodle sources read (moodle/moodle): `question/format/aiken/format.php` @ cf29c007d2535bb90d623d0fad76ee8075ced722
and `question/format/xml/format.php` @ 9094211d277bef39ad1ac09635c200850248b7da."""

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
from conftest import BANK, FIXTURES, SHARED
from lxml import etree
from lxml import html as lxml_html

from cmas_bank.export import ExportError, render
from cmas_bank.export.common import paragraphs
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

EXPORT = FIXTURES / "export"
GIFT_READER = Path(__file__).parent / "gift"
LMS_FORMATS = ("moodle", "gift", "aiken", "canvas")
HOSTILE_STEM = 'Tags <b>bold</b> & "q" ]]> then GIFT ~ = # { } : \\ and {braces} and a: colon\n\nWhich one?'
HOSTILE_OPTIONS = {"A": "<b>HTN</b> & ]]>", "B": "~tilde =equals #hash", "C": "{open} close}", "D": "key: value \\n"}


@pytest.fixture(scope="module")
def bank_items(outline: Outline) -> list[Item]:
    result = validate_paths([BANK], outline)
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


@pytest.mark.parametrize("fmt", LMS_FORMATS)
def test_same_items_same_bytes(fmt: str, bank_items: list[Item], outline: Outline) -> None:
    assert render(fmt, bank_items, outline) == render(fmt, list(reversed(bank_items)), outline)


@pytest.mark.parametrize("fmt", LMS_FORMATS)
def test_cli_exports_the_bank(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"bank.{fmt}"
    ran = cli("export", "--format", fmt, "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    assert re.search(rf"wrote .*: \d+ items as {fmt}", ran.stderr)
    first = out.read_bytes()
    assert cli("export", "--format", fmt, "--out", str(out)).returncode == 0
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


# --- Aiken, against Moodle's importer's rules -------------------------------------------------


def moodle_aiken_read(text: str) -> list[dict]:
    """Moodle's Aiken import, rule by rule (question/format/aiken/format.php @ cf29c007):
    - lines are the file's lines, each split again at CR (lines 67, 71), then trimmed (line 75);
    - a line shorter than 2 characters is skipped (line 78);
    - a line matching `^[A-Z][).][ \\t]?` is a choice, its text what follows the first two
      characters, trimmed and HTML-escaped (lines 81, 89-90); a choice outside a question is an error (82-85);
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
                current["options"].append(html.escape(line[2:].strip(), quote=False))
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
        assert [html.unescape(o) for o in question["options"]] == list(item.options.as_dict().values())
        assert question["key"] == item.answer


def test_aiken_whole_bank_by_moodle_rules(bank_items: list[Item], outline: Outline) -> None:
    _check_aiken(render("aiken", bank_items, outline), bank_items)


def test_aiken_hostile_text_by_moodle_rules(hostile: list[Item], outline: Outline) -> None:
    data = render("aiken", hostile, outline)
    assert b"<b>HTN</b> & ]]>" in data  # as it is: Moodle's importer escapes HTML itself (format.php line 90)
    _check_aiken(data, hostile)


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
    item = hostile[0].model_copy(update={"options": hostile[0].options.model_copy(update={"B": "one\ntwo"})})
    with pytest.raises(ExportError, match=f"item {item.id}: options.B contains a line break"):
        render("aiken", [item], outline)
    # lowercase "a." is not an option line in Moodle's importer: allowed
    render("aiken", [hostile[0].model_copy(update={"stem": "a. lower case start is fine"})], outline)


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


def test_moodle_xml_by_moodle_importer_rules(bank_items: list[Item], hostile: list[Item], outline: Outline) -> None:
    """What qformat_xml (question/format/xml/format.php @ 9094211) reads, function by function:
    - readquestions: a `<question type="category">` sets the category for the questions after it,
      its path in `category/text` (`$course$/top/...`, `/` in a name doubled);
    - import_headers: `name/text` is required (error `xmlimportnoname`), `questiontext` read by
      import_text_with_files (`text` trimmed by getpath, format from the `format` attribute,
      trans_format: `html`), `idnumber`, `generalfeedback`, then import_question_tags: `tags/tag/text`;
    - import_answer: the mark is the `fraction` attribute / 100;
    - trans_single: `single` is false only for "false" or empty."""
    items = bank_items + hostile
    root = etree.fromstring(render("moodle", items, outline), etree.XMLParser(no_network=True))
    assert root.tag == "quiz"
    by_id = {i.id: i for i in items}
    category = None
    seen = []
    for question in root.iter("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
            continue
        assert question.get("type") == "multichoice"
        name = (question.findtext("name/text") or "").strip()
        item = by_id[name]
        seen.append(item.id)
        area, sub = f"{item.domain}. {outline.areas[item.domain].name}", item.subdomain
        assert category is not None and category.startswith(f"$course$/top/{outline.title}/{area}/{sub} ")
        assert question.find("questiontext").get("format") == "html"
        assert _plain(question.findtext("questiontext/text").strip()) == _paragraph_text(item.stem)
        assert _plain(question.findtext("generalfeedback/text").strip()) == _feedback_text(item)
        assert question.findtext("idnumber") == item.id
        assert (question.findtext("single") or "").strip() not in ("false", "")
        answers = question.findall("answer")
        assert [_inline(a.findtext("text").strip()) for a in answers] == list(item.options.as_dict().values())
        assert [float(a.get("fraction")) / 100 for a in answers] == [float(k == item.answer) for k in OPTION_KEYS]
        assert [t.findtext("text").strip() for t in question.findall("tags/tag")] == item.tags
    assert sorted(seen) == sorted(by_id)


def test_moodle_category_doubles_a_slash(hostile: list[Item], outline: Outline) -> None:
    from cmas_bank.export.moodle_xml import category_path

    odd = outline.model_copy(update={"title": "Bank a/b"}) if hasattr(outline, "model_copy") else None
    if odd is None:
        pytest.skip("outline is not a pydantic model")
    assert category_path(hostile[0], odd).startswith("$course$/top/Bank a//b/")
