"""The Blackboard export (Upload Questions text), read back two ways:

- by the format's documented rules for multiple choice (Blackboard Learn help, "Upload
  Questions": `MC TAB question text TAB answer text TAB correct|incorrect TAB answer two text TAB
  correct|incorrect ...`, one question a row, no header row, no blank lines, tab-delimited), which
  `read_by_the_rules` checks line by line over the whole bank and hostile text;
- by a reader that is not ours: qti-package-maker's `bbq_text_upload` engine (PyPI, test-only,
  never imported by cmas_bank), which splits each row at tabs and builds its own MC item.

That reader has three limits of its own, which are not the format's (Blackboard has none of
them), and the test predicts exactly which items meet them instead of skipping failures:
its item checksum is computed over ASCII only (non-ASCII text raises); it strips a leading
"label" (`x.`, `x)`, `x:`) from every option when all four options start like one (so `b.i.d.`
becomes `i.d.`), and from the key's text whenever that starts like one (so a key `1:30` becomes
`30`, no longer among the options); and it strips a leading 4-16 character run of `0-9a-f_` (its own checksum
prefix) from the question text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES
from lxml import html as lxml_html

from cmas_bank.export import render
from cmas_bank.export.blackboard import one_field, question_row
from cmas_bank.export.common import paragraphs
from cmas_bank.model import OPTION_KEYS, Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult, validate_paths

EXPORT = FIXTURES / "export"
BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")
STATUS = ("correct", "incorrect")


@pytest.fixture(scope="module")
def bank_items(shipped_bank: ValidationResult) -> list[Item]:
    result = shipped_bank
    items = [f.item for f in result.files if f.item is not None and not f.diagnostics]
    assert len(items) >= 250
    return sorted(items, key=lambda i: i.id)


@pytest.fixture(scope="module")
def hostile(outline: Outline) -> list[Item]:
    """The escaping fixtures plus an item with every character the format cannot hold as is."""
    items = validate_paths([EXPORT / "bank"], outline).items
    options = items[0].options.model_copy(
        update={
            "A": "tab\there",
            "B": "line\nbreak",
            "C": "crlf\r\nand cr\rend",
            "D": "<b>x</b> & \u2028 sep\u2029 \x85 y",
        }
    )
    extra = items[0].model_copy(
        update={
            "id": "EXP-01-0009",
            "stem": "First\tparagraph with a tab\nand a line break.\r\n\r\nSecond <b>paragraph</b> & correct\tincorrect?",
            "options": options,
            "answer": "D",
        }
    )
    return sorted([*items, extra], key=lambda i: i.id)


def _lines(text: str) -> list[str]:
    return re.sub(r"\r\n?", "\n", text).split("\n")


def expected_question(item: Item) -> str:
    """The stem as Blackboard shows it: paragraphs, a line break or tab inside one as a space."""
    return "\n\n".join(BREAKS.sub(" ", p) for p in paragraphs("\n".join(_lines(item.stem))))


def expected_option(text: str) -> str:
    return BREAKS.sub(" ", "\n".join(_lines(text))).strip()


def _html_text(fragment: str) -> str:
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    blocks = list(root.iter("p"))
    return "\n\n".join(b.text_content() for b in blocks) if blocks else str(root.text_content())


def read_by_the_rules(data: bytes) -> list[tuple[str, list[str], int]]:
    """Each row as (question HTML, the four answer HTMLs, the index of the correct one), checking
    every rule of the format on the way."""
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    rows = []
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        assert line, f"row {number}: a blank line"
        fields = line.split("\t")
        assert fields[0] == "MC", f"row {number}: not a multiple-choice row (or a header): {fields[0]!r}"
        assert len(fields) == 2 + 2 * len(OPTION_KEYS), f"row {number}: {len(fields)} fields"
        assert all(f and f == f.strip() for f in fields), f"row {number}: an empty or padded field"
        statuses = fields[3::2]
        assert set(statuses) <= set(STATUS) and statuses.count("correct") == 1, f"row {number}: {statuses}"
        rows.append((fields[1], fields[2::2], statuses.index("correct")))
    return rows


def _check_rows(data: bytes, items: list[Item]) -> None:
    rows = read_by_the_rules(data)
    assert len(rows) == len(items)
    for (question, answers, correct), item in zip(rows, sorted(items, key=lambda i: i.id), strict=True):
        assert _html_text(question) == expected_question(item)
        assert [_html_text(a) for a in answers] == [expected_option(o) for o in item.options.as_dict().values()]
        assert OPTION_KEYS[correct] == item.answer


# --- the documented rules ----------------------------------------------------------------------


def test_whole_bank_by_the_format_rules(bank_items: list[Item], outline: Outline) -> None:
    _check_rows(render("blackboard", bank_items, outline), bank_items)


def test_hostile_text_is_converted_by_the_format_rules(hostile: list[Item], outline: Outline) -> None:
    data = render("blackboard", hostile, outline)
    _check_rows(data, hostile)
    row = data.decode().split("\n")[[i.id for i in hostile].index("EXP-01-0009")]
    assert row.startswith(
        "MC\t<p>First paragraph with a tab and a line break.</p><p>Second &lt;b&gt;paragraph&lt;/b&gt;"
    )
    assert "\ttab here\tincorrect\tline break\tincorrect\tcrlf and cr end\tincorrect\t&lt;b&gt;x&lt;/b&gt; &amp;" in row


def test_rules_bite_on_an_unconverted_tab(hostile: list[Item], outline: Outline) -> None:
    """The rule check is real: the same row without the conversion breaks the format."""
    item = next(i for i in hostile if i.id == "EXP-01-0009")
    raw = "\t".join(["MC", item.stem, *(p for k in OPTION_KEYS for p in (getattr(item.options, k), "x"))]) + "\n"
    with pytest.raises(AssertionError):
        read_by_the_rules(raw.encode())
    assert "\t" not in one_field("a\tb") and "\n" not in one_field("a\nb") and one_field(" a\u2028b ") == "a b"


def test_rows_are_ordered_by_id_and_same_items_give_same_bytes(bank_items: list[Item], outline: Outline) -> None:
    data = render("blackboard", list(reversed(bank_items)), outline)
    assert data == render("blackboard", bank_items, outline)
    assert data.decode().split("\n")[:3] == [question_row(i) for i in bank_items[:3]]


# --- qti-package-maker's reader ----------------------------------------------------------------

_LABEL = re.compile(r"^[A-Za-z0-9](\)|:|\.(?!\d))")
_CHECKSUM_PREFIX = re.compile(r"^\s*(\d{1,3}\.\s*)?(<p>)?[a-f0-9_]{4,16}")


def reader_limit(item: Item, row: str) -> str | None:
    """Why qti-package-maker cannot read this row back as written (its limits, not the format's)."""
    if not row.isascii():
        return "non-ASCII text (its checksum is ASCII-only)"
    options = row.split("\t")[2::2]
    if all(_LABEL.match(o) for o in options):
        return "every option starts like a label, which it strips"
    if _LABEL.match(options[OPTION_KEYS.index(item.answer)]):
        return "the key starts like a label, which it strips from the key alone"
    if _CHECKSUM_PREFIX.match(row.split("\t")[1]):
        return "the question starts like its checksum prefix, which it strips"
    return None


def _read_with_qti_package_maker(data: bytes, items: list[Item]) -> dict[str, str]:
    read_package = pytest.importorskip(
        "qti_package_maker.engines.bbq_text_upload.read_package",
        reason="the test extra installs qti-package-maker (pip install '.[test]')",
    )
    rows = data.decode("utf-8").split("\n")[:-1]
    assert len(rows) == len(items)
    limited = {}
    for row, item in zip(rows, sorted(items, key=lambda i: i.id), strict=True):
        fields = row.split("\t")
        why = reader_limit(item, row)
        if why is not None:
            limited[item.id] = why
            continue
        question = read_package.make_item_cls_from_line(row + "\n")
        assert question.item_type == "MC", item.id
        assert question.question_text == fields[1] and _html_text(question.question_text) == expected_question(item)
        assert question.choices_list == fields[2::2]
        assert question.answer_text == fields[2 + 2 * OPTION_KEYS.index(item.answer)]
        assert question.answer_index == OPTION_KEYS.index(item.answer)
    return limited


def test_whole_bank_read_by_qti_package_maker(bank_items: list[Item], outline: Outline) -> None:
    limited = _read_with_qti_package_maker(render("blackboard", bank_items, outline), bank_items)
    assert len(limited) <= len(bank_items) // 20, limited  # the reader reads nearly all of the bank


def test_hostile_text_read_by_qti_package_maker(hostile: list[Item], outline: Outline) -> None:
    ascii_only = [i for i in hostile if i.id != "EXP-01-0001"]  # EXP-01-0001 is the non-ASCII fixture
    limited = _read_with_qti_package_maker(render("blackboard", ascii_only, outline), ascii_only)
    assert set(limited) == {"EXP-04-0002"}  # its key is `1:30`; the hostile item EXP-01-0009 is read


def test_qti_package_maker_bites_on_an_unconverted_line_break(hostile: list[Item], outline: Outline) -> None:
    """The reader check is real: a raw line break inside the question ends the row for it."""
    read_package = pytest.importorskip("qti_package_maker.engines.bbq_text_upload.read_package")
    item = next(i for i in hostile if i.id == "EXP-01-0009")
    row = question_row(item)
    broken = row.replace("First paragraph with a tab", "First\nparagraph", 1)
    first_line = broken.split("\n")[0]
    with pytest.raises((ValueError, IndexError)):
        read_package.make_item_cls_from_line(first_line)
    assert read_package.make_item_cls_from_line(row).answer_index == OPTION_KEYS.index(item.answer)


# --- the command line --------------------------------------------------------------------------


def test_cli_writes_the_text_and_refuses_a_control_character(tmp_path: Path) -> None:
    out = tmp_path / "bank.txt"
    ran = cli("export", "--format", "blackboard", "--out", str(out))
    assert ran.returncode == 0, ran.stderr
    assert re.search(r"wrote .*: \d+ items as blackboard", ran.stderr)
    first = out.read_bytes()
    assert read_by_the_rules(first)
    again = cli("export", "--format", "blackboard", "--out", str(out))
    assert again.returncode == 0 and "(unchanged)" in again.stderr and out.read_bytes() == first
    bad = tmp_path / "bad.txt"
    ran = cli("export", "--format", "blackboard", "--out", str(bad), str(EXPORT / "control-char"))
    assert ran.returncode == 1
    assert "EXP-02-0001: stem contains the control character U+000B" in ran.stderr
    assert not bad.exists()
