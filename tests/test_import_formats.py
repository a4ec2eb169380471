"""`import qti`, `import moodle`, `import gift`: export then import gives back the bank's items
(every field each format carries), questions the bank cannot hold are listed and skipped,
findings are located (file:line, package.zip!/entry:line), hostile input is refused, and
import csv's guarantees hold (nothing written unless clean, no replacing without --force).

Moodle's importer rules relied on, by file, function and line (moodle/moodle as the search index
stores it): question/format/xml/format.php @ 9094211d277bef39ad1ac09635c200850248b7da:
qformat_xml::readquestions (997-1011: the `question` children of `quiz`), import_question
(1036-1077: dispatch on `type`), import_category (974-987), import_headers (220-283: name required,
questiontext and its format 230-233, idnumber 258, generalfeedback 261-264, tags 279-280),
import_multichoice (448-485: single 454-455, answers 471-479), import_answer (294-310: fraction / 100
at 307), trans_single (113-120: false only for "false" or empty), import_question_tags (405-424);
question/format/gift/format.php @ 45079d79642fefbd1bbbebf113cad49de3b98fde: qformat_gift::readquestion
(161-386: `//` lines 171-176, `$CATEGORY:` 188-195, `::title::` 198-211, the answers' braces 215-231,
`####` 246-252, `[html]` 255-262 and parse_text_with_format 142-158, the question type
from the answers 280-314, multichoice 340-386), split_truefalse_comment (96-110), escapedchar_pre /
escapedchar_post (112-130). Not at that commit, named by function only: the split into questions
at blank lines (qformat_default::readquestions in question/format.php) and the `[id:]`/`[tag:]`
comments (extract_idnumber_and_tags_from_comment, added to qformat_gift in later releases).
tests/test_export_lms.py reads our exports by the same lines.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES, ROOT

from cmas_bank.export import render
from cmas_bank.importer import write_plan
from cmas_bank.importfmt import Defaults, plan_format_import
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult, validate_paths

IMPORTS = FIXTURES / "import"
CARRIED = {
    "qti21": ("stem", "options", "answer", "rationale", "tags", "difficulty", "cognitive_level"),
    "qti30": ("stem", "options", "answer", "rationale", "tags", "difficulty", "cognitive_level"),
    "canvas": ("stem", "options", "answer", "rationale", "references"),
    "moodle": ("stem", "options", "answer", "rationale", "references", "tags"),
    "gift": ("stem", "options", "answer", "rationale", "references", "tags"),
}
COMMAND = {"qti21": "qti", "qti30": "qti", "canvas": "qti", "moodle": "moodle", "gift": "gift"}
SUFFIX = {"qti21": ".zip", "qti30": ".zip", "canvas": ".zip", "moodle": ".xml", "gift": ".gift"}


@pytest.fixture(scope="module")
def bank_items(shipped_bank: ValidationResult) -> list[Item]:
    result = shipped_bank
    items = [f.item for f in result.files if f.item is not None and not f.diagnostics]
    assert len(items) == len(list(BANK.rglob("*.yaml"))) > 0
    return items


def _plan(fmt: str, path: Path, out: Path, outline: Outline, **kw: object):  # type: ignore[no-untyped-def]
    return plan_format_import(fmt, path, out, outline, root=ROOT, **kw)  # type: ignore[arg-type]


# --- round trips over the whole shipped bank ----------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_export_then_import_gives_back_the_bank(
    fmt: str, tmp_path: Path, bank_items: list[Item], outline: Outline
) -> None:
    """Every item of the bank (every status) comes back with the same id, work area, sub-area and
    every field the format carries; it is a draft; the files written validate and read back."""
    exported = tmp_path / f"bank{SUFFIX[fmt]}"
    exported.write_bytes(render(fmt, bank_items, outline))
    out = tmp_path / "out"
    plan = _plan(COMMAND[fmt], exported, out, outline)
    assert plan.ok, plan.diagnostics[:5]
    assert plan.skipped == []
    write_plan(plan)
    back = {i.id: i for i in validate_paths([out], outline).items}
    assert sorted(back) == sorted(i.id for i in bank_items)
    for item in bank_items:
        got = back[item.id]
        assert (got.domain, got.subdomain, got.status) == (item.domain, item.subdomain, "draft")
        for name in CARRIED[fmt]:
            assert getattr(got, name) == getattr(item, name), (item.id, name)
        assert got.authors == ["imported"] and got.reviews == [] and got.enemies == []
    files = sorted(out.rglob("*.yaml"))
    assert len(files) == len(bank_items)
    assert all(f.parent.name[:2] == f.stem.split("-")[1] for f in files)  # CMAS-04-... in 04-...


def test_round_trip_checks_bite(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    """An edited export comes back edited: the round trip compares real content."""
    exported = tmp_path / "bank.xml"
    data = render("moodle", bank_items[:3], outline).replace(b"<text>Removed</text>", b"<text>Taken out</text>")
    exported.write_bytes(data)
    plan = _plan("moodle", exported, tmp_path / "out", outline)
    assert plan.ok
    original = {i.id: i for i in bank_items[:3]}
    changed = [i.id for i in plan.items if i.options != original[i.id].options]
    assert changed == ["CMAS-01-0001"]


# --- what a question becomes, what is skipped ---------------------------------------------------


def test_moodle_questions_the_bank_cannot_hold_are_skipped_with_reasons(tmp_path: Path, outline: Outline) -> None:
    """qformat_xml rules: the category question sets the category of the next questions;
    idnumber, tags/tag/text, questiontext format html, fraction/100, single false -> multiple."""
    plan = _plan("moodle", IMPORTS / "mixed.xml", tmp_path / "out", outline)
    assert plan.ok, plan.diagnostics
    assert [(d.line, d.code) for d in plan.skipped] == [
        (18, "IM401"),
        (24, "IM401"),
        (33, "IM401"),
        (42, "IM401"),
        (46, "IM401"),
        (50, "IM401"),
        (58, "IM401"),
    ]
    reasons = [d.message for d in plan.skipped]
    assert "true/false" in reasons[0] and "5 answers" in reasons[1] and "single is false" in reasons[2]
    assert "matching" in reasons[3] and "essay" in reasons[4] and "image" in reasons[5] and "per answer" in reasons[6]
    assert all(d.path == "tests/fixtures/import/mixed.xml" for d in plan.skipped)
    (item,) = plan.items
    assert item.id == "IMP-04-0001" and (item.domain, item.subdomain) == (4, "4C")
    assert item.stem == "A clinic keeps adult records & films.\n\nHow long must it keep them at least?"
    assert item.options.D == "Forever" and item.answer == "B"  # markup in an HTML answer is markup
    assert item.rationale == "State law sets the period.\nCheck it." and item.references == ["State retention statute"]
    assert item.tags == ["retention"] and item.status == "draft"
    assert (item.difficulty, item.cognitive_level) == ("medium", "recall")
    assert any("medium and recall" in note for note in plan.notes)


def test_gift_questions_the_bank_cannot_hold_are_skipped_with_reasons(tmp_path: Path, outline: Outline) -> None:
    """qformat_gift rules: blank lines separate questions, `//` lines are comments carrying
    [id:] and [tag:], `$CATEGORY:` sets the category, `{T}` is true/false, only `=` is short
    answer, `->` matching, `{#` numerical, `{}` essay, text after the braces missing word."""
    plan = _plan("gift", IMPORTS / "mixed.gift", tmp_path / "out", outline)
    assert plan.ok, plan.diagnostics
    expected = [
        "true/false",
        "5 answers",
        "short-answer",
        "partial credit",
        "matching",
        "essay",
        "numerical",
        "missing-word",
    ]
    assert [d.line for d in plan.skipped] == [13, 15, 17, 19, 21, 23, 25, 27]
    assert all(word in d.message for word, d in zip(expected, plan.skipped, strict=True))
    first, second = plan.items
    assert first.id == "IMP-04-0002" and first.tags == ["retention", "law"] and first.answer == "A"
    assert first.stem == "Who sets the retention period for adult records: the state or the clinic?"
    assert first.options.A == "The state {by statute}" and first.references == ["State statute"]
    assert second.id == "IMP-04-0003" and second.stem == "Plain text\nwith a break: second line?"
    assert second.answer == "C" and second.rationale == "Because three."


def test_gift_syntax_errors_are_located_and_stop_the_import(tmp_path: Path, outline: Outline) -> None:
    out = tmp_path / "out"
    ran = cli("import", "gift", str(IMPORTS / "broken.gift"), "--out", str(out))
    assert ran.returncode == 1
    assert "broken.gift:5:1: IM112 question 'Open': the answers' `{` is never closed" in ran.stdout
    assert "broken.gift:7:1: IM112 question at line 7: the title's closing `::` is missing" in ran.stdout
    assert "broken.gift:3:1: IV202" in ran.stdout  # the good-looking question has no rationale
    assert "nothing written" in ran.stderr and not out.exists()


def _package(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_qti_items_the_bank_cannot_hold_are_skipped(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    entries = _entries(render("qti21", bank_items[:5], outline))
    ids = sorted(i.id for i in bank_items[:5])
    five = entries[f"items/{ids[0]}.xml"].replace(
        b'<simpleChoice identifier="D">',
        b'<simpleChoice identifier="E">Fifth</simpleChoice><simpleChoice identifier="D">',
    )
    two = entries[f"items/{ids[1]}.xml"].replace(b'maxChoices="1"', b'maxChoices="2"')
    image = entries[f"items/{ids[2]}.xml"].replace(b"<prompt>", b'<prompt><img src="x.png" alt="x"/>')
    keyless = entries[f"items/{ids[3]}.xml"].replace(b"<correctResponse>", b"<correctResponse><value>A</value>")
    entries.update({f"items/{ids[0]}.xml": five, f"items/{ids[1]}.xml": two, f"items/{ids[2]}.xml": image})
    entries[f"items/{ids[3]}.xml"] = keyless
    package = tmp_path / "mixed.zip"
    package.write_bytes(_package(entries))
    plan = _plan("qti", package, tmp_path / "out", outline)
    assert plan.ok, plan.diagnostics
    assert [i.id for i in plan.items] == [ids[4]]
    reasons = {d.path.rsplit("/", 1)[-1]: d.message for d in plan.skipped}
    assert "5 choices" in reasons[f"{ids[0]}.xml"] and "maxChoices 2" in reasons[f"{ids[1]}.xml"]
    assert "image" in reasons[f"{ids[2]}.xml"] and "no single correct response" in reasons[f"{ids[3]}.xml"]
    assert all(d.path.startswith("mixed.zip!/items/") or "mixed.zip!/items/" in d.path for d in plan.skipped)


def test_single_qti_item_file_needs_a_subarea(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    item = bank_items[0]
    entries = _entries(render("qti30", [item], outline))
    single = tmp_path / "item.xml"
    single.write_bytes(entries[f"items/{item.id}.xml"])
    plan = _plan("qti", single, tmp_path / "out", outline)
    assert [(d.line, d.code) for d in plan.diagnostics] == [(2, "IM304")]
    plan = _plan(
        "qti", single, tmp_path / "out", outline, defaults=Defaults(subarea=item.subdomain, author="A. Writer")
    )
    assert plan.ok
    (got,) = plan.items
    assert (got.id, got.stem, got.options, got.answer, got.rationale) == (
        item.id,
        item.stem,
        item.options,
        item.answer,
        item.rationale,
    )
    assert got.authors == ["A. Writer"]


def test_an_id_that_does_not_fit_is_a_located_error(tmp_path: Path, outline: Outline) -> None:
    text = (IMPORTS / "mixed.xml").read_text().replace("<idnumber>IMP-04-0001</idnumber>", "<idnumber>4 01</idnumber>")
    source = tmp_path / "ids.xml"
    source.write_text(text)
    plan = _plan("moodle", source, tmp_path / "out", outline)
    (problem,) = plan.diagnostics
    assert (problem.line, problem.code) == (6, "IM303")
    assert "idnumber '4 01', name 'Retention period'" in problem.message and not plan.files


def test_repeated_id_and_missing_category(tmp_path: Path, outline: Outline) -> None:
    source = tmp_path / "two.gift"
    source.write_text(
        "// [id:IMP-04-0009]\n::A::One?{=a ~b ~c ~d ####Why.}\n\n"
        "$CATEGORY: $course$/top/4. Medical Records Management/4C Retention\n\n"
        "// [id:IMP-04-0009]\n::B::Two?{=a ~b ~c ~d ####Why.}\n\n"
        "// [id:IMP-04-0009]\n::C::Three?{=a ~b ~c ~d ####Why.}\n"
    )
    plan = _plan("gift", source, tmp_path / "out", outline)
    assert [(d.line, d.code) for d in plan.diagnostics] == [(2, "IM304"), (10, "IM301")]
    assert plan.diagnostics[1].message == "question 'C': id 'IMP-04-0009' is already the id of the question at line 7"


# --- import csv's guarantees --------------------------------------------------------------------


def test_existing_items_are_not_replaced_without_force(tmp_path: Path, outline: Outline) -> None:
    out = tmp_path / "out"
    first = cli("import", "moodle", str(IMPORTS / "mixed.xml"), "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "skipped 7 question(s)" in first.stderr and "wrote 1 item file(s)" in first.stderr
    (written,) = out.rglob("IMP-04-0001.yaml")
    assert written.parent.name.startswith("04-")
    before = written.read_bytes()
    again = cli("import", "moodle", str(IMPORTS / "mixed.xml"), "--out", str(out))
    assert again.returncode == 1 and "mixed.xml:6:1: IM302 question 'Retention period':" in again.stdout
    forced = cli("import", "moodle", str(IMPORTS / "mixed.xml"), "--out", str(out), "--force")
    assert forced.returncode == 0 and "1 unchanged" in forced.stderr
    assert written.read_bytes() == before
    fmt = cli("fmt", "--check", str(out))
    assert fmt.returncode == 0, fmt.stdout


def test_nothing_is_written_when_one_question_is_flawed(tmp_path: Path, outline: Outline) -> None:
    text = (IMPORTS / "mixed.gift").read_text().replace("####Because three.", "")
    source = tmp_path / "flawed.gift"
    source.write_text(text)
    out = tmp_path / "out"
    ran = cli("import", "gift", str(source), "--out", str(out))
    assert ran.returncode == 1 and "flawed.gift:30:1: IV202" in ran.stdout
    assert not out.exists()


# --- hostile input ------------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<quiz><question type="multichoice"><name><text>&d;&d;&d;&d;</text></name></question></quiz>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<quiz><question type="multichoice"><name><text>&secret;</text></name></question></quiz>
"""


@pytest.mark.parametrize("payload", [LAUGHS, XXE], ids=["entity-expansion", "external-entity"])
def test_xml_entities_are_refused(payload: bytes, tmp_path: Path) -> None:
    source = tmp_path / "evil.xml"
    source.write_bytes(payload)
    ran = cli("import", "moodle", str(source), "--out", str(tmp_path / "out"))
    assert ran.returncode == 2
    assert "IM109" in ran.stdout and "declares entities" in ran.stdout
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").is_file() else "\x00"
    assert hostname not in ran.stdout + ran.stderr
    assert not (tmp_path / "out").exists()


def test_entities_inside_a_package_entry_are_refused_and_named(
    tmp_path: Path, bank_items: list[Item], outline: Outline
) -> None:
    entries = _entries(render("qti21", bank_items[:2], outline))
    name = f"items/{bank_items[1].id}.xml"
    entries[name] = entries[name].replace(b"?>\n", b'?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n', 1)
    package = tmp_path / "p.zip"
    package.write_bytes(_package(entries))
    plan = _plan("qti", package, tmp_path / "out", outline)
    (problem,) = plan.diagnostics
    assert problem.code == "IM109" and problem.path.endswith(f"p.zip!/{name}")


@pytest.mark.parametrize("entry", ["../evil.xml", "/etc/evil.xml", "items/../../evil.xml", "C:/evil.xml"])
def test_zip_entries_that_climb_out_are_refused(
    entry: str, tmp_path: Path, bank_items: list[Item], outline: Outline
) -> None:
    entries = _entries(render("qti21", bank_items[:1], outline))
    entries[entry] = b"<x/>"
    package = tmp_path / "slip.zip"
    package.write_bytes(_package(entries))
    ran = cli("import", "qti", str(package), "--out", str(tmp_path / "out"))
    assert ran.returncode == 2 and "IM108" in ran.stdout and f"slip.zip!/{entry}" in ran.stdout
    assert not (tmp_path / "out").exists()


def test_manifest_href_out_of_the_package_is_refused(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    entries = _entries(render("qti21", bank_items[:1], outline))
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(b'href="items/', b'href="../../items/')
    package = tmp_path / "href.zip"
    package.write_bytes(_package(entries))
    plan = _plan("qti", package, tmp_path / "out", outline)
    (problem,) = plan.diagnostics
    assert problem.code == "IM108" and "points outside the package" in problem.message


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    package = tmp_path / "bomb.zip"
    package.write_bytes(_package({"imsmanifest.xml": b"<manifest/>", "items/big.xml": b"\0" * (65 << 20)}))
    assert package.stat().st_size < 1 << 20
    ran = cli("import", "qti", str(package), "--out", str(tmp_path / "out"))
    assert ran.returncode == 2 and "IM108" in ran.stdout and "bomb.zip!/items/big.xml" in ran.stdout


@pytest.mark.parametrize(
    ("command", "name", "content", "says"),
    [
        ("qti", "package.zip", b"<?xml version='1.0'?><quiz/>", "XML, not a zip archive"),
        ("qti", "item.xml", None, "a zip archive"),
        ("qti", "package.zip", b"\x00\x01binary\x00", "binary data"),
        ("moodle", "quiz.xml", None, "a zip archive"),
        ("moodle", "quiz.xml", b"<?xml version='1.0'?><html><body/></html>", "not <quiz>"),
        ("gift", "questions.gift", b"<?xml version='1.0'?><quiz/>", "XML"),
        ("gift", "questions.gift", None, "a zip archive"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(
    command: str, name: str, content: bytes | None, says: str, tmp_path: Path
) -> None:
    source = tmp_path / name
    source.write_bytes(content if content is not None else _package({"imsmanifest.xml": b"<manifest/>"}))
    ran = cli("import", command, str(source), "--out", str(tmp_path / "out"))
    assert ran.returncode == 2, ran.stdout
    assert "IM107" in ran.stdout and says in ran.stdout


def test_xml_syntax_error_and_missing_manifest_are_located(tmp_path: Path) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(b"<?xml version='1.0'?>\n<quiz>\n  <question type='multichoice'>\n</quiz>\n")
    ran = cli("import", "moodle", str(source), "--out", str(tmp_path / "out"))
    assert ran.returncode == 1 and "bad.xml:4:" in ran.stdout and "IM110" in ran.stdout
    package = tmp_path / "nomanifest.zip"
    package.write_bytes(_package({"items/a.xml": b"<x/>"}))
    ran = cli("import", "qti", str(package), "--out", str(tmp_path / "out"))
    assert ran.returncode == 1 and "IM111" in ran.stdout


def test_gift_not_utf8_and_empty_files(tmp_path: Path) -> None:
    source = tmp_path / "latin1.gift"
    source.write_bytes("::A::Caf\u00e9?{=a ~b ~c ~d}\n".encode("latin-1"))
    ran = cli("import", "gift", str(source), "--out", str(tmp_path / "out"))
    assert ran.returncode == 1 and "latin1.gift:1:1: IM102" in ran.stdout
    empty = tmp_path / "empty.gift"
    empty.write_text("// nothing here\n")
    ran = cli("import", "gift", str(empty), "--out", str(tmp_path / "out"))
    assert ran.returncode == 1 and "IM113" in ran.stdout


# --- HTML to plain text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>One.</p><p>Two<br>lines.</p>", "One.\n\nTwo\nlines."),
        ('<div class="text_to_html"><p>Wrapped</p><p>twice</p></div>', "Wrapped\n\ntwice"),  # Moodle's wrapper
        ("loose &amp; <b>bold</b> &lt;b&gt;", "loose & bold <b>"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("", ""),
    ],
)
def test_html_becomes_plain_text(fragment: str, text: str) -> None:
    from cmas_bank.importfmt.text import html_text

    assert html_text(fragment) == text


def test_feedback_splits_off_the_exports_reference_list() -> None:
    from cmas_bank.importfmt.text import feedback_parts

    assert feedback_parts("<p>Why.</p><p>References:</p><ul><li>r1</li><li>r2</li></ul>") == ("Why.", ["r1", "r2"])
    assert feedback_parts("<p>Why.</p><p>References:</p><p>not a list</p>") == ("Why.\n\nReferences:\n\nnot a list", [])


def test_item_resource_without_a_file_is_located(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    entries = _entries(render("qti21", bank_items[:1], outline))
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b'type="imsqti_item_xmlv2p1" href=', b'type="imsqti_item_xmlv2p1" x='
    )
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(b'<file href="items/', b'<file x="items/')
    package = tmp_path / "nofile.zip"
    package.write_bytes(_package(entries))
    plan = _plan("qti", package, tmp_path / "out", outline)
    (problem,) = plan.diagnostics
    assert problem.code == "IM111" and problem.path.endswith("nofile.zip!/imsmanifest.xml") and problem.line > 1


def test_two_entries_of_one_name_are_refused(tmp_path: Path, bank_items: list[Item], outline: Outline) -> None:
    """A second imsmanifest.xml could show one reader a different package than another."""
    data = render("qti21", bank_items[:1], outline)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("imsmanifest.xml", b"<manifest/>")
    package = tmp_path / "twice.zip"
    package.write_bytes(buffer.getvalue())
    plan = _plan("qti", package, tmp_path / "out", outline)
    (problem,) = plan.diagnostics
    assert problem.code == "IM108" and problem.path.endswith("twice.zip!/imsmanifest.xml")


def test_json_output_lists_the_skipped_questions_with_the_findings(tmp_path: Path) -> None:
    import json

    ran = cli("import", "moodle", str(IMPORTS / "mixed.xml"), "--out", str(tmp_path / "out"), "-f", "json")
    assert ran.returncode == 0, ran.stderr
    found = json.loads(ran.stdout)["diagnostics"]
    assert [(d["line"], d["code"], d["severity"]) for d in found][:2] == [
        (18, "IM401", "warning"),
        (24, "IM401", "warning"),
    ]
    assert len(found) == 7 and "skipped 7 question(s)" in ran.stderr
    flawed = tmp_path / "flawed.xml"
    flawed.write_text(
        (IMPORTS / "mixed.xml").read_text().replace("<idnumber>IMP-04-0001</idnumber>", "<idnumber>9</idnumber>")
    )
    ran = cli("import", "moodle", str(flawed), "--out", str(tmp_path / "out2"), "-f", "json")
    assert ran.returncode == 1
    codes = [d["code"] for d in json.loads(ran.stdout)["diagnostics"]]
    assert (
        codes.count("IM401") == 7 and codes.count("IM303") == 1
    )  # idnumber '9' and name 'Retention period' do not fit
