"""`cmas-bank import qti|moodle|gift`: questions from an LMS or a QTI package as draft items.

A reader per format (`qti.py` for QTI 2.1, 3.0 and Canvas's QTI 1.2, `moodle.py`, `gift.py`)
turns the file into `Question` records, each located (file:line; `package.zip!/entry:line` in a
package). This module turns a record into item data, checks it with the same code as `validate`
and plans its file with `import csv`'s machinery (`cmas_bank.importer.plan_item`): nothing is
written unless every question is clean, an existing item is only replaced with `--force`, and
files are written all or nothing.

A question the bank cannot hold (not single-choice with four options, partial credit,
answer-dependent feedback, images...) is listed with its reason (IM401, a warning) and
skipped; the others are imported. What a record becomes:

- id: the first candidate (QTI identifier; Moodle idnumber, then name; GIFT `[id:...]`, then
  `::title::`; Canvas `cmas_bank_id`, then ident) that matches the id pattern; none is IM303.
- work area and sub-area: from the category path (`.../4. Name/4C Name`: the last segment that
  starts with a sub-area code, and the segment `N. ...` for the work area, else the code's
  digits), Canvas's `cmas_bank_work_area`/`cmas_bank_sub_area`, or QTI's LOM taxon path; else
  `--subarea`; else IM304.
- status draft, authors `--author`, created and updated today, no reviews, enemies or suppress;
  difficulty and cognitive level from QTI's metadata, else medium and recall (a note says so).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmas_bank.diagnostics import Diagnostic, Severity, display_path, sort_key
from cmas_bank.model import ID_PATTERN, OPTION_KEYS
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.importer import ImportPlan

NO_ID = "IM303"
NO_AREA = "IM304"
NO_QUESTIONS = "IM113"
SKIPPED = "IM401"
DEFAULT_DIFFICULTY = "medium"
DEFAULT_LEVEL = "recall"
DEFAULT_AUTHOR = "imported"


@dataclass
class Question:
    """One question as a reader found it."""

    path: str  # the file, or `package.zip!/entry`
    line: int
    label: str  # how messages name it: its title, id or position
    ids: list[tuple[str, str]] = field(default_factory=list)  # (where from, value), best first
    category: list[str] = field(default_factory=list)  # path segments, outermost first
    stem: str = ""
    options: list[str] = field(default_factory=list)
    answer: int = -1
    rationale: str = ""
    references: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    difficulty: str | None = None
    cognitive_level: str | None = None
    skip: str | None = None  # why the bank cannot hold it
    error: tuple[str, str] | None = None  # (code, message): the question cannot be read (GIFT syntax)

    def diag(self, code: str, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
        return Diagnostic(self.path, self.line, 1, code, message, severity)


@dataclass(frozen=True)
class Defaults:
    author: str = DEFAULT_AUTHOR
    subarea: str | None = None
    today: str = field(default_factory=lambda: dt.date.today().isoformat())


_AREA = re.compile(r"(\d+)\.(?:\s|$)")
_SUB = re.compile(r"(\d+[A-Z])(?:\s|$)")


def area_of(segments: list[str], fallback: str | None) -> tuple[int, str] | None:
    """(work area, sub-area) from a category path's segments, else from `fallback` (a code)."""
    sub = next((m.group(1) for s in reversed(segments) if (m := _SUB.match(s.strip()))), None)
    if sub is None:
        sub = fallback
    if sub is None or not _SUB.fullmatch(sub):
        return None
    area = next((int(m.group(1)) for s in segments if (m := _AREA.match(s.strip()))), None)
    return (area if area is not None else int(sub[:-1])), sub


def split_category(path: str) -> list[str]:
    """Moodle's category path: `/` separates names, `//` is a `/` inside a name."""
    return [part.replace("\x00", "/") for part in path.replace("//", "\x00").split("/") if part.strip()]


def _item_id(question: Question) -> str | None:
    return next((value for _, value in question.ids if re.match(ID_PATTERN, value)), None)


def item_data(question: Question, defaults: Defaults) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The item fields of a question, or the IM303/IM304 findings that stop it."""
    problems: list[Diagnostic] = []
    item_id = _item_id(question)
    if item_id is None:
        tried = ", ".join(f"{where} {value!r}" for where, value in question.ids) or "no identifier at all"
        problems.append(
            question.diag(NO_ID, f"{question.label}: no usable item id ({tried}); an id must match {ID_PATTERN}")
        )
    placed = area_of(question.category, defaults.subarea)
    if placed is None:
        where = "/".join(question.category) or "none"
        message = f"{question.label}: no work area and sub-area (category {where!r}); name it `N. ...` / `NX ...` or pass --subarea"
        problems.append(question.diag(NO_AREA, message))
    if problems or placed is None:
        return None, problems
    return {
        "id": item_id,
        "domain": placed[0],
        "subdomain": placed[1],
        "status": "draft",
        "difficulty": question.difficulty or DEFAULT_DIFFICULTY,
        "cognitive_level": question.cognitive_level or DEFAULT_LEVEL,
        "stem": question.stem,
        "options": dict(zip(OPTION_KEYS, question.options, strict=True)),
        "answer": OPTION_KEYS[question.answer],
        "rationale": question.rationale,
        "references": list(question.references),
        "authors": [defaults.author],
        "reviews": [],
        "tags": list(question.tags),
        "enemies": [],
        "suppress": {},
        "created": defaults.today,
        "updated": defaults.today,
    }, []


def plan_questions(
    plan: ImportPlan,
    questions: list[Question],
    source: Path,
    out: Path,
    outline: Outline,
    defaults: Defaults,
    *,
    force: bool,
    schema: Path | None,
    root: Path | None,
) -> None:
    """Check every question as an item and plan its file (`import csv`'s rules)."""
    from cmas_bank.importer import REPEATED_ID, Placed, plan_item
    from cmas_bank.loader import LoadedFile
    from cmas_bank.validate import discover, validate_loaded

    existing = {p.stem: p for p in discover([out], allow_empty=True)} if out.exists() else {}
    first: dict[str, Question] = {}
    guessed = 0
    for question in questions:
        plan.rows += 1
        if question.skip:
            plan.skipped.append(question.diag(SKIPPED, f"{question.label}: skipped: {question.skip}", Severity.WARNING))
            continue
        if question.error:
            plan.diagnostics.append(question.diag(question.error[0], f"{question.label}: {question.error[1]}"))
            continue
        data, problems = item_data(question, defaults)
        plan.diagnostics.extend(problems)
        if data is None:
            continue
        guessed += question.difficulty is None or question.cognitive_level is None
        loaded = LoadedFile(path=source, display=question.path, text=None, data=data)
        loaded.values[()] = (question.line, 1)
        for name in data:
            loaded.values[(name,)] = loaded.keys[(name,)] = (question.line, 1)
        checked = validate_loaded(loaded, outline)
        plan.diagnostics.extend(checked.diagnostics)
        item = checked.item
        if item is None or checked.diagnostics:
            continue
        where = Placed(question.path, question.line, 1, f"{question.label}: ")
        if item.id in first:
            earlier = first[item.id]
            at = f"line {earlier.line}" if earlier.path == question.path else f"{earlier.path}:{earlier.line}"
            message = f"id {item.id!r} is already the id of the question at {at}"
            plan.diagnostics.append(where.diag(REPEATED_ID, message, item.id))
            continue
        first[item.id] = question
        plan_item(plan, item, where, existing, out, outline, force, schema, root)
    if guessed:
        plan.notes.append(
            f"{guessed} item(s): the file does not carry difficulty or cognitive level; imported as "
            f"{DEFAULT_DIFFICULTY} and {DEFAULT_LEVEL}: set them before review"
        )


def plan_format_import(
    fmt: str,
    path: Path,
    out: Path,
    outline: Outline,
    *,
    force: bool = False,
    schema: Path | None = None,
    root: Path | None = None,
    defaults: Defaults | None = None,
) -> ImportPlan:
    """Read `path` in format `fmt` (qti, moodle, gift) and plan the files; writes nothing."""
    from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular
    from cmas_bank.importer import MAX_CSV_BYTES, READ_ERROR, ImportPlan
    from cmas_bank.importfmt.safe import InputError

    plan = ImportPlan(source=display_path(path.absolute(), root))
    defaults = defaults or Defaults()
    try:
        raw = read_regular(path, MAX_CSV_BYTES)
        questions = _reader(fmt)(raw, plan.source, path.suffix.lower())
        if not questions:
            raise InputError(NO_QUESTIONS, f"no questions found in this {fmt} file")
        plan_questions(plan, questions, path, out, outline, defaults, force=force, schema=schema, root=root)
    except (FileTooLarge, NotRegularFile) as exc:
        plan.diagnostics.append(Diagnostic(plan.source, 1, 1, READ_ERROR, str(exc.strerror)))
    except OSError as exc:
        plan.diagnostics.append(Diagnostic(plan.source, 1, 1, READ_ERROR, f"cannot read file: {exc.strerror or exc}"))
    except InputError as exc:
        plan.files.clear()
        plan.diagnostics.append(Diagnostic(exc.path or plan.source, exc.line, exc.column, exc.code, exc.message))
    plan.diagnostics.sort(key=sort_key)
    plan.skipped.sort(key=sort_key)
    return plan


def _reader(fmt: str) -> Any:
    if fmt == "qti":
        from cmas_bank.importfmt.qti import read_qti

        return read_qti
    if fmt == "moodle":
        from cmas_bank.importfmt.moodle import read_moodle

        return read_moodle
    from cmas_bank.importfmt.gift import read_gift

    return read_gift
