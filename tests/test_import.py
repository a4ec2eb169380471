"""`import csv`: located findings (row, column), no overwrite without --force, files that validate,
and the bank -> CSV -> items round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES, ROOT

from cmas_bank.export import render
from cmas_bank.export.common import Selection
from cmas_bank.importer import (
    column_letter,
    item_yaml,
    normalise_header,
    plan_csv_import,
    write_plan,
)
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

EXPORT = FIXTURES / "export"
CSVS = EXPORT / "csv"
SHIPPED_FILES = len(list(BANK.rglob("*.yaml")))  # the bank grows: counts come from it
ALL_STATUSES = Selection(statuses=("draft", "review", "approved", "retired"))


def _located(plan_diagnostics: list) -> list[tuple[int, int, str]]:  # type: ignore[type-arg]
    return [(d.line, d.column, d.code) for d in plan_diagnostics]


def test_flawed_rows_are_located_by_row_and_column(tmp_path: Path, outline: Outline) -> None:
    plan = plan_csv_import(CSVS / "flawed.csv", tmp_path / "out", outline, root=ROOT)
    assert _located(plan.diagnostics) == [
        (3, 9, "IV205"),  # answer E
        (4, 2, "IM202"),  # domain "four"
        (5, 3, "IV302"),  # sub-area 5A in work area 4
        (6, 1, "IM301"),  # id of row 2 again (row 2's stem spans two lines of the file)
        (7, 17, "IM202"),  # reviews is broken JSON
        (8, 22, "IM201"),  # a cell beyond the header
        (9, 4, "IV202"),  # empty stem (blank, and empty)
        (9, 4, "IV202"),
        (9, 20, "IV202"),  # created 2026-13-01
        (11, 11, "IV206"),  # approved without references (row 10 is blank)
        (11, 17, "IV207"),  # approved without an independent review
    ]
    messages = {(d.line, d.code): d.message for d in plan.diagnostics}
    assert messages[(3, "IV205")] == "column answer: answer 'E' is not one of the options A, B, C, D"
    assert messages[(4, "IM202")] == "column domain: domain must be a work area number, not 'four'"
    assert messages[(6, "IM301")] == "column id: 'IMP-04-0001' is already the id of row 2"
    assert messages[(8, "IM201")] == "row has a value in column V, beyond the header's 21 columns"
    assert all(d.path == "tests/fixtures/export/csv/flawed.csv" for d in plan.diagnostics)
    assert not plan.ok


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad-header.csv", [(1, 1, "IM104"), (1, 5, "IM105"), (1, 17, "IM106")]),
        ("not-utf8.csv", [(2, 1, "IM102")]),
        ("unclosed-quote.csv", [(2, 1, "IM103")]),
    ],
)
def test_file_level_problems(name: str, expected: list[tuple[int, int, str]], tmp_path: Path, outline: Outline) -> None:
    plan = plan_csv_import(CSVS / name, tmp_path, outline)
    assert _located(plan.diagnostics) == expected


def test_unknown_column_suggests_the_name(tmp_path: Path, outline: Outline) -> None:
    plan = plan_csv_import(CSVS / "bad-header.csv", tmp_path, outline)
    assert "unknown column 'optoin_a' (did you mean \"option_a\"?)" in [d.message for d in plan.diagnostics]


def test_spreadsheet_headers_bom_and_neutralised_cells(tmp_path: Path, outline: Outline) -> None:
    plan = plan_csv_import(CSVS / "spreadsheet.csv", tmp_path, outline)
    assert plan.diagnostics == []
    items = {i.id: i for i in plan.items}
    first, second = items["IMP-03-0001"], items["IMP-03-0002"]
    assert first.stem.startswith("=SUM(1,2) is what")  # the apostrophe guard is removed
    assert first.references == ["Kinn's The Administrative Medical Assistant", "OWASP CSV Injection"]
    assert first.tags == ["csv", "spreadsheets", "formulas"]
    assert first.reviews[0].reviewer == "Priya Natarajan" and first.rationale.count("\n\n") == 1
    assert second.options.A == "+1 555 0100" and second.authors == ["@handle"]
    assert second.references == ["A telephone style guide"] and second.enemies == []


def test_header_names_are_matched_loosely() -> None:
    assert normalise_header(" Cognitive Level ") == "cognitive_level"
    assert normalise_header("Sub-Area") == "subdomain" and normalise_header("Work area") == "domain"
    assert [column_letter(n) for n in (1, 21, 26, 27, 52)] == ["A", "U", "Z", "AA", "AZ"]


def test_written_files_validate_clean_and_point_at_the_schema(tmp_path: Path, outline: Outline) -> None:
    out = tmp_path / "bank"
    plan = plan_csv_import(CSVS / "spreadsheet.csv", out, outline, schema=ROOT / "schemas" / "item.schema.json")
    written = write_plan(plan)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "03-medical-office-clerical-assisting/IMP-03-0001.yaml",
        "03-medical-office-clerical-assisting/IMP-03-0002.yaml",
    ]
    result = validate_paths([out], outline)
    assert result.diagnostics == []
    assert sorted(result.items, key=lambda i: i.id) == sorted(plan.items, key=lambda i: i.id)
    first_line = written[0].read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    target = written[0].parent / first_line.split("=", 1)[1]
    assert target.resolve() == (ROOT / "schemas" / "item.schema.json").resolve()


def test_existing_items_are_kept_unless_forced(tmp_path: Path, outline: Outline) -> None:
    out = tmp_path / "bank"
    area = out / "03-clerical"  # an existing folder for work area 3 is reused
    area.mkdir(parents=True)
    existing = area / "IMP-03-0001.yaml"
    existing.write_text("# hand-edited\n", encoding="utf-8")
    plan = plan_csv_import(CSVS / "spreadsheet.csv", out, outline)
    assert _located(plan.diagnostics) == [(2, 1, "IM302")]
    assert "already exists; pass --force to replace it" in plan.diagnostics[0].message
    with pytest.raises(ValueError):
        write_plan(plan)
    assert existing.read_text(encoding="utf-8") == "# hand-edited\n"
    forced = plan_csv_import(CSVS / "spreadsheet.csv", out, outline, force=True)
    assert forced.ok and {f.path for f in forced.files} == {existing, area / "IMP-03-0002.yaml"}
    assert [f.replaces for f in sorted(forced.files, key=lambda f: f.path)] == [True, False]
    write_plan(forced)
    assert validate_paths([out], outline).diagnostics == []


def _bank_and_fixture_items(outline: Outline) -> list[Item]:
    result = validate_paths([EXPORT / "bank", EXPORT / "control-char", BANK], outline)
    return [f.item for f in result.files if f.item is not None and not f.diagnostics]


def test_bank_to_csv_to_items_round_trip(tmp_path: Path, outline: Outline) -> None:
    items = _bank_and_fixture_items(outline)
    assert any(i.id.startswith("EXP-") for i in items) and any(not i.id.startswith("EXP-") for i in items)
    source = tmp_path / "bank.csv"
    source.write_bytes(render("csv", items, outline, ALL_STATUSES))
    plan = plan_csv_import(source, tmp_path / "out", outline)
    assert plan.diagnostics == []
    write_plan(plan)
    back = validate_paths([tmp_path / "out"], outline)
    assert back.diagnostics == []
    assert sorted(back.items, key=lambda i: i.id) == sorted(items, key=lambda i: i.id)


def test_yaml_writer_keeps_awkward_whitespace(outline: Outline) -> None:
    (item,) = [i for i in validate_paths([EXPORT / "bank"], outline).items if i.id == "EXP-04-0002"]
    text = item_yaml(item).decode("utf-8")
    assert "stem: |2\n    Indented first line\n" in text
    assert "  C: '10'\n" in text  # numbers stay text


def test_cli_import(tmp_path: Path) -> None:
    out = tmp_path / "bank"
    flawed = cli("import", "csv", str(CSVS / "flawed.csv"), "--out", str(out))
    assert flawed.returncode == 1 and "nothing written" in flawed.stderr
    assert flawed.stdout.splitlines()[0] == (
        "tests/fixtures/export/csv/flawed.csv:3:9: IV205 column answer: answer 'E' is not one of the options A, B, C, D"
    )
    assert not out.exists()
    good = cli("import", "csv", str(CSVS / "spreadsheet.csv"), "--out", str(out))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "wrote 2 item file(s)" in good.stderr
    again = cli("import", "csv", str(CSVS / "spreadsheet.csv"), "--out", str(out), "-f", "github")
    assert again.returncode == 1 and again.stdout.count("::error ") == 2 and "IM302" in again.stdout
    before = {p: p.read_bytes() for p in out.rglob("*.yaml")}
    same = cli("import", "csv", str(CSVS / "spreadsheet.csv"), "--out", str(out), "--force")
    assert same.returncode == 0 and "wrote 0 item file(s)" in same.stderr and "2 unchanged" in same.stderr
    assert {p: p.read_bytes() for p in out.rglob("*.yaml")} == before  # same rows: files untouched
    edited = tmp_path / "edited.csv"
    edited.write_text(
        (CSVS / "spreadsheet.csv").read_text(encoding="utf-8-sig").replace("Which", "Exactly which"), "utf-8"
    )
    forced = cli("import", "csv", str(edited), "--out", str(out), "--force")
    assert forced.returncode == 0 and "IMP-03-0002: stem changed" in forced.stderr
    assert "wrote 1 item file(s)" in forced.stderr and "(1 replaced), 1 unchanged" in forced.stderr
    missing = cli("import", "csv", str(tmp_path / "nope.csv"), "--out", str(out))
    assert missing.returncode == 2 and "IM101 cannot read file" in missing.stdout and "Traceback" not in missing.stderr


def test_a_text_longer_than_the_csv_modules_field_limit_round_trips(tmp_path: Path, outline: Outline) -> None:
    """Python's csv reader refuses fields over 131,072 characters by default; an item may be up to
    a mebibyte, so a 200,000-character rationale must come back from its own export."""
    (item,) = [i for i in _bank_and_fixture_items(outline) if i.id == "CMAS-01-0001"]
    text = ("The suffix -ectomy means removal. " * 6100)[:200_000].strip()
    # a draft: an approved item whose rationale changed would come back in review (IV210)
    long = item.model_copy(update={"rationale": text, "status": "draft"})
    assert len(long.rationale) > 131_072
    source = tmp_path / "long.csv"
    source.write_bytes(render("csv", [long], outline, ALL_STATUSES))
    plan = plan_csv_import(source, tmp_path / "out", outline)
    assert plan.diagnostics == []
    assert plan.items == [long]


# --- a spreadsheet edit touches only what it changes (issue 13, points 1, 2 and 9) -------------


@pytest.fixture(scope="module")
def bank_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped bank (every status) exported to CSV by the command, once for the tests below."""
    source = tmp_path_factory.mktemp("bank-csv") / "bank.csv"
    exported = cli(
        "export", "--format", "csv", "--status", "draft,review,approved,retired", "--out", str(source), str(BANK)
    )
    assert exported.returncode == 0, exported.stderr
    return source


def _bank_copy_and_csv(tmp_path: Path, bank_csv: Path) -> tuple[Path, Path, list[list[str]]]:
    """A copy of the shipped bank and of its CSV export, and the export's rows."""
    import csv
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(BANK, bank)
    source = tmp_path / "bank.csv"
    shutil.copyfile(bank_csv, source)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return bank, source, rows


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_forced_import_of_a_one_row_edit_rewrites_one_file_keeping_its_comments(tmp_path: Path, bank_csv: Path) -> None:
    bank, source, rows = _bank_copy_and_csv(tmp_path, bank_csv)
    header = rows[0]
    row = rows[1]
    item_id = row[header.index("id")]
    (target,) = bank.rglob(f"{item_id}.yaml")
    text = target.read_text(encoding="utf-8")
    # a reviewer's comments in the item: above a key, and at the end of a line
    text = text.replace("\noptions:\n", "\n# options checked against the 2024 fee schedule\noptions:\n", 1)
    answer_line = next(line for line in text.splitlines() if line.startswith("answer: "))
    text = text.replace(answer_line, answer_line + "  # keep: key verified", 1)
    target.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in bank.rglob("*.yaml")}
    row[header.index("stem")] = "Which of these is the best answer to this rewritten question?"
    _write_rows(source, rows)

    result = cli("import", "csv", str(source), "--out", str(bank), "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    after = {p: p.read_bytes() for p in bank.rglob("*.yaml")}
    assert [p for p in before if before[p] != after[p]] == [target]
    new = target.read_text(encoding="utf-8")
    assert "# options checked against the 2024 fee schedule\noptions:\n" in new
    assert answer_line + "  # keep: key verified" in new
    # the stem keeps its block style; only it (and the withdrawn approval) changed
    assert "stem: |-\n  Which of these is the best answer to this rewritten question?\n# options checked" in new
    changed = [line for line in new.splitlines() if line not in text.splitlines()]
    assert changed == ["status: review", "  Which of these is the best answer to this rewritten question?"]
    assert f"{item_id}: stem changed; status approved -> review" in result.stderr
    assert "(1 replaced)" in result.stderr and f"{SHIPPED_FILES - 1} unchanged" in result.stderr


def test_import_says_what_a_row_changes_in_every_existing_item(
    tmp_path: Path, outline: Outline, bank_csv: Path
) -> None:
    bank, source, rows = _bank_copy_and_csv(tmp_path, bank_csv)
    header = rows[0]
    # a draft item: no approval to withdraw, the change is still reported field by field
    (first,) = bank.rglob(f"{rows[1][header.index('id')]}.yaml")
    first.write_text(first.read_text(encoding="utf-8").replace("status: approved", "status: draft", 1), "utf-8")
    rows[1][header.index("status")] = "draft"
    rows[1][header.index("option_b")] = "245"
    rows[1][header.index("rationale")] += " Checked."
    _write_rows(source, rows)
    plan = plan_csv_import(source, bank, outline, force=True)
    assert plan.ok, plan.diagnostics
    assert plan.notes == [f"{rows[1][header.index('id')]}: options.B, rationale changed"]
    assert len(plan.files) == 1 and len(plan.unchanged) == SHIPPED_FILES - 1


def test_imported_files_pass_fmt_check(tmp_path: Path, bank_csv: Path) -> None:
    _bank, source, _rows = _bank_copy_and_csv(tmp_path, bank_csv)
    out = tmp_path / "fresh"
    assert cli("import", "csv", str(source), "--out", str(out)).returncode == 0
    checked = cli("fmt", "--check", str(out))
    assert checked.returncode == 0, checked.stdout
    assert f"0 file(s) would be reformatted, {SHIPPED_FILES} unchanged" in checked.stderr
