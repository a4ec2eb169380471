"""`cmas-bank import csv`: turn a spreadsheet of questions into item files.

Every row is checked by the same code as `cmas-bank validate` (item model, JSON Schema, outline,
approval policy): the row's cells become item data whose positions are the CSV row and column,
so each finding points at `file.csv:ROW:COLUMN` and names the column. Rows are numbered as a
spreadsheet numbers them (the header is row 1); columns from 1 (A).

Nothing is written unless every row is clean. An item file that already exists (same id
anywhere under the output folder) is never replaced without `--force`; with it, the file is
rewritten where it is. The files are written all or nothing (temporaries renamed into place
once all are written), and before it is written its YAML is
parsed back and validated, and must give the same item as the row.

New files go to `<out>/<NN-work-area>/<id>.yaml`: the existing folder of `<out>` whose name
starts with the two-digit work area number, else one named after the outline's work area.

Header cells are matched loosely: case, surrounding spaces, and spaces or hyphens for
underscores (`Cognitive Level` = `cognitive_level`); `Work area` and `Sub-area` are accepted
for `domain` and `subdomain`.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cmas_bank.config import suggest
from cmas_bank.diagnostics import Diagnostic, display_path, sort_key
from cmas_bank.export.csv_format import COLUMNS, OPTION_COLUMNS, decode_row, field_of, read_rows
from cmas_bank.fileio import FileTooLarge, NotRegularFile, read_regular
from cmas_bank.loader import MAX_BYTES, LoadedFile, load_bytes
from cmas_bank.model import Item, Review
from cmas_bank.outline import Outline
from cmas_bank.validate import discover, validate_loaded

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

# Finding codes; their names and documentation are in cmas_bank/codetable.py (`cmas-bank rules`).
READ_ERROR = "IM101"
MAX_CSV_BYTES = 256 << 20  # a bank of 100,000 items exported as CSV is about 150 MB
ENCODING = "IM102"
CSV_SYNTAX = "IM103"
MISSING_COLUMN = "IM104"
UNKNOWN_COLUMN = "IM105"
REPEATED_COLUMN = "IM106"
EXTRA_CELLS = "IM201"
BAD_CELL = "IM202"
REPEATED_ID = "IM301"
EXISTS = "IM302"
ROUND_TRIP = "IM901"

SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"


@dataclass
class PlannedFile:
    """A file an import would write. The item is read back from `content` when asked for: an
    import of 100,000 rows keeps their bytes, not 100,000 item models as well."""

    path: Path
    content: bytes
    replaces: bool

    @property
    def item(self) -> Item:
        from cmas_bank.loader import LoadedFile, load_bytes

        loaded = load_bytes(self.content, LoadedFile(path=self.path, display=self.path.as_posix()))
        return Item.model_validate(loaded.data)


@dataclass
class ImportPlan:
    """What an import would write, or the findings that stop it."""

    source: str
    files: list[PlannedFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)  # what each row changes in an existing item, approvals withdrawn
    unchanged: list[Path] = field(default_factory=list)  # existing files the rows leave as they are
    skipped: list[Diagnostic] = field(default_factory=list)  # questions the bank cannot hold (IM401 warnings)

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    @property
    def items(self) -> list[Item]:
        return [f.item for f in self.files]


# --- reading the CSV --------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 1-based index: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


HEADER_ALIASES = {"work_area": "domain", "sub_area": "subdomain", "subarea": "subdomain"}


def normalise_header(cell: str) -> str:
    """Column name of a header cell: case, outer spaces, inner spaces and hyphens do not matter,
    and the outline's words `work area` and `sub-area` name `domain` and `subdomain`."""
    name = re.sub(r"[\s-]+", "_", cell.strip().lower())
    return HEADER_ALIASES.get(name, name)


def _diag(
    source: str, code: str, message: str, row: int = 1, column: int = 1, item_id: str | None = None
) -> Diagnostic:
    return Diagnostic(path=source, line=row, column=column, code=code, message=message, item_id=item_id)


def _records(text: str, source: str, plan: ImportPlan) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each non-blank row; a syntax error ends the file with a finding."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # a cell may hold a whole item's text

    def syntax(row: int, line: int, exc: csv.Error) -> None:
        message = f"CSV syntax error at line {line} of the file: {exc}"
        plan.diagnostics.append(_diag(source, CSV_SYNTAX, message, row))

    return ((row, cells) for row, cells in read_rows(text, syntax) if any(c.strip() for c in cells))


def _header(cells: list[str], source: str, plan: ImportPlan) -> list[str] | None:
    names = [normalise_header(c) for c in cells]
    seen: dict[str, int] = {}
    for index, name in enumerate(names, start=1):
        if not name:
            if any(c.strip() for c in cells[index:]):
                plan.diagnostics.append(
                    _diag(source, UNKNOWN_COLUMN, f"column {column_letter(index)} has no name", 1, index)
                )
            continue
        if name not in COLUMNS:
            plan.diagnostics.append(
                _diag(
                    source,
                    UNKNOWN_COLUMN,
                    f"unknown column {cells[index - 1].strip()!r}{suggest(name, COLUMNS)}",
                    1,
                    index,
                )
            )
        elif name in seen:
            first = column_letter(seen[name])
            plan.diagnostics.append(
                _diag(source, REPEATED_COLUMN, f"column {name} is already column {first}", 1, index)
            )
        else:
            seen[name] = index
    required = [c for c in COLUMNS if _required(c)]
    for name in required:
        if name not in seen:
            plan.diagnostics.append(_diag(source, MISSING_COLUMN, f"required column {name} is missing", 1, 1))
    return None if plan.diagnostics else names


def _required(column: str) -> bool:
    """A column is required when the item field it fills is (the model decides)."""
    return column in OPTION_COLUMNS or Item.model_fields[column].is_required()


# --- one row ----------------------------------------------------------------------------------


def _row_file(
    source: str,
    path: Path,
    row: int,
    header: list[str],
    cells: list[str],
    outline: Outline,
    plan: ImportPlan,
    existing: dict[str, Path],
) -> tuple[Item | None, list[Diagnostic]]:
    """Validate one row with the validate code, findings placed at (row, column)."""
    found: list[Diagnostic] = []
    width = len(header)
    for index in range(width, len(cells)):
        if cells[index].strip():
            found.append(
                _diag(
                    source,
                    EXTRA_CELLS,
                    f"row has a value in column {column_letter(index + 1)}, beyond the header's {width} columns",
                    row,
                    index + 1,
                )
            )
            break
    by_name = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
    decoded = decode_row(by_name)
    note = withdraw_stale_approval(decoded.data, existing)
    if note:
        plan.notes.append(note)
    index_of = {name: i + 1 for i, name in enumerate(header) if name}
    loaded = LoadedFile(path=path, display=source, text=None, data=decoded.data)
    loaded.values[()] = (row, 1)
    loaded.values[("options",)] = (row, index_of["option_a"])
    for name, column in index_of.items():
        loaded.values[field_of(name)] = loaded.keys[field_of(name)] = (row, column)
    raw_id = decoded.data.get("id")
    item_id = raw_id if isinstance(raw_id, str) else None
    for problem in decoded.problems:
        found.append(
            _diag(
                source, BAD_CELL, f"column {problem.column}: {problem.message}", row, index_of[problem.column], item_id
            )
        )
    unreadable = {index_of[p.column] for p in decoded.problems}
    checked = validate_loaded(loaded, outline)
    names = {column: name for name, column in index_of.items()}
    for d in checked.diagnostics:
        if d.line == row and d.column in unreadable:
            continue  # the cell was already reported as unreadable
        label = names.get(d.column) if d.line == row else None
        found.append(replace(d, message=f"column {label}: {d.message}") if label else d)
    return (checked.item if not found else None), found


# --- approvals ---------------------------------------------------------------------------------


def withdraw_stale_approval(data: Any, existing: dict[str, Path]) -> str | None:
    """An approved row whose approving reviews did not see its content (`cmas_bank.digest`) is
    imported for review instead: its status becomes `review` and the note returned says what
    changed (field by field against the file it replaces, else against the latest review)."""
    from pydantic import ValidationError

    from cmas_bank.digest import current_approval, independent_approvals, stale_reason

    if not isinstance(data, dict) or data.get("status") != "approved":
        return None
    try:
        item = Item.model_validate(data)
    except ValidationError:
        return None  # the row's own findings will stop it
    if not independent_approvals(item) or current_approval(item) is not None:
        return None  # approved by a review of this content, or no approval at all (IV207)
    data["status"] = "review"
    changes = _changed_fields(existing.get(item.id), item)
    what = f"{', '.join(changes)} changed" if changes else str(stale_reason(item)).split(";", 1)[0]
    return f"{item.id}: {what}; status approved -> review: needs a new review (cmas-bank review)"


def _changed_fields(path: Path | None, item: Item) -> list[str]:
    """The reviewed fields of `item` that differ from the item in `path` (spacing and quote style
    aside), named as `stem`, `options.B`, `answer`, `rationale`, `references`."""
    from pydantic import ValidationError

    from cmas_bank.digest import normalise
    from cmas_bank.loader import load_file

    if path is None:
        return []
    loaded = load_file(path)
    try:
        old = Item.model_validate(loaded.data) if loaded.ok else None
    except ValidationError:
        old = None
    if old is None:
        return []
    changed = [name for name in ("stem",) if normalise(old.stem) != normalise(item.stem)]
    before, after = old.options.as_dict(), item.options.as_dict()
    changed += [f"options.{k}" for k in before if normalise(before[k]) != normalise(after[k])]
    changed += ["answer"] if old.answer != item.answer else []
    changed += ["rationale"] if normalise(old.rationale) != normalise(item.rationale) else []
    if [normalise(r) for r in old.references] != [normalise(r) for r in item.references]:
        changed.append("references")
    return changed


# --- writing ----------------------------------------------------------------------------------


def area_folder(out: Path, outline: Outline, area: int) -> Path:
    prefix = f"{area:02d}-"
    if out.is_dir():
        existing = sorted(p for p in out.iterdir() if p.is_dir() and p.name.startswith(prefix))
        if existing:
            return existing[0]
    name = outline.areas[area].name if area in outline.areas else f"work-area-{area}"
    return out / (prefix + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))


def _yaml_document(item: Item, literal: bool) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    def text(value: str) -> Any:
        return LiteralScalarString(value) if literal and "\n" in value else value

    def flow(values: list[str]) -> CommentedSeq:
        seq = CommentedSeq(values)
        seq.fa.set_flow_style()
        return seq

    doc = CommentedMap()
    for name in Item.model_fields:
        value = getattr(item, name)
        if name in ("stem", "rationale"):
            doc[name] = text(value)
        elif name == "options":
            doc[name] = CommentedMap((k, text(v)) for k, v in value.as_dict().items())
        elif name in ("references", "authors"):
            doc[name] = CommentedSeq(text(v) for v in value)
        elif name in ("tags", "enemies"):
            doc[name] = flow(list(value))
        elif name == "reviews":
            doc[name] = CommentedSeq(_review_yaml(r, text) for r in value)
        elif name == "suppress":
            mapping = CommentedMap((k, text(v)) for k, v in value.items())
            if not mapping:
                mapping.fa.set_flow_style()
            doc[name] = mapping
        else:
            doc[name] = value
    return doc


def _review_yaml(review: Review, text: Any) -> CommentedMap:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    entry = CommentedMap(
        reviewer=text(review.reviewer), date=review.date, verdict=review.verdict, notes=text(review.notes)
    )
    if review.digest is not None:
        entry["digest"] = DoubleQuotedScalarString(review.digest)
    return entry


def item_yaml(item: Item, schema_ref: str | None = None, literal: bool = True) -> bytes:
    """An item file in the bank's layout: the schema comment, then the fields in model order,
    multi-line text as `|` blocks, tags and enemies in flow style."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(_yaml_document(item, literal), buffer)
    header = SCHEMA_COMMENT.format(schema_ref) if schema_ref else ""
    return (header + buffer.getvalue()).encode("utf-8")


def _checked_yaml(item: Item, path: Path, schema_ref: str | None, outline: Outline) -> bytes | None:
    """YAML for `item` in the canonical layout (`cmas-bank fmt`) that reads back, through the
    validate code, as the same item."""
    for content in _layouts(item, schema_ref, path):
        loaded = load_bytes(content, LoadedFile(path=path, display=path.as_posix()))
        checked = validate_loaded(loaded, outline)
        if not checked.diagnostics and checked.item == item:
            return content
    return None


def _layouts(item: Item, schema_ref: str | None, path: Path) -> Iterator[bytes]:
    """The ways to write `item` in `fmt`'s layout, cheapest first, each made only if the one
    before did not read back: the fast writer (most rows), then ruamel.yaml with literal blocks,
    then with plain styles."""
    from cmas_bank.itemyaml import fast_item_yaml
    from cmas_bank.lint.fmt import format_text

    fast = fast_item_yaml(item, SCHEMA_COMMENT.format(schema_ref) if schema_ref else "")
    if fast is not None:
        yield fast.encode("utf-8")
    for literal in (True, False):
        try:  # in the layout `cmas-bank fmt` keeps, so `fmt --check` passes on imported files
            text = format_text(item_yaml(item, schema_ref, literal).decode("utf-8"), path.as_posix())
        except Exception:  # noqa: BLE001, S112 - an unrepresentable block scalar: try the plain style
            continue
        yield text.encode()


def _existing_item(path: Path) -> Item | None:
    """The item an existing file holds (None when it does not hold a valid one)."""
    from pydantic import ValidationError

    from cmas_bank.loader import load_file

    loaded = load_file(path)
    if not loaded.ok:
        return None
    try:
        return Item.model_validate(loaded.data)
    except ValidationError:
        return None


def _note_changes(plan: ImportPlan, old: Item | None, item: Item) -> None:
    """Say, field by field, what the row changes in the existing item `old` (once per item: a
    withdrawn approval's note already says it). Exact: a change of spacing or quote style counts."""
    prefix = f"{item.id}: "
    if any(note.startswith(prefix) for note in plan.notes):
        return
    if old is None:
        plan.notes.append(f"{prefix}replaces a file that holds no valid item")
        return
    changes: list[str] = []
    for name in Item.model_fields:
        if name == "options":
            before, after = old.options.as_dict(), item.options.as_dict()
            changes += [f"options.{k}" for k in before if before[k] != after[k]]
        elif getattr(old, name) != getattr(item, name):
            changes.append(name)
    plan.notes.append(f"{prefix}{', '.join(changes)} changed")


def _updated_yaml(path: Path, old: Item | None, item: Item, outline: Outline) -> bytes | None:
    """The file at `path` with only the fields the row changes replaced, through ruamel's round
    trip, so comments, quotes and layout of everything else stay; then in `fmt`'s canonical
    layout. None when that cannot be done safely (the caller writes the item afresh)."""
    from cmas_bank.lint.fmt import FormatError, _round_trip, format_text

    if old is None:
        return None
    new = _yaml_document(item, literal=True)

    def edit(doc: Any) -> None:
        for name in Item.model_fields:
            if getattr(old, name) == getattr(item, name):
                continue
            if name == "options" and isinstance(doc.get("options"), dict):
                for key, value in new["options"].items():
                    if old.options.as_dict()[key] != value:
                        doc["options"][key] = value
            else:
                doc[name] = new[name]

    try:
        text = path.read_bytes().decode("utf-8")
        content = format_text(_round_trip(text, edit), path.as_posix()).encode("utf-8")
    except (OSError, UnicodeDecodeError, FormatError):
        return None
    except Exception:  # noqa: BLE001 - ruamel raises many types; fall back to a fresh file
        return None
    loaded = load_bytes(content, LoadedFile(path=path, display=path.as_posix()))
    checked = validate_loaded(loaded, outline)
    return content if not checked.diagnostics and checked.item == item else None


def _schema_ref(folder: Path, schema: Path | None) -> str | None:
    if schema is None:
        return None
    return Path(os.path.relpath(schema.absolute(), folder.absolute())).as_posix()


# --- the import -------------------------------------------------------------------------------


def plan_csv_import(
    csv_path: Path,
    out: Path,
    outline: Outline,
    *,
    force: bool = False,
    schema: Path | None = None,
    root: Path | None = None,
) -> ImportPlan:
    """Read and check `csv_path` and decide every file to write; writes nothing.

    `schema` is the item schema the files' first-line comment points at (None: no comment).
    An unreadable file is an IM101 finding (the command exits 2 on it, as validate on IV101)."""
    plan = ImportPlan(source=display_path(csv_path.absolute(), root))
    _fill_plan(plan, csv_path, out, outline, force, schema, root)
    plan.diagnostics.sort(key=sort_key)
    return plan


def _read_csv(csv_path: Path, plan: ImportPlan) -> str | None:
    """The CSV file's text, or None with an IM101 (cannot be read, not a regular file, too large)
    or IM102 (not UTF-8) finding on `plan`."""
    source = plan.source
    try:
        raw = read_regular(csv_path, MAX_CSV_BYTES)
    except (FileTooLarge, NotRegularFile) as exc:  # a FIFO or a device would hang or fill the memory
        plan.diagnostics.append(_diag(source, READ_ERROR, str(exc.strerror)))
        return None
    except OSError as exc:
        plan.diagnostics.append(_diag(source, READ_ERROR, f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = f"file is not UTF-8 (byte 0x{byte} on line {line} of the file); save it as CSV UTF-8"
        plan.diagnostics.append(_diag(source, ENCODING, message, line))
        return None


def _fill_plan(
    plan: ImportPlan, csv_path: Path, out: Path, outline: Outline, force: bool, schema: Path | None, root: Path | None
) -> None:
    text = _read_csv(csv_path, plan)
    if text is None:
        return
    _plan_records(plan, _records(text, plan.source, plan), csv_path, out, outline, force, schema, root)


def _plan_records(
    plan: ImportPlan,
    records: Iterator[tuple[int, list[str]]],
    csv_path: Path,
    out: Path,
    outline: Outline,
    force: bool,
    schema: Path | None,
    root: Path | None,
) -> None:
    """Check the header and every row of `records` (row number, cells), and plan the files."""
    source = plan.source
    first = next(records, None)
    if first is None:
        if not plan.diagnostics:
            plan.diagnostics.append(_diag(source, MISSING_COLUMN, "file is empty; the first row must name the columns"))
        return
    header = _header(first[1], source, plan)
    if header is None:
        return

    existing = {p.stem: p for p in discover([out], allow_empty=True)} if out.exists() else {}
    id_rows: dict[str, int] = {}
    id_column = header.index("id") + 1
    for row, cells in records:
        plan.rows += 1
        item, found = _row_file(source, csv_path, row, header, cells, outline, plan, existing)
        plan.diagnostics.extend(found)
        if item is None:
            continue
        where = Placed(source, row, id_column, "column id: ", f"row {id_rows.get(item.id)}")
        if item.id in id_rows:
            plan.diagnostics.append(where.diag(REPEATED_ID, f"{item.id!r} is already the id of {where.first}", item.id))
            continue
        id_rows[item.id] = row
        plan_item(plan, item, where, existing, out, outline, force, schema, root)


@dataclass
class Placed:
    """Where an item's findings go: the file shown, line and column, a prefix for messages (the
    CSV's `column id: `), and how the earlier holder of a repeated id is named."""

    path: str
    line: int
    column: int
    prefix: str = ""
    first: str = ""

    def diag(self, code: str, message: str, item_id: str | None = None) -> Diagnostic:
        return _diag(self.path, code, self.prefix + message, self.line, self.column, item_id)


def plan_item(
    plan: ImportPlan,
    item: Item,
    where: Placed,
    existing: dict[str, Path],
    out: Path,
    outline: Outline,
    force: bool,
    schema: Path | None,
    root: Path | None,
) -> None:
    """Plan the file of one checked item: refused when it exists and `force` is off, left alone
    when the file already holds it, else rewritten in place or written new (read back first)."""
    target = existing.get(item.id)
    if target is not None and not force:
        shown = display_path(target.absolute(), root)
        plan.diagnostics.append(where.diag(EXISTS, f"{shown} already exists; pass --force to replace it", item.id))
        return
    path = target or area_folder(out, outline, item.domain) / f"{item.id}.yaml"
    content = None
    if target is not None:
        old = _existing_item(target)
        if old == item:
            plan.unchanged.append(target)
            return  # the row says what the file says: the file is left byte for byte
        _note_changes(plan, old, item)
        content = _updated_yaml(target, old, item, outline)
    content = content or _checked_yaml(item, path, _schema_ref(path.parent, schema), outline)
    if content is None:
        message = f"item {item.id} cannot be written so that it reads back the same"
        plan.diagnostics.append(where.diag(ROUND_TRIP, message, item.id))
        return
    plan.files.append(PlannedFile(path=path, content=content, replaces=target is not None))


def plan_xlsx_import(
    xlsx_path: Path,
    out: Path,
    outline: Outline,
    *,
    force: bool = False,
    schema: Path | None = None,
    root: Path | None = None,
) -> ImportPlan:
    """`plan_csv_import` for an xlsx workbook (its first sheet): the same columns and checks,
    findings at the row and column and naming the cell (`items!F12`). A file that is not a
    safe, readable workbook is an IM101 finding; a cell not stored as text (a number, a date, a
    formula) is an IM202 finding, never converted."""
    from cmas_bank.export.xlsx_format import NotAWorkbook, read_rows

    plan = ImportPlan(source=display_path(xlsx_path.absolute(), root))
    try:
        raw = read_regular(xlsx_path, MAX_CSV_BYTES)
        sheet = read_rows(raw)
        records = _xlsx_records(sheet.rows, plan)
        _plan_records(plan, records, xlsx_path, out, outline, force, schema, root)
    except (FileTooLarge, NotRegularFile) as exc:
        plan.diagnostics.append(_diag(plan.source, READ_ERROR, str(exc.strerror)))
    except OSError as exc:
        plan.diagnostics.append(_diag(plan.source, READ_ERROR, f"cannot read file: {exc.strerror or exc}"))
    except NotAWorkbook as exc:
        plan.diagnostics.clear()
        plan.files.clear()
        plan.diagnostics.append(_diag(plan.source, READ_ERROR, str(exc)))
    else:
        plan.diagnostics[:] = [_cell_named(d, sheet.sheet) for d in plan.diagnostics]
    plan.diagnostics.sort(key=sort_key)
    return plan


def _xlsx_records(
    rows: Iterator[tuple[int, list[str], dict[int, str]]], plan: ImportPlan
) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows, with an IM202 finding for each cell that is not text."""
    for row, cells, problems in rows:
        for column, problem in problems.items():
            plan.diagnostics.append(_diag(plan.source, BAD_CELL, problem, row, column))
        if any(c.strip() for c in cells) or problems:
            yield row, cells


def _cell_named(d: Diagnostic, sheet: str) -> Diagnostic:
    """The finding with its cell reference (`items!F12`) leading the message."""
    if d.code == READ_ERROR:
        return d
    return replace(d, message=f"{sheet}!{column_letter(d.column)}{d.line}: {d.message}")


def write_plan(plan: ImportPlan) -> list[Path]:
    """Write the planned files, all or nothing: each is first written to a temporary beside its
    target, and only when every one of them has been written are they renamed into place; on
    any error the temporaries (and folders made for them) are removed, nothing is changed, and
    the error is raised. Refuses a plan with findings."""
    from cmas_bank.fileio import Staged, commit, discard, stage_bytes, sync_staged

    if not plan.ok:
        raise ValueError("an import plan with findings must not be written")
    staged: list[Staged] = []
    try:
        for planned in plan.files:
            item = stage_bytes(planned.path, planned.content, fsync=False)
            if item is not None:
                staged.append(item)
        sync_staged(staged)
    except BaseException:
        discard(staged)
        raise
    commit(staged)
    return [planned.path for planned in plan.files]
