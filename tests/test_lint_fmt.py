"""`fmt` and the safe fixes of `lint --fix`: canonical layout, comments kept, data unchanged,
idempotent over every item file in the repository, atomic and untouched when unchanged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import BANK, FIXTURES, ROOT

from cmas_bank.lint.fmt import FormatError, Rewrite, fix_text, format_file, format_text, write
from cmas_bank.loader import LoadedFile, load_bytes


def data(text: str) -> object:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path("x.yaml"), display="x.yaml"))
    assert not loaded.diagnostics
    return loaded.data


def comments(text: str) -> list[str]:
    """Full-line comments, and end-of-line comments on lines without quotes (where a "#" could
    be text), in order."""
    found = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append(stripped)
        elif "'" not in line and '"' not in line and (m := re.search(r"\s(#.*)$", line)):
            found.append(m.group(1).strip())
    return found


def all_item_files() -> list[Path]:
    files = sorted(BANK.rglob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml")) + [ROOT / "templates" / "item.yaml"]
    return [p for p in files if "outlines" not in p.parts]


@pytest.fixture(scope="module")
def first_pass() -> dict[Path, Rewrite | None]:
    """Every item file in the repository formatted once (None: not a parsable item file, as the
    broken validation fixtures); shared by the tests below, the costliest part of this module."""
    out: dict[Path, Rewrite | None] = {}
    for source in all_item_files():
        try:
            out[source] = format_file(source, source.name)
        except FormatError:
            out[source] = None
    return out


def test_fmt_is_idempotent_and_keeps_data_over_every_item_file(
    first_pass: dict[Path, Rewrite | None], tmp_path: Path
) -> None:
    formatted = skipped = rewritten = 0
    for i, (source, first) in enumerate(first_pass.items()):
        if first is None:
            skipped += 1
            continue
        if first.changed:
            # Written and formatted again. (A file fmt leaves as it is needs no second run: the
            # second would format the same text, and formatting is a function of the text.)
            copy = tmp_path / f"{i:04}-{source.name}"
            shutil.copyfile(source, copy)
            assert write(format_file(copy, copy.name))
            second = format_file(copy, copy.name)
            assert second.before == first.after, source
            assert not second.changed, f"{source}: a second fmt changed it:\n{second.diff()}"
            rewritten += 1
        assert data(first.after) == data(first.before), source
        assert first.after.endswith("\n") and not first.after.endswith("\n\n")
        assert sorted(comments(first.after)) == sorted(comments(first.before)), source
        formatted += 1
    assert formatted > 100 and skipped < 20 and rewritten > 0


def test_shipped_bank_is_already_formatted(first_pass: dict[Path, Rewrite | None]) -> None:
    bank = [p for p in first_pass if p.is_relative_to(BANK)]
    assert len(bank) == len(list(BANK.rglob("*.yaml"))) > 200
    changed = [p for p in bank if (rewrite := first_pass[p]) is None or rewrite.changed]
    assert changed == [], changed


MESSY = """\
# yaml-language-server: $schema=../../schemas/item.schema.json
answer: B   # the key
id: MESSY-1
options:
  D: Form 1099
  A: Form W-2
  # B is the withholding certificate
  B: 'Form W-4'
  C: Form I-9
stem: "Leo Grant starts work on Monday. Which form does he fill out so that the practice withholds federal income tax?"
domain: 6
# work area 6, payroll
subdomain: 6D
rationale: "Form W-4 (B) is the withholding certificate.\\nThe others report wages, eligibility and other pay."
status: draft
difficulty: easy
cognitive_level: recall
authors:
- Avery Lin
reviews:
- verdict: approved
  reviewer: Sam Ortega
  date: 2026-11-24
created: 2026-11-24
updated: 2026-11-24
# end of file


"""


def test_canonical_layout_keeps_every_comment_with_its_key() -> None:
    out = format_text(MESSY, "messy.yaml")
    assert data(out) == data(MESSY)
    keys = [line.split(":")[0] for line in out.split("\n") if re.match(r"^[a-z_]+:", line)]
    assert keys == [
        "id",
        "domain",
        "subdomain",
        "status",
        "difficulty",
        "cognitive_level",
        "stem",
        "options",
        "answer",
        "rationale",
        "authors",
        "reviews",
        "created",
        "updated",
    ]
    lines = out.split("\n")
    assert lines[0] == "# yaml-language-server: $schema=../../schemas/item.schema.json"
    assert lines[lines.index("subdomain: 6D") - 1] == "# work area 6, payroll"
    assert "answer: B   # the key" in lines
    assert lines[lines.index("  B: 'Form W-4'") - 1] == "  # B is the withholding certificate"
    assert [line[2] for line in lines if re.match(r"^  [A-D]:", line)] == ["A", "B", "C", "D"]
    assert "stem: |-" in lines and "rationale: |-" in lines  # long and multi-line text as blocks
    assert (
        "  - reviewer: Sam Ortega" in lines
        and lines[lines.index("  - reviewer: Sam Ortega") + 1] == "    date: 2026-11-24"
    )
    assert out.endswith("# end of file\n")
    for comment in (
        "# the key",
        "# B is the withholding certificate",
        "# work area 6, payroll",
        "# end of file",
        "# yaml-language-server",
    ):
        assert out.count(comment) == MESSY.count(comment) == 1
    assert format_text(out) == out


def test_short_text_stays_on_its_line() -> None:
    source = MESSY.replace(
        'stem: "Leo Grant starts work on Monday. Which form does he fill out so that the practice withholds federal income tax?"',
        "stem: Which form sets federal withholding?",
    )
    assert "stem: Which form sets federal withholding?" in format_text(source)


def test_unparsable_files_are_refused_with_their_position() -> None:
    with pytest.raises(FormatError, match=r"bad.yaml:3:1: IV103"):
        format_text("id: x\nstem: [unclosed\n", "bad.yaml")
    with pytest.raises(FormatError, match="IV104 duplicate key"):
        format_text("id: x\nid: y\n", "dup.yaml")


def test_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    shutil.copyfile(FIXTURES / "items" / "valid" / "valid-item.yaml", path)
    before = path.stat().st_mtime_ns
    rewrite = format_file(path, "x.yaml")
    assert not rewrite.changed and write(rewrite) is False
    assert path.stat().st_mtime_ns == before


def test_safe_fixes_change_only_whitespace_and_quotes() -> None:
    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    messy = (
        source.replace("works 44 hours in one", "works 44 hours in  one")
        .replace("Jordan's gross pay", "Jordan’s gross pay")
        .replace("status: approved\n", "status: approved   \n")
        .replace("  - 29 CFR 778.107", "  - 29 CFR 778.107 ('regular rate')")
    )
    fixed = fix_text(messy, ["IW407", "IW408", "IW409"], "x.yaml")
    assert fixed == source.replace("  - 29 CFR 778.107", "  - 29 CFR 778.107 ('regular rate')")
    assert fix_text(messy, ["IW408"], "x.yaml").count("  one") == 0
    assert "Jordan’s" in fix_text(messy, ["IW408"], "x.yaml")  # a fix not asked for is not applied
    assert fix_text(source, ["IW407", "IW408", "IW409"]) == source


def test_fixes_keep_quoting_styles() -> None:
    source = "id: q\noptions:\n  A: \"It’s  due\"\n  B: 'Don’t  pay'\n  C: plain  text\n  D: x\n"
    fixed = fix_text(source, ["IW408", "IW409"])
    assert data(fixed) == {"id": "q", "options": {"A": "It's due", "B": "Don't pay", "C": "plain text", "D": "x"}}
    assert '  A: "It\'s due"' in fixed


def test_windows_line_ends_byte_order_mark_and_document_marker_are_normalised() -> None:
    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    assert format_text(source.replace("\n", "\r\n")) == source
    assert format_text("\ufeff" + source) == source
    assert format_text("---\n" + source) == source


@pytest.mark.parametrize("what", ["tags", "keys"])
def test_a_file_with_huge_numbers_of_values_is_refused_at_once(what: str) -> None:
    """200,000 tags or 50,000 unknown keys: refused in well under a second (the round trip took
    half a minute), with the file named."""
    import time

    source = (FIXTURES / "items" / "valid" / "valid-item.yaml").read_text()
    if what == "tags":
        text = source + "tags2: [" + ", ".join(["a"] * 200_000) + "]\n"
    else:
        text = "".join(f"k{i}: v\n" for i in range(50_000)) + source
    start = time.process_time()
    with pytest.raises(FormatError, match=r"^big.yaml:1:1: holds [\d,]+ keys and values, more than the 20,000"):
        format_text(text, "big.yaml")
    with pytest.raises(FormatError, match=r"^big.yaml:1:1: holds"):
        fix_text(text.replace("tags2:", "notes: 'a  b'\ntags3:") if what == "tags" else text, ["IW408"], "big.yaml")
    assert time.process_time() - start < 10
