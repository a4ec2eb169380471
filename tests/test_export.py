"""Exports: QTI packages valid against the official schemas, escaping, ids that agree, metadata,
byte-identical output, the JSON bundle and its schema, CSV neutralisation and the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES, ROOT, aiken_carries
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree

from cmas_bank.errors import UsageError
from cmas_bank.export import FORMATS, ExportError, InvalidFiles, Selection, export_bank, render
from cmas_bank.export.common import qti_identifier, select_items
from cmas_bank.export.csv_format import COLUMNS, csv_bytes, neutralise, unneutralise
from cmas_bank.export.json_bundle import canonical_json, read_bundle
from cmas_bank.export.qti import Dialect
from cmas_bank.export.qti21 import QTI21
from cmas_bank.export.qti30 import QTI30
from cmas_bank.model import Item
from cmas_bank.outline import Outline
from cmas_bank.validate import ValidationResult, validate_paths

EXPORT = FIXTURES / "export"
FIXTURE_BANK = EXPORT / "bank"
ALL_STATUSES = Selection(statuses=("draft", "review", "approved", "retired"))

SCHEMAS = {
    "qti21": ("qti21/imsqti_v2p1.xsd", "imscp/qtiv2p1_imscpv1p2_v1p0.xsd"),
    "qti30": ("qti30/imsqti_asiv3p0_sbacv1p0_v1p0.xsd", "qti30/imsqtiv3p0_imscpv1p2_v1p0.xsd"),
}
DIALECTS: dict[str, Dialect] = {"qti21": QTI21, "qti30": QTI30}


@cache
def _schema(folder: Path, relative: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(folder / relative), parser))


def _clean_items(*paths: Path, outline: Outline) -> list[Item]:
    result = validate_paths(list(paths), outline)
    return [f.item for f in result.files if f.item is not None and not f.diagnostics]


@pytest.fixture(scope="module")
def fixture_items(outline: Outline) -> list[Item]:
    result = validate_paths([FIXTURE_BANK], outline)
    assert result.diagnostics == []
    return result.items


@pytest.fixture(scope="module")
def all_items(fixture_items: list[Item], shipped_bank: ValidationResult) -> list[Item]:
    """The fixture items plus every clean item of the shipped bank (however many there are)."""
    return fixture_items + [f.item for f in shipped_bank.files if f.item is not None and not f.diagnostics]


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(no_network=True))


# --- QTI: schema validity ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_every_item_test_and_manifest_is_schema_valid(
    fmt: str, all_items: list[Item], outline: Outline, qti_xsd: Path
) -> None:
    item_xsd, manifest_xsd = (_schema(qti_xsd, s) for s in SCHEMAS[fmt])
    entries = _entries(render(fmt, all_items, outline))
    assert len(entries) == len(all_items) + 2
    for name, data in entries.items():
        schema = manifest_xsd if name == "imsmanifest.xml" else item_xsd
        assert schema.validate(_parse(data)), f"{fmt} {name}: {schema.error_log}"


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_schema_check_bites_on_metadata_order(
    fmt: str, fixture_items: list[Item], outline: Outline, qti_xsd: Path
) -> None:
    """The manifest validation is real: LOM before qtiMetadata is rejected by the official schema."""
    manifest_xsd = _schema(qti_xsd, SCHEMAS[fmt][1])
    manifest = _parse(_entries(render(fmt, fixture_items, outline))["imsmanifest.xml"])
    assert manifest_xsd.validate(manifest)
    metadata = manifest.find(f".//{{{DIALECTS[fmt].cp_ns}}}resource/{{{DIALECTS[fmt].cp_ns}}}metadata")
    qti_md, _lom = list(metadata)
    metadata.remove(qti_md)
    metadata.append(qti_md)
    assert not manifest_xsd.validate(manifest)


# --- QTI: content, escaping, identifiers ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_text_is_escaped_never_markup(fmt: str, fixture_items: list[Item], outline: Outline) -> None:
    d = DIALECTS[fmt]
    item = next(i for i in fixture_items if i.id == "EXP-01-0001")
    raw = _entries(render(fmt, [item], outline))["items/EXP-01-0001.xml"]
    doc = _parse(raw)
    choices = doc.findall(f".//{d.el('simpleChoice')}")
    assert [c.text for c in choices] == list(item.options.as_dict().values())
    assert all(len(c) == 0 for c in choices)  # "<b>HTN</b>" stayed text: no child element
    assert not doc.findall(".//{*}b") and not doc.findall(".//{*}i") and not doc.findall(".//{*}script")
    (scenario,) = doc.findall(f"{d.el('itemBody')}/{d.html('p')}")
    assert scenario.text == item.stem.split("\n\n")[0]
    assert doc.find(f".//{d.el('prompt')}").text == item.stem.split("\n\n")[1]
    feedback = [p.text for p in doc.iter(d.html("p")) if p.getparent() is not doc.find(d.el("itemBody"))]
    assert feedback == item.rationale.split("\n\n")
    assert b"]]&gt;" in raw and b"]]>" not in raw.replace(b"]]&gt;", b"")
    assert b"&lt;b&gt;HTN&lt;/b&gt;" in raw and b"&amp;" in raw
    assert "naïve 中文 😀".encode() in raw  # non-ASCII is written as UTF-8, not as references


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_ids_agree_across_manifest_test_and_items(fmt: str, all_items: list[Item], outline: Outline) -> None:
    d = DIALECTS[fmt]
    entries = _entries(render(fmt, all_items, outline))
    manifest = _parse(entries["imsmanifest.xml"])
    cp = d.cp_ns
    resources = manifest.findall(f"{{{cp}}}resources/{{{cp}}}resource")
    tests = [r for r in resources if r.get("type") == d.test_type]
    items = [r for r in resources if r.get("type") == d.item_type]
    assert len(tests) == 1 and len(items) == len(all_items)
    test_resource = tests[0]
    test = _parse(entries[test_resource.get("href")])
    assert test.get("identifier") == test_resource.get("identifier")
    refs = {r.get("identifier"): r.get("href") for r in test.iter(d.el("assessmentItemRef"))}
    dependencies = {dep.get("identifierref") for dep in test_resource.findall(f"{{{cp}}}dependency")}
    for resource in items:
        ident, href = resource.get("identifier"), resource.get("href")
        assert resource.find(f"{{{cp}}}file").get("href") == href
        assert refs[ident] == href and ident in dependencies
        assert _parse(entries[href]).get("identifier") == ident
    assert set(refs) == {i.id for i in all_items}
    # one section per work area that has items, in outline order, holding that area's items by id
    sections = list(test.iter(d.el("assessmentSection")))
    areas = sorted({i.domain for i in all_items})
    assert [s.get("identifier") for s in sections] == [f"cmas-bank.area-{a}" for a in areas]
    for section, area in zip(sections, areas, strict=True):
        ids = [r.get("identifier") for r in section]
        assert ids == sorted(i.id for i in all_items if i.domain == area)


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_item_scoring_and_feedback(fmt: str, fixture_items: list[Item], outline: Outline) -> None:
    d = DIALECTS[fmt]
    item = next(i for i in fixture_items if i.id == "EXP-04-0001")
    doc = _parse(_entries(render(fmt, [item], outline))["items/EXP-04-0001.xml"])
    interaction = doc.find(f".//{d.el('choiceInteraction')}")
    assert interaction.get("max-choices" if d.kebab else "maxChoices") == "1"
    assert [c.get("identifier") for c in interaction.iter(d.el("simpleChoice"))] == ["A", "B", "C", "D"]
    assert doc.find(f"{d.el('responseDeclaration')}/{d.el('correctResponse')}/{d.el('value')}").text == "D"
    assert (
        doc.find(d.el("responseProcessing"))
        .get("template")
        .endswith("rptemplates/match_correct" + (".xml" if d.kebab else ""))
    )
    modal = doc.find(d.el("modalFeedback"))
    feedback_default = next(o for o in doc.findall(d.el("outcomeDeclaration")) if o.get("identifier") == "FEEDBACK")
    assert feedback_default.find(f"{d.el('defaultValue')}/{d.el('value')}").text == modal.get("identifier")
    assert "".join(modal.itertext()).strip() == item.rationale


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_resource_metadata(fmt: str, fixture_items: list[Item], outline: Outline) -> None:
    d = DIALECTS[fmt]
    lom = "{http://ltsc.ieee.org/xsd/LOM}"
    manifest = _parse(_entries(render(fmt, fixture_items, outline))["imsmanifest.xml"])
    resource = manifest.find(f".//{{{d.cp_ns}}}resource[@identifier='EXP-01-0001']")
    metadata = resource.find(f"{{{d.cp_ns}}}metadata")
    assert [etree.QName(c).localname for c in metadata] == ["qtiMetadata", "lom"]
    assert metadata.find(f".//{{{d.metadata_ns}}}interactionType").text == "choiceInteraction"
    assert metadata.find(f".//{lom}general/{lom}identifier/{lom}entry").text == "EXP-01-0001"
    assert metadata.find(f".//{lom}educational/{lom}difficulty/{lom}value").text == "difficult"  # hard
    taxa = [t.findtext(f"{lom}id") for t in metadata.find(f".//{lom}classification").iter(f"{lom}taxon")]
    assert taxa == ["1", "1A"]
    entries = [t.findtext(f"{lom}entry/{lom}string") for t in metadata.iter(f"{lom}taxon")]
    assert entries[0] == outline.areas[1].name and entries[-1] == "analysis"


def test_identifiers_must_start_with_letter_or_underscore() -> None:
    assert qti_identifier("_x-1") == "_x-1"
    for bad in ("1abc", "-abc", "a.b", ""):
        with pytest.raises(ExportError):
            qti_identifier(bad)


def test_xml_forbidden_character_refuses_qti_by_name(outline: Outline) -> None:
    (item,) = validate_paths([EXPORT / "control-char"], outline).items
    for fmt in ("qti21", "qti30"):
        with pytest.raises(ExportError, match=r"EXP-02-0001: stem contains the control character U\+000B"):
            render(fmt, [item], outline)
    assert read_bundle(render("json", [item], outline)) == [item]  # JSON carries it


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_are_byte_identical_whatever_the_input_order(
    fmt: str, all_items: list[Item], outline: Outline
) -> None:
    items = [i for i in all_items if aiken_carries(i)] if fmt == "aiken" else all_items
    first = render(fmt, items, outline, ALL_STATUSES)
    again = render(fmt, list(reversed(items)), outline, ALL_STATUSES)
    assert first == again


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_zip_entries_have_fixed_time_and_mode(fmt: str, fixture_items: list[Item], outline: Outline) -> None:
    with zipfile.ZipFile(io.BytesIO(render(fmt, fixture_items, outline))) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "imsmanifest.xml"
    assert [i.filename for i in infos[2:]] == sorted(i.filename for i in infos[2:])
    for info in infos:
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert info.external_attr >> 16 == 0o100644 and info.create_system == 3


# --- JSON bundle ------------------------------------------------------------------------------


def test_bundle_matches_its_schema_and_digests(all_items: list[Item], outline: Outline) -> None:
    data = render("json", all_items, outline, ALL_STATUSES)
    doc = json.loads(data)
    schema = json.loads((ROOT / "schemas" / "bundle.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(doc)
    manifest = doc["manifest"]
    assert manifest["tool"]["name"] == "cmas-bank" and manifest["outline"]["id"] == outline.id
    assert manifest["item_count"] == len(all_items) == len(doc["items"])
    counts = {c["work_area"]: (c["items"], c["blueprint_items"]) for c in manifest["counts"]}
    for area in outline.work_areas:
        assert counts[area.number] == (sum(1 for i in all_items if i.domain == area.number), area.items)
    for digest, item in zip(manifest["items"], doc["items"], strict=True):
        text = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        assert digest == {"id": item["id"], "sha256": hashlib.sha256(text).hexdigest()}
    assert [i["id"] for i in doc["items"]] == sorted(i.id for i in all_items)


def test_bank_to_json_to_items_round_trip(all_items: list[Item], outline: Outline) -> None:
    back = read_bundle(render("json", all_items, outline, ALL_STATUSES))
    assert back == sorted(all_items, key=lambda i: i.id)


def test_tampered_bundle_is_rejected(fixture_items: list[Item], outline: Outline) -> None:
    doc = json.loads(render("json", fixture_items, outline))
    doc["items"][0]["answer"] = "B"
    with pytest.raises(ExportError, match=r"items\.0 \(EXP-01-0001\): sha256 does not match"):
        read_bundle(json.dumps(doc).encode())
    with pytest.raises(ExportError, match="not a valid bundle"):
        read_bundle(b'{"manifest": {}, "items": []}')


def test_canonical_json_is_key_sorted_and_compact(fixture_items: list[Item]) -> None:
    text = canonical_json(fixture_items[0]).decode("utf-8")
    assert text.startswith('{"answer":"A","authors":["Ana Pérez-Ölander"],"cognitive_level":"analysis",')
    pairs = json.loads(text, object_pairs_hook=lambda kv: kv)
    assert [k for k, _ in pairs] == sorted(k for k, _ in pairs)
    assert "\n" not in text and '", "' not in text and '": ' not in text


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=A1", "''=A1"),
        ("''-1", "'''-1"),
        ("'quoted'", "'quoted'"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert unneutralise(written) == cell


def test_neutralisation_is_reversible_for_every_short_string() -> None:
    alphabet = ["'", "=", "-", "@", "\t", "a", " "]
    for length in range(5):
        for chars in itertools.product(alphabet, repeat=length):
            cell = "".join(chars)
            assert unneutralise(neutralise(cell)) == cell, repr(cell)
            assert not neutralise(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_cells_never_start_a_formula(all_items: list[Item], outline: Outline) -> None:
    text = render("csv", all_items, outline).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 1 + len(all_items)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    formula_row = next(r for r in rows if r[0] == "EXP-04-0001")
    assert formula_row[COLUMNS.index("option_a")] == "'=SUM(A1:A2)"
    assert formula_row[COLUMNS.index("rationale")].startswith("''=quoted")
    assert text.count("\r\n") >= len(all_items) + 1


def test_csv_refuses_a_list_entry_with_a_line_break(fixture_items: list[Item]) -> None:
    item = fixture_items[0].model_copy(update={"references": ["first line\nsecond line"]})
    with pytest.raises(ExportError, match=r"EXP-01-0001: references\[0\] contains a line break"):
        csv_bytes([item])


# --- selection --------------------------------------------------------------------------------


def test_selection_filters_and_unknown_ids(fixture_items: list[Item]) -> None:
    assert [i.id for i in select_items(fixture_items, Selection())] == ["EXP-01-0001", "EXP-04-0001"]
    assert [i.id for i in select_items(fixture_items, Selection(statuses=("draft",)))] == ["EXP-04-0002"]
    assert [i.id for i in select_items(fixture_items, Selection(domains=(1,)))] == ["EXP-01-0001"]
    assert [i.id for i in select_items(fixture_items, Selection(ids=("EXP-04-0001",)))] == ["EXP-04-0001"]
    with pytest.raises(UsageError, match=r'EXP-04-0009 \(did you mean "EXP-04-0002"\?\)'):
        select_items(fixture_items, Selection(ids=("EXP-04-0009",)))


def test_export_bank_refuses_or_skips_files_with_errors(outline: Outline) -> None:
    result = validate_paths([FIXTURE_BANK, FIXTURES / "items" / "invalid" / "fifth-option.yaml"], outline)
    with pytest.raises(InvalidFiles) as refused:
        export_bank(result, outline, "csv")
    assert [f.path.name for f in refused.value.files] == ["fifth-option.yaml"]
    exported = export_bank(result, outline, "csv", skip_invalid=True)
    assert [i.id for i in exported.items] == ["EXP-01-0001", "EXP-04-0001"]
    assert [f.path.name for f in exported.skipped] == ["fifth-option.yaml"]


# --- command line -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_export_writes_the_same_bytes_twice(
    fmt: str, tmp_path: Path, outline: Outline, fixture_items: list[Item]
) -> None:
    out = tmp_path / f"bundle.{fmt}"
    approved = [i for i in fixture_items if i.status == "approved" and (fmt != "aiken" or aiken_carries(i))]
    ids = tmp_path / "ids.txt"  # aiken: the items it carries (one it refuses is tested in test_export_lms)
    ids.write_text("".join(f"{i.id}\n" for i in approved), encoding="utf-8")
    chosen = ("--ids", str(ids)) if fmt == "aiken" else ()
    args = ("export", "--format", fmt, "--out", str(out), *chosen, str(FIXTURE_BANK))
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    assert f"wrote {out}: {len(approved)} items as {fmt}" in first.stderr
    data = out.read_bytes()
    assert data == render(fmt, approved, outline)
    second = cli(*args)
    assert second.returncode == 0 and "(unchanged)" in second.stderr
    assert out.read_bytes() == data


def test_cli_export_filters(tmp_path: Path) -> None:
    out = tmp_path / "drafts.csv"
    result = cli(
        "export", "--format", "csv", "--out", str(out), "--status", "draft,approved", "--domain", "4", str(FIXTURE_BANK)
    )
    assert result.returncode == 0, result.stderr
    assert [r[0] for r in csv.reader(io.StringIO(out.read_text(encoding="utf-8")))][1:] == [
        "EXP-04-0001",
        "EXP-04-0002",
    ]
    ids = tmp_path / "ids.txt"
    ids.write_text("# chosen\nEXP-04-0001\n\nEXP-04-0404\n", encoding="utf-8")
    missing = cli("export", "--format", "json", "--out", str(tmp_path / "x.json"), "--ids", str(ids), str(FIXTURE_BANK))
    assert missing.returncode == 2 and "ids not found in the bank: EXP-04-0404" in missing.stderr
    assert "Traceback" not in missing.stderr and not (tmp_path / "x.json").exists()
    nothing = cli("export", "--format", "json", "--out", str(tmp_path / "x.json"), "--domain", "7", str(FIXTURE_BANK))
    assert nothing.returncode == 2 and "no items to export" in nothing.stderr


def test_cli_export_refuses_invalid_files_unless_skipped(tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    invalid = str(FIXTURES / "items" / "invalid" / "fifth-option.yaml")
    refused = cli("export", "--format", "qti21", "--out", str(out), str(FIXTURE_BANK), invalid)
    assert refused.returncode == 1
    assert "fifth-option.yaml:16:3: IV204" in refused.stderr and "export refused" in refused.stderr
    assert not out.exists()
    skipped = cli("export", "--format", "qti21", "--out", str(out), "--skip-invalid", str(FIXTURE_BANK), invalid)
    assert skipped.returncode == 0 and "skipped 1 file(s) with validation errors" in skipped.stderr
    assert out.exists()


def test_cli_failed_export_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "package.zip"
    out.write_bytes(b"previous export")
    result = cli("export", "--format", "qti30", "--out", str(out), str(EXPORT / "control-char"))
    assert result.returncode == 1 and "U+000B" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package.zip"]  # no temporary file left
    missing_dir = cli("export", "--format", "json", "--out", str(tmp_path), str(FIXTURE_BANK))
    assert missing_dir.returncode == 2 and "Traceback" not in missing_dir.stderr


# --- memory: every format is written as it is rendered ------------------------------------------


def _sqlite_high_water() -> Callable[[], int]:
    """A function that returns SQLite's memory high-water mark and resets it, read through ctypes
    from the SQLite library the sqlite3 module uses: tracemalloc sees Python's allocations, not
    SQLite's (an SQLite database's pages, such as the anki export's collection)."""
    import ctypes
    import ctypes.util
    import sqlite3

    name = ctypes.util.find_library("sqlite3")
    if name is None:
        pytest.skip("no SQLite library to read its memory from (sqlite3 built in)")
    lib = ctypes.CDLL(name)
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    lib.sqlite3_memory_highwater(1)
    sqlite3.connect(":memory:").execute("CREATE TABLE t (x)").connection.close()
    if lib.sqlite3_memory_highwater(1) <= 0:  # another copy of SQLite than the sqlite3 module's
        pytest.skip("the sqlite3 module's SQLite is not the shared library")
    return lambda: int(lib.sqlite3_memory_highwater(1))


def _write_peak(fmt: str, items: list[Item], outline: Outline) -> tuple[int, int]:
    """(bytes written, peak of Python's traced memory while writing them to a file, plus SQLite's
    peak for anki)."""
    import tempfile
    import tracemalloc

    from cmas_bank.export import write

    sqlite_peak = _sqlite_high_water() if fmt == "anki" else (lambda: 0)
    with tempfile.TemporaryFile() as fh:
        sqlite_peak()
        tracemalloc.start()
        try:
            write(fmt, items, outline, fh, ALL_STATUSES)
            peak = tracemalloc.get_traced_memory()[1] + sqlite_peak()
        finally:
            tracemalloc.stop()
        return fh.tell(), peak


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_memory_does_not_grow_with_its_output(fmt: str, all_items: list[Item], outline: Outline) -> None:
    """Issue 16's 1 GiB at 100,000 items: no format holds its whole output (or a tree or list of
    every item's part of it) in memory; the peak while writing grows far less than the output does
    (built whole first, it grew 1 to 30 times as much; anki, its collection built in SQLite's memory,
    15 times). For anki SQLite's own memory counts too (the sum of the two peaks)."""
    items = [i for i in all_items if aiken_carries(i)] if fmt == "aiken" else all_items
    render(fmt, items[:2], outline, ALL_STATUSES)  # imports and first-use caches, outside the measure
    small_size, small_peak = _write_peak(fmt, items[: len(items) // 4], outline)
    size, peak = _write_peak(fmt, items, outline)
    assert size - small_size > 100_000
    assert peak - small_peak < 0.6 * (size - small_size), (small_peak, peak, small_size, size)


def test_an_export_lets_go_of_the_run_the_console_command_would_keep(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The console command keeps a run's heap until exit (memory.py); an export, which goes on to
    read and render the chosen items, lets it go first so that the two never share the peak (a
    100,000-item qti21 export peaked at 1.2 GiB with the engine's records still held)."""
    from cmas_bank import export, memory
    from cmas_bank.config import Config
    from cmas_bank.engine.run import Job, run_check
    from cmas_bank.outline import load_outline

    monkeypatch.setattr(memory, "_defer", True)
    monkeypatch.setattr(memory, "_kept", [])
    config = Config(root=ROOT, bank=ROOT / "bank", outline="cmas-2020")
    outline = load_outline("cmas-2020")
    run_check([config.bank], config, outline, job=Job(stages=("validate",)), use_cache=False)
    assert memory.kept()  # what the console command keeps
    done = export.export_paths(
        [config.bank], config, outline, "csv", Selection(), out=tmp_path / "bank.csv", use_cache=False
    )
    assert not memory.kept()
    assert len(done.items) > 400 and (tmp_path / "bank.csv").stat().st_size > 100_000
