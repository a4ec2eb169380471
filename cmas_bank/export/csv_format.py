"""The CSV format: one row per item, one column per field, for spreadsheets and LMS imports.

Columns, in order (a header row names them):

    id, domain, subdomain, stem, option_a, option_b, option_c, option_d, answer, rationale,
    references, difficulty, cognitive_level, status, tags, authors, reviews, enemies, suppress,
    created, updated

- Text cells hold the text as is, line breaks included (quoted as RFC 4180 says).
- `references` and `authors`: one entry per line inside the cell.
- `tags` and `enemies`: separated by commas (spaces also accepted on import).
- `reviews`: a JSON list of {reviewer, date, verdict, notes, digest} (digest when recorded);
  `suppress`: a JSON object {rule code: reason}. Empty cell = none.
- `created`, `updated`: YYYY-MM-DD.

The file is UTF-8 without a byte-order mark (a BOM is accepted on import), CRLF row ends.

Formula neutralisation (OWASP "CSV injection"): a spreadsheet runs a cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return as a formula. Export prefixes such a cell with an
apostrophe `'`, which spreadsheets show as text. To keep the rule reversible, a cell that
starts with apostrophes followed by one of those characters gets one more apostrophe. Import
undoes it exactly: when a cell starts with one or more apostrophes followed by a trigger
character, one apostrophe is removed; every other cell is read unchanged. So `=A1` is written
`'=A1` and read back as `=A1`, `'=A1` is written `''=A1` and read back as `'=A1`, and
`'quoted'` is written and read unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from cmas_bank.export.common import ExportError, FormOrder
from cmas_bank.model import OPTION_KEYS, Item

COLUMNS: tuple[str, ...] = (
    "id",
    "domain",
    "subdomain",
    "stem",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "answer",
    "rationale",
    "references",
    "difficulty",
    "cognitive_level",
    "status",
    "tags",
    "authors",
    "reviews",
    "enemies",
    "suppress",
    "created",
    "updated",
)
# The column a form's export adds (`export --form`); it is not item data, so `import` refuses it.
SCORED_COLUMN = "scored"

OPTION_COLUMNS = {f"option_{k.lower()}": k for k in OPTION_KEYS}
LINE_LISTS = ("references", "authors")
WORD_LISTS = ("tags", "enemies")
JSON_CELLS = ("reviews", "suppress")

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_GUARD = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_WORD_SPLIT = re.compile(r"[\s,]+")


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to a cell a spreadsheet would run as a formula (see module doc)."""
    return "'" + cell if _NEEDS_GUARD.match(cell) else cell


def unneutralise(cell: str) -> str:
    """Undo `neutralise` exactly: drop one apostrophe before a formula trigger character."""
    return cell[1:] if _GUARDED.match(cell) else cell


# --- export -----------------------------------------------------------------------------------


def item_row(item: Item) -> list[str]:
    """The cells of one item, in COLUMNS order, before neutralisation."""
    for name in LINE_LISTS:
        for index, entry in enumerate(getattr(item, name)):
            if "\n" in entry or "\r" in entry:
                raise ExportError(
                    f"item {item.id}: {name}[{index}] contains a line break, but the CSV keeps one "
                    f"entry per line in the {name} cell; export this item as json instead"
                )
    options = item.options.as_dict()
    reviews = [r.model_dump(mode="json", exclude_none=True) for r in item.reviews]
    cells: dict[str, str] = {
        "id": item.id,
        "domain": str(item.domain),
        "subdomain": item.subdomain,
        "stem": item.stem,
        **{column: options[key] for column, key in OPTION_COLUMNS.items()},
        "answer": item.answer,
        "rationale": item.rationale,
        "references": "\n".join(item.references),
        "difficulty": item.difficulty,
        "cognitive_level": item.cognitive_level,
        "status": item.status,
        "tags": ", ".join(item.tags),
        "authors": "\n".join(item.authors),
        "reviews": json.dumps(reviews, ensure_ascii=False) if reviews else "",
        "enemies": ", ".join(item.enemies),
        "suppress": json.dumps(item.suppress, ensure_ascii=False) if item.suppress else "",
        "created": item.created.isoformat(),
        "updated": item.updated.isoformat(),
    }
    return [cells[c] for c in COLUMNS]


def header_row(form: FormOrder | None) -> list[str]:
    """The header: COLUMNS, and a form's last column, `scored`."""
    return list(COLUMNS) if form is None else [*COLUMNS, SCORED_COLUMN]


def body_rows(items: Sequence[Item], form: FormOrder | None) -> Iterator[list[str]]:
    """One row per item, cells not yet neutralised, made as they are asked for: by id, or a form's
    items in delivery order with the `scored` cell (`true`, or `false` for a pretest item)."""
    if form is None:
        for item in sorted(items, key=lambda i: i.id):
            yield item_row(item)
        return
    for item in form.arrange(items):
        yield [*item_row(item), "true" if form.scored(item.id) else "false"]


WRITE_CHUNK = 1 << 16  # characters of CSV gathered before they are written


def write_csv(items: Sequence[Item], out: IO[bytes], form: FormOrder | None = None) -> None:
    """Header and one row per item (ordered by id, or a form's order), every cell neutralised,
    written in chunks as the rows are made."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header_row(form))
    for row in body_rows(items, form):
        writer.writerow([neutralise(cell) for cell in row])
        if buffer.tell() >= WRITE_CHUNK:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))


def csv_bytes(items: Sequence[Item], form: FormOrder | None = None) -> bytes:
    buffer = io.BytesIO()
    write_csv(items, buffer, form)
    return buffer.getvalue()


# --- import -----------------------------------------------------------------------------------


@dataclass
class CellProblem:
    column: str
    message: str


@dataclass
class DecodedRow:
    """One CSV row turned into item data (the shape of an item file), with the problems found
    reading cells that never reached the item model."""

    data: dict[str, Any] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)


def read_rows(text: str, on_error: Callable[[int, int, csv.Error], None]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every row of CSV `text`, blank rows included (the importer and
    `analyze` skip them by their own rule). A syntax error calls `on_error(row, line of the file,
    error)` and ends the rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            on_error(row + 1, reader.line_num, exc)
            return
        row += 1
        yield row, cells


def field_of(column: str) -> tuple[str, ...]:
    """The item path a column fills: `option_b` -> ("options", "B"), `stem` -> ("stem",)."""
    if column in OPTION_COLUMNS:
        return ("options", OPTION_COLUMNS[column])
    return (column,)


def _decode_domain(row: DecodedRow, cell: str) -> None:
    text = cell.strip()
    if re.fullmatch(r"[0-9]{1,9}", text):  # a work area number (and never past int()'s digit limit)
        row.data["domain"] = int(text)
        return
    shown = repr(cell) if cell else "empty"
    row.problems.append(CellProblem("domain", f"domain must be a work area number, not {shown}"))
    row.data["domain"] = cell  # kept, so the item's own findings stay on this cell


def _decode_json(row: DecodedRow, column: str, cell: str) -> None:
    if not cell.strip():
        row.data[column] = [] if column == "reviews" else {}
        return
    row.data[column] = _json_cell(column, cell, row.problems)


def _json_cell(column: str, cell: str, problems: list[CellProblem]) -> Any:
    """A JSON cell's value; the cell's text, with a problem noted, when it is not JSON."""
    try:
        return json.loads(cell)
    except json.JSONDecodeError as exc:
        kind = "list" if column == "reviews" else "object"
        problems.append(CellProblem(column, f"{column} is not a JSON {kind}: {exc.msg} at character {exc.pos + 1}"))
    except (ValueError, RecursionError):  # a number past int()'s digit limit, or nesting past the stack
        problems.append(CellProblem(column, f"{column} holds a number too long or nesting too deep"))
    return cell


def decode_row(cells: dict[str, str]) -> DecodedRow:
    """Item data from the cells of one row (column name -> raw cell). Columns absent from the
    file are left out, so the item model applies its defaults or reports them missing."""
    row = DecodedRow()
    options: dict[str, str] = {}
    for column, raw in cells.items():
        cell = unneutralise(raw)
        if column in OPTION_COLUMNS:
            options[OPTION_COLUMNS[column]] = cell
        elif column == "domain":
            _decode_domain(row, cell)
        elif column in LINE_LISTS:
            row.data[column] = [line for line in cell.replace("\r\n", "\n").split("\n") if line.strip()]
        elif column in WORD_LISTS:
            row.data[column] = [word for word in _WORD_SPLIT.split(cell) if word]
        elif column in JSON_CELLS:
            _decode_json(row, column, cell)
        else:
            row.data[column] = cell
    if options:
        row.data["options"] = {k: options[k] for k in OPTION_KEYS if k in options}
    ordered = {name: row.data[name] for name in Item.model_fields if name in row.data}
    row.data = ordered
    return row
