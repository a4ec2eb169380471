"""The xlsx format: the CSV format's columns and cells in an Excel workbook, every cell stored
as text, so a spreadsheet cannot turn `0245` into 245, `$80` into 80 or `June 2020` into a date.

- One sheet, `items`: the header row, then one row per item ordered by id; the cells are exactly
  the CSV export's (`csv_format.item_row`), with the same formula neutralisation (a cell that
  starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets an apostrophe, undone on import).
- Every cell has the text number format (`@`) and the string type, so an editor keeps what is
  typed into it as text too.
- The bytes are deterministic: fixed document dates and zip entry dates, so the same items give
  the same file.

Reading (`read_rows`) refuses hostile files before openpyxl parses them: not a zip archive,
more than MAX_ENTRIES entries or MAX_UNPACKED bytes unpacked (a zip bomb); openpyxl parses the
XML with defusedxml, which refuses entity expansion and external entities. A cell that is not
text (a number, a date, a formula) is reported, never converted: it is what a spreadsheet does
to values it guesses the type of.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from cmas_bank.export.common import ExportError, FormOrder
from cmas_bank.export.csv_format import body_rows, header_row, neutralise
from cmas_bank.model import Item

SHEET = "items"
FIXED_TIME = datetime.datetime(2000, 1, 1)  # document dates: the content, not the clock, decides the bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
MAX_ENTRIES = 1000
MAX_UNPACKED = 512 << 20  # a 100,000-item bank as xlsx unpacks to about 200 MB


def write_xlsx(items: Sequence[Item], out: IO[bytes], form: FormOrder | None = None) -> None:
    """The workbook of `items` (see the module doc), built with openpyxl's write-only mode (rows
    are written to a temporary file as they are appended, never all held as cells), then copied
    into `out` entry by entry with its dates fixed."""
    import tempfile

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.freeze_panes = "B2"
    header = header_row(form)
    try:
        sheet.append([_text_cell(sheet, text, header, "", column) for column, text in enumerate(header)])
        for row in body_rows(items, form):
            sheet.append(
                [_text_cell(sheet, neutralise(text), header, row[0], column) for column, text in enumerate(row)]
            )
    except BaseException:
        _discard(sheet)
        raise
    workbook.properties.created = FIXED_TIME
    with tempfile.TemporaryFile() as saved:
        workbook.save(saved)
        saved.seek(0)
        _copy_fixed(saved, out)


def _discard(sheet: Any) -> None:
    """After a failure mid-sheet: end openpyxl's stream and remove its temporary file."""
    import contextlib

    with contextlib.suppress(Exception):
        sheet.close()
    if getattr(sheet, "_writer", None) is not None:
        with contextlib.suppress(OSError, ValueError):
            sheet._writer.cleanup()


def _text_cell(sheet: Any, text: str, header: list[str], item_id: str, column: int) -> Any:
    """A cell stored as text (type string, number format `@`), even where it looks like a formula
    or a number."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        cell = WriteOnlyCell(sheet, value=text)
    except IllegalCharacterError:
        raise ExportError(
            f"item {item_id}: column {header[column]} holds a control character that an xlsx "
            "file cannot store; export this item as json or csv instead"
        ) from None
    cell.data_type = "s"
    cell.number_format = "@"
    return cell


def _copy_fixed(source_file: IO[bytes], out: IO[bytes]) -> None:
    """The archive with its document dates and every entry's date fixed (openpyxl stamps the
    save time), entries in the same order, each deflated, copied in chunks."""
    import shutil

    with zipfile.ZipFile(source_file) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            if info.filename == "docProps/core.xml":
                target.writestr(entry, _fixed_core(source.read(info.filename)))
                continue
            with source.open(info) as reading, target.open(entry, "w") as writing:
                shutil.copyfileobj(reading, writing, 1 << 16)


def _fixed_core(content: bytes) -> bytes:
    """docProps/core.xml with its `modified` date set to FIXED_TIME (openpyxl writes the clock)."""
    import re

    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", content)


# --- reading ------------------------------------------------------------------------------------


class NotAWorkbook(Exception):
    """The file cannot be read as an xlsx workbook, or would unpack too large."""


@dataclass
class SheetRows:
    sheet: str
    rows: Iterator[tuple[int, list[str], dict[int, str]]]


def check_archive(data: bytes) -> None:
    """Refuse what is not a zip archive, and a zip bomb, before any parsing."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotAWorkbook("not an xlsx workbook (not a zip archive); save the spreadsheet as Excel Workbook (.xlsx)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotAWorkbook(f"not a readable xlsx workbook: {exc}") from None
    if len(infos) > MAX_ENTRIES:
        raise NotAWorkbook(f"the workbook holds {len(infos)} parts, over the limit of {MAX_ENTRIES}")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise NotAWorkbook(
            f"the workbook unpacks to {unpacked} bytes, over the limit of {MAX_UNPACKED >> 20} MiB (a zip bomb?)"
        )


def read_rows(data: bytes) -> SheetRows:
    """The first sheet's rows: (row number, cells as text, {column: problem} for cells that are
    not text). Raises NotAWorkbook for what is not a safe, readable workbook."""
    check_archive(data)
    import openpyxl.xml
    from openpyxl import load_workbook

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise NotAWorkbook("defusedxml is not installed: xlsx files are not read without it")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # noqa: BLE001 - openpyxl and defusedxml raise many types; a finding, never a crash
        raise NotAWorkbook(f"not a readable xlsx workbook: {_cause(exc)}") from None
    return SheetRows(sheet.title, _cells(workbook, sheet))


def _cause(exc: BaseException) -> str:
    """The innermost cause (openpyxl wraps defusedxml's refusal), its type and first line."""
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        exc = inner
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _cells(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[str], dict[int, str]]]:
    try:
        for row_number, row in enumerate(sheet.iter_rows(), start=1):
            texts: list[str] = []
            problems: dict[int, str] = {}
            for column, cell in enumerate(row, start=1):
                text, problem = _cell_text(cell)
                texts.append(text)
                if problem:
                    problems[column] = problem
            yield row_number, texts, problems
    except Exception as exc:  # noqa: BLE001 - a broken sheet part: a finding, never a crash
        raise NotAWorkbook(f"not a readable xlsx workbook: {_cause(exc)}") from None
    finally:
        workbook.close()


def _cell_text(cell: Any) -> tuple[str, str | None]:
    value = getattr(cell, "value", None)
    if value is None:
        return "", None
    kind = getattr(cell, "data_type", "s")
    if kind == "f":
        return str(value), f"holds a formula ({value}), not text"
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool):
        return str(value), f"holds a true/false value ({value}), not text; format the cell as Text and retype it"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return str(value), f"holds a date ({value}), not text; format the cell as Text and retype it"
    if isinstance(value, int):
        return str(value), f"holds a number ({value}), not text; format the cell as Text and retype it"
    return str(value), f"holds a number ({value!r}), not text; format the cell as Text and retype it"
