"""Export the bank, or a chosen part of it, as a JSON bundle, a QTI 2.1 or 3.0 content package,
CSV, a practice exam in one HTML file, or for an LMS: Moodle XML, GIFT, Aiken, a Canvas QTI 1.2
zip or Blackboard's upload text; or as an Anki deck.

`export_bank` is the library entry point behind `cmas-bank export`: it takes the result of
validating the bank, refuses (or, asked to, skips) files with errors, applies the selection and
returns the bytes. `export_paths`, behind `cmas-bank export`, writes the file as it is rendered,
into a temporary file renamed over the target (`fileio.atomic_write_stream`), so an export is
never whole in memory and a failed export never leaves half a bundle. Format modules import lxml
only when an XML format is built.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from cmas_bank.errors import UsageError
from cmas_bank.export.common import ExportError, FormOrder, Selection, read_id_list, select_items
from cmas_bank.model import Item
from cmas_bank.outline import Outline

if TYPE_CHECKING:
    from cmas_bank.bankitem import BankItem
    from cmas_bank.config import Config
    from cmas_bank.diagnostics import Diagnostic
    from cmas_bank.validate import ItemFile, ValidationResult

FORMATS: tuple[str, ...] = (
    "json",
    "qti21",
    "qti30",
    "csv",
    "xlsx",
    "html",
    "moodle",
    "gift",
    "aiken",
    "canvas",
    "blackboard",
    "anki",
)


def write(
    fmt: str,
    items: Sequence[Item],
    outline: Outline,
    out: IO[bytes],
    selection: Selection | None = None,
    *,
    mode: str = "exam",
    seed: int | None = None,
    form: FormOrder | None = None,
) -> None:
    """Write `items` in format `fmt` (one of FORMATS) into `out` as they are rendered: no format
    builds the whole file in memory first (an export of 100,000 items). `mode` (exam or study)
    and `seed` (question order) apply to the html practice exam only. `form`: the items are an
    assembled form's, written in its delivery order with its pretest items marked. A failure can
    come after some bytes are written: write into a temporary file (`fileio.atomic_write_stream`)."""
    if fmt == "json":
        from cmas_bank.export.json_bundle import write_bundle

        write_bundle(items, outline, selection or Selection(), out, form)
    elif fmt in ("qti21", "qti30"):
        from cmas_bank.export.qti import write_package

        write_package(items, outline, _dialect(fmt), out, form)
    elif fmt == "csv":
        from cmas_bank.export.csv_format import write_csv

        write_csv(items, out, form)
    elif fmt == "html":
        from cmas_bank.export.practice import write_practice

        write_practice(items, outline, out, mode, seed, form)
    elif fmt == "xlsx":
        from cmas_bank.export.xlsx_format import write_xlsx

        write_xlsx(items, out, form)
    else:
        _write_lms(fmt, items, outline, out, form)


def render(
    fmt: str,
    items: Sequence[Item],
    outline: Outline,
    selection: Selection | None = None,
    *,
    mode: str = "exam",
    seed: int | None = None,
    form: FormOrder | None = None,
) -> bytes:
    """The bytes `write` writes (for tests and callers that want them in memory)."""
    buffer = io.BytesIO()
    write(fmt, items, outline, buffer, selection, mode=mode, seed=seed, form=form)
    return buffer.getvalue()


def _dialect(fmt: str) -> Any:
    if fmt == "qti21":
        from cmas_bank.export.qti21 import QTI21

        return QTI21
    from cmas_bank.export.qti30 import QTI30

    return QTI30


def _write_lms(fmt: str, items: Sequence[Item], outline: Outline, out: IO[bytes], form: FormOrder | None) -> None:
    if fmt == "moodle":
        from cmas_bank.export.moodle_xml import write_moodle

        write_moodle(items, outline, out, form)
    elif fmt == "gift":
        from cmas_bank.export.gift import write_gift

        write_gift(items, outline, out, form)
    elif fmt == "aiken":
        from cmas_bank.export.aiken import write_aiken

        write_aiken(items, out, form)
    elif fmt == "canvas":
        from cmas_bank.export.canvas import write_canvas

        write_canvas(items, outline, out, form)
    elif fmt == "blackboard":
        from cmas_bank.export.blackboard import write_blackboard

        write_blackboard(items, out)
    elif fmt == "anki":
        from cmas_bank.export.anki import write_anki

        write_anki(items, outline, out)
    else:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


class InvalidFiles(Exception):
    """The bank has files with errors and the export was not told to skip them: `errors`, the
    error findings of the `count` files (and, from `export_bank`, the `files` themselves)."""

    def __init__(self, files: list[ItemFile] | None = None, *, errors: list[Diagnostic] | None = None, count: int = 0):
        files = files or []
        self.files = files
        self.errors = errors if errors is not None else [d for f in files for d in f.diagnostics]
        self.count = count or len(files)
        super().__init__(f"{self.count} file(s) have errors")


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
    mode: str = "exam",
    seed: int | None = None,
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
        _nothing(len(clean), selection)
    return ExportResult(data=render(fmt, chosen, outline, selection, mode=mode, seed=seed), items=chosen, skipped=bad)


class WriteFailed(Exception):
    """`export_paths` could not write its file (nothing was written; the old file is intact)."""


@dataclass
class BankExport:
    """What `export_paths` exported: the items, the display paths of files skipped, and either the
    bytes (no `out` given) or whether the file at `out` changed (False: it already held them)."""

    items: list[Item]
    skipped: list[str] = field(default_factory=list)
    data: bytes | None = None
    changed: bool = True


def export_paths(
    paths: Sequence[Path],
    config: Config,
    outline: Outline,
    fmt: str,
    selection: Selection | None = None,
    *,
    out: Path | None = None,
    skip_invalid: bool = False,
    use_cache: bool = True,
    mode: str = "exam",
    seed: int | None = None,
    form: FormOrder | None = None,
) -> BankExport:
    """`cmas-bank export`: `export_bank` over the engine. The files are checked through the engine
    (its cache: one parse of an unchanged bank, never all of it in memory at once), and only the
    chosen items are read again, as models, for the format: a 100,000-item export holds item
    models, not every file's parse. With `out`, the export is written into a temporary file
    beside it as it is rendered and renamed over it (WriteFailed: it could not be written, and
    nothing was); else its bytes are returned."""
    from cmas_bank.engine.run import Job, run_check
    from cmas_bank.loader import load_file

    selection = selection or Selection()
    result = run_check(paths, config, outline, job=Job(stages=("validate",), items=True), use_cache=use_cache)
    clean, bad = _clean_items(result.stages["validate"], result.items, selection, skip_invalid)
    wanted = [(b.path, b.display) for b in clean if selection.accepts(b)]  # type: ignore[arg-type]
    chosen_paths = {path for path, _ in wanted}
    stubs = [] if selection.ids is None else [_stub(b) for b in clean if b.path not in chosen_paths]
    # The engine's records of the whole bank are not needed past this point: dropped before the
    # items are read and rendered, so that the two never share the peak (at 100,000 items the
    # records alone are hundreds of MiB).
    valid = len(clean)
    del result, clean
    from cmas_bank.memory import release

    release()  # the console command keeps a run's heap until exit (memory.py): not this one
    items = [Item.model_validate(load_file(Path(path), display).data) for path, display in wanted]
    chosen = select_items(items + stubs, selection)
    del items, stubs
    if not chosen:
        _nothing(valid, selection)

    def emit(fh: IO[bytes]) -> None:
        write(fmt, chosen, outline, fh, selection, mode=mode, seed=seed, form=form)

    done = BankExport(items=chosen if form is None else form.arrange(chosen), skipped=bad)
    if out is None:
        buffer = io.BytesIO()
        emit(buffer)
        done.data = buffer.getvalue()
    else:
        from cmas_bank.fileio import atomic_write_stream

        try:
            done.changed = atomic_write_stream(out, emit)
        except OSError as exc:
            raise WriteFailed(f"{out}: cannot write export: {exc.strerror or exc}") from exc
    return done


def _clean_items(
    found: list[Diagnostic], items: list[BankItem], selection: Selection, skip_invalid: bool
) -> tuple[list[BankItem], list[str]]:
    """The valid items of files without errors, and the display paths of the files with errors
    (refused unless `skip_invalid`; a listed id in one is refused either way)."""
    errors = [d for d in found if d.severity.value == "error"]
    bad = sorted({d.path for d in errors})
    if bad and not skip_invalid:
        raise InvalidFiles(errors=errors, count=len(bad))
    broken = {b.id for b in items if b.display in bad and b.id is not None}
    if selection.ids is not None and broken & set(selection.ids):
        raise UsageError(f"listed ids are in files with errors: {', '.join(sorted(broken & set(selection.ids)))}")
    return [b for b in items if b.valid and b.display not in bad], bad


def _stub(b: Any) -> Any:
    """An id-only stand-in for a clean item outside the selection, so that `select_items` knows
    every id of the bank (an id in `--ids` that is no item is a usage error)."""
    from types import SimpleNamespace

    return SimpleNamespace(id=b.id, status=b.status, domain=b.domain)


def _nothing(valid: int, selection: Selection) -> NoReturn:
    raise UsageError(
        f"no items to export: none of the {valid} valid items matches the selection "
        f"(status {', '.join(selection.statuses)}"
        + (f"; work area {', '.join(map(str, selection.domains))}" if selection.domains else "")
        + (f"; {len(selection.ids)} listed ids" if selection.ids is not None else "")
        + ")"
    )


def _file_id(file: ItemFile) -> str | None:
    data = file.loaded.data if isinstance(file.loaded.data, dict) else {}
    value = data.get("id")
    return value if isinstance(value, str) else None


__all__ = [
    "FORMATS",
    "ExportError",
    "ExportResult",
    "FormOrder",
    "InvalidFiles",
    "Selection",
    "WriteFailed",
    "export_bank",
    "export_paths",
    "read_id_list",
    "render",
    "select_items",
    "write",
]
