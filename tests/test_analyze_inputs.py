"""`analyze` reads QTI 2.1/3.0 results XML, Moodle's quiz Responses report and Canvas's Student
Analysis into the same long table as our CSV layouts, locating every problem.

The fixtures under tests/fixtures/analyze/ are written as the platforms write them (headers,
namespaces, quoting); the bank there holds three items whose stems and options they quote.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from clirunner import cli
from conftest import FIXTURES, yaml_load

from cmas_bank.analyze import inputs
from cmas_bank.analyze import responses as rd

HERE = FIXTURES / "analyze"
OMIT = rd.OMIT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(HERE, tmp_path / "p")
    root = tmp_path / "p"
    outline = (FIXTURES / "outlines" / "mini-exam.yaml").as_posix()
    (root / "pyproject.toml").write_text(f'[tool.cmas-bank]\nbank = "bank"\noutline = "{outline}"\n')
    return root


def _bank(root: Path) -> list:
    from cmas_bank.config import load_config
    from cmas_bank.engine.run import Job, run_check
    from cmas_bank.outline import load_outline

    config = load_config(cwd=root)
    outline = load_outline(config.outline, config.root)
    return run_check([config.bank], config, outline, job=Job(stages=("validate",), items=True), use_cache=False).items


def _read(root: Path, *names: str, fmt: str = "auto") -> rd.Responses:
    return inputs.read_responses([root / name for name in names], _bank(root), fmt)


def _triples(table: rd.Responses) -> set[tuple[str, str, int]]:
    """(candidate, item, code) of every response read."""
    import numpy as np

    cand, item, code = (np.concatenate(a) for a in (table.cand, table.item, table.code))
    return {(table.candidates[c], table.items[i], int(k)) for c, i, k in zip(cand, item, code, strict=True)}


def _where(table: rd.Responses) -> list[str]:
    return [f"{Path(d.path).name}:{d.line}:{d.column}: {d.code} {d.message}" for d in table.diagnostics]


# --- QTI results -----------------------------------------------------------------------------------

QTI_EXPECTED = {
    ("S1001", "AN-0001", 1),
    ("S1001", "AN-0002", 2),
    ("S1001", "AN-0003", OMIT),  # an empty candidateResponse is an omission
    ("S1002", "AN-0001", 0),
    ("S1002", "AN-0002", 0),
    ("S1002", "AN-0003", 1),
}


def test_qti21_and_qti30_results_give_the_long_table(project: Path) -> None:
    table = _read(project, "qti21-result-S1001.xml", "qti30-result-S1002.xml")
    assert table.diagnostics == []
    assert _triples(table) == QTI_EXPECTED  # numAttempts and duration variables are not responses
    # each response is located at its RESPONSE variable's line
    _, lines, _ = table.where[0]
    text = (project / "qti21-result-S1001.xml").read_text().splitlines()
    assert all('identifier="RESPONSE"' in text[line - 1] for line in lines)


def test_qti30_kebab_spelling_reads_alike(project: Path) -> None:
    """Element and attribute names as QTI 3.0 content spells them (qti-kebab-case) read the same."""
    source = (project / "qti30-result-S1002.xml").read_text()

    def kebab(name: str) -> str:
        return re.sub(r"([A-Z])", lambda m: "-" + m[1].lower(), name)

    spelled = re.sub(r"(</?)([a-z][A-Za-z]*)(?=[\s>/])", lambda m: m[1] + "qti-" + kebab(m[2]), source)
    spelled = re.sub(r" (sourcedId|sequenceIndex|sessionStatus|baseType)=", lambda m: f" {kebab(m[1])}=", spelled)
    assert "<qti-assessment-result" in spelled and "sourced-id=" in spelled
    (project / "kebab.xml").write_text(spelled)
    table = _read(project, "kebab.xml")
    assert table.diagnostics == []
    assert _triples(table) == {t for t in QTI_EXPECTED if t[0] == "S1002"}


def _edit(project: Path, name: str, old: str, new: str, count: int = 1) -> str:
    text = (project / "qti21-result-S1001.xml").read_text()
    assert old in text
    (project / name).write_text(text.replace(old, new, count))
    return name


def _line_of(project: Path, name: str, needle: str, nth: int = 0) -> int:
    lines = (project / name).read_text().splitlines()
    return [n for n, line in enumerate(lines, 1) if needle in line][nth]


def test_qti_problems_are_located_at_file_line(project: Path) -> None:
    bad_choice = _edit(project, "e.xml", "<value>C</value>", "<value>ChoiceC</value>")
    table = _read(project, bad_choice)
    line = _line_of(project, "e.xml", 'identifier="RESPONSE"', 1)
    assert _where(table) == [
        (
            f"e.xml:{line}:1: IA106 choice identifier 'ChoiceC' is not an option of AN-0002 "
            "(A to D, as the qti21 and qti30 exports name the choices)"
        )
    ]
    unknown = _edit(project, "u.xml", 'identifier="AN-0002"', 'identifier="AN-9999"')
    line = _line_of(project, "u.xml", "AN-9999")
    assert _where(_read(project, unknown))[0].startswith(f"u.xml:{line}:1: IA105 unknown item id 'AN-9999'")
    anonymous = _edit(project, "n.xml", ' identifier="AN-0003"', "")
    line = _line_of(project, "n.xml", 'sequenceIndex="3"')
    assert _where(_read(project, anonymous)) == [
        f"n.xml:{line}:1: IA115 itemResult has no identifier: which item it answers is unknown"
    ]
    two = _edit(project, "t.xml", "<value>C</value>", "<value>C</value><value>D</value>")
    assert "IA115 2 values for AN-0002's single response (C, D)" in _where(_read(project, two))[0]
    nobody = _edit(project, "c.xml", 'sourcedId="S1001"', "")
    text = (project / nobody).read_text().replace(' identifier="session-5521"', "")
    (project / nobody).write_text(text)
    # libxml2 numbers an element by the line its start tag ends on (the root's tag spans lines 3-5)
    assert _where(_read(project, nobody))[0].startswith("c.xml:5:1: IA110 assessmentResult has no candidate")


def test_malformed_foreign_and_hostile_xml_is_refused(project: Path) -> None:
    (project / "broken.xml").write_text(
        '<?xml version="1.0"?>\n<assessmentResult>\n  <context sourcedId="x">\n</assessmentResult>\n'
    )
    (found,) = _where(_read(project, "broken.xml"))
    assert found.startswith("broken.xml:4:") and " IA113 XML syntax error: " in found
    (project / "quiz.xml").write_text('<?xml version="1.0"?>\n<quiz>\n  <question type="multichoice"/>\n</quiz>\n')
    assert _where(_read(project, "quiz.xml")) == [
        (
            "quiz.xml:2:1: IA112 XML root <quiz> is not a QTI results report (assessmentResult): "
            "give a QTI 2.1 or 3.0 results file, or a CSV"
        )
    ]
    lol = "".join(f'  <!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE assessmentResult [\n  <!ENTITY l0 "lol">\n'
        + lol
        + ']>\n<assessmentResult><context sourcedId="&l9;"/></assessmentResult>\n'
    )
    (project / "bomb.xml").write_text(bomb)
    external = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<assessmentResult><context sourcedId="&x;"/></assessmentResult>\n'
    (project / "xxe.xml").write_text(external)
    started = time.perf_counter()
    table = _read(project, "bomb.xml", "xxe.xml")
    assert time.perf_counter() - started < 2
    assert [d.code for d in table.diagnostics] == ["IA114", "IA114"]
    assert _where(table)[0].startswith("bomb.xml:2:1: IA114 XML with a DOCTYPE (entity declarations) is refused")
    assert table.candidates == []  # nothing was read from them
    ran = cli("analyze", "bomb.xml", cwd=project)
    assert ran.returncode == 1 and "root:" not in ran.stdout and "IA114" in ran.stdout


# --- Moodle ----------------------------------------------------------------------------------------

PLATFORM_EXPECTED = {
    ("S1001", "AN-0001", 1),
    ("S1001", "AN-0002", 2),
    ("S1001", "AN-0003", OMIT),
    ("S1002", "AN-0001", 0),
    ("S1002", "AN-0002", 0),
    ("S1002", "AN-0003", 1),
    ("S1003", "AN-0001", 1),
    ("S1003", "AN-0002", 0),
    ("S1003", "AN-0003", 1),
}


def test_moodle_responses_report_gives_the_long_table(project: Path) -> None:
    """Option texts map to letters (case ignored, `-` is no answer); each slot's item is found from
    the `Question N` summary, even when the stem holds a colon of its own (AN-0002's `Note:`)."""
    table = _read(project, "moodle-responses.csv")
    assert table.diagnostics == []
    assert _triples(table) == PLATFORM_EXPECTED
    assert table.where[0][2].tolist()[:3] == [11, 14, 17]  # located at the Response N columns


def _rewrite(project: Path, source: str, name: str, old: str, new: str) -> str:
    text = (project / source).read_text(encoding="utf-8-sig")
    assert old in text
    (project / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return name


def test_moodle_problems_are_located_at_file_row_column(project: Path) -> None:
    name = _rewrite(project, "moodle-responses.csv", "m.csv", "CMS-1450,CMS-1500", "CMS 1450 (UB-04),CMS-1500")
    assert _where(_read(project, name)) == [
        "m.csv:3:11: IA107 response 'CMS 1450 (UB-04)' matches no option of AN-0001"
    ]
    name = _rewrite(project, "moodle-responses.csv", "q.csv", "Which code set", "Which coding system")
    (found,) = _where(_read(project, name))
    assert found.startswith("q.csv:2:16: IA105 question 3 ('Which coding system reports")
    assert found.endswith("starts with no item's stem; its responses are left out")
    text = (project / "moodle-responses.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    keep = [i for i, h in enumerate(rows[0]) if not h.startswith("Question")]
    with (project / "noq.csv").open("w", newline="") as fh:
        csv.writer(fh).writerows([[r[i] for i in keep] for r in rows])
    (found,) = _where(_read(project, "noq.csv"))
    assert found.startswith(
        "noq.csv:1:10: IA104 `Response 1` has no `Question 1` column: download the Responses report"
    )


# --- Canvas ----------------------------------------------------------------------------------------


def test_canvas_student_analysis_gives_the_long_table(project: Path) -> None:
    """The candidate is `sis_id`, else the Canvas user id; an empty cell is an omission."""
    table = _read(project, "canvas-student-analysis.csv")
    assert table.diagnostics == []
    expected = {(("5103",) + t[1:] if t[0] == "S1003" else t) for t in PLATFORM_EXPECTED}
    assert _triples(table) == expected


def test_canvas_problems_are_located_at_file_row_column(project: Path) -> None:
    name = _rewrite(project, "canvas-student-analysis.csv", "c.csv", "$800.00,1.0,CPT", "$80.00,1.0,CPT")
    assert _where(_read(project, name)) == ["c.csv:3:11: IA107 response '$80.00' matches no option of AN-0002"]
    name = _rewrite(project, "canvas-student-analysis.csv", "h.csv", "48213: Which code set", "48213: Which tax form")
    (found,) = _where(_read(project, name))
    assert found.startswith("h.csv:1:13: IA105 question 48213 ('Which tax form")
    assert found.endswith("matches no item's stem; its responses are left out")


# --- format detection and --format -------------------------------------------------------------------


def test_format_is_told_from_content_or_named(project: Path) -> None:
    for name in ("moodle-responses.csv", "canvas-student-analysis.csv", "qti21-result-S1001.xml"):
        auto = cli("analyze", name, cwd=project)
        assert auto.returncode == 1 and "IA1" not in auto.stdout and "IA301" in auto.stdout, name
    both = cli("analyze", "moodle-responses.csv", "qti21-result-S1001.xml", "qti30-result-S1002.xml", cwd=project)
    assert both.stdout.startswith("qti21-result-S1001.xml:25:1: IA108 candidate 'S1001' answered AN-0001 already")
    named = cli("analyze", "--format", "moodle", "moodle-responses.csv", cwd=project)
    assert "IA1" not in named.stdout and "3 candidate(s)" in named.stdout
    wrong = cli("analyze", "--format", "csv", "moodle-responses.csv", cwd=project)
    assert wrong.stdout.startswith(
        "moodle-responses.csv:1:1: IA104 no `candidate` column: neither the long nor the wide layout\n"
    )
    assert cli("analyze", "--format", "canvas", "moodle-responses.csv", cwd=project).stdout.startswith(
        "moodle-responses.csv:1:1: IA104 no `id` or `sis_id` column: not a Canvas student analysis report"
    )
    assert " IA113 " in cli("analyze", "--format", "qti", "canvas-student-analysis.csv", cwd=project).stdout
    (project / "other.csv").write_text("who,what\nC1,A\n")
    unknown = cli("analyze", "other.csv", cwd=project)
    assert "IA104 no `candidate` column" in unknown.stdout and "name the format with --format" in unknown.stdout
    (project / "book.xlsx").write_bytes(b"PK\x03\x04" + bytes(40))
    assert cli("analyze", "book.xlsx", cwd=project).stdout.startswith(
        "book.xlsx:1:1: IA112 a zip archive (an .xlsx workbook?)"
    )
    bad = cli("analyze", "--format", "spss", "other.csv", cwd=project)
    assert bad.returncode == 2 and "spss" in bad.stderr


# --- the same statistics whatever the input ---------------------------------------------------------


def _generated(tmp_path: Path):
    from bench.generate import generate_bank
    from bench.simulate_responses import bank_items, simulate, write

    root = tmp_path / "gen"
    generate_bank(root / "bank", 30, seed=11, duplicate_rate=0, hard_negative_rate=0, flaw_rate=0)
    (root / "pyproject.toml").write_text('[tool.cmas-bank]\nbank = "bank"\n')
    ids, keys = bank_items(root / "bank")
    sim = simulate(ids, keys, candidates=150, seed=2)
    write(sim, root / "wide.csv")
    items = {i: yaml_load(next((root / "bank").rglob(f"{i}.yaml")).read_text()) for i in ids}
    return root, sim, ids, items


def _canvas(path: Path, sim, ids: list[str], items: dict) -> None:
    head = ["name", "id", "sis_id", "section", "section_id", "section_sis_id", "submitted", "attempt"]
    for n, i in enumerate(ids):
        head += [f"{9000 + n}: {items[i]['stem']}", "1.0"]
    rows = [[*head, "n correct", "n incorrect", "score"]]
    for c in range(len(sim.responses)):
        row = [f"Cand {c}", str(7000 + c), f"C{c + 1:06d}", "S1", "1", "S1", "2026-05-01 10:00:00 UTC", "1"]
        for j, i in enumerate(ids):
            code = int(sim.responses[c, j])
            row += ["" if code == OMIT else items[i]["options"]["ABCD"[code]], "0.0"]
        rows.append([*row, "0", "0", "0"])
    with path.open("w", newline="") as fh:
        csv.writer(fh).writerows(rows)


def _qti(folder: Path, sim, ids: list[str]) -> list[str]:
    folder.mkdir()
    names = []
    for c in range(len(sim.responses)):
        results = "".join(
            f'<itemResult identifier="{i}" sequenceIndex="{j + 1}" datestamp="2026-05-01T10:00:00Z" sessionStatus="final">'
            '<responseVariable identifier="RESPONSE" cardinality="single" baseType="identifier"><candidateResponse>'
            + ("" if int(sim.responses[c, j]) == OMIT else f"<value>{'ABCD'[int(sim.responses[c, j])]}</value>")
            + "</candidateResponse></responseVariable></itemResult>\n"
            for j, i in enumerate(ids)
        )
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<assessmentResult xmlns="http://www.imsglobal.org/xsd/imsqti_result_v2p1">'
            f'<context sourcedId="C{c + 1:06d}"/>\n{results}</assessmentResult>\n'
        )
        (folder / f"{c}.xml").write_text(doc)
        names.append(f"{folder.name}/{c}.xml")
    return names


def test_every_input_gives_the_statistics_of_the_wide_csv(tmp_path: Path) -> None:
    root, sim, ids, items = _generated(tmp_path)
    _canvas(root / "canvas.csv", sim, ids, items)
    qti = _qti(root / "qti", sim, ids)
    docs = {}
    for name, files in (("wide", ["wide.csv"]), ("canvas", ["canvas.csv"]), ("qti", qti)):
        ran = cli("analyze", *files, "-o", f"{name}.json", "--date", "2026-05-01", cwd=root)
        assert "IA1" not in ran.stdout, ran.stdout[:500]
        docs[name] = json.loads((root / f"{name}.json").read_text())["forms"]
    assert docs["wide"][0]["items"] and docs["canvas"] == docs["wide"] and docs["qti"] == docs["wide"]
