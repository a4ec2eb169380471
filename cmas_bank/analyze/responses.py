"""Reading candidate responses into one long table: candidate, item, response, form.

`inputs.read_file` tells a file's format from its content (or takes `--format`): XML goes to
`qti_results.py` (QTI 2.1/3.0 results reporting), a CSV whose header is a Moodle responses report
or a Canvas student analysis to `platforms.py`, any other CSV is one of our two layouts (UTF-8, a
byte-order mark accepted; the header is row 1, columns count from 1):

- **long**: a row per response, columns `candidate`, `item`, `response` and optionally `form`;
- **wide**: a row per candidate, a column `candidate`, optionally `form`, and a column per item id.

The layout is told from the header. A response is a letter (`A` to `D`, any case) or the text of
the chosen option, as LMS reports write it, matched to the bank's option texts with case and runs
of spaces ignored. An empty cell is an omission; a candidate with no row for an item of their form
omitted it too. Omissions are counted apart and scored wrong.

Every problem is a Diagnostic at `file:row:column` (`file:line` in XML) with an IA1xx code. Header
names are matched loosely: `candidate_id`, `person` and `student` name the candidate, `item_id` the
item, `answer` and `choice` the response.
"""

from __future__ import annotations

import csv
import operator
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem
    from cmas_bank.diagnostics import Diagnostic

# Finding codes; their documentation is in cmas_bank/codetable.py (`cmas-bank rules --select IA`).
UNREADABLE = "IA101"
NOT_UTF8 = "IA102"
CSV_SYNTAX = "IA103"
BAD_HEADER = "IA104"
UNKNOWN_ITEM = "IA105"
NOT_OPTION = "IA106"
TEXT_UNMATCHED = "IA107"
REPEATED = "IA108"
ITEM_INVALID = "IA109"
NO_CANDIDATE = "IA110"
FORM_CONFLICT = "IA111"
UNKNOWN_FORMAT = "IA112"
XML_SYNTAX = "IA113"
XML_REFUSED = "IA114"
RESULT_INCOMPLETE = "IA115"

SHOWN = 1000  # findings kept per code; the rest are counted
MAX_BYTES = 512 << 20  # 100,000 candidates x 230 items as a wide CSV is about 50 MB
LETTERS = "ABCD"
OMIT = 4  # the code of an omitted response; 0..3 are options A..D
_BAD = 255
_FAST = {**{c: i for i, c in enumerate(LETTERS)}, **{c.lower(): i for i, c in enumerate(LETTERS)}, "": OMIT}


class _Codes(dict[str, int]):
    """`_FAST` with `_BAD` for every other cell, so `map(_CODES.__getitem__, cells)` needs no
    Python-level test per cell."""

    def __missing__(self, key: str) -> int:
        return _BAD


_CODES = _Codes(_FAST)
ALIASES = {
    "candidate": "candidate",
    "candidate_id": "candidate",
    "person": "candidate",
    "student": "candidate",
    "item": "item",
    "item_id": "item",
    "response": "response",
    "answer": "response",
    "choice": "response",
    "form": "form",
}


def _header_name(cell: str) -> str:
    name = "_".join(cell.strip().lower().replace("-", " ").split())
    return ALIASES.get(name, "")


def normalise_text(text: str) -> str:
    """An option text or a response as they are compared: case and runs of spaces ignored."""
    return " ".join(text.split()).casefold()


@dataclass
class Key:
    """What scoring an item needs: its options' normalised texts, its key and where it lives."""

    id: str
    answer: int
    texts: dict[str, int]  # normalised option text -> option code; ambiguous texts map to -1
    stem: str = ""  # normalised, to find the item of a question text an LMS report gives

    @classmethod
    def of(cls, item: BankItem) -> Key:
        texts: dict[str, int] = {}
        for letter, text in item.options.items():
            norm = normalise_text(text)
            texts[norm] = -1 if norm in texts else LETTERS.index(letter)
        return cls(item.id or "", LETTERS.index(item.answer or "A"), texts, normalise_text(item.stem or ""))


@dataclass
class Responses:
    """The long table, as parallel arrays (one entry per response read), and what reading found."""

    candidates: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    forms: dict[int, str] = field(default_factory=dict)  # candidate index -> form, when given
    cand: list[np.ndarray] = field(default_factory=list)
    item: list[np.ndarray] = field(default_factory=list)
    code: list[np.ndarray] = field(default_factory=list)
    where: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)  # file, rows, columns
    diagnostics: list[Diagnostic] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # findings per code, kept or not
    files: list[str] = field(default_factory=list)
    _cand_index: dict[str, int] = field(default_factory=dict)
    _item_index: dict[str, int] = field(default_factory=dict)

    def report(self, finding: Diagnostic) -> None:
        """Count a finding; keep it unless its code has `SHOWN` already (a file with a million bad
        cells must not fill the memory with findings: the count tells how many there were)."""
        self.counts[finding.code] += 1
        if self.counts[finding.code] <= SHOWN:
            self.diagnostics.append(finding)

    @property
    def hidden(self) -> int:
        """Findings counted but not kept."""
        return sum(max(0, n - SHOWN) for n in self.counts.values())

    def candidate(self, name: str) -> int:
        index = self._cand_index.get(name)
        if index is None:
            index = self._cand_index[name] = len(self.candidates)
            self.candidates.append(name)
        return index

    def item_index(self, name: str) -> int:
        index = self._item_index.get(name)
        if index is None:
            index = self._item_index[name] = len(self.items)
            self.items.append(name)
        return index

    def add(
        self, source: str, cand: list[int], item: list[int], code: bytes | list[int], rows: list[int], cols: list[int]
    ) -> None:
        self.cand.append(np.asarray(cand, dtype=np.int32))
        self.item.append(np.asarray(item, dtype=np.int32))
        self.code.append(
            np.frombuffer(bytes(code), dtype=np.uint8)
            if not isinstance(code, bytes)
            else np.frombuffer(code, dtype=np.uint8)
        )
        self.where.append((source, np.asarray(rows, dtype=np.int32), np.asarray(cols, dtype=np.int32)))


def _diag(
    source: str, code: str, message: str, row: int = 1, column: int = 1, item_id: str | None = None
) -> Diagnostic:
    from cmas_bank.diagnostics import Diagnostic

    return Diagnostic(path=source, line=row, column=column, code=code, message=message, item_id=item_id)


def read_bytes(path: Path, source: str, out: Responses) -> bytes | None:
    try:
        return read_regular(path, MAX_BYTES)
    except (FileTooLarge, NotRegularFile) as exc:
        out.report(_diag(source, UNREADABLE, str(exc.strerror)))
    except OSError as exc:
        out.report(_diag(source, UNREADABLE, f"cannot read file: {exc.strerror or exc}"))
    return None


def decode(raw: bytes, source: str, out: Responses) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        out.report(_diag(source, NOT_UTF8, f"file is not UTF-8 (byte 0x{byte}); save it as CSV UTF-8", line))
        return None


def looks_like_xml(raw: bytes) -> bool:
    """Whether a file's first character is `<` (after a byte-order mark and spaces), in UTF-8 or UTF-16."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw[2:].decode("utf-16-le" if raw[0] == 0xFF else "utf-16-be", "ignore").lstrip().startswith("<")
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def records(text: str, source: str, out: Responses) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each non-blank row; a syntax error ends the file with a finding."""
    from cmas_bank.export.csv_format import read_rows

    def syntax(row: int, line: int, exc: csv.Error) -> None:
        out.report(_diag(source, CSV_SYNTAX, f"CSV syntax error: {exc}", row))

    return ((row, cells) for row, cells in read_rows(text, syntax) if any(cells))


class Scorer:
    """Turns a cell into an option code, reporting what cannot be one."""

    def __init__(self, keys: Mapping[str, Key], invalid: set[str], out: Responses):
        self.keys, self.invalid, self.out = keys, invalid, out

    def check_item(self, source: str, name: str, row: int, column: int) -> Key | None:
        key = self.keys.get(name)
        if key is None:
            if name in self.invalid:
                message = f"item {name!r} does not validate, so it has no key (run `cmas-bank validate`)"
                self.out.report(_diag(source, ITEM_INVALID, message, row, column, name))
            else:
                from cmas_bank.config import suggest

                hint = suggest(name, list(self.keys))
                self.out.report(_diag(source, UNKNOWN_ITEM, f"unknown item id {name!r}{hint}", row, column))
        return key

    def slow(self, source: str, key: Key, cell: str, row: int, column: int) -> int:
        """The code of a cell that is not a bare letter or empty: a padded letter, or an option text."""
        text = cell.strip()
        if text in _FAST:
            return _FAST[text]
        if len(text) == 1 and text.isalpha():
            message = f"response {text!r} is not an option of {key.id} (options are A to D)"
            self.out.report(_diag(source, NOT_OPTION, message, row, column, key.id))
            return _BAD
        return self.text(source, key, text, row, column)

    def text(self, source: str, key: Key, text: str, row: int, column: int) -> int:
        """The code of the option whose text `text` is (case and runs of spaces ignored), or IA107."""
        found = key.texts.get(normalise_text(text))
        if found is None or found < 0:
            why = "matches no option" if found is None else "matches more than one option"
            shown = text if len(text) <= 60 else text[:57] + "..."
            message = f"response {shown!r} {why} of {key.id}"
            self.out.report(_diag(source, TEXT_UNMATCHED, message, row, column, key.id))
            return _BAD
        return found


def _columns(cells: list[str]) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Named columns (candidate, item, response, form) and the other columns' (header, index)."""
    named: dict[str, int] = {}
    rest: list[tuple[str, int]] = []
    while cells and not cells[-1].strip():  # trailing separators a spreadsheet leaves
        cells = cells[:-1]
    for index, cell in enumerate(cells):
        name = _header_name(cell)
        if name and name not in named:
            named[name] = index
        else:
            rest.append((cell.strip(), index))
    return named, rest


def _header_problems(
    source: str, named: dict[str, int], rest: list[tuple[str, int]], cells: list[str], auto: bool = False
) -> list[Diagnostic]:
    found = []
    if "candidate" not in named:
        message = "no `candidate` column: neither the long nor the wide layout"
        if auto:
            message += (
                ", nor a Moodle responses report (`Response 1` columns) nor a Canvas student analysis "
                "(`sis_id` and `attempt` columns); name the format with --format if it is one of them"
            )
        found.append(_diag(source, BAD_HEADER, message))
    seen: dict[str, int] = {}
    for name, index in rest:
        if not name:
            found.append(_diag(source, BAD_HEADER, "a column has no name", 1, index + 1))
        elif name in seen or _header_name(name):
            found.append(_diag(source, BAD_HEADER, f"column {name!r} is named twice", 1, index + 1))
        seen.setdefault(name, index)
    return found


def _set_form(out: Responses, source: str, cand: int, form: str, row: int, column: int) -> None:
    known = out.forms.setdefault(cand, form)
    if known != form:
        message = f"candidate {out.candidates[cand]!r} is on form {known!r} already, not {form!r}"
        out.report(_diag(source, FORM_CONFLICT, message, row, column))


def _read_wide(
    source: str,
    rows: Iterator[tuple[int, list[str]]],
    named: dict[str, int],
    rest: list[tuple[str, int]],
    scorer: Scorer,
) -> None:
    out = scorer.out
    columns = [(index, scorer.check_item(source, name, 1, index + 1)) for name, index in rest]
    kept = [(index, key) for index, key in columns if key is not None]
    item_ids = [out.item_index(key.id) for _, key in kept]
    where = [index for index, _ in kept]
    width = max([*where, *named.values()]) + 1
    cand_col, form_col = named["candidate"], named.get("form")
    cands: list[int] = []
    codes = bytearray()
    row_numbers: list[int] = []
    pick = operator.itemgetter(*where) if len(where) > 1 else (lambda cells: tuple(cells[i] for i in where))
    for row, cells in rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        name = cells[cand_col].strip()
        if not name:
            out.report(_diag(source, NO_CANDIDATE, "row has no candidate id", row, cand_col + 1))
            continue
        cand = out.candidate(name)
        if form_col is not None and cells[form_col].strip():
            _set_form(out, source, cand, cells[form_col].strip(), row, form_col + 1)
        values = pick(cells)
        line = bytes(map(_CODES.__getitem__, values))  # one C loop per row: the hot path of a big file
        if _BAD in line:
            fixed = bytearray(line)
            for j in (j for j, value in enumerate(line) if value == _BAD):
                fixed[j] = scorer.slow(source, kept[j][1], values[j], row, where[j] + 1)
            line = bytes(fixed)
        codes += line
        cands.append(cand)
        row_numbers.append(row)
    n, k = len(cands), len(kept)
    cand_arr = np.repeat(np.asarray(cands, dtype=np.int32), k)
    item_arr = np.tile(np.asarray(item_ids, dtype=np.int32), n)
    rows_arr = np.repeat(np.asarray(row_numbers, dtype=np.int32), k)
    cols_arr = np.tile(np.asarray(where, dtype=np.int32) + 1, n)
    out.cand.append(cand_arr)
    out.item.append(item_arr)
    out.code.append(np.frombuffer(bytes(codes), dtype=np.uint8))
    out.where.append((source, rows_arr, cols_arr))


def _read_long(source: str, rows: Iterator[tuple[int, list[str]]], named: dict[str, int], scorer: Scorer) -> None:
    out = scorer.out
    c_col, i_col, r_col, f_col = named["candidate"], named["item"], named["response"], named.get("form")
    width = max(named.values()) + 1
    cands: list[int] = []
    items: list[int] = []
    codes: list[int] = []
    row_numbers: list[int] = []
    checked: dict[str, Key | None] = {}
    for row, cells in rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        name, item_id, cell = cells[c_col].strip(), cells[i_col].strip(), cells[r_col]
        if not name:
            out.report(_diag(source, NO_CANDIDATE, "row has no candidate id", row, c_col + 1))
            continue
        key = checked[item_id] if item_id in checked else scorer.check_item(source, item_id, row, i_col + 1)
        checked.setdefault(item_id, key)
        if key is None:
            continue
        cand = out.candidate(name)
        if f_col is not None and cells[f_col].strip():
            _set_form(out, source, cand, cells[f_col].strip(), row, f_col + 1)
        code = _FAST.get(cell, _BAD)
        if code == _BAD:
            code = scorer.slow(source, key, cell, row, r_col + 1)
        cands.append(cand)
        items.append(out.item_index(key.id))
        codes.append(code)
        row_numbers.append(row)
    out.add(source, cands, items, codes, row_numbers, [r_col + 1] * len(cands))


def read_csv(source: str, rows: Iterator[tuple[int, list[str]]], cells: list[str], scorer: Scorer, auto: bool) -> None:
    out = scorer.out
    named, rest = _columns(cells)
    long = "item" in named and "response" in named
    problems = _header_problems(source, named, [] if long else rest, cells, auto)
    if problems:
        for problem in problems:
            out.report(problem)
        return
    if long:
        _read_long(source, rows, named, scorer)
    else:
        _read_wide(source, rows, named, rest, scorer)


def repeated(out: Responses) -> np.ndarray:
    """Indices (into the concatenated table) of the responses that repeat an earlier candidate-item
    pair, each reported where it is."""
    cand, item = np.concatenate(out.cand), np.concatenate(out.item)
    if not len(cand):
        return np.zeros(0, dtype=np.int64)
    pair = cand.astype(np.int64) * max(len(out.items), 1) + item
    # Counting, not sorting: linear in the responses (a sort of 23 million pairs takes seconds).
    twice = np.bincount(pair)[pair] > 1
    suspects = np.flatnonzero(twice)
    order = suspects[np.argsort(pair[suspects], kind="stable")]
    same = np.flatnonzero(pair[order][1:] == pair[order][:-1]) + 1
    later = np.sort(order[same])
    sources = [(s, rows, cols) for s, rows, cols in out.where]
    bounds = np.cumsum([0, *(len(r) for _, r, _ in sources)])
    for index in later[: SHOWN + 1]:  # the first ones are shown; `Responses.counts` says how many
        f = int(np.searchsorted(bounds, index, side="right") - 1)
        source, rows, cols = sources[f]
        at = int(index - bounds[f])
        message = f"candidate {out.candidates[cand[index]]!r} answered {out.items[item[index]]} already"
        out.report(_diag(source, REPEATED, message, int(rows[at]), int(cols[at]), out.items[item[index]]))
    out.counts[REPEATED] += max(0, len(later) - SHOWN - 1)  # counted, not built
    return later
