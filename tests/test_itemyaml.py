"""The fast item writer of `import` (cmas_bank/itemyaml.py): what it writes reads back as the
same item and is a fixed point of `fmt`; what it cannot write surely it leaves to ruamel.yaml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import BANK, FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmas_bank import itemyaml
from cmas_bank.importer import SCHEMA_COMMENT, plan_csv_import, write_plan
from cmas_bank.lint import fmt
from cmas_bank.loader import LoadedFile, load_bytes
from cmas_bank.model import FIELD_NAMES, Item
from cmas_bank.outline import load_outline
from cmas_bank.validate import validate_loaded, validate_paths

HEADER = SCHEMA_COMMENT.format("../../schemas/item.schema.json")
OUTLINE = load_outline("cmas-2020")
SHIPPED = [f.item for f in validate_paths([BANK], OUTLINE, root=ROOT).files if f.item is not None]


def read_back(text: str) -> Item | None:
    loaded = load_bytes(text.encode("utf-8"), LoadedFile(path=Path("x.yaml"), display="x.yaml"))
    checked = validate_loaded(loaded, OUTLINE)
    return checked.item if not checked.diagnostics else None


def test_the_writer_knows_the_models_fields_and_fmts_line_length() -> None:
    assert itemyaml.EXPECTED_FIELDS == FIELD_NAMES and itemyaml.LINE_LENGTH == fmt.LINE_LENGTH


def test_every_shipped_item_is_written_exactly_in_fmts_layout() -> None:
    written = 0
    for item in SHIPPED:
        text = itemyaml.fast_item_yaml(item, HEADER)
        if text is None:  # left to ruamel.yaml: allowed, but it must stay rare
            continue
        written += 1
        assert read_back(text) == item, item.id
        assert fmt.format_text(text, f"{item.id}.yaml") == text, item.id
    assert written >= 0.95 * len(SHIPPED) and len(SHIPPED) >= 250


# Text a writer might paste: letters, digits, punctuation YAML cares about, quotes, blanks, line
# breaks, non-ASCII letters and a few characters YAML treats specially.
TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .,:;#-?!'\"\\$%&*|>[]{}()@`~\n\tééü—\u2028\x85\ufeff")),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=TEXT, option=TEXT, reference=TEXT, note=TEXT)
def test_generated_text_is_written_exactly_or_left_alone(stem: str, option: str, reference: str, note: str) -> None:
    base = SHIPPED[0]
    data = base.model_dump()
    data["stem"] = stem
    data["options"]["B"] = option
    data["references"] = [reference]
    data["reviews"][-1]["notes"] = note
    data["status"] = "review"  # an approval of the old text would be stale (IV210)
    try:
        item = Item.model_validate(data)
    except ValueError:
        return  # the model refuses it (blank text): nothing to write
    text = itemyaml.fast_item_yaml(item, HEADER)
    if text is None:
        return
    assert read_back(text) == item
    assert fmt.format_text(text, "x.yaml") == text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("30 days", "'30 days'"),  # would read as text, but plain starts with a letter here
        ("Records", "Records"),
        ("yes", "'yes'"),  # a YAML 1.1 boolean in libyaml
        ("ratio: 2", "'ratio: 2'"),
        ("it's", "it's"),
        ("it's: x", '"it\'s: x"'),
        ("6A", "6A"),
        ("# note", "'# note'"),
        ('say "it\'s" here', 'say "it\'s" here'),  # quotes inside a plain scalar are text
    ],
)
def test_single_line_styles(value: str, written: str) -> None:
    assert itemyaml._one_line(value) == written


def test_values_it_cannot_write_surely_go_to_ruamel() -> None:
    for value in ("'x' and \"y\"", "\"quoted\" 'too'", "tab\there", " lead", "x" * 3000, "line\u2028break"):
        with pytest.raises(itemyaml.Unwritable):
            itemyaml._one_line(value)


def test_an_import_flushes_once_not_once_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.__setitem__("fsync", calls["fsync"] + 1), real_fsync(fd)))
    monkeypatch.setattr(os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))
    plan = plan_csv_import(FIXTURES / "export" / "csv" / "spreadsheet.csv", tmp_path / "out", OUTLINE)
    assert plan.ok and len(plan.files) >= 2
    written = write_plan(plan)
    assert all(p.exists() for p in written)
    assert calls == {"fsync": 0, "sync": 1}


def test_the_generated_examples_reach_the_writer() -> None:
    """The property above proves something only if many examples are written, not left alone."""
    import random

    rng = random.Random(7)
    letters = "abcXYZ019 .,:;#-?!'\"$%&*()\n"
    written = 0
    for _ in range(200):
        data = SHIPPED[0].model_dump()
        data["status"] = "review"
        data["options"]["B"] = "".join(rng.choice(letters) for _ in range(20)).strip() or "x"
        text = itemyaml.fast_item_yaml(Item.model_validate(data), HEADER)
        if text is not None:
            written += 1
            assert read_back(text) is not None and fmt.format_text(text, "x.yaml") == text
    assert written >= 100


def test_a_tag_of_digits_stays_a_string() -> None:
    """`tags: [988]` would read back as the number 988 (found on CMAS-03-0038)."""
    item = SHIPPED[0].model_copy(update={"tags": ["988", "1e5", "0x1f", "crisis-line"]})
    text = itemyaml.fast_item_yaml(item, HEADER)
    assert text is not None and "tags: ['988', '1e5', '0x1f', crisis-line]" in text
    assert read_back(text) == item
    assert fmt.format_text(text, f"{item.id}.yaml") == text
