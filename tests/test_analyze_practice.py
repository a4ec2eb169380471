"""`analyze` reads the result file the practice exam downloads (`export --format html`, Download
result): told from its first line or named with `--format practice`, concatenated files, candidates
who gave no name, the page's formula guard, and every problem located with its IA1xx code.

The files are written as `practice.js` (`resultCsv`) writes them: UTF-8, CRLF row ends, the header
`candidate,item,response`, a row per question in form order, `candidate` for a candidate who gave
no name, a letter or nothing. (tests/test_browser.py reads a file the page itself downloaded.)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from clirunner import cli
from conftest import yaml_load
from test_analyze_inputs import _read, _triples, _where, project  # noqa: F401 - `project` is a fixture

from cmas_bank.analyze import practice_results
from cmas_bank.analyze import responses as rd

OMIT = rd.OMIT
KEYS = {"AN-0001": "B", "AN-0002": "A", "AN-0003": "B"}  # the fixture bank's keys


def result_csv(candidate: str, answers: dict[str, str]) -> str:
    """A result file as the page writes it: header, a row per question, CRLF, RFC 4180 quoting,
    a `'` before a cell a spreadsheet would run as a formula."""

    def cell(value: str) -> str:
        if value[:1] in ("=", "+", "-", "@", "\t", "\r") or (value.startswith("'") and value.lstrip("'")[:1] in "=+-@"):
            value = "'" + value
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"\r\n') else value

    rows = ["candidate,item,response"] + [",".join(map(cell, (candidate, i, a))) for i, a in answers.items()]
    return "\r\n".join(rows) + "\r\n"


def write(root: Path, name: str, *texts: str) -> str:
    (root / name).write_bytes("".join(texts).encode("utf-8"))
    return name


def test_a_result_file_is_told_from_its_first_line_and_read(project: Path) -> None:  # noqa: F811
    name = write(project, "result-ann.csv", result_csv("Ann Lee", {"AN-0001": "B", "AN-0002": "C", "AN-0003": ""}))
    table = _read(project, name)
    assert table.diagnostics == []
    assert _triples(table) == {("Ann Lee", "AN-0001", 1), ("Ann Lee", "AN-0002", 2), ("Ann Lee", "AN-0003", OMIT)}
    assert practice_results.is_practice((project / name).read_bytes())
    # the same rows with LF row ends are our long CSV layout, which takes option texts too
    lf = write(project, "long.csv", "candidate,item,response\nBo,AN-0001,b\n")
    assert not practice_results.is_practice((project / lf).read_bytes())
    assert _triples(_read(project, lf)) == {("Bo", "AN-0001", 1)}


def test_concatenated_files_and_candidates_without_a_name(project: Path) -> None:  # noqa: F811
    answers = {"AN-0001": "B", "AN-0002": "A", "AN-0003": "D"}
    anonymous = result_csv("candidate", answers)
    joined = write(
        project,
        "all.csv",
        anonymous,  # rows 2-4
        result_csv("Ann Lee", answers),  # header at row 5 skipped, rows 6-8
        anonymous,  # header at row 9, rows 10-12: another anonymous attempt
        anonymous.split("\r\n", 1)[1],  # headers dropped by hand: rows 13-15, a third (AN-0001 comes again)
    )
    table = _read(project, joined)
    assert table.diagnostics == []
    assert sorted(table.candidates) == ["Ann Lee", "all.csv:10", "all.csv:13", "all.csv:2"]
    assert len(_triples(table)) == 12


def test_the_formula_guard_is_taken_off(project: Path) -> None:  # noqa: F811
    assert practice_results.unprotect("'=cmd") == "=cmd" and practice_results.unprotect("'x") == "'x"
    name = write(project, "r.csv", result_csv("=cmd|x", {"AN-0001": "B"}))
    assert "'=cmd|x" in (project / name).read_text()
    assert _triples(_read(project, name, fmt="practice")) == {("=cmd|x", "AN-0001", 1)}


def test_problems_are_located_with_codes(project: Path) -> None:  # noqa: F811
    bad = write(
        project,
        "bad.csv",
        "candidate,item,response\r\nAnn,AN-0009,A\r\nAnn,AN-0001,Yes\r\n,AN-0002,A\r\nAnn,AN-0002,E\r\n",
    )
    again = write(project, "again.csv", result_csv("Ann", {"AN-0003": "B"}), result_csv("Ann", {"AN-0003": "A"}))
    table = _read(project, bad, again)
    found = _where(table)
    assert found[0].startswith("bad.csv:2:2: IA105 unknown item id 'AN-0009'")
    assert found[1] == "bad.csv:3:3: IA107 response 'Yes' matches no option of AN-0001"
    assert found[2] == "bad.csv:4:1: IA110 row has no candidate id"
    assert found[3].startswith("bad.csv:5:3: IA106 response 'E' is not an option of AN-0002")
    rd.repeated(table)
    assert _where(table)[-1] == "again.csv:4:3: IA108 candidate 'Ann' answered AN-0003 already"


def test_format_practice_refuses_another_header(project: Path) -> None:  # noqa: F811
    name = write(project, "wide.csv", "candidate,AN-0001\r\nAnn,B\r\n")
    table = _read(project, name, fmt="practice")
    message = "header 'candidate,AN-0001' is not the practice exam's result file header `candidate,item,response`"
    assert _where(table) == [f"wide.csv:1:1: IA104 {message}"]


def test_analyze_statistics_from_practice_results(project: Path) -> None:  # noqa: F811
    """Forty candidates' downloaded files, concatenated: the p-values in the stats file are the
    shares of right answers counted here."""
    texts = []
    right = dict.fromkeys(KEYS, 0)
    for n in range(40):
        answers = {}
        for k, (item_id, key) in enumerate(KEYS.items()):
            correct = (n + k) % (k + 2) != 0
            answers[item_id] = key if correct else ("C" if n % 3 else "")
            right[item_id] += correct
        texts.append(result_csv("candidate" if n % 4 == 0 else f"S{n:03d}", answers))
    write(project, "results.csv", *texts)
    ran = cli("analyze", "results.csv", "--out", "stats/practice.yaml", "--date", "2026-05-01", cwd=project)
    assert ran.returncode in (0, 1) and "IA1" not in ran.stdout, ran.stdout + ran.stderr
    doc = yaml_load((project / "stats" / "practice.yaml").read_text())
    (form,) = doc["forms"]
    assert form["candidates"] == 40 and doc["sources"] == ["results.csv"]
    for item_id, count in right.items():
        assert form["items"][item_id]["p"] == round(count / 40, 4)
    rows = list(csv.reader(io.StringIO((project / "results.csv").read_text())))
    assert sum(1 for r in rows if r == ["candidate", "item", "response"]) == 40
    bad = cli("analyze", "results.csv", "--format", "practice", "--out", "s.yaml", cwd=project)
    assert bad.returncode == ran.returncode
