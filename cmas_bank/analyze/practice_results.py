"""The practice exam's result file: what `export --format html` pages download (Download result).

The page (`cmas_bank/export/practice_assets/practice.js`, `resultCsv`) writes UTF-8 without a
byte-order mark, CRLF row ends, RFC 4180 quoting, the header `candidate,item,response`, then one row
per question of the form in form order: the candidate's name (or `candidate` when none was
given), the item id, and the chosen letter `A`-`D` or nothing for an unanswered question. A cell
that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so that a
spreadsheet does not run it as a formula.

Read here (`--format practice`, or told from the content: the file's first line is exactly that
header, ended by CRLF):

- the leading `'` the page adds is taken off again;
- files are usually concatenated (`cat result-*.csv`): a repeated header row is skipped;
- a candidate who gave no name is `candidate` on every page, so such an attempt is named after its
  file and first row (`result-3f2a.csv:2`); a new attempt starts at a repeated header, at another
  candidate's row, or where an item comes again;
- a response is read as in our long layout (the page writes a letter `A`-`D` or nothing, an
  omission; another letter is IA106, a text that is no option IA107); an unknown item id is IA105,
  an empty candidate IA110, and one candidate answering an item twice (the same name in two
  files) IA108, as in the other formats.

So a file of our long layout with exactly that header and CRLF row ends (as Python's csv module
and spreadsheets write) is read the same way, but for those three points, which matter only to
a candidate named `candidate`, a repeated header row and a name that starts with `'`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from cmas_bank.analyze.responses import (
    _BAD,
    _FAST,
    BAD_HEADER,
    NO_CANDIDATE,
    Key,
    Scorer,
    _diag,
)

HEADER = ["candidate", "item", "response"]
FIRST_LINE = b"candidate,item,response\r\n"
ANONYMOUS = "candidate"  # the name the page writes when the candidate gave none
_PROTECTED = re.compile(r"^'+[=+\-@\t\r]")


def is_practice(raw: bytes) -> bool:
    """Whether a file starts as the practice exam's result file does (header, then CRLF)."""
    return raw.startswith(FIRST_LINE)


def unprotect(cell: str) -> str:
    """A cell without the `'` the page put before a formula-like value."""
    return cell[1:] if _PROTECTED.match(cell) else cell


class _Attempts:
    """Names the attempts of candidates who gave no name: one per run of their rows."""

    def __init__(self, source: str) -> None:
        self.file = PurePath(source).name
        self.current: str | None = None
        self.seen: set[str] = set()
        self.last = ""

    def name(self, candidate: str, item_id: str, row: int) -> str:
        if candidate != ANONYMOUS:
            self.last = candidate
            return candidate
        if self.current is None or self.last != ANONYMOUS or item_id in self.seen:
            self.current, self.seen = f"{self.file}:{row}", set()
        self.seen.add(item_id)
        self.last = ANONYMOUS
        return self.current

    def restart(self) -> None:
        self.current, self.last = None, ""


def _code(scorer: Scorer, source: str, key: Key, cell: str, row: int) -> int:
    code = _FAST.get(cell, _BAD)
    return code if code != _BAD else scorer.slow(source, key, cell, row, 3)


def read_practice(source: str, rows: Iterator[tuple[int, list[str]]], cells: list[str], scorer: Scorer) -> None:
    """Add the rows of a practice exam result file (header `cells` read) to `scorer.out`."""
    out = scorer.out
    if [c.strip() for c in cells] != HEADER:
        shown = ",".join(cells)[:80]
        message = f"header {shown!r} is not the practice exam's result file header `candidate,item,response`"
        out.report(_diag(source, BAD_HEADER, message))
        return
    attempts = _Attempts(source)
    cands: list[int] = []
    items: list[int] = []
    codes: list[int] = []
    numbers: list[int] = []
    checked: dict[str, Key | None] = {}
    for row, raw in rows:
        fields = [*raw, "", "", ""][:3]
        if [c.strip() for c in fields] == HEADER and len(raw) == 3:
            attempts.restart()  # the next file of a concatenation
            continue
        name, item_id, cell = unprotect(fields[0]).strip(), fields[1].strip(), fields[2]
        if not name:
            out.report(_diag(source, NO_CANDIDATE, "row has no candidate id", row, 1))
            continue
        if item_id not in checked:
            checked[item_id] = scorer.check_item(source, item_id, row, 2)
        key = checked[item_id]
        if key is None:
            continue
        cands.append(out.candidate(attempts.name(name, item_id, row)))
        items.append(out.item_index(key.id))
        codes.append(_code(scorer, source, key, cell, row))
        numbers.append(row)
    out.add(source, cands, items, codes, numbers, [3] * len(cands))
