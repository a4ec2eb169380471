"""`export --format xlsx` and `import xlsx` (issue 13, point 2): every cell text, an exact round
trip over the shipped bank, formula neutralisation, findings naming the cell, deterministic
bytes, and hostile workbooks refused."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, FIXTURES

from cmas_bank.export import render
from cmas_bank.export.common import ExportError, Selection
from cmas_bank.export.csv_format import COLUMNS
from cmas_bank.importer import plan_xlsx_import, write_plan
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.validate import validate_paths

EXPORT = FIXTURES / "export"
ALL = Selection(statuses=("draft", "review", "approved", "retired"))


def _items(outline: Outline) -> list[Item]:
    result = validate_paths([EXPORT / "bank", BANK], outline)
    return [f.item for f in result.files if f.item is not None and not f.diagnostics]


def _workbook(data: bytes):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def _save(workbook, path: Path) -> Path:  # type: ignore[no-untyped-def]
    workbook.save(path)
    return path


def test_round_trip_is_exact_over_the_shipped_bank(tmp_path: Path, outline: Outline) -> None:
    items = _items(outline)
    assert len(items) > 253
    source = tmp_path / "bank.xlsx"
    source.write_bytes(render("xlsx", items, outline, ALL))
    plan = plan_xlsx_import(source, tmp_path / "out", outline)
    assert plan.diagnostics == []
    write_plan(plan)
    back = validate_paths([tmp_path / "out"], outline)
    assert back.diagnostics == []
    assert sorted(back.items, key=lambda i: i.id) == sorted(items, key=lambda i: i.id)


def test_every_cell_is_stored_as_text(outline: Outline) -> None:
    items = _items(outline)
    sheet = _workbook(render("xlsx", items, outline, ALL))["items"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert len(cells) > 253 * 15
    assert {(c.data_type, c.number_format) for c in cells} == {("s", "@")}
    numbers = [c.value for c in cells if isinstance(c.value, str) and c.value.isdigit()]
    assert "0245" not in numbers or all(isinstance(n, str) for n in numbers)


def test_formulas_are_neutralised_as_in_csv(tmp_path: Path, outline: Outline) -> None:
    (item,) = [i for i in _items(outline) if i.id == "CMAS-01-0001"]
    tricky = item.model_copy(update={"stem": '=HYPERLINK("http://x") was typed. What happens?', "rationale": "'-5"})
    data = render("xlsx", [tricky], outline, ALL)
    sheet = _workbook(data)["items"]
    stem = sheet.cell(row=2, column=COLUMNS.index("stem") + 1)
    assert stem.value == '\'=HYPERLINK("http://x") was typed. What happens?' and stem.data_type == "s"
    assert sheet.cell(row=2, column=COLUMNS.index("rationale") + 1).value == "''-5"
    source = tmp_path / "one.xlsx"
    source.write_bytes(data)
    plan = plan_xlsx_import(source, tmp_path / "out", outline)
    # read back exactly (its approval withdrawn: the reviews did not see this stem)
    assert plan.ok and plan.items == [tricky.model_copy(update={"status": "review"})]


def test_the_same_items_give_the_same_bytes(outline: Outline) -> None:
    items = _items(outline)[:20]
    first = render("xlsx", items, outline, ALL)
    time.sleep(2.1)  # a zip entry date has a two-second step: the clock must not show
    assert render("xlsx", items, outline, ALL) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core and "2000-01-01T00:00:00Z</dcterms:created>" in core


def test_control_characters_are_refused_with_a_message(outline: Outline) -> None:
    (item,) = [i for i in _items(outline) if i.id == "CMAS-01-0001"]
    with pytest.raises(ExportError, match="CMAS-01-0001: column stem holds a control character"):
        render("xlsx", [item.model_copy(update={"stem": "bell \x07 here?"})], outline, ALL)


def _edited(tmp_path: Path, outline: Outline, edit) -> Path:  # type: ignore[no-untyped-def]
    items = [i for i in _items(outline) if i.id in ("CMAS-01-0001", "CMAS-01-0002")]
    workbook = _workbook(render("xlsx", items, outline, ALL))
    edit(workbook["items"])
    return _save(workbook, tmp_path / "questions.xlsx")


def test_findings_name_the_cell(tmp_path: Path, outline: Outline) -> None:
    def edit(sheet):  # type: ignore[no-untyped-def]
        sheet["I3"] = "E"  # answer of the second item
        sheet["F2"] = 245  # option B of the first, as a spreadsheet stores a typed number
        sheet["C2"].value = "=1+1"  # a formula
        sheet["C2"].data_type = "f"

    path = _edited(tmp_path, outline, edit)
    plan = plan_xlsx_import(path, tmp_path / "out", outline)
    found = [(d.line, d.column, d.code, d.message) for d in plan.diagnostics]
    assert (2, 6, "IM202", "items!F2: holds a number (245), not text; format the cell as Text and retype it") in found
    assert (2, 3, "IM202", "items!C2: holds a formula (=1+1), not text") in found
    assert any(f[:3] == (3, 9, "IV205") and f[3].startswith("items!I3: column answer: answer 'E'") for f in found)
    ran = cli("import", "xlsx", str(path), "--out", str(tmp_path / "out"))
    assert ran.returncode == 1 and not (tmp_path / "out").exists()
    assert any(
        line.endswith(
            "questions.xlsx:3:9: IV205 items!I3: column answer: answer 'E' is not one of the options A, B, C, D"
        )
        for line in ran.stdout.splitlines()
    )


def test_import_xlsx_says_what_rows_change(tmp_path: Path, outline: Outline) -> None:
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(BANK, bank)
    exported = tmp_path / "bank.xlsx"
    assert cli("export", "--format", "xlsx", "--status", "approved", "--out", str(exported), str(bank)).returncode == 0
    workbook = _workbook(exported.read_bytes())
    sheet = workbook["items"]
    item_id = sheet["A2"].value
    sheet["F2"] = sheet["F2"].value + " (revised)"
    _save(workbook, exported)
    before = {p: p.read_bytes() for p in bank.rglob("*.yaml")}
    ran = cli("import", "xlsx", str(exported), "--out", str(bank), "--force")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"{item_id}: options.B changed; status approved -> review" in ran.stderr
    changed = [p.stem for p in before if p.read_bytes() != before[p]]
    assert changed == [item_id]


def test_not_a_workbook_is_refused(tmp_path: Path, outline: Outline) -> None:
    text = tmp_path / "questions.xlsx"
    text.write_text("id,stem\n", encoding="utf-8")
    plan = plan_xlsx_import(text, tmp_path / "out", outline)
    assert [(d.code, d.message) for d in plan.diagnostics] == [
        ("IM101", "not an xlsx workbook (not a zip archive); save the spreadsheet as Excel Workbook (.xlsx)")
    ]
    ran = cli("import", "xlsx", str(text), "--out", str(tmp_path / "out"))
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    (finding,) = plan_xlsx_import(broken, tmp_path / "out", outline).diagnostics
    assert finding.code == "IM101" and finding.message.startswith("not a readable xlsx workbook")


def test_zip_bomb_is_refused_before_unpacking(
    tmp_path: Path, outline: Outline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cmas_bank.export import xlsx_format

    monkeypatch.setattr(xlsx_format, "MAX_UNPACKED", 1 << 20)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    assert bomb.stat().st_size < 64 << 10
    (finding,) = plan_xlsx_import(bomb, tmp_path / "out", outline).diagnostics
    assert finding.code == "IM101" and "unpacks to 4194304 bytes, over the limit of 1 MiB" in finding.message


def test_entity_expansion_is_refused(tmp_path: Path, outline: Outline) -> None:
    good = render("xlsx", [i for i in _items(outline) if i.id == "CMAS-01-0001"], outline, ALL)
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    hostile = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(hostile, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, laughs if info.filename == "xl/worksheets/sheet1.xml" else data)
    started = time.perf_counter()
    (finding,) = plan_xlsx_import(hostile, tmp_path / "out", outline).diagnostics
    assert time.perf_counter() - started < 5
    assert finding.code == "IM101" and "Forbidden" in finding.message, finding.message
