"""Export the bank, or a chosen part of it, as a JSON bundle, a QTI 2.1 or 3.0 content package,
or CSV.

`export_bank` is the library entry point behind `cmas-bank export`: it takes the result of
validating the bank, refuses (or, asked to, skips) files with errors, applies the selection and
returns the bytes. Writing them is the caller's job (atomically, with `fileio`), so a failed
export never leaves half a bundle. Format modules import lxml only when a QTI format is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cmas_bank.errors import UsageError
from cmas_bank.export.common import ExportError, Selection, read_id_list, select_items
from cmas_bank.model import Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.validate import ItemFile, ValidationResult

FORMATS: tuple[str, ...] = ("json", "qti21", "qti30", "csv", "xlsx")


def render(fmt: str, items: Sequence[Item], outline: Outline, selection: Selection | None = None) -> bytes:
    """The bytes of `items` in format `fmt` (one of FORMATS)."""
    if fmt == "json":
        from cmas_bank.export.json_bundle import bundle_bytes

        return bundle_bytes(items, outline, selection or Selection())
    if fmt == "qti21":
        from cmas_bank.export.qti21 import qti21_bytes

        return qti21_bytes(items, outline)
    if fmt == "qti30":
        from cmas_bank.export.qti30 import qti30_bytes

        return qti30_bytes(items, outline)
    if fmt == "csv":
        from cmas_bank.export.csv_format import csv_bytes

        return csv_bytes(items)
    if fmt == "xlsx":
        from cmas_bank.export.xlsx_format import xlsx_bytes

        return xlsx_bytes(items)
    raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


class InvalidFiles(Exception):
    """The bank has files with errors and the export was not told to skip them."""

    def __init__(self, files: list[ItemFile]):
        super().__init__(f"{len(files)} file(s) have errors")
        self.files = files


@dataclass
class ExportResult:
    data: bytes
    items: list[Item]
    skipped: list[ItemFile] = field(default_factory=list)


def export_bank(
    result: ValidationResult,
    outline: Outline,
    fmt: str,
    selection: Selection | None = None,
    *,
    skip_invalid: bool = False,
) -> ExportResult:
    """Select and render the items of a validated bank.

    A file with any error (unparsable, schema, outline, policy, duplicate id) is not exported:
    by default that refuses the whole export (InvalidFiles), because a file that does not parse
    might have been meant to be in it; with `skip_invalid` the clean files are exported and the
    others are listed in `skipped`. An empty selection is a UsageError."""
    selection = selection or Selection()
    bad = [f for f in result.files if any(d.severity.value == "error" for d in f.diagnostics)]
    if bad and not skip_invalid:
        raise InvalidFiles(bad)
    clean = [f.item for f in result.files if f.item is not None and f not in bad]
    if selection.ids is not None:
        broken = {i for i in map(_file_id, bad) if i is not None} & set(selection.ids)
        if broken:
            raise UsageError(f"listed ids are in files with errors: {', '.join(sorted(broken))}")
    chosen = select_items(clean, selection)
    if not chosen:
        raise UsageError(
            f"no items to export: none of the {len(clean)} valid items matches the selection "
            f"(status {', '.join(selection.statuses)}"
            + (f"; work area {', '.join(map(str, selection.domains))}" if selection.domains else "")
            + (f"; {len(selection.ids)} listed ids" if selection.ids is not None else "")
            + ")"
        )
    return ExportResult(data=render(fmt, chosen, outline, selection), items=chosen, skipped=bad)


def _file_id(file: ItemFile) -> str | None:
    data = file.loaded.data if isinstance(file.loaded.data, dict) else {}
    value = data.get("id")
    return value if isinstance(value, str) else None


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportResult",
    "InvalidFiles",
    "Selection",
    "export_bank",
    "read_id_list",
    "render",
    "select_items",
]
