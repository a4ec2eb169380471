"""Assembled forms after assembly: `export --form` in every format (the form's order, pretest items
marked where the format can say so), `check` judging the form files it finds (and a form going
stale after an item edit), and the report's section per form. Expectations are read from the form
and item files with PyYAML, not from the code under test."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import zipfile
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from clirunner import cli
from conftest import BANK, ROOT, SHARED, yaml_load
from lxml import etree

from cmas_bank.export.json_bundle import read_bundle

PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


def _project(root: Path, table: str = 'out = "forms"') -> Path:
    shutil.copytree(BANK, root / "bank")
    (root / "pyproject.toml").write_text(
        f'[tool.cmas-bank]\nbank = "bank"\noutline = "cmas-2020"\n\n[tool.cmas-bank.assemble]\n{table}\n',
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped bank with two assembled forms (sharing items) in forms/."""
    root = _project(tmp_path_factory.mktemp("forms"))
    ran = cli("assemble", "--forms", "2", "--max-overlap", "150", cwd=root)
    assert ran.returncode == 0, ran.stderr
    return root


def _form(root: Path, name: str = "FORM-01") -> list[tuple[str, bool]]:
    data = yaml_load((root / "forms" / f"{name}.yaml").read_text("utf-8"))
    return [(e["id"], e["scored"]) for e in data["items"]]


def _bank(root: Path) -> dict[str, dict]:
    return {d["id"]: d for d in (yaml_load(p.read_text("utf-8")) for p in (root / "bank").rglob("*.yaml"))}


def _export(root: Path, fmt: str, *extra: str) -> bytes:
    out = root / "exports" / f"FORM-01.{fmt}"
    out.parent.mkdir(exist_ok=True)
    ran = cli("export", "--form", "forms/FORM-01.yaml", "--format", fmt, "--out", str(out), *extra, cwd=root)
    assert ran.returncode == 0, ran.stderr
    return out.read_bytes()


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


# --- export --form: each format, read back ----------------------------------------------------------


def _read_json(data: bytes, root: Path) -> list[tuple[str, bool]]:
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas" / "bundle.schema.json").read_text("utf-8"))
    Draft202012Validator(schema).validate(json.loads(data))
    items = read_bundle(data)  # digests and order checked
    form = json.loads(data)["manifest"]["form"]
    assert form["id"] == "FORM-01" and [i.id for i in items] == [s["id"] for s in form["items"]]
    return [(s["id"], s["scored"]) for s in form["items"]]


def _read_table(rows: list[list[str]]) -> list[tuple[str, bool]]:
    header = rows[0]
    assert header[-1] == "scored" and header[0] == "id"
    assert {r[-1] for r in rows[1:]} <= {"true", "false"}
    return [(r[0], r[-1] == "true") for r in rows[1:]]


def _read_csv(data: bytes, root: Path) -> list[tuple[str, bool]]:
    return _read_table(list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))))


def _read_xlsx(data: bytes, root: Path) -> list[tuple[str, bool]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return _read_table([[c or "" for c in row] for row in sheet.iter_rows(values_only=True)])


def _read_qti(data: bytes, root: Path) -> list[tuple[str, bool]]:
    test = etree.fromstring(_zip(data)["assessment-test.xml"], PARSER)
    refs = [e for e in test.iter() if _local(e) in ("assessmentItemRef", "qti-assessment-item-ref")]
    sections = [e for e in test.iter() if _local(e) in ("assessmentSection", "qti-assessment-section")]
    assert len(sections) == 1 and sections[0].get("title") == "FORM-01"
    sums = [e for e in test.iter() if _local(e) in ("testVariables", "qti-test-variables")]
    assert [s.get("weightIdentifier") or s.get("weight-identifier") for s in sums] == ["WEIGHT"]
    out = []
    for ref in refs:
        weights = [(w.get("identifier"), w.get("value")) for w in ref if _local(w) in ("weight", "qti-weight")]
        pretest = ref.get("category") == "pretest"
        assert weights == ([("WEIGHT", "0")] if pretest else [])
        out.append((ref.get("identifier") or "", not pretest))
    return out


def _read_moodle(data: bytes, root: Path) -> list[tuple[str, bool]]:
    quiz = etree.fromstring(data, PARSER)
    (category,) = quiz.findall("question[@type='category']")
    assert category.findtext("category/text", "").endswith("/FORM-01")
    out = []
    for q in quiz.findall("question[@type='multichoice']"):
        grade = q.findtext("defaultgrade")
        tags = [t.text for t in q.findall("tags/tag/text")]
        assert (grade == "0") == ("pretest" in tags)
        out.append((q.findtext("idnumber") or "", grade == "1"))
    return out


def _read_gift(data: bytes, root: Path) -> list[tuple[str, bool]]:
    text = data.decode("utf-8")
    assert text.count("$CATEGORY:") == 1 and "$CATEGORY: $course$/top/" in text and "/FORM-01\n" in text
    return [(m[1], "[tag:pretest]" not in m[2]) for m in re.finditer(r"^// \[id:([^\]]+)\](.*)$", text, re.MULTILINE)]


def _read_canvas(data: bytes, root: Path) -> list[tuple[str, bool]]:
    entries = _zip(data)
    quiz = etree.fromstring(entries["cmas-bank.assessment/cmas-bank.assessment.xml"], PARSER)
    out = []
    for item in (e for e in quiz.iter() if _local(e) == "item"):
        fields = {f.findtext("{*}fieldlabel"): f.findtext("{*}fieldentry") for f in item.iter("{*}qtimetadatafield")}
        assert fields["points_possible"] in ("1.0", "0.0")
        out.append((fields["cmas_bank_id"] or "", fields["points_possible"] == "1.0"))
    meta = etree.fromstring(entries["cmas-bank.assessment/assessment_meta.xml"], PARSER)
    assert meta.findtext("{*}points_possible") == f"{sum(s for _, s in out)}.0"
    return out


def _read_html(data: bytes, root: Path) -> list[tuple[str, bool]]:
    page = data.decode("utf-8")
    block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert block is not None
    doc = json.loads(block.group(1))
    assert doc["scoredItems"] == sum(1 for i in doc["items"] if i["scored"])
    return [(i["id"], i["scored"]) for i in doc["items"]]


def _read_aiken(data: bytes, root: Path) -> list[tuple[str, bool]]:
    """Aiken carries neither id nor mark: the stems, matched to the bank's, give the order."""
    bank = _bank(root)
    by_stem = {" ".join(d["stem"].split()): i for i, d in bank.items()}
    stems = [block.split("\nA. ")[0] for block in data.decode("utf-8").strip().split("\n\n")]
    return [(by_stem[" ".join(s.split())], True) for s in stems]


READERS = {
    "json": _read_json,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "qti21": _read_qti,
    "qti30": _read_qti,
    "moodle": _read_moodle,
    "gift": _read_gift,
    "canvas": _read_canvas,
    "html": _read_html,
    "aiken": _read_aiken,
}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_export_form_keeps_the_form_order_and_marks_pretest_items(fmt: str, built: Path) -> None:
    form = _form(built)
    assert any(not scored for _, scored in form) and [i for i, _ in form] != sorted(i for i, _ in form)
    if fmt == "aiken":  # an option with & < > is refused (test_export_lms); so is a form holding one
        bank = _bank(built)
        refused = {i for i, _ in form if any(c in o for o in bank[i]["options"].values() for c in "&<>")}
        if refused:
            out = str(built / "exports" / "FORM-01.aiken")
            ran = cli("export", "--form", "forms/FORM-01.yaml", "--format", fmt, "--out", out, cwd=built)
            assert ran.returncode == 1 and re.search(r"item (\S+): options\.[A-D] contains", ran.stderr)
            assert re.search(r"item (\S+): options", ran.stderr)[1] in refused  # type: ignore[index]
            return
    got = READERS[fmt](_export(built, fmt), built)
    if fmt == "aiken":  # no way to mark an unscored item
        assert [i for i, _ in got] == [i for i, _ in form]
    else:
        assert got == form


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_a_forms_qti_test_is_schema_valid(fmt: str, built: Path) -> None:
    folder = SHARED / "qti-xsd"
    if not folder.is_dir():
        pytest.skip(f"official QTI schemas not found at {folder}")
    relative = {"qti21": "qti21/imsqti_v2p1.xsd", "qti30": "qti30/imsqti_asiv3p0_sbacv1p0_v1p0.xsd"}[fmt]
    schema = etree.XMLSchema(etree.parse(str(folder / relative), PARSER))
    test = etree.fromstring(_zip(_export(built, fmt))["assessment-test.xml"], PARSER)
    assert schema.validate(test), schema.error_log


def test_a_forms_canvas_quiz_is_dtd_valid(built: Path) -> None:
    path = SHARED / "qti-xsd" / "qti12" / "ims_qtiasiv1p2p1.dtd"
    if not path.is_file():
        pytest.skip(f"QTI 1.2.1 DTD not found at {path}")
    quiz = etree.fromstring(_zip(_export(built, "canvas"))["cmas-bank.assessment/cmas-bank.assessment.xml"], PARSER)
    for element in quiz.iter():
        element.tag = etree.QName(element).localname
        for name in [n for n in element.attrib if n.startswith("{")]:
            del element.attrib[name]
    etree.cleanup_namespaces(quiz)
    dtd = etree.DTD(str(path))
    assert dtd.validate(quiz), dtd.error_log


def test_export_without_form_is_unchanged_by_id(built: Path) -> None:
    ran = cli("export", "--format", "csv", "--out", str(built / "bank.csv"), cwd=built)
    assert ran.returncode == 0, ran.stderr
    rows = list(csv.reader(io.StringIO((built / "bank.csv").read_text("utf-8"), newline="")))
    assert "scored" not in rows[0] and [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])


def test_export_form_refuses_bad_forms_with_a_usage_error(built: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.json")
    (tmp_path / "broken.yaml").write_text("form: FORM-09\nitems: [\n", encoding="utf-8")
    broken = cli("export", "--form", str(tmp_path / "broken.yaml"), "--format", "json", "--out", out, cwd=built)
    assert broken.returncode == 2 and "broken.yaml:" in broken.stderr and "IF101 not a form file" in broken.stderr
    text = (built / "forms" / "FORM-01.yaml").read_text("utf-8")
    first = _form(built)[0][0]
    (tmp_path / "ghost.yaml").write_text(text.replace(f"id: {first},", "id: CMAS-09-9999,", 1), encoding="utf-8")
    ghost = cli("export", "--form", str(tmp_path / "ghost.yaml"), "--format", "json", "--out", out, cwd=built)
    assert ghost.returncode == 2 and "ids not found in the bank: CMAS-09-9999" in ghost.stderr
    (tmp_path / "seed.yaml").write_text(text.replace("seed: 0", "seed: -1"), encoding="utf-8")
    bad = cli("export", "--form", str(tmp_path / "seed.yaml"), "--format", "json", "--out", out, cwd=built)
    assert bad.returncode == 2 and re.search(r"seed\.yaml:\d+:\d+: IF101 not a form file: seed", bad.stderr)
    both = cli(
        "export", "--form", "forms/FORM-01.yaml", "--status", "draft", "--format", "json", "--out", out, cwd=built
    )
    assert both.returncode == 2 and "--form chooses the items" in both.stderr
    missing = cli("export", "--form", "forms/nope.yaml", "--format", "json", "--out", out, cwd=built)
    assert missing.returncode == 2 and "form file not found" in missing.stderr
    assert all("Traceback" not in r.stderr for r in (broken, ghost, bad, both, missing))
    assert not Path(out).exists()


# --- check finds and judges the forms -------------------------------------------------------------


def _line_of(form: Path, item_id: str) -> int:
    lines = form.read_text("utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(f"- {{id: {item_id},"))


def _set_field(path: Path, field: str, value: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [f"{field}: {value}\n" if line.startswith(f"{field}:") else line for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture()
def project(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of `built` (bank and forms) that a test may edit."""
    root = tmp_path / "p"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns(".cmas-bank-cache", "exports"))
    return root


def test_check_judges_the_forms_and_a_form_goes_stale_after_an_item_edit(project: Path) -> None:
    clean = cli("check", cwd=project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^forms\s+0 errors", clean.stderr, re.MULTILINE)
    one, two = _form(project, "FORM-01"), _form(project, "FORM-02")
    shared = next(i for i, s in one if s and (i, True) in two)
    files = {p.stem: p for p in (project / "bank").rglob("*.yaml")}
    _set_field(files[shared], "status", "draft")  # the edit: no longer approved
    a, b = [i for i, s in one if s and i != shared][:2]
    _set_field(files[a], "enemies", f"[{b}]")  # now enemies, both on FORM-01
    ran = cli("check", "-f", "json", cwd=project)
    assert ran.returncode == 1, ran.stderr
    found = {(d["path"], d["code"], d["line"]) for d in json.loads(ran.stdout)["diagnostics"] if d["code"][:2] == "IF"}
    forms = project / "forms"
    assert found == {
        ("forms/FORM-01.yaml", "IF202", _line_of(forms / "FORM-01.yaml", shared)),
        ("forms/FORM-02.yaml", "IF202", _line_of(forms / "FORM-02.yaml", shared)),
        ("forms/FORM-01.yaml", "IF302", max(_line_of(forms / "FORM-01.yaml", i) for i in (a, b))),
    } | (
        {("forms/FORM-02.yaml", "IF302", max(_line_of(forms / "FORM-02.yaml", i) for i in (a, b)))}
        if (a, True) in two and (b, True) in two
        else set()
    )
    text = cli("check", cwd=project)
    assert f"forms/FORM-01.yaml:{_line_of(forms / 'FORM-01.yaml', shared)}:3: IF202 {shared} is draft" in text.stdout
    ignored = cli("check", "--ignore", "IF", cwd=project)
    assert ignored.returncode == 0 and "IF202" not in ignored.stdout, ignored.stdout
    one_file = cli("check", str(files[a]), cwd=project)  # a run over some files does not judge forms
    assert "IF" not in one_file.stdout and "forms " not in one_file.stderr


def test_check_finds_forms_by_the_form_files_setting(project: Path) -> None:
    (project / "forms").rename(project / "delivered")
    config = project / "pyproject.toml"
    (project / "delivered" / "junk.yaml").write_text("form: X\n", encoding="utf-8")
    config.write_text(config.read_text("utf-8").replace('out = "forms"', 'out = "forms"\nform-files = "delivered"'))
    ran = cli("check", "-f", "json", cwd=project)
    assert ran.returncode == 1
    codes = {(d["path"], d["code"]) for d in json.loads(ran.stdout)["diagnostics"]}
    assert codes == {("delivered/junk.yaml", "IF101")}
    config.write_text(
        config.read_text("utf-8").replace('form-files = "delivered"', 'form-files = ["delivered/FORM-02.yaml"]')
    )
    assert cli("check", cwd=project).returncode == 0
    for value, message in (("5", "must be a path or a list of paths"), ('["gone"]', "gone: no such file or folder")):
        text = re.sub(r"form-files = .*", f"form-files = {value}", config.read_text("utf-8"))
        config.write_text(text, encoding="utf-8")
        bad = cli("check", cwd=project)
        assert bad.returncode == 2 and "[tool.cmas-bank.assemble] form-files" in bad.stderr and message in bad.stderr


def test_no_forms_no_form_checks(tmp_path: Path) -> None:
    root = _project(tmp_path, "")
    ran = cli("check", cwd=root)
    assert ran.returncode == 0 and "forms " not in ran.stderr


# --- the report's sections per form ------------------------------------------------------------------


def _section(page: str, form: str) -> str:
    start = page.index(f"<h2>Form {form} ")
    return page[start : page.index("</section>", start)]


def _plain(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_report_has_a_section_per_form(project: Path) -> None:
    ran = cli("report", "--out", "r.html", cwd=project)
    assert ran.returncode == 0, ran.stderr
    page = (project / "r.html").read_text("utf-8")
    bank = _bank(project)
    for name in ("FORM-01", "FORM-02"):
        form = _form(project, name)
        scored = [bank[i] for i, s in form if s]
        section = _plain(_section(page, name))
        assert f"{len(scored)} scored and {len(form) - len(scored)} pretest item(s)" in section
        assert "blueprint met" in section and "not met" not in section
        keys = Counter(d["answer"] for d in scored)
        levels = Counter(d["difficulty"] for d in scored) + Counter(d["cognitive_level"] for d in scored)
        cells = re.search(r"Scored items A B C D easy medium hard recall application analysis (.*)", section)
        assert cells is not None
        expected = [len(scored)] + [keys[k] for k in "ABCD"] + [levels[x] for x in ("easy", "medium", "hard")]
        expected += [levels[x] for x in ("recall", "application", "analysis")]
        assert int(cells.group(1).split()[0]) == expected[0]
        assert re.findall(r"(\d+) \(\d+%\)", cells.group(1)) == [str(n) for n in expected[1:]]
    one = {i for i, _ in _form(project, "FORM-01")}
    two = {i for i, _ in _form(project, "FORM-02")}
    both_scored = {i for i, s in _form(project, "FORM-01") if s} & {i for i, s in _form(project, "FORM-02") if s}
    overlap = _plain(page[page.index("<h2>Overlap between forms") :].split("</section>")[0])
    assert f"FORM-01 FORM-02 {len(both_scored)} {len(one & two)}" in overlap


def test_report_shows_a_stale_form(project: Path) -> None:
    gone = next(i for i, s in _form(project, "FORM-01") if s)
    area = int(gone.split("-")[1])
    next(p for p in (project / "bank").rglob(f"{gone}.yaml")).unlink()
    ran = cli("report", "--out", "r.html", cwd=project)
    assert ran.returncode == 0, ran.stderr
    page = (project / "r.html").read_text("utf-8")
    section = _plain(_section(page, "FORM-01"))
    assert "blueprint not met" in section and f"1 item(s) no longer valid in the bank: {gone}" in section
    assert re.search(rf"{area}\. [^0-9]+ (\d+) (\d+) -1", section)
    assert "IF201" in page  # the form's finding is among the report's findings
