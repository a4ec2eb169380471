"""Responses as learning platforms report them: Moodle's quiz "Responses" report and Canvas's
"Student Analysis", both CSV, read into the same long table as our own layouts (`responses.py`).

Neither report names our item ids, and both give the chosen option's text, not a letter:

- **Moodle** (Quiz > Results > Responses, downloaded as CSV): a row per attempt; the candidate is
  the first identity column shown (`ID number`, `Username`, `Email address`), else the full name;
  per question slot a `Response N` column (the chosen option's text, `-` or empty when not
  answered) and a `Question N` column (the question summary Moodle writes, `stem: option; option;
  ...`). The report must be downloaded with the question text shown: the slot's item is the one
  whose stem the summary starts with (random questions put different items in one slot).
- **Canvas** (Classic Quizzes, Quiz Statistics > Student Analysis): a row per submission, columns
  `name`, `id`, `sis_id`, `section`, `section_id`, `section_sis_id`, `submitted`, `attempt`, then per
  question `QUESTION_ID: question text` (the chosen option's text) followed by a column of the
  points it scored, and `n correct`, `n incorrect`, `score`. The candidate is `sis_id`, else the
  Canvas user `id`; the question's item is the one whose stem is the header's text.

A response text is matched to the item's options with case and runs of spaces ignored; one that
matches none is IA107, a question text that matches no stem IA105.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from cmas_bank.analyze.responses import (
    BAD_HEADER,
    NO_CANDIDATE,
    OMIT,
    UNKNOWN_ITEM,
    Key,
    Scorer,
    _diag,
    normalise_text,
)

_RESPONSE = re.compile(r"response (\d+)")
_QUESTION = re.compile(r"question (\d+)")
_CANVAS_QUESTION = re.compile(r"(\d+)\s*:\s*(.*)", re.DOTALL)
MOODLE_IDENTITY = ("id number", "idnumber", "username", "email address", "email")
CANVAS_COLUMNS = {"name", "id", "sis_id", "section", "section_id", "section_sis_id", "submitted", "attempt"}
CANVAS_TAIL = {"n correct", "n incorrect", "score"}
_ELLIPSIS = ("...", "\u2026")


def detect(header: list[str]) -> str:
    """The platform a CSV header comes from: `moodle`, `canvas`, or `csv` (our long or wide layout)."""
    names = {normalise_text(cell) for cell in header}
    if any(_RESPONSE.fullmatch(name) for name in names):
        return "moodle"
    if {"sis_id", "attempt"} <= names and (names & {"section_sis_id", "n correct"}):
        return "canvas"
    return "csv"


class Stems:
    """Finds the item of a question text by its stem (case and runs of spaces ignored)."""

    def __init__(self, keys: Mapping[str, Key]):
        self.keys = keys
        self.exact: dict[str, str | None] = {}  # stem -> item id; None when two items share it
        for key in keys.values():
            if key.stem:
                self.exact[key.stem] = None if key.stem in self.exact else key.id

    def _found(self, stem: str) -> tuple[Key | None, str]:
        item_id = self.exact[stem]
        if item_id is None:
            return None, "matches the stem of more than one item"
        return self.keys[item_id], ""

    def find(self, text: str) -> tuple[Key | None, str]:
        """The item whose stem is `text` (a Canvas header; a text cut short with `...` matches the
        one stem it starts), or why there is none."""
        norm = normalise_text(text)
        if norm in self.exact:
            return self._found(norm)
        if norm.endswith(_ELLIPSIS):
            head = norm.rstrip(".\u2026 ")
            starts = [stem for stem in self.exact if head and stem.startswith(head)]
            if len(starts) == 1:
                return self._found(starts[0])
        return None, "matches no item's stem"

    def summary(self, text: str) -> tuple[Key | None, str]:
        """The item of a Moodle question summary (`stem: option; option; ...`): the longest stem
        the summary starts with, followed by `:` or nothing."""
        norm = normalise_text(text)
        cuts = [norm, *(norm[:i] for i in range(len(norm) - 1, 0, -1) if norm[i] == ":")]
        for cut in cuts:
            if cut in self.exact:
                return self._found(cut)
        return None, "starts with no item's stem"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells)) if len(cells) < width else cells


class _Table:
    """The responses of one file, gathered before they join `Responses`."""

    def __init__(self) -> None:
        self.cands: list[int] = []
        self.items: list[int] = []
        self.codes: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []

    def add(self, scorer: Scorer, cand: int, key: Key, code: int, row: int, column: int) -> None:
        self.cands.append(cand)
        self.items.append(scorer.out.item_index(key.id))
        self.codes.append(code)
        self.rows.append(row)
        self.cols.append(column)

    def flush(self, source: str, scorer: Scorer) -> None:
        scorer.out.add(source, self.cands, self.items, self.codes, self.rows, self.cols)


def _code(scorer: Scorer, source: str, key: Key, cell: str, row: int, column: int, empty: tuple[str, ...]) -> int:
    text = cell.strip()
    return OMIT if text in empty else scorer.text(source, key, text, row, column)


def _moodle_candidate(names: list[str]) -> list[int]:
    """The columns that name the candidate: the first identity column, else the name columns."""
    for wanted in MOODLE_IDENTITY:
        if wanted in names:
            return [names.index(wanted)]
    return [i for i, name in enumerate(names) if name in ("first name", "surname", "last name")]


def _moodle_header(source: str, header: list[str], scorer: Scorer) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """The candidate columns and, per slot, its (response, question) columns; empty when the
    header is not one `read_moodle` can read (reported)."""
    names = [normalise_text(cell) for cell in header]
    responses = {int(m[1]): i for i, name in enumerate(names) if (m := _RESPONSE.fullmatch(name))}
    questions = {int(m[1]): i for i, name in enumerate(names) if (m := _QUESTION.fullmatch(name))}
    report = scorer.out.report
    if not responses:
        report(_diag(source, BAD_HEADER, "no `Response 1` column: not a Moodle quiz responses report"))
        return [], {}
    lacking = sorted(set(responses) - set(questions))
    if lacking:
        message = (
            f"`Response {lacking[0]}` has no `Question {lacking[0]}` column: download the Responses report with "
            "the question text shown, so that each response can be matched to its item by its stem"
        )
        report(_diag(source, BAD_HEADER, message, 1, responses[lacking[0]] + 1))
        return [], {}
    who = _moodle_candidate(names)
    if not who:
        message = "no column names the candidate: show `ID number`, `Username` or `Email address` in the report"
        report(_diag(source, BAD_HEADER, message))
        return [], {}
    return who, {slot: (responses[slot], questions[slot]) for slot in sorted(responses)}


def read_moodle(source: str, rows: Iterator[tuple[int, list[str]]], header: list[str], scorer: Scorer) -> None:
    """Add a Moodle quiz responses report to `scorer.out` (see the module's docstring)."""
    who, slots = _moodle_header(source, header, scorer)
    if not slots:
        return
    out, stems, table = scorer.out, Stems(scorer.keys), _Table()
    width = max([*who, *(c for pair in slots.values() for c in pair)]) + 1
    items: dict[str, Key | None] = {}  # question summary -> its item
    for row, cells in rows:
        cells = _pad(cells, width)
        name = " ".join(cells[i].strip() for i in who if cells[i].strip())
        if not name:
            out.report(_diag(source, NO_CANDIDATE, "row has no candidate id", row, who[0] + 1))
            continue
        cand = out.candidate(name)
        for slot, (r_col, q_col) in slots.items():
            summary = cells[q_col].strip()
            if not summary or summary == "-":
                continue  # the slot was not in this attempt
            if summary not in items:
                items[summary], why = stems.summary(summary)
                if items[summary] is None:
                    message = f"question {slot} ({_shown(summary)!r}) {why}; its responses are left out"
                    out.report(_diag(source, UNKNOWN_ITEM, message, row, q_col + 1))
            key = items[summary]
            if key is not None:
                table.add(
                    scorer,
                    cand,
                    key,
                    _code(scorer, source, key, cells[r_col], row, r_col + 1, ("", "-")),
                    row,
                    r_col + 1,
                )
    table.flush(source, scorer)


def _canvas_questions(source: str, header: list[str], scorer: Scorer) -> list[tuple[int, Key]]:
    stems = Stems(scorer.keys)
    found = []
    for index, cell in enumerate(header):
        if normalise_text(cell) in CANVAS_COLUMNS | CANVAS_TAIL:
            continue
        match = _CANVAS_QUESTION.fullmatch(cell.strip())
        if match is None:
            continue  # a points column
        key, why = stems.find(match[2])
        if key is None:
            message = f"question {match[1]} ({_shown(match[2])!r}) {why}; its responses are left out"
            scorer.out.report(_diag(source, UNKNOWN_ITEM, message, 1, index + 1))
        else:
            found.append((index, key))
    return found


def read_canvas(source: str, rows: Iterator[tuple[int, list[str]]], header: list[str], scorer: Scorer) -> None:
    """Add a Canvas student analysis report to `scorer.out` (see the module's docstring)."""
    names = [normalise_text(cell) for cell in header]
    out = scorer.out
    if "id" not in names and "sis_id" not in names:
        message = "no `id` or `sis_id` column: not a Canvas student analysis report"
        out.report(_diag(source, BAD_HEADER, message))
        return
    questions = _canvas_questions(source, header, scorer)
    who = [names.index(n) for n in ("sis_id", "id") if n in names]
    width = max([*who, *(i for i, _ in questions)]) + 1
    table = _Table()
    for row, cells in rows:
        cells = _pad(cells, width)
        name = next((cells[i].strip() for i in who if cells[i].strip()), "")
        if not name:
            out.report(_diag(source, NO_CANDIDATE, "row has no candidate id (`sis_id` or `id`)", row, who[0] + 1))
            continue
        cand = out.candidate(name)
        for index, key in questions:
            table.add(
                scorer, cand, key, _code(scorer, source, key, cells[index], row, index + 1, ("",)), row, index + 1
            )
    table.flush(source, scorer)
