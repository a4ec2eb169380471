"""Which reader a responses file goes to: the format named (`--format`) or told from the content.

XML is QTI results reporting (`qti_results.py`); a file that starts as the practice exam's result
file does (`candidate,item,response` and CRLF) goes to `practice_results.py`; a CSV whose header
is a Moodle responses report or a Canvas student analysis goes to `platforms.py`; any other CSV is
one of our long or wide layouts (`responses.py`). A zip archive (an `.xlsx` saved by mistake) is IA112. Every reader adds
to the same long table, `responses.Responses`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cmas_bank.analyze import platforms, practice_results
from cmas_bank.analyze.responses import (
    BAD_HEADER,
    UNKNOWN_FORMAT,
    Key,
    Responses,
    Scorer,
    _diag,
    decode,
    looks_like_xml,
    read_bytes,
    read_csv,
    records,
)

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem

FORMATS = ("auto", "csv", "qti", "moodle", "canvas", "practice")
_ZIP = b"PK\x03\x04"


def read_file(path: Path, source: str, scorer: Scorer, fmt: str = "auto") -> None:
    """Add one responses file's rows to `scorer.out`, with a finding for every problem. `fmt` is
    one of `FORMATS`; `auto` tells the format from the content."""
    out = scorer.out
    out.files.append(source)
    raw = read_bytes(path, source, out)
    if raw is None:
        return
    if fmt == "qti" or (fmt == "auto" and looks_like_xml(raw)):
        from cmas_bank.analyze.qti_results import read_qti  # lxml only for XML

        read_qti(raw, source, scorer)
        return
    if raw.startswith(_ZIP):
        message = "a zip archive (an .xlsx workbook?), not a responses file: save the sheet as CSV UTF-8"
        out.report(_diag(source, UNKNOWN_FORMAT, message))
        return
    text = decode(raw, source, out)
    if text is None:
        return
    rows = records(text, source, out)
    first = next(rows, None)
    if first is None:
        out.report(_diag(source, BAD_HEADER, "file is empty: no header row"))
        return
    _, cells = first
    if fmt == "practice" or (fmt == "auto" and practice_results.is_practice(raw)):
        practice_results.read_practice(source, rows, cells, scorer)
        return
    kind = fmt if fmt != "auto" else platforms.detect(cells)
    if kind == "moodle":
        platforms.read_moodle(source, rows, cells, scorer)
    elif kind == "canvas":
        platforms.read_canvas(source, rows, cells, scorer)
    else:
        read_csv(source, rows, cells, scorer, fmt == "auto")


def read_responses(paths: Sequence[Path], bank: Sequence[BankItem], fmt: str = "auto") -> Responses:
    """The long table of every file in `paths`, scored against `bank`'s items; `fmt` as `read_file`."""
    keys = {b.id: Key.of(b) for b in bank if b.valid and b.id}
    invalid = {b.id for b in bank if not b.valid and b.id}
    out = Responses()
    scorer = Scorer(keys, invalid, out)
    for path in paths:
        read_file(path, str(path), scorer, fmt)
    return out
